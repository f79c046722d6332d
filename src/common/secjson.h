/* SPDX-License-Identifier: ISC */
/* Secure-memory JSON for values that may hold secrets (secjson.c). */
#ifndef SECENV_SECJSON_H
#define SECENV_SECJSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * JSON whose strings may be secret values: between secjson_begin() and
 * secjson_end() every jansson allocation comes from secure memory, and
 * secjson_end() wipes and frees all of it. No json_t made inside may
 * outlive the pair. secjson_parse() never reports the parser's text
 * (it may quote the input); it returns NULL on any error.
 */
void secjson_begin(void);
void secjson_end(void);
json_t *secjson_parse(const unsigned char *buf, size_t len);

#endif
