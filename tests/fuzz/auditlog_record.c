/* SPDX-License-Identifier: ISC */
/* libFuzzer target: auditlog verify's parsers of untrusted bytes (record lines,
 * anchors, text). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "record.h"

static const unsigned char fuzz_key[MAC_KEY_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8};

/* Every line of the input, as verify reads a log, with and without a key. */
static void
parse_lines(const char *data, size_t size)
{
	const char *line = data, *end = data + size;
	struct record r;
	const char *why;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = (size_t)((nl != NULL ? nl : end) - line);

		if (record_parse(line, len, NULL, &r, &why) == 0) {
			/* What verify relies on after a successful parse. */
			if (r.seq == 0 || strlen(r.event) >= sizeof r.event ||
			    strchr(r.previous_file, '/') != NULL ||
			    strchr(r.archive, '/') != NULL)
				abort();
		} else if (why == NULL) {
			abort();
		}
		record_parse(line, len, fuzz_key, &r, &why);
		line += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anchor anchor;
	const char *why;
	json_t *text, *clean;

	if (sodium_init() < 0)
		abort();
	parse_lines((const char *)data, size);
	anchor_parse((const char *)data, size, NULL, &anchor, &why);
	anchor_parse((const char *)data, size, fuzz_key, &anchor, &why);
	/* Any bytes become a valid JSON string, never longer than the cut
	 * and its marker. */
	text = record_text(data, size);
	if (text == NULL || json_string_length(text) > VALUE_CUT + 40)
		abort();
	/* Text within the limit passes the cleaning untouched. */
	clean = record_clean(text);
	if (clean == NULL ||
	    (json_string_length(text) <= VALUE_CUT && !json_equal(clean, text)))
		abort();
	json_decref(clean);
	json_decref(text);
	return 0;
}
