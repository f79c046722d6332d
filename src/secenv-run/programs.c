/* SPDX-License-Identifier: ISC */
/* The other programs' work, through their entry points, each in a forked child
 * that speaks as that program: the run itself never holds a value or a key. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditlog.h"
#include "engine.h" /* FORMAT_DEFAULT */
#include "backend.h"
#include "envinject.h"
#include "exitcodes.h"
#include "keys.h"
#include "paths.h"
#include "redactor.h"
#include "run.h"
#include "util.h"
#include "vaultfetch.h"

#define NAMES_MAX (16u * 1024 * 1024) /* the names of one project */

/* vaultfetch's verb for project, here or, for a backend this build does
 * not link (azure, hcvault), by the full build beside us, which does
 * what `vaultfetch VERB... PROJECT` does with the same defaults. */
static void
vaultfetch_prepare(struct vaultfetch_options *o, const char *verb,
                   const char *flag, const char *project)
{
	const char *argv[] = {"vaultfetch", verb, flag, project, NULL};

	vaultfetch_options_init(o);
	if (flag == NULL) {
		argv[2] = project;
		argv[3] = NULL;
	}
	backend_handoff(vaultfetch_backend_spec(o), (char **)argv);
}

static int
names_in_child(void *arg)
{
	const char *project = arg;
	struct vaultfetch_options o;

	vaultfetch_prepare(&o, "list", "-0", project);
	return vaultfetch_names_write(&o, secenv_home(), project, STDOUT_FILENO);
}

/* Names as vaultfetch writes them (each ended by a NUL) into an array;
 * with end_mark, the list must end with an empty one (the child that
 * goes on to fetch says so that its list is whole). False when not. */
static bool
names_parse(const unsigned char *bytes, size_t len, bool end_mark,
            char ***names, size_t *count)
{
	size_t at;

	for (at = 0; at < len; at += strlen((const char *)bytes + at) + 1) {
		if (bytes[at] == '\0')
			return end_mark && at + 1 == len;
		*names = realloc(*names, (*count + 2) * sizeof(char *));
		if (*names == NULL)
			err(EXIT_FAIL, "names");
		(*names)[(*count)++] = xstrdup((const char *)bytes + at);
		(*names)[*count] = NULL;
	}
	return !end_mark;
}

/* The names from a pipe, the child's status if they are not whole. */
static int
names_receive(int fd, pid_t pid, const char *project, bool end_mark,
              char ***names, size_t *count)
{
	unsigned char *bytes;
	size_t len;
	bool whole;
	int status;

	*names = NULL;
	*count = 0;
	if (read_all(fd, NAMES_MAX, false, &bytes, &len) != 0)
		err(EXIT_FAIL, "names of %s", project);
	close(fd);
	whole = len == 0 || bytes[len - 1] == '\0' ? names_parse(bytes, len,
	                                                          end_mark,
	                                                          names, count)
	                                          : false;
	free(bytes);
	if (whole)
		return 0;
	names_free(*names, *count);
	*names = NULL;
	*count = 0;
	status = wait_status(pid);
	return status != 0 ? status : EXIT_FAIL;
}

/* The project's secret names (names are not secret) from vaultfetch's
 * names, which come over a pipe each ended by a NUL. vaultfetch's status:
 * not 0 means *names is empty and vaultfetch said why. */
int
names_load(const char *project, char ***names, size_t *count)
{
	int fds[2], status;
	pid_t pid;

	pipe_make(fds);
	pid = spawn_call("vaultfetch", names_in_child, (void *)project, -1,
	                 fds[1], -1, NULL, 0, false);
	close(fds[1]);
	status = names_receive(fds[0], pid, project, false, names, count);
	if (status == 0)
		status = wait_status(pid);
	if (status != 0) {
		names_free(*names, *count);
		*names = NULL;
		*count = 0;
	}
	return status;
}

struct source_call {
	const char *project;
	int blob_fd, errfd; /* where the blob and fetch's messages go */
	int fetched;        /* with then: says the fetch worked */
	const struct source_then *then;
};

/* The project's names, as vaultfetch lists them (a backend this build
 * does not link lists in a process of its own: the hand-off replaces
 * the process that makes it). */
static int
names_list(const char *project)
{
	struct vaultfetch_options o;

	vaultfetch_options_init(&o);
	if (!backend_is_linked(vaultfetch_backend_spec(&o))) {
		pid_t pid = spawn_call("vaultfetch", names_in_child,
		                       (void *)project, -1, -1, -1, NULL, 0,
		                       false);

		return wait_status(pid);
	}
	return names_in_child((void *)project);
}

/*
 * The fetch worked: the child lets go of the blob it wrote (keeping a
 * reader of its own), takes the run's stdout and stderr back, says so to
 * the run, and goes on as then says (the masking: one process less to
 * start and to end than a child of its own for it).
 */
static int
source_go_on(const struct source_call *c)
{
	const struct source_then *then = c->then;
	char path[64];
	int reader;

	snprintf(path, sizeof path, "/proc/self/fd/%d", c->blob_fd);
	if ((reader = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    dup2(then->out, STDOUT_FILENO) < 0 ||
	    dup2(then->err, STDERR_FILENO) < 0)
		return EXIT_FAIL;
	close(c->blob_fd);
	if (c->errfd >= 0)
		close(c->errfd); /* fetch's messages, with --json */
	close(then->out);
	close(then->err);
	if (write_full(c->fetched, "", 1) != 0)
		return EXIT_FAIL;
	close(c->fetched);
	return then->fn(then->arg, reader);
}

/* Whether the vaultfetch child can go on after its fetch: a backend this
 * build does not link fetches by executing the full build in its place. */
bool
source_can_go_on(void)
{
	struct vaultfetch_options o;

	vaultfetch_options_init(&o);
	return backend_is_linked(vaultfetch_backend_spec(&o));
}

/*
 * One vaultfetch child for a run: the names, then an empty one to say
 * they are whole; then it waits on its standard input. A byte there
 * fetches the blob into blob_fd (messages to errfd, or stderr when -1);
 * the end of the input (nothing to fetch, a denial, a run that died)
 * ends it with nothing fetched.
 */
static int
source_in_child(void *arg)
{
	const struct source_call *c = arg;
	struct vaultfetch_options o;
	int status = names_list(c->project);
	ssize_t n;
	char go;

	if (status != 0)
		return status;
	if (write_full(STDOUT_FILENO, "", 1) != 0)
		return EXIT_FAIL;
	close(STDOUT_FILENO); /* the run reads the names to their end */
	do
		n = read(STDIN_FILENO, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return EXIT_OK;
	/* as blob_fetch's child: the blob on its standard output */
	if (dup2(c->blob_fd, STDOUT_FILENO) < 0 ||
	    (c->errfd >= 0 && dup2(c->errfd, STDERR_FILENO) < 0))
		return EXIT_FAIL;
	/* Going on to open the blob, it keeps the worker key it reads to
	 * check it (the masking process drops it once loaded). */
	if (c->then != NULL)
		keys_keep_worker();
	vaultfetch_prepare(&o, "fetch", NULL, c->project);
	status = vaultfetch_fetch(&o, secenv_home(), c->project, STDOUT_FILENO);
	if (status != 0 || c->then == NULL)
		return status;
	return source_go_on(c);
}

/* The child that lists a run's names and fetches its blob when asked
 * (source_fetch), into blob_fd: one process for both, not two; with
 * then, that child goes on as then says once it fetched. It lists while
 * the run gets on with what needs no names; source_names() takes them. */
void
source_start(const char *project, int blob_fd, int errfd,
             const struct source_then *then, struct secrets_source *src)
{
	struct source_call c = {project, blob_fd, errfd, -1, then};
	int out[2], go[2], fetched[2] = {-1, -1};
	size_t n = 2;
	int *keep = xcalloc(5 + (then != NULL ? then->count : 0), sizeof(int));

	keep[0] = blob_fd;
	keep[1] = errfd;
	if (then != NULL) {
		pipe_make(fetched);
		c.fetched = keep[n++] = fetched[1];
		keep[n++] = then->out;
		keep[n++] = then->err;
		for (size_t i = 0; i < then->count; i++)
			keep[n++] = then->keep[i];
	}
	pipe_make(out);
	pipe_make(go);
	src->pid = spawn_call("vaultfetch", source_in_child, &c, go[0], out[1],
	                      -1, keep, n, false);
	free(keep);
	close(out[1]);
	close(go[0]);
	if (fetched[1] >= 0)
		close(fetched[1]);
	src->go = go[1];
	src->fetched = fetched[0];
	src->names = out[0];
}

/* The names source_start()'s child lists; their status as names_load's. */
int
source_names(struct secrets_source *src, const char *project, char ***names,
             size_t *count)
{
	int status =
	    names_receive(src->names, src->pid, project, true, names, count);

	src->names = -1;
	if (status != 0) {
		close(src->go);
		fd_close(&src->fetched);
		src->go = -1;
		src->pid = 0;
	}
	return status;
}

/* Fetch the blob, as blob_fetch does: vaultfetch's status. A child that
 * goes on (source_names' then) says it fetched and is src->pid still. */
int
source_fetch(struct secrets_source *src)
{
	int status;
	char byte;
	ssize_t n = 0;

	/* a child that is gone says why through its status */
	(void)write_full(src->go, "f", 1);
	close(src->go);
	src->go = -1;
	if (src->fetched >= 0) {
		do
			n = read(src->fetched, &byte, 1);
		while (n < 0 && errno == EINTR);
		fd_close(&src->fetched);
	}
	if (n == 1)
		return EXIT_OK;
	status = wait_status(src->pid);
	src->pid = 0;
	return status;
}

/* Nothing to fetch: the child ends. */
void
source_dismiss(struct secrets_source *src)
{
	if (src->pid <= 0)
		return;
	close(src->go);
	fd_close(&src->fetched);
	wait_status(src->pid);
	src->go = -1;
	src->pid = 0;
}

void
names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static int
fetch_in_child(void *arg)
{
	const char *project = arg;
	struct vaultfetch_options o;

	vaultfetch_prepare(&o, "fetch", NULL, project);
	return vaultfetch_fetch(&o, secenv_home(), project, STDOUT_FILENO);
}

/* The sealed blob of project into out; its messages to errfd (-1: our
 * stderr). vaultfetch's status. */
int
blob_fetch(const char *project, int out, int errfd)
{
	return wait_status(spawn_call("vaultfetch", fetch_in_child,
	                              (void *)project, -1, out, errfd, NULL, 0,
	                              false));
}

struct append_call {
	const char *log;
	json_t *record;
};

/* auditlog's append, synced, in a child of the run (this one, or the
 * keeper) that speaks as auditlog; durable(arg), when set, once the
 * record is (auditlog_options). A record half-written because a Ctrl-C
 * reached the whole foreground group would be a torn line: the append
 * finishes whatever comes. */
int
audit_append_here(const char *log, json_t *record, void (*durable)(void *),
                  void *arg)
{
	struct auditlog_options o = {
	    .file = log, .sync = true, .durable = durable, .durable_arg = arg};
	const char *name = program_invocation_short_name;
	int status;

	signals_ignore();
	program_invocation_short_name = "auditlog";
	status = auditlog_append(&o, record);
	program_invocation_short_name = (char *)name;
	return status;
}

/* The audit key that audit_append_here() will use, and the tail of
 * the log it appends to, read ahead. */
void
audit_preload(const char *log)
{
	auditlog_preload(log, NULL);
}

static int
append_in_child(void *arg)
{
	const struct append_call *c = arg;

	return audit_append_here(c->log, c->record, NULL, NULL);
}

/* Names longer, one per line, than this are recorded as their count and
 * digest, as bin/secenv records them: a record stays far below
 * auditlog's 64 KiB at any project size (PROJECT_SECRETS_MAX). */
#define NAMES_LISTED_MAX 32768

/* Masks counted for more names than this are recorded as totals. */
#define MASKS_LISTED_MAX 1000

/* The masks of a large project: only the names that were masked; when
 * those are still too many, masks_names and masks_total instead. */
static void
masks_fold(json_t *record)
{
	json_t *masks = json_object_get(record, "masks"), *count;
	json_int_t total = 0, named = 0;
	const char *name;
	void *tmp;

	if (!json_is_object(masks) || json_object_size(masks) <= MASKS_LISTED_MAX)
		return;
	json_object_foreach_safe (masks, tmp, name, count) {
		if (json_integer_value(count) == 0) {
			json_object_del(masks, name);
			continue;
		}
		total += json_integer_value(count);
		named++;
	}
	if (json_object_size(masks) <= MASKS_LISTED_MAX)
		return;
	json_object_set_new(record, "masks_names", json_integer(named));
	json_object_set_new(record, "masks_total", json_integer(total));
	json_object_del(record, "masks");
}

/* A "secrets" list too long to keep becomes secrets_count and
 * secrets_sha256 (of the names, each followed by a newline); large
 * masks are folded too (masks_fold). */
static void
record_fold(json_t *record)
{
	json_t *names = json_object_get(record, "secrets"), *name;
	crypto_hash_sha256_state state;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	size_t i, total = 0;

	masks_fold(record);
	if (!json_is_array(names) || json_array_size(names) == 0)
		return;
	json_array_foreach (names, i, name)
		total += json_string_length(name) + 1;
	if (total - 1 <= NAMES_LISTED_MAX)
		return;
	crypto_hash_sha256_init(&state);
	json_array_foreach (names, i, name) {
		crypto_hash_sha256_update(
		    &state, (const unsigned char *)json_string_value(name),
		    json_string_length(name));
		crypto_hash_sha256_update(&state, (const unsigned char *)"\n",
		                          1);
	}
	crypto_hash_sha256_final(&state, digest);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	json_object_set_new(record, "secrets_count",
	                    json_integer((json_int_t)json_array_size(names)));
	json_object_set_new(record, "secrets_sha256", json_string(hex));
	json_object_del(record, "secrets");
}

/* Append record to the log; auditlog's status (its message on stderr).
 * A run or read started for another front end (secenv mcp) says so in
 * SECENV_AUDIT_VIA, and which client asked in SECENV_AUDIT_CLIENT (a
 * JSON object); both go into the record. */
int
audit_append(const char *log, json_t *record)
{
	struct append_call c = {log, record};
	const char *via = env_nonempty("SECENV_AUDIT_VIA");
	const char *client = env_nonempty("SECENV_AUDIT_CLIENT");

	record_fold(record);
	if (via != NULL)
		json_object_set_new(record, "via", json_string(via));
	if (client != NULL) {
		json_t *object = json_loads(client, 0, NULL);

		json_object_set_new(record, "client",
		                    object != NULL ? object : json_string(client));
	}

	/* the keeper, while there is one, appends it: no fork of its own */
	{
		char *text = json_dumps(record, JSON_COMPACT);
		int status;
		bool kept = text != NULL &&
		            keeper_append(text, strlen(text), &status);

		free(text);
		if (kept)
			return status;
	}
	return wait_status(spawn_call("auditlog", append_in_child, &c, -1, -1,
	                              -1, NULL, 0, false));
}

struct command_call {
	struct envinject_options o;
	const struct tracker *t;
	int ready_fd;
};

/* The command's side, before anything of it runs: into the run's
 * cgroup and killed with the run, then the run told how that went (what
 * tracker_child_join said), then envinject. */
static int
exec_in_child(void *arg)
{
	struct command_call *c = arg;
	struct command_ready ready = {getpid(), tracker_child_join(c->t)};

	if (write(c->ready_fd, &ready, sizeof ready) != sizeof ready)
		_exit(EXIT_FAIL);
	close(c->ready_fd);
	pty_attach(); /* --pty: the terminal as 0, 1, 2 and controlling */
	envinject_exec(&c->o);
}

/*
 * The command, through envinject: with blob ("fd:N", N being blob_fd,
 * the one descriptor it gets beyond 0, 1 and 2) the secrets in its
 * environment, or without one (NULL) the same scrubbed environment and
 * user switch; path is the file to execute (NULL: argv[0] on PATH);
 * it executes it only once a byte comes on gate_fd.
 * It leads a new session and process group, reads in (-1:
 * our stdin), joins t's cgroup when there is one and says on ready_fd
 * its pid and how that went (struct command_ready). With shared, it is
 * started by the masking process in its memory (spawn_shared), the
 * run's child all the same; else forked.
 */
pid_t
command_spawn(const struct command_spec *spec, int in, int out, int errfd,
              int blob_fd, const struct tracker *t, int ready_fd, int gate_fd,
              bool shared)
{
	struct command_call c = {
	    .o = {.blob = spec->blob,
	          .project = spec->blob != NULL ? spec->project : NULL,
	          .user = spec->user,
	          .minimal = spec->minimal,
	          .command = spec->argv,
	          .path = spec->path,
	          .gate_fd = gate_fd,
	          .death_parent = t->run_pid},
	    .t = t,
	    .ready_fd = ready_fd,
	};
	int keep[] = {blob_fd, t->procs_fd, ready_fd, gate_fd};

	if (shared)
		return spawn_shared("envinject", exec_in_child, &c, in, out,
		                    errfd, keep, 4);
	return spawn_call("envinject", exec_in_child, &c, in, out, errfd, keep,
	                  4, true);
}

struct mask_call {
	int blob_fd, in, out, stats_fd;
};

static int
mask_in_child(void *arg)
{
	const struct mask_call *c = arg;
	char blob[32];
	struct redact_load load = {blob, NULL, 6, FORMAT_DEFAULT, true, false};
	struct redact_stats stats = {NULL, c->stats_fd};
	struct redactor *r;

	snprintf(blob, sizeof blob, "fd:%d", c->blob_fd);
	r = redactor_load(&load);
	close(c->blob_fd);
	redactor_mask(r, c->in, c->out, &stats);
	redactor_free(r);
	return EXIT_OK;
}

/* redact's masking of one stream, as `redact -b fd:N --stats` does it,
 * in a child: in to out, the counts to stats_fd. */
pid_t
masking_spawn(int blob_fd, int in, int out, int stats_fd)
{
	struct mask_call c = {blob_fd, in, out, stats_fd};
	int keep[] = {blob_fd, in, out, stats_fd};

	return spawn_call("redact", mask_in_child, &c, -1, -1, -1, keep, 4,
	                  false);
}
