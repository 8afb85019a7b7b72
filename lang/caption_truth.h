/* caption_truth.h — which captions a run no longer bears out.
 *
 * A lesson's captions are written for its own settings, and its `expect`
 * lines say what they rely on. Run with other settings (--tunables,
 * --profile, --touch), an expectation can fail; the caption that follows
 * it may then be false ("no trim" where the heap did trim). This module
 * says which: a caption at step k stands on the expectations of the steps
 * since the previous caption, (previous, k]. Pure; the caller runs the
 * expectations (expect_check_script) with the effective settings. */
#ifndef BRKSIM_LANG_CAPTION_TRUTH_H
#define BRKSIM_LANG_CAPTION_TRUTH_H

#include "expect.h"
#include "script.h"

typedef struct caption_truth {
	bool false_now;      /* an expectation it stands on failed */
	size_t expect_index; /* the first such expectation (into s->expects) */
	const char *message; /* its failure message (in the report) */
} caption_truth;

/* Fills out[0..s->caption_count) from report (of s). Returns how many
 * captions are false now. */
size_t caption_truth_compute(const script *s, const expect_report *report, caption_truth *out);

#endif
