/* test-hugepages.c — sim/hugepages.h: large arrays allocated with the
 * huge-page hint are allocated as malloc, calloc and realloc would, and
 * fail as they would; and the model, whose slots grow through them,
 * reports a failed growth past SIM_HUGE_MIN like any other.
 * (The hint itself changes only the speed: nothing here can see it.)
 * sim_table_calloc's block has all its whole pages in memory when it is
 * returned (mincore), where calloc's fresh mapping of the same size has
 * not, and so has such a mapping once its fallback (a byte a page) has
 * been through it. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/heap_internal.h"
#include "sim/hugepages.h"
#include "tests/common/alloc_fail.h"

/* What both calloc stand-ins do as calloc does: a small block is zeroed
 * (calloc's own), and a failed allocation of `count` blocks of `size`
 * returns NULL. */
static void assert_small_zeroed_and_fails(void *(*alloc)(size_t, size_t), size_t count, size_t size)
{
	unsigned char *s = alloc(100, 1);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < 100; i++)
		ck_assert_uint_eq(s[i], 0);
	free(s);
	alloc_fail_arm(0, false);
	ck_assert_ptr_null(alloc(count, size));
	alloc_fail_disarm();
	ck_assert_uint_eq(alloc_fail.failed, 1);
}

START_TEST(huge_calloc_is_zeroed_and_fails_as_calloc)
{
	size_t count = SIM_HUGE_MIN / 8 + 123;
	uint64_t *a = sim_huge_calloc(count, 8);
	ck_assert_ptr_nonnull(a);
	for (size_t i = 0; i < count; i++)
		ck_assert_uint_eq(a[i], 0);
	a[count - 1] = 7;
	free(a);
	assert_small_zeroed_and_fails(sim_huge_calloc, count, 8);
}
END_TEST

/* How many of the whole pages of [p, p + bytes) are in memory. */
static size_t pages_in_memory(const void *p, size_t bytes, size_t *whole)
{
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + bytes) & ~(page - 1);
	*whole = (end - start) / page;
	unsigned char *in = calloc(*whole + 1, 1);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(mincore((void *)start, end - start, in), 0);
	size_t n = 0;
	for (size_t i = 0; i < *whole; i++)
		n += in[i] & 1;
	free(in);
	return n;
}

START_TEST(table_calloc_is_zeroed_written_and_fails_as_calloc)
{
	/* past glibc's largest mmap threshold (32 MiB): calloc's block is a
	 * fresh mapping, out of memory until it is touched (what makes the
	 * check below mean something) */
	size_t count = ((size_t)33 << 20) / 16 + 5, whole;
	char *fresh = calloc(count, 16);
	ck_assert_ptr_nonnull(fresh);
	ck_assert_uint_lt(pages_in_memory(fresh, count * 16, &whole), whole / 2);
	uint64_t *t = sim_table_calloc(count, 16);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(pages_in_memory(t, count * 16, &whole), whole);
	ck_assert_uint_ge(whole, 8000);
	uint64_t any = 0; /* (one assertion: 4M of them took minutes under ASan) */
	for (size_t i = 0; i < count * 2; i++)
		any |= t[i];
	ck_assert_uint_eq(any, 0);
	t[count * 2 - 1] = 9;
	free(t);
	/* the way without MADV_POPULATE_WRITE: the same pages, still zero */
	sim_pages_write_zero(fresh, count * 16);
	ck_assert_uint_eq(pages_in_memory(fresh, count * 16, &whole), whole);
	for (size_t i = 0; i < count * 16; i++)
		any |= (unsigned char)fresh[i];
	ck_assert_uint_eq(any, 0);
	free(fresh);
	assert_small_zeroed_and_fails(sim_table_calloc, count, 16);
}
END_TEST

START_TEST(huge_realloc_keeps_the_used_part_and_the_old_block_on_failure)
{
	size_t old_count = 1000;
	uint32_t *a = malloc(old_count * sizeof *a);
	ck_assert_ptr_nonnull(a);
	for (size_t i = 0; i < old_count; i++)
		a[i] = (uint32_t)i * 2654435761u;
	size_t new_bytes = SIM_HUGE_MIN + 4096;
	/* a failure leaves the old block as it was (ASan: still freeable, once) */
	alloc_fail_arm(0, false);
	ck_assert_ptr_null(sim_huge_realloc(a, old_count * sizeof *a, new_bytes));
	alloc_fail_disarm();
	for (size_t i = 0; i < old_count; i++)
		ck_assert_uint_eq(a[i], (uint32_t)i * 2654435761u);
	uint32_t *b = sim_huge_realloc(a, old_count * sizeof *a, new_bytes);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < old_count; i++)
		ck_assert_uint_eq(b[i], (uint32_t)i * 2654435761u);
	b[new_bytes / sizeof *b - 1] = 1; /* all of it is there */
	/* smaller than the hint's size: as realloc */
	uint32_t *c = sim_huge_realloc(b, 16, 64);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c[1], 2654435761u);
	free(c);
}
END_TEST

/* The slots of a heap of many live pointers grow past SIM_HUGE_MIN
 * through sim_huge_realloc: a failure of that growth fails the step that
 * needed it and the heap can still be freed (the ASan build: no leak, no
 * bad access); without the failure the same growth succeeds. */
START_TEST(model_reports_a_failed_huge_growth)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_heap *h = sim_heap_new(&config);
	ck_assert_ptr_nonnull(h);
	bool failed_once = false;
	for (sim_slot s = 0; s < 600000 && !failed_once; s++) {
		sim_op op = sim_op_blank(SIM_OP_MALLOC);
		op.slot = s;
		op.size = 24;
		sim_result r;
		bool grows_huge = s >= h->slot_cap && (size_t)h->slot_cap * 2 * sizeof *h->slots >= SIM_HUGE_MIN;
		if (grows_huge) {
			alloc_fail_arm(0, false);
			bool ok = sim_heap_step(h, &op, NULL, &r);
			alloc_fail_disarm();
			ck_assert(!ok);
			ck_assert_uint_eq(alloc_fail.failed, 1);
			failed_once = true;
		} else {
			ck_assert(sim_heap_step(h, &op, NULL, &r));
		}
	}
	ck_assert(failed_once);
	sim_heap_free(h);
	/* and without failures, the same growth succeeds */
	h = sim_heap_new(&config);
	ck_assert_ptr_nonnull(h);
	for (sim_slot s = 0; s < 600000; s++) {
		sim_op op = sim_op_blank(SIM_OP_MALLOC);
		op.slot = s;
		op.size = 24;
		sim_result r;
		ck_assert(sim_heap_step(h, &op, NULL, &r));
	}
	ck_assert_uint_ge((size_t)h->slot_cap * sizeof *h->slots, SIM_HUGE_MIN);
	sim_heap_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hugepages");
	TCase *tc = tcase_create("calloc");
	tcase_add_test(tc, huge_calloc_is_zeroed_and_fails_as_calloc);
	tcase_add_test(tc, table_calloc_is_zeroed_written_and_fails_as_calloc);
	suite_add_tcase(s, tc);
	tc = tcase_create("realloc");
	tcase_add_test(tc, huge_realloc_keeps_the_used_part_and_the_old_block_on_failure);
	suite_add_tcase(s, tc);
	tc = tcase_create("model");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, model_reports_a_failed_huge_growth);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
