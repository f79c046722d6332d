/* SPDX-License-Identifier: ISC */
/* Forked children: their signals, their descriptors (exactly those each one
 * needs), their status. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "util.h"

static sigset_t blocked;
static pid_t run_pid; /* ours; forked children differ */

#ifdef __SANITIZE_ADDRESS__
int __lsan_is_turned_off(void);

/* A child runs a program's entry point on a copy of the run's memory, whose
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
	sigaddset(&blocked, SIGUSR1); /* a masking process that is done */
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

/* The shell's view of a wait status: the exit status, or 128+N for
 * signal N. */
int
shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                           : WEXITSTATUS(status);
}

/* The shell's view of how pid ended. */
int
wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(EXIT_FAIL, "wait");
	return shell_status(status);
}

void
pipe_make(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		err(EXIT_FAIL, "pipe");
}

/* A file in memory, never on a file system; gone with its last
 * descriptor. */
int
memfd_make(const char *name, unsigned flags)
{
	int fd = memfd_create(name, MFD_CLOEXEC | flags);

	if (fd < 0)
		err(EXIT_FAIL, "memfd_create");
	return fd;
}

/* Close *fd if open, and mark it closed. */
void
fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
