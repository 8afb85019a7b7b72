/* source_pack.c — see source_pack.h. */
#include "source_pack.h"

#include <SDL.h>
#include <stdbool.h>
#include <stdlib.h>

struct gui_source_pack {
	const char *text;
	size_t len;
	void (*release)(void *context);
	void *context;
	SDL_atomic_t stop; /* 1: the window closed, packing need not finish */
	SDL_Thread *thread; /* NULL: packed at once */
	gui_source_text *packed;
};

/* gui_source_text_new_watched's callback: goes on until told to stop. */
static bool goes_on(void *context, double fraction)
{
	(void)fraction;
	gui_source_pack *p = context;
	return SDL_AtomicGet(&p->stop) == 0;
}

static int pack(void *context)
{
	gui_source_pack *p = context;
	p->packed = gui_source_text_new_watched(p->text, p->len, goes_on, p, NULL);
	if (p->packed != NULL)
		p->release(p->context);
	return 0;
}

gui_source_pack *gui_source_pack_start(const char *text, size_t len, void (*release)(void *context), void *context)
{
	gui_source_pack *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	*p = (gui_source_pack){.text = text, .len = len, .release = release, .context = context};
	p->thread = SDL_CreateThread(pack, "brksim-pack", p);
	if (p->thread == NULL)
		(void)pack(p);
	return p;
}

gui_source_text *gui_source_pack_finish(gui_source_pack *p)
{
	if (p == NULL)
		return NULL;
	if (p->thread != NULL)
		SDL_WaitThread(p->thread, NULL);
	gui_source_text *packed = p->packed;
	free(p);
	return packed;
}

void gui_source_pack_stop(gui_source_pack *p)
{
	if (p != NULL)
		SDL_AtomicSet(&p->stop, 1);
}
