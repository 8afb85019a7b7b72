/* test-profile-231.c — the glibc-2.31 profile (Debian 11, Ubuntu 20.04):
 * where 2.31's malloc.c, arena.c, hooks.c and elf/dl-tunables.c differ
 * from 2.36, each case worked by hand from that source. Every expected
 * line was also checked on Debian's real libc6 2.31-13+deb11u11 (the
 * replayer under its own loader, scripts/glibc-fetch.sh), and the 2.36
 * lines on this machine's glibc 2.36. */
#include "helpers.h"

/* elf/dl-tunables.c (2.25 to 2.34): tunables_strdup copies the whole
 * "GLIBC_TUNABLES=..." string with sbrk before main, so the heap starts
 * 16 + len bytes into a page. "glibc.malloc.tcache_count=0" is 27 bytes:
 * start 0x2b, chunk2mem(0x2b) & 15 = 0xb, so sysmalloc skips 5 bytes; the
 * tcache struct (still made with tcache_count=0) is at +5 and the first
 * chunk at +0x295 (ret +0x2a5). The first sbrk asks ALIGN_UP(0x290 +
 * 0x20000 + 32) = 0x21000, the second 5 + (ALIGN_UP(0x2b + 0x21000 + 5) -
 * (0x2b + 0x21000 + 5)) = 0xfd5: brk +0x21fd5, top 0x21fd5 - 0x305. */
START_TEST(tunables_copy_moves_the_heap)
{
	sim_config c = cfg_with(SIM_GLIBC_2_31, "tcache_count=0");
	sim_config_tunables_env(&c, strlen("glibc.malloc.tcache_count=0"));
	ck_assert_uint_eq(c.heap_start, 0x2b);
	th t;
	th_init(&t, &c);
	th_expect(&t, "a 0 100", "0x2a5 0x21fd5 0x21cd0 1");
	th_fini(&t);

	/* 2.35 dropped the copy (b05fae4d8e): 2.36 starts page-aligned */
	sim_config n = cfg_with(SIM_GLIBC_2_36, "tcache_count=0");
	sim_config_tunables_env(&n, strlen("glibc.malloc.tcache_count=0"));
	ck_assert_uint_eq(n.heap_start, 0);
}
END_TEST

/* do_set_mmap_threshold (until 2.34; 0a4df6f534) refuses values above HEAP_MAX_SIZE
 * / 2 = 32 MiB and returns 0 without freezing the thresholds; -1 becomes
 * SIZE_MAX. 2.36 accepts all. The dynamic threshold still works after the
 * refused calls: 200000 (nb 0x30d50, mapping 0x31000) is mapped, its free
 * raises the threshold to 0x31000, and the same request then comes from
 * the brk heap (0x21000 + ALIGN_UP(0x30d50 + 0x20000 + 32 - 0x20d70)). */
START_TEST(mmap_threshold_limit)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_31);
	th t;
	th_init(&t, &c);
	th_expect(&t, "o -3 67108864", "=0 0x0 0x0");
	th_expect(&t, "o -3 -1", "=0 0x0 0x0");
	th_expect(&t, "o -3 33554433", "=0 0x0 0x0");
	th_expect(&t, "a 0 200000", "mmap 0x21000 0x20d70 1");
	th_expect(&t, "f 0", "- 0x21000 0x20d70 1");
	th_expect(&t, "a 1 200000", "0x2a0 0x51000 0x20020 49");
	th_fini(&t);

	sim_config bad = sim_config_defaults(SIM_GLIBC_2_31);
	ck_assert(!sim_config_set(&bad, SIM_SET_MMAP_THRESHOLD, (32 << 20) + 1));
	ck_assert(sim_config_set(&bad, SIM_SET_MMAP_THRESHOLD, 32 << 20));
	sim_config ok = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&ok, SIM_SET_MMAP_THRESHOLD, (uint64_t)64 << 20));

	th_init(&t, &ok);
	th_expect(&t, "o -3 67108864", "=1 0x0 0x0");
	th_fini(&t);
}
END_TEST

/* hooks.c (until 2.33): __malloc_hook starts as malloc_hook_ini, which only
 * a malloc (or realloc_hook_ini) clears. A memalign does not, so a calloc
 * after memalign+free still goes through the hook, i.e. __libc_malloc,
 * which pops the tcache; __libc_calloc proper never does (before 2.41).
 * memalign(64, 24) twice: _int_malloc (0x80) from top at 0 and 0x90, the
 * leads (0x30 at 0, 0x20 at 0x90) and tails (0x40 at 0x50, 0x50 at 0xd0)
 * go to fastbins (no tcache yet); free(+0x40) makes the tcache (0x290 at
 * 0x120) and caches 0x20 at 0x30. */
START_TEST(calloc_before_malloc_uses_the_hook)
{
	static const char *const ops = "A 0 64 24; A 1 64 24; f 0";
	sim_config c = sim_config_defaults(SIM_GLIBC_2_31);
	th t;
	th_init(&t, &c);
	th_ops(&t, ops);
	th_expect(&t, "c 2 1 24", "0x40 0x21000 0x20c50 1");
	/* the tcache bin is empty again: malloc finds 0x20 at 0x90 in fastbin 0 */
	th_expect(&t, "a 3 24", "0xa0 0x21000 0x20c50 1");
	th_fini(&t);

	sim_config n = sim_config_defaults(SIM_GLIBC_2_36);
	th_init(&t, &n);
	th_ops(&t, ops);
	th_expect(&t, "c 2 1 24", "0xa0 0x21000 0x20c50 1");
	th_fini(&t);
}
END_TEST

/* The hook's calloc clears the request with memset (mem, 0, sz), fresh
 * memory or not; __libc_calloc skips what sbrk just added. The settings'
 * string is 58 bytes: heap start 0x4a, chunk2mem misaligned by 0xa, so
 * the tcache struct is at +6 and the calloc chunk (nb 0x30d50) at +0x296.
 * The first heap is ALIGN_UP(0x290 + 32) = 0x1000 plus the correction
 * 6 + 0xfb0; the calloc grows it by ALIGN_UP(0x30d50 + 32 - 0xd70) =
 * 0x30000 and memset writes 200000 bytes from +0x2a6: pages 0 to 49 of the
 * 50. 2.36 (page-aligned start) clears only the old top's 0xd68 bytes
 * from +0x2a0: pages 0 and 1, plus the new top's header on page 48. */
START_TEST(calloc_before_malloc_clears_the_request)
{
	static const char *const settings = "top_pad=0:mmap_threshold=1048576";
	size_t env = strlen("glibc.malloc.top_pad=0:glibc.malloc.mmap_threshold=1048576");
	sim_config c = cfg_with(SIM_GLIBC_2_31, settings);
	c.touch = SIM_TOUCH_NONE;
	sim_config_tunables_env(&c, env);
	th t;
	th_init(&t, &c);
	th_expect(&t, "c 0 1 200000", "0x2a6 0x31fb6 0xfd0 50");
	th_expect(&t, "a 1 100", "0x30ff6 0x31fb6 0xf60 50");
	th_fini(&t);

	sim_config n = cfg_with(SIM_GLIBC_2_36, settings);
	n.touch = SIM_TOUCH_NONE;
	th_init(&t, &n);
	th_expect(&t, "c 0 1 200000", "0x2a0 0x31000 0x20 3");
	th_fini(&t);
}
END_TEST

/* set_max_fast (2.6 to 2.31): s == 0 gives 16, else (s + 8) & ~15, which
 * is 0 for s = 1..7 (2.32, b9cde4e3aa, made every s <= 7 give 16). Either way no chunk
 * is fast. */
START_TEST(max_fast_rule)
{
	sim_config c = cfg_with(SIM_GLIBC_2_31, "mxfast=0");
	th t;
	th_init(&t, &c);
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 16);
	th_expect(&t, "o 1 7", "=1 0x0 0x0");
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 0);
	th_expect(&t, "o 1 8", "=1 0x0 0x0");
	ck_assert_uint_eq(sim_heap_max_fast(t.heap), 16);
	th_expect(&t, "o 1 161", "=0 0x0 0x0");
	th_fini(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile-2.31");
	TCase *tc = tcase_create("glibc-2.31");
	tcase_add_test(tc, tunables_copy_moves_the_heap);
	tcase_add_test(tc, mmap_threshold_limit);
	tcase_add_test(tc, calloc_before_malloc_uses_the_hook);
	tcase_add_test(tc, calloc_before_malloc_clears_the_request);
	tcase_add_test(tc, max_fast_rule);
	suite_add_tcase(s, tc);
	return th_run(s);
}
