/* SPDX-License-Identifier: ISC */
/*
 * The naive baseline for redact's benchmark: the whole input in memory,
 * then one search-and-replace pass per pattern (the same patterns redact
 * builds, raw and encoded), with memmem. usage: redact_naive NAME,... <in
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "redact/engine.h"
#include "util.h"

static const char mask[] = "***REDACTED***";

/* Every occurrence of p in *buf replaced by the mask: a new buffer. */
static void
replace_all(unsigned char **buf, size_t *len, const unsigned char *p,
            size_t plen)
{
	unsigned char *out, *at, *from = *buf;
	size_t n = 0, cap = *len + 1;

	if (memmem(*buf, *len, p, plen) == NULL)
		return; /* the common case: nothing to copy */
	out = malloc(cap);
	while ((at = memmem(from, (size_t)(*buf + *len - from), p, plen))) {
		size_t keep = (size_t)(at - from);

		if (n + keep + sizeof(mask) > cap) {
			cap = 2 * (n + keep + sizeof(mask));
			out = realloc(out, cap);
		}
		memcpy(out + n, from, keep);
		memcpy(out + n + keep, mask, sizeof(mask) - 1);
		n += keep + sizeof(mask) - 1;
		from = at + plen;
	}
	if (n + (size_t)(*buf + *len - from) > cap)
		out = realloc(out, n + (size_t)(*buf + *len - from));
	memcpy(out + n, from, (size_t)(*buf + *len - from));
	n += (size_t)(*buf + *len - from);
	free(*buf);
	*buf = out;
	*len = n;
}

int
main(int argc, char **argv)
{
	struct pattern_set *ps;
	unsigned char *in;
	size_t len;

	if (argc != 2 || sodium_init() < 0)
		return 100;
	ps = patterns_new(6, true);
	for (char *name = strtok(argv[1], ","); name;
	     name = strtok(NULL, ",")) {
		const char *v = getenv(name);
		struct short_report r;

		if (v != NULL)
			patterns_add_value(ps, name, (const unsigned char *)v,
			                   strlen(v), &r);
	}
	if (read_all(STDIN_FILENO, (size_t)1 << 34, false, &in, &len) != 0)
		return 111;
	for (size_t i = 0; i < ps->count; i++)
		replace_all(&in, &len, pattern_bytes(ps, &ps->items[i]),
		            ps->items[i].len);
	if (write_full(STDOUT_FILENO, in, len) != 0)
		return 111;
	fprintf(stderr, "redact_naive: %zu patterns\n", ps->count);
	free(in);
	patterns_free(ps);
	return 0;
}
