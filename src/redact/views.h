/* SPDX-License-Identifier: ISC */
/* Dump views: lines of xxd, hexdump, od and curl --trace, and lists of
 * byte values, decoded and masked in both their columns before the masker
 * sees them. */
#ifndef REDACT_VIEWS_H
#define REDACT_VIEWS_H

#include <stddef.h>

#include "engine.h"

/*
 * What a dump is searched for: every pattern of the set (through its
 * automaton) and every 12-byte piece of each value's secret part of 16
 * bytes or more. Built once, then only read by the streams.
 */
struct views;
struct views *views_new(struct pattern_set *ps);
/* A value loaded into ps (its name already there): its pieces. */
void views_add_value(struct views *v, const char *name,
                     const unsigned char *value, size_t len);
/* After the last value; all is the automaton over ps. */
void views_build(struct views *v, const struct automaton *all);
void views_free(struct views *v);

/* Built views as image sections (image.h), and back over ps and all. */
struct image_writer;
struct image_reader;
void views_image_put(const struct views *v, struct image_writer *w);
struct views *views_image_get(struct image_reader *r, struct pattern_set *ps,
                              const struct automaton *all);

/*
 * One stream in front of its masker: a line that is not a dump line
 * passes at once; a partial line is held only while it still reads as
 * the start of a dump line; a complete dump line is masked and passed
 * on as soon as its newline comes.
 */
struct view_stream;
struct view_stream *view_stream_new(const struct views *v, struct masker *m);
void view_stream_feed(struct view_stream *s, const unsigned char *buf,
                      size_t len);
/* Whether a partial line is held that waits only while input comes (it
 * reads as the start of indented base64 text alone: any indented word
 * does), or complete dump or list lines that a partial match reaches
 * into; the input idled with one held: it is written as it is (and the
 * rest of a partial line passes), the held lines masked as far as they
 * are known to be. A dump line's start waits for its end. */
bool view_stream_holding(const struct view_stream *s);
void view_stream_idle(struct view_stream *s);
/* End of input: a held line is viewed as a last line (before
 * masker_finish). */
void view_stream_finish(struct view_stream *s);
void view_stream_free(struct view_stream *s);

#endif
