/* SPDX-License-Identifier: ISC */
/* auditlog: a tamper-evident, concurrent-safe, fail-closed JSON audit log. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "exitcodes.h"
#include "secmem.h"

enum verb { VERB_APPEND, VERB_VERIFY, VERB_ROTATE };

__attribute__((noreturn)) static void
usage(int status)
{
	fprintf(
	    status == EXIT_OK ? stdout : stderr,
	    "usage: auditlog append [-f FILE] [-k MACKEY] [--json] [--syslog] "
	    "[--no-fsync]\n"
	    "                       FIELD=VALUE | FIELD:=JSON ...\n"
	    "       auditlog verify [-f FILE] [-k MACKEY]\n"
	    "       auditlog rotate [-f FILE] [-k MACKEY] [--no-fsync]\n");
	exit(status);
}

static enum verb
parse_verb(const char *s)
{
	if (strcmp(s, "append") == 0)
		return VERB_APPEND;
	if (strcmp(s, "verify") == 0)
		return VERB_VERIFY;
	if (strcmp(s, "rotate") == 0)
		return VERB_ROTATE;
	if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0)
		usage(EXIT_OK);
	warnx("unknown command %s", s);
	usage(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_SYSLOG, OPT_NO_FSYNC };
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, OPT_JSON},
	    {"syslog", no_argument, NULL, OPT_SYSLOG},
	    {"no-fsync", no_argument, NULL, OPT_NO_FSYNC},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct auditlog_options o = {.sync = true};
	enum verb verb;
	int ch;

	secmem_init();
	if (argc < 2)
		usage(EXIT_USAGE);
	verb = parse_verb(argv[1]);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "f:k:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.file = optarg;
			break;
		case 'k':
			o.key_path = optarg;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_SYSLOG:
			o.syslog = true;
			break;
		case OPT_NO_FSYNC:
			o.sync = false;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (verb != VERB_APPEND && (argc > 0 || o.json || o.syslog))
		usage(EXIT_USAGE);
	if (verb == VERB_VERIFY && !o.sync)
		usage(EXIT_USAGE);
	switch (verb) {
	case VERB_APPEND:
		return append_main(&o, argc, argv);
	case VERB_VERIFY:
		return verify_main(&o);
	case VERB_ROTATE:
		return rotate_main(&o);
	}
	return EXIT_FAIL;
}
