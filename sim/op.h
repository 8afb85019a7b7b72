/* op.h — one call the simulated program makes to the allocator.
 *
 * Front ends (the scenario parser, trace importers) turn their input into
 * an array of ops; the model consumes ops one at a time. Must not: carry
 * names or source positions (scripts keep those beside the ops). */
#ifndef BRKSIM_SIM_OP_H
#define BRKSIM_SIM_OP_H

#include <string.h>

#include "types.h"

typedef enum sim_op_kind {
	SIM_OP_MALLOC = 0, /* slot = malloc(size) */
	SIM_OP_CALLOC,     /* slot = calloc(nmemb, size) */
	SIM_OP_REALLOC,    /* slot = realloc(arg_slot, size); arg_slot may be SIM_NO_SLOT (NULL) */
	SIM_OP_FREE,       /* free(slot) */
	SIM_OP_MEMALIGN,   /* slot = memalign(align, size), or another call of that family (align_api) */
	SIM_OP_TRIM,       /* malloc_trim(size) */
	SIM_OP_MALLOPT,    /* mallopt(param, value) */
	SIM_OP_THREAD_START, /* pthread_create: `thread` starts thread number `value` (which allocates nothing
	                        itself: a front end that wants its DTV adds the calloc) */
	SIM_OP_THREAD_EXIT,  /* `thread` returns: its tcache goes back, it leaves its arena */
	SIM_OP_FORK,         /* `thread` calls fork and the trace goes on in the child: that thread is its
	                        main thread (number 0 from here on), the others are gone */
	SIM_OP_SBRK,         /* the program's own sbrk(value): the break moves by `value` bytes (signed),
	                        outside malloc, which finds it moved at its next growth or trim */
	SIM_OP_KIND_COUNT
} sim_op_kind;

/* mallopt parameter numbers as in <malloc.h>. */
enum {
	SIM_M_MXFAST = 1,
	SIM_M_TRIM_THRESHOLD = -1,
	SIM_M_TOP_PAD = -2,
	SIM_M_MMAP_THRESHOLD = -3,
	SIM_M_MMAP_MAX = -4,
	SIM_M_CHECK_ACTION = -5, /* accepted, no effect on the heap */
	SIM_M_PERTURB = -6,
	SIM_M_ARENA_TEST = -7,
	SIM_M_ARENA_MAX = -8,
};

/* The errno values the model reports (Linux's): posix_memalign returns
 * them (sim_result.value). */
enum { SIM_ENOMEM = 12, SIM_EINVAL = 22 };

/* Which call a SIM_OP_MEMALIGN is: they differ in what they accept and
 * in what they do before _mid_memalign. */
typedef enum sim_align_api {
	SIM_ALIGN_MEMALIGN = 0,    /* memalign (align, size) */
	SIM_ALIGN_ALIGNED_ALLOC,   /* aligned_alloc: from 2.38 a non-power-of-two alignment fails */
	SIM_ALIGN_POSIX_MEMALIGN,  /* posix_memalign: returns EINVAL (nothing done) unless the alignment is a
	                              power of two times sizeof (void *), ENOMEM when the allocation fails;
	                              the slot then keeps what it held (sim_result: ret_kind NULL, value
	                              the error) */
	SIM_ALIGN_VALLOC,          /* valloc (size): `align` is ignored (a page) */
	SIM_ALIGN_PVALLOC,         /* pvalloc (size): `size` is the argument; the model rounds it as the
	                              profile's glibc does (`align` is ignored) */
	SIM_ALIGN_API_COUNT
} sim_align_api;

/* 32 bytes, not 64: a trace holds millions of these (the fields only one kind
 * uses share their storage; the kind and the thread share a word: 40
 * bytes until session 13, 10 MB more for a 1.29M-call recording). */
typedef struct sim_op {
	sim_op_kind kind : 8;
	/* the calling thread: 0 is the main thread; numbers are dense, chosen
	 * by the front end, up to SIM_THREAD_MAX (a number is used again after
	 * its thread exits); a front end checks a number before it stores it
	 * (24 bits hold SIM_THREAD_MAX and more, not any uint32_t) */
	uint32_t thread : 24;
	sim_slot slot;     /* result / freed pointer */
	sim_slot arg_slot; /* realloc's input pointer; SIM_NO_SLOT otherwise */
	union {
		int32_t param;      /* mallopt parameter */
		uint32_t align_api; /* memalign: sim_align_api */
	};
	uint64_t size; /* request bytes; malloc_trim pad */
	union {
		uint64_t nmemb; /* calloc element count */
		uint64_t align; /* memalign alignment */
		int64_t value;  /* mallopt value */
	};
} sim_op;
_Static_assert(sizeof(sim_op) == 32, "a trace holds millions of ops");

#define SIM_THREAD_MAX 65535u
/* What sim_op.thread holds (front ends store checked numbers masked:
 * the mask says so to the compiler) */
#define SIM_OP_THREAD_MASK 0xffffffu

/* An op of `kind` with no slots (SIM_NO_SLOT) and every other field 0
 * (padding too, so ops compare with memcmp); front ends fill in the rest.
 * Inline: the .ops parser makes one a line, and the call was 5 % of
 * run --quiet of a million-op trace. */
static inline sim_op sim_op_blank(sim_op_kind kind)
{
	sim_op op;
	memset(&op, 0, sizeof op);
	op.kind = kind;
	op.slot = SIM_NO_SLOT;
	op.arg_slot = SIM_NO_SLOT;
	return op;
}

const char *sim_op_kind_name(sim_op_kind kind); /* "malloc", "free", ... */
/* "memalign", "aligned_alloc", "posix_memalign", "valloc", "pvalloc"
 * (memalign for an unknown value). */
const char *sim_align_api_name(uint32_t api);
/* A SIM_OP_MEMALIGN as the C call: "posix_memalign(64, 100)", "valloc(100)"
 * (posix_memalign's out-pointer left out). snprintf's contract. */
int sim_op_align_call(const sim_op *op, char *buf, size_t size);
/* <malloc.h>'s name of the five parameters that shape the heap
 * (SIM_M_MXFAST .. SIM_M_MMAP_MAX: "M_TOP_PAD", ...); NULL for any other
 * number, which callers print as the number. */
const char *sim_mallopt_param_name(int64_t param);

#endif
