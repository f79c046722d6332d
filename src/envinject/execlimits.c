/* SPDX-License-Identifier: ISC */
/* What execve(2) would refuse with E2BIG, refused first with a message that
 * says why. */
#include <err.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "envinject.h"
#include "names.h"
#include "util.h"

/* The kernel's _STK_LIM (8 MiB): strings never get more than 3/4 of it. */
#define KERNEL_STACK_LIMIT (8UL * 1024 * 1024)
/* The kernel's ARG_MAX (32 pages of 4 KiB), the least it ever allows;
 * glibc hides the macro because the real limit follows the stack. */
#define KERNEL_ARG_MIN (128UL * 1024)
/* Room for what exec adds on its own: the file name, a script's
 * interpreter and its argument. */
#define EXEC_SLACK (2UL * PATH_MAX)

/* MAX_ARG_STRLEN: one argument or environment string, with its NUL. */
static size_t
string_limit(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return 32 * (size_t)(page > 0 ? page : 4096);
}

/* fs/exec.c bprm_stack_limits(): a quarter of the stack limit, at most
 * 3/4 of _STK_LIM, never less than ARG_MAX; pointers count too. */
static size_t
total_limit(void)
{
	struct rlimit stack;
	size_t limit = KERNEL_STACK_LIMIT / 4 * 3;

	if (getrlimit(RLIMIT_STACK, &stack) == 0 &&
	    stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur / 4 < limit)
		limit = stack.rlim_cur / 4;
	if (limit < KERNEL_ARG_MIN)
		limit = KERNEL_ARG_MIN;
	return limit;
}

/* The name part of an environment string, for a message (names are
 * not secret; the value is never looked at). */
static const char *
entry_name(const char *entry)
{
	static char name[NAME_MAX_LEN + 1];
	size_t len = strcspn(entry, "=");

	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	memcpy(name, entry, len);
	name[len] = '\0';
	return printable(name);
}

int
exec_limits_check(char *const argv[], char *const envp[])
{
	size_t one = string_limit(), all = total_limit();
	size_t total = EXEC_SLACK, len, largest = 0, count = 0, i;
	const char *largest_entry = NULL;

	for (i = 0; envp[i] != NULL; i++, count++) {
		len = strlen(envp[i]) + 1;
		if (len > one) {
			warnx("variable %s is %zu bytes, over the kernel's "
			      "limit of %zu bytes for one environment string",
			      entry_name(envp[i]), len - 1, one - 1);
			return -1;
		}
		if (len > largest) {
			largest = len;
			largest_entry = envp[i];
		}
		total += len;
	}
	for (i = 0; argv[i] != NULL; i++, count++)
		total += strlen(argv[i]) + 1;
	total += (count + 1) * sizeof(char *);
	if (total > all) {
		warnx("environment and arguments need %zu bytes, over the "
		      "kernel's limit of %zu for exec (a quarter of the stack "
		      "limit, see ulimit -s); largest variable: %s (%zu bytes)",
		      total, all,
		      largest_entry ? entry_name(largest_entry) : "none",
		      largest ? largest - 1 : 0);
		return -1;
	}
	return 0;
}
