/* SPDX-License-Identifier: ISC */
/* Project revocation: SECENV_HOME/revoked/PROJECT. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Fixed width, so a flip rewrites the file in place: "revoked " or
 * "active  ", 20 digits, a newline. */
#define REVOKE_LINE_LEN 29

static int
revoke_line(char line[REVOKE_LINE_LEN + 1], const char *state, uint64_t now)
{
	return snprintf(line, REVOKE_LINE_LEN + 1, "%-7s %020llu\n", state,
	                (unsigned long long)now);
}

/* Overwrite an existing file in place: no new directory entry and, for a
 * file already this long, no new block, so a full disk cannot stop it.
 * 1 done, 0 no such file, -1 with errno. */
static int
revoke_flip(const char *path, const char *line)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	int rc = 1;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	errno = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    pwrite(fd, line, REVOKE_LINE_LEN, 0) != REVOKE_LINE_LEN ||
	    (st.st_size > REVOKE_LINE_LEN &&
	     ftruncate(fd, REVOKE_LINE_LEN) != 0) ||
	    fdatasync(fd) != 0)
		rc = -1;
	if (rc < 0 && errno == 0)
		errno = S_ISREG(st.st_mode) ? ENOSPC : EINVAL;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static int
revoke_write(const char *home, const char *project, const char *state,
	     uint64_t now)
{
	char path[PATH_MAX], dir[PATH_MAX], line[REVOKE_LINE_LEN + 1];
	int rc;

	if (!project_is_valid(project)) {
		errno = EINVAL;
		return -1;
	}
	path_join(dir, sizeof dir, home, "revoked");
	revoke_path(path, sizeof path, home, project);
	revoke_line(line, state, now);
	rc = revoke_flip(path, line);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (dir_ensure(dir) != 0)
		return -1;
	return atomic_write(path, line, REVOKE_LINE_LEN);
}

int
revoke_prepare(const char *home, const char *project)
{
	char path[PATH_MAX], dir[PATH_MAX], line[REVOKE_LINE_LEN + 1];

	if (!project_is_valid(project)) {
		errno = EINVAL;
		return -1;
	}
	path_join(dir, sizeof dir, home, "revoked");
	revoke_path(path, sizeof path, home, project);
	if (access(path, F_OK) == 0)
		return 0;
	if (dir_ensure(dir) != 0)
		return -1;
	/* "active" since 0: the same as no file at all. */
	revoke_line(line, "active", 0);
	return atomic_write(path, line, REVOKE_LINE_LEN);
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
	if (space != NULL)
		*space++ = '\0';
	while (space != NULL && *space == ' ')
		space++;
	if (space == NULL || !parse_u64(space, since)) {
		free(text);
		errno = EINVAL;
		return -1;
	}
	*revoked = strcmp((char *)text, "active") != 0;
	free(text);
	return 0;
}

void
revoke_read_state(const char *home, const char *project, struct revocation *r)
{
	memset(r, 0, sizeof *r);
	r->read = revoke_read(home, project, &r->revoked, &r->since);
	r->error = r->read < 0 ? errno : 0;
}

int
revocation_is_revoked(const struct revocation *r)
{
	if (r->read < 0) {
		errno = r->error;
		return -1;
	}
	return r->read == 0 && r->revoked;
}

int
revocation_check(const struct revocation *r, uint64_t created_ms,
                 const char **why)
{
	if (r->read == 1)
		return 0;
	if (r->read < 0) {
		/* Fail closed: an unreadable revocation file is a refusal. */
		*why = "cannot read the project's revocation state";
		return -1;
	}
	if (r->revoked) {
		*why = "project is revoked";
		return -1;
	}
	if (created_ms <= r->since) {
		*why = "blob was made before the project was last revoked";
		return -1;
	}
	return 0;
}

int
revoke_is_revoked(const char *home, const char *project)
{
	struct revocation r;

	revoke_read_state(home, project, &r);
	return revocation_is_revoked(&r);
}

int
revoke_check(const char *home, const char *project, uint64_t created_ms,
             const char **why)
{
	struct revocation r;

	revoke_read_state(home, project, &r);
	return revocation_check(&r, created_ms, why);
}
