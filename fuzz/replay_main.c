/* replay_main.c — runs saved inputs through a harness without libFuzzer:
 * every file named on the command line, or every file in a directory
 * named there. Used by the test suite for the seed corpora and for
 * fuzz/regressions/ (inputs that once crashed), in every build
 * configuration including ASan+UBSan. Exit 0 when every input ran. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

/* Reads a whole file into an exact-size buffer (so ASan sees reads past
 * its end) and runs it; 1 when it cannot be read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return 1;
	}
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

/* A file, or every file under a directory (dotfiles skipped). */
static int run_path(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	DIR *d = opendir(path);
	if (!d)
		return 1;
	int failures = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		failures += run_path(sub, count);
	}
	closedir(d);
	return failures;
}

int main(int argc, char **argv)
{
	int failures = 0, count = 0;
	for (int i = 1; i < argc; i++)
		failures += run_path(argv[i], &count);
	printf("%d inputs run, %d unreadable\n", count, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
