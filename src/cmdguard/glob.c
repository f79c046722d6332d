/* SPDX-License-Identifier: ISC */
/* Glob against glob: may one path match both a shell word and a policy pattern?
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guard_glob.h"

/* Words and patterns longer than this are not compared token by token. */
#define GLOB_STATES_MAX (1u << 20)

enum gkind { G_SET, G_ANY1, G_STAR, G_STARSTAR };

struct gtok {
	unsigned char kind;
	bool dotrule; /* a shell glob: cannot match a leading '.' */
	uint64_t set[4];
};

static void
set_add(uint64_t *set, unsigned char c)
{
	set[c >> 6] |= (uint64_t)1 << (c & 63);
}

static bool
set_has(const uint64_t *set, unsigned char c)
{
	return (set[c >> 6] >> (c & 63)) & 1;
}

static void
set_all(uint64_t *set, bool slash)
{
	memset(set, 0xff, 4 * sizeof(*set));
	set[0] &= ~(uint64_t)1; /* NUL */
	if (!slash)
		set['/' >> 6] &= ~((uint64_t)1 << ('/' & 63));
}

/* [...] starting at s[0] == '['; returns its length, or 0 if unclosed. */
static size_t
bracket(const char *s, size_t len, const unsigned char *mask, uint64_t *set)
{
	size_t i = 1;
	bool negate = false;
	uint64_t in[4] = {0};

	if (i < len && (s[i] == '!' || s[i] == '^')) {
		negate = true;
		i++;
	}
	size_t first = i;

	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (mask != NULL && (mask[i] & M_UNKNOWN))
			return 0;
		if (c == ']' && i > first &&
		    (mask == NULL || (mask[i] & M_GLOB)))
			break;
		if (c == '[' && i + 1 < len && s[i + 1] == ':') {
			const char *end = memchr(s + i + 2, ':', len - i - 2);

			if (end != NULL && end + 1 < s + len && end[1] == ']') {
				/* a class: treat as any character */
				set_all(in, false);
				i = (size_t)(end + 1 - s);
				continue;
			}
		}
		if (i + 2 < len && s[i + 1] == '-' && s[i + 2] != ']') {
			unsigned char hi = (unsigned char)s[i + 2];

			for (unsigned x = c; x <= hi; x++)
				set_add(in, (unsigned char)x);
			i += 2;
			continue;
		}
		set_add(in, c);
	}
	if (i >= len)
		return 0;
	for (int k = 0; k < 4; k++)
		set[k] = negate ? ~in[k] : in[k];
	set[0] &= ~(uint64_t)1;
	set['/' >> 6] &= ~((uint64_t)1 << ('/' & 63));
	return i + 1;
}

/* Give every token its set, so the search never builds one. */
static void
fill_classes(struct gtok *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].kind != G_SET)
			set_all(t[i].set, t[i].kind == G_STARSTAR);
}

static struct gtok *
compile_word(const char *v, const unsigned char *m, size_t len, size_t *n)
{
	struct gtok *t = calloc(len + 1, sizeof(*t));
	size_t k = 0;

	if (t == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		struct gtok *g = &t[k];

		if (m[i] & M_UNKNOWN) {
			if (k > 0 && t[k - 1].kind == G_STARSTAR)
				continue;
			g->kind = G_STARSTAR;
		} else if ((m[i] & M_GLOB) && v[i] == '*') {
			g->kind = G_STAR;
			g->dotrule = true;
		} else if ((m[i] & M_GLOB) && v[i] == '?') {
			g->kind = G_ANY1;
			g->dotrule = true;
		} else if ((m[i] & M_GLOB) && v[i] == '[') {
			size_t n2 = bracket(v + i, len - i, m + i, g->set);

			g->kind = G_SET;
			if (n2 == 0)
				set_add(g->set, '[');
			else
				i += n2 - 1;
		} else {
			g->kind = G_SET;
			set_add(g->set, (unsigned char)v[i]);
		}
		k++;
	}
	*n = k;
	fill_classes(t, k);
	return t;
}

static struct gtok *
compile_pattern(const char *p, size_t *n)
{
	size_t len = strlen(p), k = 0;
	struct gtok *t = calloc(len + 1, sizeof(*t));

	if (t == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		struct gtok *g = &t[k];

		if (p[i] == '\\' && i + 1 < len) {
			g->kind = G_SET;
			set_add(g->set, (unsigned char)p[++i]);
		} else if (p[i] == '*' && i + 1 < len && p[i + 1] == '*') {
			g->kind = G_STARSTAR;
			i++;
		} else if (p[i] == '*') {
			g->kind = G_STAR;
		} else if (p[i] == '?') {
			g->kind = G_ANY1;
		} else if (p[i] == '[') {
			size_t n2 = bracket(p + i, len - i, NULL, g->set);

			g->kind = G_SET;
			if (n2 == 0)
				set_add(g->set, '[');
			else
				i += n2 - 1;
		} else {
			g->kind = G_SET;
			set_add(g->set, (unsigned char)p[i]);
		}
		k++;
	}
	*n = k;
	fill_classes(t, k);
	return t;
}

static bool
sets_meet(const uint64_t *x, const uint64_t *y)
{
	return ((x[0] & y[0]) | (x[1] & y[1]) | (x[2] & y[2]) |
	        (x[3] & y[3])) != 0;
}

static bool
repeats(const struct gtok *g)
{
	return g->kind == G_STAR || g->kind == G_STARSTAR;
}

/* Flags of a state: at the start of a path component, pinned. */
#define F_START 1
#define F_PINNED 2

struct search {
	const struct gtok *a, *b;
	size_t na, nb;
	unsigned char *seen; /* per (i, j): a bit per flag combination */
	uint32_t *stack;     /* (i * (nb + 1) + j) << 2 | flags */
	size_t top;
};

static void
visit(struct search *s, size_t i, size_t j, unsigned flags)
{
	size_t at = i * (s->nb + 1) + j;

	if (s->seen[at] & (1u << flags))
		return;
	s->seen[at] |= (unsigned char)(1u << flags);
	s->stack[s->top++] = (uint32_t)(at << 2 | flags);
}

static bool
intersect(const struct gtok *a, size_t na, const struct gtok *b, size_t nb,
          bool need_pin)
{
	size_t states = (na + 1) * (nb + 1);
	struct search s = {.a = a, .b = b, .na = na, .nb = nb};
	bool found = false;

	if (states > GLOB_STATES_MAX)
		return true; /* too large to decide: say yes */
	/* most pairs differ in a fixed first or last character */
	for (size_t k = 0; k < na && k < nb; k++) {
		if (a[k].kind != G_SET || b[k].kind != G_SET)
			break;
		if (!sets_meet(a[k].set, b[k].set))
			return false;
	}
	for (size_t k = 1; k <= na && k <= nb; k++) {
		const struct gtok *x = &a[na - k], *y = &b[nb - k];

		if (x->kind != G_SET || y->kind != G_SET)
			break;
		if (!sets_meet(x->set, y->set))
			return false;
	}
	unsigned char seen_small[512];
	uint32_t stack_small[512 * 4];
	bool small = states <= sizeof(seen_small);

	if (small) {
		memset(seen_small, 0, states);
		s.seen = seen_small;
		s.stack = stack_small;
	} else {
		s.seen = calloc(states, 1);
		s.stack = malloc(states * 4 * sizeof(*s.stack));
	}
	if (s.seen == NULL || s.stack == NULL) {
		free(s.seen);
		free(s.stack);
		return true;
	}
	visit(&s, 0, 0, F_START);
	while (s.top > 0 && !found) {
		uint32_t st = s.stack[--s.top];
		unsigned flags = st & 3;
		size_t at = st >> 2, i = at / (nb + 1), j = at % (nb + 1);

		if (i == na && j == nb) {
			if (!need_pin || (flags & F_PINNED))
				found = true;
			continue;
		}
		if (i < na && repeats(&a[i]))
			visit(&s, i + 1, j, flags);
		if (j < nb && repeats(&b[j]))
			visit(&s, i, j + 1, flags);
		if (i == na || j == nb)
			continue;

		uint64_t both[4];
		bool slash, other = false;

		for (int k = 0; k < 4; k++)
			both[k] = a[i].set[k] & b[j].set[k];
		if ((flags & F_START) && (a[i].dotrule || b[j].dotrule))
			both['.' >> 6] &= ~((uint64_t)1 << ('.' & 63));
		slash = set_has(both, '/');
		both['/' >> 6] &= ~((uint64_t)1 << ('/' & 63));
		for (int k = 0; k < 4; k++)
			other |= both[k] != 0;

		size_t ni = repeats(&a[i]) ? i : i + 1;
		size_t nj = repeats(&b[j]) ? j : j + 1;
		unsigned pinned = flags & F_PINNED;

		if (slash)
			visit(&s, ni, nj, F_START | pinned);
		if (other) {
			/* '.' alone pins nothing: $X.o may not meet .env.* */
			if (a[i].kind == G_SET && b[j].kind == G_SET &&
			    !set_has(both, '.'))
				pinned = F_PINNED;
			visit(&s, ni, nj, pinned);
		}
	}
	if (!small) {
		free(s.seen);
		free(s.stack);
	}
	return found;
}

struct glob_word {
	struct gtok *t;
	size_t n;
};

struct glob_word *
glob_word_new(const char *value, const unsigned char *mask, size_t len)
{
	struct glob_word *w = calloc(1, sizeof(*w));

	if (w != NULL &&
	    (w->t = compile_word(value, mask, len, &w->n)) == NULL) {
		free(w);
		w = NULL;
	}
	return w;
}

void
glob_word_free(struct glob_word *w)
{
	if (w != NULL)
		free(w->t);
	free(w);
}

bool
glob_word_meets(const struct glob_word *w, const char *pattern, bool pinned)
{
	size_t nb;
	struct gtok *b;
	bool r = true;

	if (w == NULL)
		return true;
	b = compile_pattern(pattern, &nb);
	if (b != NULL)
		r = intersect(w->t, w->n, b, nb, pinned);
	free(b);
	return r;
}

bool
glob_word_meets_pattern(const char *value, const unsigned char *mask,
                        size_t len, const char *pattern, bool pinned)
{
	struct glob_word *w = glob_word_new(value, mask, len);
	bool r = glob_word_meets(w, pattern, pinned);

	glob_word_free(w);
	return r;
}

bool
word_is_wild(const char *value, const unsigned char *mask, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t set[4];

		if (mask[i] & M_UNKNOWN)
			return true;
		if (!(mask[i] & M_GLOB))
			continue;
		if (value[i] == '*' || value[i] == '?')
			return true;
		if (value[i] == '[' &&
		    bracket(value + i, len - i, mask + i, set) > 0)
			return true;
	}
	return false;
}

/* fnmatch(3), with the common cases (no wildcard, wrong prefix) first. */
bool
match_fast(const char *pattern, const char *s, int flags)
{
	size_t k = strcspn(pattern, "*?[\\");

	if (pattern[k] == '\0')
		return strcmp(pattern, s) == 0;
	if (strncmp(pattern, s, k) != 0)
		return false;
	return fnmatch(pattern, s, flags) == 0;
}
