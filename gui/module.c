/* module.c — the table brksim-gui.so exports (see module.h). */
#include "module.h"

extern const gui_module brksim_gui_module;
__attribute__((visibility("default"))) const gui_module brksim_gui_module = {
	BRKSIM_VERSION, sizeof(gui_options), gui_show, gui_font_find_checked,
};
