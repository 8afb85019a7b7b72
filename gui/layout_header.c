/* layout_header.c — the header band: lesson title, step counter, play
 * state and speed, the language badge, the help hint. Must not: include
 * SDL or keep state between frames. */
#include "layout_panels.h"

#include <math.h>
#include <stdio.h>

#include "palette.h"

void gui_header_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	float pad = fl(s.pad);
	gui_draw_fill(out, g->header, gui_palette(GUI_COL_PANEL));
	gui_draw_fill(out, (gui_rect){0, g->header.h - 2, g->header.w, 2}, gui_palette(GUI_COL_PANEL_EDGE));
	float y = (g->header.h - fl(line_h(m, s.title_px))) / 2;
	float by = (g->header.h - fl(line_h(m, s.body_px))) / 2;

	/* right side, drawn right to left: help hint, languages, play state
	 * (a drawn icon: the font has no media glyphs), step counter */
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	float x = g->header.w - pad;
	const char *help = gui_str(in->lang, GUI_S_HELP_HINT);
	gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT_DIM), help, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, false, help)) + pad * 1.5f;
	if (in->lang_badge) {
		gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, ink, in->lang_badge, SIZE_MAX);
		x -= fl(text_w(m, s.body_px, false, in->lang_badge)) + pad * 1.5f;
	}
	char state[96];
	if (in->speed >= 1 && fabs(in->speed - round(in->speed)) < 1e-9)
		snprintf(state, sizeof state, "%s  %.0f×", gui_str(in->lang, in->playing ? GUI_S_PLAYING : GUI_S_PAUSED), in->speed);
	else
		snprintf(state, sizeof state, "%s  %g×", gui_str(in->lang, in->playing ? GUI_S_PLAYING : GUI_S_PAUSED), in->speed);
	gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, ink, state, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, false, state)) + fl(s.body_px) * 0.5f;
	float icon = fl(s.body_px) * 0.8f;
	float iy = by + (fl(line_h(m, s.body_px)) - icon) / 2;
	if (in->playing) {
		gui_draw_triangle(out, x - icon, iy, x - icon, iy + icon, x, iy + icon / 2, gui_palette(GUI_COL_ACCENT));
	} else {
		gui_draw_fill(out, (gui_rect){x - icon, iy, icon * 0.35f, icon}, ink);
		gui_draw_fill(out, (gui_rect){x - icon * 0.35f, iy, icon * 0.35f, icon}, ink);
	}
	x -= icon + pad * 1.5f;
	char step[64];
	snprintf(step, sizeof step, "%s %zu / %zu", gui_str(in->lang, GUI_S_STEP), in->step, in->length);
	gui_draw_text(out, x, by, s.body_px, true, GUI_ALIGN_RIGHT, ink, step, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, true, step));
	int rw = (int)(g->header.w - x);

	/* The title whole if it fits at some size down to small text (a cut
	 * title reads as another lesson); shortened only past that. */
	const char *full = in->title ? in->title : "brksim";
	int room = (int)(g->header.w - 3 * pad - fl(rw));
	int tpx = s.title_px;
	while (tpx > s.small_px && text_w(m, tpx, true, full) > room)
		tpx--;
	char title[256];
	gui_ellipsize(m, tpx, true, full, room, title, sizeof title);
	y = (g->header.h - fl(line_h(m, tpx))) / 2;
	gui_draw_text(out, pad, y, tpx, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), title, SIZE_MAX);
}
