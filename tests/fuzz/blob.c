/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the sealed blob reader on hostile bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "secmem.h"
#include "secretset.h"

static unsigned char pk[crypto_box_PUBLICKEYBYTES];
static unsigned char sk[crypto_box_SECRETKEYBYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* A fixed worker key, so a seed sealed to it reaches the body parser. */
	unsigned char seed[crypto_box_SEEDBYTES] = {1};

	if (sodium_init() < 0)
		abort();
	crypto_box_seed_keypair(pk, sk, seed);
	return 0;
}

/*
 * The body is behind an AEAD, so mutated blobs never reach its parser:
 * seal the input as a body, with a header of no names, per the layout in
 * docs/blob-format.md, and open that too.
 */
static void
open_as_body(const uint8_t *body, size_t size)
{
	static const unsigned char head[] = {
	    'S', 'E', 'C', 'E', 'N', 'V', 0, 1, /* magic, version */
	    31, 0, 0, 0,                         /* header length */
	    2, 'p', '1',                         /* project */
	    1, 0, 0, 0, 0, 0, 0, 0,              /* created */
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, /* expires */
	};
	unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	size_t ad_len = sizeof head + BLOB_KEY_ID_BYTES + 4 +
	                crypto_box_SEALBYTES + sizeof key +
	                crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	unsigned char *blob = malloc(ad_len + size +
	                             crypto_aead_xchacha20poly1305_ietf_ABYTES);
	unsigned char *p = blob, *nonce;
	unsigned long long clen;
	struct secretset *set;
	const char *why = NULL;

	memcpy(p, head, sizeof head);
	p += sizeof head;
	blob_key_id(pk, p);
	p += BLOB_KEY_ID_BYTES;
	memset(p, 0, 4); /* no names */
	p += 4;
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	crypto_box_seal(p, key, sizeof key, pk);
	p += crypto_box_SEALBYTES + sizeof key;
	nonce = p;
	randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + ad_len, &clen, body,
	                                           size, blob, ad_len, NULL,
	                                           nonce, key);
	set = blob_open(blob, ad_len + (size_t)clen, pk, sk, "p1", 2, NULL,
	                &why);
	if (set == NULL && why == NULL)
		abort();
	if (set != NULL && secretset_count_current(set) != 0)
		abort(); /* the header named none */
	secretset_free(set);
	free(blob);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob_header h;
	struct secretset *set;
	const char *why = NULL;

	if (blob_read_header(data, size, &h, &why) == 0) {
		for (size_t i = 0; i < h.name_count; i++)
			if (strlen(h.names[i]) == 0)
				abort();
		blob_header_free(&h);
	} else if (why == NULL) {
		abort(); /* every refusal names its reason */
	}
	if (size > 0 && data[0] == 'B') {
		open_as_body(data + 1, size - 1);
		return 0;
	}
	why = NULL;
	set = blob_open(data, size, pk, sk, NULL, 1, &h, &why);
	if (set == NULL) {
		if (why == NULL)
			abort();
		return 0;
	}
	/* Opened: the header's names are the current names, in order. */
	for (size_t i = 0, k = 0; i < set->count; i++) {
		if (set->items[i].previous)
			continue;
		if (k >= h.name_count || strcmp(h.names[k++], set->items[i].name))
			abort();
	}
	blob_header_free(&h);
	secretset_free(set);
	return 0;
}
