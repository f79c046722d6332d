/* SPDX-License-Identifier: ISC */
/* cmdguard's word model: the parse arena, words, commands and scripts, and
 * the shell parser that makes them (lexer.c, parser.c, arena.c). */
#ifndef CMDGUARD_GUARD_WORDS_H
#define CMDGUARD_GUARD_WORDS_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size);
void arena_free(struct arena *a);

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

#endif
