/* test-limits.c — every trace importer (and the .ops reader) refuses a
 * line longer than INPUT_MAX_LINE with the same positioned error, leaves
 * that line out, and goes on with the next one; a line exactly at the
 * limit is read as usual. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/input_limits.h"

/* prefix, then `fill` bytes of 'x' on a line of their own, then suffix. */
static char *with_long_line(const char *prefix, size_t fill, const char *suffix, size_t *len)
{
	size_t a = strlen(prefix), b = strlen(suffix);
	char *text = malloc(a + fill + 1 + b + 1);
	ck_assert_ptr_nonnull(text);
	memcpy(text, prefix, a);
	memset(text + a, 'x', fill);
	text[a + fill] = '\n';
	memcpy(text + a + fill + 1, suffix, b + 1);
	*len = a + fill + 1 + b;
	return text;
}

static const struct {
	trace_format format;
	const char *prefix, *suffix;
	size_t ops_after; /* ops the suffix makes */
} cases[] = {
	{TRACE_FORMAT_REP_2016, "1 1 1 1\na 0 10\n", "f 0\n", 1},
	{TRACE_FORMAT_MTRACE, "= Start\n@ ./a:[0x1] + 0x561e6e36e2a0 0x18\n", "@ ./a:[0x2] - 0x561e6e36e2a0\n", 1},
	{TRACE_FORMAT_LTRACE, "malloc(24) = 0x55a71ab932a0\n", "free(0x55a71ab932a0) = <void>\n", 1},
	{TRACE_FORMAT_RECORDING, "# brksim-recording 1\n# brk0 5573e4b07000\nm 3e8 +2a0 21000\n", "f +2a0 21000\n", 1},
};

START_TEST(a_line_too_long_is_refused_and_skipped)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len;
		char *text = with_long_line(cases[i].prefix, INPUT_MAX_LINE + 1, cases[i].suffix, &len);
		imported im;
		import_bytes(&im, cases[i].format, text, len);
		ck_assert_msg(!im.ok, "%s", trace_format_name(cases[i].format));
		uint32_t line = 1;
		for (const char *p = cases[i].prefix; *p; p++)
			line += *p == '\n';
		char want[128];
		snprintf(want, sizeof want, "%u:65537: error: line is longer than 65536 bytes", line);
		ck_assert_msg(has_diag(&im, want), "%s: expected %s in\n%s", trace_format_name(cases[i].format), want,
		              im.diags);
		ck_assert_msg(im.s.op_count == 1 + cases[i].ops_after, "%s: %zu ops\n%s", trace_format_name(cases[i].format),
		              im.s.op_count, im.diags);
		imported_release(&im);
		free(text);
	}
}
END_TEST

START_TEST(a_line_at_the_limit_is_read)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len;
		/* a comment or an unknown line of exactly INPUT_MAX_LINE bytes:
		 * whatever the importer says about it, it is not "too long" */
		char *text = with_long_line(cases[i].prefix, INPUT_MAX_LINE, cases[i].suffix, &len);
		imported im;
		import_bytes(&im, cases[i].format, text, len);
		ck_assert_msg(strstr(im.diags, "longer than") == NULL, "%s:\n%s", trace_format_name(cases[i].format),
		              im.diags);
		imported_release(&im);
		free(text);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("line length");
	tcase_add_test(tc, a_line_too_long_is_refused_and_skipped);
	tcase_add_test(tc, a_line_at_the_limit_is_read);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
