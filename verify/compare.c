/* compare.c — model vs real, op by op (see compare.h).
 *
 * Owns: the per-field comparison rules. Must not: do I/O. */
#include "compare.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void compare_report_init(compare_report *report)
{
	memset(report, 0, sizeof *report);
	sim_events_init(&report->first.events);
}

void compare_report_release(compare_report *report)
{
	sim_events_release(&report->first.events);
	compare_report_init(report);
}

const char *compare_field_name(compare_field field)
{
	switch (field) {
	case COMPARE_RET: return "ret";
	case COMPARE_BRK: return "brk";
	case COMPARE_TOP: return "top";
	case COMPARE_RSS: return "rss";
	case COMPARE_VALUE: return "value";
	case COMPARE_ABORT: return "abort";
	case COMPARE_ARENAS: return "arenas";
	case COMPARE_ALL: break;
	}
	return "?";
}

static bool returns_value(const sim_op *op)
{
	/* (sbrk's: the break it returned, as an offset, or -1) */
	return op->kind == SIM_OP_TRIM || op->kind == SIM_OP_MALLOPT || op->kind == SIM_OP_SBRK;
}

/* The model's arena column: arenas 1.. as the replayer reports them. */
static size_t model_arenas(const sim_heap *heap, ops_arena *out, size_t max)
{
	size_t n = sim_heap_arena_count(heap);
	size_t k = 0;
	for (size_t i = 1; i < n && k < max; i++) {
		sim_arena_info a;
		sim_heap_arena(heap, i, &a);
		out[k++] = (ops_arena){a.heaps, a.size, a.top_size, true, a.resident_pages};
	}
	return n > 0 ? n - 1 : 0;
}

/* One arena of the model's column (x) against the real one's (y). */
static inline bool same_arena(const ops_arena *x, const ops_arena *y, bool rss)
{
	return x->heaps == y->heaps && x->size == y->size && x->top == y->top && !(rss && y->rss_known && x->rss != y->rss);
}

/* The model's arena column `mine` (count n) against the real line's. */
static bool same_column(const ops_arena *mine, size_t n, const ops_result *r, const ops_results *rr, bool rss)
{
	if (n != r->arena_count)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!same_arena(&mine[i], &rr->arenas[r->arena_first + i], rss))
			return false;
	return true;
}

static bool same_arenas(const sim_heap *heap, const ops_result *r, const ops_results *rr, bool rss)
{
	static_assert(sizeof(ops_arena) < 64, "a small record");
	ops_arena mine[64];
	size_t n = sim_heap_arena_count(heap) - 1;
	if (n != r->arena_count)
		return false;
	for (size_t base = 0; base < n; base += 64) {
		size_t k = 0;
		for (size_t i = base; i < n && k < 64; i++, k++) {
			sim_arena_info a;
			sim_heap_arena(heap, i + 1, &a);
			mine[k] = (ops_arena){a.heaps, a.size, a.top_size, true, a.resident_pages};
		}
		for (size_t i = 0; i < k; i++)
			if (!same_arena(&mine[i], &rr->arenas[r->arena_first + base + i], rss))
				return false;
	}
	return true;
}

/* A posix_memalign the model says fails: it returns an error (the
 * replayer's `=N`), not a pointer. */
static bool posix_failed(const sim_op *op, const sim_result *m)
{
	return op->kind == SIM_OP_MEMALIGN && op->align_api == SIM_ALIGN_POSIX_MEMALIGN && m->ret_kind == SIM_RET_NULL &&
	       m->value != 0;
}

/* Field bits other than ARENAS in which one completed step differs. */
static unsigned diff_result(const sim_op *op, const sim_result *m, const ops_result *r, unsigned fields)
{
	unsigned diff = 0;
	if ((fields & COMPARE_RET) && posix_failed(op, m)) {
		if (r->ret_kind != SIM_RET_NONE || !r->has_value || r->value != m->value)
			diff |= COMPARE_RET;
	} else if (fields & COMPARE_RET) {
		sim_ret_kind mk = returns_value(op) ? SIM_RET_NONE : m->ret_kind;
		if (mk != r->ret_kind || (mk == SIM_RET_HEAP && m->ret != r->ret) ||
		    (mk == SIM_RET_ARENA &&
		     (m->ret_arena != r->ret_arena || m->ret_heap != r->ret_heap || m->ret_offset != r->ret)))
			diff |= COMPARE_RET;
	}
	if ((fields & COMPARE_BRK) && m->brk != r->brk)
		diff |= COMPARE_BRK;
	if ((fields & COMPARE_TOP) && r->top_known && m->top_size != r->top)
		diff |= COMPARE_TOP;
	if ((fields & COMPARE_RSS) && r->rss_known && m->resident_pages != r->rss)
		diff |= COMPARE_RSS;
	if ((fields & COMPARE_VALUE) && returns_value(op) && (!r->has_value || r->value != m->value))
		diff |= COMPARE_VALUE;
	return diff;
}

/* Field bits in which one completed step differs. */
static unsigned diff_step(const sim_heap *heap, const sim_op *op, const sim_result *m, const ops_result *r,
                          const ops_results *rr, unsigned fields)
{
	unsigned diff = diff_result(op, m, r, fields);
	if ((fields & COMPARE_ARENAS) && r->has_arenas && !same_arenas(heap, r, rr, (fields & COMPARE_RSS) != 0))
		diff |= COMPARE_ARENAS;
	return diff;
}

/* The reason of the model's abort event among events (SIM_ABORT_REASON_COUNT: none). */
static sim_abort_reason abort_reason(const sim_events *events)
{
	for (size_t i = 0; i < events->count; i++)
		if (events->items[i].kind == SIM_EV_ABORT)
			return (sim_abort_reason)events->items[i].detail;
	return SIM_ABORT_REASON_COUNT;
}

static bool record_divergence(compare_report *out, const sim_heap *heap, size_t step, unsigned mismatch,
                              const sim_result *m, const ops_result *r, const ops_results *rr,
                              const sim_events *events)
{
	out->diverged = true;
	out->first.step = step;
	out->first.mismatch = mismatch;
	out->first.model = *m;
	out->first.real_present = r != NULL;
	out->first.model_arenas[0] = out->first.real_arenas[0] = '\0';
	if (r)
		out->first.real = *r;
	if (r && r->has_arenas) {
		ops_arena mine[64];
		size_t n = model_arenas(heap, mine, 64);
		ops_arenas_format(mine, n < 64 ? n : 64, out->first.model_arenas, sizeof out->first.model_arenas);
		ops_arenas_format(rr->arenas + r->arena_first, r->arena_count, out->first.real_arenas,
		                  sizeof out->first.real_arenas);
	}
	sim_events_clear(&out->first.events);
	for (size_t i = 0; i < events->count; i++)
		if (!sim_events_push(&out->first.events, events->items[i]))
			return false;
	return true;
}

/* The model's events at op `step` (0-based), from a run of its own: the
 * comparison runs the model without events (they cost it about half
 * again), and needs them only where it stops or first diverges. The
 * model is deterministic: the same ops from the same config make the
 * same step. False when out of memory. */
static bool events_at(const sim_config *config, const sim_op *ops, size_t step, sim_events *events)
{
	sim_events_clear(events);
	sim_heap *heap = sim_heap_new(config);
	bool ok = heap != NULL;
	for (size_t i = 0; ok && i <= step; i++) {
		sim_result r;
		ok = sim_heap_step(heap, &ops[i], i == step ? events : NULL, &r);
	}
	sim_heap_free(heap);
	return ok;
}

bool compare_run(const sim_config *config, const sim_op *ops, size_t count, const compare_real *real,
                 unsigned fields, compare_report *out)
{
	out->ops_total = count;
	sim_heap *heap = sim_heap_new(config);
	if (!heap) {
		out->out_of_memory = true;
		return false;
	}
	sim_events events;
	sim_events_init(&events);
	bool ok = true;
	const ops_results *rr = real->results;
	for (size_t i = 0; i < count; i++) {
		sim_result m;
		if (!sim_heap_step(heap, &ops[i], NULL, &m)) {
			out->out_of_memory = true;
			ok = false;
			break;
		}
		if (m.aborted) {
			/* The model says glibc aborts in this op: the real run must
			 * have died here with the same message. */
			out->model_aborted = true;
			if (!events_at(config, ops, i, &events)) {
				out->out_of_memory = true;
				ok = false;
				break;
			}
			/* an abort with glibc's message, or a crash (no message) */
			sim_abort_reason reason = abort_reason(&events);
			out->abort_reason = (uint16_t)reason;
			const char *msg = reason < SIM_ABORT_REASON_COUNT ? sim_abort_message(reason) : NULL;
			bool same = reason < SIM_ABORT_REASON_COUNT && sim_abort_is_crash(reason)
			                    ? real->crashed && rr->count == i
			                    : real->aborted && rr->count == i &&
			                              (!(fields & COMPARE_ABORT) ||
			                               (msg && real->abort_message && strstr(real->abort_message, msg) != NULL));
			if (same) {
				out->ops_compared++;
				out->ops_matched++;
			} else if (!out->diverged) {
				const ops_result *r = i < rr->count ? &rr->items[i] : NULL;
				ok = record_divergence(out, heap, i, COMPARE_ABORT, &m, r, rr, &events);
			}
			break;
		}
		if (i >= rr->count) {
			/* The real run ended (glibc aborted) where the model went on. */
			if (!out->diverged)
				ok = events_at(config, ops, i, &events) &&
				     record_divergence(out, heap, i, COMPARE_ABORT, &m, NULL, rr, &events);
			break;
		}
		out->ops_compared++;
		unsigned diff = diff_step(heap, &ops[i], &m, &rr->items[i], rr, fields);
		if (diff == 0) {
			out->ops_matched++;
		} else if (!out->diverged) {
			if (!events_at(config, ops, i, &events) ||
			    !record_divergence(out, heap, i, diff, &m, &rr->items[i], rr, &events)) {
				out->out_of_memory = true;
				ok = false;
				break;
			}
		}
	}
	sim_events_release(&events);
	sim_heap_free(heap);
	return ok;
}

void compare_format_model(const sim_op *op, const sim_result *r, char *buf, size_t size)
{
	char ret[40];
	if (r->aborted)
		snprintf(ret, sizeof ret, "abort");
	else if (returns_value(op) || posix_failed(op, r))
		snprintf(ret, sizeof ret, "=%" PRId64, r->value);
	else if (r->ret_kind == SIM_RET_HEAP)
		snprintf(ret, sizeof ret, "0x%" PRIx64, r->ret);
	else if (r->ret_kind == SIM_RET_ARENA)
		snprintf(ret, sizeof ret, "A%" PRIu32 ".%" PRIu32 "+0x%" PRIx64, r->ret_arena, r->ret_heap, r->ret_offset);
	else
		snprintf(ret, sizeof ret, "%s",
		         r->ret_kind == SIM_RET_MMAP ? "mmap" : r->ret_kind == SIM_RET_NULL ? "null" : "-");
	snprintf(buf, size, "%s 0x%" PRIx64 " 0x%" PRIx64 " %zu", ret, r->brk, r->top_size, r->resident_pages);
}

bool compare_logged_begin(compare_logged_pass *p, const model_log *log, const sim_op *ops, size_t count,
                          unsigned fields)
{
	memset(p, 0, sizeof *p);
	if (log->failed || log->count < count)
		return false;
	model_log_reader_init(&p->reader, log);
	p->ops = ops;
	p->count = count;
	p->fields = fields;
	p->all = true;
	p->begun = true;
	return true;
}

void compare_logged_lines(compare_logged_pass *p, const ops_results *lines)
{
	bool rss = (p->fields & COMPARE_RSS) != 0;
	for (size_t k = 0; p->all && k < lines->count && p->done < p->count; k++, p->done++) {
		sim_result m;
		const ops_result *r = &lines->items[k];
		p->all = model_log_next(&p->reader, &m) && diff_result(&p->ops[p->done], &m, r, p->fields) == 0 &&
		         (!(p->fields & COMPARE_ARENAS) || !r->has_arenas ||
		          same_column(p->reader.column, p->reader.column_count, r, lines, rss));
	}
}

bool compare_logged_end(compare_logged_pass *p, compare_report *out)
{
	if (!p->begun)
		return false;
	model_log_reader_release(&p->reader);
	p->begun = false;
	if (!p->all || p->done < p->count)
		return false;
	/* what compare_run says when the model steps every op without an
	 * abort and each matches */
	out->ops_total = p->count;
	out->ops_compared = p->count;
	out->ops_matched = p->count;
	return true;
}

bool compare_logged(const model_log *log, const sim_op *ops, size_t count, const compare_real *real, unsigned fields,
                    compare_report *out)
{
	compare_logged_pass p;
	if (real->results->count < count || !compare_logged_begin(&p, log, ops, count, fields))
		return false;
	compare_logged_lines(&p, real->results);
	return compare_logged_end(&p, out);
}
