/* SPDX-License-Identifier: ISC */
/* The three tools: their schemas, their arguments, the runs behind them, their results. */
#include <err.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "mcp.h"
#include "paths.h"
#include "util.h"

#define COMMAND_MAX (128 * 1024 - 1) /* Linux: one argument string */
#define MESSAGE_SHOWN_MAX 4096       /* of a failed step's messages */

static json_t *
schema_or_die(json_t *schema)
{
	if (schema == NULL)
		errx(EXIT_FAIL, "cannot build the tool list");
	return schema;
}

static json_t *
run_command_tool(const struct mcp_config *c)
{
	return schema_or_die(json_pack(
	    "{s:s, s:s, s:s,"
	    " s:{s:s, s:{s:{s:s, s:s, s:i},"
	    "             s:{s:s, s:s},"
	    "             s:{s:s, s:s, s:i, s:i}},"
	    "    s:[s], s:b},"
	    " s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}},"
	    "             s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}},"
	    "    s:[s, s, s, s, s, s]},"
	    " s:{s:b, s:b, s:b}}",
	    "name", "run_command", "title", "Run a command with the project's secrets",
	    "description",
	    "Run a shell command (sh -c) with the project's secrets in its "
	    "environment. Programs read them as usual (os.getenv, "
	    "process.env); everything printed comes back with every secret "
	    "value masked. Commands that would dump the environment or read "
	    ".env and key files are refused. Use list_secrets for the names.",
	    "inputSchema", "type", "object", "properties", "command", "type",
	    "string", "description", "the command line, run under sh -c",
	    "minLength", 1, "cwd", "type", "string", "description",
	    "directory to run in, relative to the server's working directory "
	    "(and inside it)",
	    "timeout_seconds", "type", "integer", "description",
	    "stop the command's process group after this many seconds",
	    "minimum", 1, "maximum", (int)c->timeout_s, "required", "command",
	    "additionalProperties", 0,
	    "outputSchema", "type", "object", "properties", "return_code", "type",
	    "integer", "security_blocked", "type", "boolean", "timed_out", "type",
	    "boolean", "masks", "type", "object", "additionalProperties", "type",
	    "integer", "env_count", "type", "integer", "duration_ms", "type",
	    "integer", "stdout_truncated", "type", "boolean", "stderr_truncated",
	    "type", "boolean", "required", "return_code", "security_blocked",
	    "timed_out", "masks", "env_count", "duration_ms",
	    "annotations", "readOnlyHint", 0, "destructiveHint", 1,
	    "openWorldHint", 1));
}

static json_t *
read_file_tool(void)
{
	return schema_or_die(json_pack(
	    "{s:s, s:s, s:s, s:{s:s, s:{s:{s:s, s:s, s:i}}, s:[s], s:b},"
	    " s:{s:b, s:b}}",
	    "name", "read_file", "title", "Read a file, secrets masked",
	    "description",
	    "Show a text file of the working directory with every secret value "
	    "masked. .env files, key files and secenv's own files are refused.",
	    "inputSchema", "type", "object", "properties", "path", "type",
	    "string", "description",
	    "the file, relative to the server's working directory", "minLength",
	    1, "required", "path", "additionalProperties", 0, "annotations",
	    "readOnlyHint", 1, "openWorldHint", 0));
}

static json_t *
list_secrets_tool(void)
{
	return schema_or_die(json_pack(
	    "{s:s, s:s, s:s, s:{s:s, s:{}, s:b},"
	    " s:{s:s, s:{s:{s:s, s:{s:s}}}, s:[s]}, s:{s:b, s:b}}",
	    "name", "list_secrets", "title", "List the project's secret names",
	    "description",
	    "The names of the project's secrets (never their values): the "
	    "environment variables a command run with run_command receives.",
	    "inputSchema", "type", "object", "properties",
	    "additionalProperties", 0, "outputSchema", "type", "object",
	    "properties", "names", "type", "array", "items", "type", "string",
	    "required", "names", "annotations", "readOnlyHint", 1,
	    "openWorldHint", 0));
}

/* tools/list: every tool, one page. */
json_t *
tools_list(const struct mcp_config *c)
{
	return json_pack("{s:[o, o, o]}", "tools", run_command_tool(c),
	                 read_file_tool(), list_secrets_tool());
}

/* A tool result that reports a failure to the model (isError). */
json_t *
tool_error(const char *text)
{
	json_t *r = json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text",
	                      "text", text, "isError", 1);

	if (r == NULL)
		errx(EXIT_FAIL, "cannot build a result");
	return r;
}

static json_t *
tool_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static json_t *
tool_errorf(const char *fmt, ...)
{
	va_list ap;
	char *text;
	json_t *r;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		errx(EXIT_FAIL, "out of memory");
	va_end(ap);
	r = tool_error(text);
	free(text);
	return r;
}

/*
 * TEXT (valid UTF-8, already masked) as a JSON string of at most CAP
 * bytes and a marker: cut at a character boundary, never in the middle
 * of a character. True when it was cut.
 */
bool
text_cap(const char *text, size_t len, size_t cap, json_t **out)
{
	size_t cut = cap;
	char *marked;

	if (len <= cap) {
		*out = json_stringn(text, len);
		return false;
	}
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	marked = xasprintf("%.*s\n[secenv: output truncated: %zu of %zu bytes "
	                   "shown]\n",
	                   (int)cut, text, cut, len);
	*out = json_string(marked);
	free(marked);
	return true;
}

/* Every key of ARGS is one of NAMES; else the first that is not. */
static const char *
unknown_argument(json_t *args, const char *const names[], size_t count)
{
	const char *key;
	json_t *value;

	json_object_foreach(args, key, value) {
		size_t i;
		for (i = 0; i < count; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (i == count)
			return key;
	}
	return NULL;
}

/* The secenv-run of one command, --json. */
static char **
run_argv(const struct mcp_config *c, const char *command, const char *cwd,
         unsigned timeout_s)
{
	char **argv = xcalloc(11, sizeof(char *));

	argv[0] = program_path("secenv-run");
	argv[1] = xstrdup("-p");
	argv[2] = xstrdup(c->project);
	argv[3] = xstrdup("-C");
	argv[4] = xstrdup(cwd);
	argv[5] = xstrdup("-t");
	argv[6] = xasprintf("%u", timeout_s);
	argv[7] = xstrdup("--json");
	argv[8] = xstrdup("--");
	argv[9] = xstrdup(command);
	return argv;
}

/* The guarded, masked read of one file, --json: `secenv read` is this
 * whole call, so a new home for it changes this function only. */
static char **
read_argv(const struct mcp_config *c, const char *path)
{
	char **argv = xcalloc(7, sizeof(char *));

	argv[0] = program_path("secenv");
	argv[1] = xstrdup("read");
	argv[2] = xstrdup("-p");
	argv[3] = xstrdup(c->project);
	argv[4] = xstrdup("--json");
	argv[5] = xstrdup(path);
	return argv;
}

static char **
list_argv(const struct mcp_config *c)
{
	char **argv = xcalloc(4, sizeof(char *));

	argv[0] = program_path("vaultfetch");
	argv[1] = xstrdup("list");
	argv[2] = xstrdup(c->project);
	return argv;
}

static void
argv_free(char **argv)
{
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* run_command's arguments into a call, or a tool error. */
static json_t *
run_command_start(const struct mcp_config *c, json_t *args,
                  const struct mcp_client *client, struct mcp_call **call)
{
	static const char *const names[] = {"command", "cwd", "timeout_seconds"};
	json_t *command = json_object_get(args, "command"),
	       *cwd = json_object_get(args, "cwd"),
	       *timeout = json_object_get(args, "timeout_seconds");
	const char *unknown = unknown_argument(args, names, 3), *why;
	unsigned timeout_s = c->timeout_s;
	char *dir, **argv;
	struct stat st;

	if (unknown != NULL)
		return tool_errorf("run_command: unknown argument: %s",
		                   printable(unknown));
	if (!json_is_string(command) || json_string_length(command) == 0)
		return tool_error("run_command: \"command\" must be a non-empty "
		                  "string");
	if (json_string_length(command) > COMMAND_MAX)
		return tool_errorf("run_command: \"command\" is longer than %d "
		                   "bytes",
		                   COMMAND_MAX);
	if (cwd != NULL && !json_is_string(cwd))
		return tool_error("run_command: \"cwd\" must be a string");
	if (timeout != NULL) {
		if (!json_is_integer(timeout) || json_integer_value(timeout) < 1 ||
		    json_integer_value(timeout) > (json_int_t)c->timeout_s)
			return tool_errorf("run_command: \"timeout_seconds\" must "
			                   "be an integer from 1 to %u",
			                   c->timeout_s);
		timeout_s = (unsigned)json_integer_value(timeout);
	}
	if (cwd != NULL) {
		dir = path_inside(c, json_string_value(cwd), false, &why);
		if (dir == NULL)
			return tool_errorf("run_command: cwd %s: %s",
			                   printable(json_string_value(cwd)), why);
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(dir);
			return tool_errorf("run_command: cwd %s: not a directory",
			                   printable(json_string_value(cwd)));
		}
	} else {
		dir = xstrdup(c->workdir);
	}
	argv = run_argv(c, json_string_value(command), dir, timeout_s);
	*call = call_start(c, TOOL_RUN_COMMAND, argv, NULL, client);
	argv_free(argv);
	free(dir);
	return *call ? NULL : tool_error("run_command: cannot start secenv-run");
}

static json_t *
read_file_start(const struct mcp_config *c, json_t *args,
                const struct mcp_client *client, struct mcp_call **call)
{
	static const char *const names[] = {"path"};
	json_t *path = json_object_get(args, "path");
	const char *unknown = unknown_argument(args, names, 1), *why;
	char *real, **argv;

	if (unknown != NULL)
		return tool_errorf("read_file: unknown argument: %s",
		                   printable(unknown));
	if (!json_is_string(path))
		return tool_error("read_file: \"path\" must be a string");
	real = path_inside(c, json_string_value(path), true, &why);
	if (real == NULL)
		return tool_errorf("read_file: %s: %s",
		                   printable(json_string_value(path)), why);
	/* the real path: the guard judges the file itself, not a link */
	argv = read_argv(c, real);
	*call = call_start(c, TOOL_READ_FILE, argv, c->workdir, client);
	argv_free(argv);
	free(real);
	if (*call == NULL)
		return tool_error("read_file: cannot start secenv read");
	(*call)->subject = xstrdup(json_string_value(path));
	return NULL;
}

static json_t *
list_secrets_start(const struct mcp_config *c, json_t *args,
                   const struct mcp_client *client, struct mcp_call **call)
{
	const char *unknown = unknown_argument(args, NULL, 0);
	char **argv;

	if (unknown != NULL)
		return tool_errorf("list_secrets: unknown argument: %s",
		                   printable(unknown));
	argv = list_argv(c);
	*call = call_start(c, TOOL_LIST_SECRETS, argv, c->workdir, client);
	argv_free(argv);
	return *call ? NULL : tool_error("list_secrets: cannot start vaultfetch");
}

/*
 * tools/call: start the tool's run (NULL, *call set), or answer at once
 * with a tool error (a result with isError), or refuse the params
 * themselves (NULL, *bad_params set: a -32602 answer).
 */
json_t *
tools_call(const struct mcp_config *c, json_t *params,
           const struct mcp_client *client, struct mcp_call **call,
           const char **bad_params)
{
	json_t *name = json_object_get(params, "name"),
	       *args = json_object_get(params, "arguments");
	json_t *empty = NULL, *result;
	const char *tool;

	*call = NULL;
	if (!json_is_string(name)) {
		*bad_params = "invalid params: \"name\" must be a string";
		return NULL;
	}
	if (args != NULL && !json_is_object(args)) {
		*bad_params = "invalid params: \"arguments\" must be an object";
		return NULL;
	}
	if (args == NULL)
		args = empty = json_object();
	tool = json_string_value(name);
	if (strcmp(tool, "run_command") == 0)
		result = run_command_start(c, args, client, call);
	else if (strcmp(tool, "read_file") == 0)
		result = read_file_start(c, args, client, call);
	else if (strcmp(tool, "list_secrets") == 0)
		result = list_secrets_start(c, args, client, call);
	else {
		*bad_params = "invalid params: unknown tool";
		result = NULL;
	}
	json_decref(empty);
	return result;
}

/* A step that ended without its JSON object: its status and messages
 * (which never hold a value), for the model. */
static json_t *
failure(const char *what, struct mcp_call *call)
{
	size_t len = call->err_len;
	char *clean;
	json_t *r;

	if (len > MESSAGE_SHOWN_MAX)
		len = MESSAGE_SHOWN_MAX;
	clean = utf8_lossy(call->err ? call->err : "", len, &len);
	if (clean == NULL)
		errx(EXIT_FAIL, "out of memory");
	r = tool_errorf("%s failed (status %d)%s%.*s", what, call->status,
	                len ? ": " : "", (int)len, clean);
	free(clean);
	return r;
}

static json_t *
object_of(struct mcp_call *call)
{
	json_t *obj;

	if (call->out == NULL)
		return NULL;
	obj = json_loadb(call->out, call->out_len, 0, NULL);
	if (obj != NULL && !json_is_object(obj)) {
		json_decref(obj);
		obj = NULL;
	}
	return obj;
}

static json_t *
text_block(json_t *text)
{
	return json_pack("{s:s, s:o}", "type", "text", "text", text);
}

/* The capped, masked text of one stream of the run's object. */
static bool
stream_capped(const struct mcp_config *c, json_t *obj, const char *key,
              json_t **out)
{
	json_t *s = json_object_get(obj, key);

	if (!json_is_string(s)) {
		*out = json_string("");
		return false;
	}
	return text_cap(json_string_value(s), json_string_length(s),
	                c->output_cap, out);
}

/* A copy of the object's mask counts ({} when it has none). */
static json_t *
masks_of(json_t *obj)
{
	json_t *masks = json_object_get(obj, "masks");

	return json_is_object(masks) ? json_deep_copy(masks) : json_object();
}

static json_int_t
integer_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static json_t *
run_command_result(const struct mcp_config *c, struct mcp_call *call)
{
	json_t *obj = object_of(call), *out, *err, *content, *structured, *r;
	bool out_cut, err_cut, blocked;

	if (obj == NULL)
		return failure("run_command: secenv run", call);
	out_cut = stream_capped(c, obj, "stdout", &out);
	err_cut = stream_capped(c, obj, "stderr", &err);
	blocked = json_is_true(json_object_get(obj, "security_blocked"));
	structured = json_pack(
	    "{s:I, s:b, s:b, s:o, s:I, s:I, s:b, s:b}", "return_code",
	    integer_of(obj, "return_code"), "security_blocked", blocked,
	    "timed_out", json_is_true(json_object_get(obj, "timed_out")),
	    "masks", masks_of(obj), "env_count",
	    integer_of(obj, "env_count"), "duration_ms",
	    integer_of(obj, "duration_ms"), "stdout_truncated", out_cut,
	    "stderr_truncated", err_cut);
	content = json_array();
	if (blocked) {
		/* the guard's reason is the whole answer */
		json_array_append_new(content, text_block(err));
		json_decref(out);
	} else {
		json_array_append_new(content, text_block(out));
		if (json_string_length(err) > 0) {
			char *labelled = xasprintf("[stderr]\n%s",
			                           json_string_value(err));
			json_array_append_new(content,
			                      text_block(json_string(labelled)));
			free(labelled);
		}
		json_decref(err);
	}
	r = json_pack("{s:o, s:o, s:b}", "content", content, "structuredContent",
	              structured, "isError", blocked);
	json_decref(obj);
	if (r == NULL)
		errx(EXIT_FAIL, "cannot build a result");
	return r;
}

static json_t *
read_file_result(const struct mcp_config *c, struct mcp_call *call)
{
	json_t *obj = object_of(call), *content, *r;
	json_t *text = json_object_get(obj, "content");
	bool cut;

	if (obj == NULL)
		return failure("read_file: secenv read", call);
	if (json_is_true(json_object_get(obj, "security_blocked"))) {
		r = tool_errorf(
		    "read_file: %s: refused: %s", printable(call->subject),
		    json_string_value(json_object_get(obj, "reason")) ?: "");
		json_decref(obj);
		return r;
	}
	if (integer_of(obj, "return_code") != 0 || !json_is_string(text)) {
		json_decref(obj);
		return failure("read_file: secenv read", call);
	}
	cut = text_cap(json_string_value(text), json_string_length(text),
	               c->output_cap, &content);
	r = json_pack("{s:[o], s:{s:s, s:o, s:b}, s:b}", "content",
	              text_block(content), "structuredContent", "path",
	              call->subject, "masks", masks_of(obj), "truncated",
	              cut, "isError", 0);
	json_decref(obj);
	if (r == NULL)
		errx(EXIT_FAIL, "cannot build a result");
	return r;
}

/* vaultfetch list: one secret a line, its name first. */
static json_t *
list_secrets_result(struct mcp_call *call)
{
	json_t *names = json_array(), *r;
	char *text, *line, *save = NULL, *joined;
	size_t total = 0;

	if (call->status != 0)
		return failure("list_secrets: vaultfetch list", call);
	text = xstrdup(call->out ? call->out : "");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " \t")] = '\0';
		if (line[0] != '\0') {
			json_array_append_new(names, json_string(line));
			total += strlen(line) + 1;
		}
	}
	joined = xcalloc(total + 1, 1);
	for (size_t i = 0; i < json_array_size(names); i++) {
		strcat(joined, json_string_value(json_array_get(names, i)));
		strcat(joined, "\n");
	}
	r = json_pack("{s:[{s:s, s:s}], s:{s:o}, s:b}", "content", "type", "text",
	              "text",
	              total ? joined : "(the project has no secrets)\n",
	              "structuredContent", "names", names, "isError", 0);
	free(joined);
	free(text);
	if (r == NULL)
		errx(EXIT_FAIL, "cannot build a result");
	return r;
}

/* The result of a call whose child has ended. */
json_t *
tools_result(const struct mcp_config *c, struct mcp_call *call)
{
	if (call->too_big)
		return tool_errorf("the output was too large to return (over %u "
		                   "MiB)",
		                   MCP_CHILD_OUTPUT_MAX >> 20);
	switch (call->tool) {
	case TOOL_RUN_COMMAND:
		return run_command_result(c, call);
	case TOOL_READ_FILE:
		return read_file_result(c, call);
	case TOOL_LIST_SECRETS:
		return list_secrets_result(call);
	}
	return tool_error("unknown tool");
}
