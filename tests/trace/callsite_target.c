/* callsite_target.c — a program whose late small allocation pins freed
 * buffers under the top of the heap: the recording's summary and trim
 * verdicts must name that allocation's function and its file:line.
 *
 * Built twice by meson (tests/trace/meson.build), both with -g: at -O0,
 * and at -O2 -fomit-frame-pointer, where the stack can only be unwound
 * from the DWARF call-frame information. The test finds the expected
 * line by the marker comments below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFERS 48

static char *buffers[BUFFERS];
static void *session;

/* 48 buffers of 4000 bytes: 192 KiB of the brk heap. */
__attribute__((noinline)) static void fill_buffers(void)
{
	for (int i = 0; i < BUFFERS; i++) {
		buffers[i] = malloc(4000); /* SITE: fill_buffers */
		memset(buffers[i], i, 4000);
	}
}

/* A late, small allocation: it lands at the top, above the buffers. */
__attribute__((noinline)) static void remember_session(int id)
{
	char *s = malloc(48); /* SITE: remember_session */
	snprintf(s, 48, "session %d", id);
	session = s;
}

__attribute__((noinline)) static void drop_buffers(void)
{
	for (int i = 0; i < BUFFERS; i++)
		free(buffers[i]);
}

int main(void)
{
	fill_buffers();
	remember_session(7);
	/* The buffers are freed, but the session pins them below the top. */
	drop_buffers();
	return ((char *)session)[0] == 's' ? 0 : 1;
}
