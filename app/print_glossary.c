/* print_glossary.c — `brksim help glossary`: the terms brksim uses for the
 * heap, in English and Chinese (sim/glossary.h, the same table the window,
 * `run --lang zh` and docs/glossary.md use), then the words that stay in
 * English; and `brksim help keys`, the window's keys from its keymap.
 * Must not: hold terms or keys of its own. */
#include <stdio.h>

#include "commands.h"
#include "gui/keymap.h"
#include "sim/glossary.h"

int glossary_command(void)
{
	size_t count = 0;
	const sim_glossary_term *terms = sim_glossary(&count);
	printf("brksim's words for the heap (English | 中文):\n\n");
	for (size_t i = 0; i < count; i++)
		printf("  %-28s %s\n", sim_glossary_word(&terms[i], SIM_LANG_EN), sim_glossary_word(&terms[i], SIM_LANG_ZH));
	printf("\nkept in English in both languages (glibc's and the kernel's names, units):\n ");
	int col = 1;
	for (const char *const *w = sim_glossary_untranslated(); *w; w++) {
		int n = printf(" %s", *w);
		col += n;
		if (col > 72 && w[1]) {
			printf("\n ");
			col = 1;
		}
	}
	printf("\n");
	return 0;
}

int keys_command(void)
{
	gui_key_row row;
	for (size_t i = 0; gui_keymap_row(i, GUI_UI_EN, &row); i++) {
		int cols = 0; /* characters, not bytes: the arrows are three bytes each */
		for (const char *p = row.keys; *p; p++)
			cols += ((unsigned char)*p & 0xC0) != 0x80;
		printf("  %s%*s %s\n", row.keys, cols < 26 ? 26 - cols : 0, "", row.what);
	}
	return 0;
}
