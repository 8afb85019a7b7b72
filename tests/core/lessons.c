/* lessons.c — see lessons.h. */
#include "lessons.h"

#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "lang/diag.h"
#include "tests/common/test_files.h"

void core_each_lesson(void (*each)(const script *s, const char *path, void *ctx), void *ctx)
{
	const char *root = getenv("BRKSIM_SOURCE_DIR");
	ck_assert_msg(root != NULL, "BRKSIM_SOURCE_DIR is not set");
	char pattern[4096];
	snprintf(pattern, sizeof pattern, "%s/scenarios/*.heap", root);
	glob_t g;
	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	ck_assert_uint_gt(g.gl_pathc, 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t len;
		char *text = test_read_file(g.gl_pathv[i], &len);
		ck_assert_msg(text != NULL, "cannot read %s", g.gl_pathv[i]);
		script s;
		script_init(&s);
		diag_list diags;
		diag_list_init(&diags);
		ck_assert_msg(script_parse(text, len, &s, &diags), "%s does not parse", g.gl_pathv[i]);
		each(&s, g.gl_pathv[i], ctx);
		diag_list_release(&diags);
		script_release(&s);
		free(text);
	}
	globfree(&g);
}
