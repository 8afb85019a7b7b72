/* show.c — `brksim show` (being wired to lang/expect.c). */
#include <stdio.h>

#include "commands.h"

int show_command(const app_options *options)
{
	(void)options;
	fputs("brksim: error: show is not wired yet\n", stderr);
	return 2;
}
