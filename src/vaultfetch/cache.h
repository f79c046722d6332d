/* SPDX-License-Identifier: ISC */
/* The blob cache and the fetch limit, under the runtime directory. */
#ifndef VAULTFETCH_CACHE_H
#define VAULTFETCH_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"

/* PROJECT@ID: ID is 16 hex digits naming SECENV_HOME and the backend. */
#define CACHE_STEM_MAX (PROJECT_MAX_LEN + 18)

void cache_stem(const char *home, const char *backend_spec, const char *project,
                char stem[CACHE_STEM_MAX]);

/* The cached blob of stem and when it was fetched; -1 when there is none
 * (or it cannot be read). *blob is malloc'd. */
int cache_load(const char *stem, unsigned char **blob, size_t *len,
               uint64_t *fetched_ms);

/* Replace the cached blob; a failure is only warned about. */
void cache_save(const char *stem, const unsigned char *blob, size_t len,
                uint64_t fetched_ms);

/* Delete one cached blob, or every cached blob of a project. 0 or -1
 * after a message. */
int cache_forget_stem(const char *stem);
int cache_forget_project(const char *project);

/* Count one backend fetch against limit per hour, or refuse it (EXIT_FAIL
 * after a message saying when the next is allowed). */
int fetch_limit_take(const char *stem, const char *project, uint64_t limit,
                     uint64_t now);

#endif
