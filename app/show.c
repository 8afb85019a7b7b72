/* show.c — `brksim show FILE`: hands the loaded file to the SDL view
 * (gui/gui.h). Without FILE nothing is guessed: the README's command
 * passes the default lesson explicitly. */
#include <stdio.h>

#include "commands.h"
#include "gui/gui.h"
#include "load.h"

int show_command(const app_options *options)
{
	loaded_file file;
	int status = load_file(options->files[0], options, &file, stderr);
	if (status != 0) {
		loaded_file_release(&file);
		return status;
	}
	gui_options gui = {
		.path = file.path,
		/* A trace's lines are its source too: op_line points into them. */
		.source = file.bytes,
		.source_len = file.len,
		.script = &file.script,
		.config = file.config,
		.start_step = options->step,
		.screenshot_path = options->screenshot,
		.width = options->width,
		.height = options->height,
		.lang = options->lang,
	};
	char err[512] = "";
	status = gui_show(&gui, err, sizeof err);
	if (status != 0)
		fprintf(stderr, "brksim: error: %s\n", err[0] ? err : "the view failed");
	loaded_file_release(&file);
	return status;
}
