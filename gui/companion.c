/* companion.c — the second side of a comparison (see companion.h). */
#include "companion.h"

#include <math.h>
#include <stdlib.h>

#include "../sim/timeline.h"

struct gui_companion {
	const script *ops;
	sim_config config;
	sim_timeline *timeline;
	sim_events events;
	size_t length;
	gui_snapshot cache[2];
	size_t cache_step[2];
	uint32_t cache_request[2]; /* the `arena` asked for */
	bool cache_valid[2];
	uint32_t followed; /* the last arena followed: a thread start touches none */
	size_t newest; /* index of the last loaded entry */
};

gui_companion *gui_companion_new(const script *ops, const sim_config *config)
{
	return gui_companion_new_watched(ops, config, NULL, NULL, NULL);
}

gui_companion *gui_companion_new_watched(const script *ops, const sim_config *config, sim_timeline_progress progress,
                                         void *context, bool *stopped)
{
	if (stopped)
		*stopped = false;
	gui_companion *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ops = ops;
	c->config = *config;
	sim_events_init(&c->events);
	gui_snapshot_init(&c->cache[0]);
	gui_snapshot_init(&c->cache[1]);
	/* the script outlives the companion: its ops are read in place */
	c->timeline = sim_timeline_new_watched(&c->config, ops->ops, ops->op_count, progress, context, stopped);
	if (!c->timeline) {
		gui_companion_free(c);
		return NULL;
	}
	c->length = sim_timeline_length(c->timeline);
	return c;
}

void gui_companion_free(gui_companion *c)
{
	if (!c)
		return;
	sim_timeline_free(c->timeline);
	sim_events_release(&c->events);
	gui_snapshot_release(&c->cache[0]);
	gui_snapshot_release(&c->cache[1]);
	free(c);
}

size_t gui_companion_length(const gui_companion *c)
{
	return c->length;
}

const gui_snapshot *gui_companion_load(gui_companion *c, size_t step, uint32_t arena)
{
	if (step > c->length)
		step = c->length;
	for (size_t i = 0; i < 2; i++)
		if (c->cache_valid[i] && c->cache_step[i] == step && c->cache_request[i] == arena) {
			c->newest = i;
			return &c->cache[i];
		}
	/* the older entry goes: a tween needs the newest and this one */
	size_t victim = c->cache_valid[c->newest] ? 1 - c->newest : c->newest;
	c->cache_valid[victim] = false;
	if (!sim_timeline_seek(c->timeline, step, NULL, &c->events))
		return NULL;
	const sim_heap *state = sim_timeline_state(c->timeline);
	const sim_events *events = step > 0 ? &c->events : NULL;
	uint32_t shown = arena;
	if (arena == GUI_COMPANION_FOLLOW) {
		shown = step == 0 ? 0 : gui_step_arena(state, events, c->ops->ops[step - 1].thread, c->followed);
		c->followed = shown;
	}
	if (!gui_snapshot_collect_arena(&c->cache[victim], state, events, step, shown))
		return NULL;
	c->cache_valid[victim] = true;
	c->cache_step[victim] = step;
	c->cache_request[victim] = arena;
	c->newest = victim;
	return &c->cache[victim];
}

double gui_companion_extent(const gui_companion *c, size_t step)
{
	sim_step_summary summary;
	const sim_step_summary *sum = &summary;
	double here = SIM_PAGE_SIZE;
	if (!sim_timeline_summary(c->timeline, step > c->length ? c->length : step, &summary))
		return here;
	double brk = (double)sum->result.brk;
	here = fmax(here, brk);
	if (sum->result.top_size > 0) {
		double ruler = brk - (double)sum->result.top_size + (double)c->config.value[SIM_SET_TRIM_THRESHOLD];
		if (ruler > here && ruler <= 2 * here)
			here = ruler;
	}
	return here;
}
