/* SPDX-License-Identifier: ISC */
/* auditlog rotate: close the log with a record, archive it, continue the chain
 * in a new file. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"

static void
archive_name(const struct log_paths *p, uint64_t seq,
             char name[FILE_NAME_MAX + 1], char path[PATH_MAX])
{
	int n = snprintf(name, FILE_NAME_MAX + 1, "%s.%" PRIu64, p->base, seq);

	if (n < 0 || n > FILE_NAME_MAX)
		errx(EXIT_FAIL, "%s: name too long to rotate",
		     printable(p->log));
	path_join(path, PATH_MAX, p->dir, name);
}

static void
append_event(int fd, const struct log_paths *p, const char *path,
             struct log_tail *t, const char *event, const char *field,
             const char *value, const unsigned char *key, bool sync)
{
	json_t *fields = json_object();
	size_t len;
	char *line;

	if (fields == NULL)
		err(EXIT_FAIL, "record");
	json_object_set_new(fields, "event", json_string(event));
	json_object_set_new(fields, field, json_string(value));
	line = log_append_record(fd, p, path, t, fields, key, sync, NULL, NULL,
	                         &len);
	free(line);
	json_decref(fields);
}

/* The new log's first record carries the chain on from the archive. */
static void
open_successor(const struct log_paths *p, struct log_tail *t, const char *name,
               const unsigned char *key, bool sync)
{
	int fd = open(p->log,
	              O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	                  O_NOCTTY,
	              0600);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		err(EXIT_FAIL, "%s", printable(p->log));
	if (!S_ISREG(st.st_mode) || st.st_size != 0)
		errx(EXIT_FAIL, "%s: appeared while rotating",
		     printable(p->log));
	t->size = 0;
	t->torn_bytes = 0;
	append_event(fd, p, p->log, t, EVENT_ROTATED, "previous_file", name,
	             key, sync);
	if (close(fd) != 0)
		err(EXIT_FAIL, "%s", printable(p->log));
	log_sync_dir(p);
}

/* A rotation that stopped after archiving: the log is missing or
 * empty, and the anchor names the archive's closing record. */
static int
rotate_resume(const struct log_paths *p, const unsigned char *key, bool sync)
{
	char name[FILE_NAME_MAX + 1], path[PATH_MAX];
	struct anchor anchor;
	struct log_tail t;
	const char *why;
	uint64_t seq;
	int fd, a = anchor_load(p->anchor, key, &anchor, &why);

	if (a < 0)
		errx(EXIT_FAIL, "%s: %s", printable(p->anchor), why);
	seq = anchor.seq;
	if (a == 0 || seq == 0) {
		warnx("%s: no records to rotate", printable(p->log));
		return EXIT_OK;
	}
	archive_name(p, seq, name, path);
	fd = log_open(path, false, NULL);
	if (fd < 0)
		errx(EXIT_FAIL,
		     "%s: the log is empty but its anchor records seq %" PRIu64,
		     printable(p->log), seq);
	log_read_tail(fd, p, path, key, &t);
	close(fd);
	if (strcmp(t.last.event, EVENT_ROTATE) != 0 ||
	    strcmp(t.last.archive, name) != 0)
		errx(EXIT_FAIL, "%s: does not end with its rotation record",
		     printable(path));
	open_successor(p, &t, name, key, sync);
	printf("%s\n", path);
	return EXIT_OK;
}

static int
rotate_log(const struct log_paths *p, int fd, const unsigned char *key,
           bool sync)
{
	char name[FILE_NAME_MAX + 1], path[PATH_MAX];
	struct log_tail t, before;
	struct stat st;
	bool closed;

	if (fstat(fd, &st) != 0)
		err(EXIT_FAIL, "%s", printable(p->log));
	if (st.st_size == 0) {
		close(fd);
		return rotate_resume(p, key, sync);
	}
	log_read_tail(fd, p, p->log, key, &t);
	/* Closed already by a rotation that stopped before its rename. */
	closed = strcmp(t.last.event, EVENT_ROTATE) == 0;
	archive_name(p, closed ? t.seq : t.seq + 1, name, path);
	if (closed && strcmp(t.last.archive, name) != 0)
		errx(EXIT_FAIL, "%s: its rotation record names %s",
		     printable(p->log), printable(t.last.archive));
	if (access(path, F_OK) == 0 || errno != ENOENT)
		errx(EXIT_FAIL, "%s: exists already", printable(path));
	before = t;
	if (!closed)
		append_event(fd, p, p->log, &t, EVENT_ROTATE, "archive", name,
		             key, sync);
	if (renameat2(AT_FDCWD, p->log, AT_FDCWD, path, RENAME_NOREPLACE) !=
	    0) {
		if (!closed)
			log_undo(fd, p, p->log, &before);
		err(EXIT_FAIL, "rename %s", printable(p->log));
	}
	if (close(fd) != 0)
		err(EXIT_FAIL, "%s", printable(path));
	open_successor(p, &t, name, key, sync);
	printf("%s\n", path);
	return EXIT_OK;
}

int
rotate_main(const struct auditlog_options *o)
{
	struct log_paths paths;
	unsigned char *key;
	int lock, fd, rc;

	log_paths_init(&paths, o->file);
	key = mackey_load(o->key_path);
	lock = log_lock(&paths);
	fd = log_open(paths.log, false, NULL);
	rc = fd < 0 ? rotate_resume(&paths, key, o->sync)
	            : rotate_log(&paths, fd, key, o->sync);
	lock_release(lock);
	secmem_free(key);
	return rc;
}
