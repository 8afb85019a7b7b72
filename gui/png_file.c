/* png_file.c — where a PNG may be written (see png.h): a new file, or,
 * when asked, over an earlier brksim screenshot or into a device; never
 * over anything else, which stays as it was. */
#define _GNU_SOURCE
#include "png.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the mark's chunk starts: the signature (8) and IHDR's chunk (25). */
enum { MARK_AT = 8 + 25 };

/* Whether the regular file at path is a PNG brksim wrote. */
static bool is_our_png(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char head[MARK_AT + 8 + sizeof GUI_PNG_MARK];
	struct stat st;
	ssize_t n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, head, sizeof head);
	close(fd);
	size_t mark = sizeof GUI_PNG_MARK - 1;
	return n >= (ssize_t)(MARK_AT + 8 + mark) && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	       head[MARK_AT] == 0 && head[MARK_AT + 1] == 0 && head[MARK_AT + 2] == 0 && head[MARK_AT + 3] == mark &&
	       memcmp(head + MARK_AT + 4, "tEXt", 4) == 0 && memcmp(head + MARK_AT + 8, GUI_PNG_MARK, mark) == 0;
}

/* What is at path: 0 nothing, 1 a device (written into), 2 an earlier
 * screenshot (replaced); -1 refused, with the message in err. */
static int target_kind(const char *path, gui_png_target target, char *err, size_t err_size)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT) {
			/* a new file: said now if it cannot be made there, not
			 * after the picture is drawn */
			char dir[4096];
			const char *slash = strrchr(path, '/');
			size_t n = slash == NULL ? 0 : slash == path ? 1 : (size_t)(slash - path);
			if (n == 0)
				snprintf(dir, sizeof dir, ".");
			else
				snprintf(dir, sizeof dir, "%.*s", (int)n, path);
			if (n >= sizeof dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
				snprintf(err, err_size, "cannot write %s: its directory does not exist", path);
				return -1;
			}
			return 0;
		}
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (target == GUI_PNG_NEW_OR_OURS && S_ISCHR(st.st_mode))
		return 1;
	if (target == GUI_PNG_NEW_OR_OURS && S_ISREG(st.st_mode) && is_our_png(path))
		return 2;
	if (target == GUI_PNG_NEW_ONLY)
		snprintf(err, err_size, "%s exists: the screenshot is not written over it", path);
	else
		snprintf(err, err_size,
		         "%s exists and is not a brksim screenshot; brksim writes a screenshot to a new file or over an "
		         "earlier screenshot only (choose another name or remove it)",
		         path);
	return -1;
}

bool gui_png_may_write(const char *path, gui_png_target target, char *err, size_t err_size)
{
	return target_kind(path, target, err, err_size) >= 0;
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
	int kind = target_kind(path, target, err, err_size);
	if (kind == 2 && unlink(path) != 0) {
		snprintf(err, err_size, "cannot replace the earlier screenshot %s: %s", path, strerror(errno));
		kind = -1;
	}
	/* a file is made anew (O_EXCL: not one that appeared meanwhile), a
	 * device opened as it is */
	int fd = kind < 0    ? -1
	         : kind == 1 ? open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
	                     : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (kind >= 0)
			snprintf(err, err_size, "cannot create %s: %s", path, strerror(errno));
		free(png);
		return false;
	}
	bool ok = true;
	for (size_t done = 0; ok && done < size;) {
		ssize_t n = write(fd, png + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		done += n > 0 ? (size_t)n : 0;
	}
	int saved = errno;
	ok = close(fd) == 0 && ok;
	free(png);
	if (!ok) {
		if (kind != 1)
			unlink(path); /* ours: made just now */
		snprintf(err, err_size, "%s: write failed: %s", path, strerror(saved ? saved : errno));
		return false;
	}
	return true;
}
