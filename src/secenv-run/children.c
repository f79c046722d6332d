/* SPDX-License-Identifier: ISC */
/* Starting the other programs: exec'd beside us, or their code in a forked
 * child, with exactly the descriptors each one needs. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "util.h"

#define CAPTURE_MAX (16u * 1024 * 1024) /* names list, a reason, a message */

/* The programs a run starts as they are, linked in: each one's main()
 * under its own name. (cmdguard's decision and redact's masking are
 * called by their functions: see run.c.) */
static const struct {
	const char *name;
	int (*main)(int, char **);
	bool steady; /* finishes whatever the signals the run waits for */
} linked[] = {
    {"vaultfetch", vaultfetch_main, false},
    {"envinject", envinject_main, false},
    /* a record half-written because a Ctrl-C reached the whole
     * foreground group would be a torn line */
    {"auditlog", auditlog_main, true},
};

static sigset_t blocked;
static pid_t run_pid; /* ours; forked children differ */

#ifdef __SANITIZE_ADDRESS__
int __lsan_is_turned_off(void);

/* A child runs a program's main() on a copy of the run's memory, whose
 * allocations are referenced only from frames the child never returns
 * to: the leak check at its exit would call them lost. The run itself is
 * checked, and each program on its own in its own tests. */
int
__lsan_is_turned_off(void)
{
	return run_pid != 0 && getpid() != run_pid;
}
#endif

/* The signals the run waits for with sigtimedwait(); none is handled
 * asynchronously, so no step is ever interrupted half-way. A reader
 * that went away is an EPIPE to check, not a death. */
void
signals_block(void)
{
	run_pid = getpid();
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGCHLD);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &blocked, NULL) != 0)
		err(EXIT_FAIL, "sigprocmask");
	signal(SIGPIPE, SIG_IGN);
}

/* In a child that must finish its work whatever comes: TERM, INT and
 * HUP, which the run itself waits for and acts on (stopping the
 * command), are ignored. */
void
signals_ignore(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
}

/* In a child: the signal state we were started with. */
void
child_reset(void)
{
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &blocked, NULL);
}

static void
move_fd(int from, int to)
{
	if (from >= 0 && from != to && dup2(from, to) < 0)
		_exit(EXIT_FAIL);
}

/* In a child: only 0, 1, 2 and the keep[] descriptors (-1s ignored,
 * ascending or not) stay open, and those no longer close on exec. */
static void
close_others(const int *keep, size_t count)
{
	unsigned from = 3;

	for (;;) {
		int next = -1;

		/* the lowest kept descriptor at or above from */
		for (size_t i = 0; i < count; i++)
			if (keep[i] >= (int)from && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0)
			break;
		if ((unsigned)next > from)
			close_range(from, (unsigned)next - 1, 0);
		if (fcntl(next, F_SETFD, 0) != 0)
			_exit(EXIT_FAIL);
		from = (unsigned)next + 1;
	}
	close_range(from, ~0U, 0);
}

/*
 * fork, and in the child: leave in, out and errfd as its 0, 1 and 2 (-1:
 * ours) and the count descriptors of keep open, nothing else; with
 * new_session lead a session and process group of its own; speak as
 * name; exit with fn(arg). Dies 111 when fork fails.
 */
pid_t
spawn_call(const char *name, int (*fn)(void *), void *arg, int in, int out,
           int errfd, const int *keep, size_t count, bool new_session)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		err(EXIT_FAIL, "fork");
	if (pid > 0)
		return pid;
	child_reset();
	if (new_session && setsid() < 0)
		_exit(EXIT_FAIL);
	move_fd(in, STDIN_FILENO);
	move_fd(out, STDOUT_FILENO);
	move_fd(errfd, STDERR_FILENO);
	close_others(keep, count);
	program_invocation_short_name = (char *)name;
	program_invocation_name = (char *)name;
	exit(fn(arg));
}

static int
call_main(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	for (size_t i = 0; i < sizeof linked / sizeof linked[0]; i++) {
		if (strcmp(argv[0], linked[i].name) != 0)
			continue;
		if (linked[i].steady)
			signals_ignore();
		return linked[i].main(argc, argv);
	}
	errx(EXIT_FAIL, "%s: not a program of secenv", argv[0]);
}

/*
 * Start the program argv[0], one of linked[], as spawn_call() starts a
 * function: its main() runs in the forked child as it would after an
 * exec (the same argv, the same descriptors, its own process and memory)
 * without the cost of loading a program. The only exec of a run is the
 * command's, by envinject.
 */
pid_t
spawn_program(const char *const argv[], int in, int out, int errfd, int keep,
              bool new_session)
{
	return spawn_call(argv[0], call_main, (void *)argv, in, out, errfd,
	                  &keep, 1, new_session);
}

/* The shell's view of how pid ended: its status, or 128+N for signal N. */
int
wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(EXIT_FAIL, "wait");
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                           : WEXITSTATUS(status);
}

static char *
read_pipe(int fd)
{
	unsigned char *text;
	size_t len;

	if (read_all(fd, CAPTURE_MAX, false, &text, &len) != 0)
		err(EXIT_FAIL, "read from a child");
	close(fd);
	return (char *)text;
}

static void
pipe_make(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		err(EXIT_FAIL, "pipe");
}

/*
 * Run a program and return what it wrote on one stream: its stdout (its
 * stderr stays ours), or with capture_stderr its stderr (its stdout goes
 * to out). *status as wait_status() says.
 */
char *
capture_program(const char *const argv[], int out,
                bool capture_stderr, int *status)
{
	int fds[2];
	pid_t pid;
	char *text;

	pipe_make(fds);
	pid = spawn_program(argv, -1, capture_stderr ? out : fds[1],
	                    capture_stderr ? fds[1] : -1, -1, false);
	close(fds[1]);
	text = read_pipe(fds[0]);
	*status = wait_status(pid);
	return text;
}
