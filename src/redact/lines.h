/* SPDX-License-Identifier: ISC */
/* The lines of a value, as the patterns (patterns.c, forms.c, pieces.c)
 * and the dump views (views.c) read them. */
#ifndef REDACT_LINES_H
#define REDACT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Lines end at LF, CRLF or a lone CR alike (CRLF: the line, then an
 * empty one). */
struct value_line {
	size_t start, end; /* the line, without its line break */
	size_t lo, hi;     /* the same without the blanks and tabs around it */
};

/* The line of v that starts at *at, and *at moved past its line break;
 * false when *at is at v's end. */
static inline bool
value_line_next(const unsigned char *v, size_t len, size_t *at,
                struct value_line *l)
{
	size_t end = *at;

	if (*at >= len)
		return false;
	while (end < len && v[end] != '\n' && v[end] != '\r')
		end++;
	l->start = l->lo = *at;
	l->end = l->hi = end;
	while (l->lo < l->hi && (v[l->lo] == ' ' || v[l->lo] == '\t'))
		l->lo++;
	while (l->hi > l->lo && (v[l->hi - 1] == ' ' || v[l->hi - 1] == '\t'))
		l->hi--;
	*at = end + 1;
	return true;
}

/* Whether v's bytes [at, end) begin with PEM armour ("-----"): its line
 * names a type, not a key. */
static inline bool
value_line_armour(const unsigned char *v, size_t at, size_t end)
{
	return end - at >= 5 && memcmp(v + at, "-----", 5) == 0;
}

#endif
