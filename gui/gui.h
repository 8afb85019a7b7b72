/* gui.h — the entry point of the SDL view, called by `brksim show`.
 *
 * Owns: nothing beyond the call: it opens the font and a window (or an
 * off-screen surface for --screenshot), runs the view and returns an exit
 * status. Must not: print (messages go to err) or exit. */
#ifndef BRKSIM_GUI_GUI_H
#define BRKSIM_GUI_GUI_H

#include <stddef.h>

#include "../lang/script.h"
#include "../sim/config.h"
#include "../trace/stacks.h"
#include "view.h"

#define GUI_DEFAULT_WIDTH 1280
#define GUI_DEFAULT_HEIGHT 720
/* The window's and a screenshot's bounds. The layout is made for 640x480
 * and more (VGA: any projector); below it the bands ran into each other
 * (two heaps and a question over the timeline). A side past 8192 (8K's
 * 7680 and more) took seconds and gigabytes for one picture (16384x16384:
 * 17 s, 2.9 GB). */
#define GUI_MIN_WIDTH 640
#define GUI_MIN_HEIGHT 480
#define GUI_MAX_SIDE 8192

typedef struct gui_options {
	const char *path;      /* the scenario's file name: window title, messages */
	const char *source;    /* its text, for the source panel; may be NULL */
	size_t source_len;
	/* or that text packed: used instead of source; borrowed */
	gui_source_text *source_text;
	/* With `source`: gui_show packs it itself, on a thread of its own
	 * while the timeline is built (source_pack.h), and once packed calls
	 * release_source(release_context) on that thread, which may free it:
	 * its 33 MB (a 1.29M-call recording's) go back early in the build. */
	void (*release_source)(void *context);
	void *release_context;
	const script *script;  /* parsed ops, slot names, captions, marks, titles (required) */
	/* Per slot (script->slot_count entries): where a recording's program
	 * allocated it ("load_config, config.c:88"), or NULL; the array is
	 * NULL when nothing knows (lessons) or when `stacks` says it (`show`
	 * of a recording: each site is looked up there when drawn). */
	const char *const *slot_sites;
	/* A recording's stacks (the RSS story groups by call site; the slots'
	 * call sites when slot_sites is NULL), or NULL. */
	const trace_stacks *stacks;
	gui_source_kind source_kind; /* what `source` is: the source panel's title */
	sim_config config;     /* effective settings: the file's, then --tunables */
	long start_step;       /* step shown first (after that many ops); negative counts from the end: -1 = the last step */
	const char *screenshot_path; /* non-NULL: render start_step off-screen to this PNG and return */
	int width, height;     /* window or image size; 0 = GUI_DEFAULT_WIDTH × GUI_DEFAULT_HEIGHT */
	const char *lang;      /* caption language ("zh", "en"); NULL: "zh" when $LANG says Chinese, else "en", else the first */
	bool present;          /* start in presentation mode */
	bool arena_given;      /* the heap bar shows `arena` from the start (0: main), not each step's own */
	uint32_t arena;
	const char *font_path; /* NULL: $BRKSIM_FONT, then the known paths of fonts-wqy-microhei and other CJK fonts */
	/* `brksim show --compare A,B`: the second side (NULL: one heap) and
	 * the first side's label ("glibc-2.3.6"); see gui_view_config. */
	const gui_view_side *compare;
	const char *label;
	/* `show --break-on`: where playing stops besides the lesson's pauses
	 * and the user's breakpoints (NULL: nowhere else) */
	const break_on_spec *break_on;
} gui_options;

/* Exit statuses. */
enum {
	GUI_EXIT_OK = 0,
	GUI_EXIT_FAILURE = 1, /* e.g. the PNG could not be written */
	GUI_EXIT_ENVIRONMENT = 2, /* no display, no font, bad size or step: err explains and says what to do */
};

/* Shows the scenario: interactively in a window, or, with
 * screenshot_path, renders one frame off-screen (no display needed) and
 * writes it as PNG. Returns a GUI_EXIT_* status; on non-zero, err holds a
 * one-line message (without "brksim:" or a trailing newline). */
int gui_show(const gui_options *options, char *err, size_t err_size);

#endif
