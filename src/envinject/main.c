/* envinject: open a sealed blob, build the command's environment, exec it. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob.h"
#include "envinject.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

struct options {
	const char *blob;    /* path, "-" or "fd:N" */
	const char *project; /* NULL: any */
	const char *user;    /* NULL: stay who we are */
	bool minimal;
	char **only; /* NULL: every secret */
	size_t only_count;
	char **command;
};

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status == EXIT_OK ? stdout : stderr,
		"usage: envinject [-i] [-b blob|-] [-p project] "
		"[--only name,...] [-u user] [--] command [arg ...]\n");
	exit(status);
}

/* --only A,B,C (repeatable): every name valid, none empty. */
static void
add_only(struct options *o, const char *list)
{
	char *copy = strdup(list), *next = copy, *name;

	if (copy == NULL)
		err(EXIT_FAIL, "--only");
	while ((name = strsep(&next, ",")) != NULL) {
		char **grown;

		if (*name == '\0')
			errx(EXIT_USAGE, "--only %s: empty name",
			     printable(list));
		name_require(name);
		grown = reallocarray(o->only, o->only_count + 1,
				     sizeof(*grown));
		if (grown == NULL)
			err(EXIT_FAIL, "--only");
		o->only = grown;
		o->only[o->only_count++] = name;
	}
}

/* Every name of --only must be a current secret of the blob. 0, or -1
 * after a message naming the first that is not. */
static int
check_only(const struct options *o, const struct secretset *set)
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

static void __attribute__((noreturn))
exec_command(char **command, struct child_env *env)
{
	int saved;

	if (exec_limits_check(command, env->envp) != 0) {
		env_free(env);
		exit(EXIT_NOEXEC);
	}
	execvpe(command[0], command, env->envp);
	saved = errno;
	env_free(env);
	errno = saved;
	err(saved == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC, "exec %s",
	    printable(command[0]));
}

static void __attribute__((noreturn))
inject(const struct options *o)
{
	struct target_user user, *target = NULL;
	struct secretset *set;
	struct child_env env;

	if (o->user != NULL) {
		user_lookup(o->user, &user);
		target = &user;
	}
	set = blob_load(o->blob, o->project, NULL);
	close_blob_fd(o->blob);
	if (check_only(o, set) != 0) {
		secretset_free(set);
		exit(EXIT_USAGE);
	}
	if (target != NULL && user_switch(target) != 0) {
		secretset_free(set);
		exit(EXIT_FAIL);
	}
	/* The strings exec copies are made last, in secure memory. */
	env_start(&env, o->minimal, target);
	env_add_secrets(&env, set, o->only, o->only_count);
	secretset_free(set);
	exec_command(o->command, &env);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"only", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct options o = {.blob = "-"};
	int ch;

	secmem_init();
	/* '+': options end at the command, which keeps its own flags. */
	while ((ch = getopt_long(argc, argv, "+b:hip:u:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.blob = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		case 'i':
			o.minimal = true;
			break;
		case 'o':
			add_only(&o, optarg);
			break;
		case 'p':
			project_require(optarg);
			o.project = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		default:
			usage(EXIT_USAGE);
		}
	}
	if (optind >= argc)
		usage(EXIT_USAGE);
	o.command = argv + optind;
	inject(&o);
}
