/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the dump views (views.c) in front of a masker that
 * masks nothing, so what comes out is the views' own work. Input layout:
 *   [chunk seed] [value length] [value bytes...] then the stream
 * (a length byte of 128 or more: the value's encoded forms too, and
 * runs of base64 text decoded).
 * Checked: the output differs from the input only by '*' and ' ' (a
 * masked cell), but that a list line may lose blanks and have a number
 * become one '*' (the same lines, each the same once blanks are dropped
 * and runs of digits and stars read as one, a minus sign, quoted hex
 * letters, a quoted character alone, a bare hex item's letters and gdb's
 * quoted character after a number with them), or that
 * a bytes literal's cells (a character, or an escape: \xhh, \n) and a
 * spaced line's characters (UTF-8 ones too) may each become one '*'; the
 * same output whatever
 * the chunking (a line whole, or byte by byte, or any cut).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "redact/engine.h"
#include "redact/views.h"
#include "redact_reference.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (sodium_init() < 0)
		abort();
	return 0;
}

/* The stream through views and a pass-through masker, cut as seed says
 * (0: in one piece). */
static void
run(const struct views *v, const uint8_t *data, size_t size, uint32_t seed,
    struct ref_out *out)
{
	struct pattern_set *none = patterns_new(6, false);
	struct automaton *a = automaton_build(none);
	struct masker *m = masker_new(a, none, FORMAT_DEFAULT, ref_sink, out);
	struct view_stream *st = view_stream_new(v, m);
	uint32_t rng = seed;
	size_t at = 0;

	while (at < size) {
		size_t chunk = size - at;

		if (seed != 0) {
			rng ^= rng << 13;
			rng ^= rng >> 17;
			rng ^= rng << 5;
			chunk = (rng & 3) == 0 ? 1 : 1 + rng % (size - at);
		}
		view_stream_feed(st, data + at, chunk);
		at += chunk;
	}
	view_stream_finish(st);
	masker_finish(m);
	view_stream_free(st);
	masker_free(m);
	automaton_free(a);
	patterns_free(none);
}

/* The end of gdb's quoted character at s + i ('k', '\303', '\''),
 * past its closing quote, or 0. */
static size_t
gdb_char_end(const unsigned char *s, size_t len, size_t i)
{
	size_t k = i + 1;

	if (k < len && s[k] == '\\')
		k += k + 1 < len && s[k + 1] >= '0' && s[k + 1] <= '7' ? 4 : 2;
	else
		k++;
	return k < len && s[k] == '\'' ? k + 1 : 0;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool
is_hex_char(unsigned char c)
{
	return (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Whether the letter at s + i is a bare hex item's (6b, 5f, a: one or
 * two hex digits between no letters or digits). */
static bool
bare_hex_letter(const unsigned char *s, size_t len, size_t i)
{
	size_t from = i, to = i;

	while (from > 0 && is_alnum(s[from - 1]))
		from--;
	while (to < len && is_alnum(s[to]))
		to++;
	for (size_t k = from; k < to; k++)
		if (!is_hex_char(s[k]))
			return false;
	return to - from <= 2;
}

/* A line with blanks dropped and each run of digits and stars as one
 * '#' (a list's masked number: with its minus sign, hex letters within
 * quotes, '6b', or of a bare item, 6b, and the quoted character after a
 * number, gdb's p/c "107 'k'"), into out; its length. */
static size_t
shape(const unsigned char *s, size_t len, unsigned char *out)
{
	size_t n = 0, end;
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		bool digit = s[i] >= '0' && s[i] <= '9';

		if (s[i] == '\'' && !quoted && n > 0 && out[n - 1] == '#' &&
		    i > 0 && s[i - 1] == ' ' &&
		    (end = gdb_char_end(s, len, i)) != 0) {
			i = end - 1;
			continue;
		}
		/* a quoted character, a list of characters' item ("T", '1'):
		 * a cell a star may take, between an item's neighbours ("[",
		 * "(", ",", a blank or the line's start before it, what
		 * closes or parts items after it), whatever quotes came
		 * before (a list after text: "["n", "R"]) */
		if ((s[i] == '\'' || s[i] == '"') && i + 2 < len &&
		    s[i + 2] == s[i] && s[i + 1] != s[i] && s[i + 1] != '\\' &&
		    (i == 0 ||
		     (s[i - 1] != 0 && strchr("[(, ", s[i - 1]) != NULL)) &&
		    (i + 3 == len || (s[i + 3] != 0 &&
		                      strchr(",]}) \r\n", s[i + 3]) != NULL))) {
			out[n++] = s[i];
			out[n++] = '#';
			out[n++] = s[i];
			i += 2;
			continue;
		}
		bool run =
		    digit || s[i] == '*' ||
		    (quoted && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f') ||
		    (!quoted && !digit && is_hex_char(s[i]) &&
		     bare_hex_letter(s, len, i)) ||
		    (s[i] == '-' && i + 1 < len && s[i + 1] >= '0' &&
		     s[i + 1] <= '9');

		if (s[i] == '\'' || s[i] == '"')
			quoted = !quoted;

		if (s[i] == ' ')
			continue;
		if (run && n > 0 && out[n - 1] == '#')
			continue;
		out[n++] = run ? '#' : s[i];
	}
	return n;
}

/* The end of the cell at s + i: an escape (\xhh, or a backslash and a
 * character), a UTF-8 character (a spaced line's, one star masked) or
 * one byte. */
static size_t
cell_end(const unsigned char *s, size_t len, size_t i)
{
	if (s[i] >= 0xc0) {
		size_t n = s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;

		return n <= len - i ? i + n : i + 1;
	}
	if (s[i] != '\\' || i + 1 == len)
		return i + 1;
	if (s[i + 1] == 'x' && len - i >= 4)
		return i + 4;
	return i + 2;
}

/* Whether out is in with some of its cells become one '*' each (a
 * bytes literal's masked bytes). */
static bool
same_cells(const unsigned char *in, size_t la, const unsigned char *out,
           size_t lb)
{
	size_t i = 0, o = 0;

	while (i < la && o < lb) {
		size_t e = cell_end(in, la, i);

		if (out[o] == '*') {
			o++;
		} else if (e - i <= lb - o && memcmp(in + i, out + o, e - i) == 0) {
			o += e - i;
		} else {
			return false;
		}
		i = e;
	}
	return i == la && o == lb;
}

/* Line by line: the same length and only stars and blanks changed, or
 * (a list line) the same shape, or (a bytes literal) the same cells. */
static void
same_lines(const unsigned char *in, size_t in_len, const unsigned char *out,
           size_t out_len)
{
	size_t i = 0, o = 0;

	while (i < in_len || o < out_len) {
		const unsigned char *a = memchr(in + i, '\n', in_len - i);
		const unsigned char *b = memchr(out + o, '\n', out_len - o);
		size_t la = a != NULL ? (size_t)(a - in) + 1 - i : in_len - i;
		size_t lb = b != NULL ? (size_t)(b - out) + 1 - o : out_len - o;
		bool same = la == lb;

		for (size_t k = 0; same && k < la; k++)
			same = in[i + k] == out[o + k] || out[o + k] == '*' ||
			       out[o + k] == ' ';
		if (!same) {
			unsigned char *x = malloc(la + 1), *y = malloc(lb + 1);
			size_t nx = shape(in + i, la, x),
			       ny = shape(out + o, lb, y);

			same = (nx == ny && memcmp(x, y, nx) == 0) ||
			       same_cells(in + i, la, out + o, lb);
			free(x);
			free(y);
		}
		if (!same) {
			fprintf(stderr, "views: line at byte %zu changed\n", i);
			abort();
		}
		i += la;
		o += lb;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ref_out whole = {0}, cut = {0};
	struct pattern_set *ps;
	struct automaton *a;
	struct views *v;
	struct short_report r;
	size_t n;

	if (size < 2)
		return 0;
	n = 6 + data[1] % 40;
	if (size < 2 + n)
		return 0;
	/* the value's encoded forms, and base64 runs decoded, when the
	 * length byte's high bit is set */
	ps = patterns_new(6, data[1] >= 128);
	v = views_new(ps);
	patterns_add_value(ps, "S", data + 2, n, &r);
	views_add_value(v, "S", data + 2, n);
	a = automaton_build(ps);
	views_build(v, a);
	run(v, data + 2 + n, size - 2 - n, 0, &whole);
	run(v, data + 2 + n, size - 2 - n, 0x9E3779B9u * (data[0] + 1u), &cut);
	if (cut.len != whole.len ||
	    (whole.len > 0 && memcmp(whole.buf, cut.buf, whole.len) != 0)) {
		fprintf(stderr, "views: output depends on the chunking\n");
		abort();
	}
	same_lines(data + 2 + n, size - 2 - n, whole.buf, whole.len);
	views_free(v);
	automaton_free(a);
	patterns_free(ps);
	free(whole.buf);
	free(cut.buf);
	return 0;
}
