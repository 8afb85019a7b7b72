/* test-memalign.c — _int_memalign (2.36): over-allocate nb + align +
 * MINSIZE, free the leading and trailing parts; no tcache init first.
 * Cross-checked on this glibc (alignments up to a page: larger ones
 * depend on where ASLR puts the heap). */
#include "helpers.h"

/* memalign as the very first call does not create the tcache struct:
 * _int_malloc(0x70 + 64 + 32) → nb 0xe0 at 0; the aligned point 0x40
 * gives a 0x30 leader (fastbin) and a 0x40 tail (fastbin). */
START_TEST(first_call)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	th u;
	th_init(&u, &c);
	th_expect(&u, "A 1 64 100", "0x40 0x21000 0x20f20");
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_FASTBIN), 2);
	ck_assert_uint_eq(th_place_count(&u, SIM_PLACE_TCACHE_STRUCT), 0);
	/* the first malloc creates the struct from top at 0xe0 */
	th_expect(&u, "a 2 100", "0x380 0x21000 0x20c20");
	th_fini(&u);
}
END_TEST

START_TEST(alignments)
{
	sim_config c = cfg_sim();
	th u;
	th_init(&u, &c);
	th_expect(&u, "a 9 100", "0x2a0 0x1000 0xd00");
	th_expect(&u, "A 1 64 100", "0x340 0x1000 0xc20");
	th_expect(&u, "A 2 4096 5000", "0x1000 0x3000 0xc80");
	/* alignment 32 rounds to itself; 16 is plain malloc; 48 rounds up to 64 */
	th_expect(&u, "A 3 32 20", "0x3e0 0x3000 0xc80");
	th_expect(&u, "A 4 16 100", "0x420 0x3000 0xc80");
	th_expect(&u, "A 5 48 100", "0x4c0 0x3000 0xc80");
	for (sim_slot s = 1; s <= 5; s++)
		ck_assert_uint_eq((sim_heap_slot(u.heap, s).chunk + 16) % (s == 2 ? 4096 : s == 3 ? 32 : 16), 0);
	th_fini(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("memalign");
	TCase *tc = tcase_create("memalign");
	tcase_add_test(tc, first_call);
	tcase_add_test(tc, alignments);
	suite_add_tcase(s, tc);
	return th_run(s);
}
