/* SPDX-License-Identifier: ISC */
/* The one HTTP client of the remote backends (see http.h). */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "exitcodes.h"
#include "http.h"
#include "secmem.h"
#include "util.h"

#define DEFAULT_TIMEOUT_S 30
#define DEFAULT_RETRIES 4
#define DEFAULT_RETRY_CAP_S 30
#define DEFAULT_PARALLEL 16
#define MAX_PARALLEL 64
#define MAX_RETRIES 10
#define BACKOFF_BASE_MS 200
#define MAX_RESPONSE (8u * 1024 * 1024)
#define MAX_EXTRA_STATUSES 4

struct http_client {
	CURLM *multi;
	char *ca_bundle;
	long timeout_ms;
	unsigned retries;
	long retry_cap_ms;
	unsigned parallel;
	bool allow_http;
	long extra_status[MAX_EXTRA_STATUSES];
	size_t extra_count;
	struct http_transfer **queue; /* submitted, not yet done */
	size_t queued, queue_cap;
	unsigned running;
};

static uint64_t
env_number(const char *var, uint64_t dflt, uint64_t min, uint64_t max)
{
	const char *s = getenv(var);
	uint64_t v;

	if (s == NULL || *s == '\0')
		return dflt;
	if (!parse_u64(s, &v) || v < min || v > max)
		errx(EXIT_USAGE,
		     "%s: expected a whole number from %llu to %llu", var,
		     (unsigned long long)min, (unsigned long long)max);
	return v;
}

struct http_client *
http_client_new(const char *ca_bundle)
{
	static bool curl_ready;
	struct http_client *c;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			errx(EXIT_FAIL, "cannot initialise libcurl");
		curl_ready = true;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		err(EXIT_FAIL, "http client");
	c->timeout_ms = (long)env_number("SECENV_HTTP_TIMEOUT",
	                                 DEFAULT_TIMEOUT_S, 1, 3600) *
	                1000;
	c->retries = (unsigned)env_number("SECENV_HTTP_RETRIES",
	                                  DEFAULT_RETRIES, 0, MAX_RETRIES);
	c->retry_cap_ms = (long)env_number("SECENV_HTTP_RETRY_CAP",
	                                   DEFAULT_RETRY_CAP_S, 0, 3600) *
	                  1000;
	c->parallel = (unsigned)env_number("SECENV_HTTP_PARALLEL",
	                                   DEFAULT_PARALLEL, 1, MAX_PARALLEL);
	if (ca_bundle != NULL && *ca_bundle != '\0') {
		c->ca_bundle = strdup(ca_bundle);
		if (c->ca_bundle == NULL)
			err(EXIT_FAIL, "http client");
	}
	c->multi = curl_multi_init();
	if (c->multi == NULL)
		errx(EXIT_FAIL, "cannot initialise libcurl");
	/* HTTP/2 multiplexing where the server offers it; otherwise at
	 * most `parallel` HTTP/1.1 connections, kept open for reuse. */
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	                  (long)c->parallel);
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
	                  (long)c->parallel + 4);
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	curl_multi_cleanup(c->multi);
	free(c->queue);
	free(c->ca_bundle);
	free(c);
}

void
http_client_retry_status(struct http_client *c, long status)
{
	if (c->extra_count < MAX_EXTRA_STATUSES)
		c->extra_status[c->extra_count++] = status;
}

void
http_client_allow_http(struct http_client *c, bool allow)
{
	c->allow_http = allow;
}

/* Grow the secure answer buffer by copying: secure memory cannot be
 * resized in place, and the old copy is wiped by secmem_free. */
static bool
response_reserve(struct http_transfer *t, size_t more)
{
	size_t need = t->response_len + more + 1, cap;
	unsigned char *buf;

	if (need > MAX_RESPONSE + 1) {
		t->too_large = true;
		return false;
	}
	if (need <= t->response_cap)
		return true;
	cap = t->response_cap ? t->response_cap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > MAX_RESPONSE + 1)
		cap = MAX_RESPONSE + 1;
	buf = secmem_alloc(cap);
	if (t->response_len > 0)
		memcpy(buf, t->response, t->response_len);
	secmem_free(t->response);
	t->response = buf;
	t->response_cap = cap;
	return true;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_transfer *t = arg;
	size_t n = size * nmemb;

	if (!response_reserve(t, n))
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	memcpy(t->response + t->response_len, data, n);
	t->response_len += n;
	t->response[t->response_len] = '\0';
	return n;
}

static int64_t
http_date_seconds(const char *value)
{
	time_t when = curl_getdate(value, NULL);

	return when == (time_t)-1 ? -1 : (int64_t)when;
}

long
http_parse_retry_after(const char *header, const char *value, int64_t now_s)
{
	uint64_t n;
	int64_t when;

	if (strcasecmp(header, "retry-after-ms") == 0 ||
	    strcasecmp(header, "x-ms-retry-after-ms") == 0) {
		if (!parse_u64(value, &n) || n > 86400000ull)
			return -1;
		return (long)n;
	}
	if (strcasecmp(header, "retry-after") != 0)
		return -1;
	if (parse_u64(value, &n))
		return n > 86400ull ? 86400000L : (long)n * 1000;
	when = http_date_seconds(value);
	if (when < 0)
		return -1;
	if (when <= now_s)
		return 0;
	if (when - now_s > 86400)
		return 86400000L;
	return (long)(when - now_s) * 1000;
}

/* The header block of each answer replaces the last one's findings;
 * of the three retry headers the millisecond ones win, as in the
 * Azure SDKs. */
static size_t
on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_transfer *t = arg;
	size_t n = size * nmemb, namelen;
	char line[1024], *colon, *value, *end;
	long ms;

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		t->retry_after_ms = -1;
		free(t->challenge);
		t->challenge = NULL;
		return n;
	}
	if (n >= sizeof(line))
		return n; /* not a header we read */
	memcpy(line, data, n);
	line[n] = '\0';
	colon = strchr(line, ':');
	if (colon == NULL)
		return n;
	*colon = '\0';
	namelen = (size_t)(colon - line);
	value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	end = value + strlen(value);
	while (end > value && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (namelen == 16 && strcasecmp(line, "www-authenticate") == 0) {
		free(t->challenge);
		t->challenge = strdup(value);
		return n;
	}
	ms = http_parse_retry_after(line, value, (int64_t)time(NULL));
	if (ms < 0)
		return n;
	if (strcasecmp(line, "retry-after") == 0 && t->retry_after_ms >= 0)
		return n; /* a millisecond header came first */
	t->retry_after_ms = ms;
	return n;
}

static void
header_list_free(struct curl_slist *list)
{
	/* The list holds credentials (bearer tokens): wipe before free. */
	for (struct curl_slist *h = list; h != NULL; h = h->next)
		sodium_memzero(h->data, strlen(h->data));
	curl_slist_free_all(list);
}

static CURL *
easy_for(struct http_client *c, struct http_transfer *t)
{
	CURL *e = curl_easy_init();
	struct curl_slist *list = NULL;

	if (e == NULL)
		errx(EXIT_FAIL, "cannot initialise libcurl");
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	                 c->allow_http ? "https,http" : "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	                 c->timeout_ms < 10000 ? c->timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "secenv-vaultfetch/1");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	/* No Accept-Encoding: a compressed answer would leave decompressed
	 * copies of values in buffers we cannot wipe. */
	for (size_t i = 0; i < HTTP_MAX_HEADERS && t->headers[i]; i++) {
		struct curl_slist *next =
		    curl_slist_append(list, t->headers[i]);

		if (next == NULL)
			errx(EXIT_FAIL, "out of memory");
		list = next;
	}
	if (t->auth_header != NULL && *t->auth_header != '\0') {
		struct curl_slist *next =
		    curl_slist_append(list, t->auth_header);

		if (next == NULL)
			errx(EXIT_FAIL, "out of memory");
		list = next;
	}
	if (strcmp(t->method, "GET") != 0) {
		if (strcmp(t->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->method);
		if (t->body != NULL) {
			/* Not COPYPOSTFIELDS: the body may be a value. */
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body);
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			                 (curl_off_t)t->body_len);
		} else if (strcmp(t->method, "DELETE") != 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		}
	}
	if (list != NULL) {
		/* curl must not add "Expect: 100-continue" */
		struct curl_slist *next = curl_slist_append(list, "Expect:");

		if (next == NULL)
			errx(EXIT_FAIL, "out of memory");
		list = next;
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
	t->header_list = list;
	return e;
}

static void
answer_clear(struct http_transfer *t)
{
	if (t->response != NULL)
		secmem_free(t->response);
	t->response = NULL;
	t->response_len = 0;
	t->response_cap = 0;
	free(t->challenge);
	t->challenge = NULL;
	t->too_large = false;
	t->status = 0;
	t->error = NULL;
	t->retry_after_ms = -1;
}

void
http_transfer_reset(struct http_transfer *t)
{
	answer_clear(t);
	t->attempts = 0;
	t->done = false;
	t->not_before_ms = 0;
}

static const char *
curl_failure(CURLcode code, const struct http_transfer *t)
{
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timed out";
	case CURLE_PARTIAL_FILE:
		return "truncated response";
	case CURLE_WRITE_ERROR:
		return t->too_large ? "response too large" : "write error";
	case CURLE_PEER_FAILED_VERIFICATION:
		return "TLS certificate not trusted for this host";
	case CURLE_SSL_CACERT_BADFILE:
		return "cannot read the CA bundle";
	case CURLE_SSL_CONNECT_ERROR:
		return "TLS handshake failed";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "cannot resolve host";
	case CURLE_COULDNT_CONNECT:
		return "cannot connect";
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "scheme not allowed (https only)";
	case CURLE_URL_MALFORMAT:
		return "malformed URL";
	case CURLE_GOT_NOTHING:
		return "empty reply";
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return "connection broken";
	default:
		return curl_easy_strerror(code);
	}
}

static bool
status_is_retried(const struct http_client *c, long status)
{
	if (status == 429 || (status >= 500 && status <= 599 && status != 501))
		return true;
	for (size_t i = 0; i < c->extra_count; i++)
		if (c->extra_status[i] == status)
			return true;
	return false;
}

static bool
code_is_retried(CURLcode code)
{
	return code == CURLE_COULDNT_CONNECT || code == CURLE_GOT_NOTHING;
}

/* Exponential backoff with full jitter, unless the server named a
 * delay; a named delay over the cap ends the retries. */
static long
retry_delay_ms(const struct http_client *c, const struct http_transfer *t)
{
	long backoff;

	if (t->retry_after_ms >= 0)
		return t->retry_after_ms > c->retry_cap_ms ? -1
		                                           : t->retry_after_ms;
	backoff = BACKOFF_BASE_MS << (t->attempts > 6 ? 6 : t->attempts - 1);
	if (backoff > c->retry_cap_ms)
		backoff = c->retry_cap_ms;
	return backoff / 2 +
	       (long)randombytes_uniform((uint32_t)backoff / 2 + 1);
}

/* A finished attempt: keep the answer, or schedule the next try. */
static void
attempt_finished(struct http_client *c, struct http_transfer *t, CURLcode code)
{
	long delay;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
	curl_multi_remove_handle(c->multi, t->easy);
	curl_easy_cleanup(t->easy);
	t->easy = NULL;
	header_list_free(t->header_list);
	t->header_list = NULL;
	if (code != CURLE_OK) {
		t->error = curl_failure(code, t);
		t->status = 0;
		/* No answer began: the server may be restarting. A timeout or
		 * a cut answer is not retried (it would only multiply the
		 * wait, or repeat a request that may have been done). */
		if (!code_is_retried(code) || t->attempts > c->retries) {
			t->done = true;
			return;
		}
		t->retry_after_ms = -1;
		t->not_before_ms =
		    monotonic_ms() + (uint64_t)retry_delay_ms(c, t);
		return;
	}
	if (!status_is_retried(c, t->status) || t->attempts > c->retries) {
		t->done = true;
		return;
	}
	delay = retry_delay_ms(c, t);
	if (delay < 0) {
		t->error = "asked to retry later than SECENV_HTTP_RETRY_CAP";
		t->done = true;
		return;
	}
	t->not_before_ms = monotonic_ms() + (uint64_t)delay;
}

static void
attempt_start(struct http_client *c, struct http_transfer *t)
{
	answer_clear(t);
	t->attempts++;
	t->easy = easy_for(c, t);
	if (curl_multi_add_handle(c->multi, t->easy) != CURLM_OK)
		errx(EXIT_FAIL, "cannot start an HTTP transfer");
}

/* Start what may start now, in queue order; returns ms until the next
 * delayed start (-1 when none waits). */
static long
start_ready(struct http_client *c)
{
	uint64_t now = monotonic_ms();
	long wait = -1;

	for (size_t i = 0; i < c->queued && c->running < c->parallel; i++) {
		struct http_transfer *t = c->queue[i];

		if (t->done || t->easy != NULL)
			continue;
		if (t->not_before_ms > now) {
			long w = (long)(t->not_before_ms - now);

			if (wait < 0 || w < wait)
				wait = w;
			continue;
		}
		attempt_start(c, t);
		c->running++;
	}
	return wait;
}

/* Drop finished transfers from the queue, keeping its order. */
static void
queue_compact(struct http_client *c)
{
	size_t k = 0;

	for (size_t i = 0; i < c->queued; i++)
		if (!c->queue[i]->done)
			c->queue[k++] = c->queue[i];
	c->queued = k;
}

void
http_submit(struct http_client *c, struct http_transfer *t, bool urgent)
{
	http_transfer_reset(t);
	if (c->queued == c->queue_cap) {
		size_t cap = c->queue_cap ? c->queue_cap * 2 : 64;
		struct http_transfer **q = realloc(c->queue, cap * sizeof(*q));

		if (q == NULL)
			err(EXIT_FAIL, "out of memory");
		c->queue = q;
		c->queue_cap = cap;
	}
	if (urgent) {
		memmove(c->queue + 1, c->queue, c->queued * sizeof(*c->queue));
		c->queue[0] = t;
	} else {
		c->queue[c->queued] = t;
	}
	c->queued++;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void
http_wait(struct http_client *c, const struct http_transfer *until)
{
	while (c->queued > 0 && (until == NULL || !until->done)) {
		long wait = start_ready(c);
		int still, msgs;
		bool finished = false;
		CURLMsg *m;

		if (c->running == 0) {
			if (wait > 0)
				sleep_ms(wait);
			continue;
		}
		if (curl_multi_perform(c->multi, &still) != CURLM_OK)
			errx(EXIT_FAIL, "HTTP transfer failed");
		while ((m = curl_multi_info_read(c->multi, &msgs)) != NULL) {
			struct http_transfer *done = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			                  (char **)&done);
			attempt_finished(c, done, m->data.result);
			c->running--;
			finished |= done->done;
		}
		if (finished) {
			queue_compact(c);
			continue;
		}
		if (c->running > 0)
			curl_multi_poll(
			    c->multi, NULL, 0,
			    wait >= 0 && wait < 1000 ? (int)wait : 1000, NULL);
	}
}

void
http_cancel_all(struct http_client *c)
{
	for (size_t i = 0; i < c->queued; i++) {
		struct http_transfer *t = c->queue[i];

		if (t->easy != NULL) {
			curl_multi_remove_handle(c->multi, t->easy);
			curl_easy_cleanup(t->easy);
			t->easy = NULL;
			header_list_free(t->header_list);
			t->header_list = NULL;
		}
		answer_clear(t);
		t->error = "cancelled";
		t->done = true;
	}
	c->queued = 0;
	c->running = 0;
}

void
http_perform(struct http_client *c, struct http_transfer *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		http_submit(c, &t[i], false);
	http_wait(c, NULL);
}

const char *
http_url_for_message(const char *url)
{
	/* Its own buffer, so a message may also use printable(). */
	static char buf[256];
	size_t n = strcspn(url, "?#");

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = url[i] > ' ' && url[i] < 0x7f ? url[i] : '?';
	buf[n] = '\0';
	return buf;
}

const char *
http_describe(const struct http_transfer *t, char *buf, size_t size)
{
	if (t->error != NULL)
		return t->error;
	if (t->status == 429 || (t->status >= 500 && t->status <= 599)) {
		snprintf(buf, size, "HTTP %ld after %u attempts", t->status,
		         t->attempts);
		return buf;
	}
	snprintf(buf, size, "HTTP %ld", t->status);
	return buf;
}

char *
http_form_escape(const unsigned char *src, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = secmem_alloc(len * 3 + 1), *p = out;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = src[i];

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' ||
		    ch == '~') {
			*p++ = (char)ch;
		} else {
			*p++ = '%';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p = '\0';
	return out;
}
