/* layout_search.c — the search box (/): what the user typed, a caret,
 * and under it what can be typed or what was found. Must not: include
 * SDL or search (the view does). */
#include "layout_panels.h"

#include <stdio.h>

#include "palette.h"

void gui_search_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->search)
		return;
	const gui_metrics *m = in->metrics;
	int px = g->scale.body_px;
	int lh = line_h(m, px);
	char text[320];
	snprintf(text, sizeof text, "/ %s\u2502", in->search);
	const char *hint = in->search_hint ? in->search_hint : "";
	float w = fl(text_w(m, px, true, text));
	float hw = fl(text_w(m, px, false, hint));
	if (hw > w)
		w = hw;
	w += 32;
	if (w > fl(in->width) - 40)
		w = fl(in->width) - 40;
	float h = fl(lh) * 2 + 20;
	gui_rect box = {(fl(in->width) - w) / 2, g->bar.y + 6, w, h};
	gui_draw_fill(out, box, gui_palette(GUI_COL_TOOLTIP_BG));
	char fitted[320];
	gui_ellipsize(m, px, true, text, (int)(w - 32), fitted, sizeof fitted);
	gui_draw_text(out, box.x + 16, box.y + 8, px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TOOLTIP_TEXT), fitted,
		      SIZE_MAX);
	gui_ellipsize(m, px, false, hint, (int)(w - 32), fitted, sizeof fitted);
	gui_draw_text(out, box.x + 16, box.y + 12 + fl(lh), px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TOOLTIP_TEXT),
		      fitted, SIZE_MAX);
}
