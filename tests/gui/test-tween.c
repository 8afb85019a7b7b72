/* test-tween.c — animation between two steps: endpoints equal the two
 * states, splits grow out of the chunk they came from, coalescing slides
 * into the survivor, brk slides. */
#include <check.h>
#include <stdlib.h>

#include "gui/layout_heap.h"
#include "helpers.h"

/* The effective place shown at addr by the segments, or SIM_PLACE_COUNT. */
static int place_at(const gui_seg_list *segs, double addr)
{
	for (size_t i = 0; i < segs->count; i++) {
		const gui_bar_seg *s = &segs->items[i];
		if (addr >= s->lo && addr < s->hi)
			return s->mix >= 0.5f ? s->place_to : s->place_from;
	}
	return SIM_PLACE_COUNT;
}

/* Segments cover [0, end) without gaps or overlaps. */
static void assert_tiles(const gui_seg_list *segs, double end)
{
	double pos = 0;
	for (size_t i = 0; i < segs->count; i++) {
		ck_assert_double_eq_tol(segs->items[i].lo, pos, 1e-6);
		ck_assert(segs->items[i].hi > segs->items[i].lo);
		pos = segs->items[i].hi;
	}
	ck_assert_double_eq_tol(pos, end, 1e-6);
}

/* Every chunk of s shows its own place at its start, middle and end. */
static void assert_shows(const gui_seg_list *segs, const gui_snapshot *s)
{
	assert_tiles(segs, (double)s->brk);
	for (size_t i = 0; i < s->chunk_count; i++) {
		const sim_chunk_info c_v = gui_snapshot_chunk(s, i), *c = &c_v;
		double probes[3] = {(double)c->addr, (double)c->addr + (double)c->size / 2, (double)(c->addr + c->size) - 0.5};
		for (int k = 0; k < 3; k++)
			ck_assert_int_eq(place_at(segs, probes[k]), c->place);
	}
}

typedef struct pair {
	gui_snapshot a, b;
} pair;

/* malloc from top: [tcache struct][top] -> [tcache struct][a 0x1000][top] */
static void make_split(pair *p)
{
	gui_snapshot_init(&p->a);
	gui_snapshot_init(&p->b);
	helper_add_chunk(&p->a, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&p->a, 0x20d70, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&p->a);
	helper_add_chunk(&p->b, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&p->b, 0x1000, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&p->b, 0x1fd70, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&p->b);
}

static void release(pair *p)
{
	gui_snapshot_release(&p->a);
	gui_snapshot_release(&p->b);
}

START_TEST(test_endpoints_equal_the_two_states)
{
	pair p;
	make_split(&p);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&p.a, &p.b, 0.0, &segs));
	assert_shows(&segs, &p.a);
	ck_assert(gui_tween_bar(&p.a, &p.b, 1.0, &segs));
	assert_shows(&segs, &p.b);
	/* and the same pair read the other way round */
	ck_assert(gui_tween_bar(&p.b, &p.a, 0.0, &segs));
	assert_shows(&segs, &p.b);
	ck_assert(gui_tween_bar(&p.b, &p.a, 1.0, &segs));
	assert_shows(&segs, &p.a);
	gui_seg_list_release(&segs);
	release(&p);
}
END_TEST

START_TEST(test_split_grows_out_of_the_start_of_top)
{
	pair p;
	make_split(&p);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&p.a, &p.b, 0.5, &segs));
	assert_tiles(&segs, 0x21000);
	/* half-way: the new chunk covers the first half of its final size */
	ck_assert_int_eq(place_at(&segs, 0x290 + 0x7ff), SIM_PLACE_INUSE);
	ck_assert_int_eq(place_at(&segs, 0x290 + 0x801), SIM_PLACE_TOP);
	ck_assert_int_eq(place_at(&segs, 0x1290 + 0x10), SIM_PLACE_TOP);
	gui_seg_list_release(&segs);
	release(&p);
}
END_TEST

START_TEST(test_free_into_top_is_swallowed_downwards)
{
	pair p;
	make_split(&p);
	gui_seg_list segs = {0};
	/* the reverse pair is exactly a free of `a` merging into top */
	ck_assert(gui_tween_bar(&p.b, &p.a, 0.25, &segs));
	assert_tiles(&segs, 0x21000);
	/* a quarter of the way: top has taken the upper quarter of the chunk */
	ck_assert_int_eq(place_at(&segs, 0x290 + 0xbff), SIM_PLACE_INUSE);
	ck_assert_int_eq(place_at(&segs, 0x290 + 0xc01), SIM_PLACE_TOP);
	gui_seg_list_release(&segs);
	release(&p);
}
END_TEST

START_TEST(test_consolidation_merges_fast_chunks_into_top)
{
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	helper_add_chunk(&a, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&a, 0x400, SIM_PLACE_INUSE, 0);
	for (int i = 0; i < 4; i++)
		helper_add_chunk(&a, 0x20, SIM_PLACE_FASTBIN, SIM_NO_SLOT);
	helper_add_chunk(&a, 0x1000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&a);
	helper_add_chunk(&b, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x400, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&b, 0x1080, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&b);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&a, &b, 0.5, &segs));
	assert_tiles(&segs, (double)b.brk);
	/* the fast chunks shrink towards their start while top grows down:
	 * half-way, top begins in the middle of the fast run */
	ck_assert_int_eq(place_at(&segs, 0x690 + 0x3f), SIM_PLACE_FASTBIN);
	ck_assert_int_eq(place_at(&segs, 0x690 + 0x41), SIM_PLACE_TOP);
	ck_assert_int_eq(place_at(&segs, 0x400), SIM_PLACE_INUSE);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

START_TEST(test_brk_slides_and_state_changes_cross_fade)
{
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	helper_add_chunk(&a, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&a, 0x400, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&a, 0x30000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&a);
	helper_add_chunk(&b, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x400, SIM_PLACE_TCACHE, SIM_NO_SLOT); /* freed into the tcache */
	helper_add_chunk(&b, 0x20000, SIM_PLACE_TOP, SIM_NO_SLOT);  /* and brk trimmed by 0x10000 */
	helper_finish(&b);
	ck_assert_double_eq_tol(gui_tween_brk(&a, &b, 0.5), (double)a.brk - 0x8000, 1e-9);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&a, &b, 0.5, &segs));
	assert_tiles(&segs, (double)a.brk - 0x8000);
	/* the freed chunk keeps its place and cross-fades its colour */
	const gui_bar_seg *s = &segs.items[1];
	ck_assert_double_eq(s->lo, 0x290);
	ck_assert_double_eq(s->hi, 0x690);
	ck_assert_int_eq(s->place_from, SIM_PLACE_INUSE);
	ck_assert_int_eq(s->place_to, SIM_PLACE_TCACHE);
	ck_assert_float_eq_tol(s->mix, 0.5f, 1e-6f);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

START_TEST(test_growth_then_split_grows_out_of_top)
{
	/* malloc larger than top: brk grows, then the chunk is carved from
	 * the start of the grown top. The new chunk grows from top's start in
	 * its own colour; nothing cross-fades. */
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	helper_add_chunk(&a, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&a, 0x20d70, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&a);
	helper_add_chunk(&b, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x30d50, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&b, 0x20020, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&b);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&a, &b, 0.5, &segs));
	for (size_t i = 0; i < segs.count; i++)
		ck_assert(segs.items[i].place_from == segs.items[i].place_to); /* no cross-fade */
	ck_assert_int_eq(place_at(&segs, 0x290 + 0x30d50 / 2 - 0x10), SIM_PLACE_INUSE);
	ck_assert_int_eq(place_at(&segs, 0x290 + 0x30d50 / 2 + 0x10), SIM_PLACE_TOP);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

START_TEST(test_first_growth_from_an_empty_heap)
{
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	helper_add_chunk(&b, 0x290, SIM_PLACE_TCACHE_STRUCT, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x20, SIM_PLACE_INUSE, 0);
	helper_add_chunk(&b, 0x20d50, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&b);
	gui_seg_list segs = {0};
	ck_assert(gui_tween_bar(&a, &b, 0.0, &segs));
	ck_assert_uint_eq(segs.count, 0); /* nothing yet */
	ck_assert(gui_tween_bar(&a, &b, 0.5, &segs));
	assert_tiles(&segs, 0x10800);
	ck_assert(gui_tween_bar(&a, &b, 1.0, &segs));
	assert_shows(&segs, &b);
	gui_seg_list_release(&segs);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

/* Colour per pixel column of the bar's middle row. */
static void rasterize(const gui_drawlist *list, gui_rect bar, gui_rgba *row, int width)
{
	for (int x = 0; x < width; x++) {
		row[x] = 0;
		float px = bar.x + (float)x + 0.5f, py = bar.y + bar.h / 2;
		for (size_t i = 0; i < list->count; i++) {
			const gui_cmd *c = &list->cmds[i];
			if (c->kind == GUI_CMD_FILL && px >= c->x0 && px < c->x0 + c->x1 && py >= c->y0 && py < c->y0 + c->y1)
				row[x] = c->color;
		}
	}
}

/* gui_bar_paint_tween (through `memo`, one diff for every frame) paints
 * what painting gui_tween_bar's segments paints, at each view and at
 * five progresses: at most 2 columns of the bar's 800 differ (a column
 * at a region's edge may go either way). */
static void assert_paints_like_the_full_tween(const gui_snapshot *a, const gui_snapshot *b, gui_rect bar,
					      const gui_bar_view *views, size_t view_count, gui_tween_memo *memo)
{
	static gui_rgba full[800], cut[800];
	for (size_t v = 0; v < view_count; v++) {
		for (double t = 0; t <= 1.0; t += 0.25) {
			gui_seg_list segs = {0};
			gui_drawlist x, y;
			gui_drawlist_init(&x);
			gui_drawlist_init(&y);
			ck_assert(gui_tween_bar(a, b, t, &segs));
			gui_bar_paint(&segs, bar, views[v], 1e9f, &x);
			ck_assert(gui_bar_paint_tween(a, b, t, bar, views[v], 1e9f, memo, &segs, &y));
			rasterize(&x, bar, full, 800);
			rasterize(&y, bar, cut, 800);
			int differ = 0;
			for (int k = 0; k < 800; k++)
				differ += full[k] != cut[k];
			ck_assert_msg(differ <= 2, "view %zu t %.2f: %d columns differ", v, t, differ);
			gui_drawlist_release(&x);
			gui_drawlist_release(&y);
			gui_seg_list_release(&segs);
		}
	}
}

START_TEST(test_region_tween_paints_like_the_full_tween)
{
	/* 5000 chunks; one in the middle is freed and merges with its free
	 * neighbour, and brk grows: only that region and the end morph. */
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	for (int i = 0; i < 5000; i++) {
		sim_place pa = i % 7 == 3 ? SIM_PLACE_SMALLBIN : SIM_PLACE_INUSE;
		helper_add_chunk(&a, 0x100, pa, SIM_NO_SLOT);
		if (i == 2500) /* 2499 in use + 2500 in use + 2501 in use; b frees 2500 */
			helper_add_chunk(&b, 0x100, SIM_PLACE_TCACHE, SIM_NO_SLOT);
		else
			helper_add_chunk(&b, 0x100, pa, SIM_NO_SLOT);
	}
	helper_add_chunk(&a, 0x1000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x9000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&a);
	helper_finish(&b);
	gui_snapshot_build_index(&a);
	gui_snapshot_build_index(&b);
	gui_rect bar = {0, 0, 800, 50};
	gui_bar_view views[] = {{0, (double)b.brk}, {0x100 * 2490, 0x100 * 2510}};
	gui_tween_memo memo = {0}; /* one diff for all frames of the animation */
	assert_paints_like_the_full_tween(&a, &b, bar, views, 2, &memo);
	size_t pre, ae, be;
	gui_tween_diff(&a, &b, &pre, &ae, &be);
	ck_assert_uint_eq(pre, 2500); /* the first changed chunk */
	ck_assert_uint_eq(ae, a.chunk_count); /* brk moved: no common suffix */
	ck_assert_uint_eq(memo.prefix, 2500);
	/* a changed snapshot is not answered from the memo */
	gui_snapshot_copy(&b, &a);
	gui_tween_diff_memo(&a, &b, &memo, &pre, &ae, &be);
	ck_assert_uint_eq(pre, a.chunk_count); /* identical now */
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

/* A step that changes the heap in three places far apart (a chunk
 * reused near the start, one freed in the middle, top at the end): the
 * changed part is cut into three spans at the long identical runs
 * between them (those runs were morphed a segment a chunk on every frame
 * of the animation), short runs do not cut it, and painting the spans
 * gives the full tween's pixels at every zoom and progress. */
START_TEST(test_changes_far_apart_are_tweened_apart)
{
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	for (int i = 0; i < 6000; i++) {
		sim_place pa = i % 5 == 2 ? SIM_PLACE_FASTBIN : SIM_PLACE_INUSE;
		sim_place pb = pa;
		if (i == 1000 || i == 1010) /* two changes 9 chunks apart: one span */
			pb = pa == SIM_PLACE_INUSE ? SIM_PLACE_TCACHE : SIM_PLACE_INUSE;
		if (i == 3000)
			pb = SIM_PLACE_TCACHE;
		helper_add_chunk(&a, 0x40, pa, SIM_NO_SLOT);
		helper_add_chunk(&b, 0x40, pb, SIM_NO_SLOT);
	}
	helper_add_chunk(&a, 0x1000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_add_chunk(&b, 0x3000, SIM_PLACE_TOP, SIM_NO_SLOT);
	helper_finish(&a);
	helper_finish(&b);
	gui_snapshot_build_index(&a);
	gui_snapshot_build_index(&b);
	size_t pre, ae, be;
	gui_tween_diff(&a, &b, &pre, &ae, &be);
	ck_assert_uint_eq(pre, 1000);
	gui_tween_span spans[GUI_TWEEN_SPANS];
	size_t n = gui_tween_split(&a, &b, pre, ae, be, spans, GUI_TWEEN_SPANS);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(spans[0].a_lo, 1000);
	ck_assert_uint_eq(spans[0].a_hi, 1011);
	ck_assert_uint_eq(spans[1].a_lo, 3000);
	ck_assert_uint_eq(spans[1].a_hi, 3001);
	ck_assert_uint_eq(spans[2].a_lo, 6000); /* top */
	ck_assert_uint_eq(spans[2].a_hi, a.chunk_count);
	/* room for one span: the whole changed part */
	ck_assert_uint_eq(gui_tween_split(&a, &b, pre, ae, be, spans, 1), 1);
	ck_assert_uint_eq(spans[0].a_hi, a.chunk_count);
	gui_rect bar = {0, 0, 800, 50};
	gui_bar_view views[] = {{0, (double)b.brk}, {0x40 * 990, 0x40 * 1020}, {0x40 * 2000, 0x40 * 4000}};
	gui_tween_memo memo = {0};
	assert_paints_like_the_full_tween(&a, &b, bar, views, 3, &memo);
	ck_assert_uint_eq(memo.span_count, 3);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
}
END_TEST

START_TEST(test_ease_is_monotone_with_fixed_ends)
{
	ck_assert_double_eq(gui_ease(0), 0);
	ck_assert_double_eq(gui_ease(1), 1);
	ck_assert_double_eq_tol(gui_ease(0.5), 0.5, 1e-12);
	double prev = 0;
	for (int i = 1; i <= 100; i++) {
		double e = gui_ease(i / 100.0);
		ck_assert(e >= prev);
		prev = e;
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gui-tween");
	TCase *tc = tcase_create("tween");
	tcase_add_test(tc, test_endpoints_equal_the_two_states);
	tcase_add_test(tc, test_split_grows_out_of_the_start_of_top);
	tcase_add_test(tc, test_free_into_top_is_swallowed_downwards);
	tcase_add_test(tc, test_consolidation_merges_fast_chunks_into_top);
	tcase_add_test(tc, test_brk_slides_and_state_changes_cross_fade);
	tcase_add_test(tc, test_first_growth_from_an_empty_heap);
	tcase_add_test(tc, test_growth_then_split_grows_out_of_top);
	tcase_add_test(tc, test_ease_is_monotone_with_fixed_ends);
	tcase_add_test(tc, test_region_tween_paints_like_the_full_tween);
	tcase_add_test(tc, test_changes_far_apart_are_tweened_apart);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
