/* bench_frame.c — brksim-bench-frame: how long one frame takes.
 *
 * Prints the frame time (layout + render with SDL's software renderer) at
 * 1920×1080 for a heap of 100k live chunks (plus free chunks in every
 * kind of bin), fitted and zoomed in, at rest and mid-animation; and, on a
 * long random trace run through the real model, the time to seek to a
 * random step and collect its snapshot (what a click on the timeline
 * costs). Numbers only: a benchmark, not a test. Target: ≤ 8 ms/frame.
 *
 * With --trace FILE (a recording, e.g. perl-1m.rec): the window over it as
 * `brksim show FILE` opens it, at 1920×1080 with the software renderer:
 * an idle frame, a step forward (→) and back (←) with every frame of
 * their animations, a click on the timeline, and frames while playing at
 * the top speed (a new step every frame), at a few steps spread over the
 * recording. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../lang/script.h"
#include "../sim/profile.h"
#include "../sim/timeline.h"
#include "../trace/trace.h"
#include "font_find.h"
#include "layout_frame.h"
#include "render.h"
#include "snapshot.h"
#include "text.h"
#include "view.h"

/* Thread CPU time: the machine is shared, and waiting for a core is not
 * the frame's cost. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 100k in-use chunks of 32..1040 bytes with every 50th one free in some
 * bin, then top. */
/* A heap of `live` chunks in use with a free one every 50, described as
 * the model describes its chunks (sim_heap_chunks): an owner only on a
 * chunk in use, no freed owner here, a request only on a chunk in use.
 * A picture packs those in 17 bytes; fields the model never sets (both
 * owners, a free chunk's request) would make every chunk odd and time
 * the odd chunks' lookups instead (session 13: 17.7 ms a first frame). */
static void build_heap(gui_snapshot *s, size_t live)
{
	sim_addr addr = 0;
	sim_chunk_info c = {0};
	c.addr = 0;
	c.size = 0x290;
	c.place = SIM_PLACE_TCACHE_STRUCT;
	c.slot = SIM_NO_SLOT;
	c.freed_slot = SIM_NO_SLOT;
	gui_snapshot_add_chunk(s, &c);
	addr = 0x290;
	static const sim_place free_places[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN,
						SIM_PLACE_LARGEBIN};
	size_t made = 0;
	for (size_t i = 0; made < live; i++) {
		c.addr = addr;
		c.size = 32 + 16 * (next_random() % 64);
		c.prev_inuse = true;
		if (i % 50 == 49) {
			c.place = free_places[(i / 50) % 5];
			c.slot = SIM_NO_SLOT;
			c.request = 0;
			if (s->bin_count < 40)
				gui_snapshot_add_bin(s, (sim_place)c.place, (unsigned)(i % 64), 3, &c.addr, 1);
		} else {
			c.place = SIM_PLACE_INUSE;
			c.slot = (sim_slot)made;
			c.request = c.size - 8;
			made++;
		}
		gui_snapshot_add_chunk(s, &c);
		addr += c.size;
	}
	c.addr = addr;
	c.size = 0x20000;
	c.place = SIM_PLACE_TOP;
	c.slot = SIM_NO_SLOT;
	c.request = 0;
	gui_snapshot_add_chunk(s, &c);
	s->brk = addr + c.size;
	s->top = addr;
	s->top_size = c.size;
	s->trim_threshold = 0x20000;
	s->stats.vm_data = s->brk;
	s->stats.in_use_payload = s->brk / 2;
	for (size_t p = 0; p < s->brk / SIM_PAGE_SIZE; p += 7)
		gui_snapshot_add_absent_page(s, p);
	gui_snapshot_build_index(s); /* as gui_snapshot_collect does */
}

typedef struct timing {
	double layout, render;
} timing;

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static bool forget_memo; /* measure a first frame of an animation: no cached diff */

static timing measure(SDL_Renderer *r, SDL_Surface *surface, gui_text *text, gui_frame_input *in, gui_frame_scratch *scratch,
		      gui_drawlist *list, int frames)
{
	double *lay = calloc((size_t)frames, sizeof *lay), *ren = calloc((size_t)frames, sizeof *ren);
	for (int i = -3; i < frames; i++) { /* 3 warm-up frames fill the text caches */
		if (forget_memo)
			memset(&scratch->memo, 0, sizeof scratch->memo);
		double t0 = now_ms();
		gui_drawlist_clear(list);
		gui_frame_layout(in, scratch, list);
		double t1 = now_ms();
		gui_render(r, surface, text, list);
		SDL_RenderPresent(r);
		double t2 = now_ms();
		if (i >= 0) {
			lay[i] = t1 - t0;
			ren[i] = t2 - t1;
		}
	}
	qsort(lay, (size_t)frames, sizeof *lay, compare_double);
	qsort(ren, (size_t)frames, sizeof *ren, compare_double);
	timing t = {lay[frames / 2], ren[frames / 2]};
	free(lay);
	free(ren);
	return t;
}

/* Pixels the fills cover, in screens: overdraw is what a software
 * renderer pays for. */
static double fill_screens(const gui_drawlist *list, int width, int height)
{
	double area = 0;
	for (size_t i = 0; i < list->count; i++) {
		const gui_cmd *c = &list->cmds[i];
		if (c->kind == GUI_CMD_FILL)
			area += (double)c->x1 * (double)c->y1;
	}
	return area / ((double)width * (double)height);
}

static void report(const char *what, timing t, const gui_drawlist *list, int width, int height)
{
	printf("%-46s layout %6.2f ms  render %6.2f ms  frame %6.2f ms  (%zu draw commands, fills %.2f screens)\n", what,
	       t.layout, t.render, t.layout + t.render, list->count, fill_screens(list, width, height));
}

/* Seek cost on a long random trace through the real model: the model's
 * seek and snapshot, and what a click on the timeline costs the window
 * (seek, snapshot, the event log of the steps before, the frame's layout). */
static void bench_seek(size_t op_count, const gui_metrics *metrics)
{
	sim_op *ops = calloc(op_count, sizeof *ops);
	size_t slots = 4096;
	bool *live = calloc(slots, sizeof *live);
	for (size_t i = 0; i < op_count; i++) {
		sim_slot slot = (sim_slot)(next_random() % slots);
		ops[i].slot = slot;
		ops[i].arg_slot = SIM_NO_SLOT;
		if (live[slot]) {
			ops[i].kind = SIM_OP_FREE;
			live[slot] = false;
		} else {
			ops[i].kind = SIM_OP_MALLOC;
			uint64_t r = next_random() % 100;
			ops[i].size = r < 70 ? 16 + next_random() % 512 : r < 98 ? 1024 + next_random() % 16384 : 200000;
			live[slot] = true;
		}
	}
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	double t0 = now_ms();
	sim_timeline *tl = sim_timeline_new(&config, ops, op_count);
	double t1 = now_ms();
	sim_heap *heap = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	gui_snapshot snap;
	gui_snapshot_init(&snap);
	size_t length = sim_timeline_length(tl);
	double worst = 0, total = 0, collect_total = 0;
	int seeks = 200;
	for (int i = 0; i < seeks; i++) {
		size_t step = (size_t)(next_random() % (length + 1));
		double a = now_ms();
		sim_timeline_seek(tl, step, heap, &events);
		double b = now_ms();
		gui_snapshot_collect(&snap, heap, &events, step);
		double c = now_ms();
		total += c - a;
		collect_total += c - b;
		if (c - a > worst)
			worst = c - a;
	}
	printf("seek+collect on a %zu-op random trace (%zu chunks at the end): mean %.2f ms (collect %.2f), worst %.2f ms; "
	       "timeline built in %.0f ms\n",
	       op_count, snap.chunk_count, total / seeks, collect_total / seeks, worst, t1 - t0);

	script sc;
	script_init(&sc);
	char name[32];
	for (size_t i = 0; i < slots; i++) {
		snprintf(name, sizeof name, "p%zu", i);
		script_intern_slot(&sc, name, strlen(name));
	}
	for (size_t i = 0; i < op_count; i++)
		script_add_op(&sc, &ops[i], (uint32_t)i + 1, 1);
	char err[256];
	gui_view_config vc = {&sc, config, NULL, 0, 0, "en", NULL, NULL, GUI_SOURCE_TRACE, NULL, NULL, NULL};
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	gui_drawlist list;
	gui_drawlist_init(&list);
	worst = total = 0;
	for (int i = 0; view && i < seeks; i++) {
		size_t step = (size_t)(next_random() % (length + 1));
		double a = now_ms();
		gui_view_seek(view, step);
		gui_view_frame(view, 1920, 1080, metrics, &list);
		double b = now_ms() - a;
		total += b;
		if (b > worst)
			worst = b;
	}
	printf("timeline click in the window (seek, snapshot, log of 8 steps, layout): mean %.2f ms, worst %.2f ms\n",
	       total / seeks, worst);
	gui_drawlist_release(&list);
	gui_view_free(view);
	script_release(&sc);
	gui_snapshot_release(&snap);
	sim_events_release(&events);
	sim_heap_free(heap);
	sim_timeline_free(tl);
	free(ops);
	free(live);
}


/* ---- the window over a recording (--trace FILE) ---- */

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			char *grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	*len = n;
	return buf;
}

typedef struct stat_set {
	double v[4096];
	size_t n;
} stat_set;

static void stat_add(stat_set *s, double x)
{
	if (s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = x;
}

/* `frames`: each sample is one frame (not a sum of several), counted
 * against the 8 ms target. */
static void stat_print(const char *what, stat_set *s, bool frames)
{
	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof s->v[0], compare_double);
	double sum = 0;
	for (size_t i = 0; i < s->n; i++)
		sum += s->v[i];
	/* (how many miss the target's 8 ms a frame: a median says nothing
	 * of the frames a viewer sees stutter) */
	size_t over = 0;
	for (size_t i = 0; i < s->n; i++)
		over += s->v[i] > 8.0;
	printf("  %-52s median %7.2f ms  mean %7.2f  max %7.2f  ", what, s->v[s->n / 2], sum / (double)s->n,
	       s->v[s->n - 1]);
	if (frames)
		printf("over 8 ms: %zu of %zu\n", over, s->n);
	else
		printf("(n=%zu)\n", s->n);
}

typedef struct window_bench {
	gui_view *view;
	SDL_Renderer *r;
	SDL_Surface *surface;
	gui_text *text;
	const gui_metrics *m;
	gui_drawlist list;
	int width, height;
} window_bench;

/* One frame as the window draws it: gui_view_frame, then the render. */
static double frame_ms(window_bench *w, double *layout_ms)
{
	double t0 = now_ms();
	gui_view_frame(w->view, w->width, w->height, w->m, &w->list);
	double t1 = now_ms();
	gui_render(w->r, w->surface, w->text, &w->list);
	SDL_RenderPresent(w->r);
	double t2 = now_ms();
	if (layout_ms)
		*layout_ms = t1 - t0;
	return t2 - t0;
}

/* A step (→ or ←) as the window plays it: the action, then frames 16 ms
 * apart until the animation ends. first: the frame right after the key
 * (it loads the new step); rest: the animation's other frames. */
static void bench_step(window_bench *w, gui_action action, stat_set *first, stat_set *rest, stat_set *total)
{
	double t0 = now_ms();
	gui_view_action(w->view, action);
	gui_view_tick(w->view, 16);
	frame_ms(w, NULL);
	double sum = now_ms() - t0;
	stat_add(first, sum);
	while (gui_view_animating(w->view)) {
		gui_view_tick(w->view, 16);
		double f = frame_ms(w, NULL);
		stat_add(rest, f);
		sum += f;
	}
	gui_view_tick(w->view, 16);
	sum += frame_ms(w, NULL); /* the settled frame */
	stat_add(total, sum);
}

/* This process's peak resident memory so far, MiB. */
static double peak_mib(void)
{
	struct rusage u;
	return getrusage(RUSAGE_SELF, &u) == 0 ? (double)u.ru_maxrss / 1024.0 : 0;
}

enum { WALK_STEPS = 1000 };

/* The window opened at the last step (`brksim show --step -1`), then ←
 * held down: a key every 33 ms (the keyboard's repeat), a frame between,
 * each step's animation cut by the next key. Prints the peak resident
 * memory at the end and after the walk (the `show` target is 256 MiB),
 * and the keys' frames. Run first: the peak is this process's. */
static void bench_walk_back(window_bench *w, size_t length)
{
	gui_view_seek(w->view, length);
	frame_ms(w, NULL);
	double at_end = peak_mib();
	stat_set key = {0};
	for (int i = 0; i < WALK_STEPS; i++) {
		double t0 = now_ms();
		gui_view_action(w->view, GUI_ACT_STEP_BACK);
		gui_view_tick(w->view, 16);
		frame_ms(w, NULL);
		stat_add(&key, now_ms() - t0);
		gui_view_tick(w->view, 17);
		frame_ms(w, NULL);
	}
	printf("walking back %d steps from the last (the window opened at the end, <- held): peak RSS %.0f MiB at the "
	       "end, %.0f MiB after the walk (snapshots %.1f MB, text cache %.1f MB)\n",
	       WALK_STEPS, at_end, peak_mib(), (double)gui_view_snapshot_bytes(w->view) / 1e6, (double)gui_text_bytes(w->text) / 1e6);
	stat_print("  a key's frame (the step back and its first frame)", &key, true);
}

static int bench_trace(const char *path, int width, int height, SDL_Renderer *r, SDL_Surface *surface, gui_text *text, const gui_metrics *m,
		       int positions)
{
	size_t len = 0;
	char *bytes = read_whole(path, &len);
	if (!bytes) {
		fprintf(stderr, "brksim-bench-frame: cannot read %s\n", path);
		return 2;
	}
	double t0 = now_ms();
	script sc;
	script_init(&sc);
	diag_list diags;
	diag_list_init(&diags);
	trace_extra extra;
	trace_extra_init(&extra);
	trace_format format = trace_detect(path, bytes, len);
	if (!trace_import(format, path, bytes, len, &sc, &diags, &extra) || diags.error_count > 0) {
		/* (a view over what an import refused ran nothing: its errors,
		 * not "out of memory while running the scenario") */
		for (size_t i = 0; i < diags.count; i++) {
			char *said = diag_render(&diags.items[i], path, bytes, len);
			if (said)
				fputs(said, stderr);
			free(said);
		}
		fprintf(stderr, "brksim-bench-frame: %s is not a trace it imports (a recording, mtrace, ltrace or .rep)\n",
			path);
		free(bytes);
		return 2;
	}
	/* as `brksim show` does: the profile of the glibc that made it, the
	 * file's settings over it */
	sim_config config = sc.config;
	char name[48];
	snprintf(name, sizeof name, "glibc-%s", extra.glibc_version);
	int profile = sim_profile_from_name(name, strlen(name));
	if (profile >= 0) {
		config = sim_config_defaults((sim_profile)profile);
		config.touch = sc.config.touch;
		config.heap_start = sc.config.heap_start;
		config.vm_limit = sc.config.vm_limit;
		config.cpus = sc.config.cpus;
		for (int s = 0; s < SIM_SETTING_COUNT; s++)
			if (sc.config.set_mask & (1u << s))
				sim_config_set(&config, (sim_setting)s, sc.config.value[s]);
	}
	/* what `brksim show` gives back before its window opens (app/show.c):
	 * the recorded returns and the ops' columns */
	free(extra.recorded);
	extra.recorded = NULL;
	free(sc.op_col);
	sc.op_col = NULL;
	gui_source_text *packed = gui_source_text_new(bytes, len);
	free(bytes);
	double t1 = now_ms();
	char err[256];
	gui_view_config vc = {&sc, config, NULL, 0, 0, "en", NULL, extra.stacks.stack_count > 0 ? &extra.stacks : NULL,
	                      extra.format == TRACE_FORMAT_RECORDING ? GUI_SOURCE_RECORDING : GUI_SOURCE_TRACE, NULL, NULL, NULL};
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	if (!view) {
		fprintf(stderr, "brksim-bench-frame: %s\n", err);
		return 2;
	}
	gui_view_set_source_text(view, packed);
	double t2 = now_ms();
	window_bench w = {view, r, surface, text, m, {0}, width, height};
	gui_drawlist_init(&w.list);
	size_t length = gui_view_length(view);
	printf("%s: %zu steps, profile %s; imported in %.0f ms, view (timeline) built in %.0f ms\n", path, length,
	       profile >= 0 ? name : "(the file's)", t1 - t0, t2 - t1);

	bench_walk_back(&w, length);

	stat_set idle = {0}, idle_layout = {0}, fwd_first = {0}, fwd_rest = {0}, fwd_total = {0}, back_first = {0},
		 back_rest = {0}, back_total = {0}, click = {0}, click_after = {0}, play = {0};
	for (int p = 0; p < positions; p++) {
		/* spread over the recording, the last one at its end */
		size_t step = positions > 1 ? (size_t)((double)length * (0.1 + 0.9 * p / (positions - 1))) : length / 2;
		if (step >= length)
			step = length - 1;

		gui_view_seek(view, step);
		frame_ms(&w, NULL); /* the seek's frame */
		frame_ms(&w, NULL);
		for (int i = 0; i < 5; i++) {
			double lay = 0;
			stat_add(&idle, frame_ms(&w, &lay));
			stat_add(&idle_layout, lay);
		}
		for (int i = 0; i < 3; i++)
			bench_step(&w, GUI_ACT_STEP_FORWARD, &fwd_first, &fwd_rest, &fwd_total);
		for (int i = 0; i < 3; i++)
			bench_step(&w, GUI_ACT_STEP_BACK, &back_first, &back_rest, &back_total);
		/* a click on the timeline at a random place, then the frame after */
		gui_frame_geometry g = gui_frame_geometry_for(width, height, m, false);
		float x = g.timeline_track.x + (float)(next_random() % (uint64_t)g.timeline_track.w);
		float y = g.timeline_track.y + g.timeline_track.h / 2;
		double a = now_ms();
		gui_view_mouse_down(view, x, y);
		gui_view_mouse_up(view);
		gui_view_tick(view, 16);
		frame_ms(&w, NULL);
		stat_add(&click, now_ms() - a);
		stat_add(&click_after, frame_ms(&w, NULL));
		/* playing at the top speed: each frame shows a step ~50 further
		 * (ten presses take 1x to the top, 4096x; ten back to 1x, so
		 * the next place's steps animate as long as this one's) */
		for (int i = 0; i < 10; i++)
			gui_view_action(view, GUI_ACT_FASTER);
		gui_view_action(view, GUI_ACT_PLAY_PAUSE);
		for (int i = 0; i < 8 && gui_view_playing(view); i++) {
			double b = now_ms();
			gui_view_tick(view, 16);
			frame_ms(&w, NULL);
			stat_add(&play, now_ms() - b);
		}
		if (gui_view_playing(view))
			gui_view_action(view, GUI_ACT_PLAY_PAUSE);
		for (int i = 0; i < 10; i++)
			gui_view_action(view, GUI_ACT_SLOWER);
	}
	if (positions > 0)
		printf("window %dx%d, software renderer, thread CPU time, %d places over the recording:\n", width, height,
		       positions);
	stat_print("idle frame (layout + render)", &idle, true);
	stat_print("  of which layout (gui_view_frame)", &idle_layout, true);
	stat_print("step -> : the frame after the key (loads the step)", &fwd_first, true);
	stat_print("step -> : each later frame of its animation", &fwd_rest, true);
	stat_print("step -> : all its frames (550 ms animation)", &fwd_total, false);
	stat_print("step <- : the frame after the key", &back_first, true);
	stat_print("step <- : each later frame of its animation", &back_rest, true);
	stat_print("step <- : all its frames", &back_total, false);
	stat_print("timeline click: seek + the frame after", &click, false);
	stat_print("the frame after that", &click_after, true);
	stat_print("playing at the top speed: a frame (a new step each)", &play, true);
	gui_drawlist_release(&w.list);
	gui_view_free(view);
	gui_source_text_free(packed);
	trace_extra_release(&extra);
	diag_list_release(&diags);
	script_release(&sc);
	return 0;
}

int main(int argc, char **argv)
{
	int width = 1920, height = 1080, frames = 30;
	size_t live = 100000, trace_ops = 200000;
	/* brksim-bench-frame [LIVE_CHUNKS [FRAMES [TRACE_OPS]]]
	 * brksim-bench-frame --trace FILE [PLACES]  (0 places: the walk back only) */
	const char *trace_path = NULL;
	int places = 8;
	const char *usage = "usage: brksim-bench-frame [LIVE_CHUNKS [FRAMES [TRACE_OPS]]]\n"
			    "       brksim-bench-frame --trace FILE [PLACES]  (0: the walk back only)\n";
	size_t n[3] = {0};
	bool given = false;
	int first = 1, most = 3;
	if (argc > 1 && strcmp(argv[1], "--trace") == 0) {
		if (argc < 3) {
			fputs(usage, stderr);
			return 2;
		}
		trace_path = argv[2];
		first = 3;
		most = 1;
	}
	if (argc - first > most) {
		fputs(usage, stderr);
		return 2;
	}
	for (int i = first; i < argc; i++) {
		char *end = NULL;
		unsigned long long v = strtoull(argv[i], &end, 10);
		if (argv[i][0] < '0' || argv[i][0] > '9' || *end != '\0' || (v == 0 && !trace_path) || v > 100000000) {
			fprintf(stderr, "brksim-bench-frame: not a count from 1 to 100000000: %s\n%s", argv[i], usage);
			return 2;
		}
		n[i - first] = (size_t)v;
		given = true;
	}
	if (trace_path && given)
		places = (int)(n[0] < 1000 ? n[0] : 1000);
	if (!trace_path) {
		live = n[0] ? n[0] : live;
		frames = n[1] ? (int)(n[1] < 100000 ? n[1] : 100000) : frames;
		trace_ops = n[2] ? n[2] : trace_ops;
	}
	char font[1024], err[512];
	if (gui_font_find(NULL, font, sizeof font, err, sizeof err) != 0) {
		fprintf(stderr, "brksim-bench-frame: %s\n", err);
		return 2;
	}
	if (SDL_Init(0) != 0 || TTF_Init() != 0)
		return 2;
	gui_text *text = gui_text_new(font, err, sizeof err);
	SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
	if (!text || !r) {
		fprintf(stderr, "brksim-bench-frame: cannot set up: %s\n", text ? SDL_GetError() : err);
		return 2;
	}
	if (trace_path) {
		gui_metrics tm = gui_text_metrics(text);
		int status = bench_trace(trace_path, width, height, r, surface, text, &tm, places);
		gui_text_forget_renderer(text);
		SDL_DestroyRenderer(r);
		SDL_FreeSurface(surface);
		gui_text_free(text);
		TTF_Quit();
		SDL_Quit();
		return status;
	}
	gui_snapshot a, b;
	gui_snapshot_init(&a);
	gui_snapshot_init(&b);
	build_heap(&b, live);
	gui_snapshot_copy(&a, &b);
	/* b: one chunk in the middle freed (a cross-fade), for the tween frame */
	gui_snapshot_set_place(&b, b.chunk_count / 2, SIM_PLACE_TCACHE);

	char **names = calloc(live, sizeof *names);
	for (size_t i = 0; i < live; i++) {
		names[i] = malloc(24);
		snprintf(names[i], 24, "p%zu", i);
	}
	uint32_t *columns = calloc((size_t)width, sizeof *columns);
	gui_metrics m = gui_text_metrics(text);
	gui_frame_geometry g = gui_frame_geometry_for(width, height, &m, false);
	static const char source[] = "# bench\np[0..99999] = malloc 32..1040\n";
	gui_source_text *packed = gui_source_text_new(source, sizeof source - 1);
	gui_log_line log[] = {{"1.  p0 = malloc(24)  → 0x2a0", true, true, GUI_LOG_VERDICT},
			      {"`p0` = +0x2a0: 24 bytes in chunk 0x20 at +0x290, split from the top chunk", true, false, GUI_LOG_NORMAL}};
	gui_frame_input in = {
		.width = width,
		.height = height,
		.metrics = &m,
		.lang = GUI_UI_EN,
		.title = "Frame benchmark: 100k live chunks",
		.b = &b,
		.t = 1,
		.step = 1,
		.length = live,
		.op_text = "p0 = malloc(24)",
		.caption = "A heap of a hundred thousand live chunks, drawn to scale: chunks narrower than a pixel are "
			   "gathered per pixel column.",
		.source_line = packed ? gui_source_text_line_cb : NULL,
		.source_ctx = packed,
		.source_lines = gui_source_text_lines(packed),
		.current_line = 2,
		.log = log,
		.log_count = 2,
		.tick_columns = columns,
		.tick_column_count = (int)g.timeline_track.w,
		.playhead = 1,
		.view = gui_bar_fit((double)b.brk),
		.extent = (double)b.brk,
		.slot_names = (const char *const *)names,
		.slot_count = live,
	};
	gui_frame_scratch scratch;
	memset(&scratch, 0, sizeof scratch);
	gui_drawlist list;
	gui_drawlist_init(&list);

	printf("brksim-bench-frame: %dx%d, software renderer, %zu live chunks (%zu chunks in all, %zu kept whole), median of %d frames, thread CPU time\n",
	       width, height, live, b.chunk_count, b.odd_count, frames);
	timing t = measure(r, surface, text, &in, &scratch, &list, frames);
	report("at rest, whole heap fitted", t, &list, width, height);
	in.view = (gui_bar_view){(double)b.brk * 0.5, (double)b.brk * 0.5 + 64 * 1024};
	t = measure(r, surface, text, &in, &scratch, &list, frames);
	report("at rest, zoomed to 64 KiB (labels, page grid)", t, &list, width, height);
	in.view = gui_bar_fit((double)b.brk);
	in.a = &a;
	in.t = 0.5;
	t = measure(r, surface, text, &in, &scratch, &list, frames);
	report("mid-animation (tween of 100k chunks), fitted", t, &list, width, height);
	forget_memo = true;
	t = measure(r, surface, text, &in, &scratch, &list, frames);
	report("first frame of an animation (diffs 100k chunks)", t, &list, width, height);
	forget_memo = false;
	in.a = NULL;
	in.help = true;
	t = measure(r, surface, text, &in, &scratch, &list, frames);
	report("help overlay shown", t, &list, width, height);

	if (trace_ops)
		bench_seek(trace_ops, &m);

	gui_drawlist_release(&list);
	gui_frame_scratch_release(&scratch);
	for (size_t i = 0; i < live; i++)
		free(names[i]);
	free(names);
	free(columns);
	gui_source_text_free(packed);
	gui_snapshot_release(&a);
	gui_snapshot_release(&b);
	gui_text_forget_renderer(text);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(surface);
	gui_text_free(text);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
