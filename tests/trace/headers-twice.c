/* headers-twice.c — a build-only check: every trace/ header can be
 * included twice (its include guard covers all of it; import_util.h once
 * closed its guard 32 lines early, so a second inclusion redefined taddr).
 * Compiling is the test; running it only says so. */
#include "trace/import_util.h"
#include "trace/import_util.h"
#include "trace/importers.h"
#include "trace/importers.h"
#include "trace/trace.h"
#include "trace/trace.h"
#include "lang/diag.h"
#include "lang/diag.h"
#include "lang/utf8.h"
#include "lang/utf8.h"

int main(void)
{
	return 0;
}
