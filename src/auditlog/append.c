/* SPDX-License-Identifier: ISC */
/* auditlog append: the caller's fields, then one sealed record under the lock.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

static void
field_require(json_t *fields, const char *name)
{
	if (!name_is_valid(name))
		errx(EXIT_USAGE,
		     "bad field name %s: want [A-Za-z_][A-Za-z0-9_]*",
		     printable(name));
	if (record_field_reserved(name))
		errx(EXIT_USAGE, "field %s is written by auditlog itself",
		     name);
	if (json_object_get(fields, name) != NULL)
		errx(EXIT_USAGE, "field %s given twice", name);
}

/* FIELD=VALUE is a string; FIELD:=VALUE a JSON value (number, true,
 * false, null, array, object), so counts and statuses stay typed. */
static void
add_argument(json_t *fields, const char *arg)
{
	const char *eq = strchr(arg, '=');
	bool typed;
	char *name;
	json_t *value, *parsed;

	if (eq == NULL || eq == arg)
		errx(EXIT_USAGE, "%s: not FIELD=VALUE or FIELD:=JSON",
		     printable(arg));
	typed = eq[-1] == ':';
	name = strndup(arg, (size_t)(eq - arg) - typed);
	if (name == NULL)
		err(EXIT_FAIL, "field");
	field_require(fields, name);
	if (!typed) {
		/* any bytes: auditlog_append() makes them valid UTF-8 */
		value = json_stringn_nocheck(eq + 1, strlen(eq + 1));
	} else {
		parsed = json_loads(
		    eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
		if (parsed == NULL)
			errx(EXIT_USAGE, "field %s: not a JSON value", name);
		value = parsed;
	}
	if (value == NULL || json_object_set_new(fields, name, value) != 0)
		err(EXIT_FAIL, "field %s", name);
	free(name);
}

/* --json: one object on stdin (redact's --stats, for one), merged. */
static void
add_stdin_object(json_t *fields)
{
	unsigned char *buf;
	json_error_t jerr;
	const char *key;
	json_t *obj, *value;
	size_t len;

	if (read_all(STDIN_FILENO, JSON_INPUT_MAX, false, &buf, &len) != 0)
		err(EXIT_FAIL, "--json: stdin");
	obj = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	/* jerr.text quotes the input; the position is enough. */
	if (obj == NULL)
		errx(EXIT_USAGE, "--json: stdin: not JSON (line %d, column %d)",
		     jerr.line, jerr.column);
	if (!json_is_object(obj))
		errx(EXIT_USAGE, "--json: stdin: not a JSON object");
	json_object_foreach(obj, key, value)
	{
		field_require(fields, key);
		if (json_object_set(fields, key, value) != 0)
			err(EXIT_FAIL, "--json");
	}
	json_decref(obj);
}

static void
event_require(json_t *fields)
{
	const char *event = json_string_value(json_object_get(fields, "event"));

	if (event == NULL || *event == '\0')
		errx(EXIT_USAGE, "append: event=NAME is required");
	if (strcmp(event, EVENT_ROTATE) == 0 ||
	    strcmp(event, EVENT_ROTATED) == 0)
		errx(EXIT_USAGE, "event %s is written by auditlog rotate",
		     event);
}

/* The record's fields as they are written: each string valid UTF-8 (a
 * top-level one may hold any bytes) and cut to VALUE_CUT. */
static json_t *
fields_clean(json_t *record)
{
	json_t *fields = json_object(), *value, *clean;
	const char *name;

	if (fields == NULL || !json_is_object(record))
		errx(EXIT_FAIL, "record: not a JSON object");
	json_object_foreach(record, name, value)
	{
		field_require(fields, name);
		clean = json_is_string(value)
		            ? record_text(json_string_value(value),
		                          json_string_length(value))
		            : record_clean(value);
		if (clean == NULL ||
		    json_object_set_new(fields, name, clean) != 0)
			err(EXIT_FAIL, "field %s", name);
	}
	return fields;
}

int
append_main(const struct auditlog_options *o, int argc, char **argv)
{
	json_t *fields = json_object();
	int i, status;

	if (fields == NULL)
		err(EXIT_FAIL, "record");
	for (i = 0; i < argc; i++)
		add_argument(fields, argv[i]);
	if (o->json)
		add_stdin_object(fields);
	status = auditlog_append(o, fields);
	json_decref(fields);
	return status;
}

int
auditlog_append(const struct auditlog_options *o, json_t *record)
{
	struct log_paths paths;
	struct log_tail tail;
	unsigned char *key;
	json_t *fields = fields_clean(record);
	char *line;
	size_t len;
	int lock, fd;

	event_require(fields);
	log_paths_init(&paths, o->file);
	key = mackey_load(o->key_path);
	lock = log_lock(&paths);
	fd = log_open(paths.log, true);
	log_read_tail(fd, &paths, paths.log, key, &tail);
	if (strcmp(tail.last.event, EVENT_ROTATE) == 0)
		errx(EXIT_FAIL,
		     "%s: a rotation was interrupted: run auditlog rotate to "
		     "finish it",
		     printable(paths.log));
	line = log_append_record(fd, &paths, paths.log, &tail, fields, key,
	                         o->sync, &len);
	if (close(fd) != 0)
		err(EXIT_FAIL, "%s", printable(paths.log));
	lock_release(lock);
	secmem_free(key);
	if (o->syslog) {
		openlog("auditlog", LOG_PID, LOG_AUTHPRIV);
		syslog(LOG_AUTHPRIV | LOG_INFO, "%.*s", (int)(len - 1), line);
		closelog();
	}
	free(line);
	json_decref(fields);
	return EXIT_OK;
}
