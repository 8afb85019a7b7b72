/* draw.h — a frame as data: the draw commands the layout emits and the
 * renderer executes.
 *
 * Owns: the command list and its text arena. Must not: include SDL or
 * touch a screen. Keeping draw calls as data (as rxi/lite's rencache does)
 * lets the whole frame be built and inspected by tests without a display. */
#ifndef BRKSIM_GUI_DRAW_H
#define BRKSIM_GUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0xRRGGBBAA */
typedef uint32_t gui_rgba;

typedef struct gui_rect {
	float x, y, w, h;
} gui_rect;

typedef enum gui_cmd_kind {
	GUI_CMD_FILL = 0, /* rect filled with color (alpha blended) */
	GUI_CMD_OUTLINE,  /* rect outline, `width` pixels inward */
	GUI_CMD_LINE,     /* (x0,y0)-(x1,y1), `width` pixels thick */
	GUI_CMD_HATCH,    /* rect covered with 45° lines `width` px apart */
	GUI_CMD_TRIANGLE, /* filled triangle (x0,y0) (x1,y1) (x2,y2) */
	GUI_CMD_TEXT,     /* text at (x0,y0) = top-left/center/right of its box */
	GUI_CMD_CLIP,     /* clip later commands to rect; w = 0 resets */
	GUI_CMD_KIND_COUNT
} gui_cmd_kind;

typedef enum gui_align { GUI_ALIGN_LEFT = 0, GUI_ALIGN_CENTER, GUI_ALIGN_RIGHT } gui_align;

typedef struct gui_cmd {
	uint8_t kind;  /* gui_cmd_kind */
	uint8_t align; /* gui_align, TEXT only */
	uint8_t bold;  /* TEXT only */
	uint8_t font_px; /* TEXT only: font size in pixels */
	gui_rgba color;
	float x0, y0, x1, y1, x2, y2; /* FILL/OUTLINE/HATCH/CLIP: x0,y0 = origin, x1,y1 = size */
	float width;                  /* line width, outline width, hatch spacing */
	uint32_t text_offset, text_len;
} gui_cmd;

/* Invariant: every cmd's [text_offset, text_offset + text_len) lies in
 * text[0, text_len); text is NUL-terminated after each string. */
typedef struct gui_drawlist {
	gui_cmd *cmds;
	size_t count, capacity;
	char *text;
	size_t text_size, text_capacity;
	bool out_of_memory; /* a push failed; the frame is incomplete */
} gui_drawlist;

void gui_drawlist_init(gui_drawlist *list);
void gui_drawlist_clear(gui_drawlist *list);
void gui_drawlist_release(gui_drawlist *list);

void gui_draw_fill(gui_drawlist *list, gui_rect rect, gui_rgba color);
void gui_draw_outline(gui_drawlist *list, gui_rect rect, float width, gui_rgba color);
void gui_draw_line(gui_drawlist *list, float x0, float y0, float x1, float y1, float width, gui_rgba color);
void gui_draw_hatch(gui_drawlist *list, gui_rect rect, float spacing, gui_rgba color);
void gui_draw_triangle(gui_drawlist *list, float x0, float y0, float x1, float y1, float x2, float y2,
		       gui_rgba color);
/* Copies `len` bytes of UTF-8 (len = SIZE_MAX: up to the NUL). */
void gui_draw_text(gui_drawlist *list, float x, float y, int font_px, bool bold, gui_align align,
		   gui_rgba color, const char *utf8, size_t len);
void gui_draw_clip(gui_drawlist *list, gui_rect rect);
void gui_draw_unclip(gui_drawlist *list);

static inline const char *gui_cmd_text(const gui_drawlist *list, const gui_cmd *cmd)
{
	return list->text + cmd->text_offset;
}

/* Occlusion: when the first command is an opaque fill of the whole
 * width × height target (the background), replaces it by the pieces that
 * later opaque fills do not cover (taking clips into account). What the
 * list draws stays the same pixel for pixel (rects are snapped to whole
 * pixels as the renderer snaps them); a software renderer saves the
 * covered area. Returns the pixels saved; 0 (list unchanged) when there is
 * nothing to do or memory runs out. */
size_t gui_drawlist_cull_background(gui_drawlist *list, int width, int height);

/* Segments of 45° hatch lines (rising to the right) clipped to `rect`,
 * spaced `spacing` pixels apart along x and anchored at x = 0 so that
 * neighbouring rects line up. Writes up to `max` segments as
 * x0,y0,x1,y1 quadruples into out and returns how many there are. */
size_t gui_hatch_segments(gui_rect rect, float spacing, float *out, size_t max);

/* Colour helpers. */
static inline gui_rgba gui_rgba_make(uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
	return ((gui_rgba)r << 24) | ((gui_rgba)g << 16) | ((gui_rgba)b << 8) | a;
}
static inline uint8_t gui_rgba_r(gui_rgba c) { return (uint8_t)(c >> 24); }
static inline uint8_t gui_rgba_g(gui_rgba c) { return (uint8_t)(c >> 16); }
static inline uint8_t gui_rgba_b(gui_rgba c) { return (uint8_t)(c >> 8); }
static inline uint8_t gui_rgba_a(gui_rgba c) { return (uint8_t)c; }
gui_rgba gui_rgba_with_alpha(gui_rgba c, float alpha); /* alpha 0..1 multiplies */
gui_rgba gui_rgba_mix(gui_rgba a, gui_rgba b, float t);  /* t = 0: a, 1: b */

#endif
