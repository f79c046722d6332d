/* SPDX-License-Identifier: ISC */
/* Terminal escape sequences as noise between a value's characters: the
 * reader that tells them apart from the text (NOISE_GAP_MAX in engine.h),
 * and a line's indent and trailing blanks, box borders among them
 * (INDENT_MAX, TRAIL_MAX). */
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* The escape-sequence reader (see NOISE_GAP_MAX in engine.h). */
enum {
	NOISE_GROUND,
	NOISE_ESC,
	NOISE_INTER,
	NOISE_CSI,
	NOISE_OSC,
	NOISE_OSC_ESC,
	NOISE_BOX,
	NOISE_BOX_LAST
};

static bool
noise_goes_on(struct noise_reader *r, unsigned char c, bool *last)
{
	*last = false;
	switch (r->state) {
	case NOISE_ESC:
		if (c == '[' || c == ']' || (c >= 0x20 && c <= 0x2f)) {
			r->state = c == '['   ? NOISE_CSI
			           : c == ']' ? NOISE_OSC
			                      : NOISE_INTER;
			return true;
		}
		return (*last = c >= 0x30 && c <= 0x7e);
	case NOISE_INTER:
		if (c >= 0x20 && c <= 0x2f)
			return true;
		return (*last = c >= 0x30 && c <= 0x7e);
	case NOISE_CSI:
		if (c >= 0x20 && c <= 0x3f)
			return true;
		return (*last = c >= 0x40 && c <= 0x7e);
	case NOISE_OSC:
		if (c == 0x1b) {
			r->state = NOISE_OSC_ESC;
			return true;
		}
		return (*last = c == 0x07) || c >= 0x20;
	default: /* NOISE_OSC_ESC: ESC \ is the string terminator */
		return (*last = c == '\\');
	}
}

enum byte_class
noise_read(struct noise_reader *r, unsigned char c)
{
	bool last;

	if (r->state == NOISE_BOX || r->state == NOISE_BOX_LAST) {
		/* the rest of an indent's border glyph (noise_read_at) */
		r->state =
		    r->state == NOISE_BOX ? NOISE_BOX_LAST : NOISE_GROUND;
		return BYTE_INDENT;
	}
	if (r->state == NOISE_OSC_ESC && c != '\\') {
		/* ESC ends the string and begins an escape of its own */
		r->state = NOISE_ESC;
		r->len = 1;
	}
	if (r->state != NOISE_GROUND) {
		if (r->len < NOISE_SEQ_MAX && noise_goes_on(r, c, &last)) {
			r->len++;
			if (last)
				r->state = NOISE_GROUND;
			return BYTE_NOISE;
		}
		r->state = NOISE_GROUND; /* it ends here: c is read anew */
	}
	if (c == 0x1b) {
		r->state = NOISE_ESC;
		r->len = 1;
		return BYTE_NOISE;
	}
	if (c == '\r' || c == '\n') {
		if (c == '\n')
			r->fresh = true;
		return BYTE_BREAK;
	}
	if (r->fresh && (is_blank(c) || c == '|'))
		return BYTE_INDENT;
	r->fresh = false;
	return BYTE_PLAIN;
}

enum byte_class
noise_glyph(struct noise_reader *r)
{
	r->state = NOISE_BOX;
	return BYTE_INDENT;
}

enum byte_class
noise_read_at(struct noise_reader *r, const unsigned char *p, size_t n)
{
	if (r->state == NOISE_GROUND && r->fresh && n >= 3 &&
	    is_box_glyph(p, 3))
		return noise_glyph(r);
	return noise_read(r, p[0]);
}

enum trail_verdict
trail_ahead(const struct noise_reader *r, const unsigned char *buf, size_t len,
            size_t i, size_t *end)
{
	struct noise_reader copy = *r;
	size_t j = i, blanks = 0;
	bool open = false;

	for (; j < len; j++) {
		/* in the ground state after a line's first character, every
		 * byte but ESC, CR and LF is plain: no call for those */
		enum byte_class k = copy.state == NOISE_GROUND && !copy.fresh &&
		                            buf[j] != 0x1b && buf[j] != '\r' &&
		                            buf[j] != '\n'
		                        ? BYTE_PLAIN
		                        : noise_read(&copy, buf[j]);

		if (k == BYTE_BREAK && j - i <= TRAIL_MAX && blanks >= 2) {
			*end = j;
			return TRAIL_YES;
		}
		if (k == BYTE_PLAIN && is_blank(buf[j])) {
			blanks++;
			continue;
		}
		if (k == BYTE_NOISE)
			continue;
		/* a border's glyph counts as two blanks: one alone before
		 * it makes a run ("value |") */
		if (k == BYTE_PLAIN && buf[j] == '|') {
			blanks += 2;
			continue;
		}
		if (k != BYTE_PLAIN || buf[j] != 0xe2)
			break;
		if (len - j < 3 && is_box_glyph(buf + j, len - j)) {
			open = true;
			j = len;
			break;
		}
		if (len - j < 3 || !is_box_glyph(buf + j, 3))
			break;
		blanks += 2;
		j += 2;
	}
	*end = j;
	if ((j < len && !open) || j - i > TRAIL_MAX)
		return TRAIL_NO;
	return blanks >= 2 ? TRAIL_OPEN : TRAIL_OPEN_ONE;
}
