/* layout_frame.c — bands, panels and overlays of one frame (see
 * layout_frame.h). Numbers are in pixels at the frame's scale; every size
 * derives from gui_scale so the same layout reads at 1280×720 and is crisp
 * at 1920×1080. */
#include "layout_panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palette.h"

/* The scenario source panel's height over the log: `share` of the
 * column, at most its chrome and three lines and a bit; raised to hold
 * its current line (at 640x480 the share was less than a line: an empty
 * panel) when that line fits in half the column, else left as it is (a
 * taller panel that still held no line took the log's last entry). */
static float source_height(const gui_metrics *m, gui_scale s, float panels_h, float gap, float share)
{
	float line = fl(line_h(m, s.small_px)), chrome = gui_panel_chrome(m, s);
	float h = fminf((panels_h - gap) * share, chrome + 3.2f * line);
	float one_line = chrome + 1.1f * line;
	return h < one_line && one_line <= (panels_h - gap) * 0.5f ? one_line : h;
}

gui_frame_geometry gui_frame_geometry_for(int width, int height, const gui_metrics *m, bool question)
{
	return gui_frame_geometry_mode(width, height, m, question, false);
}

/* Presentation mode: the bands of the heap and the caption at a larger
 * scale, filling the window; no lower panels (zero size). */
static gui_frame_geometry present_geometry(int width, int height, const gui_metrics *m, bool question)
{
	gui_frame_geometry g;
	memset(&g, 0, sizeof g);
	/* type as in a window a third larger than this one */
	gui_scale s = gui_scale_for(width * 4 / 3, height * 4 / 3);
	g.scale = s;
	float W = fl(width), H = fl(height), pad = fl(s.pad), u = s.unit;
	float inner_w = W - 2 * pad;
	g.header = (gui_rect){0, 0, W, fl(line_h(m, s.title_px)) + pad * 0.8f};
	float y = g.header.h + pad * 0.5f;
	float tri = fmaxf(8.0f, 14.0f * u);
	g.callout = (gui_rect){pad, y, inner_w, fl(line_h(m, s.body_px)) + tri * 1.6f + pad * 0.6f};
	y += g.callout.h;
	float thick = fmaxf(6.0f, 10.0f * u);
	float ruler_h = pad * 0.5f + thick * 1.6f + fl(line_h(m, s.body_px));
	float axis_h = fl(s.small_px) * 0.45f + fl(line_h(m, s.small_px)) + 2;
	float legend_h = fl(line_h(m, s.small_px)) + pad * 0.5f;
	float caption_h = fl(3 * line_h(m, s.caption_px)) + pad;
	float question_h = 0;
	if (question) {
		float one = fl(line_h(m, (int)(fl(s.caption_px) * 0.9f))), two = fl(2 * line_h(m, s.body_px));
		question_h = fmaxf(one, two) + pad * 0.6f;
	}
	float timeline_h = fl(s.body_px) * 1.1f + 4 + fmaxf(10.0f, 16.0f * u) + 4 + fl(line_h(m, s.small_px)) + pad * 0.4f;
	g.timeline = (gui_rect){0, H - timeline_h, W, timeline_h};
	g.timeline_track = gui_timeline_track(g.timeline, s);
	/* the bar takes what the other bands leave */
	float rest = g.timeline.y - pad * 0.5f - y - ruler_h - axis_h - legend_h - caption_h - (question ? question_h + pad * 0.3f : 0);
	g.bar = (gui_rect){pad, y, inner_w, fmaxf(rest, fmaxf(140.0f * u, 56.0f))};
	y += g.bar.h;
	g.ruler = (gui_rect){pad, y, inner_w, ruler_h};
	y += ruler_h;
	g.axis = (gui_rect){pad, y, inner_w, axis_h};
	y += axis_h;
	g.legend = (gui_rect){pad, y, inner_w, legend_h};
	y += legend_h;
	g.caption = (gui_rect){pad, y, inner_w, caption_h};
	y += caption_h;
	if (question) {
		y += pad * 0.3f;
		g.question = (gui_rect){pad, y, inner_w, question_h};
	}
	return g;
}

gui_frame_geometry gui_frame_geometry_mode(int width, int height, const gui_metrics *m, bool question, bool presenting)
{
	if (presenting)
		return present_geometry(width, height, m, question);
	gui_frame_geometry g;
	memset(&g, 0, sizeof g);
	gui_scale s = gui_scale_for(width, height);
	g.scale = s;
	float W = fl(width), H = fl(height), pad = fl(s.pad), u = s.unit;
	float inner_w = W - 2 * pad;
	float y = 0;
	g.header = (gui_rect){0, 0, W, fl(line_h(m, s.title_px)) + pad * 0.8f};
	y = g.header.h + pad * 0.3f;
	g.strip = (gui_rect){pad, y, inner_w, fl(line_h(m, s.small_px)) + fmaxf(24.0f, 40.0f * u)};
	y += g.strip.h;
	float tri = fmaxf(8.0f, 14.0f * u);
	g.callout = (gui_rect){pad, y, inner_w, fl(line_h(m, s.body_px)) + tri * 1.6f + pad * 0.6f};
	y += g.callout.h;
	g.bar = (gui_rect){pad, y, inner_w, fmaxf(fmaxf(140.0f * u, 56.0f), fl(2 * line_h(m, s.body_px) + 16))};
	y += g.bar.h;
	float thick = fmaxf(6.0f, 10.0f * u);
	g.ruler = (gui_rect){pad, y, inner_w, pad * 0.5f + thick * 1.6f + fl(line_h(m, s.body_px))};
	y += g.ruler.h;
	g.axis = (gui_rect){pad, y, inner_w, fl(s.small_px) * 0.45f + fl(line_h(m, s.small_px)) + 2};
	y += g.axis.h;
	g.legend = (gui_rect){pad, y, inner_w, fl(line_h(m, s.small_px)) + pad * 0.5f};
	y += g.legend.h;
	g.caption = (gui_rect){pad, y, inner_w, fl(2 * line_h(m, s.caption_px)) + pad};
	y += g.caption.h;
	if (question) {
		/* Room for one line near caption size or two of body text. */
		float one = fl(line_h(m, (int)(fl(s.caption_px) * 0.9f))), two = fl(2 * line_h(m, s.body_px));
		y += pad * 0.3f;
		g.question = (gui_rect){pad, y, inner_w, fmaxf(one, two) + pad * 0.6f};
		y += g.question.h;
	}
	y += pad * 0.5f;

	float timeline_h = fl(s.body_px) * 1.1f + 4 + fmaxf(10.0f, 16.0f * u) + 4 + fl(line_h(m, s.small_px)) + pad * 0.4f;
	g.timeline = (gui_rect){0, H - timeline_h, W, timeline_h};
	g.timeline_track = gui_timeline_track(g.timeline, s);
	/* Three columns fill the rest: bins | meters | the scenario source
	 * over the event log. The log ("what happened", with the trim
	 * verdict) gets the widest column and most of its height; the source
	 * needs only the current line and a little context. */
	float panels_h = g.timeline.y - pad * 0.4f - y;
	if (panels_h < fl(4 * line_h(m, s.small_px)))
		return g; /* no room (a window at its smallest): no panels, as when presenting, rather than under the timeline */
	float gap = pad * 0.6f;
	float bins_w = (inner_w - 2 * gap) * 0.255f;
	float meters_w = (inner_w - 2 * gap) * 0.255f;
	float right_w = inner_w - 2 * gap - bins_w - meters_w;
	g.bins = (gui_rect){pad, y, bins_w, panels_h};
	g.meters = (gui_rect){pad + bins_w + gap, y, meters_w, panels_h};
	float right_x = pad + bins_w + meters_w + 2 * gap;
	float source_h = source_height(m, s, panels_h, gap, 0.36f);
	g.source = (gui_rect){right_x, y, right_w, source_h};
	g.log = (gui_rect){right_x, y + source_h + gap, right_w, panels_h - source_h - gap};
	return g;
}

gui_frame_geometry gui_frame_geometry_compare(int width, int height, const gui_metrics *m, bool question, bool presenting)
{
	gui_frame_geometry g;
	memset(&g, 0, sizeof g);
	/* presenting: type as in a window a third larger, as present_geometry */
	gui_scale s = presenting ? gui_scale_for(width * 4 / 3, height * 4 / 3) : gui_scale_for(width, height);
	g.scale = s;
	float W = fl(width), H = fl(height), pad = fl(s.pad), u = s.unit;
	float inner_w = W - 2 * pad;
	g.header = (gui_rect){0, 0, W, fl(line_h(m, s.title_px)) + pad * 0.8f};
	float label_h = fl(line_h(m, s.body_px)) + pad * 0.3f;
	float tri = fmaxf(8.0f, 14.0f * u);
	float callout_h = fl(line_h(m, s.body_px)) + tri * 1.6f + pad * 0.6f;
	float thick = fmaxf(6.0f, 10.0f * u);
	float ruler_h = pad * 0.5f + thick * 1.6f + fl(line_h(m, s.body_px));
	float axis_h = fl(s.small_px) * 0.45f + fl(line_h(m, s.small_px)) + 2;
	float legend_h = fl(line_h(m, s.small_px)) + pad * 0.5f;
	/* two sides' captions share the band: two lines of caption type or
	 * four of body text (the caption shrinks to fit, layout_caption.c:
	 * a shared line and a line for each side) */
	float caption_h = fmaxf(fl(2 * line_h(m, s.caption_px)), fl(4 * line_h(m, s.body_px))) + pad;
	float question_h = 0;
	if (question) {
		float one = fl(line_h(m, (int)(fl(s.caption_px) * 0.9f))), two = fl(2 * line_h(m, s.body_px));
		question_h = fmaxf(one, two) + pad * 0.6f;
	}
	float timeline_h = fl(s.body_px) * 1.1f + 4 + fmaxf(10.0f, 16.0f * u) + 4 + fl(line_h(m, s.small_px)) + pad * 0.4f;
	g.timeline = (gui_rect){0, H - timeline_h, W, timeline_h};
	g.timeline_track = gui_timeline_track(g.timeline, s);
	float top = g.header.h + pad * 0.3f;
	float fixed = 2 * (label_h + callout_h + ruler_h) + axis_h + legend_h + caption_h +
		      (question ? question_h + pad * 0.3f : 0) + pad * 0.5f;
	float room = g.timeline.y - pad * 0.4f - top - fixed;
	/* the bars: in the window, as tall as a label in two lines and more,
	 * the panels taking the rest; presenting, all that is left */
	float min_bar = fmaxf(40.0f, fl(2 * line_h(m, s.body_px) + 12));
	float bar_h = presenting ? room / 2 : fmaxf(min_bar, fminf(72.0f * u, (room - fl(5 * line_h(m, s.small_px))) / 2));
	if (bar_h < min_bar)
		bar_h = min_bar;
	/* presenting, no panels give way; in a window at its smallest, the
	 * panels have gone already: the bars do, rather than overlap the timeline */
	if (bar_h > room / 2)
		bar_h = fmaxf(room / 2, 16.0f);
	/* whole pixels: the two heaps are drawn alike, row for row (their
	 * hatching and edges fall on the same rows of each bar) */
	label_h = roundf(label_h);
	callout_h = roundf(callout_h);
	bar_h = floorf(bar_h);
	ruler_h = roundf(ruler_h);
	float y = roundf(top);
	gui_rect *callouts[2] = {&g.callout, &g.callout2}, *bars[2] = {&g.bar, &g.bar2}, *rulers[2] = {&g.ruler, &g.ruler2};
	for (int i = 0; i < 2; i++) {
		g.side_label[i] = (gui_rect){pad, y, inner_w, label_h};
		y += label_h;
		*callouts[i] = (gui_rect){pad, y, inner_w, callout_h};
		y += callout_h;
		*bars[i] = (gui_rect){pad, y, inner_w, bar_h};
		y += bar_h;
		*rulers[i] = (gui_rect){pad, y, inner_w, ruler_h};
		y += ruler_h;
	}
	g.axis = (gui_rect){pad, y, inner_w, axis_h};
	y += axis_h;
	g.legend = (gui_rect){pad, y, inner_w, legend_h};
	y += legend_h;
	g.caption = (gui_rect){pad, y, inner_w, caption_h};
	y += caption_h;
	if (question) {
		y += pad * 0.3f;
		g.question = (gui_rect){pad, y, inner_w, question_h};
		y += question_h;
	}
	y += pad * 0.5f;
	if (presenting)
		return g;
	/* bins of the first side | bins of the second | source over log */
	float panels_h = g.timeline.y - pad * 0.4f - y;
	if (panels_h < fl(4 * line_h(m, s.small_px)))
		return g; /* no room: no panels (as above) */
	float gap = pad * 0.6f;
	float bins_w = (inner_w - 2 * gap) * 0.255f;
	float right_w = inner_w - 2 * gap - 2 * bins_w;
	g.bins = (gui_rect){pad, y, bins_w, panels_h};
	g.bins2 = (gui_rect){pad + bins_w + gap, y, bins_w, panels_h};
	float right_x = pad + 2 * bins_w + 2 * gap;
	/* the panels are shorter than with one heap: the source keeps room for its current line */
	float source_h = source_height(m, s, panels_h, gap, 0.45f);
	g.source = (gui_rect){right_x, y, right_w, source_h};
	g.log = (gui_rect){right_x, y + source_h + gap, right_w, panels_h - source_h - gap};
	return g;
}

void gui_frame_scratch_release(gui_frame_scratch *scratch)
{
	gui_seg_list_release(&scratch->segs);
	gui_seg_list_release(&scratch->segs2);
	gui_paint_memo_release(&scratch->paint);
	gui_paint_memo_release(&scratch->paint2);
	free(scratch->entry_rects[0]);
	free(scratch->entry_rects[1]);
	memset(scratch, 0, sizeof *scratch);
}

/* A bins panel's title: the side it is (--compare: first, the narrow
 * panel cuts the end) and, when the bar shows a thread's arena, that
 * arena (the lists are its own), then the word. */
static void bins_title(gui_ui_lang lang, const char *side, const gui_snapshot *state, char *out, size_t size)
{
	int n = side ? snprintf(out, size, "%s \xc2\xb7 ", side) : 0;
	if (n < 0 || (size_t)n >= size)
		n = 0;
	if (state && state->arena != 0) {
		int k = snprintf(out + n, size - (size_t)n, "arena %u \xc2\xb7 ", (unsigned)state->arena);
		n += k > 0 && (size_t)k < size - (size_t)n ? k : 0;
	}
	snprintf(out + n, size - (size_t)n, "%s", gui_str(lang, GUI_S_BINS));
}

void gui_frame_layout(const gui_frame_input *in, gui_frame_scratch *scratch, gui_drawlist *out)
{
	bool compare = in->b2 != NULL;
	gui_frame_geometry g = compare ? gui_frame_geometry_compare(in->width, in->height, in->metrics, in->question != NULL,
								    in->presenting)
				       : gui_frame_geometry_mode(in->width, in->height, in->metrics, in->question != NULL,
								 in->presenting);
	gui_scale s = g.scale;
	if (in->help) { /* the help's opaque backdrop would hide the view: skip it */
		gui_help_draw(in, s, out);
		return;
	}
	gui_draw_fill(out, (gui_rect){0, 0, fl(in->width), fl(in->height)}, gui_palette(GUI_COL_BACKGROUND));
	gui_header_draw(in, &g, out);
	if (g.strip.w > 0)
		gui_strip_draw(in, &g, out);

	gui_heap_input heap = {
		.a = in->a,
		.b = in->b,
		.t = in->a ? in->t : 1.0,
		.view = in->view,
		.extent = in->extent,
		.slot_names = in->slot_names,
		.slot_sites = in->slot_sites,
		.slot_count = in->slot_count,
		.lang = in->lang,
		.metrics = in->metrics,
		.scale = s,
		.callout = g.callout,
		.bar = g.bar,
		.ruler = g.ruler,
		.axis = g.axis,
		.hover = false,
		.hover_chunk = SIZE_MAX,
		.memo = &scratch->memo,
		.paint_memo = &scratch->paint,
		.quiz = in->answers_hidden,
		.focus = in->focus,
		.focus_slot = in->focus_slot,
	};
	if (in->mouse_in_window && !in->a && !in->help && in->mouse_y >= g.bar.y && in->mouse_y < g.bar.y + g.bar.h) {
		gui_bar_hit hit = gui_bar_hit_test(in->b, g.bar, in->view, in->mouse_x);
		heap.hover = hit.chunk != SIZE_MAX;
		heap.hover_chunk = hit.chunk;
	}
	if (compare) {
		/* the axis goes once, under the second heap: the first one's band
		 * ends where its ruler does */
		heap.axis = (gui_rect){g.ruler.x, g.ruler.y + g.ruler.h, g.ruler.w, 0};
	}
	gui_heap_layout(&heap, &scratch->segs, out);
	if (compare) {
		gui_heap_input second = heap;
		second.a = in->a2;
		second.b = in->b2;
		second.t = in->a2 ? in->t : 1.0;
		second.callout = g.callout2;
		second.bar = g.bar2;
		second.ruler = g.ruler2;
		second.axis = g.axis;
		second.memo = &scratch->memo2;
		second.paint_memo = &scratch->paint2;
		second.hover = false;
		second.hover_chunk = SIZE_MAX;
		gui_heap_layout(&second, &scratch->segs2, out);
		gui_compare_labels_draw(in, &g, out);
	}
	gui_legend_draw(in, &g, out);
	gui_caption_draw(in, &g, out);
	gui_question_draw(in, &g, out);

	gui_rect bins_area = {0, 0, 0, 0};
	if (g.bins.w > 0) { /* the lower panels; none in presentation mode */
		char title[160];
		const gui_snapshot *bins_state = (in->a && in->t < 0.5) ? in->a : in->b;
		bins_title(in->lang, compare ? in->side_name[0] : NULL, bins_state, title, sizeof title);
		bins_area = gui_panel_frame(in->metrics, s, g.bins, title, out);
		gui_draw_clip(out, bins_area);
		gui_bins_layout(bins_state, bins_area, in->metrics, s, in->lang, NULL, out);
		gui_draw_unclip(out);
		if (compare && g.bins2.w > 0) {
			const gui_snapshot *state2 = (in->a2 && in->t < 0.5) ? in->a2 : in->b2;
			bins_title(in->lang, in->side_name[1] ? in->side_name[1] : "", state2, title, sizeof title);
			gui_rect area2 = gui_panel_frame(in->metrics, s, g.bins2, title, out);
			gui_draw_clip(out, area2);
			gui_bins_layout(state2, area2, in->metrics, s, in->lang, NULL, out);
			gui_draw_unclip(out);
		}
		if (g.meters.w > 0)
			gui_meters_draw(in, &g, out);
		gui_source_draw(in, &g, out);
		gui_log_draw(in, &g, out);
	}

	gui_timeline_input tl = {
		.area = g.timeline,
		.length = in->length,
		.step = in->playhead,
		.columns = in->tick_columns,
		.column_count = in->tick_column_count,
		.marks = in->marks,
		.mark_count = in->mark_count,
		.breakpoints = in->breakpoints,
		.breakpoint_count = in->breakpoint_count,
		.metrics = in->metrics,
		.scale = s,
		.lang = in->lang,
		.hover = in->mouse_in_window && !in->help,
		.hover_x = in->mouse_x,
		.hover_y = in->mouse_y,
		.window_w = fl(in->width),
	};
	gui_timeline_layout(&tl, out);
	if (bins_area.w > 0 && in->a && in->t > 0 && in->t < 1) {
		/* Chips flying from the bar to the bins pass under the caption
		 * and the question rather than over their text: drawn twice,
		 * clipped above and below those bands. */
		float band_top = g.caption.y;
		float band_bottom = g.question.h > 0 ? g.question.y + g.question.h : g.caption.y + g.caption.h;
		gui_draw_clip(out, (gui_rect){0, 0, fl(in->width), band_top});
		gui_flights_draw(in, &g, bins_area, scratch, out);
		gui_draw_clip(out, (gui_rect){0, band_bottom, fl(in->width), fl(in->height) - band_bottom});
		gui_flights_draw(in, &g, bins_area, scratch, out);
		gui_draw_unclip(out);
	}
	gui_story_draw(in, &g, out);
	gui_search_draw(in, &g, out);
	gui_tooltip_draw(in, &g, out);
	gui_toast_draw(in, &g, out);
	/* The background only where panels and bands do not cover it. */
	gui_drawlist_cull_background(out, in->width, in->height);
}
