/* render.h — executes a draw list on an SDL_Renderer.
 *
 * Owns: the translation of draw commands into SDL calls. Must not: decide
 * anything about layout. Works with the software renderer, which the
 * headless screenshot path and the tests use. */
#ifndef BRKSIM_GUI_RENDER_H
#define BRKSIM_GUI_RENDER_H

#include <SDL.h>

#include "draw.h"
#include "text.h"

void gui_render(SDL_Renderer *renderer, gui_text *text, const gui_drawlist *list);

#endif
