/* SPDX-License-Identifier: ISC */
/* vaultfetch's entry points (its verbs, which secenv-run calls too) and the
 * options they take. */
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

struct vaultfetch_options {
	const char *backend; /* -B, else SECENV_BACKEND, else "file" */
	bool raw;            /* put: keep a trailing newline */
	bool hints;          /* list: type, length, last characters */
	uint64_t ttl_s;
	uint64_t cache_ttl_s; /* 0: do not reuse */
	uint64_t max_stale_s; /* 0: never fall back */
	uint64_t fetch_limit; /* per project per hour, 0: none */
	uint64_t previous_window_s;
	bool no_cache; /* neither read nor write the cache */
	bool null_names; /* list -0: names only, each ended by a NUL */
};

/* The defaults, some from the environment (SECENV_CACHE_TTL,
 * SECENV_CACHE_MAX_STALE, SECENV_FETCH_LIMIT); dies 100 on a bad one. */
void vaultfetch_options_init(struct vaultfetch_options *o);

/* A number of seconds (or a count) from an option or a variable named
 * what, at most max; dies 100 naming what otherwise. */
uint64_t vaultfetch_number(const char *what, const char *s, uint64_t max);

/*
 * Every verb returns an exit status (exitcodes.h) after a message on
 * stderr for a failure. A verb that needs a backend this build does not
 * link (azure, hcvault in the light build) is for the full build: see
 * backend_handoff() in backend.h.
 */

/* fetch: the project's sealed blob, written to out in one piece. */
int vaultfetch_fetch(const struct vaultfetch_options *o, const char *home,
                     const char *project, int out);

/* The project's secret names (names are not secret), sorted: *names
 * malloc'd, each name too (vaultfetch_names_free). */
int vaultfetch_names(const struct vaultfetch_options *o, const char *home,
                     const char *project, char ***names, size_t *count);
void vaultfetch_names_free(char **names, size_t count);

/* list -0: the names, each ended by a NUL byte, on out: how a program
 * takes them from a process of their own (an array, not a listing). */
int vaultfetch_names_write(const struct vaultfetch_options *o,
                           const char *home, const char *project, int out);

int cmd_init(const char *home);
int cmd_put(const struct vaultfetch_options *o, const char *home, const char *project,
            const char *name);
int cmd_import(const struct vaultfetch_options *o, const char *home, const char *project,
               const char *file);
int cmd_list(const struct vaultfetch_options *o, const char *home, const char *project);
int cmd_rm(const struct vaultfetch_options *o, const char *home, const char *project,
           const char *name);
/* revoke: the project's revoked mark (fetches refused from now) and its
 * cached blobs forgotten; SECENV_HOME alone, whatever the backend. */
int vaultfetch_revoke(const char *home, const char *project);

/* The other verbs of vaultfetch's command line. */
int cmd_unrevoke(const char *home, const char *project);

/* The backend named by the options; EXIT_OK or a status after a message. */
int vaultfetch_backend(const struct vaultfetch_options *o, const char *home,
                       struct backend *b);
/* The spec in force: -B, SECENV_BACKEND or "file". */
const char *vaultfetch_backend_spec(const struct vaultfetch_options *o);

#endif
