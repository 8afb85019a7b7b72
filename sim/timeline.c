/* timeline.c — time travel: keyframes plus deterministic replay.
 *
 * Owns a copy of the ops, the per-step summaries, the keyframes and a
 * cursor state. Must not: know anything of the GUI or the CLI, or depend
 * on anything but the ops (the model is deterministic, so replaying ops
 * j..k-1 from the keyframe at j gives exactly the state at k).
 *
 * Keyframe spacing adapts to the state size: a new keyframe is taken once
 * the ops replayed since the last one, at KEYFRAME_BYTES_PER_STEP each,
 * would cost more than copying the state. That bounds keyframe memory to
 * about KEYFRAME_BYTES_PER_STEP per step, and a far seek to one interval
 * of replay, whatever the heap looks like.
 *
 * Stepping backwards one step at a time would replay most of an interval
 * each time, so a second, finer layer of snapshots is kept for the one
 * interval being browsed: while replaying inside it, a state is copied
 * every interval/FINE_SLOTS steps. A step back then costs at most one
 * fine stride of replay. */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

enum {
	KEYFRAME_MIN_INTERVAL = 64,
	KEYFRAME_BYTES_PER_STEP = 48,
	FINE_SLOTS = 16,
	FINE_MIN_STRIDE = 8,
};

typedef struct keyframe {
	size_t step;
	sim_heap *state;
} keyframe;

struct sim_timeline {
	sim_config config;
	sim_op *ops;
	size_t op_count;
	size_t length; /* steps run: op_count, or up to and including an abort */

	sim_step_summary *summaries; /* [0] is the fresh state, [k] after op k-1 */

	keyframe *keyframes; /* sorted by step; keyframes[0].step == 0 */
	size_t keyframe_count;
	size_t keyframe_bytes;

	sim_heap *cursor;
	size_t cursor_step;
	sim_events scratch;

	/* The fine layer: fine[i] holds the state at fine_base + i*fine_stride
	 * when fine_valid[i]; it belongs to keyframe fine_window. */
	size_t fine_window, fine_base, fine_stride;
	sim_heap *fine[FINE_SLOTS];
	bool fine_valid[FINE_SLOTS];
};

static uint32_t event_mask_of(const sim_events *events)
{
	uint32_t mask = 0;
	for (size_t i = 0; i < events->count; i++)
		mask |= 1u << events->items[i].kind;
	return mask;
}

static uint8_t trim_verdict_of(const sim_events *events)
{
	uint8_t verdict = 0xff;
	for (size_t i = 0; i < events->count; i++)
		if (events->items[i].kind == SIM_EV_TRIM_CHECK)
			verdict = (uint8_t)events->items[i].detail;
	return verdict;
}

/* Appends a deep copy of `state` as the keyframe for `step`. */
static bool keyframe_add(sim_timeline *timeline, size_t step, const sim_heap *state)
{
	sim_heap *copy = sim_heap_clone(state);
	if (copy == NULL)
		return false;
	keyframe *grown = realloc(timeline->keyframes, (timeline->keyframe_count + 1) * sizeof *grown);
	if (grown == NULL) {
		sim_heap_free(copy);
		return false;
	}
	timeline->keyframes = grown;
	timeline->keyframes[timeline->keyframe_count++] = (keyframe){step, copy};
	timeline->keyframe_bytes += sim_heap_footprint(copy);
	return true;
}

/* Runs every op once, recording summaries and keyframes. */
static bool record(sim_timeline *timeline)
{
	sim_heap *heap = sim_heap_new(&timeline->config);
	if (heap == NULL)
		return false;
	bool ok = keyframe_add(timeline, 0, heap);
	size_t since_keyframe = 0;
	timeline->summaries[0] = (sim_step_summary){
		.result = {.brk = sim_heap_brk(heap), .top_size = sim_heap_top_size(heap)},
		.trim_verdict = 0xff,
	};
	for (size_t i = 0; ok && i < timeline->op_count; i++) {
		sim_result result;
		if (!sim_heap_step(heap, &timeline->ops[i], &timeline->scratch, &result)) {
			ok = false;
			break;
		}
		timeline->summaries[i + 1] = (sim_step_summary){
			.result = result,
			.event_mask = event_mask_of(&timeline->scratch),
			.trim_verdict = trim_verdict_of(&timeline->scratch),
		};
		timeline->length = i + 1;
		if (result.aborted)
			break;
		since_keyframe++;
		if (since_keyframe >= KEYFRAME_MIN_INTERVAL &&
		    since_keyframe * KEYFRAME_BYTES_PER_STEP >= sim_heap_footprint(heap)) {
			ok = keyframe_add(timeline, i + 1, heap);
			since_keyframe = 0;
		}
	}
	if (ok) {
		timeline->cursor = heap;
		timeline->cursor_step = timeline->length;
	} else {
		sim_heap_free(heap);
	}
	return ok;
}

sim_timeline *sim_timeline_new(const sim_config *config, const sim_op *ops, size_t op_count)
{
	sim_timeline *timeline = calloc(1, sizeof *timeline);
	if (timeline == NULL)
		return NULL;
	timeline->config = *config;
	timeline->op_count = op_count;
	sim_events_init(&timeline->scratch);
	timeline->ops = malloc((op_count ? op_count : 1) * sizeof *ops);
	timeline->summaries = malloc((op_count + 1) * sizeof *timeline->summaries);
	if (timeline->ops == NULL || timeline->summaries == NULL) {
		sim_timeline_free(timeline);
		return NULL;
	}
	if (op_count > 0)
		memcpy(timeline->ops, ops, op_count * sizeof *ops);
	if (!record(timeline)) {
		sim_timeline_free(timeline);
		return NULL;
	}
	return timeline;
}

void sim_timeline_free(sim_timeline *timeline)
{
	if (timeline == NULL)
		return;
	for (size_t i = 0; i < timeline->keyframe_count; i++)
		sim_heap_free(timeline->keyframes[i].state);
	for (size_t i = 0; i < FINE_SLOTS; i++)
		sim_heap_free(timeline->fine[i]);
	free(timeline->keyframes);
	sim_heap_free(timeline->cursor);
	sim_events_release(&timeline->scratch);
	free(timeline->summaries);
	free(timeline->ops);
	free(timeline);
}

size_t sim_timeline_length(const sim_timeline *timeline)
{
	return timeline->length;
}

const sim_step_summary *sim_timeline_summary(const sim_timeline *timeline, size_t step)
{
	return step <= timeline->length ? &timeline->summaries[step] : NULL;
}

const sim_op *sim_timeline_op(const sim_timeline *timeline, size_t step)
{
	return step < timeline->op_count ? &timeline->ops[step] : NULL;
}

/* The last keyframe at or before `step` (binary search; keyframe 0 is step 0). */
static const keyframe *keyframe_before(const sim_timeline *timeline, size_t step)
{
	size_t lo = 0, hi = timeline->keyframe_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (timeline->keyframes[mid].step <= step)
			lo = mid;
		else
			hi = mid;
	}
	return &timeline->keyframes[lo];
}

/* Points the fine layer at the interval of keyframe `index`. */
static void fine_select(sim_timeline *timeline, size_t index)
{
	if (timeline->fine_stride != 0 && timeline->fine_window == index)
		return;
	size_t base = timeline->keyframes[index].step;
	size_t end = index + 1 < timeline->keyframe_count ? timeline->keyframes[index + 1].step : timeline->length;
	size_t stride = (end - base + FINE_SLOTS - 1) / FINE_SLOTS;
	timeline->fine_window = index;
	timeline->fine_base = base;
	timeline->fine_stride = stride < FINE_MIN_STRIDE ? FINE_MIN_STRIDE : stride;
	memset(timeline->fine_valid, 0, sizeof timeline->fine_valid);
}

/* Saves the cursor into the fine layer if it sits on a fine point. */
static void fine_save(sim_timeline *timeline)
{
	size_t offset = timeline->cursor_step - timeline->fine_base;
	if (timeline->cursor_step < timeline->fine_base || offset % timeline->fine_stride != 0)
		return;
	size_t i = offset / timeline->fine_stride;
	if (i == 0 || i >= FINE_SLOTS || timeline->fine_valid[i])
		return; /* slot 0 is the keyframe itself */
	if (timeline->fine[i] == NULL)
		timeline->fine[i] = sim_heap_clone(timeline->cursor);
	else if (!sim_heap_copy(timeline->fine[i], timeline->cursor))
		return;
	timeline->fine_valid[i] = timeline->fine[i] != NULL;
}

/* The latest fine point at or before `step` in the selected interval. */
static const sim_heap *fine_before(const sim_timeline *timeline, size_t step, size_t *at)
{
	size_t i = (step - timeline->fine_base) / timeline->fine_stride;
	for (i = i < FINE_SLOTS ? i : FINE_SLOTS - 1; i > 0; i--) {
		if (timeline->fine_valid[i]) {
			*at = timeline->fine_base + i * timeline->fine_stride;
			return timeline->fine[i];
		}
	}
	return NULL;
}

/* Replays from the nearest usable state (the cursor itself, a fine point
 * or the keyframe) until cursor_step == step. */
static bool move_cursor(sim_timeline *timeline, size_t step)
{
	const keyframe *start = keyframe_before(timeline, step);
	fine_select(timeline, (size_t)(start - timeline->keyframes));
	size_t from = start->step;
	const sim_heap *from_state = start->state;
	size_t fine_at;
	const sim_heap *fine = fine_before(timeline, step, &fine_at);
	if (fine != NULL && fine_at > from) {
		from = fine_at;
		from_state = fine;
	}
	bool cursor_usable = timeline->cursor_step <= step && timeline->cursor_step >= from;
	if (!cursor_usable) {
		if (!sim_heap_copy(timeline->cursor, from_state))
			return false;
		timeline->cursor_step = from;
	}
	while (timeline->cursor_step < step) {
		sim_result ignored;
		if (!sim_heap_step(timeline->cursor, &timeline->ops[timeline->cursor_step], NULL, &ignored))
			return false;
		timeline->cursor_step++;
		fine_save(timeline);
	}
	return true;
}

bool sim_timeline_seek(sim_timeline *timeline, size_t step, sim_heap *heap, sim_events *events)
{
	if (step > timeline->length)
		step = timeline->length;
	if (events != NULL) {
		sim_events_clear(events);
		if (step > 0) {
			/* The events of op step-1 come from replaying that one op. */
			sim_result ignored;
			if (!move_cursor(timeline, step - 1) ||
			    !sim_heap_step(timeline->cursor, &timeline->ops[step - 1], events, &ignored))
				return false;
			timeline->cursor_step = step;
		}
	}
	if (!move_cursor(timeline, step))
		return false;
	return heap == NULL || sim_heap_copy(heap, timeline->cursor);
}

const sim_heap *sim_timeline_state(const sim_timeline *timeline)
{
	return timeline->cursor;
}

size_t sim_timeline_cursor(const sim_timeline *timeline)
{
	return timeline->cursor_step;
}

size_t sim_timeline_keyframe_count(const sim_timeline *timeline)
{
	return timeline->keyframe_count;
}

size_t sim_timeline_keyframe_bytes(const sim_timeline *timeline)
{
	return timeline->keyframe_bytes;
}

size_t sim_timeline_find(const sim_timeline *timeline, size_t from, bool forward, uint32_t mask)
{
	if (forward) {
		for (size_t step = from + 1; step <= timeline->length; step++)
			if (timeline->summaries[step].event_mask & mask)
				return step;
	} else {
		for (size_t step = from < timeline->length + 1 ? from : timeline->length + 1; step-- > 1;)
			if (timeline->summaries[step].event_mask & mask)
				return step;
	}
	return SIZE_MAX;
}
