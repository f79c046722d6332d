/* SPDX-License-Identifier: ISC */
/* vaultfetch fetch: backend (or cache) to a sealed blob on stdout. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "blob.h"
#include "cache.h"
#include "exitcodes.h"
#include "keys.h"
#include "paths.h"
#include "revoke.h"
#include "util.h"
#include "vaultfetch.h"

struct fetch_context {
	const struct vaultfetch_options *o;
	const char *home;
	const char *project;
	int out; /* where the blob goes */
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	struct revocation revocation; /* read once, before anything else */
	char stem[CACHE_STEM_MAX];
	uint64_t now;
};

/* The whole blob, in one piece, only once everything else succeeded. */
static int
emit(const struct fetch_context *c, const unsigned char *blob, size_t len)
{
	if (write_full(c->out, blob, len) == -1) {
		warn("stdout");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * A cached blob may stand in only when it is for this project and this
 * worker key, not expired, not from before a revocation, and young
 * enough. ttl_ms, when not 0, must also match the lifetime asked for.
 */
static bool
cached_usable(const struct fetch_context *c, const unsigned char *blob,
              size_t len, uint64_t fetched_ms, uint64_t max_age_ms,
              uint64_t ttl_ms)
{
	struct blob_header h;
	unsigned char id[BLOB_KEY_ID_BYTES];
	const char *why;
	bool ok;

	if (fetched_ms > c->now || c->now - fetched_ms >= max_age_ms)
		return false;
	if (blob_read_header(blob, len, &h, &why) == -1)
		return false;
	blob_key_id(c->pk, id);
	ok = strcmp(h.project, c->project) == 0 &&
	     memcmp(h.key_id, id, sizeof(id)) == 0 && h.expires_ms > c->now &&
	     (ttl_ms == 0 || h.expires_ms - h.created_ms == ttl_ms) &&
	     revocation_check(&c->revocation, h.created_ms, &why) == 0;
	blob_header_free(&h);
	return ok;
}

/* Emit the cached blob if it is usable within max_age_ms; -1 if not. */
static int
emit_cached(const struct fetch_context *c, uint64_t max_age_ms, uint64_t ttl_ms,
            bool stale)
{
	unsigned char *blob;
	size_t len;
	uint64_t fetched;
	int status = -1;

	if (c->o->no_cache || max_age_ms == 0 ||
	    cache_load(c->stem, &blob, &len, &fetched) == -1)
		return -1;
	if (cached_usable(c, blob, len, fetched, max_age_ms, ttl_ms)) {
		if (stale)
			warnx("project %s: backend failed; using the blob "
			      "cached %llu s ago",
			      c->project,
			      (unsigned long long)(c->now - fetched) / 1000);
		status = emit(c, blob, len);
	}
	free(blob);
	return status;
}

/* A previous value goes into the blob (for redact) only when its secret
 * was rotated within the window. */
static bool
previous_is_recent(const struct secretset *set, const struct secret *s,
                   uint64_t now, uint64_t window_ms)
{
	const struct secret *cur = secretset_find(set, s->name);

	return cur != NULL && cur->changed_ms != 0 &&
	       (now <= cur->changed_ms || now - cur->changed_ms <= window_ms);
}

/* The set without old previous values: a copy, or NULL when every entry
 * stays (the common case, spared the copy). */
static struct secretset *
recent_only(const struct secretset *set, uint64_t now, uint64_t window_ms)
{
	struct secretset *out;
	size_t i;

	for (i = 0; i < set->count; i++)
		if (set->items[i].previous &&
		    !previous_is_recent(set, &set->items[i], now, window_ms))
			break;
	if (i == set->count)
		return NULL;
	out = secretset_new();
	for (i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		if (s->previous && !previous_is_recent(set, s, now, window_ms))
			continue;
		if (secretset_add(out, s->name, s->value, s->len, s->previous,
		                  s->changed_ms) == -1)
			err(EXIT_FAIL, "secret %s", s->name);
	}
	return out;
}

static int
backend_fetch(struct fetch_context *c, struct secretset *set)
{
	struct backend b;
	int status = vaultfetch_backend(c->o, c->home, &b);

	if (status != EXIT_OK)
		return status;
	if (b.fetch == NULL) {
		warnx("backend %s cannot fetch", b.name ? b.name : "?");
		status = EXIT_USAGE;
	} else {
		b.previous_window_ms = c->o->previous_window_s * 1000;
		status = b.fetch(&b, c->project, set);
	}
	if (status != EXIT_OK && b.auth_failed) {
		/* Refused credentials: no cached copy may outlive them. */
		cache_forget_stem(c->stem);
	} else if (status == EXIT_FAIL &&
	           emit_cached(c, c->o->max_stale_s * 1000, 0, true) ==
	               EXIT_OK) {
		status = -1; /* already answered from the cache */
	}
	if (b.close != NULL)
		b.close(&b);
	return status;
}

static int
seal_and_emit(struct fetch_context *c, const struct secretset *fetched)
{
	struct secretset *set;
	unsigned char *blob;
	size_t len;
	int status;

	set = recent_only(fetched, c->now, c->o->previous_window_s * 1000);
	if (blob_seal(set ? set : fetched, c->project, c->now,
	              c->now + c->o->ttl_s * 1000, c->pk, &blob, &len) == -1) {
		warn("project %s: sealing the blob", c->project);
		secretset_free(set);
		return EXIT_FAIL;
	}
	secretset_free(set);
	if (!c->o->no_cache)
		cache_save(c->stem, blob, len, c->now);
	status = emit(c, blob, len);
	free(blob);
	return status;
}

int
vaultfetch_fetch(const struct vaultfetch_options *o, const char *home,
                 const char *project, int out)
{
	struct fetch_context c = {
	    .o = o, .home = home, .project = project, .out = out};
	int status;

	revoke_read_state(home, project, &c.revocation);
	switch (revocation_is_revoked(&c.revocation)) {
	case 0:
		break;
	case 1:
		warnx("project %s is revoked", project);
		return EXIT_FAIL;
	default:
		warn("project %s: revocation state", project);
		return EXIT_FAIL;
	}
	if (keys_load_worker_public(home, c.pk) == -1) {
		char path[PATH_MAX];
		int saved = errno;

		/* The public key is derived from worker.key: name it. */
		path_join(path, sizeof path, home, "keys/worker.key");
		warnx("%s: %s", printable(path), keys_why(path, saved));
		return EXIT_FAIL;
	}
	c.now = now_ms();
	cache_stem(home, vaultfetch_backend_spec(o), project, c.stem);
	status = emit_cached(&c, o->cache_ttl_s * 1000, o->ttl_s * 1000, false);
	if (status != -1)
		return status;
	if (o->fetch_limit > 0 &&
	    (status = fetch_limit_take(c.stem, project, o->fetch_limit,
	                               c.now)) != EXIT_OK)
		return status;

	struct secretset *set = secretset_new();
	status = backend_fetch(&c, set);
	if (status == EXIT_OK)
		status = seal_and_emit(&c, set);
	else if (status == -1)
		status = EXIT_OK;
	secretset_free(set);
	return status;
}
