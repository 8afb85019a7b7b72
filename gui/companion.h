/* companion.h — the second heap of `brksim show --compare A,B`: the same
 * ops under another profile, stepped in lock-step with the view's own.
 *
 * Owns: that side's timeline, a two-snapshot cache (the two ends of the
 * step being animated), and the per-step extent the shared zoom fits.
 * The arena shown is the view's choice, looked up on this side: a
 * profile can put a thread on another arena than the first side does.
 * A run that glibc ended earlier on this side (an abort) shows its last
 * state from then on. Must not: include SDL, draw, or keep pointers into
 * the heap between calls (snapshots are copies). */
#ifndef BRKSIM_GUI_COMPANION_H
#define BRKSIM_GUI_COMPANION_H

#include "../lang/script.h"
#include "../sim/timeline.h"
#include "snapshot.h"

typedef struct gui_companion gui_companion;

/* NULL on allocation failure. `script` (its ops; the same ops as the
 * view's) must outlive the companion. */
gui_companion *gui_companion_new(const script *ops, const sim_config *config);
/* The same, telling `progress` how far its timeline's build has come
 * (sim_timeline_new_watched); NULL also when it said stop (*stopped). */
gui_companion *gui_companion_new_watched(const script *ops, const sim_config *config, sim_timeline_progress progress,
                                         void *context, bool *stopped);
void gui_companion_free(gui_companion *c);

/* Steps this side ran (shorter than the view's when glibc aborted it). */
size_t gui_companion_length(const gui_companion *c);
/* `arena` for gui_companion_load: the arena the step's own call used on
 * this side (as the view follows each step's arena). */
#define GUI_COMPANION_FOLLOW UINT32_MAX

/* The state after `step` ops, clamped to the side's length, of arena
 * `arena` (the main arena when this side has no such arena at that step)
 * or GUI_COMPANION_FOLLOW; NULL when memory ran out. The pointer stays
 * valid until the second load after it. */
const gui_snapshot *gui_companion_load(gui_companion *c, size_t step, uint32_t arena);
/* The address range this side needs in view at `step` (as the view's own
 * fitted extent: brk, and the trim ruler's end when it is near). */
double gui_companion_extent(const gui_companion *c, size_t step);

#endif
