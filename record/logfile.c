/* logfile.c — the output file of brksim-record.so: where the recorder's
 * lines go, and how that file stays the recorder's own inside a program
 * that may close, replace or reuse any file descriptor.
 *
 * Owns: creating OUT / OUT.<pid>[.<n>] (O_EXCL: never an existing file),
 * the descriptor (moved high, close-on-exec, checked by inode before every
 * use), the MAP_SHARED window lines are copied into, and the lines the
 * recorder writes about its own output (`# note`, `# disturbed`,
 * `# stopped`, `# size-limit`, `# end`), and the size limit. Called
 * with recorder.c's lock held.
 * Must not: allocate, call stdio, touch a descriptor that is not its own
 * file (not even to close it), or change the numbers the program's own
 * open() calls get.
 *
 * Why it works this way: every fd number belongs to the program. A daemon
 * closes all inherited descriptors and opens its own files, which then
 * get the numbers ours had; any program may dup2 onto any number. Writing
 * through a number we merely remember would truncate, grow and map over
 * the program's files. So:
 * - the descriptor is moved out of the way at once (F_DUPFD_CLOEXEC above
 *   a floor near the top of RLIMIT_NOFILE, the low number closed again,
 *   so the program's first open() gets the number it gets without us);
 * - (st_dev, st_ino) and the access mode decide whether the number still
 *   is our file before each fallocate/ftruncate, mmap and close; if not,
 *   the number is forgotten (the program owns it now), the file is
 *   reopened by its absolute path — accepted only if it is the same inode
 *   — moved high again, and a `# note` line says so;
 * - if it cannot be reopened (renamed, deleted, no descriptor left), a
 *   `# disturbed` line ends the recording in the room every window keeps
 *   free for it (LOG_RESERVE), and the recorder stops: the importer and
 *   `brksim record` then say that the recording stopped early and why.
 * Between window moves lines go through the mapping alone, which nothing
 * the program does with descriptors can reach. One race is left: a thread
 * of the program that replaces the descriptor between our fstat and the
 * call that uses it (one system call wide, once per 8 MiB of log).
 *
 * Blocks for each window are reserved with fallocate when it is mapped,
 * so a full disk is an error here (a `# stopped` line) rather than a
 * SIGBUS in the program when a line is copied into an unbacked page. */
#define _GNU_SOURCE
#include "logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recfmt.h"
#include "../lang/input_limits.h"

#define LOG_WINDOW ((size_t)8 << 20)
/* (the readers take a window's unused NULs at a file's end as no line's:
 * a recording read while its program runs) */
_Static_assert(LOG_WINDOW <= INPUT_MAX_PADDING, "a window's padding must be no line's to the readers");
/* Kept free at the end of every window: room for the last lines (a
 * `# note`, `# end`, or the `# disturbed`/`# stopped` line that ends a
 * recording when no next window can be had). */
#define LOG_RESERVE ((size_t)1024)

enum { LOG_NONE = 0, LOG_OPEN, LOG_STOPPED };

static int log_state;
static int log_fd = -1;
static dev_t log_dev;
static ino_t log_ino;
static char *log_window;     /* mapping of [log_window_off, log_window_off + LOG_WINDOW) */
static uint64_t log_window_off;
static size_t log_pos;       /* bytes used in the window */
static uint64_t log_page;
static char log_path[4096];  /* absolute: the file is reopened by it */
static bool log_note_due;    /* the descriptor was reopened: say so before the next line */
static int log_lost_errno;   /* why the last reopen failed (0: the path is another file now) */
static uint64_t log_max_size; /* the file's bytes of lines at most (0: no limit): `# size-limit` ends it there */
static bool log_at_limit;     /* stop_at_limit ended the file */

/* ---- errno as text (strerror may translate, and translating allocates) ---- */

static const char *errno_name(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case ENOSPC: return "ENOSPC";
	case EDQUOT: return "EDQUOT";
	case EFBIG: return "EFBIG";
	case EROFS: return "EROFS";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case ENOTDIR: return "ENOTDIR";
	case ELOOP: return "ELOOP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	default: return NULL;
	}
}

static char *put_errno(char *p, int e)
{
	p = put_str(p, "errno ");
	p = put_dec(p, (uint64_t)(e < 0 ? 0 : e));
	const char *name = errno_name(e);
	if (name) {
		*p++ = ' ';
		p = put_str(p, name);
	}
	return p;
}

/* ---- the descriptor ---- */

/* Where our descriptor moves to: near the top of the program's range,
 * where its open() calls (which take the lowest free number) do not get
 * to, but below RLIMIT_NOFILE (F_DUPFD refuses numbers at or above it)
 * and at most ~1024, because the kernel grows a process's fd table to
 * the power of two above its highest descriptor, and select() takes
 * descriptors below 1024 only. */
static int high_floor(void)
{
	struct rlimit rl;
	uint64_t lim = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < lim)
		lim = rl.rlim_cur;
	return (int)(lim - lim / 8);
}

/* Moves fd to a high number, close-on-exec, and closes the low one (ours:
 * we just opened it). Stays where it is when nothing higher is free. */
static int move_high(int fd)
{
	return logfile_move_high(fd);
}

int logfile_move_high(int fd)
{
	for (int floor = high_floor(); floor > fd; floor /= 2) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, floor);
		if (high >= 0) {
			close(fd);
			return high;
		}
	}
	return fd;
}

/* Whether fd is our output file, open for reading and writing. */
static bool is_ours(int fd)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_dev != log_dev || st.st_ino != log_ino)
		return false;
	int flags = fcntl(fd, F_GETFL);
	return flags >= 0 && (flags & O_ACCMODE) == O_RDWR;
}

/* Makes log_fd our file: true when it is, after reopening it by its path
 * if the program closed or replaced the number we had. */
static bool own_fd(void)
{
	if (is_ours(log_fd))
		return true;
	/* That number is the program's now (or free): never use it again. */
	log_fd = -1;
	log_lost_errno = 0;
	struct stat st;
	if (lstat(log_path, &st) != 0) {
		log_lost_errno = errno;
		return false;
	}
	if (!S_ISREG(st.st_mode) || st.st_dev != log_dev || st.st_ino != log_ino)
		return false;
	/* No O_CREAT, O_TRUNC: only the file we made, exactly as it is.
	 * O_NONBLOCK, O_NOCTTY: harmless on our regular file, and keep the
	 * open itself from blocking or taking a terminal if the path was
	 * swapped between lstat and open (the fstat below then refuses it). */
	int fd = open(log_path, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_lost_errno = errno;
		return false;
	}
	if (!is_ours(fd)) {
		close(fd);
		return false;
	}
	log_fd = move_high(fd);
	log_note_due = true;
	return true;
}

/* ---- the window ---- */

/* Writes into the window without moving it; the caller made sure the
 * line fits (appends keep LOG_RESERVE free, the closing lines use it). */
static void put_line(const char *line, size_t len)
{
	if (log_pos + len > LOG_WINDOW)
		return;
	memcpy(log_window + log_pos, line, len);
	log_pos += len;
}

static void put_note_if_due(void)
{
	if (!log_note_due)
		return;
	log_note_due = false;
	static const char note[] = "# note output fd disturbed by the program (closed or replaced); reopened\n";
	put_line(note, sizeof note - 1);
}

/* The reason the file cannot be reopened, for the line that says so. */
static char *put_lost_reason(char *p)
{
	p = put_str(p, "output fd closed or replaced by the program; the output file cannot be reopened by its path (");
	if (log_lost_errno)
		p = put_errno(p, log_lost_errno);
	else
		p = put_str(p, "it was renamed, deleted or replaced");
	return put_str(p, ")");
}

/* Ends the recording early: the line that says why goes into the current
 * window's reserve; the rest of the program's calls go unrecorded. The
 * file is cut to its data when its descriptor still is ours. */
static void stop(const char *line, size_t len)
{
	put_line(line, len);
	uint64_t size = log_window_off + log_pos;
	munmap(log_window, LOG_WINDOW);
	log_window = NULL;
	if (is_ours(log_fd)) {
		if (ftruncate(log_fd, (off_t)size) != 0) {
			/* the NUL padding stays; brksim record cuts it */
		}
		if (is_ours(log_fd))
			close(log_fd);
	}
	log_fd = -1;
	log_state = LOG_STOPPED;
}

static void stop_lost(void)
{
	char buf[LOG_RESERVE];
	char *p = put_str(buf, "# disturbed ");
	p = put_lost_reason(p);
	p = put_str(p, "\n");
	stop(buf, (size_t)(p - buf));
}

static void stop_errno(const char *what, int e)
{
	char buf[LOG_RESERVE];
	char *p = put_str(buf, "# stopped ");
	p = put_str(p, what);
	p = put_str(p, " (");
	p = put_errno(p, e);
	p = put_str(p, ")\n");
	stop(buf, (size_t)(p - buf));
}

/* The size limit reached: the line that would pass it is not written,
 * and a `# size-limit N` line ends the recording instead (in the
 * reserve, past the limit by that line alone). */
static void stop_at_limit(void)
{
	char buf[LOG_RESERVE];
	char *p = put_str(buf, "# size-limit ");
	p = put_dec(p, log_max_size);
	p = put_str(p, "\n");
	stop(buf, (size_t)(p - buf));
	log_at_limit = true;
}

bool logfile_stopped_at_limit(void)
{
	return log_state == LOG_STOPPED && log_at_limit;
}

/* Gives the file blocks up to `end`. 0, or an errno. */
static int grow_to(uint64_t start, uint64_t end)
{
	if (fallocate(log_fd, 0, (off_t)start, (off_t)(end - start)) == 0)
		return 0;
	int e = errno;
	if (e != EOPNOTSUPP && e != ENOSYS)
		return e;
	/* A filesystem without fallocate: a sparse extension, as before. */
	if (!own_fd())
		return -1;
	return ftruncate(log_fd, (off_t)end) == 0 ? 0 : errno;
}

/* Maps the window holding file offset `off` (mmap offsets are page
 * multiples, so it starts at the page below), then drops the old one.
 * On failure the old window stays mapped and the recording is stopped
 * with a line in its reserve. */
static bool map_window(uint64_t off)
{
	uint64_t start = off & ~(log_page - 1);
	if (!own_fd()) {
		if (log_window)
			stop_lost();
		return false;
	}
	int e = grow_to(start, start + LOG_WINDOW);
	if (e != 0) {
		if (log_window) {
			if (e < 0)
				stop_lost();
			else
				stop_errno("cannot extend the output file", e);
		}
		return false;
	}
	if (!own_fd()) {
		if (log_window)
			stop_lost();
		return false;
	}
	void *w = mmap(NULL, LOG_WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED, log_fd, (off_t)start);
	if (w == MAP_FAILED) {
		if (log_window)
			stop_errno("cannot map the next window of the output file", errno);
		return false;
	}
	if (log_window)
		munmap(log_window, LOG_WINDOW);
	log_window = w;
	log_window_off = start;
	log_pos = (size_t)(off - start);
	return true;
}

/* ---- opening ---- */

static int open_exclusive(const char *path)
{
	return open(path, O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0644);
}

/* OUT for the first image, else OUT.<pid>, OUT.<pid>.2, ... */
static int create(const char *out, bool first_allowed, pid_t pid)
{
	size_t len = strlen(out);
	if (out[0] != '/' || len + 48 > sizeof log_path)
		return -1;
	int fd = -1;
	if (first_allowed) {
		memcpy(log_path, out, len + 1);
		fd = open_exclusive(log_path);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	char *p = log_path;
	p = put_str(p, out);
	*p++ = '.';
	p = put_dec(p, (uint64_t)pid);
	*p = '\0';
	fd = open_exclusive(log_path);
	for (uint64_t k = 2; fd < 0 && errno == EEXIST && k < 1000; k++) {
		char *q = p;
		*q++ = '.';
		q = put_dec(q, k);
		*q = '\0';
		fd = open_exclusive(log_path);
	}
	return fd;
}

bool logfile_open(const char *out, bool first_allowed, pid_t pid, uint64_t max_size)
{
	log_state = LOG_NONE;
	log_at_limit = false;
	log_max_size = max_size;
	log_window = NULL;
	log_note_due = false;
	long page = sysconf(_SC_PAGESIZE);
	log_page = page > 0 ? (uint64_t)page : 4096;
	int fd = create(out, first_allowed, pid);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return false;
	}
	log_dev = st.st_dev;
	log_ino = st.st_ino;
	log_fd = move_high(fd);
	if (!map_window(0)) {
		if (is_ours(log_fd))
			close(log_fd);
		log_fd = -1;
		return false;
	}
	log_state = LOG_OPEN;
	return true;
}

/* ---- writing ---- */

bool logfile_append(const char *line, size_t len)
{
	if (log_state != LOG_OPEN || len > LOGFILE_LINE_MAX)
		return false;
	if (log_max_size && log_window_off + log_pos + len > log_max_size) {
		stop_at_limit();
		return false;
	}
	if (log_pos + len > LOG_WINDOW - LOG_RESERVE) {
		if (!map_window(log_window_off + log_pos))
			return false;
	}
	put_note_if_due();
	memcpy(log_window + log_pos, line, len);
	log_pos += len;
	return true;
}

void logfile_close(uint64_t calls)
{
	if (log_state != LOG_OPEN)
		return;
	char buf[LOG_RESERVE];
	char *p = buf;
	bool owned = own_fd();
	put_note_if_due();
	if (!owned) {
		p = put_str(p, "# note ");
		p = put_lost_reason(p);
		p = put_str(p, ": the file keeps its NUL padding\n");
	}
	p = put_str(p, "# end ");
	p = put_dec(p, calls);
	*p++ = '\n';
	put_line(buf, (size_t)(p - buf));
	uint64_t size = log_window_off + log_pos;
	munmap(log_window, LOG_WINDOW);
	log_window = NULL;
	if (owned && is_ours(log_fd)) {
		if (ftruncate(log_fd, (off_t)size) != 0) {
			/* the NUL padding stays; the importer skips it */
		}
	}
	if (is_ours(log_fd))
		close(log_fd);
	log_fd = -1;
	log_state = LOG_NONE;
}

bool logfile_name(char *buf, size_t size)
{
	if (log_state != LOG_OPEN)
		return false;
	const char *name = log_path;
	for (const char *p = log_path; *p; p++)
		if (*p == '/')
			name = p + 1;
	size_t n = 0;
	for (; name[n]; n++)
		if ((unsigned char)name[n] < 0x20 || name[n] == 0x7f || n + 1 >= size)
			return false;
	if (n == 0)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = name[i];
	return true;
}

uint64_t logfile_position(void)
{
	return log_state == LOG_OPEN ? log_window_off + log_pos : 0;
}

void logfile_forget_inherited(void)
{
	if (log_window)
		munmap(log_window, LOG_WINDOW);
	log_window = NULL;
	/* The child's copy of our descriptor; if the program replaced that
	 * number, the file there is the program's and stays open. */
	if (is_ours(log_fd))
		close(log_fd);
	log_fd = -1;
	log_state = LOG_NONE;
	log_at_limit = false;
	log_note_due = false;
}
