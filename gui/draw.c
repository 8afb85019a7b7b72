/* draw.c — the draw list: append-only commands plus a text arena.
 *
 * Owns: growth of the two buffers, hatch clipping, colour maths. Must not:
 * include SDL. A failed allocation marks the list out_of_memory and drops
 * the command instead of crashing mid-frame. */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gui_drawlist_init(gui_drawlist *list)
{
	memset(list, 0, sizeof *list);
}

void gui_drawlist_clear(gui_drawlist *list)
{
	list->count = 0;
	list->text_size = 0;
	list->out_of_memory = false;
}

void gui_drawlist_release(gui_drawlist *list)
{
	free(list->cmds);
	free(list->text);
	gui_drawlist_init(list);
}

/* Returns a zeroed slot at the end of the list, or NULL when out of memory. */
static gui_cmd *push(gui_drawlist *list, gui_cmd_kind kind, gui_rgba color)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 1024;
		gui_cmd *cmds = realloc(list->cmds, capacity * sizeof *cmds);
		if (!cmds) {
			list->out_of_memory = true;
			return NULL;
		}
		list->cmds = cmds;
		list->capacity = capacity;
	}
	gui_cmd *cmd = &list->cmds[list->count++];
	memset(cmd, 0, sizeof *cmd);
	cmd->kind = (uint8_t)kind;
	cmd->color = color;
	return cmd;
}

static void set_rect(gui_cmd *cmd, gui_rect rect)
{
	cmd->x0 = rect.x;
	cmd->y0 = rect.y;
	cmd->x1 = rect.w;
	cmd->y1 = rect.h;
}

void gui_draw_fill(gui_drawlist *list, gui_rect rect, gui_rgba color)
{
	if (rect.w <= 0 || rect.h <= 0 || gui_rgba_a(color) == 0)
		return;
	gui_cmd *cmd = push(list, GUI_CMD_FILL, color);
	if (cmd)
		set_rect(cmd, rect);
}

void gui_draw_outline(gui_drawlist *list, gui_rect rect, float width, gui_rgba color)
{
	if (rect.w <= 0 || rect.h <= 0 || gui_rgba_a(color) == 0)
		return;
	gui_cmd *cmd = push(list, GUI_CMD_OUTLINE, color);
	if (cmd) {
		set_rect(cmd, rect);
		cmd->width = width;
	}
}

void gui_draw_line(gui_drawlist *list, float x0, float y0, float x1, float y1, float width, gui_rgba color)
{
	if (gui_rgba_a(color) == 0)
		return;
	gui_cmd *cmd = push(list, GUI_CMD_LINE, color);
	if (cmd) {
		cmd->x0 = x0;
		cmd->y0 = y0;
		cmd->x1 = x1;
		cmd->y1 = y1;
		cmd->width = width;
	}
}

void gui_draw_hatch(gui_drawlist *list, gui_rect rect, float spacing, gui_rgba color)
{
	if (rect.w <= 0 || rect.h <= 0 || spacing < 2 || gui_rgba_a(color) == 0)
		return;
	gui_cmd *cmd = push(list, GUI_CMD_HATCH, color);
	if (cmd) {
		set_rect(cmd, rect);
		cmd->width = spacing;
	}
}

void gui_draw_triangle(gui_drawlist *list, float x0, float y0, float x1, float y1, float x2, float y2,
		       gui_rgba color)
{
	gui_cmd *cmd = push(list, GUI_CMD_TRIANGLE, color);
	if (cmd) {
		cmd->x0 = x0;
		cmd->y0 = y0;
		cmd->x1 = x1;
		cmd->y1 = y1;
		cmd->x2 = x2;
		cmd->y2 = y2;
	}
}

void gui_draw_text(gui_drawlist *list, float x, float y, int font_px, bool bold, gui_align align,
		   gui_rgba color, const char *utf8, size_t len)
{
	if (!utf8)
		return;
	if (len == SIZE_MAX)
		len = strlen(utf8);
	if (len == 0 || len > UINT32_MAX / 2)
		return;
	if (list->text_size + len + 1 > list->text_capacity) {
		size_t capacity = list->text_capacity ? list->text_capacity : 16384;
		while (capacity < list->text_size + len + 1)
			capacity *= 2;
		char *text = realloc(list->text, capacity);
		if (!text) {
			list->out_of_memory = true;
			return;
		}
		list->text = text;
		list->text_capacity = capacity;
	}
	gui_cmd *cmd = push(list, GUI_CMD_TEXT, color);
	if (!cmd)
		return;
	cmd->x0 = x;
	cmd->y0 = y;
	cmd->font_px = (uint8_t)(font_px < 6 ? 6 : font_px > 255 ? 255 : font_px);
	cmd->bold = bold;
	cmd->align = (uint8_t)align;
	cmd->text_offset = (uint32_t)list->text_size;
	cmd->text_len = (uint32_t)len;
	memcpy(list->text + list->text_size, utf8, len);
	list->text[list->text_size + len] = '\0';
	list->text_size += len + 1;
}

void gui_draw_clip(gui_drawlist *list, gui_rect rect)
{
	gui_cmd *cmd = push(list, GUI_CMD_CLIP, 0);
	if (cmd) {
		set_rect(cmd, rect);
		if (cmd->x1 <= 0)
			cmd->x1 = 0.001f; /* an empty clip still clips everything */
	}
}

void gui_draw_unclip(gui_drawlist *list)
{
	(void)push(list, GUI_CMD_CLIP, 0);
}

/* Integer rect [x0, x1) × [y0, y1), as the renderer snaps a float rect. */
typedef struct irect {
	int x0, y0, x1, y1;
} irect;

static irect snap_rect(float x, float y, float w, float h)
{
	return (irect){(int)floorf(x + 0.5f), (int)floorf(y + 0.5f), (int)floorf(x + w + 0.5f), (int)floorf(y + h + 0.5f)};
}

static irect intersect(irect a, irect b)
{
	irect r = {a.x0 > b.x0 ? a.x0 : b.x0, a.y0 > b.y0 ? a.y0 : b.y0, a.x1 < b.x1 ? a.x1 : b.x1, a.y1 < b.y1 ? a.y1 : b.y1};
	return r;
}

static bool empty(irect r)
{
	return r.x1 <= r.x0 || r.y1 <= r.y0;
}

enum { CULL_OCCLUDERS = 48, CULL_PIECES = 256 };

/* pieces := pieces minus cut (each piece splits into at most 4). */
static size_t subtract(irect *pieces, size_t n, irect cut)
{
	irect out[CULL_PIECES];
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		irect p = pieces[i], c = intersect(p, cut);
		if (empty(c)) {
			if (m < CULL_PIECES)
				out[m++] = p;
			continue;
		}
		irect parts[4] = {
			{p.x0, p.y0, p.x1, c.y0}, /* above */
			{p.x0, c.y1, p.x1, p.y1}, /* below */
			{p.x0, c.y0, c.x0, c.y1}, /* left */
			{c.x1, c.y0, p.x1, c.y1}, /* right */
		};
		for (int k = 0; k < 4; k++)
			if (!empty(parts[k])) {
				if (m == CULL_PIECES)
					return SIZE_MAX;
				out[m++] = parts[k];
			}
	}
	memcpy(pieces, out, m * sizeof *out);
	return m;
}

size_t gui_drawlist_cull_background(gui_drawlist *list, int width, int height)
{
	if (list->count < 2 || width <= 0 || height <= 0)
		return 0;
	const gui_cmd *bg = &list->cmds[0];
	irect screen = {0, 0, width, height};
	irect b = snap_rect(bg->x0, bg->y0, bg->x1, bg->y1);
	if (bg->kind != GUI_CMD_FILL || gui_rgba_a(bg->color) != 255 || b.x0 > 0 || b.y0 > 0 || b.x1 < width || b.y1 < height)
		return 0;
	/* Big opaque fills after it, clipped as the renderer would clip them. */
	irect occluders[CULL_OCCLUDERS];
	size_t n = 0;
	bool clipped = false;
	irect clip = screen;
	long min_area = (long)width * height / 200;
	for (size_t i = 1; i < list->count && n < CULL_OCCLUDERS; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind == GUI_CMD_CLIP) {
			clipped = c->x1 > 0;
			clip = clipped ? snap_rect(c->x0, c->y0, c->x1, c->y1) : screen;
			continue;
		}
		if (c->kind != GUI_CMD_FILL || gui_rgba_a(c->color) != 255)
			continue;
		irect r = intersect(intersect(snap_rect(c->x0, c->y0, c->x1, c->y1), clip), screen);
		if (!empty(r) && (long)(r.x1 - r.x0) * (r.y1 - r.y0) >= min_area)
			occluders[n++] = r;
	}
	if (n == 0)
		return 0;
	irect pieces[CULL_PIECES];
	size_t count = 1;
	pieces[0] = screen;
	for (size_t i = 0; i < n; i++) {
		size_t m = subtract(pieces, count, occluders[i]);
		if (m == SIZE_MAX)
			return 0;
		count = m;
	}
	long kept = 0;
	for (size_t i = 0; i < count; i++)
		kept += (long)(pieces[i].x1 - pieces[i].x0) * (pieces[i].y1 - pieces[i].y0);
	/* Replace command 0 by `count` fills. */
	if (list->count + count > list->capacity) {
		size_t capacity = list->capacity;
		while (capacity < list->count + count)
			capacity *= 2;
		gui_cmd *cmds = realloc(list->cmds, capacity * sizeof *cmds);
		if (!cmds)
			return 0;
		list->cmds = cmds;
		list->capacity = capacity;
	}
	gui_cmd proto = list->cmds[0];
	memmove(list->cmds + count, list->cmds + 1, (list->count - 1) * sizeof *list->cmds);
	for (size_t i = 0; i < count; i++) {
		gui_cmd *c = &list->cmds[i];
		*c = proto;
		c->x0 = (float)pieces[i].x0;
		c->y0 = (float)pieces[i].y0;
		c->x1 = (float)(pieces[i].x1 - pieces[i].x0);
		c->y1 = (float)(pieces[i].y1 - pieces[i].y0);
	}
	list->count += count - 1;
	return (size_t)((long)width * height - kept);
}

size_t gui_hatch_segments(gui_rect rect, float spacing, float *out, size_t max)
{
	if (rect.w <= 0 || rect.h <= 0 || spacing <= 0)
		return 0;
	/* A line rising to the right satisfies x + (y - rect.y) = c, with c
	 * on multiples of `spacing` (anchored at x = 0 so stripes continue
	 * across adjacent rects). Its visible part runs from the bottom edge
	 * (y = bottom) to the top edge (y = rect.y), clipped to [x0, x1]. */
	float left = rect.x, right = rect.x + rect.w, top = rect.y, bottom = rect.y + rect.h;
	float first = ceilf(left / spacing) * spacing;
	size_t n = 0;
	for (float c = first; c < right + rect.h; c += spacing) {
		/* At y = top: x = c. At y = bottom: x = c - h. */
		float xa = c - rect.h, ya = bottom; /* lower-left end */
		float xb = c, yb = top;             /* upper-right end */
		if (xa < left) {
			ya -= left - xa;
			xa = left;
		}
		if (xb > right) {
			yb += xb - right;
			xb = right;
		}
		if (xa >= xb)
			continue;
		if (n < max) {
			out[4 * n + 0] = xa;
			out[4 * n + 1] = ya;
			out[4 * n + 2] = xb;
			out[4 * n + 3] = yb;
		}
		n++;
	}
	return n;
}

gui_rgba gui_rgba_with_alpha(gui_rgba c, float alpha)
{
	if (alpha < 0)
		alpha = 0;
	if (alpha > 1)
		alpha = 1;
	uint8_t a = (uint8_t)lroundf((float)gui_rgba_a(c) * alpha);
	return (c & 0xffffff00u) | a;
}

static uint8_t lerp8(uint8_t a, uint8_t b, float t)
{
	return (uint8_t)lroundf((float)a + ((float)b - (float)a) * t);
}

gui_rgba gui_rgba_mix(gui_rgba a, gui_rgba b, float t)
{
	if (t <= 0)
		return a;
	if (t >= 1)
		return b;
	return gui_rgba_make(lerp8(gui_rgba_r(a), gui_rgba_r(b), t), lerp8(gui_rgba_g(a), gui_rgba_g(b), t),
			     lerp8(gui_rgba_b(a), gui_rgba_b(b), t), lerp8(gui_rgba_a(a), gui_rgba_a(b), t));
}
