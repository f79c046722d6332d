/* SPDX-License-Identifier: ISC */
/* Backend selection (-B, SECENV_BACKEND) and helpers shared by backends. */
#include <err.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend.h"
#include "exitcodes.h"
#include "util.h"

/* The light build (bin/vaultfetch) links no HTTP code, so that a run of
 * the file or exec backend does not load libcurl: there these are NULL,
 * and main() hands a remote backend to the full build (handoff.c). */
#pragma weak backend_azure_open
#pragma weak backend_hcvault_open

void
secret_info_free(struct secret_info *info, size_t count)
{
	if (info == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		free(info[i].name);
	free(info);
}

bool
backend_is_linked(const char *spec)
{
	if (strcmp(spec, "azure") == 0)
		return backend_azure_open != NULL;
	if (strcmp(spec, "hcvault") == 0)
		return backend_hcvault_open != NULL;
	return true;
}

/* The length of url without its trailing slashes. */
static size_t
url_length_trimmed(const char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	return n;
}

int
backend_azure_vault_url(const char **url, const char **var)
{
	const char *ours = env_nonempty("SECENV_AZURE_VAULT_URL");
	const char *sdk = env_nonempty("AZURE_KEY_VAULT_URL");
	size_t n;

	*url = ours ? ours : sdk;
	*var = ours ? "SECENV_AZURE_VAULT_URL" : "AZURE_KEY_VAULT_URL";
	if (ours == NULL || sdk == NULL)
		return EXIT_OK;
	n = url_length_trimmed(ours);
	if (n != url_length_trimmed(sdk) || strncasecmp(ours, sdk, n) != 0) {
		warnx("azure: SECENV_AZURE_VAULT_URL and AZURE_KEY_VAULT_URL "
		      "name different vaults (unset one)");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void
backend_vault_url_notice(const char *spec)
{
	static bool said;

	if (spec == NULL || *spec == '\0')
		spec = getenv("SECENV_BACKEND");
	if (spec == NULL || *spec == '\0')
		spec = "file";
	if (said || strcmp(spec, "file") != 0 ||
	    env_nonempty("AZURE_KEY_VAULT_URL") == NULL)
		return;
	said = true;
	warnx("AZURE_KEY_VAULT_URL is not used: the backend is the local "
	      "store (SECENV_BACKEND=azure selects Azure Key Vault)");
}

int
backend_open(struct backend *b, const char *spec, const char *home)
{
	memset(b, 0, sizeof(*b));
	if (spec == NULL || *spec == '\0')
		spec = getenv("SECENV_BACKEND");
	if (spec == NULL || *spec == '\0' || strcmp(spec, "file") == 0)
		return backend_file_open(b, home);
	if (!backend_is_linked(spec)) {
		warnx("backend %s: not in this build (use vaultfetch)", spec);
		return EXIT_FAIL;
	}
	if (strcmp(spec, "azure") == 0)
		return backend_azure_open(b);
	if (strcmp(spec, "hcvault") == 0)
		return backend_hcvault_open(b);
	if (strncmp(spec, "exec:", 5) == 0) {
		if (spec[5] == '\0') {
			warnx("backend exec: needs a helper path (exec:PATH)");
			return EXIT_USAGE;
		}
		return backend_exec_open(b, spec + 5);
	}
	warnx("unknown backend '%s' (file, azure, hcvault or exec:PATH)",
	      printable(spec));
	return EXIT_USAGE;
}
