/* SPDX-License-Identifier: ISC */
/* Small I/O, time and message helpers shared by every program. */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "exitcodes.h"
#include "secmem.h"
#include "util.h"

uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
write_full(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t
read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void
buffer_free(unsigned char *buf, bool secure)
{
	if (secure)
		secmem_free(buf);
	else
		free(buf);
}

static unsigned char *
buffer_alloc(size_t size, bool secure)
{
	return secure ? secmem_alloc(size) : malloc(size);
}

int
read_all(int fd, size_t max, bool secure, unsigned char **out, size_t *len)
{
	/* Secure memory cannot grow in place: copy on growth and wipe the
	 * old buffer, so no stray copy of a value is left behind. */
	size_t cap = max < 4096 ? max + 1 : 4096, used = 0;
	unsigned char *buf = buffer_alloc(cap + 1, secure);

	if (buf == NULL)
		return -1;
	for (;;) {
		ssize_t n;

		if (used == cap) {
			size_t ncap = cap > max / 2 ? max + 1 : cap * 2;
			unsigned char *nbuf;

			if (ncap <= cap) {
				buffer_free(buf, secure);
				errno = EFBIG;
				return -1;
			}
			nbuf = buffer_alloc(ncap + 1, secure);
			if (nbuf == NULL) {
				buffer_free(buf, secure);
				return -1;
			}
			memcpy(nbuf, buf, used);
			sodium_memzero(buf, used);
			buffer_free(buf, secure);
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sodium_memzero(buf, used);
			buffer_free(buf, secure);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			sodium_memzero(buf, used);
			buffer_free(buf, secure);
			errno = EFBIG;
			return -1;
		}
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

int
read_path(const char *path, size_t max, bool secure, unsigned char **out,
	  size_t *len)
{
	int fd, rc, saved;

	if (strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, max, secure, out, len);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	rc = read_all(fd, max, secure, out, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

const char *
printable(const char *s)
{
	static char buf[80 * 4 + 8];
	size_t o = 0, i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 80) {
			memcpy(buf + o, "...", 4);
			return buf;
		}
		if (c < 0x20 || c >= 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

bool
parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		err(EXIT_FAIL, "out of memory");
	return d;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		err(EXIT_FAIL, "out of memory");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(EXIT_FAIL, "out of memory");
	return s;
}

const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * The length of the UTF-8 sequence at s: a well-formed character, or
 * (with *valid false) the maximal ill-formed subpart to replace by one
 * U+FFFD, so a cut sequence costs one replacement, not one per byte.
 */
static size_t
utf8_char(const unsigned char *s, size_t n, bool *valid)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	*valid = false;
	if (c < 0x80) {
		*valid = true;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*valid = true;
	return need + 1;
}

/* Length of the well-formed UTF-8 character at s and its code point in
 * *cp; 0 when s does not start with one. */
size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	static const unsigned char lead_bits[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	bool valid;
	size_t k;
	unsigned c;

	if (n == 0)
		return 0;
	k = utf8_char(s, n, &valid);
	if (!valid)
		return 0;
	c = s[0] & lead_bits[k];
	for (size_t i = 1; i < k; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*cp = c;
	return k;
}

size_t
utf8_clean(const void *bytes, size_t len, char *out, size_t limit)
{
	const unsigned char *s = bytes;
	size_t i = 0, o = 0;

	while (i < len && o <= limit) {
		bool valid;
		size_t n = utf8_char(s + i, len - i, &valid);

		if (valid) {
			memcpy(out + o, s + i, n);
			o += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
		i += n;
	}
	return o;
}

char *
utf8_lossy(const void *bytes, size_t len, size_t *out_len)
{
	char *out;

	/* three bytes of U+FFFD for each bad byte at worst */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	*out_len = utf8_clean(bytes, len, out, SIZE_MAX);
	out[*out_len] = '\0';
	return out;
}
