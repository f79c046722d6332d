/* SPDX-License-Identifier: ISC */
/*
 * The default policy as the build parsed it: gen/policy_gen.c loads
 * default.policy with policy.c, path patterns as written, and writes the
 * rules as C (policy_table.h). A guard starts from these rules instead of
 * parsing the text again, which cost a run 0.4 to 0.6 ms (the parse's
 * thousand allocations, cold). Only the path patterns are made here:
 * they hold ~, $SECENV_HOME and $SECENV_RUNTIME.
 */
#include <stdbool.h>
#include <stddef.h>

#include "guard_policy.h"

#include "policy_table.h"

#define BUILTIN_COUNT (sizeof(builtin_rules) / sizeof(builtin_rules[0]))
/* Room for an owner's policy too: the array is made once, not doubled
 * (each page a run touches first costs it, see secenv-run(1)). */
#define OWNER_ROOM 32

void
policy_add_builtin(struct policy *p, const struct policy_vars *vars)
{
	policy_reserve(p, BUILTIN_COUNT + OWNER_ROOM);
	for (size_t i = 0; i < BUILTIN_COUNT; i++) {
		const struct rule *b = &builtin_rules[i];
		char *pat = NULL;
		struct rule *r;

		/* expanded as policy_load_text() does: a pattern whose
		 * variable is not known is left out */
		if (b->kind == RULE_DENY_PATH || b->kind == RULE_ALLOW_PATH) {
			pat = policy_expand_path(b->args[0], vars);
			if (pat == NULL)
				continue;
		}
		r = policy_rule_append(p, b);
		if (pat != NULL)
			policy_path_rule(r, pat);
	}
}
