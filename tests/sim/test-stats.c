/* test-stats.c — sim_heap_stats, sim_heap_pin and the chunk/bin queries. */
#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

START_TEST(totals)
{
	/* 4 (0x140) is binned before 3 (0x70) becomes a fast chunk */
	th_ops(&t, "a 1 1000; a 2 100; a 3 100; a 4 300; a 6 50; f 4; a 5 200000; f 3");
	sim_stats s;
	sim_heap_stats(t.heap, &s);
	ck_assert_uint_eq(s.vm_data, sim_heap_brk(t.heap));
	ck_assert_uint_eq(s.in_use_count, 4); /* 1, 2, 6 and 5 (from brk: threshold 1 MiB) */
	ck_assert_uint_eq(s.in_use_payload, 1000 + 100 + 50 + 200000);
	/* overhead: chunk sizes minus requests, plus the 0x290 struct */
	ck_assert_uint_eq(s.overhead, 0x3f0 - 1000 + 0x70 - 100 + 0x40 - 50 + 0x30d50 - 200000 + 0x290);
	ck_assert_uint_eq(s.count_by_place[SIM_PLACE_FASTBIN], 1);
	ck_assert_uint_eq(s.free_by_place[SIM_PLACE_FASTBIN], 0x70);
	ck_assert_uint_eq(s.free_by_place[SIM_PLACE_UNSORTED] + s.free_by_place[SIM_PLACE_SMALLBIN], 0x140);
	ck_assert_uint_eq(s.free_by_place[SIM_PLACE_TOP], sim_heap_top_size(t.heap));
	ck_assert_uint_eq(s.resident_pages, sim_heap_resident_pages(t.heap));
	/* everything accounts for the heap */
	sim_size sum = s.overhead + s.in_use_payload;
	for (int p = 0; p < SIM_PLACE_COUNT; p++)
		sum += s.free_by_place[p];
	ck_assert_uint_eq(sum, s.vm_data);
}
END_TEST

/* What malloc_trim(0) would release now, computed without changing the
 * heap, equals what it then does (facts (d)). */
START_TEST(trim_releasable_matches_trim)
{
	th_ops(&t, "a 1 400000; a 2 1000; f 1");
	sim_stats s;
	sim_heap_stats(t.heap, &s);
	ck_assert_uint_eq(s.trim_brk_release, 0);
	ck_assert_uint_eq(s.trim_madvise_pages, 96);
	ck_assert_uint_eq(s.trim_releasable, 96 * 4096);
	ck_assert_uint_eq(sim_heap_resident_pages(t.heap), 99); /* unchanged */
	th_op(&t, "t 0");
	ck_assert_uint_eq(sim_heap_resident_pages(t.heap), 3);
	/* a brk release: free the pin */
	th_op(&t, "a 3 400000");
	th_op(&t, "f 2");
	sim_heap_stats(t.heap, &s);
	sim_addr brk = sim_heap_brk(t.heap);
	th_op(&t, "f 3");
	ck_assert_uint_gt(brk, sim_heap_brk(t.heap)); /* the free itself trimmed */
	sim_heap_stats(t.heap, &s);
	ck_assert_uint_eq(s.trim_brk_release, 0);
}
END_TEST

/* The pin: facts (b). */
START_TEST(pin)
{
	th_ops(&t, "a 1 200000; a 2 1000; f 1");
	sim_pin_info p;
	sim_heap_pin(t.heap, &p);
	ck_assert(p.pinned);
	ck_assert_uint_eq(p.slot, 2);
	ck_assert_uint_eq(p.chunk, 0x30fe0);
	ck_assert_uint_eq(p.size, 0x3f0);
	ck_assert_uint_eq(p.free_below, 0x30d50);
	ck_assert_uint_eq(p.would_release, 0x31000);
	th_op(&t, "f 2");
	sim_heap_pin(t.heap, &p);
	ck_assert(p.pinned); /* now the tcache struct sits below top */
	ck_assert_uint_eq(p.slot, SIM_NO_SLOT);
	ck_assert_uint_eq(p.would_release, 0);
}
END_TEST

/* Chunk iteration tiles the heap; bin_pos and bins agree. */
START_TEST(iteration)
{
	th_ops(&t, "a 1 100; a 2 100; a 3 100; a 4 100; f 1; f 3");
	sim_chunk_info c;
	sim_addr at = 0;
	size_t n = 0;
	for (bool ok = sim_heap_chunk_at(t.heap, SIM_ADDR_START, &c); ok; ok = sim_heap_next_chunk(t.heap, &c, &c)) {
		ck_assert_uint_eq(c.addr, at);
		at += c.size;
		n++;
		if (c.place == SIM_PLACE_FASTBIN) {
			sim_addr list[4];
			size_t len = sim_heap_bin_list(t.heap, SIM_PLACE_FASTBIN, c.bin, list, 4);
			ck_assert_uint_eq(len, 2);
			ck_assert_uint_eq(list[c.bin_pos], c.addr);
		}
	}
	ck_assert_uint_eq(at, sim_heap_brk(t.heap));
	ck_assert_uint_eq(n, sim_heap_chunk_count(t.heap));
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(sim_heap_bin_family_size(t.heap, SIM_PLACE_TCACHE), 64);
	ck_assert_uint_eq(sim_heap_bin_family_size(t.heap, SIM_PLACE_FASTBIN), 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("queries");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, totals);
	tcase_add_test(tc, trim_releasable_matches_trim);
	tcase_add_test(tc, pin);
	tcase_add_test(tc, iteration);
	suite_add_tcase(s, tc);
	return th_run(s);
}
