/* layout_loading.h — the window while a long trace opens: its name, how
 * far the timeline's build has come, and how to stop.
 *
 * Owns: that frame's geometry. Must not: include SDL (window.c draws
 * the list and reads the keys). */
#ifndef BRKSIM_GUI_LAYOUT_LOADING_H
#define BRKSIM_GUI_LAYOUT_LOADING_H

#include <stdint.h>

#include "draw.h"
#include "layout.h"
#include "strings.h"

typedef struct gui_loading {
	const char *name;  /* the file's name as the user gave it, or NULL */
	uint64_t steps;    /* the steps the build replays (the trace's ops) */
	double fraction;   /* 0 to 1: how far the build has come */
	gui_ui_lang lang;
} gui_loading;

/* The frame of a width × height window into `out` (cleared first). */
void gui_loading_layout(const gui_loading *state, int width, int height, const gui_metrics *m, gui_drawlist *out);

/* The bar's rectangle in that frame (its filled part starts at its left
 * edge): for tests, which look for its pixels. */
gui_rect gui_loading_bar(int width, int height);

#endif
