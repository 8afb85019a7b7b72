/* test-keymap.c — one keymap drives the window, the help and the docs:
 * keys find their actions (Shift picks the backwards jumps), every action
 * has a key, and the key tables of docs/user-guide.md and
 * docs/teachers-guide.md are the keymap's own table, word for word. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/keymap.h"
#include "tests/gui/helpers.h"

#ifndef GUI_SOURCE_ROOT
#error "GUI_SOURCE_ROOT must name the source tree"
#endif

START_TEST(keys_find_their_actions)
{
	ck_assert_int_eq(gui_keymap_action("Space", false), GUI_ACT_PLAY_PAUSE);
	ck_assert_int_eq(gui_keymap_action("Right", true), GUI_ACT_STEP_FORWARD);
	ck_assert_int_eq(gui_keymap_action("T", false), GUI_ACT_NEXT_TRIM);
	ck_assert_int_eq(gui_keymap_action("T", true), GUI_ACT_PREV_TRIM);
	ck_assert_int_eq(gui_keymap_action("M", true), GUI_ACT_PREV_MARK);
	ck_assert_int_eq(gui_keymap_action("+", false), GUI_ACT_ZOOM_IN);
	ck_assert_int_eq(gui_keymap_action("=", true), GUI_ACT_ZOOM_IN);
	ck_assert_int_eq(gui_keymap_action("Keypad -", false), GUI_ACT_ZOOM_OUT);
	ck_assert_int_eq(gui_keymap_action("/", true), GUI_ACT_HELP);
	ck_assert_int_eq(gui_keymap_action("/", false), GUI_ACT_SEARCH);
	ck_assert_int_eq(gui_keymap_action("J", false), GUI_ACT_JUMP_ALLOC);
	ck_assert_int_eq(gui_keymap_action("J", true), GUI_ACT_JUMP_FREE);
	ck_assert_int_eq(gui_keymap_action("G", true), GUI_ACT_STORY);
	ck_assert_int_eq(gui_keymap_action("R", false), GUI_ACT_REVEAL);
	ck_assert_int_eq(gui_keymap_action("P", false), GUI_ACT_PRESENT);
	ck_assert_int_eq(gui_keymap_action("Escape", false), GUI_ACT_ESCAPE);
	ck_assert_int_eq(gui_keymap_action("K", false), GUI_ACT_BREAKPOINT);
	ck_assert_int_eq(gui_keymap_action("F9", false), GUI_ACT_BREAKPOINT);
	ck_assert_int_eq(gui_keymap_action("K", true), GUI_ACT_CLEAR_BREAKPOINTS);
	ck_assert_int_eq(gui_keymap_action("Z", false), GUI_ACT_COUNT);
}
END_TEST

/* Every action is reachable from a key the help lists. */
START_TEST(every_action_has_a_listed_key)
{
	static const char *const names[] = {"Space", "Right", "Left", "Up", "Down", "Home", "End", "PageUp", "PageDown",
					    "T", "B", "C", "M", "A", "X", "+", "-", "0", "R", "P", "L", "F", "S", "?", "/", "J", "G",
					    "]", "[", "K", "Escape", "Q"};
	bool bound[GUI_ACT_COUNT] = {false};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (int shift = 0; shift < 2; shift++) {
			gui_action a = gui_keymap_action(names[i], shift);
			if (a != GUI_ACT_COUNT)
				bound[a] = true;
		}
	for (int a = 0; a < GUI_ACT_COUNT; a++)
		ck_assert_msg(bound[a], "action %d has no key", a);
	/* and each listed key is in the help */
	gui_key_row row;
	size_t rows = 0;
	char all[4096] = "";
	for (size_t i = 0; gui_keymap_row(i, GUI_UI_EN, &row); i++, rows++) {
		strncat(all, row.keys, sizeof all - strlen(all) - 2);
		strcat(all, " ");
	}
	ck_assert_uint_gt(rows, 15);
	static const char *const shown[] = {"Space", "→", "←", "↑", "↓", "Home", "End", "PgUp", "PgDn", "Shift",
					    "R", "P", "Esc", "F11", "F1", "K", "F9"};
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
		ck_assert_msg(strstr(all, shown[i]) != NULL, "help lists no '%s'", shown[i]);
}
END_TEST

static void assert_doc_has_table(const char *doc)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/%s", GUI_SOURCE_ROOT, doc);
	size_t len = 0;
	char *text = helper_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	char table[8192];
	ck_assert_uint_lt(gui_keymap_markdown(table, sizeof table), sizeof table);
	ck_assert_msg(strstr(text, table) != NULL, "%s: its key table is not the keymap's; it should read:\n%s", doc, table);
	free(text);
}

START_TEST(docs_list_the_keymap)
{
	assert_doc_has_table("user-guide.md");
	assert_doc_has_table("teachers-guide.md");
	/* the man page lists each key row's keys */
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/brksim.1", GUI_SOURCE_ROOT);
	size_t len = 0;
	char *man = helper_read_file(path, &len);
	ck_assert(man != NULL);
	gui_key_row row;
	for (size_t i = 0; gui_keymap_row(i, GUI_UI_EN, &row); i++) {
		if (!row.keys[0])
			continue;
		/* roff writes the arrows as \(-> \(<- \(ua \(da */
		char roff[128] = "";
		for (const char *p = row.keys; *p;) {
			static const char *const map[][2] = {{"\u2192", "\\(->"}, {"\u2190", "\\(<-"}, {"\u2191", "\\(ua"}, {"\u2193", "\\(da"}};
			bool done = false;
			for (size_t k = 0; k < 4 && !done; k++)
				if (strncmp(p, map[k][0], 3) == 0) {
					strncat(roff, map[k][1], sizeof roff - strlen(roff) - 1);
					p += 3;
					done = true;
				}
			if (!done) {
				size_t n = strlen(roff);
				if (n + 1 < sizeof roff) {
					roff[n] = *p;
					roff[n + 1] = '\0';
				}
				p++;
			}
		}
		ck_assert_msg(strstr(man, roff) != NULL, "docs/brksim.1 does not list the keys '%s'", roff);
	}
	free(man);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");
	tcase_add_test(tc, keys_find_their_actions);
	tcase_add_test(tc, every_action_has_a_listed_key);
	tcase_add_test(tc, docs_list_the_keymap);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
