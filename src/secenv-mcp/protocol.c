/* SPDX-License-Identifier: ISC */
/* MCP's methods: the 2025-11-25 handshake and the stateless 2026-07-28 requests. */
#include <err.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "mcp.h"
#include "util.h"

#define META_VERSION "io.modelcontextprotocol/protocolVersion"
#define META_CLIENT "io.modelcontextprotocol/clientInfo"
#define META_CAPABILITIES "io.modelcontextprotocol/clientCapabilities"
#define META_SERVER "io.modelcontextprotocol/serverInfo"

/* The versions the initialize handshake accepts, newest first. */
static const char *const legacy_versions[] = {MCP_LATEST_VERSION,
                                              "2025-06-18"};

static const char instructions[] =
    "secenv runs commands with this project's secrets in their "
    "environment and masks every secret value in what comes back. "
    "Programs read secrets the usual way (os.getenv, process.env); "
    "commands that dump the environment or read .env and key files are "
    "refused. list_secrets gives the names.";

/* What one request says about its protocol (2026-07-28: in _meta). */
struct request_meta {
	bool stateless;
	struct mcp_client client;
	int error_code; /* 0, or the answer's code */
	const char *error_message;
	json_t *error_data;
};

/* A copy of a client-given string for the record, at most
 * MCP_CLIENT_FIELD_MAX bytes, valid UTF-8. */
static char *
client_field(json_t *v)
{
	size_t len;
	char *copy;

	if (!json_is_string(v))
		return NULL;
	len = json_string_length(v);
	if (len > MCP_CLIENT_FIELD_MAX)
		len = MCP_CLIENT_FIELD_MAX;
	copy = utf8_lossy(json_string_value(v), len, &len);
	if (copy == NULL)
		errx(EXIT_FAIL, "out of memory");
	return copy;
}

static void
client_set(struct mcp_client *client, json_t *info)
{
	free(client->name);
	free(client->version);
	client->name = client_field(json_object_get(info, "name"));
	client->version = client_field(json_object_get(info, "version"));
}

static void
client_free(struct mcp_client *client)
{
	free(client->name);
	free(client->version);
	client->name = client->version = NULL;
}

/*
 * A request of the stateless revision carries its protocol version and
 * the client's capabilities (and, optionally, its name) in
 * params._meta; a request without them belongs to the initialize
 * handshake.
 */
static void
meta_read(json_t *params, struct request_meta *rm)
{
	json_t *meta = json_object_get(params, "_meta"), *version;

	memset(rm, 0, sizeof *rm);
	version = json_object_get(meta, META_VERSION);
	if (!json_is_object(meta) || version == NULL)
		return;
	rm->stateless = true;
	if (!json_is_string(version)) {
		rm->error_code = RPC_INVALID_PARAMS;
		rm->error_message = "invalid params: _meta." META_VERSION
		                    " must be a string";
		return;
	}
	if (strcmp(json_string_value(version), MCP_STATELESS_VERSION) != 0) {
		rm->error_code = RPC_UNSUPPORTED_VERSION;
		rm->error_message = "unsupported protocol version";
		rm->error_data = json_pack("{s:[s], s:O}", "supported",
		                           MCP_STATELESS_VERSION, "requested",
		                           version);
		return;
	}
	if (!json_is_object(json_object_get(meta, META_CAPABILITIES))) {
		rm->error_code = RPC_INVALID_PARAMS;
		rm->error_message = "invalid params: _meta." META_CAPABILITIES
		                    " must be an object";
		return;
	}
	if (json_is_object(json_object_get(meta, META_CLIENT)))
		client_set(&rm->client, json_object_get(meta, META_CLIENT));
}

static json_t *
server_info(void)
{
	return json_pack("{s:s, s:s, s:s}", "name", MCP_SERVER_NAME, "title",
	                 "secenv", "version", MCP_SERVER_VERSION);
}

static json_t *
initialize(struct mcp_session *s, struct mcp_message *m)
{
	json_t *version = json_object_get(m->params, "protocolVersion"),
	       *info = json_object_get(m->params, "clientInfo");
	const char *chosen = legacy_versions[0];

	if (s->initialized)
		return rpc_error(m->id, RPC_INVALID_REQUEST,
		                 "invalid request: already initialized", NULL);
	if (!json_is_string(version))
		return rpc_error(m->id, RPC_INVALID_PARAMS,
		                 "invalid params: \"protocolVersion\" must be a "
		                 "string",
		                 NULL);
	if (info != NULL && !json_is_object(info))
		return rpc_error(m->id, RPC_INVALID_PARAMS,
		                 "invalid params: \"clientInfo\" must be an object",
		                 NULL);
	/* a version we speak is echoed; any other gets our latest, and the
	 * client decides whether it can go on */
	for (size_t i = 0; i < sizeof legacy_versions / sizeof *legacy_versions;
	     i++)
		if (strcmp(json_string_value(version), legacy_versions[i]) == 0)
			chosen = legacy_versions[i];
	s->initialized = true;
	free(s->version);
	s->version = xstrdup(chosen);
	client_set(&s->client, info);
	/* printable() has one buffer: one call per message */
	warnx("client %s, protocol %s",
	      s->client.name ? printable(s->client.name) : "(unnamed)", chosen);
	return rpc_result(m->id,
	                  json_pack("{s:s, s:{s:{s:b}}, s:o, s:s}",
	                            "protocolVersion", chosen, "capabilities",
	                            "tools", "listChanged", 0, "serverInfo",
	                            server_info(), "instructions", instructions));
}

static json_t *
discover(void)
{
	json_t *versions = json_array();

	json_array_append_new(versions, json_string(MCP_STATELESS_VERSION));
	for (size_t i = 0; i < sizeof legacy_versions / sizeof *legacy_versions;
	     i++)
		json_array_append_new(versions, json_string(legacy_versions[i]));
	return json_pack("{s:o, s:{s:{s:b}}, s:s, s:o, s:i, s:s}",
	                 "supportedVersions", versions, "capabilities", "tools",
	                 "listChanged", 0, "instructions", instructions,
	                 "serverInfo", server_info(), "ttlMs", 3600000,
	                 "cacheScope", "public");
}

static struct mcp_call *
call_find(struct mcp_call *calls, json_t *id)
{
	for (; calls != NULL; calls = calls->next)
		if (rpc_id_equal(calls->id, id))
			return calls;
	return NULL;
}

static unsigned
call_count(struct mcp_call *calls)
{
	unsigned n = 0;

	for (; calls != NULL; calls = calls->next)
		n++;
	return n;
}

static void
notification(struct mcp_message *m, struct mcp_call *calls)
{
	struct mcp_call *call;
	char *id;

	if (strcmp(m->method, "notifications/cancelled") != 0)
		return; /* initialized and the others need nothing */
	call = call_find(calls, json_object_get(m->params, "requestId"));
	if (call == NULL || call->cancelled)
		return; /* finished already, or never ours: nothing to stop */
	id = json_dumps(call->id, JSON_ENCODE_ANY | JSON_COMPACT);
	warnx("call %s cancelled by the client; stopping it",
	      id ? printable(id) : "?");
	free(id);
	call_cancel(call);
}

/* A result of the stateless revision says it is complete and who
 * answered. */
void
result_mark_stateless(json_t *r)
{
	json_object_set_new(r, "resultType", json_string("complete"));
	json_object_set_new(r, "_meta",
	                    json_pack("{s:o}", META_SERVER, server_info()));
}

static json_t *
result(struct mcp_message *m, const struct request_meta *rm, json_t *r)
{
	if (r == NULL)
		errx(EXIT_FAIL, "cannot build an answer");
	if (rm->stateless)
		result_mark_stateless(r);
	return rpc_result(m->id, r);
}

static json_t *
tools_call_request(const struct mcp_config *c, struct mcp_session *s,
                   struct mcp_message *m, const struct request_meta *rm,
                   struct mcp_call *calls, struct mcp_call **started)
{
	const char *bad = NULL;
	json_t *r;

	if (call_find(calls, m->id) != NULL)
		return rpc_error(m->id, RPC_INVALID_REQUEST,
		                 "invalid request: a call with this id is in "
		                 "flight",
		                 NULL);
	if (call_count(calls) >= c->max_calls)
		return result(m, rm,
		              tool_error("too many tool calls in flight; try "
		                         "again when one has ended"));
	r = tools_call(c, m->params, rm->stateless ? &rm->client : &s->client,
	               started, &bad);
	if (bad != NULL)
		return rpc_error(m->id, RPC_INVALID_PARAMS, bad, NULL);
	if (r != NULL)
		return result(m, rm, r);
	(*started)->id = json_incref(m->id);
	(*started)->stateless = rm->stateless;
	return NULL;
}

/*
 * One message: the answer to send (NULL for none, or for a call that
 * answers when it ends: then *started is that call).
 */
json_t *
protocol_handle(const struct mcp_config *c, struct mcp_session *s,
                struct mcp_message *m, struct mcp_call **calls,
                struct mcp_call **started)
{
	struct request_meta rm;
	json_t *answer;

	*started = NULL;
	switch (m->kind) {
	case MSG_NONE:
	case MSG_RESPONSE:
		return NULL;
	case MSG_INVALID:
		return rpc_error(m->id, m->error_code, m->error_message, NULL);
	case MSG_NOTIFICATION:
		if (json_is_object(m->params) || m->params == NULL)
			notification(m, *calls);
		return NULL;
	case MSG_REQUEST:
		break;
	}
	if (m->params != NULL && !json_is_object(m->params))
		return rpc_error(m->id, RPC_INVALID_PARAMS,
		                 "invalid params: \"params\" must be an object",
		                 NULL);
	meta_read(m->params, &rm);
	if (rm.error_code != 0) {
		answer = rpc_error(m->id, rm.error_code, rm.error_message,
		                   rm.error_data);
	} else if (strcmp(m->method, "initialize") == 0) {
		answer = initialize(s, m);
	} else if (strcmp(m->method, "ping") == 0) {
		answer = result(m, &rm, json_object());
	} else if (strcmp(m->method, "server/discover") == 0) {
		answer = result(m, &rm, discover());
	} else if (strcmp(m->method, "tools/list") != 0 &&
	           strcmp(m->method, "tools/call") != 0) {
		answer = rpc_error(m->id, RPC_METHOD_NOT_FOUND,
		                   "method not found", NULL);
	} else if (!rm.stateless && !s->initialized) {
		answer = rpc_error(m->id, RPC_INVALID_REQUEST,
		                   "invalid request: not initialized (send "
		                   "initialize first, or the per-request _meta "
		                   "of protocol " MCP_STATELESS_VERSION ")",
		                   NULL);
	} else if (strcmp(m->method, "tools/list") == 0) {
		answer = result(m, &rm, tools_list(c));
	} else {
		answer = tools_call_request(c, s, m, &rm, *calls, started);
	}
	client_free(&rm.client);
	return answer;
}

void
session_free(struct mcp_session *s)
{
	client_free(&s->client);
	free(s->version);
}
