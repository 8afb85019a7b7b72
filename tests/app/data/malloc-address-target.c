/* malloc-address-target.c — built as a non-PIE executable that takes
 * malloc's address (as node is): its dynamic symbol `malloc` is undefined
 * but has a value, its PLT entry, which is what dlsym finds first. The
 * calls through it still reach the first definition: the recorder's. */
#include <stdio.h>
#include <stdlib.h>

void *(*volatile allocate)(size_t);

int main(void)
{
	allocate = malloc; /* in code, without PIC: malloc's address is absolute */
	char *p = allocate(100);
	if (p == NULL)
		return 3;
	p[0] = 1;
	free(p);
	puts("ok");
	return 0;
}
