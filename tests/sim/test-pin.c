/* test-pin.c — what pins the top: an in-use chunk, or a freed one the
 * tcache or a fastbin holds (glibc counts those as in use). A freed pin
 * is named by its last owner in sim_heap_pin and in the per-free verdict
 * (SIM_EV_PIN_FREED right after the TRIM_CHECK). */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "sim/explain.h"
#include "sim/heap_internal.h"

/* a = 100 KiB, s = 100 bytes above it; s freed (to the tcache), then a:
 * the coalesced chunk passes the 64 KiB gate, top stays below the
 * threshold, and what pins top is s's freed chunk in the tcache. */
START_TEST(tcache_chunk_pins_the_top_and_is_named)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100000; a 2 100");
	sim_addr s_chunk = th_chunk(&u, 2);
	th_op(&u, "f 2");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_NOT_CHECKED_FAST);
	ck_assert_uint_eq(th_count(&u, SIM_EV_PIN_FREED), 0); /* that verdict names no pin */
	th_op(&u, "f 1");
	const sim_event *e = th_find(&u, SIM_EV_TRIM_CHECK, 0);
	ck_assert_uint_eq(e->detail, SIM_TRIM_BELOW_THRESHOLD);
	ck_assert_uint_eq(e->slot, SIM_NO_SLOT); /* not an in-use pin */
	ck_assert_uint_eq(th_count(&u, SIM_EV_PIN_FREED), 1);
	const sim_event *p = th_find(&u, SIM_EV_PIN_FREED, 0);
	ck_assert_uint_eq(p->detail, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(p->slot, 2);
	ck_assert_uint_eq(p->addr, s_chunk);
	ck_assert_uint_eq(p->size, 0x70);
	/* The event comes right after its verdict. */
	ck_assert_ptr_eq(p, e + 1);
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert(pin.pinned);
	ck_assert_uint_eq(pin.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(pin.slot, SIM_NO_SLOT);
	ck_assert_uint_eq(pin.freed_slot, 2);
	ck_assert_uint_eq(pin.chunk, s_chunk);
	ck_assert_uint_ge(pin.free_below, 100000);
	ck_assert_uint_eq(pin.would_release, 0);
	/* malloc_trim(0) does not empty the tcache: still pinned, still s. */
	th_op(&u, "t 0");
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(pin.chunk, s_chunk);
	/* The next malloc of that size takes it back: in use again, by its new owner. */
	th_op(&u, "a 3 89");
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_INUSE);
	ck_assert_uint_eq(pin.slot, 3);
	ck_assert_uint_eq(pin.chunk, s_chunk);
	ck_assert_uint_eq(pin.freed_slot, SIM_NO_SLOT);
	th_fini(&u);
}
END_TEST

/* The last step's verdict did not trim, and its PIN_FREED names the pin
 * at `at` as what a call of slot 1's left (`by`), in both languages:
 * "top is pinned by " + en + "`p` left at ...", "... " + zh + "钉住". */
static void assert_pin_freed_left_by_1(const th *u, sim_addr at, sim_left_by by, const char *en, const char *zh)
{
	ck_assert_uint_eq(th_find(u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_THRESHOLD);
	const sim_event *e = th_find(u, SIM_EV_PIN_FREED, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->slot, 1);
	ck_assert_uint_eq(e->addr, at);
	ck_assert_uint_eq(e->v1, by);
	char text[512], want[160];
	sim_explain(e, NULL, NULL, text, sizeof text);
	snprintf(want, sizeof want, "top is pinned by %s", en);
	ck_assert_msg(strncmp(text, want, strlen(want)) == 0 && strstr(text, " left at ") != NULL, "%s", text);
	sim_explain_in(SIM_LANG_ZH, e, NULL, NULL, text, sizeof text);
	snprintf(want, sizeof want, " %s钉住", zh);
	ck_assert_msg(strstr(text, want) != NULL, "%s", text);
}

/* realloc grows p in place over the free chunk after it and frees what
 * it does not need (python's lists grow so): the tcache keeps that part,
 * and once the chunk above it goes back to the top, it pins the top. It
 * is named as what p's realloc left (p is in use), in sim_heap_pin, the
 * verdict's PIN_FREED and the chunk's info, until a malloc takes it. */
START_TEST(what_a_realloc_left_pins_the_top_and_is_named)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "trim_threshold=1048576");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 1100; a 3 2000; f 2");
	sim_addr p_chunk = th_chunk(&u, 1);
	th_op(&u, "r 1 1 1000");
	ck_assert_uint_eq(th_chunk(&u, 1), p_chunk); /* in place */
	sim_addr rest = p_chunk + 0x3f0;
	sim_chunk_info info;
	ck_assert(sim_heap_chunk_at(u.heap, rest, &info));
	ck_assert_uint_eq(info.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(info.size, 0xe0);
	ck_assert_uint_eq(info.freed_slot, 1);
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_REALLOC);
	th_op(&u, "f 3"); /* back to the top: the part p's realloc left is right below it */
	assert_pin_freed_left_by_1(&u, rest, SIM_LEFT_BY_REALLOC, "what a realloc of ", "的 realloc 留下的块");
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(pin.chunk, rest);
	ck_assert_uint_eq(pin.freed_slot, 1);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_REALLOC);
	/* a malloc of its size takes it back: in use, by its new owner */
	th_op(&u, "a 4 210");
	ck_assert_uint_eq(th_chunk(&u, 4), rest);
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_INUSE);
	ck_assert_uint_eq(pin.slot, 4);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_NONE);
	/* freed by its owner, it is its owner's again */
	th_op(&u, "f 4");
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.freed_slot, 4);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_NONE);
	th_fini(&u);
}
END_TEST

/* realloc moves p: the old chunk it frees is what p's realloc left, not a
 * chunk p freed (p now points elsewhere, in use). */
START_TEST(the_old_chunk_of_a_moving_realloc_is_what_it_left)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100; a 2 10");
	sim_addr old = th_chunk(&u, 1);
	th_op(&u, "r 1 1 3000");
	ck_assert_uint_ne(th_chunk(&u, 1), old);
	sim_chunk_info info;
	ck_assert(sim_heap_chunk_at(u.heap, old, &info));
	ck_assert_uint_eq(info.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(info.freed_slot, 1);
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_REALLOC);
	/* a chunk freed by free is not */
	th_op(&u, "f 2");
	ck_assert(sim_heap_chunk_at(u.heap, old + 0x70, &info));
	ck_assert_uint_eq(info.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(info.freed_slot, 2);
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_NONE);
	th_fini(&u);
}
END_TEST

/* memalign(64, 100) after a malloc (2.36): _int_malloc takes 0xe0 from
 * the top at 0x2c0, the aligned chunk starts at 0x2f0; glibc frees the
 * 0x30 leader and the 0x40 tail right below the top, and the tcache
 * keeps both (ImageMagick's posix_memalign leaves such tails). They are
 * named as what p's aligned allocation left (p in use), in the chunks'
 * info, sim_heap_pin and the verdict's PIN_FREED, until a malloc takes
 * one; 2.3.6's fastbins keep them as well; 2.43 keeps neither. */
START_TEST(what_an_aligned_allocation_left_is_named)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "trim_threshold=1048576");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 9 40; A 1 64 100");
	ck_assert_uint_eq(th_chunk(&u, 1), 0x2f0);
	sim_chunk_info info;
	ck_assert(sim_heap_chunk_at(u.heap, 0x2c0, &info));
	ck_assert_uint_eq(info.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(info.size, 0x30);
	ck_assert_uint_eq(info.freed_slot, 1);
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_MEMALIGN);
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(pin.chunk, 0x360);
	ck_assert_uint_eq(pin.size, 0x40);
	ck_assert_uint_eq(pin.freed_slot, 1);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_MEMALIGN);
	/* a free that reaches the gate but not the threshold names it */
	th_ops(&u, "a 2 70000; f 2");
	assert_pin_freed_left_by_1(&u, 0x360, SIM_LEFT_BY_MEMALIGN, "what the aligned allocation of ", "的对齐分配留下的块");
	/* a malloc of the tail's size takes it: its new owner's */
	th_op(&u, "a 3 50");
	ck_assert_uint_eq(th_chunk(&u, 3), 0x360);
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.slot, 3);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_NONE);
	ck_assert(sim_heap_chunk_at(u.heap, 0x2c0, &info));
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_MEMALIGN); /* the leader is still held */
	th_fini(&u);

	/* 2.3.6: no tcache; a fastbin keeps the 0x50 leader (the aligned
	 * point 0x30 leaves less than MINSIZE before it, so 0x70), named the
	 * same */
	c = cfg_with(SIM_GLIBC_2_3_6, "");
	th_init(&u, &c);
	th_ops(&u, "a 9 24; A 1 64 100");
	ck_assert_uint_eq(th_chunk(&u, 1), 0x70);
	ck_assert(sim_heap_chunk_at(u.heap, 0x20, &info));
	ck_assert_uint_eq(info.place, SIM_PLACE_FASTBIN);
	ck_assert_uint_eq(info.size, 0x50);
	ck_assert_uint_eq(info.freed_slot, 1);
	ck_assert_uint_eq(info.left_by, SIM_LEFT_BY_MEMALIGN);
	th_fini(&u);

	/* 2.43 merges the parts in place: nothing is held, nothing named */
	c = cfg_with(SIM_GLIBC_2_43, "");
	th_init(&u, &c);
	th_ops(&u, "a 9 40; A 1 64 100");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 0);
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.left_by, SIM_LEFT_BY_NONE);
	th_fini(&u);
}
END_TEST

/* Without the tcache, s goes to a fastbin. A free below the 64 KiB gate
 * (no consolidation) names it; malloc_trim consolidates it away. (A free
 * past the gate would consolidate the fastbins first: no fastbin chunk
 * is left to pin.) */
START_TEST(fastbin_chunk_pins_the_top_until_malloc_trim)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 30000; a 2 100; f 2");
	th_op(&u, "f 1");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->detail, SIM_TRIM_BELOW_GATE);
	const sim_event *p = th_find(&u, SIM_EV_PIN_FREED, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->detail, SIM_PLACE_FASTBIN);
	ck_assert_uint_eq(p->slot, 2);
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_FASTBIN);
	ck_assert_uint_eq(pin.freed_slot, 2);
	th_op(&u, "t 0");
	sim_heap_pin(u.heap, &pin);
	ck_assert(!pin.pinned || pin.place != SIM_PLACE_FASTBIN);
	th_fini(&u);
}
END_TEST

/* A chunk that reached the tcache without being handed out as it is (a
 * smallbin chunk stashed by _int_malloc) has no last owner... unless its
 * last owner's pointer is still that chunk's: the name is only given
 * while it is true. A slot reassigned since does not name it. */
START_TEST(a_reassigned_slot_does_not_name_a_freed_pin)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100000; a 2 100; f 2");
	/* slot 2 now points elsewhere (a new mmapped chunk) */
	th_op(&u, "a 2 300000");
	th_op(&u, "f 1");
	const sim_event *p = th_find(&u, SIM_EV_PIN_FREED, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->slot, SIM_NO_SLOT);
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.freed_slot, SIM_NO_SLOT);
	th_fini(&u);
}
END_TEST

/* An in-use pin keeps TRIM_CHECK's slot and gets no PIN_FREED. */
START_TEST(in_use_pin_is_unchanged)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	th_ops(&u, "a 1 100000; a 2 2000");
	th_op(&u, "f 1");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->slot, 2);
	ck_assert_uint_eq(th_count(&u, SIM_EV_PIN_FREED), 0);
	sim_pin_info pin;
	sim_heap_pin(u.heap, &pin);
	ck_assert_uint_eq(pin.place, SIM_PLACE_INUSE);
	ck_assert_uint_eq(pin.slot, 2);
	th_fini(&u);
}
END_TEST

/* What a consolidation would merge below the pin, by walking the heap:
 * the run of fast and binned chunks ending at the pin; *binned_below is
 * the chunk right below the pin when it is binned (free merges it). */
static sim_size run_below_by_walk(const sim_heap *h, sim_addr pin_addr, sim_size *binned_below)
{
	sim_addr run_lo = SIM_ADDR_START;
	bool in_run = false;
	sim_chunk_info c;
	*binned_below = 0;
	for (bool ok = sim_heap_chunk_at(h, SIM_ADDR_START, &c); ok && c.addr < pin_addr;) {
		bool binned = c.place == SIM_PLACE_UNSORTED || c.place == SIM_PLACE_SMALLBIN || c.place == SIM_PLACE_LARGEBIN;
		bool free_chunk = binned || c.place == SIM_PLACE_FASTBIN;
		if (free_chunk && !in_run)
			run_lo = c.addr;
		in_run = free_chunk;
		*binned_below = binned ? c.size : 0;
		sim_chunk_info next;
		ok = sim_heap_next_chunk(h, &c, &next);
		c = next;
	}
	return in_run ? pin_addr - run_lo : 0;
}

/* A thousand fast chunks freed below an in-use pin, in an order that
 * grows, splits (a malloc takes one back from a fastbin) and joins runs:
 * each free's verdict says what freeing the pin would return, counting
 * the whole run a consolidation would merge, and freeing the pin then
 * returns exactly that. */
START_TEST(fast_run_below_the_pin)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	th u;
	th_init(&u, &c);
	enum { N = 1200 };
	char line[64];
	for (int i = 0; i < N; i++) {
		snprintf(line, sizeof line, "a %d 100", i);
		th_op(&u, line);
	}
	th_op(&u, "a 5000 2000");
	sim_addr pin_addr = th_chunk(&u, 5000);
	sim_heap *h = u.heap;
	uint64_t predicted = 0;
	for (int pass = 0; pass < 3; pass++) {
		for (int i = N - 1 - pass; i >= 0; i -= 3) {
			snprintf(line, sizeof line, "f %d", i);
			th_op(&u, line);
			if (i % 97 == 0) { /* take one back from the fastbin: a run splits */
				snprintf(line, sizeof line, "a %d 100", i);
				th_op(&u, line);
				snprintf(line, sizeof line, "f %d", i);
				th_op(&u, line);
			}
			const sim_event *e = th_find(&u, SIM_EV_TRIM_CHECK, 0);
			ck_assert_ptr_nonnull(e);
			ck_assert_uint_eq(e->slot, 5000);
			/* _int_free of the pin: merge with a binned chunk below and
			 * top; past the 64 KiB gate the consolidation merges the run */
			sim_size binned_below;
			sim_size run = run_below_by_walk(h, pin_addr, &binned_below);
			sim_size merged = 0x7e0 + u.result.top_size + binned_below;
			sim_size s = 0x7e0 + u.result.top_size + run;
			sim_size want = merged >= 65536 && s >= h->trim_threshold ? systrim_amount(h, s, h->top_pad) : 0;
			ck_assert_msg(e->v3 == want, "free %d: would return 0x%llx, the walk says 0x%llx", i,
			              (unsigned long long)e->v3, (unsigned long long)want);
			predicted = e->v3;
		}
	}
	ck_assert_uint_gt(predicted, 65536); /* the last free's run reaches the heap's start */
	ck_assert(h->runs_tracked); /* a verdict walked a long run: the set is kept (runs.c) */
	th_op(&u, "f 5000");
	ck_assert_uint_eq(th_find(&u, SIM_EV_TRIM_CHECK, 0)->v2, predicted);
	th_fini(&u);
}
END_TEST

static Suite *pin_suite(void)
{
	Suite *s = suite_create("pin");
	TCase *tc = tcase_create("tcache");
	tcase_add_test(tc, tcache_chunk_pins_the_top_and_is_named);
	suite_add_tcase(s, tc);
	tc = tcase_create("fastbin");
	tcase_add_test(tc, fastbin_chunk_pins_the_top_until_malloc_trim);
	tcase_add_test(tc, what_a_realloc_left_pins_the_top_and_is_named);
	tcase_add_test(tc, the_old_chunk_of_a_moving_realloc_is_what_it_left);
	tcase_add_test(tc, what_an_aligned_allocation_left_is_named);
	suite_add_tcase(s, tc);
	tc = tcase_create("reassigned");
	tcase_add_test(tc, a_reassigned_slot_does_not_name_a_freed_pin);
	suite_add_tcase(s, tc);
	tc = tcase_create("fast_run");
	tcase_set_timeout(tc, 60); /* the walker runs after each of ~1700 steps */
	tcase_add_test(tc, fast_run_below_the_pin);
	suite_add_tcase(s, tc);
	tc = tcase_create("in_use");
	tcase_add_test(tc, in_use_pin_is_unchanged);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run(pin_suite());
}
