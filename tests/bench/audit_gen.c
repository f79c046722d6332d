/* SPDX-License-Identifier: ISC */
/* Writes a sound, unkeyed audit log of N records (runs, refusals, errors,
 * owner changes over a month) for the report benchmark. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditlog/record.h"

static const char *const names[] = {"STRIPE_SECRET_KEY", "DATABASE_URL",
                                    "GITHUB_TOKEN", "OPENAI_API_KEY"};
static const char *const projects[] = {"shop", "billing", "search"};

static json_t *
make_record(unsigned long i, unsigned long n)
{
	time_t t = 1764547200 + (time_t)((double)i / (double)n * 30 * 86400);
	unsigned kind = (unsigned)(i * 2654435761u >> 7) % 20;
	const char *project = projects[i % 3];
	json_t *secrets = json_array(), *masks = json_object();
	char stamp[40];
	struct tm tm;
	json_t *r;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + strlen(stamp), sizeof stamp - strlen(stamp), ".%03luZ",
	         i % 1000);
	for (size_t k = 0; k < 4; k++) {
		json_array_append_new(secrets, json_string(names[k]));
		json_object_set_new(masks, names[k],
		                    json_integer((json_int_t)((i + k) % 3)));
	}
	r = json_pack("{s:s, s:s, s:I, s:s, s:I, s:s}", "time", stamp, "host",
	              "bench", "pid", (json_int_t)(1000 + i % 30000), "project",
	              project, "uid", (json_int_t)1000, "event",
	              kind < 15 ? "run" : kind < 18 ? "blocked"
	                          : kind < 19   ? "error"
	                                        : "set");
	json_object_set_new(r, "secrets", secrets);
	if (kind < 15) {
		json_object_set_new(r, "command",
		                    json_string("python3 -m pytest tests/ -q "
		                                "--maxfail=1"));
		json_object_set_new(r, "masks", masks);
		json_object_set_new(r, "exit", json_integer(kind == 3));
		json_object_set_new(r, "duration_ms",
		                    json_integer((json_int_t)(i % 5000)));
		json_object_set_new(r, "verdict", json_string("allowed"));
	} else {
		json_decref(masks);
	}
	if (kind >= 15 && kind < 18) {
		json_object_set_new(r, "command", json_string("printenv"));
		json_object_set_new(r, "reason",
		                    json_string("printenv is denied by the policy"));
		json_object_set_new(r, "verdict", json_string("denied"));
		json_object_set_new(r, "exit", json_integer(1));
	}
	if (kind == 18)
		json_object_set_new(r, "reason", json_string("fetch failed"));
	return r;
}

int
main(int argc, char **argv)
{
	unsigned char hash[HASH_BYTES] = {0};
	char prev[HASH_HEX + 1], anchor[ANCHOR_LEN + 1];
	unsigned long n;
	FILE *log, *af;
	char *path;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0)
		errx(100, "usage: audit_gen LOG RECORDS");
	if ((log = fopen(argv[1], "w")) == NULL)
		err(111, "%s", argv[1]);
	for (unsigned long i = 0; i < n; i++) {
		json_t *r = make_record(i, n);
		size_t len;
		char *line;

		hex_encode(hash, HASH_BYTES, prev);
		json_object_set_new(r, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(r, "prev", json_string(prev));
		line = record_seal(r, NULL, &len, hash);
		if (line == NULL || fwrite(line, 1, len, log) != len)
			err(111, "record %lu", i + 1);
		free(line);
		json_decref(r);
	}
	if (fclose(log) != 0)
		err(111, "%s", argv[1]);
	struct anchor a = {.seq = n, .version = 2};

	memcpy(a.hash, hash, HASH_BYTES);
	anchor_format(&a, NULL, anchor);
	if (asprintf(&path, "%s.anchor", argv[1]) < 0 ||
	    (af = fopen(path, "w")) == NULL ||
	    fwrite(anchor, 1, ANCHOR_LEN, af) != ANCHOR_LEN || fclose(af) != 0)
		err(111, "anchor");
	free(path);
	return 0;
}
