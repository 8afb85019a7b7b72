/* test-smoke.c — the real window under SDL's dummy video driver: keys
 * injected with SDL_PushEvent step forward and back, seek, play, help,
 * language, zoom, a mouse click on the timeline, a screenshot, then Q;
 * the loop must exit 0 having visited the expected steps. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gui/gui.h"
#include "gui/view.h"
#include "gui/window.h"
#include "helpers.h"

typedef struct smoke {
	size_t length;
	size_t seen[32]; /* gui_view_step at checkpoints */
	bool help_seen, help_closed, playing_seen, screenshot_seen;
	char lang_before[8], lang_after[8];
	char title_before[256], title_after[256];
	double zoom_before, zoom_after;
} smoke;

static void key(SDL_Keycode sym, Uint16 mod)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.state = SDL_PRESSED;
	e.key.keysym.sym = sym;
	e.key.keysym.mod = mod;
	SDL_PushEvent(&e);
}

static void click(int x, int y)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_MOUSEBUTTONDOWN;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.x = x;
	e.button.y = y;
	SDL_PushEvent(&e);
	e.type = SDL_MOUSEBUTTONUP;
	SDL_PushEvent(&e);
}

/* The title of the (only) window. */
static const char *window_title_now(void)
{
	for (Uint32 id = 1; id < 64; id++) {
		SDL_Window *w = SDL_GetWindowFromID(id);
		if (w)
			return SDL_GetWindowTitle(w);
	}
	return "";
}

/* 50 ms per frame: a 550 ms step animation takes 12 frames. */
static void before_frame(void *ctx, gui_view *view, unsigned frame)
{
	smoke *s = ctx;
	switch (frame) {
	case 0: key(SDLK_RIGHT, 0); break;
	case 20: s->seen[0] = gui_view_step(view); key(SDLK_RIGHT, 0); break;
	case 40: key(SDLK_RIGHT, 0); break;
	case 60: s->seen[1] = gui_view_step(view); key(SDLK_LEFT, 0); break;
	case 80: s->seen[2] = gui_view_step(view); key(SDLK_END, 0); break;
	case 82: s->seen[3] = gui_view_step(view); key(SDLK_HOME, 0); break;
	case 84: s->seen[4] = gui_view_step(view); key(SDLK_SLASH, KMOD_LSHIFT); break;
	case 86: s->help_seen = gui_view_help_shown(view); key(SDLK_ESCAPE, 0); break;
	case 88: s->help_closed = !gui_view_help_shown(view); key(SDLK_SPACE, 0); break;
	case 100: s->playing_seen = gui_view_playing(view); key(SDLK_SPACE, 0); break;
	case 102:
		snprintf(s->title_before, sizeof s->title_before, "%s", window_title_now());
		snprintf(s->lang_before, sizeof s->lang_before, "%s", gui_view_language(view));
		key(SDLK_l, 0);
		break;
	case 104:
		snprintf(s->title_after, sizeof s->title_after, "%s", window_title_now());
		snprintf(s->lang_after, sizeof s->lang_after, "%s", gui_view_language(view));
		key(SDLK_t, KMOD_LSHIFT); /* previous trim: none before here; a toast, no crash */
		key(SDLK_c, 0);
		break;
	case 106: {
		gui_bar_view v = gui_view_bar_view(view);
		s->zoom_before = v.hi - v.lo;
		key(SDLK_EQUALS, 0);
		break;
	}
	case 108: {
		gui_bar_view v = gui_view_bar_view(view);
		s->zoom_after = v.hi - v.lo;
		click(1280 / 2, 720 - 20); /* the middle of the timeline */
		break;
	}
	case 110: s->seen[5] = gui_view_step(view); key(SDLK_s, 0); break;
	case 112: s->screenshot_seen = access("brksim-step-", F_OK) != 0; key(SDLK_q, 0); break;
	default: break;
	}
	if (frame > 400) /* a safety net: never hang the suite */
		key(SDLK_q, 0);
}

START_TEST(test_window_steps_forward_and_back)
{
	char dir[] = "/tmp/brksim-smoke-XXXXXX";
	ck_assert(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	script sc;
	size_t len;
	char *source = helper_load_scenario(GUI_TEST_DATA "/pinned.heap", &sc, &len);
	gui_view_config vc = {&sc, sc.config, source, len, 0, "en", NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[512] = "";
	gui_view *view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(view, "%s", err);
	gui_text *text = gui_text_new(helper_font(), err, sizeof err);
	ck_assert_msg(text, "%s", err);
	smoke s;
	memset(&s, 0, sizeof s);
	s.length = gui_view_length(view);
	gui_window_hooks hooks = {&s, before_frame, 50};
	int status = gui_window_run(view, text, GUI_TEST_DATA "/pinned.heap", 1280, 720, &hooks, err, sizeof err);
	ck_assert_msg(status == 0, "window loop failed: %s", err);
	ck_assert_uint_eq(s.seen[0], 1);
	ck_assert_uint_eq(s.seen[1], 3);
	ck_assert_uint_eq(s.seen[2], 2);
	ck_assert_uint_eq(s.seen[3], s.length);
	ck_assert_uint_eq(s.seen[4], 0);
	ck_assert(s.help_seen);
	ck_assert(s.help_closed);
	ck_assert(s.playing_seen);
	ck_assert_str_eq(s.lang_before, "en");
	ck_assert_str_eq(s.lang_after, "zh");
	/* the window title names the lesson, in the caption language */
	ck_assert_msg(strstr(s.title_before, "brksim — One small chunk pins the top") && strstr(s.title_before, "pinned.heap"),
		      "title '%s'", s.title_before);
	ck_assert_msg(strstr(s.title_after, "一个小块钉住了堆顶"), "title '%s'", s.title_after);
	ck_assert(s.zoom_after < s.zoom_before);
	/* the click in the middle of the timeline seeks near the middle */
	ck_assert(s.seen[5] + 3 >= s.length / 2 && s.seen[5] <= s.length / 2 + 3);
	/* S wrote a PNG named after the step */
	char name[64];
	snprintf(name, sizeof name, "brksim-step-%03zu.png", s.seen[5]);
	ck_assert_msg(access(name, R_OK) == 0, "no screenshot %s", name);
	unlink(name);
	ck_assert_int_eq(chdir("/"), 0);
	rmdir(dir);
	gui_text_free(text);
	gui_view_free(view);
	script_release(&sc);
	free(source);
}
END_TEST

START_TEST(test_no_display_is_explained)
{
	unsetenv("SDL_VIDEODRIVER");
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	char err[512];
	ck_assert(!gui_window_display_available(err, sizeof err));
	ck_assert_msg(strstr(err, "no display") && strstr(err, "--screenshot") && strstr(err, "xvfb-run"), "%s", err);
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	ck_assert(gui_window_display_available(err, sizeof err));
}
END_TEST

int main(void)
{
	if (!helper_font()) {
		fprintf(stderr, "no CJK font installed: skipping (install fonts-wqy-microhei)\n");
		return 77;
	}
	if (!getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "dummy", 1);
	if (SDL_Init(0) != 0 || TTF_Init() != 0)
		return EXIT_FAILURE;
	Suite *s = suite_create("gui-smoke");
	TCase *tc = tcase_create("window");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_window_steps_forward_and_back);
	tcase_add_test(tc, test_no_display_is_explained);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_set_fork_status(runner, CK_NOFORK);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	TTF_Quit();
	SDL_Quit();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
