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
 *   exec     plain, then execs itself in `plain` mode (a second image)
 *   kill     plain, then dies from SIGKILL (no exit handlers)
 *   mtrace   mtrace(), plain, muntrace() (run with MALLOC_TRACE and
 *            LD_PRELOAD=libc_malloc_debug.so.0)
 *   many N   N malloc/free pairs (for the overhead benchmark) */
#define _GNU_SOURCE
#include <malloc.h>
#include <mcheck.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
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
	return 0;
}
