/* SPDX-License-Identifier: ISC */
/* redact's masking engine: patterns, one automaton over them, a streaming
 * masker. */
#ifndef REDACT_ENGINE_H
#define REDACT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Matching rule shared by the streaming masker and the reference: a
 * pattern never holds CR or LF, and in the input up to SEPARATOR_MAX
 * bytes of CR and LF may stand between two of its characters. So a
 * value printed with LF or CRLF line ends, or wrapped by base64(1) or
 * xxd -p, is still one match.
 */
#define SEPARATOR_MAX 4
/*
 * The blanks (spaces and tabs) that begin a line are its indent
 * (BYTE_INDENT): up to INDENT_MAX of them may stand between two of a
 * pattern's characters too, after its line break, so a value wrapped
 * onto an indented line (argparse's and click's help, textwrap with an
 * indent, YAML) is still one match. A text pattern holds no indent: the
 * blanks at its start and after each of its line breaks are dropped (a
 * value's own indent, as a multi-line JSON key's, is matched however
 * the program indents it); a binary part's bytes keep theirs.
 */
#define INDENT_MAX 128
/*
 * A box-drawing glyph (U+2500 to U+257F, E2 94 80 to E2 95 BF in UTF-8)
 * or a '|' is a border: rich's panels and tables (in ASCII too),
 * prettytable's and tabulate's grids draw a column with one at each end
 * of its lines. In
 * a line's indent it is indent (each of its bytes: noise_read_at reads
 * it whole), as are the blanks after it ("| " before each wrapped
 * piece); in a run of trailing blanks it counts as two blanks (" |"
 * after each piece). Anywhere else a glyph is text, and so is any other
 * E2 character.
 */
/*
 * The blanks that end a line, before its CR or LF, are its trailing
 * blanks (BYTE_TRAIL): a run of two blanks or more (a border's glyph
 * counts as two), escape sequences among them, of at most TRAIL_MAX
 * bytes from its first blank to the
 * line break (one blank alone is a byte: fold(1) leaves a value's own
 * blank at a line's end, and a column is seldom padded by one). They
 * may stand between two of a pattern's characters, before its line
 * break, so a value wrapped in a column padded to its width (rich's
 * log handler, its tables without borders) is still one match.
 * Whether a blank is one is known only at the run's end: trail_ahead()
 * reads on to it.
 * A text pattern holds no trailing blanks either: those before its own
 * line breaks and at its end are dropped (its end reads as a break).
 */
#define TRAIL_MAX 256
/*
 * A fold's mark: an '=' or a '\' right before a CR or LF, where a
 * folding encoder puts one at its width, is a gap too (BYTE_TRAIL, a
 * soft line break): quoted-printable ends a line with '=' at 76
 * columns (MIME's width: Python's quopri, Go's mime/quotedprintable,
 * Perl's MIME::QuotedPrint) or 78 (Python's email package, whose
 * policies wrap at 78), sooner by up to three where an escape's three
 * bytes are not cut; GNU sed's `l` ends one with '\\' at 70 (67 to 70:
 * its four-byte escapes). A column is a byte's place on its line, the
 * first byte after a CR or LF (or the input's start) at 1; a mark at
 * another column is a byte. So a value a fold cuts is still one match,
 * and the mark stays shown after the line's mask, as trailing blanks
 * do. A pattern whose last byte is a mark also ends on a fold's mark
 * (a value's base64 padding at a line's end, at such a column): that
 * match masks the mark too.
 */
#define SOFT_QP_FIRST 73
#define SOFT_QP_LAST 78
#define SOFT_SED_FIRST 66
#define SOFT_SED_LAST 70
#define SOFT_COLUMN_MAX SOFT_QP_LAST

/* Whether c may be a fold's mark. */
static inline bool
is_soft_mark(unsigned char c)
{
	return c == '=' || c == '\\';
}

/* Whether the mark c at column col (1 for a line's first byte) is a
 * fold's, when a CR or LF follows it. */
static inline bool
soft_column(unsigned char c, uint64_t col)
{
	return c == '='
	           ? col >= SOFT_QP_FIRST && col <= SOFT_QP_LAST
	           : c == '\\' && col >= SOFT_SED_FIRST && col <= SOFT_SED_LAST;
}

/*
 * The column of buf[i] as buf tells it: the bytes since the last CR or
 * LF before it, when one is among the SOFT_COLUMN_MAX bytes before it
 * (then *col is set and the result true), or when SOFT_COLUMN_MAX bytes
 * or more stand before it with none (*col is then past every fold's).
 * False when buf starts too soon to tell.
 */
static inline bool
soft_column_in(const unsigned char *buf, size_t i, uint64_t *col)
{
	for (size_t k = i; k > 0 && i - k < SOFT_COLUMN_MAX; k--)
		if (buf[k - 1] == '\r' || buf[k - 1] == '\n') {
			*col = i - k + 1;
			return true;
		}
	if (i >= SOFT_COLUMN_MAX) {
		*col = SOFT_COLUMN_MAX + 1;
		return true;
	}
	return false;
}

/* The last CR or LF among the n bytes at p, or NULL. */
static inline const unsigned char *
last_break(const unsigned char *p, size_t n)
{
	const unsigned char *lf = memrchr(p, '\n', n),
	                    *cr = memrchr(p, '\r', n);

	return cr == NULL || (lf != NULL && lf > cr) ? lf : cr;
}

/*
 * A line is written once its LF is read, unless it ends inside a partial
 * match of LINE_HELD_MIN characters or more (below). A match that spans
 * lines masks its part on each line, one mask a line, but on the lines
 * by whose end it had read fewer than LINE_HELD_MIN characters (those
 * may be written), and but on the first line of a pattern that starts
 * with PEM armour ("-----": the armour names a type, not a key). A
 * partial match that fails after a line end masks its part on the lines
 * it held when it covers at least PIECE_MIN masked characters (a held
 * piece: a value cut there); a held piece that starts with PEM armour
 * is shown.
 */
#define PIECE_MIN 12
/* A partial match closed by a double quote (a string strace cut) is
 * masked from this many characters on: PIECE_MIN bytes as \xhh. */
#define CUT_MIN (4 * PIECE_MIN)
/* A partial match of this many characters or more that a '.' or a
 * character beginning with E2 (an ellipsis, a dash) cuts short is
 * masked however few of its characters the mask covers (a kept prefix
 * is not): rich's tables and inspect cut a long value with an
 * ellipsis at the column's width ("sk_live_51HqZ..."), Python's reprlib
 * with "...". No fewer than PIECE_MIN: the q-gram filter lets through
 * a partial match that long, and no shorter one. */
#define CUT_MARK_MIN PIECE_MIN
/* Secret parts at least this long are also masked by any PIECE_MIN
 * bytes of them (pieces_add). */
#define PIECE_PART_MIN 16
/* ...and by their last CUT_TAIL bytes after CUT_TAIL_MARK (the mark
 * itself shown): a string cut in its middle (reprlib, pytest's 9 in a
 * list: [value, 1]). As long as a window with the mark: a shorter
 * pattern would shorten the q-gram filter's stride, and cost every
 * scan (a third more on the bench's corpus with ends of 6); a pattern
 * for each longer end took room (ends of 9 to 11: the peak at 10,000
 * values went from 61.8 to 72 MiB, past the 64 MiB asked of it). */
#define CUT_TAIL_MARK "..."
#define CUT_TAIL (PIECE_MIN - (sizeof CUT_TAIL_MARK - 1))
/*
 * A line that ends inside a partial match of this many characters or
 * more is held (with the lines after it) until the match ends or
 * fails, so a match's part on it is masked too, however short; a line
 * that ends with fewer is written at its LF. Held lines are written
 * when the input idles (masker_idle).
 */
#define LINE_HELD_MIN 2

/*
 * Terminal escape sequences (CSI such as SGR colours, OSC such as OSC 8
 * hyperlinks, and two-byte escapes) are noise: the masker skips them
 * between the characters of a pattern, up to NOISE_GAP_MAX bytes of
 * them in one gap, and writes them back after the placeholder of a mask
 * that covers them. Patterns are stored without them. A sequence longer
 * than NOISE_SEQ_MAX, or broken by a byte its grammar does not allow,
 * ends there: the bytes read so far stay noise, the next is read anew.
 */
#define NOISE_GAP_MAX 256
#define NOISE_SEQ_MAX 256

enum byte_class { BYTE_PLAIN, BYTE_BREAK, BYTE_NOISE, BYTE_INDENT, BYTE_TRAIL };

/* The escape-sequence reader's state; zero is ground. */
struct noise_reader {
	uint8_t state;
	/* after an LF, with only line breaks, noise and blanks since: a
	 * blank is indent (in the room the struct has: the masker's fields
	 * after it keep their places) */
	bool fresh;
	uint16_t len;
};

/* A blank: what an indent is made of. */
static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Whether p's n bytes are a box-drawing glyph (n 3), or begin one. */
static inline bool
is_box_glyph(const unsigned char *p, size_t n)
{
	return n > 0 && p[0] == 0xe2 &&
	       (n < 2 || p[1] == 0x94 || p[1] == 0x95) &&
	       (n < 3 || (p[2] >= 0x80 && p[2] <= 0xbf));
}

/* Whether a border's glyph, or the first bytes of one buf ends in,
 * begins at buf[k] (k < len). */
static inline bool
glyph_begins(const unsigned char *buf, size_t len, size_t k)
{
	return buf[k] == 0xe2 &&
	       is_box_glyph(buf + k, len - k < 3 ? len - k : 3);
}

/* Past up to `blanks` blanks from p (before end). */
static inline const unsigned char *
blanks_past(const unsigned char *p, const unsigned char *end, size_t blanks)
{
	for (; p < end && is_blank(*p) && blanks > 0; blanks--)
		p++;
	return p;
}

/* Whether the bytes from p (before end) are up to `blanks` blanks, then
 * a border: a '|' or a box-drawing glyph. */
static inline bool
border_within(const unsigned char *p, const unsigned char *end, size_t blanks)
{
	p = blanks_past(p, end, blanks);
	return p < end && (*p == '|' ||
	                   (end - p >= 3 && *p == 0xe2 && is_box_glyph(p, 3)));
}

/* Whether the bytes from p are blanks (TRAIL_MAX at most) up to a
 * border: a blank there after a partial match is a cut mark too (a
 * table's column cut the value at its width). */
static inline bool
border_follows(const unsigned char *p, const unsigned char *end)
{
	return border_within(p, end, TRAIL_MAX);
}

/* Whether the bytes from p are blanks (TRAIL_MAX at most) up to diff
 * -y's gutter mark, "<" or ">" after the left column it cut at its
 * width, or up to a cut mark's first byte, a '.' or an E2 (SQLAlchemy
 * cuts a long parameter's repr() with " ... (N characters truncated)"):
 * a blank there after a partial match is a cut mark too. */
static inline bool
cut_mark_follows(const unsigned char *p, const unsigned char *end)
{
	p = blanks_past(p, end, TRAIL_MAX);
	return p < end && (*p == '<' || *p == '>' || *p == '.' || *p == 0xe2);
}

/* What byte c is, given what came before (CR and LF are BYTE_BREAK, a
 * blank that begins a line BYTE_INDENT). */
enum byte_class noise_read(struct noise_reader *r, unsigned char c);
/* The same for p[0], the n bytes at p known: where a line's indent may
 * go on, a border's glyph there is BYTE_INDENT, and so are its next two
 * bytes (noise_read reads those so). */
enum byte_class noise_read_at(struct noise_reader *r, const unsigned char *p,
                              size_t n);
/* noise_read_at's verdict on an indent's border glyph its caller has
 * read whole: BYTE_INDENT, and the reader reads its next two bytes so. */
enum byte_class noise_glyph(struct noise_reader *r);

/* What trail_ahead() finds of a run of blanks. */
enum trail_verdict {
	TRAIL_NO,       /* its blanks are plain bytes */
	TRAIL_YES,      /* they are trailing blanks (BYTE_TRAIL) */
	TRAIL_OPEN,     /* buf ends first: the rest of the run decides */
	TRAIL_OPEN_ONE, /* the same, with one blank so far */
};

/*
 * From buf[i], a blank that noise_read() (in state r, before it) calls
 * plain: the run it begins, blanks, border glyphs and escape sequences,
 * read on to its end. TRAIL_YES when a CR or LF ends it within
 * TRAIL_MAX bytes of buf[i] and holds two blanks or more (a glyph
 * counts as two), *end the break; TRAIL_NO when
 * another byte ends it, or a break ends one blank alone, or it is
 * longer, *end where it ends (len when it runs on past buf's end);
 * TRAIL_OPEN (TRAIL_OPEN_ONE with one blank) when buf ends within
 * TRAIL_MAX bytes, *end = len. From any other byte, *end is where a run
 * of blanks and escape sequences from there ends (i for none).
 */
enum trail_verdict trail_ahead(const struct noise_reader *r,
                               const unsigned char *buf, size_t len, size_t i,
                               size_t *end);

/* Options of --format: %n the name, %p the kept type prefix, %l the
 * value's length in bytes, %% a %. */
#define FORMAT_DEFAULT "%p***REDACTED***"
/* --hints: which secret, and its shape without its content. */
#define FORMAT_HINTS "***REDACTED:%n (%p\xe2\x80\xa6, %l bytes)***"

/* A set holds fewer names than this: a pattern's secret and its kept
 * prefix share a word (at 10,000 values, 474,129 patterns: 1.8 MiB). */
#define PATTERN_NAMES_MAX (1u << 24)

/* A pattern is at most this long: its length and its mask's bounds
 * share a word (16 bytes a pattern, where a word each took 24: at
 * 10,000 values, 7.2 MiB, not 10.9). A longer one is refused
 * (patterns_add); the longest form of a value of 128 KiB, the most an
 * environment string holds, is some 768 KiB. */
#define PATTERN_LEN_BITS 21
#define PATTERN_LEN_MAX ((1u << PATTERN_LEN_BITS) - 1)

/* 12 bytes, aligned to 4: the automaton keeps the lists of the
 * patterns that end at a node (at 10,000 values, 484,129 patterns: 5.5
 * MiB, where a word in each for the list's next made 7.4). */
struct __attribute__((packed, aligned(4))) pattern {
	uint64_t len : PATTERN_LEN_BITS;     /* bytes, never CR or LF */
	uint64_t mask_lo : PATTERN_LEN_BITS; /* the masked characters: */
	uint64_t mask_hi : PATTERN_LEN_BITS; /* [mask_lo, mask_hi) */
	uint32_t secret : 24; /* index of the name it masks for */
	uint32_t prefix : 8;  /* index into patterns_prefix(), 0 for none */
};

struct pattern_set {
	struct pattern *items; /* secure memory */
	size_t count, cap;
	unsigned char *arena; /* secure memory: the pattern bytes */
	/* secure memory: each pattern's offset in the arena (cap of
	 * them), kept and freed with it */
	uint32_t *offsets;
	size_t arena_len, arena_cap;
	/* while a part's windows are added: its raw pattern's bytes,
	 * where a window's are found rather than copied */
	size_t share_at, share_len;
	unsigned char *scratch; /* secure memory: encodings being made */
	size_t scratch_cap;
	struct pattern_dedup *dedup; /* patterns.c: until patterns_seal */
	char **names; /* one per secret name; names are not secret */
	size_t name_count, names_cap;
	uint32_t *name_slots; /* name index + 1 per slot, 0 empty */
	size_t name_slot_cap; /* a power of two, at least twice name_count */
	/* secure memory: decodings being added (patterns_add_derived
	 * nests), taken and given back in order */
	unsigned char *stack;
	size_t stack_len, stack_cap;
	size_t min_length; /* values and lines shorter are not masked */
	bool encodings;    /* false: raw values, URL passwords, lines only */
	bool detect;       /* also mask token formats (detect.c) */
	/* while a binary part is added: an ESC byte is a byte like any
	 * other (its dump shows it), not the start of noise to drop */
	bool keep_noise;
	/* while a binary part is added: its blanks after a line break are
	 * bytes of it, not an indent to drop */
	bool keep_blanks;
	uint32_t max_len;  /* longest pattern */
	bool image; /* items and arena are in an image's block (image.h) */
	/* automaton_build may free the arena once its trie and filter are
	 * made, before its largest step: for a set whose bytes nothing
	 * reads after (redactor's; the tests read them) */
	bool drop_bytes;
};

/* What patterns_add_value() left unmasked, for the note on stderr. */
struct short_report {
	bool value_short;   /* the whole value is under min_length */
	size_t short_lines; /* lines of a multi-line value under it */
};

struct pattern_set *patterns_new(size_t min_length, bool encodings);
void patterns_free(struct pattern_set *ps);

/* The index of name, added when new. */
uint32_t patterns_name(struct pattern_set *ps, const char *name);
/* The index of name, or UINT32_MAX when it is not there. */
uint32_t patterns_find_name(const struct pattern_set *ps, const char *name);
/* The hash of a name's first len bytes that the set's name table uses
 * (and redactor.c's index of the environment by name). */
size_t patterns_name_hash(const char *name, size_t len);

/* Every pattern of one value (raw and encoded forms) for name. */
void patterns_add_value(struct pattern_set *ps, const char *name,
                        const unsigned char *value, size_t len,
                        struct short_report *report);

/*
 * The windows of a secret part: when len >= PIECE_PART_MIN, every
 * PIECE_MIN bytes of each of its lines become a pattern of their own.
 * Lines of PEM armour, a part that is JSON text ({ or [ first, and
 * parsed: its leaves are parts of their own) and a URL's scheme and host
 * are not secret and give no windows.
 */
void pieces_add(struct pattern_set *ps, uint32_t secret,
                const unsigned char *part, size_t len);
/* The windows of a binary part (a key's DER): every PIECE_MIN bytes,
 * across the CR and LF bytes in it (the automaton skips them). */
void pieces_add_binary(struct pattern_set *ps, uint32_t secret,
                       const unsigned char *part, size_t len);

/*
 * One pattern: s is normalised (CR, LF and escape sequences dropped,
 * mask_lo/mask_hi moved with it). A pattern equal to one already there for the same
 * secret and mask is dropped. Public for the tests.
 */
void patterns_add(struct pattern_set *ps, uint32_t secret,
                  const unsigned char *s, size_t len, size_t mask_lo,
                  size_t mask_hi, uint32_t prefix);

/*
 * Secure room for a decoding while a value's parts are added, from one
 * block kept by the set (a secure block of its own costs an mmap, guard
 * pages, an mlock and an munmap): n bytes, given back wiped, in the
 * reverse order of taking. A size the block cannot hold gets a block
 * of its own, which patterns_work_give() frees.
 */
unsigned char *patterns_work_take(struct pattern_set *ps, size_t n);
void patterns_work_give(struct pattern_set *ps, unsigned char *p, size_t n);

/* Room for the patterns of values values of bytes bytes in all, made
 * at once from an estimate (patterns_add grows it when short). */
void patterns_reserve(struct pattern_set *ps, size_t values, size_t bytes);

/*
 * No pattern comes after this (and patterns_has says false): the
 * duplicates' hash is freed (the patterns stay in their sparse blocks),
 * before the automaton is built on them.
 */
void patterns_seal(struct pattern_set *ps);

/* The patterns' bytes and their offsets freed (pattern_bytes() no
 * longer reads them); their lengths, masks and secrets stay. */
void patterns_drop_bytes(struct pattern_set *ps);

/* Whether the set holds that pattern (s already normalised). */
bool patterns_has(const struct pattern_set *ps, uint32_t secret,
                  const unsigned char *s, size_t n, size_t lo, size_t hi,
                  uint32_t prefix);

/* The 4 bytes at p as one word (a 4-gram: the filter's and the views'
 * probes of where a pattern may start). */
static inline uint32_t
qgram_load(const unsigned char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* p is one of ps->items. */
static inline const unsigned char *
pattern_bytes(const struct pattern_set *ps, const struct pattern *p)
{
	return ps->arena + ps->offsets[p - ps->items];
}

/* What %l shows for a name of ps->names (its current value's length,
 * kept past the name's NUL); "" when no value was loaded for it. */
const char *patterns_name_hint(const char *name);

/* The kept type prefix with index i ("" for 0). */
const char *patterns_prefix(uint32_t i);

/*
 * --detect: token formats masked without knowing the value. A match is
 * the prefix and then as many body bytes as follow, up to max; it
 * counts when there are at least min. Each entry masks under the name
 * "detected:KIND"; its pattern number (for the tie between masks that
 * start together) is the set's pattern count plus the entry's index.
 */
struct detect_entry {
	const char *name;
	const char *prefix;
	const char *body; /* ranges like "A-Za-z0-9_", plus " \t\r\n" */
	uint32_t min, max;
	bool keep_prefix; /* %p shows the prefix */
};
#define DETECT_SPAN_MAX (16384 + 64) /* longest detected token */

const struct detect_entry *detect_entries(size_t *count);
bool detect_body(const struct detect_entry *e, unsigned char c);
/* Turn detection on: ps->detect, and the "detected:" names. */
void patterns_add_detectors(struct pattern_set *ps);
/* The name index of entry e (after patterns_add_detectors). */
uint32_t detect_name(const struct pattern_set *ps,
                     const struct detect_entry *e);

/* The automaton over every pattern of a set (tables in secure memory). */
struct automaton;
struct automaton *automaton_build(struct pattern_set *ps);
void automaton_free(struct automaton *a);

/*
 * A sealed set and a built automaton as sections of an image (image.h),
 * and back: what is read points into the reader's block, which must
 * outlive them (their free functions leave it alone). NULL when the
 * sections do not read as written.
 */
struct image_writer;
struct image_reader;
void patterns_image_put(const struct pattern_set *ps, struct image_writer *w);
struct pattern_set *patterns_image_get(struct image_reader *r);
void automaton_image_put(const struct automaton *a, struct image_writer *w);
struct automaton *automaton_image_get(struct image_reader *r,
                                      struct pattern_set *ps);

/* Where the masker writes; called with small and large pieces. */
typedef void (*sink_fn)(void *ctx, const unsigned char *p, size_t n);

struct masker;
struct masker *masker_new(const struct automaton *a,
                          const struct pattern_set *ps, const char *format,
                          sink_fn sink, void *ctx);
/*
 * Mask len more bytes of the stream. Everything that can no longer be
 * part of a match reaches the sink before this returns; only the tail
 * that may still begin one is held back.
 */
void masker_feed(struct masker *m, const unsigned char *buf, size_t len);
/* End of stream: flush what was held back. */
void masker_finish(struct masker *m);
/* Whether complete lines are held (a partial match reaches into them),
 * and, once the input idles, each written as far as it is masked. */
bool masker_holding(const struct masker *m);
void masker_idle(struct masker *m);
/* Masks written per secret name (ps->name_count entries). */
const uint64_t *masker_counts(const struct masker *m);
uint64_t masker_bytes_in(const struct masker *m);
uint64_t masker_bytes_out(const struct masker *m);
void masker_free(struct masker *m);

/* true when fmt holds only %n, %p, %l and %%. */
bool format_is_valid(const char *fmt);
/* Write the placeholder for one masked span to sink; returns its length. */
size_t format_render(const char *fmt, const char *name, const char *prefix,
                     sink_fn sink, void *ctx);

/*
 * Dump views (views.c) run an automaton over the bytes decoded from a
 * dump line, with the masker's rule for CR and LF between pattern
 * bytes. A cursor carries the state from one call to the next; found()
 * gets each pattern that ends in buf and `end`, the count of bytes other
 * than skipped separators seen through the pattern's last byte.
 */
struct find_cursor {
	uint32_t state;
	unsigned separators;
	uint64_t seen;
};
typedef void (*find_fn)(void *ctx, const struct pattern *p, uint64_t end);
void automaton_find(const struct automaton *a, struct find_cursor *c,
                    const unsigned char *buf, size_t len, find_fn found,
                    void *ctx);
/*
 * The partial match a cursor's state holds at the end of what it read:
 * the pattern that made its node (NULL at the root) and *depth, how many
 * of that pattern's bytes it has read (the dump views' lists of bytes).
 */
const struct pattern *automaton_partial(const struct automaton *a,
                                        uint32_t state, uint32_t *depth);
/* The same for the longest suffix of it whose pattern does not start
 * with PEM armour ("-----"): a held piece of the armour is shown, as the
 * masker shows one at a line end, but not the key's body after it. */
const struct pattern *automaton_partial_unarmoured(const struct automaton *a,
                                                   uint32_t state,
                                                   uint32_t *depth);
/* Whether a pattern of a begins with the 4 bytes at p (a shorter one
 * never does). */
bool automaton_starts(const struct automaton *a, const unsigned char *p);
/* The masker's state where its input ends, into c (its count of bytes
 * left alone): what automaton_find() goes on from as the masker would. */
void masker_cursor(const struct masker *m, struct find_cursor *c);
/* Count one mask for the secret with name index secret (a dump view's). */
void masker_count(struct masker *m, uint32_t secret);
/* scheme:// (a letter, then letters, digits, '+', '-' or '.'; or names
 * of those joined by ':', as jdbc:mysql://): its length with the "://",
 * 0 when v does not start with one. */
size_t url_scheme_length(const unsigned char *v, size_t len);
/* scheme://user:password@host...: [*lo, *hi) is the password. */
bool url_password(const unsigned char *v, size_t len, size_t *lo, size_t *hi);

#endif
