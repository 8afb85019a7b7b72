/* test-bins.c — fastbins, the unsorted scan, small and large bins and
 * their ordering, the binmap search (SIM settings unless noted). */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

/* mxfast=0 makes max_fast 16: no chunk is fast; 100 bytes go to unsorted. */
START_TEST(mxfast_zero_disables_fastbins)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mxfast=0");
	th u;
	th_init(&u, &c);
	ck_assert_uint_eq(sim_heap_max_fast(u.heap), 16);
	th_ops(&u, "a 1 100; a 2 100; f 1");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 0);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_UNSORTED), 1);
	th_fini(&u);
}
END_TEST

/* mxfast=160 → max_fast (160 + 8) & ~15 = 0xa0: 152-byte requests are fast. */
START_TEST(mxfast_max)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mxfast=160");
	th u;
	th_init(&u, &c);
	ck_assert_uint_eq(sim_heap_max_fast(u.heap), 0xa0);
	th_ops(&u, "a 1 152; a 2 100; f 1");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 1);
	th_fini(&u);
}
END_TEST

/* Smallbins are FIFO: the scan files chunks at the head, malloc takes the tail. */
START_TEST(smallbin_fifo)
{
	/* three 0x140 chunks separated by guards */
	th_ops(&t, "a 1 300; a 9 100; a 2 300; a 8 100; a 3 300; a 7 100");
	sim_addr c1 = th_chunk(&t, 1), c2 = th_chunk(&t, 2), c3 = th_chunk(&t, 3);
	th_ops(&t, "f 1; f 2; f 3");
	/* unsorted holds 3 2 1 (head first); a small miss files all of them */
	th_op(&t, "a 4 500");
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_SMALLBIN), 3);
	sim_addr list[4];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_SMALLBIN, 0x140 / 16, list, 4), 3);
	/* scan order is oldest first (1, 2, 3), each inserted at the head */
	ck_assert_uint_eq(list[0], c3);
	ck_assert_uint_eq(list[2], c1);
	th_op(&t, "a 5 300");
	ck_assert_uint_eq(th_chunk(&t, 5), c1); /* the tail: the oldest */
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_SMALLBIN);
	th_op(&t, "a 6 300");
	ck_assert_uint_eq(th_chunk(&t, 6), c2);
}
END_TEST

/* Large bins: sorted by decreasing size; an equal size goes second; the
 * best fit takes the chunk after the first of its size. */
START_TEST(largebin_order_and_best_fit)
{
	/* bin 64 + (size >> 6) - 16 holds 0x400..0x43f: sizes 0x410 and 0x430 */
	th_ops(&t, "a 1 1032; a 9 1; a 2 1064; a 8 1; a 3 1032; a 7 1; a 4 1032; a 6 1");
	sim_addr c1 = th_chunk(&t, 1), c2 = th_chunk(&t, 2), c3 = th_chunk(&t, 3), c4 = th_chunk(&t, 4);
	ck_assert_uint_eq(sim_heap_slot(t.heap, 2).size, 0x430);
	th_ops(&t, "f 1; f 2; f 3; f 4");
	th_op(&t, "a 5 2000"); /* large miss: files all four (oldest first: 1 2 3 4) */
	unsigned bin = 64; /* largebin_index(0x410) = 48 + (0x410 >> 6) = 64 */
	sim_addr list[8];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_LARGEBIN, bin, list, 8), 4);
	/* 0x430 first; then the 0x410s: 1 (first of its size), then 4, 3 (each new one second) */
	ck_assert_uint_eq(list[0], c2);
	ck_assert_uint_eq(list[1], c1);
	ck_assert_uint_eq(list[2], c4);
	ck_assert_uint_eq(list[3], c3);
	/* best fit for nb 0x410: the smallest size that fits (0x410), then
	 * "victim->fd" of the first entry: chunk 4 */
	th_op(&t, "a 6 1032");
	ck_assert_uint_eq(th_chunk(&t, 6), c4);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_LARGEBIN);
}
END_TEST

/* Many sizes in one large bin (the model finds a size's place through
 * largeidx.c instead of glibc's walk of the nextsize ring): the bin's
 * order and every best fit must still be glibc's rule, computed here on a
 * plain array: sorted by decreasing size, a size already present goes
 * second (after the first chunk of that size), the best fit for nb is the
 * smallest size >= nb, its second chunk when it has two or more. */
enum { MANY = 300 };
static size_t ref_len;
static sim_addr ref_addr[MANY];
static sim_size ref_size[MANY];

static void ref_insert(sim_addr addr, sim_size size)
{
	size_t at = 0;
	while (at < ref_len && ref_size[at] > size)
		at++;
	if (at < ref_len && ref_size[at] == size)
		at++; /* second position */
	memmove(ref_addr + at + 1, ref_addr + at, (ref_len - at) * sizeof *ref_addr);
	memmove(ref_size + at + 1, ref_size + at, (ref_len - at) * sizeof *ref_size);
	ref_addr[at] = addr;
	ref_size[at] = size;
	ref_len++;
}

static size_t ref_best_fit(sim_size nb)
{
	size_t i = ref_len;
	while (i > 0 && ref_size[i - 1] < nb)
		i--; /* past the sizes that do not fit (none in this test) */
	size_t first = i - 1;
	while (first > 0 && ref_size[first - 1] == ref_size[i - 1])
		first--;
	return first + 1 < ref_len && ref_size[first + 1] == ref_size[first] ? first + 1 : first;
}

START_TEST(largebin_many_sizes)
{
	/* sizes 0x3000..0x3ff0 are all large bin 110 + (size >> 12) = 113;
	 * 40 sizes repeat, the others are drawn from the whole range */
	uint64_t x = 12345;
	char line[64];
	sim_size size[MANY];
	for (int i = 0; i < MANY; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned step = (unsigned)(x >> 33) % 256;
		size[i] = 0x3000 + 16 * (i % 3 == 0 ? step % 40 : step);
		snprintf(line, sizeof line, "a %d %llu; a %d 1", 2 * i, (unsigned long long)size[i] - 8, 2 * i + 1);
		th_ops(&t, line);
	}
	ref_len = 0;
	for (int k = 0; k < MANY; k++) {
		int i = (k * 7 + 3) % MANY; /* a scrambled order, which the scan keeps */
		sim_addr c = th_chunk(&t, 2 * i);
		snprintf(line, sizeof line, "f %d", 2 * i);
		th_op(&t, line);
		ref_insert(c, size[i]);
	}
	th_op(&t, "a 1000 20472"); /* 0x5000: files every chunk, fits none, comes from top */
	sim_addr list[MANY];
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_LARGEBIN, 113, list, MANY), MANY);
	for (size_t i = 0; i < MANY; i++)
		ck_assert_uint_eq(list[i], ref_addr[i]);
	/* best fits, each leaving a remainder below 0x1000 (another bin) */
	for (int k = 0; k < 120; k++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		sim_size nb = ref_size[ref_len - 1] + 16 * ((x >> 33) % ((ref_size[0] - ref_size[ref_len - 1]) / 16 + 1));
		size_t pick = ref_best_fit(nb);
		snprintf(line, sizeof line, "a %d %llu", 2000 + k, (unsigned long long)nb - 8);
		th_op(&t, line);
		ck_assert_uint_eq(th_chunk(&t, (sim_slot)(2000 + k)), ref_addr[pick]);
		ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_LARGEBIN);
		memmove(ref_addr + pick, ref_addr + pick + 1, (ref_len - pick - 1) * sizeof *ref_addr);
		memmove(ref_size + pick, ref_size + pick + 1, (ref_len - pick - 1) * sizeof *ref_size);
		ref_len--;
	}
	ck_assert_uint_eq(sim_heap_bin_list(t.heap, SIM_PLACE_LARGEBIN, 113, list, MANY), ref_len);
	for (size_t i = 0; i < ref_len; i++)
		ck_assert_uint_eq(list[i], ref_addr[i]);
}
END_TEST

/* The binmap search takes the *last* chunk of the first non-empty larger
 * bin (the smallest of a large bin) and splits it; its remainder goes to
 * the unsorted head. */
START_TEST(binmap_search_takes_smallest)
{
	th_ops(&t, "a 1 3000; a 9 1; a 2 2500; a 8 1; f 1; f 2; a 3 5000");
	/* 0xbc0 → largebin 48 + (0xbc0 >> 6) = 95, 0x9d0 → 87 */
	sim_addr c2 = sim_heap_slot(t.heap, 8).chunk - 0x9d0;
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_LARGEBIN), 2);
	th_op(&t, "a 4 100"); /* nb 0x70: no small fit; the binmap finds bin 87 first */
	ck_assert_uint_eq(th_chunk(&t, 4), c2);
	ck_assert_uint_eq(th_find(&t, SIM_EV_ALLOC, 0)->detail, SIM_SRC_BINMAP);
	const sim_event *split = th_find(&t, SIM_EV_SPLIT, 0);
	ck_assert_uint_eq(split->size2, 0x9d0 - 0x70);
	ck_assert_uint_eq(split->detail, SIM_PLACE_UNSORTED);
}
END_TEST

/* The unsorted scan stashes exact fits in the tcache and returns one at
 * the end (defaults with 2 per bin). */
START_TEST(unsorted_exact_fits_stashed)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=2:top_pad=0");
	th u;
	th_init(&u, &c);
	/* 0x140 chunks: tcache-sized but not fast */
	th_ops(&u, "a 1 300; a 9 1; a 2 300; a 8 1; a 3 300; a 7 1; a 4 300; a 6 1; a 5 300; a 10 1");
	th_ops(&u, "f 1; f 2; f 3; f 4; f 5"); /* 1, 2 → tcache; 3 4 5 → unsorted */
	th_ops(&u, "a 11 300; a 12 300");      /* drain the tcache */
	th_op(&u, "a 13 300");
	/* scan: 3 exact → tcache, 4 exact → tcache, 5 exact → returned (tcache full) */
	ck_assert_uint_eq(th_chunk(&u, 13), sim_heap_slot(u.heap, 10).chunk - 0x140);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE), 2);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bins");
	TCase *tc = tcase_create("bins");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mxfast_zero_disables_fastbins);
	tcase_add_test(tc, mxfast_max);
	tcase_add_test(tc, smallbin_fifo);
	tcase_add_test(tc, largebin_order_and_best_fit);
	tcase_add_test(tc, largebin_many_sizes);
	tcase_add_test(tc, binmap_search_takes_smallest);
	tcase_add_test(tc, unsorted_exact_fits_stashed);
	suite_add_tcase(s, tc);
	return th_run(s);
}
