/* run.c — `brksim run`: the step loop and the helpers printers share.
 *
 * Runs every op through a fresh model (no timeline: a plain forward run is
 * the fastest way through a million-op trace), hands the steps inside
 * --from/--to to the chosen printer, and stops early at --to or at the
 * first --break-on match. A .ops trace is streamed (load_file_streamed:
 * its ops come from its text as they run, no op array); other files and
 * --report run from the loaded script. Must not: format output itself beyond the
 * shared helpers below. */
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lang/break_on.h"
#include "op_pack.h"
#include "report.h"
#include "sim/append.h"

const char *run_slot_namer(const void *context, sim_slot slot)
{
	return script_slot_name(context, slot);
}

void run_format_stack(const describe_names *names, size_t index, char *buf, size_t size)
{
	buf[0] = '\0';
	const trace_stacks *st = names->stacks;
	uint32_t stack = st ? trace_stacks_op_stack(st, index) : TRACE_NO_STACK;
	if (stack == TRACE_NO_STACK || stack >= st->stack_count)
		return;
	size_t len = 0;
	for (uint32_t i = 0; i < st->stack_len[stack] && len + 1 < size; i++) {
		uint32_t f = st->stack_frames[st->stack_first[stack] + i];
		for (unsigned l = 0; l < trace_stacks_frame_levels(st, f) && len + 1 < size; l++) {
			if (len > 0)
				len += (size_t)snprintf(buf + len, size - len, " < ");
			if (len + 1 < size)
				len += (size_t)trace_stacks_frame_text(st, f, l, buf + len, size - len);
		}
	}
	if (len >= size)
		buf[size - 1] = '\0';
}

/* The slot's name, "NULL" for no slot (script_slot_name says "?" for an unknown one). */
static const char *name_or_null(const script *s, sim_slot slot)
{
	return slot == SIM_NO_SLOT ? "NULL" : script_slot_name(s, slot);
}

/* In a thread's call its own names lose the thread's prefix: the line
 * starts with "worker[3]: " already ("worker[3]: buf = malloc(65536)",
 * not "worker[3]: worker[3].buf = ..."); another thread's keep it. */
static const char *own_name(const script *s, const sim_op *op, size_t index, sim_slot slot)
{
	const char *name = name_or_null(s, slot);
	const char *tn = op->thread != 0 ? script_thread_name_at(s, op->thread, index) : NULL;
	size_t n = tn ? strlen(tn) : 0;
	if (tn && strncmp(name, tn, n) == 0 && name[n] == '.')
		return name + n + 1;
	return name;
}

void run_format_op(const script *s, const sim_op *op, size_t index, char *buf, size_t size)
{
	unsigned long long n = op->size;
	if (op->thread != 0 && size > 0) {
		/* "worker[3]: buf = malloc(65536)"; a recording's T1234 is the
		 * thread that had the number at this op (numbers are reused) */
		const char *tn = script_thread_name_at(s, op->thread, index);
		size_t k = tn ? sim_append_snprintf(buf, size, "%s: ", tn)
			      : sim_append_snprintf(buf, size, "thread %u: ", op->thread);
		if (k > 0 && k < size) {
			buf += k;
			size -= k;
		}
	}
	switch (op->kind) {
	case SIM_OP_MALLOC:
		sim_append_snprintf(buf, size, "%s = malloc(%llu)", own_name(s, op, index, op->slot), n);
		break;
	case SIM_OP_CALLOC:
		sim_append_snprintf(buf, size, "%s = calloc(%llu, %llu)", own_name(s, op, index, op->slot), (unsigned long long)op->nmemb, n);
		break;
	case SIM_OP_REALLOC:
		sim_append_snprintf(buf, size, "%s = realloc(%s, %llu)", own_name(s, op, index, op->slot), own_name(s, op, index, op->arg_slot), n);
		break;
	case SIM_OP_FREE:
		sim_append_snprintf(buf, size, "free(%s)", own_name(s, op, index, op->slot));
		break;
	case SIM_OP_MEMALIGN: {
		char call[96];
		sim_op_align_call(op, call, sizeof call);
		sim_append_snprintf(buf, size, "%s = %s", own_name(s, op, index, op->slot), call);
		break;
	}
	case SIM_OP_TRIM:
		sim_append_snprintf(buf, size, "malloc_trim(%llu)", n);
		break;
	case SIM_OP_MALLOPT: {
		const char *param = sim_mallopt_param_name(op->param);
		if (param != NULL)
			sim_append_snprintf(buf, size, "mallopt(%s, %lld)", param, (long long)op->value);
		else
			sim_append_snprintf(buf, size, "mallopt(%d, %lld)", op->param, (long long)op->value);
		break;
	}
	case SIM_OP_THREAD_START:
		if (script_thread_name_at(s, (uint32_t)op->value, index))
			sim_append_snprintf(buf, size, "pthread_create(%s)", script_thread_name_at(s, (uint32_t)op->value, index));
		else
			sim_append_snprintf(buf, size, "pthread_create(thread %lld)", (long long)op->value);
		break;
	case SIM_OP_THREAD_EXIT:
		sim_append_snprintf(buf, size, "thread exits");
		break;
	case SIM_OP_FORK:
		sim_append_snprintf(buf, size, "fork (the child goes on)");
		break;
	case SIM_OP_SBRK:
		sim_append_snprintf(buf, size, "sbrk(%lld)", (long long)op->value);
		break;
	case SIM_OP_KIND_COUNT:
		sim_append_snprintf(buf, size, "?");
		break;
	}
}

void run_format_ret(const sim_result *r, char *buf, size_t size)
{
	switch (r->ret_kind) {
	case SIM_RET_HEAP: sim_append_snprintf(buf, size, "+0x%llx", (unsigned long long)r->ret); break;
	case SIM_RET_ARENA:
		sim_append_snprintf(buf, size, "A%u.%u+0x%llx", r->ret_arena, r->ret_heap, (unsigned long long)r->ret_offset);
		break;
	case SIM_RET_MMAP: sim_append_snprintf(buf, size, "mmap"); break;
	case SIM_RET_NULL: sim_append_snprintf(buf, size, "null"); break;
	case SIM_RET_NONE: sim_append_snprintf(buf, size, "-"); break;
	}
}

bool run_whatif_pair(const run_context *ctx, size_t steps, whatif_side *with, whatif_side *without)
{
	return ctx->config->trim_every != 0 && !ctx->file->streamed && !ctx->file->visited &&
	       whatif_pair(&ctx->file->script, steps, ctx->config, with, without);
}

void run_describe_comparison(const run_context *ctx, sim_lang lang, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!ctx->comparing)
		return;
	const char *from = ctx->file->extra.malloc_from;
	if (from[0]) { /* another allocator's results: none was compared */
		snprintf(buf, size,
		         lang == SIM_LANG_ZH ? "重放与录制对比：未比较：程序的 malloc 来自 %s，不是 glibc 的"
		                             : "replay vs recording: not compared: the program's malloc was %s's, not glibc's",
		         from);
		return;
	}
	trace_compare_summary_in(lang, &ctx->compare, &ctx->file->script, buf, size);
	/* (why the replay parts from the recording there, when it does) */
	const trace_extra *x = &ctx->file->extra;
	bool moved = x->brk_moved_line > 0;
	bool failed = !moved && trace_failed_where_replay_did_not(&ctx->compare);
	if (moved || failed) {
		size_t len = strlen(buf);
		int n = snprintf(buf + len, size - len, "%s", lang == SIM_LANG_ZH ? "；" : "; ");
		if (n > 0 && (size_t)n < size - len) {
			if (moved)
				trace_brk_moved_describe_in(lang, x, buf + len + (size_t)n, size - len - (size_t)n);
			else
				trace_limit_describe_in(lang, x->rlimit_data, x->rlimit_as, buf + len + (size_t)n,
				                        size - len - (size_t)n);
		}
	}
}

/* --report: the RSS story of the steps run (trace/report.c), printed
 * after the summary, or written as an SVG. */
static int run_report(const loaded_file *file, const app_options *options, size_t steps)
{
	sim_lang lang = app_options_lang(options);
	const trace_stacks *stacks = file->kind == LOADED_TRACE ? &file->extra.stacks : NULL;
	trace_report report;
	trace_report_init(&report);
	if (!trace_report_build(&file->script, &file->config, stacks, steps, &report)) {
		fprintf(stderr, "brksim: error: out of memory while building the report\n");
		trace_report_release(&report);
		return 2;
	}
	int status = 0;
	if (options->report)
		report_print_text(stdout, &report, lang);
	if (options->report_svg) {
		char why[4200] = "", path[1024];
		const char *title = script_title_for(&file->script, options->lang);
		char titled[600];
		snprintf(titled, sizeof titled, "%s%s", title ? title : file->path, load_partial_title(file, lang));
		status = report_write_svg(options->report_svg, &report, lang, titled, why, sizeof why);
		if (status != 0)
			fprintf(stderr, "brksim: error: %s\n", describe_escaped(why, path, sizeof path));
		else
			fprintf(stderr, "brksim: wrote the RSS story to %s\n", describe_escaped(options->report_svg, path, sizeof path));
	}
	trace_report_release(&report);
	return status;
}

/* A visited recording's ops are stepped a batch at a time: the import's
 * code and tables, then the model's, each while the other's wait (one
 * op of each in turn, the model took a fifth longer). */
enum { RUN_BATCH = 512 };

/* The step loop's state: one op at a time, from the script's array or
 * from a streamed file's text (load_stream_ops). */
typedef struct run_loop {
	run_context *ctx;
	const run_printer *printer;
	sim_heap *heap;
	sim_events events;
	/* With --quiet nothing reads a step's events unless --break-on asks
	 * for a kind of event: the model then makes none (events and the pin
	 * each free's trim verdict names were a tenth of run --quiet on a
	 * perl recording, a quarter on random traces); `events` stays empty. */
	bool no_events;
	break_on_spec brk_spec;
	size_t from, to;
	size_t index;     /* ops handed to run_op so far */
	size_t steps_run;
	const char *stopped_by;
	bool aborted;
	int status;
	/* a streamed file hands out one op at a time: the ops read ahead of
	 * the one stepped, so that sim_heap_prefetch sees what follows (and a
	 * visited recording's results to compare with) */
	sim_op ahead[RUN_BATCH + 2 * SIM_PREFETCH_AHEAD];
	uint32_t ahead_line[RUN_BATCH + 2 * SIM_PREFETCH_AHEAD];
	trace_recorded ahead_rec[RUN_BATCH + 2 * SIM_PREFETCH_AHEAD];
	/* the results of the ops run_ahead_stepping steps, to compare with
	 * the recorded ones */
	sim_result ahead_result[RUN_BATCH + 2 * SIM_PREFETCH_AHEAD];
	bool with_rec;
	/* ops queued before the oldest are stepped (SIM_PREFETCH_AHEAD, or
	 * RUN_BATCH for a visited recording) */
	size_t batch;
	/* out of memory in the model at this step (0: not): said after the
	 * loop, as a visited recording's steps run before its diagnostics */
	size_t failed_step;
	size_t ahead_first, ahead_count;
	bool ahead_stopped;
	/* the ops after the one run_op steps, as far as they are known */
	const sim_op *next;
	size_t next_count;
	/* A recording whose steps are printed: its ops kept packed while it
	 * is imported, run once the import has said all it had to say. */
	op_pack pack;
	bool pack_failed; /* out of memory while packing */
} run_loop;

/* Runs the next op (`line`: its source line, 0 if unknown; `rec`: what
 * the recording says it returned, NULL: the file's recorded results, if
 * any); false when the run stops before it or at it. */
static bool run_op(run_loop *l, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	run_context *ctx = l->ctx;
	if (l->steps_run >= l->to)
		return false;
	size_t i = l->index++;
	/* (read for the step's printer only) */
	sim_addr brk_before = ctx->options->quiet ? 0 : sim_heap_brk(l->heap);
	sim_result result;
	if (!sim_heap_step(l->heap, op, l->no_events ? NULL : &l->events, &result)) {
		l->failed_step = i + 1;
		l->status = 2;
		return false;
	}
	l->steps_run = i + 1;
	const loaded_file *file = ctx->file;
	if (rec == NULL && i < file->extra.recorded_count)
		rec = &file->extra.recorded[i];
	if (ctx->comparing && rec != NULL) {
		trace_compare_op(&ctx->compare, i, rec, &result);
		if (ctx->compare.first_divergence == i)
			ctx->compare.first_line = line;
	}
	if (l->steps_run >= l->from && !ctx->options->quiet) {
		run_step step = {
			.step = l->steps_run,
			.line = line,
			.op = op,
			.result = &result,
			.events = &l->events,
			.brk_before = brk_before,
			.next = l->next,
			.next_count = l->next_count,
		};
		l->printer->step(ctx, &step);
	}
	if (result.aborted) {
		l->aborted = true;
		return false;
	}
	if (l->steps_run >= l->from && (l->stopped_by = break_on_hit(&l->brk_spec, l->steps_run, op, &l->events)) != NULL)
		return false;
	return true;
}

/* Steps the first op read ahead, with sim_heap_prefetch looking at the
 * ones after it. */
static bool run_first_ahead(run_loop *l)
{
	sim_heap_prefetch(l->heap, l->ahead + l->ahead_first, l->ahead_count, 0);
	size_t k = l->ahead_first++;
	l->ahead_count--;
	l->next = l->ahead + l->ahead_first;
	l->next_count = l->ahead_count;
	if (!run_op(l, &l->ahead[k], l->ahead_line[k], l->with_rec ? &l->ahead_rec[k] : NULL)) {
		l->ahead_stopped = true;
		return false;
	}
	return true;
}

/* The op and the recorded result copied a field at a time: the importer
 * has just stored them so, and a copy of the struct 16 bytes at a time
 * waited for those smaller stores to land (queue_op: 2.3 -> 1.0 % of
 * run --quiet of the perl recording). The queue's padding stays zero. */
static inline void copy_op(sim_op *to, const sim_op *from)
{
	to->kind = from->kind;
	to->slot = from->slot;
	to->arg_slot = from->arg_slot;
	to->align_api = from->align_api;
	to->size = from->size;
	to->nmemb = from->nmemb;
	to->thread = from->thread;
}

static inline void copy_recorded(trace_recorded *to, const trace_recorded *from)
{
	to->ret_kind = from->ret_kind;
	to->has_brk = from->has_brk;
	to->has_value = from->has_value;
	to->ret = from->ret;
	to->brk = from->brk;
	to->value = from->value;
}

/* Queues an op and steps the oldest once SIM_PREFETCH_AHEAD ops follow
 * it (run_command steps the rest). */
static bool queue_op(run_loop *l, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	size_t cap = sizeof l->ahead / sizeof l->ahead[0];
	if (l->ahead_first + l->ahead_count == cap) { /* back to the front */
		memmove(l->ahead, l->ahead + l->ahead_first, l->ahead_count * sizeof l->ahead[0]);
		memmove(l->ahead_line, l->ahead_line + l->ahead_first, l->ahead_count * sizeof l->ahead_line[0]);
		if (l->with_rec)
			memmove(l->ahead_rec, l->ahead_rec + l->ahead_first, l->ahead_count * sizeof l->ahead_rec[0]);
		l->ahead_first = 0;
	}
	size_t k = l->ahead_first + l->ahead_count;
	copy_op(&l->ahead[k], op);
	l->ahead_line[k] = line;
	if (l->with_rec)
		copy_recorded(&l->ahead_rec[k], rec);
	l->ahead_count++;
	if (l->ahead_count <= l->batch)
		return true;
	while (l->ahead_count > SIM_PREFETCH_AHEAD)
		if (!run_first_ahead(l))
			return false;
	return true;
}

/* load_file_visited's: a recording's ops as it is read (run --quiet:
 * nothing is printed before the end, so the steps may run before the
 * file's diagnostics are printed). The model starts at the first op,
 * with the settings it runs under. */
static bool run_visit_begin(void *context, const sim_config *config, bool recorded)
{
	run_loop *l = context;
	l->heap = sim_heap_new(config);
	if (l->heap == NULL)
		return false; /* run_command makes one after the load, and says it failed */
	l->ctx->heap = l->heap;
	/* (a recording always has its results; a .ops trace has none) */
	l->ctx->comparing = recorded;
	l->with_rec = recorded;
	if (recorded)
		l->batch = RUN_BATCH;
	return true;
}

static bool run_visit_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	return queue_op(context, op, line, rec);
}

/* The queue's free end as the importer's window (trace_op_window): the
 * ops queued moved to the front, and room up to the op whose queueing
 * makes queue_op step (the batch's, plus one). */
static void run_window_room(run_loop *l, size_t batch, trace_op_window *w)
{
	if (l->ahead_first > 0) {
		memmove(l->ahead, l->ahead + l->ahead_first, l->ahead_count * sizeof l->ahead[0]);
		memmove(l->ahead_line, l->ahead_line + l->ahead_first, l->ahead_count * sizeof l->ahead_line[0]);
		memmove(l->ahead_rec, l->ahead_rec + l->ahead_first, l->ahead_count * sizeof l->ahead_rec[0]);
		l->ahead_first = 0;
	}
	size_t k = l->ahead_count;
	w->ops = l->ahead + k;
	w->lines = l->ahead_line + k;
	w->recs = l->ahead_rec + k;
	w->room = batch + 1 - k;
}

/* Whether run_op would only step, and compare what the queue's recorded
 * results say: no step printed, no events asked for, no --break-on (run
 * --quiet of a .ops trace, or of a recording as it is imported). */
static bool only_steps(const run_loop *l)
{
	const run_context *ctx = l->ctx;
	return l->no_events && (l->with_rec || !ctx->comparing) && ctx->options->quiet &&
	       ctx->file->extra.recorded_count == 0 && !break_on_any(&l->brk_spec);
}

/* run_first_ahead's loop while only_steps: the same steps, comparisons
 * and stops (--to, out of memory, an abort), in one call to the model
 * (sim_heap_step_run) instead of run_op's questions and two calls an op
 * (a twelfth, then a sixth, of the instructions of a plain 1M-op
 * trace's run; 7 % of a recording's). The op a stop falls on leaves the
 * queue, as it does in run_first_ahead. */
static bool run_ahead_stepping(run_loop *l)
{
	if (l->ahead_count <= SIM_PREFETCH_AHEAD)
		return true;
	size_t want = l->ahead_count - SIM_PREFETCH_AHEAD;
	size_t left = l->steps_run < l->to ? l->to - l->steps_run : 0;
	size_t n = want < left ? want : left;
	bool aborted = false;
	run_context *ctx = l->ctx;
	bool comparing = ctx->comparing && l->with_rec;
	size_t first = l->ahead_first;
	size_t done = sim_heap_step_run(l->heap, l->ahead + first, n, l->ahead_count, &aborted,
					comparing ? l->ahead_result + first : NULL);
	for (size_t i = 0; comparing && i < done; i++) {
		size_t step = l->index + i;
		trace_compare_op(&ctx->compare, step, &l->ahead_rec[first + i], &l->ahead_result[first + i]);
		if (ctx->compare.first_divergence == step)
			ctx->compare.first_line = l->ahead_line[first + i];
	}
	bool failed = done < n && !aborted;
	size_t taken = done + (failed || (!aborted && n < want) ? 1 : 0);
	l->index += done;
	l->steps_run += done;
	l->ahead_first += taken;
	l->ahead_count -= taken;
	l->next = l->ahead + l->ahead_first;
	l->next_count = l->ahead_count;
	if (failed) {
		l->failed_step = ++l->index;
		l->status = 2;
	} else if (aborted) {
		l->aborted = true;
	} else if (n == want) {
		return true;
	}
	l->ahead_stopped = true;
	return false;
}

/* run_visit_op for ops the importer (or a .ops trace's walk) wrote in
 * place: queued as they are, then stepped as queue_op steps them, or
 * by run_ahead_stepping when nothing else is asked. */
static bool run_visit_window(void *context, size_t count, trace_op_window *w)
{
	run_loop *l = context;
	if (count > 0) {
		l->ahead_count += count;
		if (l->ahead_count > l->batch) {
			if (only_steps(l)) {
				if (!run_ahead_stepping(l))
					return false;
			} else {
				while (l->ahead_count > SIM_PREFETCH_AHEAD)
					if (!run_first_ahead(l))
						return false;
			}
		}
	}
	run_window_room(l, RUN_BATCH, w);
	return true;
}

/* load_file_visited's, for a recording whose steps are printed: nothing
 * may be printed before the import's last diagnostic (an error anywhere
 * means no step at all), so the ops are kept, packed (op_pack.h: ~12
 * bytes an op instead of the script's 84), and run after the load. */
static bool run_pack_begin(void *context, const sim_config *config, bool recorded)
{
	(void)context;
	(void)config;
	(void)recorded;
	return true;
}

static bool run_pack_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	run_loop *l = context;
	if (!op_pack_add(&l->pack, op, line, rec)) {
		l->pack_failed = true;
		return false;
	}
	/* with --to, the ops after it are not kept (the import still reads
	 * them, for its diagnostics and counts) */
	return l->pack.count < l->to;
}

int run_command(const app_options *options)
{
	if (options->compare != NULL)
		return run_compare_command(options);
	char why[512];
	if (options->report_svg != NULL && !report_svg_may_write(options->report_svg, why, sizeof why)) {
		fprintf(stderr, "brksim: error: %s\n", why);
		return 2;
	}
	/* One line or more per step (1M ops: 1.4 GB of JSON): a 1 MiB buffer
	 * instead of stdio's 4 KiB when stdout is a file or a pipe (a terminal
	 * keeps its line buffering). Nothing has been written to it yet. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 20);
	/* A .ops trace runs as it is read again (load_file_streamed): its op
	 * array would be 48 bytes an op. --report needs the whole script. */
	bool stream = !options->report && options->report_svg == NULL;
	/* --trim-every replays the script again with and without its trims
	 * (whatif.c): it is held too */
	stream = stream && options->trim_every == 0;
	/* --quiet prints nothing until the run ends: a recording's ops can
	 * run as it is imported, and a .ops trace's as its text is checked
	 * (load_file_visited), kept nowhere. Not with --break-on, whose names
	 * are looked up before the run. */
	bool visit = stream && options->quiet && options->break_on == NULL;
	/* Otherwise a recording's ops are packed as it is imported, and run
	 * after it (run_pack_op). */
	bool pack = stream && !visit;
	run_loop loop = {0};
	run_context ctx = {.out = stdout, .options = options, .first_step = true};
	trace_compare_init(&ctx.compare);
	loop.ctx = &ctx;
	loop.no_events = options->quiet && options->break_on == NULL;
	loop.from = options->from ? options->from : 1;
	loop.to = options->to_given ? options->to : SIZE_MAX;
	loop.batch = SIM_PREFETCH_AHEAD;
	sim_events_init(&loop.events);
	/* tsv's lines and --break-on read each event's kind (and a trim
	 * check's verdict, its detail) and nothing else of it */
	loop.events.kinds_only = options->quiet || options->format == APP_FORMAT_TSV;
	loaded_file file;
	ctx.file = &file;
	op_pack_init(&loop.pack);
	load_visitor visitor = visit ? (load_visitor){run_visit_begin, run_visit_op, &loop, run_visit_window, true, false, true}
				     : (load_visitor){run_pack_begin, run_pack_op, &loop, NULL, false, true, false};
	int status = visit || pack ? load_file_visited(options->files[0], options, &file, stderr, &visitor)
				   : load_file(options->files[0], options, &file, stderr);
	if (status == 0 && loop.pack_failed) {
		fprintf(stderr, "brksim: error: out of memory\n");
		status = 2;
	}
	if (status != 0) {
		op_pack_release(&loop.pack);
		sim_heap_free(loop.heap);
		loaded_file_release(&file);
		return status;
	}
	/* The text has been parsed and its diagnostics printed; nothing the
	 * run prints reads it again (captions and names are copies): its
	 * bytes go back (25 of them an op in a recording), unless the ops
	 * are read from them as they run. */
	if (!file.streamed) {
		free(file.bytes);
		file.bytes = NULL;
		file.len = 0;
	}
	char break_err[256];
	if (!break_on_parse(options->break_on, &file.script, loaded_op_count(&file), &loop.brk_spec, break_err,
	                    sizeof break_err)) {
		fprintf(stderr, "brksim: error: %s\n", break_err);
		op_pack_release(&loop.pack);
		sim_heap_free(loop.heap);
		loaded_file_release(&file);
		return 2;
	}
	if (!(visit && file.visited))
		loop.no_events = options->quiet && loop.brk_spec.mask == 0;
	loop.printer = options->format == APP_FORMAT_TSV    ? &run_printer_tsv
		       : options->format == APP_FORMAT_JSON ? &run_printer_json
							    : &run_printer_text;
	/* (a visited recording's model was made at its first op) */
	if (loop.heap == NULL && !(visit && file.visited && file.streamed_op_count > 0))
		loop.heap = sim_heap_new(&file.config);
	sim_heap *heap = loop.heap;
	if (heap == NULL) {
		fprintf(stderr, "brksim: error: out of memory\n");
		op_pack_release(&loop.pack);
		loaded_file_release(&file);
		return 2;
	}
	ctx.config = &file.config;
	ctx.heap = heap;
	ctx.comparing = file.kind == LOADED_TRACE && (file.visited ? file.extra.with_results : file.extra.recorded != NULL);
	ctx.names = (describe_names){&file.script,
				     file.kind == LOADED_TRACE && file.extra.stacks.stack_count > 0 ? &file.extra.stacks : NULL, 0};
	/* A lesson's captions stand on its expectations: with other settings
	 * some may fail, and the captions after them are not printed as if
	 * they were still true. */
	expect_report report = {0};
	caption_truth *truth = NULL;
	if (file.script.caption_count > 0 && file.script.expect_count > 0 &&
	    expect_check_script_in(&file.script, &file.config,
				   app_options_lang(options),
				   &report) &&
	    report.failed > 0) {
		truth = calloc(file.script.caption_count, sizeof *truth);
		if (truth != NULL && caption_truth_compute(&file.script, &report, truth) > 0)
			ctx.captions_truth = truth;
	}
	if (!options->to_given)
		loop.to = loaded_op_count(&file);
	if (visit && file.visited) {
		/* the ops ran while the file was read: the last few are queued */
		while (!loop.ahead_stopped && loop.ahead_count > 0 && run_first_ahead(&loop)) {
		}
		loop.printer->begin(&ctx);
	} else if (file.visited) {
		/* the ops were packed while the file was read */
		loop.with_rec = true;
		loop.printer->begin(&ctx);
		op_pack_reader reader;
		op_pack_reader_init(&reader, &loop.pack);
		/* read straight into the queue a batch at a time, as the
		 * importer writes a visited recording's ops (run_visit_window):
		 * queue_op's copy of each op and its moves were 2 % of a tsv
		 * run on perl */
		for (;;) {
			trace_op_window w;
			run_window_room(&loop, RUN_BATCH, &w);
			size_t n = 0;
			while (n < w.room && op_pack_read(&reader, &w.ops[n], &w.lines[n], &w.recs[n]))
				n++;
			if (n == 0 || !run_visit_window(&loop, n, &w))
				break;
		}
		while (!loop.ahead_stopped && loop.ahead_count > 0 && run_first_ahead(&loop)) {
		}
		/* the summary's dry run copies the heap: not while holding the ops too */
		op_pack_release(&loop.pack);
	} else if (file.streamed) {
		loop.printer->begin(&ctx);
		load_stream_ops(&file, run_visit_window, &loop);
		while (!loop.ahead_stopped && loop.ahead_count > 0 && run_first_ahead(&loop)) {
		}
		/* the summary's dry run copies the heap: not while holding the text too */
		free(file.bytes);
		file.bytes = NULL;
		file.len = 0;
	} else {
		loop.printer->begin(&ctx);
		for (size_t i = 0; i < file.script.op_count; i++) {
			sim_heap_prefetch(heap, file.script.ops, file.script.op_count, i);
			loop.next = file.script.ops + i + 1;
			loop.next_count = file.script.op_count - i - 1;
			if (!run_op(&loop, &file.script.ops[i], file.script.op_line != NULL ? file.script.op_line[i] : 0,
				    NULL))
				break;
		}
	}
	status = loop.status;
	if (loop.failed_step != 0)
		fprintf(stderr, "brksim: error: out of memory at step %zu\n", loop.failed_step);
	loop.printer->end(&ctx, loop.steps_run, loop.stopped_by);
	if (status == 0 && (options->report || options->report_svg))
		status = run_report(&file, options, loop.steps_run);
	if (status == 0 && loop.aborted)
		status = 1;
	free(truth);
	op_pack_release(&loop.pack);
	expect_report_release(&report);
	sim_events_release(&loop.events);
	sim_heap_free(heap);
	loaded_file_release(&file);
	return status;
}
