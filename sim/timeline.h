/* timeline.h — time travel over an op sequence.
 *
 * A timeline owns a copy of the ops (or borrows the caller's) and a config. Step k means "the state
 * after the first k ops" (k = 0 is the fresh process). Seeking to any k,
 * forward or back, yields a state equal to running ops 0..k-1 from scratch:
 * keyframes placed by replay cost within a memory budget (pages shared
 * between keyframes, sim/keyframe.h), plus deterministic replay.
 * Per-step summaries (ret, brk, top, event-kind flags) are recorded once so
 * timelines and breakpoints need no replay. */
#ifndef BRKSIM_SIM_TIMELINE_H
#define BRKSIM_SIM_TIMELINE_H

#include "heap.h"

typedef struct sim_timeline sim_timeline;

typedef struct sim_step_summary {
	sim_result result;
	uint32_t event_mask; /* bit (1u << sim_event_kind) for each kind that happened */
	uint8_t trim_verdict; /* sim_trim_verdict of the step's last TRIM_CHECK, or 0xff */
} sim_step_summary;

/* Runs all ops once (stopping at an abort) and records summaries and
 * keyframes. NULL on allocation failure. */
sim_timeline *sim_timeline_new(const sim_config *config, const sim_op *ops, size_t op_count);
/* The same without copying the ops: `ops` must outlive the timeline (the
 * window's script does; a 1M-op trace saves 32 MB). */
sim_timeline *sim_timeline_new_borrowing(const sim_config *config, const sim_op *ops, size_t op_count);
/* Borrowing, with the bytes the keyframes and the fine layer (the
 * snapshots kept while stepping back) may hold in all, instead of the
 * defaults (96 bytes an op up to 256 MiB less two of the
 * largest state, and 24 MiB or one state and 12 MiB): for tests and
 * benchmarks. */
sim_timeline *sim_timeline_new_budgeted(const sim_config *config, const sim_op *ops, size_t op_count,
					size_t keyframe_bytes, size_t fine_bytes);
/* The same, with keyframes and fine states of states of `pack_from_bytes`
 * or more packed (sim_keyframe_new_packed) instead of the default 8 MiB
 * (every keyframe of a packed state keeps a tail, the journal of the
 * steps before it: sim_timeline_keyframe_tails): for tests and
 * benchmarks. */
sim_timeline *sim_timeline_new_packing(const sim_config *config, const sim_op *ops, size_t op_count,
				       size_t keyframe_bytes, size_t fine_bytes, size_t pack_from_bytes);
/* Told how far a timeline's build has come: `done` of `total` (the build
 * replays the ops twice, once for the summaries and once for the
 * keyframes, and counts each op of each). Returns false to stop it. */
typedef bool (*sim_timeline_progress)(void *context, uint64_t done, uint64_t total);
/* As sim_timeline_new_borrowing, calling `progress` (when not NULL) every
 * SIM_TIMELINE_PROGRESS_OPS ops of each replay: the window shows how far
 * opening a long trace has come, and can be closed meanwhile. NULL when
 * out of memory, or when progress stopped it (*stopped is then true). */
enum { SIM_TIMELINE_PROGRESS_OPS = 8192 };
sim_timeline *sim_timeline_new_watched(const sim_config *config, const sim_op *ops, size_t op_count,
				       sim_timeline_progress progress, void *context, bool *stopped);
void sim_timeline_free(sim_timeline *timeline);

/* Number of steps actually run (< op_count if the run aborted). */
size_t sim_timeline_length(const sim_timeline *timeline);
/* The summary of `step` (0 = the fresh state) into *out; false past the length. */
bool sim_timeline_summary(const sim_timeline *timeline, size_t step, sim_step_summary *out);
/* The summary's event_mask alone (0 past the length): cheaper. */
uint32_t sim_timeline_event_mask(const sim_timeline *timeline, size_t step);
const sim_op *sim_timeline_op(const sim_timeline *timeline, size_t step);

/* Moves the timeline's cursor to the state after `step` ops (clamped to
 * the length) and, if events != NULL, fills them with the events of op
 * `step`-1 (cleared at step 0). If heap != NULL the state is also copied
 * into it. Cheap when moving by one in either direction; a far seek costs
 * at most one keyframe interval of replay. False on allocation failure. */
bool sim_timeline_seek(sim_timeline *timeline, size_t step, sim_heap *heap, sim_events *events);

/* The cursor's state (valid until the next seek) and its step. */
const sim_heap *sim_timeline_state(const sim_timeline *timeline);
size_t sim_timeline_cursor(const sim_timeline *timeline);

/* Keyframe statistics, for benchmarks, tests and docs: how many, the
 * bytes they hold (pages shared between keyframes count once), and the
 * step of keyframe `index` (SIZE_MAX past the count; keyframe 0 is step 0). */
size_t sim_timeline_keyframe_count(const sim_timeline *timeline);
size_t sim_timeline_keyframe_bytes(const sim_timeline *timeline);
/* Keyframes that keep a tail (the journal of the steps before them, for
 * ← across them: a large state's, within 1/512 of the budget each), and
 * the bytes those tails take (counted in sim_timeline_keyframe_bytes). */
size_t sim_timeline_keyframe_tails(const sim_timeline *timeline, size_t *bytes);
size_t sim_timeline_keyframe_step(const sim_timeline *timeline, size_t index);
/* How many keyframes are deltas (the changes since the keyframe before:
 * every packed keyframe but the first of each chain), and *merged (may
 * be NULL) how many deltas the budget merged into the next. */
size_t sim_timeline_keyframe_deltas(const sim_timeline *timeline, size_t *merged);
/* The most events one op of the run makes (counted as the timeline was
 * built): the room sim_timeline_seek makes in a caller's buffer the first
 * time it is given one, so that no later seek grows it. */
size_t sim_timeline_most_events(const sim_timeline *timeline);

/* What the seeks since the build cost: the ops they replayed (a step
 * back the undo journal takes replays none) and the states they restored
 * from keyframes or the fine layer. For tests and benchmarks. */
void sim_timeline_seek_costs(const sim_timeline *timeline, size_t *replayed, size_t *restores);
/* Bytes the fine layer holds now (its states' pages, tables and packed
 * streams). */
size_t sim_timeline_fine_bytes(const sim_timeline *timeline);
/* Bytes the state behind holds (its state and its journal; 0 when there
 * is none), and the steps it replayed since the build: a step back
 * prepares it, a slice at a time, from the keyframe before the step the
 * cursor's journal reaches back to, so that ← past the journal swaps it
 * in instead of restoring and replaying (a small state only). */
size_t sim_timeline_behind_bytes(const sim_timeline *timeline);
size_t sim_timeline_behind_steps(const sim_timeline *timeline);
/* Bytes the per-step summaries hold, with their side tables. */
size_t sim_timeline_summary_bytes(const sim_timeline *timeline);

/* First step in (from, length] (or [0, from) backwards) whose summary has
 * any kind in `mask`; returns SIZE_MAX if none. */
size_t sim_timeline_find(const sim_timeline *timeline, size_t from, bool forward, uint32_t mask);

#endif
