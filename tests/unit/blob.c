/* SPDX-License-Identifier: ISC */
/* Unit tests of the sealed blob, names, secret sets and revocation. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "blob.h"
#include "keys.h"
#include "names.h"
#include "paths.h"
#include "revoke.h"
#include "secmem.h"
#include "secretset.h"
#include "util.h"

#include "tap.h"

static unsigned char pk[crypto_box_PUBLICKEYBYTES];
static unsigned char sk[crypto_box_SECRETKEYBYTES];

static struct secretset *
sample_set(void)
{
	struct secretset *set = secretset_new();

	secretset_add(set, "STRIPE_SECRET_KEY", "sk_test_123456789", 17, false,
		      1000);
	secretset_add(set, "DATABASE_URL",
		      "postgresql://u:p4ssw0rd@db/x", 28, false, 2000);
	secretset_add(set, "STRIPE_SECRET_KEY", "sk_test_OLD_VALUE", 17, true,
		      500);
	secretset_add(set, "EMPTY", "", 0, false, 0);
	return set;
}

static void
test_roundtrip(void)
{
	struct secretset *set = sample_set(), *got;
	struct blob_header h;
	unsigned char *blob;
	const char *why = NULL;
	size_t len;
	const struct secret *s;

	tap_ok(blob_seal(set, "p1", 1000, 5000, pk, &blob, &len) == 0,
	       "seal a set of three current values and one previous");
	tap_ok(blob_read_header(blob, len, &h, &why) == 0 &&
		       strcmp(h.project, "p1") == 0 && h.name_count == 3 &&
		       strcmp(h.names[0], "STRIPE_SECRET_KEY") == 0 &&
		       strcmp(h.names[1], "DATABASE_URL") == 0 &&
		       strcmp(h.names[2], "EMPTY") == 0 &&
		       h.created_ms == 1000 && h.expires_ms == 5000,
	       "clear header gives project, times and current names");
	blob_header_free(&h);
	tap_ok(memmem(blob, len, "sk_test_1", 9) == NULL &&
		       memmem(blob, len, "p4ssw0rd", 8) == NULL &&
		       memmem(blob, len, "OLD_VALUE", 9) == NULL,
	       "no value appears in the blob's bytes");

	got = blob_open(blob, len, pk, sk, "p1", 4999, &h, &why);
	tap_ok(got != NULL, "open with the right key, project and time");
	if (got != NULL) {
		s = secretset_find(got, "STRIPE_SECRET_KEY");
		tap_ok(s != NULL && s->len == 17 &&
			       memcmp(s->value, "sk_test_123456789", 17) == 0 &&
			       s->changed_ms == 1000,
		       "current value and change time survive");
		tap_ok(got->count == 4 && got->items[2].previous &&
			       memcmp(got->items[2].value, "sk_test_OLD_VALUE",
				      17) == 0,
		       "previous value survives, flagged previous");
		s = secretset_find(got, "EMPTY");
		tap_ok(s != NULL && s->len == 0, "empty value survives");
		tap_ok(secretset_count_current(got) == 3,
		       "three current values");
		blob_header_free(&h);
		secretset_free(got);
	}

	got = blob_open(blob, len, pk, sk, "p2", 4999, NULL, &why);
	tap_ok(got == NULL && strcmp(why, "blob is for another project") == 0,
	       "another project is refused: %s", why);
	got = blob_open(blob, len, pk, sk, NULL, 5000, NULL, &why);
	tap_ok(got == NULL && strcmp(why, "blob expired") == 0,
	       "expired at expires_ms is refused: %s", why);

	free(blob);
	blob_seal(set, "p1", 10000000, 20000000, pk, &blob, &len);
	got = blob_open(blob, len, pk, sk, NULL,
			10000000 - BLOB_CLOCK_SKEW_MS - 1, NULL, &why);
	tap_ok(got == NULL && strstr(why, "future") != NULL,
	       "a blob dated ahead of the clock is refused: %s", why);
	got = blob_open(blob, len, pk, sk, NULL, 10000000 - BLOB_CLOCK_SKEW_MS,
			NULL, &why);
	tap_ok(got != NULL, "within the tolerated clock difference: opened");
	secretset_free(got);
	free(blob);
	secretset_free(set);
}

static void
test_tampering(void)
{
	struct secretset *set = sample_set(), *got;
	unsigned char *blob, *copy;
	const char *why;
	size_t len, i, refused = 0;

	blob_seal(set, "p1", 1000, 5000, pk, &blob, &len);
	copy = malloc(len);
	for (i = 0; i < len; i++) {
		memcpy(copy, blob, len);
		copy[i] ^= 0x01;
		got = blob_open(copy, len, pk, sk, NULL, 2000, NULL, &why);
		if (got == NULL)
			refused++;
		secretset_free(got);
	}
	tap_ok(refused == len, "every one of %zu single-bit flips refused",
	       len);
	refused = 0;
	for (i = 0; i < len; i++) {
		got = blob_open(blob, i, pk, sk, NULL, 2000, NULL, &why);
		if (got == NULL)
			refused++;
		secretset_free(got);
	}
	tap_ok(refused == len, "every one of %zu truncations refused", len);
	copy = realloc(copy, len + 1);
	memcpy(copy, blob, len);
	copy[len] = 'x';
	got = blob_open(copy, len + 1, pk, sk, NULL, 2000, NULL, &why);
	tap_ok(got == NULL, "a trailing byte is refused: %s", why);

	{
		unsigned char pk2[crypto_box_PUBLICKEYBYTES];
		unsigned char sk2[crypto_box_SECRETKEYBYTES];

		crypto_box_keypair(pk2, sk2);
		got = blob_open(blob, len, pk2, sk2, NULL, 2000, NULL, &why);
		tap_ok(got == NULL &&
			       strcmp(why, "sealed for another worker key") == 0,
		       "another worker key is refused: %s", why);
	}
	memcpy(copy, blob, len);
	copy[0] = 'X';
	got = blob_open(copy, len, pk, sk, NULL, 2000, NULL, &why);
	tap_ok(got == NULL && strstr(why, "magic") != NULL,
	       "bad magic named: %s", why);
	memcpy(copy, blob, len);
	copy[7] = 2;
	got = blob_open(copy, len, pk, sk, NULL, 2000, NULL, &why);
	tap_ok(got == NULL && strstr(why, "version") != NULL,
	       "unknown version named: %s", why);
	free(copy);
	free(blob);
	secretset_free(set);
}

static void
test_names(void)
{
	const char *good_names[] = {"A", "_", "STRIPE_SECRET_KEY", "a1_b2"};
	const char *bad_names[] = {"", "1ABC", "A=B", "a b", "A-B", "Ä", "$X"};
	const char *good_projects[] = {"p", "p1", "my.app_v2-x", "0"};
	const char *bad_projects[] = {"",  "../x", "a/b", ".hidden", "-x",
				      "a..b", "a b", "x\n"};
	char long_project[66];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof good_names / sizeof *good_names; i++)
		ok &= name_is_valid(good_names[i]);
	tap_ok(ok, "valid secret names accepted");
	ok = 1;
	for (i = 0; i < sizeof bad_names / sizeof *bad_names; i++)
		ok &= !name_is_valid(bad_names[i]);
	tap_ok(ok, "invalid secret names refused");
	ok = 1;
	for (i = 0; i < sizeof good_projects / sizeof *good_projects; i++)
		ok &= project_is_valid(good_projects[i]);
	tap_ok(ok, "valid project ids accepted");
	ok = 1;
	for (i = 0; i < sizeof bad_projects / sizeof *bad_projects; i++)
		ok &= !project_is_valid(bad_projects[i]);
	tap_ok(ok, "invalid project ids refused");
	memset(long_project, 'a', 64);
	long_project[64] = '\0';
	tap_ok(project_is_valid(long_project), "64-character project id ok");
	long_project[64] = 'a';
	long_project[65] = '\0';
	tap_ok(!project_is_valid(long_project), "65-character project refused");
}

static void
test_secretset(void)
{
	struct secretset *set = secretset_new();
	static char big[VALUE_MAX + 1];

	tap_ok(secretset_add(set, "A", "x\0y", 3, false, 0) == -1 &&
		       errno == EINVAL && set->count == 0,
	       "a value holding NUL is refused");
	tap_ok(secretset_add(set, "A", big, VALUE_MAX + 1, false, 0) == -1 &&
		       errno == EFBIG,
	       "a value over 64 KiB is refused");
	memset(big, 'v', VALUE_MAX);
	tap_ok(secretset_add(set, "A", big, VALUE_MAX, false, 0) == 0,
	       "a value of exactly 64 KiB is accepted");
	secretset_add(set, "A", "new", 3, false, 0);
	tap_ok(set->count == 1 && secretset_find(set, "A")->len == 3,
	       "adding a current value again replaces it");
	secretset_add(set, "A", "old", 3, true, 0);
	tap_ok(secretset_remove(set, "A") && set->count == 0,
	       "remove takes current and previous values");
	{
		char name[16];
		size_t i, ok = 0;

		for (i = 0; i < 300; i++) {
			snprintf(name, sizeof name, "N%zu", i);
			secretset_add(set, name, big, 1000 + i, i % 3 == 0, i);
		}
		for (i = 0; i < 300; i++) {
			const struct secret *s = &set->items[i];

			snprintf(name, sizeof name, "N%zu", i);
			ok += strcmp(s->name, name) == 0 && s->len == 1000 + i &&
			      s->value[s->len] == '\0' &&
			      s->previous == (i % 3 == 0) &&
			      s->changed_ms == i;
		}
		tap_ok(ok == 300 && set->count == 300,
		       "300 entries over several chunks keep names and values");
	}
	secretset_free(set);
}

static void
test_revoke(void)
{
	char home[] = "/tmp/secenv-unit-XXXXXX";
	const char *why;

	if (mkdtemp(home) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	tap_ok(revoke_check(home, "p1", 100, &why) == 0,
	       "no revocation file: accepted");
	revoke_set(home, "p1", 200);
	tap_ok(revoke_is_revoked(home, "p1") == 1 &&
		       revoke_check(home, "p1", 300, &why) == -1 &&
		       strcmp(why, "project is revoked") == 0,
	       "revoked project refuses even new blobs");
	revoke_clear(home, "p1", 400);
	tap_ok(revoke_is_revoked(home, "p1") == 0 &&
		       revoke_check(home, "p1", 300, &why) == -1,
	       "after unrevoke, a blob made before it stays refused");
	tap_ok(revoke_check(home, "p1", 401, &why) == 0,
	       "after unrevoke, a new blob is accepted");
	tap_ok(revoke_check(home, "p2", 1, &why) == 0,
	       "other projects are unaffected");
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
		tap_ok(system(cmd) == 0, "clean up");
	}
}

/* A kept worker key is read from its file once: a replaced file is not
 * seen until the key is dropped. */
static void
test_worker_kept(void)
{
	char home[] = "/tmp/secenv-unit-XXXXXX", cmd[PATH_MAX + 64];
	const char *what;
	struct worker_key a, b, c;
	unsigned char first[crypto_box_PUBLICKEYBYTES], pub[32];

	if (mkdtemp(home) == NULL || keys_init(home, &what) < 0) {
		tap_ok(0, "mkdtemp and keys_init");
		return;
	}
	snprintf(cmd, sizeof cmd,
	         "head -c 32 /dev/urandom > '%s/keys/worker.key'", home);
	keys_keep_worker();
	tap_ok(keys_load_worker(home, &a) == 0, "kept: the first load reads");
	memcpy(first, a.pk, sizeof(first));
	tap_ok(system(cmd) == 0, "the key file replaced");
	tap_ok(keys_load_worker(home, &b) == 0 &&
	           sodium_memcmp(a.sk, b.sk, 32) == 0 && b.sk != a.sk &&
	           keys_load_worker_public(home, pub) == 0 &&
	           memcmp(pub, first, sizeof(pub)) == 0,
	       "kept: later loads copy the key first read, not the file");
	keys_free_worker(&b);
	keys_drop_worker();
	tap_ok(keys_load_worker(home, &c) == 0 &&
	           sodium_memcmp(a.sk, c.sk, 32) != 0,
	       "dropped: the next load reads the file again");
	keys_keep_worker();
	keys_free_worker(&c);
	tap_ok(keys_load_worker(home, &c) == 0 &&
	           sodium_memcmp(a.sk, c.sk, 32) != 0,
	       "kept again: the first load reads the file");
	keys_free_worker(&c);
	keys_drop_worker();
	keys_free_worker(&a);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
	tap_ok(system(cmd) == 0, "clean up");
}

/* The state read once answers as the fresh reads did, and keeps what it
 * read when the file changes after. */
static void
test_revocation_state(void)
{
	char home[] = "/tmp/secenv-unit-XXXXXX", cmd[PATH_MAX + 16];
	struct revocation r;
	const char *why;

	if (mkdtemp(home) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	revoke_read_state(home, "p1", &r);
	tap_ok(r.read == 1 && revocation_is_revoked(&r) == 0 &&
	           revocation_check(&r, 1, &why) == 0,
	       "state without a file: not revoked, any blob accepted");
	revoke_set(home, "p1", 200);
	revoke_read_state(home, "p1", &r);
	revoke_clear(home, "p1", 400);
	tap_ok(revocation_is_revoked(&r) == 1 &&
	           revocation_check(&r, 500, &why) == -1 &&
	           strcmp(why, "project is revoked") == 0,
	       "state read while revoked stays revoked");
	revoke_read_state(home, "p1", &r);
	tap_ok(revocation_is_revoked(&r) == 0 &&
	           revocation_check(&r, 400, &why) == -1 &&
	           strcmp(why, "blob was made before the project was "
	                       "last revoked") == 0 &&
	           revocation_check(&r, 401, &why) == 0,
	       "state after unrevoke: a blob from before refused, a new one "
	       "accepted");
	snprintf(cmd, sizeof cmd, "chmod 0 '%s/revoked'", home);
	tap_ok(system(cmd) == 0, "revoked/ made unreadable");
	revoke_read_state(home, "p1", &r);
	tap_ok(getuid() == 0 ||
	           (revocation_is_revoked(&r) == -1 && errno == EACCES &&
	            revocation_check(&r, 401, &why) == -1 &&
	            strcmp(why, "cannot read the project's revocation "
	                        "state") == 0),
	       "an unreadable state refuses (fail closed), errno kept");
	snprintf(cmd, sizeof cmd, "chmod -R 700 '%s'; rm -rf '%s'", home, home);
	tap_ok(system(cmd) == 0, "clean up");
}

/* A worker key replaced in the same process: its own public key, not the
 * one derived from the key before. */
static void
test_worker_key_replaced(void)
{
	char home[] = "/tmp/secenv-unit-XXXXXX", path[PATH_MAX],
	     cmd[PATH_MAX + 16];
	unsigned char pk1[crypto_box_PUBLICKEYBYTES],
	    pk2[crypto_box_PUBLICKEYBYTES];
	unsigned char expect[crypto_box_PUBLICKEYBYTES], sk2[32];
	struct worker_key key;
	const char *what;

	if (mkdtemp(home) == NULL || keys_init(home, &what) < 0) {
		tap_ok(0, "home and keys");
		return;
	}
	tap_ok(keys_load_worker_public(home, pk1) == 0 &&
	           keys_load_worker(home, &key) == 0 &&
	           memcmp(key.pk, pk1, sizeof pk1) == 0,
	       "the worker key's public half, twice the same");
	keys_free_worker(&key);
	randombytes_buf(sk2, sizeof sk2);
	crypto_scalarmult_base(expect, sk2);
	path_join(path, sizeof path, home, "keys/worker.key");
	tap_ok(atomic_write(path, sk2, sizeof sk2) == 0, "worker.key replaced");
	tap_ok(keys_load_worker_public(home, pk2) == 0 &&
	           memcmp(pk2, expect, sizeof pk2) == 0 &&
	           memcmp(pk2, pk1, sizeof pk2) != 0,
	       "the new key's public half, derived anew");
	tap_ok(keys_load_worker(home, &key) == 0 &&
	           memcmp(key.pk, expect, sizeof expect) == 0 &&
	           sodium_memcmp(key.sk, sk2, sizeof sk2) == 0,
	       "the new key pair");
	keys_free_worker(&key);
	sodium_memzero(sk2, sizeof sk2);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
	tap_ok(system(cmd) == 0, "clean up");
}

static void
test_atomic_write(void)
{
	char dir[] = "/tmp/secenv-unit-XXXXXX", path[PATH_MAX];
	unsigned char *data;
	size_t len;
	struct stat st;

	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		return;
	}
	path_join(path, sizeof path, dir, "f");
	tap_ok(atomic_write(path, "one", 3) == 0 &&
		       atomic_write(path, "second", 6) == 0,
	       "atomic_write twice");
	tap_ok(read_path(path, 100, false, &data, &len) == 0 && len == 6 &&
		       memcmp(data, "second", 6) == 0,
	       "the file holds the last write");
	free(data);
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	       "mode 0600");
	tap_ok(read_path(path, 5, false, &data, &len) == -1 && errno == EFBIG,
	       "read_path refuses more than its limit");
	unlink(path);
	rmdir(dir);
	tap_ok(strcmp(printable("a\nb\\"), "a\\x0ab\\x5c") == 0,
	       "printable escapes control bytes and backslash");
}

int
main(void)
{
	secmem_init();
	crypto_box_keypair(pk, sk);
	test_roundtrip();
	test_tampering();
	test_names();
	test_secretset();
	test_revoke();
	test_revocation_state();
	test_worker_kept();
	test_worker_key_replaced();
	test_atomic_write();
	return tap_done();
}
