/* SPDX-License-Identifier: ISC */
/* Unit tests of the integer codec the blob and the store share. */
#include <string.h>

#include "bytes.h"

#include "tap.h"

int
main(void)
{
	unsigned char buf[16], *p = buf;
	static const unsigned char le[] = {0x01, 0x34, 0x12, 0x78, 0x56,
	                                   0x34, 0x12};
	static const unsigned char be[] = {0x01, 0x12, 0x34, 0x12, 0x34,
	                                   0x56, 0x78};
	struct bytes_in in;

	bytes_put_le(&p, 1, 0x101); /* only the low byte */
	bytes_put_le(&p, 2, 0x1234);
	bytes_put_le(&p, 4, 0x12345678);
	tap_ok(p == buf + 7 && memcmp(buf, le, 7) == 0,
	       "little-endian: 1, 2 and 4 bytes written low byte first");
	p = buf;
	bytes_put_be(&p, 1, 0x101);
	bytes_put_be(&p, 2, 0x1234);
	bytes_put_be(&p, 4, 0x12345678);
	tap_ok(p == buf + 7 && memcmp(buf, be, 7) == 0,
	       "big-endian: 1, 2 and 4 bytes written high byte first");

	in = (struct bytes_in){le, sizeof(le), false};
	tap_ok(bytes_take_le(&in, 1) == 1 && bytes_take_le(&in, 2) == 0x1234 &&
	           bytes_take_le(&in, 4) == 0x12345678 && !in.bad &&
	           in.left == 0,
	       "little-endian reads what was written");
	in = (struct bytes_in){be, sizeof(be), false};
	tap_ok(bytes_take_be(&in, 1) == 1 && bytes_take_be(&in, 2) == 0x1234 &&
	           bytes_take_be(&in, 4) == 0x12345678 && !in.bad &&
	           in.left == 0,
	       "big-endian reads what was written");

	p = buf;
	bytes_put_be(&p, 8, 0x0102030405060708u);
	in = (struct bytes_in){buf, 8, false};
	tap_ok(bytes_take_le(&in, 8) == 0x0807060504030201u,
	       "8 bytes: the two orders are each other's mirror");

	in = (struct bytes_in){be, 3, false};
	tap_ok(bytes_take_be(&in, 4) == 0 && in.bad && in.left == 3,
	       "a short read gives 0, sets bad and takes nothing");
	tap_ok(bytes_take(&in, 0) == NULL && bytes_take_be(&in, 1) == 0 &&
	           in.bad,
	       "bad stays set: later reads fail too");
	in = (struct bytes_in){be, 2, false};
	tap_ok(bytes_take(&in, 2) == be && in.left == 0 && !in.bad &&
	           bytes_take(&in, 0) != NULL,
	       "reading exactly what is left is fine, and an empty read then");
	return tap_done();
}
