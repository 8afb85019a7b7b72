/* op.c — names of the ops (op.h). Must not: interpret ops (heap.c does). */
#include "sim/op.h"

static const char *const op_kind_names[SIM_OP_KIND_COUNT] = {
	[SIM_OP_MALLOC] = "malloc",
	[SIM_OP_CALLOC] = "calloc",
	[SIM_OP_REALLOC] = "realloc",
	[SIM_OP_FREE] = "free",
	[SIM_OP_MEMALIGN] = "memalign",
	[SIM_OP_TRIM] = "malloc_trim",
	[SIM_OP_MALLOPT] = "mallopt",
};

const char *sim_op_kind_name(sim_op_kind kind)
{
	return (unsigned)kind < SIM_OP_KIND_COUNT ? op_kind_names[kind] : "?";
}
