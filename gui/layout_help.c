/* layout_help.c — the help overlay: every key, as large as fits. Must
 * not: include SDL. */
#include "layout_panels.h"

#include <math.h>

#include "palette.h"

void gui_help_draw(const gui_frame_input *in, gui_scale s, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	/* An opaque backdrop: blending the whole window costs the software
	 * renderer tens of milliseconds, and the help replaces the view anyway. */
	gui_draw_fill(out, (gui_rect){0, 0, fl(in->width), fl(in->height)}, gui_palette(GUI_COL_OVERLAY) | 0xffu);
	const gui_help_line *lines = gui_help_lines(in->lang);
	size_t n = 0;
	while (lines[n].keys)
		n++;
	/* As large as fits: the help is read from the back of the room too.
	 * Down to 12 px with air between the lines; a window too small for
	 * that (640x480 holds 30 rows at 12 px only just) closes the lines
	 * up, then goes down to 10 px. */
	int px = (int)(fl(s.caption_px) * 0.8f);
	float spacing = 1.1f;
	float keys_w, what_w, lh;
	for (;;) {
		keys_w = what_w = 0;
		for (size_t i = 0; i < n; i++) {
			float kw = fl(text_w(m, px, true, lines[i].keys)), ww = fl(text_w(m, px, false, lines[i].what));
			keys_w = fmaxf(keys_w, kw);
			what_w = fmaxf(what_w, ww);
		}
		lh = fl(line_h(m, px)) * spacing;
		bool fits = fl((int)n + 3) * lh <= fl(in->height) * 0.92f && keys_w + what_w + fl(s.pad) * 5 <= fl(in->width) * 0.95f;
		if (fits)
			break;
		if (px > 12)
			px--;
		else if (spacing > 1.0f)
			spacing = 1.0f;
		else if (px > 10)
			px--;
		else
			break;
	}
	float pad = fl(s.pad) * 1.5f;
	/* (the title no larger than the lines warrant) */
	int title_px = s.title_px < px * 3 / 2 ? s.title_px : px * 3 / 2;
	float title_h = fl(line_h(m, title_px)) * 1.3f;
	float w = keys_w + what_w + pad * 3;
	if (w > fl(in->width) - 20)
		w = fl(in->width) - 20;
	float h = title_h + fl((int)n) * lh + 2 * pad;
	gui_rect box = {(fl(in->width) - w) / 2, (fl(in->height) - h) / 2, w, h};
	gui_draw_fill(out, box, gui_palette(GUI_COL_PANEL));
	gui_draw_outline(out, box, 3, gui_palette(GUI_COL_ACCENT));
	gui_draw_text(out, box.x + pad, box.y + pad, title_px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT),
		      gui_str(in->lang, GUI_S_HELP_TITLE), SIZE_MAX);
	for (size_t i = 0; i < n; i++) {
		float y = box.y + pad + title_h + fl((int)i) * lh;
		gui_draw_text(out, box.x + pad, y, px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_ACCENT), lines[i].keys, SIZE_MAX);
		gui_draw_text(out, box.x + pad * 2 + keys_w, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), lines[i].what,
			      SIZE_MAX);
	}
}
