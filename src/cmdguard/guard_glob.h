/* SPDX-License-Identifier: ISC */
/* cmdguard's globs: a shell word against a policy pattern (glob.c). */
#ifndef CMDGUARD_GUARD_GLOB_H
#define CMDGUARD_GUARD_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "guard_words.h" /* the mask bits M_GLOB, M_UNKNOWN */

/*
 * May some path match both a shell word (with its unquoted globs and
 * unknown parts) and a policy pattern? pinned requires that a literal
 * character of the word meets a literal character of the pattern, so
 * that an unknown $DIR alone matches nothing.
 */
bool glob_word_meets_pattern(const char *value, const unsigned char *mask,
                             size_t len, const char *pattern, bool pinned);

/* The same, with the word compiled once for many patterns. */
struct glob_word;
struct glob_word *glob_word_new(const char *value, const unsigned char *mask,
                                size_t len);
bool glob_word_meets(const struct glob_word *w, const char *pattern,
                     bool pinned);
void glob_word_free(struct glob_word *w);

/* fnmatch(pattern, s, flags) == 0, faster for literal patterns. */
bool match_fast(const char *pattern, const char *s, int flags);

/* true when the word holds an unquoted glob or an unknown part. */
bool word_is_wild(const char *value, const unsigned char *mask, size_t len);

#endif
