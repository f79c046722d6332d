/* SPDX-License-Identifier: ISC */
/* cmdguard's policy: its rules and how a policy text loads (policy.c). */
#ifndef CMDGUARD_GUARD_POLICY_H
#define CMDGUARD_GUARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>

enum rule_kind {
	RULE_DENY_COMMAND,
	RULE_ALLOW_COMMAND,
	RULE_DENY_BARE,
	RULE_DENY_LISTING,
	RULE_DENY_CODE,
	RULE_DENY_PATH,
	RULE_ALLOW_PATH,
	RULE_NO_READ,
	RULE_PATTERN_ARG,
	RULE_WRAPPER,
	RULE_SHELL,
	RULE_STRING_COMMAND,
	RULE_EXEC_OPTION,
	RULE_GLOB_OPTION,
	RULE_SECRET_NAME,
	RULE_COMMAND_VAR,
	RULE_SECRET_ARG,
	RULE_KIND_COUNT
};

struct rule {
	enum rule_kind kind;
	char **names; /* command name globs (comma list); NULL for paths */
	size_t name_count;
	char **args;
	size_t arg_count;
	char **opts; /* deny-code: the options that carry code */
	size_t opt_count;
	char *text;    /* the line as written, for messages */
	bool anchored; /* path rules: the pattern holds a '/' */
	bool relative; /* anchored, but matched at any depth (a/b, not /a/b) */
	/* one of the default policy's (builtin.c): its strings are static,
	 * only a path rule's expanded pattern (args) is its own */
	bool builtin;
};

struct policy {
	struct rule *rules;
	size_t count, cap;
};

/*
 * Add the rules of a policy text. ~ and $SECENV_HOME, $SECENV_RUNTIME
 * are expanded in path patterns from the vars given (vars NULL: kept as
 * written, for the build's table of the default policy); a pattern
 * whose variable is not known is left out. 0, or -1 with *why (static)
 * and *line set.
 */
struct policy_vars {
	const char *home;
	const char *secenv_home;
	const char *runtime;
};
int policy_load_text(struct policy *p, const char *text, size_t len,
                     const struct policy_vars *vars, const char **why,
                     size_t *line);
extern const char policy_default_text[];
void policy_free(struct policy *p);

/* pat with ~, $SECENV_HOME and $SECENV_RUNTIME expanded (NULL when one
 * it holds is not known), without a trailing slash; a new string. */
char *policy_expand_path(const char *pat, const struct policy_vars *vars);
/* A path rule's fields from its expanded pattern (taken over). */
void policy_path_rule(struct rule *r, char *pat);

/*
 * Add the default policy's rules, as policy_load_text() would add them
 * from policy_default_text: the build parsed that text with it into a
 * table (builtin.c), so a run does not parse it again. Path patterns are
 * expanded from vars.
 */
void policy_add_builtin(struct policy *p, const struct policy_vars *vars);
/* Room in p for more rules, made at once; and a rule appended to p (a
 * copy of r's fields): for builtin.c. */
void policy_reserve(struct policy *p, size_t more);
struct rule *policy_rule_append(struct policy *p, const struct rule *r);

#endif
