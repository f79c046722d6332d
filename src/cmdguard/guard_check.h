/* SPDX-License-Identifier: ISC */
/* cmdguard's checker: a command or a path against a policy (check*.c). */
#ifndef CMDGUARD_GUARD_CHECK_H
#define CMDGUARD_GUARD_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "guard_policy.h"

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

#endif
