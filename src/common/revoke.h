/* SPDX-License-Identifier: ISC */
/* Project revocation: SECENV_HOME/revoked/PROJECT. */
#ifndef SECENV_REVOKE_H
#define SECENV_REVOKE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The file holds "revoked MS\n" or, after unrevoke, "active MS\n": in
 * both cases no blob created before MS is accepted again, so blobs made
 * before a revocation stay dead after unrevoke.
 */
int revoke_set(const char *home, const char *project, uint64_t now_ms);

/*
 * The file is a fixed-width line ("revoked " or "active  ", 20 digits),
 * so revoke and unrevoke rewrite an existing one in place: no new name,
 * no new block, nothing a full disk can refuse. revoke_prepare makes it
 * ("active" since 0, the same as none) when it is missing; the store
 * calls it on every write, so a project with secrets can always be
 * revoked. 0, or -1 with errno.
 */
int revoke_prepare(const char *home, const char *project);
int revoke_clear(const char *home, const char *project, uint64_t now_ms);

/* A project's revocation state as read once, for a step that asks more
 * than once (vaultfetch fetch: before it fetches, then of a cached
 * blob's date): read is 0 (the file read), 1 (no file: never revoked)
 * or -1 (unreadable, errno in error). */
struct revocation {
	int read, error;
	bool revoked;
	uint64_t since;
};

void revoke_read_state(const char *home, const char *project,
                       struct revocation *r);

/* revoke_is_revoked() and revoke_check() of a state read before. */
int revocation_is_revoked(const struct revocation *r);
int revocation_check(const struct revocation *r, uint64_t created_ms,
                     const char **why);

/* 1 if the project is revoked now, 0 if not, -1 with errno. */
int revoke_is_revoked(const char *home, const char *project);

/* 0 when a blob of project created at created_ms may be used; -1 with
 * *why set (revoked, or made before the last revocation). */
int revoke_check(const char *home, const char *project, uint64_t created_ms,
		 const char **why);

#endif
