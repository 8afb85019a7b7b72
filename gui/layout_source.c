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
	gui_rect r = gui_panel_frame(m, s, g->source, gui_str(in->lang, GUI_S_SOURCE), out);
	if (!in->source || in->source_len == 0)
		return;
	int px = s.small_px;
	float lh = fl(line_h(m, px));
	size_t visible = (size_t)(r.h / lh);
	if (visible == 0)
		return;
	/* index line starts */
	size_t total = 1;
	for (size_t i = 0; i < in->source_len; i++)
		if (in->source[i] == '\n' && i + 1 < in->source_len)
			total++;
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
	size_t line = 1;
	const char *p = in->source, *end = in->source + in->source_len;
	gui_draw_clip(out, r);
	while (p < end && line < first + visible && line <= last) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		if (line >= first) {
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
		line++;
		p = nl ? nl + 1 : end;
	}
	gui_draw_unclip(out);
}
