/* SPDX-License-Identifier: ISC */
/* A bump allocator: a parse allocates freely and frees everything at once. */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "guard_words.h"

#define ARENA_BLOCK 16384

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (size == 0)
		size = sizeof(max_align_t);
	if (b == NULL || b->size - b->used < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		if (cap > SIZE_MAX - sizeof(*b))
			errx(EXIT_FAIL, "out of memory");
		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			err(EXIT_FAIL, "malloc");
		b->used = 0;
		b->size = cap;
		/* a large block goes behind the head so the head keeps its room
		 */
		if (a->head != NULL && cap > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size)
{
	void *p = arena_alloc(a, new_size);

	if (old != NULL && old_size > 0)
		memcpy(p, old, old_size < new_size ? old_size : new_size);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
