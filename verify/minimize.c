/* minimize.c — delta debugging of diverging traces (see minimize.h).
 *
 * Owns: ddmin, repair, renumbering, size rounding. Must not: do I/O. */
#include "minimize.h"

#include <stdlib.h>
#include <string.h>

/* A growable set of live slots, indexed by slot number. */
typedef struct live_set {
	bool *live;
	size_t cap;
} live_set;

static bool live_grow(live_set *s, sim_slot slot)
{
	if (slot < s->cap)
		return true;
	size_t cap = s->cap ? s->cap : 64;
	while (cap <= slot)
		cap *= 2;
	bool *l = realloc(s->live, cap * sizeof *l);
	if (!l)
		return false;
	memset(l + s->cap, 0, (cap - s->cap) * sizeof *l);
	s->live = l;
	s->cap = cap;
	return true;
}

static bool is_live(const live_set *s, sim_slot slot)
{
	return slot != SIM_NO_SLOT && slot < s->cap && s->live[slot];
}

static void set_live(live_set *s, sim_slot slot, bool v)
{
	if (slot != SIM_NO_SLOT && live_grow(s, slot))
		s->live[slot] = v;
}

size_t minimize_repair(sim_op *ops, size_t count)
{
	live_set s = {NULL, 0};
	size_t out = 0;
	for (size_t i = 0; i < count; i++) {
		sim_op op = ops[i];
		bool keep = true;
		switch (op.kind) {
		case SIM_OP_MALLOC:
		case SIM_OP_CALLOC:
		case SIM_OP_MEMALIGN:
			/* Allocating into a live slot would leak it and make a
			 * later free of the slot ambiguous: drop it instead. */
			if (is_live(&s, op.slot))
				keep = false;
			else
				set_live(&s, op.slot, true);
			break;
		case SIM_OP_REALLOC:
			if (op.arg_slot != SIM_NO_SLOT && !is_live(&s, op.arg_slot)) {
				keep = false;
			} else if (op.slot != op.arg_slot && is_live(&s, op.slot)) {
				keep = false;
			} else {
				set_live(&s, op.arg_slot, false);
				if (op.size > 0 || op.arg_slot == SIM_NO_SLOT)
					set_live(&s, op.slot, true);
			}
			break;
		case SIM_OP_FREE:
			if (!is_live(&s, op.slot))
				keep = false;
			else
				set_live(&s, op.slot, false);
			break;
		default:
			break;
		}
		if (keep)
			ops[out++] = op;
	}
	free(s.live);
	return out;
}

void minimize_renumber(sim_op *ops, size_t count)
{
	/* Map old slot -> new slot through a small open table. */
	size_t cap = 64;
	sim_slot *old = malloc(cap * sizeof *old);
	size_t used = 0;
	if (!old)
		return;
	for (size_t i = 0; i < count; i++) {
		sim_slot *fields[2] = {&ops[i].slot, &ops[i].arg_slot};
		for (int f = 0; f < 2; f++) {
			sim_slot v = *fields[f];
			if (v == SIM_NO_SLOT)
				continue;
			size_t j = 0;
			while (j < used && old[j] != v)
				j++;
			if (j == used) {
				if (used == cap) {
					sim_slot *o = realloc(old, cap * 2 * sizeof *o);
					if (!o) {
						free(old);
						return;
					}
					old = o;
					cap *= 2;
				}
				old[used++] = v;
			}
			*fields[f] = (sim_slot)j;
		}
	}
	free(old);
}

typedef struct search {
	minimize_predicate fails;
	void *context;
	size_t tests;
	sim_op *scratch;
} search;

/* Tests ops without [from, from+len): if it still fails, commits the
 * removal into ops and returns the new count; else returns count. */
static size_t try_without(search *s, sim_op *ops, size_t count, size_t from, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < count; i++)
		if (i < from || i >= from + len)
			s->scratch[n++] = ops[i];
	n = minimize_repair(s->scratch, n);
	if (n == count)
		return count;
	s->tests++;
	if (!s->fails(s->scratch, n, s->context))
		return count;
	memcpy(ops, s->scratch, n * sizeof *ops);
	return n;
}

/* Candidate simpler values for a size, roundest first. */
static size_t simpler_sizes(uint64_t v, uint64_t *out)
{
	size_t n = 0;
	static const uint64_t units[] = {1u << 20, 65536, 4096, 1024, 256, 16};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		uint64_t r = (v / units[i]) * units[i];
		if (r != v && r > 0 && (n == 0 || out[n - 1] != r))
			out[n++] = r;
	}
	return n;
}

size_t minimize_trace(sim_op *ops, size_t count, minimize_predicate still_fails, void *context, size_t *tests)
{
	search s = {still_fails, context, 0, malloc((count ? count : 1) * sizeof *ops)};
	if (!s.scratch)
		return count;
	/* ddmin: remove chunks of decreasing size until single ops stick. */
	size_t chunk = count / 2 ? count / 2 : 1;
	for (;;) {
		bool removed = false;
		for (size_t from = 0; from < count;) {
			size_t len = chunk < count - from ? chunk : count - from;
			size_t n = try_without(&s, ops, count, from, len);
			if (n < count) {
				count = n;
				removed = true; /* retry the same position: new ops slid in */
			} else {
				from += len;
			}
		}
		if (chunk == 1 && !removed)
			break;
		if (!removed)
			chunk = chunk / 2 ? chunk / 2 : 1;
		else if (chunk > count / 2 && count / 2 > 0)
			chunk = count / 2;
	}
	/* Rounder sizes read better in a regression file. */
	for (size_t i = 0; i < count; i++) {
		if (ops[i].kind == SIM_OP_FREE || ops[i].kind == SIM_OP_MALLOPT || ops[i].size == 0)
			continue;
		uint64_t cand[8] = {0};
		size_t nc = simpler_sizes(ops[i].size, cand);
		for (size_t c = 0; c < nc; c++) {
			memcpy(s.scratch, ops, count * sizeof *ops);
			s.scratch[i].size = cand[c];
			s.tests++;
			if (still_fails(s.scratch, count, context)) {
				ops[i].size = cand[c];
				break;
			}
		}
	}
	free(s.scratch);
	if (tests)
		*tests = s.tests;
	return count;
}
