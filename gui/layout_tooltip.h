/* layout_tooltip.h — what the tooltip says about one chunk of the heap
 * bar. Must not: include SDL or query the model. */
#ifndef BRKSIM_GUI_LAYOUT_TOOLTIP_H
#define BRKSIM_GUI_LAYOUT_TOOLTIP_H

#include "snapshot.h"
#include "strings.h"

/* Tooltip text for chunk `index` of s: up to max_lines lines written into
 * lines[][128]; returns the count. */
size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const char *const *slot_sites,
                         const char *const *slot_names, size_t slot_count, gui_ui_lang lang,
                         char lines[][128], size_t max_lines);

#endif
