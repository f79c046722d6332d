/* SPDX-License-Identifier: ISC */
/* Where secenv keeps its files, and the careful way to open them. */
#ifndef SECENV_PATHS_H
#define SECENV_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* SECENV_HOME, else ${XDG_DATA_HOME:-$HOME/.local/share}/secenv. Dies 111
 * when neither HOME nor the others are set, and when the directory
 * belongs to another user or cannot be reached (EACCES on its path),
 * naming it, the owner or the errno, and what to do. Static string. */
const char *secenv_home(void);

/* The same path, not checked (to name it, as cmdguard's policy does).
 * Static string; dies 111 only when nothing sets it. */
const char *secenv_home_path(void);

/* ${XDG_RUNTIME_DIR:-/tmp}/secenv-UID, created 0700 on first use and
 * refused when owned by someone else or open to others. Dies 111. */
const char *secenv_runtime_dir(void);

/* The same, or NULL with errno where secenv_runtime_dir() dies (for
 * what can do without it, as masker images). */
const char *secenv_runtime_dir_or_null(void);

/* The same path, neither created nor checked (to name it, as cmdguard's
 * policy does). Static string; dies 111 when it would not fit. */
const char *secenv_runtime_path(void);

/* The runtime directory's folder of masker images (redact(1)). */
#define RUNTIME_IMAGES "images"

/* Remove every file in the runtime directory's folder sub (the masker
 * images, when a project's values change or it is revoked). 0, or -1
 * with errno; a missing folder is no failure. */
int runtime_files_remove(const char *sub);

/*
 * The file execvp() would run for name (no slash in it), found on PATH
 * with stat and access rather than an execve that fails in every
 * directory before the one that has it: malloc'd, or NULL when none is
 * found (or name has a slash, or PATH is not set).
 */
char *path_search(const char *name);
/* The same on path, a list of directories as PATH is (NULL: none). */
char *path_search_in(const char *path, const char *name);

/*
 * Where a program of the suite is: in SECENV_BIN, else beside this
 * program (bin/ when built in place, or the install directory), else
 * its bare name, for execvp() to find on PATH. malloc'd.
 */
char *program_path(const char *name);

/* snprintf into buf, dying 111 with a message when it would not fit. */
void path_join(char *buf, size_t size, const char *dir, const char *name);

/*
 * mkdir -p with mode 0700 for every component this creates; an
 * existing final directory must be a directory (not a link) owned by
 * us. 0, or -1 with errno.
 */
int dir_ensure(const char *path);

/*
 * Open a file that holds key material: O_RDONLY|O_NOFOLLOW|O_CLOEXEC,
 * must be a regular file owned by us and not readable or writable by
 * group or others (as ssh does); its status in *status when not NULL.
 * -1 with errno (EPERM for the mode).
 */
int open_private(const char *path, struct stat *status);

/*
 * Why open_private(path) failed with errnum, for a message that names
 * path before it: the owner or mode found and what to do, or
 * strerror(errnum). Static string.
 */
const char *private_file_why(const char *path, int errnum);

#endif
