/* controller.c — playback state machine (see controller.h). */
#include "controller.h"

static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096};
#define SPEED_COUNT ((int)(sizeof speeds / sizeof speeds[0]))
#define SPEED_ONE 2

void gui_controller_init(gui_controller *c, size_t length, size_t start, const size_t *pauses, size_t pause_count)
{
	c->length = length;
	c->step = start > length ? length : start;
	c->animating = false;
	c->anim_to = c->step;
	c->progress = 0;
	c->duration_ms = GUI_TWEEN_MS;
	c->playing = false;
	c->speed_index = SPEED_ONE;
	c->wait_ms = 0;
	c->pauses = pauses;
	c->pause_count = pause_count;
	c->stops_at = NULL;
	c->stops_context = NULL;
	c->stopped_by_stop = false;
}

void gui_controller_set_stops(gui_controller *c, bool (*stops_at)(const void *context, size_t step),
                              const void *context)
{
	c->stops_at = stops_at;
	c->stops_context = context;
}

double gui_controller_speed(const gui_controller *c)
{
	return speeds[c->speed_index];
}

void gui_controller_change_speed(gui_controller *c, int delta)
{
	int i = c->speed_index + delta;
	c->speed_index = i < 0 ? 0 : i >= SPEED_COUNT ? SPEED_COUNT - 1 : i;
}

size_t gui_steps_lower_bound(const size_t *steps, size_t count, size_t step)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (steps[mid] < step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool gui_controller_is_pause(const gui_controller *c, size_t step)
{
	size_t i = gui_steps_lower_bound(c->pauses, c->pause_count, step);
	return i < c->pause_count && c->pauses[i] == step;
}

/* Settles at anim_to and applies the rules for arriving at a step. */
static void arrive(gui_controller *c)
{
	c->step = c->anim_to;
	c->animating = false;
	c->progress = 0;
	c->wait_ms = 0;
	if (!c->playing)
		return;
	if (c->step >= c->length || gui_controller_is_pause(c, c->step)) {
		c->playing = false;
		/* the last step may meet a stop as well: said like any other
		 * (the end alone says nothing; a pause has its question) */
		if (!gui_controller_is_pause(c, c->step) && c->stops_at != NULL && c->stops_at(c->stops_context, c->step))
			c->stopped_by_stop = true;
	} else if (c->stops_at != NULL && c->stops_at(c->stops_context, c->step)) {
		c->playing = false;
		c->stopped_by_stop = true;
	}
}

static double tween_ms(const gui_controller *c, bool manual)
{
	double ms = GUI_TWEEN_MS / speeds[c->speed_index];
	if (manual && ms < 150)
		ms = 150; /* a key press always shows its step move */
	return ms;
}

static void begin(gui_controller *c, size_t to, bool manual)
{
	c->anim_to = to;
	c->progress = 0;
	c->duration_ms = tween_ms(c, manual);
	if (c->duration_ms < GUI_MIN_TWEEN_MS) {
		arrive(c);
		return;
	}
	c->animating = true;
}

void gui_controller_step(gui_controller *c, int dir)
{
	c->playing = false;
	if (c->animating) {
		bool forward = c->anim_to > c->step;
		if (forward == (dir > 0)) {
			arrive(c); /* finish it; the new step starts below */
		} else {       /* reverse in place */
			size_t from = c->step;
			c->step = c->anim_to;
			c->anim_to = from;
			c->progress = 1 - c->progress;
			return;
		}
	}
	if (dir > 0 && c->step < c->length)
		begin(c, c->step + 1, true);
	else if (dir < 0 && c->step > 0)
		begin(c, c->step - 1, true);
}

void gui_controller_seek(gui_controller *c, size_t step)
{
	c->animating = false;
	c->progress = 0;
	c->step = step > c->length ? c->length : step;
	c->anim_to = c->step;
	c->wait_ms = 0;
}

void gui_controller_pause(gui_controller *c)
{
	c->playing = false;
}

void gui_controller_toggle_play(gui_controller *c)
{
	if (c->playing) {
		c->playing = false;
		return;
	}
	if (c->animating)
		arrive(c);
	if (c->step >= c->length)
		gui_controller_seek(c, 0);
	c->playing = c->length > 0;
	c->stopped_by_stop = false;
	c->wait_ms = GUI_DWELL_MS; /* start moving at once */
}

void gui_controller_tick(gui_controller *c, double dt_ms)
{
	/* Time left over when an animation or a wait ends carries into the
	 * next one, so the pace does not depend on the frame rate. */
	for (long guard = 0; dt_ms > 0 && guard < 10000000; guard++) {
		if (c->animating) {
			double need = (1 - c->progress) * c->duration_ms;
			if (dt_ms < need) {
				c->progress += dt_ms / c->duration_ms;
				return;
			}
			dt_ms -= need;
			arrive(c);
			continue;
		}
		if (!c->playing)
			return;
		double speed = speeds[c->speed_index];
		bool animated = tween_ms(c, false) >= GUI_MIN_TWEEN_MS;
		/* Without animation a step still takes tween + dwell time. */
		double wait = animated ? GUI_DWELL_MS / speed : (GUI_TWEEN_MS + GUI_DWELL_MS) / speed;
		double need = wait - c->wait_ms;
		if (dt_ms < need) {
			c->wait_ms += dt_ms;
			return;
		}
		dt_ms -= need > 0 ? need : 0;
		if (c->step >= c->length) {
			c->playing = false;
			return;
		}
		begin(c, c->step + 1, false);
	}
}

gui_ctl_frame gui_controller_frame(const gui_controller *c)
{
	gui_ctl_frame f;
	if (!c->animating) {
		f.tween = false;
		f.lo = f.hi = f.target = c->step;
		f.t = 1;
		return f;
	}
	f.tween = true;
	f.target = c->anim_to;
	if (c->anim_to > c->step) {
		f.lo = c->step;
		f.hi = c->anim_to;
		f.t = c->progress;
	} else {
		f.lo = c->anim_to;
		f.hi = c->step;
		f.t = 1 - c->progress;
	}
	return f;
}
