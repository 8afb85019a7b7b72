/* alloc_fail.h — making chosen allocations fail, for the tests of what
 * the pure layers do when brksim itself runs out of memory.
 *
 * Owns: wrappers for malloc, calloc and realloc that a test binary gets
 * by linking with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (the
 * alloc_fail_dep of tests/meson.build): every call from the binary's own
 * objects and static libraries goes through them; shared libraries'
 * (Check's, libc's own) do not. Disarmed, they only pass the call on.
 * Must not: be linked into a binary without those --wrap options (its
 * __real_ references would not resolve). */
#ifndef BRKSIM_TESTS_COMMON_ALLOC_FAIL_H
#define BRKSIM_TESTS_COMMON_ALLOC_FAIL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct alloc_fail_state {
	bool armed;     /* counting (and failing) calls */
	bool sticky;    /* every call after the failing one fails too */
	size_t calls;   /* calls counted since armed */
	size_t fail_at; /* the call (0-based) that fails; SIZE_MAX: none */
	size_t failed;  /* calls made to fail */
	size_t largest; /* bytes of the largest call counted since armed */
} alloc_fail_state;

/* The one state (a test binary runs one test at a time). */
extern alloc_fail_state alloc_fail;

/* Counts calls from now on and fails call `fail_at` (and, sticky, every
 * later one); SIZE_MAX fails none (to count what a run makes). */
void alloc_fail_arm(size_t fail_at, bool sticky);
/* Calls pass through uncounted (alloc_fail.calls and .failed stay). */
void alloc_fail_disarm(void);
/* Counting (and failing) again from where disarm stopped: around the
 * test's own calls in the middle of a run. */
void alloc_fail_resume(void);

/* Real allocations, whatever the state (for the test's own use). */
void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);

#endif
