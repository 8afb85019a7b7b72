/* font_find.c — font search (see font_find.h). */
#include "font_find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const known_paths[] = {
	GUI_FONT_DEFAULT_PATH,                                      /* Debian, Ubuntu */
	"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", /* Fedora */
	"/usr/share/fonts/wenquanyi/wqy-microhei.ttc",
	"/usr/share/fonts/TTF/wqy-microhei.ttc", /* Arch */
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
};

static int use(const char *path, char *out, size_t out_size)
{
	snprintf(out, out_size, "%s", path);
	return 0;
}

int gui_font_find(const char *explicit_path, char *out, size_t out_size, char *err, size_t err_size)
{
	if (explicit_path && explicit_path[0]) {
		if (access(explicit_path, R_OK) == 0)
			return use(explicit_path, out, out_size);
		snprintf(err, err_size, "cannot read font '%s'", explicit_path);
		return 2;
	}
	const char *env = getenv("BRKSIM_FONT");
	if (env && env[0]) {
		if (access(env, R_OK) == 0)
			return use(env, out, out_size);
		snprintf(err, err_size, "cannot read font '%s' (from BRKSIM_FONT)", env);
		return 2;
	}
	for (size_t i = 0; i < sizeof known_paths / sizeof known_paths[0]; i++)
		if (access(known_paths[i], R_OK) == 0)
			return use(known_paths[i], out, out_size);
	snprintf(err, err_size,
		 "no font with Chinese and Latin characters found (looked for %s and other CJK fonts); "
		 "install one with 'apt-get install %s', or set BRKSIM_FONT=/path/to/font.ttf",
		 GUI_FONT_DEFAULT_PATH, GUI_FONT_PACKAGE);
	return 2;
}
