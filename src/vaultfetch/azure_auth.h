/* SPDX-License-Identifier: ISC */
/* Azure: configuration, access tokens and authenticated vault requests. */
#ifndef VAULTFETCH_AZURE_AUTH_H
#define VAULTFETCH_AZURE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

enum azure_credential {
	AZURE_CLIENT_SECRET, /* AZURE_TENANT_ID, AZURE_CLIENT_ID,
	                        AZURE_CLIENT_SECRET */
	AZURE_APP_SERVICE,   /* IDENTITY_ENDPOINT and IDENTITY_HEADER */
	AZURE_IMDS,          /* the instance metadata service */
};

struct azure_state {
	struct http_client *http;     /* vault and authority: https only */
	struct http_client *identity; /* managed identity: may be plain http */
	char *vault;                  /* base URL, no trailing slash */
	char *resource;               /* e.g. https://vault.azure.net */
	enum azure_credential credential;
	char *token_url;   /* where tokens come from */
	char *auth_header; /* secure: "Authorization: Bearer ...",
	                      rewritten in place, never moved */
	bool has_token;
	uint64_t token_expires_s;
	char cache_path[4096]; /* token cache in the runtime directory */
	int auth_failed;
};

/* From the environment (docs/backends.md); EXIT_OK or a status after a
 * message. */
int azure_state_new(struct azure_state **out);
void azure_state_free(struct azure_state *s);

/*
 * Run n vault requests with a bearer token (cached, or fetched), and
 * answer a 401 challenge once: its resource must be ours, then a fresh
 * token is fetched and the requests are sent again. EXIT_OK when every
 * transfer ended with some answer for the caller to judge; EXIT_FAIL
 * after a message when authentication failed (s->auth_failed set).
 */
int azure_vault_perform(struct azure_state *s, struct http_transfer *t,
                        size_t n);

#endif
