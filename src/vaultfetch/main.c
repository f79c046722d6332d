/* SPDX-License-Identifier: ISC */
/* vaultfetch: fetch a project's secrets as a sealed blob; the owner's verbs. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "names.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"
#include "vaultfetch.h"

enum verb { INIT, PUT, IMPORT, LIST, RM, FETCH, REVOKE, UNREVOKE };

static const struct {
	const char *name;
	enum verb verb;
	int min_args; /* after the verb */
	int max_args;
} verbs[] = {
    {"init", INIT, 0, 0},     {"put", PUT, 2, 2},
    {"import", IMPORT, 1, 2}, {"list", LIST, 1, 1},
    {"rm", RM, 2, 2},         {"fetch", FETCH, 1, 1},
    {"revoke", REVOKE, 1, 1}, {"unrevoke", UNREVOKE, 1, 1},
};

enum {
	OPT_RAW = 256,
	OPT_HINTS,
	OPT_TTL,
	OPT_NO_CACHE,
	OPT_CACHE_TTL,
	OPT_MAX_STALE,
	OPT_FETCH_LIMIT,
	OPT_PREVIOUS_WINDOW,
};

static const struct option long_options[] = {
    {"backend", required_argument, NULL, 'B'},
    {"help", no_argument, NULL, 'h'},
    {"raw", no_argument, NULL, OPT_RAW},
    {"hints", no_argument, NULL, OPT_HINTS},
    {"ttl", required_argument, NULL, OPT_TTL},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"cache-ttl", required_argument, NULL, OPT_CACHE_TTL},
    {"max-stale", required_argument, NULL, OPT_MAX_STALE},
    {"fetch-limit", required_argument, NULL, OPT_FETCH_LIMIT},
    {"previous-window", required_argument, NULL, OPT_PREVIOUS_WINDOW},
    {NULL, 0, NULL, 0},
};

__attribute__((noreturn)) static void
usage(int status)
{
	FILE *f = status == EXIT_OK ? stdout : stderr;

	fputs("usage: vaultfetch [-B BACKEND] init\n"
	      "       vaultfetch [-B BACKEND] put [--raw] PROJECT NAME "
	      "< value\n"
	      "       vaultfetch [-B BACKEND] import PROJECT [FILE|-]\n"
	      "       vaultfetch [-B BACKEND] list [-0 | --hints] PROJECT\n"
	      "       vaultfetch [-B BACKEND] rm PROJECT NAME\n"
	      "       vaultfetch [-B BACKEND] fetch [--ttl S] [--no-cache] "
	      "[--cache-ttl S]\n"
	      "                  [--max-stale S] [--fetch-limit N] "
	      "[--previous-window S] PROJECT\n"
	      "       vaultfetch revoke|unrevoke PROJECT\n"
	      "BACKEND: file (default), azure, hcvault or exec:PATH\n",
	      f);
	exit(status);
}

/* Options are accepted anywhere on the line; returns a mask of the ones
 * that apply to a single verb, to refuse them elsewhere. */
static unsigned
parse_options(int argc, char **argv, struct vaultfetch_options *o)
{
	unsigned seen = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "0B:h", long_options, NULL)) !=
	       -1) {
		switch (ch) {
		case '0':
			o->null_names = true;
			seen |= 1u << LIST;
			break;
		case 'B':
			o->backend = optarg;
			break;
		case 'h':
			usage(EXIT_OK);
		case OPT_RAW:
			o->raw = true;
			seen |= 1u << PUT;
			break;
		case OPT_HINTS:
			o->hints = true;
			seen |= 1u << LIST;
			break;
		case OPT_TTL:
			o->ttl_s = vaultfetch_number("--ttl", optarg, MAX_TTL_S);
			if (o->ttl_s == 0)
				errx(EXIT_USAGE, "--ttl: must be at least 1");
			seen |= 1u << FETCH;
			break;
		case OPT_NO_CACHE:
			o->no_cache = true;
			seen |= 1u << FETCH;
			break;
		case OPT_CACHE_TTL:
			o->cache_ttl_s =
			    vaultfetch_number("--cache-ttl", optarg, MAX_TTL_S);
			seen |= 1u << FETCH;
			break;
		case OPT_MAX_STALE:
			o->max_stale_s =
			    vaultfetch_number("--max-stale", optarg, MAX_TTL_S);
			seen |= 1u << FETCH;
			break;
		case OPT_FETCH_LIMIT:
			o->fetch_limit =
			    vaultfetch_number("--fetch-limit", optarg, 1000000);
			seen |= 1u << FETCH;
			break;
		case OPT_PREVIOUS_WINDOW:
			o->previous_window_s =
			    vaultfetch_number("--previous-window", optarg, 366ull * 86400);
			seen |= 1u << FETCH;
			break;
		default:
			usage(EXIT_USAGE);
		}
	}
	return seen;
}

/* init, revoke and unrevoke act on SECENV_HOME alone, whatever the
 * backend. */
static bool
verb_uses_backend(enum verb verb)
{
	return verb != INIT && verb != REVOKE && verb != UNREVOKE;
}

static int
dispatch(enum verb verb, const struct vaultfetch_options *o, char **args)
{
	const char *home = secenv_home();

	if (verb == INIT)
		return cmd_init(home);
	project_require(args[0]);
	switch (verb) {
	case PUT:
		name_require(args[1]);
		return cmd_put(o, home, args[0], args[1]);
	case IMPORT:
		return cmd_import(o, home, args[0], args[1]);
	case LIST:
		if (o->null_names)
			return vaultfetch_names_write(o, home, args[0],
			                              STDOUT_FILENO);
		return cmd_list(o, home, args[0]);
	case RM:
		name_require(args[1]);
		return cmd_rm(o, home, args[0], args[1]);
	case FETCH:
		return vaultfetch_fetch(o, home, args[0], STDOUT_FILENO);
	case REVOKE:
		return vaultfetch_revoke(home, args[0]);
	case UNREVOKE:
		return cmd_unrevoke(home, args[0]);
	default:
		usage(EXIT_USAGE);
	}
}

int
main(int argc, char **argv)
{
	struct vaultfetch_options o;
	unsigned seen;
	size_t i;

	secmem_init();
	vaultfetch_options_init(&o);
	seen = parse_options(argc, argv, &o);
	if (optind >= argc)
		usage(EXIT_USAGE);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[optind], verbs[i].name) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		warnx("unknown verb '%s'", printable(argv[optind]));
		usage(EXIT_USAGE);
	}
	int nargs = argc - optind - 1;
	if (nargs < verbs[i].min_args || nargs > verbs[i].max_args)
		usage(EXIT_USAGE);
	if ((seen & ~(1u << verbs[i].verb)) != 0)
		errx(EXIT_USAGE, "an option given does not apply to %s",
		     verbs[i].name);
	/* Before anything is read or touched, so the full build starts
	 * from the same state. */
	if (verb_uses_backend(verbs[i].verb)) {
		backend_handoff(vaultfetch_backend_spec(&o), argv);
		backend_vault_url_notice(vaultfetch_backend_spec(&o));
	}
	char *args[3] = {NULL, NULL, NULL};
	for (int a = 0; a < nargs; a++)
		args[a] = argv[optind + 1 + a];
	return dispatch(verbs[i].verb, &o, args);
}
