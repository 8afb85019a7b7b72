/* view.h — the view's state between frames: the timeline and snapshots,
 * playback, zoom, language, help, input; and the frame it draws.
 *
 * Owns: everything the window shows except pixels: which steps are
 * loaded, the controller, the heap bar's zoom (fitted to the heap of the
 * last few steps until the user zooms), mouse drags, the event log lines
 * (explained on demand, also after a far seek), the timeline's flags (one
 * per pause step, in the caption language) and the pause question. Must not: include SDL (the window loop turns SDL events into the
 * calls below), read clocks (time comes in through gui_view_tick) or print.
 * Reads the model through sim_timeline and gui_snapshot_collect only. */
#ifndef BRKSIM_GUI_VIEW_H
#define BRKSIM_GUI_VIEW_H

#include "../lang/break_on.h"
#include "../lang/script.h"
#include "../sim/timeline.h"
#include "../trace/stacks.h"
#include "source_text.h"
#include "controller.h"
#include "action.h"
#include "layout_frame.h"


/* The second heap of `brksim show --compare A,B`: the same ops under
 * another profile. */
typedef struct gui_view_side {
	const script *script; /* the same ops; its captions are that profile's */
	sim_config config;
	const char *label;    /* "glibc-2.43" */
} gui_view_side;

typedef struct gui_view_config {
	const script *script;
	sim_config config;
	const char *source; /* scenario text for the source panel; may be NULL */
	size_t source_len;
	size_t start_step;
	const char *lang; /* caption language wanted ("zh", "en"), NULL = first available */
	const char *const *slot_sites; /* per slot: a recording's call site, or NULL (gui_options) */
	const trace_stacks *stacks;    /* a recording's stacks, or NULL */
	gui_source_kind source_kind;
	/* `show --break-on`: playing also stops after each step that meets
	 * it (copied; NULL: no such condition); its step:N are breakpoints */
	const break_on_spec *break_on;
	/* told how far the build of the view's timeline(s) has come, 0 to
	 * 1, when not NULL; returning false stops it: gui_view_new then
	 * returns NULL with err empty */
	bool (*progress)(void *context, double fraction);
	void *progress_context;
} gui_view_config;

typedef struct gui_view gui_view;

/* NULL on allocation failure (err says so), or when config->progress
 * said stop (err is empty). */
gui_view *gui_view_new(const gui_view_config *config, char *err, size_t err_size);
/* The same with a second heap (`brksim show --compare A,B`): `compare`'s
 * ops under its profile, `label` naming this side. Both heaps step
 * together on one timeline and share one zoom; the caption band shows
 * what the two sides' captions say, once where they agree; the log,
 * source and pauses are this side's. */
gui_view *gui_view_new_compare(const gui_view_config *config, const char *label, const gui_view_side *compare, char *err,
			       size_t err_size);
void gui_view_free(gui_view *view);
/* The source panel's text already packed (gui_options.source_text), in
 * place of the config's `source`: borrowed, it must outlive the view. */
void gui_view_set_source_text(gui_view *view, gui_source_text *source);

size_t gui_view_length(const gui_view *view);
/* Bytes the step snapshots the view keeps hold (tests: a large heap's
 * walk back keeps two, the ends of a step, and no spare). */
size_t gui_view_snapshot_bytes(const gui_view *view);
/* How many times a step's main-arena meters were worked out (sim_heap_stats
 * with malloc_trim(0)'s dry run): once per step while it stays among the
 * last METER_CACHE kept, however often it is loaded again. For tests. */
size_t gui_view_meter_runs(const gui_view *view);
/* Steps PgUp/PgDn move: 10, or a fiftieth of a long trace (so about 50
 * presses cross any trace). */
size_t gui_view_page_steps(const gui_view *view);
/* Whether the answers to the pause question at the step shown are
 * hidden (a pause, not revealed with R, not yet moved on). */
bool gui_view_answers_hidden(const gui_view *view);
bool gui_view_presenting(const gui_view *view);
/* The step shown (the one being arrived at while animating). */
size_t gui_view_step(const gui_view *view);
bool gui_view_animating(const gui_view *view);
bool gui_view_playing(const gui_view *view);
bool gui_view_help_shown(const gui_view *view);
const char *gui_view_language(const gui_view *view); /* caption language, "" if none */

/* Applies an action; returns false when it had nothing to do (used by
 * Escape to decide whether to leave fullscreen or quit). Zooming by key
 * centres on the mouse when it is over the heap bar, as the wheel does;
 * PgUp/PgDn move by gui_view_page_steps. */
bool gui_view_action(gui_view *view, gui_action action);
/* Seeks without animation. */
void gui_view_seek(gui_view *view, size_t step);
void gui_view_tick(gui_view *view, double dt_ms);
void gui_view_toast(gui_view *view, const char *message);
/* "saved FILE", in the interface language. */
void gui_view_toast_saved(gui_view *view, const char *file);

/* Mouse input, in window pixels; the last frame's geometry decides what is
 * under the pointer. */
void gui_view_mouse_move(gui_view *view, float x, float y);
void gui_view_mouse_down(gui_view *view, float x, float y);
void gui_view_mouse_up(gui_view *view);
void gui_view_mouse_leave(gui_view *view);
void gui_view_wheel(gui_view *view, float x, float y, float clicks); /* > 0 zooms in */

/* Builds the frame for a window of width × height. False when loading a
 * step failed (out of memory); the list then holds what could be drawn. */
bool gui_view_frame(gui_view *view, int width, int height, const gui_metrics *metrics, gui_drawlist *out);

/* ---- search (/) and jumps to a chunk's allocation and free (J, Shift+J) ---- */

/* Whether the search box is open: then typed text goes to it. */
bool gui_view_searching(const gui_view *view);
/* Text typed while the search box is open (UTF-8). */
void gui_view_text_input(gui_view *view, const char *text);
typedef enum gui_search_key { GUI_SEARCH_BACKSPACE = 0, GUI_SEARCH_ENTER, GUI_SEARCH_CLOSE } gui_search_key;
/* Editing keys while it is open: Backspace, Enter (go to the next match),
 * Escape (close). */
void gui_view_search_key(gui_view *view, gui_search_key key);
/* The step `text` points to, searching forward after `from` and wrapping
 * around: `N` or `#N` is step N; `0x...` or `+...` an address (the step
 * whose allocation holds it); anything else a pointer's name (exact or
 * its start) or a call site (a part of it, any case), at the step that
 * allocates it. SIZE_MAX when nothing matches. */
size_t gui_view_search_find(const gui_view *view, const char *text, size_t from);
/* Arenas at the step shown (1: the main arena alone); under --compare,
 * those of the side that has more. */
size_t gui_view_arena_count(gui_view *view);
/* The heap bar shows `arena` (< gui_view_arena_count) from now on, as
 * [ and ] do, until they switch back to each step's own. */
void gui_view_show_arena(gui_view *view, uint32_t arena);

/* The user's breakpoints (K), sorted: playing stops at each. */
size_t gui_view_breakpoints(const gui_view *view, const size_t **steps);

/* Whether the RSS story panel is shown (G). */
bool gui_view_story_shown(const gui_view *view);

/* One-line description of op k-1 (the op that leads to step k), e.g.
 * "b = malloc(1000) → 0x2b0". */
void gui_view_op_text(const gui_view *view, size_t step, char *out, size_t out_size);

/* The timeline's flags: one per pause step (its label the question in the
 * caption language) and one per mark, in step order. */
size_t gui_view_marks(const gui_view *view, const gui_timeline_mark **marks);
/* The scenario's title in the caption language (NULL when it has none). */
const char *gui_view_title(const gui_view *view);
/* The pause question at the step shown, in the caption language; NULL
 * when the step is not a pause. */
const char *gui_view_question(const gui_view *view);

/* The visible address range of the heap bar and the fitted extent. */
gui_bar_view gui_view_bar_view(const gui_view *view);
double gui_view_extent(const gui_view *view);

#endif
