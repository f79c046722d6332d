/* SPDX-License-Identifier: ISC */
/* The one validator of secret names and project ids. */
#ifndef SECENV_NAMES_H
#define SECENV_NAMES_H

#include <stdbool.h>

#define NAME_MAX_LEN 255   /* longest secret name */
#define PROJECT_MAX_LEN 64 /* longest project id */

/* POSIX environment name: [A-Za-z_][A-Za-z0-9_]{0,254}. */
bool name_is_valid(const char *name);

/* [A-Za-z0-9][A-Za-z0-9._-]{0,63}, no "..". */
bool project_is_valid(const char *project);

/* Die with status 100 and a message naming the bad input when invalid. */
void name_require(const char *name);
void project_require(const char *project);

#endif
