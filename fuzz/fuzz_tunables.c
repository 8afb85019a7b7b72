/* fuzz_tunables.c — the GLIBC_TUNABLES parser (tunables_parse) on top of
 * the 2.36 defaults, and formatting the result back. */
#include <stdlib.h>

#include "harness.h"
#include "lang/tunables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	diag_list d;
	diag_list_init(&d);
	tunables_parse(text, size, &config, &d);
	char buf[1024];
	size_t need = tunables_format(&config, buf, sizeof buf);
	if (need < sizeof buf) {
		/* What was formatted parses again, to the same settings. */
		sim_config again = sim_config_defaults(SIM_GLIBC_2_36);
		diag_list d2;
		diag_list_init(&d2);
		if (!tunables_parse(buf, need, &again, &d2))
			abort();
		for (int k = 0; k < SIM_SETTING_COUNT; k++)
			if ((config.set_mask & (1u << k)) && again.value[k] != config.value[k])
				abort();
		diag_list_release(&d2);
	}
	for (size_t i = 0; i < d.count; i++)
		free(diag_render(&d.items[i], "--tunables", text, size));
	diag_list_release(&d);
	return 0;
}
