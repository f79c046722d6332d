/* SPDX-License-Identifier: ISC */
/* Fixed-width integers in bytes: a bounds-checked reader over untrusted
 * input and the matching writer, little-endian (the blob) or big-endian
 * (vaultfetch's store). */
#ifndef SECENV_BYTES_H
#define SECENV_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes still to read. Once a read falls short, bad stays set. */
struct bytes_in {
	const unsigned char *p;
	size_t left;
	bool bad;
};

/* The next n bytes, or NULL (and in->bad) when fewer are left. */
const unsigned char *bytes_take(struct bytes_in *in, size_t n);

/* An unsigned integer of width bytes (1 to 8); 0 (and in->bad) when
 * fewer are left. */
uint64_t bytes_take_le(struct bytes_in *in, size_t width);
uint64_t bytes_take_be(struct bytes_in *in, size_t width);

/* Write the low width bytes of v at *p and move *p past them. */
void bytes_put_le(unsigned char **p, size_t width, uint64_t v);
void bytes_put_be(unsigned char **p, size_t width, uint64_t v);

#endif
