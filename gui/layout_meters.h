/* layout_meters.h — the memory meters (VmData, RSS, in use, free by
 * place, releasable), tweened between two snapshots. Must not: include
 * SDL or query the model. */
#ifndef BRKSIM_GUI_LAYOUT_METERS_H
#define BRKSIM_GUI_LAYOUT_METERS_H

#include "layout.h"
#include "snapshot.h"
#include "strings.h"

/* The memory meters, tweened between a (may be NULL) and b at t. The
 * RSS meter (index 1) counts b's resident pages as the bar hatches them
 * (gui_snapshot_resident), in bytes. */
enum { GUI_METER_COUNT = 10 };
typedef struct gui_meter {
	gui_string label;
	double value; /* bytes */
	gui_rgba color;
} gui_meter;
size_t gui_meters(const gui_snapshot *a, const gui_snapshot *b, double t, gui_meter *out);
/* Resident pages of [0, brk): the pages not listed as absent. */
size_t gui_snapshot_resident(const gui_snapshot *s);

#endif
