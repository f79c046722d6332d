/* SPDX-License-Identifier: ISC */
/* Process hardening and locked, wiped memory for secret values. */
#include <err.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "exitcodes.h"
#include "secmem.h"

void
secmem_init(void)
{
	struct rlimit no_core = {0, 0};

	if (sodium_init() < 0)
		errx(EXIT_FAIL, "cannot initialise libsodium");
	/* A core dump or a ptrace by another process of ours would show
	 * every value this process holds. */
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		err(EXIT_FAIL, "setrlimit RLIMIT_CORE");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		err(EXIT_FAIL, "prctl PR_SET_DUMPABLE");
}

void *
secmem_alloc(size_t size)
{
	/* sodium_malloc places the block against its trailing guard page,
	 * so the address is only as aligned as the size: round up to 16
	 * so structs and arrays kept here are properly aligned. */
	size_t rounded = size ? (size + 15) & ~(size_t)15 : 16;
	void *p;

	if (rounded < size)
		errx(EXIT_FAIL, "secure memory (%zu bytes)", size);
	p = sodium_malloc(rounded);

	if (p == NULL)
		err(EXIT_FAIL, "secure memory (%zu bytes)", size);
	return p;
}

void
secmem_free(void *ptr)
{
	if (ptr != NULL)
		sodium_free(ptr);
}

char *
secmem_strndup(const void *src, size_t len)
{
	char *p = secmem_alloc(len + 1);

	if (len > 0)
		memcpy(p, src, len);
	p[len] = '\0';
	return p;
}
