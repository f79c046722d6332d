/* SPDX-License-Identifier: ISC */
/* The log on disk: its paths, lock, tail, anchor, and the one write of a
 * record. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "paths.h"
#include "util.h"

#define TAIL_CHUNK 8192
#define TAIL_MAX (2 * (size_t)RECORD_MAX + 2) /* a torn line and a record */

static void
paths_from(struct log_paths *p, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t dirlen;

	path_join(p->log, sizeof p->log, file, NULL);
	if (snprintf(p->anchor, sizeof p->anchor, "%s.anchor", file) >=
	        (int)sizeof p->anchor ||
	    snprintf(p->lock, sizeof p->lock, "%s.lock", file) >=
	        (int)sizeof p->lock)
		errx(EXIT_FAIL, "path too long: %s", printable(file));
	if (slash == NULL) {
		path_join(p->dir, sizeof p->dir, ".", NULL);
		slash = file - 1;
	} else {
		dirlen = slash == file ? 1 : (size_t)(slash - file);
		if (dirlen >= sizeof p->dir)
			errx(EXIT_FAIL, "path too long: %s", printable(file));
		memcpy(p->dir, file, dirlen);
		p->dir[dirlen] = '\0';
	}
	if (strlen(slash + 1) == 0 || strlen(slash + 1) > FILE_NAME_MAX)
		errx(EXIT_USAGE, "%s: not a file name", printable(file));
	snprintf(p->base, sizeof p->base, "%s", slash + 1);
}

void
log_paths_init(struct log_paths *p, const char *file)
{
	char path[PATH_MAX];

	if (file != NULL) {
		paths_from(p, file);
		return;
	}
	if (dir_ensure(secenv_home()) != 0)
		err(EXIT_FAIL, "%s", printable(secenv_home()));
	path_join(path, sizeof path, secenv_home(), "audit.log");
	paths_from(p, path);
}

int
log_lock(const struct log_paths *p)
{
	int fd = lock_acquire(p->lock);

	if (fd < 0)
		err(EXIT_FAIL, "%s", printable(p->lock));
	return fd;
}

int
log_open(const char *path, bool create, struct stat *status)
{
	int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	struct stat own, *st = status != NULL ? status : &own;
	int fd = open(path, flags | (create ? O_CREAT : 0), 0600);

	if (fd < 0 && errno == ENOENT && !create)
		return -1;
	if (fd < 0)
		err(EXIT_FAIL, "%s", printable(path));
	if (fstat(fd, st) != 0)
		err(EXIT_FAIL, "%s", printable(path));
	if (!S_ISREG(st->st_mode))
		errx(EXIT_FAIL, "%s: not a regular file", printable(path));
	return fd;
}

void
log_sync_dir(const struct log_paths *p)
{
	int fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0)
		err(EXIT_FAIL, "%s", printable(p->dir));
	close(fd);
}

/* Set while log_tail_peek() reads: a fault ends the read there. */
static jmp_buf *peeking;

/* A log whose tail cannot be extended (and why, errno's text too when
 * with_errno): 111 with the message, or back to log_tail_peek(). */
__attribute__((noreturn, format(printf, 2, 3))) static void
tail_refuse(bool with_errno, const char *format, ...)
{
	va_list ap;

	if (peeking != NULL)
		longjmp(*peeking, 1);
	va_start(ap, format);
	if (with_errno)
		verr(EXIT_FAIL, format, ap);
	verrx(EXIT_FAIL, format, ap);
}

int
anchor_load(const char *path, const unsigned char *key, struct anchor *a,
            const char **why)
{
	char buf[ANCHOR_LEN + 1];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	memset(a, 0, sizeof *a);
	a->version = 1;
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		tail_refuse(true, "%s", printable(path));
	n = read_full(fd, buf, sizeof buf);
	if (n < 0) {
		int saved = errno;

		close(fd); /* log_tail_peek() goes on */
		errno = saved;
		tail_refuse(true, "%s", printable(path));
	}
	close(fd);
	/* An anchor that a full disk kept from being written is absent. */
	if (n == 0)
		return 0;
	if (anchor_parse(buf, (size_t)n, key, a, why) != 0)
		return -1;
	return 1;
}

bool
anchor_agrees(const struct anchor *a, uint64_t seq,
              const unsigned char hash[HASH_BYTES],
              const unsigned char prev[HASH_BYTES])
{
	if (seq == a->seq && sodium_memcmp(hash, a->hash, HASH_BYTES) == 0)
		return true;
	if (seq != a->seq + 1)
		return false;
	/* Announced before it was written: an append stopped after. */
	if (a->has_next)
		return sodium_memcmp(hash, a->next, HASH_BYTES) == 0;
	/* Version 1 anchors moved after the write: one record ahead. */
	return a->version == 1 && sodium_memcmp(prev, a->hash, HASH_BYTES) == 0;
}

/* The last lines of fd: grow the window until it holds the last
 * complete line (and any torn line after it). */
static char *
tail_window(int fd, off_t size, size_t *len, const char *path)
{
	size_t want = TAIL_CHUNK;
	char *buf = NULL;

	for (;;) {
		size_t n = (off_t)want < size ? want : (size_t)size;
		char *nb = realloc(buf, n);
		size_t newlines = 0, i;

		if (nb == NULL) {
			free(buf); /* log_tail_peek() goes on */
			tail_refuse(true, "%s", printable(path));
		}
		buf = nb;
		if (pread(fd, buf, n, size - (off_t)n) != (ssize_t)n) {
			free(buf); /* log_tail_peek() goes on */
			tail_refuse(false, "%s: cannot read its last record",
			            printable(path));
		}
		for (i = 0; i < n - 1 && newlines < 2; i++)
			newlines += buf[n - 2 - i] == '\n';
		if (newlines >= 2 || (off_t)n == size) {
			*len = n;
			return buf;
		}
		if (want >= TAIL_MAX) {
			free(buf);
			tail_refuse(
			    false,
			    "%s: its last line is longer than any record: "
			    "run auditlog verify",
			    printable(path));
		}
		want *= 4;
	}
}

static void
tail_check_key(const struct record *r, const unsigned char *key,
               const char *path)
{
	char id[KEY_ID_HEX + 1];

	if (key == NULL && r->keyed && peeking == NULL)
		mackey_missing(path, r->key_id);
	if (key == NULL && r->keyed)
		tail_refuse(
		    false,
		    "%s: the log is keyed (MAC key id %s): give its key with "
		    "-k",
		    printable(path), r->key_id);
	if (key == NULL)
		return;
	record_key_id(key, id);
	if (!r->keyed)
		tail_refuse(
		    false,
		    "%s: the log has no MAC: a key cannot start in the middle "
		    "of a log (move it and its anchor away to start anew)",
		    printable(path));
	if (strcmp(id, r->key_id) != 0)
		tail_refuse(
		    false, "%s: the log is keyed under another MAC key (id %s)",
		    printable(path), r->key_id);
}

/* The last record must be the anchored one, or the one an append
 * announced and wrote before it stopped. */
static void
tail_check_anchor(const struct log_tail *t, const char *path)
{
	const struct anchor *a = &t->anchor;

	if (anchor_agrees(a, t->seq, t->hash, t->last.prev))
		return;
	if (!t->anchor_present)
		tail_refuse(false,
		            "%s: its anchor is missing: run auditlog verify",
		            printable(path));
	if (t->seq == a->seq || t->seq == a->seq + 1)
		tail_refuse(false,
		            "%s: its last records are not the ones its anchor "
		            "records: run auditlog verify",
		            printable(path));
	tail_refuse(false,
	            "%s: the log ends at seq %" PRIu64
	            " but its anchor records seq "
	            "%" PRIu64 ": run auditlog verify",
	            printable(path), t->seq, a->seq);
}

__attribute__((noreturn)) static void
anchor_refuse(const struct log_paths *p, const char *why)
{
	tail_refuse(false, "%s: %s: run auditlog verify", printable(p->anchor),
	            why);
}

void
log_read_tail(int fd, const struct log_paths *p, const char *path,
              const unsigned char *key, struct log_tail *t)
{
	const char *why;
	struct stat st;
	size_t len, end, start;
	char *buf;
	int a;

	memset(t, 0, sizeof *t);
	t->key = key;
	/* A wrong key shows in the record better than in the anchor. */
	a = anchor_load(p->anchor, key, &t->anchor, &why);
	t->anchor_present = a == 1;
	if (fstat(fd, &st) != 0)
		tail_refuse(true, "%s", printable(path));
	t->size = st.st_size;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	if (t->size == 0 && a < 0)
		anchor_refuse(p, why);
	if (t->size == 0) {
		if (t->anchor.seq != 0)
			tail_refuse(
			    false,
			    "%s: the log is empty but its anchor records seq "
			    "%" PRIu64 ": records were cut, or a rotation was "
			    "interrupted (run auditlog rotate to finish it)",
			    printable(path), t->anchor.seq);
		return;
	}
	buf = tail_window(fd, t->size, &len, path);
	end = len;
	/* A last line without its newline is what a crash mid-write leaves:
	 * the next record starts on a line of its own and says so. */
	if (buf[end - 1] != '\n') {
		while (end > 0 && buf[end - 1] != '\n')
			end--;
		t->torn_bytes = len - end;
	}
	if (end == 0) {
		/* Only a torn line: the chain has not begun. */
		free(buf);
		if (a < 0)
			anchor_refuse(p, why);
		if (t->anchor.seq != 0)
			tail_check_anchor(t, path);
		return;
	}
	start = end - 1;
	while (start > 0 && buf[start - 1] != '\n')
		start--;
	if (record_parse(buf + start, end - 1 - start, key, &t->last, &why) !=
	    0) {
		free(buf);
		tail_refuse(false,
		            "%s: its last record is unreadable (%s): run "
		            "auditlog verify",
		            printable(path), why);
	}
	free(buf);
	tail_check_key(&t->last, key, path);
	if (a < 0)
		anchor_refuse(p, why);
	if (!t->last.hash_ok)
		tail_refuse(
		    false,
		    "%s: its last record does not match its hash: run auditlog "
		    "verify",
		    printable(path));
	t->seq = t->last.seq;
	memcpy(t->hash, t->last.hash, HASH_BYTES);
	t->last_len = end - start;
	tail_check_anchor(t, path);
}

bool
log_tail_peek(int fd, const struct log_paths *p, const unsigned char *key,
              struct log_tail *t)
{
	jmp_buf here;

	if (setjmp(here) != 0) {
		peeking = NULL;
		return false;
	}
	peeking = &here;
	log_read_tail(fd, p, p->log, key, t);
	peeking = NULL;
	return true;
}

static void
time_rfc3339(char out[32])
{
	uint64_t ms = now_ms();
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03uZ", (unsigned)(ms % 1000));
}

/* The fields auditlog itself adds to every record. */
static void
add_own_fields(json_t *obj, const struct log_tail *t, const unsigned char *key)
{
	char stamp[32], prev[HASH_HEX + 1], id[KEY_ID_HEX + 1], host[256];

	time_rfc3339(stamp);
	hex_encode(t->hash, HASH_BYTES, prev);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	json_object_set_new(obj, "time", json_string(stamp));
	json_object_set_new(obj, "seq", json_integer((json_int_t)t->seq + 1));
	json_object_set_new(obj, "pid", json_integer(getppid()));
	json_object_set_new(obj, "uid", json_integer(getuid()));
	json_object_set_new(obj, "host", record_text(host, strlen(host)));
	json_object_set_new(obj, "prev", json_string(prev));
	if (key != NULL) {
		record_key_id(key, id);
		json_object_set_new(obj, "mac_key", json_string(id));
	}
	if (t->torn_bytes > 0)
		json_object_set_new(obj, "torn_bytes",
		                    json_integer((json_int_t)t->torn_bytes));
}

static int
anchor_store(const char *path, const struct anchor *a,
             const unsigned char *key, bool sync)
{
	char line[ANCHOR_LEN + 1];
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0)
		return -1;
	anchor_format(a, key, line);
	/* Fixed width and rewritten in place: no new blocks once it
	 * exists, and a single small pwrite(2) that a kill cannot tear. */
	errno = 0;
	if (pwrite(fd, line, ANCHOR_LEN, 0) != ANCHOR_LEN ||
	    fstat(fd, &st) != 0 ||
	    (st.st_size != ANCHOR_LEN && ftruncate(fd, ANCHOR_LEN) != 0) ||
	    (sync && fdatasync(fd) != 0))
		rc = -1;
	if (rc != 0 && errno == 0)
		errno = ENOSPC; /* a short pwrite: only space stops it */
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* The anchor as it stands for t: its last record, nothing announced. */
static void
anchor_at(struct anchor *a, const struct log_tail *t)
{
	memset(a, 0, sizeof *a);
	a->version = 2;
	a->seq = t->seq;
	memcpy(a->hash, t->hash, HASH_BYTES);
}

void
log_undo(int fd, const struct log_paths *p, const char *path,
         const struct log_tail *before)
{
	struct anchor a;
	int saved = errno;

	if (ftruncate(fd, before->size - (off_t)before->torn_bytes) != 0 ||
	    fsync(fd) != 0)
		warn("%s: cannot undo a partial record", printable(path));
	/* The announced record is not there: the anchor may say so or not
	 * (both verify), so a failure here changes nothing. */
	anchor_at(&a, before);
	anchor_store(p->anchor, &a, before->key, true);
	errno = saved;
}

/* Put the log and its anchor back as they were, then die. */
__attribute__((noreturn)) static void
roll_back(int fd, const struct log_paths *p, const char *path,
          const struct log_tail *t, const char *what)
{
	log_undo(fd, p, path, t);
	if (errno != 0)
		err(EXIT_FAIL, "%s: %s", printable(path), what);
	errx(EXIT_FAIL, "%s: %s", printable(path), what);
}

/* All of buf, or -1 with errno: a short write is followed by another,
 * so a full disk is told as ENOSPC, not as a short count. */
static int
write_record(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

char *
log_append_record(int fd, const struct log_paths *p, const char *path,
                  struct log_tail *t, json_t *fields, const unsigned char *key,
                  bool sync, void (*durable)(void *), void *arg, size_t *len)
{
	unsigned char hash[HASH_BYTES];
	struct anchor a;
	char *line;
	size_t llen;
	bool fresh = !t->anchor_present;

	t->key = key;
	add_own_fields(fields, t, key);
	line = record_seal(fields, key, &llen, hash);
	if (line == NULL && errno == E2BIG)
		errx(EXIT_USAGE, "record longer than %d bytes", RECORD_MAX);
	if (line == NULL)
		err(EXIT_FAIL, "record");
	/* First the intent: the anchor names the record about to be
	 * written, so whether a crash leaves it out, torn or whole, the
	 * log still agrees with its anchor. */
	anchor_at(&a, t);
	a.has_next = true;
	memcpy(a.next, hash, HASH_BYTES);
	errno = 0;
	if (anchor_store(p->anchor, &a, key, sync) != 0)
		roll_back(fd, p, p->anchor, t, "anchor not written");
	if (sync && fresh)
		log_sync_dir(p);
	/* A torn line is what an append that died mid-write left; its
	 * length goes in this record (torn_bytes). */
	if (t->torn_bytes > 0 &&
	    ftruncate(fd, t->size - (off_t)t->torn_bytes) != 0)
		roll_back(fd, p, path, t, "cut the torn last line");
	errno = 0;
	if (write_record(fd, line, llen) != 0)
		roll_back(fd, p, path, t, "write");
	if (sync && fsync(fd) != 0)
		roll_back(fd, p, path, t, "fsync");
	if (sync && t->size == 0)
		log_sync_dir(p);
	t->seq++;
	memcpy(t->hash, hash, HASH_BYTES);
	t->size += (off_t)llen - (off_t)t->torn_bytes;
	t->torn_bytes = 0;
	t->anchor_present = true;
	if (durable != NULL)
		durable(arg);
	/* Then the commit. Should it fail, the anchor still announces
	 * this record, which is there: the log verifies either way. */
	anchor_at(&t->anchor, t);
	if (anchor_store(p->anchor, &t->anchor, key, sync) != 0)
		warn("%s: anchor not moved to seq %" PRIu64
		     " (the log verifies: it announced it)",
		     printable(p->anchor), t->seq);
	*len = llen;
	return line;
}
