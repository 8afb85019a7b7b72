/* options.c — parses brksim's command line; holds the help texts.
 *
 * Accepts `--name=value` and `--name value`, a command word first
 * (run, check, verify, show, record, help), files after it, and `--`
 * for `record`. Must not: touch files or the environment. */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/gui.h"
#include "lang/diag.h"
#include "lang/size.h"
#include "record/record.h"
#include "sim/config.h"

static const char general_usage[] =
	"usage: brksim COMMAND [OPTIONS] FILE...\n"
	"\n"
	"brksim shows how glibc's malloc gives heap memory back to the kernel (or does not).\n"
	"\n"
	"commands:\n"
	"  run FILE        replay a scenario (.heap) or a trace step by step, explain every step,\n"
	"                  and summarise the heap at the end\n"
	"  check FILE...   run scenarios and check their `expect` lines\n"
	"  verify FILE...  replay through the model and through this machine's real glibc, compare\n"
	"  show FILE       open the animated heap view (SDL window)\n"
	"  record -o OUT -- PROGRAM [ARGS...]\n"
	"                  record a real program's allocator calls to OUT\n"
	"  symbolize REC -o OUT\n"
	"                  name the frames of a recording made with --no-symbols (or on\n"
	"                  another run): writes a new file OUT, REC stays as it is\n"
	"  join CHILD -o OUT\n"
	"                  a forked child's recording joined to its parent's (the parent's\n"
	"                  calls up to the fork, then the child's): writes a new file OUT\n"
	"  help [COMMAND]  this text, or a command's options; help keys: the window's keys;\n"
	"                  help glossary: the words brksim uses for the heap (English, 中文)\n"
	"\n"
	"FILE is a scenario (*.heap) or a trace: CS:APP .rep, glibc mtrace, ltrace output,\n"
	"or a brksim recording; the format is detected (--input-format to force it);\n"
	"- reads the standard input.\n"
	"\n"
	"common options:\n"
	"  --tunables STRING   GLIBC_TUNABLES-style settings, e.g.\n"
	"                      glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536\n"
	"                      (override the file's `set` lines)\n"
	"  --profile NAME      glibc-2.36 (default), glibc-2.3.6, glibc-2.31, glibc-2.41,\n"
	"                      glibc-2.43, or auto: the glibc that runs (verify: the replayed\n"
	"                      one); auto is the default of verify, and of a recording that\n"
	"                      names the glibc that made it\n"
	"  --touch all|none    whether the program writes what it allocates (modelled RSS)\n"
	"  --cpus N            the CPUs of the simulated machine (run, check, show): past\n"
	"                      arena_test arenas glibc allows 8 per CPU (overrides `set cpus`,\n"
	"                      a recording's `# cpus`; verify counts this machine's)\n"
	"  --trim-every N[:PAD] what if the program called malloc_trim(PAD) (default 0)\n"
	"                      after every N of its calls: the trims are made in the step\n"
	"                      of every Nth call and said so (verify: by the real glibc too)\n"
	"  --input-format FMT  heap, ops, rep, rep-2002, rep-2016, mtrace, ltrace, recording\n"
	"  -h, --help          help;  --version  the version\n"
	"\n"
	"exit status: 0 ok, 1 scenario error or failed expectation or divergence,\n"
	"2 usage or environment error, 3 (verify) not verified or only in part,\n"
	"(check) not checked: the lesson is not written for that profile, or has no\n"
	"expectation to check.\n";

static const char run_usage[] =
	"usage: brksim run [OPTIONS] FILE\n"
	"\n"
	"Replays FILE through the glibc model and prints, for every step, the returned\n"
	"offset, brk, top and what happened (bins, coalescing, consolidation, brk moves,\n"
	"the trim verdict and its reason), then a summary of the heap.\n"
	"\n"
	"  --format=text|tsv|json  output format (default text). tsv: one line per op with\n"
	"                          step, line, op, name, request, ret, brk, top, rss, events, trim,\n"
	"                          site, thread, arena\n"
	"  --from N, --to N        print only steps N..M (1-based); the summary is of step M\n"
	"  --break-on KINDS        stop after the first step (from --from on) with one of the\n"
	"                          comma-separated KINDS: brk-grow, brk-shrink (or trim),\n"
	"                          consolidate, mmap, munmap, madvise, abort, coalesce,\n"
	"                          threshold (the mmap and trim thresholds raised), sbrk\n"
	"                          (the program's own), free:NAME (NAME freed), step:N (step N)\n"
	"  --events=all            also print bookkeeping events (splits, bin pops)\n"
	"  --quiet                 print only the summary\n"
	"  --no-summary            print no summary\n"
	"  --lang en|zh            the language of the output: its captions and questions, and\n"
	"                          with zh every word brksim says (default: English, every\n"
	"                          caption in each of its languages)\n"
	"  --report[=text]         after the summary, the RSS story: VmData, RSS and bytes in use\n"
	"                          over the steps, the peak, what was live at the peak and at the\n"
	"                          end by call site (a recording with stacks) or name, and what\n"
	"                          holds free memory down (bytes pinned)\n"
	"  --report=svg FILE       the same as a standalone SVG file (a new file, an earlier\n"
	"                          brksim report or a device; never anything else)\n"
	"  --compare A,B[,...]     the same ops under several profiles (e.g.\n"
	"                          glibc-2.3.6,glibc-2.43; auto too) or settings (a side\n"
	"                          adds GLIBC_TUNABLES after '+': glibc-2.36,glibc-2.36+\n"
	"                          glibc.malloc.arena_max=2; settings alone keep the file's\n"
	"                          profile): prints the ops whose results differ under them\n"
	"                          (pointer, brk, top, RSS, what happened) and where they\n"
	"                          first part ways; text, tsv, json\n"
	"  --tunables, --profile, --touch, --trim-every, --input-format: see `brksim help`\n";

static const char check_usage[] =
	"usage: brksim check [OPTIONS] FILE...\n"
	"\n"
	"Runs each scenario and checks its `expect` lines. Failures are reported as\n"
	"FILE:LINE:COL: error: expectation failed: ... ; exit status 1 if any fails. A lesson\n"
	"whose `for glibc ...` line leaves out the profile (--profile) is not checked: check\n"
	"says which releases it is written for, exit 3. So is a file with no expectation to\n"
	"check (no expect lines, or none for this profile).\n"
	"  --lang en|zh        the language of what check says (default: English)\n"
	"  --tunables, --profile, --touch, --trim-every: see `brksim help`\n";

static const char verify_usage[] =
	"usage: brksim verify [OPTIONS] FILE...\n"
	"\n"
	"Replays each FILE twice: through the model, and through a real glibc (this\n"
	"machine's, or --glibc's; the brksim-replay helper, with the same settings through\n"
	"GLIBC_TUNABLES), and compares returned offsets, brk, top size and resident pages\n"
	"op by op. Identical: exit 0 with a one-line summary. Different: the first diverging\n"
	"step, both sides' values and the model's events there, exit 1. A recording's replay\n"
	"is also compared with what the program saw. The profile is the replayed glibc's own\n"
	"(--profile auto, the default unless the file names one); a glibc the model has no\n"
	"profile for is an error (exit 2). What cannot be verified, or only in part (a\n"
	"profile given that is not the replayed glibc's, a replay that does not reproduce\n"
	"the recording, a thread's arena chosen under contention, a recording cut off or\n"
	"stopped early, a file with no operations) is said, exit 3. Threads are replayed\n"
	"with real threads, one call at a time in the recorded order.\n"
	"  --glibc VERSION|DIR     replay on another real glibc: 2.31, 2.36, 2.41 or 2.43 from\n"
	"                          the cache scripts/glibc-fetch.sh fills, 2.3.6 once\n"
	"                          scripts/oracle-236.sh has built its malloc, or a directory\n"
	"                          with ld-linux-x86-64.so.2 and libc.so.6 (or their lib/)\n"
	"  --no-rss                compare only ret, brk and top\n"
	"  --lang en|zh            the verdict in English or Chinese\n"
	"  --tunables, --profile, --touch, --trim-every, --input-format: see `brksim help`\n";

static const char show_usage[] =
	"usage: brksim show [OPTIONS] [FILE]\n"
	"\n"
	"Opens the animated heap view (without FILE: the bundled default lesson).\n"
	"  --step N             start at step N (-1: the last step)\n"
	"  --screenshot OUT.png render step N off-screen to OUT.png and exit (no display needed)\n"
	"  --size WxH           window or screenshot size (default 1280x720; 640x480 to 8192x8192)\n"
	"  --lang en|zh         caption language (the whole window follows it)\n"
	"  --present            start in presentation mode (P): larger type, heap bar and caption only\n"
	"  --arena N            the heap bar shows arena N (0: main) instead of each step's own ([ ] keys)\n"
	"  --compare A,B        two heaps on one timeline: the same ops under two profiles\n"
	"                       (e.g. glibc-2.3.6,glibc-2.43) or settings (glibc-2.36,\n"
	"                       glibc.malloc.arena_max=2), each bar labelled with its side\n"
	"  --break-on KINDS     playing (Space) also stops after each step with one of run's\n"
	"                       --break-on KINDS (trim, brk-grow, free:NAME, ...); step:N is a\n"
	"                       breakpoint at step N, as K sets one in the window\n"
	"  --tunables, --profile, --touch, --trim-every, --input-format: see `brksim help`\n";

static const char record_usage[] =
	"usage: brksim record -o OUT [OPTIONS] -- PROGRAM [ARGS...]\n"
	"\n"
	"Runs PROGRAM with brksim's recorder preloaded and writes every malloc, free,\n"
	"calloc, realloc, memalign-family, malloc_trim and mallopt call to OUT, with the\n"
	"returned offset from the initial program break and the break after each call.\n"
	"Replay OUT with `brksim run OUT`, `brksim show OUT` or `brksim verify OUT`.\n"
	"Each allocating call also gets its call stack, and after PROGRAM exits the frames\n"
	"are named (function, file:line) from the debug information or symbol tables, so\n"
	"every chunk is shown with the code that allocated it.\n"
	"  --stack-depth N     return addresses kept per call (default 16, at most 64;\n"
	"                      0: no stacks)\n"
	"  --max-size SIZE     stop recording a process once its file reaches SIZE (e.g.\n"
	"                      100M; default 240M, the most brksim replays with room for\n"
	"                      the names; none: no limit): the program runs on unrecorded,\n"
	"                      and its recording replays its first calls\n"
	"  --no-symbols        keep the module map and the addresses but do not name them\n"
	"                      (name them later with `brksim symbolize OUT -o NAMED`)\n"
	"  --debuginfod        fetch the debug information this machine lacks from the\n"
	"                      debuginfod servers in DEBUGINFOD_URLS (without it brksim\n"
	"                      names frames from what is installed, and never downloads)\n";

static const char symbolize_usage[] =
	"usage: brksim symbolize [--debuginfod] REC -o OUT\n"
	"\n"
	"Names the frames of a recording made with `brksim record --no-symbols` (or one\n"
	"whose frames could not be named when it was made) as function (file:line), from\n"
	"the debug information or symbol tables of the program and libraries its `# module`\n"
	"lines list, and writes the recording with those names to OUT. The objects must be\n"
	"at the recorded paths and be the builds that ran (same build id); objects that are\n"
	"not keep object+offset frames. REC is only read. OUT must be a new file or an\n"
	"earlier output of brksim symbolize; anything else is refused and left as it is.\n"
	"Exit status: 0 written, 1 nothing to name (no stacks, already named, no object\n"
	"found), 2 usage or file errors.\n"
	"  -o OUT              the file to write\n"
	"  --debuginfod        fetch the debug information this machine lacks from the\n"
	"                      debuginfod servers in DEBUGINFOD_URLS (else nothing is\n"
	"                      downloaded)\n";

static const char join_usage[] =
	"usage: brksim join CHILD -o OUT\n"
	"\n"
	"A forked child's heap starts as a copy of its parent's, so its recording alone\n"
	"replays from an empty heap and diverges at its first call. brksim record marks\n"
	"each fork in the parent's file, and the child's file names it (`# fork-of`);\n"
	"join writes OUT: the parent's calls up to the fork, then the child's, one\n"
	"recording that run, show and verify replay as the child's heap really was. The\n"
	"parent's file must be next to CHILD, under the name the recorder gave it (a\n"
	"parent that was a forked child itself is joined to its own parent first). A\n"
	"parent with threads is joined too: the fork is replayed as glibc does it, the\n"
	"forking thread going on alone as the child's main thread. CHILD and the parent's\n"
	"file are only read; OUT must be a new file or an earlier output of brksim join.\n"
	"Exit status: 0 written, 1 cannot be joined (why is said), 2 usage or file errors.\n"
	"  -o OUT              the file to write\n";

bool app_usage_has(const char *topic)
{
	return app_usage(topic) != general_usage || strcmp(topic, "help") == 0;
}

const char *app_usage(const char *topic)
{
	if (topic == NULL)
		return general_usage;
	if (strcmp(topic, "run") == 0)
		return run_usage;
	if (strcmp(topic, "check") == 0)
		return check_usage;
	if (strcmp(topic, "verify") == 0)
		return verify_usage;
	if (strcmp(topic, "show") == 0)
		return show_usage;
	if (strcmp(topic, "record") == 0)
		return record_usage;
	if (strcmp(topic, "symbolize") == 0)
		return symbolize_usage;
	if (strcmp(topic, "join") == 0)
		return join_usage;
	return general_usage;
}

static const struct {
	const char *name;
	app_command command;
} commands[] = {
	{"run", APP_CMD_RUN},       {"check", APP_CMD_CHECK}, {"verify", APP_CMD_VERIFY}, {"show", APP_CMD_SHOW},
	{"record", APP_CMD_RECORD}, {"symbolize", APP_CMD_SYMBOLIZE}, {"join", APP_CMD_JOIN}, {"help", APP_CMD_HELP},
	{"version", APP_CMD_VERSION},
};

/* Parses a non-negative decimal integer; false on anything else. */
static bool parse_count(const char *text, uint64_t *out)
{
	if (text == NULL || *text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

/* 16 for a number written 0x..., else 10. */
static int hex_base(const char *text)
{
	return text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? 16 : 10;
}

static bool parse_size(const char *text, int *w, int *h)
{
	char *end;
	long width = strtol(text, &end, 10);
	if (end == text || (*end != 'x' && *end != 'X'))
		return false;
	const char *rest = end + 1;
	long height = strtol(rest, &end, 10);
	if (end == rest || *end != '\0' || width < GUI_MIN_WIDTH || height < GUI_MIN_HEIGHT || width > GUI_MAX_SIDE ||
	    height > GUI_MAX_SIDE)
		return false;
	*w = (int)width;
	*h = (int)height;
	return true;
}

/* Options that belong to some commands only: given to another, they are
 * refused rather than ignored (a user who writes `run --step 5` expects
 * something to happen). Options not listed (--help, --version) apply to
 * every command. */
enum { ON_RUN = 1, ON_CHECK = 2, ON_VERIFY = 4, ON_SHOW = 8, ON_RECORD = 16, ON_SYMBOLIZE = 32, ON_JOIN = 64 };
static const struct {
	const char *name;
	unsigned commands;
	const char *which; /* the commands, in words */
} scoped[] = {
	{"--format", ON_RUN, "run"},          {"--from", ON_RUN, "run"},
	{"--to", ON_RUN, "run"},              {"--break-on", ON_RUN | ON_SHOW, "run and show"},
	{"--events", ON_RUN, "run"},          {"--quiet", ON_RUN, "run"},
	{"-q", ON_RUN, "run"},                {"--no-summary", ON_RUN, "run"},
	{"--lang", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
	{"--compare", ON_RUN | ON_SHOW, "run and show"},
	{"--step", ON_SHOW, "show"},          {"--screenshot", ON_SHOW, "show"},
	{"--size", ON_SHOW, "show"},          {"--present", ON_SHOW, "show"},
	{"--arena", ON_SHOW, "show"},
	{"--no-rss", ON_VERIFY, "verify"},    {"-o", ON_RECORD | ON_SYMBOLIZE | ON_JOIN, "record, symbolize and join"},
	{"--output", ON_RECORD | ON_SYMBOLIZE | ON_JOIN, "record, symbolize and join"},     {"--stack-depth", ON_RECORD, "record"},
	{"--max-size", ON_RECORD, "record"},
	{"--no-symbols", ON_RECORD, "record"}, {"--report", ON_RUN, "run"},
	{"--debuginfod", ON_RECORD | ON_SYMBOLIZE, "record and symbolize"},
	/* the model's settings: record runs the real program (its settings
	 * come from its environment, GLIBC_TUNABLES), symbolize names frames */
	{"--tunables", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
	{"--profile", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
	{"--touch", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
	/* verify's glibc counts the CPUs of the machine it runs on */
	{"--cpus", ON_RUN | ON_CHECK | ON_SHOW, "run, check and show"},
	/* a what-if: verify's real glibc makes the same trims */
	{"--trim-every", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
	{"--input-format", ON_RUN | ON_CHECK | ON_VERIFY | ON_SHOW, "run, check, verify and show"},
};

static unsigned command_bit(app_command c)
{
	switch (c) {
	case APP_CMD_RUN: return ON_RUN;
	case APP_CMD_CHECK: return ON_CHECK;
	case APP_CMD_VERIFY: return ON_VERIFY;
	case APP_CMD_SHOW: return ON_SHOW;
	case APP_CMD_RECORD: return ON_RECORD;
	case APP_CMD_SYMBOLIZE: return ON_SYMBOLIZE;
	case APP_CMD_JOIN: return ON_JOIN;
	default: return 0;
	}
}

/* False (with the reason) when `name` is an option of other commands. */
static bool applies(const app_options *o, const char *name, const char *command_word, char *err, size_t err_size)
{
	unsigned bit = command_bit(o->command);
	if (bit == 0)
		return true;
	for (size_t i = 0; i < sizeof scoped / sizeof scoped[0]; i++)
		if (strcmp(scoped[i].name, name) == 0 && !(scoped[i].commands & bit)) {
			snprintf(err, err_size, "option '%s' does not apply to '%s' (it is for %s)%s", name, command_word,
				 scoped[i].which,
				 o->command == APP_CMD_RECORD && strcmp(name, "--tunables") == 0
					 ? "; to record a program under settings, give them to it: GLIBC_TUNABLES=... brksim "
					   "record ..."
					 : "");
			return false;
		}
	return true;
}

/* Options that take a value; `--name=value` or `--name value`. */
static const char *const valued[] = {
	"--format", "--input-format", "--tunables", "--profile", "--touch", "--lang", "--from", "--to",
	"--break-on", "--step", "--screenshot", "--size", "--events", "-o", "--output", "--stack-depth", "--glibc",
	"--compare", "--cpus", "--arena", "--trim-every", "--max-size",
};

static bool is_valued(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
		if (strlen(valued[i]) == len && strncmp(valued[i], name, len) == 0)
			return true;
	return false;
}

/* Applies an option of `valued`; value is never NULL. */
static bool apply_valued(app_options *o, const char *name, const char *value, char *err, size_t err_size)
{
#define IS(n) (strcmp(name, n) == 0)
	if (IS("--format")) {
		if (strcmp(value, "text") == 0)
			o->format = APP_FORMAT_TEXT;
		else if (strcmp(value, "tsv") == 0)
			o->format = APP_FORMAT_TSV;
		else if (strcmp(value, "json") == 0)
			o->format = APP_FORMAT_JSON;
		else {
			snprintf(err, err_size, "unknown --format '%s'; expected one of: text, tsv, json", value);
			return false;
		}
	} else if (IS("--input-format")) {
		o->input_format = value;
	} else if (IS("--tunables")) {
		o->tunables = value;
	} else if (IS("--profile")) {
		o->profile = value;
	} else if (IS("--touch")) {
		if (strcmp(value, "all") != 0 && strcmp(value, "none") != 0) {
			snprintf(err, err_size, "unknown --touch '%s'; expected one of: all, none", value);
			return false;
		}
		o->touch = value;
	} else if (IS("--lang")) {
		/* brksim speaks English and Chinese; a tag's region ("zh-CN") is fine */
		bool known = (strncmp(value, "en", 2) == 0 || strncmp(value, "zh", 2) == 0) &&
			     (value[2] == '\0' || value[2] == '-' || value[2] == '_');
		if (!known) {
			snprintf(err, err_size, "unknown --lang '%s'; expected one of: en, zh", DIAG_QUOTE(value, strlen(value)));
			return false;
		}
		o->lang = value;
	} else if (IS("--from") || IS("--to")) {
		uint64_t v;
		if (!parse_count(value, &v) || v == 0) {
			snprintf(err, err_size, "%s expects a step number (1 or more), got '%s'", name, value);
			return false;
		}
		if (IS("--from")) {
			o->from = v;
		} else {
			o->to = v;
			o->to_given = true;
		}
	} else if (IS("--break-on")) {
		o->break_on = value;
	} else if (IS("--step")) {
		/* N counts from the start; -N from the end (-1 is the last step). */
		uint64_t v;
		bool from_end = value[0] == '-';
		if (!parse_count(value + from_end, &v) || v > (uint64_t)INT32_MAX || (from_end && v == 0)) {
			snprintf(err, err_size, "--step expects a step number (0 or more, or -1 for the last), got '%s'",
				 value);
			return false;
		}
		o->step = from_end ? -(long)v : (long)v;
		o->step_given = true;
	} else if (IS("--screenshot")) {
		o->screenshot = value;
	} else if (IS("--size")) {
		if (!parse_size(value, &o->width, &o->height)) {
			snprintf(err, err_size, "--size expects WIDTHxHEIGHT between %dx%d and %dx%d, got '%s'", GUI_MIN_WIDTH,
				 GUI_MIN_HEIGHT, GUI_MAX_SIDE, GUI_MAX_SIDE, value);
			return false;
		}
	} else if (IS("--events")) {
		if (strcmp(value, "all") == 0)
			o->all_events = true;
		else if (strcmp(value, "major") == 0)
			o->all_events = false;
		else {
			snprintf(err, err_size, "unknown --events '%s'; expected one of: major, all", value);
			return false;
		}
	} else if (IS("-o") || IS("--output")) {
		o->output = value;
	} else if (IS("--stack-depth")) {
		uint64_t v;
		if (!parse_count(value, &v) || v > 64) {
			snprintf(err, err_size, "--stack-depth expects a number from 0 to 64, got '%s'", value);
			return false;
		}
		o->stack_depth = (unsigned)v;
	} else if (IS("--max-size")) {
		uint64_t v = 0;
		size_t at;
		bool none = strcmp(value, "none") == 0;
		if (!none && (size_parse(value, strlen(value), &v, &at) != SIZE_OK || v < RECORD_MAX_SIZE_MIN)) {
			snprintf(err, err_size,
				 "--max-size expects a size of 1M or more (e.g. 100M, 2G; K, M and G are 1024-based) or "
				 "none, got '%s'",
				 DIAG_QUOTE(value, strlen(value)));
			return false;
		}
		o->max_size = none ? 0 : v;
	} else if (IS("--glibc")) {
		o->glibc = value;
	} else if (IS("--compare")) {
		o->compare = value;
	} else if (IS("--cpus")) {
		uint64_t v;
		if (!parse_count(value, &v) || v < 1 || v > SIM_CPUS_MAX) {
			snprintf(err, err_size, "--cpus expects a number of CPUs from 1 to %u, got '%s'",
				 (unsigned)SIM_CPUS_MAX, DIAG_QUOTE(value, strlen(value)));
			return false;
		}
		o->cpus = (uint32_t)v;
	} else if (IS("--trim-every")) {
		/* N[:PAD], each decimal or 0x hex (a leading 0 is no octal here) */
		char *end = (char *)value;
		errno = 0;
		unsigned long long n = value[0] >= '0' && value[0] <= '9' ? strtoull(value, &end, hex_base(value)) : 0;
		unsigned long long pad = 0;
		bool ok = n > 0 && errno == 0 && (*end == '\0' || *end == ':');
		if (ok && *end == ':') {
			const char *p = end + 1;
			pad = *p >= '0' && *p <= '9' ? strtoull(p, &end, hex_base(p)) : 0;
			ok = end != p && *p >= '0' && *p <= '9' && errno == 0 && *end == '\0' && pad <= (1ull << 62);
		}
		if (!ok) {
			snprintf(err, err_size,
				 "--trim-every expects N[:PAD]: malloc_trim(PAD) after every N calls (N 1 or more, PAD "
				 "bytes, 0 when left out), e.g. 100000 or 100000:65536; got '%s'",
				 DIAG_QUOTE(value, strlen(value)));
			return false;
		}
		o->trim_every = n;
		o->trim_pad = pad;
	} else if (IS("--arena")) {
		uint64_t v;
		if (!parse_count(value, &v) || v > UINT32_MAX - 1) {
			snprintf(err, err_size, "--arena expects an arena number (0 for the main arena), got '%s'",
				 DIAG_QUOTE(value, strlen(value)));
			return false;
		}
		o->arena = (long)v;
	}
	return true;
#undef IS
}

/* Applies an option without a value; false (with the reason) for an
 * unknown one. */
static bool apply_flag(app_options *o, const char *name, char *err, size_t err_size)
{
	if (strcmp(name, "--quiet") == 0 || strcmp(name, "-q") == 0) {
		o->quiet = true;
	} else if (strcmp(name, "--no-summary") == 0) {
		o->no_summary = true;
	} else if (strcmp(name, "--no-rss") == 0) {
		o->no_rss = true;
	} else if (strcmp(name, "--present") == 0) {
		o->present = true;
	} else if (strcmp(name, "--no-symbols") == 0) {
		o->no_symbols = true;
	} else if (strcmp(name, "--debuginfod") == 0) {
		o->debuginfod = true;
	} else {
		snprintf(err, err_size, "unknown option '%s'; try 'brksim help'", name);
		return false;
	}
	return true;
}

bool app_options_parse(int argc, char **argv, app_options *o, char *err, size_t err_size)
{
	memset(o, 0, sizeof *o);
	o->stack_depth = 16;
	o->max_size = RECORD_MAX_SIZE_DEFAULT;
	o->arena = -1;
	o->files = calloc((size_t)argc + 1, sizeof *o->files);
	if (o->files == NULL) {
		snprintf(err, err_size, "out of memory");
		return false;
	}
	int i = 1;
	if (i < argc && argv[i][0] != '-') {
		for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
			if (strcmp(argv[i], commands[c].name) == 0)
				o->command = commands[c].command;
		if (o->command == APP_CMD_NONE) {
			snprintf(err, err_size,
				 "unknown command '%s'; expected one of: run, check, verify, show, record, symbolize, join, help",
				 argv[i]);
			return false;
		}
		i++;
	}
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			o->argv = (const char **)&argv[i + 1];
			o->argc = (size_t)(argc - i - 1);
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			o->help_topic = o->command == APP_CMD_NONE ? NULL : argv[1];
			o->command = APP_CMD_HELP;
			return true;
		}
		if (strcmp(arg, "--version") == 0) {
			o->command = APP_CMD_VERSION;
			return true;
		}
		/* --report, --report=text, --report=svg FILE */
		if (strncmp(arg, "--report", 8) == 0 && (arg[8] == '\0' || arg[8] == '=')) {
			if (!applies(o, "--report", argv[1], err, err_size))
				return false;
			const char *kind = arg[8] == '=' ? arg + 9 : "text";
			if (strcmp(kind, "text") == 0) {
				o->report = true;
			} else if (strcmp(kind, "svg") == 0) {
				if (i + 1 >= argc) {
					snprintf(err, err_size, "--report=svg needs a FILE to write");
					return false;
				}
				o->report_svg = argv[++i];
			} else {
				snprintf(err, err_size, "unknown --report '%s'; expected text or svg FILE",
					 DIAG_QUOTE(kind, strlen(kind)));
				return false;
			}
			continue;
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			const char *eq = strchr(arg, '=');
			size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
			char name[64];
			if (name_len >= sizeof name) {
				snprintf(err, err_size, "unknown option '%s'", DIAG_QUOTE(arg, strlen(arg)));
				return false;
			}
			memcpy(name, arg, name_len);
			name[name_len] = '\0';
			if (!applies(o, name, argv[1], err, err_size))
				return false;
			bool ok;
			if (is_valued(name, name_len)) {
				const char *value;
				if (eq)
					value = eq + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else {
					snprintf(err, err_size, "option '%s' needs a value", name);
					return false;
				}
				ok = apply_valued(o, name, value, err, err_size);
			} else if (eq) {
				snprintf(err, err_size, "option '%s' takes no value", name);
				return false;
			} else {
				ok = apply_flag(o, name, err, err_size);
			}
			if (!ok)
				return false;
			continue;
		}
		o->files[o->file_count++] = arg;
	}
	if (o->command == APP_CMD_HELP) {
		o->help_topic = o->file_count > 0 ? o->files[0] : NULL;
		return true;
	}
	if (o->command == APP_CMD_NONE) {
		if (o->file_count == 0)
			return true; /* (main: the usage, as a usage error) */
		snprintf(err, err_size, "missing command before '%s'; expected one of: run, check, verify, show, record, symbolize, join",
			 o->files[0]);
		return false;
	}
	if (o->command == APP_CMD_RECORD) {
		if (o->output == NULL) {
			snprintf(err, err_size, "record needs -o OUT");
			return false;
		}
		if (o->argc == 0) {
			snprintf(err, err_size, "record needs a program after '--'");
			return false;
		}
		return true;
	}
	if (o->command == APP_CMD_VERSION)
		return true;
	if (o->command == APP_CMD_JOIN) {
		if (o->file_count != 1) {
			snprintf(err, err_size, "join takes one recording (a forked child's), got %zu", o->file_count);
			return false;
		}
		if (o->output == NULL) {
			snprintf(err, err_size, "join needs -o OUT (it writes a new file and leaves the recordings as they are)");
			return false;
		}
		return true;
	}
	if (o->command == APP_CMD_SYMBOLIZE) {
		if (o->file_count != 1) {
			snprintf(err, err_size, "symbolize takes one recording, got %zu", o->file_count);
			return false;
		}
		if (o->output == NULL) {
			snprintf(err, err_size,
				 "symbolize needs -o OUT (it writes a new file and leaves the recording as it is)");
			return false;
		}
		return true;
	}
	if (o->file_count == 0 && o->command != APP_CMD_SHOW) { /* show opens the default lesson */
		snprintf(err, err_size, "%s needs a FILE", argv[1]);
		return false;
	}
	if ((o->command == APP_CMD_RUN || o->command == APP_CMD_SHOW) && o->file_count > 1) {
		snprintf(err, err_size, "%s takes one FILE, got %zu", argv[1], o->file_count);
		return false;
	}
	if (o->report && o->format != APP_FORMAT_TEXT) {
		snprintf(err, err_size, "--report prints text after the summary; with --format=%s use --report=svg FILE",
			 o->format == APP_FORMAT_TSV ? "tsv" : "json");
		return false;
	}
	if (o->to_given && o->to < o->from) {
		snprintf(err, err_size, "--to %llu is before --from %llu", (unsigned long long)o->to,
			 (unsigned long long)o->from);
		return false;
	}
	return true;
}

void app_options_release(app_options *options)
{
	free(options->files);
	options->files = NULL;
}

sim_lang app_options_lang(const app_options *options)
{
	return options->lang != NULL && strncmp(options->lang, "zh", 2) == 0 ? SIM_LANG_ZH : SIM_LANG_EN;
}
