/* layout_source.c — the scenario source panel: the current line and a
 * little context, numbered. Must not: include SDL. */
#include "layout_panels.h"

#include <stdio.h>
#include <string.h>

#include "palette.h"

void gui_source_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_string title = in->source_kind == GUI_SOURCE_RECORDING ? GUI_S_SOURCE_RECORDING
	                   : in->source_kind == GUI_SOURCE_TRACE   ? GUI_S_SOURCE_TRACE
	                                                           : GUI_S_SOURCE;
	gui_rect r = gui_panel_frame(m, s, g->source, gui_str(in->lang, title), out);
	if (!in->source_line || in->source_lines == 0)
		return;
	int px = s.small_px;
	float lh = fl(line_h(m, px));
	size_t visible = (size_t)(r.h / lh);
	if (visible == 0)
		return;
	size_t total = in->source_lines;
	size_t current = in->current_line;
	size_t first = 1, last = total;
	if (in->answers_hidden && current > 0) {
		/* At a pause the lines after this step (the next commands and
		 * what they expect) would answer the question: end at it. */
		last = current;
		if (current > visible)
			first = current - visible + 1;
	} else {
		if (current > visible / 2)
			first = current - visible / 2;
		if (first + visible > total + 1)
			first = total + 1 > visible ? total + 1 - visible : 1;
	}
	char number_sample[24];
	snprintf(number_sample, sizeof number_sample, "%zu", total);
	float num_w = fl(text_w(m, px, false, number_sample)) + fl(px) * 0.6f;
	gui_draw_clip(out, r);
	for (size_t line = first; line <= total && line < first + visible && line <= last; line++) {
		size_t len;
		const char *p = in->source_line(in->source_ctx, line, &len);
		if (p == NULL)
			break;
		const char *line_end = p + len;
		float y = r.y + fl((int)(line - first)) * lh;
		bool is_current = line == current;
		if (is_current) {
			gui_draw_fill(out, (gui_rect){r.x - 4, y, r.w + 8, lh}, gui_palette(GUI_COL_HIGHLIGHT_BG));
			gui_draw_fill(out, (gui_rect){r.x - 4, y, 4, lh}, gui_palette(GUI_COL_ACCENT));
		}
		char num[24];
		snprintf(num, sizeof num, "%zu", line);
		gui_draw_text(out, r.x + num_w - fl(px) * 0.6f, y, px, false, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT_DIM),
			      num, SIZE_MAX);
		/* expand tabs, drop '\r' */
		char text[512];
		size_t n = 0;
		for (const char *c = p; c < line_end && n + 5 < sizeof text; c++) {
			if (*c == '\t') {
				for (int k = 0; k < 4; k++)
					text[n++] = ' ';
			} else if (*c != '\r') {
				text[n++] = *c;
			}
		}
		text[n] = '\0';
		char fitted[512];
		gui_ellipsize(m, px, is_current, text, (int)(r.w - num_w), fitted, sizeof fitted);
		gui_draw_text(out, r.x + num_w, y, px, is_current, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), fitted, SIZE_MAX);
	}
	gui_draw_unclip(out);
}
