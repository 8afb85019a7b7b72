/* describe.c — settings and end-of-run summaries, in words and in JSON.
 *
 * Owns: the wording of the summary block. Everything comes from the
 * model's queries (sim_heap_stats, sim_heap_pin); nothing is recomputed
 * here. */
#include "describe.h"

#include <string.h>

#include "run.h"
#include "sim/explain.h"

void describe_config(const sim_config *c, char *buf, size_t size)
{
	const char *dyn = sim_config_thresholds_dynamic(c) ? " (dynamic)" : "";
	snprintf(buf, size,
		 "%s, tcache_count=%llu, trim_threshold=0x%llx%s, top_pad=0x%llx, mmap_threshold=0x%llx%s, "
		 "mmap_max=%llu, mxfast=%llu, touch=%s",
		 sim_profile_name(c->profile), (unsigned long long)c->value[SIM_SET_TCACHE_COUNT],
		 (unsigned long long)c->value[SIM_SET_TRIM_THRESHOLD], dyn, (unsigned long long)c->value[SIM_SET_TOP_PAD],
		 (unsigned long long)c->value[SIM_SET_MMAP_THRESHOLD], dyn, (unsigned long long)c->value[SIM_SET_MMAP_MAX],
		 (unsigned long long)c->value[SIM_SET_MXFAST], c->touch == SIM_TOUCH_NONE ? "none" : "all");
}

static const char *sz(sim_size size, char *buf, size_t buf_size)
{
	if (size == 0) {
		snprintf(buf, buf_size, "0");
		return buf;
	}
	sim_explain_size(size, buf, buf_size);
	return buf;
}

void describe_summary_text(FILE *out, const sim_heap *heap, const script *s, size_t step, size_t steps_total)
{
	sim_stats st;
	sim_heap_stats(heap, &st);
	sim_pin_info pin;
	sim_heap_pin(heap, &pin);
	char a[48], b[48], c[48];
	fprintf(out, "\nsummary after step %zu of %zu%s\n", step, steps_total,
		sim_heap_aborted(heap) ? " (glibc aborted)" : "");
	fprintf(out, "  VmData (brk extent)   %s", sz(st.vm_data, a, sizeof a));
	if (st.mmap_bytes > 0)
		fprintf(out, "   + mmapped %s", sz(st.mmap_bytes, b, sizeof b));
	fprintf(out, "\n");
	fprintf(out, "  modelled RSS          %zu pages (%zu KiB) of the brk heap", st.resident_pages,
		st.resident_pages * (SIM_PAGE_SIZE / 1024));
	if (st.mmap_resident_pages > 0)
		fprintf(out, " + %zu mmapped pages", st.mmap_resident_pages);
	fprintf(out, "\n");
	fprintf(out, "  in use                %zu allocation%s, %llu bytes requested; chunk overhead %s\n", st.in_use_count,
		st.in_use_count == 1 ? "" : "s", (unsigned long long)st.in_use_payload, sz(st.overhead, a, sizeof a));
	fprintf(out, "  free, by kind         tcache %s (%zu) · fastbins %s (%zu) · unsorted %s (%zu)\n",
		sz(st.free_by_place[SIM_PLACE_TCACHE], a, sizeof a), st.count_by_place[SIM_PLACE_TCACHE],
		sz(st.free_by_place[SIM_PLACE_FASTBIN], b, sizeof b), st.count_by_place[SIM_PLACE_FASTBIN],
		sz(st.free_by_place[SIM_PLACE_UNSORTED], c, sizeof c), st.count_by_place[SIM_PLACE_UNSORTED]);
	fprintf(out, "                        small bins %s (%zu) · large bins %s (%zu) · top %s\n",
		sz(st.free_by_place[SIM_PLACE_SMALLBIN], a, sizeof a), st.count_by_place[SIM_PLACE_SMALLBIN],
		sz(st.free_by_place[SIM_PLACE_LARGEBIN], b, sizeof b), st.count_by_place[SIM_PLACE_LARGEBIN],
		sz(st.free_by_place[SIM_PLACE_TOP], c, sizeof c));
	fprintf(out, "  malloc_trim(0) now    would release %s", sz(st.trim_releasable, a, sizeof a));
	if (st.trim_releasable > 0)
		fprintf(out, ": %s by moving brk down, %zu resident pages by madvise", sz(st.trim_brk_release, b, sizeof b),
			st.trim_madvise_pages);
	fprintf(out, "\n");
	if (pin.pinned && pin.slot != SIM_NO_SLOT) {
		fprintf(out, "  top pinned by         `%s` at +0x%llx (chunk 0x%llx), with %s free below it",
			script_slot_name(s, pin.slot),
			(unsigned long long)(pin.chunk + 16), (unsigned long long)pin.size, sz(pin.free_below, a, sizeof a));
		if (pin.would_release > 0)
			fprintf(out, "; freeing it would return %s", sz(pin.would_release, b, sizeof b));
		fprintf(out, "\n");
	}
}

/* Writes text[0..) escaped in `style`, a chunk at a time. */
static void write_escaped(FILE *out, const char *text, utf8_escape_style style)
{
	char chunk[512];
	size_t n = strlen(text);
	while (n > 0) {
		size_t written = 0;
		size_t used = utf8_escape(text, n, style, chunk, sizeof chunk, &written);
		fwrite(chunk, 1, written, out);
		if (used == 0)
			break; /* cannot happen: a chunk holds any one escape */
		text += used;
		n -= used;
	}
}

void describe_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	write_escaped(out, text, UTF8_ESCAPE_JSON);
	fputc('"', out);
}

void describe_text(FILE *out, const char *text, utf8_escape_style style)
{
	write_escaped(out, text, style);
}

const char *describe_escaped(const char *text, char *buf, size_t size)
{
	utf8_escape(text, strlen(text), UTF8_ESCAPE_LINE, buf, size, NULL);
	return buf;
}

void describe_summary_json(FILE *out, const sim_heap *heap, const script *s)
{
	sim_stats st;
	sim_heap_stats(heap, &st);
	sim_pin_info pin;
	sim_heap_pin(heap, &pin);
	fprintf(out,
		"{\"vm_data\":%llu,\"mmap_bytes\":%llu,\"resident_pages\":%zu,\"mmap_resident_pages\":%zu,"
		"\"in_use_count\":%zu,\"in_use_payload\":%llu,\"overhead\":%llu,\"free\":{",
		(unsigned long long)st.vm_data, (unsigned long long)st.mmap_bytes, st.resident_pages, st.mmap_resident_pages,
		st.in_use_count, (unsigned long long)st.in_use_payload, (unsigned long long)st.overhead);
	static const sim_place places[] = {SIM_PLACE_TCACHE, SIM_PLACE_FASTBIN, SIM_PLACE_UNSORTED,
					   SIM_PLACE_SMALLBIN, SIM_PLACE_LARGEBIN, SIM_PLACE_TOP};
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
		fprintf(out, "%s\"%s\":{\"bytes\":%llu,\"count\":%zu}", i ? "," : "", sim_place_name(places[i]),
			(unsigned long long)st.free_by_place[places[i]], st.count_by_place[places[i]]);
	fprintf(out, "},\"malloc_trim_would_release\":%llu,\"malloc_trim_brk\":%llu,\"malloc_trim_madvise_pages\":%zu",
		(unsigned long long)st.trim_releasable, (unsigned long long)st.trim_brk_release, st.trim_madvise_pages);
	fprintf(out, ",\"brk\":%llu,\"top\":%llu,\"trim_threshold\":%llu,\"mmap_threshold\":%llu,\"aborted\":%s",
		(unsigned long long)sim_heap_brk(heap), (unsigned long long)sim_heap_top_size(heap),
		(unsigned long long)sim_heap_trim_threshold(heap), (unsigned long long)sim_heap_mmap_threshold(heap),
		sim_heap_aborted(heap) ? "true" : "false");
	if (pin.pinned) {
		fprintf(out, ",\"pinned_by\":{\"name\":");
		describe_json_string(out, script_slot_name(s, pin.slot));
		fprintf(out, ",\"ret\":%llu,\"chunk_size\":%llu,\"free_below\":%llu,\"would_release\":%llu}",
			(unsigned long long)(pin.chunk + 16), (unsigned long long)pin.size,
			(unsigned long long)pin.free_below, (unsigned long long)pin.would_release);
	} else {
		fprintf(out, ",\"pinned_by\":null");
	}
	fputc('}', out);
}
