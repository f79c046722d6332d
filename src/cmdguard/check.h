/* SPDX-License-Identifier: ISC */
/* The checker's shared state, private to check*.c: the core (check.c),
 * paths (check_paths.c), interpreters and command rules (check_code.c),
 * wrappers, shells and argument vectors (check_wrappers.c). */
#ifndef CMDGUARD_CHECK_H
#define CMDGUARD_CHECK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "guard_check.h"
#include "guard_glob.h"
#include "guard_words.h"

#define CHECK_DEPTH_MAX 16
#define UNKNOWN_TEXT "$__cmdguard_unknown"

struct checker {
	struct guard *g;
	struct arena arena;
	struct known_var *vars;
	char cwd[PATH_MAX];
	struct verdict *v;
	int depth;
};

/* Where a command's stdin comes from. */
enum input_kind { IN_NONE, IN_TEXT, IN_FILE, IN_UNKNOWN };
struct input {
	enum input_kind kind;
	const char *text; /* IN_TEXT */
	size_t len;
	bool subst; /* the text holds a command substitution */
};

/* The rules that name one command, collected once per command. */
#define MATCHED_MAX 64
struct matched {
	const struct rule *r[MATCHED_MAX];
	size_t n;
};

/* check.c: verdicts and small helpers */

/* Record the denial in c->v (at: the offending text); returns true. */
__attribute__((format(printf, 5, 6))) bool
deny(struct checker *c, const char *at, size_t at_len, const char *rule,
     const char *fmt, ...);
#define DENY(c, cmd, rule, ...)                                                \
	deny((c), (cmd)->src, (cmd)->src_len, (rule), __VA_ARGS__)

bool word_is(const struct word *w, const char *s);
bool word_has_unknown(const struct word *w);
const char *base_name(const char *s);
bool names_match(const struct rule *r, const char *name);
void collect_rules(const struct checker *c, const char *name,
                   struct matched *m);
/* The next rule of kind in m from *from (NULL: the first), or NULL. */
const struct rule *find_rule(const struct matched *m, enum rule_kind kind,
                             size_t *from);

/* Text for a nested parse: unknown parts become a variable, so that an
 * unknown command name is still seen as not literal. */
char *nested_text(struct checker *c, const char *v, const unsigned char *m,
                  size_t len, size_t *out_len);

/* check.c: nested text, checked as a script of its own */
bool check_text(struct checker *c, const char *text, size_t len);
bool check_word_text(struct checker *c, const struct word *w);
/* Join words [from, to) with spaces, for eval and the like. */
bool check_joined(struct checker *c, const struct word *w, size_t from,
                  size_t to);
void command_input(struct checker *c, const struct command *cmd,
                   struct input *in);

/* check_paths.c */

/* Make path absolute against cwd and fold "." and ".." (lexically). */
bool normalize(const char *cwd, const char *path, char *out, size_t size);
/* The path rule an absolute path falls under, or NULL. */
const struct rule *literal_path_rule(const struct checker *c, const char *abs);
bool check_literal_path(struct checker *c, const char *at, size_t at_len,
                        const char *path);
bool check_path_word(struct checker *c, const struct command *cmd,
                     const struct word *w);
/* A path word, and the path inside it: if=.env (dd), @.env (curl -d). */
bool check_operand(struct checker *c, const struct command *cmd,
                   const struct word *w);
/* The part of an option word after '=' (--file=.env), as a word. */
bool check_option_value(struct checker *c, const struct command *cmd,
                        const struct word *w);

/* check_code.c */

bool is_ident(int ch);
/*
 * w[*i] is option opt (-x or --long) with a value: *val, *val_len and
 * the word *vw that holds it; *i moves past a value in the next word.
 */
bool opt_value(const struct word *w, size_t n, size_t *i, const char *opt,
               const char **val, size_t *val_len, const struct word **vw);
bool check_deny_code(struct checker *c, const struct command *cmd,
                     const struct word *w, size_t n, const struct input *in,
                     const char *base, const struct matched *m);
bool check_command_rules(struct checker *c, const struct command *cmd,
                         const struct word *w, size_t n, const char *base,
                         bool bare, bool no_command, const struct matched *m);

/* check_wrappers.c: one argument vector (a simple command, or the one a
 * wrapper or find -exec runs) with its stdin */
bool check_argv(struct checker *c, const struct command *cmd,
                const struct word *w, size_t n, const struct input *in);

#endif
