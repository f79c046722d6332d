/* SPDX-License-Identifier: ISC */
/* What a run or a read tells afterwards, as data: mask counts, names, the
 * --json object. */
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

/* A JSON array of secret names. */
json_t *
json_names(char *const names[], size_t count)
{
	json_t *array = json_array();

	for (size_t i = 0; array != NULL && i < count; i++)
		if (json_array_append_new(array, json_string(names[i])) != 0)
			errx(EXIT_FAIL, "cannot encode the secret names");
	if (array == NULL)
		errx(EXIT_FAIL, "cannot encode the secret names");
	return array;
}

/* A string of any bytes for an audit record, which makes it valid
 * UTF-8 (auditlog_append). */
json_t *
json_bytes(const char *text)
{
	json_t *v = json_stringn_nocheck(text, strlen(text));

	if (v == NULL)
		errx(EXIT_FAIL, "cannot encode a record");
	return v;
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

/* The mask counts of count maskers (redact's stats, {"masks":{...}}),
 * summed per name (a stream whose reader went away still has its
 * counts; a masking that failed has none). */
json_t *
masks_read(const int *stats_fd, size_t count)
{
	json_t *total = json_object();

	if (total == NULL)
		errx(EXIT_FAIL, "cannot encode the mask counts");
	for (size_t i = 0; i < count; i++) {
		size_t len;
		char *text = memfd_text(stats_fd[i], &len);
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
	return total;
}

/* A stream kept in memory as JSON text (invalid UTF-8 shown as U+FFFD,
 * as jq does); no stream is "". */
json_t *
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

/* One JSON object, compact, as the one line on stdout. */
void
json_print(json_t *obj, const char *what)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	if (text == NULL)
		errx(EXIT_FAIL, "--json: cannot encode the %s", what);
	if (puts(text) == EOF || fflush(stdout) == EOF)
		err(EXIT_FAIL, "stdout");
	free(text);
}

/* --json: the whole run as one object on stdout (the streams were kept
 * in memory, masked). */
void
report_json(const struct run *r, int status)
{
	bool injected = r->inject && !r->blocked && r->fetched;
	char *wd;
	json_t *obj;

	if (!r->o->json)
		return;
	wd = working_directory();
	obj = json_pack(
	    "{s:o, s:o, s:i, s:s, s:b, s:I, s:b, s:b, s:s, s:I, s:b, s:o}",
	    "stdout", stream_text(r->out_dest), "stderr", stream_text(r->err_dest),
	    "return_code", status, "working_directory", wd, "env_injected",
	    injected, "env_count", (json_int_t)(injected ? r->name_count : 0),
	    "security_blocked", r->blocked, "timed_out", r->timed_out,
	    "project", r->o->project, "duration_ms",
	    (json_int_t)r->duration_ms, "output_sanitized", r->sanitized,
	    "masks", r->masks ? json_incref(r->masks) : json_object());
	json_print(obj, "result");
	free(wd);
	json_decref(obj);
}
