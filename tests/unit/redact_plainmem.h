/* SPDX-License-Identifier: ISC */
/* secmem.h's functions on plain malloc, for the engine's tests. */
#ifndef REDACT_PLAINMEM_H
#define REDACT_PLAINMEM_H

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "secmem.h"

/*
 * The engine's memory as plain malloc: these tests check matching, and a
 * locked, guarded block costs a handful of system calls, which made up
 * nearly all of their time. Defining them here keeps secmem.o out.
 */
/* Each case frees all it took, and malloc gave the heap back every time
 * (a brk call and fresh zeroed pages for the next case: a third of the
 * tests' time, in the kernel): keep it. A sanitizer's malloc may not
 * take the setting, which only saves time. */
void
secmem_init(void)
{
	if (sodium_init() < 0)
		abort();
	(void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

/* Zeroed, as secmem.h's blocks are: the engine does not clear them. */
void *
secmem_alloc(size_t size)
{
	void *p = calloc(size ? size : 1, 1);

	if (p == NULL)
		abort();
	return p;
}

void *
secmem_alloc_sparse(size_t size)
{
	void *p = calloc(size ? size : 1, 1);

	if (p == NULL)
		abort();
	return p;
}

void *
secmem_alloc_whole(size_t size)
{
	return secmem_alloc_sparse(size);
}

void *
secmem_alloc_growing(size_t size)
{
	return secmem_alloc_sparse(size);
}

/* Nothing to give back: wiped, as the pages are. */
void
secmem_release(void *p, size_t len)
{
	sodium_memzero(p, len);
}

void
secmem_free(void *ptr)
{
	free(ptr);
}

char *
secmem_strndup(const void *src, size_t len)
{
	char *p = secmem_alloc(len + 1);

	memcpy(p, src, len);
	p[len] = '\0';
	return p;
}

/* The engine gives the heap back once its links are built (malloc_trim):
 * the build's peak, in a program building one automaton. A test building
 * a hundred thousand paid a brk and fresh zeroed pages for each (two
 * thirds of redact_prop's time, in the kernel); here the heap is kept, as
 * the M_TRIM_THRESHOLD above keeps it for free. What is matched is the
 * same. */
int
malloc_trim(size_t pad)
{
	(void)pad;
	return 0;
}

#endif
