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

/* "glibc-2.36, tcache_count=7, trim_threshold=0x20000 (dynamic), ..." */
void describe_config(const sim_config *config, char *buf, size_t size);
/* The same in a language (Chinese: "，" between settings, "（动态）"). */
void describe_config_in(sim_lang lang, const sim_config *config, char *buf, size_t size);

/* The end-of-run summary block for `brksim run` (text). */
void describe_summary_text(FILE *out, const sim_heap *heap, const script *s, size_t step, size_t steps_total);
void describe_summary_text_in(sim_lang lang, FILE *out, const sim_heap *heap, const script *s, size_t step,
			      size_t steps_total);

/* The same facts as a JSON object (no trailing newline). */
void describe_summary_json(FILE *out, const sim_heap *heap, const script *s);

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
