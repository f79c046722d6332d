/* SPDX-License-Identifier: ISC */
/* The sealed blob: the one writer and the one reader (docs/blob-format.md). */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "bytes.h"
#include "exitcodes.h"
#include "keys.h"
#include "paths.h"
#include "revoke.h"
#include "secmem.h"
#include "util.h"

#define MAGIC "SECENV\0\1" /* 6 letters, NUL, format version 1 */
#define MAGIC_LEN 8
#define SEALED_KEY_LEN (crypto_box_SEALBYTES + \
	crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define FLAG_PREVIOUS 0x01

/* A growing byte buffer for the writer; secure when it holds values. */
struct writer {
	unsigned char *p;
	size_t len, cap;
	bool secure;
};

static void
put(struct writer *w, const void *data, size_t n)
{
	if (w->len + n > w->cap) {
		size_t ncap = (w->len + n) * 2;
		unsigned char *np = w->secure ? secmem_alloc(ncap) : malloc(ncap);

		if (np == NULL)
			err(EXIT_FAIL, "blob");
		if (w->len > 0)
			memcpy(np, w->p, w->len);
		if (w->secure) {
			secmem_free(w->p);
		} else {
			free(w->p);
		}
		w->p = np;
		w->cap = ncap;
	}
	if (n > 0)
		memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void
put_uint(struct writer *w, uint64_t v, size_t bytes)
{
	unsigned char b[8], *p = b;

	bytes_put_le(&p, bytes, v);
	put(w, b, bytes);
}

static void
writer_free(struct writer *w)
{
	if (w->secure) {
		secmem_free(w->p);
	} else {
		free(w->p);
	}
	w->p = NULL;
}

void
blob_key_id(const unsigned char pk[crypto_box_PUBLICKEYBYTES],
	    unsigned char id[BLOB_KEY_ID_BYTES])
{
	crypto_generichash(id, BLOB_KEY_ID_BYTES, pk, crypto_box_PUBLICKEYBYTES,
			   NULL, 0);
}

static void
header_write(struct writer *w, const struct secretset *set,
	     const char *project, uint64_t created_ms, uint64_t expires_ms,
	     const unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	unsigned char id[BLOB_KEY_ID_BYTES];
	size_t i, names = secretset_count_current(set);

	blob_key_id(pk, id);
	put_uint(w, strlen(project), 1);
	put(w, project, strlen(project));
	put_uint(w, created_ms, 8);
	put_uint(w, expires_ms, 8);
	put(w, id, sizeof id);
	put_uint(w, names, 4);
	for (i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];

		if (s->previous)
			continue;
		put_uint(w, strlen(s->name), 2);
		put(w, s->name, strlen(s->name));
	}
}

static void
body_write(struct writer *w, const struct secretset *set)
{
	size_t i;

	put_uint(w, set->count, 4);
	for (i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];

		put_uint(w, s->previous ? FLAG_PREVIOUS : 0, 1);
		put_uint(w, strlen(s->name), 2);
		put(w, s->name, strlen(s->name));
		put_uint(w, s->changed_ms, 8);
		put_uint(w, s->len, 4);
		put(w, s->value, s->len);
	}
}

int
blob_seal(const struct secretset *set, const char *project,
	  uint64_t created_ms, uint64_t expires_ms,
	  const unsigned char pk[crypto_box_PUBLICKEYBYTES],
	  unsigned char **out, size_t *out_len)
{
	struct writer head = {0}, body = {.secure = true}, blob = {0};
	unsigned char *data_key, nonce[NONCE_LEN];
	unsigned char sealed[SEALED_KEY_LEN];
	unsigned long long clen;
	size_t ad_len;

	if (!project_is_valid(project)) {
		errno = EINVAL;
		return -1;
	}
	header_write(&head, set, project, created_ms, expires_ms, pk);
	body_write(&body, set);

	data_key = secmem_alloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
	crypto_aead_xchacha20poly1305_ietf_keygen(data_key);
	randombytes_buf(nonce, sizeof nonce);
	if (crypto_box_seal(sealed, data_key,
			    crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
			    pk) != 0) {
		secmem_free(data_key);
		writer_free(&head);
		writer_free(&body);
		errno = EINVAL;
		return -1;
	}

	put(&blob, MAGIC, MAGIC_LEN);
	put_uint(&blob, head.len, 4);
	put(&blob, head.p, head.len);
	put(&blob, sealed, sizeof sealed);
	put(&blob, nonce, sizeof nonce);
	ad_len = blob.len;
	put(&blob, NULL, 0);
	/* Room for the ciphertext, then encrypt in place after the AD. */
	{
		size_t need = ad_len + body.len + TAG_LEN;
		unsigned char *np = realloc(blob.p, need);

		if (np == NULL)
			err(EXIT_FAIL, "blob");
		blob.p = np;
		blob.cap = need;
	}
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob.p + ad_len, &clen,
						   body.p, body.len, blob.p,
						   ad_len, NULL, nonce,
						   data_key);
	secmem_free(data_key);
	writer_free(&head);
	writer_free(&body);
	*out = blob.p;
	*out_len = ad_len + (size_t)clen;
	return 0;
}

void
blob_header_free(struct blob_header *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->name_count; i++)
		free(h->names[i]);
	free(h->names);
	h->names = NULL;
	h->name_count = 0;
}

static char *
take_name(struct bytes_in *r, size_t len_bytes)
{
	size_t n = (size_t)bytes_take_le(r, len_bytes);
	const unsigned char *p = bytes_take(r, n);
	char *name;

	if (p == NULL)
		return NULL;
	name = malloc(n + 1);
	if (name == NULL)
		err(EXIT_FAIL, "blob");
	memcpy(name, p, n);
	name[n] = '\0';
	if (strlen(name) != n || !name_is_valid(name)) {
		free(name);
		r->bad = true;
		return NULL;
	}
	return name;
}

/* Parse the clear header; on success r is left just after it. */
static int
header_parse(struct bytes_in *r, struct blob_header *h, const char **why)
{
	const unsigned char *p;
	uint64_t head_len, count;
	struct bytes_in hr;
	size_t plen, i;

	memset(h, 0, sizeof *h);
	p = bytes_take(r, MAGIC_LEN);
	if (p == NULL || memcmp(p, MAGIC, MAGIC_LEN - 1) != 0) {
		*why = "not a sealed blob (bad magic)";
		return -1;
	}
	if (p[MAGIC_LEN - 1] != MAGIC[MAGIC_LEN - 1]) {
		*why = "unsupported blob format version";
		return -1;
	}
	head_len = bytes_take_le(r, 4);
	p = bytes_take(r, (size_t)head_len);
	if (p == NULL) {
		*why = "truncated blob";
		return -1;
	}
	hr = (struct bytes_in){p, (size_t)head_len, false};
	plen = (size_t)bytes_take_le(&hr, 1);
	p = bytes_take(&hr, plen);
	if (p == NULL || plen > PROJECT_MAX_LEN) {
		*why = "malformed blob header";
		return -1;
	}
	memcpy(h->project, p, plen);
	h->project[plen] = '\0';
	h->created_ms = bytes_take_le(&hr, 8);
	h->expires_ms = bytes_take_le(&hr, 8);
	p = bytes_take(&hr, BLOB_KEY_ID_BYTES);
	if (p != NULL)
		memcpy(h->key_id, p, BLOB_KEY_ID_BYTES);
	count = bytes_take_le(&hr, 4);
	if (hr.bad || !project_is_valid(h->project) || count > hr.left / 3) {
		*why = "malformed blob header";
		return -1;
	}
	h->names = calloc(count ? (size_t)count : 1, sizeof *h->names);
	if (h->names == NULL)
		err(EXIT_FAIL, "blob");
	for (i = 0; i < count; i++) {
		h->names[i] = take_name(&hr, 2);
		if (h->names[i] == NULL)
			break;
		h->name_count++;
	}
	if (hr.bad || hr.left != 0) {
		blob_header_free(h);
		*why = "malformed blob header";
		return -1;
	}
	return 0;
}

int
blob_read_header(const unsigned char *blob, size_t len,
		 struct blob_header *h, const char **why)
{
	struct bytes_in r = {blob, len, false};

	return header_parse(&r, h, why);
}

/* The decrypted body into a set; its current names must be the header's. */
static struct secretset *
body_parse(const unsigned char *body, size_t len, const struct blob_header *h,
	   const char **why)
{
	struct bytes_in r = {body, len, false};
	struct secretset *set = secretset_new();
	uint64_t count = bytes_take_le(&r, 4), i;
	size_t current = 0;

	for (i = 0; i < count && !r.bad; i++) {
		unsigned flags = (unsigned)bytes_take_le(&r, 1);
		char *name = take_name(&r, 2);
		uint64_t changed = bytes_take_le(&r, 8);
		size_t vlen = (size_t)bytes_take_le(&r, 4);
		const unsigned char *value = bytes_take(&r, vlen);
		bool previous = (flags & FLAG_PREVIOUS) != 0;

		if (name == NULL || value == NULL || (flags & ~FLAG_PREVIOUS)) {
			free(name);
			r.bad = true;
			break;
		}
		if (!previous && (current >= h->name_count ||
				  strcmp(h->names[current], name) != 0))
			r.bad = true;
		else if (secretset_add(set, name, value, vlen, previous,
				       changed) != 0)
			r.bad = true;
		if (!previous)
			current++;
		free(name);
	}
	if (r.bad || r.left != 0 || current != h->name_count) {
		secretset_free(set);
		*why = "malformed blob body";
		return NULL;
	}
	return set;
}

struct secretset *
blob_open(const unsigned char *blob, size_t len,
	  const unsigned char pk[crypto_box_PUBLICKEYBYTES],
	  const unsigned char sk[crypto_box_SECRETKEYBYTES],
	  const char *expect_project, uint64_t now_ms, struct blob_header *h,
	  const char **why)
{
	struct bytes_in r = {blob, len, false};
	struct blob_header head;
	unsigned char id[BLOB_KEY_ID_BYTES], *data_key, *body;
	const unsigned char *sealed, *nonce;
	unsigned long long blen;
	struct secretset *set = NULL;
	size_t ad_len;

	if (len > BLOB_MAX) {
		*why = "blob too large";
		return NULL;
	}
	if (header_parse(&r, &head, why) != 0)
		return NULL;
	sealed = bytes_take(&r, SEALED_KEY_LEN);
	nonce = bytes_take(&r, NONCE_LEN);
	if (r.bad || r.left < TAG_LEN) {
		*why = "truncated blob";
		goto out;
	}
	blob_key_id(pk, id);
	if (sodium_memcmp(id, head.key_id, sizeof id) != 0) {
		*why = "sealed for another worker key";
		goto out;
	}
	ad_len = len - r.left;
	data_key = secmem_alloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
	if (crypto_box_seal_open(data_key, sealed, SEALED_KEY_LEN, pk, sk) !=
	    0) {
		secmem_free(data_key);
		*why = "cannot open the data key (wrong key or tampered blob)";
		goto out;
	}
	body = secmem_alloc(r.left);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    body, &blen, NULL, r.p, r.left, blob, ad_len, nonce,
		    data_key) != 0) {
		secmem_free(data_key);
		secmem_free(body);
		*why = "authentication failed (tampered or truncated blob)";
		goto out;
	}
	secmem_free(data_key);
	/* Only now is the header known to be genuine. */
	if (expect_project != NULL && strcmp(expect_project, head.project)) {
		secmem_free(body);
		*why = "blob is for another project";
		goto out;
	}
	if (now_ms >= head.expires_ms) {
		secmem_free(body);
		*why = "blob expired";
		goto out;
	}
	/* A blob dated ahead of the clock would outlive a revocation made
	 * after the clock was set back. */
	if (head.created_ms > now_ms + BLOB_CLOCK_SKEW_MS) {
		secmem_free(body);
		*why = "blob created in the future (clock set back?)";
		goto out;
	}
	set = body_parse(body, (size_t)blen, &head, why);
	secmem_free(body);
out:
	if (set != NULL && h != NULL)
		*h = head;
	else
		blob_header_free(&head);
	return set;
}

static int
read_blob_source(const char *path, unsigned char **blob, size_t *len)
{
	uint64_t fd;

	if (strncmp(path, "fd:", 3) == 0) {
		if (!parse_u64(path + 3, &fd) || fd > 1024) {
			errno = EBADF;
			return -1;
		}
		return read_all((int)fd, BLOB_MAX, false, blob, len);
	}
	return read_path(path, BLOB_MAX, false, blob, len);
}

struct secretset *
blob_load(const char *path, const char *expect_project,
	  struct blob_header *h)
{
	const char *home = secenv_home(), *why = NULL;
	struct worker_key key;
	struct blob_header head;
	struct secretset *set;
	unsigned char *blob;
	size_t len;

	if (read_blob_source(path, &blob, &len) != 0) {
		if (errno == EFBIG)
			errx(EXIT_FAIL, "blob %s: larger than %u bytes",
			     printable(path), BLOB_MAX);
		err(EXIT_FAIL, "blob %s", printable(path));
	}
	if (keys_load_worker(home, &key) != 0) {
		char file[PATH_MAX];
		int saved = errno;

		path_join(file, sizeof file, home, "keys/worker.key");
		errx(EXIT_FAIL, "worker key in %s/keys: worker.key: %s",
		     printable(home), keys_why(file, saved));
	}
	set = blob_open(blob, len, key.pk, key.sk, expect_project, now_ms(),
			&head, &why);
	keys_free_worker(&key);
	free(blob);
	if (set == NULL)
		errx(EXIT_FAIL, "blob %s: %s", printable(path), why);
	if (revoke_check(home, head.project, head.created_ms, &why) != 0) {
		secretset_free(set);
		blob_header_free(&head);
		errx(EXIT_FAIL, "blob %s: %s", printable(path), why);
	}
	if (h != NULL)
		*h = head;
	else
		blob_header_free(&head);
	return set;
}
