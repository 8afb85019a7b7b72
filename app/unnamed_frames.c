/* unnamed_frames.c — see unnamed_frames.h. */
#include "unnamed_frames.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

void say_unnamed_frames(uint64_t unnamed, uint64_t looked_up, size_t objects, const char *example, bool fetched)
{
	/* (a few unnamed frames, a library's static functions, are the
	 * usual case and name no site of the program's) */
	if (unnamed == 0 || unnamed * 10 < looked_up)
		return;
	fprintf(stderr,
	        "brksim: note: %" PRIu64 " of the %" PRIu64 " frames have no name (%zu object%s without debug "
	        "information or symbols for them here, most of them in %s), so their call sites read object+offset",
	        unnamed, looked_up, objects, objects == 1 ? "" : "s", example);
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (fetched)
		fputs("; the servers in DEBUGINFOD_URLS did not have them either\n", stderr);
	else if (urls && *urls)
		fputs("; --debuginfod fetches what the servers in DEBUGINFOD_URLS have (record again with it, or record "
		      "with --no-symbols and then brksim symbolize --debuginfod)\n",
		      stderr);
	else
		fputs("; install their debug symbols (Debian: the -dbgsym packages of the debian-debug archive), or set "
		      "DEBUGINFOD_URLS (Debian: https://debuginfod.debian.net) and add --debuginfod\n",
		      stderr);
}

bool debuginfod_ready(void)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (urls && *urls)
		return true;
	fputs("brksim: error: --debuginfod asks the debuginfod servers in DEBUGINFOD_URLS, which is not set (Debian's: "
	      "DEBUGINFOD_URLS=https://debuginfod.debian.net)\n",
	      stderr);
	return false;
}
