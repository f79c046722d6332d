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

/* The processes a run directory's running.PROJECT names ("PGID
 * STARTTIME", written by the run, then how to reach every descendant:
 * its cgroup, or the run's pid and session), when it is still that
 * run's: a record left by a run killed with SIGKILL may name a reused
 * pid. False when there is none. */
static bool
running_target(int dir, const char *project, struct tracker *t)
{
	char name[128], text[PATH_MAX + 96];
	unsigned long long start, now;
	long pgid;
	int fd, end;
	ssize_t n;
	bool leader_ok;

	snprintf(name, sizeof name, "running.%s", project);
	fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read_full(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	if (sscanf(text, "%ld %llu%n", &pgid, &start, &end) != 2 ||
	    text[strspn(text, "0123456789")] != ' ' || pgid <= 1 ||
	    (text[end] != '\n' && text[end] != '\0'))
		return false;
	leader_ok = proc_start_time((pid_t)pgid, &now) && now == start;
	/* an older record, or one that does not read: the group alone */
	if (text[end] == '\0' ||
	    !tracker_parse(t, (pid_t)pgid, text + end + 1)) {
		*t = (struct tracker){.mode = TRACK_SUBREAPER, .procs_fd = -1,
		                      .keeper_fd = -1, .keeper_reply = -1,
		                      .keeper_notes = -1, .run_pid = -1,
		                      .leader = (pid_t)pgid};
		return leader_ok;
	}
	/* the command's first process may be gone while the run lasts
	 * (--keep-children, or what it left being stopped): the run's own
	 * start time tells it is still that run */
	if (!leader_ok) {
		if (!proc_start_time(t->run_pid, &now) || now != t->run_start)
			return false;
		t->leader = 0;
	}
	return true;
}

/* What the project's running commands are, from the run directories
 * under the runtime directory; their count in *count. */
static struct tracker *
running_targets(const char *project, size_t *count)
{
	const char *runtime = secenv_runtime_dir();
	DIR *d = opendir(runtime);
	struct dirent *e;
	struct tracker *ts = NULL, t;

	*count = 0;
	if (d == NULL)
		err(EXIT_FAIL, "runtime directory %s", printable(runtime));
	while ((e = readdir(d)) != NULL) {
		int dir;
		bool found;

		if (strncmp(e->d_name, "run.", 4) != 0)
			continue;
		dir = openat(dirfd(d), e->d_name,
		             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir < 0)
			continue;
		found = running_target(dir, project, &t);
		close(dir);
		if (!found)
			continue;
		ts = realloc(ts, (*count + 1) * sizeof(*ts));
		if (ts == NULL)
			err(EXIT_FAIL, "running commands");
		ts[(*count)++] = t;
	}
	closedir(d);
	return ts;
}

static int
revoke_in_child(void *arg)
{
	return vaultfetch_revoke(secenv_home(), arg);
}

/*
 * secenv revoke: the project's revoked mark (vaultfetch's code), then
 * every running command of the project stopped at once, with all it
 * started (its run's cgroup, or its process tree): TERM to all, one
 * grace period, KILL to what is left. A mark that could not
 * be written stops them all the same, and says so.
 */
int
revoke_main(int argc, char **argv)
{
	struct verb_options o = {0};
	size_t count;
	struct tracker *targets;
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
	targets = running_targets(o.project, &count);
	trackers_stop(targets, count, KILL_GRACE_MS);
	free(targets);
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
