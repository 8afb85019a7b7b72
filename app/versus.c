/* versus.c — several profiles over the same ops (see compare.h).
 *
 * A file is loaded once per profile (load.c applies each as --profile
 * would), so each side has exactly the settings `brksim run --profile X`
 * gives it; the ops are parsed from the same bytes and are the same in
 * every side. Must not: print anything but usage errors. */
#include "versus.h"

#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"

static const char *const field_names[VERSUS_F_COUNT] = {
	"ret", "brk", "top", "rss", "value", "happened", "ended",
};

const char *versus_field_name(versus_field field)
{
	return (unsigned)field < VERSUS_F_COUNT ? field_names[field] : "?";
}

static const struct {
	const char *name, *en, *zh;
} tags[VERSUS_T_COUNT] = {
	[VERSUS_T_TCACHE_STRUCT] = {"tcache-struct", "tcache struct made", "建立 tcache 结构"},
	[VERSUS_T_FROM_TCACHE] = {"from-tcache", "from tcache", "取自 tcache"},
	[VERSUS_T_FROM_FASTBIN] = {"from-fastbin", "from fastbin", "取自 fastbin"},
	[VERSUS_T_FROM_SMALLBIN] = {"from-smallbin", "from smallbin", "取自 smallbin"},
	[VERSUS_T_FROM_UNSORTED] = {"from-unsorted", "from unsorted", "取自 unsorted"},
	[VERSUS_T_FROM_LARGEBIN] = {"from-largebin", "from largebin", "取自 largebin"},
	[VERSUS_T_FROM_BINMAP] = {"from-binmap", "split from a larger bin", "从更大的 bin 切分"},
	[VERSUS_T_FROM_TOP] = {"from-top", "from top", "取自 top"},
	[VERSUS_T_TO_TCACHE] = {"to-tcache", "to tcache", "放入 tcache"},
	[VERSUS_T_TO_FASTBIN] = {"to-fastbin", "to fastbin", "放入 fastbin"},
	[VERSUS_T_TO_UNSORTED] = {"to-unsorted", "to unsorted", "放入 unsorted"},
	[VERSUS_T_TO_SMALLBIN] = {"to-smallbin", "to smallbin", "放入 smallbin"},
	[VERSUS_T_TO_LARGEBIN] = {"to-largebin", "to largebin", "放入 largebin"},
	[VERSUS_T_COALESCE] = {"coalesce", "coalesce", "合并"},
	[VERSUS_T_INTO_TOP] = {"into-top", "into top", "并入 top"},
	[VERSUS_T_CONSOLIDATE] = {"consolidate", "consolidate", "合并 fastbin"},
	[VERSUS_T_BRK_GROW] = {"brk-grow", "brk grows", "brk 增长"},
	[VERSUS_T_BRK_SHRINK] = {"brk-shrink", "brk shrinks", "brk 收缩"},
	[VERSUS_T_MMAP] = {"mmap", "mmap", "mmap"},
	[VERSUS_T_MUNMAP] = {"munmap", "munmap", "munmap"},
	[VERSUS_T_MREMAP] = {"mremap", "mremap", "mremap"},
	[VERSUS_T_MADVISE] = {"madvise", "madvise", "madvise"},
	[VERSUS_T_THRESHOLD] = {"threshold", "thresholds raised", "阈值上调"},
	[VERSUS_T_MOVED] = {"moved", "moved", "搬移"},
	[VERSUS_T_NULL] = {"null", "NULL", "NULL"},
	[VERSUS_T_ABORT] = {"abort", "abort", "中止"},
	[VERSUS_T_PAST_PROGRAM] = {"past-program", "grows past the program's bytes", "越过程序的字节增长"},
};

const char *versus_tag_name(versus_tag tag)
{
	return (unsigned)tag < VERSUS_T_COUNT ? tags[tag].name : "?";
}

const char *versus_tag_words(versus_tag tag, sim_lang lang)
{
	if ((unsigned)tag >= VERSUS_T_COUNT)
		return "?";
	return lang == SIM_LANG_ZH ? tags[tag].zh : tags[tag].en;
}

#define BIT(t) (1u << (t))

uint32_t versus_tags_of(const sim_events *events)
{
	uint32_t bits = 0;
	for (size_t i = 0; i < events->count; i++) {
		const sim_event *e = &events->items[i];
		switch ((sim_event_kind)e->kind) {
		case SIM_EV_ALLOC:
			if (e->v2 == SIM_PLACE_TCACHE_STRUCT) {
				bits |= BIT(VERSUS_T_TCACHE_STRUCT);
				break;
			}
			switch ((sim_source)e->detail) {
			case SIM_SRC_TCACHE: bits |= BIT(VERSUS_T_FROM_TCACHE); break;
			case SIM_SRC_FASTBIN: bits |= BIT(VERSUS_T_FROM_FASTBIN); break;
			case SIM_SRC_SMALLBIN: bits |= BIT(VERSUS_T_FROM_SMALLBIN); break;
			case SIM_SRC_UNSORTED_EXACT:
			case SIM_SRC_LAST_REMAINDER: bits |= BIT(VERSUS_T_FROM_UNSORTED); break;
			case SIM_SRC_LARGEBIN: bits |= BIT(VERSUS_T_FROM_LARGEBIN); break;
			case SIM_SRC_BINMAP: bits |= BIT(VERSUS_T_FROM_BINMAP); break;
			case SIM_SRC_TOP: bits |= BIT(VERSUS_T_FROM_TOP); break;
			case SIM_SRC_MMAP: /* the mmap event says it */
			case SIM_SRC_COUNT: break;
			}
			break;
		case SIM_EV_ALLOC_FAILED: bits |= BIT(VERSUS_T_NULL); break;
		case SIM_EV_BIN_PUSH:
			switch ((sim_place)e->detail) {
			case SIM_PLACE_TCACHE: bits |= BIT(VERSUS_T_TO_TCACHE); break;
			case SIM_PLACE_FASTBIN: bits |= BIT(VERSUS_T_TO_FASTBIN); break;
			case SIM_PLACE_UNSORTED: bits |= BIT(VERSUS_T_TO_UNSORTED); break;
			case SIM_PLACE_SMALLBIN: bits |= BIT(VERSUS_T_TO_SMALLBIN); break;
			case SIM_PLACE_LARGEBIN: bits |= BIT(VERSUS_T_TO_LARGEBIN); break;
			default: break;
			}
			break;
		case SIM_EV_COALESCE: bits |= BIT(e->detail == 2 ? VERSUS_T_INTO_TOP : VERSUS_T_COALESCE); break;
		case SIM_EV_CONSOLIDATE_BEGIN: bits |= BIT(VERSUS_T_CONSOLIDATE); break;
		case SIM_EV_BRK_GROW: bits |= BIT(VERSUS_T_BRK_GROW); break;
		case SIM_EV_BRK_SHRINK: bits |= BIT(VERSUS_T_BRK_SHRINK); break;
		case SIM_EV_MMAP: bits |= BIT(VERSUS_T_MMAP); break;
		case SIM_EV_MUNMAP: bits |= BIT(VERSUS_T_MUNMAP); break;
		case SIM_EV_MREMAP: bits |= BIT(VERSUS_T_MREMAP); break;
		case SIM_EV_MADVISE: bits |= BIT(VERSUS_T_MADVISE); break;
		case SIM_EV_THRESHOLD_UPDATE: bits |= BIT(VERSUS_T_THRESHOLD); break;
		case SIM_EV_REALLOC:
			if (e->detail == SIM_REALLOC_MOVED)
				bits |= BIT(VERSUS_T_MOVED);
			break;
		case SIM_EV_ABORT: bits |= BIT(VERSUS_T_ABORT); break;
		case SIM_EV_HEAP_FENCE:
			if (e->arena == 0)
				bits |= BIT(VERSUS_T_PAST_PROGRAM);
			break;
		default: break;
		}
	}
	return bits;
}

/* Whether a side's text is settings alone: `glibc.malloc.arena_max=2`
 * (a profile's name has no '='). */
static bool is_tunables_alone(const char *p, size_t len)
{
	return memchr(p, '=', len) != NULL && memchr(p, '+', len) == NULL;
}

bool versus_parse_list(const char *list, versus_spec specs[VERSUS_MAX], size_t *count, FILE *err)
{
	*count = 0;
	char known[256];
	sim_profile_list(known, sizeof known);
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		if (len == 0) {
			fprintf(err, "brksim: error: --compare expects profile names separated by commas, e.g. "
			             "--compare glibc-2.3.6,glibc-2.43 (one of: %s, auto; a side may add settings: "
			             "glibc-2.36+glibc.malloc.arena_max=2)\n",
			        known);
			return false;
		}
		versus_spec spec = {NULL, NULL, 0, 0, p, len};
		size_t name_len = len;
		if (is_tunables_alone(p, len)) {
			name_len = 0;
			spec.tunables = p;
		} else {
			const char *plus = memchr(p, '+', len);
			if (plus != NULL) {
				name_len = (size_t)(plus - p);
				spec.tunables = plus + 1;
			}
		}
		if (spec.tunables != NULL) {
			spec.tunables_len = (size_t)(p + len - spec.tunables);
			spec.tunables_at = (size_t)(spec.tunables - list);
			if (spec.tunables_len == 0) {
				fprintf(err, "brksim: error: --compare: '%s' has nothing after its '+'; a side's settings are "
				             "GLIBC_TUNABLES text, e.g. glibc-2.36+glibc.malloc.arena_max=2\n",
				        DIAG_QUOTE(p, len));
				return false;
			}
		}
		if (name_len > 0 || spec.tunables == NULL) {
			bool is_auto = name_len == 4 && strncmp(p, "auto", 4) == 0;
			int profile = sim_profile_from_name(p, name_len);
			if (!is_auto && profile < 0) {
				load_say_unknown_profile(err, "--compare: unknown profile", p, name_len);
				return false;
			}
			spec.profile = is_auto ? "auto" : sim_profile_name((sim_profile)profile);
		}
		for (size_t i = 0; i < *count; i++) {
			const versus_spec *o = &specs[i];
			bool same_profile = (o->profile == NULL) == (spec.profile == NULL) &&
			                    (o->profile == NULL || strcmp(o->profile, spec.profile) == 0);
			bool same_tunables = o->tunables_len == spec.tunables_len &&
			                     (spec.tunables_len == 0 || memcmp(o->tunables, spec.tunables, spec.tunables_len) == 0);
			if (same_profile && same_tunables) {
				fprintf(err, "brksim: error: --compare names '%s' twice\n", DIAG_QUOTE(p, len));
				return false;
			}
		}
		if (*count == VERSUS_MAX) {
			fprintf(err, "brksim: error: --compare takes at most %d profiles\n", VERSUS_MAX);
			return false;
		}
		specs[(*count)++] = spec;
		p += len;
		if (*p == '\0')
			break;
		p++;
	}
	if (*count < 2) {
		fprintf(err, "brksim: error: --compare needs two profiles or more, e.g. --compare glibc-2.3.6,glibc-2.43\n");
		return false;
	}
	return true;
}

const char *versus_name(const versus_set *set, size_t i)
{
	return set->label[i];
}

const char *versus_profile_name(const versus_set *set, size_t i)
{
	return sim_profile_name(set->file[i].config.profile);
}

/* "glibc-2.36", or "glibc-2.36+arena_max=2:top_pad=0" for a side with
 * tunables: their glibc.malloc. prefix left out (what differs is the
 * setting's name). */
static void make_label(const versus_spec *spec, sim_profile profile, char *out, size_t size)
{
	int n = snprintf(out, size, "%s", sim_profile_name(profile));
	if (spec->tunables == NULL || n < 0 || (size_t)n >= size)
		return;
	size_t at = (size_t)n;
	static const char prefix[] = "glibc.malloc.";
	const char *t = spec->tunables, *end = t + spec->tunables_len;
	if ((size_t)(end - t) >= 15 && strncmp(t, "GLIBC_TUNABLES=", 15) == 0)
		t += 15;
	out[at++] = '+';
	while (t < end && at + 1 < size) {
		if ((size_t)(end - t) >= sizeof prefix - 1 && strncmp(t, prefix, sizeof prefix - 1) == 0 &&
		    (t == spec->tunables || t[-1] == ':' || t[-1] == '='))
			t += sizeof prefix - 1;
		const char *stop = memchr(t, ':', (size_t)(end - t));
		stop = stop ? stop + 1 : end;
		while (t < stop && at + 1 < size)
			out[at++] = *t++;
	}
	out[at] = '\0';
}

void versus_set_release(versus_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		loaded_file_release(&set->file[i]);
	set->count = 0;
	set->script = NULL;
}

int versus_load(const char *path, const app_options *options, versus_set *out, FILE *err)
{
	memset(out, 0, sizeof *out);
	out->path = path;
	versus_spec specs[VERSUS_MAX];
	size_t count;
	if (options->profile != NULL) {
		fprintf(err, "brksim: error: --compare names the profiles; it does not go with --profile\n");
		return 2;
	}
	if (!versus_parse_list(options->compare, specs, &count, err))
		return 2;
	for (size_t i = 0; i < count; i++) {
		app_options one = *options;
		one.profile = specs[i].profile;
		one.compare = NULL;
		one.side_tunables = specs[i].tunables;
		one.side_tunables_len = specs[i].tunables_len;
		one.side_tunables_at = specs[i].tunables_at;
		one.side_source = options->compare;
		/* The file's own messages (warnings, a recording's notes) once,
		 * from the first load; the others say the same. */
		char *text = NULL;
		size_t len = 0;
		FILE *quiet = i == 0 ? NULL : open_memstream(&text, &len);
		int status = load_file(path, &one, &out->file[i], quiet ? quiet : err);
		if (quiet)
			fclose(quiet);
		if (status != 0 && text != NULL)
			fputs(text, err); /* an error under this profile only: show what was said */
		free(text);
		out->count = i + 1;
		if (status != 0) {
			versus_set_release(out);
			return status;
		}
		make_label(&specs[i], out->file[i].config.profile, out->label[i], sizeof out->label[i]);
		/* `auto` (or a side without a profile) may be a side already
		 * in the list: the same profile with the same settings. */
		for (size_t k = 0; k < i; k++)
			if (sim_config_same(&out->file[k].config, &out->file[i].config)) {
				fprintf(err, "brksim: error: --compare: '%s' is %s, which the list already names\n",
				        DIAG_QUOTE(specs[i].text, specs[i].text_len), out->label[i]);
				versus_set_release(out);
				return 2;
			}
	}
	out->script = &out->file[0].script;
	for (size_t i = 1; i < count; i++)
		if (out->file[i].script.op_count != out->script->op_count) { /* the same bytes give the same ops */
			fprintf(err, "brksim: error: internal: the profiles read different ops from %s\n", path);
			versus_set_release(out);
			return 2;
		}
	return 0;
}

/* Whether two returned pointers are the same answer: an mmapped chunk's
 * address is made up by the model, so any two mappings are; a pointer in
 * another arena's heap is the same arena, heap and offset (A3.0+0xb70 and
 * A1.0+0x19c50 were "the same" when only brk-heap offsets were compared). */
static bool same_ret(const sim_result *a, const sim_result *b)
{
	if (a->ret_kind != b->ret_kind)
		return false;
	if (a->ret_kind == SIM_RET_ARENA)
		return a->ret_arena == b->ret_arena && a->ret_heap == b->ret_heap && a->ret_offset == b->ret_offset;
	return a->ret_kind != SIM_RET_HEAP || a->ret == b->ret;
}

/* The fields in which the sides of a step differ. */
static uint32_t differences(const versus_step *st, size_t count)
{
	uint32_t bits = 0;
	const versus_side *a = &st->side[0];
	for (size_t i = 1; i < count; i++) {
		const versus_side *b = &st->side[i];
		if (a->ran != b->ran) {
			bits |= 1u << VERSUS_F_ENDED;
			continue;
		}
		if (!a->ran)
			continue;
		if (!same_ret(&a->result, &b->result))
			bits |= 1u << VERSUS_F_RET;
		if (a->result.brk != b->result.brk)
			bits |= 1u << VERSUS_F_BRK;
		if (a->result.top_size != b->result.top_size)
			bits |= 1u << VERSUS_F_TOP;
		if (a->result.resident_pages != b->result.resident_pages)
			bits |= 1u << VERSUS_F_RSS;
		if (a->result.value != b->result.value)
			bits |= 1u << VERSUS_F_VALUE;
		if (a->tags != b->tags)
			bits |= 1u << VERSUS_F_HAPPENED;
	}
	return bits;
}

void versus_heaps_free(sim_heap *heaps[VERSUS_MAX], size_t count)
{
	for (size_t i = 0; i < count; i++) {
		sim_heap_free(heaps[i]);
		heaps[i] = NULL;
	}
}

bool versus_run(const versus_set *set, size_t to, versus_step_fn on_step, void *context, versus_totals *totals,
                 sim_heap *heaps[VERSUS_MAX])
{
	memset(totals, 0, sizeof *totals);
	totals->first = SIZE_MAX;
	sim_events events;
	sim_events_init(&events);
	bool ok = true;
	for (size_t i = 0; i < set->count; i++) {
		heaps[i] = sim_heap_new(&set->file[i].config);
		ok = ok && heaps[i] != NULL;
	}
	const loaded_file *f0 = &set->file[0];
	/* (a recording of another allocator's malloc has nothing to compare) */
	totals->recorded = f0->kind == LOADED_TRACE && f0->extra.recorded != NULL && f0->extra.malloc_from[0] == '\0';
	for (size_t i = 0; i < set->count; i++)
		trace_compare_init(&totals->against_recording[i]);
	const script *s = set->script;
	size_t last = to > 0 && to < s->op_count ? to : s->op_count;
	for (size_t k = 0; ok && k < last; k++) {
		versus_step st;
		memset(&st, 0, sizeof st);
		st.step = k + 1;
		st.line = s->op_line != NULL ? s->op_line[k] : 0;
		st.op = &s->ops[k];
		bool any_ran = false;
		for (size_t i = 0; i < set->count; i++) {
			versus_side *side = &st.side[i];
			if (totals->ended_at[i] != 0)
				continue; /* glibc ended this process */
			side->brk_before = sim_heap_brk(heaps[i]);
			if (!sim_heap_step(heaps[i], &set->file[i].script.ops[k], &events, &side->result)) {
				ok = false;
				break;
			}
			side->ran = true;
			any_ran = true;
			size_t rss = sim_heap_heaps_resident_pages(heaps[i]);
			if (rss > totals->heaps_rss_peak[i])
				totals->heaps_rss_peak[i] = rss;
			if (totals->recorded && k < f0->extra.recorded_count)
				trace_compare_op(&totals->against_recording[i], k, &f0->extra.recorded[k], &side->result);
			side->tags = versus_tags_of(&events);
			for (size_t e = 0; e < events.count; e++)
				if (events.items[e].kind == SIM_EV_ABORT)
					side->abort_reason = events.items[e].detail;
			if (side->result.aborted) {
				totals->ended_at[i] = k + 1;
				totals->ended_reason[i] = side->abort_reason;
			}
		}
		if (!ok || !any_ran)
			break;
		st.differs = differences(&st, set->count);
		totals->steps_run = k + 1;
		if (st.differs != 0) {
			totals->differing++;
			for (int f = 0; f < VERSUS_F_COUNT; f++)
				if (st.differs & (1u << f))
					totals->by_field[f]++;
			if (totals->first == SIZE_MAX) {
				totals->first = k;
				totals->first_differs = st.differs;
			}
		}
		on_step(context, set, &st);
	}
	sim_events_release(&events);
	return ok;
}
