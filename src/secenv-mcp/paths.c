/* SPDX-License-Identifier: ISC */
/* Keeping a tool's path inside the directories the server was given. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "util.h"

static bool
under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * The real path of PATH (relative to the working directory, or
 * absolute), when it exists and lies inside the working directory (or,
 * with allow_extra, one of the --allow-read directories) once every
 * "..", "." and symbolic link is resolved. NULL with *why otherwise.
 */
char *
path_inside(const struct mcp_config *c, const char *path, bool allow_extra,
            const char **why)
{
	char *joined, *real;

	if (path[0] == '\0') {
		*why = "an empty path";
		return NULL;
	}
	if (strlen(path) >= PATH_MAX) {
		*why = "a path too long";
		return NULL;
	}
	joined = path[0] == '/' ? xstrdup(path)
	                        : xasprintf("%s/%s", c->workdir, path);
	real = realpath(joined, NULL);
	free(joined);
	if (real == NULL) {
		*why = errno == ENOENT || errno == ENOTDIR
		           ? "no such file or directory"
		           : "a path that cannot be resolved";
		return NULL;
	}
	if (under(real, c->workdir))
		return real;
	for (size_t i = 0; allow_extra && i < c->allow_read_count; i++)
		if (under(real, c->allow_read[i]))
			return real;
	free(real);
	*why = allow_extra ? "outside the working directory and the "
	                     "directories allowed for reading"
	                   : "outside the working directory";
	return NULL;
}
