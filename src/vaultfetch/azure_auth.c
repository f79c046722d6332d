/* SPDX-License-Identifier: ISC */
/* Azure: configuration, access tokens (client credentials, managed
 * identity), their cache, and the 401 challenge. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
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
#include "paths.h"
#include "secmem.h"
#include "util.h"

#define DEFAULT_AUTHORITY "https://login.microsoftonline.com"
#define DEFAULT_IMDS "http://169.254.169.254"
#define TOKEN_MARGIN_S 300 /* renew this long before expiry */
#define TOKEN_MAX 16384

/* A base URL without its trailing slashes. */
static char *
url_trimmed(const char *url)
{
	char *s = xstrdup(url);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

static bool
is_https(const char *url)
{
	return strncasecmp(url, "https://", 8) == 0 && url[8] != '\0';
}

/* Tenant ids are GUIDs or domain names: nothing that could change the
 * token URL's path. */
static bool
tenant_is_valid(const char *t)
{
	if (*t == '\0' || strlen(t) > 253 || strstr(t, "..") != NULL)
		return false;
	for (; *t; t++)
		if (!isalnum((unsigned char)*t) && *t != '-' && *t != '.')
			return false;
	return true;
}

/*
 * The resource whose tokens the vault accepts: the vault host without
 * its first label (myvault.vault.azure.net -> https://vault.azure.net),
 * which works for every cloud's suffix; SECENV_AZURE_RESOURCE when the
 * host is a private name or an address.
 */
static int
resource_for(const char *vault, const char *var, char **out)
{
	const char *set = env_nonempty("SECENV_AZURE_RESOURCE");
	CURLU *u;
	char *host = NULL, *dot;
	int rc = EXIT_OK;

	if (set != NULL) {
		if (!is_https(set)) {
			warnx("azure: SECENV_AZURE_RESOURCE must be an https "
			      "URL");
			return EXIT_USAGE;
		}
		*out = url_trimmed(set);
		return EXIT_OK;
	}
	if ((u = curl_url()) == NULL)
		errx(EXIT_FAIL, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, vault, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		warnx("azure: %s is not a URL", var);
		rc = EXIT_USAGE;
	} else if ((dot = strchr(host, '.')) == NULL || dot[1] == '\0' ||
	           strchr(dot + 1, '.') == NULL ||
	           isdigit((unsigned char)host[strlen(host) - 1]) ||
	           *host == '[') {
		warnx(
		    "azure: cannot tell the Key Vault resource from host %s: "
		    "set SECENV_AZURE_RESOURCE (e.g. https://vault.azure.net)",
		    printable(host));
		rc = EXIT_USAGE;
	} else {
		*out = xasprintf("https://%s", dot + 1);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* The token cache file: one per credential, endpoint and resource. */
static void
cache_path_for(struct azure_state *s, const char *who)
{
	unsigned char hash[16];
	char hex[sizeof(hash) * 2 + 1], name[64];
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, sizeof(hash));
	crypto_generichash_update(&st, (const unsigned char *)s->token_url,
	                          strlen(s->token_url) + 1);
	crypto_generichash_update(&st, (const unsigned char *)who,
	                          strlen(who) + 1);
	crypto_generichash_update(&st, (const unsigned char *)s->resource,
	                          strlen(s->resource));
	crypto_generichash_final(&st, hash, sizeof(hash));
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	snprintf(name, sizeof(name), "azure-token-%s", hex);
	path_join(s->cache_path, sizeof(s->cache_path), secenv_runtime_dir(),
	          name);
}

static int
credential_from_env(struct azure_state *s)
{
	const char *secret = env_nonempty("AZURE_CLIENT_SECRET");
	const char *tenant = env_nonempty("AZURE_TENANT_ID");
	const char *client = env_nonempty("AZURE_CLIENT_ID");
	const char *endpoint = env_nonempty("IDENTITY_ENDPOINT");
	const char *header = env_nonempty("IDENTITY_HEADER");
	char *base;

	if (secret != NULL) {
		if (tenant == NULL || client == NULL) {
			warnx(
			    "azure: AZURE_CLIENT_SECRET needs AZURE_TENANT_ID "
			    "and AZURE_CLIENT_ID");
			return EXIT_USAGE;
		}
		if (!tenant_is_valid(tenant)) {
			warnx("azure: AZURE_TENANT_ID '%s' is not a tenant id",
			      printable(tenant));
			return EXIT_USAGE;
		}
		base = url_trimmed(env_nonempty("AZURE_AUTHORITY_HOST")
		                       ? env_nonempty("AZURE_AUTHORITY_HOST")
		                       : DEFAULT_AUTHORITY);
		if (!is_https(base)) {
			warnx(
			    "azure: AZURE_AUTHORITY_HOST must be an https URL");
			free(base);
			return EXIT_USAGE;
		}
		s->credential = AZURE_CLIENT_SECRET;
		s->token_url =
		    xasprintf("%s/%s/oauth2/v2.0/token", base, tenant);
		free(base);
		cache_path_for(s, client);
		return EXIT_OK;
	}
	if (endpoint != NULL && header != NULL) {
		s->credential = AZURE_APP_SERVICE;
		s->token_url = xstrdup(endpoint);
	} else {
		base =
		    url_trimmed(env_nonempty("SECENV_AZURE_IMDS_ENDPOINT")
		                    ? env_nonempty("SECENV_AZURE_IMDS_ENDPOINT")
		                : env_nonempty("AZURE_POD_IDENTITY_AUTHORITY_HOST")
		                    ? env_nonempty("AZURE_POD_IDENTITY_AUTHORITY_HOST")
		                    : DEFAULT_IMDS);
		s->credential = AZURE_IMDS;
		s->token_url =
		    xasprintf("%s/metadata/identity/oauth2/token", base);
		free(base);
	}
	cache_path_for(s, client ? client : "");
	return EXIT_OK;
}

#define BEARER "Authorization: Bearer "
#define AUTH_HEADER_SIZE (sizeof(BEARER) + TOKEN_MAX)

/* The header buffer lives as long as the state and is rewritten in
 * place: queued requests point at it, and see the newest token. */
static void
token_forget(struct azure_state *s)
{
	if (s->auth_header != NULL)
		sodium_memzero(s->auth_header, AUTH_HEADER_SIZE);
	s->has_token = false;
	s->token_expires_s = 0;
}

int
azure_state_new(struct azure_state **out)
{
	struct azure_state *s = calloc(1, sizeof(*s));
	const char *vault, *var;
	const char *ca = env_nonempty("SECENV_AZURE_CA_BUNDLE");
	int rc;

	if (s == NULL)
		err(EXIT_FAIL, "out of memory");
	if (ca == NULL)
		ca = env_nonempty("SECENV_CA_BUNDLE");
	if ((rc = backend_azure_vault_url(&vault, &var)) != EXIT_OK) {
		free(s);
		return rc;
	}
	if (vault == NULL) {
		warnx("azure: SECENV_AZURE_VAULT_URL is not set, nor "
		      "AZURE_KEY_VAULT_URL (https://NAME.vault.azure.net)");
		free(s);
		return EXIT_USAGE;
	}
	if (!is_https(vault)) {
		warnx("azure: %s must be an https URL", var);
		free(s);
		return EXIT_USAGE;
	}
	s->vault = url_trimmed(vault);
	rc = resource_for(s->vault, var, &s->resource);
	if (rc == EXIT_OK)
		rc = credential_from_env(s);
	if (rc != EXIT_OK) {
		azure_state_free(s);
		return rc;
	}
	s->http = http_client_new(ca);
	s->identity = http_client_new(ca);
	http_client_allow_http(s->identity, true);
	http_client_retry_status(s->identity, 410); /* IMDS while updating */
	s->auth_header = secmem_alloc(AUTH_HEADER_SIZE);
	token_forget(s);
	*out = s;
	return EXIT_OK;
}

void
azure_state_free(struct azure_state *s)
{
	if (s == NULL)
		return;
	secmem_free(s->auth_header);
	http_client_free(s->http);
	http_client_free(s->identity);
	free(s->vault);
	free(s->resource);
	free(s->token_url);
	free(s);
}

/* A bearer token goes into a header: printable ASCII and no spaces. */
static bool
token_is_sane(const char *tok, size_t len)
{
	if (len == 0 || len > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (tok[i] < '!' || tok[i] > '~')
			return false;
	return true;
}

static void
token_set(struct azure_state *s, const char *tok, size_t len,
          uint64_t expires_s)
{
	token_forget(s);
	memcpy(s->auth_header, BEARER, sizeof(BEARER) - 1);
	memcpy(s->auth_header + sizeof(BEARER) - 1, tok, len);
	s->auth_header[sizeof(BEARER) - 1 + len] = '\0';
	s->has_token = true;
	s->token_expires_s = expires_s;
}

static uint64_t
now_s(void)
{
	return now_ms() / 1000;
}

/* The cache file holds "EXPIRES TOKEN\n"; anything else is ignored. */
static bool
token_from_cache(struct azure_state *s)
{
	unsigned char *buf;
	size_t len;
	char *space, *end;
	uint64_t expires;
	int fd = open_private(s->cache_path, NULL);
	bool ok = false;

	if (fd < 0)
		return false;
	if (read_all(fd, TOKEN_MAX + 64, true, &buf, &len) != 0) {
		close(fd);
		return false;
	}
	close(fd);
	space = memchr(buf, ' ', len);
	end = memchr(buf, '\n', len);
	if (space != NULL && end != NULL && space < end) {
		*space = '\0';
		if (parse_u64((char *)buf, &expires) &&
		    expires > now_s() + TOKEN_MARGIN_S &&
		    token_is_sane(space + 1, (size_t)(end - space - 1))) {
			token_set(s, space + 1, (size_t)(end - space - 1),
			          expires);
			ok = true;
		}
	}
	secmem_free(buf);
	return ok;
}

static void
token_to_cache(struct azure_state *s)
{
	const char *tok = s->auth_header + strlen(BEARER);
	size_t len = strlen(tok), size = len + 32;
	char *buf = secmem_alloc(size);
	int n = snprintf(buf, size, "%llu %s\n",
	                 (unsigned long long)s->token_expires_s, tok);

	/* A cache that cannot be written costs a token request next time,
	 * nothing more. */
	if (n > 0 && (size_t)n < size)
		(void)atomic_write(s->cache_path, buf, (size_t)n);
	secmem_free(buf);
}

static void
token_cache_delete(struct azure_state *s)
{
	if (unlink(s->cache_path) != 0 && errno != ENOENT)
		warn("azure: remove %s", s->cache_path);
}

/* expires_on / expires_in come as numbers or as strings of digits. */
static bool
json_seconds(json_t *v, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (json_is_real(v) && json_real_value(v) >= 0) {
		*out = (uint64_t)json_real_value(v);
		return true;
	}
	return json_is_string(v) && parse_u64(json_string_value(v), out);
}

static const char *
credential_name(const struct azure_state *s)
{
	switch (s->credential) {
	case AZURE_CLIENT_SECRET:
		return "client credentials";
	case AZURE_APP_SERVICE:
		return "managed identity (IDENTITY_ENDPOINT)";
	default:
		return "managed identity (instance metadata)";
	}
}

/* The token answer: access_token and its expiry. */
static int
token_from_answer(struct azure_state *s, struct http_transfer *t)
{
	json_t *doc, *tok, *error;
	uint64_t expires = 0, in;
	char buf[96];
	int rc = EXIT_OK;

	secjson_begin();
	doc = secjson_parse(t->response, t->response_len);
	tok = json_object_get(doc, "access_token");
	error = json_object_get(doc, "error");
	if (t->status != 200) {
		/* Only the error code: a description may echo the request. */
		warnx("azure: token (%s) from %s: %s%s%s%s", credential_name(s),
		      http_url_for_message(t->url),
		      http_describe(t, buf, sizeof(buf)),
		      json_is_string(error) ? " (" : "",
		      json_is_string(error)
		          ? printable(json_string_value(error))
		          : "",
		      json_is_string(error) ? ")" : "");
		if (t->status == 400 || t->status == 401 || t->status == 403)
			s->auth_failed = 1;
		rc = EXIT_FAIL;
	} else if (!json_is_string(tok) ||
	           !token_is_sane(json_string_value(tok),
	                          json_string_length(tok))) {
		warnx(
		    "azure: token from %s: malformed answer (no access_token)",
		    http_url_for_message(t->url));
		rc = EXIT_FAIL;
	} else {
		if (json_seconds(json_object_get(doc, "expires_on"),
		                 &expires)) {
			/* an absolute time */
		} else if (json_seconds(json_object_get(doc, "expires_in"),
		                        &in)) {
			expires = now_s() + in;
		}
		if (expires == 0)
			expires = now_s() + TOKEN_MARGIN_S + 60;
		token_set(s, json_string_value(tok), json_string_length(tok),
		          expires);
	}
	json_decref(doc);
	secjson_end();
	return rc;
}

static int
token_request(struct azure_state *s)
{
	struct http_transfer t = {0};
	const char *client = env_nonempty("AZURE_CLIENT_ID");
	char *res = http_form_escape((const unsigned char *)s->resource,
	                             strlen(s->resource));
	char *url = NULL, *body = NULL, *header = NULL;
	struct http_client *http = s->identity;
	int rc;

	t.method = "GET";
	if (s->credential == AZURE_CLIENT_SECRET) {
		const char *secret = env_nonempty("AZURE_CLIENT_SECRET");
		char *id = http_form_escape((const unsigned char *)client,
		                            strlen(client));
		char *sec = http_form_escape((const unsigned char *)secret,
		                             strlen(secret));
		size_t size = strlen(id) + strlen(sec) + strlen(res) + 128;

		body = secmem_alloc(size);
		snprintf(body, size,
		         "grant_type=client_credentials&client_id=%s"
		         "&scope=%s%%2F.default&client_secret=%s",
		         id, res, sec);
		secmem_free(id);
		secmem_free(sec);
		t.method = "POST";
		t.url = s->token_url;
		t.body = (unsigned char *)body;
		t.body_len = strlen(body);
		t.headers[0] =
		    "Content-Type: application/x-www-form-urlencoded";
		http = s->http;
	} else if (s->credential == AZURE_APP_SERVICE) {
		const char *value = env_nonempty("IDENTITY_HEADER");
		size_t size = strlen(value) + 32;

		url = xasprintf(
		    "%s%sapi-version=2019-08-01&resource=%s%s%s", s->token_url,
		    strchr(s->token_url, '?') ? "&" : "?", res,
		    client ? "&client_id=" : "", client ? client : "");
		header = secmem_alloc(size);
		snprintf(header, size, "X-IDENTITY-HEADER: %s", value);
		t.url = url;
		t.headers[0] = header;
	} else {
		url = xasprintf("%s?api-version=2018-02-01&resource=%s%s%s",
		                s->token_url, res, client ? "&client_id=" : "",
		                client ? client : "");
		t.url = url;
		t.headers[0] = "Metadata: true";
	}
	http_perform(http, &t, 1);
	rc = token_from_answer(s, &t);
	http_transfer_reset(&t);
	secmem_free(body);
	secmem_free(header);
	secmem_free(res);
	free(url);
	if (rc == EXIT_OK)
		token_to_cache(s);
	return rc;
}

static int
token_ensure(struct azure_state *s)
{
	if (s->has_token && s->token_expires_s > now_s() + TOKEN_MARGIN_S)
		return EXIT_OK;
	if (token_from_cache(s))
		return EXIT_OK;
	return token_request(s);
}

/* The value of one parameter of a WWW-Authenticate challenge. */
static bool
challenge_param(const char *challenge, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = challenge; (p = strcasestr(p, key)) != NULL; p++) {
		const char *v, *end;

		if (p > challenge &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		v = p + klen;
		while (*v == ' ')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ')
			v++;
		if (*v == '"') {
			end = strchr(++v, '"');
		} else {
			end = v + strcspn(v, ", ");
		}
		if (end == NULL || (size_t)(end - v) >= size)
			return false;
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
		return true;
	}
	return false;
}

/* The challenge names the resource (or scope) the vault wants a token
 * for; a token for anything else must never be sent to this server. */
static bool
challenge_matches(const struct azure_state *s, const char *challenge)
{
	char res[512];
	size_t n;

	if (challenge == NULL || strncasecmp(challenge, "Bearer", 6) != 0)
		return false;
	if (!challenge_param(challenge, "resource", res, sizeof(res)) &&
	    !challenge_param(challenge, "scope", res, sizeof(res)))
		return false;
	n = strlen(res);
	if (n > 9 && strcmp(res + n - 9, "/.default") == 0)
		res[n -= 9] = '\0';
	while (n > 0 && res[n - 1] == '/')
		res[--n] = '\0';
	return strcasecmp(res, s->resource) == 0;
}

static void
attach_token(struct azure_state *s, struct http_transfer *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t[i].auth_header = s->auth_header;
}

static const struct http_transfer *
first_with_status(const struct http_transfer *t, size_t n, long status)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].status == status)
			return &t[i];
	return NULL;
}

int
azure_vault_perform(struct azure_state *s, struct http_transfer *t, size_t n)
{
	const struct http_transfer *denied;
	int rc;

	s->auth_failed = 0;
	if (n == 0)
		return EXIT_OK;
	for (int round = 0; round < 2; round++) {
		rc = token_ensure(s);
		if (rc != EXIT_OK)
			return rc;
		attach_token(s, t, n);
		http_perform(s->http, t, n);
		if ((denied = first_with_status(t, n, 403)) != NULL) {
			warnx("azure: %s: access denied (HTTP 403)",
			      http_url_for_message(denied->url));
			s->auth_failed = 1;
			token_cache_delete(s);
			return EXIT_FAIL;
		}
		if ((denied = first_with_status(t, n, 401)) == NULL)
			return EXIT_OK;
		if (!challenge_matches(s, denied->challenge)) {
			warnx("azure: %s: the vault's authentication challenge "
			      "does not name resource %s; no token sent again",
			      http_url_for_message(denied->url), s->resource);
			s->auth_failed = 1;
			token_cache_delete(s);
			return EXIT_FAIL;
		}
		/* The token was refused (revoked, or from a stale cache):
		 * forget it and try once more with a fresh one. */
		token_forget(s);
		token_cache_delete(s);
	}
	warnx("azure: %s: authentication failed (HTTP 401)",
	      http_url_for_message(first_with_status(t, n, 401)->url));
	s->auth_failed = 1;
	return EXIT_FAIL;
}
