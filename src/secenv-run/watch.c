/* SPDX-License-Identifier: ISC */
/* --watch: notice that the project's secrets changed, and start the command
 * again with the new values, each restart recorded. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "blob.h"
#include "exitcodes.h"
#include "keys.h"
#include "names.h"
#include "paths.h"
#include "run.h"
#include "secmem.h"
#include "secretset.h"
#include "util.h"

#define LOCAL_CHECK_MS 1000  /* the store and the change stamp */
#define REMOTE_INTERVAL_S 60 /* a remote backend, by default */
#define REMOTE_INTERVAL_MAX 86400

/* What a change on this machine touches: the file backend's store file
 * and vaultfetch's change stamp of the project (any backend). */
struct stamp {
	struct stat store, changed;
	bool has_store, has_changed;
};

static struct {
	bool on;
	unsigned char *key; /* this run's, for the digests (secure memory) */
	unsigned char digest[crypto_generichash_BYTES]; /* of what runs now */
	struct stamp stamp;
	uint64_t next_local, next_remote, remote_ms; /* 0: no remote poll */
	int pending_blob; /* the new blob, fetched, once a restart is due */
	int mask_blob;    /* what the masking loads: every value given so far */
	uint64_t generation_ms; /* when the current command started */
} watch = {.pending_blob = -1, .mask_blob = -1};

/* A descriptor of its own (its own offset) on the memfd fd. */
static int
reader_open(int fd)
{
	char path[64];
	int reader;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if ((reader = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		err(EXIT_FAIL, "blob: %s", path);
	return reader;
}

static void
stat_into(const char *path, struct stat *st, bool *has)
{
	*has = stat(path, st) == 0;
	if (!*has)
		memset(st, 0, sizeof *st);
}

static void
stamp_take(const struct run *r, struct stamp *s)
{
	char dir[PATH_MAX], path[PATH_MAX], name[PROJECT_MAX_LEN + 16];

	memset(s, 0, sizeof *s);
	snprintf(name, sizeof name, "%s.vault", r->o->project);
	path_join(dir, sizeof dir, r->home, "store");
	path_join(path, sizeof path, dir, name);
	stat_into(path, &s->store, &s->has_store);
	snprintf(name, sizeof name, "%s~changed", r->o->project);
	path_join(dir, sizeof dir, secenv_runtime_path(), "cache");
	path_join(path, sizeof path, dir, name);
	stat_into(path, &s->changed, &s->has_changed);
}

static bool
stat_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static bool
stamp_same(const struct stamp *a, const struct stamp *b)
{
	return a->has_store == b->has_store &&
	       a->has_changed == b->has_changed &&
	       stat_same(&a->store, &b->store) &&
	       stat_same(&a->changed, &b->changed);
}

struct digest_call {
	const char *project;
	int blob_fd;
};

static int
names_order(const void *a, const void *b)
{
	const struct secret *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* In a child: the blob's current names and values, hashed under the
 * run's key, on stdout. Only the child holds the values; the digest
 * tells one set of values from another and nothing more. */
static int
digest_in_child(void *arg)
{
	const struct digest_call *c = arg;
	char path[32];
	struct secretset *set;
	const struct secret **items;
	crypto_generichash_state st;
	unsigned char digest[crypto_generichash_BYTES];
	size_t n = 0;

	snprintf(path, sizeof path, "fd:%d", c->blob_fd);
	set = blob_load(path, c->project, NULL);
	items = xcalloc(set->count + 1, sizeof *items);
	for (size_t i = 0; i < set->count; i++)
		if (!set->items[i].previous)
			items[n++] = &set->items[i];
	qsort(items, n, sizeof *items, names_order);
	crypto_generichash_init(&st, watch.key, crypto_generichash_KEYBYTES,
	                        sizeof digest);
	for (size_t i = 0; i < n; i++) {
		uint64_t len = items[i]->len;

		crypto_generichash_update(&st,
		                          (const unsigned char *)items[i]->name,
		                          strlen(items[i]->name) + 1);
		crypto_generichash_update(&st, (const unsigned char *)&len,
		                          sizeof len);
		crypto_generichash_update(&st, items[i]->value, items[i]->len);
	}
	crypto_generichash_final(&st, digest, sizeof digest);
	free(items);
	secretset_free(set);
	return write_full(STDOUT_FILENO, digest, sizeof digest) == 0
	           ? EXIT_OK
	           : EXIT_FAIL;
}

/* The digest of the blob that blob (a memfd) holds, read on a
 * descriptor of its own; false when it cannot be had (said on stderr). */
static bool
blob_digest(const struct run *r, int blob,
            unsigned char digest[crypto_generichash_BYTES])
{
	struct digest_call c = {r->o->project, reader_open(blob)};
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	pipe_make(fds);
	pid = spawn_call("secenv", digest_in_child, &c, -1, fds[1], -1,
	                 &c.blob_fd, 1, false);
	close(fds[1]);
	close(c.blob_fd);
	n = read_full(fds[0], digest, crypto_generichash_BYTES);
	close(fds[0]);
	status = wait_status(pid);
	return status == 0 && n == crypto_generichash_BYTES;
}

/* How often a remote backend is asked: SECENV_WATCH_INTERVAL seconds. */
static uint64_t
remote_interval_ms(void)
{
	const char *backend = env_nonempty("SECENV_BACKEND");
	const char *given = env_nonempty("SECENV_WATCH_INTERVAL");
	uint64_t s = REMOTE_INTERVAL_S;

	if (backend == NULL || strcmp(backend, "file") == 0)
		return 0;
	if (given != NULL &&
	    (!parse_u64(given, &s) || s == 0 || s > REMOTE_INTERVAL_MAX))
		errx(EXIT_USAGE,
		     "SECENV_WATCH_INTERVAL: not a number of "
		     "seconds from 1 to %u: %s",
		     REMOTE_INTERVAL_MAX, printable(given));
	return s * 1000;
}

/* After the fetch: what the command is about to be given, as a digest,
 * and where changes would show. */
void
watch_begin(struct run *r)
{
	uint64_t now = monotonic_ms();

	if (!r->o->watch)
		return;
	watch.on = true;
	watch.remote_ms = remote_interval_ms();
	watch.key = secmem_alloc(crypto_generichash_KEYBYTES);
	randombytes_buf(watch.key, crypto_generichash_KEYBYTES);
	if (r->fetched) {
		if (!blob_digest(r, r->blob_fd[0], watch.digest))
			errx(EXIT_FAIL,
			     "run: --watch: cannot read the secrets of %s",
			     r->o->project);
		watch.mask_blob = reader_open(r->blob_fd[0]);
	}
	stamp_take(r, &watch.stamp);
	watch.next_local = now + LOCAL_CHECK_MS;
	watch.next_remote = now + watch.remote_ms;
	watch.generation_ms = now_ms();
}

/* A new blob, and whether its values differ from those running now; the
 * blob is kept for the restart when they do. */
static bool
values_changed(const struct run *r)
{
	unsigned char digest[crypto_generichash_BYTES];
	int writer = memfd_make("secenv-blob", MFD_ALLOW_SEALING);

	if (blob_fetch(r->o->project, writer, -1) != 0 ||
	    !blob_digest(r, writer, digest) ||
	    sodium_memcmp(digest, watch.digest, sizeof digest) == 0) {
		close(writer);
		return false;
	}
	memcpy(watch.digest, digest, sizeof digest);
	watch.pending_blob = writer;
	return true;
}

/*
 * While the command runs: true once when its secrets have changed, and
 * the command is to be stopped (TERM, then KILL) and started again. A
 * change on this machine is looked for every LOCAL_CHECK_MS; a remote
 * backend is asked every remote_ms, through the blob cache.
 */
bool
watch_changed(const struct run *r, uint64_t now)
{
	struct stamp stamp;
	bool look = false;

	if (!watch.on || watch.pending_blob >= 0 || now < watch.next_local)
		return false;
	watch.next_local = now + LOCAL_CHECK_MS;
	stamp_take(r, &stamp);
	if (!stamp_same(&stamp, &watch.stamp)) {
		watch.stamp = stamp;
		look = true;
	}
	if (watch.remote_ms != 0 && now >= watch.next_remote) {
		watch.next_remote = now + watch.remote_ms;
		look = true;
	}
	return look && values_changed(r);
}

/* The command's wait ends by until, or earlier for the next look. */
uint64_t
watch_wake(uint64_t until)
{
	if (!watch.on || watch.pending_blob >= 0 || watch.next_local >= until)
		return until;
	return watch.next_local;
}

static void
say(const struct run *r, const char *message)
{
	warnx("%s", message);
	if (r->o->json &&
	    (write_full(r->err_dest, "secenv: ", 8) != 0 ||
	     write_full(r->err_dest, message, strlen(message)) != 0 ||
	     write_full(r->err_dest, "\n", 1) != 0))
		err(EXIT_FAIL, "run: stderr");
}

struct merge_call {
	const char *project;
	int old_fd, new_fd; /* old_fd -1: none */
};

/* The values of a masking blob made by an earlier restart (or the run's
 * first blob), opened as of its own creation: it may have expired since,
 * and it is for masking only, never injected. */
static struct secretset *
old_values_load(int fd, const char *project)
{
	const char *why = NULL, *home = secenv_home();
	struct blob_header h;
	struct worker_key key;
	struct secretset *set;
	unsigned char *blob;
	size_t len;

	if (read_all(fd, BLOB_MAX, false, &blob, &len) != 0)
		err(EXIT_FAIL, "blob fd:%d", fd);
	if (blob_read_header(blob, len, &h, &why) != 0)
		errx(EXIT_FAIL, "blob fd:%d: %s", fd, why);
	if (keys_load_worker(home, &key) != 0)
		err(EXIT_FAIL, "worker key in %s/keys", printable(home));
	set = blob_open(blob, len, key.pk, key.sk, project, h.created_ms, NULL,
	                &why);
	keys_free_worker(&key);
	blob_header_free(&h);
	free(blob);
	if (set == NULL)
		errx(EXIT_FAIL, "blob fd:%d: %s", fd, why);
	return set;
}

/* In a child: the new blob's values, and every value of the old masking
 * blob as a previous one, sealed again for the worker key, on stdout. */
static int
merge_in_child(void *arg)
{
	const struct merge_call *c = arg;
	unsigned char pk[crypto_box_PUBLICKEYBYTES], *out;
	struct secretset *set, *old;
	struct blob_header h;
	char path[32];
	size_t len;
	int status;

	snprintf(path, sizeof path, "fd:%d", c->new_fd);
	set = blob_load(path, c->project, &h);
	if (c->old_fd >= 0) {
		old = old_values_load(c->old_fd, c->project);
		for (size_t i = 0; i < old->count; i++)
			if (secretset_add(set, old->items[i].name,
			                  old->items[i].value,
			                  old->items[i].len, true,
			                  old->items[i].changed_ms) != 0)
				err(EXIT_FAIL, "previous values");
		secretset_free(old);
	}
	if (keys_load_worker_public(secenv_home(), pk) != 0)
		err(EXIT_FAIL, "worker key in %s/keys",
		    printable(secenv_home()));
	if (blob_seal(set, c->project, h.created_ms, h.expires_ms, pk, &out,
	              &len) != 0)
		err(EXIT_FAIL, "seal the masking's blob");
	secretset_free(set);
	blob_header_free(&h);
	status = write_full(STDOUT_FILENO, out, len) == 0 ? EXIT_OK : EXIT_FAIL;
	free(out);
	return status;
}

/* The next masking blob: the new values and all that came before. The
 * values meet only in a child; the run gets a sealed blob. */
static bool
mask_blob_next(const struct run *r, int blob)
{
	struct merge_call c = {
	    r->o->project,
	    watch.mask_blob >= 0 ? reader_open(watch.mask_blob) : -1,
	    reader_open(blob)};
	int keep[2] = {c.old_fd, c.new_fd};
	int writer = memfd_make("secenv-blob", MFD_ALLOW_SEALING);
	int status = wait_status(spawn_call("secenv", merge_in_child, &c, -1,
	                                    writer, -1, keep, 2, false));

	if (c.old_fd >= 0)
		close(c.old_fd);
	close(c.new_fd);
	if (status != 0 || memfd_seal(writer) != 0) {
		close(writer);
		return false;
	}
	fd_close(&watch.mask_blob);
	watch.mask_blob = writer;
	return true;
}

/* The restart record: what the stopped command printed (its masks), how
 * it ended, and the names the next one gets. */
static bool
restart_record(struct run *r, int status)
{
	json_t *masks =
	    r->sanitized ? masks_read(r->stats_fd, 2) : json_object();
	size_t len;
	char *command =
	    r->sanitized ? memfd_text(r->text_fd, &len) : xstrdup(r->cmdstr);
	json_t *record;
	bool ok = true;

	for (size_t i = 0; i < 2; i++)
		fd_close(&r->stats_fd[i]);
	fd_close(&r->text_fd);
	record =
	    json_pack("{s:s, s:s, s:o, s:s, s:i, s:I, s:o, s:o}", "event",
	              "restart", "project", r->o->project, "command",
	              json_bytes(command != NULL ? command : ""), "reason",
	              "secrets changed", "exit", status, "duration_ms",
	              (json_int_t)(now_ms() - watch.generation_ms), "masks",
	              masks, "secrets", json_names(r->names, r->name_count));
	free(command);
	if (record == NULL)
		errx(EXIT_FAIL, "cannot encode the audit record");
	if (r->audit && audit_append(r->audit_log, record) != 0)
		ok = false;
	json_decref(record);
	return ok;
}

/*
 * After the command and its masking ended: true when it ended for a
 * restart, which is then ready: recorded, the names loaded again and
 * checked by the guard as at the start, the new blob in place. The new
 * masking process loads the new values and every value this run gave a
 * command before, for as long as the run lasts.
 */
bool
watch_restart(struct run *r, int status, int masking_failed)
{
	int blob = watch.pending_blob;
	char *message;

	if (blob < 0)
		return false;
	watch.pending_blob = -1;
	if (r->interrupted != 0 || r->timed_out || masking_failed != 0) {
		close(blob);
		return false;
	}
	if (!mask_blob_next(r, blob)) {
		close(blob);
		say(r, "run: --watch: the values to mask cannot be loaded; "
		       "the command is not started again");
		return false;
	}
	names_free(r->names, r->name_count);
	if (names_load(r->o->project, &r->names, &r->name_count) != 0 ||
	    !restart_record(r, status)) {
		close(blob);
		say(r, "run: --watch: the restart cannot be recorded; the "
		       "command is not started again");
		return false;
	}
	message = xasprintf("run: the secrets of %s changed; the command "
	                    "was stopped (status %d) and starts again",
	                    r->o->project, status);
	say(r, message);
	free(message);
	if (r->guard)
		guard_step(r);
	blob_readers(r, blob);
	close(blob);
	/* the masking loads every value given so far */
	fd_close(&r->blob_fd[1]);
	r->blob_fd[1] = reader_open(watch.mask_blob);
	r->fetched = true;
	r->sanitized = false;
	watch.generation_ms = now_ms();
	return true;
}
