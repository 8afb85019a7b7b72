/* lessons.c — see lessons.h. */
#include "lessons.h"

#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "lang/diag.h"
#include "tests/common/test_files.h"
#include "verify/random_trace.h"

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

void core_seed_trace(uint64_t seed, size_t op_count, sim_config *config, sim_op **ops, size_t *count,
		     const char **version)
{
	static const struct {
		random_glibc glibc;
		sim_profile profile;
	} releases[] = {
		{RANDOM_GLIBC_2_36, SIM_GLIBC_2_36}, {RANDOM_GLIBC_2_3_6, SIM_GLIBC_2_3_6}, {RANDOM_GLIBC_2_31, SIM_GLIBC_2_31},
		{RANDOM_GLIBC_2_41, SIM_GLIBC_2_41}, {RANDOM_GLIBC_2_43, SIM_GLIBC_2_43},
	};
	size_t r = seed % (sizeof releases / sizeof releases[0]);
	*config = random_trace_config_for(seed, releases[r].glibc, releases[r].profile);
	random_trace_options opt = random_trace_seed_options(seed, releases[r].glibc, seed % 2 == 0, config);
	opt.op_count = op_count;
	if (seed % 3 == 0)
		opt.threads = random_trace_seed_threads(seed);
	ck_assert(random_trace_generate(seed, &opt, ops, count));
	*version = random_glibc_version(releases[r].glibc);
}

sim_heap *core_replayed(const sim_config *config, const sim_op *ops, size_t count)
{
	sim_heap *heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(heap);
	for (size_t i = 0; i < count; i++) {
		sim_result r;
		ck_assert(sim_heap_step(heap, &ops[i], NULL, &r));
	}
	return heap;
}
