/* layout_toast.c — the transient message above the timeline ("saved
 * step-12.png"). Must not: include SDL. */
#include "layout_panels.h"

#include "palette.h"

void gui_toast_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->toast || in->toast_alpha <= 0)
		return;
	const gui_metrics *m = in->metrics;
	int px = g->scale.body_px;
	float w = fl(text_w(m, px, false, in->toast)) + 32;
	float h = fl(line_h(m, px)) + 16;
	gui_rect box = {(fl(in->width) - w) / 2, g->timeline.y - h - 12, w, h};
	gui_draw_fill(out, box, gui_rgba_with_alpha(gui_palette(GUI_COL_TOOLTIP_BG), in->toast_alpha));
	gui_draw_text(out, box.x + 16, box.y + 8, px, false, GUI_ALIGN_LEFT,
		      gui_rgba_with_alpha(gui_palette(GUI_COL_TOOLTIP_TEXT), in->toast_alpha), in->toast, SIZE_MAX);
}
