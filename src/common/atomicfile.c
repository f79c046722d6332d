/* SPDX-License-Identifier: ISC */
/* Atomic, durable file replacement and flock-based serialisation. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "util.h"

static int
dir_sync(const char *path)
{
	char buf[PATH_MAX];
	int fd, rc;

	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
replace_file(const char *path, const void *data, size_t len, bool durable)
{
	char tmp[PATH_MAX];
	int fd, n, saved;

	n = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* mkostemp: O_EXCL, mode 0600, a fresh name nobody can pre-link. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_full(fd, data, len) != 0 || (durable && fsync(fd) != 0))
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return durable ? dir_sync(path) : 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
atomic_write(const char *path, const void *data, size_t len)
{
	return replace_file(path, data, len, true);
}

int
atomic_replace(const char *path, const void *data, size_t len)
{
	return replace_file(path, data, len, false);
}

int
lock_acquire(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
	}
	return fd;
}

void
lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
