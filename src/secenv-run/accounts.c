// SPDX-License-Identifier: ISC
/*
 * The accounts of a static secenv-run, from /etc/passwd and /etc/group
 * alone. build.mk links this file into the static build only, with
 * -Wl,--wrap=getpwnam,--wrap=initgroups, so the linked code's
 * getpwnam() and initgroups() (--as's check, and envinject's switch in
 * the command's process) come here: glibc's own go through NSS, which
 * loads another source's module (systemd's, sss, ldap) with the dynamic
 * loader a static program lacks.
 */
#include <errno.h>
#include <stdbool.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct passwd *__wrap_getpwnam(const char *name);
int __wrap_initgroups(const char *user, gid_t group);

/* getpwnam(3) over /etc/passwd: NULL when no line names the user (errno
 * set when the file cannot be read). */
struct passwd *
__wrap_getpwnam(const char *name)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw;
	int saved = errno;

	if (f == NULL)
		return NULL;
	while ((pw = fgetpwent(f)) != NULL && strcmp(pw->pw_name, name) != 0)
		;
	fclose(f);
	if (pw == NULL && errno == ENOENT)
		errno = saved; /* the end of the file: no such user */
	return pw;
}

/* initgroups(3) over /etc/group: group, and each group that lists user,
 * as the supplementary groups (up to the system's limit). */
int
__wrap_initgroups(const char *user, gid_t group)
{
	long max = sysconf(_SC_NGROUPS_MAX);
	size_t cap = max > 0 ? (size_t)max : 65536, n = 0;
	gid_t *list = malloc(cap * sizeof(*list));
	FILE *f = fopen("/etc/group", "re");
	struct group *gr;
	int r = -1;

	if (list == NULL || f == NULL)
		goto out;
	list[n++] = group;
	while ((gr = fgetgrent(f)) != NULL && n < cap) {
		bool member = false;

		for (char **m = gr->gr_mem; *m != NULL && !member; m++)
			member = strcmp(*m, user) == 0;
		for (size_t k = 0; k < n && member; k++)
			member = list[k] != gr->gr_gid;
		if (member)
			list[n++] = gr->gr_gid;
	}
	r = setgroups(n, list);
out:
	if (f != NULL)
		fclose(f);
	free(list);
	return r;
}
