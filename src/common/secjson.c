/* SPDX-License-Identifier: ISC */
/* JSON whose strings may be secret values, kept in secure memory. */
#include <stddef.h>

#include <jansson.h>
#include <sodium.h>

#include "secjson.h"
#include "secmem.h"

/* Secure JSON: a bump arena of secure-memory chunks. jansson frees
 * objects one by one; the arena ignores that and wipes everything at
 * secjson_end(). */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_CHUNK (256u * 1024)

static struct arena_chunk *arena;
static json_malloc_t saved_malloc;
static json_free_t saved_free;
static int arena_depth;

static void *
arena_malloc(size_t n)
{
	size_t need =
	    (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct arena_chunk *c = arena;
	void *p;

	if (c == NULL || c->size - c->used < need) {
		size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		c = secmem_alloc(sizeof(*c) + size);
		c->next = arena;
		c->used = 0;
		c->size = size;
		arena = c;
	}
	p = (unsigned char *)c->data + c->used;
	c->used += need;
	return p;
}

static void
arena_free(void *p)
{
	(void)p;
}

void
secjson_begin(void)
{
	if (arena_depth++ > 0)
		return;
	json_get_alloc_funcs(&saved_malloc, &saved_free);
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void
secjson_end(void)
{
	if (arena_depth == 0 || --arena_depth > 0)
		return;
	while (arena != NULL) {
		struct arena_chunk *next = arena->next;

		secmem_free(arena);
		arena = next;
	}
	json_set_alloc_funcs(saved_malloc, saved_free);
}

json_t *
secjson_parse(const unsigned char *buf, size_t len)
{
	json_error_t error;
	json_t *j;

	if (buf == NULL)
		return NULL;
	j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &error);
	sodium_memzero(&error, sizeof(error)); /* its text may quote input */
	return j;
}
