/* SPDX-License-Identifier: ISC */
/* envinject's credential patterns, and its exec limits checked against the
 * kernel's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "envinject/envinject.h"

#include "tap.h"

static const char *const withheld[] = {
    "SECENV_HOME",
    "SECENV_BACKEND",
    "VAULT_TOKEN",
    "VAULT_ADDR",
    "VAULT_WRAPPING_TOKEN",
    "BAO_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_CLIENT_CERTIFICATE",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "MSI_SECRET",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE",
    "OP_SESSION_my",
    "DOPPLER_TOKEN",
};

static const char *const passed[] = {
    "PATH",
    "HOME",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_AUTHORITY_HOST",
    "AWS_REGION",
    "AWS_PROFILE",
    "MY_VAULT_TOKEN", /* not a client's variable: the prefix is anchored */
    "SECENV",
    "DATABASE_URL",
    "STRIPE_SECRET_KEY",
};

static void
test_credentials(void)
{
	size_t i;

	for (i = 0; i < sizeof(withheld) / sizeof(*withheld); i++)
		tap_ok(env_is_credential(withheld[i], strlen(withheld[i])),
		       "%s is withheld", withheld[i]);
	for (i = 0; i < sizeof(passed) / sizeof(*passed); i++)
		tap_ok(!env_is_credential(passed[i], strlen(passed[i])),
		       "%s is passed on", passed[i]);
	/* The name ends at '=': what follows is the value, never looked at. */
	tap_ok(!env_is_credential("PATH=VAULT_TOKEN", 4),
	       "only the name part is matched");
}

/* "NAME=" followed by len - strlen(NAME) - 1 bytes of 'x': len chars. */
static char *
entry_of_length(const char *name, size_t len)
{
	size_t nlen = strlen(name);
	char *e = malloc(len + 1);

	if (e == NULL)
		abort();
	memcpy(e, name, nlen);
	e[nlen] = '=';
	memset(e + nlen + 1, 'x', len - nlen - 1);
	e[len] = '\0';
	return e;
}

/* What the kernel says: 0 when execve of /bin/true with envp succeeds. */
static int
kernel_accepts(char *const envp[])
{
	char *argv[] = {"true", NULL};
	int status, pipefd[2], child_errno = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		execve("/bin/true", argv, envp);
		child_errno = errno;
		if (write(pipefd[1], &child_errno, sizeof child_errno) < 0)
			_exit(2);
		_exit(1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &child_errno, sizeof child_errno) <= 0)
		child_errno = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return child_errno == 0 ? 0 : -1;
}

/* exec_limits_check with its message sent to a file we can read. */
static int
check_quietly(char *const argv[], char *const envp[], char *msg, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO), rc;
	size_t n;

	if (tmp == NULL || saved < 0)
		abort();
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	rc = exec_limits_check(argv, envp);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(msg, 1, size - 1, tmp);
	msg[n] = '\0';
	fclose(tmp);
	return rc;
}

static void
test_string_limit(void)
{
	char *argv[] = {"true", NULL}, msg[512];
	char *envp[2] = {NULL, NULL};
	size_t limit = 32 * (size_t)sysconf(_SC_PAGESIZE);

	/* The longest string the kernel takes is limit - 1 chars + NUL. */
	envp[0] = entry_of_length("BIG_VALUE", limit - 1);
	tap_ok(check_quietly(argv, envp, msg, sizeof msg) == 0 && *msg == '\0',
	       "a %zu-byte string passes", limit - 1);
	tap_ok(kernel_accepts(envp) == 0, "and the kernel takes it");
	free(envp[0]);
	envp[0] = entry_of_length("BIG_VALUE", limit);
	tap_ok(check_quietly(argv, envp, msg, sizeof msg) == -1,
	       "a %zu-byte string is refused", limit);
	tap_ok(strstr(msg, "variable BIG_VALUE is ") != NULL &&
	           strstr(msg, "xxxx") == NULL,
	       "naming the variable, not its value: %.100s", msg);
	tap_ok(kernel_accepts(envp) == -1, "as the kernel would");
	free(envp[0]);
}

/*
 * With the stack limit at 256 KiB the kernel takes 128 KiB of strings
 * and pointers. Whatever the check accepts, the kernel must take; and
 * the check may refuse no more than its slack below the kernel's edge.
 */
static void
test_total_limit(void)
{
	struct rlimit old, small = {256 * 1024, 256 * 1024};
	char *argv[] = {"true", NULL}, msg[512];
	char *envp[3] = {NULL, NULL, NULL};
	size_t lo = 1000, hi = 100000, mid, checked = 0, kernel = 0;

	if (getrlimit(RLIMIT_STACK, &old) != 0)
		abort();
	small.rlim_max = old.rlim_max;
	if (setrlimit(RLIMIT_STACK, &small) != 0)
		abort();
	envp[0] = entry_of_length("FIRST", 64 * 1024);
	/* The largest second string each side accepts, by bisection. */
	for (int pass = 0; pass < 2; pass++) {
		lo = 1000, hi = 100000;
		while (lo + 1 < hi) {
			int ok;

			mid = (lo + hi) / 2;
			envp[1] = entry_of_length("LARGEST", mid);
			ok = pass == 0 ? check_quietly(argv, envp, msg,
			                               sizeof msg) == 0
			               : kernel_accepts(envp) == 0;
			free(envp[1]);
			if (ok)
				lo = mid;
			else
				hi = mid;
		}
		*(pass == 0 ? &checked : &kernel) = lo;
	}
	tap_ok(checked <= kernel,
	       "what the check accepts the kernel takes (%zu <= %zu)", checked,
	       kernel);
	tap_ok(kernel - checked <= 3 * 4096,
	       "the check refuses at most 12 KiB early (%zu bytes)",
	       kernel - checked);
	envp[1] = entry_of_length("LARGEST", 65 * 1024);
	tap_ok(check_quietly(argv, envp, msg, sizeof msg) == -1 &&
	           strstr(msg, "largest variable: LARGEST (66560 bytes)") !=
	               NULL,
	       "the total refused names the largest variable: %.200s", msg);
	free(envp[1]);
	free(envp[0]);
	setrlimit(RLIMIT_STACK, &old);
}

int
main(void)
{
	test_credentials();
	test_string_limit();
	test_total_limit();
	return tap_done();
}
