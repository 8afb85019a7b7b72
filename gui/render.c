/* render.c — draw list -> SDL (see render.h). */
#include "render.h"

#include <math.h>

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

void gui_render(SDL_Renderer *r, gui_text *text, const gui_drawlist *list)
{
	enum { HATCH_MAX = 2048 };
	static float hatch[HATCH_MAX * 4]; /* scratch; the renderer is single-threaded */
	for (size_t i = 0; i < list->count; i++) {
		const gui_cmd *c = &list->cmds[i];
		switch ((gui_cmd_kind)c->kind) {
		case GUI_CMD_FILL:
			set_color(r, c->color);
			fill(r, c->x0, c->y0, c->x1, c->y1);
			break;
		case GUI_CMD_OUTLINE: {
			set_color(r, c->color);
			float w = c->width;
			fill(r, c->x0, c->y0, c->x1, w);
			fill(r, c->x0, c->y0 + c->y1 - w, c->x1, w);
			fill(r, c->x0, c->y0 + w, w, c->y1 - 2 * w);
			fill(r, c->x0 + c->x1 - w, c->y0 + w, w, c->y1 - 2 * w);
			break;
		}
		case GUI_CMD_LINE: thick_line(r, c); break;
		case GUI_CMD_HATCH: {
			gui_rect rect = {c->x0, c->y0, c->x1, c->y1};
			size_t n = gui_hatch_segments(rect, c->width, hatch, HATCH_MAX);
			if (n > HATCH_MAX)
				n = HATCH_MAX;
			set_color(r, c->color);
			for (size_t k = 0; k < n; k++) {
				const float *s = &hatch[4 * k];
				SDL_RenderDrawLineF(r, s[0], s[1], s[2], s[3]);
				if (s[0] + 1 <= rect.x + rect.w && s[2] + 1 <= rect.x + rect.w)
					SDL_RenderDrawLineF(r, s[0] + 1, s[1], s[2] + 1, s[3]); /* 2 px: visible on projectors */
			}
			break;
		}
		case GUI_CMD_TRIANGLE: {
			float tri[6] = {c->x0, c->y0, c->x1, c->y1, c->x2, c->y2};
			geometry(r, c->color, tri, 3);
			break;
		}
		case GUI_CMD_TEXT: gui_text_draw(text, r, c, gui_cmd_text(list, c)); break;
		case GUI_CMD_CLIP:
			if (c->x1 <= 0) {
				SDL_RenderSetClipRect(r, NULL);
			} else {
				SDL_Rect clip = snap(c->x0, c->y0, c->x1, c->y1);
				if (clip.w <= 0)
					clip.w = 1, clip.x = -10; /* empty: clip everything */
				SDL_RenderSetClipRect(r, &clip);
			}
			break;
		case GUI_CMD_KIND_COUNT: break;
		}
	}
	SDL_RenderSetClipRect(r, NULL);
	gui_text_frame_done(text);
}
