/* test-parse.c — what each statement of the scenario language produces:
 * ops and slots, ranges and repeat blocks, settings and profiles, titles,
 * captions, marks, and every expectation form. Error messages are in
 * test-errors.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/event.h"

/* All ops of `text` as "op; op; ..." after a parse that must succeed. */
static char *ops_of(const char *text)
{
	parsed p;
	parse_text(&p, text);
	ck_assert_msg(p.ok, "parse failed:\n%s", p.diags);
	size_t cap = 64 + p.s.op_count * 64;
	char *out = malloc(cap);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < p.s.op_count; i++) {
		char buf[96];
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "; " : "", op_text(&p.s, i, buf, sizeof buf));
	}
	parsed_release(&p);
	return out;
}

#define assert_ops(text, want)                                                                                         \
	do {                                                                                                           \
		char *got_ = ops_of(text);                                                                             \
		ck_assert_str_eq(got_, want);                                                                          \
		free(got_);                                                                                            \
	} while (0)

/* ---- operations ---- */

START_TEST(malloc_and_free)
{
	assert_ops("a = malloc 64K\nfree a\n", "malloc a 65536; free a");
	assert_ops("a = malloc 0\n", "malloc a 0");
	assert_ops("big = malloc 0xffffffffffffffff\n", "malloc big 18446744073709551615");
}
END_TEST

START_TEST(size_arithmetic)
{
	assert_ops("a = malloc 64K-16\n", "malloc a 65520");
	assert_ops("a = malloc 64K - 16\n", "malloc a 65520");
	assert_ops("a = malloc 2*(1K+8)\n", "malloc a 2064");
	assert_ops("a = malloc 1M/4\n", "malloc a 262144");
	assert_ops("a = malloc (128K-24)*2\n", "malloc a 262096");
	assert_ops("a = malloc -(-5)\n", "malloc a 5");
}
END_TEST

START_TEST(c_call_syntax)
{
	assert_ops("a = malloc(100);\nfree(a);\n", "malloc a 100; free a");
	assert_ops("c = calloc(10, 100)\n", "calloc c 10x100");
	assert_ops("d = realloc(NULL, 64)\n", "realloc d<-NULL 64");
	assert_ops("e = memalign(64, 100)\nmalloc_trim(0)\nmallopt(M_TOP_PAD, 0)\n",
	           "memalign e 64 100; trim 0; mallopt -2 0");
	/* Parentheses that do not close the statement are arithmetic. */
	assert_ops("a = malloc (1+2)*3\n", "malloc a 9");
}
END_TEST

START_TEST(calloc_realloc_memalign)
{
	assert_ops("c = calloc 10 100\n", "calloc c 10x100");
	assert_ops("c = calloc 10, 100\n", "calloc c 10x100");
	assert_ops("a = malloc 10\na = realloc a 3000\n", "malloc a 10; realloc a<-a 3000");
	assert_ops("a = malloc 10\nb = realloc a 3000\n", "malloc a 10; realloc b<-a 3000");
	assert_ops("b = realloc NULL 100\n", "realloc b<-NULL 100");
	assert_ops("a = malloc 10\na = realloc a 0\n", "malloc a 10; realloc a<-a 0");
	assert_ops("m = memalign 64 1000\n", "memalign m 64 1000");
	assert_ops("m = aligned_alloc 4K 8K\n", "memalign m 4096 8192");
	assert_ops("m = posix_memalign 16 100\n", "memalign m 16 100");
	assert_ops("m = memalign 24 100\n", "memalign m 24 100"); /* glibc rounds the alignment up itself */
}
END_TEST

START_TEST(valloc_and_pvalloc)
{
	assert_ops("v = valloc 100\n", "memalign v 4096 100");
	/* The size as written: the model rounds pvalloc's as the profile's
	 * glibc does (2.31-2.41 with & -(pagesize - 1), 100 -> 4097; 2.42 to
	 * a page; fidelity checks both against the real libraries). */
	assert_ops("v = pvalloc 100\nw = pvalloc 4096\nx = pvalloc 8000\ny = pvalloc 0\n",
	           "memalign v 4096 100; memalign w 4096 4096; memalign x 4096 8000; memalign y 4096 0");
}
END_TEST

/* sbrk N: signed, with sizes and arithmetic, C spelling too, in a
 * repeat and by a thread. */
START_TEST(program_sbrk)
{
	assert_ops("sbrk 4K\nsbrk(-4096)\nsbrk 1 + 2\nsbrk -(8K - 1)\nsbrk(0);\n",
	           "sbrk 4096; sbrk -4096; sbrk 3; sbrk -8191; sbrk 0");
	assert_ops("repeat 2 { sbrk 16 }\n", "sbrk 16; sbrk 16");
	assert_ops("start w\non w: sbrk 100\n", "?; sbrk 100 (a thread's)"); /* (? the thread's start) */
}
END_TEST

START_TEST(trim_and_mallopt)
{
	assert_ops("malloc_trim\nmalloc_trim 0\nmalloc_trim 128K\n", "trim 0; trim 0; trim 131072");
	assert_ops("mallopt M_TRIM_THRESHOLD 64K\nmallopt M_TOP_PAD 0\nmallopt M_MMAP_THRESHOLD 1M\n"
	           "mallopt M_MMAP_MAX 0\nmallopt M_MXFAST 0\n",
	           "mallopt -1 65536; mallopt -2 0; mallopt -3 1048576; mallopt -4 0; mallopt 1 0");
	assert_ops("mallopt M_PERTURB 0x55\nmallopt M_ARENA_MAX 1\nmallopt M_CHECK_ACTION 3\nmallopt M_ARENA_TEST 2\n",
	           "mallopt -6 85; mallopt -8 1; mallopt -5 3; mallopt -7 2");
	assert_ops("mallopt -1 65536\nmallopt (-3) 4096\nmallopt M_TRIM_THRESHOLD -1\n",
	           "mallopt -1 65536; mallopt -3 4096; mallopt -1 -1");
}
END_TEST

START_TEST(free_many_names_at_once)
{
	assert_ops("a = malloc 1\nb = malloc 2\nc = malloc 3\nfree a b, c\n",
	           "malloc a 1; malloc b 2; malloc c 3; free a; free b; free c");
}
END_TEST

START_TEST(semicolons_separate_statements)
{
	assert_ops("a = malloc 1; b = malloc 2;; free a; free b", "malloc a 1; malloc b 2; free a; free b");
}
END_TEST

START_TEST(slots_are_dense_and_named)
{
	parsed p;
	parse_text(&p, "a = malloc 1\nb = malloc 2\na = malloc 3\n甲 = malloc 4\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(p.s.slot_count, 3);
	ck_assert_str_eq(script_slot_name(&p.s, 0), "a");
	ck_assert_str_eq(script_slot_name(&p.s, 1), "b");
	ck_assert_str_eq(script_slot_name(&p.s, 2), "甲");
	ck_assert_uint_eq(p.s.ops[2].slot, 0);
	ck_assert_uint_eq(script_find_slot(&p.s, "b", 1), 1);
	ck_assert_uint_eq(script_find_slot(&p.s, "c", 1), SIM_NO_SLOT);
	ck_assert_uint_eq(p.s.ops[0].arg_slot, SIM_NO_SLOT);
	parsed_release(&p);
}
END_TEST

/* Names added without a lookup (a loader's unique names) are found, by
 * a scan, and interning after them indexes them: a name seen again gets
 * its slot, not a second one. */
START_TEST(unindexed_slots_are_found_and_interned_once)
{
	script s;
	script_init(&s);
	ck_assert_uint_eq(script_intern_slot(&s, "first", 5), 0);
	char name[32];
	for (unsigned i = 0; i < 1000; i++) {
		int n = snprintf(name, sizeof name, "id%u", i);
		ck_assert_uint_eq(script_add_new_slot(&s, name, (size_t)n), i + 1);
	}
	ck_assert_uint_eq(s.slot_count, 1001);
	ck_assert_uint_eq(script_find_slot(&s, "id0", 3), 1);
	ck_assert_uint_eq(script_find_slot(&s, "id999", 5), 1000);
	ck_assert_uint_eq(script_find_slot(&s, "first", 5), 0);
	ck_assert_uint_eq(script_find_slot(&s, "id1000", 6), SIM_NO_SLOT);
	ck_assert_uint_eq(script_find_slot(&s, "id99", 3), 10); /* "id9": only len bytes count */
	/* interning an added name finds it; a new one comes after them all */
	ck_assert_uint_eq(script_intern_slot(&s, "id500", 5), 501);
	ck_assert_uint_eq(script_intern_slot(&s, "id1000", 6), 1001);
	ck_assert_uint_eq(s.slot_count, 1002);
	for (unsigned i = 0; i < 1000; i += 37) {
		int n = snprintf(name, sizeof name, "id%u", i);
		ck_assert_uint_eq(script_intern_slot(&s, name, (size_t)n), i + 1);
		ck_assert_str_eq(script_slot_name(&s, i + 1), name);
	}
	ck_assert_uint_eq(s.slot_count, 1002);
	/* and more added after an intern are found again */
	ck_assert_uint_eq(script_add_new_slot(&s, "late", 4), 1002);
	ck_assert_uint_eq(script_find_slot(&s, "late", 4), 1002);
	ck_assert_uint_eq(script_intern_slot(&s, "late", 4), 1002);
	ck_assert_uint_eq(s.slot_count, 1003);
	script_release(&s);
}
END_TEST

/* A slot_namer for the test: "u" + the slot number; NULL for slot 7. */
static const char *test_namer(const void *context, sim_slot slot, char *buf, size_t size)
{
	(void)context;
	if (slot == 7)
		return NULL;
	snprintf(buf, size, "u%u", (unsigned)slot);
	return buf;
}

/* Unnamed slots take no entry in the script (a recording's half million
 * were 4 MB of NULLs): the names array stops at the first of them, a name
 * given after one is a late name, and script_slot_given_name answers for
 * all: the name given, or NULL. Late names are found by name, before and
 * after interning indexes them. */
START_TEST(unnamed_slots_take_no_entry_and_late_names_are_found)
{
	script s;
	script_init(&s);
	ck_assert_uint_eq(script_add_new_slot(&s, "a", 1), 0);
	ck_assert_uint_eq(script_intern_slot(&s, "b", 1), 1);
	/* every slot named: the array itself is handed out, not after */
	ck_assert_ptr_eq(script_all_slot_names(&s), (const char *const *)s.slot_names);
	ck_assert_str_eq(script_all_slot_names(&s)[1], "b");
	for (unsigned i = 2; i < 100000; i++)
		ck_assert_uint_eq(script_add_unnamed_slot(&s), i);
	ck_assert_uint_eq(script_add_new_slot(&s, "failed", 6), 100000);
	ck_assert_uint_eq(script_add_unnamed_slot(&s), 100001);
	ck_assert_uint_eq(script_add_new_slot(&s, "late", 4), 100002);
	ck_assert_uint_eq(s.slot_count, 100003);
	ck_assert_uint_eq(s.slot_names_count, 2);
	ck_assert_uint_le(s.slot_capacity, 16);
	ck_assert_uint_eq(s.late_name_count, 2);
	ck_assert_ptr_null(script_all_slot_names(&s));
	ck_assert_str_eq(script_slot_given_name(&s, 0), "a");
	ck_assert_str_eq(script_slot_given_name(&s, 1), "b");
	ck_assert_ptr_null(script_slot_given_name(&s, 2));
	ck_assert_ptr_null(script_slot_given_name(&s, 99999));
	ck_assert_str_eq(script_slot_given_name(&s, 100000), "failed");
	ck_assert_ptr_null(script_slot_given_name(&s, 100001));
	ck_assert_str_eq(script_slot_given_name(&s, 100002), "late");
	ck_assert_ptr_null(script_slot_given_name(&s, 100003));
	ck_assert_ptr_null(script_slot_given_name(&s, SIM_NO_SLOT));
	/* without a namer an unnamed slot is "?"; with one, its name */
	ck_assert_str_eq(script_slot_name(&s, 5), "?");
	s.slot_namer = test_namer;
	ck_assert_str_eq(script_slot_name(&s, 5), "u5");
	ck_assert_str_eq(script_slot_name(&s, 7), "?");
	ck_assert_str_eq(script_slot_name(&s, 100000), "failed");
	ck_assert_str_eq(script_slot_name(&s, 100003), "?");
	/* found by name: by the scan, then by the index */
	ck_assert_uint_eq(script_find_slot(&s, "failed", 6), 100000);
	ck_assert_uint_eq(script_find_slot(&s, "late", 4), 100002);
	ck_assert_uint_eq(script_find_slot(&s, "u5", 2), SIM_NO_SLOT);
	ck_assert_uint_eq(script_intern_slot(&s, "late", 4), 100002);
	ck_assert_uint_eq(script_intern_slot(&s, "failed", 6), 100000);
	ck_assert_uint_eq(script_intern_slot(&s, "new", 3), 100003);
	ck_assert_uint_eq(script_find_slot(&s, "new", 3), 100003);
	ck_assert_uint_eq(script_find_slot(&s, "a", 1), 0);
	ck_assert_uint_eq(s.slot_count, 100004);
	ck_assert_uint_eq(s.slot_names_count, 2);
	ck_assert_uint_eq(s.late_name_count, 3);
	script_release(&s);
	/* a script whose unnamed slot is its first has no names array */
	script_init(&s);
	ck_assert_uint_eq(script_add_unnamed_slot(&s), 0);
	ck_assert_uint_eq(script_add_new_slot(&s, "x", 1), 1);
	ck_assert_ptr_null(s.slot_names);
	ck_assert_ptr_null(script_slot_given_name(&s, 0));
	ck_assert_str_eq(script_slot_given_name(&s, 1), "x");
	script_release(&s);
}
END_TEST

START_TEST(op_positions)
{
	parsed p;
	parse_text(&p, "\n  a = malloc 1\n\tfree a\nrepeat 2 { b = malloc 1 }\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(p.s.op_count, 4);
	ck_assert_uint_eq(p.s.op_line[0], 2);
	ck_assert_uint_eq(p.s.op_col[0], 3);
	ck_assert_uint_eq(p.s.op_line[1], 3);
	ck_assert_uint_eq(p.s.op_col[1], 2);
	ck_assert_uint_eq(p.s.op_line[3], 4);
	ck_assert_uint_eq(p.s.op_col[3], 12);
	parsed_release(&p);
}
END_TEST

/* ---- ranges and repeat ---- */

START_TEST(ranges_expand_to_indexed_names)
{
	assert_ops("p[1..3] = malloc 100\nfree p[1..3]\n",
	           "malloc p[1] 100; malloc p[2] 100; malloc p[3] 100; free p[1]; free p[2]; free p[3]");
	assert_ops("p[1..3] = malloc 100\nfree p[3..1]\n",
	           "malloc p[1] 100; malloc p[2] 100; malloc p[3] 100; free p[3]; free p[2]; free p[1]");
	assert_ops("p[0..6 by 3] = malloc 16\nfree p[6]\n", "malloc p[0] 16; malloc p[3] 16; malloc p[6] 16; free p[6]");
	assert_ops("p[ 2 ] = malloc 1\nfree p[2]\n", "malloc p[2] 1; free p[2]");
	assert_ops("q[1..2] = calloc 2 8\nq[1..2] = realloc q[1..2] 64\n",
	           "calloc q[1] 2x8; calloc q[2] 2x8; realloc q[1]<-q[1] 64; realloc q[2]<-q[2] 64");
	assert_ops("r[5..4] = realloc NULL 8\n", "realloc r[5]<-NULL 8; realloc r[4]<-NULL 8");
}
END_TEST

START_TEST(indexed_and_plain_names_are_distinct)
{
	parsed p;
	parse_text(&p, "p = malloc 1\np[1] = malloc 2\nfree p\nfree p[1]\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(p.s.slot_count, 2);
	ck_assert_str_eq(script_slot_name(&p.s, 1), "p[1]");
	parsed_release(&p);
}
END_TEST

START_TEST(repeat_blocks)
{
	assert_ops("repeat 3 {\n  x = malloc 10\n  free x\n}\n",
	           "malloc x 10; free x; malloc x 10; free x; malloc x 10; free x");
	assert_ops("repeat 2 times { a = malloc 1 }\n", "malloc a 1; malloc a 1");
	assert_ops("repeat 2 { repeat 2 { a = malloc 1 }; b = malloc 2 }\n",
	           "malloc a 1; malloc a 1; malloc b 2; malloc a 1; malloc a 1; malloc b 2");
	assert_ops("a = malloc 1\nrepeat 0 { free a }\nfree a\n", "malloc a 1; free a");
	assert_ops("repeat 2 { p[1..2] = malloc 8 }\n", "malloc p[1] 8; malloc p[2] 8; malloc p[1] 8; malloc p[2] 8");
	assert_ops("repeat 1 { }\n", "");
}
END_TEST

/* Zero times anything is zero ops, whatever is nested inside, and the
 * op limit applies to the product of the counts, without overflow. */
START_TEST(repeat_zero_times_a_huge_block)
{
	assert_ops("repeat 0 {\n  repeat 18446744073709551615 {\n    a = malloc 10\n    free a\n  }\n}\nb = malloc 5\n",
	           "malloc b 5");
	assert_ops("repeat 0 { repeat 2 { repeat 18446744073709551615 { a = malloc 1 } } }\nb = malloc 5\n",
	           "malloc b 5");
	assert_ops("repeat 18446744073709551615 { repeat 0 { a = malloc 1 } }\nb = malloc 5\n", "malloc b 5");
	/* statements inside a zero-times block do not add up either */
	assert_ops("repeat 0 {\n p[1..500001] = malloc 1\n p[1..500001] = malloc 2\n}\nb = malloc 5\n", "malloc b 5");
	parsed p;
	parse_text(&p, "repeat 4294967297 { repeat 4294967297 { a = malloc 1 } }\n");
	ck_assert(!p.ok);
	ck_assert_msg(has_diag(&p, "1:54: error: the scenario would have more than 1000000 operations"), "%s", p.diags);
	parsed_release(&p);
	parse_text(&p, "repeat 1000 { repeat 1001 { a = malloc 1 } }\n");
	ck_assert(!p.ok);
	parsed_release(&p);
	parse_text(&p, "repeat 500 { repeat 3 { a = malloc 1 } }\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(p.s.op_count, 1500);
	parsed_release(&p);
}
END_TEST

START_TEST(repeat_keeps_source_lines)
{
	parsed p;
	parse_text(&p, "repeat 2 {\n a = malloc 1\n free a\n}\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(p.s.op_count, 4);
	ck_assert_uint_eq(p.s.op_line[0], 2);
	ck_assert_uint_eq(p.s.op_line[1], 3);
	ck_assert_uint_eq(p.s.op_line[2], 2);
	ck_assert_uint_eq(p.s.op_line[3], 3);
	parsed_release(&p);
}
END_TEST

/* ---- settings ---- */

START_TEST(defaults_without_settings)
{
	parsed p;
	parse_text(&p, "a = malloc 1\n");
	ck_assert(p.ok);
	ck_assert_int_eq(p.s.config.profile, SIM_GLIBC_2_36);
	ck_assert_int_eq(p.s.config.touch, SIM_TOUCH_ALL);
	ck_assert_uint_eq(p.s.config.set_mask, 0);
	ck_assert(!p.s.profile_given);
	ck_assert_uint_eq(p.s.config.value[SIM_SET_TRIM_THRESHOLD], 128 * 1024);
	parsed_release(&p);
}
END_TEST

START_TEST(every_setting)
{
	parsed p;
	parse_text(&p, "set tcache_count 0\nset tcache_max 512\nset tcache_unsorted_limit 3\nset trim_threshold 64K\n"
	               "set top_pad = 0\nset mmap_threshold 1M\nset mmap_max 0\nset glibc.malloc.mxfast 0\n"
	               "set arena_max 2\nset arena_test 1\na = malloc 1\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	const sim_config *c = &p.s.config;
	ck_assert_uint_eq(c->value[SIM_SET_TCACHE_COUNT], 0);
	ck_assert_uint_eq(c->value[SIM_SET_TCACHE_MAX], 512);
	ck_assert_uint_eq(c->value[SIM_SET_TCACHE_UNSORTED_LIMIT], 3);
	ck_assert_uint_eq(c->value[SIM_SET_TRIM_THRESHOLD], 65536);
	ck_assert_uint_eq(c->value[SIM_SET_TOP_PAD], 0);
	ck_assert_uint_eq(c->value[SIM_SET_MMAP_THRESHOLD], 1048576);
	ck_assert_uint_eq(c->value[SIM_SET_MMAP_MAX], 0);
	ck_assert_uint_eq(c->value[SIM_SET_MXFAST], 0);
	ck_assert_uint_eq(c->value[SIM_SET_ARENA_MAX], 2);
	ck_assert_uint_eq(c->value[SIM_SET_ARENA_TEST], 1);
	ck_assert_uint_eq(c->set_mask, (1u << SIM_SETTING_COUNT) - 1);
	parsed_release(&p);
}
END_TEST

/* `set cpus N` is the machine's, not a tunable: it sets config.cpus and
 * marks no setting (verify must not pass it to GLIBC_TUNABLES). */
START_TEST(cpus_setting)
{
	parsed p;
	parse_text(&p, "set cpus = 4\na = malloc 1\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.config.cpus, 4);
	ck_assert_uint_eq(p.s.config.set_mask, 0);
	parsed_release(&p);
	parse_text(&p, "a = malloc 1\n");
	ck_assert_uint_eq(p.s.config.cpus, 0); /* not said: glibc's "assume 2" */
	parsed_release(&p);
}
END_TEST

START_TEST(profile_and_touch)
{
	parsed p;
	/* The profile may come after the settings: defaults are the profile's. */
	parse_text(&p, "set top_pad 0\nprofile glibc-2.3.6\ntouch none\na = malloc 1\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_int_eq(p.s.config.profile, SIM_GLIBC_2_3_6);
	ck_assert(p.s.profile_given);
	ck_assert_int_eq(p.s.config.touch, SIM_TOUCH_NONE);
	ck_assert_uint_eq(p.s.config.value[SIM_SET_MXFAST], 64); /* 2.3.6 default */
	ck_assert_uint_eq(p.s.config.value[SIM_SET_TOP_PAD], 0);
	parsed_release(&p);
	parse_text(&p, "profile glibc-2.36\ntouch all\n");
	ck_assert_int_eq(p.s.config.profile, SIM_GLIBC_2_36);
	ck_assert_int_eq(p.s.config.touch, SIM_TOUCH_ALL);
	parsed_release(&p);
}
END_TEST

/* ---- titles, captions, marks ---- */

START_TEST(titles_in_several_languages)
{
	parsed p;
	parse_text(&p, "title en \"Free does not shrink\"\ntitle zh \"free 不会缩小堆\"\ntitle zh-TW: \"free 不會縮小堆\"\n"
	               "a = malloc 1\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.title_count, 3);
	ck_assert_str_eq(p.s.title, "Free does not shrink");
	ck_assert_str_eq(p.s.titles[1].lang, "zh");
	ck_assert_str_eq(script_title_for(&p.s, "zh"), "free 不会缩小堆");
	ck_assert_str_eq(script_title_for(&p.s, "zh-TW"), "free 不會縮小堆");
	ck_assert_str_eq(script_title_for(&p.s, "zh-CN"), "free 不会缩小堆"); /* same primary language */
	ck_assert_str_eq(script_title_for(&p.s, "fr"), "Free does not shrink");  /* first as the fallback */
	parsed_release(&p);
}
END_TEST

START_TEST(captions_attach_to_the_step)
{
	parsed p;
	parse_text(&p, "say en \"before anything\"\na = malloc 1\nsay en \"a is here\"\nsay zh \"a 在这里\"\n"
	               "say en \"second line\"\nsay \"untagged\"\nfree a\nsay EN \"upper-case tag\"\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.caption_count, 5);
	ck_assert_uint_eq(p.s.captions[0].at_step, 0);
	ck_assert_uint_eq(p.s.captions[1].at_step, 1);
	ck_assert_str_eq(p.s.captions[1].text, "a is here\nsecond line"); /* same step and language: joined */
	ck_assert_uint_eq(p.s.captions[1].line, 3);
	ck_assert_str_eq(p.s.captions[2].lang, "zh");
	ck_assert_str_eq(p.s.captions[2].text, "a 在这里");
	ck_assert_str_eq(p.s.captions[3].lang, "");
	ck_assert_str_eq(p.s.captions[4].lang, "en");
	ck_assert_uint_eq(p.s.captions[4].at_step, 2);
	ck_assert_str_eq(script_caption_at(&p.s, 1, "zh")->text, "a 在这里");
	ck_assert_str_eq(script_caption_at(&p.s, 1, "en")->text, "a is here\nsecond line");
	ck_assert_str_eq(script_caption_at(&p.s, 1, "fr")->text, "untagged");
	ck_assert_str_eq(script_caption_at(&p.s, 0, "zh")->text, "before anything");
	ck_assert_str_eq(script_caption_at(&p.s, 5, "en")->text, "upper-case tag");
	parsed_release(&p);
}
END_TEST

START_TEST(caption_escapes_and_empty)
{
	parsed p;
	parse_text(&p, "say en \"a \\\"quoted\\\" word\\nnext\"\nsay zh \"\"\n");
	ck_assert(p.ok);
	ck_assert_str_eq(p.s.captions[0].text, "a \"quoted\" word\nnext");
	ck_assert_str_eq(p.s.captions[1].text, "");
	parsed_release(&p);
}
END_TEST

/* `say ... if glibc COND`: a caption for some releases; a run under one
 * keeps its own, joined to the shared line of the same step and language. */
START_TEST(captions_for_some_releases)
{
	parsed p;
	parse_text(&p, "a = malloc 10\n"
	               "say en \"shared\"\n"
	               "say en \"old\" if glibc < 2.43\n"
	               "say en \"new\" if glibc >= 2.43\n"
	               "say zh \"共同\"\n"
	               "free a\n"
	               "say en \"only 2.3.6\" if glibc 2.3.6\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.caption_count, 5); /* conditions keep captions apart at parse time */
	ck_assert(!p.s.captions[0].when.given);
	ck_assert(p.s.captions[1].when.given && p.s.captions[2].when.given);
	script_keep_glibc(&p.s, SIM_GLIBC_2_43);
	ck_assert_uint_eq(p.s.caption_count, 2);
	ck_assert_str_eq(p.s.captions[0].text, "shared\nnew");
	ck_assert_str_eq(p.s.captions[1].text, "共同");
	parsed_release(&p);

	parse_text(&p, "a = malloc 10\nsay en \"shared\"\nsay en \"old\" if glibc < 2.43\nsay en \"new\" if glibc >= 2.43\n"
	               "free a\nsay en \"only 2.3.6\" if glibc 2.3.6\n");
	script_keep_glibc(&p.s, SIM_GLIBC_2_3_6);
	ck_assert_uint_eq(p.s.caption_count, 2);
	ck_assert_str_eq(p.s.captions[0].text, "shared\nold");
	ck_assert_str_eq(p.s.captions[1].text, "only 2.3.6");
	ck_assert_uint_eq(p.s.captions[1].at_step, 2);
	parsed_release(&p);

	parse_text(&p, "a = malloc 10\nsay en \"x\" if 2.43\nsay en \"y\" if glibc\n");
	ck_assert(!p.ok);
	ck_assert(has_diag(&p, "2:15: error: expected 'glibc' after 'if', as in 'if glibc >= 2.26', found '2.43'"));
	ck_assert(has_diag(&p, "3:20: error: expected a comparison (==, !=, <, <=, >, >=) after 'glibc', found end of line"));
	parsed_release(&p);
}
END_TEST

START_TEST(marks_and_pauses)
{
	parsed p;
	parse_text(&p, "mark start\na = malloc 1\npause \"where did the memory go?\"\nmark \"after a\"\nfree a\npause\n"
	               "b = malloc 1\npause en \"Why?\"\npause zh: \"为什么？\"\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.mark_count, 6);
	ck_assert_str_eq(p.s.marks[4].lang, "en");
	ck_assert_str_eq(p.s.marks[5].lang, "zh");
	ck_assert_uint_eq(p.s.marks[5].at_step, 3);
	ck_assert_str_eq(script_pause_at(&p.s, 3, "zh"), "为什么？");
	ck_assert_str_eq(script_pause_at(&p.s, 3, "en"), "Why?");
	ck_assert_str_eq(script_pause_at(&p.s, 3, "fr"), "Why?"); /* the first as the fallback */
	ck_assert_ptr_null(script_pause_at(&p.s, 0, "en"));
	ck_assert(!p.s.marks[0].pause);
	ck_assert_str_eq(p.s.marks[0].label, "start");
	ck_assert_uint_eq(p.s.marks[0].at_step, 0);
	ck_assert(p.s.marks[1].pause);
	ck_assert_str_eq(p.s.marks[1].label, "where did the memory go?");
	ck_assert_uint_eq(p.s.marks[1].at_step, 1);
	ck_assert_uint_eq(p.s.marks[1].line, 3);
	ck_assert_str_eq(p.s.marks[2].label, "after a");
	ck_assert_str_eq(p.s.marks[3].label, "");
	parsed_release(&p);
}
END_TEST

/* ---- expectations ---- */

/* Parses `setup` + "expect " + `body` and returns the expectation. */
static script_expect expect_of(parsed *p, const char *setup, const char *body)
{
	char text[512];
	snprintf(text, sizeof text, "%sexpect %s\n", setup, body);
	parse_text(p, text);
	ck_assert_msg(p->ok, "'%s' failed:\n%s", body, p->diags);
	ck_assert_uint_eq(p->s.expect_count, 1);
	return p->s.expects[0];
}

START_TEST(expect_brk)
{
	parsed p;
	script_expect e = expect_of(&p, "a = malloc 1\n", "brk == +0x21000");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_BRK);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_int_eq(e.value, 0x21000);
	ck_assert_uint_eq(e.at_step, 1);
	ck_assert_uint_eq(e.line, 2);
	ck_assert_uint_eq(e.col, 1);
	ck_assert_str_eq(e.source_text, "brk == +0x21000");
	parsed_release(&p);
	e = expect_of(&p, "", "brk <= 132K  # trailing comment");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_LE);
	ck_assert_int_eq(e.value, 132 * 1024);
	ck_assert_uint_eq(e.at_step, 0);
	ck_assert_str_eq(e.source_text, "brk <= 132K");
	parsed_release(&p);
	static const char *const ops[] = {"!=", "<", ">", ">="};
	static const script_cmp cmps[] = {SCRIPT_CMP_NE, SCRIPT_CMP_LT, SCRIPT_CMP_GT, SCRIPT_CMP_GE};
	for (int i = 0; i < 4; i++) {
		char body[32];
		snprintf(body, sizeof body, "brk %s 0", ops[i]);
		e = expect_of(&p, "", body);
		ck_assert_int_eq(e.cmp, cmps[i]);
		parsed_release(&p);
	}
}
END_TEST

START_TEST(expect_brk_changes)
{
	parsed p;
	const char *setup = "a = malloc 200000\nb = malloc 10\nfree a\n";
	script_expect e = expect_of(&p, setup, "brk delta == -0x31000");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_BRK_DELTA);
	ck_assert_int_eq(e.value, -0x31000);
	ck_assert_uint_eq(e.from_step, 2);
	ck_assert_uint_eq(e.at_step, 3);
	parsed_release(&p);
	e = expect_of(&p, setup, "brk grew by 0x1000");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_int_eq(e.value, 0x1000);
	parsed_release(&p);
	e = expect_of(&p, setup, "brk shrank by 4K");
	ck_assert_int_eq(e.value, -4096);
	parsed_release(&p);
	e = expect_of(&p, setup, "brk grew");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_GT);
	ck_assert_int_eq(e.value, 0);
	parsed_release(&p);
	e = expect_of(&p, setup, "brk shrank");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_LT);
	parsed_release(&p);
	e = expect_of(&p, setup, "brk unchanged");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_int_eq(e.value, 0);
	parsed_release(&p);
}
END_TEST

START_TEST(expect_previous_command_spans_ranges_and_blocks)
{
	parsed p;
	script_expect e = expect_of(&p, "p[1..8] = malloc 100\nfree p[1..8]\nsay en \"x\"\n", "not trimmed");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_TRIMMED);
	ck_assert_int_eq(e.value, 0);
	ck_assert_uint_eq(e.from_step, 8);
	ck_assert_uint_eq(e.at_step, 16);
	parsed_release(&p);
	e = expect_of(&p, "a = malloc 1\nrepeat 3 {\n b = malloc 1\n free b\n}\n", "brk unchanged");
	ck_assert_uint_eq(e.from_step, 1);
	ck_assert_uint_eq(e.at_step, 7);
	parsed_release(&p);
}
END_TEST

START_TEST(expect_events)
{
	parsed p;
	script_expect e = expect_of(&p, "a = malloc 1\n", "trimmed");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_TRIMMED);
	ck_assert_int_eq(e.value, 1);
	parsed_release(&p);
	e = expect_of(&p, "a = malloc 1\n", "consolidated");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_EVENT);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_int_eq(e.value, SIM_EV_CONSOLIDATE_BEGIN);
	parsed_release(&p);
	e = expect_of(&p, "malloc_trim\n", "not madvised");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_EVENT);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_NE);
	ck_assert_int_eq(e.value, SIM_EV_MADVISE);
	parsed_release(&p);
}
END_TEST

START_TEST(expect_names)
{
	parsed p;
	const char *setup = "a = malloc 1\np[1..2] = malloc 1\n";
	script_expect e = expect_of(&p, setup, "a at +0x2a0");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_ADDR);
	ck_assert_int_eq(e.value, 0x2a0);
	ck_assert_uint_eq(e.slot, 0);
	ck_assert(!e.mmap);
	parsed_release(&p);
	e = expect_of(&p, setup, "p[2] mmapped");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_ADDR);
	ck_assert(e.mmap);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_uint_eq(e.slot, 2);
	parsed_release(&p);
	e = expect_of(&p, setup, "a not mmapped");
	ck_assert(e.mmap);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_NE);
	parsed_release(&p);
	e = expect_of(&p, setup, "a in fastbin");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_PLACE);
	ck_assert_int_eq(e.place, SIM_PLACE_FASTBIN);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	parsed_release(&p);
	e = expect_of(&p, setup, "a not in use");
	ck_assert_int_eq(e.place, SIM_PLACE_INUSE);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_NE);
	parsed_release(&p);
	static const char *const words[] = {"tcache", "unsorted", "smallbin", "largebin", "top", "mmap", "free", "bins"};
	static const int places[] = {SIM_PLACE_TCACHE,   SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN,
	                             SIM_PLACE_TOP,      SIM_PLACE_MMAP,     SCRIPT_PLACE_FREE,  SCRIPT_PLACE_BINS};
	for (int i = 0; i < 8; i++) {
		char body[40];
		snprintf(body, sizeof body, "a in %s", words[i]);
		e = expect_of(&p, setup, body);
		ck_assert_int_eq(e.place, places[i]);
		parsed_release(&p);
	}
}
END_TEST

START_TEST(expect_name_that_looks_like_a_keyword)
{
	parsed p;
	/* A scenario may call a pointer `top`: `expect top at ...` is about it. */
	script_expect e = expect_of(&p, "top = malloc 1\n", "top at 0x2a0");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_ADDR);
	parsed_release(&p);
	e = expect_of(&p, "top = malloc 1\n", "top == 0x100");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_TOP);
	parsed_release(&p);
}
END_TEST

START_TEST(expect_quantities)
{
	parsed p;
	script_expect e = expect_of(&p, "", "top >= 128K");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_TOP);
	ck_assert_int_eq(e.value, 131072);
	parsed_release(&p);
	e = expect_of(&p, "", "vmdata == 0x21000");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_VMDATA);
	parsed_release(&p);
	e = expect_of(&p, "", "rss == 33 pages");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_RSS_PAGES);
	ck_assert_int_eq(e.value, 33);
	parsed_release(&p);
	e = expect_of(&p, "", "rss < 132K");
	ck_assert_int_eq(e.value, 33);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_LT);
	parsed_release(&p);
	e = expect_of(&p, "", "rss == 1 page");
	ck_assert_int_eq(e.value, 1);
	parsed_release(&p);
	e = expect_of(&p, "", "trim_threshold == 0x94000");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_TRIM_THRESHOLD);
	parsed_release(&p);
	e = expect_of(&p, "", "mmap_threshold > 128K");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_MMAP_THRESHOLD);
	parsed_release(&p);
	e = expect_of(&p, "", "releasable == 0x60000");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_RELEASABLE);
	parsed_release(&p);
}
END_TEST

START_TEST(expect_counts_and_bytes)
{
	parsed p;
	script_expect e = expect_of(&p, "", "tcache count == 7");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_COUNT);
	ck_assert_int_eq(e.place, SIM_PLACE_TCACHE);
	ck_assert_uint_eq(e.chunk_size, 0);
	ck_assert_int_eq(e.value, 7);
	parsed_release(&p);
	e = expect_of(&p, "", "fastbin[0x70] count >= 1");
	ck_assert_int_eq(e.place, SIM_PLACE_FASTBIN);
	ck_assert_uint_eq(e.chunk_size, 0x70);
	parsed_release(&p);
	e = expect_of(&p, "", "unsorted bytes == 0x31980");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_FREE_BYTES);
	ck_assert_int_eq(e.place, SIM_PLACE_UNSORTED);
	parsed_release(&p);
	static const char *const words[] = {"smallbin", "largebins", "bins", "free", "inuse", "mmap", "fastbins"};
	static const int places[] = {SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN, SCRIPT_PLACE_BINS, SCRIPT_PLACE_FREE,
	                             SIM_PLACE_INUSE,    SIM_PLACE_MMAP,     SIM_PLACE_FASTBIN};
	for (int i = 0; i < 7; i++) {
		char body[40];
		snprintf(body, sizeof body, "%s count == 0", words[i]);
		e = expect_of(&p, "", body);
		ck_assert_int_eq(e.place, places[i]);
		parsed_release(&p);
	}
}
END_TEST

START_TEST(expect_pin_and_abort)
{
	parsed p;
	script_expect e = expect_of(&p, "b = malloc 1\n", "top pinned by b");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_PIN);
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	ck_assert_uint_eq(e.slot, 0);
	parsed_release(&p);
	e = expect_of(&p, "", "top not pinned");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_NE);
	ck_assert_uint_eq(e.slot, SIM_NO_SLOT);
	parsed_release(&p);
	e = expect_of(&p, "", "top pinned");
	ck_assert_int_eq(e.cmp, SCRIPT_CMP_EQ);
	parsed_release(&p);
	e = expect_of(&p, "a = malloc 1\nfree a\nfree a\n", "abort \"free(): double free detected in tcache 2\"");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_ABORT);
	ck_assert_str_eq(e.text, "free(): double free detected in tcache 2");
	ck_assert_uint_eq(e.at_step, 3);
	parsed_release(&p);
	e = expect_of(&p, "", "abort");
	ck_assert_ptr_null(e.text);
	parsed_release(&p);
	e = expect_of(&p, "", "no abort");
	ck_assert_int_eq(e.kind, SCRIPT_EXPECT_NO_ABORT);
	parsed_release(&p);
}
END_TEST

START_TEST(empty_and_comment_only_files)
{
	parsed p;
	parse_text(&p, "");
	ck_assert(p.ok);
	ck_assert_str_eq(p.diags, "0:0: warning: the scenario has no operations\n");
	parsed_release(&p);
	parse_text(&p, "# only a comment\ntitle \"intro\"\n");
	ck_assert(p.ok);
	ck_assert_uint_eq(diag_count(&p, DIAG_WARNING), 1);
	parsed_release(&p);
}
END_TEST

START_TEST(crlf_file)
{
	parsed p;
	parse_text(&p, "title en \"t\"\r\na = malloc 1\r\nfree a\r\nexpect brk == 0x21000\r\n");
	ck_assert_msg(p.ok, "%s", p.diags);
	ck_assert_uint_eq(p.s.op_count, 2);
	ck_assert_str_eq(p.s.title, "t");
	ck_assert_str_eq(p.s.expects[0].source_text, "brk == 0x21000");
	parsed_release(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *ops = tcase_create("operations");
	tcase_add_test(ops, malloc_and_free);
	tcase_add_test(ops, size_arithmetic);
	tcase_add_test(ops, c_call_syntax);
	tcase_add_test(ops, calloc_realloc_memalign);
	tcase_add_test(ops, valloc_and_pvalloc);
	tcase_add_test(ops, trim_and_mallopt);
	tcase_add_test(ops, program_sbrk);
	tcase_add_test(ops, free_many_names_at_once);
	tcase_add_test(ops, semicolons_separate_statements);
	tcase_add_test(ops, slots_are_dense_and_named);
	tcase_add_test(ops, unindexed_slots_are_found_and_interned_once);
	tcase_add_test(ops, unnamed_slots_take_no_entry_and_late_names_are_found);
	tcase_add_test(ops, op_positions);
	suite_add_tcase(s, ops);
	TCase *many = tcase_create("ranges and repeat");
	tcase_set_timeout(many, 60); /* a zero-times block with 1M ops inside, under ASan on a busy machine */
	tcase_add_test(many, ranges_expand_to_indexed_names);
	tcase_add_test(many, indexed_and_plain_names_are_distinct);
	tcase_add_test(many, repeat_blocks);
	tcase_add_test(many, repeat_zero_times_a_huge_block);
	tcase_add_test(many, repeat_keeps_source_lines);
	suite_add_tcase(s, many);
	TCase *set = tcase_create("settings");
	tcase_add_test(set, defaults_without_settings);
	tcase_add_test(set, every_setting);
	tcase_add_test(set, cpus_setting);
	tcase_add_test(set, profile_and_touch);
	suite_add_tcase(s, set);
	TCase *text = tcase_create("titles captions marks");
	tcase_add_test(text, titles_in_several_languages);
	tcase_add_test(text, captions_attach_to_the_step);
	tcase_add_test(text, caption_escapes_and_empty);
	tcase_add_test(text, marks_and_pauses);
	tcase_add_test(text, captions_for_some_releases);
	suite_add_tcase(s, text);
	TCase *ex = tcase_create("expectations");
	tcase_add_test(ex, expect_brk);
	tcase_add_test(ex, expect_brk_changes);
	tcase_add_test(ex, expect_previous_command_spans_ranges_and_blocks);
	tcase_add_test(ex, expect_events);
	tcase_add_test(ex, expect_names);
	tcase_add_test(ex, expect_name_that_looks_like_a_keyword);
	tcase_add_test(ex, expect_quantities);
	tcase_add_test(ex, expect_counts_and_bytes);
	tcase_add_test(ex, expect_pin_and_abort);
	suite_add_tcase(s, ex);
	TCase *files = tcase_create("files");
	tcase_add_test(files, empty_and_comment_only_files);
	tcase_add_test(files, crlf_file);
	suite_add_tcase(s, files);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
