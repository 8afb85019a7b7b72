/* layout_legend.c — the colour legend under the heap bar: one swatch per
 * place, then not resident, released and pinned; the long labels in
 * their short form when the row has no room for them all, then the bins
 * that hold no chunk at this step left out, and what does not fit even
 * so is left out. Must not: include SDL. */
#include "layout_panels.h"

#include <stdio.h>
#include <string.h>

#include "palette.h"

static const sim_place legend_places[] = {
	SIM_PLACE_INUSE, SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN,
	SIM_PLACE_LARGEBIN, SIM_PLACE_TOP, SIM_PLACE_TCACHE_STRUCT, SIM_PLACE_MMAP, SIM_PLACE_PROGRAM,
};
#define LEGEND_PLACES (sizeof legend_places / sizeof legend_places[0])

/* A swatch for a place the profile's glibc does not have (tcache before
 * 2.26, fastbins in 2.43) would name a colour that can never appear. */
static bool legend_place_shown(const gui_frame_input *in, sim_place place)
{
	if (place == SIM_PLACE_TCACHE || place == SIM_PLACE_TCACHE_STRUCT)
		return in->b->has_tcache;
	if (place == SIM_PLACE_FASTBIN)
		return in->b->has_fastbins;
	if (place == SIM_PLACE_PROGRAM) /* (only a heap with the program's own bytes) */
		return in->b->has_program;
	return true;
}

/* Entry i's label (the places, then not resident, released, pinned),
 * into buf; false for a place this glibc does not have. `compact`: the
 * short form of the long ones. */
static bool legend_label(const gui_frame_input *in, size_t i, bool compact, char *buf, size_t size)
{
	const char *label;
	if (i < LEGEND_PLACES)
		label = gui_place_label(in->lang, legend_places[i]);
	else if (i == LEGEND_PLACES)
		label = gui_str(in->lang, compact ? GUI_S_NOT_RESIDENT_SHORT : GUI_S_NOT_RESIDENT);
	else if (i == LEGEND_PLACES + 1)
		label = gui_str(in->lang, GUI_S_RELEASED);
	else
		label = gui_str(in->lang, GUI_S_LEGEND_PIN);
	if (i < LEGEND_PLACES && !legend_place_shown(in, legend_places[i]))
		return false;
	snprintf(buf, size, "%s", label);
	if (i == LEGEND_PLACES + 1) { /* "returned to the kernel: %s" -> without the number */
		char *colon = strstr(buf, ":");
		if (!colon)
			colon = strstr(buf, "：");
		if (colon)
			*colon = '\0';
	}
	return true;
}

#define LEGEND_ENTRIES (LEGEND_PLACES + 3)

/* Whether entry i is a bin's that no chunk of the step is in (the
 * snapshot's counts): on a narrow row such swatches go first, before
 * the ones the bar shows (at 1024 wide, presenting lesson 3, the row
 * named five empty bins and left out "returned to the kernel" and "pins
 * top", both on screen). */
static bool legend_bin_empty(const gui_frame_input *in, size_t i)
{
	if (i >= LEGEND_PLACES)
		return false;
	sim_place place = legend_places[i];
	bool bin = place == SIM_PLACE_TCACHE || place == SIM_PLACE_FASTBIN || place == SIM_PLACE_UNSORTED ||
	           place == SIM_PLACE_SMALLBIN || place == SIM_PLACE_LARGEBIN;
	return bin && in->b->stats.count_by_place[place] == 0;
}

void gui_legend_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->legend;
	float sw = fl(s.small_px) * 0.9f;
	float y = r.y + (fl(line_h(m, s.small_px)) - sw) / 2;
	float x = r.x;
	float gap = fl(s.small_px) * 0.9f;
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	/* The long labels while the whole row fits; else their short forms
	 * (at 1280 wide the English row lost its last entry, the pin's). */
	char label[80];
	float full = 0, short_row = 0;
	for (size_t i = 0; i < LEGEND_ENTRIES; i++) {
		if (legend_label(in, i, false, label, sizeof label))
			full += sw + 6 + fl(text_w(m, s.small_px, false, label)) + gap;
		if (legend_label(in, i, true, label, sizeof label))
			short_row += sw + 6 + fl(text_w(m, s.small_px, false, label)) + gap;
	}
	bool compact = full - gap > r.w;
	bool only_held = short_row - gap > r.w; /* (the empty bins left out) */
	for (size_t i = 0; i < LEGEND_ENTRIES; i++) {
		gui_rect box = {x, y, sw, sw};
		if (!legend_label(in, i, compact, label, sizeof label) || (only_held && legend_bin_empty(in, i)))
			continue;
		int lw = text_w(m, s.small_px, false, label);
		if (x + sw + 6 + fl(lw) > r.x + r.w)
			break;
		if (i < LEGEND_PLACES) {
			gui_draw_fill(out, box, gui_place_color(legend_places[i]));
		} else if (i == LEGEND_PLACES) {
			gui_draw_fill(out, box, gui_place_color(SIM_PLACE_TOP));
			gui_draw_fill(out, box, 0xFFFFFF70u);
			gui_draw_hatch(out, box, 5, gui_palette(GUI_COL_HATCH));
		} else if (i == LEGEND_PLACES + 1) {
			gui_draw_fill(out, box, gui_rgba_with_alpha(gui_palette(GUI_COL_RELEASED), 0.3f));
			gui_draw_outline(out, box, 2, gui_palette(GUI_COL_RELEASED));
		} else {
			gui_draw_fill(out, box, gui_place_color(SIM_PLACE_INUSE));
			gui_draw_outline(out, box, 3, gui_palette(GUI_COL_PIN));
		}
		gui_draw_outline(out, box, 1, 0x00000060u);
		gui_draw_text(out, x + sw + 6, r.y, s.small_px, false, GUI_ALIGN_LEFT, ink, label, SIZE_MAX);
		x += sw + 6 + fl(lw) + gap;
	}
}
