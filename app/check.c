/* check.c — `brksim check FILE...`: runs each scenario and its `expect`
 * lines; prints `file:line: expectation failed: …` for each failure, an
 * unexpected glibc abort as a failure too, and one summary line per file.
 * Exit 1 if anything failed or a file had errors, 2 if a file could not
 * be read or an option was bad. Must not: judge expectations itself
 * (lang/expect.c does; this file only words the outcome). */
#include <stdio.h>

#include "commands.h"
#include "describe.h"
#include "lang/expect.h"
#include "load.h"

/* Checks one file; returns its exit status (0, 1 or 2). */
static int check_file(const char *path, const app_options *options, size_t *expect_total, size_t *expect_failed)
{
	char shown[4096];
	const char *name = describe_escaped(path, shown, sizeof shown);
	loaded_file file;
	int status = load_file(path, options, &file, stderr);
	if (status != 0) {
		loaded_file_release(&file);
		return status;
	}
	expect_report report;
	if (!expect_check_script(&file.script, &file.config, &report)) {
		fprintf(stderr, "brksim: error: out of memory checking %s\n", name);
		loaded_file_release(&file);
		return 2;
	}
	for (size_t i = 0; i < report.count; i++) {
		const expect_outcome *o = &report.outcomes[i];
		if (!o->passed)
			printf("%s:%u: expectation failed: %s\n", name, file.script.expects[o->expect_index].line, o->message);
	}
	bool unexpected_abort = report.aborted && !report.abort_expected;
	if (unexpected_abort)
		printf("%s:%u: glibc would abort here: %s\n", name, report.abort_line,
		       report.abort_message ? report.abort_message : "?");
	size_t passed = report.count - report.failed;
	printf("%s: %zu of %zu expectation%s passed%s\n", name, passed, report.count, report.count == 1 ? "" : "s",
	       unexpected_abort ? ", run aborted" : "");
	*expect_total += report.count;
	*expect_failed += report.failed;
	status = report.failed > 0 || unexpected_abort ? 1 : 0;
	expect_report_release(&report);
	loaded_file_release(&file);
	return status;
}

int check_command(const app_options *options)
{
	int worst = 0;
	size_t total = 0, failed = 0, files_failed = 0;
	for (size_t i = 0; i < options->file_count; i++) {
		int status = check_file(options->files[i], options, &total, &failed);
		if (status != 0)
			files_failed++;
		if (status > worst)
			worst = status;
	}
	if (options->file_count > 1)
		printf("%zu file%s, %zu expectations, %zu failed, %zu file%s with problems\n", options->file_count,
		       options->file_count == 1 ? "" : "s", total, failed, files_failed, files_failed == 1 ? "" : "s");
	return worst;
}
