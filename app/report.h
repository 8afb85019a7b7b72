/* report.h — `brksim run --report[=text|svg FILE]` (app/report.c): the
 * RSS story of trace/report.h in words, or as a standalone SVG file.
 * Must not: compute the story (trace/report.c does). */
#ifndef BRKSIM_APP_REPORT_H
#define BRKSIM_APP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/glossary.h"
#include "trace/report.h"

/* Sparklines of VmData, RSS and bytes in use, the peak, the live sets at
 * the peak and at the end and the pinned bytes, by call site or name. */
void report_print_text(FILE *out, const trace_report *r, sim_lang lang);

/* Whether report_write_svg may write to path (a new file, an earlier
 * report, a device); false with the reason in why. Asked before the run,
 * so a refused FILE costs no replay. */
bool report_svg_may_write(const char *path, char *why, size_t why_size);

/* Writes the story as an SVG to `path`: a new file, over an earlier
 * brksim report, or into a device (nothing else is ever replaced). 0, or 2 with the reason
 * in `why`. `title` names what was replayed. */
int report_write_svg(const char *path, const trace_report *r, sim_lang lang, const char *title, char *why,
		     size_t why_size);

#endif
