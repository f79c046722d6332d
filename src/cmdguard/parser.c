/* SPDX-License-Identifier: ISC */
/* The shell parser: lists, pipelines, compound commands, simple commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

#define BRACE_WORDS_MAX 1024

struct builder {
	struct parse *p;
	struct command *cmd;
};

static void parse_list(struct parse *p);
static void parse_command(struct parse *p);

_Noreturn void
parse_fail(struct parse *p, const char *why)
{
	p->error = why;
	longjmp(p->fail, 1);
}

void
parse_enter(struct parse *p)
{
	if (++p->depth > PARSE_DEPTH_MAX)
		parse_fail(p, "nesting too deep");
}

void
parse_leave(struct parse *p)
{
	p->depth--;
}

static struct token *
peek(struct parse *p)
{
	if (!p->peeked) {
		struct token t;

		/* lexing a word may parse a $( ) that peeks on its own */
		lex_next(p, &t);
		p->peek = t;
		p->peeked = true;
	}
	return &p->peek;
}

static void
consume(struct parse *p)
{
	p->peeked = false;
}

static bool
is_reserved(const struct token *t, const char *word)
{
	return t->type == T_WORD && t->word.flags == 0 &&
	       strcmp(t->word.value, word) == 0;
}

static bool
list_ends_at(const struct token *t)
{
	static const char *const ends[] = {"then", "else", "elif", "fi",
	                                   "do",   "done", "esac", "}"};

	if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI)
		return true;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (is_reserved(t, ends[i]))
			return true;
	return false;
}

static void
expect_word(struct parse *p, const char *word)
{
	if (!is_reserved(peek(p), word))
		parse_fail(p, "syntax error: missing keyword");
	consume(p);
}

static void
skip_newlines(struct parse *p)
{
	while (peek(p)->type == T_NEWLINE)
		consume(p);
}

/* ---- command records ---- */

static struct command *
command_new(struct parse *p, enum command_kind kind, size_t start)
{
	struct command *c = arena_alloc(p->arena, sizeof(*c));

	c->kind = kind;
	c->src = p->s + start;
	if (p->fed) {
		c->pipe_prev = p->feed;
		c->piped = true;
	}
	return c;
}

static void
command_emit(struct parse *p, struct command *c, size_t end)
{
	c->src_len =
	    end > (size_t)(c->src - p->s) ? end - (size_t)(c->src - p->s) : 0;
	if (p->out->last != NULL)
		p->out->last->next = c;
	else
		p->out->first = c;
	p->out->last = c;
}

#define PUSH(p, arr, count, cap, item)                                         \
	do {                                                                   \
		if ((count) == (cap)) {                                        \
			size_t ncap = (cap) ? (cap)*2 : 4;                     \
			(arr) = arena_grow((p)->arena, (arr),                  \
			                   (count) * sizeof(*(arr)),           \
			                   ncap * sizeof(*(arr)));             \
			(cap) = ncap;                                          \
		}                                                              \
		(arr)[(count)++] = (item);                                     \
	} while (0)

/* ---- brace expansion: {a,b} and {a..z} make several words ---- */

struct brace_out {
	struct arena *arena;
	const struct word *proto;
	struct word *words;
	size_t count, cap;
	bool overflow;
};

static void brace_rec(struct brace_out *o, const char *v,
                      const unsigned char *m, size_t len, int depth);

static void
brace_emit_joined(struct brace_out *o, const char *v, const unsigned char *m,
                  size_t pre, const char *mid, const unsigned char *mm,
                  size_t mid_len, size_t post_at, size_t len, int depth)
{
	size_t n = pre + mid_len + (len - post_at);
	char *nv = arena_alloc(o->arena, n + 1);
	unsigned char *nm = arena_alloc(o->arena, n + 1);

	memcpy(nv, v, pre);
	memcpy(nm, m, pre);
	memcpy(nv + pre, mid, mid_len);
	if (mm != NULL)
		memcpy(nm + pre, mm, mid_len);
	memcpy(nv + pre + mid_len, v + post_at, len - post_at);
	memcpy(nm + pre + mid_len, m + post_at, len - post_at);
	brace_rec(o, nv, nm, n, depth + 1);
}

static bool
parse_long(const char *s, size_t len, long *out)
{
	char buf[24];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtol(buf, &end, 10);
	return *end == '\0' &&
	       (buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9'));
}

/* {x..y[..step]} with numbers or single characters. */
static bool
brace_sequence(struct brace_out *o, const char *v, const unsigned char *m,
               size_t open, size_t close, size_t len, int depth)
{
	const char *in = v + open + 1;
	size_t n = close - open - 1;
	const char *dots = NULL, *dots2 = NULL;
	long from, to, step = 1;

	for (size_t i = 0; i < n; i++)
		if (m[open + 1 + i] & M_UNKNOWN)
			return false;
	for (size_t i = 0; i + 1 < n; i++) {
		if (in[i] == '.' && in[i + 1] == '.') {
			if (dots == NULL)
				dots = in + i;
			else if (dots2 == NULL && in + i > dots + 1)
				dots2 = in + i;
		}
	}
	if (dots == NULL)
		return false;
	size_t a_len = (size_t)(dots - in);
	const char *b = dots + 2;
	size_t b_len = (size_t)((dots2 ? dots2 : in + n) - b);
	bool chars = a_len == 1 && b_len == 1 &&
	             !(in[0] >= '0' && in[0] <= '9') &&
	             !(b[0] >= '0' && b[0] <= '9');

	if (dots2 != NULL &&
	    !parse_long(dots2 + 2, (size_t)(in + n - dots2 - 2), &step))
		return false;
	if (chars) {
		from = (unsigned char)in[0];
		to = (unsigned char)b[0];
	} else if (!parse_long(in, a_len, &from) ||
	           !parse_long(b, b_len, &to)) {
		return false;
	}
	if (step == 0)
		step = 1;
	if (step < 0)
		step = -step;
	if ((to > from ? to - from : from - to) / step >= BRACE_WORDS_MAX) {
		o->overflow = true;
		return true;
	}
	for (long x = from;; x += to >= from ? step : -step) {
		char buf[24];
		int k;

		if ((to >= from && x > to) || (to < from && x < to))
			break;
		if (chars)
			k = snprintf(buf, sizeof(buf), "%c", (char)x);
		else
			k = snprintf(buf, sizeof(buf), "%ld", x);
		brace_emit_joined(o, v, m, open, buf, NULL, (size_t)k,
		                  close + 1, len, depth);
		if (o->overflow)
			return true;
	}
	return true;
}

static void
brace_rec(struct brace_out *o, const char *v, const unsigned char *m,
          size_t len, int depth)
{
	if (o->overflow)
		return;
	if (depth > 32 || o->count >= BRACE_WORDS_MAX) {
		o->overflow = true;
		return;
	}
	for (size_t open = 0; open < len; open++) {
		size_t close = 0, level = 0;
		bool comma = false;

		if (v[open] != '{' || !(m[open] & M_BRACE))
			continue;
		for (size_t k = open; k < len; k++) {
			if (!(m[k] & M_BRACE))
				continue;
			if (v[k] == '{')
				level++;
			else if (v[k] == '}' && --level == 0) {
				close = k;
				break;
			} else if (v[k] == ',' && level == 1)
				comma = true;
		}
		if (close == 0)
			continue;
		if (!comma) {
			if (brace_sequence(o, v, m, open, close, len, depth))
				return;
			continue;
		}
		size_t from = open + 1;

		level = 0;
		for (size_t k = open + 1; k <= close; k++) {
			bool active = (m[k] & M_BRACE) != 0;

			if (active && v[k] == '{')
				level++;
			else if (active && v[k] == '}' && level > 0)
				level--;
			else if (active && level == 0 &&
			         (v[k] == ',' || k == close)) {
				brace_emit_joined(o, v, m, open, v + from,
				                  m + from, k - from, close + 1,
				                  len, depth);
				from = k + 1;
			}
		}
		return;
	}
	struct word w = *o->proto;

	w.value = (char *)v;
	w.mask = (unsigned char *)m;
	w.len = len;
	PUSH(o, o->words, o->count, o->cap, w);
}

int
brace_expand(struct arena *a, const struct word *w, struct word **out,
             size_t *n)
{
	struct brace_out o = {.arena = a, .proto = w};

	brace_rec(&o, w->value, w->mask, w->len, 0);
	if (o.overflow)
		return -1;
	*out = o.words;
	*n = o.count;
	return 0;
}

static void
add_expanded_word(struct parse *p, struct command *c, const struct word *w)
{
	struct word *ws;
	size_t n;

	if (memchr(w->value, '{', w->len) == NULL) {
		PUSH(p, c->words, c->word_count, c->word_cap, *w);
		return;
	}
	if (brace_expand(p->arena, w, &ws, &n) != 0)
		parse_fail(p, "brace expansion too large");
	for (size_t i = 0; i < n; i++) {
		if (p->budget < ws[i].len + 64)
			parse_fail(p, "command too large");
		p->budget -= ws[i].len + 64;
		PUSH(p, c->words, c->word_count, c->word_cap, ws[i]);
	}
}

/* ---- variables the text sets to a known value ---- */

static size_t
assignment_name_len(const struct word *w)
{
	size_t i = 0;

	if (w->src_len == 0 ||
	    !(w->src[0] == '_' || (w->src[0] >= 'a' && w->src[0] <= 'z') ||
	      (w->src[0] >= 'A' && w->src[0] <= 'Z')))
		return 0;
	while (i < w->src_len &&
	       (w->src[i] == '_' || (w->src[i] >= 'a' && w->src[i] <= 'z') ||
	        (w->src[i] >= 'A' && w->src[i] <= 'Z') ||
	        (w->src[i] >= '0' && w->src[i] <= '9')))
		i++;
	if (i < w->src_len && w->src[i] == '[') {
		while (i < w->src_len && w->src[i] != ']')
			i++;
		if (i == w->src_len)
			return 0;
		i++;
	}
	if (i < w->src_len && w->src[i] == '+')
		i++;
	return i < w->src_len && w->src[i] == '=' ? i : 0;
}

static void
known_set(struct parse *p, const struct word *w)
{
	size_t n = assignment_name_len(w);
	struct known_var *k;

	if (n == 0 || w->len <= n || w->value[n] != '=' ||
	    memchr(w->src, '[', n) != NULL || memchr(w->src, '+', n) != NULL)
		return;
	k = known_find(p, w->value, n);
	if (k == NULL) {
		k = arena_alloc(p->arena, sizeof(*k));
		k->name = arena_strndup(p->arena, w->value, n);
		k->next = *p->vars;
		*p->vars = k;
	}
	/* an unknown value is remembered too: it hides an earlier one */
	k->value = w->value + n + 1;
	k->mask = w->mask + n + 1;
	k->len = w->len - n - 1;
}

static void
known_forget(struct parse *p, const char *name)
{
	struct known_var *k = known_find(p, name, strlen(name));

	if (k != NULL) {
		k->value = "\x01";
		k->mask = (unsigned char *)"\x04";
		k->len = 1;
	}
}

static void
track_assignments(struct parse *p, const struct command *c)
{
	static const char *const declarers[] = {"export", "declare", "typeset",
	                                        "local", "readonly"};

	if (c->word_count == 0) {
		for (size_t i = 0; i < c->assign_count; i++)
			known_set(p, &c->assigns[i]);
		return;
	}
	for (size_t d = 0; d < sizeof(declarers) / sizeof(declarers[0]); d++)
		if (c->words[0].flags == 0 &&
		    strcmp(c->words[0].value, declarers[d]) == 0)
			for (size_t i = 1; i < c->word_count; i++)
				known_set(p, &c->words[i]);
}

/* ---- redirections ---- */

static bool
all_digits_or_dash(const struct word *w)
{
	if (w->len == 1 && w->value[0] == '-')
		return true;
	for (size_t i = 0; i < w->len; i++)
		if (!((w->value[i] >= '0' && w->value[i] <= '9') ||
		      (i == w->len - 1 && w->value[i] == '-' && i > 0)))
			return false;
	return w->len > 0;
}

static void
parse_redirect(struct parse *p, struct command *c, const struct token *op)
{
	struct token *t = peek(p);
	struct redir r = {.op = op->rop};

	if (t->type != T_WORD)
		parse_fail(p, "syntax error: redirection without a target");
	r.target = t->word;
	consume(p);
	if (r.op == R_DUP && !all_digits_or_dash(&r.target))
		r.op = R_OUTERR;
	PUSH(p, c->redirs, c->redir_count, c->redir_cap, r);
	if (r.op == R_HEREDOC) {
		struct heredoc_wait *h = arena_alloc(p->arena, sizeof(*h)),
		                    **tail;
		const struct word *d = &c->redirs[c->redir_count - 1].target;

		h->cmd = c;
		h->index = c->redir_count - 1;
		h->strip_tabs = op->strip_tabs;
		h->expand = (d->flags & W_QUOTED) == 0;
		h->delim = (d->flags & W_EXPANDED)
		               ? arena_strndup(p->arena, d->src, d->src_len)
		               : d->value;
		for (tail = &p->heredocs; *tail != NULL; tail = &(*tail)->next)
			;
		*tail = h;
	}
}

/* Redirections after a compound command: a record of their own. */
static void
parse_trailing_redirects(struct parse *p)
{
	struct command *c = NULL;

	while (peek(p)->type == T_REDIR) {
		struct token op = *peek(p);

		if (c == NULL)
			c = command_new(p, CMD_KEYWORD, op.start);
		consume(p);
		parse_redirect(p, c, &op);
	}
	if (c != NULL)
		command_emit(p, c, p->pos);
}

/* ---- simple commands ---- */

static bool
is_assignment(const struct word *w)
{
	return assignment_name_len(w) > 0;
}

static void
parse_simple(struct parse *p)
{
	struct token *t = peek(p);
	struct command *c = command_new(p, CMD_SIMPLE, t->start);
	size_t end = t->start;

	for (;;) {
		t = peek(p);
		if (t->type == T_REDIR) {
			struct token op = *t;

			consume(p);
			parse_redirect(p, c, &op);
			end = p->pos;
		} else if (t->type == T_WORD) {
			struct word w = t->word;

			if (c->word_count == 0 && is_assignment(&w))
				PUSH(p, c->assigns, c->assign_count,
				     c->assign_cap, w);
			else
				add_expanded_word(p, c, &w);
			end = t->word.src + t->word.src_len - p->s;
			consume(p);
		} else {
			break;
		}
	}
	if (c->word_count == 0 && c->assign_count == 0 && c->redir_count == 0)
		parse_fail(p, "syntax error near unexpected token");
	if (c->word_count > 0 && peek(p)->type == T_LPAREN)
		parse_fail(p, "syntax error near unexpected token '('");
	command_emit(p, c, end);
	track_assignments(p, c);
}

/* ---- compound commands ---- */

static struct command *
keyword_record(struct parse *p, enum command_kind kind, size_t start)
{
	return command_new(p, kind, start);
}

static void
parse_do_group(struct parse *p)
{
	skip_newlines(p);
	if (is_reserved(peek(p), "{")) {
		consume(p);
		parse_list(p);
		expect_word(p, "}");
		return;
	}
	expect_word(p, "do");
	parse_list(p);
	expect_word(p, "done");
}

/* `(( ... ))` after the first ( was read as a token. */
static bool
arith_follows(struct parse *p)
{
	return p->peeked && p->peek.type == T_LPAREN && p->pos < p->len &&
	       p->s[p->pos] == '(' && p->peek.start + 1 == p->pos;
}

static void
parse_arith_command(struct parse *p)
{
	size_t start = p->peek.start;
	struct command *c = keyword_record(p, CMD_KEYWORD, start);
	struct word w;

	consume(p);
	p->pos++;
	lex_arith(p, &w, "))");
	PUSH(p, c->words, c->word_count, c->word_cap, w);
	command_emit(p, c, p->pos);
}

static void
parse_for(struct parse *p)
{
	struct token *t;

	consume(p);
	t = peek(p);
	if (arith_follows(p)) {
		parse_arith_command(p);
		t = peek(p);
		if (t->type == T_SEMI)
			consume(p);
		parse_do_group(p);
		return;
	}
	if (t->type != T_WORD || t->word.flags != 0)
		parse_fail(p, "syntax error: bad for variable");
	known_forget(p, t->word.value);
	consume(p);
	skip_newlines(p);
	t = peek(p);
	if (is_reserved(t, "in")) {
		struct command *c = keyword_record(p, CMD_FOR, t->start);
		size_t end = p->pos;

		consume(p);
		while ((t = peek(p))->type == T_WORD) {
			struct word w = t->word;

			add_expanded_word(p, c, &w);
			end = p->pos;
			consume(p);
		}
		command_emit(p, c, end);
		if (t->type != T_SEMI && t->type != T_NEWLINE)
			parse_fail(p, "syntax error in for list");
		consume(p);
	} else if (t->type == T_SEMI) {
		consume(p);
	}
	parse_do_group(p);
}

static void
parse_case(struct parse *p)
{
	struct token *t;
	struct command *c;

	consume(p);
	t = peek(p);
	if (t->type != T_WORD)
		parse_fail(p, "syntax error: case without a word");
	c = keyword_record(p, CMD_KEYWORD, t->start);
	PUSH(p, c->words, c->word_count, c->word_cap, t->word);
	consume(p);
	skip_newlines(p);
	expect_word(p, "in");
	for (;;) {
		skip_newlines(p);
		t = peek(p);
		if (is_reserved(t, "esac")) {
			consume(p);
			break;
		}
		if (t->type == T_LPAREN)
			consume(p);
		for (;;) {
			t = peek(p);
			if (t->type != T_WORD)
				parse_fail(p, "syntax error in case pattern");
			PUSH(p, c->words, c->word_count, c->word_cap, t->word);
			consume(p);
			t = peek(p);
			if (t->type == T_PIPE) {
				consume(p);
				continue;
			}
			if (t->type != T_RPAREN)
				parse_fail(p, "syntax error in case pattern");
			consume(p);
			break;
		}
		parse_list(p);
		t = peek(p);
		if (t->type == T_DSEMI) {
			consume(p);
			continue;
		}
		if (is_reserved(t, "esac")) {
			consume(p);
			break;
		}
		parse_fail(p, "syntax error: case item without ;;");
	}
	command_emit(p, c, p->pos);
}

static void
parse_if(struct parse *p)
{
	consume(p);
	parse_list(p);
	expect_word(p, "then");
	parse_list(p);
	for (;;) {
		struct token *t = peek(p);

		if (is_reserved(t, "elif")) {
			consume(p);
			parse_list(p);
			expect_word(p, "then");
			parse_list(p);
		} else if (is_reserved(t, "else")) {
			consume(p);
			parse_list(p);
		} else {
			break;
		}
	}
	expect_word(p, "fi");
}

/* [[ ... ]]: its operators are words here, not redirections or lists. */
static void
parse_test(struct parse *p)
{
	struct command *c = keyword_record(p, CMD_KEYWORD, peek(p)->start);

	PUSH(p, c->words, c->word_count, c->word_cap, peek(p)->word);
	consume(p);
	for (;;) {
		struct token *t = peek(p);

		if (t->type == T_EOF)
			parse_fail(p, "unterminated [[");
		if (is_reserved(t, "]]")) {
			consume(p);
			break;
		}
		if (t->type == T_WORD)
			PUSH(p, c->words, c->word_count, c->word_cap, t->word);
		consume(p);
	}
	command_emit(p, c, p->pos);
}

/* NAME ( ) after a word: a function definition. */
static bool
funcdef_follows(struct parse *p)
{
	size_t i = p->pos;

	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (i >= p->len || p->s[i] != '(')
		return false;
	i++;
	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (i >= p->len || p->s[i] != ')')
		return false;
	p->pos = i + 1;
	return true;
}

static void
parse_function_body(struct parse *p)
{
	skip_newlines(p);
	parse_command(p);
}

static void
parse_command(struct parse *p)
{
	struct token *t = peek(p);

	parse_enter(p);
	p->was_simple = false;
	if (t->type == T_LPAREN) {
		if (arith_follows(p)) {
			parse_arith_command(p);
		} else {
			consume(p);
			parse_list(p);
			if (peek(p)->type != T_RPAREN)
				parse_fail(p, "syntax error: missing )");
			consume(p);
		}
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "{")) {
		consume(p);
		parse_list(p);
		expect_word(p, "}");
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "if")) {
		parse_if(p);
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "while") || is_reserved(t, "until")) {
		consume(p);
		parse_list(p);
		parse_do_group(p);
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "for") || is_reserved(t, "select")) {
		parse_for(p);
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "case")) {
		parse_case(p);
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "[[")) {
		parse_test(p);
		parse_trailing_redirects(p);
	} else if (is_reserved(t, "function")) {
		consume(p);
		t = peek(p);
		if (t->type != T_WORD)
			parse_fail(p, "syntax error: function without a name");
		consume(p);
		funcdef_follows(p);
		parse_function_body(p);
	} else if (t->type == T_WORD && t->word.flags == 0 && t->word.len > 0 &&
	           funcdef_follows(p)) {
		consume(p);
		parse_function_body(p);
	} else if (t->type == T_WORD || t->type == T_REDIR) {
		parse_simple(p);
		p->was_simple = true;
		parse_leave(p);
		return;
	} else {
		parse_fail(p, "syntax error near unexpected token");
	}
	parse_leave(p);
}

static void
parse_pipeline(struct parse *p)
{
	struct command *feed_save = p->feed;
	bool fed_save = p->fed;

	if (is_reserved(peek(p), "!"))
		consume(p);
	for (;;) {
		struct command *before = p->out->last;
		enum token_type type;

		parse_command(p);
		type = peek(p)->type;
		if (type != T_PIPE && type != T_PIPEAMP)
			break;
		consume(p);
		skip_newlines(p);
		/* what feeds the next element: a simple command we know */
		p->fed = true;
		p->feed = p->was_simple && p->out->last != before ? p->out->last
		                                                  : NULL;
	}
	p->feed = feed_save;
	p->fed = fed_save;
}

static void
parse_and_or(struct parse *p)
{
	parse_pipeline(p);
	for (;;) {
		enum token_type type = peek(p)->type;

		if (type != T_AND && type != T_OR)
			return;
		consume(p);
		skip_newlines(p);
		parse_pipeline(p);
	}
}

static void
parse_list(struct parse *p)
{
	parse_enter(p);
	for (;;) {
		struct token *t;

		skip_newlines(p);
		if (list_ends_at(peek(p)))
			break;
		parse_and_or(p);
		t = peek(p);
		if (t->type == T_SEMI || t->type == T_AMP ||
		    t->type == T_NEWLINE) {
			consume(p);
			continue;
		}
		break;
	}
	parse_leave(p);
}

void
parse_subst_body(struct parse *p)
{
	struct command *feed = p->feed;
	bool fed = p->fed;

	parse_enter(p);
	p->feed = NULL;
	p->fed = false;
	parse_list(p);
	if (peek(p)->type != T_RPAREN)
		parse_fail(p, "unterminated $(");
	consume(p);
	p->feed = feed;
	p->fed = fed;
	parse_leave(p);
}

void
parse_nested_text(struct parse *p, const char *text, size_t len)
{
	const char *s = p->s;
	size_t slen = p->len, pos = p->pos;
	struct heredoc_wait *heredocs = p->heredocs;
	struct command *feed = p->feed;
	bool fed = p->fed;

	parse_enter(p);
	p->s = arena_strndup(p->arena, text, len);
	p->len = len;
	p->pos = 0;
	p->heredocs = NULL;
	p->feed = NULL;
	p->fed = false;
	parse_list(p);
	if (peek(p)->type != T_EOF)
		parse_fail(p, "syntax error near unexpected token");
	consume(p);
	if (p->heredocs != NULL)
		parse_fail(p, "unterminated here-document");
	p->s = s;
	p->len = slen;
	p->pos = pos;
	p->heredocs = heredocs;
	p->feed = feed;
	p->fed = fed;
	parse_leave(p);
}

int
shell_parse(struct arena *a, const char *text, size_t len, const char *home,
            struct known_var **vars, struct script *out, const char **why)
{
	struct parse *p = arena_alloc(a, sizeof(*p));

	p->arena = a;
	p->s = text;
	p->len = len;
	p->home = home;
	p->vars = vars;
	p->out = out;
	p->budget = PARSE_BUDGET;
	out->first = out->last = NULL;
	if (memchr(text, '\0', len) != NULL ||
	    memchr(text, WORD_UNKNOWN, len)) {
		*why = "control byte in the command";
		return -1;
	}
	if (setjmp(p->fail) != 0) {
		*why = p->error;
		return -1;
	}
	parse_list(p);
	if (peek(p)->type != T_EOF)
		parse_fail(p, "syntax error near unexpected token");
	if (p->heredocs != NULL)
		parse_fail(p, "unterminated here-document");
	return 0;
}
