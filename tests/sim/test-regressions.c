/* test-regressions.c — divergences between the model and this machine's
 * glibc 2.36 that random traces found, minimised. The expected rows are
 * the REAL replayer's output (ret brk top rss), not the model's. */
#include "helpers.h"

/* M_PERTURB: alloc_perturb runs inside _int_malloc, so realloc's and
 * memalign's internal mallocs fill their chunks too (the model used to
 * perturb only malloc and calloc results). Program never writes. */
START_TEST(perturb_inside_int_malloc)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:mmap_threshold=1048576");
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 1 100", "0x2a0 0x1000 0xd00 1");
	th_expect(&t, "o -6 85", "=1 0x1000 0xd00 1");
	th_expect(&t, "r 2 1 100000", "0x2a0 0x19000 0x650 25");
	th_expect(&t, "A 3 64 20000", "0x18980 0x1e000 0x820 30");
	th_expect(&t, "c 4 1 30000", "0x1d7b0 0x25000 0x320 37");
	th_expect(&t, "f 2", "- 0x25000 0x320 37");
	th_fini(&t);
}
END_TEST

/* The same with the tcache: tcache_get does not perturb; a free that
 * goes to the tcache does not either; mmapped chunks are perturbed. */
START_TEST(perturb_tcache_and_mmap)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_expect(&t, "o -6 85", "=1 0x0 0x0 0");
	th_expect(&t, "a 1 100", "0x2a0 0x21000 0x20d00 1");
	th_expect(&t, "f 1", "- 0x21000 0x20d00 1");
	th_expect(&t, "a 2 100", "0x2a0 0x21000 0x20d00 1");
	th_expect(&t, "a 3 300000", "mmap 0x21000 0x20d00 1");
	th_expect(&t, "f 3", "- 0x21000 0x20d00 1");
	th_fini(&t);
}
END_TEST

/* M_PERTURB keeps the whole int: 256 is not 0 (the byte glibc writes is
 * 0x00, but it writes it, so the pages become resident). Found by the
 * oracles helper; the rows are real glibc 2.36's. */
START_TEST(perturb_any_int)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:trim_threshold=131072:top_pad=65536");
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_expect(&t, "o -6 256", "=1 0x0 0x0 0");
	th_expect(&t, "a 1 45056", "0x2a0 0x11000 0x5d60 12");
	th_expect(&t, "f 1", "- 0x11000 0x10d70 12");
	th_expect(&t, "o -6 -256", "=1 0x11000 0x10d70 12");
	th_expect(&t, "a 2 45056", "0x2a0 0x11000 0x5d60 12");
	th_fini(&t);
}
END_TEST

/* calloc after the break was trimmed and grows back: only the old top
 * is cleared (seed 290 of the fidelity sweep, minimised). */
START_TEST(calloc_regrowth)
{
	sim_config c = cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=4096");
	c.touch = SIM_TOUCH_NONE;
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 126976", "0x2a0 0x21000 0x1d60 2");
	th_expect(&t, "f 0", "- 0x2000 0x1d70 1");
	th_expect(&t, "c 1 1 65536", "0x2a0 0x12000 0x1d60 4");
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("regressions");
	TCase *tc = tcase_create("real glibc");
	tcase_add_test(tc, perturb_inside_int_malloc);
	tcase_add_test(tc, perturb_tcache_and_mmap);
	tcase_add_test(tc, perturb_any_int);
	tcase_add_test(tc, calloc_regrowth);
	suite_add_tcase(s, tc);
	return th_run(s);
}
