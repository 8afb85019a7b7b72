/* test-caption-truth.c — a caption stands on the expectations of the steps
 * since the previous caption: with settings that make one of them fail,
 * that caption (and only it) is reported false. Lesson 2 with
 * trim_threshold 64 KiB trims where its caption says "no trim". */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lang/caption_truth.h"
#include "lang/tunables.h"

static const char lesson[] = "set top_pad 0\n"
			     "set mmap_threshold 1M\n"
			     "a = malloc 100K\n"
			     "b = malloc 200K\n"
			     "expect brk grew\n"
			     "say en \"two buffers\"\n"
			     "free b\n"
			     "expect trimmed\n"
			     "say en \"b went back: top passed the threshold\"\n"
			     "say zh \"b 还回去了\"\n"
			     "c = malloc 10\n"
			     "say en \"a small one\"\n";

static void check(const sim_config *config, bool *false_out)
{
	script s;
	diag_list d;
	script_init(&s);
	diag_list_init(&d);
	ck_assert(script_parse(lesson, strlen(lesson), &s, &d));
	expect_report r;
	ck_assert(expect_check_script(&s, config ? config : &s.config, &r));
	caption_truth truth[8];
	ck_assert_uint_le(s.caption_count, 8);
	caption_truth_compute(&s, &r, truth);
	for (size_t i = 0; i < s.caption_count; i++) {
		false_out[i] = truth[i].false_now;
		if (truth[i].false_now)
			ck_assert_ptr_nonnull(truth[i].message);
	}
	expect_report_release(&r);
	script_release(&s);
	diag_list_release(&d);
}

START_TEST(the_lesson_s_own_settings_bear_out_every_caption)
{
	bool f[8] = {false};
	check(NULL, f);
	for (int i = 0; i < 4; i++)
		ck_assert(!f[i]);
}
END_TEST

START_TEST(a_failed_expectation_disproves_the_captions_after_it)
{
	script s;
	diag_list d;
	script_init(&s);
	diag_list_init(&d);
	ck_assert(script_parse(lesson, strlen(lesson), &s, &d));
	sim_config config = s.config;
	/* a threshold above what free(b) leaves in top: no trim */
	ck_assert(sim_config_set(&config, SIM_SET_TRIM_THRESHOLD, 1 << 30));
	bool f[8] = {false};
	check(&config, f);
	/* captions: "two buffers" (step 2), the en and zh of step 3, "a small one" (step 4) */
	ck_assert(!f[0]);
	ck_assert(f[1]);
	ck_assert(f[2]);
	ck_assert(!f[3]);
	script_release(&s);
	diag_list_release(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("caption_truth");
	TCase *tc = tcase_create("caption_truth");
	tcase_add_test(tc, the_lesson_s_own_settings_bear_out_every_caption);
	tcase_add_test(tc, a_failed_expectation_disproves_the_captions_after_it);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
