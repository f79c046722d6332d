/* SPDX-License-Identifier: ISC */
/* Atomic, durable file replacement and flock-based serialisation. */
#ifndef SECENV_ATOMICFILE_H
#define SECENV_ATOMICFILE_H

#include <stddef.h>

/*
 * Replace path with data: an unnamed file (O_TMPFILE, 0600) in the same
 * directory, written and fsynced, then linked as path.tmp.XXXXXX and
 * renamed over path, and the directory fsynced (where O_TMPFILE is not
 * supported, a mkostemp file named from the start). On failure the temporary is removed and path is untouched.
 * 0, or -1 with errno.
 */
int atomic_write(const char *path, const void *data, size_t len);

/*
 * Remove what a writer killed between link and rename left: the files
 * named path.tmp.XXXXXX. Call only while holding the lock that all
 * writers of path take. The number removed, or -1 with errno.
 */
int atomic_clean_leftovers(const char *path);

/* The same without the fsyncs: readers see the old file or the whole new
 * one, but a crash may lose it. For reports that live as long as a run
 * (redact --stats), where two disk flushes would cost more than the run. */
int atomic_replace(const char *path, const void *data, size_t len);

/* Open (creating 0600) path and take an exclusive flock on it. Returns
 * the fd (close it to unlock) or -1 with errno. */
int lock_acquire(const char *path);
void lock_release(int fd);

#endif
