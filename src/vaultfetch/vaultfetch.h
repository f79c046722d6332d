/* SPDX-License-Identifier: ISC */
/* What vaultfetch's files share: the parsed options and the verbs. */
#ifndef VAULTFETCH_H
#define VAULTFETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

/* Defaults, documented in vaultfetch(1). */
#define DEFAULT_TTL_S 900                /* blob lifetime */
#define DEFAULT_CACHE_TTL_S 60           /* reuse a cached blob this long */
#define DEFAULT_MAX_STALE_S 900          /* on backend failure, this old */
#define DEFAULT_PREVIOUS_WINDOW_S 604800 /* keep a rotated value 7 days */
#define MAX_TTL_S 2592000                /* 30 days */

struct options {
	const char *backend; /* -B, else SECENV_BACKEND, else "file" */
	bool raw;            /* put: keep a trailing newline */
	bool hints;          /* list: type, length, last characters */
	uint64_t ttl_s;
	uint64_t cache_ttl_s; /* 0: do not reuse */
	uint64_t max_stale_s; /* 0: never fall back */
	uint64_t fetch_limit; /* per project per hour, 0: none */
	uint64_t previous_window_s;
	bool no_cache; /* neither read nor write the cache */
};

int cmd_init(const char *home);
int cmd_put(const struct options *o, const char *home, const char *project,
            const char *name);
int cmd_import(const struct options *o, const char *home, const char *project,
               const char *file);
int cmd_list(const struct options *o, const char *home, const char *project);
int cmd_rm(const struct options *o, const char *home, const char *project,
           const char *name);
int cmd_fetch(const struct options *o, const char *home, const char *project);
int cmd_revoke(const char *home, const char *project);
int cmd_unrevoke(const char *home, const char *project);

/* The backend named by the options; EXIT_OK or a status after a message. */
int vaultfetch_backend(const struct options *o, const char *home,
                       struct backend *b);
/* The spec in force: -B, SECENV_BACKEND or "file". */
const char *vaultfetch_backend_spec(const struct options *o);

#endif
