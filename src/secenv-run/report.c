/* SPDX-License-Identifier: ISC */
/* What a run tells afterwards: mask counts, the audit record, the --json
 * object. */
#include <err.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "util.h"

#define STREAM_MAX (256u * 1024 * 1024) /* largest stream kept for --json */

/* A JSON array of secret names (names need no escaping). */
char *
json_names(char *const names[], size_t count)
{
	json_t *array = json_array();
	char *text;

	for (size_t i = 0; array != NULL && i < count; i++)
		json_array_append_new(array, json_string(names[i]));
	text = array ? json_dumps(array, JSON_COMPACT) : NULL;
	if (text == NULL)
		errx(EXIT_FAIL, "cannot encode the secret names");
	json_decref(array);
	return text;
}

/* All that was written to a file in memory (by children of ours, now
 * gone), NUL-terminated; NULL for none. */
char *
memfd_text(int fd, size_t *len)
{
	unsigned char *text;

	if (fd < 0)
		return NULL;
	if (lseek(fd, 0, SEEK_SET) != 0 ||
	    read_all(fd, STREAM_MAX, false, &text, len) != 0)
		err(EXIT_FAIL, "run: read back a stream");
	return (char *)text;
}

/* The mask counts of the two streams' maskers, summed per name, into
 * r->masks_json (a stream whose reader went away still has its counts;
 * a masking that failed has none). */
void
masks_sum(struct run *r)
{
	json_t *total = json_object();

	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text = memfd_text(r->stats_fd[i], &len);
		json_t *stats = text ? json_loadb(text, len, 0, NULL) : NULL;
		json_t *n;
		const char *name;

		json_object_foreach(json_object_get(stats, "masks"), name, n)
		{
			json_int_t sum = json_integer_value(n) +
			                 json_integer_value(
			                     json_object_get(total, name));

			json_object_set_new(total, name, json_integer(sum));
		}
		json_decref(stats);
		free(text);
	}
	free(r->masks_json);
	r->masks_json = json_dumps(total, JSON_COMPACT);
	if (r->masks_json == NULL)
		errx(EXIT_FAIL, "cannot encode the mask counts");
	json_decref(total);
}

/*
 * Append one record of FIELD=VALUE / FIELD:=JSON strings with auditlog
 * append. 0 when written, or when auditing is off; else auditlog's
 * status (its message is on stderr).
 */
int
audit_record(const struct run *r, const char *const fields[], size_t count)
{
	const char **argv = xcalloc(count + 8, sizeof(char *));
	const char *via = env_nonempty("SECENV_AUDIT_VIA"),
		   *client = env_nonempty("SECENV_AUDIT_CLIENT");
	char *extra[3] = {NULL, NULL, NULL};
	int status;

	if (!r->audit) {
		free(argv);
		return 0;
	}
	argv[0] = "auditlog";
	argv[1] = "append";
	argv[2] = "-f";
	argv[3] = r->audit_log;
	memcpy(argv + 4, fields, count * sizeof(char *));
	/* a run started for another front end (secenv mcp) says so, and
	 * which client asked; a run cut short by a signal says which */
	if (via != NULL)
		argv[4 + count++] = extra[0] = xasprintf("via=%s", via);
	if (client != NULL)
		argv[4 + count++] = extra[1] = xasprintf("client:=%s", client);
	if (r->interrupted != 0)
		argv[4 + count++] = extra[2] = xasprintf(
		    "interrupted=SIG%s", sigabbrev_np(r->interrupted));
	status = wait_status(spawn_program(argv, -1, -1, -1, -1, false));
	for (size_t i = 0; i < 3; i++)
		free(extra[i]);
	free(argv);
	return status;
}

/* A stream kept in memory as JSON text (invalid UTF-8 shown as U+FFFD,
 * as jq does); no stream is "". */
static json_t *
stream_text(int fd)
{
	size_t len = 0, text_len;
	char *bytes = memfd_text(fd, &len), *text;
	json_t *v;

	text = utf8_lossy(bytes ? bytes : "", len, &text_len);
	if (text == NULL)
		err(EXIT_FAIL, "run: stream");
	v = json_stringn(text, text_len);
	free(text);
	free(bytes);
	return v;
}

/* --json: the whole run as one object on stdout (the streams were kept
 * in the run directory, masked). */
void
report_json(const struct run *r, int status)
{
	bool injected = r->inject && !r->blocked && r->fetched;
	char *wd;
	json_t *masks, *obj;
	char *text;

	if (!r->o->json)
		return;
	wd = working_directory();
	masks = json_loads(r->masks_json ? r->masks_json : "{}", 0, NULL);
	obj = json_pack(
	    "{s:o, s:o, s:i, s:s, s:b, s:I, s:b, s:b, s:s, s:I, s:b, s:o}",
	    "stdout", stream_text(r->out_dest), "stderr", stream_text(r->err_dest),
	    "return_code", status, "working_directory", wd, "env_injected",
	    injected, "env_count", (json_int_t)(injected ? r->name_count : 0),
	    "security_blocked", r->blocked, "timed_out", r->timed_out,
	    "project", r->o->project, "duration_ms",
	    (json_int_t)r->duration_ms, "output_sanitized", r->sanitized,
	    "masks", masks);
	text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	if (text == NULL)
		errx(EXIT_FAIL, "--json: cannot encode the result");
	if (puts(text) == EOF || fflush(stdout) == EOF)
		err(EXIT_FAIL, "stdout");
	free(text);
	free(wd);
	json_decref(obj);
}
