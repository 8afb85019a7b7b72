/* layout_bins.h — the bins panel: every bin family, each non-empty list
 * as a row of boxes, head first; also where each entry box is, for the
 * flights. Must not: include SDL or query the model (reads a snapshot). */
#ifndef BRKSIM_GUI_LAYOUT_BINS_H
#define BRKSIM_GUI_LAYOUT_BINS_H

#include "layout.h"
#include "snapshot.h"
#include "strings.h"

/* Bins panel: draws (when out != NULL) the non-empty bins of s as rows of
 * boxes, head first, and writes each shown entry's box to entry_rects[i]
 * (parallel to s->entries; w = 0 when not visible). */
void gui_bins_layout(const gui_snapshot *s, gui_rect area, const gui_metrics *m, gui_scale scale,
                     gui_ui_lang lang, gui_rect *entry_rects, gui_drawlist *out);

#endif
