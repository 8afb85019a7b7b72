/* layout_frame.c — bands, panels and overlays of one frame (see
 * layout_frame.h). Numbers are in pixels at the frame's scale; every size
 * derives from gui_scale so the same layout reads at 1280×720 and is crisp
 * at 1920×1080. */
#include "layout_frame.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palette.h"

static float fl(int v)
{
	return (float)v;
}

static int line_h(const gui_metrics *m, int px)
{
	return m->line_height(m->ctx, px);
}

static int text_w(const gui_metrics *m, int px, bool bold, const char *s)
{
	return gui_text_width(m, px, bold, s, strlen(s));
}

/* ---- geometry ---- */

static const sim_place legend_places[] = {
	SIM_PLACE_INUSE, SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN,
	SIM_PLACE_LARGEBIN, SIM_PLACE_TOP, SIM_PLACE_TCACHE_STRUCT, SIM_PLACE_MMAP,
};
#define LEGEND_PLACES (sizeof legend_places / sizeof legend_places[0])

/* Height of the panel title row plus the panel's paddings (see panel()). */
static float panel_chrome(const gui_metrics *m, gui_scale s)
{
	float pad = fl(s.pad) * 0.5f;
	return pad * 1.2f + fl(line_h(m, s.body_px)) + pad * 0.4f;
}

gui_frame_geometry gui_frame_geometry_for(int width, int height, const gui_metrics *m, bool question)
{
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
		panels_h = fl(4 * line_h(m, s.small_px));
	float gap = pad * 0.6f;
	float bins_w = (inner_w - 2 * gap) * 0.255f;
	float meters_w = (inner_w - 2 * gap) * 0.255f;
	float right_w = inner_w - 2 * gap - bins_w - meters_w;
	g.bins = (gui_rect){pad, y, bins_w, panels_h};
	g.meters = (gui_rect){pad + bins_w + gap, y, meters_w, panels_h};
	float right_x = pad + bins_w + meters_w + 2 * gap;
	float source_h = fminf((panels_h - gap) * 0.36f, panel_chrome(m, s) + 3.2f * fl(line_h(m, s.small_px)));
	g.source = (gui_rect){right_x, y, right_w, source_h};
	g.log = (gui_rect){right_x, y + source_h + gap, right_w, panels_h - source_h - gap};
	return g;
}

/* Draws a panel frame with a title; returns the content rect. */
static gui_rect panel(const gui_metrics *m, gui_scale s, gui_rect r, const char *title, gui_drawlist *out)
{
	gui_draw_fill(out, r, gui_palette(GUI_COL_PANEL));
	gui_draw_outline(out, r, 1, gui_palette(GUI_COL_PANEL_EDGE));
	float pad = fl(s.pad) * 0.5f;
	float th = 0;
	if (title) {
		gui_draw_text(out, r.x + pad, r.y + pad * 0.6f, s.body_px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), title,
			      SIZE_MAX);
		th = fl(line_h(m, s.body_px)) + pad * 0.4f;
	}
	return (gui_rect){r.x + pad, r.y + pad * 0.6f + th, r.w - 2 * pad, r.h - pad * 1.2f - th};
}

/* ---- header ---- */

static void draw_header(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	float pad = fl(s.pad);
	gui_draw_fill(out, g->header, gui_palette(GUI_COL_PANEL));
	gui_draw_fill(out, (gui_rect){0, g->header.h - 2, g->header.w, 2}, gui_palette(GUI_COL_PANEL_EDGE));
	float y = (g->header.h - fl(line_h(m, s.title_px))) / 2;
	float by = (g->header.h - fl(line_h(m, s.body_px))) / 2;

	/* right side, drawn right to left: help hint, languages, play state
	 * (a drawn icon: the font has no media glyphs), step counter */
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	float x = g->header.w - pad;
	const char *help = gui_str(in->lang, GUI_S_HELP_HINT);
	gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT_DIM), help, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, false, help)) + pad * 1.5f;
	if (in->lang_badge) {
		gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, ink, in->lang_badge, SIZE_MAX);
		x -= fl(text_w(m, s.body_px, false, in->lang_badge)) + pad * 1.5f;
	}
	char state[96];
	if (in->speed >= 1 && fabs(in->speed - round(in->speed)) < 1e-9)
		snprintf(state, sizeof state, "%s  %.0f×", gui_str(in->lang, in->playing ? GUI_S_PLAYING : GUI_S_PAUSED), in->speed);
	else
		snprintf(state, sizeof state, "%s  %g×", gui_str(in->lang, in->playing ? GUI_S_PLAYING : GUI_S_PAUSED), in->speed);
	gui_draw_text(out, x, by, s.body_px, false, GUI_ALIGN_RIGHT, ink, state, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, false, state)) + fl(s.body_px) * 0.5f;
	float icon = fl(s.body_px) * 0.8f;
	float iy = by + (fl(line_h(m, s.body_px)) - icon) / 2;
	if (in->playing) {
		gui_draw_triangle(out, x - icon, iy, x - icon, iy + icon, x, iy + icon / 2, gui_palette(GUI_COL_ACCENT));
	} else {
		gui_draw_fill(out, (gui_rect){x - icon, iy, icon * 0.35f, icon}, ink);
		gui_draw_fill(out, (gui_rect){x - icon * 0.35f, iy, icon * 0.35f, icon}, ink);
	}
	x -= icon + pad * 1.5f;
	char step[64];
	snprintf(step, sizeof step, "%s %zu / %zu", gui_str(in->lang, GUI_S_STEP), in->step, in->length);
	gui_draw_text(out, x, by, s.body_px, true, GUI_ALIGN_RIGHT, ink, step, SIZE_MAX);
	x -= fl(text_w(m, s.body_px, true, step));
	int rw = (int)(g->header.w - x);

	char title[256];
	gui_ellipsize(m, s.title_px, true, in->title ? in->title : "brksim", (int)(g->header.w - 3 * pad - fl(rw)), title,
		      sizeof title);
	gui_draw_text(out, pad, y, s.title_px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), title, SIZE_MAX);
}

/* ---- process strip ---- */

static void draw_strip(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
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
	gui_draw_text(out, text_r.x, r.y, s.small_px, false, GUI_ALIGN_LEFT, dim, gui_str(in->lang, GUI_S_TEXT_DATA), SIZE_MAX);
	gui_draw_text(out, stack_r.x + stack_r.w, r.y, s.small_px, false, GUI_ALIGN_RIGHT, dim, gui_str(in->lang, GUI_S_STACK),
		      SIZE_MAX);
	char heap_label[96], size[32];
	gui_format_size(in->b->brk, size, sizeof size);
	snprintf(heap_label, sizeof heap_label, "%s [0, brk) = %s", gui_str(in->lang, GUI_S_HEAP), size);
	gui_draw_text(out, heap_r.x, r.y, s.small_px, true, GUI_ALIGN_LEFT, ink, heap_label, SIZE_MAX);
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
	gui_draw_text(out, mmap_r.x, r.y, s.small_px, true, GUI_ALIGN_LEFT, ink, mmap_label, SIZE_MAX);
	/* gaps: dotted */
	for (float gx = text_r.x + text_r.w + 2; gx < heap_r.x; gx += 6)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2, 2, 2}, dim);
	for (float gx = heap_r.x + heap_r.w + 6; gx < mmap_r.x - 4; gx += 8)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2 - 1, 3, 3}, dim);
	for (float gx = mmap_r.x + mmap_r.w + 6; gx < stack_r.x - 4; gx += 8)
		gui_draw_fill(out, (gui_rect){gx, box_y + box_h / 2 - 1, 3, 3}, dim);

	/* the heap in miniature, to the fitted scale of the big bar */
	gui_bar_view fit = gui_bar_fit(in->extent);
	gui_bar_paint_snapshot(in->b, heap_r, fit, 1e9f, NULL, out);
	/* the part of it the big bar shows */
	double vx0 = fmax(gui_bar_x(heap_r, fit, in->view.lo), heap_r.x);
	double vx1 = fmin(gui_bar_x(heap_r, fit, in->view.hi), heap_r.x + heap_r.w);
	if (vx1 - vx0 < 3)
		vx1 = vx0 + 3;
	gui_draw_outline(out, (gui_rect){(float)vx0, box_y - 2, (float)(vx1 - vx0), box_h + 4}, 2, ink);
	gui_rgba connector = 0x00000040u;
	gui_draw_line(out, (float)vx0, box_y + box_h + 2, g->bar.x, g->bar.y, 1, connector);
	gui_draw_line(out, (float)vx1, box_y + box_h + 2, g->bar.x + g->bar.w, g->bar.y, 1, connector);

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

/* ---- legend ---- */

static void draw_legend(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->legend;
	float sw = fl(s.small_px) * 0.9f;
	float y = r.y + (fl(line_h(m, s.small_px)) - sw) / 2;
	float x = r.x;
	float gap = fl(s.small_px) * 0.9f;
	gui_rgba ink = gui_palette(GUI_COL_TEXT);
	for (size_t i = 0; i < LEGEND_PLACES + 3; i++) {
		const char *label;
		gui_rect box = {x, y, sw, sw};
		if (i < LEGEND_PLACES)
			label = gui_place_label(in->lang, legend_places[i]);
		else if (i == LEGEND_PLACES)
			label = gui_str(in->lang, GUI_S_NOT_RESIDENT);
		else if (i == LEGEND_PLACES + 1)
			label = gui_str(in->lang, GUI_S_RELEASED);
		else
			label = gui_str(in->lang, GUI_S_LEGEND_PIN);
		char short_label[80];
		snprintf(short_label, sizeof short_label, "%s", label);
		if (i == LEGEND_PLACES + 1) { /* "returned to the kernel: %s" -> without the number */
			char *colon = strstr(short_label, ":");
			if (!colon)
				colon = strstr(short_label, "：");
			if (colon)
				*colon = '\0';
		}
		int lw = text_w(m, s.small_px, false, short_label);
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
		gui_draw_text(out, x + sw + 6, r.y, s.small_px, false, GUI_ALIGN_LEFT, ink, short_label, SIZE_MAX);
		x += sw + 6 + fl(lw) + gap;
	}
}

/* ---- caption ---- */

static void draw_caption(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->caption;
	gui_draw_fill(out, r, gui_palette(GUI_COL_PANEL));
	float bar_w = fmaxf(5.0f, 9.0f * s.unit);
	gui_draw_fill(out, (gui_rect){r.x, r.y, bar_w, r.h}, gui_palette(GUI_COL_ACCENT));
	const char *text = in->caption;
	bool is_caption = text && text[0];
	if (!is_caption)
		text = in->op_text ? in->op_text : gui_str(in->lang, GUI_S_START);
	float pad = fl(s.pad) * 0.6f;
	int max_w = (int)(r.w - bar_w - 3 * pad);
	/* Largest size (from the caption size down to body text) at which
	 * the text fits the band. */
	enum { MAX_LINES = 8 };
	gui_line_span lines[MAX_LINES];
	int px = s.caption_px;
	size_t n = 0;
	for (;;) {
		n = gui_wrap(m, px, false, text, strlen(text), max_w, lines, MAX_LINES);
		int lh = line_h(m, px);
		if ((fl((int)n * lh) <= r.h - pad && n <= MAX_LINES) || px <= s.body_px)
			break;
		px = (int)((float)px * 0.9f);
		if (px < s.body_px)
			px = s.body_px;
	}
	int lh = line_h(m, px);
	size_t fit = (size_t)((r.h - pad) / fl(lh));
	if (fit < 1)
		fit = 1;
	if (n > fit)
		n = fit;
	if (n > MAX_LINES)
		n = MAX_LINES;
	float y = r.y + (r.h - fl((int)n * lh)) / 2;
	gui_rgba color = is_caption ? gui_palette(GUI_COL_TEXT) : gui_palette(GUI_COL_TEXT_DIM);
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, r.x + bar_w + pad * 1.5f, y + fl((int)i * lh), px, false, GUI_ALIGN_LEFT, color,
			      text + lines[i].offset, lines[i].len);
}

/* ---- the pause question ---- */

/* The teacher's question at a pause: white on the accent colour with a
 * "?" badge, so it is not mistaken for the caption (dark on white). As
 * large as fits, from caption size down to body text. */
static void draw_question(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->question || g->question.h <= 0)
		return;
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = g->question;
	gui_draw_fill(out, r, gui_palette(GUI_COL_QUESTION_BG));
	float pad = fl(s.pad) * 0.6f;
	float badge = fminf(r.h - pad, fl(line_h(m, s.caption_px)));
	gui_rect b = {r.x + pad, r.y + (r.h - badge) / 2, badge, badge};
	gui_draw_fill(out, b, gui_palette(GUI_COL_QUESTION_BADGE));
	int bpx = (int)(badge * 0.8f);
	gui_draw_text(out, b.x + b.w / 2, b.y + (b.h - fl(line_h(m, bpx))) / 2, bpx, true, GUI_ALIGN_CENTER,
		      gui_palette(GUI_COL_TEXT), "?", SIZE_MAX);
	float tx = b.x + b.w + pad * 1.5f;
	int max_w = (int)(r.x + r.w - pad - tx);
	const char *text = in->question;
	enum { MAX_LINES = 4 };
	gui_line_span lines[MAX_LINES];
	int px = s.caption_px;
	size_t n;
	for (;;) {
		n = gui_wrap(m, px, true, text, strlen(text), max_w, lines, MAX_LINES);
		if ((n <= MAX_LINES && fl((int)n * line_h(m, px)) <= r.h - pad * 0.5f) || px <= s.body_px)
			break;
		px = (int)((float)px * 0.92f);
		if (px < s.body_px)
			px = s.body_px;
	}
	int lh = line_h(m, px);
	size_t fit = (size_t)fmaxf(1.0f, (r.h - pad * 0.5f) / fl(lh));
	if (n > fit)
		n = fit;
	if (n > MAX_LINES)
		n = MAX_LINES;
	float y = r.y + (r.h - fl((int)n * lh)) / 2;
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, tx, y + fl((int)i * lh), px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_QUESTION_TEXT),
			      text + lines[i].offset, lines[i].len);
}

/* ---- bins ---- */

/* Row label of a bin list: family and chunk size class. */
static void bin_row_label(const gui_snapshot *s, const gui_bin_list *b, gui_ui_lang lang, char *out, size_t out_size)
{
	(void)lang;
	sim_size min = UINT64_MAX, max = 0;
	for (size_t i = 0; i < b->shown; i++) {
		size_t ci = gui_snapshot_chunk_index(s, s->entries[b->first_entry + i]);
		if (ci == SIZE_MAX)
			continue;
		sim_size size = s->chunks[ci].size;
		if (size < min)
			min = size;
		if (size > max)
			max = size;
	}
	const char *family = b->place == SIM_PLACE_TCACHE     ? "tcache"
			     : b->place == SIM_PLACE_FASTBIN  ? "fast"
			     : b->place == SIM_PLACE_UNSORTED ? "unsorted"
			     : b->place == SIM_PLACE_SMALLBIN ? "small"
							      : "large";
	if (b->place == SIM_PLACE_UNSORTED || min == UINT64_MAX)
		snprintf(out, out_size, "%s", family);
	else if (min == max)
		snprintf(out, out_size, "%s 0x%" PRIx64, family, min);
	else
		snprintf(out, out_size, "%s 0x%" PRIx64 "+", family, min);
}

static const sim_place bin_family_order[] = {
	SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED, SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN,
};

static const char *family_name(sim_place place)
{
	switch (place) {
	case SIM_PLACE_TCACHE: return "tcache";
	case SIM_PLACE_FASTBIN: return "fast";
	case SIM_PLACE_UNSORTED: return "unsorted";
	case SIM_PLACE_SMALLBIN: return "small";
	default: return "large";
	}
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
		bin_row_label(s, &s->bins[i], lang, label, sizeof label);
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
		size_t lists = 0;
		for (size_t i = 0; i < s->bin_count; i++)
			lists += s->bins[i].place == bin_family_order[f];
		base += lists ? lists : 1;
	}
	size_t spare = rows_fit > base ? rows_fit - base : 0;
	size_t row = 0, listed = 0;
	for (size_t f = 0; f < sizeof bin_family_order / sizeof bin_family_order[0]; f++) {
		sim_place family = bin_family_order[f];
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
				bin_row_label(s, b, lang, label, sizeof label);
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
						char hex[24];
						gui_format_hex(s->entries[e], hex, sizeof hex);
						int sp = (int)(fl(px) * 0.85f);
						if (fl(text_w(m, sp, false, hex)) + 4 <= box_w)
							gui_draw_text(out, x + box_w / 2, ry + 3 + (box_h - fl(line_h(m, sp))) / 2, sp, false,
								      GUI_ALIGN_CENTER, gui_text_on(fill), hex, SIZE_MAX);
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

/* ---- meters ---- */

static double lerp(double a, double b, double t)
{
	return a + (b - a) * t;
}

size_t gui_snapshot_resident(const gui_snapshot *s)
{
	size_t pages = (size_t)((s->brk + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE), absent = 0;
	for (size_t i = 0; i < s->absent_count; i++)
		absent += s->absent[i].count;
	return absent < pages ? pages - absent : 0;
}

size_t gui_meters(const gui_snapshot *a, const gui_snapshot *b, double t, gui_meter *out)
{
	const sim_stats *sb = &b->stats;
	const sim_stats *sa = a ? &a->stats : sb;
	if (!a)
		t = 1.0;
#define V(field) lerp((double)sa->field, (double)sb->field, t)
	/* RSS from the page runs the bar hatches: the meter and the picture
	 * cannot disagree. */
	double rss_a = (double)gui_snapshot_resident(a ? a : b), rss_b = (double)gui_snapshot_resident(b);
	gui_meter meters[GUI_METER_COUNT] = {
		{GUI_S_VMDATA, V(vm_data), 0x333333FFu},
		{GUI_S_RSS, lerp(rss_a, rss_b, t) * SIM_PAGE_SIZE, 0x777777FFu},
		{GUI_S_IN_USE, V(in_use_payload), gui_place_color(SIM_PLACE_INUSE)},
		{GUI_S_OVERHEAD, V(overhead), gui_place_color(SIM_PLACE_TCACHE_STRUCT)},
		{GUI_S_FREE_TCACHE, V(free_by_place[SIM_PLACE_TCACHE]), gui_place_color(SIM_PLACE_TCACHE)},
		{GUI_S_FREE_FAST, V(free_by_place[SIM_PLACE_FASTBIN]), gui_place_color(SIM_PLACE_FASTBIN)},
		{GUI_S_FREE_BINS,
		 V(free_by_place[SIM_PLACE_UNSORTED]) + V(free_by_place[SIM_PLACE_SMALLBIN]) + V(free_by_place[SIM_PLACE_LARGEBIN]),
		 gui_place_color(SIM_PLACE_UNSORTED)},
		{GUI_S_FREE_TOP, V(free_by_place[SIM_PLACE_TOP]), gui_place_color(SIM_PLACE_TOP)},
		{GUI_S_MMAPPED, V(mmap_bytes), gui_place_color(SIM_PLACE_MMAP)},
		{GUI_S_RELEASABLE, V(trim_releasable), gui_palette(GUI_COL_RELEASED)},
	};
#undef V
	memcpy(out, meters, sizeof meters);
	return GUI_METER_COUNT;
}

static void draw_meters(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = panel(m, s, g->meters, gui_str(in->lang, GUI_S_METERS), out);
	gui_meter meters[GUI_METER_COUNT];
	size_t count = gui_meters(in->a, in->b, in->t, meters);
	/* RSS in pages too, as `brksim run` prints it */
	char rss_label[96];
	size_t pages = (size_t)llround(meters[1].value / SIM_PAGE_SIZE);
	if (pages == 1)
		gui_strf(rss_label, sizeof rss_label, in->lang, GUI_S_RSS_PAGE);
	else
		gui_strf(rss_label, sizeof rss_label, in->lang, GUI_S_RSS_PAGES, pages);
	/* The largest text (from small_px down, not below 11 px) whose rows fit. */
	int px = s.small_px;
	while (px > 11 && fl((int)count * (line_h(m, px) + 1)) > r.h)
		px--;
	float row_h = fl(line_h(m, px)) + 1;
	float label_w = 0, value_w = fl(text_w(m, px, true, "1023.9 KiB"));
	for (size_t i = 0; i < count; i++) {
		const char *label = i == 1 ? rss_label : gui_str(in->lang, meters[i].label);
		float w = fl(text_w(m, px, false, label));
		if (w > label_w)
			label_w = w;
	}
	if (label_w > r.w * 0.55f)
		label_w = r.w * 0.55f;
	double max = 1;
	for (size_t i = 0; i < count; i++)
		if (meters[i].value > max)
			max = meters[i].value;
	float bar_x = r.x + label_w + 8, bar_w = r.w - label_w - value_w - 16;
	float bar_h = fmaxf(4.0f, row_h * 0.55f);
	for (size_t i = 0; i < count; i++) {
		float y = r.y + fl((int)i) * row_h;
		if (y + row_h > r.y + r.h + 2)
			break;
		char label[96];
		gui_ellipsize(m, px, false, i == 1 ? rss_label : gui_str(in->lang, meters[i].label), (int)label_w, label, sizeof label);
		gui_draw_text(out, r.x, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), label, SIZE_MAX);
		if (bar_w > 10) {
			float bw = (float)(meters[i].value / max) * bar_w;
			float by = y + (row_h - bar_h) / 2;
			gui_draw_fill(out, (gui_rect){bar_x, by, bar_w, bar_h}, 0xEEEEEAFFu);
			if (meters[i].value > 0 && bw < 2)
				bw = 2;
			gui_draw_fill(out, (gui_rect){bar_x, by, bw, bar_h}, meters[i].color);
		}
		char value[32];
		gui_format_size((uint64_t)llround(meters[i].value), value, sizeof value);
		gui_draw_text(out, r.x + r.w, y, px, true, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT), value, SIZE_MAX);
	}
}

/* ---- source ---- */

static void draw_source(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = panel(m, s, g->source, gui_str(in->lang, GUI_S_SOURCE), out);
	if (!in->source || in->source_len == 0)
		return;
	int px = s.small_px;
	float lh = fl(line_h(m, px));
	size_t visible = (size_t)(r.h / lh);
	if (visible == 0)
		return;
	/* index line starts */
	size_t total = 1;
	for (size_t i = 0; i < in->source_len; i++)
		if (in->source[i] == '\n' && i + 1 < in->source_len)
			total++;
	size_t current = in->current_line;
	size_t first = 1;
	if (current > visible / 2)
		first = current - visible / 2;
	if (first + visible > total + 1)
		first = total + 1 > visible ? total + 1 - visible : 1;
	char number_sample[24];
	snprintf(number_sample, sizeof number_sample, "%zu", total);
	float num_w = fl(text_w(m, px, false, number_sample)) + fl(px) * 0.6f;
	size_t line = 1;
	const char *p = in->source, *end = in->source + in->source_len;
	gui_draw_clip(out, r);
	while (p < end && line < first + visible) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		if (line >= first) {
			float y = r.y + fl((int)(line - first)) * lh;
			bool is_current = line == current;
			if (is_current) {
				gui_draw_fill(out, (gui_rect){r.x - 4, y, r.w + 8, lh}, gui_palette(GUI_COL_HIGHLIGHT_BG));
				gui_draw_fill(out, (gui_rect){r.x - 4, y, 4, lh}, gui_palette(GUI_COL_ACCENT));
			}
			char num[24];
			snprintf(num, sizeof num, "%zu", line);
			gui_draw_text(out, r.x + num_w - fl(px) * 0.6f, y, px, false, GUI_ALIGN_RIGHT, gui_palette(GUI_COL_TEXT_DIM),
				      num, SIZE_MAX);
			/* expand tabs, drop '\r' */
			char text[512];
			size_t n = 0;
			for (const char *c = p; c < line_end && n + 5 < sizeof text; c++) {
				if (*c == '\t') {
					for (int k = 0; k < 4; k++)
						text[n++] = ' ';
				} else if (*c != '\r') {
					text[n++] = *c;
				}
			}
			text[n] = '\0';
			char fitted[512];
			gui_ellipsize(m, px, is_current, text, (int)(r.w - num_w), fitted, sizeof fitted);
			gui_draw_text(out, r.x + num_w, y, px, is_current, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), fitted, SIZE_MAX);
		}
		line++;
		p = nl ? nl + 1 : end;
	}
	gui_draw_unclip(out);
}

/* ---- event log ---- */

bool gui_log_line_bold(const gui_log_line *line)
{
	return line->header || (line->current && line->priority >= GUI_LOG_VERDICT);
}

enum {
	LOG_MAX_LINES = 128,   /* lines considered (the view sends fewer) */
	LOG_ROWS_PER_LINE = 8, /* a longer explanation is cut */
};

typedef struct log_wrap {
	gui_line_span spans[LOG_MAX_LINES][LOG_ROWS_PER_LINE];
	uint8_t rows[LOG_MAX_LINES];
	bool keep[LOG_MAX_LINES];
} log_wrap;

/* Rows of lines [first, end) that are kept. */
static size_t kept_rows(const log_wrap *w, size_t first, size_t end)
{
	size_t n = 0;
	for (size_t i = first; i < end; i++)
		n += w->keep[i] ? w->rows[i] : 0;
	return n;
}

/* Keeps what fits of the group [h, end) (h its header) in `budget` rows,
 * dropping the lowest priority lines, later ones first, and counting one
 * row for the "+N more" note when anything is dropped. Returns the rows
 * used (0 when not even the header fits), the lines dropped and noted,
 * and whether the group was shortened at all. */
static size_t fit_group(const gui_log_line *lines, log_wrap *w, size_t h, size_t end, size_t budget, size_t *noted,
			bool *shortened)
{
	*noted = 0;
	*shortened = false;
	for (size_t i = h; i < end; i++)
		w->keep[i] = true;
	size_t total = kept_rows(w, h, end);
	if (total <= budget)
		return total;
	*shortened = true;
	if ((size_t)w->rows[h] + 1 > budget) {
		/* Not even the header and a note: the header alone, cut to fit. */
		for (size_t i = h + 1; i < end; i++)
			w->keep[i] = false;
		if (w->rows[h] > budget)
			w->rows[h] = (uint8_t)budget;
		return w->rows[h];
	}
	for (int level = GUI_LOG_BOOKKEEPING; level <= GUI_LOG_VERDICT; level++) {
		for (size_t i = end; i-- > h + 1;) {
			if (total + 1 <= budget)
				break;
			if (!w->keep[i] || lines[i].priority != level)
				continue;
			w->keep[i] = false;
			total -= w->rows[i];
			(*noted)++;
		}
		if (total + 1 <= budget)
			break;
	}
	/* Verdicts alone overflow: the rows past the budget are cut. */
	return total + 1 <= budget ? total + 1 : budget;
}

size_t gui_log_layout(const gui_log_line *lines, size_t count, const gui_metrics *m, int px, int width, int indent,
		      size_t max_rows, gui_log_row *rows, size_t capacity)
{
	log_wrap w; /* about 17 KiB */
	if (count > LOG_MAX_LINES) { /* the newest lines matter: skip the oldest */
		lines += count - LOG_MAX_LINES;
		count = LOG_MAX_LINES;
	}
	if (max_rows > capacity)
		max_rows = capacity;
	if (count == 0 || max_rows == 0)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const gui_log_line *l = &lines[i];
		int lw = width - (l->header ? 0 : indent);
		size_t n = gui_wrap(m, px, gui_log_line_bold(l), l->text, strlen(l->text), lw > 8 ? lw : 8, w.spans[i],
				    LOG_ROWS_PER_LINE);
		w.rows[i] = (uint8_t)(n == 0 ? 1 : n > LOG_ROWS_PER_LINE ? LOG_ROWS_PER_LINE : n);
		if (n == 0)
			w.spans[i][0] = (gui_line_span){0, 0};
		w.keep[i] = false;
	}
	/* Groups from the newest: [h, end). */
	size_t budget = max_rows;
	size_t first_shown = count;
	size_t more_of[LOG_MAX_LINES]; /* dropped lines of the group headed at i */
	for (size_t end = count; end > 0 && budget > 0;) {
		size_t h = end - 1;
		while (h > 0 && !lines[h].header)
			h--;
		size_t noted = 0;
		bool shortened = false;
		size_t used = fit_group(lines, &w, h, end, budget, &noted, &shortened);
		if (used == 0)
			break;
		more_of[h] = noted;
		first_shown = h;
		budget -= used;
		if (shortened)
			break; /* a shortened group is the oldest one shown */
		end = h;
	}
	size_t n = 0;
	for (size_t i = first_shown; i < count; i++) {
		if (w.keep[i])
			for (size_t k = 0; k < w.rows[i] && n < max_rows; k++)
				rows[n++] = (gui_log_row){(uint32_t)i, (uint32_t)w.spans[i][k].offset, (uint32_t)w.spans[i][k].len, 0, k > 0};
		bool group_end = i + 1 == count || lines[i + 1].header;
		if (group_end) {
			size_t h = i;
			while (h > first_shown && !lines[h].header)
				h--;
			if (more_of[h] && n < max_rows)
				rows[n++] = (gui_log_row){(uint32_t)h, 0, 0, (uint32_t)more_of[h], false};
		}
	}
	return n;
}

static void draw_log(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	gui_scale s = g->scale;
	gui_rect r = panel(m, s, g->log, gui_str(in->lang, GUI_S_EVENTS), out);
	int px = s.small_px;
	float lh = fl(line_h(m, px));
	size_t visible = (size_t)((r.h + 2) / lh);
	if (in->log_count == 0 || visible == 0) {
		gui_draw_text(out, r.x, r.y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM),
			      gui_str(in->lang, GUI_S_NO_EVENTS), SIZE_MAX);
		return;
	}
	enum { MAX_ROWS = 96 };
	gui_log_row rows[MAX_ROWS];
	float indent = fl(px) * 1.2f;
	size_t n = gui_log_layout(in->log, in->log_count, m, px, (int)r.w, (int)indent, visible, rows, MAX_ROWS);
	const gui_log_line *base = in->log_count > LOG_MAX_LINES ? in->log + (in->log_count - LOG_MAX_LINES) : in->log;
	for (size_t i = 0; i < n; i++) {
		const gui_log_line *l = &base[rows[i].line];
		float y = r.y + fl((int)i) * lh;
		if (l->current)
			gui_draw_fill(out, (gui_rect){r.x - 4, y, r.w + 8, lh}, gui_palette(GUI_COL_HIGHLIGHT_BG));
		if (rows[i].more) {
			char more[64];
			gui_strf(more, sizeof more, in->lang, GUI_S_MORE_LINES, (size_t)rows[i].more);
			gui_draw_text(out, r.x + indent, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT_DIM), more, SIZE_MAX);
			continue;
		}
		float x = l->header && !rows[i].continuation ? r.x : r.x + indent;
		if (l->current && l->priority >= GUI_LOG_VERDICT && !l->header && !rows[i].continuation)
			gui_draw_fill(out, (gui_rect){r.x + indent * 0.35f, y + lh * 0.3f, indent * 0.35f, lh * 0.4f},
				      gui_palette(GUI_COL_ACCENT));
		gui_draw_text(out, x, y, px, gui_log_line_bold(l), GUI_ALIGN_LEFT,
			      l->current ? gui_palette(GUI_COL_TEXT) : gui_palette(GUI_COL_TEXT_DIM), l->text + rows[i].offset,
			      rows[i].len);
	}
}

/* ---- flights: chunks moving between the bar and the bins ---- */

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

static void draw_flights(const gui_frame_input *in, const gui_frame_geometry *g, gui_rect bins_area,
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

/* ---- tooltip ---- */

size_t gui_tooltip_lines(const gui_snapshot *s, size_t index, size_t chunks_in_pixel, const char *const *slot_names,
			 size_t slot_count, gui_ui_lang lang, char lines[][128], size_t max_lines)
{
	if (index >= s->chunk_count || max_lines == 0)
		return 0;
	const sim_chunk_info *c = &s->chunks[index];
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
	char size[32];
	gui_format_size(c->size, size, sizeof size);
	LINE("%s 0x%" PRIx64 " – 0x%" PRIx64 "   %s 0x%" PRIx64 " (%s)", gui_str(lang, GUI_S_CHUNK), c->addr, c->addr + c->size,
	     gui_str(lang, GUI_S_SIZE), c->size, size);
	if (c->place == SIM_PLACE_INUSE) {
		char req[32];
		gui_format_size(c->request, req, sizeof req);
		LINE("%s 0x%" PRIx64 "   %s %" PRIu64 " B", gui_str(lang, GUI_S_USER_PTR), c->addr + 16, gui_str(lang, GUI_S_REQUEST),
		     c->request);
	}
	LINE("%s: P=%d (%s) M=0", gui_str(lang, GUI_S_FLAGS), c->prev_inuse ? 1 : 0,
	     lang == GUI_UI_ZH ? (c->prev_inuse ? "前一块在用" : "前一块空闲") : (c->prev_inuse ? "previous chunk in use" : "previous chunk free"));
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

static void draw_tooltip(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
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
	size_t n = gui_tooltip_lines(in->b, hit.chunk, hit.chunks_in_pixel, in->slot_names, in->slot_count, in->lang, lines, 8);
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
	gui_draw_fill(out, (gui_rect){box.x, box.y, 6, box.h}, gui_place_color((sim_place)in->b->chunks[hit.chunk].place));
	for (size_t i = 0; i < n; i++)
		gui_draw_text(out, box.x + pad + 4, box.y + pad + fl((int)i) * lh, px, i == 0, GUI_ALIGN_LEFT,
			      gui_palette(GUI_COL_TOOLTIP_TEXT), lines[i], SIZE_MAX);
}

/* ---- help overlay and toast ---- */

static void draw_help(const gui_frame_input *in, gui_scale s, gui_drawlist *out)
{
	const gui_metrics *m = in->metrics;
	/* An opaque backdrop: blending the whole window costs the software
	 * renderer tens of milliseconds, and the help replaces the view anyway. */
	gui_draw_fill(out, (gui_rect){0, 0, fl(in->width), fl(in->height)}, gui_palette(GUI_COL_OVERLAY) | 0xffu);
	const gui_help_line *lines = gui_help_lines(in->lang);
	size_t n = 0;
	while (lines[n].keys)
		n++;
	/* As large as fits: the help is read from the back of the room too. */
	int px = (int)(fl(s.caption_px) * 0.8f);
	float keys_w, what_w, lh;
	for (;;) {
		keys_w = what_w = 0;
		for (size_t i = 0; i < n; i++) {
			float kw = fl(text_w(m, px, true, lines[i].keys)), ww = fl(text_w(m, px, false, lines[i].what));
			keys_w = fmaxf(keys_w, kw);
			what_w = fmaxf(what_w, ww);
		}
		lh = fl(line_h(m, px)) * 1.1f;
		bool fits = fl((int)n + 3) * lh <= fl(in->height) * 0.92f && keys_w + what_w + fl(s.pad) * 5 <= fl(in->width) * 0.95f;
		if (fits || px <= 12)
			break;
		px--;
	}
	float pad = fl(s.pad) * 1.5f;
	float title_h = fl(line_h(m, s.title_px)) * 1.3f;
	float w = keys_w + what_w + pad * 3;
	if (w > fl(in->width) - 20)
		w = fl(in->width) - 20;
	float h = title_h + fl((int)n) * lh + 2 * pad;
	gui_rect box = {(fl(in->width) - w) / 2, (fl(in->height) - h) / 2, w, h};
	gui_draw_fill(out, box, gui_palette(GUI_COL_PANEL));
	gui_draw_outline(out, box, 3, gui_palette(GUI_COL_ACCENT));
	gui_draw_text(out, box.x + pad, box.y + pad, s.title_px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT),
		      gui_str(in->lang, GUI_S_HELP_TITLE), SIZE_MAX);
	for (size_t i = 0; i < n; i++) {
		float y = box.y + pad + title_h + fl((int)i) * lh;
		gui_draw_text(out, box.x + pad, y, px, true, GUI_ALIGN_LEFT, gui_palette(GUI_COL_ACCENT), lines[i].keys, SIZE_MAX);
		gui_draw_text(out, box.x + pad * 2 + keys_w, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), lines[i].what,
			      SIZE_MAX);
	}
}

static void draw_toast(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	if (!in->toast || in->toast_alpha <= 0)
		return;
	const gui_metrics *m = in->metrics;
	int px = g->scale.body_px;
	float w = fl(text_w(m, px, false, in->toast)) + 32;
	float h = fl(line_h(m, px)) + 16;
	gui_rect box = {(fl(in->width) - w) / 2, g->timeline.y - h - 12, w, h};
	gui_draw_fill(out, box, gui_rgba_with_alpha(gui_palette(GUI_COL_TOOLTIP_BG), in->toast_alpha));
	gui_draw_text(out, box.x + 16, box.y + 8, px, false, GUI_ALIGN_LEFT,
		      gui_rgba_with_alpha(gui_palette(GUI_COL_TOOLTIP_TEXT), in->toast_alpha), in->toast, SIZE_MAX);
}

/* ---- the frame ---- */

void gui_frame_scratch_release(gui_frame_scratch *scratch)
{
	gui_seg_list_release(&scratch->segs);
	free(scratch->entry_rects[0]);
	free(scratch->entry_rects[1]);
	memset(scratch, 0, sizeof *scratch);
}

void gui_frame_layout(const gui_frame_input *in, gui_frame_scratch *scratch, gui_drawlist *out)
{
	gui_frame_geometry g = gui_frame_geometry_for(in->width, in->height, in->metrics, in->question != NULL);
	gui_scale s = g.scale;
	if (in->help) { /* the help's opaque backdrop would hide the view: skip it */
		draw_help(in, s, out);
		return;
	}
	gui_draw_fill(out, (gui_rect){0, 0, fl(in->width), fl(in->height)}, gui_palette(GUI_COL_BACKGROUND));
	draw_header(in, &g, out);
	draw_strip(in, &g, out);

	gui_heap_input heap = {
		.a = in->a,
		.b = in->b,
		.t = in->a ? in->t : 1.0,
		.view = in->view,
		.extent = in->extent,
		.slot_names = in->slot_names,
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
		.quiz = in->question != NULL,
	};
	if (in->mouse_in_window && !in->a && !in->help && in->mouse_y >= g.bar.y && in->mouse_y < g.bar.y + g.bar.h) {
		gui_bar_hit hit = gui_bar_hit_test(in->b, g.bar, in->view, in->mouse_x);
		heap.hover = hit.chunk != SIZE_MAX;
		heap.hover_chunk = hit.chunk;
	}
	gui_heap_layout(&heap, &scratch->segs, out);
	draw_legend(in, &g, out);
	draw_caption(in, &g, out);
	draw_question(in, &g, out);

	gui_rect bins_area = panel(in->metrics, s, g.bins, gui_str(in->lang, GUI_S_BINS), out);
	const gui_snapshot *bins_state = (in->a && in->t < 0.5) ? in->a : in->b;
	gui_draw_clip(out, bins_area);
	gui_bins_layout(bins_state, bins_area, in->metrics, s, in->lang, NULL, out);
	gui_draw_unclip(out);
	draw_meters(in, &g, out);
	draw_source(in, &g, out);
	draw_log(in, &g, out);

	gui_timeline_input tl = {
		.area = g.timeline,
		.length = in->length,
		.step = in->playhead,
		.columns = in->tick_columns,
		.column_count = in->tick_column_count,
		.marks = in->marks,
		.mark_count = in->mark_count,
		.metrics = in->metrics,
		.scale = s,
		.lang = in->lang,
		.hover = in->mouse_in_window && !in->help,
		.hover_x = in->mouse_x,
		.hover_y = in->mouse_y,
		.window_w = fl(in->width),
	};
	gui_timeline_layout(&tl, out);
	draw_flights(in, &g, bins_area, scratch, out);
	draw_tooltip(in, &g, out);
	draw_toast(in, &g, out);
	/* The background only where panels and bands do not cover it. */
	gui_drawlist_cull_background(out, in->width, in->height);
}
