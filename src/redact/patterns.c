/* SPDX-License-Identifier: ISC */
/* The patterns of a secret value: its secret parts, each with its forms and
 * its lines. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "engine.h"
#include "exitcodes.h"
#include "forms.h"
#include "image.h"
#include "lines.h"
#include "secmem.h"

static void dedup_free(struct pattern_dedup *d);

struct pattern_set *
patterns_new(size_t min_length, bool encodings)
{
	struct pattern_set *ps = calloc(1, sizeof(*ps));

	if (ps == NULL)
		abort();
	ps->min_length = min_length;
	ps->encodings = encodings;
	return ps;
}

void
patterns_free(struct pattern_set *ps)
{
	if (ps == NULL)
		return;
	if (!ps->image) {
		secmem_free(ps->items);
		secmem_free(ps->arena);
		secmem_free(ps->offsets);
	}
	secmem_free(ps->scratch);
	dedup_free(ps->dedup);
	secmem_free(ps->stack);
	free(ps->name_slots);
	for (size_t i = 0; i < ps->name_count; i++)
		free(ps->names[i]);
	free(ps->names);
	free(ps);
}

/* Room after a name's NUL for its hint (%l of --format). */
#define HINT_SIZE 24

size_t
patterns_name_hash(const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of name: its own, or the empty one where it would go.
 * Hashing keeps loading thousands of names linear. */
static size_t
name_slot(const struct pattern_set *ps, const char *name)
{
	size_t k = patterns_name_hash(name, strlen(name));

	for (;; k++) {
		uint32_t i = ps->name_slots[k & (ps->name_slot_cap - 1)];

		if (i == 0 || strcmp(ps->names[i - 1], name) == 0)
			return k & (ps->name_slot_cap - 1);
	}
}

static void
name_slots_grow(struct pattern_set *ps)
{
	size_t cap = ps->name_slot_cap ? 2 * ps->name_slot_cap : 64;

	free(ps->name_slots);
	ps->name_slots = calloc(cap, sizeof(*ps->name_slots));
	if (ps->name_slots == NULL)
		abort();
	ps->name_slot_cap = cap;
	for (size_t i = 0; i < ps->name_count; i++)
		ps->name_slots[name_slot(ps, ps->names[i])] = (uint32_t)i + 1;
}

uint32_t
patterns_find_name(const struct pattern_set *ps, const char *name)
{
	uint32_t i;

	if (ps->name_slot_cap == 0)
		return UINT32_MAX;
	i = ps->name_slots[name_slot(ps, name)];
	return i == 0 ? UINT32_MAX : i - 1;
}

uint32_t
patterns_name(struct pattern_set *ps, const char *name)
{
	size_t n = strlen(name), slot;
	uint32_t i = patterns_find_name(ps, name);

	if (i != UINT32_MAX)
		return i;
	if (ps->name_count + 1 >= PATTERN_NAMES_MAX)
		errx(EXIT_FAIL, "more than %u names to mask",
		     PATTERN_NAMES_MAX - 2);
	if (2 * (ps->name_count + 1) > ps->name_slot_cap)
		name_slots_grow(ps);
	if (ps->name_count == ps->names_cap) {
		ps->names_cap = ps->names_cap ? 2 * ps->names_cap : 16;
		ps->names = realloc(ps->names,
		                    ps->names_cap * sizeof(*ps->names));
		if (ps->names == NULL)
			abort();
	}
	if ((ps->names[ps->name_count] = calloc(1, n + 1 + HINT_SIZE)) == NULL)
		abort();
	memcpy(ps->names[ps->name_count], name, n);
	slot = name_slot(ps, name);
	ps->name_slots[slot] = (uint32_t)ps->name_count + 1;
	return (uint32_t)ps->name_count++;
}

const char *
patterns_name_hint(const char *name)
{
	return name + strlen(name) + 1;
}

/* The first value loaded for a name (the current one) gives its length. */
static void
patterns_set_hint(struct pattern_set *ps, uint32_t secret, size_t len)
{
	char *hint = ps->names[secret] + strlen(ps->names[secret]) + 1;

	if (*hint == '\0')
		snprintf(hint, HINT_SIZE, "%zu", len);
}

/* Secure memory has no realloc: copy into a bigger block, wipe the old.
 * The room not used yet costs nothing until it is, but for the rest of
 * the huge page being filled (patterns_seal gives it back). */
static void *
secure_grow(void *old, size_t old_size, size_t new_size)
{
	void *p = secmem_alloc_growing(new_size);

	if (old != NULL) {
		memcpy(p, old, old_size);
		secmem_free(old);
	}
	return p;
}

/* Room for cap patterns and their offsets. */
static void
items_grow(struct pattern_set *ps, size_t cap)
{
	ps->items = secure_grow(ps->items, ps->count * sizeof(*ps->items),
	                        cap * sizeof(*ps->items));
	ps->offsets = secure_grow(ps->offsets, ps->count * sizeof(*ps->offsets),
	                          cap * sizeof(*ps->offsets));
	ps->cap = cap;
}

/*
 * Room made at once for the patterns of values values of bytes bytes in
 * all: grown by doubling, each block is copied about once more, with a
 * page fault for every page copied. An estimate: an alphanumeric value
 * of 40 bytes gives some 19 patterns of its forms and 29 windows, 1,790
 * pattern bytes (the windows' are read in the value's; every byte as
 * \xhh is 160 of them, and at 42 bytes of room a value byte, 10,000
 * values outgrew it: 17 MB copied once more). The room never used costs
 * no page (the blocks are sparse); a set that needs more doubles from
 * there.
 */
void
patterns_reserve(struct pattern_set *ps, size_t values, size_t bytes)
{
	size_t items, arena;

	if (values > UINT32_MAX / 64 || bytes > UINT32_MAX / 64)
		return;
	items = ps->count + (ps->encodings ? 20 : 2) * values + bytes;
	arena = ps->arena_len + (ps->encodings ? 46 : 2) * bytes;
	if (items > ps->cap)
		items_grow(ps, items);
	if (arena > ps->arena_cap) {
		ps->arena = secure_grow(ps->arena, ps->arena_len, arena);
		ps->arena_cap = arena;
	}
}

/*
 * Room for the encodings of a value of len bytes: one buffer kept for the
 * whole set, since every secure allocation costs a handful of system
 * calls. Its old content is not needed, so it is not copied.
 */
static unsigned char *
scratch_for(struct pattern_set *ps, size_t len)
{
	size_t need = FORMS_SCRATCH(len);

	if (need > ps->scratch_cap) {
		secmem_free(ps->scratch);
		ps->scratch_cap = need < 4096 ? 4096 : need;
		ps->scratch = secmem_alloc(ps->scratch_cap);
	}
	return ps->scratch;
}

/* Eight bytes a step: every pattern's bytes are hashed once on the way
 * in, and a set of 10,000 values holds some 470,000 patterns. */
static size_t
pattern_hash(uint32_t secret, const unsigned char *s, size_t n, size_t lo,
             size_t hi, uint32_t prefix)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h = (0xcbf29ce484222325ull ^ secret ^ ((uint64_t)lo << 20) ^
	              ((uint64_t)hi << 40) ^ ((uint64_t)prefix << 58) ^ n) *
	             k;
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ w) * k;
	}
	h ^= h >> 29;
	h *= k;
	return (size_t)(h ^ (h >> 32));
}

/*
 * The duplicates' hash holds the patterns of one secret at a time: two
 * secrets' patterns are never equal, so a table of the secret being
 * added is enough, small enough to stay in the cache (a table of all
 * 470,000 patterns of 10,000 values missed it at every probe). When
 * another secret's patterns come, the table is emptied and gets that
 * secret's earlier patterns back, if any, from its runs: the stretches
 * of patterns it was given, one after another, each linked to its
 * previous one.
 *
 * A slot: the pattern's index + 1 in its low half (0: empty), its hash
 * in its high half, so that a probe past a pattern of another hash
 * reads neither the pattern nor its bytes, and growing rehashes from
 * the slots alone. The slots are in secure memory: a hash of a
 * pattern's bytes, with its 12-byte windows overlapping by 11, would
 * let a value be guessed back a byte at a time.
 */
#define SLOT_INDEX(e) ((uint32_t)(e))
#define SLOT_HASH(e) ((uint32_t)((e) >> 32))
#define DEDUP_SLOTS 256 /* to start with: a value brings some 50 patterns */

struct dedup_run {
	uint32_t first, end; /* patterns [first, end) */
	uint32_t prev;       /* the secret's run before, + 1; 0: none */
};

struct pattern_dedup {
	uint64_t *slots;
	size_t cap, used;   /* cap: a power of two, at least twice used */
	/* whose patterns the slots hold; UINT32_MAX (no name's index, as
	 * for patterns_find_name) until they hold any */
	uint32_t secret;
	uint32_t *last_run; /* per secret: its last run + 1; 0: none */
	size_t last_run_cap;
	struct dedup_run *runs;
	size_t run_count, run_cap;
};

static void
dedup_free(struct pattern_dedup *d)
{
	if (d == NULL)
		return;
	secmem_free(d->slots);
	free(d->last_run);
	free(d->runs);
	free(d);
}

static void
slot_put(uint64_t *slots, size_t cap, uint32_t h, uint32_t index)
{
	size_t k = h;

	while (slots[k & (cap - 1)] != 0)
		k++;
	slots[k & (cap - 1)] = (uint64_t)h << 32 | index;
}

/* Twice the slots, rehashed from the hashes they keep. */
static void
slots_grow(struct pattern_dedup *d)
{
	size_t cap = 2 * d->cap;
	uint64_t *slots = secmem_alloc_sparse(cap * sizeof(*slots));

	for (size_t k = 0; k < d->cap; k++)
		if (d->slots[k] != 0)
			slot_put(slots, cap, SLOT_HASH(d->slots[k]),
			         SLOT_INDEX(d->slots[k]));
	secmem_free(d->slots);
	d->slots = slots;
	d->cap = cap;
}

static uint32_t
item_hash(const struct pattern_set *ps, const struct pattern *p)
{
	return (uint32_t)pattern_hash(p->secret, pattern_bytes(ps, p), p->len,
	                              p->mask_lo, p->mask_hi, p->prefix);
}

/* The slots made to hold secret's patterns. */
static void
dedup_hold(const struct pattern_set *ps, uint32_t secret)
{
	struct pattern_dedup *d = ps->dedup;

	if (d->secret == secret)
		return;
	if (d->cap == DEDUP_SLOTS) {
		memset(d->slots, 0, d->cap * sizeof(*d->slots));
	} else {
		secmem_free(d->slots);
		d->slots = secmem_alloc_sparse(DEDUP_SLOTS * sizeof(*d->slots));
		d->cap = DEDUP_SLOTS;
	}
	d->used = 0;
	d->secret = secret;
	for (uint32_t r = secret < d->last_run_cap ? d->last_run[secret] : 0;
	     r != 0; r = d->runs[r - 1].prev)
		for (uint32_t i = d->runs[r - 1].first; i < d->runs[r - 1].end;
		     i++) {
			if (2 * (d->used + 1) > d->cap)
				slots_grow(d);
			slot_put(d->slots, d->cap, item_hash(ps, &ps->items[i]),
			         i + 1);
			d->used++;
		}
}

/* Pattern index was added for secret (held): its slot, its run. */
static void
dedup_note(struct pattern_set *ps, size_t slot, uint32_t h, uint32_t index,
           uint32_t secret)
{
	struct pattern_dedup *d = ps->dedup;
	uint32_t r;

	d->slots[slot] = (uint64_t)h << 32 | (index + 1);
	d->used++;
	if (secret >= d->last_run_cap) {
		size_t cap = d->last_run_cap ? 2 * d->last_run_cap : 64;

		while (cap <= secret)
			cap *= 2;
		d->last_run = realloc(d->last_run, cap * sizeof(*d->last_run));
		if (d->last_run == NULL)
			abort();
		memset(d->last_run + d->last_run_cap, 0,
		       (cap - d->last_run_cap) * sizeof(*d->last_run));
		d->last_run_cap = cap;
	}
	r = d->last_run[secret];
	if (r != 0 && d->runs[r - 1].end == index) {
		d->runs[r - 1].end++;
		return;
	}
	if (d->run_count == d->run_cap) {
		d->run_cap = d->run_cap ? 2 * d->run_cap : 256;
		d->runs = realloc(d->runs, d->run_cap * sizeof(*d->runs));
		if (d->runs == NULL)
			abort();
	}
	d->runs[d->run_count++] = (struct dedup_run){index, index + 1, r};
	d->last_run[secret] = (uint32_t)d->run_count;
}

/*
 * The slot of a pattern equal to this one (same bytes, secret, mask and
 * prefix) and true, or the empty slot where it would go and false.
 */
static bool
slot_find(const struct pattern_set *ps, uint32_t h, uint32_t secret,
          const unsigned char *s, size_t n, size_t lo, size_t hi,
          uint32_t prefix, size_t *slot)
{
	const struct pattern_dedup *d = ps->dedup;
	size_t k = h;

	for (;; k++) {
		uint64_t e = d->slots[k & (d->cap - 1)];
		const struct pattern *p;

		if (e == 0)
			break;
		if (SLOT_HASH(e) != h)
			continue;
		p = &ps->items[SLOT_INDEX(e) - 1];
		if (p->len == n && p->secret == secret && p->mask_lo == lo &&
		    p->mask_hi == hi && p->prefix == prefix &&
		    memcmp(pattern_bytes(ps, p), s, n) == 0)
			break;
	}
	*slot = k & (d->cap - 1);
	return d->slots[*slot] != 0;
}

/*
 * The slot for a new pattern, or false when an equal one is there:
 * hashing keeps loading linear in the pattern bytes. The slot then
 * gets the pattern (dedup_note).
 */
static bool
dedup_slot(struct pattern_set *ps, uint32_t secret, const unsigned char *s,
           size_t n, size_t lo, size_t hi, uint32_t prefix, size_t *slot,
           uint32_t *h)
{
	if (ps->dedup == NULL) {
		if ((ps->dedup = calloc(1, sizeof(*ps->dedup))) == NULL)
			abort();
		ps->dedup->secret = UINT32_MAX;
	}
	dedup_hold(ps, secret);
	if (2 * (ps->dedup->used + 1) > ps->dedup->cap)
		slots_grow(ps->dedup);
	*h = (uint32_t)pattern_hash(secret, s, n, lo, hi, prefix);
	return !slot_find(ps, *h, secret, s, n, lo, hi, prefix, slot);
}

bool
patterns_has(const struct pattern_set *ps, uint32_t secret,
             const unsigned char *s, size_t n, size_t lo, size_t hi,
             uint32_t prefix)
{
	size_t slot;

	if (ps->dedup == NULL)
		return false;
	dedup_hold(ps, secret);
	return slot_find(ps,
	                 (uint32_t)pattern_hash(secret, s, n, lo, hi, prefix),
	                 secret, s, n, lo, hi, prefix, &slot);
}

/* Whether normalising s would keep it as it is: no line break, no ESC
 * to begin noise, and no blank or border glyph to begin or end it
 * (noise_read calls every other byte plain, and a blank or glyph not at
 * the end is no trailing one without a line break after it). */
static bool
is_normal(const unsigned char *s, size_t len)
{
	if (len > 0 && (is_blank(s[0]) || is_blank(s[len - 1]) ||
	                s[0] == 0xe2 || s[0] == '|' || s[len - 1] == '|' ||
	                (len >= 3 && is_box_glyph(s + len - 3, 3))))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == 0x1b || s[i] == '\r' || s[i] == '\n')
			return false;
	return true;
}

/* s normalised into dst: line breaks, noise, indent and trailing blanks
 * dropped (blanks at its start are an indent too: at a line's start
 * they are read so; and its end reads as a line break), but with blanks
 * its blanks; mask_lo and mask_hi moved with it (a mask past the end:
 * lo 0, hi the end). */
static size_t
normalise(const struct pattern_set *ps, const unsigned char *s, size_t len,
          size_t mask_lo, size_t mask_hi, bool blanks, unsigned char *dst,
          size_t *lo, size_t *hi)
{
	struct noise_reader reader = {.fresh = true};
	size_t n = 0, run_end = 0;
	bool trailing = false;

	*lo = *hi = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == mask_lo)
			*lo = n;
		if (i == mask_hi)
			*hi = n;
		enum byte_class k = noise_read_at(&reader, s + i, len - i);

		/* a run of blanks is judged once, at its first, read in
		 * the ground state (as one that ends an escape sequence is
		 * read anew) */
		if (!blanks && k == BYTE_PLAIN && is_blank(s[i]) &&
		    i >= run_end) {
			const struct noise_reader ground = {0};
			enum trail_verdict v =
			    trail_ahead(&ground, s, len, i, &run_end);

			trailing = v == TRAIL_YES || v == TRAIL_OPEN;
		}
		/* (its blanks and border glyphs: the rest is noise) */
		if (k == BYTE_PLAIN && i < run_end && trailing)
			k = BYTE_TRAIL;
		if (k == BYTE_PLAIN || (k == BYTE_NOISE && ps->keep_noise) ||
		    ((k == BYTE_INDENT || k == BYTE_TRAIL) && blanks))
			dst[n++] = s[i];
	}
	if (mask_hi >= len)
		*hi = n;
	return n;
}

void
patterns_add(struct pattern_set *ps, uint32_t secret, const unsigned char *s,
             size_t len, size_t mask_lo, size_t mask_hi, uint32_t prefix)
{
	struct pattern *p;
	unsigned char *dst;
	const unsigned char *bytes = s;
	size_t n = len, lo, hi, slot, offset;
	uint32_t h;
	const unsigned char *shared = NULL;

	/* Few steps: each secure block costs system calls, and a value
	 * brings dozens of patterns. */
	if (ps->arena_len + len > ps->arena_cap) {
		size_t cap = ps->arena_cap ? ps->arena_cap : 64 * 1024;

		/* Doubling: each step copies what is there (secure
		 * memory has no realloc); the room not used yet is
		 * sparse and costs no page. */
		while (cap < ps->arena_len + len)
			cap *= 2;
		ps->arena = secure_grow(ps->arena, ps->arena_len, cap);
		ps->arena_cap = cap;
	}
	dst = ps->arena + ps->arena_len;
	/* Most patterns are normal already: they are hashed and compared
	 * where they are, and copied only when new and not shared. */
	if (is_normal(s, len)) {
		lo = mask_lo < len ? mask_lo : 0;
		hi = mask_hi < len ? mask_hi : len;
	} else {
		n = normalise(ps, s, len, mask_lo, mask_hi, ps->keep_blanks,
		              dst, &lo, &hi);
		/* A short form with blanks at its start or end (a value's)
		 * would fall under the minimum without them and mask common
		 * text: it keeps them, and is not matched where a line
		 * starts or ends with them. */
		if (n < ps->min_length && !ps->keep_blanks)
			n = normalise(ps, s, len, mask_lo, mask_hi, true, dst,
			              &lo, &hi);
		bytes = dst;
	}
	if (n == 0 || hi <= lo)
		goto drop;
	if (n > PATTERN_LEN_MAX) {
		if (bytes == dst)
			sodium_memzero(dst, n);
		errx(EXIT_FAIL, "a form of %s is longer than %u bytes",
		     ps->names != NULL && secret < ps->name_count
		         ? ps->names[secret]
		         : "a value",
		     PATTERN_LEN_MAX);
	}
	/* Escape sequences dropped from a value (ESC in it) can leave a
	 * few bytes that would mask common text. */
	if (n < ps->min_length && bytes == dst && memchr(s, 0x1b, len) != NULL)
		goto drop;
	if (!dedup_slot(ps, secret, bytes, n, lo, hi, prefix, &slot, &h))
		goto drop;
	/* A window of the part just added is read in the part's bytes. */
	if (n <= ps->share_len)
		shared =
		    memmem(ps->arena + ps->share_at, ps->share_len, bytes, n);
	if (shared != NULL) {
		offset = (size_t)(shared - ps->arena);
		if (bytes == dst)
			sodium_memzero(dst, n);
	} else {
		offset = ps->arena_len;
		if (bytes != dst)
			memcpy(dst, bytes, n);
	}
	if (ps->count == ps->cap)
		items_grow(ps, ps->cap ? 2 * ps->cap : 1024);
	ps->offsets[ps->count] = (uint32_t)offset;
	p = &ps->items[ps->count++];
	p->len = (uint32_t)n;
	p->secret = secret;
	p->mask_lo = (uint32_t)lo;
	p->mask_hi = (uint32_t)hi;
	p->prefix = prefix;
	dedup_note(ps, slot, h, (uint32_t)ps->count - 1, secret);
	if (shared == NULL)
		ps->arena_len += n;
	if (n > ps->max_len)
		ps->max_len = (uint32_t)n;
	return;
drop:
	if (bytes == dst)
		sodium_memzero(dst, n);
}

void
patterns_seal(struct pattern_set *ps)
{
	dedup_free(ps->dedup);
	ps->dedup = NULL;
	/* The patterns and their bytes stay where they are: their blocks
	 * are sparse (secure_grow), so the room never used holds no page
	 * once the rest of the huge page each was filling is given back,
	 * and a copy at their size would cost their size again, with the
	 * faults and the copy, just before the automaton's largest step. */
	if (ps->image || ps->items == NULL)
		return;
	secmem_release(ps->items + ps->count,
	               (ps->cap - ps->count) * sizeof(*ps->items));
	secmem_release(ps->offsets + ps->count,
	               (ps->cap - ps->count) * sizeof(*ps->offsets));
	if (ps->arena != NULL)
		secmem_release(ps->arena + ps->arena_len,
		               ps->arena_cap - ps->arena_len);
}

void
patterns_drop_bytes(struct pattern_set *ps)
{
	if (ps->image)
		return;
	secmem_free(ps->arena);
	secmem_free(ps->offsets);
	ps->arena = NULL;
	ps->offsets = NULL;
	ps->arena_len = ps->arena_cap = 0;
}

static bool
is_line_break(unsigned char c)
{
	return c == '\n' || c == '\r';
}

/*
 * A part's raw pattern and encoded forms. A line of a multi-line part
 * gets them too, since programs print a PEM key or a multi-line value
 * line by line, each in its own literal or encoding (a line's e-mail
 * header or JSON form is not a piece of the whole value's); its pieces
 * come with the whole part's (pieces_add cuts at line breaks).
 */
static void
add_part_forms(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
              size_t len, bool pieces)
{
	patterns_add(ps, secret, v, len, 0, len, forms_prefix_of(v, len));
	if (ps->encodings)
		forms_add_encodings(ps, secret, v, len, scratch_for(ps, len),
		                    pieces);
}

/*
 * Each line of a multi-line part, trimmed, when long enough (PEM armour
 * lines name a type, not a key). A line of JSON text or of a URL gives
 * no pieces (its leaves, its password do). The count of lines too short
 * to mask.
 */
static size_t
add_lines(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
          size_t len)
{
	bool pieces = forms_gives_pieces(v, len);
	size_t short_lines = 0;
	struct value_line l;

	for (size_t at = 0; value_line_next(v, len, &at, &l);) {
		if (value_line_armour(v, l.lo, l.hi))
			continue;
		if (l.hi - l.lo >= ps->min_length)
			add_part_forms(ps, secret, v + l.lo, l.hi - l.lo,
			               pieces);
		else if (l.hi > l.lo)
			short_lines++;
	}
	return short_lines;
}

static bool
has_line_break(const unsigned char *v, size_t len)
{
	return memchr(v, '\n', len) != NULL || memchr(v, '\r', len) != NULL;
}

/* Bytes that are not line breaks: what a pattern of v keeps. */
static size_t
printable_length(const unsigned char *v, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += !is_line_break(v[i]);
	return n;
}

/*
 * The one door for a secret part: a value, a URL's password, a JSON
 * leaf, a decoding. Every byte of it is secret but a kept type prefix.
 * It gets its raw pattern, its encoded forms and its lines; the count
 * of its lines too short to mask.
 */
/*
 * A part's windows (add: pieces_add or pieces_add_binary), after its
 * raw pattern, the first pattern added since `before`: their bytes are
 * found in the raw pattern's, not kept again.
 */
static void
add_windows(struct pattern_set *ps, size_t before, uint32_t secret,
            const unsigned char *v, size_t len,
            void (*add)(struct pattern_set *, uint32_t, const unsigned char *,
                        size_t))
{
	if (ps->count > before) {
		ps->share_at = ps->offsets[before];
		ps->share_len = ps->items[before].len;
	}
	add(ps, secret, v, len);
	ps->share_len = 0;
}

void
patterns_add_windows(struct pattern_set *ps, uint32_t secret,
                     const unsigned char *s, size_t n)
{
	size_t before = ps->count;

	patterns_add(ps, secret, s, n, 0, n, 0);
	add_windows(ps, before, secret, s, n, pieces_add_binary);
}

static size_t
add_secret_part(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
                size_t len)
{
	size_t before = ps->count;

	add_part_forms(ps, secret, v, len, true);
	add_windows(ps, before, secret, v, len, pieces_add);
	return has_line_break(v, len) ? add_lines(ps, secret, v, len) : 0;
}

/* A binary part's raw bytes and its windows across line breaks; with
 * keep_noise an ESC in them a byte like any other. False when it is too
 * short to mask. */
static bool
add_binary_bytes(struct pattern_set *ps, uint32_t secret,
                 const unsigned char *v, size_t len, bool keep_noise)
{
	size_t before = ps->count;

	if (printable_length(v, len) < ps->min_length)
		return false;
	ps->keep_noise = keep_noise;
	ps->keep_blanks = true;
	patterns_add(ps, secret, v, len, 0, len, 0);
	add_windows(ps, before, secret, v, len, pieces_add_binary);
	ps->keep_noise = ps->keep_blanks = false;
	return true;
}

void
patterns_add_binary(struct pattern_set *ps, uint32_t secret,
                    const unsigned char *v, size_t len)
{
	if (add_binary_bytes(ps, secret, v, len, true) && ps->encodings) {
		unsigned char *out = scratch_for(ps, len);

		forms_add_hex(ps, secret, v, len, out);
		forms_add_der_pieces(ps, secret, v, len, out);
	}
}

void
patterns_add_key_bytes(struct pattern_set *ps, uint32_t secret,
                       const unsigned char *v, size_t len)
{
	/* An Ed25519 secret key of 64 bytes is its seed, then its public
	 * key: the seed is the secret, and a program prints it alone too
	 * (PyNaCl's SigningKey(k[:32]), a Solana key's seed handed to
	 * another library), in every form a key's bytes take (held aside:
	 * v may be what the forms below write over) */
	unsigned char *seed = NULL;

	if (len == KEY_ED25519_SECRET) {
		seed = patterns_work_take(ps, KEY_ED25519_SEED);
		memcpy(seed, v, KEY_ED25519_SEED);
	}
	if (!add_binary_bytes(ps, secret, v, len, false))
		goto seed;
	/* and as a dump's decoding holds them, where an ESC is a byte: the
	 * stream reads an escape sequence in the key's raw bytes as noise
	 * (the pattern above drops it), the views search the bytes a list
	 * or a hexdump spells out (Python's list(k) of a key with a 27 in
	 * it showed every byte before it) */
	if (memchr(v, 0x1b, len) != NULL)
		add_binary_bytes(ps, secret, v, len, true);
	if (ps->encodings)
		forms_add_key_bytes(ps, secret, v, len, scratch_for(ps, len));
seed:
	if (seed != NULL) {
		patterns_add_key_bytes(ps, secret, seed, KEY_ED25519_SEED);
		patterns_work_give(ps, seed, KEY_ED25519_SEED);
	}
}

void
patterns_add_short_key(struct pattern_set *ps, uint32_t secret,
                       const unsigned char *v, size_t len)
{
	if (ps->encodings)
		forms_add_key_bytes(ps, secret, v, len, scratch_for(ps, len));
}

void
patterns_add_key_number(struct pattern_set *ps, uint32_t secret,
                        const unsigned char *v, size_t len)
{
	if (ps->encodings)
		forms_add_number(ps, secret, v, len, scratch_for(ps, len));
}

/* A scheme's name at v: a letter, then letters, digits, '+', '-' or
 * '.'; its length, 0 when there is none. */
static size_t
scheme_name_length(const unsigned char *v, size_t len)
{
	size_t i = 0;

	if (len == 0 || !((v[0] | 0x20) >= 'a' && (v[0] | 0x20) <= 'z'))
		return 0;
	while (i < len && (((v[i] | 0x20) >= 'a' && (v[i] | 0x20) <= 'z') ||
	                   (v[i] >= '0' && v[i] <= '9') || v[i] == '+' ||
	                   v[i] == '-' || v[i] == '.'))
		i++;
	return i;
}

size_t
url_scheme_length(const unsigned char *v, size_t len)
{
	size_t i = 0, n;

	/* a JDBC URL names its driver's scheme after its own
	 * (jdbc:mysql://, jdbc:mysql:loadbalance://): one scheme of
	 * several names */
	while ((n = scheme_name_length(v + i, len - i)) > 0) {
		i += n;
		if (len - i >= 3 && memcmp(v + i, "://", 3) == 0)
			return i + 3;
		if (i >= len || v[i] != ':')
			return 0;
		i++;
	}
	return 0;
}

/*
 * scheme://user:password@host...: [*lo, *hi) is the password. A URL
 * without one is an ordinary value.
 */
bool
url_password(const unsigned char *v, size_t len, size_t *lo, size_t *hi)
{
	size_t i = url_scheme_length(v, len), end, at = 0, colon = 0;

	if (i == 0)
		return false;
	for (end = i; end < len && !strchr("/?#", v[end]); end++)
		if (v[end] == '@')
			at = end;
	if (at == 0)
		return false;
	for (colon = i; colon < at && v[colon] != ':'; colon++)
		;
	if (colon + 1 >= at)
		return false;
	*lo = colon + 1;
	*hi = at;
	return true;
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %XX decoded into out; the length, or 0 when nothing was encoded. */
static size_t
percent_decode(const unsigned char *v, size_t len, unsigned char *out)
{
	size_t n = 0;
	bool changed = false;

	for (size_t i = 0; i < len; i++) {
		int h, l;

		if (v[i] == '%' && i + 2 < len &&
		    (h = hex_value(v[i + 1])) >= 0 &&
		    (l = hex_value(v[i + 2])) >= 0) {
			out[n++] = (unsigned char)(h * 16 + l);
			i += 2;
			changed = true;
		} else {
			out[n++] = v[i];
		}
	}
	return changed ? n : 0;
}

/*
 * A value or a part found inside one. A URL with a password is masked
 * as printed with only its password hidden; the password (and its
 * decoding) is a secret part. Anything else is a secret part whole.
 * Then the parts inside it, while not too deep.
 */
static size_t
add_value(struct pattern_set *ps, uint32_t secret, const unsigned char *v,
          size_t len, unsigned depth)
{
	size_t lo, hi, short_lines = 0;

	if (len < ps->min_length || printable_length(v, len) < ps->min_length)
		return 0;
	if (url_password(v, len, &lo, &hi)) {
		patterns_add(ps, secret, v, len, lo, hi, 0);
		if (ps->encodings)
			forms_add_encodings(ps, secret, v, len,
			                    scratch_for(ps, len), false);
		if (has_line_break(v, len))
			short_lines = add_lines(ps, secret, v, len);
		patterns_add_derived(ps, secret, v + lo, hi - lo, depth + 1);
	} else {
		short_lines = add_secret_part(ps, secret, v, len);
	}
	if (depth < PARTS_DEPTH_MAX)
		parts_add(ps, secret, v, len, depth);
	return short_lines;
}

/*
 * Secure room for a decoding while the parts of a value are added: one
 * block for the whole set, used as a stack (the parts nest), since each
 * secure block costs an mmap, guard pages, an mlock and an munmap. A
 * decoding too big for it gets a block of its own.
 */
#define STACK_SIZE (64 * 1024)

unsigned char *
patterns_work_take(struct pattern_set *ps, size_t n)
{
	unsigned char *p;

	if (ps->stack == NULL) {
		ps->stack = secmem_alloc(STACK_SIZE);
		ps->stack_cap = STACK_SIZE;
	}
	if (n > ps->stack_cap - ps->stack_len)
		return secmem_alloc(n);
	p = ps->stack + ps->stack_len;
	ps->stack_len += n;
	return p;
}

void
patterns_work_give(struct pattern_set *ps, unsigned char *p, size_t n)
{
	uintptr_t at = (uintptr_t)p, base = (uintptr_t)ps->stack;

	if (at < base || at >= base + ps->stack_cap) {
		secmem_free(p);
		return;
	}
	sodium_memzero(p, n);
	ps->stack_len = (size_t)(p - ps->stack);
}

void
patterns_add_derived(struct pattern_set *ps, uint32_t secret,
                     const unsigned char *v, size_t len, unsigned depth)
{
	unsigned char *decoded;
	size_t n;

	if (depth > PARTS_DEPTH_MAX || len < ps->min_length)
		return;
	(void)add_value(ps, secret, v, len, depth);
	/* A part printed percent-encoded in its URL is used decoded. */
	decoded = patterns_work_take(ps, len + 1);
	n = percent_decode(v, len, decoded);
	if (n > 0 && n >= ps->min_length)
		(void)add_value(ps, secret, decoded, n, depth);
	patterns_work_give(ps, decoded, len + 1);
}

void
patterns_add_value(struct pattern_set *ps, const char *name,
                   const unsigned char *value, size_t len,
                   struct short_report *report)
{
	uint32_t secret = patterns_name(ps, name);

	memset(report, 0, sizeof(*report));
	patterns_set_hint(ps, secret, len);
	if (len < ps->min_length || printable_length(value, len) < ps->min_length) {
		report->value_short = true;
		return;
	}
	report->short_lines = add_value(ps, secret, value, len, 0);
}

/*
 * A sealed set as image sections: its counts and options, the patterns
 * and their bytes (read back in place), then each name with its hint.
 */
#define NAME_IMAGE_MAX 4096 /* longer than any name a set holds */

enum {
	PI_COUNT,
	PI_ARENA_LEN,
	PI_NAME_COUNT,
	PI_MIN_LENGTH,
	PI_ENCODINGS,
	PI_DETECT,
	PI_MAX_LEN,
	PI_BYTES, /* the arena is kept (patterns_drop_bytes) */
	PI_FIELDS
};

void
patterns_image_put(const struct pattern_set *ps, struct image_writer *w)
{
	uint64_t f[PI_FIELDS] = {
	    [PI_COUNT] = ps->count,           [PI_ARENA_LEN] = ps->arena_len,
	    [PI_NAME_COUNT] = ps->name_count, [PI_MIN_LENGTH] = ps->min_length,
	    [PI_ENCODINGS] = ps->encodings,   [PI_DETECT] = ps->detect,
	    [PI_MAX_LEN] = ps->max_len,       [PI_BYTES] = ps->arena != NULL,
	};

	image_put(w, f, sizeof(f));
	image_put(w, ps->items, ps->count * sizeof(*ps->items));
	image_put(w, ps->arena, ps->arena_len);
	if (ps->arena != NULL)
		image_put(w, ps->offsets, ps->count * sizeof(*ps->offsets));
	for (size_t i = 0; i < ps->name_count; i++) {
		size_t n = strlen(ps->names[i]);

		image_put_u64(w, n);
		image_put(w, ps->names[i], n + 1 + HINT_SIZE);
	}
}

struct pattern_set *
patterns_image_get(struct image_reader *r)
{
	const uint64_t *f = image_get(r, PI_FIELDS * sizeof(uint64_t));
	struct pattern_set *ps;

	if (f == NULL || f[PI_COUNT] >= UINT32_MAX ||
	    f[PI_ARENA_LEN] >= UINT32_MAX ||
	    f[PI_NAME_COUNT] >= PATTERN_NAMES_MAX - 1 ||
	    f[PI_MAX_LEN] >= UINT32_MAX ||
	    (f[PI_BYTES] == 0 && f[PI_ARENA_LEN] != 0))
		return NULL;
	ps = patterns_new(f[PI_MIN_LENGTH], f[PI_ENCODINGS] != 0);
	ps->image = true;
	ps->detect = f[PI_DETECT] != 0;
	ps->max_len = (uint32_t)f[PI_MAX_LEN];
	ps->count = ps->cap = f[PI_COUNT];
	ps->items = image_get_array(r, ps->count, sizeof(*ps->items));
	ps->arena_len = ps->arena_cap = f[PI_ARENA_LEN];
	ps->arena = image_get(r, ps->arena_len);
	if (f[PI_BYTES] == 0)
		ps->arena = NULL;
	else
		ps->offsets =
		    image_get_array(r, ps->count, sizeof(*ps->offsets));
	for (size_t i = 0; i < f[PI_NAME_COUNT] && !r->bad; i++) {
		uint64_t n = image_get_u64(r);
		const char *name = n <= NAME_IMAGE_MAX
		                       ? image_get(r, n + 1 + HINT_SIZE)
		                       : NULL;

		if (name == NULL || memchr(name, '\0', n) != NULL ||
		    name[n] != '\0' || name[n + HINT_SIZE] != '\0' ||
		    patterns_name(ps, name) != i) {
			r->bad = true;
			break;
		}
		memcpy(ps->names[i] + n + 1, name + n + 1, HINT_SIZE);
	}
	for (size_t i = 0; i < ps->count && !r->bad && ps->arena != NULL; i++) {
		const struct pattern *p = &ps->items[i];

		if (p->len > ps->arena_len ||
		    ps->offsets[i] > ps->arena_len - p->len)
			r->bad = true;
	}
	if (r->bad) {
		patterns_free(ps);
		return NULL;
	}
	return ps;
}
