/* SPDX-License-Identifier: ISC */
/* The hcvault backend: HashiCorp Vault / OpenBao KV version 2. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "backend.h"
#include "exitcodes.h"
#include "http.h"
#include "names.h"
#include "paths.h"
#include "secmem.h"
#include "util.h"

#define TOKEN_MAX 8192
#define CAS_TRIES 3

struct hcvault {
	struct http_client *http;
	char *addr;         /* VAULT_ADDR without trailing slash */
	char *path;         /* MOUNT/data/PREFIX, the project is appended */
	char *token_header; /* secure: "X-Vault-Token: ..." */
	char *ns_header;    /* "X-Vault-Namespace: ..." or NULL */
};

/* One read of the project's secret. */
struct kv_read {
	struct http_transfer t;
	json_t *doc;  /* inside secjson */
	json_t *data; /* data.data, an object, or NULL when absent */
	json_int_t version;
	uint64_t created_ms;
	bool deleted; /* the latest version is deleted or destroyed */
};

/* Mount and prefix: path segments, nothing that walks out of them. */
static bool
path_part_is_valid(const char *s, bool may_be_empty)
{
	if (*s == '\0')
		return may_be_empty;
	if (*s == '/' || s[strlen(s) - 1] == '/' || strstr(s, "..") != NULL ||
	    strstr(s, "//") != NULL || strlen(s) > 512)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-/", *s) == NULL)
			return false;
	return true;
}

/* Plain http only to this machine (a dev server); TLS everywhere else. */
static bool
addr_is_allowed(const char *addr)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool ok = false;

	if (strncasecmp(addr, "https://", 8) == 0)
		ok = true;
	else if (strncasecmp(addr, "http://", 7) == 0 && u != NULL &&
	         curl_url_set(u, CURLUPART_URL, addr, 0) == CURLUE_OK &&
	         curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		ok = strcmp(host, "127.0.0.1") == 0 ||
		     strcmp(host, "localhost") == 0 ||
		     strcmp(host, "[::1]") == 0;
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* VAULT_TOKEN, else SECENV_VAULT_TOKEN_FILE, else ~/.vault-token (the
 * Vault CLI's own file), read into secure memory. */
static int
token_load(struct hcvault *v)
{
	static const char prefix[] = "X-Vault-Token: ";
	const char *tok = env_nonempty("VAULT_TOKEN"),
	           *file = env_nonempty("SECENV_VAULT_TOKEN_FILE");
	char path[4096];
	unsigned char *buf = NULL;
	size_t len;
	int fd;

	if (tok != NULL) {
		len = strlen(tok);
	} else {
		if (file == NULL && env_nonempty("HOME") != NULL) {
			path_join(path, sizeof(path), env_nonempty("HOME"),
			          ".vault-token");
			file = path;
		}
		if (file == NULL || (fd = open_private(file, NULL)) < 0) {
			if (file != NULL && errno != ENOENT)
				warn("hcvault: token file %s", printable(file));
			else
				warnx("hcvault: no token: set VAULT_TOKEN or "
				      "SECENV_VAULT_TOKEN_FILE");
			return EXIT_FAIL;
		}
		if (read_all(fd, TOKEN_MAX, true, &buf, &len) != 0) {
			warn("hcvault: token file %s", printable(file));
			close(fd);
			return EXIT_FAIL;
		}
		close(fd);
		while (len > 0 && isspace(buf[len - 1]))
			len--;
		tok = (const char *)buf;
	}
	for (size_t i = 0; i < len; i++)
		if (tok[i] < '!' || tok[i] > '~')
			len = 0;
	if (len == 0 || len > TOKEN_MAX) {
		warnx("hcvault: the token is empty or not printable");
		secmem_free(buf);
		return EXIT_FAIL;
	}
	v->token_header = secmem_alloc(sizeof(prefix) + len);
	memcpy(v->token_header, prefix, sizeof(prefix) - 1);
	memcpy(v->token_header + sizeof(prefix) - 1, tok, len);
	v->token_header[sizeof(prefix) - 1 + len] = '\0';
	secmem_free(buf);
	return EXIT_OK;
}

static int
config_load(struct hcvault *v)
{
	const char *addr = env_nonempty("VAULT_ADDR"), *ns = env_nonempty("VAULT_NAMESPACE");
	const char *mount = env_nonempty("SECENV_VAULT_MOUNT");
	const char *prefix = getenv("SECENV_VAULT_PREFIX");
	size_t n;

	if (mount == NULL)
		mount = "secret";
	if (prefix == NULL)
		prefix = "secenv";
	if (addr == NULL) {
		warnx("hcvault: VAULT_ADDR is not set");
		return EXIT_USAGE;
	}
	if (!addr_is_allowed(addr)) {
		warnx("hcvault: VAULT_ADDR must be https (plain http only to "
		      "127.0.0.1 or localhost)");
		return EXIT_USAGE;
	}
	if (!path_part_is_valid(mount, false)) {
		warnx("hcvault: SECENV_VAULT_MOUNT '%s' is not a mount path",
		      printable(mount));
		return EXIT_USAGE;
	}
	if (!path_part_is_valid(prefix, true)) {
		warnx("hcvault: SECENV_VAULT_PREFIX '%s' is not a path",
		      printable(prefix));
		return EXIT_USAGE;
	}
	if (ns != NULL && !path_part_is_valid(ns, false)) {
		warnx("hcvault: VAULT_NAMESPACE '%s' is not a namespace",
		      printable(ns));
		return EXIT_USAGE;
	}
	v->addr = strdup(addr);
	if (v->addr == NULL)
		err(EXIT_FAIL, "out of memory");
	n = strlen(v->addr);
	while (n > 0 && v->addr[n - 1] == '/')
		v->addr[--n] = '\0';
	v->path = xasprintf("%s/data%s%s", mount, *prefix ? "/" : "", prefix);
	if (ns != NULL)
		v->ns_header = xasprintf("X-Vault-Namespace: %s", ns);
	return token_load(v);
}

static void
request_init(struct hcvault *v, struct http_transfer *t, const char *method,
             char *url)
{
	size_t k = 0;

	memset(t, 0, sizeof(*t));
	t->method = method;
	t->url = url;
	t->headers[k++] = v->token_header;
	if (v->ns_header != NULL)
		t->headers[k++] = v->ns_header;
	if (strcmp(method, "GET") != 0)
		t->headers[k++] = "Content-Type: application/json";
}

/* RFC 3339 UTC ("2018-03-22T02:24:06.945319214Z") to ms; 0 if not. */
static uint64_t
rfc3339_ms(const char *s)
{
	struct tm tm = {0};
	int n = 0;
	time_t t;

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	return t < 0 ? 0 : (uint64_t)t * 1000;
}

static const char *
first_error(json_t *doc)
{
	json_t *e = json_array_get(json_object_get(doc, "errors"), 0);

	return json_is_string(e) ? json_string_value(e) : NULL;
}

static void
vault_failure(const char *what, const char *project,
              const struct http_transfer *t, json_t *doc)
{
	char buf[96];
	const char *why = http_describe(t, buf, sizeof(buf));
	const char *detail = t->status ? first_error(doc) : NULL;

	if (t->status == 503 && detail != NULL &&
	    strcasestr(detail, "sealed") != NULL)
		why = "the vault is sealed (HTTP 503)";
	else if (t->status == 412)
		why = "HTTP 412: the vault node has not caught up (retried)";
	/* Vault's error texts name paths and states, never values. */
	warnx("hcvault: %s %s: %s%s%s%s", what, project, why,
	      detail && t->status != 503 ? " (" : "",
	      detail && t->status != 503 ? printable(detail) : "",
	      detail && t->status != 503 ? ")" : "");
}

/*
 * GET the project (a version when version > 0). EXIT_OK with r->data
 * NULL means "no such secret yet"; a deleted or destroyed latest
 * version is a failure, not an empty project. The caller must be in a
 * secjson scope and call kv_read_done().
 */
static int
kv_get(struct backend *b, const char *project, json_int_t version,
       bool deleted_ok, struct kv_read *r)
{
	struct hcvault *v = b->state;
	char *url = version > 0
	                ? xasprintf("%s/v1/%s/%s?version=%lld", v->addr,
	                            v->path, project, (long long)version)
	                : xasprintf("%s/v1/%s/%s", v->addr, v->path, project);
	json_t *meta, *deleted;

	memset(r, 0, sizeof(*r));
	request_init(v, &r->t, "GET", url);
	http_perform(v->http, &r->t, 1);
	r->doc = secjson_parse(r->t.response, r->t.response_len);
	meta = json_object_get(json_object_get(r->doc, "data"), "metadata");
	r->version = json_integer_value(json_object_get(meta, "version"));
	r->created_ms = rfc3339_ms(
	    json_string_value(json_object_get(meta, "created_time")));
	deleted = json_object_get(meta, "deletion_time");
	if (r->t.status == 401 || r->t.status == 403) {
		vault_failure("read", project, &r->t, r->doc);
		b->auth_failed = 1;
		return EXIT_FAIL;
	}
	if (r->t.status == 404) {
		r->deleted = json_is_true(json_object_get(meta, "destroyed")) ||
		             (json_is_string(deleted) &&
		              *json_string_value(deleted) != '\0');
		if (!r->deleted && first_error(r->doc) != NULL) {
			/* not "no such secret" but "no such mount", say */
			vault_failure("read", project, &r->t, r->doc);
			return EXIT_FAIL;
		}
		if (r->deleted && !deleted_ok) {
			warnx("hcvault: read %s: version %lld is deleted; "
			      "undelete it or write a new version",
			      project, (long long)r->version);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (r->t.status != 200) {
		vault_failure("read", project, &r->t, r->doc);
		return EXIT_FAIL;
	}
	r->data = json_object_get(json_object_get(r->doc, "data"), "data");
	if (!json_is_object(r->data)) {
		warnx("hcvault: read %s: malformed answer (no data object)",
		      project);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void
kv_read_done(struct kv_read *r)
{
	json_decref(r->doc);
	http_transfer_reset(&r->t);
	free((char *)r->t.url);
	memset(r, 0, sizeof(*r));
}

/* Every entry: a valid name and a string value, or a refusal naming it. */
static int
take_values(json_t *data, bool previous, uint64_t changed_ms,
            const char *project, struct secretset *out)
{
	const char *key;
	json_t *value;
	size_t index = 0;

	json_object_foreach(data, key, value)
	{
		const struct secret *cur;

		/* A bad key is not quoted: it may be a value pasted into
		 * the wrong field. */
		if (!name_is_valid(key)) {
			warnx("hcvault: %s: key %zu is not a valid variable "
			      "name",
			      project, index + 1);
			return EXIT_FAIL;
		}
		index++;
		if (!json_is_string(value)) {
			warnx("hcvault: %s: value of %s is not a string",
			      project, key);
			return EXIT_FAIL;
		}
		if (previous && ((cur = secretset_find(out, key)) == NULL ||
		                 (cur->len == json_string_length(value) &&
		                  memcmp(cur->value, json_string_value(value),
		                         cur->len) == 0)))
			continue; /* only values that were replaced */
		if (secretset_add(out, key, json_string_value(value),
		                  json_string_length(value), previous,
		                  changed_ms) != 0) {
			warnx("hcvault: %s: value of %s refused: %s", project,
			      key,
			      errno == EFBIG ? "over 64 KiB"
			                     : "holds a NUL byte");
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

/* The current values and, with previous, the ones they replaced. */
static int
read_values(struct backend *b, const char *project, struct secretset *out,
            bool previous)
{
	struct kv_read cur, prev;
	int rc;

	b->auth_failed = 0;
	secjson_begin();
	rc = kv_get(b, project, 0, false, &cur);
	if (rc == EXIT_OK && cur.data != NULL)
		rc = take_values(cur.data, false, cur.created_ms, project, out);
	/* The version before, for redaction only: what it held that the
	 * current one replaced. Gone or destroyed is fine. */
	if (rc == EXIT_OK && previous && cur.data != NULL && cur.version > 1) {
		if (kv_get(b, project, cur.version - 1, true, &prev) ==
		        EXIT_OK &&
		    prev.data != NULL)
			rc = take_values(prev.data, true, cur.created_ms,
			                 project, out);
		else if (b->auth_failed)
			rc = EXIT_FAIL;
		kv_read_done(&prev);
	}
	kv_read_done(&cur);
	secjson_end();
	return rc;
}

static int
hcvault_fetch(struct backend *b, const char *project, struct secretset *out)
{
	return read_values(b, project, out, true);
}

/*
 * Write the project's whole secret as a new version, with
 * check-and-set on the version read, so two writers cannot lose each
 * other's names.
 */
static int
kv_write(struct backend *b, const char *project, json_t *data, json_int_t cas,
         bool *cas_failed)
{
	struct hcvault *v = b->state;
	struct http_transfer t;
	json_t *doc = json_pack("{s:{s:I}, s:O}", "options", "cas",
	                        (json_int_t)cas, "data", data),
	       *answer;
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	int rc = EXIT_OK;

	*cas_failed = false;
	json_decref(doc);
	if (text == NULL) {
		warnx("hcvault: write %s: a value is not valid UTF-8 text",
		      project);
		return EXIT_USAGE;
	}
	request_init(v, &t, "POST",
	             xasprintf("%s/v1/%s/%s", v->addr, v->path, project));
	t.body = (const unsigned char *)text;
	t.body_len = strlen(text);
	http_perform(v->http, &t, 1);
	answer = secjson_parse(t.response, t.response_len);
	if (t.status == 400 && first_error(answer) != NULL &&
	    strstr(first_error(answer), "check-and-set") != NULL) {
		*cas_failed = true;
		rc = EXIT_FAIL;
	} else if (t.status != 200 && t.status != 204) {
		if (t.status == 401 || t.status == 403)
			b->auth_failed = 1;
		vault_failure("write", project, &t, answer);
		rc = EXIT_FAIL;
	}
	json_decref(answer);
	http_transfer_reset(&t);
	free((char *)t.url);
	return rc;
}

/* Read, change with edit(), write with check-and-set; again on a lost
 * race. */
static int
kv_update(struct backend *b, const char *project,
          int (*edit)(json_t *data, const void *arg), const void *arg)
{
	int rc = EXIT_FAIL;

	b->auth_failed = 0;
	for (int i = 0; i < CAS_TRIES; i++) {
		struct kv_read r;
		bool lost = false;
		json_t *data;

		secjson_begin();
		/* a new version may follow a deleted one */
		rc = kv_get(b, project, 0, true, &r);
		if (rc == EXIT_OK) {
			data = r.data ? json_deep_copy(r.data) : json_object();
			rc = edit(data, arg);
			if (rc == EXIT_OK)
				rc = kv_write(b, project, data, r.version,
				              &lost);
			json_decref(data);
		}
		kv_read_done(&r);
		secjson_end();
		if (!lost)
			return rc;
	}
	warnx("hcvault: write %s: changed by someone else %d times, gave up",
	      project, CAS_TRIES);
	return rc;
}

static int
edit_put(json_t *data, const void *arg)
{
	const struct secretset *set = arg;

	for (size_t i = 0; i < set->count; i++) {
		const struct secret *s = &set->items[i];
		json_t *value;

		if (s->previous)
			continue;
		value = json_stringn((const char *)s->value, s->len);
		if (value == NULL) {
			warnx("hcvault: value of %s is not valid UTF-8 text",
			      printable(s->name));
			return EXIT_USAGE;
		}
		json_object_set_new(data, s->name, value);
	}
	return EXIT_OK;
}

static int
hcvault_put(struct backend *b, const char *project, const struct secretset *set)
{
	return kv_update(b, project, edit_put, set);
}

static int
edit_rm(json_t *data, const void *arg)
{
	const char *name = arg;

	if (json_object_del(data, name) != 0) {
		warnx("hcvault: no secret %s", printable(name));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
hcvault_rm(struct backend *b, const char *project, const char *name)
{
	return kv_update(b, project, edit_rm, name);
}

static int
compare_info(const void *a, const void *b)
{
	return strcmp(((const struct secret_info *)a)->name,
	              ((const struct secret_info *)b)->name);
}

static int
hcvault_list(struct backend *b, const char *project, struct secret_info **out,
             size_t *count)
{
	struct secretset *set = secretset_new();
	int rc = read_values(b, project, set, false);
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (rc == EXIT_OK) {
		*out = calloc(set->count ? set->count : 1, sizeof(**out));
		if (*out == NULL)
			err(EXIT_FAIL, "out of memory");
		for (size_t i = 0; i < set->count; i++) {
			if (set->items[i].previous)
				continue;
			(*out)[n].name = strdup(set->items[i].name);
			if ((*out)[n].name == NULL)
				err(EXIT_FAIL, "out of memory");
			(*out)[n++].changed_ms = set->items[i].changed_ms;
		}
		qsort(*out, n, sizeof(**out), compare_info);
		*count = n;
	}
	secretset_free(set);
	return rc;
}

static void
hcvault_close(struct backend *b)
{
	struct hcvault *v = b->state;

	if (v == NULL)
		return;
	http_client_free(v->http);
	secmem_free(v->token_header);
	free(v->ns_header);
	free(v->addr);
	free(v->path);
	free(v);
	b->state = NULL;
}

int
backend_hcvault_open(struct backend *b)
{
	struct hcvault *v = calloc(1, sizeof(*v));
	const char *ca = env_nonempty("VAULT_CACERT");
	int rc;

	if (v == NULL)
		err(EXIT_FAIL, "out of memory");
	b->name = "hcvault";
	b->state = v;
	b->close = hcvault_close;
	rc = config_load(v);
	if (rc != EXIT_OK) {
		hcvault_close(b);
		return rc;
	}
	v->http = http_client_new(ca ? ca : env_nonempty("SECENV_CA_BUNDLE"));
	http_client_allow_http(v->http,
	                       strncasecmp(v->addr, "http://", 7) == 0);
	http_client_retry_status(v->http, 412);
	b->fetch = hcvault_fetch;
	b->put = hcvault_put;
	b->list = hcvault_list;
	b->rm = hcvault_rm;
	return EXIT_OK;
}
