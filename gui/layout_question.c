/* layout_question.c — the pause question band under the caption. Must
 * not: include SDL. */
#include "layout_panels.h"

#include <math.h>
#include <string.h>

#include "palette.h"

/* The teacher's question at a pause: white on the accent colour with a
 * "?" badge, so it is not mistaken for the caption (dark on white). As
 * large as fits, from caption size down to body text. */
void gui_question_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->question || g->question.h <= 0)
		return;
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->question;
	gui_draw_fill(out, r, gui_palette(GUI_COL_QUESTION_BG));
	float pad = fl(s.pad) * 0.6f;
	float badge = fminf(r.h - pad, fl(line_h(m, s.caption_px)));
	gui_rect b = {r.x + pad, r.y + (r.h - badge) / 2, badge, badge};
	gui_draw_fill(out, b, gui_palette(GUI_COL_QUESTION_BADGE));
	int bpx = (int)(badge * 0.8f);
	gui_draw_text(out, b.x + b.w / 2, b.y + (b.h - fl(line_h(m, bpx))) / 2, bpx, true, GUI_ALIGN_CENTER,
		      gui_palette(GUI_COL_TEXT), "?", SIZE_MAX);
	float tx = b.x + b.w + pad * 1.5f;
	int max_w = (int)(r.x + r.w - pad - tx);
	const char *text = in->question;
	enum { MAX_LINES = 4 };
	gui_line_span lines[MAX_LINES];
	int px = s.caption_px;
	size_t n;
	for (;;) {
		n = gui_wrap(m, px, true, text, strlen(text), max_w, lines, MAX_LINES);
		if ((n <= MAX_LINES && fl((int)n * line_h(m, px)) <= r.h - pad * 0.5f) || px <= s.body_px)
			break;
		px = (int)((float)px * 0.92f);
		if (px < s.body_px)
			px = s.body_px;
	}
	int lh = line_h(m, px);
	size_t fit = (size_t)fmaxf(1.0f, (r.h - pad * 0.5f) / fl(lh));
	if (n > fit)
		n = fit;
	if (n > MAX_LINES)
		n = MAX_LINES;
	float y = r.y + (r.h - fl((int)n * lh)) / 2;
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, tx, y + fl((int)i * lh), px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_QUESTION_TEXT),
			      text + lines[i].offset, lines[i].len);
}
