/* SPDX-License-Identifier: ISC */
/*
 * policy_gen: the default policy as C, for builtin.c. policy.c parses
 * default.policy (compiled in as policy_default_text), its path patterns
 * kept as written, and each rule is written out as a static struct rule
 * with static strings: the text is parsed once, by the build, with the
 * guard's own parser. Writes policy_table.h to stdout; 1 on a failure.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmdguard/guard_policy.h"

static void
put_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '?') /* no trigraph */
			printf("\\?");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\%03o", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* static char *const NAMEi[] = {...}; for n strings (none: nothing). */
static void
put_array(const char *name, size_t i, char **v, size_t n)
{
	if (n == 0)
		return;
	printf("static char *const %s%zu[] = {", name, i);
	for (size_t k = 0; k < n; k++) {
		put_string(v[k]);
		printf(k + 1 < n ? ", " : "");
	}
	printf("};\n");
}

static void
put_field(const char *field, const char *name, size_t i, size_t n)
{
	if (n == 0)
		printf("\t .%s = NULL,\n", field);
	else
		printf("\t .%s = (char **)%s%zu,\n", field, name, i);
}

int
main(void)
{
	struct policy p = {0};
	const char *why;
	size_t line;

	if (policy_load_text(&p, policy_default_text,
	                     strlen(policy_default_text), NULL, &why,
	                     &line) != 0) {
		fprintf(stderr, "policy_gen: default policy:%zu: %s\n", line,
		        why);
		return 1;
	}
	printf("/* Made by policy_gen from default.policy: do not edit. */\n");
	for (size_t i = 0; i < p.count; i++) {
		const struct rule *r = &p.rules[i];

		put_array("names", i, r->names, r->name_count);
		put_array("args", i, r->args, r->arg_count);
		put_array("opts", i, r->opts, r->opt_count);
	}
	printf("static const struct rule builtin_rules[] = {\n");
	for (size_t i = 0; i < p.count; i++) {
		const struct rule *r = &p.rules[i];

		printf("\t{.kind = (enum rule_kind)%d,\n", (int)r->kind);
		put_field("names", "names", i, r->name_count);
		printf("\t .name_count = %zu,\n", r->name_count);
		put_field("args", "args", i, r->arg_count);
		printf("\t .arg_count = %zu,\n", r->arg_count);
		put_field("opts", "opts", i, r->opt_count);
		printf("\t .opt_count = %zu,\n\t .text = ", r->opt_count);
		put_string(r->text);
		printf(",\n\t .anchored = %s,\n\t .relative = %s,\n"
		       "\t .builtin = true},\n",
		       r->anchored ? "true" : "false",
		       r->relative ? "true" : "false");
	}
	printf("};\n");
	policy_free(&p);
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
