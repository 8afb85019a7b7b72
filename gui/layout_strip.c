/* layout_strip.c — the process strip: the address space in schematic
 * (code, heap, mmap region, stack), the heap in miniature with the part
 * the big bar shows, the other arenas' heaps in the mmap region (each a
 * block filled as far as it is in RAM; the one the big bar shows in
 * miniature), and the mmapped chunks fading in and out. Must not:
 * include SDL or keep state between frames. */
#include "layout_panels.h"

#include <math.h>
#include <stdio.h>

#include "palette.h"

enum { STRIP_LABEL_GAP = 6 };

/* A label at (x, y) within `room` pixels less a gap: shortened with "…"
 * when it does not fit, left out when not even that does. */
static void strip_label(const gui_metrics *m, int px, bool bold, gui_rgba color, float x, float y, float room,
			const char *label, gui_drawlist *out)
{
	char fitted[128];
	gui_ellipsize(m, px, bold, label, (int)(room - STRIP_LABEL_GAP), fitted, sizeof fitted);
	if (fitted[0] != '\0')
		gui_draw_text(out, x, y, px, bold, GUI_ALIGN_LEFT, color, fitted, SIZE_MAX);
}

void gui_strip_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->strip;
	float label_h = fl(line_h(m, s.small_px));
	float box_y = r.y + label_h, box_h = r.h - label_h;
	gui_rgba dim = gui_palette(GUI_COL_TEXT_DIM), ink = gui_palette(GUI_COL_TEXT);
	/* Schematic widths: code and stack small, the heap and mmap region
	 * large, gaps drawn as dotted lines to say "not to scale". */
	float x = r.x, w = r.w;
	float text_w_ = w * 0.10f, heap_w = w * 0.44f, gap1 = w * 0.12f, mmap_w = w * 0.22f, gap2 = w * 0.04f;
	if (in->b->arena_count > 1) { /* other arenas' heaps: the mmap region needs the room */
		heap_w = w * 0.26f;
		gap1 = w * 0.05f;
		mmap_w = w * 0.50f;
	}
	float stack_w = w - text_w_ - heap_w - gap1 - mmap_w - gap2;
	gui_rect text_r = {x, box_y, text_w_, box_h};
	gui_rect heap_r = {x + text_w_ + 4, box_y, heap_w - 4, box_h};
	gui_rect mmap_r = {x + text_w_ + heap_w + gap1, box_y, mmap_w, box_h};
	gui_rect stack_r = {mmap_r.x + mmap_w + gap2, box_y, stack_w, box_h};
	gui_rgba code_color = 0xBDBDB8FFu;
	gui_draw_fill(out, text_r, code_color);
	gui_draw_fill(out, stack_r, code_color);
	gui_draw_fill(out, heap_r, gui_palette(GUI_COL_UNMAPPED));
	gui_draw_fill(out, mmap_r, gui_palette(GUI_COL_UNMAPPED));
	char heap_label[96], size[32];
	gui_format_size(in->b->main_brk, size, sizeof size);
	snprintf(heap_label, sizeof heap_label, "%s [0, brk) = %s", gui_str(in->lang, GUI_S_HEAP), size);
	sim_size mmap_total = 0;
	for (size_t i = 0; i < in->b->mmap_count; i++)
		mmap_total += in->b->mmaps[i].size;
	char mmap_label[96];
	gui_format_size(mmap_total, size, sizeof size);
	if (in->b->mmap_count)
		gui_strf(mmap_label, sizeof mmap_label, in->lang, in->b->mmap_count == 1 ? GUI_S_MMAP_ONE : GUI_S_MMAP_SOME,
			 in->b->mmap_count, size);
	else
		gui_strf(mmap_label, sizeof mmap_label, in->lang, GUI_S_MMAP_NONE);
	/* the other arenas' heaps take the mmap region's left part */
	size_t arenas = in->b->arena_count < GUI_ARENAS_MAX ? in->b->arena_count : GUI_ARENAS_MAX;
	gui_rect arenas_r = {mmap_r.x, mmap_r.y, 0, mmap_r.h};
	/* The labels, each within the room up to the next one's start (in a
	 * narrow window "text data bss" ran under the heap's label): the
	 * stack's at the right end, the code's up to the heap's, the heap's
	 * up to the mmap region's, shortened to what fits. */
	const char *stack_label = gui_str(in->lang, GUI_S_STACK);
	float stack_x = stack_r.x + stack_r.w - fl(text_w(m, s.small_px, false, stack_label));
	gui_draw_text(out, stack_r.x + stack_r.w, r.y, s.small_px, false, GUI_ALIGN_RIGHT, dim, stack_label, SIZE_MAX);
	strip_label(m, s.small_px, false, dim, text_r.x, r.y, heap_r.x - text_r.x, gui_str(in->lang, GUI_S_TEXT_DATA), out);
	if (text_w(m, s.small_px, true, heap_label) > mmap_r.x - heap_r.x - STRIP_LABEL_GAP) /* the size, first */
		snprintf(heap_label, sizeof heap_label, "%s %s", gui_str(in->lang, GUI_S_HEAP), size);
	strip_label(m, s.small_px, true, ink, heap_r.x, r.y, mmap_r.x - heap_r.x, heap_label, out);
	if (arenas > 1) {
		arenas_r.w = mmap_r.w * 0.62f;
		mmap_r.x += arenas_r.w + 6;
		mmap_r.w -= arenas_r.w + 6;
		size_t pages = 0;
		for (size_t i = 0; i < arenas; i++)
			pages += in->b->arenas[i].resident_pages;
		char rss[32], label[96];
		gui_format_size((sim_size)pages * SIM_PAGE_SIZE, rss, sizeof rss);
		gui_strf(label, sizeof label, in->lang, GUI_S_ARENAS, in->b->arena_count, rss);
		strip_label(m, s.small_px, true, ink, arenas_r.x, r.y, stack_x - arenas_r.x, label, out);
		if (text_w(m, s.small_px, true, label) > arenas_r.w) /* no room beside it: the mmap label goes */
			mmap_label[0] = '\0';
	}
	strip_label(m, s.small_px, true, ink, mmap_r.x, r.y, stack_x - mmap_r.x, mmap_label, out);
	/* gaps: dotted */
	for (float gx = text_r.x + text_r.w + 2; gx < heap_r.x; gx += 6)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2, 2, 2}, dim);
	for (float gx = heap_r.x + heap_r.w + 6; gx < mmap_r.x - 4; gx += 8)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2 - 1, 3, 3}, dim);
	for (float gx = mmap_r.x + mmap_r.w + 6; gx < stack_r.x - 4; gx += 8)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2 - 1, 3, 3}, dim);

	/* the heap in miniature, to the fitted scale of the big bar: the brk
	 * heap's box, or the shown arena's block */
	gui_bar_view fit = gui_bar_fit(in->extent);
	gui_rect shown_r = heap_r;
	if (in->b->arena == 0)
		gui_bar_paint_snapshot(in->b, heap_r, fit, 1e9f, NULL, out);
	if (arenas > 1) {
		float gap = 3, minw = fmaxf(10.0f, 16.0f * s.unit);
		float bw = (arenas_r.w - gap * fl((int)arenas)) / fl((int)arenas - 1);
		if (bw < minw)
			bw = minw;
		float bx = arenas_r.x;
		for (size_t i = 1; i < arenas && bx + bw <= arenas_r.x + arenas_r.w + 0.5f; i++, bx += bw + gap) {
			const gui_arena *ar = &in->b->arenas[i];
			gui_rect br = {bx, box_y, bw, box_h};
			if (in->b->arena == i) {
				shown_r = br;
				gui_bar_paint_snapshot(in->b, br, fit, 1e9f, NULL, out);
				continue;
			}
			gui_draw_fill(out, br, gui_palette(GUI_COL_UNMAPPED));
			/* how much of its heaps is in RAM */
			double frac = ar->size ? (double)ar->resident_pages * SIM_PAGE_SIZE / (double)ar->size : 0;
			if (frac > 1)
				frac = 1;
			gui_draw_fill(out, (gui_rect){bx, box_y + box_h * (float)(1 - frac), bw, box_h * (float)frac},
			              0x777777A0u); /* grey as the RSS meter: the part in RAM */
			if (ar->on_free_list) /* no thread left on it */
				gui_draw_outline(out, br, 1, dim);
			char name[16];
			snprintf(name, sizeof name, "A%zu", i);
			int nw = text_w(m, s.small_px, false, name);
			if (fl(nw) + 4 < bw)
				gui_draw_text(out, bx + bw / 2, box_y + (box_h - fl(line_h(m, s.small_px))) / 2, s.small_px, false,
				              GUI_ALIGN_CENTER, ink, name, SIZE_MAX);
		}
	}
	heap_r = shown_r;
	/* the part of it the big bar shows */
	double vx0 = fmax(gui_bar_x(heap_r, fit, in->view.lo), heap_r.x);
	double vx1 = fmin(gui_bar_x(heap_r, fit, in->view.hi), heap_r.x + heap_r.w);
	if (vx1 - vx0 < 3)
		vx1 = vx0 + 3;
	gui_draw_outline(out, (gui_rect){(float)vx0, box_y - 2, (float)(vx1 - vx0), box_h + 4}, 2, ink);
	gui_rgba connector = 0x00000040u;
	gui_draw_line(out, (float)vx0, box_y + box_h + 2, g->bar.x, g->bar.y, 1, connector);
	gui_draw_line(out, (float)vx1, box_y + box_h + 2, g->bar.x + g->bar.w, g->bar.y, 1, connector);

	if (arenas > 1 && in->b->arena == 0) /* say which box the bar shows */
		gui_draw_outline(out, (gui_rect){heap_r.x - 1, box_y - 1, heap_r.w + 2, box_h + 2}, 1, ink);
	/* mmapped chunks: blocks in mapping order, widths by size with a
	 * floor; fading in and out when they appear or vanish. */
	const gui_snapshot *src = (in->a && in->t < 0.5) ? in->a : in->b;
	const gui_snapshot *other = (in->a && in->t < 0.5) ? in->b : in->a;
	double total = 0;
	for (size_t i = 0; i < src->mmap_count; i++)
		total += (double)src->mmaps[i].size;
	float minw = fmaxf(10.0f, 18.0f * s.unit), gapw = 3;
	float avail = mmap_r.w - gapw * fl((int)src->mmap_count + 1);
	float bx = mmap_r.x + gapw;
	for (size_t i = 0; i < src->mmap_count && avail > 0; i++) {
		const gui_mmap_chunk *c = &src->mmaps[i];
		float bw = total > 0 ? (float)((double)c->size / total * avail) : minw;
		if (bw < minw)
			bw = minw;
		if (bx + bw > mmap_r.x + mmap_r.w)
			break;
		float alpha = 1;
		if (in->a) {
			bool in_other = false;
			for (size_t k = 0; other && k < other->mmap_count; k++)
				if (other->mmaps[k].addr == c->addr && other->mmaps[k].slot == c->slot)
					in_other = true;
			if (!in_other)
				alpha = (float)(src == in->b ? 2 * in->t - 1 : 1 - 2 * in->t);
		}
		gui_rgba fill = gui_rgba_with_alpha(gui_place_color(SIM_PLACE_MMAP), alpha);
		gui_rect br = {bx, box_y + 2, bw, box_h - 4};
		gui_draw_fill(out, br, fill);
		const char *name = gui_slot_name(in->slot_names, in->slot_count, c->slot);
		if (name && alpha > 0.5f) {
			int nw = text_w(m, s.small_px, true, name);
			if (fl(nw) + 6 < bw)
				gui_draw_text(out, bx + bw / 2, box_y + (box_h - fl(line_h(m, s.small_px))) / 2, s.small_px, true,
					      GUI_ALIGN_CENTER, 0xFFFFFFFFu, name, SIZE_MAX);
		}
		bx += bw + gapw;
	}
}
