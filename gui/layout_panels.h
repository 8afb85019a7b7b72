/* layout_panels.h — the panels and overlays of one frame, each drawn by
 * its own file from the frame's input and geometry (layout_frame.c calls
 * them in drawing order), and the small measuring helpers they share.
 * Internal to the gui layout library. Must not: include SDL. */
#ifndef BRKSIM_GUI_LAYOUT_PANELS_H
#define BRKSIM_GUI_LAYOUT_PANELS_H

#include <string.h>

#include "layout_frame.h"

static inline float fl(int v)
{
	return (float)v;
}

static inline int line_h(const gui_metrics *m, int px)
{
	return m->line_height(m->ctx, px);
}

static inline int text_w(const gui_metrics *m, int px, bool bold, const char *s)
{
	return gui_text_width(m, px, bold, s, strlen(s));
}

/* Height of a panel's title row plus its paddings (see gui_panel_frame). */
float gui_panel_chrome(const gui_metrics *m, gui_scale s);
/* Draws a panel frame with a title; returns the content rect. */
gui_rect gui_panel_frame(const gui_metrics *m, gui_scale s, gui_rect r, const char *title, gui_drawlist *out);

/* Each draws one band or overlay of the frame (nothing when it has
 * nothing to show). */
void gui_header_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_strip_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
/* --compare: each side's label row (its profile, VmData, RSS, what its
 * tcache and fastbins hold, or that glibc ended its run). */
void gui_compare_labels_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_legend_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_caption_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_question_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_meters_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_source_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
void gui_log_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
/* The search box, at the top of the heap area. */
void gui_search_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
/* The RSS story, over the bins, meters, source and log panels. */
void gui_story_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
/* Chunks flying between the bar and the bins panel's content area
 * `bins_area` while a step animates (entry boxes kept in scratch). */
void gui_flights_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_rect bins_area,
                      gui_frame_scratch *scratch, gui_drawlist *out);
void gui_tooltip_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);
/* The help overlay replaces the whole view. */
void gui_help_draw(const gui_frame_input *in, gui_scale s, gui_drawlist *out);
void gui_toast_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out);

#endif
