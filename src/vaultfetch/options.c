/* SPDX-License-Identifier: ISC */
/* vaultfetch's option defaults, taken from the environment where it says. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "util.h"
#include "vaultfetch.h"

uint64_t
vaultfetch_number(const char *what, const char *s, uint64_t max)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v > max)
		errx(EXIT_USAGE, "%s: '%s' is not a number from 0 to %llu",
		     what, printable(s), (unsigned long long)max);
	return v;
}

static uint64_t
env_number(const char *var, uint64_t fallback, uint64_t max)
{
	const char *s = getenv(var);

	return s != NULL && *s != '\0' ? vaultfetch_number(var, s, max)
	                               : fallback;
}

void
vaultfetch_options_init(struct vaultfetch_options *o)
{
	memset(o, 0, sizeof(*o));
	o->ttl_s = DEFAULT_TTL_S;
	o->cache_ttl_s =
	    env_number("SECENV_CACHE_TTL", DEFAULT_CACHE_TTL_S, MAX_TTL_S);
	o->max_stale_s = env_number("SECENV_CACHE_MAX_STALE",
	                            DEFAULT_MAX_STALE_S, MAX_TTL_S);
	o->fetch_limit = env_number("SECENV_FETCH_LIMIT", 0, 1000000);
	o->previous_window_s = DEFAULT_PREVIOUS_WINDOW_S;
}
