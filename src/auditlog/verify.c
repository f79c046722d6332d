/* SPDX-License-Identifier: ISC */
/* auditlog verify: every record, the chain across rotated files, and the
 * anchor. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "secmem.h"
#include "util.h"

#define READ_CAP (2 * (size_t)RECORD_MAX + 2)
#define FILES_MAX 100000 /* rotated files one verify follows */

struct reader {
	int fd;
	char *buf;
	size_t start, end;
	bool eof;
	uint64_t line_no; /* lines returned so far */
};

struct line {
	uint64_t no;
	size_t len;   /* bytes, without the newline */
	bool newline; /* ended with a newline */
	int parsed;   /* 0, or -1 when not a record (why says why) */
	const char *why;
	struct record r;
};

/* An intent record whose outcome has not come (yet). */
struct open_intent {
	char id[INTENT_ID_MAX + 1];
	char event[sizeof((struct record *)0)->event];
	char *file;
	uint64_t line, seq;
};

/* The chain so far, carried from file to file. */
struct chain {
	const unsigned char *key;
	char key_id[KEY_ID_HEX + 1];
	uint64_t seq;                   /* last sound record, 0 at the start */
	unsigned char hash[HASH_BYTES]; /* its hash, zeros at the start */
	unsigned char before[HASH_BYTES]; /* the hash before it */
	uint64_t records, first_seq, last_line;
	char last_event[sizeof((struct record *)0)->event];
	struct open_intent *open; /* intents no outcome closed yet */
	size_t open_count, open_size;
};

static void
reader_open(struct reader *rd, const char *path)
{
	memset(rd, 0, sizeof *rd);
	rd->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (rd->fd < 0)
		err(EXIT_FAIL, "%s", printable(path));
	rd->buf = malloc(READ_CAP);
	if (rd->buf == NULL)
		err(EXIT_FAIL, "%s", printable(path));
}

static void
reader_close(struct reader *rd)
{
	close(rd->fd);
	free(rd->buf);
}

static void
reader_fill(struct reader *rd)
{
	ssize_t n;

	if (rd->start > 0) {
		memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
		rd->end -= rd->start;
		rd->start = 0;
	}
	do
		n = read(rd->fd, rd->buf + rd->end, READ_CAP - rd->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err(EXIT_FAIL, "read");
	rd->end += (size_t)n;
	rd->eof = n == 0;
}

/* The next line, parsed; a line longer than any record is dropped
 * (only its length is kept) and reported as not a record. 0 at EOF. */
static int
reader_next(struct reader *rd, const unsigned char *key, struct line *l)
{
	size_t dropped = 0;
	char *nl;

	for (;;) {
		size_t have = rd->end - rd->start;

		nl = memchr(rd->buf + rd->start, '\n', have);
		if (nl != NULL || (rd->eof && (have > 0 || dropped > 0)))
			break;
		if (rd->eof)
			return 0;
		if (have > RECORD_MAX) {
			dropped += have;
			rd->start = rd->end;
		}
		reader_fill(rd);
	}
	memset(l, 0, sizeof *l);
	l->no = ++rd->line_no;
	l->newline = nl != NULL;
	l->len = (nl != NULL ? (size_t)(nl - rd->buf) : rd->end) - rd->start;
	if (dropped > 0) {
		l->parsed = -1;
		l->why = "longer than any record";
	} else {
		l->parsed = record_parse(rd->buf + rd->start, l->len, key,
		                         &l->r, &l->why);
	}
	l->len += dropped;
	rd->start = nl != NULL ? (size_t)(nl - rd->buf) + 1 : rd->end;
	return 1;
}

__attribute__((noreturn, format(printf, 3, 4))) static void
fault(const char *path, uint64_t line, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (line > 0)
		errx(EXIT_NO, "%s: line %" PRIu64 ": %s", printable(path), line,
		     what);
	errx(EXIT_NO, "%s: %s", printable(path), what);
}

static bool
key_matches(const struct chain *c, const struct record *r)
{
	if (c->key == NULL)
		return !r->keyed;
	return r->keyed && strcmp(r->key_id, c->key_id) == 0;
}

/* l is a sound record that continues the chain as it stands. */
static bool
continues(const struct chain *c, const struct line *l)
{
	return l != NULL && l->parsed == 0 && l->r.hash_ok &&
	       key_matches(c, &l->r) && l->r.seq == c->seq + 1 &&
	       sodium_memcmp(l->r.prev, c->hash, HASH_BYTES) == 0;
}

/* The line of seq in path after line after, or 0. */
static uint64_t
find_seq(const char *path, const unsigned char *key, uint64_t after,
         uint64_t seq)
{
	struct reader rd;
	struct line l;
	uint64_t found = 0;

	reader_open(&rd, path);
	while (found == 0 && reader_next(&rd, key, &l))
		if (l.no > after && l.parsed == 0 && l.r.seq == seq)
			found = l.no;
	reader_close(&rd);
	return found;
}

/* A record that fails on its own: a line the next one steps over was
 * inserted; anything else was edited. */
static void
check_alone(const char *path, const struct chain *c, const struct line *l,
            const struct line *next)
{
	const char *what = NULL;
	char buf[160];

	if (l->parsed != 0) {
		snprintf(buf, sizeof buf, "%s: edited or corrupted", l->why);
		what = buf;
	} else if (c->key == NULL && l->r.keyed) {
		mackey_missing(path, l->r.key_id);
		errx(EXIT_USAGE,
		     "%s: line %" PRIu64
		     ": keyed (MAC key id %s): give its key "
		     "with -k",
		     printable(path), l->no, l->r.key_id);
	} else if (!key_matches(c, &l->r)) {
		if (l->r.keyed)
			snprintf(buf, sizeof buf,
			         "record keyed under another MAC key (id %s)",
			         l->r.key_id);
		else
			snprintf(buf, sizeof buf,
			         "record has no MAC (written without the key)");
		what = buf;
	} else if (!l->r.hash_ok) {
		what = "record edited: its hash does not match its content";
	}
	if (what == NULL)
		return;
	if (continues(c, next))
		fault(path, l->no,
		      "inserted line: not in the chain (line %" PRIu64
		      " continues from the record before it)",
		      next->no);
	fault(path, l->no, "%s", what);
}

static void
check_order(const char *path, const struct chain *c, const struct line *l)
{
	uint64_t expect = c->seq + 1, at;

	if (l->r.seq > expect) {
		at = find_seq(path, c->key, l->no, expect);
		if (at != 0)
			fault(path, l->no,
			      "records out of order: seq %" PRIu64
			      " comes before seq %" PRIu64 " (line %" PRIu64
			      ")",
			      l->r.seq, expect, at);
		fault(path, l->no,
		      "%" PRIu64 " record%s deleted before this line (expected "
		      "seq %" PRIu64 ", found seq %" PRIu64 ")",
		      l->r.seq - expect, l->r.seq - expect == 1 ? "" : "s",
		      expect, l->r.seq);
	}
	if (l->r.seq < expect)
		fault(path, l->no,
		      "records out of order or repeated: seq %" PRIu64
		      " after seq %" PRIu64,
		      l->r.seq, c->seq);
	if (sodium_memcmp(l->r.prev, c->hash, HASH_BYTES) != 0)
		fault(path, l->no,
		      "chain broken: prev is not the hash of the record before "
		      "it (that record was replaced)");
}

/* Rotation records: "rotated" opens a file that continues prev_base,
 * "rotate" is the last record of an archive, named as it is now. */
static void
check_rotation(const char *path, const char *base, const char *prev_base,
               bool first, const struct line *l, const struct line *next)
{
	bool opening = strcmp(l->r.event, EVENT_ROTATED) == 0;

	if (first && prev_base != NULL &&
	    (!opening || strcmp(l->r.previous_file, prev_base) != 0))
		fault(path, l->no, "does not continue %s",
		      printable(prev_base));
	if (opening && (!first || prev_base == NULL))
		fault(path, l->no, "rotation record out of place");
	if (strcmp(l->r.event, EVENT_ROTATE) != 0)
		return;
	if (next != NULL)
		fault(path, l->no, "rotation record inside the file");
	if (strcmp(l->r.archive, base) != 0)
		fault(path, l->no,
		      "archive renamed: its rotation record names %s",
		      printable(l->r.archive));
}

/* Write-ahead pairs: an intent stays open until its outcome. */
static void
track_intent(struct chain *c, const char *path, const struct line *l)
{
	struct open_intent *o;
	size_t i;

	if (l->r.outcome_of[0] != '\0')
		for (i = 0; i < c->open_count; i++)
			if (strcmp(c->open[i].id, l->r.outcome_of) == 0) {
				free(c->open[i].file);
				c->open[i] = c->open[--c->open_count];
				break;
			}
	if (l->r.intent[0] == '\0')
		return;
	if (c->open_count == c->open_size) {
		size_t n = c->open_size ? 2 * c->open_size : 16;

		o = realloc(c->open, n * sizeof *o);
		if (o == NULL)
			err(EXIT_FAIL, "verify");
		c->open = o;
		c->open_size = n;
	}
	o = &c->open[c->open_count++];
	snprintf(o->id, sizeof o->id, "%s", l->r.intent);
	snprintf(o->event, sizeof o->event, "%s", l->r.event);
	o->file = strdup(path);
	if (o->file == NULL)
		err(EXIT_FAIL, "verify");
	o->line = l->no;
	o->seq = l->r.seq;
}

/* Findings, not faults: a run or change whose process died between
 * its intent and its outcome. Oldest first. */
static void
report_open_intents(struct chain *c)
{
	size_t i, j;

	for (i = 0; i < c->open_count; i++)
		for (j = i + 1; j < c->open_count; j++)
			if (c->open[j].seq < c->open[i].seq) {
				struct open_intent t = c->open[i];

				c->open[i] = c->open[j];
				c->open[j] = t;
			}
	for (i = 0; i < c->open_count; i++) {
		char event[4 * sizeof c->open[i].event];

		/* printable() has one buffer: the event is copied first. */
		snprintf(event, sizeof event, "%s", printable(c->open[i].event));
		warnx("%s: line %" PRIu64 ": run ended without a record: "
		      "%s intent %s (seq %" PRIu64 ") has no outcome",
		      printable(c->open[i].file), c->open[i].line, event,
		      c->open[i].id, c->open[i].seq);
		free(c->open[i].file);
	}
	free(c->open);
}

static void
accept(struct chain *c, const struct line *l)
{
	if (c->records == 0)
		c->first_seq = l->r.seq;
	memcpy(c->before, c->hash, HASH_BYTES);
	memcpy(c->hash, l->r.hash, HASH_BYTES);
	c->seq = l->r.seq;
	c->records++;
	c->last_line = l->no;
	snprintf(c->last_event, sizeof c->last_event, "%s", l->r.event);
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Every line of one file; returns the number of lines, and in *torn
 * the line number of a torn last line (0 when none). */
static uint64_t
verify_file(const char *path, const char *prev_base, struct chain *c,
            uint64_t *torn)
{
	struct line cur, next;
	struct reader rd;
	bool have = false, have_next, first = true;

	*torn = 0;
	reader_open(&rd, path);
	have = reader_next(&rd, c->key, &cur);
	while (have) {
		have_next = reader_next(&rd, c->key, &next);
		if (cur.newline && have_next && continues(c, &next) &&
		    next.r.torn_bytes == cur.len) {
			warnx(
			    "%s: line %" PRIu64 ": a torn line from an "
			    "interrupted append, stepped over by line %" PRIu64,
			    printable(path), cur.no, next.no);
		} else if (!cur.newline) {
			*torn = cur.no;
		} else {
			check_alone(path, c, &cur, have_next ? &next : NULL);
			check_order(path, c, &cur);
			check_rotation(path, base_name(path), prev_base, first,
			               &cur, have_next ? &next : NULL);
			accept(c, &cur);
			track_intent(c, path, &cur);
			first = false;
		}
		cur = next;
		have = have_next;
	}
	reader_close(&rd);
	if (first && prev_base != NULL && *torn == 0)
		fault(path, 1, "empty file in a rotated chain");
	return rd.line_no;
}

/* The end of the chain against the anchor, which names its last record
 * (and the next one while an append is under way). */
static void
check_anchor(const char *path, const char *anchor, const struct chain *c,
             uint64_t lines, uint64_t torn)
{
	struct anchor a;
	const char *why;
	int rc = anchor_load(anchor, c->key, &a, &why);

	if (rc < 0)
		fault(anchor, 0, "%s", why);
	if (torn != 0 && a.seq > c->seq)
		fault(path, torn,
		      "cut mid-record: the log ends in a partial line and its "
		      "anchor records seq %" PRIu64,
		      a.seq);
	if (torn != 0)
		fault(path, torn,
		      "torn last line: an append was interrupted (the records "
		      "before it are sound)");
	if (rc == 0 && c->seq > 1)
		fault(anchor, 0,
		      "missing: cannot tell whether records were cut off the "
		      "end");
	if (c->seq < a.seq)
		fault(
		    path, lines + 1,
		    "%" PRIu64 " record%s cut off the end: the log ends at seq "
		    "%" PRIu64 ", its anchor records seq %" PRIu64,
		    a.seq - c->seq, a.seq - c->seq == 1 ? "" : "s", c->seq, a.seq);
	if (anchor_agrees(&a, c->seq, c->hash, c->before))
		return;
	if (c->seq == a.seq)
		fault(path, c->last_line,
		      "the last record is not the one its anchor records");
	if (c->seq == a.seq + 1 && a.has_next)
		fault(path, c->last_line,
		      "the last record is not the one its anchor announced");
	if (c->seq == a.seq + 1 && a.version == 1)
		fault(path, c->last_line,
		      "the record before the last is not the one its anchor "
		      "records");
	fault(path, c->last_line,
	      "the log goes on to seq %" PRIu64 " past its anchor's seq "
	      "%" PRIu64 ": records added without auditlog, or the "
	      "anchor replaced",
	      c->seq, a.seq);
}

/* The file this one continues, from its first record; NULL when none. */
static char *
predecessor(const char *path, const char *dir, const unsigned char *key)
{
	struct reader rd;
	struct line l;
	char *prev = NULL;

	reader_open(&rd, path);
	if (reader_next(&rd, key, &l) && l.parsed == 0 &&
	    strcmp(l.r.event, EVENT_ROTATED) == 0 && l.r.previous_file[0]) {
		if (asprintf(&prev, "%s/%s", dir, l.r.previous_file) < 0)
			err(EXIT_FAIL, "path");
		if (access(prev, F_OK) != 0)
			fault(path, 1, "continues %s, which is missing",
			      printable(l.r.previous_file));
	}
	reader_close(&rd);
	return prev;
}

/* The files of the chain, oldest first, ending with path. */
static char **
chain_files(const struct log_paths *p, const unsigned char *key, size_t *count)
{
	/* static: a fault in a predecessor exits with the list still held,
	 * not leaked */
	static char **files;
	char *at = strdup(p->log);
	size_t n = 0, i;

	files = NULL;
	while (at != NULL) {
		char **grown;

		if (n == FILES_MAX)
			fault(p->log, 0, "more than %d rotated files",
			      FILES_MAX);
		grown = realloc(files, (n + 1) * sizeof *files);
		if (grown == NULL)
			err(EXIT_FAIL, "verify");
		files = grown;
		files[n++] = at;
		at = predecessor(at, p->dir, key);
	}
	for (i = 0; i < n / 2; i++) {
		char *t = files[i];

		files[i] = files[n - 1 - i];
		files[n - 1 - i] = t;
	}
	*count = n;
	return files;
}

static int
verify_chain(const struct log_paths *p, const unsigned char *key)
{
	struct chain c;
	char **files;
	size_t count, i;
	uint64_t lines = 0, torn = 0;
	bool closed;

	memset(&c, 0, sizeof c);
	c.key = key;
	if (key != NULL)
		record_key_id(key, c.key_id);
	files = chain_files(p, key, &count);
	for (i = 0; i < count; i++) {
		const char *prev = i > 0 ? base_name(files[i - 1]) : NULL;

		lines = verify_file(files[i], prev, &c, &torn);
		if (i + 1 < count && torn != 0)
			fault(files[i], torn,
			      "torn last line in an archived file");
		if (i + 1 < count && strcmp(c.last_event, EVENT_ROTATE) != 0)
			fault(files[i], lines + 1,
			      "the file ends at seq %" PRIu64 " without its "
			      "rotation record: records cut off its end",
			      c.seq);
	}
	/* An archive's end is held by the file that continues it. */
	closed = torn == 0 && strcmp(c.last_event, EVENT_ROTATE) == 0;
	if (!closed)
		check_anchor(p->log, p->anchor, &c, lines, torn);
	if (c.records == 0)
		printf("%s: sound: no records\n", p->log);
	else
		printf("%s: sound: %" PRIu64 " records, seq %" PRIu64
		       " to %" PRIu64 "%s%s\n",
		       p->log, c.records, c.first_seq, c.seq,
		       count > 1 ? " across rotated files" : "",
		       closed ? ", closed by rotation" : "");
	if (fflush(stdout) != 0)
		err(EXIT_FAIL, "stdout");
	report_open_intents(&c);
	for (i = 0; i < count; i++)
		free(files[i]);
	free(files);
	return EXIT_OK;
}

int
verify_main(const struct auditlog_options *o)
{
	struct log_paths paths;
	unsigned char *key;
	int lock, rc;

	log_paths_init(&paths, o->file);
	key = mackey_load(o->key_path);
	if (access(paths.log, F_OK) != 0)
		err(EXIT_FAIL, "%s", printable(paths.log));
	/* Appends wait while verify reads; a copy in a read-only place is
	 * verified without the lock. */
	lock = lock_acquire(paths.lock);
	if (lock < 0 && errno != EACCES && errno != EROFS && errno != EPERM)
		err(EXIT_FAIL, "%s", printable(paths.lock));
	rc = verify_chain(&paths, key);
	lock_release(lock);
	secmem_free(key);
	return rc;
}
