/* SPDX-License-Identifier: ISC */
/* The checker on wrappers, shells and string commands (env, sudo, sh -c,
 * eval, find -exec), and the check of one argument vector. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

/* ---- wrappers, shells, strings ---- */

enum spec_kind { SPEC_NONE, SPEC_FLAG, SPEC_VALUE, SPEC_LOOKUP, SPEC_STRING };

/* How a wrapper rule treats option opt ("-u" or "--user"). */
static enum spec_kind
wrapper_spec(const struct rule *r, const char *opt, size_t len)
{
	for (size_t i = 0; i < r->arg_count; i++) {
		const char *a = r->args[i];
		size_t al = strlen(a);

		if (al != len + 1 || memcmp(a, opt, len) != 0)
			continue;
		switch (a[len]) {
		case ':':
		case '=':
			return SPEC_VALUE;
		case '!':
			return SPEC_LOOKUP;
		case '@':
			return SPEC_STRING;
		}
	}
	return SPEC_FLAG;
}

static bool
is_assignment_text(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
	      (*s >= 'A' && *s <= 'Z')))
		return false;
	while (is_ident((unsigned char)*s))
		s++;
	return *s == '=';
}

/* A wrapper's words, and what its options said about the command. */
struct wrapped {
	const struct word *w;
	size_t n;
	size_t at;   /* where the command starts (n: none) */
	bool lookup; /* an option means the command is only looked up */
	bool string; /* an option takes the command as one string */
};

/* The rule's words that are not options: "assign" (NAME=value words
 * come before the command) and a count of operands to skip. */
static void
wrapper_operands(const struct rule *r, bool *assign, size_t *skip)
{
	*assign = false;
	*skip = 0;
	for (size_t k = 0; k < r->arg_count; k++) {
		if (strcmp(r->args[k], "assign") == 0)
			*assign = true;
		else if (r->args[k][0] >= '0' && r->args[k][0] <= '9')
			*skip = strtoul(r->args[k], NULL, 10);
	}
}

/*
 * One option of w[u->at] of kind k. off: where its value starts in the
 * same word (--file=VALUE, -fVALUE), or 0 when the value is the next
 * word, which u->at then moves to. A value names a file that is checked
 * as one (xargs --arg-file=.env reads it); a string is a command.
 */
static bool
wrapper_option(struct checker *c, const struct command *cmd, struct wrapped *u,
               enum spec_kind k, size_t off)
{
	const struct word *x = &u->w[u->at];
	struct word tail;

	if (k == SPEC_LOOKUP)
		u->lookup = true;
	if (k == SPEC_STRING)
		u->string = true;
	if (k != SPEC_VALUE && k != SPEC_STRING)
		return false;
	if (off == 0 && ++u->at >= u->n)
		return false;
	if (off == 0)
		return k == SPEC_VALUE ? check_operand(c, cmd, &u->w[u->at])
		                       : check_word_text(c, &u->w[u->at]);
	if (k == SPEC_STRING)
		return check_text(c, x->value + off, x->len - off);
	tail = *x;
	tail.value = x->value + off;
	tail.mask = x->mask + off;
	tail.len = x->len - off;
	return check_operand(c, cmd, &tail);
}

/* --name or --name=value. */
static bool
wrapper_long(struct checker *c, const struct command *cmd, const struct rule *r,
             struct wrapped *u)
{
	const char *s = u->w[u->at].value;
	const char *eq = strchr(s, '=');
	size_t len = eq ? (size_t)(eq - s) : strlen(s);

	return wrapper_option(c, cmd, u, wrapper_spec(r, s, len),
	                      eq ? len + 1 : 0);
}

/* A cluster of short options: -xy, -ufoo, -u foo. */
static bool
wrapper_short(struct checker *c, const struct command *cmd,
              const struct rule *r, struct wrapped *u)
{
	const char *s = u->w[u->at].value;

	for (size_t k = 1; s[k] != '\0'; k++) {
		char opt[3] = {'-', s[k], '\0'};
		enum spec_kind kind = wrapper_spec(r, opt, 2);
		bool value = kind == SPEC_VALUE || kind == SPEC_STRING;

		/* the rest of the cluster is the value */
		if (wrapper_option(c, cmd, u, kind,
		                   value && s[k + 1] != '\0' ? k + 1 : 0))
			return true;
		if (value)
			break;
	}
	return false;
}

/* Skip a wrapper's options and operands: u->at is where the command
 * starts. true when an option's value or string is denied. */
static bool
unwrap(struct checker *c, const struct command *cmd, const struct rule *r,
       struct wrapped *u)
{
	size_t skip;
	bool assign;

	wrapper_operands(r, &assign, &skip);
	u->lookup = false;
	u->string = false;
	for (u->at = 1; u->at < u->n; u->at++) {
		const struct word *x = &u->w[u->at];
		const char *s = x->value;

		if (word_has_unknown(x) && s[0] != '-')
			break;
		if (strcmp(s, "--") == 0) {
			u->at++;
			break;
		}
		if (strcmp(s, "-") == 0 || (assign && is_assignment_text(s)))
			continue;
		if (s[0] == '-' && s[1] == '-') {
			if (wrapper_long(c, cmd, r, u))
				return true;
			continue;
		}
		if (s[0] == '-' && s[1] != '\0') {
			if (wrapper_short(c, cmd, r, u))
				return true;
			continue;
		}
		if (skip == 0)
			break;
		skip--;
	}
	if (u->at > u->n)
		u->at = u->n;
	return false;
}

/* sh -c STRING, sh SCRIPT, or sh reading stdin. *string_at: the -c word. */
static bool
check_shell(struct checker *c, const struct command *cmd, const struct word *w,
            size_t n, const struct input *in, size_t *string_at)
{
	size_t i = 1;
	bool has_c = false;

	*string_at = 0;
	while (i < n) {
		const char *s = w[i].value;

		if (strcmp(s, "--") == 0 || strcmp(s, "-") == 0) {
			i++;
			break;
		}
		if ((s[0] != '-' && s[0] != '+') || s[1] == '\0' ||
		    word_has_unknown(&w[i]))
			break;
		if (s[0] == '-' && s[1] == '-') {
			if (strcmp(s, "--rcfile") == 0 ||
			    strcmp(s, "--init-file") == 0)
				i++;
			i++;
			continue;
		}
		bool value = false;

		for (size_t k = 1; s[k] != '\0'; k++) {
			if (s[k] == 'c')
				has_c = true;
			if (s[k] == 'o' || s[k] == 'O')
				value = true;
		}
		i += value ? 2 : 1;
	}
	if (has_c) {
		if (i >= n)
			return false;
		*string_at = i;
		return check_word_text(c, &w[i]);
	}
	if (i < n)
		return false; /* a script file: checked as a path */
	if (in->kind == IN_TEXT) {
		if (in->subst)
			return DENY(c, cmd, "dynamic-shell-input",
			            "a shell reads commands built by a command "
			            "substitution");
		return check_text(c, in->text, in->len);
	}
	if (in->kind == IN_UNKNOWN)
		return DENY(c, cmd, "dynamic-shell-input",
		            "a shell reads commands from a pipe cmdguard "
		            "cannot see");
	return false;
}

static bool
check_string_command(struct checker *c, const struct rule *r,
                     const struct word *w, size_t n)
{
	for (size_t k = 0; k < r->arg_count; k++) {
		const char *spec = r->args[k];

		if (strcmp(spec, "all") == 0) {
			if (n > 1 && check_joined(c, w, 1, n))
				return true;
		} else if (strcmp(spec, "values") == 0) {
			for (size_t i = 1; i < n; i++) {
				const char *eq =
				    memchr(w[i].value, '=', w[i].len);
				size_t off, len;
				char *t;

				if (eq == NULL)
					continue;
				off = (size_t)(eq + 1 - w[i].value);
				t = nested_text(c, w[i].value + off,
				                w[i].mask + off, w[i].len - off,
				                &len);
				if (check_text(c, t, len))
					return true;
			}
		} else if (spec[0] >= '1' && spec[0] <= '9') {
			size_t want = strtoul(spec, NULL, 10), seen = 0;
			bool options = true;

			for (size_t i = 1; i < n; i++) {
				if (options && strcmp(w[i].value, "--") == 0) {
					options = false;
					continue;
				}
				if (options && w[i].len > 1 &&
				    w[i].value[0] == '-')
					continue;
				if (++seen == want)
					return check_word_text(c, &w[i]);
			}
		} else {
			for (size_t i = 1; i < n; i++) {
				const char *val;
				size_t vlen, off;
				const struct word *vw;
				char *t;

				if (!opt_value(w, n, &i, spec, &val, &vlen,
				               &vw))
					continue;
				off = (size_t)(val - vw->value);
				t = nested_text(c, val, vw->mask + off, vlen,
				                &vlen);
				if (check_text(c, t, vlen))
					return true;
			}
		}
	}
	return false;
}

/* find ... -exec CMD ... ; */
static bool
check_exec_options(struct checker *c, const struct command *cmd,
                   const struct word *w, size_t n, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_EXEC_OPTION, &from)) != NULL) {
		for (size_t i = 1; i < n; i++) {
			bool hit = false;

			for (size_t k = 0; k < r->arg_count && !hit; k++)
				hit = word_is(&w[i], r->args[k]);
			if (!hit)
				continue;
			size_t j = i + 1;

			while (j < n && !word_is(&w[j], ";") &&
			       !word_is(&w[j], "+"))
				j++;
			if (j > i + 1) {
				struct input none = {.kind = IN_NONE};

				if (check_argv(c, cmd, w + i + 1, j - i - 1,
				               &none))
					return true;
			}
			i = j;
		}
	}
	return false;
}

/* find -name '.env*': the value is a pattern even though it is quoted. */
static bool
check_glob_options(struct checker *c, const struct command *cmd,
                   const struct word *w, size_t n, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_GLOB_OPTION, &from)) != NULL) {
		for (size_t i = 1; i + 1 < n; i++) {
			bool hit = false;

			for (size_t k = 0; k < r->arg_count && !hit; k++)
				hit = word_is(&w[i], r->args[k]);
			if (!hit)
				continue;
			struct word g = w[i + 1];

			g.mask = arena_alloc(&c->arena, g.len + 1);
			for (size_t k = 0; k < g.len; k++) {
				g.mask[k] = w[i + 1].mask[k];
				if (strchr("*?[]", g.value[k]) != NULL &&
				    g.value[k] != '\0')
					g.mask[k] |= M_GLOB;
			}
			if (check_path_word(c, cmd, &g))
				return true;
		}
	}
	return false;
}

static bool
check_source(struct checker *c, const struct command *cmd, const struct word *w,
             size_t n)
{
	size_t i = 1;

	if (i < n && word_is(&w[i], "--"))
		i++;
	if (i >= n)
		return false;
	if (w[i].flags & W_SUBST)
		return DENY(c, cmd, "dynamic-source",
		            "sources the output of a command");
	if (strncmp(w[i].value, "/dev/", 5) == 0 ||
	    strncmp(w[i].value, "/proc/", 6) == 0)
		return DENY(c, cmd, "dynamic-source", "sources a stream (%s)",
		            printable(w[i].value));
	return false;
}

static void
track_cd(struct checker *c, const struct word *w, size_t n)
{
	char out[PATH_MAX];
	size_t i = 1;

	while (i < n && w[i].len > 1 && w[i].value[0] == '-')
		i++;
	if (i >= n) {
		if (c->g->home != NULL)
			snprintf(c->cwd, sizeof(c->cwd), "%s", c->g->home);
		return;
	}
	if (word_has_unknown(&w[i]) ||
	    word_is_wild(w[i].value, w[i].mask, w[i].len))
		return;
	if (normalize(c->cwd, w[i].value, out, sizeof(out)))
		memcpy(c->cwd, out, strlen(out) + 1);
}

static bool
check_arguments(struct checker *c, const struct command *cmd,
                const struct word *w, size_t n, const struct matched *m,
                size_t skip_at)
{
	bool pattern = find_rule(m, RULE_PATTERN_ARG, NULL) != NULL;
	bool options = true;

	if (find_rule(m, RULE_NO_READ, NULL) != NULL)
		return false;
	for (size_t i = 1; i < n && pattern; i++)
		if (word_is(&w[i], "-e") || word_is(&w[i], "-f") ||
		    strncmp(w[i].value, "--regexp", 8) == 0 ||
		    strncmp(w[i].value, "--file", 6) == 0)
			pattern = false;
	for (size_t i = 1; i < n; i++) {
		if (i == skip_at)
			continue;
		if (options && word_is(&w[i], "--")) {
			options = false;
			continue;
		}
		if (options && w[i].len > 1 && w[i].value[0] == '-') {
			if (check_option_value(c, cmd, &w[i]))
				return true;
			continue;
		}
		if (pattern) {
			pattern = false;
			continue;
		}
		if (check_operand(c, cmd, &w[i]))
			return true;
	}
	return false;
}

static bool
has_shell_syntax(const struct word *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (strchr(" \t\n;|&<>", w->value[i]) != NULL && w->value[i])
			return true;
	return false;
}

bool
check_argv(struct checker *c, const struct command *cmd, const struct word *w,
           size_t n, const struct input *in)
{
	const struct word *name = &w[0];
	const struct rule *r;
	const char *base;
	size_t string_at = 0;
	bool bare = n == 1, no_command = false;
	struct matched matched, *m = &matched;

	if (++c->depth > CHECK_DEPTH_MAX)
		return DENY(c, cmd, "depth", "commands nested too deeply");
	if ((name->flags & W_EXPANDED) &&
	    memmem(name->src, name->src_len, UNKNOWN_TEXT,
	           strlen(UNKNOWN_TEXT)))
		return DENY(c, cmd, "dynamic-command",
		            "the command to run is computed at run time");
	if (name->flags & W_EXPANDED)
		return DENY(c, cmd, "dynamic-command",
		            "command name is not a literal word: %s",
		            printable(arena_strndup(&c->arena, name->src,
		                                    name->src_len)));
	if (word_is_wild(name->value, name->mask, name->len))
		return DENY(c, cmd, "dynamic-command",
		            "command name is a pattern: %s",
		            printable(name->value));
	base = base_name(name->value);
	collect_rules(c, base, &matched);
	if (strcmp(base, "cd") == 0 || strcmp(base, "pushd") == 0)
		track_cd(c, w, n);

	r = find_rule(m, RULE_WRAPPER, NULL);
	if (r != NULL) {
		struct wrapped u = {.w = w, .n = n};
		size_t at;

		if (unwrap(c, cmd, r, &u))
			return true;
		at = u.at;
		if (u.lookup || (u.string && at >= n)) {
			c->depth--;
			return false;
		}
		if (at < n) {
			bool denied;

			if (!(w[at].flags & W_EXPANDED) &&
			    has_shell_syntax(&w[at]))
				denied = check_joined(c, w, at, n);
			else
				denied = check_argv(c, cmd, w + at, n - at, in);
			c->depth--;
			return denied;
		}
		bare = true;
		n = 1;
		no_command = true;
	}
	if (find_rule(m, RULE_SHELL, NULL) != NULL &&
	    check_shell(c, cmd, w, n, in, &string_at))
		return true;
	if (strcmp(base, "source") == 0 || strcmp(base, ".") == 0) {
		if (check_source(c, cmd, w, n))
			return true;
	}
	for (size_t from = 0;
	     (r = find_rule(m, RULE_STRING_COMMAND, &from)) != NULL;)
		if (check_string_command(c, r, w, n))
			return true;
	if (check_exec_options(c, cmd, w, n, m) ||
	    check_glob_options(c, cmd, w, n, m) ||
	    check_command_rules(c, cmd, w, n, base, bare, no_command, m) ||
	    check_deny_code(c, cmd, w, n, in, base, m) ||
	    check_arguments(c, cmd, w, n, m, string_at))
		return true;
	c->depth--;
	return false;
}
