/* SPDX-License-Identifier: ISC */
/* The worker key pair and the store key under SECENV_HOME/keys. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "keys.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"

#define KEY_BYTES 32

/*
 * The worker key while a process keeps it (keys_keep_worker): the first
 * read of it for a home fills this, the later ones for the same home
 * copy it. The masking process reads the key to check the blob it
 * fetches, to open it and to name its masker image: one read instead of
 * three, and the file's checks (owner, mode) once.
 */
static struct {
	bool on;
	unsigned char *sk; /* secure memory, or NULL: not read yet */
	char home[PATH_MAX];
} kept;

void
keys_keep_worker(void)
{
	kept.on = true;
}

void
keys_drop_worker(void)
{
	secmem_free(kept.sk);
	kept.sk = NULL;
	kept.on = false;
}

/* A copy of the kept worker key of home, or NULL. */
static unsigned char *
kept_copy(const char *home)
{
	unsigned char *key;

	if (kept.sk == NULL || strcmp(kept.home, home) != 0)
		return NULL;
	key = secmem_alloc(KEY_BYTES);
	memcpy(key, kept.sk, KEY_BYTES);
	return key;
}

/* Keep a copy of key, the worker key of home just read. */
static void
kept_fill(const char *home, const unsigned char *key)
{
	if (!kept.on || kept.sk != NULL || strlen(home) >= sizeof(kept.home))
		return;
	kept.sk = secmem_alloc(KEY_BYTES);
	memcpy(kept.sk, key, KEY_BYTES);
	strcpy(kept.home, home);
}

/* Read exactly KEY_BYTES from a private key file into secure memory. */
static unsigned char *
key_file_read(const char *home, const char *name)
{
	char path[PATH_MAX], keys[PATH_MAX];
	unsigned char *key, extra;
	ssize_t n;
	int fd, saved;

	path_join(keys, sizeof keys, home, "keys");
	path_join(path, sizeof path, keys, name);
	fd = open_private(path, NULL);
	if (fd < 0)
		return NULL;
	key = secmem_alloc(KEY_BYTES);
	n = read_full(fd, key, KEY_BYTES);
	if (n == KEY_BYTES && read_full(fd, &extra, 1) == 0) {
		close(fd);
		return key;
	}
	saved = n < 0 ? errno : EINVAL;
	close(fd);
	secmem_free(key);
	errno = saved;
	return NULL;
}

/*
 * The public key last derived in this process and a hash of the secret
 * key it came from. A run's vaultfetch child derives it to seal or check
 * a blob, then, as the masking process, again to open the blob and to
 * name its masker image: one X25519 multiplication (30 us here) instead
 * of three. The hash of a key whose public half is public anyway tells
 * nothing more of it.
 */
static struct {
	bool set;
	unsigned char sk_hash[crypto_generichash_BYTES];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
} derived;

static void
public_of(const unsigned char *sk, unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	unsigned char hash[crypto_generichash_BYTES];

	crypto_generichash(hash, sizeof hash, sk, KEY_BYTES, NULL, 0);
	if (derived.set &&
	    sodium_memcmp(hash, derived.sk_hash, sizeof hash) == 0) {
		memcpy(pk, derived.pk, crypto_box_PUBLICKEYBYTES);
		return;
	}
	crypto_scalarmult_base(pk, sk);
	memcpy(derived.sk_hash, hash, sizeof hash);
	memcpy(derived.pk, pk, crypto_box_PUBLICKEYBYTES);
	derived.set = true;
}

const char *
keys_why(const char *path, int errnum)
{
	static char why[256];

	if (errnum == ENOENT)
		snprintf(why, sizeof why, "%s (run vaultfetch init)",
		         strerror(errnum));
	else if (errnum == EINVAL)
		snprintf(why, sizeof why,
		         "not a key: it must be exactly %d bytes (damaged or "
		         "replaced? restore it from a backup)",
		         KEY_BYTES);
	else
		snprintf(why, sizeof why, "%s", private_file_why(path, errnum));
	return why;
}

/* keys/worker.key, or the kept copy of it. */
static unsigned char *
worker_read(const char *home)
{
	unsigned char *sk = kept_copy(home);

	if (sk != NULL)
		return sk;
	sk = key_file_read(home, "worker.key");
	if (sk != NULL)
		kept_fill(home, sk);
	return sk;
}

int
keys_load_worker_public(const char *home,
			unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	unsigned char *sk = worker_read(home);

	/* The public key is derived, never read from worker.pub, so the two
	 * can never disagree. */
	if (sk == NULL)
		return -1;
	public_of(sk, pk);
	secmem_free(sk);
	return 0;
}

int
keys_load_worker(const char *home, struct worker_key *key)
{
	key->sk = worker_read(home);
	if (key->sk == NULL)
		return -1;
	public_of(key->sk, key->pk);
	return 0;
}

void
keys_free_worker(struct worker_key *key)
{
	secmem_free(key->sk);
	key->sk = NULL;
}

unsigned char *
keys_load_store(const char *home)
{
	return key_file_read(home, "store.key");
}

static int
key_create(const char *dir, const char *name, const unsigned char *data,
	   size_t len)
{
	char path[PATH_MAX];

	path_join(path, sizeof path, dir, name);
	if (access(path, F_OK) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	return atomic_write(path, data, len) == 0 ? 1 : -1;
}

bool
keys_stores_exist(const char *home)
{
	char dir[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *d;

	path_join(dir, sizeof dir, home, "store");
	if ((d = opendir(dir)) == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		found = n > 6 && strcmp(e->d_name + n - 6, ".vault") == 0;
	}
	closedir(d);
	return found;
}

int
keys_init(const char *home, const char **what)
{
	static char failed[PATH_MAX], lost[2 * PATH_MAX + 128];
	char keys[PATH_MAX], sub[PATH_MAX], lock[PATH_MAX];
	const char *dirs[] = {"keys", "store", "revoked"};
	unsigned char *sk, pk[crypto_box_PUBLICKEYBYTES];
	int lockfd, made = 0, rc;
	size_t i;

	*what = home;
	if (dir_ensure(home) != 0)
		return -1;
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		path_join(sub, sizeof sub, home, dirs[i]);
		if (dir_ensure(sub) != 0) {
			path_join(failed, sizeof failed, sub, NULL);
			*what = failed;
			return -1;
		}
	}
	path_join(keys, sizeof keys, home, "keys");
	path_join(lock, sizeof lock, keys, ".lock");
	/* Two concurrent inits must not each make half a key pair. */
	lockfd = lock_acquire(lock);
	if (lockfd < 0) {
		path_join(failed, sizeof failed, lock, NULL);
		*what = failed;
		return -1;
	}
	sk = secmem_alloc(KEY_BYTES);
	randombytes_buf(sk, KEY_BYTES);
	rc = key_create(keys, "worker.key", sk, KEY_BYTES);
	if (rc >= 0) {
		made += rc;
		rc = keys_load_worker_public(home, pk);
	}
	if (rc >= 0)
		rc = key_create(keys, "worker.pub", pk, sizeof pk);
	path_join(sub, sizeof sub, keys, "store.key");
	if (rc >= 0 && access(sub, F_OK) != 0 && errno == ENOENT &&
	    keys_stores_exist(home)) {
		/* A new key would not open them: the old one was lost or
		 * moved, and making another would hide that. */
		snprintf(lost, sizeof lost,
		         "%s: missing, but %s/store holds stores it encrypted: "
		         "put the key back (a new one could not open them)",
		         sub, home);
		*what = lost;
		secmem_free(sk);
		lock_release(lockfd);
		errno = ENOENT;
		return -1;
	}
	if (rc >= 0) {
		made += rc;
		randombytes_buf(sk, KEY_BYTES);
		rc = key_create(keys, "store.key", sk, KEY_BYTES);
		if (rc >= 0)
			made += rc;
	}
	if (rc >= 0) {
		/* The audit log's MAC key: without it, anyone who can write
		 * the log could rebuild the hash chain after an edit. */
		randombytes_buf(sk, KEY_BYTES);
		rc = key_create(keys, "audit.key", sk, KEY_BYTES);
		if (rc >= 0)
			made += rc;
	}
	secmem_free(sk);
	lock_release(lockfd);
	if (rc < 0) {
		path_join(failed, sizeof failed, keys, NULL);
		*what = failed;
		return -1;
	}
	return made;
}
