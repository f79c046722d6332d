/* SPDX-License-Identifier: ISC */
/* Test aid: two appends in one process, as secenv-run's keeper makes a run's
 * intent and outcome, with a shell command run between them (another writer,
 * an edit, a rotation): append_twice LOG KEY COMMAND. The second append reads
 * what the first kept only while the files are as it left them. Its status is
 * the second append's (auditlog's, 111 when it refuses); COMMAND failing is
 * 2. */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
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

int
main(int argc, char **argv)
{
	int status;

	if (argc != 4)
		errx(100, "usage: append_twice LOG KEY COMMAND");
	secmem_init();
	program_invocation_short_name = "auditlog"; /* as secenv-run's */
	if (append_event(argv[1], argv[2], "first") != 0)
		return 1;
	status = system(argv[3]);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(2, "%s: failed", argv[3]);
	return append_event(argv[1], argv[2], "second");
}
