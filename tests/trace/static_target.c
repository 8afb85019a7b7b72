/* static_target.c — a statically linked program (tests/trace/meson.build
 * links it with -static): no dynamic loader, so nothing can be preloaded
 * into it, and `brksim record` must refuse it up front. */
#include <stdlib.h>

int main(void)
{
	void *volatile p = malloc(1000);
	free(p);
	return 0;
}
