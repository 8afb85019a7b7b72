/* helpers.h — shared test fixtures for the GUI suites: a fixed-advance
 * text measure, synthetic heaps, scenario loading, font lookup. */
#ifndef BRKSIM_TESTS_GUI_HELPERS_H
#define BRKSIM_TESTS_GUI_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "gui/layout.h"
#include "gui/snapshot.h"
#include "gui/text.h"
#include "gui/view.h"
#include "lang/script.h"

/* Every byte of ASCII is px/2 wide, every other character px wide; lines
 * are px * 5/4 apart. */
gui_metrics helper_fake_metrics(void);

/* Appends a chunk at the end of the heap described by snap (after the last
 * chunk) with the given size and place; returns its address. */
sim_addr helper_add_chunk(gui_snapshot *snap, sim_size size, sim_place place, sim_slot slot);
/* Finishes a synthetic heap: brk = end of the last chunk, top fields from
 * the last chunk when it is top. */
void helper_finish(gui_snapshot *snap);

/* Reads a whole file (malloc'd, NUL-terminated); NULL if it cannot. */
char *helper_read_file(const char *path, size_t *len);
/* Parses a scenario file into s; aborts the test on failure. */
char *helper_load_scenario(const char *path, script *s, size_t *len);

/* A bundled lesson opened in a view, as `brksim show` opens it. */
typedef struct helper_lesson {
	script sc;
	char *source;
	size_t len;
	gui_view *view;
} helper_lesson;
/* Opens scenarios/NAME in language lang ("en", "zh"); aborts the test on failure. */
void helper_lesson_open(helper_lesson *l, const char *name, const char *lang);
/* The same for the scenario file at path. */
void helper_lesson_open_path(helper_lesson *l, const char *path, const char *lang);
void helper_lesson_close(helper_lesson *l);

/* How many texts of the frame `v` draws at 1280x720 (fake metrics) are
 * exactly `wanted` (exact) or contain it. */
size_t helper_frame_count_text(gui_view *v, const char *wanted, bool exact);

/* Every field of two chunks is equal (ck_assert). */
void helper_assert_same_chunk(sim_chunk_info got, sim_chunk_info want);

/* The font the GUI would use, or NULL (tests exit 77 then: skip). */
const char *helper_font(void);
/* SDL and SDL_ttf started and *text opened on helper_font(): 0; 77 (skip,
 * said on stderr) when no CJK font is installed; EXIT_FAILURE otherwise.
 * A suite's main returns what is not 0. */
int helper_text_start(gui_text **text);

#endif
