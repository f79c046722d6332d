/* SPDX-License-Identifier: ISC */
/* Where secenv keeps its files, and the careful way to open them. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "paths.h"
#include "util.h"

const char *
secenv_home_path(void)
{
	static char home[PATH_MAX];
	const char *v;

	if (home[0] != '\0')
		return home;
	if ((v = env_nonempty("SECENV_HOME")) != NULL)
		path_join(home, sizeof home, v, NULL);
	else if ((v = env_nonempty("XDG_DATA_HOME")) != NULL)
		path_join(home, sizeof home, v, "secenv");
	else if ((v = env_nonempty("HOME")) != NULL)
		path_join(home, sizeof home, v, ".local/share/secenv");
	else
		errx(EXIT_FAIL, "cannot find SECENV_HOME: set SECENV_HOME or HOME");
	return home;
}

/*
 * Another user's directory would otherwise surface as a missing key, a
 * log that is "not writable" or a directory said to be missing: say
 * what it is. A home that does not exist yet is fine (init makes it).
 */
const char *
secenv_home(void)
{
	static bool checked;
	const char *home = secenv_home_path();
	struct stat st;

	if (checked)
		return home;
	if (stat(home, &st) == 0) {
		if (S_ISDIR(st.st_mode) && st.st_uid != geteuid())
			errx(EXIT_FAIL,
			     "SECENV_HOME %s: owned by uid %lu, not by you "
			     "(uid %lu): set SECENV_HOME to a directory of "
			     "your own",
			     printable(home), (unsigned long)st.st_uid,
			     (unsigned long)geteuid());
	} else if (errno == EACCES) {
		err(EXIT_FAIL,
		    "SECENV_HOME %s: a directory on its path is closed to "
		    "you (another user's?): set SECENV_HOME to a directory "
		    "of your own",
		    printable(home));
	}
	checked = true;
	return home;
}

const char *
secenv_runtime_path(void)
{
	static char dir[PATH_MAX];
	const char *base = env_nonempty("XDG_RUNTIME_DIR");
	char leaf[64];

	if (dir[0] != '\0')
		return dir;
	snprintf(leaf, sizeof leaf, "secenv-%lu", (unsigned long)geteuid());
	path_join(dir, sizeof dir, base != NULL ? base : "/tmp", leaf);
	return dir;
}

/* The runtime directory, created 0700 and checked: NULL with errno
 * (EPERM: not a private directory of ours). */
static const char *
runtime_dir_check(void)
{
	static bool checked;
	const char *dir = secenv_runtime_path();
	struct stat st;

	if (checked)
		return dir;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return NULL;
	if (lstat(dir, &st) != 0)
		return NULL;
	/* /tmp is shared: someone else may have made the name first. */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		errno = EPERM;
		return NULL;
	}
	checked = true;
	return dir;
}

const char *
secenv_runtime_dir(void)
{
	const char *dir = runtime_dir_check();

	if (dir == NULL && errno == EPERM)
		errx(EXIT_FAIL,
		     "runtime directory %s: not a private directory of ours",
		     printable(secenv_runtime_path()));
	if (dir == NULL)
		err(EXIT_FAIL, "runtime directory %s",
		    printable(secenv_runtime_path()));
	return dir;
}

const char *
secenv_runtime_dir_or_null(void)
{
	return runtime_dir_check();
}

int
runtime_files_remove(const char *sub)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int status = 0, saved = 0;

	path_join(dir, sizeof dir, secenv_runtime_dir(), sub);
	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((d = readdir(dp)) != NULL)
		if (d->d_name[0] != '.' &&
		    unlinkat(dirfd(dp), d->d_name, 0) != 0 && errno != ENOENT) {
			saved = errno;
			status = -1;
		}
	closedir(dp);
	errno = saved;
	return status;
}

char *
path_search(const char *name)
{
	return path_search_in(getenv("PATH"), name);
}

char *
path_search_in(const char *path, const char *name)
{
	const char *dir;
	size_t name_len = strlen(name);

	if (strchr(name, '/') != NULL || name_len == 0 || path == NULL)
		return NULL;
	for (dir = path;; dir += strcspn(dir, ":") + 1) {
		size_t len = strcspn(dir, ":");
		char *file = malloc(len + name_len + 3);
		struct stat st;

		if (file == NULL)
			return NULL;
		/* an empty entry is the current directory */
		snprintf(file, len + name_len + 3, "%.*s/%s",
		         len > 0 ? (int)len : 1, len > 0 ? dir : ".", name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(file, X_OK) == 0)
			return file;
		free(file);
		if (dir[len] == '\0')
			return NULL;
	}
}

void
path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n;

	if (name == NULL)
		n = snprintf(buf, size, "%s", dir);
	else
		n = snprintf(buf, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size)
		errx(EXIT_FAIL, "path too long: %s", printable(dir));
}

/* The final directory as dir_ensure() wants it found: 0, or -1 with
 * errno. */
static int
dir_is_ours(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (st.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
dir_ensure(const char *path)
{
	char buf[PATH_MAX];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* nearly always there already: one lstat, not a mkdir a component
	 * (a run's cache and image folders were eleven EEXISTs) */
	if (dir_is_ours(path) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		if (i < len)
			buf[i] = '/';
	}
	return dir_is_ours(path);
}

int
open_private(const char *path, struct stat *status)
{
	struct stat own, *st = status != NULL ? status : &own;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st->st_mode) || st->st_uid != geteuid() ||
	    (st->st_mode & 077) != 0) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

const char *
private_file_why(const char *path, int errnum)
{
	static char why[160];
	struct stat st;

	if (errnum != EPERM || lstat(path, &st) != 0)
		return strerror(errnum);
	if (!S_ISREG(st.st_mode))
		snprintf(why, sizeof why, "not a regular file");
	else if (st.st_uid != geteuid())
		snprintf(why, sizeof why,
		         "owned by uid %lu, not by you (uid %lu): a key file "
		         "must be your own",
		         (unsigned long)st.st_uid, (unsigned long)geteuid());
	else
		snprintf(why, sizeof why,
		         "mode %03o lets group or others at it: chmod 600 it",
		         (unsigned)(st.st_mode & 0777));
	return why;
}

char *
program_path(const char *name)
{
	const char *bin = env_nonempty("SECENV_BIN");
	char self[PATH_MAX], *path, *slash;
	ssize_t n;

	if (bin != NULL) {
		path = xasprintf("%s/%s", bin, name);
		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			path = xasprintf("%s/%s", self, name);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(name);
}
