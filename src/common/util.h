/* SPDX-License-Identifier: ISC */
/* Small I/O, time and message helpers shared by every program. */
#ifndef SECENV_UTIL_H
#define SECENV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Milliseconds since the epoch (CLOCK_REALTIME). */
uint64_t now_ms(void);
/* Milliseconds on CLOCK_MONOTONIC, for deadlines and waits. */
uint64_t monotonic_ms(void);

/* write(2) until done; retries EINTR. 0 or -1 with errno. */
int write_full(int fd, const void *buf, size_t len);

/* read(2) until len bytes or EOF; retries EINTR. Bytes read or -1. */
ssize_t read_full(int fd, void *buf, size_t len);

/*
 * Read all of fd into a new buffer, at most max bytes; one more byte
 * is an error with errno EFBIG. With secure, the buffer is secure
 * memory (free with secmem_free), else malloc (free with free). The
 * buffer is NUL-terminated (not counted in *len). -1 with errno.
 */
int read_all(int fd, size_t max, bool secure, unsigned char **out,
	     size_t *len);

/* Same, for a path ("-" is stdin); the file is opened with O_NOFOLLOW
 * unless it is "-". */
int read_path(const char *path, size_t max, bool secure, unsigned char **out,
	      size_t *len);

/*
 * A printable rendering of a user-supplied string (names, project ids,
 * paths) for messages: control bytes and non-ASCII as \xNN, cut at 80
 * characters with "...". Never call it on a secret value. Returns a
 * static buffer, overwritten by the next call, so one per message.
 */
const char *printable(const char *s);

/* Allocation that dies with 111 when memory runs out (not for values). */
char *xstrdup(const char *s);
void *xcalloc(size_t n, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getenv(), with an empty value read as unset. */
const char *env_nonempty(const char *name);

/* Parse a decimal unsigned number into *out; false on any junk or overflow. */
bool parse_u64(const char *s, uint64_t *out);


/*
 * len bytes as valid UTF-8 into out, each ill-formed subpart (the
 * maximal one, so a cut sequence costs one) replaced by U+FFFD; stops
 * once more than limit bytes are out. out has room for 3 bytes per byte
 * read. Returns the bytes written, without a NUL.
 */
size_t utf8_clean(const void *bytes, size_t len, char *out, size_t limit);

/* Length of the well-formed UTF-8 character at s (n bytes available)
 * and its code point in *cp; 0 when s does not start with one. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* A copy of len bytes as valid UTF-8, each ill-formed subpart replaced
 * by U+FFFD (as jq and browsers do), NUL-terminated; its length in
 * *out_len. malloc'd; NULL when memory runs out. */
char *utf8_lossy(const void *bytes, size_t len, size_t *out_len);

#endif
