/* layout.h — shared vocabulary of the pure geometry code (layout_*.c).
 *
 * Owns: text measurement as an interface (the real one is backed by
 * SDL_ttf in text.c, tests use a fixed-advance fake), the UI scale and
 * font sizes, number formatting, word wrapping. Must not: include SDL. */
#ifndef BRKSIM_GUI_LAYOUT_H
#define BRKSIM_GUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"

/* Measures text. Both callbacks are required. */
typedef struct gui_metrics {
	void *ctx;
	/* Width in pixels of `len` bytes of UTF-8 at `font_px`. */
	int (*text_width)(void *ctx, int font_px, bool bold, const char *utf8, size_t len);
	/* Distance between baselines of consecutive lines at `font_px`. */
	int (*line_height)(void *ctx, int font_px);
} gui_metrics;

static inline int gui_text_width(const gui_metrics *m, int px, bool bold, const char *s, size_t len)
{
	return m->text_width(m->ctx, px, bold, s, len);
}

/* Font sizes and spacing for a window size. Everything scales with
 * min(w / 1920, h / 1080) so 1280×720 is the 1080p layout at 2/3; sizes
 * have floors so a projector at the back of a room can still read them. */
typedef struct gui_scale {
	float unit;   /* 1.0 at 1920×1080 */
	int pad;      /* outer margin and panel padding */
	int title_px;
	int caption_px;
	int body_px;  /* panels, legend, labels on chunks */
	int small_px; /* axis ticks, timeline labels */
} gui_scale;
gui_scale gui_scale_for(int width, int height);

/* "0 B", "512 B", "4 KiB", "3.4 KiB", "1.5 MiB", "2 GiB". */
void gui_format_size(uint64_t bytes, char *out, size_t out_size);
/* "0x21000". */
void gui_format_hex(uint64_t value, char *out, size_t out_size);
/* The address axis's label of `at`, a multiple of `step` (a power of two,
 * gui_bar_tick_step's): "0"; below a KiB a step, hex; else exact, in the
 * label's own unit ("768 KiB", "1.25 MiB": gui_format_size's tenths said
 * "1.3 MiB" there), or in the unit below where quarters would not do
 * ("1152 KiB" in steps of 128 KiB). */
void gui_format_tick(uint64_t at, uint64_t step, char *out, size_t out_size);

/* Number of bytes of the UTF-8 character starting at s[0] (1 for bytes
 * that do not start a valid sequence, so broken input still advances). */
size_t gui_utf8_char_len(const char *s, size_t remaining);
/* True for characters after which a line may break even without a space
 * (CJK ideographs, kana, fullwidth punctuation). */
bool gui_utf8_breaks_anywhere(const char *s, size_t len);

/* Splits text into lines no wider than max_width, breaking at spaces for
 * Latin text and between characters for CJK, honouring '\n'. A word wider
 * than the line is broken between characters. Writes (offset, length)
 * pairs of at most max_lines lines; returns the number of lines the whole
 * text needs (may exceed max_lines). */
typedef struct gui_line_span {
	size_t offset, len;
} gui_line_span;
size_t gui_wrap(const gui_metrics *m, int px, bool bold, const char *text, size_t len, int max_width,
		gui_line_span *lines, size_t max_lines);

/* Longest prefix of text (whole characters) that fits in max_width with
 * "…" appended when cut; writes it to out (NUL-terminated). */
void gui_ellipsize(const gui_metrics *m, int px, bool bold, const char *text, int max_width, char *out,
		   size_t out_size);

#endif
