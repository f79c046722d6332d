/* SPDX-License-Identifier: ISC */
/* secenv-run: `secenv run`, the composed pipeline, without a shell in between;
 * and the other verbs that touch a running command or the audit log. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "names.h"
#include "paths.h"
#include "run.h"
#include "secmem.h"
#include "util.h"

#define SYNOPSIS                                                               \
	"secenv run -p PROJECT [-C DIR] [-t SECONDS] [--json] [--hints] [-i] " \
	"[-n] [--pty] [--watch] [--keep-children] [--as USER] [--force] -- "    \
	"COMMAND..."

void
help_run(void)
{
	fputs("usage: " SYNOPSIS "\n"
	      "\n"
	      "Check COMMAND with cmdguard, fetch PROJECT's sealed blob, run "
	      "COMMAND with the\n"
	      "secrets in its environment (under sh -c when it is one string), "
	      "and pass its\n"
	      "stdout and stderr each through its own masker (redact's code).\n"
	      "One audit record per run.\n"
	      "\n"
	      "  -p, --project P   the project (or SECENV_PROJECT)\n"
	      "  -C, --cwd DIR     run the command in DIR\n"
	      "  -t, --timeout S   kill the command and all it started after S "
	      "seconds\n"
	      "                    (default 300); exit 124\n"
	      "  --json            print one JSON object: stdout, stderr, "
	      "return_code,\n"
	      "                    working_directory, env_injected, env_count, "
	      "security_blocked, ...\n"
	      "  --hints           masks say which secret and its shape, e.g.\n"
	      "                    ***REDACTED:STRIPE_SECRET_KEY (sk_test_..., 32 "
	      "bytes)***\n"
	      "  --pty             run the command on a new pseudo-terminal "
	      "(colours, progress\n"
	      "                    bars), masked too; stdin and window size "
	      "passed on\n"
	      "  --watch           stop and start the command again when the "
	      "project's secrets\n"
	      "                    change (secenv set, import, rm; a remote "
	      "backend: polled)\n"
	      "  -i                start the command from a minimal environment\n"
	      "  -n                the command reads /dev/null (a terminal "
	      "reaches it through a pipe)\n"
	      "  --keep-children   what the command started outlives it "
	      "(else killed when it exits)\n"
	      "  --as USER         run the command as USER (root only), who "
	      "cannot read the keys\n"
	      "  --force           allow ENABLE_OUTPUT_SANITIZATION=0 with "
	      "injection on (also SECENV_FORCE=1)\n"
	      "  -h                this help\n",
	      stdout);
}

/* The usage line of each verb, as secenv(1) gives it. */
static const char *
synopsis(const char *verb)
{
	if (strcmp(verb, "read") == 0)
		return "secenv read -p PROJECT [--json] FILE";
	if (strcmp(verb, "revoke") == 0)
		return "secenv revoke -p PROJECT [--json]";
	if (strcmp(verb, "record") == 0)
		return "secenv-run record < OBJECT";
	return SYNOPSIS;
}

_Noreturn void
usage_error(const char *verb, const char *message, ...)
{
	va_list ap;

	fprintf(stderr, "secenv: %s: ", verb);
	va_start(ap, message);
	vfprintf(stderr, message, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", synopsis(verb));
	exit(EXIT_USAGE);
}

/* The value of option opt: the next argument, which must exist. */
static const char *
option_value(char **argv, int *i, int argc)
{
	if (*i + 1 >= argc)
		usage_error("run", "%s needs a value", argv[*i]);
	*i += 1;
	return argv[*i];
}

/*
 * The options of `secenv run`, as bin/secenv has always read them: the
 * first non-option, or what follows "--", is the command with its own
 * flags; -p takes its value joined or apart.
 */
static void
parse_options(int argc, char **argv, struct run_options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			help_run();
			exit(EXIT_OK);
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "-p") == 0 || strcmp(a, "--project") == 0) {
			o->project = option_value(argv, &i, argc);
		} else if (strncmp(a, "-p", 2) == 0) {
			o->project = a + 2;
		} else if (strncmp(a, "--project=", 10) == 0) {
			o->project = a + 10;
		} else if (strcmp(a, "-C") == 0 || strcmp(a, "--cwd") == 0) {
			o->workdir = option_value(argv, &i, argc);
		} else if (strcmp(a, "-t") == 0 ||
		           strcmp(a, "--timeout") == 0) {
			o->timeout = option_value(argv, &i, argc);
		} else if (strcmp(a, "--as") == 0) {
			o->as_user = option_value(argv, &i, argc);
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--hints") == 0) {
			o->hints = true;
		} else if (strcmp(a, "--pty") == 0) {
			o->pty = true;
		} else if (strcmp(a, "--watch") == 0) {
			o->watch = true;
		} else if (strcmp(a, "-i") == 0) {
			o->minimal_env = true;
		} else if (strcmp(a, "--force") == 0) {
			o->force = true;
		} else if (strcmp(a, "--keep-children") == 0) {
			o->keep_children = true;
		} else if (strcmp(a, "-n") == 0) {
			o->null_stdin = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			usage_error("run", "unknown option: %s", a);
		} else {
			break;
		}
	}
	o->command = argv + i;
	o->command_count = argc - i;
}

/* A closed 0, 1 or 2 would be taken by the next descriptor opened (a
 * memory file of the run, a pipe), and what is written "to stderr" would
 * land there: each gets /dev/null instead. */
static void
standard_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			_exit(EXIT_FAIL);
}

/*
 * The options of read and revoke, as bin/secenv has always read them:
 * options anywhere, "--" ends them, -p takes its value joined or apart,
 * -h wins where it stands.
 */
void
verb_options_parse(const char *verb, bool takes_json, int argc, char **argv,
                   struct verb_options *o)
{
	o->args = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			printf("usage: %s\n", synopsis(verb));
			exit(EXIT_OK);
		} else if (strcmp(a, "--") == 0) {
			while (++i < argc)
				o->args[o->arg_count++] = argv[i];
		} else if (strcmp(a, "-p") == 0 ||
		           strcmp(a, "--project") == 0) {
			if (i + 1 >= argc)
				usage_error(verb, "%s needs a value", a);
			o->project = argv[++i];
		} else if (strncmp(a, "-p", 2) == 0) {
			o->project = a + 2;
		} else if (strncmp(a, "--project=", 10) == 0) {
			o->project = a + 10;
		} else if (strcmp(a, "--json") == 0 && takes_json) {
			o->json = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			usage_error(verb, "unknown option: %s", printable(a));
		} else {
			o->args[o->arg_count++] = argv[i];
		}
	}
}

/* A project is given and valid, or the verb stops here with 100. */
void
verb_project_require(const char *verb, const char *project)
{
	if (project[0] == '\0')
		usage_error(verb, "no project (-p PROJECT or SECENV_PROJECT)");
	if (!project_is_valid(project))
		errx(EXIT_USAGE, "invalid project id: %s", printable(project));
}

/* A first word of run, read, revoke or record is the verb; anything else
 * is run's (a command of one of those names follows "--"). */
static const struct {
	const char *name;
	int (*verb_main)(int, char **);
} verbs[] = {
    {"read", read_main},
    {"revoke", revoke_main},
    {"record", record_main},
};

/*
 * Called as secenv (bin/secenv is a link to this program): run, read and
 * revoke are ours, so `secenv run` starts no shell; mcp is secenv-mcp's;
 * every other subcommand (the owner's, and help) is secenv-owner's, the
 * script that composes the programs with pipes. Returns for ours.
 */
static void
front_dispatch(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const char *name = "secenv-owner";
	char *path;

	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "secenv") != 0)
		return;
	if (argc > 1 &&
	    (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "read") == 0 ||
	     strcmp(argv[1], "revoke") == 0))
		return;
	if (argc > 1 && strcmp(argv[1], "mcp") == 0) {
		name = "secenv-mcp";
		argv++; /* secenv-mcp's own arguments follow */
	}
	path = program_path(name);
	argv[0] = path;
	execvp(path, argv);
	err(errno == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC, "%s", path);
}

int
main(int argc, char **argv)
{
	struct run_options o = {.timeout = "300"};

	/* messages read as the command the user typed */
	program_invocation_short_name = "secenv";
	standard_fds_open();
	front_dispatch(argc, argv);
	secmem_init();
	if (argc > 1 && strcmp(argv[1], "run") == 0) {
		argc--;
		argv++;
	} else {
		for (size_t i = 0; argc > 1 && i < sizeof verbs / sizeof verbs[0];
		     i++)
			if (strcmp(argv[1], verbs[i].name) == 0)
				return verbs[i].verb_main(argc - 1, argv + 1);
	}
	o.project = getenv("SECENV_PROJECT");
	if (o.project == NULL)
		o.project = "";
	parse_options(argc, argv, &o);
	return run_main(&o);
}
