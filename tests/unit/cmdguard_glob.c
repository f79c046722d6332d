/* SPDX-License-Identifier: ISC */
/* cmdguard internals: glob-against-glob, brace expansion, the parser's
 * words, the default policy's table. */
#include <string.h>

#include "cmdguard/guard.h"
#include "tap.h"

/* A word as the lexer makes it: '*' '?' '[' ']' active, '@' unknown. */
static int
meets(const char *word, const char *pattern, bool pinned)
{
	size_t len = strlen(word);
	char v[256];
	unsigned char m[256];

	for (size_t i = 0; i < len; i++) {
		v[i] = word[i] == '@' ? WORD_UNKNOWN : word[i];
		m[i] = word[i] == '@'            ? M_UNKNOWN
		       : strchr("*?[]", word[i]) ? M_GLOB
		                                 : 0;
	}
	return glob_word_meets_pattern(v, m, len, pattern, pinned);
}

static void
test_globs(void)
{
	static const struct {
		const char *word, *pattern;
		bool pinned;
		int want;
	} cases[] = {
	    {".e*", ".env", true, 1},
	    {".en?", ".env", true, 1},
	    {"[.]env", ".env", true, 1},
	    {"*.env", ".env.*", true, 0}, /* * cannot give the leading dot */
	    {"*.env", "*.env", true, 1},
	    {"*", ".env", false, 0}, /* a glob * skips dot files */
	    {"*", "*.key", false, 1},
	    {"*", "*.key", true, 0}, /* nothing literal in common */
	    {"@", ".env", true, 0},  /* an unknown alone matches nothing */
	    {"@/.env", "**/.env", true, 1},
	    {"@.o", ".env.*", true, 0}, /* a shared '.' is not enough */
	    {"src/*.c", "**/*.key", true, 0},
	    {"/proc/@/environ", "/proc/*/environ", true, 1},
	    {"/proc/*/environ", "/proc/*/environ", true, 1},
	    {"/proc/*/status", "/proc/*/environ", true, 0},
	    {"@/README", "/home/u/.ssh/**", true, 0},
	    {"@/.ssh/id", "/home/u/.ssh/**", true, 1},
	    {"a/*/b", "a/x/y/b", false, 0}, /* * stays in its component */
	    {"a/@/b", "a/x/y/b", false, 1}, /* an unknown may hold a / */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_ok(meets(cases[i].word, cases[i].pattern,
		             cases[i].pinned) == cases[i].want,
		       "%s %s %s", cases[i].word,
		       cases[i].want ? "meets" : "does not meet",
		       cases[i].pattern);
}

static void
test_braces(void)
{
	struct arena a = {0};
	struct known_var *vars = NULL;
	struct script s;
	const char *why;
	const char *const want[] = {"cat", "a.c", "a.h", "b1", "b2", "b3"};

	tap_ok(shell_parse(&a, "cat a.{c,h} b{1..3}", 19, NULL, &vars, &s,
	                   &why) == 0,
	       "brace words parse");
	tap_ok(s.first != NULL && s.first->word_count == 6,
	       "brace expansion makes six words");
	for (size_t i = 0; s.first != NULL && i < s.first->word_count && i < 6;
	     i++)
		tap_ok(strcmp(s.first->words[i].value, want[i]) == 0,
		       "word %zu is %s", i, want[i]);
	arena_free(&a);
}

static void
test_words(void)
{
	static const struct {
		const char *text, *value;
	} cases[] = {
	    {"pr''intenv", "printenv"},
	    {"\\printenv", "printenv"},
	    {"$'\\x70rint\\145nv'", "printenv"},
	    {"\"/usr/bin/\"env", "/usr/bin/env"},
	    {"p\\\nrintenv", "printenv"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a = {0};
		struct known_var *vars = NULL;
		struct script s;
		const char *why;
		int rc = shell_parse(&a, cases[i].text, strlen(cases[i].text),
		                     NULL, &vars, &s, &why);

		tap_ok(rc == 0 && s.first != NULL &&
		           strcmp(s.first->words[0].value, cases[i].value) == 0,
		       "word %zu is %s", i, cases[i].value);
		arena_free(&a);
	}
}

static void
test_refuses(void)
{
	static const char *const bad[] = {"echo 'x",    "echo $(",
	                                  "if x; then", "cat <<E\nx",
	                                  "echo ${}",   "a |"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct arena a = {0};
		struct known_var *vars = NULL;
		struct script s;
		const char *why = NULL;

		tap_ok(shell_parse(&a, bad[i], strlen(bad[i]), NULL, &vars, &s,
		                   &why) == -1 &&
		           why != NULL,
		       "refuses bad text %zu", i);
		arena_free(&a);
	}
}

static bool
same_strings(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool
same_rule(const struct rule *a, const struct rule *b)
{
	return a->kind == b->kind &&
	       same_strings(a->names, a->name_count, b->names, b->name_count) &&
	       same_strings(a->args, a->arg_count, b->args, b->arg_count) &&
	       same_strings(a->opts, a->opt_count, b->opts, b->opt_count) &&
	       strcmp(a->text, b->text) == 0 && a->anchored == b->anchored &&
	       a->relative == b->relative;
}

/* The build's table of the default policy holds the rules that parsing
 * its text gives, paths expanded alike; with no home, the patterns
 * under ~ are left out by both. A reset drops them all. */
static void
test_builtin(void)
{
	const struct policy_vars with[] = {
	    {"/home/u", "/home/u/.secenv", "/run/user/1/secenv-1"},
	    {NULL, "/srv/secenv", "/tmp/secenv-0"},
	};

	for (size_t v = 0; v < sizeof(with) / sizeof(with[0]); v++) {
		struct policy text = {0}, table = {0};
		const char *why;
		size_t line, same = 0, paths = 0;

		tap_ok(policy_load_text(&text, policy_default_text,
		                        strlen(policy_default_text), &with[v],
		                        &why, &line) == 0,
		       "the default policy's text parses (vars %zu)", v);
		policy_add_builtin(&table, &with[v]);
		for (size_t i = 0; i < text.count && i < table.count; i++) {
			same += same_rule(&text.rules[i], &table.rules[i]);
			paths += table.rules[i].kind == RULE_DENY_PATH &&
			         strncmp(table.rules[i].args[0], "/", 1) == 0;
		}
		tap_ok(text.count > 100 && table.count == text.count &&
		           same == text.count && paths > 0,
		       "the table's %zu rules are the text's %zu (vars %zu)",
		       table.count, text.count, v);
		policy_load_text(&table, "reset\ndeny-command x\n", 21,
		                 &with[v], &why, &line);
		tap_ok(table.count == 1 && !table.rules[0].builtin,
		       "a reset drops the table's rules (vars %zu)", v);
		policy_free(&text);
		policy_free(&table);
	}
}

int
main(void)
{
	test_builtin();
	test_globs();
	test_braces();
	test_words();
	test_refuses();
	return tap_done();
}
