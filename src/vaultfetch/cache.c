/* SPDX-License-Identifier: ISC */
/* The blob cache and the per-project fetch limit, under the runtime dir. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "blob.h"
#include "cache.h"
#include "exitcodes.h"
#include "paths.h"
#include "util.h"

/*
 * cache/PROJECT@ID holds "secenv-cache 1 FETCHED_MS\n" then the sealed
 * blob; rate/PROJECT@ID one line per backend fetch (milliseconds since
 * the epoch). '@' cannot occur in a project id, so one project's files
 * never match another's prefix. cache/PROJECT~changed holds the time of
 * the project's last change through vaultfetch: a blob fetched before it
 * is out of date, even one a fetch racing with the change saved later.
 */
#define CACHE_MAGIC "secenv-cache 1 "
#define HOUR_MS (3600u * 1000)
#define RATE_FILE_MAX (1024u * 1024)
#define STEM_ID_BYTES 8

/* Settings that decide which vault a backend talks to (never secrets). */
static const char *const backend_settings[] = {
    "SECENV_AZURE_VAULT_URL", "AZURE_KEY_VAULT_URL", "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",        "VAULT_ADDR",          "VAULT_NAMESPACE",
    "SECENV_VAULT_MOUNT",     "SECENV_VAULT_PREFIX",
};

void
cache_stem(const char *home, const char *backend_spec, const char *project,
           char stem[CACHE_STEM_MAX])
{
	crypto_generichash_state st;
	unsigned char id[STEM_ID_BYTES];
	char hex[2 * STEM_ID_BYTES + 1];

	crypto_generichash_init(&st, NULL, 0, sizeof(id));
	crypto_generichash_update(&st, (const unsigned char *)home,
	                          strlen(home) + 1);
	crypto_generichash_update(&st, (const unsigned char *)backend_spec,
	                          strlen(backend_spec) + 1);
	for (size_t i = 0;
	     i < sizeof(backend_settings) / sizeof(backend_settings[0]); i++) {
		const char *v = getenv(backend_settings[i]);
		if (v == NULL)
			v = "";
		crypto_generichash_update(&st, (const unsigned char *)v,
		                          strlen(v) + 1);
	}
	crypto_generichash_final(&st, id, sizeof(id));
	sodium_bin2hex(hex, sizeof(hex), id, sizeof(id));
	snprintf(stem, CACHE_STEM_MAX, "%s@%s", project, hex);
}

/* runtime/SUB, created; -1 after a message. */
static int
runtime_subdir(const char *sub, char *dir, size_t size)
{
	path_join(dir, size, secenv_runtime_dir(), sub);
	if (dir_ensure(dir) == -1) {
		warn("%s", dir);
		return -1;
	}
	return 0;
}

static void
changed_path(const char *dir, const char *project, char *path, size_t size)
{
	char name[PROJECT_MAX_LEN + 16];

	snprintf(name, sizeof(name), "%s~changed", project);
	path_join(path, size, dir, name);
}

/* When the project last changed through vaultfetch; 0 if unknown. */
static uint64_t
project_changed_ms(const char *dir, const char *stem)
{
	char project[PROJECT_MAX_LEN + 1], path[PATH_MAX];
	unsigned char *buf;
	size_t n, plen = strcspn(stem, "@");
	uint64_t t = 0;

	if (plen > PROJECT_MAX_LEN)
		return UINT64_MAX;
	memcpy(project, stem, plen);
	project[plen] = '\0';
	changed_path(dir, project, path, sizeof(path));
	if (read_path(path, 64, false, &buf, &n) == -1)
		return 0;
	buf[strcspn((char *)buf, "\n")] = '\0';
	if (!parse_u64((char *)buf, &t))
		t = UINT64_MAX; /* unreadable: trust no cached blob */
	free(buf);
	return t;
}

int
cache_load(const char *stem, unsigned char **blob, size_t *len,
           uint64_t *fetched_ms)
{
	char dir[PATH_MAX], path[PATH_MAX], number[24];
	unsigned char *buf, *nl;
	size_t n, magic = strlen(CACHE_MAGIC);

	if (runtime_subdir("cache", dir, sizeof(dir)) == -1)
		return -1;
	path_join(path, sizeof(path), dir, stem);
	if (read_path(path, BLOB_MAX + 64, false, &buf, &n) == -1)
		return -1;
	nl = memchr(buf, '\n', n < 64 ? n : 64);
	if (nl == NULL || (size_t)(nl - buf) <= magic ||
	    (size_t)(nl - buf) - magic >= sizeof(number) ||
	    memcmp(buf, CACHE_MAGIC, magic) != 0) {
		free(buf);
		return -1;
	}
	memcpy(number, buf + magic, (nl - buf) - magic);
	number[(nl - buf) - magic] = '\0';
	if (!parse_u64(number, fetched_ms) ||
	    *fetched_ms <= project_changed_ms(dir, stem)) {
		free(buf);
		return -1;
	}
	*len = n - (nl + 1 - buf);
	memmove(buf, nl + 1, *len);
	*blob = buf;
	return 0;
}

void
cache_save(const char *stem, const unsigned char *blob, size_t len,
           uint64_t fetched_ms)
{
	char dir[PATH_MAX], path[PATH_MAX], head[64];
	unsigned char *buf;
	int hlen;

	if (runtime_subdir("cache", dir, sizeof(dir)) == -1)
		return;
	path_join(path, sizeof(path), dir, stem);
	hlen = snprintf(head, sizeof(head), CACHE_MAGIC "%llu\n",
	                (unsigned long long)fetched_ms);
	if ((buf = malloc(hlen + len)) == NULL) {
		warn("cache %s", path);
		return;
	}
	memcpy(buf, head, hlen);
	memcpy(buf + hlen, blob, len);
	if (atomic_write(path, buf, hlen + len) == -1)
		warn("cache %s", path);
	free(buf);
}

int
cache_forget_stem(const char *stem)
{
	char dir[PATH_MAX], path[PATH_MAX];

	if (runtime_subdir("cache", dir, sizeof(dir)) == -1)
		return -1;
	path_join(path, sizeof(path), dir, stem);
	if (unlink(path) == -1 && errno != ENOENT) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

int
cache_forget_project(const char *project)
{
	char dir[PATH_MAX], path[PATH_MAX], prefix[PROJECT_MAX_LEN + 2];
	char stamp[24];
	struct dirent *d;
	DIR *dp;
	int status = 0, n;

	if (runtime_subdir("cache", dir, sizeof(dir)) == -1)
		return -1;
	changed_path(dir, project, path, sizeof(path));
	n = snprintf(stamp, sizeof(stamp), "%llu\n",
	             (unsigned long long)now_ms());
	if (atomic_write(path, stamp, n) == -1) {
		warn("%s", path);
		return -1;
	}
	/* Masker images are named by a keyed hash of the values: any of
	 * them may hold the project's. */
	if (runtime_files_remove(RUNTIME_IMAGES) != 0) {
		warn("%s/%s", secenv_runtime_dir(), RUNTIME_IMAGES);
		status = -1;
	}
	snprintf(prefix, sizeof(prefix), "%s@", project);
	if ((dp = opendir(dir)) == NULL) {
		warn("%s", dir);
		return -1;
	}
	while ((d = readdir(dp)) != NULL) {
		/* Only PROJECT@ID itself: a writer's temporary file (ID then
		 * ".tmp.") is left to its rename, which the ~changed stamp
		 * makes harmless. */
		if (strncmp(d->d_name, prefix, strlen(prefix)) != 0 ||
		    strlen(d->d_name + strlen(prefix)) != 2 * STEM_ID_BYTES)
			continue;
		if (unlinkat(dirfd(dp), d->d_name, 0) == -1 &&
		    errno != ENOENT) {
			warn("%s/%s", dir, d->d_name);
			status = -1;
		}
	}
	closedir(dp);
	return status;
}

/* The fetch times of the last hour, oldest first as written. */
static size_t
recent_fetches(const char *path, uint64_t now, uint64_t *times, size_t cap)
{
	unsigned char *buf;
	size_t len, count = 0;
	char *line, *save = NULL;
	uint64_t t;

	if (read_path(path, RATE_FILE_MAX, false, &buf, &len) == -1)
		return 0; /* none yet, or unreadable: start afresh */
	for (line = strtok_r((char *)buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!parse_u64(line, &t) || t + HOUR_MS <= now)
			continue;
		if (count == cap) {
			memmove(times, times + 1, (cap - 1) * sizeof(*times));
			count--;
		}
		times[count++] = t;
	}
	free(buf);
	return count;
}

static void
refuse_fetch(const char *project, uint64_t limit, uint64_t oldest, uint64_t now)
{
	uint64_t next = oldest + HOUR_MS;
	time_t t = (time_t)((next + 999) / 1000);
	struct tm tm;
	char when[32] = "?";

	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	warnx("project %s: fetch limit of %llu per hour reached; next fetch "
	      "allowed at %s (in %llu s)",
	      project, (unsigned long long)limit, when,
	      (unsigned long long)((next > now ? next - now : 0) + 999) / 1000);
}

int
fetch_limit_take(const char *stem, const char *project, uint64_t limit,
                 uint64_t now)
{
	char dir[PATH_MAX], path[PATH_MAX], lock[PATH_MAX];
	uint64_t *times;
	size_t count, cap = limit;
	int fd, status = EXIT_OK;

	if (runtime_subdir("rate", dir, sizeof(dir)) == -1)
		return EXIT_FAIL;
	path_join(path, sizeof(path), dir, stem);
	char lockname[CACHE_STEM_MAX + 8];
	snprintf(lockname, sizeof(lockname), "%s.lock", stem);
	path_join(lock, sizeof(lock), dir, lockname);
	if ((fd = lock_acquire(lock)) == -1) {
		warn("%s", lock);
		return EXIT_FAIL;
	}
	if ((times = calloc(cap, sizeof(*times))) == NULL)
		err(EXIT_FAIL, "fetch limit");
	count = recent_fetches(path, now, times, cap);
	if (count >= limit) {
		uint64_t oldest = times[0];
		for (size_t i = 1; i < count; i++)
			if (times[i] < oldest)
				oldest = times[i];
		refuse_fetch(project, limit, oldest, now);
		status = EXIT_FAIL;
	} else {
		size_t size = (count + 1) * 21 + 1, used = 0;
		char *text = malloc(size);
		if (text == NULL)
			err(EXIT_FAIL, "fetch limit");
		times[count++] = now;
		for (size_t i = 0; i < count; i++)
			used += snprintf(text + used, size - used, "%llu\n",
			                 (unsigned long long)times[i]);
		if (atomic_write(path, text, used) == -1) {
			warn("%s", path);
			status = EXIT_FAIL;
		}
		free(text);
	}
	free(times);
	lock_release(fd);
	return status;
}
