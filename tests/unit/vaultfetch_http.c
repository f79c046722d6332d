/* SPDX-License-Identifier: ISC */
/* The remote backends' HTTP helpers: Retry-After parsing, form escaping,
 * and the secure JSON arena. */
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "secmem.h"
#include "vaultfetch/http.h"

#include "tap.h"

static void
retry_after(void)
{
	const int64_t now = 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */

	tap_ok(http_parse_retry_after("retry-after-ms", "150", now) == 150,
	       "retry-after-ms in milliseconds");
	tap_ok(http_parse_retry_after("X-MS-Retry-After-MS", "2500", now) ==
	           2500,
	       "x-ms-retry-after-ms, any case");
	tap_ok(http_parse_retry_after("Retry-After", "7", now) == 7000,
	       "Retry-After in seconds");
	tap_ok(http_parse_retry_after(
	           "Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT", now) == 3000,
	       "Retry-After as an HTTP date");
	tap_ok(http_parse_retry_after(
	           "Retry-After", "Tue, 14 Nov 2023 22:13:00 GMT", now) == 0,
	       "an HTTP date in the past means now");
	tap_ok(http_parse_retry_after("Retry-After", "soon", now) == -1,
	       "junk is not understood");
	tap_ok(http_parse_retry_after("Retry-After", "-5", now) == -1,
	       "a negative number is not understood");
	tap_ok(http_parse_retry_after("retry-after-ms", "1.5", now) == -1,
	       "a fraction is not understood");
	tap_ok(http_parse_retry_after("Retry-After", "99999999999", now) ==
	           86400000L,
	       "a huge delay is clamped to a day (the cap then refuses it)");
	tap_ok(http_parse_retry_after("Content-Length", "5", now) == -1,
	       "other headers are ignored");
}

static void
form_escape(void)
{
	const char in[] = "a b&c=d/é~_.-";
	char *out = http_form_escape((const unsigned char *)in, strlen(in));

	tap_ok(strcmp(out, "a%20b%26c%3Dd%2F%C3%A9~_.-") == 0,
	       "form escaping keeps only unreserved bytes");
	secmem_free(out);
}

static void
secure_json(void)
{
	const char doc[] = "{\"value\": \"s3cr\\u00e9t\", \"n\": [1, 2]}";
	json_t *j, *plain;

	secjson_begin();
	j = secjson_parse((const unsigned char *)doc, strlen(doc));
	tap_ok(j != NULL &&
	           strcmp(json_string_value(json_object_get(j, "value")),
	                  "s3cr\xc3\xa9t") == 0,
	       "secjson_parse reads a document");
	json_decref(j);
	tap_ok(secjson_parse((const unsigned char *)"{\"a\": 1, \"a\": 2}",
	                     16) == NULL,
	       "duplicate keys are refused");
	tap_ok(secjson_parse((const unsigned char *)"{\"value\": \"x", 12) ==
	           NULL,
	       "a truncated document is refused");
	secjson_end();
	/* After the pair, jansson allocates normally again: an object made
	 * and freed now must not touch the (freed) arena. */
	plain = json_pack("{s:s}", "k", "v");
	tap_ok(plain != NULL, "jansson's own allocator is back");
	json_decref(plain);
}

int
main(void)
{
	secmem_init();
	retry_after();
	form_escape();
	secure_json();
	return tap_done();
}
