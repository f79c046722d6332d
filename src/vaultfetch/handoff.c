/* SPDX-License-Identifier: ISC */
/* The light build's hand-off of a remote backend to the full build. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "vaultfetch.h"

/* The build with every backend, installed beside the light one. */
#define FULL_BUILD_NAME "vaultfetch-http"

/*
 * Only the directory of our own executable is trusted: never PATH, which
 * the caller controls. argv and the environment pass on unchanged, so the
 * full build parses the same line and its messages read the same.
 */
void
backend_handoff(const char *spec, char **argv)
{
	char path[PATH_MAX];
	ssize_t len;
	char *slash;

	if (backend_is_linked(spec))
		return;
	len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (len == -1)
		err(EXIT_FAIL, "backend %s: /proc/self/exe", spec);
	path[len] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL ||
	    (size_t)(slash + 1 - path) + sizeof(FULL_BUILD_NAME) > sizeof(path))
		errx(EXIT_FAIL, "backend %s: cannot place %s beside %s", spec,
		     FULL_BUILD_NAME, path);
	memcpy(slash + 1, FULL_BUILD_NAME, sizeof(FULL_BUILD_NAME));
	execv(path, argv);
	err(EXIT_FAIL, "backend %s needs %s", spec, path);
}
