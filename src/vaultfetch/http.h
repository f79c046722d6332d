/* SPDX-License-Identifier: ISC */
/* The one HTTP client of the remote backends: libcurl multi, TLS always
 * verified, retries with backoff, bodies in secure memory. */
#ifndef VAULTFETCH_HTTP_H
#define VAULTFETCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "secjson.h"

#define HTTP_MAX_HEADERS 6

struct http_client;

/* One request and, after http_perform(), its answer. */
struct http_transfer {
	/* request, set by the caller */
	const char *method; /* "GET", "PUT", "POST", "DELETE" */
	const char *url;    /* may be malloc'd by the caller */
	const char *headers[HTTP_MAX_HEADERS + 1]; /* "Name: value", NULL-ended;
	                                             may hold credentials */
	const char *auth_header;   /* one more header, set by the backend's
	                              authentication layer; may be replaced
	                              between rounds */
	const unsigned char *body; /* may be a secret: never copied */
	size_t body_len;
	void *user; /* for the caller */

	/* answer */
	long status;             /* HTTP status, 0 when none arrived */
	unsigned char *response; /* secure memory, NUL-terminated */
	size_t response_len;
	char *challenge;   /* WWW-Authenticate of the last answer */
	const char *error; /* static: why no usable status arrived */
	unsigned attempts;

	/* private */
	size_t response_cap;
	bool too_large;
	long retry_after_ms; /* from the last answer's headers, -1 none */
	uint64_t not_before_ms;
	bool done;
	void *easy;
	void *header_list;
};

/*
 * A client for one backend: prog names it in messages, ca_bundle (may
 * be NULL for the system store) is a PEM file of trusted CAs, and
 * allow_http lets plain http through (local token endpoints only).
 * Settings come from SECENV_HTTP_TIMEOUT, SECENV_HTTP_RETRIES,
 * SECENV_HTTP_RETRY_CAP and SECENV_HTTP_PARALLEL (docs/backends.md).
 * Dies 111 when curl cannot start.
 */
struct http_client *http_client_new(const char *ca_bundle);
void http_client_free(struct http_client *c);

/* Also retry this status (Vault's 412), besides 429 and 5xx. */
void http_client_retry_status(struct http_client *c, long status);

/* Plain http allowed (for the managed-identity endpoints only). */
void http_client_allow_http(struct http_client *c, bool allow);

/*
 * Run n transfers, at most the client's concurrency at once over
 * reused connections, retrying 429, 5xx and the extra statuses with
 * backoff that honours retry-after-ms, x-ms-retry-after-ms and
 * Retry-After. Each transfer ends with a status (any, including 4xx)
 * or with error set. Never fails as a whole.
 */
void http_perform(struct http_client *c, struct http_transfer *t, size_t n);

/*
 * The same, one at a time and without waiting: queue t (urgent: ahead
 * of everything not yet started), and run the queue until `until` is
 * done (NULL: until the queue is empty). A queued transfer must stay
 * where it is until done.
 */
void http_submit(struct http_client *c, struct http_transfer *t, bool urgent);
void http_wait(struct http_client *c, const struct http_transfer *until);

/* Stop and forget every queued transfer (each ends with error set). */
void http_cancel_all(struct http_client *c);

/* Wipe and free the answer parts of t (the request parts are the
 * caller's). */
void http_transfer_reset(struct http_transfer *t);

/* A message for a transfer that did not end in a 2xx: "timed out",
 * "HTTP 404" and so on. Static or t-owned; never holds a body. */
const char *http_describe(const struct http_transfer *t, char *buf,
                          size_t size);

/* The URL without its query, for messages. Static buffer. */
const char *http_url_for_message(const char *url);

/*
 * Milliseconds a server asked to wait, from the value of one header:
 * retry-after-ms and x-ms-retry-after-ms take milliseconds, Retry-After
 * takes seconds or an HTTP date (now_s is the current time). -1 when
 * the value is not understood.
 */
long http_parse_retry_after(const char *header, const char *value,
                            int64_t now_s);

/* Percent-encode src (len bytes) into a new secure-memory string. */
char *http_form_escape(const unsigned char *src, size_t len);

#endif
