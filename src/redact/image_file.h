/* SPDX-License-Identifier: ISC */
/*
 * Masker images on file: sealed with a key derived from the worker key,
 * named by a keyed hash of what they were built from, kept in the runtime
 * directory for at most IMAGE_MAX_AGE_S (docs/redact.1, "Masker images").
 */
#ifndef REDACT_IMAGE_FILE_H
#define REDACT_IMAGE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "secretset.h"

#define IMAGE_MAX ((size_t)64 * 1024 * 1024) /* larger ones are not kept */
#define IMAGE_MAX_AGE_S (24 * 3600)
#define IMAGE_KEEP 8 /* newest images kept; older ones are removed */

struct image_file {
	bool usable;          /* false: build, neither read nor write */
	int aead;             /* what seals it (image_file.c) */
	unsigned char id[32]; /* keyed hash of the inputs: the name */
	unsigned char *key;   /* secure memory: seals the image */
	char path[4096];
};

/*
 * Name the image of set loaded with these options, by this program's
 * build. Not usable (and nothing else happens) when SECENV_MASK_IMAGES is
 * 0, when the program has no build ID, or when the worker key or the
 * runtime directory cannot be had.
 */
void image_file_begin(struct image_file *f, const struct secretset *set,
                      size_t min_length, bool encodings, bool detect);

/* The image's content, opened and checked, in a secure block (its length
 * in *len); NULL when there is none, it is too old, or it does not open. */
unsigned char *image_file_read(struct image_file *f, size_t *len);

/* Seal content to the image's file (replaced at once), and remove the
 * images past IMAGE_KEEP or IMAGE_MAX_AGE_S. A failure costs only a
 * later build: nothing is said. */
void image_file_write(struct image_file *f, const unsigned char *content,
                      size_t len);

void image_file_end(struct image_file *f);

#endif
