/* SPDX-License-Identifier: ISC */
/* cmdguard: decide whether a shell command, or a file read, may run. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "exitcodes.h"
#include "guard_options.h"
#include "secmem.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	        "usage: cmdguard [-b BLOB | -n NAME,...] [-P POLICY] [--json] "
	        "[--] ['COMMAND']\n"
	        "       cmdguard [-b BLOB | -n NAME,...] [-P POLICY] [--json] "
	        "--batch\n"
	        "       cmdguard [-P POLICY] [--json] --path FILE\n");
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"batch", no_argument, NULL, 'B'},
	    {"path", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cmdguard_options o = {.action = ACT_COMMAND};
	int ch;

	secmem_init();
	while ((ch = getopt_long(argc, argv, "+b:n:P:h", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'b':
			o.blob = optarg;
			break;
		case 'n':
			if (o.name_lists == LISTS_MAX)
				errx(EXIT_USAGE, "too many -n options");
			o.names[o.name_lists++] = optarg;
			break;
		case 'P':
			o.policy = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'B':
			o.batch = true;
			break;
		case 'p':
			o.action = ACT_PATH;
			o.path = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	if ((o.action == ACT_PATH || o.batch) && argc != optind)
		usage(EXIT_USAGE);
	if (o.batch && o.action == ACT_PATH)
		usage(EXIT_USAGE);
	if (o.batch)
		return cmdguard_batch(&o, stdin);
	return cmdguard_run(&o, argc - optind, argv + optind);
}
