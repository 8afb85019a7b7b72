/* import_recording.c — brksim's own recordings (`brksim record`,
 * record/recorder.c; format in docs/traces.md).
 *
 * Owns: the header (`# key value` lines: version, glibc, run, pid, exe,
 * brk0, tunables, env aliases, forked-from, stack-depth), the recorder's
 * lines about itself (note, disturbed, stopped, end), the op lines, the
 * choice of what to replay (the main thread's calls on main-arena and
 * mmapped chunks), the per-op recorded results for trace_compare_*, and
 * the lines of format 2 that describe call stacks (`# module`, `s`,
 * `# sym`, and `@ID` at the end of an allocating record), which it hands
 * to trace/stacks.c. Slots of a recording with stacks are named after
 * their call site (`load_config@2a0`); without, after the pointer (`p2a0`).
 * Must not: do I/O.
 *
 * The stack lines are read in a first pass over the file: the `# sym`
 * lines come last (the driver appends them after the program exits), and
 * a slot's name needs its site when the slot is made.
 *
 * Pointers in a recording are `0` (NULL), `+off` (main heap, offset from
 * brk0), `Mabs` (mmapped chunk), `Aabs` (another arena), `?abs` (main
 * arena outside the brk heap; or, after `# malloc-from PATH`, any pointer
 * of the program's own allocator, which is not glibc's: then every call
 * is replayed on the model with its pointers as names, and nothing
 * recorded is compared). Lines of threads other than the main one
 * start with `T<tid> `; every thread's calls are kept, in the recorded
 * order, each as its thread's op (thread numbers are dense, the main
 * thread is 0, a number is used again after its thread exits). `T<tid> n
 * PARENT` starts a thread; its exit (`T<tid> x`) is placed after the
 * thread's last record (a first pass finds it: a call logged after the
 * exit record, by a later key destructor, still belongs to the thread). A
 * thread seen without its `n` line (made before recording began, or not
 * through pthread_create) is started by the main thread at its first
 * call. A trailing run of NUL bytes is the unused end of the recorder's
 * last window (a process that died or exec'ed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* The first pass finds newlines 16 bytes at a time with SSE2; the byte
 * loop is the other hosts' (tests build it on x86 too: BRKSIM_SCAN_BYTES). */
#if defined(__SSE2__) && !defined(BRKSIM_SCAN_BYTES)
#define SCAN_SSE2 1
#include <emmintrin.h>
#endif

#include "../lang/input_limits.h"
#include "../lang/tunables.h"
#include "../lang/utf8.h"
#include "../sim/hugepages.h"
#include "import_util.h"
#include "importers.h"
#include "ptrmap.h"

enum { PK_NULL = 0, PK_HEAP, PK_MMAP, PK_ARENA, PK_ELSEWHERE };

typedef struct rec_ptr {
	int kind;       /* PK_* */
	uint64_t value; /* offset (PK_HEAP) or absolute address */
} rec_ptr;

/* A one-entry memo of a tmap's lookups by thread id: a recording's
 * consecutive records are nearly all of the same thread (354,952 of
 * the 355,310 `T` lines of perl-threads-400k.rec follow one of the same
 * thread). Valid while the map keeps the table it was made on (its items
 * and capacity: the table only grows, and a grown one is another). */
typedef struct tid_memo {
	uint64_t key;
	const tmap_entry *items; /* NULL: empty */
	size_t capacity, index;
} tid_memo;

/* The memo's entry for key, or NULL when it holds another (or none). */
static inline tmap_entry *memo_entry(const tmap *m, const tid_memo *memo, uint64_t key)
{
	return memo->items != NULL && memo->items == m->items && memo->capacity == m->capacity && memo->key == key
	               ? &m->items[memo->index]
	               : NULL;
}

static inline void memo_keep(tid_memo *memo, const tmap *m, uint64_t key, const tmap_entry *e)
{
	memo->key = key;
	memo->items = m->items;
	memo->capacity = m->capacity;
	memo->index = (size_t)(e - m->items);
}

typedef struct rec_state {
	tbuild b;
	trace_stacks *stacks;
	ptrmap ptrs;        /* pointer -> slot */
	/* The slots of one pointer (one per call site that got it) form a
	 * ring through ring_next, so a pointer that comes back from a site it
	 * had before gets that site's slot again. All the slots a pointer
	 * ever had (a ring starts again when the pointer comes back while
	 * still live) form a second ring through all_next: a slot's name can
	 * only equal the name of a slot of the same pointer, so that ring
	 * says which names are taken, without a lookup by name. */
	sim_slot *ring_next;
	sim_slot *all_next;
	/* The line that last returned each slot (ring_cap of them), for the
	 * message of a pointer returned again while live: read through the
	 * pointer's live slot. Kept by slot rather than in the pointer map's
	 * entries: 4 bytes a slot instead of 4 an entry of a table at most
	 * half full (ptrmap.h). */
	uint32_t *ret_line;
	size_t ring_cap;
	/* trace_extra.names_on_demand while visiting: no name and no
	 * all_next ring; slot_ptr (ring_cap of them) keeps each slot's
	 * pointer key for recording_slot_name */
	bool lazy_names;
	uint64_t *slot_ptr;
	sim_slot failed_slot;
	bool in_header;
	bool saw_magic;
	bool foreign;       /* `# malloc-from`: another allocator's pointers, all `?abs` */
	uint64_t end_count; /* from `# end N` */
	bool saw_end;
	size_t op_lines;    /* record lines, all threads */
	uint64_t brk0, brk_now;
	bool have_brk0, have_brk_now;
	uint32_t brk_line;
	/* threads: tid -> {slot = its number, line = where its life's last
	 * record is (first pass), state LIVE while it runs} */
	tmap tids;
	tid_memo tids_memo;         /* thread_number's last lookup */
	unsigned char *number_used; /* SIM_THREAD_MAX + 1 bytes: a running thread has the number */
	uint32_t *exit_after;       /* lines after which a thread exits (first pass), ascending */
	size_t exit_count, exit_cap, exit_next;
	size_t implicit_starts;     /* threads seen without their `n` record */
	uint32_t first_implicit;
	uint32_t cpus;              /* `# cpus N` */
	size_t record_lines;        /* first pass: lines that may be records (sizes the op arrays) */
	size_t returning_lines;     /* first pass: those of calls that may return a main-heap pointer (sizes the pointer map) */
	size_t returning_other;     /* first pass: those of calls that may return another pointer (sizes its wide table) */
	bool late_config;           /* first pass: a line that sets the config comes after a record */
	/* Each call site's slot-name prefix ("push_back@"), made from its
	 * function name at the site's first slot rather than at every slot
	 * (half a million in a perl recording); len 0 = not made yet. */
	struct site_prefix {
		char text[44];
		uint8_t len;
	} *site_prefix;
	size_t site_prefix_count;
} rec_state;

static uint64_t ptr_key(const rec_ptr *p)
{
	return p->value | ((uint64_t)p->kind << 58);
}

/* p's key in the pointer map (ptrmap.h): a heap offset as it is,
 * another kind by ptr_key. */
static inline uint64_t map_key(const rec_ptr *p)
{
	return p->kind == PK_HEAP ? p->value : ptr_key(p);
}

/* The pointer map's value for p, or NULL; the _get one inserts it. */
static ptrmap_val *ptr_find(const rec_state *st, const rec_ptr *p)
{
	return ptrmap_find(&st->ptrs, p->kind == PK_HEAP, map_key(p));
}

/* The map's hash of p (ptrmap_hash), for a prefetch and the lookup
 * after it: ptr_find_hashed, ptr_get_hashed. */
static inline size_t ptr_hash(const rec_ptr *p)
{
	return ptrmap_hash(p->kind == PK_HEAP, map_key(p));
}

static inline ptrmap_val *ptr_find_hashed(const rec_state *st, const rec_ptr *p, size_t hash)
{
	return ptrmap_find_hashed(&st->ptrs, p->kind == PK_HEAP, map_key(p), hash);
}

static inline ptrmap_val *ptr_get_hashed(rec_state *st, const rec_ptr *p, size_t hash)
{
	return ptrmap_get_hashed(&st->ptrs, p->kind == PK_HEAP, map_key(p), hash);
}

/* Each field must end at a space or the end of the line. */
static bool field_end(const tcur *c)
{
	return tcur_at_end(c) || *c->p == ' ';
}

static bool read_hex(rec_state *st, tcur *c, const char *what, uint64_t *v)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	tcur probe = *c;
	tnum_status s = tcur_hex(&probe, false, v);
	if (s == TNUM_OK && field_end(&probe)) {
		*c = probe;
		return true;
	}
	tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
	             s == TNUM_OVERFLOW ? "%s %s is too large" : "expected %s (hex), found %s", what,
	             tcur_token_text(c, buf, sizeof buf));
	return false;
}

/* Signed hex: [-]hex. */
static bool read_shex(rec_state *st, tcur *c, const char *what, int64_t *v)
{
	tcur_skip_space(c);
	bool negative = tcur_eat(c, "-");
	uint64_t u;
	if (!read_hex(st, c, what, &u))
		return false;
	*v = negative ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

static bool read_ptr(rec_state *st, tcur *c, rec_ptr *p)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	if (tcur_at_end(c)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), 0,
		             "expected a pointer (0, +offset, M, A or ? address), found end of line");
		return false;
	}
	char k = *c->p;
	if (k == '0' && (c->p + 1 == c->end || c->p[1] == ' ')) {
		c->p++;
		p->kind = PK_NULL;
		p->value = 0;
		return true;
	}
	p->kind = k == '+' ? PK_HEAP : k == 'M' ? PK_MMAP : k == 'A' ? PK_ARENA : k == '?' ? PK_ELSEWHERE : -1;
	if (p->kind < 0) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "expected a pointer (0, +offset, M, A or ? address), found %s", tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	c->p++;
	tcur probe = *c;
	tnum_status s = tcur_hex(&probe, false, &p->value);
	if (s != TNUM_OK || !field_end(&probe) || p->value >> 56) {
		c->p--;
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "malformed pointer %s", tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	*c = probe;
	return true;
}

/* Fills *r in place (a struct returned by value was built on the stack
 * with byte stores and then copied 16 bytes at a time, which waited for
 * them: the costliest line of the import). */
static void recorded_set(trace_recorded *r, const rec_ptr *p, uint64_t brk)
{
	memset(r, 0, sizeof *r);
	r->has_brk = true;
	r->brk = brk;
	/* (a pointer's kind by a table: the chain of tests was 0.5 % of
	 * run --quiet's instructions) */
	static const unsigned char ret_kind[] = {
		[PK_NULL] = TRACE_RET_NULL, [PK_HEAP] = TRACE_RET_HEAP, [PK_MMAP] = TRACE_RET_MMAP,
		[PK_ARENA] = TRACE_RET_ARENA, [PK_ELSEWHERE] = TRACE_RET_OTHER,
	};
	r->ret = p->kind == PK_NULL ? 0 : p->value;
	r->ret_kind = ret_kind[p->kind];
}

/* A slot name from a call site's function: its last C++ scope without
 * template arguments or parameters, letters, digits and '_' only, at
 * most 40 bytes ("std::vector<int>::push_back(int const&)" is
 * "push_back"). Empty when nothing is left. */
static void site_word(const char *fn, char *out, size_t size)
{
	size_t k = 0;
	int angle = 0;
	for (const char *p = fn; *p && *p != '(' && k + 1 < size && k < 40; p++) {
		if (*p == '<')
			angle++;
		else if (*p == '>' && angle > 0)
			angle--;
		else if (angle == 0 && p[0] == ':' && p[1] == ':') {
			k = 0; /* keep the last scope only */
			p++;
		} else if (angle == 0 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		                          *p == '_'))
			out[k++] = *p;
	}
	out[k] = '\0';
}

/* The slot-name prefix of `site`: "word@", or "" when the site has no
 * function name (or is TRACE_NO_SITE); its length in *len. */
static const char *site_prefix(rec_state *st, uint32_t site, size_t *len)
{
	*len = 0;
	if (site >= st->site_prefix_count)
		return "";
	struct site_prefix *sp = &st->site_prefix[site];
	if (sp->len == 0) {
		const char *fn = trace_stacks_site_function(st->stacks, site);
		char word[48] = "";
		if (fn)
			site_word(fn, word, sizeof word);
		size_t n = strlen(word); /* at most 40 */
		memcpy(sp->text, word, n);
		sp->text[n] = '@';
		/* 1 = no word (the '@' is not used); else the word and its '@' */
		sp->len = (uint8_t)(n ? n + 1 : 1);
	}
	*len = sp->len > 1 ? sp->len : 0;
	return sp->text;
}

/* How many hex digits v has (1 for 0). */
static inline unsigned hex_digits(uint64_t v)
{
	return v ? (unsigned)(67 - __builtin_clzll(v)) / 4 : 1;
}

/* Appends lowercase hex of v to name[*len] (written from its last digit
 * back, once its length is known: a copy through a buffer was 4 % of the
 * import's instructions). */
static void append_hex(char *name, size_t *len, uint64_t v)
{
	unsigned n = hex_digits(v);
	char *at = name + *len + n;
	*len += n;
	do {
		*--at = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (--n);
}

/* How many slots of the all-ring through `same` (SIM_NO_SLOT: none)
 * were named after the word `word` (word_len 0: none). */
static unsigned count_word(rec_state *st, sim_slot same, const char *word, size_t word_len)
{
	unsigned n = 0;
	if (same == SIM_NO_SLOT)
		return 0;
	sim_slot s = same;
	do {
		size_t other_len;
		const char *other = site_prefix(st, trace_stacks_site_of_slot(st->stacks, s), &other_len);
		if (other_len == word_len && memcmp(other, word, word_len) == 0)
			n++;
		s = st->all_next[s];
	} while (s != same);
	return n;
}

/* The one other pointer whose slots' names after the same word can equal
 * p's: a main-heap offset whose hex starts with an a ("w@a2a0") and the
 * chunk of another arena at the rest ("w@a" + "2a0"). False when p has
 * no such twin. */
static bool name_twin(const rec_ptr *p, rec_ptr *twin)
{
	if (p->kind == PK_ARENA) {
		unsigned digits = hex_digits(p->value);
		if (digits >= 14) /* the heap offset would be past what read_ptr takes */
			return false;
		*twin = (rec_ptr){PK_HEAP, (uint64_t)0xa << (4 * digits) | p->value};
		return true;
	}
	if (p->kind != PK_HEAP || p->value < 0x10)
		return false;
	unsigned top = hex_digits(p->value) - 1; /* the first digit's place */
	uint64_t rest = p->value & ~((uint64_t)0xf << (4 * top));
	/* the rest must be how the twin's hex is written: no leading 0 (but "0") */
	if ((p->value >> (4 * top)) != 0xa || (top > 1 && rest >> (4 * (top - 1)) == 0))
		return false;
	*twin = (rec_ptr){PK_ARENA, rest};
	return true;
}

/* A slot name is at most a word and its '@' (41), a kind letter, 14 hex
 * digits and ".N": 96 bytes hold it with room. */
enum { SLOT_NAME_SIZE = 96 };

/* Writes a pointer slot's name into name (SLOT_NAME_SIZE bytes, NUL
 * ended): the word and its '@' (word_len 0: none), then a for another
 * arena's chunk, m for a mapped one or x for another allocator's pointer
 * (only a `# malloc-from` recording replays those; p for the heap
 * without a word),
 * the pointer's hex, and ".N" when `taken` slots already have the name
 * (N = taken + 1, as tbuild_slot words a name taken). Returns its length. */
static char kind_letter(const rec_ptr *p)
{
	return p->kind == PK_ARENA ? 'a' : p->kind == PK_ELSEWHERE ? 'x' : 'm';
}

static size_t slot_name_write(char *name, const char *word, size_t word_len, const rec_ptr *p, unsigned taken)
{
	size_t len = 0;
	if (word_len) {
		memcpy(name, word, word_len);
		len = word_len;
		if (p->kind != PK_HEAP)
			name[len++] = kind_letter(p);
	} else {
		name[len++] = p->kind == PK_HEAP ? 'p' : kind_letter(p);
	}
	append_hex(name, &len, p->value);
	if (taken) {
		int n = snprintf(name + len, SLOT_NAME_SIZE - len, ".%u", taken + 1);
		len += n > 0 ? (size_t)n : 0;
	}
	name[len] = '\0';
	return len;
}

/* A slot just made (SIM_NO_SLOT: its allocation failed) given its call
 * site; out of memory is noted in the builder. */
static sim_slot slot_at_site(rec_state *st, sim_slot slot, uint32_t site)
{
	if (slot == SIM_NO_SLOT) {
		st->b.out_of_memory = true;
		return SIM_NO_SLOT;
	}
	if (site != TRACE_NO_SITE && !trace_stacks_set_slot(st->stacks, slot, site))
		st->b.out_of_memory = true;
	return slot;
}

/* A new slot for a pointer: `function@hex` after its call site when the
 * site has a function name, else `p` + hex (heap) / `m` + hex (mmapped),
 * then ".2", ".3" ... when slots already have that name. Only slots of
 * the same pointer (`same`: one of its all-ring, or SIM_NO_SLOT) or of
 * its name_twin can have it: two names differ in their word, their kind
 * letter or their pointer, else in the suffix, and "failed" has neither
 * '@' nor a kind letter and hex. So the names are unique by
 * construction, and the script takes them without a lookup (the name
 * index was a cache miss a name). */
static sim_slot new_pointer_slot(rec_state *st, const rec_ptr *p, uint32_t site, sim_slot same)
{
	if (st->lazy_names) /* named when asked (recording_slot_name), the pointer kept by returned_slot */
		return slot_at_site(st, script_add_unnamed_slot(st->b.out), site);
	size_t word_len;
	const char *word = site_prefix(st, site, &word_len);
	unsigned taken = count_word(st, same, word, word_len);
	rec_ptr twin;
	if (word_len && name_twin(p, &twin)) {
		const ptrmap_val *t = ptr_find(st, &twin);
		if (t)
			taken += count_word(st, t->slot, word, word_len);
	}
	char name[SLOT_NAME_SIZE];
	size_t len = slot_name_write(name, word, word_len, p, taken);
	return slot_at_site(st, script_add_new_slot(st->b.out, name, len), site);
}

/* The word of a site's slot names with its '@' ("push_back@"), as
 * site_prefix makes it, into word (48 bytes); its length, 0 for none. */
static size_t site_word_at(const trace_stacks *stacks, uint32_t site, char *word)
{
	if (site >= stacks->site_count)
		return 0;
	const char *fn = trace_stacks_site_function(stacks, site);
	word[0] = '\0';
	if (fn)
		site_word(fn, word, 47);
	size_t n = strlen(word);
	if (n == 0)
		return 0;
	word[n] = '@';
	return n + 1;
}

/* The script's slot_namer with names on demand (trace_extra's
 * names_on_demand; context: the trace_extra): the name new_pointer_slot
 * would have made. Its suffix counts what count_word counted then: the
 * slots made before it with the same word, of the same pointer or (with
 * a word) of its name_twin, found here by a scan of slot_ptr. */
static const char *recording_slot_name(const void *context, sim_slot slot, char *buf, size_t size)
{
	const trace_extra *x = context;
	if (slot >= x->slot_ptr_count || x->slot_ptr[slot] == 0 || size < SLOT_NAME_SIZE)
		return NULL;
	uint64_t key = x->slot_ptr[slot];
	rec_ptr p = {(int)(key >> 58), key & (((uint64_t)1 << 58) - 1)};
	char word[48], other[48];
	size_t word_len = site_word_at(&x->stacks, trace_stacks_site_of_slot(&x->stacks, slot), word);
	rec_ptr twin;
	uint64_t twin_key = word_len && name_twin(&p, &twin) ? ptr_key(&twin) : 0;
	unsigned taken = 0;
	for (sim_slot s = 0; s < slot; s++) {
		uint64_t k = x->slot_ptr[s];
		if (k == 0 || (k != key && k != twin_key))
			continue;
		size_t other_len = site_word_at(&x->stacks, trace_stacks_site_of_slot(&x->stacks, s), other);
		if (other_len == word_len && memcmp(other, word, word_len) == 0)
			taken++;
	}
	slot_name_write(buf, word, word_len, &p, taken);
	return buf;
}

/* Makes room for `cap` slots in both rings; false when out of memory
 * (then the rings are as they were, or the first one larger). On huge
 * pages from the first pass's count (sim_huge_realloc): grown by
 * doubling, they were copied ten times in perl-1m, on 4 KiB pages. */
static bool reserve_rings(rec_state *st, size_t cap)
{
	if (cap <= st->ring_cap)
		return true;
	if (cap > SIZE_MAX / sizeof(sim_slot))
		return false;
	size_t used = st->ring_cap * sizeof(sim_slot);
	sim_slot *r = sim_huge_realloc(st->ring_next, used, cap * sizeof *r);
	if (!r)
		return false;
	st->ring_next = r;
	uint32_t *l = sim_huge_realloc(st->ret_line, st->ring_cap * sizeof *l, cap * sizeof *l);
	if (!l)
		return false;
	st->ret_line = l;
	if (st->lazy_names) {
		if (cap > SIZE_MAX / sizeof(uint64_t))
			return false;
		uint64_t *k = sim_huge_realloc(st->slot_ptr, st->ring_cap * sizeof(uint64_t), cap * sizeof *k);
		if (!k)
			return false;
		st->slot_ptr = k;
	} else {
		sim_slot *a = sim_huge_realloc(st->all_next, used, cap * sizeof *a);
		if (!a)
			return false;
		st->all_next = a;
	}
	st->ring_cap = cap;
	return true;
}

/* Room in the rings (and slot_ptr) for slot s; false when out of memory
 * (said). */
static bool ring_room(rec_state *st, sim_slot s)
{
	if ((size_t)s < st->ring_cap)
		return true;
	size_t cap = st->ring_cap ? st->ring_cap * 2 : 1024;
	while (cap <= (size_t)s)
		cap *= 2;
	if (!reserve_rings(st, cap)) {
		st->b.out_of_memory = true;
		return false;
	}
	return true;
}

/* The slot for a pointer the allocator returned to the main thread, from
 * call site `site` (TRACE_NO_SITE when the recording has none). A pointer
 * that comes back from the site that had it last reuses its slot; from
 * another site, it gets one named after that site. hash: ptr_hash(p). */
static sim_slot returned_slot(rec_state *st, const rec_ptr *p, size_t hash, uint32_t line, uint32_t col,
                              uint32_t site)
{
	if (p->kind == PK_NULL) {
		if (st->failed_slot == SIM_NO_SLOT) {
			/* no pointer name is "failed" (new_pointer_slot) */
			st->failed_slot = script_add_new_slot(st->b.out, "failed", 6);
			if (st->failed_slot == SIM_NO_SLOT)
				st->b.out_of_memory = true;
			else if (st->lazy_names && ring_room(st, st->failed_slot))
				st->slot_ptr[st->failed_slot] = 0; /* (named) */
		}
		return st->failed_slot;
	}
	ptrmap_val *e = ptr_get_hashed(st, p, hash);
	if (!e) {
		st->b.out_of_memory = true;
		return SIM_NO_SLOT;
	}
	/* any slot the pointer ever had: its names are the ones taken */
	sim_slot same = e->slot;
	if (e->state == TMAP_LIVE) {
		tbuild_issue(&st->b, TI_SUSPECT, false, line, col, 0,
		             "%s%llx is returned again while still live since line %u (freed by a call the recording "
		             "left out?)",
		             p->kind == PK_HEAP ? "+" : "", (unsigned long long)p->value, st->ret_line[e->slot]);
		e->slot = SIM_NO_SLOT; /* the live slot keeps its chunk; start a new ring */
	}
	sim_slot found = SIM_NO_SLOT;
	if (e->slot != SIM_NO_SLOT) {
		sim_slot s = e->slot;
		do {
			if (trace_stacks_site_of_slot(st->stacks, s) == site) {
				found = s;
				break;
			}
			s = st->ring_next[s];
		} while (s != e->slot);
	}
	if (found == SIM_NO_SLOT) {
		found = new_pointer_slot(st, p, site, same); /* (makes no map entry: e stays valid) */
		if (found == SIM_NO_SLOT)
			return SIM_NO_SLOT;
		if (!ring_room(st, found))
			return SIM_NO_SLOT;
		if (e->slot == SIM_NO_SLOT) {
			st->ring_next[found] = found;
		} else {
			st->ring_next[found] = st->ring_next[e->slot];
			st->ring_next[e->slot] = found;
		}
		if (st->lazy_names) {
			st->slot_ptr[found] = ptr_key(p);
		} else if (same == SIM_NO_SLOT) {
			st->all_next[found] = found;
		} else {
			st->all_next[found] = st->all_next[same];
			st->all_next[same] = found;
		}
	}
	e->slot = found;
	e->state = TMAP_LIVE;
	st->ret_line[found] = line;
	return e->slot;
}

/* Why passed_ptr has no entry for p: reported. (Apart: its frame, for
 * the report's call, was a fifth of passed_ptr's instructions.) */
static __attribute__((noinline, cold)) void passed_ptr_unknown(rec_state *st, const rec_ptr *p, const char *call,
                                                                uint32_t line, uint32_t col, bool left_out)
{
	if (p->kind == PK_ELSEWHERE) {
		tbuild_issue(&st->b, TI_OTHER_ARENA, left_out, line, col, 1,
		             "%s of 0x%llx, a chunk of the main arena outside its brk heap: left out", call,
		             (unsigned long long)p->value);
		return;
	}
	tbuild_issue(&st->b, TI_UNKNOWN_PTR, left_out, line, col, 1,
	             "%s of %s%llx, which the recording never returned%s",
	             call, p->kind == PK_HEAP ? "+" : p->kind == PK_ARENA ? "A" : "M", (unsigned long long)p->value,
	             left_out ? ": left out" : ": replayed as malloc");
}

/* A pointer the main thread passes in (free, realloc): its live entry, or
 * NULL after reporting why it cannot be replayed. hash: ptr_hash(p). */
static inline ptrmap_val *passed_ptr(rec_state *st, const rec_ptr *p, size_t hash, const char *call, uint32_t line,
                                     uint32_t col, bool left_out)
{
	if (p->kind != PK_ELSEWHERE || st->foreign) {
		ptrmap_val *e = ptr_find_hashed(st, p, hash);
		if (e && e->state == TMAP_LIVE)
			return e;
	}
	passed_ptr_unknown(st, p, call, line, col, left_out);
	return NULL;
}

/* What the header says about the process, in the script's config: the
 * real initial break and the CPUs glibc counted. */
static void apply_header_config(rec_state *st)
{
	if (st->have_brk0)
		st->b.out->config.heap_start = st->brk0;
	if (st->cpus)
		st->b.out->config.cpus = st->cpus;
}

static void emit(rec_state *st, sim_op *op, uint32_t line, uint32_t col, const trace_recorded *rec)
{
	/* a streamed recording's model starts at its first op: with the
	 * header's settings (read_structure made sure none come later) */
	if (st->b.visit && st->b.op_count == 0)
		apply_header_config(st);
	if (op->slot != SIM_NO_SLOT || op->kind == SIM_OP_TRIM || op->kind == SIM_OP_MALLOPT ||
	    op->kind == SIM_OP_THREAD_START || op->kind == SIM_OP_THREAD_EXIT || op->kind == SIM_OP_FORK ||
	    op->kind == SIM_OP_SBRK)
		tbuild_op_made(&st->b, op, line, col, rec);
}

/* ---- threads ---- */

/* A thread's op with nothing recorded to compare. */
static void emit_thread_op(rec_state *st, sim_op_kind kind, uint32_t thread, uint64_t value, uint32_t line)
{
	sim_op o = sim_op_blank(kind);
	o.thread = thread & SIM_OP_THREAD_MASK;
	o.value = (int64_t)value;
	trace_recorded rec;
	memset(&rec, 0, sizeof rec);
	rec.ret_kind = TRACE_RET_UNKNOWN;
	emit(st, &o, line, 1, &rec);
}

/* The lowest free thread number (0 is the main thread's); SIM_THREAD_MAX
 * + 1 when all are taken. */
static uint32_t take_number(rec_state *st)
{
	if (!st->number_used) {
		st->number_used = calloc((size_t)SIM_THREAD_MAX + 1, 1);
		if (!st->number_used) {
			st->b.out_of_memory = true;
			return SIM_THREAD_MAX + 1;
		}
		st->number_used[0] = 1;
	}
	for (uint32_t n = 1; n <= SIM_THREAD_MAX; n++)
		if (!st->number_used[n]) {
			st->number_used[n] = 1;
			return n;
		}
	return SIM_THREAD_MAX + 1;
}

/* Starts thread `tid` (started by `parent`, a tid; 0 = the main thread):
 * its number, or SIM_THREAD_MAX + 1 after reporting why not. */
static uint32_t start_thread(rec_state *st, uint64_t tid, uint32_t parent_number, uint32_t line, uint32_t col)
{
	tmap_entry *e = tmap_get(&st->tids, tid);
	if (!e) {
		st->b.out_of_memory = true;
		return SIM_THREAD_MAX + 1;
	}
	if (e->state == TMAP_LIVE) /* a second start without an exit between: a new life */
		return e->slot;
	uint32_t n = take_number(st);
	if (n > SIM_THREAD_MAX) {
		tbuild_issue(&st->b, TI_OTHER_THREAD, true, line, col, 0,
		             "thread %llu: more than %u threads at once; its calls are left out", (unsigned long long)tid,
		             SIM_THREAD_MAX);
		return n;
	}
	e->slot = n;
	e->state = TMAP_LIVE;
	char name[32];
	snprintf(name, sizeof name, "T%llu", (unsigned long long)tid);
	/* (from the start op on: the number may have had another thread) */
	if (!script_name_thread_from(st->b.out, n, st->b.op_count, name, strlen(name)))
		st->b.out_of_memory = true;
	emit_thread_op(st, SIM_OP_THREAD_START, parent_number, n, line);
	return n;
}

/* The number of a running thread, or SIM_THREAD_MAX + 1. */
static uint32_t thread_number(rec_state *st, uint64_t tid)
{
	tmap_entry *e = memo_entry(&st->tids, &st->tids_memo, tid);
	if (!e) {
		e = tmap_find(&st->tids, tid);
		if (e)
			memo_keep(&st->tids_memo, &st->tids, tid, e);
	}
	return e && e->state == TMAP_LIVE ? e->slot : SIM_THREAD_MAX + 1;
}

/* After each record line: the exits the first pass placed there. */
static void exits_after_line(rec_state *st, uint64_t tid, uint32_t line)
{
	while (st->exit_next < st->exit_count && st->exit_after[st->exit_next] < line)
		st->exit_next++;
	if (st->exit_next >= st->exit_count || st->exit_after[st->exit_next] != line)
		return;
	st->exit_next++;
	tmap_entry *e = tmap_find(&st->tids, tid);
	if (!e || e->state != TMAP_LIVE)
		return;
	emit_thread_op(st, SIM_OP_THREAD_EXIT, e->slot, 0, line);
	e->state = TMAP_DEAD;
	if (st->number_used)
		st->number_used[e->slot] = 0;
}

/* `# fork-joined PID K [TID]`: the process forked here, by thread TID
 * (the main thread without one), and the calls below are the child's:
 * the fork op, by that thread, which is the child's main thread from
 * here (its lines have no `T` prefix); every other thread is gone, so
 * its tid names a new thread if it comes again. */
static void fork_here(rec_state *st, uint64_t tid, bool have_tid, uint32_t line)
{
	uint32_t forker = 0;
	if (have_tid && (int64_t)tid != st->b.extra->pid) {
		forker = thread_number(st, tid);
		if (forker > SIM_THREAD_MAX) /* (it had made no call: started here, by the main thread) */
			forker = start_thread(st, tid, 0, line, 1);
		if (forker > SIM_THREAD_MAX)
			return;
	}
	emit_thread_op(st, SIM_OP_FORK, forker, 0, line);
	for (size_t i = 0; i < st->tids.capacity; i++) {
		tmap_entry *e = &st->tids.items[i];
		if (e->state != TMAP_LIVE)
			continue;
		e->state = TMAP_DEAD;
		if (st->number_used && e->slot <= SIM_THREAD_MAX)
			st->number_used[e->slot] = 0;
	}
}

/* An allocating op with its stack: the op, then its stack recorded. */
static void emit_with_stack(rec_state *st, sim_op *op, uint32_t line, uint32_t col, const trace_recorded *rec,
                            uint32_t stack)
{
	size_t before = st->b.op_count;
	emit(st, op, line, col, rec);
	/* (a streamed op's stack is not kept unless asked: nothing else
	 * reads it after the step) */
	if (stack != TRACE_NO_STACK && (!st->b.visit || st->b.extra->visit_keeps_stacks) && st->b.op_count > before &&
	    !trace_stacks_set_op(st->stacks, st->b.op_count - 1, stack))
		st->b.out_of_memory = true;
}

static void read_header_line(rec_state *st, tcur *c)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	const char *key = c->p;
	size_t key_len = tcur_token_len(c);
	c->p += key_len;
	tcur_skip_space(c);
	const char *value = c->p;
	size_t value_len = (size_t)(c->end - c->p);
	trace_extra *x = st->b.extra;
#define KEY(k) (key_len == sizeof(k) - 1 && memcmp(key, k, key_len) == 0)
	if (KEY("brksim-recording")) {
		st->saw_magic = true;
		if (!(value_len == 1 && (value[0] == '1' || value[0] == '2')))
			tbuild_issue(&st->b, TI_HEADER, false, c->line, (uint32_t)(value - c->start) + 1, 0,
			             "unsupported recording version '%s' (this brksim reads versions 1 and 2)",
			             DIAG_QUOTE(value, value_len));
	} else if (KEY("glibc")) {
		snprintf(x->glibc_version, sizeof x->glibc_version, "%.*s", (int)value_len, value);
		/* The commands replay a recording under its glibc's profile
		 * (app/load.c says which); only a glibc the model has no
		 * profile for is worth a warning here. */
		char profile[48];
		int n = snprintf(profile, sizeof profile, "glibc-%s", x->glibc_version);
		if (n < 0 || sim_profile_from_name(profile, (size_t)n) < 0) {
			char known[160];
			sim_profile_list(known, sizeof known);
			tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
			             "recorded on glibc %s, which the model has no profile for (it has: %s), so the replay "
			             "may diverge",
			             DIAG_QUOTE(value, value_len), known);
		}
	} else if (KEY("malloc-from")) {
		st->foreign = true;
		snprintf(x->malloc_from, sizeof x->malloc_from, "%.*s", (int)value_len, value);
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
		             "the program's malloc was %s's, not glibc's: its calls are replayed on glibc's model (what "
		             "glibc would do with them), and what that allocator returned is not compared",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("deepbind")) {
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
		             "the program opened %s with RTLD_DEEPBIND: its own calls to malloc and free went straight to "
		             "glibc, around the recorder, so they are not in this file and the replay may part from the "
		             "recording after this line",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("brk-moved")) {
		int64_t from, to;
		if (!read_shex(st, c, "where the break was", &from) || !read_shex(st, c, "where the break went", &to))
			return;
		/* a mark on the timeline where it happened (M seeks to it), for
		 * the first few */
		if (x->brk_moved_count < 16) {
			char label[80], was[24], went[24];
			int n = snprintf(label, sizeof label, "brk moved outside malloc: %s \u2192 %s",
			                 trace_offset_text(from, was, sizeof was), trace_offset_text(to, went, sizeof went));
			if (n > 0 && !script_add_mark(st->b.out, (uint32_t)st->b.op_count, c->line, false, label, (size_t)n))
				st->b.out_of_memory = true;
		}
		/* (unsigned: a malformed pair must not overflow a signed sum) */
		x->brk_moved_total = (int64_t)((uint64_t)x->brk_moved_total + (uint64_t)to - (uint64_t)from);
		if (x->brk_moved_count++ == 0) {
			x->brk_moved_line = c->line;
			x->brk_moved_op = st->b.op_count;
			x->brk_moved_from = from;
			x->brk_moved_to = to;
			char was[24], went[24];
			tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, 0, 0,
			             "the program break moved between two recorded calls, from %s to %s: the program moved it "
			             "itself (sbrk or brk), or a malloc went around the recorder; each such move is replayed as "
			             "the program's own sbrk (glibc's heap then grows past those bytes, and trims nothing while "
			             "the break is above its top), which is exact in the first case",
			             trace_offset_text(from, was, sizeof was), trace_offset_text(to, went, sizeof went));
		}
		/* the move itself: the program's sbrk, by the main thread (it
		 * moves the process's break, whoever called it), with the
		 * break it left to compare */
		sim_op o = sim_op_blank(SIM_OP_SBRK);
		o.value = (int64_t)((uint64_t)to - (uint64_t)from);
		trace_recorded own_rec, *rec = tbuild_rec_room(&st->b, &own_rec);
		memset(rec, 0, sizeof *rec);
		rec->ret_kind = TRACE_RET_UNKNOWN;
		rec->has_brk = to >= 0;
		rec->brk = (uint64_t)to;
		emit(st, &o, c->line, 1, rec);
	} else if (KEY("rlimit-data") || KEY("rlimit-as")) {
		uint64_t bytes;
		if (tcur_dec(c, &bytes) != TNUM_OK || bytes == 0) {
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0,
			             "expected the limit in bytes (decimal, above 0) after '# %.*s'", (int)key_len, key);
			return;
		}
		*(KEY("rlimit-data") ? &x->rlimit_data : &x->rlimit_as) = bytes;
	} else if (KEY("malloc-first")) {
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
		             "the program's first malloc was %s's, loaded before the recorder: the calls it passed on (a "
		             "tracer's) are here, any it served itself (an allocator's) are not",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("valgrind")) {
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
		             "the program ran under valgrind (%s), whose allocator took its malloc calls before glibc's or "
		             "the recorder's saw them: they are not in this file",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("malloc-ahead")) {
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
		             "the program defines a malloc of its own (in %s), which came before the recorder's: its "
		             "calls were not recorded, and this file holds only the calls that reached glibc's",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("cpus")) {
		uint64_t cpus;
		if (tcur_dec(c, &cpus) == TNUM_OK && cpus <= 1u << 20)
			st->cpus = (uint32_t)cpus;
	} else if (KEY("pid")) {
		uint64_t pid;
		if (tcur_dec(c, &pid) == TNUM_OK)
			x->pid = (int64_t)pid;
	} else if (KEY("exe")) {
		snprintf(x->exe, sizeof x->exe, "%.*s", (int)value_len, value);
		/* The window and the step log show what was recorded. */
		/* Titles are valid UTF-8 and printed as they are: escape the path. */
		char title[300];
		static const char prefix[] = "recording of ";
		memcpy(title, prefix, sizeof prefix);
		utf8_escape(value, value_len, UTF8_ESCAPE_LINE, title + sizeof prefix - 1, sizeof title - (sizeof prefix - 1),
		            NULL);
		if (!st->b.out->title) {
			/* and in Chinese, for --lang zh and the window in Chinese */
			char title_zh[320];
			snprintf(title_zh, sizeof title_zh, "录制：%s", title + sizeof prefix - 1);
			if (!script_add_title(st->b.out, c->line, "", title, strlen(title)) ||
			    !script_add_title(st->b.out, c->line, "zh", title_zh, strlen(title_zh)))
				st->b.out_of_memory = true;
		}
	} else if (KEY("brk0") || KEY("brk-now")) {
		uint64_t v;
		if (!read_hex(st, c, "an address", &v))
			return;
		if (KEY("brk0")) {
			st->brk0 = v;
			st->have_brk0 = true;
			st->brk_line = c->line;
		} else {
			st->brk_now = v;
			st->have_brk_now = true;
		}
	} else if (KEY("forked-from")) {
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, 0, 0,
		             "this process was forked from pid %s: its heap began as a copy of the parent's, so a replay "
		             "from an empty heap will diverge",
		             DIAG_QUOTE(value, value_len));
	} else if (KEY("fork-of")) {
		/* (a recorder that marks forks: K, the pid and the file this
		 * heap came from) */
		const char *name = value;
		for (int field = 0; field < 2 && name < value + value_len; field++) {
			const char *space = memchr(name, ' ', (size_t)(value + value_len - name));
			name = space ? space + 1 : value + value_len;
		}
		diag_add(st->b.diags, DIAG_NOTE, c->line, 0,
		         "its parent's recording is %s: 'brksim join' joins this file to it (the parent's calls up to its "
		         "fork, then this process's), a recording that replays as the heap really was",
		         DIAG_QUOTE(name, (size_t)(value + value_len - name)));
	} else if (KEY("forked-after-limit")) {
		diag_add(st->b.diags, DIAG_NOTE, c->line, 0,
		         "its parent's recording had stopped at its size limit (%s bytes) before this fork: the heap this "
		         "process began with is in no recording, so no join can give it back; this file has its calls "
		         "from its first on",
		         DIAG_QUOTE(value, value_len));
	} else if (KEY("fork-joined")) {
		uint64_t pid = 0, seq = 0, tid = 0;
		(void)tcur_dec(c, &pid);
		tcur_skip_space(c);
		(void)tcur_dec(c, &seq);
		tcur_skip_space(c);
		bool have_tid = !tcur_at_end(c) && tcur_dec(c, &tid) == TNUM_OK;
		diag_add(st->b.diags, DIAG_NOTE, c->line, 0,
		         "joined here by brksim join: the process forked here, and the calls below are those of the child, "
		         "pid %llu, whose heap began as this copy",
		         (unsigned long long)pid);
		/* a mark on the timeline where the child's calls begin (M
		 * seeks to it) */
		char label[48];
		int n = snprintf(label, sizeof label, "fork \u2192 pid %llu", (unsigned long long)pid);
		if (n > 0 && !script_add_mark(st->b.out, (uint32_t)st->b.op_count, c->line, false, label, (size_t)n))
			st->b.out_of_memory = true;
		x->fork_joined_step = st->b.op_count;
		fork_here(st, tid, have_tid, c->line);
	} else if (KEY("fork") || KEY("joined")) {
		/* a fork of this process (its child's file names it), and the
		 * file a join was made from: for brksim join */
	} else if (KEY("tunables") || KEY("env")) {
		char text[600];
		if (KEY("tunables")) {
			snprintf(x->tunables, sizeof x->tunables, "%.*s", (int)value_len, value);
			snprintf(text, sizeof text, "%.*s", (int)value_len, value);
		} else {
			/* MALLOC_TOP_PAD_=N and friends: the aliases glibc still reads. */
			static const struct {
				const char *env, *tunable;
			} alias[] = {
				{"MALLOC_TOP_PAD_=", "top_pad"},
				{"MALLOC_TRIM_THRESHOLD_=", "trim_threshold"},
				{"MALLOC_MMAP_THRESHOLD_=", "mmap_threshold"},
				{"MALLOC_MMAP_MAX_=", "mmap_max"},
				{"MALLOC_ARENA_MAX=", "arena_max"}, /* (no trailing underscore in glibc's names) */
				{"MALLOC_ARENA_TEST=", "arena_test"},
			};
			text[0] = '\0';
			for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
				size_t n = strlen(alias[i].env);
				if (value_len > n && memcmp(value, alias[i].env, n) == 0)
					snprintf(text, sizeof text, "glibc.malloc.%s=%.*s", alias[i].tunable, (int)(value_len - n),
					         value + n);
			}
			if (!text[0]) {
				tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
				             "environment setting %s is not modelled: ignored", DIAG_QUOTE(value, value_len));
				return;
			}
		}
		diag_list td;
		diag_list_init(&td);
		tunables_parse(text, strlen(text), &st->b.out->config, &td);
		for (size_t i = 0; i < td.count; i++)
			tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, (uint32_t)(value - c->start) + 1, 0,
			             "the recorded settings '%s': %s", DIAG_QUOTE(value, value_len),
			             td.items[i].message);
		diag_list_release(&td);
	} else if (KEY("end")) {
		st->saw_end = true;
		x->recording_complete = true;
		if (tcur_dec(c, &st->end_count) != TNUM_OK)
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0, "expected the call count after '# end'");
	} else if (KEY("note")) {
		/* What the recorder did about its own output (e.g. reopened it). */
		diag_add(st->b.diags, DIAG_NOTE, c->line, 0, "the recorder noted: %.*s", (int)(value_len > 300 ? 300 : value_len),
		         value);
	} else if (KEY("disturbed") || KEY("stopped")) {
		/* The recorder could not go on: the program's later calls are missing. */
		if (!x->stopped_line) {
			x->stopped_line = c->line;
			/* Printed by run and verify as it is: escaped once, here. */
			utf8_escape(value, value_len, UTF8_ESCAPE_LINE, x->stopped_why, sizeof x->stopped_why, NULL);
		}
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, 0, 0,
		             "the recording stopped early: %s; the program's calls after this line were not recorded",
		             x->stopped_why);
	} else if (KEY("size-limit")) {
		/* The recorder stopped at the size it was given (brksim record
		 * --max-size): the program ran on, its later calls unrecorded. */
		uint64_t limit = 0;
		if (tcur_dec(c, &limit) != TNUM_OK)
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0,
			             "expected the size limit in bytes after '# size-limit'");
		if (!x->stopped_line) {
			x->stopped_line = c->line;
			snprintf(x->stopped_why, sizeof x->stopped_why, TRACE_SIZE_LIMIT_WHY ": %llu bytes",
			         (unsigned long long)limit);
			x->stopped_at_size_limit = true;
		}
		tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, 0, 0,
		             "the recording stopped early: %s; the program's calls after this line were not recorded",
		             x->stopped_why);
	} else if (KEY("run")) {
		/* brksim record's token for this run: how it found its files. */
	} else if (KEY("stack-depth")) {
		uint64_t depth;
		if (tcur_dec(c, &depth) == TNUM_OK && depth <= TRACE_STACK_FRAMES_MAX)
			st->stacks->depth = (unsigned)depth;
	} else if (KEY("module") || KEY("sym")) {
		/* Read by the first pass (read_structure). */
	} else if (KEY("page")) {
		uint64_t page;
		if (tcur_dec(c, &page) == TNUM_OK && page != SIM_PAGE_SIZE)
			tbuild_issue(&st->b, TI_HEADER_WARN, false, c->line, 0, 0,
			             "recorded with %llu-byte pages; the model uses 4096", (unsigned long long)page);
	} else {
		/* Unknown keys are allowed (later recorders may add some). */
		(void)buf;
	}
#undef KEY
}

/* `T<tid> n PARENT` and `T<tid> x`. */
static void read_thread_record(rec_state *st, tcur *c, char op, uint64_t tid, uint32_t col)
{
	char buf[TQUOTE_SIZE];
	uint64_t parent = 0;
	if (op == 'n') {
		tcur_skip_space(c);
		if (tcur_dec(c, &parent) != TNUM_OK || !field_end(c)) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
			             "expected the creating thread's id, found %s", tcur_token_text(c, buf, sizeof buf));
			return;
		}
	}
	tcur_skip_space(c);
	if (!tcur_at_end(c)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "unexpected %s at the end of the record", tcur_token_text(c, buf, sizeof buf));
		return;
	}
	if (op == 'x')
		return; /* the exit comes after the thread's last record (exits_after_line) */
	uint32_t by = (int64_t)parent == st->b.extra->pid ? 0 : thread_number(st, parent);
	if (by > SIM_THREAD_MAX)
		by = 0; /* a creator that already ended (or was never seen): the main thread starts it */
	start_thread(st, tid, by, c->line, col);
}

/* One call of a record line, read: what becomes of it. */
typedef struct rec_call {
	uint32_t line, col; /* col: the record's letter */
	char op;            /* m c r f a l p v V t o */
	bool other;         /* another thread's (tid) */
	bool has_out;       /* the call returns a pointer (out) */
	uint64_t tid;
	uint64_t a, b;      /* sizes, counts, alignments, trim's pad */
	int64_t sa, sb, rc; /* mallopt's parameter and value; a return value or code */
	int64_t sbrk;       /* the break after the call */
	rec_ptr in, out;
	uint32_t stack, site;
	size_t in_hash, out_hash; /* ptr_hash of in and out (of a pointer, not NULL) */
} rec_call;

static void record_call(rec_state *st, const rec_call *k);
static void read_op_line(rec_state *st, tcur *c, uint64_t *tid_out);

static void read_op(rec_state *st, tcur *c)
{
	uint64_t tid = 0;
	read_op_line(st, c, &tid);
	if (tid != 0)
		exits_after_line(st, tid, c->line);
}

static void read_op_line(rec_state *st, tcur *c, uint64_t *tid_out)
{
	char buf[TQUOTE_SIZE];
	st->op_lines++;
	st->b.extra->call_count++;
	uint64_t tid = 0;
	bool other = false;
	if (tcur_eat(c, "T")) {
		if (tcur_dec(c, &tid) != TNUM_OK || !tcur_eat(c, " ")) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, 1, 0, "expected 'T<thread id> ' at the start of the line");
			return;
		}
		other = tid != 0;
		*tid_out = tid;
	}
	uint32_t col = tcur_col(c);
	char op = tcur_at_end(c) ? '\0' : *c->p;
	if (tcur_token_len(c) != 1 || !strchr(other ? "mcrfalpvVtonx" : "mcrfalpvVto", op)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, col, (uint32_t)tcur_token_len(c),
		             other ? "unknown record %s: expected one of m c r f a l p v V t o n x"
		                   : "unknown record %s: expected one of m c r f a l p v V t o",
		             tcur_token_text(c, buf, sizeof buf));
		return;
	}
	c->p++;
	if (op == 'n' || op == 'x') {
		read_thread_record(st, c, op, tid, col);
		return;
	}
	uint64_t a = 0, b = 0;
	int64_t sa = 0, sb = 0, rc = 0, sbrk = 0;
	rec_ptr in = {PK_NULL, 0}, out = {PK_NULL, 0};
	bool has_out = false;
	bool ok = true;
	switch (op) {
	case 'm':
	case 'v':
	case 'V':
		ok = read_hex(st, c, "a size", &a) && read_ptr(st, c, &out);
		has_out = true;
		break;
	case 'c':
	case 'a':
	case 'l':
		ok = read_hex(st, c, op == 'c' ? "an element count" : "an alignment", &a) && read_hex(st, c, "a size", &b) &&
		     read_ptr(st, c, &out);
		has_out = true;
		break;
	case 'p':
		ok = read_hex(st, c, "an alignment", &a) && read_hex(st, c, "a size", &b) && read_ptr(st, c, &out);
		has_out = true;
		break;
	case 'r':
		ok = read_ptr(st, c, &in) && read_hex(st, c, "a size", &b) && read_ptr(st, c, &out);
		has_out = true;
		break;
	case 'f':
		ok = read_ptr(st, c, &in);
		break;
	case 't':
		ok = read_hex(st, c, "a pad", &a) && read_shex(st, c, "a return value", &rc);
		break;
	default: /* 'o' */
		ok = read_shex(st, c, "a parameter", &sa) && read_shex(st, c, "a value", &sb) &&
		     read_shex(st, c, "a return value", &rc);
		break;
	}
	ok = ok && read_shex(st, c, "the break", &sbrk);
	if (ok && op == 'p')
		ok = read_shex(st, c, "a return code", &rc);
	if (!ok)
		return;
	/* Format 2: an allocating call ends in its stack, `@ID` (0: none). */
	uint32_t stack = TRACE_NO_STACK;
	tcur_skip_space(c);
	if (has_out && tcur_eat(c, "@")) {
		uint64_t id;
		tcur probe = *c;
		if (tcur_dec(&probe, &id) != TNUM_OK || !field_end(&probe)) {
			c->p--;
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
			             "expected a stack id after '@', found %s", tcur_token_text(c, buf, sizeof buf));
			return;
		}
		*c = probe;
		if (id != 0) {
			stack = trace_stacks_find(st->stacks, id);
			if (stack == TRACE_NO_STACK)
				tbuild_issue(&st->b, TI_SUSPECT, false, c->line, col, 0,
				             "stack @%llu is not defined by an 's' line: the call has no call site",
				             (unsigned long long)id);
		}
	}
	uint32_t site = trace_stacks_site_of_stack(st->stacks, stack);
	tcur_skip_space(c);
	if (!tcur_at_end(c)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "unexpected %s at the end of the record", tcur_token_text(c, buf, sizeof buf));
		return;
	}
	rec_call k = {c->line, col, op, other, has_out, tid, a, b, sa, sb, rc, sbrk, in, out, stack, site,
	              in.kind != PK_NULL ? ptr_hash(&in) : 0, out.kind != PK_NULL ? ptr_hash(&out) : 0};
	record_call(st, &k);
}


static void record_call(rec_state *st, const rec_call *k)
{
	uint64_t brk = (uint64_t)k->sbrk;
	uint32_t thread = 0;
	if (k->other) {
		thread = thread_number(st, k->tid);
		if (thread > SIM_THREAD_MAX) {
			/* made before recording began, or not through pthread_create */
			if (!st->implicit_starts++)
				st->first_implicit = k->line;
			thread = start_thread(st, k->tid, 0, k->line, 1);
			if (thread > SIM_THREAD_MAX)
				return;
		}
	}

	/* (made where the op goes: the visitor's window, when it takes the
	 * ops so; no emit comes before the op's own) */
	trace_recorded own_rec, *rec = tbuild_rec_room(&st->b, &own_rec);
	recorded_set(rec, &k->out, brk);
	if (!k->has_out)
		rec->ret_kind = TRACE_RET_UNKNOWN;
	if (st->foreign) /* another allocator's results: nothing to compare */
		memset(rec, 0, sizeof *rec);
	/* sim_op_blank's op made in place: its copy, 16 bytes at a time,
	 * waited for the stores that made it */
	sim_op own_op, *o = tbuild_op_room(&st->b, &own_op);
	memset(o, 0, sizeof *o);
	o->kind = SIM_OP_MALLOC;
	o->slot = SIM_NO_SLOT;
	o->arg_slot = SIM_NO_SLOT;
	o->thread = thread & SIM_OP_THREAD_MASK;
	if (k->has_out && k->out.kind == PK_ELSEWHERE && !st->foreign) {
		tbuild_issue(&st->b, TI_OTHER_ARENA, true, k->line, k->col, 1,
		             "the call got 0x%llx from the main arena outside the brk heap: left out",
		             (unsigned long long)k->out.value);
		return;
	}
	switch (k->op) {
	case 'm':
		o->size = k->a;
		break;
	case 'c':
		o->kind = SIM_OP_CALLOC;
		o->nmemb = k->a;
		o->size = k->b;
		break;
	case 'a':
	case 'l':
	case 'p':
		if (k->op == 'p') {
			/* its return code is compared too: a failure (EINVAL,
			 * ENOMEM) leaves the pointer, the model's slot included */
			rec->has_value = true;
			rec->value = k->rc;
		}
		o->kind = SIM_OP_MEMALIGN;
		o->align = k->a;
		o->size = k->b;
		o->align_api = k->op == 'l'   ? SIM_ALIGN_ALIGNED_ALLOC
		               : k->op == 'p' ? SIM_ALIGN_POSIX_MEMALIGN
		                              : SIM_ALIGN_MEMALIGN;
		break;
	case 'v':
	case 'V':
		/* the size as called: the model rounds pvalloc's as the profile's glibc does */
		o->kind = SIM_OP_MEMALIGN;
		o->align = SIM_PAGE_SIZE;
		o->size = k->a;
		o->align_api = k->op == 'V' ? SIM_ALIGN_PVALLOC : SIM_ALIGN_VALLOC;
		break;
	case 'r': {
		o->kind = SIM_OP_REALLOC;
		o->size = k->b;
		if (k->in.kind != PK_NULL) {
			bool elsewhere = k->in.kind == PK_ELSEWHERE && !st->foreign;
			ptrmap_val *e = passed_ptr(st, &k->in, k->in_hash, "realloc", k->line, k->col, elsewhere);
			if (elsewhere)
				return;
			if (!e) {
				o->kind = SIM_OP_MALLOC;
			} else {
				o->arg_slot = e->slot;
				/* (a dead entry's line is never read: only a live
				 * one's, where returned_slot set it) */
				if (k->out.kind != PK_NULL || k->b == 0)
					e->state = TMAP_DEAD;
				if (k->out.kind == PK_NULL && k->b == 0) {
					o->slot = o->arg_slot; /* realloc(p, 0) frees p */
					emit(st, o, k->line, k->col, rec);
					return;
				}
			}
		}
		break;
	}
	case 'f': {
		if (k->in.kind == PK_NULL) {
			tbuild_issue(&st->b, TI_NOOP, true, k->line, k->col, 1, "free(NULL) is a no-op: not replayed");
			return;
		}
		ptrmap_val *e = passed_ptr(st, &k->in, k->in_hash, "free", k->line, k->col, true);
		if (!e)
			return;
		o->kind = SIM_OP_FREE;
		o->slot = e->slot;
		e->state = TMAP_DEAD;
		rec->ret_kind = TRACE_RET_UNKNOWN;
		emit(st, o, k->line, k->col, rec);
		return;
	}
	case 't':
		o->kind = SIM_OP_TRIM;
		o->size = k->a;
		rec->has_value = true;
		rec->value = k->rc;
		emit(st, o, k->line, k->col, rec);
		return;
	default: /* 'o' */
		o->kind = SIM_OP_MALLOPT;
		o->param = (int32_t)k->sa;
		o->value = k->sb;
		rec->has_value = true;
		rec->value = k->rc;
		emit(st, o, k->line, k->col, rec);
		return;
	}
	o->slot = returned_slot(st, &k->out, k->out_hash, k->line, k->col, k->site);
	emit_with_stack(st, o, k->line, k->col, rec, k->stack);
}

/* ---- the common records, read in one go ---- */

/* The hex number at *pp, 1 to `most` (8 or more) digits, that ends the
 * line or is followed by one space (skipped). False for anything else,
 * which read_op_line then reads and words. The line must not be cut: the
 * byte at `end` is then its "\r" or "\n", no hex digit, and the digits
 * are read up to the first byte that is none, without a test of the end
 * or of the count at each. `room`: 8 bytes from any byte of the line up
 * to `end` are readable, for swar_hex8 (read_fast tests it once a line,
 * not once a number). */
__attribute__((always_inline)) static inline bool fast_hex(const char **pp, const char *end, bool room, unsigned most,
                                                           uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	unsigned n;
	if (room && (n = swar_hex8(p, &x)) < 8) {
		/* (fewer than 8 digits: within `most`) */
		if (n == 0)
			return false;
		p += n;
	} else {
		/* (a number of 8 digits or more, an uppercase digit, or near
		 * the end of the text) */
		const char *start = p;
		int d;
		x = 0;
		while ((d = tcur_hex_value[(unsigned char)*p]) != 0) {
			x = x << 4 | (uint64_t)(d - 1);
			p++;
		}
		size_t len = (size_t)(p - start);
		if (len == 0 || len > most)
			return false;
	}
	if (p < end && *p != ' ')
		return false;
	*pp = p < end ? p + 1 : p;
	*v = x;
	return true;
}

/* A pointer as read_ptr reads it: 0, or +, M or A and at most 14 hex
 * digits (read_ptr refuses 2^56 and above). */
__attribute__((always_inline)) static inline bool fast_ptr(const char **pp, const char *end, bool room, rec_ptr *ptr)
{
	const char *p = *pp;
	if (p >= end)
		return false;
	char k = *p;
	if (k == '0') {
		if (p + 1 < end && p[1] != ' ')
			return false;
		ptr->kind = PK_NULL;
		ptr->value = 0;
		*pp = p + 1 < end ? p + 2 : p + 1;
		return true;
	}
	int kind = k == '+' ? PK_HEAP : k == 'M' ? PK_MMAP : k == 'A' ? PK_ARENA : -1;
	p++;
	if (kind < 0 || !fast_hex(&p, end, room, 14, &ptr->value))
		return false;
	ptr->kind = kind;
	*pp = p;
	return true;
}

/* The m, c, r and f records written as the recorder writes them (one
 * space between fields, at most 15 hex digits a number, `@ID` or nothing
 * after the break): 98 % of a recording's lines, read
 * without the cursor, its probes and the checks a field at a time
 * (these were a third of the import). */
typedef struct rec_fast {
	bool ok;       /* the line is one of them (else read_op_line reads it) */
	bool negative; /* the break is written with a '-' */
	uint64_t brk, id;
	/* read_fast fills its op, has_out, col (the record letter's, after
	 * a `T<tid> `), tid (0: the main thread), a, b, in and out;
	 * record_fast the rest, and hands it to record_call as it is (a
	 * call built anew from the fields was 0.7 % of run --quiet's
	 * instructions on perl-1m) */
	rec_call k;
} rec_fast;

/* Reads `line` into f when it is such a record; changes nothing else
 * (anything else, well-formed or not, is read_op_line's to read and
 * word: both end in record_call). */
__attribute__((always_inline)) static inline bool read_fast_in(const tline *line, bool room, rec_fast *f)
{
	f->ok = false;
	/* A cut-off line is not read: the byte after its end may be past the
	 * text (fast_hex reads up to it), and the main loop leaves it out
	 * anyway. (A too long line is read here too, but never used: the
	 * main loop leaves it out before it reads a record; testing both
	 * flags at once, one load of the two bytes tsplit_next had just
	 * stored one by one, waited for them.) */
	if (line->cut)
		return false;
	const char *p = line->text, *end = line->text + line->len;
	f->k.tid = 0;
	if (p < end && *p == 'T') {
		/* another thread's record (92 % of the lines of a recording of
		 * perl's threads): its start and exit records are read_op_line's */
		unsigned n = 0;
		for (p++; p < end && *p >= '0' && *p <= '9' && n < 18; p++, n++)
			f->k.tid = f->k.tid * 10 + (uint64_t)(*p - '0');
		if (n == 0 || p >= end || *p != ' ')
			return false;
		p++;
	}
	if (end - p < 4 || p[1] != ' ')
		return false;
	f->k.col = (uint32_t)(p - line->text) + 1;
	char op = p[0];
	p += 2;
	f->k.a = f->k.b = f->id = 0;
	/* (each field on its own: `in = out = ...` read `in` back as a
	 * whole, which waited for its two stores) */
	f->k.in.kind = f->k.out.kind = PK_NULL;
	f->k.in.value = f->k.out.value = 0;
	f->k.has_out = true;
	bool ok;
	switch (op) {
	case 'm':
		ok = fast_hex(&p, end, room, 15, &f->k.a) && fast_ptr(&p, end, room, &f->k.out);
		break;
	case 'c':
		ok = fast_hex(&p, end, room, 15, &f->k.a) && fast_hex(&p, end, room, 15, &f->k.b) &&
		     fast_ptr(&p, end, room, &f->k.out);
		break;
	case 'r':
		ok = fast_ptr(&p, end, room, &f->k.in) && fast_hex(&p, end, room, 15, &f->k.b) &&
		     fast_ptr(&p, end, room, &f->k.out);
		break;
	case 'f':
		f->k.has_out = false;
		ok = fast_ptr(&p, end, room, &f->k.in);
		break;
	default:
		return false;
	}
	f->negative = ok && p < end && *p == '-';
	if (f->negative)
		p++;
	if (!ok || !fast_hex(&p, end, room, 15, &f->brk))
		return false;
	if (p < end) {
		if (!f->k.has_out || *p != '@')
			return false;
		/* (up to the line's end byte, no digit: the line is not cut) */
		const char *digits = ++p;
		uint64_t id = 0;
		for (; (unsigned char)(*p - '0') <= 9; p++)
			id = id * 10 + (uint64_t)(*p - '0');
		if (p == digits || p - digits > 18 || p != end)
			return false;
		f->id = id;
	}
	f->k.op = op;
	f->ok = true;
	return true;
}

/* `limit`: where the readable bytes end. (Two copies of the reader: one
 * for the lines 8 bytes and more before it, which reads the numbers 8
 * bytes at a time without a test of the limit at each.) */
static bool read_fast(const tline *line, const char *limit, rec_fast *f)
{
	if (limit - (line->text + line->len) >= 8)
		return read_fast_in(line, true, f);
	return read_fast_in(line, false, f);
}

/* What read_op_line does with such a record once read. */
static void record_fast(rec_state *st, const tline *line, rec_fast *f)
{
	st->op_lines++;
	st->b.extra->call_count++;
	uint32_t stack = TRACE_NO_STACK;
	if (f->id != 0) {
		stack = trace_stacks_find(st->stacks, f->id);
		if (stack == TRACE_NO_STACK)
			tbuild_issue(&st->b, TI_SUSPECT, false, line->number, f->k.col, 0,
			             "stack @%llu is not defined by an 's' line: the call has no call site",
			             (unsigned long long)f->id);
	}
	rec_call *k = &f->k;
	k->line = line->number;
	k->other = k->tid != 0;
	k->sa = k->sb = k->rc = 0;
	k->sbrk = f->negative ? (int64_t)(0 - f->brk) : (int64_t)f->brk;
	k->stack = stack;
	k->site = trace_stacks_site_of_stack(st->stacks, stack);
	record_call(st, k);
	if (k->tid != 0)
		exits_after_line(st, k->tid, line->number);
}

/* ---- the stack lines (first pass) ---- */

/* `# module ID LO HI BIAS BUILD-ID PATH`; PATH keeps the recorder's \xNN
 * escapes undone. */
static void read_module_line(rec_state *st, tcur *c)
{
	char buf[TQUOTE_SIZE];
	uint64_t id, lo, hi, bias;
	tcur_skip_space(c);
	if (tcur_dec(c, &id) != TNUM_OK) {
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "expected a module id, found %s", tcur_token_text(c, buf, sizeof buf));
		return;
	}
	if (!read_hex(st, c, "an address", &lo) || !read_hex(st, c, "an address", &hi) ||
	    !read_hex(st, c, "a load bias", &bias))
		return;
	tcur_skip_space(c);
	const char *bid = c->p;
	size_t bid_len = tcur_token_len(c);
	c->p += bid_len;
	tcur_skip_space(c);
	if (bid_len == 0 || tcur_at_end(c)) {
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0,
		             "expected a build id and a path in the '# module' line");
		return;
	}
	/* Undo \xNN (the recorder escapes control characters and '\'). */
	char path[1024];
	size_t k = 0;
	for (const char *p = c->p; p < c->end && k + 1 < sizeof path; p++) {
		int hi4, lo4;
		if (*p == '\\' && c->end - p >= 4 && p[1] == 'x' &&
		    (hi4 = (p[2] >= '0' && p[2] <= '9') ? p[2] - '0' : (p[2] >= 'a' && p[2] <= 'f') ? p[2] - 'a' + 10 : -1) >= 0 &&
		    (lo4 = (p[3] >= '0' && p[3] <= '9') ? p[3] - '0' : (p[3] >= 'a' && p[3] <= 'f') ? p[3] - 'a' + 10 : -1) >= 0) {
			path[k++] = (char)(hi4 << 4 | lo4);
			p += 3;
		} else {
			path[k++] = *p;
		}
	}
	if (!trace_stacks_add_module(st->stacks, id, bid, bid_len, path, k))
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, 0, 0,
		             id >= TRACE_MODULES_MAX ? "module id %llu is out of range (ids are 0 to %u)"
		                                     : "module %llu is defined twice",
		             (unsigned long long)id, TRACE_MODULES_MAX - 1);
}

/* One frame of an `s` line: MODULE+OFFSET or ?ADDRESS. */
static bool read_frame(rec_state *st, tcur *c, uint32_t *frame)
{
	char buf[TQUOTE_SIZE];
	uint64_t module = TRACE_NO_MODULE, offset;
	tcur start = *c;
	bool ok;
	if (tcur_eat(c, "?"))
		ok = tcur_hex(c, false, &offset) == TNUM_OK;
	else
		ok = tcur_dec(c, &module) == TNUM_OK && module < TRACE_MODULES_MAX && tcur_eat(c, "+") &&
		     tcur_hex(c, false, &offset) == TNUM_OK;
	if (!ok || !field_end(c) || offset >> 48) {
		*c = start;
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "malformed frame %s: expected MODULE+OFFSET or ?ADDRESS", tcur_token_text(c, buf, sizeof buf));
		return false;
	}
	*frame = trace_stacks_frame(st->stacks, (uint32_t)module, offset);
	return true;
}

/* `s ID FRAME...`, innermost first. */
static void read_stack_line(rec_state *st, tcur *c)
{
	char buf[TQUOTE_SIZE];
	uint64_t id;
	tcur_skip_space(c);
	tcur probe = *c;
	if (tcur_dec(&probe, &id) != TNUM_OK || id == 0 || !field_end(&probe)) {
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "expected a stack id (1, 2, ...), found %s", tcur_token_text(c, buf, sizeof buf));
		return;
	}
	*c = probe;
	uint32_t frames[TRACE_STACK_FRAMES_MAX];
	size_t n = 0;
	for (tcur_skip_space(c); !tcur_at_end(c); tcur_skip_space(c)) {
		if (n == TRACE_STACK_FRAMES_MAX) {
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0,
			             "stack %llu has more than %d frames", (unsigned long long)id, TRACE_STACK_FRAMES_MAX);
			return;
		}
		if (!read_frame(st, c, &frames[n]))
			return;
		n++;
	}
	if (!trace_stacks_add_stack(st->stacks, id, frames, n) && !st->stacks->out_of_memory)
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, 0, 0, "stack %llu is defined twice", (unsigned long long)id);
}

/* `# sym MODULE+OFFSET<TAB>FUNCTION<TAB>FILE<TAB>LINE...` */
static void read_sym_line(rec_state *st, tcur *c)
{
	tcur_skip_space(c);
	const char *key_end = memchr(c->p, '\t', (size_t)(c->end - c->p));
	if (!key_end) {
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, tcur_col(c), 0, "expected a tab after the frame in '# sym'");
		return;
	}
	tcur key = *c;
	key.end = key_end;
	uint32_t frame;
	if (!read_frame(st, &key, &frame))
		return;
	trace_symbol levels[TRACE_SYM_LEVELS_MAX];
	size_t n = 0;
	const char *p = key_end;
	while (p < c->end) {
		const char *field[3];
		size_t flen[3];
		for (int f = 0; f < 3; f++) {
			if (p >= c->end || *p != '\t') {
				tbuild_issue(&st->b, TI_SYNTAX, false, c->line, (uint32_t)(p - c->start) + 1, 0,
				             "expected FUNCTION, FILE and LINE separated by tabs in '# sym'");
				return;
			}
			p++;
			const char *q = memchr(p, '\t', (size_t)(c->end - p));
			if (!q)
				q = c->end;
			field[f] = p;
			flen[f] = (size_t)(q - p);
			p = q;
		}
		uint64_t line = 0;
		for (size_t i = 0; i < flen[2]; i++) {
			if (field[2][i] < '0' || field[2][i] > '9' || line > UINT32_MAX / 10) {
				tbuild_issue(&st->b, TI_SYNTAX, false, c->line, (uint32_t)(field[2] - c->start) + 1, 0,
				             "expected a line number, found '%s'", DIAG_QUOTE(field[2], flen[2]));
				return;
			}
			line = line * 10 + (uint64_t)(field[2][i] - '0');
		}
		if (n == TRACE_SYM_LEVELS_MAX) {
			tbuild_issue(&st->b, TI_SYNTAX, false, c->line, 0, 0, "more than %d inlined levels in '# sym'",
			             TRACE_SYM_LEVELS_MAX);
			return;
		}
		levels[n++] = (trace_symbol){trace_stacks_intern_function(st->stacks, field[0], flen[0]),
		                             trace_stacks_intern(st->stacks, field[1], flen[1]), (uint32_t)line};
	}
	if (n == 0 || !trace_stacks_add_symbol(st->stacks, frame, levels, n))
		tbuild_issue(&st->b, TI_SYNTAX, false, c->line, 0, 0,
		             n == 0 ? "a '# sym' line without a name" : "the frame is named twice");
}

/* The first pass: modules, stacks and names, then each stack's call site. */
static int cmp_line(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void push_exit(rec_state *st, uint32_t line)
{
	if (st->exit_count == st->exit_cap) {
		size_t cap = st->exit_cap ? st->exit_cap * 2 : 64;
		uint32_t *a = realloc(st->exit_after, cap * sizeof *a);
		if (!a) {
			st->b.out_of_memory = true;
			return;
		}
		st->exit_after = a;
		st->exit_cap = cap;
	}
	st->exit_after[st->exit_count++] = line;
}

/* A thread's record in the first pass: where each life of a thread
 * (from its `n` to its `x`) has its last record, the line after which
 * the second pass ends it. plan: tid -> {slot = last line, state LIVE
 * once its `x` is seen}. */
static inline void plan_thread_line(rec_state *st, tmap *plan, tid_memo *memo, const tline *line)
{
	/* `T<tid> ` and the record's letter: up to 18 digits read here
	 * (no overflow), more by the cursor */
	const char *p = line->text, *end = line->text + line->len;
	uint64_t tid = 0;
	unsigned n = 0;
	if (p >= end || *p != 'T')
		return;
	for (p++; p < end && *p >= '0' && *p <= '9' && n < 18; p++, n++)
		tid = tid * 10 + (uint64_t)(*p - '0');
	if (n == 18 && p < end && *p >= '0' && *p <= '9') {
		tcur c;
		tcur_init(&c, line);
		c.p++;
		if (tcur_dec(&c, &tid) != TNUM_OK)
			return;
		p = c.p;
	} else if (n == 0) {
		return;
	}
	if (p >= end || *p != ' ' || p + 1 >= end)
		return;
	char op = p[1];
	tmap_entry *e = memo_entry(plan, memo, tid);
	if (!e) {
		e = tmap_get(plan, tid);
		if (!e) {
			st->b.out_of_memory = true;
			return;
		}
		memo_keep(memo, plan, tid, e);
	}
	if (op == 'n' && e->state == TMAP_LIVE)
		push_exit(st, e->slot);
	if (op == 'n')
		e->state = TMAP_DEAD;
	else if (op == 'x')
		e->state = TMAP_LIVE;
	e->slot = line->number;
}

/* A header line that changes how the model is set up (read_header_line:
 * the profile, tunables, the initial break, the CPUs). Any spacing: the
 * test only needs to catch every line that could be one. */
static bool sets_config(const tline *line)
{
	static const char *const keys[] = {"glibc", "tunables", "env", "brk0", "cpus"};
	const char *p = line->text + 1, *end = line->text + line->len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t n = strlen(keys[i]);
		if ((size_t)(end - p) >= n && memcmp(p, keys[i], n) == 0 &&
		    (p + n == end || p[n] == ' ' || p[n] == '\t'))
			return true;
	}
	return false;
}

/* A record of letter `op` may return a pointer (every call but free). */
static inline bool may_return(char op)
{
	switch (op) {
	case 'm': case 'c': case 'r': case 'a': case 'l': case 'p': case 'v': case 'V':
		return true;
	default:
		return false;
	}
}

/* The first pass's count of such a record: for the pointer map's heap
 * table when it names a main-heap pointer ('+' on its line), else for its
 * wide table. */
static inline void count_returning(rec_state *st, bool has_plus)
{
	if (has_plus)
		st->returning_lines++;
	else
		st->returning_other++;
}

/* A line of the first pass that is not too long: what read_structure
 * takes from it. plan: plan_thread_line's; *saw_record: a line that is no
 * header and no stack came before (a config line after one is late). */
static void structure_line(rec_state *st, tmap *plan, tid_memo *memo, const tline *line, bool *saw_record)
{
	if (line->len < 2)
		return;
	/* (the shortest record, "f +0 0", is 6 bytes: a file of
	 * shorter lines reserves nothing for them) */
	if (line->text[0] != '#' && line->text[0] != 's' && line->len >= 6) {
		st->record_lines++;
		/* the record's letter, after another thread's `T<tid> ` */
		const char *sp = line->text[0] == 'T' ? memchr(line->text, ' ', line->len) : NULL;
		const char *op = sp ? sp + 1 : line->text;
		/* (one that names no main-heap pointer, '+', returns none
		 * to the map's heap table: other threads' calls mostly get
		 * their own arena's chunks) */
		if (op < line->text + line->len && may_return(*op))
			count_returning(st, memchr(op, '+', (size_t)(line->text + line->len - op)) != NULL);
	}
	if (line->text[0] != '#' && !(line->text[0] == 's' && line->text[1] == ' '))
		*saw_record = true;
	if (line->text[0] == 'T' && !line->cut) {
		plan_thread_line(st, plan, memo, line);
	} else if (line->text[0] == 's' && line->text[1] == ' ') {
		tcur c;
		tcur_init(&c, line);
		c.p += 2;
		read_stack_line(st, &c);
	} else if (line->text[0] == '#') {
		tcur c;
		tcur_init(&c, line);
		uint64_t depth;
		if (tcur_eat(&c, "# module "))
			read_module_line(st, &c);
		else if (tcur_eat(&c, "# sym "))
			read_sym_line(st, &c);
		else if (tcur_eat(&c, "# stack-depth ") && tcur_dec(&c, &depth) == TNUM_OK && depth <= TRACE_STACK_FRAMES_MAX)
			st->stacks->depth = (unsigned)depth; /* (the sites, made after this pass, tell a cut stack by it) */
		else if (*saw_record && sets_config(line))
			st->late_config = true;
	}
}

/* Which of the 64 bytes at p (n of them, the rest taken as neither) are
 * "\n" (*nl) and '+' (*plus), bit k for p[k]. */
static inline void byte_masks(const char *p, size_t n, uint64_t *nl, uint64_t *plus)
{
#if defined(SCAN_SSE2)
	char pad[64];
	if (n < 64) {
		memset(pad, 0, sizeof pad);
		memcpy(pad, p, n);
		p = pad;
	}
	const __m128i newline = _mm_set1_epi8('\n'), plus_sign = _mm_set1_epi8('+');
	uint64_t a = 0, b = 0;
	for (unsigned k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		a |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)) << (16 * k);
		b |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, plus_sign)) << (16 * k);
	}
	*nl = a;
	*plus = b;
#else
	uint64_t a = 0, b = 0;
	for (size_t k = 0; k < n; k++) {
		a |= (uint64_t)(p[k] == '\n') << k;
		b |= (uint64_t)(p[k] == '+') << k;
	}
	*nl = a;
	*plus = b;
#endif
}

/* Bits k >= from of a 64-bit mask (none for from 64). */
static inline uint64_t bits_from(size_t from)
{
	return from >= 64 ? 0 : ~(uint64_t)0 << from;
}

/* Returns false when a line is longer than INPUT_MAX_LINE (and stops
 * there).
 *
 * The lines are split here a block at a time (tlines_block), 64 bytes
 * at once: where the "\n"s and '+'s are, then each line from its mask
 * bits. A call's record (98 % of a recording's lines) is counted there;
 * the other lines (headers, stacks, other threads') are read as
 * structure_line reads them. (Split a line at a time, with a memchr for
 * its end and one for a '+', this pass was 7 % of run --quiet of the
 * 1.29M-call perl recording.) */
static bool read_structure(rec_state *st, tlines *text)
{
	tmap plan;
	tmap_init(&plan, 0);
	tid_memo plan_memo = {0};
	bool saw_record = false;
	bool fits = true;
	const char *begin, *end;
	while (fits && tlines_block(text, &begin, &end)) {
		uint32_t number = text->sp.number;
		const char *line = begin; /* the next line's first byte */
		bool plus = false;        /* a '+' in it, before the 64 bytes at c */
		for (const char *c = begin; fits && c < end; c += 64) {
			size_t n = (size_t)(end - c) < 64 ? (size_t)(end - c) : 64;
			uint64_t nl, pl;
			byte_masks(c, n, &nl, &pl);
			for (; nl; nl &= nl - 1) {
				unsigned at = (unsigned)__builtin_ctzll(nl);
				const char *e = c + at;
				size_t len = (size_t)(e - line);
				if (len && e[-1] == '\r')
					len--;
				number++;
				if (len > INPUT_MAX_LINE) {
					fits = false;
					break;
				}
				char first = len ? line[0] : '\0';
				if (first == '#' || first == 's' || len < 2) {
					tline l = {line, len, number, false, false};
					structure_line(st, &plan, &plan_memo, &l, &saw_record);
				} else if (first == 'T') {
					/* another thread's record: structure_line's, its
					 * '+' after the letter from the masks */
					saw_record = true;
					if (len >= 6) {
						st->record_lines++;
						const char *sp = memchr(line, ' ', len);
						const char *op = sp ? sp + 1 : line;
						bool has_plus = plus || (pl & bits_from(line > c ? (size_t)(line - c) : 0) &
						                         ~bits_from(at)) != 0;
						if (has_plus && memchr(line, '+', (size_t)(op - line)))
							has_plus = memchr(op, '+', (size_t)(line + len - op)) != NULL;
						if (op < line + len && may_return(*op))
							count_returning(st, has_plus);
					}
					tline l = {line, len, number, false, false};
					plan_thread_line(st, &plan, &plan_memo, &l);
				} else {
					/* a record of the main thread (structure_line's
					 * counts, its '+' from the masks) */
					saw_record = true;
					if (len >= 6) {
						st->record_lines++;
						switch (first) {
						case 'm': case 'c': case 'r': case 'a': case 'l': case 'p': case 'v': case 'V':
							if (plus || (pl & bits_from(line > c ? (size_t)(line - c) : 0) &
							             ~bits_from(at)) != 0)
								st->returning_lines++;
							else
								st->returning_other++;
							break;
						default:
							break;
						}
					}
				}
				line = e + 1;
				plus = false;
			}
			if (fits && (pl & bits_from(line > c ? (size_t)(line - c) : 0)) != 0)
				plus = true;
		}
		if (fits && line < end) {
			/* the text's last line, without its "\n" */
			size_t len = (size_t)(end - line);
			if (len && line[len - 1] == '\r')
				len--;
			number++;
			if (len > INPUT_MAX_LINE) {
				fits = false;
			} else {
				tline l = {line, len, number, true, false};
				structure_line(st, &plan, &plan_memo, &l, &saw_record);
			}
		}
		tlines_consume(text, number - text->sp.number);
	}
	for (size_t i = 0; i < plan.capacity; i++)
		if (plan.items[i].state == TMAP_LIVE)
			push_exit(st, plan.items[i].slot);
	tmap_release(&plan);
	if (st->exit_count > 1)
		qsort(st->exit_after, st->exit_count, sizeof *st->exit_after, cmp_line);
	trace_stacks_finish(st->stacks);
	if (st->stacks->out_of_memory)
		st->b.out_of_memory = true;
	return fits;
}

/* How many lines ahead of the one read the pointer map is asked for the
 * line's heap pointers: a free's or realloc's lookup of a pointer
 * returned long before was a cache miss (passed_ptr and returned_slot's
 * lookups were 14 % of run --quiet of the 1.29M-call perl recording). */
enum { PREFETCH_LINES = 8 };

/* Asks for the map entries of a record line's heap pointers: its fields
 * that start with '+' (sizes and the break never do; stack and header
 * lines, which have '+' in their frames, are skipped). Only a hint: a
 * malformed field is read no further than the line. */
static void prefetch_line(const rec_state *st, const tline *line)
{
	const char *p = line->text, *end = line->text + line->len;
	if (line->len < 2 || *p == '#' || *p == 's')
		return;
	while (p < end && (p = memchr(p, '+', (size_t)(end - p))) != NULL) {
		uint64_t v = 0;
		int digits = 0;
		for (p++; p < end && digits < 14; p++, digits++) {
			char ch = *p;
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
			if (d < 0)
				break;
			v = v << 4 | (uint64_t)d;
		}
		if (digits)
			ptrmap_prefetch_heap(&st->ptrs, v);
	}
}

/* Asks for p's map entry (p is not NULL); returns its hash, for the
 * lookup when its line is handled. */
static inline size_t ahead_ptr(const rec_state *st, const rec_ptr *p)
{
	bool heap = p->kind == PK_HEAP;
	uint64_t key = map_key(p);
	size_t hash = ptrmap_hash(heap, key);
	ptrmap_prefetch_hashed(&st->ptrs, heap, key, hash);
	return hash;
}

/* A line PREFETCH_LINES ahead of the one handled: read now if it is a
 * common record (it is read once), and its heap pointers' map entries
 * asked for. */
static void ahead_line(const rec_state *st, const tline *line, const char *limit, rec_fast *f)
{
	if (!read_fast(line, limit, f)) {
		prefetch_line(st, line);
		return;
	}
	/* (the hash kept for the lookup: record_call's) */
	if (f->k.in.kind != PK_NULL)
		f->k.in_hash = ahead_ptr(st, &f->k.in);
	if (f->k.out.kind != PK_NULL)
		f->k.out_hash = ahead_ptr(st, &f->k.out);
}

bool trace_import_recording(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra)
{
	rec_state st;
	memset(&st, 0, sizeof st);
	st.failed_slot = SIM_NO_SLOT;
	st.in_header = true;
	tbuild_init(&st.b, out, diags, extra, TRACE_FORMAT_RECORDING, true);
	ptrmap_init(&st.ptrs);
	tmap_init(&st.tids, 0);
	extra->base_exact = true;
	st.stacks = &extra->stacks;

	/* The text, held whole or read a piece at a time (twice). */
	tlines text;
	if (extra->read)
		tlines_pieces(&text, extra->read, extra->read_context, len, extra->read_window);
	else
		tlines_whole(&text, bytes, len);

	/* The recorder's unused window end. */
	size_t padding = tlines_trailing_nuls(&text);
	len -= padding;
	tlines_truncate(&text, len);

	size_t head_len;
	const char *head = tlines_head(&text, 18, &head_len);
	bool is_recording = head && head_len == 18 && memcmp(head, "# brksim-recording", 18) == 0;
	/* Read in pieces, the file was not checked whole before: the first
	 * pass checks what input_file_read would have (a line longer than
	 * INPUT_MAX_LINE; the NUL padding, which that reader does not count
	 * either, left out), and refuses the file to its caller, which reads
	 * it whole and says so. */
	bool rewound = is_recording && tlines_rewind(&text);
	bool refused = extra->read && !rewound && !text.out_of_memory;
	if (rewound) {
		bool fits = read_structure(&st, &text);
		if (extra->read && !text.out_of_memory)
			refused = !fits || text.failed || padding > INPUT_MAX_PADDING;
		if (extra->visit && !st.late_config) {
			st.b.visit = extra->visit;
			st.b.visit_context = extra->visit_context;
			st.b.visiting = true;
			st.lazy_names = extra->names_on_demand;
			if (extra->visit_window && extra->window.room > 0)
				st.b.visit_window = extra->visit_window;
		}
		/* Each record line makes at most one op, and each thread two
		 * more (its start and exit): room for that many, once. */
		tbuild_reserve(&st.b, st.record_lines + 2 * st.exit_count + 16);
		/* and the pointer map room for as many pointers as calls
		 * return (about two in three are distinct in perl's and jq's
		 * recordings: at most half full, as it is kept, without
		 * growing); a failure leaves it to grow as it fills */
		ptrmap_reserve_heap(&st.ptrs, st.returning_lines);
		ptrmap_reserve_wide(&st.ptrs, st.returning_other);
		/* and the slots' arrays room for a slot a record (a pointer
		 * comes back from a site it had before in about two calls in
		 * five: perl-1m names 508k slots in 1.29M records), once; a
		 * failure leaves them to grow */
		(void)reserve_rings(&st, st.record_lines + 1);
		trace_stacks_reserve_slots(st.stacks, st.record_lines + 1);
		st.site_prefix_count = st.stacks->site_count;
		if (st.site_prefix_count) {
			st.site_prefix = calloc(st.site_prefix_count, sizeof *st.site_prefix);
			if (!st.site_prefix) {
				st.site_prefix_count = 0;
				st.b.out_of_memory = true;
			}
		}
	}

	/* The lines are split once, PREFETCH_LINES ahead of the one read:
	 * each is prefetched as it is split, and waits in `ring`. (Read in
	 * pieces, the lines in the ring and the one read are held, and moved
	 * together when the window moves on.) */
	/* (each line and its rec_fast stay where they were split and read:
	 * the one handled gives its place in the ring to `spare`, instead of
	 * a copy of them, 40 instructions a line) */
	struct rec_ahead {
		tline line;
		rec_fast fast;
	} ring_store[PREFETCH_LINES + 1];
	struct rec_ahead *ring[PREFETCH_LINES], *spare = &ring_store[PREFETCH_LINES];
	for (size_t k = 0; k < PREFETCH_LINES; k++)
		ring[k] = &ring_store[k];
	size_t ring_first = 0, ring_count = 0;
	ptrdiff_t moved;
	if (refused || !tlines_rewind(&text))
		ring_count = PREFETCH_LINES; /* (nothing read: the loop below ends at once) */
	while (ring_count < PREFETCH_LINES &&
	       tlines_next(&text, &ring[ring_count]->line, ring_count ? ring[0]->line.text : NULL, &moved)) {
		for (size_t k = 0; k < ring_count; k++)
			ring[k]->line.text += moved;
		ahead_line(&st, &ring[ring_count]->line, text.sp.end, &ring[ring_count]->fast);
		ring_count++;
	}
	if (refused || text.failed || text.out_of_memory)
		ring_count = 0;
	uint32_t lines_read = 0;
	while (ring_count > 0) {
		struct rec_ahead *cur = ring[ring_first];
		ring[ring_first] = spare;
		spare = cur; /* (written again only after this line is done) */
		tline *line = &cur->line;
		rec_fast *fast = &cur->fast;
		if (tlines_next(&text, &ring[ring_first]->line, line->text, &moved)) {
			if (moved) {
				line->text += moved;
				for (size_t k = 1; k < ring_count; k++)
					ring[(ring_first + k) % PREFETCH_LINES]->line.text += moved;
			}
			ahead_line(&st, &ring[ring_first]->line, text.sp.end, &ring[ring_first]->fast);
		} else {
			ring_count--;
		}
		ring_first = (ring_first + 1) % PREFETCH_LINES;
		lines_read = line->number;
		/* (the common record first: its line is not cut, not too long,
		 * not line 1) */
		if (fast->ok && line->number > 1 && !line->too_long) {
			record_fast(&st, line, fast);
			continue;
		}
		if (!tbuild_line(&st.b, line))
			continue;
		tcur c;
		tcur_init(&c, line);
		if (line->number == 1 && !(line->len >= 18 && memcmp(line->text, "# brksim-recording", 18) == 0)) {
			tbuild_issue(&st.b, TI_HEADER, false, 1, 1, 0,
			             "not a brksim recording: expected '# brksim-recording 1' on line 1");
			break;
		}
		if (line->cut && line->len > 0) {
			/* The recorder ends every line with "\n": a last line without
			 * one was cut while being written, and any of its fields may be
			 * a prefix of the real value. Never read it as data. */
			tbuild_issue(&st.b, TI_CUT, true, line->number, (uint32_t)line->len + 1, 0,
			             "the recording is cut off here: its last line has no newline (the process died while "
			             "writing it, or the file was cut), so the line is left out");
			extra->cut_line = line->number;
			if (!tcur_eat(&c, "#"))
				extra->call_count++;
			continue;
		}
		if (tcur_at_end(&c))
			continue;
		if (tcur_eat(&c, "#")) {
			read_header_line(&st, &c);
			continue;
		}
		if (line->len >= 2 && line->text[0] == 's' && line->text[1] == ' ')
			continue; /* a stack: read by read_structure */
		read_op(&st, &c); /* (fast->ok is false here) */
	}
	if (refused) {
		/* nothing imported: the caller reads the file whole */
		extra->read_refused = true;
		tlines_release(&text);
		ptrmap_release(&st.ptrs);
		tmap_release(&st.tids);
		free(st.number_used);
		free(st.exit_after);
		free(st.ring_next);
		free(st.all_next);
		free(st.ret_line);
		free(st.slot_ptr);
		free(st.site_prefix);
		return false;
	}
	if (text.out_of_memory)
		st.b.out_of_memory = true;
	else if (text.failed)
		tbuild_issue(&st.b, TI_HEADER, false, 0, 0, 0,
		             "the file could not be read again, or changed while it was read (is it still being "
		             "written?): it is read twice, and both readings must find the same text");
	tlines_release(&text);
	extra->line_count = lines_read;
	extra->address_base = st.brk0;
	/* The real initial break: where the first chunk lands after sysmalloc's
	 * alignment correction, and where memalign above a page puts a chunk. */
	apply_header_config(&st);
	if (!st.have_brk0 && st.saw_magic)
		tbuild_issue(&st.b, TI_HEADER, false, 0, 0, 0, "the recording has no '# brk0' line");
	if (st.have_brk0 && st.have_brk_now && st.brk_now > st.brk0)
		tbuild_issue(&st.b, TI_HEADER_WARN, false, st.brk_line, 0, 0,
		             "the program break had moved by 0x%llx before recording began: the heap was not empty, so "
		             "the replay will diverge",
		             (unsigned long long)(st.brk_now - st.brk0));
	else if (st.have_brk0 && st.have_brk_now && st.brk_now < st.brk0)
		/* (valgrind gives its guest a break of its own) */
		tbuild_issue(&st.b, TI_HEADER_WARN, false, st.brk_line, 0, 0,
		             "the program break was 0x%llx below its start when recording began (the kernel does not "
		             "move it there: a program run under an emulator such as valgrind?), so the replay may "
		             "diverge",
		             (unsigned long long)(st.brk0 - st.brk_now));
	if (extra->brk_moved_count > 1)
		diag_add(diags, DIAG_NOTE, 0, 0,
		         "the program break moved between recorded calls %zu times in all ('# brk-moved' lines; the first "
		         "is line %u)",
		         extra->brk_moved_count, extra->brk_moved_line);
	/* (the padding: brksim record cuts it off when the program ends, so
	 * a file that keeps it was read while its program ran, or both ended
	 * without closing it) */
	if (st.saw_magic && !st.saw_end && !extra->stopped_line && padding)
		diag_add(diags, DIAG_NOTE, 0, 0,
		         "no '# end' line, and the file ends in the recorder's NUL padding: it was read while its program "
		         "still ran (the recording is being written), or the process ended without running exit handlers "
		         "and brksim record did not close the file; %s",
		         extra->cut_line ? "its last line, unfinished, is left out" : "what it did until then is all here");
	else if (st.saw_magic && !st.saw_end && !extra->stopped_line)
		diag_add(diags, DIAG_NOTE, 0, 0,
		         "no '# end' line: the process ended without running exit handlers (exec, _exit, a crash or a "
		         "signal); %s",
		         extra->cut_line ? "it died while writing its last line, which is left out"
		                         : "what it did until then is all here");
	else if (st.saw_end && st.end_count != st.op_lines)
		tbuild_issue(&st.b, TI_HEADER_WARN, false, 0, 0, 0,
		             "'# end' counts %llu calls but the recording has %zu records",
		             (unsigned long long)st.end_count, st.op_lines);
	if (st.implicit_starts)
		diag_add(diags, DIAG_NOTE, st.first_implicit, 0,
		         "%zu threads called the allocator without a thread-start record (made before recording began, "
		         "or not through pthread_create; the first here): the main thread starts each at its first call",
		         st.implicit_starts);
	tbuild_visit_flush(&st.b);
	extra->visited = st.b.visit != NULL;
	extra->visited_op_count = st.b.visit ? st.b.op_count : 0;
	ptrmap_release(&st.ptrs);
	tmap_release(&st.tids);
	free(st.number_used);
	free(st.exit_after);
	free(st.ring_next);
	free(st.all_next);
	free(st.ret_line);
	free(st.site_prefix);
	if (st.lazy_names) {
		/* the names are made when asked, from the pointers kept */
		free(extra->slot_ptr);
		extra->slot_ptr = st.slot_ptr;
		extra->slot_ptr_count = out->slot_count < st.ring_cap ? out->slot_count : st.ring_cap;
		out->slot_namer = recording_slot_name;
		out->slot_namer_context = extra;
	}
	return tbuild_finish(&st.b, "recording");
}
