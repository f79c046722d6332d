/* SPDX-License-Identifier: ISC */
/* The owner's verbs: init, put, import, list, rm, revoke, unrevoke. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cache.h"
#include "dotenv.h"
#include "exitcodes.h"
#include "keys.h"
#include "revoke.h"
#include "secmem.h"
#include "util.h"
#include "vaultfetch.h"

/* The largest .env file import reads. */
#define IMPORT_MAX (16u * 1024 * 1024)

const char *
vaultfetch_backend_spec(const struct vaultfetch_options *o)
{
	const char *spec = o->backend;

	if (spec == NULL || *spec == '\0')
		spec = getenv("SECENV_BACKEND");
	return spec == NULL || *spec == '\0' ? "file" : spec;
}

int
vaultfetch_backend(const struct vaultfetch_options *o, const char *home, struct backend *b)
{
	return backend_open(b, vaultfetch_backend_spec(o), home);
}

static void
backend_done(struct backend *b)
{
	if (b->close != NULL)
		b->close(b);
}

static int
refuse_operation(const struct backend *b, const char *verb)
{
	warnx("backend %s cannot %s", b->name ? b->name : "?", verb);
	return EXIT_USAGE;
}

/* Hand a set to the backend; on success the cached blobs are stale. */
static int
store_set(const struct vaultfetch_options *o, const char *home, const char *project,
          const struct secretset *set)
{
	struct backend b;
	int status = vaultfetch_backend(o, home, &b);

	if (status != EXIT_OK)
		return status;
	if (b.put == NULL)
		status = refuse_operation(&b, "put");
	else
		status = b.put(&b, project, set);
	backend_done(&b);
	if (status == EXIT_OK && cache_forget_project(project) == -1)
		status = EXIT_FAIL;
	return status;
}

int
cmd_init(const char *home)
{
	const char *what = home;

	if (keys_init(home, &what) == -1) {
		warn("%s", what ? what : home);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int
cmd_put(const struct vaultfetch_options *o, const char *home, const char *project,
        const char *name)
{
	unsigned char *value;
	size_t len;
	int status;

	/* One byte over the limit, for the newline that is dropped. */
	if (read_all(STDIN_FILENO, VALUE_MAX + 1, true, &value, &len) == -1) {
		if (errno == EFBIG) {
			warnx("secret %s: value over %u bytes", name,
			      VALUE_MAX);
			return EXIT_USAGE;
		}
		warn("secret %s: reading the value from stdin", name);
		return EXIT_FAIL;
	}
	if (!o->raw && len > 0 && value[len - 1] == '\n')
		len--;
	if (len > VALUE_MAX) {
		warnx("secret %s: value over %u bytes", name, VALUE_MAX);
		secmem_free(value);
		return EXIT_USAGE;
	}
	if (memchr(value, '\0', len) != NULL) {
		warnx("secret %s: value holds a NUL byte", name);
		secmem_free(value);
		return EXIT_USAGE;
	}
	struct secretset *set = secretset_new();
	if (secretset_add(set, name, value, len, false, 0) == -1) {
		warn("secret %s", name);
		secmem_free(value);
		secretset_free(set);
		return EXIT_FAIL;
	}
	secmem_free(value);
	status = store_set(o, home, project, set);
	secretset_free(set);
	return status;
}

int
cmd_import(const struct vaultfetch_options *o, const char *home, const char *project,
           const char *file)
{
	const char *path = file ? file : "-";
	const char *label = strcmp(path, "-") == 0 ? "stdin" : path;
	unsigned char *text;
	size_t len;
	int status;

	if (read_path(path, IMPORT_MAX, true, &text, &len) == -1) {
		if (errno == EFBIG) {
			warnx("%s: larger than %u bytes", printable(label),
			      IMPORT_MAX);
			return EXIT_USAGE;
		}
		warn("%s", printable(label));
		return EXIT_FAIL;
	}
	struct secretset *set = secretset_new();
	status = dotenv_parse(text, len, label, set);
	secmem_free(text);
	if (status == EXIT_OK && set->count == 0)
		warnx("%s: no variables to import", printable(label));
	else if (status == EXIT_OK)
		status = store_set(o, home, project, set);
	secretset_free(set);
	return status;
}

static const char *
utc_time(uint64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return "-";
	return buf;
}

/*
 * What a value looks like, for its owner: a type prefix (a URL's scheme,
 * or letters up to the last "_" or "-" of a short lead such as
 * "sk_test_"), its length and, from 12 bytes on, its last 4 characters
 * (non-printable ones as "?"). Never more of it.
 */
static void
print_hint(const struct secret *s)
{
	const char *v = (const char *)s->value;
	size_t len = s->len, prefix = 0;
	char last[5] = "-";
	const char *scheme = memmem(v, len, "://", 3);

	if (scheme != NULL && scheme - v <= 16)
		prefix = (size_t)(scheme - v) + 3;
	for (size_t i = 0; scheme == NULL && i < len && i < 16; i++) {
		if (v[i] == '_' || v[i] == '-')
			prefix = i + 1;
		else if (!((v[i] >= 'a' && v[i] <= 'z') ||
		           (v[i] >= 'A' && v[i] <= 'Z') ||
		           (v[i] >= '0' && v[i] <= '9')))
			break;
	}
	if (prefix + 8 > len)
		prefix = 0;
	if (len >= 12) {
		for (size_t i = 0; i < 4; i++) {
			unsigned char c = (unsigned char)v[len - 4 + i];
			last[i] = c >= 0x21 && c < 0x7f ? (char)c : '?';
		}
		last[4] = '\0';
	}
	printf("\t%.*s%s\t%zu bytes\t%s%s", (int)prefix, v,
	       prefix > 0 ? "\xe2\x80\xa6" : "-", len,
	       len >= 12 ? "\xe2\x80\xa6" : "", last);
	sodium_memzero(last, sizeof(last));
}

int
cmd_list(const struct vaultfetch_options *o, const char *home, const char *project)
{
	struct backend b;
	struct secret_info *info = NULL;
	struct secretset *values = NULL;
	size_t count = 0;
	char when[32], versions[16];
	int status = vaultfetch_backend(o, home, &b);

	if (status != EXIT_OK)
		return status;
	if (b.list == NULL)
		status = refuse_operation(&b, "list");
	else
		status = b.list(&b, project, &info, &count);
	if (status == EXIT_OK && o->hints) {
		values = secretset_new();
		if (b.fetch == NULL)
			status = refuse_operation(&b, "list --hints");
		else
			status = b.fetch(&b, project, values);
	}
	backend_done(&b);
	for (size_t i = 0; status == EXIT_OK && i < count; i++) {
		const struct secret *s =
		    values != NULL ? secretset_find(values, info[i].name)
		                   : NULL;

		if (info[i].versions > 0)
			snprintf(versions, sizeof(versions), "%u",
			         info[i].versions);
		else
			strcpy(versions, "-");
		printf("%s\t%s\t%s", info[i].name, versions,
		       utc_time(info[i].changed_ms, when, sizeof(when)));
		if (s != NULL)
			print_hint(s);
		putchar('\n');
	}
	if (values != NULL)
		secretset_free(values);
	secret_info_free(info, count);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return EXIT_FAIL;
	}
	return status;
}

int
vaultfetch_names(const struct vaultfetch_options *o, const char *home,
                 const char *project, char ***names, size_t *count)
{
	struct backend b;
	struct secret_info *info = NULL;
	size_t n = 0;
	int status = vaultfetch_backend(o, home, &b);

	*names = NULL;
	*count = 0;
	if (status != EXIT_OK)
		return status;
	if (b.list == NULL)
		status = refuse_operation(&b, "list");
	else
		status = b.list(&b, project, &info, &n);
	backend_done(&b);
	if (status == EXIT_OK) {
		*names = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++) {
			(*names)[i] = info[i].name; /* taken over */
			info[i].name = NULL;
		}
		*count = n;
	}
	secret_info_free(info, n);
	return status;
}

void
vaultfetch_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int
vaultfetch_names_write(const struct vaultfetch_options *o, const char *home,
                       const char *project, int out)
{
	char **names, *all = NULL;
	size_t count, len = 0;
	int status = vaultfetch_names(o, home, project, &names, &count);

	/* One write, not one a name: the reader wakes once. */
	for (size_t i = 0; status == EXIT_OK && i < count; i++)
		len += strlen(names[i]) + 1;
	if (status == EXIT_OK && len > 0 && (all = malloc(len)) == NULL) {
		warn("memory");
		status = EXIT_FAIL;
	}
	for (size_t i = 0, at = 0; all != NULL && i < count; i++) {
		size_t n = strlen(names[i]) + 1;

		memcpy(all + at, names[i], n);
		at += n;
	}
	if (all != NULL && write_full(out, all, len) != 0) {
		warn("stdout");
		status = EXIT_FAIL;
	}
	free(all);
	vaultfetch_names_free(names, count);
	return status;
}

int
cmd_rm(const struct vaultfetch_options *o, const char *home, const char *project,
       const char *name)
{
	struct backend b;
	int status = vaultfetch_backend(o, home, &b);

	if (status != EXIT_OK)
		return status;
	if (b.rm == NULL)
		status = refuse_operation(&b, "rm");
	else
		status = b.rm(&b, project, name);
	backend_done(&b);
	if (status == EXIT_OK && cache_forget_project(project) == -1)
		status = EXIT_FAIL;
	return status;
}

int
vaultfetch_revoke(const char *home, const char *project)
{
	if (revoke_set(home, project, now_ms()) == -1) {
		warn("revoke %s: the revocation is NOT recorded: its blobs and "
		     "new runs are not refused",
		     project);
		return EXIT_FAIL;
	}
	return cache_forget_project(project) == -1 ? EXIT_FAIL : EXIT_OK;
}

int
cmd_unrevoke(const char *home, const char *project)
{
	if (revoke_clear(home, project, now_ms()) == -1) {
		warn("unrevoke %s", project);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
