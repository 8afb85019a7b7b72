/* verify.c — `brksim verify` (being wired to lang/expect.c). */
#include <stdio.h>

#include "commands.h"

int verify_command(const app_options *options)
{
	(void)options;
	fputs("brksim: error: verify is not wired yet\n", stderr);
	return 2;
}
