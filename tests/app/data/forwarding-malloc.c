/* forwarding-malloc.c — a preloaded malloc that passes every call on to
 * the next one (RTLD_NEXT), as heaptrack's and other tracers' do: loaded
 * ahead of brksim's recorder, its malloc is the program's first, and the
 * calls still reach the recorder and glibc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static void *(*next_malloc)(size_t);
static void (*next_free)(void *);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);

/* dlsym may call calloc while it looks: served from a static buffer */
static char early[4096];
static size_t early_used;

static void resolve(void)
{
	if (next_malloc)
		return;
	void *m = dlsym(RTLD_NEXT, "malloc"), *f = dlsym(RTLD_NEXT, "free");
	void *c = dlsym(RTLD_NEXT, "calloc"), *r = dlsym(RTLD_NEXT, "realloc");
	memcpy(&next_free, &f, sizeof f);
	memcpy(&next_calloc, &c, sizeof c);
	memcpy(&next_realloc, &r, sizeof r);
	memcpy(&next_malloc, &m, sizeof m);
}

static int is_early(const void *p) { return (const char *)p >= early && (const char *)p < early + sizeof early; }

void *malloc(size_t n)
{
	resolve();
	return next_malloc(n);
}

void free(void *p)
{
	if (p == NULL || is_early(p))
		return;
	resolve();
	next_free(p);
}

void *calloc(size_t n, size_t size)
{
	if (!next_calloc) {
		static int resolving;
		if (resolving) {
			size_t want = (n * size + 15) & ~(size_t)15;
			if (want > sizeof early - early_used)
				return NULL;
			early_used += want;
			return early + early_used - want; /* zeroed: static */
		}
		resolving = 1;
		resolve();
		resolving = 0;
	}
	return next_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	resolve();
	return next_realloc(p, n);
}
