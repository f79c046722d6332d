/* SPDX-License-Identifier: ISC */
/*
 * The reference masker: the whole input at once, every pattern tried at
 * every offset, intervals sorted and merged. Slow and obviously right;
 * the streaming masker must produce the same bytes.
 */
#ifndef REDACT_REFERENCE_H
#define REDACT_REFERENCE_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "redact/engine.h"

struct ref_interval {
	size_t start, end;
	uint32_t secret, pattern;
};

struct ref_out {
	unsigned char *buf;
	size_t len, cap;
};

static void
ref_sink(void *ctx, const unsigned char *p, size_t n)
{
	struct ref_out *o = ctx;

	if (n == 0)
		return;
	if (o->len + n > o->cap) {
		o->cap = 2 * (o->len + n) + 64;
		o->buf = realloc(o->buf, o->cap);
		if (o->buf == NULL)
			abort();
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static int
ref_compare(const void *x, const void *y)
{
	const struct ref_interval *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->secret != b->secret)
		return a->secret < b->secret ? -1 : 1;
	if (a->pattern != b->pattern)
		return a->pattern < b->pattern ? -1 : 1;
	return 0;
}

static void
ref_add(struct ref_interval **iv, size_t *n, size_t *cap,
        struct ref_interval add)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*iv = realloc(*iv, *cap * sizeof(**iv));
		if (*iv == NULL)
			abort();
	}
	(*iv)[(*n)++] = add;
}

/* --detect: each prefix occurrence and the body bytes after it. */
static void
ref_detect(const struct pattern_set *ps, const unsigned char *in, size_t len,
           struct ref_interval **iv, size_t *n, size_t *cap)
{
	size_t count;
	const struct detect_entry *e = detect_entries(&count);

	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k < count; k++) {
			size_t plen = strlen(e[k].prefix), body = 0;

			if (len - i < plen || memcmp(in + i, e[k].prefix, plen))
				continue;
			while (i + plen + body < len && body < e[k].max &&
			       detect_body(&e[k], in[i + plen + body]))
				body++;
			if (body >= e[k].min)
				ref_add(iv, n, cap,
				        (struct ref_interval){
				            i, i + plen + body,
				            detect_name(ps, &e[k]),
				            (uint32_t)(ps->count + k)});
		}
	}
}

static const char *
ref_prefix(const struct pattern_set *ps, uint32_t pattern)
{
	size_t count;
	const struct detect_entry *e = detect_entries(&count);

	if (pattern < ps->count)
		return patterns_prefix(ps->items[pattern].prefix);
	e += pattern - ps->count;
	return e->keep_prefix ? e->prefix : "";
}

/*
 * The input as the masker reads it: which bytes are pattern bytes
 * (plain), where each plain byte is, and whether the gap before it is
 * short enough (SEPARATOR_MAX line breaks, NOISE_GAP_MAX bytes of
 * escape sequences, INDENT_MAX blanks of a line's indent) for a match
 * to go on across it.
 */
struct ref_text {
	size_t *plain, count; /* positions of the plain bytes */
	unsigned char *joined; /* 1: the gap before plain[j] is short */
};

static int
ref_gap_ok(const unsigned char *in, const unsigned char *cls, size_t from,
           size_t to)
{
	size_t breaks = 0, noise = 0, indent = 0;

	for (size_t i = from; i < to; i++) {
		if (cls[i] == BYTE_BREAK)
			breaks++;
		else if (cls[i] == BYTE_INDENT)
			indent++;
		else if (cls[i] == BYTE_NOISE)
			noise++;
		/* a line's trailing blanks: TRAIL_MAX at most, by what
		 * they are */
	}
	(void)in;
	return breaks <= SEPARATOR_MAX && noise <= NOISE_GAP_MAX &&
	       indent <= INDENT_MAX;
}

static void
ref_read(const unsigned char *in, size_t len, unsigned char *cls,
         struct ref_text *t)
{
	struct noise_reader r = {0};

	t->plain = malloc((len + 1) * sizeof(*t->plain));
	t->joined = malloc(len + 1);
	if (t->plain == NULL || t->joined == NULL)
		abort();
	t->count = 0;
	for (size_t i = 0; i < len; i++)
		cls[i] = (unsigned char)noise_read_at(&r, in + i, len - i);
	/* A run of plain blanks, escape sequences and border glyphs among
	 * them, that a CR or LF ends within TRAIL_MAX bytes of its first
	 * blank, two blanks or more (a glyph counts as two): a line's
	 * trailing blanks (the input's end is no break). */
	for (size_t i = 0; i < len;) {
		size_t j = i, blanks = 0;

		if (cls[i] != BYTE_PLAIN || !is_blank(in[i])) {
			i++;
			continue;
		}
		for (;;) {
			if (j < len && cls[j] == BYTE_NOISE) {
				j++;
			} else if (j < len && cls[j] == BYTE_PLAIN &&
			           is_blank(in[j])) {
				blanks++;
				j++;
			} else if (j < len && cls[j] == BYTE_PLAIN &&
			           in[j] == '|') {
				blanks += 2;
				j++;
			} else if (len - j >= 3 && cls[j] == BYTE_PLAIN &&
			           cls[j + 1] == BYTE_PLAIN &&
			           cls[j + 2] == BYTE_PLAIN &&
			           is_box_glyph(in + j, 3)) {
				blanks += 2;
				j += 3;
			} else {
				break;
			}
		}
		if (j < len && cls[j] == BYTE_BREAK && j - i <= TRAIL_MAX &&
		    blanks >= 2)
			for (size_t k = i; k < j; k++)
				if (cls[k] == BYTE_PLAIN)
					cls[k] = BYTE_TRAIL;
		i = j;
	}
	/* A fold's mark: '=' or '\\' right before a CR or LF, at its
	 * column (bytes since the last CR or LF, or the input's start). */
	for (size_t i = 0, line = 0; i < len; i++) {
		if (in[i] == '\r' || in[i] == '\n')
			line = i + 1;
		else if (cls[i] == BYTE_PLAIN && is_soft_mark(in[i]) &&
		         i + 1 < len &&
		         (in[i + 1] == '\r' || in[i + 1] == '\n') &&
		         soft_column(in[i], i - line + 1))
			cls[i] = BYTE_TRAIL;
	}
	for (size_t i = 0; i < len; i++) {
		if (cls[i] != BYTE_PLAIN)
			continue;
		t->joined[t->count] =
		    t->count > 0 &&
		    ref_gap_ok(in, cls, t->plain[t->count - 1] + 1, i);
		t->plain[t->count++] = i;
	}
}

static void
ref_text_free(struct ref_text *t)
{
	free(t->plain);
	free(t->joined);
}

/* The masked bytes [add.start, add.end) of a match of ps that spans
 * [first, last), cut at each LF into one interval a line (a CR before
 * the LF in none, nor the next line's indent), less the lines by whose
 * end the match has fewer than LINE_HELD_MIN plain bytes, and less the
 * first line of a pattern that begins with PEM armour. */
static void
ref_add_lines(struct ref_interval **iv, size_t *n, size_t *cap,
              const struct pattern_set *ps, const unsigned char *in,
              const unsigned char *cls, size_t first, size_t last,
              struct ref_interval add)
{
	const struct pattern *p = &ps->items[add.pattern];
	size_t seg = add.start, read = 0, trail = SIZE_MAX;
	int armoured =
	    p->len >= 5 && memcmp(pattern_bytes(ps, p), "-----", 5) == 0;

	for (size_t at = first; at < last && seg < add.end; at++) {
		size_t to = at < add.end ? at : add.end;

		read += cls[at] == BYTE_PLAIN;
		if (cls[at] == BYTE_INDENT && seg <= at)
			seg = at + 1;
		if (in[at] != '\n')
			continue;
		/* a line's part ends before its trailing blanks */
		for (size_t b = at;
		     to == at && b > seg &&
		     (in[b - 1] == '\r' || cls[b - 1] == BYTE_TRAIL ||
		      cls[b - 1] == BYTE_NOISE);
		     b--)
			if (cls[b - 1] == BYTE_TRAIL)
				trail = b - 1;
		if (trail < at)
			to = trail > seg ? trail : seg;
		trail = SIZE_MAX;
		while (to == at && to > seg && in[to - 1] == '\r')
			to--;
		if (to > seg && read >= LINE_HELD_MIN && !armoured)
			ref_add(iv, n, cap,
			        (struct ref_interval){seg, to, add.secret,
			                              add.pattern});
		armoured = 0;
		if (seg < at + 1)
			seg = at + 1;
	}
	if (add.end > seg)
		ref_add(iv, n, cap,
		        (struct ref_interval){seg, add.end, add.secret,
		                              add.pattern});
}

/*
 * Pattern k's matches that end on a fold's mark, read as its last byte
 * (a gap the match goes on over): its other bytes the plain bytes from
 * a to y - 1 (none for a pattern of one byte), the mark after them and
 * before plain byte y, the gap up to it short enough.
 */
static void
ref_mark_ends(const struct pattern_set *ps, const unsigned char *in, size_t len,
              const unsigned char *cls, const struct ref_text *t, size_t k,
              size_t a, size_t y, struct ref_interval **iv, size_t *n,
              size_t *cap)
{
	const struct pattern *pat = &ps->items[k];
	unsigned char last = pattern_bytes(ps, pat)[pat->len - 1];
	size_t from = pat->len > 1 ? t->plain[y - 1] + 1 : 0;
	size_t to = pat->len > 1 && y < t->count ? t->plain[y] : len;

	for (size_t x = from; x < to; x++) {
		size_t lo = pat->mask_lo, hi = pat->mask_hi;

		if (in[x] != last || cls[x] != BYTE_TRAIL ||
		    (pat->len > 1 && !ref_gap_ok(in, cls, from, x)))
			continue;
		ref_add_lines(
		    iv, n, cap, ps, in, cls, pat->len > 1 ? t->plain[a] : x,
		    x + 1,
		    (struct ref_interval){
		        lo + 1 < pat->len ? t->plain[a + lo] : x,
		        (hi < pat->len ? t->plain[a + hi - 1] : x) + 1,
		        pat->secret, (uint32_t)k});
	}
}

/* The longest pattern prefix ending at each plain byte, and the
 * lowest-numbered pattern with it: the automaton's state there. */
struct ref_state {
	size_t depth;
	uint32_t first;
};

static void
ref_matches(const struct pattern_set *ps, const unsigned char *in, size_t len,
            const unsigned char *cls, const struct ref_text *t,
            struct ref_state *st, struct ref_interval **iv, size_t *n,
            size_t *cap)
{
	/* patterns of one byte on a fold's mark */
	for (size_t k = 0; k < ps->count; k++)
		if (ps->items[k].len == 1 &&
		    is_soft_mark(pattern_bytes(ps, &ps->items[k])[0]))
			ref_mark_ends(ps, in, len, cls, t, k, 0, 0, iv, n, cap);
	for (size_t a = 0; a < t->count; a++) {
		for (size_t k = 0; k < ps->count; k++) {
			const struct pattern *pat = &ps->items[k];
			const unsigned char *p = pattern_bytes(ps, pat);
			size_t m = 0;

			while (m < pat->len && a + m < t->count &&
			       (m == 0 || t->joined[a + m]) &&
			       in[t->plain[a + m]] == p[m]) {
				struct ref_state *s = &st[a + m];

				m++;
				if (m > s->depth ||
				    (m == s->depth && k < s->first)) {
					s->depth = m;
					s->first = (uint32_t)k;
				}
			}
			/* (its last byte may be a fold's mark after them, and
			 * the next plain byte too) */
			if (m + 1 >= pat->len && pat->len > 1 &&
			    is_soft_mark(p[pat->len - 1]))
				ref_mark_ends(ps, in, len, cls, t, k, a,
				              a + pat->len - 1, iv, n, cap);
			if (m < pat->len)
				continue;
			ref_add_lines(iv, n, cap, ps, in, cls, t->plain[a],
			              t->plain[a + m - 1] + 1,
			              (struct ref_interval){
			                  t->plain[a + pat->mask_lo],
			                  t->plain[a + pat->mask_hi - 1] + 1,
			                  pat->secret, (uint32_t)k});
		}
	}
}

/* The masked part of the partial match held at plain byte y - 1 (its
 * state st[y - 1]), cut at line ends as a match is, when it masks
 * PIECE_MIN characters or more. */
static void
ref_piece(const struct pattern_set *ps, const unsigned char *in,
          const unsigned char *cls, const struct ref_text *t,
          const struct ref_state *st, size_t y, size_t min,
          struct ref_interval **iv, size_t *n, size_t *cap)
{
	const struct pattern *p = &ps->items[st[y - 1].first];
	size_t d = st[y - 1].depth, lo = p->mask_lo, at = y - d;
	size_t hi = p->mask_hi < d ? p->mask_hi : d;

	if (hi <= lo || hi - lo < min ||
	    (p->len >= 5 && memcmp(pattern_bytes(ps, p), "-----", 5) == 0))
		return;
	ref_add_lines(
	    iv, n, cap, ps, in, cls, t->plain[at], t->plain[y - 1] + 1,
	    (struct ref_interval){t->plain[at + lo], t->plain[at + hi - 1] + 1,
	                          p->secret, st[y - 1].first});
}

/* At each LF with a partial match held: its masked part on that line,
 * when the partial match masks PIECE_MIN characters or more. */
static void
ref_line_pieces(const struct pattern_set *ps, const unsigned char *in,
                size_t len, const unsigned char *cls,
                const struct ref_text *t, const struct ref_state *st,
                struct ref_interval **iv, size_t *n, size_t *cap)
{
	size_t y = 0; /* plain bytes before the LF */

	for (size_t x = 0; x < len; x++) {
		while (y < t->count && t->plain[y] < x)
			y++;
		if (in[x] != '\n' || y == 0 || st[y - 1].depth == 0 ||
		    !ref_gap_ok(in, cls, t->plain[y - 1] + 1, x))
			continue;
		ref_piece(ps, in, cls, t, st, y, PIECE_MIN, iv, n, cap);
	}
}

/* The characters in[from, to) spells as a string literal's body: an
 * escape one (\\x41 \\u00e9 \\U0001f600 \\101 \\" %41 &#233; &amp;),
 * any other byte one. */
static size_t
ref_units(const unsigned char *in, size_t from, size_t to)
{
	size_t units = 0;

	while (from < to) {
		unsigned char c = in[from], e = from + 1 < to ? in[from + 1] : 0;
		size_t skip = 1;

		if (from + 1 < to && c == '\\')
			skip = e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10
			       : e >= '0' && e <= '7' ? 4 : 2;
		else if (from + 1 < to && c == '%' && isxdigit(e))
			skip = 3;
		else if (from + 1 < to && c == '&')
			for (size_t k = 3; k <= 10 && from + k <= to; k++)
				if (in[from + k - 1] == ';') {
					skip = k;
					break;
				}
		from += skip;
		units++;
	}
	return units;
}

/* Whether the partial match held at plain byte y - 1 spells PIECE_MIN
 * characters of its masked part or more on its last line (ref_units). */
static int
ref_spells_piece(const struct pattern_set *ps, const unsigned char *in,
                 const struct ref_text *t, const struct ref_state *st,
                 size_t y)
{
	const struct pattern *p;
	size_t d = st[y - 1].depth, lo, at = y - d, hi, from, to;

	if (d < PIECE_MIN)
		return 0;
	p = &ps->items[st[y - 1].first];
	lo = p->mask_lo;
	hi = p->mask_hi < d ? p->mask_hi : d;
	if (hi < lo + PIECE_MIN)
		return 0;
	from = t->plain[at + lo];
	to = t->plain[at + hi - 1] + 1;
	/* on the quote's line */
	for (size_t k = to; k > from; k--)
		if (in[k - 1] == '\n') {
			from = k;
			break;
		}
	return ref_units(in, from, to) >= PIECE_MIN;
}

/* At each quote (double, single or back) that does not go on with the
 * partial match before it (a string strace or a test's code cut): its
 * masked part, when the partial match holds CUT_MIN characters or more,
 * or spells PIECE_MIN (ref_spells_piece); at each '.', E2, tab, or
 * blank before a border, diff -y's gutter or a '.' or E2 (a cut mark),
 * when it holds CUT_MARK_MIN, however short its masked part. */
static void
ref_quote_pieces(const struct pattern_set *ps, const unsigned char *in,
                 size_t len, const unsigned char *cls, const struct ref_text *t,
                 const struct ref_state *st, struct ref_interval **iv,
                 size_t *n, size_t *cap)
{
	for (size_t q = 1; q < t->count; q++) {
		size_t d = st[q - 1].depth;

		unsigned char c = in[t->plain[q]];
		int quote =
		        (c == '"' || c == '\'' || c == '`') &&
		        (d >= CUT_MIN || ref_spells_piece(ps, in, t, st, q)),
		    mark = (c == '.' || c == 0xe2 || c == '\t' ||
		            (is_blank(c) &&
		             (border_follows(in + t->plain[q] + 1, in + len) ||
		              cut_mark_follows(in + t->plain[q] + 1,
		                               in + len)))) &&
		           d >= CUT_MARK_MIN;

		if ((!quote && !mark) || st[q].depth == d + 1 ||
		    !ref_gap_ok(in, cls, t->plain[q - 1] + 1, t->plain[q]))
			continue;
		ref_piece(ps, in, cls, t, st, q, quote ? PIECE_MIN : 1, iv, n,
		          cap);
	}
}

/* A mask's escape sequences, read from its start as the masker does. */
static void
ref_noise(struct ref_out *out, const unsigned char *in, size_t from,
          size_t to)
{
	struct noise_reader r = {0};

	for (size_t i = from; i < to; i++)
		if (noise_read(&r, in[i]) == BYTE_NOISE)
			ref_sink(out, in + i, 1);
}

/* Mask in[0..len) with every pattern of ps; counts per name optional. */
static void
ref_mask(const struct pattern_set *ps, const char *format,
         const unsigned char *in, size_t len, struct ref_out *out,
         uint64_t *counts)
{
	struct ref_interval *iv = NULL;
	size_t n = 0, cap = 0, at = 0;
	unsigned char *cls = malloc(len + 1);
	struct ref_text t;
	struct ref_state *st;

	if (cls == NULL)
		abort();
	ref_read(in, len, cls, &t);
	st = calloc(t.count + 1, sizeof(*st));
	if (st == NULL)
		abort();
	ref_matches(ps, in, len, cls, &t, st, &iv, &n, &cap);
	ref_line_pieces(ps, in, len, cls, &t, st, &iv, &n, &cap);
	/* the input's end with a partial match held: the input cut there,
	 * as at an LF, unless a mask holds the last byte but one it masks
	 * (a shorter form matched whole) */
	if (t.count > 0 && st[t.count - 1].depth > 0 &&
	    ref_gap_ok(in, cls, t.plain[t.count - 1] + 1, len)) {
		const struct ref_state *e = &st[t.count - 1];
		const struct pattern *p = &ps->items[e->first];
		size_t hi = p->mask_hi < e->depth ? p->mask_hi : e->depth;
		int masked = 0;

		if (hi >= (size_t)p->mask_lo + 2) {
			size_t before = t.plain[t.count - e->depth + hi - 2];

			for (size_t i = 0; i < n && !masked; i++)
				masked =
				    iv[i].start <= before && before < iv[i].end;
		}
		if (!masked)
			ref_piece(ps, in, cls, &t, st, t.count, PIECE_MIN, &iv,
			          &n, &cap);
	}
	ref_quote_pieces(ps, in, len, cls, &t, st, &iv, &n, &cap);
	if (ps->detect)
		ref_detect(ps, in, len, &iv, &n, &cap);
	/* Sorted by start then (secret, pattern): the first of a merged
	 * run names it. */
	if (n > 0)
		qsort(iv, n, sizeof(*iv), ref_compare);
	for (size_t i = 0; i < n;) {
		size_t end = iv[i].end, j = i + 1;

		while (j < n && iv[j].start <= end) {
			if (iv[j].end > end)
				end = iv[j].end;
			j++;
		}
		ref_sink(out, in + at, iv[i].start - at);
		format_render(format, ps->names[iv[i].secret],
		              ref_prefix(ps, iv[i].pattern), ref_sink, out);
		ref_noise(out, in, iv[i].start, end);
		if (counts != NULL)
			counts[iv[i].secret]++;
		at = end;
		i = j;
	}
	ref_sink(out, in + at, len - at);
	free(iv);
	free(st);
	free(cls);
	ref_text_free(&t);
}

#endif
