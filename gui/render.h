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

/* Draws the list. When target is the 32-bit surface that `renderer` (a
 * software renderer) draws into, fills and text are written into its
 * pixels directly (faster than SDL's generic paths, same pixels within
 * rounding); lines, hatching and triangles go through SDL either way.
 * target may be NULL (any renderer). */
void gui_render(SDL_Renderer *renderer, SDL_Surface *target, gui_text *text, const gui_drawlist *list);

#endif
