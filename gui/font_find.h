/* font_find.h — finding a font that covers Latin and Chinese.
 *
 * Owns: the search order (explicit path, $BRKSIM_FONT, known install
 * paths of Debian's fonts-wqy-microhei and a few other CJK fonts) and the
 * message when nothing is found. Must not: open the font (text.c does). */
#ifndef BRKSIM_GUI_FONT_FIND_H
#define BRKSIM_GUI_FONT_FIND_H

#include <stddef.h>

#define GUI_FONT_PACKAGE "fonts-wqy-microhei"
#define GUI_FONT_DEFAULT_PATH "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/* Writes the chosen path into out and returns 0, or returns 2 (an
 * environment error) with a message naming what was tried and the Debian
 * package to install. An explicit path or $BRKSIM_FONT that does not
 * exist is an error, not a reason to fall back silently. */
int gui_font_find(const char *explicit_path, char *out, size_t out_size, char *err, size_t err_size);

#endif
