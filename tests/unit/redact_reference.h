/* SPDX-License-Identifier: ISC */
/*
 * The reference masker: the whole input at once, every pattern tried at
 * every offset, intervals sorted and merged. Slow and obviously right;
 * the streaming masker must produce the same bytes.
 */
#ifndef REDACT_REFERENCE_H
#define REDACT_REFERENCE_H

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

/* Does p occur at in[i]? Then the positions of its masked characters. */
static int
ref_match_at(const unsigned char *in, size_t len, size_t i,
             const unsigned char *p, const struct pattern *pat,
             size_t *mask_start, size_t *mask_end)
{
	size_t j = i;

	for (size_t k = 0; k < pat->len; k++) {
		if (k > 0)
			for (int s = 0; s < SEPARATOR_MAX && j < len &&
			                (in[j] == '\r' || in[j] == '\n');
			     s++)
				j++;
		if (j >= len || in[j] != p[k])
			return 0;
		if (k == pat->mask_lo)
			*mask_start = j;
		if (k + 1 == pat->mask_hi)
			*mask_end = j + 1;
		j++;
	}
	return 1;
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

/* Mask in[0..len) with every pattern of ps; counts per name optional. */
static void
ref_mask(const struct pattern_set *ps, const char *format,
         const unsigned char *in, size_t len, struct ref_out *out,
         uint64_t *counts)
{
	struct ref_interval *iv = NULL;
	size_t n = 0, cap = 0, at = 0;

	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k < ps->count; k++) {
			const struct pattern *pat = &ps->items[k];
			size_t s = 0, e = 0;

			if (!ref_match_at(in, len, i, pattern_bytes(ps, pat),
			                  pat, &s, &e))
				continue;
			ref_add(&iv, &n, &cap,
			        (struct ref_interval){s, e, pat->secret,
			                              (uint32_t)k});
		}
	}
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
		if (counts != NULL)
			counts[iv[i].secret]++;
		at = end;
		i = j;
	}
	ref_sink(out, in + at, len - at);
	free(iv);
}

#endif
