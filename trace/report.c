/* report.c — the RSS story of a run (see report.h).
 *
 * Owns: the series (bucketed min/max per measure), the peak, the live
 * sets and the pinned bytes by group. Must not: do I/O or word anything.
 *
 * Bytes in use are kept step by step without walking the heap: each op
 * changes what the slots it names hold (before and after the step), and a
 * chunk a slot let go of without freeing it (a pointer overwritten: a
 * leak) still counts while it is in use. The live sets and pins walk the
 * heap, twice in all (at the peak and at the end). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "import_util.h"

void trace_report_init(trace_report *r)
{
	memset(r, 0, sizeof *r);
}

static void set_release(trace_report_set *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->groups[i].label);
	free(s->groups);
	memset(s, 0, sizeof *s);
}

void trace_report_release(trace_report *r)
{
	set_release(&r->live_at_peak);
	set_release(&r->live_at_end);
	set_release(&r->pinned_at_end);
	memset(r, 0, sizeof *r);
}

/* ---- groups ---- */

typedef struct grouper {
	const script *s;
	const trace_stacks *stacks;
	trace_report_set *set;
	size_t capacity;
	tmap index; /* label hash -> group */
	bool oom;
	char name[256]; /* label_of's made label */
} grouper;

static uint64_t label_hash(const char *s, size_t n, unsigned held)
{
	uint64_t h = 1469598103934665603ull ^ held;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 31);
}

/* The group of a slot: its call site, else its name without its indexes
 * (`s[3]` is `s`, a thread's `worker[2].req[3]` is `worker.req`: it was
 * `worker`, one group for every name of every worker) or a uniqueness
 * suffix (`p2a0.2` is `p2a0`); "" for a chunk no slot owns. */
static void label_of(grouper *g, sim_slot slot, const char **text, size_t *len)
{
	if (slot == SIM_NO_SLOT) {
		*text = "";
		*len = 0;
		return;
	}
	if (g->stacks) {
		const char *site = trace_stacks_site_text(g->stacks, trace_stacks_site_of_slot(g->stacks, slot));
		if (site) {
			*text = site;
			*len = strlen(site);
			return;
		}
	}
	const char *name = script_slot_name(g->s, slot);
	size_t n = 0;
	for (const char *c = name; *c && n + 1 < sizeof g->name; c++) {
		if (*c == '[') {
			const char *close = strchr(c, ']');
			if (close) {
				c = close;
				continue;
			}
		}
		g->name[n++] = *c;
	}
	size_t k = n;
	while (k > 0 && g->name[k - 1] >= '0' && g->name[k - 1] <= '9')
		k--;
	if (k > 1 && k < n && g->name[k - 1] == '.')
		n = k - 1;
	g->name[n] = '\0';
	*text = g->name;
	*len = n;
}

/* The group of a slot's chunks in use (held 0), or of the freed chunks
 * the tcache or fastbins (held) keep: as it freed them, or as what its
 * call left (left_by). */
static trace_report_group *group_for(grouper *g, sim_slot slot, uint8_t held, sim_left_by left_by)
{
	const char *text;
	size_t len;
	label_of(g, slot, &text, &len);
	uint64_t key = label_hash(text, len, held | (unsigned)left_by << 8);
	for (;;) {
		tmap_entry *e = tmap_get(&g->index, key);
		if (!e) {
			g->oom = true;
			return NULL;
		}
		if (e->state != TMAP_LIVE) {
			if (g->set->count == g->capacity) {
				size_t cap = g->capacity ? g->capacity * 2 : 64;
				trace_report_group *grown = realloc(g->set->groups, cap * sizeof *grown);
				if (!grown) {
					g->oom = true;
					return NULL;
				}
				g->set->groups = grown;
				g->capacity = cap;
			}
			char *label = malloc(len + 1);
			if (!label) {
				g->oom = true;
				return NULL;
			}
			memcpy(label, text, len);
			label[len] = '\0';
			trace_report_group *grp = &g->set->groups[g->set->count];
			memset(grp, 0, sizeof *grp);
			grp->label = label;
			grp->held = held;
			grp->left_by = (uint8_t)left_by;
			e->slot = (sim_slot)g->set->count++;
			e->state = TMAP_LIVE;
			return grp;
		}
		trace_report_group *grp = &g->set->groups[e->slot];
		if (grp->held == held && grp->left_by == left_by && strlen(grp->label) == len &&
		    memcmp(grp->label, text, len) == 0)
			return grp;
		key = key * 0x9e3779b97f4a7c15ull + 1; /* another label with the same hash */
	}
}

static int compare_groups(const void *a, const void *b)
{
	const trace_report_group *x = a, *y = b;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = strcmp(x->label, y->label);
	if (c)
		return c;
	return x->held != y->held ? (int)x->held - (int)y->held : (int)x->left_by - (int)y->left_by;
}

static void grouper_start(grouper *g, const script *s, const trace_stacks *stacks, trace_report_set *set)
{
	memset(g, 0, sizeof *g);
	g->s = s;
	g->stacks = stacks;
	g->set = set;
	tmap_init(&g->index, 0);
}

static bool grouper_finish(grouper *g)
{
	tmap_release(&g->index);
	if (g->set->count > 1)
		qsort(g->set->groups, g->set->count, sizeof *g->set->groups, compare_groups);
	return !g->oom;
}

/* The first chunk of arena a (0: the brk heap), for a walk of its heaps
 * with sim_heap_next_chunk. */
static bool arena_first(const sim_heap *h, size_t a, sim_chunk_info *c)
{
	return a == 0 ? sim_heap_chunk_at(h, SIM_ADDR_START, c) : sim_heap_arena_first_chunk(h, a, c);
}

/* The live set: every in-use chunk (every arena's heaps, and mmapped)
 * by group. (The brk heap's alone left a threaded program's live set at
 * its peak with a few hundred bytes of its 333 KiB.) */
static bool take_live_set(const sim_heap *h, const script *s, const trace_stacks *stacks, trace_report_set *set)
{
	grouper g;
	grouper_start(&g, s, stacks, set);
	sim_chunk_info c;
	bool room = true;
	for (size_t a = 0; room && a < sim_heap_arena_count(h); a++)
		for (bool ok = arena_first(h, a, &c); ok; ok = sim_heap_next_chunk(h, &c, &c)) {
			if (c.place != SIM_PLACE_INUSE)
				continue;
			trace_report_group *grp = group_for(&g, c.slot, 0, false);
			if (!grp) {
				room = false;
				break;
			}
			grp->bytes += c.request;
			grp->count++;
			set->bytes += c.request;
			set->allocations++;
		}
	for (size_t i = 0; i < sim_heap_mmap_count(h); i++) {
		sim_slot slot;
		sim_slot_info m = sim_heap_mmap_chunk(h, i, &slot);
		if (m.place != SIM_PLACE_MMAP)
			continue;
		trace_report_group *grp = group_for(&g, slot, 0, false);
		if (!grp)
			break;
		grp->bytes += m.request;
		grp->count++;
		set->bytes += m.request;
		set->allocations++;
	}
	return grouper_finish(&g);
}

static bool is_free_in_bins(sim_place p)
{
	return p == SIM_PLACE_UNSORTED || p == SIM_PLACE_SMALLBIN || p == SIM_PLACE_LARGEBIN;
}

static bool is_pinner(sim_place p)
{
	return p == SIM_PLACE_INUSE || p == SIM_PLACE_TCACHE || p == SIM_PLACE_FASTBIN;
}

/* The group of pinner c: its owner's while in use, a held one's last
 * owner's; one a fork left in use (a gone thread's tcache held it) goes
 * by the pointer freed into it. */
static trace_report_group *group_of(grouper *g, const sim_chunk_info *c)
{
	if (c->place == SIM_PLACE_INUSE && c->left_by == SIM_LEFT_BY_FORK)
		return group_for(g, c->freed_slot, 0, SIM_LEFT_BY_FORK);
	uint8_t held = c->place == SIM_PLACE_INUSE ? 0 : (uint8_t)c->place;
	return group_for(g, held ? c->freed_slot : c->slot, held, held ? c->left_by : SIM_LEFT_BY_NONE);
}

/* One arena's free runs, each charged to the chunk right above it, and
 * the chunk right below its top marked. False when memory ran out. */
static bool take_arena_pins(const sim_heap *h, size_t a, grouper *g, trace_report_set *set)
{
	sim_chunk_info c, prev;
	bool have_prev = false;
	uint64_t run = 0;
	for (bool ok = arena_first(h, a, &c); ok; ok = sim_heap_next_chunk(h, &c, &c)) {
		sim_place p = c.place;
		if (p == SIM_PLACE_TOP) {
			if (have_prev && is_pinner(prev.place)) {
				trace_report_group *grp = group_of(g, &prev);
				if (grp)
					grp->pins_top = true;
			}
			break;
		}
		if (is_free_in_bins(p)) {
			run += c.size;
		} else if (is_pinner(p)) {
			if (run > 0) {
				trace_report_group *grp = group_of(g, &c);
				if (!grp)
					return false;
				grp->bytes += run;
				grp->count++;
				set->bytes += run;
			}
			run = 0;
		} else {
			run = 0; /* glibc's tcache struct, a heap's header or fencepost */
		}
		prev = c;
		have_prev = true;
	}
	return true;
}

/* Free runs charged to the chunk right above them (see report.h), in
 * every arena's heaps: a run ends at a heap's end (its fencepost) too. */
static bool take_pins(const sim_heap *h, const script *s, const trace_stacks *stacks, trace_report_set *set)
{
	grouper g;
	grouper_start(&g, s, stacks, set);
	for (size_t a = 0; a < sim_heap_arena_count(h); a++)
		if (!take_arena_pins(h, a, &g, set))
			break;
	return grouper_finish(&g);
}

/* ---- the series ---- */

/* What a slot holds now: the request of its in-use chunk (heap or
 * mmapped), and the heap chunk's address (NO address for mmapped). */
typedef struct held {
	sim_slot slot;
	uint64_t request;
	bool heap;
	sim_addr chunk;
} held;

static held hold_of(const sim_heap *h, sim_slot slot)
{
	held x = {slot, 0, false, 0};
	if (slot == SIM_NO_SLOT)
		return x;
	sim_slot_info i = sim_heap_slot(h, slot);
	if (i.place == SIM_PLACE_INUSE) {
		x.request = i.request;
		x.heap = true;
		x.chunk = i.chunk;
	} else if (i.place == SIM_PLACE_MMAP) {
		x.request = i.request;
	}
	return x;
}

/* The slots an op names: its result's and, for realloc, its argument's. */
static size_t op_slots(const sim_op *op, sim_slot out[2])
{
	size_t n = 0;
	if (op->kind == SIM_OP_TRIM || op->kind == SIM_OP_MALLOPT)
		return 0;
	if (op->slot != SIM_NO_SLOT)
		out[n++] = op->slot;
	if (op->kind == SIM_OP_REALLOC && op->arg_slot != SIM_NO_SLOT && op->arg_slot != op->slot)
		out[n++] = op->arg_slot;
	return n;
}

/* The change in bytes in use made by one step. */
static int64_t in_use_delta(const sim_heap *h, const sim_slot *slots, size_t n, const held *before)
{
	int64_t d = 0;
	for (size_t i = 0; i < n; i++) {
		d -= (int64_t)before[i].request;
		d += (int64_t)hold_of(h, slots[i]).request;
		/* A chunk the slot let go of but nobody freed: still in use. */
		if (before[i].heap && before[i].request) {
			sim_chunk_info c;
			if (sim_heap_chunk_at(h, before[i].chunk, &c) && c.place == SIM_PLACE_INUSE) {
				bool named = false;
				for (size_t k = 0; k < n; k++)
					named = named || c.slot == slots[k];
				if (!named)
					d += (int64_t)c.request;
			}
		}
	}
	return d;
}

static void mmap_delta(const sim_events *ev, uint64_t *mmap)
{
	for (size_t i = 0; i < ev->count; i++) {
		const sim_event *e = &ev->items[i];
		if (e->kind == SIM_EV_MMAP)
			*mmap += e->size;
		else if (e->kind == SIM_EV_MUNMAP)
			*mmap -= e->size < *mmap ? e->size : *mmap;
		else if (e->kind == SIM_EV_MREMAP)
			*mmap = *mmap - (e->size < *mmap ? e->size : *mmap) + e->size2;
	}
}

static void bucket_add(trace_report_bucket *b, size_t step, uint64_t vm, uint64_t rss, uint64_t in_use)
{
	if (b->step_hi == 0 && b->step_lo == 0) {
		*b = (trace_report_bucket){step, step, vm, vm, rss, rss, in_use, in_use};
		return;
	}
	b->step_hi = step;
#define MINMAX(lo, hi, v)                                                                                              \
	do {                                                                                                           \
		if ((v) < b->lo)                                                                                       \
			b->lo = (v);                                                                                   \
		if ((v) > b->hi)                                                                                       \
			b->hi = (v);                                                                                   \
	} while (0)
	MINMAX(vm_data_min, vm_data_max, vm);
	MINMAX(rss_min, rss_max, rss);
	MINMAX(in_use_min, in_use_max, in_use);
#undef MINMAX
}

bool trace_report_build(const script *s, const sim_config *config, const trace_stacks *stacks, size_t steps,
                        trace_report *out)
{
	if (steps > s->op_count)
		steps = s->op_count;
	if (stacks && stacks->stack_count == 0)
		stacks = NULL;
	out->by_site = stacks != NULL;
	out->bucket_count = steps < TRACE_REPORT_BUCKETS ? steps : TRACE_REPORT_BUCKETS;
	sim_events ev;
	sim_events_init(&ev);
	bool ok = true;
	/* Pass 1: the series, the peaks, the end state. */
	sim_heap *h = sim_heap_new(config);
	if (!h)
		return false;
	uint64_t in_use = 0, mmap = 0;
	size_t ran = 0;
	for (size_t i = 0; i < steps; i++) {
		sim_slot slots[2];
		size_t n = op_slots(&s->ops[i], slots);
		held before[2];
		for (size_t k = 0; k < n; k++)
			before[k] = hold_of(h, slots[k]);
		sim_result r;
		if (!sim_heap_step(h, &s->ops[i], &ev, &r)) {
			ok = false;
			break;
		}
		ran = i + 1;
		int64_t d = in_use_delta(h, slots, n, before);
		in_use = d < 0 && (uint64_t)-d > in_use ? 0 : (uint64_t)((int64_t)in_use + d);
		mmap_delta(&ev, &mmap);
		uint64_t vm = r.brk, rss = (uint64_t)r.resident_pages * SIM_PAGE_SIZE;
		sim_arena_info others;
		if (sim_heap_other_arenas(h, &others)) {
			vm += others.size;
			rss += (uint64_t)others.resident_pages * SIM_PAGE_SIZE;
			out->arenas = true;
		}
		bucket_add(&out->buckets[i * out->bucket_count / steps], ran, vm, rss, in_use);
		if (vm > out->vm_data_peak) {
			out->vm_data_peak = vm;
			out->vm_data_peak_step = ran;
		}
		if (rss > out->rss_peak) {
			out->rss_peak = rss;
			out->rss_peak_step = ran;
		}
		if (in_use > out->in_use_peak || out->peak_step == 0) {
			out->in_use_peak = in_use;
			out->in_use_peak_step = ran;
			out->peak_step = ran;
			out->peak_vm_data = vm;
			out->peak_rss = rss;
			out->peak_in_use = in_use;
			out->peak_mmap = mmap;
		}
		out->end_vm_data = vm;
		out->end_rss = rss;
		out->end_in_use = in_use;
		out->end_mmap = mmap;
		if (r.aborted) {
			out->aborted = true;
			break;
		}
	}
	out->steps = ran;
	/* A run that ended early (an abort) fills fewer columns. */
	if (steps > 0)
		out->bucket_count = ran ? (ran - 1) * out->bucket_count / steps + 1 : 0;
	ok = ok && take_live_set(h, s, stacks, &out->live_at_end) && take_pins(h, s, stacks, &out->pinned_at_end);
	sim_heap_free(h);
	/* Pass 2: the live set at the peak. */
	if (ok && out->peak_step > 0) {
		h = sim_heap_new(config);
		ok = h != NULL;
		for (size_t i = 0; ok && i < out->peak_step; i++) {
			sim_result r;
			ok = sim_heap_step(h, &s->ops[i], NULL, &r);
		}
		ok = ok && take_live_set(h, s, stacks, &out->live_at_peak);
		sim_heap_free(h);
	}
	sim_events_release(&ev);
	out->out_of_memory = !ok;
	return ok;
}
