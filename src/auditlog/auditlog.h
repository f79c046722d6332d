/* SPDX-License-Identifier: ISC */
/* auditlog's entry point (auditlog_append) and what its verbs share: options,
 * the log's paths, the MAC key, the locked tail. */
#ifndef AUDITLOG_H
#define AUDITLOG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

#include "record.h"

#define JSON_INPUT_MAX (16u * 1024 * 1024) /* largest --json object */
#define JSON_DEPTH_MAX 32 /* deepest value a field may hold */

struct auditlog_options {
	const char *file;     /* NULL: SECENV_HOME/audit.log */
	const char *key_path; /* NULL: SECENV_HOME/keys/audit.key if present */
	bool json;            /* merge a JSON object from stdin */
	bool syslog;          /* also send the record to syslog(3) */
	bool sync;            /* fsync each append (off: --no-fsync) */
	/* Called, when set, once the record is written and synced and
	 * before the anchor is moved to it: the record is durable, and
	 * announced by the anchor, so a caller waiting only for that may
	 * go on (secenv-run starts the command) while the move is synced. */
	void (*durable)(void *arg);
	void *durable_arg;
};

struct log_paths {
	char log[PATH_MAX];
	char anchor[PATH_MAX];
	char lock[PATH_MAX];
	char dir[PATH_MAX];
	char base[FILE_NAME_MAX + 1]; /* the log's own file name */
};

/* What the next record needs, read under the lock. */
struct log_tail {
	uint64_t seq;                   /* last record, 0 when none */
	unsigned char hash[HASH_BYTES]; /* its hash, zeros when none */
	struct record last;             /* the last record itself */
	off_t size;                     /* bytes in the file */
	dev_t dev;                      /* the file's device and inode */
	ino_t ino;
	uint64_t torn_bytes;            /* a partial last line, 0 when none */
	size_t last_len; /* the last record's line, its newline included */
	bool anchor_present;
	struct anchor anchor; /* as read (zeros when absent) */
	const unsigned char *key; /* the MAC key the tail was read with */
};

/* The paths of the log named by file (NULL: the default, whose
 * directory is created). Dies 111. */
void log_paths_init(struct log_paths *p, const char *file);

/* The MAC key (secure memory) from path, or from the default key file
 * when path is NULL; NULL when path is NULL and there is no default.
 * Dies 111 when the key cannot be read or is not 32 private bytes. */
unsigned char *mackey_load(const char *path);

/* mackey_load(), and *file the status of the key file it read (st_ino 0
 * when there is none). */
unsigned char *mackey_load_file(const char *path, struct stat *file);

/* mackey_load_file() without a word: false, and nothing loaded, where
 * that would die. */
bool mackey_try_load_file(const char *path, struct stat *file,
                          unsigned char **key);

/* Is the key file of path (NULL: the default) still the one *file
 * describes (the same inode, size, mode, owner and times), or still
 * absent when none was there? A key that passes is the key read then:
 * the file is replaced by rename, and an edit in place changes ctime. */
bool mackey_unchanged(const char *path, const struct stat *file);

/* A keyed log (its key id given) read with no key: when it is
 * SECENV_HOME's own log, its key is keys/audit.key and that file is
 * missing, and this dies 111 saying so; otherwise it returns, for the
 * caller to ask for -k. */
void mackey_missing(const char *log, const char *key_id);

/* Take the log's lock (LOG.lock). Dies 111. */
int log_lock(const struct log_paths *p);

/* Open the log for appending, creating it when create, its status in
 * *status when not NULL; -1 with errno ENOENT when it is missing and
 * !create. Dies 111 otherwise. */
int log_open(const char *path, bool create, struct stat *status);

/* Read the anchor; 1 present, 0 absent, -1 bad with *why. Dies 111 on
 * an I/O error. */
int anchor_load(const char *path, const unsigned char *key, struct anchor *a,
                const char **why);

/* Does the last record (seq, hash; prev the hash before it) agree with
 * the anchor: it is the anchored record, or the one an interrupted
 * append announced as next? */
bool anchor_agrees(const struct anchor *a, uint64_t seq,
                   const unsigned char hash[HASH_BYTES],
                   const unsigned char prev[HASH_BYTES]);

/* Under the lock: the tail of the log in fd and its anchor. Refuses
 * (111) to extend a chain whose tail is unreadable, keyed otherwise, or
 * at odds with the anchor. */
void log_read_tail(int fd, const struct log_paths *p, const char *path,
                   const unsigned char *key, struct log_tail *t);

/* log_read_tail() that returns false, saying nothing and holding
 * nothing more, where that dies: a look ahead, not a check that counts
 * (auditlog_preload). */
bool log_tail_peek(int fd, const struct log_paths *p, const unsigned char *key,
                   struct log_tail *t);

/*
 * Complete fields into the record after t (time, seq, pid, uid, host,
 * prev, mac_key, torn_bytes) and seal it; announce it in the anchor as
 * next (synced when sync), cut off a torn last line, write the record,
 * fsync when sync, call durable(arg) when it is set, and move the
 * anchor to it. A crash at any point
 * leaves a log that verifies: the record is absent, torn, or the one
 * the anchor announced. t then describes the new tail. Any failure
 * puts the file and the anchor back as they were and dies 111 (a
 * record too large dies 100). Returns the line (malloc'd, with its
 * newline) and its length in *len.
 */
char *log_append_record(int fd, const struct log_paths *p, const char *path,
                        struct log_tail *t, json_t *fields,
                        const unsigned char *key, bool sync,
                        void (*durable)(void *), void *arg, size_t *len);

/* Put the log in fd and its anchor back as before described them
 * (after a later step failed; a torn line before had is gone);
 * errno is kept. */
void log_undo(int fd, const struct log_paths *p, const char *path,
              const struct log_tail *before);

/* fsync the directory holding the log. Dies 111. */
void log_sync_dir(const struct log_paths *p);

/*
 * auditlog's entry point, which secenv-run calls too: append one record
 * of record's fields (a JSON object; its top-level strings may hold any
 * bytes, made valid UTF-8 here, and every string is cut to VALUE_CUT as
 * on the command line). Checks the field names and the event first (100),
 * then writes under the lock as log_append_record() says; dies 100 or
 * 111 with a message, returns EXIT_OK. record stays the caller's.
 */
int auditlog_append(const struct auditlog_options *o, json_t *record);

/* What auditlog_append() keeps for the next append in this process
 * (the MAC key, the tail it wrote) wiped and dropped. */
void auditlog_forget(void);

/* The MAC key of key_path (NULL: the default) read now and kept for
 * the appends to come, by a process that has time now and appends later
 * (secenv-run's keeper): the first append then reads no key file. A key
 * that cannot be read is left for that append to read, and to die
 * saying why. */
void auditlog_key_preload(const char *key_path);

/* auditlog_key_preload(), then the tail of the log file (not NULL)
 * read and checked ahead, for the next append to take when it is still
 * as it was: it then reads no more than the last record back. */
void auditlog_preload(const char *file, const char *key_path);

/* report and alerts (report.c): what to read and where to write. */
struct report_options {
	const char *project; /* NULL: every project */
	const char *since, *until;
	const char *config; /* NULL: SECENV_HOME/alerts.conf */
	const char *output; /* report: the page, "-" for stdout */
};

/* append's command line: FIELD=VALUE and FIELD:=JSON, --json's object. */
int append_main(const struct auditlog_options *o, int argc, char **argv);
int verify_main(const struct auditlog_options *o);
int rotate_main(const struct auditlog_options *o);
int report_main(const struct auditlog_options *o,
                const struct report_options *r);
int alerts_main(const struct auditlog_options *o,
                const struct report_options *r);

/*
 * The fail-closed pre-check a caller makes before it acts (secenv-run
 * before it starts a command): under the lock, the MAC key loads (0600,
 * 32 bytes, present when the log is keyed), the log's last record reads,
 * checks under that key and agrees with the anchor, no rotation is half
 * done, and the file system has room for two records of the largest size.
 * Returns 0, or dies 111 naming the cause (file NULL: the default log;
 * key_path NULL: the default key when present). It is a check, not a
 * promise: the write-ahead intent record that follows it is what proves
 * the record can be written, and the caller must still refuse to act when
 * that append fails.
 */
int auditlog_can_append(const char *file, const char *key_path);

#endif
