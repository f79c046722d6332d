/* SPDX-License-Identifier: ISC */
/* The audit record: its canonical bytes, its hash, the line parser, the anchor.
 */
#ifndef AUDITLOG_RECORD_H
#define AUDITLOG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define RECORD_MAX (64 * 1024) /* longest line, its newline included */
#define VALUE_CUT 4096         /* longest string value kept, in bytes */
#define HASH_BYTES 32
#define HASH_HEX (2 * HASH_BYTES)
#define MAC_KEY_BYTES 32
#define KEY_ID_BYTES 8
#define KEY_ID_HEX (2 * KEY_ID_BYTES)
#define FILE_NAME_MAX 255
#define INTENT_ID_MAX 64

/* The record's tail: the hash field, always last. */
#define HASH_FIELD ",\"hash\":\""
#define HASH_SUFFIX_LEN (sizeof HASH_FIELD - 1 + HASH_HEX + 2)

/* Fixed-width anchor lines, newline included: version 1 names the last
 * record; version 2 (written now) also names the record an append is
 * about to write ("next", zeros when none). */
#define ANCHOR_V1_LEN 186
#define ANCHOR_LEN 256

/* The events auditlog writes itself when it rotates a file. */
#define EVENT_ROTATE "rotate"   /* last record of a file that was archived */
#define EVENT_ROTATED "rotated" /* first record of the file that continues */

struct record {
	uint64_t seq;
	unsigned char hash[HASH_BYTES]; /* as written in the line */
	unsigned char prev[HASH_BYTES];
	bool hash_ok;   /* the hash matches under the key given */
	char event[64]; /* cut to fit; compared only to ours */
	bool keyed;     /* has mac_key */
	char key_id[KEY_ID_HEX + 1];
	uint64_t torn_bytes;                   /* 0 when absent */
	char previous_file[FILE_NAME_MAX + 1]; /* rotated: "" when absent */
	char archive[FILE_NAME_MAX + 1];       /* rotate: "" when absent */
	char intent[INTENT_ID_MAX + 1];     /* an intent's id, or "" */
	char outcome_of[INTENT_ID_MAX + 1]; /* the intent it closes, or "" */
};

/* An intent id: 16 to 64 lower-case hex digits. */
bool intent_id_is_valid(const char *s);

/* A field that auditlog writes itself, which a caller may not set. */
bool record_field_reserved(const char *name);

/* BLAKE2b-256 of the canonical bytes, keyed when key is not NULL. */
void record_hash(const unsigned char *key, const void *canon, size_t len,
                 unsigned char out[HASH_BYTES]);

/* A key's public id: BLAKE2b-64 of the key, as 16 hex digits. */
void record_key_id(const unsigned char key[MAC_KEY_BYTES],
                   char out[KEY_ID_HEX + 1]);

/* Lower-case hex; out holds 2 * len + 1. */
void hex_encode(const unsigned char *in, size_t len, char *out);
/* Exactly 2 * len lower-case hex digits; false otherwise. */
bool hex_decode(const char *in, size_t len, unsigned char *out);

/*
 * A JSON string holding any bytes: each maximal ill-formed UTF-8
 * subsequence becomes one U+FFFD (the Unicode recommended practice),
 * and a value longer than VALUE_CUT bytes is cut at a character
 * boundary and marked "...[cut: N bytes]". New reference, or NULL.
 */
json_t *record_text(const void *bytes, size_t len);

/* The same cut applied to every string inside v (already valid
 * UTF-8, as jansson only parses that). New reference, or NULL. */
json_t *record_clean(json_t *v);

/*
 * The line for obj, which holds every field but hash: the canonical
 * bytes (compact, keys sorted), then ,"hash":"HEX" inserted before the
 * closing brace, then a newline. malloc'd; NULL with errno E2BIG when
 * the line would exceed RECORD_MAX.
 */
char *record_seal(const json_t *obj, const unsigned char *key, size_t *len,
                  unsigned char hash[HASH_BYTES]);

/*
 * Parse one line (without its newline) from an untrusted file: the
 * hash field last, the canonical object before it with the fields
 * auditlog writes, of the right types; r->hash_ok tells whether the
 * hash matches under key (NULL: unkeyed). 0, or -1 with *why a static
 * message.
 */
int record_parse(const char *line, size_t len, const unsigned char *key,
                 struct record *r, const char **why);

/* What an anchor says: the last record an append finished (seq, hash)
 * and, while an append is under way, the hash of the record it writes
 * next (seq + 1). */
struct anchor {
	uint64_t seq;
	unsigned char hash[HASH_BYTES];
	bool has_next;
	unsigned char next[HASH_BYTES];
	int version; /* 1: an old anchor, which has no next */
};

/* The anchor line: "secenv-audit-anchor 2 seq=N hash=H next=X mac=M\n"
 * (X: 64 zeros when there is no next). */
void anchor_format(const struct anchor *a, const unsigned char *key,
                   char out[ANCHOR_LEN + 1]);

/* Parse an anchor of either version; -1 with *why when malformed or
 * its MAC is wrong. */
int anchor_parse(const char *buf, size_t len, const unsigned char *key,
                 struct anchor *a, const char **why);

#endif
