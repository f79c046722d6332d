/* SPDX-License-Identifier: ISC */
/* --pty: the command on a pseudo-terminal of its own; what it writes there goes
 * through the masking like any output, the caller's keys and size come in. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "util.h"

/* After the command's end, what the terminal still holds is read for at
 * most this long when something that escaped the group keeps it open. */
#define DRAIN_MS 200
#define RELAY_BUFFER 65536

/* One run has at most one terminal; its child processes inherit this. */
static struct {
	bool on;
	int master, slave;
	int relay_out; /* the masking's pipe, or where output goes unmasked */
	bool relay_out_ours; /* a pipe end to close once the relay has it */
	int stop[2]; /* the run closes stop[1] when the command has ended */
	pid_t relay;
	int relay_status; /* once reaped by the run's wait (pty_reaped) */
	bool relay_reaped;
	int caller_tty;     /* the caller's terminal (0, 1 or 2), -1 for none */
	bool forward_input; /* the caller's stdin is read and passed on */
	bool raw;           /* the caller's terminal is in raw mode */
	bool saved_once;    /* saved holds its modes from before the first */
	struct termios saved;
	pid_t owner;
} pty = {.master = -1,
         .slave = -1,
         .relay_out = -1,
         .stop = {-1, -1},
         .caller_tty = -1};

/* The first of 0, 1, 2 that is a terminal: its size is the command's. */
static int
caller_terminal(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

/* We may read the caller's stdin (and change its modes) only while we
 * are its terminal's foreground: a background job would be stopped. */
static bool
stdin_is_our_terminal(void)
{
	return isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/*
 * Open the terminal, with the caller's modes and window size when the
 * caller has a terminal (80x24 otherwise), and take the command's
 * output descriptors: *cmd_out (the masking's pipe, or the run's own
 * destination) becomes what the relay writes to; the command gets the
 * terminal instead for 0, 1 and 2 (pty_attach()).
 */
void
pty_prepare(const struct run *r, int *cmd_out, int *cmd_err)
{
	struct winsize size = {.ws_row = 24, .ws_col = 80};
	struct termios modes, *modes_p = NULL;

	pty.on = true;
	pty.caller_tty = caller_terminal();
	if (pty.caller_tty >= 0)
		(void)ioctl(pty.caller_tty, TIOCGWINSZ, &size);
	if (size.ws_row == 0 || size.ws_col == 0)
		size = (struct winsize){.ws_row = 24, .ws_col = 80};
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &modes) == 0)
		modes_p = &modes;
	if (openpty(&pty.master, &pty.slave, NULL, modes_p, &size) != 0)
		err(EXIT_FAIL, "run: pseudo-terminal");
	if (fcntl(pty.master, F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(pty.slave, F_SETFD, FD_CLOEXEC) != 0)
		err(EXIT_FAIL, "run: pseudo-terminal");
	pty.relay_out = *cmd_out >= 0 ? *cmd_out : STDOUT_FILENO;
	pty.relay_out_ours = *cmd_out >= 0 && *cmd_out != r->out_dest;
	/* the command writes nothing else: the masking's stderr ends here */
	if (*cmd_err >= 0 && *cmd_err != r->err_dest)
		close(*cmd_err);
	*cmd_out = pty.slave;
	*cmd_err = -1;
}

/* In the command's child, which leads a new session: the terminal as its
 * 0, 1 and 2 (given as its 1) and as its controlling terminal, so the
 * terminal's keys (Ctrl-C) signal its foreground group; TERM=xterm when
 * TERM is unset or empty. */
void
pty_attach(void)
{
	if (!pty.on)
		return;
	if (dup2(STDOUT_FILENO, STDIN_FILENO) < 0 ||
	    dup2(STDOUT_FILENO, STDERR_FILENO) < 0 ||
	    ioctl(STDIN_FILENO, TIOCSCTTY, 0) != 0) {
		warn("run: controlling terminal");
		_exit(EXIT_FAIL);
	}
	/* a caller with no terminal names none: programs that look for one
	 * before they colour find what docker run -t gives them */
	if (env_nonempty("TERM") == NULL && setenv("TERM", "xterm", 1) != 0)
		_exit(EXIT_FAIL);
}

static void
terminal_restore(void)
{
	if (getpid() != pty.owner || !pty.raw)
		return;
	(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &pty.saved);
	pty.raw = false;
}

/* Keys as typed reach the command's terminal, whose own modes then
 * decide (Ctrl-C is its SIGINT); ours come back at every exit. */
static void
terminal_raw(void)
{
	struct termios raw;

	/* a command started again (--watch) finds them as the first did */
	if (!pty.saved_once && tcgetattr(STDIN_FILENO, &pty.saved) != 0)
		return;
	pty.saved_once = true;
	raw = pty.saved;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
		pty.raw = true;
}

/* What the relay is doing with input on its way to the terminal. */
struct input {
	char buf[4096];
	size_t len, at;
	bool open; /* stdin may still give more */
	char last; /* the last byte passed on */
};

/* The caller's stdin ended (not a terminal): the command reads an end
 * of file as from a terminal, by its EOF key, where it reads lines. */
static void
input_end(struct input *in, int master)
{
	struct termios modes;

	in->open = false;
	if (tcgetattr(master, &modes) != 0 || !(modes.c_lflag & ICANON))
		return;
	in->len = in->at = 0;
	/* a pending partial line takes one EOF of its own */
	if (in->last != '\0' && in->last != '\n')
		in->buf[in->len++] = (char)modes.c_cc[VEOF];
	in->buf[in->len++] = (char)modes.c_cc[VEOF];
}

static void
input_read(struct input *in, int master)
{
	ssize_t n = read(STDIN_FILENO, in->buf, sizeof in->buf);

	if (n > 0) {
		in->len = (size_t)n;
		in->at = 0;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		if (pty.raw || isatty(STDIN_FILENO))
			in->open = false; /* a terminal hung up */
		else
			input_end(in, master);
	}
}

/* As much of the pending input as the terminal takes now. */
static void
input_write(struct input *in, int master)
{
	ssize_t n = write(master, in->buf + in->at, in->len - in->at);

	if (n > 0) {
		in->last = in->buf[in->at + (size_t)n - 1];
		in->at += (size_t)n;
		if (in->at == in->len)
			in->len = in->at = 0;
	} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
		in->open = false;
		in->len = in->at = 0;
	}
}

/* The caller's window changed: the command's terminal changes with it,
 * and its foreground group gets SIGWINCH from the kernel. */
static void
window_follow(int sigfd, int master)
{
	struct signalfd_siginfo info;
	struct winsize size;

	while (read(sigfd, &info, sizeof info) > 0)
		;
	if (pty.caller_tty >= 0 &&
	    ioctl(pty.caller_tty, TIOCGWINSZ, &size) == 0)
		(void)ioctl(master, TIOCSWINSZ, &size);
}

/* The terminal's output, as it comes, to the masking: 1 when it is over
 * (the last holder closed the terminal, or our reader went away), -1
 * on a failure, 0 to go on. */
static int
output_pass(int master, char *buf)
{
	ssize_t n = read(master, buf, RELAY_BUFFER);

	if (n > 0) {
		if (write_full(pty.relay_out, buf, (size_t)n) == 0)
			return 0;
		if (errno == EPIPE)
			return 1;
		warn("run: terminal output");
		return -1;
	}
	if (n == 0 || errno == EIO)
		return 1;
	if (errno == EINTR || errno == EAGAIN)
		return 0;
	warn("run: terminal");
	return -1;
}

static int
signal_fd(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAIL, "signalfd");
	return fd;
}

/*
 * The relay, a child of the run: terminal output to the masking as it
 * comes (a complete line never waits for more), the caller's stdin to
 * the terminal, the caller's window size to the terminal. It ends when
 * the last holder of the terminal closes it; or, once the run says the
 * command has ended, when the terminal has been quiet for DRAIN_MS.
 */
static int
relay_main(void *arg)
{
	struct input in = {.open = pty.forward_input};
	char *buf = malloc(RELAY_BUFFER);
	int sigfd = signal_fd(), done = 0;
	uint64_t drain_until = 0;

	(void)arg;
	if (buf == NULL)
		err(EXIT_FAIL, "memory");
	/* TERM, INT and HUP are the run's: it stops the command, and we
	 * pass on what the command wrote until the end */
	signals_ignore();
	/* a reader gone is the end of the output, not our death */
	signal(SIGPIPE, SIG_IGN);
	if (fcntl(pty.master, F_SETFL, O_NONBLOCK) != 0)
		err(EXIT_FAIL, "run: terminal");
	while (done == 0) {
		struct pollfd p[4] = {
		    {pty.master, POLLIN, 0},
		    {in.open && in.len == 0 ? STDIN_FILENO : -1, POLLIN, 0},
		    {drain_until == 0 ? pty.stop[0] : -1, POLLIN, 0},
		    {sigfd, POLLIN, 0}};
		int timeout = -1;

		if (in.len > 0)
			p[0].events |= POLLOUT;
		if (drain_until != 0) {
			uint64_t now = monotonic_ms();

			if (now >= drain_until)
				break;
			timeout = (int)(drain_until - now);
		}
		if (poll(p, 4, timeout) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_FAIL, "poll");
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			done = output_pass(pty.master, buf);
		if (done == 0 && (p[0].revents & POLLOUT))
			input_write(&in, pty.master);
		if (p[1].revents != 0)
			input_read(&in, pty.master);
		if (p[2].revents != 0)
			drain_until = monotonic_ms() + DRAIN_MS;
		if (p[3].revents != 0)
			window_follow(sigfd, pty.master);
	}
	free(buf);
	return done < 0 ? EXIT_FAIL : EXIT_OK;
}

/*
 * Once the command holds the terminal: the caller's terminal in raw mode
 * when it is our stdin and we are in its foreground, then the relay.
 * The run keeps no end of the terminal.
 */
void
pty_start(void)
{
	int keep[3];

	if (!pty.on)
		return;
	if (pty.owner == 0)
		atexit(terminal_restore);
	pty.owner = getpid();
	pty.forward_input = stdin_is_our_terminal() || !isatty(STDIN_FILENO);
	if (stdin_is_our_terminal())
		terminal_raw();
	pipe_make(pty.stop);
	keep[0] = pty.master;
	keep[1] = pty.relay_out;
	keep[2] = pty.stop[0];
	pty.relay =
	    spawn_call("secenv", relay_main, NULL, -1, -1, -1, keep, 3, false);
	fd_close(&pty.master);
	fd_close(&pty.stop[0]);
	if (pty.relay_out_ours)
		fd_close(&pty.relay_out);
	pty.slave = -1; /* closed with the command's streams */
}

/* The command has ended: the relay passes on what is left and stops. */
void
pty_stop(void)
{
	fd_close(&pty.stop[1]);
}

/* The run's wait reaped a child of ours: when it is the relay, its
 * status is kept for pty_finish(). */
void
pty_reaped(pid_t pid, int status)
{
	if (!pty.on || pid != pty.relay)
		return;
	pty.relay_reaped = true;
	pty.relay_status = shell_status(status);
}

/* Once the relay and the masking have written everything (in the raw
 * mode it was made for): the relay's status, and the caller's terminal
 * gets its modes back. */
int
pty_finish(void)
{
	int status;

	if (!pty.on || pty.relay <= 0)
		return 0;
	pty_stop();
	status = pty.relay_reaped ? pty.relay_status : wait_status(pty.relay);
	pty.relay_reaped = false;
	pty.relay = 0;
	terminal_restore();
	return status;
}
