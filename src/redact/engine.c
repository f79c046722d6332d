/* SPDX-License-Identifier: ISC */
/* The Aho-Corasick automaton over all patterns and the streaming masker. */
#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <sodium.h>

#include "engine.h"
#include "image.h"
#include "secmem.h"

#define NONE UINT32_MAX

/*
 * One node per pattern byte, so a node is small: its byte and flags in
 * `cell` and the depth of its failure link in `fail_depth`, 3 bytes in
 * all, and a record in `extra` for the few that need one. Nodes are made in
 * pattern order, so the nodes one pattern makes are consecutive: a node whose
 * next node is its child (NODE_CHAIN) needs no child pointer, and its depth and
 * the lowest-numbered pattern through it (the one that made it) are
 * found from the pattern that made it (node_maker). Its other
 * children are in one hash table (or, for a busy node, a table of its
 * own). Only a node that reports has an extra record.
 */
struct cell {
	unsigned char byte;
	uint8_t flags;
};
#define NODE_REPORTS 1 /* own != NONE or dict != 0 */
#define NODE_DENSE 2   /* its children are in a table of 256 */
#define NODE_CHAIN 4   /* node id + 1 is its child */
#define NODE_BRANCH 8  /* it has children in the hash or its table */
#define NODE_OWN 16    /* own != NONE */
#define NODE_DICT 32   /* dict != 0 */
/* It reports, and so does the node before it, its parent; both have a
 * lead, and its lead reaches back at most one byte further: when the
 * parent's match lengthened the last mask, so does its own. */
#define NODE_EASY 64
/* Its parent is not the node before it: a root's child, or a child in
 * the hash or a table (the first node a pattern made). */
#define NODE_HEAD 128
/* While the trie grows, the bits of NODE_OWN, NODE_DICT and NODE_EASY
 * (set once it is made) count its children in the hash, up to 7: a
 * node that gets DENSE_CHILDREN in all gets a table (node_add). */
#define NODE_KIDS_SHIFT 4
#define NODE_KIDS (7u << NODE_KIDS_SHIFT)

/*
 * 8 bytes, where a word each for own, dict, lead and back took 16 (at
 * 10,000 values, 754,501 records: 5.8 MiB, not 11.5). A node's lead,
 * the pattern whose mask covers all the others reported here, is its
 * first own pattern where it has one (at 10,000 values, every such
 * node's); a node with none reports what its dict reports, and its
 * dict ends a pattern: its lead is that one's. A node whose lead is
 * another has none (`led` 0): its patterns are all reported, which
 * masks the same. A node with both an own pattern and a dict (at
 * 10,000 values 10,980) keeps its dict apart (both_dicts).
 */
struct extra {
	/* NODE_OWN: the first pattern ending exactly here (NONE while
	 * the records are made); else the dict (0 while not found) */
	uint32_t own_or_dict;
	uint32_t back : PATTERN_LEN_BITS; /* lead's length less its mask_lo */
	uint32_t led : 1;                 /* a lead; 0: report them all */
};

/*
 * The q-gram filter: every pattern is at least filter_min bytes long,
 * so any match covers the 4 bytes at one of every `stride` offsets, and
 * those 4 bytes are one of the first `stride` 4-grams of a pattern (or
 * hold a CR/LF separator). Where the filter says no, the automaton is
 * not run at all.
 */
#define QGRAM 4
#define FILTER_BITS_MAX 24 /* 2 MiB */
#define FILTER_BITS_MIN 12
/* Bits per 4-gram in the filter, of which one is set: a probe finds a
 * bit set by chance about one time in that many. Where the stride
 * lets alarm_false() look at the 4-grams on either side before the
 * automaton runs (patterns of 11 bytes or more), a false alarm comes
 * about once in FILTER_QGRAM_BITS^3 probes, and more bits would buy
 * little speed but cost every run their load (at 32 bits the filter
 * was a sixth to a fifth of a masker image); without that second look
 * each false probe starts the automaton, so the filter keeps
 * FILTER_QGRAM_BITS_ALONE. */
#define FILTER_QGRAM_BITS 8
#define FILTER_QGRAM_BITS_ALONE 32
#define DENSE_CHILDREN 8 /* nodes with this many children get a table */
/* About one such node a DENSE_PER patterns (one in 50 to 60 at 10,000
 * values of 20 to 60 bytes): the tables' first room. */
#define DENSE_PER 32
/* Tables (1 KiB each as the trie grows) allowed whatever the size. */
#define DENSE_MIN 4096

/*
 * A hash of 32-bit keys to values, for the few nodes or patterns that
 * need a word their kind does not: secure memory, as it says which
 * patterns share bytes. The patterns that end at one node are listed in
 * pattern order from its record's own pattern, and at 10,000 values no
 * node has two (a value's patterns for another name, or another mask of
 * the same bytes): so the list's links are kept here, by pattern, where
 * a word in every pattern took 4 bytes a pattern (1.8 MiB).
 */
struct pair_slot {
	uint32_t key; /* + 1, 0 for an empty slot */
	uint32_t value;
};

struct pair_table {
	struct pair_slot *slots; /* NULL: empty */
	unsigned bits;
	size_t count;
};

/* The node and root tables spell the secrets: all in secure memory. */
struct automaton {
	struct cell *cell;
	/* A node's failure link is the node its path's last fail_depth - 1
	 * bytes spell from the root: a byte, where a node number took
	 * four. FAIL_FAR: the link is in `far`, by node. FAIL_UNKNOWN (0,
	 * so a block of them is pages never touched): not made yet, made
	 * when first read (the scan reaches few of the nodes). */
	uint8_t *fail_depth;
	struct far_slot *far;
	size_t far_mask, far_count;
	bool far_own; /* far is a secure block of its own, not an image's */
	/* Links are made when first read (fail_resolve), so `far` may grow
	 * while it is read: an image's too, as links_lazy may have left
	 * some. When false, every link was made at build. */
	bool links_lazy;
	/* Which record of `extra` is a node's: the records are in node
	 * order, made once the trie is linked, and a node's is found by
	 * counting the nodes before it that have one (NODE_EXTRA flags), 64
	 * to a block. */
	struct rank_block *ranks;
	size_t count, cap;
	size_t cells_ready; /* the cells below are present (node_add) */
	/* while the trie grows: the bytes of the patterns not inserted
	 * yet, a bound on the nodes still to make (cells_populate) */
	size_t cells_to_come;
	uint32_t *root_next; /* root's dense transition table, 256 entries */
	struct extra *extra; /* secure block; entry 0 unused */
	size_t extra_count, extra_cap;
	unsigned char *tables; /* secure block: the filter */
	/* secure block: the busy nodes' tables, 256 entries each while
	 * the trie grows, then dense_len entries in all (dense_compact) */
	uint32_t *dense;
	size_t dense_count, dense_cap, dense_most, dense_len;
	/* Which table is a busy node's, by node: small enough to stay in
	 * cache, where the node's extra record would be a miss or two. */
	struct dense_slot *dense_slots;
	size_t dense_slot_mask;
	/* Per pattern: the first node it made (nodes are made in pattern
	 * order), its parent and that node's depth less one; one secure
	 * block. A depth takes a byte: DEPTH_FAR says it is in `deep`. */
	uint32_t *made_from, *made_parent;
	uint8_t *made_depth;
	/* secure block: the depths of DEPTH_FAR, by pattern in order */
	struct deep_depth *deep;
	size_t deep_count, deep_cap;
	/* the patterns that end at a node after another, by the one
	 * before (pattern_next) */
	struct pair_table nexts;
	/* the dicts of the nodes with an own pattern too, by node */
	struct pair_table both_dicts;
	/* node_maker(k << MAKER_SHIFT) for each k: where its search
	 * begins (NULL while the trie grows) */
	uint32_t *maker_index;
	/* secure block: the children that are not the next node and not
	 * in a table, by parent and byte */
	struct child_slot *slots;
	size_t slot_size;
	/* while building: the bytes of the children in the hash, the only
	 * ones dense_make looks up */
	uint64_t listed_bytes[4];
	uint64_t *filter; /* 1 << filter_bits bits, or NULL: no filter */
	unsigned filter_bits;
	size_t stride;
	/* A bit per pattern: its bytes start with PEM armour ("-----"),
	 * which names a type (line_end), read without its bytes. */
	uint64_t *armour;
	/* While linking: the patterns in the order links_deep takes them
	 * (secure: the order says which bytes they hold). */
	uint32_t *link_order;
	/* while the build reads the patterns in the trie (spelled_parent) */
	struct head_memo *head_memo;
	/* From the trie's growth until then, per pattern: the last
	 * ABOVE_KEPT bytes of the path its own nodes hang from, the last
	 * in the low byte (secure: a pattern's bytes). A pattern read back
	 * seldom walks up its path for them. */
	uint32_t *above;
	struct pattern_set *ps;
	bool image; /* every table is in an image's block (image.h) */
};

/*
 * Where a pattern parts from those before it is a few bytes deep for
 * nearly all (at 10,000 values, none of 484,129 is 255 or deeper): a
 * byte each, where a word took 4 (1.4 MiB), and the rare deeper ones
 * kept apart, in pattern order.
 */
#define DEPTH_FAR UINT8_MAX

struct deep_depth {
	uint32_t pattern, depth;
};

/* The nodes that report have a record: what is read of a node that only
 * branches, its children, is in the hash or its table. */
#define NODE_EXTRA (NODE_OWN | NODE_DICT)
#define FAIL_FAR UINT8_MAX
/* Not made yet: made when first read (fail_resolve). */
#define FAIL_UNKNOWN 0

struct far_slot {
	uint32_t node; /* node + 1, 0 for an empty slot */
	uint32_t fail;
};

/* A table of 1 << bits entries: key's slot (Fibonacci hashing, the
 * product's top bits). */
static inline size_t
hash_slot(uint64_t key, unsigned bits)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

/* The value of key, or absent. */
static inline uint32_t
pair_get(const struct pair_table *t, uint32_t key, uint32_t absent)
{
	size_t mask = ((size_t)1 << t->bits) - 1;

	if (t->slots == NULL)
		return absent;
	for (size_t k = hash_slot(key, t->bits);; k = (k + 1) & mask) {
		if (t->slots[k].key == key + 1)
			return t->slots[k].value;
		if (t->slots[k].key == 0)
			return absent;
	}
}

/* key's value is value (half full at most: grown by doubling). */
static void
pair_put(struct pair_table *t, uint32_t key, uint32_t value)
{
	size_t mask;

	if (t->slots == NULL || 2 * (t->count + 1) > (size_t)1 << t->bits) {
		struct pair_table bigger = {
		    NULL, t->slots != NULL ? t->bits + 1 : 6, 0};
		size_t old_size = t->slots != NULL ? (size_t)1 << t->bits : 0;

		bigger.slots =
		    secmem_alloc(sizeof(*bigger.slots) << bigger.bits);
		for (size_t k = 0; k < old_size; k++)
			if (t->slots[k].key != 0)
				pair_put(&bigger, t->slots[k].key - 1,
				         t->slots[k].value);
		secmem_free(t->slots);
		*t = bigger;
	}
	mask = ((size_t)1 << t->bits) - 1;
	for (size_t k = hash_slot(key, t->bits);; k = (k + 1) & mask) {
		if (t->slots[k].key == key + 1) {
			t->slots[k].value = value;
			return;
		}
		if (t->slots[k].key == 0) {
			t->slots[k] = (struct pair_slot){key + 1, value};
			t->count++;
			return;
		}
	}
}

/* The pattern after i at the node where i ends, or NONE. */
static inline uint32_t
pattern_next(const struct automaton *a, uint32_t i)
{
	return pair_get(&a->nexts, i, NONE);
}

/*
 * A busy node's table: its children by byte, from byte lo to lo + last
 * (dense_compact: while the trie grows, all 256).
 */
struct dense_slot {
	uint32_t node; /* node + 1, 0 for an empty slot */
	uint32_t at;   /* its entry for byte lo: dense + at */
	uint8_t lo, last;
};

static inline size_t
dense_slot_of(size_t mask, uint32_t s)
{
	return (size_t)(((uint64_t)s * 0x9E3779B97F4A7C15ull) >> 36) & mask;
}

static inline const struct dense_slot *
dense_slot_find(const struct automaton *a, uint32_t s)
{
	for (size_t i = dense_slot_of(a->dense_slot_mask, s);;
	     i = (i + 1) & a->dense_slot_mask)
		if (a->dense_slots[i].node == s + 1)
			return &a->dense_slots[i];
}

/* The table of children of s (NODE_DENSE) while the trie grows: by
 * byte, all 256. */
static inline uint32_t *
dense_row(const struct automaton *a, uint32_t s)
{
	return a->dense + dense_slot_find(a, s)->at;
}

/* The child of s (NODE_DENSE) by c, or 0. */
static inline uint32_t
dense_child(const struct automaton *a, uint32_t s, unsigned char c)
{
	const struct dense_slot *d = dense_slot_find(a, s);
	unsigned k = (unsigned)c - d->lo;

	return k <= d->last ? a->dense[d->at + k] : 0;
}

/*
 * Which record is a node's, per block of 128 nodes: the records before
 * the block, and before each quarter of it. Within a quarter the nodes
 * with a record are counted from their cells' flags (NODE_EXTRA), read
 * next to the node's own cell (32 cells, 64 bytes): 8 bytes a block,
 * where a bit per node kept apart took 20 (at 10,000 values, 17.7
 * million nodes: 1.1 MiB, where blocks of 64 took 2.1).
 */
struct rank_block {
	uint32_t before; /* records of the blocks before it */
	uint8_t upto[4]; /* records in the block before node 32k */
};
#define RANK_QUARTER 32
#define RANK_BLOCK (4 * RANK_QUARTER)

/* How many of the first n cells of a quarter (from q) have a record: 4
 * cells a word, the flags' NODE_OWN and NODE_DICT bits folded into bit 0
 * of each cell's 16 bits, then summed. */
static inline unsigned
extras_in_quarter(const struct cell *q, unsigned n)
{
	uint64_t sum = 0;

	for (unsigned j = 0; 4 * j < n; j++) {
		uint64_t w;

		memcpy(&w, q + 4 * j, sizeof(w));
		w = (w >> 12 | w >> 13) & 0x0001000100010001ull;
		if (n - 4 * j < 4)
			w &= (1ull << (16 * (n - 4 * j))) - 1;
		sum += w;
	}
	return (unsigned)((sum * 0x0001000100010001ull) >> 48);
}

/* The index of node s's record once built (it has one: NODE_EXTRA). */
static inline uint32_t
extra_rank(const struct automaton *a, uint32_t s)
{
	const struct rank_block *b = &a->ranks[s / RANK_BLOCK];

	return b->before + 1 + b->upto[s / RANK_QUARTER % 4] +
	       extras_in_quarter(a->cell + (s & ~(uint32_t)(RANK_QUARTER - 1)),
	                         s & (RANK_QUARTER - 1));
}

/*
 * The passes over every node read the cells a word (4 cells) at a time:
 * at 10,000 values 17 million nodes, of which under a twentieth have a
 * flag such a pass looks for. CELLS_FLAGS(f): flags f in each cell of
 * a word (a cell's flags are its high byte, as extras_in_quarter reads
 * them).
 */
#define CELLS_FLAGS(f) (0x0001000100010001ull * ((uint64_t)(f) << 8))

/* The first node from i on with any of flags f, or a->count. A
 * word is read only where its 4 cells are nodes: the block ends 2
 * cells past the last node. */
static inline size_t
cells_next(const struct automaton *a, size_t i, uint8_t f)
{
	for (; i + 4 <= a->count; i += 4) {
		uint64_t w;

		memcpy(&w, a->cell + i, sizeof(w));
		w &= CELLS_FLAGS(f);
		if (w != 0)
			return i + (size_t)__builtin_ctzll(w) / 16;
	}
	for (; i < a->count; i++)
		if (a->cell[i].flags & f)
			return i;
	return a->count;
}

/* Flags f cleared on every node but the root. */
static void
cells_clear(struct automaton *a, uint8_t f)
{
	size_t i = 1;

	for (; i + 4 <= a->count; i += 4) {
		uint64_t w;

		memcpy(&w, a->cell + i, sizeof(w));
		w &= ~CELLS_FLAGS(f);
		memcpy(a->cell + i, &w, sizeof(w));
	}
	for (; i < a->count; i++)
		a->cell[i].flags &= (uint8_t)~f;
}

/*
 * The slot of a hash h among size: any size, not only a power of two,
 * so that a table is sized to what it holds (its high 32 bits scaled).
 */
static inline size_t
slot_scaled(uint64_t h, size_t size)
{
	return (size_t)(((h >> 32) * (uint64_t)size) >> 32);
}

/* The slot after i in a table of size slots (linear probing). */
static inline size_t
slot_next(size_t i, size_t size)
{
	return i + 1 == size ? 0 : i + 1;
}

static inline const struct extra *
extra_at(const struct automaton *a, uint32_t s)
{
	return &a->extra[extra_rank(a, s)];
}

struct child_slot {
	uint32_t parent, child; /* child 0: empty */
};

static inline size_t
slot_of(const struct automaton *a, uint32_t parent, unsigned char c)
{
	uint64_t x = ((uint64_t)parent << 8 | c) * 0x9E3779B97F4A7C15ull;

	return slot_scaled(x, a->slot_size);
}

/* A child of s in the hash, or 0. */
static uint32_t
listed_child(const struct automaton *a, uint32_t s, unsigned char c)
{
	for (size_t i = slot_of(a, s, c);; i = slot_next(i, a->slot_size)) {
		const struct child_slot *e = &a->slots[i];

		if (e->child == 0)
			return 0;
		if (e->parent == s && a->cell[e->child].byte == c)
			return e->child;
	}
}

static void
listed_add(struct automaton *a, uint32_t parent, uint32_t child)
{
	size_t i = slot_of(a, parent, a->cell[child].byte);

	while (a->slots[i].child != 0)
		i = slot_next(i, a->slot_size);
	a->slots[i] = (struct child_slot){parent, child};
	a->listed_bytes[a->cell[child].byte >> 6] |=
	    1ull << (a->cell[child].byte & 63);
}

/* The child of s by c, or 0: packed, once every busy node's table is
 * (dense_compact), or while the trie grows, when each has 256 entries. */
static inline uint32_t
child_in(const struct automaton *a, uint32_t s, unsigned char c, bool packed)
{
	uint8_t f;

	if (s == 0)
		return a->root_next[c];
	f = a->cell[s].flags;
	/* Most nodes have one child, the next node: a miss reads only
	 * the next cell. */
	if ((f & NODE_CHAIN) && a->cell[s + 1].byte == c)
		return s + 1;
	if (!(f & NODE_BRANCH))
		return 0;
	if (f & NODE_DENSE)
		return packed ? dense_child(a, s, c) : dense_row(a, s)[c];
	return listed_child(a, s, c);
}

static inline uint32_t
child_of(const struct automaton *a, uint32_t s, unsigned char c)
{
	return child_in(a, s, c, true);
}

/* While the trie grows. */
static inline uint32_t
child_growing(const struct automaton *a, uint32_t s, unsigned char c)
{
	return child_in(a, s, c, false);
}

/*
 * Once the trie is made, the hash holds what it must: two thirds full
 * of the children listed there (about one for every two patterns, where
 * the trie's growth needed room for one a pattern), less those of nodes
 * that got a table of their own.
 */
static void
slots_fit(struct automaton *a)
{
	struct child_slot *old = a->slots;
	size_t old_size = a->slot_size, used = 0;

	for (size_t i = 0; i < old_size; i++)
		used += old[i].child != 0 &&
		        !(a->cell[old[i].parent].flags & NODE_DENSE);
	a->slot_size = 2 + 3 * used / 2;
	a->slots = secmem_alloc(a->slot_size * sizeof(*a->slots));
	for (size_t i = 0; i < old_size; i++)
		if (old[i].child != 0 &&
		    !(a->cell[old[i].parent].flags & NODE_DENSE))
			listed_add(a, old[i].parent, old[i].child);
	secmem_free(old);
}

#define MAKER_SHIFT 8

/* The pattern that made node id (the lowest-numbered through it). */
static uint32_t
node_maker(const struct automaton *a, uint32_t id)
{
	size_t lo = 0, hi = a->ps->count;

	if (a->maker_index != NULL) {
		size_t k = id >> MAKER_SHIFT;

		lo = a->maker_index[k];
		if (k + 1 <= (a->count - 1) >> MAKER_SHIFT)
			hi = a->maker_index[k + 1] + 1;
	}

	/* The last pattern whose first node is at or before id. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->made_from[mid] <= id)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* Failure links look nodes' parents up by maker: a search over a few
 * patterns, not all. */
static void
maker_index_build(struct automaton *a)
{
	size_t blocks = ((a->count - 1) >> MAKER_SHIFT) + 1, i = 0;
	uint32_t *index = secmem_alloc(blocks * sizeof(*index));

	for (size_t k = 0; k < blocks; k++) {
		uint32_t id = (uint32_t)(k << MAKER_SHIFT);

		/* The last pattern whose first node is at or before id. */
		while (i + 1 < a->ps->count && a->made_from[i + 1] <= id)
			i++;
		index[k] = (uint32_t)i;
	}
	a->maker_index = index;
}

/* made_depth of pattern i kept apart (0 when it is not there: an
 * image that says otherwise). */
static uint32_t
made_depth_far(const struct automaton *a, size_t i)
{
	size_t lo = 0, hi = a->deep_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->deep[mid].pattern < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->deep_count && a->deep[lo].pattern == i
	           ? a->deep[lo].depth
	           : 0;
}

/* The depth less one of the first node pattern i made. */
static inline uint32_t
made_depth_of(const struct automaton *a, size_t i)
{
	uint8_t d = a->made_depth[i];

	return d != DEPTH_FAR ? d : made_depth_far(a, i);
}

/* Patterns are inserted in order: the deep ones are kept in order. */
static void
made_depth_set(struct automaton *a, size_t i, uint32_t depth)
{
	if (depth < DEPTH_FAR) {
		a->made_depth[i] = (uint8_t)depth;
		return;
	}
	if (a->deep_count == a->deep_cap) {
		size_t cap = a->deep_cap ? 2 * a->deep_cap : 64;
		struct deep_depth *bigger = secmem_alloc(cap * sizeof(*bigger));

		if (a->deep_count > 0)
			memcpy(bigger, a->deep,
			       a->deep_count * sizeof(*bigger));
		secmem_free(a->deep);
		a->deep = bigger;
		a->deep_cap = cap;
	}
	a->deep[a->deep_count++] = (struct deep_depth){(uint32_t)i, depth};
	a->made_depth[i] = DEPTH_FAR;
}

/* The block of made_from, made_parent and made_depth. */
static size_t
made_bytes(size_t patterns)
{
	return (patterns + 1) * (2 * sizeof(uint32_t) + 1);
}

static uint32_t
node_depth(const struct automaton *a, uint32_t id)
{
	uint32_t i;

	if (id == 0)
		return 0;
	i = node_maker(a, id);
	return made_depth_of(a, i) + (id - a->made_from[i]) + 1;
}

/* How many nodes pattern i made. */
static uint32_t
made_count(const struct automaton *a, size_t i)
{
	uint32_t end =
	    i + 1 < a->ps->count ? a->made_from[i + 1] : (uint32_t)a->count;

	return end - a->made_from[i];
}

/* The node where pattern i ends. */
static uint32_t
pattern_end(const struct automaton *a, size_t i)
{
	uint32_t n = made_count(a, i);

	return n > 0 ? a->made_from[i] + n - 1 : a->made_parent[i];
}

/* Node id's parent: the node before it but for a head. */
static uint32_t
node_parent(const struct automaton *a, uint32_t id)
{
	if (!(a->cell[id].flags & NODE_HEAD))
		return id - 1;
	if (a->root_next[a->cell[id].byte] == id)
		return 0;
	return a->made_parent[node_maker(a, id)];
}

/*
 * Once the trie is made it spells every pattern: the build reads the
 * bytes back from it, so that a set's own bytes can go as the trie
 * grows (trie_make), before the steps that follow it. A head's parent
 * is a search among the patterns (node_parent): the build keeps the
 * last ones found, by node, as the same shallow heads come again and
 * again.
 */
#define ABOVE_KEPT 4

struct head_memo {
	uint32_t node; /* node + 1, 0 for none */
	uint32_t parent;
};
#define HEAD_MEMO_BITS 14

/* node_parent() of s, while building. */
static uint32_t
spelled_parent(const struct automaton *a, uint32_t s)
{
	struct head_memo *e;

	if (!(a->cell[s].flags & NODE_HEAD))
		return s - 1;
	if (a->root_next[a->cell[s].byte] == s)
		return 0;
	e = &a->head_memo[hash_slot(s, HEAD_MEMO_BITS)];
	if (e->node != s + 1)
		*e =
		    (struct head_memo){s + 1, a->made_parent[node_maker(a, s)]};
	return e->parent;
}

/* The depth of made_parent[i]: a pattern that made no node ends there. */
static uint32_t
parent_depth(const struct automaton *a, size_t i)
{
	return made_count(a, i) > 0 ? made_depth_of(a, i) : a->ps->items[i].len;
}

/* The node at depth d (1 to its length) on pattern i's path. */
static uint32_t
pattern_node_at(const struct automaton *a, size_t i, uint32_t d)
{
	uint32_t depth = parent_depth(a, i), s = a->made_parent[i];

	if (d > depth)
		return a->made_from[i] + (d - depth - 1);
	for (; depth > d; depth--)
		s = spelled_parent(a, s);
	return s;
}

/* The last n bytes (n > 0) of the path to node s, into out. */
static void
path_bytes(const struct automaton *a, uint32_t s, unsigned char *out, size_t n)
{
	for (;;) {
		out[--n] = a->cell[s].byte;
		if (n == 0)
			return;
		s = spelled_parent(a, s);
	}
}

/* The n bytes (n > 0, n <= d) of pattern i's path that end at depth d,
 * into out: its own nodes one after another, then the bytes kept above
 * them, then the path it hangs from. */
static void
pattern_path_bytes(const struct automaton *a, size_t i, uint32_t d,
                   unsigned char *out, size_t n)
{
	uint32_t depth = parent_depth(a, i), s = a->made_parent[i];

	for (; d > depth; d--) {
		out[--n] = a->cell[a->made_from[i] + (d - depth - 1)].byte;
		if (n == 0)
			return;
	}
	if (d == depth && n <= ABOVE_KEPT) {
		for (uint32_t w = a->above[i]; n > 0; w >>= 8)
			out[--n] = (unsigned char)w;
		return;
	}
	for (; depth > d; depth--)
		s = spelled_parent(a, s);
	path_bytes(a, s, out, n);
}

/* A pass over the patterns that reads each one's path asks for the cell
 * where the path above its own nodes begins this many patterns ahead:
 * the misses overlap. */
#define PATH_AHEAD 8

static inline void
path_prefetch(const struct automaton *a, size_t i)
{
	if (i < a->ps->count)
		__builtin_prefetch(&a->cell[a->made_parent[i]]);
}

/* Whether the paths to u and v end with the same n bytes (n > 0, both
 * at least n deep). */
static bool
paths_end_alike(const struct automaton *a, uint32_t u, uint32_t v, uint32_t n)
{
	for (;;) {
		if (u == v)
			return true;
		if (a->cell[u].byte != a->cell[v].byte)
			return false;
		if (--n == 0)
			return true;
		u = spelled_parent(a, u);
		v = spelled_parent(a, v);
	}
}

/* Whether the path to u, deeper than pattern i, ends with its bytes. */
static bool
pattern_ends_path(const struct automaton *a, size_t i, uint32_t u)
{
	uint32_t depth = parent_depth(a, i);

	for (uint32_t d = a->ps->items[i].len; d > depth; d--) {
		uint32_t v = a->made_from[i] + (d - depth - 1);

		if (u == v)
			return true;
		if (a->cell[u].byte != a->cell[v].byte)
			return false;
		u = spelled_parent(a, u);
	}
	if (depth == 0)
		return true;
	if (depth > ABOVE_KEPT)
		return paths_end_alike(a, u, a->made_parent[i], depth);
	/* the bytes kept above its own nodes */
	for (uint32_t w = a->above[i];; w >>= 8) {
		if (a->cell[u].byte != (unsigned char)w)
			return false;
		if (--depth == 0)
			return true;
		u = spelled_parent(a, u);
	}
}

static inline size_t
far_slot_of(size_t mask, uint32_t s)
{
	return (size_t)(((uint64_t)s * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

/* A failure link too deep for a byte (a long pattern inside another). */
static void
far_put(struct automaton *a, uint32_t s, uint32_t fail)
{
	size_t i;

	if (2 * (a->far_count + 1) > a->far_mask + 1) {
		size_t mask = a->far_mask ? 2 * (a->far_mask + 1) - 1 : 63;
		struct far_slot *bigger =
		    secmem_alloc((mask + 1) * sizeof(*bigger));

		for (size_t k = 0; a->far != NULL && k <= a->far_mask; k++) {
			struct far_slot e = a->far[k];

			if (e.node == 0)
				continue;
			for (i = far_slot_of(mask, e.node - 1);
			     bigger[i].node != 0; i = (i + 1) & mask)
				;
			bigger[i] = e;
		}
		if (a->far_own)
			secmem_free(a->far);
		a->far = bigger;
		a->far_mask = mask;
		a->far_own = true;
	}
	for (i = far_slot_of(a->far_mask, s); a->far[i].node != 0;
	     i = (i + 1) & a->far_mask)
		;
	a->far[i] = (struct far_slot){s + 1, fail};
	a->far_count++;
}

/*
 * Threads that mask streams at once share an automaton, whose links are
 * made when first read (fail_resolve): one thread at a time makes them,
 * and a far link is read under the same lock, since its table may grow
 * meanwhile. A depth is written (fail_set) once the link it says is
 * there, and read with acquire (fail_of).
 */
static pthread_mutex_t links_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static uint32_t
far_find(const struct automaton *a, uint32_t s)
{
	for (size_t i = far_slot_of(a->far_mask, s);; i = (i + 1) & a->far_mask)
		if (a->far[i].node == s + 1)
			return a->far[i].fail;
}

static uint32_t
far_get(const struct automaton *a, uint32_t s)
{
	uint32_t fail;

	if (!a->links_lazy)
		return far_find(a, s); /* never grows once built */
	pthread_mutex_lock(&links_lock);
	fail = far_find(a, s);
	pthread_mutex_unlock(&links_lock);
	return fail;
}

/*
 * Node s's failure link: the longest proper suffix of its path that is
 * a node, spelled again from the root (its last fail_depth bytes, read
 * back through its parents). Most links are a few bytes deep.
 */
static uint32_t fail_resolve(const struct automaton *a, uint32_t s);

static uint32_t
fail_of(const struct automaton *a, uint32_t s)
{
	/* The nodes, not their bytes: no copy of a pattern to wipe. */
	uint32_t path[FAIL_FAR];
	unsigned k = __atomic_load_n(&a->fail_depth[s], __ATOMIC_ACQUIRE);
	uint32_t t = 0;

	if (k == 1)
		return 0;
	if (k == FAIL_FAR)
		return far_get(a, s);
	if (k == FAIL_UNKNOWN)
		return fail_resolve(a, s);
	k--;
	for (unsigned i = k;;) {
		path[--i] = s;
		if (i == 0)
			break;
		s = node_parent(a, s);
	}
	for (unsigned i = 0; i < k; i++)
		t = child_of(a, t, a->cell[path[i]].byte);
	return t;
}

/* Node v's failure link is t, of depth `depth`. */
static void
fail_set(struct automaton *a, uint32_t v, uint32_t t, uint32_t depth)
{
	if (depth + 1 < FAIL_FAR) {
		__atomic_store_n(&a->fail_depth[v], (uint8_t)(depth + 1),
		                 __ATOMIC_RELEASE);
		return;
	}
	far_put(a, v, t);
	__atomic_store_n(&a->fail_depth[v], FAIL_FAR, __ATOMIC_RELEASE);
}

/* The depth of the failure link of s (made: fail is fail_of(a, s)). */
static uint32_t
fail_depth_of(const struct automaton *a, uint32_t s, uint32_t fail)
{
	return a->fail_depth[s] == FAIL_FAR ? node_depth(a, fail)
	                                    : a->fail_depth[s] - 1u;
}

/* Nodes whose links fail_resolve is making, each shallower than the
 * one before: a pattern's length at most. */
struct resolve_stack {
	uint32_t *items;
	size_t count, cap;
};

static void
resolve_push(struct resolve_stack *st, uint32_t *small, uint32_t v)
{
	if (st->count == st->cap) {
		uint32_t *bigger = malloc(2 * st->cap * sizeof(*bigger));

		if (bigger == NULL)
			abort();
		memcpy(bigger, st->items, st->count * sizeof(*bigger));
		if (st->items != small)
			free(st->items);
		st->items = bigger;
		st->cap *= 2;
	}
	st->items[st->count++] = v;
}

/*
 * The failure link of node s, not made yet (FAIL_UNKNOWN): made from
 * its parent's, as a build would, and kept. The links it reads are made
 * first, shallower nodes first. A scan reaches few of the nodes, so the
 * build makes none of them (links_lazy): the tables are written here,
 * by whoever reads the automaton (a process of its own each).
 */
static uint32_t
fail_resolve(const struct automaton *a, uint32_t s)
{
	struct automaton *w = (struct automaton *)a;
	uint32_t small[64];
	struct resolve_stack st = {small, 0, 64};

	pthread_mutex_lock(&links_lock);
	resolve_push(&st, small, s);
	while (st.count > 0) {
		uint32_t v = st.items[st.count - 1], p, f, t = 0, depth = 0;
		unsigned char c = a->cell[v].byte;

		if (a->fail_depth[v] != FAIL_UNKNOWN) {
			st.count--;
			continue;
		}
		p = node_parent(a, v);
		if (p != 0 && a->fail_depth[p] == FAIL_UNKNOWN) {
			resolve_push(&st, small, p);
			continue;
		}
		for (f = p; f != 0;) {
			/* f is p, or a suffix of its path: made links. */
			uint32_t g;

			if (a->fail_depth[f] == FAIL_UNKNOWN)
				break;
			g = fail_of(a, f);
			depth = fail_depth_of(a, f, g);
			f = g;
			if ((t = child_of(a, f, c)) != 0 || f == 0)
				break;
		}
		if (f != 0 && a->fail_depth[f] == FAIL_UNKNOWN && t == 0) {
			resolve_push(&st, small, f);
			continue;
		}
		fail_set(w, v, t, t != 0 ? depth + 1 : 0);
		st.count--;
	}
	pthread_mutex_unlock(&links_lock);
	if (st.items != small)
		free(st.items);
	return fail_of(a, s);
}

static void dense_make(struct automaton *a, uint32_t node);

/*
 * The cells' pages made present 256 KiB at a time, ahead of the nodes
 * written there: one call, where a fault a page cost more (the block is
 * sparse, sized to the bound, and stays so past the last node: the
 * pages made present past it are given back once the trie is made,
 * cells_trim; 1 MiB at a time held up to 1 MiB more at the trie's end).
 */
#define CELLS_AHEAD ((size_t)1 << 18)

static void
cells_populate(struct automaton *a)
{
	uintptr_t from = (uintptr_t)(a->cell + a->count) & ~(uintptr_t)4095;
	uintptr_t end = (uintptr_t)(a->cell + a->cap);
	size_t n = end - from < CELLS_AHEAD ? end - from : CELLS_AHEAD;

	/* The block takes huge pages (secmem_alloc_growing); near the
	 * trie's end the last one would be held mostly empty at the
	 * build's peak, until cells_trim: once the nodes still to come
	 * may not fill two, the rest takes small pages. */
	if (a->cells_to_come < 2 * SECMEM_HUGE_PAGE / sizeof(*a->cell)) {
		uintptr_t next = (from + SECMEM_HUGE_PAGE - 1) &
		                 ~(uintptr_t)(SECMEM_HUGE_PAGE - 1);

		if (next < end)
			(void)madvise((void *)next, end - next,
			              MADV_NOHUGEPAGE);
		a->cells_to_come = SIZE_MAX;
	}

	(void)madvise((void *)from, n, MADV_POPULATE_WRITE);
	a->cells_ready = (from + n - (uintptr_t)a->cell) / sizeof(*a->cell);
}

/* The pages made present past the last node given back (the masker
 * reads 4 bytes of cell from a node's flags on: those stay, zeros). */
static void
cells_trim(struct automaton *a)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from =
	    ((uintptr_t)(a->cell + a->count + 2) + page - 1) & ~(page - 1);
	uintptr_t end = (uintptr_t)(a->cell + a->cells_ready);

	if (end > from)
		secmem_release((void *)from, end - from);
	a->cells_ready = a->count;
}

static uint32_t
node_add(struct automaton *a, uint32_t parent, unsigned char c)
{
	uint32_t id = (uint32_t)a->count++, kids;

	if (a->count >= a->cells_ready)
		cells_populate(a);

	a->cell[id] = (struct cell){.byte = c, .flags = NODE_HEAD};
	if (parent == 0) {
		a->root_next[c] = id;
		return id;
	}
	if (parent + 1 == id && !(a->cell[parent].flags & NODE_CHAIN)) {
		a->cell[id].flags = 0;
		a->cell[parent].flags |= NODE_CHAIN;
		if (a->cell[parent].flags & NODE_DENSE)
			dense_row(a, parent)[c] = id;
		return id;
	}
	a->cell[parent].flags |= NODE_BRANCH;
	if (a->cell[parent].flags & NODE_DENSE) {
		dense_row(a, parent)[c] = id;
		return id;
	}
	listed_add(a, parent, id);
	kids = (a->cell[parent].flags & NODE_KIDS) >> NODE_KIDS_SHIFT;
	if (kids < 7)
		a->cell[parent].flags += 1u << NODE_KIDS_SHIFT;
	if (kids + 2 >= DENSE_CHILDREN)
		dense_make(a, parent);
	return id;
}

/*
 * The n new nodes (n > 0) of a pattern's bytes s below node: the first
 * a child of node (node_add), each after it the child of the one
 * before, the next node (NODE_CHAIN). Their cells are written in one
 * pass, flags and all, where a node_add each read back the flags of
 * the cell written just before (at 10,000 values, 17 million nodes a
 * store and a load that waited on it).
 */
static void
chain_add(struct automaton *a, uint32_t node, const unsigned char *s,
          uint32_t n)
{
	uint32_t k = 1;

	node = node_add(a, node, s[0]);
	if (n > 1)
		a->cell[node].flags |= NODE_CHAIN;
	while (k < n) {
		/* the cells present from count on (node_add made the
		 * next one present) */
		size_t room =
		    a->cells_ready > a->count ? a->cells_ready - a->count : 1;
		uint32_t stop = n - k < room ? n : k + (uint32_t)room;
		struct cell *c = a->cell + a->count - k;

		for (; k + 1 < stop; k++)
			c[k] = (struct cell){.byte = s[k], .flags = NODE_CHAIN};
		if (k < stop) {
			c[k] = (struct cell){
			    .byte = s[k], .flags = k + 1 < n ? NODE_CHAIN : 0};
			k++;
		}
		a->count = (size_t)(c - a->cell) + k;
		if (a->count >= a->cells_ready)
			cells_populate(a);
	}
}

static bool
same_mask(const struct pattern *x, const struct pattern *y)
{
	return x->secret == y->secret && x->mask_lo == y->mask_lo &&
	       x->mask_hi == y->mask_hi && x->prefix == y->prefix;
}

/* Insert pattern i's nodes (its record is made once the trie is,
 * owns_mark and extras_make). */
static void
trie_insert(struct automaton *a, uint32_t i)
{
	const struct pattern *p = &a->ps->items[i];
	const unsigned char *s = pattern_bytes(a->ps, p);
	uint32_t node = 0, next;
	uint32_t k = 0;

	a->made_from[i] = (uint32_t)a->count;
	for (; k < p->len; k++) {
		next = child_growing(a, node, s[k]);
		if (next == 0)
			break;
		node = next;
	}
	a->made_parent[i] = node;
	/* the bytes just above its own nodes (up to ABOVE_KEPT of them) */
	for (uint32_t j = k > ABOVE_KEPT ? k - ABOVE_KEPT : 0; j < k; j++)
		a->above[i] = a->above[i] << 8 | s[j];
	made_depth_set(a, i, k < p->len ? k : 0);
	if (k < p->len)
		chain_add(a, node, s + k, p->len - k);
}

/*
 * Each pattern's walk down the trie misses the cache at each of its
 * first levels, one miss after another. So the patterns a few places
 * ahead are walked too, as far as the trie goes so far, one step each
 * per pattern inserted, a step fetching only what the next one reads:
 * their misses overlap. The insertion walks again (the trie may have
 * grown since), mostly from cache.
 */
#define INSERT_AHEAD 8

enum ahead_phase { AHEAD_DONE, AHEAD_NODE, AHEAD_CHILD };

struct insert_walker {
	const unsigned char *s;
	uint32_t len, k, node;
	enum ahead_phase phase;
};

static void
ahead_step(const struct automaton *a, struct insert_walker *w)
{
	unsigned char c;
	uint8_t f;

	if (w->phase == AHEAD_DONE)
		return;
	if (w->k >= w->len) {
		w->phase = AHEAD_DONE;
		return;
	}
	c = w->s[w->k];
	if (w->phase == AHEAD_CHILD || w->node == 0) {
		/* the child's place was fetched (the root's table stays in
		 * cache) */
		uint32_t t = child_growing(a, w->node, c);

		if (t == 0) {
			w->phase = AHEAD_DONE;
			return;
		}
		w->node = t;
		w->k++;
		w->phase = AHEAD_NODE;
		__builtin_prefetch(&a->cell[t]);
		return;
	}
	/* AHEAD_NODE: the node's cell was fetched; fetch where its child
	 * by c is */
	f = a->cell[w->node].flags;
	if ((f & NODE_CHAIN) && a->cell[w->node + 1].byte == c) {
		w->node++;
		w->k++;
		return;
	}
	if (!(f & NODE_BRANCH)) {
		w->phase = AHEAD_DONE;
		return;
	}
	if (f & NODE_DENSE)
		__builtin_prefetch(&dense_row(a, w->node)[c]);
	else
		__builtin_prefetch(&a->slots[slot_of(a, w->node, c)]);
	w->phase = AHEAD_CHILD;
}

/*
 * A set whose bytes go once the trie is made (drop_bytes) gives back,
 * every RELEASE_EVERY patterns, the pages of its bytes that no pattern
 * still to come reads: the bytes and the trie they make are not held
 * whole together (at 10,000 values, 15.6 and 30.8 MiB). A pattern's
 * bytes follow those of the patterns before it but for a window's,
 * read in its part's, a few patterns back. floors[k]: the lowest
 * offset of the patterns from k * RELEASE_EVERY on.
 */
#define RELEASE_EVERY 4096

/* The whole pages of a block from *released up to upto given back
 * (secmem_release), *released moved past them. */
static void
release_upto(uintptr_t *released, uintptr_t upto)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	upto &= ~(page - 1);
	if (upto > *released) {
		secmem_release((void *)*released, upto - *released);
		*released = upto;
	}
}

static uint32_t *
release_floors(const struct pattern_set *ps)
{
	uint32_t *floors, low = UINT32_MAX;

	if (!ps->drop_bytes || ps->image || ps->count <= RELEASE_EVERY)
		return NULL;
	floors =
	    malloc(((ps->count - 1) / RELEASE_EVERY + 1) * sizeof(*floors));
	if (floors == NULL)
		abort();
	for (size_t i = ps->count; i-- > 0;) {
		if (ps->offsets[i] < low)
			low = ps->offsets[i];
		if (i % RELEASE_EVERY == 0)
			floors[i / RELEASE_EVERY] = low;
	}
	return floors;
}

/* Every pattern's nodes, in pattern order. */
static void
trie_make(struct automaton *a)
{
	const struct pattern_set *ps = a->ps;
	struct insert_walker ahead[INSERT_AHEAD] = {{0}};
	uint32_t *floors = release_floors(ps);
	uintptr_t released = (uintptr_t)ps->arena;
	uintptr_t offsets_released = (uintptr_t)ps->offsets;

	for (size_t i = 0; i < ps->count; i++) {
		size_t j = i + INSERT_AHEAD;

		/* The offsets are read in order: those of the patterns
		 * inserted go too (at 10,000 values, 1.8 MiB at the trie's
		 * end). */
		if (floors != NULL && i % RELEASE_EVERY == 0) {
			release_upto(&released, (uintptr_t)ps->arena +
			                            floors[i / RELEASE_EVERY]);
			release_upto(&offsets_released,
			             (uintptr_t)(ps->offsets + i));
		}

		/* pattern i's walker gives its place to pattern j's */
		if (j < ps->count)
			ahead[i % INSERT_AHEAD] = (struct insert_walker){
			    pattern_bytes(ps, &ps->items[j]), ps->items[j].len,
			    0, 0, AHEAD_NODE};
		for (size_t k = 0; k < INSERT_AHEAD; k++)
			ahead_step(a, &ahead[k]);
		trie_insert(a, (uint32_t)i);
		if (a->cells_to_come != SIZE_MAX)
			a->cells_to_come -= ps->items[i].len;
	}
	free(floors);
}

/* The flags say whether to look: most nodes have no extra record. */
static uint32_t
node_own(const struct automaton *a, uint32_t s)
{
	return a->cell[s].flags & NODE_OWN ? extra_at(a, s)->own_or_dict : NONE;
}

static uint32_t
node_dict(const struct automaton *a, uint32_t s)
{
	uint8_t f = a->cell[s].flags;

	if (!(f & NODE_DICT))
		return 0;
	if (f & NODE_OWN)
		return pair_get(&a->both_dicts, s, 0);
	return extra_at(a, s)->own_or_dict;
}

/* Node s (NODE_EXTRA) has dict d. */
static void
node_dict_set(struct automaton *a, uint32_t s, uint32_t d)
{
	if (a->cell[s].flags & NODE_OWN)
		pair_put(&a->both_dicts, s, d);
	else
		a->extra[extra_rank(a, s)].own_or_dict = d;
}

/* The lead of node s (NODE_REPORTS), or NONE: report them all. A node
 * with no own pattern reports its dict's, whose lead is its own. */
static uint32_t
node_lead(const struct automaton *a, uint32_t s)
{
	const struct extra *x = extra_at(a, s);

	if (!x->led)
		return NONE;
	if (a->cell[s].flags & NODE_OWN)
		return x->own_or_dict;
	return extra_at(a, x->own_or_dict)->own_or_dict;
}

/*
 * The patterns reported at node s all end at the byte just read. When
 * each masks through its last byte, their masks nest: the one reaching
 * furthest back (the lowest secret and pattern among equals, the
 * masker's tie rule) covers the others and is the only one the masker
 * needs. NONE when some pattern masks less than its end.
 *
 * The lead of a node's patterns and its dicts' is folded from the end of
 * the chain of dicts back, and kept in a small cache for a node that ends
 * many patterns: a form that values share (the escapes of the same two
 * letters at the end of 3,333 values) ends thousands at one node, and
 * every node whose dicts reach it read them all (10,000 such values: 60%
 * of a 38 s load). The fold is the same in any order.
 */
struct lead {
	uint32_t lead, back;
	bool none; /* some pattern masks less than its end */
};

struct lead_memo {
	uint32_t node; /* + 1, 0 for none */
	struct lead l;
};
#define LEAD_MEMO_BITS 12
#define LEAD_MEMO_MIN 8 /* patterns at a node worth a place */

struct leads {
	struct lead_memo memo[1u << LEAD_MEMO_BITS];
	uint32_t *chain;
	size_t cap;
};

static void
lead_add(const struct automaton *a, struct lead *l, uint32_t i)
{
	const struct pattern *p = &a->ps->items[i], *q;
	uint32_t back;

	if (p->mask_hi != p->len || p->mask_lo >= p->mask_hi) {
		l->none = true;
		return;
	}
	back = p->len - p->mask_lo;
	if (l->lead == NONE || back > l->back) {
		l->lead = i;
		l->back = back;
		return;
	}
	q = &a->ps->items[l->lead];
	if (back == l->back &&
	    (p->secret < q->secret || (p->secret == q->secret && i < l->lead)))
		l->lead = i;
}

static uint32_t
lead_of(const struct automaton *a, struct leads *ls, uint32_t s)
{
	struct lead l = {NONE, 0, false};
	size_t n = 0;

	for (uint32_t node = s; node != 0; node = node_dict(a, node)) {
		const struct lead_memo *m =
		    &ls->memo[hash_slot(node, LEAD_MEMO_BITS)];

		if (node != s && m->node == node + 1) {
			l = m->l;
			break;
		}
		if (n == ls->cap) {
			ls->cap = ls->cap ? 2 * ls->cap : 64;
			ls->chain =
			    realloc(ls->chain, ls->cap * sizeof(uint32_t));
			if (ls->chain == NULL)
				abort();
		}
		ls->chain[n++] = node;
	}
	while (n > 0 && !l.none) {
		uint32_t node = ls->chain[--n];
		size_t count = 0;

		for (uint32_t i = node_own(a, node); i != NONE && !l.none;
		     i = pattern_next(a, i), count++)
			lead_add(a, &l, i);
		if (count >= LEAD_MEMO_MIN && !l.none)
			ls->memo[hash_slot(node, LEAD_MEMO_BITS)] =
			    (struct lead_memo){node + 1, l};
	}
	return l.none ? NONE : l.lead;
}

/* A failure link and its depth, carried down a pattern's nodes. */
struct link {
	uint32_t node, depth;
};

/*
 * While linking, the same shallow nodes' failure links are asked for
 * again and again: the last ones found are kept by node, where reading
 * each one back through its parents costs a few cache misses.
 */

struct fail_cached {
	uint32_t node; /* node + 1, 0 for none */
	uint32_t fail, depth;
};

/* And the step from a failure link by a byte, with whether it gives a
 * dictionary link: final once made, since it is made only once the node it
 * reaches is linked. The byte is a pattern's: secure memory. */

struct step_cached {
	uint32_t node; /* node + 1, 0 for none */
	uint32_t next;
	/* next's depth << 9 | the byte << 1 | 1 when next or a suffix of
	 * it reports (a step deeper than STEP_DEPTH_MAX is not kept) */
	uint32_t depth_byte_dict;
};
#define STEP_DEPTH_MAX ((1u << 23) - 1)

struct link_caches {
	struct fail_cached *fails;
	struct step_cached *steps;
	unsigned bits; /* 1 << bits entries each: a few for 32 nodes */
};
#define LINK_CACHE_BITS_MIN 10
/* 3 MiB of steps and as much of failure links at most (from 8 million
 * nodes on): at 10,000 values (16 million nodes), 2^16 steps missed 11.3
 * million of 16.3 million times and 2.9 million failure links were
 * read back; 2^18, 8.4 and 1.6 million. */
#define LINK_CACHE_BITS_MAX 18

static struct link fail_cached_of(const struct automaton *a,
                                  struct fail_cached *cache, unsigned bits,
                                  uint32_t s);

/* The step cache's entry for the step from node f by byte c. */
static inline struct step_cached *
step_entry(const struct link_caches *caches, uint32_t f, unsigned char c)
{
	uint64_t key = ((uint64_t)f << 8 | c) + 1;

	return &caches->steps[hash_slot(key, caches->bits)];
}

/* While linking, a node whose links are made (NODE_EASY is set only
 * once all are). */
#define NODE_LINKED NODE_EASY

static inline bool
node_linked(const struct automaton *a, uint32_t s)
{
	return s == 0 || (a->cell[s].flags & NODE_LINKED);
}

/*
 * Node v's failure and dictionary links into *out, its parent's failure
 * link being up. They read the links of nodes shallower than v; false
 * (nothing set) when one of those is not made yet.
 */
static bool
link_node(struct automaton *a, struct link_caches *caches, struct link up,
          uint32_t v, struct link *out)
{
	uint32_t f = up.node, depth = up.depth, from = f, t;
	unsigned char c = a->cell[v].byte;
	struct step_cached *e = step_entry(caches, f, c);
	bool d;

	if (e->node != f + 1 || (e->depth_byte_dict >> 1 & 0xff) != c) {
		for (;;) {
			t = child_of(a, f, c);
			if (t != 0 || f == 0)
				break;
			if (!node_linked(a, f))
				return false;
			up = fail_cached_of(a, caches->fails, caches->bits, f);
			f = up.node;
			depth = up.depth;
		}
		if (!node_linked(a, t))
			return false;
		/* The flags say whether a suffix reports: v's dict itself
		 * is found once all are linked (dicts_fill). */
		d = (a->cell[t].flags & (NODE_OWN | NODE_DICT)) != 0;
		depth = t != 0 ? depth + 1 : 0;
		if (depth <= STEP_DEPTH_MAX)
			*e = (struct step_cached){
			    from + 1, t, depth << 9 | (uint32_t)c << 1 | d};
	} else {
		t = e->next;
		depth = e->depth_byte_dict >> 9;
		d = e->depth_byte_dict & 1;
	}
	fail_set(a, v, t, depth);
	if (d)
		a->cell[v].flags |= NODE_DICT;
	a->cell[v].flags |= NODE_LINKED;
	*out = (struct link){t, depth};
	return true;
}

static struct link
fail_cached_of(const struct automaton *a, struct fail_cached *cache,
               unsigned bits, uint32_t s)
{
	struct fail_cached *e = &cache[hash_slot(s, bits)];

	if (e->node != s + 1) {
		e->node = s + 1;
		e->fail = fail_of(a, s);
		e->depth = fail_depth_of(a, s, e->fail);
	}
	return (struct link){e->fail, e->depth};
}

/* A pattern still making nodes: the next one to link, the end of its
 * nodes, and the failure link of the one before. */
struct walker {
	uint32_t node, end;
	struct link link;
};
#define WALK_AHEAD 16

/* The step cache's entry that linking w's node will read. */
static void
step_prefetch(const struct automaton *a, const struct link_caches *caches,
              const struct walker *w)
{
	__builtin_prefetch(
	    step_entry(caches, w->link.node, a->cell[w->node].byte));
}

/*
 * Up to this depth the links are made one depth at a time; below it,
 * pattern by pattern (links_deep).
 */
#define LINK_SHALLOW_DEPTH 4

/* Pattern i's node at depth d, or NONE when it made none there. */
static uint32_t
node_at_depth(const struct automaton *a, size_t i, uint32_t d)
{
	uint32_t depth = made_depth_of(a, i), k = d - 1 - depth;

	if (depth >= d || k >= made_count(a, i))
		return NONE;
	return a->made_from[i] + k;
}

/*
 * Failure and dictionary links of the nodes up to LINK_SHALLOW_DEPTH
 * deep, one depth at a time: each node's links read only those of
 * shallower nodes. The nodes at depth d are those the patterns made
 * there: pattern i's at made_from[i] + (d - 1 - made_depth[i]), its
 * parent the node before or made_parent[i]. So the only list kept is
 * ups, the failure link of each pattern's node at the depth before (4
 * bytes a pattern; its depth is that node's fail_depth), where a queue
 * of nodes would take 4 bytes a pattern byte.
 */
static void
links_shallow(struct automaton *a, struct link_caches *caches, uint32_t *ups)
{
	size_t n = a->ps->count;

	for (uint32_t d = 1; d <= LINK_SHALLOW_DEPTH; d++)
		for (size_t i = 0; i < n; i++) {
			uint32_t v = node_at_depth(a, i, d), ahead;
			struct link up, l;

			/* A pass over a depth touches each pattern's
			 * nodes once: their cells are asked for ahead. */
			if (i + WALK_AHEAD < n &&
			    (ahead = node_at_depth(a, i + WALK_AHEAD, d)) !=
			        NONE) {
				__builtin_prefetch(&a->cell[ahead]);
				__builtin_prefetch(&a->fail_depth[ahead], 1);
			}
			if (v == NONE)
				continue;
			if (d == 1) {
				fail_set(a, v, 0, 0);
				a->cell[v].flags |= NODE_LINKED;
				ups[i] = 0;
				continue;
			}
			if (v == a->made_from[i])
				up = fail_cached_of(a, caches->fails,
				                    caches->bits,
				                    a->made_parent[i]);
			else
				up = (struct link){ups[i],
				                   a->fail_depth[v - 1] - 1u};
			if (!link_node(a, caches, up, v, &l))
				abort(); /* a shallower node is not linked */
			ups[i] = l.node;
		}
}

/* Pattern i's nodes below LINK_SHALLOW_DEPTH, if it made some; its
 * link.node NONE: the link of the node before (link.depth) is still to
 * read. */
static bool
deep_walker(const struct automaton *a, size_t i, struct walker *w)
{
	uint32_t first = a->made_from[i], end = first + made_count(a, i);
	uint32_t depth = made_depth_of(a, i);

	if (depth < LINK_SHALLOW_DEPTH)
		first += LINK_SHALLOW_DEPTH - depth;
	if (first >= end)
		return false;
	*w = (struct walker){
	    first,
	    end,
	    {NONE, first == a->made_from[i] ? a->made_parent[i] : first - 1}};
	return true;
}

/* The patterns a pass of links_deep stopped, for the next. */
struct walk_list {
	struct walker *items;
	size_t count, cap;
};

static void
walk_list_push(struct walk_list *l, struct walker w)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (l->items == NULL)
			abort();
	}
	l->items[l->count++] = w;
}

/*
 * One pass of links_deep: the patterns of *from, or every pattern last
 * first when from->items is NULL, WALK_GROUP of them in turn a node at
 * a time: a node's step depends on the one before it, so the group's
 * steps are asked for ahead and their misses overlap. The patterns
 * stopped on a node not linked yet go to *stopped.
 */
#define WALK_GROUP 16

static void
links_deep_pass(struct automaton *a, struct link_caches *caches,
                const struct walk_list *from, struct walk_list *stopped)
{
	struct walker group[WALK_GROUP];
	size_t next = 0, active = 0, pattern = a->ps->count;

	for (;;) {
		while (active < WALK_GROUP) {
			struct walker w;

			if (from->items != NULL) {
				if (next == from->count)
					break;
				w = from->items[next++];
			} else {
				if (pattern == 0)
					break;
				if (!deep_walker(a, a->link_order[--pattern],
				                 &w))
					continue;
			}
			if (w.link.node == NONE) {
				if (!node_linked(a, w.link.depth)) {
					walk_list_push(stopped, w);
					continue;
				}
				w.link =
				    fail_cached_of(a, caches->fails,
				                   caches->bits, w.link.depth);
			}
			step_prefetch(a, caches, &w);
			group[active++] = w;
		}
		if (active == 0)
			return;
		for (size_t j = 0; j < active;) {
			struct walker *w = &group[j];
			struct link l;

			if (!link_node(a, caches, w->link, w->node, &l)) {
				walk_list_push(stopped, *w);
				group[j] = group[--active];
				continue;
			}
			w->link = l;
			if (++w->node == w->end) {
				group[j] = group[--active];
				continue;
			}
			step_prefetch(a, caches, w);
			j++;
		}
	}
}

/*
 * The links of the deeper nodes, pattern by pattern: a pattern's nodes
 * are consecutive, so its cells are read in order, where a pass per
 * depth would read a cache line of every pattern at every depth (the
 * cost that grew faster than the patterns). A node whose links need
 * those of a node not linked yet (a longer pattern inside it, or a
 * later one's shallow node) stops its pattern until the next pass.
 * Each pass links at least the shallowest node not linked, and in
 * practice nearly all: the patterns are taken last first, since a
 * value's windows and lines come after it and lie inside it.
 */
static void
links_deep(struct automaton *a, struct link_caches *caches)
{
	struct walk_list from = {0}, stopped = {0};

	links_deep_pass(a, caches, &from, &stopped);
	while (stopped.count > 0) {
		free(from.items);
		from = stopped;
		stopped = (struct walk_list){0};
		links_deep_pass(a, caches, &from, &stopped);
	}
	free(from.items);
	free(stopped.items);
}

/* Which pattern leads at each reporting node, and the nodes whose
 * parent's lead covers theirs (NODE_EASY: links_build has cleared its
 * bit's use as NODE_LINKED; a lazy build never set it). */
static void
leads_build(struct automaton *a)
{
	/* the records are in node order: counted, not ranked */
	uint32_t r = 0;
	struct leads *ls = calloc(1, sizeof(*ls));

	if (ls == NULL)
		abort();
	for (size_t i = cells_next(a, 1, NODE_OWN | NODE_DICT); i < a->count;
	     i = cells_next(a, i + 1, NODE_OWN | NODE_DICT)) {
		struct extra *x = &a->extra[++r];
		uint32_t lead = lead_of(a, ls, (uint32_t)i);
		/* the own pattern of the node, or of its dict */
		uint32_t own = a->cell[i].flags & NODE_OWN
		                   ? x->own_or_dict
		                   : node_own(a, x->own_or_dict);

		if (lead != NONE && lead == own) {
			x->led = 1;
			x->back =
			    a->ps->items[lead].len - a->ps->items[lead].mask_lo;
		}
		a->cell[i].flags |= NODE_REPORTS;
	}
	free(ls->chain);
	free(ls);
	r = 0;
	for (size_t i = cells_next(a, 1, NODE_REPORTS); i < a->count;
	     i = cells_next(a, i + 1, NODE_REPORTS)) {
		const struct extra *x, *up;

		r++;
		if (i < 2 ||
		    (a->cell[i - 1].flags & (NODE_CHAIN | NODE_REPORTS)) !=
		        (NODE_CHAIN | NODE_REPORTS))
			continue;
		x = &a->extra[r];
		up = &a->extra[r - 1];
		if (x->led && up->led && x->back <= up->back + 1u)
			a->cell[i].flags |= NODE_EASY;
	}
}

/* The children counts were the trie's (NODE_KIDS): each node where a
 * pattern ends gets NODE_OWN. */
static void
owns_mark(struct automaton *a)
{
	cells_clear(a, NODE_KIDS);
	for (size_t i = 0; i < a->ps->count; i++)
		a->cell[pattern_end(a, i)].flags |= NODE_OWN;
}

/*
 * The patterns that end at each node, listed in pattern order, a
 * duplicate of one already there (same secret and mask) left out. Where
 * values share a form, thousands end at one node, and each was compared
 * with all listed before it (10,000 values with a shared 12-byte piece:
 * a third of a 15 s load). A node's list end and the range of its
 * secrets are kept in a small cache: a pattern of a secret outside that
 * range has no duplicate there, and goes at the end at once (the values'
 * patterns come in order of their secrets, so it nearly always is).
 */
struct list_memo {
	uint32_t node; /* + 1, 0 for none */
	uint32_t last, lo, hi;
};
#define LIST_MEMO_BITS 12

static void
lists_make(struct automaton *a)
{
	struct list_memo *memo =
	    calloc((size_t)1 << LIST_MEMO_BITS, sizeof(*memo));

	if (memo == NULL)
		abort();
	for (uint32_t i = 0; i < a->ps->count; i++) {
		uint32_t end = pattern_end(a, i),
		         secret = a->ps->items[i].secret;
		struct extra *e = &a->extra[extra_rank(a, end)];
		struct list_memo *m = &memo[hash_slot(end, LIST_MEMO_BITS)];
		uint32_t j = e->own_or_dict, last = NONE, lo = secret,
		         hi = secret;

		if (j != NONE && m->node == end + 1 &&
		    (secret < m->lo || secret > m->hi)) {
			pair_put(&a->nexts, m->last, i);
			*m = (struct list_memo){
			    end + 1, i, secret < m->lo ? secret : m->lo,
			    secret > m->hi ? secret : m->hi};
			continue;
		}
		for (; j != NONE; last = j, j = pattern_next(a, j)) {
			const struct pattern *q = &a->ps->items[j];

			if (same_mask(q, &a->ps->items[i]))
				break;
			lo = q->secret < lo ? q->secret : lo;
			hi = q->secret > hi ? q->secret : hi;
		}
		if (j != NONE)
			continue;
		if (last == NONE)
			e->own_or_dict = i;
		else
			pair_put(&a->nexts, last, i);
		*m = (struct list_memo){end + 1, i, lo, hi};
	}
	free(memo);
}

/*
 * Once linked: a record for each node that ends a pattern or has a
 * dict, in node order, found by rank from then on (the masker
 * walking a chain of reporting nodes reads them in turn). Made only
 * now: while the trie grows and links, a node's flags say all it needs,
 * and a hash from node to record, held with the trie, was the build's
 * peak. Each node's patterns are listed in pattern order, so reporting
 * is stable; a duplicate of one already at its node is left out.
 * dicts (when not NULL): the dicts of the nodes with NODE_DICT, in node
 * order (dicts_by_tails), into their records; the records' pages are
 * written as the dicts' are given back, not held whole with them (the
 * build's peak, at 10,000 values 1.1 MiB of dicts next to 13.3 of
 * records and ranks).
 */
#define DICTS_RELEASE_EVERY 16384

static void
extras_make(struct automaton *a, uint32_t *dicts)
{
	uintptr_t released = (uintptr_t)dicts;
	size_t k = 0, x = 1;
	size_t blocks = a->count / RANK_BLOCK + 1, n = 1;
	struct rank_block *ranks = secmem_alloc(blocks * sizeof(*ranks));

	for (size_t i = 0; i < a->count; i += RANK_QUARTER) {
		struct rank_block *b = &ranks[i / RANK_BLOCK];

		if (i % RANK_BLOCK == 0)
			b->before = (uint32_t)n - 1;
		b->upto[i / RANK_QUARTER % 4] = (uint8_t)(n - 1 - b->before);
		if (i + RANK_QUARTER <= a->count) {
			n += extras_in_quarter(a->cell + i, RANK_QUARTER);
			continue;
		}
		for (size_t j = i; j < a->count; j++)
			n += (a->cell[j].flags & NODE_EXTRA) != 0;
	}
	a->ranks = ranks;
	a->extra = secmem_alloc_sparse(n * sizeof(*a->extra));
	a->extra_count = a->extra_cap = n;
	a->extra[0] = (struct extra){.own_or_dict = NONE};
	for (size_t i = cells_next(a, 0, NODE_EXTRA); i < a->count;
	     i = cells_next(a, i + 1, NODE_EXTRA)) {
		uint8_t f = a->cell[i].flags;

		a->extra[x++] =
		    (struct extra){.own_or_dict = f & NODE_OWN ? NONE : 0};
		if (dicts == NULL || !(f & NODE_DICT))
			continue;
		if (f & NODE_OWN)
			pair_put(&a->both_dicts, (uint32_t)i, dicts[k++]);
		else
			a->extra[x - 1].own_or_dict = dicts[k++];
		if (k % DICTS_RELEASE_EVERY == 0)
			release_upto(&released, (uintptr_t)(dicts + k));
	}
	lists_make(a);
}

/*
 * Each dict: the first node on a node's failure chain that reports on
 * its own. The chain is read back (fail_of) only as far as the first
 * node whose dict is known; the nodes on the way get theirs.
 */
static void
dicts_fill(struct automaton *a)
{
	uint32_t *chain = NULL;
	size_t cap = 0;

	for (size_t i = 1; i < a->count; i++) {
		size_t len = 0;
		uint32_t t = (uint32_t)i, d;

		if (!(a->cell[i].flags & NODE_DICT) ||
		    node_dict(a, (uint32_t)i) != 0)
			continue;
		for (;;) {
			if (len == cap) {
				cap = cap ? 2 * cap : 64;
				chain = realloc(chain, cap * sizeof(*chain));
				if (chain == NULL)
					abort();
			}
			chain[len++] = t;
			t = fail_of(a, t);
			if (t == 0 || (a->cell[t].flags & NODE_OWN)) {
				d = t;
				break;
			}
			d = node_dict(a, t);
			if (d != 0)
				break;
		}
		while (len > 0)
			node_dict_set(a, chain[--len], d);
	}
	free(chain);
}

/*
 * Dictionary links without failure links: a node's dict is the longest
 * proper suffix of its path that is a pattern. Every pattern is at
 * least `len` bytes long, so that suffix ends with the node's last
 * `len` bytes: those are hashed, rolling along each pattern's nodes,
 * and looked up among the hashes of the patterns' last `len` bytes (a
 * filter first, then a table by hash, then the bytes).
 */
#define TAIL_MAX 12
#define TAIL_MIN 4
#define TAIL_BASE 0x100000001b3ull

/*
 * Where many tails are alike (tails_make), a pattern of TAIL_FAR bytes or
 * more is filed by its last TAIL_FAR bytes, a shorter one by its last
 * `len`, and a node deeper than TAIL_FAR is looked up both ways. The
 * tails of low-entropy forms (percent-encoding, \u escapes, &#NN;
 * references of a value dense with punctuation) are alike across values:
 * filed by 12 bytes, with thousands of such values, a node's tail led to
 * dozens of patterns in one run of slots, each compared byte by byte
 * along its path until the comparisons ran out (3,000 such values: 24
 * million) and the links were made whole, quadratic in the values.
 */
#define TAIL_FAR 24

/* A pattern's length in its tail's slot: a node no longer than it,
 * such as the one where it ends (at 10,000 values some 480,000 of the
 * nodes whose tails pass the filter), is told from the slot alone, not
 * from the pattern's record. Longer ones are read in the record. */
#define TAIL_LEN_FAR UINT16_MAX

struct tail_slot {
	uint16_t check;   /* bits 32 to 47 of the hash */
	uint16_t len;     /* the pattern's length, or TAIL_LEN_FAR */
	uint32_t pattern; /* + 1, 0 for an empty slot */
};

static inline uint16_t
tail_check(uint64_t x)
{
	return (uint16_t)(x >> 32);
}

struct tails {
	unsigned len;
	uint64_t top;     /* TAIL_BASE to the power len */
	uint64_t far_top; /* and to the power TAIL_FAR */
	bool far;         /* the longer tails filed by TAIL_FAR bytes */
	uint64_t *filter;
	unsigned filter_bits;
	struct tail_slot *slots;
	size_t size;   /* slots: two thirds full at most */
	size_t budget; /* byte comparisons left before giving up */
};

/* The hash of the len bytes at p, as tail_roll() carries it on. */
static uint64_t
tail_hash(const unsigned char *p, unsigned len)
{
	uint64_t h = 0;

	for (unsigned i = 0; i < len; i++)
		h = h * TAIL_BASE + p[i];
	return h;
}

static inline uint64_t
tail_roll(const struct tails *t, uint64_t h, unsigned char out,
          unsigned char in)
{
	return h * TAIL_BASE + in - out * t->top;
}

static inline uint64_t
tail_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* A tail's filter word, by the hash of its last t->len bytes, and the
 * bits a hash sets there: a tail filed by its last TAIL_FAR bytes sets
 * those of its last t->len bytes and its own in the one word, and a node
 * whose last t->len bytes pass looks its last TAIL_FAR up, only then
 * (most pass neither). */
static inline size_t
tail_filter_word(const struct tails *t, uint64_t near)
{
	return (size_t)(near >> 20) & ((1u << (t->filter_bits - 6)) - 1);
}

static inline uint64_t
tail_filter_mask(uint64_t x)
{
	return (1ull << ((x >> 52) & 63)) | (1ull << ((x >> 58) & 63));
}

/* The hash of a path's last TAIL_FAR bytes (fewer above that depth, in
 * window[0, n)), the oldest at *at once all are there, with byte in
 * after them. */
static inline uint64_t
far_roll(const struct tails *t, unsigned char *window, size_t *n, size_t *at,
         uint64_t h, unsigned char in)
{
	if (*n == TAIL_FAR)
		h = h * TAIL_BASE + in - window[*at] * t->far_top;
	window[*at] = in;
	*at = *at + 1 == TAIL_FAR ? 0 : *at + 1;
	if (*n < TAIL_FAR && ++*n == TAIL_FAR)
		h = tail_hash(window, TAIL_FAR);
	return h;
}

/* A node's tail in dicts_by_tails: its depth, its tail's hash and
 * filter word. */
struct tail_probe {
	uint64_t x, bits;      /* by its last t->len bytes */
	uint64_t far_h, far_x; /* by its last TAIL_FAR, when deeper
	                        * (its bits in the same word) */
	size_t e, word;
	bool far; /* deeper, and (once filtered) its filter passed */
};
#define TAIL_BATCH 16

/* The slot of a tail whose hash is x: by its low half (the check is
 * its high half). */
static inline size_t
tail_slot_of(const struct tails *t, uint64_t x)
{
	return slot_scaled(x << 32, t->size);
}

/*
 * File every pattern's tail (tails_make): by its last TAIL_FAR bytes when
 * it is that long and t->far is on, else by its last t->len. How many
 * tails had another pattern's hash already, with another end; once more
 * than most, it stops there.
 */
static size_t
tails_file(struct automaton *a, struct tails *t, size_t most)
{
	const struct pattern_set *ps = a->ps;
	uint64_t ahead[TAIL_BATCH] = {0}, ahead_near[TAIL_BATCH] = {0};
	unsigned char tail[TAIL_FAR];
	size_t alike = 0;

	/* The hashes of the next TAIL_BATCH patterns, their slots fetched
	 * ahead: their misses overlap. */
	for (size_t j = 0; j < ps->count + TAIL_BATCH && alike <= most; j++) {
		size_t i = j - TAIL_BATCH, k, word;
		/* pattern i's hash, before pattern j's takes its place */
		uint64_t x = ahead[j % TAIL_BATCH], bits;
		uint64_t near = ahead_near[j % TAIL_BATCH];
		uint32_t end;

		if (j < ps->count) {
			size_t n = t->far && ps->items[j].len >= TAIL_FAR
			               ? TAIL_FAR
			               : t->len;
			uint64_t y;

			path_prefetch(a, j + PATH_AHEAD);
			pattern_path_bytes(a, j, ps->items[j].len, tail, n);
			/* filed by its last TAIL_FAR bytes, or t->len */
			y = tail_mix(tail_hash(tail, (unsigned)n));
			ahead[j % TAIL_BATCH] = y;
			ahead_near[j % TAIL_BATCH] =
			    n == t->len ? y
			                : tail_mix(tail_hash(tail + n - t->len,
			                                     t->len));
			__builtin_prefetch(&t->slots[tail_slot_of(t, y)], 1);
		}
		if (j < TAIL_BATCH)
			continue;
		end = pattern_end(a, i);
		k = tail_slot_of(t, x);
		word = tail_filter_word(t, near);
		bits = tail_filter_mask(near) | tail_filter_mask(x);

		for (; t->slots[k].pattern != 0; k = slot_next(k, t->size)) {
			if (t->slots[k].check != tail_check(x))
				continue;
			if (pattern_end(a, t->slots[k].pattern - 1) == end)
				break;
			alike++;
		}
		if (t->slots[k].pattern == 0) {
			uint32_t len = ps->items[i].len;

			t->slots[k] = (struct tail_slot){
			    tail_check(x),
			    len < TAIL_LEN_FAR ? (uint16_t)len : TAIL_LEN_FAR,
			    (uint32_t)i + 1};
			t->filter[word] |= bits;
		} /* else the same bytes, another secret or mask */
	}
	sodium_memzero(tail, sizeof(tail));
	return alike;
}

/* The patterns' tails: one entry per node where patterns end. */
static void
tails_make(struct automaton *a, struct tails *t)
{
	const struct pattern_set *ps = a->ps;
	size_t words;

	/* Sized to the patterns, not to a power of two above twice as
	 * many: it is held with the trie and the patterns' bytes. */
	t->size = 2 + 3 * ps->count / 2;
	t->slots = secmem_alloc(t->size * sizeof(*t->slots));
	t->filter_bits = FILTER_BITS_MIN;
	while (t->filter_bits < FILTER_BITS_MAX &&
	       ((size_t)1 << t->filter_bits) < 16 * ps->count)
		t->filter_bits++;
	words = (size_t)1 << (t->filter_bits - 6);
	t->filter = secmem_alloc(words * sizeof(*t->filter));
	t->top = t->far_top = 1;
	for (unsigned k = 0; k < t->len; k++)
		t->top *= TAIL_BASE;
	for (unsigned k = 0; k < TAIL_FAR; k++)
		t->far_top *= TAIL_BASE;
	/* Filed by their last t->len bytes, unless so many tails are alike
	 * that a node would read runs of them (the low-entropy forms of
	 * values dense with punctuation, thousands of them): then again,
	 * the longer ones by their last TAIL_FAR, and nodes are looked up
	 * both ways. */
	t->far = false;
	if (tails_file(a, t, ps->count / 8 + 64) > ps->count / 8 + 64) {
		memset(t->slots, 0, t->size * sizeof(*t->slots));
		memset(t->filter, 0, words * sizeof(*t->filter));
		t->far = true;
		(void)tails_file(a, t, SIZE_MAX);
	}
}

/* Ask for what tail_dict reads of the first pattern in x's slot, for
 * a node at depth depth: step 0 its records, step 1 its last node and
 * where it hangs from. */
static void
tail_prefetch(const struct automaton *a, const struct tails *t, uint64_t x,
              size_t depth, int step)
{
	const struct tail_slot *e = &t->slots[tail_slot_of(t, x)];
	uint32_t i;

	if (e->pattern == 0 || e->check != tail_check(x) || e->len >= depth)
		return;
	i = e->pattern - 1;
	if (step == 0) {
		__builtin_prefetch(&a->ps->items[i]);
		__builtin_prefetch(&a->made_from[i]);
		__builtin_prefetch(&a->made_depth[i]);
		__builtin_prefetch(&a->made_parent[i]);
		return;
	}
	__builtin_prefetch(&a->cell[pattern_end(a, i)]);
	__builtin_prefetch(&a->cell[a->made_parent[i]]);
}

/*
 * The dict of node u, at depth e, among the patterns filed by the hash
 * x of the path's last t->len bytes (shorter than TAIL_FAR), or with
 * far, of its last TAIL_FAR (the longer ones), the filter passed: the
 * end node of the longest pattern shorter than e that its path ends
 * with, 0 for none.
 */
static inline __attribute__((always_inline)) uint32_t
tail_dict(const struct automaton *a, struct tails *t, uint64_t x, bool far,
          uint32_t u, size_t e)
{
	size_t best_len = 0;
	uint32_t best = 0;

	for (size_t k = tail_slot_of(t, x); t->slots[k].pattern != 0;
	     k = slot_next(k, t->size)) {
		const struct tail_slot *sl = &t->slots[k];
		uint32_t i = sl->pattern - 1;
		size_t len;

		if (sl->check != tail_check(x) || sl->len >= e ||
		    (t->far && (sl->len >= TAIL_FAR) != far))
			continue;
		len = sl->len != TAIL_LEN_FAR ? sl->len : a->ps->items[i].len;
		if (len >= e || len <= best_len || t->budget == 0)
			continue;
		t->budget--;
		if (pattern_ends_path(a, i, u)) {
			best = pattern_end(a, i);
			best_len = len;
		}
	}
	return best;
}

/*
 * NODE_DICT on each node with a dict, and the dicts in node order into
 * dicts: the nodes pattern i made are consecutive and follow those of
 * the patterns before it. False (no flag set) when the patterns are too
 * short for it, or their tails too alike to be told apart in a few
 * comparisons per node: the links are then made whole (links_build).
 */
static bool
dicts_by_tails(struct automaton *a, uint32_t *dicts)
{
	const struct pattern_set *ps = a->ps;
	struct tails t = {0};
	size_t shortest = SIZE_MAX, n = 0;
	/* the last t.len bytes of the path, by depth % t.len */
	unsigned char window[TAIL_MAX];
	size_t at; /* window[at]: the byte at depth e (e % t.len) */
	/* and its last TAIL_FAR bytes (fewer above that depth), the oldest
	 * at far_at once all are there, hashed to far_h */
	unsigned char far_window[TAIL_FAR];
	size_t far_n, far_at;
	uint64_t far_h;

	for (size_t i = 0; i < ps->count; i++)
		if (ps->items[i].len < shortest)
			shortest = ps->items[i].len;
	if (ps->count == 0 || shortest < TAIL_MIN)
		return false;
	t.len = shortest < TAIL_MAX ? (unsigned)shortest : TAIL_MAX;
	t.budget = 2 * a->count + 4096;
	tails_make(a, &t);
	for (size_t i = 0; i < ps->count && t.budget > 0; i++) {
		size_t first = made_depth_of(a, i) + 1, made = made_count(a, i);
		size_t end = first + made - 1, e = first;
		/* pattern i's node at depth e */
		const uint32_t base = a->made_from[i] - (uint32_t)first;
		unsigned char tail[TAIL_FAR];
		uint64_t h;
		size_t got;

		if (e <= t.len)
			e = t.len + 1;
		if (made == 0 || e > end)
			continue;
		path_prefetch(a, i + PATH_AHEAD);
		got = e < TAIL_FAR ? e : TAIL_FAR;
		pattern_path_bytes(a, i, (uint32_t)e, tail, got);
		h = tail_hash(tail + got - t.len, t.len);
		/* window[(e - t.len + 1 + k) % t.len] = tail[k], without a
		 * division a byte */
		at = (e + 1) % t.len;
		for (size_t k = 0; k < t.len; k++) {
			window[at] = tail[got - t.len + k];
			at = at + 1 == t.len ? 0 : at + 1;
		}
		at = at == 0 ? t.len - 1 : at - 1;
		memcpy(far_window, tail, got);
		far_n = got;
		far_at = got % TAIL_FAR;
		far_h = got == TAIL_FAR ? tail_hash(tail, TAIL_FAR) : 0;
		sodium_memzero(tail, sizeof(tail));
		while (e <= end) {
			struct tail_probe batch[TAIL_BATCH];
			size_t count = 0, passed = 0;

			/* A batch of nodes' filter words fetched, then the
			 * slots of those the filter passes: the misses of one
			 * batch overlap, where each node waited for its own. */
			for (; count < TAIL_BATCH && e <= end; count++) {
				struct tail_probe *p = &batch[count];

				p->x = tail_mix(h);
				p->e = e;
				p->word = tail_filter_word(&t, p->x);
				p->bits = tail_filter_mask(p->x);
				__builtin_prefetch(&t.filter[p->word]);
				p->far = t.far && e > TAIL_FAR;
				p->far_h = far_h;
				if (++e <= end) {
					unsigned char in =
					    a->cell[base + e].byte;

					at = at + 1 == t.len ? 0 : at + 1;
					h = tail_roll(&t, h, window[at], in);
					window[at] = in;
					if (t.far)
						far_h = far_roll(
						    &t, far_window, &far_n,
						    &far_at, far_h, in);
				}
			}
			for (size_t k = 0; k < count; k++) {
				struct tail_probe *p = &batch[k];

				if ((t.filter[p->word] & p->bits) != p->bits)
					continue;
				if (p->far) {
					uint64_t bits;

					p->far_x = tail_mix(p->far_h);
					bits = tail_filter_mask(p->far_x);
					p->far =
					    (t.filter[p->word] & bits) == bits;
				}
				__builtin_prefetch(
				    &t.slots[tail_slot_of(&t, p->x)]);
				if (p->far)
					__builtin_prefetch(
					    &t.slots[tail_slot_of(&t,
					                          p->far_x)]);
				batch[passed++] = *p;
			}
			/* The patterns whose tails may match: their records,
			 * then their nodes (tail_dict reads their paths). */
			for (int step = 0; step < 2; step++)
				for (size_t k = 0; k < passed; k++) {
					if (batch[k].far)
						tail_prefetch(a, &t,
						              batch[k].far_x,
						              batch[k].e, step);
					tail_prefetch(a, &t, batch[k].x,
					              batch[k].e, step);
				}
			for (size_t k = 0; k < passed; k++) {
				/* one filed by its last TAIL_FAR bytes is the
				 * longer */
				uint32_t d =
				    batch[k].far
				        ? tail_dict(a, &t, batch[k].far_x, true,
				                    base + (uint32_t)batch[k].e,
				                    batch[k].e)
				        : 0;

				if (d == 0)
					d = tail_dict(a, &t, batch[k].x, false,
					              base +
					                  (uint32_t)batch[k].e,
					              batch[k].e);

				if (d != 0) {
					a->cell[a->made_from[i] +
					        (batch[k].e - first)]
					    .flags |= NODE_DICT;
					dicts[n++] = d;
				}
			}
		}
	}
	sodium_memzero(window, sizeof(window));
	sodium_memzero(far_window, sizeof(far_window));
	secmem_free(t.slots);
	secmem_free(t.filter);
	if (t.budget > 0)
		return true;
	for (size_t i = 1; i < a->count; i++)
		a->cell[i].flags &= (uint8_t)~NODE_DICT;
	return false;
}

/* Failure and dictionary links of every node, then the leads. */
static void
links_build(struct automaton *a)
{
	uint32_t *ups = malloc((a->ps->count + 1) * sizeof(*ups));
	struct link_caches caches = {.bits = LINK_CACHE_BITS_MIN};
	size_t steps_size;

	while (caches.bits < LINK_CACHE_BITS_MAX &&
	       ((size_t)32 << caches.bits) < a->count)
		caches.bits++;
	steps_size = sizeof(struct step_cached) << caches.bits;
	/* Not secret, but a mapping of its own: given back whole when freed
	 * (heap memory freed stays in the peak the records reach next). */
	caches.fails = secmem_alloc(sizeof(*caches.fails) << caches.bits);
	caches.steps = secmem_alloc(steps_size);
	if (ups == NULL)
		abort();
	links_shallow(a, &caches, ups);
	free(ups);
	links_deep(a, &caches);
	secmem_free(a->link_order);
	a->link_order = NULL;
	secmem_free(caches.fails);
	secmem_free(caches.steps);
	/* The walkers' lists and the rest the heap held while linking go
	 * back before the records grow, the build's peak. */
	malloc_trim(0);
	extras_make(a, NULL);
	dicts_fill(a);
	cells_clear(a, NODE_LINKED);
	leads_build(a);
}

/*
 * A node that gets many children (near the root) gets a table, as it
 * gets them: looking children up while the trie grows stays constant
 * time. The tables are bounded by the trie's size.
 */
static void
dense_make(struct automaton *a, uint32_t node)
{
	uint32_t *row;
	size_t i;

	if (a->dense_count == a->dense_most)
		return;
	if (2 * (a->dense_count + 1) > a->dense_slot_mask + 1) {
		size_t mask = 2 * (a->dense_slot_mask + 1) - 1;
		struct dense_slot *bigger = calloc(mask + 1, sizeof(*bigger));

		if (bigger == NULL)
			abort();
		for (size_t k = 0; k <= a->dense_slot_mask; k++) {
			struct dense_slot e = a->dense_slots[k];

			if (e.node == 0)
				continue;
			for (i = dense_slot_of(mask, e.node - 1);
			     bigger[i].node != 0; i = (i + 1) & mask)
				;
			bigger[i] = e;
		}
		free(a->dense_slots);
		a->dense_slots = bigger;
		a->dense_slot_mask = mask;
	}
	if (a->dense_count == a->dense_cap) {
		/* the first block sized for about a table per DENSE_PER
		 * patterns (its pages counted once touched), so most sets
		 * copy their tables into a larger block once or never:
		 * the bench's 100 values load in 0.6% fewer instructions;
		 * the peak at 10,000 values is the same either way */
		size_t cap = a->dense_cap ? 2 * a->dense_cap
		             : a->ps->count > 64 * DENSE_PER
		                 ? a->ps->count / DENSE_PER
		                 : 64;
		uint32_t *bigger =
		    secmem_alloc_sparse(cap * 256 * sizeof(*bigger));

		if (a->dense_count > 0)
			memcpy(bigger, a->dense,
			       a->dense_count * 256 * sizeof(*bigger));
		secmem_free(a->dense);
		a->dense = bigger;
		a->dense_cap = cap;
	}
	row = a->dense + a->dense_count * 256;
	if (a->cell[node].flags & NODE_CHAIN)
		row[a->cell[node + 1].byte] = node + 1;
	for (unsigned c = 0; c < 256; c++) {
		uint32_t ch;

		if (!(a->listed_bytes[c >> 6] & (1ull << (c & 63))))
			continue;
		if ((ch = listed_child(a, node, (unsigned char)c)) != 0)
			row[c] = ch;
	}
	for (i = dense_slot_of(a->dense_slot_mask, node);
	     a->dense_slots[i].node != 0; i = (i + 1) & a->dense_slot_mask)
		;
	a->dense_slots[i] = (struct dense_slot){
	    node + 1, (uint32_t)(a->dense_count++ * 256), 0, 255};
	a->cell[node].flags |= NODE_DENSE;
}

/*
 * Once the trie is made, each busy node's table keeps only the bytes
 * from its first child's to its last: a node's children are mostly of
 * one kind of form (letters and digits, hex, base64), 80 bytes of 256 or
 * fewer, so the tables take about a third of the room (at 10,000
 * values, 6.5 MiB of 6,644 tables of 256). They move down in place, in
 * the order they were made (none further than where it was), and the
 * pages past them are given back: no second block is held with the
 * first, the trie and the hash (at 10,000 values 1.5 MiB more at the
 * build's largest step).
 */
static void
dense_compact(struct automaton *a)
{
	size_t len = 0, at = 0;
	uint32_t *by_row;

	if (a->dense_count == 0)
		return;
	by_row = malloc(a->dense_count * sizeof(*by_row));
	if (by_row == NULL)
		abort();
	for (size_t k = 0; k <= a->dense_slot_mask; k++) {
		struct dense_slot *d = &a->dense_slots[k];
		const uint32_t *row = a->dense + d->at;
		unsigned lo = 0, hi = 255;

		if (d->node == 0)
			continue;
		while (row[lo] == 0)
			lo++;
		while (row[hi] == 0)
			hi--;
		d->lo = (uint8_t)lo;
		d->last = (uint8_t)(hi - lo);
		len += hi - lo + 1;
		by_row[d->at / 256] = (uint32_t)k;
	}
	for (size_t r = 0; r < a->dense_count; r++) {
		struct dense_slot *d = &a->dense_slots[by_row[r]];

		memmove(a->dense + at, a->dense + d->at + d->lo,
		        (d->last + 1u) * sizeof(*a->dense));
		d->at = (uint32_t)at;
		at += d->last + 1u;
	}
	free(by_row);
	secmem_release(a->dense + len,
	               (a->dense_cap * 256 - len) * sizeof(*a->dense));
	a->dense_len = len;
}

/*
 * A bit per 4-gram: a word and a bit in it. Two bits a 4-gram had a
 * tenth of the false alarms of one, but cost three instructions more a
 * probe; a false alarm costs little since alarm_false looks again.
 */
static inline uint64_t
qgram_bits(uint32_t w, unsigned bits, size_t *word)
{
	uint64_t x = (uint64_t)w * 0x9E3779B97F4A7C15ull;

	*word = (size_t)(x >> (64 - (bits - 6)));
	return 1ull << ((x >> 20) & 63);
}

/* Whether the filter of 1 << bits bits holds the 4-gram w. */
static inline bool
filter_holds(const uint64_t *filter, unsigned bits, uint32_t w)
{
	size_t word;
	uint64_t want = qgram_bits(w, bits, &word);

	return (filter[word] & want) != 0;
}

/* The filter's size in bytes, 0 when patterns are too short for it. */
static size_t
filter_plan(struct automaton *a)
{
	const struct pattern_set *ps = a->ps;
	size_t shortest = SIZE_MAX, per_qgram;

	for (size_t i = 0; i < ps->count; i++)
		if (ps->items[i].len < shortest)
			shortest = ps->items[i].len;
	if (ps->count == 0 || shortest < QGRAM + 1)
		return 0; /* the automaton sees every byte */
	/* A partial match of PIECE_MIN characters held at a line end is
	 * masked, so the filter must let those through too. */
	if (shortest > PIECE_MIN)
		shortest = PIECE_MIN;
	a->stride = shortest - QGRAM + 1;
	/* as alarm_false() can look twice or not */
	per_qgram = a->stride >= 2 * QGRAM ? FILTER_QGRAM_BITS
	                                   : FILTER_QGRAM_BITS_ALONE;
	a->filter_bits = FILTER_BITS_MIN;
	while (a->filter_bits < FILTER_BITS_MAX &&
	       (1u << a->filter_bits) < per_qgram * ps->count * a->stride)
		a->filter_bits++;
	return (1u << a->filter_bits) / 8;
}

/*
 * Each pattern's first stride 4-grams, read in the trie. A pattern
 * whose first d bytes are an earlier one's (it hangs from a node at
 * depth d) shares the 4-grams within them: it adds those from byte
 * d - 3 on, none when d is past its first stride + 3 bytes.
 */
static void
filter_fill(struct automaton *a)
{
	const struct pattern_set *ps = a->ps;
	const uint32_t n = (uint32_t)a->stride + QGRAM - 1;
	unsigned char b[PIECE_MIN];

	for (size_t i = 0; i < ps->count; i++) {
		uint32_t d = parent_depth(a, i), from;

		path_prefetch(a, i + PATH_AHEAD);
		if (d >= n)
			continue;
		from = d >= QGRAM - 1 ? d - (QGRAM - 1) : 0;
		pattern_path_bytes(a, i, n, b, n - from);
		for (size_t k = from; k < a->stride; k++) {
			size_t word;
			uint64_t set = qgram_bits(qgram_load(b + k - from),
			                          a->filter_bits, &word);

			a->filter[word] |= set;
		}
	}
	sodium_memzero(b, sizeof(b));
}

#define ARMOUR_LEN 5 /* "-----" */

static size_t
armour_words(size_t patterns)
{
	return patterns / 64 + 1;
}

static void
armour_mark(struct automaton *a)
{
	const struct pattern_set *ps = a->ps;
	size_t n = armour_words(ps->count) * sizeof(*a->armour);
	/* the node "-----" spells from the root: where the patterns that
	 * start with it pass */
	uint32_t armour = 0;

	a->armour = secmem_alloc(n);
	for (unsigned k = 0; k < ARMOUR_LEN; k++)
		if ((armour = child_of(a, armour, '-')) == 0)
			return;
	for (size_t i = 0; i < ps->count; i++)
		if (ps->items[i].len >= ARMOUR_LEN &&
		    pattern_node_at(a, i, ARMOUR_LEN) == armour)
			a->armour[i / 64] |= 1ull << (i % 64);
}

static bool
pattern_armoured(const struct automaton *a, uint32_t i)
{
	return (a->armour[i / 64] >> (i % 64)) & 1;
}

/* Which of a few classes byte c is in (link_order_make). */
static unsigned
byte_class_of(unsigned char c)
{
	static const char marks[] = " ,:-";
	const char *m;

	if (c >= '0' && c <= '9')
		return 0;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return c >= 'a' ? 1 : 2;
	if ((c | 0x20) >= 'g' && (c | 0x20) <= 'z')
		return c >= 'a' ? 3 : 4;
	m = c != '\0' ? strchr(marks, c) : NULL;
	return m != NULL ? 5 + (unsigned)(m - marks) : 9;
}
#define LINK_KINDS (1u << 10)
#define LINK_KIND_BYTES 12

/*
 * The order links_deep takes the patterns in: by the classes of bytes
 * their first LINK_KIND_BYTES hold, so that the forms of one kind (hex
 * with colons, decimal lists...), whose failure links lead into each
 * other, are linked together and the steps they share stay in the step
 * cache; last first within a kind (links_deep), since a value's
 * windows and lines come after it and lie inside it. At 10,000 values,
 * 7.4 million steps missed the cache where 8.4 million did in pattern
 * order.
 */
static void
link_order_make(struct automaton *a)
{
	const struct pattern_set *ps = a->ps;
	/* How many patterns hold each class of bytes: secure too. */
	size_t *at = secmem_alloc((LINK_KINDS + 1) * sizeof(*at));
	uint16_t *kind = secmem_alloc((ps->count + 1) * sizeof(*kind));

	a->link_order = secmem_alloc((ps->count + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < ps->count; i++) {
		uint32_t n = ps->items[i].len < LINK_KIND_BYTES
		                 ? ps->items[i].len
		                 : LINK_KIND_BYTES;
		unsigned char b[LINK_KIND_BYTES];
		unsigned k = 0;

		pattern_path_bytes(a, i, n, b, n);
		for (size_t j = 0; j < n; j++)
			k |= 1u << byte_class_of(b[j]);
		sodium_memzero(b, sizeof(b));
		kind[i] = (uint16_t)k;
		at[k + 1]++;
	}
	for (size_t k = 1; k <= LINK_KINDS; k++)
		at[k] += at[k - 1];
	for (size_t i = 0; i < ps->count; i++)
		a->link_order[at[kind[i]]++] = (uint32_t)i;
	secmem_free(kind);
	secmem_free(at);
}

/*
 * Few secure blocks: the trie with the root's table, the busy nodes'
 * tables (grown by doubling), the extra records, the filter. Each costs
 * an mmap, guard pages and an mlock. A secure block comes zeroed
 * (secmem.h): the build does not clear its tables again (a pass over 20
 * MiB at 10,000 values, 4% of a load's CPU time).
 */
struct automaton *
automaton_build(struct pattern_set *ps)
{
	struct automaton *a = calloc(1, sizeof(*a));
	size_t total = 1, filter_bytes;
	uint32_t *dicts;
	bool lazy;

	if (a == NULL)
		abort();
	for (size_t i = 0; i < ps->count; i++)
		total += ps->items[i].len;
	a->ps = ps;
	a->cap = total;
	a->dense_most = DENSE_MIN + total / 64;
	/* The masker reads 4 bytes of cell from a node's flags on. One
	 * node per pattern byte is a bound: shared prefixes make fewer, and
	 * the pages never touched cost nothing (the block comes zeroed). */
	a->root_next = secmem_alloc_growing(256 * sizeof(*a->root_next) +
	                                    total * sizeof(struct cell) + 4);
	a->cells_to_come = total - 1;
	a->cell = (struct cell *)(a->root_next + 256);
	a->count = 1;
	a->dense_slot_mask = 63;
	a->dense_slots =
	    calloc(a->dense_slot_mask + 1, sizeof(*a->dense_slots));
	if (a->dense_slots == NULL)
		abort();
	/* Where patterns part from those before them says which share a
	 * prefix: secure memory too. */
	a->made_from = secmem_alloc(made_bytes(ps->count));
	a->made_parent = a->made_from + ps->count + 1;
	a->made_depth = (uint8_t *)(a->made_parent + ps->count + 1);
	/* Children in the hash: at most one per pattern (two thirds full
	 * at most). */
	a->slot_size = 2 + 3 * ps->count / 2;
	a->slots = secmem_alloc(a->slot_size * sizeof(*a->slots));
	a->above = secmem_alloc((ps->count + 1) * sizeof(*a->above));
	trie_make(a);
	cells_trim(a);
	/* Nothing reads the bytes from here on: the trie spells them. */
	if (ps->drop_bytes)
		patterns_drop_bytes(ps);
	maker_index_build(a);
	owns_mark(a);
	dense_compact(a);
	/* Once the trie is made: the hash's copy is not held with the room
	 * it needed while the trie grew. */
	slots_fit(a);
	/* At most one a node; the room not used costs nothing. */
	dicts = secmem_alloc_sparse(a->count * sizeof(*dicts));
	a->head_memo = secmem_alloc(sizeof(*a->head_memo) << HEAD_MEMO_BITS);
	lazy = dicts_by_tails(a, dicts);
	a->links_lazy = lazy;
	if (!lazy)
		link_order_make(a);
	/* Made once the tails' table is gone: not held with it, the
	 * trie and the patterns' bytes, the build's peak. */
	filter_bytes = filter_plan(a);
	a->tables = secmem_alloc(filter_bytes);
	if (filter_bytes > 0) {
		a->filter = (uint64_t *)a->tables;
		filter_fill(a);
	}
	armour_mark(a);
	secmem_free(a->head_memo);
	a->head_memo = NULL;
	secmem_free(a->above);
	a->above = NULL;
	/* Sized to the nodes made, not to the bound the cells had; lazy,
	 * the pages of links never made are never touched. */
	a->fail_depth =
	    lazy ? secmem_alloc_sparse(a->count) : secmem_alloc(a->count);
	fail_set(a, 0, 0, 0);
	if (lazy) {
		extras_make(a, dicts);
		leads_build(a);
	} else {
		links_build(a);
	}
	secmem_free(dicts);
	return a;
}

void
automaton_free(struct automaton *a)
{
	if (a == NULL)
		return;
	if (a->image) {
		/* links made since it was read may have outgrown its table */
		if (a->far_own)
			secmem_free(a->far);
		free(a);
		return;
	}
	secmem_free(a->root_next);
	secmem_free(a->fail_depth);
	secmem_free(a->far);
	secmem_free(a->extra);
	secmem_free(a->tables);
	secmem_free(a->dense);
	secmem_free(a->made_from);
	secmem_free(a->deep);
	secmem_free(a->nexts.slots);
	secmem_free(a->both_dicts.slots);
	secmem_free(a->maker_index);
	secmem_free(a->slots);
	secmem_free(a->ranks);
	secmem_free(a->armour);
	free(a->dense_slots);
	free(a);
}
/*
 * The streaming masker. Positions are absolute stream offsets. A match
 * yields a mask interval; intervals that overlap or touch merge. An
 * interval is written (as one placeholder) once no future match can
 * touch it: every future match starts at or after the start of the
 * automaton's current partial match (hold_from).
 */

/* A failure link: node's is fail. */
struct fail_memo {
	uint32_t node; /* node + 1, 0: empty */
	uint32_t fail;
};

/* Where a node is: its depth and the pattern that made it. */
struct place_memo {
	uint32_t node; /* node + 1, 0: empty */
	uint32_t depth, maker;
};

/* A step off a chain: from node by byte to next. */
struct step_memo {
	uint32_t node; /* node + 1, 0: empty */
	uint32_t next;
	unsigned char byte;
};
/*
 * The memo's size follows the trie's: a step it misses spells failure
 * links again from the root, a few cache misses each. At 10,000 values
 * (16 million nodes) 2^8 entries missed 352,000 of 590,000 slow steps
 * on 20 MB of the bench corpus, 2^16 entries 50,000 (768 KiB).
 */
#define STEP_MEMO_BITS_MIN 8
#define STEP_MEMO_BITS_MAX 16
#define STEP_MEMO_NODES 256 /* nodes per entry, up to the largest */

struct interval {
	uint64_t start, end;
	uint32_t secret, pattern; /* the earliest-starting contributor */
};

struct masker {
	const struct automaton *a;
	const struct pattern_set *ps;
	const char *format;
	sink_fn sink;
	void *ctx;

	uint32_t state;
	unsigned separators; /* CR/LF bytes since the last pattern byte */
	unsigned noise;      /* escape-sequence bytes since then */
	struct noise_reader reader;
	uint64_t line_start; /* after the last LF read inside a match */
	uint64_t esc_at;     /* the next ESC of the chunk, or its end */
	bool mask_open;      /* iv[0]'s placeholder is written */
	struct noise_reader mask_reader; /* in the open mask's bytes */
	uint64_t *ring; /* positions of the last pattern-able bytes */
	uint64_t ring_mask;
	uint64_t seen;      /* bytes other than skipped separators */
	uint64_t pos;       /* offset of the next input byte */
	uint64_t run_until; /* the automaton runs at least to here */
	uint64_t out_pos;

	/* Bytes [carry_base, carry_base + carry_len) held from earlier feeds.
	 */
	unsigned char *carry; /* secure memory: may hold part of a secret */
	size_t carry_len, carry_cap;
	uint64_t carry_base;
	const unsigned char *chunk;
	uint64_t chunk_base;

	struct interval *iv;
	size_t iv_count, iv_cap;

	uint64_t *counts;
	uint64_t bytes_out;

	struct detector *det; /* NULL unless ps->detect */
	/* secure memory: steps off a chain lately taken (a node and the
	 * byte after it say a value's byte), 1 << memo_bits of them */
	struct step_memo *memo;
	unsigned memo_bits;
	/* secure memory: failure links lately read, 1 << fail_bits */
	struct fail_memo *fails;
	unsigned fail_bits;
	/* secure memory: the places of nodes lately held at a line's end
	 * or a settle, 1 << place_bits */
	struct place_memo *places;
	unsigned place_bits;
	/* After the last LF that ended no partial match of LINE_HELD_MIN
	 * characters (or where the input idled): bytes before it may be
	 * written, a match is cut there; at most line_start. (Last: the
	 * fields above keep their places, near misses ran a quarter slower
	 * with it after line_start.) */
	uint64_t commit;
	unsigned indent; /* blanks of a line's indent since then */
	/* a pattern starts with a blank (a short value's form that keeps
	 * its own) or a byte a border's glyph holds: then no match starts
	 * in an indent or a line's trailing blanks at the root either; else
	 * none starts there anyway */
	bool blank_starts;
	/* A run of blanks is judged at its first (trail_ahead), where a
	 * match goes on or may start: the blanks before trail_until are
	 * trailing, those before plain_until plain (UINT64_MAX: the run
	 * goes on past the chunk). pending: the chunk's last bytes, from
	 * pos, are a run the chunk ended before its end was read; they are
	 * scanned again with the next chunk (in scratch), or as plain once
	 * no more comes (final). */
	uint64_t trail_until, plain_until;
	bool pending, final;
	unsigned char *scratch; /* secure memory */
	size_t scratch_cap;
	/* the chunk's next border glyph and '|', or its end: the filter
	 * stops there as at an ESC (skip) */
	uint64_t glyph_at, bar_at;
	/* the E2 in an indent a chunk ended after, pending, and whether
	 * the bytes after it made a border's glyph (glyph_judge) */
	uint64_t glyph_judged;
	bool glyph_is;
	/* the bytes after the chunk, where they are known: a pending
	 * run's held bytes are scanned alone, before the next feed */
	const unsigned char *after;
	size_t after_len;
	/* the stretch of blanks border_after() read last: from its second
	 * byte to its end (stream offsets), and whether a border ends it */
	uint64_t stretch_from, stretch_end;
	bool stretch_border;
	/* Fold marks (SOFT_QP_FIRST in engine.h): where the line that the
	 * bytes read so far end in begins (at most SOFT_COLUMN_MAX bytes
	 * before its end when it began farther back); the mark a chunk
	 * ended on, pending, and whether the byte after it made it a
	 * fold's (mark_judge); the last mark judged a byte. */
	uint64_t soft_line, mark_judged, mark_plain;
	bool mark_is;
};

/* A detected token in progress: its prefix seen, body bytes counted. */
struct token_run {
	uint64_t start;
	uint32_t entry, body;
};

struct detector {
	struct pattern_set *prefixes; /* pattern i is entry i's prefix */
	struct automaton *a;
	const struct detect_entry *entries;
	size_t count;
	uint32_t *names;
	uint8_t (*body)[32]; /* per entry: a bitmap of its body bytes */
	uint32_t state;
	struct token_run *runs;
	size_t run_count, run_cap;
	uint64_t
	    hold; /* no token starts before this (at the last feed's end) */
};

static void
sink_counted(struct masker *m, const unsigned char *p, size_t n)
{
	if (n == 0)
		return;
	m->sink(m->ctx, p, n);
	m->bytes_out += n;
}

/* Write input bytes [m->out_pos, upto) unchanged. */
static void
emit_plain(struct masker *m, uint64_t upto)
{
	uint64_t from = m->out_pos;

	if (from >= upto)
		return;
	if (from < m->chunk_base) {
		uint64_t end = upto < m->chunk_base ? upto : m->chunk_base;

		sink_counted(m, m->carry + (from - m->carry_base),
		             (size_t)(end - from));
		from = end;
	}
	if (from < upto)
		sink_counted(m, m->chunk + (from - m->chunk_base),
		             (size_t)(upto - from));
	m->out_pos = upto;
}

static const char *
interval_prefix(const struct masker *m, const struct interval *iv)
{
	const struct detect_entry *e;

	if (iv->pattern < m->ps->count)
		return patterns_prefix(m->ps->items[iv->pattern].prefix);
	e = &m->det->entries[iv->pattern - m->ps->count];
	return e->keep_prefix ? e->prefix : "";
}

static const unsigned char *
byte_at(const struct masker *m, uint64_t at)
{
	return at < m->chunk_base ? m->carry + (at - m->carry_base)
	                          : m->chunk + (at - m->chunk_base);
}

/* Whether the masker's bytes from at, before last, begin with a border's
 * glyph. */
static bool
glyph_in(const struct masker *m, uint64_t at, uint64_t last)
{
	unsigned char g[3];

	if (last - at < 3)
		return false;
	for (size_t k = 0; k < 3; k++)
		g[k] = *byte_at(m, at + k);
	return is_box_glyph(g, 3);
}

/* The escape sequences inside a mask, so the colours after it survive.
 * A mask starts at a pattern byte, read in the ground state. Between
 * sequences, the masked bytes are passed over with memchr. */
static void
emit_noise(struct masker *m, uint64_t from, uint64_t to)
{
	struct noise_reader *r = &m->mask_reader;
	uint64_t run = to, at = from;

	while (at < to) {
		const unsigned char *b = byte_at(m, at);

		if (r->state == 0 && *b != 0x1b) {
			uint64_t end = at < m->chunk_base && to > m->chunk_base
			                   ? m->chunk_base
			                   : to;
			const unsigned char *e = memchr(b, 0x1b, end - at);

			for (; run < at; run++)
				sink_counted(m, byte_at(m, run), 1);
			run = to;
			at = e != NULL ? at + (uint64_t)(e - b) : end;
			continue;
		}
		if (noise_read(r, *b) == BYTE_NOISE) {
			if (run == to)
				run = at;
			at++;
			continue;
		}
		for (; run < at; run++)
			sink_counted(m, byte_at(m, run), 1);
		run = to;
		at++;
	}
	for (; run < to; run++)
		sink_counted(m, byte_at(m, run), 1);
}

/*
 * The placeholder of a mask, once no match can start before it (it may
 * still grow at its end): the masked bytes are then dropped as they are
 * passed, so a mask that grows without end holds no memory.
 */
static void
open_mask(struct masker *m, const struct interval *iv)
{
	emit_plain(m, iv->start);
	m->bytes_out += format_render(m->format, m->ps->names[iv->secret],
	                              interval_prefix(m, iv), m->sink, m->ctx);
	m->counts[iv->secret]++;
	memset(&m->mask_reader, 0, sizeof(m->mask_reader));
	m->mask_open = true;
}

static void
emit_mask(struct masker *m, const struct interval *iv)
{
	if (!m->mask_open)
		open_mask(m, iv);
	emit_noise(m, m->out_pos, iv->end);
	m->out_pos = iv->end;
	m->mask_open = false;
}

/* Write every interval and byte that no future match can reach. */
static void
settle(struct masker *m, uint64_t hold_from)
{
	size_t closed = 0;
	uint64_t limit = hold_from;

	while (closed < m->iv_count && m->iv[closed].end < hold_from)
		emit_mask(m, &m->iv[closed++]);
	if (closed > 0) {
		m->iv_count -= closed;
		memmove(m->iv, m->iv + closed, m->iv_count * sizeof(*m->iv));
	}
	if (m->iv_count > 0 && m->iv[0].start < limit) {
		/* Later matches start at or after hold_from: they can only
		 * make this mask longer. */
		if (!m->mask_open)
			open_mask(m, &m->iv[0]);
		if (limit > m->out_pos) {
			emit_noise(m, m->out_pos, limit);
			m->out_pos = limit;
		}
		return;
	}
	if (limit > m->out_pos)
		emit_plain(m, limit);
}

static bool
rep_before(const struct interval *x, const struct interval *y)
{
	if (x->start != y->start)
		return x->start < y->start;
	if (x->secret != y->secret)
		return x->secret < y->secret;
	return x->pattern < y->pattern;
}

/* Merge [start, end) into the sorted, disjoint, non-touching list. */
static void
interval_merge(struct masker *m, struct interval add)
{
	size_t i = m->iv_count, j;

	/* Matches come in order of their ends: search from the last. */
	while (i > 0 && m->iv[i - 1].end >= add.start)
		i--;
	for (j = i; j < m->iv_count && m->iv[j].start <= add.end; j++) {
		if (rep_before(&m->iv[j], &add)) {
			add.secret = m->iv[j].secret;
			add.pattern = m->iv[j].pattern;
		}
		if (m->iv[j].start < add.start)
			add.start = m->iv[j].start;
		if (m->iv[j].end > add.end)
			add.end = m->iv[j].end;
	}
	if (j == i) {
		if (m->iv_count == m->iv_cap) {
			m->iv_cap = m->iv_cap ? 2 * m->iv_cap : 16;
			m->iv = realloc(m->iv, m->iv_cap * sizeof(*m->iv));
			if (m->iv == NULL)
				abort();
		}
		memmove(m->iv + i + 1, m->iv + i,
		        (m->iv_count - i) * sizeof(*m->iv));
		m->iv_count++;
	} else if (j > i + 1) {
		memmove(m->iv + i + 1, m->iv + j,
		        (m->iv_count - j) * sizeof(*m->iv));
		m->iv_count -= j - i - 1;
	}
	m->iv[i] = add;
}

/*
 * The same, taking its fields: a match that starts inside the last mask
 * (every byte of a near miss ends one) only moves that mask's end.
 */
static void
interval_add(struct masker *m, uint64_t start, uint64_t end, uint32_t secret,
             uint32_t pattern)
{
	struct interval *last =
	    m->iv_count > 0 ? &m->iv[m->iv_count - 1] : NULL;

	if (last != NULL && start >= last->start && start <= last->end) {
		if (start == last->start &&
		    (secret < last->secret ||
		     (secret == last->secret && pattern < last->pattern))) {
			last->secret = secret;
			last->pattern = pattern;
		}
		if (end > last->end)
			last->end = end;
		return;
	}
	interval_merge(m, (struct interval){start, end, secret, pattern});
}

/* Masks kept in the list before report() writes those it can. */
#define SETTLE_AFTER 16

/*
 * node_depth() and node_maker() of node s (not the root), remembered:
 * each is a search among the patterns, a few cache misses at 10,000
 * values, and a line ends in the same few shallow nodes again and
 * again.
 */
static uint32_t
node_place(const struct masker *m, uint32_t s, uint32_t *maker)
{
	struct place_memo *e = &m->places[hash_slot(s, m->place_bits)];

	if (e->node != s + 1) {
		const struct automaton *a = m->a;
		uint32_t i = node_maker(a, s);

		*e = (struct place_memo){
		    s + 1, made_depth_of(a, i) + (s - a->made_from[i]) + 1, i};
	}
	*maker = e->maker;
	return e->depth;
}

/* Nothing before commit is held: those lines are written whole. */
static uint64_t
hold_from(const struct masker *m)
{
	uint32_t maker,
	    depth = m->state == 0 ? 0 : node_place(m, m->state, &maker);
	uint64_t from =
	    depth == 0 ? m->pos : m->ring[(m->seen - depth) & m->ring_mask];

	return from > m->commit ? from : m->commit;
}

/* Where a settle may write up to: hold_from(), and no later than where
 * a token --detect is reading may start (det->hold: tokens found later
 * in the feed start there or after). */
static uint64_t
hold_point(const struct masker *m)
{
	uint64_t hold = hold_from(m);

	return m->det != NULL && m->det->hold < hold ? m->det->hold : hold;
}

/*
 * The masked bytes [start, end) of a match that spans [first, last),
 * its first character the one the ring holds at `from` (its characters
 * are the ring's from there to m->seen), cut at each LF into one mask a
 * line (a CR before the LF is no part of it, nor a fold's mark before
 * that: a mark the match passed over), so that a line held while the
 * match went on is masked too. A
 * line by whose end the match has read fewer than LINE_HELD_MIN
 * characters is left out: line_end() may have let it be written (a line
 * is held for a partial match of that many), and then so it has for
 * every such match. So is the first line of a pattern that begins with
 * PEM armour ("-----BEGIN ...-----"): it names a type, not a key.
 */
static void
interval_add_lines(struct masker *m, uint64_t from, uint64_t last,
                   uint64_t start, uint64_t end, uint32_t secret,
                   uint32_t pattern)
{
	uint64_t first = m->ring[from & m->ring_mask];
	struct noise_reader r = {0};
	size_t read = 0; /* the match's characters up to `at` */
	bool armoured;
	/* the run of blanks read since the last other character, and
	 * where the line's trailing blanks begin (CR and noise may stand
	 * among them) */
	uint64_t seg, blank = UINT64_MAX, cut = UINT64_MAX;
	/* border glyphs among them, and their bytes */
	size_t blanks = 0, glyphs = 0, glyph_bytes = 0;

	if (first >= m->line_start) { /* one line */
		interval_add(m, start, end, secret, pattern);
		return;
	}
	armoured = pattern_armoured(m->a, pattern);
	/* The lines before commit are written and their bytes gone: the
	 * LF that ended them ended a partial match of fewer than
	 * LINE_HELD_MIN characters, so this match had read one there (it
	 * begins with one); or the input idled since. */
	if (first < m->commit) {
		first = m->commit;
		read = 1;
		armoured = false; /* its first line is gone */
		r.fresh = true;   /* commit is after an LF */
	}
	seg = start > first ? start : first;
	for (uint64_t at = first; at < last && seg < end; at++) {
		unsigned char c = *byte_at(m, at);
		uint64_t to = at < end ? at : end;
		enum byte_class k = c == 0xe2 && r.fresh && r.state == 0 &&
		                            glyph_in(m, at, last)
		                        ? noise_glyph(&r)
		                        : noise_read(&r, c);

		/* a line's part starts after its indent */
		if (k == BYTE_INDENT && seg <= at)
			seg = at + 1;
		/* and ends before its trailing blanks: the run of blanks
		 * and noise after its last character, if a break ends it
		 * within TRAIL_MAX bytes (they are no characters read); a
		 * border's glyph in it counts as two blanks */
		if (k == BYTE_PLAIN && blank != UINT64_MAX &&
		    (c == '|' || (c == 0xe2 && glyph_in(m, at, last)))) {
			glyphs++;
			glyph_bytes += c == '|' ? 1 : 3;
			at += c == '|' ? 0 : 2;
			continue;
		}
		if (k == BYTE_PLAIN && !is_blank(c)) {
			/* a character of the match, or a fold's mark it
			 * passed over (no character: the line's part ends
			 * before it) */
			bool passed = false;

			if (__builtin_expect(is_soft_mark(c), 0)) {
				while (from < m->seen &&
				       m->ring[from & m->ring_mask] < at)
					from++;
				passed = from >= m->seen ||
				         m->ring[from & m->ring_mask] != at;
			}

			read += blanks + glyph_bytes + !passed;
			blank = cut = UINT64_MAX;
			blanks = glyphs = glyph_bytes = 0;
			if (passed)
				cut = at;
		} else if (k == BYTE_PLAIN) {
			blanks++;
			if (blank == UINT64_MAX)
				blank = at;
		} else if (k == BYTE_BREAK && blank != UINT64_MAX) {
			/* a trailing run (two blanks or more, TRAIL_MAX
			 * bytes at most) ends at its break; else its blanks
			 * were characters */
			if (at - blank <= TRAIL_MAX &&
			    blanks + 2 * glyphs >= 2) {
				if (cut == UINT64_MAX)
					cut = blank;
			} else {
				read += blanks + glyph_bytes;
				cut = UINT64_MAX;
			}
			blank = UINT64_MAX;
			blanks = glyphs = glyph_bytes = 0;
		}
		if (c != '\n')
			continue;
		if (to == at && cut != UINT64_MAX)
			to = cut > seg ? cut : seg;
		while (to == at && to > seg && *byte_at(m, to - 1) == '\r')
			to--;
		cut = UINT64_MAX;
		if (to > seg && read >= LINE_HELD_MIN && !armoured)
			interval_add(m, seg, to, secret, pattern);
		armoured = false;
		if (seg < at + 1)
			seg = at + 1;
	}
	if (end > seg)
		interval_add(m, seg, end, secret, pattern);
}

/* Every pattern ending at the byte just read (m->pos is past it, the
 * ring holds it last). */
static inline void
report_patterns(struct masker *m, uint32_t node)
{
	const struct automaton *a = m->a;
	uint32_t lead = node_lead(a, node);

	if (lead != NONE) {
		const struct pattern *p = &m->ps->items[lead];
		uint64_t start =
		    m->ring[(m->seen - p->len + p->mask_lo) & m->ring_mask];

		/* A mask cut at the line's start would tie with the others
		 * cut there: those take the full walk. */
		if (start >= m->line_start) {
			interval_add(m, start, m->pos, p->secret, lead);
			return;
		}
	}
	for (; node != 0; node = node_dict(a, node)) {
		for (uint32_t i = node_own(a, node); i != NONE;
		     i = pattern_next(a, i)) {
			const struct pattern *p = &m->ps->items[i];
			uint64_t first = m->seen - p->len;
			struct interval add = {
			    .start =
			        m->ring[(first + p->mask_lo) & m->ring_mask],
			    .end = m->ring[(first + p->mask_hi - 1) &
			                   m->ring_mask] +
			           1,
			    .secret = p->secret,
			    .pattern = i,
			};

			/* on the line it ends on, as most are: one mask; else
			 * its part on each line it holds, one mask a line */
			if (add.start >= m->line_start)
				interval_add(m, add.start, add.end, add.secret,
				             add.pattern);
			else
				interval_add_lines(m, first, m->pos, add.start,
				                   add.end, add.secret,
				                   add.pattern);
		}
	}
}

static void
report(struct masker *m, uint32_t node)
{
	/* The masks written so far are written again when the list grows
	 * long, and at the feed's end: writing them later changes nothing,
	 * since no later match can reach them, and a run of matches on
	 * every byte (near misses) costs a merge each, not a write. */
	if (m->iv_count >= SETTLE_AFTER)
		settle(m, hold_point(m));
	report_patterns(m, node);
}

/*
 * The patterns that end on a fold's mark at `at`, read as their last
 * byte (node: the state with it read; a value's base64 padding that a
 * line ends with at a fold's column), where the match goes on over it
 * as a gap. The mark is the ring's for the while (the next character
 * takes its place); no settle (the state holds no mark).
 */
static __attribute__((noinline)) void
mark_report(struct masker *m, uint32_t node, uint64_t at)
{
	m->ring[m->seen & m->ring_mask] = at;
	m->seen++;
	m->pos = at + 1;
	report_patterns(m, node);
	m->seen--;
}

static inline uint32_t
step(const struct automaton *a, uint32_t s, unsigned char c)
{
	for (;;) {
		uint32_t t = child_of(a, s, c);

		if (t != 0 || s == 0)
			return t;
		s = fail_of(a, s);
	}
}

/* Whether buf[to] begins a line or stands in its indent: the blanks and
 * CR before it, back to from, follow an LF; when they reach from, what
 * stood before from said (fresh). */
static bool
line_fresh(const unsigned char *buf, size_t from, size_t to, bool fresh)
{
	while (to > from) {
		if (buf[to - 1] == '\r' || is_blank(buf[to - 1]) ||
		    buf[to - 1] == '|')
			to--;
		else if (to - from >= 3 && is_box_glyph(buf + to - 3, 3))
			to -= 3;
		else
			break;
	}
	return to > from ? buf[to - 1] == '\n' : fresh;
}

/* What qgram_gather() found. */
enum gather { GATHER_NONE, GATHER_DONE, GATHER_UNTOLD, GATHER_GAP };

/*
 * The first QGRAM bytes from buf[i] that are not CR or LF: a match
 * with separators in it is contiguous once they are dropped. NONE
 * when the chunk ends first or an escape sequence comes; UNTOLD when a
 * blank may or may not be a line's trailing one, or a mark may be a
 * fold's, or the chunk ends inside an indent's glyph (the window is
 * read); GAP when a gap no
 * match goes on over comes first (more than SEPARATOR_MAX line breaks,
 * or an indent longer than INDENT_MAX: no maskable match starts in the
 * window, as a piece's partial match of PIECE_MIN holds a probe of its
 * own before it), so that lines of blanks and borders alone cost no
 * gather to the chunk's end; *gap_end is then where it was found, when
 * only the gap stands between buf[i] and there (else 0): no match
 * starts in a window inside it.
 */
static enum gather
qgram_gather(const unsigned char *buf, size_t len, size_t i, uint32_t *w,
             size_t *gap_end)
{
	unsigned char g[QGRAM];
	size_t n = 0;
	/* an indent's blanks are passed over too; the probe may start
	 * inside one, after its LF (no match goes on over one longer than
	 * INDENT_MAX: the walk back stops there) */
	bool fresh =
	    line_fresh(buf, i > INDENT_MAX ? i - INDENT_MAX - 1 : 0, i, false);
	size_t trail_end = 0, breaks = 0, indent = 0;
	for (; i < len && n < QGRAM; i++) {
		unsigned char c = buf[i];

		/* one test for the plain bytes, the usual ones */
		if (c <= ' ' && (c == 0x1b || c == '\r' || c == '\n' ||
		                 (fresh && is_blank(c)))) {
			if (c == 0x1b)
				return GATHER_NONE;
			if (is_blank(c) ? ++indent > INDENT_MAX
			                : ++breaks > SEPARATOR_MAX) {
				*gap_end = n == 0 ? i : 0;
				return GATHER_GAP;
			}
			fresh = fresh || c == '\n';
			continue;
		}
		/* a border in an indent: passed over (a glyph whole, or
		 * not told when the chunk ends inside it) */
		if (__builtin_expect(fresh, 0) && (c == '|' || c == 0xe2)) {
			size_t n_border = c == '|' ? 1 : 3;

			if (c == 0xe2 && !glyph_begins(buf, len, i))
				n_border = 0;
			else if (c == 0xe2 && len - i < 3)
				return GATHER_UNTOLD;
			if (n_border > 0) {
				indent += n_border;
				if (indent > INDENT_MAX) {
					*gap_end = n == 0 ? i : 0;
					return GATHER_GAP;
				}
				i += n_border - 1;
				continue;
			}
		}
		/* and a line's trailing blanks (from one of them on: a run
		 * judged from a later blank may pass as trailing where it
		 * is too long, which only costs a look) */
		if (is_blank(c) && i >= trail_end) {
			const struct noise_reader ground = {0};

			/* (read TRAIL_MAX bytes on at most: a longer run
			 * is no line's end, and a gather wants 4 bytes) */
			switch (trail_ahead(
			    &ground, buf,
			    len - i > TRAIL_MAX + 2 ? i + TRAIL_MAX + 2 : len,
			    i, &trail_end)) {
			case TRAIL_YES:
				i = trail_end - 1;
				continue;
			case TRAIL_NO:
				/* a blank alone before a break, judged maybe
				 * inside its run (noise before it): not told */
				if (trail_end < len &&
				    (buf[trail_end] == '\r' ||
				     buf[trail_end] == '\n'))
					return GATHER_UNTOLD;
				break;
			default:
				return GATHER_NONE;
			}
		}
		/* a fold's mark maybe: a gap, or a pattern's last byte
		 * (mark_report), so the window is read */
		if (__builtin_expect(is_soft_mark(c), 0) &&
		    (i + 1 == len || buf[i + 1] == '\r' || buf[i + 1] == '\n'))
			return GATHER_UNTOLD;
		fresh = false;
		breaks = indent = 0;
		g[n++] = c;
	}
	if (n < QGRAM)
		return GATHER_NONE;
	*w = qgram_load(g);
	return GATHER_DONE;
}

/*
 * Whether a byte of the 4-gram w is below 0x0e (the borrow trick): CR
 * and LF are, and so are NUL, tab and a few controls rare in text, so a
 * probe tests its own 4 bytes for a line break in a few instructions,
 * where a search for the next one cost more a line. The first test
 * alone also takes bytes from 0x8e (UTF-8): two instructions for ASCII
 * text, the exact test for the rest.
 */
static inline bool
has_control(uint32_t w)
{
	uint32_t less = w - 0x0e0e0e0eu;

	return (less & 0x80808080u) != 0 && (less & ~w & 0x80808080u) != 0;
}

/* A CR or LF among the 4 bytes at p. */
static bool
has_break(const unsigned char *p)
{
	for (size_t k = 0; k < QGRAM; k++)
		if (p[k] == '\r' || p[k] == '\n')
			return true;
	return false;
}

/* The filter's verdict on the 4-gram at buf + at. */
static inline bool
filter_has(const struct automaton *a, const unsigned char *at)
{
	return filter_holds(a->filter, a->filter_bits, qgram_load(at));
}

/* No CR, LF, ESC or border glyph among buf[from, from + n). */
static bool
plain_run(const unsigned char *buf, size_t len, size_t from, size_t n)
{
	for (size_t k = from; k < from + n; k++)
		if (buf[k] == '\r' || buf[k] == '\n' || buf[k] == 0x1b ||
		    buf[k] == '|' || glyph_begins(buf, len, k))
			return false;
	return true;
}

/*
 * Whether a blank in buf[from, to) (the first) may be a line's indent,
 * read inside a match that starts at window or after: only blanks and
 * CR stand between it and an LF at window or after. The filter's
 * 4-grams are a pattern's bytes, and an indent is none of them, so a
 * probe or a neighbour on one cannot rule that match out. Out of line:
 * most probes start with no blank, and the byte before most blanks is
 * no blank.
 */
static __attribute__((noinline)) bool
indent_near(const unsigned char *buf, size_t window, size_t from, size_t to)
{
	size_t k = from;

	while (k < to && !is_blank(buf[k]))
		k++;
	return k < to && line_fresh(buf, window, k, false);
}

/*
 * Whether the blank at buf[k] may be a line's trailing blank: from it,
 * only blanks to a CR or LF within TRAIL_MAX bytes, or to an ESC, a
 * border's glyph (one may be in the run) or buf's end (which cannot
 * tell). The filter's 4-grams hold no trailing
 * blank, so a probe that ends on one is gathered again (qgram_gather)
 * from its bytes that are a pattern's. Out of line: most blanks are
 * followed by a letter.
 */
static __attribute__((noinline)) bool
trail_near(const unsigned char *buf, size_t len, size_t k)
{
	for (size_t j = k; j < len && j - k <= TRAIL_MAX; j++) {
		if (is_blank(buf[j]))
			continue;
		return buf[j] == '\r' || buf[j] == '\n' || buf[j] == 0x1b ||
		       buf[j] == '|' || glyph_begins(buf, len, j);
	}
	return true;
}

/*
 * A probe that starts on a blank of an indent inside its window: its 4
 * bytes are no pattern's (indent_near), so they are gathered past the
 * indent (qgram_gather). No match starts in an indent (the masker reads
 * one at its root as a gap, whatever its patterns start with), so a
 * match in the window started before the indent's line break and goes
 * on after it: its next 4 bytes there are a 4-gram of it at an offset
 * below stride, as the probe's own would be.
 */
static inline bool
probe_indent(const unsigned char *buf, size_t stride, size_t at)
{
	return __builtin_expect(is_blank(buf[at]), 0) &&
	       indent_near(buf, at + 1 - stride, at, at + 1);
}

/*
 * A probe's alarm judged again, by the 4-grams next to it (at: a probe
 * with no CR, LF or ESC in its 4 bytes). A match that starts in the
 * probe's window holds the probe at an offset k below stride and is at
 * least stride + QGRAM - 1 bytes long: when k >= QGRAM, the QGRAM bytes
 * before the probe are its 4-gram at k - QGRAM; else the QGRAM bytes
 * after it are its 4-gram at k + QGRAM (stride >= 2 * QGRAM keeps both
 * among the first stride, which the filter holds, and inside the
 * match). So where the filter holds neither there is no such match,
 * unless a CR, LF or ESC stands among those bytes: then the alarm
 * stays. Timestamps ("07:47:04") ring the probe of a value's hex with
 * colons on almost every log line; this clears them without running
 * the automaton. Out of line, so that the probe loop keeps its
 * registers.
 */
static __attribute__((noinline)) bool
alarm_false(const struct automaton *a, const unsigned char *buf, size_t len,
            size_t at)
{
	if (a->stride < 2 * QGRAM || len - at < 2 * QGRAM ||
	    !plain_run(buf, len, at - QGRAM, QGRAM) ||
	    !plain_run(buf, len, at + QGRAM, QGRAM) ||
	    indent_near(buf, at + 1 - a->stride, at - QGRAM, at) ||
	    (is_blank(buf[at + 2 * QGRAM - 1]) &&
	     trail_near(buf, len, at + 2 * QGRAM - 1)) ||
	    (is_soft_mark(buf[at + 2 * QGRAM - 1]) &&
	     (at + 2 * QGRAM == len || buf[at + 2 * QGRAM] == '\r' ||
	      buf[at + 2 * QGRAM] == '\n')))
		return false;
	return !filter_has(a, buf + at - QGRAM) &&
	       !filter_has(a, buf + at + QGRAM);
}

/* Where the run of blanks and borders from buf[k] ends (len at most). */
static size_t
run_end(const unsigned char *buf, size_t len, size_t k)
{
	while (k < len &&
	       (is_blank(buf[k]) || buf[k] == '|' || glyph_begins(buf, len, k)))
		k += buf[k] == 0xe2 ? 3 : 1;
	return k < len ? k : len;
}

/* Whether the border at buf[k] stands in a line's indent: line_fresh()
 * within INDENT_MAX bytes and a glyph (no match goes on over a longer
 * one); buf's start cannot tell. */
static bool
border_in_indent(const unsigned char *buf, size_t k)
{
	size_t from = k > INDENT_MAX + 3 ? k - INDENT_MAX - 3 : 0;

	return line_fresh(buf, from, k, from == 0);
}

/*
 * From the border at buf[k] (a '|' when bar, else a glyph), the first
 * of its kind in its run of blanks and borders that may be a gap: in a
 * line's indent (border_in_indent: the first of the run or none), or in
 * its trailing blanks (only blanks and borders from it to a CR, LF or
 * ESC within TRAIL_MAX bytes; buf's end cannot tell). len for none, and
 * *resume where the run ends: the run is read once (a line of thousands
 * of "| " costs no walk a border). A border between two other
 * characters, a table's inner column separator or a shell's pipe, is
 * text: the filter goes on over it.
 */
static size_t
border_gap(const unsigned char *buf, size_t len, size_t k, bool bar,
           size_t *resume)
{
	size_t j;

	*resume = k + 1;
	if (border_in_indent(buf, k))
		return k;
	*resume = j = run_end(buf, len, k);
	if (j < len && buf[j] != '\r' && buf[j] != '\n' && buf[j] != 0x1b)
		return len; /* it ends in text */
	for (size_t b = j > k + TRAIL_MAX ? j - TRAIL_MAX : k; b < j; b++)
		if (bar ? buf[b] == '|' : glyph_begins(buf, len, b))
			return b;
	return len;
}

/* Where the next '|' that may be a gap (border_gap) is from buf[i], len
 * for none. */
static size_t
next_bar(const unsigned char *buf, size_t len, size_t i)
{
	for (;;) {
		const unsigned char *e = memchr(buf + i, '|', len - i);
		size_t k;

		if (e == NULL)
			return len;
		k = border_gap(buf, len, (size_t)(e - buf), true, &i);
		if (k < len)
			return k;
	}
}

/*
 * Where the next border glyph (or the first bytes of one the chunk ends
 * in) begins from buf[i], len for none: other characters that begin
 * with E2 (quotes, dashes, bullets, arrows) are passed over. memchr
 * finds the first E2; text that holds others is read 16 bytes at a
 * time from there (a call of memchr for each cost prose with curly
 * quotes a seventh more instructions).
 */
static size_t
next_box(const unsigned char *buf, size_t len, size_t i)
{
	const unsigned char *e = memchr(buf + i, 0xe2, len - i);

	if (e == NULL)
		return len;
	i = (size_t)(e - buf);
#ifdef __SSE2__
	const __m128i e2 = _mm_set1_epi8((char)0xe2),
	              box = _mm_set1_epi8((char)0x94),
	              low = _mm_set1_epi8((char)0xfe);

	/* E2 then 94 or 95: the third byte is looked at alone */
	for (; i + 17 <= len; i += 16) {
		__m128i at = _mm_loadu_si128((const __m128i *)(buf + i));
		__m128i next = _mm_loadu_si128((const __m128i *)(buf + i + 1));
		unsigned hit = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(at, e2),
		    _mm_cmpeq_epi8(_mm_and_si128(next, low), box)));

		for (; hit != 0; hit &= hit - 1)
			if (glyph_begins(buf, len,
			                 i + (size_t)__builtin_ctz(hit)))
				return i + (size_t)__builtin_ctz(hit);
	}
#endif
	for (; i < len; i++)
		if (glyph_begins(buf, len, i))
			return i;
	return len;
}

/* Where the next border glyph that may be a gap (border_gap) is from
 * buf[i], len for none. */
static size_t
next_glyph(const unsigned char *buf, size_t len, size_t i)
{
	for (;;) {
		size_t k = next_box(buf, len, i);

		if (k >= len)
			return len;
		k = border_gap(buf, len, k, false, &i);
		if (k < len)
			return k;
	}
}

/* The length of the border at buf[k]: 1 for a '|', 3 for a whole glyph
 * (U+2500 to U+257F), 0 for none (a glyph's first bytes that buf ends
 * in too). */
static inline size_t
border_len(const unsigned char *buf, size_t len, size_t k)
{
	return buf[k] == '|'                              ? 1
	       : len - k >= 3 && is_box_glyph(buf + k, 3) ? 3
	                                                  : 0;
}

/* Whether a border ends right before buf[k]: its length, or 0. */
static inline size_t
border_before(const unsigned char *buf, size_t k)
{
	return k >= 1 && buf[k - 1] == '|'              ? 1
	       : k >= 3 && is_box_glyph(buf + k - 3, 3) ? 3
	                                                : 0;
}

/* Where the run of blanks and borders that ends at buf[k] begins, read
 * back at most `most` bytes (a longer run is no gap). */
static inline size_t
run_start(const unsigned char *buf, size_t k, size_t most)
{
	size_t from = k;

	while (from > 0 && k - from <= most &&
	       (is_blank(buf[from - 1]) || border_before(buf, from) > 0))
		from -= is_blank(buf[from - 1]) ? 1 : border_before(buf, from);
	return from;
}

/* Where the border glyph that buf[k] stands inside begins, or k (a
 * glyph's first byte, or no glyph's). */
static inline size_t
glyph_start(const unsigned char *buf, size_t len, size_t k)
{
	return k >= 1 && glyph_begins(buf, len, k - 1)   ? k - 1
	       : k >= 2 && glyph_begins(buf, len, k - 2) ? k - 2
	                                                 : k;
}

/*
 * The windows from *i whose probes may reach the border at g (a '|' or
 * a glyph, a gap maybe: border_gap) or the blanks and borders after it,
 * judged by 4-grams gathered past them: from the probe (from the start
 * of an indent's glyph it stands in: qgram_gather passes over one whole;
 * elsewhere a glyph's bytes are text, and a match may start inside
 * one), or from the line break of the trailing run g stands in for a
 * probe that starts inside it (a match in its window started before the
 * run). True with *i past them and *past where those blanks and borders
 * end; false where the automaton must read the window at *i (the run
 * goes on past an ESC, another character that begins with E2, or buf's
 * end, or a window is not ruled out).
 */
static bool
border_windows(const struct automaton *a, const unsigned char *buf, size_t len,
               size_t *i, size_t g, size_t *past)
{
	size_t stride = a->stride, rs, tr, brk, ls, n, end;
	const struct noise_reader ground = {0};
	bool trailing;

	/* the run of blanks and borders g stands in */
	rs = run_start(buf, g, TRAIL_MAX);
	if (rs == 0)
		return false; /* it may go on from the last chunk */
	/* its first blank: the borders before it are text */
	for (tr = rs; tr < len && !is_blank(buf[tr]); tr += n)
		if ((n = border_len(buf, len, tr)) == 0)
			break;
	/* (past g whatever: *past must pass it) */
	brk = g + border_len(buf, len, g);
	for (brk = brk > tr ? brk : tr; brk < len && brk - tr <= TRAIL_MAX;
	     brk += n)
		if ((n = is_blank(buf[brk]) ? 1 : border_len(buf, len, brk)) ==
		    0)
			break;
	if (brk >= len || buf[brk] == 0x1b || buf[brk] == 0xe2)
		return false;
	/* a line's trailing run from that blank, as the masker reads one */
	trailing = tr < brk && is_blank(buf[tr]) &&
	           (buf[brk] == '\r' || buf[brk] == '\n') &&
	           trail_ahead(&ground, buf, brk + 1, tr, &end) == TRAIL_YES;
	/* an indent's start: no match starts in a window inside it */
	ls = run_start(buf, g, INDENT_MAX);
	if (ls == 0 || buf[ls - 1] != '\n')
		ls = len;
	for (size_t at = *i + stride - 1; at < brk; at += stride) {
		uint32_t w;
		enum gather gathered;
		size_t gap_end, from = at, gs;

		if (at + QGRAM > len)
			return false;
		if (at + 1 - stride >= ls) {
			*i = at + 1;
			continue;
		}
		if (trailing && at >= tr) {
			from = brk;
		} else if ((gs = glyph_start(buf, len, at)) < at) {
			/* inside a glyph: an indent's is passed over whole
			 * from its start, another's bytes are text */
			if (gs <= INDENT_MAX + 3)
				return false; /* buf's start cannot tell */
			if (line_fresh(buf, gs - INDENT_MAX - 3, gs, false))
				from = gs;
		}
		gathered = qgram_gather(buf, len, from, &w, &gap_end);
		if (gathered != GATHER_GAP &&
		    (gathered != GATHER_DONE ||
		     filter_holds(a->filter, a->filter_bits, w)))
			return false;
		*i = at + 1;
	}
	/* no match starts inside a trailing run, and the masker reads one
	 * from its first blank: never resumed inside it */
	if (trailing && *i > tr)
		*i = brk;
	*past = brk;
	return true;
}

/* The bytes a probe that a blank, a control or nothing follows is
 * gathered again for ending on (skip): a space, and a fold's marks. */
static const uint8_t probe_end[256] = {[' '] = 1, ['='] = 1, ['\\'] = 1};

/*
 * From i, at the automaton's root and outside an escape sequence, jump
 * over every window of `stride` start positions the filter rules out.
 * A window with an ESC in it is not judged: noise may stand between a
 * match's characters there. Nor is one with a border that may be a gap
 * (border_gap), or one before it (a probe that ends on the blank
 * before it was no pattern's): the windows that reach the border are
 * judged by gathered 4-grams (border_windows), or else the automaton
 * reads on past it (past a glyph's whole run of blanks and borders).
 * Returns where the automaton must resume (at its root); it runs at
 * least to m->run_until.
 */
static size_t
skip(struct masker *m, const unsigned char *buf, size_t len, size_t i)
{
	const struct automaton *a = m->a;
	const uint64_t *filter = a->filter;
	const unsigned bits = a->filter_bits;
	size_t stride = a->stride, esc, resume, last, stop, border, past,
	       gap_end;
	enum gather gathered;
	bool is_bar = false;

again:
	border = len;
	if (m->esc_at <= m->chunk_base + i) {
		const unsigned char *e = memchr(buf + i, 0x1b, len - i);

		m->esc_at =
		    m->chunk_base + (e != NULL ? (size_t)(e - buf) : len);
	}
	if (m->glyph_at <= m->chunk_base + i)
		m->glyph_at = m->chunk_base + next_glyph(buf, len, i);
	if (m->bar_at <= m->chunk_base + i)
		m->bar_at = m->chunk_base + next_bar(buf, len, i);
	esc = (size_t)(m->esc_at - m->chunk_base);
	resume = esc + 1;
	if (m->glyph_at < m->esc_at || m->bar_at < m->esc_at) {
		/* a byte before the border (as an ESC there), run past it */
		is_bar = m->bar_at < m->glyph_at;
		resume = (size_t)((is_bar ? m->bar_at : m->glyph_at) -
		                  m->chunk_base);
		esc = resume > i ? resume - 1 : resume;
		border = resume;
		/* (past a glyph's run of blanks and borders: a line of them
		 * would fence each) */
		resume = is_bar ? resume + 1 : run_end(buf, len, resume);
	}
	/* the last probe before the ESC (none when at 0: at >= 1), with a
	 * byte after it (at the chunk's end, the last is gathered) */
	stop = esc < len ? esc : len - 1;
	last = stop >= QGRAM ? stop - QGRAM : 0;
	for (;;) {
		size_t at = i + stride - 1;
		uint32_t w;

		/* The probes before the next ESC whose 4 bytes hold no CR
		 * or LF: the filter alone. */
		for (; at <= last; at += stride) {
			w = qgram_load(buf + at);
			/* (a tab is below 0x0e: a probe that starts with one
			 * is judged with the line breaks, a space alone) */
			if (has_control(w) &&
			    (has_break(buf + at) ||
			     probe_indent(buf, stride, at) ||
			     (buf[at + QGRAM - 1] == '\t' &&
			      trail_near(buf, len, at + QGRAM - 1))))
				break;
			/* a probe that ends on a space followed by a blank, a
			 * control or nothing may end on a line's trailing
			 * blank, one that ends on a mark before a line break
			 * on a fold's: gathered again (one test, no branch on
			 * the spaces of prose) */
			if (__builtin_expect((probe_end[buf[at + QGRAM - 1]] &
			                      (buf[at + QGRAM] <= ' ')) != 0,
			                     0) &&
			    (buf[at + QGRAM - 1] == ' '
			         ? trail_near(buf, len, at + QGRAM - 1)
			         : buf[at + QGRAM] == '\r' ||
			               buf[at + QGRAM] == '\n'))
				break;
			if (filter_holds(filter, bits, w) &&
			    !alarm_false(a, buf, len, at)) {
				m->run_until = m->chunk_base + at + QGRAM;
				return at + 1 - stride;
			}
			/* a space after a blank or a line break, the only
			 * way into an indent (one test, no branch on the
			 * spaces of prose): gathered past the indent, or
			 * read where a match may start in one */
			if (__builtin_expect(
			        ((buf[at] ^ ' ') | (buf[at - 1] > ' ')) == 0,
			        0) &&
			    indent_near(buf, at + 1 - stride, at, at + 1))
				break;
		}
		i = at + 1 - stride;
		if (at + QGRAM > len)
			break;
		if (at + QGRAM > esc) {
			/* a border: the windows that reach it gathered */
			if (border < len &&
			    border_windows(a, buf, len, &i, border, &past)) {
				if (is_bar)
					m->bar_at = m->chunk_base +
					            next_bar(buf, len, past);
				else
					m->glyph_at =
					    m->chunk_base +
					    next_glyph(buf, len, past);
				goto again;
			}
			m->run_until = m->chunk_base + resume;
			return i;
		}
		/* a CR or LF among the 4 bytes, or an indent's blank */
		gathered = qgram_gather(buf, len, at, &w, &gap_end);
		if (gathered == GATHER_NONE)
			break;
		if (gathered == GATHER_UNTOLD ||
		    (gathered == GATHER_DONE &&
		     filter_holds(filter, bits, w))) {
			m->run_until = m->chunk_base + at + QGRAM;
			return i;
		}
		i += stride;
		/* past the windows inside a gap no match goes on over */
		if (gathered == GATHER_GAP && gap_end >= i + stride)
			i = gap_end + 1 - stride;
	}
	m->run_until = m->chunk_base + len;
	return i;
}

/*
 * The part of a partial match (maker's, depth characters, the last the
 * masker read) that the maker's mask covers, masked as a piece when it
 * holds PIECE_MIN characters or more (not before the line it ends on).
 */
static void
piece_add(struct masker *m, uint32_t maker, uint32_t depth, uint32_t min)
{
	const struct pattern *p = &m->ps->items[maker];
	uint32_t lo = p->mask_lo, hi = p->mask_hi < depth ? p->mask_hi : depth;

	if (hi > lo && hi - lo >= min && !pattern_armoured(m->a, maker)) {
		uint64_t first = m->seen - depth;
		struct interval add = {
		    .start = m->ring[(first + lo) & m->ring_mask],
		    .end = m->ring[(first + hi - 1) & m->ring_mask] + 1,
		    .secret = p->secret,
		    .pattern = maker,
		};

		interval_add_lines(m, first,
		                   m->ring[(m->seen - 1) & m->ring_mask] + 1,
		                   add.start, add.end, add.secret, add.pattern);
	}
}

/* Whether a mask to be written holds the last byte but one that the
 * partial match (maker's, depth characters) would mask: a match of a
 * shorter form of the value ends there. */
static bool
cut_masked(const struct masker *m, uint32_t maker, uint32_t depth)
{
	const struct pattern *p = &m->ps->items[maker];
	uint32_t lo = (uint32_t)p->mask_lo,
	         hi = p->mask_hi < depth ? (uint32_t)p->mask_hi : depth;
	uint64_t at;

	if (hi < lo + 2)
		return false;
	at = m->ring[(m->seen - depth + hi - 2) & m->ring_mask];
	for (size_t i = 0; i < m->iv_count; i++)
		if (m->iv[i].start <= at && at < m->iv[i].end)
			return true;
	return false;
}

/*
 * An LF with a partial match held (node): the line is held with it when
 * it holds LINE_HELD_MIN characters or more, else it may be written
 * whole; the part of the lines that the partial match masks is masked
 * as a piece when it holds PIECE_MIN characters or more (a value cut
 * there).
 */
static void
line_end(struct masker *m, uint32_t node, uint64_t lf)
{
	uint32_t maker, depth = node_place(m, node, &maker);

	/* A piece is never shorter than the partial match: most lines
	 * end in a shallow node, and its pattern is not read. */
	if (depth >= PIECE_MIN)
		piece_add(m, maker, depth, PIECE_MIN);
	m->line_start = lf + 1;
	if (depth < LINE_HELD_MIN)
		m->commit = lf + 1;
}

/* Whether the masker still holds the input byte at stream offset at. */
static bool
byte_held(const struct masker *m, uint64_t at)
{
	return at >= m->chunk_base ||
	       (at >= m->carry_base && at - m->carry_base < m->carry_len);
}

/* The bytes of the escape at stream offset at (before to) that spell
 * one character: \x41, \u00e9, \U0001f600, \101, \", %41, &#233;,
 * &amp;; 1 for a byte that begins none. */
static uint64_t
escape_length(const struct masker *m, uint64_t at, uint64_t to)
{
	unsigned char c = *byte_at(m, at), e;

	if (at + 1 >= to)
		return 1;
	e = *byte_at(m, at + 1);
	switch (c) {
	case '\\':
		return e == 'x'               ? 4
		       : e == 'u'             ? 6
		       : e == 'U'             ? 10
		       : e >= '0' && e <= '7' ? 4
		                              : 2;
	case '%':
		return isxdigit(e) ? 3 : 1;
	case '&':
		for (uint64_t n = 3; n <= 10 && at + n <= to; n++)
			if (*byte_at(m, at + n - 1) == ';')
				return n;
		return 1;
	default:
		return 1;
	}
}

/*
 * The characters the input bytes [from, to) spell as a string
 * literal's body, an escape one (escape_length) and any other byte one
 * (a byte of the value); 0 when the masker holds them no longer.
 */
static size_t
escaped_units(const struct masker *m, uint64_t from, uint64_t to)
{
	size_t units = 0;

	if (!byte_held(m, from))
		return 0;
	for (; from < to; from += escape_length(m, from, to))
		units++;
	return units;
}

/*
 * A quote (q: a double or single quote, or a backquote) after a partial
 * match (node) that does not go on with it: a string cut and closed.
 * strace cuts one at its -s bytes (32 by default), in its densest form
 * ("\x73\x6b\x5f"...): a partial match of CUT_MIN characters or more,
 * PIECE_MIN bytes of a value as \xhh, is masked as a piece. A test's
 * failure shows a value that the code under test cut, escaped as its
 * language quotes it (pytest's and unittest's 'p"a\\ss\'w', Jest's
 * "p\"a\\ss'w", node:assert's `p"a\\ss'w`, chai's and vitest's cut at 40
 * columns): its masked part is masked when it spells PIECE_MIN
 * characters or more on the quote's line (escaped_units), as a piece
 * of the value itself is (pieces_add).
 */
static void
quote_after(struct masker *m, uint32_t node, unsigned char q)
{
	const struct pattern *p;
	uint32_t maker, depth, lo, hi;
	uint64_t first, from;

	/* a quote that goes on with it (a chain's is taken on the way) */
	if (child_of(m->a, node, q) != 0)
		return;
	depth = node_place(m, node, &maker);
	if (depth >= CUT_MIN) {
		piece_add(m, maker, depth, PIECE_MIN);
		return;
	}
	if (depth < PIECE_MIN)
		return; /* most quotes: their pattern is not read */
	p = &m->ps->items[maker];
	lo = (uint32_t)p->mask_lo;
	hi = p->mask_hi < depth ? (uint32_t)p->mask_hi : depth;
	if (hi < lo + PIECE_MIN)
		return;
	first = m->seen - depth;
	from = m->ring[(first + lo) & m->ring_mask];
	/* on the quote's line (a literal a line holds), the part the
	 * masker still holds */
	if (from < m->line_start)
		from = m->line_start;
	if (escaped_units(m, from,
	                  m->ring[(first + hi - 1) & m->ring_mask] + 1) >=
	    PIECE_MIN)
		piece_add(m, maker, depth, PIECE_MIN);
}

/* A cut mark (c: a '.', an E2, or a blank before a border) after a
 * partial match (node) that does not go on with it: a partial match of
 * CUT_MARK_MIN characters or more is masked as a piece, however short
 * its masked part. */
static void
mark_after(struct masker *m, uint32_t node, unsigned char c)
{
	uint32_t maker, depth;

	if (child_of(m->a, node, c) != 0)
		return;
	depth = node_place(m, node, &maker);
	if (depth >= CUT_MARK_MIN)
		piece_add(m, maker, depth, 1);
}

/*
 * The common case of report() on near misses, where every byte ends a
 * match: a lead match (x->lead) that starts inside the last mask, after
 * its start, only moves that mask's end. start is where the lead would
 * start (read before knowing whether there is a lead: the ring always
 * has a slot there).
 */
static inline bool
grows_last(struct masker *m, const struct extra *x, uint64_t start,
           uint64_t end)
{
	struct interval *last;

	if (!x->led || m->iv_count == 0 || m->iv_count >= SETTLE_AFTER ||
	    start < m->line_start)
		return false;
	last = &m->iv[m->iv_count - 1];
	if (start <= last->start || start > last->end)
		return false;
	if (end > last->end)
		last->end = end;
	return true;
}

/* fail_of(), remembered: the failure paths of many steps meet in the
 * same shallow nodes, each spelled again from the root when read. */
static uint32_t
fail_memo_of(const struct masker *m, uint32_t s)
{
	struct fail_memo *e = &m->fails[hash_slot(s, m->fail_bits)];

	if (e->node != s + 1) {
		e->fail = fail_of(m->a, s);
		e->node = s + 1;
	}
	return e->fail;
}

static inline struct step_memo *
step_memo_at(const struct masker *m, uint32_t s, unsigned char c)
{
	uint64_t key = (uint64_t)s << 8 | c;

	return &m->memo[hash_slot(key, m->memo_bits)];
}

/* Nodes of a failure path remembered with the step they share. */
#define STEP_PATH_KEPT 8

/*
 * step() out of line, so the plain loop keeps its registers, and
 * remembered: a near miss repeated takes the same failure path off the
 * same node again and again. A step not remembered goes down its
 * failure path through the memo: a step by the same byte off a node on
 * it is the same step (s has no child by c), often taken on another
 * path that ends in the same suffix.
 */
static __attribute__((noinline)) uint32_t
step_slow(const struct masker *m, uint32_t s, unsigned char c)
{
	struct step_memo *e = step_memo_at(m, s, c);
	uint32_t path[STEP_PATH_KEPT] = {s}, t;
	size_t n = 1;

	if (e->node == s + 1 && e->byte == c)
		return e->next;
	for (uint32_t f = s;;) {
		t = child_of(m->a, f, c);
		if (t != 0 || f == 0)
			break;
		f = fail_memo_of(m, f);
		e = step_memo_at(m, f, c);
		if (e->node == f + 1 && e->byte == c) {
			t = e->next;
			break;
		}
		if (n < STEP_PATH_KEPT)
			path[n++] = f;
	}
	while (n > 0) {
		e = step_memo_at(m, path[--n], c);
		*e = (struct step_memo){
		    .node = path[n] + 1, .next = t, .byte = c};
	}
	return t;
}

/* No mask to lengthen: no match starts after its start. */
static struct interval no_mask = {UINT64_MAX, 0, 0, 0};

static inline struct interval *
last_growable(struct masker *m)
{
	return m->iv_count > 0 && m->iv_count < SETTLE_AFTER
	           ? &m->iv[m->iv_count - 1]
	           : &no_mask;
}

/* A node that reports, reached with `seen` pattern bytes read and the
 * stream at `pos`: grow the last mask or report in full. */
static void
reached(struct masker *m, uint32_t state, uint64_t seen, uint64_t pos)
{
	const struct extra *x = &m->a->extra[extra_rank(m->a, state)];

	if (grows_last(m, x, m->ring[(seen - x->back) & m->ring_mask], pos))
		return;
	m->seen = seen;
	m->state = state;
	m->pos = pos;
	report(m, state);
}

/*
 * Plain bytes from buf[i] (which is one), outside escape sequences: the
 * automaton with its state in registers. Returns at the first byte the
 * slow path judges (ESC, CR, LF), or at the root where the filter may
 * skip. A step along a chain reads one word, the node's flags and the
 * next node's byte and flags, adjacent in `cell`; patterns hold no ESC,
 * CR or LF, so a byte that continues a chain is plain.
 */
/* The ring's positions of the bytes [from, p) of a plain run that
 * began at p0 with seen0 (only the last ring-full matter). */
static const unsigned char *
ring_fill(struct masker *m, const unsigned char *from, const unsigned char *p,
          const unsigned char *p0, uint64_t seen0, uint64_t delta)
{
	if ((uint64_t)(p - from) > m->ring_mask + 1)
		from = p - (m->ring_mask + 1);
	for (; from < p; from++)
		m->ring[(seen0 + (uint64_t)(from - p0)) & m->ring_mask] =
		    (uint64_t)(uintptr_t)from + delta;
	return p;
}

/* border_follows() from p (stream offset at), the chunk ending at end,
 * read on in the bytes after it where they are known (a border may
 * begin before end). A stretch of blanks is read once, for all of its
 * blanks (a run of them in a match would cost a walk each). */
static bool
border_after(struct masker *m, const unsigned char *p, const unsigned char *end,
             uint64_t at)
{
	if (at < m->stretch_from || at > m->stretch_end) {
		const unsigned char *q = p, *r = m->after, *rend = r;
		unsigned char g[3] = {0, 0, 0};
		size_t n = 0;

		if (r != NULL)
			rend = r + m->after_len;
		while (q < end && is_blank(*q))
			q++;
		if (q == end)
			while (r < rend && is_blank(*r))
				r++;
		m->stretch_from = at;
		m->stretch_end =
		    at + (uint64_t)(q - p) +
		    (q == end && r != NULL ? (uint64_t)(r - m->after) : 0);
		for (; q < end && n < 3; q++)
			g[n++] = *q;
		for (; r < rend && n < 3; r++)
			g[n++] = *r;
		/* diff -y's gutter marks a line's left column cut at its
		 * width: " <", " >"; and a cut mark's first byte after
		 * blanks (cut_mark_follows) */
		m->stretch_border =
		    n > 0 &&
		    (g[0] == '|' || g[0] == '<' || g[0] == '>' || g[0] == '.' ||
		     g[0] == 0xe2 || (n == 3 && is_box_glyph(g, 3)));
	}
	return m->stretch_border && m->stretch_end - at <= TRAIL_MAX;
}

/* quote_after() or mark_after() at p, by its byte, in scan_plain()'s
 * run (the ring filled up to p first): out of line, so the loop keeps
 * its registers and its shape (near misses ran 15% slower with this
 * inside it). */
static __attribute__((noinline)) const unsigned char *
quote_at(struct masker *m, uint32_t state, const unsigned char *filled,
         const unsigned char *p, const unsigned char *p0, uint64_t seen0,
         uint64_t delta)
{
	filled = ring_fill(m, filled, p, p0, seen0, delta);
	m->seen = seen0 + (uint64_t)(p - p0);
	if (*p == '"' || *p == '\'' || *p == '`')
		quote_after(m, state, *p);
	else
		mark_after(m, state, *p);
	return filled;
}

/* The marks scan_plain() looks at past the test for low bytes, in one
 * read: a cut mark (mark_after) and a fold's (mark_judge). */
enum { MARK_CUT = 1, MARK_FOLD = 2 };
static const uint8_t mark_class[256] = {
    ['.'] = MARK_CUT, [0xe2] = MARK_CUT, ['\''] = MARK_CUT,
    ['`'] = MARK_CUT, ['='] = MARK_FOLD, ['\\'] = MARK_FOLD};

/* A byte as a chain's next byte is compared: the blanks and controls
 * (up to a space) as 0x100, which no chain holds, and so the marks a
 * fold may end a line with ('=' and '\\': judged on the slow path). */
static const uint16_t chain_byte[256] = {
#define N4 0x100, 0x100, 0x100, 0x100
#define N16 N4, N4, N4, N4
#define C4(b) (b), (b) + 1, (b) + 2, (b) + 3
#define C16(b) C4(b), C4((b) + 4), C4((b) + 8), C4((b) + 12)
#define C64(b) C16(b), C16((b) + 16), C16((b) + 32), C16((b) + 48)
    N16,     N16,      0x100,    33,      34,    35,    C4(36), C4(40),
    C4(44),  C4(48),   C4(52),   C4(56),  60,    0x100, 62,     63,
    C16(64), C4(80),   C4(84),   C4(88),  0x100, 93,    94,     95,
    C16(96), C16(112), C64(128), C64(192)
#undef C64
#undef C16
#undef C4
#undef N16
#undef N4
};

static size_t
scan_plain(struct masker *m, const unsigned char *buf, size_t len, size_t i,
           uint32_t *statep)
{
	const unsigned char *cells = (const unsigned char *)m->a->cell;
	const unsigned char *p = buf + i, *end = buf + len, *p0 = p;
	/* Every byte here is a pattern byte at its place: the seen count
	 * and the stream offset of p follow from p, and the ring is
	 * written only before something reads it (filled). */
	const unsigned char *filled = p;
	uint64_t seen0 = m->seen;
	/* The stream offset of p is p + delta. */
	uint64_t delta = m->chunk_base - (uint64_t)(uintptr_t)buf;
	/* Where the filter may take over again at the root. */
	const unsigned char *skip_at =
	    m->a->filter == NULL            ? end
	    : m->run_until <= m->chunk_base ? buf
	    : m->run_until - m->chunk_base >= len
	        ? end
	        : buf + (m->run_until - m->chunk_base);
	const struct extra *extra = m->a->extra;
	const struct automaton *a = m->a;
	const uint32_t *root_next = a->root_next;
	uint32_t state = *statep, ranked_state = NONE - 1, ranked = 0;
	/* The mask a match may lengthen; reloaded after each report(). */
	struct interval *last = last_growable(m);
	uint64_t line_start = m->line_start, start;
	/* The last byte lengthened the last mask in the loop below. */
	bool growing = false;

	for (;;) {
		unsigned char c;
		bool reports = false;

		/* Along a chain: no calls here, so the loop keeps its
		 * values in registers. A match that only lengthens the last
		 * mask (grows_last()) is taken on the way. */
		while (p < end) {
			uint32_t w;
			const struct extra *x;

			memcpy(&w, cells + 2 * (size_t)state + 1, sizeof(w));
			/* a chain that goes on with a blank (a pattern holds
			 * one) leaves it to the slow path, which judges it
			 * first: a byte up to a blank reads as none a chain
			 * holds (chain_byte), so the one test says both */
			if ((w & (0xff00u | NODE_CHAIN)) !=
			    ((uint32_t)chain_byte[*p] << 8 | NODE_CHAIN))
				break;
			p++;
			state++;
			/* said likely: the compiler then keeps the loop in one
			 * piece of code (near misses ran a third slower when
			 * its way back to the top was a jump elsewhere) */
			if (__builtin_expect(!(w & (NODE_REPORTS << 16)), 1))
				continue;
			if (growing && (w & (NODE_EASY << 16))) {
				last->end = (uint64_t)(uintptr_t)p + delta;
				ranked++;
				ranked_state = state;
				continue;
			}
			/* A run of reporting nodes along a chain has its
			 * records in a row. */
			ranked = state == ranked_state + 1
			             ? ranked + 1
			             : extra_rank(a, state);
			ranked_state = state;
			x = &extra[ranked];
			if (x->back <= (size_t)(p - p0))
				start =
				    (uint64_t)(uintptr_t)p + delta - x->back;
			else
				start = m->ring[(seen0 + (uint64_t)(p - p0) -
				                 x->back) &
				                m->ring_mask];
			if (start > last->start && start <= last->end &&
			    x->led && start >= line_start) {
				uint64_t at = (uint64_t)(uintptr_t)p + delta;

				if (at > last->end)
					last->end = at;
				growing = true;
				continue;
			}
			reports = true;
			break;
		}
		growing = false;
		if (reports) {
			filled = ring_fill(m, filled, p, p0, seen0, delta);
			m->seen = seen0 + (uint64_t)(p - p0);
			m->state = state;
			m->pos = (uint64_t)(uintptr_t)p + delta;
			report(m, state);
			last = last_growable(m);
			continue;
		}
		if (p == end)
			break;
		c = *p;
		/* one test for most bytes: letters and digits are above */
		if (__builtin_expect(c <= '"', 0)) {
			if (c == 0x1b || c == '\r' || c == '\n')
				break;
			/* a run of blanks is judged first (blank_judge), but
			 * one blank before a character other than a blank,
			 * a control, a line break or a border's first byte:
			 * no line's end */
			if (is_blank(c) && (state != 0 || m->blank_starts) &&
			    (p + 1 == end || p[1] <= ' ' || p[1] == '|' ||
			     (p[1] == 0xe2 &&
			      glyph_begins(p, (size_t)(end - p), 1))) &&
			    (uint64_t)(uintptr_t)p + delta >= m->plain_until)
				break;
			/* (a blank before a column's border or diff -y's
			 * gutter, and a tab, are cut marks: a column cut at
			 * its width, diff -y's and pr -m's) */
			if (state != 0 &&
			    (c == '"' || c == '\t' ||
			     (is_blank(c) &&
			      border_after(m, p + 1, end,
			                   (uint64_t)(uintptr_t)p + delta +
			                       1)))) {
				filled = quote_at(m, state, filled, p, p0,
				                  seen0, delta);
				last = last_growable(m);
			}
		} else if (__builtin_expect(mark_class[c] != 0, 0)) {
			if (mark_class[c] == MARK_CUT) {
				/* a cut mark */
				if (state != 0) {
					filled = quote_at(m, state, filled, p,
					                  p0, seen0, delta);
					last = last_growable(m);
				}
			} else if ((state != 0 || root_next[c] != 0) &&
			           (p + 1 == end || p[1] == '\r' ||
			            p[1] == '\n') &&
			           (uint64_t)(uintptr_t)p + delta !=
			               m->mark_plain) {
				/* a fold's mark maybe, where a match goes on or
				 * may start: judged in scan() */
				break;
			}
		}
		if (state == 0 && p >= skip_at && p > buf + i)
			break;
		p++;
		/* from the root, one read: the filter's alarms start here */
		state = state == 0 ? root_next[c] : step_slow(m, state, c);
		if (m->a->cell[state].flags & NODE_REPORTS) {
			filled = ring_fill(m, filled, p, p0, seen0, delta);
			reached(m, state, seen0 + (uint64_t)(p - p0),
			        (uint64_t)(uintptr_t)p + delta);
			last = last_growable(m);
		}
		if (p == end)
			break;
	}
	ring_fill(m, filled, p, p0, seen0, delta);
	m->seen = seen0 + (uint64_t)(p - p0);
	*statep = state;
	return (size_t)(p - buf);
}

/* A byte of a gap between a match's characters, counted in *count: the
 * state goes on while the gap holds at most max of them, else the
 * match is broken (state 0). */
static inline uint32_t
gap_byte(uint32_t state, unsigned *count, unsigned max)
{
	if (state == 0 || *count >= max)
		return 0;
	(*count)++;
	return state;
}

/*
 * A run of blanks from buf[i] (its first, read in the ground state and
 * not an indent) where a match goes on or may start: trailing (a gap
 * up to trail_until) or plain (up to plain_until). False when the chunk
 * ends before the run does (pending), unless no more input comes: then
 * it is plain.
 */
static bool
blank_judge(struct masker *m, const unsigned char *buf, size_t len, size_t i)
{
	size_t end;

	switch (trail_ahead(&m->reader, buf, len, i, &end)) {
	case TRAIL_YES:
		m->trail_until = m->chunk_base + end;
		return true;
	case TRAIL_OPEN:
	case TRAIL_OPEN_ONE:
		if (!m->final) {
			m->pending = true;
			return false;
		}
		m->plain_until = m->chunk_base + end;
		return true;
	default:
		m->plain_until =
		    end < len || m->final ? m->chunk_base + end : UINT64_MAX;
		return true;
	}
}

/*
 * Whether the E2 at buf[i], in a line's indent, begins a border's glyph
 * (1) or not (0); -1 when the chunk ends before it could tell (pending:
 * judged with the next chunk's first bytes, in glyph_judged), unless no
 * more input comes.
 */
static int
glyph_judge(struct masker *m, const unsigned char *buf, size_t len, size_t i)
{
	if (m->chunk_base + i == m->glyph_judged)
		return m->glyph_is;
	if (len - i >= 3 || m->final || !is_box_glyph(buf + i, len - i))
		return len - i >= 3 && is_box_glyph(buf + i, 3);
	m->pending = true;
	return -1;
}

/* The column of buf[i] (SOFT_QP_FIRST in engine.h): from buf's bytes
 * before it, or from the line the bytes before buf end in. */
static uint64_t
mark_column(const struct masker *m, const unsigned char *buf, size_t i)
{
	uint64_t col;

	if (!soft_column_in(buf, i, &col))
		col = m->chunk_base + i - m->soft_line + 1;
	return col;
}

/*
 * Whether the mark at buf[i] ('=' or '\\', read in the ground state
 * where a match goes on or may start) is a fold's (1: a CR or LF follows
 * it, at its column) or a byte (0); -1 when the chunk ends after it
 * (pending: judged with the next chunk's first byte, in mark_judged),
 * unless no more input comes.
 */
static int
mark_judge(struct masker *m, const unsigned char *buf, size_t len, size_t i)
{
	if (m->chunk_base + i == m->mark_judged)
		return m->mark_is;
	if (i + 1 == len) {
		if (m->final)
			return 0;
		m->pending = true;
		return -1;
	}
	return (buf[i + 1] == '\r' || buf[i + 1] == '\n') &&
	       soft_column(buf[i], mark_column(m, buf, i));
}

/* Where the line the chunk's bytes up to buf[n] end in begins, for the
 * next chunk's marks (soft_line). */
static void
soft_line_note(struct masker *m, const unsigned char *buf, size_t n)
{
	size_t w = n < SOFT_COLUMN_MAX ? n : SOFT_COLUMN_MAX;
	const unsigned char *b = last_break(buf + n - w, w);

	if (b != NULL)
		m->soft_line = m->chunk_base + (uint64_t)(b - buf) + 1;
	else if (n >= SOFT_COLUMN_MAX)
		m->soft_line = m->chunk_base + n - SOFT_COLUMN_MAX;
}

static void
scan(struct masker *m, const unsigned char *buf, size_t len)
{
	const struct automaton *a = m->a;
	uint32_t state = m->state;
	size_t i = 0;

	while (i < len) {
		unsigned char c;

		if (state == 0 && a->filter != NULL && m->reader.state == 0 &&
		    m->chunk_base + i >= m->run_until) {
			size_t from = i;

			i = skip(m, buf, len, i);
			/* never inside a border's glyph: the reader reads
			 * one whole (one after noise is an indent's, which
			 * the filter cannot tell) */
			if (i < len) {
				size_t gs = glyph_start(buf, len, i);

				i = gs >= from ? gs : i;
			}
			if (i > from && m->blank_starts)
				m->reader.fresh =
				    line_fresh(buf, from, i, m->reader.fresh);
			if (i >= len)
				break;
		}
		c = buf[i];
		if (m->reader.fresh && is_blank(c) && m->reader.state == 0 &&
		    (state != 0 || m->blank_starts)) {
			/* a line's indent, the run at once: no match goes on
			 * past INDENT_MAX of it, and none starts in it */
			size_t j = i + 1;

			while (j < len && is_blank(buf[j]))
				j++;
			if (state != 0 && j - i <= INDENT_MAX - m->indent)
				m->indent += (unsigned)(j - i);
			else
				state = 0;
			i = j;
			continue;
		}
		/* a line's trailing blank or border: a gap, as its break
		 * is (escape sequences among them are read as noise) */
		if (m->chunk_base + i < m->trail_until &&
		    m->reader.state == 0 && c != 0x1b) {
			i++;
			continue;
		}
		if (is_blank(c) && m->reader.state == 0 &&
		    (state != 0 || m->blank_starts)) {
			uint64_t at = m->chunk_base + i;

			if (at >= m->plain_until &&
			    !blank_judge(m, buf, len, i))
				break; /* pending: the next chunk tells */
			if (at < m->trail_until)
				continue;
		}
		if (c == 0xe2 && m->reader.fresh && m->reader.state == 0) {
			/* a border's glyph in an indent, judged whole */
			int glyph = glyph_judge(m, buf, len, i);

			if (glyph < 0)
				break; /* pending: the next chunk tells */
			if (glyph > 0) {
				(void)noise_glyph(&m->reader);
				state = gap_byte(state, &m->indent, INDENT_MAX);
				i++;
				continue;
			}
		}
		if (c == 0x1b || c == '\r' || c == '\n' ||
		    m->reader.state != 0 || (c == '|' && m->reader.fresh)) {
			enum byte_class k = noise_read(&m->reader, c);

			if (k == BYTE_BREAK && c == '\n' && state != 0)
				line_end(m, state, m->chunk_base + i);
			/* (an indent's blank here follows an escape
			 * sequence) */
			if (k == BYTE_NOISE)
				state =
				    gap_byte(state, &m->noise, NOISE_GAP_MAX);
			else if (k == BYTE_BREAK)
				state = gap_byte(state, &m->separators,
				                 SEPARATOR_MAX);
			else if (k == BYTE_INDENT)
				state = gap_byte(state, &m->indent, INDENT_MAX);
			/* (a trailing run's border glyph may end one) */
			if (k != BYTE_PLAIN ||
			    m->chunk_base + i < m->trail_until) {
				i++;
				continue;
			}
			/* a blank that ends an escape sequence begins a run
			 * to judge, read again in the ground state: it may be
			 * a gap still */
			if (is_blank(c) && (state != 0 || m->blank_starts))
				continue;
		}
		if (__builtin_expect(is_soft_mark(c), 0) &&
		    (state != 0 || a->root_next[c] != 0) &&
		    m->chunk_base + i != m->mark_plain) {
			int soft = mark_judge(m, buf, len, i);

			if (soft < 0)
				break; /* pending: the next chunk tells */
			if (soft > 0) {
				/* a gap, as a line's trailing blank is (read
				 * as a byte: no indent follows it), on which a
				 * pattern may end */
				uint32_t t = state == 0
				                 ? a->root_next[c]
				                 : step_slow(m, state, c);

				if (a->cell[t].flags & NODE_REPORTS)
					mark_report(m, t, m->chunk_base + i);
				m->reader.fresh = false;
				i++;
				continue;
			}
			m->mark_plain = m->chunk_base + i;
		}
		m->separators = 0;
		m->noise = 0;
		m->indent = 0;
		m->reader.fresh = false;
		i = scan_plain(m, buf, len, i, &state);
	}
	m->state = state;
	m->pos = m->chunk_base + (m->pending ? i : len);
}

/* Keep what may still be written (a pending mask's escape sequences
 * too); the carry grows when a long partial match needs it. */
static void
carry_keep(struct masker *m, const unsigned char *buf, size_t len)
{
	uint64_t keep = m->out_pos, end = m->chunk_base + len;
	size_t n = 0, need;

	need = (size_t)(end - keep);
	if (need > m->carry_cap) {
		size_t cap = 2 * need;
		unsigned char *bigger = secmem_alloc(cap);

		if (keep < m->chunk_base) {
			n = (size_t)(m->chunk_base - keep);
			memcpy(bigger, m->carry + (keep - m->carry_base), n);
		}
		secmem_free(m->carry);
		m->carry = bigger;
		m->carry_cap = cap;
		m->carry_len = n;
		if (keep < m->chunk_base)
			keep = m->chunk_base;
	} else if (keep < m->chunk_base) {
		size_t from = (size_t)(keep - m->carry_base);

		n = m->carry_len - from;
		memmove(m->carry, m->carry + from, n);
		keep = m->chunk_base;
	}
	memcpy(m->carry + n, buf + (keep - m->chunk_base),
	       (size_t)(end - keep));
	n += (size_t)(end - keep);
	sodium_memzero(m->carry + n, m->carry_len > n ? m->carry_len - n : 0);
	m->carry_len = n;
	m->carry_base = end - n;
}

static void
token_end(struct masker *m, const struct token_run *r)
{
	const struct detector *d = m->det;
	const struct detect_entry *e = &d->entries[r->entry];

	if (r->body >= e->min)
		interval_merge(
		    m, (struct interval){
		           .start = r->start,
		           .end = r->start + strlen(e->prefix) + r->body,
		           .secret = d->names[r->entry],
		           .pattern = (uint32_t)m->ps->count + r->entry,
		       });
}

/* Byte c at offset at: every run takes it as body or ends. */
static void
runs_advance(struct masker *m, unsigned char c)
{
	struct detector *d = m->det;
	size_t kept = 0;

	for (size_t i = 0; i < d->run_count; i++) {
		struct token_run *r = &d->runs[i];
		bool body = (d->body[r->entry][c / 8] >> (c % 8)) & 1;

		if (body)
			r->body++;
		if (!body || r->body == d->entries[r->entry].max)
			token_end(m, r);
		else
			d->runs[kept++] = *r;
	}
	d->run_count = kept;
}

static void
runs_start(struct masker *m, uint32_t node, uint64_t end)
{
	struct detector *d = m->det;
	const struct automaton *a = d->a;

	for (; node != 0; node = node_dict(a, node)) {
		for (uint32_t i = node_own(a, node); i != NONE;
		     i = pattern_next(a, i)) {
			const struct pattern *p = &d->prefixes->items[i];

			if (d->run_count == d->run_cap) {
				d->run_cap = d->run_cap ? 2 * d->run_cap : 16;
				d->runs = realloc(
				    d->runs, d->run_cap * sizeof(*d->runs));
				if (d->runs == NULL)
					abort();
			}
			d->runs[d->run_count++] =
			    (struct token_run){end - p->len, p->secret, 0};
		}
	}
}

static uint64_t
detector_hold(const struct masker *m, uint64_t end)
{
	const struct detector *d = m->det;
	uint64_t hold = end - node_depth(d->a, d->state);

	for (size_t i = 0; i < d->run_count; i++)
		if (d->runs[i].start < hold)
			hold = d->runs[i].start;
	return hold;
}

static void
detect_scan(struct masker *m, const unsigned char *buf, size_t len)
{
	struct detector *d = m->det;
	uint32_t state = d->state;

	for (size_t i = 0; i < len; i++) {
		if (d->run_count > 0)
			runs_advance(m, buf[i]);
		state = step(d->a, state, buf[i]);
		if (d->a->cell[state].flags & NODE_REPORTS)
			runs_start(m, state, m->chunk_base + i + 1);
	}
	d->state = state;
	d->hold = detector_hold(m, m->chunk_base + len);
}

static struct detector *
detector_new(const struct pattern_set *ps)
{
	struct detector *d = calloc(1, sizeof(*d));

	if (d == NULL)
		abort();
	d->entries = detect_entries(&d->count);
	d->prefixes = patterns_new(1, false);
	d->names = calloc(d->count, sizeof(*d->names));
	d->body = calloc(d->count, sizeof(*d->body));
	if (d->names == NULL || d->body == NULL)
		abort();
	for (size_t i = 0; i < d->count; i++) {
		const char *prefix = d->entries[i].prefix;

		patterns_add(d->prefixes, (uint32_t)i,
		             (const unsigned char *)prefix, strlen(prefix), 0,
		             strlen(prefix), 0);
		d->names[i] = detect_name(ps, &d->entries[i]);
		for (unsigned c = 0; c < 256; c++)
			if (detect_body(&d->entries[i], (unsigned char)c))
				d->body[i][c / 8] |= (uint8_t)(1u << (c % 8));
	}
	d->a = automaton_build(d->prefixes);
	return d;
}

static void
detector_free(struct detector *d)
{
	if (d == NULL)
		return;
	automaton_free(d->a);
	patterns_free(d->prefixes);
	free(d->names);
	free(d->body);
	free(d->runs);
	free(d);
}

/* The bytes of one feed, from chunk_base: scanned, written as far as no
 * match can reach, the rest kept. */
static void
feed_chunk(struct masker *m, const unsigned char *buf, size_t len)
{
	m->chunk = buf;
	m->chunk_base = m->pos;
	m->esc_at = 0;
	m->glyph_at = 0;
	m->bar_at = 0;
	m->pending = false;
	if (m->plain_until == UINT64_MAX) {
		/* a run judged plain went on past the last chunk: where it
		 * ends in this one (trail_ahead reads a run to its end,
		 * whatever it finds there) */
		size_t end;

		(void)trail_ahead(&m->reader, buf, len, 0, &end);
		if (end < len || m->final)
			m->plain_until = m->chunk_base + end;
	}
	scan(m, buf, len);
	soft_line_note(m, buf, (size_t)(m->pos - m->chunk_base));
	/* (a pending run is read with the next chunk) */
	if (m->det != NULL)
		detect_scan(m, buf, (size_t)(m->pos - m->chunk_base));
	settle(m, hold_point(m));
	carry_keep(m, buf, len);
	m->chunk = NULL;
}

/*
 * The run of blanks the last feed ended in (pending, kept last in the
 * carry: TRAIL_MAX bytes at most), or an indent's E2 it ended 2 bytes
 * or fewer after, before buf. Its end is looked for in
 * it and buf's first bytes, in one small block; the run is then scanned
 * alone, judged, and buf after it. When buf ends inside the run too,
 * the run and buf are scanned as one chunk (pending again).
 */
static void
feed_pending(struct masker *m, const unsigned char *buf, size_t len)
{
	size_t held = (size_t)(m->carry_base + m->carry_len - m->pos);
	size_t look = len < TRAIL_MAX + 1 ? len : TRAIL_MAX + 1;
	size_t need = held + look, end;
	enum trail_verdict v;

	if (need > m->scratch_cap) {
		secmem_free(m->scratch);
		m->scratch_cap = 2 * (TRAIL_MAX + 1) + 16;
		if (m->scratch_cap < need)
			m->scratch_cap = need;
		m->scratch = secmem_alloc(m->scratch_cap);
	}
	memcpy(m->scratch, m->carry + (m->pos - m->carry_base), held);
	if (look > 0)
		memcpy(m->scratch + held, buf, look);
	/* the carry ends where the block begins */
	sodium_memzero(m->carry + (m->pos - m->carry_base), held);
	m->carry_len -= held;
	if (is_soft_mark(m->scratch[0])) {
		/* a fold's mark maybe (mark_judge), not a run of blanks */
		if (need < 2) {
			feed_chunk(m, m->scratch, need); /* again, or final */
		} else {
			m->mark_judged = m->pos;
			m->mark_is =
			    (m->scratch[1] == '\r' || m->scratch[1] == '\n') &&
			    soft_column(m->scratch[0],
			                m->pos - m->soft_line + 1);
			feed_chunk(m, m->scratch, held);
			feed_chunk(m, buf, len);
		}
		sodium_memzero(m->scratch, need);
		return;
	}
	if (m->scratch[0] == 0xe2) {
		/* an indent's E2 (glyph_judge), not a run of blanks */
		if (need < 3) {
			feed_chunk(m, m->scratch, need); /* again, or final */
		} else {
			m->glyph_judged = m->pos;
			m->glyph_is = is_box_glyph(m->scratch, 3);
			feed_chunk(m, m->scratch, held);
			feed_chunk(m, buf, len);
		}
		sodium_memzero(m->scratch, need);
		return;
	}
	v = trail_ahead(&m->reader, m->scratch, need, 0, &end);
	if ((v == TRAIL_OPEN || v == TRAIL_OPEN_ONE) && look == len) {
		feed_chunk(m, m->scratch, need); /* pending again, or final */
	} else {
		if (v == TRAIL_YES)
			m->trail_until = m->pos + end;
		else /* past look, the run is too long to end its line */
			m->plain_until = end < need ? m->pos + end : UINT64_MAX;
		m->after = buf;
		m->after_len = len;
		feed_chunk(m, m->scratch, held);
		m->after = NULL;
		if (len > 0)
			feed_chunk(m, buf, len);
	}
	sodium_memzero(m->scratch, need);
}

void
masker_feed(struct masker *m, const unsigned char *buf, size_t len)
{
	if (len == 0)
		return;
	if (m->pending)
		feed_pending(m, buf, len);
	else
		feed_chunk(m, buf, len);
}

/* No more input, or none for a while (masker_idle): a run of blanks
 * pending is plain (no line break came after it). */
static void
pending_plain(struct masker *m)
{
	if (!m->pending)
		return;
	m->final = true;
	feed_pending(m, NULL, 0);
	m->final = false;
}

void
masker_finish(struct masker *m)
{
	pending_plain(m);
	m->chunk = m->carry + m->carry_len; /* nothing past the carry */
	m->chunk_base = m->pos;
	/* A partial match the input ends in is a value cut there, as one
	 * a line ends in is (line_end): output cut short, a program killed
	 * while it printed. (Written as it was, a value's hex cut by head
	 * -c showed whole: only the raw value has pieces of its own.) Not
	 * where a mask ends a byte before it: a longer form of a value
	 * matched whole (its padding, a closing quote) is no cut. */
	if (m->state != 0) {
		uint32_t maker, depth = node_place(m, m->state, &maker);

		if (depth >= PIECE_MIN && !cut_masked(m, maker, depth))
			piece_add(m, maker, depth, PIECE_MIN);
	}
	if (m->det != NULL) {
		for (size_t i = 0; i < m->det->run_count; i++)
			token_end(m, &m->det->runs[i]);
		m->det->run_count = 0;
		m->det->state = 0;
	}
	for (size_t i = 0; i < m->iv_count; i++)
		emit_mask(m, &m->iv[i]);
	m->iv_count = 0;
	emit_plain(m, m->pos);
	m->state = 0;
	sodium_memzero(m->carry, m->carry_cap);
	m->carry_len = 0;
	m->carry_base = m->pos;
}

void
masker_cursor(const struct masker *m, struct find_cursor *c)
{
	c->state = m->state;
	c->separators = m->separators;
}

bool
masker_holding(const struct masker *m)
{
	return m->out_pos < m->line_start || m->pending;
}

void
masker_idle(struct masker *m)
{
	pending_plain(m);
	if (!masker_holding(m))
		return;
	/* the held lines go as they are masked now: a match that ends
	 * later masks its part after them */
	m->commit = m->line_start;
	m->chunk = m->carry + m->carry_len; /* nothing past the carry */
	m->chunk_base = m->pos;
	settle(m, hold_point(m));
	carry_keep(m, m->chunk, 0);
	m->chunk = NULL;
}

/* A memo of 1 << bits entries of each bytes, all empty (node 0): its
 * pages are made as the scan first writes them, so a run that masks
 * little holds little of them (at 10,000 values, 944 KiB in all). */
static void *
memo_new(size_t each, unsigned bits)
{
	return secmem_alloc_sparse(each << bits);
}

struct masker *
masker_new(const struct automaton *a, const struct pattern_set *ps,
           const char *format, sink_fn sink, void *ctx)
{
	struct masker *m = calloc(1, sizeof(*m));
	size_t ring = 1;

	if (m == NULL)
		abort();
	while (ring <= ps->max_len)
		ring <<= 1;
	m->a = a;
	m->ps = ps;
	m->format = format;
	m->sink = sink;
	m->ctx = ctx;
	m->ring = calloc(ring, sizeof(*m->ring));
	m->ring_mask = ring - 1;
	m->counts =
	    calloc(ps->name_count ? ps->name_count : 1, sizeof(*m->counts));
	if (m->ring == NULL || m->counts == NULL)
		abort();
	/* A partial match spans max_len bytes and the separators after
	 * each; escape sequences between them make it longer, and then
	 * the carry grows. */
	m->carry_cap = (size_t)ps->max_len * (SEPARATOR_MAX + 1) + 16;
	if (ps->detect) {
		m->det = detector_new(ps);
		if (m->carry_cap < DETECT_SPAN_MAX + 16)
			m->carry_cap = DETECT_SPAN_MAX + 16;
	}
	m->carry = secmem_alloc(m->carry_cap);
	m->memo_bits = STEP_MEMO_BITS_MIN;
	while (m->memo_bits < STEP_MEMO_BITS_MAX &&
	       ((size_t)STEP_MEMO_NODES << m->memo_bits) < a->count)
		m->memo_bits++;
	m->memo = memo_new(sizeof(*m->memo), m->memo_bits);
	m->fail_bits = m->memo_bits - 2;
	m->fails = memo_new(sizeof(*m->fails), m->fail_bits);
	m->place_bits = m->memo_bits - 4;
	m->places = memo_new(sizeof(*m->places), m->place_bits);
	m->glyph_judged = UINT64_MAX;
	m->mark_judged = m->mark_plain = UINT64_MAX;
	m->blank_starts = a->root_next[' '] != 0 || a->root_next['\t'] != 0 ||
	                  a->root_next['|'] != 0 || a->root_next[0xe2] != 0 ||
	                  a->root_next[0x94] != 0 || a->root_next[0x95] != 0;
	for (unsigned c = 0x80; c <= 0xbf; c++)
		m->blank_starts = m->blank_starts || a->root_next[c] != 0;
	return m;
}

const uint64_t *
masker_counts(const struct masker *m)
{
	return m->counts;
}

uint64_t
masker_bytes_in(const struct masker *m)
{
	return m->pos;
}

uint64_t
masker_bytes_out(const struct masker *m)
{
	return m->bytes_out;
}

void
masker_free(struct masker *m)
{
	if (m == NULL)
		return;
	secmem_free(m->carry);
	secmem_free(m->scratch);
	secmem_free(m->memo);
	secmem_free(m->fails);
	secmem_free(m->places);
	detector_free(m->det);
	free(m->ring);
	free(m->counts);
	free(m->iv);
	free(m);
}

void
automaton_find(const struct automaton *a, struct find_cursor *c,
               const unsigned char *buf, size_t len, find_fn found, void *ctx)
{
	uint32_t state = c->state;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\r' || buf[i] == '\n') {
			if (state != 0 && c->separators < SEPARATOR_MAX)
				c->separators++;
			else
				state = 0;
			continue;
		}
		c->separators = 0;
		c->seen++;
		state = step(a, state, buf[i]);
		if (!(a->cell[state].flags & NODE_REPORTS))
			continue;
		for (uint32_t node = state; node != 0;
		     node = node_dict(a, node))
			for (uint32_t k = node_own(a, node); k != NONE;
			     k = pattern_next(a, k))
				found(ctx, &a->ps->items[k], c->seen);
	}
	c->state = state;
}

const struct pattern *
automaton_partial(const struct automaton *a, uint32_t state, uint32_t *depth)
{
	*depth = node_depth(a, state);
	return state == 0 ? NULL : &a->ps->items[node_maker(a, state)];
}

const struct pattern *
automaton_partial_unarmoured(const struct automaton *a, uint32_t state,
                             uint32_t *depth)
{
	/* a node's path starts with the armour or not, whatever pattern
	 * made it: its failure links lead to shorter suffixes */
	while (state != 0 && pattern_armoured(a, node_maker(a, state)))
		state = fail_of(a, state);
	return automaton_partial(a, state, depth);
}

/* The filter first (in the cache when the patterns are few), then the
 * trie's first 4 levels: the root's table and the busy nodes' ones. */
bool
automaton_starts(const struct automaton *a, const unsigned char *p)
{
	uint32_t s = 0;

	if (a->filter != NULL && !filter_has(a, p))
		return false;
	for (size_t k = 0; k < QGRAM; k++)
		if ((s = child_of(a, s, p[k])) == 0)
			return false;
	return true;
}

void
masker_count(struct masker *m, uint32_t secret)
{
	m->counts[secret]++;
}

/*
 * The automaton as image sections: its counts, then each table as the
 * masker reads it. Read back, the tables point into the image.
 */
enum {
	AI_COUNT,
	AI_FAR_MASK,
	AI_FAR_COUNT,
	AI_EXTRA_COUNT,
	AI_FILTER_BITS,
	AI_STRIDE,
	AI_DENSE_COUNT,
	AI_DENSE_LEN,
	AI_DENSE_SLOT_MASK,
	AI_SLOT_SIZE,
	AI_HAS_FAR,
	AI_HAS_FILTER,
	AI_DEEP_COUNT,
	AI_NEXT_BITS,
	AI_BOTH_BITS,
	AI_FIELDS
};

static size_t
maker_blocks(size_t count)
{
	return ((count - 1) >> MAKER_SHIFT) + 1;
}

/* A pair table's slots, when it has some (its bits are a field). */
static void
pair_image_put(const struct pair_table *t, struct image_writer *w)
{
	if (t->slots != NULL)
		image_put(w, t->slots, sizeof(*t->slots) << t->bits);
}

static void
pair_image_get(struct pair_table *t, struct image_reader *r, uint64_t bits)
{
	if (bits == 0)
		return;
	t->bits = (unsigned)bits;
	t->slots = image_get_array(r, (size_t)1 << t->bits, sizeof(*t->slots));
}

void
automaton_image_put(const struct automaton *a, struct image_writer *w)
{
	uint64_t f[AI_FIELDS] = {
	    [AI_COUNT] = a->count,
	    [AI_FAR_MASK] = a->far_mask,
	    [AI_FAR_COUNT] = a->far_count,
	    [AI_EXTRA_COUNT] = a->extra_count,
	    [AI_FILTER_BITS] = a->filter_bits,
	    [AI_STRIDE] = a->stride,
	    [AI_DENSE_COUNT] = a->dense_count,
	    [AI_DENSE_LEN] = a->dense_len,
	    [AI_DENSE_SLOT_MASK] = a->dense_slot_mask,
	    [AI_SLOT_SIZE] = a->slot_size,
	    [AI_HAS_FAR] = a->far != NULL,
	    [AI_HAS_FILTER] = a->filter != NULL,
	    [AI_DEEP_COUNT] = a->deep_count,
	    [AI_NEXT_BITS] = a->nexts.slots != NULL ? a->nexts.bits : 0,
	    [AI_BOTH_BITS] =
	        a->both_dicts.slots != NULL ? a->both_dicts.bits : 0,
	};

	image_put(w, f, sizeof(f));
	image_put(w, a->root_next, 256 * sizeof(*a->root_next));
	/* The masker reads 4 bytes of cell from a node's flags on. */
	image_put_padded(w, a->cell, a->count * sizeof(*a->cell), 4);
	image_put(w, a->fail_depth, a->count);
	if (a->far != NULL)
		image_put(w, a->far, (a->far_mask + 1) * sizeof(*a->far));
	image_put(w, a->extra, a->extra_count * sizeof(*a->extra));
	if (a->filter != NULL)
		image_put(w, a->filter, ((size_t)1 << a->filter_bits) / 8);
	image_put(w, a->dense, a->dense_len * sizeof(*a->dense));
	image_put(w, a->dense_slots,
	          (a->dense_slot_mask + 1) * sizeof(*a->dense_slots));
	image_put(w, a->made_from, made_bytes(a->ps->count));
	image_put(w, a->deep, a->deep_count * sizeof(*a->deep));
	pair_image_put(&a->nexts, w);
	pair_image_put(&a->both_dicts, w);
	image_put(w, a->maker_index,
	          maker_blocks(a->count) * sizeof(*a->maker_index));
	image_put(w, a->slots, a->slot_size * sizeof(*a->slots));
	image_put(w, a->ranks, (a->count / RANK_BLOCK + 1) * sizeof(*a->ranks));
	image_put(w, a->armour,
	          armour_words(a->ps->count) * sizeof(*a->armour));
}

/* Whether every busy node's table read is within the tables read. */
static bool
dense_slots_fit(const struct automaton *a)
{
	for (size_t k = 0; k <= a->dense_slot_mask; k++) {
		const struct dense_slot *d = &a->dense_slots[k];

		if (d->node != 0 && (d->node > a->count ||
		                     (uint64_t)d->at + d->last >= a->dense_len))
			return false;
	}
	return true;
}

/* A mask is one less than a power of two. */
static bool
is_mask(uint64_t m)
{
	return m < UINT32_MAX && (m & (m + 1)) == 0;
}

struct automaton *
automaton_image_get(struct image_reader *r, struct pattern_set *ps)
{
	const uint64_t *f = image_get(r, AI_FIELDS * sizeof(uint64_t));
	struct automaton *a;
	size_t n;

	if (f == NULL || f[AI_COUNT] == 0 || f[AI_COUNT] >= UINT32_MAX ||
	    !is_mask(f[AI_FAR_MASK]) || !is_mask(f[AI_DENSE_SLOT_MASK]) ||
	    f[AI_SLOT_SIZE] == 0 || f[AI_SLOT_SIZE] >= UINT32_MAX ||
	    f[AI_EXTRA_COUNT] >= UINT32_MAX ||
	    f[AI_DENSE_COUNT] >= UINT32_MAX || f[AI_DENSE_LEN] >= UINT32_MAX ||
	    f[AI_DEEP_COUNT] > ps->count || f[AI_NEXT_BITS] > 31 ||
	    f[AI_BOTH_BITS] > 31 ||
	    (f[AI_HAS_FILTER] && (f[AI_FILTER_BITS] < FILTER_BITS_MIN ||
	                          f[AI_FILTER_BITS] > FILTER_BITS_MAX)))
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		abort();
	a->image = true;
	a->links_lazy = true;
	a->ps = ps;
	a->count = a->cap = f[AI_COUNT];
	a->far_mask = f[AI_FAR_MASK];
	a->far_count = f[AI_FAR_COUNT];
	a->extra_count = a->extra_cap = f[AI_EXTRA_COUNT];
	a->filter_bits = (unsigned)f[AI_FILTER_BITS];
	a->stride = f[AI_STRIDE];
	a->dense_count = a->dense_cap = a->dense_most = f[AI_DENSE_COUNT];
	a->dense_len = f[AI_DENSE_LEN];
	a->dense_slot_mask = f[AI_DENSE_SLOT_MASK];
	a->slot_size = f[AI_SLOT_SIZE];
	n = a->count;
	a->root_next = image_get(r, 256 * sizeof(*a->root_next));
	a->cell = image_get_array(r, n + 2, sizeof(*a->cell));
	a->fail_depth = image_get(r, n);
	if (f[AI_HAS_FAR])
		a->far = image_get_array(r, a->far_mask + 1, sizeof(*a->far));
	a->extra = image_get_array(r, a->extra_count, sizeof(*a->extra));
	if (f[AI_HAS_FILTER])
		a->filter = image_get(r, ((size_t)1 << a->filter_bits) / 8);
	a->tables = (unsigned char *)a->filter;
	a->dense = image_get_array(r, a->dense_len, sizeof(*a->dense));
	a->dense_slots =
	    image_get_array(r, a->dense_slot_mask + 1, sizeof(*a->dense_slots));
	a->made_from = image_get(r, made_bytes(ps->count));
	a->made_parent = a->made_from + ps->count + 1;
	a->made_depth = (uint8_t *)(a->made_parent + ps->count + 1);
	a->deep_count = f[AI_DEEP_COUNT];
	a->deep = image_get_array(r, a->deep_count, sizeof(*a->deep));
	pair_image_get(&a->nexts, r, f[AI_NEXT_BITS]);
	pair_image_get(&a->both_dicts, r, f[AI_BOTH_BITS]);
	a->maker_index =
	    image_get_array(r, maker_blocks(n), sizeof(*a->maker_index));
	a->slots = image_get_array(r, a->slot_size, sizeof(*a->slots));
	a->ranks = image_get_array(r, n / RANK_BLOCK + 1, sizeof(*a->ranks));
	a->armour =
	    image_get_array(r, armour_words(ps->count), sizeof(*a->armour));
	if (r->bad || !dense_slots_fit(a)) {
		free(a);
		return NULL;
	}
	return a;
}
