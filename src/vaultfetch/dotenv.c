/* SPDX-License-Identifier: ISC */
/* The .env reader behind vaultfetch import (syntax in vaultfetch(1)). */
#include <err.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "dotenv.h"
#include "exitcodes.h"
#include "names.h"
#include "secmem.h"
#include "util.h"

struct parser {
	const unsigned char *p;
	const unsigned char *end;
	unsigned line;
	const char *label;
	unsigned char *value; /* secure scratch of VALUE_MAX bytes */
	size_t len;
	bool too_long;
};

static bool
at_end_of_line(const struct parser *ps)
{
	return ps->p == ps->end || *ps->p == '\n' ||
	       (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n');
}

static void
skip_blanks(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* Past the end of this line (and its newline). */
static void
next_line(struct parser *ps)
{
	while (ps->p < ps->end && *ps->p != '\n')
		ps->p++;
	if (ps->p < ps->end) {
		ps->p++;
		ps->line++;
	}
}

static void
append(struct parser *ps, unsigned char c)
{
	if (ps->len < VALUE_MAX)
		ps->value[ps->len++] = c;
	else
		ps->too_long = true;
}

static int
malformed(const struct parser *ps, unsigned line, const char *what,
          const char *name)
{
	char label[128];

	/* printable() has one buffer: copy the label before the name. */
	snprintf(label, sizeof(label), "%s", printable(ps->label));
	if (name != NULL)
		warnx("%s:%u: %s \"%s\"", label, line, what, printable(name));
	else
		warnx("%s:%u: %s", label, line, what);
	return EXIT_USAGE;
}

/* NAME (after an optional "export "), into name; false if there is none. */
static bool
read_name(struct parser *ps, char *name, size_t size)
{
	size_t n = 0;

	if (ps->end - ps->p > 7 && memcmp(ps->p, "export", 6) == 0 &&
	    (ps->p[6] == ' ' || ps->p[6] == '\t')) {
		ps->p += 6;
		skip_blanks(ps);
	}
	while (ps->p < ps->end && *ps->p != '=' && *ps->p != ' ' &&
	       *ps->p != '\t' && !at_end_of_line(ps)) {
		/* A NUL would cut the name short: make it visibly bad. */
		if (n + 1 < size)
			name[n++] = *ps->p == '\0' ? '?' : (char)*ps->p;
		ps->p++;
	}
	name[n] = '\0';
	return n > 0;
}

static bool
read_single_quoted(struct parser *ps)
{
	for (ps->p++; ps->p < ps->end; ps->p++) {
		if (*ps->p == '\'') {
			ps->p++;
			return true;
		}
		if (*ps->p == '\n')
			ps->line++;
		append(ps, *ps->p);
	}
	return false;
}

static int
escaped(unsigned char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case '\\':
	case '"':
	case '$':
	case '`':
		return c;
	default:
		return -1; /* kept as written, backslash included */
	}
}

static bool
read_double_quoted(struct parser *ps)
{
	for (ps->p++; ps->p < ps->end; ps->p++) {
		unsigned char c = *ps->p;
		if (c == '"') {
			ps->p++;
			return true;
		}
		if (c == '\n')
			ps->line++;
		if (c != '\\' || ps->p + 1 == ps->end) {
			append(ps, c);
			continue;
		}
		c = *++ps->p;
		if (c == '\n') { /* a continued line, as in the shell */
			ps->line++;
			continue;
		}
		int e = escaped(c);
		if (e == -1)
			append(ps, '\\');
		append(ps, e == -1 ? c : (unsigned char)e);
	}
	return false;
}

/* To the end of the line or to " #"; trailing blanks are not the value. */
static void
read_unquoted(struct parser *ps, bool blank_before)
{
	while (!at_end_of_line(ps)) {
		unsigned char c = *ps->p;
		if (c == '#' &&
		    (ps->len == 0 ? blank_before
		                  : ps->value[ps->len - 1] == ' ' ||
		                        ps->value[ps->len - 1] == '\t'))
			break;
		append(ps, c);
		ps->p++;
	}
	while (ps->len > 0 && (ps->value[ps->len - 1] == ' ' ||
	                       ps->value[ps->len - 1] == '\t'))
		ps->len--;
	next_line(ps);
}

/* One NAME=VALUE that starts at ps->p; EXIT_OK or EXIT_USAGE. */
static int
parse_assignment(struct parser *ps, struct secretset *set)
{
	char name[NAME_MAX_LEN + 2];
	unsigned first = ps->line;

	if (!read_name(ps, name, sizeof(name)))
		return malformed(ps, first, "expected NAME=VALUE", NULL);
	if (!name_is_valid(name))
		return malformed(ps, first, "bad secret name", name);
	skip_blanks(ps);
	if (ps->p == ps->end || *ps->p != '=')
		return malformed(ps, first, "expected '=' after", name);
	const unsigned char *after_equals = ++ps->p;
	skip_blanks(ps);
	ps->len = 0;
	ps->too_long = false;
	if (ps->p < ps->end && (*ps->p == '\'' || *ps->p == '"')) {
		bool closed = *ps->p == '\'' ? read_single_quoted(ps)
		                             : read_double_quoted(ps);
		if (!closed)
			return malformed(ps, first, "unterminated quote in",
			                 name);
		skip_blanks(ps);
		if (!at_end_of_line(ps) && *ps->p != '#')
			return malformed(ps, ps->line,
			                 "text after the closing quote of",
			                 name);
		next_line(ps);
	} else {
		read_unquoted(ps, ps->p != after_equals);
	}
	if (ps->too_long)
		return malformed(ps, first, "value over 65536 bytes in", name);
	if (memchr(ps->value, '\0', ps->len) != NULL)
		return malformed(ps, first, "value holds a NUL byte in", name);
	/* Counted as it is read, so a huge file stops here, at once. */
	if (set->count >= PROJECT_SECRETS_MAX &&
	    secretset_find(set, name) == NULL) {
		warnx("%s:%u: more than %u secrets: a project holds at most "
		      "%u (split them over several projects); nothing "
		      "imported",
		      printable(ps->label), first, PROJECT_SECRETS_MAX,
		      PROJECT_SECRETS_MAX);
		return EXIT_USAGE;
	}
	if (secretset_add(set, name, ps->value, ps->len, false, 0) == -1)
		return malformed(ps, first, "cannot add", name);
	return EXIT_OK;
}

int
dotenv_parse(const unsigned char *text, size_t len, const char *label,
             struct secretset *set)
{
	struct parser ps = {text, text + len, 1, label, NULL, 0, false};
	int status = EXIT_OK;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3; /* a UTF-8 byte order mark */
	ps.value = secmem_alloc(VALUE_MAX);
	while (status == EXIT_OK && ps.p < ps.end) {
		skip_blanks(&ps);
		if (at_end_of_line(&ps) || *ps.p == '#')
			next_line(&ps);
		else
			status = parse_assignment(&ps, set);
	}
	sodium_memzero(ps.value, VALUE_MAX);
	secmem_free(ps.value);
	return status;
}
