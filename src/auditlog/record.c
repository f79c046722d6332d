/* SPDX-License-Identifier: ISC */
/* The audit record: its canonical bytes, its hash, the line parser, the anchor.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "record.h"
#include "util.h"

#define ANCHOR_MAGIC_V1 "secenv-audit-anchor 1 seq="
#define ANCHOR_MAGIC "secenv-audit-anchor 2 seq="
#define CUT_MARKER_MAX 40

static const char *const reserved_fields[] = {
    "time", "seq",     "pid",        "uid",           "host",    "prev",
    "hash", "mac_key", "torn_bytes", "previous_file", "archive",
};

bool
record_field_reserved(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof reserved_fields / sizeof reserved_fields[0]; i++)
		if (strcmp(name, reserved_fields[i]) == 0)
			return true;
	return false;
}

void
record_hash(const unsigned char *key, const void *canon, size_t len,
            unsigned char out[HASH_BYTES])
{
	crypto_generichash(out, HASH_BYTES, canon, len, key,
	                   key != NULL ? MAC_KEY_BYTES : 0);
}

void
record_key_id(const unsigned char key[MAC_KEY_BYTES], char out[KEY_ID_HEX + 1])
{
	unsigned char id[KEY_ID_BYTES];

	crypto_generichash(id, sizeof id, key, MAC_KEY_BYTES, NULL, 0);
	hex_encode(id, sizeof id, out);
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	sodium_bin2hex(out, 2 * len + 1, in, len);
}

bool
hex_decode(const char *in, size_t len, unsigned char *out)
{
	size_t got;

	/* lower case only, as written: libsodium would take upper case too */
	for (size_t i = 0; i < 2 * len; i++)
		if (!((in[i] >= '0' && in[i] <= '9') ||
		      (in[i] >= 'a' && in[i] <= 'f')))
			return false;
	return sodium_hex2bin(out, len, in, 2 * len, NULL, &got, NULL) == 0 &&
	       got == len;
}

/* Cut valid UTF-8 text of len bytes at a character boundary at most
 * VALUE_CUT and add the marker; buf has room for it. New length. */
static size_t
cut_text(char *buf, size_t len, size_t original)
{
	size_t at = VALUE_CUT;

	if (len <= VALUE_CUT)
		return len;
	while (at > 0 && ((unsigned char)buf[at] & 0xc0) == 0x80)
		at--;
	return at + (size_t)snprintf(buf + at, CUT_MARKER_MAX,
	                             "...[cut: %zu bytes]", original);
}

json_t *
record_text(const void *bytes, size_t len)
{
	/* Stop cleaning once past the cut: 1 MB values cost no more. */
	size_t room = VALUE_CUT + 4 + CUT_MARKER_MAX, o;
	char *buf = malloc(room);
	json_t *v;

	if (buf == NULL)
		return NULL;
	o = utf8_clean(bytes, len, buf, VALUE_CUT);
	if (o > VALUE_CUT)
		o = cut_text(buf, o, len);
	v = json_stringn(buf, o);
	free(buf);
	return v;
}

json_t *
record_clean(json_t *v)
{
	json_t *out, *item;
	const char *key;
	size_t i;

	if (json_is_string(v)) {
		if (json_string_length(v) <= VALUE_CUT)
			return json_incref(v);
		return record_text(json_string_value(v), json_string_length(v));
	}
	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, key, item)
		{
			if (out == NULL ||
			    json_object_set_new(out, key, record_clean(item)) !=
			        0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, item)
		{
			if (out == NULL || json_array_append_new(
			                       out, record_clean(item)) != 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	return json_incref(v);
}

char *
record_seal(const json_t *obj, const unsigned char *key, size_t *len,
            unsigned char hash[HASH_BYTES])
{
	char *canon = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	char *line;
	size_t clen, llen;

	if (canon == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	clen = strlen(canon);
	llen = clen - 1 + HASH_SUFFIX_LEN + 1;
	if (clen < 2 || llen > RECORD_MAX) {
		free(canon);
		errno = E2BIG;
		return NULL;
	}
	record_hash(key, canon, clen, hash);
	line = malloc(llen + 1);
	if (line == NULL) {
		free(canon);
		return NULL;
	}
	memcpy(line, canon, clen - 1);
	memcpy(line + clen - 1, HASH_FIELD, sizeof HASH_FIELD - 1);
	hex_encode(hash, HASH_BYTES, line + clen - 1 + sizeof HASH_FIELD - 1);
	memcpy(line + llen - 3, "\"}\n", 4);
	free(canon);
	*len = llen;
	return line;
}

static bool
file_name_ok(const char *s)
{
	return *s != '\0' && strlen(s) <= FILE_NAME_MAX &&
	       strchr(s, '/') == NULL && strcmp(s, ".") != 0 &&
	       strcmp(s, "..") != 0;
}

static int
field_u64(json_t *obj, const char *name, bool required, uint64_t min,
          uint64_t *out)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL) {
		*out = 0;
		return required ? -1 : 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) < min)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
field_string(json_t *obj, const char *name, bool required, const char **out)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (v == NULL)
		return required ? -1 : 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

bool
intent_id_is_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 16 && n <= INTENT_ID_MAX &&
	       strspn(s, "0123456789abcdef") == n;
}

/* intent and outcome_of are the caller's: one that is not an id is
 * only not taken as one, so a log from before them still reads. */
static void
field_intent(json_t *obj, const char *name, char out[INTENT_ID_MAX + 1])
{
	const char *s = json_string_value(json_object_get(obj, name));

	if (s != NULL && intent_id_is_valid(s))
		snprintf(out, INTENT_ID_MAX + 1, "%s", s);
}

/* The fields auditlog wrote, with their types, into r. */
static int
record_fields(json_t *obj, struct record *r, const char **why)
{
	unsigned char id[KEY_ID_BYTES];
	const char *s;
	uint64_t n;

	if (field_u64(obj, "seq", true, 1, &r->seq) != 0)
		return *why = "seq is missing or not a positive integer", -1;
	if (field_string(obj, "time", true, &s) != 0)
		return *why = "time is missing or not a string", -1;
	if (field_string(obj, "host", true, &s) != 0)
		return *why = "host is missing or not a string", -1;
	if (field_u64(obj, "pid", true, 0, &n) != 0 ||
	    field_u64(obj, "uid", true, 0, &n) != 0)
		return *why = "pid or uid is missing or not an integer", -1;
	if (field_string(obj, "event", true, &s) != 0)
		return *why = "event is missing or not a string", -1;
	snprintf(r->event, sizeof r->event, "%s", s);
	if (field_string(obj, "prev", true, &s) != 0 || strlen(s) != HASH_HEX ||
	    !hex_decode(s, HASH_BYTES, r->prev))
		return *why = "prev is not 64 hex digits", -1;
	if (field_string(obj, "mac_key", false, &s) != 0 ||
	    (s != NULL &&
	     (strlen(s) != KEY_ID_HEX || !hex_decode(s, KEY_ID_BYTES, id))))
		return *why = "mac_key is not 16 hex digits", -1;
	r->keyed = s != NULL;
	snprintf(r->key_id, sizeof r->key_id, "%s", s != NULL ? s : "");
	if (field_u64(obj, "torn_bytes", false, 1, &r->torn_bytes) != 0)
		return *why = "torn_bytes is not a positive integer", -1;
	if (field_string(obj, "previous_file", false, &s) != 0 ||
	    (s != NULL && !file_name_ok(s)))
		return *why = "previous_file is not a file name", -1;
	snprintf(r->previous_file, sizeof r->previous_file, "%s",
	         s != NULL ? s : "");
	if (field_string(obj, "archive", false, &s) != 0 ||
	    (s != NULL && !file_name_ok(s)))
		return *why = "archive is not a file name", -1;
	snprintf(r->archive, sizeof r->archive, "%s", s != NULL ? s : "");
	field_intent(obj, "intent", r->intent);
	field_intent(obj, "outcome_of", r->outcome_of);
	return 0;
}

int
record_parse(const char *line, size_t len, const unsigned char *key,
             struct record *r, const char **why)
{
	const char *suffix;
	unsigned char computed[HASH_BYTES];
	size_t clen;
	char *canon;
	json_t *obj;
	int rc;

	memset(r, 0, sizeof *r);
	if (len < HASH_SUFFIX_LEN + 2 || len > RECORD_MAX)
		return *why = "not a record (wrong length)", -1;
	suffix = line + len - HASH_SUFFIX_LEN;
	if (memcmp(suffix, HASH_FIELD, sizeof HASH_FIELD - 1) != 0 ||
	    memcmp(line + len - 2, "\"}", 2) != 0 ||
	    !hex_decode(suffix + sizeof HASH_FIELD - 1, HASH_BYTES, r->hash))
		return *why = "not a record (no hash field at its end)", -1;
	/* The canonical bytes: the line without its hash field. */
	clen = len - HASH_SUFFIX_LEN + 1;
	canon = malloc(clen + 1);
	if (canon == NULL)
		return *why = "out of memory", -1;
	memcpy(canon, line, clen - 1);
	canon[clen - 1] = '}';
	canon[clen] = '\0';
	obj = json_loadb(canon, clen, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	                 NULL);
	if (obj == NULL || !json_is_object(obj)) {
		*why = "not a record (not a JSON object)";
		rc = -1;
	} else if (json_object_get(obj, "hash") != NULL) {
		*why = "not a record (two hash fields)";
		rc = -1;
	} else {
		rc = record_fields(obj, r, why);
	}
	if (rc == 0) {
		record_hash(key, canon, clen, computed);
		r->hash_ok = sodium_memcmp(computed, r->hash, HASH_BYTES) == 0;
	}
	json_decref(obj);
	free(canon);
	return rc;
}

/* The line up to its MAC, and the MAC after it. */
static void
anchor_seal(char *out, int n, const unsigned char *key)
{
	char hex[HASH_HEX + 1];
	unsigned char mac[HASH_BYTES];

	record_hash(key, out, (size_t)n, mac);
	hex_encode(mac, HASH_BYTES, hex);
	snprintf(out + n, ANCHOR_LEN + 1 - (size_t)n, " mac=%s\n", hex);
}

static void
anchor_format_v1(uint64_t seq, const unsigned char hash[HASH_BYTES],
                 const unsigned char *key, char out[ANCHOR_LEN + 1])
{
	char hex[HASH_HEX + 1];

	hex_encode(hash, HASH_BYTES, hex);
	anchor_seal(out,
	            snprintf(out, ANCHOR_LEN + 1,
	                     ANCHOR_MAGIC_V1 "%020" PRIu64 " hash=%s", seq,
	                     hex),
	            key);
}

void
anchor_format(const struct anchor *a, const unsigned char *key,
              char out[ANCHOR_LEN + 1])
{
	static const unsigned char none[HASH_BYTES];
	char hex[HASH_HEX + 1], next[HASH_HEX + 1];

	hex_encode(a->hash, HASH_BYTES, hex);
	hex_encode(a->has_next ? a->next : none, HASH_BYTES, next);
	anchor_seal(out,
	            snprintf(out, ANCHOR_LEN + 1,
	                     ANCHOR_MAGIC "%020" PRIu64 " hash=%s next=%s",
	                     a->seq, hex, next),
	            key);
}

static bool
parse_seq(const char *digits, uint64_t *seq)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < 20; i++) {
		char c = digits[i];

		if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(c - '0');
	}
	*seq = n;
	return true;
}

int
anchor_parse(const char *buf, size_t len, const unsigned char *key,
             struct anchor *a, const char **why)
{
	static const unsigned char none[HASH_BYTES];
	char expect[ANCHOR_LEN + 1];
	size_t at = sizeof ANCHOR_MAGIC - 1;
	bool v1 = len == ANCHOR_V1_LEN &&
	          memcmp(buf, ANCHOR_MAGIC_V1, sizeof ANCHOR_MAGIC_V1 - 1) == 0;

	memset(a, 0, sizeof *a);
	if ((!v1 && (len != ANCHOR_LEN ||
	             memcmp(buf, ANCHOR_MAGIC, at) != 0 ||
	             memcmp(buf + at + 90, " next=", 6) != 0 ||
	             !hex_decode(buf + at + 96, HASH_BYTES, a->next))) ||
	    memcmp(buf + at + 20, " hash=", 6) != 0 ||
	    !hex_decode(buf + at + 26, HASH_BYTES, a->hash) ||
	    !parse_seq(buf + at, &a->seq))
		return *why = "malformed", -1;
	a->version = v1 ? 1 : 2;
	a->has_next = !v1 && sodium_memcmp(a->next, none, HASH_BYTES) != 0;
	if (v1)
		anchor_format_v1(a->seq, a->hash, key, expect);
	else
		anchor_format(a, key, expect);
	if (sodium_memcmp(expect, buf, len) != 0)
		return *why = "edited, or written under another MAC key "
		              "(its MAC does not match)",
		       -1;
	return 0;
}
