/* png.h — an RGB image as a PNG file.
 *
 * Owns: the PNG container (signature, IHDR, a tEXt chunk saying brksim
 * made it, IDAT via zlib, IEND, CRCs) and per-row filter choice
 * (png.c), and where such a file may be written (png_file.c). Must not:
 * know about SDL. SDL2 has no PNG writer; this keeps screenshots small
 * without another library. */
#ifndef BRKSIM_GUI_PNG_H
#define BRKSIM_GUI_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tEXt chunk's keyword and text, right after IHDR in every PNG
 * brksim writes: how an earlier screenshot is told from a user's file. */
#define GUI_PNG_MARK "Software\0brksim screenshot"

/* Encodes into a malloc'd buffer (*out, *out_size); false on failure. */
bool gui_png_encode(const uint8_t *rgb, int width, int height, size_t stride, uint8_t **out, size_t *out_size);

/* What may already be at the path a PNG is written to. A screenshot
 * never replaces a file brksim did not make: `show --screenshot
 * lesson.heap lesson.heap` wrote a PNG over the lesson. */
typedef enum gui_png_target {
	GUI_PNG_NEW_ONLY,    /* nothing (the window's S key: a name of its own) */
	GUI_PNG_NEW_OR_OURS, /* nothing, an earlier brksim screenshot (replaced), or a device such as /dev/null */
} gui_png_target;

/* Whether path may be written as target says; false with a message in
 * err (checked before `show` builds anything, and again when written). */
bool gui_png_may_write(const char *path, gui_png_target target, char *err, size_t err_size);

/* rgb: height rows of width*3 bytes, `stride` bytes apart, written to
 * path as target allows. Returns false with a message in err (naming the
 * file) on failure; a file it made and could not finish is removed. */
bool gui_png_write(const char *path, gui_png_target target, const uint8_t *rgb, int width, int height,
		   size_t stride, char *err, size_t err_size);

#endif
