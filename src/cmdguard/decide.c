/* SPDX-License-Identifier: ISC */
/* cmdguard's decision, from options to verdicts: the policy and the secret
 * names loaded once, then one command, one path, or a batch of commands
 * (cmdguard's main(); secenv-run calls cmdguard_decide() in its own
 * process). */
#include <err.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "exitcodes.h"
#include "guard_options.h"
#include "guard_policy.h"
#include "names.h"
#include "paths.h"
#include "util.h"

#define COMMAND_MAX (1u << 20) /* longest command string read from stdin */

static void
add_name(struct guard *g, const char *name)
{
	char **names =
	    realloc(g->secret_names, (g->secret_count + 1) * sizeof(*names));

	if (names == NULL || (names[g->secret_count] = strdup(name)) == NULL)
		err(EXIT_FAIL, "malloc");
	g->secret_names = names;
	g->secret_count++;
}

static void
load_names_list(struct guard *g, const char *list)
{
	char *copy = strdup(list), *save = NULL;

	if (copy == NULL)
		err(EXIT_FAIL, "strdup");
	for (char *n = strtok_r(copy, ",", &save); n != NULL;
	     n = strtok_r(NULL, ",", &save)) {
		name_require(n);
		add_name(g, n);
	}
	free(copy);
}

/* Names are in the blob's clear header: no key is needed. */
static void
load_names_blob(struct guard *g, const char *path)
{
	unsigned char *blob;
	size_t len;
	struct blob_header h;
	const char *why;

	if (read_path(path, BLOB_MAX, false, &blob, &len) != 0)
		err(EXIT_FAIL, "blob %s", printable(path));
	if (blob_read_header(blob, len, &h, &why) != 0)
		errx(EXIT_FAIL, "blob %s: %s", printable(path), why);
	for (size_t i = 0; i < h.name_count; i++)
		add_name(g, h.names[i]);
	blob_header_free(&h);
	free(blob);
}

static void
load_policy_file(struct policy *p, const char *path, bool owner_only,
                 const struct policy_vars *vars)
{
	unsigned char *text;
	size_t len, line;
	const char *why;
	struct stat st;

	if (owner_only) {
		if (lstat(path, &st) != 0) {
			if (errno == ENOENT)
				return;
			err(EXIT_FAIL, "policy %s", printable(path));
		}
		/* the guard's rules must not be writable by what it guards */
		if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
		    (st.st_mode & 022) != 0)
			errx(EXIT_FAIL,
			     "policy %s: not a regular file of ours, or "
			     "writable by others",
			     printable(path));
	}
	if (read_path(path, 1u << 20, false, &text, &len) != 0)
		err(EXIT_FAIL, "policy %s", printable(path));
	if (policy_load_text(p, (const char *)text, len, vars, &why, &line) !=
	    0)
		errx(EXIT_FAIL, "policy %s:%zu: %s", printable(path), line,
		     why);
	free(text);
}

static void
load_policy(struct policy *p, const char *explicit_path)
{
	static char owner[PATH_MAX];
	struct policy_vars vars = {.home = getenv("HOME")};

	vars.secenv_home = secenv_home_path();
	vars.runtime = secenv_runtime_path();
	policy_add_builtin(p, &vars);
	if (explicit_path != NULL) {
		load_policy_file(p, explicit_path, false, &vars);
		return;
	}
	path_join(owner, sizeof(owner), vars.secenv_home, "policy");
	load_policy_file(p, owner, true, &vars);
}

/* JSON wants UTF-8: keep valid sequences, show other bytes as \xNN. */
static char *
json_text(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 4 + 1);

	if (out == NULL)
		err(EXIT_FAIL, "malloc");
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80         ? 1
		           : (c >> 5) == 6  ? 2
		           : (c >> 4) == 14 ? 3
		           : (c >> 3) == 30 ? 4
		                            : 0;
		bool ok = n > 0 && i + n <= len;

		for (size_t k = 1; ok && k < n; k++)
			ok = ((unsigned char)s[i + k] >> 6) == 2;
		if (ok && (n > 1 || c >= 0x20 || c == '\t' || c == '\n')) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", c);
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

static void
print_json(const struct verdict *v)
{
	char *at = v->denied && v->at ? json_text(v->at) : NULL;
	json_t *j = json_pack("{s:s, s:s?, s:s?, s:s?}", "verdict",
	                      v->denied ? "deny" : "allow", "rule",
	                      v->denied ? v->rule : NULL, "reason",
	                      v->denied ? v->reason : NULL, "at", at);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (s == NULL)
		errx(EXIT_FAIL, "cannot encode the verdict");
	if (puts(s) == EOF || fflush(stdout) == EOF)
		err(EXIT_FAIL, "stdout");
	free(s);
	free(at);
	json_decref(j);
}

static char *
read_command(int argc, char **argv, size_t *len)
{
	unsigned char *text;

	if (argc > 1)
		errx(EXIT_USAGE, "give the command as one string");
	if (argc == 1) {
		*len = strlen(argv[0]);
		return strdup(argv[0]);
	}
	if (read_all(STDIN_FILENO, COMMAND_MAX, false, &text, len) != 0)
		err(EXIT_FAIL, "stdin");
	return (char *)text;
}

/* The policy and the secret names of one run, loaded once. */
struct decider {
	struct policy policy;
	struct guard g;
};

static void
decider_load(struct decider *d, const struct cmdguard_options *o)
{
	memset(d, 0, sizeof(*d));
	d->g.policy = &d->policy;
	d->g.use_filesystem = true;
	d->g.home = getenv("HOME");
	if (d->g.home != NULL && d->g.home[0] != '/')
		d->g.home = NULL;
	if (getcwd(d->g.cwd, sizeof(d->g.cwd)) == NULL)
		err(EXIT_FAIL, "getcwd");
	load_policy(&d->policy, o->policy);
	for (size_t i = 0; i < o->name_lists; i++)
		load_names_list(&d->g, o->names[i]);
	for (size_t i = 0; i < o->secret_count; i++) {
		name_require(o->secret_names[i]);
		add_name(&d->g, o->secret_names[i]);
	}
	if (o->blob != NULL)
		load_names_blob(&d->g, o->blob);
}

static void
decider_free(struct decider *d)
{
	policy_free(&d->policy);
	for (size_t i = 0; i < d->g.secret_count; i++)
		free(d->g.secret_names[i]);
	free(d->g.secret_names);
}

bool
cmdguard_decide(const struct cmdguard_options *o, const char *command,
                size_t len, struct verdict *v)
{
	struct decider d;
	bool denied;

	decider_load(&d, o);
	if (o->action == ACT_PATH)
		denied = guard_check_path(&d.g, o->path, v);
	else
		denied = guard_check_command(&d.g, command, len, v);
	decider_free(&d);
	return denied;
}

/*
 * One line of in into buf (at most COMMAND_MAX bytes, without its
 * newline): 1, or 0 at the end of input. A longer line is read to its
 * end and *too_long set. Dies 111 when reading fails.
 */
static int
read_line(FILE *in, char *buf, size_t *len, bool *too_long)
{
	int ch = EOF;

	*len = 0;
	*too_long = false;
	while ((ch = getc_unlocked(in)) != EOF && ch != '\n') {
		if (*len < COMMAND_MAX)
			buf[(*len)++] = (char)ch;
		else
			*too_long = true;
	}
	if (ferror(in))
		err(EXIT_FAIL, "stdin");
	buf[*len] = '\0';
	return ch != EOF || *len > 0 || *too_long;
}

/* One verdict line: "allow", or "deny: REASON" (reasons hold no newline). */
static void
print_line(const struct verdict *v)
{
	if (v->denied)
		printf("deny: %s\n", v->reason);
	else
		fputs("allow\n", stdout);
	if (fflush(stdout) == EOF)
		err(EXIT_FAIL, "stdout");
}

int
cmdguard_batch(const struct cmdguard_options *o, FILE *in)
{
	struct decider d;
	struct verdict v = {0};
	char *line = malloc(COMMAND_MAX + 1);
	size_t len;
	bool too_long, any_denied = false;

	if (line == NULL)
		err(EXIT_FAIL, "malloc");
	decider_load(&d, o);
	while (read_line(in, line, &len, &too_long)) {
		if (too_long) {
			verdict_clear(&v);
			v.denied = true;
			snprintf(v.rule, sizeof(v.rule), "parse");
			snprintf(v.reason, sizeof(v.reason),
			         "cannot parse: line longer than %u bytes",
			         COMMAND_MAX);
		} else {
			guard_check_command(&d.g, line, len, &v);
		}
		any_denied |= v.denied;
		if (o->json)
			print_json(&v);
		else
			print_line(&v);
	}
	verdict_clear(&v);
	decider_free(&d);
	free(line);
	return any_denied ? EXIT_NO : EXIT_OK;
}

int
cmdguard_run(const struct cmdguard_options *o, int argc, char **argv)
{
	struct verdict v = {0};
	size_t len = 0;
	char *text = NULL;
	bool denied;

	if (o->action != ACT_PATH &&
	    (text = read_command(argc, argv, &len)) == NULL)
		err(EXIT_FAIL, "malloc");
	denied = cmdguard_decide(o, text, len, &v);
	free(text);
	if (denied)
		fprintf(stderr, "cmdguard: denied: %s\n", v.reason);
	if (o->json)
		print_json(&v);
	verdict_clear(&v);
	return denied ? EXIT_NO : EXIT_OK;
}
