/* png.h — writing an RGB image as a PNG file.
 *
 * Owns: the PNG container (signature, IHDR, IDAT via zlib, IEND, CRCs) and
 * per-row filter choice. Must not: know about SDL. SDL2 has no PNG writer;
 * this keeps screenshots small without another library. */
#ifndef BRKSIM_GUI_PNG_H
#define BRKSIM_GUI_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* rgb: height rows of width*3 bytes, `stride` bytes apart. Returns false
 * with a message in err (naming the file) on failure. */
bool gui_png_write(const char *path, const uint8_t *rgb, int width, int height, size_t stride, char *err,
		   size_t err_size);

/* Encodes into a malloc'd buffer (*out, *out_size); false on failure. */
bool gui_png_encode(const uint8_t *rgb, int width, int height, size_t stride, uint8_t **out, size_t *out_size);

#endif
