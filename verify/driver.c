/* driver.c — verify_run: the model against this machine's glibc.
 *
 * Owns: the order of a verification (profile and version check, uncovered
 * inputs, replay, parse, compare) and filling the report. Must not: print
 * (the CLI renders the report) or interpret results itself (compare.c). */
#define _GNU_SOURCE /* sigabbrev_np */
#include "verify.h"

#include <assert.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena_cause.h"
#include "model_log.h"
#include "ops_text.h"

/* The verdict in the request's language (`verify --lang zh`). */
#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

/* The glibc version a profile is named after ("glibc-2.41" -> "2.41"). */
static const char *profile_glibc(sim_profile profile)
{
	const char *name = sim_profile_name(profile);
	return name && strncmp(name, "glibc-", 6) == 0 ? name + 6 : NULL;
}

/* glibc 2.3.6 has no tunables: its malloc reads MALLOC_TRIM_THRESHOLD_,
 * MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_ and MALLOC_MMAP_MAX_ when it
 * starts (ptmalloc_init hands each to mallopt, through atoi), and mxfast
 * only from a mallopt call. Writes the settings of `config` as those
 * variables into vars and env (NULL-terminated) and their text into
 * text; false, with why, for a setting no variable carries. (Given as
 * GLIBC_TUNABLES, they never reached the 2.3.6 oracle, and its verify
 * "diverged" at op 1 of every lesson with a setting.) */
static bool malloc_variables(sim_lang lang, const sim_config *config, char vars[4][48], const char *env[5], char *text,
                             size_t text_size, char *why, size_t why_size)
{
	static const struct {
		sim_setting setting;
		const char *variable;
	} carried[] = {
		{SIM_SET_TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_"},
		{SIM_SET_TOP_PAD, "MALLOC_TOP_PAD_"},
		{SIM_SET_MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_"},
		{SIM_SET_MMAP_MAX, "MALLOC_MMAP_MAX_"},
	};
	size_t n = 0, len = 0;
	text[0] = '\0';
	for (int s = 0; s < SIM_SETTING_COUNT; s++) {
		if (!(config->set_mask & (1u << s)))
			continue;
		size_t k = 0;
		while (k < 4 && carried[k].setting != (sim_setting)s)
			k++;
		if (k == 4) {
			if (s == SIM_SET_MXFAST)
				snprintf(why, why_size,
				         L(lang,
				           "glibc 2.3.6 takes mxfast from no variable, only from a mallopt call (put `mallopt "
				           "M_MXFAST %llu` first in the file instead of the setting)",
				           "glibc 2.3.6 不从任何环境变量读取 mxfast，只从 mallopt 调用读取（请在文件开头写 `mallopt "
				           "M_MXFAST %llu`，代替这个设置）"),
				         (unsigned long long)config->value[s]);
			else
				snprintf(why, why_size, L(lang, "glibc 2.3.6 takes %s from no variable", "glibc 2.3.6 不从任何环境变量读取 %s"),
				         sim_setting_name((sim_setting)s));
			return false;
		}
		if (config->value[s] > INT32_MAX) {
			snprintf(why, why_size,
			         L(lang, "glibc 2.3.6 reads %s through atoi: %llu does not fit an int",
			           "glibc 2.3.6 用 atoi 读取 %s：%llu 超出 int 的范围"),
			         carried[k].variable, (unsigned long long)config->value[s]);
			return false;
		}
		snprintf(vars[n], 48, "%s=%llu", carried[k].variable, (unsigned long long)config->value[s]);
		int w = snprintf(text + len, text_size - len, "%s%s", len ? " " : "", vars[n]);
		if (w > 0 && (size_t)w < text_size - len)
			len += (size_t)w;
		env[n] = vars[n];
		n++;
	}
	env[n] = NULL;
	return true;
}

bool verify_config_with_profile(sim_config *config, sim_profile profile)
{
	sim_config next = sim_config_defaults(profile);
	next.touch = config->touch;
	next.heap_start = config->heap_start; /* facts of the process, not of the release */
	next.vm_limit = config->vm_limit;
	next.cpus = config->cpus; /* the machine's, not the release's */
	next.trim_every = config->trim_every; /* the program's, as touch is (--trim-every) */
	next.trim_pad = config->trim_pad;
	for (int s = 0; s < SIM_SETTING_COUNT; s++)
		if (config->set_mask & (1u << s))
			if (!sim_config_set(&next, (sim_setting)s, config->value[s]))
				return false;
	*config = next;
	return true;
}

void verify_report_init(verify_report *report)
{
	memset(report, 0, sizeof *report);
	compare_report_init(&report->compare);
}

void verify_report_release(verify_report *report)
{
	compare_report_release(&report->compare);
	verify_report_init(report);
}

static verify_status finish(verify_report *report, verify_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static verify_status finish(verify_report *report, verify_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(report->message, sizeof report->message, fmt, ap);
	va_end(ap);
	report->status = status;
	return status;
}

/* The settings a verdict names: the replayer's tunables (or "default
 * settings"), and --trim-every's what-if, which both sides made. */
static const char *settings_words(verify_report *report)
{
	/* (the arena_max that stands in for the file's CPUs is no setting of
	 * the program's: alone, the settings are the defaults) */
	bool stand_in = report->arena_stand_in != 0;
	bool defaults = !report->tunables[0] || (stand_in && !report->file_settings);
	sim_lang lang = report->lang;
	int n = snprintf(report->settings_words, sizeof report->settings_words, "%s",
	                 defaults ? L(lang, "default settings", "默认设置") : report->tunables);
	if (stand_in && n > 0 && (size_t)n < sizeof report->settings_words) {
		if (lang == SIM_LANG_ZH)
			n += snprintf(report->settings_words + n, sizeof report->settings_words - (size_t)n,
			              "%sarena_max %llu（glibc 按文件里的 %u 个 CPU 算出的上限，任何机器都会建出同样的 arena）",
			              defaults ? "，加上 " : "；", (unsigned long long)report->arena_stand_in,
			              (unsigned)report->stand_in_cpus);
		else
			n += snprintf(report->settings_words + n, sizeof report->settings_words - (size_t)n,
			              "%sarena_max %llu, the limit glibc computes for the file's %u CPU%s, so that any machine "
			              "makes the same arenas",
			              defaults ? ", with " : "; ", (unsigned long long)report->arena_stand_in,
			              (unsigned)report->stand_in_cpus, report->stand_in_cpus == 1 ? "" : "s");
	}
	if (report->trim_every != 0 && n > 0 && (size_t)n < sizeof report->settings_words) {
		if (lang == SIM_LANG_ZH)
			snprintf(report->settings_words + n, sizeof report->settings_words - (size_t)n,
			         "，每 %llu 次调用后执行 malloc_trim(%llu)（--trim-every）", (unsigned long long)report->trim_every,
			         (unsigned long long)report->trim_pad);
		else
			snprintf(report->settings_words + n, sizeof report->settings_words - (size_t)n,
			         ", with malloc_trim(%llu) after every %llu calls (--trim-every)",
			         (unsigned long long)report->trim_pad, (unsigned long long)report->trim_every);
	}
	return report->settings_words;
}

/* "; both end in op N, where glibc aborts (MESSAGE)" when the runs
 * matched and ended with glibc's abort or crash before the last op, else
 * "". */
static const char *ended_words(sim_lang lang, const compare_report *c, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!c->diverged && c->model_aborted) {
		sim_abort_reason reason = (sim_abort_reason)c->abort_reason;
		bool crash = sim_abort_is_crash(reason);
		snprintf(buf, size, L(lang, "; both end in op %zu, where glibc %s (%s)", "；两边都在第 %zu 个操作结束，glibc 在那里%s（%s）"),
		         c->ops_compared, L(lang, crash ? "crashes" : "aborts", crash ? "崩溃" : "中止"), sim_abort_message(reason));
	}
	return buf;
}

/* "verified in part": the model matched the real glibc on every op, and
 * `why` says what of the recording was not compared (and why). */
static verify_status verified_in_part(verify_report *report, const char *why)
{
	const compare_report *c = &report->compare;
	char ended[300];
	return finish(report, VERIFY_SKIPPED,
	              L(report->lang,
	                "verified in part: the model matches glibc %s replaying these calls (%zu of %zu ops, %s%s), but %s",
	                "部分验证：glibc %s 重放这些调用时，模型与之一致（%zu/%zu 个操作，%s%s），但%s"),
	              report->glibc, c->ops_matched, c->ops_total, settings_words(report),
	              ended_words(report->lang, c, ended, sizeof ended), why);
}

/* What one run of the model over the ops says before the replay (one
 * pass for both questions: on a long recording each pass costs about as
 * much as `brksim run --quiet` of it). */
typedef struct prepass {
	/* The 1-based step at which the model stops because it cannot follow
	 * glibc (sim_abort_unmodelled: an outcome that depends on memory
	 * contents it does not keep, or a heap glibc continues in an mmapped
	 * segment), or 0; `reason` says which. glibc does not detect such
	 * frees: past them the real process goes on with a corrupted heap (a
	 * fastbin loop can even hang mallinfo2). */
	size_t stop;
	sim_abort_reason reason;
	/* An arena_attach saw arena_get2's limit (narenas_limit) set, up to
	 * the model's end; `mallopt_limit`: the ops up to that step include a
	 * mallopt of M_ARENA_MAX or M_ARENA_TEST (cpus_stand_in). */
	bool limit_reached, mallopt_limit;
} prepass;

/* The model's results in the last pass before the comparison, which can
 * then read them instead of running the model again (model_log.h), when
 * the comparison's config steps the ops the same way (kept_fits). */
typedef struct kept_pass {
	model_log log;
	sim_config config;  /* the pass's */
	/* The pass may have read config.cpus: arena_get2 reads it once more
	 * arenas than arena_test exist, unless arena_max is set (narenas only
	 * grows, so the count at the pass's end says), or a mallopt may have
	 * moved arena_test or arena_max. */
	bool cpus_read;
} kept_pass;

/* The common case without the model's events (they cost a pass about
 * half again): true when the model runs to the end, or to a glibc abort,
 * without stopping where it cannot follow, and (with `limit`) cannot have
 * set arena_get2's limit: that needs more arenas than arena_test
 * (narenas, which the model keeps equal to its arena count, only grows)
 * or a mallopt of M_ARENA_MAX or M_ARENA_TEST. False: ask the events. */
/* Each step's result goes into kept's log (kept: this pass is the last
 * before the comparison, which may then read them). */
static bool prepass_plain(const sim_config *config, const sim_op *ops, size_t count, bool limit, prepass *out,
                          kept_pass *kept)
{
	memset(out, 0, sizeof *out);
	out->reason = SIM_ABORT_UNMODELLED;
	model_log_clear(&kept->log);
	kept->config = *config;
	kept->cpus_read = true;
	sim_heap *heap = sim_heap_new(config);
	if (!heap) {
		kept->log.failed = true;
		return false;
	}
	bool plain = true, arena_mallopt = false;
	for (size_t i = 0; i < count; i++) {
		if (ops[i].kind == SIM_OP_MALLOPT && (ops[i].param == -7 || ops[i].param == -8))
			arena_mallopt = true;
		sim_result r;
		sim_heap_prefetch(heap, ops, count, i); /* (as run's replay asks ahead) */
		if (!sim_heap_step(heap, &ops[i], NULL, &r)) {
			plain = false;
			break;
		}
		if (r.aborted) {
			plain = !sim_heap_stopped_by_model(heap);
			break;
		}
		model_log_push(&kept->log, heap, &r); /* out of memory: the log is marked failed, not used */
	}
	kept->cpus_read = arena_mallopt || sim_heap_arena_count(heap) > config->value[SIM_SET_ARENA_TEST];
	if (limit && kept->cpus_read)
		plain = false;
	sim_heap_free(heap);
	return plain;
}

/* Runs the model over the ops with `config` until it aborts or the ops
 * end (`limit`: the arena limit question is asked too). Out of memory:
 * what was seen up to there is kept, as each question's own pass did. */
static void model_prepass(const sim_config *config, const sim_op *ops, size_t count, bool limit, prepass *out,
                          kept_pass *kept)
{
	if (prepass_plain(config, ops, count, limit, out, kept))
		return;
	/* the same run again with events (kept's log, from the run without,
	 * holds its results already) */
	memset(out, 0, sizeof *out);
	out->reason = SIM_ABORT_UNMODELLED;
	sim_heap *heap = sim_heap_new(config);
	sim_events events;
	sim_events_init(&events);
	bool mallopt_limit = false;
	for (size_t i = 0; heap != NULL && i < count; i++) {
		if (ops[i].kind == SIM_OP_MALLOPT && (ops[i].param == -7 || ops[i].param == -8))
			mallopt_limit = true;
		sim_result r;
		if (!sim_heap_step(heap, &ops[i], &events, &r))
			break;
		for (size_t e = 0; e < events.count; e++) {
			const sim_event *ev = &events.items[e];
			if (ev->kind == SIM_EV_ARENA_ATTACH && ev->v3 != 0 && !out->limit_reached) {
				out->limit_reached = true;
				out->mallopt_limit = mallopt_limit;
			}
			if (r.aborted && ev->kind == SIM_EV_ABORT && sim_abort_unmodelled((sim_abort_reason)ev->detail)) {
				out->stop = i + 1;
				out->reason = (sim_abort_reason)ev->detail;
			}
		}
		if (r.aborted)
			break;
	}
	sim_events_release(&events);
	sim_heap_free(heap);
}

/* The step the model stops at (prepass's `stop`), or 0. */
static size_t unmodelled_step(const sim_config *config, const sim_op *ops, size_t count, sim_abort_reason *reason,
                              kept_pass *kept)
{
	prepass p;
	model_prepass(config, ops, count, false, &p, kept);
	if (p.stop)
		*reason = p.reason;
	return p.stop;
}

/* Compares the real replay's results with what the recording saw, op by
 * op, by the rules `brksim run` compares the model with it (heap
 * pointers as offsets, mmapped ones as "mmapped", brk and return values
 * when recorded). */
/* The largest alignment above a page the ops ask for (0: none). */
static uint64_t largest_big_alignment(const sim_op *ops, size_t count)
{
	uint64_t most = 0;
	for (size_t i = 0; i < count; i++)
		if (ops[i].kind == SIM_OP_MEMALIGN && ops[i].align > SIM_PAGE_SIZE && ops[i].align > most)
			most = ops[i].align;
	return most;
}

/* Whether the model runs the ops the same from heap start a as from b:
 * it reads the start only modulo a page (the first chunk's alignment and
 * the break's page end, sysmalloc.c) and modulo a memalign's alignment
 * (memalign.c), so when both agree the run would be the same. */
static bool same_model_run(sim_addr a, sim_addr b, const sim_op *ops, size_t count)
{
	return (a - b) % SIM_PAGE_SIZE == 0 && largest_big_alignment(ops, count) == 0;
}

/* Whether the kept pass stepped the first `count` ops as the model with
 * `config` does: the same settings, a start it runs the same from, and
 * the same CPUs unless the pass never read them. */
static bool kept_fits(const kept_pass *kept, const sim_config *config, const sim_op *ops, size_t count)
{
	/* a field added to sim_config must be weighed here */
	static_assert(sizeof(sim_config) == 136, "sim_config changed: see kept_fits");
	const sim_config *k = &kept->config;
	return !kept->log.failed && kept->log.count >= count && k->profile == config->profile &&
	       k->touch == config->touch && k->set_mask == config->set_mask && k->trim_every == config->trim_every &&
	       k->trim_pad == config->trim_pad &&
	       memcmp(k->value, config->value, sizeof k->value) == 0 && k->vm_limit == config->vm_limit &&
	       (k->cpus == config->cpus || !kept->cpus_read) && same_model_run(k->heap_start, config->heap_start, ops, count);
}

/* The recording against the model run from the recorded process's own
 * heap start (`config` otherwise as compared with the replay). */
static bool compare_model_with_recording(const verify_request *request, const sim_config *config, size_t count,
                                         verify_report *report)
{
	sim_config own = *config;
	own.heap_start = request->config.heap_start;
	sim_heap *heap = sim_heap_new(&own);
	if (!heap)
		return false;
	trace_compare_init(&report->recorded);
	report->recorded_compared = true;
	report->recorded_via_model = true;
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		sim_result m;
		if (!sim_heap_step(heap, &request->ops[i], NULL, &m)) {
			ok = false;
			break;
		}
		if (m.aborted)
			break;
		trace_compare_op(&report->recorded, i, &request->recorded[i], &m);
	}
	sim_heap_free(heap);
	return ok;
}

/* The replay's result lines first .. first + lines->count - 1 (a window
 * of them, or all) against the recording (report->recorded, initialised
 * by the caller). */
static void compare_with_recording(const verify_request *request, const ops_results *lines, size_t first,
                                   verify_report *report)
{
	for (size_t k = 0; k < lines->count && first + k < request->op_count; k++) {
		size_t i = first + k;
		const ops_result *r = &lines->items[k];
		sim_result as_model;
		memset(&as_model, 0, sizeof as_model);
		as_model.ret_kind = r->ret_kind;
		as_model.ret = r->ret;
		as_model.ret_arena = r->ret_arena;
		as_model.ret_heap = r->ret_heap;
		as_model.ret_offset = r->ret; /* SIM_RET_ARENA: the offset in its heap */
		as_model.brk = r->brk;
		as_model.value = r->value;
		const sim_op *op = &request->ops[i];
		if (op->kind == SIM_OP_MEMALIGN && op->align_api == SIM_ALIGN_POSIX_MEMALIGN && r->has_value)
			as_model.ret_kind = SIM_RET_NULL; /* `=22`: failed, as the model and the recording say it */
		trace_compare_op(&report->recorded, i, &request->recorded[i], &as_model);
	}
}

/* Whether cpus_stand_in can be needed at all: the model counts CPUs
 * (the file says how many), the limit is not set, and the release makes
 * arenas per thread. */
static bool cpus_stand_in_possible(const sim_config *config)
{
	return config->cpus != 0 && !(config->set_mask & (1u << SIM_SET_ARENA_MAX)) &&
	       sim_profile_glibc(config->profile)->arena_rule == SIM_ARENAS_PER_THREAD;
}

/* The arena_max that makes this machine's glibc choose arenas as one
 * with config->cpus CPUs would (0: none needed or none possible).
 * Without arena_max, glibc's limit is unlimited until more than
 * arena_test arenas exist, then 8 per CPU (computed once), so arenas
 * are made up to max(arena_test + 1, 8 x cpus) and reused after that:
 * the same choices as arena_max = that number from the start. Needed
 * only when the model with config's CPUs reaches that limit at all (an
 * arena_attach that saw a limit: `pass`, run with config); impossible
 * when the program sets the limit itself at run time (mallopt
 * M_ARENA_MAX or M_ARENA_TEST). */
static uint64_t cpus_stand_in(const sim_config *config, const prepass *pass, bool *impossible)
{
	*impossible = false;
	if (!cpus_stand_in_possible(config) || !pass->limit_reached)
		return 0;
	if (pass->mallopt_limit) {
		*impossible = true;
		return 0;
	}
	uint64_t per_cpu = (uint64_t)config->cpus * 8;
	uint64_t past_test = config->value[SIM_SET_ARENA_TEST] + 1;
	return per_cpu > past_test ? per_cpu : past_test;
}

static verify_status verify_with(const verify_request *request, verify_report *report, kept_pass *kept)
{
	verify_report_init(report);
	report->fields = request->fields ? request->fields : COMPARE_ALL;
	sim_lang lang = request->lang;
	report->lang = lang;
	const sim_config *config = &request->config;

	/* Inputs the model deliberately does not cover: say so rather than
	 * report a false match or a false divergence. */
	if (request->foreign_thread_ops > 0)
		return finish(report, VERIFY_SKIPPED,
		              L(lang,
		                "not verified: %zu calls from other threads or processes are left out of the replay "
		                "(the import says why), and replaying the rest alone would not be the same program",
		                "未验证：有 %zu 个来自其他线程或进程的调用不在重放之中（导入时已说明原因），只重放其余的调用"
		                "就不是同一个程序了"),
		              request->foreign_thread_ops);
	/* A break the program moved itself: the recorded break is compared
	 * less such moves (the importer's), and where glibc's heap meets it
	 * the replay parts from the recording, which the verdict then names. */
	char brk_moved[160] = "";
	if (request->brk_moved_op != 0) {
		char from[24], to[24];
		snprintf(brk_moved, sizeof brk_moved, L(lang, "(line %" PRIu32 ": from %s to %s)", "（第 %" PRIu32 " 行：从 %s 到 %s）"),
		         request->brk_moved_line,
		         trace_offset_text(request->brk_moved_from, from, sizeof from),
		         trace_offset_text(request->brk_moved_to, to, sizeof to));
	}
	/* "match: 0 of 0" would pass a script's `verify && ...` for a file
	 * that ran nothing (an empty trace: a capture that failed) */
	if (request->op_count == 0)
		return finish(report, VERIFY_SKIPPED,
		              "%s", L(lang, "not verified: the file has no operations, so there is nothing to compare",
		                      "未验证：文件里没有操作，没有可比较的内容"));

	verify_target target;
	char why[512] = "";
	bool missing = false;
	if (!verify_target_resolve(request->glibc, request->replayer, &target, &missing, why, sizeof why))
		return finish(report, VERIFY_ERROR, "%s", why);
	verify_replay_args run_args = {0};
	verify_target_args(&target, &run_args);
	if (!verify_replay_glibc_version(&run_args, report->glibc, sizeof report->glibc, why, sizeof why))
		return finish(report, VERIFY_ERROR,
		              L(lang, "cannot ask the replayer for the glibc version: %s", "无法向重放程序询问 glibc 版本：%s"), why);

	/* The profile: named after the glibc that runs (auto), or the one
	 * asked for, which only that glibc can confirm. */
	sim_config chosen = request->config;
	uint32_t dropped = 0;
	if (request->profile_auto) {
		char name[48];
		snprintf(name, sizeof name, "glibc-%s", report->glibc);
		int p = sim_profile_from_name(name, strlen(name));
		if (p < 0) {
			char known[256];
			sim_profile_list(known, sizeof known);
			return finish(report, VERIFY_ERROR,
			              L(lang, "the model has no profile for glibc %s (it has: %s); nothing compared",
			                "模型没有 glibc %s 的配置（已有：%s）；未作比较"),
			              report->glibc, known);
		}
		/* (a setting that release has nothing for is left out, as
		 * under its profile everywhere: said with the settings) */
		dropped = chosen.set_mask & sim_config_absent_settings((sim_profile)p);
		chosen.set_mask &= ~dropped;
		if (!verify_config_with_profile(&chosen, (sim_profile)p))
			return finish(report, VERIFY_ERROR,
			              L(lang, "the trace's settings are not valid under profile %s", "这个轨迹的设置在配置 %s 下无效"),
			              name);
	} else if (!request->cross_glibc) {
		const char *want = profile_glibc(chosen.profile);
		const char *name = sim_profile_name(chosen.profile);
		char where[160];
		if (request->glibc && *request->glibc)
			snprintf(where, sizeof where, L(lang, "--glibc %s runs glibc %s", "--glibc %s 运行的是 glibc %s"),
			         request->glibc, report->glibc);
		else
			snprintf(where, sizeof where, L(lang, "this machine runs glibc %s", "本机运行的是 glibc %s"), report->glibc);
		if (want && strcmp(want, "2.3.6") == 0 && strcmp(report->glibc, want) != 0)
			return finish(report, VERIFY_SKIPPED,
			              L(lang,
			                "not verified: profile %s cannot be checked against a real allocator here "
			                "(%s; there is no glibc 2.3.6 package: build its development oracle with "
			                "scripts/oracle-236.sh GLIBC_SRC, then --glibc 2.3.6 runs it)",
			                "未验证：配置 %s 在这里无法与真实的分配器对照（%s；glibc 2.3.6 没有软件包：先用 "
			                "scripts/oracle-236.sh GLIBC_SRC 构建它的开发用对照实现，然后用 --glibc 2.3.6 运行）"),
			              name, where);
		if (!want || strcmp(report->glibc, want) != 0)
			return finish(report, VERIFY_SKIPPED,
			              L(lang,
			                "not verified: profile %s needs glibc %s, but %s (replay on a real %s with --glibc %s, "
			                "or compare with glibc %s's own profile with --profile auto)",
			                "未验证：配置 %s 需要 glibc %s，但%s（在真实的 %s 上用 --glibc %s 重放，或用 --profile auto "
			                "与 glibc %s 自己的配置比较）"),
			              name, want ? want : "?", where, want ? want : "?", want ? want : "?", report->glibc);
	}
	/* The model starts where the replay process's heap starts: at its
	 * page-aligned initial break, moved (up to 2.34) by the loader's copy
	 * of the GLIBC_TUNABLES the replayer gets, whatever the input said
	 * (a recording's own start belongs to the recorded process). */
	/* A file that says its machine's CPUs is replayed as on that machine
	 * (arena_max standing in for them), the model keeping its own rule. */
	/* The model's pass before the replay answers that question (from
	 * the start the input gave) and, when the start it then guesses for
	 * the replay runs the model the same way, which op it stops at. */
	prepass pass;
	bool pass_done = false;
	sim_addr pass_start = chosen.heap_start;
	if (cpus_stand_in_possible(&chosen)) {
		model_prepass(&chosen, request->ops, request->op_count, true, &pass, kept);
		pass_done = true;
	}
	bool cpus_impossible = false;
	uint64_t stand_in = pass_done ? cpus_stand_in(&chosen, &pass, &cpus_impossible) : 0;
	sim_config replayed = chosen;
	if (stand_in == 0 || !sim_config_set(&replayed, SIM_SET_ARENA_MAX, stand_in))
		stand_in = 0;
	report->arena_stand_in = stand_in;
	report->stand_in_cpus = chosen.cpus;
	report->file_settings = chosen.set_mask != 0;
	ops_text_tunables(&replayed, report->tunables, sizeof report->tunables);
	report->trim_every = chosen.trim_every;
	report->trim_pad = chosen.trim_pad;
	chosen.heap_start = 0;
	sim_config_tunables_env(&chosen, strlen(report->tunables));
	char variables[4][48];
	const char *variable_env[5] = {NULL};
	report->malloc_variables = strcmp(report->glibc, "2.3.6") == 0;
	if (report->malloc_variables && !malloc_variables(lang, &replayed, variables, variable_env, report->tunables,
	                                                  sizeof report->tunables, why, sizeof why))
		return finish(report, VERIFY_SKIPPED, L(lang, "not verified: %s", "未验证：%s"), why);
	for (int st = 0; st < SIM_SETTING_COUNT && report->malloc_variables; st++)
		if (dropped & (1u << st)) {
			size_t len = strlen(report->tunables);
			snprintf(report->tunables + len, sizeof report->tunables - len,
			         L(lang, "%s%s left out: glibc %s has none", "%s未传入 %s：glibc %s 没有这个设置"),
			         len ? L(lang, "; ", "；") : "", sim_setting_name((sim_setting)st), report->glibc);
		}
	uint64_t guessed_start = chosen.heap_start;
	config = &chosen;
	snprintf(report->profile, sizeof report->profile, "%s", sim_profile_name(chosen.profile));

	for (size_t i = 0; i < request->op_count; i++) {
		const sim_op *op = &request->ops[i];
		if ((op->slot != SIM_NO_SLOT && op->slot > OPS_MAX_SLOT) ||
		    (op->arg_slot != SIM_NO_SLOT && op->arg_slot > OPS_MAX_SLOT))
			return finish(report, VERIFY_ERROR,
			              L(lang, "op %zu uses slot %" PRIu32 ", above the replayer's limit %u",
			                "第 %zu 个操作用了槽位 %" PRIu32 "，超过重放程序的上限 %u"),
			              i + 1, op->slot, OPS_MAX_SLOT);
		if (op->kind == SIM_OP_MALLOPT && (op->value < INT32_MIN || op->value > INT32_MAX))
			return finish(report, VERIFY_ERROR,
			              L(lang, "op %zu: mallopt value %" PRId64 " does not fit an int",
			                "第 %zu 个操作：mallopt 的值 %" PRId64 " 超出 int 的范围"),
			              i + 1, op->value);
	}

	/* Only the ops before a step the model cannot follow go to glibc. */
	sim_abort_reason stop_reason = SIM_ABORT_UNMODELLED;
	size_t stop;
	if (pass_done && same_model_run(pass_start, guessed_start, request->ops, request->op_count)) {
		stop = pass.stop;
		stop_reason = pass.reason;
	} else {
		stop = unmodelled_step(config, request->ops, request->op_count, &stop_reason, kept);
	}
	size_t op_count = stop ? stop - 1 : request->op_count;

	/* the ops' text, written a piece at a time into the file the
	 * replayer reads (a second run reads it again) */
	int ops_fd = verify_ops_memfile(request->ops, op_count, config->touch, why, sizeof why);
	if (ops_fd < 0)
		return finish(report, VERIFY_ERROR, "%s", why);
	unsigned fields = report->fields;
	verify_replay_args args = {
		.replayer = run_args.replayer,
		.loader = run_args.loader,
		.library_dir = run_args.library_dir,
		.tunables = report->malloc_variables ? NULL : report->tunables,
		.env = report->malloc_variables ? variable_env : NULL,
		.touch = config->touch,
		.measure_top = (fields & COMPARE_TOP) != 0,
		.measure_rss = (fields & COMPARE_RSS) != 0,
		.trim_every = config->trim_every,
		.trim_pad = config->trim_pad,
	};
	verify_replay_output out;
	bool ran = verify_replay_spawn_fd(&args, ops_fd, &out, why, sizeof why);
	if (ran && out.exited && out.exit_status == 4) {
		/* The replayer's cheap top/rss readings were contradicted by a
		 * full measurement (replay.c, top_watched and rss_watched): what
		 * it printed may be wrong, so replay again measuring in full
		 * after every op (slow on long traces, but exact). */
		snprintf(report->replay_note, sizeof report->replay_note, "%s", out.err);
		verify_replay_output_release(&out);
		args.full_every_op = true;
		ran = verify_replay_spawn_fd(&args, ops_fd, &out, why, sizeof why);
	}
	close(ops_fd);
	if (!ran)
		return finish(report, VERIFY_ERROR, L(lang, "cannot run %s: %s", "无法运行 %s：%s"), run_args.replayer, why);
	if (out.timed_out) {
		verify_replay_output_release(&out);
		return finish(report, VERIFY_ERROR,
		              L(lang, "the real glibc did not finish the trace within %u s (killed)",
		                "真实的 glibc 没有在 %u 秒内跑完这个轨迹（已终止）"),
		              VERIFY_REPLAY_TIMEOUT_S);
	}
	snprintf(report->real_stderr, sizeof report->real_stderr, "%s", out.err);

	bool aborted = !out.exited && out.term_signal == SIGABRT;
	/* (a crash is a result only where the model says glibc crashes: 2.3.6
	 * with M_MXFAST 0; anywhere else it is an error, said below) */
	bool crashed = !out.exited && out.term_signal == SIGSEGV;
	if (!out.exited && !aborted && !crashed) {
		/* (read before the release, which clears it: this said "signal
		 * 0" for a replayer that crashed) */
		int sig = out.term_signal;
		verify_replay_output_release(&out);
		const char *abbrev = sigabbrev_np(sig);
		return finish(report, VERIFY_ERROR, L(lang, "the replayer was killed by signal %d%s%s", "重放程序被信号 %d%s%s 终止"),
		              sig, abbrev ? L(lang, ", SIG", "，SIG") : "", abbrev ? abbrev : "");
	}
	if (out.exited && out.exit_status != 0) {
		int st = out.exit_status;
		verify_replay_output_release(&out);
		return finish(report, VERIFY_ERROR, L(lang, "the replayer failed (exit status %d): %s", "重放程序失败（退出状态 %d）：%s"),
		              st, report->real_stderr);
	}
	/* The header and the count of the lines first: the lines themselves
	 * are read a window at a time below (all of them held at once took
	 * 64 bytes a line, 83 MB for the perl recording's 1.29M calls), and
	 * parsed whole only when the model runs again to compare. */
	ops_results results;
	ops_results_init(&results);
	size_t bad_line = 0, lines = 0;
	if (!ops_results_scan(out.out, out.out_len, &results, &lines, &bad_line)) {
		verify_replay_output_release(&out);
		ops_results_release(&results);
		return finish(report, VERIFY_ERROR, L(lang, "the replayer printed a malformed line %zu", "重放程序输出的第 %zu 行格式不对"), bad_line);
	}
	if (!aborted && !crashed && (!results.ended || lines != op_count)) {
		/* a malformed line is said first, as a whole parse finds it */
		ops_results all;
		ops_results_init(&all);
		bool parsed = ops_results_parse(out.out, out.out_len, &all, &bad_line);
		size_t got = all.count;
		verify_replay_output_release(&out);
		ops_results_release(&all);
		ops_results_release(&results);
		if (!parsed)
			return finish(report, VERIFY_ERROR, L(lang, "the replayer printed a malformed line %zu", "重放程序输出的第 %zu 行格式不对"), bad_line);
		return finish(report, VERIFY_ERROR,
		              L(lang, "the replayer printed %zu results for %zu ops", "重放程序输出了 %zu 个结果，而操作有 %zu 个"), got,
		              op_count);
	}

	if (results.start_known) {
		/* The real start, not the page-aligned guess: where aligned
		 * chunks above a page fall depends on it. The model may then stop
		 * earlier than it did from the guess (never in practice: only
		 * memalign's placement reads the start's high bits). */
		chosen.heap_start = results.start;
		/* The model reads the start only modulo a page (the first
		 * chunk's alignment and the break's page end, sysmalloc.c) and
		 * modulo a memalign's alignment (memalign.c): when both agree
		 * with the guess the second run would be the first again (it
		 * costs as much as the replay on a long recording). */
		bool same_run = same_model_run(results.start, guessed_start, request->ops, op_count);
		sim_abort_reason again_reason = SIM_ABORT_UNMODELLED;
		size_t again = same_run ? 0 : unmodelled_step(&chosen, request->ops, op_count, &again_reason, kept);
		if (again) {
			stop = again;
			stop_reason = again_reason;
			op_count = again - 1;
		}
	}

	/* The arena limit after arena_test is 8 per CPU of the machine that
	 * ran the replay (it says how many it counted): the model counts the
	 * same. */
	uint32_t file_cpus = chosen.cpus;
	if (stand_in != 0 && file_cpus != results.cpus)
		snprintf(report->cpus_note, sizeof report->cpus_note,
		         L(lang,
		           "the file says cpus %" PRIu32 " and this machine has %" PRIu32 ": glibc counts the machine's, so "
		           "it ran with arena_max %" PRIu64 " in their place, which gives the same arenas",
		           "文件写的是 cpus %" PRIu32 "，本机有 %" PRIu32 " 个：glibc 按本机的 CPU 计数，所以用 arena_max %" PRIu64
		           " 代替，得到同样的 arena"),
		         file_cpus, results.cpus, stand_in);
	else if (results.cpus > 0)
		chosen.cpus = results.cpus;
	bool cpus_unmatched = cpus_impossible && file_cpus != chosen.cpus;
	bool recording_elsewhere = request->recorded != NULL && request->recorded_glibc != NULL &&
	                           request->recorded_glibc[0] != '\0' && strcmp(request->recorded_glibc, report->glibc) != 0;
	bool recording_resettled = request->recorded != NULL && !recording_elsewhere && request->recorded_settings_changed;
	recording_elsewhere = recording_elsewhere || recording_resettled;
	uint64_t big = largest_big_alignment(request->ops, op_count);
	bool recording_by_model = request->recorded != NULL && !recording_elsewhere && big != 0 && results.start_known &&
	                          (request->config.heap_start - results.start) % big != 0;
	bool recording_by_lines = request->recorded != NULL && !recording_elsewhere && !recording_by_model;
	if (recording_by_model && !compare_model_with_recording(request, config, op_count, report)) {
		verify_replay_output_release(&out);
		ops_results_release(&results);
		return finish(report, VERIFY_ERROR, "%s", L(lang, "out of memory while running the model", "运行模型时内存不足"));
	}
	if (recording_by_lines) {
		trace_compare_init(&report->recorded);
		report->recorded_compared = true;
	}
	/* The model runs once when the pass before kept what it compares:
	 * then the lines are read a window at a time, each compared with the
	 * recording and the log; if the log does not answer (a divergence,
	 * an abort), the lines are parsed whole for compare_run. */
	bool ok = false, recording_done = false;
	compare_logged_pass logged;
	if (kept_fits(kept, config, request->ops, op_count) && lines >= op_count &&
	    compare_logged_begin(&logged, &kept->log, request->ops, op_count, fields)) {
		ops_results_stream stream;
		ops_results_stream_init(&stream, out.out, out.out_len);
		while (ops_results_stream_next(&stream, 4096)) {
			if (recording_by_lines)
				compare_with_recording(request, &stream.window, stream.first, report);
			if (logged.all)
				compare_logged_lines(&logged, &stream.window);
			else if (!recording_by_lines)
				break;
		}
		bool failed = stream.failed;
		bad_line = stream.bad_line;
		ops_results_stream_release(&stream);
		ok = compare_logged_end(&logged, &report->compare);
		if (failed) {
			verify_replay_output_release(&out);
			ops_results_release(&results);
			return finish(report, VERIFY_ERROR, L(lang, "the replayer printed a malformed line %zu", "重放程序输出的第 %zu 行格式不对"), bad_line);
		}
		recording_done = recording_by_lines;
	}
	if (!ok) {
		ops_results all;
		ops_results_init(&all);
		if (!ops_results_parse(out.out, out.out_len, &all, &bad_line)) {
			verify_replay_output_release(&out);
			ops_results_release(&all);
			ops_results_release(&results);
			return finish(report, VERIFY_ERROR, L(lang, "the replayer printed a malformed line %zu", "重放程序输出的第 %zu 行格式不对"), bad_line);
		}
		if (recording_by_lines && !recording_done)
			compare_with_recording(request, &all, 0, report);
		compare_real real = {.results = &all, .aborted = aborted, .crashed = crashed, .abort_message = out.err};
		ok = compare_run(config, request->ops, op_count, &real, fields, &report->compare);
		ops_results_release(&all);
	}
	verify_replay_output_release(&out);
	ops_results_release(&results);
	if (!ok)
		return finish(report, VERIFY_ERROR, "%s", L(lang, "out of memory while running the model", "运行模型时内存不足"));

	const compare_report *c = &report->compare;
	if (crashed && (c->diverged || !c->model_aborted))
		return finish(report, VERIFY_ERROR,
		              L(lang, "the replayer was killed by signal %d, SIGSEGV", "重放程序被信号 %d（SIGSEGV）终止"), SIGSEGV);
	/* (the reasons with a message of their own; the others are a free
	 * glibc does not detect) */
	bool own_reason = stop_reason == SIM_ABORT_UNMODELLED_SEGMENT || stop_reason == SIM_ABORT_BREAK_CUT;
	if (!c->diverged && stop && lang == SIM_LANG_ZH)
		return finish(report, VERIFY_SKIPPED, "第 %zu 个操作之后未验证：模型在那里停下（%s）%s；之前的 %zu 个操作与 glibc %s 一致",
		              stop, sim_abort_message(own_reason ? stop_reason : SIM_ABORT_UNMODELLED),
		              own_reason ? "" : "：glibc 检测不到那次 free，之后的结果取决于内存里残留的内容",
		              c->ops_matched, report->glibc);
	if (!c->diverged && stop && own_reason)
		return finish(report, VERIFY_SKIPPED,
		              "not verified past op %zu: the model stops there (%s); the %zu op%s before it match%s glibc %s",
		              stop, sim_abort_message(stop_reason), c->ops_matched, c->ops_matched == 1 ? "" : "s",
		              c->ops_matched == 1 ? "es" : "", report->glibc);
	if (!c->diverged && stop)
		return finish(report, VERIFY_SKIPPED,
		              "not verified past op %zu: the model stops there (%s): glibc does not detect that free, "
		              "and what follows depends on stale memory contents; the %zu op%s before it match%s glibc %s",
		              stop, sim_abort_message(SIM_ABORT_UNMODELLED), c->ops_matched, c->ops_matched == 1 ? "" : "s",
		              c->ops_matched == 1 ? "es" : "", report->glibc);
	if (!c->diverged && cpus_unmatched)
		return finish(report, VERIFY_SKIPPED,
		              L(lang,
		                "verified in part: the model matches glibc %s replaying these calls (%zu of %zu ops) with "
		                "this machine's %" PRIu32 " CPUs, but the file says cpus %" PRIu32 " and its arenas reach the "
		                "8-per-CPU limit while the program sets the limit itself (mallopt M_ARENA_MAX or "
		                "M_ARENA_TEST), so its run with cpus %" PRIu32 " could not be replayed",
		                "部分验证：glibc %s 重放这些调用时模型与之一致（%zu/%zu 个操作，用本机的 %" PRIu32 " 个 CPU），"
		                "但文件写的是 cpus %" PRIu32 "，它的 arena 达到了每个 CPU 8 个的上限，而程序自己设置了这个上限"
		                "（mallopt M_ARENA_MAX 或 M_ARENA_TEST），所以无法重放它在 cpus %" PRIu32 " 下的运行"),
		              report->glibc, c->ops_matched, c->ops_total, chosen.cpus, file_cpus, file_cpus);
	const trace_compare *rc = &report->recorded;
	if (!c->diverged && report->recorded_compared && rc->first_divergence != SIZE_MAX) {
		/* The model and a replay from an empty heap agree, but the
		 * program did something else: nothing about it is established. */
		size_t i = rc->first_divergence;
		char what[256];
		trace_compare_describe_as_in(lang, rc->first_kind, &rc->first_recorded, &rc->first_model,
		                             L(lang, "the replay", "重放"), what, sizeof what);
		char where[64] = "";
		if (request->op_line)
			snprintf(where, sizeof where, L(lang, " (line %" PRIu32 ")", "（第 %" PRIu32 " 行）"), request->op_line[i]);
		/* a pointer in another arena: name the thread's arena change it
		 * goes back to (arena_cause.c) */
		bool after_brk_moved = request->brk_moved_op != 0 && i + 1 >= request->brk_moved_op;
		verify_arena_cause cause;
		const char *label = request->thread_name ? request->thread_name(request->thread_context,
		                                                                request->ops[i].thread, i)
		                                         : NULL;
		if (!after_brk_moved && rc->first_kind == TRACE_MISMATCH_RET &&
		    verify_arena_cause_find(config, request->ops, request->op_count, i, &request->recorded[i],
		                            request->op_line, label, lang, &cause))
			return finish(report, VERIFY_SKIPPED,
			              L(lang,
			                "not verified: %s (op %zu%s %s); replayed one call at a time, glibc %s and the model "
			                "agree on every op (%zu of %zu; %zu of %zu comparable ops agree with the recording)",
			                "未验证：%s（第 %zu 个操作%s：%s）；逐个调用重放时，glibc %s 与模型在每个操作上都一致"
			                "（%zu/%zu；与录制可比较的操作中 %zu/%zu 一致）"),
			              cause.text, i + 1, where, what, report->glibc, c->ops_matched, c->ops_total,
			              rc->matched, rc->compared);
		/* why: a call that failed in the program only (a memory limit),
		 * else a heap that did not start empty or calls not recorded */
		char why_not[800];
		if (after_brk_moved)
			snprintf(why_not, sizeof why_not,
			         L(lang,
			           "the program break moved outside the recorded calls at op %zu %s, replayed as the program's "
			           "own sbrk; where the replay parts from the recording after that, a malloc went around the "
			           "recorder and moved it, not the program",
			           "第 %zu 个操作处 brk 在录制的调用之外移动了%s，按程序自己的 sbrk 重放；如果重放在此之后与录制"
			           "不一致，那么移动它的是绕过了录制器的 malloc，而不是程序"),
			         request->brk_moved_op, brk_moved);
		else if (trace_failed_where_replay_did_not(rc))
			trace_limit_describe_in(lang, request->rlimit_data, request->rlimit_as, why_not, sizeof why_not);
		else
			snprintf(why_not, sizeof why_not, "%s",
			         L(lang,
			           "the program's heap did not start empty (a forked child?) or it allocated in ways the trace "
			           "does not show",
			           "程序的堆开始时不是空的（fork 出来的子进程？），或者它用轨迹里看不到的方式分配了内存"));
		return finish(report, VERIFY_SKIPPED,
		              L(lang,
		                "not verified: the model matches glibc %s replaying these calls (%zu of %zu ops), but %s "
		                "does not reproduce the recording: %zu of %zu comparable ops agree (pointers "
		                "%zu/%zu, brk %zu/%zu); first at op %zu%s: %s; %s",
		                "未验证：glibc %s 重放这些调用时模型与之一致（%zu/%zu 个操作），但%s没有重现录制："
		                "可比较的操作中 %zu/%zu 一致（指针 %zu/%zu，brk %zu/%zu）；第一次不同在第 %zu 个操作%s：%s；%s"),
		              report->glibc, c->ops_matched, c->ops_total,
		              report->recorded_via_model
		                  ? L(lang, "the model, run from the recorded heap's own start,", "从录制的堆自己的起点运行的模型")
		                  : L(lang, "that replay", "这次重放"),
		              rc->matched, rc->compared, rc->ret_matched, rc->ret_compared, rc->brk_matched, rc->brk_compared,
		              i + 1, where, what, why_not);
	}
	char why_part[1200];
	if (!c->diverged && request->malloc_from != NULL) {
		snprintf(why_part, sizeof why_part,
		         L(lang, "the program's malloc was %s's, not glibc's, so what its heap did was not compared",
		           "程序的 malloc 来自 %s，不是 glibc 的，所以没有比较它的堆"),
		         request->malloc_from);
		return verified_in_part(report, why_part);
	}
	if (!c->diverged && report->recorded_compared && rc->compared == 0)
		return verified_in_part(report, L(lang,
		                                  "no op of the recording has a result to compare, so whether the "
		                                  "program's heap is reproduced was not checked",
		                                  "录制中没有一个操作有可比较的结果，所以没有检查程序的堆是否被重现"));
	if (!c->diverged && recording_resettled)
		return verified_in_part(report, report->trim_every != 0
		                                    ? L(lang,
		                                        "the program made no such malloc_trim calls (and ran without any "
		                                        "settings the command line added), so whether its heap is "
		                                        "reproduced was not checked",
		                                        "程序并没有做这些 malloc_trim 调用（运行时也没有命令行加上的设置），"
		                                        "所以没有检查它的堆是否被重现")
		                                    : L(lang,
		                                        "the program ran without the settings the command line added, so "
		                                        "whether its heap is reproduced was not checked",
		                                        "程序运行时没有命令行加上的设置，所以没有检查它的堆是否被重现"));
	if (!c->diverged && recording_elsewhere) {
		snprintf(why_part, sizeof why_part,
		         L(lang, "the recording was made on glibc %s, so whether the program's heap is reproduced was not checked",
		           "录制是在 glibc %s 上做的，所以没有检查程序的堆是否被重现"),
		         request->recorded_glibc);
		return verified_in_part(report, why_part);
	}
	/* where both runs ended before the last op: the op glibc died in */
	char ended[300];
	ended_words(lang, c, ended, sizeof ended);
	/* (a recording whose break the program moved: how it was compared) */
	char less_moves[300] = "";
	if (request->brk_moved_op != 0) {
		char total[24];
		snprintf(less_moves, sizeof less_moves,
		         L(lang,
		           "; the break's moves outside the calls (%zu, %s in all; the first at op %zu %s) are replayed as "
		           "the program's own sbrk",
		           "；brk 在调用之外的移动（%zu 次，共 %s；第一次在第 %zu 个操作处%s）按程序自己的 sbrk 重放"),
		         request->brk_moved_count, trace_offset_text(request->brk_moved_total, total, sizeof total),
		         request->brk_moved_op, brk_moved);
	}
	if (!c->diverged && report->recorded_compared)
		return finish(report, VERIFY_MATCH,
		              L(lang,
		                "match: %zu of %zu ops identical to glibc %s (%s)%s, and %s reproduces the recording "
		                "(%zu of %zu comparable ops: pointers %zu/%zu, brk %zu/%zu)%s",
		                "一致：%zu/%zu 个操作与 glibc %s 完全相同（%s）%s，并且%s重现了录制"
		                "（可比较的操作 %zu/%zu：指针 %zu/%zu，brk %zu/%zu）%s"),
		              c->ops_matched, c->ops_total, report->glibc,
		              settings_words(report), ended,
		              report->recorded_via_model
		                  ? L(lang,
		                      "the model, run from the recorded heap's own start (an alignment above a page puts "
		                      "the chunks of glibc's replay elsewhere),",
		                      "从录制的堆自己的起点运行的模型（一个超过一页的对齐让 glibc 重放中的块落在别处）")
		                  : L(lang, "that replay", "这次重放"),
		              rc->matched, rc->compared, rc->ret_matched, rc->ret_compared, rc->brk_matched, rc->brk_compared,
		              less_moves);
	if (!c->diverged)
		return finish(report, VERIFY_MATCH,
		              L(lang, "match: %zu of %zu ops identical to glibc %s (%s)%s", "一致：%zu/%zu 个操作与 glibc %s 完全相同（%s）%s"),
		              c->ops_matched, c->ops_total, report->glibc, settings_words(report), ended);
	const compare_divergence *d = &c->first;
	compare_format_model(&request->ops[d->step], &d->model, report->model_line, sizeof report->model_line);
	if (d->real_present)
		ops_result_format(&d->real, NULL, report->real_line, sizeof report->real_line);
	else
		snprintf(report->real_line, sizeof report->real_line, "%s",
		         aborted ? L(lang, "abort", "中止") : L(lang, "(no result)", "（无结果）"));
	if (lang == SIM_LANG_ZH)
		return finish(report, VERIFY_DIVERGED, "在第 %zu 个操作出现分歧（共 %zu 个）；比较过的 %zu 个操作中 %zu 个一致",
		              d->step + 1, c->ops_total, c->ops_compared, c->ops_matched);
	return finish(report, VERIFY_DIVERGED, "diverged at op %zu of %zu; %zu of %zu compared ops matched",
	              d->step + 1, c->ops_total, c->ops_matched, c->ops_compared);
}

verify_status verify_run(const verify_request *request, verify_report *report)
{
	kept_pass kept;
	model_log_init(&kept.log);
	kept.log.failed = true; /* no pass yet */
	memset(&kept.config, 0, sizeof kept.config);
	kept.cpus_read = true;
	verify_status status = verify_with(request, report, &kept);
	model_log_release(&kept.log);
	return status;
}
