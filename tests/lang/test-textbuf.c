/* test-textbuf.c — the growable string (lang/textbuf.h) that diagnostics,
 * .ops writing and verification reports are built with. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/textbuf.h"

START_TEST(empty_buffer_gives_an_empty_string)
{
	textbuf b = {0};
	size_t len = 99;
	char *text = textbuf_take(&b, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "");
	ck_assert_uint_eq(len, 0);
	free(text);
}
END_TEST

START_TEST(appends_in_order)
{
	textbuf b = {0};
	textbuf_puts(&b, "file");
	textbuf_printf(&b, ":%u:%u: %s", 3u, 14u, "error");
	textbuf_put(&b, "\nxyz", 2);
	textbuf_repeat(&b, '~', 3);
	textbuf_repeat(&b, ' ', 0);
	textbuf_puts(&b, "");
	size_t len = 0;
	char *text = textbuf_take(&b, &len);
	ck_assert_str_eq(text, "file:3:14: error\nx~~~");
	ck_assert_uint_eq(len, strlen(text));
	free(text);
	/* take leaves the buffer empty and usable */
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	textbuf_puts(&b, "again");
	text = textbuf_take(&b, NULL);
	ck_assert_str_eq(text, "again");
	free(text);
}
END_TEST

/* Growth across many reallocations keeps every byte (a 1 MB text made of
 * numbered lines, checked line by line). */
START_TEST(grows_without_losing_text)
{
	textbuf b = {0};
	for (unsigned i = 0; i < 100000; i++)
		textbuf_printf(&b, "%06u\n", i);
	textbuf_repeat(&b, 'z', 70000);
	size_t len = 0;
	char *text = textbuf_take(&b, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, 100000u * 7 + 70000);
	ck_assert_uint_eq(strlen(text), len);
	for (unsigned i = 0; i < 100000; i += 997) {
		char want[8];
		snprintf(want, sizeof want, "%06u\n", i);
		ck_assert_int_eq(memcmp(text + (size_t)i * 7, want, 7), 0);
	}
	ck_assert_int_eq(text[len - 1], 'z');
	free(text);
}
END_TEST

/* After a failure nothing is appended and take returns NULL (a failure
 * is simulated by setting the flag the allocation path sets). */
START_TEST(failure_is_sticky)
{
	textbuf b = {0};
	textbuf_puts(&b, "kept until the failure");
	b.failed = true;
	textbuf_puts(&b, "dropped");
	textbuf_printf(&b, "%d", 42);
	textbuf_repeat(&b, 'x', 10);
	ck_assert_str_eq(b.data, "kept until the failure");
	size_t len = 123;
	ck_assert_ptr_null(textbuf_take(&b, &len));
	ck_assert_uint_eq(len, 123); /* untouched on failure */
	ck_assert_ptr_null(b.data);
	ck_assert(!b.failed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("textbuf");
	TCase *tc = tcase_create("textbuf");
	tcase_add_test(tc, empty_buffer_gives_an_empty_string);
	tcase_add_test(tc, appends_in_order);
	tcase_add_test(tc, grows_without_losing_text);
	tcase_add_test(tc, failure_is_sticky);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
