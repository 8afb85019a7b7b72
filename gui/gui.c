/* gui.c — gui_show: font, view, then a window or an off-screen PNG.
 *
 * Owns: the order of set-up and the exit statuses of gui.h. Must not:
 * print or exit; the caller (app/) reports err. */
#include "gui.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/timeline.h"
#include "font_find.h"
#include "png.h"
#include "source_pack.h"
#include "source_text.h"
#include "text.h"
#include "view.h"
#include "window.h"

/* "zh" when the user's locale is Chinese, else "en". */
static const char *locale_language(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			return strncmp(v, "zh", 2) == 0 ? "zh" : "en";
	}
	return "en";
}

/* The window's loading frame while the view is built. */
typedef struct loading {
	gui_window *window;
	gui_text *text;
	gui_loading state;
	bool stopped; /* the user closed the window, or pressed Esc or Q */
} loading;

static bool loading_progress(void *context, double fraction)
{
	loading *l = context;
	l->state.fraction = fraction;
	if (!gui_window_loading(l->window, l->text, &l->state))
		l->stopped = true;
	return !l->stopped;
}

int gui_show(const gui_options *options, char *err, size_t err_size)
{
	err[0] = '\0';
	if (!options || !options->script) {
		snprintf(err, err_size, "no scenario to show");
		return GUI_EXIT_FAILURE;
	}
	int width = options->width > 0 ? options->width : GUI_DEFAULT_WIDTH;
	int height = options->height > 0 ? options->height : GUI_DEFAULT_HEIGHT;
	if (width < GUI_MIN_WIDTH || height < GUI_MIN_HEIGHT || width > GUI_MAX_SIDE || height > GUI_MAX_SIDE) {
		snprintf(err, err_size, "size %dx%d is out of range (%dx%d to %dx%d)", width, height, GUI_MIN_WIDTH,
		         GUI_MIN_HEIGHT, GUI_MAX_SIDE, GUI_MAX_SIDE);
		return GUI_EXIT_ENVIRONMENT;
	}
	/* (before the timeline is built: a refusal after a long build wastes it) */
	if (options->screenshot_path && !gui_png_may_write(options->screenshot_path, GUI_PNG_NEW_OR_OURS, err, err_size))
		return GUI_EXIT_ENVIRONMENT;
	char font_path[1024];
	int status = gui_font_find(options->font_path, font_path, sizeof font_path, err, err_size);
	if (status != 0)
		return status;

	if (SDL_Init(0) != 0 || TTF_Init() != 0) {
		snprintf(err, err_size, "cannot initialise SDL: %s", SDL_GetError());
		return GUI_EXIT_ENVIRONMENT;
	}
	gui_text *text = gui_text_new(font_path, err, err_size);
	gui_view *view = NULL;
	loading load = {.text = text};
	gui_source_text *packed = NULL;
	if (!text) {
		status = GUI_EXIT_ENVIRONMENT;
		goto done;
	}
	gui_view_config config = {
		.script = options->script,
		.slot_sites = options->slot_sites,
		.stacks = options->stacks,
		.source_kind = options->source_kind,
		.config = options->config,
		.source = options->source,
		.source_len = options->source_len,
		.start_step = 0,
		.lang = options->lang ? options->lang : locale_language(),
		.break_on = options->break_on,
	};
	/* A step past any the file can have is said before any wait. */
	size_t ops = options->script->op_count;
	if (options->compare && options->compare->script->op_count > ops)
		ops = options->compare->script->op_count;
	if (options->start_step < 0 ? (size_t)(-options->start_step) > ops + 1 : (size_t)options->start_step > ops) {
		snprintf(err, err_size, "step %ld is %s: %s has %zu steps (0 to %zu; -1 to -%zu count from the end)",
		         options->start_step, options->start_step < 0 ? "before the start" : "past the end",
		         options->path ? options->path : "the scenario", ops, ops, ops + 1);
		status = GUI_EXIT_ENVIRONMENT;
		goto done;
	}
	/* A window opens first (not for a screenshot): a long trace's
	 * timeline takes seconds to build (2.6 s for a 2.6M-call perl
	 * recording), shown as a bar that Esc, Q or closing the window stop;
	 * and a missing display is said at once. */
	bool pack_here = options->source && options->release_source && !options->source_text;
	if (!options->screenshot_path) {
		char title[512];
		snprintf(title, sizeof title, "brksim — %s", options->path ? options->path : "scenario");
		load.window = gui_window_open(title, width, height, err, err_size);
		if (!load.window) {
			status = GUI_EXIT_ENVIRONMENT;
			goto done;
		}
		load.state = (gui_loading){.name = options->path, .steps = ops, .fraction = 0,
		                           .lang = strncmp(config.lang, "zh", 2) == 0 ? GUI_UI_ZH : GUI_UI_EN};
		/* (first told after SIM_TIMELINE_PROGRESS_OPS ops: a lesson
		 * opens without a loading frame; a trace that long has it from
		 * the start) */
		config.progress = loading_progress;
		config.progress_context = &load;
		if (ops >= SIM_TIMELINE_PROGRESS_OPS && !loading_progress(&load, 0)) {
			status = GUI_EXIT_OK;
			goto done;
		}
	}
	/* The file's text is packed for the source panel meanwhile, on a
	 * thread of its own (source_pack.h): a quarter of a second for a
	 * 1.29M-call recording's 33 MB. */
	gui_source_pack *packing = NULL;
	if (pack_here) {
		packing = gui_source_pack_start(options->source, options->source_len, options->release_source,
		                                options->release_context);
		if (packing != NULL) {
			config.source = NULL;
			config.source_len = 0;
		}
	}
	view = gui_view_new_compare(&config, options->label, options->compare, err, err_size);
	if (!view)
		gui_source_pack_stop(packing);
	packed = gui_source_pack_finish(packing);
	if (!view) {
		/* (closed while it opened: the user's choice, no error) */
		status = load.stopped ? GUI_EXIT_OK : GUI_EXIT_FAILURE;
		if (load.stopped)
			err[0] = '\0';
		goto done;
	}
	if (options->source_text != NULL || packed != NULL)
		gui_view_set_source_text(view, packed != NULL ? packed : options->source_text);
	size_t length = gui_view_length(view);
	size_t start = options->start_step > 0 ? (size_t)options->start_step : 0;
	if (options->start_step < 0) { /* from the end: -1 is the last step */
		if ((size_t)(-options->start_step) > length + 1) {
			snprintf(err, err_size, "step %ld is before the start: %s has %zu steps (-1 to -%zu count from the end)",
				 options->start_step, options->path ? options->path : "the scenario", length, length + 1);
			status = GUI_EXIT_ENVIRONMENT;
			goto done;
		}
		start = length + 1 - (size_t)(-options->start_step);
	}
	if (start > length) {
		snprintf(err, err_size, "step %zu is past the end: %s has %zu steps (0 to %zu)", start,
			 options->path ? options->path : "the scenario", length, length);
		status = GUI_EXIT_ENVIRONMENT;
		goto done;
	}
	gui_view_seek(view, start);
	if (options->arena_given) {
		size_t arenas = gui_view_arena_count(view);
		if (options->arena >= arenas) {
			snprintf(err, err_size, "--arena %u: at step %zu %s has %zu arena%s (0 to %zu)%s", (unsigned)options->arena,
			         start, options->path ? options->path : "the scenario", arenas, arenas == 1 ? "" : "s", arenas - 1,
			         options->compare ? " under either profile" : "");
			status = GUI_EXIT_ENVIRONMENT;
			goto done;
		}
		gui_view_show_arena(view, options->arena);
	}
	if (options->present)
		gui_view_action(view, GUI_ACT_PRESENT);

	if (options->screenshot_path) {
		uint8_t *rgb = NULL;
		if (!gui_render_offscreen(view, text, width, height, &rgb, err, err_size)) {
			status = GUI_EXIT_FAILURE;
			goto done;
		}
		bool ok = gui_png_write(options->screenshot_path, GUI_PNG_NEW_OR_OURS, rgb, width, height, (size_t)width * 3,
		                         err, err_size);
		free(rgb);
		status = ok ? GUI_EXIT_OK : GUI_EXIT_FAILURE;
		goto done;
	}

	status = gui_window_loop(load.window, view, text, options->path, width, height, NULL, err, err_size);
done:
	gui_window_close(load.window, text);
	gui_view_free(view);
	gui_source_text_free(packed);
	gui_text_free(text);
	TTF_Quit();
	SDL_Quit();
	return status;
}
