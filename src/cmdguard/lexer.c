/* SPDX-License-Identifier: ISC */
/* The shell lexer: tokens, and words with their quotes and expansions resolved.
 */
#include <string.h>

#include "shell.h"

#define WORD_MAX (1u << 20)

/* A word being built: text, per-byte mask, flags and the names it expands. */
struct wbuf {
	struct parse *p;
	char *v;
	unsigned char *m;
	size_t len, cap;
	unsigned flags;
	struct ref *refs;
	size_t ref_count, ref_cap;
};

enum quoting { Q_NONE, Q_DOUBLE, Q_HEREDOC };

static void lex_dollar(struct wbuf *b, enum quoting q);
static void lex_backquote(struct wbuf *b, enum quoting q);
static void lex_double(struct wbuf *b);

static bool
is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool
is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

static int
peekc(struct parse *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead]
	                               : -1;
}

static void
wb_put(struct wbuf *b, char c, unsigned char mask)
{
	/* X=$X$X doubling, or many copies of a long variable, stop here */
	if (b->p->budget == 0)
		parse_fail(b->p, "command too large");
	b->p->budget--;
	if (b->len == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;

		if (cap > WORD_MAX)
			parse_fail(b->p, "word too long");
		b->v = arena_grow(b->p->arena, b->v, b->len, cap);
		b->m = arena_grow(b->p->arena, b->m, b->len, cap);
		b->cap = cap;
	}
	b->v[b->len] = c;
	b->m[b->len++] = mask;
}

/* One unknown byte stands for any run of unknown text. */
static void
wb_unknown(struct wbuf *b)
{
	if (b->len > 0 && (b->m[b->len - 1] & M_UNKNOWN))
		return;
	wb_put(b, WORD_UNKNOWN, M_UNKNOWN);
}

static void
wb_ref(struct wbuf *b, const char *name, size_t len, enum ref_kind kind)
{
	if (b->ref_count == b->ref_cap) {
		size_t cap = b->ref_cap ? b->ref_cap * 2 : 4;

		b->refs = arena_grow(b->p->arena, b->refs,
		                     b->ref_count * sizeof(*b->refs),
		                     cap * sizeof(*b->refs));
		b->ref_cap = cap;
	}
	b->refs[b->ref_count].name = arena_strndup(b->p->arena, name, len);
	b->refs[b->ref_count++].kind = kind;
}

/* Append another word's text (a known variable, a default value). */
static void
wb_append(struct wbuf *b, const char *v, const unsigned char *m, size_t len,
          bool quoted)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char mask = m[i] & M_UNKNOWN;

		if (!quoted && !mask && strchr("*?[]", v[i]) != NULL &&
		    v[i] != '\0')
			mask = M_GLOB;
		if (mask & M_UNKNOWN)
			wb_unknown(b);
		else
			wb_put(b, v[i], mask);
	}
}

static void
wb_to_word(struct wbuf *b, struct word *w, size_t start)
{
	struct parse *p = b->p;

	w->value = arena_grow(p->arena, b->v, b->len, b->len + 1);
	w->value[b->len] = '\0';
	w->mask = arena_grow(p->arena, b->m, b->len, b->len + 1);
	w->len = b->len;
	w->flags = b->flags;
	w->refs = b->refs;
	w->ref_count = b->ref_count;
	w->src = p->s + start;
	w->src_len = p->pos - start;
}

struct known_var *
known_find(struct parse *p, const char *name, size_t len)
{
	for (struct known_var *k = *p->vars; k != NULL; k = k->next)
		if (strlen(k->name) == len && memcmp(k->name, name, len) == 0)
			return k;
	return NULL;
}

/* ---- arithmetic: only the names it reads matter ---- */

/* Scan to close ("))" or "]"), recording names and nested expansions. */
void
lex_arith(struct parse *p, struct word *w, const char *close)
{
	struct wbuf b = {.p = p};
	size_t start = p->pos;
	int depth = 0;
	int open = close[0] == ']' ? '[' : '(';

	parse_enter(p);
	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			parse_fail(p, "unterminated arithmetic expression");
		if (c == open) {
			depth++;
			p->pos++;
		} else if (c == close[0] && depth > 0) {
			depth--;
			p->pos++;
		} else if (c == close[0]) {
			if (close[1] != '\0' && peekc(p, 1) != close[1])
				parse_fail(p, "unbalanced arithmetic "
				              "expression");
			p->pos += strlen(close);
			break;
		} else if (c == '$') {
			lex_dollar(&b, Q_DOUBLE);
		} else if (c == '`') {
			lex_backquote(&b, Q_DOUBLE);
		} else if (c == '"') {
			p->pos++;
			lex_double(&b);
		} else if (c == '\\') {
			p->pos += peekc(p, 1) < 0 ? 1 : 2;
		} else if (is_name_start(c)) {
			size_t n = p->pos;

			while (is_name_char(peekc(p, 0)))
				p->pos++;
			wb_ref(&b, p->s + n, p->pos - n, REF_PLAIN);
		} else if (c >= '0' && c <= '9') {
			while (is_name_char(peekc(p, 0)) ||
			       peekc(p, 0) == '#' || peekc(p, 0) == '@')
				p->pos++;
		} else {
			p->pos++;
		}
	}
	parse_leave(p);
	b.len = 0;
	wb_unknown(&b);
	b.flags |= W_EXPANDED;
	wb_to_word(&b, w, start);
}

/* Move an arithmetic word's names (and flags) into the word being built. */
static void
merge_refs(struct wbuf *b, const struct word *w)
{
	for (size_t i = 0; i < w->ref_count; i++)
		wb_ref(b, w->refs[i].name, strlen(w->refs[i].name),
		       w->refs[i].kind);
	b->flags |= w->flags & (W_SUBST | W_EXPANDED);
}

/* ---- quotes ---- */

static void
lex_single(struct wbuf *b)
{
	struct parse *p = b->p;

	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			parse_fail(p, "unterminated single quote");
		p->pos++;
		if (c == '\'')
			break;
		wb_put(b, (char)c, 0);
	}
	b->flags |= W_QUOTED;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
put_utf8(struct wbuf *b, unsigned long cp, bool *stop)
{
	if (cp == 0) {
		*stop = true; /* bash ends the string at a NUL */
		return;
	}
	if (cp < 0x80) {
		wb_put(b, (char)cp, 0);
	} else if (cp < 0x800) {
		wb_put(b, (char)(0xc0 | (cp >> 6)), 0);
		wb_put(b, (char)(0x80 | (cp & 0x3f)), 0);
	} else if (cp < 0x10000) {
		wb_put(b, (char)(0xe0 | (cp >> 12)), 0);
		wb_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)), 0);
		wb_put(b, (char)(0x80 | (cp & 0x3f)), 0);
	} else {
		wb_put(b, (char)(0xf0 | ((cp >> 18) & 0x07)), 0);
		wb_put(b, (char)(0x80 | ((cp >> 12) & 0x3f)), 0);
		wb_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)), 0);
		wb_put(b, (char)(0x80 | (cp & 0x3f)), 0);
	}
}

/* $'...': decode the escapes, so $'\x70rintenv' is printenv. */
static void
lex_ansi(struct wbuf *b)
{
	struct parse *p = b->p;
	bool stop = false;

	for (;;) {
		int c = peekc(p, 0);
		unsigned long v = 0;
		int n = 0, d;

		if (c < 0)
			parse_fail(p, "unterminated $' quote");
		p->pos++;
		if (c == '\'')
			break;
		if (c != '\\') {
			if (!stop)
				wb_put(b, (char)c, 0);
			continue;
		}
		c = peekc(p, 0);
		if (c < 0)
			parse_fail(p, "unterminated $' quote");
		p->pos++;
		switch (c) {
		case 'a':
			v = 7;
			break;
		case 'b':
			v = 8;
			break;
		case 'e':
		case 'E':
			v = 27;
			break;
		case 'f':
			v = 12;
			break;
		case 'n':
			v = 10;
			break;
		case 'r':
			v = 13;
			break;
		case 't':
			v = 9;
			break;
		case 'v':
			v = 11;
			break;
		case 'c':
			c = peekc(p, 0);
			if (c < 0)
				parse_fail(p, "unterminated $' quote");
			p->pos++;
			v = (unsigned long)(c & 0x1f);
			break;
		case 'x':
		case 'u':
		case 'U': {
			int max = c == 'x' ? 2 : c == 'u' ? 4 : 8;

			while (n < max && (d = hex_value(peekc(p, 0))) >= 0) {
				v = v * 16 + (unsigned long)d;
				p->pos++;
				n++;
			}
			if (n == 0) {
				wb_put(b, '\\', 0);
				v = (unsigned long)c;
			} else if (c == 'x') {
				if (!stop)
					wb_put(b, (char)v, 0);
				continue;
			}
			if (v > 0x10ffff)
				v = 0xfffd;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				v = (unsigned long)(c - '0');
				while (++n < 3 && peekc(p, 0) >= '0' &&
				       peekc(p, 0) <= '7')
					v = v * 8 +
					    (unsigned long)(p->s[p->pos++] -
					                    '0');
				if (v == 0)
					stop = true;
				else if (!stop)
					wb_put(b, (char)(v & 0xff), 0);
				continue;
			}
			if (c != '\\' && c != '\'' && c != '"' && c != '?')
				wb_put(b, '\\', 0);
			v = (unsigned long)c;
		}
		if (!stop)
			put_utf8(b, v, &stop);
	}
	b->flags |= W_QUOTED;
}

/* After the opening ". */
static void
lex_double(struct wbuf *b)
{
	struct parse *p = b->p;

	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			parse_fail(p, "unterminated double quote");
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c == '\\') {
			int n = peekc(p, 1);

			if (n == '\n') {
				p->pos += 2;
				continue;
			}
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				wb_put(b, (char)n, 0);
				p->pos += 2;
				continue;
			}
			wb_put(b, '\\', 0);
			p->pos++;
			continue;
		}
		if (c == '$') {
			lex_dollar(b, Q_DOUBLE);
			continue;
		}
		if (c == '`') {
			lex_backquote(b, Q_DOUBLE);
			continue;
		}
		wb_put(b, (char)c, 0);
		p->pos++;
	}
	b->flags |= W_QUOTED;
}

/*
 * The output of a substitution that is a single echo or printf of literal
 * words is known: $(echo .env) is .env. Anything else is unknown.
 */
static void
subst_output(struct wbuf *b, struct command *before, enum quoting q)
{
	struct parse *p = b->p;
	struct command *c = before ? before->next : p->out->first;
	const struct word *w;
	const char *name;

	b->flags |= W_EXPANDED | W_SUBST;
	if (c == NULL || c != p->out->last || c->kind != CMD_SIMPLE ||
	    c->word_count == 0 || c->redir_count > 0 ||
	    (c->words[0].flags & W_EXPANDED)) {
		wb_unknown(b);
		return;
	}
	w = c->words;
	name = strrchr(w[0].value, '/') ? strrchr(w[0].value, '/') + 1
	                                : w[0].value;
	if (strcmp(name, "echo") != 0 && strcmp(name, "printf") != 0) {
		wb_unknown(b);
		return;
	}
	size_t from = 1;

	/* echo's own options: -n, -e, -E and their clusters */
	while (name[0] == 'e' && from < c->word_count && w[from].len > 1 &&
	       w[from].value[0] == '-' &&
	       strspn(w[from].value + 1, "neE") == w[from].len - 1)
		from++;
	for (size_t i = from; i < c->word_count; i++) {
		if (w[i].flags & W_EXPANDED) {
			wb_unknown(b);
			return;
		}
	}
	for (size_t i = from; i < c->word_count; i++) {
		if (i > from)
			wb_put(b, ' ', 0);
		wb_append(b, w[i].value, w[i].mask, w[i].len, q != Q_NONE);
	}
}

/* `...`: undo the backslashes, then parse the text as a script. */
static void
lex_backquote(struct wbuf *b, enum quoting q)
{
	struct parse *p = b->p;
	struct wbuf text = {.p = p};

	p->pos++;
	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			parse_fail(p, "unterminated backquote");
		p->pos++;
		if (c == '`')
			break;
		if (c == '\\') {
			int n = peekc(p, 0);

			if (n == '$' || n == '`' || n == '\\' ||
			    (q == Q_DOUBLE && n == '"')) {
				wb_put(&text, (char)n, 0);
				p->pos++;
				continue;
			}
		}
		wb_put(&text, (char)c, 0);
	}
	struct command *before = p->out->last;

	parse_nested_text(p, text.v ? text.v : "", text.len);
	subst_output(b, before, q);
}

/* ---- ${...} ---- */

/* The word of ${NAME op word}, up to the closing brace. */
static void
lex_param_word(struct wbuf *b, enum quoting q)
{
	struct parse *p = b->p;

	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			parse_fail(p, "unterminated ${");
		if (c == '}') {
			p->pos++;
			return;
		}
		if (c == '\\') {
			int n = peekc(p, 1);

			if (n < 0)
				parse_fail(p, "unterminated ${");
			p->pos += 2;
			if (n != '\n')
				wb_put(b, (char)n, 0);
			b->flags |= W_QUOTED;
		} else if (c == '\'' && q == Q_NONE) {
			p->pos++;
			lex_single(b);
		} else if (c == '"') {
			p->pos++;
			lex_double(b);
		} else if (c == '$') {
			lex_dollar(b, q);
		} else if (c == '`') {
			lex_backquote(b, q);
		} else {
			wb_put(b, (char)c, 0);
			p->pos++;
		}
	}
}

static void
lex_braced(struct wbuf *b, enum quoting q)
{
	struct parse *p = b->p;
	size_t name_at, name_len;
	enum ref_kind kind = REF_PLAIN;
	bool length = false, special = false;
	int c;

	p->pos += 2; /* ${ */
	c = peekc(p, 0);
	if (c == '#' && peekc(p, 1) != '}' && peekc(p, 1) >= 0) {
		length = true;
		p->pos++;
	} else if (c == '!' && peekc(p, 1) != '}' && peekc(p, 1) >= 0) {
		kind = REF_INDIRECT;
		p->pos++;
	}
	name_at = p->pos;
	c = peekc(p, 0);
	if (is_name_start(c)) {
		while (is_name_char(peekc(p, 0)))
			p->pos++;
	} else if (c >= '0' && c <= '9') {
		while (peekc(p, 0) >= '0' && peekc(p, 0) <= '9')
			p->pos++;
		special = true;
	} else if (c >= 0 && strchr("@*#?-$!", c) != NULL) {
		p->pos++;
		special = true;
	} else {
		parse_fail(p, "bad substitution");
	}
	name_len = p->pos - name_at;
	if (kind == REF_INDIRECT &&
	    (peekc(p, 0) == '*' || peekc(p, 0) == '@') && peekc(p, 1) == '}') {
		kind = REF_PREFIX;
		p->pos++;
	} else if (kind == REF_INDIRECT && peekc(p, 0) == '[') {
		kind = REF_PLAIN; /* ${!array[@]}: the keys */
	}
	if (!special || kind != REF_PLAIN)
		wb_ref(b, p->s + name_at, name_len, kind);
	if (peekc(p, 0) == '[') {
		struct word sub;

		p->pos++;
		lex_arith(p, &sub, "]");
		merge_refs(b, &sub);
	}
	b->flags |= W_EXPANDED;

	struct known_var *k = special || kind != REF_PLAIN || length
	                          ? NULL
	                          : known_find(p, p->s + name_at, name_len);
	c = peekc(p, 0);
	if (c == '}') {
		p->pos++;
		if (k != NULL)
			wb_append(b, k->value, k->mask, k->len, q != Q_NONE);
		else
			wb_unknown(b);
		return;
	}
	/* an operator and its word */
	bool use_default = false;
	size_t op = p->pos;

	if (c == ':')
		p->pos++;
	c = peekc(p, 0);
	if (c == '-' || c == '=')
		use_default = true;
	if (c >= 0 && strchr("-=?+#%/^,@", c) != NULL)
		p->pos++;
	else if (p->pos == op)
		parse_fail(p, "bad substitution");

	struct wbuf sub = {.p = p};

	lex_param_word(&sub, q);
	for (size_t i = 0; i < sub.ref_count; i++)
		wb_ref(b, sub.refs[i].name, strlen(sub.refs[i].name),
		       sub.refs[i].kind);
	b->flags |= sub.flags & (W_SUBST | W_QUOTED);
	if (use_default && k != NULL && !length)
		wb_append(b, k->value, k->mask, k->len, q != Q_NONE);
	else if (use_default && !length && !special)
		wb_append(b, sub.v, sub.m, sub.len, q != Q_NONE);
	else
		wb_unknown(b);
}

/* At a '$' in any context. */
static void
lex_dollar(struct wbuf *b, enum quoting q)
{
	struct parse *p = b->p;
	int c = peekc(p, 1);

	if (c == '\'' && q == Q_NONE) {
		p->pos += 2;
		lex_ansi(b);
	} else if (c == '"' && q == Q_NONE) {
		p->pos += 2;
		lex_double(b);
	} else if (c == '(' && peekc(p, 2) == '(') {
		struct word sub;

		p->pos += 3;
		lex_arith(p, &sub, "))");
		merge_refs(b, &sub);
		wb_unknown(b);
	} else if (c == '(') {
		struct command *before = p->out->last;

		p->pos += 2;
		parse_subst_body(p);
		subst_output(b, before, q);
	} else if (c == '[') {
		struct word sub;

		p->pos += 2;
		lex_arith(p, &sub, "]");
		merge_refs(b, &sub);
		wb_unknown(b);
	} else if (c == '{') {
		parse_enter(p);
		lex_braced(b, q);
		parse_leave(p);
	} else if (is_name_start(c)) {
		size_t at = ++p->pos;
		struct known_var *k;

		while (is_name_char(peekc(p, 0)))
			p->pos++;
		wb_ref(b, p->s + at, p->pos - at, REF_PLAIN);
		k = known_find(p, p->s + at, p->pos - at);
		if (k != NULL)
			wb_append(b, k->value, k->mask, k->len, q != Q_NONE);
		else
			wb_unknown(b);
		b->flags |= W_EXPANDED;
	} else if (c >= 0 &&
	           ((c >= '0' && c <= '9') || strchr("@*#?-$!", c) != NULL)) {
		p->pos += 2;
		wb_unknown(b);
		b->flags |= W_EXPANDED;
	} else {
		wb_put(b, '$', 0);
		p->pos++;
	}
}

/* ---- words and tokens ---- */

/* name=( ... ): the elements matter only for what they expand. */
static void
lex_array(struct wbuf *b)
{
	struct parse *p = b->p;
	struct token t;

	p->pos++; /* ( */
	parse_enter(p);
	for (;;) {
		lex_next(p, &t);
		if (t.type == T_RPAREN)
			break;
		if (t.type == T_NEWLINE)
			continue;
		if (t.type != T_WORD)
			parse_fail(p, "syntax error in array assignment");
		for (size_t i = 0; i < t.word.ref_count; i++)
			wb_ref(b, t.word.refs[i].name,
			       strlen(t.word.refs[i].name),
			       t.word.refs[i].kind);
		b->flags |= t.word.flags;
	}
	parse_leave(p);
	wb_unknown(b);
	b->flags |= W_EXPANDED;
}

/* Is the word so far "NAME=" or "NAME+=" with no quoting? */
static bool
wb_is_assign_head(const struct wbuf *b)
{
	size_t n = b->len;

	if (n < 2 || b->v[n - 1] != '=' || (b->flags & W_QUOTED))
		return false;
	n--;
	if (b->v[n - 1] == '+')
		n--;
	if (n == 0 || !is_name_start((unsigned char)b->v[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_name_char((unsigned char)b->v[i]) || b->m[i] != 0)
			return false;
	return true;
}

static void
lex_tilde(struct wbuf *b)
{
	struct parse *p = b->p;
	size_t end = p->pos + 1;

	while (end < p->len && !is_meta((unsigned char)p->s[end]) &&
	       p->s[end] != '/' && p->s[end] != '\\' && p->s[end] != '\'' &&
	       p->s[end] != '"' && p->s[end] != '$' && p->s[end] != '`')
		end++;
	if (end == p->pos + 1 && p->home != NULL) {
		for (const char *h = p->home; *h != '\0'; h++)
			wb_put(b, *h, 0);
	} else {
		wb_unknown(b); /* ~user, ~+, ~- */
	}
	p->pos = end;
}

static void
lex_word(struct parse *p, struct token *t)
{
	struct wbuf b = {.p = p};
	size_t start = p->pos;

	t->type = T_WORD;
	for (;;) {
		int c = peekc(p, 0);

		if (c < 0)
			break;
		if ((c == '<' || c == '>') && peekc(p, 1) == '(' &&
		    p->pos == start) {
			p->pos += 2;
			parse_subst_body(p);
			wb_unknown(&b);
			b.flags |= W_EXPANDED | W_SUBST;
			continue;
		}
		if (c == '(' && wb_is_assign_head(&b)) {
			lex_array(&b);
			continue;
		}
		if (is_meta(c))
			break;
		if (c == '\\') {
			int n = peekc(p, 1);

			if (n == '\n') {
				p->pos += 2;
				continue;
			}
			if (n < 0) {
				wb_put(&b, '\\', 0);
				p->pos++;
				continue;
			}
			wb_put(&b, (char)n, 0);
			b.flags |= W_QUOTED;
			p->pos += 2;
		} else if (c == '\'') {
			p->pos++;
			lex_single(&b);
		} else if (c == '"') {
			p->pos++;
			lex_double(&b);
		} else if (c == '$') {
			lex_dollar(&b, Q_NONE);
		} else if (c == '`') {
			lex_backquote(&b, Q_NONE);
		} else if (c == '~' && p->pos == start) {
			lex_tilde(&b);
		} else {
			unsigned char mask = 0;

			if (c == '*' || c == '?' || c == '[' || c == ']')
				mask = M_GLOB;
			else if (c == '{' || c == '}' || c == ',')
				mask = M_BRACE;
			wb_put(&b, (char)c, mask);
			p->pos++;
		}
	}
	wb_to_word(&b, &t->word, start);
}

/* A here-document's text: $ and ` expand, \ quotes only $ ` \ newline. */
void
lex_text_expand(struct parse *p, const char *text, size_t len, struct word *w)
{
	const char *s = p->s;
	size_t slen = p->len, pos = p->pos;
	struct wbuf b = {.p = p};

	p->s = text;
	p->len = len;
	p->pos = 0;
	while (p->pos < p->len) {
		int c = peekc(p, 0);

		if (c == '\\' && peekc(p, 1) >= 0 &&
		    strchr("$`\\\n", peekc(p, 1)) != NULL) {
			if (peekc(p, 1) != '\n')
				wb_put(&b, (char)peekc(p, 1), 0);
			p->pos += 2;
		} else if (c == '$') {
			lex_dollar(&b, Q_HEREDOC);
		} else if (c == '`') {
			lex_backquote(&b, Q_HEREDOC);
		} else {
			wb_put(&b, (char)c, 0);
			p->pos++;
		}
	}
	wb_to_word(&b, w, 0);
	p->s = s;
	p->len = slen;
	p->pos = pos;
}

static void
read_heredocs(struct parse *p)
{
	struct heredoc_wait *h = p->heredocs;

	p->heredocs = NULL;
	for (; h != NULL; h = h->next) {
		struct wbuf body = {.p = p};
		struct redir *redir = &h->cmd->redirs[h->index];
		size_t dlen = strlen(h->delim);
		bool done = false;

		while (p->pos < p->len) {
			size_t ls = p->pos, le = ls;

			while (le < p->len && p->s[le] != '\n')
				le++;
			p->pos = le < p->len ? le + 1 : le;
			if (h->strip_tabs)
				while (ls < le && p->s[ls] == '\t')
					ls++;
			if (le - ls == dlen &&
			    memcmp(p->s + ls, h->delim, dlen) == 0) {
				done = true;
				break;
			}
			for (size_t i = ls; i < le; i++)
				wb_put(&body, p->s[i], 0);
			wb_put(&body, '\n', 0);
		}
		if (!done)
			parse_fail(p, "unterminated here-document");
		if (h->expand) {
			struct word w;

			lex_text_expand(p, body.v ? body.v : "", body.len, &w);
			redir = &h->cmd->redirs[h->index];
			redir->body = w;
		} else {
			wb_to_word(&body, &redir->body, p->pos);
			redir->body.src = redir->body.value;
			redir->body.src_len = redir->body.len;
		}
		redir->has_body = true;
	}
}

static bool
starts(struct parse *p, const char *op)
{
	size_t n = strlen(op);

	return p->len - p->pos >= n && memcmp(p->s + p->pos, op, n) == 0;
}

static void
lex_redir(struct parse *p, struct token *t)
{
	static const struct {
		const char *op;
		enum redir_op rop;
		bool dup, strip;
	} ops[] = {
	    {"&>>", R_OUTERR, false, false},
	    {"&>", R_OUTERR, false, false},
	    {"<<<", R_HERESTRING, false, false},
	    {"<<-", R_HEREDOC, false, true},
	    {"<<", R_HEREDOC, false, false},
	    {"<&", R_DUP, true, false},
	    {"<>", R_INOUT, false, false},
	    {"<", R_IN, false, false},
	    {">>", R_APPEND, false, false},
	    {">&", R_DUP, true, false},
	    {">|", R_OUT, false, false},
	    {">", R_OUT, false, false},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (starts(p, ops[i].op)) {
			p->pos += strlen(ops[i].op);
			t->type = T_REDIR;
			t->rop = ops[i].rop;
			t->dup = ops[i].dup;
			t->strip_tabs = ops[i].strip;
			return;
		}
	}
	parse_fail(p, "bad redirection");
}

/* N> or {name}> before a redirection operator. */
static size_t
redir_prefix_len(struct parse *p)
{
	size_t i = p->pos;

	if (i < p->len && p->s[i] == '{') {
		i++;
		if (i >= p->len || !is_name_start((unsigned char)p->s[i]))
			return 0;
		while (i < p->len && is_name_char((unsigned char)p->s[i]))
			i++;
		if (i >= p->len || p->s[i] != '}')
			return 0;
		i++;
	} else {
		while (i < p->len && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
	}
	if (i == p->pos || i >= p->len || (p->s[i] != '<' && p->s[i] != '>'))
		return 0;
	if (i + 1 < p->len && p->s[i + 1] == '(')
		return 0;
	return i - p->pos;
}

void
lex_next(struct parse *p, struct token *t)
{
	int c;

	memset(t, 0, sizeof(*t));
	for (;;) {
		c = peekc(p, 0);
		if (c == ' ' || c == '\t' || c == '\r') {
			p->pos++;
		} else if (c == '\\' && peekc(p, 1) == '\n') {
			p->pos += 2;
		} else if (c == '#') {
			while (peekc(p, 0) >= 0 && peekc(p, 0) != '\n')
				p->pos++;
		} else {
			break;
		}
	}
	t->start = p->pos;
	if (c < 0) {
		t->type = T_EOF;
		return;
	}
	if (c == '\n') {
		p->pos++;
		t->type = T_NEWLINE;
		read_heredocs(p);
		return;
	}
	static const struct {
		const char *op;
		enum token_type type;
	} ops[] = {
	    {";;&", T_DSEMI}, {";;", T_DSEMI}, {";&", T_DSEMI},   {";", T_SEMI},
	    {"&&", T_AND},    {"||", T_OR},    {"|&", T_PIPEAMP}, {"|", T_PIPE},
	    {"(", T_LPAREN},  {")", T_RPAREN},
	};
	if (starts(p, "&>")) {
		lex_redir(p, t);
		return;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (starts(p, ops[i].op)) {
			p->pos += strlen(ops[i].op);
			t->type = ops[i].type;
			return;
		}
	}
	if (c == '&') {
		p->pos++;
		t->type = T_AMP;
		return;
	}
	size_t prefix = redir_prefix_len(p);

	if (prefix > 0) {
		p->pos += prefix;
		lex_redir(p, t);
		return;
	}
	if ((c == '<' || c == '>') && peekc(p, 1) != '(') {
		lex_redir(p, t);
		return;
	}
	lex_word(p, t);
}
