/* test-layout.c — the heap bar geometry without SDL: scale, zoom, pan,
 * aggregation of sub-pixel chunks, labels, hit testing, number formats,
 * word wrapping, hatch clipping. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gui/layout_bins.h"
#include "gui/layout_heap.h"
#include "gui/palette.h"
#include "helpers.h"

static const gui_rect bar = {100, 50, 1000, 80};

START_TEST(test_scale_round_trip)
{
	gui_bar_view v = {4096, 4096 + 100000};
	ck_assert_double_eq_tol(gui_bar_x(bar, v, 4096), 100, 1e-9);
	ck_assert_double_eq_tol(gui_bar_x(bar, v, 4096 + 100000), 1100, 1e-9);
	ck_assert_double_eq_tol(gui_bar_x(bar, v, 4096 + 25000), 350, 1e-9);
	for (double x = 100; x <= 1100; x += 37)
		ck_assert_double_eq_tol(gui_bar_x(bar, v, gui_bar_addr_at(bar, v, x)), x, 1e-6);
}
END_TEST

START_TEST(test_zoom_keeps_the_address_under_the_cursor)
{
	double extent = 1 << 20;
	gui_bar_view v = gui_bar_fit(extent);
	double x = 400;
	double before = gui_bar_addr_at(bar, v, x);
	gui_bar_view z = gui_bar_zoom(v, bar, x, 4.0, extent);
	ck_assert_double_eq_tol(gui_bar_addr_at(bar, z, x), before, 1e-6);
	ck_assert_double_eq_tol(z.hi - z.lo, (v.hi - v.lo) / 4, 1e-6);
}
END_TEST

START_TEST(test_zoom_stops_at_byte_level)
{
	double extent = 1 << 20;
	gui_bar_view v = gui_bar_fit(extent);
	for (int i = 0; i < 100; i++)
		v = gui_bar_zoom(v, bar, 600, 2.0, extent);
	ck_assert_double_eq_tol(v.hi - v.lo, GUI_BAR_MIN_SPAN, 1e-9);
	/* at that zoom a byte is ~20 pixels wide */
	ck_assert(bar.w / (v.hi - v.lo) > 16);
	/* and zooming out never shows more than the extent plus a margin */
	for (int i = 0; i < 100; i++)
		v = gui_bar_zoom(v, bar, 600, 0.5, extent);
	ck_assert(v.hi - v.lo <= extent * 1.1 + 1e-6);
	ck_assert(v.lo >= 0);
}
END_TEST

START_TEST(test_pan_moves_content_and_clamps)
{
	double extent = 1 << 20;
	gui_bar_view v = {100000, 200000};
	gui_bar_view p = gui_bar_pan(v, bar, 100, extent); /* drag right 100 px = 10000 bytes */
	ck_assert_double_eq_tol(p.lo, 90000, 1e-6);
	ck_assert_double_eq_tol(p.hi - p.lo, 100000, 1e-6);
	p = gui_bar_pan(v, bar, 5000, extent); /* far right: stops at 0 */
	ck_assert_double_eq_tol(p.lo, 0, 1e-9);
	p = gui_bar_pan(v, bar, -1e7, extent);
	ck_assert(p.hi <= extent * 1.1 + 1e-6);
}
END_TEST

/* The fill colour found at pixel x of the bar in the list (last fill wins,
 * as when painting). */
static gui_rgba fill_at(const gui_drawlist *list, float x, float y)
{
	gui_rgba found = 0;
	for (size_t i = 0; i < list->count; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind == GUI_CMD_FILL && x >= c->x0 && x < c->x0 + c->x1 && y >= c->y0 && y < c->y0 + c->y1)
			found = c->color;
	}
	return found;
}

START_TEST(test_wide_chunks_are_drawn_to_scale)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x3000, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&s, 0x1000, SIM_PLACE_FASTBIN, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x10000 - 0x4290, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	gui_bar_view v = {0, 0x10000};
	gui_seg_list segs = {0};
	ck_assert(gui_bar_rest(&s, v, &segs));
	ck_assert_uint_eq(segs.count, 4);
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_bar_paint(&segs, bar, v, 1e9f, &list);
	/* in-use chunk spans [0x290, 0x3290): pixels 100 + 0x290/65536*1000 .. */
	double x0 = 100 + 0x290 / 65536.0 * 1000, x1 = 100 + 0x3290 / 65536.0 * 1000;
	ck_assert_uint_eq(fill_at(&list, (float)(x0 + 1), 60), gui_place_color(SIM_PLACE_INUSE));
	ck_assert_uint_eq(fill_at(&list, (float)(x1 - 1), 60), gui_place_color(SIM_PLACE_INUSE));
	ck_assert_uint_eq(fill_at(&list, (float)(x1 + 1), 60), gui_place_color(SIM_PLACE_FASTBIN));
	ck_assert_uint_eq(fill_at(&list, 1099, 60), gui_place_color(SIM_PLACE_TOP));
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_subpixel_chunks_are_aggregated_by_dominant_state)
{
	/* 100k chunks: pairs of a 48-byte in-use chunk and a 16-byte... no,
	 * 32-byte (MINSIZE) tcache chunk. In-use covers 60 % of every pixel. */
	gui_snapshot s;
	gui_snapshot_init(&s);
	for (int i = 0; i < 50000; i++) {
		helper_add_chunk(&s, 48, SIM_PLACE_INUSE, SIM_NO_SLOT);
		helper_add_chunk(&s, 32, SIM_PLACE_TCACHE, SIM_NO_SLOT);
	}
	helper_finish(&s);
	gui_bar_view v = {0, (double)s.brk};
	gui_seg_list segs = {0};
	ck_assert(gui_bar_rest(&s, v, &segs));
	ck_assert_uint_eq(segs.count, 100000);
	gui_drawlist list;
	gui_drawlist_init(&list);
	size_t fills = gui_bar_paint(&segs, bar, v, 6, &list);
	/* bounded by the bar width, not by the chunk count: one merged rect */
	ck_assert_uint_le(fills, 3);
	for (float x = 101; x < 1099; x += 97)
		ck_assert_uint_eq(fill_at(&list, x, 60), gui_place_color(SIM_PLACE_INUSE));
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_subpixel_runs_keep_their_region)
{
	/* 20k tiny in-use chunks, then 20k tiny fastbin chunks: each half of
	 * the bar shows its state, with no blended colour anywhere. */
	gui_snapshot s;
	gui_snapshot_init(&s);
	for (int i = 0; i < 20000; i++)
		helper_add_chunk(&s, 32, SIM_PLACE_INUSE, SIM_NO_SLOT);
	for (int i = 0; i < 20000; i++)
		helper_add_chunk(&s, 32, SIM_PLACE_FASTBIN, SIM_NO_SLOT);
	helper_finish(&s);
	gui_bar_view v = {0, (double)s.brk};
	gui_seg_list segs = {0};
	gui_bar_rest(&s, v, &segs);
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_bar_paint(&segs, bar, v, 6, &list);
	ck_assert_uint_eq(fill_at(&list, 300, 60), gui_place_color(SIM_PLACE_INUSE));
	ck_assert_uint_eq(fill_at(&list, 900, 60), gui_place_color(SIM_PLACE_FASTBIN));
	for (size_t i = 0; i < list.count; i++)
		if (list.cmds[i].kind == GUI_CMD_FILL)
			ck_assert(list.cmds[i].color == gui_place_color(SIM_PLACE_INUSE) ||
				  list.cmds[i].color == gui_place_color(SIM_PLACE_FASTBIN));
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
}
END_TEST

/* The colour of each pixel column of the bar's middle row. */
static void rasterize(const gui_drawlist *list, gui_rgba *row, int width)
{
	for (int x = 0; x < width; x++)
		row[x] = fill_at(list, bar.x + (float)x + 0.5f, bar.y + bar.h / 2);
}

START_TEST(test_index_painter_matches_the_per_chunk_painter)
{
	/* A heap with runs of tiny chunks of mixed states and a few big ones,
	 * painted at several zooms: streaming the chunk index through pixel
	 * columns gives the same pixels as visiting every chunk. */
	gui_snapshot s;
	gui_snapshot_init(&s);
	uint64_t seed = 12345;
	for (int i = 0; i < 30000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		sim_place place = (sim_place)(SIM_PLACE_INUSE + (seed >> 33) % 6);
		sim_size size = i % 997 == 0 ? 0x8000 : 32 + 16 * ((seed >> 40) % 20);
		helper_add_chunk(&s, size, place, SIM_NO_SLOT);
	}
	helper_add_chunk(&s, 0x20000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	ck_assert(gui_snapshot_build_index(&s));
	gui_bar_view views[] = {{0, (double)s.brk}, {(double)s.brk / 3, (double)s.brk / 3 + 200000}, {1000, 9000}};
	static gui_rgba fast[1000], slow[1000];
	for (size_t v = 0; v < 3; v++) {
		gui_seg_list segs = {0};
		gui_drawlist a, b;
		gui_drawlist_init(&a);
		gui_drawlist_init(&b);
		gui_bar_rest(&s, views[v], &segs);
		gui_bar_paint(&segs, bar, views[v], 1e9f, &a);
		gui_bar_paint_snapshot(&s, bar, views[v], 1e9f, NULL, &b);
		rasterize(&a, slow, 1000);
		rasterize(&b, fast, 1000);
		int differ = 0;
		for (int x = 0; x < 1000; x++)
			differ += fast[x] != slow[x];
		/* The column at each end of a chunk wider than a pixel may go
		 * either way (the wide chunk's rounded edge, or the column's
		 * majority): allow those, and nothing else. */
		int edges = 0;
		double scale = bar.w / (views[v].hi - views[v].lo);
		for (size_t i = 0; i < s.chunk_count; i++)
			if ((double)gui_chunk_size(&s, i) * scale >= 1.5)
				edges += 2;
		ck_assert_msg(differ <= edges + 2, "view %zu: %d columns differ (%d chunk edges)", v, differ, edges);
		gui_drawlist_release(&a);
		gui_drawlist_release(&b);
		gui_seg_list_release(&segs);
	}
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_rest_segments_only_cover_the_view)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	for (int i = 0; i < 1000; i++)
		helper_add_chunk(&s, 0x100, SIM_PLACE_INUSE, SIM_NO_SLOT);
	helper_finish(&s);
	gui_bar_view v = {0x100 * 500 + 0x80, 0x100 * 510};
	gui_seg_list segs = {0};
	gui_bar_rest(&s, v, &segs);
	ck_assert_uint_eq(segs.count, 10); /* chunks 500..509 */
	ck_assert_double_eq(segs.items[0].lo, 0x100 * 500);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_labels_fit_or_are_dropped)
{
	gui_metrics m = helper_fake_metrics();
	sim_chunk_info c = {0};
	c.size = 0x10000;
	c.place = SIM_PLACE_INUSE;
	gui_chunk_label label;
	/* "buffer" = 6 chars at 20 px → 60 px; "64 KiB" = 60 px */
	ck_assert_int_eq(gui_bar_label_for(&m, 20, 200, 80, &c, "buffer", GUI_UI_EN, &label), 2);
	ck_assert_str_eq(label.line[0], "buffer");
	ck_assert_str_eq(label.line[1], "64 KiB");
	/* one line tall: the name only */
	ck_assert_int_eq(gui_bar_label_for(&m, 20, 200, 26, &c, "buffer", GUI_UI_EN, &label), 1);
	ck_assert_str_eq(label.line[0], "buffer");
	/* a long name that does not fit: the size instead */
	ck_assert_int_eq(gui_bar_label_for(&m, 20, 70, 80, &c, "a_very_long_name", GUI_UI_EN, &label), 1);
	ck_assert_str_eq(label.line[0], "64 KiB");
	/* too narrow for anything */
	ck_assert_int_eq(gui_bar_label_for(&m, 20, 30, 80, &c, "buffer", GUI_UI_EN, &label), 0);
	/* free chunks are named by state */
	c.place = SIM_PLACE_TOP;
	ck_assert_int_eq(gui_bar_label_for(&m, 20, 200, 80, &c, NULL, GUI_UI_EN, &label), 2);
	ck_assert_str_eq(label.line[0], "top");
}
END_TEST

START_TEST(test_heap_layout_labels_never_overflow_their_chunk)
{
	gui_metrics m = helper_fake_metrics();
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	sim_addr a = helper_add_chunk(&s, 0x8000, SIM_PLACE_INUSE, 0);
	sim_addr b = helper_add_chunk(&s, 0x40, SIM_PLACE_INUSE, 1);
	helper_add_chunk(&s, 0x21000 - 0x82d0, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	const char *names[] = {"first_buffer", "b"};
	gui_heap_input in = {0};
	in.b = &s;
	in.t = 1;
	in.view = gui_bar_fit((double)s.brk);
	in.extent = (double)s.brk;
	in.slot_names = names;
	in.slot_count = 2;
	in.metrics = &m;
	in.scale = gui_scale_for(1920, 1080);
	in.callout = (gui_rect){100, 0, 1000, 50};
	in.bar = bar;
	in.ruler = (gui_rect){100, 130, 1000, 40};
	in.axis = (gui_rect){100, 170, 1000, 30};
	gui_seg_list segs = {0};
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_heap_layout(&in, &segs, &list);
	bool saw_name = false;
	for (size_t i = 0; i < list.count; i++) {
		const gui_cmd *c = &list.cmds[i];
		if (c->kind != GUI_CMD_TEXT || c->y0 < bar.y || c->y0 >= bar.y + bar.h)
			continue;
		const char *text = gui_cmd_text(&list, c);
		int w = m.text_width(NULL, c->font_px, c->bold, text, strlen(text));
		/* centred label: find the chunk under its centre; it must contain the text */
		double addr = gui_bar_addr_at(bar, in.view, c->x0);
		size_t idx = gui_snapshot_chunk_index(&s, (sim_addr)addr);
		ck_assert(idx != SIZE_MAX);
		double cx0 = gui_bar_x(bar, in.view, (double)gui_chunk_addr(&s, idx));
		double cx1 = gui_bar_x(bar, in.view, (double)(gui_chunk_addr(&s, idx) + gui_chunk_size(&s, idx)));
		ck_assert_msg(c->x0 - w / 2.0 >= cx0 && c->x0 + w / 2.0 <= cx1, "label '%s' overflows its chunk", text);
		if (strcmp(text, "first_buffer") == 0)
			saw_name = true;
		ck_assert(gui_chunk_addr(&s, idx) != b); /* 0x40 bytes: far too narrow for a label */
	}
	ck_assert(saw_name);
	(void)a;
	gui_drawlist_release(&list);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&s);
}
END_TEST

/* The fills of the heap bar's commands in [from, to), as text: what the
 * memo must give back. */
static bool same_fills(const gui_drawlist *x, const gui_drawlist *y)
{
	if (x->count != y->count)
		return false;
	for (size_t i = 0; i < x->count; i++)
		if (x->cmds[i].kind != y->cmds[i].kind ||
		    (x->cmds[i].kind != GUI_CMD_TEXT && memcmp(&x->cmds[i], &y->cmds[i], sizeof x->cmds[i]) != 0))
			return false;
	return true;
}

/* A frame at rest that paints the snapshot it painted last time, into the
 * same bar and view, copies that painting (gui_paint_memo) and gives the
 * same commands; a new snapshot in the same place (cleared, refilled), a
 * zoom or another bar paints again. */
START_TEST(test_heap_bar_at_rest_is_painted_once)
{
	gui_metrics m = helper_fake_metrics();
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	for (int i = 0; i < 3000; i++)
		helper_add_chunk(&s, 0x20 + 0x10 * (sim_size)(i % 7), i % 5 ? SIM_PLACE_INUSE : SIM_PLACE_FASTBIN,
				 i % 5 ? (sim_slot)i : SIM_NO_SLOT);
	helper_add_chunk(&s, 0x21000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	ck_assert(gui_snapshot_build_index(&s)); /* as gui_snapshot_collect does */
	gui_paint_memo memo = {0};
	gui_heap_input in = {0};
	in.b = &s;
	in.t = 1;
	in.view = gui_bar_fit((double)s.brk);
	in.extent = (double)s.brk;
	in.metrics = &m;
	in.scale = gui_scale_for(1920, 1080);
	in.callout = (gui_rect){100, 0, 1000, 50};
	in.bar = bar;
	in.ruler = (gui_rect){100, 130, 1000, 40};
	in.axis = (gui_rect){100, 170, 1000, 30};
	gui_seg_list segs = {0};
	gui_drawlist first, again, plain;
	gui_drawlist_init(&first);
	gui_drawlist_init(&again);
	gui_drawlist_init(&plain);
	in.paint_memo = &memo;
	gui_heap_layout(&in, &segs, &first);
	ck_assert(memo.valid);
	ck_assert_uint_gt(memo.cmd_count, 2);
	gui_heap_layout(&in, &segs, &again);
	ck_assert(same_fills(&first, &again));
	in.paint_memo = NULL;
	gui_heap_layout(&in, &segs, &plain);
	ck_assert(same_fills(&first, &plain));
	/* copied, not painted: a chunk changed behind the snapshot's back
	 * (never done outside this test) does not show */
	sim_place was[200];
	for (size_t i = 0; i < 200; i++) {
		was[i] = gui_chunk_place(&s, 100 + i);
		s.places[100 + i] = (uint8_t)SIM_PLACE_UNSORTED;
	}
	in.paint_memo = &memo;
	gui_drawlist_clear(&again);
	gui_heap_layout(&in, &segs, &again);
	ck_assert(same_fills(&first, &again));
	in.paint_memo = NULL; /* (painted, it shows) */
	gui_drawlist_clear(&plain);
	gui_heap_layout(&in, &segs, &plain);
	ck_assert(!same_fills(&first, &plain));
	for (size_t i = 0; i < 200; i++) {
		s.places[100 + i] = (uint8_t)was[i];
	}
	/* the snapshot made again in the same place: painted again */
	gui_snapshot copy;
	gui_snapshot_init(&copy);
	gui_snapshot_copy(&copy, &s);
	gui_snapshot_clear(&s);
	for (size_t i = 0; i < copy.chunk_count; i++) {
		sim_chunk_info c = gui_snapshot_chunk(&copy, i);
		gui_snapshot_add_chunk(&s, &c);
	}
	for (size_t i = 100; i < 300; i++)
		gui_snapshot_set_place(&s, i, SIM_PLACE_SMALLBIN);
	helper_finish(&s);
	ck_assert(gui_snapshot_build_index(&s));
	gui_drawlist_clear(&again);
	gui_heap_layout(&in, &segs, &again);
	in.paint_memo = NULL;
	gui_drawlist_clear(&plain);
	gui_heap_layout(&in, &segs, &plain);
	ck_assert(same_fills(&again, &plain));
	ck_assert(!same_fills(&first, &again));
	/* zoomed: painted again */
	in.paint_memo = &memo;
	in.view = (gui_bar_view){0, (double)s.brk / 4};
	gui_drawlist_clear(&again);
	gui_heap_layout(&in, &segs, &again);
	in.paint_memo = NULL;
	gui_drawlist_clear(&plain);
	gui_heap_layout(&in, &segs, &plain);
	ck_assert(same_fills(&again, &plain));
	gui_paint_memo_release(&memo);
	gui_drawlist_release(&first);
	gui_drawlist_release(&again);
	gui_drawlist_release(&plain);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&copy);
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_hit_test_finds_the_chunk_and_counts_a_crowded_pixel)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x8000, SIM_PLACE_INUSE, 0);
	for (int i = 0; i < 100; i++)
		helper_add_chunk(&s, 0x20, SIM_PLACE_FASTBIN, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x8000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	gui_bar_view v = {0, (double)s.brk}; /* 0x10c80 bytes on 1000 px: ~69 bytes per px */
	gui_bar_hit h = gui_bar_hit_test(&s, bar, v, 150);
	ck_assert_uint_eq(h.chunk, 0);
	ck_assert_uint_eq(h.chunks_in_pixel, 1);
	double fast_x = gui_bar_x(bar, v, 0x8000 + 50 * 0x20) + 0.5;
	h = gui_bar_hit_test(&s, bar, v, fast_x);
	ck_assert(h.chunk >= 1 && h.chunk <= 100);
	ck_assert_uint_ge(h.chunks_in_pixel, 2); /* two or three 32-byte chunks per pixel */
	ck_assert_uint_le(h.chunks_in_pixel, 4);
	h = gui_bar_hit_test(&s, bar, v, 1099);
	ck_assert_uint_eq(h.chunk, 101);
	h = gui_bar_hit_test(&s, bar, v, 50); /* left of the bar */
	ck_assert_uint_eq(h.chunk, SIZE_MAX);
	gui_snapshot_release(&s);
}
END_TEST

/* The tooltip over the program's own bytes says what they are, not a
 * chunk's size and flags. */
START_TEST(test_tooltip_of_the_programs_bytes)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x8000, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&s, 0x2020, SIM_PLACE_PROGRAM, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x8000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&s);
	char lines[8][128];
	size_t n = gui_tooltip_lines(&s, 1, 1, NULL, NULL, 0, GUI_UI_EN, lines, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(lines[0], "program's sbrk");
	ck_assert_str_eq(lines[1], "0x8000 \u2013 0xa020   size 0x2020 (8 KiB)");
	ck_assert_str_eq(lines[2], "the program's own bytes (its sbrk): never malloc's");
	n = gui_tooltip_lines(&s, 1, 1, NULL, NULL, 0, GUI_UI_ZH, lines, 8);
	ck_assert_str_eq(lines[0], "程序的 sbrk");
	ck_assert_str_eq(lines[2], "程序自己用 sbrk 取得的字节，不属于 malloc");
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(lines[i], "P=") == NULL, "%s", lines[i]);
	gui_snapshot_release(&s);
}
END_TEST

/* A bin list's row is labelled with its family and the size of its
 * entries' chunks: the size when they share one, the smallest and "+"
 * when they differ, the family alone for the unsorted bin and for a list
 * whose entries are no chunk of the picture. */
START_TEST(test_bin_rows_are_labelled_by_their_chunks_sizes)
{
	gui_snapshot s;
	gui_snapshot_init(&s);
	helper_add_chunk(&s, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	sim_addr t1 = helper_add_chunk(&s, 0x30, SIM_PLACE_TCACHE, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x20, SIM_PLACE_INUSE, 1);
	sim_addr t2 = helper_add_chunk(&s, 0x30, SIM_PLACE_TCACHE, SIM_NO_SLOT);
	sim_addr l1 = helper_add_chunk(&s, 0x430, SIM_PLACE_LARGEBIN, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x20, SIM_PLACE_INUSE, 2);
	sim_addr l2 = helper_add_chunk(&s, 0x410, SIM_PLACE_LARGEBIN, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x20, SIM_PLACE_INUSE, 3);
	sim_addr u = helper_add_chunk(&s, 0x90, SIM_PLACE_UNSORTED, SIM_NO_SLOT);
	helper_add_chunk(&s, 0x20, SIM_PLACE_INUSE, 4);
	sim_addr tcache[] = {t1, t2}, large[] = {l1, l2}, unsorted[] = {u}, nowhere[] = {0x900000};
	ck_assert(gui_snapshot_add_bin(&s, SIM_PLACE_TCACHE, 1, 2, tcache, 2));
	ck_assert(gui_snapshot_add_bin(&s, SIM_PLACE_LARGEBIN, 0, 2, large, 2));
	ck_assert(gui_snapshot_add_bin(&s, SIM_PLACE_UNSORTED, 0, 1, unsorted, 1));
	ck_assert(gui_snapshot_add_bin(&s, SIM_PLACE_SMALLBIN, 7, 1, nowhere, 1));
	helper_finish(&s);
	s.has_tcache = true;
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	gui_bins_layout(&s, (gui_rect){0, 0, 900, 700}, &m, gui_scale_for(1920, 1080), GUI_UI_EN, NULL, &list);
	const char *wanted[] = {"tcache 0x30", "largebin 0x410+", "unsorted", "smallbin"};
	bool seen[4] = {false};
	for (size_t i = 0; i < list.count; i++) {
		if (list.cmds[i].kind != GUI_CMD_TEXT)
			continue;
		const char *t = gui_cmd_text(&list, &list.cmds[i]);
		for (size_t k = 0; k < 4; k++)
			seen[k] |= strcmp(t, wanted[k]) == 0;
	}
	for (size_t k = 0; k < 4; k++)
		ck_assert_msg(seen[k], "no row labelled '%s'", wanted[k]);
	gui_drawlist_release(&list);
	gui_snapshot_release(&s);
}
END_TEST

START_TEST(test_tick_step_is_a_power_of_two_within_budget)
{
	gui_bar_view v = {0, 0x21000};
	double step = gui_bar_tick_step(v, 10);
	ck_assert_double_eq(step, 0x4000); /* 0x21000 / 0x4000 = 8.25 ticks; 0x2000 would give 16.5 */
	ck_assert_double_eq(gui_bar_tick_step((gui_bar_view){0, 64}, 10), 16);
}
END_TEST

/* The address axis's labels are exact: steps of 256 KiB past 1 MiB read
 * "1.25 MiB" (gui_format_size's "1.3 MiB" was 51 KiB off), steps of 128
 * KiB there go to KiB, and below a KiB a step the labels are addresses. */
START_TEST(test_tick_labels_are_exact)
{
	static const struct {
		uint64_t at, step;
		const char *want;
	} cases[] = {
		{0, 0x40000, "0"},
		{0x40000, 0x40000, "256 KiB"},
		{0xc0000, 0x40000, "768 KiB"},
		{0x100000, 0x40000, "1 MiB"},
		{0x140000, 0x40000, "1.25 MiB"},
		{0x180000, 0x40000, "1.5 MiB"},
		{0x1c0000, 0x40000, "1.75 MiB"},
		{0x240000, 0x40000, "2.25 MiB"},
		{0x120000, 0x20000, "1152 KiB"},
		{0x100000, 0x20000, "1024 KiB"},
		{0xe0000, 0x20000, "896 KiB"},
		{0x4000, 0x4000, "16 KiB"},
		{0x1f00, 0x100, "0x1f00"},
		{(uint64_t)5 << 30, (uint64_t)1 << 30, "5 GiB"},
		{(uint64_t)0x280 << 20, (uint64_t)1 << 27, "640 MiB"},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gui_format_tick(cases[i].at, cases[i].step, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, cases[i].want) == 0, "0x%llx in steps of 0x%llx: '%s', not '%s'",
		              (unsigned long long)cases[i].at, (unsigned long long)cases[i].step, buf, cases[i].want);
	}
	/* every label of every power-of-two step from a KiB, read back, is
	 * its address */
	static const struct {
		const char *name;
		double bytes;
	} units[] = {{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
	for (uint64_t step = 1024; step <= ((uint64_t)1 << 32); step <<= 1)
		for (uint64_t k = 1; k <= 40; k++) {
			gui_format_tick(k * step, step, buf, sizeof buf);
			double v;
			char unit[8];
			ck_assert(sscanf(buf, "%lf %7s", &v, unit) == 2);
			double scale = 0;
			for (size_t u = 0; u < 3; u++)
				if (strcmp(unit, units[u].name) == 0)
					scale = units[u].bytes;
			ck_assert_msg(v * scale == (double)(k * step), "'%s' for 0x%llx", buf, (unsigned long long)(k * step));
		}
}
END_TEST

START_TEST(test_format_size)
{
	char buf[32];
	gui_format_size(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "0 B");
	gui_format_size(1000, buf, sizeof buf);
	ck_assert_str_eq(buf, "1000 B");
	gui_format_size(128 * 1024, buf, sizeof buf);
	ck_assert_str_eq(buf, "128 KiB");
	gui_format_size(0xd70, buf, sizeof buf); /* 3440 B = 3.36 KiB */
	ck_assert_str_eq(buf, "3.4 KiB");
	gui_format_size(0x21000, buf, sizeof buf);
	ck_assert_str_eq(buf, "132 KiB");
	gui_format_size(3 * 1024 * 1024 / 2, buf, sizeof buf);
	ck_assert_str_eq(buf, "1.5 MiB");
	gui_format_hex(0x21000, buf, sizeof buf);
	ck_assert_str_eq(buf, "0x21000");
}
END_TEST

START_TEST(test_wrap_latin_at_spaces)
{
	gui_metrics m = helper_fake_metrics();
	const char *text = "free returns memory to the allocator";
	gui_line_span lines[8];
	/* 10 px per character at px 20; 120 px = 12 characters per line */
	size_t n = gui_wrap(&m, 20, false, text, strlen(text), 120, lines, 8);
	ck_assert_uint_eq(n, 4);
	const char *expected[] = {"free returns", "memory to", "the", "allocator"};
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(lines[i].len, strlen(expected[i]));
		ck_assert(memcmp(text + lines[i].offset, expected[i], lines[i].len) == 0);
	}
}
END_TEST

START_TEST(test_wrap_cjk_between_characters)
{
	gui_metrics m = helper_fake_metrics();
	const char *text = "释放大缓冲区后brk没有移动"; /* 6 ideographs, "brk", 4 ideographs */
	gui_line_span lines[8];
	/* 20 px per ideograph, 10 per ASCII: 100 px holds 5 ideographs */
	size_t n = gui_wrap(&m, 20, false, text, strlen(text), 100, lines, 8);
	ck_assert_uint_ge(n, 3);
	int total = 0;
	for (size_t i = 0; i < n && i < 8; i++) {
		int w = m.text_width(NULL, 20, false, text + lines[i].offset, lines[i].len);
		ck_assert_int_le(w, 100);
		total += (int)lines[i].len;
	}
	ck_assert_int_eq(total, (int)strlen(text)); /* nothing lost: no spaces to drop */
	/* the first line is the first 5 ideographs (15 bytes of UTF-8) */
	ck_assert_uint_eq(lines[0].len, 15);
}
END_TEST

START_TEST(test_wrap_long_word_and_newline)
{
	gui_metrics m = helper_fake_metrics();
	const char *text = "abcdefghijklmnop\nxy";
	gui_line_span lines[8];
	size_t n = gui_wrap(&m, 20, false, text, strlen(text), 60, lines, 8); /* 6 chars per line */
	ck_assert_uint_eq(n, 4); /* abcdef ghijkl mnop xy */
	ck_assert_uint_eq(lines[0].len, 6);
	ck_assert_uint_eq(lines[2].len, 4);
	ck_assert(memcmp(text + lines[3].offset, "xy", 2) == 0);
}
END_TEST

START_TEST(test_ellipsize)
{
	gui_metrics m = helper_fake_metrics();
	char out[64];
	gui_ellipsize(&m, 20, false, "short", 200, out, sizeof out);
	ck_assert_str_eq(out, "short");
	gui_ellipsize(&m, 20, false, "a much longer line", 100, out, sizeof out);
	/* "…" is 20 px; 8 ASCII characters fit in the remaining 80 */
	ck_assert_str_eq(out, "a much l…");
}
END_TEST

START_TEST(test_hatch_segments_stay_inside)
{
	gui_rect r = {13, 7, 50, 30};
	float seg[4 * 64];
	size_t n = gui_hatch_segments(r, 8, seg, 64);
	ck_assert_uint_ge(n, 8); /* (50 + 30) / 8 = 10 lines, minus clipped corners */
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 2; k++) {
			float x = seg[4 * i + 2 * k], y = seg[4 * i + 2 * k + 1];
			ck_assert(x >= r.x - 1e-3f && x <= r.x + r.w + 1e-3f);
			ck_assert(y >= r.y - 1e-3f && y <= r.y + r.h + 1e-3f);
		}
		/* 45°: |dx| == |dy| */
		ck_assert_float_eq_tol(fabsf(seg[4 * i + 2] - seg[4 * i]), fabsf(seg[4 * i + 3] - seg[4 * i + 1]), 1e-3f);
	}
}
END_TEST

START_TEST(test_palette_chunk_states_are_distinct)
{
	for (int a = SIM_PLACE_INUSE; a < SIM_PLACE_COUNT; a++)
		for (int b = a + 1; b < SIM_PLACE_COUNT; b++)
			ck_assert_uint_ne(gui_place_color((sim_place)a), gui_place_color((sim_place)b));
	/* text on chunks: white on blue, black on yellow */
	ck_assert_uint_eq(gui_text_on(gui_place_color(SIM_PLACE_INUSE)), 0xFFFFFFFFu);
	ck_assert_uint_eq(gui_text_on(gui_place_color(SIM_PLACE_TCACHE)), 0x000000FFu);
}
END_TEST

/* Counts printf conversions (excluding %%) in s. */
static int conversions(const char *s)
{
	int n = 0;
	for (const char *p = strchr(s, '%'); p; p = strchr(p + 2, '%'))
		if (p[1] != '%')
			n++;
		else
			p++;
	return n;
}

START_TEST(test_ui_strings_agree_across_languages)
{
	for (int id = 0; id < GUI_S_COUNT; id++) {
		const char *en = gui_str(GUI_UI_EN, (gui_string)id), *zh = gui_str(GUI_UI_ZH, (gui_string)id);
		ck_assert_msg(en[0] != '\0', "string %d is empty", id);
		ck_assert_msg(conversions(en) == conversions(zh), "string %d: '%s' vs '%s'", id, en, zh);
	}
	for (int p = 0; p < SIM_PLACE_COUNT; p++)
		ck_assert(gui_place_label(GUI_UI_ZH, (sim_place)p)[0] != '\0');
}
END_TEST

/* The help lists every key the window handles (window.c), in both
 * languages. */
START_TEST(test_help_lists_every_key)
{
	static const char *const keys[] = {"→", "←", "↑", "↓", "Home", "End", "PgUp", "PgDn", "T", "B", "C", "M", "A",
					   "X", "Shift", "+", "-", "0", "L", "F", "F11", "S", "?", "H", "F1", "Esc", "Q"};
	for (int lang = 0; lang < GUI_UI_LANG_COUNT; lang++) {
		const gui_help_line *lines = gui_help_lines((gui_ui_lang)lang);
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			bool found = false;
			for (size_t i = 0; lines[i].keys && !found; i++) {
				/* a key is a whole token of the keys column */
				const char *p = lines[i].keys;
				size_t n = strlen(keys[k]);
				while ((p = strstr(p, keys[k])) != NULL && !found) {
					bool start = p == lines[i].keys || p[-1] == ' ' || p[-1] == ',';
					bool end = p[n] == '\0' || p[n] == ' ' || p[n] == ',';
					found = start && end;
					p += n;
				}
			}
			ck_assert_msg(found, "help (%d) does not list key %s", lang, keys[k]);
		}
		bool space = false;
		for (size_t i = 0; lines[i].keys; i++)
			space = space || strstr(lines[i].keys, lang == GUI_UI_ZH ? "空格" : "Space") != NULL;
		ck_assert(space);
	}
}
END_TEST

static Suite *layout_suite(void)
{
	Suite *s = suite_create("gui-layout");
	TCase *tc = tcase_create("scale");
	tcase_add_test(tc, test_scale_round_trip);
	tcase_add_test(tc, test_zoom_keeps_the_address_under_the_cursor);
	tcase_add_test(tc, test_zoom_stops_at_byte_level);
	tcase_add_test(tc, test_pan_moves_content_and_clamps);
	tcase_add_test(tc, test_tick_step_is_a_power_of_two_within_budget);
	tcase_add_test(tc, test_tick_labels_are_exact);
	suite_add_tcase(s, tc);
	tc = tcase_create("paint");
	tcase_add_test(tc, test_wide_chunks_are_drawn_to_scale);
	tcase_add_test(tc, test_subpixel_chunks_are_aggregated_by_dominant_state);
	tcase_add_test(tc, test_subpixel_runs_keep_their_region);
	tcase_add_test(tc, test_rest_segments_only_cover_the_view);
	tcase_add_test(tc, test_index_painter_matches_the_per_chunk_painter);
	tcase_add_test(tc, test_hatch_segments_stay_inside);
	tcase_add_test(tc, test_palette_chunk_states_are_distinct);
	suite_add_tcase(s, tc);
	tc = tcase_create("labels");
	tcase_add_test(tc, test_labels_fit_or_are_dropped);
	tcase_add_test(tc, test_heap_layout_labels_never_overflow_their_chunk);
	tcase_add_test(tc, test_heap_bar_at_rest_is_painted_once);
	tcase_add_test(tc, test_hit_test_finds_the_chunk_and_counts_a_crowded_pixel);
	tcase_add_test(tc, test_tooltip_of_the_programs_bytes);
	tcase_add_test(tc, test_bin_rows_are_labelled_by_their_chunks_sizes);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, test_format_size);
	tcase_add_test(tc, test_wrap_latin_at_spaces);
	tcase_add_test(tc, test_wrap_cjk_between_characters);
	tcase_add_test(tc, test_wrap_long_word_and_newline);
	tcase_add_test(tc, test_ellipsize);
	tcase_add_test(tc, test_ui_strings_agree_across_languages);
	tcase_add_test(tc, test_help_lists_every_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(layout_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
