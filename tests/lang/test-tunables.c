/* test-tunables.c — GLIBC_TUNABLES strings (lang/tunables.h): every
 * modelled tunable, glibc's number syntax, the ignored ones, and the exact
 * errors with the column inside the string. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/tunables.h"

typedef struct applied {
	sim_config c;
	diag_list d;
	bool ok;
	char diags[2048];
} applied;

static void apply(applied *a, const char *text)
{
	a->c = sim_config_defaults(SIM_GLIBC_2_36);
	diag_list_init(&a->d);
	a->ok = tunables_parse(text, strlen(text), &a->c, &a->d);
	size_t used = 0;
	a->diags[0] = '\0';
	for (size_t i = 0; i < a->d.count; i++)
		used += (size_t)snprintf(a->diags + used, sizeof a->diags - used, "%u:%u: %s: %s\n",
		                         (unsigned)a->d.items[i].line, (unsigned)a->d.items[i].col,
		                         diag_severity_name(a->d.items[i].severity), a->d.items[i].message);
}

#define EXPECTED_NAMES                                                                                                 \
	"glibc.malloc.tcache_count, glibc.malloc.tcache_max, glibc.malloc.tcache_unsorted_limit, "                     \
	"glibc.malloc.trim_threshold, glibc.malloc.top_pad, glibc.malloc.mmap_threshold, glibc.malloc.mmap_max, "      \
	"glibc.malloc.mxfast, glibc.malloc.arena_max, glibc.malloc.arena_test"

START_TEST(the_usual_string)
{
	applied a;
	apply(&a, "glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536");
	ck_assert(a.ok);
	ck_assert_str_eq(a.diags, "");
	ck_assert_uint_eq(a.c.value[SIM_SET_TCACHE_COUNT], 0);
	ck_assert_uint_eq(a.c.value[SIM_SET_TRIM_THRESHOLD], 65536);
	ck_assert_uint_eq(a.c.set_mask, (1u << SIM_SET_TCACHE_COUNT) | (1u << SIM_SET_TRIM_THRESHOLD));
	diag_list_release(&a.d);
}
END_TEST

START_TEST(every_modelled_tunable)
{
	applied a;
	apply(&a, "glibc.malloc.tcache_count=3:glibc.malloc.tcache_max=100:glibc.malloc.tcache_unsorted_limit=2:"
	          "glibc.malloc.trim_threshold=1:glibc.malloc.top_pad=0:glibc.malloc.mmap_threshold=4096:"
	          "glibc.malloc.mmap_max=0:glibc.malloc.mxfast=0:glibc.malloc.arena_max=2:glibc.malloc.arena_test=3");
	ck_assert_msg(a.ok, "%s", a.diags);
	ck_assert_uint_eq(a.c.set_mask, (1u << SIM_SETTING_COUNT) - 1);
	ck_assert_uint_eq(a.c.value[SIM_SET_ARENA_MAX], 2);
	ck_assert_uint_eq(a.c.value[SIM_SET_ARENA_TEST], 3);
	ck_assert_uint_eq(a.c.value[SIM_SET_TCACHE_MAX], 100);
	ck_assert_uint_eq(a.c.value[SIM_SET_MMAP_THRESHOLD], 4096);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(numbers_as_glibc_reads_them)
{
	applied a;
	apply(&a, "glibc.malloc.top_pad=0x1000:glibc.malloc.trim_threshold=010:glibc.malloc.mmap_max=0");
	ck_assert(a.ok);
	ck_assert_uint_eq(a.c.value[SIM_SET_TOP_PAD], 4096);
	ck_assert_uint_eq(a.c.value[SIM_SET_TRIM_THRESHOLD], 8); /* leading 0: octal, as in glibc */
	ck_assert_uint_eq(a.c.value[SIM_SET_MMAP_MAX], 0);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(prefix_empty_items_and_repeats)
{
	applied a;
	apply(&a, "GLIBC_TUNABLES=glibc.malloc.top_pad=1::glibc.malloc.top_pad=2:");
	ck_assert(a.ok);
	ck_assert_uint_eq(a.c.value[SIM_SET_TOP_PAD], 2); /* the last one wins */
	diag_list_release(&a.d);
	apply(&a, "");
	ck_assert(a.ok);
	ck_assert_uint_eq(a.c.set_mask, 0);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(overrides_file_settings)
{
	applied a;
	a.c = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&a.c, SIM_SET_TOP_PAD, 0));
	ck_assert(sim_config_set(&a.c, SIM_SET_MXFAST, 64));
	diag_list_init(&a.d);
	const char *t = "glibc.malloc.top_pad=4096";
	ck_assert(tunables_parse(t, strlen(t), &a.c, &a.d));
	ck_assert_uint_eq(a.c.value[SIM_SET_TOP_PAD], 4096);
	ck_assert_uint_eq(a.c.value[SIM_SET_MXFAST], 64);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(ignored_tunables_warn)
{
	applied a;
	apply(&a, "glibc.malloc.perturb=85:glibc.cpu.hwcaps=-AVX2:glibc.malloc.hugetlb=1:glibc.malloc.top_pad=0");
	ck_assert(a.ok);
	ck_assert_str_eq(a.diags, "1:1: warning: tunable 'glibc.malloc.perturb' is not modelled by brksim; ignored\n"
	                          "1:25: warning: 'glibc.cpu.hwcaps' is not a malloc tunable; ignored\n"
	                          "1:48: warning: tunable 'glibc.malloc.hugetlb' is not modelled by brksim; ignored\n");
	ck_assert_uint_eq(a.c.value[SIM_SET_TOP_PAD], 0);
	diag_list_release(&a.d);
}
END_TEST

typedef struct tunable_error {
	const char *input;
	const char *diags;
} tunable_error;

static const tunable_error errors[] = {
	{"glibc.malloc.tcache_count=0:glibc.malloc.foo=1",
	 "1:29: error: unknown tunable 'glibc.malloc.foo'; expected one of: " EXPECTED_NAMES "\n"},
	{"glibc.malloc.trim_treshold=1",
	 "1:1: error: unknown tunable 'glibc.malloc.trim_treshold'; did you mean 'glibc.malloc.trim_threshold'? expected "
	 "one of: " EXPECTED_NAMES "\n"},
	{"tcache_count=0",
	 "1:1: error: unknown tunable 'tcache_count'; did you mean 'glibc.malloc.tcache_count'? expected one of: "
	 EXPECTED_NAMES "\n"},
	/* glibc's environment variable, mallopt's name, a short word */
	{"MALLOC_ARENA_MAX=2",
	 "1:1: error: unknown tunable 'MALLOC_ARENA_MAX'; did you mean 'glibc.malloc.arena_max'? expected one of: "
	 EXPECTED_NAMES "\n"},
	{"M_MMAP_THRESHOLD=1",
	 "1:1: error: unknown tunable 'M_MMAP_THRESHOLD'; did you mean 'glibc.malloc.mmap_threshold'? expected one of: "
	 EXPECTED_NAMES "\n"},
	{"glibc.malloc.trim=1",
	 "1:1: error: unknown tunable 'glibc.malloc.trim'; did you mean 'glibc.malloc.trim_threshold'? expected one of: "
	 EXPECTED_NAMES "\n"},
	{"glibc.malloc.top_pad", "1:1: error: expected '=' after tunable name 'glibc.malloc.top_pad'\n"},
	{"=5", "1:1: error: expected a tunable name before '='\n"},
	{"glibc.malloc.top_pad=", "1:22: error: missing value for 'glibc.malloc.top_pad'\n"},
	{"glibc.malloc.trim_threshold=64K",
	 "1:29: error: invalid value '64K' for 'glibc.malloc.trim_threshold'; GLIBC_TUNABLES takes plain numbers "
	 "(decimal, or hex with 0x), e.g. 65536\n"},
	{"glibc.malloc.top_pad=-1",
	 "1:22: error: invalid value '-1' for 'glibc.malloc.top_pad'; GLIBC_TUNABLES takes plain numbers (decimal, or "
	 "hex with 0x), e.g. 65536\n"},
	{"glibc.malloc.top_pad=08",
	 "1:22: error: invalid value '08' for 'glibc.malloc.top_pad'; GLIBC_TUNABLES takes plain numbers (decimal, or "
	 "hex with 0x), e.g. 65536\n"},
	{"glibc.malloc.top_pad=99999999999999999999",
	 "1:22: error: value '99999999999999999999' for 'glibc.malloc.top_pad' is too large\n"},
	{"glibc.malloc.mxfast=161",
	 "1:21: error: value 161 is out of range for 'glibc.malloc.mxfast' in glibc-2.36 (glibc would ignore it)\n"},
	{"glibc.malloc.tcache_count=65536",
	 "1:27: error: value 65536 is out of range for 'glibc.malloc.tcache_count' in glibc-2.36 (glibc would ignore "
	 "it)\n"},
	{"glibc.malloc.top_pad=1\n", "1:23: error: unexpected byte 0x0a in the tunables string\n"},
	{"glibc.malloc.top_pad=x:glibc.malloc.bar=1:glibc.malloc.mxfast=7",
	 "1:22: error: invalid value 'x' for 'glibc.malloc.top_pad'; GLIBC_TUNABLES takes plain numbers (decimal, or "
	 "hex with 0x), e.g. 65536\n"
	 "1:24: error: unknown tunable 'glibc.malloc.bar'; expected one of: " EXPECTED_NAMES "\n"},
};

START_TEST(each_error)
{
	applied a;
	apply(&a, errors[_i].input);
	ck_assert(!a.ok);
	ck_assert_str_eq(a.diags, errors[_i].diags);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(errors_leave_valid_items_applied)
{
	applied a;
	apply(&a, "glibc.malloc.top_pad=x:glibc.malloc.bar=1:glibc.malloc.mxfast=7");
	ck_assert_uint_eq(a.c.value[SIM_SET_MXFAST], 7);
	ck_assert_uint_eq(a.c.set_mask, 1u << SIM_SET_MXFAST);
	diag_list_release(&a.d);
}
END_TEST

START_TEST(old_profile_has_no_tcache)
{
	applied a;
	a.c = sim_config_defaults(SIM_GLIBC_2_3_6);
	diag_list_init(&a.d);
	const char *t = "glibc.malloc.tcache_count=0";
	ck_assert(!tunables_parse(t, strlen(t), &a.c, &a.d));
	ck_assert_str_eq(a.d.items[0].message, "'glibc.malloc.tcache_count' does not exist in glibc-2.3.6, which has no tcache");
	diag_list_release(&a.d);
}
END_TEST

START_TEST(format_round_trips)
{
	applied a;
	apply(&a, "glibc.malloc.top_pad=0:glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=1048576");
	char buf[256];
	size_t n = tunables_format(&a.c, buf, sizeof buf);
	ck_assert_str_eq(buf, "glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0:glibc.malloc.mmap_threshold=1048576");
	ck_assert_uint_eq(n, strlen(buf));
	applied b;
	apply(&b, buf);
	ck_assert(b.ok);
	ck_assert_mem_eq(&a.c, &b.c, sizeof a.c);
	char small[10];
	ck_assert_uint_eq(tunables_format(&a.c, small, sizeof small), n); /* needed length, like snprintf */
	diag_list_release(&a.d);
	diag_list_release(&b.d);
	sim_config none = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert_uint_eq(tunables_format(&none, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tunables");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, the_usual_string);
	tcase_add_test(tc, every_modelled_tunable);
	tcase_add_test(tc, numbers_as_glibc_reads_them);
	tcase_add_test(tc, prefix_empty_items_and_repeats);
	tcase_add_test(tc, overrides_file_settings);
	tcase_add_test(tc, ignored_tunables_warn);
	tcase_add_test(tc, format_round_trips);
	suite_add_tcase(s, tc);
	TCase *te = tcase_create("errors");
	tcase_add_loop_test(te, each_error, 0, (int)(sizeof errors / sizeof errors[0]));
	tcase_add_test(te, errors_leave_valid_items_applied);
	tcase_add_test(te, old_profile_has_no_tcache);
	suite_add_tcase(s, te);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
