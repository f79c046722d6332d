/* SPDX-License-Identifier: ISC */
/*
 * The built masker as one image: the pattern sets and automata that
 * redactor_load() builds, written as one flat block and read back without
 * building (docs/redact.1, "Masker images"). The writer and reader here are
 * the format's two primitives, shared by engine.c, patterns.c and views.c;
 * image.c seals an image to a file and opens it.
 */
#ifndef REDACT_IMAGE_H
#define REDACT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Every section starts on this boundary: arrays of uint64_t are read in
 * place. */
#define IMAGE_ALIGN 16

/*
 * A writer with buf NULL only counts (the first pass, which sizes the
 * block); with buf it copies. The block is secure memory: it spells the
 * secrets.
 */
struct image_writer {
	unsigned char *buf;
	size_t len, cap;
};

static inline void
image_put(struct image_writer *w, const void *p, size_t n)
{
	size_t at = (w->len + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1);

	if (w->buf != NULL && at <= w->cap && n <= w->cap - at) {
		memset(w->buf + w->len, 0, at - w->len);
		if (n > 0)
			memcpy(w->buf + at, p, n);
	}
	w->len = at + n;
}

/* n bytes and then `zeros` zero bytes, as one section. */
static inline void
image_put_padded(struct image_writer *w, const void *p, size_t n, size_t zeros)
{
	image_put(w, p, n);
	if (w->buf != NULL && w->len <= w->cap && zeros <= w->cap - w->len)
		memset(w->buf + w->len, 0, zeros);
	w->len += zeros;
}

static inline void
image_put_u64(struct image_writer *w, uint64_t v)
{
	image_put(w, &v, sizeof(v));
}

/* Sections are read in the order written; a section that does not fit
 * what is left sets bad, and every later read gives NULL. */
struct image_reader {
	unsigned char *buf;
	size_t len, at;
	bool bad;
};

static inline void *
image_get(struct image_reader *r, size_t n)
{
	size_t at = (r->at + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1);

	if (r->bad || at > r->len || n > r->len - at) {
		r->bad = true;
		return NULL;
	}
	r->at = at + n;
	return r->buf + at;
}

/* n elements of size each, 0 when n * size overflows. */
static inline void *
image_get_array(struct image_reader *r, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		r->bad = true;
		return NULL;
	}
	return image_get(r, n * size);
}

static inline uint64_t
image_get_u64(struct image_reader *r)
{
	uint64_t v = 0;
	const void *p = image_get(r, sizeof(v));

	if (p != NULL)
		memcpy(&v, p, sizeof(v));
	return v;
}

#endif
