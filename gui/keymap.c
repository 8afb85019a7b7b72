/* keymap.c — the bindings and the help rows made from them (see
 * keymap.h). */
#include "keymap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum shift_rule { PLAIN = 0, SHIFTED, EITHER };

typedef struct binding {
	const char *key;   /* SDL_GetKeyName's name */
	uint8_t shift;     /* shift_rule */
	bool alias;        /* another key for the same action, left out of the help */
	gui_action action;
} binding;

static const binding bindings[] = {
	{"Space", EITHER, false, GUI_ACT_PLAY_PAUSE},
	{"Right", EITHER, false, GUI_ACT_STEP_FORWARD},
	{"Left", EITHER, false, GUI_ACT_STEP_BACK},
	{"Up", EITHER, false, GUI_ACT_FASTER},
	{"Down", EITHER, false, GUI_ACT_SLOWER},
	{"Home", EITHER, false, GUI_ACT_FIRST},
	{"End", EITHER, false, GUI_ACT_LAST},
	{"PageUp", EITHER, false, GUI_ACT_PAGE_BACK},
	{"PageDown", EITHER, false, GUI_ACT_PAGE_FORWARD},
	{"T", PLAIN, false, GUI_ACT_NEXT_TRIM},
	{"B", PLAIN, false, GUI_ACT_NEXT_GROW},
	{"C", PLAIN, false, GUI_ACT_NEXT_CONSOLIDATE},
	{"M", PLAIN, false, GUI_ACT_NEXT_MARK},
	{"A", PLAIN, false, GUI_ACT_NEXT_ABORT},
	{"X", PLAIN, false, GUI_ACT_NEXT_MMAP},
	{"T", SHIFTED, false, GUI_ACT_PREV_TRIM},
	{"B", SHIFTED, false, GUI_ACT_PREV_GROW},
	{"C", SHIFTED, false, GUI_ACT_PREV_CONSOLIDATE},
	{"M", SHIFTED, false, GUI_ACT_PREV_MARK},
	{"A", SHIFTED, false, GUI_ACT_PREV_ABORT},
	{"X", SHIFTED, false, GUI_ACT_PREV_MMAP},
	{"+", EITHER, false, GUI_ACT_ZOOM_IN},
	{"=", EITHER, true, GUI_ACT_ZOOM_IN}, /* + without Shift on US keyboards */
	{"Keypad +", EITHER, true, GUI_ACT_ZOOM_IN},
	{"-", EITHER, false, GUI_ACT_ZOOM_OUT},
	{"Keypad -", EITHER, true, GUI_ACT_ZOOM_OUT},
	{"0", EITHER, false, GUI_ACT_ZOOM_FIT},
	{"Keypad 0", EITHER, true, GUI_ACT_ZOOM_FIT},
	{"R", EITHER, false, GUI_ACT_REVEAL},
	{"P", EITHER, false, GUI_ACT_PRESENT},
	{"/", PLAIN, false, GUI_ACT_SEARCH},
	{"J", PLAIN, false, GUI_ACT_JUMP_ALLOC},
	{"J", SHIFTED, false, GUI_ACT_JUMP_FREE},
	{"G", EITHER, false, GUI_ACT_STORY},
	{"K", PLAIN, false, GUI_ACT_BREAKPOINT},
	{"F9", EITHER, false, GUI_ACT_BREAKPOINT}, /* a debugger's key for it */
	{"K", SHIFTED, false, GUI_ACT_CLEAR_BREAKPOINTS},
	{"]", EITHER, false, GUI_ACT_NEXT_ARENA},
	{"[", EITHER, false, GUI_ACT_PREV_ARENA},
	{"L", EITHER, false, GUI_ACT_LANGUAGE},
	{"F", EITHER, false, GUI_ACT_FULLSCREEN},
	{"F11", EITHER, false, GUI_ACT_FULLSCREEN},
	{"S", EITHER, false, GUI_ACT_SCREENSHOT},
	{"?", EITHER, false, GUI_ACT_HELP},
	{"/", SHIFTED, true, GUI_ACT_HELP}, /* ? on US keyboards */
	{"H", EITHER, false, GUI_ACT_HELP},
	{"F1", EITHER, false, GUI_ACT_HELP},
	{"Escape", EITHER, false, GUI_ACT_ESCAPE},
	{"Q", EITHER, false, GUI_ACT_QUIT},
};
#define BINDING_COUNT (sizeof bindings / sizeof bindings[0])

gui_action gui_keymap_action(const char *key_name, bool shift)
{
	for (size_t i = 0; i < BINDING_COUNT; i++) {
		const binding *b = &bindings[i];
		if (strcmp(b->key, key_name) != 0)
			continue;
		if (b->shift == EITHER || (b->shift == SHIFTED) == shift)
			return b->action;
	}
	return GUI_ACT_COUNT;
}

/* A help row: the actions whose keys it lists (a mouse row has none and
 * its own words for the gesture). */
enum { ROW_ACTIONS = 6 };
typedef struct help_row {
	gui_action actions[ROW_ACTIONS];
	size_t action_count;
	const char *gesture[GUI_UI_LANG_COUNT];
	const char *what[GUI_UI_LANG_COUNT];
} help_row;

#define ACTS(...) {__VA_ARGS__}, sizeof((gui_action[]){__VA_ARGS__}) / sizeof(gui_action)

static const help_row rows[] = {
	{ACTS(GUI_ACT_PLAY_PAUSE), {NULL, NULL},
	 {"play / pause (stops at pause marks and breakpoints)", "播放 / 暂停（在暂停处和断点处停下）"}},
	{ACTS(GUI_ACT_STEP_FORWARD, GUI_ACT_STEP_BACK), {NULL, NULL}, {"step forward / back (animated)", "前进 / 后退一步（动画）"}},
	{ACTS(GUI_ACT_FASTER, GUI_ACT_SLOWER), {NULL, NULL}, {"faster / slower", "加速 / 减速"}},
	{ACTS(GUI_ACT_FIRST, GUI_ACT_LAST), {NULL, NULL}, {"first / last step", "第一步 / 最后一步"}},
	{ACTS(GUI_ACT_PAGE_BACK, GUI_ACT_PAGE_FORWARD), {NULL, NULL},
	 {"back / forward 10 steps (a fiftieth of a long trace)", "后退 / 前进 10 步（长轨迹为总长的五十分之一）"}},
	{{0}, 0, {"click, drag timeline", "点击、拖动时间轴"}, {"seek", "跳转"}},
	{ACTS(GUI_ACT_NEXT_TRIM, GUI_ACT_NEXT_GROW, GUI_ACT_NEXT_CONSOLIDATE), {NULL, NULL},
	 {"next trim / brk growth / consolidation", "下一个 收缩 / brk 增长 / 合并"}},
	{ACTS(GUI_ACT_NEXT_MARK, GUI_ACT_NEXT_ABORT, GUI_ACT_NEXT_MMAP), {NULL, NULL},
	 {"next mark, pause or breakpoint / abort / mmap", "下一个 标记、暂停或断点 / 中止 / mmap"}},
	{ACTS(GUI_ACT_PREV_TRIM, GUI_ACT_PREV_GROW, GUI_ACT_PREV_CONSOLIDATE, GUI_ACT_PREV_MARK, GUI_ACT_PREV_ABORT,
	      GUI_ACT_PREV_MMAP),
	 {NULL, NULL}, {"the same, backwards", "同上，向后"}},
	{ACTS(GUI_ACT_ZOOM_IN, GUI_ACT_ZOOM_OUT), {"wheel", "滚轮"},
	 {"zoom the heap bar around the mouse", "以鼠标为中心缩放堆条"}},
	{ACTS(GUI_ACT_ZOOM_FIT), {"drag heap bar", "拖动堆条"},
	 {"pan / fit the heap again (follows it as it grows)", "平移 / 重新显示整个堆（随堆增长）"}},
	{{0}, 0, {"hover", "鼠标悬停"}, {"chunk details; a timeline flag shows its question", "块的详情；时间轴旗标显示其问题"}},
	{ACTS(GUI_ACT_REVEAL), {NULL, NULL},
	 {"at a pause: show the answer (pin, verdict) without moving on", "暂停时：不前进，直接显示答案（钉住的块、结论）"}},
	{ACTS(GUI_ACT_PRESENT), {NULL, NULL},
	 {"presentation mode: larger type, heap bar and caption only", "演示模式：字更大，只显示堆条和字幕"}},
	{ACTS(GUI_ACT_SEARCH), {NULL, NULL},
	 {"find a name, a thread, a call site, 0xADDRESS or a step number (Enter: the next one)",
	  "查找名字、线程、调用位置、0x地址或步骤号（Enter：下一个）"}},
	{ACTS(GUI_ACT_JUMP_ALLOC), {NULL, NULL},
	 {"to where the chunk under the mouse (else the step's) was allocated",
	  "跳到鼠标下的块（否则是本步的块）被分配的那一步"}},
	{ACTS(GUI_ACT_JUMP_FREE), {NULL, NULL}, {"to where that chunk is freed", "跳到那个块被释放的那一步"}},
	{ACTS(GUI_ACT_BREAKPOINT), {NULL, NULL},
	 {"breakpoint at this step on / off: playing stops there", "在本步设 / 取消断点：播放到那里会停下"}},
	{ACTS(GUI_ACT_CLEAR_BREAKPOINTS), {NULL, NULL}, {"remove all breakpoints", "删除全部断点"}},
	{ACTS(GUI_ACT_STORY), {NULL, NULL},
	 {"the RSS story: VmData, RSS and bytes in use over the whole run", "RSS 的变化：整个运行中的 VmData、RSS 和使用中的字节"}},
	{ACTS(GUI_ACT_NEXT_ARENA, GUI_ACT_PREV_ARENA), {NULL, NULL},
	 {"heap bar: next / previous arena (threads); past the last, each step's own arena again",
	  "堆条：下一个 / 上一个 arena（线程）；越过最后一个后，重新跟随每一步的 arena"}},
	{ACTS(GUI_ACT_LANGUAGE), {NULL, NULL}, {"switch caption language", "切换字幕语言"}},
	{ACTS(GUI_ACT_FULLSCREEN), {NULL, NULL}, {"fullscreen", "全屏"}},
	{ACTS(GUI_ACT_SCREENSHOT), {NULL, NULL}, {"save a screenshot (PNG, current folder)", "保存截图（PNG，当前目录）"}},
	{ACTS(GUI_ACT_HELP), {NULL, NULL}, {"this help", "本帮助"}},
	{ACTS(GUI_ACT_ESCAPE, GUI_ACT_QUIT), {NULL, NULL}, {"close help or fullscreen / quit", "关闭帮助或全屏 / 退出"}},
	{{0}, 0, {"timeline ticks", "时间轴刻度"},
	 {"green brk grows, vermillion trim, orange consolidation,", "绿色 brk 增长，朱红 收缩，橙色 合并，"}},
	{{0}, 0, {"", ""}, {"purple madvise, blue mmap, black abort; ▲ pause, | mark, ● breakpoint",
	             "紫色 madvise，蓝色 mmap，黑色 中止；▲ 暂停，| 标记，● 断点"}},
};
#define ROW_COUNT (sizeof rows / sizeof rows[0])

/* How a key is written for people. */
static const char *shown_name(const char *key, gui_ui_lang lang)
{
	static const struct {
		const char *key, *shown[GUI_UI_LANG_COUNT];
	} names[] = {
		{"Space", {"Space", "空格"}}, {"Right", {"→", "→"}},     {"Left", {"←", "←"}},   {"Up", {"↑", "↑"}},
		{"Down", {"↓", "↓"}},         {"PageUp", {"PgUp", "PgUp"}}, {"PageDown", {"PgDn", "PgDn"}},
		{"Escape", {"Esc", "Esc"}},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].key, key) == 0)
			return names[i].shown[lang];
	return key;
}

bool gui_keymap_row(size_t i, gui_ui_lang lang, gui_key_row *out)
{
	if (i >= ROW_COUNT)
		return false;
	if ((unsigned)lang >= GUI_UI_LANG_COUNT)
		lang = GUI_UI_EN;
	const help_row *r = &rows[i];
	size_t n = 0;
	out->keys[0] = '\0';
	bool all_shifted = r->action_count > 0;
	for (size_t a = 0; a < r->action_count; a++)
		for (size_t k = 0; k < BINDING_COUNT; k++)
			if (bindings[k].action == r->actions[a] && !bindings[k].alias)
				all_shifted = all_shifted && bindings[k].shift == SHIFTED;
	if (r->gesture[lang])
		n += (size_t)snprintf(out->keys + n, sizeof out->keys - n, "%s%s", r->gesture[lang], r->action_count ? ", " : "");
	if (all_shifted && n < sizeof out->keys)
		n += (size_t)snprintf(out->keys + n, sizeof out->keys - n, "Shift + ");
	bool first = true;
	for (size_t a = 0; a < r->action_count; a++)
		for (size_t k = 0; k < BINDING_COUNT && n < sizeof out->keys; k++) {
			const binding *b = &bindings[k];
			if (b->action != r->actions[a] || b->alias)
				continue;
			n += (size_t)snprintf(out->keys + n, sizeof out->keys - n, "%s%s", first ? "" : "  ",
					      shown_name(b->key, lang));
			first = false;
		}
	out->what = r->what[lang];
	return true;
}

size_t gui_keymap_markdown(char *buf, size_t size)
{
	size_t n = 0;
#define PUT(...)                                                                       \
	do {                                                                           \
		int k_ = snprintf(n < size ? buf + n : NULL, n < size ? size - n : 0, __VA_ARGS__); \
		if (k_ > 0)                                                            \
			n += (size_t)k_;                                               \
	} while (0)
	PUT("| keys | does |\n|---|---|\n");
	gui_key_row row;
	for (size_t i = 0; gui_keymap_row(i, GUI_UI_EN, &row); i++) {
		PUT("| %s | ", row.keys[0] ? row.keys : " ");
		for (const char *p = row.what; *p; p++) /* a '|' would end the cell */
			PUT(*p == '|' ? "\\|" : "%c", *p);
		PUT(" |\n");
	}
#undef PUT
	return n;
}

/* The help rows as gui_help_line arrays, made once: the window is one
 * thread, and the rows never change while it runs. */
const gui_help_line *gui_help_lines(gui_ui_lang lang)
{
	static gui_key_row made[GUI_UI_LANG_COUNT][ROW_COUNT];
	static gui_help_line lines[GUI_UI_LANG_COUNT][ROW_COUNT + 1];
	static bool ready[GUI_UI_LANG_COUNT];
	if ((unsigned)lang >= GUI_UI_LANG_COUNT)
		lang = GUI_UI_EN;
	if (!ready[lang]) {
		for (size_t i = 0; i < ROW_COUNT; i++) {
			gui_keymap_row(i, lang, &made[lang][i]);
			lines[lang][i] = (gui_help_line){made[lang][i].keys, made[lang][i].what};
		}
		lines[lang][ROW_COUNT] = (gui_help_line){NULL, NULL};
		ready[lang] = true;
	}
	return lines[lang];
}
