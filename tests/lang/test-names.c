/* test-names.c — the names a reference stands for (parse_ref_name):
 * written without printf, they must be what "%.*s[%lld]" would write, at
 * every buffer size, cut where snprintf cuts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse_internal.h"
#include "lang/script.h"

/* parse_ref_name as it was written with snprintf. */
static size_t reference_name(const name_ref *r, int64_t index, int64_t q_index, char *buf, size_t size)
{
	int n = 0, m;
	if (r->qualified) {
		if (r->q_indexed)
			n = snprintf(buf, size, "%.*s[%lld].", (int)r->q_base_len, r->q_base, (long long)q_index);
		else
			n = snprintf(buf, size, "%.*s.", (int)r->q_base_len, r->q_base);
		if (n < 0 || (size_t)n >= size)
			return n < 0 ? 0 : size - 1;
	}
	if (r->indexed)
		m = snprintf(buf + n, size - (size_t)n, "%.*s[%lld]", (int)r->base_len, r->base, (long long)index);
	else
		m = snprintf(buf + n, size - (size_t)n, "%.*s", (int)r->base_len, r->base);
	return (size_t)n + (size_t)m >= size ? size - 1 : (size_t)n + (size_t)m;
}

START_TEST(names_as_snprintf_writes_them)
{
	static const char *const bases[] = {"p", "buf", "a_very_long_pointer_name_that_takes_room", "数据"};
	static const int64_t indexes[] = {0, 7, 10, 999, 123456789, 999999999};
	size_t checked = 0;
	for (size_t b = 0; b < 4; b++)
		for (int shape = 0; shape < 4; shape++)
			for (size_t k = 0; k < 6; k++)
				for (size_t size = 1; size <= 80; size++) {
					name_ref r;
					memset(&r, 0, sizeof r);
					r.base = bases[b];
					r.base_len = (uint32_t)strlen(bases[b]);
					r.indexed = shape & 1;
					r.lo = r.hi = indexes[k];
					r.step = 1;
					r.qualified = shape & 2;
					r.q_base = "worker";
					r.q_base_len = 6;
					r.q_indexed = b % 2;
					r.q_lo = r.q_hi = indexes[5 - k];
					r.q_step = 1;
					char got[96], want[96];
					memset(got, 'x', sizeof got);
					memset(want, 'y', sizeof want);
					size_t n = parse_ref_name(&r, 0, got, size);
					size_t w = reference_name(&r, indexes[k], indexes[5 - k], want, size);
					ck_assert_uint_eq(n, w);
					ck_assert_str_eq(got, want);
					checked++;
				}
	ck_assert_uint_eq(checked, 4 * 4 * 6 * 80);
}
END_TEST

START_TEST(a_range_names_each_of_its_names)
{
	name_ref r;
	memset(&r, 0, sizeof r);
	r.base = "p";
	r.base_len = 1;
	r.indexed = r.range = true;
	r.lo = 10;
	r.hi = 0;
	r.step = 5;
	char buf[32];
	ck_assert_uint_eq(parse_ref_count(&r), 3);
	parse_ref_name(&r, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "p[10]");
	parse_ref_name(&r, 2, buf, sizeof buf);
	ck_assert_str_eq(buf, "p[0]");
}
END_TEST

/* The name index: names of every length around the ones held in an
 * entry (up to 8 bytes) and the ones found by their address, many enough
 * to grow it several times, each found as its own slot; names never
 * interned, and prefixes of interned ones, are not found. */
START_TEST(interned_names_are_found_again)
{
	script s;
	script_init(&s);
	enum { COUNT = 50000 };
	char name[32];
	for (int i = 0; i < COUNT; i++) {
		int n = snprintf(name, sizeof name, "%.*s%d", i % 9, "abcdefgh", i);
		ck_assert_uint_eq(script_intern_slot(&s, name, (size_t)n), (sim_slot)i);
	}
	ck_assert_uint_eq(s.slot_count, COUNT);
	for (int i = 0; i < COUNT; i++) {
		int n = snprintf(name, sizeof name, "%.*s%d", i % 9, "abcdefgh", i);
		ck_assert_uint_eq(script_find_slot(&s, name, (size_t)n), (sim_slot)i);
		ck_assert_uint_eq(script_intern_slot(&s, name, (size_t)n), (sim_slot)i);
		ck_assert_str_eq(script_slot_name(&s, (sim_slot)i), name);
		/* the name cut short, and the name with one more byte */
		ck_assert_uint_eq(script_find_slot(&s, name, (size_t)n - 1) == (sim_slot)i, false);
		name[n] = 'z';
		ck_assert_uint_eq(script_find_slot(&s, name, (size_t)n + 1), SIM_NO_SLOT);
	}
	ck_assert_uint_eq(s.slot_count, COUNT);
	/* the index holds names of up to 8 bytes in an entry as NUL-padded
	 * bytes: a name with a NUL in it (no reader makes one) is never
	 * taken for the name before its NUL */
	ck_assert_uint_eq(script_find_slot(&s, "a1\0", 3), SIM_NO_SLOT);
	ck_assert_uint_eq(script_intern_slot(&s, "a1\0", 3), COUNT);
	ck_assert_uint_eq(script_find_slot(&s, "a1", 2), 1);
	script_release(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, names_as_snprintf_writes_them);
	tcase_add_test(tc, a_range_names_each_of_its_names);
	tcase_add_test(tc, interned_names_are_found_again);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
