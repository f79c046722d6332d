/* SPDX-License-Identifier: ISC */
/* Node's util.inspect of a value's bytes as an array (a Uint8Array, a
 * Buffer's toJSON() data): rows of right-aligned numbers. */
#include <stdbool.h>
#include <string.h>

#include "engine.h"
#include "forms.h"

/* What util.inspect uses by default: maxArrayLength, breakLength, and
 * compact (3) times 4 columns at most (groupArrayElements in Node's
 * lib/internal/util/inspect.js). */
#define NODE_ARRAY_SHOWN 100
#define NODE_BREAK_LENGTH 80
#define NODE_COLUMNS_MAX 12
#define NODE_GROUP_MIN 7 /* arrays of 6 entries or fewer are not grouped */

/* The square root, without libm: Newton's steps from above. */
static double
root(double x)
{
	double r = x > 1 ? x : 1;

	if (x <= 0)
		return 0;
	for (int i = 0; i < 64; i++) {
		double next = (r + x / r) / 2;

		if (next >= r)
			break;
		r = next;
	}
	return r;
}

/* JavaScript's Math.round of a non-negative number. */
static size_t
js_round(double x)
{
	return (size_t)(x + 0.5);
}

static size_t
decimal_width(unsigned char c)
{
	return c >= 100 ? 3 : c >= 10 ? 2 : 1;
}

/* n right-aligned in width columns, then tail. */
static size_t
put_padded(unsigned char *out, unsigned char c, size_t width, const char *tail)
{
	size_t digits = decimal_width(c), n = 0;
	size_t len = digits + strlen(tail);

	for (; n + len < width; n++)
		out[n] = ' ';
	for (size_t d = digits; d > 0; d--, c /= 10)
		out[n + d - 1] = (unsigned char)('0' + c % 10);
	n += digits;
	memcpy(out + n, tail, strlen(tail));
	return n + strlen(tail);
}

/* The first row of v's shown bytes in columns columns that holds a
 * byte past the first kept bytes (a type prefix such as sk_test_, which
 * stays visible), masked whole but for them when it is at least
 * PIECE_MIN bytes (without the padding in front). */
static void
add_rows(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
         size_t shown, size_t kept, size_t columns, unsigned char *out)
{
	size_t col_width[NODE_COLUMNS_MAX];

	for (size_t c = 0; c < columns; c++) {
		size_t w = 0;

		for (size_t j = c; j < shown; j += columns)
			if (decimal_width(v[j]) > w)
				w = decimal_width(v[j]);
		col_width[c] = w + 2;
	}
	for (size_t i = 0; i < shown; i += columns) {
		size_t end = i + columns < shown ? i + columns : shown, n = 0,
		       lead = 0, from = 0;

		for (size_t j = i; j < end; j++) {
			bool last = j + 1 == end;

			if (j == kept)
				from = n; /* the padding in front is masked */
			/* a column's width counts its ", " */
			n += put_padded(out + n, v[j],
			                col_width[j - i] - (last ? 2 : 0),
			                last ? "" : ", ");
		}
		if (end <= kept)
			continue;
		while (lead < n && out[lead] == ' ')
			lead++;
		from = from > lead ? from - lead : 0;
		if (n - lead >= PIECE_MIN)
			patterns_add(ps, secret, out + lead, n - lead, from,
			             n - lead, 0);
		return;
	}
}

/*
 * The rows util.inspect groups the first 100 bytes of v into are lists
 * of bytes for the dump views (views.c), which read them at any column
 * count and depth, with colour codes or without, and mask a row once it
 * holds 4 bytes of a value. The row where a kept type prefix ends may
 * hold fewer: that row of Node's own column count at the top level is
 * a pattern (Node takes the count from the numbers' widths, at most 12,
 * and then no more than fit in its breakLength (80) after the
 * indentation).
 */
void
forms_add_node_rows(struct pattern_set *ps, uint32_t secret,
                    const unsigned char *v, size_t len, unsigned char *out)
{
	size_t shown = len < NODE_ARRAY_SHOWN ? len : NODE_ARRAY_SHOWN;
	/* output.length in Node: the "... n more items" entry counts */
	size_t entries = len > shown ? shown + 1 : shown;
	size_t total = 0, widest = 0, actual, columns, fit;
	size_t kept = forms_prefix_length(v, len);
	double bias, biased;

	if (shown < NODE_GROUP_MIN || kept == 0)
		return;
	for (size_t i = 0; i < shown; i++) {
		size_t w = decimal_width(v[i]);

		total += w + 2;
		if (w > widest)
			widest = w;
	}
	actual = widest + 2;
	bias = root((double)actual - (double)total / (double)entries);
	biased = (double)actual - 3 - bias;
	if (biased < 1)
		biased = 1;
	columns = js_round(root(2.5 * biased * (double)shown) / biased);
	fit = NODE_BREAK_LENGTH / actual;
	if (columns > fit)
		columns = fit;
	if (columns > NODE_COLUMNS_MAX)
		columns = NODE_COLUMNS_MAX;
	add_rows(ps, secret, v, shown, kept, columns, out);
}
