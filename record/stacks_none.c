/* stacks_none.c — brksim-record.so built without libunwind: no stacks.
 * The same interface as stacks.c (stacks.h); every call records depth 0,
 * so the records carry no `@ID` and the recording says `# stack-depth 0`. */
#include "stacks.h"

__thread int stacks_t_unwinding __attribute__((tls_model("initial-exec")));

bool stacks_start(unsigned depth, const char *exe)
{
	(void)depth;
	(void)exe;
	return true;
}

unsigned stacks_depth(void)
{
	return 0;
}

unsigned stacks_capture(uintptr_t *out)
{
	(void)out;
	return 0;
}

uint32_t stacks_intern(const uintptr_t *frames, unsigned n, stacks_emit emit)
{
	(void)frames;
	(void)n;
	(void)emit;
	return 0;
}

void stacks_forget(void)
{
}

uint64_t stacks_unwinder_bytes(void)
{
	return 0;
}

void stacks_count_unwinder_bytes(size_t n)
{
	(void)n;
}
