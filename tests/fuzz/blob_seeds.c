/* SPDX-License-Identifier: ISC */
/* Writes seed blobs for the blob fuzz target, sealed to its fixed key. */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "blob.h"
#include "secmem.h"
#include "secretset.h"

int
main(int argc, char **argv)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
	unsigned char seed[crypto_box_SEEDBYTES] = {1};
	struct secretset *set;
	unsigned char *blob;
	size_t len;
	char path[4096];
	FILE *f;

	if (argc != 2 || sodium_init() < 0)
		return 100;
	crypto_box_seed_keypair(pk, sk, seed);
	for (int n = 0; n < 3; n++) {
		set = secretset_new();
		for (int i = 0; i <= n; i++) {
			char name[16];

			snprintf(name, sizeof name, "NAME_%d", i);
			secretset_add(set, name, "value-of-it", 11, false, 5);
			if (i == 1)
				secretset_add(set, name, "old", 3, true, 4);
		}
		if (blob_seal(set, "p1", 1, UINT64_MAX, pk, &blob, &len) != 0)
			return 111;
		snprintf(path, sizeof path, "%s/seed-%d", argv[1], n);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(blob, 1, len, f) != len || fclose(f))
			return 111;
		free(blob);
		secretset_free(set);
	}
	/* A body seed for the target's sealed-body mode ('B' + plaintext):
	 * one previous value, NAME "AB", value "xyz". */
	{
		static const unsigned char body[] = {
		    'B', 1, 0, 0, 0, 1, 2, 0, 'A', 'B', 0, 0, 0, 0,
		    0,   0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z'};

		snprintf(path, sizeof path, "%s/seed-body", argv[1]);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(body, 1, sizeof body, f) != sizeof body ||
		    fclose(f))
			return 111;
	}
	return 0;
}
