/* test-callsites.c — `brksim record` and `brksim run` end to end on a
 * program built with -g whose late small allocation in a named function
 * pins freed buffers below the top: the summary's "top pinned by" line,
 * the per-free trim verdicts, the TSV `site` column and the JSON name
 * that function and its file:line — at -O0 and at -O2
 * -fomit-frame-pointer. And a freed pin: lesson 5b at step 19 names the
 * tcache chunk that pins the top and says what would release it.
 *
 * Arguments (from meson): BRKSIM CALLSITE_O0 CALLSITE_O2 CALLSITE_SOURCE
 * SCENARIOS_DIR WORKDIR [CALLSITE_CLANG] (clang -g -O2
 * -fomit-frame-pointer: DWARF 5, units with range-list indexes). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/test_files.h"
#include "tests/common/test_spawn.h"

static const char *brksim, *targets[3], *source, *scenarios, *workdir;
static int target_count = 2; /* 3 with clang's build */

/* The line of a marker comment in the program's source. */
static unsigned marker_line(const char *marker)
{
	size_t len = 0;
	char *text = test_read_file(source, &len);
	ck_assert_ptr_nonnull(text);
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		if (strncmp(text + i, marker, strlen(marker)) == 0) {
			free(text);
			return line;
		}
		if (text[i] == '\n')
			line++;
	}
	free(text);
	ck_abort_msg("no marker '%s'", marker);
	return 0;
}

static test_run run(const char *const *argv)
{
	test_run r;
	ck_assert(test_run_program(argv, NULL, NULL, 120, &r));
	ck_assert_msg(!r.timed_out, "%s timed out", argv[1]);
	return r;
}

static void assert_has(const char *text, const char *what)
{
	ck_assert_msg(strstr(text, what) != NULL, "missing: %s\nin:\n%.4000s", what, text);
}

START_TEST(the_summary_and_verdicts_name_the_pins_function_and_line)
{
	char pin_site[128], buffer_site[128];
	unsigned pin_line = marker_line("/* SITE: remember_session */");
	snprintf(pin_site, sizeof pin_site, "(remember_session, callsite_target.c:%u)", pin_line);
	snprintf(buffer_site, sizeof buffer_site, "fill_buffers (callsite_target.c:%u)",
	         marker_line("/* SITE: fill_buffers */"));
	for (int t = 0; t < target_count; t++) {
		char out[4096];
		snprintf(out, sizeof out, "%s/callsites-%ld-%d.trace", workdir, (long)getpid(), t);
		const char *rec[] = {brksim, "record", "-o", out, "--", targets[t], NULL};
		test_run r = run(rec);
		ck_assert_msg(r.status == 0, "record: %s", r.err);
		test_run_release(&r);

		const char *text[] = {brksim, "run", out, NULL};
		r = run(text);
		ck_assert_msg(r.status == 0, "run: %s", r.err);
		/* The end summary. */
		char want[256];
		snprintf(want, sizeof want, "  top pinned by         `remember_session@");
		assert_has(r.out, want);
		const char *line = strstr(r.out, want);
		const char *eol = strchr(line, '\n');
		char *pin_line_text = strndup(line, (size_t)(eol - line));
		ck_assert_msg(strstr(pin_line_text, pin_site) != NULL, "%s: %s", targets[t], pin_line_text);
		free(pin_line_text);
		/* Each free of a buffer: its verdict names the pin and its site. */
		snprintf(want, sizeof want, "not trimmed; top is pinned by `remember_session@");
		assert_has(r.out, want);
		assert_has(r.out, pin_site);
		test_run_release(&r);

		/* TSV: the site column. */
		const char *tsv[] = {brksim, "run", "--format=tsv", out, NULL};
		r = run(tsv);
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, "\ttrim\tsite\tthread\tarena\n");
		snprintf(want, sizeof want, "\tmalloc\tremember_session@");
		assert_has(r.out, want);
		snprintf(want, sizeof want, "\tremember_session (callsite_target.c:%u)\t0\t0\n", pin_line);
		assert_has(r.out, want);
		snprintf(want, sizeof want, "\t%s\t0\t", buffer_site); /* then the arena: 0, or - for a mapping */
		assert_has(r.out, want);
		/* the allocation through inlined helpers: the first level no wrapper */
		snprintf(want, sizeof want, "\tmake_record (callsite_target.c:%u)\t0\t0\n",
		         marker_line("/* SITE: make_record */"));
		assert_has(r.out, want);
		/* a Rust legacy name, its escapes undone, without its hash */
		snprintf(want, sizeof want, "\tmain::helper::{{closure}} (callsite_target.c:%u)\t0\t0\n",
		         marker_line("/* SITE: rust_named */"));
		assert_has(r.out, want);
		/* and one with LLVM's suffix and a leading escape: the recorder
		 * names it so (the importer also reads a name left mangled) */
		size_t rec_len;
		char *rec_text = test_read_file(out, &rec_len);
		ck_assert_ptr_nonnull(rec_text);
		assert_has(rec_text, "\t<main::Vec<T> as main::Grow>::grow\t");
		/* a C++ function's cold part goes by the function */
		assert_has(rec_text, "\tengine::load()\t");
		free(rec_text);
		snprintf(want, sizeof want, "\tengine::load() (callsite_target.c:%u)\t0\t0\n",
		         marker_line("/* SITE: cxx_cold_named */"));
		assert_has(r.out, want);
		snprintf(want, sizeof want,
		         "\t<main::Vec<T> as main::Grow>::grow (callsite_target.c:%u)\t0\t0\n",
		         marker_line("/* SITE: rust_llvm_named */"));
		assert_has(r.out, want);
		test_run_release(&r);

		/* JSON: the summary's pin carries its site. */
		const char *json[] = {brksim, "run", "--format=json", out, NULL};
		r = run(json);
		ck_assert_int_eq(r.status, 0);
		snprintf(want, sizeof want, "\"site\":\"remember_session (callsite_target.c:%u)\",\"place\":\"in use\"",
		         pin_line);
		assert_has(r.out, want);
		assert_has(r.out, "\"stack\":[\"remember_session (callsite_target.c:");
		test_run_release(&r);

		/* The RSS story: the pin's site holds the freed buffers down. */
		const char *story[] = {brksim, "run", "--quiet", "--report", out, NULL};
		r = run(story);
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, "the RSS story (steps 1 to ");
		snprintf(want, sizeof want, "  1  remember_session (callsite_target.c:%u)   \u2190 pins the top\n", pin_line);
		assert_has(r.out, want);
		snprintf(want, sizeof want, "      48  %s\n", buffer_site);
		assert_has(r.out, want); /* the live set at the peak: all 48 buffers */
		test_run_release(&r);
		unlink(out);
	}
}
END_TEST

/* `run --quiet --report=svg SVG INPUT` (SVG written anew): the SVG's text. */
static char *svg_report(const char *svg, const char *input)
{
	unlink(svg);
	const char *argv[] = {brksim, "run", "--quiet", "--report=svg", svg, input, NULL};
	test_run r = run(argv);
	ck_assert_msg(r.status == 0, "%s", r.err);
	test_run_release(&r);
	size_t len = 0;
	char *text = test_read_file(svg, &len);
	ck_assert_ptr_nonnull(text);
	return text;
}

/* The SVG's texts stay apart and inside the picture, measured at a
 * sans-serif digit's 0.64 em and a letter's 0.6 (13 px): a count of
 * 100,000 allocations ran into the bytes' column, and the legend's third
 * entry past the picture's right edge. */
START_TEST(the_svg_reports_texts_stay_apart_and_inside)
{
	char svg[4096], heap[4096];
	snprintf(svg, sizeof svg, "%s/wide-%ld.svg", workdir, (long)getpid());
	snprintf(heap, sizeof heap, "%s/wide-%ld.heap", workdir, (long)getpid());
	FILE *f = fopen(heap, "w");
	ck_assert_ptr_nonnull(f);
	fputs("p[0..149999] = malloc 24\n", f);
	fclose(f);
	char *text = svg_report(svg, heap);
	int width = 0, rows = 0;
	ck_assert(sscanf(strstr(text, "<svg "), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\"", &width) == 1);
	for (const char *p = text; (p = strstr(p, "<text x=\"")) != NULL; p++) {
		double x;
		char anchor[16] = "";
		ck_assert(sscanf(p, "<text x=\"%lf\"", &x) == 1);
		const char *tag_end = strchr(p, '>'), *body = tag_end + 1, *close = strstr(body, "</text>");
		const char *a = strstr(p, "text-anchor=\"");
		if (a && a < tag_end)
			sscanf(a, "text-anchor=\"%15[a-z]", anchor);
		size_t chars = 0; /* (UTF-8: one per character) */
		for (const char *c = body; c < close; c++)
			chars += ((unsigned char)*c & 0xc0) != 0x80;
		double w = 13 * 0.6 * (double)chars, left = strcmp(anchor, "end") == 0 ? x - w : x;
		if (strcmp(anchor, "middle") == 0)
			left = x - w / 2;
		ck_assert_msg(left >= 0 && left + w <= width, "'%.*s' at x=%.0f (%s) leaves the %d px picture", (int)(close - body),
		              body, x, anchor, width);
		/* a table row: the bytes, then the count, both right-aligned */
		const char *next = strstr(close, "<text x=\"");
		double nx;
		char nanchor[16] = "";
		if (strcmp(anchor, "end") == 0 && next == close + 7 && sscanf(next, "<text x=\"%lf\"", &nx) == 1) {
			const char *na = strstr(next, "text-anchor=\""), *nend = strchr(next, '>');
			if (na && na < nend && sscanf(na, "text-anchor=\"%15[a-z]", nanchor) == 1 && strcmp(nanchor, "end") == 0) {
				size_t digits = (size_t)(strstr(nend, "</text>") - nend - 1);
				ck_assert_msg(nx - 13 * 0.64 * (double)digits >= x + 4, "a count of %zu digits at %.0f runs into the bytes at %.0f",
				              digits, nx, x);
				rows++;
			}
		}
	}
	ck_assert_int_gt(rows, 0);
	ck_assert_ptr_nonnull(strstr(text, ">150000<"));
	free(text);
	unlink(svg);
	unlink(heap);
}
END_TEST

/* The SVG's byte axis: its labels (right-aligned at the plot's left),
 * as bytes; how many into `bytes`. */
static int axis_labels(const char *svg, double *bytes, int most)
{
	int n = 0;
	for (const char *p = svg; n < most && (p = strstr(p, "text-anchor=\"end\" fill=\"#555\">")) != NULL; p++) {
		double v;
		char unit[8];
		if (sscanf(strchr(p, '>') + 1, "%lf %7[A-Za-z]", &v, unit) != 2)
			continue; /* (the step axis's last number) */
		double scale = strcmp(unit, "B") == 0     ? 1
			       : strcmp(unit, "KiB") == 0 ? 1024
			       : strcmp(unit, "MiB") == 0 ? 1048576
							  : 1073741824;
		bytes[n++] = v * scale;
	}
	return n;
}

/* The byte axis is marked in round steps, each label exact (a grid of
 * quarters of the peak said "1.3 MiB" for 1.25 MiB), and the curves are
 * drawn to the axis: the default lesson's VmData peak, 332 KiB, on an
 * axis of 0 to 400 KiB in steps of 100 KiB; a 5 MiB peak on one of 0 to
 * 6 MiB, or 5, in steps of 1 MiB. */
START_TEST(the_svg_reports_axis_is_marked_in_round_steps)
{
	char svg[4096], lesson[4096];
	snprintf(svg, sizeof svg, "%s/axis-%ld.svg", workdir, (long)getpid());
	snprintf(lesson, sizeof lesson, "%s/default.heap", scenarios);
	char *text = svg_report(svg, lesson);
	double bytes[16];
	int n = axis_labels(text, bytes, 16);
	ck_assert_int_eq(n, 5);
	for (int k = 0; k < n; k++)
		ck_assert_msg(bytes[k] == 102400.0 * k, "label %d: %.0f bytes", k, bytes[k]);
	ck_assert_ptr_nonnull(strstr(text, ">400 KiB</text>"));
	/* VmData's line (the first polyline) reaches 0x53000 of 400 KiB of
	 * the plot's 280 px above its bottom at y 340 */
	const char *line = strstr(text, "<polyline");
	ck_assert_ptr_nonnull(line);
	double top = 1e9;
	for (const char *p = strstr(line, "points=\"") + 8; *p != '"';) {
		double x, y;
		int used;
		ck_assert(sscanf(p, "%lf,%lf %n", &x, &y, &used) == 2);
		top = y < top ? y : top;
		p += used;
	}
	ck_assert_msg(fabs(top - (340 - 280.0 * 0x53000 / 409600)) < 0.11, "VmData's peak drawn at y %.1f", top);
	free(text);
	/* a peak of 5 MiB and a little */
	snprintf(lesson, sizeof lesson, "%s/axis-%ld.heap", workdir, (long)getpid());
	FILE *f = fopen(lesson, "w");
	ck_assert_ptr_nonnull(f);
	fputs("p[0..4] = malloc 1M\nq = malloc 100\n", f);
	fclose(f);
	text = svg_report(svg, lesson);
	n = axis_labels(text, bytes, 16);
	ck_assert_int_eq(n, 7);
	for (int k = 0; k < n; k++)
		ck_assert_msg(bytes[k] == 1048576.0 * k, "label %d: %.0f bytes", k, bytes[k]);
	free(text);
	unlink(svg);
	unlink(lesson);
}
END_TEST

/* The chunk that pins the top with nothing of the bins right below it
 * (the default lesson's `report`: below it only the tcache's chunks) is
 * named for the pin alone: its row said "0 B  0  report ← pins the top",
 * a run of no bytes in no chunks. */
START_TEST(a_pin_with_no_free_run_below_it_is_named_without_bytes)
{
	char lesson[4096];
	snprintf(lesson, sizeof lesson, "%s/default.heap", scenarios);
	const char *argv[] = {brksim, "run", "--quiet", "--report", lesson, NULL};
	test_run r = run(argv);
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_has(r.out, "free memory held below chunks at the end, by name (bytes pinned, chunks):\n"
			  "                        report   \u2190 pins the top (nothing in the bins right below it)\n");
	ck_assert_ptr_null(strstr(r.out, " 0 B "));
	test_run_release(&r);
	/* and a pin with a run below it keeps its numbers */
	snprintf(lesson, sizeof lesson, "%s/pin-%ld.heap", workdir, (long)getpid());
	FILE *f = fopen(lesson, "w");
	ck_assert_ptr_nonnull(f);
	fputs("s = malloc 100000\nk = malloc 100\nfree s\n", f);
	fclose(f);
	test_run pinned = run(argv);
	ck_assert_msg(pinned.status == 0, "%s", pinned.err);
	const char *rows = strstr(pinned.out, "free memory held below chunks at the end");
	ck_assert_ptr_nonnull(rows);
	ck_assert_ptr_nonnull(strstr(rows, "\u2190 pins the top\n"));
	assert_has(rows, "        98 KiB       1  k   \u2190 pins the top\n");
	ck_assert_ptr_null(strstr(rows, "nothing in the bins"));
	test_run_release(&pinned);
	unlink(lesson);
}
END_TEST

/* A call site longer than the SVG's row (a C++ function's name can take
 * hundreds of characters) is cut with "…" before the row's ending, so the
 * row stays inside the picture and still says what pins the top (rows
 * ran past the right edge). */
START_TEST(a_long_name_is_cut_to_the_svg_row)
{
	char svg[4096], heap[4096], name[301];
	snprintf(svg, sizeof svg, "%s/long-%ld.svg", workdir, (long)getpid());
	snprintf(heap, sizeof heap, "%s/long-%ld.trace", workdir, (long)getpid());
	memset(name, 'a', 300);
	name[300] = '\0';
	FILE *f = fopen(heap, "w");
	ck_assert_ptr_nonnull(f);
	/* 100,000 bytes from main, 100 from the long-named function, the
	 * first freed: the second pins the top with the first's run below */
	fprintf(f, "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"
	           "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
	           "# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"
	           "s 1 0+1100\ns 2 0+1200\nm 186a0 +2a0 39000 @1\nm 64 +18950 39000 @2\nf +2a0 39000\n# end 3\n"
	           "# sym 0+1100\tmain\t/src/app.c\t5\n# sym 0+1200\t%s\t/src/app.c\t9\n",
	        name);
	fclose(f);
	char *text = svg_report(svg, heap);
	const char *end = strstr(text, "\u2026   \u2190 pins the top</text>");
	ck_assert_msg(end != NULL, "no cut row that pins the top in:\n%.3000s", text);
	const char *start = end;
	while (start > text && start[-1] != '>')
		start--;
	size_t kept = 0;
	while (start + kept < end && start[kept] == 'a')
		kept++;
	ck_assert_ptr_eq(start + kept, end);
	/* 'a' at 0.64 em of 13 px from x = 226, then the "…" and the ending
	 * (17 characters, the arrow a whole em) inside the 960 px */
	ck_assert_uint_gt(kept, 40);
	ck_assert_double_le(226 + 13 * 0.64 * (double)kept + 13 + 13 * 0.6 * 16 + 13, 960);
	free(text);
	unlink(svg);
	unlink(heap);
}
END_TEST

/* A C++ call site too long for the SVG's row is said without its
 * arguments before the row is cut: the cut had taken what holds the
 * chunk that pins the top ("…, freed, held by …   ← pins the top"). And
 * one allocation is "1 allocation". */
START_TEST(a_long_cxx_site_gives_way_to_what_holds_the_chunk)
{
	char svg[4096], heap[4096];
	snprintf(svg, sizeof svg, "%s/cxx-%ld.svg", workdir, (long)getpid());
	snprintf(heap, sizeof heap, "%s/cxx-%ld.trace", workdir, (long)getpid());
	FILE *f = fopen(heap, "w");
	ck_assert_ptr_nonnull(f);
	/* 100,000 bytes from main, 100 from the method, both freed: the
	 * method's chunk, in the tcache, pins the top with main's run below;
	 * 200 bytes from main stay in use before them */
	fprintf(f, "# brksim-recording 2\n# glibc 2.36\n# pid 10\n# exe /tmp/app\n# brk0 555555559000\n"
	           "# brk-now 555555559000\n# page 4096\n# stack-depth 16\n"
	           "# module 0 555555554000 555555558000 555555554000 abcd /tmp/app\n"
	           "s 1 0+1100\ns 2 0+1200\nm c8 +2a0 39000 @1\nm 186a0 +370 39000 @1\nm 64 +18a20 39000 @2\n"
	           "f +370 39000\nf +18a20 39000\n# end 5\n"
	           "# sym 0+1100\tmain\t/src/app.cc\t5\n"
	           "# sym 0+1200\tBox<std::pair<int, double> >::add(std::pair<int, double> const&, "
	           "std::vector<std::pair<int, double>, std::allocator<std::pair<int, double> > >&)\t/src/app.cc\t9\n");
	fclose(f);
	char *text = svg_report(svg, heap);
	assert_has(text, ">Box&lt;std::pair&lt;int, double&gt; &gt;::add(\u2026) (app.cc:9), freed, held by the tcache   "
	                 "\u2190 pins the top</text>");
	assert_has(text, "by call site: 200 B in 1 allocation</text>");
	free(text);
	unlink(svg);
	unlink(heap);
}
END_TEST

/* --report=svg writes a new file or over an earlier report, never over
 * anything else. */
START_TEST(the_svg_report_never_overwrites_a_file_it_did_not_write)
{
	char svg[4096], other[4096];
	snprintf(svg, sizeof svg, "%s/story-%ld.svg", workdir, (long)getpid());
	snprintf(other, sizeof other, "%s/other-%ld.svg", workdir, (long)getpid());
	char lesson[4096];
	snprintf(lesson, sizeof lesson, "%s/03-pinned-top.heap", scenarios);
	unlink(svg);
	const char *argv[] = {brksim, "run", "--quiet", "--report=svg", svg, lesson, NULL};
	test_run r = run(argv);
	ck_assert_msg(r.status == 0, "%s", r.err);
	size_t len = 0;
	char *text = test_read_file(svg, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert(strncmp(text, "<?xml", 5) == 0);
	assert_has(text, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	assert_has(text, "</svg>\n");
	free(text);
	test_run_release(&r);
	/* again: it is ours, so it is replaced */
	r = run(argv);
	ck_assert_int_eq(r.status, 0);
	test_run_release(&r);
	/* someone else's file: refused and left as it was */
	FILE *f = fopen(other, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<svg>my own drawing</svg>\n", f);
	fclose(f);
	const char *bad[] = {brksim, "run", "--quiet", "--report=svg", other, lesson, NULL};
	r = run(bad);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "exists and is not a brksim report");
	text = test_read_file(other, &len);
	ck_assert_str_eq(text, "<svg>my own drawing</svg>\n");
	free(text);
	test_run_release(&r);
	/* a device is written into; a missing directory is said before the run */
	const char *null[] = {brksim, "run", "--quiet", "--report=svg", "/dev/null", lesson, NULL};
	r = run(null);
	ck_assert_msg(r.status == 0, "%s", r.err);
	test_run_release(&r);
	const char *nodir[] = {brksim, "run", "--report=svg", "/nonexistent-dir/story.svg", lesson, NULL};
	r = run(nodir);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "brksim: error: cannot write /nonexistent-dir/story.svg: its directory does not exist\n");
	ck_assert_uint_eq(r.out_len, 0); /* (no step printed: refused before the run) */
	test_run_release(&r);
	/* usage */
	const char *json[] = {brksim, "run", "--format=json", "--report", lesson, NULL};
	r = run(json);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "--report prints text after the summary; with --format=json use --report=svg FILE");
	test_run_release(&r);
	const char *pdf[] = {brksim, "run", "--report=pdf", lesson, NULL};
	r = run(pdf);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "unknown --report 'pdf'; expected text or svg FILE");
	test_run_release(&r);
	const char *show[] = {brksim, "show", "--report", lesson, NULL};
	r = run(show);
	ck_assert_int_eq(r.status, 2);
	test_run_release(&r);
	unlink(svg);
	unlink(other);
}
END_TEST

/* Issue 11: a recording keeps its module map so that its frames can be
 * named on another run. Recorded with --no-symbols, the summary names
 * object+offset only; `brksim symbolize REC -o OUT` writes a new file
 * whose summary names the function and file:line, and leaves REC byte for
 * byte as it was. OUT may replace an earlier output of symbolize, never
 * another file or REC itself. */
START_TEST(symbolize_names_a_recording_made_without_symbols)
{
	char rec[4096], named[4096], again[4096], foreign[4096], pin_site[128];
	unsigned pin_line = marker_line("/* SITE: remember_session */");
	snprintf(pin_site, sizeof pin_site, "(remember_session, callsite_target.c:%u)", pin_line);
	snprintf(rec, sizeof rec, "%s/nosym-%ld.trace", workdir, (long)getpid());
	snprintf(named, sizeof named, "%s/nosym-%ld.named.trace", workdir, (long)getpid());
	snprintf(again, sizeof again, "%s/nosym-%ld.again.trace", workdir, (long)getpid());
	snprintf(foreign, sizeof foreign, "%s/nosym-%ld.mine.txt", workdir, (long)getpid());
	unlink(named);
	for (int t = 0; t < target_count; t++) {
		const char *record[] = {brksim, "record", "--no-symbols", "-o", rec, "--", targets[t], NULL};
		test_run r = run(record);
		ck_assert_msg(r.status == 0, "record: %s", r.err);
		test_run_release(&r);
		size_t rec_len = 0;
		char *before = test_read_file(rec, &rec_len);
		ck_assert_ptr_nonnull(before);
		ck_assert_ptr_null(strstr(before, "\n# sym "));
		assert_has(before, "\n# module 0 ");

		/* Unnamed: the pin is object+offset, and run says how to name it. */
		const char *plain[] = {brksim, "run", rec, NULL};
		r = run(plain);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_null(strstr(r.out, "remember_session"));
		assert_has(r.out, "brksim symbolize ");
		test_run_release(&r);

		const char *sym[] = {brksim, "symbolize", rec, "-o", named, NULL};
		r = run(sym);
		ck_assert_msg(r.status == 0, "symbolize: %s", r.err);
		assert_has(r.err, "wrote ");
		test_run_release(&r);
		/* The recording is as it was. */
		size_t now_len = 0;
		char *after = test_read_file(rec, &now_len);
		ck_assert_ptr_nonnull(after);
		ck_assert_msg(now_len == rec_len && memcmp(before, after, rec_len) == 0, "symbolize changed its input");
		free(after);
		/* The new file: the input, then the names. */
		size_t named_len = 0;
		char *text = test_read_file(named, &named_len);
		ck_assert_ptr_nonnull(text);
		ck_assert(named_len > rec_len && memcmp(text, before, rec_len) == 0);
		assert_has(text + rec_len, "# sym 0+");
		free(text);
		free(before);

		const char *run_named[] = {brksim, "run", named, NULL};
		r = run(run_named);
		ck_assert_msg(r.status == 0, "run: %s", r.err);
		const char *line = strstr(r.out, "  top pinned by         `remember_session@");
		ck_assert_msg(line != NULL, "%s", r.out);
		char *pin = strndup(line, (size_t)(strchr(line, '\n') - line));
		ck_assert_msg(strstr(pin, pin_site) != NULL, "%s: %s", targets[t], pin);
		free(pin);
		ck_assert_ptr_null(strstr(r.out, "brksim symbolize "));
		test_run_release(&r);
		/* Again over its own earlier output: replaced. */
		r = run(sym);
		ck_assert_msg(r.status == 0, "symbolize again: %s", r.err);
		test_run_release(&r);
	}
	/* The program is not here any more (another machine, or deleted):
	 * the other objects' frames are named, and symbolize says which one
	 * it could not read. */
	{
		size_t len = 0;
		char *text = test_read_file(rec, &len);
		ck_assert_ptr_nonnull(text);
		char moved[4096], moved_named[4096];
		snprintf(moved, sizeof moved, "%s/nosym-%ld.moved.trace", workdir, (long)getpid());
		snprintf(moved_named, sizeof moved_named, "%s/nosym-%ld.moved.named.trace", workdir, (long)getpid());
		unlink(moved_named);
		FILE *f = fopen(moved, "w");
		ck_assert_ptr_nonnull(f);
		/* "# module 0 LO HI BIAS BUILD-ID PATH": the path of module 0 elsewhere */
		char *m0 = strstr(text, "\n# module 0 ");
		ck_assert_ptr_nonnull(m0);
		char *eol = strchr(m0 + 1, '\n');
		char *path = eol;
		while (path[-1] != ' ')
			path--;
		fwrite(text, 1, (size_t)(path - text), f);
		fputs("/nonexistent/callsite_target", f);
		fputs(eol, f);
		fclose(f);
		free(text);
		const char *sym_moved[] = {brksim, "symbolize", moved, "-o", moved_named, NULL};
		test_run r = run(sym_moved);
		ck_assert_msg(r.status == 0, "%s", r.err);
		assert_has(r.err, "brksim: warning: module 0: /nonexistent/callsite_target is not here (or not readable): its "
		                  "frames are not named");
		test_run_release(&r);
		unlink(moved);
		unlink(moved_named);
	}
	/* A recording cut mid-line (head -c of a long one, or a process
	 * killed while writing): the fragment stays last, without its "\n",
	 * after the names and the mark, so the importer still calls it cut
	 * (a "\n" put after it made it a malformed line: an error), and the
	 * output is still symbolize's own to replace. */
	{
		size_t len = 0;
		char *text = test_read_file(rec, &len);
		ck_assert_ptr_nonnull(text);
		char cut[4096], cut_named[4096];
		snprintf(cut, sizeof cut, "%s/nosym-%ld.cut.trace", workdir, (long)getpid());
		snprintf(cut_named, sizeof cut_named, "%s/nosym-%ld.cut.named.trace", workdir, (long)getpid());
		unlink(cut_named);
		/* up to the middle of the last record with a pointer: "m 64 +2" */
		char *last = NULL;
		for (char *m = strstr(text, "\nm "); m; m = strstr(m + 1, "\nm "))
			last = m;
		ck_assert_ptr_nonnull(last);
		char *plus = strchr(last, '+');
		ck_assert_ptr_nonnull(plus);
		FILE *f = fopen(cut, "w");
		ck_assert_ptr_nonnull(f);
		fwrite(text, 1, (size_t)(plus + 2 - text), f);
		fclose(f);
		const char *sym_cut[] = {brksim, "symbolize", cut, "-o", cut_named, NULL};
		test_run r = run(sym_cut);
		ck_assert_msg(r.status == 0, "%s", r.err);
		test_run_release(&r);
		size_t out_len = 0;
		char *out = test_read_file(cut_named, &out_len);
		ck_assert_ptr_nonnull(out);
		size_t frag = (size_t)(plus + 2 - (last + 1));
		ck_assert(out_len > frag && memcmp(out + out_len - frag, last + 1, frag) == 0);
		ck_assert_int_eq(out[out_len - frag - 1], '\n');
		assert_has(out, "\n# symbolized from ");
		free(out);
		const char *run_cut[] = {brksim, "run", "--quiet", cut_named, NULL};
		r = run(run_cut);
		ck_assert_msg(r.status == 0, "%s", r.err);
		assert_has(r.err, "warning: the recording is cut off here: its last line has no newline");
		ck_assert_ptr_null(strstr(r.err, "error:"));
		test_run_release(&r);
		r = run(sym_cut); /* over its own output */
		ck_assert_msg(r.status == 0, "%s", r.err);
		test_run_release(&r);
		/* A file still padded with the recorder's unused window (a
		 * daemon's, still running when record collected the files, is
		 * left so): 200 KiB of NUL bytes, no line's. run reads it as it
		 * is (it once refused them as a line too long), and the named
		 * copy drops them. */
		char padded[4096], padded_named[4096];
		snprintf(padded, sizeof padded, "%s/nosym-%ld.padded.trace", workdir, (long)getpid());
		snprintf(padded_named, sizeof padded_named, "%s/nosym-%ld.padded.named.trace", workdir, (long)getpid());
		unlink(padded_named);
		f = fopen(padded, "w");
		ck_assert_ptr_nonnull(f);
		fwrite(text, 1, len, f);
		static const char zeros[4096];
		for (int k = 0; k < 50; k++)
			fwrite(zeros, 1, sizeof zeros, f);
		fclose(f);
		const char *run_padded[] = {brksim, "run", "--quiet", padded, NULL};
		r = run(run_padded);
		ck_assert_msg(r.status == 0, "%s", r.err); /* (as the program left it) */
		test_run_release(&r);
		const char *sym_padded[] = {brksim, "symbolize", padded, "-o", padded_named, NULL};
		r = run(sym_padded);
		ck_assert_msg(r.status == 0, "%s", r.err);
		test_run_release(&r);
		const char *run_named[] = {brksim, "run", "--quiet", padded_named, NULL};
		r = run(run_named);
		ck_assert_msg(r.status == 0, "%s", r.err);
		ck_assert_ptr_null(strstr(r.err, "error:"));
		test_run_release(&r);
		out = test_read_file(padded_named, &out_len);
		ck_assert_ptr_nonnull(out);
		ck_assert(memchr(out, '\0', out_len) == NULL);
		free(out);
		unlink(padded);
		unlink(padded_named);
		free(text);
		unlink(cut);
		unlink(cut_named);
	}
	/* Already named: nothing to do, nothing written. */
	const char *twice[] = {brksim, "symbolize", named, "-o", again, NULL};
	test_run r = run(twice);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.err, "names its frames already");
	ck_assert_int_ne(access(again, F_OK), 0);
	test_run_release(&r);
	/* ... and an earlier output that the failed run would have replaced
	 * stays as it was (the new file is renamed over it only when whole) */
	const char *first[] = {brksim, "symbolize", rec, "-o", again, NULL};
	r = run(first);
	ck_assert_msg(r.status == 0, "%s", r.err);
	test_run_release(&r);
	size_t kept_len = 0;
	char *kept = test_read_file(again, &kept_len);
	ck_assert_ptr_nonnull(kept);
	r = run(twice);
	ck_assert_int_eq(r.status, 1);
	size_t now_len = 0;
	char *now = test_read_file(again, &now_len);
	ck_assert_ptr_nonnull(now);
	ck_assert(now_len == kept_len && memcmp(now, kept, kept_len) == 0);
	free(kept);
	free(now);
	test_run_release(&r);
	unlink(again);
	/* Someone else's file, or the recording itself: refused, left as it was. */
	FILE *f = fopen(foreign, "w");
	ck_assert_ptr_nonnull(f);
	fputs("my notes\n", f);
	fclose(f);
	const char *over[] = {brksim, "symbolize", rec, "-o", foreign, NULL};
	r = run(over);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "exists and is not an earlier output of brksim symbolize");
	size_t len = 0;
	char *mine = test_read_file(foreign, &len);
	ck_assert_str_eq(mine, "my notes\n");
	free(mine);
	test_run_release(&r);
	size_t rec_len = 0;
	char *before = test_read_file(rec, &rec_len);
	const char *self[] = {brksim, "symbolize", rec, "-o", rec, NULL};
	r = run(self);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "is the recording itself");
	char *after = test_read_file(rec, &len);
	ck_assert(len == rec_len && memcmp(before, after, len) == 0);
	free(before);
	free(after);
	test_run_release(&r);
	/* Not a recording; no -o. */
	char lesson[4096];
	snprintf(lesson, sizeof lesson, "%s/03-pinned-top.heap", scenarios);
	const char *heap[] = {brksim, "symbolize", lesson, "-o", again, NULL};
	r = run(heap);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "is not a brksim recording");
	ck_assert_int_ne(access(again, F_OK), 0);
	test_run_release(&r);
	const char *no_out[] = {brksim, "symbolize", rec, NULL};
	r = run(no_out);
	ck_assert_int_eq(r.status, 2);
	assert_has(r.err, "symbolize needs -o OUT");
	test_run_release(&r);
	unlink(rec);
	unlink(named);
	unlink(foreign);
}
END_TEST

/* libdw ends the process it runs in when it runs out of memory (a large
 * program's debug information under ulimit -v or -d): record then printed
 * only "libdw: Cannot allocate memory" and exited 1, without saying what
 * it had recorded, and symbolize left its temporary copy behind. Naming
 * now runs in a child process: BRKSIM_TEST_SYMBOLIZER_DIES makes that
 * child end as libdw does. Only the names are lost, and that is said. */
START_TEST(a_symbolizer_out_of_memory_costs_only_the_names)
{
	char dir[4096], rec[4200], named[4200];
	snprintf(dir, sizeof dir, "%s/oom-XXXXXX", workdir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rec, sizeof rec, "%s/app.trace", dir);
	snprintf(named, sizeof named, "%s/app.named.trace", dir);
	const char *dies[] = {"BRKSIM_TEST_SYMBOLIZER_DIES=1", NULL};
	const char *record[] = {brksim, "record", "-o", rec, "--", targets[0], NULL};
	test_run r;
	ck_assert(test_run_program(record, dies, NULL, 120, &r));
	ck_assert_msg(r.status == 0, "record: %s", r.err);
	assert_has(r.err, "brksim: recorded ");
	assert_has(r.err, "app.trace: the frames were not named: out of memory while reading the debug information "
	                  "(libdw: Cannot allocate memory: a memory limit, ulimit -v or -d?); name them later with "
	                  "brksim symbolize\n");
	assert_has(r.err, "brksim: replay with: brksim run ");
	test_run_release(&r);
	size_t len = 0;
	char *text = test_read_file(rec, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "\n# sym "));
	assert_has(text, "\n# end ");
	free(text);
	const char *plain[] = {brksim, "run", "--quiet", rec, NULL};
	r = run(plain);
	ck_assert_msg(r.status == 0, "run: %s", r.err);
	test_run_release(&r);

	/* symbolize: an error, and nothing left beside the recording */
	const char *sym[] = {brksim, "symbolize", rec, "-o", named, NULL};
	ck_assert(test_run_program(sym, dies, NULL, 120, &r));
	ck_assert_msg(r.status == 2, "symbolize: %d %s", r.status, r.err);
	assert_has(r.err, "brksim: error: ");
	assert_has(r.err, ": out of memory while reading the debug information (libdw: Cannot allocate memory");
	test_run_release(&r);
	char list[4200];
	snprintf(list, sizeof list, "ls -A %s", dir);
	FILE *ls = popen(list, "r");
	ck_assert_ptr_nonnull(ls);
	char entries[512] = "";
	size_t got = fread(entries, 1, sizeof entries - 1, ls);
	entries[got] = '\0';
	pclose(ls);
	ck_assert_str_eq(entries, "app.trace\n");

	/* and without the stand-in, both name */
	r = run(sym);
	ck_assert_msg(r.status == 0, "symbolize: %s", r.err);
	test_run_release(&r);
	text = test_read_file(named, &len);
	ck_assert_ptr_nonnull(text);
	assert_has(text, "\n# sym ");
	free(text);
	unlink(named);
	unlink(rec);
	rmdir(dir);
}
END_TEST

START_TEST(lesson_5b_names_the_tcache_chunk_that_pins_the_top)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/05b-tcache-holds-small-chunks.heap", scenarios);
	const char *argv[] = {brksim, "run", "--to", "19", path, NULL};
	test_run r = run(argv);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "  top pinned by         `s[6]` at +0x19550 (chunk 0x70)");
	assert_has(r.out, "it is a FREED chunk the tcache holds: malloc_trim(0) does not release it");
	assert_has(r.out, "the next malloc of 89 to 104 bytes takes it back");
	test_run_release(&r);
	const char *zh[] = {brksim, "run", "--lang", "zh", "--to", "19", path, NULL};
	r = run(zh);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "这是一个已释放、留在 tcache 中的块");
	test_run_release(&r);
	const char *json[] = {brksim, "run", "--format=json", "--to", "19", path, NULL};
	r = run(json);
	assert_has(r.out, "\"pinned_by\":{\"name\":\"s[6]\",\"site\":null,\"place\":\"tcache\",\"freed\":true");
	test_run_release(&r);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: test-callsites BRKSIM CALLSITE_O0 CALLSITE_O2 SOURCE SCENARIOS WORKDIR\n");
		return EXIT_FAILURE;
	}
	brksim = argv[1];
	targets[0] = argv[2];
	targets[1] = argv[3];
	source = argv[4];
	scenarios = argv[5];
	workdir = argv[6];
	if (argc > 7) {
		targets[2] = argv[7];
		target_count = 3;
	}
	Suite *s = suite_create("callsites");
	TCase *tc = tcase_create("recording");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, the_summary_and_verdicts_name_the_pins_function_and_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("symbolize");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, symbolize_names_a_recording_made_without_symbols);
	tcase_add_test(tc, a_symbolizer_out_of_memory_costs_only_the_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("svg");
	tcase_add_test(tc, the_svg_report_never_overwrites_a_file_it_did_not_write);
	tcase_add_test(tc, the_svg_reports_texts_stay_apart_and_inside);
	tcase_add_test(tc, the_svg_reports_axis_is_marked_in_round_steps);
	tcase_add_test(tc, a_pin_with_no_free_run_below_it_is_named_without_bytes);
	tcase_add_test(tc, a_long_name_is_cut_to_the_svg_row);
	tcase_add_test(tc, a_long_cxx_site_gives_way_to_what_holds_the_chunk);
	suite_add_tcase(s, tc);
	tc = tcase_create("freed_pin");
	tcase_add_test(tc, lesson_5b_names_the_tcache_chunk_that_pins_the_top);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
