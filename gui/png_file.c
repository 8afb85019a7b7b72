/* png_file.c — a PNG written where it may go (see png.h): the screenshot
 * kind of io/own_output.h, told by the tEXt chunk every PNG brksim writes
 * carries right after IHDR. */
#include "png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/own_output.h"
#include "io/write_all.h"

/* Where the mark's chunk starts: the signature (8) and IHDR's chunk (25). */
enum { MARK_AT = 8 + 25, MARK_LEN = sizeof GUI_PNG_MARK - 1 };

static bool png_is_ours(const unsigned char *head, size_t n)
{
	return n >= MARK_AT + 8 + MARK_LEN && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0 && head[MARK_AT] == 0 &&
	       head[MARK_AT + 1] == 0 && head[MARK_AT + 2] == 0 && head[MARK_AT + 3] == MARK_LEN &&
	       memcmp(head + MARK_AT + 4, "tEXt", 4) == 0 && memcmp(head + MARK_AT + 8, GUI_PNG_MARK, MARK_LEN) == 0;
}

static const own_output_kind screenshot = {"screenshot", "a screenshot", png_is_ours, MARK_AT + 8 + MARK_LEN};

static own_output_mode mode_of(gui_png_target target)
{
	return target == GUI_PNG_NEW_ONLY ? OWN_OUTPUT_NEW_ONLY : OWN_OUTPUT_NEW_OR_OURS;
}

bool gui_png_may_write(const char *path, gui_png_target target, char *err, size_t err_size)
{
	return own_output_may_write(path, &screenshot, mode_of(target), err, err_size);
}

bool gui_png_write(const char *path, gui_png_target target, const uint8_t *rgb, int width, int height,
		   size_t stride, char *err, size_t err_size)
{
	uint8_t *png;
	size_t size;
	if (!gui_png_encode(rgb, width, height, stride, &png, &size)) {
		snprintf(err, err_size, "%s: cannot encode the image (out of memory)", path);
		return false;
	}
	bool made;
	int fd = own_output_open(path, &screenshot, mode_of(target), &made, err, err_size);
	if (fd < 0) {
		free(png);
		return false;
	}
	errno = 0;
	bool ok = io_write_all(fd, png, size);
	int saved = ok ? 0 : errno;
	ok = close(fd) == 0 && ok;
	free(png);
	if (!ok) {
		if (made)
			unlink(path); /* ours: made just now */
		snprintf(err, err_size, "%s: write failed: %s", path, strerror(saved ? saved : errno));
		return false;
	}
	return true;
}
