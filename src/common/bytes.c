/* SPDX-License-Identifier: ISC */
/* Fixed-width integers in bytes, read with bounds checks and written. */
#include "bytes.h"

const unsigned char *
bytes_take(struct bytes_in *in, size_t n)
{
	const unsigned char *p = in->p;

	if (in->bad || n > in->left) {
		in->bad = true;
		return NULL;
	}
	in->p += n;
	in->left -= n;
	return p;
}

uint64_t
bytes_take_le(struct bytes_in *in, size_t width)
{
	const unsigned char *p = bytes_take(in, width);
	uint64_t v = 0;

	for (size_t i = width; p != NULL && i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

uint64_t
bytes_take_be(struct bytes_in *in, size_t width)
{
	const unsigned char *p = bytes_take(in, width);
	uint64_t v = 0;

	for (size_t i = 0; p != NULL && i < width; i++)
		v = v << 8 | p[i];
	return v;
}

void
bytes_put_le(unsigned char **p, size_t width, uint64_t v)
{
	for (size_t i = 0; i < width; i++, v >>= 8)
		(*p)[i] = (unsigned char)(v & 0xff);
	*p += width;
}

void
bytes_put_be(unsigned char **p, size_t width, uint64_t v)
{
	for (size_t i = width; i-- > 0; v >>= 8)
		(*p)[i] = (unsigned char)(v & 0xff);
	*p += width;
}
