/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the streaming masker against the reference masker
 * under a chunking chosen by the input. Input layout:
 *   [flags] [min length] [chunk seed] [count] then count patterns as
 *   [len] [bytes...] [mask lo] [mask hi] [prefix], then the stream.
 * Escape sequences and line breaks in the stream are skipped inside a
 * match; values of 16 bytes or more bring their windows (pieces).
 * flags bit 0: values through the pattern builder (else raw patterns),
 * bit 1: encodings, bits 2-3: the format, bit 4: --detect.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "redact/engine.h"
#include "redact_plainmem.h"
#include "redact_reference.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (sodium_init() < 0)
		abort();
	return 0;
}

static const uint8_t *
take(const uint8_t **data, size_t *size, size_t n)
{
	const uint8_t *p = *data;

	if (*size < n)
		return NULL;
	*data += n;
	*size -= n;
	return p;
}

static void
load_patterns(struct pattern_set *ps, bool values, const uint8_t **data,
              size_t *size)
{
	const uint8_t *count = take(data, size, 1);

	for (unsigned i = 0; count != NULL && i < 1u + *count % 6; i++) {
		const uint8_t *len = take(data, size, 1), *bytes, *extra;
		char name[4] = {'S', (char)('0' + i % 3), 0, 0};
		size_t n;

		if (len == NULL)
			return;
		n = 1 + *len % 40;
		if ((bytes = take(data, size, n)) == NULL ||
		    (extra = take(data, size, 3)) == NULL)
			return;
		if (values) {
			struct short_report r;

			patterns_add_value(ps, name, bytes, n, &r);
		} else {
			size_t lo = extra[0] % n,
			       hi = lo + 1 + extra[1] % (n - lo);

			patterns_add(ps, patterns_name(ps, name), bytes, n, lo,
			             hi, extra[2] % 4);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {FORMAT_DEFAULT, "[%n]", "",
	                                      "%p<%n%%>"};
	const uint8_t *head = take(&data, &size, 3);
	struct pattern_set *ps;
	struct automaton *a;
	struct masker *m;
	struct ref_out want = {0}, got = {0};
	uint32_t rng;
	size_t at = 0;

	if (head == NULL)
		return 0;
	ps = patterns_new(1 + head[1] % 8, head[0] & 2);
	load_patterns(ps, head[0] & 1, &data, &size);
	if (head[0] & 16)
		patterns_add_detectors(ps);
	rng = 0x9E3779B9u * (head[2] + 1u);
	a = automaton_build(ps);
	m = masker_new(a, ps, formats[(head[0] >> 2) & 3], ref_sink, &got);
	while (at < size) {
		size_t chunk;

		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		chunk = (rng & 3) == 0 ? 1 : 1 + rng % (size - at);
		masker_feed(m, data + at, chunk);
		at += chunk;
	}
	masker_finish(m);
	ref_mask(ps, formats[(head[0] >> 2) & 3], data, size, &want, NULL);
	if (want.len != got.len ||
	    (got.len > 0 && memcmp(want.buf, got.buf, got.len) != 0) ||
	    masker_bytes_out(m) != got.len) {
		fprintf(stderr, "streaming and reference differ\n");
		abort();
	}
	masker_free(m);
	automaton_free(a);
	patterns_free(ps);
	free(want.buf);
	free(got.buf);
	return 0;
}
