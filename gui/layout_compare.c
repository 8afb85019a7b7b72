/* layout_compare.c — the label row above each heap of `brksim show
 * --compare A,B`: which profile the bar below is, and the numbers a class
 * compares (VmData, RSS, chunks held by the tcache and the fastbins), or
 * that glibc ended that side's run. Must not: include SDL. */
#include "layout_panels.h"

#include <string.h>

#include <stdio.h>

#include "palette.h"

void gui_compare_labels_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	int px = g->scale.body_px;
	const gui_snapshot *states[2] = {(in->a && in->t < 0.5) ? in->a : in->b, (in->a2 && in->t < 0.5) ? in->a2 : in->b2};
	for (int i = 0; i < 2; i++) {
		gui_rect r = g->side_label[i];
		const gui_snapshot *s = states[i];
		const char *name = in->side_name[i] ? in->side_name[i] : "";
		if (r.w <= 0 || !s)
			continue;
		float y = r.y + (r.h - fl(line_h(m, px))) / 2;
		/* a side with many settings has a long name: it keeps two thirds
		 * of the row at most, the numbers the rest */
		char shown[256];
		gui_ellipsize(m, px, true, name, (int)(r.w * 2 / 3), shown, sizeof shown);
		gui_draw_text(out, r.x, y, px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), shown, SIZE_MAX);
		float x = r.x + fl(text_w(m, px, true, shown)) + fl(g->scale.pad);
		char vm[32], rss[32], text[256];
		gui_format_size(s->stats.vm_data, vm, sizeof vm);
		gui_format_size((uint64_t)s->stats.resident_pages * SIM_PAGE_SIZE, rss, sizeof rss);
		/* with threads, what MALLOC_ARENA_MAX changes: the arenas and
		 * the RAM of all their heaps; the bar may show another arena
		 * than main, so the brk heap is given by its extent */
		size_t all_pages = 0;
		for (size_t a = 0; a < s->arena_count && a < GUI_ARENAS_MAX; a++)
			all_pages += s->arenas[a].resident_pages;
		char all[32], brk[32];
		gui_format_size((uint64_t)all_pages * SIM_PAGE_SIZE, all, sizeof all);
		gui_format_size(s->main_brk, brk, sizeof brk);
		if (in->side_ended[i] != 0 && s->step >= in->side_ended[i]) {
			gui_strf(text, sizeof text, in->lang, GUI_S_SIDE_ENDED, in->side_ended[i]);
		} else {
			if (s->arena_count > 1)
				gui_strf(text, sizeof text, in->lang, GUI_S_SIDE_STATS_ARENAS, brk, s->arena_count, all);
			else
				gui_strf(text, sizeof text, in->lang, GUI_S_SIDE_STATS, vm, rss);
			/* a release without a tcache (2.3.6) or fastbins (2.43)
			 * says so, not "0" (lesson 13 compares exactly these) */
			size_t used = strlen(text);
			if (s->has_tcache)
				gui_strf(text + used, sizeof text - used, in->lang, GUI_S_SIDE_TCACHE,
				         s->stats.count_by_place[SIM_PLACE_TCACHE]);
			else
				gui_strf(text + used, sizeof text - used, in->lang, GUI_S_SIDE_NO_TCACHE);
			used = strlen(text);
			if (s->has_fastbins)
				gui_strf(text + used, sizeof text - used, in->lang, GUI_S_SIDE_FASTBINS,
				         s->stats.count_by_place[SIM_PLACE_FASTBIN]);
			else
				gui_strf(text + used, sizeof text - used, in->lang, GUI_S_SIDE_NO_FASTBINS);
		}
		char fitted[256];
		gui_ellipsize(m, px, false, text, (int)(r.x + r.w - x), fitted, sizeof fitted);
		gui_draw_text(out, x, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), fitted, SIZE_MAX);
	}
}
