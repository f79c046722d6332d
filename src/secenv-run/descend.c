/* SPDX-License-Identifier: ISC */
/* Every process a command starts: a cgroup of the run's own, or a subreaper
 * and a walk of the process tree; stopping all of them, at once. */
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <stdint.h>
#include <unistd.h>

#include "exitcodes.h"
#include "run.h"
#include "util.h"

#define PROC_MAX 65536 /* processes looked at in one walk of /proc */

/* The mount point of the cgroup v2 hierarchy, from mountinfo; false for
 * none. */
static bool
cgroup2_mount(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		char *dash = strstr(line, " - ");
		char point[PATH_MAX], fstype[64];

		if (dash == NULL ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(dash + 3, "%63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2") != 0 || strchr(point, '\\'))
			continue;
		snprintf(out, size, "%s", point);
		found = true;
	}
	free(line);
	fclose(f);
	return found;
}

/* Our own cgroup v2 path ("0::PATH" of /proc/self/cgroup). */
static bool
own_cgroup(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	ssize_t n;

	if (f == NULL)
		return false;
	while (!found && (n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		snprintf(out, size, "%s",
		         strcmp(line + 3, "/") == 0 ? "" : line + 3);
		found = true;
	}
	free(line);
	fclose(f);
	return found;
}

#define CGROUP_NAMES 100 /* secenv-run.PID, then .PID.1 to .PID.99 */

/*
 * The run's cgroup directory under base: secenv-run.PID, or where a
 * directory of that name is there already (left by a dead run of the
 * same pid whose keeper was killed too, or by a --watch generation that
 * could not empty it), secenv-run.PID.N, the first N that is free. Such
 * a directory is removed when it is empty, but its name is never taken
 * again: a dead run's keeper may still be at work on it. Without this,
 * a pid that came round again made the run a subreaper without a word.
 */
static bool
cgroup_dir_make(struct tracker *t, const char *base)
{
	for (int n = 0; n < CGROUP_NAMES; n++) {
		int len = n == 0 ? snprintf(t->cgroup, sizeof t->cgroup,
		                            "%s/secenv-run.%ld", base,
		                            (long)t->run_pid)
		                 : snprintf(t->cgroup, sizeof t->cgroup,
		                            "%s/secenv-run.%ld.%d", base,
		                            (long)t->run_pid, n);

		if (len < 0 || (size_t)len >= sizeof t->cgroup)
			break;
		if (mkdir(t->cgroup, 0700) == 0)
			return true;
		if (errno != EEXIST)
			break;
		(void)rmdir(t->cgroup); /* a dead run's, when empty */
	}
	t->cgroup[0] = '\0';
	return false;
}

/* A cgroup of the run's own, under ours, able to kill all it holds:
 * its directory and its cgroup.procs open for the command to join. */
static bool
cgroup_make(struct tracker *t)
{
	char mount[PATH_MAX], own[PATH_MAX], path[PATH_MAX * 2 + 64];

	if (!cgroup2_mount(mount, sizeof mount) || !own_cgroup(own, sizeof own))
		return false;
	snprintf(path, sizeof path, "%s%s", mount, own);
	if (!cgroup_dir_make(t, path))
		return false;
	snprintf(path, sizeof path, "%s/cgroup.kill", t->cgroup);
	if (access(path, W_OK) == 0) {
		snprintf(path, sizeof path, "%s/cgroup.procs", t->cgroup);
		t->procs_fd = open(path, O_WRONLY | O_CLOEXEC);
		if (t->procs_fd >= 0)
			return true;
	}
	rmdir(t->cgroup);
	t->cgroup[0] = '\0';
	return false;
}

static void
subreaper_become(struct tracker *t)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		err(EXIT_FAIL, "prctl PR_SET_CHILD_SUBREAPER");
	t->mode = TRACK_SUBREAPER;
}

/* Before the command: a cgroup of the run's own where the system lets us
 * make one (and SECENV_DESCENDANTS is not "subreaper"), else the run
 * becomes the subreaper of what the command leaves behind. */
void
tracker_open(struct tracker *t)
{
	/* SECENV_DESCENDANTS=subreaper: leave the cgroups to their manager */
	const char *how = env_nonempty("SECENV_DESCENDANTS");

	*t = (struct tracker){.mode = TRACK_NONE,
	                      .procs_fd = -1,
	                      .keeper_fd = -1,
	                      .keeper_reply = -1,
	                      .keeper_notes = -1,
	                      .run_pid = getpid()};
	t->run_sid = getsid(0);
	proc_start_time(t->run_pid, &t->run_start);
	/* a subreaper either way: the command's orphans are ours to reap,
	 * so the cgroup empties as soon as they are killed */
	subreaper_become(t);
	if ((how == NULL || strcmp(how, "subreaper") != 0) && cgroup_make(t))
		t->mode = TRACK_CGROUP;
}

/* In the command's child, before anything of it runs: into the run's
 * cgroup. 0 when it joined the cgroup, -1 when there is none, else why
 * it could not (an errno). Its death signal against the run is armed by
 * envinject's code (death_parent), once its environment is made: armed
 * here, a run that died while the child, in the masking process's
 * memory, allocated or freed, killed it holding that process's locks. */
int
tracker_child_join(const struct tracker *t)
{
	int joined = -1;

	if (t->procs_fd >= 0) {
		joined = write(t->procs_fd, "0\n", 2) == 2 ? 0 : errno;
		close(t->procs_fd);
	}
	return joined;
}

/*
 * The command started with leader at its head; joined is what
 * tracker_child_join() said (a child that said nothing is gone). One
 * that could not join the cgroup is followed by the run as subreaper,
 * and the run says so: it no longer reaches, once killed, what leaves
 * the command's session. The keeper learns it with the leader.
 */
void
tracker_started(struct tracker *t, pid_t leader, int joined)
{
	t->leader = leader;
	if (t->procs_fd >= 0)
		close(t->procs_fd);
	t->procs_fd = -1;
	if (t->mode == TRACK_CGROUP && joined != 0) {
		if (joined > 0)
			warnx("run: the command cannot join the cgroup %s "
			      "(%s): its processes are followed as a "
			      "subreaper",
			      t->cgroup, strerror(joined));
		rmdir(t->cgroup);
		t->cgroup[0] = '\0';
		t->mode = TRACK_SUBREAPER;
	}
}

const char *
tracker_mechanism(const struct tracker *t)
{
	return t->mode == TRACK_CGROUP ? "cgroup" : "subreaper";
}

/* One line of /proc/PID/stat: state, ppid, pgrp, session. */
struct proc_entry {
	pid_t pid, ppid, pgrp, sid;
	char state;
};

static bool
proc_entry_read(pid_t pid, struct proc_entry *e)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;
	long ppid, pgrp, sid;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read_full(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %c %ld %ld %ld", &e->state, &ppid, &pgrp, &sid) !=
	        4)
		return false;
	e->pid = pid;
	e->ppid = (pid_t)ppid;
	e->pgrp = (pid_t)pgrp;
	e->sid = (pid_t)sid;
	return true;
}

/* Every live process (zombies cannot be stopped, and run nothing). */
static size_t
proc_walk(struct proc_entry *out, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while (n < max && (de = readdir(d)) != NULL)
		if (isdigit((unsigned char)de->d_name[0]) &&
		    proc_entry_read((pid_t)atol(de->d_name), &out[n]) &&
		    out[n].state != 'Z' && out[n].state != 'X')
			n++;
	closedir(d);
	return n;
}

/* Whether e descends from the run through the command, not through one
 * of the run's own helpers (the masking process, an append, the
 * keeper), which stay in the run's session: the command's side left it. */
static bool
is_descendant(const struct tracker *t, pid_t run_sid,
              const struct proc_entry *all, size_t n,
              const struct proc_entry *e)
{
	const struct proc_entry *cur = e;

	if (t->leader > 0 && (e->pgrp == t->leader || e->sid == t->leader))
		return true;
	/* no run to descend from (revoke of a cgroup, a keeper whose run
	 * died): the group and session alone */
	if (t->run_pid <= 1)
		return false;
	for (size_t depth = 0; depth < n && cur != NULL; depth++) {
		const struct proc_entry *up = NULL;

		if (cur->ppid == t->run_pid)
			return cur->sid != run_sid;
		if (cur->ppid <= 1)
			return false;
		for (size_t i = 0; i < n && up == NULL; i++)
			if (all[i].pid == cur->ppid)
				up = &all[i];
		cur = up;
	}
	return false;
}

/* Send sig to every descendant found by a walk; how many there were. */
static size_t
walk_signal(const struct tracker *t, int sig)
{
	struct proc_entry *all = calloc(PROC_MAX, sizeof *all);
	size_t n, count = 0;
	pid_t run_sid = t->run_sid;

	if (all == NULL)
		err(EXIT_FAIL, "processes");
	n = proc_walk(all, PROC_MAX);
	/* a cgroup's running record names no session (revoke's tracker):
	 * the run's own is the one its helpers (the masking process, the
	 * keeper) share, never the command's */
	for (size_t i = 0; run_sid <= 0 && t->run_pid > 1 && i < n; i++)
		if (all[i].pid == t->run_pid)
			run_sid = all[i].sid;
	for (size_t i = 0; i < n; i++)
		if (all[i].pid != t->run_pid &&
		    is_descendant(t, run_sid, all, n, &all[i])) {
			count++;
			if (sig != 0)
				kill(all[i].pid, sig);
		}
	free(all);
	return count;
}

/* The cgroup's members, each sent sig; how many there were. */
static size_t
cgroup_signal(const struct tracker *t, int sig)
{
	char path[PATH_MAX + 32];
	FILE *f;
	long pid;
	size_t count = 0;

	snprintf(path, sizeof path, "%s/cgroup.procs", t->cgroup);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fscanf(f, "%ld", &pid) == 1) {
		count++;
		if (sig != 0)
			kill((pid_t)pid, sig);
	}
	fclose(f);
	return count;
}

static void
cgroup_kill(const struct tracker *t)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof path, "%s/cgroup.kill", t->cgroup);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, "1", 1) != 1)
			cgroup_signal(t, SIGKILL);
		close(fd);
	}
}

/* Whether the cgroup still holds a live process. */
static bool
cgroup_populated(const struct tracker *t)
{
	char path[PATH_MAX + 32], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/cgroup.events", t->cgroup);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read_full(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "populated 1") != NULL;
}

/* sig (0: none) to every descendant; whether any is alive. */
bool
tracker_signal(const struct tracker *t, int sig)
{
	bool alive;

	if (t->mode == TRACK_NONE)
		return false;
	if (t->mode == TRACK_CGROUP && t->cgroup[0] != '\0' && sig == SIGKILL) {
		cgroup_kill(t);
		alive = cgroup_populated(t);
		/* a member that left the cgroup (root may) still has its
		 * group: KILL to the group reaches it without a walk of
		 * every process (KILL twice does no harm, and one cannot
		 * be caught; a group of zombies would only say "alive") */
		if (t->leader > 0)
			kill(-t->leader, SIGKILL);
		return alive;
	}
	if (t->mode == TRACK_CGROUP && t->cgroup[0] != '\0') {
		/* an empty cgroup (the command ended and left nothing, the
		 * common case) has no members to list */
		bool populated = cgroup_populated(t);
		size_t members = populated ? cgroup_signal(t, sig) : 0;

		alive = populated && cgroup_populated(t);
		/* such a member still has its group; but a group whose
		 * members just had sig from the cgroup must not have it
		 * twice (a handler would run twice), so then the group is
		 * only looked at */
		if (t->leader > 0 &&
		    kill(-t->leader, members > 0 ? 0 : sig) == 0)
			alive = alive || walk_signal(t, 0) > 0;
		return alive;
	}
	return walk_signal(t, sig) > 0;
}

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static bool
any_alive(struct tracker *ts, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (tracker_signal(&ts[i], 0))
			return true;
	return false;
}

/* Wait up to ms for every descendant of all to be gone. */
static bool
all_gone_within(struct tracker *ts, size_t count, long ms)
{
	for (long waited = 0; any_alive(ts, count); waited += 20) {
		if (waited >= ms)
			return false;
		pause_ms(20);
	}
	return true;
}

/* TERM to every descendant of count runs at once, one grace period for
 * all, then KILL to all that are left; on return all are gone (as far
 * as KILL reaches within another grace period). */
void
trackers_stop(struct tracker *ts, size_t count, long grace_ms)
{
	for (size_t i = 0; i < count; i++)
		tracker_signal(&ts[i], SIGTERM);
	if (all_gone_within(ts, count, grace_ms))
		return;
	for (size_t i = 0; i < count; i++)
		tracker_signal(&ts[i], SIGKILL);
	all_gone_within(ts, count, grace_ms);
}

/* What a running record says of the run and its descendants: "cgroup
 * RUNPID RUNSTART PATH" or "subreaper RUNPID RUNSTART SID". */
void
tracker_describe(const struct tracker *t, char *out, size_t size)
{
	if (t->mode == TRACK_CGROUP)
		snprintf(out, size, "cgroup %ld %llu %s\n", (long)t->run_pid,
		         t->run_start, t->cgroup);
	else
		snprintf(out, size, "subreaper %ld %llu %ld\n",
		         (long)t->run_pid, t->run_start, (long)t->run_sid);
}

/* The tracker of a running record's second line (revoke); false when it
 * has none or it does not read, and only the group is known. */
bool
tracker_parse(struct tracker *t, pid_t leader, const char *line)
{
	long pid, sid;
	unsigned long long start;
	int end = 0;

	*t = (struct tracker){.mode = TRACK_NONE,
	                      .procs_fd = -1,
	                      .keeper_fd = -1,
	                      .keeper_reply = -1,
	                      .keeper_notes = -1,
	                      .run_pid = -1,
	                      .leader = leader};
	if (sscanf(line, "cgroup %ld %llu %n", &pid, &start, &end) == 2 &&
	    end > 0 && line[end] == '/' && pid > 1) {
		size_t len = strcspn(line + end, "\n");

		if (len >= sizeof t->cgroup || strstr(line, "/..") != NULL ||
		    strstr(line, "/secenv-run.") == NULL)
			return false;
		memcpy(t->cgroup, line + end, len);
		t->cgroup[len] = '\0';
		t->mode = TRACK_CGROUP;
	} else if (sscanf(line, "subreaper %ld %llu %ld%n", &pid, &start, &sid,
	                  &end) == 3 &&
	           pid > 1 && (line[end] == '\n' || line[end] == '\0')) {
		t->mode = TRACK_SUBREAPER;
		t->run_sid = (pid_t)sid;
	} else {
		return false;
	}
	t->run_pid = (pid_t)pid;
	t->run_start = start;
	return true;
}

/* --keep-children: what is left goes on outside the run's cgroup, in
 * the run's own, no longer the run's to stop. */
void
tracker_release(struct tracker *t)
{
	char mine[PATH_MAX + 32], parent[PATH_MAX + 32];
	FILE *f;
	long pid;
	int out;

	if (t->mode != TRACK_CGROUP)
		return;
	snprintf(mine, sizeof mine, "%s/cgroup.procs", t->cgroup);
	snprintf(parent, sizeof parent, "%s", t->cgroup);
	*strrchr(parent, '/') = '\0';
	strcat(parent, "/cgroup.procs");
	for (int round = 0; round < 100 && cgroup_populated(t); round++) {
		if ((f = fopen(mine, "re")) == NULL ||
		    (out = open(parent, O_WRONLY | O_CLOEXEC)) < 0) {
			if (f != NULL)
				fclose(f);
			return;
		}
		while (fscanf(f, "%ld", &pid) == 1)
			dprintf(out, "%ld\n", pid);
		fclose(f);
		close(out);
	}
}

struct keeper_call {
	struct tracker *t;
	const struct run *r;
	int fd, reply;
};

/* Read exactly len bytes, or fewer at EOF (the run died). */
static size_t
keeper_read(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

#define RECORD_MAX (1024 * 1024) /* far above auditlog's 64 KiB */

struct early_reply {
	int fd;
	bool sent, gone; /* the status said; the run was not there */
};

/* The record is written and synced: the run hears success now (an
 * intent record's command may start) while the anchor's move to it is
 * synced (auditlog_options.durable). */
static void
reply_durable(void *arg)
{
	struct early_reply *e = arg;
	unsigned char ok = EXIT_OK;

	e->sent = true;
	e->gone = write_full(e->fd, &ok, 1) != 0;
}

/* One record from the run, appended; its status back (as soon as the
 * record is durable). False when the run is gone. */
static bool
keeper_append_one(const struct keeper_call *c)
{
	struct early_reply early = {c->reply, false, false};
	uint32_t len;
	char *text;
	json_t *record;
	unsigned char status = EXIT_FAIL;

	if (keeper_read(c->fd, &len, sizeof len) != sizeof len ||
	    len > RECORD_MAX)
		return false;
	text = xcalloc(len + 1, 1);
	if (keeper_read(c->fd, text, len) != len) {
		free(text);
		return false;
	}
	record = json_loadb(text, len, 0, NULL);
	free(text);
	if (record != NULL) {
		status = (unsigned char)audit_append_here(
		    c->r->audit_log, record, reply_durable, &early);
		json_decref(record);
	} else {
		warnx("run: a record for the audit log came torn");
	}
	if (early.sent)
		return !early.gone;
	return write_full(c->reply, &status, 1) == 0;
}

/* What the run told the keeper once the command started: its leader,
 * and whether it is in the cgroup ('c') or followed as subreaper ('s');
 * the keeper was forked before, when the run meant a cgroup. */
static void
keeper_learn(struct tracker *t, pid_t leader, char mode)
{
	t->leader = leader;
	if (mode != 'c' && t->mode == TRACK_CGROUP) {
		t->mode = TRACK_SUBREAPER;
		t->cgroup[0] = '\0';
	}
}

/* Let go at the run's end ('X', tracker_keeper_let_go): what the keeper
 * said after the run's last look at its notes (the anchor's move to the
 * outcome record, not synced) goes to the run's stderr, its standard
 * output; the run did not wait for it. */
static int
keeper_notes_forward(int fd)
{
	char buf[4096];
	off_t at;
	ssize_t n;

	if (keeper_read(fd, &at, sizeof at) != sizeof at)
		return EXIT_OK;
	while ((n = pread(STDERR_FILENO, buf, sizeof buf, at)) > 0) {
		at += n;
		if (write_full(STDOUT_FILENO, buf, (size_t)n) != 0)
			break;
	}
	return EXIT_OK;
}

/*
 * The keeper: a process of the run's that outlives it by an instant.
 * The run tells it the command's leader and the mode in force ('L'),
 * gives it audit records to
 * append ('A', so that an append costs no fork of its own), then
 * dismisses it ('x', waited for; 'X' at the run's end, not waited for:
 * it finishes the last record's anchor on its own); when the run dies
 * instead (its end of the pipe closes), it kills every descendant it
 * can reach and removes the run directory: nothing runs on with output
 * nobody masks. Its stdout is the run's stderr, for what it says after
 * an 'X'.
 */
static int
keeper_in_child(void *arg)
{
	struct keeper_call *c = arg;
	pid_t leader;
	char tag, mode;

	signals_ignore();
	/* a name of its own among the run's children (ps, a test) */
	prctl(PR_SET_NAME, "secenv-keeper", 0, 0, 0);
	/* the time zone a record's time is converted under (/etc/localtime,
	 * read at the first conversion) is read while the run fetches, not
	 * while it waits for its intent record */
	tzset();
	/* and the audit key and the log's tail (the first append's to
	 * read, else): the run's intent record waits on the append, not on
	 * the keeper's reading */
	if (c->r->audit)
		audit_preload(c->r->audit_log);
	while (keeper_read(c->fd, &tag, 1) == 1) {
		if (tag == 'x')
			return EXIT_OK; /* dismissed: the run ended as it should */
		if (tag == 'X')
			return keeper_notes_forward(c->fd);
		if (tag == 'L' &&
		    keeper_read(c->fd, &leader, sizeof leader) ==
		        sizeof leader &&
		    keeper_read(c->fd, &mode, 1) == 1)
			keeper_learn(c->t, leader, mode);
		else if (tag != 'A' || !keeper_append_one(c))
			break;
	}
	/* the run is gone: its children are orphans now, so what is left is
	 * the cgroup, or the command's group and session; its stderr is let
	 * go at once (a reader of it does not wait for the kills) */
	close(STDOUT_FILENO);
	c->t->run_pid = -1;
	for (int round = 0; round < 250 && tracker_signal(c->t, SIGKILL);
	     round++)
		pause_ms(20);
	/* killed processes leave the cgroup once reaped, by whoever now
	 * is their parent */
	for (int round = 0; c->t->mode == TRACK_CGROUP && round < 250 &&
	                    rmdir(c->t->cgroup) != 0 && errno == EBUSY;
	     round++)
		pause_ms(20);
	rundir_remove(c->r);
	return EXIT_OK;
}

/* The tracker whose keeper appends the run's records, or NULL. */
static struct tracker *appending;

/* How much of the keeper's notes was shown (its stderr shares the
 * file's offset, so it is read at a position of our own). */
static off_t notes_shown;

/* Start the keeper, outside the cgroup, before the command. It says
 * nothing on the caller's streams and holds none of them open (what it
 * says as auditlog goes to a file in memory the run passes on). */
void
tracker_keeper_start(struct tracker *t, const struct run *r)
{
	struct keeper_call c = {t, r, -1, -1};
	int fds[2], reply[2], keep[2];
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		err(EXIT_FAIL, "/dev/null");
	pipe_make(fds);
	pipe_make(reply);
	t->keeper_notes = memfd_make("secenv-keeper", 0);
	c.fd = keep[0] = fds[0];
	c.reply = keep[1] = reply[1];
	t->keeper = spawn_call("secenv", keeper_in_child, &c, null,
	                       STDERR_FILENO, t->keeper_notes, keep, 2, false);
	close(null);
	close(fds[0]);
	close(reply[1]);
	t->keeper_fd = fds[1];
	t->keeper_reply = reply[0];
	notes_shown = 0;
	appending = t;
}

/* The keeper learns the command's leader once it started, and whether
 * it is in the cgroup (it may not be: tracker_started). It learns it
 * before the command executes (command_release), so nothing the command
 * starts comes before. */
void
tracker_keeper_tell(const struct tracker *t)
{
	char tag = 'L', mode = t->mode == TRACK_CGROUP ? 'c' : 's';

	if (t->keeper_fd >= 0 &&
	    (write_full(t->keeper_fd, &tag, 1) != 0 ||
	     write_full(t->keeper_fd, &t->leader, sizeof t->leader) != 0 ||
	     write_full(t->keeper_fd, &mode, 1) != 0))
		warn("run: the keeper of the command's processes");
}

/* What the keeper said as auditlog since last time, on our stderr. */
static void
keeper_notes_show(struct tracker *t)
{
	char buf[4096];
	ssize_t n;

	while ((n = pread(t->keeper_notes, buf, sizeof buf, notes_shown)) > 0) {
		notes_shown += n;
		if (write_full(STDERR_FILENO, buf, (size_t)n) != 0)
			break;
	}
}

/*
 * Append a record (JSON text) through the keeper: true with its status
 * in *status, false when there is no keeper to do it (none yet, gone,
 * or dead), and then the caller forks an append of its own.
 */
bool
keeper_append(const char *text, size_t len, int *status)
{
	struct tracker *t = appending;
	uint32_t n = (uint32_t)len;
	unsigned char byte;
	char tag = 'A';

	if (t == NULL || t->keeper <= 0 || t->keeper_fd < 0 ||
	    len > RECORD_MAX)
		return false;
	if (write_full(t->keeper_fd, &tag, 1) != 0 ||
	    write_full(t->keeper_fd, &n, sizeof n) != 0 ||
	    write_full(t->keeper_fd, text, len) != 0 ||
	    keeper_read(t->keeper_reply, &byte, 1) != 1) {
		/* it died (a record it half-read is no record) */
		return false;
	}
	keeper_notes_show(t);
	*status = byte;
	return true;
}

/* The run ends as it should (or a --watch generation does): the keeper
 * goes without acting. */
void
tracker_keeper_dismiss(struct tracker *t)
{
	if (appending == t)
		appending = NULL;
	if (t->keeper > 0) {
		if (write(t->keeper_fd, "x", 1) != 1)
			kill(t->keeper, SIGKILL);
		wait_status(t->keeper);
		t->keeper = 0;
		/* what it said after its last reply (an anchor not moved) */
		keeper_notes_show(t);
	}
	if (t->keeper_fd >= 0)
		close(t->keeper_fd);
	if (t->keeper_reply >= 0)
		close(t->keeper_reply);
	if (t->keeper_notes >= 0)
		close(t->keeper_notes);
	t->keeper_fd = t->keeper_reply = t->keeper_notes = -1;
}

/* The run is over, its outcome record durable: the keeper is told so
 * and not waited for. It syncs the anchor's move to that record (which
 * the anchor announced: the log verifies either way) while the run
 * returns, says on the run's stderr what the run did not show of its
 * notes, and exits. */
void
tracker_keeper_let_go(struct tracker *t)
{
	char tag = 'X';

	if (appending == t)
		appending = NULL;
	if (t->keeper > 0 &&
	    (write_full(t->keeper_fd, &tag, 1) != 0 ||
	     write_full(t->keeper_fd, &notes_shown, sizeof notes_shown) != 0)) {
		/* gone already: then waited for, as a dismissal is */
		tracker_keeper_dismiss(t);
		return;
	}
	t->keeper = 0;
	fd_close(&t->keeper_fd);
	fd_close(&t->keeper_reply);
	fd_close(&t->keeper_notes);
}

/* The command is over: the cgroup, empty or released, is removed (the
 * keeper stays for the outcome record, tracker_keeper_let_go). */
void
tracker_close(struct tracker *t)
{
	if (t->mode == TRACK_CGROUP && t->cgroup[0] != '\0') {
		for (int round = 0;
		     round < 250 && rmdir(t->cgroup) != 0 && errno == EBUSY;
		     round++)
			pause_ms(20);
		t->cgroup[0] = '\0';
	}
}

/* The masking process's inputs, for masks_stop_arm(). */
static int stop_fds[4];
static size_t stop_count;

static void
interrupt_only(int sig)
{
	(void)sig;
}

/* In the masking process, on SIGUSR2 from the run: its inputs become
 * /dev/null, and every other thread's read is interrupted, so each
 * stream reads an end, flushes what it holds (masked) and finishes. The
 * writers of the pipes (processes the run could not reach) keep pipes
 * nobody reads any more. */
static void *
masks_stop_main(void *arg)
{
	sigset_t set;
	DIR *d;
	struct dirent *e;
	int sig, null;
	pid_t self = (pid_t)syscall(SYS_gettid);

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	while (sigwait(&set, &sig) != 0)
		;
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	for (size_t i = 0; i < stop_count; i++)
		dup2(null, stop_fds[i]);
	close(null);
	if ((d = opendir("/proc/self/task")) == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atol(e->d_name);

		if (tid > 0 && tid != self)
			syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	}
	closedir(d);
	return NULL;
}

/* In the masking process, before its streams: a SIGUSR2 makes it finish
 * what it has and stop, whatever still holds the other end of its
 * inputs (the run sends it when it cannot wait any longer). */
void
masks_stop_arm(const int *in_fds, size_t count)
{
	struct sigaction sa = {.sa_handler = interrupt_only};
	sigset_t set;

	stop_count = count < 4 ? count : 4;
	memcpy(stop_fds, in_fds, stop_count * sizeof *in_fds);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: a read returns */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* The thread that acts on the SIGUSR2 masks_stop_arm() blocked: started
 * once the command is masked for the record, off the intent record's
 * path (a SIGUSR2 that came before waits, blocked, and stops the streams
 * as soon as they start). */
void
masks_stop_start(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, masks_stop_main, NULL) != 0)
		errx(EXIT_FAIL, "cannot start a thread");
	pthread_detach(thread);
}
