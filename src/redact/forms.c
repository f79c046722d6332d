/* SPDX-License-Identifier: ISC */
/* The encoded and escaped forms of a secret part, one encoder per way
 * real software prints a string (the catalogue in redact(1)). */
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "forms.h"
#include "lines.h"
#include "util.h"

/* Type prefixes that say what a token is, not what it is: kept visible. */
static const char *const kept_prefixes[] = {
    "",         "sk_test_",    "sk_live_", "pk_test_", "pk_live_", "rk_test_",
    "rk_live_", "whsec_",      "ghp_",     "gho_",     "ghu_",     "ghs_",
    "ghr_",     "github_pat_", "glpat-",   "xoxb-",    "xoxp-",    "xoxa-",
    "xoxs-",    "xapp-",       "sk-proj-", "sk-ant-",  "npm_",     "pypi-",
    "hf_",      "dop_v1_",     "shpat_",   "AKIA",     "ASIA",     "sk-",
};
#define KEPT_PREFIXES (sizeof(kept_prefixes) / sizeof(kept_prefixes[0]))
/* A pattern keeps the index in 8 bits (struct pattern). */
_Static_assert(KEPT_PREFIXES <= 256, "a kept prefix's index is 8 bits");

const char *
patterns_prefix(uint32_t i)
{
	return i < KEPT_PREFIXES ? kept_prefixes[i] : "";
}

uint32_t
forms_prefix_of(const unsigned char *s, size_t len)
{
	uint32_t best = 0;
	size_t best_len = 0;

	for (uint32_t i = 1; i < KEPT_PREFIXES; i++) {
		size_t n;

		/* most values start with none of the prefixes' first bytes */
		if (len == 0 || (unsigned char)kept_prefixes[i][0] != s[0])
			continue;
		n = strlen(kept_prefixes[i]);
		if (n < len && n > best_len &&
		    memcmp(s, kept_prefixes[i], n) == 0) {
			best = i;
			best_len = n;
		}
	}
	return best;
}

size_t
forms_prefix_length(const unsigned char *s, size_t len)
{
	return strlen(patterns_prefix(forms_prefix_of(s, len)));
}

#define NODE_BUFFER_SHOWN 50 /* bytes util.inspect shows of a Buffer */
/* and of an ArrayBuffer's [Uint8Contents] (its maxArrayLength) */
#define NODE_ARRAY_BUFFER_SHOWN 100

static const char lower_hex[] = "0123456789abcdef";
static const char upper_hex[] = "0123456789ABCDEF";

static size_t
put_str(unsigned char *out, const char *s)
{
	size_t n = strlen(s);

	memcpy(out, s, n);
	return n;
}

/* Digits of u in base (8, 10 or 16), at least width of them. */
static size_t
put_number(unsigned char *out, unsigned u, unsigned base, size_t width,
           const char *digits)
{
	unsigned char tmp[16];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)digits[u % base];
		u /= base;
	} while (u > 0 || n < width);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

bool
forms_in_ranges(const unsigned (*ranges)[2], size_t count, unsigned cp)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < ranges[mid][0])
			hi = mid;
		else if (cp > ranges[mid][1])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static bool
has_byte(const unsigned char *v, size_t len, unsigned char c)
{
	return memchr(v, c, len) != NULL;
}

/* Whether v holds any byte of set. */
static bool
has_any(const unsigned char *v, size_t len, const char *set)
{
	for (; *set != '\0'; set++)
		if (has_byte(v, len, (unsigned char)*set))
			return true;
	return false;
}

static bool
has_high(const unsigned char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] >= 0x80)
			return true;
	return false;
}

static bool
has_control(const unsigned char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] < 0x20)
			return true;
	return false;
}

/* A text traffic dump's text alone (tcpdump -A, curl --trace-ascii,
 * socat -v, ngrep, GIT_TRACE_CURL's data): every byte past ASCII, and
 * every control, written as a dot. Only for a value with a byte past
 * ASCII (else it is the value), and with DOTTED_PLAIN_MIN bytes of it
 * left as they are: a value of few, all dots but a word, would mask
 * what any binary data's dots and that word make. 0 when none. */
#define DOTTED_PLAIN_MIN 8

static size_t
encode_dotted(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t plain = 0;

	if (!has_high(v, len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		bool shown = v[i] >= 0x20 && v[i] < 0x7f;

		out[i] = shown ? v[i] : '.';
		plain += shown && v[i] != '.';
	}
	return plain >= DOTTED_PLAIN_MIN ? len : 0;
}

/* ---- base64 and hex ---- */

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The width bits (at most 8) of v from bit r on, most significant
 * first: in r's byte and, past its bit 8 - width, the next one (which
 * must be there). */
static inline unsigned
bits_at(const unsigned char *v, size_t r, unsigned width)
{
	unsigned shift = (unsigned)(r % 8), w = (unsigned)v[r / 8] << 8;

	if (shift > 8 - width)
		w |= v[r / 8 + 1];
	return (w >> (16 - width - shift)) & ((1u << width) - 1);
}

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

	/* in v: all 6 bits of each */
	for (; 6 * k + 6 <= end_bit; k++)
		out[n++] =
		    (unsigned char)alphabet[bits_at(v, 6 * k - first_bit, 6)];
	return n;
}

/*
 * RFC 4648 base32 of the part on its own (base32(1), Python's
 * b32encode, a TOTP key in an otpauth:// URI): the characters whose
 * five bits all fall inside v. Only at the start of the text: base32
 * of a longer text with the value inside is rare, and each of the
 * other four alignments would cost a pattern of its own.
 */
static size_t
encode_base32(const unsigned char *v, size_t len, unsigned char *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t n = 0;

	for (size_t bit = 0; bit + 5 <= 8 * len; bit += 5)
		out[n++] = (unsigned char)alphabet[bits_at(v, bit, 5)];
	return n;
}

/*
 * A value that ends the encoded text: its last character mixes the value's
 * last bits with zero bits, not with a neighbour's, and is followed by
 * the padding (standard base64) or by nothing (base64url, as in a JWT).
 * So the inner characters (out[0..n)) with that character, and with the
 * padding in the standard alphabet, make a pattern masked whole: the last
 * 2 or 4 bits of the value do not show as `M=` after the mask.
 */
static void
add_base64_end(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len, unsigned align, const char *alphabet,
               unsigned char *out, size_t n)
{
	size_t end_bit = 8 * ((size_t)align + len), left = end_bit % 6;
	unsigned bits;

	if (len == 0 || left == 0)
		return;
	bits = (unsigned)(v[len - 1] & ((1u << left) - 1)) << (6 - left);
	out[n++] = (unsigned char)alphabet[bits];
	if (alphabet == b64_std)
		for (size_t k = (end_bit + 5) / 6; k % 4 != 0; k++)
			out[n++] = '=';
	patterns_add(ps, secret, out, n, 0, n, 0);
}

/*
 * Base64 of the whole part wrapped at a column, each line a pattern of
 * its own: 76 (MIME, base64(1), Python's encodebytes and so PyYAML's
 * !!binary) and 64 (PEM, openssl base64). A wrap with only line breaks
 * is matched whole already; these find the lines with an indentation or
 * a quote mark in front of each.
 */
static void
add_base64_lines(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *v, size_t len, unsigned char *out)
{
	static const size_t widths[] = {76, 64};
	size_t n = encode_base64_inner(v, len, 0, b64_std, out);

	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		if (n <= widths[w])
			continue;
		for (size_t off = 0; off < n; off += widths[w]) {
			size_t m = n - off < widths[w] ? n - off : widths[w];

			if (m >= PIECE_MIN)
				patterns_add(ps, secret, out + off, m, 0, m, 0);
		}
	}
}

/* Hex, with sep between bytes (0 for none): xxd -p, Node's <Buffer ..>,
 * openssl's and Wireshark's colon lists. */
static size_t
encode_hex(const unsigned char *v, size_t len, const char *digits,
           unsigned char sep, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (sep != 0 && i > 0)
			out[n++] = sep;
		out[n++] = (unsigned char)digits[v[i] >> 4];
		out[n++] = (unsigned char)digits[v[i] & 15];
	}
	return n;
}

/*
 * Each byte in lower-case hex with no padding, joined: the bytesToHex
 * helpers that forget it (Java's Integer.toHexString(b & 0xff),
 * JavaScript's b.toString(16), Ruby's b.to_s(16)); with sign_extended,
 * Java's Integer.toHexString(b) of a byte, a negative one as ffffffhh.
 * 0 where it is the padded hex (no byte under 0x10, or none past 0x7f).
 */
static size_t
encode_hex_loose(const unsigned char *v, size_t len, bool sign_extended,
                 unsigned char *out)
{
	size_t n = 0;
	bool differs = false;

	for (size_t i = 0; i < len; i++) {
		if (sign_extended && v[i] >= 0x80) {
			memcpy(out + n, "ffffff", 6);
			n += 6;
			differs = true;
		}
		if (v[i] >= 0x10 || (sign_extended && v[i] >= 0x80))
			out[n++] = (unsigned char)lower_hex[v[i] >> 4];
		else
			differs = differs || !sign_extended;
		out[n++] = (unsigned char)lower_hex[v[i] & 15];
	}
	return differs ? n : 0;
}

/* Each byte as 0xhh, with sep between them: C's and Go's byte arrays
 * ({0xaa, 0xd3}, Go's %#v of a []byte), printf("0x%02X,") loops. */
static size_t
encode_hex_list(const unsigned char *v, size_t len, const char *digits,
                const char *sep, unsigned char *out)
{
	size_t n = 0, sep_len = strlen(sep);

	for (size_t i = 0; i < len; i++) {
		if (i > 0) {
			memcpy(out + n, sep, sep_len);
			n += sep_len;
		}
		out[n++] = '0';
		out[n++] = 'x';
		out[n++] = (unsigned char)digits[v[i] >> 4];
		out[n++] = (unsigned char)digits[v[i] & 15];
	}
	return n;
}

/* Every byte as \xhh: strace -xx, and strace -x for a string that holds
 * a byte past printable ASCII (its whole text is then in hex). */
static size_t
encode_hex_escapes(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = (unsigned char)lower_hex[v[i] >> 4];
		out[n++] = (unsigned char)lower_hex[v[i] & 15];
	}
	return n;
}

/* u (at most 256) in decimal, as put_number(out, u, 10, 1, ...) writes
 * it without a division loop: a value's bytes are written so three
 * times over. */
static size_t
put_byte_decimal(unsigned char *out, unsigned u)
{
	size_t n = 0;

	if (u >= 100)
		out[n++] = (unsigned char)('0' + u / 100);
	if (u >= 10)
		out[n++] = (unsigned char)('0' + u / 10 % 10);
	out[n++] = (unsigned char)('0' + u % 10);
	return n;
}

/* What a list of decimal numbers holds: v's bytes, signed as Java's
 * byte is (Arrays.toString: "115, -61, -68"), or its code points. */
enum decimal_of { DECIMAL_BYTES, DECIMAL_SIGNED, DECIMAL_CODE_POINTS };

/* The joins such lists are printed with: Node's Buffer toJSON() and
 * JSON ("115,107"), a printed list ("115, 107": Python's, Java's
 * Arrays.toString), and Go's %v of a []byte or Println of a []rune
 * ("[115 107]", as " ".join(map(str, b))). */
static const char *const decimal_joins[] = {",", ", ", " "};

/* v as decimal numbers joined by sep; 0 for code points of v that is
 * not UTF-8. */
static size_t
encode_decimal_list(const unsigned char *v, size_t len, const char *sep,
                    enum decimal_of of, unsigned char *out)
{
	size_t n = 0, sep_len = strlen(sep);

	for (size_t i = 0, k = 1; i < len; i += k) {
		unsigned cp;

		if (i > 0) {
			memcpy(out + n, sep, sep_len);
			n += sep_len;
		}
		if (of == DECIMAL_CODE_POINTS) {
			if ((k = utf8_decode(v + i, len - i, &cp)) == 0)
				return 0;
			n += put_number(out + n, cp, 10, 1, lower_hex);
		} else if (of == DECIMAL_SIGNED && v[i] >= 0x80) {
			out[n++] = '-';
			n += put_byte_decimal(out + n, 256u - v[i]);
		} else {
			n += put_byte_decimal(out + n, v[i]);
		}
	}
	return n;
}

/* v's list of numbers joined by sep (encode_decimal_list), masked from
 * the number after a kept type prefix's, as the dump views mask a list
 * (a list one number a line, as json.dumps(indent=2) prints one, is
 * the masker's too, read across its indent). */
static void
add_decimal_list(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *v, size_t len, const char *sep,
                 enum decimal_of of, unsigned char *out)
{
	size_t kept = forms_prefix_length(v, len), lo = 0, n;

	if (kept > 0 && kept < len)
		lo = encode_decimal_list(v, kept, sep, of, out) + strlen(sep);
	if ((n = encode_decimal_list(v, len, sep, of, out)) > lo)
		patterns_add(ps, secret, out, n, lo, n, 0);
}

/* ---- percent-encoding ---- */

/* Whether c is one of set's bytes (never its NUL): called for every
 * byte of a value by many encoders, where strchr cost a call each. */
static inline bool
byte_in(const char *set, unsigned char c)
{
	for (; *set != '\0'; set++)
		if ((unsigned char)*set == c)
			return true;
	return false;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/*
 * Percent-encoding of everything but letters, digits and safe;
 * plus_space: a space as "+" (forms).
 */
static size_t
encode_percent(const unsigned char *v, size_t len, const char *digits,
               const char *safe, bool plus_space, bool high_raw,
               unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (is_alnum(v[i]) || byte_in(safe, v[i]) ||
		    (high_raw && v[i] >= 0x80)) {
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

/* Percent-encoding of the bytes of set alone, upper case: SQLAlchemy's
 * URL (str(), render_as_string) and the Snowflake connector write a
 * password so, with ":", "@" and "/" encoded and the rest as it is;
 * GitHub Actions' workflow commands, with "%", CR and LF. */
static size_t
encode_percent_only(const unsigned char *v, size_t len, const char *set,
                    unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (byte_in(set, v[i])) {
			out[n++] = '%';
			out[n++] = (unsigned char)upper_hex[v[i] >> 4];
			out[n++] = (unsigned char)upper_hex[v[i] & 15];
		} else {
			out[n++] = v[i];
		}
	return n;
}

static void add_variant(struct pattern_set *ps, uint32_t secret,
                        const unsigned char *v, size_t len,
                        const unsigned char *s, size_t n);

static void add_literal_pieces(struct pattern_set *ps, uint32_t secret,
                               const unsigned char *s, size_t n, size_t kept);

static void add_mojibake_escaped(struct pattern_set *ps, uint32_t secret,
                                 const unsigned char *v, size_t len,
                                 unsigned char *out);

/*
 * What a WHATWG URL's parser makes of a multi-line value (or one with a
 * tab): its lines without PEM armour lines, the tabs and line breaks
 * dropped, percent-encoded but safe, upper case; so a URL's pieces
 * that span a line's end are patterns too. Out of line: few values have
 * a line break or tab, and inlined it took registers from the hot loops
 * of forms_add_encodings (0.3 % more instructions in set-up).
 */
static __attribute__((noinline)) size_t
encode_url_joined(const unsigned char *v, size_t len, const char *safe,
                  unsigned char *out)
{
	size_t n = 0;
	struct value_line l;

	for (size_t at = 0; value_line_next(v, len, &at, &l);) {
		if (value_line_armour(v, l.lo, l.hi))
			continue;
		for (size_t i = l.start; i < l.end; i++)
			if (v[i] != '\t')
				n += encode_percent(v + i, 1, upper_hex, safe,
				                    false, false, out + n);
	}
	return n;
}

static void add_literal(struct pattern_set *ps, uint32_t secret,
                        const unsigned char *v, size_t len,
                        const unsigned char *s, size_t n, bool pieces,
                        size_t kept);
/* What curl leaves of a value put in a URL's path as it is: every
 * printable ASCII byte (it encodes the bytes past ASCII alone, in lower
 * case) */
static const char curl_path_safe[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/* The characters of a literal reprlib keeps after its "...": its
 * maxstring (30) less the dots, less the 13 it keeps first (with the
 * opening quote), less the closing quote. */
#define REPRLIB_TAIL 13

/* What encoders leave alone besides letters and digits: RFC 3986's
 * unreserved set, encodeURIComponent, Python's quote(), encodeURI,
 * the WHATWG URL userinfo set (which leaves "%" itself), and
 * application/x-www-form-urlencoded (URLSearchParams, Java's
 * URLEncoder: "~" encoded, "*" not); then, in upper case only, what
 * a WHATWG URL built around a value encodes of it: its fragment,
 * query (a special scheme's with "'"; the other's) and path sets
 * (new URL(base + value).href, url.hash = value), with pieces: a
 * value with "#" in a URL's query goes on in its fragment, and the
 * parser drops a tab or line break. Most values hold none of the
 * few bytes these encode: no pattern of their own. */
static const struct {
	const char *safe;
	bool plus_too, upper_only, pieces;
	/* not for a URL value, whose password is a part of its own (the
	 * sets of a query's parameter; a DSN's forms in each cost every
	 * scan: the benchmark's near misses 3% more instructions) */
	bool not_url;
	/* a text value's alone, not a key's bytes; bytes past ASCII as
	 * they are */
	bool text_only, high_raw;
} percent_sets[] = {
    {"-._~", true, false, false, false, false, false},
    {"-._~!'()*", true, false, false, false, false, false},
    {"-._~/", true, false, false, false, false, false},
    {"-._~!#$&'()*+,/:;=?@", true, false, false, false, false, false},
    {"-._~!$%&'()*+,", false, false, false, false, false, false},
    {"-._*", true, false, false, false, false, false},
    /* qs' RFC1738 format (qs.stringify(o, {format: 'RFC1738'})): ( )
     * as they are, a blank as + */
    {"-._~()", true, true, false, true, false, false},
    /* PHP's urlencode and http_build_query: ~ and * encoded both */
    {"-._", true, true, false, true, false, false},
    /* all but letters and digits: URI::Escape's uri_escape($s,
     * "^A-Za-z0-9"), as its manual shows */
    {"", false, true, false, true, false, false},
    {"!#$%&'()*+,-./:;=?@[\\]^_{|}~", false, true, true, false, false, false},
    {"!$%&()*+,-./:;=?@[\\]^_`{|}~", false, true, true, false, false, false},
    {"!$%&'()*+,-./:;=?@[\\]^_`{|}~", false, true, false, false, false, false},
    {"!$%&'()*+,-./:;=@[\\]^_|~", false, true, false, false, false, false},
    /* Go's net/url: PathEscape, a URL's path, its userinfo
     * (url.UserPassword) and its fragment, as String() writes them */
    {"-_.~$&+:=@", false, true, false, false, false, false},
    {"-_.~$&+,/:;=@", false, true, false, false, false, false},
    {"-_.~$&+,;=", false, true, false, false, false, false},
    {"-_.~$&+,/:;=?@!()*", false, true, false, false, false, false},
    /* yarl (aiohttp's URLs: a ClientResponseError's url=URL('...'))
     * quoting a query's value, and a path that held one percent-encoded
     * already (its "/" and "+" kept so, the rest decoded again) */
    {"-._~!$'()*,?/:@", true, false, false, true, false, false},
    {"-._~!$'()*,;=&@:", false, false, false, true, false, false},
    /* axios's params: encodeURIComponent, then : $ , [ ] back and a
     * blank as + */
    {"-_.!~*'():$,[]", true, false, false, true, false, false},
    /* encodeURIComponent in a special scheme's query, where the URL
     * parser encodes "'" again (fetch's, node-fetch's, got's URL) */
    {"-_.!~*()", false, false, false, true, false, false},
    /* Node's legacy url.format of a userinfo: encodeURIComponent with
     * ":" left as it is (url.parse().href, node-fetch 2's errors,
     * follow-redirects' _currentUrl in axios's errors and responses) */
    {"-_.!~*'():", false, false, false, true, false, false},
    /* URL libraries that encode what RFC 3986 does not allow in a URL
     * and leave its reserved characters, "[" and "]" too, as they are,
     * in a URL a program built around a value: httpx's URL (a
     * response's url, raise_for_status()'s error), Ruby's
     * URI::DEFAULT_PARSER.escape and Rack's escape_path; Django's
     * iri_to_uri ("#" and "%" kept: a redirect's Location); Node's
     * legacy url.parse ("'" encoded, bytes past ASCII as they are:
     * node-fetch 2's errors) */
    {"-._~!$&'()*+,/:;=?@[]", false, true, false, true, true, false},
    {"-._~!#$%&'()*+,/:;=?@[]", false, true, false, true, true, false},
    {"-._~!#$%&()*+,/:;=?@[]", false, true, false, true, true, true},
    /* Werkzeug 2's url_quote (its "/" and ":" kept) and
     * url_quote_plus (url_encode: Flask's url_for's query), and
     * Django's escape_uri_path (a request's get_full_path()) */
    {"-._~!$'()*+,/:;", false, true, false, true, true, false},
    {"-._~!$'()*,;", true, true, false, true, true, false},
    {"-._~!$&'()*+,/:@", false, true, false, true, true, false},
    /* curl's request line of a value put in a URL's path as it is (curl
     * -v, and so apache2's, lighttpd's, caddy's and gunicorn's logs of
     * the request) */
    {curl_path_safe, false, false, false, true, true, false},
};

/* java.net.URI's userinfo: RFC 2396's marks and ;:&=+$, */
static const char java_uri_safe[] = "-._~!*'();:&=+$,";

/* Whether v is letters, digits and "-._" alone: every percent set leaves
 * them (most tokens), so no percent-encoding of v differs from it. */
static bool
percent_plain(const unsigned char *v, size_t len)
{
	size_t i = 0;

	while (i < len && (is_alnum(v[i]) || byte_in("-._", v[i])))
		i++;
	return i == len;
}

static void
add_percent_forms(struct pattern_set *ps, uint32_t secret,
                  const unsigned char *v, size_t len, unsigned char *out,
                  bool pieces, bool text)
{
	const bool url = url_scheme_length(v, len) > 0;
	size_t n;

	if (percent_plain(v, len))
		return;
	for (size_t s = 0; s < sizeof(percent_sets) / sizeof(percent_sets[0]);
	     s++)
		for (int plus = 0; plus < (percent_sets[s].plus_too ? 2 : 1);
		     plus++) {
			if ((plus && !has_byte(v, len, ' ')) ||
			    (url && percent_sets[s].not_url) ||
			    (!text && percent_sets[s].text_only))
				continue;
			n = encode_percent(v, len, upper_hex,
			                   percent_sets[s].safe, plus,
			                   percent_sets[s].high_raw, out);
			if (percent_sets[s].upper_only)
				add_literal(ps, secret, v, len, out, n,
				            pieces && percent_sets[s].pieces,
				            0);
			else
				add_variant(ps, secret, v, len, out, n);
			/* pieces across a tab or line break it drops */
			if (pieces && percent_sets[s].pieces &&
			    (has_byte(v, len, '\n') || has_byte(v, len, '\r') ||
			     has_byte(v, len, '\t'))) {
				size_t joined = encode_url_joined(
				    v, len, percent_sets[s].safe, out);

				add_literal_pieces(ps, secret, out, joined, 0);
			}
			if (n == len || percent_sets[s].upper_only)
				continue; /* nothing encoded: no case */
			n = encode_percent(v, len, lower_hex,
			                   percent_sets[s].safe, plus, false,
			                   out);
			add_variant(ps, secret, v, len, out, n);
		}
	/* java.net.URI's constructors quote a userinfo (RFC 2396: its
	 * marks and ;:&=+$, left as they are), with bytes past ASCII as they
	 * are in toString() and encoded in toASCIIString() */
	for (int high_raw = 0; high_raw < (has_high(v, len) ? 2 : 1);
	     high_raw++) {
		n = encode_percent(v, len, upper_hex, java_uri_safe, false,
		                   high_raw, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* curl's request line of it in apache2's access log, which writes
	 * " and \ after a backslash */
	if (text && has_high(v, len) && has_any(v, len, "\"\\")) {
		size_t cap = 6 * len + 16, m = 0;
		unsigned char *t = patterns_work_take(ps, cap);

		n = encode_percent(v, len, lower_hex, curl_path_safe, false,
		                   false, out);
		for (size_t i = 0; i < n; i++) {
			if (out[i] == '"' || out[i] == '\\')
				t[m++] = '\\';
			t[m++] = out[i];
		}
		add_variant(ps, secret, v, len, t, m);
		patterns_work_give(ps, t, cap);
	}
	/* A value put in a URL unencoded is cut by its first "#" (the
	 * fragment, which a client never sends) or, in a path, its first
	 * "?": the part before it, encoded, is what a client's debug log
	 * prints (urllib3's "GET /x?token=... HTTP/1.1", wget's request,
	 * aiohttp's response), ended by no cut mark. A piece's length at
	 * least, and only of the part's forms (pieces). */
	for (const char *cut = "#?"; pieces && *cut != '\0'; cut++) {
		const unsigned char *at = memchr(v, *cut, len);

		if (at != NULL && (size_t)(at - v) >= PIECE_MIN)
			add_percent_forms(ps, secret, v, (size_t)(at - v), out,
			                  false, text);
	}
}

/*
 * A value percent-encoded, then encoded again: a URL that holds it (a
 * DSN whose password quote() or a URL library encoded) carried in
 * another URL's query or a form (a redirect's target, urlencode of
 * settings that hold the DSN, encodeURIComponent of new URL().href,
 * url.QueryEscape of u.String()), or an encoder called twice. Each of
 * add_percent_forms' encodings in upper case (and java.net.URI's), then
 * each encoder that carries a URL in another: Python's quote() with
 * nothing safe (urlencode, PHP's rawurlencode and Go's QueryEscape
 * encode as much) or with "/" safe, encodeURIComponent, and
 * application/x-www-form-urlencoded (URLSearchParams, Java's
 * URLEncoder). A "%" becomes "%25", and what the first encoder left
 * that the second does not keep is encoded. A value of letters, digits
 * and "-._" alone is no different: none is made (most values).
 * out: FORMS_SCRATCH(len) bytes (3 * len for the first encoding, 9 *
 * len for the second).
 */
static void
add_percent_twice(struct pattern_set *ps, uint32_t secret,
                  const unsigned char *v, size_t len, unsigned char *out)
{
	static const char *const outer[] = {"-._~", "-._~/", "-._~!'()*",
	                                    "-._*"};
	const size_t sets = sizeof(percent_sets) / sizeof(percent_sets[0]);
	unsigned char *twice = out + 3 * len;
	bool space = has_byte(v, len, ' '), high = has_high(v, len);
	size_t n, m;

	if (percent_plain(v, len))
		return;
	/* sets, then java.net.URI's userinfo with bytes past ASCII
	 * encoded and, in a value that has some, as they are */
	for (size_t s = 0; s < sets + 2; s++)
		for (int plus = 0; plus < 2; plus++) {
			bool uri = s >= sets;

			if (plus &&
			    (uri || !percent_sets[s].plus_too || !space))
				continue;
			/* the URL libraries' sets: seldom encoded again */
			if (!uri && percent_sets[s].text_only)
				continue;
			if (s == sets + 1 && !high)
				continue;
			n = encode_percent(v, len, upper_hex,
			                   uri ? java_uri_safe
			                       : percent_sets[s].safe,
			                   plus, s == sets + 1, out);
			for (size_t o = 0; o < sizeof outer / sizeof outer[0];
			     o++) {
				m = encode_percent(out, n, upper_hex, outer[o],
				                   false, false, twice);
				add_variant(ps, secret, v, len, twice, m);
			}
		}
}

/* ---- backslash escapes ---- */

enum high_style {
	HIGH_RAW,        /* bytes 0x80 and up as they are */
	HIGH_HEX,        /* \xc3\xbc: Python bytes */
	HIGH_OCTAL,      /* \303\274: bash $'..' under LC_ALL=C, strace, Perl */
	HIGH_PYTHON,     /* \xfc \u20ac \U0001f600: ascii(), PyYAML */
	HIGH_PERL_WIDE,  /* \x{fc}: Data::Dumper of a character string */
	HIGH_PERL_BYTES, /* \x{c3}\x{bc}: Carp of a byte string */
	HIGH_PY_REPR,    /* Python repr() of a str: as it is but what
	                  * str.isprintable() rejects (\xa0, \u200b) */
	HIGH_C1,         /* as it is but U+0080-U+009F as \x85: Node */
	HIGH_YAML,       /* PyYAML double-quoted: \_ \N \L \P, else \xE9 */
	HIGH_YAML_WIDE,  /* the same with allow_unicode: most as it is */
	HIGH_RAW_UNICODE, /* repr() of str.encode('raw_unicode_escape'):
	                   * \xfc, and \\u20ac \\U0001f600 (the
	                   * encoding's backslash escaped in turn) */
	HIGH_RUBY,        /* Ruby's inspect of a UTF-8 string: as it is but
	                   * U+0080-U+009F (not U+0085), U+2028 and U+2029,
	                   * which it writes as \u0080 */
	HIGH_RUBY_DUMP,   /* Ruby's dump: \u00FC, and \u{1F600} past U+FFFF */
	HIGH_GO,          /* Go's strconv.Quote (%q, %#v): as it is but what
	                   * unicode.IsPrint rejects, as \u00a0 \U000e0001 */
	HIGH_GO_ASCII,    /* QuoteToASCII (%+q): all, \u00fc \U0001f600 */
	HIGH_GO_BYTES,    /* %q of bytes (a key decoded): HIGH_GO, and \xb5
	                   * for a byte no UTF-8 character holds */
	HIGH_RUST,        /* Rust's {:?}: as it is but what is not printable
	                   * (the same test), as \u{a0} */
	HIGH_RUST_ALL,    /* Rust's escape_default(): all, \u{fc} \u{1f600} */
	HIGH_RUBY_BYTES,  /* Ruby's inspect of a key's bytes in a UTF-8
	                   * string (File.read): HIGH_RUBY, and \xD7 for a
	                   * byte no UTF-8 character holds */
	HIGH_LOUPE,       /* chai's loupe: as it is but U+0080-U+009F, soft
	                   * hyphens, joiners and other format characters,
	                   * as \u00ad */
	HIGH_GDB_UTF8,    /* gdb's print of bytes in a UTF-8 locale: a
	                   * character iswprint() takes as it is, every other
	                   * byte \320 */
	HIGH_DATA_DUMP,   /* Perl's Data::Dump (dd, pp) of a character
	                   * string: \xFC below U+0100, \x{20AC} past it */
	HIGH_ELIXIR,      /* Elixir's inspect of a binary as a string: as
	                   * it is but U+0080-U+009F as \x85, U+FFFE and
	                   * U+FFFF as \x{FFFE}, a byte of no character \xD7 */
};

enum control_style {
	CONTROL_HEX,       /* \x01 */
	CONTROL_HEX_C0,    /* \x01, DEL as it is: YAML.pm */
	CONTROL_OCTAL,     /* \001 */
	CONTROL_OCTAL_MIN, /* \1, or \001 before a digit: strace, Perl */
	CONTROL_U4,        /* \u0001: Ruby's inspect of a UTF-8 string */
	CONTROL_RUST,      /* \u{1}: Rust */
	CONTROL_PERL,      /* \x{9}: Perl's Carp */
	CONTROL_RAW,       /* as it is, but NUL as \000: PostgreSQL's
	                    * encode(..., 'escape') */
};

struct escape_style {
	const char *escaped; /* backslashed as they are, with the backslash */
	const char *named;   /* of "abtnvfre0": controls written by name */
	enum control_style control;
	enum high_style high;
	const char *digits;
	bool ruby_hash; /* # before {, $ or @ backslashed too (Ruby; Elixir's
	                 * before { alone) */
	bool backslash_kept; /* a backslash as it is (loupe) */
	bool bytes_only;     /* a key's bytes' alone, not a text value's */
};

static char
control_name(unsigned char c)
{
	static const char from[] = "\a\b\t\n\v\f\r\033";
	static const char to[] = "abtnvfre";
	const char *p = c != 0 ? strchr(from, c) : NULL;

	return p != NULL ? to[p - from] : c == 0 ? '0' : 0;
}

static size_t
put_control(unsigned char *out, unsigned char c, unsigned char next,
            const struct escape_style *st)
{
	/* DEL by name: Elixir's \d */
	char name = c == 0x7f ? 'd' : control_name(c);
	size_t n = 0;

	out[n++] = '\\';
	if (name != 0 && strchr(st->named, name)) {
		out[n++] = (unsigned char)name;
	} else if (st->control == CONTROL_HEX ||
	           st->control == CONTROL_HEX_C0) {
		out[n++] = 'x';
		n += put_number(out + n, c, 16, 2, st->digits);
	} else if (st->control == CONTROL_U4) {
		out[n++] = 'u';
		n += put_number(out + n, c, 16, 4, st->digits);
	} else if (st->control == CONTROL_RUST || st->control == CONTROL_PERL) {
		out[n++] = st->control == CONTROL_RUST ? 'u' : 'x';
		out[n++] = '{';
		n += put_number(out + n, c, 16, 1, st->digits);
		out[n++] = '}';
	} else {
		size_t width = st->control == CONTROL_OCTAL ||
		                       st->control == CONTROL_RAW ||
		                       (next >= '0' && next <= '9')
		                   ? 3
		                   : 1;
		n += put_number(out + n, c, 8, width, lower_hex);
	}
	return n;
}

/* One code point as Python's ascii() and PyYAML write it. */
static size_t
put_python_code_point(unsigned char *out, unsigned cp, const char *digits)
{
	size_t n = 0;

	out[n++] = '\\';
	if (cp < 0x100) {
		out[n++] = 'x';
		n += put_number(out + n, cp, 16, 2, digits);
	} else if (cp < 0x10000) {
		out[n++] = 'u';
		n += put_number(out + n, cp, 16, 4, digits);
	} else {
		out[n++] = 'U';
		n += put_number(out + n, cp, 16, 8, digits);
	}
	return n;
}

/* PyYAML's names for the escapes past ASCII (0 for none). */
static char
yaml_name(unsigned cp)
{
	switch (cp) {
	case 0x85:
		return 'N';
	case 0xa0:
		return '_';
	case 0x2028:
		return 'L';
	case 0x2029:
		return 'P';
	default:
		return 0;
	}
}

/* Whether PyYAML's double-quoted style escapes cp (wide: allow_unicode). */
static bool
yaml_escapes(unsigned cp, bool wide)
{
	if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
		return true;
	return !wide || !((cp >= 0xa0 && cp <= 0xd7ff) ||
	                  (cp >= 0xe000 && cp <= 0xfffd));
}

/* One code point past ASCII in a style that decodes UTF-8. */
static size_t
put_code_point(unsigned char *out, const unsigned char *raw, size_t k,
               unsigned cp, const struct escape_style *st)
{
	size_t n = 0;
	bool escape = true;
	char name = 0;

	switch (st->high) {
	case HIGH_PY_REPR:
		escape = forms_python_escapes(cp);
		break;
	case HIGH_C1:
		escape = cp < 0xa0;
		break;
	case HIGH_LOUPE:
		/* the code units of loupe's stringEscapeChars past U+007F
		 * (a character past U+FFFF is two, none of them) */
		escape = cp < 0xa0 || cp == 0xad || (cp >= 0x600 && cp <= 0x604) ||
		         cp == 0x70f || cp == 0x17b4 || cp == 0x17b5 ||
		         (cp >= 0x200c && cp <= 0x200f) ||
		         (cp >= 0x2028 && cp <= 0x202f) ||
		         (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
		         (cp >= 0xfff0 && cp <= 0xffff);
		if (escape) {
			out[n++] = '\\';
			out[n++] = 'u';
			return n + put_number(out + n, cp, 16, 4, st->digits);
		}
		break;
	case HIGH_YAML:
	case HIGH_YAML_WIDE:
		escape = yaml_escapes(cp, st->high == HIGH_YAML_WIDE);
		name = yaml_name(cp);
		break;
	case HIGH_RAW_UNICODE:
		if (cp >= 0x100)
			out[n++] = '\\';
		break;
	case HIGH_PERL_WIDE:
		n += put_str(out + n, "\\x{");
		n += put_number(out + n, cp, 16, 1, lower_hex);
		out[n++] = '}';
		return n;
	case HIGH_DATA_DUMP:
		n += put_str(out + n, cp < 0x100 ? "\\x" : "\\x{");
		n += put_number(out + n, cp, 16, 2, st->digits);
		if (cp >= 0x100)
			out[n++] = '}';
		return n;
	case HIGH_RUBY:
	case HIGH_RUBY_BYTES:
		escape =
		    (cp < 0xa0 && cp != 0x85) || cp == 0x2028 || cp == 0x2029;
		if (escape) {
			out[n++] = '\\';
			out[n++] = 'u';
			return n + put_number(out + n, cp, 16, 4, st->digits);
		}
		break;
	case HIGH_GO:
	case HIGH_GO_ASCII:
	case HIGH_GO_BYTES:
		/* IsPrint is letters, marks, numbers, punctuation and
		 * symbols: what str.isprintable() takes past ASCII */
		if (st->high != HIGH_GO_ASCII && !forms_python_escapes(cp)) {
			escape = false;
			break;
		}
		out[n++] = '\\';
		out[n++] = cp < 0x10000 ? 'u' : 'U';
		return n + put_number(out + n, cp, 16, cp < 0x10000 ? 4 : 8,
		                      st->digits);
	case HIGH_RUST:
	case HIGH_RUST_ALL:
		if (st->high == HIGH_RUST && !forms_python_escapes(cp)) {
			escape = false;
			break;
		}
		n += put_str(out + n, "\\u{");
		n += put_number(out + n, cp, 16, 1, st->digits);
		out[n++] = '}';
		return n;
	case HIGH_ELIXIR:
		if (cp < 0xa0)
			return n +
			       put_python_code_point(out + n, cp, st->digits);
		if (cp == 0xfffe || cp == 0xffff) {
			n += put_str(out + n, "\\x{");
			n += put_number(out + n, cp, 16, 4, st->digits);
			out[n++] = '}';
			return n;
		}
		escape = false;
		break;
	case HIGH_RUBY_DUMP:
		n += put_str(out + n, cp < 0x10000 ? "\\u" : "\\u{");
		n += put_number(out + n, cp, 16, 4, st->digits);
		if (cp >= 0x10000)
			out[n++] = '}';
		return n;
	default:
		break;
	}
	if (!escape) {
		memcpy(out, raw, k);
		return k;
	}
	if (name != 0) {
		out[n++] = '\\';
		out[n++] = (unsigned char)name;
		return n;
	}
	return n + put_python_code_point(out + n, cp, st->digits);
}

/* The bytes at v's end that begin a UTF-8 character the end cuts
 * short (iconv's EINVAL: gdb's "<incomplete sequence \315>"); 0 for
 * none. */
static size_t
utf8_cut_tail(const unsigned char *v, size_t len)
{
	for (size_t t = 1; t <= 3 && t <= len; t++) {
		unsigned char c = v[len - t], whole[4];
		size_t need = c >= 0xc2 && c <= 0xdf   ? 2
		              : c >= 0xe0 && c <= 0xef ? 3
		              : c >= 0xf0 && c <= 0xf4 ? 4
		                                       : 0;
		unsigned cp;

		if (c >= 0x80 && c <= 0xbf)
			continue; /* a continuation: its lead is earlier */
		if (need <= t)
			return 0;
		/* cut short if some bytes would make it whole */
		memcpy(whole, v + len - t, t);
		for (size_t k = t; k < need; k++)
			whole[k] = k > 1       ? 0x80
			           : c == 0xe0 ? 0xa0
			           : c == 0xf0 ? 0x90
			                       : 0x80;
		return utf8_decode(whole, need, &cp) == need ? t : 0;
	}
	return 0;
}

/* 0 when the style needs code points and v is not valid UTF-8. */
static size_t
encode_escaped(const unsigned char *v, size_t len,
               const struct escape_style *st, unsigned char *out)
{
	size_t n = 0;

	/* gdb ends its string before a character the end cuts short:
	 * ", <incomplete sequence \315>" */
	if (st->high == HIGH_GDB_UTF8)
		len -= utf8_cut_tail(v, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		unsigned char next = i + 1 < len ? v[i + 1] : 0;
		unsigned cp;
		size_t k;

		if ((c == '\\' && !st->backslash_kept) ||
		    byte_in(st->escaped, c) ||
		    (st->ruby_hash && c == '#' &&
		     (next == '{' || ((next == '$' || next == '@') &&
		                      st->high != HIGH_ELIXIR)))) {
			out[n++] = '\\';
			out[n++] = c;
		} else if ((c < 0x20 ||
		            (c == 0x7f && st->control != CONTROL_HEX_C0)) &&
		           (st->control != CONTROL_RAW || c == 0)) {
			n += put_control(out + n, c, next, st);
		} else if (c < 0x80 || st->high == HIGH_RAW) {
			out[n++] = c;
		} else if (st->high == HIGH_HEX) {
			out[n++] = '\\';
			out[n++] = 'x';
			n += put_number(out + n, c, 16, 2, st->digits);
		} else if (st->high == HIGH_OCTAL) {
			out[n++] = '\\';
			n += put_number(out + n, c, 8, 3, lower_hex);
		} else if (st->high == HIGH_GDB_UTF8) {
			if ((k = utf8_decode(v + i, len - i, &cp)) > 0 &&
			    !forms_glibc_escapes(cp)) {
				memcpy(out + n, v + i, k);
				n += k;
				i += k - 1;
			} else {
				out[n++] = '\\';
				n += put_number(out + n, c, 8, 3, lower_hex);
			}
		} else if (st->high == HIGH_PERL_BYTES) {
			n += put_str(out + n, "\\x{");
			n += put_number(out + n, c, 16, 2, lower_hex);
			out[n++] = '}';
		} else if ((k = utf8_decode(v + i, len - i, &cp)) == 0) {
			if (st->high != HIGH_GO_BYTES &&
			    st->high != HIGH_RUBY_BYTES &&
			    st->high != HIGH_ELIXIR)
				return 0;
			out[n++] = '\\';
			out[n++] = 'x';
			n += put_number(out + n, c, 16, 2, st->digits);
		} else {
			n += put_code_point(out + n, v + i, k, cp, st);
			i += k - 1;
		}
	}
	return n;
}

static const struct escape_style escape_styles[] = {
    /* a string literal with everything past ASCII as it is, in each quote */
    {"'", "tnr", CONTROL_HEX, HIGH_RAW, lower_hex, false, false, false},
    {"\"", "tnr", CONTROL_HEX, HIGH_RAW, lower_hex, false, false, false},
    {"`", "tnr", CONTROL_HEX, HIGH_RAW, lower_hex, false, false, false},
    /* Python repr() of a str (pprint, logging of a dict): "'" escaped, or
     * neither quote when the str has only "'" */
    {"'", "tnr", CONTROL_HEX, HIGH_PY_REPR, lower_hex, false, false, false},
    {"", "tnr", CONTROL_HEX, HIGH_PY_REPR, lower_hex, false, false, false},
    /* Node's util.inspect of a string, in each quote it picks */
    {"'", "btnfr", CONTROL_HEX, HIGH_C1, upper_hex, false, false, false},
    {"", "btnfr", CONTROL_HEX, HIGH_C1, upper_hex, false, false, false},
    /* chai's and vitest's messages (loupe): ' and controls escaped,
     * a backslash left as it is */
    {"'", "btnfr", CONTROL_U4, HIGH_LOUPE, lower_hex, false, true, false},
    /* Python repr() of bytes */
    {"'", "tnr", CONTROL_HEX, HIGH_HEX, lower_hex, false, false, false},
    {"\"", "tnr", CONTROL_HEX, HIGH_HEX, lower_hex, false, false, false},
    /* Python repr() of a str encoded with raw_unicode_escape (the
     * same as of bytes for ASCII: no pattern more) */
    {"'", "tnr", CONTROL_HEX, HIGH_RAW_UNICODE, lower_hex, false, false, false},
    {"\"", "tnr", CONTROL_HEX, HIGH_RAW_UNICODE, lower_hex, false, false,
     false},
    /* Python ascii() (and repr() in Python 2) */
    {"'", "tnr", CONTROL_HEX, HIGH_PYTHON, lower_hex, false, false, false},
    {"\"", "tnr", CONTROL_HEX, HIGH_PYTHON, lower_hex, false, false, false},
    /* Python's unicode_escape codec (s.encode("unicode_escape")
     * printed decoded): ascii() with no quote escaped */
    {"", "tnr", CONTROL_HEX, HIGH_PYTHON, lower_hex, false, false, false},
    /* PyYAML's double-quoted scalar, allow_unicode off (its default)
     * and on */
    {"\"", "0abtnvfre", CONTROL_HEX, HIGH_YAML, upper_hex, false, false, false},
    {"\"", "0abtnvfre", CONTROL_HEX, HIGH_YAML_WIDE, upper_hex, false, false,
     false},
    /* bash printf %q and $'..' under LC_ALL=C; in a UTF-8 locale */
    {"'", "abtnvfre", CONTROL_OCTAL, HIGH_OCTAL, lower_hex, false, false,
     false},
    {"'", "abtnvfre", CONTROL_OCTAL, HIGH_RAW, lower_hex, false, false, false},
    /* sed's l command (and so `sed -n l`): quotes as they are */
    {"", "abtnvfr", CONTROL_OCTAL, HIGH_OCTAL, lower_hex, false, false, false},
    /* protobuf's text format of a string field (print(message),
     * text_format, a gRPC request logged): both quotes, octal bytes */
    {"\"'", "tnr", CONTROL_OCTAL, HIGH_OCTAL, lower_hex, false, false, false},
    /* gdb's print of a char array or string (p, x/s): \" and octal,
     * \a \b \v by name too */
    {"\"", "abtnvfr", CONTROL_OCTAL, HIGH_OCTAL, lower_hex, false, false,
     false},
    /* strace; Perl Data::Dumper with Useqq, of bytes and of characters */
    {"\"", "tnvfr", CONTROL_OCTAL_MIN, HIGH_OCTAL, lower_hex, false, false,
     false},
    {"\"$@", "abtnfre", CONTROL_OCTAL_MIN, HIGH_OCTAL, lower_hex, false, false,
     false},
    {"\"$@", "abtnfre", CONTROL_OCTAL_MIN, HIGH_PERL_WIDE, lower_hex, false,
     false, false},
    /* Data::Dump's dd and pp of characters */
    {"\"$@", "abtnfre", CONTROL_OCTAL_MIN, HIGH_DATA_DUMP, upper_hex, false,
     false, false},
    /* Perl's Carp (confess, cluck, a stack trace's arguments) of bytes
     * (an %ENV value) and of characters: none by name */
    {"\"$@", "", CONTROL_PERL, HIGH_PERL_BYTES, lower_hex, false, false, false},
    {"\"$@", "", CONTROL_PERL, HIGH_PERL_WIDE, lower_hex, false, false, false},
    /* Ruby's inspect (p, pp, a Hash's or an Array's) of a UTF-8 string,
     * its dump, and either of a binary string: an ENV value under the C
     * locale, .b, a socket's or a file's bytes (\xC3\xBC) */
    {"\"", "abtnvfre", CONTROL_U4, HIGH_RUBY, upper_hex, true, false, false},
    {"\"", "abtnvfre", CONTROL_HEX, HIGH_RUBY_DUMP, upper_hex, true, false,
     false},
    {"\"", "abtnvfre", CONTROL_HEX, HIGH_HEX, upper_hex, true, false, false},
    /* and of a key's bytes in a UTF-8 string (File.read of a key file):
     * \xD7 where no character is, the characters as they are */
    {"\"", "abtnvfre", CONTROL_U4, HIGH_RUBY_BYTES, upper_hex, true, false,
     true},
    /* Go's %q, %#v of a struct, and %+q; %q of bytes */
    {"\"", "abtnvfr", CONTROL_HEX, HIGH_GO, lower_hex, false, false, false},
    {"\"", "abtnvfr", CONTROL_HEX, HIGH_GO_BYTES, lower_hex, false, false,
     false},
    {"\"", "abtnvfr", CONTROL_HEX, HIGH_GO_ASCII, lower_hex, false, false,
     false},
    /* Rust's {:?} (dbg!, a derived Debug), escape_debug() and
     * escape_default() */
    {"\"", "0tnr", CONTROL_RUST, HIGH_RUST, lower_hex, false, false, false},
    {"\"'", "0tnr", CONTROL_RUST, HIGH_RUST, lower_hex, false, false, false},
    {"\"'", "tnr", CONTROL_RUST, HIGH_RUST_ALL, lower_hex, false, false, false},
    /* a key's bytes as PostgreSQL writes a bytea in its escape format
     * (a SELECT under bytea_output = 'escape'; COPY doubles its
     * backslashes again) and as
     * encode(..., 'escape') writes it (controls as they are); as
     * redis-cli quotes a binary value (MONITOR, --no-raw, the default
     * on a terminal, --csv) */
    {"", "", CONTROL_OCTAL, HIGH_OCTAL, lower_hex, false, false, true},
    {"", "", CONTROL_RAW, HIGH_OCTAL, lower_hex, false, false, true},
    {"\"", "abtnr", CONTROL_HEX, HIGH_HEX, lower_hex, false, false, true},
    /* gdb's print of a key's bytes (bt's arguments, p, x/s, info
     * locals) in a UTF-8 locale, its default */
    {"\"", "abtnvfr", CONTROL_OCTAL, HIGH_GDB_UTF8, lower_hex, false, false,
     true},
    /* Elixir's inspect of a key's bytes as a string (binaries:
     * :as_strings, ExUnit's diff of two binaries with colours on): \0
     * and \d (DEL) by name */
    {"\"", "0abtnvfred", CONTROL_HEX, HIGH_ELIXIR, upper_hex, true, false,
     true},
    /* YAML.pm's Dump of a key's bytes: a control as \x10 (\0 \a \t \n
     * \v \f \r \e by name), " and a backslash escaped, the rest (DEL
     * too) as it is */
    {"\"", "0atnvfre", CONTROL_HEX_C0, HIGH_RAW, lower_hex, false, false, true},
    /* PHP's stack trace arguments of a key's bytes (an uncaught
     * exception, getTraceAsString(), where zend.exception_ignore_args
     * is off): \xE7 in upper case, \t \n \v \f \r \e by name, quotes
     * as they are */
    {"", "tnvfre", CONTROL_HEX, HIGH_HEX, upper_hex, false, false, true},
};

/*
 * Haskell's show of a String (showLitString: print, a derived Show's
 * record): a character past U+007F as its decimal code point (\252,
 * \8364), a control by its ASCII name (\ETB, \DEL; \n, \t by letter),
 * and \& between such a number and a digit (and between \SO and an H);
 * with bytes, each byte a character (a key as Data.ByteString.Char8's
 * unpack gives it). 0 where only a quote or a backslash is escaped (the
 * double-quoted literal's form) or the text is no UTF-8.
 */
static size_t
encode_haskell(const unsigned char *v, size_t len, bool bytes,
               unsigned char *out)
{
	static const char names[32][4] = {
	    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "a",
	    "b",   "t",   "n",   "v",   "f",   "r",   "SO",  "SI",
	    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
	    "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
	size_t n = 0, k;
	bool any = false;
	/* what the escape before asks \& in front of: a digit, an H */
	unsigned char guard = 0;

	for (size_t i = 0; i < len; i += k) {
		unsigned cp = v[i];

		k = 1;
		if (!bytes && cp >= 0x80 &&
		    (k = utf8_decode(v + i, len - i, &cp)) == 0)
			return 0;
		if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') {
			if (guard == 1 ? cp >= '0' && cp <= '9' : cp == guard) {
				out[n++] = '\\';
				out[n++] = '&';
			}
			out[n++] = (unsigned char)cp;
			guard = 0;
			continue;
		}
		out[n++] = '\\';
		guard = 0;
		if (cp == '"' || cp == '\\') {
			out[n++] = (unsigned char)cp;
			continue;
		}
		any = true;
		if (cp == 0x7f) {
			n += put_str(out + n, "DEL");
		} else if (cp < 0x20) {
			n += put_str(out + n, names[cp]);
			guard = cp == 14 ? 'H' : 0;
		} else {
			n += put_number(out + n, cp, 10, 1, lower_hex);
			guard = 1;
		}
	}
	return any ? n : 0;
}

/* ---- JSON ---- */

/*
 * JSON escaping: quote, backslash and controls always (JSON.stringify,
 * jansson, serde), plus any mix of these, which encoders add.
 */
enum json_style {
	JSON_ASCII = 1,   /* non-ASCII as \uXXXX: Python, PHP, jansson */
	JSON_HTML = 2,    /* < > & as \u00XX: Go */
	JSON_SLASHES = 4, /* \/: PHP, jansson's JSON_ESCAPE_SLASH */
	JSON_STYLES = 8,
	/* Not among the styles every value is tried in (add_json_forms
	 * adds it alone): " ' < > & as \u00XX in upper case whatever the
	 * case of the rest, PHP's JSON_HEX_QUOT, _APOS, _TAG and _AMP,
	 * which Laravel's @json and Js::from set. */
	JSON_HEX_PHP = 8,
	/* Gson's default (HTML-safe) escaping: = and ' as \u003d \u0027
	 * too, with JSON_HTML's < > & (lower case: Java's toHexString) */
	JSON_GSON = 16,
	/* Go's template.JSEscapeString ({{js}}): ' as \', < > & = as
	 * \u003C in upper case */
	JSON_GO_JS = 32,
	/* Go's html/template in a script's string ('{{.}}'): " ' ` + as
	 * \u0022 too, \b as \u0008, with JSON_HTML's < > & and
	 * JSON_SLASHES' \/ */
	JSON_GO_STRING = 64,
	/* and in a script's regular expression literal (/{{.}}/): its
	 * specials backslashed too, ` as it is, with JSON_GO_STRING */
	JSON_GO_REGEXP = 128,
	/* Django's escapejs: \ ' " < > & = - ; ` and every control as
	 * \u005C in upper case, none by name */
	JSON_DJANGO = 256,
	/* serialize-javascript (webpack's, Next's and Nuxt's state in a
	 * page): JSON.stringify's text with < > / as \u003C in upper case */
	JSON_SERIALIZE = 512,
	/* devalue (SvelteKit's and Nuxt's page data): JSON.stringify's
	 * text with < alone as \u003C, > as it is */
	JSON_DEVALUE = 1024,
	/* with JSON_ASCII, DEL as it is: Perl's JSON::XS and JSON::PP
	 * (ascii), PHP's json_encode */
	JSON_DEL_RAW = 2048,
	/* the styles that write U+2028 and U+2029 as \u2028, \u2029 */
	JSON_LINE_SEPARATORS = JSON_GSON | JSON_GO_STRING | JSON_DJANGO |
	                       JSON_SERIALIZE | JSON_DEVALUE,
};

static size_t
put_u16(unsigned char *out, unsigned u, const char *digits)
{
	out[0] = '\\';
	out[1] = 'u';
	return 2 + put_number(out + 2, u, 16, 4, digits);
}

/* UTF-16 escapes of a code point, a surrogate pair past the BMP. */
static size_t
put_u16_code_point(unsigned char *out, unsigned cp, const char *digits)
{
	size_t n = 0;

	if (cp >= 0x10000) {
		cp -= 0x10000;
		n += put_u16(out, 0xd800 + (cp >> 10), digits);
		return n + put_u16(out + n, 0xdc00 + (cp & 0x3ff), digits);
	}
	return put_u16(out, cp, digits);
}

#define JSON_BIT(c) (1ull << ((c) % 64))
/* The printable ASCII some style escapes, a bit each (below 64, from
 * 64): a byte is tested in one step, and encode_json runs some 25
 * times a value. */
static const uint64_t json_escaped[2] = {
    JSON_BIT('"') | JSON_BIT('$') | JSON_BIT('&') | JSON_BIT('\'') |
        JSON_BIT('(') | JSON_BIT(')') | JSON_BIT('*') | JSON_BIT('+') |
        JSON_BIT('-') | JSON_BIT('.') | JSON_BIT('/') | JSON_BIT(';') |
        JSON_BIT('<') | JSON_BIT('=') | JSON_BIT('>') | JSON_BIT('?'),
    JSON_BIT('[') | JSON_BIT('\\') | JSON_BIT(']') | JSON_BIT('^') |
        JSON_BIT('`') | JSON_BIT('{') | JSON_BIT('|') | JSON_BIT('}'),
};

/* 0 when the style cannot encode v (invalid UTF-8 for \u escapes). */
/* digits: the case of \u escapes (jansson and Java write upper case). */
static size_t
encode_json(const unsigned char *v, size_t len, unsigned style,
            const char *digits, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		char name;

		/* printable ASCII that no style escapes: as it is (DEL
		 * too, but where non-ASCII is \u escaped: Python's
		 * json.dumps and jq write \u007f) */
		if (c >= 0x20 && c < 0x80 &&
		    !(json_escaped[c >> 6] & JSON_BIT(c)) &&
		    !(c == 0x7f && (style & JSON_ASCII) &&
		      !(style & JSON_DEL_RAW))) {
			out[n++] = c;
			continue;
		}
		/* Go's JSEscapeString and Django name none: \u000A; Go's
		 * html/template names all but \b */
		name =
		    !(style & (JSON_GO_JS | JSON_DJANGO)) &&
		            (c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		             (c == '\b' && !(style & JSON_GO_STRING)))
		        ? control_name(c)
		        : 0;
		if ((style & JSON_HEX_PHP) &&
		    (c == '"' || c == '\'' || c == '<' || c == '>' ||
		     c == '&')) {
			n += put_u16(out + n, c, upper_hex);
		} else if ((style & JSON_DJANGO) &&
		           (c < 0x20 || byte_in("\\'\"<>&=-;`", c))) {
			n += put_u16(out + n, c, upper_hex);
		} else if ((style & JSON_GO_STRING) &&
		           (byte_in("\"'+", c) ||
		            (c == '`' && !(style & JSON_GO_REGEXP)))) {
			n += put_u16(out + n, c, digits);
		} else if ((style & JSON_GO_REGEXP) &&
		           byte_in("$()*-.?[]^{|}", c)) {
			out[n++] = '\\';
			out[n++] = c;
		} else if ((style & JSON_SERIALIZE) && byte_in("<>/", c)) {
			n += put_u16(out + n, c, upper_hex);
		} else if ((style & JSON_DEVALUE) && c == '<') {
			n += put_u16(out + n, c, upper_hex);
		} else if ((style & JSON_GSON) && (c == '=' || c == '\'')) {
			n += put_u16(out + n, c, digits);
		} else if ((style & JSON_GO_JS) && c == '\'') {
			out[n++] = '\\';
			out[n++] = c;
		} else if ((style & JSON_GO_JS) &&
		           (c == '<' || c == '>' || c == '&' || c == '=')) {
			n += put_u16(out + n, c, upper_hex);
		} else if (c == '"' || c == '\\' ||
		           (c == '/' && (style & JSON_SLASHES))) {
			out[n++] = '\\';
			out[n++] = c;
		} else if (name != 0) {
			out[n++] = '\\';
			out[n++] = (unsigned char)name;
		} else if (c < 0x20 ||
		           (c == 0x7f && (style & JSON_ASCII) &&
		            !(style & JSON_DEL_RAW)) ||
		           ((style & JSON_HTML) &&
		            (c == '<' || c == '>' || c == '&'))) {
			n += put_u16(out + n, c, digits);
		} else if ((style & JSON_LINE_SEPARATORS) && c == 0xe2 &&
		           i + 2 < len && v[i + 1] == 0x80 &&
		           (v[i + 2] == 0xa8 || v[i + 2] == 0xa9)) {
			/* U+2028, U+2029: \u2028 */
			n += put_u16(out + n,
			             0x2000u + (unsigned)v[i + 2] - 0x80,
			             digits);
			i += 2;
		} else if (c >= 0x80 && (style & JSON_GO_JS)) {
			/* as it is where unicode.IsPrint takes it (as %q
			 * does), else \u00A0, \u1F600: %04X of the rune */
			unsigned cp;
			size_t k = utf8_decode(v + i, len - i, &cp);

			if (k == 0)
				return 0;
			if (forms_python_escapes(cp)) {
				out[n++] = '\\';
				out[n++] = 'u';
				n += put_number(out + n, cp, 16, 4, upper_hex);
			} else {
				memcpy(out + n, v + i, k);
				n += k;
			}
			i += k - 1;
		} else if (c >= 0x80 && (style & JSON_ASCII)) {
			unsigned cp;
			size_t k = utf8_decode(v + i, len - i, &cp);

			if (k == 0)
				return 0;
			n += put_u16_code_point(out + n, cp, digits);
			i += k - 1;
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/* ---- HTML and XML ---- */

#define XML_MORE 8

struct xml_style {
	const char *quote, *apostrophe; /* NULL: left as they are */
	const char *newline;            /* NULL: left as it is */
	int numeric; /* non-ASCII: 0 as it is, 10 or 16 as &#NNN; / &#xHH; */
	/* more characters escaped, or & < > written otherwise: each
	 * string the character, then what stands for it (the rest are left
	 * as they are) */
	const char *more[XML_MORE];
};

static size_t
put_char_reference(unsigned char *out, unsigned cp, int base,
                   const char *digits)
{
	size_t n = put_str(out, base == 16 ? "&#x" : "&#");

	n += put_number(out + n, cp, (unsigned)base, 1, digits);
	out[n++] = ';';
	return n;
}

/* 0 when numeric references are asked for and v is not UTF-8; digits:
 * a hexadecimal reference's. */
static size_t
encode_xml(const unsigned char *v, size_t len, const struct xml_style *st,
           const char *digits, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		const char *esc = NULL;
		unsigned cp;
		size_t k;

		/* more first: a style may write & < > otherwise, or leave
		 * them as they are */
		for (size_t e = 0; e < XML_MORE && st->more[e] != NULL; e++)
			if (v[i] == (unsigned char)st->more[e][0]) {
				esc = st->more[e] + 1;
				break;
			}
		if (esc != NULL) {
			n += put_str(out + n, esc);
			continue;
		}
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
			esc = st->quote;
			break;
		case '\'':
			esc = st->apostrophe;
			break;
		case '\n':
			esc = st->newline;
			break;
		default:
			break;
		}
		if (esc != NULL) {
			n += put_str(out + n, esc);
		} else if (v[i] < 0x80 || st->numeric == 0) {
			out[n++] = v[i];
		} else if ((k = utf8_decode(v + i, len - i, &cp)) == 0) {
			return 0;
		} else {
			n += put_char_reference(out + n, cp, st->numeric,
			                        digits);
			i += k - 1;
		}
	}
	return n;
}

/*
 * Characters as numeric references in base (10 or 16), hex in digits'
 * case, the rest as they are; 0 when v is not UTF-8. unsafe NULL: all
 * but letters and digits, as encoders that escape all punctuation print
 * them (OWASP's Java encoder, he.encode with encodeEverything for what
 * matters here); else the characters of unsafe, every control but tab
 * and line breaks, DEL and all past ASCII: Perl's HTML::Entities::
 * encode_entities_numeric (unsafe "&'<>, upper-case hex), he.encode
 * (the backtick too).
 */
static size_t
encode_references(const unsigned char *v, size_t len, int base,
                  const char *digits, const char *unsafe, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = utf8_decode(v + i, len - i, &cp);
		bool plain = unsafe == NULL
		                 ? k == 1 && is_alnum(v[i])
		                 : cp < 0x7f && !byte_in(unsafe, v[i]) &&
		                       (cp >= 0x20 || cp == '\t' ||
		                        cp == '\n' || cp == '\r');

		if (k == 0)
			return 0;
		if (plain)
			out[n++] = v[i];
		else
			n += put_char_reference(out + n, cp, base, digits);
		i += k;
	}
	return n;
}

/*
 * Twig's escape filters, which leave letters, digits and a few marks as
 * they are (PHP's Twig, as Symfony, Drupal and Craft render a template,
 * and twig.js): "js" (, . _ kept) writes the rest as \uHHHH in upper
 * case, UTF-16 halves past the BMP, but \\ \/ \b \f \n \r \t;
 * "html_attr" (, . - _ kept) " & < > by name, a control as &#xFFFD;, the
 * rest of ASCII as &#xHH;, past it &#xHHHH; (PHP's of the code point, a
 * C1 control and DEL as &#xFFFD;; twig.js' of its UTF-16 halves). 0 when
 * v is not UTF-8.
 */
enum twig_style { TWIG_JS, TWIG_ATTR, TWIG_ATTR_NODE, TWIG_STYLES };

static size_t utf16_units(unsigned cp, unsigned units[2]);

static size_t
encode_twig(const unsigned char *v, size_t len, enum twig_style style,
            unsigned char *out)
{
	static const char js_from[] = "\\/\b\f\n\r\t", js_to[] = "\\/bfnrt";
	const bool js = style == TWIG_JS, node = style == TWIG_ATTR_NODE;
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp, units[2];
		size_t k = utf8_decode(v + i, len - i, &cp), u;
		const char *name = NULL;

		if (k == 0)
			return 0;
		if (is_alnum(v[i]) || byte_in(js ? ",._" : ",.-_", v[i])) {
			out[n++] = v[i++];
			continue;
		}
		i += k;
		if (js) {
			const char *e = cp != 0 && cp < 0x80
			                    ? strchr(js_from, (int)cp)
			                    : NULL;

			if (e != NULL) {
				out[n++] = '\\';
				out[n++] = (unsigned char)js_to[e - js_from];
			} else {
				n += put_u16_code_point(out + n, cp, upper_hex);
			}
			continue;
		}
		switch (cp) {
		case '"':
			name = "&quot;";
			break;
		case '&':
			name = "&amp;";
			break;
		case '<':
			name = "&lt;";
			break;
		case '>':
			name = "&gt;";
			break;
		default:
			if ((cp < 0x20 && cp != '\t' && cp != '\n' &&
			     cp != '\r') ||
			    (!node && cp >= 0x7f && cp <= 0x9f))
				name = "&#xFFFD;";
			break;
		}
		if (name != NULL) {
			n += put_str(out + n, name);
			continue;
		}
		u = node ? utf16_units(cp, units) : (units[0] = cp, 1);
		for (size_t h = 0; h < u; h++) {
			n += put_str(out + n, "&#x");
			n += put_number(out + n, units[h], 16,
			                cp < 0x80 ? 2 : 4, upper_hex);
			out[n++] = ';';
		}
	}
	return n;
}

/*
 * HTML 4.01's named references (forms_entity_name) where a character has
 * one. NAMED_PHP: PHP's htmlentities() (' as &#039;, a character
 * without a name as it is). NAMED_PERL: Perl's HTML::Entities
 * encode_entities() of characters (' as &#39;; controls but tab and
 * line breaks, DEL and what is past ASCII without a name as &#N; below
 * 256, &#xH; from there); NAMED_PERL_BYTES: the same of a value's
 * bytes, each a character (a string read from the environment, not
 * decoded). 0 when v is not UTF-8 and characters are asked for.
 */
enum named_style { NAMED_PHP, NAMED_PERL, NAMED_PERL_BYTES, NAMED_STYLES };

static size_t
encode_named_references(const unsigned char *v, size_t len,
                        enum named_style style, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp = v[i];
		size_t k = 1;
		const char *name;

		if (style != NAMED_PERL_BYTES &&
		    (k = utf8_decode(v + i, len - i, &cp)) == 0)
			return 0;
		if (cp == '\'') {
			n += put_str(out + n,
			             style == NAMED_PHP ? "&#039;" : "&#39;");
		} else if ((name = forms_entity_name(cp)) != NULL) {
			out[n++] = '&';
			n += put_str(out + n, name);
			out[n++] = ';';
		} else if (style != NAMED_PHP && ((cp < 0x20 && cp != '\t' &&
		                                   cp != '\n' && cp != '\r') ||
		                                  cp >= 0x7f)) {
			n += put_char_reference(out + n, cp, cp < 256 ? 10 : 16,
			                        upper_hex);
		} else {
			memcpy(out + n, v + i, k);
			n += k;
		}
		i += k;
	}
	return n;
}

/* & < > alone (ElementTree text); html.escape; MarkupSafe, Jinja2 and
 * Go's html.EscapeString; Node's escape-html and lodash; PHP; hex
 * everywhere; Go's html/template (a + too), mustache.js (/ ` = too),
 * Underscore (` too) and Rack 2 (/ too). */
static const struct xml_style xml_styles[] = {
    {NULL, NULL, NULL, 0, {NULL}},
    {"&quot;", "&#x27;", NULL, 0, {NULL}},
    {"&#34;", "&#39;", NULL, 0, {NULL}},
    {"&quot;", "&#39;", NULL, 0, {NULL}},
    {"&quot;", "&apos;", NULL, 0, {NULL}},
    {"&quot;", "&#039;", NULL, 0, {NULL}},
    {"&#x22;", "&#x27;", NULL, 0, {NULL}},
    /* ElementTree attribute */
    {"&quot;", NULL, "&#10;", 0, {NULL}},
    /* Go's html/template, in text and attributes */
    {"&#34;", "&#39;", NULL, 0, {"+&#43;"}},
    /* mustache.js */
    {"&quot;", "&#39;", NULL, 0, {"/&#x2F;", "`&#x60;", "=&#x3D;"}},
    /* Underscore's escape */
    {"&quot;", "&#x27;", NULL, 0, {"`&#x60;"}},
    /* Rack 2's escape_html (Sinatra's) */
    {"&quot;", "&#x27;", NULL, 0, {"/&#x2F;"}},
};
#define XML_STYLES (sizeof(xml_styles) / sizeof(xml_styles[0]))
/* Node's escape-html's and lodash's (&quot; &#39;), which Rails'
 * html_escape and Mojo's xml_escape share */
static const struct xml_style *const escape_html_style = &xml_styles[3];
/* Template engines' and libraries' escapes, of the value alone (not of
 * its JSON text or literals, as the styles above; but the first, of its
 * JSON text too): nunjucks' autoescape (Eleventy's; its dump filter
 * writes JSON); Handlebars' (express-handlebars, Ember's); validator's escape
 * (express-validator); entities' encodeXML (dom-serializer, cheerio's xml()),
 * past ASCII in lower-case hex; doT's {{! }} and art-template's, in decimal;
 * jsrender's; an attribute as parse5 7 writes it (cheerio's html(): & and "
 * alone) and as xmlbuilder does (xml2js' Builder: > and ' as they are). */
static const struct xml_style template_styles[] = {
    {"&quot;", "&#39;", NULL, 0, {"\\&#92;"}},
    {"&quot;", "&#x27;", NULL, 0, {"`&#x60;", "=&#x3D;"}},
    {"&quot;", "&#x27;", NULL, 0, {"/&#x2F;", "\\&#x5C;", "`&#96;"}},
    {"&quot;", "&apos;", NULL, 16, {"$&#x24;"}},
    {"&#34;", "&#39;", NULL, 0, {"&&#38;", "<&#60;", ">&#62;", "/&#47;"}},
    {"&#34;", "&#39;", NULL, 0, {"&&#38;", "<&#60;", ">&#62;"}},
    {"&#34;", "&#39;", NULL, 0, {"`&#96;", "=&#61;"}},
    {"&quot;", NULL, NULL, 0, {"<<", ">>"}},
    {"&quot;", NULL, "&#xA;", 0, {">>", "\t&#x9;", "\r&#xD;"}},
};
/* Go's html/template in an unquoted attribute (<input value={{.}}>):
 * blanks, = and ` too. Not among the styles above, which JSON text and
 * literals are tried in too: few values hold what it changes. */
static const struct xml_style go_unquoted_attribute = {
    "&#34;",
    "&#39;",
    "&#10;",
    0,
    {"+&#43;", "=&#61;", "`&#96;", " &#32;", "\t&#9;", "\v&#11;", "\f&#12;",
     "\r&#13;"}};
/* Literals of one value add_literal_nested tells apart (its escape
 * styles' count is more than enough). */
#define LITERAL_NESTED_SEEN 48

static void
add_xml_forms(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len, unsigned char *out)
{
	static const int numerics[] = {0, 10, 16};
	size_t kinds = has_high(v, len) ? 3 : 1, n;

	for (size_t s = 0; s < XML_STYLES; s++)
		for (size_t k = 0; k < kinds; k++) {
			struct xml_style st = xml_styles[s];

			st.numeric = numerics[k];
			n = encode_xml(v, len, &st, lower_hex, out);
			add_variant(ps, secret, v, len, out, n);
			/* libxml2's, where a document declares no encoding
			 * (xmlstarlet's, PHP's DOM saveXML()): &#xFC; in upper
			 * case, its quotes in text and its ' in an attribute
			 * as they are */
			if (numerics[k] == 16 && st.apostrophe == NULL) {
				n = encode_xml(v, len, &st, upper_hex, out);
				add_variant(ps, secret, v, len, out, n);
			}
		}
	/* named references: past ASCII only (for ASCII, a style above) */
	for (int st = 0; kinds > 1 && st < NAMED_STYLES; st++) {
		n = encode_named_references(v, len, (enum named_style)st, out);
		add_variant(ps, secret, v, len, out, n);
	}
	n = encode_references(v, len, 10, lower_hex, NULL, out);
	add_variant(ps, secret, v, len, out, n);
	n = encode_references(v, len, 16, lower_hex, NULL, out);
	add_variant(ps, secret, v, len, out, n);
	n = encode_references(v, len, 16, upper_hex, "\"&'<>", out);
	add_variant(ps, secret, v, len, out, n);
	/* he.encode's decimal (he.encode(v, {decimal: true})) */
	n = encode_references(v, len, 10, upper_hex, "\"&'<>`", out);
	add_variant(ps, secret, v, len, out, n);
	for (size_t s = 0;
	     s < sizeof(template_styles) / sizeof(template_styles[0]); s++) {
		n = encode_xml(v, len, &template_styles[s], lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	if (has_byte(v, len, '`')) {
		n = encode_references(v, len, 16, upper_hex, "\"&'<>`", out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* (without a blank, = or ` it is Go's style above) */
	if (has_any(v, len, " =`\t\n\v\f\r")) {
		n = encode_xml(v, len, &go_unquoted_attribute, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* Rails' html_escape inside ActiveSupport's JSON (render json: of
	 * a rendered partial): its & as \u0026 ("\u0026lt;") */
	if (has_any(v, len, "&<>\"'")) {
		size_t cap = 6 * 6 * len + 16;
		unsigned char *json = patterns_work_take(ps, cap);

		n = encode_xml(v, len, escape_html_style, lower_hex, out);
		n = encode_json(out, n, JSON_HTML, lower_hex, json);
		add_variant(ps, secret, v, len, json, n);
		patterns_work_give(ps, json, cap);
	}
}

static size_t encode_backslashes_doubled(const unsigned char *s, size_t len,
                                         unsigned char quote,
                                         unsigned char *out);

/* Whether a style's literal is nested doubled (add_literal_nested): a
 * bytes literal's, and a text literal's that leaves past ASCII as it is
 * (Python's repr(), Node's inspect, a plain quoted one); the others'
 * escapes past ASCII would make many literals, each nested in few
 * programs. */
static bool
nests_doubled(const struct escape_style *st)
{
	return (st->high == HIGH_HEX && st->digits == lower_hex) ||
	       st->high == HIGH_RAW || st->high == HIGH_PY_REPR ||
	       st->high == HIGH_C1;
}

/*
 * A string literal (lit, m bytes: its text between the quotes) inside
 * another text. Escaped again for HTML, as a debug page shows a value's
 * repr(): Django's and Werkzeug's (Flask) error pages, Bottle's, Rack's
 * ShowExceptions, Express's, each a local's or the error's repr() or
 * inspect, escaped as the styles above do, and as he.encode does (where
 * the literal holds one of & < > " ' `, or past ASCII: else its escape
 * changes nothing). And, doubled (nests_doubled), in a string literal of
 * its own: its backslashes doubled. Each literal once: many styles write
 * a value alike; a value's literals are few (its escape styles), their
 * forms at most XML_STYLES + 4 each. seen: the hashes of those done (seen_n of
 * them).
 */
static void
add_literal_nested(struct pattern_set *ps, uint32_t secret,
                   const unsigned char *v, size_t len, const unsigned char *lit,
                   size_t m, bool doubled, uint64_t *seen, size_t *seen_n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t cap = 6 * m + 16, n;
	unsigned char *out;
	bool html = has_any(lit, m, "&<>\"'");
	bool refs = html || has_byte(lit, m, '`') || has_high(lit, m);

	doubled = doubled && has_byte(lit, m, '\\');
	if (m == 0 || !(refs || doubled))
		return;
	for (size_t i = 0; i < m; i++)
		h = (h ^ lit[i]) * 0x100000001b3ull;
	h ^= m;
	for (size_t k = 0; k < *seen_n; k++)
		if (seen[k] == h)
			return;
	if (*seen_n < LITERAL_NESTED_SEEN)
		seen[(*seen_n)++] = h;
	out = patterns_work_take(ps, cap);
	/* the styles without a numeric form: past ASCII as it is */
	for (size_t st = 0; html && st < XML_STYLES; st++) {
		n = encode_xml(lit, m, &xml_styles[st], lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* he.encode's references, in upper-case hex, past ASCII too:
	 * mocha's xunit reporter escapes a failure's message so, an
	 * assertion's diff of a value's inspect */
	if (refs) {
		n = encode_references(lit, m, 16, upper_hex, "\"&'<>`", out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* a literal in a string literal (JSON, repr()): its backslashes
	 * doubled, no quote or one escaped: str(b) put in json.dumps or
	 * logged with %r, redis-cli --quoted-json; an error's message that
	 * holds a value's repr() printed with repr() again (asyncpg's
	 * DataError, int()'s ValueError in a list or logged with %r) */
	for (size_t q = 0; doubled && q < 3; q++) {
		n = encode_backslashes_doubled(lit, m,
		                               (unsigned char)"\0'\""[q], out);
		add_variant(ps, secret, v, len, out, n);
	}
	patterns_work_give(ps, out, cap);
}

/* ---- shells ---- */

enum shell_style {
	SHELL_SINGLE,     /* 'it'\''s' */
	SHELL_SINGLE_PY,  /* shlex.quote: 'it'"'"'s' */
	SHELL_SINGLE_GIT, /* git's sq_quote_buf: 'it'\''s'\!'' (GIT_TRACE) */
	SHELL_DOUBLE,     /* "a\$b\"c" */
	SHELL_BACKSLASH,  /* printf %q: a\ b\$c */
};

/* What bash's printf %q leaves alone after prev (-1 first): # but
 * first, ~ but where a tilde expands (first, after = or :). */
static bool
shell_plain(unsigned char c, int prev)
{
	if (c == '#')
		return prev >= 0;
	if (c == '~')
		return prev >= 0 && prev != '=' && prev != ':';
	return is_alnum(c) || c >= 0x80 || byte_in("%+-./:=@_", c);
}

/* The escaped text of v as it appears between the quotes. */
static size_t
encode_shell(const unsigned char *v, size_t len, enum shell_style style,
             unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (style == SHELL_SINGLE && c == '\'') {
			n += put_str(out + n, "'\\''");
			continue;
		}
		if (style == SHELL_SINGLE_PY && c == '\'') {
			n += put_str(out + n, "'\"'\"'");
			continue;
		}
		if (style == SHELL_SINGLE_GIT && (c == '\'' || c == '!')) {
			n += put_str(out + n, c == '!' ? "'\\!'" : "'\\''");
			continue;
		}
		if ((style == SHELL_DOUBLE && byte_in("\\\"$`", c)) ||
		    (style == SHELL_BACKSLASH &&
		     !shell_plain(c, i == 0 ? -1 : v[i - 1]) && c != '\n'))
			out[n++] = '\\';
		out[n++] = c;
	}
	return n;
}

/* Whether coreutils' shell-escape quoting writes the character at
 * v + i (*width bytes) as escapes: a control, and under the C locale a
 * byte past ASCII; in UTF-8 a byte of no character, and the characters
 * iswprint() rejects there (U+0080 to U+009F, U+2028, U+2029, U+FFFE,
 * U+FFFF). */
static bool
spliced_escaped(const unsigned char *v, size_t len, size_t i, bool c_locale,
                size_t *width)
{
	unsigned cp;

	*width = 1;
	if (v[i] < 0x20 || v[i] == 0x7f || (c_locale && v[i] >= 0x80))
		return true;
	if (v[i] < 0x80)
		return false;
	if ((*width = utf8_decode(v + i, len - i, &cp)) == 0) {
		*width = 1;
		return true;
	}
	return (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xfffe || cp == 0xffff;
}

/*
 * coreutils' shell-escape quoting (the file names in the messages of
 * ls, cat, cp, rm and the rest, /usr/bin/printf %q) of a value it must
 * escape: single quotes, 'it'\''s', and each run of bytes it escapes
 * spliced in between as $'\t' or $'\303\244' (\a \b \t \n \v \f \r
 * by name, the rest in octal): 'p'$'\303\244''ssw', ''$'\t''abc',
 * 'abc'$'\t'. What stands between the first quote and the last, or 0
 * when v holds no byte it escapes (that is SHELL_SINGLE's form).
 */
static size_t
encode_shell_spliced(const unsigned char *v, size_t len, bool c_locale,
                     unsigned char *out)
{
	bool quoted = true, dollar = false, any = false;
	size_t n = 0;

	out[n++] = '\''; /* (room: 9 bytes a byte at most) */
	for (size_t i = 0, k; i < len; i += k) {
		if (spliced_escaped(v, len, i, c_locale, &k)) {
			if (quoted)
				out[n++] = '\'';
			if (!dollar)
				n += put_str(out + n, "$'");
			quoted = false;
			dollar = any = true;
			for (size_t j = i; j < i + k; j++) {
				char name =
				    v[j] != 0x1b ? control_name(v[j]) : 0;

				out[n++] = '\\';
				if (name != 0 && name != '0')
					out[n++] = (unsigned char)name;
				else
					n += put_number(out + n, v[j], 8, 3,
					                lower_hex);
			}
			continue;
		}
		if (dollar)
			n += put_str(out + n, "''");
		dollar = false;
		quoted = true;
		if (v[i] == '\'') {
			n += put_str(out + n, "'\\''");
		} else {
			memcpy(out + n, v + i, k);
			n += k;
		}
	}
	if (!any)
		return 0;
	/* without the first quote (and the last, not written) */
	memmove(out, out + 1, n - 1);
	return n - 1;
}

/* ---- a backslash before each byte of a set: regular expressions ---- */

/*
 * The functions that quote a text for a regular expression (a program
 * that builds a pattern from a secret to find or scrub it, then prints
 * the pattern), PHP's quotemeta() and addslashes(): a backslash before each
 * byte the function quotes, the others as they are.
 */
enum backslash_style {
	QUOTE_PYTHON,      /* re.escape since Python 3.7 */
	QUOTE_PERL,        /* Perl's quotemeta, \Q..\E, of bytes */
	QUOTE_PHP,         /* preg_quote() */
	QUOTE_PHP_SLASH,   /* preg_quote($s, '/') (each _SLASH or _SOURCE
	                    * follows its style) */
	QUOTE_JS,          /* the escapeRegExp of MDN and lodash */
	QUOTE_JS_SOURCE,   /* and the RegExp's source, / escaped */
	QUOTE_RUBY,        /* Ruby's Regexp.escape: \t \n \r \f \v by name */
	QUOTE_RUBY_SOURCE, /* and the Regexp's inspect, / escaped */
	QUOTE_PHP_META,    /* PHP's quotemeta() */
	QUOTE_ADDSLASHES,  /* PHP's addslashes() */
	QUOTE_VALGRIND,    /* valgrind's "Command:" line: blank \ < > */
	QUOTE_TAP,         /* a TAP test point's description: # \ (node's
	                    * test runner's and node-tap's "not ok 1 - ...") */
	QUOTE_LOGFMT,      /* " alone, a backslash as it is: structlog's
	                    * LogfmtRenderer */
	QUOTE_STYLES
};

static bool
backslash_quotes(enum backslash_style style, unsigned char c)
{
	switch (style) {
	case QUOTE_PYTHON:
		return byte_in("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", c);
	case QUOTE_PERL:
		return !is_alnum(c) && c != '_';
	case QUOTE_PHP:
		return byte_in(".\\+*?[^]$(){}=!<>|:-#", c);
	case QUOTE_JS:
		return byte_in(".*+?^${}()|[]\\", c);
	case QUOTE_RUBY:
		return byte_in("[]{}()|-*.\\?+^$# \t\n\r\f\v", c);
	case QUOTE_PHP_META:
		return byte_in(".\\+*?[^]$()", c);
	case QUOTE_VALGRIND:
		return byte_in(" \\<>", c);
	case QUOTE_TAP:
		return c == '#' || c == '\\';
	case QUOTE_LOGFMT:
		return c == '"';
	/* each the style before it, and "/" */
	case QUOTE_PHP_SLASH:
	case QUOTE_JS_SOURCE:
	case QUOTE_RUBY_SOURCE:
		return c == '/' || backslash_quotes(style - 1, c);
	case QUOTE_ADDSLASHES:
	case QUOTE_STYLES:
		break;
	}
	return byte_in("'\"\\", c);
}

static size_t
encode_backslashed(const unsigned char *v, size_t len,
                   enum backslash_style style, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char name = v[i] < 0x20 ? control_name(v[i]) : 0;

		if (!backslash_quotes(style, v[i])) {
			out[n++] = v[i];
			continue;
		}
		out[n++] = '\\';
		out[n++] =
		    (style == QUOTE_RUBY || style == QUOTE_RUBY_SOURCE) &&
		            name != 0
		        ? (unsigned char)name
		        : v[i];
	}
	return n;
}

/*
 * A backslash before each character a function quotes, the others as
 * they are, of the characters of a UTF-8 string (0 when v is not UTF-8)
 * or (chars false) its bytes:
 * - Perl's quotemeta (\Q..\E) of a character string, one decoded or
 *   read through a :utf8 layer: each ASCII byte but letters, digits and
 *   _, and the characters past ASCII its tables list
 *   (forms_perl_quotes: most are as they are);
 * - Ruby's Shellwords.escape (String#shellescape, Shellwords.join): each
 *   character but A-Z a-z 0-9 _ - . , : + / @, a line break as '\n'
 *   (quoted), of a UTF-8 string or of a binary one, as an ENV value is
 *   under the C locale.
 */
enum char_quote { CHAR_QUOTE_PERL, CHAR_QUOTE_RUBY_SHELL };

static bool
char_quoted(enum char_quote q, unsigned cp)
{
	if (cp >= 0x80)
		return q == CHAR_QUOTE_PERL ? forms_perl_quotes(cp) : true;
	if (is_alnum((unsigned char)cp) || cp == '_')
		return false;
	return q == CHAR_QUOTE_PERL || !byte_in("-.,:+/@", (unsigned char)cp);
}

static size_t
encode_char_quoted(const unsigned char *v, size_t len, enum char_quote q,
                   bool chars, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned cp = v[i];
		size_t k = 1;

		if (q == CHAR_QUOTE_RUBY_SHELL && v[i] == '\n') {
			n += put_str(out + n, "'\n'");
			continue;
		}
		if (chars && v[i] >= 0x80 &&
		    (k = utf8_decode(v + i, len - i, &cp)) == 0)
			return 0;
		if (char_quoted(q, cp))
			out[n++] = '\\';
		memcpy(out + n, v + i, k);
		n += k;
		i += k - 1;
	}
	return n;
}

/* s in a string literal: each backslash doubled and quote (0: none)
 * escaped, as Python's repr() of re.compile() prints a quoted pattern
 * (' escaped when it holds both quotes) and JSON carries it. */
static size_t
encode_backslashes_doubled(const unsigned char *s, size_t len,
                           unsigned char quote, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' || (quote != 0 && s[i] == quote))
			out[n++] = '\\';
		out[n++] = s[i];
	}
	return n;
}

/*
 * A cookie's value as Python's http.cookies writes it (SimpleCookie, so
 * Django's set_cookie): " and \\ backslashed, , ; controls, DEL and
 * code points to U+00FF as \\ooo, the rest as it is; 0 when v is not
 * UTF-8 or has nothing to quote (then it is written as it is).
 */
static size_t
encode_cookie(const unsigned char *v, size_t len, unsigned char *out)
{
	bool quoted = false;
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = utf8_decode(v + i, len - i, &cp);

		if (k == 0)
			return 0;
		if (cp == '"' || cp == '\\') {
			out[n++] = '\\';
			out[n++] = (unsigned char)cp;
			quoted = true;
		} else if (cp == ',' || cp == ';' || cp < 0x20 ||
		           (cp >= 0x7f && cp < 0x100)) {
			out[n++] = '\\';
			n += put_number(out + n, cp, 8, 3, lower_hex);
			quoted = true;
		} else {
			memcpy(out + n, v + i, k);
			n += k;
		}
		i += k;
	}
	return quoted ? n : 0;
}

/* Node's toString("ascii") of a value's bytes: each byte's high bit
 * unset. */
static size_t
encode_high_bit_unset(const unsigned char *v, size_t len, unsigned char *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = v[i] & 0x7f;
	return len;
}

/* ---- doubling, .properties, UTF-16, quoted-printable ---- */

/* quote written twice: SQL and YAML single quotes, CSV double quotes,
 * Docker Compose's "$";
 * with backslash, a backslash too: PostgreSQL's quote_literal() (E'',
 * where the text holds one) and a field of its row values ("). */
static size_t
encode_doubled(const unsigned char *v, size_t len, unsigned char quote,
               bool backslash, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		out[n++] = v[i];
		if (v[i] == quote || (backslash && v[i] == '\\'))
			out[n++] = v[i];
	}
	return n;
}

/* java.util.Properties.store(): of an OutputStream (ascii: \uXXXX past
 * 0x7e) or of a Writer. 0 when ascii and v is not UTF-8. */
static size_t
encode_properties(const unsigned char *v, size_t len, bool ascii,
                  unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		char name = control_name(c);
		unsigned cp;
		size_t k;

		if (c == '\\' || c == ':' || c == '=' || c == '!' || c == '#' ||
		    (c == ' ' && i == 0)) {
			out[n++] = '\\';
			out[n++] = c;
		} else if (name != 0 && strchr("tnrf", name)) {
			out[n++] = '\\';
			out[n++] = (unsigned char)name;
		} else if (ascii && (c < 0x20 || c >= 0x7f)) {
			if ((k = utf8_decode(v + i, len - i, &cp)) == 0)
				return 0;
			n += put_u16_code_point(out + n, cp, upper_hex);
			i += k - 1;
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/* A code point as UTF-16 code units (a surrogate pair past the BMP);
 * how many. */
static size_t
utf16_units(unsigned cp, unsigned units[2])
{
	if (cp < 0x10000) {
		units[0] = cp;
		return 1;
	}
	units[0] = 0xd800 + ((cp - 0x10000) >> 10);
	units[1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
	return 2;
}

/* The UTF-16 bytes of v; 0 when v is not UTF-8. */
static size_t
encode_utf16(const unsigned char *v, size_t len, bool big_endian,
             unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp, units[2];
		size_t k = utf8_decode(v + i, len - i, &cp), count;

		if (k == 0)
			return 0;
		count = utf16_units(cp, units);
		for (size_t u = 0; u < count; u++) {
			out[n + (big_endian ? 1 : 0)] = units[u] & 0xff;
			out[n + (big_endian ? 0 : 1)] =
			    (unsigned char)(units[u] >> 8);
			n += 2;
		}
		i += k;
	}
	return n;
}

/*
 * UTF-16 in both byte orders. When every code unit has the same high
 * byte h (ASCII text: 0), the two share all but one byte: "s\0k\0"
 * and "\0s\0k" both hold "s\0k", so one pattern a byte shorter
 * masks either, all but that h at one end, which is the same for every
 * character and tells nothing of the value.
 */
static void
add_utf16(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
          size_t len, unsigned char *out)
{
	size_t n = encode_utf16(v, len, false, out);
	bool one_high = n >= 2;

	for (size_t i = 3; one_high && i < n; i += 2)
		one_high = out[i] == out[1];
	if (one_high) {
		add_variant(ps, secret, v, len, out, n - 1);
		return;
	}
	add_variant(ps, secret, v, len, out, n);
	n = encode_utf16(v, len, true, out);
	add_variant(ps, secret, v, len, out, n);
}

/* Windows-1252's characters for 0x80 to 0x9F (0 where it has none:
 * Windows and MySQL's latin1 read those as Latin-1's controls). */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

/* The UTF-8 bytes of v read as Latin-1 and written as UTF-8 again
 * (mojibake: "é" as "Ã©"), as Node's toString('latin1') and Python's
 * decode('latin1') of the bytes print them; with cp1252, read as
 * Windows-1252 ("Ü" as "Ãœ", not "Ã\u009c"): Python's decode('cp1252'),
 * iconv -f WINDOWS-1252, a MySQL latin1 connection, Java's Cp1252. */
static size_t
encode_mojibake(const unsigned char *v, size_t len, bool cp1252,
                unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned cp = v[i] >= 0x80 && v[i] < 0xa0 && cp1252
		                  ? cp1252_high[v[i] - 0x80]
		                  : 0;

		if (v[i] < 0x80) {
			out[n++] = v[i];
		} else if (cp >= 0x800) {
			out[n++] = (unsigned char)(0xe0 | (cp >> 12));
			out[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			if (cp == 0)
				cp = v[i];
			out[n++] = (unsigned char)(0xc0 | (cp >> 6));
			out[n++] = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	return n;
}

/* Whether v holds a byte Windows-1252 reads unlike Latin-1. */
static bool
has_cp1252(const unsigned char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] >= 0x80 && v[i] < 0xa0 &&
		    cp1252_high[v[i] - 0x80] != 0)
			return true;
	return false;
}

/* The characters of v, all below U+0100, as Latin-1 bytes: iconv -t
 * latin1, Java's getBytes(ISO_8859_1), and what a list of its code
 * points reads as (the dump views take numbers up to 255 for bytes). 0
 * when v is not UTF-8 or holds a character past U+00FF. */
static size_t
encode_latin1(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0, k; i < len; i += k) {
		unsigned cp;

		k = utf8_decode(v + i, len - i, &cp);
		if (k == 0 || cp > 0xff)
			return 0;
		out[n++] = (unsigned char)cp;
	}
	return n;
}

/* The characters of v below U+0100 as Latin-1 bytes, the others as
 * \x{52A1}: Erlang's output to a standard_io in latin1 mode (OTP 25's
 * with -noshell: an escript's io:format("~ts"), ~p of an atom). 0 when
 * v is not UTF-8 or holds no character past U+00FF (then it is
 * encode_latin1's). */
static size_t
encode_erlang_latin1(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;
	bool wide = false;

	for (size_t i = 0, k; i < len; i += k) {
		unsigned cp;

		k = utf8_decode(v + i, len - i, &cp);
		if (k == 0)
			return 0;
		if (cp <= 0xff) {
			out[n++] = (unsigned char)cp;
			continue;
		}
		wide = true;
		n += put_str(out + n, "\\x{");
		n += put_number(out + n, cp, 16, 1, upper_hex);
		out[n++] = '}';
	}
	return wide ? n : 0;
}

/* cat -v (and -e): a control as ^X (^? for DEL, ^M for CR) but a tab
 * and LF, a byte past ASCII as M- and the same for its low seven bits
 * (M-CM-< for ü); tabs too: a tab as ^I (cat -A, -T); ends: a $ before
 * each LF (cat -A, -e). */
static size_t
encode_cat_v(const unsigned char *v, size_t len, bool tabs, bool ends,
             unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];
		bool high = c >= 0x80;

		if (high) {
			out[n++] = 'M';
			out[n++] = '-';
			c &= 0x7f;
		}
		/* a tab and LF are as they are, but 0x89 and 0x8a are M-^I
		 * and M-^J (щ, ъ, Љ, Њ) */
		if (c == 0x7f) {
			out[n++] = '^';
			out[n++] = '?';
		} else if (c < 0x20 &&
		           (high || ((c != '\t' || tabs) && c != '\n'))) {
			out[n++] = '^';
			out[n++] = (unsigned char)(c + 0x40);
		} else if (c == '\n' && ends) {
			out[n++] = '$';
			out[n++] = c;
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/* JavaScript's global escape(): letters, digits and @*_+-./ as they are,
 * other code units below 256 as %XX, the rest as %uXXXX (a surrogate
 * pair past the BMP); 0 when v is not UTF-8. */
static size_t
encode_js_escape(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp, units[2];
		size_t k = utf8_decode(v + i, len - i, &cp), count;

		if (k == 0)
			return 0;
		count = utf16_units(cp, units);
		for (size_t u = 0; u < count; u++) {
			if (units[u] < 0x80 &&
			    (is_alnum((unsigned char)units[u]) ||
			     strchr("@*_+-./", (int)units[u]))) {
				out[n++] = (unsigned char)units[u];
			} else if (units[u] < 0x100) {
				out[n++] = '%';
				n += put_number(out + n, units[u], 16, 2,
				                upper_hex);
			} else {
				n += put_str(out + n, "%u");
				n += put_number(out + n, units[u], 16, 4,
				                upper_hex);
			}
		}
		i += k;
	}
	return n;
}

/* RFC 2047's "Q" encoding of an e-mail header's encoded words
 * (=?utf-8?q?...?=, Python's email.header): letters, digits and -!*+/
 * as they are, a space as "_", any other byte as =XX. */
static size_t
encode_header_q(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (is_alnum(v[i]) || byte_in("-!*+/", v[i])) {
			out[n++] = v[i];
		} else if (v[i] == ' ') {
			out[n++] = '_';
		} else {
			out[n++] = '=';
			out[n++] = (unsigned char)upper_hex[v[i] >> 4];
			out[n++] = (unsigned char)upper_hex[v[i] & 15];
		}
	}
	return n;
}

#define QP_LINE 75 /* characters before the soft break's "=" */

/*
 * Quoted-printable (RFC 2045, Python's quopri and email): =XX for "="
 * and bytes outside printable ASCII; soft breaks "=" + newline where
 * they fall for a value that starts a line (the newline itself is
 * matched by the engine's separator rule).
 */
static size_t
encode_quoted_printable(const unsigned char *v, size_t len, bool breaks,
                        unsigned char *out)
{
	size_t n = 0, column = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char tok[3];
		size_t t = 0;

		if (v[i] == '=' || v[i] >= 0x7f ||
		    (v[i] < 0x20 && v[i] != '\t')) {
			tok[t++] = '=';
			tok[t++] = (unsigned char)upper_hex[v[i] >> 4];
			tok[t++] = (unsigned char)upper_hex[v[i] & 15];
		} else {
			tok[t++] = v[i];
		}
		if (breaks && column + t > QP_LINE) {
			out[n++] = '=';
			column = 0;
		}
		memcpy(out + n, tok, t);
		n += t;
		column += t;
	}
	return n;
}

/* ---- all of them ---- */

/* Add s unless it equals the raw value (that pattern is there already). */
static void
add_variant(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
            size_t len, const unsigned char *s, size_t n)
{
	if (n == 0 || (n == len && memcmp(s, v, n) == 0))
		return;
	patterns_add(ps, secret, s, n, 0, n, forms_prefix_of(s, n));
}

/*
 * The pieces of each line of a literal (pieces_add_lines), after a kept
 * type prefix (as it stands in s, or its first kept characters, when
 * the encoding changed it), that hold no quote character: a quote there
 * may be the literal's own delimiter, which is not the value's.
 */
static void
add_literal_pieces(struct pattern_set *ps, uint32_t secret,
                   const unsigned char *s, size_t n, size_t kept)
{
	size_t start = forms_prefix_length(s, n);

	pieces_add_lines(ps, secret, s, n, kept > start ? kept : start, true);
}

/*
 * A string literal's escaped text, which programs fold over lines
 * (pprint, PyYAML, util.inspect's ' +) or cut: whole, and, when the raw
 * part gives pieces (pieces), its pieces too; kept: the characters of
 * a kept type prefix in s, when its encoding changed the prefix.
 */
static void
add_literal(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
            size_t len, const unsigned char *s, size_t n, bool pieces,
            size_t kept)
{
	const size_t dots = sizeof CUT_TAIL_MARK - 1;

	if (n == 0 || (n == len && memcmp(s, v, n) == 0))
		return;
	add_variant(ps, secret, v, len, s, n);
	if (!pieces)
		return;
	add_literal_pieces(ps, secret, s, n, kept);
	/* reprlib's cut (pdb's --Return--, reprlib.repr of a config) keeps
	 * a long repr()'s last REPRLIB_TAIL characters after "...": its
	 * pieces stop at a quote there, so the whole tail is one more */
	if (n > REPRLIB_TAIL + PIECE_MIN &&
	    has_any(s + n - REPRLIB_TAIL, REPRLIB_TAIL, "'\"`")) {
		unsigned char *t = patterns_work_take(ps, dots + REPRLIB_TAIL);

		memcpy(t, CUT_TAIL_MARK, dots);
		memcpy(t + dots, s + n - REPRLIB_TAIL, REPRLIB_TAIL);
		patterns_add(ps, secret, t, dots + REPRLIB_TAIL, dots,
		             dots + REPRLIB_TAIL, 0);
		patterns_work_give(ps, t, dots + REPRLIB_TAIL);
	}
}

/* A literal (out, n bytes) in a string literal: its backslashes
 * doubled, in no quote or one escaped. out has room after n. */
static void
add_doubled_in_literal(struct pattern_set *ps, uint32_t secret,
                       const unsigned char *v, size_t len, unsigned char *out,
                       size_t n)
{
	for (size_t q = 0; q < 3; q++)
		add_variant(ps, secret, v, len, out + n,
		            encode_backslashes_doubled(
		                out, n, (unsigned char)"\0'\""[q], out + n));
}

/* A part quoted with backslashes (out, n bytes), and in a string
 * literal: backslashes doubled, in no quote or one. Quoted for a regular
 * expression: repr() of re.compile(), JSON, a qr// printed; escaped for
 * MySQL (addslashes, mysql2's and Knex's SQL): util.inspect of a query
 * error, whose sql holds the statement. out has room after n. */
static void
add_in_literal(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len, unsigned char *out, size_t n)
{
	add_variant(ps, secret, v, len, out, n);
	add_doubled_in_literal(ps, secret, v, len, out, n);
}

/* Whether RFC 2047's Q encoding writes byte c as =XX. */
static bool
header_q_escapes(unsigned char c)
{
	return !(is_alnum(c) || c == ' ' || byte_in("-!*+/", c));
}

/*
 * Whether an e-mail header encoder may pick the "B" encoding for some
 * stretch of v. Q writes a byte it escapes in 3 characters, B every
 * byte in 4/3: Python's email.header picks B for the value when that is
 * shorter; email.policy for a word of k bytes (e of them escaped) when
 * Q is longer by 5 or more (k + 2e >= 4 ceil(k/3) + 5), which a word
 * of up to 48 bytes meets only with 7 of 16, 9 of 32 or 11 of 48 bytes
 * escaped.
 */
static bool
header_may_pick_b(const unsigned char *v, size_t len)
{
	static const size_t spans[] = {16, 32, 48}, needs[] = {7, 9, 11};
	size_t escaped[3] = {0}, all = 0;

	for (size_t i = 0; i < len; i++) {
		bool e = header_q_escapes(v[i]);

		all += e;
		for (size_t k = 0; k < 3; k++) {
			escaped[k] += e;
			if (i >= spans[k])
				escaped[k] -= header_q_escapes(v[i - spans[k]]);
			if (escaped[k] >= needs[k])
				return true;
		}
	}
	return len + 2 * all > 4 * ((len + 2) / 3);
}

#define B64_PIECE (PIECE_MIN * 4 / 3) /* characters of PIECE_MIN bytes */

/*
 * A long header's "B" encoded words (=?utf-8?b?...?=, folded over
 * lines): each word encodes its own stretch of the value afresh, so
 * its text is a piece of the value's base64 at one of the alignments,
 * not the whole. Every B64_PIECE characters of each alignment are a
 * pattern, for a part that gives pieces and that an encoder would
 * write in B.
 */
static void
add_base64_pieces(struct pattern_set *ps, uint32_t secret,
                  const unsigned char *v, size_t len, unsigned char *out)
{
	if (!header_may_pick_b(v, len))
		return;
	for (unsigned align = 0; align < 3; align++) {
		size_t n = encode_base64_inner(v, len, align, b64_std, out);

		for (size_t i = 0; i + B64_PIECE <= n; i++)
			patterns_add(ps, secret, out + i, B64_PIECE, 0,
			             B64_PIECE, 0);
	}
}

static void
add_json_forms(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len, unsigned char *out)
{
	size_t n;

	/* (JSON inside JSON, HTML, a URL or a literal: add_json_nested_forms)
	 */
	for (unsigned style = 0; style < JSON_STYLES; style++) {
		n = encode_json(v, len, style, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
		n = encode_json(v, len, style, upper_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* PHP's json_encode with the JSON_HEX_ flags: as it is, and with
	 * JSON_UNESCAPED_UNICODE, JSON_UNESCAPED_SLASHES or both (Symfony's
	 * JsonResponse sets the four, an app adds one) */
	if (has_any(v, len, "\"'<>&")) {
		const bool high = has_high(v, len),
		           slash = has_byte(v, len, '/');

		for (unsigned ascii = 0; ascii < (high ? 2 : 1); ascii++)
			for (unsigned slashes = 0; slashes < (slash ? 2 : 1);
			     slashes++) {
				n = encode_json(
				    v, len,
				    JSON_HEX_PHP |
				        (ascii || !high ? JSON_ASCII : 0) |
				        (slashes || !slash ? JSON_SLASHES : 0),
				    lower_hex, out);
				add_variant(ps, secret, v, len, out, n);
			}
	}
	/* Gson's toJson (Java's usual JSON) and Go's JSEscapeString, which
	 * escape = too: a base64 value's padding, a password's = or ' */
	if (has_any(v, len, "='<>&")) {
		n = encode_json(v, len, JSON_HTML | JSON_GSON, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
		n = encode_json(v, len, JSON_GO_JS, upper_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* Go's html/template in a script's string, which writes + as
	 * \u002b (a base64 key's + and / cut it into runs under 12 bytes),
	 * and in its regular expression literal (where a value holds no
	 * more than - and . besides, re.escape's form, kept once); \xe2:
	 * U+2028's and U+2029's first byte */
	if (has_any(v, len, "\"'`&+<>/\b\xe2")) {
		n = encode_json(v, len,
		                JSON_GO_STRING | JSON_HTML | JSON_SLASHES,
		                lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	if (has_any(v, len, "$()*-.?[]^{|}`")) {
		n = encode_json(v, len,
		                JSON_GO_STRING | JSON_GO_REGEXP | JSON_HTML |
		                    JSON_SLASHES,
		                lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* Django's escapejs: a key's - and ; too (an OpenAI key's, a
	 * UUID's) */
	if (has_any(v, len, "\\'\"<>&=-;`\xe2") || has_control(v, len)) {
		n = encode_json(v, len, JSON_DJANGO, upper_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* serialize-javascript: a URL's or a base64 key's / */
	if (has_any(v, len, "<>/\xe2")) {
		n = encode_json(v, len, JSON_SERIALIZE, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* devalue: a password's < beside a > left as it is */
	if (has_any(v, len, "<\xe2")) {
		n = encode_json(v, len, JSON_DEVALUE, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
}

/*
 * JSON text inside JSON, HTML, a URL or another literal: a JSON string
 * inside a JSON string (only its quotes and backslashes change); a page
 * that writes a JSON document into an attribute or its text, escaped
 * (Jinja2 and Django escaping a json.dumps string, ERB a to_json, jq's
 * @html); a URL that carries one in its query (encodeURIComponent of
 * JSON.stringify, urlencode of json.dumps, jq's @uri: GraphQL's
 * variables, an OAuth state); a string literal (repr() of a JSON body);
 * SQL, YAML and CSV literals. Of JSON.stringify's escaping and
 * json.dumps' (ASCII), where either changed the value (else the value's
 * own forms are these): every HTML style above without numeric
 * references, the percent-encodings of Python's quote and quote_plus,
 * encodeURIComponent and URLSearchParams, backslashes doubled with no
 * quote or one escaped, and quotes doubled. json: the forms' scratch.
 */
static void
add_json_nested_forms(struct pattern_set *ps, uint32_t secret,
                      const unsigned char *v, size_t len, unsigned char *json)
{
	static const struct {
		const char *safe;
		bool plus;
	} urls[] = {{"-._~", false},
	            {"-._~", true},
	            {"-._~!'()*", false},
	            {"-._*", true}};
	/* an HTML escape is 6 characters at most a character of the JSON
	 * text, whose escapes are 6 at most a byte */
	size_t cap = 6 * (6 * len + 16), n, m;
	unsigned char *out;

	/* JSON.stringify's, json.dumps', and Go's encoding/json (< > & as
	 * \u003c: in a string literal only, as an error's %q of a body
	 * shows it) */
	static const unsigned styles[] = {0, JSON_ASCII, JSON_HTML};
	const bool go = has_any(v, len, "<>&");

	/* json.dumps' escaping changes all that JSON.stringify's does: most
	 * values hold nothing either changes */
	m = encode_json(v, len, JSON_ASCII, lower_hex, json);
	if (m == len && memcmp(json, v, len) == 0 && !go)
		return;
	out = patterns_work_take(ps, cap);
	for (size_t k = 0; k < sizeof(styles) / sizeof(styles[0]); k++) {
		const unsigned style = styles[k];

		if (style == JSON_HTML && !go)
			continue;
		m = encode_json(v, len, style, lower_hex, json);
		if (m == 0 || (m == len && memcmp(json, v, len) == 0))
			continue;
		/* in a string literal: backslashes doubled, no quote or
		 * one escaped (JSON inside JSON is the double quote's;
		 * repr() of a JSON body, http.client's send: line,
		 * util.inspect of an object that holds one) */
		for (size_t q = 0; q < 3; q++) {
			n = encode_backslashes_doubled(
			    json, m, (unsigned char)"\0'\""[q], out);
			add_variant(ps, secret, v, len, out, n);
		}
		/* in Go's encoding/json, < > & as \u003c (kubectl's -o
		 * json of a ConfigMap made from a JSON file) */
		if (style != JSON_HTML && has_any(json, m, "<>&")) {
			n = encode_json(json, m, JSON_HTML, lower_hex, out);
			add_variant(ps, secret, v, len, out, n);
		}
		/* in JSON that writes / as \/: pandas' to_json (ujson) of a
		 * column of JSON text, PHP's json_encode of a row holding
		 * one */
		if (has_byte(json, m, '/')) {
			n = encode_json(json, m, JSON_ASCII | JSON_SLASHES,
			                lower_hex, out);
			add_variant(ps, secret, v, len, out, n);
		}
		if (style == JSON_HTML)
			continue;
		for (size_t s = 0; s < XML_STYLES; s++) {
			n = encode_xml(json, m, &xml_styles[s], lower_hex, out);
			add_variant(ps, secret, v, len, out, n);
		}
		if (has_byte(json, m, '\\')) {
			n = encode_xml(json, m, &template_styles[0], lower_hex,
			               out);
			add_variant(ps, secret, v, len, out, n);
		}
		for (size_t u = 0; u < sizeof(urls) / sizeof(urls[0]); u++) {
			n = encode_percent(json, m, upper_hex, urls[u].safe,
			                   urls[u].plus, false, out);
			add_variant(ps, secret, v, len, out, n);
		}
		/* and in a literal that doubles its quote: SQL's and
		 * YAML's '' (a JSON column in a dump, a JSON file in a
		 * ConfigMap), CSV's "". A quote the text ends in is kept
		 * single: doubled, it would be that quote and the one that
		 * closes a plain JSON string after it, which stays shown. */
		for (size_t q = 0; q < 2; q++) {
			unsigned char c = (unsigned char)"'\""[q];

			n = encode_doubled(json, m, c, false, out);
			add_variant(ps, secret, v, len, out,
			            json[m - 1] == c ? n - 1 : n);
		}
		/* and in SQL's literals that escape a backslash: PostgreSQL's
		 * E'' and MySQL's (Knex's toString() of a JSON column's
		 * insert, and so a MySQL query error's message) */
		if (has_byte(json, m, '\\')) {
			n = encode_doubled(json, m, '\'', true, out);
			add_variant(ps, secret, v, len, out,
			            json[m - 1] == '\'' ? n - 1 : n);
		}
		if (has_any(json, m, "'\"\\")) {
			n = encode_backslashed(json, m, QUOTE_ADDSLASHES, out);
			add_variant(ps, secret, v, len, out, n);
		}
	}
	patterns_work_give(ps, out, cap);
}

void
forms_add_hex(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len, unsigned char *out)
{
	/* Plain hex in both cases; <Buffer 73 6b> and bytes.hex(' ') in
	 * lower case; colon lists (openssl, bytes.hex(':')) in both; dashes
	 * in upper case (.NET's BitConverter.ToString: 73-6B-5F); \x73\x6b
	 * (strace -x, -xx). */
	static const struct {
		unsigned char sep;
		bool lower, upper;
	} styles[] = {{0, true, true},
	              {' ', true, false},
	              {':', true, true},
	              {'-', false, true}};

	for (size_t k = 0; k < sizeof(styles) / sizeof(styles[0]); k++) {
		size_t n;

		if (styles[k].lower) {
			n = encode_hex(v, len, lower_hex, styles[k].sep, out);
			patterns_add(ps, secret, out, n, 0, n, 0);
		}
		if (styles[k].upper) {
			n = encode_hex(v, len, upper_hex, styles[k].sep, out);
			patterns_add(ps, secret, out, n, 0, n, 0);
		}
	}
	size_t n = encode_hex_escapes(v, len, out);

	patterns_add(ps, secret, out, n, 0, n, 0);
}

void
forms_add_der_pieces(struct pattern_set *ps, uint32_t secret,
                     const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n;

	for (unsigned align = 0; align < 3; align++) {
		/* alignment 0 is the PEM body's, whose lines give pieces */
		if (align != 0) {
			n = encode_base64_inner(v, len, align, b64_std, out);
			patterns_add_windows(ps, secret, out, n);
		}
		n = encode_base64_inner(v, len, align, b64_url, out);
		patterns_add_windows(ps, secret, out, n);
	}
}

/* The forms of a value's bytes as bytes: base64 and base32, hex in each
 * style, Node's Buffer cut at its 50 bytes and ArrayBuffer at 100, and
 * the lists of its byte values. */
static void
add_bytes_forms(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len, unsigned char *out)
{
	size_t n;

	for (unsigned align = 0; align < 3; align++) {
		n = encode_base64_inner(v, len, align, b64_std, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
		/* percent-encoded: base64 in a cookie or a query (Rack's
		 * session cookie, escape(strict_encode64(...))), + and / as
		 * %2B %2F */
		if (has_any(out, n, "+/")) {
			size_t m = encode_percent(out, n, upper_hex, "", false,
			                          false, out + n);

			patterns_add(ps, secret, out + n, m, 0, m, 0);
		}
		add_base64_end(ps, secret, v, len, align, b64_std, out, n);
		n = encode_base64_inner(v, len, align, b64_url, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
		if (align == 0)
			add_base64_end(ps, secret, v, len, align, b64_url, out,
			               n);
	}
	add_base64_lines(ps, secret, v, len, out);
	n = encode_base32(v, len, out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	forms_add_hex(ps, secret, v, len, out);
	/* Node shows a Buffer's first INSPECT_MAX_BYTES (50) bytes, then
	 * "... 250 more bytes>", and an ArrayBuffer's first 100: the bytes
	 * shown are masked with the dots. */
	for (size_t k = 0; k < 2; k++) {
		size_t shown =
		    k == 0 ? NODE_BUFFER_SHOWN : NODE_ARRAY_BUFFER_SHOWN;

		if (len <= shown)
			continue;
		n = encode_hex(v, shown, lower_hex, ' ', out);
		n += put_str(out + n, " ...");
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
	for (size_t j = 0; j < 3; j++)
		add_decimal_list(ps, secret, v, len, decimal_joins[j],
		                 DECIMAL_BYTES, out);
	/* signed: Java's Arrays.toString (", "), Gson's byte[] (",") */
	for (size_t j = 0; j < 2 && has_high(v, len); j++)
		add_decimal_list(ps, secret, v, len, decimal_joins[j],
		                 DECIMAL_SIGNED, out);
	forms_add_node_rows(ps, secret, v, len, out);
}

const char forms_base58_alphabet[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* v in base58 (a '1' for each leading zero byte, then the number) into
 * out (room for 4 * len + 2 bytes, the last half the work): its length. */
static size_t
encode_base58(const unsigned char *v, size_t len, unsigned char *out)
{
	unsigned char *digits = out + 2 * len + 1;
	size_t zeros = 0, n = 0, o = 0;

	while (zeros < len && v[zeros] == 0)
		zeros++;
	/* digits[0..n): the number so far in base 58, least significant
	 * first */
	for (size_t i = zeros; i < len; i++) {
		unsigned carry = v[i];

		for (size_t k = 0; k < n; k++) {
			carry += digits[k] * 256u;
			digits[k] = (unsigned char)(carry % 58);
			carry /= 58;
		}
		for (; carry > 0; carry /= 58)
			digits[n++] = (unsigned char)(carry % 58);
	}
	while (o < zeros)
		out[o++] = '1';
	for (size_t k = n; k > 0; k--)
		out[o++] = (unsigned char)forms_base58_alphabet[digits[k - 1]];
	sodium_memzero(digits, n);
	return o;
}

size_t
forms_decimal(const unsigned char *v, size_t len, unsigned char *out)
{
	unsigned char *num = out + FORMS_DECIMAL_DIGITS(len);
	size_t n = 0, from = 0;

	memcpy(num, v, len);
	do {
		unsigned rem = 0;

		while (from < len && num[from] == 0)
			from++;
		/* num /= 10, its remainder the next digit up */
		for (size_t i = from; i < len; i++) {
			unsigned cur = rem * 256 + num[i];

			num[i] = (unsigned char)(cur / 10);
			rem = cur % 10;
		}
		out[n++] = (unsigned char)('0' + rem);
		while (from < len && num[from] == 0)
			from++;
	} while (from < len);
	for (size_t i = 0; i < n / 2; i++) {
		unsigned char t = out[i];

		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	sodium_memzero(num, len);
	return n;
}

/*
 * A key's bytes as one number, as libraries print a private scalar or
 * an RSA key's d, p and q (Python's cryptography private_numbers(),
 * int.from_bytes(), Go's big.Int in a key's %v, a BigInt): in decimal
 * (fewer digits are no key's), and in hex without the leading zeros
 * hex() and toString(16) drop; whole: its hex with them too (a key's
 * bytes have it among their hex forms already).
 */
static void
add_number_forms(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *v, size_t len, unsigned char *out,
                 bool whole)
{
	size_t n;

	if (len > KEY_NUMBER_MAX)
		return;
	n = forms_decimal(v, len, out);
	if (n >= KEY_NUMBER_DIGITS)
		patterns_add(ps, secret, out, n, 0, n, 0);
	for (int upper = 0; upper < 2; upper++) {
		size_t zeros = 0;

		n = encode_hex(v, len, upper ? upper_hex : lower_hex, 0, out);
		if (whole)
			patterns_add(ps, secret, out, n, 0, n, 0);
		while (zeros + 1 < n && out[zeros] == '0')
			zeros++;
		if (zeros > 0 && n - zeros >= KEY_NUMBER_DIGITS)
			patterns_add(ps, secret, out + zeros, n - zeros, 0,
			             n - zeros, 0);
	}
}

void
forms_add_number(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *v, size_t len, unsigned char *out)
{
	add_number_forms(ps, secret, v, len, out, true);
}

void
forms_add_key_bytes(struct pattern_set *ps, uint32_t secret,
                    const unsigned char *v, size_t len, unsigned char *out)
{
	uint64_t seen[LITERAL_NESTED_SEEN];
	size_t n, seen_n = 0;

	add_bytes_forms(ps, secret, v, len, out);
	/* the literals that escape a byte, not a character: repr() of
	 * bytes, printf %q, sed -n l, strace, Data::Dumper, Carp,
	 * protobuf, gdb, Go's %q, Ruby's inspect of a UTF-8 string; and
	 * the styles of a key's bytes alone */
	for (size_t s = 0; s < sizeof(escape_styles) / sizeof(escape_styles[0]);
	     s++) {
		if (escape_styles[s].high != HIGH_HEX &&
		    escape_styles[s].high != HIGH_OCTAL &&
		    escape_styles[s].high != HIGH_PERL_BYTES &&
		    escape_styles[s].high != HIGH_GO_BYTES &&
		    escape_styles[s].high != HIGH_RUBY_BYTES &&
		    !escape_styles[s].bytes_only)
			continue;
		n = encode_escaped(v, len, &escape_styles[s], out);
		patterns_add(ps, secret, out, n, 0, n, 0);
		/* a debug page's repr() of the key's bytes */
		add_literal_nested(ps, secret, v, len, out, n,
		                   nests_doubled(&escape_styles[s]), seen,
		                   &seen_n);
		/* and each PIECE_MIN bytes of it where a text style writes a
		 * byte as \xHH (repr() of bytes in either quote, Ruby's
		 * inspect of a binary string): a long repr cut in its middle
		 * (unittest's assertEqual: "b'\x9[30 chars]x9a\xeb..."), one
		 * literal a line (Ruby's pp and irb after a line feed) */
		if (escape_styles[s].high != HIGH_HEX ||
		    escape_styles[s].bytes_only || len < PIECE_PART_MIN)
			continue;
		for (size_t i = 0; i + PIECE_MIN <= len; i++) {
			n = encode_escaped(v + i, PIECE_MIN, &escape_styles[s],
			                   out);
			patterns_add(ps, secret, out, n, 0, n, 0);
		}
	}
	/* Hex in the styles a text value's forms leave to the dump views,
	 * which read them only where they start a line: upper case with
	 * blanks (Go's % X, printf("%02X ") loops, HexFormat with a
	 * delimiter), lower case with dashes (bytes.hex('-')), and byte
	 * arrays of 0xhh in either case, after a label on the same line. */
	n = encode_hex(v, len, upper_hex, ' ', out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	n = encode_hex(v, len, lower_hex, '-', out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	for (int upper = 0; upper < 2; upper++) {
		const char *digits = upper ? upper_hex : lower_hex;

		n = encode_hex_list(v, len, digits, ", ", out);
		patterns_add(ps, secret, out, n, 0, n, 0);
		n = encode_hex_list(v, len, digits, ",", out);
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
	/* JSON.stringify's escapes of the bytes, those past ASCII as they
	 * are: sqlite3's -json (.mode json) of a BLOB column */
	if (has_control(v, len) || has_any(v, len, "\"\\")) {
		n = encode_json(v, len, 0, lower_hex, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
	/* Haskell's show of the bytes as a String (Char8's unpack) */
	if ((n = encode_haskell(v, len, true, out)) > 0)
		patterns_add(ps, secret, out, n, 0, n, 0);
	/* Perl's quotemeta of the bytes (a test's qr/\Q$key\E/ in
	 * Test::More's like() failure) */
	n = encode_backslashed(v, len, QUOTE_PERL, out);
	patterns_add(ps, secret, out, n, 0, n, 0);
	/* cat -v of a key's file, -T's tab as ^I and -E's $ before a LF
	 * too (-A, -e, -t) */
	for (int tabs = 0; tabs < (has_byte(v, len, '\t') ? 2 : 1); tabs++)
		for (int ends = 0; ends < (has_byte(v, len, '\n') ? 2 : 1);
		     ends++) {
			n = encode_cat_v(v, len, tabs, ends, out);
			add_variant(ps, secret, v, len, out, n);
		}
	/* and hex with no padding, or sign-extended (bytesToHex's bugs) */
	for (int sign_extended = 0; sign_extended < 2; sign_extended++)
		if ((n = encode_hex_loose(v, len, sign_extended, out)) > 0)
			patterns_add(ps, secret, out, n, 0, n, 0);
	/* The bytes read as Latin-1 and printed as UTF-8: Python's
	 * decode('latin-1'), Node's toString('latin1') and 'binary', Java's
	 * new String(k, ISO_8859_1). */
	if (has_high(v, len)) {
		n = encode_mojibake(v, len, false, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
	/* and that text escaped: JSON.stringify of toString('latin1'),
	 * json.dumps or repr() of decode('latin-1'), util.inspect (a key
	 * put in JSON "binary-safe") */
	if (has_high(v, len) || has_control(v, len))
		add_mojibake_escaped(ps, secret, v, len, out);
	/* Percent-encoded, as a URL's query carries bytes (Python's
	 * quote_from_bytes and urlencode of bytes, so requests' params). */
	add_percent_forms(ps, secret, v, len, out, false, false);
	add_number_forms(ps, secret, v, len, out, false);
	/* An Ed25519 key's 32 or 64 bytes in base58, as Solana's and
	 * NEAR's tools write one (bs58.encode(secretKey) of a keypair
	 * file's bytes) */
	if (len == KEY_ED25519_SEED || len == KEY_ED25519_SECRET) {
		n = encode_base58(v, len, out);
		patterns_add(ps, secret, out, n, 0, n, 0);
	}
}

/*
 * v's Latin-1 mojibake (encode_mojibake) as a serializer then escapes
 * it, its bytes taken for characters: JSON with \u00c3 (Perl's JSON
 * ascii of a byte string, PHP's json_encode of utf8_encode()), Python's
 * repr() ('Ã\x9f' where the mojibake holds U+0080 to U+009F: requests'
 * r.text without a charset), libyaml's double quotes (YAML::XS of a
 * byte string: "Ã\x9F"). Between their escapes the runs fall under a
 * piece's 12 bytes.
 */
static void
add_mojibake_escaped(struct pattern_set *ps, uint32_t secret,
                     const unsigned char *v, size_t len, unsigned char *out)
{
	/* the mojibake (2 bytes a byte at most) after the room its
	 * escaping takes (6 bytes a character at most) */
	unsigned char *moji = out + 6 * len + 16;
	size_t m = encode_mojibake(v, len, false, moji), n;

	n = encode_json(moji, m, JSON_ASCII, lower_hex, out);
	add_variant(ps, secret, v, len, out, n);
	/* and with DEL as it is (JSON::XS's ascii of a key's bytes) */
	if (has_byte(moji, m, 0x7f)) {
		n = encode_json(moji, m, JSON_ASCII | JSON_DEL_RAW, lower_hex,
		                out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* JSON.stringify's, past ASCII as it is; and with / as \/
	 * (Mojo::JSON's encode_json, render(json => ...), of bytes) */
	n = encode_json(moji, m, 0, lower_hex, out);
	add_variant(ps, secret, v, len, out, n);
	if (has_byte(moji, m, '/')) {
		n = encode_json(moji, m, JSON_SLASHES, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* percent-encoded (Perl's uri_escape_utf8 of a string of bytes)
	 * and escaped for HTML (Mojolicious' exception page, xml_escape) */
	n = encode_percent(moji, m, upper_hex, "-._~", false, false, out);
	add_variant(ps, secret, v, len, out, n);
	if (has_any(moji, m, "&<>\"'")) {
		n = encode_xml(moji, m, escape_html_style, lower_hex, out);
		add_variant(ps, secret, v, len, out, n);
	}
	for (size_t s = 0; s < sizeof(escape_styles) / sizeof(escape_styles[0]);
	     s++) {
		/* and util.inspect's: \x84 where repr() writes \x84 too,
		 * \x0B */
		if (escape_styles[s].high != HIGH_PY_REPR &&
		    escape_styles[s].high != HIGH_YAML_WIDE &&
		    escape_styles[s].high != HIGH_C1)
			continue;
		n = encode_escaped(moji, m, &escape_styles[s], out);
		add_variant(ps, secret, v, len, out, n);
	}
	sodium_memzero(moji, m);
}

void
forms_add_encodings(struct pattern_set *ps, uint32_t secret,
                    const unsigned char *v, size_t len, unsigned char *out,
                    bool pieces)
{
	uint64_t seen[LITERAL_NESTED_SEEN];
	size_t n, kept = forms_prefix_length(v, len), seen_n = 0;

	pieces = pieces && forms_gives_pieces(v, len);

	add_bytes_forms(ps, secret, v, len, out);
	/* a list one number a line (json.dumps(indent=...), util.inspect
	 * with compact false) is the list views' */
	add_percent_forms(ps, secret, v, len, out, pieces, true);
	/* not a URL's: its password is a part of its own, and a DSN
	 * encoded twice is rare where a password in one is not (twenty
	 * DSNs' forms cost every scan 4% more instructions) */
	if (url_scheme_length(v, len) == 0)
		add_percent_twice(ps, secret, v, len, out);
	n = encode_percent_only(v, len, ":@/", out);
	add_variant(ps, secret, v, len, out, n);
	for (size_t s = 0; s < sizeof(escape_styles) / sizeof(escape_styles[0]);
	     s++) {
		/* a key's bytes' alone (Ruby's of them is its inspect for a
		 * text) */
		if (escape_styles[s].bytes_only)
			continue;
		/* Carp's differs from Data::Dumper's only there */
		if (escape_styles[s].control == CONTROL_PERL &&
		    !has_control(v, len) && !has_byte(v, len, 0x7f) &&
		    !has_high(v, len))
			continue;
		n = encode_escaped(v, len, &escape_styles[s], out);
		add_literal(ps, secret, v, len, out, n, pieces, 0);
		if (n != len || memcmp(out, v, n) != 0)
			add_literal_nested(ps, secret, v, len, out, n,
			                   nests_doubled(&escape_styles[s]),
			                   seen, &seen_n);
	}
	n = encode_dotted(v, len, out);
	add_variant(ps, secret, v, len, out, n);
	/* Haskell's show (print, a derived Show) */
	if ((n = encode_haskell(v, len, false, out)) > 0)
		add_literal(ps, secret, v, len, out, n, pieces, 0);
	add_json_forms(ps, secret, v, len, out);
	add_json_nested_forms(ps, secret, v, len, out);
	add_xml_forms(ps, secret, v, len, out);
	/* (twig.js' html_attr differs from PHP's past ASCII alone) */
	for (int st = 0; st < (has_high(v, len) ? TWIG_STYLES : TWIG_ATTR_NODE);
	     st++) {
		n = encode_twig(v, len, (enum twig_style)st, out);
		add_variant(ps, secret, v, len, out, n);
	}
	for (int style = SHELL_SINGLE; style <= SHELL_BACKSLASH; style++) {
		n = encode_shell(v, len, (enum shell_style)style, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* coreutils' messages under the C locale and in UTF-8 (the same
	 * form where v holds no byte past ASCII) */
	for (int c_locale = 1; c_locale >= (has_high(v, len) ? 0 : 1);
	     c_locale--)
		if ((n = encode_shell_spliced(v, len, c_locale, out)) > 0)
			add_variant(ps, secret, v, len, out, n);
	for (int backslash = 0; backslash < (has_byte(v, len, '\\') ? 2 : 1);
	     backslash++) {
		if (has_byte(v, len, '\'')) {
			n = encode_doubled(v, len, '\'', backslash, out);
			add_literal(ps, secret, v, len, out, n, pieces, 0);
			/* a statement in a string literal: Django's
			 * connection.queries, repr() of psycopg2's error */
			add_doubled_in_literal(ps, secret, v, len, out, n);
		}
		if (has_byte(v, len, '"')) {
			n = encode_doubled(v, len, '"', backslash, out);
			add_literal(ps, secret, v, len, out, n, pieces, 0);
		}
	}
	/* "$" written twice: docker compose config, which escapes so
	 * the "$" of a value it interpolated, and make -p's database */
	if (has_byte(v, len, '$')) {
		n = encode_doubled(v, len, '$', false, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* "%" written twice: an ini file's value that configparser's
	 * interpolation reads (its write() of one set so, alembic.ini); and
	 * "%" alone as %25 (and a line break as %0A): GitHub Actions'
	 * workflow commands (::add-mask::, ::set-output, ::debug::) */
	if (has_byte(v, len, '%')) {
		n = encode_doubled(v, len, '%', false, out);
		add_variant(ps, secret, v, len, out, n);
		n = encode_percent_only(v, len, "%\r\n", out);
		add_variant(ps, secret, v, len, out, n);
	}
	for (int ascii = 0; ascii < 2; ascii++) {
		n = encode_properties(v, len, ascii, out);
		add_variant(ps, secret, v, len, out, n);
	}
	add_utf16(ps, secret, v, len, out);
	if (has_high(v, len)) {
		n = encode_mojibake(v, len, false, out);
		add_variant(ps, secret, v, len, out, n);
		add_mojibake_escaped(ps, secret, v, len, out);
		if (has_cp1252(v, len)) {
			n = encode_mojibake(v, len, true, out);
			add_variant(ps, secret, v, len, out, n);
		}
		n = encode_high_bit_unset(v, len, out);
		add_variant(ps, secret, v, len, out, n);
		if ((n = encode_latin1(v, len, out)) > 0)
			add_variant(ps, secret, v, len, out, n);
		if ((n = encode_erlang_latin1(v, len, out)) > 0)
			add_variant(ps, secret, v, len, out, n);
		/* its code points in the joins of its bytes' lists (the
		 * same numbers for a value of ASCII alone), wherever they
		 * stand on a line: the dump views read a list only where it
		 * starts one */
		for (size_t j = 0; j < 3; j++)
			add_decimal_list(ps, secret, v, len, decimal_joins[j],
			                 DECIMAL_CODE_POINTS, out);
	}
	n = encode_cookie(v, len, out);
	add_variant(ps, secret, v, len, out, n);
	for (int style = 0; style < QUOTE_STYLES; style++) {
		n = encode_backslashed(v, len, (enum backslash_style)style,
		                       out);
		/* logfmt's of a value without a backslash is JSON's */
		if (n == len ||
		    (style == QUOTE_LOGFMT && !has_byte(v, len, '\\')))
			continue;
		if (style == QUOTE_VALGRIND || style == QUOTE_TAP ||
		    style == QUOTE_LOGFMT)
			add_variant(ps, secret, v, len, out, n);
		else
			add_in_literal(ps, secret, v, len, out, n);
	}
	/* quotemeta of characters: past ASCII, not that of bytes */
	if (has_high(v, len) &&
	    (n = encode_char_quoted(v, len, CHAR_QUOTE_PERL, true, out)) > 0)
		add_in_literal(ps, secret, v, len, out, n);
	for (int chars = 0; chars < (has_high(v, len) ? 2 : 1); chars++) {
		n = encode_char_quoted(v, len, CHAR_QUOTE_RUBY_SHELL, chars,
		                       out);
		add_variant(ps, secret, v, len, out, n);
	}
	n = encode_js_escape(v, len, out);
	add_variant(ps, secret, v, len, out, n);
	for (int tabs = 0; tabs < (has_byte(v, len, '\t') ? 2 : 1); tabs++) {
		n = encode_cat_v(v, len, tabs, false, out);
		add_variant(ps, secret, v, len, out, n);
	}
	/* folded into encoded words of some 75 characters: pieces too;
	 * Q writes a kept prefix's "_" as "=5F" */
	n = encode_header_q(v, len, out);
	add_literal(ps, secret, v, len, out, n, pieces,
	            encode_header_q(v, kept, out + n));
	if (pieces)
		add_base64_pieces(ps, secret, v, len, out);
	for (int breaks = 0; breaks < 2; breaks++) {
		n = encode_quoted_printable(v, len, breaks, out);
		add_variant(ps, secret, v, len, out, n);
	}
}
