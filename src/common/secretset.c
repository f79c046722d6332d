/* A set of named secret values (and earlier values kept for redaction). */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "secmem.h"
#include "secretset.h"

struct secretset *
secretset_new(void)
{
	struct secretset *set = secmem_alloc(sizeof *set);

	set->items = NULL;
	set->count = 0;
	set->cap = 0;
	return set;
}

static void
secret_wipe(struct secret *s)
{
	secmem_free(s->name);
	secmem_free(s->value);
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
		size_t i;

		for (i = 0; i < set->count; i++) {
			s = &set->items[i];
			if (!s->previous && strcmp(s->name, name) == 0) {
				secmem_free(s->value);
				s->value = (unsigned char *)secmem_strndup(value, len);
				s->len = len;
				s->changed_ms = changed_ms;
				return 0;
			}
		}
	}
	if (set->count == set->cap)
		secretset_grow(set);
	s = &set->items[set->count++];
	s->name = secmem_strndup(name, strlen(name));
	s->value = (unsigned char *)secmem_strndup(value, len);
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
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->count; i++)
		secret_wipe(&set->items[i]);
	secmem_free(set->items);
	secmem_free(set);
}
