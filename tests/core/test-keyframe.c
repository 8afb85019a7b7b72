/* test-keyframe.c — states kept as shared pages (sim/keyframe.c), and
 * packed (sim/keyframe_pack.c).
 *
 * A restored keyframe equals the state it was taken from (sim_heap_equal
 * and the invariants), whatever heap it is restored into; pages equal to
 * the previous keyframe's are shared, so keeping the same state twice
 * adds only tables and the pool's pages go back when keyframes are freed
 * in any order. A packed keyframe's streams give back every field of
 * every record and slot, whatever values they hold. A delta keyframe
 * (the records and slots a marker saw written since the keyframe
 * before) restored on its chain gives the state a replay from the start
 * gives, on random traces of every profile and on every lesson, also
 * after deltas were merged, and replays on from there alike. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/heap_internal.h"
#include "sim/keyframe.h"
#include "sim/keyframe_maps.h"
#include "sim/keyframe_pack.h"
#include "sim/room.h"
#include "sim/undo.h"
#include "verify/random_trace.h"
#include "lessons.h"

/* The states of a random trace after every `every` steps. */
static sim_heap **states_of(uint64_t seed, uint32_t threads, size_t every, size_t *count, sim_config *config)
{
	random_trace_options opt = random_trace_default_options();
	opt.op_count = 2000;
	opt.max_live = 300;
	opt.threads = threads;
	sim_op *ops;
	size_t n;
	ck_assert(random_trace_generate(seed, &opt, &ops, &n));
	*config = random_trace_config(seed);
	sim_heap *heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(heap);
	sim_heap **states = calloc(n / every + 2, sizeof *states);
	size_t k = 0;
	states[k++] = sim_heap_clone(heap);
	for (size_t i = 0; i < n; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[i], NULL, &r));
		if (r.aborted)
			break;
		if ((i + 1) % every == 0)
			states[k++] = sim_heap_clone(heap);
	}
	sim_heap_free(heap);
	free(ops);
	*count = k;
	return states;
}

static void check_restores(sim_page_pool *pool, const sim_keyframe *kf, const sim_heap *want, sim_heap *into)
{
	ck_assert(sim_keyframe_restore(pool, kf, into));
	ck_assert(sim_heap_equal(into, want));
	char why[256];
	ck_assert_msg(sim_heap_check(into, why, sizeof why), "restored state: %s", why);
	ck_assert_uint_eq(sim_keyframe_state_bytes(kf), sim_heap_footprint(want));
}

/* make keyframe i: as pages, packed, or every other one packed (a packed
 * keyframe shares none of its records' pages, the next one none of its) */
static sim_keyframe *keyframe_of(sim_page_pool *pool, const sim_heap *state, const sim_keyframe *like, int how,
				 size_t i)
{
	bool packed = how == 1 || (how == 2 && i % 2 == 1);
	return packed ? sim_keyframe_new_packed(pool, state, like, NULL) : sim_keyframe_new(pool, state, like, NULL);
}

START_TEST(restores_equal_states_into_any_heap)
{
	for (int how = 0; how < 3; how++)
	for (uint32_t threads = 0; threads <= 4; threads += 4) {
		sim_config config;
		size_t count;
		sim_heap **states = states_of(11 + threads, threads, 100, &count, &config);
		sim_page_pool *pool = sim_page_pool_new();
		ck_assert_ptr_nonnull(pool);
		sim_keyframe **kfs = calloc(count, sizeof *kfs);
		for (size_t i = 0; i < count; i++) {
			kfs[i] = keyframe_of(pool, states[i], i ? kfs[i - 1] : NULL, how, i);
			ck_assert_ptr_nonnull(kfs[i]);
		}
		/* into one heap, back and forth (its buffers grow and shrink),
		 * into a fresh heap, and into a heap of another release */
		sim_heap *into = sim_heap_new(&config);
		for (size_t i = count; i-- > 0;)
			check_restores(pool, kfs[i], states[i], into);
		for (size_t i = 0; i < count; i += 3)
			check_restores(pool, kfs[i], states[i], into);
		sim_config other = sim_config_defaults(SIM_GLIBC_2_3_6);
		for (size_t i = 0; i < count; i += 5) {
			sim_heap *fresh = sim_heap_new(&other);
			check_restores(pool, kfs[count - 1 - i], states[count - 1 - i], fresh);
			sim_heap_free(fresh);
		}
		/* a state kept after an earlier one steps on, not back */
		sim_heap *step = sim_heap_clone(states[count - 1]);
		sim_keyframe *last = keyframe_of(pool, step, kfs[0], how, 1);
		check_restores(pool, last, states[count - 1], into);
		sim_keyframe_free(pool, last);
		sim_heap_free(step);
		/* freed in an order unlike their making: every page goes back */
		for (size_t i = 0; i < count; i += 2)
			sim_keyframe_free(pool, kfs[i]);
		for (size_t i = 1; i < count; i += 2)
			check_restores(pool, kfs[i], states[i], into);
		for (size_t i = 1; i < count; i += 2)
			sim_keyframe_free(pool, kfs[i]);
		ck_assert_uint_eq(sim_page_pool_bytes(pool), 0);
		sim_heap_free(into);
		sim_page_pool_free(pool);
		for (size_t i = 0; i < count; i++)
			sim_heap_free(states[i]);
		free(states);
		free(kfs);
	}
}
END_TEST

START_TEST(equal_pages_are_shared)
{
	sim_config config;
	size_t count;
	sim_heap **states = states_of(5, 0, 500, &count, &config);
	sim_page_pool *pool = sim_page_pool_new();
	const sim_heap *end = states[count - 1];
	size_t first_added, again_added;
	sim_keyframe *a = sim_keyframe_new(pool, end, NULL, &first_added);
	size_t pages = sim_page_pool_bytes(pool);
	ck_assert_uint_ge(pages + sim_keyframe_table_bytes(a), sim_heap_footprint(end) / 2);
	ck_assert_uint_eq(first_added, pages + sim_keyframe_table_bytes(a));
	/* the same state again: no new page, only its tables */
	sim_keyframe *b = sim_keyframe_new(pool, end, a, &again_added);
	ck_assert_uint_eq(sim_page_pool_bytes(pool), pages);
	ck_assert_uint_eq(again_added, sim_keyframe_table_bytes(b));
	/* an earlier state shares some pages (the records that did not
	 * change), not all */
	size_t before_added;
	sim_keyframe *c = sim_keyframe_new(pool, states[count - 2], a, &before_added);
	ck_assert_uint_gt(sim_page_pool_bytes(pool), pages);
	ck_assert_uint_lt(sim_page_pool_bytes(pool) - pages, pages);
	sim_heap *into = sim_heap_new(&config);
	check_restores(pool, c, states[count - 2], into);
	sim_keyframe_free(pool, a);
	check_restores(pool, b, end, into);
	sim_keyframe_free(pool, b);
	sim_keyframe_free(pool, c);
	ck_assert_uint_eq(sim_page_pool_bytes(pool), 0);
	sim_heap_free(into);
	sim_page_pool_free(pool);
	for (size_t i = 0; i < count; i++)
		sim_heap_free(states[i]);
	free(states);
}
END_TEST

/* A keyframe kept without its chunk index restores a state whose
 * rebuilt index answers every lookup as the run's did: equal states, the
 * invariants (tiling walks the index), and replay from it makes the same
 * results, events and states as the run itself, for traces with threads
 * (chunks in other arenas' heaps) and on 2.43 with a raised tcache_max
 * (mapped chunks in the tcache have records but no index entry: seeds
 * 36 and 254 have some at the keyframes). */
START_TEST(rebuilt_index_replays_alike)
{
	bool packed = _i == 1; /* the loop test's second run: packed keyframes */
	const struct {
		uint64_t seed;
		uint32_t threads;
		random_glibc glibc;
		sim_profile profile;
	} runs[] = {{3, 0, RANDOM_GLIBC_2_36, SIM_GLIBC_2_36},
	            {4, 4, RANDOM_GLIBC_2_36, SIM_GLIBC_2_36},
	            {36, 0, RANDOM_GLIBC_2_43, SIM_GLIBC_2_43},
	            {254, 3, RANDOM_GLIBC_2_43, SIM_GLIBC_2_43},
	            {7, 0, RANDOM_GLIBC_2_3_6, SIM_GLIBC_2_3_6}};
	size_t mapped_cached = 0;
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		random_trace_options opt = random_trace_default_options();
		opt.op_count = 3000;
		opt.max_live = 400;
		opt.threads = runs[r].threads;
		opt.glibc = runs[r].glibc;
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(runs[r].seed, &opt, &ops, &n));
		sim_config config = random_trace_config_for(runs[r].seed, runs[r].glibc, runs[r].profile);
		sim_heap *heap = sim_heap_new(&config), *into = sim_heap_new(&config);
		ck_assert(heap != NULL && into != NULL);
		sim_page_pool *pool = sim_page_pool_new();
		sim_events a, b;
		sim_events_init(&a);
		sim_events_init(&b);
		sim_keyframe *previous = NULL;
		bool aborted = false;
		for (size_t i = 0; i < n && !aborted; i++) {
			sim_result ra, rb;
			if (i % 500 == 250) {
				size_t lean, whole;
				sim_keyframe *k = packed ? sim_keyframe_new_packed(pool, heap, previous, &lean)
				                         : sim_keyframe_new_rebuilding(pool, heap, previous, &lean);
				sim_keyframe *full = sim_keyframe_new(pool, heap, NULL, &whole);
				ck_assert(k != NULL && full != NULL);
				if (previous == NULL)
					ck_assert_uint_lt(lean, whole); /* the index's pages are not kept */
				if (packed) /* 4-20 bytes a record instead of 64 */
					ck_assert_uint_lt(sim_keyframe_table_bytes(k), sim_heap_footprint(heap) / 2);
				sim_keyframe_free(pool, full);
				sim_keyframe_free(pool, previous);
				previous = k;
				check_restores(pool, k, heap, into);
				mapped_cached += heap->mapped_cached;
			}
			if (i >= 250) {
				/* the restored state steps along with the run */
				ck_assert(sim_heap_step(heap, &ops[i], &a, &ra));
				ck_assert(sim_heap_step(into, &ops[i], &b, &rb));
				ck_assert_uint_eq(ra.ret, rb.ret);
				ck_assert_uint_eq(ra.top_size, rb.top_size);
				ck_assert_uint_eq(a.count, b.count);
				ck_assert(a.count == 0 || memcmp(a.items, b.items, a.count * sizeof *a.items) == 0);
				aborted = ra.aborted;
			} else {
				ck_assert(sim_heap_step(heap, &ops[i], NULL, &ra));
				aborted = ra.aborted;
			}
		}
		ck_assert(sim_heap_equal(into, heap));
		sim_keyframe_free(pool, previous);
		ck_assert_uint_eq(sim_page_pool_bytes(pool), 0);
		sim_page_pool_free(pool);
		sim_events_release(&a);
		sim_events_release(&b);
		sim_heap_free(into);
		sim_heap_free(heap);
		free(ops);
	}
	ck_assert_uint_gt(mapped_cached, 0); /* the case the rebuild leaves out did occur */
}
END_TEST

/* Restoring an early, small state into a heap that held a late, large
 * one keeps the heap's buffers (giving them back would fault their pages
 * in again on the next large restore: no copy of a state is kept in
 * them but the restored one), and the restored state then runs on as
 * the run did: its arrays grow from the state's own capacities (the
 * index's modulus, the slots' and page bits' lengths), not the larger
 * buffers'. */
START_TEST(smaller_restore_keeps_buffers)
{
	for (uint32_t threads = 0; threads <= 3; threads += 3) {
		random_trace_options opt = random_trace_default_options();
		opt.op_count = 4000;
		opt.max_live = 600;
		opt.threads = threads;
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(21 + threads, &opt, &ops, &n));
		sim_config config = random_trace_config(21 + threads);
		sim_heap *run = sim_heap_new(&config), *into = sim_heap_new(&config);
		sim_page_pool *pool = sim_page_pool_new();
		ck_assert(run != NULL && into != NULL && pool != NULL);
		size_t early = n / 8, i = 0;
		sim_keyframe *small = NULL;
		bool aborted = false;
		for (; i < n && !aborted; i++) {
			if (i == early)
				small = sim_keyframe_new_rebuilding(pool, run, NULL, NULL);
			sim_result r;
			ck_assert(sim_heap_step(run, &ops[i], NULL, &r));
			aborted = r.aborted;
		}
		ck_assert_ptr_nonnull(small);
		sim_keyframe *large = sim_keyframe_new(pool, run, NULL, NULL);
		ck_assert_ptr_nonnull(large);
		check_restores(pool, large, run, into);
		size_t chunks = sim_room_bytes(into->chunks), slots = sim_room_bytes(into->slots);
		size_t pages = sim_room_bytes(into->pages);
		ck_assert(sim_keyframe_restore(pool, small, into));
		ck_assert_uint_ge(sim_room_bytes(into->chunks), chunks);
		ck_assert_uint_ge(sim_room_bytes(into->slots), slots);
		ck_assert_uint_ge(sim_room_bytes(into->pages), pages);
		/* the run on from there grows the slots and the index */
		ck_assert_uint_lt(into->slot_cap, run->slot_cap);
		ck_assert_uint_lt(into->index_cap, run->index_cap);
		sim_heap *replay = sim_heap_new(&config);
		for (size_t j = 0; j < early; j++) {
			sim_result r;
			ck_assert(sim_heap_step(replay, &ops[j], NULL, &r));
		}
		ck_assert(sim_heap_equal(into, replay));
		for (size_t j = early; j < i; j++) {
			sim_result ra, rb;
			ck_assert(sim_heap_step(replay, &ops[j], NULL, &ra));
			ck_assert(sim_heap_step(into, &ops[j], NULL, &rb));
			ck_assert_uint_eq(ra.ret, rb.ret);
			ck_assert_uint_eq(ra.resident_pages, rb.resident_pages);
		}
		ck_assert(sim_heap_equal(into, run));
		char why[256];
		ck_assert_msg(sim_heap_check(into, why, sizeof why), "%s", why);
		ck_assert(sim_keyframe_restore(pool, large, into));
		ck_assert(sim_heap_equal(into, run));
		sim_keyframe_free(pool, small);
		sim_keyframe_free(pool, large);
		sim_page_pool_free(pool);
		sim_heap_free(replay);
		sim_heap_free(into);
		sim_heap_free(run);
		free(ops);
	}
}
END_TEST

/* A whole keyframe's slots in groups of one tag (keyframe_pack.c): slots
 * as a recording's are (heap pointers numbered in order, each hint the
 * one before's + 1), in stretches longer and shorter than a group, cut
 * by other tags, never-used runs and edge values (0, 2^48 - 16, the
 * largest), come back byte for byte, whole and in parts of 1 to 7 slots
 * a call; the usual stretch packs in under 1.5 bytes a slot (2 with a
 * tag each). */
START_TEST(packed_slot_groups_come_back_in_parts)
{
	enum { COUNT = 20000 };
	random_rng rng;
	random_rng_seed(&rng, 7);
	slot_rec *in = calloc(COUNT, sizeof *in), *out = malloc(COUNT * sizeof *out);
	ck_assert(in && out);
	uint64_t mem = 4096;
	for (size_t i = 0; i < COUNT; i++) {
		slot_rec *s = &in[i];
		size_t stretch = (i / 700) % 5;
		if (stretch == 4 && i % 700 < 40)
			continue; /* never used */
		s->kind = stretch == 3 && random_rng_below(&rng, 9) == 0 ? (uint32_t)random_rng_below(&rng, 6) : SLOT_HEAP;
		mem += 16 * (1 + random_rng_below(&rng, stretch == 0 ? 4 : stretch == 1 ? 1u << 20 : 64));
		switch (random_rng_below(&rng, stretch == 2 ? 4 : 400)) {
		case 0: s->mem = 0; break;
		case 1: s->mem = ((uint64_t)1 << 48) - 16; break;
		case 2: s->mem = UINT64_MAX; break;
		default: s->mem = random_rng_below(&rng, 50) == 0 && i > 0 ? in[i - 1].mem : mem; break;
		}
		s->hint = i > 0 && random_rng_below(&rng, stretch == 3 ? 3 : 200) != 0 ? in[i - 1].hint + 1
		                                                                   : (uint32_t)random_rng_below(&rng, 1u << 31);
		if (i == COUNT - 1)
			s->hint = UINT32_MAX;
	}
	keyframe_stream b = {0};
	ck_assert(keyframe_pack_slots(in, 700, &b)); /* the first stretch: under 1.5 bytes a slot */
	size_t bytes = 0;
	for (size_t k = 0; k < b.count; k++)
		bytes += b.used[k];
	ck_assert_uint_lt(bytes, 3 * 700 / 2);
	keyframe_stream_release(&b);
	ck_assert(keyframe_pack_slots(in, COUNT, &b));
	memset(out, 0xa5, COUNT * sizeof *out);
	size_t block = 0;
	keyframe_unpack_slots(&b, &block, out, COUNT);
	ck_assert_uint_eq(block, b.count);
	ck_assert(memcmp(in, out, COUNT * sizeof *in) == 0);
	for (size_t most = 1; most <= 7; most++) {
		memset(out, 0xa5, COUNT * sizeof *out);
		keyframe_unpacking u;
		keyframe_unpacking_start(&u, 0);
		size_t calls = 0;
		while (!keyframe_unpack_slots_part(&b, &u, out, COUNT, most))
			calls++;
		ck_assert_uint_eq(u.block, b.count);
		ck_assert_uint_gt(calls, COUNT / 64 / most); /* (parts, not one call) */
		for (size_t i = 0; i < COUNT; i++)
			ck_assert_msg(memcmp(&in[i], &out[i], sizeof *in) == 0, "slot %zu differs (parts of %zu)", i, most);
	}
	keyframe_stream_release(&b);
	free(in);
	free(out);
}
END_TEST

/* The streams of keyframe_pack.c give back every field of records and
 * slots whatever they hold, the values the model never makes included
 * (sizes off 16, free records, far links, flags changing on every record,
 * places and kinds past the tag's bits), within what a record can hold
 * (heap_internal.h: a request or nextsize links by place, an owner slot
 * that is last_slot or none): field by field, and byte for byte once the
 * source's padding is cleared, reading exactly the bytes written. */
static uint64_t pick(random_rng *rng)
{
	switch (random_rng_below(rng, 6)) {
	case 0: return 0;
	case 1: return UINT64_MAX;
	case 2: return random_rng_below(rng, 100);
	case 3: return (uint64_t)random_rng_below(rng, 1u << 30) << 34 | random_rng_below(rng, 1u << 30);
	default: return random_rng_below(rng, 1u << 20) * 16;
	}
}

START_TEST(packed_records_come_back_whatever_they_hold)
{
	enum { COUNT = 12000 };
	random_rng rng;
	random_rng_seed(&rng, 99);
	chunk *in = calloc(COUNT, sizeof *in), *out = malloc(COUNT * sizeof *out);
	slot_rec *sin = calloc(COUNT, sizeof *sin), *sout = malloc(COUNT * sizeof *sout);
	ck_assert(in && out && sin && sout);
	memset(out, 0xa5, COUNT * sizeof *out);
	memset(sout, 0xa5, COUNT * sizeof *sout);
	for (size_t i = 0; i < COUNT; i++) {
		chunk *c = &in[i];
		/* long stretches as the model makes them (address order, no
		 * links), then anything */
		bool plain = (i / 500) % 2 == 0 && i > 0;
		c->size = plain ? 32 + 16 * random_rng_below(&rng, 40) : pick(&rng);
		c->addr = plain ? in[i - 1].addr + in[i - 1].size : pick(&rng);
		c->prev = plain ? (uint32_t)i - 1 : (uint32_t)pick(&rng);
		c->next = plain ? (uint32_t)i + 1 : (uint32_t)pick(&rng);
		c->fd = plain ? 0 : (uint32_t)pick(&rng);
		c->bk = plain ? 0 : (uint32_t)pick(&rng);
		/* a large bin's records now and then, with their links */
		c->place = (uint8_t)(plain ? 1 : random_rng_below(&rng, 3) == 0 ? SIM_PLACE_LARGEBIN : pick(&rng));
		if (c->place == SIM_PLACE_LARGEBIN) {
			c->fd_nextsize = (uint32_t)pick(&rng);
			c->bk_nextsize = (uint32_t)pick(&rng);
		} else {
			c->request = plain && random_rng_below(&rng, 2) ? c->size - 8 : pick(&rng);
		}
		chunk_own(c, plain ? (uint32_t)i : (uint32_t)pick(&rng));
		if (!plain && random_rng_below(&rng, 2))
			chunk_disown(c);
		c->prev_inuse = (plain ? 1 : pick(&rng)) & 1;
		c->header = (plain ? 0 : pick(&rng)) & 1;
		c->bin = (uint16_t)(plain ? 0 : pick(&rng));
		slot_rec *s = &sin[i];
		bool never = (i / 300) % 3 == 2;
		s->kind = never ? 0 : random_rng_below(&rng, 7) == 0 ? (uint32_t)pick(&rng) : (uint32_t)random_rng_below(&rng, 4);
		s->mem = never ? 0 : pick(&rng);
		s->hint = never ? 0 : random_rng_below(&rng, 3) == 0 && i > 0 ? sin[i - 1].hint + 1 : (uint32_t)pick(&rng);
	}
	keyframe_stream b = {0};
	ck_assert(keyframe_pack_chunks(in, COUNT, &b));
	size_t chunk_blocks = b.count;
	ck_assert_uint_gt(chunk_blocks, 1); /* records come back across blocks */
	ck_assert(keyframe_pack_slots(sin, COUNT, &b));
	ck_assert(keyframe_pack_chunks(in, 0, &b)); /* none: an empty block */
	size_t block = 0;
	keyframe_unpack_chunks(&b, &block, out, COUNT);
	ck_assert_uint_eq(block, chunk_blocks);
	keyframe_unpack_slots(&b, &block, sout, COUNT);
	keyframe_unpack_chunks(&b, &block, NULL, 0);
	ck_assert_uint_eq(block, b.count);
	for (size_t i = 0; i < COUNT; i++) {
		const chunk *x = &in[i], *y = &out[i];
		ck_assert_msg(x->addr == y->addr && x->size == y->size && x->prev == y->prev && x->next == y->next &&
		              chunk_request(x) == chunk_request(y) && x->fd == y->fd && x->bk == y->bk &&
		              chunk_fd_nextsize(x) == chunk_fd_nextsize(y) && chunk_bk_nextsize(x) == chunk_bk_nextsize(y) &&
		              chunk_slot(x) == chunk_slot(y) && x->last_slot == y->last_slot && x->place == y->place &&
		              x->prev_inuse == y->prev_inuse && x->header == y->header && x->bin == y->bin,
		              "record %zu differs", i);
	}
	/* (in was calloc'd and written field by field: its padding is 0) */
	ck_assert(memcmp(in, out, COUNT * sizeof *in) == 0);
	ck_assert(memcmp(sin, sout, COUNT * sizeof *sin) == 0);
	keyframe_stream_release(&b);
	free(in);
	free(out);
	free(sin);
	free(sout);
}
END_TEST

/* Mapping records and B-tree nodes as random as their fields allow:
 * runs of page-aligned mappings side by side, then anything. */
static void random_mapset(random_rng *rng, mapping *maps, size_t map_count, map_node *nodes, size_t node_count)
{
	for (size_t i = 0; i < map_count; i++) {
		mapping *m = &maps[i];
		bool plain = (i / 400) % 2 == 0 && i > 0;
		bool zero = random_rng_below(rng, 9) == 0;
		memset(m, 0, sizeof *m);
		if (zero)
			continue;
		m->len = plain ? 4096 * (1 + random_rng_below(rng, 60)) : pick(rng);
		m->start = plain ? maps[i - 1].start + maps[i - 1].len : pick(rng);
		m->offset = plain ? 0 : pick(rng);
		m->slot = (sim_slot)(plain ? i : pick(rng));
		m->next_free = (uint32_t)(plain ? CID_NULL : pick(rng));
		m->request = plain ? m->len - 4096 + random_rng_below(rng, 4000) : pick(rng);
		/* some ranges, a zero pair between two that are not */
		unsigned ranges = (unsigned)random_rng_below(rng, MAP_RANGES + 1);
		for (unsigned r = 0; r < ranges; r++) {
			if (r == 1 && random_rng_below(rng, 3) == 0)
				continue;
			m->range_lo[r] = (uint32_t)pick(rng);
			m->range_hi[r] = plain ? m->range_lo[r] + (uint32_t)random_rng_below(rng, 50) : (uint32_t)pick(rng);
		}
	}
	for (size_t i = 0; i < node_count; i++) {
		map_node *nd = &nodes[i];
		memset(nd, 0, sizeof *nd);
		if (random_rng_below(rng, 9) == 0)
			continue;
		nd->count = (uint32_t)random_rng_below(rng, MAPNODE_MAX + 1);
		nd->leaf = (uint32_t)random_rng_below(rng, 2);
		for (uint32_t k = 0; k < (nd->count ? nd->count : 1); k++)
			nd->kid[k] = (uint32_t)(random_rng_below(rng, 2) ? i * 16 + k : pick(rng));
		/* spans: page-aligned mappings side by side, or anything (a
		 * leaf's gaps and counts stay zero, as mapset.c leaves them) */
		bool plain = random_rng_below(rng, 2) == 0;
		for (uint32_t k = 0; k < nd->count; k++) {
			nd->lo[k] = plain ? (k > 0 ? nd->hi[k - 1] : 4096 * (uint64_t)i) + 4096 * random_rng_below(rng, 3)
			                  : pick(rng);
			nd->hi[k] = plain ? nd->lo[k] + 4096 * (1 + random_rng_below(rng, 50)) : pick(rng);
			if (!nd->leaf) {
				nd->gap[k] = plain ? 4096 * random_rng_below(rng, 100) : pick(rng);
				nd->n[k] = (uint32_t)(plain ? 1 + random_rng_below(rng, 200) : pick(rng));
			}
		}
	}
}


/* Random marks over the first `marked` of `count` elements. */
static uint64_t *random_marks(random_rng *rng, size_t marked, unsigned one_in, size_t *set)
{
	uint64_t *marks = calloc(marked / 64 + 1, sizeof *marks);
	ck_assert_ptr_nonnull(marks);
	*set = 0;
	for (size_t i = 0; i < marked; i++)
		if (random_rng_below(rng, one_in) == 0) {
			marks[i / 64] |= (uint64_t)1 << (i % 64);
			++*set;
		}
	return marks;
}

/* The mappings and nodes a packed keyframe keeps (keyframe_maps.c) come
 * back with every field, whatever they hold, whole, in parts of a few
 * elements a call, and listed as a delta: applied over the state
 * before, alone and merged with a later delta. */
START_TEST(packed_mappings_come_back_whatever_they_hold)
{
	enum { MAPS = 6000, NODES = 1500, MARKED_MAPS = 5500, MARKED_NODES = 1400 };
	random_rng rng;
	random_rng_seed(&rng, 7);
	mapping *maps = malloc(MAPS * sizeof *maps), *before = malloc(MAPS * sizeof *maps),
		*got = malloc(MAPS * sizeof *maps), *later = malloc(MAPS * sizeof *maps);
	map_node *nodes = malloc(NODES * sizeof *nodes), *nodes_before = malloc(NODES * sizeof *nodes),
		 *nodes_got = malloc(NODES * sizeof *nodes), *nodes_later = malloc(NODES * sizeof *nodes);
	ck_assert(maps && before && got && later && nodes && nodes_before && nodes_got && nodes_later);
	random_mapset(&rng, maps, MAPS, nodes, NODES);
	map_node *kept = nodes; /* (every field of a node comes back) */
	/* whole */
	keyframe_stream b = {0};
	ck_assert(keyframe_pack_mapset(KEYFRAME_MAPS, maps, MAPS, &b));
	size_t map_blocks = b.count;
	ck_assert_uint_gt(map_blocks, 1); /* across blocks */
	ck_assert(keyframe_pack_mapset(KEYFRAME_MAP_NODES, nodes, NODES, &b));
	size_t block = 0;
	memset(got, 0xa5, MAPS * sizeof *got);
	memset(nodes_got, 0xa5, NODES * sizeof *nodes_got);
	keyframe_apply_mapset(KEYFRAME_MAPS, &b, &block, got, MAPS);
	ck_assert_uint_eq(block, map_blocks);
	keyframe_apply_mapset(KEYFRAME_MAP_NODES, &b, &block, nodes_got, NODES);
	ck_assert_uint_eq(block, b.count);
	ck_assert(memcmp(got, maps, MAPS * sizeof *maps) == 0);
	ck_assert(memcmp(nodes_got, kept, NODES * sizeof *kept) == 0);
	/* in parts of 1 to 7 elements a call */
	keyframe_unpacking u;
	keyframe_unpacking_start(&u, 0);
	memset(got, 0x5a, MAPS * sizeof *got);
	size_t calls = 0;
	while (!keyframe_apply_mapset_part(KEYFRAME_MAPS, &b, &u, got, MAPS, 1 + calls % 7))
		calls++;
	ck_assert_uint_eq(u.block, map_blocks);
	ck_assert_uint_gt(calls, MAPS / 7);
	keyframe_unpacking_start(&u, u.block);
	memset(nodes_got, 0x5a, NODES * sizeof *nodes_got);
	while (!keyframe_apply_mapset_part(KEYFRAME_MAP_NODES, &b, &u, nodes_got, NODES, 1 + calls++ % 7))
		;
	ck_assert_uint_eq(u.block, b.count);
	ck_assert(memcmp(got, maps, MAPS * sizeof *maps) == 0);
	ck_assert(memcmp(nodes_got, kept, NODES * sizeof *kept) == 0);
	keyframe_stream_release(&b);
	/* as a delta on the state before: the marked ones and those past
	 * the marks that are not zero; the rest stays as it was (zero past
	 * the marks) */
	random_mapset(&rng, before, MAPS, nodes_before, NODES);
	memset(&before[MARKED_MAPS], 0, (MAPS - MARKED_MAPS) * sizeof *before);
	memset(&nodes_before[MARKED_NODES], 0, (NODES - MARKED_NODES) * sizeof *nodes_before);
	size_t set_maps, set_nodes;
	uint64_t *map_marks = random_marks(&rng, MARKED_MAPS, 5, &set_maps);
	uint64_t *node_marks = random_marks(&rng, MARKED_NODES, 3, &set_nodes);
	size_t listed_maps, listed_nodes;
	ck_assert(keyframe_pack_mapset_listed(KEYFRAME_MAPS, maps, MAPS, map_marks, MARKED_MAPS, &b, &listed_maps));
	size_t listed_map_blocks = b.count;
	ck_assert(keyframe_pack_mapset_listed(KEYFRAME_MAP_NODES, nodes, NODES, node_marks, MARKED_NODES, &b,
	                                      &listed_nodes));
	ck_assert_uint_eq(listed_maps, keyframe_count_mapset_listed(KEYFRAME_MAPS, maps, MAPS, map_marks, MARKED_MAPS,
	                                                            set_maps));
	ck_assert_uint_eq(listed_nodes, keyframe_count_mapset_listed(KEYFRAME_MAP_NODES, nodes, NODES, node_marks,
	                                                             MARKED_NODES, set_nodes));
	ck_assert_uint_gt(listed_maps, set_maps); /* (some past the marks) */
	ck_assert_uint_lt(listed_maps, MAPS);
	memcpy(got, before, MAPS * sizeof *got);
	memcpy(nodes_got, nodes_before, NODES * sizeof *nodes_got);
	block = 0;
	keyframe_apply_mapset(KEYFRAME_MAPS, &b, &block, got, listed_maps);
	keyframe_apply_mapset(KEYFRAME_MAP_NODES, &b, &block, nodes_got, listed_nodes);
	ck_assert_uint_eq(block, b.count);
	for (size_t i = 0; i < MAPS; i++) {
		bool marked = i < MARKED_MAPS && (map_marks[i / 64] >> (i % 64) & 1);
		const mapping *want = marked || i >= MARKED_MAPS ? &maps[i] : &before[i];
		ck_assert_msg(memcmp(&got[i], want, sizeof *want) == 0, "mapping %zu", i);
	}
	for (size_t i = 0; i < NODES; i++) {
		bool marked = i < MARKED_NODES && (node_marks[i / 64] >> (i % 64) & 1);
		const map_node *want = marked || i >= MARKED_NODES ? &kept[i] : &nodes_before[i];
		ck_assert_msg(memcmp(&nodes_got[i], want, sizeof *want) == 0, "node %zu", i);
	}
	/* merged with a later delta: what applying one and then the other
	 * does */
	random_mapset(&rng, later, MAPS, nodes_later, NODES);
	size_t set_later;
	uint64_t *later_marks = random_marks(&rng, MAPS, 4, &set_later);
	keyframe_stream c = {0}, merged = {0};
	size_t listed_later, listed_merged;
	ck_assert(keyframe_pack_mapset_listed(KEYFRAME_MAPS, later, MAPS, later_marks, MAPS, &c, &listed_later));
	size_t ab = 0, bb = 0;
	ck_assert(keyframe_merge_mapset(KEYFRAME_MAPS, &b, &ab, listed_maps, &c, &bb, listed_later, &merged,
	                                &listed_merged));
	ck_assert_uint_eq(ab, listed_map_blocks); /* (moved past a's maps: its nodes start there) */
	ck_assert_uint_eq(bb, c.count);
	mapping *twice = malloc(MAPS * sizeof *twice);
	ck_assert_ptr_nonnull(twice);
	memcpy(twice, got, MAPS * sizeof *twice); /* (before, then the first delta) */
	block = 0;
	keyframe_apply_mapset(KEYFRAME_MAPS, &c, &block, twice, listed_later);
	memcpy(got, before, MAPS * sizeof *got);
	block = 0;
	keyframe_apply_mapset(KEYFRAME_MAPS, &merged, &block, got, listed_merged);
	ck_assert(memcmp(got, twice, MAPS * sizeof *got) == 0);
	ck_assert_uint_ge(listed_merged, listed_later);
	ck_assert_uint_le(listed_merged, listed_maps + listed_later);
	keyframe_stream_release(&b);
	keyframe_stream_release(&c);
	keyframe_stream_release(&merged);
	free(map_marks);
	free(node_marks);
	free(later_marks);
	free(twice);
	free(maps);
	free(before);
	free(got);
	free(later);
	free(nodes);
	free(nodes_before);
	free(nodes_got);
	free(nodes_later);
}
END_TEST


/* Runs ops with a marker attached, keeping a keyframe every `every`
 * steps (packed whole every `whole`-th, a delta of the one before
 * otherwise) and a clone of the state there; then restores each on its
 * chain, into a fresh heap and into one holding another state, and in
 * parts of a few records or slots a call (sim_keyframe_restore_part),
 * every other one after a restore abandoned half way, and replays the
 * ops up to the next from each; then merges every other delta into the
 * next and checks the chains left again. */
static void check_deltas(const sim_config *config, const sim_op *ops, size_t count, size_t every, size_t whole,
			 const char *what)
{
	sim_heap *heap = sim_heap_new(config);
	sim_undo *marks = sim_undo_new_marking();
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert(heap && marks && pool);
	size_t cap = count / every + 2, n = 0;
	sim_keyframe **kfs = calloc(cap, sizeof *kfs);
	sim_heap **states = calloc(cap, sizeof *states);
	size_t *steps = calloc(cap, sizeof *steps);
	ck_assert(kfs && states && steps);
	sim_undo_attach(marks, heap);
	size_t deltas = 0, i = 0;
	for (;;) {
		bool delta = n > 0 && n % whole != 0;
		/* now and then the marker forgets what changed (as a copy into
		 * its heap makes it): such a delta lists everything */
		if (delta && n % 5 == 4)
			sim_undo_clear(marks);
		/* a delta's outlook, told before it is made, is what it is */
		sim_keyframe_delta_outlook outlook = {0};
		size_t pool_before = sim_page_pool_bytes(pool);
		if (delta)
			outlook = sim_keyframe_delta_outlook_of(heap, marks);
		kfs[n] = delta ? sim_keyframe_new_delta(pool, heap, kfs[n - 1], marks, NULL)
		               : sim_keyframe_new_packed(pool, heap, n ? kfs[n - 1] : NULL, NULL);
		ck_assert_ptr_nonnull(kfs[n]);
		ck_assert(sim_keyframe_is_delta(kfs[n]) == delta);
		if (delta) {
			ck_assert_msg(outlook.apply_ns == sim_keyframe_apply_ns(kfs[n]),
			              "%s: keyframe %zu: outlook %.0f ns, the delta %.0f", what, n, outlook.apply_ns,
			              sim_keyframe_apply_ns(kfs[n]));
			ck_assert_uint_le(sim_page_pool_bytes(pool) - pool_before, outlook.most_page_bytes);
		}
		deltas += delta;
		states[n] = sim_heap_clone(heap);
		steps[n++] = i;
		ck_assert(sim_undo_mark_reset(marks));
		bool aborted = false;
		for (size_t end = i + every; i < end && i < count && !aborted; i++) {
			sim_result r;
			ck_assert(sim_heap_step(heap, &ops[i], NULL, &r));
			aborted = r.aborted;
		}
		if (aborted || i >= count || n == cap)
			break;
	}
	ck_assert_uint_gt(deltas, 0);
	sim_heap *fresh = sim_heap_new(config), *into = sim_heap_new(config), *parted = sim_heap_new(config);
	for (int round = 0; round < 2; round++) {
		for (size_t k = 0; k < n; k++) {
			if (kfs[k] == NULL)
				continue;
			const sim_keyframe *chain[64];
			size_t len = 0;
			for (size_t j = k + 1; j-- > 0;) {
				if (kfs[j] == NULL)
					continue;
				ck_assert_uint_lt(len, 64);
				chain[len++] = kfs[j];
				if (!sim_keyframe_is_delta(kfs[j]))
					break;
			}
			for (size_t a = 0; a < len / 2; a++) {
				const sim_keyframe *t = chain[a];
				chain[a] = chain[len - 1 - a];
				chain[len - 1 - a] = t;
			}
			char why[256];
			/* also into a heap holding the last state, records past
			 * the count restored left as that state had them */
			sim_heap *last = sim_heap_clone(states[n - 1]);
			ck_assert_ptr_nonnull(last);
			sim_heap *dsts[3] = {fresh, into, last};
			for (int d = 0; d < 3; d++) {
				ck_assert(sim_keyframe_restore_chain(pool, chain, len, dsts[d]));
				ck_assert_msg(sim_heap_equal(dsts[d], states[k]), "%s: keyframe %zu (step %zu, round %d) restores another state", what, k, steps[k], round);
				ck_assert_msg(sim_heap_check(dsts[d], why, sizeof why), "%s: keyframe %zu: %s", what, k, why);
			}
			sim_heap_free(last);
			sim_heap_free(fresh);
			fresh = sim_heap_new(config);
			/* in parts (40 to 280 ns of decoding a call: 3 to 23
			 * records, 16 to 112 slots), into the heap the last one
			 * was restored into, every other time after a restore of
			 * the chain before abandoned after one part */
			sim_restoring part = {0};
			bool done = false;
			if (k % 2 == 1) {
				double ns = 40;
				ck_assert(sim_keyframe_restore_part(pool, chain, len > 1 ? len - 1 : len, parted, &part, &ns,
				                                    &done));
				memset(&part, 0, sizeof part);
				done = false;
			}
			size_t calls = 0;
			while (!done) {
				double ns = 40.0 * (double)(1 + (k + calls) % 7);
				ck_assert(sim_keyframe_restore_part(pool, chain, len, parted, &part, &ns, &done));
				calls++;
			}
			ck_assert_msg(sim_heap_equal(parted, states[k]), "%s: keyframe %zu (step %zu, round %d) restores another state in parts", what, k, steps[k], round);
			ck_assert_msg(sim_heap_check(parted, why, sizeof why), "%s: keyframe %zu in parts: %s", what, k, why);
			/* a call decodes a few, so a chain whose first state has
			 * many records takes many calls */
			size_t base = 0;
			while (kfs[base] != chain[0])
				base++;
			if (states[base]->chunk_used > 100)
				ck_assert_uint_gt(calls, states[base]->chunk_used / 30);
			/* replays on alike: up to the next state kept */
			if (k + 1 < n) {
				for (size_t j = steps[k]; j < steps[k + 1]; j++) {
					sim_result r;
					ck_assert(sim_heap_step(into, &ops[j], NULL, &r));
					ck_assert(sim_heap_step(parted, &ops[j], NULL, &r));
				}
				ck_assert_msg(sim_heap_equal(into, states[k + 1]), "%s: replayed from keyframe %zu", what, k);
				ck_assert_msg(sim_heap_equal(parted, states[k + 1]), "%s: replayed from keyframe %zu restored in parts", what, k);
			}
		}
		/* every other delta merged into the next delta */
		for (size_t k = 1; round == 0 && k + 1 < n; k += 2) {
			if (!sim_keyframe_is_delta(kfs[k]) || !sim_keyframe_is_delta(kfs[k + 1]))
				continue;
			ck_assert(sim_keyframe_merge(kfs[k], kfs[k + 1]));
			sim_keyframe_free(pool, kfs[k]);
			kfs[k] = NULL;
		}
	}
	for (size_t k = n; k-- > 0;) {
		sim_keyframe_free(pool, kfs[k]);
		sim_heap_free(states[k]);
	}
	ck_assert_uint_eq(sim_page_pool_bytes(pool), 0);
	sim_page_pool_free(pool);
	sim_undo_free(marks);
	sim_heap_free(heap);
	sim_heap_free(fresh);
	sim_heap_free(into);
	sim_heap_free(parted);
	free(kfs);
	free(states);
	free(steps);
}

/* The slots grow within a buffer a larger restore left (as the chunk
 * records do): the block is kept, not copied into a new one and freed
 * (4 MB and more: a state behind's replay across the op that doubles its
 * slots copied a recording's 32 MB and faulted the next restore's pages
 * in again), and the state runs on as the run did. */
/* What a delta would list, counted without packing it: as many as the
 * packers list, for any marks, records past the marks (zero or not) and
 * fewer records than the marks cover (a smaller state copied in). */
START_TEST(listed_counts_are_what_packing_lists)
{
	enum { COUNT = 3000 };
	random_rng rng;
	random_rng_seed(&rng, 7);
	chunk *records = calloc(COUNT, sizeof *records);
	slot_rec *slots = calloc(COUNT, sizeof *slots);
	uint64_t *marks = calloc(COUNT / 64 + 1, sizeof *marks);
	ck_assert(records && slots && marks);
	for (size_t i = 0; i < COUNT; i++) {
		/* a third left all zero, as records past a state's end are */
		if (random_rng_below(&rng, 3) == 0)
			continue;
		records[i].addr = 16 * (uint64_t)i;
		records[i].size = 32;
		slots[i].kind = 1;
		slots[i].mem = 16 * (uint64_t)i;
	}
	for (int round = 0; round < 40; round++) {
		memset(marks, 0, (COUNT / 64 + 1) * sizeof *marks);
		size_t marked = (size_t)random_rng_below(&rng, COUNT + 1);
		size_t count = (size_t)random_rng_below(&rng, COUNT + 1);
		unsigned density = 1 + (unsigned)random_rng_below(&rng, 60);
		size_t set = 0;
		for (size_t i = 0; i < marked; i++)
			if (random_rng_below(&rng, density) == 0) {
				marks[i / 64] |= (uint64_t)1 << (i % 64);
				set++;
			}
		keyframe_stream out = {0};
		size_t listed[2];
		ck_assert(keyframe_pack_chunks_listed(records, count, marks, marked, &out, &listed[0]));
		ck_assert(keyframe_pack_slots_listed(slots, count, marks, marked, &out, &listed[1]));
		keyframe_stream_release(&out);
		ck_assert_msg(keyframe_count_chunks_listed(records, count, marks, marked, set) == listed[0],
		              "round %d (%zu of %zu marked, %zu records): %zu counted, %zu listed", round, set, marked,
		              count, keyframe_count_chunks_listed(records, count, marks, marked, set), listed[0]);
		ck_assert_uint_eq(keyframe_count_slots_listed(slots, count, marks, marked, set), listed[1]);
	}
	free(records);
	free(slots);
	free(marks);
}
END_TEST

START_TEST(slots_grow_within_a_kept_buffer)
{
	enum { COUNT = 400000, EARLY = 1000 };
	sim_op *ops = calloc(COUNT, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	for (size_t i = 0; i < COUNT; i++)
		ops[i] = (sim_op){.kind = SIM_OP_MALLOC, .slot = (sim_slot)i, .arg_slot = SIM_NO_SLOT, .size = 24};
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *run = sim_heap_new(&config), *into = sim_heap_new(&config), *replay = sim_heap_new(&config);
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert(run != NULL && into != NULL && replay != NULL && pool != NULL);
	sim_keyframe *small = NULL;
	for (size_t i = 0; i < COUNT; i++) {
		if (i == EARLY)
			small = sim_keyframe_new_packed(pool, run, NULL, NULL);
		sim_result r;
		ck_assert(sim_heap_step(run, &ops[i], NULL, &r));
	}
	sim_keyframe *large = sim_keyframe_new_packed(pool, run, NULL, NULL);
	ck_assert(small != NULL && large != NULL);
	ck_assert_uint_ge((size_t)run->slot_cap * sizeof(slot_rec), (size_t)4 << 20);
	ck_assert(sim_keyframe_restore(pool, large, into));
	ck_assert(sim_keyframe_restore(pool, small, into));
	ck_assert_uint_lt(into->slot_cap, run->slot_cap);
	const void *slots = into->slots, *chunks = into->chunks;
	for (size_t i = EARLY; i < COUNT; i++) {
		sim_result r;
		ck_assert(sim_heap_step(into, &ops[i], NULL, &r));
	}
	ck_assert_uint_eq(into->slot_cap, run->slot_cap);
	ck_assert_ptr_eq(into->slots, slots);
	ck_assert_ptr_eq(into->chunks, chunks);
	for (size_t i = 0; i < COUNT; i++) {
		sim_result r;
		ck_assert(sim_heap_step(replay, &ops[i], NULL, &r));
	}
	ck_assert(sim_heap_equal(into, replay));
	ck_assert(sim_heap_equal(into, run));
	sim_keyframe_free(pool, small);
	sim_keyframe_free(pool, large);
	sim_page_pool_free(pool);
	sim_heap_free(replay);
	sim_heap_free(into);
	sim_heap_free(run);
	free(ops);
}
END_TEST

/* A restore in parts into a heap just made (the timeline's state
 * behind), given a heap of a larger state as `room`: the blocks it gives
 * the records and slots hold that one's, so replaying up to it moves
 * neither (they grew by doubling: a copy of up to 18 MB of records in a
 * step back). */
START_TEST(a_restore_in_parts_takes_the_room_given)
{
	enum { COUNT = 100000, EARLY = 1000 };
	sim_op *ops = calloc(COUNT, sizeof *ops);
	ck_assert_ptr_nonnull(ops);
	for (size_t i = 0; i < COUNT; i++)
		ops[i] = (sim_op){.kind = SIM_OP_MALLOC, .slot = (sim_slot)i, .arg_slot = SIM_NO_SLOT, .size = 24};
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *run = sim_heap_new(&config), *into = sim_heap_new(&config);
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert(run != NULL && into != NULL && pool != NULL);
	sim_keyframe *small = NULL;
	for (size_t i = 0; i < COUNT; i++) {
		if (i == EARLY)
			small = sim_keyframe_new_packed(pool, run, NULL, NULL);
		sim_result r;
		ck_assert(sim_heap_step(run, &ops[i], NULL, &r));
	}
	ck_assert_ptr_nonnull(small);
	const sim_keyframe *chain[1] = {small};
	sim_restoring part = {0};
	part.room = run;
	for (bool done = false; !done;) {
		double ns = 50000;
		ck_assert(sim_keyframe_restore_part(pool, chain, 1, into, &part, &ns, &done));
	}
	ck_assert_uint_lt(into->chunk_used, run->chunk_used);
	ck_assert_uint_ge(sim_room_bytes(into->chunks), (size_t)run->chunk_used * sizeof(chunk));
	ck_assert_uint_ge(sim_room_bytes(into->slots), (size_t)run->slot_cap * sizeof(slot_rec));
	const void *slots = into->slots, *chunks = into->chunks;
	for (size_t i = EARLY; i < COUNT; i++) {
		sim_result r;
		ck_assert(sim_heap_step(into, &ops[i], NULL, &r));
	}
	ck_assert_ptr_eq(into->chunks, chunks);
	ck_assert_ptr_eq(into->slots, slots);
	ck_assert(sim_heap_equal(into, run));
	sim_keyframe_free(pool, small);
	sim_page_pool_free(pool);
	sim_heap_free(into);
	sim_heap_free(run);
	free(ops);
}
END_TEST

/* The calls a restore in parts of `chain` into dst takes at `ns` a call,
 * with what dst's blocks hold written in *touched. */
static size_t parts_of(const sim_page_pool *pool, const sim_keyframe *const *chain, size_t n, sim_heap *dst, double ns,
		       sim_touched *touched)
{
	sim_restoring part = {0};
	part.touched = touched;
	size_t calls = 0;
	for (bool done = false; !done; calls++) {
		double left = ns;
		ck_assert(sim_keyframe_restore_part(pool, chain, n, dst, &part, &left, &done));
	}
	return calls;
}

/* A restore in parts into new blocks touches the pages it will write
 * first, a part at a time (their first touch costs a fault and the
 * kernel's zeroing, which the decode's rates do not count): into a heap
 * just made it takes more calls than the same restore into the heap it
 * left, whose pages it wrote, and restores the same state; the record
 * of what is written follows the blocks. */
START_TEST(a_restore_in_parts_touches_new_pages_first)
{
	enum { COUNT = 100000 };
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *run = sim_heap_new(&config), *into = sim_heap_new(&config);
	sim_page_pool *pool = sim_page_pool_new();
	ck_assert(run != NULL && into != NULL && pool != NULL);
	for (size_t i = 0; i < COUNT; i++) {
		sim_op op = {.kind = SIM_OP_MALLOC, .slot = (sim_slot)i, .arg_slot = SIM_NO_SLOT, .size = 24};
		sim_result r;
		ck_assert(sim_heap_step(run, &op, NULL, &r));
	}
	sim_keyframe *large = sim_keyframe_new_packed(pool, run, NULL, NULL);
	ck_assert_ptr_nonnull(large);
	const sim_keyframe *chain[1] = {large};
	/* 100 us a call: the decode alone takes 15 or so (100,000 records
	 * at 12 ns, 131,072 slots at 2.5), the 6.4 MB of records and 2 MB
	 * of slots 2,000 pages more at 1.5 us */
	sim_touched touched = {0};
	size_t fresh = parts_of(pool, chain, 1, into, 100000, &touched);
	ck_assert(sim_heap_equal(into, run));
	ck_assert_ptr_eq(touched.block[4], into->chunks);
	ck_assert_uint_ge(touched.bytes[4], (size_t)run->chunk_used * sizeof(chunk));
	const void *chunks = into->chunks;
	size_t warm = parts_of(pool, chain, 1, into, 100000, &touched);
	ck_assert(sim_heap_equal(into, run));
	ck_assert_ptr_eq(into->chunks, chunks);
	ck_assert_uint_le(warm, 20);
	ck_assert_uint_ge(fresh, warm + 20);
	/* a state complete in its blocks: written, as far as it uses them */
	sim_touched of = {0};
	sim_keyframe_touched_of(run, &of);
	ck_assert_ptr_eq(of.block[4], run->chunks);
	ck_assert_uint_eq(of.bytes[4], (size_t)run->chunk_used * sizeof(chunk));
	sim_heap *other = sim_heap_new(&config);
	ck_assert_ptr_nonnull(other);
	ck_assert(sim_heap_copy(other, run));
	sim_keyframe_touched_of(other, &of);
	ck_assert_uint_le(parts_of(pool, chain, 1, other, 100000, &of), 20);
	ck_assert(sim_heap_equal(other, run));
	sim_heap_free(other);
	/* sim_keyframe_restore_touched: not while pages are left to touch
	 * (the timeline then restores its cursor's warm blocks instead of
	 * finishing this restore), and from then on until it is done */
	sim_heap *newborn = sim_heap_new(&config);
	ck_assert_ptr_nonnull(newborn);
	sim_touched none = {0};
	sim_restoring part = {0};
	part.touched = &none;
	size_t untouched_calls = 0, touched_calls = 0;
	for (bool done = false; !done;) {
		double left = 100000;
		ck_assert(sim_keyframe_restore_part(pool, chain, 1, newborn, &part, &left, &done));
		if (done)
			break;
		if (sim_keyframe_restore_touched(&part))
			touched_calls++;
		else
			ck_assert_uint_eq(touched_calls, 0); /* (never untouched again) */
		untouched_calls += !sim_keyframe_restore_touched(&part);
	}
	ck_assert_uint_ge(untouched_calls, 10);
	ck_assert_uint_ge(touched_calls, 1);
	ck_assert(sim_heap_equal(newborn, run));
	sim_heap_free(newborn);
	sim_keyframe_free(pool, large);
	sim_page_pool_free(pool);
	sim_heap_free(into);
	sim_heap_free(run);
}
END_TEST

START_TEST(delta_keyframes_restore_a_replays_state)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		sim_config config;
		sim_op *ops;
		size_t count;
		const char *version;
		core_seed_trace(seed, 2000, &config, &ops, &count, &version);
		char what[64];
		snprintf(what, sizeof what, "random trace %llu (%s)", (unsigned long long)seed, version);
		check_deltas(&config, ops, count, 37 + seed % 50, 3 + seed % 5, what);
		free(ops);
	}
}
END_TEST

/* Thousands of live mmapped chunks (a B-tree of three levels), half
 * freed in a random order and mapped again, the rest freed: the mapping
 * records and nodes each delta lists, applied on their chain (and after
 * merges, and in parts), give the state a fresh run gives, its tree
 * summarised right (sim_heap_check), and replay on alike. */
START_TEST(delta_keyframes_of_many_mappings)
{
	enum { LIVE = 4000, COUNT = 3 * LIVE };
	sim_op *ops = calloc(COUNT, sizeof *ops);
	sim_slot *order = calloc(LIVE, sizeof *order);
	ck_assert(ops != NULL && order != NULL);
	random_rng rng;
	random_rng_seed(&rng, 65);
	for (size_t i = 0; i < LIVE; i++)
		order[i] = (sim_slot)i;
	for (size_t i = LIVE; i > 1; i--) {
		size_t j = random_rng_below(&rng, i);
		sim_slot t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	size_t n = 0;
	for (size_t i = 0; i < LIVE; i++) {
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = (sim_slot)i;
		ops[n++].size = 200000 + 4096 * random_rng_below(&rng, 5);
	}
	for (size_t i = 0; i < LIVE / 2; i++) {
		ops[n] = sim_op_blank(SIM_OP_FREE);
		ops[n++].slot = order[i];
	}
	for (size_t i = 0; i < LIVE / 2; i++) {
		ops[n] = sim_op_blank(SIM_OP_MALLOC);
		ops[n].slot = order[i];
		ops[n++].size = 200000 + 4096 * random_rng_below(&rng, 5);
	}
	for (size_t i = 0; i < LIVE; i++) {
		ops[n] = sim_op_blank(SIM_OP_FREE);
		ops[n++].slot = order[LIVE - 1 - i];
	}
	free(order);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	/* (a fixed mmap threshold: a free does not raise it) */
	ck_assert(sim_config_set(&config, SIM_SET_MMAP_MAX, 100000));
	sim_heap *heap = core_replayed(&config, ops, LIVE);
	ck_assert_uint_eq(heap->map_count, LIVE);
	ck_assert_uint_ge(heap->map_height, 3);
	sim_heap_free(heap);
	check_deltas(&config, ops, n, 700, 4, "4,000 live mmapped chunks freed and made again");
	free(ops);
}
END_TEST

/* `live` small chunks made, then `count - live` frees and mallocs of
 * them in a seeded random order (the caller frees the ops). */
static sim_op *frees_and_mallocs_all_over(size_t live, size_t count, uint64_t seed)
{
	sim_op *ops = calloc(count, sizeof *ops);
	bool *is_live = calloc(live, sizeof *is_live);
	ck_assert(ops != NULL && is_live != NULL);
	random_rng rng;
	random_rng_seed(&rng, seed);
	for (size_t i = 0; i < count; i++) {
		sim_slot slot = i < live ? (sim_slot)i : (sim_slot)random_rng_below(&rng, live);
		ops[i] = sim_op_blank(is_live[slot] ? SIM_OP_FREE : SIM_OP_MALLOC);
		ops[i].slot = slot;
		ops[i].size = 24 + 16 * random_rng_below(&rng, 40);
		is_live[slot] = !is_live[slot];
	}
	free(is_live);
	return ops;
}

/* Chains over many more records than a window of the chain's restore
 * (keyframe_pack.c: 2,048 records), whose deltas list records all over
 * them while the records grow: restored window by window, each gives
 * the state of a fresh run (into a heap holding the largest state too:
 * the records a delta adds are zeroed first). */
START_TEST(delta_chains_span_windows)
{
	enum { LIVE = 10000, COUNT = 30000 };
	sim_op *ops = frees_and_mallocs_all_over(LIVE, COUNT, 61);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = core_replayed(&config, ops, COUNT);
	ck_assert_uint_gt(heap->chunk_used, 4 * 2048);
	sim_heap_free(heap);
	check_deltas(&config, ops, COUNT, 1500, 7, "10,000 chunks freed and made all over");
	free(ops);
}
END_TEST

/* Keyframes of a state whose records are written to memory with
 * streaming stores (keyframe_pack.c: from 8 MB of records, 174,763 of
 * them, on), a whole one (step 180,000) and a chain (225,000): restored,
 * in parts and replayed on, each gives the state of a fresh run, as a
 * small one's does. */
START_TEST(large_chains_restore_alike)
{
	enum { LIVE = 200000, COUNT = 230000 };
	sim_op *ops = frees_and_mallocs_all_over(LIVE, COUNT, 67);
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *heap = core_replayed(&config, ops, COUNT);
	ck_assert_uint_gt(heap->chunk_used * sizeof(chunk), (size_t)8 << 20);
	sim_heap_free(heap);
	check_deltas(&config, ops, COUNT, 45000, 4, "200,000 chunks, freed and made all over");
	free(ops);
}
END_TEST

static void delta_lesson(const script *s, const char *path, void *ctx)
{
	(void)ctx;
	if (s->op_count >= 4)
		check_deltas(&s->config, s->ops, s->op_count, 2, 4, path);
}

START_TEST(delta_keyframes_of_every_lesson)
{
	core_each_lesson(delta_lesson, NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("keyframe");
	TCase *tc = tcase_create("pages");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, restores_equal_states_into_any_heap);
	tcase_add_test(tc, equal_pages_are_shared);
	tcase_add_loop_test(tc, rebuilt_index_replays_alike, 0, 2);
	tcase_add_test(tc, packed_records_come_back_whatever_they_hold);
	tcase_add_test(tc, packed_slot_groups_come_back_in_parts);
	tcase_add_test(tc, packed_mappings_come_back_whatever_they_hold);
	tcase_add_test(tc, smaller_restore_keeps_buffers);
	tcase_add_test(tc, slots_grow_within_a_kept_buffer);
	tcase_add_test(tc, a_restore_in_parts_takes_the_room_given);
	tcase_add_test(tc, a_restore_in_parts_touches_new_pages_first);
	tcase_add_test(tc, listed_counts_are_what_packing_lists);
	tcase_add_test(tc, delta_keyframes_restore_a_replays_state);
	tcase_add_test(tc, delta_keyframes_of_every_lesson);
	tcase_add_test(tc, delta_chains_span_windows);
	tcase_add_test(tc, large_chains_restore_alike);
	tcase_add_test(tc, delta_keyframes_of_many_mappings);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
