/* SPDX-License-Identifier: ISC */
/* redact: mask secret values and their encoded forms in a byte stream. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "exitcodes.h"
#include "redactor.h"
#include "secmem.h"
#include "secretset.h"
#include "util.h"

struct options {
	struct redact_load load;
	const char *stats;
};

__attribute__((noreturn)) static void
usage(int status)
{
	fprintf(
	    status ? stderr : stdout,
	    "usage: redact [-b BLOB] [-e NAME[,NAME...]] [--min-length N]\n"
	    "              [--format FMT] [--stats FILE] [--no-encodings]\n"
	    "              [--detect] [--hints]\n"
	    "Masks every secret value and its encoded forms in stdin;\n"
	    "FMT placeholders: %%n name, %%p kept type prefix, %%l the value's\n"
	    "length in bytes, %%%% a %%. --hints: the format\n"
	    "'%s'.\n",
	    FORMAT_HINTS);
	exit(status);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
	    {"blob", required_argument, NULL, 'b'},
	    {"env", required_argument, NULL, 'e'},
	    {"min-length", required_argument, NULL, 'm'},
	    {"format", required_argument, NULL, 'f'},
	    {"stats", required_argument, NULL, 's'},
	    {"no-encodings", no_argument, NULL, 'N'},
	    {"detect", no_argument, NULL, 'D'},
	    {"hints", no_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t n;
	int c;

	while ((c = getopt_long(argc, argv, "b:e:h", longs, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->load.blob = optarg;
			break;
		case 'e':
			o->load.env_names = optarg;
			break;
		case 'm':
			if (!parse_u64(optarg, &n) || n == 0 || n > VALUE_MAX)
				errx(EXIT_USAGE, "bad --min-length: %s",
				     printable(optarg));
			o->load.min_length = (size_t)n;
			break;
		case 'f':
			if (!format_is_valid(optarg))
				errx(EXIT_USAGE,
				     "bad --format %s: use %%n, "
				     "%%p, %%l or %%%%",
				     printable(optarg));
			o->load.format = optarg;
			break;
		case 's':
			o->stats = optarg;
			break;
		case 'N':
			o->load.encodings = false;
			break;
		case 'D':
			o->load.detect = true;
			break;
		case 'H':
			o->load.format = FORMAT_HINTS;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	if (optind != argc)
		errx(EXIT_USAGE, "unexpected argument: %s",
		     printable(argv[optind]));
	if (o->load.blob != NULL && strcmp(o->load.blob, "-") == 0)
		errx(EXIT_USAGE, "-b -: standard input is the stream to mask; "
		                 "give the blob as a path or fd:N");
	if (o->load.blob == NULL && o->load.env_names == NULL && !o->load.detect)
		errx(EXIT_USAGE,
		     "nothing to mask: give -b BLOB, -e NAME or --detect");
}

int
main(int argc, char **argv)
{
	struct options o = {{NULL, NULL, 6, FORMAT_DEFAULT, true, false},
	                    NULL};
	struct redactor *r;

	secmem_init();
	parse_options(argc, argv, &o);
	r = redactor_load(&o.load);
	redactor_mask(r, STDIN_FILENO, STDOUT_FILENO,
	              o.stats ? &(struct redact_stats){o.stats, -1} : NULL);
	redactor_free(r);
	return EXIT_OK;
}
