/* fuzz_import.c — one trace importer, chosen at build time with
 * -DFUZZ_FORMAT=TRACE_FORMAT_...; TRACE_FORMAT_UNKNOWN means "detect the
 * format first, as the CLI does" (which reaches every importer). Also
 * checks the importers' own promises: the script's invariants hold, the
 * recorded array is parallel to the ops, and a recording's slots are
 * named alike whether named as made or when asked. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace/trace.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT TRACE_FORMAT_UNKNOWN
#endif

static bool ignore_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	(void)context, (void)op, (void)line, (void)rec;
	return true;
}

/* One import's script, diagnostics and extras (ready for trace_import). */
typedef struct import_out {
	script s;
	diag_list d;
	trace_extra x;
} import_out;

static void import_out_init(import_out *o)
{
	script_init(&o->s);
	diag_list_init(&o->d);
	trace_extra_init(&o->x);
}

static void import_out_release(import_out *o)
{
	trace_extra_release(&o->x);
	diag_list_release(&o->d);
	script_release(&o->s);
}

/* A recording imported as `run --quiet` imports it (its ops visited, its
 * pointer slots named only when asked) gives the same verdict, the same
 * slots and the same names as the import that keeps its ops. The first
 * 512 names only: each name asked scans the slots before it. */
static void check_names_on_demand(const char *bytes, size_t size, bool eager_ok, const script *eager)
{
	import_out o;
	import_out_init(&o);
	o.x.visit = ignore_op;
	o.x.names_on_demand = true;
	bool ok = trace_import(TRACE_FORMAT_RECORDING, "fuzz.input", bytes, size, &o.s, &o.d, &o.x);
	if (ok != eager_ok)
		abort();
	if (o.x.visited) {
		if (o.s.slot_count != eager->slot_count)
			abort();
		size_t n = o.s.slot_count < 512 ? o.s.slot_count : 512;
		for (size_t i = 0; i < n; i++)
			if (strcmp(script_slot_name(&o.s, (sim_slot)i), script_slot_name(eager, (sim_slot)i)) != 0)
				abort();
	}
	import_out_release(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	trace_format format = FUZZ_FORMAT;
	if (format == TRACE_FORMAT_UNKNOWN) {
		format = trace_detect("fuzz.input", bytes, size);
		if (format == TRACE_FORMAT_UNKNOWN)
			format = TRACE_FORMAT_LTRACE; /* the most permissive reader */
	}
	import_out o;
	import_out_init(&o);
	bool ok = trace_import(format, "fuzz.input", bytes, size, &o.s, &o.d, &o.x);
	for (size_t i = 0; i < o.s.op_count; i++) {
		const sim_op *op = &o.s.ops[i];
		if (op->slot != SIM_NO_SLOT && op->slot >= o.s.slot_count)
			abort();
		if (op->arg_slot != SIM_NO_SLOT && op->arg_slot >= o.s.slot_count)
			abort();
		if ((op->kind == SIM_OP_MALLOC || op->kind == SIM_OP_FREE) && op->slot == SIM_NO_SLOT)
			abort();
	}
	if (o.x.recorded && o.x.recorded_count != o.s.op_count)
		abort();
	/* Every diagnostic renders (the CLI does this with the same bytes). */
	for (size_t i = 0; i < o.d.count; i++)
		free(diag_render(&o.d.items[i], "fuzz.input", bytes, size));
	if (format == TRACE_FORMAT_RECORDING)
		check_names_on_demand(bytes, size, ok, &o.s);
	import_out_release(&o);
	return 0;
}
