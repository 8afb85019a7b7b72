/* input_file.c — see input_file.h. */
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lang/input_limits.h"
#include "lang/utf8.h"

#define INPUT_READ_CHUNK ((size_t)1 << 20)

/* What a file type is called in the refusal, or NULL when it is read. */
static const char *refused_kind(const struct stat *st)
{
	mode_t mode = st->st_mode;
	if (S_ISREG(mode) || S_ISFIFO(mode))
		return NULL;
	/* /dev/null (1:3) is the one device that is known to end: at once. */
	if (S_ISCHR(mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3)
		return NULL;
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* Follows the lines of what has been read so far. */
typedef struct line_watch {
	size_t start;    /* offset of the current (unfinished) line */
	size_t scanned;  /* bytes already looked at for newlines */
	uint32_t number; /* 1-based number of the current line */
} line_watch;

/* Looks at buf[w->scanned..n) (eof: nothing more will come); false as
 * soon as a line is longer than INPUT_MAX_LINE. */
static bool lines_fit(line_watch *w, const char *buf, size_t n, bool eof)
{
	while (w->scanned < n) {
		const char *nl = memchr(buf + w->scanned, '\n', n - w->scanned);
		if (nl == NULL) {
			w->scanned = n;
			break;
		}
		size_t end = (size_t)(nl - buf);
		/* (a line no longer than the limit with its "\r" fits: the
		 * measure that strips it only runs for the long ones) */
		if (end - w->start > INPUT_MAX_LINE &&
		    input_limits_line_length(buf + w->start, end + 1 - w->start) > INPUT_MAX_LINE)
			return false;
		w->start = end + 1;
		w->scanned = end + 1;
		w->number++;
	}
	/* The unfinished line: a "\r" may still come before its "\n". */
	size_t tail = n - w->start;
	if (eof)
		return input_limits_line_length(buf + w->start, tail) <= INPUT_MAX_LINE;
	return tail <= INPUT_MAX_LINE + 1;
}

static void set_why(char *why, size_t why_size, const char *path, const char *reason)
{
	char shown[1024];
	utf8_escape(path, strlen(path), UTF8_ESCAPE_LINE, shown, sizeof shown, NULL);
	snprintf(why, why_size, "cannot read '%s': %s", shown, reason);
}

input_file_status input_file_read(const char *path, char **bytes, size_t *len, diag_list *diags, char *why,
                                  size_t why_size)
{
	*bytes = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_why(why, why_size, path, strerror(errno));
		return INPUT_FILE_UNREADABLE;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		set_why(why, why_size, path, strerror(errno));
		close(fd);
		return INPUT_FILE_UNREADABLE;
	}
	if (S_ISDIR(st.st_mode)) {
		set_why(why, why_size, path, strerror(EISDIR));
		close(fd);
		return INPUT_FILE_UNREADABLE;
	}
	const char *kind = refused_kind(&st);
	if (kind != NULL) {
		char reason[160];
		snprintf(reason, sizeof reason, "it is %s, not a file (brksim reads regular files and pipes)", kind);
		set_why(why, why_size, path, reason);
		close(fd);
		return INPUT_FILE_UNREADABLE;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > INPUT_MAX_SIZE) {
		diag_add(diags, DIAG_ERROR, 0, 0, "the file is larger than " INPUT_MAX_SIZE_TEXT " (%llu bytes): refused",
		         (unsigned long long)st.st_size);
		close(fd);
		return INPUT_FILE_TOO_BIG;
	}

	/* Start small and double, never past the limit plus the one byte that
	 * shows it was passed: a file refused early (a long first line) costs
	 * no more than what was read, even when malloc fills what it hands
	 * out (MALLOC_PERTURB_). A regular file's size (which may still grow,
	 * or be 0 for /proc files) only sizes a small file exactly. */
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 && (size_t)st.st_size < INPUT_READ_CHUNK
	                     ? (size_t)st.st_size + 1
	                     : INPUT_READ_CHUNK;
	char *buf = malloc(cap + 1);
	size_t n = 0;
	line_watch w = {0, 0, 1};
	input_file_status status = INPUT_FILE_OK;
	int err = 0;
	while (buf != NULL) {
		if (n == cap) {
			if (cap > INPUT_MAX_SIZE) {
				status = INPUT_FILE_TOO_BIG;
				break;
			}
			size_t grown_cap = cap * 2 > INPUT_MAX_SIZE + 1 ? INPUT_MAX_SIZE + 1 : cap * 2;
			char *grown = realloc(buf, grown_cap + 1);
			if (grown == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap = grown_cap;
		}
		/* A chunk at a time, checking lines between chunks: a 100 MB line
		 * is refused after reading a little more than INPUT_MAX_LINE. */
		size_t want = cap - n < INPUT_READ_CHUNK ? cap - n : INPUT_READ_CHUNK;
		ssize_t got = read(fd, buf + n, want);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		n += (size_t)got;
		if (!lines_fit(&w, buf, n, got == 0)) {
			input_limits_report_line(diags, w.number);
			status = INPUT_FILE_LINE_TOO_LONG;
			break;
		}
		if (got == 0)
			break;
	}
	close(fd);
	if (buf == NULL) {
		set_why(why, why_size, path, strerror(ENOMEM));
		return INPUT_FILE_UNREADABLE;
	}
	if (err != 0) {
		free(buf);
		set_why(why, why_size, path, strerror(err));
		return INPUT_FILE_UNREADABLE;
	}
	if (status == INPUT_FILE_TOO_BIG) {
		free(buf);
		diag_add(diags, DIAG_ERROR, 0, 0, "the input is larger than " INPUT_MAX_SIZE_TEXT ": refused");
		return status;
	}
	buf[n] = '\0';
	*bytes = buf;
	*len = n;
	return status;
}
