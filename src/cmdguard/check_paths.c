/* SPDX-License-Identifier: ISC */
/* The checker on paths: a word that names a file, literal or a pattern,
 * against the policy's path rules. */
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

/* ---- paths ---- */

/* Make path absolute against cwd and fold "." and ".." (lexically). */
bool
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
const struct rule *
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
bool
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

bool
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
bool
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
bool
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
