/* SPDX-License-Identifier: ISC */
/* redact's work behind its options, for redact's main() and secenv-run. */
#ifndef REDACT_REDACTOR_H
#define REDACT_REDACTOR_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct views;

/* What to mask. */
struct redact_load {
	const char *blob;  /* path or fd:N, NULL for none */
	char *env_names;   /* comma-separated, as given; wiped from environ */
	size_t min_length; /* shorter values are not masked (a note says so) */
	const char *format; /* the mask, FORMAT_DEFAULT unless asked */
	bool encodings;     /* the encoded forms too */
	bool detect;        /* token formats not in the vault too */
};

/* The values' patterns and one automaton over them: built once, then
 * read (never written) by every stream that masks with them. */
struct redactor {
	struct pattern_set *ps;
	struct automaton *a;
	json_t *unmasked; /* names too short to mask, for --stats */
	json_t *notes;    /* what loading said on stderr */
	struct views *views; /* dump lines: views.h */
	const char *format;
	unsigned char *image; /* secure: the image ps, a and views are in */
};

/* Load the values (a note on stderr names each too short to mask) and
 * build the automaton, or read what an earlier load of the same blob
 * built from its masker image (image_file.h). Dies 100 or 111 with a
 * message. */
struct redactor *redactor_load(const struct redact_load *o);

/* Where the per-name mask counts go, as JSON: a file replaced at once
 * (path), or else a descriptor. */
struct redact_stats {
	const char *path;
	int fd;
};

/* Mask in_fd to out_fd until EOF; with stats, write the per-name mask
 * counts there. Dies 111 on a read or write failure. */
void redactor_mask(const struct redactor *r, int in_fd, int out_fd,
                   const struct redact_stats *stats);

/* One of several streams masked at once. */
struct redact_stream {
	int in_fd, out_fd;
	const struct redact_stats *stats; /* NULL: none */
	int result; /* 0, 1 when its reader went away, -1 when it failed */
};

/*
 * Mask n streams at once, each in a thread of its own with a masker of
 * its own over the one automaton, so a stalled reader of one never holds
 * up another. redactor_streams_ready() makes each stream's buffers,
 * masker and pipes ready; s must stay where it is until
 * redactor_streams_free(), which the caller may put off until it has
 * said the streams are done. redactor_streams_mask()
 * masks until every stream ended and writes their counts: EXIT_OK, or
 * EXIT_FAIL when a stream failed (a message said why). A stream whose
 * reader goes away is no failure: its input is closed, as a redact
 * killed by SIGPIPE would leave it.
 */
struct redact_streams;
struct redact_streams *redactor_streams_ready(const struct redactor *r,
                                              struct redact_stream *s,
                                              size_t n);
int redactor_streams_mask(struct redact_streams *rs);
void redactor_streams_free(struct redact_streams *rs);

/* A short text masked as a stream would be (len bytes, malloc'd,
 * NUL-terminated; its length in *out_len): for one string, such as a
 * command line to record, where a stream is not worth its process. */
char *redactor_mask_text(const struct redactor *r, const void *text,
                         size_t len, size_t *out_len);

/* Wipe and free everything. */
void redactor_free(struct redactor *r);

#endif
