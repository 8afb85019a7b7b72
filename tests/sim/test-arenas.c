/* test-arenas.c — threads and the arenas they allocate from.
 *
 * The expected values were measured on this machine's glibc 2.36 with
 * brksim-replay (the same traces are tests/verify/facts/threads-*.ops,
 * which the fidelity suite replays on every real glibc there is), or
 * worked by hand from arena.c where the real machine cannot show them
 * (a CPU count other than its own). The invariant walker runs after
 * every step, and along random multi-thread walks under every profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/explain.h"

/* Arena `a`'s heaps/size/top/rss, as brksim-replay's arena column says. */
static void expect_arena(const th *t, size_t a, const char *want)
{
	sim_arena_info info;
	ck_assert_msg(sim_heap_arena(t->heap, a, &info), "no arena %zu", a);
	char got[96];
	snprintf(got, sizeof got, "%u/0x%llx/0x%llx/%zu", info.heaps, (unsigned long long)info.size,
	         (unsigned long long)info.top_size, info.resident_pages);
	ck_assert_msg(strcmp(got, want) == 0, "arena %zu: got %s, want %s", a, got, want);
}

/* threads-new-arena.ops */
START_TEST(first_call_makes_an_arena)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_expect(&t, "a 1 100", "0x2a0 0x21000 0x20d00 1");
	th_expect(&t, "n 1", "- 0x21000 0x20d00 1");
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 1), SIM_NO_ARENA); /* nothing until its first call */
	th_expect(&t, "T1 a 2 100", "A1.0+0xb70 0x21000 0x20d00 1");
	ck_assert_uint_eq(th_count(&t, SIM_EV_ARENA_ATTACH), 1);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_NEW);
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_NEW), 1);
	expect_arena(&t, 1, "1/0x21000/0x20430/1");
	th_expect(&t, "T1 a 3 5000", "A1.0+0xbe0 0x21000 0x20d00 1");
	expect_arena(&t, 1, "1/0x21000/0x1f0a0/2");
	th_expect(&t, "a 4 100", "0x310 0x21000 0x20c90 1");
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 0), 0);
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 1), 1);
	th_fini(&t);
}
END_TEST

/* The same trace under 2.31 (heap_info 32 bytes: chunks from 0x8c0), 2.43
 * (malloc_state without fastbins, and a lazy tcache: the first chunk at
 * 0x870 is the user's) and 2.3.6 (no contention here: the main arena). */
START_TEST(first_chunk_offset_per_profile)
{
	static const struct {
		sim_profile p;
		const char *ret;
	} rows[] = {
		{SIM_GLIBC_2_31, "A1.0+0xb60"},
		{SIM_GLIBC_2_41, "A1.0+0xb70"},
		{SIM_GLIBC_2_43, "A1.0+0x880"},
		{SIM_GLIBC_2_3_6, "0x80"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		th t;
		sim_config c = sim_config_defaults(rows[i].p);
		th_init(&t, &c);
		th_op(&t, "a 1 100");
		th_op(&t, "n 1");
		th_op(&t, "T1 a 2 100");
		char got[64];
		th_format(&t, got, sizeof got);
		ck_assert_msg(strncmp(got, rows[i].ret, strlen(rows[i].ret)) == 0 && got[strlen(rows[i].ret)] == ' ',
		              "%s: %s", sim_profile_name(rows[i].p), got);
		th_fini(&t);
	}
}
END_TEST

/* threads-free-list.ops: last in, first out; then a new arena. */
START_TEST(exited_threads_leave_arenas_for_the_next)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; n 2; T2 a 2 100; T1 x; T2 x; n 3");
	th_expect(&t, "T3 a 3 100", "A2.0+0xbe0");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_FREE_LIST);
	th_op(&t, "n 4");
	th_expect(&t, "T4 a 4 100", "A1.0+0xbe0");
	th_op(&t, "n 5");
	th_expect(&t, "T5 a 5 100", "A3.0+0xb70");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_NEW);
	th_fini(&t);
}
END_TEST

/* A thread forks: in the child it is the main thread, with its arena
 * and tcache; the others are gone, what their tcaches held is lost (in
 * use for good), and every other arena is on a new free list, the
 * oldest first (the list walked from main_arena: main, the newest, ...). */
START_TEST(fork_from_a_thread_remakes_the_free_list)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "a 1 100; n 1; T1 a 2 200; n 2; T2 a 3 64; T2 f 3");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 1);
	th_op(&t, "T1 F");
	ck_assert_uint_eq(th_count(&t, SIM_EV_FORK), 1);
	const sim_event *e = th_find(&t, SIM_EV_FORK, 0);
	ck_assert_uint_eq(e->thread, 1);
	ck_assert_uint_eq(e->v1, 2);     /* the main thread and thread 2 */
	ck_assert_uint_eq(e->v2, 1);     /* slot 3's chunk, in thread 2's tcache */
	ck_assert_uint_eq(e->size, 80);
	ck_assert_uint_eq(e->detail, 1); /* the free list made again */
	ck_assert_uint_eq(e->v3, 2);     /* main and arena 2 */
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 0);
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 0), 1);
	ck_assert(!sim_heap_thread_running(t.heap, 1));
	ck_assert(!sim_heap_thread_running(t.heap, 2));
	th_op(&t, "a 4 300");
	ck_assert_uint_eq(t.result.ret_kind, SIM_RET_ARENA);
	ck_assert_uint_eq(t.result.ret_arena, 1);
	/* new threads take the oldest other arena first, then main */
	th_ops(&t, "n 1; T1 a 5 100");
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 1), 2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_FREE_LIST);
	th_ops(&t, "n 2; T2 a 6 100");
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 2), 0);
	ck_assert_uint_eq(t.result.ret_kind, SIM_RET_HEAP);
	th_fini(&t);
}
END_TEST

/* Without a thread ever started, glibc's fork leaves malloc as it was
 * (its child handler runs only in a process that had threads): the
 * tcache keeps what it held. */
START_TEST(fork_without_threads_changes_nothing)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "a 1 100; a 2 100; f 1");
	th_op(&t, "F");
	const sim_event *e = th_find(&t, SIM_EV_FORK, 0);
	ck_assert_uint_eq(e->detail, 0);
	ck_assert_uint_eq(e->v1, 0);
	ck_assert_uint_eq(e->v2, 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 1);
	th_expect(&t, "a 3 100", "0x2a0 0x21000 0x20c90");
	th_fini(&t);
}
END_TEST

/* A lost tcache chunk below top pins it for good: the trim check says
 * whose it was and that nothing will free it. */
START_TEST(what_a_fork_lost_pins_top)
{
	th t;
	sim_config c = cfg_with(SIM_GLIBC_2_36, "top_pad=0:trim_threshold=65536");
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; n 2; T2 a 2 100; a 3 70000; a 4 100; T2 f 4");
	th_op(&t, "T1 F");
	ck_assert_uint_eq(th_find(&t, SIM_EV_FORK, 0)->v2, 1);
	/* in the child: the big chunk freed below the lost one stays */
	th_op(&t, "f 3");
	ck_assert_uint_eq(th_count(&t, SIM_EV_BRK_SHRINK), 0);
	ck_assert_uint_eq(th_count(&t, SIM_EV_PIN_FREED), 1);
	const sim_event *pin = th_find(&t, SIM_EV_PIN_FREED, 0);
	ck_assert_uint_eq(pin->detail, SIM_PLACE_INUSE);
	ck_assert_uint_eq(pin->v1, SIM_LEFT_BY_FORK);
	ck_assert_uint_eq(pin->slot, 4);
	char text[512];
	sim_explain_in(SIM_LANG_EN, pin, NULL, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "nothing will free it") != NULL, "%s", text);
	th_fini(&t);
}
END_TEST

/* threads-arena-max.ops: at the limit, in turn from the main arena. */
START_TEST(arena_max_shares_in_turn)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_expect(&t, "o -8 2", "=1 0x0 0x0 0");
	th_op(&t, "n 1");
	th_expect(&t, "T1 a 1 100", "A1.0+0xb70 0x0 0x0 0");
	th_op(&t, "n 2");
	th_expect(&t, "T2 a 2 100", "0x2a0 0x21000 0x20d00 1");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->detail, SIM_ARENA_REUSED);
	th_op(&t, "n 3");
	th_expect(&t, "T3 a 3 100", "A1.0+0xe70 0x21000 0x20d00 1");
	th_op(&t, "n 4");
	th_expect(&t, "T4 a 4 100", "0x5a0 0x21000 0x20a00 1");
	th_fini(&t);
}
END_TEST

/* arena_get2 by hand: arena_max wins; else unlimited while narenas <=
 * arena_test, then 8 per CPU, fixed once computed (a later mallopt of
 * M_ARENA_MAX changes nothing); cpus 0 counts as 2. */
START_TEST(the_arena_limit)
{
	static const struct {
		const char *settings;
		uint32_t cpus;
		unsigned threads, arenas; /* threads started, arenas there are then (main included) */
	} rows[] = {
		{"arena_max=1", 4, 5, 1},  /* every thread shares the main arena */
		{"arena_max=3", 4, 5, 3},
		{"arena_test=1", 1, 12, 8}, /* narenas 2 > 1: limit 8 x 1 CPU */
		{"arena_test=1", 0, 20, 16}, /* unknown CPUs: as if 2 */
		{"arena_test=2", 2, 20, 16},
		{"", 2, 20, 16},              /* default arena_test 8, then 16 */
		{"", 4, 20, 21},              /* 32 allowed: every thread its own */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		th t;
		sim_config c = cfg_with(SIM_GLIBC_2_36, rows[i].settings);
		c.cpus = rows[i].cpus;
		th_init(&t, &c);
		char line[64];
		for (unsigned k = 1; k <= rows[i].threads; k++) {
			snprintf(line, sizeof line, "n %u", k);
			th_op(&t, line);
			snprintf(line, sizeof line, "T%u a %u 100", k, k);
			th_op(&t, line);
		}
		ck_assert_msg(sim_heap_arena_count(t.heap) == rows[i].arenas, "row %zu: %zu arenas, want %u", i,
		              sim_heap_arena_count(t.heap), rows[i].arenas);
		th_fini(&t);
	}
	/* computed once: M_ARENA_MAX after the limit is fixed does nothing */
	th t;
	sim_config c = cfg_with(SIM_GLIBC_2_36, "arena_max=2");
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; n 2; T2 a 2 100; o -8 10; n 3; T3 a 3 100");
	ck_assert_uint_eq(sim_heap_arena_count(t.heap), 2);
	th_fini(&t);
}
END_TEST

/* threads-cross-free.ops: the freeing thread's tcache takes it, and that
 * thread's next malloc of the size hands out the other arena's chunk. */
START_TEST(freed_by_another_thread)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; T1 a 2 2000");
	th_expect(&t, "f 1", "- 0x21000 0x20d70 1");
	ck_assert_uint_eq(th_find(&t, SIM_EV_BIN_PUSH, 0)->detail, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(th_find(&t, SIM_EV_BIN_PUSH, 0)->arena, 1);
	th_expect(&t, "a 3 100", "A1.0+0xb70 0x21000 0x20d70 1");
	/* a chunk too big for the tcache goes to its own arena's bins */
	th_op(&t, "T1 f 2");
	expect_arena(&t, 1, "1/0x21000/0x20430/2");
	th_expect(&t, "T1 a 4 2000", "A1.0+0xbe0");
	th_fini(&t);
}
END_TEST

/* threads-exit-flush.ops */
START_TEST(exit_frees_the_tcache_into_its_arenas)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; T1 a 2 100; T1 a 3 600; T1 a 4 100; T1 f 1; T1 f 2; T1 f 3");
	th_op(&t, "T1 x");
	ck_assert_uint_eq(th_count(&t, SIM_EV_THREAD_EXIT), 1);
	ck_assert_uint_eq(th_find(&t, SIM_EV_THREAD_EXIT, 0)->detail, 1); /* onto the free list */
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_TCACHE), 0);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_FASTBIN), 2);
	th_op(&t, "n 2");
	th_expect(&t, "T2 a 5 100", "A1.0+0xb70");
	th_expect(&t, "T2 a 6 600", "A1.0+0xc50");
	th_fini(&t);
}
END_TEST

/* threads-heaps.ops: growth, a chained heap, its unmapping. */
START_TEST(heaps_grow_chain_and_go)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	c.touch = SIM_TOUCH_NONE;
	th_init(&t, &c);
	th_ops(&t, "o -3 33554432; n 1");
	th_expect(&t, "T1 a 1 20000000", "A1.0+0xb70 0x0 0x0 0");
	expect_arena(&t, 1, "1/0x1314000/0x790/2");
	th_op(&t, "T1 a 2 20000000");
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_GROW), 1);
	th_op(&t, "T1 a 3 20000000");
	expect_arena(&t, 1, "1/0x393a000/0xd70/4");
	th_expect(&t, "T1 a 4 20000000", "A1.1+0x40 0x0 0x0 0");
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_FENCE), 1);
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_NEW), 1);
	expect_arena(&t, 1, "2/0x4c6d000/0x202c0/6");
	th_expect(&t, "T1 a 5 100", "A1.0+0x39392a0");
	th_op(&t, "T1 f 4");
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_DELETE), 1);
	expect_arena(&t, 1, "1/0x393a000/0xd00/4");
	th_fini(&t);
}
END_TEST

/* threads-heap-shrink.ops */
START_TEST(heap_trim_shrinks_with_madvise)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100; T1 a 2 120000; T1 a 3 120000");
	expect_arena(&t, 1, "1/0x3c000/0xa90/60");
	th_op(&t, "T1 f 3");
	expect_arena(&t, 1, "1/0x3c000/0x1df60/60");
	th_op(&t, "T1 f 2");
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_SHRINK), 1);
	ck_assert_uint_eq(th_find(&t, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_RELEASED);
	expect_arena(&t, 1, "1/0x21000/0x20430/33");
	th_fini(&t);
}
END_TEST

/* threads-trim.ops */
START_TEST(malloc_trim_madvises_every_arena)
{
	th t;
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100000; T1 a 2 100; T1 f 1");
	expect_arena(&t, 1, "1/0x21000/0x7d80/26");
	th_expect(&t, "t 0", "=1 0x0 0x0 0");
	expect_arena(&t, 1, "1/0x21000/0x7d80/2");
	th_fini(&t);
}
END_TEST

/* threads-realloc-other.ops and threads-retry.ops */
START_TEST(realloc_stays_and_failures_move)
{
	th t;
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 3000");
	ck_assert_uint_eq(th_find(&t, SIM_EV_ARENA_ATTACH, 0)->addr2, 0); /* a first call */
	th_expect(&t, "r 2 1 9000", "A1.0+0xb70");
	th_ops(&t, "n 2");
	th_expect(&t, "T2 c 3 10 100", "A2.0+0xb70");
	th_ops(&t, "n 3");
	th_expect(&t, "T3 A 4 256 1000", "A3.0+0x900");
	th_fini(&t);

	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 100");
	th_expect(&t, "a 2 9223372036853727232", "null 0x21000 0x20d70 1");
	ck_assert_uint_eq(sim_heap_thread_arena(t.heap, 0), 2); /* arena_get_retry moved it */
	/* the attach says so: not a first call */
	const sim_event *moved = th_find(&t, SIM_EV_ARENA_ATTACH, 0);
	ck_assert_ptr_nonnull(moved);
	ck_assert_uint_eq(moved->addr2, 1);
	ck_assert_uint_eq(moved->detail, SIM_ARENA_NEW);
	char text[512];
	sim_explain(moved, NULL, NULL, text, sizeof text);
	ck_assert_str_eq(text, "thread 0's call failed in the main arena: glibc tries another arena and moves the thread "
	                       "there for good (arena_get_retry): a new arena 2 (3 arenas now)");
	sim_explain_in(SIM_LANG_ZH, moved, NULL, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "arena_get_retry") != NULL && strstr(text, "新建 arena 2") != NULL, "%s", text);
	th_expect(&t, "a 3 100", "A2.0+0x8e0");
	th_fini(&t);
}
END_TEST

/* Every arena's bin lists (sim_heap_arena_bin_list) against a walk of
 * its chunks: each binned chunk is in the list of its place and bin, at
 * its bin_pos (exact below SIM_BIN_POS_DEEP), and the lists hold nothing
 * else (arena 0's tcache lists may also hold mmapped chunks, which no
 * walk of the brk heap meets). */
#define BINS_CAP 8192
static void check_arena_bins(const sim_heap *heap)
{
	static const sim_place families[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED,
	                                     SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN};
	static sim_addr list[BINS_CAP];
	size_t arenas = sim_heap_arena_count(heap);
	for (size_t a = 0; a < arenas; a++) {
		size_t binned = 0;
		sim_chunk_info c;
		bool more = sim_heap_arena_first_chunk(heap, a, &c);
		while (more) {
			if (c.place == SIM_PLACE_TCACHE || c.place == SIM_PLACE_FASTBIN || c.place == SIM_PLACE_UNSORTED ||
			    c.place == SIM_PLACE_SMALLBIN || c.place == SIM_PLACE_LARGEBIN) {
				binned++;
				size_t n = sim_heap_arena_bin_list(heap, a, c.place, c.bin, list, BINS_CAP);
				ck_assert_uint_le(n, BINS_CAP);
				bool found = false;
				for (size_t i = 0; i < n && !found; i++)
					found = list[i] == c.addr;
				ck_assert_msg(found, "arena %zu: chunk 0x%llx (place %d bin %u) not in its list", a,
				              (unsigned long long)c.addr, (int)c.place, (unsigned)c.bin);
				if (c.place != SIM_PLACE_TCACHE && c.bin_pos < SIM_BIN_POS_DEEP)
					ck_assert_msg(list[c.bin_pos] == c.addr, "arena %zu: chunk 0x%llx at %u of its list",
					              a, (unsigned long long)c.addr, (unsigned)c.bin_pos);
			}
			if (c.place == SIM_PLACE_TOP)
				break;
			sim_chunk_info next;
			more = sim_heap_next_chunk(heap, &c, &next);
			c = next;
		}
		size_t listed = 0;
		for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
			unsigned bins = sim_heap_bin_family_size(heap, families[f]);
			for (unsigned b = 0; b < bins; b++) {
				size_t n = sim_heap_arena_bin_list(heap, a, families[f], b, list, BINS_CAP);
				for (size_t i = 0; i < n && i < BINS_CAP; i++)
					listed += list[i] < SIM_HEAPS_START || a != 0; /* not a mmapped chunk */
			}
		}
		ck_assert_msg(listed == binned, "arena %zu: %zu chunks in its lists, %zu binned in its heaps", a, listed,
		              binned);
	}
}

/* What the pin of each thread's arena says freeing it would give back
 * (sim_heap_arena_pin) against doing it: `thread` (the calling thread,
 * whose tcache the estimate asks) frees the pin on a copy, and the
 * arena's heaps shrink (or go) by that much. */
static void check_arena_pins(const sim_heap *heap, uint32_t thread)
{
	size_t arenas = sim_heap_arena_count(heap);
	for (size_t a = 1; a < arenas; a++) {
		sim_pin_info pin;
		sim_heap_arena_pin(heap, a, &pin);
		if (!pin.pinned || pin.place != SIM_PLACE_INUSE || pin.slot == SIM_NO_SLOT)
			continue;
		sim_arena_info before, after;
		ck_assert(sim_heap_arena(heap, a, &before));
		sim_heap *copy = sim_heap_clone(heap);
		ck_assert_ptr_nonnull(copy);
		sim_op op = sim_op_blank(SIM_OP_FREE);
		op.slot = pin.slot;
		op.thread = thread & SIM_OP_THREAD_MASK;
		sim_result r;
		ck_assert(sim_heap_step(copy, &op, NULL, &r));
		ck_assert(sim_heap_arena(copy, a, &after));
		ck_assert_msg(before.size - after.size == pin.would_release,
		              "arena %zu: freeing its pin (slot %u) by thread %u gave back 0x%llx, the pin said 0x%llx", a,
		              (unsigned)pin.slot, (unsigned)thread, (unsigned long long)(before.size - after.size),
		              (unsigned long long)pin.would_release);
		sim_heap_free(copy);
	}
}

/* Freeing the first chunk of a thread's second heap unmaps that heap
 * (heap_trim): the pin says so, whatever the trim threshold. */
START_TEST(a_pin_that_starts_a_heap_would_unmap_it)
{
	th t;
	sim_config c = cfg_with(SIM_GLIBC_2_36, "mmap_threshold=33554432");
	th_init(&t, &c);
	th_ops(&t, "n 1; T1 a 1 31457280; T1 a 2 31457280; T1 a 3 31457280");
	sim_arena_info info;
	ck_assert(sim_heap_arena(t.heap, 1, &info));
	ck_assert_uint_eq(info.heaps, 2);
	sim_pin_info pin;
	sim_heap_arena_pin(t.heap, 1, &pin);
	ck_assert(pin.pinned);
	ck_assert_uint_eq(pin.slot, 3);
	sim_addr starts[2];
	sim_size sizes[2];
	ck_assert_uint_eq(sim_heap_arena_heaps(t.heap, 1, starts, sizes, 2), 2);
	ck_assert_uint_ge(pin.would_release, sizes[1]); /* the whole second heap */
	check_arena_pins(t.heap, 1);
	th_op(&t, "T1 f 3");
	ck_assert_uint_eq(th_count(&t, SIM_EV_HEAP_DELETE), 1);
	ck_assert(sim_heap_arena(t.heap, 1, &info));
	ck_assert_uint_eq(info.heaps, 1);
	th_fini(&t);
}
END_TEST

/* A list longer than SIM_BIN_POS_DEEP in a thread's arena, in full and
 * in order: 300 chunks freed into the unsorted bin (no tcache, no
 * fastbins), each in front of the last. */
START_TEST(arena_bin_lists_are_whole)
{
	th t;
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:mxfast=0");
	th_init(&t, &c);
	th_ops(&t, "n 1");
	char line[64];
	for (unsigned i = 0; i < 600; i++) {
		snprintf(line, sizeof line, "T1 a %u 200", i);
		th_op(&t, line);
	}
	sim_addr first = 0, last = 0;
	for (unsigned i = 0; i < 600; i += 2) {
		snprintf(line, sizeof line, "T1 f %u", i);
		th_op(&t, line);
		sim_slot_info si = sim_heap_slot(t.heap, i);
		(void)si;
	}
	static sim_addr list[1024];
	size_t n = sim_heap_arena_bin_list(t.heap, 1, SIM_PLACE_UNSORTED, 0, list, 1024);
	ck_assert_uint_eq(n, 300);
	/* the main arena's unsorted bin is empty, and its list says so */
	ck_assert_uint_eq(sim_heap_arena_bin_list(t.heap, 0, SIM_PLACE_UNSORTED, 0, list + 512, 8), 0);
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_UNSORTED, 0, list + 512, 8), 0);
	/* freed lowest first, each put at the head: the list runs downwards */
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(list[i] < list[i - 1], "entry %zu", i);
	first = list[0];
	last = list[n - 1];
	uint32_t arena, heap_index;
	sim_addr off;
	ck_assert(sim_heap_locate(t.heap, first, &arena, &heap_index, &off));
	ck_assert_uint_eq(arena, 1);
	ck_assert(sim_heap_locate(t.heap, last, &arena, &heap_index, &off));
	ck_assert_uint_eq(arena, 1);
	check_arena_bins(t.heap);
	/* an index past the last arena has no lists */
	ck_assert_uint_eq(sim_heap_arena_bin_list(t.heap, 2, SIM_PLACE_UNSORTED, 0, list, 8), 0);
	th_fini(&t);
}
END_TEST

/* Random walks with threads under every profile, the walker after each
 * step (helpers): starts, exits, cross-thread frees, big chunks. */
static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

START_TEST(random_walks_with_threads)
{
	static const struct {
		sim_profile p;
		const char *settings;
	} configs[] = {
		{SIM_GLIBC_2_36, "tcache_count=7"},
		{SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:trim_threshold=65536:mmap_threshold=33554432"},
		{SIM_GLIBC_2_36, "arena_max=2:mxfast=0"},
		{SIM_GLIBC_2_31, "mmap_threshold=33554432"},
		{SIM_GLIBC_2_41, "arena_test=1:top_pad=4096"},
		{SIM_GLIBC_2_43, "tcache_max=300000:mmap_threshold=33554432"},
		{SIM_GLIBC_2_43, "tcache_count=0"},
		{SIM_GLIBC_2_3_6, "top_pad=0"},
	};
	for (size_t s = 0; s < sizeof configs / sizeof configs[0]; s++) {
		sim_config c = cfg_with(configs[s].p, configs[s].settings);
		c.touch = s % 2 ? SIM_TOUCH_NONE : SIM_TOUCH_ALL;
		c.cpus = (uint32_t)(s % 3);
		th t;
		th_init(&t, &c);
		bool live[64] = {false}, running[9] = {true};
		char line[96];
		unsigned cur = 0;
		for (int i = 0; i < 2500; i++) {
			unsigned slot = (unsigned)(rnd() % 64);
			uint64_t k = rnd() % 100;
			unsigned th_no = (unsigned)(rnd() % 9);
			if (k < 4 && !running[th_no]) {
				snprintf(line, sizeof line, "T%u n %u", cur, th_no);
				running[th_no] = true;
				th_op(&t, line);
				continue;
			}
			if (k == 99 && rnd() % 8 == 0) {
				/* the calling thread forks: the walk goes on in the child */
				snprintf(line, sizeof line, "T%u F", cur);
				memset(running, 0, sizeof running);
				running[0] = true;
				cur = 0;
				th_op(&t, line);
				continue;
			}
			if (k < 6 && th_no != 0 && running[th_no]) {
				snprintf(line, sizeof line, "T%u x", th_no);
				running[th_no] = false;
				if (cur == th_no)
					cur = 0;
				th_op(&t, line);
				continue;
			}
			if (k < 30 && running[th_no])
				cur = th_no;
			int n;
			if (live[slot] && k < 60) {
				n = snprintf(line, sizeof line, "T%u f %u", cur, slot);
				live[slot] = false;
			} else if (live[slot] && k < 70) {
				n = snprintf(line, sizeof line, "T%u r %u %u %llu", cur, slot, slot, (unsigned long long)(rnd() % 300000) + 1);
			} else if (!live[slot] && k < 75) {
				n = snprintf(line, sizeof line, "T%u c %u 4 %llu", cur, slot, (unsigned long long)(rnd() % 5000));
				live[slot] = true;
			} else if (!live[slot] && k < 78) {
				n = snprintf(line, sizeof line, "T%u A %u %u %llu", cur, slot, 32u << (rnd() % 7),
				             (unsigned long long)(rnd() % 9000));
				live[slot] = true;
			} else if (k < 80) {
				n = snprintf(line, sizeof line, "T%u t %llu", cur, (unsigned long long)(rnd() % 2) * 65536);
			} else if (!live[slot]) {
				uint64_t size = rnd() % 100 < 3 ? 1000000 + rnd() % 25000000 : rnd() % 70000;
				n = snprintf(line, sizeof line, "T%u a %u %llu", cur, slot, (unsigned long long)size);
				live[slot] = true;
			} else {
				continue;
			}
			(void)n;
			th_op(&t, line);
			ck_assert_msg(!t.result.aborted, "settings %zu op %d '%s' aborted", s, i, line);
			if (i % 97 == 0)
				check_arena_bins(t.heap);
			if (i % 31 == 0)
				check_arena_pins(t.heap, cur);
		}
		check_arena_bins(t.heap);
		th_fini(&t);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arenas");
	TCase *tc = tcase_create("choice");
	tcase_add_test(tc, first_call_makes_an_arena);
	tcase_add_test(tc, first_chunk_offset_per_profile);
	tcase_add_test(tc, exited_threads_leave_arenas_for_the_next);
	tcase_add_test(tc, arena_max_shares_in_turn);
	tcase_add_test(tc, the_arena_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("threads");
	tcase_add_test(tc, freed_by_another_thread);
	tcase_add_test(tc, exit_frees_the_tcache_into_its_arenas);
	tcase_add_test(tc, realloc_stays_and_failures_move);
	suite_add_tcase(s, tc);
	tc = tcase_create("heaps");
	tcase_add_test(tc, heaps_grow_chain_and_go);
	tcase_add_test(tc, heap_trim_shrinks_with_madvise);
	tcase_add_test(tc, malloc_trim_madvises_every_arena);
	suite_add_tcase(s, tc);
	tc = tcase_create("walks");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, arena_bin_lists_are_whole);
	tcase_add_test(tc, a_pin_that_starts_a_heap_would_unmap_it);
	tcase_add_test(tc, random_walks_with_threads);
	tcase_add_test(tc, fork_from_a_thread_remakes_the_free_list);
	tcase_add_test(tc, fork_without_threads_changes_nothing);
	tcase_add_test(tc, what_a_fork_lost_pins_top);
	suite_add_tcase(s, tc);
	return th_run(s);
}
