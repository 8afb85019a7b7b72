/* layout_meters.c — the memory meters panel (see layout_meters.h). Must
 * not: include SDL. */
#include "layout_panels.h"

#include <math.h>
#include <string.h>

#include "palette.h"

static double lerp(double a, double b, double t)
{
	return a + (b - a) * t;
}

size_t gui_snapshot_resident(const gui_snapshot *s)
{
	size_t pages = (size_t)((s->brk + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE), absent = 0;
	for (size_t i = 0; i < s->absent_count; i++)
		absent += s->absent[i].count;
	return absent < pages ? pages - absent : 0;
}

size_t gui_meters(const gui_snapshot *a, const gui_snapshot *b, double t, gui_meter *out)
{
	const sim_stats *sb = &b->stats;
	const sim_stats *sa = a ? &a->stats : sb;
	if (!a)
		t = 1.0;
#define V(field) lerp((double)sa->field, (double)sb->field, t)
	/* RSS from the page runs the bar hatches: the meter and the picture
	 * cannot disagree. */
	double rss_a = (double)gui_snapshot_resident(a ? a : b), rss_b = (double)gui_snapshot_resident(b);
	gui_meter meters[GUI_METER_COUNT] = {
		{GUI_S_VMDATA, V(vm_data), 0x333333FFu},
		{GUI_S_RSS, lerp(rss_a, rss_b, t) * SIM_PAGE_SIZE, 0x777777FFu},
		{GUI_S_IN_USE, V(in_use_payload), gui_place_color(SIM_PLACE_INUSE)},
		{GUI_S_OVERHEAD, V(overhead), gui_place_color(SIM_PLACE_TCACHE_STRUCT)},
		{GUI_S_FREE_TCACHE, V(free_by_place[SIM_PLACE_TCACHE]), gui_place_color(SIM_PLACE_TCACHE)},
		{GUI_S_FREE_FAST, V(free_by_place[SIM_PLACE_FASTBIN]), gui_place_color(SIM_PLACE_FASTBIN)},
		{GUI_S_FREE_BINS,
		 V(free_by_place[SIM_PLACE_UNSORTED]) + V(free_by_place[SIM_PLACE_SMALLBIN]) + V(free_by_place[SIM_PLACE_LARGEBIN]),
		 gui_place_color(SIM_PLACE_UNSORTED)},
		{GUI_S_FREE_TOP, V(free_by_place[SIM_PLACE_TOP]), gui_place_color(SIM_PLACE_TOP)},
		{GUI_S_MMAPPED, V(mmap_bytes), gui_place_color(SIM_PLACE_MMAP)},
		{GUI_S_RELEASABLE, V(trim_releasable), gui_palette(GUI_COL_RELEASED)},
	};
#undef V
	memcpy(out, meters, sizeof meters);
	return GUI_METER_COUNT;
}

/* A meter row's short label, for a panel too narrow for the long ones. */
static gui_string meter_short(gui_string label)
{
	switch (label) {
	case GUI_S_VMDATA: return GUI_S_VMDATA_SHORT;
	case GUI_S_ARENA_SIZE: return GUI_S_ARENA_SIZE_SHORT;
	case GUI_S_RSS: return GUI_S_RSS_SHORT;
	case GUI_S_IN_USE: return GUI_S_IN_USE_SHORT;
	case GUI_S_OVERHEAD: return GUI_S_OVERHEAD_SHORT;
	case GUI_S_FREE_TCACHE: return GUI_S_FREE_TCACHE_SHORT;
	case GUI_S_FREE_FAST: return GUI_S_FREE_FAST_SHORT;
	case GUI_S_FREE_BINS: return GUI_S_FREE_BINS_SHORT;
	case GUI_S_FREE_TOP: return GUI_S_FREE_TOP_SHORT;
	case GUI_S_MMAPPED: /* (a thread's arena's row is the process's mmapped chunks too) */
	case GUI_S_MMAPPED_PROCESS: return GUI_S_MMAPPED_SHORT;
	case GUI_S_RELEASABLE: return GUI_S_RELEASABLE_SHORT;
	default: return label;
	}
}

/* A meter row's label: RSS's with its pages (rss_label), long or short. */
static const char *meter_label(const gui_frame_input *in, gui_string label, const char *rss_label, bool short_label)
{
	if (short_label)
		return gui_str(in->lang, meter_short(label));
	return label == GUI_S_RSS ? rss_label : gui_str(in->lang, label);
}

void gui_meters_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	/* Another arena shown: the panel is that arena's meter (its heaps'
	 * extent, RSS, chunks and what malloc_trim(0) would madvise there). */
	uint32_t arena = in->b->arena;
	char title[64];
	if (arena != 0)
		gui_strf(title, sizeof title, in->lang, GUI_S_ARENA_METER, (unsigned)arena);
	gui_rect r = gui_panel_frame(m, s, g->meters, arena != 0 ? title : gui_str(in->lang, GUI_S_METERS), out);
	gui_meter meters[GUI_METER_COUNT];
	size_t count = gui_meters(in->a, in->b, in->t, meters);
	/* Left out: in a glibc without a tcache (2.3.6) or fastbins (2.43),
	 * their always-empty meters. Another arena's extent is its heaps',
	 * not VmData. */
	size_t kept_meters = 0;
	for (size_t i = 0; i < count; i++) {
		gui_string label = meters[i].label;
		if ((label == GUI_S_FREE_TCACHE && !in->b->has_tcache) ||
		    (label == GUI_S_FREE_FAST && !in->b->has_fastbins))
			continue;
		if (arena != 0 && label == GUI_S_VMDATA)
			meters[i].label = GUI_S_ARENA_SIZE;
		if (arena != 0 && label == GUI_S_MMAPPED) /* no arena's: the process's */
			meters[i].label = GUI_S_MMAPPED_PROCESS;
		meters[kept_meters++] = meters[i];
	}
	count = kept_meters;
	/* RSS in pages too, as `brksim run` prints it */
	char rss_label[96];
	size_t pages = (size_t)llround(meters[1].value / SIM_PAGE_SIZE);
	if (pages == 1)
		gui_strf(rss_label, sizeof rss_label, in->lang, GUI_S_RSS_PAGE);
	else
		gui_strf(rss_label, sizeof rss_label, in->lang, GUI_S_RSS_PAGES, pages);
	/* Text no smaller than small_px (read from the back of a room): when
	 * the rows do not all fit, empty meters go first, then the least
	 * telling ones (this order, last first). */
	static const gui_string keep_order[GUI_METER_COUNT + 2] = {
		GUI_S_VMDATA, GUI_S_ARENA_SIZE, GUI_S_RSS, GUI_S_IN_USE, GUI_S_FREE_TOP, GUI_S_RELEASABLE,
		GUI_S_FREE_BINS, GUI_S_FREE_TCACHE, GUI_S_FREE_FAST, GUI_S_MMAPPED, GUI_S_MMAPPED_PROCESS, GUI_S_OVERHEAD,
	};
	int px = s.small_px;
	float row_h = fl(line_h(m, px)) + 1;
	size_t fit = (size_t)fmaxf(1.0f, (r.h + 2) / row_h);
	bool shown[GUI_METER_COUNT];
	for (size_t i = 0; i < count; i++)
		shown[i] = true;
	size_t shown_count = count;
	for (int pass = 0; pass < 2 && shown_count > fit; pass++)
		for (size_t k = GUI_METER_COUNT + 2; k-- > 0 && shown_count > fit;)
			for (size_t i = 0; i < count; i++)
				if (shown[i] && meters[i].label == keep_order[k] && (pass == 1 || meters[i].value < 0.5)) {
					shown[i] = false;
					shown_count--;
				}
	size_t kept = 0;
	for (size_t i = 0; i < count; i++)
		if (shown[i])
			meters[kept++] = meters[i];
	count = kept;
	/* A label is read before a bar: on a narrow panel (1024x768) the
	 * bars, which had shrunk to a sliver, go before a label is cut
	 * ("malloc_trim(0) fr…"); where even a bar-less row cannot hold the
	 * longest label (640x480), every row says its short label ("VmData",
	 * "in use"), and only what still does not fit is cut, at most half
	 * the row kept for bars. */
	float value_w = fl(text_w(m, px, true, "1023.9 KiB"));
	bool short_labels = false;
	float label_w = 0;
	for (int pass = 0; pass < 2; pass++) {
		short_labels = pass == 1;
		label_w = 0;
		for (size_t i = 0; i < count; i++) {
			float w = fl(text_w(m, px, false, meter_label(in, meters[i].label, rss_label, short_labels)));
			if (w > label_w)
				label_w = w;
		}
		if (label_w + 8 + value_w <= r.w)
			break;
	}
	const float min_bar = 40;
	bool bars = true;
	if (r.w - label_w - value_w - 16 < min_bar) {
		if (label_w + 8 + value_w <= r.w)
			bars = false;
		else if (label_w > r.w * 0.55f)
			label_w = r.w * 0.55f;
	}
	double max = 1;
	for (size_t i = 0; i < count; i++)
		if (meters[i].value > max)
			max = meters[i].value;
	float bar_x = r.x + label_w + 8, bar_w = bars ? r.w - label_w - value_w - 16 : 0;
	float bar_h = fmaxf(4.0f, row_h * 0.55f);
	for (size_t i = 0; i < count; i++) {
		float y = r.y + fl((int)i) * row_h;
		if (y + row_h > r.y + r.h + 2)
			break;
		char label[96];
		gui_ellipsize(m, px, false, meter_label(in, meters[i].label, rss_label, short_labels), (int)label_w, label,
			      sizeof label);
		gui_draw_text(out, r.x, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), label, SIZE_MAX);
		/* At a pause the class is asked what would come back: not told. */
		bool hidden = in->answers_hidden && meters[i].label == GUI_S_RELEASABLE;
		if (hidden) {
			gui_draw_text(out, r.x + r.w, y, px, true, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT_DIM), "?", SIZE_MAX);
			continue;
		}
		if (bar_w > 10) {
			float bw = (float)(meters[i].value / max) * bar_w;
			float by = y + (row_h - bar_h) / 2;
			gui_draw_fill(out, (gui_rect){bar_x, by, bar_w, bar_h}, 0xEEEEEAFFu);
			if (meters[i].value > 0 && bw < 2)
				bw = 2;
			gui_draw_fill(out, (gui_rect){bar_x, by, bw, bar_h}, meters[i].color);
		}
		char value[32];
		gui_format_size((uint64_t)llround(meters[i].value), value, sizeof value);
		gui_draw_text(out, r.x + r.w, y, px, true, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT), value, SIZE_MAX);
	}
}
