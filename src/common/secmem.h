/* SPDX-License-Identifier: ISC */
/* Process hardening and locked, wiped memory for secret values. */
#ifndef SECENV_SECMEM_H
#define SECENV_SECMEM_H

#include <stddef.h>

/*
 * Call first in main() of every program that holds a secret value:
 * sodium_init(), RLIMIT_CORE 0, PR_SET_DUMPABLE 0. Dies with 111 on failure.
 */
void secmem_init(void);

/* sodium_malloc() (guard pages, mlock, excluded from core dumps) or die
 * 111. The size is rounded up to 16 bytes so the block is aligned. */
void *secmem_alloc(size_t size);

/* sodium_free(): wipes, then unmaps. NULL is fine. */
void secmem_free(void *ptr);

/* A NUL-terminated copy of len bytes in secure memory. */
char *secmem_strndup(const void *src, size_t len);

#endif
