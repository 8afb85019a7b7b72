/* test-size.c — size literals (lang/size.h) and the suggestion helpers
 * (lang/suggest.h) that every message uses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lang/size.h"
#include "lang/suggest.h"

static size_error parse(const char *s, uint64_t *v, size_t *at)
{
	return size_parse(s, strlen(s), v, at);
}

static uint64_t value_of(const char *s)
{
	uint64_t v = 0;
	size_t at;
	ck_assert_msg(parse(s, &v, &at) == SIZE_OK, "'%s' should parse", s);
	return v;
}

START_TEST(decimal_and_hex)
{
	ck_assert_uint_eq(value_of("0"), 0);
	ck_assert_uint_eq(value_of("100"), 100);
	ck_assert_uint_eq(value_of("007"), 7); /* leading zeros are decimal, not octal */
	ck_assert_uint_eq(value_of("0x21000"), 0x21000);
	ck_assert_uint_eq(value_of("0X2A0"), 0x2a0);
	ck_assert_uint_eq(value_of("1_000_000"), 1000000);
	ck_assert_uint_eq(value_of("0xffff_ffff"), 0xffffffffu);
	ck_assert_uint_eq(value_of("18446744073709551615"), UINT64_MAX);
	ck_assert_uint_eq(value_of("0xffffffffffffffff"), UINT64_MAX);
}
END_TEST

START_TEST(suffixes_are_powers_of_1024)
{
	ck_assert_uint_eq(value_of("64K"), 65536);
	ck_assert_uint_eq(value_of("64k"), 65536);
	ck_assert_uint_eq(value_of("64KB"), 65536);
	ck_assert_uint_eq(value_of("64KiB"), 65536);
	ck_assert_uint_eq(value_of("128K"), 131072);
	ck_assert_uint_eq(value_of("1M"), 1048576);
	ck_assert_uint_eq(value_of("2MiB"), 2097152);
	ck_assert_uint_eq(value_of("1G"), 1073741824);
	ck_assert_uint_eq(value_of("100B"), 100);
	ck_assert_uint_eq(value_of("0x10K"), 16384);
	ck_assert_uint_eq(value_of("17179869183G"), 17179869183ull << 30);
}
END_TEST

START_TEST(fractions_must_be_whole_bytes)
{
	uint64_t v;
	size_t at;
	ck_assert_uint_eq(value_of("1.5K"), 1536);
	ck_assert_uint_eq(value_of("0.5M"), 524288);
	ck_assert_uint_eq(value_of("2.0"), 2);
	ck_assert_uint_eq(value_of("0.25K"), 256);
	ck_assert_int_eq(parse("1.3", &v, &at), SIZE_FRACTION);
	ck_assert_int_eq(parse("0.1K", &v, &at), SIZE_FRACTION);
	ck_assert_int_eq(parse("1.0000000000000000001K", &v, &at), SIZE_FRACTION);
}
END_TEST

START_TEST(errors_point_at_the_culprit)
{
	uint64_t v;
	size_t at;
	ck_assert_int_eq(parse("64X", &v, &at), SIZE_BAD_SUFFIX);
	ck_assert_uint_eq(at, 2);
	ck_assert_int_eq(parse("12kb", &v, &at), SIZE_BAD_SUFFIX); /* only K/k + B, kB, KB, KiB */
	ck_assert_uint_eq(at, 2);
	ck_assert_int_eq(parse("1e6", &v, &at), SIZE_BAD_SUFFIX);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(parse("0x", &v, &at), SIZE_BAD_DIGIT);
	ck_assert_uint_eq(at, 2);
	ck_assert_int_eq(parse("0xg", &v, &at), SIZE_BAD_DIGIT);
	ck_assert_int_eq(parse("", &v, &at), SIZE_EMPTY);
	ck_assert_int_eq(parse("K", &v, &at), SIZE_EMPTY);
	ck_assert_int_eq(parse("18446744073709551616", &v, &at), SIZE_OVERFLOW);
	ck_assert_int_eq(parse("0x10000000000000000", &v, &at), SIZE_OVERFLOW);
	ck_assert_int_eq(parse("17179869184G", &v, &at), SIZE_OVERFLOW);
	ck_assert_int_eq(parse("17179869184.5G", &v, &at), SIZE_OVERFLOW);
	ck_assert_str_eq(size_error_text(SIZE_BAD_SUFFIX), "unknown size suffix");
}
END_TEST

START_TEST(format_round_trips)
{
	char buf[32];
	ck_assert_str_eq(size_format(65536, buf, sizeof buf), "64K");
	ck_assert_str_eq(size_format(1 << 20, buf, sizeof buf), "1M");
	ck_assert_str_eq(size_format(3ull << 30, buf, sizeof buf), "3G");
	ck_assert_str_eq(size_format(0x2a0, buf, sizeof buf), "0x2a0");
	ck_assert_str_eq(size_format(7, buf, sizeof buf), "7");
	ck_assert_str_eq(size_format(0, buf, sizeof buf), "0");
	/* Every formatted value parses back to itself. */
	static const uint64_t values[] = {0, 1, 9, 10, 100, 1024, 4096, 0x21000, 131072, 1u << 20, 0x12345,
	                                  UINT64_MAX};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		ck_assert_uint_eq(value_of(size_format(values[i], buf, sizeof buf)), values[i]);
}
END_TEST

START_TEST(edit_distance)
{
	ck_assert_uint_eq(suggest_distance("malloc", 6, "malloc", 6, 3), 0);
	ck_assert_uint_eq(suggest_distance("Malloc", 6, "malloc", 6, 3), 0);   /* case-insensitive */
	ck_assert_uint_eq(suggest_distance("malocc", 6, "malloc", 6, 3), 2);
	ck_assert_uint_eq(suggest_distance("mlaloc", 6, "malloc", 6, 3), 1);   /* a swap costs one */
	ck_assert_uint_eq(suggest_distance("fre", 3, "free", 4, 3), 1);
	ck_assert_uint_eq(suggest_distance("abc", 3, "xyzuvw", 6, 2), 3);      /* capped at cap + 1 */
}
END_TEST

START_TEST(closest_candidate)
{
	static const char *const words[] = {"malloc", "calloc", "realloc", "free", "mark", NULL};
	ck_assert_str_eq(suggest_closest("malocc", 6, words), "malloc");
	ck_assert_str_eq(suggest_closest("fre", 3, words), "free");
	ck_assert_str_eq(suggest_closest("FREE", 4, words), "free");
	ck_assert_str_eq(suggest_closest("relloc", 6, words), "realloc");
	ck_assert_ptr_null(suggest_closest("banana", 6, words));
	ck_assert_ptr_null(suggest_closest("x", 1, words));
	char buf[64];
	ck_assert_str_eq(suggest_list(words, buf, sizeof buf), "malloc, calloc, realloc, free, mark");
	char small[12];
	ck_assert_str_eq(suggest_list(words, small, sizeof small), "malloc"); /* never a cut word */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("size");
	TCase *tc = tcase_create("size");
	tcase_add_test(tc, decimal_and_hex);
	tcase_add_test(tc, suffixes_are_powers_of_1024);
	tcase_add_test(tc, fractions_must_be_whole_bytes);
	tcase_add_test(tc, errors_point_at_the_culprit);
	tcase_add_test(tc, format_round_trips);
	suite_add_tcase(s, tc);
	TCase *ts = tcase_create("suggest");
	tcase_add_test(ts, edit_distance);
	tcase_add_test(ts, closest_candidate);
	suite_add_tcase(s, ts);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
