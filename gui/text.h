/* text.h — fonts and text for the SDL renderer.
 *
 * Owns: one TTF_Font per (pixel size, bold), a cache of measured widths
 * and a cache of rendered texts (surfaces, and textures for the current
 * renderer). Must
 * not: decide where text goes (the layout does). Text is rendered in its
 * colour once and reused while it stays on screen. */
#ifndef BRKSIM_GUI_TEXT_H
#define BRKSIM_GUI_TEXT_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "draw.h"
#include "layout.h"

typedef struct gui_text gui_text;

/* Opens the font file (TTF_Init must have been called). NULL with a
 * message on failure. */
gui_text *gui_text_new(const char *font_path, char *err, size_t err_size);
void gui_text_free(gui_text *text);

/* Measurement callbacks backed by this font. */
gui_metrics gui_text_metrics(gui_text *text);

/* Draws a TEXT command. Textures belong to `renderer`; switching renderer
 * drops the texture cache. */
void gui_text_draw(gui_text *text, SDL_Renderer *renderer, const gui_cmd *cmd, const char *utf8);
/* Draws a TEXT command straight into a 32-bit ARGB8888 surface (what the
 * software renderer draws into), clipped to clip (NULL: none): blending
 * skips the transparent gaps between glyphs, which SDL's generic blitter
 * does not. */
void gui_text_blit(gui_text *text, SDL_Surface *target, const SDL_Rect *clip, const gui_cmd *cmd, const char *utf8);
/* Destroys the cached textures (call before destroying their renderer). */
void gui_text_forget_renderer(gui_text *text);
/* Ends a frame: textures unused for a while may be reused. */
void gui_text_frame_done(gui_text *text);
/* The bytes the cached texts' surfaces hold: at most
 * GUI_TEXT_CACHE_BYTES, more only while one frame's own texts (those
 * drawn since the last gui_text_frame_done) take more. 3 MB: ← walking
 * back 1,000 steps over perl-1m rendered 10,096 texts, 10,071 with 6 MB
 * (and 11,099 with 2). */
#define GUI_TEXT_CACHE_BYTES ((size_t)3 << 20)
size_t gui_text_bytes(const gui_text *text);

/* True when the font has a glyph for every character of utf8; otherwise
 * *missing is the first code point without one. */
bool gui_text_covers(gui_text *text, const char *utf8, uint32_t *missing);

#endif
