/* test-sizes.c — request2size and the size classes it creates, seen
 * through the chunks malloc hands out (SIM settings: tcache off, pad 0).
 * Every expectation was cross-checked against this machine's glibc. */
#include <stdint.h>
#include <stdio.h>

#include "helpers.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* request2size(r) = max(32, (r + 8 + 15) & ~15): 0..24 → 0x20, 25..40 → 0x30,
 * 41..56 → 0x40, 1032 → 0x410, 1033 → 0x420. Chunks follow the 0x290
 * tcache struct back to back. */
START_TEST(request2size_boundaries)
{
	th_expect(&t, "a 1 0", "0x2a0 0x1000 0xd50");
	th_expect(&t, "a 2 24", "0x2c0 0x1000 0xd30");
	th_expect(&t, "a 3 25", "0x2e0 0x1000 0xd00");
	th_expect(&t, "a 4 40", "0x310 0x1000 0xcd0");
	th_expect(&t, "a 5 41", "0x340 0x1000 0xc90");
	th_expect(&t, "a 6 1032", "0x380 0x1000 0x880");
	th_expect(&t, "a 7 1033", "0x790 0x1000 0x460");
	static const sim_size want[] = {0, 0x20, 0x20, 0x30, 0x30, 0x40, 0x410, 0x420};
	for (sim_slot s = 1; s <= 7; s++)
		ck_assert_uint_eq(sim_heap_slot(t.heap, s).size, want[s]);
}
END_TEST

/* Loop over requests: the chunk is always >= request + 8 and < request + 8 + 32. */
START_TEST(request2size_sweep)
{
	char line[64];
	for (unsigned r = 0; r < 600; r++) {
		snprintf(line, sizeof line, "a %u %u", r + 1, r);
		th_op(&t, line);
		sim_size nb = sim_heap_slot(t.heap, r + 1).size;
		ck_assert_uint_eq(nb % 16, 0);
		ck_assert_uint_ge(nb, r + 8 < 32 ? 32 : r + 8);
		ck_assert_uint_lt(nb, (r + 8 < 32 ? 32 : r + 8) + 16);
	}
}
END_TEST

/* Requests above PTRDIFF_MAX fail before anything happens (not even the
 * tcache init); huge but legal ones fail without the model allocating
 * memory proportional to them. */
START_TEST(impossible_requests)
{
	char line[64];
	snprintf(line, sizeof line, "a 1 %llu", (unsigned long long)INT64_MAX + 1);
	th_expect(&t, line, "null 0x0 0x0");
	ck_assert_uint_eq(sim_heap_chunk_count(t.heap), 0);
	snprintf(line, sizeof line, "a 2 %llu", (unsigned long long)1 << 60);
	th_expect(&t, line, "null 0x1000 0xd70");
	ck_assert_uint_eq(th_count(&t, SIM_EV_ALLOC_FAILED), 1);
	ck_assert_uint_lt(sim_heap_footprint(t.heap), 1u << 20);
	/* calloc overflow: nmemb * size wraps */
	snprintf(line, sizeof line, "c 3 %llu 4", (unsigned long long)1 << 62);
	th_expect(&t, line, "null 0x1000 0xd70");
	/* the heap still works */
	th_expect(&t, "a 4 100", "0x2a0 0x1000 0xd00");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sizes");
	TCase *tc = tcase_create("request2size");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, request2size_boundaries);
	tcase_add_test(tc, request2size_sweep);
	tcase_add_test(tc, impossible_requests);
	suite_add_tcase(s, tc);
	return th_run(s);
}
