/* SPDX-License-Identifier: ISC */
/* Known answers for auditlog's hash, keyed hash, record line, anchor and text
 * cleaning. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auditlog/record.h"

#include "tap.h"

/*
 * Expected values come from an independent BLAKE2b (Python's hashlib,
 * the reference code), not from libsodium:
 *   blake2b(data, digest_size=32[, key=bytes(range(32))]).hexdigest()
 *   blake2b(bytes(range(32)), digest_size=8).hexdigest()    (key id)
 *   data.decode("utf-8", "replace")                          (cleaning)
 */
static unsigned char key[MAC_KEY_BYTES];

#define ZEROS64                                                                \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define CANON                                                                  \
	"{\"event\":\"run\",\"host\":\"h\",\"pid\":7,\"prev\":\"" ZEROS64      \
	"\",\"seq\":1,\"time\":\"2026-01-02T03:04:05.678Z\",\"uid\":0}"

static int
hash_is(const unsigned char *k, const char *data, const char *hex)
{
	unsigned char h[HASH_BYTES];
	char got[HASH_HEX + 1];

	record_hash(k, data, strlen(data), h);
	hex_encode(h, sizeof h, got);
	return strcmp(got, hex) == 0;
}

static void
test_hashes(void)
{
	char id[KEY_ID_HEX + 1];

	tap_ok(hash_is(NULL, "",
	               "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45c"
	               "df12fe3a8"),
	       "BLAKE2b-256 of the empty string");
	tap_ok(hash_is(NULL, "abc",
	               "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c"
	               "068d52319"),
	       "BLAKE2b-256 of abc");
	tap_ok(hash_is(key, "abc",
	               "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a"
	               "15a203f7f"),
	       "keyed BLAKE2b-256 of abc");
	tap_ok(hash_is(NULL, CANON,
	               "6c06df0f2cdd68f35226d6c80ed6d991e3b1baef8b5ae8d811b3149"
	               "d4fad1e2c"),
	       "hash of a canonical record");
	tap_ok(hash_is(key, CANON,
	               "acaf1e7dcbca226db9e0c8f8d9043c1e2729e252de5b8164f3337da"
	               "f2c14764c"),
	       "keyed hash of a canonical record");
	record_key_id(key, id);
	tap_ok(strcmp(id, "40f68f4ad24e575b") == 0,
	       "key id is BLAKE2b-64 of the key");
}

static json_t *
sample_record(void)
{
	return json_pack("{s:i, s:s, s:i, s:s, s:i, s:s, s:s}", "uid", 0,
	                 "event", "run", "pid", 7, "host", "h", "seq", 1,
	                 "time", "2026-01-02T03:04:05.678Z", "prev", ZEROS64);
}

static void
test_seal(void)
{
	static const char want[] = CANON;
	const char *why = NULL;
	json_t *obj = sample_record();
	unsigned char h[HASH_BYTES];
	struct record r;
	size_t len;
	char *line = record_seal(obj, key, &len, h);
	char expect[sizeof want + 128];

	snprintf(
	    expect, sizeof expect, "%.*s,\"hash\":\"%s\"}\n",
	    (int)(sizeof want - 2), want,
	    "acaf1e7dcbca226db9e0c8f8d9043c1e2729e252de5b8164f3337daf2c14764c");
	tap_ok(line != NULL && len == strlen(expect) &&
	           strcmp(line, expect) == 0,
	       "sealed line: sorted compact fields, keyed hash last");
	tap_ok(line != NULL &&
	           record_parse(line, len - 1, key, &r, &why) == 0 &&
	           r.hash_ok && r.seq == 1 && strcmp(r.event, "run") == 0,
	       "the sealed line parses and its keyed hash checks");
	tap_ok(line != NULL &&
	           record_parse(line, len - 1, NULL, &r, &why) == 0 &&
	           !r.hash_ok,
	       "without the key the hash does not check");
	if (line != NULL) {
		line[11] ^= 1; /* "run" becomes "rtn" */
		tap_ok(record_parse(line, len - 1, key, &r, &why) == 0 &&
		           !r.hash_ok,
		       "one flipped byte fails the hash");
	}
	free(line);
	json_decref(obj);
	obj = sample_record();
	json_object_set_new(obj, "hash", json_string("x"));
	line = record_seal(obj, NULL, &len, h);
	tap_ok(line != NULL && record_parse(line, len - 1, NULL, &r, &why) != 0,
	       "a record holding a second hash field is refused");
	free(line);
	json_decref(obj);
}

static void
test_parse_refusals(void)
{
	static const char *bad[] = {
	    "",
	    "{}",
	    "not json at all, but long enough to reach the suffix check ...."
	    "..............................",
	    "{\"seq\":1" HASH_FIELD ZEROS64 "\"}",
	    "{\"event\":\"run\",\"host\":\"h\",\"pid\":7,\"prev\":\"" ZEROS64
	    "\",\"seq\":0,\"time\":\"t\",\"uid\":0" HASH_FIELD ZEROS64 "\"}",
	    "{\"event\":\"run\",\"event\":\"x\",\"host\":\"h\",\"pid\":7,"
	    "\"prev\":\"" ZEROS64
	    "\",\"seq\":1,\"time\":\"t\",\"uid\":0" HASH_FIELD ZEROS64 "\"}",
	    "{\"event\":\"run\",\"host\":\"h\",\"pid\":7,\"prev\":\"" ZEROS64
	    "\",\"seq\":1,\"time\":\"t\",\"uid\":0" HASH_FIELD
	    "00000000000000000000000000000000000000000000000000000000000000G0\""
	    "}",
	};
	const char *why;
	struct record r;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = record_parse(bad[i], strlen(bad[i]), NULL, &r, &why);

		tap_ok(rc != 0, "malformed line %zu refused (%s)", i, why);
	}
}

static int
text_is(const char *in, size_t len, const char *want)
{
	json_t *v = record_text(in, len);
	int ok = v != NULL && strcmp(json_string_value(v), want) == 0;

	json_decref(v);
	return ok;
}

static void
test_text(void)
{
	char *big = malloc(1 << 20), *want;
	json_t *v;

	tap_ok(text_is("a\x80"
	               "b",
	               3,
	               "a\xef\xbf\xbd"
	               "b"),
	       "a stray continuation byte");
	tap_ok(text_is("\xe2\x82", 2, "\xef\xbf\xbd"),
	       "a cut sequence is one U+FFFD");
	tap_ok(text_is("\xe2\x82x", 3, "\xef\xbf\xbdx"),
	       "a cut sequence then ASCII");
	tap_ok(
	    text_is("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
	    "a surrogate is three U+FFFD");
	tap_ok(text_is("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd"),
	       "an overlong form");
	tap_ok(text_is("\xf4\x90\x80\x80", 4,
	               "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
	       "past U+10FFFF");
	tap_ok(text_is("ok\xc3\xa9", 4, "ok\xc3\xa9"), "valid UTF-8 is kept");
	memset(big, 'x', 1 << 20);
	big[VALUE_CUT - 1] = '\xc3'; /* a two-byte character across the cut */
	big[VALUE_CUT] = '\xa9';
	v = record_text(big, 1 << 20);
	want = malloc(VALUE_CUT + 64);
	memset(want, 'x', VALUE_CUT - 1);
	snprintf(want + VALUE_CUT - 1, 64, "...[cut: %d bytes]", 1 << 20);
	tap_ok(v != NULL && strcmp(json_string_value(v), want) == 0,
	       "1 MB value cut before a split character, with the marker");
	json_decref(v);
	free(want);
	free(big);
}

static void
test_anchor(void)
{
	struct anchor a = {.seq = 42}, got;
	char line[ANCHOR_LEN + 1], want[ANCHOR_LEN + 1];
	const char *why;

	record_hash(NULL, "abc", 3, a.hash);
	record_hash(NULL, "abcd", 4, a.next);
	a.has_next = true;
	anchor_format(&a, key, line);
	snprintf(want, sizeof want,
	         "secenv-audit-anchor 2 seq=00000000000000000042 hash=%s "
	         "next=%s mac=%s\n",
	         "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
	         "9cc3912a042827e45983ed53df3c759f4574added1d07c6d0c7fe0bc3ecf9c42",
	         "7b54ff39db2fabd05bc98222bcdc23ad17d51030f3b58a8701cc2192686be697");
	tap_ok(strcmp(line, want) == 0 && strlen(line) == ANCHOR_LEN,
	       "anchor line with a next record and its keyed MAC");
	tap_ok(anchor_parse(line, ANCHOR_LEN, key, &got, &why) == 0 &&
	           got.seq == 42 && got.version == 2 && got.has_next &&
	           memcmp(got.hash, a.hash, HASH_BYTES) == 0 &&
	           memcmp(got.next, a.next, HASH_BYTES) == 0,
	       "anchor parses back");
	tap_ok(anchor_parse(line, ANCHOR_LEN, NULL, &got, &why) != 0,
	       "anchor refused without its key");
	line[45] = '3';
	tap_ok(anchor_parse(line, ANCHOR_LEN, key, &got, &why) != 0,
	       "anchor with an edited seq refused");
	a.has_next = false;
	anchor_format(&a, key, line);
	tap_ok(strstr(line, " next=" "0000000000000000000000000000000000000000"
	                    "000000000000000000000000 mac=bddcf3645f6a8a2b6dd46"
	                    "ceb54f96d4c0683e89e554538153c2e9df8c18c43f5\n") !=
	               NULL &&
	           anchor_parse(line, ANCHOR_LEN, key, &got, &why) == 0 &&
	           !got.has_next,
	       "anchor without a next record: zeros");
	/* Version 1, as older releases wrote it: still read. */
	snprintf(
	    want, sizeof want,
	    "secenv-audit-anchor 1 seq=00000000000000000042 hash=%s mac=%s\n",
	    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
	    "b8331fb1dd258d006d12143cb8de008e315043b50addeff654833f4166fbf2b6");
	tap_ok(anchor_parse(want, ANCHOR_V1_LEN, key, &got, &why) == 0 &&
	           got.seq == 42 && got.version == 1 && !got.has_next &&
	           memcmp(got.hash, a.hash, HASH_BYTES) == 0,
	       "version 1 anchor still read");
	want[45] = '3';
	tap_ok(anchor_parse(want, ANCHOR_V1_LEN, key, &got, &why) != 0,
	       "version 1 anchor with an edited seq refused");
}

int
main(void)
{
	size_t i;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)i;
	test_hashes();
	test_seal();
	test_parse_refusals();
	test_text();
	test_anchor();
	return tap_done();
}
