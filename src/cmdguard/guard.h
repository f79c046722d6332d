/* SPDX-License-Identifier: ISC */
/* cmdguard internals: the shell parser, the policy and the checker. */
#ifndef CMDGUARD_GUARD_H
#define CMDGUARD_GUARD_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- arena: every parse allocation lives until arena_free() ---- */

struct arena_block;
struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size);
void arena_free(struct arena *a);

/* ---- words ---- */

/*
 * A word after quote removal. value holds the text the shell would see;
 * bytes it cannot know (an unknown variable, a command substitution)
 * are WORD_UNKNOWN with M_UNKNOWN set in mask.
 */
#define WORD_UNKNOWN '\x01'
#define M_GLOB 0x01    /* an unquoted * ? [ ] */
#define M_BRACE 0x02   /* an unquoted { , } */
#define M_UNKNOWN 0x04 /* a byte the shell computes at run time */

#define W_EXPANDED 0x01 /* holds $..., `...`, <(...) */
#define W_SUBST 0x02    /* holds a command or process substitution */
#define W_QUOTED 0x04   /* some part was quoted or escaped */

enum ref_kind {
	REF_PLAIN,   /* $NAME, ${NAME...}, NAME in arithmetic */
	REF_PREFIX,  /* ${!PREFIX*} */
	REF_INDIRECT /* ${!NAME} */
};

struct ref {
	const char *name;
	enum ref_kind kind;
};

struct word {
	char *value;
	unsigned char *mask;
	size_t len;
	unsigned flags;
	const char *src; /* the source text of the word */
	size_t src_len;
	struct ref *refs;
	size_t ref_count;
};

enum redir_op {
	R_IN,         /* <  */
	R_OUT,        /* > >| */
	R_APPEND,     /* >> */
	R_INOUT,      /* <> */
	R_DUP,        /* <& >& with a descriptor or - */
	R_HEREDOC,    /* << <<- */
	R_HERESTRING, /* <<< */
	R_OUTERR      /* &> &>> >&file */
};

struct redir {
	enum redir_op op;
	struct word target; /* file, descriptor, here-string, delimiter */
	struct word body;   /* a here-document's text (expanded if unquoted) */
	bool has_body;
};

enum command_kind {
	CMD_SIMPLE, /* NAME ARGS... with assignments and redirections */
	CMD_FOR,    /* the word list of for/select: names files */
	CMD_KEYWORD /* case words, arithmetic, [[ ]]: expansions only */
};

struct command {
	enum command_kind kind;
	struct word *words;
	size_t word_count, word_cap;
	struct word *assigns; /* NAME=value prefixes, the whole word */
	size_t assign_count, assign_cap;
	struct redir *redirs;
	size_t redir_count, redir_cap;
	const char *src; /* source text of the command */
	size_t src_len;
	struct command *pipe_prev; /* a simple command feeding stdin */
	bool piped;                /* stdin is a pipe (pipe_prev or unknown) */
	struct command *next;
};

struct script {
	struct command *first, *last;
};

/* A variable the parse has seen set to a known value (X=.env; cat $X). */
struct known_var {
	const char *name;
	char *value;
	unsigned char *mask;
	size_t len;
	struct known_var *next;
};

/*
 * Parse text into out (commands in source order, nested ones included).
 * 0, or -1 with *why a static message. vars may be shared between parses
 * of one check so that X=.env in one string is known in a nested one.
 */
int shell_parse(struct arena *a, const char *text, size_t len, const char *home,
                struct known_var **vars, struct script *out, const char **why);

/* Split a word by brace expansion into *out (count in *n). 0, or -1. */
int brace_expand(struct arena *a, const struct word *w, struct word **out,
                 size_t *n);

/* ---- globs ---- */

/*
 * May some path match both a shell word (with its unquoted globs and
 * unknown parts) and a policy pattern? pinned requires that a literal
 * character of the word meets a literal character of the pattern, so
 * that an unknown $DIR alone matches nothing.
 */
bool glob_word_meets_pattern(const char *value, const unsigned char *mask,
                             size_t len, const char *pattern, bool pinned);

/* The same, with the word compiled once for many patterns. */
struct glob_word;
struct glob_word *glob_word_new(const char *value, const unsigned char *mask,
                                size_t len);
bool glob_word_meets(const struct glob_word *w, const char *pattern,
                     bool pinned);
void glob_word_free(struct glob_word *w);

/* fnmatch(pattern, s, flags) == 0, faster for literal patterns. */
bool match_fast(const char *pattern, const char *s, int flags);

/* true when the word holds an unquoted glob or an unknown part. */
bool word_is_wild(const char *value, const unsigned char *mask, size_t len);

/* ---- policy ---- */

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
};

struct policy {
	struct rule *rules;
	size_t count, cap;
};

/*
 * Add the rules of a policy text. ~ and $SECENV_HOME, $SECENV_RUNTIME
 * are expanded in path patterns from the vars given. 0, or -1 with
 * *why (static) and *line set.
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

/* ---- the checker ---- */

struct verdict {
	bool denied;
	char rule[128];
	char reason[256];
	char *at; /* the offending command or path, malloc'd */
};

struct guard {
	const struct policy *policy;
	char **secret_names;
	size_t secret_count;
	const char *home;
	char cwd[4096];
	bool use_filesystem; /* resolve symbolic links of literal paths */
};

/* Decide a command string; returns true when denied. */
bool guard_check_command(struct guard *g, const char *text, size_t len,
                         struct verdict *v);

/* Decide whether path may be read; true when denied. */
bool guard_check_path(struct guard *g, const char *path, struct verdict *v);

void verdict_clear(struct verdict *v);

/* ---- the whole decision, as cmdguard's command line asks for it ---- */

enum cmdguard_action { ACT_COMMAND, ACT_PATH };

#define LISTS_MAX 64

struct cmdguard_options {
	enum cmdguard_action action;
	const char *blob, *policy, *path;
	const char *names[LISTS_MAX]; /* every -n, each a comma list */
	size_t name_lists;
	char *const *secret_names; /* more names, as an array (secenv-run) */
	size_t secret_count;
	bool json;
};

/*
 * Load the policy and the secret names of o and decide command (len
 * bytes; unused for ACT_PATH): true when denied, with the reason in *v
 * (verdict_clear() it). Dies 100 or 111 with a message on bad input or
 * a failure, as cmdguard does.
 */
bool cmdguard_decide(const struct cmdguard_options *o, const char *command,
                     size_t len, struct verdict *v);

/*
 * Load the policy and the secret names, decide the command (argv[0], or
 * stdin when argc is 0) or the path, print "cmdguard: denied: REASON" on
 * stderr (and the verdict on stdout with json). EXIT_OK or EXIT_NO;
 * dies 100 or 111 with a message on bad input or a failure.
 */
int cmdguard_run(const struct cmdguard_options *o, int argc, char **argv);

#endif
