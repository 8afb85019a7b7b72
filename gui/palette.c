/* palette.c — the colour table. See palette.h for the why. */
#include "palette.h"

/* Okabe–Ito: black 000000, orange E69F00, sky blue 56B4E9, bluish green
 * 009E73, yellow F0E442, blue 0072B2, vermillion D55E00, reddish purple
 * CC79A7. */
#define RGB(hex) ((gui_rgba)(((uint32_t)(hex) << 8) | 0xffu))

gui_rgba gui_place_color(sim_place place)
{
	switch (place) {
	case SIM_PLACE_INUSE: return RGB(0x0072B2);         /* blue */
	case SIM_PLACE_TCACHE: return RGB(0xF0E442);        /* yellow */
	case SIM_PLACE_FASTBIN: return RGB(0xE69F00);       /* orange */
	case SIM_PLACE_UNSORTED: return RGB(0xCC79A7);      /* reddish purple */
	case SIM_PLACE_SMALLBIN: return RGB(0x56B4E9);      /* sky blue */
	case SIM_PLACE_LARGEBIN: return RGB(0xD55E00);      /* vermillion */
	case SIM_PLACE_TOP: return RGB(0x009E73);           /* bluish green */
	case SIM_PLACE_MMAP: return RGB(0x00456B);          /* dark blue: in use, elsewhere */
	case SIM_PLACE_TCACHE_STRUCT: return RGB(0x6E6E6E); /* grey: the allocator's own */
	case SIM_PLACE_FENCEPOST: return RGB(0x3A3A3A);     /* dark grey: the allocator's own, a heap's end */
	case SIM_PLACE_PROGRAM: return RGB(0x8B6F47);       /* brown: not malloc's at all (the program's sbrk) */
	case SIM_PLACE_NONE:
	case SIM_PLACE_COUNT: break;
	}
	return RGB(0xBBBBBB);
}

gui_rgba gui_palette(gui_color_role role)
{
	switch (role) {
	case GUI_COL_BACKGROUND: return RGB(0xFAFAF7);
	case GUI_COL_PANEL: return RGB(0xFFFFFF);
	case GUI_COL_PANEL_EDGE: return RGB(0xC8C8C0);
	case GUI_COL_TEXT: return RGB(0x111111);
	case GUI_COL_TEXT_DIM: return RGB(0x555555);
	case GUI_COL_ACCENT: return RGB(0x0072B2);
	case GUI_COL_HIGHLIGHT_BG: return RGB(0xFFF4B8);
	case GUI_COL_UNMAPPED: return RGB(0xE4E4DE);
	case GUI_COL_CHUNK_EDGE: return 0x00000099u;
	case GUI_COL_BRK: return RGB(0x000000);
	case GUI_COL_PIN: return RGB(0x000000);
	case GUI_COL_RULER: return RGB(0x222222);
	case GUI_COL_HATCH: return 0x000000A0u;
	case GUI_COL_RELEASED: return RGB(0x009E73);
	case GUI_COL_GRID: return 0x00000040u;
	case GUI_COL_TICK_GROW: return RGB(0x009E73);
	case GUI_COL_TICK_TRIM: return RGB(0xD55E00);
	case GUI_COL_TICK_CONSOLIDATE: return RGB(0xE69F00);
	case GUI_COL_TICK_ABORT: return RGB(0x000000);
	case GUI_COL_TICK_MARK: return RGB(0x0072B2);
	case GUI_COL_TICK_MADVISE: return RGB(0xCC79A7);
	case GUI_COL_TICK_MMAP: return RGB(0x56B4E9);
	case GUI_COL_OVERLAY: return RGB(0x3A3A3A);
	case GUI_COL_TOOLTIP_BG: return RGB(0x1E1E1E);
	case GUI_COL_TOOLTIP_TEXT: return RGB(0xFFFFFF);
	case GUI_COL_QUESTION_BG: return RGB(0x0072B2);    /* white on it: contrast 5.1:1 */
	case GUI_COL_QUESTION_TEXT: return RGB(0xFFFFFF);
	case GUI_COL_QUESTION_BADGE: return RGB(0xF0E442);
	/* a debugger's red dot; ringed in white, it stands apart from the
	 * blue and grey track by its shape too */
	case GUI_COL_BREAKPOINT: return RGB(0xC0142B);
	case GUI_COL_ROLE_COUNT: break;
	}
	return RGB(0xFF00FF);
}

gui_rgba gui_text_on(gui_rgba background)
{
	/* Relative luminance (sRGB approximated by its gamma-2 square):
	 * dark text on light fills, white on dark ones. */
	float r = (float)gui_rgba_r(background) / 255.0f;
	float g = (float)gui_rgba_g(background) / 255.0f;
	float b = (float)gui_rgba_b(background) / 255.0f;
	float luminance = 0.2126f * r * r + 0.7152f * g * g + 0.0722f * b * b;
	return luminance > 0.18f ? RGB(0x000000) : RGB(0xFFFFFF);
}
