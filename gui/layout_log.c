/* layout_log.c — the event log panel ("what happened"; see layout_log.h):
 * which lines fit, and drawing them. Must not: include SDL. */
#include "layout_panels.h"

#include <string.h>

#include "palette.h"

bool gui_log_line_bold(const gui_log_line *line)
{
	return line->header || (line->current && line->priority >= GUI_LOG_VERDICT);
}

enum {
	LOG_MAX_LINES = 128,   /* lines considered (the view sends fewer) */
	LOG_ROWS_PER_LINE = 8, /* a longer explanation is cut */
};

typedef struct log_wrap {
	gui_line_span spans[LOG_MAX_LINES][LOG_ROWS_PER_LINE];
	uint8_t rows[LOG_MAX_LINES];
	bool keep[LOG_MAX_LINES];
} log_wrap;

/* Rows of lines [first, end) that are kept. */
static size_t kept_rows(const log_wrap *w, size_t first, size_t end)
{
	size_t n = 0;
	for (size_t i = first; i < end; i++)
		n += w->keep[i] ? w->rows[i] : 0;
	return n;
}

/* Keeps what fits of the group [h, end) (h its header) in `budget` rows,
 * dropping the lowest priority lines, later ones first, and counting one
 * row for the "+N more" note when anything is dropped. Returns the rows
 * used (0 when not even the header fits), the lines dropped and noted,
 * and whether the group was shortened at all. */
static size_t fit_group(const gui_log_line *lines, log_wrap *w, size_t h, size_t end, size_t budget, size_t *noted,
			bool *shortened)
{
	*noted = 0;
	*shortened = false;
	for (size_t i = h; i < end; i++)
		w->keep[i] = true;
	size_t total = kept_rows(w, h, end);
	if (total <= budget)
		return total;
	*shortened = true;
	if ((size_t)w->rows[h] + 1 > budget) {
		/* Not even the header and a note: the header alone, cut to fit. */
		for (size_t i = h + 1; i < end; i++)
			w->keep[i] = false;
		if (w->rows[h] > budget)
			w->rows[h] = (uint8_t)budget;
		return w->rows[h];
	}
	for (int level = GUI_LOG_BOOKKEEPING; level <= GUI_LOG_VERDICT; level++) {
		for (size_t i = end; i-- > h + 1;) {
			if (total + 1 <= budget)
				break;
			if (!w->keep[i] || lines[i].priority != level)
				continue;
			w->keep[i] = false;
			total -= w->rows[i];
			(*noted)++;
		}
		if (total + 1 <= budget)
			break;
	}
	/* Verdicts alone overflow: the rows past the budget are cut. */
	return total + 1 <= budget ? total + 1 : budget;
}

size_t gui_log_layout(const gui_log_line *lines, size_t count, const gui_metrics *m, int px, int width, int indent,
		      size_t max_rows, gui_log_row *rows, size_t capacity)
{
	log_wrap w; /* about 17 KiB */
	if (count > LOG_MAX_LINES) { /* the newest lines matter: skip the oldest */
		lines += count - LOG_MAX_LINES;
		count = LOG_MAX_LINES;
	}
	if (max_rows > capacity)
		max_rows = capacity;
	if (count == 0 || max_rows == 0)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const gui_log_line *l = &lines[i];
		int lw = width - (l->header ? 0 : indent);
		size_t n = gui_wrap(m, px, gui_log_line_bold(l), l->text, strlen(l->text), lw > 8 ? lw : 8, w.spans[i],
				    LOG_ROWS_PER_LINE);
		w.rows[i] = (uint8_t)(n == 0 ? 1 : n > LOG_ROWS_PER_LINE ? LOG_ROWS_PER_LINE : n);
		if (n == 0)
			w.spans[i][0] = (gui_line_span){0, 0};
		w.keep[i] = false;
	}
	/* Groups from the newest: [h, end). */
	size_t budget = max_rows;
	size_t first_shown = count;
	size_t more_of[LOG_MAX_LINES]; /* dropped lines of the group headed at i */
	for (size_t end = count; end > 0 && budget > 0;) {
		size_t h = end - 1;
		while (h > 0 && !lines[h].header)
			h--;
		size_t noted = 0;
		bool shortened = false;
		size_t used = fit_group(lines, &w, h, end, budget, &noted, &shortened);
		if (used == 0)
			break;
		more_of[h] = noted;
		first_shown = h;
		budget -= used;
		if (shortened)
			break; /* a shortened group is the oldest one shown */
		end = h;
	}
	size_t n = 0;
	for (size_t i = first_shown; i < count; i++) {
		if (w.keep[i])
			for (size_t k = 0; k < w.rows[i] && n < max_rows; k++)
				rows[n++] = (gui_log_row){(uint32_t)i, (uint32_t)w.spans[i][k].offset, (uint32_t)w.spans[i][k].len, 0, k > 0};
		bool group_end = i + 1 == count || lines[i + 1].header;
		if (group_end) {
			size_t h = i;
			while (h > first_shown && !lines[h].header)
				h--;
			if (more_of[h] && n < max_rows)
				rows[n++] = (gui_log_row){(uint32_t)h, 0, 0, (uint32_t)more_of[h], false};
		}
	}
	return n;
}

void gui_log_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = gui_panel_frame(m, s, g->log, gui_str(in->lang, GUI_S_EVENTS), out);
	int px = s.small_px;
	float lh = fl(line_h(m, px));
	size_t visible = (size_t)((r.h + 2) / lh);
	if (in->log_count == 0) {
		gui_draw_text(out, r.x, r.y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM),
			      gui_str(in->lang, GUI_S_NO_EVENTS), SIZE_MAX);
		return;
	}
	if (visible == 0)
		return; /* no room for a line: nothing, rather than "(no events yet)" over events there are */
	enum { MAX_ROWS = 96 };
	gui_log_row rows[MAX_ROWS];
	float indent = fl(px) * 1.2f;
	size_t n = gui_log_layout(in->log, in->log_count, m, px, (int)r.w, (int)indent, visible, rows, MAX_ROWS);
	const gui_log_line *base = in->log_count > LOG_MAX_LINES ? in->log + (in->log_count - LOG_MAX_LINES) : in->log;
	for (size_t i = 0; i < n; i++) {
		const gui_log_line *l = &base[rows[i].line];
		float y = r.y + fl((int)i) * lh;
		if (l->current)
			gui_draw_fill(out, (gui_rect){r.x - 4, y, r.w + 8, lh}, gui_palette(GUI_COL_HIGHLIGHT_BG));
		if (rows[i].more) {
			char more[64];
			gui_strf(more, sizeof more, in->lang, GUI_S_MORE_LINES, (size_t)rows[i].more);
			gui_draw_text(out, r.x + indent, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), more, SIZE_MAX);
			continue;
		}
		float x = l->header && !rows[i].continuation ? r.x : r.x + indent;
		if (l->current && l->priority >= GUI_LOG_VERDICT && !l->header && !rows[i].continuation)
			gui_draw_fill(out, (gui_rect){r.x + indent * 0.35f, y + lh * 0.3f, indent * 0.35f, lh * 0.4f},
				      gui_palette(GUI_COL_ACCENT));
		gui_draw_text(out, x, y, px, gui_log_line_bold(l), GUI_ALIGN_LEFT,
			      l->current ? gui_palette(GUI_COL_TEXT) : gui_palette(GUI_COL_TEXT_DIM), l->text + rows[i].offset,
			      rows[i].len);
	}
}
