/* undo.c — the undo journal (undo.h) and the write barrier's recorder.
 *
 * Owns: struct sim_undo, the journal of the steps its heap ran: per step,
 * a copy of sim_heap itself (the scalars; its array pointers and
 * capacities are not restored from it) and the old bytes of every array
 * element the step was about to write, as the *_w accessors of
 * heap_internal.h report them (undo_note). Must not: change a heap except
 * in sim_undo_back, or know what any field means: it restores bytes.
 *
 * Exactness. Every write to a state array passes a barrier (the arrays
 * are const in sim_heap: the compiler refuses any other write), and the
 * scalars are copied before the step touches anything, so putting the
 * old bytes back in reverse order (the oldest copy of an element wins)
 * and then the scalars gives back the state the step started from.
 * Arrays only grow inside a step: the elements a step added lie past the
 * used counts the scalars restore, and a grown capacity is kept (with
 * the zeroed tail slots and page bits need, as every write past the old
 * end was journaled from zero). The one array replaced inside a step,
 * the chunk index when it doubles, is journaled whole and put back with
 * its old capacity (the hash positions depend on it).
 *
 * An element written several times in a step is journaled once while a
 * small direct-mapped memo remembers it (a miss only journals it again,
 * which reverse order makes harmless).
 *
 * Tails (sim_undo_tail_take): a keyframe keeps the journal of the few
 * steps before it, taken while the build replayed them (a marker that
 * also journals, sim_undo_record), and a journal attached to that
 * keyframe's restored state takes them on (sim_undo_load_tail) as its
 * oldest, "foreign" steps: the state is equal, not the same heap, so a
 * foreign step keeps no chunk index entries (the index is a cache: an
 * undo of one leaves it stale, to be filled on the next lookup), and it
 * is undone only when every element it writes and every count its
 * scalars restore lie within the capacities the state has now (else the
 * undo fails as an allocation failure does, and the caller restores). */
#include "undo.h"

#include <stdlib.h>
#include <string.h>

#include "heap_internal.h"

enum { MEMO = 1024 };
#define WHOLE UINT64_MAX /* entry.first of the index journaled whole */

typedef struct entry {
	uint64_t first;  /* first element, or WHOLE */
	size_t offset;   /* of the old bytes in `bytes` */
	uint32_t array;  /* undo_array */
	uint32_t count;  /* elements (WHOLE: the old index capacity) */
} entry;

typedef struct step_rec {
	size_t entry_start; /* its first entry */
	size_t head_offset; /* its copy of sim_heap in `bytes` (its bytes start there) */
} step_rec;

struct sim_undo {
	sim_heap *heap;
	size_t max_bytes;
	unsigned char *bytes;
	size_t len, cap;
	entry *entries;
	size_t entry_count, entry_cap;
	step_rec *steps; /* the open step, if any, is the last */
	size_t step_count, step_cap;
	size_t foreign; /* the oldest this many steps are a tail's (sim_undo_load_tail) */
	bool open; /* a step is being journaled */
	bool lost; /* the open step could not be kept whole */
	uint32_t gen; /* the open step's number for the memo */
	uint64_t memo_key[MEMO];
	uint32_t memo_gen[MEMO];
	/* a marker (sim_undo_new_marking) keeps no bytes: a bit for each
	 * element of the arrays sim_undo_marked names written, for the first
	 * marked[i] of array i */
	bool marking;
	bool recording; /* a marker that journals too (sim_undo_record) */
	uint64_t *marks[SIM_UNDO_MARKED];
	size_t marked[SIM_UNDO_MARKED];
	size_t set[SIM_UNDO_MARKED]; /* how many of those bits are set */
};

static size_t elem_size(unsigned array)
{
	switch (array) {
	case UNDO_ARENAS: return sizeof(arena);
	case UNDO_THREADS: return sizeof(thread_rec);
	case UNDO_HEAPS: return sizeof(heap_rec);
	case UNDO_CHUNKS: return sizeof(chunk);
	case UNDO_SLOTS: return sizeof(slot_rec);
	case UNDO_MAPS: return sizeof(mapping);
	case UNDO_MAP_NODES: return sizeof(map_node);
	case UNDO_RUNS: return sizeof(run_node);
	case UNDO_SIZES: return sizeof(size_node);
	default: return sizeof(uint64_t); /* index, page bits, heap page bits */
	}
}

static unsigned char *array_base(const sim_heap *h, unsigned array)
{
	const void *p;
	switch (array) {
	case UNDO_ARENAS: p = h->arenas; break;
	case UNDO_THREADS: p = h->threads; break;
	case UNDO_HEAPS: p = h->heaps; break;
	case UNDO_HEAP_PAGES: p = h->heap_pages; break;
	case UNDO_CHUNKS: p = h->chunks; break;
	case UNDO_INDEX: p = h->index; break;
	case UNDO_SLOTS: p = h->slots; break;
	case UNDO_MAPS: p = h->maps; break;
	case UNDO_MAP_NODES: p = h->map_nodes; break;
	case UNDO_PAGES: p = h->pages; break;
	case UNDO_RUNS: p = h->runs; break;
	default: p = h->sizes; break;
	}
	return UNDO_RAW(p);
}

static size_t held(const sim_undo *u)
{
	return u->len + u->entry_count * sizeof(entry) + u->step_count * sizeof(step_rec);
}

sim_undo *sim_undo_new(size_t max_bytes)
{
	sim_undo *u = calloc(1, sizeof *u);
	if (u)
		u->max_bytes = max_bytes;
	return u;
}

sim_undo *sim_undo_new_marking(void)
{
	sim_undo *u = calloc(1, sizeof *u);
	if (u)
		u->marking = true;
	return u;
}

bool sim_undo_mark_reset(sim_undo *undo)
{
	const sim_heap *h = undo->heap;
	size_t want[SIM_UNDO_MARKED] = {h ? h->chunk_used : 0, h ? h->slot_cap : 0, h ? h->map_used : 0,
	                                h ? h->map_node_used : 0};
	for (int i = 0; i < SIM_UNDO_MARKED; i++) {
		size_t words = (want[i] + 63) / 64, have = (undo->marked[i] + 63) / 64;
		if (words > have || undo->marks[i] == NULL) {
			uint64_t *m = realloc(undo->marks[i], (words ? words : 1) * sizeof *m);
			if (m == NULL)
				return false;
			undo->marks[i] = m;
		}
		memset(undo->marks[i], 0, (words ? words : 1) * sizeof *undo->marks[i]);
		undo->marked[i] = want[i];
		undo->set[i] = 0;
	}
	return true;
}

const uint64_t *sim_undo_marks(const sim_undo *undo, sim_undo_marked which, size_t *marked)
{
	*marked = undo->marked[which];
	return undo->marks[which];
}

size_t sim_undo_marks_set(const sim_undo *undo, sim_undo_marked which)
{
	return undo->set[which];
}

/* A marker's note: the bits of the elements written, of the arrays it
 * marks. */
static void mark(sim_undo *u, unsigned array, size_t first, size_t count)
{
	int i = array == UNDO_CHUNKS      ? SIM_UNDO_MARK_CHUNKS
	        : array == UNDO_SLOTS     ? SIM_UNDO_MARK_SLOTS
	        : array == UNDO_MAPS      ? SIM_UNDO_MARK_MAPS
	        : array == UNDO_MAP_NODES ? SIM_UNDO_MARK_MAP_NODES
	                                  : -1;
	if (i < 0)
		return;
	for (size_t e = first; e < first + count && e < u->marked[i]; e++) {
		uint64_t *word = &u->marks[i][e / 64], bit = (uint64_t)1 << (e % 64);
		u->set[i] += (*word & bit) == 0;
		*word |= bit;
	}
}

void sim_undo_free(sim_undo *undo)
{
	if (!undo)
		return;
	sim_undo_detach(undo);
	for (int i = 0; i < SIM_UNDO_MARKED; i++)
		free(undo->marks[i]);
	free(undo->bytes);
	free(undo->entries);
	free(undo->steps);
	free(undo);
}

/* Forgets every step journaled (a marker's marks stay). */
static void forget(sim_undo *u)
{
	u->len = u->entry_count = u->step_count = u->foreign = 0;
}

void sim_undo_clear(sim_undo *undo)
{
	/* a marker no longer knows what changed: everything did */
	for (int i = 0; i < SIM_UNDO_MARKED; i++)
		if (undo->marks[i] != NULL) {
			memset(undo->marks[i], 0xff, (undo->marked[i] + 63) / 64 * sizeof *undo->marks[i]);
			undo->set[i] = undo->marked[i];
		}
	forget(undo);
	if (undo->open)
		undo->lost = true; /* the open step's head went with the rest */
}

void sim_undo_attach(sim_undo *undo, sim_heap *heap)
{
	sim_undo_detach(undo);
	if (heap->undo)
		sim_undo_detach(heap->undo);
	undo->heap = heap;
	heap->undo = undo;
	undo->open = false;
	sim_undo_clear(undo);
}

void sim_undo_detach(sim_undo *undo)
{
	if (undo->heap)
		undo->heap->undo = NULL;
	undo->heap = NULL;
	undo->open = false;
	sim_undo_clear(undo);
}

size_t sim_undo_depth(const sim_undo *undo)
{
	return undo->step_count - (undo->open ? 1 : 0);
}

size_t sim_undo_bytes(const sim_undo *undo)
{
	return held(undo) + undo->cap - undo->len + (undo->entry_cap - undo->entry_count) * sizeof(entry) +
	       (undo->step_cap - undo->step_count) * sizeof(step_rec);
}

size_t sim_undo_bytes_back(const sim_undo *undo, size_t steps)
{
	size_t closed = sim_undo_depth(undo);
	if (steps == 0 || steps > closed)
		return steps == 0 ? 0 : SIZE_MAX;
	const step_rec *s = &undo->steps[closed - steps];
	size_t end = undo->open ? undo->steps[closed].head_offset : undo->len;
	return end - s->head_offset;
}

/* Forgets the oldest k steps (never the open one). */
static void drop_oldest(sim_undo *u, size_t k)
{
	if (k == 0)
		return;
	if (k == u->step_count) {
		forget(u);
		return;
	}
	u->foreign = u->foreign > k ? u->foreign - k : 0;
	size_t b = u->steps[k].head_offset, e = u->steps[k].entry_start;
	memmove(u->bytes, u->bytes + b, u->len - b);
	u->len -= b;
	memmove(u->entries, u->entries + e, (u->entry_count - e) * sizeof *u->entries);
	u->entry_count -= e;
	for (size_t i = 0; i < u->entry_count; i++)
		u->entries[i].offset -= b;
	memmove(u->steps, u->steps + k, (u->step_count - k) * sizeof *u->steps);
	u->step_count -= k;
	for (size_t i = 0; i < u->step_count; i++) {
		u->steps[i].head_offset -= b;
		u->steps[i].entry_start -= e;
	}
}

/* Room for `need` elements, doubling but not past `limit` bytes (the
 * budget): each buffer stays within it. */
static bool grow(void **p, size_t *cap, size_t need, size_t elem, size_t limit)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	if (c * elem > limit)
		c = limit / elem > need ? limit / elem : need;
	void *q = realloc(*p, c * elem);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* Room for `bytes` more bytes and `entries` more entries and steps within
 * the budget, forgetting old steps as needed; false (the open step is
 * lost) when even that cannot make room. */
static bool room(sim_undo *u, size_t bytes, size_t entries)
{
	size_t add = bytes + entries * (sizeof(entry) + sizeof(step_rec));
	while (held(u) + add > u->max_bytes) {
		size_t closed = u->step_count - (u->open ? 1 : 0);
		if (closed == 0)
			return false;
		drop_oldest(u, (closed + 1) / 2);
	}
	return grow((void **)&u->bytes, &u->cap, u->len + bytes, 1, u->max_bytes) &&
	       grow((void **)&u->entries, &u->entry_cap, u->entry_count + entries, sizeof(entry), u->max_bytes) &&
	       grow((void **)&u->steps, &u->step_cap, u->step_count + entries, sizeof(step_rec), u->max_bytes);
}

void undo_step_begin(sim_heap *h)
{
	sim_undo *u = h->undo;
	if (u->marking && !u->recording)
		return;
	if (++u->gen == 0) {
		memset(u->memo_gen, 0, sizeof u->memo_gen);
		u->gen = 1;
	}
	u->open = false; /* (every step kept is closed while room is made) */
	bool ok = room(u, sizeof *h, 1);
	u->open = true;
	u->lost = !ok;
	if (!ok)
		return;
	u->steps[u->step_count++] = (step_rec){.entry_start = u->entry_count, .head_offset = u->len};
	memcpy(u->bytes + u->len, h, sizeof *h);
	u->len += sizeof *h;
}

void undo_step_end(sim_heap *h, bool ok)
{
	sim_undo *u = h->undo;
	if (u->marking && !u->recording)
		return;
	if (!ok || u->lost || !u->open) {
		/* the steps before it cannot be reached past it (a marker
		 * keeps its marks: they still say what the steps wrote) */
		if (u->marking)
			forget(u);
		else
			sim_undo_clear(u);
	}
	u->open = false;
	u->lost = false;
}

void undo_note(sim_heap *h, unsigned array, size_t first, size_t count)
{
	sim_undo *u = h->undo;
	if (u->marking) {
		mark(u, array, first, count);
		if (!u->recording)
			return;
	}
	if (!u->open) {
		/* a write outside sim_heap_step: the journal no longer leads
		 * back to this state */
		if (u->marking)
			forget(u);
		else
			sim_undo_clear(u);
		return;
	}
	if (u->lost)
		return;
	uint64_t at = first;
	if (array == UNDO_INDEX && count == SIZE_MAX) {
		at = WHOLE;
		first = 0;
		count = h->index_cap;
	} else if (count == 1) {
		uint64_t key = (uint64_t)array << 56 | first;
		size_t m = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 54) & (MEMO - 1);
		if (u->memo_gen[m] == u->gen && u->memo_key[m] == key)
			return;
		u->memo_gen[m] = u->gen;
		u->memo_key[m] = key;
	}
	size_t size = elem_size(array), bytes = count * size;
	if (count > UINT32_MAX || !room(u, bytes, 1)) {
		u->lost = true;
		return;
	}
	memcpy(u->bytes + u->len, array_base(h, array) + first * size, bytes);
	u->entries[u->entry_count++] = (entry){.first = at, .offset = u->len, .array = array, .count = (uint32_t)count};
	u->len += bytes;
}

bool undo_in_step(const sim_heap *h)
{
	return h->undo != NULL && h->undo->open;
}

void undo_forget(sim_heap *h)
{
	sim_undo_clear(h->undo);
}

void undo_heap_gone(sim_heap *h)
{
	sim_undo *u = h->undo;
	u->heap = NULL;
	u->open = false;
	sim_undo_clear(u);
	h->undo = NULL;
}

/* The elements array `array` of h has room for. */
static size_t cap_of(const sim_heap *h, unsigned array)
{
	switch (array) {
	case UNDO_ARENAS: return h->arena_cap;
	case UNDO_THREADS: return h->thread_cap;
	case UNDO_HEAPS: return h->heap_cap;
	case UNDO_HEAP_PAGES: return (size_t)h->heap_cap * heap_page_words(h);
	case UNDO_CHUNKS: return h->chunk_cap;
	case UNDO_INDEX: return h->index_cap;
	case UNDO_SLOTS: return h->slot_cap;
	case UNDO_MAPS: return h->map_cap;
	case UNDO_MAP_NODES: return h->map_node_cap;
	case UNDO_PAGES: return h->page_words;
	case UNDO_RUNS: return h->run_cap;
	default: return h->size_cap;
	}
}

/* Whether foreign step s can be undone on h: its elements and the
 * counts its scalars restore lie within h's capacities. */
static bool fits(const sim_heap *h, const sim_undo *u, const step_rec *s)
{
	for (size_t i = s->entry_start; i < u->entry_count; i++) {
		const entry *e = &u->entries[i];
		if (e->first == WHOLE || e->array == UNDO_INDEX || e->first + e->count > cap_of(h, e->array))
			return false;
	}
	sim_heap old;
	memcpy(&old, u->bytes + s->head_offset, sizeof old);
	return old.arena_count <= h->arena_cap && old.thread_count <= h->thread_cap && old.heap_slots <= h->heap_cap &&
	       heap_page_words(&old) == heap_page_words(h) && old.chunk_used <= h->chunk_cap &&
	       old.slot_cap <= h->slot_cap && old.map_used <= h->map_cap && old.map_node_used <= h->map_node_cap &&
	       old.page_words <= h->page_words && old.run_used <= h->run_cap && old.size_used <= h->size_cap &&
	       old.index_cap <= h->index_cap;
}

bool sim_undo_back(sim_undo *undo)
{
	sim_undo *u = undo;
	sim_heap *h = u->heap;
	if (h == NULL || u->open || u->step_count == 0)
		return false;
	const step_rec *s = &u->steps[u->step_count - 1];
	bool foreign = u->step_count <= u->foreign;
	if (foreign && !fits(h, u, s)) {
		sim_undo_clear(u);
		return false;
	}
	for (size_t i = u->entry_count; i-- > s->entry_start;) {
		const entry *e = &u->entries[i];
		size_t size = elem_size(e->array);
		if (e->first == WHOLE) {
			uint64_t *index = malloc((size_t)e->count * sizeof *index);
			if (!index) {
				sim_undo_clear(u);
				return false;
			}
			memcpy(index, u->bytes + e->offset, (size_t)e->count * sizeof *index);
			free(UNDO_RAW(h->index));
			h->index = index;
			h->index_cap = e->count;
			continue;
		}
		memcpy(array_base(h, e->array) + e->first * size, u->bytes + e->offset, (size_t)e->count * size);
	}
	/* the scalars, keeping the buffers the heap has now */
	sim_heap now;
	memcpy(&now, h, sizeof now);
	memcpy(h, u->bytes + s->head_offset, sizeof *h);
	h->arenas = now.arenas;
	h->arena_cap = now.arena_cap;
	h->threads = now.threads;
	h->thread_cap = now.thread_cap;
	h->heaps = now.heaps;
	h->heap_pages = now.heap_pages;
	h->heap_cap = now.heap_cap;
	h->chunks = now.chunks;
	h->chunk_cap = now.chunk_cap;
	h->index = now.index;
	h->index_cap = now.index_cap;
	h->runs = now.runs;
	h->run_cap = now.run_cap;
	h->sizes = now.sizes;
	h->size_cap = now.size_cap;
	h->slots = now.slots;
	h->slot_cap = now.slot_cap;
	h->maps = now.maps;
	h->map_cap = now.map_cap;
	h->map_nodes = now.map_nodes;
	h->map_node_cap = now.map_node_cap;
	h->pages = now.pages;
	h->page_words = now.page_words;
	h->undo = now.undo;
	h->ev = NULL;
	if (foreign) {
		/* (the index this state has is not the one that step left) */
		h->index_live = false;
		h->index_idle = 0;
	}
	u->entry_count = s->entry_start;
	u->len = s->head_offset;
	u->step_count--;
	u->foreign = u->foreign < u->step_count ? u->foreign : u->step_count;
	return true;
}

void sim_undo_record(sim_undo *undo, size_t max_bytes)
{
	forget(undo);
	undo->max_bytes = max_bytes;
	undo->recording = undo->marking && max_bytes > 0;
	undo->open = false;
	undo->lost = false;
}

/* A journal's last steps apart from any heap: its arrays in one block. */
struct sim_undo_tail {
	size_t step_count, entry_count, len;
	step_rec *steps;
	entry *entries;
	unsigned char *bytes;
};

/* The entries of closed step i: [*from, *to). */
static void entries_of(const sim_undo *u, size_t i, size_t *from, size_t *to)
{
	*from = u->steps[i].entry_start;
	*to = i + 1 < u->step_count ? u->steps[i + 1].entry_start : u->entry_count;
}

sim_undo_tail *sim_undo_tail_take(const sim_undo *undo, size_t steps, size_t max_bytes)
{
	size_t closed = sim_undo_depth(undo), first = closed, entries = 0, bytes = 0;
	/* the newest steps first, while they fit and none journaled the
	 * index whole (it grew: its capacity is part of what an equal state
	 * may differ in) */
	while (first > 0 && closed - first < steps) {
		size_t a, b, e_n = 0, b_n = sizeof(sim_heap);
		bool whole = false;
		entries_of(undo, first - 1, &a, &b);
		for (size_t e = a; e < b; e++) {
			whole = whole || undo->entries[e].first == WHOLE;
			if (undo->entries[e].array != UNDO_INDEX) {
				e_n++;
				b_n += (size_t)undo->entries[e].count * elem_size(undo->entries[e].array);
			}
		}
		size_t n = closed - first + 1;
		if (whole || sizeof(sim_undo_tail) + n * sizeof(step_rec) + (entries + e_n) * sizeof(entry) + bytes + b_n > max_bytes)
			break;
		first--;
		entries += e_n;
		bytes += b_n;
	}
	if (first >= closed)
		return NULL;
	size_t n = closed - first;
	sim_undo_tail *t = malloc(sizeof *t + n * sizeof(step_rec) + entries * sizeof(entry) + bytes);
	if (t == NULL)
		return NULL;
	t->steps = (step_rec *)(t + 1);
	t->entries = (entry *)(t->steps + n);
	t->bytes = (unsigned char *)(t->entries + entries);
	t->step_count = n;
	t->entry_count = t->len = 0;
	for (size_t i = first; i < closed; i++) {
		size_t a, b;
		entries_of(undo, i, &a, &b);
		t->steps[i - first] = (step_rec){.entry_start = t->entry_count, .head_offset = t->len};
		memcpy(t->bytes + t->len, undo->bytes + undo->steps[i].head_offset, sizeof(sim_heap));
		t->len += sizeof(sim_heap);
		for (size_t e = a; e < b; e++) {
			const entry *x = &undo->entries[e];
			if (x->array == UNDO_INDEX)
				continue;
			size_t size = (size_t)x->count * elem_size(x->array);
			memcpy(t->bytes + t->len, undo->bytes + x->offset, size);
			t->entries[t->entry_count++] = (entry){.first = x->first, .offset = t->len, .array = x->array, .count = x->count};
			t->len += size;
		}
	}
	return t;
}

size_t sim_undo_tail_bytes(const sim_undo_tail *tail)
{
	return tail == NULL ? 0
	                    : sizeof *tail + tail->step_count * sizeof(step_rec) + tail->entry_count * sizeof(entry) + tail->len;
}

size_t sim_undo_tail_steps(const sim_undo_tail *tail)
{
	return tail == NULL ? 0 : tail->step_count;
}

void sim_undo_tail_free(sim_undo_tail *tail)
{
	free(tail);
}

bool sim_undo_load_tail(sim_undo *undo, const sim_undo_tail *tail)
{
	sim_undo *u = undo;
	if (u->heap == NULL || u->marking || u->open || u->step_count != 0 || tail == NULL)
		return false;
	size_t most = tail->entry_count > tail->step_count ? tail->entry_count : tail->step_count;
	if (held(u) + tail->len + most * (sizeof(entry) + sizeof(step_rec)) > u->max_bytes || !room(u, tail->len, most))
		return false;
	memcpy(u->bytes, tail->bytes, tail->len);
	memcpy(u->entries, tail->entries, tail->entry_count * sizeof *tail->entries);
	memcpy(u->steps, tail->steps, tail->step_count * sizeof *tail->steps);
	u->len = tail->len;
	u->entry_count = tail->entry_count;
	u->step_count = tail->step_count;
	u->foreign = tail->step_count;
	return true;
}
