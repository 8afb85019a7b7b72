/* recorder.c — brksim-record.so, the LD_PRELOAD library behind
 * `brksim record`: it wraps the allocator entry points of the program it
 * is loaded into and logs every call (docs/traces.md, "recording format").
 *
 * Owns: the wrappers (malloc, free, calloc, realloc, memalign,
 * aligned_alloc, posix_memalign, valloc, pvalloc, malloc_trim, mallopt,
 * and dlsym, which gives them for libc's own handle; dlopen only looks),
 * the record lines and the header, and the process's own bookkeeping
 * (fork, threads, exit). The output file is logfile.c's.
 * Must not: allocate from the heap it records (or no replay could match),
 * call stdio, take a lock that a wrapper might already hold, or use a
 * file descriptor of the program's.
 *
 * How it stays out of the way:
 * - The log lives in a MAP_SHARED window of the output file, so a record
 *   costs a memcpy and no system call; the window moves on every 8 MiB.
 *   What is in the window is in the file even if the process is killed;
 *   the file is then padded with NUL bytes to the window's end, which the
 *   importer ignores. The file's descriptor is the library's own, out of
 *   the program's way and checked before each use (logfile.c).
 * - The only other descriptors it opens, /proc/self/stat and (in
 *   get_nprocs) /sys/devices/system/cpu/online at start, are closed
 *   before the program's code runs.
 * - A thread-local `busy` flag (initial-exec TLS: no allocation to reach
 *   it) makes every allocator call made while recording — by dlsym, by a
 *   signal handler that interrupts a wrapper — go straight to the real
 *   function, unrecorded, without taking the log lock again.
 * - The real functions are found with dlsym(RTLD_NEXT); while dlsym runs,
 *   allocations it makes are served from a static bootstrap buffer.
 * - fork: pthread_atfork holds the log lock across fork; the child drops
 *   the parent's window and logs to OUT.<pid> (its heap starts as a copy
 *   of the parent's, which its header says). exec: the new image loads
 *   this library again; the first image to start logs to OUT (created
 *   with O_EXCL by whoever comes first), every later one to OUT.<pid>.
 *   Each file's header carries the run token `brksim record` passes in
 *   BRKSIM_RECORD_RUN, which is how it tells this run's files from any
 *   other file with a similar name.
 * - Threads: every line of a thread other than the main one (tid != pid)
 *   starts with T<tid>; chunks are classified by their header's M
 *   (mmapped) and A (non-main arena) bits — glibc's chunks only: when the
 *   program's malloc is another allocator's (jemalloc preloaded or
 *   linked ahead of glibc), no byte before a pointer is read (there may
 *   be no page there) and the header says whose malloc it is. A thread's start (`n`, from a
 *   pthread_create trampoline) and end (`x`, from a key destructor) are
 *   records. Every recorded call runs under rec_lock with its record
 *   (call_lock), so the log's order is the calls' real order.
 * - Stacks (stacks.c): each allocating call's return addresses are
 *   captured before the lock is taken, then interned under it; the record
 *   ends in `@ID`. While the unwinder runs, any allocator call it makes
 *   is served from the bootstrap buffer, and a pipe it opens (pipe2,
 *   below) is moved above the program's descriptors.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "logfile.h"
#include "recfmt.h"
#include "record.h"
#include "stacks.h"

#define EXPORT __attribute__((visibility("default")))
#define TLS __thread __attribute__((tls_model("initial-exec")))

#define RECORD_LINE_MAX 192

/* glibc chunk header bits (malloc.c: IS_MMAPPED, NON_MAIN_ARENA). */
#define CHUNK_IS_MMAPPED 0x2u
#define CHUNK_NON_MAIN_ARENA 0x4u

extern char **environ;

/* ---- the real functions ---- */

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);
static int (*real_malloc_trim)(size_t);
static int (*real_mallopt)(int, int);
static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

/* ---- the bootstrap buffer (used only while dlsym runs) ---- */

static _Alignas(16) unsigned char boot_buf[64 << 10];
static size_t boot_used;

static bool from_boot(const void *p)
{
	return (const unsigned char *)p >= boot_buf && (const unsigned char *)p < boot_buf + sizeof boot_buf;
}

/* A 16-byte header keeps the size (for realloc) and the alignment.
 * Threads may unwind at the same time: the bump is atomic. */
static void *boot_alloc(size_t n)
{
	if (n > sizeof boot_buf)
		return NULL;
	size_t need = (n + 15) / 16 * 16 + 16;
	size_t used = __atomic_load_n(&boot_used, __ATOMIC_RELAXED);
	do {
		if (need > sizeof boot_buf - used)
			return NULL;
	} while (!__atomic_compare_exchange_n(&boot_used, &used, used + need, true, __ATOMIC_RELAXED,
	                                      __ATOMIC_RELAXED));
	unsigned char *p = boot_buf + used;
	memcpy(p, &n, sizeof n);
	return p + 16;
}

/* An allocation made by the unwinder (none is expected): never from the
 * heap being recorded. Counted, and noted in the recording. */
static void *unwinder_alloc(size_t n)
{
	stacks_count_unwinder_bytes(n);
	return boot_alloc(n);
}

static size_t boot_size(const void *p)
{
	size_t n;
	memcpy(&n, (const unsigned char *)p - 16, sizeof n);
	return n;
}

/* ---- state ---- */

/* REC_FORKED: a forked child that has not logged yet; it opens its own
 * log at its first call, so a child that only execs leaves no file.
 * REC_FAILED: no log (none could be made, or it stopped early). */
enum { REC_OFF = 0, REC_STARTING, REC_ON, REC_FORKED, REC_CLOSED, REC_FAILED };

static int rec_state;
/* Robust (made in rec_lock_make): a thread that wrote its end record keeps
 * it until the kernel has ended the thread (see thread_end). */
static pthread_mutex_t rec_lock;
static pthread_once_t rec_lock_once = PTHREAD_ONCE_INIT;
static uintptr_t rec_brk0;   /* the initial program break: offsets are from here */
/* The break as the last recorded call left it (0: not known, after a
 * thread's end record and its last frees: glibc then frees its tcache
 * unseen, as a replay does too). A call that finds it elsewhere says so
 * first (`# brk-moved FROM TO`): the program moved it itself, or
 * allocated past the recorder, and a replay of the calls alone cannot
 * follow (note_moved_break). */
static uintptr_t rec_last_brk;
static pid_t rec_pid;
static pid_t rec_parent;     /* REC_FORKED: the pid this process was forked from */
/* Forks this image made while its log was open: the parent's file marks
 * each (`# fork K`), and the child's header names that file and K
 * (`# fork-of NAME K`), so that `brksim join` finds where the child's
 * heap came from. */
static uint64_t rec_forks;
/* In a child: the recorded process its heap came from (its parent, or,
 * when the parent forked before it logged anything, as a daemon's double
 * fork does, that parent's own source): its file's name ("" when
 * unknown), its pid and K of the fork there. */
static char rec_fork_of[256];
static pid_t rec_fork_pid;
static uint64_t rec_fork_seq;
/* A fork that ran no fork handler (_Fork, clone, a raw fork syscall)
 * would leave its child writing on as the parent, into the parent's
 * window (shared with the file), over the parent's own records. The
 * kernel zeroes a MADV_WIPEONFORK page in every forked child: a word
 * there, 1 in the process that set it, tells a call in such a child
 * (NULL: no such page here, a kernel before 4.14). */
static volatile int *rec_alive;
/* This child's fork (or its source's, see rec_fork_of) ran no fork
 * handler: the parent's file has no `# fork K` line for it. The child
 * says where instead (`# fork-unmarked OFFSET TID`): the length of the
 * parent's file at the fork (its lines before it) and the tid the
 * forking thread had there (the parent's pid: its main thread, or one
 * that had made no call). */
static bool rec_fork_unmarked;
/* This child's source (the parent, or the parent's source as above) had
 * stopped recording at its size limit before the fork: this child
 * records into a file of its own, but the heap it began with is not all
 * in any file (`# forked-after-limit`: no join). */
static bool rec_fork_after_limit;
static uint64_t rec_fork_at;
static pid_t rec_fork_tid;
static uint64_t rec_calls;

/* The program's malloc is not glibc's (see start): its pointers are
 * written as `?abs`, without reading a chunk header before them. */
static bool rec_foreign_malloc;
static char rec_malloc_from[512];
/* The program defines malloc itself, ahead of this library (an
 * allocator compiled into the executable): its calls never come here. */
static char rec_malloc_ahead[512];
/* A library loaded before this one defines the first malloc (a tracer
 * such as heaptrack's preload, which passes calls on to this library, or
 * an allocator preloaded ahead of it, which does not): its path. */
static char rec_malloc_first[512];
/* valgrind's preload object when the program runs under valgrind, which
 * sends the program's malloc calls to its own allocator at the code
 * level: none reaches glibc's malloc or this library's wrappers. */
static char rec_valgrind[512];

static TLS int t_busy;
static TLS bool t_ending;    /* wrote its end record: holds rec_lock until gone */
static TLS pid_t t_tid;

/* ---- formatting (recfmt.h has the numbers) ---- */

/* A pointer as the log writes it: 0, +offset (main heap), Mabs (mmapped
 * chunk), Aabs (another arena), ?abs (main arena outside the brk heap). */
static char *put_ptr(char *p, const void *ptr)
{
	if (!ptr)
		return put_str(p, "0");
	uintptr_t a = (uintptr_t)ptr;
	if (rec_foreign_malloc) {
		*p++ = '?';
		return put_hex(p, a);
	}
	size_t head;
	memcpy(&head, (const char *)ptr - sizeof head, sizeof head);
	if (head & CHUNK_IS_MMAPPED) {
		*p++ = 'M';
		return put_hex(p, a);
	}
	if (head & CHUNK_NON_MAIN_ARENA) {
		*p++ = 'A';
		return put_hex(p, a);
	}
	if (a >= rec_brk0 && a - rec_brk0 < ((uintptr_t)1 << 44)) {
		*p++ = '+';
		return put_hex(p, a - rec_brk0);
	}
	*p++ = '?';
	return put_hex(p, a);
}

static char *put_brk(char *p)
{
	uintptr_t now = (uintptr_t)sbrk(0);
	/* (a thread past its end record frees its tcache after its last
	 * call, unseen: the break after that is not known) */
	rec_last_brk = t_ending ? 0 : now;
	return put_shex(p, (int64_t)(now - rec_brk0));
}

/* ---- the log ---- */

/* Appends one line; the caller holds rec_lock. A log that stopped early
 * (logfile.c wrote why) ends the recording of this process. */
static void log_append(const char *line, size_t len)
{
	if (rec_state != REC_ON && rec_state != REC_STARTING)
		return;
	if (!logfile_append(line, len))
		__atomic_store_n(&rec_state, REC_FAILED, __ATOMIC_RELEASE);
}

/* One record; the caller holds rec_lock (call_lock). */
static void log_line(const char *line, size_t len)
{
	log_append(line, len);
	rec_calls++;
}

static pid_t my_tid(void)
{
	if (!t_tid)
		t_tid = (pid_t)syscall(SYS_gettid);
	return t_tid;
}

/* Starts a record line: the thread prefix (none for the main thread) and the op letter. */
static char *line_start(char *p, char op)
{
	pid_t tid = my_tid();
	if (tid != rec_pid) {
		*p++ = 'T';
		p = put_dec(p, (uint64_t)tid);
		*p++ = ' ';
	}
	*p++ = op;
	*p++ = ' ';
	return p;
}

static void line_end(char *buf, char *p)
{
	*p++ = '\n';
	log_line(buf, (size_t)(p - buf));
}

/* stacks.c's way to write its `s` and `# module` lines (lock held). */
static bool emit_line(const char *line, size_t len)
{
	log_append(line, len);
	int state = rec_state;
	return state == REC_ON || state == REC_STARTING;
}

/* A call's stack, captured before the lock is taken (unwinding is the
 * slow part and threads may do it at the same time). */
typedef struct call_stack {
	unsigned n;
	uintptr_t frames[STACKS_DEPTH_MAX];
} call_stack;

static inline void capture(call_stack *cs)
{
	cs->n = stacks_capture(cs->frames);
}

/* Ends an allocating call's record with its stack id: ` @ID` (0 when the
 * stack could not be had), interned under the lock so that its `s` line
 * comes before the first record that uses it. */
static void line_end_stack(char *buf, char *p, const call_stack *cs)
{
	if (stacks_depth()) {
		uint32_t id = stacks_intern(cs->frames, cs->n, emit_line);
		*p++ = ' ';
		*p++ = '@';
		p = put_dec(p, id);
	}
	*p++ = '\n';
	log_append(buf, (size_t)(p - buf));
	rec_calls++;
}

/* ---- the header ---- */

/* Reads field `field` (1-based, as in proc(5)) of /proc/self/stat. */
static uint64_t proc_stat_field(int field)
{
	char buf[2048];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return 0;
	int f = 2;
	uint64_t v = 0;
	for (p++; *p && f < field; p++)
		if (*p == ' ') {
			f++;
			v = 0;
			while (p[1] >= '0' && p[1] <= '9')
				v = v * 10 + (uint64_t)(*++p - '0');
		}
	return f == field ? v : 0;
}

/* The token brksim record put in the environment: short, [0-9a-z-]. */
static bool run_token_ok(const char *t)
{
	if (!t || !*t || strlen(t) > RECORD_RUN_TOKEN_MAX)
		return false;
	for (; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'z') || *t == '-'))
			return false;
	return true;
}

static uint64_t wanted_max_size(void);

static void write_header(pid_t parent_of_fork)
{
	char buf[LOGFILE_LINE_MAX];
	char *p = buf;
	p = put_str(p, "# brksim-recording 2\n# glibc ");
	p = put_str(p, gnu_get_libc_version());
	const char *run = getenv(RECORD_ENV_RUN);
	if (run_token_ok(run)) {
		p = put_str(p, "\n# run ");
		p = put_str(p, run);
	}
	p = put_str(p, "\n# pid ");
	p = put_dec(p, (uint64_t)rec_pid);
	if (parent_of_fork) {
		p = put_str(p, "\n# forked-from ");
		p = put_dec(p, (uint64_t)parent_of_fork);
		if (rec_fork_of[0]) {
			p = put_str(p, "\n# fork-of ");
			p = put_dec(p, rec_fork_seq);
			*p++ = ' ';
			p = put_dec(p, (uint64_t)rec_fork_pid);
			*p++ = ' ';
			p = put_str(p, rec_fork_of);
		}
		if (rec_fork_after_limit) {
			/* (the limit the parent's file reached: this file's too) */
			p = put_str(p, "\n# forked-after-limit ");
			p = put_dec(p, wanted_max_size());
		}
		if (rec_fork_unmarked && rec_fork_of[0]) {
			p = put_str(p, "\n# fork-unmarked ");
			p = put_dec(p, rec_fork_at);
			*p++ = ' ';
			p = put_dec(p, (uint64_t)rec_fork_tid);
		}
	}
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		p = put_str(p, "\n# exe ");
		p = put_str(p, exe);
	}
	/* brk0 is what offsets are from; brk-now is the break as this image
	 * starts logging (they differ when the heap was used before). */
	p = put_str(p, "\n# brk0 ");
	p = put_hex(p, rec_brk0);
	p = put_str(p, "\n# brk-now ");
	rec_last_brk = (uintptr_t)sbrk(0);
	p = put_hex(p, rec_last_brk);
	p = put_str(p, "\n# page ");
	p = put_dec(p, (uint64_t)sysconf(_SC_PAGESIZE));
	/* The memory limits it ran under (ulimit -d, -v; a batch system's):
	 * where the program reached one, its calls failed, and a replay
	 * without it does not (the importer and verify say so). */
	static const struct {
		int resource;
		const char *key;
	} limits[] = {{RLIMIT_DATA, "\n# rlimit-data "}, {RLIMIT_AS, "\n# rlimit-as "}};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		struct rlimit rl;
		if (getrlimit(limits[i].resource, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
			p = put_str(p, limits[i].key);
			p = put_dec(p, (uint64_t)rl.rlim_cur);
		}
	}
	/* What arena_get2 counts for its limit of 8 arenas per CPU. */
	p = put_str(p, "\n# cpus ");
	p = put_dec(p, (uint64_t)get_nprocs());
	p = put_str(p, "\n# stack-depth ");
	p = put_dec(p, stacks_depth());
	if (rec_foreign_malloc) {
		p = put_str(p, "\n# malloc-from ");
		p = put_str(p, rec_malloc_from);
	}
	if (rec_malloc_ahead[0]) {
		p = put_str(p, "\n# malloc-ahead ");
		p = put_str(p, rec_malloc_ahead);
	}
	if (rec_malloc_first[0]) {
		p = put_str(p, "\n# malloc-first ");
		p = put_str(p, rec_malloc_first);
	}
	if (rec_valgrind[0]) {
		p = put_str(p, "\n# valgrind ");
		p = put_str(p, rec_valgrind);
	}
	/* Settings the process started with: what the replay must use. */
	for (char **e = environ; e && *e; e++) {
		bool tunables = strncmp(*e, "GLIBC_TUNABLES=", 15) == 0;
		bool alias = strncmp(*e, "MALLOC_", 7) == 0;
		if (!tunables && !alias)
			continue;
		size_t len = strlen(*e);
		if (len > 1024 || (size_t)(p - buf) + len + 32 > sizeof buf)
			continue;
		p = put_str(p, tunables ? "\n# tunables " : "\n# env ");
		p = put_str(p, tunables ? *e + 15 : *e);
	}
	p = put_str(p, "\n");
	log_append(buf, (size_t)(p - buf));
}

/* ---- opening the log ---- */

/* The size limit brksim record asked for (BRKSIM_RECORD_MAX_SIZE, bytes
 * in decimal; absent, 0 or not a number: none). */
static uint64_t wanted_max_size(void)
{
	const char *v = getenv(RECORD_ENV_MAX_SIZE);
	if (!v || !*v)
		return 0;
	uint64_t n = 0;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (UINT64_MAX - 9) / 10)
			return 0;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	return n;
}

static bool start_log(bool first_allowed, pid_t parent_of_fork)
{
	const char *out = getenv(RECORD_ENV_OUT);
	if (!out || !*out)
		return false;
	if (!logfile_open(out, first_allowed, rec_pid, wanted_max_size()))
		return false;
	write_header(parent_of_fork);
	return true;
}

/* The depth brksim record asked for (BRKSIM_RECORD_STACK_DEPTH, decimal;
 * the default when it is absent or not a number). */
static unsigned wanted_depth(void)
{
	const char *v = getenv(RECORD_ENV_STACK_DEPTH);
	if (!v || !*v)
		return STACKS_DEPTH_DEFAULT;
	unsigned d = 0;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || d > STACKS_DEPTH_MAX)
			return STACKS_DEPTH_DEFAULT;
		d = d * 10 + (unsigned)(*v - '0');
	}
	return d > STACKS_DEPTH_MAX ? STACKS_DEPTH_MAX : d;
}

/* ---- the lock ---- */

static void rec_lock_make(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&rec_lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

/* Takes rec_lock. EOWNERDEAD means the holder was a thread that wrote its
 * end record and has now ended: the records it guarded are complete. */
static void rec_lock_take(void)
{
	if (t_ending)
		return;
	pthread_once(&rec_lock_once, rec_lock_make);
	if (pthread_mutex_lock(&rec_lock) == EOWNERDEAD)
		pthread_mutex_consistent(&rec_lock);
}

static void rec_lock_drop(void)
{
	if (!t_ending)
		pthread_mutex_unlock(&rec_lock);
}

/* ---- fork ---- */

static void before_fork(void)
{
	rec_lock_take();
}

/* The fork's place among the parent's records (under the lock before_fork
 * took: no record of another thread comes between), and the thread that
 * forked when it is not the main one (the child's main thread is that
 * one, the others are not in it). A fork that failed is marked too; no
 * child names it. */
static void after_fork_parent(void)
{
	if (rec_state == REC_ON) {
		char buf[64];
		char *p = put_str(buf, "# fork ");
		p = put_dec(p, rec_forks);
		pid_t tid = my_tid();
		if (tid != rec_pid) {
			*p++ = ' ';
			p = put_dec(p, (uint64_t)tid);
		}
		*p++ = '\n';
		log_append(buf, (size_t)(p - buf));
	}
	rec_forks++;
	rec_lock_drop();
}

/* The child's side of a fork; `unseen` when the fork ran no fork handler
 * (forked_unseen). */
static void fork_child(bool unseen)
{
	if (rec_alive)
		*rec_alive = 1; /* (wiped by the fork) */
	pid_t forking_tid = t_tid ? t_tid : rec_pid; /* (the parent's tid of this thread, as it cached it) */
	rec_parent = rec_pid;
	t_tid = 0;
	rec_pid = getpid();
	/* The recorded source of this heap: the parent, with the count as
	 * it had it before marking this fork; a parent that had not logged
	 * yet (forked itself and made no call since) passes its own on, as
	 * its heap is that one's still. */
	/* (a parent stopped at its size limit: this child is a process of
	 * its own, with a file and a limit of its own) */
	bool after_limit = rec_state == REC_FAILED && logfile_stopped_at_limit();
	if (rec_state == REC_ON) {
		rec_fork_seq = rec_forks;
		rec_fork_pid = rec_parent;
		if (!logfile_name(rec_fork_of, sizeof rec_fork_of))
			rec_fork_of[0] = '\0';
		rec_fork_unmarked = unseen;
		rec_fork_at = unseen ? logfile_position() : 0;
		rec_fork_tid = forking_tid;
		rec_fork_after_limit = false;
	} else if (rec_state != REC_FORKED) {
		rec_fork_of[0] = '\0';
		rec_fork_after_limit = after_limit;
	}
	rec_forks = 0;
	if (rec_state == REC_ON || after_limit) {
		/* The parent's window is shared with the parent: drop it. */
		logfile_forget_inherited();
		stacks_forget();
		rec_calls = 0;
		rec_state = REC_FORKED;
	}
	/* A robust mutex knows its owner by tid, which the child does not
	 * share: the child's only thread makes the lock anew. */
	rec_lock_make();
}

static void after_fork_child(void)
{
	fork_child(false);
}

/* A call in a child whose fork ran no fork handler (rec_alive read 0):
 * what after_fork_child does, before this process writes anything (the
 * parent's window is dropped), and the fork's place as the parent's
 * file length then, since the parent marked nothing. */
static __attribute__((noinline, cold)) void forked_unseen(void)
{
	fork_child(true);
}

/* The wipe-on-fork word (see rec_alive), set once by the first image. */
static void alive_make(void)
{
	if (rec_alive)
		return;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return;
	if (madvise(page, 4096, MADV_WIPEONFORK) != 0) {
		munmap(page, 4096);
		return;
	}
	rec_alive = page;
	*rec_alive = 1;
}

/* ---- threads (below: the key's destructor) ---- */

static pthread_key_t rec_key;
static bool rec_key_ok;
static void thread_end(void *value);

/* ---- start and end ---- */

/* dlsym's void * as a function pointer (POSIX guarantees the conversion;
 * memcpy keeps -Wpedantic quiet about it). */
#define RESOLVE(var, name)                                                                             \
	do {                                                                                           \
		void *sym_ = dlsym(RTLD_NEXT, name);                                                   \
		memcpy(&(var), &sym_, sizeof(var));                                                    \
	} while (0)

static void resolve(void)
{
	/* dlsym may allocate (its error buffer): those calls come back into
	 * the wrappers, see real_malloc == NULL and use boot_buf. */
	RESOLVE(real_malloc, "malloc");
	RESOLVE(real_free, "free");
	RESOLVE(real_calloc, "calloc");
	RESOLVE(real_realloc, "realloc");
	RESOLVE(real_memalign, "memalign");
	RESOLVE(real_aligned_alloc, "aligned_alloc");
	RESOLVE(real_posix_memalign, "posix_memalign");
	RESOLVE(real_valloc, "valloc");
	RESOLVE(real_pvalloc, "pvalloc");
	RESOLVE(real_malloc_trim, "malloc_trim");
	RESOLVE(real_mallopt, "mallopt");
	RESOLVE(real_pthread_create, "pthread_create");
}

/* An object's path for the header: at most size - 1 bytes, no newline. */
static void path_of(const Dl_info *info, char *out, size_t size)
{
	const char *name = info->dli_fname && *info->dli_fname ? info->dli_fname : "?";
	size_t len = strlen(name);
	if (len >= size)
		len = size - 1;
	memcpy(out, name, len);
	out[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (out[i] == '\n' || out[i] == '\r')
			out[i] = '?';
}

/* Whether the malloc found is glibc's: the object that defines it is the
 * one that defines gnu_get_libc_version. Another (jemalloc, tcmalloc,
 * mimalloc, preloaded or linked ahead of libc) keeps its own chunks,
 * without glibc's size word before each pointer. And whether a malloc
 * of the program's own comes before this library's. */
static void find_malloc_owner(void)
{
	Dl_info mine, libc;
	void *fn, *version;
	const char *(*get_version)(void) = gnu_get_libc_version;
	memcpy(&fn, &real_malloc, sizeof fn);
	memcpy(&version, &get_version, sizeof version);
	/* the malloc the program's calls reach first: this library's, unless
	 * the executable (or an object loaded before the preloads) defines
	 * one (told by the object, not the address: `malloc` named here is
	 * the first definition too). A non-PIE executable that takes
	 * malloc's address (node) has an undefined `malloc` whose value is
	 * its PLT entry: that entry calls the first definition, ours. */
	void *first = dlsym(RTLD_DEFAULT, "malloc"), *here;
	void (*here_fn)(void) = find_malloc_owner;
	memcpy(&here, &here_fn, sizeof here);
	Dl_info ahead, self;
	const ElfW(Sym) *sym = NULL;
	if (first != NULL && dladdr1(first, &ahead, (void **)&sym, RTLD_DL_SYMENT) != 0 && dladdr(here, &self) != 0 &&
	    ahead.dli_fbase != self.dli_fbase && sym != NULL && sym->st_shndx != SHN_UNDEF) {
		/* the executable's own (its calls never come here), or a
		 * library's (they may: told apart by the file, as dladdr names
		 * the executable as it was started) */
		struct stat a, exe;
		bool own = ahead.dli_fname && stat(ahead.dli_fname, &a) == 0 && stat("/proc/self/exe", &exe) == 0 &&
		           a.st_dev == exe.st_dev && a.st_ino == exe.st_ino;
		if (own || !ahead.dli_fname || !*ahead.dli_fname)
			path_of(&ahead, rec_malloc_ahead, sizeof rec_malloc_ahead);
		else
			path_of(&ahead, rec_malloc_first, sizeof rec_malloc_first);
	}
	if (fn == NULL || dladdr(fn, &mine) == 0 || dladdr(version, &libc) == 0 || mine.dli_fbase == libc.dli_fbase)
		return;
	rec_foreign_malloc = true;
	path_of(&mine, rec_malloc_from, sizeof rec_malloc_from);
}

/* dl_iterate_phdr's visit: the first object named vgpreload_* but
 * valgrind's core one (each tool that replaces malloc, memcheck, massif,
 * dhat, helgrind, drd, has a preload of its own; under --tool=none the
 * calls do reach glibc's malloc, and are recorded). */
static int find_valgrind_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strncmp(base, "vgpreload_", 10) != 0 || strncmp(base, "vgpreload_core", 14) == 0)
		return 0;
	Dl_info where = {.dli_fname = name};
	path_of(&where, rec_valgrind, sizeof rec_valgrind);
	return 1;
}

/* Runs once, at the first wrapper call or the constructor, whichever
 * comes first (ld.so may call malloc before any constructor runs). */
static void start(void)
{
	int state = __atomic_load_n(&rec_state, __ATOMIC_ACQUIRE);
	if (state != REC_OFF && state != REC_FORKED)
		return;
	rec_lock_take();
	if (rec_state == REC_FORKED) {
		rec_state = REC_STARTING;
		t_busy++;
		bool ok = start_log(false, rec_parent);
		__atomic_store_n(&rec_state, ok ? REC_ON : REC_FAILED, __ATOMIC_RELEASE);
		t_busy--;
		rec_lock_drop();
		return;
	}
	if (rec_state != REC_OFF) {
		rec_lock_drop();
		return;
	}
	rec_state = REC_STARTING;
	t_busy++;
	if (!real_malloc) {
		resolve();
		find_malloc_owner();
		dl_iterate_phdr(find_valgrind_object, NULL);
	}
	rec_pid = getpid();
	alive_make();
	/* The initial program break: what the kernel set at exec (start_brk),
	 * which is where glibc's heap begins. sbrk(0) equals it unless the
	 * break moved before this library ran (reported in the header). */
	uint64_t start_brk = proc_stat_field(47);
	rec_brk0 = start_brk ? (uintptr_t)start_brk : (uintptr_t)sbrk(0);
	char exe[1024];
	ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[exe_len > 0 ? exe_len : 0] = '\0';
	/* Before the header, which says the depth in use. The unwinder's
	 * one-time set-up runs here, with the busy flag set. */
	if (real_malloc && !stacks_start(wanted_depth(), exe))
		stacks_start(0, exe);
	bool ok = real_malloc && real_free && start_log(true, 0);
	if (ok) {
		pthread_atfork(before_fork, after_fork_parent, after_fork_child);
		/* Early, so the key is among the first 32 (whose values need
		 * no allocation) and its destructor runs before most others. */
		rec_key_ok = pthread_key_create(&rec_key, thread_end) == 0;
	}
	__atomic_store_n(&rec_state, ok ? REC_ON : REC_FAILED, __ATOMIC_RELEASE);
	t_busy--;
	rec_lock_drop();
}

__attribute__((constructor)) static void record_constructor(void)
{
	start();
}

__attribute__((destructor)) static void record_destructor(void)
{
	rec_lock_take();
	if (rec_state == REC_ON && stacks_unwinder_bytes()) {
		char buf[128], *p = put_str(buf, "# note the unwinder allocated ");
		p = put_dec(p, stacks_unwinder_bytes());
		p = put_str(p, " bytes, from the recorder's own buffer (not the recorded heap)\n");
		log_append(buf, (size_t)(p - buf));
	}
	if (rec_state == REC_ON) {
		logfile_close(rec_calls);
		/* Frees after this point (other libraries' destructors) go unrecorded. */
		rec_state = REC_CLOSED;
	}
	rec_lock_drop();
}

/* Whether this call should be recorded; marks the thread busy if so. */
static bool enter(void)
{
	if (t_busy)
		return false;
	if (__builtin_expect(rec_alive != NULL && *rec_alive == 0, 0))
		forked_unseen();
	int state = __atomic_load_n(&rec_state, __ATOMIC_ACQUIRE);
	if (state == REC_OFF || state == REC_FORKED)
		start();
	if (__atomic_load_n(&rec_state, __ATOMIC_ACQUIRE) != REC_ON)
		return false;
	t_busy = 1;
	return true;
}

/* Says where the break moved between two recorded calls (the lock held,
 * before the call): a program that calls sbrk or brk itself, or a malloc
 * that went around the recorder. glibc's next growth of the main arena
 * then finds its top no longer ends at the break, and leaves the old top
 * behind fenceposts: a replay of the recorded calls alone would part from
 * the recording there, and this line says why. (sbrk(0) reads glibc's
 * copy of the break: no system call.) */
static void note_moved_break(void)
{
	uintptr_t now = (uintptr_t)sbrk(0);
	if (rec_last_brk != 0 && now != rec_last_brk) {
		char buf[64], *p = put_str(buf, "# brk-moved ");
		p = put_shex(p, (int64_t)(rec_last_brk - rec_brk0));
		*p++ = ' ';
		p = put_shex(p, (int64_t)(now - rec_brk0));
		*p++ = '\n';
		log_append(buf, (size_t)(p - buf));
	}
	rec_last_brk = t_ending ? 0 : now;
}

/* Serialises a recorded call: the real call and its record happen under
 * rec_lock, so the log's order is the order in which the calls really
 * ran, and no two recorded calls overlap (a free logged after the malloc
 * that reused its chunk could not be replayed). Taken after the stack is
 * captured (unwinding is the slow part). A side effect: no arena lock is
 * ever contended by recorded calls, so arena_get2's choices are those of
 * calls one at a time, as brksim replays them. */
static void call_lock(void)
{
	rec_lock_take();
	note_moved_break();
}

/* Ends a recorded call: drops rec_lock (call_lock) and the busy flag. */
static void leave(void)
{
	rec_lock_drop();
	t_busy = 0;
}

/* ---- threads ---- */

/* A thread's start and end are records of their own, so a replay can
 * start and end the same threads at the same points:
 *   T<tid> n PARENT   the thread starts (PARENT: its creator's tid, decimal),
 *                     written by the new thread before any call of its own;
 *   T<tid> x          the thread ends: written by its last key destructor
 *                     round, after its own frees, just before glibc gives
 *                     its tcache back and puts its arena on the free list.
 * pthread_create's own allocations (the new thread's DTV) are ordinary
 * records of the creating thread. */

/* The start routine and argument of a thread being created, kept in a
 * fixed pool (never the recorded heap) until the thread has read them. */
typedef struct thread_start {
	void *(*fn)(void *);
	void *arg;
	pid_t parent;
	int used;
} thread_start;
static thread_start thread_starts[256];

static void thread_end(void *value)
{
	/* glibc runs key destructors for up to PTHREAD_DESTRUCTOR_ITERATIONS
	 * rounds while values are set: setting ours again each round makes
	 * the record come in the last round, after other keys' destructors
	 * (which may free). The value counts the rounds. */
	uintptr_t round = (uintptr_t)value;
	if (round < PTHREAD_DESTRUCTOR_ITERATIONS) {
		t_busy++;
		pthread_setspecific(rec_key, (void *)(round + 1));
		t_busy--;
		return;
	}
	if (!enter())
		return;
	call_lock();
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'x');
	q[-1] = '\n'; /* no operands */
	log_line(buf, (size_t)(q - buf));
	rec_last_brk = 0; /* (its tcache's frees, next, may trim) */
	/* After this glibc gives the thread's tcache back and puts its arena
	 * on the free list, unseen. Keeping rec_lock until the kernel has
	 * ended the thread (the robust lock then passes on) keeps every other
	 * thread's calls after that, as the replay has them; this thread's
	 * own last frees (libc's per-thread buffers) are still recorded. */
	t_ending = true;
	leave();
}

static void *thread_trampoline(void *arg)
{
	thread_start *ts = arg;
	void *(*fn)(void *) = ts->fn;
	void *fn_arg = ts->arg;
	pid_t parent = ts->parent;
	__atomic_store_n(&ts->used, 0, __ATOMIC_RELEASE);
	if (enter()) {
		call_lock();
		char buf[RECORD_LINE_MAX], *q = line_start(buf, 'n');
		q = put_dec(q, (uint64_t)parent);
		*q++ = '\n';
		log_line(buf, (size_t)(q - buf));
		if (rec_key_ok)
			pthread_setspecific(rec_key, (void *)1);
		leave();
	}
	return fn(fn_arg);
}

EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	/* (a forked child that has not logged yet opens its file now, as
	 * its first allocation would: the thread it starts must have its
	 * start and end records, or a replay keeps its tcache for ever) */
	if (!real_pthread_create || __atomic_load_n(&rec_state, __ATOMIC_ACQUIRE) == REC_FORKED)
		start();
	if (!real_pthread_create)
		return EAGAIN;
	int state = __atomic_load_n(&rec_state, __ATOMIC_ACQUIRE);
	thread_start *ts = NULL;
	if (state == REC_ON)
		for (size_t i = 0; i < sizeof thread_starts / sizeof thread_starts[0] && !ts; i++) {
			int expected = 0;
			if (__atomic_compare_exchange_n(&thread_starts[i].used, &expected, 1, false, __ATOMIC_ACQUIRE,
			                                __ATOMIC_RELAXED))
				ts = &thread_starts[i];
		}
	if (!ts) /* not recording, or 256 threads starting at once: the importer starts it at its first call */
		return real_pthread_create(thread, attr, fn, arg);
	ts->fn = fn;
	ts->arg = arg;
	ts->parent = my_tid();
	int rc = real_pthread_create(thread, attr, thread_trampoline, ts);
	if (rc != 0)
		__atomic_store_n(&ts->used, 0, __ATOMIC_RELEASE);
	return rc;
}

/* ---- the wrappers ---- */

EXPORT void *malloc(size_t n)
{
	if (stacks_t_unwinding)
		return unwinder_alloc(n);
	if (!real_malloc) {
		if (t_busy)
			return boot_alloc(n);
		start();
		if (!real_malloc)
			return boot_alloc(n);
	}
	if (!enter())
		return real_malloc(n);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_malloc(n);
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'm');
	q = put_hex(q, n);
	*q++ = ' ';
	q = put_ptr(q, p);
	*q++ = ' ';
	q = put_brk(q);
	line_end_stack(buf, q, &cs);
	leave();
	return p;
}

EXPORT void free(void *p)
{
	if (from_boot(p))
		return;
	if (!real_free) {
		if (t_busy)
			return;
		start();
		if (!real_free)
			return;
	}
	if (!enter()) {
		real_free(p);
		return;
	}
	call_lock();
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'f');
	q = put_ptr(q, p); /* before the free: the header may be unmapped after */
	real_free(p);
	*q++ = ' ';
	q = put_brk(q);
	line_end(buf, q);
	leave();
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	if (stacks_t_unwinding) {
		size_t total;
		return __builtin_mul_overflow(nmemb, size, &total) ? NULL : unwinder_alloc(total);
	}
	if (!real_calloc) {
		if (t_busy) {
			size_t total;
			if (__builtin_mul_overflow(nmemb, size, &total))
				return NULL;
			return boot_alloc(total); /* boot_buf is static: already zero */
		}
		start();
		if (!real_calloc)
			return NULL;
	}
	if (!enter())
		return real_calloc(nmemb, size);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_calloc(nmemb, size);
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'c');
	q = put_hex(q, nmemb);
	*q++ = ' ';
	q = put_hex(q, size);
	*q++ = ' ';
	q = put_ptr(q, p);
	*q++ = ' ';
	q = put_brk(q);
	line_end_stack(buf, q, &cs);
	leave();
	return p;
}

EXPORT void *realloc(void *old, size_t n)
{
	if (stacks_t_unwinding && (old == NULL || from_boot(old))) {
		void *p = unwinder_alloc(n);
		if (p && old) {
			size_t was = boot_size(old);
			memcpy(p, old, was < n ? was : n);
		}
		return p;
	}
	if (from_boot(old)) {
		/* A bootstrap block moves to the real heap, unrecorded: the
		 * program never saw it. */
		void *p = real_malloc ? real_malloc(n) : boot_alloc(n);
		if (p) {
			size_t was = boot_size(old);
			memcpy(p, old, was < n ? was : n);
		}
		return p;
	}
	if (!real_realloc) {
		if (t_busy)
			return old ? NULL : boot_alloc(n);
		start();
		if (!real_realloc)
			return old ? NULL : boot_alloc(n);
	}
	if (!enter())
		return real_realloc(old, n);
	call_stack cs;
	capture(&cs);
	call_lock();
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'r');
	q = put_ptr(q, old);
	void *p = real_realloc(old, n);
	*q++ = ' ';
	q = put_hex(q, n);
	*q++ = ' ';
	q = put_ptr(q, p);
	*q++ = ' ';
	q = put_brk(q);
	line_end_stack(buf, q, &cs);
	leave();
	return p;
}

/* memalign, aligned_alloc, valloc, pvalloc: letter, alignment (0 = none
 * written), size. */
static void log_aligned(char op, bool with_align, size_t align, size_t n, void *p, const call_stack *cs)
{
	char buf[RECORD_LINE_MAX], *q = line_start(buf, op);
	if (with_align) {
		q = put_hex(q, align);
		*q++ = ' ';
	}
	q = put_hex(q, n);
	*q++ = ' ';
	q = put_ptr(q, p);
	*q++ = ' ';
	q = put_brk(q);
	line_end_stack(buf, q, cs);
}

EXPORT void *memalign(size_t align, size_t n)
{
	if (stacks_t_unwinding)
		return NULL; /* the unwinder asks for no aligned memory */
	if (!real_memalign)
		start();
	if (!real_memalign)
		return NULL;
	if (!enter())
		return real_memalign(align, n);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_memalign(align, n);
	log_aligned('a', true, align, n, p, &cs);
	leave();
	return p;
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	if (stacks_t_unwinding)
		return NULL; /* the unwinder asks for no aligned memory */
	if (!real_aligned_alloc)
		start();
	if (!real_aligned_alloc)
		return NULL;
	if (!enter())
		return real_aligned_alloc(align, n);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_aligned_alloc(align, n);
	log_aligned('l', true, align, n, p, &cs);
	leave();
	return p;
}

EXPORT void *valloc(size_t n)
{
	if (stacks_t_unwinding)
		return NULL; /* the unwinder asks for no aligned memory */
	if (!real_valloc)
		start();
	if (!real_valloc)
		return NULL;
	if (!enter())
		return real_valloc(n);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_valloc(n);
	log_aligned('v', false, 0, n, p, &cs);
	leave();
	return p;
}

EXPORT void *pvalloc(size_t n)
{
	if (stacks_t_unwinding)
		return NULL; /* the unwinder asks for no aligned memory */
	if (!real_pvalloc)
		start();
	if (!real_pvalloc)
		return NULL;
	if (!enter())
		return real_pvalloc(n);
	call_stack cs;
	capture(&cs);
	call_lock();
	void *p = real_pvalloc(n);
	log_aligned('V', false, 0, n, p, &cs);
	leave();
	return p;
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	if (stacks_t_unwinding)
		return ENOMEM;
	if (!real_posix_memalign)
		start();
	if (!real_posix_memalign)
		return ENOMEM;
	if (!enter())
		return real_posix_memalign(out, align, n);
	call_stack cs;
	capture(&cs);
	void *p = NULL;
	call_lock();
	int rc = real_posix_memalign(&p, align, n);
	if (rc == 0)
		*out = p;
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'p');
	q = put_hex(q, align);
	*q++ = ' ';
	q = put_hex(q, n);
	*q++ = ' ';
	q = put_ptr(q, rc == 0 ? p : NULL);
	*q++ = ' ';
	q = put_brk(q);
	*q++ = ' ';
	q = put_shex(q, rc);
	line_end_stack(buf, q, &cs);
	leave();
	return rc;
}

EXPORT int malloc_trim(size_t pad)
{
	if (!real_malloc_trim)
		start();
	if (!real_malloc_trim)
		return 0;
	if (!enter())
		return real_malloc_trim(pad);
	call_lock();
	int rc = real_malloc_trim(pad);
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 't');
	q = put_hex(q, pad);
	*q++ = ' ';
	q = put_shex(q, rc);
	*q++ = ' ';
	q = put_brk(q);
	line_end(buf, q);
	leave();
	return rc;
}

EXPORT int mallopt(int param, int value)
{
	if (!real_mallopt)
		start();
	if (!real_mallopt)
		return 0;
	if (!enter())
		return real_mallopt(param, value);
	call_lock();
	int rc = real_mallopt(param, value);
	char buf[RECORD_LINE_MAX], *q = line_start(buf, 'o');
	q = put_shex(q, param);
	*q++ = ' ';
	q = put_shex(q, value);
	*q++ = ' ';
	q = put_shex(q, rc);
	*q++ = ' ';
	q = put_brk(q);
	line_end(buf, q);
	leave();
	return rc;
}

/* ---- functions looked up in libc by name ---- */

/* A program that takes an allocator function from libc's own handle
 * (Python's ctypes: CDLL("libc.so.6").malloc_trim(0), the usual advice
 * for memory that is not returned) called libc's directly: the call was
 * not recorded, and the replay's break parted from the recording's
 * there. dlsym on any handle but RTLD_NEXT and RTLD_DEFAULT now gives
 * this library's wrapper where it would have given glibc's function of
 * that name (the wrapper calls that same function).
 *
 * Everything else is the real dlsym's answer, reached by a tail call, so
 * that it sees its caller's return address: RTLD_NEXT is "next after the
 * caller" (a tracer preloaded before this library gets this library's
 * malloc, as it did). */
static void *(*real_dlsym)(void *, const char *);

/* The real dlsym or dlopen (`name`): in libc from 2.34, in libdl before
 * (found by version: dlsym itself is wrapped here). */
static void *libdl_next(const char *name)
{
	void *fn = dlvsym(RTLD_NEXT, name, "GLIBC_2.34");
	return fn != NULL ? fn : dlvsym(RTLD_NEXT, name, "GLIBC_2.2.5");
}

/* This library's wrapper for `name` when `found` is glibc's function of
 * that name (the one the wrapper calls); NULL otherwise. */
static void *own_wrapper(const char *name, void *found)
{
	if (!real_malloc)
		resolve();
	struct {
		const char *name;
		void *real, *own;
	} table[11];
	size_t n = 0;
#define OWN(fn, realfn)                                                                                \
	do {                                                                                           \
		table[n].name = #fn;                                                                   \
		memcpy(&table[n].real, &(realfn), sizeof(void *));                                     \
		__typeof__(&fn) own_ = fn;                                                             \
		memcpy(&table[n].own, &own_, sizeof(void *));                                          \
		n++;                                                                                   \
	} while (0)
	OWN(malloc, real_malloc);
	OWN(free, real_free);
	OWN(calloc, real_calloc);
	OWN(realloc, real_realloc);
	OWN(memalign, real_memalign);
	OWN(aligned_alloc, real_aligned_alloc);
	OWN(posix_memalign, real_posix_memalign);
	OWN(valloc, real_valloc);
	OWN(pvalloc, real_pvalloc);
	OWN(malloc_trim, real_malloc_trim);
	OWN(mallopt, real_mallopt);
#undef OWN
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, table[i].name) == 0)
			return found != NULL && found == table[i].real ? table[i].own : NULL;
	return NULL;
}

/* The last call must be a jump: optimized here whatever the build's
 * level (GCC), or required (clang's musttail); tests/app's forwarding
 * preload fails if it is not. */
#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(musttail)
#define TAIL_CALL __attribute__((musttail))
#endif
#endif
#ifndef TAIL_CALL
#define TAIL_CALL
#endif
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O2", "optimize-sibling-calls")))
#endif
EXPORT void *dlsym(void *restrict handle, const char *restrict name)
{
	if (!real_dlsym) {
		void *fn = libdl_next("dlsym");
		memcpy(&real_dlsym, &fn, sizeof fn);
	}
	if (!real_dlsym)
		return NULL;
	if (handle != RTLD_NEXT && handle != RTLD_DEFAULT &&
	    (name[0] == 'm' || name[0] == 'f' || name[0] == 'c' || name[0] == 'r' || name[0] == 'a' ||
	     name[0] == 'p' || name[0] == 'v')) {
		void *own = own_wrapper(name, real_dlsym(handle, name));
		if (own != NULL)
			return own;
	}
	TAIL_CALL return real_dlsym(handle, name);
}

/* A library opened with RTLD_DEEPBIND binds its own references to the
 * objects it needs (libc) before the global scope, where this library
 * is: its calls to malloc and free go straight to glibc, unrecorded (a
 * plugin's 200 calls were missing, and verify said only where the replay
 * parted). Said in the log where it happens (`# deepbind PATH`); the
 * dlopen itself is the real one's, reached by a tail call (it reads its
 * caller's address: the namespace, $ORIGIN). */
static void *(*real_dlopen)(const char *, int);

static void note_deepbind(const char *file)
{
	if (!enter())
		return;
	call_lock();
	char buf[RECORD_LINE_MAX];
	char *p = put_str(buf, "# deepbind ");
	for (const char *c = file; *c && p < buf + sizeof buf - 2; c++)
		*p++ = *c == '\n' || *c == '\r' ? '?' : *c;
	*p++ = '\n';
	log_append(buf, (size_t)(p - buf));
	leave();
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O2", "optimize-sibling-calls")))
#endif
EXPORT void *dlopen(const char *file, int mode)
{
	if (!real_dlopen) {
		void *fn = libdl_next("dlopen");
		memcpy(&real_dlopen, &fn, sizeof fn);
	}
	if (!real_dlopen)
		return NULL;
	if ((mode & RTLD_DEEPBIND) && file != NULL)
		note_deepbind(file);
	TAIL_CALL return real_dlopen(file, mode);
}

/* ---- descriptors the unwinder opens ---- */

/* libunwind's one-time set-up opens a pipe (to validate memory, which
 * local unwinding never does). Made while this thread is unwinding, it is
 * moved above the program's descriptor range at once, like the output
 * file, so the program's own open() calls get their usual numbers. Any
 * other pipe2 is the program's and is left exactly as the kernel made it. */
EXPORT int pipe2(int fds[2], int flags)
{
	long rc = syscall(SYS_pipe2, fds, flags);
	if (rc == 0 && stacks_t_unwinding) {
		fds[0] = logfile_move_high(fds[0]);
		fds[1] = logfile_move_high(fds[1]);
	}
	return (int)rc;
}
