/* test-screenshot.c — gui_show --screenshot writes a valid PNG of the
 * asked (or default) size whose pixels show the heap; environment errors
 * (missing font, step past the end, bad size) give status 2 and a clear
 * message. The PNG is decoded here with zlib, independently of the
 * encoder. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gui/gui.h"
#include "gui/palette.h"
#include "gui/png.h"
#include "helpers.h"

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Decodes an 8-bit RGB, non-interlaced PNG (the only kind we write) into
 * *rgb; returns false if anything is off. */
static bool decode_png(const uint8_t *png, size_t size, int *w, int *h, uint8_t **rgb)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (size < 8 || memcmp(png, sig, 8) != 0)
		return false;
	size_t pos = 8;
	uint8_t *z = NULL;
	size_t zlen = 0;
	*w = *h = 0;
	while (pos + 12 <= size) {
		uint32_t len = be32(png + pos);
		const uint8_t *type = png + pos + 4, *data = png + pos + 8;
		if (pos + 12 + len > size)
			return false;
		if ((uint32_t)crc32(0, type, len + 4) != be32(data + len))
			return false;
		if (memcmp(type, "IHDR", 4) == 0) {
			*w = (int)be32(data);
			*h = (int)be32(data + 4);
			if (data[8] != 8 || data[9] != 2 || data[12] != 0)
				return false;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			z = realloc(z, zlen + len);
			memcpy(z + zlen, data, len);
			zlen += len;
		} else if (memcmp(type, "IEND", 4) == 0) {
			break;
		}
		pos += 12 + len;
	}
	size_t row = (size_t)*w * 3;
	uLongf raw_len = (uLongf)((row + 1) * (size_t)*h);
	uint8_t *raw = malloc(raw_len);
	bool ok = *w > 0 && z && uncompress(raw, &raw_len, z, (uLong)zlen) == Z_OK && raw_len == (row + 1) * (size_t)*h;
	free(z);
	if (!ok) {
		free(raw);
		return false;
	}
	*rgb = malloc(row * (size_t)*h);
	for (int y = 0; y < *h; y++) {
		uint8_t ftype = raw[(size_t)y * (row + 1)];
		const uint8_t *in = raw + (size_t)y * (row + 1) + 1;
		uint8_t *out = *rgb + (size_t)y * row, *up = y ? *rgb + (size_t)(y - 1) * row : NULL;
		for (size_t i = 0; i < row; i++) {
			int a = i >= 3 ? out[i - 3] : 0, b = up ? up[i] : 0, c = (up && i >= 3) ? up[i - 3] : 0;
			int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
			int pred = ftype == 0 ? 0 : ftype == 1 ? a : ftype == 2 ? b : ftype == 3 ? (a + b) / 2
				 : (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
			out[i] = (uint8_t)(in[i] + pred);
		}
	}
	free(raw);
	return true;
}

typedef struct fixture {
	script sc;
	char *source;
	size_t len;
	gui_options o;
	char dir[64];
	char path[128];
} fixture;

static void setup_fixture(fixture *f)
{
	f->source = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &f->sc, &f->len);
	memset(&f->o, 0, sizeof f->o);
	f->o.path = "pinned.heap";
	f->o.source = f->source;
	f->o.source_len = f->len;
	f->o.script = &f->sc;
	f->o.config = f->sc.config;
	f->o.lang = "en";
	snprintf(f->dir, sizeof f->dir, "/tmp/brksim-shot-XXXXXX");
	ck_assert(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/out.png", f->dir);
	f->o.screenshot_path = f->path;
}

static void teardown_fixture(fixture *f)
{
	unlink(f->path);
	rmdir(f->dir);
	script_release(&f->sc);
	free(f->source);
}

START_TEST(test_screenshot_has_the_size_asked_and_shows_the_heap)
{
	fixture f;
	setup_fixture(&f);
	f.o.start_step = 3;
	f.o.width = 1000;
	f.o.height = 640;
	char err[512];
	int status = gui_show(&f.o, err, sizeof err);
	ck_assert_msg(status == 0, "%s", err);
	size_t size;
	uint8_t *png = (uint8_t *)helper_read_file(f.path, &size);
	ck_assert(png);
	int w, h;
	uint8_t *rgb;
	ck_assert(decode_png(png, size, &w, &h, &rgb));
	ck_assert_int_eq(w, 1000);
	ck_assert_int_eq(h, 640);
	/* somewhere in the upper half there is a run of the unsorted colour
	 * (the freed 100 KiB buffer) at least 100 pixels long */
	gui_rgba want = gui_place_color(SIM_PLACE_UNSORTED);
	int best = 0;
	for (int y = 0; y < h / 2; y++) {
		int run = 0;
		for (int x = 0; x < w; x++) {
			const uint8_t *p = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
			bool match = p[0] == gui_rgba_r(want) && p[1] == gui_rgba_g(want) && p[2] == gui_rgba_b(want);
			run = match ? run + 1 : 0;
			if (run > best)
				best = run;
		}
	}
	ck_assert_int_ge(best, 100);
	free(rgb);
	free(png);
	teardown_fixture(&f);
}
END_TEST

START_TEST(test_default_size)
{
	fixture f;
	setup_fixture(&f);
	char err[512];
	ck_assert_int_eq(gui_show(&f.o, err, sizeof err), 0);
	size_t size;
	uint8_t *png = (uint8_t *)helper_read_file(f.path, &size);
	ck_assert(png && size > 33);
	ck_assert_uint_eq(be32(png + 16), GUI_DEFAULT_WIDTH);
	ck_assert_uint_eq(be32(png + 20), GUI_DEFAULT_HEIGHT);
	free(png);
	teardown_fixture(&f);
}
END_TEST

START_TEST(test_environment_errors)
{
	fixture f;
	setup_fixture(&f);
	char err[512];
	f.o.start_step = 1000;
	ck_assert_int_eq(gui_show(&f.o, err, sizeof err), GUI_EXIT_ENVIRONMENT);
	ck_assert_msg(strstr(err, "past the end") && strstr(err, "pinned.heap has 23 steps"), "%s", err);
	f.o.start_step = 0;
	f.o.width = 10;
	f.o.height = 10;
	ck_assert_int_eq(gui_show(&f.o, err, sizeof err), GUI_EXIT_ENVIRONMENT);
	ck_assert_msg(strstr(err, "out of range"), "%s", err);
	f.o.width = f.o.height = 0;
	setenv("BRKSIM_FONT", "/nonexistent/font.ttc", 1);
	ck_assert_int_eq(gui_show(&f.o, err, sizeof err), GUI_EXIT_ENVIRONMENT);
	ck_assert_msg(strstr(err, "/nonexistent/font.ttc") && strstr(err, "BRKSIM_FONT"), "%s", err);
	unsetenv("BRKSIM_FONT");
	/* said before anything is built (it was a write failure at the end) */
	f.o.screenshot_path = "/nonexistent-dir/out.png";
	ck_assert_int_eq(gui_show(&f.o, err, sizeof err), GUI_EXIT_ENVIRONMENT);
	ck_assert_str_eq(err, "cannot write /nonexistent-dir/out.png: its directory does not exist");
	f.o.screenshot_path = f.path;
	teardown_fixture(&f);
}
END_TEST

/* The window's S key writes only new files (its names are its own:
 * brksim-step-012.png, -1, -2, ...): an existing file, even an earlier
 * screenshot, is left as it is. --screenshot's target replaces an
 * earlier screenshot, which the PNG's tEXt chunk tells from any other
 * file. */
START_TEST(test_a_png_goes_where_it_may_only)
{
	char dir[] = "/tmp/brksim-png-XXXXXX", path[64], err[512];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/shot.png", dir);
	uint8_t rgb[4 * 3 * 3];
	memset(rgb, 0x80, sizeof rgb);
	ck_assert(gui_png_may_write(path, GUI_PNG_NEW_ONLY, err, sizeof err));
	ck_assert_msg(gui_png_write(path, GUI_PNG_NEW_ONLY, rgb, 4, 3, 12, err, sizeof err), "%s", err);
	size_t len;
	uint8_t *png = (uint8_t *)helper_read_file(path, &len);
	ck_assert(png && len > 33 + 8 + 26);
	ck_assert_int_eq(memcmp(png + 33 + 4, "tEXtSoftware\0brksim screenshot", 30), 0);
	free(png);
	/* the S key: not over it */
	ck_assert(!gui_png_may_write(path, GUI_PNG_NEW_ONLY, err, sizeof err));
	memset(rgb, 0x10, sizeof rgb);
	ck_assert(!gui_png_write(path, GUI_PNG_NEW_ONLY, rgb, 4, 3, 12, err, sizeof err));
	ck_assert_msg(strstr(err, "exists"), "%s", err);
	size_t kept_len;
	uint8_t *kept = (uint8_t *)helper_read_file(path, &kept_len);
	/* --screenshot: over an earlier screenshot */
	ck_assert_msg(gui_png_write(path, GUI_PNG_NEW_OR_OURS, rgb, 4, 3, 12, err, sizeof err), "%s", err);
	uint8_t *now = (uint8_t *)helper_read_file(path, &len);
	ck_assert(kept && now && (len != kept_len || memcmp(now, kept, len) != 0));
	free(kept);
	free(now);
	/* but not over a file that is no screenshot of brksim's */
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("notes\n", f);
	fclose(f);
	ck_assert(!gui_png_write(path, GUI_PNG_NEW_OR_OURS, rgb, 4, 3, 12, err, sizeof err));
	char *text = helper_read_file(path, &len);
	ck_assert(text && len == 6 && memcmp(text, "notes\n", 6) == 0);
	free(text);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int main(void)
{
	if (!helper_font()) {
		fprintf(stderr, "no CJK font installed: skipping (install fonts-wqy-microhei)\n");
		return 77;
	}
	Suite *s = suite_create("gui-screenshot");
	TCase *tc = tcase_create("screenshot");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_screenshot_has_the_size_asked_and_shows_the_heap);
	tcase_add_test(tc, test_default_size);
	tcase_add_test(tc, test_environment_errors);
	tcase_add_test(tc, test_a_png_goes_where_it_may_only);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
