/* op.c — names of the ops and of mallopt's parameters (op.h).
 * Must not: interpret ops (heap.c does). */
#include "sim/op.h"

#include <stdio.h>
#include <string.h>

static const char *const op_kind_names[SIM_OP_KIND_COUNT] = {
	[SIM_OP_MALLOC] = "malloc",
	[SIM_OP_CALLOC] = "calloc",
	[SIM_OP_REALLOC] = "realloc",
	[SIM_OP_FREE] = "free",
	[SIM_OP_MEMALIGN] = "memalign",
	[SIM_OP_TRIM] = "malloc_trim",
	[SIM_OP_MALLOPT] = "mallopt",
	[SIM_OP_THREAD_START] = "pthread_create",
	[SIM_OP_THREAD_EXIT] = "thread exit",
	[SIM_OP_FORK] = "fork",
	[SIM_OP_SBRK] = "sbrk",
};

static const char *const align_api_names[SIM_ALIGN_API_COUNT] = {
	[SIM_ALIGN_MEMALIGN] = "memalign",
	[SIM_ALIGN_ALIGNED_ALLOC] = "aligned_alloc",
	[SIM_ALIGN_POSIX_MEMALIGN] = "posix_memalign",
	[SIM_ALIGN_VALLOC] = "valloc",
	[SIM_ALIGN_PVALLOC] = "pvalloc",
};

const char *sim_op_kind_name(sim_op_kind kind)
{
	return (unsigned)kind < SIM_OP_KIND_COUNT ? op_kind_names[kind] : "?";
}

const char *sim_align_api_name(uint32_t api)
{
	return api < SIM_ALIGN_API_COUNT ? align_api_names[api] : "memalign";
}

int sim_op_align_call(const sim_op *op, char *buf, size_t size)
{
	const char *name = sim_align_api_name(op->align_api);
	if (op->align_api == SIM_ALIGN_VALLOC || op->align_api == SIM_ALIGN_PVALLOC)
		return snprintf(buf, size, "%s(%llu)", name, (unsigned long long)op->size);
	return snprintf(buf, size, "%s(%llu, %llu)", name, (unsigned long long)op->align, (unsigned long long)op->size);
}

const char *sim_mallopt_param_name(int64_t param)
{
	switch (param) {
	case SIM_M_MXFAST: return "M_MXFAST";
	case SIM_M_TRIM_THRESHOLD: return "M_TRIM_THRESHOLD";
	case SIM_M_TOP_PAD: return "M_TOP_PAD";
	case SIM_M_MMAP_THRESHOLD: return "M_MMAP_THRESHOLD";
	case SIM_M_MMAP_MAX: return "M_MMAP_MAX";
	default: return NULL;
	}
}
