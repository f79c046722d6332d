/* SPDX-License-Identifier: ISC */
/* Tool calls as child processes: start one, gather what it writes, stop it. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mcp.h"
#include "paths.h"
#include "util.h"

/* The client's name and version, as a JSON object for the record. */
static char *
client_json(const struct mcp_client *client)
{
	json_t *obj = json_object();
	char *text;

	if (client->name != NULL)
		json_object_set_new(obj, "name", json_string(client->name));
	if (client->version != NULL)
		json_object_set_new(obj, "version", json_string(client->version));
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (text == NULL)
		errx(EXIT_FAIL, "cannot encode the client's name");
	return text;
}

/* In the child, before the exec: its own process group, stopped with
 * the server, the default signals, the output to our pipes. */
static _Noreturn void
child_exec(char *const argv[], const char *cwd, int out, int errfd,
           const char *client, pid_t server)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != server) /* the server died before that */
		_exit(EXIT_FAIL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(errfd, STDERR_FILENO) < 0)
		_exit(EXIT_FAIL);
	if (cwd != NULL && chdir(cwd) != 0) {
		warn("chdir %s", printable(cwd));
		_exit(EXIT_FAIL);
	}
	if (setenv("SECENV_AUDIT_VIA", "mcp", 1) != 0 ||
	    setenv("SECENV_AUDIT_CLIENT", client, 1) != 0)
		_exit(EXIT_FAIL);
	if (strchr(argv[0], '/') != NULL)
		execv(argv[0], argv);
	else
		execvp(argv[0], argv);
	warn("%s", printable(argv[0]));
	_exit(errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/*
 * Start one call: argv[0] a program (a path, or a name on PATH), in
 * cwd (NULL: ours), stdin /dev/null, stdout and stderr to two pipes
 * that the server's poll loop reads. NULL with a message when it
 * cannot be started.
 */
struct mcp_call *
call_start(const struct mcp_config *c, enum mcp_tool tool,
           char *const argv[], const char *cwd,
           const struct mcp_client *client)
{
	int out[2], errp[2];
	char *who = client_json(client);
	struct mcp_call *call;
	pid_t pid, server = getpid();

	(void)c;
	if (pipe2(out, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(errp, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		goto fail;
	}
	if (pid == 0)
		child_exec(argv, cwd, out[1], errp[1], who, server);
	setpgid(pid, pid); /* either of us may win the race */
	close(out[1]);
	close(errp[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	call = xcalloc(1, sizeof *call);
	call->tool = tool;
	call->pid = pid;
	call->out_fd = out[0];
	call->err_fd = errp[0];
	call->client = who;
	return call;
fail:
	warn("cannot start %s", printable(argv[0]));
	free(who);
	return NULL;
}

/* Keep what fd has for us now; EOF closes it. Past the limit, what
 * comes is read and dropped, so the child never blocks on us. */
void
call_read(struct mcp_call *call, int fd)
{
	bool is_out = fd == call->out_fd;
	char **buf = is_out ? &call->out : &call->err;
	size_t *len = is_out ? &call->out_len : &call->err_len;
	size_t *size = is_out ? &call->out_size : &call->err_size;
	char scratch[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, scratch, sizeof scratch);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		if (*len + (size_t)n > MCP_CHILD_OUTPUT_MAX) {
			call->too_big = true;
			continue;
		}
		if (*len + (size_t)n + 1 > *size) {
			size_t want = *size ? *size : 65536;
			while (want < *len + (size_t)n + 1)
				want *= 2;
			*buf = realloc(*buf, want);
			if (*buf == NULL)
				errx(EXIT_FAIL, "out of memory");
			*size = want;
		}
		memcpy(*buf + *len, scratch, (size_t)n);
		*len += (size_t)n;
		(*buf)[*len] = '\0';
	}
	close(fd);
	if (is_out)
		call->out_fd = -1;
	else
		call->err_fd = -1;
}

/*
 * notifications/cancelled: no answer will be sent. A run gets TERM
 * itself: secenv-run passes it to the command's process group (TERM,
 * then KILL) and records the run as interrupted; another call's whole
 * group gets TERM.
 */
void
call_cancel(struct mcp_call *call)
{
	if (call->cancelled || call->exited)
		return;
	call->cancelled = true;
	if (call->tool == TOOL_RUN_COMMAND)
		kill(call->pid, SIGTERM);
	else
		kill(-call->pid, SIGTERM);
}

void
call_free(struct mcp_call *call)
{
	if (call == NULL)
		return;
	if (call->out_fd >= 0)
		close(call->out_fd);
	if (call->err_fd >= 0)
		close(call->err_fd);
	json_decref(call->id);
	free(call->client);
	free(call->out);
	free(call->err);
	free(call->subject);
	free(call);
}

/* A switch as secenv-run reads it: on unless 0, false, no or off. */
static bool
auditing(void)
{
	const char *value = env_nonempty("AUDIT_SECRET_ACCESS");
	static const char *const off[] = {"0", "false", "no", "off"};

	for (size_t i = 0; value != NULL && i < 4; i++)
		if (strcasecmp(value, off[i]) == 0)
			return false;
	return true;
}

/*
 * A cancelled call is recorded by the server too: a "cancel" record with
 * the tool, the request's id, via and the client (a run cut short also
 * has its own record, "interrupted"; a run stopped before its command
 * started has none). A failure to append is reported on stderr.
 */
void
call_record_cancel(const struct mcp_config *c, const struct mcp_call *call)
{
	static const char *const tools[] = {"run_command", "read_file",
	                                    "list_secrets"};
	const char *log = env_nonempty("SECENV_AUDIT_LOG");
	char *path, *id, *argv[12];
	int status = 0;
	pid_t pid;

	if (!auditing())
		return;
	path = log ? xstrdup(log) : xasprintf("%s/audit.log", secenv_home());
	id = json_dumps(call->id, JSON_ENCODE_ANY | JSON_COMPACT);
	argv[0] = program_path("auditlog");
	argv[1] = "append";
	argv[2] = "-f";
	argv[3] = path;
	argv[4] = "event=cancel";
	argv[5] = xasprintf("project=%s", c->project);
	argv[6] = xasprintf("tool=%s", tools[call->tool]);
	argv[7] = xasprintf("request:=%s", id ? id : "null");
	argv[8] = xasprintf("exit:=%d", call->status);
	argv[9] = "via=mcp";
	argv[10] = xasprintf("client:=%s", call->client);
	argv[11] = NULL;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		execvp(argv[0], argv);
		warn("%s", printable(argv[0]));
		_exit(EXIT_NOEXEC);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		warnx("audit log %s: cannot append the record of a cancelled "
		      "call",
		      printable(path));
	free(argv[0]);
	for (size_t i = 5; i <= 10; i++)
		if (i != 9)
			free(argv[i]);
	free(id);
	free(path);
}
