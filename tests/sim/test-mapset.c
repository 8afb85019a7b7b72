/* test-mapset.c — the mappings' ordered set (sim/mapset.c): long random
 * sequences of mmap, munmap and moving mremap place every mapping where
 * a linear scan of the sorted mappings (the kernel's lowest gap, what the
 * model did before the set had a tree) places it, and the tree stays
 * ordered and summarised. */
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

/* The lowest gap of len bytes, by walking the mappings in order. */
static sim_addr place_by_scan(const sim_heap *h, sim_size len)
{
	sim_addr at = SIM_MMAP_BASE;
	for (const mapping *m = mapset_next(h, NULL); m; m = mapset_next(h, m)) {
		if (m->start - at >= len)
			return at;
		at = m->start + m->len;
	}
	return SIM_MMAP_LIMIT - at < len ? 0 : at;
}

START_TEST(placement_matches_a_scan)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *h = sim_heap_new(&c);
	ck_assert_ptr_nonnull(h);
	rng_state = 0x2545F4914F6CDD1Dull;
	for (int i = 0; i < 8000; i++) {
		uint64_t k = rnd() % 100;
		sim_size len = (1 + rnd() % (k < 50 ? 4 : 64)) * PAGE;
		if (k < 55 || h->map_count == 0) {
			sim_addr at = mapset_place(h, len);
			ck_assert_uint_eq(at, place_by_scan(h, len));
			ck_assert_ptr_nonnull(mapset_add(h, at, len));
		} else {
			mapping *m = mapset_nth(h, (uint32_t)(rnd() % h->map_count));
			ck_assert_ptr_nonnull(m);
			if (k < 90) {
				mapset_remove(h, m);
			} else {
				/* a moving mremap: its own range is free while the gap is found */
				sim_addr start = m->start;
				mapset_detach(h, m);
				sim_addr at = mapset_place(h, len);
				ck_assert_uint_eq(at, place_by_scan(h, len));
				m->start = at;
				m->len = len;
				mapset_attach(h, m);
				ck_assert_ptr_eq(mapset_find(h, at), m);
				ck_assert(start != at || mapset_find(h, start) == m);
			}
		}
		if (i % 500 == 0 || i == 7999) {
			ck_assert(mapset_valid(h));
			uint32_t n = 0;
			for (const mapping *m = mapset_next(h, NULL); m; m = mapset_next(h, m), n++) {
				ck_assert_ptr_eq(mapset_nth(h, n), m);
				ck_assert_ptr_eq(mapset_find(h, m->start + m->len - 1), m);
			}
			ck_assert_uint_eq(n, h->map_count);
		}
	}
	sim_heap_free(h);
}
END_TEST

/* The walker notices a summary gone wrong. */
START_TEST(walker_sees_a_broken_summary)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th t;
	th_init(&t, &c);
	th_ops(&t, "a 1 300000; a 2 400000; a 3 500000; f 2");
	char why[256];
	ck_assert(sim_heap_check(t.heap, why, sizeof why));
	sim_heap *k = sim_heap_clone(t.heap);
	k->maps[k->map_root].sub_gap += PAGE;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mapset");
	TCase *tc = tcase_create("mapset");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, placement_matches_a_scan);
	tcase_add_test(tc, walker_sees_a_broken_summary);
	suite_add_tcase(s, tc);
	return th_run(s);
}
