/* SPDX-License-Identifier: ISC */
/* The checker on code-running interpreters (python -c, node -e and code on
 * their stdin) and on the policy's command rules. */
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util.h"

/* ---- interpreter code ---- */

bool
is_ident(int ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* WORD in code, as a whole word: not inside a longer name. */
static bool
code_has(const char *code, size_t len, const char *word)
{
	size_t wl = strlen(word);

	if (wl == 0 || wl > len)
		return false;
	for (size_t i = 0; i + wl <= len; i++) {
		if (memcmp(code + i, word, wl) != 0)
			continue;
		if (is_ident((unsigned char)word[0]) && i > 0 &&
		    (is_ident((unsigned char)code[i - 1]) ||
		     code[i - 1] == '.'))
			continue;
		if (is_ident((unsigned char)word[wl - 1]) && i + wl < len &&
		    is_ident((unsigned char)code[i + wl]))
			continue;
		return true;
	}
	return false;
}

/* Paths named in code: quoted strings that start with . / ~ or hold a '/'
 * (open('.env'), readFileSync("/proc/self/environ")). */
static bool
check_code_paths(struct checker *c, const struct command *cmd, const char *code,
                 size_t len)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < len; i++) {
		char q = code[i];
		size_t start, n;

		if (q != '\'' && q != '"' && q != '`')
			continue;
		start = ++i;
		while (i < len && code[i] != q && code[i] != '\n')
			i++;
		n = i - start;
		if (i >= len || code[i] != q || n == 0 || n >= sizeof(path) ||
		    memchr(code + start, WORD_UNKNOWN, n) != NULL)
			continue;
		memcpy(path, code + start, n);
		path[n] = '\0';
		if (path[0] != '.' && path[0] != '~' &&
		    strchr(path, '/') == NULL)
			continue;
		if (path[0] == '~' && path[1] == '/' && c->g->home != NULL) {
			char home_path[PATH_MAX];

			snprintf(home_path, sizeof(home_path), "%s%s",
			         c->g->home, path + 1);
			memcpy(path, home_path, strlen(home_path) + 1);
		}
		if (check_literal_path(c, cmd->src, cmd->src_len, path))
			return true;
	}
	return false;
}

static bool
check_code(struct checker *c, const struct command *cmd, const struct rule *r,
           const char *code, size_t len, bool subst, const char *name)
{
	if (subst)
		return DENY(c, cmd, "dynamic-code",
		            "%s runs code built by a command substitution",
		            printable(name));
	for (size_t i = 0; i < r->arg_count; i++)
		if (code_has(code, len, r->args[i]))
			return DENY(c, cmd, r->text,
			            "%s code reads the environment (%s)",
			            printable(name), r->args[i]);
	return check_code_paths(c, cmd, code, len);
}

bool
opt_value(const struct word *w, size_t n, size_t *i, const char *opt,
          const char **val, size_t *val_len, const struct word **vw)
{
	const struct word *x = &w[*i];
	size_t ol = strlen(opt);

	*vw = NULL;
	if (x->len < 2 || x->value[0] != '-')
		return false;
	if (opt[1] == '-') {
		if (x->len == ol && memcmp(x->value, opt, ol) == 0) {
			if (*i + 1 >= n)
				return false;
			*vw = &w[++*i];
			*val = (*vw)->value;
			*val_len = (*vw)->len;
			return true;
		}
		if (x->len > ol && memcmp(x->value, opt, ol) == 0 &&
		    x->value[ol] == '=') {
			*vw = x;
			*val = x->value + ol + 1;
			*val_len = x->len - ol - 1;
			return true;
		}
		return false;
	}
	if (x->value[1] == '-')
		return false;
	for (size_t k = 1; k < x->len; k++) {
		if (x->value[k] != opt[1])
			continue;
		if (k + 1 < x->len) {
			*vw = x;
			*val = x->value + k + 1;
			*val_len = x->len - k - 1;
			return true;
		}
		if (*i + 1 >= n)
			return false;
		*vw = &w[++*i];
		*val = (*vw)->value;
		*val_len = (*vw)->len;
		return true;
	}
	return false;
}

bool
check_deny_code(struct checker *c, const struct command *cmd,
                const struct word *w, size_t n, const struct input *in,
                const char *base, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_DENY_CODE, &from)) != NULL) {
		for (size_t o = 0; o < r->opt_count; o++) {
			bool operands = strcmp(r->opts[o], "operands") == 0;

			for (size_t i = 1; i < n; i++) {
				const char *val;
				size_t vlen;
				const struct word *vw;

				if (operands) {
					if (w[i].len > 0 &&
					    w[i].value[0] == '-')
						continue;
					vw = &w[i];
					val = vw->value;
					vlen = vw->len;
				} else if (!opt_value(w, n, &i, r->opts[o],
				                      &val, &vlen, &vw)) {
					continue;
				}
				if (check_code(c, cmd, r, val, vlen,
				               (vw->flags & W_SUBST) != 0,
				               base))
					return true;
			}
		}
		if (in->kind == IN_TEXT &&
		    check_code(c, cmd, r, in->text, in->len, in->subst, base))
			return true;
	}
	return false;
}

/* ---- command rules ---- */

/* -x: a short option cluster holding x; +x: the first argument, without
 * a dash, holding x; anything else: a glob against one argument. */
static bool
matcher_hits(const char *m, const struct word *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = w[i].value;

		if (word_has_unknown(&w[i]))
			continue;
		if (m[0] == '-' && m[1] != '\0' && m[1] != '-' &&
		    m[2] == '\0') {
			if (a[0] == '-' && a[1] != '-' && strchr(a + 1, m[1]))
				return true;
		} else if (m[0] == '+' && m[1] != '\0' && m[2] == '\0') {
			if (i == 1 && a[0] != '-' && strchr(a, m[1]) != NULL)
				return true;
		} else if (fnmatch(m, a, 0) == 0) {
			return true;
		}
	}
	return false;
}

static bool
rule_args_hit(const struct rule *r, const struct word *w, size_t n)
{
	for (size_t i = 0; i < r->arg_count; i++)
		if (!matcher_hits(r->args[i], w, n))
			return false;
	return true;
}

static bool
only_options(const struct word *w, size_t n)
{
	bool functions = n > 1;

	for (size_t i = 1; i < n; i++) {
		if (w[i].len == 0 ||
		    (w[i].value[0] != '-' && w[i].value[0] != '+'))
			return false;
		/* declare -f, -F: functions, not variables */
		functions =
		    functions && strspn(w[i].value + 1, "fF") == w[i].len - 1;
	}
	return !functions;
}

bool
check_command_rules(struct checker *c, const struct command *cmd,
                    const struct word *w, size_t n, const char *base, bool bare,
                    bool no_command, const struct matched *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->r[i]->kind == RULE_ALLOW_COMMAND &&
		    rule_args_hit(m->r[i], w, n))
			return false;
	for (size_t i = 0; i < m->n; i++) {
		const struct rule *r = m->r[i];

		if (r->kind == RULE_DENY_COMMAND && rule_args_hit(r, w, n))
			return DENY(c, cmd, r->text,
			            "%s is denied by the policy",
			            printable(base));
		if (r->kind == RULE_DENY_BARE && bare)
			return DENY(c, cmd, r->text,
			            "%s without %s dumps the environment",
			            printable(base),
			            no_command ? "a command" : "arguments");
		if (r->kind == RULE_DENY_LISTING && only_options(w, n))
			return DENY(c, cmd, r->text,
			            "%s without names lists variables",
			            printable(base));
	}
	return false;
}
