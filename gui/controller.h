/* controller.h — the video-player logic: playing, pausing at marks,
 * stepping with animation (reversible mid-way), speed, seeking.
 *
 * Owns: which step is shown and the progress of the animation between two
 * steps. Must not: read clocks (the caller passes elapsed milliseconds),
 * touch SDL or the model. Deterministic, so tests drive it directly. */
#ifndef BRKSIM_GUI_CONTROLLER_H
#define BRKSIM_GUI_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>

/* At speed 1 a step animates for this long, then the player waits this
 * long before the next one. */
#define GUI_TWEEN_MS 550.0
#define GUI_DWELL_MS 650.0
/* Below this an animation is not worth showing: steps jump. */
#define GUI_MIN_TWEEN_MS 60.0

typedef struct gui_controller {
	size_t length; /* last step */
	size_t step;   /* settled step (the animation starts here) */
	bool animating;
	size_t anim_to;      /* step ± 1 */
	double progress;     /* 0..1 from step to anim_to */
	double duration_ms;
	bool playing;
	int speed_index;
	double wait_ms; /* time spent at the settled step while playing */
	const size_t *pauses; /* sorted steps where playing stops */
	size_t pause_count;
	/* and where else it stops (the user's breakpoints, --break-on): asked
	 * at each step playing arrives at; NULL: nowhere else */
	bool (*stops_at)(const void *context, size_t step);
	const void *stops_context;
	bool stopped_by_stop; /* playing last stopped because stops_at said so */
} gui_controller;

void gui_controller_init(gui_controller *c, size_t length, size_t start, const size_t *pauses, size_t pause_count);

/* Where else playing stops (see gui_controller.stops_at). */
void gui_controller_set_stops(gui_controller *c, bool (*stops_at)(const void *context, size_t step),
                              const void *context);

/* One step forward (dir > 0) or back, animated. A running animation in the
 * same direction is finished first; in the opposite one it is reversed
 * from where it is. Stops playing. */
void gui_controller_step(gui_controller *c, int dir);
/* Jumps without animation; keeps playing if it was. */
void gui_controller_seek(gui_controller *c, size_t step);
/* Play/pause; play at the end starts again from step 0. */
void gui_controller_toggle_play(gui_controller *c);
void gui_controller_pause(gui_controller *c);
void gui_controller_change_speed(gui_controller *c, int delta);
double gui_controller_speed(const gui_controller *c);
/* Advances time by dt_ms. */
void gui_controller_tick(gui_controller *c, double dt_ms);

/* What to draw: a still step (tween false: `hi` is the step), or the
 * animation between steps lo = hi - 1 and hi at linear progress t
 * (t = 0 shows lo, 1 shows hi; stepping back runs t from 1 to 0). */
typedef struct gui_ctl_frame {
	bool tween;
	size_t lo, hi;
	double t;
	size_t target; /* the step being arrived at (captions, header) */
} gui_ctl_frame;
gui_ctl_frame gui_controller_frame(const gui_controller *c);

bool gui_controller_is_pause(const gui_controller *c, size_t step);

/* The index of the first of `count` sorted steps at or after `step`
 * (count when none is): the pauses' search, and the breakpoints'. */
size_t gui_steps_lower_bound(const size_t *steps, size_t count, size_t step);

#endif
