/* record_target.c — the program the recorder tests record.
 *
 * Built without sanitizers (their runtimes replace malloc). Its first
 * allocator call is malloc(1000), so the first record is known exactly.
 * Modes (argv[1]):
 *   plain    every wrapped entry point, a trim, mallopt, libc calls that
 *            allocate internally (strdup, fopen, qsort, stdio), an
 *            mmapped chunk, a freed top that shrinks the break
 *   thread   plain, while a second thread allocates (its own arena)
 *   fork     plain, then a child that allocates and exits with _exit
 *   forks    plain, keeps chunks the children free; forks one child that
 *            frees some, allocates and exits, then another (the second
 *            fork of the image) that does the same and, first, starts a
 *            thread that frees one of them into its tcache and ends
 *   thread-fork
 *            threads fork, as python's multiprocessing pool does from its
 *            handler thread: two threads allocate (their own arenas) and
 *            free into their tcaches; the first forks while the second
 *            waits; the child frees chunks of the parent's and
 *            allocates (from the forking thread's arena), starts a thread
 *            (an arena from glibc's new free list), and exits
 *   fork-unmarked _Fork|clone
 *            keeps chunks, then forks without fork handlers (glibc's
 *            _Fork, or a raw clone system call): the child frees half of
 *            them and allocates, the parent the other half after it
 *   daemon   plain, keeps chunks, then forks twice as daemon(3) does: the
 *            child forks again at once (no call of its own) and exits;
 *            the grandchild frees the kept chunks and allocates
 *   detach   the same, but the program exits at once: the grandchild (a
 *            daemon) allocates on for a while after it, its file open
 *   exec     plain, then execs itself in `plain` mode (a second image)
 *   execs N  N malloc/free pairs, then execs itself as `execs N-1`, down
 *            to 0: N + 1 images of one process, the k-th (from 0) making
 *            N - k pairs
 *   kill     plain, then dies from SIGKILL (no exit handlers)
 *   wait FILE
 *            plain, then makes FILE and waits for a signal to end it (a
 *            long-running program stopped with Ctrl-C or kill)
 *   mtrace   mtrace(), plain, muntrace() (run with MALLOC_TRACE and
 *            LD_PRELOAD=libc_malloc_debug.so.0)
 *   libc-handle
 *            the allocator taken from libc's own handle, as Python's
 *            ctypes does (CDLL("libc.so.6").malloc_trim(0)): buffers
 *            freed below a kept one, then malloc_trim(0), malloc and free
 *            called through dlsym(dlopen("libc.so.6"), ...)
 *   dlopen LIB deep|plain
 *            dlopens LIB with RTLD_DEEPBIND (deep) or without, then a
 *            malloc and a free
 *   aligned  the memalign family above a page (posix_memalign 64 KiB
 *            and 16 KiB, aligned_alloc 16 KiB, memalign 128 KiB), a
 *            posix_memalign refused with EINVAL, pvalloc: where the
 *            chunks fall depends on the heap's address
 *   sbrk     malloc(1000), then moves the break itself (sbrk 8 KiB), then
 *            chunks that grow the heap past it, freed (a foreign sbrk:
 *            glibc leaves its old top behind fenceposts)
 *   until-null
 *            malloc(100000) until one fails (run under a data limit:
 *            ulimit -d), then frees them; exit status 26 if none failed
 *   many N   N malloc/free pairs (for the overhead benchmark)
 *   many-fork N
 *            the same (past a size limit), then forks a child that
 *            allocates and frees, and ends with exit
 *   report FILE
 *            allocations through call chains of different depths
 *            (recursion, a function pointer), then writes to FILE what
 *            each call returned (offset from the initial break) and the
 *            break after it: the same with and without the recorder, at
 *            any stack depth, if the recorder leaves the heap alone
 *   daemon FILE REPORT [nofiles|rename]
 *            what a daemon does with descriptors, while it writes
 *            DAEMON_BYTES to FILE and makes DAEMON_ROUNDS x
 *            DAEMON_PAIRS malloc/free pairs (enough log for several
 *            8 MiB windows): closes every fd >= 3, opens FILE, dup2s it
 *            onto the number the recorder's own open() first had (if
 *            FILE did not get it) and onto the recorder's high number,
 *            and writes through all of them. With
 *            `nofiles` it then lowers RLIMIT_NOFILE so that no new
 *            descriptor can be had; with `rename` it moves the recording
 *            (if any) to FILE.moved. REPORT gets the fd numbers its
 *            open() calls got (the same with and without the recorder)
 *            and, under the recorder, what the recorder's fd was. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <mcheck.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record_target.h"

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Keeps the compiler from dropping or merging the calls under test. */
static void *volatile sink;

static void plain(void)
{
	void *a = malloc(1000);
	void *b = malloc(60000);
	free(b);
	void *c = calloc(10, 100);
	a = realloc(a, 3000);
	free(c);
	void *big = malloc(200000); /* above the mmap threshold */
	free(big);
	void *d = NULL;
	if (posix_memalign(&d, 64, 100) == 0)
		free(d);
	void *e = memalign(256, 500);
	void *f = aligned_alloc(64, 128);
	void *g = valloc(100);
	void *h = pvalloc(5000);
	free(NULL);
	char *s = strdup("recorded through libc's own call to malloc");
	FILE *fp = fopen("/proc/self/stat", "r");
	if (fp) {
		char line[256];
		sink = fgets(line, sizeof line, fp);
		fclose(fp);
	}
	int numbers[64];
	for (int i = 0; i < 64; i++)
		numbers[i] = (i * 37) % 64;
	qsort(numbers, 64, sizeof numbers[0], compare_ints);
	/* A top that grows past the trim threshold, then is freed: brk falls. */
	void *blocks[40];
	for (int i = 0; i < 40; i++)
		blocks[i] = malloc(8000 + (size_t)i * 16);
	for (int i = 39; i >= 0; i--)
		free(blocks[i]);
	/* Small chunks into tcache and fastbins, then a consolidating request. */
	void *small[20];
	for (int i = 0; i < 20; i++)
		small[i] = malloc(40);
	for (int i = 0; i < 20; i++)
		free(small[i]);
	sink = malloc(2000);
	free(sink);
	malloc_trim(0);
	mallopt(M_TOP_PAD, 64 * 1024);
	void *after = malloc(100000);
	free(after);
	free(s);
	free(e);
	free(f);
	free(g);
	free(h);
	a = realloc(a, 0); /* frees */
	sink = a;
}

static void *thread_main(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		void *p = malloc(64 + (size_t)(i % 200));
		sink = p;
		free(p);
	}
	return NULL;
}

/* The descriptor (>= 3) that is open on `path`, or -1. (The same scan
 * with and without the recorder, so both runs open the same fds.) */
static int fd_open_on(const char *path)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int found = -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);
		if (fd < 3 || fd == dirfd(d))
			continue;
		char link[64], target[PATH_MAX];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (path && strcmp(target, path) == 0)
			found = fd;
	}
	closedir(d);
	return found;
}

static void close_from_3(void)
{
	if (close_range(3, ~0u, 0) == 0)
		return;
	struct rlimit rl;
	int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int daemon_mode(const char *file, const char *report, bool nofiles, bool move_recording)
{
	/* Before anything else: where the recorder's descriptor is, if any. */
	int rec_fd = fd_open_on(getenv("BRKSIM_RECORD_OUT"));
	int rec_cloexec = rec_fd >= 0 ? (fcntl(rec_fd, F_GETFD) & FD_CLOEXEC) != 0 : -1;
	int first = open("/dev/null", O_RDONLY);
	close_from_3();
	int own = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644); /* RDWR: a window could be mapped on it */
	if (own < 0)
		return 10;
	int high = rec_fd >= 0 ? rec_fd : DAEMON_DEFAULT_HIGH;
	if (dup2(own, high) != high)
		return 11;
	/* `first` is the lowest number free at start: the one the recorder's
	 * own open() got before it moved its descriptor away. Usually `own`
	 * has it already; if something else was inherited there, dup2 onto it. */
	int old = first >= 0 ? first : own;
	if (old != own && dup2(own, old) != old)
		return 11;
	const char *recording = getenv("BRKSIM_RECORD_OUT");
	if (move_recording && recording) {
		char moved[PATH_MAX + 8];
		snprintf(moved, sizeof moved, "%s.moved", file);
		if (rename(recording, moved) != 0)
			return 15;
	}
	struct rlimit saved;
	getrlimit(RLIMIT_NOFILE, &saved);
	if (nofiles) {
		struct rlimit rl = saved;
		rl.rlim_cur = (rlim_t)own + 1; /* every number below it is taken */
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			return 12;
	}
	static unsigned char chunk[DAEMON_CHUNK];
	uint64_t written = 0;
	void *keep[16] = {0};
	for (int round = 0; round < DAEMON_ROUNDS; round++) {
		for (int w = 0; w < DAEMON_BYTES / DAEMON_ROUNDS / DAEMON_CHUNK; w++) {
			for (size_t i = 0; i < sizeof chunk; i++)
				chunk[i] = daemon_byte(written + i);
			/* Through both numbers: one file, one offset. */
			if (write_all(w % 3 == 0 ? own : w % 3 == 1 ? high : old, chunk, sizeof chunk) != 0)
				return 13;
			written += sizeof chunk;
		}
		for (int i = 0; i < DAEMON_PAIRS; i++) {
			size_t k = (size_t)i % 16;
			free(keep[k]);
			keep[k] = malloc(24 + (size_t)((i * 7 + round) % 700));
		}
	}
	for (int k = 0; k < 16; k++)
		free(keep[k]);
	int second = open("/dev/null", O_RDONLY);
	/* The report goes through the program's own descriptor numbering too. */
	char text[256];
	int n = snprintf(text, sizeof text, "first-open %d\nown-file %d\nsecond-open %d\n", first, own, second);
	if (rec_fd >= 0)
		n += snprintf(text + n, sizeof text - (size_t)n, "recorder-fd %d cloexec %d\n", rec_fd, rec_cloexec);
	if (second >= 0)
		close(second);
	setrlimit(RLIMIT_NOFILE, &saved);
	int r = open(report, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (r < 0 || write_all(r, (const unsigned char *)text, (size_t)n) != 0)
		return 14;
	close(r);
	return 0;
}

/* ---- report: what the heap gave, written down by the program itself ---- */

enum { REPORT_CALLS = 600 };
static uintptr_t report_base;
static long report_ptr[REPORT_CALLS], report_brk[REPORT_CALLS];
static int report_n;

static void note(void *p)
{
	if (report_n < REPORT_CALLS) {
		report_ptr[report_n] = p ? (long)((uintptr_t)p - report_base) : 0;
		report_brk[report_n] = (long)((uintptr_t)sbrk(0) - report_base);
		report_n++;
	}
}

__attribute__((noinline)) static void *deep(int depth, size_t size)
{
	if (depth == 0) {
		void *p = malloc(size);
		note(p);
		return p;
	}
	void *p = deep(depth - 1, size + 16);
	sink = p; /* not a tail call: every level keeps its frame */
	return p;
}

static void *(*volatile via_pointer)(size_t) = malloc;

/* A forked child's thread: frees the parent's chunk it is given (into
 * its own tcache, which goes back to the arenas as it ends). */
/* thread-fork: what each thread does (see the mode). */
static sem_t fork_go, fork_done;
static void *fork_kept[16];

static void *forked_child_thread(void *arg)
{
	(void)arg;
	void *p = malloc(700), *q = malloc(70);
	free(q);
	sink = p;
	return NULL;
}

static void *waiting_thread(void *arg)
{
	(void)arg;
	void *p = malloc(300), *q = malloc(40);
	free(q); /* (its tcache: lost in the child) */
	sink = p;
	sem_post(&fork_done);
	sem_wait(&fork_go); /* (runs at the fork) */
	free(p);
	return NULL;
}

static void *forking_thread(void *arg)
{
	(void)arg;
	void *mine[8];
	for (int i = 0; i < 8; i++)
		mine[i] = malloc(100 + 50 * (size_t)i);
	free(mine[2]);
	free(mine[5]);
	sem_wait(&fork_done);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 16; i += 3)
			free(fork_kept[i]);
		free(mine[0]);
		void *a = malloc(150), *b = malloc(4000);
		free(a);
		pthread_t t;
		if (pthread_create(&t, NULL, forked_child_thread, NULL) != 0 || pthread_join(t, NULL) != 0)
			_exit(5);
		free(b);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? NULL : (void *)1;
}

static void *child_thread(void *arg)
{
	void *own = malloc(64);
	free(arg);
	free(own);
	return NULL;
}

static int report_mode(const char *file)
{
	report_base = (uintptr_t)sbrk(0);
	void *keep[200];
	for (int i = 0; i < 200; i++) {
		keep[i] = deep(i % 24, (size_t)(16 + (i * 37) % 3000));
		if (i % 3 == 0) {
			void *q = via_pointer((size_t)(i * 50));
			note(q);
			free(q);
		}
	}
	for (int i = 0; i < 200; i += 2)
		free(keep[i]);
	void *c = calloc(40, 100);
	note(c);
	void *r = realloc(keep[1], 70000);
	note(r);
	keep[1] = r;
	for (int i = 1; i < 200; i += 2)
		free(keep[i]);
	free(c);
	malloc_trim(0);
	note(sbrk(0));
	char text[REPORT_CALLS * 40];
	size_t n = 0;
	for (int i = 0; i < report_n && n + 40 < sizeof text; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%lx %lx\n", report_ptr[i], report_brk[i]);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, (const unsigned char *)text, n) != 0)
		return 15;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
	if (strcmp(mode, "report") == 0 && argc > 2)
		return report_mode(argv[2]);
	if (strcmp(mode, "daemon") == 0 && argc > 3)
		return daemon_mode(argv[2], argv[3], argc > 4 && strcmp(argv[4], "nofiles") == 0,
		                   argc > 4 && strcmp(argv[4], "rename") == 0);
	if (strcmp(mode, "dlopen") == 0 && argc > 3) {
		void *lib = dlopen(argv[2], RTLD_NOW | (strcmp(argv[3], "deep") == 0 ? RTLD_DEEPBIND : 0));
		if (lib == NULL)
			return 24;
		free(malloc(1000));
		return 0;
	}
	if (strcmp(mode, "libc-handle") == 0) {
		void *libc = dlopen("libc.so.6", RTLD_NOW);
		void *trim_sym = libc ? dlsym(libc, "malloc_trim") : NULL;
		void *malloc_sym = libc ? dlsym(libc, "malloc") : NULL, *free_sym = libc ? dlsym(libc, "free") : NULL;
		int (*trim)(size_t);
		void *(*libc_malloc)(size_t);
		void (*libc_free)(void *);
		memcpy(&trim, &trim_sym, sizeof trim);
		memcpy(&libc_malloc, &malloc_sym, sizeof libc_malloc);
		memcpy(&libc_free, &free_sym, sizeof libc_free);
		if (!trim || !libc_malloc || !libc_free)
			return 22;
		void *a = malloc(1000), *buffers[64];
		for (int i = 0; i < 64; i++)
			buffers[i] = malloc(3000);
		void *kept = malloc(100);
		for (int i = 0; i < 64; i++)
			free(buffers[i]);
		int released = trim(0);
		void *b = libc_malloc(5000);
		libc_free(b);
		free(kept);
		free(a);
		return released == 1 ? 0 : 23;
	}
	if (strcmp(mode, "aligned") == 0) {
		void *a = malloc(1000), *b = NULL, *c = NULL, *d = NULL;
		if (posix_memalign(&b, 65536, 1000) != 0 || posix_memalign(&c, 16384, 5000) != 0)
			return 20;
		if (posix_memalign(&d, 24, 100) != 22 || d != NULL)
			return 21;
		void *e = aligned_alloc(16384, 300);
		void *f = memalign(131072, 2000);
		void *g = pvalloc(100);
		free(a);
		free(b);
		free(c);
		free(e);
		free(f);
		free(g);
		return 0;
	}
	if (strcmp(mode, "sbrk") == 0) {
		void *a = malloc(1000), *big[40];
		if (sbrk(8192) == (void *)-1)
			return 25;
		for (int i = 0; i < 40; i++)
			big[i] = malloc(10000);
		for (int i = 0; i < 40; i++)
			free(big[i]);
		free(a);
		return 0;
	}
	if (strcmp(mode, "until-null") == 0) {
		static void *got[1000];
		int n = 0;
		while (n < 1000 && (got[n] = malloc(100000)) != NULL)
			n++;
		for (int i = 0; i < n; i++)
			free(got[i]);
		return n < 1000 ? 0 : 26;
	}
	if (strcmp(mode, "execs") == 0 && argc > 2) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			free(malloc(100));
		if (n <= 0)
			return 0;
		char next[24];
		snprintf(next, sizeof next, "%ld", n - 1);
		execl("/proc/self/exe", argv[0], "execs", next, (char *)NULL);
		return 4;
	}
	if (strcmp(mode, "many") == 0) {
		long n = argc > 2 ? atol(argv[2]) : 1000000;
		void *keep[64] = {0};
		for (long i = 0; i < n; i++) {
			size_t k = (size_t)i % 64;
			free(keep[k]);
			keep[k] = malloc(16 + (size_t)(i % 500));
		}
		for (int k = 0; k < 64; k++)
			free(keep[k]);
		return 0;
	}
	if (strcmp(mode, "many-fork") == 0 && argc > 2) {
		/* past a small size limit, then a child that allocates and
		 * ends with exit (its file gets its `# end`) */
		long n = atol(argv[2]);
		void *keep[64] = {0};
		for (long i = 0; i < n; i++) {
			size_t k = (size_t)i % 64;
			free(keep[k]);
			keep[k] = malloc(16 + (size_t)(i % 500));
		}
		pid_t pid = fork();
		if (pid == 0) {
			void *a = malloc(777), *b = malloc(5000);
			free(a);
			free(keep[3]);
			free(b);
			exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
	}
	if (strcmp(mode, "fork-unmarked") == 0 && argc > 2) {
		void *kept[12];
		for (int i = 0; i < 12; i++)
			kept[i] = malloc(100 + 16 * (size_t)i);
		pid_t pid;
		if (strcmp(argv[2], "clone") == 0)
			pid = (pid_t)syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
		else
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34)
			pid = _Fork();
#else
			return 77;
#endif
		if (pid == 0) {
			for (int i = 0; i < 12; i += 2)
				free(kept[i]);
			sink = malloc(3000);
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		for (int i = 1; i < 12; i += 2)
			free(kept[i]);
		sink = malloc(700);
		return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 3;
	}
	if (strcmp(mode, "thread-fork") == 0) {
		for (int i = 0; i < 16; i++)
			fork_kept[i] = malloc(64 + 32 * (size_t)i);
		if (sem_init(&fork_go, 0, 0) != 0 || sem_init(&fork_done, 0, 0) != 0)
			return 2;
		pthread_t waiter, forker;
		void *bad = NULL;
		if (pthread_create(&waiter, NULL, waiting_thread, NULL) != 0 ||
		    pthread_create(&forker, NULL, forking_thread, NULL) != 0 || pthread_join(forker, &bad) != 0)
			return 2;
		sem_post(&fork_go);
		pthread_join(waiter, NULL);
		return bad ? 3 : 0;
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_main, NULL) != 0)
			return 2;
		plain();
		pthread_join(t, NULL);
		return 0;
	}
	if (strcmp(mode, "mtrace") == 0) {
		mtrace();
		plain();
		muntrace();
		return 0;
	}
	plain();
	if (strcmp(mode, "detach") == 0) {
		void *kept[8];
		for (int i = 0; i < 8; i++)
			kept[i] = malloc(300 + 32 * (size_t)i);
		pid_t pid = fork();
		if (pid == 0) {
			setsid();
			if (fork() == 0) {
				for (int i = 0; i < 8; i += 2)
					free(kept[i]);
				for (int r = 0; r < 30; r++) {
					void *p = malloc(100 + (size_t)r);
					usleep(10000);
					free(p);
				}
				_exit(0);
			}
			_exit(0);
		}
		usleep(50000); /* (the daemon has logged: its file is there to collect) */
		return 0;
	}
	if (strcmp(mode, "daemon") == 0) {
		void *kept[8];
		for (int i = 0; i < 8; i++)
			kept[i] = malloc(300 + 32 * (size_t)i);
		int fds[2];
		if (pipe(fds) != 0)
			return 6;
		pid_t pid = fork();
		if (pid == 0) {
			if (fork() == 0) {
				for (int i = 0; i < 8; i += 2)
					free(kept[i]);
				void *p = malloc(300);
				free(p);
				char done = 1;
				_exit(write(fds[1], &done, 1) == 1 ? 0 : 7);
			}
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		char done = 0;
		close(fds[1]);
		/* (the grandchild is no child of ours: its end comes through the pipe) */
		bool ok = read(fds[0], &done, 1) == 1 && done == 1;
		close(fds[0]);
		return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 8;
	}
	if (strcmp(mode, "forks") == 0) {
		/* the children free what the parent allocated: their heaps
		 * began as copies of the parent's */
		void *kept[40];
		for (int i = 0; i < 40; i++)
			kept[i] = malloc(200 + 64 * (size_t)i);
		for (int i = 0; i < 40; i += 4)
			free(kept[i]);
		int bad = 0;
		for (int child = 0; child < 2; child++) {
			pid_t pid = fork();
			if (pid == 0) {
				if (child == 1) {
					/* (kept[1], which only the first child freed) */
					pthread_t t;
					if (pthread_create(&t, NULL, child_thread, kept[1]) != 0 || pthread_join(t, NULL) != 0)
						_exit(5);
					sink = malloc(200 + 64); /* kept[1]'s size: back from the arena */
				}
				/* (the first child the odd ones, the second those
				 * the parent kept at 2 mod 4) */
				for (int i = child ? 2 : 1; i < 40; i += child ? 4 : 2)
					free(kept[i]);
				void *p = malloc(3000), *q = malloc(90);
				free(p);
				(void)q;
				_exit(0);
			}
			int status;
			waitpid(pid, &status, 0);
			bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
			kept[child * 4] = malloc(500); /* between the forks */
		}
		return bad;
	}
	if (strcmp(mode, "fork") == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			void *p = malloc(777);
			free(p);
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
	}
	if (strcmp(mode, "exec") == 0) {
		execl("/proc/self/exe", argv[0], "plain", (char *)NULL);
		return 4;
	}
	if (strcmp(mode, "kill") == 0)
		raise(SIGKILL);
	if (strcmp(mode, "wait") == 0 && argc > 2) {
		/* a long-running program stopped by a signal (a server under
		 * Ctrl-C): says it is running by making the file argv[2], then
		 * waits for the signal that ends it */
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 16;
		close(fd);
		for (;;)
			pause();
	}
	return 0;
}
