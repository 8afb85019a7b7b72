/* importers.h — the per-format entry points behind trace_import.
 *
 * Private to trace/. Each has trace_import's contract for its format;
 * `extra` is never NULL here. */
#ifndef BRKSIM_TRACE_IMPORTERS_H
#define BRKSIM_TRACE_IMPORTERS_H

#include "trace.h"

bool trace_import_rep(trace_format variant, const char *bytes, size_t len, script *out, diag_list *diags,
                      trace_extra *extra);
bool trace_import_mtrace(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra);
bool trace_import_ltrace(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra);
bool trace_import_recording(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra);

#endif
