/* SPDX-License-Identifier: ISC */
/* The audit MAC key: 32 raw bytes in a private file. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditlog.h"
#include "exitcodes.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"

unsigned char *
mackey_load(const char *path)
{
	struct stat file;

	return mackey_load_file(path, &file);
}

/* How a key file failed to read, for mackey_load_file() to say. */
enum key_fault {
	KEY_READ_OK,
	KEY_NOT_PRIVATE,
	KEY_NO_OPEN,
	KEY_NO_READ,
	KEY_SIZE
};

/* The key of *path (NULL: the default file, and *path then names it in
 * fallback): *key, NULL when there is no default key; or a fault, with
 * errno as the failing call left it. */
static enum key_fault
key_read(const char **path, char fallback[PATH_MAX], struct stat *file,
         unsigned char **key)
{
	ssize_t n;
	int fd, saved;

	memset(file, 0, sizeof *file);
	*key = NULL;
	if (*path == NULL) {
		path_join(fallback, PATH_MAX, secenv_home(), "keys/audit.key");
		*path = fallback;
		if (access(*path, F_OK) != 0 && errno == ENOENT)
			return KEY_READ_OK;
	}
	fd = open_private(*path, file);
	if (fd < 0)
		return errno == EPERM ? KEY_NOT_PRIVATE : KEY_NO_OPEN;
	/* One byte more than a key, to tell a longer file apart. */
	*key = secmem_alloc(MAC_KEY_BYTES + 1);
	n = read_full(fd, *key, MAC_KEY_BYTES + 1);
	saved = errno;
	close(fd);
	if (n == MAC_KEY_BYTES)
		return KEY_READ_OK;
	secmem_free(*key);
	*key = NULL;
	errno = saved;
	return n < 0 ? KEY_NO_READ : KEY_SIZE;
}

unsigned char *
mackey_load_file(const char *path, struct stat *file)
{
	char fallback[PATH_MAX];
	unsigned char *key;

	switch (key_read(&path, fallback, file, &key)) {
	case KEY_READ_OK:
		return key;
	case KEY_NOT_PRIVATE:
		errx(EXIT_FAIL,
		     "MAC key %s: not a private file of ours (chmod 600)",
		     printable(path));
	case KEY_NO_OPEN:
	case KEY_NO_READ:
		err(EXIT_FAIL, "MAC key %s", printable(path));
	case KEY_SIZE:
		break;
	}
	errx(EXIT_FAIL, "MAC key %s: not %d bytes", printable(path),
	     MAC_KEY_BYTES);
}

bool
mackey_try_load_file(const char *path, struct stat *file, unsigned char **key)
{
	char fallback[PATH_MAX];

	return key_read(&path, fallback, file, key) == KEY_READ_OK;
}

bool
mackey_unchanged(const char *path, const struct stat *file)
{
	char fallback[PATH_MAX];
	struct stat now;

	if (path == NULL) {
		path_join(fallback, sizeof fallback, secenv_home(),
		          "keys/audit.key");
		path = fallback;
	}
	/* no default key then, none now */
	if (lstat(path, &now) != 0)
		return errno == ENOENT && file->st_ino == 0 && path == fallback;
	return file->st_ino != 0 && now.st_dev == file->st_dev &&
	       now.st_ino == file->st_ino && now.st_size == file->st_size &&
	       now.st_mode == file->st_mode && now.st_uid == file->st_uid &&
	       now.st_mtim.tv_sec == file->st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == file->st_mtim.tv_nsec &&
	       now.st_ctim.tv_sec == file->st_ctim.tv_sec &&
	       now.st_ctim.tv_nsec == file->st_ctim.tv_nsec;
}

void
mackey_missing(const char *log, const char *key_id)
{
	char own[PATH_MAX], key[PATH_MAX], shown[PATH_MAX];
	struct stat a, b;

	path_join(own, sizeof own, secenv_home(), "audit.log");
	if (stat(log, &a) != 0 || stat(own, &b) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return;
	path_join(key, sizeof key, secenv_home(), "keys/audit.key");
	/* printable() has one buffer: the log's copy first. */
	snprintf(shown, sizeof shown, "%s", printable(log));
	errno = ENOENT;
	err(EXIT_FAIL,
	    "%s: the log %s is keyed (MAC key id %s) and is neither written "
	    "nor checked without this key: put it back from a backup (if it "
	    "is lost, move the log and its anchor away to start a new log)",
	    printable(key), shown, key_id);
}
