/* test-docs.c — the language reference and the example scenarios cannot
 * rot: every ```heap block of docs/language.md and every scenario in
 * tests/lang/data/ parses without errors and passes its expectations on
 * the model; data/errors.heap renders exactly as data/errors.expected.
 * Arguments (from meson): the docs file, then the data directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/expect.h"
#include "tests/common/test_files.h"

static const char *docs_path;
static const char *data_dir;

static char *read_file(const char *path, size_t *len)
{
	char *buf = test_read_file(path, len);
	ck_assert_msg(buf != NULL, "cannot read %s", path);
	return buf;
}

/* Parses `text` (no errors allowed) and checks its expectations. */
static void assert_scenario_good(const char *what, const char *text, size_t len)
{
	parsed p;
	parse_bytes(&p, text, len);
	ck_assert_msg(p.ok, "%s does not parse:\n%s", what, p.diags);
	expect_report r;
	ck_assert(expect_check_script(&p.s, &p.s.config, &r));
	for (size_t i = 0; i < r.count; i++)
		ck_assert_msg(r.outcomes[i].passed, "%s line %u: %s", what,
		              (unsigned)p.s.expects[r.outcomes[i].expect_index].line, r.outcomes[i].message);
	ck_assert_msg(!r.aborted || r.abort_expected, "%s aborts unexpectedly at line %u: %s", what,
	              (unsigned)r.abort_line, r.abort_message);
	expect_report_release(&r);
	parsed_release(&p);
}

START_TEST(docs_examples_parse_and_pass)
{
	size_t len;
	char *doc = read_file(docs_path, &len);
	size_t blocks = 0;
	const char *at = doc;
	while ((at = strstr(at, "```heap\n")) != NULL) {
		const char *body = at + 8;
		const char *end = strstr(body, "```");
		ck_assert_ptr_nonnull(end);
		size_t line = 1;
		for (const char *c = doc; c < at; c++)
			line += *c == '\n';
		char what[64];
		snprintf(what, sizeof what, "docs example at line %zu", line);
		assert_scenario_good(what, body, (size_t)(end - body));
		blocks++;
		at = end + 3;
	}
	ck_assert_uint_ge(blocks, 7);
	free(doc);
}
END_TEST

START_TEST(docs_list_every_error_message_prefix)
{
	/* Spot checks that the message list is there and current. */
	size_t len;
	char *doc = read_file(docs_path, &len);
	static const char *const must[] = {
		"free of 'X' which was never allocated",
		"unterminated string; expected '\"' before the end of the line",
		"the scenario would have more than 1000000 operations",
		"rss is counted in whole pages",
		"unknown tunable 'X'; expected one of: LIST",
		"double free of 'X' (already freed at line L); glibc aborts when it detects this",
		"a second 'X' pause at the same step",
	};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		ck_assert_msg(strstr(doc, must[i]) != NULL, "docs/language.md lacks: %s", must[i]);
	free(doc);
}
END_TEST

static void data_scenario(const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", data_dir, name);
	size_t len;
	char *text = read_file(path, &len);
	assert_scenario_good(name, text, len);
	free(text);
}

START_TEST(bilingual_lesson)
{
	data_scenario("bilingual-lesson.heap");
	char path[1024];
	snprintf(path, sizeof path, "%s/bilingual-lesson.heap", data_dir);
	size_t len;
	char *text = read_file(path, &len);
	parsed p;
	parse_bytes(&p, text, len);
	ck_assert_str_eq(script_title_for(&p.s, "zh"), "堆顶的钉子");
	ck_assert_str_eq(script_caption_at(&p.s, 0, "zh")->text, "程序先分配一个 200 KB 的缓冲区……");
	ck_assert_str_eq(script_caption_at(&p.s, 1, "en")->text, "...then a small 2000-byte record right after it.");
	ck_assert_str_eq(script_pause_at(&p.s, 3, "zh"), "要释放什么才能把内存还回去？");
	parsed_release(&p);
	free(text);
}
END_TEST

START_TEST(all_commands)
{
	data_scenario("all-commands.heap");
}
END_TEST

START_TEST(errors_render_as_expected)
{
	char path[1024];
	size_t len, want_len;
	snprintf(path, sizeof path, "%s/errors.heap", data_dir);
	char *text = read_file(path, &len);
	snprintf(path, sizeof path, "%s/errors.expected", data_dir);
	char *want = read_file(path, &want_len);
	parsed p;
	parse_bytes(&p, text, len);
	ck_assert(!p.ok);
	size_t cap = 1 << 16, used = 0;
	char *got = malloc(cap);
	got[0] = '\0';
	for (size_t i = 0; i < p.d.count; i++) {
		char *r = diag_render(&p.d.items[i], "errors.heap", text, len);
		used += (size_t)snprintf(got + used, cap - used, "%s", r);
		free(r);
	}
	ck_assert_str_eq(got, want);
	free(got);
	parsed_release(&p);
	free(text);
	free(want);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DOCS/language.md TESTS/lang/data\n", argv[0]);
		return EXIT_FAILURE;
	}
	docs_path = argv[1];
	data_dir = argv[2];
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");
	tcase_add_test(tc, docs_examples_parse_and_pass);
	tcase_add_test(tc, docs_list_every_error_message_prefix);
	tcase_add_test(tc, bilingual_lesson);
	tcase_add_test(tc, all_commands);
	tcase_add_test(tc, errors_render_as_expected);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
