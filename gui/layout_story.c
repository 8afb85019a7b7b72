/* layout_story.c — the RSS story panel (G): VmData, RSS and bytes in use
 * over the whole run as three curves (each column the largest value over
 * its steps), a marker at the step shown and one at the peak, and a few
 * lines of text the view prepared (the peak, what pins the top); under
 * --compare the other profile's VmData and RSS dashed. Drawn over the
 * lower panels (over the heap bars when presenting or comparing). Must
 * not: include SDL or compute the story. */
#include "layout_panels.h"

#include "palette.h"

/* 0xRRGGBB, opaque (gui_rgba is 0xRRGGBBAA). */
static gui_rgba rgb(uint32_t v)
{
	return (gui_rgba)(v << 8 | 0xFFu);
}

/* A curve through each of `columns` values spread over `span` of the
 * plot's width (a side that stopped early ends early); dashed: every
 * other piece left out, for the other profile under --compare. */
static void curve(gui_drawlist *out, gui_rect plot, double scale, const double *v, size_t columns, float span,
                  bool dashed, gui_rgba colour)
{
	if (columns == 0 || scale <= 0)
		return;
	float prev_x = 0, prev_y = 0;
	float dash = 0; /* width drawn or skipped so far in this dash */
	bool pen = true;
	for (size_t c = 0; c < columns; c++) {
		float x = plot.x + plot.w * span * ((float)c + 0.5f) / (float)columns;
		float y = plot.y + plot.h - plot.h * (float)(v[c] / scale);
		if (c > 0 && pen)
			gui_draw_line(out, prev_x, prev_y, x, y, 2, colour);
		if (dashed) {
			/* dashes of about 8 px whatever the column width */
			dash += x - prev_x;
			if (c > 0 && dash >= 8) {
				pen = !pen;
				dash = 0;
			}
		}
		prev_x = x;
		prev_y = y;
	}
}

/* A legend swatch: a bar, or three dashes for the other profile. */
static void swatch(gui_drawlist *out, float x, float y, bool dashed, gui_rgba colour)
{
	if (!dashed) {
		gui_draw_fill(out, (gui_rect){x, y, 16, 4}, colour);
		return;
	}
	for (int i = 0; i < 3; i++)
		gui_draw_fill(out, (gui_rect){x + (float)i * 7, y, 4, 4}, colour);
}

static float step_x(gui_rect plot, const gui_story *s, size_t step)
{
	if (s->length == 0)
		return plot.x;
	return plot.x + plot.w * (float)step / (float)s->length;
}

gui_rect gui_frame_story_rect(const gui_frame_geometry *g)
{
	/* Two heaps (--compare) leave the lower panels too short for a plot
	 * under the legend and the sides' lines (150 px at 720p): there the
	 * story goes over the bars, as when presenting. */
	bool compare = g->side_label[0].h > 0;
	if (!compare && g->bins.w > 0 && g->log.w > 0) {
		/* The room of the four lower panels. */
		float x0 = g->bins.x, y0 = g->bins.y;
		float x1 = g->log.x + g->log.w, y1 = g->log.y + g->log.h;
		if (g->source.y + g->source.h > y1)
			y1 = g->source.y + g->source.h;
		return (gui_rect){x0, y0, x1 - x0, y1 - y0};
	}
	/* Presenting: the heap's bands, from the first (a side's label row
	 * when comparing, else the callout band) down to the caption. */
	float top = g->callout.h > 0 ? g->callout.y : g->bar.y;
	if (g->side_label[0].h > 0 && g->side_label[0].y < top)
		top = g->side_label[0].y;
	float bottom = g->caption.y - fl(g->scale.pad) * 0.3f;
	if (g->bar.w <= 0 || bottom <= top)
		return (gui_rect){0, 0, 0, 0};
	return (gui_rect){g->bar.x, top, g->bar.w, bottom - top};
}

/* The story's sentences from y down, each cut to the panel's width, as
 * many as the panel holds. */
static void sentences(gui_drawlist *out, const gui_metrics *m, int px, const gui_story *s, gui_rect content, float y)
{
	float lh = fl(line_h(m, px));
	for (size_t i = 0; i < GUI_STORY_LINES && y + lh <= content.y + content.h + 0.5f; i++) {
		if (!s->lines[i])
			continue;
		char fitted[400];
		gui_ellipsize(m, px, false, s->lines[i], (int)content.w - 16, fitted, sizeof fitted);
		gui_draw_text(out, content.x + 8, y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), fitted, SIZE_MAX);
		y += lh;
	}
}

void gui_story_draw(const gui_frame_input *in, const gui_frame_geometry *g, gui_drawlist *out)
{
	const gui_story *s = in->story;
	gui_rect r = gui_frame_story_rect(g);
	if (!s || r.w <= 0 || r.h <= 0)
		return;
	const gui_metrics *m = in->metrics;
	gui_scale sc = g->scale;
	gui_rect content = gui_panel_frame(m, sc, r, s->title, out);
	int px = sc.body_px;
	int lh = line_h(m, px);
	size_t text_lines = 0;
	for (size_t i = 0; i < GUI_STORY_LINES; i++)
		text_lines += s->lines[i] != NULL;
	float legend_h = fl(lh) + 6;
	float text_h = fl(lh) * (float)text_lines + 4;
	gui_rect plot = {content.x + 8, content.y + legend_h, content.w - 16, content.h - legend_h - text_h - 8};
	if (plot.h < 20 || plot.w < 40) {
		/* No room for the curves (a 640x480 window): the sentences, as
		 * many as fit, rather than an empty panel under its title. */
		sentences(out, m, px, s, content, content.y);
		return;
	}
	static const uint32_t colours[3] = {0x222222, 0x0072B2, 0x009E73};
	/* the legend */
	float lx = content.x + 8;
	for (int i = 0; i < 4; i++) {
		bool other = i == 3;
		if (other && (s->columns2 == 0 || !s->legend2))
			break;
		const char *name = other ? s->legend2 : s->legend[i] ? s->legend[i] : "";
		swatch(out, lx, content.y + (float)lh / 2 - 2, other, rgb(colours[other ? 0 : i]));
		gui_draw_text(out, lx + 22, content.y, px, false, GUI_ALIGN_LEFT, gui_palette(GUI_COL_TEXT), name, SIZE_MAX);
		lx += 22 + fl(text_w(m, px, false, name)) + 24;
	}
	gui_draw_outline(out, plot, 1, gui_palette(GUI_COL_PANEL_EDGE));
	/* the peak, then the step shown */
	float pxk = step_x(plot, s, s->peak_step);
	gui_draw_line(out, pxk, plot.y, pxk, plot.y + plot.h, 1, gui_palette(GUI_COL_TICK_TRIM));
	float span2 = s->length > 0 ? (float)s->length2 / (float)s->length : 0;
	curve(out, plot, s->scale, s->rss2, s->columns2, span2, true, rgb(colours[1]));
	curve(out, plot, s->scale, s->vm2, s->columns2, span2, true, rgb(colours[0]));
	curve(out, plot, s->scale, s->in_use, s->columns, 1, false, rgb(colours[2]));
	curve(out, plot, s->scale, s->rss, s->columns, 1, false, rgb(colours[1]));
	curve(out, plot, s->scale, s->vm, s->columns, 1, false, rgb(colours[0]));
	float here = step_x(plot, s, s->step);
	gui_draw_line(out, here, plot.y - 4, here, plot.y + plot.h + 4, 3, gui_palette(GUI_COL_ACCENT));
	sentences(out, m, px, s, content, plot.y + plot.h + 6);
}
