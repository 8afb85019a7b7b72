/* test_files.c — see test_files.h. */
#include "test_files.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	while (buf != NULL) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		char *grown = realloc(buf, cap + 1);
		if (grown == NULL)
			free(buf);
		buf = grown;
	}
	bool failed = ferror(f) != 0;
	fclose(f);
	if (buf == NULL || failed) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}
