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

/* A recording imported as `run --quiet` imports it (its ops visited, its
 * pointer slots named only when asked) gives the same verdict, the same
 * slots and the same names as the import that keeps its ops. The first
 * 512 names only: each name asked scans the slots before it. */
static void check_names_on_demand(const char *bytes, size_t size, bool eager_ok, const script *eager)
{
	script s;
	script_init(&s);
	diag_list d;
	diag_list_init(&d);
	trace_extra x;
	trace_extra_init(&x);
	x.visit = ignore_op;
	x.names_on_demand = true;
	bool ok = trace_import(TRACE_FORMAT_RECORDING, "fuzz.input", bytes, size, &s, &d, &x);
	if (ok != eager_ok)
		abort();
	if (x.visited) {
		if (s.slot_count != eager->slot_count)
			abort();
		size_t n = s.slot_count < 512 ? s.slot_count : 512;
		for (size_t i = 0; i < n; i++)
			if (strcmp(script_slot_name(&s, (sim_slot)i), script_slot_name(eager, (sim_slot)i)) != 0)
				abort();
	}
	trace_extra_release(&x);
	diag_list_release(&d);
	script_release(&s);
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
	script s;
	script_init(&s);
	diag_list d;
	diag_list_init(&d);
	trace_extra x;
	trace_extra_init(&x);
	bool ok = trace_import(format, "fuzz.input", bytes, size, &s, &d, &x);
	for (size_t i = 0; i < s.op_count; i++) {
		const sim_op *op = &s.ops[i];
		if (op->slot != SIM_NO_SLOT && op->slot >= s.slot_count)
			abort();
		if (op->arg_slot != SIM_NO_SLOT && op->arg_slot >= s.slot_count)
			abort();
		if ((op->kind == SIM_OP_MALLOC || op->kind == SIM_OP_FREE) && op->slot == SIM_NO_SLOT)
			abort();
	}
	if (x.recorded && x.recorded_count != s.op_count)
		abort();
	/* Every diagnostic renders (the CLI does this with the same bytes). */
	for (size_t i = 0; i < d.count; i++)
		free(diag_render(&d.items[i], "fuzz.input", bytes, size));
	if (format == TRACE_FORMAT_RECORDING)
		check_names_on_demand(bytes, size, ok, &s);
	trace_extra_release(&x);
	diag_list_release(&d);
	script_release(&s);
	return 0;
}
