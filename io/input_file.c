/* input_file.c — see input_file.h. */
#define _GNU_SOURCE /* memrchr */
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

const char *input_system_path(const char *path)
{
	return strcmp(path, "-") == 0 ? "/dev/stdin" : path;
}

/* Follows the lines of what has been read so far. */
typedef struct line_watch {
	size_t start; /* offset of the first line not known to fit */
	/* where the run of NULs that ends what has been read starts (n when
	 * it does not end in one), and how far it was looked at */
	size_t nuls, nuls_seen;
	/* NULs of that run read but not kept (past a line's length) */
	size_t dropped;
} line_watch;

/* A run of NUL bytes at the end of a file, up to INPUT_MAX_PADDING, is
 * no line's: brksim record keeps its file a window longer than what it
 * wrote (megabytes of NULs) until the program ends, so a recording read
 * while its program runs, or left by a recorder that died, ends in them.
 * Counted in the last line, they made it "longer than 64 KiB". */
static size_t without_trailing_nuls(const char *buf, size_t n)
{
	size_t k = input_unpadded_len(buf, n);
	return n - k <= INPUT_MAX_PADDING ? k : n;
}

/* w->nuls for buf[0, n): the new bytes are looked at from their end, so
 * a text that ends in no NUL costs one byte's look a call. */
static void watch_nuls(line_watch *w, const char *buf, size_t n)
{
	size_t i = n;
	while (i > w->nuls_seen && buf[i - 1] == '\0')
		i--;
	if (i > w->nuls_seen) /* (a byte that is no NUL among the new ones) */
		w->nuls = i;
	w->nuls_seen = n;
}

/* Whether buf[0, n) is all NUL bytes. */
static bool all_nuls(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != '\0')
			return false;
	return true;
}

/* Looks at buf[w->start..n) (eof: nothing more will come); false as
 * soon as a line is longer than INPUT_MAX_LINE. As whole_lines_fit
 * looks (below): a window of INPUT_MAX_LINE + 1 bytes from a line's
 * start that holds a "\n" ends lines that all fit, and its last "\n"
 * (memrchr) is where the next window starts. A memchr a line was a
 * twentieth of `run --quiet` of a plain 1M-op trace. */
static bool lines_fit(line_watch *w, const char *buf, size_t n, bool eof)
{
	/* (what may be NUL padding is measured without it: it stays
	 * padding only if nothing but NULs follows, else the line is longer
	 * than it looked and is refused once more has been read) */
	watch_nuls(w, buf, n);
	if (n - w->nuls <= INPUT_MAX_PADDING)
		n = w->nuls;
	for (;;) {
		size_t rest = n - w->start;
		const char *nl = memrchr(buf + w->start, '\n', rest < INPUT_MAX_LINE + 1 ? rest : INPUT_MAX_LINE + 1);
		if (nl != NULL) {
			w->start = (size_t)(nl - buf) + 1;
			continue;
		}
		if (rest <= INPUT_MAX_LINE + 1)
			break; /* the unfinished line, up to the window's size */
		/* A line of more than INPUT_MAX_LINE bytes before its "\n", if
		 * one has come yet: it fits only as INPUT_MAX_LINE and a "\r". */
		const char *end = memchr(buf + w->start + INPUT_MAX_LINE + 1, '\n', rest - (INPUT_MAX_LINE + 1));
		if (end == NULL)
			break;
		if (input_limits_line_length(buf + w->start, (size_t)(end - buf) + 1 - w->start) > INPUT_MAX_LINE)
			return false;
		w->start = (size_t)(end - buf) + 1;
	}
	/* The unfinished line: a "\r" may still come before its "\n". */
	size_t tail = n - w->start;
	if (eof)
		return input_limits_line_length(buf + w->start, tail) <= INPUT_MAX_LINE;
	return tail <= INPUT_MAX_LINE + 1;
}

/* The 1-based number of the line that starts at buf[start] (counted
 * only for the message of a refused line). */
static uint32_t line_number_at(const char *buf, size_t start)
{
	uint32_t number = 1;
	for (const char *p = buf, *end = buf + start; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		number++;
	return number;
}

static void set_why(char *why, size_t why_size, const char *path, const char *reason)
{
	char shown[1024];
	utf8_escape(path, strlen(path), UTF8_ESCAPE_LINE, shown, sizeof shown, NULL);
	snprintf(why, why_size, "cannot read '%s': %s", shown, reason);
}

/* What a file that starts with `head` is, when it is a kind of binary
 * file someone may hand brksim instead of a trace: a program (which
 * brksim records, not reads) or a compressed trace; NULL for anything
 * else (its lines then say what is wrong). */
static const char *binary_kind(const char *head, size_t n, const char *path, char *buf, size_t size)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *tool; /* what undoes it; NULL: a program */
	} kinds[] = {
		{"\x7f" "ELF", 4, NULL},        {"\x1f\x8b", 2, "gzip -dk"},
		{"\xfd" "7zXZ\x00", 6, "xz -dk"}, {"\x28\xb5\x2f\xfd", 4, "zstd -d"},
		{"BZh", 3, "bzip2 -dk"},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (n < kinds[i].len || memcmp(head, kinds[i].magic, kinds[i].len) != 0)
			continue;
		/* (the standard input has no name to give the command) */
		const char *name = strcmp(path, "-") != 0 ? path : kinds[i].tool ? "FILE" : "PROGRAM";
		char shown[512];
		utf8_escape(name, strlen(name), UTF8_ESCAPE_LINE, shown, sizeof shown, NULL);
		if (kinds[i].tool == NULL)
			snprintf(buf, size,
			         "it is a program (an ELF file), not a scenario or a trace; record what it does with: "
			         "brksim record -o prog.trace -- %s, then: brksim run prog.trace",
			         shown);
		else
			snprintf(buf, size, "it is compressed, not a scenario or a trace; undo that first (%s %s)",
			         kinds[i].tool, shown);
		return buf;
	}
	return NULL;
}

int input_pipe_wait_ms(const char *value, char *why, size_t why_size)
{
	if (value == NULL || *value == '\0')
		return INPUT_PIPE_WAIT_SECONDS * 1000;
	char *end;
	errno = 0;
	long seconds = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || seconds < 0 || seconds > 86400) {
		char shown[64];
		utf8_escape(value, strlen(value), UTF8_ESCAPE_LINE, shown, sizeof shown, NULL);
		snprintf(why, why_size,
		         "BRKSIM_PIPE_WAIT is '%s': it must be a number of seconds from 0 (wait for ever) to 86400", shown);
		return INPUT_PIPE_WAIT_INVALID;
	}
	return seconds == 0 ? -1 : (int)seconds * 1000;
}

/* Waits until the pipe has bytes, or its writer is gone, for up to
 * wait_ms (-1: for ever); false when it stayed silent that long. */
static bool pipe_ready(int fd, int wait_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	for (;;) {
		int r = poll(&p, 1, wait_ms);
		if (r >= 0 || errno != EINTR)
			return r != 0; /* (an error: the read that follows says it) */
	}
}

input_file_status input_file_read(const char *path, char **bytes, size_t *len, diag_list *diags, char *why,
                                  size_t why_size)
{
	*bytes = NULL;
	*len = 0;
	/* A pipe is waited for a bounded time (input_pipe_wait_ms): a FIFO is
	 * opened without waiting for a writer, and each read waits in poll. */
	int wait_ms = input_pipe_wait_ms(getenv("BRKSIM_PIPE_WAIT"), why, why_size);
	if (wait_ms == INPUT_PIPE_WAIT_INVALID)
		return INPUT_FILE_UNREADABLE;
	struct stat named;
	bool fifo = stat(input_system_path(path), &named) == 0 && S_ISFIFO(named.st_mode);
	int fd = open(input_system_path(path), O_RDONLY | O_CLOEXEC | (fifo ? O_NONBLOCK : 0));
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
		/* (what to do instead: a long recording's start replays; its
		 * last line is then cut, which the importer leaves out) */
		diag_add(diags, DIAG_ERROR, 0, 0,
		         "the file is larger than " INPUT_MAX_SIZE_TEXT " (%llu bytes): refused; brksim reads at most "
		         INPUT_MAX_SIZE_TEXT ", so replay its start: head -c 250M FILE > PART (a recording's frames are "
		         "then named by brksim symbolize PART -o NAMED)",
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
	line_watch w = {0};
	bool kind_checked = false;
	char binary[768] = "";
	input_file_status status = INPUT_FILE_OK;
	int err = 0;
	bool stalled = false;
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
		if (S_ISFIFO(st.st_mode) && !pipe_ready(fd, wait_ms)) {
			stalled = true;
			break;
		}
		ssize_t got = read(fd, buf + n, want);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue; /* (EAGAIN: a FIFO opened O_NONBLOCK, no byte yet) */
			err = errno;
			break;
		}
		/* A run of NULs longer than a line is kept no further: if the
		 * file ends in it, it is padding (no line's), else part of a line
		 * too long; only its length counts. (A stream of NULs is refused
		 * past INPUT_MAX_PADDING of them in a buffer of a line's size:
		 * 8 MiB of them kept took test-bounded's 64 MiB under ASan.) */
		if (got > 0 && n > w.nuls && all_nuls(buf + n, (size_t)got) &&
		    (n - w.nuls) + w.dropped + (size_t)got > INPUT_MAX_LINE + 1) {
			size_t run = n - w.nuls, keep = run < INPUT_MAX_LINE + 1 ? INPUT_MAX_LINE + 1 - run : 0;
			if (keep > (size_t)got)
				keep = (size_t)got;
			n += keep;
			w.nuls_seen = n;
			w.dropped += (size_t)got - keep;
			if (n - w.nuls + w.dropped > INPUT_MAX_PADDING) {
				input_limits_report_line(diags, line_number_at(buf, w.start));
				status = INPUT_FILE_LINE_TOO_LONG;
				break;
			}
			continue;
		}
		if (got > 0 && w.dropped > 0) {
			/* text after such a run: its line is longer than a line */
			input_limits_report_line(diags, line_number_at(buf, w.start));
			status = INPUT_FILE_LINE_TOO_LONG;
			break;
		}
		n += (size_t)got;
		/* (a program or a compressed file: said once its first bytes
		 * are in, before its "lines" are) */
		if (!kind_checked && (n >= 8 || got == 0)) {
			kind_checked = true;
			if (binary_kind(buf, n, path, binary, sizeof binary) != NULL)
				break;
		}
		if (!lines_fit(&w, buf, n, got == 0)) {
			input_limits_report_line(diags, line_number_at(buf, w.start));
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
	if (binary[0]) {
		free(buf);
		set_why(why, why_size, path, binary);
		return INPUT_FILE_UNREADABLE;
	}
	if (stalled) {
		free(buf);
		char reason[320];
		int seconds = wait_ms / 1000;
		if (n == 0)
			snprintf(reason, sizeof reason,
			         "nothing came through the pipe in %d s (%s); brksim stops waiting "
			         "(BRKSIM_PIPE_WAIT=SECONDS waits longer, 0 for ever)",
			         seconds, fifo ? "no program opened it to write, or it writes nothing" : "its writer writes nothing");
		else
			snprintf(reason, sizeof reason,
			         "the pipe went silent for %d s after %zu bytes, and its writer still holds it open; brksim "
			         "stops waiting (BRKSIM_PIPE_WAIT=SECONDS waits longer, 0 for ever)",
			         seconds, n);
		set_why(why, why_size, path, reason);
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

/* ---- a regular file read a piece at a time ---- */

bool input_pieces_open(const char *path, input_pieces *p)
{
	p->fd = -1;
	p->len = 0;
	p->head = NULL;
	p->head_len = 0;
	/* Not even opened unless it is a regular file: opening a FIFO waits
	 * for a writer, and closing it again would leave input_file_read's
	 * open waiting for one that is gone (the writer got EPIPE). */
	struct stat before;
	if (stat(input_system_path(path), &before) != 0 || !S_ISREG(before.st_mode))
		return false;
	int fd = open(input_system_path(path), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > INPUT_MAX_SIZE) {
		close(fd);
		return false;
	}
	/* Only the head is read here: the lines' lengths are checked by the
	 * importer's first pass (trace_extra.read_refused), which reads the
	 * file anyway; reading it once more for them cost a tenth of the
	 * import. */
	char *head = malloc(INPUT_PIECES_HEAD + 1);
	size_t head_len = 0, want = (uint64_t)st.st_size < INPUT_PIECES_HEAD ? (size_t)st.st_size : INPUT_PIECES_HEAD;
	bool ok = head != NULL;
	while (ok && head_len < want) {
		ssize_t got = pread(fd, head + head_len, want - head_len, (off_t)head_len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			ok = false;
		else
			head_len += (size_t)got;
	}
	if (!ok) {
		free(head);
		close(fd);
		return false;
	}
	head[head_len] = '\0';
	p->fd = fd;
	p->len = (size_t)st.st_size;
	p->head = head;
	p->head_len = head_len;
	return true;
}

long long input_pieces_read(void *context, uint64_t at, char *buf, size_t size)
{
	const input_pieces *p = context;
	if (at >= p->len)
		return -1;
	if (size > p->len - at)
		size = p->len - at;
	for (;;) {
		ssize_t got = pread(p->fd, buf, size, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		return got > 0 ? (long long)got : -1;
	}
}

bool input_pieces_lines(input_pieces *p, const uint32_t *numbers, size_t count, char **lines, size_t *lens)
{
	for (size_t i = 0; i < count; i++) {
		lines[i] = NULL;
		lens[i] = 0;
	}
	size_t i = 0;
	while (i < count && numbers[i] == 0)
		i++;
	if (i == count)
		return true;
	char *buf = malloc(INPUT_READ_CHUNK);
	if (buf == NULL)
		return false;
	/* The line being read: its number, and its bytes so far when wanted. */
	uint32_t number = 1;
	char *line = NULL;
	size_t line_len = 0;
	bool ok = true;
	size_t at = 0;
	for (;;) {
		size_t n = 0;
		if (at < p->len) {
			long long got = input_pieces_read(p, at, buf, INPUT_READ_CHUNK);
			if (got < 0) {
				ok = false;
				break;
			}
			n = (size_t)got;
			at += n;
		}
		size_t k = 0;
		/* (at the end, the last line ends without its "\n") */
		while (i < count && (k < n || n == 0)) {
			const char *nl = n ? memchr(buf + k, '\n', n - k) : NULL;
			size_t stop = nl ? (size_t)(nl - buf) : n;
			if (numbers[i] == number) {
				char *grown = realloc(line, line_len + (stop - k) + 1);
				if (grown == NULL) {
					ok = false;
					break;
				}
				line = grown;
				memcpy(line + line_len, buf + k, stop - k);
				line_len += stop - k;
				line[line_len] = '\0';
			}
			if (!nl && n != 0)
				break; /* the line goes on in the next chunk */
			/* the line ends (at its "\n", or at the end of the file) */
			if (numbers[i] == number) {
				if (line == NULL)
					line = calloc(1, 1);
				if (line == NULL) {
					ok = false;
					break;
				}
				lines[i] = line;
				lens[i++] = line_len;
				/* (the same line twice: one copy each, each freed on its own) */
				for (; ok && i < count && numbers[i] == number; i++) {
					lines[i] = malloc(line_len + 1);
					if (lines[i] == NULL)
						ok = false;
					else
						memcpy(lines[i], line, line_len + 1);
					lens[i] = line_len;
				}
				line = NULL;
				line_len = 0;
				if (!ok)
					break;
			}
			if (!nl)
				break; /* the file's end: no further line */
			number++;
			k = stop + 1;
		}
		if (!ok || i >= count || n == 0)
			break;
	}
	free(line);
	free(buf);
	return ok;
}

void input_pieces_close(input_pieces *p)
{
	if (p->fd >= 0)
		close(p->fd);
	free(p->head);
	p->fd = -1;
	p->head = NULL;
	p->head_len = 0;
	p->len = 0;
}

/* ---- a regular file mapped ---- */

/* Whether every line of a whole text buf[0, n) fits as lines_fit counts
 * them at the end of the file, looking at a few bytes of each 64 KiB: a
 * window of INPUT_MAX_LINE + 1 bytes from a line's start that holds a
 * "\n" ends lines that all fit, and the last "\n" in it (memrchr from
 * the window's end: a few bytes into text) is where the next window
 * starts. Only a window without one has its line measured. */
static bool whole_lines_fit(const char *buf, size_t n)
{
	size_t start = 0; /* a line's first byte */
	for (;;) {
		size_t rest = n - start;
		const char *nl = memrchr(buf + start, '\n', rest < INPUT_MAX_LINE + 1 ? rest : INPUT_MAX_LINE + 1);
		if (nl != NULL) {
			start = (size_t)(nl - buf) + 1;
			continue;
		}
		if (rest == 0)
			return true;
		/* (a line of INPUT_MAX_LINE bytes and its "\r\n" fits; so does
		 * an unfinished last line of them and a "\r") */
		if (input_limits_line_length(buf + start, rest) > INPUT_MAX_LINE)
			return false;
		if (rest <= INPUT_MAX_LINE + 1)
			return true; /* the last line, without its "\n" */
		start += INPUT_MAX_LINE + 2;
	}
}

/* The open map, for the SIGBUS handler (one at a time). */
static struct {
	char *volatile base;
	volatile size_t len;
	volatile sig_atomic_t shrunk;
	size_t page;
	struct sigaction before;
} bus;

/* A SIGBUS in the open map: the file lost the page touched. Zeros are
 * mapped from there to the map's end (the file is shorter than that
 * anyway) and the access is retried; the text read is then not the
 * file's, which input_map_shrunk says. mmap is a system call that glibc
 * wraps without a lock (not on POSIX's list of async-signal-safe
 * functions, but safe in a handler on Linux). Any other SIGBUS gets the
 * disposition there was before. */
static void on_sigbus(int sig, siginfo_t *info, void *ucontext)
{
	(void)ucontext;
	char *at = info->si_addr, *base = bus.base;
	if (base != NULL && info->si_code > 0 && at >= base && at < base + bus.len) {
		char *page = base + (((size_t)(at - base)) & ~(bus.page - 1));
		if (mmap(page, (size_t)(base + bus.len - page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    page) {
			bus.shrunk = 1;
			return;
		}
	}
	sigaction(SIGBUS, &bus.before, NULL);
	/* (a fault happens again on return; a sent signal is sent again) */
	if (info->si_code <= 0)
		raise(sig);
}

input_map_status input_map_open(const char *path, input_map *m)
{
	*m = (input_map){NULL, 0, 0, -1, 0, 0, 1};
	if (bus.base != NULL)
		return INPUT_MAP_NO;
	/* (as input_pieces_open: a FIFO is not opened) */
	struct stat before;
	if (stat(input_system_path(path), &before) != 0 || !S_ISREG(before.st_mode))
		return INPUT_MAP_NO;
	int fd = open(input_system_path(path), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return INPUT_MAP_NO;
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > INPUT_MAX_SIZE ||
	    page <= 0) {
		close(fd);
		return INPUT_MAP_NO;
	}
	size_t len = (size_t)st.st_size;
	/* The file's pages over a reservation of zeros one page longer: the
	 * byte after the text is a NUL (the rest of its last page is zeros,
	 * or the page after is), as after input_file_read's. */
	size_t map_len = (len + (size_t)page - 1) / (size_t)page * (size_t)page + (size_t)page;
	char *base = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		close(fd);
		return INPUT_MAP_NO;
	}
	if (mmap(base, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) != base) {
		munmap(base, map_len);
		close(fd);
		return INPUT_MAP_NO;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	bus.page = (size_t)page;
	bus.len = map_len;
	bus.shrunk = 0;
	if (sigaction(SIGBUS, &sa, &bus.before) != 0) {
		munmap(base, map_len);
		close(fd);
		return INPUT_MAP_NO;
	}
	bus.base = base;
	*m = (input_map){base, len, map_len, fd, 0, 0, 1};
	if (!whole_lines_fit(base, without_trailing_nuls(base, len))) {
		input_map_close(m);
		return INPUT_MAP_LINE_TOO_LONG;
	}
	return INPUT_MAP_OK;
}

bool input_map_shrunk(const input_map *m)
{
	struct stat st;
	return bus.shrunk || fstat(m->fd, &st) != 0 || st.st_size < 0 || (uint64_t)st.st_size < m->len;
}

void input_map_close(input_map *m)
{
	if (m->bytes == NULL)
		return;
	munmap((void *)m->bytes, m->map_len);
	bus.base = NULL;
	sigaction(SIGBUS, &bus.before, NULL);
	close(m->fd);
	*m = (input_map){NULL, 0, 0, -1, 0, 0, 1};
}

/* Let go in steps of this much: a madvise call each (a perl recording of
 * 1.29M calls is 32 MB). */
#define INPUT_MAP_LET_GO ((size_t)4 << 20)

/* Past `*want` "\n"s from p (fewer when the text ends first); *want
 * becomes what was left to pass. */
static const char *pass_lines(const char *p, const char *end, uint32_t *want)
{
#ifdef __SSE2__
	/* whole blocks of 16 bytes with fewer "\n"s than those left (a line
	 * of a recording is about 25 bytes: a block has one or none) */
	const __m128i nl = _mm_set1_epi8('\n');
	while (end - p >= 16) {
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl));
		uint32_t n = 0;
		for (; mask != 0; mask &= mask - 1)
			n++;
		if (n >= *want)
			break;
		*want -= n;
		p += 16;
	}
#endif
	while (*want > 0) {
		const char *q = memchr(p, '\n', (size_t)(end - p));
		if (q == NULL)
			return end;
		p = q + 1;
		(*want)--;
	}
	return p;
}

void input_map_done_before(input_map *m, uint32_t line)
{
	if (m->bytes == NULL || line <= m->seen_line)
		return;
	/* (Letting every page go at the first call, the pages ahead too,
	 * took 7 MiB more off perl 1.29M's peak and cost 2-3 % more CPU:
	 * the second pass faulted them in again.) */
	uint32_t want = line - m->seen_line;
	const char *p = pass_lines(m->bytes + m->seen, m->bytes + m->len, &want);
	m->seen = (size_t)(p - m->bytes);
	m->seen_line = line - want;
	size_t upto = m->seen & ~(bus.page - 1);
	if (upto - m->let_go >= INPUT_MAP_LET_GO) {
		madvise((char *)m->bytes + m->let_go, upto - m->let_go, MADV_DONTNEED);
		m->let_go = upto;
	}
}
