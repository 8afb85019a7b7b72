/* window.c — the SDL window loop (see window.h). */
#include "window.h"

#include "keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gui.h"
#include "lang/utf8.h"
#include "png.h"
#include "render.h"

/* "DISPLAY=:99" / "DISPLAY=:99, WAYLAND_DISPLAY=bogus" (values escaped:
 * the environment is input too), or "neither DISPLAY nor WAYLAND_DISPLAY
 * is set". */
static void describe_display_env(char *out, size_t size)
{
	const char *names[] = {"DISPLAY", "WAYLAND_DISPLAY"};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		const char *v = getenv(names[i]);
		if (v == NULL || v[0] == '\0')
			continue;
		char shown[128];
		utf8_quote(shown, sizeof shown, v, strlen(v));
		int n = snprintf(out + used, size - used, "%s%s=%s", used ? ", " : "", names[i], shown);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(out, size, "neither DISPLAY nor WAYLAND_DISPLAY is set");
}

bool gui_window_driver_is_real(const char *driver)
{
	const char *chosen = getenv("SDL_VIDEODRIVER");
	if (driver == NULL)
		return false;
	/* SDL falls back to these when no display answers: a window nobody
	 * sees, and a loop that never ends. Only the user may ask for them
	 * (the tests do, with SDL_VIDEODRIVER=dummy). */
	static const char *const invisible[] = {"offscreen", "dummy", "evdev"};
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
		if (SDL_strcasecmp(driver, invisible[i]) == 0)
			return chosen != NULL && SDL_strcasestr(chosen, driver) != NULL;
	return true;
}

/* Whether the environment variable `name` is set to something. */
static bool env_given(const char *name)
{
	const char *v = getenv(name);
	return v && v[0];
}

bool gui_window_display_available(char *err, size_t err_size)
{
	if (env_given("SDL_VIDEODRIVER"))
		return true; /* the user chose a driver (e.g. offscreen, dummy, kmsdrm): let SDL try it */
	if (env_given("DISPLAY") || env_given("WAYLAND_DISPLAY"))
		return true;
	snprintf(err, err_size,
		 "no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no window can open; "
		 "to render without a display use 'brksim show FILE --step N --screenshot out.png [--size WxH]', "
		 "or run under a virtual X server: xvfb-run brksim show FILE");
	return false;
}

/* Converts the renderer's pixels to packed RGB. */
static uint8_t *read_rgb(SDL_Renderer *renderer, int width, int height)
{
	size_t pitch = (size_t)width * 4;
	uint8_t *argb = malloc(pitch * (size_t)height);
	uint8_t *rgb = malloc((size_t)width * 3 * (size_t)height);
	if (!argb || !rgb || SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, argb, (int)pitch) != 0) {
		free(argb);
		free(rgb);
		return NULL;
	}
	for (size_t i = 0; i < (size_t)width * (size_t)height; i++) {
		uint32_t p;
		memcpy(&p, argb + 4 * i, 4);
		rgb[3 * i] = (uint8_t)(p >> 16);
		rgb[3 * i + 1] = (uint8_t)(p >> 8);
		rgb[3 * i + 2] = (uint8_t)p;
	}
	free(argb);
	return rgb;
}

bool gui_save_renderer_png(SDL_Renderer *renderer, int width, int height, const char *path, char *err, size_t err_size)
{
	uint8_t *rgb = read_rgb(renderer, width, height);
	if (!rgb) {
		snprintf(err, err_size, "%s: cannot read the pixels back: %s", path, SDL_GetError());
		return false;
	}
	bool ok = gui_png_write(path, GUI_PNG_NEW_ONLY, rgb, width, height, (size_t)width * 3, err, err_size);
	free(rgb);
	return ok;
}

bool gui_render_offscreen(gui_view *view, gui_text *text, int width, int height, uint8_t **rgb, char *err,
			  size_t err_size)
{
	SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *renderer = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
	if (!renderer) {
		snprintf(err, err_size, "cannot create a %dx%d off-screen renderer: %s", width, height, SDL_GetError());
		if (surface)
			SDL_FreeSurface(surface);
		return false;
	}
	gui_metrics metrics = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	bool ok = gui_view_frame(view, width, height, &metrics, &list);
	if (ok) {
		gui_render(renderer, surface, text, &list);
		SDL_RenderPresent(renderer);
		*rgb = read_rgb(renderer, width, height);
		ok = *rgb != NULL;
	}
	if (!ok)
		snprintf(err, err_size, "rendering failed (out of memory)");
	gui_drawlist_release(&list);
	gui_text_forget_renderer(text);
	SDL_DestroyRenderer(renderer);
	SDL_FreeSurface(surface);
	return ok;
}

/* A free file name for the S key: brksim-step-012.png, then -1, -2, ... */
static void screenshot_name(size_t step, char *out, size_t size)
{
	snprintf(out, size, "brksim-step-%03zu.png", step);
	for (int i = 1; access(out, F_OK) == 0 && i < 1000; i++)
		snprintf(out, size, "brksim-step-%03zu-%d.png", step, i);
}

/* The software renderer drawing into the window's surface (what the
 * benchmark and the screenshots measure, and fast enough at 1080p: see
 * brksim-bench-frame), else whatever renderer SDL offers. *surface is the
 * window surface, or NULL when SDL's renderer is used. */
static SDL_Renderer *window_renderer(SDL_Window *window, SDL_Surface **surface)
{
	*surface = SDL_GetWindowSurface(window);
	SDL_Renderer *renderer = *surface ? SDL_CreateSoftwareRenderer(*surface) : NULL;
	if (renderer)
		return renderer;
	*surface = NULL;
	renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
	return renderer ? renderer : SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
}

/* The next event, waiting up to most_ms for one: polled every 10 ms, not
 * SDL_WaitEventTimeout. SDL 2.26's wait has an event that arrives wake
 * it with a message to the window sent on a second X connection; when
 * that event is the Q that closes the window, the X server may handle the
 * window's destruction first, and the message's BadWindow error made Xlib
 * end brksim with status 1 as it quit (tests/gui/test-xvfb.sh: one run in
 * about ten). Polling never sends one. */
static bool idle_wait(SDL_Event *e, Uint32 most_ms)
{
	Uint64 until = SDL_GetTicks64() + most_ms;
	while (!SDL_PollEvent(e)) {
		if (SDL_GetTicks64() >= until)
			return false;
		SDL_Delay(10);
	}
	return true;
}

/* "brksim — TITLE (PATH)", the title in the view's caption language. */
static void window_title(const gui_view *view, const char *path, char *out, size_t size)
{
	const char *name = gui_view_title(view);
	if (name && path)
		snprintf(out, size, "brksim — %s (%s)", name, path);
	else
		snprintf(out, size, "brksim — %s", path ? path : name ? name : "scenario");
}

struct gui_window {
	SDL_Window *window;
	SDL_Renderer *renderer;
	SDL_Surface *surface; /* the window's own, or NULL (window_renderer) */
	gui_drawlist list;
	Uint64 loading_drawn; /* when the loading frame was last drawn (ms) */
	Uint64 loading_read;  /* when input was last read while loading (ms) */
	bool loading_shown;
};

/* The window's surface was replaced (a resize): draws into the new one. */
static bool window_resized(gui_window *w, gui_text *text)
{
	if (!w->surface)
		return true;
	gui_text_forget_renderer(text);
	SDL_DestroyRenderer(w->renderer);
	w->renderer = window_renderer(w->window, &w->surface);
	return w->renderer != NULL;
}

/* Only X11 set (or only Wayland): SDL is to try that driver alone. With
 * DISPLAY naming a server that is not there, it went on to Wayland, whose
 * library printed "error: XDG_RUNTIME_DIR is invalid or not set in the
 * environment." above brksim's own message, about a display nobody
 * asked for. The user's SDL_VIDEODRIVER, or both set, leave SDL's order. */
static void prefer_the_named_display(void)
{
	if (env_given("SDL_VIDEODRIVER"))
		return;
	bool has_x11 = env_given("DISPLAY"), has_wayland = env_given("WAYLAND_DISPLAY");
	if (has_x11 != has_wayland)
		SDL_SetHint(SDL_HINT_VIDEODRIVER, has_x11 ? "x11" : "wayland");
}

gui_window *gui_window_open(const char *title, int width, int height, char *err, size_t err_size)
{
	if (!gui_window_display_available(err, err_size))
		return NULL;
	prefer_the_named_display();
	if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		char env[256];
		describe_display_env(env, sizeof env);
		snprintf(err, err_size,
			 "cannot open a window: no display (%s: %s); use --screenshot FILE.png to render without one",
			 env, SDL_GetError());
		return NULL;
	}
	if (!gui_window_driver_is_real(SDL_GetCurrentVideoDriver())) {
		/* DISPLAY set but no X server (or a dead Wayland socket): SDL
		 * settled for its invisible driver. Say so instead of running a
		 * window no one can see or close. */
		char env[256];
		describe_display_env(env, sizeof env);
		snprintf(err, err_size,
			 "cannot open a window: no display (%s cannot be reached; SDL fell back to its invisible "
			 "'%s' driver); use --screenshot FILE.png to render without one",
			 env, SDL_GetCurrentVideoDriver());
		SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
		return NULL;
	}
	gui_window *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, err_size, "out of memory");
		SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
		return NULL;
	}
	gui_drawlist_init(&w->list);
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	/* The window's surface straight from the video driver (X11 shared
	 * memory): SDL would otherwise put it in an OpenGL texture, and where
	 * there is no GPU (a VM, Xvfb, a remote display) that is Mesa's
	 * llvmpipe, about 100 MB more resident memory (a perl recording's
	 * window: 317 MB instead of 219) for the same pixels. A driver without
	 * its own surface (Wayland) ends in window_renderer's fallback; the
	 * environment variable SDL_FRAMEBUFFER_ACCELERATION still decides. */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	w->window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
				     SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	if (!w->window) {
		snprintf(err, err_size, "cannot open a window: %s", SDL_GetError());
		gui_window_close(w, NULL);
		return NULL;
	}
	SDL_SetWindowMinimumSize(w->window, GUI_MIN_WIDTH, GUI_MIN_HEIGHT);
	w->renderer = window_renderer(w->window, &w->surface);
	if (!w->renderer) {
		snprintf(err, err_size, "cannot create a renderer: %s", SDL_GetError());
		gui_window_close(w, NULL);
		return NULL;
	}
	return w;
}

void gui_window_close(gui_window *w, gui_text *text)
{
	if (!w)
		return;
	if (text)
		gui_text_forget_renderer(text); /* (its textures go with the renderer) */
	gui_drawlist_release(&w->list);
	if (w->renderer)
		SDL_DestroyRenderer(w->renderer);
	if (w->window)
		SDL_DestroyWindow(w->window);
	free(w);
	SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
}

/* How often the loading frame reads input and is drawn again: the build
 * calls in every few milliseconds, a frame costs about one. */
enum { LOADING_READ_MS = 20, LOADING_DRAW_MS = 100 };

bool gui_window_loading(gui_window *w, gui_text *text, const gui_loading *state)
{
	Uint64 now = SDL_GetTicks64();
	if (w->loading_shown && now - w->loading_read < LOADING_READ_MS)
		return true;
	w->loading_read = now;
	bool going = true, redraw = !w->loading_shown || now - w->loading_drawn >= LOADING_DRAW_MS;
	SDL_Event e;
	while (SDL_PollEvent(&e)) {
		switch (e.type) {
		case SDL_QUIT: going = false; break;
		case SDL_KEYDOWN: {
			/* (the keymap's quit and escape keys: what closes the window
			 * once open) */
			gui_action a = gui_keymap_action(SDL_GetKeyName(e.key.keysym.sym), (e.key.keysym.mod & KMOD_SHIFT) != 0);
			if (!(e.key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) &&
			    (a == GUI_ACT_QUIT || a == GUI_ACT_ESCAPE))
				going = false;
			break;
		}
		case SDL_WINDOWEVENT:
			if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
				if (!window_resized(w, text))
					return false;
				redraw = true;
			} else if (e.window.event == SDL_WINDOWEVENT_EXPOSED) {
				redraw = true;
			}
			break;
		default: break;
		}
	}
	if (!going || !redraw)
		return going;
	int out_w = 0, out_h = 0;
	SDL_GetRendererOutputSize(w->renderer, &out_w, &out_h);
	gui_metrics metrics = gui_text_metrics(text);
	gui_loading_layout(state, out_w, out_h, &metrics, &w->list);
	gui_render(w->renderer, w->surface, text, &w->list);
	SDL_RenderPresent(w->renderer);
	if (w->surface)
		SDL_UpdateWindowSurface(w->window);
	w->loading_drawn = SDL_GetTicks64();
	w->loading_shown = true;
	return true;
}

int gui_window_run(gui_view *view, gui_text *text, const char *path, int width, int height,
		   const gui_window_hooks *hooks, char *err, size_t err_size)
{
	char title[512];
	window_title(view, path, title, sizeof title);
	gui_window *w = gui_window_open(title, width, height, err, err_size);
	if (!w)
		return GUI_EXIT_ENVIRONMENT;
	int status = gui_window_loop(w, view, text, path, width, height, hooks, err, err_size);
	gui_window_close(w, text);
	return status;
}

int gui_window_loop(gui_window *w, gui_view *view, gui_text *text, const char *path, int width, int height,
		    const gui_window_hooks *hooks, char *err, size_t err_size)
{
	SDL_Window *window = w->window;
	SDL_Renderer *renderer = w->renderer;
	SDL_Surface *surface = w->surface;
	char title[512];
	window_title(view, path, title, sizeof title);
	SDL_SetWindowTitle(window, title);
	SDL_StartTextInput(); /* for the search box; text is ignored while it is closed */
	gui_metrics metrics = gui_text_metrics(text);
	gui_drawlist list;
	gui_drawlist_init(&list);
	int status = GUI_EXIT_OK;
	bool running = true, dirty = true, fullscreen = false, want_screenshot = false;
	Uint64 last = SDL_GetTicks64();
	unsigned frame = 0;
	while (running) {
		if (hooks && hooks->before_frame)
			hooks->before_frame(hooks->ctx, view, frame);
		int out_w = width, out_h = height, win_w = width, win_h = height;
		SDL_GetRendererOutputSize(renderer, &out_w, &out_h);
		SDL_GetWindowSize(window, &win_w, &win_h);
		float sx = win_w > 0 ? (float)out_w / (float)win_w : 1, sy = win_h > 0 ? (float)out_h / (float)win_h : 1;
		bool busy = gui_view_animating(view) || gui_view_playing(view);
		SDL_Event e;
		/* Idle: sleep until input (or 250 ms, for toasts to fade). */
		bool have = busy || dirty || (hooks && hooks->before_frame) ? SDL_PollEvent(&e) : idle_wait(&e, 250);
		while (have) {
			dirty = true;
			switch (e.type) {
			case SDL_QUIT: running = false; break;
			case SDL_TEXTINPUT: gui_view_text_input(view, e.text.text); break;
			case SDL_KEYDOWN: {
				/* While the search box is open, keys edit it (the text
				 * itself comes as SDL_TEXTINPUT). */
				if (gui_view_searching(view)) {
					SDL_Keycode k = e.key.keysym.sym;
					if (k == SDLK_BACKSPACE)
						gui_view_search_key(view, GUI_SEARCH_BACKSPACE);
					else if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
						gui_view_search_key(view, GUI_SEARCH_ENTER);
					else if (k == SDLK_ESCAPE)
						gui_view_search_key(view, GUI_SEARCH_CLOSE);
					break;
				}
				/* Every key goes through the keymap (keymap.c): the help,
				 * `brksim help keys` and the docs list the same table. */
				if (e.key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI))
					break;
				bool shift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
				gui_action action = gui_keymap_action(SDL_GetKeyName(e.key.keysym.sym), shift);
				switch (action) {
				case GUI_ACT_COUNT: break;
				case GUI_ACT_LANGUAGE:
					if (gui_view_action(view, GUI_ACT_LANGUAGE)) {
						window_title(view, path, title, sizeof title);
						SDL_SetWindowTitle(window, title);
					}
					break;
				case GUI_ACT_FULLSCREEN:
					fullscreen = !fullscreen;
					SDL_SetWindowFullscreen(window, fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
					break;
				case GUI_ACT_SCREENSHOT: want_screenshot = true; break;
				case GUI_ACT_QUIT: running = false; break;
				case GUI_ACT_ESCAPE:
					if (gui_view_action(view, GUI_ACT_ESCAPE))
						break;
					if (fullscreen) {
						fullscreen = false;
						SDL_SetWindowFullscreen(window, 0);
					} else {
						running = false;
					}
					break;
				default: gui_view_action(view, action); break;
				}
				break;
			}
			case SDL_MOUSEMOTION: gui_view_mouse_move(view, (float)e.motion.x * sx, (float)e.motion.y * sy); break;
			case SDL_MOUSEBUTTONDOWN:
				if (e.button.button == SDL_BUTTON_LEFT)
					gui_view_mouse_down(view, (float)e.button.x * sx, (float)e.button.y * sy);
				break;
			case SDL_MOUSEBUTTONUP:
				if (e.button.button == SDL_BUTTON_LEFT)
					gui_view_mouse_up(view);
				break;
			case SDL_MOUSEWHEEL: {
				int mx = 0, my = 0;
				SDL_GetMouseState(&mx, &my);
				float clicks = e.wheel.preciseY != 0 ? e.wheel.preciseY : (float)e.wheel.y;
				if (e.wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
					clicks = -clicks;
				gui_view_wheel(view, (float)mx * sx, (float)my * sy, clicks);
				break;
			}
			case SDL_WINDOWEVENT:
				if (e.window.event == SDL_WINDOWEVENT_LEAVE)
					gui_view_mouse_leave(view);
				if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && surface) {
					/* the window surface is replaced: draw into the new one */
					bool made = window_resized(w, text);
					renderer = w->renderer;
					surface = w->surface;
					if (!made) {
						snprintf(err, err_size, "cannot create a renderer: %s", SDL_GetError());
						status = GUI_EXIT_FAILURE;
						running = false;
					}
				}
				break;
			default: break;
			}
			have = SDL_PollEvent(&e);
		}
		Uint64 now = SDL_GetTicks64();
		double dt = hooks && hooks->fixed_dt_ms > 0 ? hooks->fixed_dt_ms : (double)(now - last);
		last = now;
		gui_view_tick(view, dt);
		if (!running)
			break;
		SDL_GetRendererOutputSize(renderer, &out_w, &out_h);
		if (!gui_view_frame(view, out_w, out_h, &metrics, &list)) {
			snprintf(err, err_size, "out of memory while drawing");
			status = GUI_EXIT_FAILURE;
			break;
		}
		gui_render(renderer, surface, text, &list);
		if (want_screenshot) {
			want_screenshot = false;
			char name[64], save_err[256];
			screenshot_name(gui_view_step(view), name, sizeof name);
			if (gui_save_renderer_png(renderer, out_w, out_h, name, save_err, sizeof save_err))
				gui_view_toast_saved(view, name);
			else
				gui_view_toast(view, save_err);
		}
		SDL_RenderPresent(renderer);
		if (surface)
			SDL_UpdateWindowSurface(window);
		dirty = false;
		frame++;
		/* About 60 frames a second while animating: no vsync here. */
		Uint64 spent = SDL_GetTicks64() - now;
		if (busy && !(hooks && hooks->before_frame) && spent < 16)
			SDL_Delay((Uint32)(16 - spent));
	}
	gui_drawlist_release(&list);
	return status;
}
