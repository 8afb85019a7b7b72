/* record.c — `brksim record` (being wired to lang/expect.c). */
#include <stdio.h>

#include "commands.h"

int record_command(const app_options *options)
{
	(void)options;
	fputs("brksim: error: record is not wired yet\n", stderr);
	return 2;
}
