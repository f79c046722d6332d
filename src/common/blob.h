/* SPDX-License-Identifier: ISC */
/* The sealed blob: the one writer and the one reader (docs/blob-format.md). */
#ifndef SECENV_BLOB_H
#define SECENV_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <sodium.h>

#include "names.h"
#include "secretset.h"

#define BLOB_MAX (32u * 1024 * 1024) /* largest blob any reader accepts */
#define BLOB_KEY_ID_BYTES 8
#define BLOB_CLOCK_SKEW_MS (5 * 60 * 1000) /* tolerated clock difference */

struct blob_header {
	char project[PROJECT_MAX_LEN + 1];
	uint64_t created_ms;
	uint64_t expires_ms;
	unsigned char key_id[BLOB_KEY_ID_BYTES];
	char **names; /* current secret names, malloc'd; not secret */
	size_t name_count;
};

/* The recipient key id of a public key: BLAKE2b-64 of it. */
void blob_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES],
		 unsigned char id[BLOB_KEY_ID_BYTES]);

/*
 * Seal every entry of set (current and previous values) for the
 * recipient pk. *out is malloc'd. 0, or -1 with errno.
 */
int blob_seal(const struct secretset *set, const char *project,
	      uint64_t created_ms, uint64_t expires_ms,
	      const unsigned char pk[crypto_box_PUBLICKEYBYTES],
	      unsigned char **out, size_t *out_len);

/*
 * Parse the clear header without a key. The header is authenticated
 * only by blob_open(); before that it is a claim (enough for cmdguard,
 * which only needs names). 0, or -1 with *why set to a static message.
 */
int blob_read_header(const unsigned char *blob, size_t len,
		     struct blob_header *h, const char **why);
void blob_header_free(struct blob_header *h);

/*
 * Authenticate and decrypt. Refuses a bad magic or version, any
 * truncation or tampering, a blob for another key, a project other
 * than expect_project (when not NULL), a blob past its expiry at
 * now_ms, and one created more than BLOB_CLOCK_SKEW_MS after now_ms. Returns the set, or NULL with *why set to a static message
 * naming what failed (never a value). On success *h (if not NULL) is
 * the authenticated header; free it with blob_header_free().
 */
struct secretset *blob_open(const unsigned char *blob, size_t len,
			    const unsigned char pk[crypto_box_PUBLICKEYBYTES],
			    const unsigned char sk[crypto_box_SECRETKEYBYTES],
			    const char *expect_project, uint64_t now_ms,
			    struct blob_header *h, const char **why);

/*
 * What envinject and redact call: read the blob from path ("-" is
 * stdin, "fd:N" a descriptor), load the worker key from SECENV_HOME,
 * open it, and check revocation. Any failure prints one line
 * "PROG: blob PATH: WHY" and exits 111. *h as for blob_open.
 */
struct secretset *blob_load(const char *path, const char *expect_project,
			    struct blob_header *h);

#endif
