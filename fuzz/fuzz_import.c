/* fuzz_import.c — one trace importer, chosen at build time with
 * -DFUZZ_FORMAT=TRACE_FORMAT_...; TRACE_FORMAT_UNKNOWN means "detect the
 * format first, as the CLI does" (which reaches every importer). Also
 * checks the importers' own promises: the script's invariants hold, the
 * recorded array is parallel to the ops, and every format's ops are the
 * same whether kept or handed to a visitor as made, their slots named
 * alike whether named as made or when asked. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace/trace.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT TRACE_FORMAT_UNKNOWN
#endif

/* The ops handed to a visitor, and their recorded results. */
typedef struct visited_ops {
	sim_op *ops;
	trace_recorded *recs;
	size_t count, cap;
} visited_ops;

static bool keep_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	(void)line;
	visited_ops *v = context;
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		sim_op *ops = realloc(v->ops, cap * sizeof *ops);
		if (!ops)
			abort();
		v->ops = ops;
		trace_recorded *recs = realloc(v->recs, cap * sizeof *recs);
		if (!recs)
			abort();
		v->recs = recs;
		v->cap = cap;
	}
	v->ops[v->count] = *op;
	v->recs[v->count++] = *rec;
	return true;
}

static bool same_op(const sim_op *a, const sim_op *b)
{
	return a->kind == b->kind && a->thread == b->thread && a->slot == b->slot && a->arg_slot == b->arg_slot &&
	       a->align_api == b->align_api && a->size == b->size && a->nmemb == b->nmemb;
}

static bool same_recorded(const trace_recorded *a, const trace_recorded *b)
{
	return a->ret_kind == b->ret_kind && a->has_brk == b->has_brk && a->has_value == b->has_value &&
	       a->ret == b->ret && a->brk == b->brk && a->value == b->value;
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

/* A trace imported as `run --quiet` imports it (its ops visited, its
 * slots named after pointers or ids named only when asked) gives the
 * same verdict, the same slots and the same names as the import that
 * keeps its ops, and (but a recording, whose visited ops are kept
 * nowhere) the same ops and recorded results. The first 512 names only: each name
 * asked scans the slots before it. */
static void check_names_on_demand(trace_format format, const char *bytes, size_t size, bool eager_ok,
                                  const import_out *eager)
{
	import_out o;
	import_out_init(&o);
	visited_ops v = {0};
	o.x.visit = keep_op;
	o.x.visit_context = &v;
	o.x.names_on_demand = true;
	bool ok = trace_import(format, "fuzz.input", bytes, size, &o.s, &o.d, &o.x);
	if (ok != eager_ok)
		abort();
	if (o.x.visited) {
		if (o.s.slot_count != eager->s.slot_count)
			abort();
		size_t n = o.s.slot_count < 512 ? o.s.slot_count : 512;
		for (size_t i = 0; i < n; i++)
			if (strcmp(script_slot_name(&o.s, (sim_slot)i), script_slot_name(&eager->s, (sim_slot)i)) != 0)
				abort();
		if (format != TRACE_FORMAT_RECORDING) {
			if (v.count != eager->s.op_count || o.s.op_count != 0)
				abort();
			for (size_t i = 0; i < v.count; i++)
				if (!same_op(&v.ops[i], &eager->s.ops[i]) ||
				    (eager->x.recorded && !same_recorded(&v.recs[i], &eager->x.recorded[i])))
					abort();
		}
	}
	free(v.ops);
	free(v.recs);
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
	if (format != TRACE_FORMAT_UNKNOWN)
		check_names_on_demand(format, bytes, size, ok, &o);
	import_out_release(&o);
	return 0;
}
