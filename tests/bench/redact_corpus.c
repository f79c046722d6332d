/* SPDX-License-Identifier: ISC */
/*
 * Benchmark corpus for redact: log-like text with secrets of mixed
 * shapes, some printed encoded. Writes SIZE bytes of corpus to stdout
 * and the secrets to ENVFILE as NAME=VALUE lines (benchmark values only).
 * usage: redact_corpus SIZE ENVFILE [COUNT]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void
random_token(char *out, size_t len, const char *alphabet)
{
	size_t n = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rng() % n];
	out[len] = '\0';
}

static const char alnum[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static void
make_secret(size_t i, char *out)
{
	char tok[80];

	switch (i % 5) {
	case 0:
		random_token(tok, 24, alnum);
		sprintf(out, "sk_live_%s", tok);
		break;
	case 1:
		random_token(tok, 16, alnum);
		sprintf(out,
		        "postgresql://app%zu:%s@db%zu.example.com:5432/main", i,
		        tok, i);
		break;
	case 2:
		random_token(tok, 40, alnum);
		strcpy(out, tok);
		break;
	case 3:
		random_token(tok, 36, alnum);
		sprintf(out, "ghp_%s", tok);
		break;
	default:
		random_token(tok, 32, "0123456789abcdef");
		strcpy(out, tok);
		break;
	}
}

static void
base64(const char *in, char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(in), n = 0;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)in[i + 2];
		out[n++] = a[v >> 18 & 63];
		out[n++] = a[v >> 12 & 63];
		out[n++] = i + 1 < len ? a[v >> 6 & 63] : '=';
		out[n++] = i + 2 < len ? a[v & 63] : '=';
	}
	out[n] = '\0';
}

static const char *const words[] = {
    "GET",
    "POST",
    "/api/v1/users",
    "200",
    "404",
    "took",
    "ms",
    "user_id",
    "request",
    "completed",
    "INFO",
    "DEBUG",
    "WARN",
    "session",
    "cache",
    "miss",
    "hit",
    "connection",
    "pool",
    "worker",
    "started",
    "queue",
    "job",
    "retry",
    "timeout=30s",
    "host=api.example.com",
    "status=ok",
};

int
main(int argc, char **argv)
{
	size_t size, count, written = 0, line = 0;
	char secrets[128][160], buf[1024], enc[400];
	FILE *env;

	if (argc < 3)
		return 100;
	size = strtoull(argv[1], NULL, 10);
	count = argc > 3 ? strtoull(argv[3], NULL, 10) : 100;
	if (count > 128)
		count = 128;
	if ((env = fopen(argv[2], "w")) == NULL)
		return 111;
	for (size_t i = 0; i < count; i++) {
		make_secret(i, secrets[i]);
		fprintf(env, "BENCH_SECRET_%zu=%s\n", i, secrets[i]);
	}
	fclose(env);
	while (written < size) {
		size_t n = 0, words_n = 6 + rng() % 10;

		n += (size_t)sprintf(buf, "2026-11-28T07:%02u:%02u.%03uZ ",
		                     (unsigned)(rng() % 60),
		                     (unsigned)(rng() % 60),
		                     (unsigned)(rng() % 1000));
		for (size_t w = 0; w < words_n; w++)
			n += (size_t)sprintf(
			    buf + n, "%s ",
			    words[rng() % (sizeof(words) / sizeof(words[0]))]);
		/* about one line in 200 prints a secret, some encoded */
		if (rng() % 200 == 0) {
			const char *s = secrets[rng() % count];

			if (rng() % 3 == 0) {
				base64(s, enc);
				n += (size_t)sprintf(buf + n, "auth=%s", enc);
			} else {
				n += (size_t)sprintf(buf + n, "key=%s", s);
			}
		} else {
			n += (size_t)sprintf(
			    buf + n, "id=%llu",
			    (unsigned long long)(rng() % 1000000));
		}
		buf[n++] = '\n';
		if (n > size - written)
			n = size - written;
		fwrite(buf, 1, n, stdout);
		written += n;
		line++;
	}
	return 0;
}
