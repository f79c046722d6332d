/* SPDX-License-Identifier: ISC */
/* The owner's verbs that touch running commands or the audit log: revoke (the
 * mark, then every running command of the project stopped at once) and the
 * record of the others, which bin/secenv composes. */
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "paths.h"
#include "run.h"
#include "util.h"
#include "vaultfetch.h"

#define RECORD_INPUT_MAX (16u * 1024 * 1024) /* one record's fields */

/* Append record (kept) when auditing is on, or stop with 111. */
static void
owner_audit(json_t *record)
{
	char home[PATH_MAX], log[PATH_MAX];

	if (!switch_on("AUDIT_SECRET_ACCESS"))
		return;
	audit_log_find(home, log);
	if (audit_append(log, record) != 0)
		errx(EXIT_FAIL, "audit log %s: cannot append a record", log);
}

/* The process group a run directory's running.PROJECT names ("PGID
 * STARTTIME", written by the run), when it is still that run's: a
 * record left by a run killed with SIGKILL may name a reused pid. */
static pid_t
running_group(int dir, const char *project)
{
	char name[128], line[64];
	unsigned long long start, now;
	long pgid;
	int fd, end;
	ssize_t n;

	snprintf(name, sizeof name, "running.%s", project);
	fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read_full(fd, line, sizeof line - 1);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	if (sscanf(line, "%ld %llu%n", &pgid, &start, &end) != 2 ||
	    line[strspn(line, "0123456789")] != ' ' || pgid <= 1 ||
	    (line[end] != '\n' && line[end] != '\0') ||
	    !proc_start_time((pid_t)pgid, &now) || now != start)
		return 0;
	return (pid_t)pgid;
}

/* The process groups of the project's running commands, from the run
 * directories under the runtime directory; their count in *count. */
static pid_t *
running_groups(const char *project, size_t *count)
{
	const char *runtime = secenv_runtime_dir();
	DIR *d = opendir(runtime);
	struct dirent *e;
	pid_t *pgids = NULL;

	*count = 0;
	if (d == NULL)
		err(EXIT_FAIL, "runtime directory %s", printable(runtime));
	while ((e = readdir(d)) != NULL) {
		int dir;
		pid_t pgid;

		if (strncmp(e->d_name, "run.", 4) != 0)
			continue;
		dir = openat(dirfd(d), e->d_name,
		             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir < 0)
			continue;
		pgid = running_group(dir, project);
		close(dir);
		if (pgid == 0)
			continue;
		pgids = realloc(pgids, (*count + 1) * sizeof(*pgids));
		if (pgids == NULL)
			err(EXIT_FAIL, "running commands");
		pgids[(*count)++] = pgid;
	}
	closedir(d);
	return pgids;
}

static int
revoke_in_child(void *arg)
{
	return vaultfetch_revoke(secenv_home(), arg);
}

/*
 * secenv revoke: the project's revoked mark (vaultfetch's code), then
 * every running command of the project stopped at once: TERM to all
 * groups, one grace period, KILL to what is left. A mark that could not
 * be written stops them all the same, and says so.
 */
int
revoke_main(int argc, char **argv)
{
	struct verb_options o = {0};
	size_t count;
	pid_t *pgids;
	int status;
	json_t *record;

	o.project = env_nonempty("SECENV_PROJECT");
	if (o.project == NULL)
		o.project = "";
	verb_options_parse("revoke", true, argc, argv, &o);
	if (o.arg_count > 0)
		usage_error("revoke", "unexpected argument: %s",
		            printable(o.args[0]));
	verb_project_require("revoke", o.project);
	status = wait_status(spawn_call("vaultfetch", revoke_in_child,
	                                (void *)o.project, -1, -1, -1, NULL, 0,
	                                false));
	pgids = running_groups(o.project, &count);
	groups_stop(pgids, count);
	free(pgids);
	if (status != 0) {
		warnx("project %s: the revocation was NOT recorded; %zu "
		      "running command(s) stopped anyway",
		      o.project, count);
		if (o.json) {
			json_t *e = json_pack("{s:s, s:i}", "error",
			                      "the revocation was not recorded",
			                      "status", status);

			json_print(e, "result");
			json_decref(e);
		}
		free(o.args);
		return status;
	}
	warnx("project %s revoked; %zu running command(s) stopped", o.project,
	      count);
	record = json_pack("{s:s, s:s, s:I}", "event", "revoke", "project",
	                   o.project, "stopped", (json_int_t)count);
	if (record == NULL)
		errx(EXIT_FAIL, "cannot encode the audit record");
	owner_audit(record);
	if (o.json)
		json_print(record, "result");
	json_decref(record);
	free(o.args);
	return EXIT_OK;
}

/*
 * secenv-run record < OBJECT: one record of an owner's change, whose
 * fields bin/secenv makes with jq, appended when auditing is on. The
 * object is read whole first, so the writer never finds the pipe closed.
 */
int
record_main(int argc, char **argv)
{
	unsigned char *text;
	size_t len;
	json_t *record;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	                 strcmp(argv[1], "--help") == 0)) {
		puts("usage: secenv-run record < OBJECT");
		return EXIT_OK;
	}
	if (argc > 1)
		usage_error("record", "unexpected argument: %s",
		            printable(argv[1]));
	if (read_all(STDIN_FILENO, RECORD_INPUT_MAX, false, &text, &len) != 0)
		err(EXIT_FAIL, "record: stdin");
	record = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES,
	                    NULL);
	free(text);
	if (!json_is_object(record))
		errx(EXIT_USAGE, "record: stdin: not a JSON object");
	owner_audit(record);
	json_decref(record);
	return EXIT_OK;
}
