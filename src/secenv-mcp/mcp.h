/* SPDX-License-Identifier: ISC */
/* What secenv-mcp's files share: the settings, messages, calls, tools. */
#ifndef SECENV_MCP_H
#define SECENV_MCP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MCP_SERVER_NAME "secenv-mcp"
#define MCP_SERVER_VERSION "1.0.0"
#define MCP_STATELESS_VERSION "2026-07-28"
#define MCP_LATEST_VERSION "2025-11-25"

#define MCP_DEFAULT_OUTPUT_CAP (256u * 1024)        /* per stream */
#define MCP_DEFAULT_MESSAGE_MAX (4u * 1024 * 1024)  /* one line in */
#define MCP_DEFAULT_MAX_CALLS 64                    /* in flight */
#define MCP_CHILD_OUTPUT_MAX (256u * 1024 * 1024)   /* a child's answer */
#define MCP_CLIENT_FIELD_MAX 256 /* name or version kept for the audit */

/* JSON-RPC 2.0 and MCP error codes */
#define RPC_PARSE_ERROR -32700
#define RPC_INVALID_REQUEST -32600
#define RPC_METHOD_NOT_FOUND -32601
#define RPC_INVALID_PARAMS -32602
#define RPC_INTERNAL_ERROR -32603
#define RPC_UNSUPPORTED_VERSION -32022 /* 2026-07-28 */

/* What whoever started the server fixed; no tool argument changes it. */
struct mcp_config {
	const char *project;
	char *workdir;          /* the real path of -C DIR */
	char **allow_read;      /* real paths of --allow-read DIRs */
	size_t allow_read_count;
	unsigned timeout_s;     /* -t: the longest a command may run */
	size_t output_cap;      /* per stream, bytes */
	size_t message_max;     /* one incoming line, bytes */
	unsigned max_calls;     /* tool calls in flight */
};

/* One incoming line, sorted out (message.c). */
enum mcp_kind {
	MSG_NONE,         /* a blank line: nothing to do */
	MSG_REQUEST,      /* method and id: answer it */
	MSG_NOTIFICATION, /* method, no id: never answered */
	MSG_RESPONSE,     /* result or error: the client answering us */
	MSG_INVALID,      /* answer error_code with id (or null) */
};

struct mcp_message {
	enum mcp_kind kind;
	json_t *root;        /* the whole parsed message, or NULL */
	json_t *id;          /* borrowed from root; NULL for none */
	const char *method;  /* borrowed from root */
	json_t *params;      /* borrowed; NULL when absent */
	int error_code;      /* MSG_INVALID */
	const char *error_message;
};

/* message.c */
void mcp_message_parse(const char *text, size_t len, size_t max,
                       struct mcp_message *m);
void mcp_message_free(struct mcp_message *m);
json_t *rpc_result(json_t *id, json_t *result);
json_t *rpc_error(json_t *id, int code, const char *message, json_t *data);
bool rpc_id_equal(const json_t *a, const json_t *b);
void rpc_send(json_t *message);

/* A client as it named itself (for the audit record). */
struct mcp_client {
	char *name, *version; /* NULL until known */
};

/* One tool call in flight: a child and what it wrote (calls.c). */
enum mcp_tool { TOOL_RUN_COMMAND, TOOL_READ_FILE, TOOL_LIST_SECRETS };

struct mcp_call {
	struct mcp_call *next;
	json_t *id;             /* the request's id (a reference) */
	enum mcp_tool tool;
	bool stateless;         /* answer with resultType */
	bool cancelled;         /* notifications/cancelled came: no answer */
	pid_t pid;              /* the child, its own process group */
	int out_fd, err_fd;     /* -1 once at EOF */
	char *out, *err;        /* what it wrote so far */
	size_t out_len, err_len, out_size, err_size;
	bool too_big;           /* wrote more than MCP_CHILD_OUTPUT_MAX */
	bool exited;
	int status;             /* exit status, 128+N for a signal */
	char *subject;          /* the path read (read_file), for messages */
	char *client;           /* the client as JSON, for the records */
};

/* calls.c */
struct mcp_call *call_start(const struct mcp_config *c, enum mcp_tool tool,
                            char *const argv[], const char *cwd,
                            const struct mcp_client *client);
void call_read(struct mcp_call *call, int fd);
void call_cancel(struct mcp_call *call);
void call_free(struct mcp_call *call);
void call_record_cancel(const struct mcp_config *c,
                        const struct mcp_call *call);

/* tools.c */
json_t *tools_list(const struct mcp_config *c);
json_t *tools_call(const struct mcp_config *c, json_t *params,
                   const struct mcp_client *client, struct mcp_call **call,
                   const char **bad_params);
json_t *tools_result(const struct mcp_config *c, struct mcp_call *call);
json_t *tool_error(const char *text);
bool text_cap(const char *text, size_t len, size_t cap, json_t **out);

/* paths.c */
char *path_inside(const struct mcp_config *c, const char *path,
                  bool allow_extra, const char **why);

/* protocol.c: an answer to one message, or NULL (none, or a call was
 * started and answers later); *call is the started call */
struct mcp_session {
	bool initialized;         /* initialize was answered */
	char *version;            /* the negotiated legacy version */
	struct mcp_client client; /* from initialize */
};
json_t *protocol_handle(const struct mcp_config *c, struct mcp_session *s,
                        struct mcp_message *m, struct mcp_call **calls,
                        struct mcp_call **started);
void session_free(struct mcp_session *s);
void result_mark_stateless(json_t *r);

/* server.c */
int server_run(const struct mcp_config *c);

#endif
