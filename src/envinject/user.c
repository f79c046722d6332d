/* SPDX-License-Identifier: ISC */
/* -u USER: become an unprivileged user, for good, before exec. */
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "envinject.h"
#include "exitcodes.h"
#include "util.h"

void
user_lookup(const char *name, struct target_user *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		errx(EXIT_FAIL, "-u %s: only root can change user",
		     printable(name));
	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL) {
		if (errno != 0)
			err(EXIT_FAIL, "user %s", printable(name));
		errx(EXIT_USAGE, "user %s: no such user", printable(name));
	}
	user->name = strdup(pw->pw_name);
	user->home = strdup(pw->pw_dir);
	if (user->name == NULL || user->home == NULL)
		err(EXIT_FAIL, "user %s", printable(name));
	user->uid = pw->pw_uid;
	user->gid = pw->pw_gid;
}

/* After the switch nothing of root's may remain: not in the real,
 * effective or saved ids, and setting them back must fail. */
static int
verify_switched(const struct target_user *user)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	if (getresuid(&ruid, &euid, &suid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0) {
		warn("user %s: getresuid", printable(user->name));
		return -1;
	}
	if (ruid != user->uid || euid != user->uid || suid != user->uid ||
	    rgid != user->gid || egid != user->gid || sgid != user->gid) {
		warnx("user %s: ids did not change", printable(user->name));
		return -1;
	}
	if (user->uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		warnx("user %s: root could be regained", printable(user->name));
		return -1;
	}
	if (user->uid != 0 && user->gid != 0 &&
	    (setgid(0) != -1 || setegid(0) != -1)) {
		warnx("user %s: group root could be regained",
		      printable(user->name));
		return -1;
	}
	return 0;
}

int
user_switch(const struct target_user *user)
{
	const char *step = NULL;

	if (initgroups(user->name, user->gid) != 0)
		step = "initgroups";
	else if (setresgid(user->gid, user->gid, user->gid) != 0)
		step = "setresgid";
	else if (setresuid(user->uid, user->uid, user->uid) != 0)
		step = "setresuid";
	/* Changing ids resets the dumpable flag to fs.suid_dumpable; until
	 * exec the values are in memory that the new user must not read
	 * through ptrace or /proc/PID/mem. */
	else if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		step = "prctl PR_SET_DUMPABLE";
	if (step != NULL) {
		warn("user %s: %s", printable(user->name), step);
		return -1;
	}
	return verify_switched(user);
}
