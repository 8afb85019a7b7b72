/* palette.h — every colour the view uses, by meaning.
 *
 * Owns: the colour-blind-safe chunk palette (Okabe & Ito, "Color Universal
 * Design", 2008) and the projector-friendly light theme. Must not: draw.
 * Chunk states use the eight Okabe–Ito hues, which stay distinguishable
 * under protanopia, deuteranopia and tritanopia; every state also appears
 * in the legend with its name, so colour is never the only cue. */
#ifndef BRKSIM_GUI_PALETTE_H
#define BRKSIM_GUI_PALETTE_H

#include "../sim/event.h"
#include "draw.h"

typedef enum gui_color_role {
	GUI_COL_BACKGROUND = 0,
	GUI_COL_PANEL,        /* panel background */
	GUI_COL_PANEL_EDGE,
	GUI_COL_TEXT,         /* main text: near black */
	GUI_COL_TEXT_DIM,     /* secondary text */
	GUI_COL_ACCENT,       /* caption bar, current line */
	GUI_COL_HIGHLIGHT_BG, /* current source line, current log entry */
	GUI_COL_UNMAPPED,     /* address space above brk */
	GUI_COL_CHUNK_EDGE,   /* separator between chunks */
	GUI_COL_BRK,          /* the brk marker */
	GUI_COL_PIN,          /* outline of the chunk pinning top */
	GUI_COL_RULER,        /* trim threshold ruler */
	GUI_COL_HATCH,        /* non-resident pages */
	GUI_COL_RELEASED,     /* memory just returned by trim */
	GUI_COL_GRID,         /* page grid */
	GUI_COL_TICK_GROW,    /* timeline ticks */
	GUI_COL_TICK_TRIM,
	GUI_COL_TICK_CONSOLIDATE,
	GUI_COL_TICK_ABORT,
	GUI_COL_TICK_MARK,
	GUI_COL_TICK_MADVISE,
	GUI_COL_TICK_MMAP,
	GUI_COL_OVERLAY,      /* help overlay dim */
	GUI_COL_TOOLTIP_BG,
	GUI_COL_TOOLTIP_TEXT,
	GUI_COL_QUESTION_BG,    /* the pause question band */
	GUI_COL_QUESTION_TEXT,
	GUI_COL_QUESTION_BADGE, /* the "?" square */
	GUI_COL_BREAKPOINT,     /* a breakpoint's dot on the timeline */
	GUI_COL_ROLE_COUNT
} gui_color_role;

gui_rgba gui_palette(gui_color_role role);
/* Fill colour of a chunk in `place` (SIM_PLACE_*). */
gui_rgba gui_place_color(sim_place place);
/* Black or white, whichever reads better on `background`. */
gui_rgba gui_text_on(gui_rgba background);

#endif
