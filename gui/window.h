/* window.h — the interactive window loop and off-screen rendering.
 *
 * Owns: the SDL window and renderer, mapping SDL input to view actions,
 * fullscreen, the S screenshot key, frame pacing. Must not: contain
 * layout or model logic. Hooks let the smoke test inject events. */
#ifndef BRKSIM_GUI_WINDOW_H
#define BRKSIM_GUI_WINDOW_H

#include <SDL.h>
#include <stdbool.h>

#include "layout_loading.h"
#include "text.h"
#include "view.h"

typedef struct gui_window_hooks {
	void *ctx;
	/* Called before each frame's events are read (frame counts from 0);
	 * may SDL_PushEvent. */
	void (*before_frame)(void *ctx, gui_view *view, unsigned frame);
	/* Milliseconds each frame advances the animation by; 0 = real time. */
	double fixed_dt_ms;
} gui_window_hooks;

/* True when a window can be opened: a display is set, or SDL_VIDEODRIVER
 * names a driver that needs none. Otherwise writes why and what to do. */
bool gui_window_display_available(char *err, size_t err_size);

/* Whether the video driver SDL picked shows a window: any but its
 * invisible fallbacks (offscreen, dummy, evdev), unless SDL_VIDEODRIVER
 * asked for that one. gui_window_run refuses to run on an invisible one
 * (it would never end) and explains. */
bool gui_window_driver_is_real(const char *driver);

/* Runs until the user quits. The window is titled "brksim — TITLE (PATH)"
 * with the scenario's title in the caption language (it follows L);
 * path may be NULL. Returns a GUI_EXIT_* status. The same as
 * gui_window_open, gui_window_loop and gui_window_close. */
int gui_window_run(gui_view *view, gui_text *text, const char *path, int width, int height,
		   const gui_window_hooks *hooks, char *err, size_t err_size);

/* The window opened before its view exists, so that a long trace shows
 * how far its opening has come (gui_window_loading) and a missing display
 * is said before the wait. NULL when none can be opened (err says why:
 * an environment error). */
typedef struct gui_window gui_window;
gui_window *gui_window_open(const char *title, int width, int height, char *err, size_t err_size);
/* While the view is built: reads the input and, every tenth of a second,
 * draws `state` (layout_loading.h). False when the user closed the
 * window or pressed Esc or Q: the build should stop. */
bool gui_window_loading(gui_window *window, gui_text *text, const gui_loading *state);
/* gui_window_run's loop in a window opened already (titled anew from
 * the view); the window stays open (gui_window_close). */
int gui_window_loop(gui_window *window, gui_view *view, gui_text *text, const char *path, int width, int height,
		    const gui_window_hooks *hooks, char *err, size_t err_size);
/* Closes it; `text` (when not NULL) forgets the textures it made with the
 * window's renderer, which go with it. */
void gui_window_close(gui_window *window, gui_text *text);

/* Renders the view's current frame with the software renderer into a new
 * 24-bit RGB buffer (*rgb, width*3 bytes per row; caller frees). */
bool gui_render_offscreen(gui_view *view, gui_text *text, int width, int height, uint8_t **rgb, char *err,
			  size_t err_size);

/* Writes the renderer's current content as PNG, to a new file at path
 * (never over one: the caller finds a free name). */
bool gui_save_renderer_png(SDL_Renderer *renderer, int width, int height, const char *path, char *err, size_t err_size);

#endif
