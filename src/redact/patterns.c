/* SPDX-License-Identifier: ISC */
/* The patterns of a secret value: raw, encoded, escaped, URL password, lines.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "secmem.h"

/* Type prefixes that say what a token is, not what it is: kept visible. */
static const char *const kept_prefixes[] = {
    "",         "sk_test_",    "sk_live_", "pk_test_", "pk_live_", "rk_test_",
    "rk_live_", "whsec_",      "ghp_",     "gho_",     "ghu_",     "ghs_",
    "ghr_",     "github_pat_", "glpat-",   "xoxb-",    "xoxp-",    "xoxa-",
    "xoxs-",    "xapp-",       "sk-proj-", "sk-ant-",  "npm_",     "pypi-",
    "hf_",      "dop_v1_",     "shpat_",   "AKIA",     "ASIA",     "sk-",
};
#define KEPT_PREFIXES (sizeof(kept_prefixes) / sizeof(kept_prefixes[0]))

const char *
patterns_prefix(uint32_t i)
{
	return i < KEPT_PREFIXES ? kept_prefixes[i] : "";
}

/* The longest kept prefix s starts with, when more follows it. */
static uint32_t
prefix_of(const unsigned char *s, size_t len)
{
	uint32_t best = 0;
	size_t best_len = 0;

	for (uint32_t i = 1; i < KEPT_PREFIXES; i++) {
		size_t n = strlen(kept_prefixes[i]);

		if (n < len && n > best_len &&
		    memcmp(s, kept_prefixes[i], n) == 0) {
			best = i;
			best_len = n;
		}
	}
	return best;
}

struct pattern_set *
patterns_new(size_t min_length, bool encodings)
{
	struct pattern_set *ps = calloc(1, sizeof(*ps));

	if (ps == NULL)
		abort();
	ps->min_length = min_length;
	ps->encodings = encodings;
	return ps;
}

void
patterns_free(struct pattern_set *ps)
{
	if (ps == NULL)
		return;
	secmem_free(ps->items);
	secmem_free(ps->arena);
	secmem_free(ps->scratch);
	free(ps->slots);
	for (size_t i = 0; i < ps->name_count; i++)
		free(ps->names[i]);
	free(ps->names);
	free(ps);
}

uint32_t
patterns_name(struct pattern_set *ps, const char *name)
{
	for (size_t i = 0; i < ps->name_count; i++)
		if (strcmp(ps->names[i], name) == 0)
			return (uint32_t)i;
	ps->names = realloc(ps->names, (ps->name_count + 1) * sizeof(char *));
	if (ps->names == NULL ||
	    (ps->names[ps->name_count] = strdup(name)) == NULL)
		abort();
	return (uint32_t)ps->name_count++;
}

/* Secure memory has no realloc: copy into a bigger block, wipe the old. */
static void *
secure_grow(void *old, size_t old_size, size_t new_size)
{
	void *p = secmem_alloc(new_size);

	if (old != NULL) {
		memcpy(p, old, old_size);
		secmem_free(old);
	}
	return p;
}

/*
 * Room for the encodings of a value of len bytes: one buffer kept for the
 * whole set, since every secure allocation costs a handful of system
 * calls. Its old content is not needed, so it is not copied.
 */
static unsigned char *
scratch_for(struct pattern_set *ps, size_t len)
{
	size_t need = 12 * len + 16;

	if (need > ps->scratch_cap) {
		secmem_free(ps->scratch);
		ps->scratch_cap = need < 4096 ? 4096 : need;
		ps->scratch = secmem_alloc(ps->scratch_cap);
	}
	return ps->scratch;
}

static size_t
pattern_hash(uint32_t secret, const unsigned char *s, size_t n, size_t lo,
             size_t hi, uint32_t prefix)
{
	uint64_t h = 0xcbf29ce484222325ull ^ secret ^ ((uint64_t)lo << 20) ^
	             ((uint64_t)hi << 40) ^ ((uint64_t)prefix << 58);

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

/* Twice the slots of the patterns, rehashed when they fill. */
static void
slots_grow(struct pattern_set *ps)
{
	size_t cap = ps->slot_cap ? 2 * ps->slot_cap : 2048;
	uint32_t *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		abort();
	for (size_t i = 0; i < ps->count; i++) {
		const struct pattern *p = &ps->items[i];
		size_t k = pattern_hash(p->secret, pattern_bytes(ps, p), p->len,
		                        p->mask_lo, p->mask_hi, p->prefix);

		while (slots[k & (cap - 1)] != 0)
			k++;
		slots[k & (cap - 1)] = (uint32_t)i + 1;
	}
	free(ps->slots);
	ps->slots = slots;
	ps->slot_cap = cap;
}

/*
 * The slot for a new pattern, or false when an equal one (same bytes,
 * secret, mask and prefix) is there: hashing keeps loading linear in
 * the pattern bytes. The slot then gets the pattern's index + 1.
 */
static bool
dedup_slot(struct pattern_set *ps, uint32_t secret, const unsigned char *s,
           size_t n, size_t lo, size_t hi, uint32_t prefix, size_t *slot)
{
	size_t k;

	if (2 * (ps->count + 1) > ps->slot_cap)
		slots_grow(ps);
	k = pattern_hash(secret, s, n, lo, hi, prefix);
	for (;; k++) {
		uint32_t i = ps->slots[k & (ps->slot_cap - 1)];
		const struct pattern *p;

		if (i == 0)
			break;
		p = &ps->items[i - 1];
		if (p->len == n && p->secret == secret && p->mask_lo == lo &&
		    p->mask_hi == hi && p->prefix == prefix &&
		    memcmp(pattern_bytes(ps, p), s, n) == 0)
			return false;
	}
	*slot = k & (ps->slot_cap - 1);
	return true;
}

void
patterns_add(struct pattern_set *ps, uint32_t secret, const unsigned char *s,
             size_t len, size_t mask_lo, size_t mask_hi, uint32_t prefix)
{
	struct pattern *p;
	struct noise_reader reader = {0};
	unsigned char *dst;
	size_t n = 0, lo = 0, hi = 0, slot;

	/* Few, large steps: each secure block costs system calls, and a
	 * value brings some seventy encodings. */
	if (ps->arena_len + len > ps->arena_cap) {
		size_t cap = ps->arena_cap ? ps->arena_cap : 64 * 1024;

		while (cap < ps->arena_len + len)
			cap *= 4;
		ps->arena = secure_grow(ps->arena, ps->arena_len, cap);
		ps->arena_cap = cap;
	}
	dst = ps->arena + ps->arena_len;
	for (size_t i = 0; i < len; i++) {
		if (i == mask_lo)
			lo = n;
		if (i == mask_hi)
			hi = n;
		if (noise_read(&reader, s[i]) == BYTE_PLAIN)
			dst[n++] = s[i];
	}
	if (mask_hi >= len)
		hi = n;
	if (n == 0 || hi <= lo || n > UINT32_MAX / 8)
		return;
	/* Escape sequences dropped from a value (ESC in it) can leave a
	 * few bytes that would mask common text. */
	if (n < ps->min_length &&
	    memchr(s, 0x1b, len) != NULL) {
		sodium_memzero(dst, n);
		return;
	}
	if (!dedup_slot(ps, secret, dst, n, lo, hi, prefix, &slot)) {
		sodium_memzero(dst, n);
		return;
	}
	if (ps->count == ps->cap) {
		size_t cap = ps->cap ? 4 * ps->cap : 1024;

		ps->items = secure_grow(ps->items, ps->count * sizeof(*p),
		                        cap * sizeof(*p));
		ps->cap = cap;
	}
	p = &ps->items[ps->count++];
	p->offset = (uint32_t)ps->arena_len;
	p->len = (uint32_t)n;
	p->secret = secret;
	p->mask_lo = (uint32_t)lo;
	p->mask_hi = (uint32_t)hi;
	p->prefix = prefix;
	p->next = UINT32_MAX;
	ps->slots[slot] = (uint32_t)ps->count;
	ps->arena_len += n;
	if (n > ps->max_len)
		ps->max_len = (uint32_t)n;
}

/* Encoders: each writes into out (room for 12 bytes per input byte). */

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * The part of the base64 text that depends on v alone when v follows
 * `align` bytes of anything and precedes anything: the characters whose
 * six bits all fall inside v.
 */
static size_t
encode_base64_inner(const unsigned char *v, size_t len, unsigned align,
                    const char *alphabet, unsigned char *out)
{
	size_t first_bit = 8 * (size_t)align, end_bit = first_bit + 8 * len;
	size_t k = (first_bit + 5) / 6, n = 0;

	for (; 6 * k + 6 <= end_bit; k++) {
		unsigned bits = 0;

		for (size_t b = 6 * k; b < 6 * k + 6; b++) {
			size_t byte = b / 8 - align;
			bits = (bits << 1) | ((v[byte] >> (7 - b % 8)) & 1);
		}
		out[n++] = (unsigned char)alphabet[bits];
	}
	return n;
}

static size_t
encode_hex(const unsigned char *v, size_t len, const char *digits,
           unsigned char *out)
{
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = (unsigned char)digits[v[i] >> 4];
		out[2 * i + 1] = (unsigned char)digits[v[i] & 15];
	}
	return 2 * len;
}

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/*
 * Percent-encoding of everything but RFC 3986's unreserved characters and
 * the extra ones an encoder also leaves alone; plus_space: a space as "+"
 * (forms).
 */
static size_t
encode_percent(const unsigned char *v, size_t len, const char *digits,
               const char *safe, bool plus_space, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (is_unreserved(v[i]) || (v[i] != 0 && strchr(safe, v[i]))) {
			out[n++] = v[i];
		} else if (plus_space && v[i] == ' ') {
			out[n++] = '+';
		} else {
			out[n++] = '%';
			out[n++] = (unsigned char)digits[v[i] >> 4];
			out[n++] = (unsigned char)digits[v[i] & 15];
		}
	}
	return n;
}

/*
 * A string literal in quote with backslash escapes, as Python's repr()
 * ('...' with \' when the value holds both quotes) and Node's
 * util.inspect ('...', or `...` when it holds both) print one.
 */
static size_t
encode_literal(const unsigned char *v, size_t len, unsigned char quote,
               unsigned char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (c == '\\' || c == quote) {
			out[n++] = '\\';
			out[n++] = c;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[n++] = '\\';
			out[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = (unsigned char)hex[c >> 4];
			out[n++] = (unsigned char)hex[c & 15];
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/*
 * JSON escaping: quote, backslash and controls always (JSON.stringify,
 * jansson, serde), plus any mix of these, which encoders add.
 */
enum json_style {
	JSON_ASCII = 1,   /* non-ASCII as \uXXXX: Python, PHP, jansson */
	JSON_HTML = 2,    /* < > & as \u00XX: Go */
	JSON_SLASHES = 4, /* \/: PHP, jansson's JSON_ESCAPE_SLASH */
	JSON_STYLES = 8,
};

static size_t
put_u16(unsigned char *out, unsigned u, const char *digits)
{
	out[0] = '\\';
	out[1] = 'u';
	for (int i = 0; i < 4; i++)
		out[2 + i] = (unsigned char)digits[(u >> (12 - 4 * i)) & 15];
	return 6;
}

/* Length of the UTF-8 sequence at v and its code point, 0 if invalid. */
static size_t
utf8_decode(const unsigned char *v, size_t len, unsigned *cp)
{
	size_t n;
	unsigned c = v[0], min;

	if (c < 0x80)
		return *cp = c, 1;
	if (c >= 0xc2 && c < 0xe0)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((v[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (v[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return n;
}

/* 0 when the style cannot encode v (invalid UTF-8 for \u escapes). */
/* digits: the case of \u escapes (jansson and Java write upper case). */
static size_t
encode_json(const unsigned char *v, size_t len, unsigned style,
            const char *digits, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		const char *esc = NULL;

		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '/':
			if (style & JSON_SLASHES)
				esc = "\\/";
			break;
		default:
			break;
		}
		if (esc != NULL) {
			memcpy(out + n, esc, 2);
			n += 2;
		} else if (c < 0x20 || ((style & JSON_HTML) &&
		                        (c == '<' || c == '>' || c == '&'))) {
			n += put_u16(out + n, c, digits);
		} else if (c >= 0x80 && (style & JSON_ASCII)) {
			unsigned cp;
			size_t k = utf8_decode(v + i, len - i, &cp);

			if (k == 0)
				return 0;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				n += put_u16(out + n, 0xd800 + (cp >> 10),
				             digits);
				n += put_u16(out + n, 0xdc00 + (cp & 0x3ff),
				             digits);
			} else {
				n += put_u16(out + n, cp, digits);
			}
			i += k - 1;
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/* XML/HTML: quote and apostrophe NULL for the minimal form (& < >). */
static size_t
encode_xml(const unsigned char *v, size_t len, const char *quote,
           const char *apostrophe, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		const char *esc = NULL;

		switch (v[i]) {
		case '&':
			esc = "&amp;";
			break;
		case '<':
			esc = "&lt;";
			break;
		case '>':
			esc = "&gt;";
			break;
		case '"':
			esc = quote;
			break;
		case '\'':
			esc = apostrophe;
			break;
		default:
			break;
		}
		if (esc != NULL) {
			memcpy(out + n, esc, strlen(esc));
			n += strlen(esc);
		} else {
			out[n++] = v[i];
		}
	}
	return n;
}

enum shell_style {
	SHELL_SINGLE,    /* 'it'\''s' */
	SHELL_SINGLE_PY, /* shlex.quote: 'it'"'"'s' */
	SHELL_DOUBLE,    /* "a\$b\"c" */
	SHELL_BACKSLASH, /* printf %q: a\ b\$c */
};

/* What bash's printf %q leaves alone (~ and # only inside a word). */
static bool
shell_plain(unsigned char c, bool first)
{
	if (c == '~' || c == '#')
		return !first;
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 ||
	       (c != 0 && strchr("%+-./:=@_", c));
}

/* The escaped text of v as it appears between the quotes. */
static size_t
encode_shell(const unsigned char *v, size_t len, enum shell_style style,
             unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		const char *esc = NULL;

		if (style == SHELL_SINGLE && c == '\'')
			esc = "'\\''";
		else if (style == SHELL_SINGLE_PY && c == '\'')
			esc = "'\"'\"'";
		if (esc != NULL) {
			memcpy(out + n, esc, strlen(esc));
			n += strlen(esc);
			continue;
		}
		if ((style == SHELL_DOUBLE && strchr("\\\"$`", c) && c != 0) ||
		    (style == SHELL_BACKSLASH && !shell_plain(c, i == 0) &&
		     c != '\n'))
			out[n++] = '\\';
		out[n++] = c;
	}
	return n;
}

/* Add s unless it equals the raw value (that pattern is there already). */
static void
add_variant(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
            size_t len, const unsigned char *s, size_t n)
{
	if (n == 0 || (n == len && memcmp(s, v, n) == 0))
		return;
	patterns_add(ps, secret, s, n, 0, n, prefix_of(s, n));
}

static void
add_encodings(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len, unsigned char *out)
{
	static const char *const apostrophes[] = {"&#x27;", "&#39;", "&apos;",
	                                          "&#039;"};
	size_t n;

	for (unsigned align = 0; align < 3; align++) {
		n = encode_base64_inner(v, len, align, b64_std, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
		n = encode_base64_inner(v, len, align, b64_url, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
	n = encode_hex(v, len, "0123456789abcdef", out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	n = encode_hex(v, len, "0123456789ABCDEF", out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	/* Encoders differ in what they leave alone: RFC 3986 strictly,
	 * JavaScript's encodeURIComponent, Python's quote() and encodeURI. */
	static const char *const percent_safe[] = {
	    "", "!'()*", "/", "!#$&'()*+,/:;=?@"};
	for (size_t safe = 0; safe < 4; safe++)
		for (int plus = 0; plus < 2; plus++) {
			n = encode_percent(v, len, "0123456789ABCDEF",
			                   percent_safe[safe], plus, out);
			add_variant(ps, secret, v, len, out, n);
			n = encode_percent(v, len, "0123456789abcdef",
			                   percent_safe[safe], plus, out);
			add_variant(ps, secret, v, len, out, n);
		}
	n = encode_literal(v, len, '\'', out);
	add_variant(ps, secret, v, len, out, n);
	n = encode_literal(v, len, '`', out);
	add_variant(ps, secret, v, len, out, n);
	for (unsigned style = 0; style < JSON_STYLES; style++) {
		n = encode_json(v, len, style, "0123456789abcdef", out);
		add_variant(ps, secret, v, len, out, n);
		n = encode_json(v, len, style, "0123456789ABCDEF", out);
		add_variant(ps, secret, v, len, out, n);
	}
	n = encode_xml(v, len, NULL, NULL, out);
	add_variant(ps, secret, v, len, out, n);
	for (size_t i = 0; i < 4; i++) {
		n = encode_xml(v, len, "&quot;", apostrophes[i], out);
		add_variant(ps, secret, v, len, out, n);
	}
	for (int style = SHELL_SINGLE; style <= SHELL_BACKSLASH; style++) {
		n = encode_shell(v, len, (enum shell_style)style, out);
		add_variant(ps, secret, v, len, out, n);
	}
}

/* A value and, unless raw only, its encoded forms. */
static void
add_value_forms(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len, size_t mask_lo, size_t mask_hi)
{
	patterns_add(ps, secret, v, len, mask_lo, mask_hi,
	             mask_lo == 0 ? prefix_of(v, len) : 0);
	if (!ps->encodings)
		return;
	add_encodings(ps, secret, v, len, scratch_for(ps, len));
}

/*
 * scheme://user:password@host...: [*lo, *hi) is the password. A URL
 * without one is an ordinary value.
 */
bool
url_password(const unsigned char *v, size_t len, size_t *lo, size_t *hi)
{
	size_t i = 0, end, at = 0, colon = 0;

	if (len == 0 || !((v[0] | 0x20) >= 'a' && (v[0] | 0x20) <= 'z'))
		return false;
	while (i < len && (((v[i] | 0x20) >= 'a' && (v[i] | 0x20) <= 'z') ||
	                   (v[i] >= '0' && v[i] <= '9') || v[i] == '+' ||
	                   v[i] == '-' || v[i] == '.'))
		i++;
	if (len - i < 3 || memcmp(v + i, "://", 3) != 0)
		return false;
	i += 3;
	for (end = i; end < len && !strchr("/?#", v[end]); end++)
		if (v[end] == '@')
			at = end;
	if (at == 0)
		return false;
	for (colon = i; colon < at && v[colon] != ':'; colon++)
		;
	if (colon + 1 >= at)
		return false;
	*lo = colon + 1;
	*hi = at;
	return true;
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %XX decoded into out; the length, or 0 when nothing was encoded. */
static size_t
percent_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;
	bool changed = false;

	for (size_t i = 0; i < len; i++) {
		int h, l;

		if (v[i] == '%' && i + 2 < len &&
		    (h = hex_value(v[i + 1])) >= 0 &&
		    (l = hex_value(v[i + 2])) >= 0) {
			out[n++] = (unsigned char)(h * 16 + l);
			i += 2;
			changed = true;
		} else {
			out[n++] = v[i];
		}
	}
	return changed ? n : 0;
}

/* The password of a URL value, alone and decoded, when long enough. */
static void
add_password(struct pattern_set *ps, uint32_t secret, const unsigned char *pw,
             size_t len)
{
	unsigned char *decoded;
	size_t n;

	if (len >= ps->min_length)
		add_value_forms(ps, secret, pw, len, 0, len);
	decoded = secmem_alloc(len + 1);
	n = percent_decode(pw, len, decoded);
	if (n > 0 && n >= ps->min_length)
		add_value_forms(ps, secret, decoded, n, 0, n);
	secmem_free(decoded);
}

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Each line of a multi-line value, trimmed, when long enough. */
static size_t
add_lines(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
          size_t len)
{
	size_t start = 0, short_lines = 0;

	while (start < len) {
		size_t end = start, lo = start, hi;

		while (end < len && v[end] != '\n')
			end++;
		hi = end;
		while (lo < hi && is_blank(v[lo]))
			lo++;
		while (hi > lo && is_blank(v[hi - 1]))
			hi--;
		/* PEM armour lines name a type, not a key. */
		if (hi - lo >= 5 && memcmp(v + lo, "-----", 5) == 0)
			;
		else if (hi - lo >= ps->min_length)
			patterns_add(ps, secret, v + lo, hi - lo, 0, hi - lo,
			             0);
		else if (hi > lo)
			short_lines++;
		start = end + 1;
	}
	return short_lines;
}

void
patterns_add_value(struct pattern_set *ps, const char *name,
                   const unsigned char *value, size_t len,
                   struct short_report *report)
{
	uint32_t secret = patterns_name(ps, name);
	size_t lo, hi, printable = 0;

	memset(report, 0, sizeof(*report));
	for (size_t i = 0; i < len; i++)
		if (value[i] != '\r' && value[i] != '\n')
			printable++;
	if (len < ps->min_length || printable < ps->min_length) {
		report->value_short = true;
		return;
	}
	if (url_password(value, len, &lo, &hi)) {
		/* The URL as printed keeps everything but its password. */
		patterns_add(ps, secret, value, len, lo, hi, 0);
		add_password(ps, secret, value + lo, hi - lo);
		pieces_add(ps, secret, value + lo, hi - lo);
		if (ps->encodings)
			add_encodings(ps, secret, value, len,
			              scratch_for(ps, len));
	} else {
		add_value_forms(ps, secret, value, len, 0, len);
		pieces_add(ps, secret, value, len);
	}
	if (memchr(value, '\n', len) != NULL)
		report->short_lines = add_lines(ps, secret, value, len);
}
