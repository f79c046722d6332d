/* SPDX-License-Identifier: ISC */
/* The checker's core: verdicts, the rules that name a command, secret
 * names, a command's stdin, and the walk over every command of a script. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

#define NAME_BUF 256

/* ---- verdicts ---- */

void
verdict_clear(struct verdict *v)
{
	free(v->at);
	memset(v, 0, sizeof(*v));
}

static void
verdict_set_at(struct verdict *v, const char *at, size_t len)
{
	free(v->at);
	v->at = malloc(len + 1);
	if (v->at != NULL) {
		memcpy(v->at, at, len);
		v->at[len] = '\0';
	}
}

bool
deny(struct checker *c, const char *at, size_t at_len, const char *rule,
     const char *fmt, ...)
{
	va_list ap;

	c->v->denied = true;
	snprintf(c->v->rule, sizeof(c->v->rule), "%s", rule);
	va_start(ap, fmt);
	vsnprintf(c->v->reason, sizeof(c->v->reason), fmt, ap);
	va_end(ap);
	verdict_set_at(c->v, at, at_len);
	return true;
}

/* ---- small helpers ---- */

bool
word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->value, s, w->len) == 0 &&
	       memchr(w->mask, M_UNKNOWN, w->len) == NULL;
}

bool
word_has_unknown(const struct word *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->mask[i] & M_UNKNOWN)
			return true;
	return false;
}

const char *
base_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : s;
}

bool
names_match(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->name_count; i++)
		if (match_fast(r->names[i], name, 0))
			return true;
	return false;
}

void
collect_rules(const struct checker *c, const char *name, struct matched *m)
{
	const struct policy *p = c->g->policy;

	m->n = 0;
	for (size_t i = 0; i < p->count && m->n < MATCHED_MAX; i++)
		if (p->rules[i].name_count > 0 &&
		    p->rules[i].kind != RULE_SECRET_NAME &&
		    p->rules[i].kind != RULE_COMMAND_VAR &&
		    names_match(&p->rules[i], name))
			m->r[m->n++] = &p->rules[i];
}

const struct rule *
find_rule(const struct matched *m, enum rule_kind kind, size_t *from)
{
	for (size_t i = from ? *from : 0; i < m->n; i++) {
		if (m->r[i]->kind == kind) {
			if (from)
				*from = i + 1;
			return m->r[i];
		}
	}
	if (from)
		*from = m->n;
	return NULL;
}

/* Text for a nested parse: unknown parts become a variable, so that an
 * unknown command name is still seen as not literal. */
char *
nested_text(struct checker *c, const char *v, const unsigned char *m,
            size_t len, size_t *out_len)
{
	size_t n = 0, extra = strlen(UNKNOWN_TEXT);
	char *t;

	for (size_t i = 0; i < len; i++)
		n += (m && (m[i] & M_UNKNOWN)) ? extra : 1;
	t = arena_alloc(&c->arena, n + 1);
	n = 0;
	for (size_t i = 0; i < len; i++) {
		if (m && (m[i] & M_UNKNOWN)) {
			memcpy(t + n, UNKNOWN_TEXT, extra);
			n += extra;
		} else {
			t[n++] = v[i];
		}
	}
	*out_len = n;
	return t;
}

bool
check_word_text(struct checker *c, const struct word *w)
{
	size_t len;
	char *t = nested_text(c, w->value, w->mask, w->len, &len);

	return check_text(c, t, len);
}

/* Join words [from, to) with spaces, for eval and the like. */
bool
check_joined(struct checker *c, const struct word *w, size_t from, size_t to)
{
	size_t total = 0, n = 0;
	char *v;
	unsigned char *m;

	for (size_t i = from; i < to; i++)
		total += w[i].len + 1;
	v = arena_alloc(&c->arena, total + 1);
	m = arena_alloc(&c->arena, total + 1);
	for (size_t i = from; i < to; i++) {
		memcpy(v + n, w[i].value, w[i].len);
		memcpy(m + n, w[i].mask, w[i].len);
		n += w[i].len;
		v[n] = ' ';
		m[n++] = 0;
	}
	size_t len;
	char *t = nested_text(c, v, m, n, &len);

	return check_text(c, t, len);
}
/* ---- secret names ---- */

static const char *
secret_matching(const struct checker *c, const char *name, bool prefix)
{
	size_t plen = strlen(name);

	for (size_t i = 0; i < c->g->secret_count; i++) {
		const char *s = c->g->secret_names[i];

		if (prefix ? strncmp(s, name, plen) == 0 : strcmp(s, name) == 0)
			return s;
	}
	const struct policy *p = c->g->policy;

	for (size_t i = 0; i < p->count; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind != RULE_SECRET_NAME)
			continue;
		for (size_t k = 0; k < r->name_count; k++) {
			if (!prefix && match_fast(r->names[k], name, 0))
				return r->names[k];
			if (prefix) {
				unsigned char mask[NAME_BUF + 1] = {0};
				char v[NAME_BUF + 1];

				if (plen >= NAME_BUF)
					continue;
				memcpy(v, name, plen);
				v[plen] = WORD_UNKNOWN;
				mask[plen] = M_UNKNOWN;
				if (glob_word_meets_pattern(v, mask, plen + 1,
				                            r->names[k], false))
					return r->names[k];
			}
		}
	}
	return NULL;
}

/* trusted: a plain expansion of a secret is allowed (secret-arg). */
static bool
check_refs(struct checker *c, const struct command *cmd, const struct word *w,
           bool trusted)
{
	for (size_t i = 0; i < w->ref_count; i++) {
		const struct ref *r = &w->refs[i];
		const char *s;

		switch (r->kind) {
		case REF_INDIRECT:
			return DENY(
			    c, cmd, "indirect-expansion",
			    "${!%s} expands a variable named at run time",
			    printable(r->name));
		case REF_PREFIX:
			s = secret_matching(c, r->name, true);
			if (s != NULL)
				return DENY(c, cmd, "secret-name",
				            "${!%s*} lists secret %s",
				            printable(r->name), s);
			break;
		default:
			s = trusted ? NULL : secret_matching(c, r->name, false);
			if (s != NULL)
				return DENY(c, cmd, "secret-name",
				            "expands secret %s",
				            printable(r->name));
		}
	}
	return false;
}

/* ---- stdin ---- */

static void
feed_text(struct checker *c, const struct command *prev, struct input *in)
{
	const struct word *w = prev->words;
	size_t total = 0, n = 0, from = 1;
	const char *base;
	char *v;
	unsigned char *m;

	in->kind = IN_UNKNOWN;
	if (prev->word_count == 0 || (w[0].flags & W_EXPANDED))
		return;
	base = base_name(w[0].value);
	if (strcmp(base, "printf") != 0 && strcmp(base, "echo") != 0)
		return;
	while (from < prev->word_count && base[0] == 'e' && w[from].len > 1 &&
	       w[from].value[0] == '-')
		from++;
	for (size_t i = from; i < prev->word_count; i++)
		total += w[i].len + 1;
	v = arena_alloc(&c->arena, total + 1);
	m = arena_alloc(&c->arena, total + 1);
	for (size_t i = from; i < prev->word_count; i++) {
		memcpy(v + n, w[i].value, w[i].len);
		memcpy(m + n, w[i].mask, w[i].len);
		n += w[i].len;
		v[n++] = base[0] == 'p' ? '\n' : ' ';
		if (w[i].flags & W_SUBST)
			in->subst = true;
	}
	/* printf and echo -e turn \n into a newline: a shell would see it */
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n && !(m[i + 1] & M_UNKNOWN)) {
			char x = v[++i];

			v[o] = x == 'n' ? '\n' : x == 't' ? '\t' : x;
		} else {
			v[o] = v[i];
		}
		m[o++] = m[i];
	}
	in->kind = IN_TEXT;
	in->text = nested_text(c, v, m, o, &in->len);
}

void
command_input(struct checker *c, const struct command *cmd, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (cmd->piped) {
		if (cmd->pipe_prev != NULL)
			feed_text(c, cmd->pipe_prev, in);
		else
			in->kind = IN_UNKNOWN;
	}
	for (size_t i = 0; i < cmd->redir_count; i++) {
		const struct redir *r = &cmd->redirs[i];
		const struct word *w;

		if (r->op == R_IN || r->op == R_INOUT) {
			in->kind = IN_FILE;
			continue;
		}
		if (r->op != R_HEREDOC && r->op != R_HERESTRING)
			continue;
		w = r->op == R_HEREDOC ? &r->body : &r->target;
		in->kind = IN_TEXT;
		in->text = nested_text(c, w->value, w->mask, w->len, &in->len);
		in->subst = (w->flags & W_SUBST) != 0;
	}
}

/* ---- commands and scripts ---- */

/* PAGER=printenv git log: the value of such a variable is a command. */
static bool
check_command_var(struct checker *c, const struct command *cmd,
                  const struct word *w)
{
	const struct policy *p = c->g->policy;
	const char *eq = memchr(w->value, '=', w->len);
	char name[256];
	size_t len, off;
	char *t;

	if (eq == NULL || (size_t)(eq - w->value) >= sizeof(name))
		return false;
	memcpy(name, w->value, (size_t)(eq - w->value));
	name[eq - w->value] = '\0';
	for (size_t i = 0; i < p->count; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind != RULE_COMMAND_VAR || !names_match(r, name))
			continue;
		off = (size_t)(eq + 1 - w->value);
		t = nested_text(c, w->value + off, w->mask + off, w->len - off,
		                &len);
		return check_text(c, t, len) || check_operand(c, cmd, w);
	}
	return false;
}

/*
 * A command the policy trusts with a secret as an argument, such as
 * psql "$DATABASE_URL": only when it is named literally (not through a
 * wrapper or a variable), only for plain expansions in its arguments
 * (not ${!PREFIX*}, not in assignments or redirections).
 */
static bool
secret_args_allowed(struct checker *c, const struct command *cmd)
{
	const struct word *name = &cmd->words[0];
	const struct policy *p = c->g->policy;
	const char *base;

	if (cmd->kind != CMD_SIMPLE || (name->flags & W_EXPANDED) ||
	    name->ref_count > 0 ||
	    word_is_wild(name->value, name->mask, name->len))
		return false;
	base = base_name(name->value);
	for (size_t i = 0; i < p->count; i++)
		if (p->rules[i].kind == RULE_SECRET_ARG &&
		    names_match(&p->rules[i], base))
			return true;
	return false;
}

static bool
check_command(struct checker *c, const struct command *cmd)
{
	struct input in;
	bool trusted = cmd->word_count > 0 && secret_args_allowed(c, cmd);

	for (size_t i = 0; i < cmd->assign_count; i++)
		if (check_refs(c, cmd, &cmd->assigns[i], false) ||
		    check_command_var(c, cmd, &cmd->assigns[i]))
			return true;
	for (size_t i = 0; i < cmd->word_count; i++)
		if (check_refs(c, cmd, &cmd->words[i], trusted && i > 0))
			return true;
	for (size_t i = 0; i < cmd->redir_count; i++) {
		const struct redir *r = &cmd->redirs[i];

		if (check_refs(c, cmd, &r->target, false) ||
		    (r->has_body && check_refs(c, cmd, &r->body, false)))
			return true;
		if (r->op == R_DUP || r->op == R_HEREDOC ||
		    r->op == R_HERESTRING)
			continue;
		if (check_path_word(c, cmd, &r->target))
			return true;
	}
	if (cmd->kind == CMD_FOR) {
		for (size_t i = 0; i < cmd->word_count; i++)
			if (check_path_word(c, cmd, &cmd->words[i]))
				return true;
		return false;
	}
	if (cmd->kind != CMD_SIMPLE || cmd->word_count == 0)
		return false;
	command_input(c, cmd, &in);
	return check_argv(c, cmd, cmd->words, cmd->word_count, &in);
}

bool
check_text(struct checker *c, const char *text, size_t len)
{
	struct script s;
	const char *why = NULL;

	if (++c->depth > CHECK_DEPTH_MAX)
		return deny(c, text, len, "depth",
		            "commands nested too deeply");
	if (shell_parse(&c->arena, text, len, c->g->home, &c->vars, &s, &why) !=
	    0)
		return deny(c, text, len, "parse", "cannot parse: %s", why);
	for (const struct command *cmd = s.first; cmd != NULL; cmd = cmd->next)
		if (check_command(c, cmd))
			return true;
	c->depth--;
	return false;
}

bool
guard_check_command(struct guard *g, const char *text, size_t len,
                    struct verdict *v)
{
	struct checker c = {.g = g, .v = v};
	bool denied;

	verdict_clear(v);
	snprintf(c.cwd, sizeof(c.cwd), "%s", g->cwd);
	denied = check_text(&c, text, len);
	arena_free(&c.arena);
	return denied;
}

bool
guard_check_path(struct guard *g, const char *path, struct verdict *v)
{
	struct checker c = {.g = g, .v = v};
	char abs[PATH_MAX * 2], real[PATH_MAX], dir[PATH_MAX * 2];
	char joined[PATH_MAX * 4];
	const struct rule *r;
	const char *shown = path;

	verdict_clear(v);
	snprintf(c.cwd, sizeof(c.cwd), "%s", g->cwd);
	if (!normalize(c.cwd, path, abs, sizeof(abs)))
		return deny(&c, path, strlen(path), "parse", "path too long");
	r = literal_path_rule(&c, abs);
	if (r == NULL && realpath(abs, real) != NULL) {
		r = literal_path_rule(&c, real);
		shown = real;
	} else if (r == NULL) {
		/* a file not there yet: where its directory leads */
		char *slash;

		memcpy(dir, abs, strlen(abs) + 1);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (realpath(dir[0] ? dir : "/", real) != NULL &&
		    strlen(real) + strlen(slash + 1) + 2 < sizeof(dir)) {
			snprintf(joined, sizeof(joined), "%s/%s",
			         strcmp(real, "/") ? real : "", slash + 1);
			r = literal_path_rule(&c, joined);
			shown = path;
		}
	}
	if (r != NULL)
		return deny(&c, path, strlen(path), r->text,
		            "reads protected path %s", printable(shown));
	return false;
}