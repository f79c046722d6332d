/* SPDX-License-Identifier: ISC */
/*
 * The encoded forms redact masks, checked against independent encoders:
 * libsodium's base64 and hex, jansson's JSON. Each case prints a random
 * value inside random neighbours and expects exactly the characters
 * that depend on the value alone to be masked. Each run prints its seed.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "redact/engine.h"
#include "redact_plainmem.h"
#include "exitcodes.h"
#include "secmem.h"
#include "tap.h"

#define CASES 2000

/*
 * The cases' random numbers: libsodium's randombytes made reproducible, a
 * ChaCha20 stream keyed by a seed that each run prints first;
 * REDACT_PATTERNS_SEED=N replays run N.
 */
static unsigned char seed_key[crypto_stream_chacha20_KEYBYTES];
static uint64_t seed_block;

static void
seeded_buf(void *const buf, const size_t size)
{
	static const unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];

	memset(buf, 0, size);
	crypto_stream_chacha20_xor_ic(buf, buf, size, nonce, seed_block,
	                              seed_key);
	seed_block += (size + 63) / 64;
}

static uint32_t
seeded_random(void)
{
	uint32_t r;

	seeded_buf(&r, sizeof(r));
	return r;
}

static const char *
seeded_name(void)
{
	return "seeded";
}

static void
seed_randombytes(void)
{
	static struct randombytes_implementation seeded = {
	    .implementation_name = seeded_name,
	    .random = seeded_random,
	    .buf = seeded_buf,
	};
	const char *env = getenv("REDACT_PATTERNS_SEED");
	uint64_t seed;

	if (env != NULL)
		seed = strtoull(env, NULL, 10);
	else if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		abort();
	for (size_t i = 0; i < sizeof(seed); i++)
		seed_key[i] = (unsigned char)(seed >> (8 * i));
	/* before sodium_init (secmem_init), which takes the implementation */
	if (randombytes_set_implementation(&seeded) != 0)
		abort();
	printf("# seed %" PRIu64 " (REDACT_PATTERNS_SEED=%" PRIu64
	       " replays this run)\n",
	       seed, seed);
}

struct text {
	unsigned char *buf;
	size_t len, cap;
};

static void
text_sink(void *ctx, const unsigned char *p, size_t n)
{
	struct text *t = ctx;

	if (t->len + n > t->cap) {
		t->cap = 2 * (t->len + n) + 64;
		if ((t->buf = realloc(t->buf, t->cap)) == NULL)
			abort();
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

/* The patterns of the value masked last: the cases of one value (its
 * base64 in four variants and its hex in two, or its JSON text in four
 * flavours) share them, which keeps the cases' count at a sixth of the
 * sets built. */
static struct {
	unsigned char *value;
	size_t len;
	struct pattern_set *ps;
	struct automaton *a;
} built;

static void
built_free(void)
{
	if (built.ps == NULL)
		return;
	automaton_free(built.a);
	patterns_free(built.ps);
	free(built.value);
	built.ps = NULL;
}

/* Mask text with the patterns of value; the output, NUL-terminated. */
static char *
mask_text(const unsigned char *value, size_t len, const char *text)
{
	struct short_report r;
	struct masker *m;
	struct text out = {0};

	if (built.ps == NULL || len != built.len ||
	    memcmp(value, built.value, len) != 0) {
		built_free();
		if ((built.value = malloc(len + 1)) == NULL)
			abort();
		memcpy(built.value, value, len);
		built.len = len;
		built.ps = patterns_new(6, true);
		patterns_add_value(built.ps, "V", value, len, &r);
		built.a = automaton_build(built.ps);
	}
	m = masker_new(built.a, built.ps, "#", text_sink, &out);
	masker_feed(m, (const unsigned char *)text, strlen(text));
	masker_finish(m);
	text_sink(&out, (const unsigned char *)"", 1);
	masker_free(m);
	return (char *)out.buf;
}

/* Any bytes but NUL, CR and LF (a value with line breaks is shorter
 * than its bytes once they are dropped, and may fall under the minimum). */
static void
random_value(unsigned char *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		do
			v[i] = (unsigned char)(1 + randombytes_uniform(255));
		while (v[i] == '\r' || v[i] == '\n');
	}
}

/*
 * Where a mask that may run on past the value's last whole character
 * ends: the encoding of `align` zero bytes and v alone in `variant`, from
 * the first character that holds only bits of v to its end (its last
 * character with zero bits after v's, and its padding), when the text
 * has it at `first`.
 */
static size_t
base64_end(const char *b64, size_t first, const unsigned char *v, size_t len,
           size_t align, int variant, size_t last)
{
	unsigned char alone[64] = {0};
	char enc[128];
	size_t from = (8 * align + 5) / 6, n;

	memcpy(alone + align, v, len);
	sodium_bin2base64(enc, sizeof(enc), alone, align + len, variant);
	n = strlen(enc) - from;
	if (strncmp(b64 + first, enc + from, n) == 0 && first + n > last)
		return first + n;
	return last;
}

/* base64 of pre + v + post: masked from the first character that holds
 * only bits of v to the last; and past it through the padding when v
 * ends the text (standard base64 at any alignment, base64url unpadded
 * when v begins a 3-byte group), or when what follows v in the text
 * spells the same. */
static int
base64_case(int variant, const unsigned char *value, size_t len)
{
	unsigned char buf[64], *v;
	size_t pre = randombytes_uniform(6);
	size_t post = randombytes_uniform(5), total = pre + len + post;
	size_t first = (8 * pre + 5) / 6, last = 8 * (pre + len) / 6;
	char b64[128], want[160], *got;
	int ok;

	randombytes_buf(buf, total);
	v = buf + pre;
	memcpy(v, value, len);
	sodium_bin2base64(b64, sizeof(b64), buf, total, variant);
	if ((8 * (pre + len)) % 6 != 0) {
		size_t std = base64_end(b64, first, v, len, pre % 3,
		                        sodium_base64_VARIANT_ORIGINAL, last);
		size_t url =
		    pre % 3 != 0
		        ? last
		        : base64_end(b64, first, v, len, 0,
		                     sodium_base64_VARIANT_URLSAFE_NO_PADDING,
		                     last);

		last = std > url ? std : url;
	}
	snprintf(want, sizeof(want), "%.*s#%s", (int)first, b64, b64 + last);
	got = mask_text(v, len, b64);
	ok = strcmp(got, want) == 0;
	if (!ok) {
		printf("# base64 %s\n#   want %s\n#   got  %s\n#   value", b64,
		       want, got);
		for (size_t i = 0; i < len; i++)
			printf(" %02x", v[i]);
		printf("\n");
	}
	free(got);
	return ok;
}

static int
hex_case(bool upper, const unsigned char *value, size_t len)
{
	unsigned char buf[64], *v;
	size_t pre = randombytes_uniform(4);
	size_t post = randombytes_uniform(4), total = pre + len + post;
	char hex[160], want[160], *got;
	int ok;

	randombytes_buf(buf, total);
	v = buf + pre;
	memcpy(v, value, len);
	sodium_bin2hex(hex, sizeof(hex), buf, total);
	for (char *p = hex; upper && *p; p++)
		*p = (char)toupper((unsigned char)*p);
	snprintf(want, sizeof(want), "%.*s#%s", (int)(2 * pre), hex,
	         hex + 2 * (pre + len));
	got = mask_text(v, len, hex);
	ok = strcmp(got, want) == 0;
	if (!ok)
		printf("# hex %s\n#   want %s\n#   got  %s\n", hex, want, got);
	free(got);
	return ok;
}

/*
 * What a terminal shows of s: redact stores a pattern without its escape
 * sequences and line breaks (engine.h). random_text draws no '[' or ']',
 * so a sequence here is ESC, intermediates (0x20-0x2f) and a final
 * (0x30-0x7e); any other byte ends it, the bytes so far dropped, and is
 * read anew (ESC begins a sequence of its own).
 */
static size_t
shown(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = i + 1;

		if (s[i] != 0x1b) {
			if (s[i] != '\n')
				out[k++] = s[i];
			continue;
		}
		while (j < n && s[j] >= 0x20 && s[j] <= 0x2f)
			j++;
		i = j < n && s[j] >= 0x30 && s[j] <= 0x7e ? j : j - 1;
	}
	return k;
}

/* Whether a line of v (or v) shows nothing but quotes, backslashes and
 * blanks once its escape sequences are dropped. */
static bool
shows_only_escapes(const char *v, size_t n)
{
	unsigned char out[128];

	for (size_t lo = 0, end; lo < n; lo = end + 1) {
		size_t k;

		for (end = lo; end < n && v[end] != '\n'; end++)
			;
		k = shown((const unsigned char *)v + lo, end - lo, out);
		while (k > 0 && strchr("\"\\ \t", out[k - 1]) != NULL)
			k--;
		if (k == 0 && end > lo)
			return true;
	}
	return false;
}

/* A random UTF-8 value with quotes, backslashes, controls, slashes. */
static size_t
random_text(char *v)
{
	static const char *const pieces[] = {"a",
	                                     "Z",
	                                     "7",
	                                     "\"",
	                                     "\\",
	                                     "/",
	                                     "\n",
	                                     "\t",
	                                     "\x01",
	                                     "\x1b",
	                                     "<",
	                                     "&",
	                                     "'",
	                                     " ",
	                                     "\xc3\xa9",
	                                     "\xe2\x9c\x93",
	                                     "\xf0\x9f\x94\x91"};
	size_t n = 0, lines = 0, count = 6 + randombytes_uniform(14);

	for (size_t i = 0; i < count; i++) {
		const char *p = pieces[randombytes_uniform(17)];

		memcpy(v + n, p, strlen(p));
		n += strlen(p);
		lines += *p == '\n';
	}
	v[n] = '\0';
	/* under the minimum once line breaks are dropped: draw again */
	if (n - lines < 6)
		return random_text(v);
	/* Each line of a multi-line value is a secret part of its own, so
	 * a line that begins or ends with a quote or a backslash, once
	 * trimmed of blanks as a part is, may match
	 * the JSON text across its quotes (a line `"\xf0\x9f\x94\x91\\`
	 * is in `"\xf0\x9f\x94\x91\n...`) and mask one of them: rightly,
	 * but not what json_case expects. Draw again. */
	for (size_t lo = 0, end; lines > 0 && lo < n; lo = end + 1) {
		size_t hi;

		for (end = lo; end < n && v[end] != '\n'; end++)
			;
		/* a line is a part once trimmed of blanks (a line `<key" `
		 * ends with a quote: its .properties form, `<\uD83D\uDD11"`,
		 * reads as the end of the ASCII JSON text of a value whose
		 * last line ends with the key) */
		for (hi = end;
		     hi > lo && (v[hi - 1] == ' ' || v[hi - 1] == '\t');)
			hi--;
		while (lo < hi && (v[lo] == ' ' || v[lo] == '\t'))
			lo++;
		if (lo < hi && (strchr("\"\\", v[lo]) != NULL ||
		                strchr("\"\\", v[hi - 1]) != NULL))
			return random_text(v);
	}
	/* A value or line that shows only quotes, backslashes and blanks:
	 * its forms (quotes doubled, backslashes left single) are made of
	 * what the JSON text's escapes are made of, and read as the text
	 * across its quote (five backslashes and a quote, the quote
	 * doubled, end the text of the value). Draw again. */
	if (shows_only_escapes(v, n))
		return random_text(v);
	return n;
}

/*
 * What redact stores of s (patterns_add): what a terminal shows of it,
 * without the blanks it begins with (an indent) or a run of two or more
 * it ends with (a line's trailing blanks), unless it would then be
 * shorter than 6 bytes, the shortest pattern (then the blanks stay).
 */
static size_t
stored(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t k = shown(s, n, out), lo = 0, hi = k;

	while (lo < hi && (out[lo] == ' ' || out[lo] == '\t'))
		lo++;
	while (hi > lo && (out[hi - 1] == ' ' || out[hi - 1] == '\t'))
		hi--;
	if (k - hi < 2)
		hi = k;
	if (hi - lo < 6)
		return k;
	memmove(out, out + lo, hi - lo);
	return hi - lo;
}

/* Whether what redact stores of s[0..n), 6 bytes or more (the shortest
 * pattern), is the JSON text's first (or, at_end, last) bytes: its quote
 * and what follows (precedes) it. */
static bool
shown_at_quote(const unsigned char *s, size_t n, const char *text, bool at_end)
{
	unsigned char out[128];
	size_t k = stored(s, n, out), tl = strlen(text);

	return k >= 6 && k <= tl &&
	       memcmp(at_end ? text + tl - k : text, out, k) == 0;
}

/*
 * Whether a secret part of v, or a piece of one (any 12 bytes of a line
 * of 16 or more), as redact stores it, reads as the JSON text's first
 * (at_end: last) bytes with its quote: then that quote is rightly masked.
 * The value's escape sequences are dropped from it, so 12 bytes may read
 * as 6 (ESC " Z takes a quote and a letter): in a value that begins with
 * a key emoji and an e acute, the piece `"`, ESC `\`, the key, ESC `"`
 * (ended by the next ESC), ESC, the e acute reads as the text's opening
 * quote and those two characters.
 */
static bool
part_takes_quote(const char *v, size_t len, const char *text, bool at_end)
{
	const unsigned char *u = (const unsigned char *)v;

	bool lines = memchr(v, '\n', len) != NULL;

	if (shown_at_quote(u, len, text, at_end))
		return true;
	for (size_t lo = 0, end; lo < len; lo = end + 1) {
		size_t hi;

		for (end = lo; end < len && v[end] != '\n'; end++)
			;
		for (hi = end;
		     hi > lo && (v[hi - 1] == ' ' || v[hi - 1] == '\t');)
			hi--;
		while (lo < hi && (v[lo] == ' ' || v[lo] == '\t'))
			lo++;
		/* a multi-line value's lines are parts, trimmed */
		if (lines && shown_at_quote(u + lo, hi - lo, text, at_end))
			return true;
		for (size_t i = lo; hi - lo >= 16 && i + 12 <= hi; i++)
			if (shown_at_quote(u + i, 12, text, at_end))
				return true;
	}
	return false;
}

/* jansson's output of a JSON string holding v: the quotes stay, but for
 * one that a part of v itself reads as (part_takes_quote). */
static int
json_case(size_t flags, const char *v, size_t len)
{
	char *text, *got, want[8], shown[320];
	unsigned char kept[128];
	size_t lead = 0, trail = 0, tlen, raw;
	json_t *s = json_stringn(v, len);
	bool takes, takes_end, keeps;
	int ok;

	text = json_dumps(s, JSON_ENCODE_ANY | flags);
	got = mask_text((unsigned char *)v, len, text);
	takes = part_takes_quote(v, len, text, false);
	snprintf(want, sizeof(want), "%s#%s", takes ? "" : "\"",
	         part_takes_quote(v, len, text, true) ? "" : "\"");
	/* A form's blanks at its start are an indent where a line starts
	 * with them: a form that stays over the minimum without them holds
	 * none, and they show, unless a short form that keeps them (the
	 * raw value, its escape sequences dropped) masks them too. */
	raw = stored((const unsigned char *)v, len, kept);
	tlen = strlen(text);
	keeps = raw >= 6 && raw + 2 <= tlen && kept[0] == ' ' &&
	        memcmp(text + 1, kept, raw) == 0;
	while (!takes && !keeps && text[1 + lead] == ' ')
		lead++;
	/* and so are its blanks at its end, two or more: a line's
	 * trailing blanks where the quote ends a line */
	takes_end = part_takes_quote(v, len, text, true);
	keeps = raw >= 6 && raw + 2 <= tlen && kept[raw - 1] == ' ' &&
	        memcmp(text + tlen - 1 - raw, kept, raw) == 0;
	while (!takes_end && !keeps && tlen > 2 + lead + trail &&
	       text[tlen - 2 - trail] == ' ')
		trail++;
	if (trail < 2)
		trail = 0;
	snprintf(shown, sizeof(shown), "%s%*s#%*s%s", takes ? "" : "\"",
	         (int)lead, "", (int)trail, "", takes_end ? "" : "\"");
	ok = strcmp(got, want) == 0 || strcmp(got, shown) == 0;
	if (!ok)
		printf("# json %s\n#   want %s\n#   got  %s\n", text, want,
		       got);
	free(text);
	free(got);
	json_decref(s);
	return ok;
}

/* The secret parts inside a value, each masked on its own: a case is a
 * value, a text and the text as it must come out. */
static const struct {
	const char *name, *value, *text, *want;
} part_cases[] = {
    {"a JSON leaf under a credential key",
     "{\"type\":\"service_account\",\"private_key_id\":"
     "\"0123456789abcdef0123\","
     "\"client_email\":\"a@b.iam.example.com\"}",
     "id=0123456789abcdef0123 type=service_account who=a@b.iam.example.com",
     "id=# type=service_account who=a@b.iam.example.com"},
    {"a machine-made JSON leaf under any key",
     "[{\"x\":\"Zq8vW3nR5tY1uI7oP2aS\"},\"short\"]",
     "got Zq8vW3nR5tY1uI7oP2aS and short", "got # and short"},
    {"a JSON leaf that is a URL keeps all but its password",
     "{\"token_uri\":\"https://oauth2.example.com/token\","
     "\"db\":\"postgres://u:Pw-0123456789@h/db\"}",
     "https://oauth2.example.com/token Pw-0123456789",
     "https://oauth2.example.com/token #"},
    {"each line of a PEM leaf",
     "{\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIBVAIBADANBgkqhkiG\\n"
     "9w0BAQEFAASCAT4wggE6\\n-----END PRIVATE KEY-----\\n\"}",
     "MIIBVAIBADANBgkqhkiG\n9w0BAQEFAASCAT4wggE6\n", "#\n#\n"},
    {"base64 of JSON: the decoding and its leaves",
     "eyJjbGllbnRfc2VjcmV0IjoiR09DU1BYLWFiY2RlZjEyMzQ1NiJ9",
     "{\"client_secret\":\"GOCSPX-abcdef123456\"} GOCSPX-abcdef123456", "# #"},
    {"URL-safe base64 of text", "c2VjcmV0IHRleHQgPz4_IHdpdGggYSBwYXNzd29yZA",
     "secret text ?>? with a password", "#"},
    {"a credential query parameter",
     "https://api.example.com/v1?user=me&api_key=K3y-0123456789&x=1",
     "key K3y-0123456789 user=me", "key # user=me"},
    {"a JDBC URL with the driver's scheme after its own: its password",
     "jdbc:mysql://svc:Pw-0123456789@db:3306/app",
     "login Pw-0123456789 to jdbc:mysql://svc:Pw-0123456789@db:3306/app",
     "login # to jdbc:mysql://svc:#@db:3306/app"},
    {"an empty scheme name between two colons is no URL: no password "
     "part",
     "jdbc::mysql://svc:Pw-01234@db:3306/app", "pw Pw-01234", "pw Pw-01234"},
    {"a JDBC ;password=",
     "jdbc:sqlserver://h:1433;databaseName=app;password=Jdbc-Pw-98765;x=1",
     "login with Jdbc-Pw-98765 on app", "login with # on app"},
    {"a value stored with quotes, used without", "'wrapped-value-4711'",
     "v=wrapped-value-4711;", "v=#;"},
    {"a pretty-printed JSON credential's public lines give no pieces",
     "{\n  \"type\": \"service_account\",\n  \"private_key_id\": "
     "\"0123456789abcdef0123456789\",\n  \"token_uri\": "
     "\"https://oauth2.googleapis.com/token\"\n}",
     "a service_account at https://oauth2.googleapis.com/token/x "
     "id 0123456789abcdef0123456789",
     "a service_account at https://oauth2.googleapis.com/token/x id #"},
    {"a scheme starting with a digit is no URL: its literals' pieces too",
     "1x://h/abc\\defghijklmnopqrstuv", "say \"abc\\\\defghijklmnopq\" end",
     "say \"#\" end"},
    {"lines split at CRLF and at a lone CR",
     "first-line-AAAA\r\nsecond-line-BBBB\rthird-line-CCCC",
     "second-line-BBBB third-line-CCCC first-line-AAAA", "# # #"},
};

static int
part_case(size_t i)
{
	char *got = mask_text((const unsigned char *)part_cases[i].value,
	                      strlen(part_cases[i].value), part_cases[i].text);
	int ok = strcmp(got, part_cases[i].want) == 0;

	if (!ok)
		printf("# got  %s\n", got);
	free(got);
	return ok;
}

/* Each line of a multi-line value is a secret part with all its forms:
 * a program that encodes one line of a PEM key (or one header of a
 * multi-line value) prints that line's base64 or hex, not a piece of
 * the whole value's. */
static int
line_forms_case(void)
{
	unsigned char v[80];
	size_t first = 8 + randombytes_uniform(20),
	       second = 8 + randombytes_uniform(20);
	size_t len = first + 2 + second,
	       at = randombytes_uniform(2) ? first + 2 : 0;
	size_t n = at == 0 ? first : second;
	char b64[128], hex[128], text[300], *got;
	int ok;

	random_value(v, len);
	v[first] = '\r';
	v[first + 1] = '\n';
	for (size_t i = at; i < at + n; i++)
		if (v[i] == ' ' || v[i] == '\t')
			v[i] = 'x'; /* a line is masked trimmed */
	sodium_bin2base64(b64, sizeof(b64), v + at, n,
	                  sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2hex(hex, sizeof(hex), v + at, n);
	snprintf(text, sizeof(text), "b64 %s hex %s", b64, hex);
	got = mask_text(v, len, text);
	/* the padding and the last characters mix in the line's end */
	ok = strncmp(got, "b64 #", 5) == 0 && strstr(got, " hex #") != NULL &&
	     strstr(got, hex) == NULL;
	if (!ok)
		printf("# text %s\n#   got  %s\n", text, got);
	free(got);
	return ok;
}

/* An e-mail header's B encoded word (=?utf-8?b?...?=) of a stretch of a
 * value mostly past ASCII, encoded afresh by libsodium: masked up to the
 * characters that mix in the padding (through the padding when the
 * stretch is the whole value). */
static int
b_word_case(void)
{
	unsigned char v[48];
	size_t len = 32 + randombytes_uniform(16), at = randombytes_uniform(12);
	size_t n = 12 + randombytes_uniform((unsigned)(len - at - 11));
	char b64[96], text[128], want[128], *got;
	int ok;

	random_value(v, len);
	v[0] = 'x'; /* not JSON text, which gives no pieces */
	for (size_t i = 1; i < len; i++)
		v[i] |= 0x80; /* mostly past ASCII: an encoder picks B */
	sodium_bin2base64(b64, sizeof(b64), v + at, n,
	                  sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "=?utf-8?b?%s?=", b64);
	/* the whole value: its base64 end, padding and all (base64_end) */
	snprintf(want, sizeof(want), "=?utf-8?b?#%s?=",
	         at == 0 && n == len ? "" : b64 + 8 * n / 6);
	got = mask_text(v, len, text);
	ok = strcmp(got, want) == 0;
	if (!ok)
		printf("# text %s\n#   want %s\n#   got  %s\n", text, want,
		       got);
	free(got);
	return ok;
}

/* A plain token's forms that are equal to it or to each other are
 * dropped: the automaton holds each distinct string once. */
static void
distinct_forms(void)
{
	static const unsigned char v[] = "Zq8vW3nR5tY1uI7oP2aS";
	struct pattern_set *ps = patterns_new(6, true);
	struct short_report r;
	int same = 0;

	patterns_add_value(ps, "V", v, sizeof(v) - 1, &r);
	for (size_t i = 0; i < ps->count; i++)
		for (size_t j = i + 1; j < ps->count; j++)
			same += ps->items[i].len == ps->items[j].len &&
			        memcmp(pattern_bytes(ps, &ps->items[i]),
			               pattern_bytes(ps, &ps->items[j]),
			               ps->items[i].len) == 0;
	tap_ok(same == 0 && ps->count <= 40,
	       "an alphanumeric token has %zu distinct forms", ps->count);
	patterns_free(ps);
}

/*
 * A pattern of PATTERN_LEN_MAX bytes keeps its length and mask whole
 * (they share a word); one byte more is refused with 111, naming the
 * secret and not its value.
 */
static void
pattern_length_limit(void)
{
	const size_t n = PATTERN_LEN_MAX;
	unsigned char *v = malloc(n + 1);
	struct pattern_set *ps = patterns_new(6, false);
	char err[256] = "";
	int fds[2], status = -1;
	ssize_t got;
	pid_t pid;

	if (v == NULL || pipe(fds) != 0)
		abort();
	memset(v, 'Q', n + 1);
	patterns_add(ps, patterns_name(ps, "LONG_ONE"), v, n, 0, n, 0);
	tap_ok(ps->count == 1 && ps->items[0].len == n &&
	           ps->items[0].mask_lo == 0 && ps->items[0].mask_hi == n,
	       "a pattern of %zu bytes keeps its length and mask", n);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fds[1], STDERR_FILENO);
		patterns_add(ps, 0, v, n + 1, 0, n + 1, 0);
		_exit(0);
	}
	close(fds[1]);
	for (size_t at = 0;
	     (got = read(fds[0], err + at, sizeof(err) - 1 - at)) > 0;)
		at += (size_t)got;
	err[strcspn(err, "\n")] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_FAIL &&
	           strstr(err, "LONG_ONE") != NULL &&
	           strstr(err, "QQQQ") == NULL,
	       "a pattern of %zu bytes is refused with %d: %s", n + 1,
	       EXIT_FAIL, err);
	patterns_free(ps);
	free(v);
}

int
main(void)
{
	static const struct {
		int variant;
		const char *name;
	} b64[] = {
	    {sodium_base64_VARIANT_ORIGINAL, "standard, padded"},
	    {sodium_base64_VARIANT_ORIGINAL_NO_PADDING, "standard, unpadded"},
	    {sodium_base64_VARIANT_URLSAFE, "URL-safe, padded"},
	    {sodium_base64_VARIANT_URLSAFE_NO_PADDING, "URL-safe, unpadded"},
	};
	static const struct {
		size_t flags;
		const char *name;
	} json[] = {
	    {0, "plain"},
	    {JSON_ENSURE_ASCII, "ensure_ascii"},
	    {JSON_ESCAPE_SLASH, "escape_slash"},
	    {JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH, "ascii and slash"},
	};

	int bad_b64[4] = {0}, bad_hex[2] = {0}, bad_json[4] = {0};

	seed_randombytes();
	secmem_init();
	/* each value's base64 in every variant and its hex in both cases,
	 * each in neighbours of its own */
	for (int i = 0; i < CASES; i++) {
		unsigned char v[36];
		size_t len = 6 + randombytes_uniform(30);

		random_value(v, len);
		for (size_t k = 0; k < 4; k++)
			if (bad_b64[k] < 3)
				bad_b64[k] +=
				    !base64_case(b64[k].variant, v, len);
		for (int upper = 0; upper < 2; upper++)
			if (bad_hex[upper] < 3)
				bad_hex[upper] += !hex_case(upper, v, len);
	}
	for (size_t k = 0; k < 4; k++)
		tap_ok(bad_b64[k] == 0,
		       "base64 %s at every alignment: %d cases", b64[k].name,
		       CASES);
	for (int upper = 0; upper < 2; upper++)
		tap_ok(bad_hex[upper] == 0, "hex, %s case: %d cases",
		       upper ? "upper" : "lower", CASES);
	/* each text value's JSON in every flavour */
	for (int i = 0; i < CASES; i++) {
		char v[128];
		size_t len = random_text(v);

		for (size_t k = 0; k < 4; k++)
			if (bad_json[k] < 3)
				bad_json[k] +=
				    !json_case(json[k].flags, v, len);
	}
	for (size_t k = 0; k < 4; k++)
		tap_ok(bad_json[k] == 0, "jansson JSON, %s: %d cases",
		       json[k].name, CASES);
	for (size_t i = 0; i < sizeof(part_cases) / sizeof(part_cases[0]); i++)
		tap_ok(part_case(i), "part: %s", part_cases[i].name);
	{
		int bad = 0;

		for (int i = 0; i < CASES / 10 && bad < 3; i++)
			bad += !line_forms_case();
		tap_ok(bad == 0,
		       "each line of a multi-line value: its base64 and hex: "
		       "%d cases",
		       CASES / 10);
	}
	{
		int bad = 0;

		for (int i = 0; i < CASES / 10 && bad < 3; i++)
			bad += !b_word_case();
		tap_ok(bad == 0,
		       "an e-mail header's B word of a stretch of a value: "
		       "%d cases",
		       CASES / 10);
	}
	distinct_forms();
	pattern_length_limit();
	built_free();
	return tap_done();
}
