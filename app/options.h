/* options.h — the command line of `brksim`, parsed into plain data.
 *
 * Owns: option names, their values and the usage text. Must not: open
 * files or run anything. Errors are reported as `brksim: error: …`
 * (usage errors have no file position) and mean exit status 2. */
#ifndef BRKSIM_APP_OPTIONS_H
#define BRKSIM_APP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/glossary.h"

typedef enum app_command {
	APP_CMD_NONE = 0,
	APP_CMD_RUN,
	APP_CMD_CHECK,
	APP_CMD_VERIFY,
	APP_CMD_SHOW,
	APP_CMD_RECORD,
	APP_CMD_SYMBOLIZE,
	APP_CMD_JOIN,
	APP_CMD_HELP,
	APP_CMD_VERSION,
} app_command;

typedef enum app_format { APP_FORMAT_TEXT = 0, APP_FORMAT_TSV, APP_FORMAT_JSON } app_format;

typedef struct app_options {
	app_command command;
	const char *help_topic;   /* `brksim help run`, `brksim run --help` */

	const char **files;       /* positional FILE arguments */
	size_t file_count;

	app_format format;        /* --format=text|tsv|json */
	const char *input_format; /* --input-format=heap|rep|mtrace|ltrace|recording */
	const char *tunables;     /* --tunables STRING */
	const char *profile;      /* --profile glibc-2.36|glibc-2.3.6|...|auto */
	const char *compare;      /* --compare A,B[,...]: run and show, several profiles side by side */
	/* One side of --compare with settings of its own
	 * (`glibc-2.36+glibc.malloc.arena_max=2`): its GLIBC_TUNABLES text,
	 * applied after --tunables, which starts side_tunables_at bytes into
	 * side_source, the whole list (an error's column is counted in it). */
	const char *side_tunables, *side_source;
	size_t side_tunables_len, side_tunables_at;
	const char *touch;        /* --touch all|none */
	uint32_t cpus;            /* --cpus N (0: not given): the simulated machine's CPUs */
	/* --trim-every N[:PAD] (N 0: not given): the what-if of a program
	 * that calls malloc_trim(PAD) after every N of its calls */
	uint64_t trim_every, trim_pad;
	const char *lang;         /* --lang en|zh (captions) */
	bool quiet;               /* --quiet: the summary only */
	bool all_events;          /* --events=all: also the bookkeeping events */
	bool no_summary;          /* --no-summary */
	bool present;             /* --present (show) */
	uint64_t from, to;        /* --from/--to: print steps in [from, to] */
	bool to_given;
	const char *break_on;     /* --break-on KIND[,KIND...] */
	bool report;              /* --report or --report=text: the RSS story after the summary */
	const char *report_svg;   /* --report=svg FILE: the RSS story as an SVG file */

	/* verify */
	bool no_rss;              /* --no-rss: compare ret, brk and top only */
	const char *glibc;        /* --glibc VERSION|DIR: the real glibc to replay on */

	/* show */
	long step;                /* --step N; negative counts from the end */
	bool step_given;          /* --step was given (else show picks: 0, or where a joined child begins) */
	const char *screenshot;   /* --screenshot out.png */
	int width, height;        /* --size WxH */
	long arena;               /* --arena N; -1: each step's own arena */

	/* record, symbolize */
	const char *output;       /* -o FILE */
	unsigned stack_depth;     /* --stack-depth N (0: no stacks) */
	uint64_t max_size;        /* --max-size SIZE (0: none): each recording's bytes of calls at most */
	bool no_symbols;          /* --no-symbols */
	bool debuginfod;          /* --debuginfod: libdw may ask DEBUGINFOD_URLS */
	const char **argv;        /* after `--` */
	size_t argc;
} app_options;

/* Parses argv. On a usage error writes a message (without "brksim: error: ")
 * into err and returns false. */
bool app_options_parse(int argc, char **argv, app_options *out, char *err, size_t err_size);
void app_options_release(app_options *options);
/* The language --lang asks for: Chinese for a "zh" tag ("zh", "zh-CN"),
 * else English (also without --lang). */
sim_lang app_options_lang(const app_options *options);

/* The help text for `topic` (NULL: the general help). */
/* Whether `topic` is a command with its own help text. */
bool app_usage_has(const char *topic);
const char *app_usage(const char *topic);

#endif
