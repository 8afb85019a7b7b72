/* keymap.h — every key of the window, in one table.
 *
 * The window loop looks keys up here (by SDL's key name, so this file
 * needs no SDL); the help overlay, `brksim help show`, `brksim help keys`,
 * the man page and the docs' key tables are all made from the same rows
 * (tests/gui/test-keymap.c holds the docs to them). Must not: include SDL
 * or act on a key (the view and the window do). */
#ifndef BRKSIM_GUI_KEYMAP_H
#define BRKSIM_GUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "action.h"
#include "strings.h"

/* The action bound to a key, given SDL's name for it ("Space", "Right",
 * "T", "Keypad +") and whether Shift is held; GUI_ACT_COUNT when none. */
gui_action gui_keymap_action(const char *key_name, bool shift);

/* One row of the help: the keys (as shown, e.g. "T  B  C", "Shift + T B C
 * M A X", or a mouse gesture) and what they do. */
typedef struct gui_key_row {
	char keys[64];
	const char *what;
} gui_key_row;

/* Row i of the help in `lang`; false past the last row. */
bool gui_keymap_row(size_t i, gui_ui_lang lang, gui_key_row *out);

/* The help as a Markdown table ("| key | does |" ...), English, for the
 * docs and `brksim help keys`; returns what snprintf returns. */
size_t gui_keymap_markdown(char *buf, size_t size);

#endif
