/* layout_loading.c — the frame shown while a trace opens (see
 * layout_loading.h). Must not: include SDL. */
#include "layout_loading.h"

#include <stdio.h>
#include <string.h>

#include "palette.h"

/* 1,234,567: a long count read at a glance. */
static void thousands(uint64_t v, char *out, size_t size)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

gui_rect gui_loading_bar(int width, int height)
{
	gui_scale s = gui_scale_for(width, height);
	float w = (float)width * 0.6f, h = (float)s.body_px;
	return (gui_rect){((float)width - w) / 2, (float)height / 2 - h / 2, w, h};
}

void gui_loading_layout(const gui_loading *state, int width, int height, const gui_metrics *m, gui_drawlist *out)
{
	gui_drawlist_clear(out);
	gui_scale s = gui_scale_for(width, height);
	gui_draw_fill(out, (gui_rect){0, 0, (float)width, (float)height}, gui_palette(GUI_COL_BACKGROUND));
	gui_rect bar = gui_loading_bar(width, height);
	float cx = (float)width / 2;
	gui_rgba text = gui_palette(GUI_COL_TEXT), dim = gui_palette(GUI_COL_TEXT_DIM);

	char line[512];
	const char *name = state->name ? state->name : "";
	gui_strf(line, sizeof line, state->lang, GUI_S_LOADING_TITLE, name);
	if (gui_text_width(m, s.title_px, true, line, strlen(line)) > width - 2 * s.pad) {
		/* a long path: its last part */
		const char *slash = strrchr(name, '/');
		gui_strf(line, sizeof line, state->lang, GUI_S_LOADING_TITLE, slash ? slash + 1 : name);
	}
	float title_y = bar.y - (float)s.pad - 2 * (float)m->line_height(m->ctx, s.title_px);
	gui_draw_text(out, cx, title_y, s.title_px, true, GUI_ALIGN_CENTER, text, line, SIZE_MAX);
	char count[32];
	thousands(state->steps, count, sizeof count);
	gui_strf(line, sizeof line, state->lang, GUI_S_LOADING_STEPS, count);
	gui_draw_text(out, cx, bar.y - (float)s.pad - (float)m->line_height(m->ctx, s.body_px), s.body_px, false,
	              GUI_ALIGN_CENTER, dim, line, SIZE_MAX);

	double f = state->fraction < 0 ? 0 : state->fraction > 1 ? 1 : state->fraction;
	gui_draw_fill(out, bar, gui_palette(GUI_COL_PANEL));
	gui_draw_fill(out, (gui_rect){bar.x, bar.y, (float)(bar.w * f), bar.h}, gui_palette(GUI_COL_ACCENT));
	gui_draw_outline(out, bar, 1, gui_palette(GUI_COL_PANEL_EDGE));

	snprintf(line, sizeof line, "%d %%", (int)(f * 100));
	float below = bar.y + bar.h + (float)s.pad;
	gui_draw_text(out, cx, below, s.body_px, false, GUI_ALIGN_CENTER, text, line, SIZE_MAX);
	gui_draw_text(out, cx, below + 2 * (float)m->line_height(m->ctx, s.body_px), s.small_px, false,
	              GUI_ALIGN_CENTER, dim, gui_str(state->lang, GUI_S_LOADING_CANCEL), SIZE_MAX);
}
