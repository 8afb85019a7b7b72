/* alloc_fail.c — see alloc_fail.h. */
#include "alloc_fail.h"

#include <stdint.h>

alloc_fail_state alloc_fail = {.fail_at = SIZE_MAX};

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);

void alloc_fail_arm(size_t fail_at, bool sticky)
{
	alloc_fail = (alloc_fail_state){.armed = true, .sticky = sticky, .fail_at = fail_at};
}

void alloc_fail_disarm(void)
{
	alloc_fail.armed = false;
}

void alloc_fail_resume(void)
{
	alloc_fail.armed = true;
}

static bool fails(size_t bytes)
{
	if (!alloc_fail.armed)
		return false;
	if (bytes > alloc_fail.largest)
		alloc_fail.largest = bytes;
	size_t call = alloc_fail.calls++;
	bool fail = call == alloc_fail.fail_at || (alloc_fail.sticky && call > alloc_fail.fail_at);
	alloc_fail.failed += fail;
	return fail;
}

void *__wrap_malloc(size_t size)
{
	return fails(size) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	return fails(size && count > SIZE_MAX / size ? SIZE_MAX : count * size) ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fails(size) ? NULL : __real_realloc(p, size);
}
