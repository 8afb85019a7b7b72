/* check.c — `brksim check` (being wired to lang/expect.c). */
#include <stdio.h>

#include "commands.h"

int check_command(const app_options *options)
{
	(void)options;
	fputs("brksim: error: check is not wired yet\n", stderr);
	return 2;
}
