/* SPDX-License-Identifier: ISC */
/* Masker images on file: named, sealed, opened, pruned. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "atomicfile.h"
#include "image_file.h"
#include "keys.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"

/*
 * magic, the AEAD, id, nonce, tag, content length: then the sealed
 * content, in chunks of IMAGE_CHUNK bytes (the last one shorter), each
 * sealed on its own: the head's tag is the first chunk's, the others'
 * follow the content in order. A chunk's nonce is the head's with its
 * index added into bytes 8 to 11, and its associated data the head's
 * (all but nonce and tag) and its index, so no chunk can be moved,
 * swapped or cut off. The chunks of a large image are opened by two
 * threads at once (image_open).
 * The AEAD is AES-256-GCM where the CPU has it in hardware
 * (with libsodium 1.0.18 it opens an image of 20 to 200 values from
 * as fast to a quarter faster than XChaCha20-Poly1305), else
 * XChaCha20-Poly1305; it is part of the name too, so an image sealed
 * under one is never looked for under the other (a load there builds and
 * writes one of its own). GCM takes the nonce's first 12 bytes, random,
 * as a fresh image is written only for new values; the rest are zeros.
 */
#define MAGIC "secenv-mask-image 13\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define AEAD_AT MAGIC_LEN
#define ID_AT (AEAD_AT + 1)
#define NONCE_AT (ID_AT + 32)
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_AT (NONCE_AT + NONCE_LEN)
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define HEAD_LEN (TAG_AT + TAG_LEN + 8)
#define KEY_LEN crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define IMAGE_CHUNK ((size_t)256 * 1024)
/* An image of this many chunks or more is opened by two threads: a
 * thread's start costs about what opening 100 KiB does. */
#define PARALLEL_CHUNKS 4

enum { AEAD_XCHACHA20POLY1305 = 1, AEAD_AES256GCM = 2 };
#define BUILD_ID_MAX 64

enum { KEY_NAME = 1, KEY_SEAL = 2 };
#define KDF_CONTEXT "secenvmi"

struct build_id {
	unsigned char bytes[BUILD_ID_MAX];
	size_t len;
};

static size_t
note_align(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* The GNU build ID note of the program (the first object listed). */
static int
build_id_of(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *b = data;

	(void)size;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;
		size_t align = ph->p_align == 8 ? 8 : 4;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			ElfW(Nhdr) nh;
			size_t name_at = sizeof(nh), desc_at;

			memcpy(&nh, p, sizeof(nh));
			desc_at = name_at + note_align(nh.n_namesz, align);
			if (desc_at > (size_t)(end - p) ||
			    nh.n_descsz > (size_t)(end - p) - desc_at)
				break;
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    memcmp(p + name_at, "GNU", 4) == 0 &&
			    nh.n_descsz > 0 && nh.n_descsz <= BUILD_ID_MAX) {
				memcpy(b->bytes, p + desc_at, nh.n_descsz);
				b->len = nh.n_descsz;
				return 1;
			}
			p += desc_at + note_align(nh.n_descsz, align);
		}
	}
	return 1; /* the program only, not its libraries */
}

static void
hash_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	crypto_generichash_update(h, b, sizeof(b));
}

static void
name_of(struct image_file *f, const struct build_id *b,
        const struct secretset *set, size_t min_length, bool encodings,
        bool detect, const unsigned char *key)
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, key, 32, sizeof(f->id));
	crypto_generichash_update(&h, (const unsigned char *)MAGIC, MAGIC_LEN);
	hash_u64(&h, f->aead);
	hash_u64(&h, b->len);
	crypto_generichash_update(&h, b->bytes, b->len);
	hash_u64(&h, min_length);
	hash_u64(&h, (uint64_t)encodings << 1 | (uint64_t)detect);
	hash_u64(&h, set->count);
	for (size_t i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		size_t n = strlen(s->name);

		hash_u64(&h, n);
		crypto_generichash_update(&h, (const unsigned char *)s->name,
		                          n);
		hash_u64(&h, s->len << 1 | s->previous);
		crypto_generichash_update(&h, s->value, s->len);
	}
	crypto_generichash_final(&h, f->id, sizeof(f->id));
	sodium_memzero(&h, sizeof(h));
}

void
image_file_begin(struct image_file *f, const struct secretset *set,
                 size_t min_length, bool encodings, bool detect)
{
	const char *how = getenv("SECENV_MASK_IMAGES");
	struct build_id b = {{0}, 0};
	struct worker_key wk;
	unsigned char *name_key;
	const char *runtime;
	char dir[4096], hex[2 * sizeof(f->id) + 1];

	memset(f, 0, sizeof(*f));
	if (how != NULL && strcmp(how, "0") == 0)
		return;
	/* "xchacha20poly1305": as on a CPU without AES in hardware */
	f->aead =
	    crypto_aead_aes256gcm_is_available() &&
	            !(how != NULL && strcmp(how, "xchacha20poly1305") == 0)
	        ? AEAD_AES256GCM
	        : AEAD_XCHACHA20POLY1305;
	dl_iterate_phdr(build_id_of, &b);
	if (b.len == 0 || keys_load_worker(secenv_home(), &wk) != 0)
		return;
	name_key = secmem_alloc(32);
	f->key = secmem_alloc(KEY_LEN);
	crypto_kdf_derive_from_key(name_key, 32, KEY_NAME, KDF_CONTEXT, wk.sk);
	crypto_kdf_derive_from_key(f->key, KEY_LEN, KEY_SEAL, KDF_CONTEXT,
	                           wk.sk);
	keys_free_worker(&wk);
	name_of(f, &b, set, min_length, encodings, detect, name_key);
	secmem_free(name_key);
	/* No private runtime directory: no image, and no failure either
	 * (redact -b needs none). */
	if ((runtime = secenv_runtime_dir_or_null()) == NULL) {
		image_file_end(f);
		return;
	}
	path_join(dir, sizeof(dir), runtime, RUNTIME_IMAGES);
	if (dir_ensure(dir) != 0) {
		image_file_end(f);
		return;
	}
	sodium_bin2hex(hex, sizeof(hex), f->id, sizeof(f->id));
	path_join(f->path, sizeof(f->path), dir, hex);
	f->usable = true;
}

/* The head of f's image of len bytes, its nonce and tag zeros. */
static void
head_make(unsigned char *head, const struct image_file *f, uint64_t len)
{
	memset(head, 0, HEAD_LEN);
	memcpy(head, MAGIC, MAGIC_LEN);
	head[AEAD_AT] = (unsigned char)f->aead;
	memcpy(head + ID_AT, f->id, 32);
	for (int i = 0; i < 8; i++)
		head[HEAD_LEN - 8 + i] = (unsigned char)(len >> (8 * i));
}

/* How many chunks len bytes of content are sealed in (one at least). */
static size_t
chunks_of(size_t len)
{
	return len == 0 ? 1 : (len + IMAGE_CHUNK - 1) / IMAGE_CHUNK;
}

/* The bytes of an image of len bytes of content, on file. */
static size_t
image_size(size_t len)
{
	return HEAD_LEN + len + (chunks_of(len) - 1) * TAG_LEN;
}

/* Where chunk i's tag is in an image of len bytes of content. */
static size_t
tag_at(size_t len, size_t i)
{
	return i == 0 ? TAG_AT : HEAD_LEN + len + (i - 1) * TAG_LEN;
}

/* Chunk i's associated data (the head but nonce and tag, and i) and
 * nonce (the head's, i added into bytes 8 to 11). */
#define AD_LEN (NONCE_AT + 8 + 4)

static void
chunk_ad(const unsigned char *head, size_t i, unsigned char *ad,
         unsigned char *nonce)
{
	uint32_t carry = (uint32_t)i;

	memcpy(ad, head, NONCE_AT);
	memcpy(ad + NONCE_AT, head + HEAD_LEN - 8, 8);
	for (int k = 0; k < 4; k++)
		ad[NONCE_AT + 8 + k] = (unsigned char)(i >> (8 * k));
	memcpy(nonce, head + NONCE_AT, NONCE_LEN);
	for (int k = 8; k < 12; k++) {
		carry += nonce[k];
		nonce[k] = (unsigned char)carry;
		carry >>= 8;
	}
}

/* Chunks [from, to) of an image of n bytes of content mapped at map, to
 * open into out; status 0 while each one opened. */
struct chunk_job {
	const struct image_file *f;
	unsigned char *out;
	const unsigned char *map;
	size_t n, from, to;
	int status;
};

static void *
chunks_open(void *arg)
{
	struct chunk_job *j = arg;

	for (size_t i = j->from; i < j->to && j->status == 0; i++) {
		unsigned char ad[AD_LEN], nonce[NONCE_LEN];
		size_t at = i * IMAGE_CHUNK,
		       len = j->n - at < IMAGE_CHUNK ? j->n - at : IMAGE_CHUNK;
		const unsigned char *tag = j->map + tag_at(j->n, i);

		chunk_ad(j->map, i, ad, nonce);
		if (j->f->aead == AEAD_AES256GCM)
			j->status = crypto_aead_aes256gcm_decrypt_detached(
			    j->out + at, NULL, j->map + HEAD_LEN + at, len, tag,
			    ad, AD_LEN, nonce, j->f->key);
		else
			j->status =
			    crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
			        j->out + at, NULL, j->map + HEAD_LEN + at, len,
			        tag, ad, AD_LEN, nonce, j->f->key);
	}
	return NULL;
}

/*
 * Open the sealed n bytes of an image mapped at map into out: a large
 * one's later chunks in a thread of our own while we open the first
 * ones (on a machine of two CPUs or more), which is joined before we
 * return, so the caller has no thread more after than before.
 */
static int
image_open(const struct image_file *f, unsigned char *out,
           const unsigned char *map, size_t n)
{
	size_t count = chunks_of(n);
	struct chunk_job mine = {f, out, map, n, 0, count, 0}, other;
	pthread_t helper;
	bool helped = false;

	if (count >= PARALLEL_CHUNKS && sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		other = mine;
		other.from = mine.to = count / 2;
		helped =
		    pthread_create(&helper, NULL, chunks_open, &other) == 0;
		if (!helped)
			mine.to = count;
	}
	chunks_open(&mine);
	if (helped) {
		pthread_join(helper, NULL);
		if (other.status != 0)
			mine.status = other.status;
	}
	return mine.status == 0 ? 0 : -1;
}

/* Seal len bytes of content into out, after its head (made already),
 * chunk by chunk. */
static void
image_seal(const struct image_file *f, unsigned char *out,
           const unsigned char *content, size_t len)
{
	randombytes_buf(out + NONCE_AT, f->aead == AEAD_AES256GCM
	                                    ? crypto_aead_aes256gcm_NPUBBYTES
	                                    : NONCE_LEN);
	for (size_t i = 0; i < chunks_of(len); i++) {
		unsigned char ad[AD_LEN], nonce[NONCE_LEN];
		size_t at = i * IMAGE_CHUNK,
		       n = len - at < IMAGE_CHUNK ? len - at : IMAGE_CHUNK;

		chunk_ad(out, i, ad, nonce);
		if (f->aead == AEAD_AES256GCM)
			crypto_aead_aes256gcm_encrypt_detached(
			    out + HEAD_LEN + at, out + tag_at(len, i), NULL,
			    content + at, n, ad, AD_LEN, NULL, nonce, f->key);
		else
			crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
			    out + HEAD_LEN + at, out + tag_at(len, i), NULL,
			    content + at, n, ad, AD_LEN, NULL, nonce, f->key);
	}
}

/* A time set later than now by more than the clocks differ: a file's
 * times are taken finer than time(2)'s second (the kernel's multigrain
 * timestamps), so one written just now may stand in the next second. */
static bool
in_future(const struct stat *st, time_t now)
{
	return st->st_mtime > now + 1;
}

static bool
too_old(const struct stat *st, time_t now)
{
	return in_future(st, now) || now - st->st_mtime > IMAGE_MAX_AGE_S;
}

unsigned char *
image_file_read(struct image_file *f, size_t *len)
{
	unsigned char expect[HEAD_LEN];
	unsigned char *block = NULL, *map = MAP_FAILED;
	struct stat st;
	size_t n = 0;
	int fd;

	if (!f->usable)
		return NULL;
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size < (off_t)HEAD_LEN ||
	    (size_t)st.st_size - HEAD_LEN >
	        IMAGE_MAX + IMAGE_MAX / IMAGE_CHUNK * TAG_LEN ||
	    too_old(&st, time(NULL)))
		goto out;
	/* Mapped, not read: the sealed bytes are read once, by the
	 * decryption, with no copy in between. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
	           MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	for (int i = 0; i < 8; i++)
		n |= (size_t)map[HEAD_LEN - 8 + i] << (8 * i);
	if (n > IMAGE_MAX || image_size(n) != (size_t)st.st_size) {
		n = 0;
		goto out;
	}
	head_make(expect, f, n);
	if (memcmp(map, expect, NONCE_AT) != 0 ||
	    memcmp(map + HEAD_LEN - 8, expect + HEAD_LEN - 8, 8) != 0)
		goto out;
	block = secmem_alloc_whole(n > 0 ? n : 1);
	if (image_open(f, block, map, n) != 0) {
		secmem_free(block);
		block = NULL;
	}
out:
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	close(fd);
	*len = n;
	return block;
}

/* An image's name: the hex of its id. */
static bool
is_image_name(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 64 && s[n] == '\0';
}

struct kept {
	time_t mtime;
	char name[65];
};

static int
kept_newer_first(const void *x, const void *y)
{
	const struct kept *a = x, *b = y;

	return (a->mtime < b->mtime) - (a->mtime > b->mtime);
}

/* Remove images too old or beyond the newest IMAGE_KEEP, and what a
 * writer killed before its rename left, once a minute old. */
static void
prune(const char *dir)
{
	struct kept *kept = NULL;
	size_t count = 0, cap = 0;
	time_t now = time(NULL);
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		struct stat st;

		if (d->d_name[0] == '.' || fstatat(dirfd(dp), d->d_name, &st,
		                                   AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!is_image_name(d->d_name)) {
			if (in_future(&st, now) || now - st.st_mtime >= 60)
				(void)unlinkat(dirfd(dp), d->d_name, 0);
			continue;
		}
		if (too_old(&st, now)) {
			(void)unlinkat(dirfd(dp), d->d_name, 0);
			continue;
		}
		if (count == cap) {
			struct kept *bigger;

			cap = cap ? 2 * cap : 16;
			if ((bigger = realloc(kept, cap * sizeof(*kept))) ==
			    NULL)
				break;
			kept = bigger;
		}
		kept[count].mtime = st.st_mtime;
		memcpy(kept[count].name, d->d_name, sizeof(kept->name));
		count++;
	}
	if (count > IMAGE_KEEP) {
		qsort(kept, count, sizeof(*kept), kept_newer_first);
		for (size_t i = IMAGE_KEEP; i < count; i++)
			(void)unlinkat(dirfd(dp), kept[i].name, 0);
	}
	free(kept);
	closedir(dp);
}

void
image_file_write(struct image_file *f, const unsigned char *content, size_t len)
{
	unsigned char *out;
	char *slash;

	if (!f->usable || len > IMAGE_MAX)
		return;
	if ((out = malloc(image_size(len))) == NULL)
		return;
	head_make(out, f, len);
	image_seal(f, out, content, len);
	(void)atomic_replace(f->path, out, image_size(len));
	free(out);
	slash = strrchr(f->path, '/');
	*slash = '\0';
	prune(f->path);
	*slash = '/';
}

void
image_file_end(struct image_file *f)
{
	secmem_free(f->key);
	sodium_memzero(f, sizeof(*f));
}
