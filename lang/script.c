/* script.c — building and releasing a script: ops, slot names, captions,
 * titles, marks, expectations.
 *
 * Owns: the script's memory and the name -> slot index. Must not: parse
 * text (parse*.c), print, or know about the model beyond sim_op. Every
 * front end (the scenario parser, the trace importers) builds scripts
 * through these functions so the invariants of script.h hold. */
#include "script.h"

#include "../sim/hugepages.h"
#include "../sim/room.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct script_name_entry script_name_entry;

void script_init(script *s)
{
	memset(s, 0, sizeof *s);
	s->config = sim_config_defaults(SIM_GLIBC_2_36);
}

void script_release(script *s)
{
	for (size_t i = 0; i < s->title_count; i++)
		free(s->titles[i].text);
	free(s->titles);
	free(s->ops);
	free(s->op_line);
	free(s->op_col);
	while (s->name_block) {
		char *previous;
		memcpy(&previous, s->name_block, sizeof previous);
		free(s->name_block);
		s->name_block = previous;
	}
	free(s->slot_names);
	free(s->late_names);
	for (size_t i = 0; i < s->thread_count; i++)
		free(s->thread_names[i]);
	free(s->thread_names);
	for (size_t t = 0; t < s->thread_lives_count; t++) {
		for (size_t i = 0; i < s->thread_lives[t].count; i++)
			free(s->thread_lives[t].name[i]);
		free(s->thread_lives[t].name);
		free(s->thread_lives[t].from_op);
	}
	free(s->thread_lives);
	for (size_t i = 0; i < s->caption_count; i++)
		free(s->captions[i].text);
	free(s->captions);
	for (size_t i = 0; i < s->mark_count; i++)
		free(s->marks[i].label);
	free(s->marks);
	for (size_t i = 0; i < s->expect_count; i++) {
		free(s->expects[i].text);
		free(s->expects[i].source_text);
	}
	free(s->expects);
	free(s->name_index);
	memset(s, 0, sizeof *s);
}

/* Grows *items (of *capacity elements of `size` bytes) to hold `need`. */
static bool reserve(void **items, size_t *capacity, size_t need, size_t size)
{
	if (need <= *capacity)
		return true;
	size_t cap = *capacity ? *capacity : 16;
	while (cap < need) {
		if (cap > SIZE_MAX / 2 / size)
			return false;
		cap *= 2;
	}
	void *p = realloc(*items, cap * size);
	if (!p)
		return false;
	/* (a recording's slot names: 7 MB of pointers for perl's 1.29M
	 * calls, faulted in 4 KiB at a time without the advice) */
	sim_advise_huge_room(p, sim_room_bytes(p));
	*items = p;
	*capacity = cap;
	return true;
}

static char *dup_bytes(const char *text, size_t len)
{
	char *p = malloc(len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, text, len);
	p[len] = '\0';
	return p;
}

void script_shrink(script *s)
{
	size_t cap = s->op_count ? s->op_count : 1;
	if (s->ops == NULL || s->op_capacity <= cap)
		return;
	/* a smaller realloc keeps the block when it cannot move it: no failure */
	sim_op *ops = realloc(s->ops, cap * sizeof *ops);
	uint32_t *lines = ops ? realloc(s->op_line, cap * sizeof *lines) : NULL;
	uint32_t *cols = lines ? realloc(s->op_col, cap * sizeof *cols) : NULL;
	if (ops)
		s->ops = ops;
	if (lines)
		s->op_line = lines;
	if (cols) {
		s->op_col = cols;
		s->op_capacity = cap;
	}
}

bool script_reserve_ops(script *s, size_t count)
{
	if (count <= s->op_capacity)
		return true;
	if (count > SIZE_MAX / sizeof(sim_op))
		return false;
	/* all three first, then op_capacity: a failure leaves the arrays
	 * at least op_capacity long, as script_add_op expects */
	sim_op *ops = realloc(s->ops, count * sizeof *ops);
	if (!ops)
		return false;
	s->ops = ops;
	uint32_t *lines = realloc(s->op_line, count * sizeof *lines);
	if (!lines)
		return false;
	s->op_line = lines;
	uint32_t *cols = realloc(s->op_col, count * sizeof *cols);
	if (!cols)
		return false;
	s->op_col = cols;
	s->op_capacity = count;
	return true;
}

bool script_add_op(script *s, const sim_op *op, uint32_t line, uint32_t col)
{
	/* ops, op_line and op_col share op_capacity: grow all three first. */
	if (s->op_count == s->op_capacity) {
		size_t cap = s->op_capacity ? s->op_capacity * 2 : 64;
		sim_op *ops = realloc(s->ops, cap * sizeof *ops);
		if (!ops)
			return false;
		s->ops = ops;
		uint32_t *lines = realloc(s->op_line, cap * sizeof *lines);
		if (!lines)
			return false;
		s->op_line = lines;
		uint32_t *cols = realloc(s->op_col, cap * sizeof *cols);
		if (!cols)
			return false;
		s->op_col = cols;
		s->op_capacity = cap;
	}
	s->ops[s->op_count] = *op;
	s->op_line[s->op_count] = line;
	s->op_col[s->op_count] = col;
	s->op_count++;
	return true;
}

/* FNV-1a: a fine spread for short identifier-like names. */
static uint64_t hash_name(const char *name, size_t len)
{
	/* A name ending in four or more lowercase hex digits, the last a 0 (a
	 * recording's `p4471c90`, `main@4b2d0`: pointers are 16-byte aligned)
	 * is hashed without its last three, and the two before the last (an
	 * address's 4 KiB, by 16-byte steps) are added to the home after
	 * mixing: the names of nearby pointers, often made one after another,
	 * land in nearby entries instead of a cache miss each (loading the
	 * 1.29M-call perl recording: -11 %). Only with that 0: a name such as
	 * a trace's `id101547` would lose its last digit, and ten names would
	 * share each home (run --quiet of a 1M-op .ops trace spent 43 % in the
	 * index). */
	size_t digits = 0;
	while (digits < len && ((name[len - 1 - digits] >= '0' && name[len - 1 - digits] <= '9') ||
	                        (name[len - 1 - digits] >= 'a' && name[len - 1 - digits] <= 'f')))
		digits++;
	size_t hashed = len;
	uint64_t near = 0;
	if (digits >= 4 && name[len - 1] == '0') {
		hashed = len - 3;
		for (size_t i = len - 3; i < len - 1; i++)
			near = near << 4 | (uint64_t)(name[i] <= '9' ? name[i] - '0' : name[i] - 'a' + 10);
	}
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < hashed; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211u;
	}
	/* FNV's low bits depend only on the bytes' low bits: names that share
	 * a long prefix and differ in a few hex digits (a recording's
	 * `load_config@4b2d0`) clustered. Mix, so every bit of the half the
	 * index uses (the high one) depends on every byte. */
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93u;
	h ^= h >> 32;
	return h + (near << 32);
}

/* (a byte at a time, stopping at the first that differs or at the
 * stored name's end: the names are short, and strncmp's call was a
 * twentieth of the parse of a million-line scenario) */
static inline bool name_equals(const char *stored, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (stored[i] != name[i] || stored[i] == '\0')
			return false;
	return stored[len] == '\0';
}

/* An index entry (script_name_entry): in `key` the high half of the
 * name's hash, its lowest bit saying the name is held in the entry, then
 * slot + 1 in the low half; 0 is an empty entry. The high half picks the
 * entry's home and is compared before any name is read (loading a
 * recording interns a million names, and a cache miss per probed entry
 * was a tenth of the load); growing moves the entries without hashing
 * any name again. In `name` a name of up to INLINE_NAME_MAX bytes
 * without a NUL itself (its bytes, then NULs): a million-line scenario's
 * `p123456`, a .rep trace's `id123456`; else the stored name's address
 * (a name with a NUL in it never equals one without). Either way a
 * lookup reads the entry and at most the name, not the slot's name
 * pointer between them (three cache misses a lookup were a seventh of
 * such a scenario's parse). */
enum { INLINE_NAME_MAX = 8 };

static bool held_inline(const char *name, size_t len)
{
	return len <= INLINE_NAME_MAX && memchr(name, '\0', len) == NULL;
}

static uint64_t inline_name(const char *name, size_t len)
{
	uint64_t w = 0;
	for (size_t i = 0; i < len; i++)
		w |= (uint64_t)(unsigned char)name[i] << (8 * i);
	return w;
}

static uint64_t name_tag(uint64_t hash, bool held)
{
	return (hash & 0xfffffffe00000000u) | (held ? (uint64_t)1 << 32 : 0);
}

static script_name_entry index_entry(uint64_t hash, const char *stored, size_t len, sim_slot slot)
{
	script_name_entry e;
	bool held = held_inline(stored, len);
	e.key = name_tag(hash, held) | ((uint64_t)slot + 1);
	e.name = held ? inline_name(stored, len) : (uint64_t)(uintptr_t)stored;
	return e;
}

static size_t index_home(uint64_t key_or_tag, size_t mask)
{
	return (size_t)(key_or_tag >> 32) & mask;
}

/* The slot named `name` (whose hash_name is `hash`) among the indexed ones. */
static sim_slot find_hashed(const script *s, const char *name, size_t len, uint64_t hash)
{
	if (!s->name_index_capacity)
		return SIM_NO_SLOT;
	size_t mask = s->name_index_capacity - 1;
	bool held = held_inline(name, len);
	uint64_t tag = name_tag(hash, held);
	uint64_t word = held ? inline_name(name, len) : 0;
	for (size_t i = index_home(tag, mask);; i = (i + 1) & mask) {
		const script_name_entry *e = &s->name_index[i];
		if (e->key == 0)
			return SIM_NO_SLOT;
		if ((e->key & 0xffffffff00000000u) == tag &&
		    (held ? e->name == word : name_equals((const char *)(uintptr_t)e->name, name, len)))
			return (sim_slot)(uint32_t)e->key - 1;
	}
}

static sim_slot find_indexed(const script *s, const char *name, size_t len)
{
	return find_hashed(s, name, len, hash_name(name, len));
}

sim_slot script_find_slot(const script *s, const char *name, size_t len)
{
	sim_slot found = find_indexed(s, name, len);
	if (found != SIM_NO_SLOT)
		return found;
	for (size_t i = s->name_indexed; i < s->slot_names_count; i++)
		if (name_equals(s->slot_names[i], name, len))
			return (sim_slot)i;
	for (size_t i = 0; i < s->late_name_count; i++)
		if (s->late_names[i].slot >= s->name_indexed && name_equals(s->late_names[i].name, name, len))
			return s->late_names[i].slot;
	return SIM_NO_SLOT;
}

static void index_insert(script_name_entry *index, size_t capacity, script_name_entry entry)
{
	size_t mask = capacity - 1;
	size_t i = index_home(entry.key, mask);
	while (index[i].key != 0)
		i = (i + 1) & mask;
	index[i] = entry;
}

/* Keeps the index at most half full (power-of-two capacity) with room
 * for every slot and one more. */
static bool grow_index(script *s)
{
	if ((s->slot_count + 1) * 2 <= s->name_index_capacity)
		return true;
	size_t cap = s->name_index_capacity ? s->name_index_capacity * 2 : 64;
	while ((s->slot_count + 1) * 2 > cap)
		cap *= 2;
	script_name_entry *index = calloc(cap, sizeof *index);
	if (!index)
		return false;
	for (size_t i = 0; i < s->name_index_capacity; i++)
		if (s->name_index[i].key != 0)
			index_insert(index, cap, s->name_index[i]);
	free(s->name_index);
	s->name_index = index;
	s->name_index_capacity = cap;
	return true;
}

/* A copy of name (len bytes, then a NUL) in the current name block, or
 * in a new one when it has no room; NULL on allocation failure. */
static char *name_copy(script *s, const char *name, size_t len)
{
	if (len >= SIZE_MAX / 2)
		return NULL;
	if (s->name_block == NULL || s->name_block_size - s->name_block_used < len + 1) {
		/* 64 KiB, then SIM_HUGE_MIN a block, on huge pages
		 * (hugepages.h): a recording names a slot for each pointer
		 * (about 9 MB of names for perl's 1.29M calls), which in 64
		 * KiB blocks were 2k page faults */
		size_t size = s->name_block == NULL ? (size_t)64 << 10 : SIM_HUGE_MIN;
		if (size < sizeof(char *) + len + 1)
			size = sizeof(char *) + len + 1;
		char *block = malloc(size);
		if (!block)
			return NULL;
		sim_advise_huge_room(block, sim_room_bytes(block));
		memcpy(block, &s->name_block, sizeof s->name_block); /* link to the previous block */
		s->name_block = block;
		s->name_block_used = sizeof(char *);
		s->name_block_size = size;
	}
	char *p = s->name_block + s->name_block_used;
	if (len)
		memcpy(p, name, len);
	p[len] = '\0';
	s->name_block_used += len + 1;
	return p;
}

/* Indexes the names script_add_new_slot added; false on allocation failure. */
static bool index_the_rest(script *s)
{
	if (s->name_indexed == s->slot_count)
		return true;
	if (!grow_index(s))
		return false;
	/* (an unnamed slot is never found by name) */
	for (size_t i = s->name_indexed; i < s->slot_names_count; i++) {
		size_t len = strlen(s->slot_names[i]);
		index_insert(s->name_index, s->name_index_capacity,
		             index_entry(hash_name(s->slot_names[i], len), s->slot_names[i], len, (sim_slot)i));
	}
	for (size_t i = 0; i < s->late_name_count; i++) {
		const struct script_late_name *l = &s->late_names[i];
		size_t len = strlen(l->name);
		if (l->slot >= s->name_indexed)
			index_insert(s->name_index, s->name_index_capacity,
			             index_entry(hash_name(l->name, len), l->name, len, l->slot));
	}
	s->name_indexed = s->slot_count;
	return true;
}

/* Appends a slot named `name` (a copy); SIM_NO_SLOT on allocation
 * failure. In slot_names while no unnamed slot came before it, else in
 * late_names. */
static sim_slot append_slot(script *s, const char *name, size_t len)
{
	if (s->slot_count >= SIM_NO_SLOT - 1)
		return SIM_NO_SLOT;
	bool late = s->slot_names_count < s->slot_count;
	if (late ? !reserve((void **)&s->late_names, &s->late_name_capacity, s->late_name_count + 1,
	                    sizeof *s->late_names)
	         : !reserve((void **)&s->slot_names, &s->slot_capacity, s->slot_count + 1, sizeof(char *)))
		return SIM_NO_SLOT;
	char *copy = name_copy(s, name, len);
	if (!copy)
		return SIM_NO_SLOT;
	sim_slot slot = (sim_slot)s->slot_count++;
	if (late)
		s->late_names[s->late_name_count++] = (struct script_late_name){slot, copy};
	else
		s->slot_names[s->slot_names_count++] = copy;
	return slot;
}

sim_slot script_intern_slot(script *s, const char *name, size_t len)
{
	if (!index_the_rest(s))
		return SIM_NO_SLOT;
	uint64_t hash = hash_name(name, len);
	sim_slot found = find_hashed(s, name, len, hash);
	if (found != SIM_NO_SLOT)
		return found;
	if (s->slot_count >= SIM_NO_SLOT - 1 || !grow_index(s))
		return SIM_NO_SLOT;
	sim_slot slot = append_slot(s, name, len);
	if (slot == SIM_NO_SLOT)
		return SIM_NO_SLOT;
	index_insert(s->name_index, s->name_index_capacity,
	             index_entry(hash, script_slot_given_name(s, slot), len, slot));
	s->name_indexed = s->slot_count;
	return slot;
}

sim_slot script_add_new_slot(script *s, const char *name, size_t len)
{
	return append_slot(s, name, len);
}

sim_slot script_add_unnamed_slot(script *s)
{
	return script_add_unnamed_slots(s, 1);
}

sim_slot script_add_unnamed_slots(script *s, uint32_t count)
{
	if (s->slot_count >= SIM_NO_SLOT - 1 || count > SIM_NO_SLOT - 1 - s->slot_count)
		return SIM_NO_SLOT;
	sim_slot first = (sim_slot)s->slot_count;
	s->slot_count += count;
	return first;
}

const char *script_slot_late_name(const script *s, sim_slot slot)
{
	/* binary search: late_names is in slot order (slots are made in
	 * ascending order) */
	size_t lo = 0, hi = s->late_name_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->late_names[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->late_name_count && s->late_names[lo].slot == slot ? s->late_names[lo].name : NULL;
}

bool script_name_thread(script *s, uint32_t thread, const char *name, size_t len)
{
	if (thread >= s->thread_capacity) {
		size_t cap = s->thread_capacity ? s->thread_capacity : 8;
		while (cap <= thread)
			cap *= 2;
		char **names = realloc(s->thread_names, cap * sizeof *names);
		if (!names)
			return false;
		memset(names + s->thread_capacity, 0, (cap - s->thread_capacity) * sizeof *names);
		s->thread_names = names;
		s->thread_capacity = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, name, len);
	copy[len] = '\0';
	free(s->thread_names[thread]);
	s->thread_names[thread] = copy;
	if (thread >= s->thread_count)
		s->thread_count = (size_t)thread + 1;
	return true;
}

bool script_name_thread_from(script *s, uint32_t thread, size_t from_op, const char *name, size_t len)
{
	if (!script_name_thread(s, thread, name, len))
		return false;
	if (thread >= s->thread_lives_count) {
		size_t count = (size_t)thread + 1 > s->thread_lives_count * 2 ? (size_t)thread + 1 : s->thread_lives_count * 2;
		struct script_thread_lives *grown = realloc(s->thread_lives, count * sizeof *grown);
		if (!grown)
			return false;
		memset(grown + s->thread_lives_count, 0, (count - s->thread_lives_count) * sizeof *grown);
		s->thread_lives = grown;
		s->thread_lives_count = count;
	}
	struct script_thread_lives *l = &s->thread_lives[thread];
	if (l->count == l->capacity) {
		size_t cap = l->capacity ? l->capacity * 2 : 4;
		size_t *from = realloc(l->from_op, cap * sizeof *from);
		if (!from)
			return false;
		l->from_op = from;
		char **names = realloc(l->name, cap * sizeof *names);
		if (!names)
			return false;
		l->name = names;
		l->capacity = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, name, len);
	copy[len] = '\0';
	l->from_op[l->count] = from_op;
	l->name[l->count++] = copy;
	return true;
}

const char *script_thread_name_at(const script *s, uint32_t thread, size_t op)
{
	if (thread == 0 || thread >= s->thread_lives_count || s->thread_lives[thread].count == 0)
		return script_thread_name(s, thread);
	/* the last life that began at or before op (the first for an op
	 * before them all) */
	const struct script_thread_lives *l = &s->thread_lives[thread];
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->from_op[mid] <= op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return l->name[lo > 0 ? lo - 1 : 0];
}

const char *script_thread_name(const script *s, uint32_t thread)
{
	if (thread == 0)
		return thread < s->thread_count && s->thread_names[0] ? s->thread_names[0] : "main";
	return thread < s->thread_count ? s->thread_names[thread] : NULL;
}

const char *script_slot_name(const script *s, sim_slot slot)
{
	if (slot >= s->slot_count)
		return "?";
	const char *given = script_slot_given_name(s, slot);
	if (given)
		return given;
	if (!s->slot_namer)
		return "?";
	/* (the buffers are the script's own, which is never const itself:
	 * asking a name changes nothing else) */
	script *m = (script *)s;
	char *buf = m->names_made[m->names_made_next++ % SCRIPT_NAMES_MADE];
	const char *name = s->slot_namer(s->slot_namer_context, slot, buf, sizeof m->names_made[0]);
	return name ? name : "?";
}

static void copy_lang(char dst[8], const char *lang)
{
	memset(dst, 0, 8);
	if (lang)
		strncpy(dst, lang, 7);
}

static bool same_cond(const script_glibc_cond *a, const script_glibc_cond *b)
{
	if (a->given != b->given)
		return false;
	return !a->given || (a->range == b->range && a->cmp == b->cmp && a->lo == b->lo && a->hi == b->hi);
}

bool script_add_caption(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *text, size_t text_len)
{
	return script_add_caption_when(s, at_step, line, lang, text, text_len, NULL);
}

bool script_add_caption_when(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *text,
                             size_t text_len, const script_glibc_cond *when)
{
	char tag[8];
	copy_lang(tag, lang);
	script_glibc_cond always;
	memset(&always, 0, sizeof always);
	if (when == NULL)
		when = &always;
	/* Join with an earlier caption of the same step, language and
	 * condition (say en, say zh, say en: the second English line
	 * continues the first). */
	for (size_t i = s->caption_count; i-- > 0 && s->captions[i].at_step == at_step;) {
		script_caption *same = &s->captions[i];
		if (strcmp(same->lang, tag) != 0 || !same_cond(&same->when, when))
			continue;
		size_t old = strlen(same->text);
		char *joined = realloc(same->text, old + 1 + text_len + 1);
		if (!joined)
			return false;
		joined[old] = '\n';
		memcpy(joined + old + 1, text, text_len);
		joined[old + 1 + text_len] = '\0';
		same->text = joined;
		return true;
	}
	if (!reserve((void **)&s->captions, &s->caption_capacity, s->caption_count + 1, sizeof *s->captions))
		return false;
	char *copy = dup_bytes(text, text_len);
	if (!copy)
		return false;
	script_caption *c = &s->captions[s->caption_count++];
	c->at_step = at_step;
	c->line = line;
	memcpy(c->lang, tag, sizeof tag);
	c->text = copy;
	c->when = *when;
	return true;
}

bool script_keep_glibc(script *s, sim_profile profile)
{
	bool ok = true;
	size_t kept = 0;
	for (size_t i = 0; i < s->caption_count; i++) {
		script_caption *c = &s->captions[i];
		if (!script_glibc_cond_holds(&c->when, profile)) {
			free(c->text);
			continue;
		}
		/* What is left of one step in one language is one caption again,
		 * its lines in source order (the shared line, then this
		 * release's). */
		script_caption *same = NULL;
		for (size_t k = kept; k-- > 0 && s->captions[k].at_step == c->at_step;)
			if (strcmp(s->captions[k].lang, c->lang) == 0) {
				same = &s->captions[k];
				break;
			}
		if (same != NULL) {
			size_t a = strlen(same->text), b = strlen(c->text);
			char *joined = realloc(same->text, a + 1 + b + 1);
			if (joined != NULL) {
				joined[a] = '\n';
				memcpy(joined + a + 1, c->text, b + 1);
				same->text = joined;
			} else {
				ok = false; /* the caller must not show the caption without its line */
			}
			free(c->text);
			continue;
		}
		s->captions[kept++] = *c;
	}
	s->caption_count = kept;
	return ok;
}

bool script_add_title(script *s, uint32_t line, const char *lang, const char *text, size_t text_len)
{
	if (!reserve((void **)&s->titles, &s->title_capacity, s->title_count + 1, sizeof *s->titles))
		return false;
	char *copy = dup_bytes(text, text_len);
	if (!copy)
		return false;
	if (!s->title) {
		/* `title` aliases the first entry's text; released through titles[]. */
		s->title = copy;
	}
	script_title *t = &s->titles[s->title_count++];
	t->line = line;
	copy_lang(t->lang, lang);
	t->text = copy;
	return true;
}

bool script_add_mark(script *s, uint32_t at_step, uint32_t line, bool pause, const char *label, size_t label_len)
{
	if (!reserve((void **)&s->marks, &s->mark_capacity, s->mark_count + 1, sizeof *s->marks))
		return false;
	char *copy = dup_bytes(label ? label : "", label ? label_len : 0);
	if (!copy)
		return false;
	s->marks[s->mark_count++] = (script_mark){at_step, line, pause, copy, {0}};
	return true;
}

bool script_add_pause(script *s, uint32_t at_step, uint32_t line, const char *lang, const char *label, size_t label_len)
{
	if (!script_add_mark(s, at_step, line, true, label, label_len))
		return false;
	copy_lang(s->marks[s->mark_count - 1].lang, lang);
	return true;
}

bool script_add_expect(script *s, const script_expect *e)
{
	if (!reserve((void **)&s->expects, &s->expect_capacity, s->expect_count + 1, sizeof *s->expects))
		return false;
	script_expect copy = *e;
	copy.text = NULL;
	copy.source_text = NULL;
	if (e->text && !(copy.text = dup_bytes(e->text, strlen(e->text))))
		return false;
	if (e->source_text && !(copy.source_text = dup_bytes(e->source_text, strlen(e->source_text)))) {
		free(copy.text);
		return false;
	}
	s->expects[s->expect_count++] = copy;
	return true;
}

/* Whether `tag` has the primary language of `lang` ("zh" for "zh-CN"). */
static bool lang_matches_primary(const char *tag, const char *lang)
{
	size_t n = strcspn(lang, "-");
	return strncmp(tag, lang, n) == 0 && (tag[n] == '\0' || tag[n] == '-');
}

/* How well an entry tagged `tag` suits `lang`: 3 the exact tag, 2 the
 * same primary language, 1 untagged, 0 another language (the callers
 * fall back to it when nothing ranks higher). */
static int lang_rank(const char *tag, const char *lang)
{
	if (lang && strcmp(tag, lang) == 0)
		return 3;
	if (lang && *lang && lang_matches_primary(tag, lang))
		return 2;
	if (tag[0] == '\0')
		return 1;
	return 0;
}

const script_caption *script_caption_at(const script *s, uint32_t step, const char *lang)
{
	/* The captions of the latest step <= `step` that has any caption. */
	size_t end = 0;
	while (end < s->caption_count && s->captions[end].at_step <= step)
		end++;
	if (end == 0)
		return NULL;
	uint32_t at = s->captions[end - 1].at_step;
	const script_caption *best = NULL;
	int best_rank = -1;
	for (size_t i = end; i-- > 0 && s->captions[i].at_step == at;) {
		int rank = lang_rank(s->captions[i].lang, lang);
		if (rank >= best_rank) {
			best = &s->captions[i];
			best_rank = rank;
		}
	}
	return best;
}

const char *script_pause_at(const script *s, uint32_t step, const char *lang)
{
	const char *best = NULL;
	int best_rank = -1;
	for (size_t i = 0; i < s->mark_count; i++) {
		const script_mark *m = &s->marks[i];
		if (!m->pause || m->at_step != step)
			continue;
		int rank = lang_rank(m->lang, lang);
		if (rank > best_rank) {
			best = m->label;
			best_rank = rank;
		}
	}
	return best;
}

const char *script_title_for(const script *s, const char *lang)
{
	const char *best = NULL;
	int best_rank = -1;
	for (size_t i = 0; i < s->title_count; i++) {
		int rank = lang_rank(s->titles[i].lang, lang);
		if (rank > best_rank) {
			best = s->titles[i].text;
			best_rank = rank;
		}
	}
	return best;
}

bool script_glibc_cond_holds(const script_glibc_cond *c, sim_profile profile)
{
	if (!c->given)
		return true;
	uint32_t v = sim_profile_version(profile);
	if (c->range)
		return v >= c->lo && v <= c->hi;
	switch (c->cmp) {
	case SCRIPT_CMP_EQ: return v == c->lo;
	case SCRIPT_CMP_NE: return v != c->lo;
	case SCRIPT_CMP_LT: return v < c->lo;
	case SCRIPT_CMP_LE: return v <= c->lo;
	case SCRIPT_CMP_GT: return v > c->lo;
	case SCRIPT_CMP_GE: return v >= c->lo;
	}
	return true;
}

/* "2.36" or "2.3.6" from a version number. */
static int version_text(uint32_t v, char *buf, size_t size)
{
	unsigned major = v / 10000, minor = v / 100 % 100, micro = v % 100;
	return micro ? snprintf(buf, size, "%u.%u.%u", major, minor, micro) : snprintf(buf, size, "%u.%u", major, minor);
}

void script_glibc_cond_format(const script_glibc_cond *c, char *buf, size_t size)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
	char lo[16], hi[16];
	version_text(c->lo, lo, sizeof lo);
	version_text(c->hi, hi, sizeof hi);
	if (!c->given)
		snprintf(buf, size, "every glibc");
	else if (c->range)
		snprintf(buf, size, "glibc %s..%s", lo, hi);
	else if (c->cmp == SCRIPT_CMP_EQ)
		snprintf(buf, size, "glibc %s", lo);
	else
		snprintf(buf, size, "glibc %s %s", ops[c->cmp], lo);
}
