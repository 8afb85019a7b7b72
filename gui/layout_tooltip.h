/* layout_tooltip.h — what the tooltip says about one chunk of the heap
 * bar. Must not: include SDL or query the model. */
#ifndef BRKSIM_GUI_LAYOUT_TOOLTIP_H
#define BRKSIM_GUI_LAYOUT_TOOLTIP_H

#include "snapshot.h"
#include "strings.h"

/* A recording's call site of each slot ("load_config, config.c:88"):
 * from an array (tests) or, when `list` is NULL, asked of `of` (the
 * window looks a site up in the recording's stacks when it is drawn,
 * instead of keeping an array of 8 bytes a slot). Both may be NULL. */
typedef struct gui_sites {
	const char *const *list;
	const char *(*of)(const void *ctx, sim_slot slot);
	const void *ctx;
} gui_sites;

/* Tooltip text for chunk `index` of s: up to max_lines lines written into
 * lines[][128]; returns the count. `slot_sites` may be NULL. */
size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const gui_sites *slot_sites,
                         const char *const *slot_names, size_t slot_count, gui_ui_lang lang,
                         char lines[][128], size_t max_lines);

#endif
