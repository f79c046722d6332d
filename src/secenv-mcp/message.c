/* SPDX-License-Identifier: ISC */
/* JSON-RPC 2.0 messages: one line in, sorted out; answers out, one line each. */
#include <err.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mcp.h"
#include "util.h"

static void
invalid(struct mcp_message *m, int code, const char *message)
{
	m->kind = MSG_INVALID;
	m->error_code = code;
	m->error_message = message;
}

/* An id we can echo exactly: a string or an integer (MCP: never null). */
static bool
id_valid(const json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

static bool
blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strchr(" \t\r\n", text[i]) == NULL)
			return false;
	return true;
}

/* The envelope of a parsed object: jsonrpc, id, method, params. */
static void
envelope_check(struct mcp_message *m)
{
	json_t *root = m->root, *version = json_object_get(root, "jsonrpc");
	json_t *id = json_object_get(root, "id"),
	       *method = json_object_get(root, "method");

	if (id != NULL && id_valid(id))
		m->id = id;
	if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0)
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: \"jsonrpc\" must be \"2.0\"");
	if (id != NULL && !id_valid(id))
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: \"id\" must be a string or an "
		               "integer");
	if (method == NULL) {
		if (m->id != NULL && (json_object_get(root, "result") != NULL ||
		                      json_object_get(root, "error") != NULL)) {
			m->kind = MSG_RESPONSE;
			return;
		}
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: no \"method\"");
	}
	if (!json_is_string(method))
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: \"method\" must be a string");
	m->method = json_string_value(method);
	m->params = json_object_get(root, "params");
	if (m->params != NULL && !json_is_object(m->params) &&
	    !json_is_array(m->params))
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: \"params\" must be an object");
	m->kind = m->id != NULL ? MSG_REQUEST : MSG_NOTIFICATION;
}

/*
 * Sort out one line of at most max bytes (without its newline). Every
 * outcome is a kind: what cannot be answered exactly is MSG_INVALID with
 * the JSON-RPC code to answer, and the id when one could be read.
 */
void
mcp_message_parse(const char *text, size_t len, size_t max,
                  struct mcp_message *m)
{
	json_error_t error;

	memset(m, 0, sizeof *m);
	if (len > max)
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: message too large");
	if (blank(text, len)) {
		m->kind = MSG_NONE;
		return;
	}
	m->root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	                    &error);
	if (m->root == NULL) {
		switch (json_error_code(&error)) {
		case json_error_numeric_overflow:
			return invalid(m, RPC_INVALID_REQUEST,
			               "invalid request: a number out of range");
		case json_error_duplicate_key:
			return invalid(m, RPC_INVALID_REQUEST,
			               "invalid request: a key given twice");
		case json_error_null_character:
		case json_error_null_byte_in_key:
			return invalid(m, RPC_INVALID_REQUEST,
			               "invalid request: a NUL character");
		default:
			return invalid(m, RPC_PARSE_ERROR,
			               "parse error: not a JSON text");
		}
	}
	if (json_is_array(m->root))
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: batches are not supported");
	if (!json_is_object(m->root))
		return invalid(m, RPC_INVALID_REQUEST,
		               "invalid request: not a JSON object");
	envelope_check(m);
}

void
mcp_message_free(struct mcp_message *m)
{
	json_decref(m->root);
	memset(m, 0, sizeof *m);
}

/* {"jsonrpc":"2.0","id":ID,"result":RESULT}; takes RESULT. */
json_t *
rpc_result(json_t *id, json_t *result)
{
	json_t *msg = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id,
	                        "result", result);

	if (msg == NULL)
		errx(EXIT_FAIL, "cannot build an answer");
	return msg;
}

/* An error answer; id NULL answers null; takes DATA (may be NULL). */
json_t *
rpc_error(json_t *id, int code, const char *message, json_t *data)
{
	json_t *error = json_pack("{s:i, s:s}", "code", code, "message", message);
	json_t *msg;

	if (error == NULL)
		errx(EXIT_FAIL, "cannot build an answer");
	if (data != NULL)
		json_object_set_new(error, "data", data);
	msg = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id",
	                id != NULL ? id : json_null(), "error", error);
	if (msg == NULL)
		errx(EXIT_FAIL, "cannot build an answer");
	return msg;
}

bool
rpc_id_equal(const json_t *a, const json_t *b)
{
	return a != NULL && b != NULL && id_valid(a) && json_equal(a, b);
}

/* One message, one line, on stdout: the only thing ever written there.
 * Takes MESSAGE. A client that went away ends the server. */
void
rpc_send(json_t *message)
{
	char *text = json_dumps(message, JSON_COMPACT);
	size_t len;

	json_decref(message);
	if (text == NULL)
		errx(EXIT_FAIL, "cannot encode an answer");
	len = strlen(text);
	text[len] = '\n'; /* json_dumps' NUL becomes the line's end */
	if (write_full(STDOUT_FILENO, text, len + 1) != 0)
		err(EXIT_FAIL, "stdout");
	free(text);
}
