/* SPDX-License-Identifier: ISC */
/* secenv-mcp: `secenv mcp`, a Model Context Protocol server on stdio. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mcp.h"
#include "names.h"
#include "util.h"

#define SYNOPSIS                                                               \
	"secenv mcp -p PROJECT [-C DIR] [-t SECONDS] [--allow-read DIR]... "   \
	"[--max-output BYTES] [--max-message BYTES] [--max-calls N]"

enum { OPT_ALLOW_READ = 256, OPT_MAX_OUTPUT, OPT_MAX_MESSAGE, OPT_MAX_CALLS };

static _Noreturn void
usage(const char *message, const char *arg)
{
	if (message != NULL)
		fprintf(stderr, "secenv-mcp: %s%s%s\n", message, arg ? ": " : "",
		        arg ? printable(arg) : "");
	fputs("usage: " SYNOPSIS "\n", stderr);
	exit(EXIT_USAGE);
}

static void
help(void)
{
	fputs("usage: " SYNOPSIS "\n"
	      "\n"
	      "Serve the Model Context Protocol on stdin and stdout (one JSON-RPC "
	      "message a line)\n"
	      "with three tools: run_command (secenv run), read_file (secenv "
	      "read) and\n"
	      "list_secrets (names only). The project, the directory and the "
	      "limits are fixed here.\n"
	      "\n"
	      "  -p, --project P       the project (or SECENV_PROJECT)\n"
	      "  -C, --cwd DIR         the working directory; no tool leaves it "
	      "(default: .)\n"
	      "  -t, --timeout S       the longest a command may run (default "
	      "300)\n"
	      "  --allow-read DIR      read_file may also read under DIR "
	      "(repeatable)\n"
	      "  --max-output BYTES    cap of each output stream (default "
	      "262144)\n"
	      "  --max-message BYTES   longest message taken (default 4194304)\n"
	      "  --max-calls N         tool calls in flight at once (default 64)\n"
	      "  -h, --help            this help\n",
	      stdout);
}

/* A number option within [min, max], else a usage error naming it. */
static uint64_t
number(const char *option, const char *value, uint64_t min, uint64_t max)
{
	uint64_t n;

	if (!parse_u64(value, &n) || n < min || n > max) {
		fprintf(stderr,
		        "secenv-mcp: %s: not a number from %llu to %llu: %s\n",
		        option, (unsigned long long)min, (unsigned long long)max,
		        printable(value));
		usage(NULL, NULL);
	}
	return n;
}

/* The real path of a directory given on the command line. */
static char *
directory(const char *option, const char *path)
{
	char *real = realpath(path, NULL);
	struct stat st;

	if (real == NULL)
		err(EXIT_FAIL, "%s %s", option, printable(path));
	if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
		errx(EXIT_FAIL, "%s %s: not a directory", option, printable(path));
	return real;
}

static void
parse_options(int argc, char **argv, struct mcp_config *c)
{
	static const struct option longs[] = {
	    {"project", required_argument, NULL, 'p'},
	    {"cwd", required_argument, NULL, 'C'},
	    {"timeout", required_argument, NULL, 't'},
	    {"allow-read", required_argument, NULL, OPT_ALLOW_READ},
	    {"max-output", required_argument, NULL, OPT_MAX_OUTPUT},
	    {"max-message", required_argument, NULL, OPT_MAX_MESSAGE},
	    {"max-calls", required_argument, NULL, OPT_MAX_CALLS},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *workdir = ".";
	int opt;

	c->project = env_nonempty("SECENV_PROJECT");
	c->timeout_s = 300;
	c->output_cap = MCP_DEFAULT_OUTPUT_CAP;
	c->message_max = MCP_DEFAULT_MESSAGE_MAX;
	c->max_calls = MCP_DEFAULT_MAX_CALLS;
	c->allow_read = xcalloc((size_t)argc, sizeof(char *));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:p:C:t:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'p':
			c->project = optarg;
			break;
		case 'C':
			workdir = optarg;
			break;
		case 't':
			c->timeout_s = (unsigned)number("-t", optarg, 1, 9999999);
			break;
		case OPT_ALLOW_READ:
			c->allow_read[c->allow_read_count++] =
			    directory("--allow-read", optarg);
			break;
		case OPT_MAX_OUTPUT:
			c->output_cap = number("--max-output", optarg, 1024,
			                       64u * 1024 * 1024);
			break;
		case OPT_MAX_MESSAGE:
			c->message_max = number("--max-message", optarg, 4096,
			                        256u * 1024 * 1024);
			break;
		case OPT_MAX_CALLS:
			c->max_calls = (unsigned)number("--max-calls", optarg, 1,
			                                1024);
			break;
		case 'h':
			help();
			exit(EXIT_OK);
		case ':':
			usage("option needs a value", argv[optind - 1]);
		default:
			usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage("unexpected argument", argv[optind]);
	if (c->project == NULL)
		usage("no project (-p PROJECT or SECENV_PROJECT)", NULL);
	project_require(c->project);
	c->workdir = directory("-C", workdir);
}

int
main(int argc, char **argv)
{
	struct mcp_config c = {0};
	struct rlimit none = {0, 0};
	int status;

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0);
	parse_options(argc, argv, &c);
	status = server_run(&c);
	for (size_t i = 0; i < c.allow_read_count; i++)
		free(c.allow_read[i]);
	free(c.allow_read);
	free(c.workdir);
	return status;
}
