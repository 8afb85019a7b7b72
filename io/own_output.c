/* own_output.c — where a user-named output may be written (see
 * own_output.h). */
#define _GNU_SOURCE
#include "own_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the regular file at path begins as an earlier output of kind. */
static bool is_ours(const char *path, const own_output_kind *kind)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char head[256];
	size_t want = kind->head_bytes < sizeof head ? kind->head_bytes : sizeof head;
	struct stat st;
	ssize_t n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, head, want);
	close(fd);
	return n > 0 && kind->is_ours(head, (size_t)n);
}

/* What is at path: 0 nothing (its directory there), 1 a device, 2 an
 * earlier output of kind; -1 refused, with the message in err. */
static int what_is_there(const char *path, const own_output_kind *kind, own_output_mode mode, char *err,
                         size_t err_size)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			snprintf(err, err_size, "%s: %s", path, strerror(errno));
			return -1;
		}
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
	if (mode == OWN_OUTPUT_NEW_OR_OURS && S_ISCHR(st.st_mode))
		return 1;
	if (mode == OWN_OUTPUT_NEW_OR_OURS && S_ISREG(st.st_mode) && is_ours(path, kind))
		return 2;
	if (mode == OWN_OUTPUT_NEW_ONLY)
		snprintf(err, err_size, "%s exists: the %s is not written over it", path, kind->noun);
	else
		snprintf(err, err_size,
		         "%s exists and is not a brksim %s; brksim writes %s to a new file or over an earlier %s only "
		         "(choose another name or remove it)",
		         path, kind->noun, kind->writes, kind->noun);
	return -1;
}

bool own_output_may_write(const char *path, const own_output_kind *kind, own_output_mode mode, char *err,
                          size_t err_size)
{
	return what_is_there(path, kind, mode, err, err_size) >= 0;
}

int own_output_open(const char *path, const own_output_kind *kind, own_output_mode mode, bool *made, char *err,
                    size_t err_size)
{
	*made = false;
	int there = what_is_there(path, kind, mode, err, err_size);
	if (there < 0)
		return -1;
	if (there == 2 && unlink(path) != 0) {
		snprintf(err, err_size, "cannot replace the earlier %s %s: %s", kind->noun, path, strerror(errno));
		return -1;
	}
	int fd = there == 1 ? open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
	                    : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, err_size, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	*made = there != 1;
	return fd;
}
