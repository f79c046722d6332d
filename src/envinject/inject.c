/* SPDX-License-Identifier: ISC */
/* The run itself: blob (if any), user, environment, exec, in that order. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "blob.h"
#include "envinject.h"
#include "exitcodes.h"
#include "paths.h"
#include "util.h"

/* Every name of --only must be a current secret of the blob. 0, or -1
 * after a message naming the first that is not. */
static int
check_only(const struct envinject_options *o, const struct secretset *set)
{
	for (size_t i = 0; i < o->only_count; i++)
		if (secretset_find(set, o->only[i]) == NULL) {
			warnx("--only %s: no such secret in the blob",
			      printable(o->only[i]));
			return -1;
		}
	return 0;
}

/* A blob passed as fd:N is not the command's business. */
static void
close_blob_fd(const char *path)
{
	uint64_t fd;

	if (strncmp(path, "fd:", 3) == 0 && parse_u64(path + 3, &fd) &&
	    fd > STDERR_FILENO && fd <= 1024)
		close((int)fd);
}

/* The caller's word to go on (gate_fd, see envinject.h), or the end. */
static void
gate_wait(int gate_fd, struct child_env *env)
{
	char go;
	ssize_t n;

	if (gate_fd <= 0)
		return;
	do
		n = read(gate_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	close(gate_fd);
	if (n != 1) {
		/* The run said no, or is gone, and its death signal may come
		 * at any moment: killed inside a free, a child that runs in the
		 * masking process's memory would leave that process's locks
		 * (secure memory's, malloc's) held. So the values are wiped
		 * where they are, and nothing is freed. */
		env_wipe(env);
		_exit(EXIT_FAIL);
	}
}

/*
 * Killed with death_parent from here on (0: not asked), or ended when it
 * is already gone. Armed as late as can be, once every allocation is
 * made: a child that runs in the masking process's memory, killed inside
 * malloc or secure memory, would leave that process's locks held. So
 * from here to the exec nothing is allocated or freed (gate_wait).
 */
static void
death_arm(pid_t death_parent, struct child_env *env)
{
	if (death_parent > 0 &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||
	     getppid() != death_parent)) {
		env_wipe(env);
		_exit(EXIT_FAIL);
	}
}

/*
 * The exec failed (errno saved): said, as err(3) would, and ended. The
 * death signal is armed by now, so as at the gate nothing is freed and
 * no stdio is used (a child in the masking process's memory killed in a
 * free or holding stderr's lock would leave that process waiting for
 * ever): the values are wiped where they are, the line is made on the
 * stack and written at once, and the errno's text is the untranslated
 * one, which takes no locale's lock.
 */
static _Noreturn void
exec_failed(const char *name, int saved, struct child_env *env)
{
	const char *why = strerrordesc_np(saved);
	char line[512];
	int n;

	env_wipe(env);
	n = snprintf(line, sizeof line, "%s: exec %s: %s\n",
	             program_invocation_short_name, printable(name),
	             why != NULL ? why : "unknown error");
	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		             (size_t)n < sizeof line ? (size_t)n
		                                     : sizeof line - 1);
	_exit(saved == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

static _Noreturn void
exec_command(const char *path, char **command, int gate_fd, pid_t death_parent,
             struct child_env *env)
{
	char *found = path == NULL ? path_search(command[0]) : NULL;

	if (exec_limits_check(command, env->envp) != 0) {
		env_free(env);
		exit(EXIT_NOEXEC);
	}
	death_arm(death_parent, env);
	gate_wait(gate_fd, env);
	if (path != NULL)
		execve(path, command, env->envp);
	else if (found != NULL)
		execve(found, command, env->envp);
	/* not found, or not a binary nor a script with #! (ENOEXEC):
	 * execvpe's search and its sh fallback, as before */
	if (path == NULL)
		execvpe(command[0], command, env->envp);
	exec_failed(command[0], errno, env);
}

/* The blob's secrets, checked against --only; exits when refused. */
static struct secretset *
open_blob(const struct envinject_options *o)
{
	struct secretset *set = blob_load(o->blob, o->project, NULL);

	close_blob_fd(o->blob);
	if (check_only(o, set) != 0) {
		secretset_free(set);
		exit(EXIT_USAGE);
	}
	return set;
}

_Noreturn void
envinject_exec(const struct envinject_options *o)
{
	struct target_user user, *target = NULL;
	struct secretset *set = NULL;
	struct child_env env;

	if (o->user != NULL) {
		user_lookup(o->user, &user);
		target = &user;
	}
	/* Without a blob the run is the same scrub and the same privilege
	 * drop, with nothing read and nothing injected. */
	if (o->blob != NULL)
		set = open_blob(o);
	if (target != NULL && user_switch(target) != 0) {
		secretset_free(set);
		exit(EXIT_FAIL);
	}
	/* The strings exec copies are made last, in secure memory. */
	env_start(&env, o->minimal, target);
	if (set != NULL) {
		env_add_secrets(&env, set, o->only, o->only_count);
		secretset_free(set);
	}
	exec_command(o->path, o->command, o->gate_fd, o->death_parent, &env);
}
