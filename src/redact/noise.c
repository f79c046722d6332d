/* SPDX-License-Identifier: ISC */
/* Terminal escape sequences as noise between a value's characters: the
 * reader that tells them apart from the text (NOISE_GAP_MAX in engine.h). */
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* The escape-sequence reader (see NOISE_GAP_MAX in engine.h). */
enum { NOISE_GROUND, NOISE_ESC, NOISE_INTER, NOISE_CSI, NOISE_OSC,
       NOISE_OSC_ESC };

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
	if (r->fresh && is_blank(c))
		return BYTE_INDENT;
	r->fresh = false;
	return BYTE_PLAIN;
}
