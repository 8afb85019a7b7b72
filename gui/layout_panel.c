/* layout_panel.c — the chrome shared by the lower panels: a frame with a
 * title (see layout_panels.h). Must not: include SDL. */
#include "layout_panels.h"

#include "palette.h"

/* Height of the panel title row plus the panel's paddings (see gui_panel_frame()). */
float gui_panel_chrome(const gui_metrics *m, gui_scale s)
{
	float pad = fl(s.pad) * 0.5f;
	return pad * 1.2f + fl(line_h(m, s.body_px)) + pad * 0.4f;
}

/* Draws a panel frame with a title; returns the content rect. */
gui_rect gui_panel_frame(const gui_metrics *m, gui_scale s, gui_rect r, const char *title, gui_drawlist *out)
{
	gui_draw_fill(out, r, gui_palette(GUI_COL_PANEL));
	gui_draw_outline(out, r, 1, gui_palette(GUI_COL_PANEL_EDGE));
	float pad = fl(s.pad) * 0.5f;
	float th = 0;
	if (title) {
		/* shortened to the panel (a Chinese title ran into the next
		 * panel in a window 640 wide) */
		char fitted[160];
		gui_ellipsize(m, s.body_px, true, title, (int)(r.w - 2 * pad), fitted, sizeof fitted);
		gui_draw_text(out, r.x + pad, r.y + pad * 0.6f, s.body_px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT),
		              fitted, SIZE_MAX);
		th = fl(line_h(m, s.body_px)) + pad * 0.4f;
	}
	return (gui_rect){r.x + pad, r.y + pad * 0.6f + th, r.w - 2 * pad, r.h - pad * 1.2f - th};
}
