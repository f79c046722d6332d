/* SPDX-License-Identifier: ISC */
/* libFuzzer target: secenv-mcp's reading of one incoming line and its answer to it. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"

static struct mcp_config config = {
    .project = "fuzz",
    .workdir = "/nonexistent-fuzz-dir",
    .timeout_s = 300,
    .output_cap = MCP_DEFAULT_OUTPUT_CAP,
    .message_max = 1 << 20,
    .max_calls = MCP_DEFAULT_MAX_CALLS,
};

/* What the server relies on after a parse. */
static void
message_check(const struct mcp_message *m)
{
	switch (m->kind) {
	case MSG_NONE:
		if (m->root != NULL)
			abort();
		break;
	case MSG_REQUEST:
		if (m->id == NULL || m->method == NULL)
			abort();
		if (!json_is_string(m->id) && !json_is_integer(m->id))
			abort();
		break;
	case MSG_NOTIFICATION:
		if (m->id != NULL || m->method == NULL)
			abort();
		break;
	case MSG_RESPONSE:
		if (m->id == NULL)
			abort();
		break;
	case MSG_INVALID:
		if (m->error_message == NULL ||
		    (m->error_code != RPC_PARSE_ERROR &&
		     m->error_code != RPC_INVALID_REQUEST))
			abort();
		break;
	}
}

/* An answer is a JSON-RPC 2.0 response: its id echoed, a result or
 * an error with a code. */
static void
answer_check(json_t *answer, const struct mcp_message *m)
{
	json_t *error = json_object_get(answer, "error");
	const char *version =
	    json_string_value(json_object_get(answer, "jsonrpc"));

	if (!json_is_object(answer) || version == NULL ||
	    strcmp(version, "2.0") != 0)
		abort();
	if ((error == NULL) == (json_object_get(answer, "result") == NULL))
		abort();
	if (error != NULL && !json_is_integer(json_object_get(error, "code")))
		abort();
	if (m->id != NULL && !json_equal(json_object_get(answer, "id"), m->id))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_session session = {0};
	struct mcp_message m;
	struct mcp_call *calls = NULL, *started = NULL;
	json_t *answer;

	mcp_message_parse((const char *)data, size, config.message_max, &m);
	message_check(&m);
	/* a tools/call starts a process: its parameters are checked
	 * elsewhere, the dispatch of every other method here */
	if (m.method == NULL || strcmp(m.method, "tools/call") != 0) {
		answer = protocol_handle(&config, &session, &m, &calls, &started);
		if (started != NULL)
			abort();
		if (answer != NULL) {
			answer_check(answer, &m);
			json_decref(answer);
		} else if (m.kind == MSG_REQUEST || m.kind == MSG_INVALID) {
			abort(); /* a request is always answered */
		}
	}
	mcp_message_free(&m);
	session_free(&session);
	return 0;
}
