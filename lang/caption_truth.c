/* caption_truth.c — captions against the expectations they stand on (see
 * caption_truth.h). */
#include "caption_truth.h"

size_t caption_truth_compute(const script *s, const expect_report *report, caption_truth *out)
{
	size_t false_count = 0;
	for (size_t c = 0; c < s->caption_count; c++) {
		uint32_t at = s->captions[c].at_step;
		/* the previous caption's step, in any language (captions are sorted) */
		uint32_t from = 0;
		bool has_from = false;
		for (size_t k = c; k-- > 0;)
			if (s->captions[k].at_step < at) {
				from = s->captions[k].at_step;
				has_from = true;
				break;
			}
		out[c] = (caption_truth){false, 0, NULL};
		for (size_t i = 0; i < report->count; i++) {
			const expect_outcome *o = &report->outcomes[i];
			if (o->passed || o->expect_index >= s->expect_count)
				continue;
			uint32_t step = s->expects[o->expect_index].at_step;
			if (step <= at && (!has_from || step > from)) {
				out[c] = (caption_truth){true, o->expect_index, o->message};
				false_count++;
				break;
			}
		}
	}
	return false_count;
}
