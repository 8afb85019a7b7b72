/* view.c — state between frames and the frame it draws (see view.h). */
#include "view.h"

#include "../lang/caption_truth.h"
#include "../lang/expect.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/explain.h"
#include "../trace/report.h"
#include "breakpoints.h"
#include "companion.h"

#define ARENA_UNKNOWN UINT32_MAX

enum {
	SNAPSHOT_CACHE = 3,  /* a tween needs two; one spare avoids thrashing */
	/* ... while the cache holds at most this much: a snapshot of a
	 * recording's heap (390k chunks on perl, 9.8 MB at 25 bytes a chunk)
	 * is not worth a spare. (16 MB at 57 bytes a chunk until session 12:
	 * about as many chunks.) */
	SNAPSHOT_SPARE_BYTES = 8 << 20,
	EXPLAIN_CACHE = 32,  /* steps whose explanations are kept for the log */
	LOG_LINES = 96,      /* lines handed to the log panel (it shows what fits) */
	LOG_LINE_BYTES = 512, /* (a fork's sentence in Chinese: 400) */
	MAX_LANGS = 8,
	LOG_STEPS_BACK = 8,
	METER_CACHE = 256,   /* steps whose main-arena meters are kept (gui_snapshot_collect_known) */
	EXTENT_STEPS = 3,
	TRUTH_TEXTS = 1,     /* unused copies of failing expectations' texts (the script keeps them) */    /* the fitted view spans the highest brk of this many steps back */
};

typedef struct explained_step {
	bool valid;
	size_t step;
	gui_ui_lang lang;   /* the explanations' language (L switches it) */
	char *text;         /* lines joined by '\n' */
	uint8_t *priority;  /* gui_log_priority of each line */
	size_t line_count;
} explained_step;

typedef enum drag_kind { DRAG_NONE = 0, DRAG_TIMELINE, DRAG_BAR } drag_kind;

struct gui_view {
	const script *script;
	const char *const *slot_sites; /* per slot, or NULL */
	sim_config config;
	/* the source panel's text, packed (source_text.h); owned unless the
	 * caller packed it (gui_view_config.source_text) */
	gui_source_text *source;
	bool source_owned;

	sim_timeline *timeline;
	sim_events events;
	size_t length;

	gui_snapshot cache[SNAPSHOT_CACHE];
	size_t cache_step[SNAPSHOT_CACHE];
	uint32_t cache_arena[SNAPSHOT_CACHE]; /* the arena asked for (see arena_wanted) */
	bool cache_valid[SNAPSHOT_CACHE];
	uint64_t cache_used[SNAPSHOT_CACHE];
	uint64_t clock;

	explained_step explained[EXPLAIN_CACHE];
	size_t explaining; /* the op whose events remember_explanations tells (its threads' names) */
	/* The main arena's meters of steps loaded before (by step modulo
	 * METER_CACHE): a step loaded again (its picture was dropped from the
	 * cache of three) does not redo malloc_trim's dry run. */
	struct {
		bool valid;
		size_t step;
		sim_stats stats;
	} meters[METER_CACHE];
	size_t meter_runs; /* meters computed (gui_view_meter_runs) */

	gui_controller ctl;
	gui_breakpoints breakpoints; /* K */
	break_on_spec break_on;      /* show --break-on */
	size_t *pauses;
	size_t pause_count;
	gui_timeline_mark *marks;
	size_t mark_count;
	uint32_t *tick_columns;
	int tick_width;

	/* Which arena the heap bar shows: each step's own (the arena its
	 * call used, kept in step_arena as steps are loaded) or the one the
	 * user chose with [ and ]. */
	bool arena_follow;
	uint32_t arena_shown;
	uint32_t *step_arena; /* [0..length]: ARENA_UNKNOWN until loaded; NULL: all 0 (no thread) */

	double extent;    /* the one the last frame used */
	gui_bar_view bar;
	bool auto_fit;    /* the bar follows the fitted extent (until the user zooms or pans) */

	char langs[MAX_LANGS][8];
	size_t lang_count, lang_index;
	bool wants_chinese; /* the interface language when captions have no tag */
	/* --lang named a language no caption has (an English class shown a
	 * lesson written in Chinese only): the interface speaks it, the
	 * captions the lesson's own, until L picks a caption language */
	bool lang_unmatched;
	bool help;
	bool presenting;
	caption_truth *truth; /* per caption, when some expectation fails with these settings; else NULL */
	char caption_note[512];
	bool revealed;       /* R was pressed at revealed_step; moving on forgets it */
	size_t revealed_step;

	float mouse_x, mouse_y;
	bool mouse_in;
	drag_kind drag;
	float drag_x;

	bool geometry_valid;
	gui_frame_geometry geometry;

	char toast[256];
	double toast_ms;

	/* the search box (/) */
	const trace_stacks *stacks;
	gui_source_kind source_kind; /* the source panel's title */
	bool search_open;
	char search[128];
	char search_hint[256];
	char search_swallow; /* the key that opened the box: its own text event is not typed */
	size_t search_from;  /* Enter looks after this step */
	/* the RSS story (G), built the first time it is shown */
	bool story_shown;
	trace_report *report;
	trace_report *companion_report; /* --compare: the other profile's */
	gui_story story;
	char story_lines[GUI_STORY_LINES][400];
	char story_title[160];
	/* --compare: the second side, its script (captions) and both labels */
	gui_companion *companion;
	const script *companion_script;
	sim_config companion_config;
	const char *labels[2];
	size_t ended[2];          /* the step glibc aborted each side's run, 0 when it did not */
	char compare_caption[2048];

	gui_frame_scratch scratch;
	char (*log_text)[LOG_LINE_BYTES]; /* [LOG_LINES] */
	gui_log_line log[LOG_LINES];
	char badge[96];
};

/* ---- names and text ---- */

/* The explanations' site callback: context is the view. */
static const char *site_of(const void *context, sim_slot slot)
{
	const gui_view *v = context;
	if (slot == SIM_NO_SLOT || slot >= v->script->slot_count)
		return NULL;
	if (v->slot_sites)
		return v->slot_sites[slot];
	/* a recording's: looked up when asked for (an array of every
	 * slot's site took 8 bytes a slot, 4 MB on a perl recording) */
	return v->stacks ? trace_stacks_site_brief(v->stacks, trace_stacks_site_of_slot(v->stacks, slot)) : NULL;
}

/* The explanations' namer over the view (site_of's context). */
static const char *view_namer(const void *context, sim_slot slot);

static const char *namer(const void *context, sim_slot slot)
{
	const script *s = context;
	if (slot == SIM_NO_SLOT)
		return "?"; /* as `brksim run` says it (some model events carry no slot) */
	if (!s)
		return NULL;
	return script_slot_given_name(s, slot);
}

static const char *view_namer(const void *context, sim_slot slot)
{
	return namer(((const gui_view *)context)->script, slot);
}

/* The explanations' thread namer: the name at the step being explained. */
static const char *view_thread_namer(const void *context, uint32_t thread)
{
	const gui_view *v = context;
	return script_thread_name_at(v->script, thread, v->explaining);
}

static const char *slot_name_or(const gui_view *v, sim_slot slot, char *buf, size_t size)
{
	if (slot == SIM_NO_SLOT)
		return "NULL";
	const char *name = namer(v->script, slot);
	if (name)
		return name;
	snprintf(buf, size, "#%u", (unsigned)slot);
	return buf;
}

static const char *mallopt_param_name(int32_t param)
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

static gui_ui_lang ui_lang(const gui_view *v);

/* A thread's own name without its thread: "buf" of worker[3].buf in
 * worker[3]'s call (the line says "worker[3]: ..." already). */
static const char *own_name(const gui_view *v, uint32_t thread, size_t index, const char *name)
{
	const char *tn = thread ? script_thread_name_at(v->script, thread, index) : NULL;
	size_t n = tn ? strlen(tn) : 0;
	if (tn && strncmp(name, tn, n) == 0 && name[n] == '.')
		return name + n + 1;
	return name;
}

void gui_view_op_text(const gui_view *v, size_t step, char *out, size_t out_size)
{
	if (step == 0 || step > v->length || step > v->script->op_count) {
		snprintf(out, out_size, "%s", "");
		return;
	}
	const sim_op *op = &v->script->ops[step - 1];
	sim_step_summary summary;
	const sim_step_summary *sum = sim_timeline_summary(v->timeline, step, &summary) ? &summary : NULL;
	char b1[24], b2[24], ret[48] = "";
	const char *name = own_name(v, op->thread, step - 1, slot_name_or(v, op->slot, b1, sizeof b1));
	if (sum) {
		switch (sum->result.ret_kind) {
		case SIM_RET_HEAP: snprintf(ret, sizeof ret, "  → 0x%" PRIx64, sum->result.ret); break;
		case SIM_RET_ARENA:
			/* where the step's pointer lay then (the summary keeps it:
			 * a heap slot can belong to another arena by now) */
			snprintf(ret, sizeof ret, "  → A%" PRIu32 ".%" PRIu32 "+0x%" PRIx64, sum->result.ret_arena,
			         sum->result.ret_heap, sum->result.ret_offset);
			break;
		case SIM_RET_MMAP: snprintf(ret, sizeof ret, "  → mmap"); break;
		case SIM_RET_NULL: snprintf(ret, sizeof ret, "  → NULL"); break;
		case SIM_RET_NONE: break;
		}
	}
	switch (op->kind) {
	case SIM_OP_MALLOC: snprintf(out, out_size, "%s = malloc(%" PRIu64 ")%s", name, op->size, ret); break;
	case SIM_OP_CALLOC:
		snprintf(out, out_size, "%s = calloc(%" PRIu64 ", %" PRIu64 ")%s", name, op->nmemb, op->size, ret);
		break;
	case SIM_OP_REALLOC:
		snprintf(out, out_size, "%s = realloc(%s, %" PRIu64 ")%s", name,
		         own_name(v, op->thread, step - 1, slot_name_or(v, op->arg_slot, b2, sizeof b2)),
			 op->size, ret);
		break;
	case SIM_OP_FREE: snprintf(out, out_size, "free(%s)", name); break;
	case SIM_OP_MEMALIGN: {
		char call[96];
		sim_op_align_call(op, call, sizeof call);
		snprintf(out, out_size, "%s = %s%s", name, call, ret);
		break;
	}
	case SIM_OP_TRIM:
		snprintf(out, out_size, "malloc_trim(%" PRIu64 ")%s", op->size, "");
		if (sum && !sum->result.aborted) { /* (one glibc died in never returned: 2.3.6's crash) */
			size_t n = strlen(out);
			snprintf(out + n, out_size > n ? out_size - n : 0, "  → %" PRId64, sum->result.value);
		}
		break;
	case SIM_OP_MALLOPT: {
		const char *param = mallopt_param_name(op->param);
		if (param)
			snprintf(out, out_size, "mallopt(%s, %" PRId64 ")", param, op->value);
		else
			snprintf(out, out_size, "mallopt(%" PRId32 ", %" PRId64 ")", op->param, op->value);
		break;
	}
	case SIM_OP_THREAD_START: {
		const char *tn = script_thread_name_at(v->script, (uint32_t)op->value, step - 1);
		if (tn)
			snprintf(out, out_size, "pthread_create(%s)", tn);
		else
			snprintf(out, out_size, "pthread_create(T%" PRId64 ")", op->value);
		break;
	}
	case SIM_OP_THREAD_EXIT: {
		const char *tn = script_thread_name_at(v->script, op->thread, step - 1);
		char num[24];
		if (!tn) {
			snprintf(num, sizeof num, "T%" PRIu32, op->thread);
			tn = num;
		}
		snprintf(out, out_size, ui_lang(v) == GUI_UI_ZH ? "%s 退出" : "%s exits", tn);
		return;
	}
	case SIM_OP_FORK:
		/* (the child goes on: "fork() → child") */
		snprintf(out, out_size, ui_lang(v) == GUI_UI_ZH ? "fork() \u2192 子进程" : "fork() \u2192 child");
		break;
	case SIM_OP_SBRK:
		/* the program's own: what sbrk returned, the break before it */
		if (sum && !sum->result.aborted && sum->result.value >= 0)
			snprintf(out, out_size, "sbrk(%" PRId64 ")  \u2192 +0x%" PRIx64, op->value, (uint64_t)sum->result.value);
		else if (sum && !sum->result.aborted)
			snprintf(out, out_size, "sbrk(%" PRId64 ")  \u2192 -1", op->value);
		else
			snprintf(out, out_size, "sbrk(%" PRId64 ")", op->value);
		break;
	case SIM_OP_KIND_COUNT: snprintf(out, out_size, "?"); break;
	}
	/* Another thread's call says whose it is: "worker[3]: free(msg)". */
	if (op->thread != 0) {
		const char *tn = script_thread_name_at(v->script, op->thread, step - 1);
		char call[512];
		snprintf(call, sizeof call, "%s", out);
		if (tn)
			snprintf(out, out_size, "%s: %s", tn, call);
		else
			snprintf(out, out_size, "T%" PRIu32 ": %s", op->thread, call);
	}
}

/* ---- languages ---- */

static gui_ui_lang ui_lang(const gui_view *v)
{
	if (v->lang_count == 0 || v->lang_unmatched)
		return v->wants_chinese ? GUI_UI_ZH : GUI_UI_EN;
	return strncmp(v->langs[v->lang_index], "zh", 2) == 0 ? GUI_UI_ZH : GUI_UI_EN;
}

static const char *lang_display(const char *tag)
{
	if (strncmp(tag, "zh", 2) == 0)
		return "中文";
	if (strncmp(tag, "en", 2) == 0)
		return "English";
	return tag;
}

static void collect_languages(gui_view *v, const char *wanted)
{
	const script *s = v->script;
	for (size_t i = 0; i < s->caption_count; i++) {
		const char *tag = s->captions[i].lang;
		if (!tag[0])
			continue;
		bool seen = false;
		for (size_t k = 0; k < v->lang_count; k++)
			seen = seen || strcmp(v->langs[k], tag) == 0;
		if (!seen && v->lang_count < MAX_LANGS)
			snprintf(v->langs[v->lang_count++], sizeof v->langs[0], "%s", tag);
	}
	v->lang_index = 0;
	if (!wanted)
		return;
	v->wants_chinese = strncmp(wanted, "zh", 2) == 0;
	size_t wlen = strlen(wanted);
	for (size_t k = 0; k < v->lang_count; k++) /* exact, then by prefix ("zh" matches "zh-CN") */
		if (strcmp(v->langs[k], wanted) == 0) {
			v->lang_index = k;
			return;
		}
	for (size_t k = 0; k < v->lang_count; k++)
		if (strncmp(v->langs[k], wanted, wlen) == 0 || strncmp(v->langs[k], wanted, 2) == 0) {
			v->lang_index = k;
			return;
		}
	v->lang_unmatched = v->lang_count > 0;
}

const char *gui_view_language(const gui_view *v)
{
	return v->lang_count ? v->langs[v->lang_index] : "";
}

/* ---- construction ---- */

/* Pause flags carry the question in the caption language. */
static void label_pauses(gui_view *v)
{
	for (size_t i = 0; i < v->mark_count; i++) {
		if (!v->marks[i].pause)
			continue;
		const char *q = script_pause_at(v->script, (uint32_t)v->marks[i].step, gui_view_language(v));
		v->marks[i].label = q ? q : "";
	}
}

/* The question to put to the class at `step`, or NULL. */
static const char *question_at(const gui_view *v, size_t step)
{
	if (!gui_controller_is_pause(&v->ctl, step))
		return NULL;
	const char *q = script_pause_at(v->script, (uint32_t)step, gui_view_language(v));
	return q && q[0] ? q : NULL;
}

static int compare_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Runs the lesson's expectations with the view's settings: a caption
 * standing on one that fails is not shown as if it were true (see
 * caption_truth.h). Out of memory: every caption is shown, as before. */
static void check_captions(gui_view *v)
{
	const script *s = v->script;
	if (s->caption_count == 0 || s->expect_count == 0)
		return;
	expect_report report;
	if (!expect_check_script(s, &v->config, &report))
		return;
	if (report.failed > 0) {
		v->truth = calloc(s->caption_count, sizeof *v->truth);
		if (v->truth) {
			caption_truth_compute(s, &report, v->truth);
			for (size_t i = 0; i < s->caption_count; i++)
				v->truth[i].message = NULL; /* it lives in the report, released below */
		}
	}
	expect_report_release(&report);
}

/* The extent step k alone asks for: its brk, or the end of the trim
 * threshold ruler when that is at most twice as far; both heaps' when
 * comparing (one scale). */
static double step_extent(const gui_view *v, size_t k)
{
	sim_step_summary summary;
	double here = SIM_PAGE_SIZE;
	if (sim_timeline_summary(v->timeline, k, &summary)) {
		double brk = (double)summary.result.brk;
		here = fmax(here, brk);
		if (summary.result.top_size > 0) {
			double ruler = brk - (double)summary.result.top_size + (double)v->config.value[SIM_SET_TRIM_THRESHOLD];
			if (ruler > here && ruler <= 2 * here)
				here = ruler;
		}
	}
	if (v->companion)
		here = fmax(here, gui_companion_extent(v->companion, k));
	return here;
}

/* The fitted extent at step k: the highest of the last few steps'
 * (EXTENT_STEPS), so a step that moves brk keeps one scale (a trim is
 * seen as brk moving left) and the view then settles on the heap as it
 * is, instead of keeping a far larger past in view. Read from the
 * timeline's summaries when drawn (an array of it cost 8 bytes a step). */
static double extent_at(const gui_view *v, size_t k)
{
	double e = step_extent(v, k);
	for (size_t j = k > EXTENT_STEPS ? k - EXTENT_STEPS : 0; j < k; j++)
		e = fmax(e, step_extent(v, j));
	return e;
}

/* Whether any op runs on, starts or ends a thread other than the main one. */
static bool uses_threads(const script *s)
{
	for (size_t i = 0; i < s->op_count; i++)
		if (s->ops[i].thread != 0 || s->ops[i].kind == SIM_OP_THREAD_START || s->ops[i].kind == SIM_OP_THREAD_EXIT)
			return true;
	return false;
}

/* One timeline's share of the view's build, told on as 0 to 1 of it all
 * (with --compare, each side's timeline is half). */
typedef struct build_share {
	const gui_view_config *config;
	double from, width;
} build_share;

static bool share_progress(void *context, uint64_t done, uint64_t total)
{
	const build_share *s = context;
	double part = total > 0 ? (double)done / (double)total : 1;
	return s->config->progress(s->config->progress_context, s->from + s->width * part);
}

/* The --break-on condition `step` meets (its word), or NULL: from the
 * timeline's summary of the step, without replaying it. */
static const char *break_on_met(const gui_view *v, size_t step)
{
	if (step == 0 || !break_on_any(&v->break_on))
		return NULL;
	return break_on_hit_mask(&v->break_on, sim_timeline_op(v->timeline, step - 1),
	                         sim_timeline_event_mask(v->timeline, step));
}

/* Where playing stops besides the lesson's pauses (the controller asks
 * at each step it arrives at): the user's breakpoints and --break-on. */
static bool stops_at(const void *context, size_t step)
{
	const gui_view *v = context;
	return gui_breakpoints_has(&v->breakpoints, step) || break_on_met(v, step) != NULL;
}

gui_view *gui_view_new(const gui_view_config *config, char *err, size_t err_size)
{
	return gui_view_new_compare(config, NULL, NULL, err, err_size);
}

gui_view *gui_view_new_compare(const gui_view_config *config, const char *label, const gui_view_side *compare, char *err,
			       size_t err_size)
{
	gui_view *v = calloc(1, sizeof *v);
	if (!v) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	v->script = config->script;
	v->slot_sites = config->slot_sites;
	v->stacks = config->stacks;
	v->source_kind = config->source_kind;
	v->config = config->config;
	gui_breakpoints_init(&v->breakpoints);
	if (config->break_on != NULL)
		v->break_on = *config->break_on;
	if (config->source != NULL && config->source_len > 0) {
		v->source = gui_source_text_new(config->source, config->source_len);
		v->source_owned = true;
		if (v->source == NULL) {
			snprintf(err, err_size, "out of memory");
			gui_view_free(v);
			return NULL;
		}
	}
	const script *s = config->script;
	/* the script outlives the view: the timeline reads its ops in place */
	bool stopped = false;
	build_share share = {config, 0, compare ? 0.5 : 1};
	v->timeline = config->progress ? sim_timeline_new_watched(&v->config, s->ops, s->op_count, share_progress, &share,
	                                                          &stopped)
	                               : sim_timeline_new_borrowing(&v->config, s->ops, s->op_count);
	sim_events_init(&v->events);
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++)
		gui_snapshot_init(&v->cache[i]);
	if (!v->timeline) {
		if (stopped)
			err[0] = '\0';
		else
			snprintf(err, err_size, "out of memory while running the scenario");
		gui_view_free(v);
		return NULL;
	}
	v->length = sim_timeline_length(v->timeline);
	if (v->length < s->op_count)
		v->ended[0] = v->length;
	if (compare) {
		build_share second = {config, 0.5, 0.5};
		v->companion = config->progress ? gui_companion_new_watched(compare->script, &compare->config,
		                                                            share_progress, &second, &stopped)
		                                : gui_companion_new(compare->script, &compare->config);
		if (!v->companion) {
			if (stopped)
				err[0] = '\0';
			else
				snprintf(err, err_size, "out of memory while running the scenario");
			gui_view_free(v);
			return NULL;
		}
		v->companion_script = compare->script;
		v->companion_config = compare->config;
		v->labels[0] = label;
		v->labels[1] = compare->label;
		size_t other = gui_companion_length(v->companion);
		if (other < s->op_count)
			v->ended[1] = other;
		if (other > v->length) /* this side aborted first: the other goes on */
			v->length = other;
	}

	v->log_text = calloc(LOG_LINES, sizeof *v->log_text);
	v->marks = calloc(s->mark_count + 1, sizeof *v->marks);
	v->pauses = calloc(s->mark_count + 1, sizeof *v->pauses);
	if (!v->marks || !v->pauses || !v->log_text) {
		snprintf(err, err_size, "out of memory");
		gui_view_free(v);
		return NULL;
	}
	/* a program that never starts a thread has only the main arena: no
	 * array (4 bytes a step) to say so for each step */
	v->step_arena = uses_threads(s) ? malloc((v->length + 1) * sizeof *v->step_arena) : NULL;
	if (v->step_arena)
		for (size_t k = 0; k <= v->length; k++)
			v->step_arena[k] = k == 0 ? 0 : ARENA_UNKNOWN;
	v->arena_follow = true;
	v->auto_fit = true;
	v->extent = extent_at(v, config->start_step > v->length ? v->length : config->start_step);
	v->bar = gui_bar_fit(v->extent);

	/* One flag and one stop per pause step: a bilingual pause is several
	 * script marks at the same step (one per language). Marks are in
	 * source order, so their steps never decrease. */
	for (size_t i = 0; i < s->mark_count; i++) {
		const script_mark *m = &s->marks[i];
		size_t at = m->at_step > v->length ? v->length : m->at_step;
		bool seen = false;
		for (size_t k = v->mark_count; m->pause && k-- > 0 && v->marks[k].step == at;)
			seen = seen || v->marks[k].pause;
		if (seen)
			continue;
		v->marks[v->mark_count++] = (gui_timeline_mark){at, m->pause, m->label};
		if (m->pause)
			v->pauses[v->pause_count++] = at;
	}
	qsort(v->pauses, v->pause_count, sizeof *v->pauses, compare_size);
	collect_languages(v, config->lang);
	label_pauses(v);
	check_captions(v);
	gui_controller_init(&v->ctl, v->length, config->start_step, v->pauses, v->pause_count);
	gui_controller_set_stops(&v->ctl, stops_at, v);
	/* --break-on step:N: breakpoints from the start, as K would set them
	 * (K removes them too); a step past the end is the last */
	for (size_t i = 0; i < v->break_on.step_count; i++) {
		size_t at = v->break_on.steps[i] < v->length ? v->break_on.steps[i] : v->length;
		if (!gui_breakpoints_has(&v->breakpoints, at) &&
		    gui_breakpoints_toggle(&v->breakpoints, at) == GUI_BREAKPOINT_FULL) {
			snprintf(err, err_size, "out of memory");
			gui_view_free(v);
			return NULL;
		}
	}
	return v;
}

void gui_view_free(gui_view *v)
{
	if (!v)
		return;
	sim_timeline_free(v->timeline);
	gui_companion_free(v->companion);
	free(v->truth);
	sim_events_release(&v->events);
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++)
		gui_snapshot_release(&v->cache[i]);
	for (size_t i = 0; i < EXPLAIN_CACHE; i++) {
		free(v->explained[i].text);
		free(v->explained[i].priority);
	}
	free(v->log_text);
	free(v->step_arena);
	free(v->marks);
	free(v->pauses);
	gui_breakpoints_release(&v->breakpoints);
	free(v->tick_columns);
	if (v->source_owned)
		gui_source_text_free(v->source);
	gui_frame_scratch_release(&v->scratch);
	trace_report *reports[2] = {v->report, v->companion_report};
	for (size_t i = 0; i < 2; i++)
		if (reports[i]) {
			trace_report_release(reports[i]);
			free(reports[i]);
		}
	free(v);
}

void gui_view_set_source_text(gui_view *v, gui_source_text *source)
{
	if (v->source_owned)
		gui_source_text_free(v->source);
	v->source = source;
	v->source_owned = false;
}

size_t gui_view_length(const gui_view *v) { return v->length; }
size_t gui_view_meter_runs(const gui_view *v) { return v->meter_runs; }
size_t gui_view_step(const gui_view *v) { return gui_controller_frame(&v->ctl).target; }
bool gui_view_animating(const gui_view *v) { return v->ctl.animating; }
bool gui_view_playing(const gui_view *v) { return v->ctl.playing; }
bool gui_view_help_shown(const gui_view *v) { return v->help; }
gui_bar_view gui_view_bar_view(const gui_view *v) { return v->bar; }
double gui_view_extent(const gui_view *v) { return v->extent; }

size_t gui_view_breakpoints(const gui_view *v, const size_t **steps)
{
	*steps = v->breakpoints.steps;
	return v->breakpoints.count;
}

size_t gui_view_marks(const gui_view *v, const gui_timeline_mark **marks)
{
	*marks = v->marks;
	return v->mark_count;
}

/* The title in the caption language; a file without captions (a
 * recording, a trace) has its title in the window's language. */
static const char *title_for(const gui_view *v)
{
	const char *lang = gui_view_language(v);
	if (!lang[0])
		lang = ui_lang(v) == GUI_UI_ZH ? "zh" : "en";
	const char *title = script_title_for(v->script, lang);
	return title ? title : v->script->title;
}

const char *gui_view_title(const gui_view *v)
{
	return title_for(v);
}

const char *gui_view_question(const gui_view *v)
{
	return question_at(v, gui_view_step(v));
}

/* ---- loading steps ---- */

/* What a log line of this event is worth when the panel is short. */
/* merged: for a consolidation, the fast chunks it merged (the model
 * reports them on its end event). */
static uint8_t log_priority(const sim_event *e, uint64_t merged)
{
	switch ((sim_event_kind)e->kind) {
	case SIM_EV_TRIM_CHECK:
	case SIM_EV_PIN_FREED:
	case SIM_EV_BRK_SHRINK:
	case SIM_EV_MADVISE: /* malloc_trim's verdict: what left RSS */
	case SIM_EV_TRIM_ADDED: /* the what-if's call (not the trace's), which that madvise or brk shrink follows */
	case SIM_EV_ABORT:
	case SIM_EV_ALLOC_FAILED: return GUI_LOG_VERDICT;
	case SIM_EV_BRK_GROW: /* (glibc's second sbrk, which only aligns or makes up for an old top, less) */
		return e->detail == SIM_BRK_GROW_REQUEST ? GUI_LOG_IMPORTANT : GUI_LOG_NORMAL;
	case SIM_EV_FORK: /* what the child keeps of the parent's threads */
	case SIM_EV_PROGRAM_SBRK: /* the program's own: the break moves outside malloc */
		return GUI_LOG_IMPORTANT;
	case SIM_EV_HEAP_FENCE: /* an old top left behind fenceposts: past the program's bytes, the step's story */
		return e->arena == 0 ? GUI_LOG_VERDICT : GUI_LOG_IMPORTANT;
	case SIM_EV_CONSOLIDATE_BEGIN: /* a consolidation that merged nothing is noise */
		return merged > 0 ? GUI_LOG_IMPORTANT : GUI_LOG_BOOKKEEPING;
	case SIM_EV_CONSOLIDATE_END: /* "8 fast chunks merged" */
		return merged > 0 ? GUI_LOG_NORMAL : GUI_LOG_BOOKKEEPING;
	case SIM_EV_ALLOC:
	case SIM_EV_MMAP:
	case SIM_EV_MUNMAP:
	case SIM_EV_MREMAP:
	case SIM_EV_REALLOC:
	case SIM_EV_THRESHOLD_UPDATE:
	case SIM_EV_MALLOPT:
	case SIM_EV_TRIM_RESULT: /* the header shows the return value too */
		return GUI_LOG_NORMAL;
	default: return GUI_LOG_BOOKKEEPING;
	}
}

static void remember_explanations(gui_view *v, size_t step, const sim_events *events)
{
	explained_step *slot = &v->explained[step % EXPLAIN_CACHE];
	gui_ui_lang lang = ui_lang(v);
	v->explaining = step > 0 ? step - 1 : 0;
	if (slot->valid && slot->step == step && slot->lang == lang)
		return;
	size_t cap = 64 + events->count * 160, len = 0, lines = 0;
	char *text = malloc(cap);
	uint8_t *priority = malloc(events->count + 1);
	if (!text || !priority) {
		free(text);
		free(priority);
		return;
	}
	text[0] = '\0';
	for (size_t i = 0; i < events->count; i++) {
		const sim_event *e = &events->items[i];
		if (!sim_explain_is_major(e))
			continue;
		char line[LOG_LINE_BYTES];
		bool verbatim;
		sim_explain_named(lang == GUI_UI_ZH ? SIM_LANG_ZH : SIM_LANG_EN, e, view_namer, site_of, view_thread_namer, v,
		                  line, sizeof line, &verbatim);
		size_t n = strlen(line);
		if (len + n + 2 > cap) {
			/* (a long sentence: a fork's, a pin's with its call site) */
			size_t grown_cap = cap * 2 > len + n + 2 ? cap * 2 : len + n + 2;
			char *grown = realloc(text, grown_cap);
			if (!grown)
				break;
			text = grown;
			cap = grown_cap;
		}
		if (len)
			text[len++] = '\n';
		memcpy(text + len, line, n + 1);
		len += n;
		uint64_t merged = e->v1;
		if (e->kind == SIM_EV_CONSOLIDATE_BEGIN)
			for (size_t j = i + 1; j < events->count; j++)
				if (events->items[j].kind == SIM_EV_CONSOLIDATE_END) {
					merged = events->items[j].v1;
					break;
				}
		priority[lines++] = log_priority(e, merged);
	}
	free(slot->text);
	free(slot->priority);
	slot->text = text;
	slot->priority = priority;
	slot->line_count = lines;
	slot->step = step;
	slot->lang = lang;
	slot->valid = true;
}

static bool explained(const gui_view *v, size_t step)
{
	const explained_step *e = &v->explained[step % EXPLAIN_CACHE];
	return e->valid && e->step == step && e->lang == ui_lang(v);
}

/* Explains steps [from, to] that the log needs and no frame loaded (after
 * a far seek, or when playing faster than one step per frame): replays
 * them on the timeline without copying states, in increasing order so
 * each seek after the first is one step; the cursor ends at `to`, from
 * where the frame's next load is one step too. */
static void explain_steps(gui_view *v, size_t from, size_t to)
{
	for (size_t k = from; k <= to; k++) {
		if (k == 0 || explained(v, k))
			continue;
		if (!sim_timeline_seek(v->timeline, k, NULL, &v->events))
			return;
		remember_explanations(v, k, &v->events);
	}
}

/* The arena a step's call used (gui_step_arena); a call that touches
 * none keeps the previous step's, when that is known. */
static uint32_t arena_of_step(gui_view *v, size_t step)
{
	if (step == 0 || step > v->script->op_count)
		return 0;
	uint32_t previous = v->step_arena && v->step_arena[step - 1] != ARENA_UNKNOWN ? v->step_arena[step - 1] : 0;
	return gui_step_arena(sim_timeline_state(v->timeline), &v->events, v->script->ops[step - 1].thread, previous);
}

static uint32_t arena_wanted(const gui_view *v, size_t step)
{
	if (!v->arena_follow)
		return v->arena_shown;
	return v->step_arena ? v->step_arena[step] : 0;
}

/* The snapshots' bytes, and how many entries hold memory. */
static size_t cache_bytes(const gui_view *v, size_t *held)
{
	size_t bytes = 0;
	*held = 0;
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++) {
		size_t b = gui_snapshot_bytes(&v->cache[i]);
		bytes += b;
		*held += b > 0;
	}
	return bytes;
}

/* Where the next snapshot goes: an unused entry, else the least recently
 * used. Past SNAPSHOT_SPARE_BYTES in two entries the third stays empty
 * (filling it would hold a third large snapshot; emptying one each step
 * would pay for its pages each step). */
static size_t cache_victim(const gui_view *v)
{
	size_t held;
	bool no_spare = cache_bytes(v, &held) > SNAPSHOT_SPARE_BYTES && held >= 2;
	size_t victim = SIZE_MAX;
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++) {
		if (no_spare && gui_snapshot_bytes(&v->cache[i]) == 0)
			continue;
		if (!v->cache_valid[i])
			return i;
		if (victim == SIZE_MAX || v->cache_used[i] < v->cache_used[victim])
			victim = i;
	}
	return victim;
}

/* Frees the least recently used snapshot but `kept` (just loaded) when
 * all three hold memory, more than SNAPSHOT_SPARE_BYTES (snapshots grow
 * with the heap: the spare was filled while they were small). */
static void spare_release(gui_view *v, size_t kept)
{
	size_t held;
	if (cache_bytes(v, &held) <= SNAPSHOT_SPARE_BYTES || held < SNAPSHOT_CACHE)
		return;
	size_t oldest = SIZE_MAX;
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++)
		if (i != kept && (oldest == SIZE_MAX || !v->cache_valid[i] ||
				  (v->cache_valid[oldest] && v->cache_used[i] < v->cache_used[oldest])))
			oldest = i;
	gui_snapshot_release(&v->cache[oldest]);
	v->cache_valid[oldest] = false;
}

size_t gui_view_snapshot_bytes(const gui_view *v)
{
	size_t held;
	return cache_bytes(v, &held);
}

/* The snapshot of `step`, loaded on demand; NULL on failure. */
static const gui_snapshot *load(gui_view *v, size_t step)
{
	v->clock++;
	uint32_t want = arena_wanted(v, step);
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++) {
		if (v->cache_valid[i] && v->cache_step[i] == step && want != ARENA_UNKNOWN && v->cache_arena[i] == want) {
			v->cache_used[i] = v->clock;
			return &v->cache[i];
		}
	}
	size_t victim = cache_victim(v);
	v->cache_valid[victim] = false;
	/* the snapshot is made from the timeline's own cursor: a copy of the
	 * state would cost its size (50 MB for a 1M-call recording) per load */
	if (!sim_timeline_seek(v->timeline, step, NULL, &v->events))
		return NULL;
	if (want == ARENA_UNKNOWN) {
		want = arena_of_step(v, step);
		if (v->step_arena)
			v->step_arena[step] = want;
	}
	const sim_stats *known = NULL;
	if (want == 0 && v->meters[step % METER_CACHE].valid && v->meters[step % METER_CACHE].step == step)
		known = &v->meters[step % METER_CACHE].stats;
	gui_snapshot *snap = &v->cache[victim];
	if (!gui_snapshot_collect_known(snap, sim_timeline_state(v->timeline), step > 0 ? &v->events : NULL, step, want, known))
		return NULL;
	if (!known && snap->arena == 0) {
		v->meter_runs++;
		v->meters[step % METER_CACHE].valid = true;
		v->meters[step % METER_CACHE].step = step;
		v->meters[step % METER_CACHE].stats = snap->stats;
	}
	v->cache_arena[victim] = want;
	if (step > 0)
		remember_explanations(v, step, &v->events);
	v->cache_valid[victim] = true;
	v->cache_step[victim] = step;
	v->cache_used[victim] = v->clock;
	spare_release(v, victim);
	return &v->cache[victim];
}

/* ---- actions ---- */

size_t gui_view_arena_count(gui_view *v)
{
	size_t step = gui_view_step(v);
	const gui_snapshot *s = load(v, step);
	size_t count = s ? s->arena_count : 1;
	if (v->companion) { /* the side with more: the other shows its main arena there */
		const gui_snapshot *s2 = gui_companion_load(v->companion, step, GUI_COMPANION_FOLLOW);
		if (s2 && s2->arena_count > count)
			count = s2->arena_count;
	}
	return count > GUI_ARENAS_MAX ? GUI_ARENAS_MAX : count;
}

void gui_view_show_arena(gui_view *v, uint32_t arena)
{
	v->arena_follow = false;
	v->arena_shown = arena;
}

/* [ and ]: each step's own arena -> main -> 1 -> ... -> the last ->
 * each step's own again (and backwards). */
static void switch_arena(gui_view *v, bool forward)
{
	size_t count = gui_view_arena_count(v);
	/* positions: 0 = follow, 1 + i = arena i */
	size_t pos = v->arena_follow ? 0 : (size_t)v->arena_shown + 1;
	if (pos > count)
		pos = count;
	pos = forward ? (pos + 1) % (count + 1) : (pos + count) % (count + 1);
	char msg[256];
	if (pos == 0) {
		v->arena_follow = true;
		gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_ARENA_FOLLOW);
	} else {
		v->arena_follow = false;
		v->arena_shown = (uint32_t)(pos - 1);
		if (v->arena_shown == 0) {
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_ARENA_MAIN_SHOWN);
		} else {
			/* the threads on it now, by name */
			char names[160] = "";
			size_t used = 0;
			size_t step = gui_view_step(v);
			for (uint32_t t = 1; t < v->script->thread_count && used < sizeof names; t++) {
				/* (the thread that has the number at this step) */
				const char *tn = script_thread_name_at(v->script, t, step ? step - 1 : 0);
				if (tn && sim_heap_thread_arena(sim_timeline_state(v->timeline), t) == v->arena_shown)
					used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", tn);
			}
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_ARENA_SHOWN, (unsigned)v->arena_shown, names);
		}
	}
	gui_view_toast(v, msg);
}

void gui_view_toast(gui_view *v, const char *message)
{
	snprintf(v->toast, sizeof v->toast, "%s", message);
	v->toast_ms = 2500;
}

void gui_view_toast_saved(gui_view *v, const char *file)
{
	char msg[256];
	gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_SAVED, file);
	gui_view_toast(v, msg);
}

/* A reveal holds for the step it was made at: leaving it hides the
 * answers again for the next time the class gets there. */
static void forget_reveal(gui_view *v)
{
	if (v->revealed && gui_view_step(v) != v->revealed_step)
		v->revealed = false;
}

void gui_view_seek(gui_view *v, size_t step)
{
	gui_controller_seek(&v->ctl, step);
	forget_reveal(v);
}

/* Moves to `step`: animated when it is the neighbour, else a jump. */
static void go_to(gui_view *v, size_t step)
{
	size_t here = gui_view_step(v);
	if (step == here + 1)
		gui_controller_step(&v->ctl, +1);
	else if (step + 1 == here)
		gui_controller_step(&v->ctl, -1);
	else {
		gui_controller_pause(&v->ctl);
		gui_controller_seek(&v->ctl, step);
	}
}

static void jump(gui_view *v, uint32_t mask, bool forward, gui_string what)
{
	size_t here = gui_view_step(v);
	size_t found = sim_timeline_find(v->timeline, here, forward, mask);
	if (found == SIZE_MAX || found > v->length) {
		char msg[160];
		gui_strf(msg, sizeof msg, ui_lang(v), forward ? GUI_S_NONE_AFTER : GUI_S_NONE_BEFORE, gui_str(ui_lang(v), what),
			 here);
		gui_view_toast(v, msg);
		return;
	}
	go_to(v, found);
}

static void jump_mark(gui_view *v, bool forward)
{
	size_t here = gui_view_step(v);
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < v->mark_count; i++) {
		size_t at = v->marks[i].step;
		if (forward && at > here && (best == SIZE_MAX || at < best))
			best = at;
		if (!forward && at < here && (best == SIZE_MAX || at > best))
			best = at;
	}
	size_t breakpoint = gui_breakpoints_next(&v->breakpoints, here, forward);
	if (breakpoint != SIZE_MAX && (best == SIZE_MAX || (forward ? breakpoint < best : breakpoint > best)))
		best = breakpoint;
	if (best == SIZE_MAX) {
		char msg[160];
		gui_strf(msg, sizeof msg, ui_lang(v), forward ? GUI_S_NONE_AFTER : GUI_S_NONE_BEFORE,
			 gui_str(ui_lang(v), GUI_S_JUMP_MARK), here);
		gui_view_toast(v, msg);
		return;
	}
	go_to(v, best);
}

#define EVBIT(k) (1u << (k))

/* ---- search and jumps to a chunk's allocation and free ---- */

static bool op_allocates(const sim_op *op)
{
	return op->slot != SIM_NO_SLOT && (op->kind == SIM_OP_MALLOC || op->kind == SIM_OP_CALLOC ||
					   op->kind == SIM_OP_REALLOC || op->kind == SIM_OP_MEMALIGN);
}

/* Whether op frees what `slot` held: free, realloc(p, 0), or a realloc
 * of it that gives its pointer to another slot. */
static bool op_frees(const sim_op *op, sim_slot slot)
{
	if (op->kind == SIM_OP_FREE)
		return op->slot == slot;
	if (op->kind == SIM_OP_REALLOC && op->arg_slot == slot)
		return op->slot != slot || op->size == 0;
	return false;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i]) {
			char a = hay[i], b = needle[i];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return false;
}

size_t gui_view_search_find(const gui_view *v, const char *text, size_t from)
{
	while (*text == ' ')
		text++;
	size_t len = strlen(text);
	while (len > 0 && text[len - 1] == ' ')
		len--;
	char q[128];
	if (len == 0 || len >= sizeof q)
		return SIZE_MAX;
	memcpy(q, text, len);
	q[len] = '\0';
	size_t n = v->length < v->script->op_count ? v->length : v->script->op_count;
	/* a step number */
	const char *digits = q[0] == '#' ? q + 1 : q;
	if (*digits && strspn(digits, "0123456789") == strlen(digits)) {
		unsigned long long k = strtoull(digits, NULL, 10);
		return k > v->length ? v->length : (size_t)k;
	}
	/* an address: the step whose allocation holds it */
	bool hex = (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) || q[0] == '+';
	uint64_t addr = 0;
	if (hex) {
		const char *h = q[0] == '+' ? q + 1 : q + 2;
		if (!*h || strspn(h, "0123456789abcdefABCDEF") != strlen(h))
			return SIZE_MAX;
		addr = strtoull(h, NULL, 16);
	}
	for (size_t i = 1; i <= n; i++) {
		size_t k = (from + i - 1) % n + 1;
		const sim_op *op = &v->script->ops[k - 1];
		/* a thread's name: its next call (T4606, worker[3]; a
		 * recording's numbers are reused, so by the step's thread) */
		if (!hex && op->thread != 0) {
			const char *tn = script_thread_name_at(v->script, op->thread, k - 1);
			if (tn && strcmp(tn, q) == 0)
				return k;
		}
		if (!op_allocates(op))
			continue;
		if (hex) {
			sim_step_summary summary;
			sim_timeline_summary(v->timeline, k, &summary);
			const sim_result *r = &summary.result;
			uint64_t span = op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size;
			if (r->ret_kind == SIM_RET_HEAP && addr >= r->ret && addr < r->ret + (span ? span : 1))
				return k;
			continue;
		}
		const char *name = namer(v->script, op->slot);
		if (name && strncmp(name, q, len) == 0)
			return k;
		const char *site = site_of(v, op->slot);
		if (site && contains_nocase(site, q))
			return k;
	}
	return SIZE_MAX;
}

bool gui_view_searching(const gui_view *v)
{
	return v->search_open;
}

void gui_view_text_input(gui_view *v, const char *text)
{
	if (!v->search_open)
		return;
	/* The key that opened the box sends its character too: not typed. */
	if (v->search_swallow && text[0] == v->search_swallow && text[1] == '\0') {
		v->search_swallow = 0;
		return;
	}
	v->search_swallow = 0;
	size_t have = strlen(v->search), add = strlen(text);
	if (have + add < sizeof v->search) {
		memcpy(v->search + have, text, add + 1);
		gui_strf(v->search_hint, sizeof v->search_hint, ui_lang(v), GUI_S_SEARCH_HINT);
	}
}

void gui_view_search_key(gui_view *v, gui_search_key key)
{
	if (!v->search_open)
		return;
	v->search_swallow = 0;
	switch (key) {
	case GUI_SEARCH_BACKSPACE: {
		size_t n = strlen(v->search);
		while (n > 0 && ((unsigned char)v->search[n - 1] & 0xC0) == 0x80) /* a whole UTF-8 character */
			n--;
		if (n > 0)
			n--;
		v->search[n] = '\0';
		break;
	}
	case GUI_SEARCH_CLOSE: v->search_open = false; break;
	case GUI_SEARCH_ENTER: {
		size_t k = gui_view_search_find(v, v->search, v->search_from);
		if (k == SIZE_MAX) {
			char quoted[160];
			snprintf(quoted, sizeof quoted, "'%s'", v->search);
			gui_strf(v->search_hint, sizeof v->search_hint, ui_lang(v), GUI_S_SEARCH_NONE, quoted);
			break;
		}
		char op[200];
		gui_view_op_text(v, k, op, sizeof op);
		gui_strf(v->search_hint, sizeof v->search_hint, ui_lang(v), GUI_S_SEARCH_FOUND, k, op);
		v->search_from = k;
		go_to(v, k);
		break;
	}
	}
}

/* The slot of the chunk under the mouse (a freed one by its last owner),
 * else the one the step's op names. */
static sim_slot selected_slot(gui_view *v)
{
	size_t here = gui_view_step(v);
	if (v->mouse_in && v->geometry_valid) {
		gui_rect bar = v->geometry.bar;
		if (v->mouse_y >= bar.y && v->mouse_y < bar.y + bar.h && v->mouse_x >= bar.x && v->mouse_x < bar.x + bar.w) {
			const gui_snapshot *s = load(v, here);
			gui_bar_hit hit = s ? gui_bar_hit_test(s, bar, v->bar, v->mouse_x) : (gui_bar_hit){SIZE_MAX, 0, 0};
			if (hit.chunk != SIZE_MAX) {
				const sim_chunk_info c_v = gui_snapshot_chunk(s, hit.chunk), *c = &c_v;
				return c->place == SIM_PLACE_INUSE ? c->slot : c->freed_slot;
			}
		}
	}
	if (here == 0 || here > v->script->op_count)
		return SIM_NO_SLOT;
	const sim_op *op = &v->script->ops[here - 1];
	return op->kind == SIM_OP_TRIM || op->kind == SIM_OP_MALLOPT ? SIM_NO_SLOT : op->slot;
}

static void jump_to_chunk(gui_view *v, bool to_free)
{
	sim_slot slot = selected_slot(v);
	size_t here = gui_view_step(v);
	char msg[200], name_buf[24];
	if (slot == SIM_NO_SLOT) {
		gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_NO_CHUNK);
		gui_view_toast(v, msg);
		return;
	}
	const char *name = slot_name_or(v, slot, name_buf, sizeof name_buf);
	size_t n = v->length < v->script->op_count ? v->length : v->script->op_count;
	if (to_free) {
		for (size_t k = here + 1; k <= n; k++)
			if (op_frees(&v->script->ops[k - 1], slot)) {
				go_to(v, k);
				return;
			}
		gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_NO_FREE, name, here);
	} else {
		for (size_t k = here < n ? here : n; k >= 1; k--)
			if (op_allocates(&v->script->ops[k - 1]) && v->script->ops[k - 1].slot == slot) {
				go_to(v, k);
				return;
			}
		gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_NO_ALLOC, name, here);
	}
	gui_view_toast(v, msg);
}

/* ---- the RSS story (G) ---- */

bool gui_view_story_shown(const gui_view *v)
{
	return v->story_shown;
}

/* The story panel's data, built from trace/report.c the first time.
 * hidden: a pause whose answer is not revealed yet; the panel's sentences
 * (the peak's largest group, what pins the top at the end) could answer
 * the question, so they wait as the verdicts do (R shows them). */
/* A report of `script`'s first `steps` ops under `config`, built once. */
static const trace_report *story_report(trace_report **slot, const script *ops, const sim_config *config,
                                        const trace_stacks *stacks, size_t steps)
{
	if (!*slot) {
		*slot = calloc(1, sizeof **slot);
		if (!*slot)
			return NULL;
		trace_report_init(*slot);
		trace_report_build(ops, config, stacks, steps, *slot);
	}
	return *slot;
}

/* One side's line under --compare: its largest VmData and RSS, and both
 * at the end (where two profiles part most plainly). */
static void story_side_line(char *out, size_t size, gui_ui_lang lang, const char *label, const trace_report *r)
{
	char vm[32], rss[32], vm_end[32], rss_end[32];
	gui_format_size(r->vm_data_peak, vm, sizeof vm);
	gui_format_size(r->rss_peak, rss, sizeof rss);
	gui_format_size(r->end_vm_data, vm_end, sizeof vm_end);
	gui_format_size(r->end_rss, rss_end, sizeof rss_end);
	gui_strf(out, size, lang, GUI_S_STORY_SIDE, label, vm, rss, vm_end, rss_end);
}

/* The story panel's data, built from trace/report.c the first time (and
 * under --compare the other profile's VmData and RSS, dashed).
 * hidden: a pause whose answer is not revealed yet; the panel's sentences
 * (the peak's largest group, what pins the top at the end, each side's
 * end) could answer the question, so they wait as the verdicts do (R
 * shows them). */
static const gui_story *story_for(gui_view *v, size_t step, bool hidden)
{
	if (!v->story_shown)
		return NULL;
	const trace_report *r = story_report(&v->report, v->script, &v->config, v->stacks, v->length);
	const trace_report *r2 = NULL;
	if (!r)
		return NULL;
	if (v->companion) {
		r2 = story_report(&v->companion_report, v->companion_script, &v->companion_config, v->stacks,
		                  gui_companion_length(v->companion));
		if (!r2)
			return NULL;
	}
	gui_story *s = &v->story;
	gui_ui_lang lang = ui_lang(v);
	memset(s, 0, sizeof *s);
	s->columns = r->bucket_count < GUI_STORY_COLUMNS ? r->bucket_count : GUI_STORY_COLUMNS;
	for (size_t c = 0; c < s->columns; c++) {
		s->vm[c] = (double)r->buckets[c].vm_data_max;
		s->rss[c] = (double)r->buckets[c].rss_max;
		s->in_use[c] = (double)r->buckets[c].in_use_max;
		double top = fmax(fmax(s->vm[c], s->rss[c]), s->in_use[c]);
		if (top > s->scale)
			s->scale = top;
	}
	if (r2) {
		s->columns2 = r2->bucket_count < GUI_STORY_COLUMNS ? r2->bucket_count : GUI_STORY_COLUMNS;
		for (size_t c = 0; c < s->columns2; c++) {
			s->vm2[c] = (double)r2->buckets[c].vm_data_max;
			s->rss2[c] = (double)r2->buckets[c].rss_max;
			s->scale = fmax(s->scale, fmax(s->vm2[c], s->rss2[c]));
		}
		s->length2 = r2->steps;
		s->legend2 = v->labels[1];
	}
	s->length = r->steps;
	s->step = step;
	s->peak_step = r->peak_step;
	s->title = gui_str(lang, GUI_S_STORY_TITLE);
	if (v->companion && v->labels[0]) {
		/* two heaps on the screen: solid lines are the first one's */
		snprintf(v->story_title, sizeof v->story_title, "%s%s%s", s->title, lang == GUI_UI_ZH ? "：" : ": ",
			 v->labels[0]);
		s->title = v->story_title;
	}
	s->legend[0] = "VmData";
	s->legend[1] = "RSS";
	s->legend[2] = gui_str(lang, GUI_S_STORY_IN_USE);
	char a[32], b[32], c[32];
	size_t line = 0;
	gui_format_size(r->peak_in_use, a, sizeof a);
	gui_format_size(r->peak_vm_data, b, sizeof b);
	gui_format_size(r->peak_rss, c, sizeof c);
	gui_strf(v->story_lines[line], sizeof v->story_lines[line], lang, GUI_S_STORY_PEAK, r->peak_step, a, b, c);
	s->lines[line] = v->story_lines[line];
	line++;
	if (hidden) {
		s->lines[0] = gui_str(lang, GUI_S_ANSWER_HIDDEN);
		s->lines[1] = gui_str(lang, GUI_S_STORY_MORE);
		return s;
	}
	if (r2 && v->labels[0] && v->labels[1]) {
		story_side_line(v->story_lines[line], sizeof v->story_lines[line], lang, v->labels[0], r);
		s->lines[line] = v->story_lines[line];
		line++;
		story_side_line(v->story_lines[line], sizeof v->story_lines[line], lang, v->labels[1], r2);
		s->lines[line] = v->story_lines[line];
		line++;
	}
	if (r->live_at_peak.count > 0) {
		gui_format_size(r->live_at_peak.groups[0].bytes, a, sizeof a);
		const char *label = r->live_at_peak.groups[0].label[0] ? r->live_at_peak.groups[0].label : "?";
		gui_strf(v->story_lines[line], sizeof v->story_lines[line], lang, GUI_S_STORY_MOST, label, a);
		s->lines[line] = v->story_lines[line];
		line++;
	}
	for (size_t i = 0; i < r->pinned_at_end.count; i++)
		if (r->pinned_at_end.groups[i].pins_top) {
			gui_format_size(r->pinned_at_end.bytes, a, sizeof a);
			const char *label = r->pinned_at_end.groups[i].label[0] ? r->pinned_at_end.groups[i].label : "?";
			gui_strf(v->story_lines[line], sizeof v->story_lines[line], lang, GUI_S_STORY_PINS, label, a);
			s->lines[line] = v->story_lines[line];
			line++;
			break;
		}
	if (line < GUI_STORY_LINES) /* with two sides' lines there may be no room left for the hint */
		s->lines[line] = gui_str(lang, GUI_S_STORY_MORE);
	return s;
}

static gui_rect bar_rect(const gui_view *v)
{
	return v->geometry_valid ? v->geometry.bar : (gui_rect){0, 0, 1000, 100};
}

static bool apply_action(gui_view *v, gui_action action);

bool gui_view_action(gui_view *v, gui_action action)
{
	bool done = apply_action(v, action);
	forget_reveal(v);
	return done;
}

static bool apply_action(gui_view *v, gui_action action)
{
	size_t here = gui_view_step(v);
	gui_rect bar = bar_rect(v);
	switch (action) {
	case GUI_ACT_PLAY_PAUSE: gui_controller_toggle_play(&v->ctl); return true;
	case GUI_ACT_STEP_FORWARD: gui_controller_step(&v->ctl, +1); return true;
	case GUI_ACT_STEP_BACK: gui_controller_step(&v->ctl, -1); return true;
	case GUI_ACT_PAGE_FORWARD: {
		size_t page = gui_view_page_steps(v);
		go_to(v, here + page > v->length ? v->length : here + page);
		return true;
	}
	case GUI_ACT_PAGE_BACK: {
		size_t page = gui_view_page_steps(v);
		go_to(v, here > page ? here - page : 0);
		return true;
	}
	case GUI_ACT_FIRST: go_to(v, 0); return true;
	case GUI_ACT_LAST: go_to(v, v->length); return true;
	case GUI_ACT_SEARCH:
		v->search_open = true;
		v->search[0] = '\0';
		v->search_swallow = '/';
		v->search_from = here;
		gui_strf(v->search_hint, sizeof v->search_hint, ui_lang(v), GUI_S_SEARCH_HINT);
		return true;
	case GUI_ACT_JUMP_ALLOC: jump_to_chunk(v, false); return true;
	case GUI_ACT_JUMP_FREE: jump_to_chunk(v, true); return true;
	case GUI_ACT_STORY:
		v->story_shown = !v->story_shown;
		return true;
	case GUI_ACT_NEXT_ARENA:
	case GUI_ACT_PREV_ARENA:
		switch_arena(v, action == GUI_ACT_NEXT_ARENA);
		return true;
	case GUI_ACT_BREAKPOINT: {
		char msg[160];
		switch (gui_breakpoints_toggle(&v->breakpoints, here)) {
		case GUI_BREAKPOINT_SET: gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_BREAKPOINT_SET, here); break;
		case GUI_BREAKPOINT_REMOVED: gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_BREAKPOINT_REMOVED, here); break;
		case GUI_BREAKPOINT_FULL:
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_BREAKPOINT_FULL, v->breakpoints.count);
			break;
		}
		gui_view_toast(v, msg);
		return true;
	}
	case GUI_ACT_CLEAR_BREAKPOINTS: {
		char msg[160];
		size_t had = gui_breakpoints_clear(&v->breakpoints);
		if (had)
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_BREAKPOINTS_CLEARED, had);
		else
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_BREAKPOINTS_NONE);
		gui_view_toast(v, msg);
		return had > 0;
	}
	case GUI_ACT_FASTER: gui_controller_change_speed(&v->ctl, +1); return true;
	case GUI_ACT_SLOWER: gui_controller_change_speed(&v->ctl, -1); return true;
	case GUI_ACT_NEXT_TRIM:
	case GUI_ACT_PREV_TRIM:
		jump(v, EVBIT(SIM_EV_BRK_SHRINK), action == GUI_ACT_NEXT_TRIM, GUI_S_JUMP_TRIM);
		return true;
	case GUI_ACT_NEXT_GROW:
	case GUI_ACT_PREV_GROW:
		jump(v, EVBIT(SIM_EV_BRK_GROW), action == GUI_ACT_NEXT_GROW, GUI_S_JUMP_GROW);
		return true;
	case GUI_ACT_NEXT_CONSOLIDATE:
	case GUI_ACT_PREV_CONSOLIDATE:
		jump(v, EVBIT(SIM_EV_CONSOLIDATE_BEGIN), action == GUI_ACT_NEXT_CONSOLIDATE, GUI_S_JUMP_CONSOLIDATE);
		return true;
	case GUI_ACT_NEXT_ABORT:
	case GUI_ACT_PREV_ABORT:
		jump(v, EVBIT(SIM_EV_ABORT), action == GUI_ACT_NEXT_ABORT, GUI_S_JUMP_ABORT);
		return true;
	case GUI_ACT_NEXT_MMAP:
	case GUI_ACT_PREV_MMAP:
		jump(v, EVBIT(SIM_EV_MMAP) | EVBIT(SIM_EV_MUNMAP), action == GUI_ACT_NEXT_MMAP, GUI_S_JUMP_MMAP);
		return true;
	case GUI_ACT_NEXT_MARK:
	case GUI_ACT_PREV_MARK: jump_mark(v, action == GUI_ACT_NEXT_MARK); return true;
	case GUI_ACT_ZOOM_IN:
	case GUI_ACT_ZOOM_OUT: {
		/* Around the mouse when it is over the bar (as the wheel), else
		 * around the middle. */
		float x = v->mouse_in && v->mouse_x >= bar.x && v->mouse_x < bar.x + bar.w ? v->mouse_x : bar.x + bar.w / 2;
		v->auto_fit = false;
		v->bar = gui_bar_zoom(v->bar, bar, x, action == GUI_ACT_ZOOM_IN ? 2.0 : 0.5, v->extent);
		return true;
	}
	case GUI_ACT_REVEAL:
		if (!gui_view_answers_hidden(v))
			return false;
		v->revealed = true;
		v->revealed_step = gui_view_step(v);
		return true;
	case GUI_ACT_PRESENT: v->presenting = !v->presenting; return true;
	case GUI_ACT_FULLSCREEN:
	case GUI_ACT_SCREENSHOT:
	case GUI_ACT_QUIT: return false;
	case GUI_ACT_ZOOM_FIT:
		v->auto_fit = true;
		v->bar = gui_bar_fit(v->extent);
		return true;
	case GUI_ACT_HELP: v->help = !v->help; return true;
	case GUI_ACT_LANGUAGE:
		if (v->lang_count < 2)
			return false;
		v->lang_index = (v->lang_index + 1) % v->lang_count;
		v->lang_unmatched = false; /* (the interface follows the captions chosen) */
		label_pauses(v);
		{
			char msg[96];
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_LANGUAGE_IS, lang_display(v->langs[v->lang_index]));
			gui_view_toast(v, msg);
		}
		return true;
	case GUI_ACT_ESCAPE:
		if (v->help) {
			v->help = false;
			return true;
		}
		return false;
	case GUI_ACT_COUNT: break;
	}
	return false;
}

size_t gui_view_page_steps(const gui_view *v)
{
	size_t page = v->length / 50;
	return page > 10 ? page : 10;
}

bool gui_view_answers_hidden(const gui_view *v)
{
	size_t step = gui_view_step(v);
	return question_at(v, step) != NULL && !(v->revealed && v->revealed_step == step);
}

bool gui_view_presenting(const gui_view *v)
{
	return v->presenting;
}

void gui_view_tick(gui_view *v, double dt_ms)
{
	gui_controller_tick(&v->ctl, dt_ms);
	if (v->ctl.stopped_by_stop) {
		/* says why playing stopped where the lesson has no pause */
		v->ctl.stopped_by_stop = false;
		size_t here = v->ctl.step;
		const char *met = break_on_met(v, here);
		char msg[200];
		if (gui_breakpoints_has(&v->breakpoints, here) || met == NULL)
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_STOPPED_BREAKPOINT, here);
		else
			gui_strf(msg, sizeof msg, ui_lang(v), GUI_S_STOPPED_BREAK_ON, here, met);
		gui_view_toast(v, msg);
	}
	forget_reveal(v);
	if (v->toast_ms > 0)
		v->toast_ms -= dt_ms;
}

/* ---- mouse ---- */

static bool in_rect(gui_rect r, float x, float y)
{
	return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void seek_timeline(gui_view *v, float x)
{
	size_t step = gui_timeline_step_at(v->geometry.timeline_track, v->length, x);
	gui_controller_seek(&v->ctl, step);
}

void gui_view_mouse_move(gui_view *v, float x, float y)
{
	float dx = x - v->mouse_x;
	v->mouse_x = x;
	v->mouse_y = y;
	v->mouse_in = true;
	if (!v->geometry_valid)
		return;
	if (v->drag == DRAG_TIMELINE)
		seek_timeline(v, x);
	else if (v->drag == DRAG_BAR && dx != 0) {
		v->auto_fit = false;
		v->bar = gui_bar_pan(v->bar, v->geometry.bar, dx, v->extent);
	}
}

void gui_view_mouse_down(gui_view *v, float x, float y)
{
	v->mouse_x = x;
	v->mouse_y = y;
	v->mouse_in = true;
	if (!v->geometry_valid || v->help)
		return;
	if (in_rect(v->geometry.timeline, x, y)) {
		v->drag = DRAG_TIMELINE;
		gui_controller_pause(&v->ctl);
		seek_timeline(v, x);
	} else if (in_rect(v->geometry.bar, x, y) || in_rect(v->geometry.callout, x, y) || in_rect(v->geometry.ruler, x, y) ||
		   in_rect(v->geometry.bar2, x, y) || in_rect(v->geometry.callout2, x, y) || in_rect(v->geometry.ruler2, x, y)) {
		v->drag = DRAG_BAR;
		v->drag_x = x;
	}
}

void gui_view_mouse_up(gui_view *v)
{
	v->drag = DRAG_NONE;
}

void gui_view_mouse_leave(gui_view *v)
{
	v->mouse_in = false;
	v->drag = DRAG_NONE;
}

void gui_view_wheel(gui_view *v, float x, float y, float clicks)
{
	if (!v->geometry_valid)
		return;
	gui_frame_geometry *g = &v->geometry;
	float top = g->strip.y, bottom = g->axis.y + g->axis.h;
	if (y < top || y > bottom)
		return;
	v->auto_fit = false;
	v->bar = gui_bar_zoom(v->bar, g->bar, x, pow(1.25, clicks), v->extent);
}

/* ---- the frame ---- */

/* The log: the target step's op and explanations, after those of the
 * steps before it (LOG_STEPS_BACK at most), oldest first. The panel shows
 * what fits (gui_log_layout). */
static void build_log(gui_view *v, size_t target, size_t *count_out)
{
	size_t oldest = target > LOG_STEPS_BACK - 1 ? target - (LOG_STEPS_BACK - 1) : 1;
	if (target > 0)
		explain_steps(v, oldest, target);
	size_t n = 0;
	/* At a pause the verdict (the trim check, brk going down) answers the
	 * question: one line says it waits for R instead. */
	bool hide = question_at(v, target) != NULL && !(v->revealed && v->revealed_step == target);
	for (size_t step = oldest; step <= target && step > 0; step++) {
		const explained_step *e = &v->explained[step % EXPLAIN_CACHE];
		size_t lines = explained(v, step) && e->text ? e->line_count : 0;
		/* keep room for the newer steps: the target step first of all */
		size_t later = target - step;
		if (n + 1 + lines + later > LOG_LINES) {
			if (n + 1 + later > LOG_LINES)
				continue;
			lines = LOG_LINES - n - 1 - later;
		}
		char op[200];
		gui_view_op_text(v, step, op, sizeof op);
		snprintf(v->log_text[n], LOG_LINE_BYTES, "%zu.  %s", step, op);
		v->log[n] = (gui_log_line){v->log_text[n], step == target, true, GUI_LOG_VERDICT};
		n++;
		const char *p = lines ? e->text : "";
		bool noted = false;
		for (size_t i = 0; i < lines && *p; i++) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (hide && step == target && e->priority[i] >= GUI_LOG_VERDICT) {
				p = nl ? nl + 1 : p + len;
				if (noted)
					continue;
				noted = true;
				snprintf(v->log_text[n], LOG_LINE_BYTES, "%s", gui_str(ui_lang(v), GUI_S_ANSWER_HIDDEN));
				v->log[n] = (gui_log_line){v->log_text[n], true, false, GUI_LOG_VERDICT};
				n++;
				continue;
			}
			if (len >= LOG_LINE_BYTES)
				len = LOG_LINE_BYTES - 1;
			memcpy(v->log_text[n], p, len);
			v->log_text[n][len] = '\0';
			v->log[n] = (gui_log_line){v->log_text[n], step == target, false, e->priority[i]};
			n++;
			p = nl ? nl + 1 : p + len;
		}
	}
	*count_out = n;
}

/* Step k's events, for the timeline's ticks (0 for the steps past this
 * side's end when the other side of a comparison goes on). */
static uint32_t step_mask(const void *timeline, size_t step)
{
	return sim_timeline_event_mask(timeline, step);
}

static void update_ticks(gui_view *v, int width)
{
	if (width == v->tick_width && v->tick_columns)
		return;
	uint32_t *columns = realloc(v->tick_columns, (size_t)(width > 0 ? width : 1) * sizeof *columns);
	if (!columns)
		return;
	v->tick_columns = columns;
	v->tick_width = width;
	gui_timeline_columns(step_mask, v->timeline, v->length, width, columns);
}

static const char *make_badge(gui_view *v)
{
	if (v->lang_count < 2)
		return NULL;
	size_t len = 0;
	v->badge[0] = '\0';
	for (size_t k = 0; k < v->lang_count && len + 24 < sizeof v->badge; k++) {
		const char *name = lang_display(v->langs[k]);
		len += (size_t)snprintf(v->badge + len, sizeof v->badge - len, k == v->lang_index ? "%s[%s]" : "%s%s",
					k ? " " : "", name);
	}
	snprintf(v->badge + len, sizeof v->badge - len, " L");
	return v->badge;
}

/* --compare: what the two sides' captions at `step` say. The lines they
 * share (a lesson's caption for every release) once, then each side's
 * own lines after its name; `first` is this side's caption (or the note
 * standing for it), NULL when none. Returns `first` when the other side
 * says the same or nothing. */
static const char *compare_caption(gui_view *v, size_t step, const char *lang, const char *first)
{
	const script_caption *c2 = script_caption_at(v->companion_script, (uint32_t)step, lang);
	const char *second = c2 && c2->at_step == step ? c2->text : NULL;
	if (!second || (first && strcmp(first, second) == 0))
		return first;
	const char *a = first ? first : "", *b = second;
	/* the shared leading lines */
	size_t shared = 0, shared_text = 0; /* where the sides' own lines start; the shared text's length */
	for (;;) {
		size_t la = strcspn(a + shared, "\n"), lb = strcspn(b + shared, "\n");
		if (la != lb || la == 0 || strncmp(a + shared, b + shared, la) != 0)
			break;
		shared += la;
		shared_text = shared;
		if (a[shared] != '\n' || b[shared] != '\n')
			break;
		shared++;
	}
	const char *sep = ui_lang(v) == GUI_UI_ZH ? "：" : ": ";
	const char *own_a = a + shared + (a[shared] == '\n'), *own_b = b + shared + (b[shared] == '\n');
	size_t n = (size_t)snprintf(v->compare_caption, sizeof v->compare_caption, "%.*s", (int)shared_text, a);
	if (*own_a && n < sizeof v->compare_caption)
		n += (size_t)snprintf(v->compare_caption + n, sizeof v->compare_caption - n, "%s%s%s%s", n ? "\n" : "",
				      v->labels[0] ? v->labels[0] : "", sep, own_a);
	if (*own_b && n < sizeof v->compare_caption)
		snprintf(v->compare_caption + n, sizeof v->compare_caption - n, "%s%s%s%s", n ? "\n" : "",
			 v->labels[1] ? v->labels[1] : "", sep, own_b);
	return v->compare_caption;
}

bool gui_view_frame(gui_view *v, int width, int height, const gui_metrics *metrics, gui_drawlist *out)
{
	gui_drawlist_clear(out);
	gui_ctl_frame f = gui_controller_frame(&v->ctl);
	const char *question = question_at(v, f.target);
	v->geometry = v->companion ? gui_frame_geometry_compare(width, height, metrics, question != NULL, v->presenting)
				   : gui_frame_geometry_mode(width, height, metrics, question != NULL, v->presenting);
	v->geometry_valid = true;
	const gui_snapshot *b = load(v, f.hi);
	const gui_snapshot *a = f.tween ? load(v, f.lo) : NULL;
	if (f.tween && a)
		b = load(v, f.hi); /* keeps hi most recently used; cached, no seek */
	if (!b)
		return false;
	/* two arenas' heaps do not morph into each other: cut */
	if (a && a->arena != b->arena)
		a = NULL;
	const gui_snapshot *b2 = NULL, *a2 = NULL;
	if (v->companion) { /* its cache keeps the two ends of the step */
		uint32_t arena = v->arena_follow ? GUI_COMPANION_FOLLOW : v->arena_shown;
		b2 = gui_companion_load(v->companion, f.hi, arena);
		a2 = f.tween ? gui_companion_load(v->companion, f.lo, arena) : NULL;
		if (!b2)
			return false;
		if (a2 && a2->arena != b2->arena)
			a2 = NULL;
	}
	double t = f.tween ? gui_ease(f.t) : 1.0;
	/* The fitted extent follows the step (zooming out as the heap grows). */
	double lo = f.tween ? extent_at(v, f.lo) : 0, hi = extent_at(v, f.hi);
	v->extent = f.tween ? lo + (hi - lo) * t : hi;
	if (b->arena != 0 || (b2 && b2->arena != 0)) /* another arena's heaps: their own extent */
		v->extent = fmax(fmax((double)b->brk, b2 ? (double)b2->brk : 0), (double)SIM_PAGE_SIZE);
	if (v->auto_fit)
		v->bar = gui_bar_fit(v->extent);
	update_ticks(v, (int)v->geometry.timeline_track.w);

	size_t target = f.target;
	char op_text[200];
	gui_view_op_text(v, target, op_text, sizeof op_text);
	const char *lang = gui_view_language(v);
	const script_caption *caption = v->script->caption_count ? script_caption_at(v->script, (uint32_t)target, lang) : NULL;
	/* A caption is about its own step: at the steps after it the op is
	 * shown instead (a caption saying "brk drops" stays true only while
	 * that step is on screen). */
	if (caption && caption->at_step != target)
		caption = NULL;
	const char *caption_text = caption ? caption->text : NULL;
	bool caption_false = false;
	if (caption && v->truth && v->truth[caption - v->script->captions].false_now) {
		size_t i = (size_t)(caption - v->script->captions);
		const script_expect *e = &v->script->expects[v->truth[i].expect_index];
		gui_strf(v->caption_note, sizeof v->caption_note, ui_lang(v), GUI_S_CAPTION_FALSE, e->line,
			 e->source_text ? e->source_text : "?");
		caption_text = v->caption_note;
		caption_false = true;
	}
	if (v->companion)
		caption_text = compare_caption(v, target, lang, caption_text);
	const char *title = title_for(v);
	size_t log_count = 0;
	build_log(v, target, &log_count);

	gui_frame_input in = {
		.width = width,
		.height = height,
		.metrics = metrics,
		.lang = ui_lang(v),
		.title = title ? title : v->script->title,
		.a = a,
		.b = b,
		.t = t,
		.step = target,
		.length = v->length,
		.op_text = target ? op_text : NULL,
		.playing = v->ctl.playing,
		.speed = gui_controller_speed(&v->ctl),
		.caption = caption_text,
		.caption_false = caption_false,
		.question = question,
		.answers_hidden = question != NULL && !(v->revealed && v->revealed_step == target),
		.presenting = v->presenting,
		.focus = true,
		.focus_slot = target && target <= v->script->op_count ? v->script->ops[target - 1].slot : SIM_NO_SLOT,
		.lang_badge = make_badge(v),
		.source_line = v->source ? gui_source_text_line_cb : NULL,
		.source_ctx = v->source,
		.source_lines = gui_source_text_lines(v->source),
		.current_line = target && target <= v->script->op_count ? v->script->op_line[target - 1] : 0,
		.source_kind = v->source_kind,
		.log = v->log,
		.log_count = log_count,
		.tick_columns = v->tick_columns,
		.tick_column_count = v->tick_columns ? v->tick_width : 0,
		.marks = v->marks,
		.mark_count = v->mark_count,
		.breakpoints = v->breakpoints.steps,
		.breakpoint_count = v->breakpoints.count,
		.playhead = f.tween ? (double)f.lo + t : (double)f.hi,
		.view = v->bar,
		.extent = v->extent,
		.slot_names = script_all_slot_names(v->script),
		.slot_sites = {v->slot_sites, site_of, v},
		.slot_count = v->script->slot_count,
		.a2 = a2,
		.b2 = b2,
		.side_name = {v->labels[0], v->labels[1]},
		.side_ended = {v->ended[0], v->ended[1]},
		.mouse_in_window = v->mouse_in && v->drag == DRAG_NONE,
		.mouse_x = v->mouse_x,
		.mouse_y = v->mouse_y,
		.help = v->help,
		.toast = v->toast_ms > 0 ? v->toast : NULL,
		.search = v->search_open ? v->search : NULL,
		.search_hint = v->search_hint,
		.story = story_for(v, target, question != NULL && !(v->revealed && v->revealed_step == target)),
		.toast_alpha = v->toast_ms > 400 ? 1.0f : (float)(v->toast_ms / 400),
	};
	gui_frame_layout(&in, &v->scratch, out);
	return !out->out_of_memory;
}
