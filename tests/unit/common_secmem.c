/* SPDX-License-Identifier: ISC */
/* Unit tests of secure memory: the small-block arena and guarded large
 * blocks (alignment, zeroing, wiping, reuse, guards, locking, threads). */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "secmem.h"

#include "tap.h"

static bool
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* The kB of locked memory of this process, from /proc/self/status. */
static long
locked_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Whether writing p[at] in a child dies of SIGSEGV. */
static bool
write_faults(unsigned char *p, ptrdiff_t at)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		((volatile unsigned char *)p)[at] = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void
sizes_aligned_and_zeroed(void)
{
	static const size_t sizes[] = {
	    0,     1,     15,     16,      17,
	    100,   1000,  4080,   4096,    16368,
	    16369, 65536, 100000, 1 << 20, (3 << 20) + 4000};
	bool ok = true;

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i];
		unsigned char *p = secmem_alloc(n);

		if ((uintptr_t)p % 16 != 0 || !all_zero(p, n))
			ok = false;
		memset(p, 0xa5, n); /* the whole block is writable */
		secmem_free(p);
	}
	tap_ok(ok,
	       "blocks of 0 B to 3 MiB are 16-byte aligned, zeroed, writable");
}

static void
small_reused_wiped(void)
{
	unsigned char *a = secmem_alloc(40), *b;

	memset(a, 'S', 40);
	secmem_free(a);
	b = secmem_alloc(40);
	tap_ok(b == a, "a freed small block is handed out again");
	tap_ok(all_zero(b, 40), "and it was wiped: zeroed, link included");
	secmem_free(b);
	/* a block after a smaller earlier user is zero beyond that use */
	a = secmem_alloc(20);
	memset(a, 'S', 20);
	secmem_free(a);
	b = secmem_alloc(40);
	tap_ok(all_zero(b, 40), "a block of the same class is zero beyond "
	                        "what its last user had");
	secmem_free(b);
}

static void
many_small_distinct(void)
{
	enum { COUNT = 5000 };
	static unsigned char *p[COUNT];
	bool ok = true;

	/* more than one chunk's worth */
	for (size_t i = 0; i < COUNT; i++) {
		p[i] = secmem_alloc(64 + i % 200);
		memset(p[i], (int)(i & 0xff), 64 + i % 200);
	}
	for (size_t i = 0; i < COUNT; i++)
		for (size_t j = 0; j < 64 + i % 200; j++)
			if (p[i][j] != (unsigned char)(i & 0xff))
				ok = false;
	for (size_t i = 0; i < COUNT; i++)
		secmem_free(p[i]);
	tap_ok(ok, "%d small blocks over several chunks do not overlap", COUNT);
}

/* A large block of n bytes has a guard page at each end. */
static void
large_guarded(size_t n)
{
	unsigned char *p = secmem_alloc(n);

	tap_ok(write_faults(p, (ptrdiff_t)n), "a write past a large block faults");
	/* its first page (header, then the block) begins below p; the
	 * guard page is the one before */
	uintptr_t first = ((uintptr_t)p - 1) & ~(uintptr_t)4095;

	tap_ok(write_faults(p, (ptrdiff_t)(first - 1 - (uintptr_t)p)),
	       "a write into the page before its first page faults");
	tap_ok(!write_faults(p, (ptrdiff_t)n - 1),
	       "its own last byte is writable");
	memset(p, 'L', n);
	secmem_free(p);
	tap_ok(write_faults(p, 0), "a freed large block is unmapped");
}

static void
locked(void)
{
	long before = locked_kb(), after;
	unsigned char *p = secmem_alloc(1 << 20);

	memset(p, 1, 1 << 20);
	after = locked_kb();
	tap_ok(before >= 0 && after - before >= 1024,
	       "touched pages are locked (VmLck %ld kB -> %ld kB)", before, after);
	secmem_free(p);
}

static void
locked_in_child(void)
{
	unsigned char *p = secmem_alloc(1 << 20);
	int fds[2], status;
	long kb = -1;
	pid_t pid;

	memset(p, 1, 1 << 20);
	if (pipe(fds) != 0 || (pid = fork()) < 0) {
		tap_ok(0, "fork");
		return;
	}
	if (pid == 0) {
		kb = locked_kb();
		(void)!write(fds[1], &kb, sizeof kb);
		_exit(0);
	}
	close(fds[1]);
	(void)!read(fds[0], &kb, sizeof kb);
	close(fds[0]);
	waitpid(pid, &status, 0);
	tap_ok(kb >= 1024, "a forked child holds the inherited blocks locked "
	                   "(VmLck %ld kB)", kb);
	secmem_free(p);
}

static void *
thread_work(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	unsigned char *p[64] = {0};
	bool ok = true;

	for (unsigned round = 0; round < 2000; round++) {
		unsigned i = (seed = seed * 1103515245u + 12345u) >> 16 & 63;
		size_t n = (seed >> 8) % 3000 + 1;

		if (p[i] != NULL) {
			if (p[i][0] != (unsigned char)i)
				ok = false;
			secmem_free(p[i]);
		}
		p[i] = secmem_alloc(n);
		if (!all_zero(p[i], n))
			ok = false;
		memset(p[i], (int)i, n);
	}
	for (unsigned i = 0; i < 64; i++)
		secmem_free(p[i]);
	return ok ? arg : NULL;
}

static void
threads(void)
{
	pthread_t t[4];
	bool ok = true;

	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_work, (void *)(i + 1));
	for (size_t i = 0; i < 4; i++) {
		void *result;

		pthread_join(t[i], &result);
		if (result == NULL)
			ok = false;
	}
	tap_ok(ok, "four threads allocating and freeing at once keep their "
	           "blocks apart and get them zeroed");
}

/* Whether freeing p twice aborts (in a child). */
static bool
double_free_aborts(size_t n)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		void *p = secmem_alloc(n);

		signal(SIGABRT, SIG_DFL);
		close(STDERR_FILENO);
		secmem_free(p);
		secmem_free(p);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int
main(void)
{
	secmem_init();
	sizes_aligned_and_zeroed();
	small_reused_wiped();
	many_small_distinct();
	large_guarded(5 * 4096 + 48); /* above the small blocks' 16 KiB */
	/* above a huge page: its end on a huge page's boundary */
	large_guarded((3 << 20) + 4000);
	{
		size_t n = (3 << 20) + 4000;
		unsigned char *p = secmem_alloc(n);

		tap_ok((uintptr_t)(p + n) % (2 << 20) == 0,
		       "a block above 2 MiB ends on a huge page's boundary");
		secmem_free(p);
	}
	{
		/* a whole block of 1 to 2 MiB: one huge page, its end on
		 * the boundary, the trailing guard against it */
		size_t n = (3 << 19) + 4000;
		unsigned char *p = secmem_alloc_whole(n);
		uintptr_t start = (uintptr_t)(p + n) - (2 << 20);

		tap_ok(
		    (uintptr_t)(p + n) % (2 << 20) == 0,
		    "a whole block of 1.5 MiB ends on a huge page's boundary");
		tap_ok(write_faults(p, (ptrdiff_t)n),
		       "a write past a whole block faults");
		tap_ok(!write_faults(p, (ptrdiff_t)(start - (uintptr_t)p)),
		       "the room before it, to the huge page's start, is "
		       "writable");
		tap_ok(write_faults(p, (ptrdiff_t)(start - 1 - (uintptr_t)p)),
		       "a write into the page before the huge page faults");
		memset(p, 'W', n);
		secmem_free(p);
		tap_ok(write_faults(p, 0), "a freed whole block is unmapped");
		/* under 1 MiB: guarded as any large block */
		p = secmem_alloc_whole(5 * 4096);
		start = ((uintptr_t)p - 1) & ~(uintptr_t)4095;
		tap_ok(write_faults(p, (ptrdiff_t)(start - 1 - (uintptr_t)p)),
		       "a whole block under 1 MiB has its guard page before "
		       "its first page");
		secmem_free(p);
	}
	{
		/* a growing block: sparse, its end on a huge page's
		 * boundary, guarded, locked (as its pages are touched), and
		 * the room past what is used given back */
		size_t n = (5 << 20) + 4000;
		long before = locked_kb(), after;
		unsigned char *p = secmem_alloc_growing(n);

		tap_ok((uintptr_t)(p + n) % SECMEM_HUGE_PAGE == 0,
		       "a growing block ends on a huge page's boundary");
		tap_ok(all_zero(p, 4096) && all_zero(p + n - 4096, 4096),
		       "a growing block comes zeroed");
		tap_ok(write_faults(p, (ptrdiff_t)n),
		       "a write past a growing block faults");
		memset(p, 'G', 3 << 20);
		after = locked_kb();
		tap_ok(before >= 0 && after - before >= 5 * 1024,
		       "a growing block is locked (VmLck %ld kB -> %ld kB)",
		       before, after);
		secmem_release(p + (1 << 20), n - (1 << 20));
		tap_ok(p[0] == 'G' && p[(1 << 20) - 1] == 'G' &&
		           all_zero(p + (2 << 20), 4096),
		       "a growing block's room given back reads as zeros, "
		       "what is kept as written");
		secmem_free(p);
		tap_ok(write_faults(p, 0), "a freed growing block is unmapped");
	}
	locked();
	locked_in_child();
	threads();
	tap_ok(double_free_aborts(48), "a small block freed twice aborts");
	secmem_free(NULL);
	tap_ok(1, "freeing NULL is nothing");
	{
		char *s = secmem_strndup("abc\0def", 7);

		tap_ok(memcmp(s, "abc\0def", 8) == 0,
		       "strndup copies len bytes and ends them with a NUL");
		secmem_free(s);
	}
	return tap_done();
}
