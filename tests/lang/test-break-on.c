/* test-break-on.c — `--break-on KINDS` (lang/break_on.c): the words,
 * free:NAME against the script's names, the errors (an unknown word, a
 * name never allocated, more free:NAME than it holds: refused, never
 * dropped), and which condition a step meets. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/break_on.h"

static const char lesson[] = "a = malloc 100\nb = malloc 200\nfree a\nfree b\n";

START_TEST(words_and_names_parse)
{
	parsed p;
	parse_text(&p, lesson);
	break_on_spec spec;
	char err[256] = "";
	ck_assert(break_on_parse(NULL, &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert(!break_on_any(&spec));
	ck_assert_msg(break_on_parse("trim,brk-grow,free:b", &p.s, SIZE_MAX, &spec, err, sizeof err), "%s", err);
	ck_assert(break_on_any(&spec));
	ck_assert_uint_eq(spec.mask, (1u << SIM_EV_BRK_SHRINK) | (1u << SIM_EV_BRK_GROW));
	ck_assert_str_eq(spec.word[SIM_EV_BRK_SHRINK], "trim");
	ck_assert_uint_eq(spec.freed_count, 1);
	ck_assert_str_eq(spec.freed_word[0], "free:b");
	ck_assert(break_on_parse("brk-shrink", &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert_str_eq(spec.word[SIM_EV_BRK_SHRINK], "brk-shrink");
	parsed_release(&p);
}
END_TEST

START_TEST(bad_words_are_refused_with_the_reason)
{
	parsed p;
	parse_text(&p, lesson);
	break_on_spec spec;
	char err[256];
	ck_assert(!break_on_parse("trim,bogus", &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert_str_eq(err, "unknown --break-on kind 'bogus'; expected one of: brk-grow, brk-shrink, trim, consolidate, "
	                      "mmap, munmap, madvise, abort, coalesce, threshold, sbrk, free:NAME, step:N");
	static const char *const bad_steps[] = {"step:0", "step:x", "step:12a", "step:99999999999"};
	for (size_t i = 0; i < 4; i++) {
		ck_assert_msg(!break_on_parse(bad_steps[i], &p.s, SIZE_MAX, &spec, err, sizeof err), "%s", bad_steps[i]);
		char want[128];
		snprintf(want, sizeof want, "--break-on %s: expected a step number (1 or more) after 'step:'", bad_steps[i]);
		ck_assert_str_eq(err, want);
	}
	ck_assert(!break_on_parse("step:", &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert(strstr(err, "unknown --break-on kind 'step:'") != NULL);
	/* a step past the file's last would never stop anything: refused */
	ck_assert(!break_on_parse("step:5", &p.s, p.s.op_count, &spec, err, sizeof err));
	ck_assert_str_eq(err, "--break-on step:5: past the last step (the file has 4)");
	ck_assert(break_on_parse("step:4", &p.s, p.s.op_count, &spec, err, sizeof err));
	ck_assert_msg(break_on_parse("step:7,step:1", &p.s, SIZE_MAX, &spec, err, sizeof err), "%s", err);
	ck_assert_uint_eq(spec.step_count, 2);
	ck_assert_uint_eq(spec.steps[0], 7);
	ck_assert_str_eq(spec.step_word[1], "step:1");
	ck_assert(!break_on_parse("free:c", &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert_str_eq(err, "--break-on free:c: no allocation is named 'c'");
	ck_assert(!break_on_parse("free:", &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert(strstr(err, "unknown --break-on kind 'free:'") != NULL);
	/* more free:NAME than the spec holds: refused, not silently dropped */
	char many[1024] = "";
	for (int i = 0; i <= BREAK_ON_MAX_FREED; i++)
		strcat(many, i ? ",free:a" : "free:a");
	ck_assert(!break_on_parse(many, &p.s, SIZE_MAX, &spec, err, sizeof err));
	ck_assert_str_eq(err, "--break-on: at most 16 free:NAME conditions");
	many[strlen(many) - strlen(",free:a")] = '\0';
	ck_assert_msg(break_on_parse(many, &p.s, SIZE_MAX, &spec, err, sizeof err), "%s", err);
	parsed_release(&p);
}
END_TEST

START_TEST(a_step_meets_the_first_condition)
{
	parsed p;
	parse_text(&p, lesson);
	break_on_spec spec;
	char err[256];
	ck_assert(break_on_parse("coalesce,brk-grow,free:a", &p.s, SIZE_MAX, &spec, err, sizeof err));
	const sim_op *malloc_a = &p.s.ops[0], *free_a = &p.s.ops[2], *free_b = &p.s.ops[3];
	/* the free of a name first, whatever its events */
	ck_assert_str_eq(break_on_hit_mask(&spec, free_a, 1u << SIM_EV_COALESCE), "free:a");
	ck_assert_ptr_null(break_on_hit_mask(&spec, free_b, 1u << SIM_EV_BIN_PUSH));
	/* by the mask: in kind order */
	ck_assert_str_eq(break_on_hit_mask(&spec, free_b, (1u << SIM_EV_COALESCE) | (1u << SIM_EV_BRK_GROW)),
	                 SIM_EV_BRK_GROW < SIM_EV_COALESCE ? "brk-grow" : "coalesce");
	/* by the events: in the order they happened */
	sim_events ev;
	sim_events_init(&ev);
	ck_assert(sim_events_push(&ev, (sim_event){.kind = SIM_EV_COALESCE}));
	ck_assert(sim_events_push(&ev, (sim_event){.kind = SIM_EV_BRK_GROW}));
	ck_assert_str_eq(break_on_hit(&spec, 1, malloc_a, &ev), "coalesce");
	/* step:N first, by the step's number; not by the mask */
	break_on_spec at;
	ck_assert_msg(break_on_parse("coalesce,step:3", &p.s, SIZE_MAX, &at, err, sizeof err), "%s", err);
	ck_assert_str_eq(break_on_hit(&at, 3, malloc_a, &ev), "step:3");
	ck_assert_str_eq(break_on_hit(&at, 2, malloc_a, &ev), "coalesce");
	ck_assert_ptr_null(break_on_hit(&at, 2, malloc_a, NULL));
	ck_assert_ptr_null(break_on_hit_mask(&at, malloc_a, 0));
	sim_events_release(&ev);
	break_on_spec none;
	ck_assert(break_on_parse(NULL, &p.s, SIZE_MAX, &none, err, sizeof err));
	ck_assert_ptr_null(break_on_hit_mask(&none, free_a, ~0u));
	parsed_release(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("break-on");
	TCase *tc = tcase_create("break-on");
	tcase_add_test(tc, words_and_names_parse);
	tcase_add_test(tc, bad_words_are_refused_with_the_reason);
	tcase_add_test(tc, a_step_meets_the_first_condition);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
