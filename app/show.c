/* show.c — `brksim show [FILE]`: hands the loaded file to the SDL view
 * (gui/gui.h), loaded as a module when it runs (gui/module.h). Without
 * FILE it opens the bundled default lesson, looked up where an installed
 * or a built-in-place brksim keeps it. Must not: touch SDL (gui/ does) or
 * parse the file (load.c does). */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lang/break_on.h"
#include "gui/module.h"
#include "io/helper_path.h"
#include "lang/utf8.h"
#include "load.h"
#include "versus.h"

/* Appends to each of the file's titles the suffix in its language (an
 * untagged one in --lang's): what the window shows is not what the
 * file alone would show. Nothing on failure. */
static void title_append(script *s, const app_options *options, const char *en, const char *zh_text)
{
	bool lang_zh = app_options_lang(options) == SIM_LANG_ZH;
	for (size_t i = 0; i < s->title_count; i++) {
		script_title *t = &s->titles[i];
		bool zh = t->lang[0] ? strncmp(t->lang, "zh", 2) == 0 : lang_zh;
		const char *suffix = zh ? zh_text : en;
		size_t len = strlen(t->text), n = strlen(suffix);
		char *text = malloc(len + n + 1);
		if (text == NULL)
			return;
		memcpy(text, t->text, len);
		memcpy(text + len, suffix, n + 1);
		if (s->title == t->text) /* (it aliases the first title) */
			s->title = text;
		free(t->text);
		t->text = text;
	}
}

/* --trim-every: the title says the what-if is on (only a trim's step
 * says it otherwise). */
static void title_whatif(script *s, const app_options *options)
{
	char en[128], zh[128];
	snprintf(en, sizeof en, " · what if: malloc_trim(%llu) after every %llu calls",
	         (unsigned long long)options->trim_pad, (unsigned long long)options->trim_every);
	snprintf(zh, sizeof zh, " · 假设：每 %llu 次调用后 malloc_trim(%llu)", (unsigned long long)options->trim_every,
	         (unsigned long long)options->trim_pad);
	title_append(s, options, en, zh);
}

/* A recording that ends before its program did: the last step is not
 * the program's end, which the title says, as the terminal does. */
static void title_ends_early(const loaded_file *file, script *s, const app_options *options)
{
	const char *en = load_partial_title(file, SIM_LANG_EN);
	if (*en)
		title_append(s, options, en, load_partial_title(file, SIM_LANG_ZH));
}

/* A file that names no title (a trace, a .ops, a lesson without one) is
 * shown under its own file name: the window's header and a screenshot
 * say which file it is, where they said "brksim". Escaped as the
 * recordings' titles are (a name need not be UTF-8); nothing on failure. */
static void title_from_path(script *s, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL && slash[1] != '\0' ? slash + 1 : path;
	char title[256];
	size_t len = 0;
	utf8_escape(name, strlen(name), UTF8_ESCAPE_LINE, title, sizeof title, &len);
	if (len > 0)
		(void)script_add_title(s, 0, "", title, len);
}

/* The default lesson: $BRKSIM_SCENARIOS, the installed data directory,
 * then relative to the executable (installed tree, then build tree). */
static bool find_default_lesson(char *buf, size_t size)
{
	const char *env = getenv("BRKSIM_SCENARIOS");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash != NULL)
		*slash = '\0';
	const char *dirs[] = {env, BRKSIM_DATADIR "/scenarios", "../share/brksim/scenarios", "../../scenarios",
			      "../scenarios"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (dirs[i] == NULL)
			continue;
		if (dirs[i][0] == '/')
			snprintf(buf, size, "%s/default.heap", dirs[i]);
		else
			snprintf(buf, size, "%s/%s/default.heap", exe, dirs[i]);
		if (access(buf, R_OK) == 0)
			return true;
	}
	return false;
}

/* The SDL view (brksim-gui.so), found as the recorder's library is
 * (io/helper_path.h). NULL with `why` said when none loads, or the one
 * that loads is another build's. */
/* gui_options.release_source: the file's text, packed by the window,
 * goes back. */
static void release_text(void *context)
{
	char **bytes = context;
	free(*bytes);
	*bytes = NULL;
}

static const gui_module *load_gui(char *why, size_t why_size)
{
	char path[PATH_MAX];
	static const char *const build_dirs[] = {"../gui"};
	if (!helper_path_find(GUI_MODULE_NAME, build_dirs, 1, path, sizeof path)) {
		snprintf(why, why_size, "the SDL view (" GUI_MODULE_NAME ") is not in %s", helper_path_libdir());
		return NULL;
	}
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		const char *e = dlerror();
		snprintf(why, why_size, "the SDL view could not be loaded: %s", e ? e : path);
		return NULL;
	}
	const gui_module *m = dlsym(lib, GUI_MODULE_SYMBOL);
	if (m == NULL || strcmp(m->version, BRKSIM_VERSION) != 0 || m->options_size != sizeof(gui_options)) {
		snprintf(why, why_size, "%s is not this brksim's SDL view (another build's?)", path);
		dlclose(lib);
		return NULL;
	}
	/* (never closed: the view is the rest of the process's work) */
	return m;
}

int show_command(const app_options *options)
{
	char default_path[PATH_MAX + 32];
	const char *path = options->file_count > 0 ? options->files[0] : NULL;
	if (path == NULL) {
		if (!find_default_lesson(default_path, sizeof default_path)) {
			fprintf(stderr, "brksim: error: no FILE given and the bundled default lesson (default.heap) was "
					"not found; set BRKSIM_SCENARIOS to the lessons' directory\n");
			return 2;
		}
		path = default_path;
	}
	/* --compare A,B: the file under each profile, two heaps on one timeline */
	versus_set set;
	bool comparing = options->compare != NULL;
	loaded_file single;
	loaded_file *files = &single;
	int status;
	if (comparing) {
		status = versus_load(path, options, &set, stderr);
		if (status != 0)
			return status;
		if (set.count != 2) {
			fprintf(stderr, "brksim: error: show --compare takes two profiles (the window stacks two heaps); "
			                "run --compare takes more\n");
			versus_set_release(&set);
			return 2;
		}
		files = set.file;
	} else {
		status = load_file(path, options, &single, stderr);
		if (status != 0) {
			loaded_file_release(&single);
			return status;
		}
	}
	if (files[0].script.title == NULL)
		title_from_path(&files[0].script, path);
	for (size_t i = 0; i < (comparing ? 2u : 1u); i++) {
		title_ends_early(&files[i], &files[i].script, options);
		if (options->trim_every != 0)
			title_whatif(&files[i].script, options);
	}
	loaded_file file = files[0];
	/* A recording is shown as the glibc that made it: say so (and any
	 * other choice the user did not make explicitly). */
	sim_lang words = app_options_lang(options);
	load_print_profile_choice(&file, words, stderr);
	load_print_dropped_settings(&file, words, stderr);
	load_print_unnamed_frames(&file, words, stderr);
	load_print_partial(&file, words, stderr);
	gui_view_side second = {0};
	if (comparing) {
		load_print_dropped_settings(&files[1], words, stderr);
		second = (gui_view_side){&files[1].script, files[1].config, versus_name(&set, 1)};
	}
	/* The window never compares with what the recording says each call
	 * returned (run and verify do): those 32 bytes an op go back. */
	if (!comparing) {
		free(single.extra.recorded);
		single.extra.recorded = NULL;
		single.extra.recorded_count = 0;
		file.extra.recorded = NULL;
		file.extra.recorded_count = 0;
		/* Nor does it read an op's column (only the parser's warnings
		 * did, all printed by now): 4 bytes an op. */
		free(single.script.op_col);
		single.script.op_col = NULL;
		file.script.op_col = NULL;
	}
	/* --break-on: playing stops after each step that meets it (the
	 * names it frees are this side's) */
	break_on_spec break_on;
	char why[PATH_MAX + 256];
	bool break_on_ok = break_on_parse(options->break_on, &file.script, file.script.op_count, &break_on, why, sizeof why);
	/* A recording with stacks: the window looks each slot's call site up
	 * in them (the pin callout, the tooltips, the event log, search). */
	const trace_stacks *st = &file.extra.stacks;
	const gui_module *gui_lib = break_on_ok ? load_gui(why, sizeof why) : NULL;
	if (gui_lib == NULL) {
		fprintf(stderr, "brksim: error: %s\n", why);
		if (comparing)
			versus_set_release(&set);
		else
			loaded_file_release(&single);
		return 2;
	}
	gui_options gui = {
		.path = file.path,
		.stacks = file.kind == LOADED_TRACE && st->stack_count > 0 ? st : NULL,
		.source_kind = file.kind == LOADED_SCENARIO                          ? GUI_SOURCE_SCENARIO
			       : file.extra.format == TRACE_FORMAT_RECORDING ? GUI_SOURCE_RECORDING
									     : GUI_SOURCE_TRACE,
		/* A trace's lines are its source too: op_line points into them. */
		.source = file.bytes,
		.source_len = file.len,
		/* The text is shown a few lines at a time, in the source panel:
		 * the window keeps it packed (a 1.29M-call recording's 33 MB
		 * become 5.5 MB, packed while it builds its timeline) and the
		 * file's bytes go back once packed (release_text: called on the
		 * packing thread; nothing here reads them meanwhile). */
		.release_source = release_text,
		.release_context = &files[0].bytes,
		.script = &file.script,
		.config = file.config,
		/* a joined child's recording opens where the child began, its
		 * heap as its parent left it (the parent's steps stay behind) */
		.start_step = options->step_given ? options->step : (long)file.extra.fork_joined_step,
		.screenshot_path = options->screenshot,
		.width = options->width,
		.height = options->height,
		.lang = options->lang,
		.present = options->present,
		.arena_given = options->arena >= 0,
		.arena = options->arena >= 0 ? (uint32_t)options->arena : 0,
		.compare = comparing ? &second : NULL,
		.label = comparing ? versus_name(&set, 0) : NULL,
		.break_on = break_on_any(&break_on) ? &break_on : NULL,
	};
	char err[512] = "";
	/* A font without Chinese glyphs draws Chinese captions as boxes: say so
	 * (gui_show looks the font up the same way and reports a missing one). */
	char font[1024], warning[512], font_err[512];
	if (gui_lib->font_find_checked(NULL, font, sizeof font, warning, sizeof warning, font_err, sizeof font_err) == 0 &&
	    warning[0])
		fprintf(stderr, "brksim: warning: %s\n", warning);
	status = gui_lib->show(&gui, err, sizeof err);
	if (status != 0)
		fprintf(stderr, "brksim: error: %s\n", err[0] ? err : "the view failed");
	if (comparing)
		versus_set_release(&set);
	else
		loaded_file_release(&single);
	return status;
}
