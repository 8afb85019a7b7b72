/* report.h — `brksim run --report[=text|svg FILE]` (app/report.c): the
 * RSS story of trace/report.h in words, or as a standalone SVG file.
 * Must not: compute the story (trace/report.c does). */
#ifndef BRKSIM_APP_REPORT_H
#define BRKSIM_APP_REPORT_H

#include <stdio.h>

#include "sim/glossary.h"
#include "trace/report.h"

/* Sparklines of VmData, RSS and bytes in use, the peak, the live sets at
 * the peak and at the end and the pinned bytes, by call site or name. */
void report_print_text(FILE *out, const trace_report *r, sim_lang lang);

/* Writes the story as an SVG to `path`: a new file, or over an earlier
 * brksim report (nothing else is ever replaced). 0, or 2 with the reason
 * in `why`. `title` names what was replayed. */
int report_write_svg(const char *path, const trace_report *r, sim_lang lang, const char *title, char *why,
		     size_t why_size);

#endif
