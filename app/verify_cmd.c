/* verify_cmd.c — `brksim verify FILE...`: each file through the model and
 * through a real glibc, this machine's or --glibc's (verify/driver.c does
 * the work; this file loads, picks the profile rule, prints and picks the
 * exit status).
 * Exit 0: every file matched in full; 1: a divergence; 2: a file could
 * not be read, the replayer could not run, or the replayed glibc has no
 * profile in the model; 3: a file could not be verified, or only in part
 * (a profile given that is not the replayed glibc's, other threads'
 * calls, a replay that does not reproduce the recording, a recording that
 * stopped early or was cut off), each time saying what was compared.
 * With several files the most serious wins: 2, then 1, then 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "describe.h"
#include "load.h"
#include "verify/verify.h"

static int verify_file(const char *path, const app_options *options)
{
	loaded_file file;
	int status = load_file(path, options, &file, stderr);
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
	verify_request request = {
		.config = file.config,
		.ops = file.script.ops,
		.op_count = file.script.op_count,
		.slot_names = (const char *const *)file.script.slot_names,
		.slot_count = file.script.slot_count,
		.op_line = file.script.op_line,
		.fields = options->no_rss ? (COMPARE_ALL & ~(unsigned)COMPARE_RSS) : 0,
		.foreign_thread_ops = file.kind == LOADED_TRACE ? file.extra.other_thread_count : 0,
		.recorded = file.kind == LOADED_TRACE && file.extra.recorded != NULL &&
		                    file.extra.recorded_count == file.script.op_count
		                ? file.extra.recorded
		                : NULL,
		.glibc = glibc,
		.profile_auto = profile_auto,
	};
	verify_report report;
	verify_report_init(&report);
	verify_status result = verify_run(&request, &report);
	char *text = verify_report_render(&request, &report);
	char shown[4096];
	const char *name = describe_escaped(path, shown, sizeof shown);
	printf("%s: %s", name, text != NULL ? text : report.message);
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
		printf("%s: warning: the recording stopped early at line %u (%s): only the calls before it were "
		       "verified\n",
		       name, file.extra.stopped_line, file.extra.stopped_why);
		if (status == 0)
			status = 3;
	}
	if (file.kind == LOADED_TRACE && file.extra.cut_line > 0) {
		printf("%s: warning: the recording is cut off at line %u (the process died while writing it): that "
		       "line is left out, and only the calls before it were verified\n",
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
