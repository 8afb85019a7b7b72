/* record_cmd.c — `brksim record -o OUT -- PROGRAM ARGS...`: runs the
 * program under the recorder (record/driver.c) and says what was written
 * and how to replay it.
 * Exit status: the program's own when it exited (so scripts can chain)
 * and its recording is whole; 128 + N when signal N killed it; 2 when
 * nothing was run (OUT refused, the program cannot be recorded or
 * started) or no recording was written; 1 when the program exited 0 but
 * a recording stopped early (not at the size limit it was given:
 * --max-size, that is as asked).
 * Must not: spawn or read recordings itself (record/driver.c does). */
#define _GNU_SOURCE /* sigabbrev_np */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "commands.h"
#include "lang/input_limits.h"
#include "lang/size.h"
#include "record/record.h"
#include "unnamed_frames.h"

/* A program's name as a file's line says it: the last part of its path
 * (the file's `# exe` line has the whole), "?" when it has none. */
static const char *program_name(const char *exe)
{
	const char *slash = strrchr(exe, '/');
	const char *name = slash ? slash + 1 : exe;
	return *name ? name : "?";
}

/* A run that records a shell script or a build makes hundreds of files:
 * past LIST_ALL of them, those named one by one are OUT, the program it
 * became by exec, every file with a warning and the LIST_LARGEST with
 * the most calls; the rest are counted by program. */
enum { LIST_ALL = 12, LIST_LARGEST = 6, LIST_PROGRAMS = 4 };

static void choose_listed(const record_result *r, bool *listed)
{
	bool all = r->file_count <= LIST_ALL;
	for (size_t i = 0; i < r->file_count; i++)
		listed[i] = all || i == 0 || i == r->last_image || r->info[i].symbols_why[0] || r->info[i].stopped[0] ||
		            r->info[i].size_limit ||
		            r->info[i].malloc_from[0] || r->info[i].malloc_ahead[0] || r->info[i].valgrind[0] ||
		            r->info[i].malloc_first[0] || r->info[i].deepbind || r->info[i].brk_moved;
	for (size_t k = 0; !all && k < LIST_LARGEST; k++) {
		size_t best = r->file_count;
		for (size_t i = 0; i < r->file_count; i++)
			if (!listed[i] && (best == r->file_count || r->info[i].calls > r->info[best].calls))
				best = i;
		if (best == r->file_count)
			break;
		listed[best] = true;
	}
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "and 71 more recordings (bash 58, env 8, readlink 4, …): OUT.*" */
static void print_unlisted(const record_result *r, const bool *listed, const char *output)
{
	size_t n = 0;
	const char **names = malloc(r->file_count * sizeof *names);
	if (names == NULL)
		return;
	for (size_t i = 0; i < r->file_count; i++)
		if (!listed[i])
			names[n++] = program_name(r->info[i].exe);
	if (n == 0) {
		free(names);
		return;
	}
	qsort(names, n, sizeof *names, compare_names);
	fprintf(stderr, "brksim: and %zu more recording%s (", n, n == 1 ? "" : "s");
	/* the programs with the most files first, each run of equal names
	 * counted once per round (a few rounds: LIST_PROGRAMS) */
	size_t shown = 0, said = 0;
	bool *taken = calloc(n, sizeof *taken);
	for (; taken && shown < LIST_PROGRAMS; shown++) {
		size_t best = n, best_count = 0;
		for (size_t i = 0; i < n;) {
			size_t j = i;
			while (j < n && strcmp(names[j], names[i]) == 0)
				j++;
			if (!taken[i] && j - i > best_count) {
				best = i;
				best_count = j - i;
			}
			i = j;
		}
		if (best == n)
			break;
		taken[best] = true;
		fprintf(stderr, "%s%s %zu", shown ? ", " : "", names[best], best_count);
		said += best_count;
	}
	if (said < n)
		fprintf(stderr, "%sother programs %zu", shown ? ", " : "", n - said);
	fprintf(stderr, "): %s.*\n", output);
	free(taken);
	free(names);
}

/* The program exited but processes it started still run (a daemon):
 * brksim waits for them; says which, and how to end the wait. */
static void say_waiting(void *context, const int *pids, size_t shown, size_t count)
{
	const char *program = context;
	fprintf(stderr, "brksim: note: %s exited, and %zu process%s it started still run%s", program_name(program), count,
	        count == 1 ? "" : "es", count == 1 ? "s" : "");
	for (size_t i = 0; i < shown; i++) {
		char path[64], comm[64] = "";
		snprintf(path, sizeof path, "/proc/%d/comm", pids[i]);
		FILE *f = fopen(path, "re");
		if (f) {
			if (fgets(comm, sizeof comm, f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		for (char *c = comm; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		fprintf(stderr, "%spid %d%s%s%s", i ? ", " : " (", pids[i], comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
	}
	bool one = count == 1;
	fprintf(stderr, "%s: waiting for %s, as %s until %s (stop %s to finish; Ctrl-C here stops the wait and leaves "
	                "%s as %s)\n",
	        shown < count ? ", ...)" : ")", one ? "it" : "them",
	        one ? "its recording is its own" : "their recordings are their own", one ? "it ends" : "they end",
	        one ? "it" : "them", one ? "its file" : "their files", one ? "it is" : "they are");
}

int record_command(const app_options *options)
{
	char **argv = calloc(options->argc + 1, sizeof *argv);
	if (argv == NULL) {
		fputs("brksim: error: out of memory\n", stderr);
		return 2;
	}
	for (size_t i = 0; i < options->argc; i++)
		argv[i] = (char *)options->argv[i];
	record_result result;
	char why[1024] = "";
	if (options->debuginfod && (options->no_symbols || !debuginfod_ready())) {
		if (options->no_symbols)
			fputs("brksim: error: --debuginfod names frames, --no-symbols leaves them unnamed: give one of them\n",
			      stderr);
		free(argv);
		return 2;
	}
	if (options->debuginfod)
		fprintf(stderr,
		        "brksim: once %s ends, the frames are named with debug information from DEBUGINFOD_URLS where this "
		        "machine has none (downloaded the first time, then kept in libdw's cache)\n",
		        options->argv[0]);
	record_settings settings = record_settings_default();
	settings.stack_depth = options->stack_depth;
	settings.max_size = options->max_size;
	settings.no_symbols = options->no_symbols;
	settings.debuginfod = options->debuginfod;
	settings.waiting = say_waiting;
	settings.waiting_context = (void *)options->argv[0];
	bool started = record_run_with(&settings, options->output, argv, NULL, &result, why, sizeof why);
	free(argv);
	if (!started) {
		fprintf(stderr, "brksim: error: %s\n", why);
		return 2;
	}
	size_t stopped = 0;
	bool *listed = calloc(result.file_count ? result.file_count : 1, sizeof *listed);
	if (listed)
		choose_listed(&result, listed);
	for (size_t i = 0; i < result.file_count; i++) {
		const record_file_info *info = &result.info[i];
		stopped += info->stopped[0] != 0;
		if (listed && !listed[i])
			continue;
		fprintf(stderr, "brksim: recorded %s (%s, %" PRIu64 " call%s)\n", result.files[i], program_name(info->exe),
		        info->calls, info->calls == 1 ? "" : "s");
		if (info->malloc_from[0])
			fprintf(stderr,
			        "brksim: warning: %s: %s's malloc is %s's, not glibc's: brksim replays its calls on glibc's "
			        "model (what glibc would do with them), not what that allocator did\n",
			        result.files[i], program_name(info->exe), info->malloc_from);
		if (info->malloc_ahead[0])
			fprintf(stderr,
			        "brksim: warning: %s: %s defines a malloc of its own (in %s), which comes before the "
			        "recorder's: its calls never reached brksim, so this file holds only the calls that did\n",
			        result.files[i], program_name(info->exe), info->malloc_ahead);
		if (info->malloc_first[0])
			fprintf(stderr,
			        "brksim: note: %s: %s's malloc is first %s's, loaded before the recorder: the calls it passes "
			        "on (a tracer's, such as heaptrack's) are in this file, those it serves itself (an allocator's, "
			        "jemalloc or tcmalloc preloaded before brksim) are not\n",
			        result.files[i], program_name(info->exe), info->malloc_first);
		if (info->deepbind)
			fprintf(stderr,
			        "brksim: warning: %s: %s opened %u librar%s with RTLD_DEEPBIND (its `# deepbind` lines): "
			        "their own calls to malloc and free go straight to glibc, around the recorder, and are not "
			        "in this file\n",
			        result.files[i], program_name(info->exe), info->deepbind, info->deepbind == 1 ? "y" : "ies");
		if (info->brk_moved)
			fprintf(stderr,
			        "brksim: warning: %s: the program break moved between recorded calls (%u time%s, its "
			        "`# brk-moved` lines): %s moved it itself (sbrk or brk), or a malloc went around the "
			        "recorder; brksim replays each move as the program's own sbrk, which is exact in the first "
			        "case\n",
			        result.files[i], info->brk_moved, info->brk_moved == 1 ? "" : "s", program_name(info->exe));
		if (info->valgrind[0])
			fprintf(stderr,
			        "brksim: warning: %s: %s ran under valgrind (%s), whose allocator takes every malloc call "
			        "before glibc's or brksim's sees it: this file holds none of them; record the program "
			        "itself, without valgrind\n",
			        result.files[i], program_name(info->exe), info->valgrind);
		if (result.info[i].symbols_why[0])
			fprintf(stderr, "brksim: warning: %s: the frames were not named: %s\n", result.files[i],
			        result.info[i].symbols_why);
		struct stat st;
		if (stat(result.files[i], &st) == 0 && (uint64_t)st.st_size > INPUT_MAX_SIZE)
			fprintf(stderr,
			        "brksim: warning: %s is %llu MiB, more than the " INPUT_MAX_SIZE_TEXT " brksim reads: run, show "
			        "and verify will refuse it; replay its start: head -c 250M %s > PART, then brksim symbolize "
			        "PART -o PART.named (its names are at the end of the file)\n",
			        result.files[i], (unsigned long long)(st.st_size >> 20), result.files[i]);
		if (info->still_running)
			fprintf(stderr,
			        "brksim: warning: %s: pid %" PRIu64 " still writes it (it ran on when brksim stopped waiting): "
			        "left as it is, with its unused end and no names; once it has ended, brksim symbolize %s -o "
			        "NAMED names its frames\n",
			        result.files[i], info->pid, result.files[i]);
		if (info->size_limit) {
			char limit[32];
			fprintf(stderr,
			        "brksim: note: %s reached its size limit (--max-size %s) after %" PRIu64
			        " calls: %s ran on unrecorded, and the file replays those first calls (--max-size none "
			        "records them all)\n",
			        result.files[i], size_format(info->size_limit, limit, sizeof limit), info->calls,
			        program_name(info->exe));
		}
		if (result.info[i].stopped[0]) {
			fprintf(stderr, "brksim: warning: %s: the recording stopped early: %s\n", result.files[i],
			        result.info[i].stopped);
		}
	}
	if (listed)
		print_unlisted(&result, listed, result.file_count ? result.files[0] : "");
	free(listed);
	say_unnamed_frames(result.unnamed_frames, result.looked_up_frames, result.unnamed_objects, result.unnamed_example,
	                   options->debuginfod);
	if (result.file_count == 0)
		fprintf(stderr,
		        "brksim: error: no recording was written for %s. Likely reasons: "
		        "the loader ignored LD_PRELOAD (a statically linked, set-user-ID, set-group-ID or "
		        "capability-raising program, or a wrapper that clears the environment before it runs the real "
		        "program), the program removed or renamed the recording, or the output directory stopped being "
		        "writable\n",
		        options->argv[0]);
	else
		fprintf(stderr, "brksim: replay with: brksim run %s   (or show, verify)\n", result.files[0]);
	/* A forked child's heap began as its parent's: alone, its file
	 * replays from an empty heap and diverges at once; joined to the
	 * parent's, it replays as it was. */
	size_t forked = 0, first_forked = 0, unjoinable = 0;
	for (size_t i = 0; i < result.file_count; i++) {
		if (result.info[i].forked && !result.info[i].after_limit && forked++ == 0)
			first_forked = i;
		unjoinable += result.info[i].forked && result.info[i].after_limit;
	}
	if (forked > 0)
		fprintf(stderr,
		        "brksim: note: %zu of these recordings %s: a forked child's heap began as a copy of its parent's; "
		        "replay it as it was with: brksim join %s -o %s.joined (then run, show or verify that)\n",
		        forked, forked == 1 ? "is a forked child's" : "are forked children's", result.files[first_forked],
		        result.files[first_forked]);
	/* (children forked after their parent's file reached its size
	 * limit: recorded on their own, with nothing to join them to) */
	if (unjoinable > 0)
		fprintf(stderr,
		        "brksim: note: %zu %s forked after the recording of %s parent had reached its size limit: %s "
		        "heap began as a copy no recording holds, so %s, and no join helps (a larger --max-size, or none, "
		        "records the parent's calls up to the fork)\n",
		        unjoinable, unjoinable == 1 ? "process was" : "processes were", unjoinable == 1 ? "its" : "their",
		        unjoinable == 1 ? "its" : "each one's",
		        unjoinable == 1 ? "its file replays from an empty heap and diverges"
		                        : "their files replay from an empty heap and diverge");
	/* A launcher (env, a shell script, pyenv's shims) is the file above:
	 * the program it became by exec has a file of its own, which a user
	 * who asked for that program wants. */
	size_t last = result.last_image;
	if (last != 0)
		fprintf(stderr, "brksim: note: %s became %s by exec; replay that with: brksim run %s (%" PRIu64 " calls)\n",
		        program_name(result.info[0].exe), program_name(result.info[last].exe), result.files[last],
		        result.info[last].calls);
	int status;
	if (result.exited) {
		status = result.exit_status;
		if (status != 0)
			fprintf(stderr, "brksim: note: %s exited with status %d\n", options->argv[0], status);
	} else {
		const char *name = sigabbrev_np(result.term_signal);
		fprintf(stderr, "brksim: note: %s was killed by signal %d%s%s%s\n", options->argv[0], result.term_signal,
		        name ? " (SIG" : "", name ? name : "", name ? ")" : "");
		status = 128 + result.term_signal;
	}
	if (result.file_count == 0)
		status = 2;
	else if (stopped && status == 0)
		status = 1;
	record_result_release(&result);
	return status;
}
