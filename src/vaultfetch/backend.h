/* SPDX-License-Identifier: ISC */
/* The interface every vaultfetch backend implements (docs/backends.md). */
#ifndef VAULTFETCH_BACKEND_H
#define VAULTFETCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secretset.h"

struct secret_info {
	char *name;          /* malloc'd */
	unsigned versions;   /* 0 when the backend cannot tell */
	uint64_t changed_ms; /* 0 when the backend cannot tell */
};

/*
 * Every operation returns an exit status from exitcodes.h: EXIT_OK, or
 * EXIT_USAGE / EXIT_FAIL after printing one line to stderr naming what
 * failed (never a value). An operation a backend cannot do is NULL;
 * the caller refuses it with a clear message.
 */
struct backend {
	const char *name; /* "file", "azure", "hcvault", "exec" */
	void *state;

	/* All current values, and previous values where the backend keeps
	 * them, into out (an empty set made by the caller). */
	int (*fetch)(struct backend *b, const char *project,
		     struct secretset *out);

	/* Set each current value of set in project (one name for put,
	 * many for import); existing names are rotated. */
	int (*put)(struct backend *b, const char *project,
		   const struct secretset *set);

	/* Names with metadata, sorted by name; *out malloc'd. */
	int (*list)(struct backend *b, const char *project,
		    struct secret_info **out, size_t *count);

	/* Remove one name; a missing name is EXIT_USAGE. */
	int (*rm)(struct backend *b, const char *project, const char *name);

	void (*close)(struct backend *b);

	/* 1 when the last failure was an authentication failure (401/403):
	 * the cache must not be used, and is deleted. */
	int auth_failed;

	/* Set by the caller before fetch: previous values rotated longer
	 * ago than this are not wanted (a backend that must pay a request
	 * for each previous value can skip older ones). */
	uint64_t previous_window_ms;
};

void secret_info_free(struct secret_info *info, size_t count);

/* Backend constructors: EXIT_OK or a status after a message. */
int backend_file_open(struct backend *b, const char *home);
int backend_azure_open(struct backend *b);
int backend_hcvault_open(struct backend *b);
int backend_exec_open(struct backend *b, const char *helper_path);

/* "file", "azure", "hcvault" or "exec:PATH" (NULL: SECENV_BACKEND, else
 * file). */
int backend_open(struct backend *b, const char *spec, const char *home);

/* The Azure Key Vault URL: SECENV_AZURE_VAULT_URL, else
 * AZURE_KEY_VAULT_URL; *url NULL when neither is set, *var the name of
 * the one used. Both set to different vaults: EXIT_USAGE after a message. */
int backend_azure_vault_url(const char **url, const char **var);

/* Once per process (and its forked children, when called before the
 * fork): a line on stderr when AZURE_KEY_VAULT_URL is set but spec (NULL:
 * SECENV_BACKEND) is the local store, which does not use it. */
void backend_vault_url_notice(const char *spec);

/* false for a remote backend this build does not link (the light build). */
bool backend_is_linked(const char *spec);

/* When spec is not linked here, exec the full build beside this program
 * with the same argv and environment; exits 111 if it cannot. */
void backend_handoff(const char *spec, char **argv);

#endif
