/* SPDX-License-Identifier: ISC */
/* Partial values: every PIECE_MIN bytes of a secret part as a pattern. */
#include <string.h>

#include "engine.h"
#include "forms.h"
#include "lines.h"

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* scheme://authority: its length, 0 when part is no URL. The host (and
 * a password, a part of its own) says where, not what. */
static size_t
url_authority_length(const unsigned char *part, size_t len)
{
	size_t i = url_scheme_length(part, len);

	if (i == 0)
		return 0;
	for (; i < len && !strchr("/?#", part[i]); i++)
		;
	return i;
}

/* Every PIECE_MIN bytes of p, each a pattern. */
static void
windows_add(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
            size_t len)
{
	for (size_t i = 0; i + PIECE_MIN <= len; i++)
		patterns_add(ps, secret, p + i, PIECE_MIN, 0, PIECE_MIN, 0);
}

static bool
is_quote(unsigned char c)
{
	return c == '\'' || c == '"' || c == '`';
}

void
pieces_add_lines(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *p, size_t len, size_t from,
                 bool no_quotes)
{
	struct value_line l;

	for (size_t at = from; value_line_next(p, len, &at, &l);) {
		if (l.hi - l.lo < PIECE_PART_MIN ||
		    value_line_armour(p, l.lo, l.hi))
			continue;
		if (!no_quotes) {
			windows_add(ps, secret, p + l.lo, l.hi - l.lo);
			continue;
		}
		/* the stretches between quote characters */
		for (size_t i = l.lo, end; i < l.hi; i = end + 1) {
			for (end = i; end < l.hi && !is_quote(p[end]);)
				end++;
			windows_add(ps, secret, p + i, end - i);
		}
	}
}

void
pieces_add(struct pattern_set *ps, uint32_t secret, const unsigned char *part,
           size_t len)
{
	size_t skip = 0;

	while (skip < len && (is_blank(part[skip]) || part[skip] == '\r' ||
	                      part[skip] == '\n'))
		skip++;
	if (len - skip < PIECE_PART_MIN || part[skip] == '{' ||
	    part[skip] == '[')
		return; /* JSON text: its leaves are parts of their own */
	skip += forms_prefix_length(part + skip, len - skip);
	skip += url_authority_length(part + skip, len - skip);
	pieces_add_lines(ps, secret, part, len, skip, false);
}

void
pieces_add_binary(struct pattern_set *ps, uint32_t secret,
                  const unsigned char *part, size_t len)
{
	if (len < PIECE_PART_MIN)
		return;
	windows_add(ps, secret, part, len);
}
