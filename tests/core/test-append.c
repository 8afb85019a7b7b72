/* test-append.c — sim/append.c writes the same bytes as snprintf for
 * every conversion it takes, truncates where snprintf truncates and
 * counts what snprintf counts (glibc's snprintf is the reference here:
 * the explanations were written with it). */
#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/append.h"

/* The numbers where digits roll over, and the ends of each type. */
static const unsigned long long edges[] = {
	0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 4095, 4096, 65535, 65536, 1000000, 0x7fffffffull, 0x80000000ull,
	0xffffffffull, 0x100000000ull, 9999999999ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ULLONG_MAX,
};
#define EDGES (sizeof edges / sizeof edges[0])

START_TEST(numbers_match_snprintf)
{
	for (size_t i = 0; i < EDGES; i++) {
		unsigned long long v = edges[i];
		char want[256], got[256];
		int n = snprintf(want, sizeof want, "%llu|%llx|%lld|%u|%x|%d|%lu|%zu|%zx|%ld", v, v, (long long)v,
				 (unsigned)v, (unsigned)v, (int)v, (unsigned long)v, (size_t)v, (size_t)v, (long)v);
		size_t m = sim_append_snprintf(got, sizeof got, "%llu|%llx|%lld|%u|%x|%d|%lu|%zu|%zx|%ld", v, v,
					       (long long)v, (unsigned)v, (unsigned)v, (int)v, (unsigned long)v, (size_t)v,
					       (size_t)v, (long)v);
		ck_assert_str_eq(got, want);
		ck_assert_uint_eq(m, (size_t)n);
	}
}
END_TEST

START_TEST(strings_chars_and_percent_match_snprintf)
{
	const char *words[] = {"", "a", "top is pinned by ", "\u2265 64 KiB", "合并后的块"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		char want[256], got[256];
		int n = snprintf(want, sizeof want, "<%s>%c%%%s", words[i], 'x', words[i]);
		size_t m = sim_append_snprintf(got, sizeof got, "<%s>%c%%%s", words[i], 'x', words[i]);
		ck_assert_str_eq(got, want);
		ck_assert_uint_eq(m, (size_t)n);
	}
}
END_TEST

/* Every buffer size from 0 to past the text: the same prefix, the same
 * NUL, the same count, and nothing written past size. */
START_TEST(truncation_matches_snprintf)
{
#define FMT "chunk +0x%llx (0x%llx) into %s, now %llu there; `%s`"
	for (size_t size = 0; size < 80; size++) {
		char want[96], got[96];
		memset(want, '#', sizeof want);
		memset(got, '#', sizeof got);
		int n = snprintf(size ? want : NULL, size, FMT, 0x2a0ull, 0x50ull, "tcache[3]", 7ull, "\u2265x");
		size_t m = sim_append_snprintf(size ? got : NULL, size, FMT, 0x2a0ull, 0x50ull, "tcache[3]", 7ull,
					       "\u2265x");
		ck_assert_uint_eq(m, (size_t)n);
		ck_assert_mem_eq(got, want, sizeof got);
	}
#undef FMT
}
END_TEST

/* Appending piece by piece is the same as one snprintf of the whole. */
START_TEST(pieces_add_up)
{
	for (size_t size = 1; size < 40; size++) {
		char want[64], got[64];
		int n = snprintf(want, size, "A%u.%u+0x%llx (%llu KiB)", 3u, 1u, 0x21000ull, 132ull);
		sim_append a;
		sim_append_init(&a, got, size);
		sim_append_str(&a, "A");
		sim_append_dec(&a, 3);
		sim_append_mem(&a, ".1+0x", 5);
		sim_append_hex(&a, 0x21000);
		sim_append_format(&a, " (%llu KiB)", 132ull);
		ck_assert_uint_eq(a.len, (size_t)n);
		ck_assert_str_eq(got, want);
	}
}
END_TEST

START_TEST(negative_numbers)
{
	const long long values[] = {-1, -9, -10, -4096, LLONG_MIN, INT_MIN};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char want[64], got[64];
		snprintf(want, sizeof want, "%lld %d", values[i], (int)values[i]);
		sim_append_snprintf(got, sizeof got, "%lld %d", values[i], (int)values[i]);
		ck_assert_str_eq(got, want);
		sim_append a;
		sim_append_init(&a, got, sizeof got);
		sim_append_int(&a, values[i]);
		snprintf(want, sizeof want, "%lld", values[i]);
		ck_assert_str_eq(got, want);
	}
}
END_TEST

/* Every length of number, decimal and hex: each power of 10 and of 16
 * and its neighbours, and a spread of others (the digits are made eight
 * at a time, SIM_APPEND_SWAR, when the buffer has room for a word, and
 * one by one near its end). */
static unsigned long long next_value(unsigned long long *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> (*state & 63); /* every length, not only 19-digit ones */
}

static void assert_number(unsigned long long v)
{
	char want[64], got[64];
	int n = snprintf(want, sizeof want, "%llu %llx", v, v);
	sim_append a;
	sim_append_init(&a, got, sizeof got);
	sim_append_dec(&a, v);
	sim_append_mem(&a, " ", 1);
	sim_append_hex(&a, v);
	ck_assert_uint_eq(a.len, (size_t)n);
	ck_assert_str_eq(got, want);
	/* and cut at every size: the same prefix and count as snprintf */
	for (size_t size = 1; size <= (size_t)n + 1; size++) {
		char cut[64];
		memset(cut, '#', sizeof cut);
		sim_append_init(&a, cut, size);
		sim_append_dec(&a, v);
		sim_append_mem(&a, " ", 1);
		sim_append_hex(&a, v);
		ck_assert_uint_eq(a.len, (size_t)n);
		ck_assert_mem_eq(cut, want, size - 1);
		ck_assert_int_eq(cut[size - 1], '\0');
		ck_assert_int_eq(cut[size], '#');
	}
}

START_TEST(every_length_of_number)
{
	for (unsigned long long p = 1; p <= ULLONG_MAX / 10; p *= 10) {
		assert_number(p - 1);
		assert_number(p);
		assert_number(p + 1);
	}
	for (int bits = 0; bits < 64; bits += 4) {
		unsigned long long p = 1ull << bits;
		assert_number(p - 1);
		assert_number(p);
		assert_number(p + 1);
	}
	assert_number(ULLONG_MAX);
	unsigned long long state = 42;
	for (int i = 0; i < 3000; i++)
		assert_number(next_value(&state));
}
END_TEST

/* The cursor writers (sim_append_put_dec, sim_append_put_hex) write
 * printf's digits at `to` and return how many, writing no further than
 * their promise (24 bytes, 16): at every power of 10 and 16 and its
 * neighbours, the ends of the type, and a spread of others. One writer
 * at got + 8: nothing written before it nor past its `most` bytes. */
static void assert_put_one(size_t (*put)(char *, uint64_t), bool hex, size_t most, unsigned long long v)
{
	char want[32], got[48];
	int n = hex ? snprintf(want, sizeof want, "%llx", v) : snprintf(want, sizeof want, "%llu", v);
	memset(got, '#', sizeof got);
	ck_assert_uint_eq(put(got + 8, v), (size_t)n);
	ck_assert_mem_eq(got + 8, want, (size_t)n);
	for (size_t i = 0; i < 8; i++)
		ck_assert_int_eq(got[i], '#');
	for (size_t i = 8 + most; i < sizeof got; i++)
		ck_assert_int_eq(got[i], '#');
}

static void assert_put(unsigned long long v)
{
	assert_put_one(sim_append_put_dec, false, 24, v);
	assert_put_one(sim_append_put_hex, true, 16, v);
}

START_TEST(cursor_writers_match_snprintf)
{
	for (unsigned long long p = 1; p <= ULLONG_MAX / 10; p *= 10) {
		assert_put(p - 1);
		assert_put(p);
		assert_put(p + 1);
	}
	for (int bits = 0; bits < 64; bits++) {
		unsigned long long p = 1ull << bits;
		assert_put(p - 1);
		assert_put(p);
		assert_put(p + 1);
	}
	for (size_t i = 0; i < EDGES; i++)
		assert_put(edges[i]);
	unsigned long long state = 7;
	for (int i = 0; i < 20000; i++)
		assert_put(next_value(&state));
}
END_TEST

#ifdef SIM_APPEND_SWAR
/* sim_append_digits8's eight digits (leading zeros included) and
 * sim_append_put_digits8's (none) for a spread of every value below 10^8
 * (a stride prime to 10, so every digit takes every value at every
 * place), each digit's roll-over, and each number of 1 to 8 digits at
 * both ends. */
static void assert_digits8(uint32_t v)
{
	char want[16], got[16];
	snprintf(want, sizeof want, "%08u", (unsigned)v);
	uint64_t d = sim_append_digits8(v);
	memcpy(got, &d, 8);
	ck_assert_mem_eq(got, want, 8);
	if (v == 0)
		return;
	int n = snprintf(want, sizeof want, "%u", (unsigned)v);
	memset(got, '#', sizeof got);
	ck_assert_uint_eq(sim_append_put_digits8(got, v), (unsigned)n);
	ck_assert_mem_eq(got, want, (size_t)n);
	ck_assert_int_eq(got[8], '#');
}

START_TEST(eight_digits_at_once)
{
	for (uint32_t v = 0; v < 100000000; v += 997)
		assert_digits8(v);
	for (uint32_t p = 1; p <= 10000000; p *= 10)
		for (uint32_t d = 1; d <= 9; d++) {
			assert_digits8(d * p - 1);
			assert_digits8(d * p);
			assert_digits8(d * p + 1);
		}
	assert_digits8(99999999);
	assert_digits8(99990000);
	assert_digits8(10000);
	assert_digits8(9999);
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("append");
	TCase *tc = tcase_create("snprintf");
	tcase_set_timeout(tc, 60); /* every_length_of_number under the sanitizers */
	tcase_add_test(tc, numbers_match_snprintf);
	tcase_add_test(tc, strings_chars_and_percent_match_snprintf);
	tcase_add_test(tc, truncation_matches_snprintf);
	tcase_add_test(tc, pieces_add_up);
	tcase_add_test(tc, negative_numbers);
	tcase_add_test(tc, every_length_of_number);
	tcase_add_test(tc, cursor_writers_match_snprintf);
#ifdef SIM_APPEND_SWAR
	tcase_add_test(tc, eight_digits_at_once);
#endif
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
