/* foreign-malloc-target.c — a program whose malloc is not glibc's (it is
 * linked with guard-malloc, as a program is with jemalloc): allocations
 * small and large, a realloc, a calloc, frees; prints "ok". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *keep[20];
	for (int i = 0; i < 20; i++) {
		keep[i] = malloc((size_t)(i + 1) * 3000);
		if (keep[i] == NULL)
			return 3;
		memset(keep[i], i, (size_t)(i + 1) * 3000);
	}
	char *grown = realloc(keep[0], 200000);
	if (grown == NULL || grown[2999] != 0)
		return 4;
	keep[0] = grown;
	int *zeros = calloc(100, sizeof *zeros);
	if (zeros == NULL || zeros[99] != 0)
		return 5;
	for (int i = 0; i < 20; i += 2)
		free(keep[i]);
	free(zeros);
	puts("ok");
	return 0;
}
