/* SPDX-License-Identifier: ISC */
/* The mask's text: --format's placeholders checked and rendered. */
#include <stdbool.h>
#include <string.h>

#include "engine.h"

/* The format's placeholders. */

bool
format_is_valid(const char *fmt)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p != 'n' && *p != 'p' && *p != 'l' && *p != '%')
			return false;
	}
	return true;
}

size_t
format_render(const char *fmt, const char *name, const char *prefix,
              sink_fn sink, void *ctx)
{
	size_t total = 0;
	const char *lit = fmt, *p;

	for (p = fmt; *p != '\0'; p++) {
		const char *put;

		if (*p != '%')
			continue;
		if (p > lit)
			sink(ctx, (const unsigned char *)lit,
			     (size_t)(p - lit));
		total += (size_t)(p - lit);
		p++;
		put = *p == 'n'   ? name
		      : *p == 'p' ? prefix
		      : *p == 'l' ? patterns_name_hint(name)
		                  : "%";
		sink(ctx, (const unsigned char *)put, strlen(put));
		total += strlen(put);
		lit = p + 1;
	}
	if (p > lit)
		sink(ctx, (const unsigned char *)lit, (size_t)(p - lit));
	return total + (size_t)(p - lit);
}
