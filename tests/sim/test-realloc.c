/* test-realloc.c — realloc's special cases beyond facts §15 (f):
 * realloc(NULL), realloc(p, 0), staying in place, ownership of slots. */
#include <string.h>

#include "helpers.h"
#include "sim/explain.h"

static th t;
static void setup(void)
{
	sim_config c = cfg_sim();
	th_init(&t, &c);
}
static void teardown(void) { th_fini(&t); }

START_TEST(null_is_malloc)
{
	th_expect(&t, "r 1 - 100", "0x2a0 0x1000 0xd00");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_AS_MALLOC);
	ck_assert_int_eq(sim_heap_slot(t.heap, 1).place, SIM_PLACE_INUSE);
}
END_TEST

START_TEST(zero_is_free)
{
	th_ops(&t, "a 1 1000; a 2 100");
	th_expect(&t, "r 3 1 0", "null 0x1000 0x910");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_AS_FREE);
	ck_assert_int_eq(sim_heap_slot(t.heap, 1).place, SIM_PLACE_NONE);
	ck_assert_uint_eq(th_place_count(&t, SIM_PLACE_UNSORTED), 1);
}
END_TEST

START_TEST(shrink_in_place_small_tail)
{
	th_ops(&t, "a 1 1000; a 2 100");
	/* nb 0x3e0: tail 0x10 < MINSIZE: nothing split */
	th_expect(&t, "r 1 1 990", "0x2a0 0x1000 0x910");
	ck_assert_uint_eq(th_find(&t, SIM_EV_REALLOC, 0)->detail, SIM_REALLOC_IN_PLACE);
	ck_assert_uint_eq(sim_heap_slot(t.heap, 1).size, 0x3f0);
	ck_assert_uint_eq(th_count(&t, SIM_EV_ALLOC), 0);
}
END_TEST

/* p = realloc(q, n) moves ownership to p; q keeps a dangling value. */
START_TEST(slot_ownership)
{
	th_ops(&t, "a 1 1000; a 9 100");
	th_op(&t, "r 2 1 3000"); /* blocked by 9: moves */
	ck_assert_int_eq(sim_heap_slot(t.heap, 1).place, SIM_PLACE_NONE);
	ck_assert_int_eq(sim_heap_slot(t.heap, 2).place, SIM_PLACE_INUSE);
	th_op(&t, "r 3 2 2000"); /* shrinks in place: 3 owns it now */
	ck_assert_int_eq(sim_heap_slot(t.heap, 2).place, SIM_PLACE_NONE);
	ck_assert_int_eq(sim_heap_slot(t.heap, 3).place, SIM_PLACE_INUSE);
	ck_assert_uint_eq(sim_heap_slot(t.heap, 3).request, 2000);
}
END_TEST

/* A realloc that fails (a size past glibc's limit: ENOMEM) moves and
 * frees nothing: no realloc event says it did, and the failure names the
 * old chunk, still allocated, and who still points to it: the source of
 * `b = realloc(a, n)`; none for `a = realloc(a, n)`, which lost it. */
START_TEST(a_failed_realloc_leaves_the_old_chunk)
{
	th_ops(&t, "a 1 100");
	th_expect(&t, "r 2 1 18446744073709551600", "null 0x1000 0xd00");
	ck_assert_uint_eq(th_count(&t, SIM_EV_REALLOC), 0);
	const sim_event *f = th_find(&t, SIM_EV_ALLOC_FAILED, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->detail, SIM_FAIL_REALLOC_ENOMEM);
	ck_assert_uint_eq(f->v2, 1);
	ck_assert_uint_eq(f->addr, 0x290);
	ck_assert_uint_eq(f->v3, 2); /* slot 1 still has it */
	ck_assert_int_eq(sim_heap_slot(t.heap, 1).place, SIM_PLACE_INUSE);
	char text[512];
	sim_explain(f, NULL, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "leaves the old chunk at +0x290 allocated:") != NULL, "%s", text);
	th_expect(&t, "r 1 1 18446744073709551600", "null 0x1000 0xd00");
	f = th_find(&t, SIM_EV_ALLOC_FAILED, 0);
	ck_assert_uint_eq(f->v3, 0); /* its own target: its pointer is lost */
	sim_explain(f, NULL, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "its pointer is lost") != NULL, "%s", text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("realloc");
	TCase *tc = tcase_create("realloc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, null_is_malloc);
	tcase_add_test(tc, zero_is_free);
	tcase_add_test(tc, shrink_in_place_small_tail);
	tcase_add_test(tc, slot_ownership);
	tcase_add_test(tc, a_failed_realloc_leaves_the_old_chunk);
	suite_add_tcase(s, tc);
	return th_run(s);
}
