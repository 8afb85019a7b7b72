/* layout_log.h — the event log panel ("what happened"): the lines of the
 * recent steps, and what to keep when the panel is short. Must not:
 * include SDL or query the model (the view builds the lines). */
#ifndef BRKSIM_GUI_LAYOUT_LOG_H
#define BRKSIM_GUI_LAYOUT_LOG_H

#include "layout.h"

/* How much an event log line matters when the panel is short: lines
 * are dropped from the lowest priority up (later ones first), and a
 * verdict (the trim check, brk going down, an abort) is the last to go. */
typedef enum gui_log_priority {
	GUI_LOG_BOOKKEEPING = 0, /* bin pushes, merges, the end of a consolidation */
	GUI_LOG_NORMAL,          /* allocations, mmaps, threshold updates */
	GUI_LOG_IMPORTANT,       /* brk grows, consolidation starts, madvise */
	GUI_LOG_VERDICT,         /* the trim verdict, brk shrinks, abort */
} gui_log_priority;

typedef struct gui_log_line {
	const char *text;
	bool current;     /* belongs to the step being shown */
	bool header;      /* the op line that starts a step's group */
	uint8_t priority; /* gui_log_priority (headers are always kept) */
} gui_log_line;

/* One row of the event log panel: part of a (wrapped) line, or, when
 * more > 0, the "+N more" note standing for lines left out of the group
 * whose header is `line`. */
typedef struct gui_log_row {
	uint32_t line;
	uint32_t offset, len;
	uint32_t more;
	bool continuation; /* second or later row of a wrapped line */
} gui_log_row;

/* Chooses what the event log shows in max_rows rows of `width` pixels
 * (lines other than headers are indented by `indent`). The lines are
 * step groups (a header, then its lines) in time order, the current step
 * last. The current group comes first: all of it when it fits, else its
 * lines by priority (ties: earlier lines first) and a "+N more" row;
 * older groups fill what is left, newest first, the last one shown
 * possibly shortened the same way. Returns the row count (<= max_rows,
 * <= capacity), rows in time order. Bold lines (headers, the current
 * step's verdicts) are measured bold. */
size_t gui_log_layout(const gui_log_line *lines, size_t count, const gui_metrics *m, int px, int width,
                      int indent, size_t max_rows, gui_log_row *rows, size_t capacity);
/* Whether a log line is drawn bold. */
bool gui_log_line_bold(const gui_log_line *line);

#endif
