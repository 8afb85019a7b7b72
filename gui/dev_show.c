/* dev_show.c — brksim-gui-dev: a development driver for the view that
 * parses a scenario and calls gui_show, as `brksim show` does.
 *
 * Owns: nothing the product needs; it exists so the GUI can be run and
 * screenshotted on its own. Usage:
 *   brksim-gui-dev FILE [--step N] [--screenshot OUT.png] [--size WxH] [--lang xx] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/script.h"
#include "gui.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	gui_options options = {0};
	options.start_step = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--step") == 0 && i + 1 < argc)
			options.start_step = atol(argv[++i]);
		else if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
			options.screenshot_path = argv[++i];
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%dx%d", &options.width, &options.height);
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			options.lang = argv[++i];
		else
			options.path = argv[i];
	}
	if (!options.path) {
		fprintf(stderr, "usage: brksim-gui-dev FILE [--step N] [--screenshot OUT.png] [--size WxH] [--lang xx]\n");
		return 2;
	}
	size_t len = 0;
	char *text = read_file(options.path, &len);
	if (!text) {
		fprintf(stderr, "brksim-gui-dev: cannot read %s\n", options.path);
		return 2;
	}
	script s;
	script_init(&s);
	diag_list diags;
	diag_list_init(&diags);
	if (!script_parse(text, len, &s, &diags)) {
		for (size_t i = 0; i < diags.count; i++) {
			char *msg = diag_render(&diags.items[i], options.path, text, len);
			fprintf(stderr, "%s\n", msg ? msg : "error");
			free(msg);
		}
		return 1;
	}
	options.source = text;
	options.source_len = len;
	options.script = &s;
	options.config = s.config;
	char err[512];
	int status = gui_show(&options, err, sizeof err);
	if (status != 0)
		fprintf(stderr, "brksim-gui-dev: %s\n", err);
	diag_list_release(&diags);
	script_release(&s);
	free(text);
	return status;
}
