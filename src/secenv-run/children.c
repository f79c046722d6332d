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
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "secmem.h"
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

static const int stops[] = {SIGTERM, SIGINT, SIGHUP};
static struct sigaction stops_given[3]; /* as the run was started */
static bool stops_saved;

/* In a child that must finish its work whatever comes: TERM, INT and
 * HUP, which the run itself waits for and acts on (stopping the
 * command), are ignored. How they were is kept for signals_restore(). */
void
signals_ignore(void)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN};

	sigemptyset(&ignore.sa_mask);
	for (size_t i = 0; i < 3; i++)
		sigaction(stops[i], &ignore,
		          stops_saved ? NULL : &stops_given[i]);
	stops_saved = true;
}

/* In a command started from a process that ignored TERM, INT and HUP
 * (spawn_shared): what the run was given (a command started in the
 * background of a script ignores INT, as before), USR1 and USR2 as
 * they were too. */
static void
signals_restore(void)
{
	sigset_t set;

	for (size_t i = 0; stops_saved && i < 3; i++)
		sigaction(stops[i], &stops_given[i], NULL);
	signal(SIGUSR1, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
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

/* What a child is started with, for spawn_call and spawn_shared. */
struct child_start {
	const char *name;
	int (*fn)(void *);
	void *arg;
	int in, out, errfd;
	const int *keep;
	size_t count;
	bool new_session;
};

static struct child_start
child_start_of(const char *name, int (*fn)(void *), void *arg, int in, int out,
               int errfd, const int *keep, size_t count, bool new_session)
{
	return (struct child_start){.name = name,
	                            .fn = fn,
	                            .arg = arg,
	                            .in = in,
	                            .out = out,
	                            .errfd = errfd,
	                            .keep = keep,
	                            .count = count,
	                            .new_session = new_session};
}

/* In the child: its signals, session and descriptors; then fn. */
static int
child_begin(const struct child_start *c)
{
	child_reset();
	if (c->new_session && setsid() < 0)
		_exit(EXIT_FAIL);
	move_fd(c->in, STDIN_FILENO);
	move_fd(c->out, STDOUT_FILENO);
	move_fd(c->errfd, STDERR_FILENO);
	close_others(c->keep, c->count);
	program_invocation_short_name = (char *)c->name;
	program_invocation_name = (char *)c->name;
	return c->fn(c->arg);
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
	struct child_start c = child_start_of(name, fn, arg, in, out, errfd,
	                                      keep, count, new_session);
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		err(EXIT_FAIL, "fork");
	if (pid > 0)
		return pid;
	status = child_begin(&c);
	/* Its streams flushed, the child ends without the exit handlers
	 * (each the run's, which return at once in a child) and the
	 * libraries' destructors: they would write to pages it still
	 * shares with the run, a copy-on-write fault each. */
	fflush(NULL);
	_exit(status);
}

/* The process whose memory a child of spawn_shared() runs in. */
static pid_t shared_owner;

/* A child of spawn_shared() that exits (envinject's failures call
 * exit()) must not run the exit handlers and flush the streams of the
 * process whose memory it shares: registered last, this runs first. */
static void
shared_child_exit(int status, void *arg)
{
	(void)arg;
	if (getpid() != shared_owner)
		_exit(status);
}

static int
shared_child_main(void *arg)
{
	signals_restore();
	return child_begin(arg);
}

#define SHARED_STACK ((size_t)1024 * 1024) /* touched only as used */

/*
 * spawn_call's child, as a child of our parent (CLONE_PARENT: the run
 * waits for it, and its death signal is armed against the run), that
 * runs in our memory until it executes or exits, while we wait
 * (CLONE_VM | CLONE_VFORK, as posix_spawn starts a program): no copy of
 * our page tables and no copy-on-write faults after, either side. fn
 * must end in an exec or an exit; we must have no other thread. The
 * child's pid (only the run can wait for it), or -1 when none started.
 */
pid_t
spawn_shared(const char *name, int (*fn)(void *), void *arg, int in, int out,
             int errfd, const int *keep, size_t count)
{
	static bool registered;
	struct child_start c =
	    child_start_of(name, fn, arg, in, out, errfd, keep, count, true);
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *stack;
	pid_t pid;

	shared_owner = getpid();
	if (!registered && on_exit(shared_child_exit, NULL) != 0)
		return -1;
	registered = true;
	stack = mmap(NULL, SHARED_STACK, PROT_READ | PROT_WRITE,
	             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
	             -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	/* an overrun faults instead of writing over our memory */
	if (mprotect(stack, (size_t)page, PROT_NONE) != 0) {
		munmap(stack, SHARED_STACK);
		return -1;
	}
	fflush(NULL);
	pid = clone(shared_child_main, stack + SHARED_STACK,
	            CLONE_VM | CLONE_VFORK | CLONE_PARENT, &c);
	munmap(stack, SHARED_STACK);
	/* Killed while it held our secure memory's lock (the run died as
	 * it read the blob or made the environment, and its death signal
	 * came): the command never ran, and every later allocation or wipe
	 * here would wait for ever on that lock. Said and ended without
	 * stdio, whose locks it may hold too. */
	if (secmem_left_locked()) {
		static const char said[] =
		    "redact: the command's start was killed in secure memory; "
		    "masking stops\n";

		(void)!write(STDERR_FILENO, said, sizeof said - 1);
		_exit(EXIT_FAIL);
	}
	return pid;
}

/* len bytes of data and the n descriptors of fds, in one message on a
 * Unix socket. 0, or -1 with errno. */
int
fds_send(int sock, const void *data, size_t len, const int *fds, size_t n)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
	} control = {0};
	struct iovec io = {(void *)data, len};
	struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
	struct cmsghdr *h;

	if (n > FDS_MAX)
		return errno = EINVAL, -1;
	if (n > 0) {
		m.msg_control = control.buf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(h), fds, sizeof(int) * n);
	}
	while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* One message of fds_send(): its data into len bytes (how many came:
 * 0 at the end), its descriptors (close on exec) into fds, their count
 * in *n. -1 with errno. */
ssize_t
fds_receive(int sock, void *data, size_t len, int *fds, size_t *n)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
	} control;
	struct iovec io = {data, len};
	struct msghdr m = {.msg_iov = &io,
	                   .msg_iovlen = 1,
	                   .msg_control = control.buf,
	                   .msg_controllen = sizeof control.buf};
	ssize_t got;

	*n = 0;
	while ((got = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0)
		if (errno != EINTR)
			return -1;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h != NULL;
	     h = CMSG_NXTHDR(&m, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
			size_t count =
			    (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < count; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(h) + i * sizeof(int),
				       sizeof fd);
				if (*n < FDS_MAX)
					fds[(*n)++] = fd;
				else
					close(fd);
			}
		}
	return got;
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

/*
 * A blob written into a file of memfd_make(..., MFD_ALLOW_SEALING), made
 * unchangeable: no write(2) through any descriptor, no new shared
 * writable mapping, no growing or shrinking, no more seals. Nothing ever
 * maps it writable, so F_SEAL_FUTURE_WRITE leaves nothing F_SEAL_WRITE
 * would stop, without what F_SEAL_WRITE costs: it waits for every CPU to
 * drain its page batches, the one that wrote the blob busy with the run's
 * other processes (a millisecond, now and then, before the command could
 * start). A kernel before 5.1, which does not know it, gets F_SEAL_WRITE.
 * 0, or -1 with errno.
 */
int
memfd_seal(int fd)
{
	const int rest = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

	if (fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | rest) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	return fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | rest);
}

/* Close *fd if open, and mark it closed. */
void
fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
