/* SPDX-License-Identifier: ISC */
/* The child's environment, built from scratch: inherited minus credentials,
 * plus secrets. */
#include <err.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envinject.h"
#include "exitcodes.h"
#include "secmem.h"

extern char **environ;

/*
 * Inherited variables that never reach the command: what lets a
 * process reach a vault, or a helper of the exec backend reach its
 * secret manager. Shell patterns (fnmatch), the same list as in
 * envinject(1). A project that needs one of these names in its command
 * keeps the value in the vault: a value from the blob is injected
 * whatever its name.
 */
static const char *const credential_patterns[] = {
    /* secenv's own configuration: home, backend, keys */
    "SECENV_*",
    /* HashiCorp Vault and OpenBao: tokens, AppRole ids, TLS client key */
    "VAULT_*",
    "BAO_*",
    /* Azure: service principal, user, workload and managed identity */
    "AZURE_*SECRET*",
    "AZURE_*PASSWORD*",
    "AZURE_*TOKEN*",
    "AZURE_CLIENT_CERTIFICATE",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    /* the secret managers behind exec: helpers */
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN*",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "CLOUDSDK_AUTH_*",
    "OP_SERVICE_ACCOUNT_TOKEN",
    "OP_CONNECT_TOKEN",
    "OP_SESSION_*",
    "DOPPLER_TOKEN",
};

static const char *const minimal_names[] = {"PATH", "HOME", "USER", "LANG",
                                            "TERM"};

bool
env_is_credential(const char *name, size_t len)
{
	char *copy = strndup(name, len);
	bool found = false;

	if (copy == NULL)
		err(EXIT_FAIL, "environment");
	for (size_t i = 0; !found && i < sizeof(credential_patterns) /
	                                     sizeof(*credential_patterns);
	     i++)
		found = fnmatch(credential_patterns[i], copy, 0) == 0;
	free(copy);
	return found;
}

/* Length of the name part of "NAME=value", or 0 when there is no '='
 * or no name: such strings are dropped. */
static size_t
entry_name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq == NULL ? 0 : (size_t)(eq - entry);
}

static bool
entry_has_name(const char *entry, const char *name, size_t len)
{
	return entry_name_len(entry) == len && memcmp(entry, name, len) == 0;
}

static bool
env_has(const struct child_env *env, const char *name, size_t len)
{
	for (size_t i = 0; i < env->count; i++)
		if (entry_has_name(env->envp[i], name, len))
			return true;
	return false;
}

static void
env_append(struct child_env *env, char *entry)
{
	if (env->count + 1 >= env->cap) {
		size_t cap = env->cap * 2;
		char **grown = reallocarray(env->envp, cap, sizeof(*grown));

		if (grown == NULL)
			err(EXIT_FAIL, "environment");
		env->envp = grown;
		env->cap = cap;
	}
	env->envp[env->count++] = entry;
	env->envp[env->count] = NULL;
}

/* Drop every entry of name (there is at most one; being sure is cheap). */
static void
env_remove(struct child_env *env, const char *name, size_t len)
{
	size_t kept = 0;

	for (size_t i = 0; i < env->count; i++)
		if (!entry_has_name(env->envp[i], name, len))
			env->envp[kept++] = env->envp[i];
	env->count = kept;
	env->envp[kept] = NULL;
}

static bool
is_user_name(const char *name, size_t len)
{
	return (len == 4 && memcmp(name, "HOME", 4) == 0) ||
	       (len == 4 && memcmp(name, "USER", 4) == 0) ||
	       (len == 7 && memcmp(name, "LOGNAME", 7) == 0);
}

static bool
is_minimal_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(minimal_names) / sizeof(*minimal_names);
	     i++)
		if (strlen(minimal_names[i]) == len &&
		    memcmp(name, minimal_names[i], len) == 0)
			return true;
	return false;
}

static void
env_set_plain(struct child_env *env, const char *name, const char *value)
{
	char *entry;

	if (asprintf(&entry, "%s=%s", name, value) < 0)
		err(EXIT_FAIL, "environment");
	env_append(env, entry);
}

void
env_start(struct child_env *env, bool minimal, const struct target_user *user)
{
	memset(env, 0, sizeof(*env));
	env->cap = 64;
	env->envp = calloc(env->cap, sizeof(*env->envp));
	if (env->envp == NULL)
		err(EXIT_FAIL, "environment");
	for (char **ep = environ; *ep != NULL; ep++) {
		size_t len = entry_name_len(*ep);

		if (len == 0 || env_is_credential(*ep, len) ||
		    env_has(env, *ep, len))
			continue;
		if (minimal && !is_minimal_name(*ep, len))
			continue;
		if (user != NULL && is_user_name(*ep, len))
			continue;
		env_append(env, *ep);
	}
	if (user != NULL) {
		env_set_plain(env, "HOME", user->home);
		env_set_plain(env, "USER", user->name);
		env_set_plain(env, "LOGNAME", user->name);
	}
}

static bool
is_selected(const char *name, char *const *only, size_t only_count)
{
	if (only == NULL)
		return true;
	for (size_t i = 0; i < only_count; i++)
		if (strcmp(only[i], name) == 0)
			return true;
	return false;
}

static bool
is_injected(const struct secret *s, char *const *only, size_t only_count)
{
	return !s->previous && is_selected(s->name, only, only_count);
}

void
env_add_secrets(struct child_env *env, const struct secretset *set,
                char *const *only, size_t only_count)
{
	size_t i, size = 0, at = 0;

	for (i = 0; i < set->count; i++)
		if (is_injected(&set->items[i], only, only_count))
			size += strlen(set->items[i].name) + 1 +
			        set->items[i].len + 1;
	/* One secure buffer: the strings exec copies never sit in the heap. */
	env->secrets = secmem_alloc(size);
	env->secrets_len = size;
	for (i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		size_t nlen = strlen(s->name);
		char *entry = env->secrets + at;

		if (!is_injected(s, only, only_count))
			continue;
		memcpy(entry, s->name, nlen);
		entry[nlen] = '=';
		memcpy(entry + nlen + 1, s->value, s->len);
		entry[nlen + 1 + s->len] = '\0';
		at += nlen + 1 + s->len + 1;
		env_remove(env, s->name, nlen);
		env_append(env, entry);
	}
}

void
env_wipe(struct child_env *env)
{
	if (env->secrets != NULL)
		sodium_memzero(env->secrets, env->secrets_len);
}

void
env_free(struct child_env *env)
{
	if (env->secrets != NULL) {
		env_wipe(env);
		secmem_free(env->secrets);
	}
	/* The plain strings made here are not secret and the process is
	 * about to exit or exec; only the array itself is ours to free. */
	free(env->envp);
	memset(env, 0, sizeof(*env));
}
