/* import_recording.c — placeholder until the recording importer lands (in progress). */
#include "importers.h"

bool trace_import_recording(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra)
{
	(void)bytes, (void)len, (void)out, (void)extra;
	diag_add(diags, DIAG_ERROR, 0, 0, "the recording importer is not implemented yet");
	return false;
}
