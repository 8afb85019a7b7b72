/* layout_timeline.c — the seek bar (see layout_timeline.h). */
#include "layout_timeline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../sim/event.h"
#include "palette.h"

#define BIT(k) (1u << (k))

uint32_t gui_tick_mask(gui_tick_kind kind)
{
	switch (kind) {
	case GUI_TICK_BRK_GROW: return BIT(SIM_EV_BRK_GROW);
	case GUI_TICK_TRIM: return BIT(SIM_EV_BRK_SHRINK);
	case GUI_TICK_CONSOLIDATE: return BIT(SIM_EV_CONSOLIDATE_BEGIN);
	case GUI_TICK_MADVISE: return BIT(SIM_EV_MADVISE);
	case GUI_TICK_MMAP: return BIT(SIM_EV_MMAP) | BIT(SIM_EV_MUNMAP);
	case GUI_TICK_ABORT: return BIT(SIM_EV_ABORT);
	case GUI_TICK_KIND_COUNT: break;
	}
	return 0;
}

static gui_rgba tick_color(gui_tick_kind kind)
{
	static const gui_color_role roles[GUI_TICK_KIND_COUNT] = {
		GUI_COL_TICK_GROW, GUI_COL_TICK_TRIM, GUI_COL_TICK_CONSOLIDATE,
		GUI_COL_TICK_MADVISE, GUI_COL_TICK_MMAP, GUI_COL_TICK_ABORT,
	};
	return gui_palette(roles[kind]);
}

double gui_timeline_x(gui_rect track, size_t length, double step)
{
	if (length == 0)
		return track.x;
	return track.x + step / (double)length * track.w;
}

size_t gui_timeline_step_at(gui_rect track, size_t length, double x)
{
	if (length == 0 || x <= track.x)
		return 0;
	if (x >= track.x + track.w)
		return length;
	double step = (x - track.x) / track.w * (double)length;
	size_t s = (size_t)llround(step);
	return s > length ? length : s;
}

void gui_timeline_columns(const uint32_t *masks, size_t length, int width, uint32_t *columns)
{
	if (width <= 0)
		return;
	memset(columns, 0, (size_t)width * sizeof *columns);
	if (length == 0)
		return;
	for (size_t k = 1; k <= length; k++) {
		if (!masks[k])
			continue;
		long c = lround((double)k / (double)length * (double)width);
		if (c >= width)
			c = width - 1;
		columns[c] |= masks[k];
	}
}

gui_rect gui_timeline_track(gui_rect area, gui_scale scale)
{
	float tick_h = (float)scale.body_px * 1.1f;
	float track_h = fmaxf(10.0f, 16.0f * scale.unit);
	float margin = (float)scale.pad;
	return (gui_rect){area.x + margin, area.y + tick_h + 4, area.w - 2 * margin, track_h};
}

void gui_timeline_layout(const gui_timeline_input *in, gui_drawlist *out)
{
	gui_rect track = gui_timeline_track(in->area, in->scale);
	gui_rgba dim = gui_palette(GUI_COL_TEXT_DIM);
	/* ticks: one short coloured line per column, stacked by kind */
	float tick_h = track.y - in->area.y - 4;
	float row_h = tick_h / 3;
	for (int c = 0; c < in->column_count; c++) {
		uint32_t m = in->columns[c];
		if (!m)
			continue;
		float x = track.x + (float)c;
		int row = 0;
		for (int k = 0; k < GUI_TICK_KIND_COUNT; k++) {
			if (!(m & gui_tick_mask((gui_tick_kind)k)))
				continue;
			float y = in->area.y + tick_h - (float)(row + 1) * row_h;
			float w = fmaxf(3.0f, 4.0f * in->scale.unit);
			gui_draw_fill(out, (gui_rect){x - w / 2, y, w, row_h - 1}, tick_color((gui_tick_kind)k));
			if (++row == 3)
				break;
		}
	}
	/* the track, the played part, the playhead */
	gui_draw_fill(out, track, gui_palette(GUI_COL_UNMAPPED));
	double px = gui_timeline_x(track, in->length, in->step);
	gui_draw_fill(out, (gui_rect){track.x, track.y, (float)(px - track.x), track.h}, gui_palette(GUI_COL_ACCENT));
	/* marks and pauses: flags under the track, labels where they fit */
	int small = in->scale.small_px;
	float flag_y = track.y + track.h + 2;
	float label_end = -1e9f;
	for (size_t i = 0; i < in->mark_count; i++) {
		const gui_timeline_mark *mark = &in->marks[i];
		float x = (float)gui_timeline_x(track, in->length, (double)mark->step);
		gui_rgba color = gui_palette(GUI_COL_TICK_MARK);
		float s = (float)small * 0.55f;
		if (mark->pause) { /* a pause: an inverted triangle, filled */
			gui_draw_triangle(out, x - s, flag_y + s * 1.4f, x + s, flag_y + s * 1.4f, x, flag_y, color);
		} else { /* a mark: a thin pole */
			gui_draw_fill(out, (gui_rect){x - 1, flag_y, 2, s * 1.4f}, color);
		}
		/* a label runs up to the next mark at most */
		float room = (float)small * 8;
		for (size_t k = i + 1; k < in->mark_count; k++) {
			float nx = (float)gui_timeline_x(track, in->length, (double)in->marks[k].step);
			if (nx > x) {
				room = fminf(room, nx - x - s * 2 - 4);
				break;
			}
		}
		if (mark->label && mark->label[0] && x > label_end + 8 && room > (float)small * 2) {
			char fitted[96];
			gui_ellipsize(in->metrics, small, false, mark->label, (int)room, fitted, sizeof fitted);
			int w = gui_text_width(in->metrics, small, false, fitted, strlen(fitted));
			if (x + s + (float)w < track.x + track.w + (float)in->scale.pad) {
				gui_draw_text(out, x + s + 2, flag_y, small, false, GUI_ALIGN_LEFT, dim, fitted, SIZE_MAX);
				label_end = x + s + 2 + (float)w;
			}
		}
	}
	float head = fmaxf(9.0f, 13.0f * in->scale.unit);
	gui_draw_fill(out, (gui_rect){(float)px - 2, track.y - head * 0.6f, 4, track.h + head * 1.2f}, gui_palette(GUI_COL_TEXT));
	gui_draw_triangle(out, (float)px - head, track.y - head * 1.4f, (float)px + head, track.y - head * 1.4f,
			  (float)px, track.y - head * 0.3f, gui_palette(GUI_COL_TEXT));
}
