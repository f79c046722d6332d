/* SPDX-License-Identifier: ISC */
/* --detect: token formats that are secrets whatever their value. */
#include <string.h>

#include "engine.h"

#define ALNUM "A-Za-z0-9"
#define PEM_BODY "A-Za-z0-9+/= \t\r\n"

static const struct detect_entry entries[] = {
    {"detected:stripe", "sk_live_", ALNUM, 16, 247, true},
    {"detected:stripe", "rk_live_", ALNUM, 16, 247, true},
    {"detected:stripe", "sk_test_", ALNUM, 16, 247, true},
    {"detected:stripe", "rk_test_", ALNUM, 16, 247, true},
    {"detected:aws", "AKIA", "A-Z0-9", 16, 16, true},
    {"detected:aws", "ASIA", "A-Z0-9", 16, 16, true},
    {"detected:github", "ghp_", ALNUM, 30, 255, true},
    {"detected:github", "gho_", ALNUM, 30, 255, true},
    {"detected:github", "ghu_", ALNUM, 30, 255, true},
    {"detected:github", "ghs_", ALNUM, 30, 255, true},
    {"detected:github", "ghr_", ALNUM, 30, 255, true},
    {"detected:github", "github_pat_", ALNUM "_", 22, 255, true},
    {"detected:slack", "xoxb-", ALNUM "-", 10, 255, true},
    {"detected:slack", "xoxp-", ALNUM "-", 10, 255, true},
    {"detected:slack", "xoxa-", ALNUM "-", 10, 255, true},
    {"detected:slack", "xoxr-", ALNUM "-", 10, 255, true},
    {"detected:slack", "xoxs-", ALNUM "-", 10, 255, true},
    {"detected:jwt", "eyJ", ALNUM "_.-", 30, 8192, false},
    {"detected:pem", "-----BEGIN PRIVATE KEY-----", PEM_BODY, 16, 16384, false},
    {"detected:pem", "-----BEGIN RSA PRIVATE KEY-----", PEM_BODY, 16, 16384,
     false},
    {"detected:pem", "-----BEGIN EC PRIVATE KEY-----", PEM_BODY, 16, 16384,
     false},
    {"detected:pem", "-----BEGIN DSA PRIVATE KEY-----", PEM_BODY, 16, 16384,
     false},
    {"detected:pem", "-----BEGIN OPENSSH PRIVATE KEY-----", PEM_BODY, 16, 16384,
     false},
    {"detected:pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----", PEM_BODY, 16,
     16384, false},
};

const struct detect_entry *
detect_entries(size_t *count)
{
	*count = sizeof(entries) / sizeof(entries[0]);
	return entries;
}

bool
detect_body(const struct detect_entry *e, unsigned char c)
{
	for (const char *p = e->body; *p != '\0'; p++) {
		if (p[1] == '-' && p[2] != '\0') {
			if (c >= (unsigned char)p[0] &&
			    c <= (unsigned char)p[2])
				return true;
			p += 2;
		} else if (c == (unsigned char)*p) {
			return true;
		}
	}
	return false;
}

void
patterns_add_detectors(struct pattern_set *ps)
{
	ps->detect = true;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		(void)patterns_name(ps, entries[i].name);
}

uint32_t
detect_name(const struct pattern_set *ps, const struct detect_entry *e)
{
	for (size_t i = 0; i < ps->name_count; i++)
		if (strcmp(ps->names[i], e->name) == 0)
			return (uint32_t)i;
	return 0;
}
