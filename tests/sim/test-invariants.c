/* test-invariants.c — the invariant walker: it holds along long random
 * op sequences under many settings (helpers check after every step), and
 * it notices a corrupted state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/heap_internal.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_size(void)
{
	uint64_t k = rnd() % 100;
	if (k < 45)
		return rnd() % 130;
	if (k < 75)
		return rnd() % 1100;
	if (k < 95)
		return rnd() % 70000;
	return rnd() % 600000;
}

/* Settings per profile; heap_start, when not 0, is an initial break off a
 * page (2.31's tunables copy, a recording's real start). */
static const struct {
	sim_profile profile;
	const char *settings;
	sim_addr heap_start;
} configs[] = {
	{SIM_GLIBC_2_36, "tcache_count=7", 0},
	{SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:trim_threshold=65536:mmap_threshold=1048576", 0},
	{SIM_GLIBC_2_36, "tcache_count=2:tcache_unsorted_limit=1:mxfast=0", 0},
	{SIM_GLIBC_2_36, "tcache_max=100:top_pad=4096:trim_threshold=0:mmap_threshold=4096", 0},
	{SIM_GLIBC_2_36, "mmap_max=0:mxfast=160:trim_threshold=4096", 0},
	{SIM_GLIBC_2_3_6, "mxfast=64", 0},
	{SIM_GLIBC_2_3_6, "top_pad=0:trim_threshold=65536:mmap_threshold=524288:mxfast=80", 0},
	{SIM_GLIBC_2_31, "tcache_count=3:top_pad=0:trim_threshold=65536", 0x2b},
	{SIM_GLIBC_2_31, "mxfast=7:mmap_threshold=33554432", 0x7ffff5a3c10},
	{SIM_GLIBC_2_41, "tcache_count=0:top_pad=0:trim_threshold=65536:mmap_threshold=1048576", 0},
	{SIM_GLIBC_2_41, "tcache_count=2:mxfast=0", 0x5555aaa0b000},
	{SIM_GLIBC_2_43, "tcache_count=7", 0},
	{SIM_GLIBC_2_43, "tcache_max=2000000:tcache_count=3:top_pad=0:trim_threshold=65536", 0},
	{SIM_GLIBC_2_43, "tcache_max=300000:mmap_threshold=4096", 0},
	{SIM_GLIBC_2_43, "tcache_count=0:mmap_threshold=4096:tcache_unsorted_limit=1", 0x7f00001230},
};

/* One random op line over slots 0..63 (live: which hold a pointer),
 * as `line`, for a heap of `profile`; false when the slot drawn has
 * nothing to do this time. (No M_MXFAST 0 for 2.3.6: glibc 2.3.6 crashes
 * at the next malloc_trim or mallopt, which test-aborts checks; the walks
 * would end there.) */
static bool random_line(sim_profile profile, bool live[64], char *line, size_t size)
{
	unsigned slot = (unsigned)(rnd() % 64);
	uint64_t k = rnd() % 100;
	if (live[slot] && k < 45) {
		snprintf(line, size, "f %u", slot);
		live[slot] = false;
	} else if (live[slot] && k < 70) {
		snprintf(line, size, "r %u %u %llu", slot, slot, (unsigned long long)rnd_size() + 1);
	} else if (!live[slot] && k < 80) {
		snprintf(line, size, "c %u %llu %llu", slot, (unsigned long long)(rnd() % 8 + 1),
			 (unsigned long long)rnd_size() / 8 + 1);
		live[slot] = true;
	} else if (!live[slot] && k < 85) {
		snprintf(line, size, "A %u %u %llu", slot, 16u << (rnd() % 8), (unsigned long long)rnd_size());
		live[slot] = true;
	} else if (k < 88) {
		snprintf(line, size, "t %llu", (unsigned long long)(rnd() % 3) * 65536);
	} else if (k < 90) {
		uint64_t mxfast = rnd() % 161;
		snprintf(line, size, "o 1 %llu", (unsigned long long)(mxfast == 0 && profile == SIM_GLIBC_2_3_6 ? 1 : mxfast));
	} else if (!live[slot]) {
		snprintf(line, size, "a %u %llu", slot, (unsigned long long)rnd_size());
		live[slot] = true;
	} else {
		return false;
	}
	return true;
}

/* A random op line (random_line) as `out`, the slots of 32 and up the
 * second thread's; false when the slot drawn has nothing to do. */
static bool threaded_line(sim_profile profile, bool live[64], char *out, size_t size)
{
	char line[96];
	if (!random_line(profile, live, line, sizeof line))
		return false;
	unsigned slot = 0;
	bool other = sscanf(line + 2, "%u", &slot) == 1 && line[0] != 't' && line[0] != 'o' && slot >= 32;
	snprintf(out, size, "%s%s", other ? "T1 " : "", line);
	return true;
}

/* Two heaps under settings s (touch as `touch` says), their second
 * thread started: the walks that step both alike. */
static void pair_init(th *a, th *b, size_t s, sim_touch touch)
{
	sim_config c = cfg_with(configs[s].profile, configs[s].settings);
	c.heap_start = configs[s].heap_start;
	c.touch = touch;
	th_init(a, &c);
	th_init(b, &c);
	th_op(a, "n 1");
	th_op(b, "n 1");
}

/* The same op `line` (op i under settings s) on a and b: the same
 * result and the same state after it. */
static void pair_step(th *a, th *b, size_t s, int i, const char *line)
{
	th_op(a, line);
	th_op(b, line);
	char x[96], y[96];
	th_format(a, x, sizeof x);
	th_format(b, y, sizeof y);
	ck_assert_msg(strcmp(x, y) == 0, "settings %zu op %d '%s': %s against %s", s, i, line, y, x);
	ck_assert_msg(sim_heap_equal(a->heap, b->heap), "settings %zu op %d '%s': the states differ", s, i, line);
}

/* `general` never took sim_heap_step's short way; `quick` took it for a
 * fifth of its `steps` at least under settings s when they have a tcache. */
static void assert_short_way_taken(const th *general, const th *quick, size_t s, size_t steps)
{
	ck_assert_uint_eq(general->heap->quick_steps, 0);
	bool tcache = quick->config.value[SIM_SET_TCACHE_COUNT] != 0 && configs[s].profile != SIM_GLIBC_2_3_6;
	ck_assert_msg(!tcache || quick->heap->quick_steps * 5 >= steps, "settings %zu: %llu of %zu ops the short way", s,
		      (unsigned long long)quick->heap->quick_steps, steps);
}

START_TEST(random_walks)
{
	for (size_t s = 0; s < sizeof configs / sizeof configs[0]; s++) {
		sim_config c = cfg_with(configs[s].profile, configs[s].settings);
		c.heap_start = configs[s].heap_start;
		c.touch = s % 2 ? SIM_TOUCH_NONE : SIM_TOUCH_ALL;
		th t;
		th_init(&t, &c);
		rng_state = 0x9e3779b97f4a7c15ull + s;
		bool live[64] = {false};
		char line[96];
		/* the run set (runs.c) is kept only once a verdict needs it:
		 * kept from the start on every other walk (its upkeep on every
		 * kind of step), built from whatever state now and then (the
		 * build), and dropped when unasked for long */
		if (s % 2 == 0)
			runs_track(t.heap);
		for (int i = 0; i < 3000; i++) {
			if (i % 1000 == 500) {
				char why[256];
				runs_track(t.heap);
				ck_assert(t.heap->runs_tracked);
				ck_assert_msg(sim_heap_check(t.heap, why, sizeof why), "settings %zu op %d: %s", s, i, why);
			}
			if (!random_line(configs[s].profile, live, line, sizeof line))
				continue;
			th_op(&t, line);
			ck_assert_msg(!t.result.aborted, "settings %zu op %d '%s' aborted", s, i, line);
		}
		th_fini(&t);
	}
}
END_TEST

/* sim_events.kinds_only (run --format=tsv, --break-on): every step's
 * events are the full events' kinds and details, in their order, and
 * the results and the state are the same after every step, on random
 * walks under every setting above, with a second thread's calls among
 * them; kinds-only steps take sim_heap_step's short way where they can
 * (a fifth of the ops at least under each setting with a tcache), full
 * ones never. */
START_TEST(kinds_only_events_are_the_full_events_kinds)
{
	size_t compared = 0;
	for (size_t s = 0; s < sizeof configs / sizeof configs[0]; s++) {
		th full, kinds;
		pair_init(&full, &kinds, s, cfg_with(configs[s].profile, configs[s].settings).touch);
		kinds.events.kinds_only = true;
		rng_state = 0x2545f4914f6cdd1dull + s;
		bool live[64] = {false};
		char threaded[112];
		size_t steps = 0;
		for (int i = 0; i < 2000; i++) {
			if (!threaded_line(configs[s].profile, live, threaded, sizeof threaded))
				continue;
			steps++;
			pair_step(&full, &kinds, s, i, threaded);
			ck_assert_uint_eq(kinds.events.count, full.events.count);
			for (size_t e = 0; e < full.events.count; e++) {
				ck_assert_msg(kinds.events.items[e].kind == full.events.items[e].kind &&
						      kinds.events.items[e].detail == full.events.items[e].detail,
					      "settings %zu op %d '%s' event %zu: %s/%u against %s/%u", s, i, threaded, e,
					      sim_event_kind_name(kinds.events.items[e].kind), kinds.events.items[e].detail,
					      sim_event_kind_name(full.events.items[e].kind), full.events.items[e].detail);
				compared++;
			}
		}
		assert_short_way_taken(&full, &kinds, s, steps);
		th_fini(&full);
		th_fini(&kinds);
	}
	ck_assert_uint_gt(compared, 50000);
}
END_TEST

/* sim_heap_step's short way (heap.c: quick_malloc, quick_free), taken
 * when no events are asked for, makes what the general way makes: the
 * same results and the same state after every step (sim_heap_equal, and
 * the walker after each), on random walks under every setting above,
 * with a second thread's calls among them; and it is taken (for a
 * fifth of the ops at least, under each setting with a tcache). */
START_TEST(the_short_way_makes_what_the_general_way_makes)
{
	for (size_t s = 0; s < sizeof configs / sizeof configs[0]; s++) {
		th general, quick;
		pair_init(&general, &quick, s, s % 2 ? SIM_TOUCH_NONE : SIM_TOUCH_ALL);
		quick.no_events = true;
		rng_state = 0x51afd7ed558ccd1dull + s;
		bool live[64] = {false};
		char threaded[112];
		size_t steps = 0;
		for (int i = 0; i < 3000; i++) {
			if (!threaded_line(configs[s].profile, live, threaded, sizeof threaded))
				continue;
			steps++;
			pair_step(&general, &quick, s, i, threaded);
		}
		assert_short_way_taken(&general, &quick, s, steps);
		th_fini(&general);
		th_fini(&quick);
	}
}
END_TEST

/* The what-if of sim_config.trim_every (--trim-every N:PAD) is the same
 * heap as a trace that calls malloc_trim(PAD) itself, by the same thread,
 * after every Nth call: compared after every step (sim_heap_equal, the
 * walker after each, the break, top and RSS of the step) on random walks
 * under every setting above, a second thread's calls among them; each
 * every N, PAD and event choice in turn. And its step says so: one
 * TRIM_ADDED with N, PAD and what the trim returned. The trims a trace
 * makes are the real glibc's (the fidelity suites replay them). */
START_TEST(trim_every_is_the_trace_that_trims)
{
	static const struct {
		uint64_t every, pad;
	} whatif[] = {{1, 0}, {7, 0}, {50, 65536}, {13, 4096}};
	size_t trims = 0;
	for (size_t s = 0; s < sizeof configs / sizeof configs[0]; s++) {
		size_t w = s % (sizeof whatif / sizeof whatif[0]);
		th added, made;
		pair_init(&added, &made, s, s % 2 ? SIM_TOUCH_NONE : SIM_TOUCH_ALL);
		added.heap->config.trim_every = added.config.trim_every = whatif[w].every;
		added.heap->config.trim_pad = added.config.trim_pad = whatif[w].pad;
		added.no_events = s % 3 == 0; /* (and without events: the general way all the same) */
		rng_state = 0x3c6ef372fe94f82bull + s;
		bool live[64] = {false};
		char threaded[112], trim[64];
		uint64_t calls = 0;
		for (int i = 0; i < 2000; i++) {
			if (!threaded_line(configs[s].profile, live, threaded, sizeof threaded))
				continue;
			th_op(&added, threaded);
			th_op(&made, threaded);
			bool due = ++calls % whatif[w].every == 0;
			if (due) {
				snprintf(trim, sizeof trim, "%st %llu", strncmp(threaded, "T1 ", 3) == 0 ? "T1 " : "",
				         (unsigned long long)whatif[w].pad);
				th_op(&made, trim);
				trims++;
			}
			if (!added.no_events) {
				ck_assert_uint_eq(th_count(&added, SIM_EV_TRIM_ADDED), due ? 1 : 0);
				const sim_event *e = th_find(&added, SIM_EV_TRIM_ADDED, 0);
				if (due) {
					ck_assert_uint_eq(e->v1, whatif[w].every);
					ck_assert_uint_eq(e->v2, whatif[w].pad);
					ck_assert_uint_eq(e->detail, th_find(&made, SIM_EV_TRIM_RESULT, 0)->v1);
				}
			}
			ck_assert_msg(added.result.brk == made.result.brk && added.result.top_size == made.result.top_size &&
			                      added.result.resident_pages == made.result.resident_pages,
			              "settings %zu op %d '%s': the step's break, top or RSS", s, i, threaded);
			/* (the what-if's own state, its setting and its count, is
			 * the one difference the trace's heap may have) */
			made.heap->config.trim_every = added.heap->config.trim_every;
			made.heap->config.trim_pad = added.heap->config.trim_pad;
			made.heap->calls_since_trim = added.heap->calls_since_trim;
			bool same = sim_heap_equal(added.heap, made.heap);
			made.heap->config.trim_every = made.heap->config.trim_pad = made.heap->calls_since_trim = 0;
			ck_assert_msg(same, "settings %zu op %d '%s': the states differ", s, i, threaded);
		}
		ck_assert_uint_eq(added.heap->quick_steps, 0);
		th_fini(&added);
		th_fini(&made);
	}
	ck_assert_uint_gt(trims, 1000);
}
END_TEST

/* The walker is not a rubber stamp: break one thing at a time. */
START_TEST(detects_corruption)
{
	sim_config c = cfg_sim();
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 300; a 2 100; a 3 300; a 4 100; f 1; f 2; a 5 2000");
	char why[256];
	ck_assert(sim_heap_check(t.heap, why, sizeof why));
	sim_heap *h = t.heap;

	sim_heap *k = sim_heap_clone(h);
	chunk_w(k, main_arena(k)->top)->size += 16; /* top no longer ends at brk */
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	k = sim_heap_clone(h);
	main_arena(k)->bin_count[20]++; /* a count off by one */
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	k = sim_heap_clone(h);
	k->resident_pages++;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	k = sim_heap_clone(h);
	cid c1 = chunk_find(k, th_chunk(&t, 3));
	chunk_w(k, c1)->prev_inuse ^= 1; /* a wrong P bit */
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	k = sim_heap_clone(h);
	main_arena(k)->fastbin_count[5]++;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	/* the run set: three fast chunks in a row are one run; its record
	 * forgotten, or starting in the wrong place */
	th r;
	th_init(&r, &c);
	th_ops(&r, "a 1 100; a 2 100; a 3 100; a 4 100; f 1; f 2; f 3");
	ck_assert(sim_heap_check(r.heap, why, sizeof why));
	ck_assert(!r.heap->runs_tracked); /* no verdict asked: not kept */
	ck_assert_uint_eq(r.heap->run_count, 0);
	runs_track(r.heap);
	ck_assert(sim_heap_check(r.heap, why, sizeof why));
	ck_assert_uint_eq(r.heap->run_count, 1);
	k = sim_heap_clone(r.heap);
	k->run_root = 0;
	k->run_count = 0;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	ck_assert_msg(strstr(why, "run") != NULL, "%s", why);
	sim_heap_free(k);

	k = sim_heap_clone(r.heap);
	run_w(k, k->run_root)->lo += 0x70;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);

	/* a set that is not kept must be empty */
	th_op(&r, "a 1 100");
	ck_assert(sim_heap_check(r.heap, why, sizeof why));
	ck_assert_uint_eq(r.heap->run_count, 1);
	k = sim_heap_clone(r.heap);
	k->runs_tracked = false;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);
	th_fini(&r);
	th_fini(&t);
}
END_TEST

/* A kept run set that no verdict asks for is dropped once its upkeep
 * has cost as much as building it again (runs.c): fast chunks freed and
 * taken back beside each other, below a pin too small to ask. */
START_TEST(run_set_dropped_when_unasked)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 100; a 2 100; a 3 100; a 4 100");
	runs_track(t.heap);
	ck_assert(t.heap->runs_tracked);
	int i = 0;
	for (; i < 5000 && t.heap->runs_tracked; i++) {
		th_ops(&t, "f 1; f 2; f 3");
		ck_assert(!t.heap->runs_tracked || t.heap->run_count == 1);
		th_ops(&t, "a 3 100; a 2 100; a 1 100");
	}
	ck_assert_msg(!t.heap->runs_tracked, "still kept after %d rounds", i);
	ck_assert_int_gt(i, 1000); /* not before 4096 updates */
	ck_assert_uint_eq(t.heap->run_count, 0);
	th_ops(&t, "f 1; f 2; f 3"); /* sim_heap_check after each: untracked and empty */
	th_fini(&t);
}
END_TEST

/* The fastbins' push stamps run out after 2^32 pushes: the chunks there
 * are stamped anew, keeping each list's order (sim_heap_check after
 * every step checks it), and the next pushes stamp above them. */
START_TEST(fast_stamps_run_out)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 20; a 2 100; a 3 20; a 4 100; a 5 20; a 6 100; a 7 20");
	t.heap->fast_stamp = UINT32_MAX - 2;
	th_ops(&t, "f 1; f 2; f 3; f 4");
	ck_assert_uint_lt(t.heap->fast_stamp, 8);
	sim_addr five = th_chunk(&t, 5), six = th_chunk(&t, 6);
	th_ops(&t, "f 5; f 6; a 8 20; a 9 100; f 9");
	/* the fastbins give the chunks back newest first */
	ck_assert_uint_eq(th_chunk(&t, 8), five);
	th_ops(&t, "a 10 100");
	ck_assert_uint_eq(th_chunk(&t, 10), six);
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("invariants");
	TCase *tc = tcase_create("walker");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_walks);
	tcase_add_test(tc, kinds_only_events_are_the_full_events_kinds);
	tcase_add_test(tc, the_short_way_makes_what_the_general_way_makes);
	tcase_add_test(tc, trim_every_is_the_trace_that_trims);
	tcase_add_test(tc, detects_corruption);
	tcase_add_test(tc, run_set_dropped_when_unasked);
	tcase_add_test(tc, fast_stamps_run_out);
	suite_add_tcase(s, tc);
	return th_run(s);
}
