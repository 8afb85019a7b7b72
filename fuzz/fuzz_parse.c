/* fuzz_parse.c — the scenario language parser (script_parse) and the
 * rendering of its diagnostics. */
#include <stdlib.h>

#include "harness.h"
#include "lang/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	script s;
	script_init(&s);
	diag_list d;
	diag_list_init(&d);
	script_parse(text, size, &s, &d);
	for (size_t i = 0; i < s.op_count; i++) {
		const sim_op *op = &s.ops[i];
		if (op->slot != SIM_NO_SLOT && op->slot >= s.slot_count)
			abort();
		if (op->arg_slot != SIM_NO_SLOT && op->arg_slot >= s.slot_count)
			abort();
	}
	for (size_t i = 0; i < d.count; i++)
		free(diag_render(&d.items[i], "fuzz.heap", text, size));
	diag_list_release(&d);
	script_release(&s);
	return 0;
}
