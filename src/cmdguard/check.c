/* SPDX-License-Identifier: ISC */
/* The checker: walks every simple command of a parsed script against the
 * policy. */
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "util.h"

#define CHECK_DEPTH_MAX 16
#define UNKNOWN_TEXT "$__cmdguard_unknown"
#define NAME_BUF 256

struct checker {
	struct guard *g;
	struct arena arena;
	struct known_var *vars;
	char cwd[PATH_MAX];
	struct verdict *v;
	int depth;
};

/* Where a command's stdin comes from. */
enum input_kind { IN_NONE, IN_TEXT, IN_FILE, IN_UNKNOWN };
struct input {
	enum input_kind kind;
	const char *text; /* IN_TEXT */
	size_t len;
	bool subst; /* the text holds a command substitution */
};

static bool check_text(struct checker *c, const char *text, size_t len);
static bool check_argv(struct checker *c, const struct command *cmd,
                       const struct word *w, size_t n, const struct input *in);

/* ---- verdicts ---- */

void
verdict_clear(struct verdict *v)
{
	free(v->at);
	memset(v, 0, sizeof(*v));
}

static void
verdict_set_at(struct verdict *v, const char *at, size_t len)
{
	free(v->at);
	v->at = malloc(len + 1);
	if (v->at != NULL) {
		memcpy(v->at, at, len);
		v->at[len] = '\0';
	}
}

__attribute__((format(printf, 5, 6))) static bool
deny(struct checker *c, const char *at, size_t at_len, const char *rule,
     const char *fmt, ...)
{
	va_list ap;

	c->v->denied = true;
	snprintf(c->v->rule, sizeof(c->v->rule), "%s", rule);
	va_start(ap, fmt);
	vsnprintf(c->v->reason, sizeof(c->v->reason), fmt, ap);
	va_end(ap);
	verdict_set_at(c->v, at, at_len);
	return true;
}

#define DENY(c, cmd, rule, ...)                                                \
	deny((c), (cmd)->src, (cmd)->src_len, (rule), __VA_ARGS__)

/* ---- small helpers ---- */

static bool
word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->value, s, w->len) == 0 &&
	       memchr(w->mask, M_UNKNOWN, w->len) == NULL;
}

static bool
word_has_unknown(const struct word *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->mask[i] & M_UNKNOWN)
			return true;
	return false;
}

static const char *
base_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : s;
}

static bool
names_match(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->name_count; i++)
		if (match_fast(r->names[i], name, 0))
			return true;
	return false;
}

/* The rules that name one command, collected once per command. */
#define MATCHED_MAX 64
struct matched {
	const struct rule *r[MATCHED_MAX];
	size_t n;
};

static void
collect_rules(const struct checker *c, const char *name, struct matched *m)
{
	const struct policy *p = c->g->policy;

	m->n = 0;
	for (size_t i = 0; i < p->count && m->n < MATCHED_MAX; i++)
		if (p->rules[i].name_count > 0 &&
		    p->rules[i].kind != RULE_SECRET_NAME &&
		    p->rules[i].kind != RULE_COMMAND_VAR &&
		    names_match(&p->rules[i], name))
			m->r[m->n++] = &p->rules[i];
}

static const struct rule *
find_rule(const struct matched *m, enum rule_kind kind, size_t *from)
{
	for (size_t i = from ? *from : 0; i < m->n; i++) {
		if (m->r[i]->kind == kind) {
			if (from)
				*from = i + 1;
			return m->r[i];
		}
	}
	if (from)
		*from = m->n;
	return NULL;
}

/* Text for a nested parse: unknown parts become a variable, so that an
 * unknown command name is still seen as not literal. */
static char *
nested_text(struct checker *c, const char *v, const unsigned char *m,
            size_t len, size_t *out_len)
{
	size_t n = 0, extra = strlen(UNKNOWN_TEXT);
	char *t;

	for (size_t i = 0; i < len; i++)
		n += (m && (m[i] & M_UNKNOWN)) ? extra : 1;
	t = arena_alloc(&c->arena, n + 1);
	n = 0;
	for (size_t i = 0; i < len; i++) {
		if (m && (m[i] & M_UNKNOWN)) {
			memcpy(t + n, UNKNOWN_TEXT, extra);
			n += extra;
		} else {
			t[n++] = v[i];
		}
	}
	*out_len = n;
	return t;
}

static bool
check_word_text(struct checker *c, const struct word *w)
{
	size_t len;
	char *t = nested_text(c, w->value, w->mask, w->len, &len);

	return check_text(c, t, len);
}

/* Join words [from, to) with spaces, for eval and the like. */
static bool
check_joined(struct checker *c, const struct word *w, size_t from, size_t to)
{
	size_t total = 0, n = 0;
	char *v;
	unsigned char *m;

	for (size_t i = from; i < to; i++)
		total += w[i].len + 1;
	v = arena_alloc(&c->arena, total + 1);
	m = arena_alloc(&c->arena, total + 1);
	for (size_t i = from; i < to; i++) {
		memcpy(v + n, w[i].value, w[i].len);
		memcpy(m + n, w[i].mask, w[i].len);
		n += w[i].len;
		v[n] = ' ';
		m[n++] = 0;
	}
	size_t len;
	char *t = nested_text(c, v, m, n, &len);

	return check_text(c, t, len);
}

/* ---- secret names ---- */

static const char *
secret_matching(const struct checker *c, const char *name, bool prefix)
{
	size_t plen = strlen(name);

	for (size_t i = 0; i < c->g->secret_count; i++) {
		const char *s = c->g->secret_names[i];

		if (prefix ? strncmp(s, name, plen) == 0 : strcmp(s, name) == 0)
			return s;
	}
	const struct policy *p = c->g->policy;

	for (size_t i = 0; i < p->count; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind != RULE_SECRET_NAME)
			continue;
		for (size_t k = 0; k < r->name_count; k++) {
			if (!prefix && match_fast(r->names[k], name, 0))
				return r->names[k];
			if (prefix) {
				unsigned char mask[NAME_BUF + 1] = {0};
				char v[NAME_BUF + 1];

				if (plen >= NAME_BUF)
					continue;
				memcpy(v, name, plen);
				v[plen] = WORD_UNKNOWN;
				mask[plen] = M_UNKNOWN;
				if (glob_word_meets_pattern(v, mask, plen + 1,
				                            r->names[k], false))
					return r->names[k];
			}
		}
	}
	return NULL;
}

/* trusted: a plain expansion of a secret is allowed (secret-arg). */
static bool
check_refs(struct checker *c, const struct command *cmd, const struct word *w,
           bool trusted)
{
	for (size_t i = 0; i < w->ref_count; i++) {
		const struct ref *r = &w->refs[i];
		const char *s;

		switch (r->kind) {
		case REF_INDIRECT:
			return DENY(
			    c, cmd, "indirect-expansion",
			    "${!%s} expands a variable named at run time",
			    printable(r->name));
		case REF_PREFIX:
			s = secret_matching(c, r->name, true);
			if (s != NULL)
				return DENY(c, cmd, "secret-name",
				            "${!%s*} lists secret %s",
				            printable(r->name), s);
			break;
		default:
			s = trusted ? NULL : secret_matching(c, r->name, false);
			if (s != NULL)
				return DENY(c, cmd, "secret-name",
				            "expands secret %s",
				            printable(r->name));
		}
	}
	return false;
}

/* ---- paths ---- */

/* Make path absolute against cwd and fold "." and ".." (lexically). */
static bool
normalize(const char *cwd, const char *path, char *out, size_t size)
{
	char buf[PATH_MAX * 2];
	size_t n = 0;
	int k;

	if (path[0] == '/')
		k = snprintf(buf, sizeof(buf), "%s", path);
	else
		k = snprintf(buf, sizeof(buf), "%s/%s", cwd, path);
	if (k < 0 || (size_t)k >= sizeof(buf))
		return false;
	out[0] = '\0';
	for (char *s = buf; *s != '\0';) {
		char *e;

		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		e = s;
		while (*e != '\0' && *e != '/')
			e++;
		size_t len = (size_t)(e - s);

		if (len == 1 && s[0] == '.') {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			if (n + len + 2 > size)
				return false;
			out[n++] = '/';
			memcpy(out + n, s, len);
			n += len;
		}
		s = e;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return true;
}

/* Does anchored pattern a match path or one of its ancestors? */
static bool
anchored_match(const char *a, const char *path)
{
	char buf[PATH_MAX * 2];
	size_t len = strlen(path);

	if (match_fast(a, path, FNM_PATHNAME))
		return true;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, path, len + 1);
	for (size_t i = len; i > 1; i--) {
		if (buf[i - 1] != '/' || i - 1 == 0)
			continue;
		buf[i - 1] = '\0';
		if (match_fast(a, buf, FNM_PATHNAME))
			return true;
	}
	return false;
}

static bool
rule_matches_literal(const struct rule *r, const char *abs, const char *base)
{
	if (r->relative) {
		for (const char *s = abs; s != NULL; s = strchr(s + 1, '/'))
			if (anchored_match(r->args[0], s + 1))
				return true;
		return false;
	}
	if (r->anchored)
		return anchored_match(r->args[0], abs);
	/* .ENV is .env on a file system that folds case */
	return match_fast(r->args[0], base, 0) ||
	       fnmatch(r->args[0], base, FNM_CASEFOLD) == 0;
}

/* The deny-path rule that protects a literal absolute path, or NULL. */
static const struct rule *
literal_path_rule(const struct checker *c, const char *abs)
{
	const struct policy *p = c->g->policy;
	const char *base = base_name(abs);

	for (size_t i = 0; i < p->count; i++) {
		const struct rule *d = &p->rules[i];
		bool allowed = false;

		if (d->kind != RULE_DENY_PATH ||
		    !rule_matches_literal(d, abs, base))
			continue;
		for (size_t k = 0; k < p->count && !allowed; k++) {
			const struct rule *a = &p->rules[k];

			allowed = a->kind == RULE_ALLOW_PATH &&
			          a->anchored == d->anchored &&
			          rule_matches_literal(a, abs, base);
		}
		if (!allowed)
			return d;
	}
	return NULL;
}

static bool
deny_path(struct checker *c, const char *at, size_t at_len,
          const struct rule *r, const char *shown)
{
	return deny(c, at, at_len, r->text, "reads protected path %s",
	            printable(shown));
}

/* A literal path: the path as written, and where its links lead. */
static bool
check_literal_path(struct checker *c, const char *at, size_t at_len,
                   const char *path)
{
	char abs[PATH_MAX * 2], real[PATH_MAX];
	const struct rule *r;

	if (!normalize(c->cwd, path, abs, sizeof(abs)))
		return false;
	r = literal_path_rule(c, abs);
	if (r != NULL)
		return deny_path(c, at, at_len, r, path);
	if (!c->g->use_filesystem || realpath(abs, real) == NULL)
		return false;
	r = literal_path_rule(c, real);
	if (r != NULL)
		return deny_path(c, at, at_len, r, real);
	return false;
}

/* A glob without unknown parts: what it matches here and now. */
static bool
check_glob_files(struct checker *c, const char *at, size_t at_len,
                 const struct word *w)
{
	char pat[PATH_MAX * 2];
	size_t n = 0;
	glob_t gl;
	bool denied = false;

	if (word_has_unknown(w))
		return false;
	if (w->value[0] != '/') {
		for (const char *s = c->cwd; *s != '\0' && n < PATH_MAX; s++) {
			if (strchr("*?[\\", *s) != NULL)
				pat[n++] = '\\';
			pat[n++] = *s;
		}
		pat[n++] = '/';
	}
	for (size_t i = 0; i < w->len && n < sizeof(pat) - 3; i++) {
		if (!(w->mask[i] & M_GLOB) &&
		    strchr("*?[]\\", w->value[i]) != NULL)
			pat[n++] = '\\';
		pat[n++] = w->value[i];
	}
	pat[n] = '\0';
	if (glob(pat, GLOB_NOSORT, NULL, &gl) != 0)
		return false;
	for (size_t i = 0; i < gl.gl_pathc && i < 4096 && !denied; i++)
		denied = check_literal_path(c, at, at_len, gl.gl_pathv[i]);
	globfree(&gl);
	return denied;
}

/* A word with globs or unknown parts: may it name a protected path? */
static bool
check_wild_path(struct checker *c, const char *at, size_t at_len,
                const struct word *w)
{
	const struct policy *p = c->g->policy;
	size_t cwd_len = strlen(c->cwd), n = 0;
	bool relative = !(w->mask[0] & M_UNKNOWN) && w->value[0] != '/';
	size_t total = w->len + (relative ? cwd_len + 1 : 0);
	char *v = arena_alloc(&c->arena, total + 1);
	unsigned char *m = arena_alloc(&c->arena, total + 1);

	if (relative) {
		memcpy(v, c->cwd, cwd_len);
		n = cwd_len;
		v[n++] = '/';
	}
	memcpy(v + n, w->value, w->len);
	memcpy(m + n, w->mask, w->len);
	n += w->len;

	struct glob_word *gw = glob_word_new(v, m, n);
	bool denied = false;

	for (size_t i = 0; i < p->count && !denied; i++) {
		const struct rule *r = &p->rules[i];
		char pat[PATH_MAX * 2 + 8];
		bool hit;

		if (r->kind != RULE_DENY_PATH)
			continue;
		if (r->relative) {
			snprintf(pat, sizeof(pat), "**/%s", r->args[0]);
			hit = glob_word_meets(gw, pat, true);
			snprintf(pat, sizeof(pat), "**/%s/**", r->args[0]);
			hit = hit || glob_word_meets(gw, pat, true);
		} else if (r->anchored) {
			snprintf(pat, sizeof(pat), "%s/**", r->args[0]);
			hit = glob_word_meets(gw, r->args[0], true) ||
			      glob_word_meets(gw, pat, true);
		} else {
			snprintf(pat, sizeof(pat), "**/%s", r->args[0]);
			hit = glob_word_meets(gw, pat, true) ||
			      (!relative && w->value[0] != '/' &&
			       glob_word_meets(gw, r->args[0], true));
		}
		if (hit)
			denied = deny(c, at, at_len, r->text,
			              "may read protected path %s",
			              printable(r->args[0]));
	}
	glob_word_free(gw);
	return denied ||
	       (c->g->use_filesystem && check_glob_files(c, at, at_len, w));
}

static bool
check_path_word(struct checker *c, const struct command *cmd,
                const struct word *w)
{
	bool all_unknown = true;

	if (w->len == 0 || w->len >= PATH_MAX)
		return false;
	for (size_t i = 0; i < w->len && all_unknown; i++)
		all_unknown = (w->mask[i] & M_UNKNOWN) != 0;
	if (all_unknown)
		return false;
	if (word_is_wild(w->value, w->mask, w->len))
		return check_wild_path(c, cmd->src, cmd->src_len, w);
	return check_literal_path(c, cmd->src, cmd->src_len, w->value);
}

/* A path word, and the path inside it: if=.env (dd), @.env (curl -d). */
static bool
check_operand(struct checker *c, const struct command *cmd,
              const struct word *w)
{
	const char *eq = memchr(w->value, '=', w->len);
	struct word sub = *w;

	if (check_path_word(c, cmd, w))
		return true;
	if (eq != NULL) {
		size_t off = (size_t)(eq + 1 - w->value);

		sub.value = w->value + off;
		sub.mask = w->mask + off;
		sub.len = w->len - off;
		if (check_path_word(c, cmd, &sub))
			return true;
	}
	/* git show HEAD:.env, scp host:.env */
	const char *colon = memrchr(w->value, ':', w->len);

	if (colon != NULL && colon + 1 < w->value + w->len) {
		struct word tail = *w;
		size_t off = (size_t)(colon + 1 - w->value);

		tail.value = w->value + off;
		tail.mask = w->mask + off;
		tail.len = w->len - off;
		if (check_path_word(c, cmd, &tail))
			return true;
	}
	if (sub.len > 1 && sub.value[0] == '@') {
		sub.value++;
		sub.mask++;
		sub.len--;
		return check_path_word(c, cmd, &sub);
	}
	return false;
}

/* The part of an option word after '=' (--file=.env), as a word. */
static bool
check_option_value(struct checker *c, const struct command *cmd,
                   const struct word *w)
{
	const char *eq = memchr(w->value, '=', w->len);
	struct word sub;

	if (eq == NULL)
		return false;
	sub = *w;
	sub.value = (char *)eq + 1;
	sub.mask = w->mask + (eq + 1 - w->value);
	sub.len = w->len - (size_t)(eq + 1 - w->value);
	return check_operand(c, cmd, &sub);
}

/* ---- stdin ---- */

static void
feed_text(struct checker *c, const struct command *prev, struct input *in)
{
	const struct word *w = prev->words;
	size_t total = 0, n = 0, from = 1;
	const char *base;
	char *v;
	unsigned char *m;

	in->kind = IN_UNKNOWN;
	if (prev->word_count == 0 || (w[0].flags & W_EXPANDED))
		return;
	base = base_name(w[0].value);
	if (strcmp(base, "printf") != 0 && strcmp(base, "echo") != 0)
		return;
	while (from < prev->word_count && base[0] == 'e' && w[from].len > 1 &&
	       w[from].value[0] == '-')
		from++;
	for (size_t i = from; i < prev->word_count; i++)
		total += w[i].len + 1;
	v = arena_alloc(&c->arena, total + 1);
	m = arena_alloc(&c->arena, total + 1);
	for (size_t i = from; i < prev->word_count; i++) {
		memcpy(v + n, w[i].value, w[i].len);
		memcpy(m + n, w[i].mask, w[i].len);
		n += w[i].len;
		v[n++] = base[0] == 'p' ? '\n' : ' ';
		if (w[i].flags & W_SUBST)
			in->subst = true;
	}
	/* printf and echo -e turn \n into a newline: a shell would see it */
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n && !(m[i + 1] & M_UNKNOWN)) {
			char x = v[++i];

			v[o] = x == 'n' ? '\n' : x == 't' ? '\t' : x;
		} else {
			v[o] = v[i];
		}
		m[o++] = m[i];
	}
	in->kind = IN_TEXT;
	in->text = nested_text(c, v, m, o, &in->len);
}

static void
command_input(struct checker *c, const struct command *cmd, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (cmd->piped) {
		if (cmd->pipe_prev != NULL)
			feed_text(c, cmd->pipe_prev, in);
		else
			in->kind = IN_UNKNOWN;
	}
	for (size_t i = 0; i < cmd->redir_count; i++) {
		const struct redir *r = &cmd->redirs[i];
		const struct word *w;

		if (r->op == R_IN || r->op == R_INOUT) {
			in->kind = IN_FILE;
			continue;
		}
		if (r->op != R_HEREDOC && r->op != R_HERESTRING)
			continue;
		w = r->op == R_HEREDOC ? &r->body : &r->target;
		in->kind = IN_TEXT;
		in->text = nested_text(c, w->value, w->mask, w->len, &in->len);
		in->subst = (w->flags & W_SUBST) != 0;
	}
}

/* ---- interpreter code ---- */

static bool
is_ident(int ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* WORD in code, as a whole word: not inside a longer name. */
static bool
code_has(const char *code, size_t len, const char *word)
{
	size_t wl = strlen(word);

	if (wl == 0 || wl > len)
		return false;
	for (size_t i = 0; i + wl <= len; i++) {
		if (memcmp(code + i, word, wl) != 0)
			continue;
		if (is_ident((unsigned char)word[0]) && i > 0 &&
		    (is_ident((unsigned char)code[i - 1]) ||
		     code[i - 1] == '.'))
			continue;
		if (is_ident((unsigned char)word[wl - 1]) && i + wl < len &&
		    is_ident((unsigned char)code[i + wl]))
			continue;
		return true;
	}
	return false;
}

/* Paths named in code: quoted strings that start with . / ~ or hold a '/'
 * (open('.env'), readFileSync("/proc/self/environ")). */
static bool
check_code_paths(struct checker *c, const struct command *cmd, const char *code,
                 size_t len)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < len; i++) {
		char q = code[i];
		size_t start, n;

		if (q != '\'' && q != '"' && q != '`')
			continue;
		start = ++i;
		while (i < len && code[i] != q && code[i] != '\n')
			i++;
		n = i - start;
		if (i >= len || code[i] != q || n == 0 || n >= sizeof(path) ||
		    memchr(code + start, WORD_UNKNOWN, n) != NULL)
			continue;
		memcpy(path, code + start, n);
		path[n] = '\0';
		if (path[0] != '.' && path[0] != '~' &&
		    strchr(path, '/') == NULL)
			continue;
		if (path[0] == '~' && path[1] == '/' && c->g->home != NULL) {
			char home_path[PATH_MAX];

			snprintf(home_path, sizeof(home_path), "%s%s",
			         c->g->home, path + 1);
			memcpy(path, home_path, strlen(home_path) + 1);
		}
		if (check_literal_path(c, cmd->src, cmd->src_len, path))
			return true;
	}
	return false;
}

static bool
check_code(struct checker *c, const struct command *cmd, const struct rule *r,
           const char *code, size_t len, bool subst, const char *name)
{
	if (subst)
		return DENY(c, cmd, "dynamic-code",
		            "%s runs code built by a command substitution",
		            printable(name));
	for (size_t i = 0; i < r->arg_count; i++)
		if (code_has(code, len, r->args[i]))
			return DENY(c, cmd, r->text,
			            "%s code reads the environment (%s)",
			            printable(name), r->args[i]);
	return check_code_paths(c, cmd, code, len);
}

static bool
opt_value(const struct word *w, size_t n, size_t *i, const char *opt,
          const char **val, size_t *val_len, const struct word **vw)
{
	const struct word *x = &w[*i];
	size_t ol = strlen(opt);

	*vw = NULL;
	if (x->len < 2 || x->value[0] != '-')
		return false;
	if (opt[1] == '-') {
		if (x->len == ol && memcmp(x->value, opt, ol) == 0) {
			if (*i + 1 >= n)
				return false;
			*vw = &w[++*i];
			*val = (*vw)->value;
			*val_len = (*vw)->len;
			return true;
		}
		if (x->len > ol && memcmp(x->value, opt, ol) == 0 &&
		    x->value[ol] == '=') {
			*vw = x;
			*val = x->value + ol + 1;
			*val_len = x->len - ol - 1;
			return true;
		}
		return false;
	}
	if (x->value[1] == '-')
		return false;
	for (size_t k = 1; k < x->len; k++) {
		if (x->value[k] != opt[1])
			continue;
		if (k + 1 < x->len) {
			*vw = x;
			*val = x->value + k + 1;
			*val_len = x->len - k - 1;
			return true;
		}
		if (*i + 1 >= n)
			return false;
		*vw = &w[++*i];
		*val = (*vw)->value;
		*val_len = (*vw)->len;
		return true;
	}
	return false;
}

static bool
check_deny_code(struct checker *c, const struct command *cmd,
                const struct word *w, size_t n, const struct input *in,
                const char *base, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_DENY_CODE, &from)) != NULL) {
		for (size_t o = 0; o < r->opt_count; o++) {
			bool operands = strcmp(r->opts[o], "operands") == 0;

			for (size_t i = 1; i < n; i++) {
				const char *val;
				size_t vlen;
				const struct word *vw;

				if (operands) {
					if (w[i].len > 0 &&
					    w[i].value[0] == '-')
						continue;
					vw = &w[i];
					val = vw->value;
					vlen = vw->len;
				} else if (!opt_value(w, n, &i, r->opts[o],
				                      &val, &vlen, &vw)) {
					continue;
				}
				if (check_code(c, cmd, r, val, vlen,
				               (vw->flags & W_SUBST) != 0,
				               base))
					return true;
			}
		}
		if (in->kind == IN_TEXT &&
		    check_code(c, cmd, r, in->text, in->len, in->subst, base))
			return true;
	}
	return false;
}

/* ---- command rules ---- */

/* -x: a short option cluster holding x; +x: the first argument, without
 * a dash, holding x; anything else: a glob against one argument. */
static bool
matcher_hits(const char *m, const struct word *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = w[i].value;

		if (word_has_unknown(&w[i]))
			continue;
		if (m[0] == '-' && m[1] != '\0' && m[1] != '-' &&
		    m[2] == '\0') {
			if (a[0] == '-' && a[1] != '-' && strchr(a + 1, m[1]))
				return true;
		} else if (m[0] == '+' && m[1] != '\0' && m[2] == '\0') {
			if (i == 1 && a[0] != '-' && strchr(a, m[1]) != NULL)
				return true;
		} else if (fnmatch(m, a, 0) == 0) {
			return true;
		}
	}
	return false;
}

static bool
rule_args_hit(const struct rule *r, const struct word *w, size_t n)
{
	for (size_t i = 0; i < r->arg_count; i++)
		if (!matcher_hits(r->args[i], w, n))
			return false;
	return true;
}

static bool
only_options(const struct word *w, size_t n)
{
	bool functions = n > 1;

	for (size_t i = 1; i < n; i++) {
		if (w[i].len == 0 ||
		    (w[i].value[0] != '-' && w[i].value[0] != '+'))
			return false;
		/* declare -f, -F: functions, not variables */
		functions =
		    functions && strspn(w[i].value + 1, "fF") == w[i].len - 1;
	}
	return !functions;
}

static bool
check_command_rules(struct checker *c, const struct command *cmd,
                    const struct word *w, size_t n, const char *base, bool bare,
                    bool no_command, const struct matched *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->r[i]->kind == RULE_ALLOW_COMMAND &&
		    rule_args_hit(m->r[i], w, n))
			return false;
	for (size_t i = 0; i < m->n; i++) {
		const struct rule *r = m->r[i];

		if (r->kind == RULE_DENY_COMMAND && rule_args_hit(r, w, n))
			return DENY(c, cmd, r->text,
			            "%s is denied by the policy",
			            printable(base));
		if (r->kind == RULE_DENY_BARE && bare)
			return DENY(c, cmd, r->text,
			            "%s without %s dumps the environment",
			            printable(base),
			            no_command ? "a command" : "arguments");
		if (r->kind == RULE_DENY_LISTING && only_options(w, n))
			return DENY(c, cmd, r->text,
			            "%s without names lists variables",
			            printable(base));
	}
	return false;
}

/* ---- wrappers, shells, strings ---- */

enum spec_kind { SPEC_NONE, SPEC_FLAG, SPEC_VALUE, SPEC_LOOKUP, SPEC_STRING };

/* How a wrapper rule treats option opt ("-u" or "--user"). */
static enum spec_kind
wrapper_spec(const struct rule *r, const char *opt, size_t len)
{
	for (size_t i = 0; i < r->arg_count; i++) {
		const char *a = r->args[i];
		size_t al = strlen(a);

		if (al != len + 1 || memcmp(a, opt, len) != 0)
			continue;
		switch (a[len]) {
		case ':':
		case '=':
			return SPEC_VALUE;
		case '!':
			return SPEC_LOOKUP;
		case '@':
			return SPEC_STRING;
		}
	}
	return SPEC_FLAG;
}

static bool
is_assignment_text(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
	      (*s >= 'A' && *s <= 'Z')))
		return false;
	while (is_ident((unsigned char)*s))
		s++;
	return *s == '=';
}

/*
 * Skip a wrapper's options; *at is where the command starts (n: none).
 * *lookup when an option means the command is only looked up.
 */
static bool
unwrap(struct checker *c, const struct command *cmd, const struct rule *r,
       const struct word *w, size_t n, size_t *at, bool *lookup, bool *string)
{
	size_t skip = 0, i = 1;
	bool assign = false;

	for (size_t k = 0; k < r->arg_count; k++) {
		if (strcmp(r->args[k], "assign") == 0)
			assign = true;
		else if (r->args[k][0] >= '0' && r->args[k][0] <= '9')
			skip = strtoul(r->args[k], NULL, 10);
	}
	*lookup = false;
	*string = false;
	while (i < n) {
		const char *s = w[i].value;

		if (word_has_unknown(&w[i]) && s[0] != '-')
			break;
		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(s, "-") == 0 || (assign && is_assignment_text(s))) {
			i++;
			continue;
		}
		if (s[0] == '-' && s[1] == '-') {
			const char *eq = strchr(s, '=');
			size_t len = eq ? (size_t)(eq - s) : strlen(s);
			enum spec_kind k = wrapper_spec(r, s, len);

			if (k == SPEC_LOOKUP)
				*lookup = true;
			if (k == SPEC_STRING)
				*string = true;
			if ((k == SPEC_VALUE || k == SPEC_STRING) && eq == NULL)
				i++;
			/* xargs --arg-file=.env reads it */
			if (k == SPEC_VALUE && i < n &&
			    (eq ? check_option_value(c, cmd, &w[i])
			        : check_operand(c, cmd, &w[i])))
				return true;
			if (k == SPEC_STRING && i < n &&
			    (eq ? check_text(c, eq + 1, strlen(eq + 1))
			        : check_word_text(c, &w[i])))
				return true;
			i++;
			continue;
		}
		if (s[0] == '-' && s[1] != '\0') {
			for (size_t k = 1; s[k] != '\0'; k++) {
				char opt[3] = {'-', s[k], '\0'};
				enum spec_kind kind = wrapper_spec(r, opt, 2);

				if (kind == SPEC_LOOKUP)
					*lookup = true;
				if (kind == SPEC_STRING)
					*string = true;
				if (kind != SPEC_VALUE && kind != SPEC_STRING)
					continue;
				if (s[k + 1] == '\0')
					i++;
				if (kind == SPEC_VALUE && s[k + 1] == '\0' &&
				    i < n && check_operand(c, cmd, &w[i]))
					return true;
				if (kind == SPEC_STRING && i < n &&
				    (s[k + 1] != '\0'
				         ? check_text(c, s + k + 1,
				                      strlen(s + k + 1))
				         : check_word_text(c, &w[i])))
					return true;
				break;
			}
			i++;
			continue;
		}
		if (skip > 0) {
			skip--;
			i++;
			continue;
		}
		break;
	}
	*at = i < n ? i : n;
	return false;
}

/* sh -c STRING, sh SCRIPT, or sh reading stdin. *string_at: the -c word. */
static bool
check_shell(struct checker *c, const struct command *cmd, const struct word *w,
            size_t n, const struct input *in, size_t *string_at)
{
	size_t i = 1;
	bool has_c = false;

	*string_at = 0;
	while (i < n) {
		const char *s = w[i].value;

		if (strcmp(s, "--") == 0 || strcmp(s, "-") == 0) {
			i++;
			break;
		}
		if ((s[0] != '-' && s[0] != '+') || s[1] == '\0' ||
		    word_has_unknown(&w[i]))
			break;
		if (s[0] == '-' && s[1] == '-') {
			if (strcmp(s, "--rcfile") == 0 ||
			    strcmp(s, "--init-file") == 0)
				i++;
			i++;
			continue;
		}
		bool value = false;

		for (size_t k = 1; s[k] != '\0'; k++) {
			if (s[k] == 'c')
				has_c = true;
			if (s[k] == 'o' || s[k] == 'O')
				value = true;
		}
		i += value ? 2 : 1;
	}
	if (has_c) {
		if (i >= n)
			return false;
		*string_at = i;
		return check_word_text(c, &w[i]);
	}
	if (i < n)
		return false; /* a script file: checked as a path */
	if (in->kind == IN_TEXT) {
		if (in->subst)
			return DENY(c, cmd, "dynamic-shell-input",
			            "a shell reads commands built by a command "
			            "substitution");
		return check_text(c, in->text, in->len);
	}
	if (in->kind == IN_UNKNOWN)
		return DENY(c, cmd, "dynamic-shell-input",
		            "a shell reads commands from a pipe cmdguard "
		            "cannot see");
	return false;
}

static bool
check_string_command(struct checker *c, const struct rule *r,
                     const struct word *w, size_t n)
{
	for (size_t k = 0; k < r->arg_count; k++) {
		const char *spec = r->args[k];

		if (strcmp(spec, "all") == 0) {
			if (n > 1 && check_joined(c, w, 1, n))
				return true;
		} else if (strcmp(spec, "values") == 0) {
			for (size_t i = 1; i < n; i++) {
				const char *eq =
				    memchr(w[i].value, '=', w[i].len);
				size_t off, len;
				char *t;

				if (eq == NULL)
					continue;
				off = (size_t)(eq + 1 - w[i].value);
				t = nested_text(c, w[i].value + off,
				                w[i].mask + off, w[i].len - off,
				                &len);
				if (check_text(c, t, len))
					return true;
			}
		} else if (spec[0] >= '1' && spec[0] <= '9') {
			size_t want = strtoul(spec, NULL, 10), seen = 0;
			bool options = true;

			for (size_t i = 1; i < n; i++) {
				if (options && strcmp(w[i].value, "--") == 0) {
					options = false;
					continue;
				}
				if (options && w[i].len > 1 &&
				    w[i].value[0] == '-')
					continue;
				if (++seen == want)
					return check_word_text(c, &w[i]);
			}
		} else {
			for (size_t i = 1; i < n; i++) {
				const char *val;
				size_t vlen, off;
				const struct word *vw;
				char *t;

				if (!opt_value(w, n, &i, spec, &val, &vlen,
				               &vw))
					continue;
				off = (size_t)(val - vw->value);
				t = nested_text(c, val, vw->mask + off, vlen,
				                &vlen);
				if (check_text(c, t, vlen))
					return true;
			}
		}
	}
	return false;
}

/* find ... -exec CMD ... ; */
static bool
check_exec_options(struct checker *c, const struct command *cmd,
                   const struct word *w, size_t n, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_EXEC_OPTION, &from)) != NULL) {
		for (size_t i = 1; i < n; i++) {
			bool hit = false;

			for (size_t k = 0; k < r->arg_count && !hit; k++)
				hit = word_is(&w[i], r->args[k]);
			if (!hit)
				continue;
			size_t j = i + 1;

			while (j < n && !word_is(&w[j], ";") &&
			       !word_is(&w[j], "+"))
				j++;
			if (j > i + 1) {
				struct input none = {.kind = IN_NONE};

				if (check_argv(c, cmd, w + i + 1, j - i - 1,
				               &none))
					return true;
			}
			i = j;
		}
	}
	return false;
}

/* find -name '.env*': the value is a pattern even though it is quoted. */
static bool
check_glob_options(struct checker *c, const struct command *cmd,
                   const struct word *w, size_t n, const struct matched *m)
{
	size_t from = 0;
	const struct rule *r;

	while ((r = find_rule(m, RULE_GLOB_OPTION, &from)) != NULL) {
		for (size_t i = 1; i + 1 < n; i++) {
			bool hit = false;

			for (size_t k = 0; k < r->arg_count && !hit; k++)
				hit = word_is(&w[i], r->args[k]);
			if (!hit)
				continue;
			struct word g = w[i + 1];

			g.mask = arena_alloc(&c->arena, g.len + 1);
			for (size_t k = 0; k < g.len; k++) {
				g.mask[k] = w[i + 1].mask[k];
				if (strchr("*?[]", g.value[k]) != NULL &&
				    g.value[k] != '\0')
					g.mask[k] |= M_GLOB;
			}
			if (check_path_word(c, cmd, &g))
				return true;
		}
	}
	return false;
}

static bool
check_source(struct checker *c, const struct command *cmd, const struct word *w,
             size_t n)
{
	size_t i = 1;

	if (i < n && word_is(&w[i], "--"))
		i++;
	if (i >= n)
		return false;
	if (w[i].flags & W_SUBST)
		return DENY(c, cmd, "dynamic-source",
		            "sources the output of a command");
	if (strncmp(w[i].value, "/dev/", 5) == 0 ||
	    strncmp(w[i].value, "/proc/", 6) == 0)
		return DENY(c, cmd, "dynamic-source", "sources a stream (%s)",
		            printable(w[i].value));
	return false;
}

static void
track_cd(struct checker *c, const struct word *w, size_t n)
{
	char out[PATH_MAX];
	size_t i = 1;

	while (i < n && w[i].len > 1 && w[i].value[0] == '-')
		i++;
	if (i >= n) {
		if (c->g->home != NULL)
			snprintf(c->cwd, sizeof(c->cwd), "%s", c->g->home);
		return;
	}
	if (word_has_unknown(&w[i]) ||
	    word_is_wild(w[i].value, w[i].mask, w[i].len))
		return;
	if (normalize(c->cwd, w[i].value, out, sizeof(out)))
		memcpy(c->cwd, out, strlen(out) + 1);
}

static bool
check_arguments(struct checker *c, const struct command *cmd,
                const struct word *w, size_t n, const struct matched *m,
                size_t skip_at)
{
	bool pattern = find_rule(m, RULE_PATTERN_ARG, NULL) != NULL;
	bool options = true;

	if (find_rule(m, RULE_NO_READ, NULL) != NULL)
		return false;
	for (size_t i = 1; i < n && pattern; i++)
		if (word_is(&w[i], "-e") || word_is(&w[i], "-f") ||
		    strncmp(w[i].value, "--regexp", 8) == 0 ||
		    strncmp(w[i].value, "--file", 6) == 0)
			pattern = false;
	for (size_t i = 1; i < n; i++) {
		if (i == skip_at)
			continue;
		if (options && word_is(&w[i], "--")) {
			options = false;
			continue;
		}
		if (options && w[i].len > 1 && w[i].value[0] == '-') {
			if (check_option_value(c, cmd, &w[i]))
				return true;
			continue;
		}
		if (pattern) {
			pattern = false;
			continue;
		}
		if (check_operand(c, cmd, &w[i]))
			return true;
	}
	return false;
}

static bool
has_shell_syntax(const struct word *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (strchr(" \t\n;|&<>", w->value[i]) != NULL && w->value[i])
			return true;
	return false;
}

static bool
check_argv(struct checker *c, const struct command *cmd, const struct word *w,
           size_t n, const struct input *in)
{
	const struct word *name = &w[0];
	const struct rule *r;
	const char *base;
	size_t string_at = 0;
	bool bare = n == 1, no_command = false;
	struct matched matched, *m = &matched;

	if (++c->depth > CHECK_DEPTH_MAX)
		return DENY(c, cmd, "depth", "commands nested too deeply");
	if ((name->flags & W_EXPANDED) &&
	    memmem(name->src, name->src_len, UNKNOWN_TEXT,
	           strlen(UNKNOWN_TEXT)))
		return DENY(c, cmd, "dynamic-command",
		            "the command to run is computed at run time");
	if (name->flags & W_EXPANDED)
		return DENY(c, cmd, "dynamic-command",
		            "command name is not a literal word: %s",
		            printable(arena_strndup(&c->arena, name->src,
		                                    name->src_len)));
	if (word_is_wild(name->value, name->mask, name->len))
		return DENY(c, cmd, "dynamic-command",
		            "command name is a pattern: %s",
		            printable(name->value));
	base = base_name(name->value);
	collect_rules(c, base, &matched);
	if (strcmp(base, "cd") == 0 || strcmp(base, "pushd") == 0)
		track_cd(c, w, n);

	r = find_rule(m, RULE_WRAPPER, NULL);
	if (r != NULL) {
		size_t at;
		bool lookup, string;

		if (unwrap(c, cmd, r, w, n, &at, &lookup, &string))
			return true;
		if (lookup || (string && at >= n)) {
			c->depth--;
			return false;
		}
		if (at < n) {
			bool denied;

			if (!(w[at].flags & W_EXPANDED) &&
			    has_shell_syntax(&w[at]))
				denied = check_joined(c, w, at, n);
			else
				denied = check_argv(c, cmd, w + at, n - at, in);
			c->depth--;
			return denied;
		}
		bare = true;
		n = 1;
		no_command = true;
	}
	if (find_rule(m, RULE_SHELL, NULL) != NULL &&
	    check_shell(c, cmd, w, n, in, &string_at))
		return true;
	if (strcmp(base, "source") == 0 || strcmp(base, ".") == 0) {
		if (check_source(c, cmd, w, n))
			return true;
	}
	for (size_t from = 0;
	     (r = find_rule(m, RULE_STRING_COMMAND, &from)) != NULL;)
		if (check_string_command(c, r, w, n))
			return true;
	if (check_exec_options(c, cmd, w, n, m) ||
	    check_glob_options(c, cmd, w, n, m) ||
	    check_command_rules(c, cmd, w, n, base, bare, no_command, m) ||
	    check_deny_code(c, cmd, w, n, in, base, m) ||
	    check_arguments(c, cmd, w, n, m, string_at))
		return true;
	c->depth--;
	return false;
}

/* ---- commands and scripts ---- */

/* PAGER=printenv git log: the value of such a variable is a command. */
static bool
check_command_var(struct checker *c, const struct command *cmd,
                  const struct word *w)
{
	const struct policy *p = c->g->policy;
	const char *eq = memchr(w->value, '=', w->len);
	char name[256];
	size_t len, off;
	char *t;

	if (eq == NULL || (size_t)(eq - w->value) >= sizeof(name))
		return false;
	memcpy(name, w->value, (size_t)(eq - w->value));
	name[eq - w->value] = '\0';
	for (size_t i = 0; i < p->count; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind != RULE_COMMAND_VAR || !names_match(r, name))
			continue;
		off = (size_t)(eq + 1 - w->value);
		t = nested_text(c, w->value + off, w->mask + off, w->len - off,
		                &len);
		return check_text(c, t, len) || check_operand(c, cmd, w);
	}
	return false;
}

/*
 * A command the policy trusts with a secret as an argument, such as
 * psql "$DATABASE_URL": only when it is named literally (not through a
 * wrapper or a variable), only for plain expansions in its arguments
 * (not ${!PREFIX*}, not in assignments or redirections).
 */
static bool
secret_args_allowed(struct checker *c, const struct command *cmd)
{
	const struct word *name = &cmd->words[0];
	const struct policy *p = c->g->policy;
	const char *base;

	if (cmd->kind != CMD_SIMPLE || (name->flags & W_EXPANDED) ||
	    name->ref_count > 0 ||
	    word_is_wild(name->value, name->mask, name->len))
		return false;
	base = base_name(name->value);
	for (size_t i = 0; i < p->count; i++)
		if (p->rules[i].kind == RULE_SECRET_ARG &&
		    names_match(&p->rules[i], base))
			return true;
	return false;
}

static bool
check_command(struct checker *c, const struct command *cmd)
{
	struct input in;
	bool trusted = cmd->word_count > 0 && secret_args_allowed(c, cmd);

	for (size_t i = 0; i < cmd->assign_count; i++)
		if (check_refs(c, cmd, &cmd->assigns[i], false) ||
		    check_command_var(c, cmd, &cmd->assigns[i]))
			return true;
	for (size_t i = 0; i < cmd->word_count; i++)
		if (check_refs(c, cmd, &cmd->words[i], trusted && i > 0))
			return true;
	for (size_t i = 0; i < cmd->redir_count; i++) {
		const struct redir *r = &cmd->redirs[i];

		if (check_refs(c, cmd, &r->target, false) ||
		    (r->has_body && check_refs(c, cmd, &r->body, false)))
			return true;
		if (r->op == R_DUP || r->op == R_HEREDOC ||
		    r->op == R_HERESTRING)
			continue;
		if (check_path_word(c, cmd, &r->target))
			return true;
	}
	if (cmd->kind == CMD_FOR) {
		for (size_t i = 0; i < cmd->word_count; i++)
			if (check_path_word(c, cmd, &cmd->words[i]))
				return true;
		return false;
	}
	if (cmd->kind != CMD_SIMPLE || cmd->word_count == 0)
		return false;
	command_input(c, cmd, &in);
	return check_argv(c, cmd, cmd->words, cmd->word_count, &in);
}

static bool
check_text(struct checker *c, const char *text, size_t len)
{
	struct script s;
	const char *why = NULL;

	if (++c->depth > CHECK_DEPTH_MAX)
		return deny(c, text, len, "depth",
		            "commands nested too deeply");
	if (shell_parse(&c->arena, text, len, c->g->home, &c->vars, &s, &why) !=
	    0)
		return deny(c, text, len, "parse", "cannot parse: %s", why);
	for (const struct command *cmd = s.first; cmd != NULL; cmd = cmd->next)
		if (check_command(c, cmd))
			return true;
	c->depth--;
	return false;
}

bool
guard_check_command(struct guard *g, const char *text, size_t len,
                    struct verdict *v)
{
	struct checker c = {.g = g, .v = v};
	bool denied;

	verdict_clear(v);
	snprintf(c.cwd, sizeof(c.cwd), "%s", g->cwd);
	denied = check_text(&c, text, len);
	arena_free(&c.arena);
	return denied;
}

bool
guard_check_path(struct guard *g, const char *path, struct verdict *v)
{
	struct checker c = {.g = g, .v = v};
	char abs[PATH_MAX * 2], real[PATH_MAX], dir[PATH_MAX * 2];
	char joined[PATH_MAX * 4];
	const struct rule *r;
	const char *shown = path;

	verdict_clear(v);
	snprintf(c.cwd, sizeof(c.cwd), "%s", g->cwd);
	if (!normalize(c.cwd, path, abs, sizeof(abs)))
		return deny(&c, path, strlen(path), "parse", "path too long");
	r = literal_path_rule(&c, abs);
	if (r == NULL && realpath(abs, real) != NULL) {
		r = literal_path_rule(&c, real);
		shown = real;
	} else if (r == NULL) {
		/* a file not there yet: where its directory leads */
		char *slash;

		memcpy(dir, abs, strlen(abs) + 1);
		slash = strrchr(dir, '/');
		*slash = '\0';
		if (realpath(dir[0] ? dir : "/", real) != NULL &&
		    strlen(real) + strlen(slash + 1) + 2 < sizeof(dir)) {
			snprintf(joined, sizeof(joined), "%s/%s",
			         strcmp(real, "/") ? real : "", slash + 1);
			r = literal_path_rule(&c, joined);
			shown = path;
		}
	}
	if (r != NULL)
		return deny(&c, path, strlen(path), r->text,
		            "reads protected path %s", printable(shown));
	return false;
}
