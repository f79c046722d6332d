/* Backend selection (-B, SECENV_BACKEND) and helpers shared by backends. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "exitcodes.h"
#include "util.h"

void
secret_info_free(struct secret_info *info, size_t count)
{
	if (info == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		free(info[i].name);
	free(info);
}

int
backend_open(struct backend *b, const char *spec, const char *home)
{
	memset(b, 0, sizeof(*b));
	if (spec == NULL || *spec == '\0')
		spec = getenv("SECENV_BACKEND");
	if (spec == NULL || *spec == '\0' || strcmp(spec, "file") == 0)
		return backend_file_open(b, home);
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

/*
 * The remote backends live in files of their own; these weak fallbacks
 * keep vaultfetch linkable (with a clear refusal) in a build without them.
 */
static int
backend_missing(const char *name)
{
	warnx("backend %s: not built into this vaultfetch", name);
	return EXIT_FAIL;
}

__attribute__((weak)) int
backend_azure_open(struct backend *b)
{
	return backend_missing("azure");
}

__attribute__((weak)) int
backend_hcvault_open(struct backend *b)
{
	return backend_missing("hcvault");
}

__attribute__((weak)) int
backend_exec_open(struct backend *b, const char *helper_path)
{
	return backend_missing("exec");
}
