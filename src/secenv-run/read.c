/* SPDX-License-Identifier: ISC */
/* secenv read: the agent's file read, decided by cmdguard's code, masked by
 * redact's, recorded by auditlog's, written to the descriptor we were given. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "exitcodes.h"
#include "guard.h"
#include "paths.h"
#include "run.h"
#include "util.h"

#define DENIED_PREFIX "cmdguard: denied: "

struct read_state {
	const char *project, *file;
	bool json, audit, masked;
	char home[PATH_MAX], audit_log[PATH_MAX];
	int out;       /* stdout, or with --json a file in memory */
	char intent[33]; /* the intent record's id, "" when none */
	json_t *masks; /* {} when nothing was masked */
};

/* Append record (taken) when auditing is on, or stop with 111. */
static void
read_audit(const struct read_state *s, json_t *record)
{
	if (record == NULL)
		errx(EXIT_FAIL, "cannot encode the audit record");
	if (s->audit && audit_append(s->audit_log, record) != 0)
		errx(EXIT_FAIL, "audit log %s: cannot append a record",
		     s->audit_log);
	json_decref(record);
}

/* The intent record, appended and synced before anything of the file is
 * shown; when it cannot be, nothing is (111; auditlog said why). */
static void
read_intent(struct read_state *s, char **names, size_t count)
{
	unsigned char id[16];
	json_t *record;

	if (!s->audit)
		return;
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(s->intent, sizeof s->intent, id, sizeof id);
	record = json_pack("{s:s, s:s, s:s, s:o, s:o}", "event", "read",
	                   "intent", s->intent, "project", s->project, "path",
	                   json_bytes(s->file), "secrets",
	                   json_names(names, count));
	if (record == NULL)
		errx(EXIT_FAIL, "cannot encode the audit record");
	if (audit_append(s->audit_log, record) != 0)
		errx(EXIT_FAIL,
		     "audit log %s: cannot append the intent record: nothing "
		     "was shown",
		     s->audit_log);
	json_decref(record);
}

/* --json: the result as one object. */
static void
read_report(const struct read_state *s, int status, bool blocked,
            const char *reason)
{
	json_t *obj;

	if (!s->json)
		return;
	obj = json_pack("{s:o, s:o, s:i, s:b, s:o, s:s, s:O}", "path",
	                json_bytes(s->file), "content", stream_text(s->out),
	                "return_code", status, "security_blocked", blocked,
	                "reason", json_bytes(reason), "project", s->project,
	                "masks", s->masks);
	json_print(obj, "result");
	json_decref(obj);
}

/* The guard's decision on the path; a denial is said, recorded and
 * reported, and ends the read with 1. */
static void
read_guard(const struct read_state *s)
{
	struct cmdguard_options o = {.action = ACT_PATH, .path = s->file};
	struct verdict v = {0};
	char *reason;
	size_t len;
	bool denied;

	program_invocation_short_name = "cmdguard";
	denied = cmdguard_decide(&o, NULL, 0, &v);
	program_invocation_short_name = "secenv";
	if (!denied) {
		verdict_clear(&v);
		return;
	}
	reason = xstrdup(v.reason);
	verdict_clear(&v);
	len = strlen(reason);
	while (len > 0 && reason[len - 1] == '\n')
		reason[--len] = '\0';
	fprintf(stderr, DENIED_PREFIX "%s\n", reason);
	read_audit(s, json_pack("{s:s, s:s, s:o, s:s, s:o, s:i}", "event",
	                        "blocked", "project", s->project, "path",
	                        json_bytes(s->file), "verdict", "denied",
	                        "reason", json_bytes(reason), "exit", EXIT_NO));
	read_report(s, EXIT_NO, true, reason);
	free(reason);
	exit(EXIT_NO);
}

/* The file as it is, when there is nothing to mask. */
static void
copy_plain(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EXIT_FAIL, "read");
		if (write_full(out, buf, (size_t)n) != 0)
			err(EXIT_FAIL, "stdout");
	}
}

/* The file masked by redact's code in a child of its own, which alone
 * holds the values; the counts come back as data. */
static void
copy_masked(struct read_state *s, int in)
{
	int blob = memfd_make("secenv-blob", 0), stats, status;

	status = blob_fetch(s->project, blob, -1);
	if (status != 0)
		exit(status);
	stats = memfd_make("secenv-stats", 0);
	lseek(blob, 0, SEEK_SET);
	status = wait_status(masking_spawn(blob, in, s->out, stats));
	close(blob);
	if (status != 0)
		errx(status, "read: redact failed; nothing more shown");
	json_decref(s->masks);
	s->masks = masks_read(&stats, 1);
	s->masked = true;
	close(stats);
}

int
read_main(int argc, char **argv)
{
	static struct read_state s;
	struct verb_options o = {0};
	char **names;
	size_t count;
	struct stat st;
	int in, status;

	o.project = env_nonempty("SECENV_PROJECT");
	if (o.project == NULL)
		o.project = "";
	verb_options_parse("read", true, argc, argv, &o);
	if (o.arg_count != 1)
		usage_error("read", "expected one FILE");
	verb_project_require("read", o.project);
	s.project = o.project;
	s.file = o.args[0];
	s.json = o.json;
	s.masks = json_object();
	audit_log_find(s.home, s.audit_log);
	s.audit = switch_on("AUDIT_SECRET_ACCESS");
	if (s.audit)
		audit_precheck(s.audit_log);
	secenv_runtime_dir();
	/* with --json the masked content goes into the object, not out */
	s.out = s.json ? memfd_make("secenv-content", 0) : STDOUT_FILENO;
	if (switch_on("BLOCK_ENV_FILE_ACCESS"))
		read_guard(&s);
	if (access(s.file, R_OK) != 0 ||
	    (stat(s.file, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    (in = open(s.file, O_RDONLY | O_CLOEXEC)) < 0)
		errx(EXIT_FAIL, "read: %s: cannot read", s.file);
	if ((status = names_load(s.project, &names, &count)) != 0)
		exit(status);
	read_intent(&s, names, count);
	if (switch_on("ENABLE_OUTPUT_SANITIZATION") && count > 0)
		copy_masked(&s, in);
	else
		copy_plain(in, s.out);
	close(in);
	{
		json_t *record = json_pack(
		    "{s:s, s:s, s:o, s:o, s:s, s:i}", "event", "read",
		    "project", s.project, "path", json_bytes(s.file), "secrets",
		    json_names(names, count), "verdict", "allowed", "exit", 0);

		if (record != NULL && s.masked)
			json_object_set(record, "masks", s.masks);
		if (record != NULL && s.intent[0] != '\0')
			json_object_set_new(record, "outcome_of",
			                    json_string(s.intent));
		read_audit(&s, record);
	}
	read_report(&s, EXIT_OK, false, "");
	names_free(names, count);
	json_decref(s.masks);
	free(o.args);
	return EXIT_OK;
}
