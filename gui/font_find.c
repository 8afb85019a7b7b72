/* font_find.c — font search through fontconfig (see font_find.h). */
#include "font_find.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int use(const char *path, char *out, size_t out_size)
{
	snprintf(out, out_size, "%s", path);
	return 0;
}

/* The best match for `pattern_text` whose font covers Chinese; its file
 * into out. */
static bool fc_find(FcConfig *config, const char *pattern_text, char *out, size_t out_size)
{
	FcPattern *pattern = FcNameParse((const FcChar8 *)pattern_text);
	if (!pattern)
		return false;
	FcConfigSubstitute(config, pattern, FcMatchPattern);
	FcDefaultSubstitute(pattern);
	FcResult result = FcResultNoMatch;
	FcPattern *match = FcFontMatch(config, pattern, &result);
	bool found = false;
	FcChar8 *file = NULL;
	FcCharSet *chars = NULL;
	if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetCharSet(match, FC_CHARSET, 0, &chars) == FcResultMatch && FcCharSetHasChar(chars, 0x4E2D) &&
	    FcCharSetHasChar(chars, 0x5757) && FcCharSetHasChar(chars, 'A') && access((const char *)file, R_OK) == 0) {
		use((const char *)file, out, out_size);
		found = true;
	}
	if (match)
		FcPatternDestroy(match);
	FcPatternDestroy(pattern);
	return found;
}

bool gui_font_has_cjk(const char *path)
{
	int count = 0;
	FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
	if (!p)
		return false;
	FcCharSet *chars = NULL;
	bool has = FcPatternGetCharSet(p, FC_CHARSET, 0, &chars) == FcResultMatch;
	static const FcChar32 probe[] = {0x4E2D, 0x6587, 0x5806, 0x5757}; /* 中 文 堆 块 */
	for (size_t i = 0; has && i < sizeof probe / sizeof probe[0]; i++)
		has = FcCharSetHasChar(chars, probe[i]);
	FcPatternDestroy(p);
	return has;
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
	/* The font the screenshots and pixel tests are drawn with, then any
	 * sans-serif font fontconfig knows for Simplified Chinese. */
	/* A configuration of our own, destroyed after: fontconfig's global one
	 * would stay allocated until exit. */
	FcConfig *config = FcInitLoadConfigAndFonts();
	bool found = config && (fc_find(config, GUI_FONT_FAMILY, out, out_size) ||
				fc_find(config, "sans-serif:lang=zh-cn", out, out_size) ||
				fc_find(config, ":lang=zh-cn", out, out_size));
	if (config)
		FcConfigDestroy(config);
	if (found)
		return 0;
	snprintf(err, err_size,
		 "no font with Chinese and Latin characters found (fontconfig has none for lang=zh-cn); "
		 "install one with 'apt-get install %s', or set BRKSIM_FONT=/path/to/font.ttf",
		 GUI_FONT_PACKAGE);
	return 2;
}

int gui_font_find_checked(const char *explicit_path, char *out, size_t out_size, char *warning, size_t warning_size,
			  char *err, size_t err_size)
{
	if (warning_size)
		warning[0] = '\0';
	int status = gui_font_find(explicit_path, out, out_size, err, err_size);
	if (status == 0 && !gui_font_has_cjk(out))
		snprintf(warning, warning_size,
			 "the font %s has no Chinese glyphs: Chinese text will show as boxes (unset BRKSIM_FONT, or "
			 "choose a CJK font such as %s)",
			 out, GUI_FONT_FAMILY);
	return status;
}
