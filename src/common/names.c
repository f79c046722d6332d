/* SPDX-License-Identifier: ISC */
/* The one validator of secret names and project ids. */
#include <err.h>
#include <string.h>

#include "exitcodes.h"
#include "names.h"
#include "util.h"

static bool
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
name_is_valid(const char *name)
{
	size_t i;

	if (name == NULL || !(is_alpha(name[0]) || name[0] == '_'))
		return false;
	for (i = 1; name[i] != '\0'; i++) {
		if (i >= NAME_MAX_LEN)
			return false;
		if (!(is_alpha(name[i]) || is_digit(name[i]) || name[i] == '_'))
			return false;
	}
	return true;
}

bool
project_is_valid(const char *project)
{
	size_t i;

	if (project == NULL || !(is_alpha(project[0]) || is_digit(project[0])))
		return false;
	for (i = 1; project[i] != '\0'; i++) {
		char c = project[i];

		if (i >= PROJECT_MAX_LEN)
			return false;
		if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return strstr(project, "..") == NULL;
}

void
name_require(const char *name)
{
	if (name_is_valid(name))
		return;
	if (name == NULL || *name == '\0')
		errx(EXIT_USAGE, "bad secret name: empty");
	errx(EXIT_USAGE,
	     "bad secret name \"%s\": must match [A-Za-z_][A-Za-z0-9_]* "
	     "(at most %d characters)",
	     printable(name), NAME_MAX_LEN);
}

void
project_require(const char *project)
{
	if (project_is_valid(project))
		return;
	if (project == NULL || *project == '\0')
		errx(EXIT_USAGE, "bad project id: empty");
	errx(EXIT_USAGE,
	     "bad project id \"%s\": must match [A-Za-z0-9][A-Za-z0-9._-]* "
	     "(at most %d characters, no \"..\")",
	     printable(project), PROJECT_MAX_LEN);
}
