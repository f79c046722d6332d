/* SPDX-License-Identifier: ISC */
/* A set of named secret values (and earlier values kept for redaction). */
#ifndef SECENV_SECRETSET_H
#define SECENV_SECRETSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VALUE_MAX (64 * 1024) /* largest secret value, bytes */

/* The most secrets (names) one project holds: a run passes them all in
 * its command's environment and masks every one, and past this a run
 * takes tens of seconds to start. Imports and puts that would go over
 * it are refused (100) before anything is stored. */
#define PROJECT_SECRETS_MAX 10000

struct secret {
	char *name;           /* secure memory, NUL-terminated */
	unsigned char *value; /* secure memory, NUL-terminated, len excludes it */
	size_t len;
	bool previous;        /* an earlier value: masked by redact, never injected */
	uint64_t changed_ms;  /* when this value was set (0 when unknown) */
};

struct secret_chunk; /* secretset.c: where names and values live */

struct secretset {
	struct secret *items; /* secure memory */
	size_t count;
	size_t cap;
	struct secret_chunk *chunks;
};

/* An empty set; dies 111 when memory runs out. */
struct secretset *secretset_new(void);

/*
 * Copy name and value into the set. A value holding NUL or over
 * VALUE_MAX is refused: returns -1 with errno EINVAL / EFBIG and adds
 * nothing. Adding a current value for a name that already has one
 * replaces it (the old one is wiped).
 */
int secretset_add(struct secretset *set, const char *name,
		  const void *value, size_t len, bool previous,
		  uint64_t changed_ms);

/* The current (not previous) value of name, or NULL. */
const struct secret *secretset_find(const struct secretset *set,
				    const char *name);

/* Remove every entry (current and previous) of name; true if any. */
bool secretset_remove(struct secretset *set, const char *name);

/* Number of current (not previous) values. */
size_t secretset_count_current(const struct secretset *set);

/* Wipe and free everything. NULL is fine. */
void secretset_free(struct secretset *set);

#endif
