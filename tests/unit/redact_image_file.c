/* SPDX-License-Identifier: ISC */
/* Masker images on file (image_file.c): content sealed in chunks, read
 * back whole; a chunk or tag changed, moved or cut off is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keys.h"
#include "redact/image_file.h"
#include "secmem.h"
#include "secretset.h"

#include "tap.h"

/* image_file.c's layout: a head of 102 bytes with the first chunk's tag
 * at 78 and the content's length at 94, chunks of 256 KiB, the later
 * chunks' tags of 16 bytes after the content. */
#define HEAD 102
#define TAG0 78
#define CHUNK ((size_t)256 * 1024)
#define TAG 16

static unsigned char *
file_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (p = malloc((size_t)size + 1)) == NULL ||
	    fread(p, 1, (size_t)size, f) != (size_t)size)
		abort();
	fclose(f);
	*n = (size_t)size;
	return p;
}

static void
file_write(const char *path, const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* Whether the image at f reads back as content (n bytes). */
static int
reads_as(struct image_file *f, const unsigned char *content, size_t n)
{
	size_t len = 0;
	unsigned char *got = image_file_read(f, &len);
	int same = got != NULL && len == n && memcmp(got, content, n) == 0;

	secmem_free(got);
	return same;
}

/* Whether the image at f is refused (nothing read). */
static int
refused(struct image_file *f)
{
	size_t len = 0;
	unsigned char *got = image_file_read(f, &len);

	secmem_free(got);
	return got == NULL;
}

static void
swap(unsigned char *a, unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

int
main(void)
{
	char dir[] = "/tmp/secenv-image-XXXXXX", home[64], run[64], rm[96];
	const char *what;
	struct secretset *set;
	struct image_file f;
	size_t n = 5 * CHUNK + 1234, size, tags;
	unsigned char *content, *orig, *m;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(home, sizeof home, "%s/home", dir);
	snprintf(run, sizeof run, "%s/run", dir);
	if (mkdir(run, 0700) != 0)
		return 1;
	setenv("SECENV_HOME", home, 1);
	setenv("XDG_RUNTIME_DIR", run, 1);
	unsetenv("SECENV_MASK_IMAGES");
	tap_ok(keys_init(home, &what) > 0, "a home with a worker key");
	set = secretset_new();
	secretset_add(set, "K", "image-test-value-0123", 21, false, 0);
	image_file_begin(&f, set, 6, true, false);
	tap_ok(f.usable, "the image file is usable");

	content = malloc(n);
	randombytes_buf(content, n);
	image_file_write(&f, content, n);
	tap_ok(reads_as(&f, content, n),
	       "6 chunks, opened by two threads, read back as written");
	orig = file_read(f.path, &size);
	tags = HEAD + n;
	tap_ok(size == HEAD + n + 5 * TAG && orig[HEAD - 8] == (n & 0xff),
	       "the head, the content, then a tag for each chunk after the "
	       "first");

	m = malloc(size + TAG);
#define MUTATED(what, change, new_size)                                        \
	do {                                                                   \
		memcpy(m, orig, size);                                         \
		change;                                                        \
		file_write(f.path, m, new_size);                               \
		tap_ok(refused(&f), "refused: %s", what);                      \
	} while (0)
	MUTATED("a byte of the last chunk", m[HEAD + n - 1] ^= 1, size);
	MUTATED("a byte of the first chunk's tag", m[TAG0] ^= 1, size);
	MUTATED("a byte of a later chunk's tag", m[tags + 2 * TAG] ^= 1, size);
	MUTATED("the first two chunks swapped with their tags",
	        (swap(m + HEAD, m + HEAD + CHUNK, CHUNK),
	         swap(m + TAG0, m + tags, TAG)),
	        size);
	MUTATED("the second and third chunks swapped with their tags",
	        (swap(m + HEAD + CHUNK, m + HEAD + 2 * CHUNK, CHUNK),
	         swap(m + tags, m + tags + TAG, TAG)),
	        size);
	MUTATED("two tags swapped", swap(m + tags, m + tags + TAG, TAG), size);
	MUTATED("the last tag cut off", (void)0, size - TAG);
	MUTATED("16 bytes more", memset(m + size, 0, TAG), size + TAG);
	/* the last chunk and its tag cut off, the length said to match */
	MUTATED("the last chunk cut off, its length changed to match",
	        (memmove(m + HEAD + 5 * CHUNK, m + tags, 4 * TAG),
	         m[HEAD - 8] = 0, m[HEAD - 7] = 0,
	         m[HEAD - 6] = (unsigned char)((5 * CHUNK) >> 16)),
	        HEAD + 5 * CHUNK + 4 * TAG);
	file_write(f.path, orig, size);
	tap_ok(reads_as(&f, content, n), "put back, it reads again");

	image_file_write(&f, content, 1000);
	tap_ok(reads_as(&f, content, 1000), "one chunk, read back");
	image_file_write(&f, content, CHUNK);
	tap_ok(reads_as(&f, content, CHUNK), "exactly one chunk, read back");
	image_file_write(&f, content, 3 * CHUNK + 1);
	tap_ok(reads_as(&f, content, 3 * CHUNK + 1),
	       "four chunks, the last of one byte, read back");

	image_file_end(&f);
	secretset_free(set);
	free(content);
	free(orig);
	free(m);
	snprintf(rm, sizeof rm, "rm -rf %s", dir);
	if (system(rm) != 0)
		tap_ok(0, "the test directory removed");
	return tap_done();
}
