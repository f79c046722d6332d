/* SPDX-License-Identifier: ISC */
/* Partial values: every PIECE_MIN bytes of a secret part as a pattern. */
#include <string.h>

#include "engine.h"
#include "forms.h"
#include "lines.h"
#include "secjson.h"

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

/*
 * The last CUT_TAIL bytes of p after "...", a pattern whose mask starts
 * after the dots: Python's reprlib, and pytest's reports with it, keep a
 * long string's two ends around "...", its end often shorter than a
 * piece ('sk_test_4eC...q8wVb2XyZ' in a list: 3 of the secret's
 * characters before the dots and 9 after).
 */
static void
tail_add(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
         size_t len)
{
	const size_t dots = sizeof CUT_TAIL_MARK - 1;
	unsigned char *t;

	if (len < PIECE_MIN)
		return;
	t = patterns_work_take(ps, dots + CUT_TAIL);
	memcpy(t, CUT_TAIL_MARK, dots);
	memcpy(t + dots, p + len - CUT_TAIL, CUT_TAIL);
	patterns_add(ps, secret, t, dots + CUT_TAIL, dots, dots + CUT_TAIL, 0);
	patterns_work_give(ps, t, dots + CUT_TAIL);
}

/* Every PIECE_MIN bytes of a stretch, and its tail. */
static void
stretch_add(struct pattern_set *ps, uint32_t secret, const unsigned char *p,
            size_t len)
{
	windows_add(ps, secret, p, len);
	tail_add(ps, secret, p, len);
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
			stretch_add(ps, secret, p + l.lo, l.hi - l.lo);
			continue;
		}
		/* the stretches between quote characters */
		for (size_t i = l.lo, end; i < l.hi; i = end + 1) {
			for (end = i; end < l.hi && !is_quote(p[end]);)
				end++;
			stretch_add(ps, secret, p + i, end - i);
		}
	}
}

/* Whether p, { or [ first, is JSON text: parsed, in secure memory. A
 * password may begin with either and be no JSON ("{Kx9#mQ2$..."): its
 * pieces are a value's as any other's. */
static bool
json_text(const unsigned char *p, size_t len)
{
	bool json;

	secjson_begin();
	json = secjson_parse(p, len) != NULL;
	secjson_end();
	return json;
}

/*
 * Whether a part gives pieces, and *at, where they may start: after its
 * leading blanks and line breaks. None when it is too short, or JSON
 * text, whose leaves are parts of their own.
 */
static inline bool
pieces_start(const unsigned char *part, size_t len, size_t *at)
{
	size_t i = 0;

	while (i < len &&
	       (is_blank(part[i]) || part[i] == '\r' || part[i] == '\n'))
		i++;
	*at = i;
	return len - i >= PIECE_PART_MIN &&
	       ((part[i] != '{' && part[i] != '[') ||
	        !json_text(part + i, len - i));
}

/* pieces_add's start, but a URL's forms give no pieces at all where
 * pieces_add gives those after its scheme and host: the forms cut
 * theirs after a kept type prefix only, and the host's pieces would be
 * masked wherever the host is named. */
bool
forms_gives_pieces(const unsigned char *v, size_t len)
{
	size_t i;

	return pieces_start(v, len, &i) &&
	       url_scheme_length(v + i, len - i) == 0;
}

void
pieces_add(struct pattern_set *ps, uint32_t secret, const unsigned char *part,
           size_t len)
{
	size_t skip;

	if (!pieces_start(part, len, &skip))
		return;
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
