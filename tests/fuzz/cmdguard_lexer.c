/* SPDX-License-Identifier: ISC */
/* libFuzzer target: any bytes through the shell parser and the checker. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"

static struct policy policy;

static void
load_policy_once(void)
{
	static int loaded;
	const struct policy_vars vars = {"/home/agent", "/home/agent/.secenv",
	                                 "/run/user/1000/secenv-1000"};
	const char *why;
	size_t line;

	if (loaded)
		return;
	loaded = 1;
	if (policy_load_text(&policy, policy_default_text,
	                     strlen(policy_default_text), &vars, &why,
	                     &line) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *names[] = {"STRIPE_KEY", "DATABASE_URL"};
	struct guard g = {
	    .policy = &policy,
	    .secret_names = names,
	    .secret_count = 2,
	    .home = "/home/agent",
	    .cwd = "/work/project",
	    .use_filesystem = false,
	};
	struct verdict v = {0};
	struct arena a = {0};
	struct known_var *vars = NULL;
	struct script s;
	const char *why;

	load_policy_once();
	/* the parser alone, then the whole check (which parses again) */
	shell_parse(&a, (const char *)data, size, g.home, &vars, &s, &why);
	arena_free(&a);
	guard_check_command(&g, (const char *)data, size, &v);
	if (v.denied && v.reason[0] == '\0')
		abort(); /* every denial says why */
	verdict_clear(&v);
	return 0;
}
