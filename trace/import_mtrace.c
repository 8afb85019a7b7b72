/* import_mtrace.c — placeholder until the mtrace importer lands (in progress). */
#include "importers.h"

bool trace_import_mtrace(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra)
{
	(void)bytes, (void)len, (void)out, (void)extra;
	diag_add(diags, DIAG_ERROR, 0, 0, "the mtrace importer is not implemented yet");
	return false;
}
