/* SPDX-License-Identifier: ISC */
/* The policy: a line-based text file of rules (format in cmdguard(1)). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "util.h"
#include "guard_policy.h"

#include "default_policy.h"

const char policy_default_text[] = DEFAULT_POLICY;

#define FIELDS_MAX 64

static const struct {
	const char *word;
	enum rule_kind kind;
	int min_fields; /* after the directive */
} directives[] = {
    {"deny-command", RULE_DENY_COMMAND, 1},
    {"allow-command", RULE_ALLOW_COMMAND, 1},
    {"deny-bare", RULE_DENY_BARE, 1},
    {"deny-listing", RULE_DENY_LISTING, 1},
    {"deny-code", RULE_DENY_CODE, 3},
    {"deny-path", RULE_DENY_PATH, 1},
    {"allow-path", RULE_ALLOW_PATH, 1},
    {"no-read", RULE_NO_READ, 1},
    {"pattern-arg", RULE_PATTERN_ARG, 1},
    {"wrapper", RULE_WRAPPER, 1},
    {"shell", RULE_SHELL, 1},
    {"string-command", RULE_STRING_COMMAND, 2},
    {"exec-option", RULE_EXEC_OPTION, 2},
    {"glob-option", RULE_GLOB_OPTION, 2},
    {"secret-name", RULE_SECRET_NAME, 1},
    {"command-var", RULE_COMMAND_VAR, 1},
    {"secret-arg", RULE_SECRET_ARG, 1},
};

/* "a,b,c" into a new array. */
static char **
split_commas(const char *s, size_t *count)
{
	size_t n = 1;
	char **out;
	const char *start = s;

	for (const char *c = s; *c != '\0'; c++)
		n += *c == ',';
	out = xcalloc(n, sizeof(*out));
	*count = 0;
	for (const char *c = s;; c++) {
		if (*c == ',' || *c == '\0') {
			if (c > start)
				out[(*count)++] =
				    strndup(start, (size_t)(c - start));
			if (*count > 0 && out[*count - 1] == NULL)
				err(EXIT_FAIL, "strndup");
			if (*c == '\0')
				break;
			start = c + 1;
		}
	}
	return out;
}

static char **
copy_fields(char **f, size_t n)
{
	char **out = xcalloc(n, sizeof(*out));

	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(f[i]);
	return out;
}

/*
 * ~ at the start, $SECENV_HOME and $SECENV_RUNTIME anywhere. NULL when
 * a variable the pattern needs is not known (the rule is then skipped).
 */
char *
policy_expand_path(const char *pat, const struct policy_vars *vars)
{
	char buf[8192];
	size_t n = 0;
	const char *s = pat;

	if (s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		if (vars->home == NULL)
			return NULL;
		n = (size_t)snprintf(buf, sizeof(buf), "%s", vars->home);
		s++;
	}
	while (*s != '\0' && n < sizeof(buf) - 1) {
		const char *val = NULL;
		size_t skip = 0;

		if (strncmp(s, "$SECENV_HOME", 12) == 0) {
			val = vars->secenv_home;
			skip = 12;
		} else if (strncmp(s, "$SECENV_RUNTIME", 15) == 0) {
			val = vars->runtime;
			skip = 15;
		}
		if (skip > 0) {
			if (val == NULL)
				return NULL;
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s",
			                      val);
			s += skip;
			continue;
		}
		buf[n++] = *s++;
	}
	if (n >= sizeof(buf) - 1)
		return NULL;
	buf[n] = '\0';
	/* a directory pattern is the same without its trailing slash */
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return xstrdup(buf);
}

static void
rule_free(struct rule *r)
{
	if (r->builtin) {
		if (r->kind == RULE_DENY_PATH || r->kind == RULE_ALLOW_PATH) {
			free(r->args[0]);
			free(r->args);
		}
		return;
	}
	for (size_t i = 0; i < r->name_count; i++)
		free(r->names[i]);
	for (size_t i = 0; i < r->arg_count; i++)
		free(r->args[i]);
	for (size_t i = 0; i < r->opt_count; i++)
		free(r->opts[i]);
	free(r->names);
	free(r->args);
	free(r->opts);
	free(r->text);
}

void
policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->count; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	p->rules = NULL;
	p->count = p->cap = 0;
}

void
policy_reserve(struct policy *p, size_t more)
{
	size_t cap = p->count + more;
	struct rule *r;

	if (cap <= p->cap)
		return;
	if ((r = realloc(p->rules, cap * sizeof(*r))) == NULL)
		err(EXIT_FAIL, "realloc");
	p->rules = r;
	p->cap = cap;
}

static struct rule *
rule_room(struct policy *p)
{
	if (p->count == p->cap)
		policy_reserve(p, p->cap ? p->cap : 64);
	return &p->rules[p->count++];
}

static struct rule *
rule_add(struct policy *p, enum rule_kind kind, const char *text)
{
	struct rule *r = rule_room(p);

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->text = xstrdup(text);
	return r;
}

struct rule *
policy_rule_append(struct policy *p, const struct rule *from)
{
	struct rule *r = rule_room(p);

	*r = *from;
	return r;
}

void
policy_path_rule(struct rule *r, char *pat)
{
	r->args = xcalloc(1, sizeof(*r->args));
	r->args[0] = pat;
	r->arg_count = 1;
	r->anchored = strchr(pat, '/') != NULL;
	r->relative = r->anchored && pat[0] != '/';
}

/* One field per path or name, so each rule names exactly what it covers. */
static void
add_each(struct policy *p, enum rule_kind kind, const char *word, char **f,
         size_t n, const struct policy_vars *vars)
{
	char text[512];

	for (size_t i = 0; i < n; i++) {
		char *pat = f[i];
		struct rule *r;

		if (kind == RULE_DENY_PATH || kind == RULE_ALLOW_PATH) {
			pat = vars != NULL ? policy_expand_path(f[i], vars)
			                   : xstrdup(f[i]);
			if (pat == NULL)
				continue;
		}
		snprintf(text, sizeof(text), "%s %s", word, f[i]);
		r = rule_add(p, kind, text);
		if (kind == RULE_DENY_PATH || kind == RULE_ALLOW_PATH) {
			policy_path_rule(r, pat);
		} else {
			r->names = split_commas(f[i], &r->name_count);
		}
	}
}

static void
join_fields(char *text, size_t size, char **f, size_t n)
{
	size_t len = 0;

	text[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(text + len, size - len, "%s%s",
		                        i ? " " : "", f[i]);
}

static int
policy_line(struct policy *p, char **f, size_t n,
            const struct policy_vars *vars, const char **why)
{
	char text[512];
	size_t d;

	if (strcmp(f[0], "reset") == 0 && n == 1) {
		policy_free(p);
		return 0;
	}
	for (d = 0; d < sizeof(directives) / sizeof(directives[0]); d++)
		if (strcmp(f[0], directives[d].word) == 0)
			break;
	if (d == sizeof(directives) / sizeof(directives[0])) {
		*why = "unknown directive";
		return -1;
	}
	if ((int)n - 1 < directives[d].min_fields) {
		*why = "missing fields";
		return -1;
	}
	enum rule_kind kind = directives[d].kind;

	switch (kind) {
	case RULE_DENY_PATH:
	case RULE_ALLOW_PATH:
	case RULE_NO_READ:
	case RULE_PATTERN_ARG:
	case RULE_SHELL:
	case RULE_SECRET_NAME:
	case RULE_COMMAND_VAR:
	case RULE_SECRET_ARG:
	case RULE_DENY_BARE:
	case RULE_DENY_LISTING:
		add_each(p, kind, f[0], f + 1, n - 1, vars);
		return 0;
	default:
		break;
	}
	join_fields(text, sizeof(text), f, n);
	struct rule *r = rule_add(p, kind, text);

	r->names = split_commas(f[1], &r->name_count);
	if (kind == RULE_DENY_CODE) {
		r->opts = split_commas(f[2], &r->opt_count);
		r->args = copy_fields(f + 3, n - 3);
		r->arg_count = n - 3;
	} else {
		r->args = copy_fields(f + 2, n - 2);
		r->arg_count = n - 2;
	}
	return 0;
}

int
policy_load_text(struct policy *p, const char *text, size_t len,
                 const struct policy_vars *vars, const char **why, size_t *line)
{
	size_t at = 0;

	*line = 0;
	while (at < len) {
		char buf[4096], *f[FIELDS_MAX];
		size_t n = 0, end = at;

		while (end < len && text[end] != '\n')
			end++;
		++*line;
		if (end - at >= sizeof(buf)) {
			*why = "line too long";
			return -1;
		}
		memcpy(buf, text + at, end - at);
		buf[end - at] = '\0';
		at = end + 1;
		for (char *s = buf;;) {
			while (*s == ' ' || *s == '\t' || *s == '\r')
				s++;
			if (*s == '\0' || *s == '#')
				break;
			if (n == FIELDS_MAX) {
				*why = "too many fields";
				return -1;
			}
			f[n++] = s;
			while (*s != '\0' && *s != ' ' && *s != '\t' &&
			       *s != '\r')
				s++;
			if (*s != '\0')
				*s++ = '\0';
		}
		if (n > 0 && policy_line(p, f, n, vars, why) != 0)
			return -1;
	}
	return 0;
}
