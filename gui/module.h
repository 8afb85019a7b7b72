/* module.h — the SDL view as a module (brksim-gui.so) that `brksim show`
 * loads when it runs, so that the other commands start without SDL2,
 * SDL2_ttf, fontconfig and the ~55 libraries they bring (4-5 ms of CPU and
 * ~460 page faults of every brksim process went to loading and relocating
 * them).
 *
 * Owns: the one symbol the module exports (GUI_MODULE_SYMBOL), a table of
 * the four calls show.c makes. Must not: hold state; the module links its
 * own copies of the pure layers (sim/, lang/, trace/: no globals), which
 * work on what brksim made because the same build compiled both (the
 * table names the build: a module of another is refused). */
#ifndef BRKSIM_GUI_MODULE_H
#define BRKSIM_GUI_MODULE_H

#include <stddef.h>

#include "font_find.h"
#include "gui.h"

#define GUI_MODULE_NAME "brksim-gui.so"
#define GUI_MODULE_SYMBOL "brksim_gui_module"

typedef struct gui_module {
	const char *version;  /* BRKSIM_VERSION of the build */
	size_t options_size;  /* sizeof (gui_options) of the build */
	int (*show)(const gui_options *options, char *err, size_t err_size);
	int (*font_find_checked)(const char *explicit_path, char *out, size_t out_size, char *warning,
	                         size_t warning_size, char *err, size_t err_size);
} gui_module;

#endif
