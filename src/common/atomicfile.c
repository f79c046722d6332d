/* SPDX-License-Identifier: ISC */
/* Atomic, durable file replacement and flock-based serialisation. */
#include <dirent.h>
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

/* An unnamed file in path's directory (O_TMPFILE): a crash before it
 * is linked leaves nothing behind. -1 with errno when the filesystem
 * has no O_TMPFILE. */
static int
open_unnamed(const char *path)
{
	char dir[PATH_MAX];

	if (strlen(path) >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dir, path);
	return open(dirname(dir), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
}

/* Give the unnamed file fd the name tmp (which does not exist). */
static int
link_unnamed(int fd, const char *tmp)
{
	char proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
}

static int
replace_file(const char *path, const void *data, size_t len, bool durable)
{
	char tmp[PATH_MAX];
	int fd, n, saved;
	bool unnamed, named = false;

	n = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* The content is written into a file with no name, which gets one
	 * only once whole: the temporary name then lives for a link and a
	 * rename, not for the whole write. */
	fd = open_unnamed(path);
	unnamed = fd >= 0;
	/* mkostemp: O_EXCL, mode 0600, a fresh name nobody can pre-link. */
	if (!unnamed) {
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0)
			return -1;
		named = true;
	}
	if (write_full(fd, data, len) != 0 || (durable && fsync(fd) != 0))
		goto fail;
	if (unnamed) {
		/* A name nobody holds: mkstemp's pattern, tried until free. */
		for (;;) {
			int tfd;

			snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
			tfd = mkostemp(tmp, O_CLOEXEC);
			if (tfd < 0)
				goto fail;
			close(tfd);
			unlink(tmp);
			if (link_unnamed(fd, tmp) == 0)
				break;
			if (errno != EEXIST)
				goto fail;
		}
		named = true;
	}
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
	if (named)
		unlink(tmp);
	errno = saved;
	return -1;
}

int
atomic_clean_leftovers(const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX], prefix[PATH_MAX + 8];
	struct dirent *e;
	size_t plen;
	DIR *d;
	int dfd, removed = 0;

	if (strlen(path) >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dir, path);
	strcpy(base, path);
	snprintf(prefix, sizeof prefix, "%s.tmp.", basename(base));
	plen = strlen(prefix);
	if ((d = opendir(dirname(dir))) == NULL)
		return -1;
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, plen) == 0 &&
		    strlen(e->d_name) == plen + 6 &&
		    unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	closedir(d);
	return removed;
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
