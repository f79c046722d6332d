/* SPDX-License-Identifier: ISC */
/* envinject: open a sealed blob, build the command's environment, exec it. */
#include <err.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envinject.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

static _Noreturn void
usage(int status)
{
	fprintf(status == EXIT_OK ? stdout : stderr,
	        "usage: envinject [-i] [-b blob|-] [-p project] "
	        "[--only name,...] [-u user] [--] command [arg ...]\n"
	        "       envinject --no-blob [-i] [-u user] [--] command "
	        "[arg ...]\n");
	exit(status);
}

/* --only A,B,C (repeatable): every name valid, none empty. */
static void
add_only(struct envinject_options *o, const char *list)
{
	char *copy = strdup(list), *next = copy, *name;

	if (copy == NULL)
		err(EXIT_FAIL, "--only");
	while ((name = strsep(&next, ",")) != NULL) {
		char **grown;

		if (*name == '\0')
			errx(EXIT_USAGE, "--only %s: empty name",
			     printable(list));
		name_require(name);
		grown =
		    reallocarray(o->only, o->only_count + 1, sizeof(*grown));
		if (grown == NULL)
			err(EXIT_FAIL, "--only");
		o->only = grown;
		o->only[o->only_count++] = name;
	}
}

/* Options that only mean something with a blob are refused under
 * --no-blob rather than ignored: the caller expected secrets. */
static void
refuse_blob_options(const struct envinject_options *o)
{
	const char *conflict = o->blob != NULL      ? "-b"
	                       : o->project != NULL ? "-p"
	                       : o->only != NULL    ? "--only"
	                                            : NULL;

	if (conflict != NULL)
		errx(EXIT_USAGE, "--no-blob cannot be used with %s", conflict);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"only", required_argument, NULL, 'o'},
	    {"no-blob", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct envinject_options o = {0};
	bool no_blob = false;
	int ch;

	secmem_init();
	/* '+': options end at the command, which keeps its own flags. */
	while ((ch = getopt_long(argc, argv, "+b:hip:u:", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'b':
			o.blob = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		case 'i':
			o.minimal = true;
			break;
		case 'n':
			no_blob = true;
			break;
		case 'o':
			add_only(&o, optarg);
			break;
		case 'p':
			project_require(optarg);
			o.project = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		default:
			usage(EXIT_USAGE);
		}
	}
	if (no_blob)
		refuse_blob_options(&o);
	else if (o.blob == NULL)
		o.blob = "-";
	if (optind >= argc)
		usage(EXIT_USAGE);
	o.command = argv + optind;
	envinject_exec(&o);
}
