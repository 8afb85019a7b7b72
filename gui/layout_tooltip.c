/* layout_tooltip.c — the tooltip over a chunk of the heap bar (see
 * layout_tooltip.h). Must not: include SDL. */
#include "layout_panels.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "palette.h"

size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const gui_sites *slot_sites,
			 const char *const *slot_names, size_t slot_count, gui_ui_lang lang, char lines[][128], size_t max_lines)
{
	if (index >= s->chunk_count || max_lines == 0)
		return 0;
	const sim_chunk_info c_v = gui_snapshot_chunk(s, index), *c = &c_v;
	size_t n = 0;
#define LINE(...)                                                   \
	do {                                                        \
		if (n < max_lines)                                  \
			snprintf(lines[n++], 128, __VA_ARGS__);     \
	} while (0)
	const char *name = gui_slot_name(slot_names, slot_count, c->slot);
	const char *state = gui_place_label(lang, (sim_place)c->place);
	if (name && c->place == SIM_PLACE_INUSE)
		LINE("%s  (%s)", name, state);
	else
		LINE("%s", state);
	/* A recording's chunk: the code that allocated it. */
	const char *site = c->place == SIM_PLACE_INUSE ? gui_slot_site(slot_sites, slot_count, c->slot) : NULL;
	if (site && n < max_lines)
		gui_strf(lines[n++], 128, lang, GUI_S_ALLOCATED_AT, site);
	char size[32];
	gui_format_size(c->size, size, sizeof size);
	/* another arena's chunk: offsets in its heaps (laid end to end), and
	 * glibc's A bit (NON_MAIN_ARENA) set */
	char where[16] = "";
	if (s->arena != 0)
		snprintf(where, sizeof where, "A%u ", (unsigned)s->arena);
	if (c->place == SIM_PLACE_PROGRAM) {
		/* not a chunk: the program's bytes (and glibc's two fenceposts
		 * before them, when its heap went on past them) */
		LINE("%s0x%" PRIx64 " – 0x%" PRIx64 "   %s 0x%" PRIx64 " (%s)", where, c->addr, c->addr + c->size,
		     gui_str(lang, GUI_S_SIZE), c->size, size);
		LINE("%s", lang == GUI_UI_ZH ? "程序自己用 sbrk 取得的字节，不属于 malloc" : "the program's own bytes (its sbrk): never malloc's");
		LINE("%s", lang == GUI_UI_ZH ? "glibc 的堆越过它们时，前面有两个 16 字节的 fencepost"
		                             : "when glibc's heap went on past them, two 16-byte fenceposts first");
		return n;
	}
	LINE("%s %s0x%" PRIx64 " – 0x%" PRIx64 "   %s 0x%" PRIx64 " (%s)", gui_str(lang, GUI_S_CHUNK), where, c->addr,
	     c->addr + c->size, gui_str(lang, GUI_S_SIZE), c->size, size);
	if (c->place == SIM_PLACE_INUSE) {
		char req[32];
		gui_format_size(c->request, req, sizeof req);
		LINE("%s %s0x%" PRIx64 "   %s %" PRIu64 " B", gui_str(lang, GUI_S_USER_PTR), where, c->addr + 16,
		     gui_str(lang, GUI_S_REQUEST), c->request);
	}
	LINE("%s: P=%d (%s) M=0%s", gui_str(lang, GUI_S_FLAGS), c->prev_inuse ? 1 : 0,
	     lang == GUI_UI_ZH ? (c->prev_inuse ? "前一块在用" : "前一块空闲") : (c->prev_inuse ? "previous chunk in use" : "previous chunk free"),
	     s->arena != 0 ? " A=1" : "");
	if (c->place == SIM_PLACE_TCACHE || c->place == SIM_PLACE_FASTBIN || c->place == SIM_PLACE_UNSORTED ||
	    c->place == SIM_PLACE_SMALLBIN || c->place == SIM_PLACE_LARGEBIN) {
		size_t list, pos;
		size_t length = 0;
		if (gui_snapshot_bin_of(s, c->addr, &list, &pos))
			length = s->bins[list].length;
		else
			pos = c->bin_pos;
		if (length)
			LINE("%s %s[%u]   %s %zu / %zu%s", gui_str(lang, GUI_S_BIN), state, (unsigned)c->bin,
			     gui_str(lang, GUI_S_POSITION), pos + 1, length, pos == 0 ? (lang == GUI_UI_ZH ? "（表头）" : " (head)") : "");
		else
			LINE("%s %s[%u]   %s %u", gui_str(lang, GUI_S_BIN), state, (unsigned)c->bin, gui_str(lang, GUI_S_POSITION),
			     (unsigned)c->bin_pos + 1);
	}
	if (chunks_in_pixel > 1 && n < max_lines)
		gui_strf(lines[n++], 128, lang, GUI_S_CHUNKS_IN_PIXEL, chunks_in_pixel);
#undef LINE
	return n;
}

void gui_tooltip_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->mouse_in_window || in->a || in->help)
		return;
	gui_rect bar = g->bar;
	if (in->mouse_x < bar.x || in->mouse_x >= bar.x + bar.w || in->mouse_y < bar.y || in->mouse_y >= bar.y + bar.h)
		return;
	gui_bar_hit hit = gui_bar_hit_test(in->b, bar, in->view, in->mouse_x);
	if (hit.chunk == SIZE_MAX)
		return;
	char lines[8][128];
	size_t n = gui_tooltip_lines(in->b, hit.chunk, hit.chunks_in_pixel, &in->slot_sites, in->slot_names, in->slot_count,
				     in->lang, lines, 8);
	const gui_metrics *m = in->metrics;
	int px = g->scale.small_px;
	float lh = fl(line_h(m, px));
	float w = 0;
	for (size_t i = 0; i < n; i++) {
		float lw = fl(text_w(m, px, i == 0, lines[i]));
		if (lw > w)
			w = lw;
	}
	float pad = 10;
	gui_rect box = {in->mouse_x + 18, in->mouse_y + 18, w + 2 * pad, fl((int)n) * lh + 2 * pad};
	if (box.x + box.w > fl(in->width))
		box.x = in->mouse_x - 18 - box.w;
	if (box.x < 0)
		box.x = 0;
	if (box.y + box.h > fl(in->height))
		box.y = in->mouse_y - 18 - box.h;
	gui_draw_fill(out, box, gui_palette(GUI_COL_TOOLTIP_BG));
	gui_draw_fill(out, (gui_rect){box.x, box.y, 6, box.h}, gui_place_color((sim_place)gui_chunk_place(in->b, hit.chunk)));
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, box.x + pad + 4, box.y + pad + fl((int)i) * lh, px, i == 0, GUI_ALIGN_LEFT,
			      gui_palette(GUI_COL_TOOLTIP_TEXT), lines[i], SIZE_MAX);
}
