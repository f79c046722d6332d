/* SPDX-License-Identifier: ISC */
/* The secret parts inside a value: JSON leaves, base64 decodings,
 * credential-named URL parameters, the value without its quotes. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "engine.h"
#include "forms.h"
#include "secjson.h"
#include "util.h"

/* A part in JSON under one of these key words (case, "_", "-" and "."
 * ignored) is secret whatever it looks like. */
static const char *const credential_words[] = {
    "secret",    "password", "passwd",     "passphrase", "pwd",
    "token",     "key",      "credential", "mnemonic",   "seed",
    "signature", "auth",     "cookie",     "session",    "salt",
    "private",   "cert",     "sig",        "pass",
};

/* The key folded to lower case without separators; false if too long. */
static bool
fold_key(const char *key, char *out, size_t size)
{
	size_t n = 0;

	for (; *key != '\0'; key++) {
		if (*key == '_' || *key == '-' || *key == '.')
			continue;
		if (n + 1 >= size)
			return false;
		out[n++] = (char)tolower((unsigned char)*key);
	}
	out[n] = '\0';
	return true;
}

static bool
has_word(const char *folded, const char *const *words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strstr(folded, words[i]) != NULL)
			return true;
	return false;
}

/*
 * A key naming a credential ("private_key_id" does: Google's key files
 * treat that id as secret), unless it names something public about
 * one: a public key, an author, a URL, an endpoint, a type.
 */
static bool
credential_key(const char *key)
{
	char folded[128];
	size_t n;

	if (key == NULL || !fold_key(key, folded, sizeof(folded)))
		return false;
	if (!has_word(folded, credential_words,
	              sizeof(credential_words) / sizeof(credential_words[0])))
		return false;
	n = strlen(folded);
	if (strstr(folded, "public") || strstr(folded, "author") ||
	    (n >= 3 && (strcmp(folded + n - 3, "url") == 0 ||
	                strcmp(folded + n - 3, "uri") == 0)) ||
	    (n >= 8 && strcmp(folded + n - 8, "endpoint") == 0) ||
	    (n >= 4 && strcmp(folded + n - 4, "type") == 0))
		return false;
	return true;
}

static bool
is_email(const unsigned char *v, size_t len)
{
	const unsigned char *at = memchr(v, '@', len);

	if (at == NULL || at == v ||
	    memchr(at + 1, '@', len - (size_t)(at - v) - 1))
		return false;
	for (size_t i = 0; i < len; i++)
		if (isspace(v[i]) || v[i] == ':' || v[i] == '/')
			return false;
	return memchr(at, '.', len - (size_t)(at - v)) != NULL;
}

/* scheme://... (the URL code decides what in it is secret). */
static bool
is_url(const unsigned char *v, size_t len)
{
	return url_scheme_length(v, len) > 0;
}

/* scheme://user:password@host: the URL code keeps all but the
 * password visible. */
static bool
url_has_userinfo(const unsigned char *v, size_t len)
{
	const unsigned char *p = v + url_scheme_length(v, len), *end = v + len;

	for (; p < end && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == '@')
			return true;
	return false;
}

/* host.example.com: letters, digits, dashes and dots, a dot in it and
 * letters only after the last one. */
static bool
is_hostname(const unsigned char *v, size_t len)
{
	const unsigned char *dot = NULL;

	for (size_t i = 0; i < len; i++) {
		if (v[i] == '.')
			dot = v + i;
		else if (!isalnum(v[i]) && v[i] != '-')
			return false;
	}
	if (dot == NULL || dot == v + len - 1)
		return false;
	for (const unsigned char *p = dot + 1; p < v + len; p++)
		if (!isalpha(*p))
			return false;
	return true;
}

/* Machine-made: 16 bytes or more, no space, letters and digits mixed,
 * at least 10 different bytes. */
static bool
looks_random(const unsigned char *v, size_t len)
{
	bool letter = false, digit = false, seen[256] = {false};
	size_t distinct = 0;

	if (len < 16)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (isspace(v[i]))
			return false;
		letter = letter || isalpha(v[i]);
		digit = digit || isdigit(v[i]);
		distinct += !seen[v[i]];
		seen[v[i]] = true;
	}
	return letter && digit && distinct >= 10;
}

/*
 * Which JSON string leaves are secrets of their own (redact(1), STRUCTURED
 * VALUES): never an e-mail address, a host name, or a URL without a
 * password (its credential parameters still are); otherwise any leaf
 * under a credential-named key, and any machine-made-looking leaf.
 */
static bool
leaf_is_secret(const char *key, const unsigned char *v, size_t len)
{
	if (is_email(v, len) || is_hostname(v, len))
		return false;
	if (is_url(v, len))
		return url_has_userinfo(v, len);
	return credential_key(key) || looks_random(v, len);
}

static void add_json_leaves(struct pattern_set *ps, uint32_t secret, json_t *j,
                            const char *key, unsigned depth);
static void add_key_base64(struct pattern_set *ps, uint32_t secret,
                           const unsigned char *v, size_t len);

/* A JSON Web Key's private members (RFC 7518): a symmetric key ("k"),
 * an RSA, EC or OKP private key's numbers. */
static bool
jwk_private(const char *key)
{
	static const char *const members[] = {"k",  "d",  "p", "q",
	                                      "dp", "dq", "qi"};

	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (strcmp(key, members[i]) == 0)
			return true;
	return false;
}

static void
add_json_leaf(struct pattern_set *ps, uint32_t secret, json_t *leaf,
              const char *key, unsigned depth)
{
	const unsigned char *v = (const unsigned char *)json_string_value(leaf);
	size_t len = json_string_length(leaf);

	if (len < ps->min_length)
		return;
	if (leaf_is_secret(key, v, len))
		patterns_add_derived(ps, secret, v, len, depth + 1);
	else if (is_url(v, len))
		parts_add_parameters(ps, secret, v, len, depth);
}

/* A key's bytes (a decoding that is not text): fewer are no key. */
#define KEY_BYTES_MIN 16

/*
 * A JSON array of byte values (integers 0 to 255), KEY_BYTES_MIN of them
 * or more: a key's bytes, as Solana's keypair file keeps its 64 (and a
 * wallet's exported secret key pasted from it), which programs print as
 * bytes, hex, base58 or a list of their own. False when j is not that.
 */
static bool
add_json_bytes(struct pattern_set *ps, uint32_t secret, json_t *j)
{
	size_t n = json_array_size(j);
	unsigned char *b;
	bool bytes = n >= KEY_BYTES_MIN;

	for (size_t i = 0; bytes && i < n; i++) {
		json_int_t x = json_integer_value(json_array_get(j, i));

		bytes =
		    json_is_integer(json_array_get(j, i)) && x >= 0 && x <= 255;
	}
	if (!bytes)
		return false;
	b = patterns_work_take(ps, n);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)json_integer_value(json_array_get(j, i));
	patterns_add_key_bytes(ps, secret, b, n);
	patterns_work_give(ps, b, n);
	return true;
}

static void
add_json_leaves(struct pattern_set *ps, uint32_t secret, json_t *j,
                const char *key, unsigned depth)
{
	const char *k;
	json_t *item;
	size_t i;

	if (json_is_string(j)) {
		add_json_leaf(ps, secret, j, key, depth);
	} else if (json_is_object(j)) {
		/* a JWK's key material is unpadded URL-safe base64, which a
		 * token's letters and digits are too: read as a key's bytes
		 * only where "kty" says the object is a key */
		bool jwk = json_is_string(json_object_get(j, "kty"));

		json_object_foreach(j, k, item)
		{
			if (jwk && jwk_private(k) && json_is_string(item))
				add_key_base64(ps, secret,
				               (const unsigned char *)
				                   json_string_value(item),
				               json_string_length(item));
			add_json_leaves(ps, secret, item, k, depth);
		}
	} else if (json_is_array(j) && !add_json_bytes(ps, secret, j)) {
		json_array_foreach(j, i, item)
		    add_json_leaves(ps, secret, item, key, depth);
	}
}

/* A JSON object or array: its leaves, parsed in secure memory. */
static void
add_json_parts(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len, unsigned depth)
{
	size_t i = 0;
	json_t *root;

	while (i < len && isspace(v[i]))
		i++;
	if (i == len || (v[i] != '{' && v[i] != '['))
		return;
	secjson_begin();
	root = secjson_parse(v, len);
	if (root != NULL)
		add_json_leaves(ps, secret, root, NULL, depth);
	secjson_end();
}

static int
base64_digit(unsigned char c, bool *url, bool *std)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '/') {
		*std = true;
		return c == '+' ? 62 : 63;
	}
	if (c == '-' || c == '_') {
		*url = true;
		return c == '-' ? 62 : 63;
	}
	return -1;
}

/* Base64 (standard or URL-safe, padded or not, wrapped or not) decoded
 * into out; 0 when v is not that. */
static size_t
base64_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	unsigned bits = 0, nbits = 0, digits = 0;
	bool url = false, std = false, pad = false;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int d;

		if (v[i] == '\n' || v[i] == '\r')
			continue;
		if (v[i] == '=') {
			pad = true;
			continue;
		}
		if (pad || (d = base64_digit(v[i], &url, &std)) < 0)
			return 0;
		digits++;
		bits = (bits << 6) | (unsigned)d;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			out[n++] = (unsigned char)(bits >> nbits);
			bits &= (1u << nbits) - 1;
		}
	}
	if ((url && std) || digits % 4 == 1 || bits != 0)
		return 0;
	return n;
}

/* Text a program would print: UTF-8, no controls but tab and breaks. */
static bool
is_text(const unsigned char *v, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = utf8_decode(v + i, len - i, &cp);

		if (k == 0 ||
		    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0x7f)
			return false;
		i += k;
	}
	return true;
}

#define BASE64_MIN 16 /* shorter base64-looking values are left alone */

/*
 * Base64 that decodes to bytes rather than text is read as a key's bytes
 * when it says it is base64: padded, or with "+" or "/". Letters, digits,
 * "-" and "_" alone are what tokens are made of (sk_live_..., a random
 * word), and such a token decodes too, to bytes no program prints.
 */
static bool
marked_base64(const unsigned char *v, size_t len)
{
	return memchr(v, '=', len) != NULL || memchr(v, '+', len) != NULL ||
	       memchr(v, '/', len) != NULL;
}

/*
 * The decoding of base64 that is HTTP Basic credentials, "user:password"
 * (a Docker config's and an .npmrc's "auth", a Basic header's value):
 * the password is a part, which a program that splits the pair prints
 * alone (`base64 -d | cut -d: -f2`). The user is a name (no blank, "/"
 * or control, as RFC 7617's user-id cannot hold a colon), the password
 * a line; a URL is no pair.
 */
static void
add_basic_password(struct pattern_set *ps, uint32_t secret,
                   const unsigned char *v, size_t len, unsigned depth)
{
	const unsigned char *colon = memchr(v, ':', len);
	size_t user = colon != NULL ? (size_t)(colon - v) : 0;

	if (user == 0 || user + 1 >= len || url_scheme_length(v, len) > 0)
		return;
	for (size_t i = 0; i < user; i++)
		if (v[i] <= ' ' || v[i] == '/' || v[i] == 0x7f)
			return;
	for (size_t i = user + 1; i < len; i++)
		if (v[i] == '\n' || v[i] == '\r')
			return;
	patterns_add_derived(ps, secret, v + user + 1, len - user - 1, depth);
}

/*
 * A value that is base64 of text or JSON: the decoding is a part. Of
 * bytes (a key a program decodes and then prints as bytes: repr(), a
 * Buffer, hex, a dump): those bytes are a binary part, in every form.
 * Laravel's "base64:" in front of a key is not part of its base64.
 */
static void
add_base64_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len, unsigned depth)
{
	unsigned char *decoded;
	size_t n;

	if (len > 7 && memcmp(v, "base64:", 7) == 0) {
		v += 7;
		len -= 7;
	}
	if (len < BASE64_MIN)
		return;
	decoded = patterns_work_take(ps, len);
	n = base64_decode(v, len, decoded);
	if (n >= ps->min_length && is_text(decoded, n)) {
		patterns_add_derived(ps, secret, decoded, n, depth + 1);
		add_basic_password(ps, secret, decoded, n, depth + 1);
	} else if (n >= KEY_BYTES_MIN && marked_base64(v, len))
		patterns_add_key_bytes(ps, secret, decoded, n);
	patterns_work_give(ps, decoded, len);
}

/* v, base64 of a key's bytes: those bytes, a binary part. */
static void
add_key_base64(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len)
{
	unsigned char *decoded = patterns_work_take(ps, len);
	size_t n = base64_decode(v, len, decoded);

	if (n >= KEY_BYTES_MIN)
		patterns_add_key_bytes(ps, secret, decoded, n);
	patterns_work_give(ps, decoded, len);
}

#define HEX_KEY_MIN 32 /* hex digits: a key of 16 bytes */

/* v as hex digits of one case (digits and a-f, or digits and A-F, at
 * least one letter: a long number is no key) decoded into out; 0 when
 * it is not that. */
static size_t
hex_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	bool lower = false, upper = false;
	size_t n = 0;

	if (len % 2 != 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = v[i];

		lower = lower || (c >= 'a' && c <= 'f');
		upper = upper || (c >= 'A' && c <= 'F');
		if (!isxdigit(c) || (lower && upper))
			return 0;
	}
	if ((!lower && !upper) || sodium_hex2bin(out, len / 2, (const char *)v,
	                                         len, NULL, &n, NULL) != 0)
		return 0;
	return n;
}

/* A value that is hex of 16 bytes or more: its decoding is a part, text
 * as base64's is, else a key's bytes (bytes.fromhex, Buffer.from(v,
 * "hex"), a key a program keeps in hex and uses decoded). A "0x" before
 * the digits is not one of them (an Ethereum private key's, as .env
 * files keep it). */
static void
add_hex_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
             size_t len, unsigned depth)
{
	unsigned char *decoded;
	size_t n;

	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		v += 2;
		len -= 2;
	}
	if (len < HEX_KEY_MIN)
		return;
	decoded = patterns_work_take(ps, len / 2);
	n = hex_decode(v, len, decoded);
	if (n >= ps->min_length && is_text(decoded, n))
		patterns_add_derived(ps, secret, decoded, n, depth + 1);
	else if (n >= KEY_BYTES_MIN)
		patterns_add_key_bytes(ps, secret, decoded, n);
	patterns_work_give(ps, decoded, len / 2);
}

#define BASE32_MIN 16     /* characters: an authenticator's 80-bit seed */
#define BASE32_KEY_MIN 10 /* bytes: that seed decoded */

/*
 * v as RFC 4648 base32 of one case (letters and the digits 2 to 7, a
 * letter among them), "=" padding at its end and single blanks between
 * its groups allowed (an authenticator's setup key, "7d6m 5bzp ..."):
 * its characters alone, in capitals, into text (*tn of them), and their
 * decoding into out; the decoding's length, 0 when v is not that or
 * holds fewer than BASE32_MIN characters. text and out hold len bytes.
 */
static size_t
base32_decode(const unsigned char *v, size_t len, unsigned char *text,
              size_t *tn, unsigned char *out)
{
	bool lower = false, upper = false;
	size_t c = 0, pad = 0, n = 0;
	unsigned acc = 0, bits = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = v[i];
		unsigned d;

		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			return 0;
		if (ch == ' ') {
			if (i == 0 || i + 1 == len || v[i - 1] == ' ')
				return 0;
			continue;
		}
		if (ch >= 'A' && ch <= 'Z') {
			upper = true;
			d = ch - 'A';
		} else if (ch >= 'a' && ch <= 'z') {
			lower = true;
			d = ch - 'a';
			ch = (unsigned char)(ch - 'a' + 'A');
		} else if (ch >= '2' && ch <= '7') {
			d = ch - '2' + 26;
		} else {
			return 0;
		}
		if (lower && upper)
			return 0;
		text[c++] = ch;
		acc = (acc << 5 | d) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	*tn = c;
	/* 8 characters hold 5 bytes: 1, 3 or 6 left over are no bytes'
	 * end, and padding fills the last group exactly */
	if ((!lower && !upper) || c < BASE32_MIN || c % 8 == 1 || c % 8 == 3 ||
	    c % 8 == 6 || (pad > 0 && (c + pad) % 8 != 0) || pad >= 8)
		return 0;
	return n;
}

/*
 * A value that is base32, as an authenticator's seed (a TOTP secret) is
 * kept: its decoding is a part, text as base64's is, else a key's bytes
 * (oathtool -v prints them in hex, pyotp's byte_secret() as bytes), the
 * 10 bytes of an 80-bit seed too, in their forms alone (fewer than a
 * piece raw). Its characters in capitals and in small letters, run
 * together, are parts too, each that is not the value itself: a program
 * that takes the seed prints it normalised (oathtool's "Base32 secret",
 * an otpauth URI); in groups of four between blanks, as the setup key an
 * authenticator shows ("7d6m 5bzp ..."), they are patterns, whole.
 */
static void
add_base32_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len, unsigned depth)
{
	unsigned char *text, *decoded, *form;
	size_t tn = 0, n, room = len + len / 4 + 1;

	if (len < BASE32_MIN)
		return;
	text = patterns_work_take(ps, len);
	decoded = patterns_work_take(ps, len);
	form = patterns_work_take(ps, room);
	n = base32_decode(v, len, text, &tn, decoded);
	for (unsigned k = 0; n > 0 && k < 4; k++) {
		bool small = k & 1, grouped = k & 2;
		size_t fn = 0;

		for (size_t i = 0; i < tn; i++) {
			if (grouped && i > 0 && i % 4 == 0)
				form[fn++] = ' ';
			form[fn++] =
			    small && text[i] >= 'A' ? text[i] | 0x20 : text[i];
		}
		if (fn == len && memcmp(form, v, len) == 0)
			continue;
		/* a setup key is printed as it is shown, whole */
		if (grouped)
			patterns_add(ps, secret, form, fn, 0, fn, 0);
		else
			patterns_add_derived(ps, secret, form, fn, depth + 1);
	}
	if (n >= ps->min_length && is_text(decoded, n))
		patterns_add_derived(ps, secret, decoded, n, depth + 1);
	else if (n >= KEY_BYTES_MIN)
		patterns_add_key_bytes(ps, secret, decoded, n);
	else if (n >= BASE32_KEY_MIN)
		patterns_add_short_key(ps, secret, decoded, n);
	patterns_work_give(ps, form, room);
	patterns_work_give(ps, decoded, len);
	patterns_work_give(ps, text, len);
}

/* Base58 (Bitcoin's alphabet: no 0, O, I or l): an Ed25519 secret key
 * of 64 bytes (Solana's) takes 86 to 88 characters, a Bitcoin private
 * key in WIF 51 or 52, an extended one (BIP 32's xprv) 111, a Tezos
 * secret key 54 or 98. */
#define BASE58_MIN 48
#define BASE58_MAX 112
#define BASE58_CHECK 4    /* base58check: bytes of the payload's hash */
#define WIF_VERSION 0x80  /* a WIF's first byte, before the key */
#define PRIVATE_KEY 32    /* a secp256k1 key, an Ed25519 seed */
#define BIP32_LEN 78      /* version, depth, parent, index: 13 bytes */
#define BIP32_CHAIN 13    /* the chain code, 32 bytes */
#define BIP32_KEY 46      /* 0x00, then the key (a public key: 02, 03) */
#define TEZOS_PREFIX 4    /* "edsk", "spsk", "p2sk" */

/* v as base58 decoded into out (room for len bytes): its length, 0 when
 * v holds a character of no base58 digit. Each leading '1' is a zero
 * byte, the rest one big-endian number. */
static size_t
base58_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t zeros = 0, n = 0;

	for (size_t i = 0; i < len; i++) {
		const char *d = memchr(forms_base58_alphabet, v[i], 58);
		unsigned carry;

		if (d == NULL)
			return 0;
		carry = (unsigned)(d - forms_base58_alphabet);
		if (carry == 0 && n == 0 && zeros == i) {
			zeros++;
			continue;
		}
		/* out[0..n): the number so far, least significant first */
		for (size_t k = 0; k < n; k++) {
			carry += out[k] * 58u;
			out[k] = (unsigned char)carry;
			carry >>= 8;
		}
		for (; carry > 0; carry >>= 8)
			out[n++] = (unsigned char)carry;
	}
	/* most significant first, after the zero bytes */
	for (size_t k = 0; k < n / 2; k++) {
		unsigned char t = out[k];

		out[k] = out[n - 1 - k];
		out[n - 1 - k] = t;
	}
	memmove(out + zeros, out, n);
	memset(out, 0, zeros);
	return zeros + n;
}

/* Whether b's last BASE58_CHECK bytes begin the double SHA-256 of those
 * before them: base58check's (a WIF's, an address's) checksum. */
static bool
base58_checked(const unsigned char *b, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	bool same;

	if (n <= BASE58_CHECK)
		return false;
	crypto_hash_sha256(h, b, n - BASE58_CHECK);
	crypto_hash_sha256(h, h, sizeof h);
	same = sodium_memcmp(h, b + n - BASE58_CHECK, BASE58_CHECK) == 0;
	sodium_memzero(h, sizeof h);
	return same;
}

/* The private key in a base58check payload (its checksum matched) of
 * n bytes, where its format keeps one: a WIF's (0x80, the key, 0x01 for
 * a compressed public key or nothing), an xprv's (its chain code and
 * its key), a Tezos secret key's (after its prefix: a seed, or the
 * seed and the public key). */
static void
add_checked_key(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
                size_t n)
{
	if (p[0] == WIF_VERSION &&
	    (n == 1 + PRIVATE_KEY ||
	     (n == 2 + PRIVATE_KEY && p[1 + PRIVATE_KEY] == 0x01))) {
		patterns_add_key_bytes(ps, secret, p + 1, PRIVATE_KEY);
	} else if (n == BIP32_LEN && p[BIP32_KEY - 1] == 0) {
		patterns_add_key_bytes(ps, secret, p + BIP32_CHAIN,
		                       PRIVATE_KEY);
		patterns_add_key_bytes(ps, secret, p + BIP32_KEY, PRIVATE_KEY);
	} else if (n == TEZOS_PREFIX + PRIVATE_KEY ||
	           n == TEZOS_PREFIX + KEY_ED25519_SECRET) {
		patterns_add_key_bytes(ps, secret, p + TEZOS_PREFIX,
		                       n - TEZOS_PREFIX);
	}
}

/* NEAR names a key's curve before its base58: an Ed25519 key's 64 bytes
 * (or its 32-byte seed), a secp256k1 key's 32 (or those and its public
 * key's 64: the key is the first 32). */
static const struct {
	const char *name;
	size_t bytes, whole; /* the key's bytes; a decoding's length */
} curves[] = {
    {"ed25519:", KEY_ED25519_SECRET, KEY_ED25519_SECRET},
    {"ed25519:", PRIVATE_KEY, PRIVATE_KEY},
    {"secp256k1:", PRIVATE_KEY, PRIVATE_KEY},
    {"secp256k1:", PRIVATE_KEY, 3 * PRIVATE_KEY},
};

/* The base58 of 96 bytes, the longest (a decoding is quadratic in it). */
#define CURVE_KEY_MAX 132

/* v after its curve's name (NEAR's ed25519:...): base58 of one of the
 * lengths its curve's keys take, the key's bytes in every form. */
static void
add_curve_key(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len)
{
	for (size_t c = 0; c < sizeof(curves) / sizeof(curves[0]); c++) {
		size_t skip = strlen(curves[c].name);
		unsigned char *decoded;
		size_t n;

		if (len <= skip || memcmp(v, curves[c].name, skip) != 0)
			continue;
		if (len - skip > CURVE_KEY_MAX)
			return;
		decoded = patterns_work_take(ps, len);
		n = base58_decode(v + skip, len - skip, decoded);
		for (size_t k = c; k < sizeof(curves) / sizeof(curves[0]); k++)
			if (strcmp(curves[k].name, curves[c].name) == 0 &&
			    n == curves[k].whole) {
				patterns_add_key_bytes(ps, secret, decoded,
				                       curves[k].bytes);
				break;
			}
		patterns_work_give(ps, decoded, len);
		return;
	}
}

/*
 * A value that is base58 of a key: its bytes are a key's, in every form
 * (Python's base58.b58decode() gives them as bytes, `base58 -d` to a
 * dump). Base58 is letters and digits but four, as most tokens are, so
 * only a decoding that says it is a key counts: 64 bytes (an Ed25519
 * secret key as Solana keeps it: the seed, then the public key), or a
 * base58check payload that holds a private key (add_checked_key), or
 * one its curve's name says is a key (add_curve_key). (Not 32 bytes
 * unchecked: one token in 19 of 43 letters and digits decodes to that
 * many, and a key's bytes take many patterns.)
 */
static void
add_base58_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len)
{
	unsigned char *decoded;
	size_t n;

	add_curve_key(ps, secret, v, len);
	if (len < BASE58_MIN || len > BASE58_MAX)
		return;
	decoded = patterns_work_take(ps, len);
	n = base58_decode(v, len, decoded);
	if (n == KEY_ED25519_SECRET)
		patterns_add_key_bytes(ps, secret, decoded, n);
	else if (n > BASE58_CHECK && base58_checked(decoded, n))
		add_checked_key(ps, secret, decoded, n - BASE58_CHECK);
	patterns_work_give(ps, decoded, len);
}

#define UUID_BYTES 16
#define UUID_TEXT 36 /* 8-4-4-4-12 hex digits */

/* The 16 bytes of v written as a UUID: its 36 characters (braces or
 * "urn:uuid:" around them too) with digits of either case, or its 32
 * digits alone in one case; false when v is not that. */
static bool
uuid_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n;

	if (len == UUID_TEXT + 2 && v[0] == '{' && v[len - 1] == '}') {
		v++;
		len -= 2;
	} else if (len == UUID_TEXT + 9 && memcmp(v, "urn:uuid:", 9) == 0) {
		v += 9;
		len -= 9;
	}
	if (len == 2 * UUID_BYTES)
		return hex_decode(v, len, out) == UUID_BYTES;
	if (len != UUID_TEXT)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((v[i] == '-') != (i == 8 || i == 13 || i == 18 || i == 23))
			return false;
	/* the digits decoded in place, the dashes skipped: no copy */
	return sodium_hex2bin(out, UUID_BYTES, (const char *)v, len, "-", &n,
	                      NULL) == 0 &&
	       n == UUID_BYTES;
}

/* b's first three fields (4, 2 and 2 bytes) reversed in place: the
 * little-endian order of a Guid's bytes. */
static void
uuid_swap_fields(unsigned char *b)
{
	static const unsigned char field[][2] = {{0, 4}, {4, 2}, {6, 2}};

	for (size_t f = 0; f < 3; f++)
		for (size_t i = 0; i < field[f][1] / 2u; i++) {
			unsigned char *x = b + field[f][0] + i,
			              *y =
			                  b + field[f][0] + field[f][1] - 1 - i;
			unsigned char t = *x;

			*x = *y;
			*y = t;
		}
}

/* The 16 bytes b in base64 without padding, standard or URL-safe, into
 * out (23 bytes, a NUL after them); their length. */
static size_t
uuid_base64(const unsigned char *b, bool url, char *out)
{
	sodium_bin2base64(
	    out,
	    sodium_base64_ENCODED_LEN(
	        UUID_BYTES, sodium_base64_VARIANT_ORIGINAL_NO_PADDING),
	    b, UUID_BYTES,
	    url ? sodium_base64_VARIANT_URLSAFE_NO_PADDING
	        : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	return strlen(out);
}

/*
 * A value that is a UUID (an API key or token of that shape: Heroku's,
 * Consul's SecretID, a key kept in a uuid column). Programs that parse
 * it print it again in their own shape: PostgreSQL's uuid type, Java's
 * UUID.toString() and Python's str() in lower case, .NET's ToString()
 * upper-cased in places; Python's .hex and PostgreSQL's uuid_send the
 * 32 digits alone; Python's .bytes and Node's Buffer.from(hex) its 16
 * bytes, .NET's ToByteArray() and Python's .bytes_le the same with its
 * first three fields little-endian. Its 36 characters in the case it is
 * not written in, its 32 digits in either case, its number in decimal,
 * its 16 bytes in both orders and their base64 are patterns, whole. Not
 * their pieces, nor its bytes in every form of a key's bytes: at 10,000
 * UUIDs the pieces took the masker's memory from 64 to 97 MiB, the forms
 * of the bytes to 171 MiB and twice the set-up time, for prints (a slice
 * of a lower-cased key) that programs rarely make; the bytes alone serve
 * the dump views, which decode what programs print of bytes. These ten
 * patterns take it to 72 MiB (68 without the bytes and their base64).
 */
static void
add_uuid_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len)
{
	static const char lower[] = "0123456789abcdef",
	                  upper[] = "0123456789ABCDEF";
	/* the bytes, then the text forms (the longest its decimal, whose
	 * division works after its digits) */
	enum {
		WORK =
		    UUID_BYTES + FORMS_DECIMAL_DIGITS(UUID_BYTES) + UUID_BYTES
	};
	unsigned char *work = patterns_work_take(ps, WORK), *b = work;
	unsigned char *text = work + UUID_BYTES;
	size_t n;

	if (!uuid_decode(v, len, b)) {
		patterns_work_give(ps, work, WORK);
		return;
	}
	for (int u = 0; u < 2; u++) {
		const char *digits = u ? upper : lower;

		n = 0;
		for (size_t i = 0; i < UUID_BYTES; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				text[n++] = '-';
			text[n++] = (unsigned char)digits[b[i] >> 4];
			text[n++] = (unsigned char)digits[b[i] & 15];
		}
		if (n != len || memcmp(text, v, n) != 0)
			patterns_add(ps, secret, text, n, 0, n, 0);
		n = 0;
		for (size_t i = 0; i < UUID_BYTES; i++) {
			text[n++] = (unsigned char)digits[b[i] >> 4];
			text[n++] = (unsigned char)digits[b[i] & 15];
		}
		patterns_add(ps, secret, text, n, 0, n, 0);
	}
	n = forms_decimal(b, UUID_BYTES, text);
	patterns_add(ps, secret, text, n, 0, n, 0);
	/* its 16 bytes, which the dump views find where a program prints
	 * them (repr() of .bytes, a list of them, a Buffer, xxd), and in
	 * base64 alone (a compact id, either alphabet, padded or not); then
	 * the same in the order of .NET's Guid.ToByteArray() and Python's
	 * .bytes_le, its first three fields little-endian (a .NET short id
	 * is the base64 of those) */
	for (int le = 0; le < 2; le++) {
		if (le)
			uuid_swap_fields(b);
		patterns_add(ps, secret, b, UUID_BYTES, 0, UUID_BYTES, 0);
		for (int url = 0; url < 2; url++) {
			n = uuid_base64(b, url, (char *)text);
			patterns_add(ps, secret, text, n, 0, n, 0);
		}
	}
	patterns_work_give(ps, work, WORK);
}

#define DER_MIN 16 /* a shorter PEM body is no key */
#define DER_SEQUENCE 0x30
#define DER_INTEGER 0x02
#define DER_OCTETS 0x04
#define DER_ITEMS 10 /* an RSA key's version and eight numbers, and more */

struct der_item {
	unsigned char tag;
	size_t lo, hi; /* its content */
};

/* The DER item at p[*at] (of len bytes), *at then after it; false when
 * it is malformed or runs past len. */
static bool
der_next(const unsigned char *p, size_t len, size_t *at, struct der_item *it)
{
	size_t i = *at, n;

	if (len - i < 2)
		return false;
	it->tag = p[i++];
	n = p[i++];
	if (n & 0x80) {
		size_t k = n & 0x7f;

		if (k == 0 || k > 3 || len - i < k)
			return false;
		for (n = 0; k > 0; k--)
			n = n << 8 | p[i++];
	}
	if (n > len - i)
		return false;
	it->lo = i;
	it->hi = *at = i + n;
	return true;
}

#define KEY_SCALAR_MAX 66 /* bytes: P-521's scalar; an RSA number is longer */

/* A private number's n big-endian bytes at p (an INTEGER's or an
 * mpint's, without the sign byte before a high bit): a key's bytes when
 * it is a curve's scalar, which programs print as bytes too; a longer
 * one (an RSA key's) in a number's forms alone: every form of a key's
 * bytes for the six numbers of a 2048-bit key made its masker image a
 * fifth larger and a run with it some 5% slower. */
static void
add_private_number(struct pattern_set *ps, uint32_t secret,
                   const unsigned char *p, size_t n)
{
	while (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	if (n < KEY_BYTES_MIN) /* a version, not a private number */
		return;
	if (n <= KEY_SCALAR_MAX)
		patterns_add_key_bytes(ps, secret, p, n);
	else
		patterns_add_key_number(ps, secret, p, n);
}

static void
add_der_number(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
               const struct der_item *it)
{
	add_private_number(ps, secret, p + it->lo, it->hi - it->lo);
}

/*
 * The private numbers in a private key's DER (p, n bytes), each a key's
 * bytes with their forms: what a program that parses the key prints
 * (Python's cryptography private_numbers(), Go's %v of a key, openssl's
 * -text in hex). PKCS#1's RSAPrivateKey (a version, n and e, then d, p,
 * q, dp, dq and qinv: the last six), SEC 1's ECPrivateKey (version 1,
 * then the private scalar's OCTET STRING), and PKCS#8's PrivateKeyInfo
 * around either (a version and an algorithm, then the key's OCTET
 * STRING), whose key is an OCTET STRING of the seed for Ed25519 and
 * X25519. The public numbers (n, e, a public point) are left alone.
 */
static void
add_der_private(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
                size_t n, bool wrapped)
{
	struct der_item top, it[DER_ITEMS];
	size_t at = 0, count = 0;

	if (!der_next(p, n, &at, &top) || at != n)
		return;
	if (top.tag == DER_OCTETS && wrapped) {
		add_der_number(ps, secret, p, &top);
		return;
	}
	if (top.tag != DER_SEQUENCE)
		return;
	for (at = top.lo; at < top.hi && count < DER_ITEMS; count++)
		if (!der_next(p, top.hi, &at, &it[count]))
			return;
	/* (SEC 1's parameters and public key are optional) */
	if (count < 2 || it[0].tag != DER_INTEGER)
		return;
	if (count >= 9 && it[1].tag == DER_INTEGER &&
	    it[2].tag == DER_INTEGER) {
		for (size_t i = 3; i < 9; i++)
			if (it[i].tag == DER_INTEGER)
				add_der_number(ps, secret, p, &it[i]);
	} else if (it[1].tag == DER_OCTETS && it[0].hi - it[0].lo == 1 &&
	           p[it[0].lo] == 1) {
		add_der_number(ps, secret, p, &it[1]);
	} else if (!wrapped && count >= 3 && it[1].tag == DER_SEQUENCE &&
	           it[2].tag == DER_OCTETS) {
		add_der_private(ps, secret, p + it[2].lo, it[2].hi - it[2].lo,
		                true);
	}
}

/* An SSH wire string (a 32-bit big-endian length, then its bytes) at
 * p[*at] of len bytes, *at then after it; false when it runs past len. */
static bool
ssh_string(const unsigned char *p, size_t len, size_t *at,
           const unsigned char **s, size_t *n)
{
	size_t i = *at;
	uint32_t l;

	if (len - i < 4)
		return false;
	l = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
	    (uint32_t)p[i + 2] << 8 | p[i + 3];
	if (l > len - i - 4)
		return false;
	*s = p + i + 4;
	*n = l;
	*at = i + 4 + l;
	return true;
}

/* Whether the string s (n bytes) is the text t. */
static bool
ssh_is(const unsigned char *s, size_t n, const char *t)
{
	return n == strlen(t) && memcmp(s, t, n) == 0;
}

/* Whether big-endian r (rn bytes) is at least m (mn bytes, mn < rn). */
static bool
bytes_at_least(const unsigned char *r, size_t rn, const unsigned char *m,
               size_t mn)
{
	for (size_t k = 0; k < rn - mn; k++)
		if (r[k] != 0)
			return true;
	return memcmp(r + rn - mn, m, mn) >= 0;
}

/* r = a mod m, big-endian (r: mn + 1 bytes, the remainder in all of
 * them), a bit at a time: double, add the bit, take m away once. */
static void
bytes_mod(const unsigned char *a, size_t an, const unsigned char *m, size_t mn,
          unsigned char *r)
{
	memset(r, 0, mn + 1);
	for (size_t i = 0; i < an; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			unsigned carry = (a[i] >> bit) & 1u;

			for (size_t k = mn + 1; k-- > 0;) {
				unsigned v = (unsigned)r[k] << 1 | carry;

				r[k] = (unsigned char)v;
				carry = v >> 8;
			}
			if (!bytes_at_least(r, mn + 1, m, mn))
				continue;
			carry = 0; /* the borrow */
			for (size_t k = mn + 1; k-- > 0;) {
				unsigned sub = (k >= 1 ? m[k - 1] : 0) + carry;

				carry = r[k] < sub;
				r[k] = (unsigned char)(r[k] - sub);
			}
		}
	}
}

/*
 * An RSA key's d mod (p - 1) and d mod (q - 1), the CRT exponents a file
 * that keeps d, p and q alone (OpenSSH's) leaves to the program, which
 * prints them with the rest (cryptography's dmp1 and dmq1); either
 * factors n with e, so they are as private as d.
 */
static void
add_rsa_crt(struct pattern_set *ps, uint32_t secret, const unsigned char *d,
            size_t dn, const unsigned char *const prime[2],
            const size_t primen[2])
{
	for (int i = 0; i < 2; i++) {
		size_t mn = primen[i];
		unsigned char *m, *r;

		/* an odd prime: p - 1 is p with its last bit cleared */
		if (mn == 0 || (prime[i][mn - 1] & 1u) == 0)
			continue;
		m = patterns_work_take(ps, 2 * mn + 1);
		r = m + mn;
		memcpy(m, prime[i], mn);
		m[mn - 1] &= 0xfe;
		bytes_mod(d, dn, m, mn, r);
		add_private_number(ps, secret, r, mn + 1);
		patterns_work_give(ps, m, 2 * mn + 1);
	}
}

#define OPENSSH_MAGIC "openssh-key-v1" /* and its NUL */

/*
 * The private numbers of an OpenSSH private key (ssh-keygen's format,
 * "BEGIN OPENSSH PRIVATE KEY"; b its body decoded, n bytes), unencrypted
 * and of one key, each a key's bytes, as the DER's are: Ed25519's seed
 * (and the seed with its public key, as the file keeps them), RSA's d,
 * iqmp, p and q, ECDSA's scalar. A program that loads it (Python's
 * cryptography load_ssh_private_key(), paramiko) prints them as it would
 * a PEM key's.
 */
static void
add_openssh_private(struct pattern_set *ps, uint32_t secret,
                    const unsigned char *b, size_t n)
{
	const unsigned char *s, *priv;
	size_t at = sizeof OPENSSH_MAGIC, sn, privn, k = 0;

	if (n < at || memcmp(b, OPENSSH_MAGIC, at) != 0 ||
	    !ssh_string(b, n, &at, &s, &sn) || !ssh_is(s, sn, "none") ||
	    !ssh_string(b, n, &at, &s, &sn) ||
	    !ssh_string(b, n, &at, &s, &sn) || n - at < 4 ||
	    memcmp(b + at, "\0\0\0\1", 4) != 0)
		return; /* encrypted, or not one key */
	at += 4;
	if (!ssh_string(b, n, &at, &s, &sn) ||
	    !ssh_string(b, n, &at, &priv, &privn) || privn < 8 ||
	    memcmp(priv, priv + 4, 4) != 0) /* the two check words */
		return;
	k = 8;
	if (!ssh_string(priv, privn, &k, &s, &sn))
		return;
	if (ssh_is(s, sn, "ssh-ed25519")) {
		/* the public key, then the seed and the public key */
		if (ssh_string(priv, privn, &k, &s, &sn) &&
		    ssh_string(priv, privn, &k, &s, &sn) &&
		    sn == KEY_ED25519_SECRET) {
			patterns_add_key_bytes(ps, secret, s, KEY_ED25519_SEED);
			patterns_add_key_bytes(ps, secret, s, sn);
		}
	} else if (ssh_is(s, sn, "ssh-rsa")) {
		/* n and e, then d, iqmp, p and q; dp and dq from them */
		const unsigned char *num[6];
		size_t numn[6];
		int i = 0;

		for (; i < 6 && ssh_string(priv, privn, &k, &num[i], &numn[i]);
		     i++)
			if (i >= 2)
				add_private_number(ps, secret, num[i], numn[i]);
		if (i == 6)
			add_rsa_crt(ps, secret, num[2], numn[2], num + 4,
			            numn + 4);
	} else if (sn > 11 && memcmp(s, "ecdsa-sha2-", 11) == 0) {
		/* the curve's name, the public point, then the scalar */
		if (ssh_string(priv, privn, &k, &s, &sn) &&
		    ssh_string(priv, privn, &k, &s, &sn) &&
		    ssh_string(priv, privn, &k, &s, &sn))
			add_private_number(ps, secret, s, sn);
	}
}

/*
 * Each PEM block in v (a private key as stored, or a JSON leaf's): its
 * base64 body decoded is the key's DER, which programs print in hex
 * (openssl's -text shows the key's numbers in colon-separated lines; a
 * hex dump of the DER file), so the DER is a binary part of its own.
 * Line breaks end the body's lines, as they are or escaped ("\n" in a
 * .env file or a JSON text); a block with headers (an encrypted legacy
 * key's Proc-Type:) decodes to nothing and is left alone.
 */
static void
add_pem_der(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
            size_t len)
{
	const unsigned char *at = v, *stop = v + len, *begin;

	while ((begin = memmem(at, (size_t)(stop - at), "-----BEGIN ", 11)) !=
	       NULL) {
		const unsigned char *body, *end;
		unsigned char *text, *der;
		size_t cap, n = 0;

		body = memmem(begin + 11, (size_t)(stop - begin - 11), "-----", 5);
		if (body == NULL)
			return;
		body += 5;
		end = memmem(body, (size_t)(stop - body), "-----END ", 9);
		if (end == NULL)
			return;
		cap = (size_t)(end - body);
		text = patterns_work_take(ps, cap);
		for (const unsigned char *p = body; p < end; p++) {
			if (*p == '\\' && p + 1 < end &&
			    (p[1] == 'n' || p[1] == 'r')) {
				p++;
				continue;
			}
			text[n++] = *p;
		}
		der = patterns_work_take(ps, cap);
		n = base64_decode(text, n, der);
		if (n >= DER_MIN) {
			patterns_add_binary(ps, secret, der, n);
			add_der_private(ps, secret, der, n, false);
			add_openssh_private(ps, secret, der, n);
		}
		patterns_work_give(ps, der, cap);
		patterns_work_give(ps, text, cap);
		at = end;
	}
}

static bool
is_parameter_name(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* The value of a credential-named parameter whose name starts at name:
 * up to the next &, ;, # or blank, or in libpq's keyword form
 * (password='two words') between single quotes. */
static void
add_parameter(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len, size_t name, unsigned depth)
{
	size_t eq, end, from;
	char key[64];

	for (eq = name; eq < len && is_parameter_name(v[eq]); eq++)
		;
	if (eq == name || eq >= len || v[eq] != '=' || eq - name >= sizeof(key))
		return;
	memcpy(key, v + name, eq - name);
	key[eq - name] = '\0';
	if (!credential_key(key))
		return;
	from = eq + 1;
	if (from < len && v[from] == '\'') {
		const unsigned char *q =
		    memchr(v + from + 1, '\'', len - from - 1);

		if (q != NULL)
			patterns_add_derived(ps, secret, v + from + 1,
			                     (size_t)(q - v) - from - 1,
			                     depth + 1);
		return;
	}
	for (end = from;
	     end < len && !strchr("&;#", v[end]) && !isspace(v[end]); end++)
		;
	patterns_add_derived(ps, secret, v + from, end - from, depth + 1);
}

void
parts_add_parameters(struct pattern_set *ps, uint32_t secret,
                     const unsigned char *v, size_t len, unsigned depth)
{
	/* after ? & ; (a URL's query, a JDBC or ODBC string), and after a
	 * blank or at the start (libpq's "host=db user=app password=...") */
	for (size_t i = 0; i < len; i++)
		if (i == 0 && is_parameter_name(v[0]))
			add_parameter(ps, secret, v, len, 0, depth);
		else if (v[i] == '?' || v[i] == '&' || v[i] == ';' ||
		         v[i] == ' ' || v[i] == '\t')
			add_parameter(ps, secret, v, len, i + 1, depth);
}

void
parts_add(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
          size_t len, unsigned depth)
{
	/* "..." or '...' around a value, as dashboards and .env writers
	 * keep them: the value within is what the program uses. */
	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0] &&
	    memchr(v + 1, v[0], len - 2) == NULL)
		patterns_add_derived(ps, secret, v + 1, len - 2, depth + 1);
	parts_add_parameters(ps, secret, v, len, depth);
	add_json_parts(ps, secret, v, len, depth);
	add_base64_part(ps, secret, v, len, depth);
	add_hex_part(ps, secret, v, len, depth);
	add_base32_part(ps, secret, v, len, depth);
	add_base58_part(ps, secret, v, len);
	add_uuid_part(ps, secret, v, len);
	add_pem_der(ps, secret, v, len);
}
