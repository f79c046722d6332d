/* SPDX-License-Identifier: ISC */
/* The worker key pair and the store key under SECENV_HOME/keys. */
#ifndef SECENV_KEYS_H
#define SECENV_KEYS_H

#include <stdbool.h>

#include <sodium.h>

struct worker_key {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char *sk; /* secure memory */
};

/* keys/worker.pub: the public key alone (readable by anyone). -1 with errno. */
int keys_load_worker_public(const char *home,
			    unsigned char pk[crypto_box_PUBLICKEYBYTES]);

/* keys/worker.key (0600, checked); the public key is derived from it.
 * -1 with errno (EINVAL: not 32 bytes; EPERM: see keys_why). */
int keys_load_worker(const char *home, struct worker_key *key);
void keys_free_worker(struct worker_key *key);

/* From keys_keep_worker() to keys_drop_worker(), the worker key is read
 * from its file once: the later loads of the same home copy it from
 * secure memory (a process that opens a blob it just fetched). */
void keys_keep_worker(void);
void keys_drop_worker(void);

/* What is wrong with key file path that did not load with errnum, and
 * what to do (for a message that names path first). Static string. */
const char *keys_why(const char *path, int errnum);

/* Does store/ hold a project's store (a file named *.vault)? */
bool keys_stores_exist(const char *home);

/* keys/store.key: 32 bytes in secure memory, or NULL with errno. */
unsigned char *keys_load_store(const char *home);

/*
 * Create SECENV_HOME, keys/, store/, revoked/ (0700) and the key files
 * (0600: worker.key, worker.pub, store.key, audit.key) that are missing; existing keys are never replaced. Returns
 * the number of keys created (0 on a second run) or -1 with errno and
 * *what naming the path that failed.
 */
int keys_init(const char *home, const char **what);

#endif
