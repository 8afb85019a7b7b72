/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/font_find.h"

static int fake_width(void *ctx, int px, bool bold, const char *s, size_t len)
{
	(void)ctx;
	(void)bold;
	int w = 0;
	for (size_t i = 0; i < len;) {
		size_t cl = gui_utf8_char_len(s + i, len - i);
		w += cl == 1 ? px / 2 : px;
		i += cl;
	}
	return w;
}

static int fake_line_height(void *ctx, int px)
{
	(void)ctx;
	return px * 5 / 4;
}

gui_metrics helper_fake_metrics(void)
{
	return (gui_metrics){NULL, fake_width, fake_line_height};
}

sim_addr helper_add_chunk(gui_snapshot *snap, sim_size size, sim_place place, sim_slot slot)
{
	sim_addr addr = 0;
	if (snap->chunk_count) {
		const sim_chunk_info last_v = gui_snapshot_chunk(snap, snap->chunk_count - 1), *last = &last_v;
		addr = last->addr + last->size;
	}
	sim_chunk_info c = {0};
	c.addr = addr;
	c.size = size;
	c.place = place;
	c.slot = slot;
	c.prev_inuse = true;
	c.request = place == SIM_PLACE_INUSE ? size - 8 : 0;
	ck_assert(gui_snapshot_add_chunk(snap, &c));
	return addr;
}

void helper_assert_same_chunk(sim_chunk_info got, sim_chunk_info want)
{
	ck_assert_uint_eq(got.addr, want.addr);
	ck_assert_uint_eq(got.size, want.size);
	ck_assert_uint_eq(got.request, want.request);
	ck_assert_int_eq(got.place, want.place);
	ck_assert_uint_eq(got.bin_pos, want.bin_pos);
	ck_assert_uint_eq(got.slot, want.slot);
	ck_assert_uint_eq(got.freed_slot, want.freed_slot);
	ck_assert_uint_eq(got.bin, want.bin);
	ck_assert_int_eq(got.prev_inuse, want.prev_inuse);
}

void helper_finish(gui_snapshot *snap)
{
	if (!snap->chunk_count)
		return;
	const sim_chunk_info last_v = gui_snapshot_chunk(snap, snap->chunk_count - 1), *last = &last_v;
	snap->brk = last->addr + last->size;
	if (last->place == SIM_PLACE_TOP) {
		snap->top = last->addr;
		snap->top_size = last->size;
	}
	snap->trim_threshold = 128 * 1024;
}

char *helper_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[size] = '\0';
		*len = (size_t)size;
	}
	return buf;
}

char *helper_load_scenario(const char *path, script *s, size_t *len)
{
	char *text = helper_read_file(path, len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	script_init(s);
	diag_list diags;
	diag_list_init(&diags);
	bool ok = script_parse(text, *len, s, &diags);
	for (size_t i = 0; i < diags.count && !ok; i++)
		fprintf(stderr, "%s:%u: %s\n", path, diags.items[i].line, diags.items[i].message);
	diag_list_release(&diags);
	ck_assert_msg(ok, "%s does not parse", path);
	return text;
}

const char *helper_font(void)
{
	static char path[1024];
	char err[512];
	return gui_font_find(NULL, path, sizeof path, err, sizeof err) == 0 ? path : NULL;
}

void helper_lesson_open(helper_lesson *l, const char *name, const char *lang)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", GUI_SCENARIOS, name);
	helper_lesson_open_path(l, path, lang);
}

void helper_lesson_open_path(helper_lesson *l, const char *path, const char *lang)
{
	l->source = helper_load_scenario(path, &l->sc, &l->len);
	gui_view_config vc = {&l->sc, l->sc.config, l->source, l->len, 0, lang, NULL, NULL, GUI_SOURCE_SCENARIO, NULL, NULL, NULL};
	char err[256];
	l->view = gui_view_new(&vc, err, sizeof err);
	ck_assert_msg(l->view, "%s", err);
}

void helper_lesson_close(helper_lesson *l)
{
	gui_view_free(l->view);
	script_release(&l->sc);
	free(l->source);
}

int helper_text_start(gui_text **text)
{
	const char *font = helper_font();
	if (!font) {
		fprintf(stderr, "no CJK font installed: skipping (install fonts-wqy-microhei)\n");
		return 77;
	}
	if (SDL_Init(0) != 0 || TTF_Init() != 0)
		return EXIT_FAILURE;
	char err[256];
	*text = gui_text_new(font, err, sizeof err);
	if (!*text) {
		fprintf(stderr, "%s\n", err);
		return EXIT_FAILURE;
	}
	return 0;
}

size_t helper_frame_count_text(gui_view *v, const char *wanted, bool exact)
{
	gui_metrics m = helper_fake_metrics();
	gui_drawlist list;
	gui_drawlist_init(&list);
	ck_assert(gui_view_frame(v, 1280, 720, &m, &list));
	size_t n = 0;
	for (size_t i = 0; i < list.count; i++)
		if (list.cmds[i].kind == GUI_CMD_TEXT) {
			const char *t = gui_cmd_text(&list, &list.cmds[i]);
			n += exact ? strcmp(t, wanted) == 0 : strstr(t, wanted) != NULL;
		}
	gui_drawlist_release(&list);
	return n;
}
