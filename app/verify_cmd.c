/* verify_cmd.c — `brksim verify FILE...`: each file through the model and
 * through a real glibc, this machine's or --glibc's (verify/driver.c does
 * the work; this file loads, picks the profile rule, prints and picks the
 * exit status).
 * Exit 0: every file matched in full; 1: a divergence; 2: a file could
 * not be read, the replayer could not run, or the replayed glibc has no
 * profile in the model; 3: a file could not be verified, or only in part
 * (a profile given that is not the replayed glibc's, a replay that does
 * not reproduce the recording — a thread's arena chosen under contention
 * among them —, a recording that stopped early or was cut off), each time
 * saying what was compared.
 * With several files the most serious wins: 2, then 1, then 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "commands.h"
#include "describe.h"
#include "load.h"
#include "verify/verify.h"

/* verify_request's thread_name: the script's name of the thread at op
 * (a recording's T4242, a lesson's worker[3]). */
static const char *thread_name_at(const void *context, uint32_t thread, size_t op)
{
	return script_thread_name_at(context, thread, op);
}

/* The largest single request this machine grants, for the model's
 * config.vm_limit: with the kernel's default overcommit heuristic
 * (vm.overcommit_memory 0) one mmap or brk larger than RAM + swap is
 * refused. Other modes (1: always, 2: a commit limit that moves with
 * what is committed) keep the model's default. */
static sim_size machine_vm_limit(void)
{
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	int mode = -1;
	if (f != NULL) {
		if (fscanf(f, "%d", &mode) != 1)
			mode = -1;
		fclose(f);
	}
	struct sysinfo si;
	if (mode != 0 || sysinfo(&si) != 0)
		return SIM_VM_LIMIT_DEFAULT;
	uint64_t units = (uint64_t)si.totalram + (uint64_t)si.totalswap, total;
	if (__builtin_mul_overflow(units, (uint64_t)(si.mem_unit ? si.mem_unit : 1), &total))
		return SIM_VM_LIMIT_DEFAULT;
	return total < SIM_VM_LIMIT_DEFAULT ? total : SIM_VM_LIMIT_DEFAULT;
}

/* The profile `--profile auto` stands for here: "glibc-" + the version of
 * the glibc `glibc` (NULL: this machine's) replays on, when the model has
 * it. False when it cannot be told (the driver then reports why). */
static bool replayed_profile(const char *glibc, char *name, size_t size)
{
	verify_target target;
	if (!verify_target_resolve(glibc, NULL, &target, NULL, NULL, 0))
		return false;
	verify_replay_args args = {0};
	verify_target_args(&target, &args);
	char version[32];
	if (!verify_replay_glibc_version(&args, version, sizeof version, NULL, 0))
		return false;
	snprintf(name, size, "glibc-%s", version);
	return sim_profile_from_name(name, strlen(name)) >= 0;
}

/* Loads `path` for verification. Under --profile auto the file's settings
 * are those the replayed glibc accepts (a tcache_max of 256 KiB is valid
 * for 2.43, out of range for 2.36): an explicit `--profile auto` loads it
 * as that glibc's profile; without --profile, a file naming no profile
 * that does not load under the default is read again under that profile
 * (the first attempt's messages are then dropped). */
static int load_for_verify(const char *path, const app_options *options, loaded_file *file)
{
	char auto_name[48];
	bool explicit_auto = options->profile && strcmp(options->profile, "auto") == 0;
	if (!explicit_auto && options->profile)
		return load_file_unheld(path, options, file, stderr);
	bool have_auto = replayed_profile(options->glibc, auto_name, sizeof auto_name);
	app_options as_auto = *options;
	as_auto.profile = auto_name;
	if (explicit_auto)
		return load_file_unheld(path, have_auto ? &as_auto : options, file, stderr);
	char *first_text = NULL;
	size_t first_len = 0;
	FILE *first_err = have_auto ? open_memstream(&first_text, &first_len) : NULL;
	int status = load_file_unheld(path, options, file, first_err ? first_err : stderr);
	if (first_err)
		fclose(first_err);
	if (status != 0 && first_err && !file->script.profile_given) {
		loaded_file retry;
		char *retry_text = NULL;
		size_t retry_len = 0;
		FILE *retry_err = open_memstream(&retry_text, &retry_len);
		int again = load_file_unheld(path, &as_auto, &retry, retry_err ? retry_err : stderr);
		if (retry_err)
			fclose(retry_err);
		if (again == 0 && !retry.script.profile_given) {
			loaded_file_release(file);
			*file = retry;
			fputs(retry_text ? retry_text : "", stderr);
			free(retry_text);
			free(first_text);
			return 0;
		}
		free(retry_text);
		loaded_file_release(&retry);
	}
	fputs(first_text ? first_text : "", stderr);
	free(first_text);
	return status;
}

/* --lang zh: the verdict in Chinese (the file's own diagnostics, the
 * import's notes, stay in English, as for run and check) */
#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

static int verify_file(const char *path, const app_options *options)
{
	sim_lang lang = app_options_lang(options);
	loaded_file file;
	int status = load_for_verify(path, options, &file);
	if (status != 0) {
		loaded_file_release(&file);
		return status;
	}
	/* --profile auto is the default unless the file names its profile:
	 * the model is compared as the glibc that actually runs. A recording
	 * is replayed on the glibc that made it when that one is here (this
	 * machine's, or in the cache) and --glibc says nothing else; if not,
	 * on this machine's (the comparison is the model against a real
	 * glibc on the same calls either way). */
	bool profile_auto = options->profile ? strcmp(options->profile, "auto") == 0 : !file.script.profile_given;
	const char *glibc = options->glibc;
	if (glibc == NULL && profile_auto && file.kind == LOADED_TRACE && file.extra.glibc_version[0]) {
		verify_target target;
		if (verify_target_resolve(file.extra.glibc_version, NULL, &target, NULL, NULL, 0))
			glibc = file.extra.glibc_version;
	}
	sim_config config = file.config;
	config.vm_limit = machine_vm_limit(); /* the real run meets this machine's limit */
	verify_request request = {
		.config = config,
		.ops = file.script.ops,
		.op_count = file.script.op_count,
		.slot_names = script_all_slot_names(&file.script),
		.slot_count = file.script.slot_count,
		.thread_name = thread_name_at,
		.thread_context = &file.script,
		.op_line = file.script.op_line,
		.fields = options->no_rss ? (COMPARE_ALL & ~(unsigned)COMPARE_RSS) : 0,
		.foreign_thread_ops = file.kind == LOADED_TRACE ? file.extra.other_thread_count : 0,
		.recorded = file.kind == LOADED_TRACE && file.extra.recorded != NULL &&
		                    file.extra.recorded_count == file.script.op_count
		                ? file.extra.recorded
		                : NULL,
		.recorded_glibc = file.kind == LOADED_TRACE ? file.extra.glibc_version : NULL,
		.recorded_settings_changed = file.kind == LOADED_TRACE && file.settings_changed,
		.malloc_from = file.kind == LOADED_TRACE && file.extra.malloc_from[0] ? file.extra.malloc_from : NULL,
		.brk_moved_op = file.kind == LOADED_TRACE && file.extra.brk_moved_line > 0 ? file.extra.brk_moved_op + 1 : 0,
		.brk_moved_line = file.kind == LOADED_TRACE ? file.extra.brk_moved_line : 0,
		.brk_moved_from = file.kind == LOADED_TRACE ? file.extra.brk_moved_from : 0,
		.brk_moved_to = file.kind == LOADED_TRACE ? file.extra.brk_moved_to : 0,
		.brk_moved_count = file.kind == LOADED_TRACE ? file.extra.brk_moved_count : 0,
		.brk_moved_total = file.kind == LOADED_TRACE ? file.extra.brk_moved_total : 0,
		.rlimit_data = file.kind == LOADED_TRACE ? file.extra.rlimit_data : 0,
		.rlimit_as = file.kind == LOADED_TRACE ? file.extra.rlimit_as : 0,
		.glibc = glibc,
		.profile_auto = profile_auto,
		.lang = lang,
	};
	verify_report report;
	verify_report_init(&report);
	verify_status result = verify_run(&request, &report);
	char *text = verify_report_render(&request, &report);
	char shown[4096];
	const char *name = describe_escaped(path, shown, sizeof shown);
	/* (a verify that could not run says so as an error; a skip says
	 * "not verified", a verdict what it compared) */
	printf(L(lang, "%s: %s%s", "%s：%s%s"), name, result == VERIFY_ERROR ? L(lang, "error: ", "错误：") : "",
	       text != NULL ? text : report.message);
	if (text == NULL || (text[0] != '\0' && text[strlen(text) - 1] != '\n'))
		putchar('\n');
	free(text);
	switch (result) {
	case VERIFY_MATCH: status = 0; break;
	case VERIFY_SKIPPED: status = 3; break;
	case VERIFY_DIVERGED: status = 1; break;
	case VERIFY_ERROR: status = 2; break;
	}
	/* What the recording itself lacks: a match covers only what is there. */
	if (file.kind == LOADED_TRACE && file.extra.stopped_line > 0) {
		char why[512];
		trace_stopped_describe_in(lang, file.extra.stopped_why, why, sizeof why);
		printf(L(lang,
		         "%s: warning: the recording stopped early at line %u (%s): only the calls before it were "
		         "verified\n",
		         "%s：警告：录制在第 %u 行提前停止（%s）：只验证了它之前的调用\n"),
		       name, file.extra.stopped_line, why);
		if (status == 0)
			status = 3;
	}
	if (file.kind == LOADED_TRACE && file.extra.cut_line > 0) {
		printf(L(lang,
		         "%s: warning: the recording is cut off at line %u (the process died while writing it, or the file "
		         "was cut): that line is left out, and only the calls before it were verified\n",
		         "%s：警告：录制在第 %u 行被截断（进程在写它时死了，或者文件被截短了）：这一行被略去，只验证了它之前的调用\n"),
		       name, file.extra.cut_line);
		if (status == 0)
			status = 3;
	}
	verify_report_release(&report);
	loaded_file_release(&file);
	return status;
}

/* How serious an exit status is: an error, then a divergence, then "not
 * verified", then a match. */
static int severity(int status)
{
	static const int rank[] = {0, 2, 3, 1};
	return status >= 0 && status <= 3 ? rank[status] : 3;
}

int verify_command(const app_options *options)
{
	int worst = 0;
	for (size_t i = 0; i < options->file_count; i++) {
		int status = verify_file(options->files[i], options);
		if (severity(status) > severity(worst))
			worst = status;
	}
	return worst;
}
