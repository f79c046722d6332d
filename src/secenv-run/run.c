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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../vaultfetch/backend.h"
#include "engine.h"
#include "exitcodes.h"
#include "guard.h"
#include "keys.h"
#include "paths.h"
#include "redactor.h"
#include "revoke.h"
#include "run.h"
#include "util.h"

#define DENIED_PREFIX "cmdguard: denied: "

static char *recorded_command(const struct run *r);
static pid_t command_joined(struct run *r, pid_t pid);

static struct run *cleanup_run;
static pid_t cleanup_owner;
/* the command's group once it is started: its pid, -1 while only its
 * child knows it (started by the masking process) */
static pid_t cleanup_group;

/* How long a command's child that was never released may take to end
 * at its closed gate before it is killed as any other. */
#define GATE_END_MS 2000

/*
 * A run that ends before it released its command (its intent or running
 * record failed, a signal came) closes the gate: the child, which gets
 * its environment ready meanwhile, ends by itself there, without its
 * exec, once that is done. Killed instead, it could die inside an
 * allocation in the masking process's memory, holding its secure
 * memory's lock, and masking would stop with a line of its own. Whether
 * the child ended (reaped; its group then holds nothing to kill);
 * false when it was released, or has not ended within GATE_END_MS.
 */
static bool
command_unreleased_end(struct run *r, pid_t pid)
{
	struct timespec nap = {0, 1000000};
	int status;
	pid_t got = 0;

	if (r->command_gate < 0)
		return false;
	fd_close(&r->command_gate);
	for (long waited = 0; waited <= GATE_END_MS; waited++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got != 0)
			break;
		nanosleep(&nap, NULL);
	}
	return got == pid;
}

/* At exit, ours only: a forked child that dies must not take the run
 * directory with it. A run that dies while its command runs (a failed
 * fork) takes the command's group with it, one whose command was not
 * released yet (a running record that cannot be written) after letting
 * it end at its gate (command_unreleased_end): nothing runs on with
 * output nobody masks. One that ends
 * before its command started (a denial, a failed fetch) dismisses the
 * keeper, which has nothing to stop, and removes the empty cgroup: no
 * process of it outlives it. The cgroup is removed once what was killed
 * has left it: the keeper may not be there to do it (auditlog's code
 * ends it when an append fails, as the intent record's can). */
static void
cleanup(void)
{
	if (getpid() != cleanup_owner || cleanup_run == NULL)
		return;
	/* a command's child still joining is waited for: then the kill
	 * reaches it in its cgroup, and no cgroup is left to it */
	pid_t group =
	    cleanup_group != 0 ? command_joined(cleanup_run, cleanup_group) : 0;

	if (group > 0) {
		if (!command_unreleased_end(cleanup_run, group))
			kill(-group, SIGKILL);
		tracker_signal(&cleanup_run->track, SIGKILL);
	} else if (cleanup_run->track.keeper > 0) {
		tracker_keeper_dismiss(&cleanup_run->track);
	}
	tracker_close(&cleanup_run->track);
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

	if (memfd_seal(writer) != 0)
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
fetch_step(struct run *r, struct secrets_source *src)
{
	int writer = r->blob_writer, status;
	int errfd = r->fetch_errfd;
	char *messages = NULL;
	size_t len;

	r->blob_writer = r->fetch_errfd = -1;
	status = source_fetch(src);
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
	int said_read;   /* EOF once it masked the command, or -1 */
	int start;       /* where the command's descriptors go to the
	                  * masking process, which starts it; or -1 */
	int done_read;   /* its status once it masked the streams, or -1 */
	bool masks_done; /* said its status or reaped, with masks_status */
	int masks_status;
};

/* 3. Where the command's output goes: each stream through a masker of
 * its own (the two stay separate), or straight out with nothing to mask. */
static void
streams_prepare(struct run *r, struct streams *s)
{
	int out[2], errp[2];

	*s = (struct streams){-1, -1, -1, -1, 0, -1, -1, -1, false, 0};
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

/* Nothing was fetched after all: what masks_early made goes. */
static void
streams_unmade(struct run *r, struct streams *s)
{
	fd_close(&s->cmd_out);
	fd_close(&s->cmd_err);
	fd_close(&s->out_read);
	fd_close(&s->err_read);
	fd_close(&s->said_read);
	fd_close(&s->done_read);
	fd_close(&s->start);
	fd_close(&r->stats_fd[0]);
	fd_close(&r->stats_fd[1]);
	fd_close(&r->text_fd);
	r->sanitized = false;
}

struct masks_call {
	const struct run *r;
	const struct streams *s;
	int said; /* closed once the command is masked for the record */
	int done; /* its status once the streams are masked */
	pid_t run; /* the run, told with a SIGUSR1 that it was said */
	int blob; /* what it loads the values from (closed once read) */
	int start; /* the command's descriptors come here (command_shared) */
	int cmd_out, cmd_err; /* the command's ends of the pipes, for it */
	int keep[12], kept;   /* what it holds besides 0, 1 and 2 */
};

/*
 * The streams are masked and written: the run hears the status now and
 * goes on to its record while this process wipes what it holds and
 * exits. The caller's streams are let go first, so a reader of them sees
 * their end as soon as the run's, not once the wiping is over.
 */
static void
masks_done_tell(const struct masks_call *c, int status)
{
	unsigned char byte = (unsigned char)status;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (write_full(c->done, &byte, 1) == 0 && getppid() == c->run)
		kill(c->run, SIGUSR1);
	close(c->done);
}

/* The command to start, with blob_arg ("fd:N") or without (NULL). */
static struct command_spec
command_spec_of(const struct run *r, const char *blob_arg)
{
	return (struct command_spec){blob_arg,      r->o->project,
	                             r->o->as_user, r->o->minimal_env,
	                             r->argv,       r->argv_path};
}

/* What the run hands the masking process for the command: its ready
 * and gate pipes' ends and its standard input, then its blob reader and
 * its cgroup's cgroup.procs, each when there is one, in that order. */
struct command_fds {
	bool blob, procs;
};

/*
 * In the masking process, once: the command, started from here in our
 * memory (command_shared), so the run makes no copy of its own for it.
 * It is the run's child all the same; it reads the blob itself, as
 * envinject does, and executes with nothing of our memory. Without a
 * word from the run (it ended, or died), nothing starts. The command's
 * ends of the pipes are let go either way: our inputs end with it.
 */
static void
command_from_masker(struct masks_call *c)
{
	const struct run *r = c->r;
	struct command_fds h;
	int fds[FDS_MAX];
	size_t n = 0;
	char blob_arg[32];

	if (c->start < 0)
		return;
	if (fds_receive(c->start, &h, sizeof h, fds, &n) == sizeof h &&
	    n == 3 + (size_t)h.blob + (size_t)h.procs) {
		struct tracker t = {.procs_fd = h.procs ? fds[n - 1] : -1,
		                    .run_pid = c->run};
		struct command_spec spec =
		    command_spec_of(r, h.blob ? blob_arg : NULL);

		snprintf(blob_arg, sizeof blob_arg, "fd:%d",
		         h.blob ? fds[3] : -1);
		if (command_spawn(&spec, fds[2], c->cmd_out, c->cmd_err,
		                  h.blob ? fds[3] : -1, &t, fds[0], fds[1],
		                  true) < 0)
			warn("run: cannot start the command");
	}
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	fd_close(&c->start);
	fd_close(&c->cmd_out);
	fd_close(&c->cmd_err);
	/* the command's child spoke as envinject, in our memory */
	program_invocation_short_name = "redact";
	program_invocation_name = "redact";
}

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
	struct masks_call *c = arg;
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
	struct redact_streams *ready;
	size_t len;
	int status, inputs[2] = {c->s->out_read, c->s->err_read};

	/* A Ctrl-C reaches the whole foreground group, us too: the run
	 * stops the command, and we mask what it wrote until the end; the
	 * run's SIGUSR2 ends the masking where it is. */
	program_invocation_short_name = "redact";
	program_invocation_name = "redact";
	signals_ignore();
	masks_stop_arm(inputs, 2);
	/* without auditing the command starts first and runs while the
	 * values load: its output waits in the pipes */
	if (!r->audit)
		command_from_masker(c);
	snprintf(blob, sizeof blob, "fd:%d", c->blob);
	redactor = redactor_load(&load);
	close(c->blob); /* read: no process holds the blob any more */
	text = redactor_mask_text(redactor, r->cmdstr, strlen(r->cmdstr), &len);
	if (write_full(r->text_fd, text, len) != 0)
		err(EXIT_FAIL, "command");
	free(text);
	close(c->said);
	/* the intent record holds the command masked: it starts after.
	 * Its child starts at once: made ready before it, the streams
	 * delayed it, and a run whose intent append failed then killed it
	 * more often while it made its environment in our memory, holding
	 * our secure memory's lock (seen once in CI) */
	command_from_masker(c);
	/* kept since the fetch, for the blob's opening here and in the
	 * command's child (ours until its exec): not needed after */
	keys_drop_worker();
	masks_stop_start();
	ready = redactor_streams_ready(redactor, streams, 2);
	status = redactor_streams_mask(ready);
	/* said before the memory is given back, which the run need not
	 * wait for */
	masks_done_tell(c, status);
	redactor_streams_free(ready);
	redactor_free(redactor);
	return status;
}

/*
 * Whether the masking process starts the command (command_from_masker):
 * a fork of the run costs a copy of its page tables and copy-on-write
 * faults on both sides after, which on a machine where a page fault is
 * dear is much of a run. Not with --pty (the terminal is the run's,
 * made after the masking process) or --as (looking up a user may load
 * a library, which a child in another's memory must not).
 */
static bool
command_shared(const struct run *r)
{
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer cannot follow a child onto a stack of its own
	 * (it warns, on the command's stderr): such a build forks */
	(void)r;
	return false;
#else
	return !r->o->pty && r->o->as_user == NULL;
#endif
}

/* What the masking process holds: its pipes, the files in memory it
 * writes the counts and the masked command to, the pipe it closes once
 * the command is masked, and the blob (set by the caller). */
static void
masks_files(struct run *r, struct streams *s, struct masks_call *c)
{
	int said[2], done[2];

	*c =
	    (struct masks_call){r, s, -1, -1, getpid(), -1, -1, -1, -1, {0}, 0};
	r->stats_fd[0] = memfd_make("secenv-stats", 0);
	r->stats_fd[1] = memfd_make("secenv-stats", 0);
	r->text_fd = memfd_make("secenv-command", 0);
	pipe_make(said);
	c->said = said[1];
	s->said_read = said[0];
	pipe_make(done);
	if (fcntl(done[0], F_SETFL, O_NONBLOCK) != 0)
		err(EXIT_FAIL, "run: pipe");
	c->done = done[1];
	s->done_read = done[0];
	c->keep[c->kept++] = s->out_read;
	c->keep[c->kept++] = s->err_read;
	c->keep[c->kept++] = r->out_dest;
	c->keep[c->kept++] = r->err_dest;
	c->keep[c->kept++] = r->stats_fd[0];
	c->keep[c->kept++] = r->stats_fd[1];
	c->keep[c->kept++] = r->text_fd;
	c->keep[c->kept++] = said[1];
	c->keep[c->kept++] = done[1];
	if (command_shared(r)) {
		int start[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		               start) != 0)
			err(EXIT_FAIL, "run: socketpair");
		s->start = start[0];
		c->keep[c->kept++] = c->start = start[1];
		c->keep[c->kept++] = c->cmd_out = s->cmd_out;
		c->keep[c->kept++] = c->cmd_err = s->cmd_err;
	}
}

/* The masking process is forked: the run keeps none of its ends. */
static void
masks_forked(struct streams *s, struct masks_call *c, pid_t pid)
{
	s->masks_pid = pid;
	fd_close(&s->out_read);
	fd_close(&s->err_read);
	fd_close(&c->said);
	fd_close(&c->done);
	fd_close(&c->start);
}

/* The masking process when the vaultfetch child becomes it
 * (source_then): the blob is the child's own reader of what it wrote. */
static int
masks_after_fetch(void *arg, int blob)
{
	struct masks_call *c = arg;

	c->blob = blob;
	return masks_in_child(c);
}

/*
 * With sanitisation on, the vaultfetch child of the run goes on as its
 * first masking process once it fetched (source_then): one process to
 * start and end less, and the masking starts as soon as the blob is
 * there. Its pipes and files are made before it, as if for a fetch
 * that works; streams_unmade() takes them back when nothing is fetched.
 * Not for a backend this build does not link (its fetch replaces the
 * child with the full vaultfetch). False when not.
 */
static bool
masks_early(struct run *r, struct streams *s, struct masks_call *c,
            struct source_then *then)
{
	if (!r->sanitize || !source_can_go_on())
		return false;
	r->fetched = true; /* as streams_prepare will find it */
	streams_prepare(r, s);
	r->fetched = false;
	masks_files(r, s, c);
	*then = (struct source_then){masks_after_fetch,
	                             c,
	                             fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3),
	                             fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3),
	                             c->keep,
	                             (size_t)c->kept};
	if (then->out < 0 || then->err < 0)
		err(EXIT_FAIL, "run: dup");
	return true;
}

/*
 * The masking process starts before the command: the intent record
 * holds the command as it masks it (streams_said waits for that, while
 * the run makes ready what else the command needs). The command's
 * output waits in the pipes until it reads them. With nothing to mask
 * the command writes straight out. The first one is usually started
 * already: the vaultfetch child went on as it (masks_early).
 */
static void
streams_start(struct run *r, struct streams *s)
{
	struct masks_call c;

	if (!r->sanitized || s->masks_pid != 0)
		return;
	masks_files(r, s, &c);
	c.blob = c.keep[c.kept++] = r->blob_fd[1];
	masks_forked(s, &c,
	             spawn_call("redact", masks_in_child, &c, -1, -1, -1,
	                        c.keep, (size_t)c.kept, false));
}

/* The command is masked for the record (or the masking died) when its
 * pipe ends. */
static void
streams_said(struct streams *s)
{
	char byte;

	if (s->said_read < 0)
		return;
	while (read(s->said_read, &byte, 1) < 0 && errno == EINTR)
		;
	close(s->said_read);
	s->said_read = -1;
}

/* Once the command runs, it and the masking process hold what they
 * need; the run holds no end of their pipes and no blob. */
static void
streams_handed(struct run *r, struct streams *s)
{
	blob_close(r);
	if (s->cmd_out >= 0 && s->cmd_out != r->out_dest)
		close(s->cmd_out);
	if (s->cmd_err >= 0 && s->cmd_err != r->err_dest)
		close(s->cmd_err);
}

/* The command's tracker (its cgroup, or the run as subreaper) and the
 * keeper that appends the run's records and stops what the command
 * left behind if the run dies. */
static void
tracker_begin(struct run *r)
{
	tracker_open(&r->track);
	tracker_keeper_start(&r->track, r);
}

/* The terminal feeder: the caller's terminal, read here, reaches the
 * command as bytes on a pipe, never as a descriptor it could write to
 * or take as its controlling terminal. */
static int
feed_in_child(void *arg)
{
	char buf[4096];
	ssize_t n;

	(void)arg;
	signals_ignore();
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_full(STDOUT_FILENO, buf, (size_t)n) != 0)
			break;
	}
	return EXIT_OK;
}

/* The command's standard input: /dev/null with -n; a pipe fed from a
 * terminal; anything else (a pipe, a file, /dev/null) as it is, -1. */
static int
stdin_for_command(const struct run *r, pid_t *feeder)
{
	int fds[2], fd;

	*feeder = 0;
	if (r->o->null_stdin) {
		if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
			err(EXIT_FAIL, "/dev/null");
		return fd;
	}
	/* --pty: the terminal is the command's stdin, the relay feeds it */
	if (!isatty(STDIN_FILENO) || r->o->pty)
		return -1;
	pipe_make(fds);
	*feeder = spawn_call("secenv", feed_in_child, NULL, -1, fds[1], -1,
	                     NULL, 0, false);
	close(fds[1]);
	return fds[0];
}

/* The command may execute now (its intent record, when there is one,
 * is synced). */
static void
command_release(struct run *r)
{
	if (r->command_gate < 0)
		return;
	/* a command that ended before its exec ends as it did */
	(void)!write(r->command_gate, "g", 1);
	fd_close(&r->command_gate);
}

/*
 * 4. The command, in a new session and process group whose id is its
 * pid, with no controlling terminal, in the run's cgroup when there is
 * one, so all it starts can be stopped on timeout, revoke or
 * interruption. It joins them, and gets ready (its blob opened, its
 * environment built), while the masking process builds its automaton
 * and the intent record is written; command_joined() waits for the
 * first, so session and cgroup exist when anyone reads the running
 * record, and it executes the command only once command_release() says
 * so.
 */
static pid_t
command_start(struct run *r, struct streams *s, pid_t *feeder)
{
	bool with_blob = r->inject && r->fetched;
	char blob_arg[32];
	int ready[2], gate[2], in = stdin_for_command(r, feeder);
	struct command_spec spec =
	    command_spec_of(r, with_blob ? blob_arg : NULL);
	pid_t pid = 0;

	snprintf(blob_arg, sizeof blob_arg, "fd:%d", r->blob_fd[0]);
	pipe_make(ready);
	pipe_make(gate);
	if (s->start >= 0) {
		struct command_fds h = {with_blob, r->track.procs_fd >= 0};
		int fds[5] = {ready[1], gate[0], in >= 0 ? in : STDIN_FILENO};
		size_t n = 3;

		if (h.blob)
			fds[n++] = r->blob_fd[0];
		if (h.procs)
			fds[n++] = r->track.procs_fd;
		/* a masking process that is gone starts nothing: the ready
		 * pipe ends without a word, and command_joined() says so */
		(void)fds_send(s->start, &h, sizeof h, fds, n);
		fd_close(&s->start);
	} else {
		pid = command_spawn(&spec, in, s->cmd_out, s->cmd_err,
		                    with_blob ? r->blob_fd[0] : -1, &r->track,
		                    ready[1], gate[0], false);
	}
	close(ready[1]);
	close(gate[0]);
	r->command_gate = gate[1];
	r->command_ready = ready[0];
	if (in >= 0)
		close(in);
	return pid;
}

/* The command's child is in its session and cgroup (or could not join
 * the cgroup: it is followed as a subreaper then), or is gone; the
 * tracker learns it (the keeper from tracker_keeper_tell()). Its pid:
 * pid, or else (started by the masking process) what it said, 0 when
 * it said nothing. */
static pid_t
command_joined(struct run *r, pid_t pid)
{
	struct command_ready ready = {0, -1};
	ssize_t n;

	if (r->command_ready < 0)
		return r->track.leader;
	do
		n = read(r->command_ready, &ready, sizeof ready);
	while (n < 0 && errno == EINTR);
	fd_close(&r->command_ready);
	if (n != sizeof ready)
		ready.joined = -1; /* gone before it said */
	else if (pid <= 0)
		pid = ready.pid;
	if (pid < 0)
		pid = 0;
	tracker_started(&r->track, pid, ready.joined);
	return pid;
}

/* The running record revoke reads: "PGID STARTTIME", then the run and
 * how to reach every descendant ("cgroup RUNPID RUNSTART PATH" or
 * "subreaper RUNPID RUNSTART SID"). A revoke between the fetch and this
 * record would have missed us, so look again. */
static void
running_record(struct run *r, pid_t pid)
{
	char *name = xasprintf("running.%s", r->o->project);
	unsigned long long start = 0;
	char line[PATH_MAX + 96];
	int fd = rundir_create(r, name), n;

	proc_start_time(pid, &start);
	n = snprintf(line, sizeof line, "%ld %llu\n", (long)pid, start);
	tracker_describe(&r->track, line + n, sizeof line - (size_t)n);
	if (write_full(fd, line, strlen(line)) != 0 || close(fd) != 0)
		err(EXIT_FAIL, "%s", name);
	free(name);
	if (revoke_is_revoked(r->home, r->o->project) == 1)
		trackers_stop(&r->track, 1, KILL_GRACE_MS);
}

/*
 * A masking process that ends with a failure (status as the shell gives
 * it) while the command still runs: the command's output could no
 * longer be masked, so the command is stopped as on a timeout. The
 * status is kept for streams_wait(). It is the one the process said
 * (masks_said_done) when it said one before it was reaped.
 */
static void
masks_reaped(struct streams *s, int status, uint64_t *kill_at, uint64_t now,
             const struct run *r, bool leader_done)
{
	/* what it said before it wiped and exited stands */
	if (s->masks_done)
		return;
	s->masks_done = true;
	s->masks_status = status;
	if (s->masks_status != 0 && !leader_done) {
		tracker_signal(&r->track, SIGTERM);
		if (*kill_at == 0)
			*kill_at = now + KILL_GRACE_MS;
	}
}

/* What the wait has seen so far. */
struct waiting {
	bool leader_done, swept, killed, stop_sent;
	bool gone; /* the command and all it started (not looked for
	            * with --keep-children) */
	int status;
	pid_t feeder;
	uint64_t kill_at, stop_at;
};

/* Reap what ended: the command's leader, the masking process, the
 * feeder, and (as subreaper) orphans of the command. */
static void
children_reap(struct run *r, struct streams *s, struct waiting *w, pid_t pid)
{
	for (;;) {
		siginfo_t info = {0};
		int status;
		pid_t done;

		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    info.si_pid == 0)
			return;
		done = info.si_pid;
		/* an append or the keeper is waited for where it is used */
		if (done == r->track.keeper) {
			r->track.keeper = 0;
			close(r->track.keeper_fd);
			r->track.keeper_fd = -1;
		}
		if (waitpid(done, &status, WNOHANG) != done)
			return;
		if (done == pid) {
			w->leader_done = true;
			w->status = status;
		} else if (done == s->masks_pid) {
			masks_reaped(s, shell_status(status), &w->kill_at,
			             monotonic_ms(), r, w->leader_done);
		} else if (done == w->feeder) {
			w->feeder = 0;
		} else {
			pty_reaped(done, status); /* --pty: the relay's status */
		}
	}
}

/* The masking process's status, when it said it (masks_done_tell):
 * the streams are masked and written, what is left of it is its wiping
 * and its exit. */
static void
masks_said_done(const struct run *r, struct streams *s, struct waiting *w)
{
	unsigned char byte;
	ssize_t n;

	if (s->done_read < 0)
		return;
	do
		n = read(s->done_read, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	fd_close(&s->done_read); /* said, or gone without a word */
	if (n == 1)
		masks_reaped(s, byte, &w->kill_at, monotonic_ms(), r,
		             w->leader_done);
}

/* KILL to every descendant now, and the masking stopped soon after if
 * something out of reach still holds its pipes. */
static void
kill_now(struct run *r, struct waiting *w, uint64_t now, long stop_ms)
{
	tracker_signal(&r->track, SIGKILL);
	w->kill_at = 0;
	w->killed = true;
	if (w->stop_at == 0)
		w->stop_at = now + (uint64_t)stop_ms;
}

/*
 * Whether the run is over: the command has ended, its output too, and
 * (unless --keep-children) every process it started. Once those
 * processes are gone revoke has nothing left to find: the run directory
 * goes then (not with --watch, which starts the command again, nor with
 * --keep-children, whose processes revoke still reaches while the run
 * lasts), while the masking process finishes the streams, not after the
 * outcome record.
 */
static bool
run_over(struct run *r, const struct streams *s, struct waiting *w)
{
	if (!w->leader_done)
		return false;
	if (!r->o->keep_children && !w->gone) {
		if (tracker_signal(&r->track, 0))
			return false;
		w->gone = true;
		if (!r->o->watch) {
			rundir_remove(r);
			r->rundir[0] = '\0'; /* never removed again */
		}
	}
	return s->masks_pid == 0 || s->masks_done;
}

/* How long to sleep until the next thing to do: the deadline, a KILL,
 * the masking's stop; every 20 ms while descendants that are not our
 * children (no SIGCHLD for them) are waited for. */
static struct timespec
next_wake(const struct waiting *w, uint64_t deadline, uint64_t now)
{
	uint64_t until = deadline;

	if (w->kill_at != 0 && w->kill_at < until)
		until = w->kill_at;
	if (w->stop_at != 0 && !w->stop_sent && w->stop_at < until)
		until = w->stop_at;
	if ((w->leader_done || w->killed) && now + 20 < until)
		until = now + 20;
	until = watch_wake(until); /* --watch: the next look at the store */
	if (until <= now)
		until = now + 20;
	return (struct timespec){(time_t)((until - now) / 1000),
	                         (long)((until - now) % 1000) * 1000000L};
}

/*
 * 5. Wait for the command, its output and everything it started. The
 * timeout sends TERM to every descendant, KILL a little later, then
 * stops the masking, all within TIMEOUT_GRACE_MS, whatever still holds
 * the pipes. A TERM, INT or HUP to us sends TERM to every descendant,
 * then KILL after the grace period. When the command exits, what it
 * left running goes the same way (unless --keep-children). The
 * command's own status is kept (124 for a timeout).
 */
static int
command_wait(struct run *r, struct streams *s, pid_t pid, pid_t feeder)
{
	uint64_t deadline = monotonic_ms() + (uint64_t)r->timeout_s * 1000;
	struct waiting w = {.feeder = feeder};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1); /* the masking process said its status */
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	for (;;) {
		uint64_t now;
		struct timespec wait;
		int sig;

		children_reap(r, s, &w, pid);
		masks_said_done(r, s, &w);
		now = monotonic_ms();
		if (w.leader_done && !w.swept) {
			w.swept = true;
			/* nobody reads the terminal for a command that is gone */
			if (w.feeder > 0)
				kill(w.feeder, SIGKILL);
			if (!r->o->keep_children &&
			    tracker_signal(&r->track, SIGTERM) && w.kill_at == 0)
				w.kill_at = now + KILL_GRACE_MS;
			pty_stop(); /* --pty: the relay drains what is left */
		}
		if (watch_changed(r, now)) { /* --watch: stop, start again */
			tracker_signal(&r->track, SIGTERM);
			if (w.kill_at == 0)
				w.kill_at = now + KILL_GRACE_MS;
		}
		if (run_over(r, s, &w))
			break;
		if (w.kill_at != 0 && now >= w.kill_at)
			kill_now(r, &w, now, 200);
		if (!r->timed_out && now >= deadline) {
			r->timed_out = true;
			tracker_signal(&r->track, SIGTERM);
			w.kill_at = now + TIMEOUT_GRACE_MS * 4 / 5;
			w.stop_at = now + TIMEOUT_GRACE_MS;
		}
		if (w.stop_at != 0 && now >= w.stop_at && !w.stop_sent &&
		    s->masks_pid != 0 && !s->masks_done) {
			kill(s->masks_pid, SIGUSR2);
			w.stop_sent = true;
		}
		wait = next_wake(&w, deadline, now);
		sig = sigtimedwait(&set, NULL, &wait);
		if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP) &&
		    r->interrupted == 0) {
			r->interrupted = sig;
			tracker_signal(&r->track, SIGTERM);
			if (w.kill_at == 0)
				w.kill_at = monotonic_ms() + KILL_GRACE_MS;
		}
	}
	if (w.feeder > 0) {
		kill(w.feeder, SIGKILL);
		waitpid(w.feeder, NULL, 0);
	}
	if (r->o->keep_children)
		tracker_release(&r->track);
	tracker_close(&r->track);
	if (r->timed_out)
		return EXIT_TIMEOUT;
	return shell_status(w.status);
}

/* The outcome closes the intent record (when there was one). */
static json_t *
outcome_of(const struct run *r, json_t *record)
{
	if (record != NULL && r->intent[0] != '\0')
		json_object_set_new(record, "outcome_of", json_string(r->intent));
	return record;
}

/* The masking died before the command started: nothing runs. */
static _Noreturn void
nothing_run(struct run *r, const char *command)
{
	audit_record(
	    r, outcome_of(r, json_pack("{s:s, s:s, s:o, s:s, s:i}", "event",
	                               "error", "project", r->o->project,
	                               "command", json_bytes(command), "reason",
	                               "redact failed", "exit", EXIT_FAIL)));
	if (r->o->json) {
		json_err_add(r,
		             "secenv: run: redact failed; nothing was run\n");
		elapsed(r);
		report_json(r, EXIT_FAIL);
	}
	errx(EXIT_FAIL, "run: redact failed; nothing was run");
}

/*
 * The intent record, written ahead and synced before the command starts:
 * project, the command (masked), the secret names (auditlog adds our
 * pid). When it
 * cannot be appended nothing runs (111; auditlog said why). A run that
 * dies before its outcome leaves it open, which auditlog verify reports
 * as a run that ended without a record.
 */
static void
intent_step(struct run *r)
{
	unsigned char id[16];
	char *command;
	json_t *record;

	/* --watch: one intent for the run, however often it restarts */
	if (!r->audit || r->intent[0] != '\0')
		return;
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(r->intent, sizeof r->intent, id, sizeof id);
	command = recorded_command(r);
	if (r->sanitized && strcmp(command, r->cmdstr) != 0 &&
	    strncmp(command, "[not recorded", 13) == 0) {
		r->intent[0] = '\0'; /* not written */
		nothing_run(r, command);
	}
	/* auditlog adds our pid */
	record = json_pack("{s:s, s:s, s:s, s:o, s:o}", "event", "run",
	                   "intent", r->intent, "project", r->o->project,
	                   "command", json_bytes(command), "secrets",
	                   json_names(r->names, r->fetched && r->inject
	                                            ? r->name_count
	                                            : 0));
	free(command);
	if (audit_record(r, record) == 0)
		return;
	r->intent[0] = '\0';
	{
		char *m = xasprintf("audit log %s: cannot append the intent "
		                    "record: nothing was run",
		                    r->audit_log);

		if (r->o->json) {
			json_err_add(r, "secenv: ");
			json_err_add(r, m);
			json_err_add(r, "\n");
			elapsed(r);
			report_json(r, EXIT_FAIL);
		}
		errx(EXIT_FAIL, "%s", m);
	}
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
		audit_record(r, outcome_of(r, json_pack(
		                    "{s:s, s:s, s:o, s:s, s:i}", "event", "error",
		                    "project", r->o->project, "command",
		                    json_bytes(command), "reason",
		                    "redact failed", "exit", EXIT_FAIL)));
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
	if (record != NULL)
		json_object_set_new(record, "descendants",
		                    json_string(tracker_mechanism(&r->track)));
	if (record != NULL && r->o->pty)
		json_object_set_new(record, "pty", json_true());
	if (audit_record(r, outcome_of(r, record)) != 0) {
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
	struct secrets_source source = {0, -1, -1, -1};
	struct streams s;
	struct masks_call early;
	struct source_then then;
	bool masks_early_made = false;
	pid_t pid, feeder;
	int status, redact_failed, status_pty;

	r.o = o;
	r.out_dest = r.err_dest = -1;
	r.blob_writer = r.fetch_errfd = -1;
	r.command_gate = r.command_ready = -1;
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
	if (r.guard || r.inject || r.sanitize || r.audit) {
		/* one child lists the names and, once the guard allows,
		 * fetches the blob into a file in memory made for it here */
		r.blob_writer = memfd_make("secenv-blob", MFD_ALLOW_SEALING);
		r.fetch_errfd =
		    o->json ? memfd_make("secenv-messages", 0) : -1;
		masks_early_made = masks_early(&r, &s, &early, &then);
		source_start(o->project, r.blob_writer, r.fetch_errfd,
		             masks_early_made ? &then : NULL, &source);
		if (masks_early_made) {
			close(then.out);
			close(then.err);
		}
	}
	/* while the child lists the names: the cgroup and the keeper (a
	 * run that ends before its command starts leaves them nothing to
	 * stop, and appends its record through the keeper) */
	tracker_begin(&r);
	if (source.pid != 0) {
		status =
		    source_names(&source, o->project, &r.names, &r.name_count);
		if (status != 0)
			exit(status);
	}
	if (r.guard)
		guard_step(&r);
	if ((r.inject || r.sanitize) && r.name_count > 0)
		fetch_step(&r, &source);
	if (masks_early_made && r.fetched) {
		/* the vaultfetch child is the masking process now */
		r.sanitized = true;
		masks_forked(&s, &early, source.pid);
		source.pid = 0;
		fd_close(&r.blob_fd[1]); /* it reads a descriptor of its own */
	} else if (masks_early_made) {
		streams_unmade(&r, &s);
		fd_close(&early.said); /* the ends the child would have had */
		fd_close(&early.done);
		masks_early_made = false;
	}
	source_dismiss(&source);
	if (r.blob_writer >= 0)
		close(r.blob_writer);
	if (r.fetch_errfd >= 0)
		close(r.fetch_errfd);
	r.blob_writer = r.fetch_errfd = -1;
	watch_begin(&r);
	die_if_signalled();
restart: /* --watch: the same steps for the command started again */
	if (!masks_early_made)
		streams_prepare(&r, &s);
	masks_early_made = false;
	if (o->pty)
		pty_prepare(&r, &s.cmd_out, &s.cmd_err);
	streams_start(&r, &s);
	/* --watch: a tracker and a keeper of its own for each restart (the
	 * last one's keeper was dismissed) */
	if (r.track.keeper == 0)
		tracker_begin(&r);
	/* only the intent record needs the command masked before it
	 * starts: without auditing the masking process builds its
	 * automaton while the command starts and runs, and reads the
	 * command's output, which waits in the pipes, once it is ready */
	pid = command_start(&r, &s, &feeder);
	cleanup_group = pid > 0 ? pid : -1;
	if (r.audit)
		streams_said(&s);
	else
		fd_close(&s.said_read);
	intent_step(&r);
	/* the child joined its cgroup while the intent record was synced */
	pid = command_joined(&r, pid);
	if (pid == 0) { /* the masking process died before it started it */
		cleanup_group = 0;
		nothing_run(&r, recorded_command(&r));
	}
	cleanup_group = pid;
	tracker_keeper_tell(&r.track);
	/* revoke finds the command before it executes: once it prints,
	 * its running record is there */
	running_record(&r, pid);
	command_release(&r);
	streams_handed(&r, &s);
	pty_start();
	status = command_wait(&r, &s, pid, feeder);
	fd_close(&s.done_read);
	cleanup_group = 0;
	pty_stop(); /* --pty: the relay passes on what is left */
	redact_failed = streams_wait(&s);
	status_pty = pty_finish(); /* --pty: the caller's modes back */
	if (redact_failed == 0)
		redact_failed = status_pty;
	if (watch_restart(&r, status, redact_failed)) {
		tracker_keeper_dismiss(&r.track);
		goto restart;
	}
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
	status = finish(&r, status, redact_failed);
	/* the keeper syncs the anchor's move to the outcome record, which
	 * is durable already, on its own: the run directory goes (with
	 * --watch or --keep-children; else it went once the command's
	 * processes were gone, run_over), and the run returns without
	 * waiting for that sync */
	rundir_remove(&r);
	tracker_keeper_let_go(&r.track);
	/* all let go: nothing is left for the exit's cleanup to undo */
	cleanup_run = NULL;
	return status;
}
