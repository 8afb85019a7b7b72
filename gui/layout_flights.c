/* layout_flights.c — chunks flying between the heap bar and the bins
 * panel while a step animates. Must not: include SDL; its only memory is
 * the frame scratch it is given. */
#include "layout_panels.h"

#include <math.h>
#include <stdlib.h>

#include "palette.h"

static bool ensure_rects(gui_frame_scratch *scratch, int which, size_t n)
{
	if (n <= scratch->entry_capacity[which])
		return true;
	gui_rect *r = realloc(scratch->entry_rects[which], n * sizeof *r);
	if (!r)
		return false;
	scratch->entry_rects[which] = r;
	scratch->entry_capacity[which] = n;
	return true;
}

void gui_flights_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_rect bins_area,
		      gui_frame_scratch *scratch, gui_drawlist *out)
{
	const gui_snapshot *a = in->a, *b = in->b;
	if (!a || in->t <= 0 || in->t >= 1)
		return;
	if (!ensure_rects(scratch, 0, a->entry_count) || !ensure_rects(scratch, 1, b->entry_count))
		return;
	gui_bins_layout(a, bins_area, in->metrics, g->scale, in->lang, scratch->entry_rects[0], NULL);
	gui_bins_layout(b, bins_area, in->metrics, g->scale, in->lang, scratch->entry_rects[1], NULL);
	size_t flights = 0;
	for (size_t i = 0; i < b->event_count && flights < 48; i++) {
		const sim_event *e = &b->events[i];
		bool push = e->kind == SIM_EV_BIN_PUSH, pop = e->kind == SIM_EV_BIN_POP;
		if (!push && !pop)
			continue;
		const gui_snapshot *bin_side = push ? b : a;
		size_t list, pos;
		if (!gui_snapshot_bin_of(bin_side, e->addr, &list, &pos))
			continue;
		gui_rect box = scratch->entry_rects[push ? 1 : 0][bin_side->bins[list].first_entry + pos];
		if (box.w <= 0)
			continue;
		/* A token the size of a bin box leaves (or lands on) the middle
		 * of the chunk in the bar: the chunk itself may be huge. */
		double x0 = fmax(gui_bar_x(g->bar, in->view, (double)e->addr), g->bar.x);
		double x1 = fmin(gui_bar_x(g->bar, in->view, (double)(e->addr + e->size)), g->bar.x + g->bar.w);
		float cx = (float)((x0 + x1) / 2);
		gui_rect chunk = {cx - box.w / 2, g->bar.y + g->bar.h / 2 - box.h / 2, box.w, box.h};
		gui_rect from = push ? chunk : box, to = push ? box : chunk;
		float t = (float)in->t;
		gui_rect now = {from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t, from.w + (to.w - from.w) * t,
				from.h + (to.h - from.h) * t};
		gui_draw_fill(out, now, gui_place_color((sim_place)e->detail));
		gui_draw_outline(out, now, 2, 0x000000FFu);
		flights++;
	}
}
