/* whatif.c — the --trim-every what-if against the same calls without it:
 * what the program's periodic malloc_trim would have changed in the RSS
 * of its heaps, and what it costs in page faults (see whatif.h). The
 * summary says it (describe.c). */
#include "whatif.h"

bool whatif_measure(const script *s, size_t steps, const sim_config *config, whatif_side *out)
{
	*out = (whatif_side){0};
	sim_heap *h = sim_heap_new(config);
	if (h == NULL)
		return false;
	size_t n = steps < s->op_count ? steps : s->op_count;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		sim_result r;
		ok = sim_heap_step(h, &s->ops[i], NULL, &r);
		size_t pages = sim_heap_heaps_resident_pages(h);
		if (pages > out->peak_pages)
			out->peak_pages = pages;
		if (r.aborted)
			break;
	}
	sim_whatif_stats w;
	sim_heap_whatif_stats(h, &w);
	out->end_pages = sim_heap_heaps_resident_pages(h);
	out->faults = w.pages_faulted;
	sim_heap_free(h);
	return ok;
}

bool whatif_pair(const script *s, size_t steps, const sim_config *config, whatif_side *with, whatif_side *without)
{
	if (config->trim_every == 0)
		return false;
	sim_config plain = *config;
	plain.trim_every = plain.trim_pad = 0;
	return whatif_measure(s, steps, config, with) && whatif_measure(s, steps, &plain, without);
}
