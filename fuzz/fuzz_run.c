/* fuzz_run.c — a scenario all the way through the model: parse, check the
 * expectations (as `brksim check`), step every op on a fresh heap with the
 * invariant walker (sim_heap_check) after each step, then seek the
 * timeline back and forth and compare what it shows with the stepped run.
 *
 * The other harnesses stop at the front end; this one is where a parsed
 * but odd scenario (huge sizes, mallopt extremes, double frees, memalign
 * corners) meets the model. A finding is a crash, a sanitizer report, a
 * broken heap invariant, or a seek that disagrees with stepping from
 * scratch — the timeline's promise in sim/timeline.h.
 *
 * Bounded per input: at most FUZZ_RUN_MAX_OPS ops are stepped (the parser
 * accepts a million), and the invariant walks share a budget: a walk costs
 * O(chunks + mappings), so walking after each of 4096 steps that each add a
 * live chunk is quadratic (4096 mmapped chunks: 4.2 s of CPU per input under
 * ASan, which a loaded machine stretches past the 10 s timeout). Every step
 * and every seek is walked while FUZZ_RUN_WALK_BUDGET lasts; past it, every
 * FUZZ_RUN_WALK_STRIDE-th step and the last step are walked, and only the
 * seeks to the end, the start and the kept steps are made (and walked).
 * Half the inputs seek on a timeline of packed keyframes and deltas; a
 * quarter trim every few calls (the --trim-every what-if). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lang/expect.h"
#include "lang/script.h"
#include "sim/timeline.h"

#define FUZZ_RUN_MAX_OPS 4096
/* Steps whose full state is kept to compare a seek against (0 = fresh). */
#define FUZZ_RUN_KEPT 4
/* Chunks and mappings the walks after steps may visit per input, then the
 * stride between walks (see the top of the file). */
#define FUZZ_RUN_WALK_BUDGET 262144
#define FUZZ_RUN_WALK_STRIDE 64
/* The keyframes' and the fine layer's bytes of a packing timeline. */
#define FUZZ_RUN_PACKED_BUDGET (64 << 10)

typedef struct stepped {
	sim_addr brk;
	sim_size top_size;
	sim_ret_kind ret_kind;
	sim_addr ret;
} stepped;

__attribute__((noreturn)) static void finding(const char *what, size_t step, const char *why)
{
	fprintf(stderr, "fuzz-run: %s at step %zu: %s\n", what, step, why ? why : "");
	abort();
}

/* Takes the cost of walking `h` from the input's budget; true when the
 * walk fits (or `always`). */
static bool walk_fits(const sim_heap *h, size_t *budget, bool always)
{
	size_t cost = sim_heap_chunk_count(h) + sim_heap_mmap_count(h) + 1;
	bool fits = *budget >= cost;
	*budget = fits ? *budget - cost : 0;
	return fits || always;
}

/* Seeks to `step` and compares the timeline's state with the stepped run;
 * walks the state when `always` or when the budget allows. */
static void seek_and_compare(sim_timeline *tl, size_t step, const stepped *log, sim_heap *const *kept,
                             const size_t *kept_step, sim_events *events, size_t *budget, bool always)
{
	if (!sim_timeline_seek(tl, step, NULL, events))
		return; /* out of memory: not a finding */
	const sim_heap *h = sim_timeline_state(tl);
	char why[256];
	if (walk_fits(h, budget, always) && !sim_heap_check(h, why, sizeof why))
		finding("invariant broken after a seek", step, why);
	if (sim_timeline_cursor(tl) != step)
		finding("seek landed elsewhere", step, NULL);
	if (step > 0) {
		if (sim_heap_brk(h) != log[step - 1].brk || sim_heap_top_size(h) != log[step - 1].top_size)
			finding("seek disagrees with stepping (brk/top)", step, NULL);
		sim_step_summary summary;
		const sim_step_summary *s = sim_timeline_summary(tl, step, &summary) ? &summary : NULL; /* summaries[k]: after op k-1 */
		if (s != NULL && (s->result.ret_kind != log[step - 1].ret_kind || s->result.ret != log[step - 1].ret))
			finding("timeline summary disagrees with stepping (ret)", step, NULL);
	}
	for (int k = 0; k < FUZZ_RUN_KEPT; k++)
		if (kept[k] != NULL && kept_step[k] == step && !sim_heap_equal(h, kept[k]))
			finding("seek state differs from the stepped state", step, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	script s;
	script_init(&s);
	diag_list d;
	diag_list_init(&d);
	bool parsed = script_parse(text, size, &s, &d);
	for (size_t i = 0; i < d.count; i++)
		free(diag_render(&d.items[i], "fuzz.heap", text, size));
	diag_list_release(&d);
	if (!parsed) {
		script_release(&s);
		return 0;
	}
	size_t ops = s.op_count < FUZZ_RUN_MAX_OPS ? s.op_count : FUZZ_RUN_MAX_OPS;
	size_t full_ops = s.op_count;

	/* parse -> check (only when the whole script is small enough) */
	if (full_ops <= FUZZ_RUN_MAX_OPS) {
		expect_report report;
		if (expect_check_script(&s, &s.config, &report)) {
			if (report.failed > report.count)
				finding("more failures than expectations", 0, NULL);
			expect_report_release(&report);
		}
	}

	/* a quarter of the inputs with --trim-every's what-if (every 1 to 16
	 * calls, a pad of 0 to 255 pages): its trims stepped, walked and
	 * sought like any step's work */
	if (size > 2 && (data[size - 1] & 3) == 1) {
		s.config.trim_every = 1 + data[size / 3] % 16;
		s.config.trim_pad = (sim_size)data[size / 5] * 4096;
	}

	/* every step, with the invariant walk */
	sim_heap *heap = sim_heap_new(&s.config);
	stepped *log = calloc(ops ? ops : 1, sizeof *log);
	sim_heap *kept[FUZZ_RUN_KEPT] = {NULL};
	size_t kept_step[FUZZ_RUN_KEPT] = {0};
	/* Which steps to keep whole: derived from the input, so the fuzzer
	 * can steer them, and always including the first and the last. */
	for (int k = 0; k < FUZZ_RUN_KEPT; k++)
		kept_step[k] = size > 0 && ops > 0 ? (size_t)data[(size_t)k * 7 % size] * (k + 1) % (ops + 1) : 0;
	kept_step[0] = 0;
	kept_step[FUZZ_RUN_KEPT - 1] = ops;
	sim_events events;
	sim_events_init(&events);
	size_t run = 0;
	size_t budget = FUZZ_RUN_WALK_BUDGET;
	char why[256];
	if (heap != NULL && log != NULL) {
		if (!sim_heap_check(heap, why, sizeof why))
			finding("invariant broken on a fresh heap", 0, why);
		for (int k = 0; k < FUZZ_RUN_KEPT; k++)
			if (kept_step[k] == 0)
				kept[k] = sim_heap_clone(heap);
		for (; run < ops; run++) {
			sim_result r;
			sim_events_clear(&events);
			if (!sim_heap_step(heap, &s.ops[run], &events, &r))
				break; /* out of memory */
			bool always = (run + 1) % FUZZ_RUN_WALK_STRIDE == 0 || run + 1 == ops || r.aborted;
			if (walk_fits(heap, &budget, always) && !sim_heap_check(heap, why, sizeof why))
				finding("invariant broken", run + 1, why);
			log[run] = (stepped){r.brk, r.top_size, r.ret_kind, r.ret};
			if (r.brk != sim_heap_brk(heap))
				finding("result brk differs from the heap's", run + 1, NULL);
			for (int k = 0; k < FUZZ_RUN_KEPT; k++)
				if (kept[k] == NULL && kept_step[k] == run + 1)
					kept[k] = sim_heap_clone(heap);
			if (r.aborted) {
				run++;
				break;
			}
		}
	}

	/* seeks: to the end, back to the start, to every kept step, then a
	 * walk steered by the input's bytes */
	/* half the inputs (by a byte of their own) on a timeline whose every
	 * keyframe is packed, most of them deltas of the one before, in a
	 * budget so small that deltas are merged as it thins them: the
	 * codecs of keyframe_pack.c and keyframe_maps.c, the marker and the
	 * chains' restores meet every odd state the fuzzer makes */
	bool packing = size > 0 && (data[size / 2] & 1) != 0;
	sim_timeline *tl = log == NULL ? NULL
	                   : packing   ? sim_timeline_new_packing(&s.config, s.ops, ops, FUZZ_RUN_PACKED_BUDGET,
	                                                          FUZZ_RUN_PACKED_BUDGET, 0)
	                               : sim_timeline_new(&s.config, s.ops, ops);
	if (tl != NULL) {
		size_t len = sim_timeline_length(tl);
		if (heap != NULL && len != run)
			finding("timeline length differs from the stepped run", len, NULL);
		seek_and_compare(tl, len, log, kept, kept_step, &events, &budget, true);
		seek_and_compare(tl, 0, log, kept, kept_step, &events, &budget, true);
		for (int k = 0; k < FUZZ_RUN_KEPT; k++)
			if (kept_step[k] <= len)
				seek_and_compare(tl, kept_step[k], log, kept, kept_step, &events, &budget, true);
		/* the steered and backward seeks only while the budget lasts: each
		 * one copies a whole state (sim_heap_copy), as costly as a walk */
		for (size_t i = 0; i < size && i < 64 && len > 0 && budget > 0; i++)
			seek_and_compare(tl, (size_t)data[size - 1 - i] * 131 % (len + 1), log, kept, kept_step, &events,
			                 &budget, false);
		for (size_t k = len; k > 0 && len - k < 64 && budget > 0; k--)
			seek_and_compare(tl, k - 1, log, kept, kept_step, &events, &budget, false);
		sim_timeline_free(tl);
	}

	sim_events_release(&events);
	for (int k = 0; k < FUZZ_RUN_KEPT; k++)
		if (kept[k] != NULL)
			sim_heap_free(kept[k]);
	free(log);
	if (heap != NULL)
		sim_heap_free(heap);
	script_release(&s);
	return 0;
}
