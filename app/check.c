/* check.c — `brksim check FILE...`: runs each scenario and its `expect`
 * lines; prints `file:line:col: error: expectation failed: …` for each
 * failure (as a compiler does, for an editor to jump to), an unexpected
 * glibc abort as a failure too, and one summary line per file.
 * Under a profile a lesson's `for glibc ...` excludes, nothing is checked:
 * check says for which releases the lesson is written and exits 3 (not
 * checked), so that `check --profile X` never passes a lesson it did not
 * check; expectations whose `if glibc ...` excludes it are counted as not
 * for this release. A file with no expectation left to check (no expect
 * lines, or none for this release) is not checked either: exit 3. Exit 1 if anything failed or a file had errors, 2 if a
 * file could not be read or an option was bad; with several files the
 * most serious wins: 2, then 1, then 3. Must not: judge expectations itself
 * (lang/expect.c does; this file only words the outcome). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "describe.h"
#include "lang/expect.h"
#include "load.h"

/* --lang zh: check speaks Chinese (the expectations' words come from
 * lang/expect.c in that language too) */
#define L(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

/* Checks one file; returns its exit status (0, 1, 2, or 3: not checked). */
static int check_file(const char *path, const app_options *options, size_t *expect_total, size_t *expect_failed,
                      size_t *expect_skipped)
{
	char shown[4096];
	const char *name = describe_escaped(path, shown, sizeof shown);
	sim_lang lang = app_options_lang(options);
	loaded_file file;
	int status = load_file(path, options, &file, stderr);
	if (status != 0) {
		loaded_file_release(&file);
		return status;
	}
	if (!script_glibc_cond_holds(&file.script.for_glibc, file.config.profile)) {
		char cond[48];
		script_glibc_cond_format(&file.script.for_glibc, cond, sizeof cond);
		printf(L(lang, "%s: written for %s (line %u); not checked under %s\n",
		         "%s：本课程是为 %s 编写的（第 %u 行）；在 %s 下不检查\n"),
		       name, cond, (unsigned)file.script.for_glibc_line, sim_profile_name(file.config.profile));
		*expect_skipped += file.script.expect_count;
		loaded_file_release(&file);
		return 3;
	}
	expect_report report;
	if (!expect_check_script_in(&file.script, &file.config, lang, &report)) {
		fprintf(stderr, "brksim: error: out of memory checking %s\n", name);
		loaded_file_release(&file);
		return 2;
	}
	for (size_t i = 0; i < report.count; i++) {
		const expect_outcome *o = &report.outcomes[i];
		if (!o->passed)
			printf(L(lang, "%s:%u:%u: error: expectation failed: %s\n", "%s:%u:%u: 错误：预期不成立：%s\n"), name,
			       file.script.expects[o->expect_index].line, file.script.expects[o->expect_index].col,
			       o->message);
	}
	bool unexpected_abort = report.aborted && !report.abort_expected;
	if (unexpected_abort)
		printf(L(lang, "%s:%u:%u: error: glibc would abort here: %s\n", "%s:%u:%u: 错误：glibc 会在这里中止：%s\n"),
		       name, report.abort_line, report.abort_col, report.abort_message ? report.abort_message : "?");
	size_t checked = report.count - report.skipped;
	size_t passed = checked - report.failed;
	char skipped[96] = "";
	if (report.skipped)
		snprintf(skipped, sizeof skipped, L(lang, " (%zu more not for %s)", "（另有 %zu 条不适用于 %s）"),
		         report.skipped, sim_profile_name(file.config.profile));
	if (checked == 0 && !unexpected_abort) {
		/* "0 of 0 passed" with exit 0 would pass a lesson that lost its
		 * expect lines, or a trace given by mistake */
		if (report.skipped)
			printf(L(lang, "%s: not checked: none of its %zu expectation%s is for %s\n",
			         "%s：未检查：它的 %zu 条预期%s都不适用于 %s\n"),
			       name, report.skipped, lang == SIM_LANG_ZH || report.skipped == 1 ? "" : "s",
			       sim_profile_name(file.config.profile));
		else
			printf(L(lang, "%s: not checked: it has no expect lines\n", "%s：未检查：它没有 expect 行\n"), name);
		status = 3;
	} else {
		printf(L(lang, "%s: %zu of %zu expectation%s passed%s%s\n", "%s：%zu/%zu 条预期成立%s%s\n"), name, passed,
		       checked, lang == SIM_LANG_ZH || checked == 1 ? "" : "s", skipped,
		       unexpected_abort ? L(lang, ", run aborted", "，运行中止") : "");
		status = report.failed > 0 || unexpected_abort ? 1 : 0;
	}
	*expect_total += checked;
	*expect_failed += report.failed;
	*expect_skipped += report.skipped;
	expect_report_release(&report);
	loaded_file_release(&file);
	return status;
}

/* How serious an exit status is: an error, then a failure, then "not
 * checked", then a pass (as verify ranks "not verified"). */
static int severity(int status)
{
	static const int rank[] = {0, 2, 3, 1};
	return status >= 0 && status <= 3 ? rank[status] : 3;
}

int check_command(const app_options *options)
{
	int worst = 0;
	size_t total = 0, failed = 0, skipped = 0, files_failed = 0, files_unchecked = 0;
	for (size_t i = 0; i < options->file_count; i++) {
		int status = check_file(options->files[i], options, &total, &failed, &skipped);
		if (status == 3)
			files_unchecked++;
		else if (status != 0)
			files_failed++;
		if (severity(status) > severity(worst))
			worst = status;
	}
	if (options->file_count > 1) {
		sim_lang lang = app_options_lang(options);
		bool zh = lang == SIM_LANG_ZH;
		char more[64] = "", unchecked[96] = "";
		if (skipped)
			snprintf(more, sizeof more, L(lang, ", %zu not for this glibc", "，%zu 条不适用于这个 glibc"), skipped);
		if (files_unchecked)
			snprintf(unchecked, sizeof unchecked, L(lang, ", %zu file%s not checked", "，%zu 个文件未检查%s"),
			         files_unchecked, zh || files_unchecked == 1 ? "" : "s");
		if (zh)
			printf("%zu 个文件，%zu 条预期，%zu 条不成立%s，%zu 个文件有问题%s\n", options->file_count, total, failed,
			       more, files_failed, unchecked);
		else
			printf("%zu file%s, %zu expectation%s, %zu failed%s, %zu file%s with problems%s\n",
			       options->file_count, options->file_count == 1 ? "" : "s", total, total == 1 ? "" : "s", failed,
			       more, files_failed, files_failed == 1 ? "" : "s", unchecked);
	}
	return worst;
}
