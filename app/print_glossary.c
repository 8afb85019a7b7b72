/* print_glossary.c — `brksim help glossary`: the terms brksim uses for the
 * heap, in English and Chinese (sim/glossary.h, the same table the window,
 * `run --lang zh` and docs/glossary.md use), then the words that stay in
 * English. Must not: hold terms of its own. */
#include <stdio.h>

#include "commands.h"
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
