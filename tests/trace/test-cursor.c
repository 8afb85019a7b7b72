/* test-cursor.c — the importers' number readers (trace/import_util.h):
 * tcur_hex reads 8 bytes at a time where it can; it must read exactly what
 * a reader of one digit at a time reads, at every length, in every case,
 * before every kind of byte, near the end of the line and far from it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/import_util.h"

/* What tcur_hex promises, a digit at a time: the digits after an optional
 * "0x", how many, and whether the value overflows 64 bits. */
static tnum_status reference_hex(const char *p, const char *end, bool need_prefix, uint64_t *out, size_t *used)
{
	const char *q = p;
	if (need_prefix) {
		if (end - q < 3 || q[0] != '0' || (q[1] != 'x' && q[1] != 'X') || !strchr("0123456789abcdefABCDEF", q[2]) ||
		    q[2] == '\0')
			return TNUM_NONE;
		q += 2;
	}
	const char *digits = q;
	uint64_t v = 0;
	bool overflow = false;
	for (; q < end && *q != '\0' && strchr("0123456789abcdefABCDEF", *q); q++) {
		unsigned d = (unsigned)(*q <= '9' ? *q - '0' : (*q | 0x20) - 'a' + 10);
		if (v >> 60)
			overflow = true;
		v = v << 4 | d;
	}
	if (q == digits)
		return TNUM_NONE;
	*out = v;
	*used = (size_t)(q - p);
	return overflow ? TNUM_OVERFLOW : TNUM_OK;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

START_TEST(hex_reads_what_a_digit_at_a_time_reads)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	static const char after[] = " \t,)]\nx-gG\0";
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	char line[64];
	size_t checked = 0;
	for (int round = 0; round < 200000; round++) {
		uint64_t r = next_random(&state);
		bool prefix = r & 1;
		bool upper = (r >> 1) % 8 == 0; /* mostly lowercase, as glibc writes them */
		size_t count = (size_t)((r >> 4) % 21);  /* 0 to 20 digits */
		size_t tail = (size_t)((r >> 12) % 20); /* bytes after the number: near the end and far */
		size_t k = 0;
		if (prefix) {
			line[k++] = '0';
			line[k++] = (r >> 20) % 4 == 0 ? 'X' : 'x';
		}
		for (size_t i = 0; i < count; i++) {
			uint64_t d = next_random(&state);
			line[k++] = digits[upper ? d % 22 : d % 16];
		}
		for (size_t i = 0; i < tail; i++)
			line[k++] = after[next_random(&state) % (sizeof after - 1)];
		for (int need = 0; need < 2; need++) {
			tcur c = {line, line, line + k, 1};
			uint64_t got = 0, want = 0;
			size_t used = 0;
			tnum_status s = tcur_hex(&c, need, &got);
			tnum_status w = reference_hex(line, line + k, need, &want, &used);
			ck_assert_int_eq(s, w);
			if (w == TNUM_NONE) {
				ck_assert_ptr_eq(c.p, line);
				continue;
			}
			ck_assert_ptr_eq(c.p, line + used);
			if (w == TNUM_OK)
				ck_assert_uint_eq(got, want);
			checked++;
		}
	}
	ck_assert_uint_gt(checked, 100000);
}
END_TEST

START_TEST(hex_at_its_edges)
{
	uint64_t v;
	const char *text = "ffffffffffffffff  ";
	tcur c = {text, text, text + strlen(text), 1};
	ck_assert_int_eq(tcur_hex(&c, false, &v), TNUM_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_ptr_eq(c.p, text + 16);
	text = "1ffffffffffffffff                ";
	c = (tcur){text, text, text + strlen(text), 1};
	ck_assert_int_eq(tcur_hex(&c, false, &v), TNUM_OVERFLOW);
	ck_assert_ptr_eq(c.p, text + 17);
	/* leading zeros are no overflow */
	text = "000000000000000000123                ";
	c = (tcur){text, text, text + strlen(text), 1};
	ck_assert_int_eq(tcur_hex(&c, false, &v), TNUM_OK);
	ck_assert_uint_eq(v, 0x123);
	/* a 12-digit pointer, as mtrace writes it, with an uppercase digit */
	text = "0x5599f0C042a0 0x18                ";
	c = (tcur){text, text, text + strlen(text), 1};
	ck_assert_int_eq(tcur_hex(&c, true, &v), TNUM_OK);
	ck_assert_uint_eq(v, 0x5599f0c042a0ULL);
	ck_assert_ptr_eq(c.p, text + 14);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("hex");
	tcase_add_test(tc, hex_reads_what_a_digit_at_a_time_reads);
	tcase_add_test(tc, hex_at_its_edges);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
