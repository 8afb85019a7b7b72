/* source_text.h — a file's text kept compressed, line by line, for the
 * source panel.
 *
 * Owns: the text deflated in blocks of lines and the one block inflated
 * last. A recording's text is only ever shown a few lines at a time, but
 * is as large as its model state (a 1.29M-call perl recording: 33 MB;
 * 5.5 MB packed), so `brksim show` keeps it packed and frees the file.
 * Must not: draw (layout_source.c does) or read files. */
#ifndef BRKSIM_GUI_SOURCE_TEXT_H
#define BRKSIM_GUI_SOURCE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gui_source_text gui_source_text;

/* What the source panel shows, which its title says: a scenario (a
 * lesson), an imported trace (mtrace, ltrace, .rep, .ops) or a
 * recording of `brksim record`. */
typedef enum gui_source_kind {
	GUI_SOURCE_SCENARIO = 0,
	GUI_SOURCE_TRACE,
	GUI_SOURCE_RECORDING,
} gui_source_kind;

/* Packs `len` bytes of `text` (which may be freed afterwards). Lines end
 * at '\n'; a last line without one counts, an empty text has no line.
 * NULL on allocation failure. */
gui_source_text *gui_source_text_new(const char *text, size_t len);
/* The same, telling `progress` (when not NULL) how far it is, 0 to 1 of
 * the bytes, every 64 blocks; NULL also when it said stop (*stopped). */
gui_source_text *gui_source_text_new_watched(const char *text, size_t len, bool (*progress)(void *context, double fraction),
                                             void *context, bool *stopped);
void gui_source_text_free(gui_source_text *source);

size_t gui_source_text_lines(const gui_source_text *source);
/* Line `line` (1-based) without its '\n', *len bytes, not NUL-terminated;
 * valid until the next call. NULL past the last line (or when memory
 * runs out inflating its block). */
const char *gui_source_text_line(gui_source_text *source, size_t line, size_t *len);
/* The same as a layout callback (gui_frame_input.source_line): ctx is the
 * gui_source_text. */
const char *gui_source_text_line_cb(void *ctx, size_t line, size_t *len);

#endif
