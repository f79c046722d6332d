/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer target: the dump views (views.c) in front of a masker that
 * masks nothing, so what comes out is the views' own work. Input layout:
 *   [chunk seed] [value length] [value bytes...] then the stream.
 * Checked: the output has the input's length and differs from it only
 * by '*' and ' ' (a masked cell); the same output whatever the chunking
 * (a line whole, or byte by byte, or any cut).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "redact/engine.h"
#include "redact/views.h"
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

/* The stream through views and a pass-through masker, cut as seed says
 * (0: in one piece). */
static void
run(const struct views *v, const uint8_t *data, size_t size, uint32_t seed,
    struct ref_out *out)
{
	struct pattern_set *none = patterns_new(6, false);
	struct automaton *a = automaton_build(none);
	struct masker *m = masker_new(a, none, FORMAT_DEFAULT, ref_sink, out);
	struct view_stream *st = view_stream_new(v, m);
	uint32_t rng = seed;
	size_t at = 0;

	while (at < size) {
		size_t chunk = size - at;

		if (seed != 0) {
			rng ^= rng << 13;
			rng ^= rng >> 17;
			rng ^= rng << 5;
			chunk = (rng & 3) == 0 ? 1 : 1 + rng % (size - at);
		}
		view_stream_feed(st, data + at, chunk);
		at += chunk;
	}
	view_stream_finish(st);
	masker_finish(m);
	view_stream_free(st);
	masker_free(m);
	automaton_free(a);
	patterns_free(none);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ref_out whole = {0}, cut = {0};
	struct pattern_set *ps;
	struct automaton *a;
	struct views *v;
	struct short_report r;
	size_t n;

	if (size < 2)
		return 0;
	n = 6 + data[1] % 40;
	if (size < 2 + n)
		return 0;
	ps = patterns_new(6, false);
	v = views_new(ps);
	patterns_add_value(ps, "S", data + 2, n, &r);
	views_add_value(v, "S", data + 2, n);
	a = automaton_build(ps);
	views_build(v, a);
	run(v, data + 2 + n, size - 2 - n, 0, &whole);
	run(v, data + 2 + n, size - 2 - n, 0x9E3779B9u * (data[0] + 1u), &cut);
	if (whole.len != size - 2 - n || cut.len != whole.len ||
	    (whole.len > 0 && memcmp(whole.buf, cut.buf, whole.len) != 0)) {
		fprintf(stderr, "views: output depends on the chunking\n");
		abort();
	}
	for (size_t i = 0; i < whole.len; i++) {
		unsigned char in = data[2 + n + i], o = whole.buf[i];

		if (o != in && o != '*' && o != ' ') {
			fprintf(stderr, "views: byte %zu changed to %02x\n", i,
			        o);
			abort();
		}
	}
	views_free(v);
	automaton_free(a);
	patterns_free(ps);
	free(whole.buf);
	free(cut.buf);
	return 0;
}
