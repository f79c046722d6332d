/* SPDX-License-Identifier: ISC */
/* One run, in order: names, guard, blob, streams, command, wait, record. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../vaultfetch/backend.h"
#include "engine.h"
#include "exitcodes.h"
#include "guard.h"
#include "paths.h"
#include "redactor.h"
#include "revoke.h"
#include "run.h"
#include "util.h"

#define DENIED_PREFIX "cmdguard: denied: "

static const struct run *cleanup_run;
static pid_t cleanup_owner, cleanup_group;

/* At exit, ours only: a forked child that dies must not take the run
 * directory with it. A run that dies while its command runs (a failed
 * fork, a running record that cannot be written) takes the command's
 * group with it: nothing runs on with output nobody masks. */
static void
cleanup(void)
{
	if (getpid() != cleanup_owner)
		return;
	if (cleanup_group > 0)
		kill(-cleanup_group, SIGKILL);
	if (cleanup_run != NULL)
		rundir_remove(cleanup_run);
}

static char *
rundir_path(const struct run *r, const char *name)
{
	return xasprintf("%s/%s", r->rundir, name);
}

/* Text for the --json object's stderr, after what is there already. */
static void
json_err_add(const struct run *r, const char *text)
{
	if (r->o->json && write_full(r->err_dest, text, strlen(text)) != 0)
		err(EXIT_FAIL, "run: stderr");
}

static int
rundir_create(const struct run *r, const char *name)
{
	char *path = rundir_path(r, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	                        O_CLOEXEC,
	              0600);

	if (fd < 0)
		err(EXIT_FAIL, "%s", path);
	free(path);
	return fd;
}

static void
elapsed(struct run *r)
{
	r->duration_ms = now_ms() - r->start_ms;
}

/* A TERM, INT or HUP that came while we were getting ready ends the run
 * before the command starts, as it would have ended any other program. */
static void
die_if_signalled(void)
{
	static const int stops[] = {SIGTERM, SIGINT, SIGHUP};
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return;
	for (size_t i = 0; i < 3; i++) {
		if (sigismember(&pending, stops[i]) == 1) {
			cleanup();
			signal(stops[i], SIG_DFL);
			child_reset();
			raise(stops[i]);
			_exit(128 + stops[i]);
		}
	}
}

/* Append record (taken) when auditing is on: 0, or auditlog's status
 * (its message is on stderr). */
static int
audit_record(const struct run *r, json_t *record)
{
	int status = 0;

	if (record == NULL)
		errx(EXIT_FAIL, "cannot encode the audit record");
	/* a run cut short by a signal says which */
	if (r->interrupted != 0)
		json_object_set_new(
		    record, "interrupted",
		    json_sprintf("SIG%s", sigabbrev_np(r->interrupted)));
	if (r->audit)
		status = audit_append(r->audit_log, record);
	json_decref(record);
	return status;
}

/* Append a record; an owner-visible failure when it cannot be. */
static void
audit_or_die(const struct run *r, json_t *record)
{
	if (audit_record(r, record) != 0)
		errx(EXIT_FAIL, "audit log %s: cannot append a record",
		     r->audit_log);
}

/*
 * 1. The guard, before anything is fetched: cmdguard's decision, made
 * here (it holds no value, and a process for it costs more than the
 * decision). A denial is printed, recorded and reported, and ends the
 * run with 1.
 */
void
guard_step(struct run *r)
{
	struct cmdguard_options o = {.action = ACT_COMMAND,
	                             .secret_names = r->names,
	                             .secret_count = r->name_count};
	struct verdict v = {0};
	char *reason;
	bool denied;
	size_t len;

	/* a broken policy reads as cmdguard's fault, with its status */
	program_invocation_short_name = "cmdguard";
	denied = cmdguard_decide(&o, r->cmdstr, strlen(r->cmdstr), &v);
	program_invocation_short_name = "secenv";
	if (!denied) {
		verdict_clear(&v);
		return;
	}
	reason = xasprintf(DENIED_PREFIX "%s", v.reason);
	verdict_clear(&v);
	len = strlen(reason);
	while (len > 0 && reason[len - 1] == '\n')
		reason[--len] = '\0';
	elapsed(r);
	r->blocked = true;
	if (r->o->json) {
		json_err_add(r, reason);
		json_err_add(r, "\n");
	} else {
		fprintf(stderr, "%s\n", reason);
	}
	audit_or_die(r, json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:i, s:I}",
	                          "event", "blocked", "project", r->o->project,
	                          "command", json_bytes(r->cmdstr), "verdict",
	                          "denied", "reason",
	                          json_bytes(reason + strlen(DENIED_PREFIX)),
	                          "secrets",
	                          json_names(r->names, r->name_count), "exit",
	                          EXIT_NO, "duration_ms",
	                          (json_int_t)r->duration_ms));
	free(reason);
	report_json(r, EXIT_NO);
	exit(EXIT_NO);
}

static void
blob_close(struct run *r)
{
	for (size_t i = 0; i < BLOB_READERS; i++) {
		if (r->blob_fd[i] >= 0)
			close(r->blob_fd[i]);
		r->blob_fd[i] = -1;
	}
}

/* Independent read descriptors of the sealed blob, one per consumer,
 * each from the start; then nobody can change it. */
void
blob_readers(struct run *r, int writer)
{
	char path[64];

	if (fcntl(writer, F_ADD_SEALS,
	          F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) !=
	    0)
		err(EXIT_FAIL, "blob: seal");
	snprintf(path, sizeof path, "/proc/self/fd/%d", writer);
	for (size_t i = 0; i < BLOB_READERS; i++)
		if ((r->blob_fd[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			err(EXIT_FAIL, "blob: %s", path);
}

/*
 * 2. The sealed blob, into a file in memory (no file system ever holds
 * it), read by each consumer on a descriptor of its own.
 */
static void
fetch_step(struct run *r)
{
	int writer = memfd_make("secenv-blob", MFD_ALLOW_SEALING), status;
	int errfd = r->o->json ? memfd_make("secenv-messages", 0) : -1;
	char *messages = NULL;
	size_t len;

	status = blob_fetch(r->o->project, writer, errfd);
	if (errfd >= 0) {
		/* vaultfetch's reason goes into the object as well */
		messages = memfd_text(errfd, &len);
		close(errfd);
		fputs(messages, stderr);
	}
	if (status == 0) {
		blob_readers(r, writer);
		close(writer);
		r->fetched = true;
		free(messages);
		return;
	}
	close(writer);
	audit_record(r, json_pack("{s:s, s:s, s:o, s:s, s:i}", "event", "error",
	                          "project", r->o->project, "command",
	                          json_bytes(r->cmdstr), "reason",
	                          "fetch failed", "exit", status));
	if (r->o->json) {
		char *last = xasprintf("secenv: run: cannot fetch the secrets "
		                       "of %s; nothing was run\n",
		                       r->o->project);

		json_err_add(r, messages);
		json_err_add(r, last);
		free(last);
		elapsed(r);
		report_json(r, status);
	}
	free(messages);
	errx(status, "run: cannot fetch the secrets of %s; nothing was run",
	     r->o->project);
}

struct streams {
	int cmd_out, cmd_err;   /* the command's 1 and 2 (-1: ours) */
	int out_read, err_read; /* their other ends, for the redacts */
	pid_t masks_pid; /* the masking process, 0 for none */
	bool masks_done; /* reaped already, with masks_status */
	int masks_status;
};

/* 3. Where the command's output goes: each stream through a masker of
 * its own (the two stay separate), or straight out with nothing to mask. */
static void
streams_prepare(struct run *r, struct streams *s)
{
	int out[2], errp[2];

	*s = (struct streams){-1, -1, -1, -1, 0, false, 0};
	if (!r->sanitize || !r->fetched) {
		s->cmd_out = r->out_dest;
		s->cmd_err = r->err_dest;
		return;
	}
	pipe_make(out);
	pipe_make(errp);
	s->cmd_out = out[1];
	s->out_read = out[0];
	s->cmd_err = errp[1];
	s->err_read = errp[0];
	r->sanitized = true;
}

struct masks_call {
	const struct run *r;
	const struct streams *s;
};

/*
 * The masking process: redact's code in a child of its own, as redact
 * would run it: it loads the values and builds the automaton once, masks
 * the command as the audit log will hold it, then the two streams, each
 * in a thread of its own (so a stalled reader of one never holds up the
 * other), and wipes everything before it exits. The run holds no value
 * at any time. TERM, INT and HUP are the run's to act on (it stops the
 * command); the masking ends when the command's output does.
 */
static int
masks_in_child(void *arg)
{
	const struct masks_call *c = arg;
	const struct run *r = c->r;
	char blob[32], *text;
	struct redact_load load = {blob, NULL, 6,
	                           r->o->hints ? FORMAT_HINTS : FORMAT_DEFAULT,
	                           true, false};
	struct redact_stats stats[2] = {{NULL, r->stats_fd[0]},
	                                {NULL, r->stats_fd[1]}};
	struct redact_stream streams[2] = {
	    {c->s->out_read, r->out_dest >= 0 ? r->out_dest : STDOUT_FILENO,
	     &stats[0], 0},
	    {c->s->err_read, r->err_dest >= 0 ? r->err_dest : STDERR_FILENO,
	     &stats[1], 0}};
	struct redactor *redactor;
	size_t len;
	int status;

	/* A Ctrl-C reaches the whole foreground group, us too: the run
	 * stops the command, and we mask what it wrote until the end. */
	signals_ignore();
	snprintf(blob, sizeof blob, "fd:%d", r->blob_fd[1]);
	redactor = redactor_load(&load);
	close(r->blob_fd[1]); /* read: no process holds the blob any more */
	text = redactor_mask_text(redactor, r->cmdstr, strlen(r->cmdstr), &len);
	if (write_full(r->text_fd, text, len) != 0)
		err(EXIT_FAIL, "command");
	free(text);
	status = redactor_mask_streams(redactor, streams, 2);
	redactor_free(redactor);
	return status;
}

/*
 * The masking process starts after the command, which has the head
 * start: its output waits in the pipes meanwhile. With nothing to mask
 * the command writes straight out.
 */
static void
streams_start(struct run *r, struct streams *s)
{
	if (r->sanitized) {
		struct masks_call c = {r, s};
		int keep[8];

		r->stats_fd[0] = memfd_make("secenv-stats", 0);
		r->stats_fd[1] = memfd_make("secenv-stats", 0);
		r->text_fd = memfd_make("secenv-command", 0);
		keep[0] = s->out_read;
		keep[1] = s->err_read;
		keep[2] = r->out_dest;
		keep[3] = r->err_dest;
		keep[4] = r->stats_fd[0];
		keep[5] = r->stats_fd[1];
		keep[6] = r->text_fd;
		keep[7] = r->blob_fd[1];
		s->masks_pid = spawn_call("redact", masks_in_child, &c, -1, -1,
		                          -1, keep, 8, false);
		close(s->out_read);
		close(s->err_read);
	}
	/* the command and the masking process hold what they need now */
	blob_close(r);
	if (s->cmd_out >= 0 && s->cmd_out != r->out_dest)
		close(s->cmd_out);
	if (s->cmd_err >= 0 && s->cmd_err != r->err_dest)
		close(s->cmd_err);
}

/*
 * 4. The command, in a new session and process group whose id is its
 * pid, so the whole group can be stopped on timeout, revoke or
 * interruption. Returns once the child has its own session (it closes
 * every descriptor it does not need right after), so the group exists
 * when anyone reads the running record.
 */
static pid_t
command_start(struct run *r, const struct streams *s)
{
	bool with_blob = r->inject && r->fetched;
	char blob_arg[32], byte;
	int ready[2];
	pid_t pid;
	ssize_t n;

	snprintf(blob_arg, sizeof blob_arg, "fd:%d", r->blob_fd[0]);
	pipe_make(ready);
	pid = command_spawn(with_blob ? blob_arg : NULL, r->o->project,
	                    r->o->as_user, r->o->minimal_env, r->argv,
	                    s->cmd_out, s->cmd_err,
	                    with_blob ? r->blob_fd[0] : -1);
	/* the child closes ready's write end once it leads its session */
	close(ready[1]);
	do
		n = read(ready[0], &byte, 1);
	while (n < 0 && errno == EINTR);
	close(ready[0]);
	return pid;
}

/* The running record revoke reads: "PGID STARTTIME". A revoke between
 * the fetch and this record would have missed us, so look again. */
static void
running_record(struct run *r, pid_t pid)
{
	char *name = xasprintf("running.%s", r->o->project);
	unsigned long long start = 0;
	char line[64];
	int fd = rundir_create(r, name), n;

	proc_start_time(pid, &start);
	n = snprintf(line, sizeof line, "%ld %llu\n", (long)pid, start);
	if (write_full(fd, line, (size_t)n) != 0 || close(fd) != 0)
		err(EXIT_FAIL, "%s", name);
	free(name);
	if (revoke_is_revoked(r->home, r->o->project) == 1)
		group_stop(pid);
}

/*
 * A masking process that ends with a failure while the command still
 * runs: the command's output could no longer be masked, so the command
 * is stopped as on a timeout. The status is kept for streams_wait().
 */
static void
masks_watch(struct streams *s, pid_t pid, uint64_t *kill_at, uint64_t now)
{
	int status;

	if (s->masks_pid == 0 || s->masks_done ||
	    waitpid(s->masks_pid, &status, WNOHANG) != s->masks_pid)
		return;
	s->masks_done = true;
	s->masks_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                                      : WEXITSTATUS(status);
	if (s->masks_status != 0) {
		kill(-pid, SIGTERM);
		if (*kill_at == 0)
			*kill_at = now + KILL_GRACE_MS;
	}
}

/*
 * 5. Wait for the command. The timeout or a TERM, INT or HUP to us
 * sends TERM to its group, then KILL after the grace period; the
 * command's own status is kept (124 for a timeout).
 */
static int
command_wait(struct run *r, struct streams *s, pid_t pid)
{
	uint64_t deadline = monotonic_ms() + (uint64_t)r->timeout_s * 1000,
	         kill_at = 0;
	sigset_t set;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);
		uint64_t now = monotonic_ms(), until;
		struct timespec wait;
		int sig;

		if (done == pid)
			break;
		if (done < 0 && errno != EINTR)
			err(EXIT_FAIL, "wait");
		masks_watch(s, pid, &kill_at, now);
		if (watch_changed(r, now)) { /* --watch: stop, start again */
			kill(-pid, SIGTERM);
			if (kill_at == 0)
				kill_at = now + KILL_GRACE_MS;
		}
		if (kill_at != 0 && now >= kill_at) {
			kill(-pid, SIGKILL);
			kill_at = 0;
		}
		if (!r->timed_out && now >= deadline) {
			r->timed_out = true;
			kill(-pid, SIGTERM);
			if (kill_at == 0)
				kill_at = now + KILL_GRACE_MS;
		}
		until = kill_at != 0 ? kill_at : r->timed_out ? now + 1000
		                                               : deadline;
		until = watch_wake(until);
		wait.tv_sec = (time_t)((until - now) / 1000);
		wait.tv_nsec = (long)((until - now) % 1000) * 1000000L;
		sig = sigtimedwait(&set, NULL, &wait);
		if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP) &&
		    r->interrupted == 0) {
			r->interrupted = sig;
			kill(-pid, SIGTERM);
			if (kill_at == 0)
				kill_at = monotonic_ms() + KILL_GRACE_MS;
		}
	}
	/* whatever the command left running in its group goes too */
	group_stop(pid);
	if (r->timed_out)
		return EXIT_TIMEOUT;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                           : WEXITSTATUS(status);
}

/* 6. The masking must have worked, or nothing more is claimed. A reader
 * that went away (as with | head) is no failure of the masking: nothing
 * was written that should not have been. */
static int
streams_wait(const struct streams *s)
{
	if (s->masks_pid == 0)
		return 0;
	return s->masks_done ? s->masks_status : wait_status(s->masks_pid);
}

/* The command as recorded: masked, when masking was on. */
static char *
recorded_command(const struct run *r)
{
	size_t len;
	char *text;

	if (!r->sanitized)
		return xstrdup(r->cmdstr);
	text = memfd_text(r->text_fd, &len);
	if (text == NULL || (len == 0 && r->cmdstr[0] != '\0')) {
		free(text);
		return xstrdup("[not recorded: the masking failed]");
	}
	return text;
}

static void
warn_to_both(const struct run *r, const char *message)
{
	warnx("%s", message);
	json_err_add(r, "secenv: ");
	json_err_add(r, message);
	json_err_add(r, "\n");
}

/* 7. One audit record of the run, then the --json object. */
static int
finish(struct run *r, int status, int redact_failed)
{
	char *command = recorded_command(r);
	json_t *record;

	r->masks = r->sanitized ? masks_read(r->stats_fd, 2) : json_object();
	if (redact_failed != 0) {
		audit_record(r, json_pack("{s:s, s:s, s:o, s:s, s:i}", "event",
		                          "error", "project", r->o->project,
		                          "command", json_bytes(command),
		                          "reason", "redact failed", "exit",
		                          EXIT_FAIL));
		free(command);
		errx(EXIT_FAIL,
		     "run: redact failed (status %d); output may be incomplete",
		     redact_failed);
	}
	record = json_pack(
	    "{s:s, s:s, s:o, s:s, s:i, s:I, s:o, s:O, s:b}", "event", "run",
	    "project", r->o->project, "command", json_bytes(command),
	    "verdict", "allowed", "exit", status, "duration_ms",
	    (json_int_t)r->duration_ms, "secrets",
	    json_names(r->names, r->fetched && r->inject ? r->name_count : 0),
	    "masks", r->masks, "timed_out", r->timed_out);
	if (record != NULL && r->o->as_user != NULL)
		json_object_set_new(record, "user", json_bytes(r->o->as_user));
	if (record != NULL && r->o->pty)
		json_object_set_new(record, "pty", json_true());
	if (audit_record(r, record) != 0) {
		warnx("run: audit log %s: cannot append the record of this run",
		      r->audit_log);
		status = EXIT_FAIL;
	}
	free(command);
	report_json(r, status);
	return status;
}

int
run_main(const struct run_options *o)
{
	/* the run's state lives as long as the process: every exit, from
	 * any step, finds it where it was */
	static struct run r;
	struct streams s;
	pid_t pid;
	int status, redact_failed, status_pty;

	r.o = o;
	r.out_dest = r.err_dest = -1;
	for (size_t i = 0; i < BLOB_READERS; i++)
		r.blob_fd[i] = -1;
	r.stats_fd[0] = r.stats_fd[1] = r.text_fd = -1;
	settings_check(&r);
	command_string(&r);
	r.start_ms = now_ms();
	audit_log_find(r.home, r.audit_log);
	if (r.audit)
		audit_precheck(r.audit_log);
	signals_block();
	rundir_make(&r);
	cleanup_run = &r;
	cleanup_owner = getpid();
	atexit(cleanup);
	if (o->json) {
		/* the streams, masked, for the object at the end */
		r.out_dest = memfd_make("secenv-stdout", 0);
		r.err_dest = memfd_make("secenv-stderr", 0);
	}
	/* before the children, which inherit that it was said */
	backend_vault_url_notice(NULL);
	if ((r.guard || r.inject || r.sanitize || r.audit) &&
	    (status = names_load(o->project, &r.names, &r.name_count)) != 0)
		exit(status);
	if (r.guard)
		guard_step(&r);
	if ((r.inject || r.sanitize) && r.name_count > 0)
		fetch_step(&r);
	watch_begin(&r);
	die_if_signalled();
restart: /* --watch: the same steps for the command started again */
	streams_prepare(&r, &s);
	if (o->pty)
		pty_prepare(&r, &s.cmd_out, &s.cmd_err);
	pid = command_start(&r, &s);
	cleanup_group = pid;
	streams_start(&r, &s);
	pty_start();
	running_record(&r, pid);
	status = command_wait(&r, &s, pid);
	cleanup_group = 0;
	pty_stop(); /* --pty: the relay passes on what is left */
	redact_failed = streams_wait(&s);
	status_pty = pty_finish(); /* --pty: the caller's modes back */
	if (redact_failed == 0)
		redact_failed = status_pty;
	if (watch_restart(&r, status, redact_failed))
		goto restart;
	elapsed(&r);
	if (r.timed_out) {
		char *m = xasprintf("run: timed out after %us; the command's "
		                    "process group was killed",
		                    r.timeout_s);

		warn_to_both(&r, m);
		free(m);
	}
	if (r.interrupted != 0 && !r.timed_out)
		warnx("run: interrupted by SIG%s; the command's process group "
		      "was stopped",
		      sigabbrev_np(r.interrupted));
	return finish(&r, status, redact_failed);
}
