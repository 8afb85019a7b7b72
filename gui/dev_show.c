/* dev_show.c — brksim-gui-dev: a development driver for the view that
 * parses a scenario and calls gui_show, as `brksim show` does.
 *
 * Owns: nothing the product needs; it exists so the GUI can be run and
 * screenshotted on its own. Usage:
 *   brksim-gui-dev FILE [--step N] [--screenshot OUT.png] [--size WxH] [--lang xx] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/input_file.h"
#include "../lang/script.h"
#include "gui.h"
#include "font_find.h"
#include "png.h"
#include "view.h"
#include "window.h"
#include <SDL_ttf.h>

static float g_mouse_x, g_mouse_y;
static int g_help, g_zoom;

/* Renders the animation from start_step - 1 to start_step at progress p
 * (p < 0: the step itself), with the development options applied. */
static int render_tween(const gui_options *o, double p, char *err, size_t err_size)
{
	char font[1024];
	if (gui_font_find(NULL, font, sizeof font, err, err_size) != 0 || SDL_Init(0) != 0 || TTF_Init() != 0)
		return 2;
	gui_text *text = gui_text_new(font, err, err_size);
	gui_view_config vc = {o->script, o->config, o->source, o->source_len, 0, o->lang, o->slot_sites, o->stacks, o->source_kind, NULL, NULL, NULL};
	gui_view *view = text ? gui_view_new(&vc, err, err_size) : NULL;
	if (!view)
		return 2;
	int w = o->width ? o->width : 1280, h = o->height ? o->height : 720;
	if (p >= 0 && o->start_step > 0) {
		gui_view_seek(view, (size_t)o->start_step - 1);
		gui_view_action(view, GUI_ACT_STEP_FORWARD);
		/* manual steps animate for GUI_TWEEN_MS at speed 1 */
		gui_view_tick(view, p * GUI_TWEEN_MS);
	} else {
		gui_view_seek(view, (size_t)o->start_step);
	}
	if (g_help)
		gui_view_action(view, GUI_ACT_HELP);
	if (g_zoom || g_mouse_x >= 0) { /* one frame to learn the geometry */
		uint8_t *scratch = NULL;
		gui_render_offscreen(view, text, w, h, &scratch, err, err_size);
		free(scratch);
	}
	for (int i = 0; i < g_zoom; i++)
		gui_view_wheel(view, g_mouse_x >= 0 ? g_mouse_x : (float)w / 2, g_mouse_y >= 0 ? g_mouse_y : (float)h / 4, 4);
	if (g_mouse_x >= 0)
		gui_view_mouse_move(view, g_mouse_x, g_mouse_y);
	uint8_t *rgb = NULL;
	int status = 1;
	if (gui_render_offscreen(view, text, w, h, &rgb, err, err_size) &&
	    gui_png_write(o->screenshot_path, GUI_PNG_NEW_OR_OURS, rgb, w, h, (size_t)w * 3, err, err_size))
		status = 0;
	free(rgb);
	gui_view_free(view);
	gui_text_free(text);
	return status;
}

int main(int argc, char **argv)
{
	gui_options options = {0};
	options.start_step = 0;
	double tween = -1; /* --tween P: render the step into start_step at progress P (development only) */
	float mouse_x = -1, mouse_y = -1; /* --mouse X,Y: hover there (tooltip) */
	int help = 0, zoom = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--step") == 0 && i + 1 < argc)
			options.start_step = atol(argv[++i]);
		else if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
			options.screenshot_path = argv[++i];
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%dx%d", &options.width, &options.height);
		else if (strcmp(argv[i], "--mouse") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%f,%f", &mouse_x, &mouse_y);
		else if (strcmp(argv[i], "--help-overlay") == 0)
			help = 1;
		else if (strcmp(argv[i], "--zoom") == 0 && i + 1 < argc)
			zoom = atoi(argv[++i]);
		else if (strcmp(argv[i], "--tween") == 0 && i + 1 < argc)
			tween = atof(argv[++i]);
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			options.lang = argv[++i];
		else
			options.path = argv[i];
	}
	if (!options.path) {
		fprintf(stderr, "usage: brksim-gui-dev FILE [--step N] [--screenshot OUT.png] [--size WxH] [--lang xx]\n");
		return 2;
	}
	size_t len = 0;
	char *text = NULL;
	char why[1200];
	diag_list diags;
	diag_list_init(&diags);
	input_file_status got = input_file_read(options.path, &text, &len, &diags, why, sizeof why);
	if (got == INPUT_FILE_UNREADABLE) {
		fprintf(stderr, "brksim-gui-dev: %s\n", why);
		return 2;
	}
	script s;
	script_init(&s);
	if (got != INPUT_FILE_OK || !script_parse(text, len, &s, &diags)) {
		for (size_t i = 0; i < diags.count; i++) {
			char *msg = diag_render(&diags.items[i], options.path, text, len);
			fprintf(stderr, "%s\n", msg ? msg : "error");
			free(msg);
		}
		return 1;
	}
	if (!script_keep_glibc(&s, s.config.profile)) { /* the captions of the lesson's own profile, as brksim show */
		fprintf(stderr, "%s: error: out of memory\n", options.path);
		return 1;
	}
	options.source = text;
	options.source_len = len;
	options.script = &s;
	options.config = s.config;
	char err[512];
	int status;
	g_mouse_x = mouse_x;
	g_mouse_y = mouse_y;
	g_help = help;
	g_zoom = zoom;
	if (options.screenshot_path && (tween >= 0 || mouse_x >= 0 || help || zoom))
		status = render_tween(&options, tween, err, sizeof err);
	else
		status = gui_show(&options, err, sizeof err);
	if (status != 0)
		fprintf(stderr, "brksim-gui-dev: %s\n", err);
	diag_list_release(&diags);
	script_release(&s);
	free(text);
	return status;
}
