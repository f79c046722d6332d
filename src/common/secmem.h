/* SPDX-License-Identifier: ISC */
/* Process hardening and locked, wiped memory for secret values. */
#ifndef SECENV_SECMEM_H
#define SECENV_SECMEM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Call first in main() of every program that holds a secret value:
 * sodium_init(), RLIMIT_CORE 0, PR_SET_DUMPABLE 0. Dies with 111 on failure.
 */
void secmem_init(void);

/*
 * A zeroed block of size bytes, 16-byte aligned, in locked memory left
 * out of core dumps, or die 111. Small
 * blocks come from an arena of the process (guard pages at the ends of
 * each chunk), large ones have guard pages of their own, the block
 * against the trailing one. Safe from several threads; a forked child
 * locks again what it inherited.
 */
void *secmem_alloc(size_t size);

/*
 * The same for a table sized to a bound it may not reach: a large
 * block's pages are locked as they are first touched, so the room never
 * used costs no memory.
 */
void *secmem_alloc_sparse(size_t size);

/*
 * The same for a block read whole once made (a masker's image): one of
 * 1 MiB to 2 MiB spans a whole huge page (2 MiB), so that it is made
 * present at once where the system gives huge pages, not 4 KiB at a
 * time. The room before it (under 1 MiB) is locked and zero, and the
 * leading guard page comes before that room; the trailing one is still
 * against the block. Larger blocks are as secmem_alloc's.
 */
void *secmem_alloc_whole(size_t size);

/*
 * The same for a table filled from its front, sized to a bound it may
 * not reach: its pages are had as they are first touched, as a sparse
 * block's, but a huge page (2 MiB) at a time where the system gives
 * them (all but its first size % 2 MiB bytes), where each small page
 * first touched costs a fault, dear on a virtual machine. The room past
 * what is used may hold up to a huge page: give it back
 * (secmem_release) once the table is whole.
 */
void *secmem_alloc_growing(size_t size);
/* The huge page such a block takes at a time. */
#define SECMEM_HUGE_PAGE ((size_t)2 * 1024 * 1024)

/*
 * Wipe the whole pages within [p, p + len), a part of one block, and
 * give them back: they read as zeros after (and are locked again when
 * touched). For a large block read once from front to back, given
 * back as it goes rather than all at the end.
 */
void secmem_release(void *p, size_t len);

/* Wipe the block and give it back (a large one is unmapped). NULL is
 * fine; a pointer not from secmem_alloc, or freed twice, aborts. */
void secmem_free(void *ptr);

/*
 * Whether the arena's lock is held: called with no other thread, after a
 * child that ran in our memory (spawn_shared) is gone, true says it was
 * killed inside an allocation or a free (the run's death kills it), and
 * the arena's lists may be half-made: the caller must not use secure
 * memory again, and ends at once.
 */
bool secmem_left_locked(void);

/* A NUL-terminated copy of len bytes in secure memory. */
char *secmem_strndup(const void *src, size_t len);

#endif
