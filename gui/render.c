/* render.c — draw list -> SDL (see render.h). */
#include "render.h"

#include <math.h>
#include <stdint.h>
#include <wchar.h>

static void set_color(SDL_Renderer *r, gui_rgba c)
{
	SDL_SetRenderDrawBlendMode(r, gui_rgba_a(c) == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, gui_rgba_r(c), gui_rgba_g(c), gui_rgba_b(c), gui_rgba_a(c));
}

/* Snaps a float rect to whole pixels so neighbouring rects neither
 * overlap nor leave gaps. */
static SDL_Rect snap(float x, float y, float w, float h)
{
	int x0 = (int)floorf(x + 0.5f), y0 = (int)floorf(y + 0.5f);
	int x1 = (int)floorf(x + w + 0.5f), y1 = (int)floorf(y + h + 0.5f);
	return (SDL_Rect){x0, y0, x1 - x0, y1 - y0};
}

static void fill(SDL_Renderer *r, float x, float y, float w, float h)
{
	SDL_Rect rect = snap(x, y, w, h);
	if (rect.w > 0 && rect.h > 0)
		SDL_RenderFillRect(r, &rect);
}

static void geometry(SDL_Renderer *r, gui_rgba c, const float *xy, int vertices)
{
	SDL_Vertex v[6];
	for (int i = 0; i < vertices; i++) {
		v[i].position = (SDL_FPoint){xy[2 * i], xy[2 * i + 1]};
		v[i].color = (SDL_Color){gui_rgba_r(c), gui_rgba_g(c), gui_rgba_b(c), gui_rgba_a(c)};
		v[i].tex_coord = (SDL_FPoint){0, 0};
	}
	SDL_RenderGeometry(r, NULL, v, vertices, NULL, 0);
}

static void thick_line(SDL_Renderer *r, const gui_cmd *c)
{
	float dx = c->x1 - c->x0, dy = c->y1 - c->y0;
	float len = sqrtf(dx * dx + dy * dy);
	if (len <= 0)
		return;
	if (c->width <= 1.5f) {
		set_color(r, c->color);
		SDL_RenderDrawLineF(r, c->x0, c->y0, c->x1, c->y1);
		return;
	}
	if (dx == 0 || dy == 0) { /* axis-aligned: a rect is exact */
		set_color(r, c->color);
		float w = c->width;
		if (dx == 0)
			fill(r, c->x0 - w / 2, fminf(c->y0, c->y1), w, fabsf(dy));
		else
			fill(r, fminf(c->x0, c->x1), c->y0 - w / 2, fabsf(dx), w);
		return;
	}
	float nx = -dy / len * c->width / 2, ny = dx / len * c->width / 2;
	float quad[12] = {c->x0 + nx, c->y0 + ny, c->x1 + nx, c->y1 + ny, c->x1 - nx, c->y1 - ny,
			  c->x0 + nx, c->y0 + ny, c->x1 - nx, c->y1 - ny, c->x0 - nx, c->y0 - ny};
	geometry(r, c->color, quad, 6);
}

/* Whether pixels of `target` can be written directly: 32-bit xRGB. */
static bool direct_ok(const SDL_Surface *target)
{
	const SDL_PixelFormat *f = target ? target->format : NULL;
	return f && f->BytesPerPixel == 4 && f->Rmask == 0xff0000u && f->Gmask == 0xff00u && f->Bmask == 0xffu &&
	       !SDL_MUSTLOCK(target);
}

/* n pixels of px from d: glibc's wmemset (vectorised) when wchar_t is 32
 * bits, as it is on Linux. */
static void fill_row(uint32_t *d, uint32_t px, size_t n)
{
#if WCHAR_MAX == 0x7fffffff || WCHAR_MAX == 0xffffffffu
	wmemset((wchar_t *)(void *)d, (wchar_t)px, n);
#else
	for (size_t i = 0; i < n; i++)
		d[i] = px;
#endif
}

/* Fills [x, y, w, h] (snapped) of target within clip with colour c
 * (blended when translucent). Plain cached stores: SDL's software fill
 * writes every row with non-temporal stores, which costs a memory round
 * trip per row for a rect narrower than the target. */
static void direct_fill(SDL_Surface *target, const SDL_Rect *clip, float x, float y, float w, float h, gui_rgba c)
{
	SDL_Rect r = snap(x, y, w, h), vis;
	if (r.w <= 0 || r.h <= 0 || !SDL_IntersectRect(&r, clip, &vis))
		return;
	uint32_t a = gui_rgba_a(c);
	uint32_t px = 0xff000000u | ((uint32_t)gui_rgba_r(c) << 16) | ((uint32_t)gui_rgba_g(c) << 8) | gui_rgba_b(c);
	for (int row = vis.y; row < vis.y + vis.h; row++) {
		uint32_t *d = (uint32_t *)((uint8_t *)target->pixels + (size_t)row * (size_t)target->pitch) + vis.x;
		if (a == 255) {
			fill_row(d, px, (size_t)vis.w);
			continue;
		}
		uint32_t na = 255 - a, prb = (px & 0xff00ffu) * a, pg = (px & 0xff00u) * a;
		for (int i = 0; i < vis.w; i++) {
			uint32_t q = d[i];
			uint32_t rb = prb + (q & 0xff00ffu) * na + 0x800080u;
			rb = ((rb + ((rb >> 8) & 0xff00ffu)) >> 8) & 0xff00ffu;
			uint32_t g = pg + (q & 0xff00u) * na + 0x8000u;
			g = ((g + ((g >> 8) & 0xff00u)) >> 8) & 0xff00u;
			d[i] = 0xff000000u | rb | g;
		}
	}
}

void gui_render(SDL_Renderer *r, SDL_Surface *target, gui_text *text, const gui_drawlist *list)
{
	enum { HATCH_MAX = 2048 };
	static float hatch[HATCH_MAX * 4]; /* scratch; the renderer is single-threaded */
	bool direct = direct_ok(target);
	SDL_Rect whole = {0, 0, target ? target->w : 0, target ? target->h : 0}, clip = whole;
	bool queued = false; /* SDL calls since the last flush: flush before touching pixels */
#define DIRECT()                                \
	do {                                    \
		if (queued)                     \
			SDL_RenderFlush(r);     \
		queued = false;                 \
	} while (0)
	for (size_t i = 0; i < list->count; i++) {
		const gui_cmd *c = &list->cmds[i];
		switch ((gui_cmd_kind)c->kind) {
		case GUI_CMD_FILL:
			if (direct) {
				DIRECT();
				direct_fill(target, &clip, c->x0, c->y0, c->x1, c->y1, c->color);
				break;
			}
			set_color(r, c->color);
			fill(r, c->x0, c->y0, c->x1, c->y1);
			break;
		case GUI_CMD_OUTLINE: {
			float w = c->width;
			if (direct) {
				DIRECT();
				direct_fill(target, &clip, c->x0, c->y0, c->x1, w, c->color);
				direct_fill(target, &clip, c->x0, c->y0 + c->y1 - w, c->x1, w, c->color);
				direct_fill(target, &clip, c->x0, c->y0 + w, w, c->y1 - 2 * w, c->color);
				direct_fill(target, &clip, c->x0 + c->x1 - w, c->y0 + w, w, c->y1 - 2 * w, c->color);
				break;
			}
			set_color(r, c->color);
			fill(r, c->x0, c->y0, c->x1, w);
			fill(r, c->x0, c->y0 + c->y1 - w, c->x1, w);
			fill(r, c->x0, c->y0 + w, w, c->y1 - 2 * w);
			fill(r, c->x0 + c->x1 - w, c->y0 + w, w, c->y1 - 2 * w);
			break;
		}
		case GUI_CMD_LINE:
			thick_line(r, c);
			queued = true;
			break;
		case GUI_CMD_HATCH: {
			gui_rect rect = {c->x0, c->y0, c->x1, c->y1};
			size_t n = gui_hatch_segments(rect, c->width, hatch, HATCH_MAX);
			if (n > HATCH_MAX)
				n = HATCH_MAX;
			set_color(r, c->color);
			for (size_t k = 0; k < n; k++) {
				const float *sg = &hatch[4 * k];
				SDL_RenderDrawLineF(r, sg[0], sg[1], sg[2], sg[3]);
				if (sg[0] + 1 <= rect.x + rect.w && sg[2] + 1 <= rect.x + rect.w)
					SDL_RenderDrawLineF(r, sg[0] + 1, sg[1], sg[2] + 1, sg[3]); /* 2 px: visible on projectors */
			}
			queued = true;
			break;
		}
		case GUI_CMD_TRIANGLE: {
			float tri[6] = {c->x0, c->y0, c->x1, c->y1, c->x2, c->y2};
			geometry(r, c->color, tri, 3);
			queued = true;
			break;
		}
		case GUI_CMD_TEXT:
			if (direct) {
				DIRECT();
				gui_text_blit(text, target, &clip, c, gui_cmd_text(list, c));
				break;
			}
			gui_text_draw(text, r, c, gui_cmd_text(list, c));
			break;
		case GUI_CMD_CLIP:
			if (c->x1 <= 0) {
				SDL_RenderSetClipRect(r, NULL);
				clip = whole;
			} else {
				SDL_Rect rect = snap(c->x0, c->y0, c->x1, c->y1);
				if (rect.w <= 0)
					rect.w = 1, rect.x = -10; /* empty: clip everything */
				SDL_RenderSetClipRect(r, &rect);
				if (!SDL_IntersectRect(&rect, &whole, &clip))
					clip = (SDL_Rect){0, 0, 0, 0};
			}
			queued = true;
			break;
		case GUI_CMD_KIND_COUNT: break;
		}
	}
#undef DIRECT
	SDL_RenderSetClipRect(r, NULL);
	SDL_RenderFlush(r);
	gui_text_frame_done(text);
}
