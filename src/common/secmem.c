/* SPDX-License-Identifier: ISC */
/* Process hardening and locked, wiped memory for secret values. */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sodium.h>

#include "exitcodes.h"
#include "secmem.h"

/*
 * Two kinds of block. A small one (SMALL_MAX bytes or less) is carved
 * out of an arena chunk: the chunk is mapped, locked and kept out of
 * core dumps once, with a guard page at each end, and its blocks are
 * handed out by size class and kept on a free list once wiped. A large
 * one has a mapping of its own, placed against a trailing guard page
 * (an overrun faults at once), with a guard page in front too.
 *
 * This replaces one sodium_malloc() per block, which cost an mmap,
 * three mprotects, an mlock and a madvise, and on free as many again,
 * plus a fill of the whole block with garbage (so every page of it was
 * faulted in and written): a masker's automaton over 200 secrets made
 * thousands of such calls. A chunk's pages are locked as they are first
 * touched (MLOCK_ONFAULT: a process with a few small blocks does not pay
 * for the whole chunk), a large block's at once; a free wipes only the
 * pages in memory. A block is zeroed when handed out.
 */
#define HEADER 16                /* before every block */
#define SMALL_MIN_SHIFT 5        /* 32 bytes, header included */
#define SMALL_CLASSES 10         /* 32 ... 16 KiB, header included */
#define SMALL_MAX ((size_t)(1u << (SMALL_MIN_SHIFT + SMALL_CLASSES - 1)) - HEADER)
#define CHUNK_SIZE ((size_t)256 * 1024)
#define HUGE_PAGE SECMEM_HUGE_PAGE /* over pages of 4 KiB */
#define MAGIC_SMALL 0x5ec5a11u
#define MAGIC_LARGE 0x5ec1a46eu
#define MAGIC_FREE 0x5ecf4eeu

#ifdef __SANITIZE_ADDRESS__
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define POISON(p, n) __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Before each small block: its class and the size asked for (what is
 * wiped on free; the rest of the block was never handed out). */
struct small_header {
	uint32_t magic, class;
	uint64_t size;
};

/* At the start of the page a large block begins in (its mapping's first
 * usable page, but for a whole block's slack). */
struct large_header {
	uint32_t magic;
	uint32_t unused;
	unsigned char *map; /* the mapping, from its leading guard page */
	size_t map_len;     /* the whole mapping, guard pages included */
	size_t size;        /* what was asked for, rounded to 16 */
	struct large_header *prev, *next;
};

struct chunk {
	unsigned char *data; /* CHUNK_SIZE bytes between two guard pages */
	size_t used;
	struct chunk *next;
};

static struct {
	pthread_mutex_t lock;
	struct chunk *chunks;
	void *free_list[SMALL_CLASSES];
	struct large_header *large;
	size_t page;
} arena = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static _Noreturn void
out_of_memory(size_t size)
{
	errx(EXIT_FAIL, "secure memory (%zu bytes): %s", size,
	     strerror(errno));
}

static _Noreturn void
corrupt(const char *what)
{
	/* no message through stdio: the heap may be what is broken */
	static const char m[] = "secure memory: corrupt or freed twice: ";

	(void)!write(STDERR_FILENO, m, sizeof m - 1);
	(void)!write(STDERR_FILENO, what, strlen(what));
	(void)!write(STDERR_FILENO, "\n", 1);
	abort();
}

/* Locked now (the pages made present in one call: a fault per page
 * costs more, and a large block is mostly used), or else as pages are
 * touched; a lock refused (RLIMIT_MEMLOCK) leaves the memory usable, as
 * sodium_malloc does. */
static void
lock_pages(void *p, size_t len, bool now)
{
	if (mlock2(p, len, now ? 0 : MLOCK_ONFAULT) != 0 &&
	    (errno == ENOSYS || errno == EINVAL))
		(void)mlock(p, len);
}

/*
 * Where a mapping of len usable bytes and its two guard pages goes:
 * for a block locked now or growing (huge) and at least a huge page
 * long, its end (the trailing guard) on a huge-page boundary, so that
 * all but its first len % HUGE_PAGE bytes can be made present a huge
 * page at a time (where the system gives them, MADV_HUGEPAGE): a
 * masker's image of a few MiB, or the trie a build grows, cost a fault
 * of a small page per 4 KiB, each dear on a virtual machine. NULL when
 * no room; else the first guard page, the space around it given back.
 */
static unsigned char *
guarded_reserve(size_t len, bool huge)
{
	size_t page = arena.page, slack = 0, total;
	unsigned char *base, *end;

	if (huge && page == 4096 && len >= HUGE_PAGE &&
	    len <= SIZE_MAX - 2 * page - HUGE_PAGE)
		slack = HUGE_PAGE;
	total = len + 2 * page + slack;
	base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED || slack == 0)
		return base == MAP_FAILED ? NULL : base;
	end = (unsigned char *)(((uintptr_t)base + page + len + HUGE_PAGE - 1) &
	                        ~(uintptr_t)(HUGE_PAGE - 1));
	if (end - len - page > base)
		munmap(base, (size_t)(end - len - page - base));
	if (end + page < base + total)
		munmap(end + page, (size_t)(base + total - end - page));
	base = end - len - page;
	(void)madvise(base + page, len, MADV_HUGEPAGE);
	return base;
}

/* A mapping of len usable bytes between two guard pages, locked now or
 * as touched, placed for huge pages or not (guarded_reserve); its first
 * usable byte. */
static unsigned char *
guarded_map(size_t len, bool now, bool huge)
{
	size_t page = arena.page;
	unsigned char *base;

	if (len > SIZE_MAX - 2 * page)
		return NULL;
	if ((base = guarded_reserve(len, huge)) == NULL)
		return NULL;
	if (mprotect(base + page, len, PROT_READ | PROT_WRITE) != 0) {
		munmap(base, len + 2 * page);
		return NULL;
	}
	lock_pages(base + page, len, now);
	(void)madvise(base + page, len, MADV_DONTDUMP);
	return base + page;
}

/* Zero the pages of [p, p+len) that are in memory: a page never touched
 * holds nothing, and writing it would only fault it in. */
static void
wipe_resident(unsigned char *p, size_t len)
{
	size_t page = arena.page;
	uintptr_t first = (uintptr_t)p & ~(uintptr_t)(page - 1);
	size_t pages = ((uintptr_t)p + len - first + page - 1) / page;
	unsigned char vec[256];

	for (size_t at = 0; at < pages;) {
		size_t n = pages - at < sizeof vec ? pages - at : sizeof vec;

		if (mincore((void *)(first + at * page), n * page, vec) != 0) {
			sodium_memzero(p, len); /* cannot tell: all of it */
			return;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char *lo = (unsigned char *)(first + (at + i) * page);
			unsigned char *hi = lo + page;

			if (!(vec[i] & 1))
				continue;
			if (lo < p)
				lo = p;
			if (hi > p + len)
				hi = p + len;
			sodium_memzero(lo, (size_t)(hi - lo));
		}
		at += n;
	}
}

/* mlock is not inherited: a forked child locks what it was given. */
static void
relock_in_child(void)
{
	for (struct chunk *c = arena.chunks; c != NULL; c = c->next)
		lock_pages(c->data, CHUNK_SIZE, false);
	for (struct large_header *h = arena.large; h != NULL; h = h->next)
		lock_pages(h->map + arena.page, h->map_len - 2 * arena.page,
		           false);
	pthread_mutex_unlock(&arena.lock);
}

static void
fork_prepare(void)
{
	pthread_mutex_lock(&arena.lock);
}

static void
fork_parent(void)
{
	pthread_mutex_unlock(&arena.lock);
}

static void
arena_setup(void)
{
	long page = sysconf(_SC_PAGESIZE);

	arena.page = page > 0 ? (size_t)page : 4096;
	if (pthread_atfork(fork_prepare, fork_parent, relock_in_child) != 0)
		errx(EXIT_FAIL, "secure memory: pthread_atfork");
}

void
secmem_init(void)
{
	struct rlimit no_core = {0, 0};

	if (sodium_init() < 0)
		errx(EXIT_FAIL, "cannot initialise libsodium");
	/* A core dump or a ptrace by another process of ours would show
	 * every value this process holds. */
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		err(EXIT_FAIL, "setrlimit RLIMIT_CORE");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		err(EXIT_FAIL, "prctl PR_SET_DUMPABLE");
	pthread_once(&arena_once, arena_setup);
}

static unsigned
small_class(size_t size)
{
	unsigned class = 0;

	while (((size_t)1 << (SMALL_MIN_SHIFT + class)) < size + HEADER)
		class++;
	return class;
}

/* Called locked: a block of class, from its free list or carved from a
 * chunk (a new one when the last is full). NULL when no memory. */
static struct small_header *
small_take(unsigned class)
{
	size_t block = (size_t)1 << (SMALL_MIN_SHIFT + class);
	struct small_header *h = arena.free_list[class];
	struct chunk *c = arena.chunks;

	if (h != NULL) {
		void **link = (void **)(h + 1);

		UNPOISON(h, block);
		arena.free_list[class] = *link;
		*link = NULL;
		return h;
	}
	if (c == NULL || CHUNK_SIZE - c->used < block) {
		unsigned char *data = guarded_map(CHUNK_SIZE, false, false);

		if (data == NULL)
			return NULL;
		/* the chunk's own record lives at its start, not secret */
		c = (struct chunk *)data;
		*c = (struct chunk){data, (sizeof *c + HEADER - 1) & ~(size_t)(HEADER - 1),
		                    arena.chunks};
		POISON(data + c->used, CHUNK_SIZE - c->used);
		arena.chunks = c;
	}
	h = (struct small_header *)(c->data + c->used);
	c->used += block;
	UNPOISON(h, block);
	return h;
}

/* How a block's pages are had: all at once (secmem_alloc), as touched
 * (secmem_alloc_sparse), at once and spanning a huge page
 * (secmem_alloc_whole), or as touched and a huge page at a time
 * (secmem_alloc_growing). */
enum block_kind { BLOCK_NOW, BLOCK_SPARSE, BLOCK_WHOLE, BLOCK_GROWING };

/* A large block against its trailing guard page; whole: one of a half
 * huge page or more spans a whole huge page (secmem_alloc_whole). */
static void *
large_alloc(size_t size, enum block_kind kind)
{
	bool now = kind == BLOCK_NOW || kind == BLOCK_WHOLE;
	size_t page = arena.page, len, rounded = (size + 15) & ~(size_t)15;
	struct large_header *h;
	unsigned char *region, *block;

	if (rounded < size || rounded > SIZE_MAX - page - sizeof *h)
		return NULL;
	len = (rounded + sizeof *h + page - 1) & ~(page - 1);
	if (kind == BLOCK_WHOLE && page == 4096 && len >= HUGE_PAGE / 2 &&
	    len < HUGE_PAGE)
		len = HUGE_PAGE;
	if ((region = guarded_map(len, now, kind != BLOCK_SPARSE)) == NULL)
		return NULL;
	block = region + len - rounded;
	h = (struct large_header *)(((uintptr_t)block - sizeof *h) &
	                            ~(uintptr_t)(page - 1));
	*h = (struct large_header){MAGIC_LARGE,    0,       region - page,
	                           len + 2 * page, rounded, NULL,
	                           arena.large};
	if (arena.large != NULL)
		arena.large->prev = h;
	arena.large = h;
	return block;
}

static void *
secure_alloc(size_t size, enum block_kind kind)
{
	void *p;

	pthread_once(&arena_once, arena_setup);
	pthread_mutex_lock(&arena.lock);
	if (size <= SMALL_MAX) {
		unsigned class = small_class(size);
		struct small_header *h = small_take(class);

		if (h != NULL) {
			h->magic = MAGIC_SMALL;
			h->class = class;
			h->size = size;
		}
		p = h != NULL ? (void *)(h + 1) : NULL;
	} else {
		p = large_alloc(size, kind);
	}
	pthread_mutex_unlock(&arena.lock);
	if (p == NULL)
		out_of_memory(size);
	return p;
}

bool
secmem_left_locked(void)
{
	if (pthread_mutex_trylock(&arena.lock) != 0)
		return true;
	pthread_mutex_unlock(&arena.lock);
	return false;
}

void *
secmem_alloc(size_t size)
{
	return secure_alloc(size, BLOCK_NOW);
}

void *
secmem_alloc_sparse(size_t size)
{
	return secure_alloc(size, BLOCK_SPARSE);
}

void *
secmem_alloc_whole(size_t size)
{
	return secure_alloc(size, BLOCK_WHOLE);
}

void *
secmem_alloc_growing(size_t size)
{
	return secure_alloc(size, BLOCK_GROWING);
}

void
secmem_release(void *p, size_t len)
{
	size_t page;
	uintptr_t lo, hi;

	pthread_once(&arena_once, arena_setup);
	page = arena.page;
	lo = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	hi = ((uintptr_t)p + len) & ~(uintptr_t)(page - 1);
	if (hi <= lo)
		return;
	wipe_resident((unsigned char *)lo, hi - lo);
	/* Locked pages cannot be dropped: unlocked first, then locked
	 * again as they are touched, as a sparse block's. */
	(void)munlock((void *)lo, hi - lo);
	(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
	lock_pages((void *)lo, hi - lo, false);
}

static struct chunk *
chunk_of(const unsigned char *p)
{
	for (struct chunk *c = arena.chunks; c != NULL; c = c->next)
		if (p > c->data && p < c->data + CHUNK_SIZE)
			return c;
	return NULL;
}

static void
small_free(struct small_header *h)
{
	size_t block;

	if (h->magic != MAGIC_SMALL || h->class >= SMALL_CLASSES)
		corrupt("small block");
	block = (size_t)1 << (SMALL_MIN_SHIFT + h->class);
	if (h->size > block - HEADER)
		corrupt("small block");
	sodium_memzero(h + 1, h->size);
	h->magic = MAGIC_FREE;
	h->size = 0;
	*(void **)(h + 1) = arena.free_list[h->class];
	arena.free_list[h->class] = h;
	POISON(h, block);
}

static void
large_free(unsigned char *p)
{
	size_t page = arena.page;
	struct large_header *h =
	    (struct large_header *)((uintptr_t)(p - sizeof(struct large_header)) &
	                            ~(uintptr_t)(page - 1));
	unsigned char *base;

	if (h->magic != MAGIC_LARGE)
		corrupt("large block");
	if (p != h->map + h->map_len - page - h->size)
		corrupt("large block");
	if (h->prev != NULL)
		h->prev->next = h->next;
	else
		arena.large = h->next;
	if (h->next != NULL)
		h->next->prev = h->prev;
	base = h->map;
	wipe_resident(p, h->size);
	h->magic = 0;
	munmap(base, h->map_len);
}

void
secmem_free(void *ptr)
{
	unsigned char *p = ptr;

	if (p == NULL)
		return;
	pthread_mutex_lock(&arena.lock);
	if (chunk_of(p) != NULL)
		small_free((struct small_header *)p - 1);
	else
		large_free(p);
	pthread_mutex_unlock(&arena.lock);
}

char *
secmem_strndup(const void *src, size_t len)
{
	char *p = secmem_alloc(len + 1);

	if (len > 0)
		memcpy(p, src, len);
	p[len] = '\0';
	return p;
}
