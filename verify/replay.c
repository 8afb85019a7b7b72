/* replay.c — brksim-replay: replays a `.ops` trace against the real glibc
 * malloc it runs on (this machine's, or another version run through its
 * own loader: scripts/glibc-fetch.sh) and prints, per op, `ret brk top
 * rss` (HACKING.md).
 *
 * Owns: the one program in brksim whose heap IS the subject. Everything it
 * prints must come from glibc's own behaviour, so before and during the
 * trace it must not allocate from the brk heap: no stdio, no malloc of its
 * own, no library call that might allocate. The trace is read into mmap'd
 * memory, the op list and the slot table live in mmap'd memory, output goes
 * through a static buffer and write(2). Must not: link anything from
 * brksim that allocates (the model, the parser, the diag list); it links
 * only lang/utf8.c, whose escaping (no allocation, no stdio) keeps bytes
 * from the trace out of the terminal exactly as brksim's messages do.
 *
 * Output, one line per op:
 *   ret  user pointer − initial break in hex (`0x2a0`), `mmap` when the
 *        chunk's size word has the M bit, `null` for NULL, `-` for free, and
 *        `=N` for malloc_trim/mallopt (their return value) and for a
 *        posix_memalign that fails (its error: `=22` EINVAL, `=12` ENOMEM)
 *   brk  sbrk(0) − initial break, hex
 *   top  size of glibc's top chunk (mallinfo's keepcost), hex (`?` when
 *        not measured); by default read through main_arena.top, with
 *        mallinfo as the check (top_watched); --top=mallinfo: mallinfo
 *        after every op
 *   rss  resident pages of [initial break, brk) by mincore, decimal
 *        (pages overlapping it, when the initial break is not a page
 *        boundary: glibc < 2.35 with GLIBC_TUNABLES set)
 *        (`?` when not measured); by default counted again only after
 *        an op that faulted, trimmed or moved the break (rss_watched;
 *        whether it faulted: a perf event's ring in memory, getrusage
 *        only when that moved, faults_now; BRKSIM_REPLAY_FAULTS=rusage:
 *        getrusage after every op); --rss=scan: after every op
 * Before the first op a header `# start brk=0x55d0c2a4b000` gives the
 * initial break as an address (the origin of the offsets; the model needs
 * it for alignments above a page); a trace with threads also gets
 * `# cpus N` (the CPUs glibc counts) and `# threads fsbase|handoff` (how
 * trace threads' calls are made: see worker; BRKSIM_REPLAY_THREADS=handoff
 * forces the fallback, =fsbase insists on the other). After the last op a trailer
 * `# end ops=N glibc=X.Y` (after `# full top=N rss=M handoffs=K near=J` with
 * --stats: how many times mallinfo and a mincore of the whole heap ran,
 * how many runs of ops trace threads made, how many faulting ops
 * were counted from the pages near their chunks, and how page faults
 * were counted, `faults=perf|rusage asked=N`, with the number of
 * getrusage calls) tells the reader the run completed (a run that
 * glibc aborted has no trailer).
 *
 * Exit: 0 ok, 2 bad usage or bad trace (`file:line:col: error: …` on
 * stderr, every bad line reported), 3 I/O or resource failure, 4 a full
 * measurement contradicted a cheap reading already printed (rerun with
 * --top=mallinfo --rss=scan). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <linux/perf_event.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lang/input_limits.h"
#include "lang/utf8.h"

/* The glibc whose headers this is compiled with (scripts/glibc-fetch.sh
 * builds it against each release's own headers): mallinfo2 and
 * strerrordesc_np exist only from 2.33 and 2.32. */
#define REPLAY_GLIBC_AT_LEAST(major, minor) \
	(__GLIBC__ > (major) || (__GLIBC__ == (major) && __GLIBC_MINOR__ >= (minor)))

#ifdef REPLAY_DLMALLOC
/* The development oracle for glibc 2.3.6 (scripts/oracle-236.sh): that
 * release's malloc.c built standalone with USE_DL_PREFIX, linked into this
 * program, is the allocator under test; this machine's libc only serves
 * the replayer (which never allocates). Its mallinfo has int fields. */
void *dlmalloc(size_t);
void *dlcalloc(size_t, size_t);
void *dlrealloc(void *, size_t);
void dlfree(void *);
void *dlmemalign(size_t, size_t);
void *dlvalloc(size_t);
void *dlpvalloc(size_t);
int dlmalloc_trim(size_t);
int dlmallopt(int, int);
struct mallinfo dlmallinfo(void);
#define malloc dlmalloc
#define calloc dlcalloc
#define realloc dlrealloc
#define free dlfree
#define memalign dlmemalign
#define valloc dlvalloc
#define pvalloc dlpvalloc
/* 2.3.6 has no aligned_alloc (2.16 added it as another name of memalign;
 * brksim-random-trace leaves it out of 2.3.6's traces). */
#define aligned_alloc dlmemalign
/* 2.3.6's posix_memalign is built only inside libc (_LIBC), so the
 * standalone malloc.c lacks it: this is what it does, in our words: the
 * alignment must be a power of two times sizeof (void *), else EINVAL with
 * nothing done; otherwise memalign (whose hook, while still armed, does
 * the same), ENOMEM when that fails; *memptr is set only on success. */
static int replay_posix_memalign_236(void **memptr, size_t alignment, size_t size)
{
	size_t units = alignment / sizeof(void *);
	if (alignment == 0 || alignment % sizeof(void *) != 0 || (units & (units - 1)) != 0)
		return EINVAL;
	void *mem = dlmemalign(alignment, size);
	if (mem == NULL)
		return ENOMEM;
	*memptr = mem;
	return 0;
}
#define posix_memalign replay_posix_memalign_236
#define malloc_trim dlmalloc_trim
#define mallopt dlmallopt
#define REPLAY_MALLINFO dlmallinfo /* a macro named mallinfo would rename the struct too */
#define REPLAY_LIBC_VERSION REPLAY_DLMALLOC
#define REPLAY_HAS_MALLINFO2 0
#else
#define REPLAY_MALLINFO mallinfo
#define REPLAY_LIBC_VERSION gnu_get_libc_version()
#define REPLAY_HAS_MALLINFO2 REPLAY_GLIBC_AT_LEAST(2, 33)
#endif

#define PAGE 4096u
/* Slots are dense small integers; a few million is plenty for real
 * traces and keeps the (lazily touched) table at most 512 MiB virtual. */
#define MAX_SLOT 67108863u
#define MAX_ERRORS 20

enum replay_op_kind {
	OP_MALLOC, OP_CALLOC, OP_REALLOC, OP_FREE,
	OP_MEMALIGN, OP_ALIGNED_ALLOC, OP_POSIX_MEMALIGN, OP_VALLOC, OP_PVALLOC,
	OP_TRIM, OP_MALLOPT,
	OP_THREAD_NEW, /* `n T`: thread T starts (a = T) */
	OP_THREAD_EXIT, /* `Tn x`: thread n returns from its function and is joined */
	OP_FORK,        /* `Tn F`: thread n forks, the replay goes on in the child (replay_fork) */
	OP_SBRK         /* `b N`: the program's own sbrk(N) (a = N as int64) */
};

/* Thread numbers a trace may use (`T1` .. `T65535`; 0 is the main
 * thread). Workers are created when a trace starts them. */
#define MAX_THREAD 65535u

/* One parsed op. For realloc, arg is the input slot or NO_SLOT (NULL). */
typedef struct replay_op {
	uint8_t kind;
	uint32_t thread; /* who calls it: 0 = the main thread */
	uint32_t slot, arg;
	uint64_t a, b; /* malloc: a=size; calloc: a=nmemb b=size; memalign, aligned_alloc,
	                  posix_memalign: a=align b=size; valloc, pvalloc: b=size;
	                  trim: a=pad; mallopt: a=param b=value (as int64) */
} replay_op;
#define NO_SLOT UINT32_MAX

/* TOP_ARENA: main_arena's top pointer read directly (top_watch below),
 * with mallinfo as the check; TOP_MALLINFO: mallinfo after every op. */
enum top_mode { TOP_ARENA, TOP_MALLINFO, TOP_WALK, TOP_NONE };
/* RSS_FAULTS: mincore over the heap only when something could have
 * changed a page's residency (rss_watch below); RSS_SCAN: after every op. */
enum rss_mode { RSS_FAULTS, RSS_SCAN };

/* ---- output without allocation ---- */

static char out_buf[1 << 16];
static size_t out_len;

/* Writes all of buf to fd, retrying short writes; false on error. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static void out_flush(void)
{
	if (out_len > 0 && !write_all(1, out_buf, out_len))
		_exit(3);
	out_len = 0;
}

static void out_bytes(const char *s, size_t len)
{
	if (out_len + len > sizeof out_buf)
		out_flush();
	if (len > sizeof out_buf) {
		if (!write_all(1, s, len))
			_exit(3);
		return;
	}
	memcpy(out_buf + out_len, s, len);
	out_len += len;
}

static void out_str(const char *s) { out_bytes(s, strlen(s)); }

/* One byte: the separators of every line (this file is built with
 * -fno-builtin, so out_str's strlen and memcpy are calls). */
static void out_char(char c)
{
	if (out_len == sizeof out_buf)
		out_flush();
	out_buf[out_len++] = c;
}

/* Formats v in base 16 (with "0x") or 10 into buf; returns the length.
 * Each base by its own loop: with the base a variable every digit was a
 * 64-bit division, the replayer's costliest instruction (a seventh of a
 * threaded replay's time). */
static size_t fmt_u64(char *buf, uint64_t v, bool hex)
{
	char tmp[24];
	size_t n = 0, len = 0;
	if (hex) {
		do {
			tmp[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} while (v != 0);
		buf[len++] = '0';
		buf[len++] = 'x';
	} else {
		do {
			tmp[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
	}
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

static void out_u64(uint64_t v, bool hex)
{
	/* formatted in place: at most 22 bytes ("0x" and 16 digits, or 20) */
	if (out_len + 32 > sizeof out_buf)
		out_flush();
	out_len += fmt_u64(out_buf + out_len, v, hex);
}

/* ---- stderr messages (unbuffered, built in a stack buffer) ---- */

typedef struct msg {
	char text[1024];
	size_t len;
} msg;

static void msg_str(msg *m, const char *s, size_t len)
{
	if (len > sizeof m->text - m->len)
		len = sizeof m->text - m->len;
	memcpy(m->text + m->len, s, len);
	m->len += len;
}
static void msg_cstr(msg *m, const char *s) { msg_str(m, s, strlen(s)); }
static void msg_u64(msg *m, uint64_t v)
{
	char buf[32];
	msg_str(m, buf, fmt_u64(buf, v, false));
}
static void msg_send(const msg *m) { (void)write_all(2, m->text, m->len); }

/* Appends s[0..n) escaped (utf8_escape) to m; returns the bytes written. */
static size_t msg_escaped(msg *m, const char *s, size_t n)
{
	size_t written = 0;
	if (m->len < sizeof m->text) {
		char buf[sizeof m->text];
		utf8_escape(s, n, UTF8_ESCAPE_LINE, buf, sizeof m->text - m->len, &written);
		msg_str(m, buf, written);
	}
	return written;
}


/* Usage and environment errors: "brksim-replay: error: TEXT[: DETAIL]". */
__attribute__((noreturn)) static void fail(int status, const char *text, const char *detail)
{
	msg m = {.len = 0};
	msg_cstr(&m, "brksim-replay: error: ");
	msg_escaped(&m, text, strlen(text)); /* a path or an option from the command line */
	if (detail) {
		msg_cstr(&m, ": ");
		msg_escaped(&m, detail, strlen(detail));
	}
	msg_cstr(&m, "\n");
	out_flush();
	msg_send(&m);
	_exit(status);
}

static const char *errno_text(int err)
{
#if REPLAY_GLIBC_AT_LEAST(2, 32)
	const char *s = strerrordesc_np(err); /* a static table: no allocation */
	return s ? s : "unknown error";
#else
	/* strerror may build an "Unknown error N" string with malloc; the
	 * few errors the replayer can meet are named here instead. */
	switch (err) {
	case ENOENT: return "No such file or directory";
	case EACCES: return "Permission denied";
	case ENOMEM: return "Cannot allocate memory";
	case EISDIR: return "Is a directory";
	case EIO: return "Input/output error";
	default: return "system error";
	}
#endif
}

/* ---- reading the trace into mmap'd memory ---- */

typedef struct trace_text {
	const char *data;
	size_t len;
} trace_text;

/* Reads a pipe into an anonymous mapping that grows by mremap, up to
 * INPUT_MAX_SIZE (lang/input_limits.h: the limit brksim itself applies). */
static trace_text read_stream(int fd)
{
	size_t cap = 1u << 20, len = 0, line_start = 0;
	char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		fail(3, "cannot map a buffer for the trace", errno_text(errno));
	for (;;) {
		if (len == cap) {
			if (cap > INPUT_MAX_SIZE)
				fail(2, "the trace is larger than " INPUT_MAX_SIZE_TEXT, NULL);
			size_t bigger_cap = cap * 2 > INPUT_MAX_SIZE + 1 ? INPUT_MAX_SIZE + 1 : cap * 2;
			char *bigger = mremap(buf, cap, bigger_cap, MREMAP_MAYMOVE);
			if (bigger == MAP_FAILED)
				fail(3, "cannot grow the trace buffer", errno_text(errno));
			buf = bigger;
			cap = bigger_cap;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(3, "cannot read the trace", errno_text(errno));
		}
		if (n == 0)
			break;
		/* Stop at a line too long (parse_trace reports it): a pipe of
		 * zeros is refused after a little more than INPUT_MAX_LINE. */
		for (const char *nl; (nl = memchr(buf + len, '\n', (size_t)n)) != NULL;) {
			size_t at = (size_t)(nl - buf);
			n -= (ssize_t)(at + 1 - len);
			len = at + 1;
			if (len - 1 - line_start > INPUT_MAX_LINE + 1)
				return (trace_text){buf, len};
			line_start = len;
		}
		len += (size_t)n;
		if (len - line_start > INPUT_MAX_LINE + 1)
			break;
	}
	return (trace_text){buf, len};
}

static trace_text read_trace(const char *path)
{
	int fd = 0;
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail(3, path, errno_text(errno));
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		fail(3, path, errno_text(errno));
	/* As brksim: regular files and pipes; a device may never end
	 * (/dev/zero) or wait for typing (a terminal). */
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		fail(2, path,
		     S_ISDIR(st.st_mode)   ? "is a directory"
		     : S_ISCHR(st.st_mode) ? "is a character device, not a file (brksim-replay reads regular files and pipes)"
		                           : "is not a regular file or a pipe");
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > INPUT_MAX_SIZE)
		fail(2, path, "the trace is larger than " INPUT_MAX_SIZE_TEXT);
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map != MAP_FAILED) {
			if (fd != 0)
				close(fd);
			return (trace_text){map, (size_t)st.st_size};
		}
	}
	trace_text t = read_stream(fd);
	if (fd != 0)
		close(fd);
	return t;
}

/* ---- parsing (kept in step with verify/ops_text.c: same messages) ---- */

typedef struct parser {
	const char *file;
	const char *line;     /* start of the current line */
	size_t line_len;      /* without the newline (and a trailing CR) */
	size_t pos;           /* cursor within the line */
	uint32_t lineno;
	unsigned errors;
} parser;

/* An echoed line longer than this is shown as a window around the column. */
#define ECHO_WINDOW 120

/* Reports `m1 m2 m3` at byte column pos+1 of the current line, followed
 * by the line and a caret in lang/diag.c's layout ("%5u | line"), bytes
 * from the trace escaped as diag.c escapes them. */
static void parse_error(parser *p, size_t pos, const char *m1, const char *m2, const char *m3)
{
	p->errors++;
	if (p->errors > MAX_ERRORS)
		return;
	msg m = {.len = 0};
	msg_escaped(&m, p->file, strlen(p->file));
	msg_cstr(&m, ":");
	msg_u64(&m, p->lineno);
	msg_cstr(&m, ":");
	msg_u64(&m, pos + 1);
	msg_cstr(&m, ": error: ");
	msg_cstr(&m, m1);
	if (m2)
		msg_cstr(&m, m2);
	if (m3)
		msg_cstr(&m, m3);
	msg_cstr(&m, "\n");
	char num[32];
	size_t n = fmt_u64(num, p->lineno, false);
	for (size_t i = n; i < 5; i++)
		msg_cstr(&m, " ");
	msg_str(&m, num, n);
	msg_cstr(&m, " | ");
	size_t from = 0, to = p->line_len;
	if (p->line_len > ECHO_WINDOW) {
		from = pos > ECHO_WINDOW / 2 ? pos - ECHO_WINDOW / 2 : 0;
		if (from + ECHO_WINDOW > p->line_len)
			from = p->line_len - ECHO_WINDOW;
		to = from + ECHO_WINDOW;
		msg_cstr(&m, from > 0 ? "..." : "");
	}
	/* The caret's column: one cell per byte shown as is (tabs copied),
	 * the escape's width for an escaped byte or sequence. */
	char caret[ECHO_WINDOW * UTF8_ESCAPE_MAX + 8];
	size_t caret_len = 0;
	if (from > 0)
		for (int k = 0; k < 3; k++)
			caret[caret_len++] = ' ';
	for (size_t i = from; i < to;) {
		size_t unit = 1;
		uint32_t cp;
		size_t seq = utf8_decode((const unsigned char *)p->line + i, to - i, &cp);
		if (seq > 1)
			unit = seq;
		bool tab = p->line[i] == '\t';
		size_t shown = tab ? (msg_str(&m, "\t", 1), 1) : msg_escaped(&m, p->line + i, unit);
		if (i < pos)
			for (size_t k = 0; k < (seq > 1 && !utf8_is_unsafe(cp) ? 1 : shown); k++)
				caret[caret_len++] = tab ? '\t' : ' ';
		i += unit;
	}
	if (to < p->line_len)
		msg_cstr(&m, "...");
	msg_cstr(&m, "\n      | ");
	msg_str(&m, caret, caret_len);
	for (size_t i = to; i < pos; i++)
		msg_cstr(&m, " ");
	msg_cstr(&m, "^\n");
	msg_send(&m);
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool at_end(const parser *p) { return p->pos >= p->line_len || p->line[p->pos] == '#'; }

static void skip_blanks(parser *p)
{
	while (p->pos < p->line_len && is_blank(p->line[p->pos]))
		p->pos++;
}

/* Length of the token at the cursor (up to a blank, '#' or the end). */
static size_t token_len(const parser *p)
{
	size_t i = p->pos;
	while (i < p->line_len && !is_blank(p->line[i]) && p->line[i] != '#')
		i++;
	return i - p->pos;
}

/* "a size" -> "size", "an alignment" -> "alignment". */
static const char *bare_noun(const char *what)
{
	if (strncmp(what, "a ", 2) == 0)
		return what + 2;
	if (strncmp(what, "an ", 3) == 0)
		return what + 3;
	return what;
}

/* Parses a decimal integer operand named `what` into *out, within
 * [min, max]. Reports and returns false on a missing or bad number. */
static bool parse_int(parser *p, const char *what, bool allow_negative, uint64_t max, int64_t min,
                      int64_t *out_signed, uint64_t *out)
{
	skip_blanks(p);
	size_t start = p->pos, len = token_len(p);
	if (at_end(p)) {
		parse_error(p, start, "expected ", what, NULL);
		return false;
	}
	const char *s = p->line + start;
	size_t i = 0;
	bool negative = false;
	if (allow_negative && len > 1 && s[0] == '-') {
		negative = true;
		i = 1;
	}
	uint64_t v = 0;
	bool overflow = false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			parse_error(p, start, "expected ", what, " (a decimal number)");
			p->pos = start + len;
			return false;
		}
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	p->pos = start + len;
	if (negative) {
		if (overflow || v > (uint64_t)INT64_MAX || -(int64_t)v < min) {
			parse_error(p, start, bare_noun(what), " out of range", NULL);
			return false;
		}
		*out_signed = -(int64_t)v;
		return true;
	}
	if (overflow || v > max) {
		parse_error(p, start, bare_noun(what), " out of range", NULL);
		return false;
	}
	if (out)
		*out = v;
	if (out_signed)
		*out_signed = (int64_t)v;
	return true;
}

static bool parse_u64(parser *p, const char *what, uint64_t max, uint64_t *out)
{
	return parse_int(p, what, false, max, 0, NULL, out);
}

static bool parse_slot(parser *p, uint32_t *out)
{
	uint64_t v;
	if (!parse_u64(p, "a slot number", MAX_SLOT, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Parses one line into *op. Returns 1 for an op, 0 for a blank/comment
 * line, -1 after reporting an error. */
static int parse_line(parser *p, replay_op *op)
{
	p->pos = 0;
	skip_blanks(p);
	if (at_end(p))
		return 0;
	memset(op, 0, sizeof *op);
	op->arg = NO_SLOT;
	size_t start = p->pos, len = token_len(p);
	if (len >= 2 && p->line[start] == 'T' && p->line[start + 1] >= '0' && p->line[start + 1] <= '9') {
		/* `Tn op...`: thread n calls it */
		uint64_t t = 0;
		for (size_t i = start + 1; i < start + len; i++) {
			if (p->line[i] < '0' || p->line[i] > '9' || t > MAX_THREAD) {
				t = MAX_THREAD + 1;
				break;
			}
			t = t * 10 + (uint64_t)(p->line[i] - '0');
		}
		if (t > MAX_THREAD) {
			parse_error(p, start, "thread number out of range", NULL, NULL);
			return -1;
		}
		op->thread = (uint32_t)t;
		p->pos = start + len;
		skip_blanks(p);
		if (at_end(p)) {
			parse_error(p, p->pos, "expected an op after the thread", NULL, NULL);
			return -1;
		}
		start = p->pos;
		len = token_len(p);
	}
	char c = len == 1 ? p->line[start] : 0;
	p->pos = start + len;
	bool ok = true;
	switch (c) {
	case 'a':
		op->kind = OP_MALLOC;
		ok = parse_slot(p, &op->slot) && parse_u64(p, "a size", UINT64_MAX, &op->a);
		break;
	case 'c':
		op->kind = OP_CALLOC;
		ok = parse_slot(p, &op->slot) && parse_u64(p, "an element count", UINT64_MAX, &op->a) &&
		     parse_u64(p, "a size", UINT64_MAX, &op->b);
		break;
	case 'r':
		op->kind = OP_REALLOC;
		ok = parse_slot(p, &op->slot);
		if (ok) {
			skip_blanks(p);
			if (!at_end(p) && token_len(p) == 1 && p->line[p->pos] == '-')
				p->pos++;
			else
				ok = parse_slot(p, &op->arg);
		}
		ok = ok && parse_u64(p, "a size", UINT64_MAX, &op->a);
		break;
	case 'f':
		op->kind = OP_FREE;
		ok = parse_slot(p, &op->slot);
		break;
	case 'A':
	case 'L':
	case 'P':
		op->kind = c == 'L' ? OP_ALIGNED_ALLOC : c == 'P' ? OP_POSIX_MEMALIGN : OP_MEMALIGN;
		ok = parse_slot(p, &op->slot) && parse_u64(p, "an alignment", UINT64_MAX, &op->a) &&
		     parse_u64(p, "a size", UINT64_MAX, &op->b);
		break;
	case 'v':
	case 'V':
		op->kind = c == 'V' ? OP_PVALLOC : OP_VALLOC;
		ok = parse_slot(p, &op->slot) && parse_u64(p, "a size", UINT64_MAX, &op->b);
		break;
	case 't':
		op->kind = OP_TRIM;
		op->slot = NO_SLOT;
		ok = parse_u64(p, "a pad", UINT64_MAX, &op->a);
		break;
	case 'o': {
		int64_t param = 0, value = 0; /* the op is dropped unless both parse */
		op->kind = OP_MALLOPT;
		op->slot = NO_SLOT;
		ok = parse_int(p, "a mallopt parameter", true, INT32_MAX, INT32_MIN, &param, NULL) &&
		     parse_int(p, "a mallopt value", true, INT32_MAX, INT32_MIN, &value, NULL);
		op->a = (uint64_t)param;
		op->b = (uint64_t)value;
		break;
	}
	case 'n':
		op->kind = OP_THREAD_NEW;
		op->slot = NO_SLOT;
		ok = parse_u64(p, "a thread number", MAX_THREAD, &op->a);
		if (ok && op->a == 0) {
			parse_error(p, p->pos - 1, "thread 0 is the main thread: it is not started", NULL, NULL);
			return -1;
		}
		break;
	case 'x':
		op->kind = OP_THREAD_EXIT;
		op->slot = NO_SLOT;
		if (op->thread == 0) {
			parse_error(p, start, "the main thread does not exit (x needs a thread: Tn x)", NULL, NULL);
			return -1;
		}
		break;
	case 'F':
		op->kind = OP_FORK;
		op->slot = NO_SLOT;
		break;
	case 'b': {
		int64_t inc = 0;
		op->kind = OP_SBRK;
		op->slot = NO_SLOT;
		ok = parse_int(p, "an sbrk increment", true, INT64_MAX, -INT64_MAX, &inc, NULL);
		op->a = (uint64_t)inc;
		break;
	}
	default: {
		char word[96]; /* lang/diag.h's DIAG_QUOTE_SIZE: the same quote as ops_text.c */
		parse_error(p, start, "unknown op '", utf8_quote(word, sizeof word, p->line + start, len),
		            "', expected one of: a c r f A L P v V t o n x F b");
		return -1;
	}
	}
	if (!ok)
		return -1;
	skip_blanks(p);
	if (!at_end(p)) {
		parse_error(p, p->pos, "unexpected text after the operands", NULL, NULL);
		return -1;
	}
	return 1;
}

/* Threads start before they call anything, once at a time, and exit
 * while running; keeps `live` up to date. Reports and returns false
 * otherwise. */
static bool thread_order_ok(parser *p, const replay_op *op, unsigned char *live)
{
	char num[32];
	if (op->thread != 0 && !live[op->thread]) {
		num[fmt_u64(num, op->thread, false)] = '\0';
		parse_error(p, 0, "thread ", num, " is not running here (start it first: n N)");
		return false;
	}
	if (op->kind == OP_THREAD_NEW) {
		if (live[op->a]) {
			num[fmt_u64(num, op->a, false)] = '\0';
			parse_error(p, 0, "thread ", num, " is already running");
			return false;
		}
		live[op->a] = 1;
	} else if (op->kind == OP_THREAD_EXIT) {
		live[op->thread] = 0;
	} else if (op->kind == OP_FORK) {
		/* the child has the forking thread alone, as its main thread */
		memset(live, 0, MAX_THREAD + 1);
	}
	return true;
}

typedef struct trace {
	replay_op *ops;
	size_t count;
	uint32_t max_slot; /* highest slot used, or NO_SLOT when none */
	bool threads;      /* some op names a thread: workers and the arena column */
} trace;

static trace parse_trace(const char *file, trace_text t)
{
	/* Count the lines, and stop at the first one longer than the limit:
	 * the pages of a mapped file past it are never read. */
	size_t lines = 1, end_of_fit = t.len, long_len = 0;
	for (size_t at = 0; at < t.len;) {
		const char *nl = memchr(t.data + at, '\n', t.len - at < INPUT_MAX_LINE + 2 ? t.len - at : INPUT_MAX_LINE + 2);
		size_t len = nl ? (size_t)(nl - (t.data + at)) : t.len - at;
		if (len > 0 && t.data[at + len - 1] == '\r' && (nl != NULL || at + len == t.len))
			len--;
		if (len > INPUT_MAX_LINE) {
			end_of_fit = at;
			long_len = t.len - at < INPUT_MAX_LINE * 2 ? t.len - at : INPUT_MAX_LINE * 2;
			break;
		}
		lines++;
		at = nl ? (size_t)(nl - t.data) + 1 : t.len;
	}
	trace tr = {NULL, 0, NO_SLOT, false};
	/* Reserved for every line, touched only for the ops there are. */
	tr.ops = mmap(NULL, lines * sizeof(replay_op), PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (tr.ops == MAP_FAILED)
		fail(3, "cannot map the op list", errno_text(errno));
	parser p = {.file = file, .lineno = 0, .errors = 0};
	/* Which threads run at each line (a byte per thread number, touched
	 * only for the numbers a trace uses). */
	unsigned char *live = mmap(NULL, MAX_THREAD + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                           -1, 0);
	if (live == MAP_FAILED)
		fail(3, "cannot map the thread table", errno_text(errno));
	size_t at = 0;
	while (at < end_of_fit) {
		const char *nl = memchr(t.data + at, '\n', end_of_fit - at);
		size_t end = nl ? (size_t)(nl - t.data) : t.len;
		p.line = t.data + at;
		p.line_len = end - at;
		if (p.line_len > 0 && p.line[p.line_len - 1] == '\r')
			p.line_len--;
		p.lineno++;
		replay_op op;
		if (parse_line(&p, &op) == 1 && thread_order_ok(&p, &op, live)) {
			tr.ops[tr.count++] = op;
			if (op.thread != 0 || op.kind == OP_THREAD_NEW)
				tr.threads = true;
			uint32_t hi = op.slot;
			if (op.arg != NO_SLOT && (hi == NO_SLOT || op.arg > hi))
				hi = op.arg;
			if (hi != NO_SLOT && (tr.max_slot == NO_SLOT || hi > tr.max_slot))
				tr.max_slot = hi;
		}
		at = end + 1;
	}
	if (end_of_fit < t.len) {
		/* The same limit and message as brksim's readers. */
		p.line = t.data + end_of_fit;
		p.line_len = long_len;
		p.lineno++;
		parse_error(&p, INPUT_MAX_LINE, "line is longer than " INPUT_MAX_LINE_TEXT, NULL, NULL);
	}
	if (p.errors > 0) {
		if (p.errors > MAX_ERRORS) {
			msg m = {.len = 0};
			msg_escaped(&m, file, strlen(file));
			msg_cstr(&m, ": error: ");
			msg_u64(&m, p.errors - MAX_ERRORS);
			msg_cstr(&m, " more errors not shown\n");
			msg_send(&m);
		}
		_exit(2);
	}
	return tr;
}

/* ---- measuring ---- */

static uintptr_t heap_start;

/* Bytes the program's own sbrk (`b N`) put between the main arena's top
 * and the break: the top measured ends that far below the break, until
 * glibc's heap moves the break again (its growth then ends the new top at
 * the break; it never trims while the break is moved). foreign_seen: the
 * heap has the program's bytes somewhere, where nothing may be read (a
 * read faults in a page the model says is untouched). */
static uint64_t foreign_tail;
static bool foreign_seen;

/* Size of the top chunk found by walking the boundary tags from the first
 * chunk (16-aligned user pointer) to the chunk that ends at the break.
 * 0 when there is no heap yet; UINT64_MAX when the walk does not land on
 * the break (a heap the walk cannot follow), or when the program's own
 * bytes lie somewhere in it (a walk from the start would read them). */
static uint64_t top_by_walk(uintptr_t brk)
{
	if (foreign_seen)
		return UINT64_MAX;
	uintptr_t p = ((heap_start + 16 + 15) & ~(uintptr_t)15) - 16;
	while (p + 16 <= brk) {
		uint64_t size = *(const uint64_t *)(p + 8) & ~(uint64_t)7;
		if (size < 16 || p + size > brk)
			return UINT64_MAX;
		if (p + size == brk)
			return size;
		p += size;
	}
	return brk == heap_start ? 0 : UINT64_MAX;
}

/* glibc's own top size: mallinfo2().keepcost is chunksize(av->top) and the
 * call only reads the arena (no consolidation, no allocation). Before
 * 2.33 there is only mallinfo, whose int fields keep the low 32 bits
 * (wrapped): exact while the heap is under 2 GiB; above, the walk is
 * asked for the high bits and the column says `?` if it cannot tell. */
static uint64_t top_by_mallinfo(uintptr_t brk)
{
#if REPLAY_HAS_MALLINFO2
	(void)brk;
	struct mallinfo2 mi = mallinfo2();
	return mi.keepcost;
#else
	struct mallinfo mi = REPLAY_MALLINFO();
	uint64_t low = (uint32_t)mi.keepcost;
	if (brk - heap_start < ((uint64_t)1 << 31))
		return low;
	uint64_t walked = top_by_walk(brk);
	return walked != UINT64_MAX && (uint32_t)walked == low ? walked : UINT64_MAX;
#endif
}

static unsigned char *mincore_vec;
static size_t mincore_cap;

/* Resident pages among those overlapping [heap_start, brk), or UINT64_MAX
 * if mincore failed. The start is a page boundary except on glibc before
 * 2.35 run with GLIBC_TUNABLES, whose loader sbrk()s a copy of the
 * string first: then the first page counted is the one the copy shares
 * with the heap. */
static uint64_t resident_range(uintptr_t start, size_t len);

static uint64_t resident_pages(uintptr_t brk)
{
	uintptr_t first = heap_start & ~(uintptr_t)(PAGE - 1);
	if (brk <= heap_start)
		return 0;
	return resident_range(first, brk - first);
}

/* ---- running ---- */

/* A slot holds the pointer the program's variable holds. free() does not
 * clear it (as in C); a freed pointer is kept with bit 0 set so a second
 * free passes the same dangling pointer to glibc — which then aborts the
 * way a real program would. */
#define STALE 1u
/* A slot that was given NULL (a failed allocation, realloc(p, 0)): freeing
 * it is free(NULL). 0 means the slot was never given anything at all. */
#define HOLDS_NULL 2u

typedef struct run_options {
	bool touch;
	enum top_mode top;
	bool rss;
	enum rss_mode rss_mode;
	/* --trim-every=N:PAD (brksim's what-if): malloc_trim(PAD) after every
	 * N calls, in the Nth's op, as its thread (0: never) */
	uint64_t trim_every, trim_pad;
} run_options;

static void *slot_ptr(uintptr_t v)
{
	v &= ~(uintptr_t)STALE;
	return v == HOLDS_NULL ? NULL : (void *)v;
}

/* ---- threads and arenas ---- */

/* glibc's heaps of non-main arenas are HEAP_MAX_SIZE-aligned mappings
 * (2 * DEFAULT_MMAP_THRESHOLD_MAX on 64-bit) that start with a heap_info:
 * ar_ptr, prev, size, mprotect_size (the same four words from 2.3.6 to
 * 2.43). A chunk with the A bit (NON_MAIN_ARENA) lives in one. */
#ifdef REPLAY_DLMALLOC
#define HEAP_MAX ((uintptr_t)1 << 20) /* 2.3.6: HEAP_MAX_SIZE was 1 MiB, checked at start */
#else
#define HEAP_MAX ((uintptr_t)64 << 20)
#endif
#define CHUNK_NON_MAIN 4u

/* Where glibc keeps the arena list, found once per run by a child
 * process (calibrate_arenas): the address of main_arena and the offsets
 * of malloc_state's `next`, `top` and `system_mem`. */
static struct {
	bool known;
	uintptr_t main_arena;
	size_t next_off, top_off, system_mem_off;
	int cpus;
} arenas_at;

static uintptr_t read_word(uintptr_t addr) { return *(const uintptr_t *)addr; }

#define MAX_ARENAS 4096u
/* The non-main arenas in creation order (glibc links each new one right
 * after main_arena, so its list from main_arena.next is newest first). */
static uintptr_t arena_list[MAX_ARENAS];
static size_t arena_count;

static void list_arenas(void)
{
	arena_count = 0;
	if (!arenas_at.known)
		return;
	uintptr_t a = read_word(arenas_at.main_arena + arenas_at.next_off);
	while (a != arenas_at.main_arena && a != 0 && arena_count < MAX_ARENAS) {
		arena_list[arena_count++] = a;
		a = read_word(a + arenas_at.next_off);
	}
	for (size_t i = 0; i < arena_count / 2; i++) {
		uintptr_t t = arena_list[i];
		arena_list[i] = arena_list[arena_count - 1 - i];
		arena_list[arena_count - 1 - i] = t;
	}
}

/* The newest heap of arena a: the one holding its top chunk. */
static uintptr_t arena_newest_heap(uintptr_t a)
{
	return read_word(a + arenas_at.top_off) & ~(HEAP_MAX - 1);
}

/* Prints a pointer into a non-main arena's heap: A<arena>.<heap>+0x<off>,
 * arenas numbered 1.. in creation order, heaps 0.. from the arena's first. */
static void out_arena_ptr(uintptr_t p)
{
	uintptr_t heap = p & ~(HEAP_MAX - 1);
	uintptr_t ar = read_word(heap);
	size_t n = 0;
	for (size_t i = 0; i < arena_count; i++)
		if (arena_list[i] == ar)
			n = i + 1;
	size_t depth = 0, heaps = 0;
	for (uintptr_t h = n ? arena_newest_heap(ar) : 0; h != 0; h = read_word(h + 8)) {
		if (h == heap)
			depth = heaps;
		heaps++;
	}
	out_char('A');
	out_u64(n, false);
	out_char('.');
	out_u64(heaps - 1 - depth, false);
	out_char('+');
	out_u64(p - heap, true);
}

/* Prints the ret column for an allocation's result. */
static void out_ret(void *ptr)
{
	if (ptr == NULL) {
		out_str("null");
		return;
	}
	/* The chunk's size word sits just below the user pointer. */
	uint64_t size_word = *(const uint64_t *)((uintptr_t)ptr - 8);
	if (size_word & 2) {
		out_str("mmap");
		return;
	}
	uintptr_t p = (uintptr_t)ptr;
	if ((size_word & CHUNK_NON_MAIN) && arenas_at.known) {
		out_arena_ptr(p);
	} else if (p >= heap_start) {
		out_u64(p - heap_start, true);
	} else {
		out_char('-');
		out_u64(heap_start - p, true);
	}
}

/* Resident pages of [start, start + len), page-aligned; UINT64_MAX when
 * mincore fails. */
static uint64_t resident_range(uintptr_t start, size_t len)
{
	size_t pages = (len + PAGE - 1) / PAGE;
	if (pages > mincore_cap) {
		size_t cap = mincore_cap ? mincore_cap : PAGE;
		while (cap < pages)
			cap *= 2;
		void *vec = mincore_vec ? mremap(mincore_vec, mincore_cap, cap, MREMAP_MAYMOVE)
		                        : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (vec == MAP_FAILED)
			return UINT64_MAX;
		mincore_vec = vec;
		mincore_cap = cap;
	}
	if (pages == 0)
		return 0;
	if (mincore((void *)start, pages * PAGE, mincore_vec) != 0)
		return UINT64_MAX;
	uint64_t n = 0;
	for (size_t i = 0; i < pages; i++)
		n += mincore_vec[i] & 1;
	return n;
}

/* What the gated rss (rss_watched) tells out_arenas about this op. */
static struct {
	bool gated;     /* --rss=faults: arena pages may come from the last scan */
	bool scan;      /* this op's lines are measured afresh */
	bool explained; /* this op faulted, trimmed or freed into an arena: counts may change */
	size_t step, last_step;
} arena_rss;

/* Each arena's heaps, bytes and resident pages at the last scan. */
static struct {
	uintptr_t arena;
	uint64_t heaps, size, pages;
	bool known;
} arena_seen[MAX_ARENAS];

__attribute__((noreturn)) static void watch_lost(const char *what, size_t from, size_t to, const char *how);

/* The arena column: `-` without arenas, else per non-main arena in
 * creation order `heaps/size/top/rss` (heap count, the bytes its heaps
 * span, its top chunk's size, their resident pages), comma-separated.
 * Heaps, size and top are read from glibc's structures after every op;
 * the resident pages (mincore over every heap) only when arena_rss.scan
 * or the arena's heaps changed, else they are the last scan's (see
 * rss_watched for why that is exact). */
static void out_arenas(bool rss)
{
	if (arena_count == 0) {
		out_char('-');
		return;
	}
	for (size_t i = 0; i < arena_count; i++) {
		uintptr_t a = arena_list[i];
		uintptr_t top = read_word(a + arenas_at.top_off);
		uint64_t heaps = 0, size = 0, pages = 0;
		for (uintptr_t h = top & ~(HEAP_MAX - 1); h != 0; h = read_word(h + 8)) {
			heaps++;
			size += read_word(h + 16);
		}
		bool same = arena_seen[i].known && arena_seen[i].arena == a && arena_seen[i].heaps == heaps &&
		            arena_seen[i].size == size;
		bool pages_known = rss;
		if (rss && arena_rss.gated && same && !arena_rss.scan) {
			pages = arena_seen[i].pages;
		} else if (rss) {
			for (uintptr_t h = top & ~(HEAP_MAX - 1); h != 0 && pages_known; h = read_word(h + 8)) {
				uint64_t n = resident_range(h, read_word(h + 16));
				if (n == UINT64_MAX)
					pages_known = false;
				else
					pages += n;
			}
			/* Between two scans no op faulted, trimmed or freed into
			 * an arena, but for this one: a change without it means
			 * the counts printed since the last scan may be wrong. */
			if (arena_rss.gated && same && pages_known && pages != arena_seen[i].pages && !arena_rss.explained)
				watch_lost("an arena's resident pages changed without a page fault, a trim or a free",
				           arena_rss.last_step, arena_rss.step, "rerun with --rss=scan");
			arena_seen[i] = (typeof(arena_seen[i])){a, heaps, size, pages, pages_known};
		}
		if (i)
			out_char(',');
		out_u64(heaps, false);
		out_char('/');
		out_u64(size, true);
		out_char('/');
		out_u64(read_word(top + 8) & ~(uint64_t)7, true);
		out_char('/');
		if (pages_known)
			out_u64(pages, false);
		else
			out_char('?');
	}
}

/* Allocations the replayer's own thread machinery makes (pthread_create's
 * DTV, through ld.so's calloc) are served from this mapping, never from
 * the heap under test: a trace's `n` allocates nothing in glibc, exactly
 * like a scenario's thread start (which says so with its own calloc op). */
static unsigned char *divert_buf;
static size_t divert_used, divert_cap;
static volatile int diverting;

static bool diverted(const void *p)
{
	return divert_buf && (const unsigned char *)p >= divert_buf && (const unsigned char *)p < divert_buf + divert_cap;
}

static void *divert_alloc(size_t n)
{
	size_t need = (n + 15) / 16 * 16 + 16;
	if (!divert_buf || need > divert_cap - divert_used)
		return NULL;
	unsigned char *p = divert_buf + divert_used;
	divert_used += need;
	memcpy(p, &n, sizeof n);
	return p + 16; /* the mapping is zero: calloc needs nothing more */
}

#ifdef REPLAY_DLMALLOC
/* The 2.3.6 oracle tests dlmalloc, and this machine's libc malloc shares
 * the break with it: pthread_create's DTV must not come from there. The
 * names below are the libc ones, not the dlmalloc macros. */
#pragma push_macro("malloc")
#pragma push_macro("calloc")
#pragma push_macro("realloc")
#pragma push_macro("free")
#undef malloc
#undef calloc
#undef realloc
#undef free
#endif
/* The replayer's malloc, calloc, realloc and free (ld.so calls these
 * for the DTV, as it calls a program's own): glibc's, except while a
 * thread is being started. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *malloc(size_t n) { return diverting ? divert_alloc(n) : __libc_malloc(n); }
void *calloc(size_t n, size_t size)
{
	if (!diverting)
		return __libc_calloc(n, size);
	size_t total;
	return __builtin_mul_overflow(n, size, &total) ? NULL : divert_alloc(total);
}
void *realloc(void *old, size_t n)
{
	if (!diverting && !diverted(old))
		return __libc_realloc(old, n);
	void *p = divert_alloc(n);
	if (p && old) {
		size_t was;
		memcpy(&was, (unsigned char *)old - 16, sizeof was);
		memcpy(p, old, was < n ? was : n);
	}
	return p;
}
void free(void *p)
{
	if (!diverted(p))
		__libc_free(p);
}
#ifdef REPLAY_DLMALLOC
#pragma pop_macro("malloc")
#pragma pop_macro("calloc")
#pragma pop_macro("realloc")
#pragma pop_macro("free")
/* The oracle's own accessor (scripts/oracle-236.sh): main_arena and the
 * layout of 2.3.6's malloc_state, which no calibration can find (without
 * contention every 2.3.6 thread shares main_arena). */
void o236_arena_layout(void **main, size_t *next_off, size_t *top_off, size_t *system_mem_off, size_t *heap_max,
                       size_t *state_bytes);

static void calibrate_arenas(void)
{
	void *m;
	size_t next_off, top_off, system_mem_off, heap_max, state_bytes;
	o236_arena_layout(&m, &next_off, &top_off, &system_mem_off, &heap_max, &state_bytes);
	if (heap_max != HEAP_MAX)
		fail(3, "the oracle's HEAP_MAX_SIZE is not 1 MiB", NULL);
	arenas_at.known = true;
	arenas_at.main_arena = (uintptr_t)m;
	arenas_at.next_off = next_off;
	arenas_at.top_off = top_off;
	arenas_at.system_mem_off = system_mem_off;
	arenas_at.cpus = get_nprocs();
}
#else

/* Finds main_arena and the offsets of malloc_state's fields in a child
 * process (its heap is a copy, so the replay's own heap is untouched):
 * a thread there makes an arena A; in A, `next` is the first word that
 * points outside A's heap, to main_arena, whose `next` points back at A
 * (A is the only other arena). `top` sits 2064 bytes before `next`
 * (last_remainder, 254 bin pointers and the binmap between them) and
 * `system_mem` 24 after (next_free, attached_threads): true of every
 * malloc_state layout from 2.26 to 2.43, and checked below. */
typedef struct calibration {
	uintptr_t main_arena;
	uint64_t next_off, top_off, system_mem_off;
	int ok;
	int cpus; /* get_nprocs (): what arena_get2 counts (__get_nprocs) */
} calibration;

static void *calibrate_thread(void *arg)
{
	calibration *c = arg;
	void *p = __libc_malloc(16);
	if (!p || !(*(const uint64_t *)((uintptr_t)p - 8) & CHUNK_NON_MAIN))
		return NULL;
	uintptr_t heap = (uintptr_t)p & ~(HEAP_MAX - 1);
	uintptr_t a = read_word(heap);
	uintptr_t heap_end = heap + read_word(heap + 16);
	for (size_t off = 2064; off < 8192 && a + off + 8 <= heap_end; off += 8) {
		uintptr_t m = read_word(a + off);
		if (m < 4096 || (m >= heap && m < heap_end) || (m & 7))
			continue;
		if (read_word(m + off) != a)
			return NULL;
		uintptr_t top = read_word(a + off - 2064);
		if (top < heap || top >= heap_end || top + (read_word(top + 8) & ~(uintptr_t)7) != heap_end)
			return NULL;
		if (read_word(a + off + 24) != heap_end - heap)
			return NULL;
		c->main_arena = m;
		c->next_off = off;
		c->top_off = off - 2064;
		c->system_mem_off = off + 24;
		c->ok = 1;
		return NULL;
	}
	return NULL;
}

static void calibrate_arenas(void)
{
	int fds[2];
	if (pipe(fds) != 0)
		fail(3, "cannot make a pipe", errno_text(errno));
	pid_t pid = fork();
	if (pid < 0)
		fail(3, "cannot fork to find glibc's arenas", errno_text(errno));
	if (pid == 0) {
		calibration c = {0, 0, 0, 0, 0, 0};
		c.cpus = get_nprocs();
		pthread_t t;
		/* The first thread to call malloc takes main_arena (ptmalloc_init,
		 * up to 2.41): this one, so the new thread gets an arena of its own. */
		__libc_free(__libc_malloc(1));
		/* A trace run with arena_max 1 would give the thread the main
		 * arena: lift the limit here (the child's settings only; the
		 * limit is computed at a thread's first call, which the replay
		 * has not made yet). */
		mallopt(M_ARENA_MAX, 8);
		diverting = 1;
		int rc = pthread_create(&t, NULL, calibrate_thread, &c);
		diverting = 0;
		if (rc == 0)
			pthread_join(t, NULL);
		(void)write_all(fds[1], (const char *)&c, sizeof c);
		_exit(0);
	}
	close(fds[1]);
	calibration c = {0, 0, 0, 0, 0, 0};
	size_t got = 0;
	while (got < sizeof c) {
		ssize_t n = read(fds[0], (char *)&c + got, sizeof c - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof c || !c.ok)
		fail(3, "cannot find glibc's arena list (the trace has threads)", NULL);
	arenas_at.known = true;
	arenas_at.main_arena = c.main_arena;
	arenas_at.next_off = c.next_off;
	arenas_at.top_off = c.top_off;
	arenas_at.system_mem_off = c.system_mem_off;
	arenas_at.cpus = c.cpus;
}
#endif

/* ---- the top chunk and the resident pages without a per-op walk ---- */

/* Both columns used to be measured in full after every op: mallinfo walks
 * every bin and fastbin (its cost grows with the free chunks: a 1.3M-call
 * perl recording took over 300 s) and mincore covers the whole heap (its
 * cost grows with the heap: 15 s on the same recording). By default each
 * is now read cheaply and measured in full only when the cheap reading
 * cannot be trusted, every WATCH_EVERY ops and after the last op; a full
 * measurement that contradicts what the cheap one printed ends the run
 * with exit 4 (`brksim verify` then replays again with --top=mallinfo
 * --rss=scan, the full measurement after every op). What each cheap
 * reading proves is said where it is made (docs/fidelity.md too). */
#define WATCH_EVERY 16384u

/* -- top: glibc's own top pointer -- */

/* mallinfo's keepcost is chunksize(main_arena.top), nothing else: reading
 * main_arena.top and the size word it points at gives the same number
 * without the walk over the bins. main_arena is a static of the malloc
 * it belongs to, so its address is found, not known: after an op where
 * mallinfo says the top is K bytes, every aligned word in the writable
 * data of every loaded object (libc's holds main_arena; the 2.3.6
 * oracle's is this program's) that points at a chunk of K bytes ending at
 * the break is a candidate. main_arena.top is always one of them; others
 * (a stale copy, last_remainder pointing at the same chunk) may be too.
 * From then on the top is read through every candidate, and trusted only
 * when all of them can be read (inside [initial break, break), their chunk
 * ending at the break) and agree: the true one is among them, so a
 * unanimous reading IS keepcost. Otherwise mallinfo is called, and every
 * candidate whose chunk can be read and has another size than keepcost is
 * dropped (the true one never is: its chunk is keepcost's). */
#define TOP_CANDIDATES_MAX 16

static struct {
	const uintptr_t *slot[TOP_CANDIDATES_MAX];
	size_t count;
	size_t unread_run;      /* consecutive mallinfo calls with a candidate that could not be read */
	size_t searches;
	uint64_t full;          /* mallinfo calls (fallbacks and checks) */
} top_watch;

/* keepcost's bits: mallinfo's int fields keep only the low 32 (before 2.33). */
#if REPLAY_HAS_MALLINFO2
#define KEEPCOST_MASK UINT64_MAX
#else
#define KEEPCOST_MASK (uint64_t)UINT32_MAX
#endif

static uint64_t keepcost_now(void)
{
	top_watch.full++;
#if REPLAY_HAS_MALLINFO2
	return mallinfo2().keepcost;
#else
	return (uint32_t)REPLAY_MALLINFO().keepcost;
#endif
}

/* The size of the chunk at c if c can be a chunk of the main heap (8-byte
 * aligned, its size word below the break), else UINT64_MAX. */
static uint64_t heap_chunk_size(uintptr_t c, uintptr_t brk)
{
	if (c < heap_start || (c & 7) || brk < 16 || c > brk - 16)
		return UINT64_MAX;
	if (foreign_seen) {
		/* a word that only looks like a pointer may point at the
		 * program's bytes: read no page that is not resident */
		unsigned char in = 0;
		uintptr_t page = (c + 8) & ~(uintptr_t)(PAGE - 1);
		if (mincore((void *)page, PAGE, &in) != 0 || !(in & 1))
			return UINT64_MAX;
	}
	return read_word(c + 8) & ~(uint64_t)7;
}

/* The top's size if every candidate reads a chunk ending at the break and
 * they agree, else UINT64_MAX. */
static uint64_t top_watch_read(uintptr_t brk)
{
	uint64_t agreed = UINT64_MAX;
	for (size_t i = 0; i < top_watch.count; i++) {
		uintptr_t c = *top_watch.slot[i];
		uint64_t size = heap_chunk_size(c, brk);
		if (size == UINT64_MAX || c + size != brk || (i > 0 && size != agreed))
			return UINT64_MAX;
		agreed = size;
	}
	return agreed;
}

typedef struct top_search {
	uintptr_t brk;
	uint64_t keepcost;
	size_t count;
	bool too_many;
	const uintptr_t *slot[TOP_CANDIDATES_MAX];
} top_search;

static int top_search_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	top_search *s = arg;
	for (size_t i = 0; i < info->dlpi_phnum && !s->too_many; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || !(ph->p_flags & PF_R))
			continue;
		uintptr_t from = (info->dlpi_addr + ph->p_vaddr + 7) & ~(uintptr_t)7;
		uintptr_t to = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		for (uintptr_t w = from; w + 8 <= to; w += 8) {
			uintptr_t c = read_word(w);
			uint64_t csize = heap_chunk_size(c, s->brk);
			if (csize == UINT64_MAX || c + csize != s->brk || (csize & KEEPCOST_MASK) != s->keepcost)
				continue;
			if (s->count == TOP_CANDIDATES_MAX) {
				s->too_many = true;
				break;
			}
			s->slot[s->count++] = (const uintptr_t *)w;
		}
	}
	return 0;
}

/* Looks for the candidates after a mallinfo that said `keepcost`. */
static void top_watch_search(uintptr_t brk, uint64_t keepcost)
{
	top_watch.count = 0;
	top_watch.unread_run = 0;
	top_watch.searches++;
	if (brk <= heap_start)
		return;
	top_search s = {.brk = brk, .keepcost = keepcost, .count = 0, .too_many = false};
	dl_iterate_phdr(top_search_object, &s); /* no allocation: it walks the loader's list under its lock */
	if (s.too_many || s.count == 0)
		return;
	for (size_t i = 0; i < s.count; i++)
		top_watch.slot[i] = s.slot[i];
	top_watch.count = s.count;
}

/* After a mallinfo that said `keepcost`: drops every candidate whose
 * chunk reads another size (never main_arena.top). */
static void top_watch_prune(uintptr_t brk, uint64_t keepcost)
{
	size_t kept = 0;
	bool unread = false;
	for (size_t i = 0; i < top_watch.count; i++) {
		uint64_t size = heap_chunk_size(*top_watch.slot[i], brk);
		if (size == UINT64_MAX)
			unread = true;
		else if ((size & KEEPCOST_MASK) != keepcost)
			continue;
		top_watch.slot[kept++] = top_watch.slot[i];
	}
	top_watch.count = kept;
	top_watch.unread_run = unread ? top_watch.unread_run + 1 : 0;
}

__attribute__((noreturn)) static void watch_lost(const char *what, size_t from, size_t to, const char *how)
{
	msg m = {.len = 0};
	msg_cstr(&m, "brksim-replay: error: ");
	msg_cstr(&m, what);
	msg_cstr(&m, " between op ");
	msg_u64(&m, from);
	msg_cstr(&m, " and op ");
	msg_u64(&m, to);
	msg_cstr(&m, ": ");
	msg_cstr(&m, how);
	msg_cstr(&m, "\n");
	out_flush();
	msg_send(&m);
	_exit(4);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* the vDSO: no system call, no allocation */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The top column after op `step` (1-based) by --top=arena. `check`: a
 * periodic check is due (skipped while the last one's cost is more than a
 * sixteenth of the time since: mallinfo's walk grows with the free
 * chunks, 30 ms each on a 2.6M-call perl recording, so checks every
 * WATCH_EVERY ops would make the replay superlinear); `last`: the last op,
 * always checked. */
static uint64_t top_watched(size_t step, uintptr_t brk, bool check, bool last)
{
	static size_t last_check;
	static uint64_t check_end, check_cost;
	uint64_t fast = top_watch_read(brk);
	/* No main heap yet (the main thread has not allocated from the break,
	 * only the threads have): main_arena.top is glibc's initial top, a
	 * fake chunk inside main_arena, which no candidate search finds, and
	 * mallinfo after every op would walk every arena's free chunks (its
	 * cost grows with them). With threads, main_arena and the offset of
	 * its top are known (calibrate_arenas checked them): keepcost is
	 * chunksize(main_arena.top), read here as mallinfo reads it, and
	 * mallinfo still checks it every WATCH_EVERY ops and at the end. */
	if (fast == UINT64_MAX && brk <= heap_start && arenas_at.known) {
		/* 0 before malloc initialised main_arena (the 2.3.6 oracle's
		 * single-threaded traces): mallinfo then initialises it */
		uintptr_t top = read_word(arenas_at.main_arena + arenas_at.top_off);
		if (top != 0 && (top & 7) == 0)
			fast = read_word(top + 8) & ~(uint64_t)7;
	}
	if (fast != UINT64_MAX && !last && (!check || now_ns() - check_end < 16 * check_cost))
		return fast;
	uint64_t start = now_ns();
	uint64_t keepcost = keepcost_now();
	check_end = now_ns();
	check_cost = check_end - start;
	if (fast != UINT64_MAX) {
		/* Cannot happen while main_arena.top is a candidate: says the
		 * reasoning above is wrong for this malloc. */
		if ((fast & KEEPCOST_MASK) != keepcost)
			watch_lost("the top chunk read through main_arena.top disagreed with mallinfo", last_check, step,
			           "rerun with --top=mallinfo");
		last_check = step;
		return fast;
	}
	top_watch_prune(brk, keepcost);
	/* No candidate (yet), or one that has stayed unreadable (a stale
	 * pointer): look again — while keepcost's chunk ends at the break,
	 * main_arena.top is found again. Early ops search every time (the
	 * heap is made by the first); later ones every 64th fallback. */
	if ((top_watch.count == 0 || top_watch.unread_run >= 64) &&
	    (top_watch.searches < 64 || top_watch.full % 64 == 0))
		top_watch_search(brk, keepcost);
	last_check = step;
#if REPLAY_HAS_MALLINFO2
	return keepcost;
#else
	if (brk - heap_start < ((uint64_t)1 << 31))
		return keepcost;
	uint64_t walked = top_by_walk(brk);
	return walked != UINT64_MAX && (uint32_t)walked == keepcost ? walked : UINT64_MAX;
#endif
}

/* -- rss: mincore only after a page fault -- */

/* What one op did. */
typedef struct outcome {
	void *result;
	bool has_result; /* malloc, calloc, realloc, the memalign family (a posix_memalign that succeeded) */
	int64_t value;   /* malloc_trim, mallopt; posix_memalign's error */
} outcome;

static uintptr_t *slots;

/* A page of the heap becomes resident only by a page fault of this
 * process (the kernel counts every successful one in the faulting
 * thread's ru_minflt/ru_majflt, also when it faults a page in for a
 * system call), and stops being resident only when the process gives it
 * back: glibc's malloc_trim madvises free pages away (mtrim), and a
 * lowered break unmaps the pages above it; a page can also be reclaimed
 * to swap under memory pressure. So after an op with no page fault, no
 * malloc_trim and the same break, the heap's resident pages are the ones
 * counted after the op before, and mincore is not called. It is called
 * after every other op, every WATCH_EVERY ops and after the last; each
 * time, the pages it finds are compared with the last scan's, page by
 * page: a page that became resident with no fault since, or stopped
 * being resident without a malloc_trim (reclaim, or a way of glibc's to
 * give pages back that the above does not know), means the counts printed
 * in between may be wrong: exit 4. In traces with threads, faults of
 * every thread that makes calls count (rss_threads), and out_arenas
 * counts the arenas' heaps again on the same ops and when their heaps
 * changed. After an op whose only news is page faults, mincore looks
 * first at the pages around the chunks it returned or freed (rss_near):
 * when as many pages became resident there as there were faults, each
 * fault is one of them, and no page elsewhere can have become resident
 * (that takes a fault of its own), so the rest of the heap is not
 * scanned. A scan of the whole heap after every fault was a quarter of
 * the replay of a perl recording (17,500 pages, 18,500 faulting ops). */
static struct {
	bool have;
	uintptr_t brk;
	uint64_t faults;      /* page faults (this thread, or all: rss_threads) after the last scan */
	uint64_t pages;       /* resident pages the last scan counted */
	size_t step;          /* the op after which it was made */
	unsigned char *vec;   /* residency per page, as that scan saw it (and rss_near since) */
	size_t vec_pages, vec_cap;
	uint64_t scans;       /* of the whole heap */
	uint64_t near_scans;  /* rss_near's that explained every fault */
} rss_watch;

/* Whether page faults of every thread count (RUSAGE_SELF): when trace
 * threads make calls in kernel threads of their own (handoff). With one
 * kernel thread for every call (fsbase) its own count is enough, except
 * for a thread's start and exit, which other kernel threads run: those
 * count as faulted (rss_watched). RUSAGE_SELF sums the CPU time of every
 * thread, each under its run queue's lock: with threads it was the
 * replayer's largest cost per op. */
static bool rss_threads;
/* The op about to run may give arena heap pages back without changing
 * the arena's heaps (see dispatch). */
static bool op_may_drop;
/* This op's step made the --trim-every what-if's malloc_trim (dispatch):
 * the brk heap's pages may leave as at a malloc_trim op. */
static bool op_trimmed;

/* The page-fault count is asked of the kernel (getrusage) only when a
 * fault may have happened since it was last asked: a getrusage after
 * every op was half the replayer's CPU time (a system call each, 1.3M on
 * a perl recording: 0.45 s of system time of its 0.8). A perf software
 * event on this thread's page faults, sampling every one (period 1, no
 * sample fields: an 8-byte record each), moves its ring buffer's
 * data_head, which lies in memory the replayer reads: while data_head has
 * not moved since the last getrusage, this thread took no page fault
 * since (the event fires on entry to the fault handler, before the fault
 * is counted, also on faults that end up not counted), so the count is
 * still the one that call returned. Not exact in one direction only:
 * with exclude_kernel (what perf_event_paranoid 2 allows) a fault the
 * kernel takes on a user page inside a system call is counted by
 * getrusage but not sampled; no system call of an op writes into the
 * heap, and a heap page made resident so would be found by the next full
 * scan (rss_watched: exit 4, replayed again in full). A software event is
 * never throttled at period 1; a full ring loses samples but has moved.
 * Without the event (no perf_event_open here, BRKSIM_REPLAY_FAULTS=rusage,
 * or trace threads making calls in kernel threads of their own:
 * rss_threads) getrusage is asked after every op. */
static struct {
	volatile struct perf_event_mmap_page *page; /* NULL: no ring, ask every time */
	uint64_t head;  /* data_head at the last getrusage */
	uint64_t count; /* what that getrusage said */
	bool known;     /* count and head are set */
	uint64_t asked; /* getrusage calls (--stats) */
	int fd;         /* the event (with page) */
} fault_ring;

#define FAULT_RING_PAGES 8 /* data pages: 4,096 samples before one is lost */

/* Opens the event on the calling thread (the one that makes every call). */
static void fault_ring_open(void)
{
	const char *want = getenv("BRKSIM_REPLAY_FAULTS");
	if (want && *want && strcmp(want, "rusage") != 0 && strcmp(want, "perf") != 0)
		fail(2, "BRKSIM_REPLAY_FAULTS must be perf or rusage", want);
	if (want && strcmp(want, "rusage") == 0)
		return;
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	attr.sample_period = 1;
	attr.exclude_hv = 1;
	/* the kernel's own faults on user pages too where allowed */
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		attr.exclude_kernel = 1;
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	}
	if (fd < 0) {
		if (want && strcmp(want, "perf") == 0)
			fail(3, "BRKSIM_REPLAY_FAULTS=perf: cannot open a perf event on page faults", errno_text(errno));
		return;
	}
	void *ring = mmap(NULL, (1 + FAULT_RING_PAGES) * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	if (ring == MAP_FAILED) {
		close((int)fd);
		if (want && strcmp(want, "perf") == 0)
			fail(3, "BRKSIM_REPLAY_FAULTS=perf: cannot map the perf event's ring", errno_text(errno));
		return;
	}
	fault_ring.page = ring;
	fault_ring.fd = (int)fd;
}

static uint64_t faults_now(void)
{
	uint64_t head = 0;
	if (fault_ring.page) {
		head = __atomic_load_n(&fault_ring.page->data_head, __ATOMIC_ACQUIRE);
		if (head == fault_ring.head && fault_ring.known)
			return fault_ring.count;
	}
	fault_ring.asked++;
	struct rusage ru;
	if (getrusage(rss_threads ? RUSAGE_SELF : RUSAGE_THREAD, &ru) != 0) {
		fault_ring.known = false;
		return UINT64_MAX;
	}
	fault_ring.known = true;
	fault_ring.count = (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
	if (fault_ring.page) {
		/* the samples up to `head` are read (a fault after it moves
		 * data_head again, whether or not getrusage counted it) */
		fault_ring.head = head;
		__atomic_store_n(&fault_ring.page->data_tail, head, __ATOMIC_RELEASE);
	}
	return fault_ring.count;
}

/* Pages [lo, hi) of the heap, by index from its first page. */
typedef struct page_range {
	size_t lo, hi;
} page_range;

/* The heap pages (clipped to the last scan's) around the chunks op
 * returned and freed, at most two ranges, apart; false when it touched
 * none of them. Around a chunk returned in the heap: from a page below
 * its header to a page past its end (its header, the contents the
 * replayer writes, the next chunk's header glibc writes); around the one
 * freed or reallocated: a page either side of its pointer (the bin links
 * glibc writes in it; its memory is not read, the chunk may be gone). */
static size_t near_ranges(const replay_op *op, const outcome *o, page_range out[2])
{
	uintptr_t first = heap_start & ~(uintptr_t)(PAGE - 1);
	uintptr_t end = first + rss_watch.vec_pages * PAGE;
	uintptr_t lo[2], hi[2];
	size_t n = 0;
	if (o->has_result && o->result != NULL) {
		uintptr_t p = (uintptr_t)o->result;
		uint64_t size_word = *(const uint64_t *)(p - 8);
		/* an mmapped chunk, or one in another arena's heap: not here */
		if (!(size_word & (2 | CHUNK_NON_MAIN)) && p >= first + 16 && p < end) {
			uintptr_t chunk = p - 16;
			lo[n] = chunk >= first + PAGE ? chunk - PAGE : first;
			hi[n] = p + (size_word & ~(uint64_t)7) + PAGE;
			n++;
		}
	}
	uintptr_t arg = 0;
	if (op->kind == OP_FREE)
		arg = (uintptr_t)slot_ptr(slots[op->slot]);
	else if (op->kind == OP_REALLOC && op->arg != NO_SLOT)
		arg = (uintptr_t)slot_ptr(slots[op->arg]);
	if (arg >= first && arg < end) {
		lo[n] = arg >= first + PAGE ? arg - PAGE : first;
		hi[n] = arg + PAGE;
		n++;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (hi[i] > end || hi[i] < lo[i])
			hi[i] = end;
		page_range r = {(lo[i] - first) / PAGE, (hi[i] - first + PAGE - 1) / PAGE};
		if (r.lo >= r.hi)
			continue;
		if (k == 1 && r.lo <= out[0].hi && out[0].lo <= r.hi) { /* overlapping or adjacent: one range */
			out[0].lo = r.lo < out[0].lo ? r.lo : out[0].lo;
			out[0].hi = r.hi > out[0].hi ? r.hi : out[0].hi;
		} else {
			out[k++] = r;
		}
	}
	return k;
}

/* rss_watched's count after an op that only faulted (`faults` of them,
 * > 0; same break, no trim) from the pages near the chunks it touched
 * (near_ranges), when those that became resident there are exactly
 * `faults` and none stopped being resident: every fault is explained,
 * so every other page is as the last count saw it. Updates rss_watch's
 * pages. False (nothing changed): scan the whole heap. */
static bool rss_near(const replay_op *op, const outcome *o, uint64_t faults, uint64_t *pages)
{
	page_range r[2];
	size_t n = near_ranges(op, o, r);
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += r[i].hi - r[i].lo;
	if (n == 0 || total > mincore_cap)
		return false;
	uintptr_t first = heap_start & ~(uintptr_t)(PAGE - 1);
	uint64_t became = 0;
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = r[i].hi - r[i].lo;
		if (mincore((void *)(first + r[i].lo * PAGE), len * PAGE, mincore_vec + at) != 0)
			return false;
		for (size_t k = 0; k < len; k++) {
			bool was = rss_watch.vec[r[i].lo + k] & 1, is = mincore_vec[at + k] & 1;
			if (was && !is)
				return false; /* the whole scan says what happened */
			became += !was && is;
		}
		at += len;
	}
	if (became != faults)
		return false;
	at = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = r[i].hi - r[i].lo;
		memcpy(rss_watch.vec + r[i].lo, mincore_vec + at, len);
		at += len;
	}
	rss_watch.pages += became;
	*pages = rss_watch.pages;
	return true;
}

/* The rss column after op `step` (1-based) by --rss=faults (`o`: what the
 * op returned). */
static uint64_t rss_watched(size_t step, const replay_op *op, const outcome *o, uintptr_t brk, bool check)
{
	uint64_t faults = faults_now();
	bool faulted = faults == UINT64_MAX || faults != rss_watch.faults ||
	               (!rss_threads && (op->kind == OP_THREAD_NEW || op->kind == OP_THREAD_EXIT));
	arena_rss.gated = true;
	arena_rss.step = step;
	arena_rss.explained = faulted || op->kind == OP_TRIM || op_may_drop;
	arena_rss.scan = !rss_watch.have || check || faulted || brk != rss_watch.brk || op->kind == OP_TRIM || op_may_drop;
	if (!arena_rss.scan)
		return rss_watch.pages;
	arena_rss.last_step = rss_watch.have ? rss_watch.step : 0;
	uint64_t near;
	if (rss_watch.have && !check && faults != UINT64_MAX && faults > rss_watch.faults && brk == rss_watch.brk &&
	    op->kind != OP_TRIM && !op_may_drop && op->kind != OP_THREAD_NEW && op->kind != OP_THREAD_EXIT &&
	    rss_near(op, o, faults - rss_watch.faults, &near)) {
		rss_watch.near_scans++;
		rss_watch.step = step;
		/* after the scan, as below */
		rss_watch.faults = faults_now();
		return near;
	}
	rss_watch.scans++;
	uint64_t pages = resident_pages(brk); /* fills mincore_vec */
	if (pages == UINT64_MAX) {
		rss_watch.have = false;
		return UINT64_MAX;
	}
	uintptr_t first = heap_start & ~(uintptr_t)(PAGE - 1);
	size_t now_pages = brk > heap_start ? (brk - first + PAGE - 1) / PAGE : 0;
	if (rss_watch.have) {
		size_t common = now_pages < rss_watch.vec_pages ? now_pages : rss_watch.vec_pages;
		for (size_t k = 0; k < common; k++) {
			bool was = rss_watch.vec[k] & 1, is = mincore_vec[k] & 1;
			if (was && !is && op->kind != OP_TRIM && !op_trimmed)
				watch_lost("a heap page stopped being resident without a malloc_trim", rss_watch.step, step,
				           "rerun with --rss=scan");
			if (!was && is && !faulted)
				watch_lost("a heap page became resident without a page fault", rss_watch.step, step,
				           "rerun with --rss=scan");
		}
	}
	if (now_pages > rss_watch.vec_cap) {
		size_t cap = rss_watch.vec_cap ? rss_watch.vec_cap : PAGE;
		while (cap < now_pages)
			cap *= 2;
		void *vec = rss_watch.vec ? mremap(rss_watch.vec, rss_watch.vec_cap, cap, MREMAP_MAYMOVE)
		                          : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (vec == MAP_FAILED) {
			rss_watch.have = false;
			return pages;
		}
		rss_watch.vec = vec;
		rss_watch.vec_cap = cap;
	}
	memcpy(rss_watch.vec, mincore_vec, now_pages);
	rss_watch.vec_pages = now_pages;
	rss_watch.have = true;
	rss_watch.brk = brk;
	rss_watch.pages = pages;
	rss_watch.step = step;
	/* after the scan: growing the vectors faults in the replayer's own pages */
	rss_watch.faults = faults_now();
	return pages;
}

/* ---- running ---- */

static run_options opts;
static bool run_stats; /* --stats */

static void as_thread(uint32_t t);
static void as_self(uint32_t t);

/* Runs op in the calling thread, as its trace thread (as_thread: only the
 * call into glibc runs on that thread's TLS when every op runs in one
 * kernel thread). */
static outcome exec_op(const replay_op *op)
{
	outcome o = {NULL, true, 0};
	size_t touch = 0;
	/* glibc may abort on a dangling or never-given pointer: the lines
	 * before it must be out first */
	if ((op->kind == OP_REALLOC && op->arg != NO_SLOT && (slots[op->arg] & STALE)) ||
	    (op->kind == OP_FREE && (slots[op->slot] == 0 || (slots[op->slot] & STALE))))
		out_flush();
#ifdef REPLAY_DLMALLOC
	/* and 2.3.6 crashes in mallopt and malloc_trim once M_MXFAST is 0
	 * (sim/free.c malloc_consolidate) */
	if (op->kind == OP_TRIM || op->kind == OP_MALLOPT)
		out_flush();
#endif
	as_thread(op->thread);
	switch (op->kind) {
	case OP_MALLOC:
		o.result = malloc(op->a);
		touch = op->a;
		break;
	case OP_CALLOC:
		o.result = calloc(op->a, op->b);
		touch = op->a * op->b; /* only used when calloc succeeded: no overflow */
		break;
	case OP_REALLOC: {
		uintptr_t in = op->arg == NO_SLOT ? 0 : slots[op->arg];
		o.result = realloc(slot_ptr(in), op->a);
		touch = op->a;
		/* After a successful realloc (or realloc(p, 0), which frees p)
		 * the old pointer dangles, as in C, even when unmoved. */
		if (op->arg != NO_SLOT && in != 0 && (o.result != NULL || op->a == 0))
			slots[op->arg] = in | STALE;
		break;
	}
	case OP_MEMALIGN:
		o.result = memalign(op->a, op->b);
		touch = op->b;
		break;
	case OP_ALIGNED_ALLOC:
		o.result = aligned_alloc(op->a, op->b);
		touch = op->b;
		break;
	case OP_VALLOC:
		o.result = valloc(op->b);
		touch = op->b;
		break;
	case OP_PVALLOC:
		o.result = pvalloc(op->b);
		touch = op->b;
		break;
	case OP_POSIX_MEMALIGN: {
		/* The error code, or the pointer; on an error the slot keeps
		 * what it held, as posix_memalign leaves *memptr. */
		void *mem = NULL;
		o.value = posix_memalign(&mem, op->a, op->b);
		if (o.value != 0) {
			o.has_result = false;
			break;
		}
		o.result = mem;
		touch = op->b;
		break;
	}
	case OP_FREE: {
		uintptr_t in = slots[op->slot];
		if (in == 0) {
			/* A name never given a pointer: like the model (and a C
			 * program freeing garbage), hand glibc a pointer to a chunk
			 * of size 0, which _int_free rejects with "free(): invalid
			 * pointer" — not free(NULL), which would hide the bug. */
			static uint64_t never_allocated[4];
			free(&never_allocated[2]);
		}
		free(slot_ptr(in));
		if (in != 0)
			slots[op->slot] = in | STALE;
		o.has_result = false;
		break;
	}
	case OP_TRIM:
		o.value = malloc_trim(op->a);
		o.has_result = false;
		break;
	case OP_MALLOPT:
		o.value = mallopt((int)(int64_t)op->a, (int)(int64_t)op->b);
		o.has_result = false;
		break;
	case OP_SBRK: {
		/* the program's own: the break it returns, as an offset, or -1 */
		int64_t inc = (int64_t)op->a;
		void *old = sbrk((intptr_t)inc);
		o.value = old == (void *)-1 ? -1 : (int64_t)((uintptr_t)old - heap_start);
		o.has_result = false;
		if (old != (void *)-1) {
			foreign_seen = true;
			uint64_t down = inc < 0 ? (uint64_t)0 - (uint64_t)inc : 0;
			foreign_tail = inc >= 0 ? foreign_tail + (uint64_t)inc : down < foreign_tail ? foreign_tail - down : 0;
		}
		break;
	}
	default:
		o.has_result = false;
		break;
	}
	as_self(op->thread);
	if (o.has_result) { /* malloc, calloc, realloc, memalign */
		if (o.result != NULL && opts.touch && touch > 0) {
			memset(o.result, 0xa5, touch);
			/* Keep the compiler from dropping the writes. */
			__asm__ volatile("" : : "r"(o.result) : "memory");
		}
		slots[op->slot] = o.result != NULL ? (uintptr_t)o.result : HOLDS_NULL;
	}
	return o;
}

/* A trace thread is a real thread (pthread_create: glibc sets up its
 * TCB, its TLS and its stack as for any thread), and exactly one thread's
 * op runs at a time, in the trace's order (the recorder serialised the
 * calls). glibc's malloc picks the arena and the tcache by the calling
 * thread: through two TLS variables (thread_arena, tcache), read through
 * the FS base, which on x86-64 points at the thread's TCB. Two ways to
 * make a call as thread T:
 *
 * fsbase (when the CPU and kernel let user space write the FS base:
 * AT_HWCAP2's HWCAP2_FSGSBASE): one kernel thread, the main one, makes
 * every call and measures every op. T's real thread reads its own FS
 * base once glibc's start of a thread is over, says so, and then sleeps
 * (in sem_wait, touching nothing of its TLS). The main thread waits for
 * that before T's first call: only then is T's TLS complete (start_thread
 * sets up the locale's ctype tables there, which 2.31's arena_get2 reads
 * through get_nprocs's isspace; a first call before it crashed). For each
 * of T's calls the main thread sets its FS base to T's around the call
 * into glibc only (as_thread, as_self), so glibc reads T's thread_arena
 * and tcache, errno, ctype tables and locks' owner. What else
 * a call reads through FS is the same in every TCB of the process: the
 * stack guard and pointer guard (pthread_create copies them), the
 * multiple_threads flag (set in the creator and every new thread); the
 * rseq area the kernel updates stays the main thread's, and no malloc
 * of 2.3.6 to 2.43 reads it (nor the cpu number). An abort inside glibc
 * signals the kernel thread that runs (raise asks the kernel for its tid
 * when the thread is itself). T's exit is its real thread's: woken, it
 * returns and glibc's thread exit (tcache_thread_shutdown, the arena's
 * detach) runs there on its TLS, as in a program; the main thread joins
 * it. No wake-up per change of thread: a two-thread recording changes
 * thread some 20,000 times in 400k calls, and the wake-ups (a futex wake
 * and a context switch each) were most of its replay's time.
 *
 * handoff (the fallback, or BRKSIM_REPLAY_THREADS=handoff): whoever runs
 * (the main thread or a trace thread) holds the baton: it runs, measures
 * and prints each op of its run of consecutive ops exactly as any other
 * thread would (run_op: the same per-op readings, in the same order),
 * then wakes the thread that owns the next op itself (pass_baton) and
 * sleeps: one wake-up per change of thread. Thread starts and exits are
 * the main thread's (pthread_create, pthread_join). */
typedef struct worker {
	pthread_t thread;
	sem_t go;
	bool quit;    /* woken to return (the trace's `x`) */
	uintptr_t fs; /* its FS base (fsbase), read by itself */
} worker;
static worker *workers; /* MAX_THREAD + 1 entries, mapped, touched as used */
static const trace *replaying;
static size_t cursor;     /* the next op to run: read and written by the baton's holder only */
static sem_t main_go;     /* wakes the main thread */
static uint64_t handoffs; /* runs of ops of trace threads (--stats): wake-ups, or FS switches */

/* How trace threads' calls are made (see above). */
static enum { THREADS_HANDOFF, THREADS_FSBASE } threads_mode;
static uintptr_t main_fs; /* the main thread's FS base (fsbase) */

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1u << 1) /* the kernel's value (asm/hwcap2.h, x86) */
#endif

#if defined(__x86_64__)
static uintptr_t fs_base(void)
{
	uintptr_t v;
	__asm__ volatile("rdfsbase %0" : "=r"(v));
	return v;
}

/* "memory": no load or store through the old thread's TLS may move
 * across the switch. */
static void fs_set(uintptr_t v)
{
	__asm__ volatile("wrfsbase %0" : : "r"(v) : "memory");
}

/* The thread pointer as the x86-64 TLS ABI keeps it: the TCB's first
 * word points at the TCB itself, at %fs:0. */
static uintptr_t fs_self(void)
{
	uintptr_t v;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}
#endif

/* Chooses the way (BRKSIM_REPLAY_THREADS: `handoff`, `fsbase`, or unset
 * or empty: fsbase when it can run here). fsbase needs the FS base to be
 * the TCB, as x86-64 has it (checked: rdfsbase, %fs:0 and pthread_self
 * agree). */
static void threads_choose(void)
{
	const char *want = getenv("BRKSIM_REPLAY_THREADS");
	bool handoff = want && strcmp(want, "handoff") == 0, fsbase = want && strcmp(want, "fsbase") == 0;
	if (want && *want && !handoff && !fsbase)
		fail(2, "BRKSIM_REPLAY_THREADS must be handoff or fsbase", want);
	bool can = false;
#if defined(__x86_64__)
	if (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) {
		main_fs = fs_base();
		can = main_fs == fs_self() && main_fs == (uintptr_t)pthread_self();
	}
#endif
	if (fsbase && !can)
		fail(3, "BRKSIM_REPLAY_THREADS=fsbase: this machine does not let a program set its FS base (no FSGSBASE)",
		     NULL);
	threads_mode = can && !handoff ? THREADS_FSBASE : THREADS_HANDOFF;
}

/* Makes the calling thread call glibc as trace thread t (fsbase), and
 * back; no-ops for the main thread and with handoff, where the caller is
 * the thread itself. */
static void as_thread(uint32_t t)
{
#if defined(__x86_64__)
	if (t != 0 && threads_mode == THREADS_FSBASE)
		fs_set(workers[t].fs);
#else
	(void)t;
#endif
}

static void as_self(uint32_t t)
{
#if defined(__x86_64__)
	if (t != 0 && threads_mode == THREADS_FSBASE)
		fs_set(main_fs);
#else
	(void)t;
#endif
}

static void sem_wait_all(sem_t *s)
{
	while (sem_wait(s) != 0 && errno == EINTR)
		;
}

static void run_op(const trace *tr, size_t i);
static void run_main_loop(const trace *tr);
/* Set in a fork's child when the forking thread was a handoff worker:
 * it goes on as the main thread's loop (worker_main). */
static bool forked_worker;
__attribute__((noreturn)) static void finish(const trace *tr);

/* Whether op runs in the main thread: its own calls, and every thread's
 * start and exit. */
static bool main_thread_op(const replay_op *op)
{
	return op->thread == 0 || op->kind == OP_THREAD_NEW || op->kind == OP_THREAD_EXIT;
}

/* Wakes the thread that owns op `cursor` (the main thread also after the
 * last op). The caller then only sleeps: the semaphore orders everything
 * it wrote before everything the woken thread reads. */
static void pass_baton(void)
{
	const trace *tr = replaying;
	if (cursor == tr->count || main_thread_op(&tr->ops[cursor])) {
		sem_post(&main_go);
		return;
	}
	handoffs++;
	sem_post(&workers[tr->ops[cursor].thread].go);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	uint32_t self = (uint32_t)(w - workers);
	if (threads_mode == THREADS_FSBASE) {
		/* Says where its TCB is (its start is over), then sleeps until
		 * its exit: the main thread makes its calls. */
#if defined(__x86_64__)
		w->fs = fs_base();
#endif
		sem_post(&main_go);
		sem_wait_all(&w->go);
		return NULL;
	}
	for (;;) {
		sem_wait_all(&w->go);
		if (w->quit)
			return NULL;
		const trace *tr = replaying;
		do
			run_op(tr, cursor++);
		while (!forked_worker && cursor < tr->count && tr->ops[cursor].thread == self &&
		       !main_thread_op(&tr->ops[cursor]));
		if (forked_worker) {
			/* a fork's child, which this thread alone is: the main
			 * thread's loop from here */
			forked_worker = false;
			run_main_loop(tr);
			finish(tr);
		}
		pass_baton();
	}
}

static void thread_start(uint32_t t)
{
	worker *w = &workers[t];
	w->quit = false;
	w->fs = 0;
	if (sem_init(&w->go, 0, 0) != 0)
		fail(3, "cannot make a semaphore", errno_text(errno));
	diverting = 1;
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	diverting = 0;
	if (rc != 0)
		fail(3, "cannot start a thread", errno_text(rc));
	if (threads_mode == THREADS_FSBASE) {
		sem_wait_all(&main_go);
		if (w->fs != (uintptr_t)w->thread)
			fail(3, "a thread's FS base is not its TCB", NULL);
	}
}

static void thread_exit(uint32_t t)
{
	worker *w = &workers[t];
	w->quit = true;
	sem_post(&w->go);
	/* joined: glibc's thread exit (tcache_thread_shutdown, the arena's
	 * detach) is over when this returns */
	pthread_join(w->thread, NULL);
	sem_destroy(&w->go);
}

/* Whether a realloc of the pointer slot value v may give pages back
 * without changing any heap's size: only when v is a stale or
 * never-given pointer (its memory may be gone; glibc may do anything
 * with it). A realloc of a live chunk calls _int_malloc before _int_free
 * (the new chunk, then the old one or the split-off remainder; glibc
 * 2.3.6 to 2.43), so it can grow a heap and shrink it again within the
 * op, but never shrink one and grow it again: the pages it gives back
 * (shrink_heap's madvise or remap of [new size, old size), systrim's
 * lowered break) all lie above the heap's size after the op, outside
 * every range counted, and a change of the size itself is seen
 * (out_arenas, the break). Once every realloc of an arena's chunk was
 * counted again, which made a two-thread perl recording (114k reallocs
 * in 384k calls) scan every heap after 30 % of its ops. */
static bool may_drop_pages(uintptr_t v)
{
	return v == 0 || (v & STALE);
}

/* In a fork's child: the page-fault event counted the parent (a perf
 * event follows the task that opened it), so it is opened again here,
 * and the next op counts every page afresh. */
static void fault_ring_reopen(void)
{
	if (fault_ring.page) {
		(void)munmap((void *)fault_ring.page, (1 + FAULT_RING_PAGES) * PAGE);
		(void)close(fault_ring.fd);
		fault_ring.page = NULL;
		fault_ring_open();
	}
	fault_ring.known = false;
	rss_watch.have = false;
}

/* `Tn F`: thread t calls fork, as the recorded program's thread did, and
 * the replay goes on in the child, where t is the only thread (its main
 * thread from here: ops numbered 0). What glibc's fork does to malloc's
 * state (its atfork handlers in the child) is the subject. The parent
 * prints nothing more: it waits for the child and exits as it did (a
 * signal again as that signal). The child dies with the parent (a
 * killed replayer leaves nothing running). */
static void replay_fork(uint32_t t)
{
	out_flush(); /* the lines so far once, not in both processes */
	pid_t parent = getpid();
	as_thread(t);
	pid_t pid = fork();
	if (pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(3);
#if defined(__x86_64__)
		/* fsbase: the calling kernel thread runs on as t, whose TCB it
		 * has now; every later op of the main thread is t's */
		if (threads_mode == THREADS_FSBASE && t != 0)
			main_fs = workers[t].fs;
#endif
		if (threads_mode == THREADS_HANDOFF && t != 0)
			forked_worker = true;
		if (replaying && replaying->threads && sem_init(&main_go, 0, 0) != 0)
			fail(3, "cannot make a semaphore", errno_text(errno));
		if (opts.rss && opts.rss_mode == RSS_FAULTS)
			fault_ring_reopen();
		return;
	}
	as_self(t);
	if (pid < 0)
		fail(3, "cannot fork", errno_text(errno));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail(3, "cannot wait for the forked replay", errno_text(errno));
	if (WIFSIGNALED(status)) {
		/* as abort does: the default action, unblocked (a mask the
		 * replayer was started with would keep it pending), sent to
		 * this thread (one sent to the process may go to another, and
		 * this one exit first) */
		int sig = WTERMSIG(status);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		signal(sig, SIG_DFL);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
		syscall(SYS_tgkill, (long)getpid(), (long)syscall(SYS_gettid), (long)sig);
		_exit(128 + sig);
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
}

/* Runs op in the calling thread: the trace thread's own (run_op is
 * called by that thread), except thread starts and exits, which the main
 * thread makes. */
static outcome dispatch(const replay_op *op)
{
	/* A free gives an arena's pages back only through heap_trim, which
	 * lowers a heap's size or unmaps it: out_arenas sees that in the
	 * heaps it reads and counts that arena again; a realloc too, unless
	 * its pointer dangles (may_drop_pages). malloc_trim madvises inside
	 * heaps, and a thread's exit runs glibc's own frees: those are
	 * counted again. */
	op_trimmed = op->kind == OP_SBRK; /* (down: the program's pages leave) */
	op_may_drop = op->kind == OP_TRIM || op->kind == OP_THREAD_EXIT ||
	              (op->kind == OP_REALLOC && op->arg != NO_SLOT && may_drop_pages(slots[op->arg]));
	if (op->kind == OP_THREAD_NEW) {
		thread_start((uint32_t)op->a);
		return (outcome){NULL, false, 0};
	}
	if (op->kind == OP_THREAD_EXIT) {
		thread_exit(op->thread);
		return (outcome){NULL, false, 0};
	}
	if (op->kind == OP_FORK) {
		replay_fork(op->thread);
		return (outcome){NULL, false, 0};
	}
	outcome o = exec_op(op);
	/* the what-if's trim, after the call and the program's writes, as
	 * the model makes it (sim/heap.c periodic_trim) */
	static uint64_t calls_since_trim;
	if (opts.trim_every != 0 && ++calls_since_trim >= opts.trim_every) {
		calls_since_trim = 0;
#ifdef REPLAY_DLMALLOC
		out_flush(); /* (as before a trim of the trace's: exec_op) */
#endif
		as_thread(op->thread);
		(void)malloc_trim(opts.trim_pad);
		as_self(op->thread);
		op_may_drop = op_trimmed = true; /* (it madvises: its pages are counted again) */
	}
	return o;
}

/* Whether the lines get the arena column: when the trace has threads;
 * with the 2.3.6 oracle always, because a failed allocation gives even a
 * single-threaded 2.3.6 process a second arena (public_mALLOc's retry
 * through arena_get2), which later calls of that thread use. */
static bool arena_column(const trace *tr)
{
#ifdef REPLAY_DLMALLOC
	(void)tr;
	return true;
#else
	return tr->threads;
#endif
}

/* Runs op i (in the calling thread: see dispatch), measures and prints
 * its line. */
static void run_op(const trace *tr, size_t i)
{
	const replay_op *op = &tr->ops[i];
	outcome o = dispatch(op);
	if (arena_column(tr))
		list_arenas();
	if (o.has_result) {
		out_ret(o.result);
	} else if (op->kind == OP_TRIM || op->kind == OP_MALLOPT || op->kind == OP_POSIX_MEMALIGN || op->kind == OP_SBRK) {
		out_char('=');
		if (o.value < 0) {
			out_char('-');
			out_u64((uint64_t)-o.value, false);
		} else {
			out_u64((uint64_t)o.value, false);
		}
	} else {
		out_char('-');
	}
	uintptr_t brk = (uintptr_t)sbrk(0);
	out_char(' ');
	out_u64(brk - heap_start, true);
	out_char(' ');
	/* glibc's heap moved the break: its top ends there again */
	static uintptr_t brk_before;
	if (op->kind != OP_SBRK && brk != brk_before)
		foreign_tail = 0;
	brk_before = brk;
	uintptr_t top_end = brk - foreign_tail;
	bool check = (i + 1) % WATCH_EVERY == 0 || i + 1 == tr->count;
	uint64_t top = opts.top == TOP_ARENA      ? top_watched(i + 1, top_end, check, i + 1 == tr->count)
	               : opts.top == TOP_MALLINFO ? top_by_mallinfo(top_end)
	               : opts.top == TOP_WALK     ? top_by_walk(top_end)
	                                          : UINT64_MAX;
	if (top == UINT64_MAX)
		out_char('?');
	else
		out_u64(top, true);
	out_char(' ');
	uint64_t rss = !opts.rss                    ? UINT64_MAX
	               : opts.rss_mode == RSS_FAULTS ? rss_watched(i + 1, op, &o, brk, check)
	                                             : resident_pages(brk);
	if (rss == UINT64_MAX)
		out_char('?');
	else
		out_u64(rss, false);
	if (arena_column(tr)) {
		out_char(' ');
		out_arenas(opts.rss);
		/* the arenas' scan may have faulted in the replayer's own pages */
		if (arena_rss.gated && arena_rss.scan)
			rss_watch.faults = faults_now();
	}
	out_char('\n');
}

static void run(const trace *tr)
{
	rss_threads = tr->threads && threads_mode == THREADS_HANDOFF;
	if (opts.rss && opts.rss_mode == RSS_FAULTS && !rss_threads)
		fault_ring_open();
	if (tr->threads) {
		/* how many arenas a process may have beyond arena_test */
		out_str("# cpus ");
		out_u64(arenas_at.cpus > 0 ? (uint64_t)arenas_at.cpus : 0, false);
		out_char('\n');
		/* how the trace threads' calls are made (see worker) */
		out_str(threads_mode == THREADS_FSBASE ? "# threads fsbase\n" : "# threads handoff\n");
		/* The first thread to call into malloc takes main_arena
		 * (ptmalloc_init sets its thread_arena): the main thread, as the
		 * model has it, whichever way the top is measured. mallinfo
		 * initialises without allocating. */
		if (opts.top != TOP_MALLINFO)
			(void)top_by_mallinfo((uintptr_t)sbrk(0));
	}
	replaying = tr;
	if (tr->threads && sem_init(&main_go, 0, 0) != 0)
		fail(3, "cannot make a semaphore", errno_text(errno));
	cursor = 0;
	if (threads_mode == THREADS_FSBASE) {
		/* every op here, each trace thread's as that thread (exec_op) */
		uint32_t last = 0; /* who made the op before: 0 the main thread */
		for (; cursor < tr->count; cursor++) {
			const replay_op *op = &tr->ops[cursor];
			uint32_t who = main_thread_op(op) ? 0 : op->thread;
			handoffs += who != 0 && who != last;
			last = who;
			run_op(tr, cursor);
		}
		return;
	}
	run_main_loop(tr);
}

/* The main thread's loop with handoff: its own ops, and the baton for
 * the trace threads' runs. */
static void run_main_loop(const trace *tr)
{
	while (cursor < tr->count) {
		if (main_thread_op(&tr->ops[cursor])) {
			run_op(tr, cursor++);
			continue;
		}
		/* the trace threads run until an op of the main thread's, or the end */
		pass_baton();
		sem_wait_all(&main_go);
	}
}

__attribute__((noreturn)) static void usage(int status)
{
	static const char text[] =
		"usage: brksim-replay [--touch=all|none] [--top=arena|mallinfo|walk|none] [--rss=faults|scan] [--no-rss]\n"
		"                     [--stats] [--trim-every=N:PAD] TRACE.ops|-\n"
		"       brksim-replay --version\n"
		"Replays a .ops trace against the glibc it runs on and prints\n"
		"`ret brk top rss` per op (see HACKING.md). Settings come from GLIBC_TUNABLES;\n"
		"BRKSIM_REPLAY_THREADS=handoff runs each trace thread's calls in its own kernel thread;\n"
		"BRKSIM_REPLAY_FAULTS=rusage asks the kernel for the page-fault count after every op.\n";
	(void)write_all(status == 0 ? 1 : 2, text, sizeof text - 1);
	_exit(status);
}

int main(int argc, char **argv)
{
	/* Before anything: no transparent huge pages (mincore is then exact
	 * per 4 KiB page and glibc's trim unit stays one page), and the
	 * initial program break, the origin of every offset. */
	(void)prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	heap_start = (uintptr_t)sbrk(0);

	run_options o = {.touch = true, .top = TOP_ARENA, .rss = true, .rss_mode = RSS_FAULTS};
	const char *path = NULL;
	bool stats = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--touch=all") == 0)
			o.touch = true;
		else if (strcmp(a, "--touch=none") == 0)
			o.touch = false;
		else if (strcmp(a, "--top=arena") == 0)
			o.top = TOP_ARENA;
		else if (strcmp(a, "--top=mallinfo") == 0)
			o.top = TOP_MALLINFO;
		else if (strcmp(a, "--rss=faults") == 0)
			o.rss_mode = RSS_FAULTS;
		else if (strcmp(a, "--rss=scan") == 0)
			o.rss_mode = RSS_SCAN;
		else if (strcmp(a, "--top=walk") == 0)
			o.top = TOP_WALK;
		else if (strcmp(a, "--top=none") == 0 || strcmp(a, "--no-top") == 0)
			o.top = TOP_NONE;
		else if (strcmp(a, "--no-rss") == 0)
			o.rss = false;
		else if (strcmp(a, "--stats") == 0)
			stats = true;
		else if (strncmp(a, "--trim-every=", 13) == 0) {
			/* N:PAD, both decimal (brksim writes them) */
			char *end;
			o.trim_every = strtoull(a + 13, &end, 10);
			o.trim_pad = *end == ':' ? strtoull(end + 1, &end, 10) : 0;
			if (o.trim_every == 0 || *end != '\0')
				fail(2, "expected --trim-every=N:PAD", a);
		}
		else if (strcmp(a, "--version") == 0) {
			out_str("glibc ");
			out_str(REPLAY_LIBC_VERSION);
			out_char('\n');
			out_flush();
			_exit(0);
		} else if (strcmp(a, "--help") == 0)
			usage(0);
		else if (a[0] == '-' && a[1] != 0)
			fail(2, "unknown option", a);
		else if (path != NULL)
			fail(2, "more than one trace given", a);
		else
			path = a;
	}
	if (path == NULL)
		usage(2);

	trace_text t = read_trace(path);
	trace tr = parse_trace(strcmp(path, "-") == 0 ? "<stdin>" : path, t);
	size_t slot_count = tr.max_slot == NO_SLOT ? 1 : (size_t)tr.max_slot + 1;
	slots = mmap(NULL, slot_count * sizeof *slots, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	             -1, 0);
	if (slots == MAP_FAILED)
		fail(3, "cannot map the slot table", errno_text(errno));
	opts = o;
	if (tr.threads) {
		threads_choose();
		workers = mmap(NULL, (MAX_THREAD + 1) * sizeof *workers, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		divert_cap = (size_t)64 << 20;
		divert_buf = mmap(NULL, divert_cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (workers == MAP_FAILED || divert_buf == MAP_FAILED)
			fail(3, "cannot map the thread table", errno_text(errno));
		calibrate_arenas();
	}
#ifdef REPLAY_DLMALLOC
	else
		calibrate_arenas();
#endif

	/* Where the heap starts, for the model (config.heap_start): a
	 * memalign beyond a page places its chunk by the address, and ASLR
	 * moves the start by whole pages. */
	out_str("# start brk=");
	out_u64(heap_start, true);
	out_char('\n');
	run_stats = stats;
	run(&tr);
	finish(&tr);
}

/* The trailer after the last op, and the exit. */
static void finish(const trace *tr)
{
	if (run_stats) {
		/* How often the full measurements ran (tests/verify checks that
		 * the cheap readings are the ones used). Only on request: the
		 * counts depend on page faults the replayer's own code takes,
		 * and the output must be the same from run to run. */
		out_str("# full top=");
		out_u64(top_watch.full, false);
		out_str(" rss=");
		out_u64(rss_watch.scans, false);
		out_str(" handoffs=");
		out_u64(handoffs, false);
		out_str(" near=");
		out_u64(rss_watch.near_scans, false);
		out_str(fault_ring.page ? " faults=perf asked=" : " faults=rusage asked=");
		out_u64(fault_ring.asked, false);
		out_char('\n');
	}
	out_str("# end ops=");
	out_u64(tr->count, false);
	out_str(" glibc=");
	out_str(REPLAY_LIBC_VERSION);
	out_char('\n');
	out_flush();
	_exit(0);
}
