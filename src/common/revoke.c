/* SPDX-License-Identifier: ISC */
/* Project revocation: SECENV_HOME/revoked/PROJECT. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "names.h"
#include "paths.h"
#include "revoke.h"
#include "util.h"

static void
revoke_path(char *buf, size_t size, const char *home, const char *project)
{
	char dir[PATH_MAX];

	path_join(dir, sizeof dir, home, "revoked");
	path_join(buf, size, dir, project);
}

static int
revoke_write(const char *home, const char *project, const char *state,
	     uint64_t now)
{
	char path[PATH_MAX], dir[PATH_MAX], line[64];
	int n;

	if (!project_is_valid(project)) {
		errno = EINVAL;
		return -1;
	}
	path_join(dir, sizeof dir, home, "revoked");
	if (dir_ensure(dir) != 0)
		return -1;
	revoke_path(path, sizeof path, home, project);
	n = snprintf(line, sizeof line, "%s %llu\n", state,
		     (unsigned long long)now);
	return atomic_write(path, line, (size_t)n);
}

int
revoke_set(const char *home, const char *project, uint64_t now)
{
	return revoke_write(home, project, "revoked", now);
}

int
revoke_clear(const char *home, const char *project, uint64_t now)
{
	return revoke_write(home, project, "active", now);
}

/* 0 with *revoked and *since from the file; 1 when there is none. */
static int
revoke_read(const char *home, const char *project, bool *revoked,
	    uint64_t *since)
{
	char path[PATH_MAX], *space;
	unsigned char *text;
	size_t len;

	revoke_path(path, sizeof path, home, project);
	if (read_path(path, 64, false, &text, &len) != 0)
		return errno == ENOENT ? 1 : -1;
	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';
	space = strchr((char *)text, ' ');
	if (space == NULL || !parse_u64(space + 1, since)) {
		free(text);
		errno = EINVAL;
		return -1;
	}
	*space = '\0';
	*revoked = strcmp((char *)text, "active") != 0;
	free(text);
	return 0;
}

int
revoke_is_revoked(const char *home, const char *project)
{
	bool revoked;
	uint64_t since;
	int rc = revoke_read(home, project, &revoked, &since);

	if (rc < 0)
		return -1;
	return rc == 0 && revoked;
}

int
revoke_check(const char *home, const char *project, uint64_t created_ms,
	     const char **why)
{
	bool revoked;
	uint64_t since;
	int rc = revoke_read(home, project, &revoked, &since);

	if (rc == 1)
		return 0;
	if (rc < 0) {
		/* Fail closed: an unreadable revocation file is a refusal. */
		*why = "cannot read the project's revocation state";
		return -1;
	}
	if (revoked) {
		*why = "project is revoked";
		return -1;
	}
	if (created_ms <= since) {
		*why = "blob was made before the project was last revoked";
		return -1;
	}
	return 0;
}
