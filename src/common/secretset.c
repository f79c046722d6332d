/* SPDX-License-Identifier: ISC */
/* A set of named secret values (and earlier values kept for redaction). */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "secmem.h"
#include "secretset.h"

/*
 * Names and values are carved out of a few large secure chunks rather
 * than two sodium_malloc()s each: every sodium_malloc costs guard pages,
 * an mlock and several mprotects, which made a set of 200 secrets cost
 * thousands of system calls. Pointers into a chunk never move; a
 * replaced or removed value is wiped in place.
 */
#define CHUNK_MIN (64 * 1024)

struct secret_chunk {
	struct secret_chunk *next;
	size_t used, size;
	unsigned char data[];
};

struct secretset *
secretset_new(void)
{
	struct secretset *set = secmem_alloc(sizeof *set);

	memset(set, 0, sizeof *set);
	return set;
}

static void *
chunk_take(struct secretset *set, size_t size)
{
	struct secret_chunk *c = set->chunks;

	if (c == NULL || c->size - c->used < size) {
		size_t want = size > CHUNK_MIN ? size : CHUNK_MIN;

		/* locked as touched: a set of a few short values uses a
		 * page of the 64 KiB, and every process that opens a blob
		 * (the fetch, the masking, the command's) made all of them
		 * present before */
		c = secmem_alloc_sparse(sizeof *c + want);
		c->next = set->chunks;
		c->used = 0;
		c->size = want;
		set->chunks = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

static void *
chunk_copy(struct secretset *set, const void *src, size_t len)
{
	unsigned char *p = chunk_take(set, len + 1);

	if (len > 0)
		memcpy(p, src, len);
	p[len] = '\0';
	return p;
}

static void
secret_wipe(struct secret *s)
{
	sodium_memzero(s->name, strlen(s->name));
	sodium_memzero(s->value, s->len);
	sodium_memzero(s, sizeof *s);
}

static void
secretset_grow(struct secretset *set)
{
	size_t ncap = set->cap ? set->cap * 2 : 16;
	struct secret *items = secmem_alloc(ncap * sizeof *items);

	if (set->count > 0)
		memcpy(items, set->items, set->count * sizeof *items);
	secmem_free(set->items);
	set->items = items;
	set->cap = ncap;
}

int
secretset_add(struct secretset *set, const char *name, const void *value,
	      size_t len, bool previous, uint64_t changed_ms)
{
	struct secret *s;

	if (len > VALUE_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (len > 0 && memchr(value, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (!previous) {
		struct secret *old = (struct secret *)secretset_find(set, name);

		if (old != NULL) {
			sodium_memzero(old->value, old->len);
			old->value = chunk_copy(set, value, len);
			old->len = len;
			old->changed_ms = changed_ms;
			return 0;
		}
	}
	if (set->count == set->cap)
		secretset_grow(set);
	s = &set->items[set->count++];
	s->name = chunk_copy(set, name, strlen(name));
	s->value = chunk_copy(set, value, len);
	s->len = len;
	s->previous = previous;
	s->changed_ms = changed_ms;
	return 0;
}

const struct secret *
secretset_find(const struct secretset *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (!set->items[i].previous &&
		    strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	return NULL;
}

bool
secretset_remove(struct secretset *set, const char *name)
{
	size_t i = 0, kept = 0;
	bool found = false;

	for (i = 0; i < set->count; i++) {
		if (strcmp(set->items[i].name, name) == 0) {
			secret_wipe(&set->items[i]);
			found = true;
			continue;
		}
		if (kept != i)
			set->items[kept] = set->items[i];
		kept++;
	}
	if (kept < set->count)
		sodium_memzero(&set->items[kept],
			       (set->count - kept) * sizeof *set->items);
	set->count = kept;
	return found;
}

size_t
secretset_count_current(const struct secretset *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->count; i++)
		if (!set->items[i].previous)
			n++;
	return n;
}

void
secretset_free(struct secretset *set)
{
	struct secret_chunk *c, *next;

	if (set == NULL)
		return;
	/* sodium_free wipes each chunk and the item array. */
	for (c = set->chunks; c != NULL; c = next) {
		next = c->next;
		secmem_free(c);
	}
	secmem_free(set->items);
	secmem_free(set);
}
