/* SPDX-License-Identifier: ISC */
/* auditlog append: the caller's fields, then one sealed record under the lock.
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

/* How deep v nests, 1 for a scalar; stops counting past JSON_DEPTH_MAX. */
static size_t
json_depth(json_t *v, size_t at)
{
	size_t deepest = at, i, d;
	const char *key;
	json_t *item;

	if (at > JSON_DEPTH_MAX)
		return at;
	if (json_is_object(v))
		json_object_foreach(v, key, item)
		{
			d = json_depth(item, at + 1);
			deepest = d > deepest ? d : deepest;
		}
	if (json_is_array(v))
		json_array_foreach(v, i, item)
		{
			d = json_depth(item, at + 1);
			deepest = d > deepest ? d : deepest;
		}
	return deepest;
}

/* Every record must read back: the reader has its own depth limit. */
static void
depth_require(json_t *v, const char *name)
{
	if (json_depth(v, 1) > JSON_DEPTH_MAX)
		errx(EXIT_USAGE, "field %s: nested deeper than %d levels",
		     name, JSON_DEPTH_MAX);
}

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

/* intent=ID opens a write-ahead pair, outcome_of=ID closes it. */
static void
intent_require(json_t *fields, const char *name)
{
	json_t *v = json_object_get(fields, name);

	if (v != NULL &&
	    (!json_is_string(v) || !intent_id_is_valid(json_string_value(v))))
		errx(EXIT_USAGE, "field %s: not an intent id (16 to %d hex digits)",
		     name, INTENT_ID_MAX);
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
		depth_require(value, name);
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

/* Room for a record of the largest size (and its anchor) where the log
 * lives; root's reserve is not counted on. */
static void
room_require(int fd, const char *path)
{
	struct statvfs vfs;

	if (fstatvfs(fd, &vfs) != 0)
		err(EXIT_FAIL, "%s", printable(path));
	if ((uint64_t)vfs.f_bavail * vfs.f_frsize < 2 * (uint64_t)RECORD_MAX) {
		errno = ENOSPC;
		err(EXIT_FAIL, "%s: no room for a record", printable(path));
	}
}

/* Under the lock (taken into *lock), the log of file opened for
 * appending with its tail read into *tail; the key loaded into *key.
 * Refuses (111) a log whose rotation was interrupted. */
static int
tail_open(const char *file, const char *key_path, struct log_paths *paths,
          struct log_tail *tail, unsigned char **key, int *lock)
{
	int fd;

	log_paths_init(paths, file);
	*key = mackey_load(key_path);
	*lock = log_lock(paths);
	fd = log_open(paths->log, true);
	log_read_tail(fd, paths, paths->log, *key, tail);
	if (strcmp(tail->last.event, EVENT_ROTATE) == 0)
		errx(EXIT_FAIL,
		     "%s: a rotation was interrupted: run auditlog rotate to "
		     "finish it",
		     printable(paths->log));
	return fd;
}

int
auditlog_can_append(const char *file, const char *key_path)
{
	struct log_paths paths;
	struct log_tail tail;
	unsigned char *key;
	int lock, fd;

	fd = tail_open(file, key_path, &paths, &tail, &key, &lock);
	room_require(fd, paths.log);
	close(fd);
	lock_release(lock);
	secmem_free(key);
	return 0;
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
	intent_require(fields, "intent");
	intent_require(fields, "outcome_of");
	fd = tail_open(o->file, o->key_path, &paths, &tail, &key, &lock);
	line = log_append_record(fd, &paths, paths.log, &tail, fields, key,
	                         o->sync, o->durable, o->durable_arg, &len);
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
