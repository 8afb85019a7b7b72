/* action.h — what a key, a click or a test can ask the view to do. The
 * keymap (keymap.c) binds keys to these; the view (view.c) and, for the
 * last few, the window (window.c) carry them out. Must not: include SDL. */
#ifndef BRKSIM_GUI_ACTION_H
#define BRKSIM_GUI_ACTION_H

typedef enum gui_action {
	GUI_ACT_PLAY_PAUSE = 0,
	GUI_ACT_STEP_FORWARD,
	GUI_ACT_STEP_BACK,
	GUI_ACT_PAGE_FORWARD, /* 10 steps */
	GUI_ACT_PAGE_BACK,
	GUI_ACT_FIRST,
	GUI_ACT_LAST,
	GUI_ACT_FASTER,
	GUI_ACT_SLOWER,
	GUI_ACT_NEXT_TRIM, /* jumps: the PREV variants follow each NEXT */
	GUI_ACT_PREV_TRIM,
	GUI_ACT_NEXT_GROW,
	GUI_ACT_PREV_GROW,
	GUI_ACT_NEXT_CONSOLIDATE,
	GUI_ACT_PREV_CONSOLIDATE,
	GUI_ACT_NEXT_ABORT,
	GUI_ACT_PREV_ABORT,
	GUI_ACT_NEXT_MMAP,
	GUI_ACT_PREV_MMAP,
	GUI_ACT_NEXT_MARK,
	GUI_ACT_PREV_MARK,
	GUI_ACT_ZOOM_IN,
	GUI_ACT_ZOOM_OUT,
	GUI_ACT_ZOOM_FIT,
	GUI_ACT_HELP,
	GUI_ACT_LANGUAGE,
	GUI_ACT_ESCAPE, /* closes help; returns false when there is nothing to close */
	GUI_ACT_REVEAL, /* at a pause: show the answers (pin, verdict, what malloc_trim frees) */
	GUI_ACT_PRESENT, /* presentation mode: larger type, the heap bar and caption only */
	GUI_ACT_SEARCH,     /* opens the search box: a name, a call site, an address or a step */
	GUI_ACT_JUMP_ALLOC, /* to where the chunk under the mouse (else the step's) was allocated */
	GUI_ACT_JUMP_FREE,  /* to where it is freed */
	GUI_ACT_STORY,      /* the RSS story panel, on or off */
	GUI_ACT_NEXT_ARENA, /* the heap bar shows the next arena (after the last: each step's own again) */
	GUI_ACT_PREV_ARENA,
	GUI_ACT_BREAKPOINT,        /* a breakpoint at the step shown, on or off: playing stops there */
	GUI_ACT_CLEAR_BREAKPOINTS, /* all of them off */
	/* Handled by the window, not the view (gui_view_action returns false): */
	GUI_ACT_FULLSCREEN,
	GUI_ACT_SCREENSHOT,
	GUI_ACT_QUIT,
	GUI_ACT_COUNT
} gui_action;

#endif
