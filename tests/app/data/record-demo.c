/* record-demo.c — a small program for `brksim record` end-to-end tests:
 * growing blocks, most freed (one pins the top), an mmapped block, a
 * malloc_trim, then the pin freed. */
#include <malloc.h>
#include <stdlib.h>

int main(void)
{
	void *p[100];
	for (int i = 0; i < 100; i++)
		p[i] = malloc(100 + (size_t)i * 300);
	for (int i = 0; i < 99; i++)
		free(p[i]);
	void *big = malloc(200000);
	free(big);
	malloc_trim(0);
	free(p[99]);
	return 0;
}
