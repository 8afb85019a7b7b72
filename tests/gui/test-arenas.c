/* test-arenas.c — threads and arenas in the view: the snapshot of a
 * non-main arena (its heaps end to end, headers as FENCEPOST, its own
 * pages, bins and pin), the heap bar following each step's arena and the
 * [ and ] keys, the process strip's arena blocks, the log naming the
 * thread, and the pixels of real frames (software renderer, real font).
 * The model's arena numbers themselves are checked against the real
 * glibc by the lessons' verify tests. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/keymap.h"
#include "gui/layout_frame.h"
#include "gui/layout_tooltip.h"
#include "gui/palette.h"
#include "gui/render.h"
#include "gui/snapshot.h"
#include "gui/view.h"
#include "helpers.h"
#include "sim/profile.h"
#include "sim/timeline.h"

static gui_text *text;

static bool frame_has_text(gui_view *v, const char *needle)
{
	return helper_frame_count_text(v, needle, false) > 0;
}

static bool frame_has_exact_text(gui_view *v, const char *text_wanted)
{
	return helper_frame_count_text(v, text_wanted, true) > 0;
}

/* The model after `step` ops of a lesson, and a snapshot of one arena. */
static void model_at(const script *sc, size_t step, uint32_t arena, sim_heap **heap_out, gui_snapshot *snap)
{
	sim_timeline *tl = sim_timeline_new(&sc->config, sc->ops, sc->op_count);
	sim_heap *heap = sim_heap_new(&sc->config);
	sim_events events;
	sim_events_init(&events);
	ck_assert(sim_timeline_seek(tl, step, heap, &events));
	gui_snapshot_init(snap);
	ck_assert(gui_snapshot_collect_arena(snap, heap, &events, step, arena));
	sim_events_release(&events);
	sim_timeline_free(tl);
	*heap_out = heap;
}

START_TEST(test_an_arenas_snapshot)
{
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	/* step 11: worker[1] allocated its buffer and session and freed the buffer */
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&l.sc, 11, 1, &heap, &snap);
	sim_arena_info ai;
	ck_assert(sim_heap_arena(heap, 1, &ai));
	ck_assert_uint_eq(snap.arena, 1);
	ck_assert_uint_eq(snap.arena_count, sim_heap_arena_count(heap));
	ck_assert_uint_eq(snap.arena_count, 2);
	ck_assert_uint_eq(snap.main_brk, sim_heap_brk(heap));
	/* its heaps end to end from 0: chunks tile [0, brk), the header first */
	ck_assert_uint_eq(snap.brk, ai.size);
	ck_assert_uint_gt(snap.chunk_count, 3);
	ck_assert_int_eq(gui_chunk_place(&snap, 0), SIM_PLACE_FENCEPOST);
	ck_assert_uint_eq(gui_chunk_addr(&snap, 0), 0);
	for (size_t i = 1; i < snap.chunk_count; i++)
		ck_assert_uint_eq(gui_chunk_addr(&snap, i), gui_chunk_addr(&snap, i - 1) + gui_chunk_size(&snap, i - 1));
	ck_assert_uint_eq(gui_chunk_addr(&snap, snap.chunk_count - 1) + gui_chunk_size(&snap, snap.chunk_count - 1), snap.brk);
	/* the freed 100 KiB buffer is in the unsorted bin, where its pointer was */
	sim_slot buf = script_find_slot(&l.sc, "worker[1].buf", strlen("worker[1].buf"));
	ck_assert_uint_ne(buf, SIM_NO_SLOT);
	bool found = false;
	for (size_t i = 0; i < snap.chunk_count; i++)
		if (gui_chunk_place(&snap, i) == SIM_PLACE_UNSORTED) {
			found = true;
			ck_assert_uint_ge(gui_chunk_size(&snap, i), 100 * 1024);
			size_t list, pos;
			ck_assert(gui_snapshot_bin_of(&snap, gui_chunk_addr(&snap, i), &list, &pos));
			ck_assert_int_eq(snap.bins[list].place, SIM_PLACE_UNSORTED);
		}
	ck_assert(found);
	/* a chunk's tooltip says the arena and glibc's A bit */
	for (size_t i = 0; i < snap.chunk_count; i++)
		if (gui_chunk_place(&snap, i) == SIM_PLACE_INUSE && gui_chunk_slot(&snap, i) == snap.pin.slot) {
			char lines[8][128];
			size_t n = gui_tooltip_lines(&snap, i, 1, NULL, (const char *const *)l.sc.slot_names, l.sc.slot_count,
			                             GUI_UI_EN, lines, 8);
			ck_assert_uint_ge(n, 4);
			ck_assert_str_eq(lines[0], "worker[1].session  (in use)");
			ck_assert_msg(strncmp(lines[1], "chunk A1 0x", 11) == 0, "%s", lines[1]);
			ck_assert_msg(strstr(lines[3], " A=1") != NULL, "%s", lines[3]);
		}
	/* the session pins the arena's top */
	ck_assert(snap.pin.pinned);
	ck_assert_str_eq(script_slot_name(&l.sc, snap.pin.slot), "worker[1].session");
	/* the pin and the bins are the model's for arena 1 (sim_heap_arena_pin,
	 * sim_heap_arena_bin_list), rebased onto the bar (one heap: from its start) */
	sim_pin_info mp;
	sim_heap_arena_pin(heap, 1, &mp);
	sim_addr heap_start;
	sim_size heap_size;
	ck_assert_uint_eq(sim_heap_arena_heaps(heap, 1, &heap_start, &heap_size, 1), 1);
	ck_assert(mp.pinned);
	ck_assert_uint_eq(snap.pin.chunk, mp.chunk - heap_start);
	ck_assert_uint_eq(snap.pin.size, mp.size);
	ck_assert_uint_eq(snap.pin.would_release, mp.would_release);
	ck_assert_uint_ge(snap.bin_count, 1);
	for (size_t b = 0; b < snap.bin_count; b++) {
		const gui_bin_list *bl = &snap.bins[b];
		sim_addr model[GUI_BIN_SHOW_MAX];
		size_t n = sim_heap_arena_bin_list(heap, 1, (sim_place)bl->place, bl->bin, model, GUI_BIN_SHOW_MAX);
		ck_assert_uint_eq(bl->length, n);
		for (size_t k = 0; k < bl->shown; k++)
			ck_assert_uint_eq(snap.entries[bl->first_entry + k], model[k] - heap_start);
	}
	/* resident pages: the page runs agree with the model's count */
	ck_assert_uint_eq(gui_snapshot_resident(&snap), ai.resident_pages);
	ck_assert_uint_eq(snap.arenas[1].resident_pages, ai.resident_pages);
	ck_assert_uint_eq(snap.arenas[1].threads, 1);
	/* arena 0 of the same state: the (empty) brk heap, and no other arena's events */
	gui_snapshot main_snap;
	sim_heap *heap2;
	model_at(&l.sc, 11, 0, &heap2, &main_snap);
	ck_assert_uint_eq(main_snap.arena, 0);
	ck_assert_uint_eq(main_snap.brk, 0);
	for (size_t b = 0; b < main_snap.bin_count; b++) {
		const gui_bin_list *bl = &main_snap.bins[b];
		ck_assert_uint_eq(bl->length, sim_heap_arena_bin_list(heap2, 0, (sim_place)bl->place, bl->bin, NULL, 0));
	}
	for (size_t i = 0; i < main_snap.event_count; i++)
		ck_assert(main_snap.events[i].arena == 0 || main_snap.events[i].arena == SIM_NO_ARENA);
	/* an arena that does not exist yet: the main arena */
	gui_snapshot none;
	sim_heap *heap3;
	model_at(&l.sc, 11, 5, &heap3, &none);
	ck_assert_uint_eq(none.arena, 0);
	gui_snapshot_release(&none);
	gui_snapshot_release(&main_snap);
	gui_snapshot_release(&snap);
	sim_heap_free(heap3);
	sim_heap_free(heap2);
	sim_heap_free(heap);
	helper_lesson_close(&l);
}
END_TEST

/* The main arena's bins panel, with a worker's tcache holding the main
 * arena's `msg` and its own arena's `x` in one bin: only `msg` is the
 * main arena's (the panel listed the calling thread's whole tcache, an
 * address of arena 1 among the brk heap's offsets). */
START_TEST(test_the_main_arenas_bins_are_its_own)
{
	script sc;
	size_t len;
	char path[1024];
	snprintf(path, sizeof path, "%s/freed-by-a-worker.heap", GUI_TEST_DATA);
	char *source = helper_load_scenario(path, &sc, &len);
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&sc, 5, 0, &heap, &snap); /* after the worker's free msg */
	sim_slot msg = script_find_slot(&sc, "msg", 3);
	ck_assert_uint_ne(msg, SIM_NO_SLOT);
	size_t tcache_rows = 0;
	for (size_t b = 0; b < snap.bin_count; b++) {
		const gui_bin_list *bl = &snap.bins[b];
		if (bl->place != SIM_PLACE_TCACHE)
			continue;
		tcache_rows++;
		ck_assert_uint_eq(bl->length, 1);
		ck_assert_uint_eq(bl->shown, 1);
		sim_addr e = snap.entries[bl->first_entry];
		size_t ci = gui_snapshot_chunk_index(&snap, e);
		ck_assert_uint_ne(ci, SIZE_MAX); /* a chunk of the bar */
		ck_assert_int_eq(gui_chunk_place(&snap, ci), SIM_PLACE_TCACHE);
		ck_assert_uint_eq(gui_snapshot_chunk(&snap, ci).freed_slot, msg);
	}
	ck_assert_uint_eq(tcache_rows, 1);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	script_release(&sc);
	free(source);
}
END_TEST

/* With threads, the main arena's meter counts the main arena's chunks
 * only (sim_heap_stats counts every arena's). */
START_TEST(test_the_main_arenas_meter_is_its_own)
{
	helper_lesson l;
	helper_lesson_open(&l, "14b-arena-max-2.heap", "en");
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&l.sc, 32, 0, &heap, &snap);
	ck_assert_uint_eq(snap.arena, 0);
	ck_assert_uint_eq(snap.arena_count, 2);
	ck_assert_uint_eq(snap.stats.free_by_place[SIM_PLACE_TOP], sim_heap_top_size(heap));
	sim_size unsorted = 0, requested = 0;
	for (size_t i = 0; i < snap.chunk_count; i++) {
		if (gui_chunk_place(&snap, i) == SIM_PLACE_UNSORTED)
			unsorted += gui_chunk_size(&snap, i);
		if (gui_chunk_place(&snap, i) == SIM_PLACE_INUSE)
			requested += gui_snapshot_chunk(&snap, i).request;
	}
	ck_assert_uint_eq(snap.stats.free_by_place[SIM_PLACE_UNSORTED], unsorted);
	ck_assert_uint_eq(snap.stats.in_use_payload, requested);
	/* four workers' sessions (200 bytes each) live in the main arena */
	ck_assert_uint_eq(requested, 4 * 200);
	sim_stats all;
	sim_heap_stats(heap, &all);
	ck_assert_uint_gt(all.in_use_payload, snap.stats.in_use_payload); /* the other four are in arena 1 */
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	helper_lesson_close(&l);
}
END_TEST

/* A thread's mmapped chunk belongs to no arena: its arena's meter counts
 * the arena's own chunks (run's summary line for the arena does; the
 * meter said 1 MiB in use in a 132 KiB arena) and names the mmapped row
 * the process's. */
START_TEST(test_an_arenas_meter_leaves_out_the_mmapped_chunks)
{
	helper_lesson l;
	helper_lesson_open_path(&l, GUI_TEST_DATA "/worker-mmaps.heap", "en");
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&l.sc, l.sc.op_count, 1, &heap, &snap);
	ck_assert_uint_eq(snap.arena, 1);
	ck_assert_uint_eq(snap.stats.in_use_payload, 200);
	ck_assert_uint_eq(snap.stats.mmap_bytes, 0x101000);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	gui_view_seek(l.view, l.sc.op_count);
	gui_view_tick(l.view, 10000);
	ck_assert(frame_has_text(l.view, "Memory: arena 1"));
	ck_assert(frame_has_exact_text(l.view, "mmapped (process)"));
	ck_assert(!frame_has_exact_text(l.view, "mmapped chunks"));
	helper_lesson_close(&l);
}
END_TEST

START_TEST(test_the_bar_follows_the_call_and_the_keys_choose)
{
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	gui_view_seek(l.view, 32); /* worker[8] frees its buffer */
	gui_view_tick(l.view, 10000);
	ck_assert(frame_has_text(l.view, "arena 8: 1 heap, 132 KiB mapped"));
	ck_assert(frame_has_text(l.view, "Memory: arena 8"));
	ck_assert(frame_has_text(l.view, "arenas: 9"));
	/* ]: the main arena, whose brk heap is empty here */
	ck_assert(gui_view_action(l.view, GUI_ACT_NEXT_ARENA));
	ck_assert(frame_has_text(l.view, "heap bar: the main arena (brk heap)"));
	ck_assert(frame_has_text(l.view, "brk 0x0"));
	ck_assert(!frame_has_text(l.view, "Memory: arena"));
	/* ] again: arena 1, whose thread is named */
	ck_assert(gui_view_action(l.view, GUI_ACT_NEXT_ARENA));
	ck_assert(frame_has_text(l.view, "heap bar: arena 1 (worker[1])"));
	ck_assert(frame_has_text(l.view, "arena 1: 1 heap"));
	/* the choice holds while stepping */
	gui_view_seek(l.view, 20);
	gui_view_tick(l.view, 10000);
	ck_assert(frame_has_text(l.view, "arena 1: 1 heap"));
	/* [ twice: back through the main arena to following each step */
	ck_assert(gui_view_action(l.view, GUI_ACT_PREV_ARENA));
	ck_assert(gui_view_action(l.view, GUI_ACT_PREV_ARENA));
	ck_assert(frame_has_text(l.view, "heap bar: the arena of each step's call"));
	ck_assert(frame_has_text(l.view, "arena 4: 1 heap")); /* step 20: worker[4]'s call */
	/* ] wraps after the last arena: five at step 20 (main, worker[1..4]'s),
	 * so six presses come back */
	for (int i = 0; i < 6; i++)
		ck_assert(gui_view_action(l.view, GUI_ACT_NEXT_ARENA));
	ck_assert(frame_has_text(l.view, "heap bar: the arena of each step's call"));
	helper_lesson_close(&l);
}
END_TEST

/* `show --arena N`: the bar shows arena N from the start, as if ] had
 * been pressed to it, and ] goes on from there. */
START_TEST(test_the_bar_shows_a_chosen_arena)
{
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	ck_assert_uint_eq(gui_view_arena_count(l.view), 1); /* step 0: main alone */
	gui_view_seek(l.view, 32);
	gui_view_tick(l.view, 10000);
	ck_assert_uint_eq(gui_view_arena_count(l.view), 9);
	gui_view_show_arena(l.view, 3);
	ck_assert(frame_has_text(l.view, "arena 3: 1 heap, 132 KiB mapped"));
	ck_assert(frame_has_text(l.view, "Memory: arena 3"));
	ck_assert(!frame_has_text(l.view, "Memory: arena 8")); /* step 32's own */
	ck_assert(gui_view_action(l.view, GUI_ACT_NEXT_ARENA));
	ck_assert(frame_has_text(l.view, "heap bar: arena 4 (worker[4])"));
	gui_view_show_arena(l.view, 0);
	ck_assert(frame_has_text(l.view, "brk 0x0"));
	ck_assert(!frame_has_text(l.view, "Memory: arena"));
	helper_lesson_close(&l);
}
END_TEST

/* A thread's arena's memory panel says what malloc_trim(0) would give
 * back there: lesson 14's last step, arena 3 holds a free 101 KiB chunk
 * below its top; malloc_trim run on a copy madvises its pages. */
START_TEST(test_an_arenas_meter_says_what_malloc_trim_frees)
{
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&l.sc, l.sc.op_count, 3, &heap, &snap);
	ck_assert_uint_eq(snap.arena, 3);
	sim_heap *copy = sim_heap_clone(heap);
	ck_assert_ptr_nonnull(copy);
	sim_arena_info before, after;
	ck_assert(sim_heap_arena(copy, 3, &before));
	sim_op trim = sim_op_blank(SIM_OP_TRIM);
	sim_events events;
	sim_events_init(&events);
	sim_result r;
	ck_assert(sim_heap_step(copy, &trim, &events, &r));
	ck_assert(sim_heap_arena(copy, 3, &after));
	ck_assert_uint_gt(before.resident_pages, after.resident_pages);
	ck_assert_uint_eq(snap.stats.trim_releasable, (sim_size)(before.resident_pages - after.resident_pages) * 4096);
	gui_view_seek(l.view, l.sc.op_count);
	gui_view_tick(l.view, 10000);
	gui_view_show_arena(l.view, 3);
	ck_assert(frame_has_text(l.view, "Memory: arena 3"));
	ck_assert(frame_has_text(l.view, "malloc_trim(0) frees"));
	sim_events_release(&events);
	sim_heap_free(copy);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	helper_lesson_close(&l);
}
END_TEST

START_TEST(test_the_log_names_the_thread)
{
	helper_lesson l;
	helper_lesson_open(&l, "15-freed-by-another-thread.heap", "en");
	char t[200];
	gui_view_op_text(l.view, 1, t, sizeof t);
	ck_assert_str_eq(t, "pthread_create(producer)");
	gui_view_op_text(l.view, 3, t, sizeof t);
	ck_assert_msg(strncmp(t, "producer: msg[1] = malloc(100)  → A1.0+0x", strlen("producer: msg[1] = malloc(100)  → A1.0+0x")) == 0, "%s", t);
	gui_view_op_text(l.view, 16, t, sizeof t); /* the consumer frees the producer's message */
	ck_assert_str_eq(t, "consumer: free(producer.msg[1])");
	size_t exit_step = 0;
	for (size_t i = 0; i < l.sc.op_count; i++)
		if (l.sc.ops[i].kind == SIM_OP_THREAD_EXIT && exit_step == 0)
			exit_step = i + 1;
	gui_view_op_text(l.view, exit_step, t, sizeof t);
	ck_assert_str_eq(t, "consumer exits");
	helper_lesson_close(&l);
	helper_lesson_open(&l, "15-freed-by-another-thread.heap", "zh");
	gui_view_op_text(l.view, exit_step, t, sizeof t);
	ck_assert_str_eq(t, "consumer 退出");
	helper_lesson_close(&l);
}
END_TEST

/* A thread forks (an .ops trace's `T1 F`): the step's op and its whole
 * sentence, longer than the log's usual room for one event (it was cut
 * to nothing), then what the fork lost pinning the top: the callout. */
START_TEST(test_the_log_tells_a_fork)
{
	static const char source[] = "o -1 65536\no -2 0\nn 1\nT1 a 1 100\nn 2\nT2 a 2 100\na 3 70000\na 4 100\n"
	                           "T2 f 4\nT1 F\nf 3\n";
	/* (the text's ops, made here: the .ops parser is verify's) */
	sim_op ops[11];
	for (int i = 0; i < 11; i++)
		ops[i] = sim_op_blank(SIM_OP_MALLOC);
	ops[0] = sim_op_blank(SIM_OP_MALLOPT);
	ops[0].param = SIM_M_TRIM_THRESHOLD;
	ops[0].value = 65536;
	ops[1] = sim_op_blank(SIM_OP_MALLOPT);
	ops[1].param = SIM_M_TOP_PAD;
	ops[2] = sim_op_blank(SIM_OP_THREAD_START);
	ops[2].value = 1;
	ops[3].thread = 1, ops[3].slot = 1, ops[3].size = 100;
	ops[4] = sim_op_blank(SIM_OP_THREAD_START);
	ops[4].value = 2;
	ops[5].thread = 2, ops[5].slot = 2, ops[5].size = 100;
	ops[6].slot = 3, ops[6].size = 70000;
	ops[7].slot = 4, ops[7].size = 100;
	ops[8] = sim_op_blank(SIM_OP_FREE);
	ops[8].thread = 2, ops[8].slot = 4;
	ops[9] = sim_op_blank(SIM_OP_FORK);
	ops[9].thread = 1;
	ops[10] = sim_op_blank(SIM_OP_FREE);
	ops[10].slot = 3;
	script sc;
	script_init(&sc);
	sc.config = sim_config_defaults(SIM_GLIBC_2_36);
	for (size_t i = 0; i < 11; i++)
		ck_assert(script_add_op(&sc, &ops[i], (uint32_t)i + 1, 1));
	gui_view_config vc = {&sc, sc.config, source, sizeof source - 1, 0, "en", NULL, NULL, GUI_SOURCE_TRACE, NULL, NULL, NULL};
	char err[256];
	gui_view *v = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(v, "%s", err);
	char t[200];
	gui_view_op_text(v, 10, t, sizeof t);
	ck_assert_str_eq(t, "T1: fork() \u2192 child");
	gui_view_seek(v, 10);
	ck_assert(frame_has_text(v, "thread 1 forks"));
	ck_assert(frame_has_exact_text(v, "oldest first")); /* (its last row) */
	gui_view_seek(v, 11);
	ck_assert(frame_has_text(v, "0x11410: freed into a tcache the fork left behind, in use for good: it pins"));
	gui_view_free(v);
	script_release(&sc);
}
END_TEST

START_TEST(test_keys_are_in_the_keymap_and_help)
{
	ck_assert_int_eq(gui_keymap_action("]", false), GUI_ACT_NEXT_ARENA);
	ck_assert_int_eq(gui_keymap_action("[", false), GUI_ACT_PREV_ARENA);
	char md[8192];
	gui_keymap_markdown(md, sizeof md);
	ck_assert_msg(strstr(md, "| ]  [ | heap bar: next / previous arena") != NULL, "%s", md);
}
END_TEST

typedef struct canvas {
	SDL_Surface *surface;
	SDL_Renderer *renderer;
} canvas;

static gui_rgba pixel(const canvas *c, int x, int y)
{
	uint32_t p = ((const uint32_t *)c->surface->pixels)[(size_t)y * (size_t)(c->surface->pitch / 4) + (size_t)x];
	return ((p & 0xffffffu) << 8) | 0xff;
}

static bool near(gui_rgba a, gui_rgba b, int tol)
{
	return abs((int)gui_rgba_r(a) - (int)gui_rgba_r(b)) <= tol && abs((int)gui_rgba_g(a) - (int)gui_rgba_g(b)) <= tol &&
	       abs((int)gui_rgba_b(a) - (int)gui_rgba_b(b)) <= tol;
}

/* The frame `v` renders at 1280x720, on a software canvas; canvas_close
 * gives it back. */
static canvas render_frame(gui_view *v, gui_drawlist *list)
{
	canvas c;
	c.surface = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
	ck_assert(c.surface);
	c.renderer = SDL_CreateSoftwareRenderer(c.surface);
	ck_assert(c.renderer);
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist_init(list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, list));
	gui_render(c.renderer, c.surface, text, list);
	return c;
}

static void canvas_close(canvas *c, gui_drawlist *list)
{
	gui_drawlist_release(list);
	gui_text_forget_renderer(text);
	SDL_DestroyRenderer(c->renderer);
	SDL_FreeSurface(c->surface);
}

/* Pixels of `color` in a rectangle of the rendered frame. */
static size_t count_color(gui_view *v, gui_rect r, gui_rgba color)
{
	int w = 1280, h = 720;
	gui_drawlist list;
	canvas c = render_frame(v, &list);
	size_t n = 0;
	for (int y = (int)r.y; y < (int)(r.y + r.h) && y < h; y++)
		for (int x = (int)r.x; x < (int)(r.x + r.w) && x < w; x++)
			n += near(pixel(&c, x, y), color, 4);
	canvas_close(&c, &list);
	return n;
}

START_TEST(test_pixels_of_the_arena_view)
{
	helper_lesson l;
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	gui_view_seek(l.view, 32);
	gui_view_tick(l.view, 10000);
	gui_metrics m = gui_text_metrics(text);
	gui_frame_geometry g = gui_frame_geometry_mode(1280, 720, &m, true, false);
	gui_rgba unsorted = gui_place_color(SIM_PLACE_UNSORTED);
	/* arena 8's freed 100 KiB fills most of the bar: 100 of its 132 KiB */
	size_t bar_px = (size_t)(g.bar.w * g.bar.h);
	size_t pink = count_color(l.view, g.bar, unsorted);
	ck_assert_msg(pink > bar_px / 2 && pink < bar_px * 9 / 10, "unsorted pixels in the bar: %zu of %zu", pink, bar_px);
	/* the strip: arena 8's miniature (pink too) and the other seven blocks,
	 * greyed up to their resident part */
	size_t strip_pink = count_color(l.view, g.strip, unsorted);
	ck_assert_uint_gt(strip_pink, 20);
	/* the main arena's brk heap is empty at this step: no chunk colour in the bar */
	ck_assert(gui_view_action(l.view, GUI_ACT_NEXT_ARENA));
	ck_assert_uint_eq(count_color(l.view, g.bar, unsorted), 0);
	ck_assert_uint_eq(count_color(l.view, g.bar, gui_place_color(SIM_PLACE_TOP)), 0);
	helper_lesson_close(&l);
}
END_TEST

/* Columns of the bar (x from bar.x) that `color` fills top to bottom
 * (9 rows in 10 at least), in the frame `v` renders at 1280x720: the
 * count, and the first such column in *first. */
static size_t full_columns(gui_view *v, gui_rect bar, gui_rgba color, int *first)
{
	int w = 1280, h = 720;
	gui_drawlist list;
	canvas c = render_frame(v, &list);
	size_t n = 0;
	*first = -1;
	int y0 = (int)bar.y, y1 = (int)(bar.y + bar.h);
	for (int x = (int)bar.x; x < (int)(bar.x + bar.w) && x < w; x++) {
		int hits = 0;
		for (int y = y0; y < y1 && y < h; y++)
			hits += near(pixel(&c, x, y), color, 4);
		if (hits * 10 >= (y1 - y0) * 9) {
			if (*first < 0)
				*first = x;
			n++;
		}
	}
	canvas_close(&c, &list);
	return n;
}

/* An arena with two heaps (tests/gui/data/multi-heap.heap, verified on
 * the real glibc by the fidelity suites): the bar lays them end to end,
 * a dark edge where the second begins (heap A1.0 is 60 MiB of the 120
 * readable: near the middle) and each heap's name; an arena of one heap
 * has neither. */
START_TEST(test_pixels_of_an_arena_with_two_heaps)
{
	helper_lesson l;
	helper_lesson_open_path(&l, GUI_TEST_DATA "/multi-heap.heap", "en");
	gui_view_seek(l.view, 6); /* worker: e = malloc 100, both heaps full */
	gui_view_tick(l.view, 10000);
	gui_metrics m = gui_text_metrics(text);
	gui_frame_geometry g = gui_frame_geometry_mode(1280, 720, &m, true, false);
	int first;
	size_t cols = full_columns(l.view, g.bar, gui_palette(GUI_COL_TEXT), &first);
	ck_assert_msg(cols >= 2 && cols <= 4, "heap edge columns: %zu", cols);
	float at = ((float)first - g.bar.x) / g.bar.w;
	ck_assert_msg(at > 0.40f && at < 0.60f, "the second heap begins at %.2f of the bar", (double)at);
	ck_assert(frame_has_exact_text(l.view, "A1.0"));
	ck_assert(frame_has_exact_text(l.view, "A1.1"));
	/* its size, not the end of heaps laid end to end, which is no address */
	ck_assert(frame_has_text(l.view, "arena 1: 2 heaps, 120 MiB mapped"));
	ck_assert(!frame_has_text(l.view, "end 0x"));
	/* step 9: d (A1.1+0x1e00040, the chunk) is in the unsorted bin; the
	 * bins panel writes it in its heap, not at its place on the bar
	 * (0x5a01040, heap A1.0's 0x3c01000 before it) */
	gui_view_seek(l.view, 9);
	gui_view_tick(l.view, 10000);
	ck_assert(frame_has_exact_text(l.view, "A1.1+0x1e00040") || frame_has_exact_text(l.view, "0x1e00040"));
	ck_assert(!frame_has_exact_text(l.view, "0x5a01040"));
	helper_lesson_close(&l);

	/* one heap: no edge, no names */
	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	gui_view_seek(l.view, 32);
	gui_view_tick(l.view, 10000);
	ck_assert_uint_eq(full_columns(l.view, g.bar, gui_palette(GUI_COL_TEXT), &first), 0);
	ck_assert(!frame_has_exact_text(l.view, "A8.0")); /* (the log has A8.0+0x... addresses) */
	helper_lesson_close(&l);
}
END_TEST

/* The bins panel has an empty row for each family ("tcache —") so the
 * class sees the whole structure, but none for a family the profile's
 * glibc does not have: no tcache in 2.3.6, no fastbins in 2.43; nor has
 * the memory panel a meter for it, nor the legend a swatch. Lesson 14c is written for 2.3.6 to 2.43. */
START_TEST(test_bins_panel_rows_follow_the_profile)
{
	helper_lesson l;
	helper_lesson_open(&l, "14c-threads-in-glibc-2.3.6.heap", "en");
	const char *profiles[] = {"glibc-2.3.6", "glibc-2.43", "glibc-2.36"};
	size_t tcache[3], fastbin[3], tcache_meter[3], fast_meter[3], tcache_struct[3];
	for (size_t i = 0; i < 3; i++) {
		sim_config config = l.sc.config;
		int p = sim_profile_from_name(profiles[i], strlen(profiles[i]));
		ck_assert_int_ge(p, 0);
		config.profile = (sim_profile)p;
		gui_view_config vc = {&l.sc, config, l.source, l.len, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
		char err[256];
		gui_view *v = gui_view_new(&vc, err, sizeof err);
		ck_assert_msg(v, "%s", err);
		tcache[i] = helper_frame_count_text(v, "tcache", true);
		fastbin[i] = helper_frame_count_text(v, "fastbin", true);
		tcache_meter[i] = helper_frame_count_text(v, "free in tcache", true);
		fast_meter[i] = helper_frame_count_text(v, "free in fastbins", true);
		tcache_struct[i] = helper_frame_count_text(v, "tcache struct", true);
		gui_view_free(v);
	}
	/* at step 0 every list is empty: 2.36 has both rows and both legend
	 * swatches; 2.3.6 neither tcache's row nor its two swatches (tcache,
	 * tcache struct), 2.43 neither fastbins' row nor their swatch */
	ck_assert_uint_eq(tcache[2], 2);
	ck_assert_uint_eq(fastbin[2], 2);
	ck_assert_uint_eq(tcache_struct[2], 1);
	ck_assert_uint_eq(tcache[0], 0);
	ck_assert_uint_eq(tcache_struct[0], 0);
	ck_assert_uint_eq(fastbin[0], 2);
	ck_assert_uint_eq(fastbin[1], 0);
	ck_assert_uint_eq(tcache[1], 2);
	ck_assert_uint_eq(tcache_struct[1], 1);
	/* the memory panel: no meter for what that glibc does not have */
	ck_assert_uint_eq(tcache_meter[2], 1);
	ck_assert_uint_eq(fast_meter[2], 1);
	ck_assert_uint_eq(tcache_meter[0], 0);
	ck_assert_uint_eq(fast_meter[0], 1);
	ck_assert_uint_eq(tcache_meter[1], 1);
	ck_assert_uint_eq(fast_meter[1], 0);
	helper_lesson_close(&l);
}
END_TEST

/* No trim ruler in a thread's heap under 2.3.6, whose heap_trim has no
 * threshold test; today's glibc has one there. Lesson 14c's last step:
 * worker[2] moved to arena 1 under 2.3.6; lesson 14: eight arenas. */
START_TEST(test_thread_heap_threshold_follows_the_profile)
{
	helper_lesson l;
	helper_lesson_open(&l, "14c-threads-in-glibc-2.3.6.heap", "en");
	sim_config config = l.sc.config;
	int p = sim_profile_from_name("glibc-2.3.6", strlen("glibc-2.3.6"));
	ck_assert_int_ge(p, 0);
	l.sc.config.profile = (sim_profile)p;
	sim_heap *heap;
	gui_snapshot snap;
	model_at(&l.sc, l.sc.op_count, 1, &heap, &snap);
	ck_assert_uint_eq(snap.arena, 1);
	ck_assert_uint_eq(snap.trim_threshold, 0);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	l.sc.config = config;
	helper_lesson_close(&l);

	helper_lesson_open(&l, "14-eight-threads-eight-arenas.heap", "en");
	model_at(&l.sc, 11, 1, &heap, &snap);
	ck_assert_uint_eq(snap.arena, 1);
	ck_assert_uint_eq(snap.trim_threshold, sim_heap_trim_threshold(heap));
	ck_assert_uint_gt(snap.trim_threshold, 0);
	gui_snapshot_release(&snap);
	sim_heap_free(heap);
	helper_lesson_close(&l);
}
END_TEST

/* How many commands of the frame of v, drawn at w x h with the real
 * font's metrics, are texts exactly `wanted` (wanted not NULL) or fills
 * of colour `rgba` (wanted NULL). */
static size_t count_cmds_real(gui_view *v, int w, int h, const char *wanted, uint32_t rgba)
{
	gui_metrics m = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, w, h, &m, &list));
	size_t n = 0;
	for (size_t i = 0; i < list.count; i++) {
		const gui_cmd *c = &list.cmds[i];
		n += wanted ? c->kind == GUI_CMD_TEXT && strcmp(gui_cmd_text(&list, c), wanted) == 0
		            : c->kind == GUI_CMD_FILL && c->color == rgba;
	}
	gui_drawlist_release(&list);
	return n;
}

static size_t count_text_real(gui_view *v, int w, int h, const char *wanted)
{
	return count_cmds_real(v, w, h, wanted, 0);
}

/* The legend keeps every entry: at 1280 wide the English row had no room
 * for the last one, "pins top" (the outline the pinned chunk wears), and
 * now says "not in RAM" short instead; at 1920, and in Chinese at 1280,
 * the long label fits and stays. */
START_TEST(test_the_legend_keeps_every_entry)
{
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "pins top"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "not in RAM"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "not in RAM (untouched or madvised)"), 0);
	ck_assert_uint_eq(count_text_real(l.view, 1920, 1080, "not in RAM (untouched or madvised)"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1920, 1080, "pins top"), 1);
	helper_lesson_close(&l);
	helper_lesson_open(&l, "03-pinned-top.heap", "zh");
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "不在物理内存（未写入或 madvise）"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "钉住 top"), 1);
	helper_lesson_close(&l);
}
END_TEST

/* Presenting on a 1024x768 projector the row has no room for every
 * entry even short: the bins that hold no chunk at the step go, and
 * what the bar shows stays (lesson 3's end named five empty bins and
 * left out "returned to the kernel" and "pins top"); a bin that holds a
 * chunk (lesson 9's unsorted chunk) keeps its swatch. */
START_TEST(test_a_narrow_legend_keeps_what_is_on_screen)
{
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	ck_assert(gui_view_action(l.view, GUI_ACT_PRESENT));
	gui_view_seek(l.view, gui_view_length(l.view));
	gui_view_tick(l.view, 10000);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "returned to the kernel"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "pins top"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "unsorted"), 0);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "large bin"), 0);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "top"), 2); /* (the swatch's, and the chunk's name) */
	/* where the row has room (out of presentation mode, at 1280x720),
	 * every entry, empty bins too */
	ck_assert(gui_view_action(l.view, GUI_ACT_PRESENT));
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "large bin"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "pins top"), 1);
	helper_lesson_close(&l);
	helper_lesson_open(&l, "09-malloc-trim-madvise.heap", "en");
	ck_assert(gui_view_action(l.view, GUI_ACT_PRESENT));
	gui_view_seek(l.view, 6);
	gui_view_tick(l.view, 10000);
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "unsorted"), 2); /* (the swatch's, and the chunk's) */
	ck_assert_uint_eq(count_text_real(l.view, 1024, 768, "fastbin"), 0);
	helper_lesson_close(&l);
}
END_TEST

/* The memory panel's labels stay whole on a 1024x768 projector: the
 * bars, a sliver there, go instead ("malloc_trim(0) fr…" was cut); at
 * 1280x720 the bars are drawn (their grey track) and the labels whole. */
static size_t count_fill_real(gui_view *v, int w, int h, uint32_t rgba)
{
	return count_cmds_real(v, w, h, NULL, rgba);
}

START_TEST(test_the_memory_panel_keeps_whole_labels)
{
	const char *langs[] = {"en", "zh"}, *labels[] = {"malloc_trim(0) frees", "malloc_trim(0) 可释放"};
	for (size_t k = 0; k < 2; k++) {
		helper_lesson l;
		helper_lesson_open(&l, "03-pinned-top.heap", langs[k]);
		gui_view_seek(l.view, gui_view_length(l.view));
		gui_view_tick(l.view, 10000);
		ck_assert_uint_eq(count_text_real(l.view, 1024, 768, labels[k]), 1);
		ck_assert_uint_eq(count_text_real(l.view, 1280, 720, labels[k]), 1);
		ck_assert_uint_eq(count_fill_real(l.view, 1024, 768, 0xEEEEEAFFu), 0);
		ck_assert_uint_ge(count_fill_real(l.view, 1280, 720, 0xEEEEEAFFu), 8);
		helper_lesson_close(&l);
	}
	/* at 640x480 even a bar-less row is too narrow for the long labels:
	 * every row says its short one ("VmData (…" and "RSS: 76 p…" were
	 * cut), and the source panel still shows the current line */
	helper_lesson l;
	helper_lesson_open(&l, "03-pinned-top.heap", "en");
	gui_view_seek(l.view, 5);
	gui_view_tick(l.view, 10000);
	ck_assert_uint_eq(count_text_real(l.view, 640, 480, "VmData"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 640, 480, "RSS"), 1);
	ck_assert_uint_eq(count_text_real(l.view, 640, 480, "VmData (brk heap)"), 0);
	ck_assert_uint_eq(count_text_real(l.view, 640, 480, "38"), 1); /* the source's line number */
	ck_assert_uint_eq(count_text_real(l.view, 1280, 720, "VmData (brk heap)"), 1);
	helper_lesson_close(&l);
}
END_TEST

int main(void)
{
	int start = helper_text_start(&text);
	if (start != 0)
		return start;
	Suite *s = suite_create("gui-arenas");
	TCase *tc = tcase_create("arenas");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_an_arenas_snapshot);
	tcase_add_test(tc, test_the_main_arenas_meter_is_its_own);
	tcase_add_test(tc, test_the_main_arenas_bins_are_its_own);
	tcase_add_test(tc, test_an_arenas_meter_says_what_malloc_trim_frees);
	tcase_add_test(tc, test_the_bar_shows_a_chosen_arena);
	tcase_add_test(tc, test_the_bar_follows_the_call_and_the_keys_choose);
	tcase_add_test(tc, test_the_log_names_the_thread);
	tcase_add_test(tc, test_the_log_tells_a_fork);
	tcase_add_test(tc, test_keys_are_in_the_keymap_and_help);
	tcase_add_test(tc, test_pixels_of_the_arena_view);
	tcase_add_test(tc, test_pixels_of_an_arena_with_two_heaps);
	tcase_add_test(tc, test_an_arenas_meter_leaves_out_the_mmapped_chunks);
	tcase_add_test(tc, test_bins_panel_rows_follow_the_profile);
	tcase_add_test(tc, test_thread_heap_threshold_follows_the_profile);
	tcase_add_test(tc, test_the_legend_keeps_every_entry);
	tcase_add_test(tc, test_a_narrow_legend_keeps_what_is_on_screen);
	tcase_add_test(tc, test_the_memory_panel_keeps_whole_labels);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	gui_text_free(text);
	TTF_Quit();
	SDL_Quit();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
