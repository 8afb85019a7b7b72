/* layout_bins.c — the bins panel (see layout_bins.h). Must not: include
 * SDL or keep state between frames. */
#include "layout_panels.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "palette.h"

static const sim_place bin_family_order[] = {
	SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN,
};

static const char *family_name(sim_place place)
{
	switch (place) {
	case SIM_PLACE_TCACHE: return "tcache";
	case SIM_PLACE_FASTBIN: return "fastbin";
	case SIM_PLACE_UNSORTED: return "unsorted";
	case SIM_PLACE_SMALLBIN: return "smallbin";
	default: return "largebin";
	}
}

/* An entry's text: its offset on the bar ("0x2a0"); in an arena of
 * several heaps, laid end to end on the bar, its heap's name and offset
 * in it ("A1.1+0x40", as the log writes it) in *full and the offset in
 * its heap in *brief, for a box too narrow for the name. */
static void entry_text(const gui_snapshot *s, sim_addr e, char *full, size_t full_size, char *brief, size_t brief_size)
{
	uint32_t k = 0;
	if (s->arena != 0 && s->heap_mark_count >= 2)
		while (k + 1 < s->heap_mark_count && e >= s->heap_marks[k + 1])
			k++;
	sim_addr off = s->arena != 0 && s->heap_mark_count >= 2 ? e - s->heap_marks[k] : e;
	gui_format_hex(off, brief, brief_size);
	if (s->arena != 0 && s->heap_mark_count >= 2)
		snprintf(full, full_size, "A%u.%u+%s", (unsigned)s->arena, (unsigned)k, brief);
	else
		snprintf(full, full_size, "%s", brief);
}

/* The text of an entry's box and its size: the full name, else the
 * address, at 0.85 of the panel's size, else the address at 0.7 (a
 * recording's heap of 16 MiB or more has 7-digit offsets, which left
 * boxes blank), last without its "0x"; NULL when none fits. Two sizes
 * only: each size opens a font. */
static const char *entry_fit(const gui_metrics *m, int px, float box_w, const char *full, const char *hex, int *size)
{
	int big = (int)(fl(px) * 0.85f), small = (int)(fl(px) * 0.7f);
	const char *bare = hex[0] == '0' && hex[1] == 'x' ? hex + 2 : hex;
	const struct {
		const char *text;
		int px;
	} tries[] = {{full, big}, {hex, big}, {hex, small}, {bare, small}};
	for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++)
		if (fl(text_w(m, tries[k].px, false, tries[k].text)) + 4 <= box_w) {
			*size = tries[k].px;
			return tries[k].text;
		}
	return NULL;
}

/* A glibc without a tcache (before 2.26) or without fastbins (2.43)
 * gets no empty row for it: "tcache —" would say it has an empty one. */
static bool family_exists(const gui_snapshot *s, sim_place family)
{
	if (family == SIM_PLACE_TCACHE)
		return s->has_tcache;
	if (family == SIM_PLACE_FASTBIN)
		return s->has_fastbins;
	return true;
}

/* Row label of a bin list: family and chunk size class. */
static void bin_row_label(const gui_bin_list *b, char *out, size_t out_size)
{
	const char *family = family_name((sim_place)b->place);
	if (b->place == SIM_PLACE_UNSORTED || b->min_size > b->max_size)
		snprintf(out, out_size, "%s", family);
	else if (b->min_size == b->max_size)
		snprintf(out, out_size, "%s 0x%" PRIx64, family, b->min_size);
	else
		snprintf(out, out_size, "%s 0x%" PRIx64 "+", family, b->min_size);
}

void gui_bins_layout(const gui_snapshot *s, gui_rect area, const gui_metrics *m, gui_scale scale, gui_ui_lang lang,
		     gui_rect *entry_rects, gui_drawlist *out)
{
	if (entry_rects)
		for (size_t i = 0; i < s->entry_count; i++)
			entry_rects[i] = (gui_rect){0, 0, 0, 0};
	int px = scale.small_px;
	float row_h = fl(line_h(m, px)) + 8;
	float box_h = row_h - 6;
	float box_w = fl(px) * 4.2f;
	float gap = 4;
	/* Every family gets a row even when empty ("fast —"), so students
	 * see the whole structure; non-empty bins get a row each, and more
	 * rows for their entries while the panel has rows to spare (a list
	 * the class is asked about is seen whole). */
	float label_w = 0;
	char label[64];
	for (size_t i = 0; i < s->bin_count; i++) {
		bin_row_label(&s->bins[i], label, sizeof label);
		float w = fl(text_w(m, px, false, label));
		if (w > label_w)
			label_w = w;
	}
	for (size_t f = 0; f < sizeof bin_family_order / sizeof bin_family_order[0]; f++) {
		float w = fl(text_w(m, px, false, family_name(bin_family_order[f])));
		if (w > label_w)
			label_w = w;
	}
	if (label_w > area.w * 0.45f)
		label_w = area.w * 0.45f;
	size_t rows_fit = (size_t)(area.h / row_h);
	if (rows_fit < 1)
		rows_fit = 1;
	float boxes_x = area.x + label_w + fl(px) * 0.6f;
	char more[64];
	gui_strf(more, sizeof more, lang, GUI_S_MORE, (size_t)999);
	float more_w = fl(text_w(m, px, false, more)) + 8;
	size_t per_row = (size_t)fmaxf(1.0f, floorf((area.x + area.w - boxes_x + gap) / (box_w + gap)));
	/* rows: one per empty family and per list, then the spare ones */
	size_t base = 0;
	for (size_t f = 0; f < sizeof bin_family_order / sizeof bin_family_order[0]; f++) {
		if (!family_exists(s, bin_family_order[f]))
			continue;
		size_t lists = 0;
		for (size_t i = 0; i < s->bin_count; i++)
			lists += s->bins[i].place == bin_family_order[f];
		base += lists ? lists : 1;
	}
	size_t spare = rows_fit > base ? rows_fit - base : 0;
	size_t row = 0, listed = 0;
	for (size_t f = 0; f < sizeof bin_family_order / sizeof bin_family_order[0]; f++) {
		sim_place family = bin_family_order[f];
		if (!family_exists(s, family))
			continue;
		size_t lists = 0;
		for (size_t i = 0; i < s->bin_count; i++)
			lists += s->bins[i].place == family;
		if (lists == 0) {
			if (row < rows_fit && out) {
				float y = area.y + fl((int)row) * row_h;
				gui_draw_text(out, area.x, y + 3, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM),
					      family_name(family), SIZE_MAX);
				gui_draw_text(out, boxes_x, y + 3, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), "—", SIZE_MAX);
			}
			row++;
			continue;
		}
		for (size_t i = 0; i < s->bin_count; i++) {
			const gui_bin_list *b = &s->bins[i];
			if (b->place != family)
				continue;
			float y = area.y + fl((int)row) * row_h;
			if (row + 1 >= rows_fit && listed + 1 < s->bin_count) { /* last row: say what does not fit */
				if (out && row < rows_fit) {
					gui_strf(more, sizeof more, lang, GUI_S_MORE, s->bin_count - listed);
					gui_draw_text(out, area.x, y + 3, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), more,
						      SIZE_MAX);
				}
				return;
			}
			/* rows for this list: as many as its shown entries need, from the spare ones */
			size_t need = (b->shown + per_row - 1) / per_row;
			size_t rows = 1;
			while (rows < need && spare > 0) {
				rows++;
				spare--;
			}
			listed++;
			if (out) {
				bin_row_label(b, label, sizeof label);
				char fitted[64];
				gui_ellipsize(m, px, false, label, (int)label_w, fitted, sizeof fitted);
				gui_draw_text(out, area.x, y + 3, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), fitted, SIZE_MAX);
			}
			size_t drawn = 0;
			for (size_t r = 0; r < rows && drawn < b->shown; r++) {
				float ry = area.y + fl((int)(row + r)) * row_h;
				float x = boxes_x;
				bool last_row = r + 1 == rows;
				for (size_t k = 0; k < per_row && drawn < b->shown; k++) {
					/* on the last row, keep room for "+N more" when entries remain */
					bool more_after = drawn + 1 < b->length;
					if (last_row && more_after && x + box_w + gap + more_w > area.x + area.w)
						break;
					if (x + box_w > area.x + area.w)
						break;
					gui_rect box = {x, ry + 3, box_w, box_h};
					size_t e = b->first_entry + drawn;
					if (entry_rects)
						entry_rects[e] = box;
					if (out) {
						gui_rgba fill = gui_place_color((sim_place)b->place);
						gui_draw_fill(out, box, fill);
						/* the head (the next chunk malloc takes) has a heavy frame */
						gui_draw_outline(out, box, drawn == 0 ? 2.0f : 1.0f, drawn == 0 ? 0x000000FFu : 0x00000060u);
						char full[48], hex[24];
						entry_text(s, s->entries[e], full, sizeof full, hex, sizeof hex);
						int sp;
						const char *shown = entry_fit(m, px, box_w, full, hex, &sp);
						if (shown)
							gui_draw_text(out, x + box_w / 2, ry + 3 + (box_h - fl(line_h(m, sp))) / 2, sp, false,
								      GUI_ALIGN_CENTER, gui_text_on(fill), shown, SIZE_MAX);
					}
					x += box_w + gap;
					drawn++;
				}
				if (last_row && out && drawn < b->length) {
					gui_strf(more, sizeof more, lang, GUI_S_MORE, b->length - drawn);
					gui_draw_text(out, x + 4, ry + 3, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), more,
						      SIZE_MAX);
				}
			}
			row += rows;
		}
	}
}
