/* SPDX-License-Identifier: ISC */
/* The server's loop: lines from stdin, the calls' pipes, the signals, in one poll. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mcp.h"
#include "util.h"

static int signal_pipe[2] = {-1, -1};

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char byte = (unsigned char)sig;

	(void)!write(signal_pipe[1], &byte, 1);
	errno = saved;
}

static void
signals_setup(void)
{
	struct sigaction sa;

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		err(EXIT_FAIL, "pipe");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a client gone is an error to report */
}

/* The loop's state. */
struct server {
	const struct mcp_config *c;
	struct mcp_session session;
	struct mcp_call *calls;
	char *line;       /* the incoming line so far */
	size_t line_len, line_size;
	bool discarding;  /* the line outgrew message_max: skip to its end */
	bool input_done;  /* stdin at EOF, or a signal to stop */
};

static void
message_handle(struct server *sv, const char *text, size_t len)
{
	struct mcp_message m;
	struct mcp_call *started;
	json_t *answer;

	mcp_message_parse(text, len, sv->c->message_max, &m);
	answer = protocol_handle(sv->c, &sv->session, &m, &sv->calls, &started);
	if (started != NULL) {
		started->next = sv->calls;
		sv->calls = started;
	}
	if (answer != NULL)
		rpc_send(answer);
	mcp_message_free(&m);
}

static void
line_too_large(struct server *sv)
{
	char *message = xasprintf("invalid request: message too large (the "
	                          "limit is %zu bytes)",
	                          sv->c->message_max);

	rpc_send(rpc_error(NULL, RPC_INVALID_REQUEST, message, NULL));
	free(message);
}

/* Whatever stdin has: each complete line is one message. */
static void
input_read(struct server *sv)
{
	char chunk[65536];
	ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (n < 0)
			warn("stdin");
		if (sv->discarding)
			line_too_large(sv);
		else if (sv->line_len > 0)
			message_handle(sv, sv->line, sv->line_len);
		sv->input_done = true;
		return;
	}
	for (ssize_t i = 0; i < n;) {
		char *nl = memchr(chunk + i, '\n', (size_t)(n - i));
		size_t take = nl ? (size_t)(nl - (chunk + i)) : (size_t)(n - i);

		if (!sv->discarding && sv->line_len + take > sv->c->message_max) {
			sv->discarding = true;
			sv->line_len = 0;
		}
		if (!sv->discarding) {
			if (sv->line_len + take + 1 > sv->line_size) {
				size_t want = sv->line_size ? sv->line_size : 65536;
				while (want < sv->line_len + take + 1)
					want *= 2;
				sv->line = realloc(sv->line, want);
				if (sv->line == NULL)
					errx(EXIT_FAIL, "out of memory");
				sv->line_size = want;
			}
			memcpy(sv->line + sv->line_len, chunk + i, take);
			sv->line_len += take;
		}
		i += (ssize_t)take;
		if (nl == NULL)
			break;
		i++; /* the newline */
		if (sv->discarding)
			line_too_large(sv);
		else
			message_handle(sv, sv->line, sv->line_len);
		sv->discarding = false;
		sv->line_len = 0;
	}
}

static void
calls_cancel_all(struct server *sv)
{
	for (struct mcp_call *call = sv->calls; call != NULL; call = call->next)
		call_cancel(call);
}

static void
children_reap(struct server *sv)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct mcp_call *call = sv->calls; call; call = call->next) {
			if (call->pid != pid)
				continue;
			call->exited = true;
			call->status = WIFEXITED(status)
			                   ? WEXITSTATUS(status)
			                   : 128 + WTERMSIG(status);
		}
	}
}

static void
signals_read(struct server *sv)
{
	unsigned char sig;

	while (read(signal_pipe[0], &sig, 1) == 1) {
		if (sig == SIGCHLD) {
			children_reap(sv);
			continue;
		}
		if (!sv->input_done)
			warnx("SIG%s: stopping the calls in flight",
			      sigabbrev_np(sig));
		sv->input_done = true;
		calls_cancel_all(sv);
	}
}

/* A call whose child has exited: what is left in its pipes is all it
 * wrote (a writer blocks until we read), so read it, answer, forget. */
static void
call_finish(struct server *sv, struct mcp_call *call)
{
	json_t *r;

	if (call->out_fd >= 0)
		call_read(call, call->out_fd);
	if (call->err_fd >= 0)
		call_read(call, call->err_fd);
	if (call->err_len > 0) /* the steps' messages: diagnostics */
		(void)!write(STDERR_FILENO, call->err, call->err_len);
	if (call->cancelled) {
		char *id = json_dumps(call->id, JSON_ENCODE_ANY | JSON_COMPACT);
		warnx("call %s stopped (status %d); not answered, as it was "
		      "cancelled",
		      id ? printable(id) : "?", call->status);
		free(id);
		call_record_cancel(sv->c, call);
		return;
	}
	r = tools_result(sv->c, call);
	if (call->stateless)
		result_mark_stateless(r);
	rpc_send(rpc_result(call->id, r));
}

static void
calls_finish(struct server *sv)
{
	struct mcp_call **link = &sv->calls;

	while (*link != NULL) {
		struct mcp_call *call = *link;
		if (!call->exited) {
			link = &call->next;
			continue;
		}
		*link = call->next;
		call_finish(sv, call);
		call_free(call);
	}
}

/* stdin, the signal pipe, and each call's two pipes. */
static size_t
fds_fill(struct server *sv, struct pollfd **fds, size_t *size,
         struct mcp_call ***owners)
{
	size_t n = 0, want = 2;

	for (struct mcp_call *call = sv->calls; call; call = call->next)
		want += 2;
	if (want > *size) {
		*fds = realloc(*fds, want * sizeof **fds);
		*owners = realloc(*owners, want * sizeof **owners);
		if (*fds == NULL || *owners == NULL)
			errx(EXIT_FAIL, "out of memory");
		*size = want;
	}
	(*fds)[n] = (struct pollfd){.fd = signal_pipe[0], .events = POLLIN};
	(*owners)[n++] = NULL;
	if (!sv->input_done) {
		(*fds)[n] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
		(*owners)[n++] = NULL;
	}
	for (struct mcp_call *call = sv->calls; call; call = call->next) {
		int both[2] = {call->out_fd, call->err_fd};
		for (int i = 0; i < 2; i++) {
			if (both[i] < 0)
				continue;
			(*fds)[n] = (struct pollfd){.fd = both[i], .events = POLLIN};
			(*owners)[n++] = call;
		}
	}
	return n;
}

/* Serve until stdin ends and every call has been answered, or until a
 * TERM, INT or HUP, which stops the calls in flight. */
int
server_run(const struct mcp_config *c)
{
	struct server sv = {.c = c};
	struct pollfd *fds = NULL;
	struct mcp_call **owners = NULL;
	size_t size = 0, n;

	signals_setup();
	while (!sv.input_done || sv.calls != NULL) {
		n = fds_fill(&sv, &fds, &size, &owners);
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_FAIL, "poll");
		}
		for (size_t i = 0; i < n; i++) {
			if (fds[i].revents == 0)
				continue;
			if (fds[i].fd == signal_pipe[0])
				signals_read(&sv);
			else if (owners[i] == NULL)
				input_read(&sv);
			else if (owners[i]->out_fd == fds[i].fd ||
			         owners[i]->err_fd == fds[i].fd)
				call_read(owners[i], fds[i].fd);
		}
		children_reap(&sv);
		calls_finish(&sv);
	}
	free(fds);
	free(owners);
	free(sv.line);
	session_free(&sv.session);
	return EXIT_OK;
}
