/* strings.h — the view's own words (legend, panel titles, meters, help),
 * in English and Chinese.
 *
 * Owns: the UI string table. Must not: hold lesson text (captions come from
 * the scenario) or explanations (sim/explain). The view follows the
 * caption language, so a Chinese lesson gets a Chinese interface. */
#ifndef BRKSIM_GUI_STRINGS_H
#define BRKSIM_GUI_STRINGS_H

#include <stddef.h>

#include "../sim/event.h"

typedef enum gui_ui_lang { GUI_UI_EN = 0, GUI_UI_ZH, GUI_UI_LANG_COUNT } gui_ui_lang;

typedef enum gui_string {
	GUI_S_STEP = 0,
	GUI_S_OF,
	GUI_S_PLAYING,
	GUI_S_PAUSED,
	GUI_S_SPEED,
	GUI_S_START,
	GUI_S_PROCESS,
	GUI_S_TEXT_DATA,
	GUI_S_HEAP,
	GUI_S_MMAP_REGION,
	GUI_S_STACK,
	GUI_S_UNMAPPED,
	GUI_S_BRK,
	GUI_S_TOP,
	GUI_S_TRIM_THRESHOLD,
	GUI_S_TOP_REACHES,     /* "top %s of the %s needed" */
	GUI_S_TOP_EXCEEDS,     /* "top %s ≥ threshold %s" */
	GUI_S_TOP_EXCEEDS_MOVED, /* the same, with the break moved by the program's sbrk */
	GUI_S_TOP_REACHES_RAISED, /* the same, the threshold raised from %s */
	GUI_S_TOP_EXCEEDS_RAISED,
	GUI_S_PINS_TOP,        /* "%s pins top: freeing it would release %s" */
	GUI_S_PINS_FREE,       /* "%s pins %s of free memory under top; freeing it now releases nothing" */
	GUI_S_PINS_QUIZ,       /* "%s pins top" (at a pause: the answer is not given away) */
	GUI_S_MMAP_NONE,       /* "mmap: none" */
	GUI_S_MMAP_SOME,       /* "mmap: %zu chunks, %s" */
	GUI_S_MMAP_ONE,        /* "mmap: %zu chunk, %s" (the count is 1) */
	GUI_S_RELEASED,        /* "returned to the kernel: %s" */
	GUI_S_NOT_RESIDENT,
	GUI_S_NOT_RESIDENT_SHORT, /* the same, short: a legend row with no room for the long one */
	GUI_S_BINS,
	GUI_S_EMPTY_BINS,
	GUI_S_TCACHE,
	GUI_S_FASTBINS,
	GUI_S_UNSORTED,
	GUI_S_SMALLBINS,
	GUI_S_LARGEBINS,
	GUI_S_MORE,            /* "+%zu more" */
	GUI_S_METERS,
	GUI_S_VMDATA,
	GUI_S_RSS,
	GUI_S_IN_USE,
	GUI_S_OVERHEAD,
	GUI_S_FREE_TCACHE,
	GUI_S_FREE_FAST,
	GUI_S_FREE_BINS,
	GUI_S_FREE_TOP,
	GUI_S_MMAPPED,
	GUI_S_RELEASABLE,
	GUI_S_SOURCE,
	GUI_S_SOURCE_TRACE,
	GUI_S_SOURCE_RECORDING,
	GUI_S_EVENTS,
	GUI_S_NO_EVENTS,
	GUI_S_LEGEND_PIN,
	GUI_S_HELP_TITLE,
	GUI_S_HELP_HINT,       /* "? help" in the status line */
	GUI_S_CHUNK,
	GUI_S_SIZE,
	GUI_S_FLAGS,
	GUI_S_BIN,
	GUI_S_POSITION,
	GUI_S_HEAD,
	GUI_S_REQUEST,
	GUI_S_USER_PTR,
	GUI_S_CHUNKS_IN_PIXEL, /* "%zu chunks under this pixel: zoom in" */
	GUI_S_ZOOM,
	GUI_S_ABORTED,
	GUI_S_JUMP_TRIM,
	GUI_S_JUMP_GROW,
	GUI_S_JUMP_CONSOLIDATE,
	GUI_S_JUMP_ABORT,
	GUI_S_JUMP_MMAP,
	GUI_S_JUMP_MARK,
	GUI_S_NONE_AFTER,  /* "no %s after step %zu" */
	GUI_S_NONE_BEFORE, /* "no %s before step %zu" */
	GUI_S_LANGUAGE_IS, /* "caption language: %s" */
	GUI_S_SAVED,       /* "saved %s" */
	GUI_S_MORE_LINES,  /* "+%zu more" (event log lines left out) */
	GUI_S_RSS_PAGES,   /* "RSS: %zu pages" */
	GUI_S_RSS_PAGE,    /* "RSS: 1 page" (no conversion) */
	GUI_S_ANSWER_HIDDEN, /* the verdict at a pause, until R */
	GUI_S_CAPTION_FALSE, /* "... (line %u: expect %s) ..." in place of a caption */
	GUI_S_PIN_FREED_TCACHE, /* "%s: freed, but the tcache holds it: it pins %s under top" */
	GUI_S_PIN_FREED_FAST,   /* "%s: freed, in a fastbin: it pins %s under top until malloc_trim" */
	GUI_S_ALLOCATED_AT,     /* "allocated at %s" (a recording's call site) */
	GUI_S_SEARCH_HINT,      /* what the search box takes */
	GUI_S_SEARCH_NONE,      /* "nothing matches %s" */
	GUI_S_SEARCH_FOUND,     /* "step %zu: %s" */
	GUI_S_NO_CHUNK,         /* no chunk under the mouse and none at this step */
	GUI_S_NO_ALLOC,         /* "no allocation of %s at or before step %zu" */
	GUI_S_NO_FREE,          /* "%s is not freed after step %zu" */
	GUI_S_STORY_TITLE,      /* "The RSS story (G)" */
	GUI_S_STORY_IN_USE,     /* "in use" (legend) */
	GUI_S_STORY_PEAK,       /* "peak: step %zu, %s in use; VmData %s, RSS %s" */
	GUI_S_STORY_MOST,       /* "most of it at the peak: %s (%s)" */
	GUI_S_STORY_PINS,       /* "at the end, %s pins the top, %s held below chunks in all" */
	GUI_S_STORY_MORE,       /* "brksim run --quiet --report prints the whole story" */
	GUI_S_STORY_SIDE,       /* --compare, one per profile: "%s: VmData at most %s, RSS at most %s; at the end %s and %s" */
	GUI_S_PIN_FREED_TCACHE_SHORT, /* the same, shorter, where the long one does not fit beside the pin */
	GUI_S_PIN_FREED_FAST_SHORT,
	GUI_S_SIDE_STATS,       /* --compare, a side's label: "VmData %s · RSS %s", then the two below */
	GUI_S_SIDE_STATS_ARENAS, /* with threads: "brk heap %s · %zu arenas, %s in RAM in all" */
	GUI_S_SIDE_TCACHE,      /* " · tcache %zu" (chunks the tcache holds) */
	GUI_S_SIDE_NO_TCACHE,   /* " · no tcache": a release without one (2.3.6) */
	GUI_S_SIDE_FASTBINS,    /* " · fastbins %zu" */
	GUI_S_SIDE_NO_FASTBINS, /* " · no fastbins": 2.43 */
	GUI_S_SIDE_ENDED,       /* "glibc ended this run at step %zu (abort)" */
	GUI_S_ARENA_SHOWN,      /* toast: "heap bar: arena %u (%s)" (its threads) */
	GUI_S_ARENA_MAIN_SHOWN, /* toast: "heap bar: the main arena (brk heap)" */
	GUI_S_ARENA_FOLLOW,     /* toast: "heap bar: the arena of each step's call" */
	GUI_S_ARENA_BAR,        /* bar label: "arena %u: %u heaps, %s mapped" */
	GUI_S_ARENA_BAR_ONE,    /* the same, of one heap: "arena %u: %u heap, %s mapped" */
	GUI_S_ARENA_END,        /* where an arena's heaps end on the bar: "end %s" */
	GUI_S_ARENAS,           /* strip: "arenas: %zu (%s in RAM)" */
	GUI_S_ARENA_METER,      /* meter title: "Memory: arena %u" */
	GUI_S_MMAPPED_PROCESS,  /* another arena's meter: the process's mmapped chunks */
	GUI_S_REALLOC_LEFT,     /* a freed pin a realloc left: "what a realloc of %s left" */
	GUI_S_MEMALIGN_LEFT,    /* a freed pin an aligned allocation left */
	GUI_S_PIN_LOST_AT_FORK, /* a pin a gone thread's tcache held at a fork: in use for good */
	GUI_S_PIN_LOST_AT_FORK_SHORT,
	GUI_S_ARENA_SIZE,       /* meter row: "arena's heaps" */
	/* the meter rows' labels, short: a panel too narrow for the long
	 * ones (640x480) */
	GUI_S_VMDATA_SHORT,
	GUI_S_ARENA_SIZE_SHORT,
	GUI_S_RSS_SHORT,
	GUI_S_IN_USE_SHORT,
	GUI_S_OVERHEAD_SHORT,
	GUI_S_FREE_TCACHE_SHORT,
	GUI_S_FREE_FAST_SHORT,
	GUI_S_FREE_BINS_SHORT,
	GUI_S_FREE_TOP_SHORT,
	GUI_S_MMAPPED_SHORT,
	GUI_S_RELEASABLE_SHORT,
	GUI_S_LOADING_TITLE,    /* the window while a trace opens: "Opening %s" */
	GUI_S_LOADING_STEPS,    /* "replaying its %s steps to build the timeline" */
	GUI_S_LOADING_CANCEL,   /* "Esc or Q: stop" */
	GUI_S_BREAKPOINT_SET,     /* toast: "breakpoint at step %zu: playing stops here" */
	GUI_S_BREAKPOINT_REMOVED, /* toast: "breakpoint at step %zu removed" */
	GUI_S_BREAKPOINT_FULL,    /* toast: "no room for another breakpoint (%zu set)" */
	GUI_S_BREAKPOINTS_CLEARED, /* toast: "all breakpoints removed (%zu)" */
	GUI_S_BREAKPOINTS_NONE,   /* toast: "no breakpoints to remove" */
	GUI_S_STOPPED_BREAKPOINT, /* toast: "stopped at the breakpoint at step %zu" */
	GUI_S_STOPPED_BREAK_ON,   /* toast: "stopped at step %zu: %s (--break-on)" */
	GUI_S_COUNT
} gui_string;

const char *gui_str(gui_ui_lang lang, gui_string id);
/* snprintf with the string as format. The arguments must match the
 * conversions documented at each id (tests check both languages agree). */
void gui_strf(char *out, size_t out_size, gui_ui_lang lang, gui_string id, ...);
/* Legend name of a chunk state. */
const char *gui_place_label(gui_ui_lang lang, sim_place place);

/* The help overlay: pairs of (keys, what they do), NULL-terminated. */
typedef struct gui_help_line {
	const char *keys;
	const char *what;
} gui_help_line;
/* Made from the keymap (keymap.c, which defines it). */
const gui_help_line *gui_help_lines(gui_ui_lang lang);

#endif
