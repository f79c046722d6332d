/* SPDX-License-Identifier: ISC */
/* Inside redact's pattern building: the forms of one secret part
 * (forms.c), its pieces (pieces.c) and the parts a value holds
 * (forms_parts.c). */
#ifndef REDACT_FORMS_H
#define REDACT_FORMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* Bytes of scratch the forms of a len-byte part may need. */
#define FORMS_SCRATCH(len) (24 * (size_t)(len) + 64)

/* A key's bytes up to this many are a number too (an RSA-4096 key's d),
 * in decimal from this many digits on (a 10-byte key's 24 or 25). */
#define KEY_NUMBER_MAX 512
#define KEY_NUMBER_DIGITS 24
/* An Ed25519 private key's seed, and the seed with its public key. */
#define KEY_ED25519_SEED 32
#define KEY_ED25519_SECRET 64
/* Room for the decimal digits of a len-byte number (8 bits are fewer
 * than 2.41 digits); forms_decimal's work follows them. */
#define FORMS_DECIMAL_DIGITS(len) (3 * (size_t)(len) + 8)
/* Bitcoin's base58 digits (no 0, O, I or l). */
extern const char forms_base58_alphabet[];
/* v, len bytes, as one unsigned big-endian number in decimal into out
 * (FORMS_DECIMAL_DIGITS(len) + len bytes of secure memory): the digits'
 * count (a zero's one). */
size_t forms_decimal(const unsigned char *v, size_t len, unsigned char *out);

/* A part's hex in the ways programs print binary: plain and with colons
 * in both cases, with blanks in lower case, with dashes in upper case
 * (out: FORMS_SCRATCH(len) bytes). */
void forms_add_hex(struct pattern_set *ps, uint32_t secret,
                   const unsigned char *v, size_t len, unsigned char *out);

/*
 * Every encoded and escaped form of the secret part v (not v itself),
 * each as a pattern masked whole; out is FORMS_SCRATCH(len) bytes of
 * secure memory. pieces: whether v's literals may give pieces too (not
 * for a line of JSON text or of a URL, whose pieces are not secret).
 */
void forms_add_encodings(struct pattern_set *ps, uint32_t secret,
                         const unsigned char *v, size_t len, unsigned char *out,
                         bool pieces);

/*
 * A key's DER (patterns_add_binary) by any PIECE_MIN characters of the
 * base64 another format of the same key carries its bytes in, as its
 * PEM body's lines are: at the two alignments that body does not have
 * (PKCS#1 inside PKCS#8, OpenSSH's private key blob), and URL-safe at
 * all three (a JWK's d, p, q...).
 */
void forms_add_der_pieces(struct pattern_set *ps, uint32_t secret,
                          const unsigned char *v, size_t len,
                          unsigned char *out);

/* An encoded form s (n bytes) whole, then its windows as a binary
 * part's (pieces_add_binary: every PIECE_MIN bytes, when n is
 * PIECE_PART_MIN or more), their bytes found in the whole's. */
void patterns_add_windows(struct pattern_set *ps, uint32_t secret,
                          const unsigned char *s, size_t n);

/* A key's bytes (patterns_add_key_bytes) in the forms programs print
 * bytes in: base64 and base32, hex in each style, Node's Buffer, lists of
 * byte values, and the literals that escape a byte (repr() of bytes,
 * printf %q, strace); none of the forms of text (JSON, XML, shell
 * quoting, percent-encoding...), which print no key's bytes. */
void forms_add_key_bytes(struct pattern_set *ps, uint32_t secret,
                         const unsigned char *v, size_t len,
                         unsigned char *out);

/* A private number's bytes (an RSA key's d, p, q...) in the forms
 * programs print a number in: its hex in either case, with and without
 * its leading zeros, and its decimal (out: FORMS_SCRATCH(len) bytes). */
void forms_add_number(struct pattern_set *ps, uint32_t secret,
                      const unsigned char *v, size_t len, unsigned char *out);

/*
 * Every PIECE_MIN bytes of each line of p from its byte `from` on, each
 * a pattern: of the line without the blanks around it, when that is
 * PIECE_PART_MIN bytes or more and not PEM armour. no_quotes: only
 * the windows that hold no quote character (', ", `).
 */
void pieces_add_lines(struct pattern_set *ps, uint32_t secret,
                      const unsigned char *p, size_t len, size_t from,
                      bool no_quotes);

/* Whether a part's encoded forms give pieces (pieces.c, beside
 * pieces_add's rule, which it shares): not JSON text, whose leaves are
 * parts of their own, and not a URL, whose scheme and host say where,
 * not what. */
bool forms_gives_pieces(const unsigned char *v, size_t len);

/* The row of Node's util.inspect of v's bytes (an array of more than
 * six numbers) where v's kept type prefix ends, a pattern
 * (forms_node.c). out: scratch. */
void forms_add_node_rows(struct pattern_set *ps, uint32_t secret,
                         const unsigned char *v, size_t len,
                         unsigned char *out);

/* Whether cp lies in one of count sorted, disjoint ranges [lo, hi]:
 * the generated tables' lookup. */
bool forms_in_ranges(const unsigned (*ranges)[2], size_t count, unsigned cp);

/* Whether Python's repr() of a str escapes code point cp
 * (forms_printable.c, generated). */
bool forms_python_escapes(unsigned cp);

/* Whether glibc's iswprint() in C.UTF-8 rejects code point cp: gdb
 * writes its bytes in octal (forms_printable.c, generated). */
bool forms_glibc_escapes(unsigned cp);

/* Whether Perl's quotemeta of a character string puts a backslash
 * before code point cp past ASCII (forms_quotemeta.c, generated). */
bool forms_perl_quotes(unsigned cp);

/* HTML 4.01's name for code point cp, NULL when it has none
 * (forms_entities.c, generated). */
const char *forms_entity_name(unsigned cp);

/* The longest kept type prefix s starts with (more must follow it). */
uint32_t forms_prefix_of(const unsigned char *s, size_t len);
/* Its length: the bytes of s a pattern keeps, 0 for none. */
size_t forms_prefix_length(const unsigned char *s, size_t len);

/* How many derivations deep a part may be (a value is depth 0). */
#define PARTS_DEPTH_MAX 3

/*
 * A piece of a value that is a value in its own right (a JSON leaf, a
 * decoding, a URL's password or credential parameter, the value
 * without its quotes): added with everything a value gets, in
 * patterns.c.
 */
void patterns_add_derived(struct pattern_set *ps, uint32_t secret,
                          const unsigned char *v, size_t len, unsigned depth);

/*
 * A binary part (the DER inside a PEM block): its raw bytes, its hex
 * (forms_add_hex) and pieces, and no more parts inside it: programs
 * print binary in hex, and its base64 is the PEM body already. An ESC
 * byte in it is a byte like any other (its dump shows it).
 */
void patterns_add_binary(struct pattern_set *ps, uint32_t secret,
                         const unsigned char *v, size_t len);

/*
 * A key's bytes (a key kept in base64 or hex, which a program decodes and
 * prints as bytes: repr(), a Buffer, hex, a list, base64 again, a dump):
 * raw, by its pieces across line breaks, and in the forms of
 * forms_add_key_bytes(). An escape sequence in it is dropped from its
 * patterns as from a value's: the stream's masker reads ESC as the start
 * of noise, and a pattern that held one would be matched or not
 * depending on the automaton's shape.
 */
void patterns_add_key_bytes(struct pattern_set *ps, uint32_t secret,
                            const unsigned char *v, size_t len);

/* A key's bytes too few to be a pattern raw (an authenticator's seed of
 * 10 bytes): only in the forms of forms_add_key_bytes(), each longer. */
void patterns_add_short_key(struct pattern_set *ps, uint32_t secret,
                            const unsigned char *v, size_t len);

/* A private number too long to be printed as bytes (an RSA key's d, p,
 * q, ...: inside a DER part already, raw), in the forms of
 * forms_add_number() alone. */
void patterns_add_key_number(struct pattern_set *ps, uint32_t secret,
                             const unsigned char *v, size_t len);

/*
 * The parts inside v that are secret on their own: quoted value
 * without its quotes, JSON leaves that may be secret, base64 or hex that
 * decodes to text, credential-named URL parameters. Each goes to
 * patterns_add_derived() at depth + 1. Base64, hex or base32 that decodes
 * to a key's bytes goes to patterns_add_key_bytes(), the DER of each PEM
 * block to patterns_add_binary().
 */
void parts_add(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
               size_t len, unsigned depth);

/* The credential-named query parameters of v (password=, token=,
 * ;password= in a JDBC URL): each value as a part. */
void parts_add_parameters(struct pattern_set *ps, uint32_t secret,
                          const unsigned char *v, size_t len, unsigned depth);

#endif
