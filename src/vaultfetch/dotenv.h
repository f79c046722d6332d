/* SPDX-License-Identifier: ISC */
/* The .env reader behind vaultfetch import. */
#ifndef VAULTFETCH_DOTENV_H
#define VAULTFETCH_DOTENV_H

#include <stddef.h>

#include "secretset.h"

/*
 * Add every NAME=VALUE of text to set. A malformed line is reported as
 * "LABEL:LINE: what is wrong" (never a value) and EXIT_USAGE returned;
 * the caller then stores nothing. EXIT_OK otherwise.
 */
int dotenv_parse(const unsigned char *text, size_t len, const char *label,
                 struct secretset *set);

#endif
