/* report.c — `brksim run --report`: the RSS story (trace/report.h)
 * in words on the terminal, or as a standalone SVG file (--report=svg
 * FILE).
 *
 * Owns: the wording of the report (English and Chinese, the glossary's
 * terms), the text sparklines, the SVG drawing, and the SVG file's
 * creation. Must not: compute anything about the heap (report.c does),
 * or write to a file it did not create: the SVG goes to a new file, over
 * an earlier brksim report (its second line is REPORT_SVG_MARK) or into a
 * device (io/own_output.h). */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "describe.h"
#include "io/own_output.h"
#include "lang/utf8.h"
#include "sim/glossary.h"
#include "trace/site_text.h"

#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))
/* The mark of an SVG brksim wrote (no "--" inside: XML comments forbid it). */
#define REPORT_SVG_MARK "<!-- brksim-report 1: the RSS story, written by brksim run -->"
#define SPARK_COLUMNS 60
#define GROUPS_SHOWN 10

/* "48 B", "1.5 KiB", "188 KiB", "3.2 MiB". */
static const char *human(uint64_t v, char *buf, size_t size)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double x = (double)v;
	int u = 0;
	while (x >= 1024 && u < 4) {
		x /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%llu B", (unsigned long long)v);
	else if (x < 10)
		snprintf(buf, size, "%.1f %s", x, units[u]);
	else
		snprintf(buf, size, "%.0f %s", x, units[u]);
	return buf;
}

/* ---- text ---- */

typedef enum measure { M_VM = 0, M_RSS, M_IN_USE, M_COUNT } measure;

static uint64_t bucket_max(const trace_report_bucket *b, measure m)
{
	return m == M_VM ? b->vm_data_max : m == M_RSS ? b->rss_max : b->in_use_max;
}

static uint64_t bucket_min(const trace_report_bucket *b, measure m)
{
	return m == M_VM ? b->vm_data_min : m == M_RSS ? b->rss_min : b->in_use_min;
}

/* One line of eighth-blocks: each column the largest value over its steps,
 * scaled to the largest of all three measures (so the lines compare). */
static void sparkline(FILE *out, const trace_report *r, measure m, uint64_t scale)
{
	static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
	size_t cols = r->bucket_count < SPARK_COLUMNS ? r->bucket_count : SPARK_COLUMNS;
	for (size_t c = 0; c < cols; c++) {
		size_t lo = c * r->bucket_count / cols, hi = (c + 1) * r->bucket_count / cols;
		uint64_t v = 0;
		for (size_t b = lo; b < hi; b++)
			if (bucket_max(&r->buckets[b], m) > v)
				v = bucket_max(&r->buckets[b], m);
		if (v == 0 || scale == 0) {
			fputc(' ', out);
			continue;
		}
		size_t level = (size_t)((double)v * 8 / (double)scale);
		fputs(blocks[level >= 8 ? 7 : level], out);
	}
}

/* A group's row text: its name or call site (`site`: the group's label,
 * or a shorter form of it), and what holds it. */
static const char *group_label_as(const trace_report_group *g, const char *site, sim_lang lang, char *buf, size_t size)
{
	char esc[400];
	/* No owner: an in-use chunk whose pointer the program lost; a
	 * held one glibc put there itself (a bin's chunk a malloc moved to
	 * the tcache) or whose owner's name was taken by a later
	 * allocation: freed, so no leak.
	 * What a call left (a realloc's old chunk or the part it cut off,
	 * the parts around an aligned chunk) goes by that call's pointer,
	 * which may be in use. */
	const char *text = site[0] ? describe_escaped(site, esc, sizeof esc)
			   : g->held != 0 ? L(lang, "(no owner known)", "（所有者不明）")
					  : L(lang, "(no pointer left: leaked)", "（指针已不在：泄漏）");
	const char *left = g->left_by == SIM_LEFT_BY_REALLOC    ? L(lang, ", what a realloc left", "，realloc 留下的块")
			   : g->left_by == SIM_LEFT_BY_MEMALIGN ? L(lang, ", what an aligned allocation left", "，对齐分配留下的块")
			   : g->left_by == SIM_LEFT_BY_FORK
			       ? L(lang, ", freed into a tcache the fork left behind (in use for good)", "，释放进了 fork 时丢下的 tcache（永远算作使用中）")
			       : "";
	const char *held = g->held == SIM_PLACE_TCACHE  ? L(lang, ", freed, held by the tcache", "，已释放，留在 tcache 中")
			   : g->held == SIM_PLACE_FASTBIN ? L(lang, ", freed, held by a fastbin", "，已释放，留在 fastbin 中")
							  : "";
	if (g->left_by != SIM_LEFT_BY_NONE && g->left_by != SIM_LEFT_BY_FORK)
		held = g->held == SIM_PLACE_TCACHE ? L(lang, ", held by the tcache", "，留在 tcache 中")
						   : L(lang, ", held by a fastbin", "，留在 fastbin 中");
	snprintf(buf, size, "%s%s%s", text, left, held);
	return buf;
}

static const char *group_label(const trace_report_group *g, sim_lang lang, char *buf, size_t size)
{
	return group_label_as(g, g->label, lang, buf, size);
}

/* The chunk that pins the top with no free run right below it (the chunk
 * below is in use, or held by the tcache or a fastbin): it is named for
 * the pin alone, without the "0 B  0" of a run it does not hold. */
static bool is_bare_pin(const trace_report_group *g)
{
	return g->pins_top && g->bytes == 0;
}

static const char *bare_pin_words(sim_lang lang)
{
	return L(lang, "   \u2190 pins the top (nothing in the bins right below it)", "   \u2190 钉住 top（它正下方没有 bins 中的空闲块）");
}

static void print_set(FILE *out, const trace_report_set *s, sim_lang lang, bool pins)
{
	char a[32], label[512];
	if (s->count == 0) {
		fprintf(out, "    %s\n", pins ? L(lang, "(no free memory is held below any chunk)", "（没有任何块压住空闲内存）")
				       : L(lang, "(nothing)", "（无）"));
		return;
	}
	size_t shown = s->count < GROUPS_SHOWN ? s->count : GROUPS_SHOWN;
	for (size_t i = 0; i < shown; i++) {
		const trace_report_group *g = &s->groups[i];
		if (pins && is_bare_pin(g)) {
			fprintf(out, "    %10s  %6s  %s%s\n", "", "", group_label(g, lang, label, sizeof label), bare_pin_words(lang));
			continue;
		}
		fprintf(out, "    %10s  %6zu  %s", human(g->bytes, a, sizeof a), g->count, group_label(g, lang, label, sizeof label));
		if (pins && g->pins_top)
			fprintf(out, "%s", L(lang, "   \u2190 pins the top", "   \u2190 钉住 top"));
		fputc('\n', out);
	}
	if (s->count > shown) {
		uint64_t rest = 0;
		for (size_t i = shown; i < s->count; i++)
			rest += s->groups[i].bytes;
		fprintf(out, L(lang, "    %10s  and %zu more\n", "    %10s  另有 %zu 组\n"), human(rest, a, sizeof a), s->count - shown);
	}
}

void report_print_text(FILE *out, const trace_report *r, sim_lang lang)
{
	char a[32], b[32], c[32];
	uint64_t scale = r->vm_data_peak;
	if (r->rss_peak > scale)
		scale = r->rss_peak;
	if (r->in_use_peak > scale)
		scale = r->in_use_peak;
	fprintf(out, L(lang, "\nthe RSS story (steps 1 to %zu)\n", "\nRSS 的变化（第 1 到 %zu 步）\n"), r->steps);
	static const measure order[] = {M_VM, M_RSS, M_IN_USE};
	for (size_t i = 0; i < 3; i++) {
		measure m = order[i];
		const char *name = m == M_VM ? "VmData  " : m == M_RSS ? "RSS     " : L(lang, "in use  ", "使用中  ");
		uint64_t peak = m == M_VM ? r->vm_data_peak : m == M_RSS ? r->rss_peak : r->in_use_peak;
		size_t at = m == M_VM ? r->vm_data_peak_step : m == M_RSS ? r->rss_peak_step : r->in_use_peak_step;
		uint64_t end = m == M_VM ? r->end_vm_data : m == M_RSS ? r->end_rss : r->end_in_use;
		fprintf(out, "  %s", name);
		sparkline(out, r, m, scale);
		fprintf(out, L(lang, "  peak %s at step %zu, %s at the end\n", "  峰值 %s（第 %zu 步），最后 %s\n"),
			human(peak, a, sizeof a), at, human(end, b, sizeof b));
	}
	if (r->arenas)
		fprintf(out, "%s",
			L(lang,
			  "  (VmData and RSS: the brk heap and the threads' arenas' heaps; in use: the bytes asked for and not "
			  "freed, mmapped chunks included; each column is the largest value over its steps)\n",
			  "  （VmData 和 RSS：brk 堆和各线程 arena 的堆；使用中：已申请、尚未释放的字节，包括 mmap 块；每一列是它所含步骤中的最大值）\n"));
	else
		fprintf(out, "%s",
			L(lang,
			  "  (VmData and RSS: the brk heap; in use: the bytes asked for and not freed, mmapped chunks included; "
			  "each column is the largest value over its steps)\n",
			  "  （VmData 和 RSS：brk 堆；使用中：已申请、尚未释放的字节，包括 mmap 块；每一列是它所含步骤中的最大值）\n"));
	if (r->peak_mmap > 0 || r->end_mmap > 0)
		fprintf(out, L(lang, "  mmapped chunks besides: %s at the peak, %s at the end\n", "  另有 mmap 块：峰值时 %s，最后 %s\n"),
			human(r->peak_mmap, a, sizeof a), human(r->end_mmap, b, sizeof b));
	if (lang == SIM_LANG_ZH)
		fprintf(out, "\n" GLOSS_ZH_PEAK "（第 %zu 步，使用中的字节最多）：%s 使用中，共 %zu 次" GLOSS_ZH_ALLOCATION "；VmData %s，RSS %s\n",
			r->peak_step, human(r->live_at_peak.bytes, c, sizeof c), r->live_at_peak.allocations,
			human(r->peak_vm_data, a, sizeof a), human(r->peak_rss, b, sizeof b));
	else
		fprintf(out, "\n" GLOSS_EN_PEAK " (step %zu, the most bytes in use): %s in use in %zu allocation%s; VmData %s, RSS %s\n",
			r->peak_step, human(r->live_at_peak.bytes, c, sizeof c), r->live_at_peak.allocations,
			r->live_at_peak.allocations == 1 ? "" : "s", human(r->peak_vm_data, a, sizeof a), human(r->peak_rss, b, sizeof b));
	const char *by = r->by_site ? L(lang, "by " GLOSS_EN_CALL_SITE, "按" GLOSS_ZH_CALL_SITE) : L(lang, "by name", "按名字");
	fprintf(out, L(lang, "  " GLOSS_EN_LIVE_SET " at the peak, %s (bytes, allocations):\n",
		       "  峰值时的" GLOSS_ZH_LIVE_SET "，%s（字节，分配次数）：\n"),
		by);
	print_set(out, &r->live_at_peak, lang, false);
	fprintf(out, L(lang, "  " GLOSS_EN_LIVE_SET " at the end (step %zu), %s:\n", "  最后（第 %zu 步）的" GLOSS_ZH_LIVE_SET "，%s：\n"),
		r->steps, by);
	print_set(out, &r->live_at_end, lang, false);
	fprintf(out,
		L(lang, "  free memory held below chunks at the end, %s (bytes pinned, chunks):\n",
		  "  最后被块压住的空闲内存，%s（被钉住的字节，块数）：\n"),
		by);
	print_set(out, &r->pinned_at_end, lang, true);
}

/* ---- SVG ---- */

/* Text for an SVG text node: escaped for a terminal first (no control or
 * bidi character, valid UTF-8), then for XML. */
static void svg_xml(FILE *f, const char *esc, size_t len)
{
	for (const char *p = esc; p < esc + len; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*p, f); break;
		}
	}
}

static void svg_text(FILE *f, const char *s)
{
	char esc[1024];
	utf8_escape(s, strlen(s), UTF8_ESCAPE_LINE, esc, sizeof esc, NULL);
	svg_xml(f, esc, strlen(esc));
}

/* A character's width in a 13 px sans-serif (DejaVu Sans's, rounded up),
 * near enough to keep a row inside the picture without cutting one that
 * fits: spaces, punctuation and narrow letters about 0.4 em, digits and
 * most lower-case letters 0.64, capitals and m, w 0.8, and a CJK
 * character (or anything from U+1100 on: the arrows too) a whole em. */
static double svg_char_px(const unsigned char *c)
{
	if (*c >= 0xe1)
		return 13;
	if (*c < 0x80 && strchr(" .,:;'!|()[]{}ijlrtf-/", *c))
		return 13 * 0.4;
	if ((*c >= 'A' && *c <= 'Z') || *c == 'm' || *c == 'w' || *c == '@' || *c == '%')
		return 13 * 0.8;
	return 13 * 0.64;
}

static double svg_text_px(const char *s)
{
	double w = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if ((*c & 0xc0) != 0x80)
			w += svg_char_px(c);
	return w;
}

/* A table row's label and its ending: a label too long for the room
 * (a C++ call site's name can take hundreds of characters) is cut with
 * "…" so that the row stays inside the picture and the ending shows. */
static void svg_label_text(FILE *f, const char *label, const char *ending, double room)
{
	char esc[1024];
	utf8_escape(label, strlen(label), UTF8_ESCAPE_LINE, esc, sizeof esc, NULL);
	double budget = room - svg_text_px(ending), w = 0;
	size_t cut = strlen(esc);
	if (svg_text_px(esc) > budget) {
		budget -= 13; /* the "…" */
		for (size_t i = 0; esc[i]; i++) {
			const unsigned char *c = (const unsigned char *)esc + i;
			if ((*c & 0xc0) == 0x80)
				continue;
			if (w + svg_char_px(c) > budget) {
				cut = i;
				break;
			}
			w += svg_char_px(c);
		}
	}
	svg_xml(f, esc, cut);
	if (esc[cut])
		fputs("\u2026", f);
	svg_text(f, ending);
}

enum { SVG_W = 960, PLOT_X = 80, PLOT_Y = 60, PLOT_W = 840, PLOT_H = 280 };
/* The tables' columns: bytes and count right-aligned, then the label;
 * the legend's second entry this far from the first, its third on a row
 * below (in a row of three its English text ran past the picture's
 * edge); a row's height */
enum { SVG_BYTES_X = 120, SVG_COUNT_X = 210, SVG_LABEL_X = 226, SVG_LEGEND_STEP = 290, SVG_ROW = 18 };

static void svg_series(FILE *f, const trace_report *r, measure m, uint64_t scale, const char *colour)
{
	if (r->bucket_count == 0 || scale == 0)
		return;
	/* The band between each column's least and largest value, then the
	 * line through the largest. */
	fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"", colour);
	for (size_t b = 0; b < r->bucket_count; b++) {
		double x = PLOT_X + (double)PLOT_W * ((double)b + 0.5) / (double)r->bucket_count;
		double y = PLOT_Y + PLOT_H - (double)PLOT_H * (double)bucket_max(&r->buckets[b], m) / (double)scale;
		fprintf(f, "%.1f,%.1f ", x, y);
	}
	for (size_t b = r->bucket_count; b-- > 0;) {
		double x = PLOT_X + (double)PLOT_W * ((double)b + 0.5) / (double)r->bucket_count;
		double y = PLOT_Y + PLOT_H - (double)PLOT_H * (double)bucket_min(&r->buckets[b], m) / (double)scale;
		fprintf(f, "%.1f,%.1f ", x, y);
	}
	fprintf(f, "\"/>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
	for (size_t b = 0; b < r->bucket_count; b++) {
		double x = PLOT_X + (double)PLOT_W * ((double)b + 0.5) / (double)r->bucket_count;
		double y = PLOT_Y + PLOT_H - (double)PLOT_H * (double)bucket_max(&r->buckets[b], m) / (double)scale;
		fprintf(f, "%.1f,%.1f ", x, y);
	}
	fputs("\"/>\n", f);
}

/* A table of groups under a heading, from y on; returns the next y. */
static int svg_set(FILE *f, int y, const char *heading, const trace_report_set *s, sim_lang lang, bool pins)
{
	char a[32], label[512];
	fprintf(f, "<text x=\"20\" y=\"%d\" font-weight=\"bold\">", y);
	svg_text(f, heading);
	fputs("</text>\n", f);
	y += 20;
	size_t shown = s->count < GROUPS_SHOWN ? s->count : GROUPS_SHOWN;
	if (shown == 0) {
		fprintf(f, "<text x=\"40\" y=\"%d\">", y);
		svg_text(f, L(lang, "(nothing)", "（无）"));
		fputs("</text>\n", f);
		return y + 26;
	}
	for (size_t i = 0; i < shown; i++) {
		const trace_report_group *g = &s->groups[i];
		/* (the count's column holds 10 digits: at 13 px, 6 of them ran
		 * into the bytes' column when it held 5) */
		bool bare = pins && is_bare_pin(g);
		if (!bare) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", SVG_BYTES_X, y,
			        human(g->bytes, a, sizeof a));
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu</text>", SVG_COUNT_X, y, g->count);
		}
		fprintf(f, "<text x=\"%d\" y=\"%d\">", SVG_LABEL_X, y);
		const char *ending = bare                   ? bare_pin_words(lang)
				     : pins && g->pins_top ? L(lang, "   \u2190 pins the top", "   \u2190 钉住 top")
							   : "";
		/* a C++ call site too long for the row is said without its
		 * arguments before the row is cut: the cut took what holds the
		 * chunk ("…, freed, held by …   ← pins the top") */
		double room = SVG_W - 20 - SVG_LABEL_X;
		const char *text = group_label(g, lang, label, sizeof label);
		char short_site[512];
		if (svg_text_px(text) + svg_text_px(ending) > room &&
		    trace_site_without_args(g->label, short_site, sizeof short_site))
			text = group_label_as(g, short_site, lang, label, sizeof label);
		svg_label_text(f, text, ending, room);
		fputs("</text>\n", f);
		y += 18;
	}
	if (s->count > shown) {
		fprintf(f, "<text x=\"%d\" y=\"%d\">", SVG_LABEL_X, y);
		char more[64];
		snprintf(more, sizeof more, L(lang, "and %zu more", "另有 %zu 组"), s->count - shown);
		svg_text(f, more);
		fputs("</text>\n", f);
		y += 18;
	}
	return y + 12;
}

/* The byte axis: a step of 1, 2 or 5 times a power of ten of a unit (B,
 * KiB, MiB, ...) whose labels all stay below 1024 of it, or of half the
 * next unit, the least that covers `peak` in at most AXIS_MOST intervals;
 * *intervals gets how many it takes (at least one). Each label then reads
 * exactly as human() prints it ("200 KiB", "1.5 MiB"): a grid of quarters
 * of the peak said "1.3 MiB" for 1.25, and steps of 200 KiB "1.2 MiB"
 * for 1200 KiB. */
enum { AXIS_MOST = 6 };
static uint64_t axis_step(uint64_t peak, int *intervals)
{
	static const uint64_t decimal[] = {1, 2, 5, 10, 20, 50, 100, 200, 500};
	uint64_t step = 1, n = 1;
	for (uint64_t unit = 1; unit <= ((uint64_t)1 << 40); unit <<= 10) {
		for (size_t i = 0; i < sizeof decimal / sizeof *decimal; i++) {
			step = decimal[i] * unit;
			n = peak / step + (peak % step != 0);
			if (n <= AXIS_MOST && n * decimal[i] < 1024)
				goto found;
		}
		step = 512 * unit; /* half the next unit: "0.5", "1.0", "1.5" of it */
		n = peak / step + (peak % step != 0);
		if (n <= AXIS_MOST)
			goto found;
	}
found:
	*intervals = n < 1 ? 1 : (int)n;
	return step;
}

static void svg_write(FILE *f, const trace_report *r, sim_lang lang, const char *title)
{
	char a[32], b[32], c[32], line[512];
	size_t rows = 0;
	const trace_report_set *sets[] = {&r->live_at_peak, &r->live_at_end, &r->pinned_at_end};
	for (size_t i = 0; i < 3; i++)
		rows += (sets[i]->count < GROUPS_SHOWN ? (sets[i]->count ? sets[i]->count : 1) : GROUPS_SHOWN + 1) + 2;
	int height = PLOT_Y + PLOT_H + 90 + SVG_ROW + (int)rows * SVG_ROW + 40;
	uint64_t scale = r->vm_data_peak;
	if (r->rss_peak > scale)
		scale = r->rss_peak;
	if (r->in_use_peak > scale)
		scale = r->in_use_peak;
	/* (the series are drawn to the axis's top, a whole number of steps) */
	int intervals;
	uint64_t step = axis_step(scale, &intervals);
	scale = step * (uint64_t)intervals;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" REPORT_SVG_MARK "\n");
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		SVG_W, height, SVG_W, height);
	fputs("<text x=\"20\" y=\"28\" font-size=\"18\" font-weight=\"bold\">", f);
	snprintf(line, sizeof line, L(lang, "The RSS story: %s", "RSS 的变化：%s"), title);
	svg_text(f, line);
	fputs("</text>\n", f);
	/* Axes and a grid line a step. */
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", PLOT_X, PLOT_Y, PLOT_W,
		PLOT_H);
	for (int k = 0; k <= intervals; k++) {
		int y = PLOT_Y + PLOT_H - PLOT_H * k / intervals;
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>", PLOT_X, y, PLOT_X + PLOT_W, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%s</text>\n", PLOT_X - 6, y + 4,
			human(step * (uint64_t)k, a, sizeof a));
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#555\">1</text>", PLOT_X, PLOT_Y + PLOT_H + 16);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%zu</text>\n", PLOT_X + PLOT_W, PLOT_Y + PLOT_H + 16,
		r->steps);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">", PLOT_X + PLOT_W / 2, PLOT_Y + PLOT_H + 16);
	svg_text(f, L(lang, "step", GLOSS_ZH_STEP));
	fputs("</text>\n", f);
	svg_series(f, r, M_VM, scale, "#222222");
	svg_series(f, r, M_RSS, scale, "#0072b2");
	svg_series(f, r, M_IN_USE, scale, "#009e73");
	/* The peak. */
	if (r->steps > 0 && r->peak_step > 0) {
		double x = PLOT_X + (double)PLOT_W * ((double)r->peak_step - 0.5) / (double)r->steps;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d55e00\" stroke-dasharray=\"4 3\"/>\n", x, PLOT_Y,
			x, PLOT_Y + PLOT_H);
		/* (near an end of the plot the label leans inwards: centred on a
		 * peak at the last step it ran past the picture's edge) */
		const char *anchor = x > PLOT_X + PLOT_W * 0.85 ? "end" : x < PLOT_X + PLOT_W * 0.15 ? "start" : "middle";
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" fill=\"#d55e00\" text-anchor=\"%s\">", x, PLOT_Y - 6, anchor);
		snprintf(line, sizeof line, L(lang, "peak, step %zu", "峰值，第 %zu 步"), r->peak_step);
		svg_text(f, line);
		fputs("</text>\n", f);
	}
	/* The legend. */
	int ly = PLOT_Y + PLOT_H + 40;
	static const char *const colours[] = {"#222222", "#0072b2", "#009e73"};
	const char *names[3];
	char n0[96], n1[96], n2[96];
	if (r->arenas) {
		snprintf(n0, sizeof n0, L(lang, "VmData (all heaps), peak %s", "VmData（所有堆），峰值 %s"),
			 human(r->vm_data_peak, a, sizeof a));
		snprintf(n1, sizeof n1, L(lang, "RSS (all heaps), peak %s", "RSS（所有堆），峰值 %s"), human(r->rss_peak, b, sizeof b));
	} else {
		snprintf(n0, sizeof n0, L(lang, "VmData (brk heap), peak %s", "VmData（brk 堆），峰值 %s"),
			 human(r->vm_data_peak, a, sizeof a));
		snprintf(n1, sizeof n1, L(lang, "RSS (brk heap), peak %s", "RSS（brk 堆），峰值 %s"), human(r->rss_peak, b, sizeof b));
	}
	snprintf(n2, sizeof n2, L(lang, "in use (asked for, not freed; mmapped too), peak %s", "使用中（已申请、未释放，含 mmap 块），峰值 %s"),
		 human(r->in_use_peak, c, sizeof c));
	names[0] = n0;
	names[1] = n1;
	names[2] = n2;
	for (int i = 0; i < 3; i++) {
		/* VmData and RSS side by side, what is in use (the longest) on a
		 * row of its own */
		int x = PLOT_X + (i == 1 ? SVG_LEGEND_STEP : 0), row_y = ly + (i == 2 ? SVG_ROW : 0);
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">", x,
			row_y - 5, colours[i], x + 20, row_y);
		svg_text(f, names[i]);
		fputs("</text>\n", f);
	}
	int y = ly + SVG_ROW + 36;
	const char *by = r->by_site ? L(lang, "by " GLOSS_EN_CALL_SITE, "按" GLOSS_ZH_CALL_SITE) : L(lang, "by name", "按名字");
	snprintf(line, sizeof line, L(lang, "Live at the peak (step %zu), %s: %s in %zu allocation%s", "峰值时（第 %zu 步）的" GLOSS_ZH_LIVE_SET "，%s：%s，%zu 次分配%s"),
		 r->peak_step, by, human(r->live_at_peak.bytes, a, sizeof a), r->live_at_peak.allocations,
		 lang == SIM_LANG_ZH || r->live_at_peak.allocations == 1 ? "" : "s");
	y = svg_set(f, y, line, &r->live_at_peak, lang, false);
	snprintf(line, sizeof line, L(lang, "Live at the end (step %zu), %s: %s in %zu allocation%s", "最后（第 %zu 步）的" GLOSS_ZH_LIVE_SET "，%s：%s，%zu 次分配%s"),
		 r->steps, by, human(r->live_at_end.bytes, a, sizeof a), r->live_at_end.allocations,
		 lang == SIM_LANG_ZH || r->live_at_end.allocations == 1 ? "" : "s");
	y = svg_set(f, y, line, &r->live_at_end, lang, false);
	snprintf(line, sizeof line, L(lang, "Free memory held below chunks at the end, %s: %s", "最后被块压住的空闲内存，%s：%s"), by,
		 human(r->pinned_at_end.bytes, a, sizeof a));
	svg_set(f, y, line, &r->pinned_at_end, lang, true);
	fputs("</svg>\n", f);
}

/* An earlier report: its second line is the mark. */
static bool report_is_ours(const unsigned char *head, size_t n)
{
	const unsigned char *nl = memchr(head, '\n', n);
	size_t mark = strlen(REPORT_SVG_MARK);
	return nl && (size_t)(head + n - (nl + 1)) >= mark && memcmp(nl + 1, REPORT_SVG_MARK, mark) == 0;
}

static const own_output_kind svg_report = {"report", "the SVG", report_is_ours, 256};

bool report_svg_may_write(const char *path, char *why, size_t why_size)
{
	return own_output_may_write(path, &svg_report, OWN_OUTPUT_NEW_OR_OURS, why, why_size);
}

int report_write_svg(const char *path, const trace_report *r, sim_lang lang, const char *title, char *why, size_t why_size)
{
	bool made;
	int fd = own_output_open(path, &svg_report, OWN_OUTPUT_NEW_OR_OURS, &made, why, why_size);
	if (fd < 0)
		return 2;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		if (made)
			unlink(path);
		snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
		return 2;
	}
	svg_write(f, r, lang, title);
	bool failed = ferror(f) != 0;
	if (fclose(f) != 0)
		failed = true;
	if (failed) {
		if (made)
			unlink(path); /* ours: made just now (not a device) */
		snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
		return 2;
	}
	return 0;
}
