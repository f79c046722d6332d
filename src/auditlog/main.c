/* SPDX-License-Identifier: ISC */
/* auditlog: a tamper-evident, concurrent-safe, fail-closed JSON audit log. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"

enum verb { VERB_APPEND, VERB_VERIFY, VERB_ROTATE, VERB_REPORT, VERB_ALERTS };

__attribute__((noreturn)) static void
usage(int status)
{
	fprintf(
	    status == EXIT_OK ? stdout : stderr,
	    "usage: auditlog append [-f FILE] [-k MACKEY] [--json] [--syslog] "
	    "[--no-fsync]\n"
	    "                       FIELD=VALUE | FIELD:=JSON ...\n"
	    "       auditlog verify [-f FILE] [-k MACKEY]\n"
	    "       auditlog rotate [-f FILE] [-k MACKEY] [--no-fsync]\n"
	    "       auditlog report [-f FILE] [-k MACKEY] [-p PROJECT] [--since T]\n"
	    "                       [--until T] [-c ALERTS.CONF] -o FILE.html\n"
	    "       auditlog alerts [-f FILE] [-k MACKEY] [-p PROJECT] [--since T]\n"
	    "                       [--until T] [-c ALERTS.CONF] [--json]\n");
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
	if (strcmp(s, "report") == 0)
		return VERB_REPORT;
	if (strcmp(s, "alerts") == 0)
		return VERB_ALERTS;
	if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0)
		usage(EXIT_OK);
	warnx("unknown command %s", s);
	usage(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_SYSLOG, OPT_NO_FSYNC, OPT_SINCE, OPT_UNTIL };
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, OPT_JSON},
	    {"syslog", no_argument, NULL, OPT_SYSLOG},
	    {"no-fsync", no_argument, NULL, OPT_NO_FSYNC},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct auditlog_options o = {.sync = true};
	struct report_options r = {0};
	enum verb verb;
	int ch;

	secmem_init();
	if (argc < 2)
		usage(EXIT_USAGE);
	verb = parse_verb(argv[1]);
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "f:k:p:c:o:h", longopts, NULL)) != -1) {
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
		case 'p':
			r.project = optarg;
			break;
		case 'c':
			r.config = optarg;
			break;
		case 'o':
			r.output = optarg;
			break;
		case OPT_SINCE:
			r.since = optarg;
			break;
		case OPT_UNTIL:
			r.until = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		default:
			usage(EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (verb != VERB_APPEND &&
	    (argc > 0 || o.syslog || (o.json && verb != VERB_ALERTS)))
		usage(EXIT_USAGE);
	if ((verb != VERB_REPORT && verb != VERB_ALERTS) &&
	    (r.project || r.config || r.since || r.until))
		usage(EXIT_USAGE);
	if (verb != VERB_REPORT && r.output != NULL)
		usage(EXIT_USAGE);
	if (r.project != NULL)
		project_require(r.project);
	if (verb == VERB_VERIFY && !o.sync)
		usage(EXIT_USAGE);
	switch (verb) {
	case VERB_APPEND:
		return append_main(&o, argc, argv);
	case VERB_VERIFY:
		return verify_main(&o);
	case VERB_ROTATE:
		return rotate_main(&o);
	case VERB_REPORT:
		return report_main(&o, &r);
	case VERB_ALERTS:
		return alerts_main(&o, &r);
	}
	return EXIT_FAIL;
}
