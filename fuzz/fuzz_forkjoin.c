/* fuzz_forkjoin.c — trace/fork_join.c on any pair of texts: the input is
 * the parent's recording, a line "=== child ===", then the child's. A
 * join either refuses with a reason or makes a recording the importer
 * reads (whatever it says of it); its text is never more than the
 * inputs and a bounded growth a line (ids renumbered). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace/fork_join.h"
#include "trace/trace.h"

static const char separator[] = "\n=== child ===\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	const char *text = (const char *)data;
	const char *sep = memmem(text, size, separator, sizeof separator - 1);
	size_t parent_len = sep ? (size_t)(sep - text) + 1 : size;
	const char *child = sep ? sep + sizeof separator - 1 : "";
	size_t child_len = sep ? size - (size_t)(child - text) : 0;
	char *out = NULL, why[600];
	size_t out_len = 0;
	if (!trace_fork_join(text, parent_len, child, child_len, "child.trace", &out, &out_len, why, sizeof why)) {
		if (out != NULL || why[0] == '\0')
			abort();
		return 0;
	}
	size_t lines = 2;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	/* (NUL bytes inside a line are copied: the importer says what they are) */
	if (out[out_len] != '\0' || out_len > size + 64 * lines + 4096)
		abort();
	script s;
	diag_list d;
	trace_extra x;
	script_init(&s);
	diag_list_init(&d);
	trace_extra_init(&x);
	(void)trace_import(TRACE_FORMAT_RECORDING, "joined", out, out_len, &s, &d, &x);
	trace_extra_release(&x);
	diag_list_release(&d);
	script_release(&s);
	free(out);
	return 0;
}
