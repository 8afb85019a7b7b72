/* source_pack.h — a file's text packed for the source panel on a thread
 * of its own, while the window builds the timeline.
 *
 * Packing a 1.29M-call recording's 33 MB at zlib's fastest level takes a
 * quarter of a second, a fifth of what opening it in the window took
 * before its first frame; the timeline's build does not need the text,
 * so the two run side by side. Owns: the thread and the raw text's
 * release once packed (its memory goes back early in the build, where
 * the window's peak is at its end). Must not: touch the view. */
#ifndef BRKSIM_GUI_SOURCE_PACK_H
#define BRKSIM_GUI_SOURCE_PACK_H

#include <stddef.h>

#include "source_text.h"

typedef struct gui_source_pack gui_source_pack;

/* Starts packing `len` bytes of `text`; `release(context)` is called on
 * the packing thread once they are packed (and not when packing fails),
 * after which the text is not read again. Where no thread can be made,
 * it packs at once. NULL when out of memory (nothing started, nothing
 * released). */
gui_source_pack *gui_source_pack_start(const char *text, size_t len, void (*release)(void *context), void *context);
/* Waits for it and returns the packed text (the caller's to free), or
 * NULL when packing failed or was stopped; frees `pack`. */
gui_source_text *gui_source_pack_finish(gui_source_pack *pack);
/* Asks it to stop soon (the window was closed while it opened). */
void gui_source_pack_stop(gui_source_pack *pack);

#endif
