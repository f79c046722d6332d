/* SPDX-License-Identifier: ISC */
/* Test aid: two appends in one process, as secenv-run's keeper makes a run's
 * intent and outcome, with a shell command run between them (another writer,
 * an edit, a rotation): append_twice LOG KEY COMMAND. The second append reads
 * what the first kept only while the files are as it left them. Its status is
 * the second append's (auditlog's, 111 when it refuses); COMMAND failing is
 * 2. append_twice --preload LOG KEY COMMAND reads the tail ahead first, as the
 * keeper does while the run fetches (auditlog_preload), and runs COMMAND
 * between that look and the first append. */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "auditlog/auditlog.h"
#include "secmem.h"

static int
append_event(const char *log, const char *key, const char *event)
{
	struct auditlog_options o = {
	    .file = log, .key_path = key, .sync = true};
	json_t *record = json_pack("{ss}", "event", event);
	int status;

	if (record == NULL)
		errx(1, "record");
	status = auditlog_append(&o, record);
	json_decref(record);
	return status;
}

static void
command_run(const char *command)
{
	int status = system(command);

	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(2, "%s: failed", command);
}

int
main(int argc, char **argv)
{
	bool preload = argc == 5 && strcmp(argv[1], "--preload") == 0;

	if (preload) {
		argc--;
		argv++;
	}
	if (argc != 4)
		errx(100, "usage: append_twice [--preload] LOG KEY COMMAND");
	secmem_init();
	program_invocation_short_name = "auditlog"; /* as secenv-run's */
	if (preload) {
		auditlog_preload(argv[1], argv[2]);
		command_run(argv[3]);
	}
	if (append_event(argv[1], argv[2], "first") != 0)
		return 1;
	if (!preload)
		command_run(argv[3]);
	return append_event(argv[1], argv[2], "second");
}
