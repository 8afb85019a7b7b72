/* test-mapset.c — the mappings' ordered set (sim/mapset.c): long random
 * sequences of mmap, munmap and moving mremap place every mapping where
 * a linear scan of the sorted mappings (the kernel's lowest gap, what the
 * model did before the set had a tree) places it, and the tree stays
 * ordered, filled and summarised. */
#include "helpers.h"
#include "sim/heap_internal.h"

#include <stdio.h>

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
			mapping *m = map_wp(h, mapset_nth(h, (uint32_t)(rnd() % h->map_count)));
			ck_assert_ptr_nonnull(m);
			if (k < 90) {
				mapset_remove(h, m);
			} else {
				/* a moving mremap: its own range is free while the gap is found */
				sim_addr start = m->start;
				ck_assert(mapset_detach(h, m));
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

/* The walker notices a summary gone wrong: a node's record of the widest
 * gap inside a child, and a leaf's copy of a mapping's end. */
START_TEST(walker_sees_a_broken_summary)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th t;
	th_init(&t, &c);
	/* 40 mappings (a root above leaves), then gaps between them */
	for (int i = 0; i < 40; i++) {
		char op[64];
		snprintf(op, sizeof op, "a %d %d", i, 300000 + (i % 3) * 100000);
		th_ops(&t, op);
	}
	th_ops(&t, "f 3; f 17; f 30");
	char why[256];
	ck_assert(sim_heap_check(t.heap, why, sizeof why));
	ck_assert_uint_gt(t.heap->map_height, 1);
	sim_heap *k = sim_heap_clone(t.heap);
	map_node_w(k, k->map_root)->gap[0] += PAGE;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);
	k = sim_heap_clone(t.heap);
	uint32_t leaf = k->map_nodes[k->map_root].kid[1];
	map_node_w(k, leaf)->hi[0] -= PAGE;
	ck_assert(!sim_heap_check(k, why, sizeof why));
	sim_heap_free(k);
	th_fini(&t);
}
END_TEST

/* Removing most mappings in a scrambled order keeps every node at least a
 * quarter full (neighbours lend or merge) and the height logarithmic. */
START_TEST(nodes_stay_filled_as_mappings_go)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *h = sim_heap_new(&c);
	ck_assert_ptr_nonnull(h);
	enum { N = 5000 };
	for (int i = 0; i < N; i++)
		ck_assert_ptr_nonnull(mapset_add(h, mapset_place(h, PAGE), PAGE));
	ck_assert_uint_le(h->map_height, 5);
	for (uint32_t i = 0; i < N - 3; i++) {
		mapset_remove(h, map_wp(h, mapset_nth(h, (uint32_t)((i * 7919u) % h->map_count))));
		if (i % 97 == 0)
			ck_assert(mapset_valid(h));
	}
	ck_assert(mapset_valid(h));
	ck_assert_uint_eq(h->map_count, 3);
	ck_assert_uint_eq(h->map_height, 1);
	while (h->map_count)
		mapset_remove(h, map_wp(h, mapset_nth(h, 0)));
	ck_assert(mapset_valid(h));
	ck_assert_uint_eq(mapset_place(h, PAGE), SIM_MMAP_BASE);
	sim_heap_free(h);
}
END_TEST

/* Each mmap and munmap updates the summaries on its way up without
 * reading the nodes beside it where it can (the widest gap of a child
 * grows to the gap a munmap leaves, stays when an mmap splits a narrower
 * one): after every change, over a tree four levels deep whose mappings
 * come and go at random, at the edges of nodes and inside them, every
 * summary is what the nodes below say and placement follows the scan. */
START_TEST(summaries_after_every_change)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *h = sim_heap_new(&c);
	ck_assert_ptr_nonnull(h);
	rng_state = 0x9E3779B97F4A7C15ull;
	uint32_t highest = 0;
	for (int i = 0; i < 24000; i++) {
		uint64_t k = rnd() % 100;
		bool grow = i < 12000 ? k < 75 : k < 45;
		if (grow || h->map_count == 0) {
			sim_size len = (1 + rnd() % (k % 3 == 0 ? 40 : 3)) * PAGE;
			sim_addr at = mapset_place(h, len);
			ck_assert_uint_eq(at, place_by_scan(h, len));
			ck_assert_ptr_nonnull(mapset_add(h, at, len));
		} else {
			/* the first or last of the set now and then, else any */
			uint32_t n = k < 5 ? 0 : k < 10 ? h->map_count - 1 : (uint32_t)(rnd() % h->map_count);
			mapset_remove(h, map_wp(h, mapset_nth(h, n)));
		}
		ck_assert_msg(mapset_valid(h), "after change %d", i);
		highest = h->map_height > highest ? h->map_height : highest;
	}
	ck_assert_uint_ge(highest, 4);
	sim_heap_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mapset");
	TCase *tc = tcase_create("mapset");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, placement_matches_a_scan);
	tcase_add_test(tc, walker_sees_a_broken_summary);
	tcase_add_test(tc, nodes_stay_filled_as_mappings_go);
	tcase_add_test(tc, summaries_after_every_change);
	suite_add_tcase(s, tc);
	return th_run(s);
}
