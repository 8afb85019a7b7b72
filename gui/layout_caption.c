/* layout_caption.c — the caption band: the step's caption (or the op
 * text), as large as fits. Must not: include SDL. */
#include "layout_panels.h"

#include <math.h>
#include <string.h>

#include "palette.h"

void gui_caption_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->caption;
	gui_draw_fill(out, r, gui_palette(GUI_COL_PANEL));
	float bar_w = fmaxf(5.0f, 9.0f * s.unit);
	/* a disproved caption's warning is marked in vermillion */
	gui_draw_fill(out, (gui_rect){r.x, r.y, bar_w, r.h}, gui_palette(in->caption_false ? GUI_COL_TICK_TRIM : GUI_COL_ACCENT));
	const char *text = in->caption;
	bool is_caption = text && text[0];
	if (!is_caption)
		text = in->op_text ? in->op_text : gui_str(in->lang, GUI_S_START);
	float pad = fl(s.pad) * 0.6f;
	int max_w = (int)(r.w - bar_w - 3 * pad);
	/* Largest size (from the caption size down to body text) at which
	 * the text fits the band. */
	enum { MAX_LINES = 8 };
	gui_line_span lines[MAX_LINES];
	int px = s.caption_px;
	size_t n = 0;
	for (;;) {
		n = gui_wrap(m, px, false, text, strlen(text), max_w, lines, MAX_LINES);
		int lh = line_h(m, px);
		if ((fl((int)n * lh) <= r.h - pad && n <= MAX_LINES) || px <= s.body_px)
			break;
		px = (int)((float)px * 0.9f);
		if (px < s.body_px)
			px = s.body_px;
	}
	int lh = line_h(m, px);
	size_t fit = (size_t)((r.h - pad) / fl(lh));
	if (fit < 1)
		fit = 1;
	if (n > fit)
		n = fit;
	if (n > MAX_LINES)
		n = MAX_LINES;
	float y = r.y + (r.h - fl((int)n * lh)) / 2;
	gui_rgba color = is_caption ? gui_palette(GUI_COL_TEXT) : gui_palette(GUI_COL_TEXT_DIM);
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, r.x + bar_w + pad * 1.5f, y + fl((int)i * lh), px, false, GUI_ALIGN_LEFT, color,
			      text + lines[i].offset, lines[i].len);
}
