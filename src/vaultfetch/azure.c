/* SPDX-License-Identifier: ISC */
/* The azure backend: Azure Key Vault secrets over its REST API 7.4. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "atomicfile.h"
#include "azure_auth.h"
#include "backend.h"
#include "exitcodes.h"
#include "http.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

#define API "api-version=7.4"
#define PAGE_SIZE 25
#define MAX_PAGES 4000
#define MAX_VERSION_PAGES 40
#define KV_NAME_MAX 127
#define TAG_PROJECT "secenv-project"
#define TAG_NAME "secenv-name"

/* One secret of the project as the list shows it. */
struct kv_item {
	char *kv_name; /* the vault's name, malloc'd */
	char *name;    /* the environment name, malloc'd */
	uint64_t updated_ms;
};

static void
kv_items_free(struct kv_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].kv_name);
		free(items[i].name);
	}
	free(items);
}

/*
 * Key Vault names allow only [0-9a-zA-Z-] and ignore case, so a secret
 * is stored as PROJECT-NAME with '.' and '_' turned into '-', cut to
 * fit, plus 8 hex digits of a hash of the exact pair: readable, and
 * distinct for pairs that differ only in case or punctuation.
 */
static void
kv_name_derive(const char *project, const char *name, char out[KV_NAME_MAX + 1])
{
	unsigned char hash[4];
	crypto_generichash_state st;
	size_t n = 0, plen = strlen(project), nlen = strlen(name);

	crypto_generichash_init(&st, NULL, 0, sizeof(hash));
	crypto_generichash_update(&st, (const unsigned char *)project,
	                          plen + 1);
	crypto_generichash_update(&st, (const unsigned char *)name, nlen);
	crypto_generichash_final(&st, hash, sizeof(hash));
	if (plen > 40)
		plen = 40;
	if (nlen > KV_NAME_MAX - 10 - plen)
		nlen = KV_NAME_MAX - 10 - plen;
	for (size_t i = 0; i < plen; i++)
		out[n++] =
		    (project[i] == '.' || project[i] == '_') ? '-' : project[i];
	out[n++] = '-';
	for (size_t i = 0; i < nlen; i++)
		out[n++] = name[i] == '_' ? '-' : name[i];
	out[n++] = '-';
	sodium_bin2hex(out + n, 9, hash, sizeof(hash));
}

static void
vault_failure(const char *what, const struct http_transfer *t)
{
	char buf[96];

	warnx("azure: %s %s: %s", what, http_url_for_message(t->url),
	      http_describe(t, buf, sizeof(buf)));
}

/* nextLink is followed exactly as given, but only to the vault itself:
 * the bearer token must not travel anywhere else. */
static bool
same_origin(const char *a, const char *b)
{
	CURLU *ua = curl_url(), *ub = curl_url();
	bool same = false;
	char *sa = NULL, *sb = NULL, *ha = NULL, *hb = NULL, *pa = NULL,
	     *pb = NULL;

	if (ua == NULL || ub == NULL)
		errx(EXIT_FAIL, "out of memory");
	if (curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
	    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK &&
	    curl_url_get(ua, CURLUPART_SCHEME, &sa, 0) == CURLUE_OK &&
	    curl_url_get(ub, CURLUPART_SCHEME, &sb, 0) == CURLUE_OK &&
	    curl_url_get(ua, CURLUPART_HOST, &ha, 0) == CURLUE_OK &&
	    curl_url_get(ub, CURLUPART_HOST, &hb, 0) == CURLUE_OK &&
	    curl_url_get(ua, CURLUPART_PORT, &pa, CURLU_DEFAULT_PORT) ==
	        CURLUE_OK &&
	    curl_url_get(ub, CURLUPART_PORT, &pb, CURLU_DEFAULT_PORT) ==
	        CURLUE_OK)
		same = strcasecmp(sa, sb) == 0 && strcasecmp(ha, hb) == 0 &&
		       strcmp(pa, pb) == 0;
	curl_free(sa);
	curl_free(sb);
	curl_free(ha);
	curl_free(hb);
	curl_free(pa);
	curl_free(pb);
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/* The last path segment of a secret id
 * (https://v.vault.azure.net/secrets/NAME[/VERSION]) after /secrets/. */
static bool
id_secret_name(const char *id, char out[KV_NAME_MAX + 1])
{
	const char *p = strstr(id, "/secrets/");
	size_t n;

	if (p == NULL)
		return false;
	p += strlen("/secrets/");
	n = strcspn(p, "/?");
	if (n == 0 || n > KV_NAME_MAX)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static const char *
tag_string(json_t *item, const char *tag)
{
	return json_string_value(
	    json_object_get(json_object_get(item, "tags"), tag));
}

/* An entry of a list page that belongs to project, is enabled and is not
 * a certificate's managed secret: add it to *items. */
static void
page_item(json_t *item, const char *project, struct kv_item **items,
          size_t *count, size_t *cap)
{
	json_t *attrs = json_object_get(item, "attributes");
	const char *id = json_string_value(json_object_get(item, "id"));
	const char *tproject = tag_string(item, TAG_PROJECT);
	const char *tname = tag_string(item, TAG_NAME);
	char idname[KV_NAME_MAX + 1], expect[KV_NAME_MAX + 1];
	json_t *updated;

	if (id == NULL || tproject == NULL || tname == NULL ||
	    strcmp(tproject, project) != 0 || !name_is_valid(tname))
		return;
	if (json_is_true(json_object_get(item, "managed")) ||
	    json_is_false(json_object_get(attrs, "enabled")))
		return;
	/* Tags are only a claim; the name must also be the one we derive,
	 * so a copied tag cannot give one variable two sources. */
	kv_name_derive(project, tname, expect);
	if (!id_secret_name(id, idname) || strcasecmp(idname, expect) != 0)
		return;
	if (*count == *cap) {
		struct kv_item *n;

		*cap = *cap ? *cap * 2 : 32;
		n = realloc(*items, *cap * sizeof(**items));
		if (n == NULL)
			err(EXIT_FAIL, "out of memory");
		*items = n;
	}
	updated = json_object_get(attrs, "updated");
	(*items)[*count] = (struct kv_item){
	    .kv_name = strdup(expect),
	    .name = strdup(tname),
	    .updated_ms =
	        json_is_integer(updated) && json_integer_value(updated) > 0
	            ? (uint64_t)json_integer_value(updated) * 1000
	            : 0,
	};
	if ((*items)[*count].kv_name == NULL || (*items)[*count].name == NULL)
		err(EXIT_FAIL, "out of memory");
	(*count)++;
}

static int
compare_items(const void *a, const void *b)
{
	return strcmp(((const struct kv_item *)a)->name,
	              ((const struct kv_item *)b)->name);
}

/* A value being fetched while the list goes on. */
struct value_fetch {
	struct http_transfer t;
	char *name;
	char *kv_name;
	uint64_t updated_ms;
	char *version;      /* of the current value */
	char *prev_version; /* the newest other enabled version */
	int64_t prev_created;
	char *versions_url; /* the next page of the version list */
	unsigned version_pages;
};

struct value_plan {
	struct value_fetch **v;
	size_t count, cap;
};

/* Queue the value reads of list entries [from, count): they run while
 * the next page is read, so the list's round trips hide theirs. */
static void
plan_values(struct azure_state *s, struct value_plan *plan,
            const struct kv_item *items, size_t from, size_t count)
{
	for (size_t i = from; i < count; i++) {
		struct value_fetch *v = calloc(1, sizeof(*v));

		if (v == NULL || (v->name = strdup(items[i].name)) == NULL ||
		    (v->kv_name = strdup(items[i].kv_name)) == NULL)
			err(EXIT_FAIL, "out of memory");
		if (plan->count == plan->cap) {
			size_t cap = plan->cap ? plan->cap * 2 : 64;
			struct value_fetch **n =
			    realloc(plan->v, cap * sizeof(*n));

			if (n == NULL)
				err(EXIT_FAIL, "out of memory");
			plan->v = n;
			plan->cap = cap;
		}
		v->updated_ms = items[i].updated_ms;
		v->t.method = "GET";
		v->t.url =
		    xasprintf("%s/secrets/%s?" API, s->vault, items[i].kv_name);
		v->t.auth_header = s->auth_header;
		plan->v[plan->count++] = v;
		http_submit(s->http, &v->t, false);
	}
}

static void
plan_free(struct azure_state *s, struct value_plan *plan)
{
	http_cancel_all(s->http);
	for (size_t i = 0; i < plan->count; i++) {
		struct value_fetch *v = plan->v[i];

		http_transfer_reset(&v->t);
		free((char *)v->t.url);
		free(v->name);
		free(v->kv_name);
		free(v->version);
		free(v->prev_version);
		free(v->versions_url);
		free(v);
	}
	free(plan->v);
}

/* One page: the first through the full authentication (token, 401
 * challenge); later ones ahead of the queued value reads, again through
 * it only when refused. */
static int
list_page(struct azure_state *s, struct http_transfer *t, bool first)
{
	int rc = EXIT_OK;

	if (first) {
		rc = azure_vault_perform(s, t, 1);
	} else {
		t->auth_header = s->auth_header;
		http_submit(s->http, t, true);
		http_wait(s->http, t);
		if (t->status == 401 || t->status == 403)
			rc = azure_vault_perform(s, t, 1);
	}
	if (rc == EXIT_OK && t->status != 200) {
		vault_failure("list", t);
		rc = EXIT_FAIL;
	}
	return rc;
}

/* Page through the vault's secrets (metadata only), 25 at a time; with
 * a plan, queue each page's value reads as it arrives. */
static int
list_project(struct azure_state *s, const char *project, struct kv_item **items,
             size_t *count, struct value_plan *plan)
{
	char *url =
	    xasprintf("%s/secrets?maxresults=%d&" API, s->vault, PAGE_SIZE);
	size_t cap = 0;
	int rc = EXIT_OK;

	*items = NULL;
	*count = 0;
	for (unsigned page = 0; url != NULL; page++) {
		struct http_transfer t = {.method = "GET", .url = url};
		json_t *doc, *value, *next, *item;
		size_t i, before = *count;

		if (page == MAX_PAGES) {
			warnx("azure: list: more than %d pages, giving up",
			      MAX_PAGES);
			rc = EXIT_FAIL;
			break;
		}
		rc = list_page(s, &t, page == 0 || plan == NULL);
		if (rc != EXIT_OK) {
			http_transfer_reset(&t);
			break;
		}
		secjson_begin();
		doc = secjson_parse(t.response, t.response_len);
		value = json_object_get(doc, "value");
		next = json_object_get(doc, "nextLink");
		if (!json_is_array(value) ||
		    (next != NULL && !json_is_null(next) &&
		     !json_is_string(next))) {
			warnx("azure: list %s: malformed answer (not a secret "
			      "list)",
			      http_url_for_message(url));
			rc = EXIT_FAIL;
		} else {
			json_array_foreach(value, i, item)
			    page_item(item, project, items, count, &cap);
		}
		free(url);
		url = NULL;
		if (rc == EXIT_OK && json_is_string(next) &&
		    *json_string_value(next) != '\0') {
			const char *link = json_string_value(next);

			if (!same_origin(link, s->vault)) {
				warnx("azure: list: nextLink leaves the vault "
				      "(%s), refused",
				      http_url_for_message(link));
				rc = EXIT_FAIL;
			} else {
				url = strdup(link);
				if (url == NULL)
					err(EXIT_FAIL, "out of memory");
			}
		}
		json_decref(doc);
		secjson_end();
		http_transfer_reset(&t);
		if (rc != EXIT_OK)
			break;
		if (plan != NULL)
			plan_values(s, plan, *items, before, *count);
	}
	free(url);
	if (rc != EXIT_OK) {
		kv_items_free(*items, *count);
		*items = NULL;
		*count = 0;
		return rc;
	}
	if (*count > 1)
		qsort(*items, *count, sizeof(**items), compare_items);
	return EXIT_OK;
}

/* The version of a secret id (https://v.vault.azure.net/secrets/NAME/VERSION).
 */
static char *
id_version(const char *id)
{
	const char *p = id ? strstr(id, "/secrets/") : NULL;
	char *v;

	if (p == NULL || (p = strchr(p + strlen("/secrets/"), '/')) == NULL ||
	    p[1] == '\0' || strchr(p + 1, '/') != NULL || strchr(p + 1, '?'))
		return NULL;
	if ((v = strdup(p + 1)) == NULL)
		err(EXIT_FAIL, "out of memory");
	return v;
}

/* One fetched secret bundle: its value (current, or with previous the
 * value it replaced) into out. */
static int
take_value(struct value_fetch *v, struct secretset *out, bool previous)
{
	json_t *doc, *value;
	const struct secret *cur;
	int rc = EXIT_OK;

	if (previous && v->t.status == 404)
		return EXIT_OK; /* purged meanwhile: nothing to mask */
	if (v->t.status != 200) {
		vault_failure("get", &v->t);
		return EXIT_FAIL;
	}
	secjson_begin();
	doc = secjson_parse(v->t.response, v->t.response_len);
	value = json_object_get(doc, "value");
	if (!json_is_string(value)) {
		warnx("azure: get %s: malformed answer (no string value)",
		      printable(v->name));
		rc = EXIT_FAIL;
	} else if (previous && (cur = secretset_find(out, v->name)) != NULL &&
	           cur->len == json_string_length(value) &&
	           memcmp(cur->value, json_string_value(value), cur->len) ==
	               0) {
		/* the same value again: nothing more to mask */
	} else if (secretset_add(out, v->name, json_string_value(value),
	                         json_string_length(value), previous,
	                         v->updated_ms) != 0) {
		warnx("azure: value of %s refused: %s", printable(v->name),
		      errno == EFBIG ? "over 64 KiB" : "holds a NUL byte");
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && !previous)
		v->version =
		    id_version(json_string_value(json_object_get(doc, "id")));
	json_decref(doc);
	secjson_end();
	return rc;
}

/* Send every transfer that has a URL, wait for all, and answer refusals
 * once through the full authentication. */
static int
run_round(struct azure_state *s, struct value_plan *plan)
{
	int rc = EXIT_OK;

	http_wait(s->http, NULL);
	for (size_t i = 0; i < plan->count && rc == EXIT_OK; i++)
		if (plan->v[i]->t.status == 401 || plan->v[i]->t.status == 403)
			rc = azure_vault_perform(s, &plan->v[i]->t, 1);
	return rc;
}

static void
retarget(struct azure_state *s, struct value_fetch *v, char *url)
{
	http_transfer_reset(&v->t);
	free((char *)v->t.url);
	v->t.url = url;
	v->t.auth_header = s->auth_header;
	if (url != NULL)
		http_submit(s->http, &v->t, false);
}

/* One page of a secret's versions: remember the newest enabled one that
 * is not current, and where the next page is. */
static int
take_versions(struct azure_state *s, struct value_fetch *v)
{
	json_t *doc, *items, *item, *next;
	size_t i;
	int rc = EXIT_OK;

	free(v->versions_url);
	v->versions_url = NULL;
	if (v->t.status != 200) {
		vault_failure("versions", &v->t);
		return EXIT_FAIL;
	}
	doc = secjson_parse(v->t.response, v->t.response_len);
	items = json_object_get(doc, "value");
	next = json_object_get(doc, "nextLink");
	if (!json_is_array(items)) {
		warnx("azure: versions of %s: malformed answer",
		      printable(v->name));
		json_decref(doc);
		return EXIT_FAIL;
	}
	json_array_foreach(items, i, item)
	{
		json_t *attrs = json_object_get(item, "attributes");
		json_t *created = json_object_get(attrs, "created");
		char *version =
		    id_version(json_string_value(json_object_get(item, "id")));

		if (version != NULL && strcmp(version, v->version) != 0 &&
		    !json_is_false(json_object_get(attrs, "enabled")) &&
		    json_is_integer(created) &&
		    (v->prev_version == NULL ||
		     json_integer_value(created) > v->prev_created)) {
			free(v->prev_version);
			v->prev_version = version;
			v->prev_created = json_integer_value(created);
			version = NULL;
		}
		free(version);
	}
	if (json_is_string(next) && *json_string_value(next) != '\0' &&
	    ++v->version_pages < MAX_VERSION_PAGES) {
		if (!same_origin(json_string_value(next), s->vault)) {
			warnx("azure: versions: nextLink leaves the vault, "
			      "refused");
			rc = EXIT_FAIL;
		} else if ((v->versions_url =
		                strdup(json_string_value(next))) == NULL) {
			err(EXIT_FAIL, "out of memory");
		}
	}
	json_decref(doc);
	return rc;
}

/*
 * For secrets changed within the caller's previous-value window, the value the
 * current version replaced: redact masks it, so a value rotated away
 * does not show in output that still carries it. Two more requests for
 * each such secret (the version list, the value), all in parallel.
 */
static int
fetch_previous(struct azure_state *s, struct value_plan *plan,
               uint64_t window_ms, struct secretset *out)
{
	uint64_t now = now_ms();
	int rc = EXIT_OK;
	bool more = true;

	for (size_t i = 0; i < plan->count; i++) {
		struct value_fetch *v = plan->v[i];

		if (v->version != NULL && v->updated_ms != 0 &&
		    now - v->updated_ms <= window_ms)
			v->versions_url = xasprintf(
			    "%s/secrets/%s/versions?maxresults=%d&" API,
			    s->vault, v->kv_name, PAGE_SIZE);
	}
	while (more && rc == EXIT_OK) {
		more = false;
		for (size_t i = 0; i < plan->count; i++) {
			struct value_fetch *v = plan->v[i];
			char *url = v->versions_url;

			v->versions_url = NULL;
			retarget(s, v, url);
			v->versions_url = url ? strdup(url) : NULL;
			more |= url != NULL;
		}
		if (!more)
			break;
		rc = run_round(s, plan);
		secjson_begin();
		for (size_t i = 0; i < plan->count && rc == EXIT_OK; i++)
			if (plan->v[i]->versions_url != NULL)
				rc = take_versions(s, plan->v[i]);
		secjson_end();
	}
	if (rc != EXIT_OK)
		return rc;
	for (size_t i = 0; i < plan->count; i++) {
		struct value_fetch *v = plan->v[i];

		retarget(s, v,
		         v->prev_version
		             ? xasprintf("%s/secrets/%s/%s?" API, s->vault,
		                         v->kv_name, v->prev_version)
		             : NULL);
	}
	rc = run_round(s, plan);
	for (size_t i = 0; i < plan->count && rc == EXIT_OK; i++)
		if (plan->v[i]->prev_version != NULL)
			rc = take_value(plan->v[i], out, true);
	return rc;
}

static int
azure_fetch(struct backend *b, const char *project, struct secretset *out)
{
	struct azure_state *s = b->state;
	struct value_plan plan = {0};
	struct kv_item *items;
	size_t count;
	int rc;

	b->auth_failed = 0;
	rc = list_project(s, project, &items, &count, &plan);
	if (rc == EXIT_OK) {
		kv_items_free(items, count);
		http_wait(s->http, NULL);
	}
	/* A value read refused (a token revoked mid-way) goes once more
	 * through the full authentication. */
	for (size_t i = 0; i < plan.count && rc == EXIT_OK; i++)
		if (plan.v[i]->t.status == 401 || plan.v[i]->t.status == 403)
			rc = azure_vault_perform(s, &plan.v[i]->t, 1);
	for (size_t i = 0; i < plan.count && rc == EXIT_OK; i++)
		rc = take_value(plan.v[i], out, false);
	if (rc == EXIT_OK)
		rc = fetch_previous(s, &plan, b->previous_window_ms, out);
	plan_free(s, &plan);
	b->auth_failed = s->auth_failed;
	return rc;
}

/* The PUT body: value, the two tags and a content type. */
static unsigned char *
put_body(const char *project, const struct secret *sec, size_t *len)
{
	json_t *doc = json_pack("{s:s%, s:s, s:{s:s, s:s}}", "value",
	                        (const char *)sec->value, sec->len,
	                        "contentType", "text/plain", "tags",
	                        TAG_PROJECT, project, TAG_NAME, sec->name);
	char *text;
	unsigned char *body;

	if (doc == NULL)
		return NULL;
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (text == NULL)
		return NULL;
	*len = strlen(text);
	body = (unsigned char *)secmem_strndup(text, *len);
	return body;
}

static int
azure_put(struct backend *b, const char *project, const struct secretset *set)
{
	struct azure_state *s = b->state;
	struct http_transfer *t;
	size_t n = 0;
	int rc = EXIT_OK;

	b->auth_failed = 0;
	t = calloc(set->count ? set->count : 1, sizeof(*t));
	if (t == NULL)
		err(EXIT_FAIL, "out of memory");
	secjson_begin();
	for (size_t i = 0; i < set->count; i++) {
		const struct secret *sec = &set->items[i];
		char kv[KV_NAME_MAX + 1];

		if (sec->previous)
			continue;
		kv_name_derive(project, sec->name, kv);
		t[n].method = "PUT";
		t[n].url = xasprintf("%s/secrets/%s?" API, s->vault, kv);
		t[n].headers[0] = "Content-Type: application/json";
		t[n].body = put_body(project, sec, &t[n].body_len);
		t[n].user = sec->name;
		if (t[n].body == NULL) {
			warnx(
			    "azure: value of %s is not valid UTF-8 text, which "
			    "Key Vault requires",
			    printable(sec->name));
			rc = EXIT_USAGE;
		}
		n++;
	}
	secjson_end();
	if (rc == EXIT_OK)
		rc = azure_vault_perform(s, t, n);
	for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
		if (t[i].status == 200)
			continue;
		if (t[i].status == 409)
			warnx("azure: put %s: the vault holds it as deleted "
			      "(soft delete): recover or purge it first",
			      printable(t[i].user));
		else
			vault_failure("put", &t[i]);
		rc = EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		http_transfer_reset(&t[i]);
		free((char *)t[i].url);
		if (t[i].body != NULL)
			secmem_free((void *)t[i].body);
	}
	free(t);
	b->auth_failed = s->auth_failed;
	return rc;
}

static int
azure_list(struct backend *b, const char *project, struct secret_info **out,
           size_t *count)
{
	struct azure_state *s = b->state;
	struct kv_item *items;
	size_t n;
	int rc;

	b->auth_failed = 0;
	rc = list_project(s, project, &items, &n, NULL);
	b->auth_failed = s->auth_failed;
	if (rc != EXIT_OK)
		return rc;
	*out = calloc(n ? n : 1, sizeof(**out));
	if (*out == NULL)
		err(EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		(*out)[i].name = items[i].name;
		(*out)[i].changed_ms = items[i].updated_ms;
		items[i].name = NULL;
	}
	*count = n;
	kv_items_free(items, n);
	return EXIT_OK;
}

static int
azure_rm(struct backend *b, const char *project, const char *name)
{
	struct azure_state *s = b->state;
	char kv[KV_NAME_MAX + 1];
	struct http_transfer t = {.method = "DELETE"};
	int rc;

	b->auth_failed = 0;
	kv_name_derive(project, name, kv);
	t.url = xasprintf("%s/secrets/%s?" API, s->vault, kv);
	rc = azure_vault_perform(s, &t, 1);
	if (rc == EXIT_OK && t.status == 404) {
		warnx("azure: no secret %s in project %s", printable(name),
		      project);
		rc = EXIT_USAGE;
	} else if (rc == EXIT_OK && t.status != 200) {
		vault_failure("rm", &t);
		rc = EXIT_FAIL;
	}
	http_transfer_reset(&t);
	free((char *)t.url);
	b->auth_failed = s->auth_failed;
	return rc;
}

static void
azure_close(struct backend *b)
{
	azure_state_free(b->state);
	b->state = NULL;
}

int
backend_azure_open(struct backend *b)
{
	struct azure_state *s;
	int rc = azure_state_new(&s);

	if (rc != EXIT_OK)
		return rc;
	b->name = "azure";
	b->state = s;
	b->fetch = azure_fetch;
	b->put = azure_put;
	b->list = azure_list;
	b->rm = azure_rm;
	b->close = azure_close;
	return EXIT_OK;
}
