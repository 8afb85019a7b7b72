/* font_find.h — finding a font that covers Latin and Chinese.
 *
 * Owns: the search order (explicit path, $BRKSIM_FONT, then fontconfig:
 * WenQuanYi Micro Hei, which the pixel tests and screenshots are drawn
 * with, else whatever sans-serif font fontconfig has for Chinese), the
 * check that the chosen font has Chinese glyphs, and the messages. Must
 * not: open the font for drawing (text.c does) or print. */
#ifndef BRKSIM_GUI_FONT_FIND_H
#define BRKSIM_GUI_FONT_FIND_H

#include <stdbool.h>
#include <stddef.h>

#define GUI_FONT_PACKAGE "fonts-wqy-microhei"
#define GUI_FONT_FAMILY "WenQuanYi Micro Hei"

/* Writes the chosen path into out and returns 0, or returns 2 (an
 * environment error) with a message naming what was tried and the Debian
 * package to install. An explicit path or $BRKSIM_FONT that does not
 * exist is an error, not a reason to fall back silently. */
int gui_font_find(const char *explicit_path, char *out, size_t out_size, char *err, size_t err_size);

/* Whether the font file has glyphs for Chinese text (it is asked for 中,
 * 文, 堆 and 块). False also when fontconfig cannot read the file. */
bool gui_font_has_cjk(const char *path);

/* gui_font_find, plus a warning (empty when none) when the font found has
 * no Chinese glyphs: a Latin-only $BRKSIM_FONT would draw Chinese captions
 * as boxes. */
int gui_font_find_checked(const char *explicit_path, char *out, size_t out_size, char *warning, size_t warning_size,
			  char *err, size_t err_size);

#endif
