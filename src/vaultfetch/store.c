/* SPDX-License-Identifier: ISC */
/* The file backend: one encrypted store per project under SECENV_HOME/store. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "backend.h"
#include "bytes.h"
#include "exitcodes.h"
#include "keys.h"
#include "names.h"
#include "paths.h"
#include "revoke.h"
#include "secmem.h"
#include "util.h"

/*
 * store/PROJECT.vault: magic, nonce, then XChaCha20-Poly1305 of the
 * entries with magic || project id as associated data, so a store file
 * copied under another project's name does not open.
 */
#define STORE_MAGIC "SECSTOR1"
#define STORE_MAGIC_LEN 8
#define STORE_NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define STORE_TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define STORE_MAX (64u * 1024 * 1024)

/* Set to stop (SIGSTOP) just before the store is rewritten, so a test
 * can kill a writer that holds the lock; never set outside tests. */
#define STORE_TEST_STOP_ENV "SECENV_TEST_STOP_BEFORE_STORE_WRITE"

struct entry {
	char *name;           /* malloc'd: names are not secret */
	unsigned char *value; /* secure memory, NUL-terminated */
	size_t len;
	unsigned char *prev; /* secure memory, or NULL */
	size_t prev_len;
	uint64_t changed_ms;      /* when value was set */
	uint64_t prev_changed_ms; /* when prev was set */
	uint32_t versions;
};

struct store {
	struct entry *items;
	size_t count;
	size_t cap;
	bool exists;
	/* The decrypted file (secure memory): values read from it point
	 * into it rather than each getting a secure block of its own, which
	 * costs a handful of system calls apiece. */
	unsigned char *plain;
	size_t plain_len;
	/* New values of one put, in one secure block for the same reason:
	 * a block per value runs out of mappings (vm.max_map_count) at
	 * around 20,000 values. */
	unsigned char *arena;
	size_t arena_len, arena_used;
};

struct file_state {
	char home[PATH_MAX];
	unsigned char *key; /* store key, secure memory */
};

/* A value of its own, or one that lives in the decrypted file. */
static void
value_free(const struct store *s, unsigned char *v)
{
	if (v != NULL &&
	    !(s->plain != NULL && v >= s->plain &&
	      v <= s->plain + s->plain_len) &&
	    !(s->arena != NULL && v >= s->arena &&
	      v < s->arena + s->arena_len))
		secmem_free(v);
}

static void
store_clear(struct store *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->items[i].name);
		value_free(s, s->items[i].value);
		value_free(s, s->items[i].prev);
	}
	free(s->items);
	secmem_free(s->plain);
	secmem_free(s->arena);
	memset(s, 0, sizeof(*s));
}

static struct entry *
store_find(struct store *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->items[i].name, name) == 0)
			return &s->items[i];
	return NULL;
}

static struct entry *
store_append(struct store *s, const char *name)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct entry *items =
		    reallocarray(s->items, cap, sizeof(*items));
		if (items == NULL)
			err(EXIT_FAIL, "store");
		s->items = items;
		s->cap = cap;
	}
	struct entry *e = &s->items[s->count];
	memset(e, 0, sizeof(*e));
	if ((e->name = strdup(name)) == NULL)
		err(EXIT_FAIL, "store");
	s->count++;
	return e;
}

static void
store_paths(const struct file_state *st, const char *project, char *vault,
            char *lock, size_t size)
{
	char dir[PATH_MAX], file[PROJECT_MAX_LEN + 16];

	path_join(dir, sizeof(dir), st->home, "store");
	snprintf(file, sizeof(file), "%s.vault", project);
	path_join(vault, size, dir, file);
	snprintf(file, sizeof(file), "%s.lock", project);
	path_join(lock, size, dir, file);
}

static void
put_bytes(unsigned char **p, const void *data, size_t n)
{
	if (n > 0)
		memcpy(*p, data, n);
	*p += n;
}

/* One entry of the plaintext; false when the bytes do not hold one. */
static bool
parse_entry(struct bytes_in *c, struct store *s)
{
	uint64_t name_len, versions, changed, len, prev_changed, has_prev,
	    prev_len = 0;
	const unsigned char *name, *value, *prev = NULL;
	char namebuf[NAME_MAX_LEN + 1];

	if ((name_len = bytes_take_be(c, 2)) > NAME_MAX_LEN)
		return false;
	name = bytes_take(c, name_len);
	versions = bytes_take_be(c, 4);
	changed = bytes_take_be(c, 8);
	if ((len = bytes_take_be(c, 4)) > VALUE_MAX)
		return false;
	value = bytes_take(c, len);
	has_prev = bytes_take_be(c, 1);
	prev_changed = bytes_take_be(c, 8);
	if (has_prev && (prev_len = bytes_take_be(c, 4)) > VALUE_MAX)
		return false;
	if (has_prev)
		prev = bytes_take(c, prev_len);
	if (c->bad || has_prev > 1)
		return false;
	memcpy(namebuf, name, name_len);
	namebuf[name_len] = '\0';
	if (!name_is_valid(namebuf) || store_find(s, namebuf) != NULL)
		return false;
	struct entry *e = store_append(s, namebuf);
	e->value = (unsigned char *)value; /* in s->plain */
	e->len = len;
	e->versions = versions;
	e->changed_ms = changed;
	if (has_prev) {
		e->prev = (unsigned char *)prev;
		e->prev_len = prev_len;
		e->prev_changed_ms = prev_changed;
	}
	return true;
}

static bool
parse_store(const unsigned char *plain, size_t len, struct store *s)
{
	struct bytes_in c = {plain, len, false};
	uint64_t count = bytes_take_be(&c, 4);

	if (c.bad)
		return false;
	for (uint64_t i = 0; i < count; i++)
		if (!parse_entry(&c, s))
			return false;
	return c.left == 0;
}

static size_t
associated_data(const char *project, unsigned char *ad, size_t size)
{
	size_t plen = strlen(project);

	if (STORE_MAGIC_LEN + plen > size)
		errx(EXIT_FAIL, "project id too long");
	memcpy(ad, STORE_MAGIC, STORE_MAGIC_LEN);
	memcpy(ad + STORE_MAGIC_LEN, project, plen);
	return STORE_MAGIC_LEN + plen;
}

/* Decrypt and parse; a store that does not exist yet is empty. */
static int
store_read(struct backend *b, const char *project, const char *path,
           struct store *s)
{
	struct file_state *st = b->state;
	unsigned char *buf, *plain;
	unsigned char ad[STORE_MAGIC_LEN + PROJECT_MAX_LEN];
	size_t len, adlen;
	unsigned long long plen;
	int fd, status = EXIT_OK;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT)
		return EXIT_OK;
	if (fd == -1 || read_all(fd, STORE_MAX, false, &buf, &len) == -1) {
		warn("%s", path);
		if (fd != -1)
			close(fd);
		return EXIT_FAIL;
	}
	close(fd);
	if (len < STORE_MAGIC_LEN + STORE_NONCE_LEN + STORE_TAG_LEN ||
	    memcmp(buf, STORE_MAGIC, STORE_MAGIC_LEN) != 0) {
		warnx("%s: not a secenv store", path);
		free(buf);
		return EXIT_FAIL;
	}
	adlen = associated_data(project, ad, sizeof(ad));
	size_t header = STORE_MAGIC_LEN + STORE_NONCE_LEN;
	plain = secmem_alloc(len - header);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	        plain, &plen, NULL, buf + header, len - header, ad, adlen,
	        buf + STORE_MAGIC_LEN, st->key) != 0) {
		warnx("%s: cannot decrypt (wrong store key, or the file was "
		      "damaged or moved)",
		      path);
		/* Like a refused credential: a cached blob must not stand in.
		 */
		b->auth_failed = 1;
		status = EXIT_FAIL;
	} else {
		s->plain = plain;
		s->plain_len = (size_t)plen;
		plain = NULL;
		if (parse_store(s->plain, s->plain_len, s)) {
			s->exists = true;
		} else {
			warnx("%s: damaged store", path);
			store_clear(s);
			status = EXIT_FAIL;
		}
	}
	secmem_free(plain);
	free(buf);
	return status;
}

static size_t
store_plain_size(const struct store *s)
{
	size_t size = 4;

	for (size_t i = 0; i < s->count; i++) {
		const struct entry *e = &s->items[i];
		size += 2 + strlen(e->name) + 4 + 8 + 4 + e->len + 1 + 8;
		if (e->prev != NULL)
			size += 4 + e->prev_len;
	}
	return size;
}

static void
store_serialise(const struct store *s, unsigned char *p)
{
	bytes_put_be(&p, 4, s->count);
	for (size_t i = 0; i < s->count; i++) {
		const struct entry *e = &s->items[i];
		size_t name_len = strlen(e->name);
		bytes_put_be(&p, 2, name_len);
		put_bytes(&p, e->name, name_len);
		bytes_put_be(&p, 4, e->versions);
		bytes_put_be(&p, 8, e->changed_ms);
		bytes_put_be(&p, 4, e->len);
		put_bytes(&p, e->value, e->len);
		bytes_put_be(&p, 1, e->prev != NULL);
		bytes_put_be(&p, 8, e->prev_changed_ms);
		if (e->prev != NULL) {
			bytes_put_be(&p, 4, e->prev_len);
			put_bytes(&p, e->prev, e->prev_len);
		}
	}
}

/* Encrypt and replace the store atomically; the caller holds the lock. */
static int
store_write(struct backend *b, const char *project, const char *path,
            const struct store *s)
{
	struct file_state *st = b->state;
	unsigned char ad[STORE_MAGIC_LEN + PROJECT_MAX_LEN];
	size_t plen = store_plain_size(s);
	size_t header = STORE_MAGIC_LEN + STORE_NONCE_LEN;
	size_t len = header + plen + STORE_TAG_LEN;
	unsigned char *plain, *buf;
	int status = EXIT_OK;

	if (len > STORE_MAX) {
		warnx("%s: store would exceed %u bytes", path, STORE_MAX);
		return EXIT_FAIL;
	}
	size_t adlen = associated_data(project, ad, sizeof(ad));
	if ((buf = malloc(len)) == NULL)
		err(EXIT_FAIL, "store");
	plain = secmem_alloc(plen);
	store_serialise(s, plain);
	memcpy(buf, STORE_MAGIC, STORE_MAGIC_LEN);
	randombytes_buf(buf + STORE_MAGIC_LEN, STORE_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    buf + header, NULL, plain, plen, ad, adlen, NULL,
	    buf + STORE_MAGIC_LEN, st->key);
	secmem_free(plain);
	if (getenv(STORE_TEST_STOP_ENV) != NULL)
		raise(SIGSTOP);
	if (atomic_write(path, buf, len) == -1) {
		warn("%s", path);
		status = EXIT_FAIL;
	}
	free(buf);
	return status;
}

/* Set one current value, keeping the one it replaces as the previous. */
static void
store_set(struct store *s, const struct secret *sec, uint64_t now)
{
	struct entry *e = store_find(s, sec->name);

	if (e == NULL) {
		e = store_append(s, sec->name);
	} else {
		if (e->len == sec->len &&
		    sodium_memcmp(e->value, sec->value, sec->len) == 0)
			return; /* same value: not a rotation */
		value_free(s, e->prev);
		e->prev = e->value;
		e->prev_len = e->len;
		e->prev_changed_ms = e->changed_ms;
	}
	if (s->arena != NULL && s->arena_len - s->arena_used > sec->len) {
		e->value = s->arena + s->arena_used;
		memcpy(e->value, sec->value, sec->len);
		e->value[sec->len] = '\0';
		s->arena_used += sec->len + 1;
	} else {
		e->value =
		    (unsigned char *)secmem_strndup(sec->value, sec->len);
	}
	e->len = sec->len;
	e->changed_ms = now;
	e->versions++;
}

/* Lock, read, let change() edit, write back, unlock. */
static int
store_update(struct backend *b, const char *project,
             int (*change)(struct store *, const void *, const char *),
             const void *arg)
{
	struct file_state *st = b->state;
	char vault[PATH_MAX], lock[PATH_MAX], dir[PATH_MAX];
	struct store s;
	int fd, status;

	path_join(dir, sizeof(dir), st->home, "store");
	if (dir_ensure(dir) == -1) {
		warn("%s", dir);
		return EXIT_FAIL;
	}
	store_paths(st, project, vault, lock, sizeof(vault));
	if ((fd = lock_acquire(lock)) == -1) {
		warn("%s", lock);
		return EXIT_FAIL;
	}
	/* A writer killed between its link and its rename left a file
	 * that the store key opens: it goes before anything else. */
	if (atomic_clean_leftovers(vault) < 0)
		warn("%s: cannot remove temporary files", vault);
	/* The revocation file exists before the project has secrets, so a
	 * revoke flips it in place even on a full disk. */
	if (revoke_prepare(st->home, project) != 0)
		warn("%s: cannot prepare the revocation file", project);
	status = store_read(b, project, vault, &s);
	if (status == EXIT_OK)
		status = change(&s, arg, project);
	if (status == EXIT_OK)
		status = store_write(b, project, vault, &s);
	store_clear(&s);
	lock_release(fd);
	return status;
}

static int
change_put(struct store *s, const void *arg, const char *project)
{
	const struct secretset *set = arg;
	uint64_t now = now_ms();
	size_t total = 0, stored = s->count;

	for (size_t i = 0; i < set->count; i++)
		if (!set->items[i].previous)
			total += set->items[i].len + 1;
	if (total > 0 && s->arena == NULL) {
		s->arena = secmem_alloc(total);
		s->arena_len = total;
	}
	for (size_t i = 0; i < set->count; i++)
		if (!set->items[i].previous)
			store_set(s, &set->items[i], now);
	/* A store over the limit from before it was set still opens; it
	 * only may not grow. */
	if (s->count > PROJECT_SECRETS_MAX && s->count > stored) {
		warnx("project %s: %zu secrets with this change, more than "
		      "the %u a project holds (split them over several "
		      "projects); nothing changed",
		      project, s->count, PROJECT_SECRETS_MAX);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
change_rm(struct store *s, const void *arg, const char *project)
{
	const char *name = arg;
	struct entry *e = store_find(s, name);

	if (e == NULL) {
		warnx("project %s: no secret named %s", project,
		      printable(name));
		return EXIT_USAGE;
	}
	free(e->name);
	value_free(s, e->value);
	value_free(s, e->prev);
	size_t i = e - s->items;
	memmove(e, e + 1, (s->count - i - 1) * sizeof(*e));
	s->count--;
	return EXIT_OK;
}

static int
file_put(struct backend *b, const char *project, const struct secretset *set)
{
	return store_update(b, project, change_put, set);
}

static int
file_rm(struct backend *b, const char *project, const char *name)
{
	return store_update(b, project, change_rm, name);
}

static int
file_fetch(struct backend *b, const char *project, struct secretset *out)
{
	char vault[PATH_MAX], lock[PATH_MAX];
	struct store s;
	int status;

	store_paths(b->state, project, vault, lock, sizeof(vault));
	if ((status = store_read(b, project, vault, &s)) != EXIT_OK)
		return status;
	if (!s.exists) {
		warnx("project %s: no secrets stored", project);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < s.count && status == EXIT_OK; i++) {
		const struct entry *e = &s.items[i];
		if (secretset_add(out, e->name, e->value, e->len, false,
		                  e->changed_ms) == -1 ||
		    (e->prev != NULL &&
		     secretset_add(out, e->name, e->prev, e->prev_len, true,
		                   e->prev_changed_ms) == -1)) {
			warn("project %s: secret %s", project, e->name);
			status = EXIT_FAIL;
		}
	}
	store_clear(&s);
	return status;
}

static int
compare_info(const void *a, const void *b)
{
	return strcmp(((const struct secret_info *)a)->name,
	              ((const struct secret_info *)b)->name);
}

static int
file_list(struct backend *b, const char *project, struct secret_info **out,
          size_t *count)
{
	char vault[PATH_MAX], lock[PATH_MAX];
	struct store s;
	int status;

	*out = NULL;
	*count = 0;
	store_paths(b->state, project, vault, lock, sizeof(vault));
	if ((status = store_read(b, project, vault, &s)) != EXIT_OK)
		return status;
	if (s.count > 0 && (*out = calloc(s.count, sizeof(**out))) == NULL)
		err(EXIT_FAIL, "list");
	for (size_t i = 0; i < s.count; i++) {
		(*out)[i].name = s.items[i].name;
		s.items[i].name = NULL; /* moved */
		(*out)[i].versions = s.items[i].versions;
		(*out)[i].changed_ms = s.items[i].changed_ms;
	}
	*count = s.count;
	if (*count > 1)
		qsort(*out, *count, sizeof(**out), compare_info);
	store_clear(&s);
	return EXIT_OK;
}

static void
file_close(struct backend *b)
{
	struct file_state *st = b->state;

	if (st != NULL) {
		secmem_free(st->key);
		free(st);
	}
	b->state = NULL;
}

int
backend_file_open(struct backend *b, const char *home)
{
	struct file_state *st;
	char path[PATH_MAX], keys[PATH_MAX];

	if ((st = calloc(1, sizeof(*st))) == NULL)
		err(EXIT_FAIL, "backend file");
	if (strlen(home) >= sizeof(st->home))
		errx(EXIT_FAIL, "%s: path too long", printable(home));
	strcpy(st->home, home);
	if ((st->key = keys_load_store(home)) == NULL) {
		int saved = errno;
		path_join(keys, sizeof(keys), home, "keys");
		path_join(path, sizeof(path), keys, "store.key");
		if (saved == EPERM)
			warnx("%s: readable or writable by group or others, or "
			      "not ours (chmod 600)",
			      path);
		else if (saved == ENOENT && keys_stores_exist(home))
			/* init would refuse: a new key could not open them */
			warnx("%s: missing, but %s/store holds stores it "
			      "encrypted: put the key back from a backup: %s",
			      path, home, strerror(saved));
		else if (saved == ENOENT)
			warnx("%s: missing (run vaultfetch init)", path);
		else if (saved == EINVAL)
			warnx("%s: not a store key: it must be exactly 32 "
			      "bytes (damaged or replaced? restore it from a "
			      "backup)",
			      path);
		else {
			errno = saved;
			warn("%s", path);
		}
		free(st);
		return EXIT_FAIL;
	}
	b->name = "file";
	b->state = st;
	b->fetch = file_fetch;
	b->put = file_put;
	b->list = file_list;
	b->rm = file_rm;
	b->close = file_close;
	return EXIT_OK;
}
