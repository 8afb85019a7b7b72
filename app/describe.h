/* describe.h — human and machine descriptions of settings and summaries,
 * shared by `run`, `check` and `verify`. Must not: compute what the
 * model can be asked (sim_heap_stats, sim_heap_pin answer). */
#ifndef BRKSIM_APP_DESCRIBE_H
#define BRKSIM_APP_DESCRIBE_H

#include <stdio.h>

#include "lang/script.h"
#include "lang/utf8.h"
#include "sim/glossary.h"
#include "sim/heap.h"
#include "whatif.h"
#include "trace/stacks.h"

/* What the printers know about the program's pointers: their names and,
 * for a recording with stacks, where each was allocated. */
typedef struct describe_names {
	const script *script;
	const trace_stacks *stacks; /* NULL: no call sites */
	/* the op whose events are told (an index): a thread is named as at
	 * it (a recording's thread numbers are used again, named anew) */
	size_t step;
} describe_names;

/* sim_slot_namer over a describe_names: the slot's name ("?" when unknown). */
const char *describe_slot_name(const void *names, sim_slot slot);
/* sim_thread_namer over a describe_names: the thread's name at its step
 * (`worker[3]`, `T4242`, `main`), NULL when it has none. */
const char *describe_thread_name(const void *names, uint32_t thread);
/* sim_slot_site over a describe_names: "load_config, config.c:88", or
 * NULL when the slot has no call site. */
const char *describe_slot_site(const void *names, sim_slot slot);
/* The slot's call site as a label: "load_config (config.c:88)", or NULL. */
const char *describe_slot_site_text(const describe_names *names, sim_slot slot);

/* "glibc-2.36, tcache_count=7, trim_threshold=0x20000 (dynamic), ..." */
void describe_config(const sim_config *config, char *buf, size_t size);
/* The same in a language (Chinese: "，" between settings, "（动态）"). */
void describe_config_in(sim_lang lang, const sim_config *config, char *buf, size_t size);

/* The end-of-run summary block for `brksim run` (text). The pin is named
 * with its call site when `names` knows it, and a freed pin (tcache,
 * fastbin) says what would release it. */
void describe_summary_text(FILE *out, const sim_heap *heap, const describe_names *names, size_t step,
			   size_t steps_total);
/* The --trim-every what-if after the summary: what its malloc_trim calls
 * gave back, and (with and without given: whatif.c's replays) the
 * heaps' RSS and page faults against the same calls without them. */
void describe_whatif_text(FILE *out, sim_lang lang, const sim_heap *heap, const whatif_side *with,
                          const whatif_side *without);
void describe_summary_text_in(sim_lang lang, FILE *out, const sim_heap *heap, const describe_names *names, size_t step,
			      size_t steps_total);

/* The same facts as a JSON object (no trailing newline). */
void describe_summary_json(FILE *out, const sim_heap *heap, const describe_names *names);

/* Writes `text` as a JSON string literal, with quotes, escaped with
 * utf8_escape (no control, C1 or bidi character is written raw). */
void describe_json_string(FILE *out, const char *text);

/* Writes `text` (from an input file or the command line) escaped for a
 * terminal with utf8_escape in `style` (captions keep their newlines). */
void describe_text(FILE *out, const char *text, utf8_escape_style style);

/* `text` escaped for one line of a terminal into buf (cut to fit), for
 * printf: printf("%s: ...", describe_escaped(path, buf, sizeof buf)). */
const char *describe_escaped(const char *text, char *buf, size_t size);

#endif
