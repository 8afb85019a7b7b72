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

void gui_timeline_columns(uint32_t (*mask_at)(const void *context, size_t step), const void *context, size_t length,
			  int width, uint32_t *columns)
{
	if (width <= 0)
		return;
	memset(columns, 0, (size_t)width * sizeof *columns);
	if (length == 0)
		return;
	for (size_t k = 1; k <= length; k++) {
		uint32_t mask = mask_at(context, k);
		if (!mask)
			continue;
		long c = lround((double)k / (double)length * (double)width);
		if (c >= width)
			c = width - 1;
		columns[c] |= mask;
	}
}

gui_rect gui_timeline_track(gui_rect area, gui_scale scale)
{
	float tick_h = (float)scale.body_px * 1.1f;
	float track_h = fmaxf(10.0f, 16.0f * scale.unit);
	float margin = (float)scale.pad;
	return (gui_rect){area.x + margin, area.y + tick_h + 4, area.w - 2 * margin, track_h};
}

/* Flag geometry shared by drawing, label placement and hit testing. */
typedef struct flag_band {
	gui_rect track;
	float y;      /* top of the flags and of the label row */
	float half;   /* half width of a pause triangle */
	float row_h;  /* label row height */
} flag_band;

static flag_band flags_of(const gui_timeline_input *in)
{
	flag_band f;
	f.track = gui_timeline_track(in->area, in->scale);
	f.y = f.track.y + f.track.h + 2;
	f.half = (float)in->scale.small_px * 0.55f;
	f.row_h = (float)in->metrics->line_height(in->metrics->ctx, in->scale.small_px);
	return f;
}

static float flag_x(const gui_timeline_input *in, const flag_band *f, size_t i)
{
	return (float)gui_timeline_x(f->track, in->length, (double)in->marks[i].step);
}

/* The mark the playhead is on, else the first one after it, else the last. */
static size_t first_to_place(const gui_timeline_input *in)
{
	double here = floor(in->step + 0.5);
	for (size_t i = 0; i < in->mark_count; i++)
		if ((double)in->marks[i].step >= here)
			return i;
	return in->mark_count ? in->mark_count - 1 : 0;
}

/* Free room for a label on the label row between x0 and x1, shrunk so it
 * does not overlap labels already placed; `right` says which end is
 * anchored at the flag. Returns the usable [*from, *to), empty if the
 * anchor itself is covered. */
static void free_room(const gui_timeline_input *in, const gui_timeline_label *labels, float x0, float x1, bool right,
		      float *from, float *to)
{
	size_t limit = in->mark_count < GUI_TIMELINE_MAX_LABELS ? in->mark_count : GUI_TIMELINE_MAX_LABELS;
	float anchor = right ? x0 : x1;
	for (size_t k = 0; k < limit; k++) {
		const gui_timeline_label *o = &labels[k];
		if (!o->shown)
			continue;
		float ox0 = o->x - 8, ox1 = o->x + o->w + 8;
		if (ox0 <= anchor && anchor <= ox1) {
			*from = *to = anchor;
			return;
		}
		if (right && ox0 > anchor)
			x1 = fminf(x1, ox0);
		if (!right && ox1 < anchor)
			x0 = fmaxf(x0, ox1);
	}
	*from = x0;
	*to = x1;
}

static void place_one(const gui_timeline_input *in, const flag_band *f, gui_timeline_label *labels, size_t i)
{
	gui_timeline_label *l = &labels[i];
	const char *label = in->marks[i].label;
	if (!label || !label[0] || l->shown)
		return;
	int small = in->scale.small_px;
	float x = flag_x(in, f, i);
	/* between the flags on either side (a label never covers a flag) */
	float right_end = f->track.x + f->track.w + (float)in->scale.pad * 0.5f, left_end = f->track.x - (float)in->scale.pad * 0.5f;
	for (size_t k = i + 1; k < in->mark_count; k++) {
		float nx = flag_x(in, f, k);
		if (nx > x + 0.5f) {
			right_end = fminf(right_end, nx - f->half - 4);
			break;
		}
	}
	for (size_t k = i; k-- > 0;) {
		float px = flag_x(in, f, k);
		if (px < x - 0.5f) {
			left_end = fmaxf(left_end, px + f->half + 4);
			break;
		}
	}
	float r0, r1, l0, l1;
	free_room(in, labels, x + f->half + 2, right_end, true, &r0, &r1);
	free_room(in, labels, left_end, x - f->half - 2, false, &l0, &l1);
	float right_room = r1 - r0, left_room = l1 - l0;
	int full = gui_text_width(in->metrics, small, false, label, strlen(label));
	/* right of the flag when it fits, else left of it, else cut on the roomier side */
	bool right = (float)full <= right_room || ((float)full > left_room && right_room >= left_room);
	float room = right ? right_room : left_room;
	if ((float)full <= room) {
		snprintf(l->text, sizeof l->text, "%s", label);
		l->w = (float)full;
	} else if (in->marks[i].pause) {
		/* A question cut in the middle reads as a different question:
		 * a pause that has no room for its question is numbered ("?2");
		 * hovering its flag shows the question whole. */
		size_t number = 1;
		for (size_t k = 0; k < i; k++)
			number += in->marks[k].pause;
		snprintf(l->text, sizeof l->text, "?%zu", number);
		int w = gui_text_width(in->metrics, small, true, l->text, strlen(l->text));
		right = (float)w <= right_room || left_room < right_room;
		room = right ? right_room : left_room;
		if ((float)w > room)
			return;
		l->w = (float)w;
		l->bold = true;
	} else {
		return;
	}
	l->x = right ? r0 : l1 - l->w;
	l->shown = true;
}

void gui_timeline_place_labels(const gui_timeline_input *in, gui_timeline_label *labels)
{
	size_t n = in->mark_count < GUI_TIMELINE_MAX_LABELS ? in->mark_count : GUI_TIMELINE_MAX_LABELS;
	for (size_t i = 0; i < n; i++)
		memset(&labels[i], 0, sizeof labels[i]);
	if (n == 0)
		return;
	flag_band f = flags_of(in);
	size_t first = first_to_place(in);
	if (first < n)
		place_one(in, &f, labels, first);
	for (size_t i = 0; i < n; i++)
		place_one(in, &f, labels, i);
}

size_t gui_timeline_mark_at(const gui_timeline_input *in, const gui_timeline_label *labels, float x, float y)
{
	flag_band f = flags_of(in);
	if (y < f.y - 4 || y > f.y + fmaxf(f.row_h, f.half * 1.4f) + 4)
		return SIZE_MAX;
	size_t best = SIZE_MAX;
	float best_d = f.half + 3;
	for (size_t i = 0; i < in->mark_count; i++) {
		float d = fabsf(flag_x(in, &f, i) - x);
		if (d <= best_d) {
			best_d = d;
			best = i;
		}
	}
	if (best != SIZE_MAX || !labels)
		return best;
	size_t n = in->mark_count < GUI_TIMELINE_MAX_LABELS ? in->mark_count : GUI_TIMELINE_MAX_LABELS;
	for (size_t i = 0; i < n; i++)
		if (labels[i].shown && x >= labels[i].x && x < labels[i].x + labels[i].w)
			return i;
	return SIZE_MAX;
}

/* The full label of mark i in a box above the band. */
static void draw_mark_tooltip(const gui_timeline_input *in, const flag_band *f, size_t i, gui_drawlist *out)
{
	const char *label = in->marks[i].label;
	if (!label || !label[0])
		return;
	int px = in->scale.body_px;
	float lh = (float)in->metrics->line_height(in->metrics->ctx, px);
	float window_w = in->window_w > 0 ? in->window_w : in->area.x + in->area.w;
	float max_w = fmaxf(200.0f, window_w * 0.6f);
	enum { LINES = 6 };
	gui_line_span lines[LINES];
	size_t n = gui_wrap(in->metrics, px, false, label, strlen(label), (int)max_w, lines, LINES);
	if (n > LINES)
		n = LINES;
	float w = 0;
	for (size_t k = 0; k < n; k++)
		w = fmaxf(w, (float)gui_text_width(in->metrics, px, false, label + lines[k].offset, lines[k].len));
	float pad = 10;
	float x = flag_x(in, f, i);
	gui_rect box = {x - (w + 2 * pad) / 2, in->area.y - (float)n * lh - 2 * pad - 6, w + 2 * pad, (float)n * lh + 2 * pad};
	if (box.x + box.w > window_w - 4)
		box.x = window_w - 4 - box.w;
	if (box.x < 4)
		box.x = 4;
	gui_draw_fill(out, box, gui_palette(GUI_COL_TOOLTIP_BG));
	gui_draw_triangle(out, x - 8, box.y + box.h, x + 8, box.y + box.h, x, box.y + box.h + 6, gui_palette(GUI_COL_TOOLTIP_BG));
	for (size_t k = 0; k < n; k++)
		gui_draw_text(out, box.x + pad, box.y + pad + (float)k * lh, px, false, GUI_ALIGN_LEFT,
			      gui_palette(GUI_COL_TOOLTIP_TEXT), label + lines[k].offset, lines[k].len);
}

/* A filled disc as a fan of triangles. */
static void draw_disc(gui_drawlist *out, float cx, float cy, float r, gui_rgba color)
{
	enum { SEGMENTS = 12 };
	for (int i = 0; i < SEGMENTS; i++) {
		const double turn = 6.283185307179586; /* 2 pi */
		double a0 = turn * i / SEGMENTS, a1 = turn * (i + 1) / SEGMENTS;
		gui_draw_triangle(out, cx, cy, cx + r * (float)cos(a0), cy + r * (float)sin(a0), cx + r * (float)cos(a1),
		                  cy + r * (float)sin(a1), color);
	}
}

/* The user's breakpoints: a red dot ringed in white on the track each.
 * Dots closer than a dot's width are drawn once (a long trace squeezes
 * thousands of steps into a pixel; the list may be long). */
static void draw_breakpoints(const gui_timeline_input *in, gui_rect track, gui_drawlist *out)
{
	float r = fmaxf(5.0f, 6.0f * in->scale.unit);
	float cy = track.y + track.h / 2, last = -1e9f;
	for (size_t i = 0; i < in->breakpoint_count; i++) {
		float x = (float)gui_timeline_x(track, in->length, (double)in->breakpoints[i]);
		if (x - last < r)
			continue;
		last = x;
		draw_disc(out, x, cy, r + 1.5f, gui_palette(GUI_COL_PANEL));
		draw_disc(out, x, cy, r, gui_palette(GUI_COL_BREAKPOINT));
	}
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
	flag_band f = flags_of(in);
	gui_timeline_label labels[GUI_TIMELINE_MAX_LABELS];
	gui_timeline_place_labels(in, labels);
	size_t hovered = in->hover ? gui_timeline_mark_at(in, labels, in->hover_x, in->hover_y) : SIZE_MAX;
	for (size_t i = 0; i < in->mark_count; i++) {
		const gui_timeline_mark *mark = &in->marks[i];
		float x = flag_x(in, &f, i);
		gui_rgba color = i == hovered ? gui_palette(GUI_COL_TEXT) : gui_palette(GUI_COL_TICK_MARK);
		float s = f.half;
		if (mark->pause) /* a pause: an inverted triangle, filled */
			gui_draw_triangle(out, x - s, f.y + s * 1.4f, x + s, f.y + s * 1.4f, x, f.y, color);
		else /* a mark: a thin pole */
			gui_draw_fill(out, (gui_rect){x - 1, f.y, 2, s * 1.4f}, color);
		if (i < GUI_TIMELINE_MAX_LABELS && labels[i].shown)
			gui_draw_text(out, labels[i].x, f.y, in->scale.small_px, labels[i].bold, GUI_ALIGN_LEFT, i == hovered ? gui_palette(GUI_COL_TEXT) : dim,
				      labels[i].text, SIZE_MAX);
	}
	draw_breakpoints(in, track, out);
	float head = fmaxf(9.0f, 13.0f * in->scale.unit);
	gui_draw_fill(out, (gui_rect){(float)px - 2, track.y - head * 0.6f, 4, track.h + head * 1.2f}, gui_palette(GUI_COL_TEXT));
	gui_draw_triangle(out, (float)px - head, track.y - head * 1.4f, (float)px + head, track.y - head * 1.4f,
			  (float)px, track.y - head * 0.3f, gui_palette(GUI_COL_TEXT));
	if (hovered != SIZE_MAX)
		draw_mark_tooltip(in, &f, hovered, out);
}
