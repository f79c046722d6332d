/* SPDX-License-Identifier: ISC */
/* The commands' process groups: telling one from a later one, seeing whether
 * anything of it still runs, stopping all of it, or many at once. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

/* The fields of /proc/PID/stat after "(comm) ", which may hold anything. */
static bool
proc_stat_fields(pid_t pid, char *buf, size_t size, const char **fields)
{
	char path[64];
	const char *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read_full(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	if (close_paren == NULL || close_paren[1] != ' ')
		return false;
	*fields = close_paren + 2;
	return true;
}

/* Field 3 onwards, split: state is fields[0], pgrp fields[2],
 * starttime fields[19]. */
static size_t
split_fields(const char *text, const char *out[], size_t max)
{
	size_t count = 0;

	while (*text != '\0' && count < max) {
		out[count++] = text;
		text = strchr(text, ' ');
		if (text == NULL)
			break;
		text++;
	}
	return count;
}

/* pid's start time in clock ticks since boot (field 22): with the pid,
 * it tells a process from a later one that reuses the number. */
bool
proc_start_time(pid_t pid, unsigned long long *start)
{
	char buf[1024];
	const char *rest, *f[20];

	if (!proc_stat_fields(pid, buf, sizeof buf, &rest) ||
	    split_fields(rest, f, 20) < 20)
		return false;
	*start = strtoull(f[19], NULL, 10);
	return true;
}

/* A member of the group that is not a zombie: orphaned zombies may
 * linger where init does not reap them, and cannot be stopped anyway. */
static bool
group_alive(pid_t pgid)
{
	DIR *d;
	struct dirent *e;
	bool alive = false;

	if (kill(-pgid, 0) != 0)
		return false;
	d = opendir("/proc");
	if (d == NULL)
		return true;
	while (!alive && (e = readdir(d)) != NULL) {
		char buf[1024];
		const char *rest, *f[3];

		if (!isdigit((unsigned char)e->d_name[0]) ||
		    !proc_stat_fields((pid_t)atol(e->d_name), buf, sizeof buf,
		                      &rest) ||
		    split_fields(rest, f, 3) < 3)
			continue;
		alive = atol(f[2]) == (long)pgid && f[0][0] != 'Z' &&
		        f[0][0] != 'X';
	}
	closedir(d);
	return alive;
}

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Whether any of the count groups still has a live member. */
static bool
any_alive(const pid_t *pgids, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (group_alive(pgids[i]))
			return true;
	return false;
}

static void
signal_all(const pid_t *pgids, size_t count, int sig)
{
	for (size_t i = 0; i < count; i++)
		if (group_alive(pgids[i]))
			kill(-pgids[i], sig);
}

/* Wait up to ms for every group to be gone; true when they are. */
static bool
all_gone_within(const pid_t *pgids, size_t count, long ms)
{
	for (long waited = 0; any_alive(pgids, count); waited += 20) {
		if (waited >= ms)
			return false;
		pause_ms(20);
	}
	return true;
}

/* group_stop() for count groups at once: TERM to all, one grace period
 * shared by all, then KILL to all that are left; on return all are gone.
 * However many they are, none runs more than the grace period on. */
void
groups_stop(const pid_t *pgids, size_t count)
{
	signal_all(pgids, count, SIGTERM);
	if (all_gone_within(pgids, count, KILL_GRACE_MS))
		return;
	signal_all(pgids, count, SIGKILL);
	all_gone_within(pgids, count, KILL_GRACE_MS);
}

/* TERM, then KILL after the grace period; on return the group is gone
 * (KILL is not delivered synchronously, so that is waited for too). */
void
group_stop(pid_t pgid)
{
	groups_stop(&pgid, 1);
}
