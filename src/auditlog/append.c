/* SPDX-License-Identifier: ISC */
/* auditlog append: the caller's fields, then one sealed record under the lock.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
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

/*
 * What this process's last append left, for its next one: secenv-run's
 * keeper appends a run's intent, then, once the command ended, its
 * outcome, and the second need not read the MAC key again, nor read back
 * and check the record and anchor the first wrote. Each is taken only
 * when it is still as it was: the key file the same file (mackey_unchanged),
 * and, under the lock, the log the same file of the same size ending in
 * that record, its anchor the line that append left. Anything else (another
 * writer's append in between, a rotation, an edit, an anchor not moved) is
 * read and checked afresh, as the first append did.
 */
static struct {
	bool has_key;        /* key and key_file are set */
	const char *key_arg; /* the key_path they were loaded for */
	unsigned char *key;  /* secure memory; NULL: an unkeyed log */
	struct stat key_file;
	char log[PATH_MAX];   /* the log the tail is of ("": none) */
	struct log_tail tail; /* after the append */
	char *line;           /* the record it wrote, and its length */
	size_t len;
} kept;

/* The key is kept only for the same key_path as before (the same
 * string: callers pass their options' own). */
static bool
kept_key_fits(const char *key_path)
{
	bool same_arg =
	    key_path == NULL
	        ? kept.key_arg == NULL
	        : kept.key_arg != NULL && strcmp(kept.key_arg, key_path) == 0;

	return kept.has_key && same_arg &&
	       mackey_unchanged(key_path, &kept.key_file);
}

void
auditlog_forget(void)
{
	secmem_free(kept.key);
	free(kept.line);
	free((char *)kept.key_arg);
	memset(&kept, 0, sizeof kept);
}

/* The MAC key for key_path: the kept one while its file is unchanged,
 * else read (and kept, dropping a tail checked under the old key). */
static const unsigned char *
key_take(const char *key_path)
{
	if (kept_key_fits(key_path))
		return kept.key;
	auditlog_forget();
	kept.key = mackey_load_file(key_path, &kept.key_file);
	kept.key_arg = key_path != NULL ? xstrdup(key_path) : NULL;
	kept.has_key = true;
	return kept.key;
}

void
auditlog_key_preload(const char *key_path)
{
	struct stat file;
	unsigned char *key;

	if (kept_key_fits(key_path) ||
	    !mackey_try_load_file(key_path, &file, &key))
		return;
	auditlog_forget();
	kept.key = key;
	kept.key_file = file;
	kept.key_arg = key_path != NULL ? xstrdup(key_path) : NULL;
	kept.has_key = true;
}

/* Is the log in fd, and its anchor, as the kept append left them? */
static bool
kept_tail_fits(int fd, const struct stat *st, const struct log_paths *p)
{
	char anchor[ANCHOR_LEN + 1], expect[ANCHOR_LEN + 1];
	char *last;
	ssize_t n;
	bool same;
	int afd;

	if (kept.line == NULL || strcmp(kept.log, p->log) != 0 ||
	    st->st_dev != kept.tail.dev || st->st_ino != kept.tail.ino ||
	    st->st_size != kept.tail.size || (off_t)kept.len > st->st_size)
		return false;
	last = xcalloc(kept.len, 1);
	same = pread(fd, last, kept.len, st->st_size - (off_t)kept.len) ==
	           (ssize_t)kept.len &&
	       memcmp(last, kept.line, kept.len) == 0;
	free(last);
	if (!same)
		return false;
	afd = open(p->anchor, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (afd < 0)
		return false;
	n = read_full(afd, anchor, sizeof anchor);
	close(afd);
	anchor_format(&kept.tail.anchor, kept.key, expect);
	return n == ANCHOR_LEN && memcmp(anchor, expect, ANCHOR_LEN) == 0;
}

/* After an append: its tail, and the record it wrote (line, now ours). */
static void
kept_tail_set(const struct log_paths *p, const struct log_tail *t,
              const char *event, char *line, size_t len)
{
	free(kept.line);
	kept.tail = *t;
	/* the last record is this one (never a rotation: event_require) */
	memset(&kept.tail.last, 0, sizeof kept.tail.last);
	kept.tail.last.seq = t->seq;
	memcpy(kept.tail.last.hash, t->hash, HASH_BYTES);
	snprintf(kept.tail.last.event, sizeof kept.tail.last.event, "%s",
	         event != NULL ? event : "");
	snprintf(kept.log, sizeof kept.log, "%s", p->log);
	kept.line = line;
	kept.len = len;
}

/*
 * The log's tail read and checked ahead, under the lock, and kept as
 * an append of ours would have left it (the last line and the anchor as
 * they are): the next append, under the lock again, takes it when they
 * are still so (kept_tail_fits), and reads and checks afresh otherwise.
 * Nothing is kept, and nothing said, when anything is amiss: that is
 * for the append to find and say.
 */
static void
tail_preload(const char *file)
{
	struct log_paths paths;
	struct log_tail tail;
	struct stat st;
	char *line;
	int lock, fd;

	log_paths_init(&paths, file);
	if ((lock = lock_acquire(paths.lock)) < 0)
		return;
	fd = open(paths.log,
	          O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    log_tail_peek(fd, &paths, kept.key, &tail) &&
	    tail.torn_bytes == 0 && tail.last_len > 0 &&
	    strcmp(tail.last.event, EVENT_ROTATE) != 0) {
		line = xcalloc(tail.last_len, 1);
		if (pread(fd, line, tail.last_len,
		          tail.size - (off_t)tail.last_len) ==
		    (ssize_t)tail.last_len)
			kept_tail_set(&paths, &tail, tail.last.event, line,
			              tail.last_len);
		else
			free(line);
	}
	if (fd >= 0)
		close(fd);
	lock_release(lock);
}

void
auditlog_preload(const char *file, const char *key_path)
{
	auditlog_key_preload(key_path);
	if (kept_key_fits(key_path) && file != NULL)
		tail_preload(file);
}

/* Refuses (111) a log whose rotation was interrupted. */
static void
rotation_refuse(const struct log_tail *tail, const struct log_paths *paths)
{
	if (strcmp(tail->last.event, EVENT_ROTATE) == 0)
		errx(EXIT_FAIL,
		     "%s: a rotation was interrupted: run auditlog rotate to "
		     "finish it",
		     printable(paths->log));
}

int
auditlog_can_append(const char *file, const char *key_path)
{
	struct log_paths paths;
	struct log_tail tail;
	unsigned char *key;
	int lock, fd;

	log_paths_init(&paths, file);
	key = mackey_load(key_path);
	lock = log_lock(&paths);
	fd = log_open(paths.log, true, NULL);
	log_read_tail(fd, &paths, paths.log, key, &tail);
	rotation_refuse(&tail, &paths);
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
	auditlog_forget();
	json_decref(fields);
	return status;
}

int
auditlog_append(const struct auditlog_options *o, json_t *record)
{
	struct log_paths paths;
	struct log_tail tail;
	const unsigned char *key;
	struct stat st;
	json_t *fields = fields_clean(record);
	char *line;
	size_t len;
	int lock, fd;

	event_require(fields);
	intent_require(fields, "intent");
	intent_require(fields, "outcome_of");
	log_paths_init(&paths, o->file);
	key = key_take(o->key_path);
	lock = log_lock(&paths);
	fd = log_open(paths.log, true, &st);
	if (kept_tail_fits(fd, &st, &paths)) {
		tail = kept.tail;
	} else {
		log_read_tail(fd, &paths, paths.log, key, &tail);
		rotation_refuse(&tail, &paths);
	}
	line = log_append_record(fd, &paths, paths.log, &tail, fields, key,
	                         o->sync, o->durable, o->durable_arg, &len);
	if (close(fd) != 0)
		err(EXIT_FAIL, "%s", printable(paths.log));
	lock_release(lock);
	if (o->syslog) {
		openlog("auditlog", LOG_PID, LOG_AUTHPRIV);
		syslog(LOG_AUTHPRIV | LOG_INFO, "%.*s", (int)(len - 1), line);
		closelog();
	}
	kept_tail_set(&paths, &tail,
	              json_string_value(json_object_get(fields, "event")), line,
	              len);
	json_decref(fields);
	return EXIT_OK;
}
