/* SPDX-License-Identifier: ISC */
/* Dump views: lines of xxd, hexdump, od and curl --trace, and lists of
 * byte values, decoded, searched and masked in both their columns before
 * the masker sees them. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine.h"
#include "forms.h"
#include "image.h"
#include "lines.h"
#include "secmem.h"
#include "views.h"

#define LINE_CAP 16384          /* a longer line is no dump line */
#define HELD_CAP (LINE_CAP + 2) /* and its CR LF */
#define BYTES_MAX                                                              \
	4096 /* bytes on one dump line: a list of a value's characters */
#define OFFSET_MAX 16 /* digits of an offset column */
#define GRAM 4        /* bytes of a pattern's start that b64_search looks for */
/* Bytes of a partial match that a list line masks at its end (see
 * list_held): "115, 107, 95, 116" is as long as the masker's piece. */
#define LIST_HELD_MIN 4
/* A dump line of another layout (but asn1parse's, searched alone) is
 * held (dump_take) when the partial match at its end is this long: one
 * byte alone there shows. (Held at one, an xxd dump of random bytes took
 * 1.6 times the CPU time, where a byte begins some pattern; at two, 1.07
 * times.) */
#define DUMP_HELD_MIN 2
/* Lines of a list held while a partial match reaches into them. */
#define PEND_LINES (HELD_CAP / 2)
/* An inline run is at most as long as a dump line; the bytes before it
 * on its line that its lead looks back on ("[Uint8Contents]: " with a
 * colour code) and that a pattern of the masker may start in. */
#define RUN_CAP LINE_CAP
#define CONTEXT_MAX 24
/* A run of base64 text decoded (parse_b64_run): fewer characters hold
 * too few bytes for a piece of a form; more would decode past
 * BYTES_MAX. */
#define B64_RUN_MIN 16
#define B64_RUN_MAX (BYTES_MAX / 3 * 4)
/* Hex digits in a base64 run's place (parse_hex_text_run): a piece's
 * bytes at least. */
#define HEX_TEXT_MIN (2 * PIECE_MIN)
/* 0xHH items after text on their line (parse_hex_run): fewer are no
 * run (a flag's 0x0, a pointer's 0x7ffe... is none at all). */
#define HEX_RUN_MIN 4
/* Bytes of a list of characters after text (parse_char_run): fewer are
 * no run (a short array's ['a', 'b']). */
#define CHAR_RUN_MIN 4
/* Blanks and tabs before an indented hexdump -C line's offset (spew.Dump
 * nests one a level; testify's message indents its diff by tabs and
 * 12 blanks). */
#define HEXDUMP_INDENT_MAX 40
/* Blanks before BIO_dump's offset (OpenSSL's BIO_dump_indent takes 64
 * at most). */
#define BIO_INDENT_MAX 64
/* Blanks before the offset of a dump line of L_HEX_TEXT (parse_hex_text:
 * ber_dump and Java's HexDumpEncoder indent by 2, socat by 1), its
 * bytes at most, and the blanks between two of its bytes at most. */
#define HEX_TEXT_INDENT 8
#define HEX_TEXT_BYTES 32
#define HEX_TEXT_GAP 4
/* tshark's "follow" dumps cut their text column after this many */
#define HEX_TEXT_HALF 8
/* The longest offset column a line starts with (dump_line's off_len):
 * BIO_dump's indent and digits. */
#define OFF_COLUMN_MAX (BIO_INDENT_MAX + OFFSET_MAX)

struct views {
	struct pattern_set *ps;      /* the values' patterns (not ours) */
	const struct automaton *all; /* over ps */
	struct pattern_set *pieces;  /* PIECE_MIN-byte windows into the parts */
	struct automaton *pieces_a;
	/* While loading: the secret parts (secure) and their windows. */
	unsigned char *parts;
	size_t parts_len, parts_cap;
	struct pattern *windows;
	size_t window_count, window_cap;
	uint32_t *window_offsets; /* each window's offset in parts */
	size_t window_offsets_cap;
	/*
	 * A base64 line none of whose 4-byte windows begins a pattern of ps
	 * (automaton_starts) is not run through the automaton
	 * (b64_search). b64_off: a pattern is shorter than 4 bytes, and
	 * every line is searched.
	 */
	bool b64_off;
	/* The fewest bytes a pattern of ps or a piece holds: a list of
	 * characters after text with fewer is searched for none. */
	size_t run_min;
	/* A value holds a character past U+00FF: a list of numbers past 255
	 * may be its code points (parse_code_points); else none is read so,
	 * and such a list passes as it did. */
	bool wide;
};

enum layout {
	L_NONE,
	L_XXD,        /* 00000010: 6b5f 7465  k_te */
	L_HEXDUMP,    /* 00000010  6b 5f 74 65  |k_te| */
	L_OD_X1,      /* 0000020 6b 5f 74 65 (od -t x1, -A any) */
	L_OD_X1Z,     /* 000010 6b 5f 74 65  >k_te< (od -t x1z) */
	L_OD_C,       /* 0000020   k   _   t 303 (od -c, od -b) */
	L_OD_X2,      /* 0000020 5f6b 6574 (od -x, -X, hexdump: words) */
	L_OD_NUMBER,  /* 0000020  107   95  116 (od -t u1, -d, hexdump -o) */
	L_CURL_HEX,   /* 0010: 6b 5f 74 65 k_te (curl --trace) */
	L_CURL_ASCII, /* 0040: k_te (curl --trace-ascii) */
	L_LIST,       /*   115, 107,  95, or   0x6b, 0x5f, (no offset) */
	L_HEX_GROUPS, /* 736b 5f74 6573 (bytes.hex(' ', 2), no offset) */
	L_DOTTED,     /* 115.107.95.116 (Perl's %vd) */
	L_SPACED,     /* s k _ t e s t (print(*key)), [s k _ t] (Go's %c) */
	L_BASE64,     /* \tQkFRRUZBQVND... (plistlib's <data>: indented) */
	L_GDB,        /* 0x7ffe4a2c <buf>:\t0x6b\t0x5f (gdb's x/xb, x/tb) */
	L_GDB_NUMBER, /* 0x7ffe4a2c:\t107\t95 (x/db, x/ub, x/ob, x/cb) */
	L_ASN1, /*    22:d=1  hl=4 l=1191 prim: OCTET STRING  [HEX DUMP]:3082 */
	L_HEXYL, /* │00000010│ 6b 5f 74 65 ┊ ... │k_te┊...│ (hexyl) */
	L_BIO_DUMP, /*       0010 - 83 3e f0 7a 30 f1-30 5b  .>.z0.0[ (OpenSSL)
	             */
	L_HEX_TEXT, /*   0070: 41 70 69 2D 4B 65   Api-Ke (ber_dump, tshark,
	             * Java's HexDumpEncoder, net-snmp, socat -x) */
	/* Inline runs, anywhere in a line (run_scan): */
	L_NODE_HEX, /* <Buffer 73 6b ... 2 more bytes>, [Uint8Contents]: <73> */
	L_PY_BYTES, /* b'\xff\xfes\x00', b"it's" (Python's repr() of bytes) */
	L_HEX_RUN,  /* []byte{0x73, 0x6b}, key: ['0x73', '0x6b'] (after text) */
	L_CHAR_RUN, /* pw=['s', 'k'], {"pw":["s","k"]}, pw [s, k], [73, 6b] */
	L_OSC,      /* ESC ] 0;title BEL, ESC ] 8;;URI ESC \ (an OSC string) */
	L_B64_RUN,  /* eyJhdXRocyI6... (base64 text, decoded) */
};

enum verdict { NO, PREFIX, YES };

/* Where a byte is shown in the line; len 0 for nowhere. */
struct cell {
	uint16_t at, len;
};

struct dump_line {
	enum layout layout;
	size_t off_len; /* the offset column starts the line */
	size_t n;
	size_t dirty; /* bytes[0..dirty) may hold what a parse decoded */
	/* When not 0, the line reads as well with each group of `swap`
	 * bytes in the other order (xxd -e or -g 4 with a text column
	 * that tells neither apart): both are searched. */
	size_t swap;
	size_t b64_at; /* where a base64 line's characters start */
	/* Not 0: the line above was od's, its offset this wide (parse_od
	 * reads a second type's line under it). */
	size_t under;
	bool code_points; /* the views' wide: lists of code points are read */
	/* a base64 run's place holds hex (parse_hex_text_run) */
	bool hex_text;
	/* The line comes right after a list line (parse_list_line): a
	 * numpy array's rows go on with no "[" (parse_list_blanks). */
	bool list_next;
	bool list_blanks; /* read so: list_mask's padding */
	size_t closed_n;  /* a bytes literal's bytes in its pieces closed */
	unsigned char *bytes; /* secure */
	struct cell code[BYTES_MAX], text[BYTES_MAX];
};

struct view_stream {
	const struct views *v;
	struct masker *m;
	unsigned char *mem; /* secure, on first use: held, copy, bytes */
	unsigned char *held, *copy;
	size_t held_len;
	bool passing;    /* the rest of this line is no dump line */
	bool held_idles; /* it reads as base64 text's start alone */
	struct dump_line d;
	/* The last line, when it was a dump line: where the next follows. */
	enum layout last;
	/* gdb's: 0x first; tcpdump's: a tab and 0x; BIO_dump's and an
	 * indented hexdump's lead (OFF_COLUMN_MAX) */
	unsigned char last_off[OFF_COLUMN_MAX];
	size_t last_off_len, last_n;
	size_t od_off_len; /* of the last od line with an offset */
	struct find_cursor all, pieces;
	uint32_t mark[BYTES_MAX];      /* 1 + the secret masking a byte, or 0 */
	uint32_t swap_mark[BYTES_MAX]; /* mark, in the other order */
	uint16_t nonsep[BYTES_MAX];
	uint64_t base; /* cursor count before this line's bytes */
	/* The last bytes of the base64 lines searched so far (b64_search):
	 * where a match that the next line's windows find may begin. */
	/* in mem: the last GRAM - 1 bytes of the base64 read before, and the
	 * windows across a line's start (a value's base64: secure memory) */
	unsigned char *b64_tail, *b64_edge;
	size_t b64_tail_len;
	/*
	 * Complete dump lines not yet written: a match may still reach
	 * back into them (list_release). A list line is held so, and a
	 * line of another layout that ends inside a partial match, with
	 * the lines after it. pend holds their text, pend_mark the marks
	 * of their bytes from cursor count pend_base on.
	 */
	unsigned char *pend, *pend_out; /* secure */
	size_t pend_len, pend_count, pend_marks;
	struct pend_line {
		uint32_t at, len, count; /* count: bytes the cursors see */
		uint64_t base;
		/* how it was read, to read it again: its layout, and od's
		 * offset width above it (dump_line's under) */
		uint8_t layout, under;
		/* the marks its first and last line break took when it was
		 * searched (a dump line's; 0 for none) */
		uint32_t lead_mark, tail_mark;
		/* od's second type's line under the held line before it: the
		 * same bytes, masked as that line is (count 0) */
		bool mirror;
	} pend_lines[PEND_LINES];
	uint64_t pend_base;
	uint32_t pend_mark[HELD_CAP];
	bool pend_run;             /* the last byte written was masked */
	struct dump_line released; /* a held line parsed again */
	/* the last held line written was masked: released_mark holds its
	 * marks, for a mirror line under it (released_n bytes) */
	bool released_any;
	size_t released_n;
	uint32_t released_mark[BYTES_MAX];
	/*
	 * Inline runs in the text that passes (run_scan): a run's start
	 * held until its end comes (run, secure), the bytes before it on
	 * its line (run_context, secure: CONTEXT_MAX at most; none at a
	 * line's start), a run masked (run_out, secure). d_used: a run
	 * was read in d (line_view reads its list line again).
	 */
	unsigned char *run, *run_out, *run_context;
	size_t run_len, run_context_len;
	bool d_used;
	/* The held run is read because the input idled
	 * (view_stream_idle): one it would mask that the held bytes end
	 * inside stays held. */
	bool idling;
	/* The last line_search() ran the automata (st->mark holds its
	 * marks): a base64 line's need not. */
	bool searched;
	/* The column (engine.h's SOFT_QP_FIRST) of the next byte run_scan
	 * reads, less one: bytes since the last CR or LF, SOFT_COLUMN_MAX
	 * at most (past every fold's). */
	size_t col;
};

/* Secure memory has no realloc: copy into a bigger block. */
static void *
grow(void *old, size_t used, size_t *cap, size_t need, size_t unit)
{
	size_t n = *cap != 0 ? *cap : 64;
	void *p;

	if (need <= *cap)
		return old;
	while (n < need)
		n *= 2;
	p = secmem_alloc(n * unit);
	if (old != NULL) {
		memcpy(p, old, used * unit);
		secmem_free(old);
	}
	*cap = n;
	return p;
}

struct views *
views_new(struct pattern_set *ps)
{
	struct views *v = calloc(1, sizeof(*v));

	if (v == NULL)
		abort();
	v->ps = ps;
	return v;
}

/*
 * The part's bytes (CR and LF dropped: a dump's line ends are skipped as
 * the masker skips them) and a window at each of its offsets, but for a
 * window that lies within PEM armour (a line starting -----).
 */
static void
add_part(struct views *v, uint32_t secret, const unsigned char *s, size_t n)
{
	size_t base = v->parts_len, m = 0, armoured = 0, kept = 0;
	bool *armour = calloc(n + 1, sizeof(*armour));
	struct value_line l;

	if (armour == NULL)
		abort();
	v->parts = grow(v->parts, v->parts_len, &v->parts_cap, base + n, 1);
	for (size_t at = 0; value_line_next(s, n, &at, &l);) {
		/* armour from the line's first byte (the patterns' lines
		 * look for it after their blanks) */
		bool in_armour = value_line_armour(s, l.start, l.end);

		memcpy(v->parts + base + m, s + l.start, l.end - l.start);
		for (size_t i = l.start; i < l.end; i++)
			armour[m++] = in_armour;
	}
	if (m < PIECE_PART_MIN) {
		sodium_memzero(v->parts + base, m);
		free(armour);
		return;
	}
	v->windows = grow(v->windows, v->window_count, &v->window_cap,
	                  v->window_count + m, sizeof(*v->windows));
	v->window_offsets =
	    grow(v->window_offsets, v->window_count, &v->window_offsets_cap,
	         v->window_count + m, sizeof(*v->window_offsets));
	for (size_t k = 0; k < m; k++) {
		armoured += armour[k];
		if (k >= PIECE_MIN)
			armoured -= armour[k - PIECE_MIN];
		if (k + 1 < PIECE_MIN || armoured == PIECE_MIN)
			continue;
		/* A window the values' set has (pieces_add gives each line
		 * of a part its windows) is found by that set's automaton:
		 * only the others (across a part's lines, in JSON text)
		 * need one of their own. */
		if (patterns_has(v->ps, secret,
		                 v->parts + base + k + 1 - PIECE_MIN, PIECE_MIN,
		                 0, PIECE_MIN, 0))
			continue;
		kept++;
		v->window_offsets[v->window_count] =
		    (uint32_t)(base + k + 1 - PIECE_MIN);
		v->windows[v->window_count++] = (struct pattern){
		    .len = PIECE_MIN,
		    .secret = secret,
		    .mask_lo = 0,
		    .mask_hi = PIECE_MIN,
		    .prefix = 0,
		};
	}
	if (kept > 0)
		v->parts_len += m;
	else
		sodium_memzero(v->parts + base, m);
	free(armour);
}

/* A base64 character's class (0: none) and 6 bits, in either alphabet:
 * tables, as parse_base64 reads every character of an indented line and
 * parse_b64_run every one of a run. */
enum {
	B64_UPPER = 1,
	B64_LOWER = 2,
	B64_OTHER = 4,    /* a digit */
	B64_STANDARD = 8, /* + / */
	B64_URL = 16,     /* - _ */
};

static const unsigned char b64_class[256] = {
    ['A'] = B64_UPPER,    ['B'] = B64_UPPER, ['C'] = B64_UPPER,
    ['D'] = B64_UPPER,    ['E'] = B64_UPPER, ['F'] = B64_UPPER,
    ['G'] = B64_UPPER,    ['H'] = B64_UPPER, ['I'] = B64_UPPER,
    ['J'] = B64_UPPER,    ['K'] = B64_UPPER, ['L'] = B64_UPPER,
    ['M'] = B64_UPPER,    ['N'] = B64_UPPER, ['O'] = B64_UPPER,
    ['P'] = B64_UPPER,    ['Q'] = B64_UPPER, ['R'] = B64_UPPER,
    ['S'] = B64_UPPER,    ['T'] = B64_UPPER, ['U'] = B64_UPPER,
    ['V'] = B64_UPPER,    ['W'] = B64_UPPER, ['X'] = B64_UPPER,
    ['Y'] = B64_UPPER,    ['Z'] = B64_UPPER, ['a'] = B64_LOWER,
    ['b'] = B64_LOWER,    ['c'] = B64_LOWER, ['d'] = B64_LOWER,
    ['e'] = B64_LOWER,    ['f'] = B64_LOWER, ['g'] = B64_LOWER,
    ['h'] = B64_LOWER,    ['i'] = B64_LOWER, ['j'] = B64_LOWER,
    ['k'] = B64_LOWER,    ['l'] = B64_LOWER, ['m'] = B64_LOWER,
    ['n'] = B64_LOWER,    ['o'] = B64_LOWER, ['p'] = B64_LOWER,
    ['q'] = B64_LOWER,    ['r'] = B64_LOWER, ['s'] = B64_LOWER,
    ['t'] = B64_LOWER,    ['u'] = B64_LOWER, ['v'] = B64_LOWER,
    ['w'] = B64_LOWER,    ['x'] = B64_LOWER, ['y'] = B64_LOWER,
    ['z'] = B64_LOWER,    ['0'] = B64_OTHER, ['1'] = B64_OTHER,
    ['2'] = B64_OTHER,    ['3'] = B64_OTHER, ['4'] = B64_OTHER,
    ['5'] = B64_OTHER,    ['6'] = B64_OTHER, ['7'] = B64_OTHER,
    ['8'] = B64_OTHER,    ['9'] = B64_OTHER, ['+'] = B64_STANDARD,
    ['/'] = B64_STANDARD, ['-'] = B64_URL,   ['_'] = B64_URL,
};

static const unsigned char b64_bits[256] = {
    ['A'] = 0,  ['B'] = 1,  ['C'] = 2,  ['D'] = 3,  ['E'] = 4,  ['F'] = 5,
    ['G'] = 6,  ['H'] = 7,  ['I'] = 8,  ['J'] = 9,  ['K'] = 10, ['L'] = 11,
    ['M'] = 12, ['N'] = 13, ['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17,
    ['S'] = 18, ['T'] = 19, ['U'] = 20, ['V'] = 21, ['W'] = 22, ['X'] = 23,
    ['Y'] = 24, ['Z'] = 25, ['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29,
    ['e'] = 30, ['f'] = 31, ['g'] = 32, ['h'] = 33, ['i'] = 34, ['j'] = 35,
    ['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39, ['o'] = 40, ['p'] = 41,
    ['q'] = 42, ['r'] = 43, ['s'] = 44, ['t'] = 45, ['u'] = 46, ['v'] = 47,
    ['w'] = 48, ['x'] = 49, ['y'] = 50, ['z'] = 51, ['0'] = 52, ['1'] = 53,
    ['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57, ['6'] = 58, ['7'] = 59,
    ['8'] = 60, ['9'] = 61, ['+'] = 62, ['-'] = 62, ['/'] = 63, ['_'] = 63,
};

static bool
is_base64(unsigned char c)
{
	return b64_class[c] != 0;
}

/* The length of ps's shortest pattern, or SIZE_MAX for none. */
static size_t
shortest(const struct pattern_set *ps)
{
	size_t n = SIZE_MAX;

	for (size_t i = 0; i < ps->count; i++)
		if (ps->items[i].len < n)
			n = ps->items[i].len;
	return n;
}

/* What the search needs of ps and the pieces, once they are made: a
 * pattern shorter than the windows b64_search looks for, and the
 * shortest of all. */
static void
views_lengths(struct views *v)
{
	size_t all = shortest(v->ps), piece = shortest(v->pieces);

	v->b64_off = all < GRAM;
	v->run_min = all < piece ? all : piece;
}

void
views_add_value(struct views *v, const char *name, const unsigned char *value,
                size_t len)
{
	uint32_t secret = patterns_name(v->ps, name);
	size_t lo = 0, hi = len;

	if (len < v->ps->min_length)
		return;
	/* A URL's secret part is its password; a token's, what follows
	 * its type prefix. */
	if (!url_password(value, len, &lo, &hi))
		lo = forms_prefix_length(value, len);
	add_part(v, secret, value + lo, hi - lo);
	/* UTF-8's lead bytes of U+0100 and past */
	for (size_t i = 0; i < len && !v->wide; i++)
		v->wide = value[i] >= 0xc4 && value[i] <= 0xf4;
}

void
views_build(struct views *v, const struct automaton *all)
{
	struct pattern_set *p = patterns_new(1, false);

	v->all = all;
	p->items = v->windows;
	p->offsets = v->window_offsets;
	p->count = v->window_count;
	p->cap = v->window_cap;
	p->arena = v->parts;
	p->arena_len = v->parts_len;
	p->arena_cap = v->parts_cap;
	p->max_len = v->window_count > 0 ? PIECE_MIN : 0;
	p->drop_bytes = true;
	v->windows = NULL;
	v->window_offsets = NULL;
	v->parts = NULL;
	v->pieces = p;
	if (p->count > 0)
		v->pieces_a = automaton_build(p);
	views_lengths(v);
}

void
views_image_put(const struct views *v, struct image_writer *w)
{
	image_put_u64(w, v->pieces_a != NULL);
	image_put_u64(w, v->wide);
	patterns_image_put(v->pieces, w);
	if (v->pieces_a != NULL)
		automaton_image_put(v->pieces_a, w);
}

struct views *
views_image_get(struct image_reader *r, struct pattern_set *ps,
                const struct automaton *all)
{
	struct views *v = views_new(ps);
	bool built = image_get_u64(r) != 0;

	v->wide = image_get_u64(r) != 0;
	v->all = all;
	v->pieces = patterns_image_get(r);
	if (v->pieces != NULL && built)
		v->pieces_a = automaton_image_get(r, v->pieces);
	if (v->pieces == NULL || (built && v->pieces_a == NULL) || r->bad) {
		views_free(v);
		return NULL;
	}
	views_lengths(v);
	return v;
}

void
views_free(struct views *v)
{
	if (v == NULL)
		return;
	automaton_free(v->pieces_a);
	patterns_free(v->pieces);
	secmem_free(v->parts);
	secmem_free(v->windows);
	secmem_free(v->window_offsets);
	free(v);
}

/* Parsing: each layout's parser reads one line without its line end.
 * complete false: the line goes on; PREFIX says it may still be one. */

/* 1 + a hex digit's value, 0 for any other byte: most lines are
 * rejected on their first few bytes, so this is a table. */
static const unsigned char hex_digits[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
    ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int
hex_value(unsigned char c)
{
	return hex_digits[c] - 1;
}

static bool
is_hex(unsigned char c)
{
	return hex_digits[c] != 0;
}

/* Node, Python and R write hex digits in lower case. */
static bool
is_lower_hex(unsigned char c)
{
	return is_hex(c) && !(c >= 'A' && c <= 'F');
}

static bool
is_break(unsigned char c)
{
	return c == '\r' || c == '\n';
}

static unsigned char
hex_byte(const unsigned char *s)
{
	return (unsigned char)(hex_value(s[0]) * 16 + hex_value(s[1]));
}

#define MORE (complete ? NO : PREFIX) /* the line ends where more must come */

/* Digits of an offset column at the start of s, then term. */
static enum verdict
offset_column(const unsigned char *s, size_t len, bool complete, size_t min,
              bool lower, unsigned char term, size_t *end)
{
	size_t i = 0;

	while (i < len && i <= OFFSET_MAX &&
	       ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
	        (!lower && s[i] >= 'A' && s[i] <= 'F')))
		i++;
	if (i > OFFSET_MAX)
		return NO;
	if (i == len)
		return MORE;
	if (i < min || s[i] != term)
		return NO;
	*end = i;
	return YES;
}

/* The text column at s + at: each byte as itself from min to max, else
 * '.'; a blank after its first cut bytes, when it holds more. */
static bool
text_column_cut(const unsigned char *s, struct dump_line *d, size_t at,
                unsigned char min, unsigned char max, size_t cut)
{
	for (size_t j = 0; j < d->n; j++) {
		unsigned char b = d->bytes[j];
		unsigned char want = b >= min && b <= max ? b : '.';
		size_t k = at + j + (j >= cut);

		if (s[k] != want)
			return false;
		d->text[j] = (struct cell){(uint16_t)k, 1};
	}
	return true;
}

static bool
text_column_of(const unsigned char *s, struct dump_line *d, size_t at,
               unsigned char min, unsigned char max)
{
	return text_column_cut(s, d, at, min, max, d->n);
}

/* The text column at s + at: each byte as itself when printable (up to
 * max), else '.'. */
static bool
text_column(const unsigned char *s, struct dump_line *d, size_t at,
            unsigned char max)
{
	return text_column_of(s, d, at, 0x20, max);
}

/* A partial text column: printable so far, and not longer than n + tail. */
static enum verdict
text_prefix(const unsigned char *s, size_t len, size_t at, size_t most,
            unsigned char max)
{
	if (len - at > most)
		return NO;
	for (size_t i = at; i < len; i++)
		if (s[i] < 0x20 || s[i] > max)
			return NO;
	return PREFIX;
}

/* A text column from i, its n characters (the line's bytes) and then
 * close, the line's last byte (hexdump -C's '|', od -t x1z's '<'). */
static enum verdict
text_closed(const unsigned char *s, size_t len, bool complete, size_t i,
            struct dump_line *d, unsigned char close)
{
	if (!complete)
		return text_prefix(s, len, i, d->n + 1, 0x7e);
	if (len != i + d->n + 1 || s[len - 1] != close)
		return NO;
	return text_column(s, d, i, 0x7e) ? YES : NO;
}

/* A text column of the line's bytes from s + at to the line's end, or
 * (complete false) its start so far. */
static enum verdict
text_to_end(const unsigned char *s, size_t len, bool complete, size_t at,
            struct dump_line *d, unsigned char max)
{
	if (!complete)
		return text_prefix(s, len, at, d->n, max);
	if (len != at + d->n)
		return NO;
	return text_column(s, d, at, max) ? YES : NO;
}

static bool
add_byte(struct dump_line *d, unsigned char b, size_t at, size_t width)
{
	if (d->n == BYTES_MAX)
		return false;
	d->bytes[d->n] = b;
	d->code[d->n] = (struct cell){(uint16_t)at, (uint16_t)width};
	d->text[d->n] = (struct cell){0, 0};
	d->n++;
	if (d->n > d->dirty)
		d->dirty = d->n;
	return true;
}

/* Wipe what parses decoded into d (up to the most any wrote, a parse
 * that failed too): a log line that only looked like a dump's start
 * costs a few bytes, not all BYTES_MAX. */
static void
dump_wipe(struct dump_line *d)
{
	sodium_memzero(d->bytes, d->dirty);
	d->dirty = 0;
}

/* Each group of `group` bytes of d in the other order: xxd -e's
 * little-endian words, cells and all. */
static void
swap_groups(struct dump_line *d, size_t group)
{
	for (size_t g = 0; g + group <= d->n; g += group)
		for (size_t a = g, b = g + group - 1; a < b; a++, b--) {
			unsigned char byte = d->bytes[a];
			struct cell c = d->code[a];

			d->bytes[a] = d->bytes[b];
			d->bytes[b] = byte;
			d->code[a] = d->code[b];
			d->code[b] = c;
		}
}

/*
 * xxd's text column: the last n characters of the line (it may start
 * with a blank), after blanks alone from `from` on, at least `gap` of
 * them; its start in *text.
 */
static bool
xxd_text(const unsigned char *s, size_t len, size_t from, size_t gap, size_t n,
         size_t *text)
{
	if (len < from + gap + n)
		return false;
	*text = len - n;
	for (size_t k = from; k < *text; k++)
		if (s[k] != ' ')
			return false;
	return true;
}

/* xxd (any -g, -c, -u, and -e's little-endian words on a full line):
 * "00000010: 6b5f 7465 ...  k_te..." */
static enum verdict
parse_xxd(const unsigned char *s, size_t len, bool complete,
          struct dump_line *d)
{
	size_t i, sep, text, group = 0;
	bool even = true; /* every group holds `group` bytes */
	enum verdict v = offset_column(s, len, complete, 8, false, ':', &i);

	if (v != YES)
		return v;
	d->off_len = i++;
	if (i == len)
		return MORE;
	if (s[i++] != ' ')
		return NO;
	for (;;) { /* groups of hex pairs, one space apart */
		size_t g = 0;

		for (; i + 1 < len && is_hex(s[i]) && is_hex(s[i + 1]); i += 2)
			if (g++, !add_byte(d, hex_byte(s + i), i, 2))
				return NO;
		if (i == len || (i + 1 == len && is_hex(s[i])))
			return MORE;
		if (g == 0 || s[i] != ' ')
			return NO;
		if (group == 0)
			group = g;
		even = even && g == group;
		if (++i == len)
			return MORE;
		if (s[i] == ' ')
			break;
	}
	sep = i - 1;
	if (!complete)
		return text_prefix(s, len, i, LINE_CAP, 0x7e);
	if (!xxd_text(s, len, sep, 2, d->n, &text))
		return NO;
	if (!even || group < 2)
		return text_column(s, d, text, 0x7e) ? YES : NO;
	if (text_column(s, d, text, 0x7e)) {
		/* xxd -g 4; xxd -e as well when the other order reads */
		swap_groups(d, group);
		d->swap = text_column(s, d, text, 0x7e) ? group : 0;
		swap_groups(d, group);
		return YES;
	}
	swap_groups(d, group);
	return text_column(s, d, text, 0x7e) ? YES : NO;
}

/* tcpdump's hex bytes on a line (-x, -X): groups of two a blank before
 * each, a last odd byte alone. */
#define TCPDUMP_HEX 40 /* the hex part's width on -X's line, padded */

/*
 * tcpdump -x and -X (and -xx, -XX): "\t0x0050:  6e3a 2042 6561 7265"
 * (its offset, lower-case, 4 digits or more), then with -X the hex part
 * padded to 40 columns, two blanks and the text column, each byte that
 * is a graphic character (not a blank) as itself, else '.'. The bytes
 * in the order they are (network order: no swap).
 */
static enum verdict
parse_tcpdump(const unsigned char *s, size_t len, bool complete,
              struct dump_line *d)
{
	size_t i = 3, hex_at;
	enum verdict v;

	for (size_t k = 0; k < 3; k++)
		if (k == len)
			return MORE;
		else if (s[k] != "\t0x"[k])
			return NO;
	if ((v = offset_column(s + 3, len - 3, complete, 4, true, ':', &i)) !=
	    YES)
		return v;
	d->off_len = (i += 3);
	if (++i == len)
		return MORE;
	if (s[i++] != ' ')
		return NO;
	hex_at = i;
	for (;;) { /* " 6e3a", or " 0a" last */
		size_t digits = 0;

		if (i == len)
			return complete && d->n > 0 ? YES : MORE;
		if (s[i] != ' ')
			return NO;
		for (i++; i < len && digits < 5 && is_hex(s[i]) &&
		          !(s[i] >= 'A' && s[i] <= 'F');
		     i++)
			digits++;
		if (i == len && !complete)
			return digits < 5 ? PREFIX : NO;
		if (digits == 0 && i < len && s[i] == ' ')
			break; /* the padding, or the text column's gap */
		if ((digits != 4 && digits != 2) || (i < len && s[i] != ' '))
			return NO;
		for (size_t b = 0; b < digits; b += 2)
			if (!add_byte(d, hex_byte(s + i - digits + b),
			              i - digits + b, 2))
				return NO;
		if (digits == 2 || d->n == 16)
			break;
	}
	/* -X: blanks to the hex part's width, two more, the text */
	if (!complete)
		return i - hex_at <= TCPDUMP_HEX + 2
		           ? PREFIX
		           : text_prefix(s, len, hex_at + TCPDUMP_HEX + 2, d->n,
		                         0x7e);
	if (i - hex_at > TCPDUMP_HEX || len != hex_at + TCPDUMP_HEX + 2 + d->n)
		return i == len ? YES : NO;
	for (; i < hex_at + TCPDUMP_HEX + 2; i++)
		if (s[i] != ' ')
			return NO;
	return text_column_of(s, d, i, 0x21, 0x7e) ? YES : NO;
}

/* A complete xxd line's offset column, ':' and blank (*i past them); a
 * line not yet complete is parse_xxd's to judge. */
static enum verdict
xxd_head(const unsigned char *s, size_t len, bool complete, struct dump_line *d,
         size_t *i)
{
	enum verdict v = offset_column(s, len, complete, 8, false, ':', i);

	if (v != YES || !complete)
		return v == YES ? NO : v;
	d->off_len = (*i)++;
	return *i < len && s[(*i)++] == ' ' ? YES : NO;
}

/* xxd -e's last line: its last group, shorter, right-aligned before the
 * text column ("3971243e     725a  '..x"). */
static enum verdict
parse_xxd_e_tail(const unsigned char *s, size_t len, bool complete,
                 struct dump_line *d)
{
	size_t i, j, h, full, text, group = 0;

	if (xxd_head(s, len, complete, d, &i) != YES)
		return NO;
	for (;;) { /* full groups, one space apart */
		size_t g = 0;

		for (; i + 1 < len && is_hex(s[i]) && is_hex(s[i + 1]); i += 2)
			if (g++, !add_byte(d, hex_byte(s + i), i, 2))
				return NO;
		if (g == 0 || i + 1 >= len || s[i] != ' ' ||
		    (group != 0 && g != group))
			return NO;
		group = group == 0 ? g : group;
		if (s[++i] == ' ')
			break;
	}
	for (j = i; j < len && s[j] == ' ';)
		j++;
	for (h = 0;
	     j + h + 1 < len && is_hex(s[j + h]) && is_hex(s[j + h + 1]);)
		h += 2;
	if (group < 2 || h == 0 || h >= 2 * group || j + h + 2 > len ||
	    s[j + h] != ' ' || s[j + h + 1] != ' ')
		return NO;
	full = d->n;
	for (size_t k = h; k > 0; k -= 2) /* the low byte, last, first */
		if (!add_byte(d, hex_byte(s + j + k - 2), j + k - 2, 2))
			return NO;
	if (!xxd_text(s, len, j + h, 2, d->n, &text))
		return NO;
	d->n = full;
	swap_groups(d, group);
	d->n = full + h / 2;
	return text_column(s, d, text, 0x7e) ? YES : NO;
}

/* Eight binary digits at s as a byte, or -1. */
static int
bits_byte(const unsigned char *s)
{
	int b = 0;

	for (size_t k = 0; k < 8; k++) {
		if (s[k] != '0' && s[k] != '1')
			return -1;
		b = b * 2 + (s[k] - '0');
	}
	return b;
}

/* xxd -b: "00000006: 01110100 01011111 ...  t_..." */
static enum verdict
parse_xxd_bits(const unsigned char *s, size_t len, bool complete,
               struct dump_line *d)
{
	size_t i, text;

	if (xxd_head(s, len, complete, d, &i) != YES)
		return NO;
	for (;;) { /* bytes of eight digits, one space apart */
		int b = len - i >= 9 ? bits_byte(s + i) : -1;

		if (b < 0 || s[i + 8] != ' ' ||
		    !add_byte(d, (unsigned char)b, i, 8))
			return NO;
		i += 9;
		if (i == len)
			return NO;
		if (s[i] == ' ')
			break;
	}
	if (!xxd_text(s, len, i, 1, d->n, &text))
		return NO;
	return text_column(s, d, text, 0x7e) ? YES : NO;
}

/* The blanks and tabs before an indented hexdump -C line's offset, with
 * a diff's + or - among them, ahead of its first blank or tab: their
 * length (0 for none). */
static size_t
hexdump_lead(const unsigned char *s, size_t len)
{
	size_t i = 0;
	bool marked = false;

	for (; i < len; i++)
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		else if ((s[i] == '+' || s[i] == '-') && !marked &&
		         i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t'))
			marked = true;
		else
			break;
	return i;
}

/* hexdump -C, hd: "00000010  6b 5f 74 65 ...  |k_te...|" */
static enum verdict
parse_hexdump(const unsigned char *s, size_t len, bool complete,
              struct dump_line *d)
{
	size_t i, spaces, indent;
	enum verdict v;

	/* indented: Go's spew.Dump of a []byte, a blank a level, in
	 * testify's diff too ("\t   \t+  00000000  73 6b") */
	if ((indent = hexdump_lead(s, len)) > HEXDUMP_INDENT_MAX)
		return NO;
	v = offset_column(s + indent, len - indent, complete, 8, false, ' ',
	                  &i);
	if (v != YES)
		return v;
	i += indent;
	d->off_len = i;
	for (spaces = 0; i < len && s[i] == ' '; i++)
		spaces++;
	if (i == len)
		return spaces <= 2 ? MORE : NO;
	if (spaces != 2)
		return NO;
	for (;;) {
		if (i + 1 >= len)
			return i == len || is_hex(s[i]) ? MORE : NO;
		if (!is_hex(s[i]) || !is_hex(s[i + 1]) ||
		    !add_byte(d, hex_byte(s + i), i, 2))
			return NO;
		for (i += 2, spaces = 0; i < len && s[i] == ' '; i++)
			spaces++;
		if (i == len)
			return MORE;
		if (s[i] == '|' && spaces >= 2)
			break;
		if (spaces == 0 || spaces > 2)
			return NO;
	}
	return text_closed(s, len, complete, i + 1, d, '|');
}

/* The bytes of a word field of width, 0 for another field: " hhhh"
 * (od -x, hexdump's default), "    hhhh" (hexdump -x), " hhhhhhhh"
 * (od -X, -t x4), 17 wide (-t x8). */
static size_t
word_bytes(size_t width)
{
	return width == 5 || width == 8 ? 2
	       : width == 9             ? 4
	       : width == 17            ? 8
	                                : 0;
}

/*
 * od -a's name of a byte at s, right in a field of 4 ("  nl", " nul"):
 * the byte, -1 for no name, -2 when the field ends first. od -a names
 * a byte's low 7 bits: a byte past ASCII reads as its low half.
 */
static int
char_name(const unsigned char *s, size_t avail)
{
	/* each right in its field, as od prints it */
	static const char names[][5] = {
	    " nul", " soh", " stx", " etx", " eot", " enq", " ack",
	    " bel", "  bs", "  ht", "  nl", "  vt", "  ff", "  cr",
	    "  so", "  si", " dle", " dc1", " dc2", " dc3", " dc4",
	    " nak", " syn", " etb", " can", "  em", " sub", " esc",
	    "  fs", "  gs", "  rs", "  us", "  sp", " del"};
	size_t from = s[1] == ' ' ? 2 : 1;

	for (size_t k = from; k < avail; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') ||
		      (k == 3 && s[k] >= '1' && s[k] <= '4')))
			return -1;
	if (avail < 4)
		return -2;
	for (size_t b = 0; b < sizeof(names) / sizeof(names[0]); b++)
		if (s[3] == names[b][3] && memcmp(names[b], s, 4) == 0)
			return b == 33 ? 0x7f : (int)b;
	return -1;
}

/*
 * One od field at s (avail characters there): its byte; -1 when it is
 * none; -2 when it may be one but ends first. Width 3: " hh" (-t x1);
 * width 4: "   c", "    " (a space), "  \n" and the like, " ooo" (-c, -b),
 * "  sp", " nul" and the like (-a: char_name);
 * a word field (word_bytes): a word in the byte order of the machine
 * that printed it, taken as little-endian (most are), whose bytes the
 * caller takes (the value is 0).
 */
static int
od_field(const unsigned char *s, size_t avail, size_t width)
{
	static const char escapes[] = "0abfnrtv";
	static const unsigned char escaped[] = {0, 7, 8, 12, 10, 13, 9, 11};
	size_t word = word_bytes(width);
	const char *e;

	if (s[0] != ' ')
		return -1;
	if (width == 3 || word != 0) {
		size_t blanks = word != 0 ? width - 2 * word : 1;

		for (size_t k = 1; k < avail; k++)
			if (k < blanks ? s[k] != ' ' : !is_hex(s[k]))
				return -1;
		return avail < width ? -2 : word != 0 ? 0 : hex_byte(s + 1);
	}
	if (avail < 2)
		return -2;
	if ((s[1] >= 'a' && s[1] <= 'z') ||
	    (s[1] == ' ' && avail > 2 && s[2] >= 'a' && s[2] <= 'z'))
		return char_name(s, avail);
	if (s[1] == ' ') {
		if (avail < 3)
			return -2;
		if (s[2] != ' ' && s[2] != '\\')
			return -1;
		if (avail < 4)
			return -2;
		if (s[2] == ' ')
			return s[3] >= 0x20 && s[3] < 0x7f ? s[3] : -1;
		if (s[3] == '\0' || (e = strchr(escapes, s[3])) == NULL)
			return -1;
		return escaped[e - escapes];
	}
	if (s[1] < '0' || s[1] > '3')
		return -1;
	for (size_t k = 2; k < avail; k++)
		if (s[k] < '0' || s[k] > '7')
			return -1;
	if (avail < 4)
		return -2;
	return (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
}

static bool
blanks_to_end(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ')
			return false;
	return true;
}

/* od -t x1z's >text< column, after blanks from i (d holds the bytes the
 * fields before it show). */
static enum verdict
od_text(const unsigned char *s, size_t len, bool complete, size_t i,
        struct dump_line *d)
{
	while (i < len && s[i] == ' ')
		i++;
	if (i == len)
		return MORE;
	if (s[i] != '>' || d->n == 0)
		return NO;
	d->layout = L_OD_X1Z;
	return text_closed(s, len, complete, i + 1, d, '<');
}

/* The fields from i on, of one width; for width 3 a >text< may follow. */
static enum verdict
od_fields(const unsigned char *s, size_t len, bool complete, size_t i,
          size_t width, struct dump_line *d)
{
	size_t word = word_bytes(width);

	d->n = 0;
	d->layout = width == 3 ? L_OD_X1 : width == 4 ? L_OD_C : L_OD_X2;
	while (i < len) {
		size_t avail = len - i < width ? len - i : width;
		int b;

		if (width == 3 && s[i] == ' ' &&
		    (avail == 1 || s[i + 1] == ' '))
			break; /* the padding before >text< */
		if (word != 0 && d->n > 0 && blanks_to_end(s + i, len - i))
			return complete ? YES : PREFIX; /* hexdump pads */
		b = od_field(s + i, avail, width);
		if (b == -2)
			return MORE;
		if (b < 0)
			return NO;
		if (word != 0) {
			/* the low byte, printed last, comes first */
			for (size_t k = word, at = i + width - 2 * word;
			     k-- > 0;)
				if (!add_byte(d, hex_byte(s + at + 2 * k),
				              at + 2 * k, 2))
					return NO;
		} else if (!add_byte(d, (unsigned char)b,
		                     width == 3 ? i + 1 : i,
		                     width == 3 ? 2 : width)) {
			return NO;
		}
		i += width;
	}
	if (i == len)
		return d->n == 0 ? MORE : complete ? YES : PREFIX;
	return od_text(s, len, complete, i, d);
}

/*
 * A field of numbers, each a unit of `bytes` bytes in radix 10 or 8,
 * right in `width` columns: blank-padded with no leading zero (digits
 * 0) or zero-padded to `digits`; signed ones may have a minus sign (the
 * unit less 2^(8 bytes)). A unit is taken as little-endian, as od's
 * words are (see word_bytes).
 */
struct number_format {
	unsigned char width, bytes, radix, digits;
	bool sign;
};

static const struct number_format number_formats[] = {
    {4, 1, 10, 0, false},  /* od -t u1:   "  52 101" */
    {5, 1, 10, 0, true},   /* od -t d1:   "   52  -61" */
    {6, 2, 10, 0, false},  /* od -d, -t u2: " 25960  8303" */
    {7, 2, 10, 0, true},   /* od -s, -t d2: "  25960 -12345" */
    {7, 2, 8, 6, false},   /* od -o, -t o2: " 062550" */
    {8, 2, 10, 5, false},  /* hexdump -d: "   25960   08303" */
    {8, 2, 8, 6, false},   /* hexdump -o: "  062550" */
    {11, 4, 10, 0, false}, /* od -t u4 */
    {12, 4, 10, 0, true},  /* od -t d4, -i */
    {12, 4, 8, 11, false}, /* od -t o4 */
    {21, 8, 10, 0, true},  /* od -t u8, -t d8, -l: one width */
    {23, 8, 8, 22, false}, /* od -t o8 */
};

/* The number field of format f at s (avail characters there, fewer
 * than f->width at a line's end) in *unit; -1 when it is none, -2 when
 * it may be one but ends first. */
static int
number_field(const unsigned char *s, size_t avail,
             const struct number_format *f, uint64_t *unit)
{
	/* the largest unit, and the most a minus sign may take */
	uint64_t most =
	    f->bytes == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * f->bytes)) - 1;
	uint64_t most_negative = (most >> 1) + 1, value = 0;
	size_t k = 1, first;
	bool minus;

	if (s[0] != ' ')
		return -1;
	while (k < avail && s[k] == ' ')
		k++;
	minus = f->sign && k < avail && s[k] == '-';
	first = k + minus;
	for (k = first; k < avail; k++) {
		unsigned digit = (unsigned)(s[k] - '0');

		/* a field of 8 bytes may hold more digits than 64 bits */
		if (s[k] < '0' || digit >= f->radix ||
		    __builtin_mul_overflow(value, f->radix, &value) ||
		    __builtin_add_overflow(value, digit, &value) ||
		    value > most)
			return -1;
	}
	if (avail < f->width)
		return -2;
	if (first == f->width ||
	    (f->digits != 0 ? f->width - first != f->digits
	                    : s[first] == '0' && f->width - first > 1) ||
	    (minus && (value == 0 || value > most_negative)))
		return -1;
	/* a negative number: two's complement within the unit */
	*unit = minus ? (most - value + 1) & most : value;
	return 0;
}

/*
 * The fields from i on of one of number_formats: od -t u1 and d1 (a
 * byte in decimal), od -d, -s, -o and -t u4, d4, o4, u8, d8, o8
 * (little-endian units of 2, 4 or 8 bytes), hexdump -d and -o (units of
 * 2, zero-padded; hexdump pads a short last line with blanks). A unit's
 * bytes share its cell, the field but its first blank: masked, it shows
 * no number of digits.
 */
static enum verdict
od_numbers(const unsigned char *s, size_t len, bool complete, size_t i,
           const struct number_format *f, struct dump_line *d)
{
	d->n = 0;
	d->layout = L_OD_NUMBER;
	for (; i < len; i += f->width) {
		size_t avail = len - i < f->width ? len - i : f->width;
		uint64_t unit;
		int field;

		if (d->n > 0 && blanks_to_end(s + i, len - i))
			return complete ? YES : PREFIX; /* hexdump pads */
		field = number_field(s + i, avail, f, &unit);
		if (field == -2)
			return MORE;
		if (field < 0)
			return NO;
		for (size_t b = 0; b < f->bytes; b++)
			if (!add_byte(d, (unsigned char)(unit >> (8 * b)),
			              i + 1, f->width - 1))
				return NO;
	}
	return d->n == 0 ? MORE : complete ? YES : PREFIX;
}

/* How wide the number field at s + i is (a blank, blanks, a minus sign,
 * digits: right-aligned, it ends with its digits), so that only the
 * number formats as wide are tried (none, 0, when it has no digit);
 * *open when it reaches the end of a line that goes on. */
static size_t
number_width(const unsigned char *s, size_t len, size_t i, bool *open)
{
	size_t k = i + 1, digits;

	while (k < len && s[k] == ' ')
		k++;
	if (k < len && s[k] == '-')
		k++;
	for (digits = k; k < len && s[k] >= '0' && s[k] <= '9';)
		k++;
	*open = k == len;
	return k > digits || *open ? k - i : 0;
}

/*
 * od -c with a type of 5 columns (-t d1: "-128"): each character's field
 * widened to 5 ("    k", "   \\n", " 303"). Tried after the decimal
 * readings: a line of digits alone reads as -t d1's.
 */
static enum verdict
od_chars5(const unsigned char *s, size_t len, bool complete, size_t i,
          struct dump_line *d)
{
	d->n = 0;
	d->layout = L_OD_C;
	while (i < len) {
		size_t avail = len - i < 5 ? len - i : 5;
		int b;

		if (s[i] != ' ')
			return NO;
		if (avail < 2)
			return MORE;
		b = od_field(s + i + 1, avail - 1, 4);
		if (b == -2)
			return MORE;
		if (b < 0 || !add_byte(d, (unsigned char)b, i, 5))
			return NO;
		i += 5;
	}
	return d->n == 0 ? MORE : complete ? YES : PREFIX;
}

/*
 * od -t x1 with a type of 4 columns (-c, -b): each byte's hex widened to
 * that field ("  5f"). Tried after the decimal readings: a line of them
 * whose every byte is two decimal digits reads as od -t u1's.
 */
static enum verdict
od_hex4(const unsigned char *s, size_t len, bool complete, size_t i,
        struct dump_line *d)
{
	d->n = 0;
	d->layout = L_OD_X1;
	while (i < len) {
		size_t avail = len - i < 4 ? len - i : 4;

		if (d->n > 0 && avail > 2 && s[i + 2] == ' ')
			break; /* the padding before >text< (-t x1z) */
		for (size_t k = 0; k < avail; k++)
			if (k < 2 ? s[i + k] != ' ' : !is_hex(s[i + k]))
				return d->n > 0 && k == 2 && s[i + k] == '>'
				           ? od_text(s, len, complete, i, d)
				           : NO;
		if (avail < 4)
			return MORE;
		if (!add_byte(d, hex_byte(s + i + 2), i + 2, 2))
			return NO;
		i += 4;
	}
	if (i < len)
		return od_text(s, len, complete, i, d);
	return d->n == 0 ? MORE : complete ? YES : PREFIX;
}

/*
 * Whether the fields from i on may be od's or hexdump's: each run of
 * characters between spaces one that od_field or number_field reads (a
 * character, a backslash and one more, hex or decimal digits after a
 * minus sign or none, an od -a name), up to an od -t x1z >text<. A run
 * that is none stays none however the line goes on. An indented line of
 * words or of JSON fails at its first such run, before the dozen layouts
 * below are tried on it one by one.
 */
static bool
od_runs(const unsigned char *s, size_t len, size_t i)
{
	while (i < len) {
		size_t from, n, sign;
		bool hex = true, name = true;

		while (i < len && s[i] == ' ')
			i++;
		if (i == len || s[i] == '>')
			return true;
		from = i + (s[i] == '-');
		sign = from > 0 && s[from - 1] == '-';
		for (i = from; i < len && s[i] != ' '; i++) {
			hex = hex && is_hex(s[i]);
			name = name && ((s[i] >= 'a' && s[i] <= 'z') ||
			                (s[i] >= '0' && s[i] <= '9'));
			/* three characters or more, neither hex digits nor a
			 * name of three: no longer run can be one */
			n = i + 1 - from + sign;
			if (n >= 3 && !hex && !(name && n == 3))
				return false;
		}
		n = i - from + sign;
		if (!(n == 1 || (n == 2 && s[i - 2] == '\\') ||
		      (hex && i > from) || (name && n <= 3)))
			return false;
	}
	return true;
}

/* The fields from i on of od -t x1 [z], -c, -b, -a, -x, -X, -t x8 (and
 * hexdump's default and -x, their words), and od's and hexdump's
 * numbers (number_formats). */
static enum verdict
od_columns(const unsigned char *s, size_t len, bool complete, size_t i,
           struct dump_line *d)
{
	static const size_t words[] = {9, 17, 8}; /* -X, -t x8, hexdump -x */
	bool prefix = false;
	enum verdict x1, c, x2, wide;
	size_t width;
	bool open;

	if (!od_runs(s, len, i))
		return NO;
	x1 = od_fields(s, len, complete, i, 3, d);
	if (x1 == YES)
		return YES;
	c = od_fields(s, len, complete, i, 4, d);
	if (c == YES)
		return YES;
	x2 = od_fields(s, len, complete, i, 5, d);
	if (x2 == YES)
		return YES;
	width = number_width(s, len, i, &open);
	for (size_t k = 0; width != 0 && k < sizeof(number_formats) /
	                                         sizeof(number_formats[0]);
	     k++) {
		const struct number_format *f = &number_formats[k];
		enum verdict n;

		if (open && !complete ? f->width < width : f->width != width)
			continue;
		n = od_numbers(s, len, complete, i, f, d);
		if (n == YES)
			return YES;
		prefix = prefix || n == PREFIX;
	}
	/* fields od widened for a second type */
	wide = od_hex4(s, len, complete, i, d);
	if (wide == YES)
		return YES;
	prefix = prefix || wide == PREFIX;
	wide = od_chars5(s, len, complete, i, d);
	if (wide == YES)
		return YES;
	prefix = prefix || wide == PREFIX;
	/* od's offset has 7 digits (6 in hex), hexdump's 7: a line of
	 * bytes.hex(' ', 4) or of bits has 8 in its first group */
	for (size_t k = 0; i <= 7 && k < sizeof(words) / sizeof(words[0]);
	     k++) {
		enum verdict w = od_fields(s, len, complete, i, words[k], d);

		if (w == YES)
			return YES;
		prefix = prefix || w == PREFIX;
	}
	return prefix || x1 == PREFIX || c == PREFIX || x2 == PREFIX ? PREFIX
	                                                             : NO;
}

/*
 * od's and hexdump's lines, with an offset in any radix or none (-A n).
 * A line with no offset right after an od line (d->under) may also be a
 * second type's, printed under the first's line as wide as its offset:
 * od -bc, -xc, -c -b. Each such line is searched on its own (it shows
 * the bytes of the line above again).
 */
static enum verdict
parse_od(const unsigned char *s, size_t len, bool complete, struct dump_line *d)
{
	size_t i = 0;
	enum verdict v, under;

	if (s[0] != ' ') {
		v = offset_column(s, len, complete, 6, true, ' ', &i);
		if (v != YES)
			return v;
		d->off_len = i;
		return od_columns(s, len, complete, i, d);
	}
	d->off_len = 0;
	v = od_columns(s, len, complete, 0, d);
	if (v == YES || d->under == 0 || len <= d->under ||
	    !blanks_to_end(s, d->under))
		return v;
	under = od_columns(s, len, complete, d->under, d);
	return under == YES                     ? YES
	       : v == PREFIX || under == PREFIX ? PREFIX
	                                        : NO;
}

/* curl --trace: "0010: 6b 5f 74 65 ... k_te..." (16 cells of 3). */
static enum verdict
curl_hex(const unsigned char *s, size_t len, bool complete, size_t i,
         struct dump_line *d)
{
	bool padding = false;

	d->n = 0;
	for (size_t c = 0; c < 16; c++, i += 3) {
		size_t avail = len - i < 3 ? len - i : 3;

		if (i >= len)
			return MORE;
		if (!padding && s[i] == ' ' && d->n > 0)
			padding = true;
		for (size_t k = 0; k < avail; k++) {
			bool ok = padding ? s[i + k] == ' '
			          : k < 2 ? is_hex(s[i + k])
			                  : s[i + k] == ' ';
			if (!ok)
				return NO;
		}
		if (avail < 3)
			return MORE;
		if (!padding && !add_byte(d, hex_byte(s + i), i, 2))
			return NO;
	}
	if (d->n == 0)
		return NO;
	return text_to_end(s, len, complete, i, d, 0x7f);
}

/* curl --trace-ascii: "0040: k_te..." (up to 64 characters). */
static enum verdict
curl_ascii(const unsigned char *s, size_t len, bool complete, size_t i,
           struct dump_line *d)
{
	if (len - i > 64)
		return NO;
	d->n = 0;
	for (; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7f || !add_byte(d, s[i], i, 0))
			return NO;
		d->text[d->n - 1] = (struct cell){(uint16_t)i, 1};
	}
	return complete ? YES : PREFIX;
}

/* A field of gdb's x command, by what its digits say. */
enum gdb_field {
	GDB_ZERO,    /* "0": decimal or octal */
	GDB_DECIMAL, /* x/db, x/ub, x/cb's number */
	GDB_OCTAL,   /* x/ob: 0141 */
	GDB_BITS,    /* x/tb: 01100001 */
	GDB_HEX,     /* x/xb, and x/xh, x/xw, x/xg: 0x6261 */
};

/* x/cb's character after its number: " 'a'", " '\\303'", " '\\''" (at
 * *i); its text cell, between the quotes, and *i past the quote. */
static enum verdict
gdb_char(const unsigned char *s, size_t len, bool complete, size_t *i,
         unsigned char b, struct cell *text)
{
	size_t at = *i + 2, k = *i + 1;

	if (k < len && s[k++] != '\'')
		return NO;
	if (k < len && s[k] == '\\') {
		k++;
		if (k < len && s[k] >= '0' && s[k] <= '3') {
			for (size_t e = k + 3; k < len && k < e; k++)
				if (s[k] < '0' || s[k] > '7')
					return NO;
		} else if (k < len) {
			if (strchr("abtnvfre\\'", s[k]) == NULL || s[k] == 0)
				return NO;
			k++;
		}
	} else if (k < len) {
		if (s[k] != b || b < 0x20 || b >= 0x7f || b == '\'')
			return NO;
		k++;
	}
	if (k >= len)
		return MORE;
	if (s[k] != '\'')
		return NO;
	*text = (struct cell){(uint16_t)at, (uint16_t)(k - at)};
	*i = k + 1;
	return YES;
}

/* 8 digits, each 0 or 1: x/tb's byte in *value. */
static bool
gdb_bits(const unsigned char *s, long *value)
{
	long v = 0;

	for (size_t j = 0; j < 8; j++) {
		if (s[j] != '0' && s[j] != '1')
			return false;
		v = v * 2 + (s[j] - '0');
	}
	*value = v;
	return true;
}

/*
 * One field of gdb's x command at s[*i] (after its tab): its bytes
 * added (a hex unit's in the target's order, little-endian, low byte
 * first), its kind in *kind, *i past it. MORE: the line ended in it.
 */
static enum verdict
gdb_field(const unsigned char *s, size_t len, bool complete, size_t *i,
          enum gdb_field *kind, size_t *group, struct dump_line *d)
{
	size_t at = *i, k = at;
	long value = 0;
	bool minus = s[k] == '-';

	if (k + 1 < len && s[k] == '0' && s[k + 1] == 'x') {
		for (k += 2; k < len && is_hex(s[k]);)
			k++;
		if (k == len && !complete)
			return PREFIX;
		if (k - at - 2 == 0 || (k - at - 2) % 2 != 0 ||
		    k - at - 2 > 16 ||
		    (*group != 0 && *group != (k - at - 2) / 2))
			return NO;
		*group = (k - at - 2) / 2;
		for (size_t j = k; j > at + 2; j -= 2)
			if (!add_byte(d, hex_byte(s + j - 2), j - 2, 2))
				return NO;
		*kind = GDB_HEX;
		*i = k;
		return YES;
	}
	for (k += minus; k < len && k - at <= 8 && s[k] >= '0' && s[k] <= '9';
	     k++)
		value = value * 10 + (s[k] - '0');
	if (k == len && !complete)
		return PREFIX;
	if (k == at + minus || k - at > 8)
		return NO;
	if (k - at == 8 && gdb_bits(s + at, &value)) {
		*kind = GDB_BITS;
	} else if (s[at] == '0' && k - at > 1) {
		value = 0;
		for (size_t j = at + 1; j < k; j++)
			if (s[j] > '7')
				return NO;
			else
				value = value * 8 + (s[j] - '0');
		*kind = GDB_OCTAL;
	} else {
		if (minus)
			value = -value;
		*kind = k - at == 1 && s[at] == '0' ? GDB_ZERO : GDB_DECIMAL;
	}
	if (value < -128 || value > 255)
		return NO;
	if (!add_byte(d, (unsigned char)value, at, k - at))
		return NO;
	*i = k;
	/* x/cb: the character after the number */
	if (*kind != GDB_BITS && k < len && s[k] == ' ')
		return gdb_char(s, len, complete, i, (unsigned char)value,
		                &d->text[d->n - 1]);
	return YES;
}

/* lldb's memory read from s + i, after its address and colon: " 73 6b
 * 5f ...  sk_" (up to 16 bytes in bare hex, two blanks, a character a
 * byte); each byte's cells its digits and its character. */
static enum verdict
lldb_bytes(const unsigned char *s, size_t len, bool complete, size_t i,
           struct dump_line *d)
{
	size_t text;

	/* " 73" a byte, up to 16 */
	while (i < len && s[i] == ' ' && d->n < 16) {
		if (len - i < 3)
			return MORE;
		if (!is_hex(s[i + 1]) || !is_hex(s[i + 2]))
			break;
		if (!add_byte(d, hex_byte(s + i + 1), i + 1, 2))
			return NO;
		i += 3;
	}
	if (d->n == 0 || i == len)
		return MORE;
	/* two blanks (more on a short last line, its text aligned), then
	 * a character a byte ('.' for what is not printable), which end
	 * the line */
	for (text = i; text < len && s[text] == ' ';)
		text++;
	if (!complete)
		return text == len || s[text] >= 0x20 ? PREFIX : NO;
	if (len - i < d->n + 2)
		return NO;
	text = len - d->n;
	for (size_t k = i; k < text; k++)
		if (s[k] != ' ')
			return NO;
	if (text - i < 2)
		return NO;
	for (size_t j = 0; j < d->n; j++) {
		if (s[text + j] < 0x20 || s[text + j] >= 0x7f)
			return NO;
		d->text[j] = (struct cell){(uint16_t)(text + j), 1};
	}
	d->layout = L_GDB;
	return YES;
}

/*
 * gdb's x command: "0x5555555580a0 <buf+8>:" (the symbol when it has
 * one), then a tab before each unit: x/xb's 0x6b, x/tb's bits, x/ob's
 * octal, x/db's and x/ub's decimal, x/cb's 107 'k'; x/xh, x/xw and x/xg
 * as units of the target's order (both orders are searched). lldb's
 * x and memory read: a blank before each unit instead, and memory
 * read's bare hex bytes and text (lldb_bytes).
 */
static enum verdict
parse_gdb(const unsigned char *s, size_t len, bool complete,
          struct dump_line *d)
{
	size_t i = 2, group = 0;
	enum gdb_field line_kind = GDB_ZERO;

	if (len < 2)
		return s[0] == '0' ? MORE : NO;
	if (s[0] != '0' || s[1] != 'x')
		return NO;
	while (i < len && i < 2 + OFFSET_MAX && is_hex(s[i]))
		i++;
	if (i == len)
		return MORE;
	if (i == 2 || is_hex(s[i]))
		return NO;
	d->off_len = i;
	if (s[i] == ' ') { /* <symbol+offset> */
		if (++i == len)
			return MORE;
		if (s[i] != '<')
			return NO;
		while (++i < len && s[i] != '>')
			if (s[i] < 0x20)
				return NO;
		if (i == len)
			return MORE;
		i++;
	}
	if (i == len)
		return MORE;
	if (s[i++] != ':')
		return NO;
	/* lldb: a blank before each field, and memory read's bytes in
	 * bare hex with their text after them */
	const unsigned char sep = i < len && s[i] == ' ' ? ' ' : '\t';

	if (sep == ' ' && len - i > 2 && is_hex(s[i + 1]) && is_hex(s[i + 2]) &&
	    (len - i == 3 || s[i + 3] == ' ')) {
		enum verdict v = lldb_bytes(s, len, complete, i, d);

		if (v != NO)
			return v;
		d->n = 0;
	}
	while (i < len) {
		enum gdb_field kind;
		enum verdict v;

		if (s[i] != sep)
			return NO;
		if (++i == len)
			return MORE;
		v = gdb_field(s, len, complete, &i, &kind, &group, d);
		if (v != YES)
			return v;
		if (kind != GDB_ZERO && line_kind != GDB_ZERO &&
		    kind != line_kind)
			return NO;
		if (kind != GDB_ZERO)
			line_kind = kind;
	}
	if (!complete)
		return PREFIX;
	if (d->n == 0)
		return NO;
	d->layout = line_kind == GDB_HEX || line_kind == GDB_BITS
	                ? L_GDB
	                : L_GDB_NUMBER;
	d->swap = group > 1 ? group : 0;
	return YES;
}

static enum verdict
parse_curl(const unsigned char *s, size_t len, bool complete,
           struct dump_line *d)
{
	size_t i;
	enum verdict v = offset_column(s, len, complete, 4, true, ':', &i);
	enum verdict hex, ascii;

	if (v != YES)
		return v;
	d->off_len = i++;
	if (i == len)
		return MORE;
	if (s[i++] != ' ')
		return NO;
	d->layout = L_CURL_HEX;
	hex = curl_hex(s, len, complete, i, d);
	if (hex == YES)
		return YES;
	d->layout = L_CURL_ASCII;
	ascii = curl_ascii(s, len, complete, i, d);
	if (ascii == YES)
		return YES;
	return hex == PREFIX || ascii == PREFIX ? PREFIX : NO;
}

/* One byte value of a list at s + i: decimal (0 to 255, or -128 to -1
 * as Java's signed byte prints) or 0xHH; its end in *end, or -1. */
static int
list_item(const unsigned char *s, size_t len, size_t i, size_t *end)
{
	unsigned value = 0;
	size_t k = i;
	bool minus = i < len && s[i] == '-';

	if (len - i >= 3 && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		/* gdb's p/x writes 0x5 for 5, xxd -i 0x05 */
		size_t digits = !is_hex(s[i + 2])                  ? 0
		                : len - i >= 4 && is_hex(s[i + 3]) ? 2
		                                                   : 1;

		if (digits == 0 ||
		    (len - i > 2 + digits && is_hex(s[i + 2 + digits])))
			return -1;
		*end = i + 2 + digits;
		return digits == 2 ? hex_byte(s + i + 2) : hex_value(s[i + 2]);
	}
	if (minus)
		i++, k++;
	while (k < len && k - i < 4 && s[k] >= '0' && s[k] <= '9')
		value = value * 10 + (unsigned)(s[k++] - '0');
	if (k == i || k - i > 3 || value > 255 || (s[i] == '0' && k - i > 1) ||
	    (minus && (value == 0 || value > 128)) ||
	    (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == 'x' ||
	                 s[k] == 'X' || s[k] == '.')))
		return -1;
	*end = k;
	return minus ? (int)(256 - value) : (int)value;
}

/* Code point c in UTF-8 at out; its length, or 0 for no scalar value. */
static size_t
utf8_encode(uint32_t c, unsigned char *out)
{
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xc0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if ((c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
		return 0;
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xe0 | c >> 12);
		out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | c >> 18);
	out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* n hex digits at s as a number, or -1. */
static long
hex_number(const unsigned char *s, size_t n)
{
	long v = 0;

	for (size_t k = 0; k < n; k++) {
		if (!is_hex(s[k]))
			return -1;
		v = v * 16 + hex_value(s[k]);
	}
	return v;
}

/* The bytes of the UTF-8 character whose first byte is c (1 for ASCII
 * and for a stray continuation byte's class as the lists read it). */
static inline size_t
utf8_width(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
}

/* The UTF-8 character at s + i: its length, or 0 where none starts
 * there (a continuation byte or an overlong lead: no program prints a
 * character so) or s ends inside it. */
static size_t
utf8_char(const unsigned char *s, size_t len, size_t i)
{
	size_t n = utf8_width(s[i]);

	if (len - i < n || (n > 1 && s[i] < 0xc2))
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A \uHHHH escape's code point at s (6 bytes there at least), or -1. */
static long
u_escape(const unsigned char *s)
{
	return s[0] == '\\' && s[1] == 'u' ? hex_number(s + 2, 4) : -1;
}

/*
 * One character of a list of characters at s + i (Python's list(s),
 * Node's [...s], JSON's, Rust's Vec<char>, Go's %q of a []rune): 'c' or
 * "c", the character itself or an escape (\\ \' \" \t \n \r, \xHH,
 * \uHHHH, \UHHHHHHHH) as they print it, Node's \b and \f (Python
 * writes \x08 and \x0c), Go's \a and \v, Rust's \u{H..},
 * and a UTF-16 pair of \u escapes (json.dumps of a character past the
 * BMP); its UTF-8 bytes in out (their count returned, 0 for none) and
 * the end past the closing quote in *end.
 */
static size_t
char_item(const unsigned char *s, size_t len, size_t i, size_t *end,
          unsigned char *out)
{
	static const char named[] = "\\\\''\"\"t\tn\nr\rb\bf\fa\av\v";
	unsigned char quote = s[i];
	size_t k = i + 1, n = 0;
	long c = -1;

	if ((quote != '\'' && quote != '"') || k >= len)
		return 0;
	if (s[k] >= 0x20 && s[k] < 0x7f && s[k] != '\\' && s[k] != quote) {
		/* most often: one printable ASCII byte */
		if (k + 1 >= len || s[k + 1] != quote)
			return 0;
		out[0] = s[k];
		*end = k + 2;
		return 1;
	}
	if (s[k] == '\\' && k + 1 < len) {
		const char *e = strchr(named, s[k + 1]);
		size_t digits = s[k + 1] == 'x'   ? 2
		                : s[k + 1] == 'u' ? 4
		                : s[k + 1] == 'U' ? 8
		                                  : 0;

		if (s[k + 1] == 'u' && len - k > 3 && s[k + 2] == '{') {
			/* Rust's \u{301}: 1 to 6 digits */
			size_t at = k + 3, m = 0;

			while (at + m < len && m < 7 && is_hex(s[at + m]))
				m++;
			if (m > 0 && m < 7 && at + m < len &&
			    s[at + m] == '}') {
				c = hex_number(s + at, m);
				k = at + m + 1;
			}
		} else if (e != NULL && (e - named) % 2 == 0 && s[k + 1] != 0) {
			out[0] = (unsigned char)e[1];
			n = 1;
			k += 2;
		} else if (digits > 0 && len - (k + 2) >= digits) {
			c = hex_number(s + k + 2, digits);
			k += 2 + digits;
			/* a high surrogate, then its low half */
			if (digits == 4 && c >= 0xd800 && c < 0xdc00 &&
			    len - k >= 6) {
				long low = u_escape(s + k);

				if (low >= 0xdc00 && low < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (low - 0xdc00);
					k += 6;
				}
			}
		}
		if (c >= 0)
			n = utf8_encode((uint32_t)c, out);
	} else if (s[k] >= 0x20 && s[k] != 0x7f && s[k] != '\\' &&
	           s[k] != quote) {
		if ((n = utf8_char(s, len, k)) == 0)
			return 0;
		memcpy(out, s + k, n);
		k += n;
	}
	if (n == 0 || k >= len || s[k] != quote)
		return 0;
	*end = k + 1;
	return n;
}

/* Whether s ends inside a quoted item at s + i (no closing quote yet,
 * and no longer than the longest: '\U0001f600'). */
static bool
item_open(const unsigned char *s, size_t len, size_t i)
{
	return (s[i] == '\'' || s[i] == '"') && len - i < 12 &&
	       memchr(s + i + 1, s[i], len - i - 1) == NULL;
}

/*
 * One byte of a list of quoted hex strings at s + i: '73' (Node's
 * b.toString(16)) or '0x73' (Python's hex(b)), of one or two digits
 * (neither pads), in either quote. Its value, or -1; the digits' start
 * in *at and the end past the closing quote in *end.
 */
static int
quoted_hex_item(const unsigned char *s, size_t len, size_t i, size_t *end,
                size_t *at)
{
	unsigned char quote = s[i];
	size_t k = i + 1, first;

	if (quote != '\'' && quote != '"')
		return -1;
	if (len - k >= 2 && s[k] == '0' && (s[k + 1] == 'x' || s[k + 1] == 'X'))
		k += 2;
	first = k;
	while (k < len && k - first < 3 && is_hex(s[k]))
		k++;
	if (k == first || k - first > 2 || k == len || s[k] != quote)
		return -1;
	*at = first;
	*end = k + 1;
	return (int)hex_number(s + first, k - first);
}

/* The characters of text at s + *k: YES with *k past them; MORE: the
 * line ends within them. */
static enum verdict
text_at(const unsigned char *s, size_t len, bool complete, size_t *k,
        const char *text)
{
	for (; *text != '\0'; text++, (*k)++) {
		if (*k == len)
			return MORE;
		if (s[*k] != (unsigned char)*text)
			return NO;
	}
	return YES;
}

/*
 * An item's index before it, at s + *i: YAML's "17: " (Node's test
 * runner reports a Buffer so, a byte a line) or PHP's print_r
 * "[17] => "; YES with *i past it; PREFIX: the line ends within what
 * may be one (digits alone may be an item too: the caller decides).
 */
static enum verdict
index_lead(const unsigned char *s, size_t len, size_t *i)
{
	size_t k = *i, digits;
	const bool php = k < len && s[k] == '[';

	k += php;
	for (digits = k;
	     k < len && k - digits < 7 && s[k] >= '0' && s[k] <= '9';)
		k++;
	if (k == digits || k - digits > 6)
		return k == len && php ? PREFIX : NO;
	enum verdict v = k == len ? PREFIX
	                 : php    ? text_at(s, len, false, &k, "] ")
	                          : text_at(s, len, false, &k, ": ");

	/* "[17] => " (PHP's print_r), "[17] = " (lldb's frame variable) */
	if (v == YES && php) {
		if (k < len && s[k] == '=')
			k++;
		else if (k < len)
			return NO;
		if (k < len && s[k] == '>')
			k++;
		v = k == len ? PREFIX : text_at(s, len, false, &k, " ");
	}

	if (v == YES)
		*i = k;
	return v;
}

/*
 * What a list starts with, after blanks: a diff's mark ("+" or "-" and
 * blanks: Node's assert diff of a Buffer, a byte a line; or the mark
 * right before "[": minitest's diff of an Array), then "[",
 * "{", numpy's repr() "array([", gdb's value history "$1 = {" (p/x,
 * p/d of an array: *history set), an item's index (index_lead), or
 * nothing; *i past it. MORE: the line ends within it.
 */
static enum verdict
list_lead(const unsigned char *s, size_t len, bool complete, size_t *i,
          bool *history)
{
	size_t k = *i;
	enum verdict v;

	while (k < len && s[k] == ' ')
		k++;
	if (k < len && (s[k] == '+' || s[k] == '-')) {
		if (k + 1 == len)
			return MORE;
		if (s[k + 1] == ' ')
			for (k += 2; k < len && s[k] == ' ';)
				k++;
		else if (s[k + 1] == '[') /* minitest's "+[...]" */
			k++;
	}
	*i = k;
	if (k < len && s[k] == 'a') {
		size_t a = k;

		/* or bare hex items ("ab, cd"); a matrix's "array([[" */
		if ((v = text_at(s, len, complete, &a, "array([")) != NO) {
			while (a < len && s[a] == '[')
				a++;
			*i = a;
			return v;
		}
	}
	v = index_lead(s, len, i);
	if (v == YES || (v == PREFIX && !complete))
		return v;
	if (k < len && (s[k] == '[' || s[k] == '{')) {
		*i = k + 1;
		return YES;
	}
	if (k == len || s[k] != '$')
		return YES;
	for (k++; k < len && s[k] >= '0' && s[k] <= '9';)
		k++;
	if (k == *i + 1)
		return k == len ? MORE : NO;
	if ((v = text_at(s, len, complete, &k, " = {")) != YES)
		return v;
	*i = k;
	*history = true;
	return YES;
}

/* gdb's " <repeats 15 times>" after an item at s + i: YES with *end
 * past it; MORE: the line ends within it. */
static enum verdict
repeats_at(const unsigned char *s, size_t len, size_t i, bool complete,
           size_t *end)
{
	size_t k = i, digits;
	enum verdict v = text_at(s, len, complete, &k, " <repeats ");

	if (v != YES)
		return v;
	for (digits = k; k < len && s[k] >= '0' && s[k] <= '9';)
		k++;
	if (k == len)
		return MORE;
	if (k == digits)
		return NO;
	if ((v = text_at(s, len, complete, &k, " times>")) == YES)
		*end = k;
	return v;
}

/* A character of a numpy type's name as repr() writes it: uint8, '<U1',
 * '|S1'. */
static inline bool
dtype_char(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= '0' && c <= '9') || c == '\'' || c == '<' || c == '>' ||
	       c == '|' || c == '_';
}

/*
 * What closes a list, from s + i to the line's end: "]", "}", ")", ";",
 * ">", "," and blanks (not NUL, which strchr finds too: a partial line with
 * NULs is no list's, so neither is the whole line), and after a "]"
 * numpy's repr() ends an array with its type: ", dtype=uint8)",
 * "dtype='<U1')". MORE: the line ends where it may go on so.
 */
static enum verdict
list_close(const unsigned char *s, size_t len, size_t i, bool complete)
{
	bool bracket = false;

	for (; i < len; i++) {
		if (s[i] == 'd' && bracket) {
			enum verdict v =
			    text_at(s, len, complete, &i, "dtype=");

			if (v != YES)
				return v;
			while (i < len && dtype_char(s[i]))
				i++;
			if (i == len)
				return MORE;
			if (s[i] != ')')
				return NO;
			bracket = false;
			continue;
		}
		/* ">>": Elixir's <<215, 237, ...>> of a binary */
		if (s[i] == 0 || !strchr(",]}); >", s[i]))
			return NO;
		bracket = bracket || s[i] == ']';
	}
	return complete ? YES : PREFIX;
}

/* Whether s (a line not yet complete) may be the start of a list of
 * characters: blanks, "[", then quoted characters, commas and blanks,
 * and what closes it. */
static bool
char_list_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0, end, at;
	unsigned char bytes[4];

	bool history = false;

	if (list_lead(s, len, false, &i, &history) != YES)
		return false;
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i == len)
			return true;
		if (strchr("]});", s[i]) != NULL && s[i] != 0)
			return list_close(s, len, i, false) != NO;
		if (char_item(s, len, i, &end, bytes) == 0 &&
		    quoted_hex_item(s, len, i, &end, &at) < 0)
			return item_open(s, len,
			                 i); /* the line may end in it */
		i = end;
	}
}

/* Whether s (a line not yet complete) may be the start of Java's
 * Arrays.toString of a char[]: blanks, "[", characters as they are one
 * ", " apart, and what closes it. */
static bool
bare_list_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i == len || s[i] != '[')
		return i == len;
	for (i++; i < len;) {
		size_t n = utf8_width(s[i]);

		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (len - i <= n)
			return true; /* the line ends within the item */
		i += n;
		if (s[i] == ']') /* what closes it, as the line may end */
			return list_close(s, len, i, false) != NO;
		if (s[i] != ',' || (i + 1 < len && s[i + 1] != ' '))
			return false;
		i += 2;
	}
	return true;
}

/* Past a colour code (ESC [ digits and semicolons m) at s + i. */
static size_t
skip_colour(const unsigned char *s, size_t len, size_t i)
{
	size_t k;

	while (len - i >= 3 && s[i] == 0x1b && s[i + 1] == '[') {
		for (k = i + 2;
		     k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == ';');)
			k++;
		if (k == len || s[k] != 'm')
			break;
		i = k + 1;
	}
	return i;
}

/* hexyl's glyph for byte b in its text column: printable ASCII (and the
 * blank) as itself, NUL "0", the other whitespace "_", other ASCII "•",
 * a byte past ASCII "×"; its length. */
static size_t
hexyl_glyph(unsigned char b, unsigned char glyph[3])
{
	if (b >= 0x80) {
		memcpy(glyph, "\xc3\x97", 2);
		return 2;
	}
	if (b == 0 || b == '\t' || b == '\n' || b == '\f' || b == '\r' ||
	    (b >= 0x20 && b < 0x7f)) {
		glyph[0] = b == 0 ? '0' : b < 0x20 ? '_' : b;
		return 1;
	}
	memcpy(glyph, "\xe2\x80\xa2", 3);
	return 3;
}

/* Whether s ends inside a colour code from i on ("\x1b[38;5"): a line
 * not yet complete may go on with its rest. */
static bool
colour_cut(const unsigned char *s, size_t len, size_t i)
{
	if (i == len || s[i] != 0x1b)
		return false;
	if (++i < len && s[i++] != '[')
		return false;
	while (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
		i++;
	return i == len;
}

/* Colour codes at s + *i skipped; MORE where s ends inside one. */
static enum verdict
hexyl_colour(const unsigned char *s, size_t len, bool complete, size_t *i)
{
	*i = skip_colour(s, len, *i);
	return colour_cut(s, len, *i) ? MORE : YES;
}

/* The border text at s + *i (past it), colour codes before it skipped. */
static enum verdict
hexyl_border(const unsigned char *s, size_t len, bool complete, size_t *i,
             const char *border)
{
	size_t n = strlen(border);
	enum verdict v = hexyl_colour(s, len, complete, i);

	if (v != YES)
		return v;
	for (size_t k = 0; k < n; k++, (*i)++)
		if (*i == len)
			return MORE;
		else if (s[*i] != (unsigned char)border[k])
			return NO;
	return YES;
}

/*
 * hexyl (its default borders, Unicode or --border ascii, or a blank
 * for each with --border none; colour codes around each field, as it
 * writes them even into a pipe):
 * "│00000010│ 6e 52 35 74 59 31 75 49 ┊ 37 6f ... │nR5tY1uI┊7oP2aSx4│".
 * 16 bytes a line in two halves, a short last line padded with blanks,
 * the text column's glyphs as hexyl_glyph says. Its lines follow on
 * whatever their offsets (off_len 0).
 */
static enum verdict
parse_hexyl(const unsigned char *s, size_t len, bool complete,
            struct dump_line *d)
{
	const bool ascii = len > 0 && s[0] == '|',
	           none = len > 0 && s[0] == ' ';
	const char *outer = none    ? " "
	                    : ascii ? "|"
	                            : "\xe2\x94\x82",
	           *inner = none    ? " "
	                    : ascii ? "|"
	                            : "\xe2\x94\x8a";
	size_t i = 0, digits, n;
	enum verdict v;

	if ((v = hexyl_border(s, len, complete, &i, outer)) != YES)
		return v;
	if ((v = hexyl_colour(s, len, complete, &i)) != YES)
		return v;
	for (digits = 0; i < len && is_hex(s[i]) && digits <= OFFSET_MAX;)
		i++, digits++;
	if (i == len)
		return MORE;
	if (digits < 8 || digits > OFFSET_MAX)
		return NO;
	if ((v = hexyl_border(s, len, complete, &i, outer)) != YES ||
	    (v = hexyl_border(s, len, complete, &i, " ")) != YES)
		return v;
	for (size_t j = 0; j < 16; j++) { /* "6e ", or "   " past the end */
		if (j == 8 &&
		    ((v = hexyl_border(s, len, complete, &i, inner)) != YES ||
		     (v = hexyl_border(s, len, complete, &i, " ")) != YES))
			return v;
		if ((v = hexyl_colour(s, len, complete, &i)) != YES)
			return v;
		if (len - i < 3)
			return MORE;
		if (s[i] == ' ' && s[i + 1] == ' ' && s[i + 2] == ' ' &&
		    j > 0 && d->n < j + 1) {
			i += 3;
			continue;
		}
		if (d->n != j || !is_hex(s[i]) || !is_hex(s[i + 1]) ||
		    s[i + 2] != ' ' || !add_byte(d, hex_byte(s + i), i, 2))
			return NO;
		i += 3;
	}
	if ((v = hexyl_border(s, len, complete, &i, outer)) != YES)
		return v;
	n = d->n;
	for (size_t j = 0; j < 16; j++) {
		unsigned char glyph[3];
		size_t g;

		if (j == 8 &&
		    (v = hexyl_border(s, len, complete, &i, inner)) != YES)
			return v;
		if ((v = hexyl_colour(s, len, complete, &i)) != YES)
			return v;
		if (j >= n) {
			if (i == len)
				return MORE;
			if (s[i++] != ' ')
				return NO;
			continue;
		}
		g = hexyl_glyph(d->bytes[j], glyph);
		if (len - i < g)
			return MORE;
		if (memcmp(s + i, glyph, g) != 0) {
			sodium_memzero(glyph, sizeof(glyph));
			return NO;
		}
		sodium_memzero(glyph, sizeof(glyph));
		d->text[j] = (struct cell){(uint16_t)i, (uint16_t)g};
		i += g;
	}
	if ((v = hexyl_border(s, len, complete, &i, outer)) != YES)
		return v;
	if ((v = hexyl_colour(s, len, complete, &i)) != YES)
		return v;
	if (!complete)
		return i == len ? PREFIX : NO;
	return i == len ? YES : NO;
}

/*
 * A list of byte values as programs print a value's bytes, with no
 * offset: blanks, an optional "[", numbers 0 to 255 (or xxd -i's 0xHH)
 * with "," and blanks between, then an optional "," and closing
 * brackets; colour codes may stand around each number (util.inspect on
 * a terminal). So util.inspect's rows ("  115, 107,  95,"), a list one
 * number a line at any indentation (pprint, json.dumps, util.inspect
 * with compact false) and xxd -i ("  0x73, 0x6b,"). With quoted_hex,
 * quoted hex strings instead ("'73', '6b'", "['0x73', '0x6b'"): a
 * value's bytes mapped to hex in Node or Python and printed as a list.
 * With LIST_BARE, characters as they are, one apart from the next by
 * ", " ("[U, h, ,,  , f]": Java's Arrays.toString of a char[]). With
 * LIST_BARE_HEX, one or two hex digits bare ("73,6b,5f": Python's
 * bytes.hex(","); "73, 6b", Node's join(", ") of toString(16); Rust's
 * {:x?} of a Vec<u8>, "[73, 6b, 5]"), a letter in one item at least.
 */
enum list_mode { LIST_NUMBERS, LIST_QUOTED_HEX, LIST_BARE, LIST_BARE_HEX };

/* Whether s may be a line of bare hex items (LIST_BARE_HEX): one or
 * two hex digits, a comma and blanks before each next, up to an item
 * with a letter followed by a comma, a blank or what closes a list (a
 * line of decimal numbers, a CSV row's, has none: it is no such list;
 * "42,bob" is none) or, where the line is not complete, to its end
 * (after a separator too: a write may end there). */
static bool
bare_hex_head(const unsigned char *s, size_t len, bool complete)
{
	size_t i = 0;

	for (;;) {
		size_t k = i;
		bool letter = false;

		if (i == len) /* after a separator: the next item to come */
			return !complete;
		for (; k < len && k - i < 3 && is_hex(s[k]); k++)
			letter = letter || s[k] > '9';
		if (k == i || k - i > 2)
			return false;
		if (k == len)
			return !complete || letter;
		if (letter)
			return s[k] == ',' || s[k] == ' ' || s[k] == ']' ||
			       s[k] == '}' || s[k] == ')' || s[k] == ';';
		if (s[k] != ',')
			return false;
		for (k++; k < len && s[k] == ' ';)
			k++;
		i = k;
	}
}

/* One or two hex digits bare at s + i, followed by no word character:
 * their byte, *end past them; -1 when none. */
static int
bare_hex_item(const unsigned char *s, size_t len, size_t i, size_t *end)
{
	size_t k = i;

	while (k < len && k - i < 3 && is_hex(s[k]))
		k++;
	if (k == i || k - i > 2 ||
	    (k < len && (s[k] == '_' || (s[k] | 0x20) == 'x' ||
	                 ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))))
		return -1;
	*end = k;
	return k - i == 2 ? hex_byte(s + i) : hex_value(s[i]);
}

/* One character as it is at s + i, ended by "," or "]" (a blank or a
 * comma among them): its UTF-8 bytes in out, their count (0: none); *end
 * past it. */
static size_t
bare_char_item(const unsigned char *s, size_t len, size_t i, size_t *end,
               unsigned char *out)
{
	size_t n = utf8_width(s[i]);

	/* Java writes a char[] as UTF-8 */
	if (s[i] < 0x20 || s[i] == 0x7f || len - i <= n ||
	    (s[i + n] != ',' && s[i + n] != ']' && s[i + n] != '}') ||
	    utf8_char(s, len, i) != n)
		return 0;
	memcpy(out, s + i, n);
	*end = i + n;
	return n;
}

static enum verdict
parse_list_as(const unsigned char *s, size_t len, struct dump_line *d,
              enum list_mode mode)
{
	const bool quoted_hex = mode == LIST_QUOTED_HEX;
	size_t i = 0, end, letters = 0;
	enum {
		DECIMAL,
		HEX,
		CHARACTER,
		QUOTED_HEX,
		NUMBER_CHAR,
		BARE
	} kind = DECIMAL;

	bool history = false;

	if (list_lead(s, len, true, &i, &history) != YES)
		return NO;
	/* numpy pads a matrix row's first number: "[ 49, 122" */
	if (mode == LIST_NUMBERS && i > 0 && s[i - 1] == '[')
		while (i + 1 < len && s[i] == ' ' && s[i + 1] <= '9' &&
		       (s[i + 1] == ' ' || s[i + 1] >= '0'))
			i++;
	for (;;) {
		unsigned char chars[4];
		size_t n = 0, at = 0, past;
		int b;

		if (mode != LIST_BARE)
			i = skip_colour(s, len, i);
		if (quoted_hex) {
			b = i < len ? quoted_hex_item(s, len, i, &end, &at)
			            : -1;
		} else if (mode == LIST_BARE_HEX) {
			b = i < len ? bare_hex_item(s, len, i, &end) : -1;
			for (size_t k = i; b >= 0 && k < end; k++)
				letters += s[k] > '9';
		} else if (mode == LIST_BARE) {
			n = i < len ? bare_char_item(s, len, i, &end, chars)
			            : 0;
			b = n > 0 ? chars[0] : -1;
		} else {
			n = i < len ? char_item(s, len, i, &end, chars) : 0;
			b = n > 0 ? chars[0] : list_item(s, len, i, &end);
		}

		/* one kind a line: 0xHH, decimal (signed or not), a
		 * character quoted, a hex string quoted, gdb's p/c (a
		 * number and its character: "107 'k'", one cell) */
		bool hex = b >= 0 && n == 0 && !quoted_hex && s[i] == '0' &&
		           end - i > 2 && (s[i + 1] | 0x20) == 'x';
		bool with_char = b >= 0 && n == 0 && !quoted_hex && !hex &&
		                 history && end + 1 < len && s[end] == ' ' &&
		                 s[end + 1] == '\'';
		struct cell shown;

		if (with_char && gdb_char(s, len, true, &end, (unsigned char)b,
		                          &shown) != YES)
			return NO;
		if (b < 0 || (d->n > 0 && kind != (quoted_hex ? QUOTED_HEX
		                                   : mode == LIST_BARE ? BARE
		                                   : n > 0     ? CHARACTER
		                                   : hex       ? HEX
		                                   : with_char ? NUMBER_CHAR
		                                               : DECIMAL)))
			return NO;
		kind = quoted_hex          ? QUOTED_HEX
		       : mode == LIST_BARE ? BARE
		       : n > 0             ? CHARACTER
		       : hex               ? HEX
		       : with_char         ? NUMBER_CHAR
		                           : DECIMAL;
		/* a character's bytes share its cell, within the quotes; a
		 * quoted hex string's cell is its digits */
		for (size_t k = 0; k < (n > 0 ? n : 1); k++)
			if (!add_byte(d, n > 0 ? chars[k] : (unsigned char)b,
			              kind == DECIMAL || kind == NUMBER_CHAR ||
			                      kind == BARE
			                  ? i
			              : kind == QUOTED_HEX
			                  ? at
			                  : i + (kind == HEX ? 2 : 1),
			              kind == DECIMAL || kind == NUMBER_CHAR ||
			                      kind == BARE
			                  ? end - i
			              : kind == HEX        ? end - i - 2
			              : kind == QUOTED_HEX ? end - 1 - at
			                                   : end - i - 2))
				return NO;
		sodium_memzero(chars, sizeof(chars));
		if ((kind == DECIMAL || kind == HEX || kind == NUMBER_CHAR) &&
		    repeats_at(s, len, end, true, &past) == YES)
			end = past;
		i = mode == LIST_BARE ? end : skip_colour(s, len, end);
		/* bare characters: ", " and the next, whatever it is */
		if (mode == LIST_BARE) {
			if (len - i < 3 || s[i] != ',' || s[i + 1] != ' ')
				break;
			i += 2;
			continue;
		}
		/* 0xHH items may stand one blank apart (a C loop's
		 * printf("0x%02x ", b), Python's print(*map(hex, b))) */
		if (kind == HEX && i + 2 < len && s[i] == ' ' &&
		    s[i + 1] == '0' && (s[i + 2] | 0x20) == 'x') {
			i++;
			continue;
		}
		if (i == len || s[i] != ',')
			break;
		for (i++; i < len && s[i] == ' ';)
			i++;
		if (i == len ||
		    !((s[i] >= '0' && s[i] <= '9') || s[i] == 0x1b ||
		      s[i] == '\'' || s[i] == '"' || s[i] == '-' ||
		      (mode == LIST_BARE_HEX && is_hex(s[i]))))
			break;
	}
	if (mode == LIST_BARE_HEX && letters == 0)
		return NO; /* decimal, read as such */
	return list_close(s, len, i, true);
}

/* R's index before a row of a vector (" [1] ", "[26] "), its blanks
 * after it: true with *i past them. */
static bool
r_index(const unsigned char *s, size_t len, size_t *i)
{
	size_t at = 0, k;

	while (at < len && s[at] == ' ')
		at++;
	for (k = at + 1; k < len && k - at <= 10 && s[k] >= '0' && s[k] <= '9';)
		k++;
	if (at >= len || s[at] != '[' || k == at + 1 || k + 1 >= len ||
	    s[k] != ']' || s[k + 1] != ' ')
		return false;
	for (k++; k < len && s[k] == ' ';)
		k++;
	*i = k;
	return true;
}

/* Whether s from i (a row of R's a write ended inside) may go on as a
 * row of numbers, hex pairs or quoted characters a blank apart: no line
 * break, no control, and no item of more than 8 bytes but a quoted one
 * of an escape or a character. */
static bool
r_row_prefix(const unsigned char *s, size_t len, size_t i)
{
	size_t item = 0;

	for (; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		item = s[i] == ' ' ? 0 : item + 1;
		if (item > 8)
			return false;
	}
	return true;
}

/* Whether R's row of a vector from s + i holds a raw vector's bytes:
 * pairs of hex digits a blank apart, to the line's end, a letter among
 * them. */
static bool
r_raw_row(const unsigned char *s, size_t len, size_t i)
{
	bool letter = false;

	for (; i < len; i += 3) {
		if (i + 1 >= len || !is_lower_hex(s[i]) ||
		    !is_lower_hex(s[i + 1]) || (i + 2 < len && s[i + 2] != ' '))
			return false;
		letter = letter || s[i] > '9' || s[i + 1] > '9';
	}
	return letter;
}

/*
 * numpy's print() of an array of bytes or characters: items one blank
 * or more apart, each right-aligned to the widest ("[115 107  95",
 * "[ 72 101", "['s' 'k'"), in a "[" a dimension ("[[", " [") or none
 * where a row wraps (the line right after a list line: d->list_next);
 * decimal bytes (uint8; int8's minus) or quoted characters (a str
 * array's items, as repr() writes them), one kind a line, then the "]"s
 * that close it. Wrapped rows are one stream with the line before.
 */
static enum verdict
parse_list_blanks(const unsigned char *s, size_t len, struct dump_line *d)
{
	size_t i = 0, brackets = 0, end, k;
	bool chars = false, hex = false;

	/* R's row of a vector: its first item's index, " [1] ", "[26] ";
	 * a raw vector's bytes are hex pairs (read so where a letter is
	 * among them) */
	if (r_index(s, len, &k)) {
		i = k;
		brackets = 1;
		hex = r_raw_row(s, len, i);
	}
	while (i < len && s[i] == ' ')
		i++;
	for (; i < len && (s[i] == '[' || (brackets > 0 && s[i] == ' ')); i++)
		brackets += s[i] == '[';
	if (brackets == 0 && !d->list_next)
		return NO;
	for (;;) {
		unsigned char c[4];
		size_t n = i < len && !hex ? char_item(s, len, i, &end, c) : 0;
		int b = n > 0     ? c[0]
		        : hex     ? (end = i + 2, hex_byte(s + i))
		        : i < len ? list_item(s, len, i, &end)
		                  : -1;
		/* no 0xHH (a blank apart, LIST_NUMBERS reads them) */
		bool added = b >= 0 && (d->n == 0 || chars == (n > 0)) &&
		             (n > 0 || hex || s[i] != '0' || end - i == 1);

		chars = n > 0;
		/* a character's bytes share its cell, within its quotes */
		for (size_t k2 = 0; added && k2 < (n > 0 ? n : 1); k2++)
			added = add_byte(d, n > 0 ? c[k2] : (unsigned char)b,
			                 n > 0 ? i + 1 : i,
			                 n > 0 ? end - i - 2 : end - i);
		sodium_memzero(c, sizeof(c));
		if (!added)
			return NO;
		i = end;
		if (i == len || s[i] != ' ')
			break;
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
	}
	d->list_blanks = true;
	return list_close(s, len, i, true);
}

/*
 * A list of a text's code points in decimal, one past 255 at least (else
 * it reads as bytes): Python's [ord(c) for c in s], Java's codePoints(),
 * JSON and Node's rows of them. Each item's UTF-8 bytes share its cell;
 * a UTF-16 pair (JavaScript's charCodeAt, Java's chars()) is one code
 * point, its first two bytes in the high half's cell, the others in the
 * low half's. A lone half (charCodeAt(0) of each character of an
 * Array.from, a pair cut by the line's end) stands for no bytes.
 */
static enum verdict
parse_code_points(const unsigned char *s, size_t len, struct dump_line *d)
{
	size_t i = 0, high_at = 0, high_len = 0;
	uint32_t high = 0;
	bool history = false;

	if (list_lead(s, len, true, &i, &history) != YES || history)
		return NO;
	for (;;) {
		unsigned char bytes[4];
		uint32_t cp = 0;
		size_t k, n, split = 0;
		bool added = true;

		i = skip_colour(s, len, i);
		for (k = i; k < len && k - i < 8 && s[k] >= '0' && s[k] <= '9';
		     k++)
			cp = cp * 10 + (uint32_t)(s[k] - '0');
		if (k == i || k - i > 7 || (s[i] == '0' && k - i > 1) ||
		    cp > 0x10ffff ||
		    (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' ||
		                 (s[k] | 0x20) == 'x')))
			return NO;
		if (cp >= 0xd800 && cp < 0xdc00) {
			high = cp; /* a half before it stands for nothing */
			high_at = i;
			high_len = k - i;
		} else if (cp >= 0xdc00 && cp < 0xe000 && high == 0) {
			/* a low half alone: nothing */
		} else {
			if (cp >= 0xdc00 && cp < 0xe000) {
				cp = 0x10000 + ((high - 0xd800) << 10) +
				     (cp - 0xdc00);
				split = 2;
			}
			n = utf8_encode(cp, bytes);
			for (size_t b = 0; b < n && added; b++)
				added = add_byte(d, bytes[b],
				                 b < split ? high_at : i,
				                 b < split ? high_len : k - i);
			sodium_memzero(bytes, sizeof(bytes));
			if (n == 0 || !added)
				return NO;
			high = 0;
		}
		i = skip_colour(s, len, k);
		if (i == len || s[i] != ',')
			break;
		for (i++; i < len && s[i] == ' ';)
			i++;
		if (i == len || !((s[i] >= '0' && s[i] <= '9') || s[i] == 0x1b))
			break;
	}
	return list_close(s, len, i, true);
}

/*
 * Whether a complete line starts as a JSON object's member does, after
 * blanks and what leads a list: a quoted string of no backslash, ESC or
 * control character, then ":" ("name": ...). Every reading of a list
 * ends its first item at that quote and finds neither "," nor what
 * closes a list after it: such a line is none, and pretty-printed JSON
 * is mostly such lines.
 */
static bool
key_first(const unsigned char *s, size_t len)
{
	size_t i = 0;
	bool history = false;

	if (list_lead(s, len, true, &i, &history) != YES || i == len ||
	    s[i] != '"')
		return false;
	for (i++; i < len && s[i] != '"'; i++)
		if (s[i] == '\\' || s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return i + 1 < len && s[i + 1] == ':';
}

static enum verdict
parse_list(const unsigned char *s, size_t len, bool complete,
           struct dump_line *d)
{
	size_t i = 0;

	bool history = false;

	if (!complete) {
		enum verdict lead;

		/* R's row of a vector so far */
		if (r_index(s, len, &i))
			return r_row_prefix(s, len, i) ? PREFIX : NO;
		lead = list_lead(s, len, false, &i, &history);
		if (lead != YES || history)
			/* gdb's p/x: held to its end, " <repeats 15 times>"
			 * and all */
			return lead == YES ? PREFIX : lead;
		for (; i < len; i++) {
			size_t end;

			switch (s[i] == ' ' ? repeats_at(s, len, i, false, &end)
			                    : NO) {
			case PREFIX:
				return PREFIX;
			case YES:
				i = end - 1;
				continue;
			case NO:
				break;
			}
			/* numpy's repr() of an array ends in its type */
			if (s[i] == ']' && list_close(s, len, i, false) != NO)
				return PREFIX;
			if (s[i] == 0 || (!is_hex(s[i]) &&
			                  !strchr(" [{,xX]});\x1bm-", s[i])))
				return char_list_prefix(s, len) ||
				               bare_list_prefix(s, len)
				           ? PREFIX
				           : NO;
		}
		return PREFIX;
	}
	if (key_first(s, len))
		return NO;
	/* a wrapped row first: its last item alone ("  52]") reads
	 * either way, and numpy's padding goes as an item is masked */
	if (d->list_next && parse_list_blanks(s, len, d) == YES)
		return YES;
	d->n = 0;
	d->list_blanks = false;
	if (parse_list_as(s, len, d, LIST_NUMBERS) == YES)
		return YES;
	d->n = 0;
	if (!d->list_next && parse_list_blanks(s, len, d) == YES)
		return YES;
	d->list_blanks = false;
	d->n = 0;
	if (d->code_points && parse_code_points(s, len, d) == YES)
		return YES;
	if (list_lead(s, len, true, &i, &history) != YES)
		return NO;
	d->n = 0;
	/* Java's Arrays.toString of a char[]: in brackets, bare */
	if (i > 0 && s[i - 1] == '[' &&
	    parse_list_as(s, len, d, LIST_BARE) == YES)
		return YES;
	/* '7' is a character and a hex string: a line of quoted items
	 * that are not all characters may be hex strings */
	i = skip_colour(s, len, i);
	if (i < len && is_hex(s[i])) {
		d->n = 0;
		return parse_list_as(s, len, d, LIST_BARE_HEX);
	}
	if (i == len || (s[i] != '\'' && s[i] != '"'))
		return NO;
	d->n = 0;
	return parse_list_as(s, len, d, LIST_QUOTED_HEX);
}

/* Decimal bytes joined by dots from s + i (Perl's sprintf("%vd")), to
 * the line's end or a blank. */
static size_t
parse_dotted(const unsigned char *s, size_t len, size_t i, struct dump_line *d)
{
	for (;;) {
		unsigned value = 0;
		size_t end = i;

		while (end < len && end - i < 4 && s[end] >= '0' &&
		       s[end] <= '9')
			value = value * 10 + (unsigned)(s[end++] - '0');
		if (end == i || end - i > 3 || value > 255 ||
		    (s[i] == '0' && end - i > 1) ||
		    !add_byte(d, (unsigned char)value, i, end - i))
			return 0;
		if (end == len || s[end] != '.')
			return end;
		i = end + 1;
	}
}

/* Bytes in eight binary digits each, one blank apart, from s + i
 * (" ".join(f"{b:08b}")): their end, or 0. */
static size_t
parse_bits(const unsigned char *s, size_t len, size_t i, struct dump_line *d)
{
	for (;;) {
		int b = len - i >= 8 ? bits_byte(s + i) : -1;

		if (b < 0 || !add_byte(d, (unsigned char)b, i, 8))
			return 0;
		i += 8;
		if (i == len || s[i] != ' ' || i + 1 == len || s[i + 1] == ' ')
			return i;
		i++;
	}
}

/* Hex groups of an even number of digits each from s + i, with the
 * separator sep between (its end returned, 0 for none): all as wide,
 * but the first or the last may be narrower (Python groups from the
 * right, or with a negative count from the left). */
static size_t
parse_hex_groups(const unsigned char *s, size_t len, size_t i,
                 unsigned char sep, struct dump_line *d)
{
	size_t width = 0, groups = 0, last = 0;

	for (;;) {
		size_t k = i;

		while (k < len && is_hex(s[k]))
			k++;
		if (k == i || (k - i) % 2 != 0)
			return 0;
		/* a wider group than the first: the first was the short one */
		if (groups == 1 && k - i > width)
			width = k - i;
		else if (groups == 0)
			width = k - i;
		else if (last != width || k - i > width)
			return 0; /* only the last may be narrower */
		for (size_t j = i; j < k; j += 2)
			if (!add_byte(d, hex_byte(s + j), j, 2))
				return 0;
		last = k - i;
		groups++;
		if (k == len || s[k] != sep)
			return groups >= 2 ? k : 0;
		i = k + 1;
		if (i == len) /* a separator ends the line: openssl's -text */
			return groups >= 2 ? len : 0;
	}
}

/* What joins the groups of a joined line: one of " :-_." (a test, not
 * strchr: it is asked of every line that starts with hex digits). */
static inline bool
is_joiner(unsigned char c)
{
	return c == ' ' || c == ':' || c == '-' || c == '_' || c == '.';
}

/*
 * A value's bytes joined on a line of their own, blanks around: hex in
 * groups with one separator between (Python's bytes.hex(sep, n) and
 * memoryview.hex for any n), decimal bytes joined by dots (Perl's %vd)
 * or eight binary digits a byte, one blank apart.
 */
static enum verdict
parse_joined(const unsigned char *s, size_t len, bool complete,
             struct dump_line *d)
{
	size_t i = 0, k, end;

	while (i < len && s[i] == ' ')
		i++;
	if (!complete) {
		/* hex digits with one separator between, each followed by
		 * a digit: a prompt ("add: ") passes at once */
		unsigned char sep = 0;

		for (k = i; k < len; k++) {
			if (is_hex(s[k]))
				continue;
			if (k == i || !is_hex(s[k - 1]) || s[k] == 0 ||
			    !is_joiner(s[k]) || (sep != 0 && s[k] != sep) ||
			    (k + 1 < len && !is_hex(s[k + 1])))
				return NO;
			sep = s[k];
		}
		return PREFIX;
	}
	for (k = i; k < len && is_hex(s[k]);)
		k++;
	if (k == len || !is_joiner(s[k]))
		return NO;
	end = s[k] == '.' ? parse_dotted(s, len, i, d) : 0;
	if (end != 0 && d->n >= 2 && blanks_to_end(s + end, len - end)) {
		d->layout = L_DOTTED;
	} else if (k - i == 8 && s[k] == ' ' &&
	           (d->n = 0, end = parse_bits(s, len, i, d)) != 0 &&
	           d->n >= 2) {
		/* bits: masked as hex groups are, each cell whole */
	} else {
		d->n = 0;
		end = parse_hex_groups(s, len, i, s[k], d);
		if (end == 0)
			return NO;
	}
	while (end < len && s[end] == ' ')
		end++;
	return end == len ? YES : NO;
}

/*
 * A value's characters one blank apart, on a line of their own: Python's
 * print(*key), Perl's "@chars", Go's %c of a []rune (in brackets),
 * sed 's/./& /g' (a blank after the last). SPACED_HEAD items make a
 * line worth reading as such; fewer and the line is text. A masked
 * character becomes one star, whatever its UTF-8 length (list_mask).
 */
#define SPACED_HEAD 4

/* Whether the character at s + i may be such an item: not a border, a
 * "|" or a box-drawing glyph (U+2500 to U+257F): a table's lines of
 * borders ("│ │ │") and its rows of one-character cells are no value's. */
static inline bool
spaced_char(const unsigned char *s, size_t len, size_t i)
{
	return s[i] != '|' &&
	       !(s[i] == 0xe2 && len - i > 1 && (s[i + 1] | 1) == 0x95);
}

/* The items of such a line at s (a "[" first, or not) that its first
 * bytes show, up to SPACED_HEAD: what a line's start is tested for. */
static size_t
spaced_items(const unsigned char *s, size_t len)
{
	size_t i = len > 0 && s[0] == '[' ? 1 : 0, items = 0;

	while (items < SPACED_HEAD && i < len) {
		size_t n = utf8_width(s[i]);

		if (s[i] <= ' ' || s[i] == 0x7f || len - i < n ||
		    !spaced_char(s, len, i))
			break;
		items++;
		i += n;
		if (i == len || s[i] != ' ')
			break;
		i++;
	}
	return items;
}

/* Whether a complete line at s starts as one: its first item's blank
 * looked at before the items are counted (most lines fail there). */
static inline bool
spaced_start(const unsigned char *s, size_t len)
{
	size_t i = len > 0 && s[0] == '[' ? 1 : 0, w;

	if (len - i < 2 * SPACED_HEAD - 1)
		return false;
	/* the first two items' blanks ("- row" fails at its "o") */
	w = utf8_width(s[i]);
	if (s[i + w] != ' ' || len - (i + w) < 5 || !spaced_char(s, len, i))
		return false;
	w += 1 + utf8_width(s[i + w + 1]);
	return i + w < len && s[i + w] == ' ' &&
	       spaced_items(s, len) == SPACED_HEAD;
}

/* Whether a partial line may be the start of one: its items so far,
 * each but the last followed by its blank (a write may end anywhere),
 * after the blanks and the "[" a whole line may start with, and the "]"
 * that closes such a line, blanks after it (parse_spaced). */
static bool
spaced_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;
	bool bracket;

	while (i < len && s[i] == ' ')
		i++;
	bracket = i < len && s[i] == '[';
	i += bracket;

	while (i < len) {
		size_t n = utf8_width(s[i]);

		if (s[i] < ' ' || s[i] == 0x7f || !spaced_char(s, len, i))
			return false;
		if (len - i <= n)
			return true;
		i += n;
		/* Go's %c closed ("[s k _ t]"), its line break still to
		 * come: blanks alone may follow */
		if (bracket && s[i] == ']') {
			while (++i < len)
				if (s[i] != ' ')
					return false;
			return true;
		}
		if (s[i] != ' ')
			return false;
		i++;
	}
	return true;
}

static enum verdict
parse_spaced(const unsigned char *s, size_t len, bool complete,
             struct dump_line *d)
{
	size_t i = 0;
	bool bracket;

	if (!complete)
		return spaced_prefix(s, len) ? PREFIX : NO;
	while (i < len && s[i] == ' ')
		i++;
	bracket = i < len && s[i] == '[';
	i += bracket;
	for (;;) {
		size_t n = i < len ? utf8_char(s, len, i) : 0;

		/* a character, a blank among them (print(*"a b"): three
		 * blanks) */
		if (n == 0 || s[i] < ' ' || s[i] == 0x7f ||
		    !spaced_char(s, len, i))
			return NO;
		for (size_t k = 0; k < n; k++)
			if (!add_byte(d, s[i + k], i, n))
				return NO;
		i += n;
		if (i == len || s[i] != ' ' || i + 1 == len ||
		    (s[i + 1] == ' ' && (i + 2 == len || s[i + 2] != ' ')))
			break;
		i++;
	}
	if (bracket && (i == len || s[i++] != ']'))
		return NO;
	if (d->n < SPACED_HEAD)
		return NO;
	while (i < len && s[i] == ' ')
		i++;
	return i == len ? YES : NO;
}

/* What a complete line's start admits: an offset column (hex digits and
 * the byte that ends them, ':' or ' '), a list (blanks, '[', then a
 * number, a quote or a colour code) or hex groups (blanks, hex digits, a
 * joiner). */
enum head {
	HEAD_XXD = 1,     /* 8 digits or more, ':' */
	HEAD_HEXDUMP = 2, /* 8 or more, ' ' */
	HEAD_OD = 4,      /* 6 or more, ' ', or a blank first */
	HEAD_CURL = 8,    /* 4 or more, ':' */
	HEAD_LIST = 16,
	HEAD_JOINED = 32,
	HEAD_BASE64 = 64,     /* blanks or tabs, then base64 text */
	HEAD_GDB = 128,       /* 0x, an address */
	HEAD_ASN1 = 256,      /* blanks, decimal digits, ":d=" */
	HEAD_BIO = 512,       /* blanks, 4 hex digits or more, " - " */
	HEAD_TCPDUMP = 1024,  /* a tab, 0x */
	HEAD_HEXYL = 2048,    /* a border: | or U+2502, or a blank */
	HEAD_SPACED = 4096,   /* a character, a blank, a character, ... */
	HEAD_HEX_TEXT = 8192, /* blanks and 2 hex digits, or 4 and more */
	HEAD_ANY = 16383,
};

/* Blanks or tabs, then base64 text: the count of blanks and tabs (0:
 * none, no such line) and in *end where the text ends. */
static size_t
base64_text(const unsigned char *s, size_t len, size_t *end)
{
	size_t i = 0, k;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (k = i; k < len && is_base64(s[k]);)
		k++;
	*end = k;
	return i;
}

/* Blanks or tabs, then PIECE_MIN base64 characters at least: the start
 * parse_base64 needs (an indented line of code fails in a few bytes). */
static bool
base64_head(const unsigned char *s, size_t len)
{
	size_t end, i = base64_text(s, len, &end);

	return i > 0 && end - i >= PIECE_MIN;
}

/* Whether s starts as Java's Arrays.toString of a char[] goes on after
 * its "[": a character as it is, then ", ". */
static bool
char_list_head(const unsigned char *s, size_t len)
{
	size_t n = utf8_width(s[0]);

	return len > n + 2 && s[n] == ',' && s[n + 1] == ' ';
}

/* The decimal digits s starts with, up to 4: a log line's year, most
 * often, told at once. */
static size_t
leading_digits(const unsigned char *s, size_t n)
{
	size_t digits = 0;

	if (n >= 4) {
		uint32_t w;

		/* every byte 0x30 to 0x39: its high half 3, before and
		 * after adding 6 */
		memcpy(&w, s, sizeof(w));
		if ((w & 0xf0f0f0f0u) == 0x30303030u &&
		    ((w + 0x06060606u) & 0xf0f0f0f0u) == 0x30303030u)
			return 4;
	}
	while (digits < n && digits < 4 && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	return digits;
}

/* A line's start as parse_hex_text reads it, after f blanks and the
 * hex digits to i: an offset of 4 digits or more, ":" or not, and
 * blanks, or (indented) a first byte; then a byte's hex pair and a
 * blank (a line not yet complete that ends before them may still be
 * one). A line of text that begins with a number goes on otherwise,
 * and costs no more than before (the views' fast path passes it). */
static bool
hex_text_head(const unsigned char *s, size_t len, size_t f, size_t i,
              bool complete)
{
	size_t k;

	/* strace's " | " before the offset */
	if (f == 1 && i == 1 && len > 3 && s[1] == '|' && s[2] == ' ')
		for (f = i = 3; i < len && is_hex(s[i]);)
			i++;
	k = f;
	if (f > HEX_TEXT_INDENT || i - f > OFFSET_MAX ||
	    (i - f != 2 && i - f < 4) || (i - f == 2 && f == 0))
		return false;
	if (i - f >= 4) {
		k = i + (i < len && s[i] == ':');
		if (k >= len)
			return !complete;
		if (s[k] != ' ')
			return false;
		while (k < len && s[k] == ' ')
			k++;
	}
	if (k + 2 >= len)
		return !complete;
	return is_hex(s[k]) && is_hex(s[k + 1]) && s[k + 2] == ' ';
}

static unsigned
line_head(const unsigned char *s, size_t len)
{
	size_t f = 0, i, digits;
	unsigned head = 0;

	while (f < len && s[f] == ' ')
		f++;
	/* The hex digits from f: an offset column when f is 0, the first
	 * group of a joined line. */
	for (i = f; i < len && is_hex(s[i]);)
		i++;
	if (hex_text_head(s, len, f, i, true))
		head |= HEAD_HEX_TEXT;
	/* a tab and an offset: the other side's lines of tshark's "follow"
	 * dump (parse_hex_text) */
	if (f == 0 && len > 1 && s[0] == '\t') {
		for (i = 1; i < len && is_hex(s[i]);)
			i++;
		if (i - 1 >= 4 && hex_text_head(s, len, 1, i, true))
			head |= HEAD_HEX_TEXT;
	}
	if (f > 0) {
		head |= HEAD_OD;
		/* asn1parse's offset (":d="), BIO_dump's (" - "): both
		 * indented (an offset under 10,000; an indent of 6) */
		if (i > f && i + 2 < len && s[i] == ':' && s[i + 1] == 'd' &&
		    s[i + 2] == '=')
			head |= HEAD_ASN1;
		else if (i >= f + 4 && i + 2 < len && s[i] == ' ' &&
		         s[i + 1] == '-' && s[i + 2] == ' ')
			head |= HEAD_BIO;
	} else if (i == 1 && len > 2 && s[0] == '0' && s[1] == 'x') {
		/* gdb's address, or a list of 0xHH at the line's start */
		return HEAD_GDB | HEAD_LIST;
	} else if (i < len && i <= OFFSET_MAX) {
		head |= s[i] == ':' && i >= 8 ? HEAD_XXD : 0;
		head |= s[i] == ':' && i >= 4 ? HEAD_CURL : 0;
		head |= s[i] == ' ' && i >= 8 ? HEAD_HEXDUMP : 0;
		head |= s[i] == ' ' && i >= 6 ? HEAD_OD : 0;
	}
	/* Blanks first: the line is tried as od's anyway, so parse_base64
	 * reads its text once instead of base64_head here and again there
	 * (a tab first: line_layouts). */
	if (f > 0)
		head |= HEAD_BASE64;
	if (i > f && i < len && is_joiner(s[i])) {
		/* hex digits and that joiner only (a dotted decimal's and
		 * bits' digits are hex digits too), then blanks */
		unsigned char joiner = s[i];

		while (i < len && (is_hex(s[i]) || s[i] == joiner))
			i++;
		while (i < len && s[i] == ' ')
			i++;
		head |= i == len ? HEAD_JOINED : 0;
	}
	bool bracket = f < len && s[f] == '[';

	if (f < len && spaced_start(s + f, len - f))
		head |= HEAD_SPACED;
	if (f < len &&
	    (s[f] == '[' || s[f] == '{' || s[f] == '$' || s[f] == 'a' ||
	     ((s[f] == '+' || s[f] == '-') && f + 1 < len &&
	      (s[f + 1] == ' ' || s[f + 1] == '[')))) {
		bool history = false;

		if (list_lead(s, len, true, &f, &history) != YES)
			return head;
		/* numpy's rows of a matrix: "[[115", " [ 72" */
		while (bracket && f + 1 < len && (s[f] == '[' || s[f] == ' ') &&
		       (s[f + 1] == '[' || s[f + 1] == ' ' ||
		        (s[f + 1] >= '0' && s[f + 1] <= '9')))
			f++;
	}
	digits = leading_digits(s + f, len - f);
	/* a number of 3 digits at most (not a date's year), a minus sign,
	 * 0x, a quote or a colour code; or "[", a character and ", " (a
	 * char[] in Java) */
	if (f < len && ((digits > 0 && digits < 4) || s[f] == '-' ||
	                s[f] == '\'' || s[f] == '"' || s[f] == 0x1b ||
	                (bracket && char_list_head(s + f, len - f)) ||
	                (digits == 0 && bare_hex_head(s + f, len - f, true))))
		head |= HEAD_LIST;
	return head;
}

/*
 * A complete line of base64 text alone, indented by blanks or tabs (a
 * block that plistlib's <data>, a YAML or a config file wraps at its own
 * width): its characters are the bytes searched, so consecutive lines
 * are one stream, whatever the width and the indentation. At least
 * PIECE_MIN characters (a block's last line may be short; fewer may show),
 * "=" padding and blanks after. A partial line is PREFIX while it may
 * still end so: held, as a dump line's start is, until its newline comes
 * or the input idles (view_stream_idle), so a write split inside the
 * line reads as the whole line does.
 */
static enum verdict
parse_base64(const unsigned char *s, size_t len, bool complete,
             struct dump_line *d)
{
	size_t i, end;

	i = base64_text(s, len, &end);
	if (i == 0 || end - i > BYTES_MAX)
		return NO;
	for (size_t k = end; k < len; k++)
		if (!(s[k] == ' ' || s[k] == '\t' ||
		      (s[k] == '=' && k < end + 2)))
			return NO;
	/* the text is over once anything follows it */
	if (end - i < PIECE_MIN && (complete || end < len))
		return NO;
	if (!complete)
		return PREFIX;
	/* the characters alone: b64_search makes their cells, for the
	 * few lines it searches */
	memcpy(d->bytes, s + i, end - i);
	d->n = end - i;
	d->b64_at = i;
	if (d->n > d->dirty)
		d->dirty = d->n;
	return YES;
}

/* At s + *i, blanks, then 1 to OFFSET_MAX decimal digits and something
 * after them (*i then at it). */
static enum verdict
asn1_number(const unsigned char *s, size_t len, bool complete, size_t *i)
{
	size_t from;

	while (*i < len && s[*i] == ' ')
		(*i)++;
	for (from = *i; *i < len && s[*i] >= '0' && s[*i] <= '9';)
		if (++*i - from > OFFSET_MAX)
			return NO;
	if (*i == len)
		return MORE;
	return *i > from ? YES : NO;
}

/*
 * A line of openssl asn1parse that prints a primitive's content in hex
 * ("%5ld:d=%-2d hl=%ld l=%4ld prim: ", the type, then ":" and the hex):
 * "   22:d=1  hl=4 l=1191 prim: OCTET STRING      [HEX DUMP]:308204A3"
 * (content it does not print as text: a private key's inner key, an EC
 * or Ed25519 key's scalar) and "    7:d=1  hl=4 l= 257 prim: INTEGER
 *    :00B1FC86" (with -strparse, an RSA key's exponents and primes).
 * The hex runs to the line's end; each line is a search of its own.
 */
static enum verdict
parse_asn1(const unsigned char *s, size_t len, bool complete,
           struct dump_line *d)
{
	const unsigned char *colon;
	size_t i = 0, k;
	enum verdict v;

	/* "d=%-2d hl=": one blank or two */
	if ((v = asn1_number(s, len, complete, &i)) != YES ||
	    (v = text_at(s, len, complete, &i, ":d=")) != YES ||
	    (v = asn1_number(s, len, complete, &i)) != YES ||
	    (v = text_at(s, len, complete, &i, " ")) != YES ||
	    (v = text_at(s, len, complete, &i,
	                 i < len && s[i] == ' ' ? " hl=" : "hl=")) != YES ||
	    (v = asn1_number(s, len, complete, &i)) != YES ||
	    (v = text_at(s, len, complete, &i, " l=")) != YES ||
	    (v = asn1_number(s, len, complete, &i)) != YES ||
	    (v = text_at(s, len, complete, &i, " prim: ")) != YES)
		return v;
	/* the type (-i indents it by the depth), then ":" or "[HEX DUMP]:" */
	if ((colon = memchr(s + i, ':', len - i)) == NULL)
		return MORE;
	i = (size_t)(colon - s) + 1;
	for (k = i; k < len && is_hex(s[k]);)
		k++;
	if (k < len)
		return NO;
	if (!complete)
		return PREFIX;
	if (k == i || (k - i) % 2 != 0)
		return NO;
	for (size_t j = i; j < k; j += 2)
		if (!add_byte(d, hex_byte(s + j), j, 2))
			return NO;
	return YES;
}

/*
 * OpenSSL's BIO_dump (asn1parse -dump, the library's hex dumps): an
 * indent, "%04x - ", 16 bytes as "%02x" and a blank each
 * ("-" after the eighth; three blanks for each byte past the data's
 * end), two blanks, and each byte as itself when printable, else ".".
 */
static enum verdict
parse_bio_dump(const unsigned char *s, size_t len, bool complete,
               struct dump_line *d)
{
	size_t i = 0, at, j;
	enum verdict v;

	while (i < len && s[i] == ' ')
		if (++i > BIO_INDENT_MAX)
			return NO;
	if ((v = offset_column(s + i, len - i, complete, 4, true, ' ', &at)) !=
	    YES)
		return v;
	d->off_len = i + at;
	i += at;
	if ((v = text_at(s, len, complete, &i, " - ")) != YES)
		return v;
	for (j = 0; j < 16; j++, i += 3) {
		if (i + 3 > len)
			return MORE;
		if (s[i] == ' ' && s[i + 1] == ' ' && s[i + 2] == ' ' && j > 0)
			break;
		if (!is_hex(s[i]) || !is_hex(s[i + 1]) ||
		    s[i + 2] != (j == 7 ? '-' : ' ') ||
		    !add_byte(d, hex_byte(s + i), i, 2))
			return NO;
	}
	/* the blanks of the bytes not there, then two */
	for (; j < 16; j++, i += 3)
		if (i + 3 > len || memcmp(s + i, "   ", 3) != 0)
			return i + 3 > len ? MORE : NO;
	if ((v = text_at(s, len, complete, &i, "  ")) != YES)
		return v;
	return text_to_end(s, len, complete, i, d, 0x7e);
}

/*
 * The text column of a L_HEX_TEXT line: its d->n bytes from s + at, each
 * as itself when printable, else "."; printable is 0x20 to 0x7e, or
 * Java's HexDumpEncoder's 0x20 to 'z', or tcpdump's 0x21 to 0x7e (a
 * blank as "."). Blanks alone after it (ber_dump pads it).
 */
static bool
hex_text_column(const unsigned char *s, size_t len, size_t at,
                struct dump_line *d)
{
	static const unsigned char printable[][2] = {
	    {0x20, 0x7e}, {0x20, 'z'}, {0x21, 0x7e}};

	/* whole, or cut in halves of HEX_TEXT_HALF by a blank: tshark's
	 * "follow" dump (-z follow,tcp,hex), whose halves of hex are two
	 * blanks apart (hexyl's, which writes other glyphs, three) */
	for (size_t cut = d->n, blank = 0; blank < 2;
	     blank++, cut = HEX_TEXT_HALF) {
		size_t end = at + d->n + blank, k;

		if (blank && (d->n <= HEX_TEXT_HALF || len < end ||
		              s[at + HEX_TEXT_HALF] != ' ' ||
		              d->code[HEX_TEXT_HALF].at !=
		                  d->code[HEX_TEXT_HALF - 1].at + 4))
			break;
		if (len < end)
			return false;
		for (k = end; k < len && s[k] == ' '; k++)
			;
		if (k < len)
			continue;
		for (size_t p = 0; p < sizeof printable / sizeof printable[0];
		     p++)
			if (text_column_cut(s, d, at, printable[p][0],
			                    printable[p][1], cut))
				return true;
	}
	return false;
}

/*
 * Other dumps with a text column: an indent of HEX_TEXT_INDENT blanks at
 * most, an offset column of 4 digits or more (hex or decimal, then ":"
 * or not) or, after an indent, none; the bytes as hex pairs in one
 * case, one to HEX_TEXT_GAP blanks apart (groups of 4 or 8 take more);
 * two blanks or more, and the text column, which must agree with them:
 * it is what tells a dump line from text (parse_hex_text). OpenLDAP's
 * ber_dump (ldapsearch -d), "  0020:  64 63 3d 63 6f 6d 80 28  5a 71 38
 * 52 6b 50 32 76   dc=com.(Zq8RkP2v"; net-snmp's -d (decimal offsets,
 * groups of four); tshark -x, "0090  55 6d 74 51 ..."; Java's
 * HexDumpEncoder (javax.net.debug's records), "  0070: 41 70 69 2D 4B
 * 65 79 3A   20 5A ...  Api-Key: Zq8RkP2"; socat -x -v, " 65 61 72 65
 * ...  earer Zq8RkP2vLm". A short last line pads its hex: bytes that are
 * blanks at the text column's start read as part of that padding, so
 * the column starts as many before its first other character.
 */
static enum verdict
parse_hex_text(const unsigned char *s, size_t len, bool complete,
               struct dump_line *d)
{
	size_t i = 0, k, lead, ends[HEX_TEXT_BYTES];
	unsigned cases = 0; /* 1: a-f seen, 2: A-F seen */
	bool border = false;

	/* a tab: the other side's lines of tshark's "follow" dump */
	if (len > 0 && s[0] == '\t')
		i = 1;
	else
		while (i < len && s[i] == ' ')
			if (++i > HEX_TEXT_INDENT)
				return NO;
	/* strace's -e write= dump: " | 00010  61 74 ...  ation: B |" */
	if (i == 1 && len > 1 && s[1] == '|') {
		if (len < 3)
			return MORE;
		if (s[2] != ' ')
			return NO;
		border = true;
		i = 3;
	}
	lead = i;
	for (k = i; k < len && is_hex(s[k]); k++)
		if (k - i > OFFSET_MAX)
			return NO;
	if (k == len)
		return MORE;
	if (k - i >= 4) { /* an offset column */
		d->off_len = k;
		i = k + (s[k] == ':');
		if (i == len)
			return MORE;
		if (s[i] != ' ')
			return NO;
	} else if (k - i != 2 || lead == 0) {
		return NO;
	}
	/* the bytes: "hh" after blanks, until what follows is none */
	for (;;) {
		size_t b = i;

		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			return complete ? NO : PREFIX;
		/* the line still without its end inside a byte's pair */
		if (!complete && i + 1 == len && is_hex(s[i]) &&
		    i - b <= HEX_TEXT_GAP && (i > b || d->n == 0))
			return PREFIX;
		if (i - b > HEX_TEXT_GAP || (i == b && d->n > 0) ||
		    i + 1 >= len || !is_hex(s[i]) || !is_hex(s[i + 1]) ||
		    (i + 2 < len && s[i + 2] != ' ')) {
			i = b;
			break;
		}
		if (i + 2 == len && !complete)
			return PREFIX;
		for (k = i; k < i + 2; k++)
			cases |= s[k] >= 'a' ? 1u : s[k] >= 'A' ? 2u : 0u;
		if (cases == 3 || d->n == HEX_TEXT_BYTES ||
		    !add_byte(d, hex_byte(s + i), i, 2))
			return NO;
		ends[d->n - 1] = i += 2;
	}
	if (d->n == 0)
		return NO;
	if (!complete)
		return text_prefix(s, len, i, d->n + 2 * HEX_TEXT_BYTES, 0x7e);
	/* strace's border closes the line, after the text's padding */
	if (border) {
		if (len < 2 || s[len - 1] != '|' || s[len - 2] != ' ')
			return NO;
		len--;
	}
	/* The text column after the last byte, or, when its start reads as
	 * hex pairs too ("ab cd..."), after an earlier one. */
	for (size_t n = d->n; n > 0; n--) {
		size_t t = ends[n - 1], blanks = 0;

		while (t < len && s[t] == ' ')
			t++;
		d->n = n;
		while (blanks < n && d->bytes[blanks] == ' ')
			blanks++;
		if (t - ends[n - 1] >= blanks + 2 &&
		    hex_text_column(s, len, t - blanks, d))
			return YES;
	}
	return NO;
}

/*
 * Node's hex run from s + i (past its lead) to its ">", or to
 * " ... 7 more bytes>" where util.inspect cuts it (at 50 bytes of a
 * Buffer, 100 of an ArrayBuffer's [Uint8Contents]): pairs of lower-case
 * hex digits, one blank apart. *end past the ">"; PREFIX when the text
 * ends within it.
 */
static enum verdict
parse_node_hex(const unsigned char *s, size_t len, size_t i,
               struct dump_line *d, size_t *end)
{
	enum verdict v;
	size_t digits;

	for (;;) {
		if (i >= RUN_CAP)
			return NO;
		for (size_t k = i; k < i + 2; k++)
			if (k == len)
				return PREFIX;
			else if (!is_lower_hex(s[k]))
				return NO;
		if (!add_byte(d, hex_byte(s + i), i, 2))
			return NO;
		i += 2;
		if (i == len)
			return PREFIX;
		if (s[i] == '>') {
			*end = i + 1;
			return YES;
		}
		if (s[i++] != ' ')
			return NO;
		if (i == len)
			return PREFIX;
		if (s[i] == '.')
			break;
	}
	if ((v = text_at(s, len, false, &i, "... ")) != YES)
		return v;
	for (digits = i;
	     i < len && i - digits <= 20 && s[i] >= '0' && s[i] <= '9';)
		i++;
	if (i - digits > 20 || (i < len && i == digits))
		return NO;
	if (i == len)
		return PREFIX;
	if ((v = text_at(s, len, false, &i, " more byte")) != YES)
		return v;
	if (i < len && s[i] == 's')
		i++;
	if (i == len)
		return PREFIX;
	if (s[i] != '>')
		return NO;
	*end = i + 1;
	return YES;
}

/* Whether the byte before a 0xHH item lets it start a run: no word's
 * letter or digit ("a0x5"), no backslash ("\0x"); a quote may open it. */
static bool
hex_run_after(unsigned char c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	         (c >= '0' && c <= '9') || c == '_' || c == '\\');
}

/* Whether the x of 0x at s + p may begin an item of one or two hex
 * digits: a pointer's 0x7ffe4a2c, a constant's 0x1000, is none (every
 * address in a log would be parsed). */
static inline bool
hex_item_may(const unsigned char *s, size_t len, size_t p)
{
	return p + 1 == len ||
	       (is_hex(s[p + 1]) && (p + 2 == len || !is_hex(s[p + 2]) ||
	                             p + 3 == len || !is_hex(s[p + 3])));
}

/*
 * One 0xHH item of a hex run at s + i, in quotes when quote is not 0
 * (the first one's opening quote stands before the run, first): its
 * byte, its digits at *at (*digits of them), *end past it. -1 when there
 * is none; -2 when s ends inside it or just after its digits where a
 * third might follow (-2 with *digits 2 and *end set: whole, if nothing
 * follows).
 */
static int
hex_run_item(const unsigned char *s, size_t len, size_t i, unsigned char quote,
             bool first, size_t *at, size_t *digits, size_t *end)
{
	size_t k = i;

	*digits = 0;
	if (quote != 0 && !first) {
		if (k == len)
			return -2;
		if (s[k++] != quote)
			return -1;
	}
	if (k == len)
		return -2;
	if (s[k++] != '0')
		return -1;
	if (k == len)
		return -2;
	if ((s[k++] | 0x20) != 'x')
		return -1;
	*at = k;
	while (k < len && k - *at < 3 && is_hex(s[k]))
		k++;
	*digits = k - *at;
	if (*digits == 0 && k < len)
		return -1;
	if (*digits == 3)
		return -1; /* 0x7ffe...: an address, no byte */
	if (k == len) {
		*end = k;
		/* "0x7" may be 0x7f cut, "0x7f" may be a pointer's start; a
		 * quoted item is whole at its closing quote only */
		return -2;
	}
	if (quote != 0) {
		if (s[k++] != quote)
			return -1;
	} else if (!hex_run_after(s[k]) || s[k] == '\'' || s[k] == '"') {
		return -1;
	}
	*end = k;
	return *digits == 2 ? hex_byte(s + *at) : hex_value(s[*at]);
}

/*
 * A run of 0xHH items after text on a line, from its first item's 0 at
 * s (quote: the quote before it, or 0): Go's %#v of a []byte
 * ([]byte{0x73, 0x6b}), "% #x" (0x73 0x6b), print("key:", [hex(b) for b
 * in v]) ('0x73', '0x6b'). The items are all quoted alike or none, one
 * or two digits each (Go and hex() write 0x5), a comma and blanks apart
 * or one blank; the run ends before what follows its last (", Tok:").
 * Each byte's cell is its digits. *end past the last item; PREFIX when s
 * ends where the run may go on (d then holds the items that are whole
 * whatever comes, *end past them: what the input's end reads); NO for
 * fewer than HEX_RUN_MIN items.
 */
static enum verdict
parse_hex_run(const unsigned char *s, size_t len, unsigned char quote,
              struct dump_line *d, size_t *end)
{
	size_t i = 0;

	*end = 0;
	for (;;) {
		size_t at = 0, digits = 0, past = 0;
		int b = i < RUN_CAP ? hex_run_item(s, len, i, quote, i == 0,
		                                   &at, &digits, &past)
		                    : -1;

		if (b == -2) {
			/* two digits unquoted at s's end: whole if the
			 * input ends there */
			if (digits == 2 && quote == 0 &&
			    add_byte(d, hex_byte(s + at), at, 2))
				*end = past;
			return PREFIX;
		}
		if (b < 0 || !add_byte(d, (unsigned char)b, at, digits))
			break;
		*end = i = past;
		/* the separator: one blank (unquoted items), or a comma and
		 * blanks; s ending in one may go on */
		if (i < len && s[i] == ' ' && quote == 0) {
			i++;
		} else if (i < len && s[i] == ',') {
			for (i++; i < len && s[i] == ' ';)
				i++;
		} else {
			if (i == len)
				return PREFIX;
			break;
		}
		if (i == len)
			return PREFIX;
	}
	return d->n >= HEX_RUN_MIN ? YES : NO;
}

/*
 * A JSON object's member keyed by an index, from its quote at s + i:
 * "17": and blanks, then a byte in decimal (list_item); its place in
 * *at, past it in *end. The byte; -1 for none; -2 when s ends before
 * that is told.
 */
static int
keyed_item(const unsigned char *s, size_t len, size_t i, size_t *at,
           size_t *end)
{
	size_t k = i + 1;
	int b;

	if (i == len || s[i] != '"')
		return i == len ? -2 : -1;
	while (k < len && k - i <= 7 && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k == len)
		return -2;
	if (k == i + 1 || k - i > 7 || s[k] != '"')
		return -1;
	if (++k == len)
		return -2;
	if (s[k] != ':')
		return -1;
	while (++k < len && s[k] == ' ')
		;
	if (k == len)
		return -2;
	b = list_item(s, len, k, end);
	if (b >= 0 && *end == len)
		return -2; /* "25" may be 255 cut */
	*at = k;
	return b;
}

/* Whether a keyed_item() may begin at s + i. Out of line, its locals
 * too: the lead scan's test keeps no stack frame. */
static __attribute__((noinline)) bool
keyed_item_may(const unsigned char *s, size_t len, size_t i)
{
	size_t at, end;

	return keyed_item(s, len, i, &at, &end) != -1;
}

/*
 * Whether the "[", "(" or "{" at s + p may open a list of a value's
 * characters after text on its line (parse_char_run), or s ends before
 * that is told: a quoted character after it (one byte, an escape or a
 * UTF-8 character, then its closing quote; "(" and "{" only so: a
 * tuple, Go's %#v of a []string), or a bare
 * item of one character or two hex digits (or a 2-byte UTF-8
 * character), then ", ".
 */
static bool
char_run_lead(const unsigned char *s, size_t len, size_t p)
{
	const size_t n = len - p;
	unsigned char c;
	size_t w;

	if (n < 2)
		return true;
	c = s[p + 1];
	/* after "{", a comma after the item too: a JSON object's key of
	 * one character ({"a": 1}) opens none */
	if ((c == '\'' || c == '"') &&
	    (n < 4 || s[p + 2] == '\\' || s[p + 2] >= 0x80 ||
	     (s[p + 3] == c && (s[p] != '{' || n < 5 || s[p + 4] == ','))))
		return true;
	/* after "{", gdb's p/c item ("114 'r'", "-48 '\\320'"): a
	 * std::vector<char>'s, a struct member's array */
	if (s[p] == '{' && ((c >= '0' && c <= '9') || c == '-')) {
		size_t k = p + 1 + (c == '-'), digits = k;

		while (k < len && k - digits < 3 && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == len || (k > digits && s[k] == ' ' &&
		                 (k + 1 == len || s[k + 1] == '\'')))
			return true;
	}
	/* after "{", a JSON object keyed by index ({"0":115,...}); a
	 * JSON object's key seldom begins with a digit */
	if (s[p] == '{' && c == '"')
		return n < 3 || (s[p + 2] >= '0' && s[p + 2] <= '9' &&
		                 keyed_item_may(s, len, p + 1));
	/* after "{", a character and a comma: Commons Lang's char[] */
	if (s[p] == '{') {
		w = utf8_width(c);
		return c >= 0x20 && c != 0x7f &&
		       (n < 2 + w || s[p + 1 + w] == ',');
	}
	/* else a bare quote may be Java's first character */
	if (s[p] != '[' || c < 0x20 || c == 0x7f)
		return false;
	if (n < 3)
		return true;
	/* characters one blank apart: "[s k _", "[с е" (the first of one
	 * or two bytes: the lead scan's) */
	w = utf8_width(c);
	if (w < 3 && n > 1 + w && s[p + 1 + w] == ' ' && c > ' ' && c != 0x7f &&
	    (c & 0xc0) != 0x80) {
		size_t q = p + 2 + w, w2;

		if (q >= len)
			return true;
		w2 = utf8_width(s[q]);
		return q + w2 >= len ||
		       (s[q] >= 0x20 && s[q] != 0x7f &&
		        (s[q + w2] == ' ' || s[q + w2] == ']'));
	}
	w = s[p + 2] == ','                 ? 1
	    : is_hex(c) && is_hex(s[p + 2]) ? 2
	    : c >= 0xc2 && c < 0xe0         ? 2
	                                    : 0;
	if (w == 0)
		return false;
	return n < 3 + w ||
	       (s[p + 1 + w] == ',' && (n == 3 + w || s[p + 2 + w] == ' '));
}

/* What a list after text holds (parse_char_run): quoted characters,
 * bare characters, or bare hex bytes. */
enum char_run_mode {
	CHAR_QUOTED,
	CHAR_BARE,
	CHAR_BARE_HEX,
	CHAR_SPACED,
	CHAR_KEYED,
	CHAR_BRACED,
	CHAR_GDB
};

/*
 * A list of a value's characters (or its bytes in bare hex) after text
 * on its line, from its "[" or "(" at s[0]: with CHAR_QUOTED, quoted
 * characters (char_item) a comma and blanks apart (Python's list(s) and
 * tuple(s) after a label or in a dict, JSON's ["s","k"] as json.dumps
 * and Gson print a char[] in an object, Rust's Debug of a Vec<char>) or
 * one blank apart (Go's %q of a []rune); with CHAR_BARE, characters as
 * they are, ", " apart (Java's Arrays.toString of a char[], as Lombok's
 * and Kotlin's toString print a char[] field); with CHAR_BARE_HEX, one
 * or two hex digits ", " apart, a letter among them (Rust's {:x?} of a
 * byte slice after a label). Each character's cell is as the list views
 * have it (within its quotes, or itself). *end past the last item;
 * PREFIX when s ends where the list may go on (d then holds the items
 * whole whatever comes, *end past them); NO for fewer than
 * CHAR_RUN_MIN bytes.
 */
static enum verdict
parse_char_run_as(const unsigned char *s, size_t len, enum char_run_mode mode,
                  struct dump_line *d, size_t *end, unsigned char chars[4])
{
	size_t i = 1, letters = 0;

	*end = 0;
	for (;;) {
		size_t n = 1, past = 0, at = i, width;
		int b = -1;

		if (i == len)
			return PREFIX;
		if (i >= RUN_CAP)
			break;
		if (mode == CHAR_QUOTED) {
			n = char_item(s, len, i, &past, chars);
			if (n == 0) {
				if (item_open(s, len, i))
					return PREFIX;
				break;
			}
			at = i + 1;
			width = past - i - 2;
		} else if (mode == CHAR_BARE || mode == CHAR_BRACED) {
			n = bare_char_item(s, len, i, &past, chars);
			if (n == 0) {
				if (len - i <= utf8_width(s[i]))
					return PREFIX;
				break;
			}
			width = n;
		} else if (mode == CHAR_KEYED) {
			if ((b = keyed_item(s, len, i, &at, &past)) == -2)
				return PREFIX;
			if (b < 0)
				break;
			chars[0] = (unsigned char)b;
			width = past - at;
		} else if (mode == CHAR_GDB) {
			struct cell shown;
			size_t k;
			enum verdict v;

			/* "114 'r'", its cell the whole item, as the list
			 * views have gdb's; " <repeats 12 times>" after */
			b = list_item(s, len, i, &past);
			if (b >= 0 && past == len)
				return PREFIX; /* "11" may be 114 cut */
			if (b < 0) {
				for (k = i; k < len && k - i < 4 &&
				            ((s[k] >= '0' && s[k] <= '9') ||
				             (k == i && s[k] == '-'));)
					k++;
				if (k == len)
					return PREFIX;
				break;
			}
			if (s[past] != ' ')
				break;
			v = gdb_char(s, len, false, &past, (unsigned char)b,
			             &shown);
			if (v == PREFIX)
				return PREFIX;
			if (v != YES)
				break;
			v = repeats_at(s, len, past, false, &k);
			if (v == PREFIX)
				return PREFIX;
			if (v == YES)
				past = k;
			chars[0] = (unsigned char)b;
			width = past - i;
		} else if (mode == CHAR_SPACED) {
			if (len - i < utf8_width(s[i]))
				return PREFIX;
			/* Go writes a control as it is: a line break alone
			 * ends the list */
			n = utf8_char(s, len, i);
			if (n == 0 || is_break(s[i]))
				break;
			memcpy(chars, s + i, n);
			past = i + n;
			width = n;
		} else {
			if ((b = bare_hex_item(s, len, i, &past)) < 0)
				break;
			if (past == len)
				return PREFIX; /* "7" may be 7f cut */
			for (size_t k = i; k < past; k++)
				letters += s[k] > '9';
			chars[0] = (unsigned char)b;
			width = past - i;
		}
		for (size_t k = 0; k < n; k++)
			if (!add_byte(d, chars[k], at, width))
				return NO;
		*end = i = past;
		/* the separator: ", " (bare items), a comma and blanks or
		 * one blank before a quote (quoted ones) */
		if (i == len)
			return PREFIX;
		if (mode == CHAR_QUOTED && s[i] == ' ') {
			if (++i == len)
				return PREFIX;
			if (s[i] != '\'' && s[i] != '"')
				break;
			continue;
		}
		/* one blank, the next character whatever it is */
		if (mode == CHAR_SPACED) {
			if (s[i] != ' ')
				break;
			if (++i == len)
				return PREFIX;
			continue;
		}
		if (s[i] != ',')
			break;
		if (++i == len)
			return PREFIX;
		if (mode == CHAR_KEYED) {
			while (i < len && s[i] == ' ')
				i++;
			continue;
		}
		if (mode == CHAR_BRACED)
			continue; /* the next character, whatever it is */
		if (mode != CHAR_QUOTED) {
			if (s[i++] != ' ')
				break;
			continue;
		}
		while (i < len && s[i] == ' ')
			i++;
	}
	if (mode == CHAR_BARE_HEX && letters == 0)
		return NO; /* decimal: the masker's patterns read it */
	return d->n >= CHAR_RUN_MIN ? YES : NO;
}

/* A list after text from its "[" or "(" at s[0] (parse_char_run_as):
 * quoted characters, else bare ones (a quote may be Java's first), else
 * bare hex bytes (d's layout then L_HEX_RUN's, whose cells keep their
 * width). */
static enum verdict
parse_char_run(const unsigned char *s, size_t len, struct dump_line *d,
               size_t *end)
{
	unsigned char chars[4]; /* an item's bytes, wiped once */
	enum verdict v = NO;

	/* "(" alone so far: a tuple's quoted characters may follow */
	if (len == 1 && s[0] == '(')
		return PREFIX;
	if (len > 1 && (s[1] == '\'' || s[1] == '"')) {
		v = parse_char_run_as(s, len, CHAR_QUOTED, d, end, chars);
		if (v == NO) { /* Java's [", w, ...] */
			dump_wipe(d);
			d->n = 0;
		}
	}
	/* a JSON object keyed by index: JSON.stringify of a Uint8Array
	 * (pino's logs too), PHP's json_encode of unpack('C*') */
	if (v == NO && s[0] == '{' && len > 1 && s[1] == '"') {
		v = parse_char_run_as(s, len, CHAR_KEYED, d, end, chars);
		if (v == NO) {
			dump_wipe(d);
			d->n = 0;
		}
	}
	/* gdb's p/c items in braces after text: a std::vector<char>
	 * (info locals, bt full), an array in a struct */
	if (v == NO && s[0] == '{' && len > 1 &&
	    ((s[1] >= '0' && s[1] <= '9') || s[1] == '-')) {
		v = parse_char_run_as(s, len, CHAR_GDB, d, end, chars);
		if (v == NO) {
			dump_wipe(d);
			d->n = 0;
		}
	}
	/* characters a comma apart in braces: Commons Lang's
	 * reflectionToString and ArrayUtils.toString of a char[] */
	if (v == NO && s[0] == '{') {
		v = parse_char_run_as(s, len, CHAR_BRACED, d, end, chars);
		if (v == NO) {
			dump_wipe(d);
			d->n = 0;
		}
	}
	if (v == NO && s[0] == '[') {
		v = parse_char_run_as(s, len, CHAR_BARE, d, end, chars);
		if (v == NO) {
			dump_wipe(d);
			d->n = 0;
			v = parse_char_run_as(s, len, CHAR_BARE_HEX, d, end,
			                      chars);
			/* masked as 0x items are, "**" for each byte */
			d->layout = L_HEX_RUN;
		}
		if (v == NO && len > 1 && len > 1 + utf8_width(s[1]) &&
		    s[1 + utf8_width(s[1])] == ' ') {
			dump_wipe(d);
			d->n = 0;
			d->layout = L_CHAR_RUN;
			v = parse_char_run_as(s, len, CHAR_SPACED, d, end,
			                      chars);
		}
	}
	sodium_memzero(chars, sizeof(chars));
	return v;
}

/*
 * After a bytes literal's closing quote at s[i - 1]: pprint's next
 * piece of the same bytes, a line break, its indent (a blank or more:
 * pprint indents every piece after the first), b and a quote (of either
 * kind: each piece is repr()'d alone). The new quote's place; 0 when
 * none follows; len when the text ends before that is told.
 */
static size_t
py_bytes_next(const unsigned char *s, size_t len, size_t i)
{
	size_t at = i, lf;

	if (at < len && s[at] == '\r')
		at++;
	if (at == len)
		return len;
	if (s[at++] != '\n')
		return 0;
	lf = at;
	while (at < len && s[at] == ' ' && at - lf <= INDENT_MAX)
		at++;
	if (at + 2 > len)
		return len;
	if (at == lf || at - lf > INDENT_MAX || s[at] != 'b' ||
	    (s[at + 1] != '\'' && s[at + 1] != '"'))
		return 0;
	return at + 1;
}

/*
 * Python's repr() of bytes from its quote at s: printable ASCII as it
 * is, \\, \' or \", \t, \n, \r and \xhh (lower case) for the rest, to
 * the same quote. A byte's cell is its character or its escape. pprint
 * prints long bytes one literal a line, each the next piece: the pieces
 * are one run, its cells on their lines (a value's few bytes on the last
 * line are masked as the rest of it is). *end past the closing quote;
 * PREFIX when the text ends within it, or before the next line tells
 * whether a piece follows (*end then past the pieces closed, and
 * d->closed_n their bytes, for a text that ends or idles there).
 */
static enum verdict
parse_py_bytes(const unsigned char *s, size_t len, struct dump_line *d,
               size_t *end)
{
	static const char named[] = "\\\\''\"\"t\tn\nr\r";
	unsigned char quote = s[0];
	const char *e;

	*end = 0;
	d->closed_n = 0;
	for (size_t i = 1; i < len;) {
		size_t width = 1, next;
		int b = s[i];

		if (i >= RUN_CAP)
			goto refused;
		if (s[i] == quote) {
			*end = i + 1;
			next = py_bytes_next(s, len, i + 1);
			if (next == 0 || next >= RUN_CAP)
				return d->n > 0 ? YES : NO;
			d->closed_n = d->n;
			if (next == len)
				return PREFIX;
			quote = s[next];
			i = next + 1;
			continue;
		}
		if (s[i] < 0x20 || s[i] > 0x7e)
			goto refused;
		if (s[i] == '\\') {
			if (i + 1 == len)
				return PREFIX;
			if (s[i + 1] == 'x') {
				width = 4;
				for (size_t k = i + 2; k < i + width; k++)
					if (k == len)
						return PREFIX;
					else if (!is_lower_hex(s[k]))
						goto refused;
				b = hex_byte(s + i + 2);
			} else if (s[i + 1] != 0 &&
			           (e = strchr(named, s[i + 1])) != NULL &&
			           (e - named) % 2 == 0) {
				width = 2;
				b = (unsigned char)e[1];
			} else {
				goto refused;
			}
		}
		if (!add_byte(d, (unsigned char)b, i, width))
			goto refused;
		i += width;
	}
	return PREFIX;
refused:
	/* a piece that is no literal (or one past the run's room): the
	 * pieces closed before it are the run */
	d->n = d->closed_n;
	return *end > 0 && d->n > 0 ? YES : NO;
}

/*
 * An OSC string from its ESC ] at s (a window title, an OSC 8
 * hyperlink's URI). The masker reads one as noise between a value's
 * characters (engine.h), so its text is searched here as a run, each
 * byte a cell of its own: a value written into a title or a link is
 * masked there, star for byte. It ends where the masker's reader ends
 * it: at BEL or ESC, at a control, or after BYTES_MAX bytes (the masker
 * reads what follows as text). *end at its end, the terminator left
 * out; PREFIX while the text ends within it, *end past what was read
 * (a stream that ends or idles there has that searched).
 */
static enum verdict
parse_osc(const unsigned char *s, size_t len, struct dump_line *d, size_t *end)
{
	size_t i = 2;

	*end = len;
	if (len < 2)
		return PREFIX;
	if (s[1] != ']')
		return NO;
	for (; i < len; i++) {
		if (s[i] < 0x20 || !add_byte(d, s[i], i, 1)) {
			*end = i;
			return d->n > 0 ? YES : NO;
		}
	}
	return PREFIX;
}

/*
 * Whether a run's decoding still reads as text, byte by byte: what holds
 * a value in another form (JSON, base64 or hex again, UTF-16 or UTF-32)
 * is text, and what only looks like base64 (a Java class name, a log's
 * identifiers) decodes to bytes of any value. Text is printable ASCII, a
 * tab, a line break or 0 (UTF-16 and UTF-32 of ASCII) but for a quarter
 * of its bytes at most, or bytes below 0x20 but for a quarter of those at
 * even or at odd offsets (the high bytes of UTF-16 below U+2000: Latin,
 * Greek, Cyrillic, in either order). `bad` counts the bytes against each
 * reading: text, even, odd.
 */
struct b64_text {
	size_t n, bad[3];
};

static inline void
b64_text_add(struct b64_text *t, unsigned char b)
{
	t->bad[0] += !((b >= 0x20 && b < 0x7f) || b == 0 || b == '\t' ||
	               b == '\n' || b == '\r');
	t->bad[1 + t->n % 2] += b >= 0x20;
	t->n++;
}

/* Whether it may still read as text, so far: a run's first bytes hold
 * few against one reading; what only looks like base64 has about one
 * in two against the first, seven in eight against the others. */
static bool
b64_text_open(const struct b64_text *t)
{
	return t->bad[0] <= 1 + t->n / 4 || t->bad[1] <= 1 + t->n / 8 ||
	       t->bad[2] <= 1 + t->n / 8;
}

/* Whether the whole decoding reads as text. */
static bool
b64_text_is(const struct b64_text *t)
{
	return 4 * t->bad[0] <= t->n || 8 * t->bad[1] <= t->n ||
	       8 * t->bad[2] <= t->n;
}

/* Whether the decoding reads as UTF-16 below U+2000 (the base64 of
 * UTF-16 of a text of digits and capitals has no lower case letter):
 * no byte from 0x20 at even or at odd offsets, but for an eighth
 * (strict: none) of them. */
static bool
b64_text_wide(const struct b64_text *t, bool strict)
{
	size_t allowed = strict ? 0 : t->n / 8;

	return t->bad[1] <= allowed || t->bad[2] <= allowed;
}

/* Whether a whole run of `chars` characters of the classes `seen`, its
 * decoding counted in t, is one to search (parse_b64_run). */
static bool
b64_run_reads(unsigned seen, size_t chars, const struct b64_text *t)
{
	if (chars < B64_RUN_MIN)
		return false;
	if ((seen & B64_UPPER) && (seen & B64_LOWER))
		return b64_text_is(t);
	return b64_text_wide(t, false);
}

/* UTF-8 text as b64_text counts ASCII text: the bytes that break it
 * (a character cut, a byte no character has, a control). */
struct utf8_text {
	size_t n, bad, need;
};

static inline void
utf8_text_add(struct utf8_text *t, unsigned char b)
{
	t->n++;
	if (t->need > 0) {
		if ((b & 0xc0) == 0x80) {
			t->need--;
			return;
		}
		t->bad++;
		t->need = 0;
	}
	if (b < 0x80)
		t->bad += (b < 0x20 && b != '\t' && b != '\n' && b != '\r') ||
		          b == 0x7f;
	else if (b >= 0xc2 && b <= 0xf4)
		t->need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
	else
		t->bad++;
}

/* Whether it may still read as UTF-8 text, and whether it does: an
 * eighth of its bytes against it at most. */
static inline bool
utf8_text_open(const struct utf8_text *t)
{
	return t->bad <= 1 + t->n / 8;
}

static inline bool
utf8_text_is(const struct utf8_text *t)
{
	return 8 * t->bad <= t->n;
}

/* Whether a hex run of `digits` digits, its decoding counted in t and
 * u, is one to search (parse_hex_text_run): a piece's bytes, decoded to
 * text (ASCII, UTF-8, or UTF-16 below U+2000). */
static bool
hex_text_reads(size_t digits, const struct b64_text *t,
               const struct utf8_text *u)
{
	return digits >= HEX_TEXT_MIN &&
	       (b64_text_is(t) || b64_text_wide(t, false) || utf8_text_is(u));
}

/*
 * Hex digits of one case where a base64 run starts, "0x" before them or
 * not, with a letter among them and no base64 character after them: a
 * text's bytes in hex, whole or cut (InnoDB's record dumps cut a field
 * at 30 bytes, "hex 736b5f...; asc"; a value's UTF-16 or Latin-1 bytes
 * as hex; MySQL's 0x736B... of a binary column), decoded by pairs, each
 * byte's cell its two digits. What decodes to no text (a hash, a key's
 * random bytes, an id) is given up within its first bytes. NO where s
 * holds no such run (base64 is tried then); PREFIX while s ends within
 * it (b64_run_whole decides where the input ends or idles).
 */
static enum verdict
parse_hex_text_run(const unsigned char *s, size_t len, struct dump_line *d,
                   size_t *end)
{
	struct b64_text text = {0, {0, 0, 0}};
	struct utf8_text utf8 = {0, 0, 0};
	size_t from = len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x' ? 2 : 0,
	       i = from, n = 0;
	unsigned seen = 0;

	/* by pairs: most runs here (hashes, ids) are given up within
	 * their first bytes, at the first that reads as no text */
	for (; i + 1 < len && is_hex(s[i]) && is_hex(s[i + 1]); i += 2) {
		seen |= b64_class[s[i]] | b64_class[s[i + 1]];
		if ((seen & (B64_UPPER | B64_LOWER)) ==
		        (B64_UPPER | B64_LOWER) ||
		    n == BYTES_MAX)
			return NO;
		d->bytes[n] = hex_byte(s + i);
		b64_text_add(&text, d->bytes[n]);
		utf8_text_add(&utf8, d->bytes[n++]);
		if (n > d->dirty)
			d->dirty = n;
		if (!b64_text_open(&text) && !utf8_text_open(&utf8)) {
			d->n = n;
			return NO;
		}
	}
	d->n = n;
	/* byte j's cell: its two digits */
	for (size_t j = 0; j < n; j++) {
		d->code[j] = (struct cell){(uint16_t)(from + 2 * j), 2};
		d->text[j] = (struct cell){0, 0};
	}
	d->hex_text = true;
	*end = i;
	if (i == len || (i + 1 == len && is_hex(s[i])))
		return PREFIX;
	return (seen & (B64_UPPER | B64_LOWER)) != 0 && b64_class[s[i]] == 0 &&
	               hex_text_reads(i - from, &text, &utf8)
	           ? YES
	           : NO;
}

/*
 * A run of base64 text anywhere in a line, from its first character (a
 * Kubernetes secret's data, a JWT's parts, a header's credentials),
 * decoded from there. A value's own base64 is the masker's; what the
 * decoding holds in another form is found here: a JSON text that
 * escapes a value (a JWT's claims), a value's base64 again (the "auth"
 * of a docker config inside a secret's .dockerconfigjson), its UTF-16
 * (narrow_search). Each byte's cell is the two characters that carry
 * its bits. B64_RUN_MIN to B64_RUN_MAX characters of one alphabet, after
 * no base64 character (b64_next), with upper and lower case letters among
 * them (hex, a UUID, numbers and words in one case, which a log holds
 * by the million, are no base64 to decode) unless it decodes to UTF-16
 * (b64_text_wide), and decoded to text
 * (b64_text_add); "=" padding after it passes as text. *end past it;
 * PREFIX while the text ends within it, *end there and what came
 * decoded (a stream that ends or idles there has it searched, when it
 * reads so: b64_run_whole).
 */
static enum verdict
parse_b64_run(const unsigned char *s, size_t len, struct dump_line *d,
              size_t *end)
{
	unsigned char *out = d->bytes;
	unsigned acc = 0, bits = 0, seen = 0, c;
	struct b64_text text = {0, {0, 0, 0}};
	size_t i;
	enum verdict v = PREFIX;

	for (i = 0; i < len && (c = b64_class[s[i]]) != 0; i++) {
		if (i == B64_RUN_MAX) {
			v = NO;
			break;
		}
		seen |= c;
		/* base64 has both cases within its first characters;
		 * hex, a UUID, a number or a word in one case has not,
		 * nor, at times, base64 of UTF-16 of digits and capitals
		 * (a UUID's), whose every other byte is 0. Nor, at times,
		 * base64 of base64 of digits and capitals (a UUID's again:
		 * "T0VNM1JESTROVEF0" begins one of 60): a run in one case
		 * is given up at twice that length, where it does not
		 * decode to text first (b64_text_open). */
		if (i == 2 * B64_RUN_MIN &&
		    (seen & (B64_UPPER | B64_LOWER)) !=
		        (B64_UPPER | B64_LOWER) &&
		    !b64_text_wide(&text, true)) {
			v = NO;
			break;
		}
		acc = (acc << 6 | b64_bits[s[i]]) & 0xfff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[text.n] = (unsigned char)(acc >> bits);
			b64_text_add(&text, out[text.n]);
			if (!b64_text_open(&text)) {
				v = NO;
				break;
			}
		}
	}
	d->n = text.n;
	if (d->n > d->dirty)
		d->dirty = d->n;
	if (v == NO)
		return NO;
	*end = i;
	if ((seen & B64_STANDARD) && (seen & B64_URL))
		return NO;
	if (i < len && !b64_run_reads(seen, i, &text))
		return NO;
	/* byte j's bits start in character 4j / 3, and end in the next */
	for (size_t j = 0; j < d->n; j++) {
		d->code[j] = (struct cell){(uint16_t)(j * 4 / 3), 2};
		d->text[j] = (struct cell){0, 0};
	}
	return i == len ? PREFIX : YES;
}

/* Whether a base64 run that the input ended in, parsed into d, reads
 * as one (parse_b64_run). */
static bool
b64_run_whole(const unsigned char *s, size_t n, const struct dump_line *d)
{
	struct b64_text text = {0, {0, 0, 0}};
	struct utf8_text utf8 = {0, 0, 0};
	unsigned seen = 0;
	bool letter = false;

	for (size_t i = 0; i < n; i++) {
		seen |= b64_class[s[i]];
		letter = letter || (is_hex(s[i]) && s[i] > '9');
	}
	for (size_t j = 0; j < d->n; j++) {
		b64_text_add(&text, d->bytes[j]);
		utf8_text_add(&utf8, d->bytes[j]);
	}
	if (d->hex_text)
		return letter && hex_text_reads(2 * d->n, &text, &utf8);
	return b64_run_reads(seen, n, &text);
}

/* The first layout the line reads as. xxd's and hexdump's text column
 * must agree with their hex: they go first. A complete line is only
 * tried as the layouts its start admits (head, from line_head): a log
 * line that starts with a date is tried as none; a line still without
 * its end is tried as all (HEAD_ANY). */
static enum verdict
parse_line(struct dump_line *d, const unsigned char *s, size_t len,
           bool complete, unsigned head)
{
	static const struct {
		enum layout layout;
		unsigned head;
		enum verdict (*parse)(const unsigned char *, size_t, bool,
		                      struct dump_line *);
	} parsers[] = {
	    {L_XXD, HEAD_XXD, parse_xxd},
	    {L_XXD, HEAD_XXD, parse_xxd_e_tail},
	    {L_XXD, HEAD_XXD, parse_xxd_bits},
	    {L_HEXDUMP, HEAD_HEXDUMP, parse_hexdump},
	    {L_OD_X1, HEAD_OD, parse_od},
	    {L_CURL_HEX, HEAD_CURL, parse_curl},
	    {L_LIST, HEAD_LIST, parse_list},
	    {L_HEX_GROUPS, HEAD_JOINED, parse_joined},
	    {L_BASE64, HEAD_BASE64, parse_base64},
	    {L_GDB, HEAD_GDB, parse_gdb},
	    {L_ASN1, HEAD_ASN1, parse_asn1},
	    {L_BIO_DUMP, HEAD_BIO, parse_bio_dump},
	    {L_HEX_TEXT, HEAD_HEX_TEXT, parse_hex_text},
	    {L_XXD, HEAD_TCPDUMP, parse_tcpdump},
	    {L_HEXYL, HEAD_HEXYL, parse_hexyl},
	    {L_SPACED, HEAD_SPACED, parse_spaced},
	};
	bool prefix = false;

	for (size_t k = 0; k < sizeof(parsers) / sizeof(parsers[0]); k++) {
		enum verdict v;

		if (!(head & parsers[k].head))
			continue;
		d->layout = parsers[k].layout;
		d->n = 0;
		d->off_len = 0;
		d->swap = 0;
		v = parsers[k].parse(s, len, complete, d);
		if (v == YES)
			return YES;
		prefix = prefix || v == PREFIX;
	}
	d->n = 0;
	return prefix ? PREFIX : NO;
}

/* A complete line read as a list line, whatever else it reads as. */
static bool
parse_list_line(struct dump_line *d, const unsigned char *s, size_t len)
{
	d->layout = L_LIST;
	d->n = 0;
	d->off_len = 0;
	d->list_next = true;
	bool yes = parse_list(s, len, true, d) == YES;

	d->list_next = false;
	return yes;
}

/* Searching a dump line: both automata over its bytes, carried on from
 * the line before when it continues that line's dump. */

static bool
offset_value(const unsigned char *s, size_t len, unsigned radix, uint64_t *v)
{
	*v = 0;
	/* BIO_dump's indent, tcpdump's tab, a diff's mark, strace's
	 * border */
	while (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '+' ||
	                   s[0] == '-' || s[0] == '|')) {
		s++;
		len--;
	}
	if (len > 2 && s[0] == '0' && s[1] == 'x') { /* gdb's */
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		int d = hex_value(s[i]);

		if (d < 0 || (unsigned)d >= radix)
			return false;
		*v = *v * radix + (unsigned)d;
	}
	return true;
}

/* od's (and hexdump's other than -C) */
static bool
od_layout(enum layout l)
{
	return l == L_OD_X1 || l == L_OD_X1Z || l == L_OD_C || l == L_OD_X2 ||
	       l == L_OD_NUMBER;
}

/*
 * Whether line s continues the last dump line: the same layout and the
 * offset that follows its bytes (od's radix is whichever fits; curl
 * --trace-ascii drops a CR LF, gap 2, at a line end).
 */
static bool
line_follows(const struct view_stream *st, const unsigned char *s, size_t *gap)
{
	const struct dump_line *d = &st->d;
	static const unsigned radixes[] = {16, 8, 10};
	/* net-snmp's offsets are decimal */
	size_t nradix = od_layout(d->layout) || d->layout == L_HEX_TEXT ? 3 : 1;
	size_t gaps = d->layout == L_CURL_ASCII ? 2 : 0;

	*gap = 0;
	/* a spaced line is one print's: the next is another's */
	if (st->last != d->layout || d->layout == L_ASN1 ||
	    d->layout == L_SPACED)
		return false;
	if (d->off_len == 0 || st->last_off_len == 0)
		return d->off_len == st->last_off_len;
	for (size_t r = 0; r < nradix; r++) {
		uint64_t prev, cur;

		if (!offset_value(st->last_off, st->last_off_len, radixes[r],
		                  &prev) ||
		    !offset_value(s, d->off_len, radixes[r], &cur))
			continue;
		for (size_t g = 0; g <= gaps; g++)
			if (cur == prev + st->last_n + g) {
				*gap = g;
				return true;
			}
	}
	return false;
}

struct search {
	struct view_stream *st;
	bool keep_prefix; /* the set's patterns: a kept prefix stays */
};

/* Where p's mask begins: a kept type prefix stays for the set's
 * patterns. */
static uint64_t
mask_start(const struct search *sr, const struct pattern *p)
{
	if (sr->keep_prefix && p->mask_lo == 0 && p->prefix != 0)
		return strlen(patterns_prefix(p->prefix));
	return p->mask_lo;
}

/* Mark the bytes [first, last] (counted as the cursors count) that lie
 * on this line. */
static void
mark_range(struct view_stream *st, uint64_t first, uint64_t last,
           uint32_t secret)
{
	if (st->d.layout == L_LIST) {
		if (last < st->pend_base)
			return; /* on a line already written */
		if (first < st->pend_base)
			first = st->pend_base;
		for (uint64_t b = first; b <= last; b++)
			if (st->pend_mark[b - st->pend_base] == 0)
				st->pend_mark[b - st->pend_base] = secret + 1;
		return;
	}
	if (first < st->base && st->pend_count > 0) {
		/* on held lines: marked by count, as a list's */
		uint64_t to = last < st->base ? last : st->base - 1;

		for (uint64_t b = first < st->pend_base ? st->pend_base : first;
		     b <= to; b++)
			if (st->pend_mark[b - st->pend_base] == 0)
				st->pend_mark[b - st->pend_base] = secret + 1;
	}
	if (last < st->base)
		return; /* on a line already written, or held */
	if (st->d.layout == L_BASE64 && first >= st->base)
		return; /* the masker masks what a base64 line holds whole */
	/* a match from a line before takes this line's leading CR and LF
	 * bytes (a binary value's), as it takes those between its bytes */
	for (size_t b = first < st->base ? 0 : st->nonsep[first - st->base];
	     b <= st->nonsep[last - st->base]; b++)
		if (st->mark[b] == 0)
			st->mark[b] = secret + 1;
}

/* Mark the line's bytes that pattern p, ending at `end`, masks. */
static void
on_match(void *ctx, const struct pattern *p, uint64_t end)
{
	struct search *sr = ctx;
	uint64_t lo = mask_start(sr, p);

	if (lo >= p->mask_hi)
		return;
	mark_range(sr->st, end - p->len + lo, end - p->len + p->mask_hi - 1,
	           p->secret);
}

/*
 * At a dump line's end, the partial match the values' cursor holds (of
 * a value, a form or a piece of a part) is masked on the line, as the
 * masker masks a held piece at a line end, when it covers PIECE_MIN masked
 * bytes or more (of the longest that does not start with PEM armour,
 * as the armour names a type): a form that goes on
 * over several lines (the base64 of an Authorization header in curl
 * --trace, 16 characters a line) shows nothing of itself on the lines
 * before its end. A list gives one byte or a few a line, so a value's
 * first line holds no whole piece: there LIST_HELD_MIN masked bytes are
 * enough ("115, 107, 95, 116"), marked on the lines held before too.
 * gdb's x/8xb gives 8 bytes a line: LIST_HELD_MIN too (few), as a value's
 * first line shows fewer than PIECE_MIN bytes of it. A kept type prefix
 * stays as in a whole match.
 */
/* The partial match cursor c holds (past PEM armour but in a list), when
 * it masks min characters or more: its pattern, its depth and the part
 * it masks, [*lo, *hi) of its characters; else NULL. */
static const struct pattern *
held_part(const struct automaton *a, const struct find_cursor *c,
          const struct search *sr, bool list, size_t min, uint32_t *depth,
          uint64_t *lo, uint64_t *hi)
{
	const struct pattern *p =
	    list ? automaton_partial(a, c->state, depth)
	         : automaton_partial_unarmoured(a, c->state, depth);

	if (p == NULL)
		return NULL;
	*lo = mask_start(sr, p);
	*hi = p->mask_hi < *depth ? p->mask_hi : *depth;
	return *hi > *lo && *hi - *lo >= min ? p : NULL;
}

static void
held_mark(const struct automaton *a, const struct find_cursor *c,
          const struct search *sr, bool list, size_t min)
{
	uint32_t depth;
	uint64_t lo, hi;
	const struct pattern *p =
	    held_part(a, c, sr, list, min, &depth, &lo, &hi);

	if (p == NULL)
		return;
	mark_range(sr->st, c->seen - depth + lo, c->seen - depth + hi - 1,
	           p->secret);
	/* the CR and LF bytes after it too, when it goes on past them (a
	 * binary value's; after a whole form they end a line of text) */
	if (!list && hi == depth && depth < p->len && depth < p->mask_hi)
		for (size_t b = sr->st->d.n;
		     b-- > 0 && is_break(sr->st->d.bytes[b]);)
			sr->st->mark[b] = p->secret + 1;
}

static void list_flush(struct view_stream *st);
static void pass(struct view_stream *st, const unsigned char *p, size_t n);

/*
 * Whether a match (or a held piece, PIECE_MIN bytes or more) may begin in a
 * base64 line or in the tail of the one before: one of the 4-byte
 * windows from the tail on starts a pattern. Its first bytes are base64
 * text, as every byte of the line is.
 */
static bool
b64_may_begin(const struct view_stream *st)
{
	const struct views *v = st->v;
	const struct dump_line *d = &st->d;
	unsigned char *edge = st->b64_edge;
	size_t t = st->b64_tail_len, e = t;

	if (v->b64_off)
		return true;
	/* the windows across the line's start */
	memcpy(edge, st->b64_tail, t);
	for (size_t j = 0; j < GRAM - 1 && j < d->n; j++)
		edge[e++] = d->bytes[j];
	for (size_t j = 0; j + GRAM <= e; j++)
		if (automaton_starts(v->all, edge + j))
			return true;
	for (size_t j = 0; j + GRAM <= d->n; j++)
		if (automaton_starts(v->all, d->bytes + j))
			return true;
	return false;
}

/*
 * A base64 line: its bytes go through the values' automaton only where
 * a match may begin (b64_may_begin) or the partial match read before
 * holds GRAM bytes or more; else the cursor only counts them. A partial
 * match of fewer lies within the last GRAM - 1 bytes read (a longer one
 * starts with a window found): the cursor is put back at the root, and
 * the automaton reads those bytes again before the next line it runs
 * on, so it reaches the state a search of every line would.
 * false: the line was not searched, and st->mark not cleared (no byte
 * of it is marked).
 */
static bool
b64_search(struct view_stream *st, struct search *all)
{
	const struct views *v = st->v;
	struct dump_line *d = &st->d;
	uint32_t depth = 0;
	bool run;

	if (st->all.state != 0)
		automaton_partial(v->all, st->all.state, &depth);
	run = v->b64_off || depth >= GRAM || b64_may_begin(st);
	/* a partial match within the tail is read again with it */
	if (!v->b64_off && depth < GRAM)
		st->all.state = 0;
	if (run)
		memset(st->mark, 0, d->n * sizeof(st->mark[0]));
	if (run && !v->b64_off && st->all.state == 0 && st->b64_tail_len > 0) {
		/* a full match ends on no tail: patterns are longer */
		st->all.seen -= st->b64_tail_len;
		automaton_find(v->all, &st->all, st->b64_tail, st->b64_tail_len,
		               on_match, all);
	}
	if (run) {
		for (size_t j = 0; j < d->n; j++) {
			st->nonsep[j] = (uint16_t)j;
			d->code[j] =
			    (struct cell){(uint16_t)(d->b64_at + j), 1};
			d->text[j] = (struct cell){0, 0};
		}
		automaton_find(v->all, &st->all, d->bytes, d->n, on_match, all);
	} else {
		st->all.seen += d->n;
	}
	st->all.separators = 0;
	st->b64_tail_len = d->n < GRAM - 1 ? d->n : GRAM - 1;
	memcpy(st->b64_tail, d->bytes + d->n - st->b64_tail_len,
	       st->b64_tail_len);
	return run;
}

/* Where each byte the cursors count lies on the line (CR and LF they
 * skip). */
static void
nonsep_make(struct view_stream *st)
{
	const struct dump_line *d = &st->d;

	for (size_t j = 0, k = 0; j < d->n; j++)
		if (!is_break(d->bytes[j]))
			st->nonsep[k++] = (uint16_t)j;
}

/* The line's bytes through both automata, marked in st->mark; false
 * when none was searched (nor marked). */
static bool
search_bytes(struct view_stream *st, struct search *all, struct search *pieces)
{
	const struct views *v = st->v;
	struct dump_line *d = &st->d;

	if (d->layout == L_BASE64) {
		/* text: no CR or LF, and its raw pieces are the masker's,
		 * on the line */
		return b64_search(st, all);
	}
	nonsep_make(st);
	memset(st->mark, 0, d->n * sizeof(st->mark[0]));
	automaton_find(v->all, &st->all, d->bytes, d->n, on_match, all);
	if (v->pieces_a != NULL)
		automaton_find(v->pieces_a, &st->pieces, d->bytes, d->n,
		               on_match, pieces);
	return true;
}

/*
 * The CR and LF bytes at the edges of a line searched alone (openssl
 * asn1parse's, a primitive's content) next to a masked byte take its
 * mark: no pattern holds them (the searches skip them, as the masker
 * skips a line end inside a form), but there they are a key's bytes.
 */
static void
edge_marks(struct view_stream *st, const struct dump_line *d)
{
	size_t j, k;

	for (j = 0; j < d->n && is_break(d->bytes[j]);)
		j++;
	for (k = j; j < d->n && k-- > 0;)
		st->mark[k] = st->mark[j];
	for (j = d->n; j > 0 && is_break(d->bytes[j - 1]);)
		j--;
	for (k = j; j > 0 && k < d->n; k++)
		st->mark[k] = st->mark[j - 1];
}

/*
 * Dotted numbers of two digits each read as hex too (Perl's %vx and
 * %v02x print a byte as hex, %vd as decimal, "73.65.79" either way): a
 * search of its own, its marks added to the decimal reading's.
 */
static void
dotted_hex_search(struct view_stream *st, const unsigned char *line,
                  struct search *all, struct search *pieces)
{
	struct dump_line *d = &st->d;
	struct find_cursor all_at = st->all, pieces_at = st->pieces;
	uint64_t base = st->base;
	unsigned char *decimal = st->copy; /* free until the line is masked */

	/* decimal digits, hex digits too */
	for (size_t j = 0; j < d->n; j++)
		if (d->code[j].len != 2)
			return;
	memcpy(st->swap_mark, st->mark, d->n * sizeof(st->mark[0]));
	memcpy(decimal, d->bytes, d->n);
	for (size_t j = 0; j < d->n; j++)
		d->bytes[j] = hex_byte(line + d->code[j].at);
	st->all = (struct find_cursor){0, 0, 0};
	st->pieces = st->all;
	st->base = 0;
	search_bytes(st, all, pieces);
	for (size_t j = 0; j < d->n; j++)
		if (st->mark[j] == 0)
			st->mark[j] = st->swap_mark[j];
	memcpy(d->bytes, decimal, d->n);
	sodium_memzero(decimal, d->n);
	nonsep_make(st);
	st->all = all_at;
	st->pieces = pieces_at;
	st->base = base;
}

/* A complete line (body bytes before its end) read into st->d as a dump
 * line whose start admits the layouts head: a list's last number
 * indented 2 ("  68") reads as od -An -tu1's field too, so after a list
 * line it goes on the list. */
static bool
line_parse(struct view_stream *st, const unsigned char *line, size_t body,
           unsigned head)
{
	st->d.under = od_layout(st->last) ? st->od_off_len : 0;
	return (st->last == L_LIST && parse_list_line(&st->d, line, body)) ||
	       parse_line(&st->d, line, body, true, head) == YES;
}

/* The line read again into st->d when a run was read there meanwhile
 * (st->d_used: a run in lead, or one held before the held lines read as
 * they are written, run_rescan). It was read once with the same state:
 * a second reading that fails cannot be, and stops the masking rather
 * than pass a line unread. */
static void
line_again(struct view_stream *st, const unsigned char *line, size_t body,
           unsigned head)
{
	if (st->d_used && !line_parse(st, line, body, head))
		abort();
}

static bool
line_search(struct view_stream *st, const unsigned char *line, size_t body,
            unsigned head)
{
	const struct views *v = st->v;
	struct dump_line *d = &st->d;
	struct search all = {st, true}, pieces = {st, false};
	size_t gap;
	bool any = false, searched;

	if (!line_follows(st, line, &gap)) {
		st->d_used = false;
		list_flush(st);
		line_again(st, line, body, head);
		st->all = (struct find_cursor){0, 0, 0};
		st->pieces = st->all;
		st->b64_tail_len = 0;
	}
	if (gap > 0) {
		const unsigned char *crlf = (const unsigned char *)"\r\n";

		automaton_find(v->all, &st->all, crlf + 2 - gap, gap, on_match,
		               &all);
		if (v->pieces_a != NULL)
			automaton_find(v->pieces_a, &st->pieces, crlf + 2 - gap,
			               gap, on_match, &pieces);
	}
	/* Both cursors see the same bytes: their counts agree. */
	st->base = st->all.seen;
	if (st->pend_count == 0)
		st->pend_base = st->base;
	if (d->swap != 0) {
		/* the other order first, from the same cursors; the line's
		 * own order goes on to the next line */
		struct find_cursor all_at = st->all, pieces_at = st->pieces;

		swap_groups(d, d->swap);
		search_bytes(st, &all, &pieces);
		swap_groups(d, d->swap);
		memcpy(st->swap_mark, st->mark, d->n * sizeof(st->mark[0]));
		st->all = all_at;
		st->pieces = pieces_at;
	}
	searched = st->searched = search_bytes(st, &all, &pieces);
	if (d->layout == L_DOTTED)
		dotted_hex_search(st, line, &all, &pieces);
	if (d->swap != 0) /* a byte's mark from either order */
		for (size_t g = 0; g < d->n; g += d->swap)
			for (size_t j = g; j < g + d->swap && j < d->n; j++)
				if (st->mark[j] == 0)
					st->mark[j] =
					    st->swap_mark[2 * g + d->swap - 1 -
					                  j];
	/* Only the values' set: the views' own windows hold JSON text
	 * (a public field's "test-proj" is no secret's beginning). */
	if (st->all.state != 0)
		held_mark(v->all, &st->all, &all, d->layout == L_LIST,
		          d->layout == L_LIST || d->layout == L_GDB ||
		                  d->layout == L_GDB_NUMBER
		              ? LIST_HELD_MIN
		              : PIECE_MIN);
	if (d->layout == L_ASN1)
		edge_marks(st, d);
	for (size_t j = 0; searched && j < d->n && d->layout != L_LIST && !any;
	     j++)
		any = st->mark[j] != 0;
	return any;
}

/*
 * A list line with masked numbers, from line into out (its length
 * returned): a masked decimal number becomes one "*" and the blanks
 * after the comma before it one blank, so neither its digits nor the
 * padding say how many it had (a byte's class: 2 digits for "A" or
 * "7", 3 for "a"); 0xHH becomes 0x**.
 */
static size_t
list_mask(const struct dump_line *d, const uint32_t *mark,
          const unsigned char *line, size_t len, unsigned char *out)
{
	size_t pos = 0, n = 0;

	for (size_t j = 0, next; j < d->n; j = next) {
		struct cell c = d->code[j];
		/* 0xHH's cell is its two hex digits, a character's is
		 * within its quotes */
		bool hex = c.at > 0 && (line[c.at - 1] | 0x20) == 'x';
		bool quoted = c.at > 0 &&
		              (line[c.at - 1] == '\'' || line[c.at - 1] == '"');
		/* numpy pads a number before it, no comma between (a
		 * row's indent before its first stays, as in any list) */
		bool comma = d->list_blanks && j > 0, masked = false;

		/* the bytes of one character share its cell */
		for (next = j; next < d->n && d->code[next].at == c.at; next++)
			masked = masked || mark[next] != 0;
		for (; pos < c.at; pos++) {
			comma = comma || line[pos] == ',';
			/* util.inspect pads a character after it (its
			 * width: an escape's) and a number before it */
			if ((quoted || (masked && !hex)) && comma &&
			    line[pos] == ' ' && n > 0 && out[n - 1] == ' ')
				continue;
			/* and numpy's after a "[" ("[ 49") */
			if (masked && !hex && !quoted && line[pos] == ' ' &&
			    n > 0 && out[n - 1] == '[')
				continue;
			out[n++] = line[pos];
		}
		if (!masked) {
			memcpy(out + n, line + c.at, c.len);
			n += c.len;
		} else {
			/* a star a digit of 0xHH (gdb's 0x0 has one) */
			size_t stars = hex ? c.len : 1;

			memset(out + n, '*', stars);
			n += stars;
		}
		pos = c.at + c.len;
	}
	memcpy(out + n, line + pos, len - pos);
	return n + len - pos;
}

/* Stars over the masked bytes' cells: "**" for hex, "   *" for an od -c
 * or decimal field, "*" in the text column; one mask counted per run. */
static void
line_mask(struct view_stream *st, const struct dump_line *d,
          const uint32_t *mark, bool run, unsigned char *line)
{
	for (size_t j = 0; j < d->n; j++) {
		struct cell c = d->code[j];

		if (mark[j] == 0)
			continue;
		if (j == 0 ? !run : mark[j - 1] == 0)
			masker_count(st->m, mark[j] - 1);
		if (d->layout == L_LIST || d->layout == L_DOTTED ||
		    d->layout == L_SPACED || d->layout == L_PY_BYTES ||
		    d->layout == L_CHAR_RUN)
			continue; /* list_mask, bytes_mask write it */
		if (d->layout == L_OD_C || d->layout == L_OD_NUMBER ||
		    d->layout == L_GDB_NUMBER) {
			memset(line + c.at, ' ', c.len);
			line[c.at + c.len - 1] = '*';
		} else {
			memset(line + c.at, '*', c.len);
		}
		if (d->text[j].len != 0)
			memset(line + d->text[j].at, '*', d->text[j].len);
	}
}

/* The line length without its line end. */
static size_t
line_body(const unsigned char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	return len;
}

/* Whether s starts as hexyl's line does: its border (| or U+2502), a
 * colour code or not, a hex digit. */
static bool
hexyl_head(const unsigned char *s, size_t len)
{
	size_t i = len > 0 && s[0] == '|'                         ? 1
	           : len > 2 && memcmp(s, "\xe2\x94\x82", 3) == 0 ? 3
	                                                          : 0;

	if (i == 0)
		return false;
	i = skip_colour(s, len, i);
	return i < len && is_hex(s[i]);
}

/* hexyl --border none's line: a blank, its offset of 8 hex digits or
 * more (colour codes around it) and two blanks. */
static bool
hexyl_none_head(const unsigned char *s, size_t len)
{
	size_t i, digits;

	if (len < 12 || s[0] != ' ' || (s[1] != 0x1b && !is_hex(s[1])))
		return false;
	i = skip_colour(s, len, 1);
	for (digits = 0; i < len && is_hex(s[i]) && digits <= OFFSET_MAX;)
		i++, digits++;
	if (digits < 8 || digits > OFFSET_MAX)
		return false;
	i = skip_colour(s, len, i);
	return len - i > 2 && s[i] == ' ' && s[i + 1] == ' ';
}

/* HEAD_HEXDUMP for a complete hexdump -C line after a lead
 * (hexdump_lead): 8 hex digits or more, two blanks, and '|' last (an
 * indented line of code or of a diff is refused by its last byte). */
static unsigned
hexdump_head(const unsigned char *s, size_t len)
{
	size_t f, i;

	if (len == 0 || s[len - 1] != '|')
		return 0;
	f = hexdump_lead(s, len);
	i = f;
	if (f == 0 || f > HEXDUMP_INDENT_MAX)
		return 0;
	while (i < len && i - f <= OFFSET_MAX && is_hex(s[i]))
		i++;
	return i >= f + 8 && i + 1 < len && s[i] == ' ' && s[i + 1] == ' '
	           ? HEAD_HEXDUMP
	           : 0;
}

/* The layouts a complete line's start admits (len counts its line end).
 * A tab first: base64 alone can start so, and tcpdump's "\t0x" (the
 * others start with a blank, "[" or a digit), and an indented line of
 * code is told from it
 * in a few bytes, its line end left on (base64_head stops there). Inline:
 * out of line, tab-indented text took 2 % more instructions to mask. */
static inline unsigned
line_layouts(const unsigned char *line, size_t len)
{
	const unsigned char c = len > 0 ? line[0] : 0;
	size_t body;

	if (c == '\t')
		return (base64_head(line, len) ? HEAD_BASE64 : 0) |
		       (len > 3 && line[1] == '0' && line[2] == 'x'
		            ? HEAD_TCPDUMP
		            : 0) |
		       hexdump_head(line, line_body(line, len)) |
		       /* tshark's "follow" dump, the other side's lines */
		       (len > 1 && is_hex(line[1])
		            ? line_head(line, line_body(line, len)) &
		                  HEAD_HEX_TEXT
		            : 0);
	body = line_body(line, len);
	if (c == '|' || c == 0xe2) /* no other layout starts so */
		return (hexyl_head(line, body) ? HEAD_HEXYL : 0) |
		       (spaced_start(line, body) ? HEAD_SPACED : 0);
	if (c == '+' || c == '-') /* a diff's, or YAML's "- 115" */
		return hexdump_head(line, body) |
		       (len > 1 && (line[1] == ' ' || line[1] == '[')
		            ? line_head(line, body) & HEAD_LIST
		            : 0);
	return line_head(line, body) |
	       (c == ' ' ? hexdump_head(line, body) |
	                       (hexyl_none_head(line, body) ? HEAD_HEXYL : 0)
	                 : 0);
}

/* The marks of a held line's bytes: a line break inside a masked run
 * (a list of characters) is masked with it, as mark_range does; on a
 * dump line of another layout, also one at the line's start or end in a
 * run that goes on from the line before or to the line after (a binary
 * key's CR and LF), as mark_range and held_mark do. */
static bool
list_marks(struct view_stream *st, const struct dump_line *d,
           const struct pend_line *pl)
{
	uint32_t *mark = st->released_mark, count = pl->count;
	bool edges = d->layout != L_LIST;
	size_t k = 0;
	bool any = false;

	for (size_t j = 0; j < d->n; j++) {
		bool sep = d->bytes[j] == '\r' || d->bytes[j] == '\n';

		if (!sep)
			mark[j] = k < count ? st->pend_mark[k++] : 0;
		else if (j > 0 && k < count)
			mark[j] = st->pend_mark[k] != 0 ? mark[j - 1] : 0;
		else if (!edges || k >= HELD_CAP)
			mark[j] = 0;
		else if (k == 0)
			mark[j] = pl->lead_mark != 0 ? pl->lead_mark
			          : st->pend_run     ? st->pend_mark[k]
			                             : 0;
		else
			mark[j] = pl->tail_mark != 0 ? pl->tail_mark
			          : mark[j - 1] != 0 && st->pend_mark[k] != 0
			              ? mark[j - 1]
			              : 0;
		any = any || mark[j] != 0;
	}
	return any;
}

/* Whether any byte of the first held line (pl) is marked: most are
 * held for a partial match that then fails, and written unread. */
static bool
held_marked(const struct view_stream *st, const struct pend_line *pl)
{
	if (pl->lead_mark != 0 || pl->tail_mark != 0)
		return true;
	for (uint32_t k = 0; k < pl->count; k++)
		if (st->pend_mark[k] != 0)
			return true;
	return false;
}

/* A held line read again as it was read when it came (pl). */
static bool
held_parse(struct dump_line *d, const struct pend_line *pl,
           const unsigned char *text)
{
	size_t body = line_body(text, pl->len);

	if (pl->layout == L_LIST)
		return parse_list_line(d, text, body);
	d->under = pl->under;
	if (parse_line(d, text, body, true, line_layouts(text, pl->len)) !=
	        YES ||
	    d->layout != pl->layout)
		return false;
	/* a base64 line's cells are its characters (b64_search's) */
	for (size_t j = 0; d->layout == L_BASE64 && j < d->n; j++) {
		d->code[j] = (struct cell){(uint16_t)(d->b64_at + j), 1};
		d->text[j] = (struct cell){0, 0};
	}
	return true;
}

static bool masker_leaves_b64(struct view_stream *st, const struct dump_line *d,
                              uint32_t *mark, size_t len);

static void run_rescan(struct view_stream *st, bool final);

/*
 * The first held line written, masked where its marks say. A run held
 * when it was taken (pprint's piece of bytes at the end of the line
 * before, waiting for the next line) came before it: read first, as it
 * is, since the line after it is no piece of it. (Released here while
 * held, the run followed it: print(b'abc'); print(42) came out as
 * "b42" and "'abc'".)
 */
static void
list_release(struct view_stream *st)
{
	struct pend_line pl;
	struct dump_line *d = &st->released;
	const unsigned char *text;

	if (st->run_len > 0)
		run_rescan(st, true);
	pl = st->pend_lines[0];
	text = st->pend + pl.at;

	if (pl.mirror) {
		/* the line above's marks, byte for byte */
		if (st->released_any && held_parse(d, &pl, text) &&
		    d->n == st->released_n) {
			memcpy(st->pend_out, text, pl.len);
			line_mask(st, d, st->released_mark, false,
			          st->pend_out);
			masker_feed(st->m, st->pend_out, pl.len);
			sodium_memzero(st->pend_out, pl.len);
		} else {
			masker_feed(st->m, text, pl.len);
		}
	} else if (held_marked(st, &pl) && held_parse(d, &pl, text) &&
	           list_marks(st, d, &pl) &&
	           (d->layout != L_BASE64 ||
	            masker_leaves_b64(st, d, st->released_mark, pl.len))) {
		size_t out = pl.len;

		if (d->layout == L_LIST || d->layout == L_DOTTED ||
		    d->layout == L_SPACED) {
			line_mask(st, d, st->released_mark, st->pend_run,
			          st->pend_out);
			out = list_mask(d, st->released_mark, text, pl.len,
			                st->pend_out);
		} else {
			memcpy(st->pend_out, text, pl.len);
			line_mask(st, d, st->released_mark, st->pend_run,
			          st->pend_out);
		}
		masker_feed(st->m, st->pend_out, out);
		sodium_memzero(st->pend_out, out);
		st->pend_run = st->released_mark[d->n - 1] != 0;
		st->released_any = true;
		st->released_n = d->n;
	} else {
		masker_feed(st->m, text, pl.len);
		st->pend_run = false;
		st->released_any = false;
	}
	dump_wipe(d);
	memmove(st->pend, st->pend + pl.len, st->pend_len - pl.len);
	st->pend_len -= pl.len;
	sodium_memzero(st->pend + st->pend_len, pl.len);
	st->pend_marks -= pl.count;
	memmove(st->pend_mark, st->pend_mark + pl.count,
	        st->pend_marks * sizeof(*st->pend_mark));
	memset(st->pend_mark + st->pend_marks, 0,
	       pl.count * sizeof(*st->pend_mark));
	st->pend_base += pl.count;
	st->pend_count--;
	for (size_t i = 0; i < st->pend_count; i++) {
		st->pend_lines[i] = st->pend_lines[i + 1];
		st->pend_lines[i].at -= pl.len;
	}
}

/* The held lines written; a run held before them (pprint's pieces of
 * bytes, waiting for the next line) first (list_release), as it is read
 * so far. */
static void
list_flush(struct view_stream *st)
{
	while (st->pend_count > 0)
		list_release(st);
	st->pend_run = false;
}

/* The partial match the deeper of the two cursors holds: how many of
 * the bytes read it covers. */
static uint64_t
list_partial(const struct view_stream *st)
{
	uint32_t all = 0, pieces = 0;

	if (automaton_partial(st->v->all, st->all.state, &all) == NULL)
		all = 0;
	if (st->v->pieces_a == NULL ||
	    automaton_partial(st->v->pieces_a, st->pieces.state, &pieces) ==
	        NULL)
		pieces = 0;
	return all > pieces ? all : pieces;
}

/*
 * A line searched (pl says how): held with the lines before it, then the
 * held lines that no match can reach any more are written. A match that
 * ends later starts within the partial match the cursors hold now.
 */
static void
pend_add(struct view_stream *st, const unsigned char *line, struct pend_line pl)
{
	uint64_t keep_from;

	pl.at = (uint32_t)st->pend_len;
	st->pend_lines[st->pend_count++] = pl;
	memcpy(st->pend + st->pend_len, line, pl.len);
	st->pend_len += pl.len;
	st->pend_marks += pl.count;
	keep_from = st->all.seen - list_partial(st);
	while (st->pend_count > 0 &&
	       st->pend_lines[0].base + st->pend_lines[0].count <= keep_from)
		list_release(st);
}

/* The line just searched (st->d), as held: its bytes counted. */
static struct pend_line
pend_line_of(const struct view_stream *st, size_t len)
{
	struct pend_line pl = {.len = (uint32_t)len,
	                       .base = st->base,
	                       .layout = (uint8_t)st->d.layout,
	                       .under = (uint8_t)st->d.under};

	for (size_t j = 0; j < st->d.n; j++)
		pl.count += !is_break(st->d.bytes[j]);
	return pl;
}

static void
list_take(struct view_stream *st, const unsigned char *line, size_t len)
{
	pend_add(st, line, pend_line_of(st, len));
}

/*
 * A dump line of another layout than a list's that ends inside a
 * partial match, or comes after held lines: held with them, its marks
 * kept by count; lead (the text before it, none when lines are held)
 * is written first. So a value that starts late on a dump line (5 of
 * its bytes on the first, in xxd's 16) is masked there too once its
 * match ends on a later line, and shown if it does not.
 */
static void
dump_take(struct view_stream *st, const unsigned char *line, size_t len,
          const unsigned char *lead, size_t lead_len)
{
	struct pend_line pl = pend_line_of(st, len);
	uint32_t *mark = st->pend_mark + (st->base - st->pend_base);
	size_t n = st->d.n;

	for (size_t j = 0, k = 0; j < n; j++)
		if (!is_break(st->d.bytes[j]))
			mark[k++] = st->searched ? st->mark[j] : 0;
	if (n > 0 && st->searched && is_break(st->d.bytes[0]))
		pl.lead_mark = st->mark[0];
	if (n > 0 && st->searched && is_break(st->d.bytes[n - 1]))
		pl.tail_mark = st->mark[n - 1];
	/* no line is held yet when there is lead: this line is the first */
	pass(st, lead, lead_len);
	pend_add(st, line, pl);
}

/* Room for a list line of len bytes: the oldest held lines are written
 * (a match reaching them is past what a stream holds). */
static void
list_room(struct view_stream *st, size_t len)
{
	while (st->pend_count > 0 &&
	       (st->pend_len + len > HELD_CAP || st->pend_count == PEND_LINES))
		list_release(st);
}

static void
memory_ensure(struct view_stream *st)
{
	if (st->mem != NULL)
		return;
	st->mem = secmem_alloc(6 * HELD_CAP + 2 * BYTES_MAX + 3 * (GRAM - 1) +
	                       CONTEXT_MAX);
	st->held = st->mem;
	st->copy = st->mem + HELD_CAP;
	st->pend = st->mem + 2 * HELD_CAP;
	st->pend_out = st->mem + 3 * HELD_CAP;
	st->run = st->mem + 4 * HELD_CAP;
	st->run_out = st->mem + 5 * HELD_CAP;
	st->d.bytes = st->mem + 6 * HELD_CAP;
	st->released.bytes = st->d.bytes + BYTES_MAX;
	st->b64_tail = st->released.bytes + BYTES_MAX;
	st->b64_edge = st->b64_tail + (GRAM - 1);
	st->run_context = st->b64_edge + 2 * (GRAM - 1);
}

/*
 * Inline runs: Node's hex runs and Python's bytes literals wherever
 * they stand in the text that passes (a line that is no dump line, or
 * one with nothing masked), each read as the bytes it shows and
 * searched alone, as an asn1parse line is. A run's start that the
 * text ends in is held until its end comes (run_feed).
 */

/* The byte `back` places before s + k: in s, or before s on its line
 * (st->run_context); '\n' before the line's start. */
static unsigned char
byte_before(const struct view_stream *st, const unsigned char *s, size_t k,
            size_t back)
{
	if (back <= k)
		return s[k - back];
	back -= k;
	return back <= st->run_context_len
	           ? st->run_context[st->run_context_len - back]
	           : '\n';
}

/* Before a bytes literal's b: a name's letter (rb'', Bob's), or a
 * quote or a backslash (['a', 'b', 'c']), is none of repr()'s. */
static bool
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '\'' || c == '"' ||
	       c == '\\';
}

/* util.inspect's name for an ArrayBuffer's bytes before s + k, with
 * its colour or without. */
static bool
uint8_contents_before(const struct view_stream *st, const unsigned char *s,
                      size_t k)
{
	static const char *const names[] = {"[Uint8Contents]: ",
	                                    "[Uint8Contents]\x1b[39m: "};

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		size_t len = strlen(names[n]), j = 1;

		while (j <= len && byte_before(st, s, k, j) ==
		                       (unsigned char)names[n][len - j])
			j++;
		if (j > len)
			return true;
	}
	return false;
}

/* Whether the ESC at s + p may start an OSC string (ESC ]; its second
 * byte not read yet). */
static inline bool
osc_lead(const unsigned char *s, size_t p, size_t len)
{
	return p + 1 == len || s[p + 1] == ']';
}

/* Of the candidates in mask (bit i for s + k + i, k + i >= 3: a '<', a
 * "]" after an ESC, a quote after a 'b', a "[" or a "(", an x after a 0,
 * a comma two or three bytes after a "["), the first that may lead a
 * run: a '<', the ESC before the "]" (when at `from`, where the search
 * started, or after), a quote whose b follows no word (is_word: a JSON
 * string's "...b" ends so), the 0 of a 0x that may begin a hex run's
 * item (hex_item_may), the "[" or "(" of a list of characters
 * (char_run_lead; at `from` or after); len for none. */
static inline size_t
lead_among(const unsigned char *s, size_t from, size_t k, uint64_t mask,
           size_t len)
{
	for (; mask != 0; mask &= mask - 1) {
		size_t p = k + (size_t)__builtin_ctzll(mask);

		if (s[p] == ']') {
			if (p - 1 >= from)
				return p - 1;
			continue;
		}
		if ((s[p] | 0x20) == 'x') { /* the 0 of 0x */
			if (p - 1 >= from && hex_run_after(s[p - 2]) &&
			    hex_item_may(s, len, p))
				return p - 1;
			continue;
		}
		if (s[p] == ',' || s[p] == ' ') { /* "[c," "[73," "[c " */
			size_t q =
			    s[p - 2] == '[' || s[p - 2] == '{' ? p - 2 : p - 3;

			if (q >= from &&
			    (s[q] == '[' || (s[q] == '{' && s[p] == ',')) &&
			    char_run_lead(s, len, q))
				return q;
			continue;
		}
		if (s[p - 1] == '[' || s[p - 1] == '(' ||
		    s[p - 1] == '{') { /* a quote after */
			if (p - 1 >= from && char_run_lead(s, len, p - 1))
				return p - 1;
			continue;
		}
		if (s[p] == '<' || !is_word(s[p - 2]))
			return p;
	}
	return len;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* lead_raw's steps, 64 bytes at a time, where the processor has AVX2:
 * where the first lead of s + k on is, or the offset it stopped at
 * (less than 64 bytes before len). */
__attribute__((target("avx2"))) static size_t
lead_raw_avx2(const unsigned char *s, size_t len, size_t k)
{
	const size_t from = k;
	const __m256i lt = _mm256_set1_epi8('<'), b = _mm256_set1_epi8('b'),
	              single = _mm256_set1_epi8('\''),
	              dbl = _mm256_set1_epi8('"'), esc = _mm256_set1_epi8(0x1b),
	              osc = _mm256_set1_epi8(']'), x = _mm256_set1_epi8('x'),
	              zero = _mm256_set1_epi8('0'),
	              lower = _mm256_set1_epi8(0x20),
	              bracket = _mm256_set1_epi8('['),
	              paren = _mm256_set1_epi8('('),
	              brace = _mm256_set1_epi8('{'),
	              comma = _mm256_set1_epi8(','),
	              blank = _mm256_set1_epi8(' '),
	              nine = _mm256_set1_epi8('9' - '-'),
	              minus = _mm256_set1_epi8('-');

	for (; k + 64 <= len; k += 64) {
		__m256i hit[2];

		for (size_t h = 0; h < 2; h++) {
			const unsigned char *p = s + k + 32 * h;
			__m256i at = _mm256_loadu_si256((const __m256i *)p);
			__m256i before =
			    _mm256_loadu_si256((const __m256i *)(p - 1));
			__m256i quote =
			    _mm256_or_si256(_mm256_cmpeq_epi8(at, single),
			                    _mm256_cmpeq_epi8(at, dbl));
			/* a quote after "[", "(", "{" or a 'b'; a comma two
			 * or three bytes after a "[" */
			__m256i opens = _mm256_or_si256(
			    _mm256_or_si256(_mm256_cmpeq_epi8(before, b),
			                    _mm256_cmpeq_epi8(before, bracket)),
			    _mm256_or_si256(_mm256_cmpeq_epi8(before, paren),
			                    _mm256_cmpeq_epi8(before, brace)));
			/* or a blank ("[s k": Go's %v of a []string); after
			 * a "{" too (Commons Lang's {s,k,...}) */
			__m256i two = _mm256_loadu_si256(
			            (const __m256i *)(p - 2)),
			        three = _mm256_loadu_si256(
			            (const __m256i *)(p - 3));
			__m256i item = _mm256_and_si256(
			    _mm256_or_si256(_mm256_cmpeq_epi8(at, comma),
			                    _mm256_cmpeq_epi8(at, blank)),
			    _mm256_or_si256(
			        _mm256_or_si256(_mm256_cmpeq_epi8(two, bracket),
			                        _mm256_cmpeq_epi8(two, brace)),
			        _mm256_or_si256(
			            _mm256_cmpeq_epi8(three, bracket),
			            _mm256_cmpeq_epi8(three, brace))));

			__m256i hex = _mm256_and_si256(
			    _mm256_cmpeq_epi8(_mm256_or_si256(at, lower), x),
			    _mm256_cmpeq_epi8(before, zero));
			/* a digit or a minus after a "{" (gdb's "{114 'r'"):
			 * "-" to "9", one range ("." and "/" pass too) */
			__m256i digit = _mm256_sub_epi8(at, minus);
			__m256i number = _mm256_and_si256(
			    _mm256_cmpeq_epi8(before, brace),
			    _mm256_cmpeq_epi8(_mm256_min_epu8(digit, nine),
			                      digit));

			hit[h] = _mm256_or_si256(
			    _mm256_or_si256(
			        _mm256_or_si256(_mm256_cmpeq_epi8(at, lt), hex),
			        _mm256_and_si256(
			            _mm256_cmpeq_epi8(at, osc),
			            _mm256_cmpeq_epi8(before, esc))),
			    _mm256_or_si256(
			        _mm256_or_si256(_mm256_and_si256(quote, opens),
			                        item),
			        number));
		}
		__m256i any = _mm256_or_si256(hit[0], hit[1]);

		if (!_mm256_testz_si256(any, any)) {
			uint64_t mask =
			    (uint32_t)_mm256_movemask_epi8(hit[0]) |
			    (uint64_t)(uint32_t)_mm256_movemask_epi8(hit[1])
			        << 32;
			size_t p = lead_among(s, from, k, mask, len);

			if (p < len)
				return p;
		}
	}
	return k;
}
#endif

/*
 * Where a run may start in s from k on (k >= 3): a '<', an ESC ] (or an
 * ESC at the end, whose next byte is still to come), a quote after a
 * 'b' that follows no word, a 0x item's 0 (or a 0 at the end), or the
 * "[" or "(" of a list of characters (char_run_lead: also where s ends
 * before it tells); len when nowhere. Every byte that
 * passes is looked at: 64 at a time with AVX2, 16 with SSE2.
 */
static size_t
lead_raw(const unsigned char *s, size_t len, size_t k)
{
	const size_t from = k;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
	if (avx2) {
		k = lead_raw_avx2(s, len, k);
		if (k + 64 <= len)
			return k;
	}
#endif
#ifdef __SSE2__
	const __m128i lt = _mm_set1_epi8('<'), b = _mm_set1_epi8('b'),
	              single = _mm_set1_epi8('\''), dbl = _mm_set1_epi8('"'),
	              esc = _mm_set1_epi8(0x1b), osc = _mm_set1_epi8(']'),
	              x = _mm_set1_epi8('x'), zero = _mm_set1_epi8('0'),
	              lower = _mm_set1_epi8(0x20), bracket = _mm_set1_epi8('['),
	              paren = _mm_set1_epi8('('), brace = _mm_set1_epi8('{'),
	              comma = _mm_set1_epi8(','), blank = _mm_set1_epi8(' '),
	              nine = _mm_set1_epi8('9' - '-'),
	              minus = _mm_set1_epi8('-');

	for (; k + 16 <= len; k += 16) {
		__m128i at = _mm_loadu_si128((const __m128i *)(s + k));
		__m128i before = _mm_loadu_si128((const __m128i *)(s + k - 1));
		__m128i quote = _mm_or_si128(_mm_cmpeq_epi8(at, single),
		                             _mm_cmpeq_epi8(at, dbl));
		__m128i hex =
		    _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(at, lower), x),
		                  _mm_cmpeq_epi8(before, zero));
		__m128i opens =
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(before, b),
		                              _mm_cmpeq_epi8(before, bracket)),
		                 _mm_or_si128(_mm_cmpeq_epi8(before, paren),
		                              _mm_cmpeq_epi8(before, brace)));
		__m128i two = _mm_loadu_si128((const __m128i *)(s + k - 2)),
		        three = _mm_loadu_si128((const __m128i *)(s + k - 3));
		__m128i item = _mm_and_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(at, comma),
		                 _mm_cmpeq_epi8(at, blank)),
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(two, bracket),
		                              _mm_cmpeq_epi8(two, brace)),
		                 _mm_or_si128(_mm_cmpeq_epi8(three, bracket),
		                              _mm_cmpeq_epi8(three, brace))));
		__m128i digit = _mm_sub_epi8(at, minus);
		__m128i number = _mm_and_si128(
		    _mm_cmpeq_epi8(before, brace),
		    _mm_cmpeq_epi8(_mm_min_epu8(digit, nine), digit));
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(at, lt), hex),
		                 _mm_and_si128(_mm_cmpeq_epi8(at, osc),
		                               _mm_cmpeq_epi8(before, esc))),
		    _mm_or_si128(
		        _mm_or_si128(_mm_and_si128(quote, opens), item),
		        number));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		size_t p = mask != 0 ? lead_among(s, from, k, mask, len) : len;

		if (p < len)
			return p;
	}
#endif
	for (; k < len; k++) {
		/* an ESC the blocks above ended on */
		if (s[k] == ']' && s[k - 1] == 0x1b && k - 1 >= from)
			return k - 1;
		if ((s[k] | 0x20) == 'x' && s[k - 1] == '0' && k - 1 >= from &&
		    hex_run_after(s[k - 2]) && hex_item_may(s, len, k))
			return k - 1;
		if (s[k] == ',' || s[k] == ' ') { /* "[c," "[73," "[c " */
			size_t q =
			    s[k - 2] == '[' || s[k - 2] == '{' ? k - 2 : k - 3;

			if (q >= from &&
			    (s[q] == '[' || (s[q] == '{' && s[k] == ',')) &&
			    char_run_lead(s, len, q))
				return q;
		}
		if ((s[k] == '\'' || s[k] == '"' ||
		     (s[k - 1] == '{' &&
		      ((s[k] >= '0' && s[k] <= '9') || s[k] == '-'))) &&
		    (s[k - 1] == '[' || s[k - 1] == '(' || s[k - 1] == '{') &&
		    k - 1 >= from && char_run_lead(s, len, k - 1))
			return k - 1;
		if (s[k] == '<' || (s[k] == 0x1b && osc_lead(s, k, len)) ||
		    ((s[k] == '\'' || s[k] == '"') && s[k - 1] == 'b' &&
		     !is_word(s[k - 2])))
			return k;
	}
	/* a "[" or "(" in s's last bytes whose list is not told yet: the
	 * bytes that tell come with the next write */
	for (k = len - from > 3 ? len - 3 : from; k < len; k++)
		if ((s[k] == '[' || s[k] == '(' || s[k] == '{') &&
		    char_run_lead(s, len, k))
			return k;
	/* an ESC that ends s, in a block above: its "]" may come with the
	 * next write (passed now, the string after it would be missed) */
	if (len > from && s[len - 1] == 0x1b)
		return len - 1;
	/* so a 0 that ends s, whose x may come next */
	if (len > from && s[len - 1] == '0' && hex_run_after(s[len - 2]))
		return len - 1;
	return len;
}

/* Where a run may start in s from k on: as lead_raw says, the first
 * three bytes' look before s read from what came before; len when
 * nowhere. */
static size_t
lead_next(const struct view_stream *st, const unsigned char *s, size_t len,
          size_t k)
{
	/* the first three bytes look back before s; a list of characters
	 * starts at its "[" or "(", in s */
	for (; k < 3 && k < len; k++)
		if (s[k] == '<' || (s[k] == 0x1b && osc_lead(s, k, len)) ||
		    ((s[k] == '[' || s[k] == '(' || s[k] == '{') &&
		     char_run_lead(s, len, k)) ||
		    (s[k] == '0' &&
		     (k + 1 == len || ((s[k + 1] | 0x20) == 'x' &&
		                       hex_item_may(s, len, k + 1))) &&
		     hex_run_after(byte_before(st, s, k, 1))) ||
		    ((s[k] == '\'' || s[k] == '"') &&
		     byte_before(st, s, k, 1) == 'b' &&
		     !is_word(byte_before(st, s, k, 2))))
			return k;
	return k < len ? lead_raw(s, len, k) : len;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/*
 * b64_mask with AVX2: each byte's class by its high nibble (2: + - /,
 * 3: digits, 4 and 6: letters A-O and a-o, 5: P-Z and _, 7: p-z) ANDed
 * with the classes its low nibble admits; bytes past ASCII have none.
 */
__attribute__((target("avx2"))) static uint64_t
b64_mask_avx2(const unsigned char *p)
{
	const __m256i hi_class = _mm256_setr_epi8(
	    0, 0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i lo_admits = _mm256_setr_epi8(
	    0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e, 0x1c,
	    0x05, 0x04, 0x05, 0x04, 0x0d, 0x1a, 0x1e, 0x1e, 0x1e, 0x1e, 0x1e,
	    0x1e, 0x1e, 0x1e, 0x1e, 0x1c, 0x05, 0x04, 0x05, 0x04, 0x0d);
	const __m256i nibble = _mm256_set1_epi8(0x0f),
	              none = _mm256_setzero_si256();
	uint64_t m = 0;

	for (size_t h = 0; h < 2; h++) {
		__m256i c = _mm256_loadu_si256((const __m256i *)(p + 32 * h));
		__m256i hi = _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble);
		__m256i lo = _mm256_and_si256(c, nibble);
		__m256i k =
		    _mm256_and_si256(_mm256_shuffle_epi8(hi_class, hi),
		                     _mm256_shuffle_epi8(lo_admits, lo));

		m |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(
		         _mm256_cmpeq_epi8(k, none))
		     << (32 * h);
	}
	return m;
}
#endif

/* Bit i set when p[i] is a base64 character, for 64 bytes: 32 at a time
 * with AVX2, 16 with SSE2. */
static uint64_t
b64_mask(const unsigned char *p)
{
	uint64_t m = 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
	if (avx2)
		return b64_mask_avx2(p);
#endif
#ifdef __SSE2__
	const __m128i lower = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'),
	              zero = _mm_set1_epi8('0'), z = _mm_set1_epi8(25),
	              nine = _mm_set1_epi8(9), plus = _mm_set1_epi8('+'),
	              slash = _mm_set1_epi8('/'), minus = _mm_set1_epi8('-'),
	              under = _mm_set1_epi8('_');

	for (size_t q = 0; q < 4; q++) {
		__m128i c = _mm_loadu_si128((const __m128i *)(p + 16 * q));
		__m128i l = _mm_sub_epi8(_mm_or_si128(c, lower), a);
		__m128i d = _mm_sub_epi8(c, zero);
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(l, z), l),
		                 _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d)),
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, plus),
		                              _mm_cmpeq_epi8(c, slash)),
		                 _mm_or_si128(_mm_cmpeq_epi8(c, minus),
		                              _mm_cmpeq_epi8(c, under))));

		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * q);
	}
#else
	for (size_t i = 0; i < 64; i++)
		m |= (uint64_t)is_base64(p[i]) << i;
#endif
	return m;
}

/* b64_mask of s + k to s's end, at most 64 bytes: bits past the end
 * clear. A line shorter than 64 bytes is copied (and wiped: it is the
 * stream's text, which may hold a value). */
static uint64_t
b64_mask_at(const unsigned char *s, size_t len, size_t k)
{
	unsigned char tail[64] = {0};
	uint64_t m;

	if (k + 64 <= len)
		return b64_mask(s + k);
	if (len >= 64)
		return b64_mask(s + len - 64) >> (k + 64 - len);
	memcpy(tail, s + k, len - k);
	m = b64_mask(tail);
	sodium_memzero(tail, sizeof(tail));
	return m;
}

/*
 * Where a run of base64 text may start in s from k on: a base64
 * character after none, with B64_RUN_MIN of them from there, or s's end
 * first (the run may go on); len when nowhere. A run that k is inside
 * began before k and was looked at then. 64 bytes at a time: a run of
 * B64_RUN_MIN starts at the lowest bit set in the mask ANDed with itself
 * shifted 1, 2, 4 and 8 places (each bit then says the next 16 are
 * set), once the run that began in an earlier block is cut off.
 */
static size_t
b64_next(const struct view_stream *st, const unsigned char *s, size_t len,
         size_t k, size_t *run_end)
{
	/* the base64 characters just before k, of a run that may still
	 * be one; old: k is inside a run looked at before */
	size_t run = 0;
	bool old =
	    k < len && is_base64(s[k]) && is_base64(byte_before(st, s, k, 1));

	*run_end = 0;
	for (; k < len; k += 64) {
		size_t n = len - k < 64 ? len - k : 64, lead;
		uint64_t m = b64_mask_at(s, len, k), m16;

		lead = ~m == 0 ? 64 : (size_t)__builtin_ctzll(~m);
		if (!old && run + lead >= B64_RUN_MIN)
			return k - run;
		if (lead >= n) { /* the block is one run's */
			run += old ? 0 : n;
			continue;
		}
		old = false;
		m &= ~(((uint64_t)1 << lead) - 1);
		m16 = m & (m >> 1);
		m16 &= m16 >> 2;
		m16 &= m16 >> 4;
		m16 &= m16 >> 8;
		if (m16 != 0) {
			/* at > lead, where m has a 0: m >> at is not all
			 * ones */
			size_t at = (size_t)__builtin_ctzll(m16),
			       ones = (size_t)__builtin_ctzll(~(m >> at));

			/* where the run ends, when the block shows it */
			*run_end = at + ones < n ? k + at + ones : 0;
			return k + at;
		}
		/* a run to the block's end goes on into the next */
		run = (size_t)__builtin_clzll(~(m << (64 - n)));
	}
	return old || run == 0 ? len : len - run;
}

/* A base64 run's place, read as hex text or as base64 (L_B64_RUN). */
static enum verdict
parse_encoded_run(const unsigned char *s, size_t len, struct dump_line *d,
                  size_t *end)
{
	enum verdict v;

	d->layout = L_B64_RUN;
	d->n = 0;
	d->hex_text = false;
	if ((v = parse_hex_text_run(s, len, d, end)) != NO)
		return v;
	dump_wipe(d);
	d->n = 0;
	d->hex_text = false;
	return parse_b64_run(s, len, d, end);
}

/* The run whose lead is at s + k, read into st->d (cells from s + k
 * on); *end past it (from s). b64: a base64 run may start at k too. */
static enum verdict
run_parse(struct view_stream *st, const unsigned char *s, size_t len, size_t k,
          bool b64, size_t *end)
{
	static const char buffer[] = "<Buffer ";
	const size_t lead = sizeof(buffer) - 1;
	const unsigned char *t = s + k;
	size_t n = len - k, m = n < lead ? n : lead;
	struct dump_line *d = &st->d;
	const unsigned char q = byte_before(st, s, k, 1);
	enum verdict v;

	st->d_used = true;
	d->n = 0;
	d->off_len = 0;
	d->swap = 0;
	if (t[0] == '[' || t[0] == '(' || t[0] == '{') {
		d->layout = L_CHAR_RUN;
		v = parse_char_run(t, n, d, end);
	} else if (t[0] == '0' && (n == 1 || (t[1] | 0x20) == 'x') &&
	           hex_run_after(q)) {
		d->layout = L_HEX_RUN;
		v = parse_hex_run(t, n, q == '\'' || q == '"' ? q : 0, d, end);
		/* base64 text may start so ("0xAbZ9..."), and hex text */
		if (v == NO && b64) {
			dump_wipe(d);
			v = parse_encoded_run(t, n, d, end);
		}
	} else if (t[0] == 0x1b) {
		d->layout = L_OSC;
		v = parse_osc(t, n, d, end);
	} else if (is_base64(t[0])) {
		v = parse_encoded_run(t, n, d, end);
	} else if (t[0] == '<') {
		d->layout = L_NODE_HEX;
		if (memcmp(t, buffer, m) == 0)
			v = m < lead ? PREFIX
			             : parse_node_hex(t, n, lead, d, end);
		else
			v = uint8_contents_before(st, s, k)
			        ? parse_node_hex(t, n, 1, d, end)
			        : NO;
	} else {
		d->layout = L_PY_BYTES;
		v = is_word(byte_before(st, s, k, 2))
		        ? NO
		        : parse_py_bytes(t, n, d, end);
	}
	*end += k;
	return v;
}

/* A match of one of the masker's own patterns over a run's text (and
 * the bytes before it on its line): the bytes whose cells it touches are
 * left to the masker, which masks the whole <Buffer ..> or repr() of a
 * value as it always has (a star there would cut its match). */
struct cover {
	const struct dump_line *d;
	uint32_t *mark;
	uint64_t skip; /* the bytes before the run, searched first */
	/* a run over lines (pprint's pieces of bytes): the bytes before
	 * each of its places that are no CR or LF, which the search
	 * counts alone; NULL for a run on one line */
	const uint32_t *plain;
};

/* The run's cells that the text's bytes [first, last) (counted as the
 * search counts them, the bytes before the run first) take: the
 * masker's, none of the view's. */
static void
cover_range(struct cover *c, uint64_t first, uint64_t last)
{
	if (last <= c->skip)
		return;
	first = first > c->skip ? first - c->skip : 0;
	last -= c->skip;
	for (size_t j = 0; j < c->d->n; j++) {
		size_t at = c->d->code[j].at, to = at + c->d->code[j].len;

		if (c->plain != NULL) {
			at = c->plain[at];
			to = c->plain[to];
		}
		if (at < last && to > first)
			c->mark[j] = 0;
	}
}

static void
on_cover(void *ctx, const struct pattern *p, uint64_t end)
{
	cover_range(ctx, end - p->len + p->mask_lo, end - p->len + p->mask_hi);
}

/*
 * A held base64 line (d, its cells its characters) about to be written:
 * the masker has read the lines before it, and a match of its that goes
 * on over the line's indent (and the blanks that end the line before)
 * masks the characters it covers itself, where a star would cut it.
 * Those are unmarked; whether any mark is left.
 */
static bool
masker_leaves_b64(struct view_stream *st, const struct dump_line *d,
                  uint32_t *mark, size_t len)
{
	struct find_cursor text;
	uint32_t *plain = calloc(len + 1, sizeof(*plain)), depth;
	struct cover c = {d, mark, (uint64_t)1 << 32, plain};
	bool any = false;

	if (plain == NULL)
		abort();
	/* the cells' places in the line, counted from its first character */
	for (size_t i = 0; i <= len; i++)
		plain[i] = i <= d->b64_at         ? 0
		           : i - d->b64_at > d->n ? (uint32_t)d->n
		                                  : (uint32_t)(i - d->b64_at);
	masker_cursor(st->m, &text);
	text.seen = c.skip;
	automaton_find(st->v->all, &text, d->bytes, d->n, on_cover, &c);
	if (automaton_partial(st->v->all, text.state, &depth) != NULL &&
	    text.seen - depth < c.skip)
		memset(mark, 0, d->n * sizeof(mark[0]));
	free(plain);
	for (size_t j = 0; j < d->n && !any; j++)
		any = mark[j] != 0;
	return any;
}

/* The bytes the masker's patterns leave to the views, on the run at
 * s + k (st->d): whether there are any. */
static bool
run_uncovered(struct view_stream *st, const unsigned char *s, size_t k,
              size_t n, bool folded)
{
	const struct dump_line *d = &st->d;
	unsigned char before[CONTEXT_MAX];
	struct find_cursor text = {0, 0, 0};
	struct cover c = {d, st->mark, 0, NULL};
	uint32_t *plain = NULL;
	size_t m = 0;
	bool any = false;

	if (memchr(s + k, '\n', n) != NULL || memchr(s + k, '\r', n) != NULL) {
		plain = calloc(n + 1, sizeof(*plain));
		if (plain == NULL)
			abort();
		for (size_t i = 0; i < n; i++)
			plain[i + 1] = plain[i] + !is_break(s[k + i]);
		c.plain = plain;
	}

	while (m < CONTEXT_MAX && !is_break(byte_before(st, s, k, m + 1)))
		m++;
	for (size_t j = 0; j < m; j++)
		before[j] = byte_before(st, s, k, m - j);
	c.skip = m;
	if (m == 0) {
		/* at a line's start, the masker has read what came before
		 * (run_scan): a match of its that goes on from the lines
		 * before (base64 wrapped at 76) covers the run's bytes too */
		masker_cursor(st->m, &text);
		text.seen = c.skip = (uint64_t)1 << 32;
	}
	automaton_find(st->v->all, &text, before, m, on_cover, &c);
	automaton_find(st->v->all, &text, s + k, n, on_cover, &c);
	if (folded) {
		uint32_t depth;

		/* a fold's mark ends the run: the masker's partial match at
		 * its end goes on over the fold (a value's base64 cut there)
		 * and masks what it holds, which stars would cut from it; a
		 * line's end ends hex text: the match goes on on the next
		 * line, or the masker masks it as a cut from PIECE_MIN on */
		if (automaton_partial(st->v->all, text.state, &depth) != NULL &&
		    (!d->hex_text || depth >= PIECE_MIN))
			cover_range(&c, text.seen - depth, text.seen);
	}
	if (m == 0) {
		uint32_t depth;

		/* the masker's partial match goes on over the whole run:
		 * it masks the run, as a match or as a held piece */
		if (automaton_partial(st->v->all, text.state, &depth) != NULL &&
		    text.seen - depth < c.skip)
			memset(st->mark, 0, d->n * sizeof(st->mark[0]));
	}
	sodium_memzero(before, sizeof(before));
	free(plain);
	for (size_t j = 0; j < d->n && !any; j++)
		any = st->mark[j] != 0;
	return any;
}

/* A bytes literal masked into out: a masked byte's cell (its character
 * or its escape) becomes one star, so no width tells an escape; its
 * length. */
static size_t
bytes_mask(const struct dump_line *d, const uint32_t *mark,
           const unsigned char *t, size_t n, unsigned char *out)
{
	size_t pos = 0, o = 0;

	for (size_t j = 0; j < d->n; j++) {
		struct cell c = d->code[j];

		memcpy(out + o, t + pos, c.at - pos);
		o += c.at - pos;
		if (mark[j] != 0) {
			out[o++] = '*';
		} else {
			memcpy(out + o, t + c.at, c.len);
			o += c.len;
		}
		pos = c.at + c.len;
	}
	memcpy(out + o, t + pos, n - pos);
	return o + n - pos;
}

/* Whether byte j of d is the character of a code unit of `width` bytes
 * whose others are 0, its place in the unit `at` (UTF-16 and UTF-32 of
 * ASCII, in either order; j >= at). */
static bool
narrow_unit(const struct dump_line *d, size_t j, size_t width, size_t at)
{
	size_t unit = j - at;

	/* a unit the run cuts at its end */
	for (size_t k = unit; k < unit + width && k < d->n; k++)
		if (k != j && d->bytes[k] != 0)
			return false;
	return true;
}

/*
 * The run's bytes read again as the characters of code units of 2 and 4
 * bytes whose other bytes are 0 (a value's UTF-16 or UTF-32, or a slice
 * of it, in either order and from any byte), each stretch of such units
 * searched alone: a unit whose character is masked is masked whole, its
 * marks added to st->mark. The units' bytes are kept in st->run_out,
 * not yet written.
 */
static void
narrow_search(struct view_stream *st)
{
	const struct views *v = st->v;
	struct dump_line *d = &st->d;
	struct search all = {st, true}, pieces = {st, false};
	unsigned char *wide = st->run_out;
	size_t n = d->n, zeros = 0;

	for (size_t j = 0; j < n; j++)
		zeros += d->bytes[j] == 0;
	if (zeros < PIECE_MIN)
		return;
	memcpy(wide, d->bytes, n);
	memcpy(st->swap_mark, st->mark, n * sizeof(st->mark[0]));
	for (size_t width = 2; width <= 4; width += 2)
		for (size_t at = 0; at < width; at++) {
			size_t first = at, m = 0;

			d->n = n;
			memcpy(d->bytes, wide, n);
			for (size_t j = at;; j += width) {
				if (j < n && narrow_unit(d, j, width, at)) {
					d->bytes[m++] = d->bytes[j];
					continue;
				}
				if (m >= PIECE_MIN / 2) {
					d->n = m;
					st->all = (struct find_cursor){0, 0, 0};
					st->pieces = st->all;
					st->base = 0;
					search_bytes(st, &all, &pieces);
					if (st->all.state != 0)
						held_mark(v->all, &st->all,
						          &all, false,
						          PIECE_MIN);
					for (size_t c = 0; c < m; c++)
						for (size_t b = 0;
						     st->mark[c] != 0 &&
						     b < width;
						     b++) {
							size_t w = first +
							           c * width -
							           at + b;

							if (st->swap_mark[w] ==
							    0)
								st->swap_mark
								    [w] =
								    st->mark[c];
						}
				}
				if (j >= n)
					break;
				d->n = n;
				memcpy(d->bytes, wide, n);
				m = 0;
				first = j + width;
			}
		}
	memcpy(st->mark, st->swap_mark, n * sizeof(st->mark[0]));
	memcpy(d->bytes, wide, n);
	d->n = n;
	sodium_memzero(wide, n);
}

/*
 * Whether a base64 run's decoding may hold a match: a GRAM-byte window
 * that starts a pattern or a piece, or PIECE_MIN zero bytes (UTF-16 or
 * UTF-32 units, which narrow_search reads). Most base64 runs are words,
 * hashes and keys that hold none, and are searched no further.
 */
static bool
b64_run_may_match(const struct view_stream *st)
{
	const struct views *v = st->v;
	const struct dump_line *d = &st->d;
	size_t zeros = 0;

	if (v->b64_off)
		return true;
	for (size_t j = 0; j < d->n; j++)
		zeros += d->bytes[j] == 0;
	if (zeros >= PIECE_MIN)
		return true;
	for (size_t j = 0; j + GRAM <= d->n; j++)
		if (automaton_starts(v->all, d->bytes + j) ||
		    (v->pieces_a != NULL &&
		     automaton_starts(v->pieces_a, d->bytes + j)))
			return true;
	return false;
}

/*
 * The run at s + k to end (read in st->d), searched for every pattern
 * and piece, as a dump line alone: a partial match at its end (a value
 * cut, or a Buffer's first 50 bytes) is masked from PIECE_MIN bytes on,
 * as at a dump line's end. Masked into st->run_out: its length, or 0
 * when nothing is. The dump lines' cursors are left as they were.
 */
static size_t
run_view(struct view_stream *st, const unsigned char *s, size_t k, size_t end,
         bool cut, bool folded)
{
	const struct views *v = st->v;
	struct dump_line *d = &st->d;
	struct search all = {st, true}, pieces = {st, false};
	struct find_cursor all_at = st->all, pieces_at = st->pieces;
	uint64_t base = st->base;
	size_t n = end - k, out = 0;
	bool any = false;

	if (d->layout == L_B64_RUN && !b64_run_may_match(st)) {
		dump_wipe(d);
		return 0;
	}
	st->all = (struct find_cursor){0, 0, 0};
	st->pieces = st->all;
	st->base = 0;
	search_bytes(st, &all, &pieces);
	if (st->all.state != 0)
		held_mark(v->all, &st->all, &all, false,
		          cut ? LIST_HELD_MIN : PIECE_MIN);
	narrow_search(st);
	for (size_t j = 0; j < d->n && !any; j++)
		any = st->mark[j] != 0;
	/* the masker reads an OSC string as noise: it covers nothing */
	if (any && (d->layout == L_OSC || run_uncovered(st, s, k, n, folded))) {
		memcpy(st->run_out, s + k, n);
		line_mask(st, d, st->mark, false, st->run_out);
		out = d->layout == L_PY_BYTES
		          ? bytes_mask(d, st->mark, s + k, n, st->run_out)
		      : d->layout == L_CHAR_RUN
		          ? list_mask(d, st->mark, s + k, n, st->run_out)
		          : n;
	}
	st->all = all_at;
	st->pieces = pieces_at;
	st->base = base;
	dump_wipe(d);
	return out;
}

/* What b64_run_fold() tells of the byte after a base64 run. */
enum fold {
	FOLD_NO,   /* no fold's mark */
	FOLD_YES,  /* a fold's mark, a CR or LF after it */
	FOLD_OPEN, /* a mark at a fold's column that s ends with */
};

/*
 * Whether the base64 run that ends at s[end] goes on after a fold's mark
 * there (SOFT_QP_FIRST in engine.h): the masker matches a value's base64
 * over the fold, which the run's stars would cut (run_uncovered leaves
 * the masker's partial match at the run's end to it). OPEN while the
 * byte after the mark has not come (final: none will).
 */
static enum fold
b64_run_fold(const struct view_stream *st, const unsigned char *s, size_t len,
             size_t end, bool final)
{
	uint64_t col;

	if (end >= len || !is_soft_mark(s[end]) ||
	    (end + 1 < len && s[end + 1] != '\r' && s[end + 1] != '\n'))
		return FOLD_NO;
	if (!soft_column_in(s, end, &col))
		col = st->col + end + 1;
	if (!soft_column(s[end], col))
		return FOLD_NO;
	if (end + 1 == len)
		return final ? FOLD_NO : FOLD_OPEN;
	return FOLD_YES;
}

/*
 * s through the masker, its runs read: the offset from which the rest
 * may be a run's start that goes on past s (not passed), or len. final:
 * nothing goes on (the input ended or idled).
 */
static size_t
run_scan(struct view_stream *st, const unsigned char *s, size_t len, bool final)
{
	size_t from = 0, k = 0, end = 0, out;
	/* the next lead and the next base64 run (none with
	 * --no-encodings: it decodes an encoded form), each looked for
	 * again only once k passed it */
	const bool decode = st->v->ps->encodings;
	size_t b64_end = 0, lead = lead_next(st, s, len, 0),
	       b64 = decode ? b64_next(st, s, len, 0, &b64_end) : len;

	for (;;) {
		enum layout layout;
		enum verdict v;
		bool open_hex, cut, folded;

		if (lead < k)
			lead = lead_next(st, s, len, k);
		if (b64 < k)
			b64 = decode ? b64_next(st, s, len, k, &b64_end) : len;
		if ((k = lead < b64 ? lead : b64) >= len)
			break;
		memory_ensure(st);
		v = run_parse(st, s, len, k, k == b64, &end);
		/* an OSC string or base64 text the input ended in: what
		 * came */
		if (v == PREFIX && final && st->d.layout == L_OSC &&
		    st->d.n > 0)
			v = YES;
		if (v == PREFIX && final && st->d.layout == L_B64_RUN)
			v = b64_run_whole(s + k, end - k, &st->d) ? YES : NO;
		folded = false;
		if (v == YES && st->d.layout == L_B64_RUN) {
			enum fold f = b64_run_fold(st, s, len, end, final);

			/* (held while the byte after its mark has not come) */
			if (f == FOLD_OPEN)
				v = PREFIX;
			/* hex text that a line or the input ends: the
			 * masker's partial match there goes on on the next
			 * line (xxd -p) or is masked as a cut; its stars
			 * would cut it */
			folded =
			    f == FOLD_YES || (st->d.hex_text &&
			                      (end == len || is_break(s[end])));
		}
		/* a bytes literal the input ended in (a program killed
		 * while it printed, output cut short): its bytes so far, to
		 * the end, pprint's last piece's with those before; pprint's
		 * pieces of bytes the input ended or idled after: those
		 * closed */
		if (v == PREFIX && final && st->d.layout == L_PY_BYTES &&
		    !st->idling && st->d.n > st->d.closed_n) {
			end = len;
			v = YES;
		} else if (v == PREFIX && final && st->d.layout == L_PY_BYTES &&
		           st->d.closed_n > 0) {
			st->d.n = st->d.closed_n;
			v = YES;
		}
		/* 0xHH items or a list of characters the input ended in:
		 * those whole (a last one that may be cut, 0x7 of 0x7f,
		 * follows as text); where it only idled, held once one is
		 * whole (a lone "0", "0x" or "[" at a prompt passes) */
		open_hex =
		    v == PREFIX && final &&
		    (st->d.layout == L_HEX_RUN || st->d.layout == L_CHAR_RUN);
		cut = open_hex && !st->idling;
		if (open_hex && (cut || st->d.n == 0))
			v = cut && st->d.n >= (st->d.layout == L_HEX_RUN
			                           ? HEX_RUN_MIN
			                           : CHAR_RUN_MIN)
			        ? YES
			        : NO;
		/* a run still open where the input only idled (a bytes
		 * literal, a Node hex run): held on, as its rest would pass
		 * alone, read as no run's */
		if (v == PREFIX && (!final || st->idling)) {
			dump_wipe(&st->d);
			break;
		}
		if (v != YES) {
			dump_wipe(&st->d);
			/* no base64 run starts inside one refused */
			k = k == b64 && b64_end > k ? b64_end : k + 1;
			continue;
		}
		layout = st->d.layout;
		/* a list after text too short to hold a pattern or a piece
		 * (JSON's ["a", "b"], [1, 2, 3, 4], a flag's 0x1, 0x2, 0x4,
		 * 0x8): nothing to search; one the input ended in keeps its
		 * partial match's look */
		if ((layout == L_CHAR_RUN || layout == L_HEX_RUN) && !cut &&
		    st->d.n < st->v->run_min) {
			dump_wipe(&st->d);
			k = end;
			continue;
		}
		/* a run at a line's start: the masker reads what came
		 * before first, so that run_uncovered() goes on from it */
		if (k > from && s[k - 1] == '\n') {
			masker_feed(st->m, s + from, k - from);
			from = k;
		}
		out = run_view(st, s, k, end, cut, folded);
		/* A run the input idled inside, masked where its bytes so
		 * far hold a value's: held on, not starred, for the rest may
		 * make it the masker's own form (base64 text cut by a
		 * writer's pause, whose stars left the rest of the value's
		 * base64 to no one) or mask more of it. The input's end
		 * reads it as it is. */
		if (out > 0 && st->idling && end == len && layout != L_OSC) {
			sodium_memzero(st->run_out, out);
			break;
		}
		if (out > 0) {
			masker_feed(st->m, s + from, k - from);
			masker_feed(st->m, st->run_out, out);
			sodium_memzero(st->run_out, out);
			from = end;
		}
		/* a bytes literal masked nowhere is read on from its quote:
		 * it may hold base64 text (print() of b64encode's bytes) */
		k = out == 0 && layout == L_PY_BYTES ? k + 1 : end;
	}
	masker_feed(st->m, s + from, k - from);
	return k;
}

/* The bytes before the next on their line after s: s's last ones, after
 * those kept before when s holds no line end. And the next's column. */
static void
context_keep(struct view_stream *st, const unsigned char *s, size_t len)
{
	const unsigned char *nl, *lf;
	size_t start, n, keep,
	    w = len < SOFT_COLUMN_MAX ? len : SOFT_COLUMN_MAX;

	if (len == 0)
		return;
	lf = last_break(s + len - w, w);
	st->col = lf != NULL                        ? (size_t)(s + len - lf) - 1
	          : st->col + len < SOFT_COLUMN_MAX ? st->col + len
	                                            : SOFT_COLUMN_MAX;
	if (s[len - 1] == '\n') { /* most often */
		st->run_context_len = 0;
		return;
	}
	/* the last CONTEXT_MAX bytes at most: the line's start among them */
	n = len < CONTEXT_MAX ? len : CONTEXT_MAX;
	nl = memrchr(s + len - n, '\n', n);
	start = nl != NULL ? (size_t)(nl - s) + 1 : len - n;
	if (nl != NULL)
		st->run_context_len = 0;
	memory_ensure(st);
	n = len - start;
	keep = st->run_context_len < CONTEXT_MAX - n ? st->run_context_len
	                                             : CONTEXT_MAX - n;
	memmove(st->run_context, st->run_context + st->run_context_len - keep,
	        keep);
	memcpy(st->run_context + keep, s + len - n, n);
	st->run_context_len = keep + n;
}

/* The held run's bytes from `from` on (read as final, or held again). */
static void
run_rescan(struct view_stream *st, bool final)
{
	size_t hold = run_scan(st, st->run, st->run_len, final);

	context_keep(st, st->run, hold);
	memmove(st->run, st->run + hold, st->run_len - hold);
	sodium_memzero(st->run + st->run_len - hold, hold);
	st->run_len -= hold;
}

/*
 * Text that passes, through run_scan: a run's start at its end is held
 * (the input may cut a line anywhere), and read with what comes next,
 * up to the next line end at most (where every run has ended).
 */
static void
run_feed(struct view_stream *st, const unsigned char *p, size_t n)
{
	while (n > 0) {
		const unsigned char *nl;
		size_t take, hold;

		if (st->run_len == 0) {
			hold = run_scan(st, p, n, false);
			context_keep(st, p, hold);
			if (hold < n) {
				memcpy(st->run, p + hold, n - hold);
				st->run_len = n - hold;
			}
			return;
		}
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (take > HELD_CAP - st->run_len)
			take = HELD_CAP - st->run_len;
		memcpy(st->run + st->run_len, p, take);
		st->run_len += take;
		p += take;
		n -= take;
		run_rescan(st, false);
	}
}

/* Text that is no dump line's, or a dump line's with nothing masked,
 * after the held list lines: its runs read. */
static void
pass(struct view_stream *st, const unsigned char *p, size_t n)
{
	if (n == 0)
		return;
	list_flush(st); /* the held list lines come first */
	run_feed(st, p, n);
}

/* A dump line masked, after the held list lines and run. */
static void
pass_masked(struct view_stream *st, const unsigned char *p, size_t n)
{
	list_flush(st);
	if (st->run_len > 0)
		run_rescan(st, true);
	masker_feed(st->m, p, n);
}

/* A diff's mark: "+" or "-", then a blank, a tab or "[". */
static inline bool
diff_mark(const unsigned char *s, size_t len)
{
	return len > 1 && (s[0] == '+' || s[0] == '-') &&
	       (s[1] == ' ' || s[1] == '\t' || s[1] == '[');
}

/*
 * What every layout starts with: a blank (od -A n, a list) or "[" (a
 * list), or at least 4 hex digits and a colon (xxd, curl) or 6 and a
 * blank (hexdump, od), or bare hex items (bare_hex_head; complete: s is
 * a whole line). A cheap test before the parsers: most lines fail it
 * at once.
 */
static bool
dump_may_start(const unsigned char *s, size_t len, bool complete)
{
	size_t i = 0;

	if (s[0] == ' ' || s[0] == '[' || s[0] == '\t' || s[0] == '{' ||
	    s[0] == '$' || (s[0] == '0' && len > 1 && s[1] == 'x'))
		return true;
	if (s[0] == 'a') { /* numpy's repr() */
		size_t k = 0;

		if (text_at(s, len, complete, &k, "array([") != NO)
			return true;
	}
	/* a diff's line (an indented hexdump -C, a list), or its mark
	 * alone so far */
	if (diff_mark(s, len) || (len == 1 && (s[0] == '+' || s[0] == '-')))
		return true;
	/* hexyl's border; a line still without its end, any start of it */
	if (s[0] == '|' || s[0] == 0xe2)
		return complete ? hexyl_head(s, len) : true;
	if (len > 1 && (s[1] == ',' || (len > 2 && s[2] == ',')) &&
	    bare_hex_head(s, len, complete))
		return true;
	/* an item's index (YAML's "7: 115") */
	while (i < len && i < 7 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i < len && s[i] == ':' &&
	    (i + 1 == len || s[i + 1] == ' '))
		return true;
	while (i < len && i <= OFFSET_MAX && is_hex(s[i]))
		i++;
	if (i == len)
		return i > 0 && i <= OFFSET_MAX;
	/* 4 or 5 digits and a blank: tshark's offset, when a byte's hex
	 * pair follows */
	if (i >= 4 && i < 6 && s[i] == ' ' &&
	    hex_text_head(s, len, 0, i, complete))
		return true;
	return (i >= 4 && s[i] == ':') || (i >= 6 && s[i] == ' ') ||
	       (i >= 2 && is_joiner(s[i]));
}

/* That, or characters one blank apart (parse_spaced; a line still
 * without its end: any start of it). */
static bool
may_start(const unsigned char *s, size_t len, bool complete)
{
	return dump_may_start(s, len, complete) ||
	       (complete ? spaced_start(s, len) : spaced_prefix(s, len));
}

/* Whether a line that starts with a diff's mark (diff_mark) may be a
 * dump's: a hexdump -C line's (its text column's "|" ends it) or a
 * list's ("+   115," in Node's assert diff, YAML's "- 115" and
 * "- '0x73'": a digit, a quote or "[" after the blanks; minitest's
 * "+[...]"). */
static inline bool
diff_may_start(const unsigned char *s, size_t len)
{
	size_t body, i = 2;

	if (!diff_mark(s, len))
		return false; /* before line_body's search */
	body = line_body(s, len);
	if (s[1] == '[' || (body > 0 && s[body - 1] == '|'))
		return true;
	while (i < body && s[i] == ' ')
		i++;
	/* a number, a list, or a quoted item (PyYAML's "- '0x73'"): what
	 * a held line's reading (held_write) admits too */
	return i < body && ((s[i] >= '0' && s[i] <= '9') || s[i] == '[' ||
	                    s[i] == '\'' || s[i] == '"');
}

/*
 * A complete line (len counts its newline) whose start admits the
 * layouts head (line_head): true when it is a dump line with masked
 * bytes, masked in st->copy (*out_len bytes: a list's may be shorter).
 */
enum view_result {
	VIEW_PLAIN, /* to be written as it is */
	VIEW_COPY,  /* masked in st->copy */
	VIEW_TAKEN, /* a list line, held or written (lead first) */
};

static enum view_result
line_view(struct view_stream *st, const unsigned char *line, size_t len,
          unsigned head, const unsigned char *lead, size_t lead_len,
          size_t *out_len)
{
	size_t body = line_body(line, len);
	bool masked, list, hold;

	if (body == 0 || body > LINE_CAP || !may_start(line, body, true)) {
		st->last = L_NONE;
		return VIEW_PLAIN;
	}
	memory_ensure(st);
	if (!line_parse(st, line, body, head)) {
		dump_wipe(&st->d);
		st->last = L_NONE;
		return VIEW_PLAIN;
	}
	if (od_layout(st->d.layout) && st->d.off_len > 0)
		st->od_off_len = st->d.off_len;
	if (st->pend_count > 0 && st->d.off_len == 0 && st->d.under > 0 &&
	    od_layout(st->d.layout) && st->last_off_len > 0) {
		/* od's second type (od -bc) under a held line: held with it
		 * and masked as it is; the next line follows that one */
		pend_add(st, line,
		         (struct pend_line){.len = (uint32_t)len,
		                            .base = st->all.seen,
		                            .layout = (uint8_t)st->d.layout,
		                            .under = (uint8_t)st->d.under,
		                            .mirror = true});
		dump_wipe(&st->d);
		return VIEW_TAKEN;
	}
	list = st->d.layout == L_LIST;
	st->d_used = false;
	if (list) {
		pass(st, lead, lead_len);
		list_room(st, len);
	} else if (st->pend_count > 0)
		list_room(st, len);
	line_again(st, line, body, head);
	masked = line_search(st, line, body, head);
	*out_len = len;
	hold = !list && st->d.layout != L_ASN1 &&
	       (st->pend_count > 0 || list_partial(st) >= DUMP_HELD_MIN);
	if (masked && !hold) {
		memcpy(st->copy, line, len);
		line_mask(st, &st->d, st->mark, false, st->copy);
		if (st->d.layout == L_DOTTED || st->d.layout == L_SPACED)
			*out_len =
			    list_mask(&st->d, st->mark, line, len, st->copy);
	}
	st->last = st->d.layout;
	/* no parse reads a longer one; were one to, its line would follow
	 * none */
	st->last_off_len =
	    st->d.off_len <= sizeof(st->last_off) ? st->d.off_len : 0;
	memcpy(st->last_off, line, st->last_off_len);
	st->last_n = st->d.n;
	if (list)
		list_take(st, line, len);
	else if (hold)
		dump_take(st, line, len, lead, lead_len);
	dump_wipe(&st->d);
	return list || hold ? VIEW_TAKEN : masked ? VIEW_COPY : VIEW_PLAIN;
}

/* A line without its end yet: whether it may still be a dump line. */
static bool
line_may_go_on(struct view_stream *st, const unsigned char *line, size_t len)
{
	enum verdict v;
	bool dump;

	if (line[len - 1] == '\r')
		len--; /* its LF may come next */
	if (len == 0 || len > LINE_CAP)
		return false;
	dump = dump_may_start(line, len, false);
	if (!dump && !spaced_prefix(line, len))
		return false;
	memory_ensure(st);
	st->d.under = od_layout(st->last) ? st->od_off_len : 0;
	v = parse_line(&st->d, line, len, false, dump ? HEAD_ANY : HEAD_SPACED);
	/* A dump line's start waits for its end; base64 text's, which
	 * any indented word is, and spaced characters', which any word
	 * written in two is, only while the writer writes. */
	st->held_idles =
	    v != NO &&
	    (!dump ||
	     parse_line(&st->d, line, len, false,
	                HEAD_ANY & ~(HEAD_BASE64 | HEAD_SPACED)) == NO);
	dump_wipe(&st->d);
	return v != NO;
}

/* Write the held line (masked if it is a dump line that needs it). */
static void
held_write(struct view_stream *st, bool complete)
{
	size_t len = st->held_len, out;

	switch (complete ? line_view(st, st->held, len,
	                             line_layouts(st->held, len), NULL, 0, &out)
	                 : VIEW_PLAIN) {
	case VIEW_COPY:
		pass_masked(st, st->copy, out);
		sodium_memzero(st->copy, len);
		break;
	case VIEW_PLAIN:
		pass(st, st->held, len);
		break;
	case VIEW_TAKEN:
		break;
	}
	sodium_memzero(st->held, len);
	st->held_len = 0;
}

/* The held line is no dump line after all: written as it is, and the
 * rest of it passes. */
static void
held_give_up(struct view_stream *st)
{
	held_write(st, false);
	st->last = L_NONE;
	st->passing = true;
}

/* More of the held line: the bytes of buf taken (up to its newline). */
static size_t
held_extend(struct view_stream *st, const unsigned char *buf, size_t len)
{
	const unsigned char *nl = memchr(buf, '\n', len);
	size_t take = nl != NULL ? (size_t)(nl - buf) + 1 : len;

	if (st->held_len + take > HELD_CAP) {
		held_give_up(st);
		return 0;
	}
	memcpy(st->held + st->held_len, buf, take);
	st->held_len += take;
	if (nl != NULL) {
		held_write(st, true);
	} else if (!line_may_go_on(st, st->held, st->held_len)) {
		held_give_up(st);
	}
	return take;
}

void
view_stream_feed(struct view_stream *st, const unsigned char *buf, size_t len)
{
	size_t i = 0, plain, out;
	unsigned head;

	if (st->held_len > 0) {
		i = held_extend(st, buf, len);
		if (st->held_len > 0)
			return;
	}
	plain = i;
	while (i < len) {
		const unsigned char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - buf) + 1 : len;

		if (st->passing) {
			st->passing = nl == NULL;
		} else if (nl == NULL) {
			if (line_may_go_on(st, buf + i, len - i)) {
				pass(st, buf + plain, i - plain);
				memcpy(st->held, buf + i, len - i);
				st->held_len = len - i;
				return;
			}
			st->last = L_NONE;
			st->passing = true;
		} else if (buf[i] != ' ' && buf[i] != '[' && buf[i] != '\t' &&
		           buf[i] != '{' && buf[i] != '$' && !is_hex(buf[i]) &&
		           buf[i] != '|' && buf[i] != 0xe2 &&
		           !((buf[i] == '+' || buf[i] == '-') &&
		             diff_may_start(buf + i, end - i)) &&
		           !spaced_start(buf + i, end - i)) {
			st->last = L_NONE; /* no layout starts so */
		} else if ((head = line_layouts(buf + i, end - i)) == 0 &&
		           st->last != L_LIST) {
			/* nor as this one does: most lines of text cost these
			 * tests alone */
			st->last = L_NONE;
		} else {
			/* held lines are written before any text after them */
			if (st->pend_count > 0 && i > plain) {
				pass(st, buf + plain, i - plain);
				plain = i;
			}
			switch (line_view(st, buf + i, end - i, head,
			                  buf + plain, i - plain, &out)) {
			case VIEW_COPY:
				pass(st, buf + plain, i - plain);
				pass_masked(st, st->copy, out);
				sodium_memzero(st->copy, end - i);
				plain = end;
				break;
			case VIEW_TAKEN:
				plain = end;
				break;
			case VIEW_PLAIN:
				break;
			}
		}
		i = end;
	}
	pass(st, buf + plain, len - plain);
}

bool
view_stream_holding(const struct view_stream *st)
{
	return (st->held_len > 0 && st->held_idles) || st->run_len > 0 ||
	       st->pend_count > 0;
}

/*
 * At an idle, the held lines are written: the partial match they end in
 * is marked on them from LIST_HELD_MIN bytes of a value on (as a list
 * line's is as it is searched), where a dump line marks PIECE_MIN: what
 * comes after the pause can no longer mask them. (xxd -e of a key whose
 * first 9 bytes past its prefix ended a line showed them when the writer
 * paused there.)
 */
static void
idle_marks(struct view_stream *st)
{
	const struct search all = {st, true};
	const bool list = st->pend_lines[st->pend_count - 1].layout == L_LIST;
	const struct pattern *p;
	uint32_t depth;
	uint64_t lo, hi, end = st->pend_base + st->pend_marks;

	if (st->all.state == 0 ||
	    (p = held_part(st->v->all, &st->all, &all, list, LIST_HELD_MIN,
	                   &depth, &lo, &hi)) == NULL)
		return;
	for (uint64_t b = st->all.seen - depth + lo;
	     b < st->all.seen - depth + hi && b < end; b++)
		if (b >= st->pend_base && st->pend_mark[b - st->pend_base] == 0)
			st->pend_mark[b - st->pend_base] = p->secret + 1;
}

void
view_stream_idle(struct view_stream *st)
{
	st->idling = true;
	/* a run's start, first in the stream: read as it is, the rest of
	 * it passes; but not one still open or holding a value's bytes
	 * (run_scan), nor an OSC string's, whose rest the masker would read
	 * as noise: held to its end (a terminal shows none of it meanwhile
	 * either), and what came after it with it */
	if (st->run_len > 0 && st->run[0] != 0x1b)
		run_rescan(st, true);
	if (st->run_len == 0) {
		/* held dump and list lines: written as they are marked */
		if (st->pend_count > 0)
			idle_marks(st);
		list_flush(st);
		if (st->held_len > 0 && st->held_idles)
			held_give_up(st);
		if (st->run_len > 0 && st->run[0] != 0x1b)
			run_rescan(st, true);
	}
	st->idling = false;
}

void
view_stream_finish(struct view_stream *st)
{
	if (st->held_len > 0) {
		/* A list line the input ends in, cut inside a number (", 11"
		 * of 114: a program killed while it printed, output cut
		 * short): read without its last, which passes after it as
		 * text, where more digits could have followed it.
		 * Read as a byte, it ended the match the list held, and
		 * the value's bytes before it on the line showed. */
		unsigned char digits[2];
		size_t k = st->held_len, cut = 0;

		while (k > 0 && st->held[k - 1] >= '0' &&
		       st->held[k - 1] <= '9')
			k--;
		/* cut where more digits could follow: 1 to 9, 10 to 25 */
		bool open =
		    st->held_len - k == 1
		        ? st->held[k] != '0'
		        : st->held_len - k == 2 &&
		              (st->held[k] == '1' ||
		               (st->held[k] == '2' && st->held[k + 1] <= '5'));

		if (k >= 2 && open && st->held[k - 1] == ' ' &&
		    st->held[k - 2] == ',') {
			cut = st->held_len - k;
			memcpy(digits, st->held + k, cut);
			sodium_memzero(st->held + k, cut);
			st->held_len = k;
		}
		held_write(st, true);
		if (cut > 0) {
			pass(st, digits, cut);
			sodium_memzero(digits, sizeof(digits));
		}
	}
	list_flush(st);
	if (st->run_len > 0)
		run_rescan(st, true);
	st->passing = false;
	st->last = L_NONE;
}

struct view_stream *
view_stream_new(const struct views *v, struct masker *m)
{
	struct view_stream *st = calloc(1, sizeof(*st));

	if (st == NULL)
		abort();
	st->v = v;
	st->m = m;
	st->d.code_points = st->released.code_points = v->wide;
	return st;
}

void
view_stream_free(struct view_stream *st)
{
	if (st == NULL)
		return;
	secmem_free(st->mem);
	free(st);
}
