/* thread-programs.c — real multi-threaded programs for recording and
 * `brksim verify` (never sanitized: the recording must see glibc's own
 * malloc, and each thread its own arena).
 *   thread-programs pool [ROUNDS]  a pool of 6 workers in rounds (4): each allocates
 *                           64 blocks of mixed sizes, then frees half of
 *                           its neighbour's (cross-thread frees, into the
 *                           freeing thread's tcache and the owner's bins)
 *                           and half of its own; the main thread hands
 *                           out and frees work items too; malloc_trim(0)
 *                           at the end
 *   thread-programs retry   calls that fail move threads: a worker's huge malloc
 *                           fails in its arena and is retried in the main arena
 *                           (it keeps its arena); the main thread's fails in the
 *                           main arena and glibc moves it to another arena for
 *                           good (arena_get_retry), where its next calls go
 *   thread-programs waves   4 waves of 5 threads created and joined: each
 *                           new wave takes the arenas the last one left on
 *                           the free list; odd threads grow their arena
 *                           past its first 64 MiB heap (a second heap,
 *                           unmapped again as they free); a block freed
 *                           by the main thread after its owner exited
 * Deterministic in its calls (barriers order every cross-thread step);
 * which thread runs first inside a step is not, which is what the
 * recorder's order captures. */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 6
#define BLOCKS 64

static void *blocks[POOL][BLOCKS];
static pthread_barrier_t barrier;
static void *volatile sink;

static void touch(void *p, size_t n)
{
	if (p)
		memset(p, 0x5a, n < 64 ? n : 64);
	sink = p;
}

static int pool_rounds = 4;

static void *pool_worker(void *arg)
{
	long id = (long)(intptr_t)arg;
	for (int round = 0; round < pool_rounds; round++) {
		for (int i = 0; i < BLOCKS; i++) {
			size_t n = 16 + (size_t)(id * 37 + i * 13 + round * 101) % (i % 9 == 0 ? 70000 : 3000);
			blocks[id][i] = malloc(n);
			touch(blocks[id][i], n);
		}
		pthread_barrier_wait(&barrier);
		long next = (id + 1) % POOL;
		for (int i = 0; i < BLOCKS; i += 2)
			free(blocks[next][i]);
		pthread_barrier_wait(&barrier);
		for (int i = 1; i < BLOCKS; i += 2)
			free(blocks[id][i]);
		void *r = realloc(NULL, 200 + (size_t)id * 10);
		r = realloc(r, 5000);
		free(r);
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static int pool(void)
{
	pthread_t t[POOL];
	pthread_barrier_init(&barrier, NULL, POOL);
	char *items[32];
	for (int i = 0; i < 32; i++) {
		items[i] = malloc(48 + (size_t)i * 8);
		touch(items[i], 48);
	}
	for (long i = 0; i < POOL; i++)
		if (pthread_create(&t[i], NULL, pool_worker, (void *)(intptr_t)i) != 0)
			return 1;
	for (int i = 0; i < POOL; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 32; i++)
		free(items[i]);
	malloc_trim(0);
	return 0;
}

static void *big_left_behind[5];

static void *wave_worker(void *arg)
{
	long id = (long)(intptr_t)arg;
	void *keep[40];
	/* odd threads: 600 blocks of 120000 bytes (under the mmap threshold)
	 * fill their arena's 64 MiB heap and chain a second one */
	static void *fill[5][600];
	int nfill = (id % 2) ? 600 : 0;
	for (int i = 0; i < 40; i++) {
		keep[i] = malloc(32 + (size_t)(i * 97 + id * 11) % 20000);
		touch(keep[i], 32);
	}
	for (int i = 0; i < nfill; i++) {
		fill[id][i] = malloc(120000);
		touch(fill[id][i], 64);
	}
	for (int i = 0; i < 40; i += 3)
		free(keep[i]);
	big_left_behind[id] = malloc(100000); /* freed by main after this thread exits */
	touch(big_left_behind[id], 100000);
	for (int i = nfill; i-- > 0;)
		free(fill[id][i]); /* newest first: the second heap goes, then the first shrinks */
	for (int i = 1; i < 40; i++)
		if (i % 3)
			free(keep[i]);
	return NULL;
}

static int waves(void)
{
	for (int wave = 0; wave < 4; wave++) {
		pthread_t t[5];
		for (long i = 0; i < 5; i++)
			if (pthread_create(&t[i], NULL, wave_worker, (void *)(intptr_t)i) != 0)
				return 1;
		for (int i = 0; i < 5; i++)
			pthread_join(t[i], NULL);
		for (int i = 0; i < 5; i++)
			free(big_left_behind[i]);
		void *m = malloc(1000 + (size_t)wave);
		touch(m, 1000);
		free(m);
	}
	return 0;
}

/* More than any machine can map (64 TiB): mmap, sbrk and the mmap
 * fallback all fail, so glibc returns NULL after arena_get_retry. */
#define TOO_BIG ((size_t)1 << 46)

static void *retry_worker(void *arg)
{
	(void)arg;
	void *a = malloc(100); /* its first call: an arena of its own */
	touch(a, 100);
	void *big = malloc(TOO_BIG); /* fails here, then in the main arena: NULL, still its arena */
	sink = big;
	void *b = malloc(200);
	touch(b, 200);
	free(b);
	free(a);
	return NULL;
}

static int retry(void)
{
	void *m = malloc(64);
	touch(m, 64);
	pthread_t t;
	if (pthread_create(&t, NULL, retry_worker, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	void *big = malloc(TOO_BIG); /* fails in the main arena: the main thread moves to another arena */
	sink = big;
	void *n = malloc(300); /* from the arena it moved to */
	touch(n, 300);
	free(n);
	free(m);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "retry") == 0)
		return retry();
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "pool") == 0) {
		if (argc == 3)
			pool_rounds = atoi(argv[2]);
		return pool();
	}
	if (argc == 2 && strcmp(argv[1], "waves") == 0)
		return waves();
	fprintf(stderr, "usage: thread-programs pool [ROUNDS] | waves | retry\n");
	return 2;
}
