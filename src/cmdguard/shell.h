/* SPDX-License-Identifier: ISC */
/* The shell lexer and parser's shared state (lexer.c, parser.c). */
#ifndef CMDGUARD_SHELL_H
#define CMDGUARD_SHELL_H

#include <setjmp.h>

#include "guard_words.h"

#define PARSE_DEPTH_MAX 64
#define PARSE_BUDGET (16u << 20)

enum token_type {
	T_WORD,
	T_NEWLINE,
	T_EOF,
	T_SEMI,    /* ; */
	T_AMP,     /* & */
	T_AND,     /* && */
	T_OR,      /* || */
	T_PIPE,    /* | */
	T_PIPEAMP, /* |& */
	T_LPAREN,  /* ( */
	T_RPAREN,  /* ) */
	T_DSEMI,   /* ;; ;& ;;& */
	T_REDIR    /* < > >> <> >| <& >& << <<- <<< &> &>> */
};

struct token {
	enum token_type type;
	struct word word;  /* T_WORD */
	enum redir_op rop; /* T_REDIR */
	bool strip_tabs;   /* <<- */
	bool dup;          /* <& >& */
	size_t start;      /* offset in the text */
};

struct heredoc_wait {
	struct command
	    *cmd; /* its redirs array may still grow: keep an index */
	size_t index;
	bool strip_tabs, expand;
	const char *delim;
	struct heredoc_wait *next;
};

struct parse {
	struct arena *arena;
	const char *s; /* the text being lexed */
	size_t len, pos;
	const char *home; /* for ~ (NULL: ~ is unknown) */
	struct known_var **vars;
	struct heredoc_wait *heredocs; /* waiting for the next newline */
	struct script *out;
	struct command *feed; /* the simple command piped into this one */
	bool fed;             /* parsing the right side of a pipe */
	bool was_simple;      /* the last command parsed was simple */
	int depth;
	size_t budget; /* word bytes and words this parse may still make */
	const char *error;
	jmp_buf fail;
	bool peeked;
	struct token peek;
};

_Noreturn void parse_fail(struct parse *p, const char *why);
void parse_enter(struct parse *p);
void parse_leave(struct parse *p);

/* lexer.c */
void lex_next(struct parse *p, struct token *t);
void lex_arith(struct parse *p, struct word *w, const char *close);
void lex_text_expand(struct parse *p, const char *text, size_t len,
                     struct word *w);
struct known_var *known_find(struct parse *p, const char *name, size_t len);
void word_finish(struct parse *p, struct word *w);

/* parser.c: commands up to a ")" (for $( ) and <( )), which it consumes */
void parse_subst_body(struct parse *p);
/* a whole text (backquotes) with the same state */
void parse_nested_text(struct parse *p, const char *text, size_t len);

#endif
