/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/common/test_files.h"

char *helper_read_file(const char *path, size_t *len)
{
	char *buf = test_read_file(path, len);
	ck_assert_msg(buf != NULL, "cannot read %s", path);
	return buf;
}

const char *helper_replayer(void)
{
	static char path[4096];
	ck_assert_msg(verify_find_replayer(path, sizeof path), "brksim-replay not found (BRKSIM_REPLAY unset?)");
	return path;
}

const char *helper_data_dir(void)
{
	const char *d = getenv("BRKSIM_VERIFY_DATA");
	ck_assert_msg(d != NULL, "BRKSIM_VERIFY_DATA is not set");
	return d;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **helper_list_ops(const char *sub, size_t *count)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", helper_data_dir(), sub);
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	size_t n = 0, cap = 16;
	char **list = malloc((cap + 1) * sizeof *list);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".ops") != 0)
			continue;
		if (n == cap) {
			cap *= 2;
			list = realloc(list, (cap + 1) * sizeof *list);
		}
		size_t pl = strlen(dir) + l + 2;
		list[n] = malloc(pl);
		snprintf(list[n], pl, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(list, n, sizeof *list, cmp_str);
	list[n] = NULL;
	*count = n;
	return list;
}

void helper_free_list(char **list)
{
	for (size_t i = 0; list[i]; i++)
		free(list[i]);
	free(list);
}

void helper_replay(const char *text, size_t len, const char *tunables, sim_touch touch, bool top_by_walk,
                   verify_replay_output *raw, ops_results *results)
{
	verify_replay_args args = {
		.replayer = helper_replayer(),
		.tunables = tunables,
		.touch = touch,
		.measure_top = true,
		.top_by_walk = top_by_walk,
		.measure_rss = true,
	};
	helper_replay_args(&args, text, len, raw, results);
}

void helper_replay_args(const verify_replay_args *args, const char *text, size_t len, verify_replay_output *raw,
                        ops_results *results)
{
	char why[256] = "";
	ck_assert_msg(verify_replay_spawn(args, text, len, raw, why, sizeof why), "spawn failed: %s", why);
	size_t bad = 0;
	ck_assert_msg(ops_results_parse(raw->out, raw->out_len, results, &bad), "malformed replayer line %zu:\n%s", bad,
	              raw->out);
}
