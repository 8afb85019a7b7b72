/* stacks.c — the call stacks brksim-record.so writes into a recording.
 *
 * Owns: capturing the return-address chain of an allocating call
 * (libunwind's unw_backtrace, local-only: DWARF CFI, so code built with
 * -fomit-frame-pointer still unwinds, and a per-thread cache of frame
 * descriptions keyed by address, so a warm unwind costs tens of ns per
 * frame), storing each distinct chain once (an id and one `s` line), and
 * the module map (`# module` lines: every loaded object a frame runs in,
 * with its address range, load bias, build id and path), so the driver
 * can turn the offsets into `function (file:line)` after the program
 * exits (record/symbolize.c). Must not: allocate from the heap it
 * records, open a descriptor in the program's range, or take a lock of
 * its own (it runs under recorder.c's log lock).
 *
 * Why it is safe inside malloc:
 * - libunwind's local unwinder keeps its state in mmap'ed pools and
 *   static storage. While it runs, stacks_t_unwinding is set and
 *   recorder.c serves any allocator call from its bootstrap buffer
 *   instead of glibc (none is expected; stacks_unwinder_bytes counts
 *   them and the recording says so in a `# note`).
 * - Its one-time set-up opens a pipe (for memory validation, which local
 *   unwinding never uses). stacks_start runs it at start, and recorder.c's
 *   pipe2 moves a pipe made while stacks_t_unwinding is set above the
 *   program's descriptor range, so the program's own open() calls get
 *   the numbers they get without the recorder.
 * - The tables here are anonymous mappings grown by doubling: the brk
 *   heap is never touched. A forked child starts a new generation of ids
 *   (its file is new) without writing to the parent's pages. */
#define _GNU_SOURCE
#include "stacks.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "logfile.h"
#include "recfmt.h"

__thread int stacks_t_unwinding __attribute__((tls_model("initial-exec")));

/* Bounds: past them a new stack is recorded as id 0 (a `# note` says so). */
#define STACKS_IDS_MAX ((uint32_t)1 << 21)
#define STACKS_FRAMES_MAX ((uint64_t)1 << 25)
#define MODULES_MAX 1024

typedef struct slot {
	uint64_t hash;
	uint32_t id;  /* 0: empty */
	uint32_t gen; /* an entry of an older generation (a forked parent's) is empty */
} slot;

typedef struct module {
	uintptr_t lo, hi, bias;
	uint32_t id;
} module;

static unsigned st_depth;
static uintptr_t self_lo, self_hi;   /* this library: its frames are skipped */
static uintptr_t unw_lo, unw_hi;     /* libunwind: the same */
static char st_exe[1024];

static slot *st_table;
static uint64_t st_table_cap;        /* power of two */
static uint64_t *st_frames;          /* frame pool */
static uint64_t st_frames_cap, st_frames_used;
static uint32_t *st_off;             /* per id: first frame in the pool */
static uint8_t *st_len;              /* per id: frame count */
static uint32_t st_ids_cap;
static uint32_t st_next_id;          /* ids handed out: 1 .. st_next_id - 1 */
static uint32_t st_gen = 1;
static bool st_full_noted;

static module st_modules[MODULES_MAX];
static uint32_t st_module_count;
static uint32_t st_module_next_id;

static uint64_t st_unwinder_bytes;

/* ---- anonymous memory ---- */

static void *map_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Doubles an array mapping (old contents kept). */
static void *grow(void *old, size_t old_size, size_t new_size)
{
	void *p = mremap(old, old_size, new_size, MREMAP_MAYMOVE);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- where code lives ---- */

typedef struct find_ctx {
	uintptr_t addr;
	uintptr_t lo, hi;
} find_ctx;

static void object_range(const struct dl_phdr_info *info, uintptr_t *lo, uintptr_t *hi)
{
	*lo = UINTPTR_MAX;
	*hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr, b = a + ph->p_memsz;
		if (a < *lo)
			*lo = a;
		if (b > *hi)
			*hi = b;
	}
}

static int find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	find_ctx *c = data;
	uintptr_t lo, hi;
	object_range(info, &lo, &hi);
	if (c->addr >= lo && c->addr < hi) {
		c->lo = lo;
		c->hi = hi;
		return 1;
	}
	return 0;
}

static void range_of(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	find_ctx c = {addr, 0, 0};
	dl_iterate_phdr(find_cb, &c);
	*lo = c.lo;
	*hi = c.hi;
}

/* ---- the module map ---- */

/* The GNU build id from the object's notes (they are mapped), as hex. */
static char *put_build_id(char *p, const struct dl_phdr_info *info)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *n = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = n + ph->p_memsz;
		while (n + sizeof(ElfW(Nhdr)) <= end) {
			ElfW(Nhdr) h;
			memcpy(&h, n, sizeof h);
			const unsigned char *name = n + sizeof h;
			const unsigned char *desc = name + ((h.n_namesz + 3) & ~3u);
			const unsigned char *next = desc + ((h.n_descsz + 3) & ~3u);
			if (next > end || next <= n)
				break;
			if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 && memcmp(name, "GNU", 4) == 0 && h.n_descsz > 0 &&
			    h.n_descsz <= 64) {
				for (uint32_t k = 0; k < h.n_descsz; k++) {
					*p++ = "0123456789abcdef"[desc[k] >> 4];
					*p++ = "0123456789abcdef"[desc[k] & 15];
				}
				return p;
			}
			n = next;
		}
	}
	*p++ = '-';
	return p;
}

/* A path for a `# module` line: control characters and backslashes as
 * \xNN, so the line stays one line. */
static char *put_path(char *p, const char *s, size_t room)
{
	for (; *s && room > 4; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\') {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = "0123456789abcdef"[c >> 4];
			*p++ = "0123456789abcdef"[c & 15];
			room -= 4;
		} else {
			*p++ = (char)c;
			room--;
		}
	}
	return p;
}

typedef struct refresh_ctx {
	stacks_emit emit;
	bool ok;
} refresh_ctx;

/* Line buffer for `# module` lines (the log lock is held). */
static char module_line[LOGFILE_LINE_MAX];

static int refresh_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	refresh_ctx *c = data;
	uintptr_t lo, hi;
	object_range(info, &lo, &hi);
	if (lo >= hi)
		return 0;
	for (uint32_t i = 0; i < st_module_count; i++)
		if (st_modules[i].lo == lo && st_modules[i].hi == hi && st_modules[i].bias == info->dlpi_addr)
			return 0;
	if (st_module_count == MODULES_MAX)
		return 1;
	/* An object unloaded since: its range may be another's now. */
	for (uint32_t i = 0; i < st_module_count;)
		if (st_modules[i].lo < hi && lo < st_modules[i].hi)
			st_modules[i] = st_modules[--st_module_count];
		else
			i++;
	module *m = &st_modules[st_module_count++];
	m->lo = lo;
	m->hi = hi;
	m->bias = info->dlpi_addr;
	m->id = st_module_next_id++;
	const char *path = info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : st_exe;
	char *p = put_str(module_line, "# module ");
	p = put_dec(p, m->id);
	*p++ = ' ';
	p = put_hex(p, lo);
	*p++ = ' ';
	p = put_hex(p, hi);
	*p++ = ' ';
	p = put_hex(p, m->bias);
	*p++ = ' ';
	p = put_build_id(p, info);
	*p++ = ' ';
	p = put_path(p, path, sizeof module_line - (size_t)(p - module_line) - 2);
	*p++ = '\n';
	if (!c->emit(module_line, (size_t)(p - module_line)))
		c->ok = false;
	return 0;
}

static const module *module_of(uintptr_t a)
{
	for (uint32_t i = 0; i < st_module_count; i++)
		if (a >= st_modules[i].lo && a < st_modules[i].hi)
			return &st_modules[i];
	return NULL;
}

/* ---- start ---- */

bool stacks_start(unsigned depth, const char *exe)
{
	st_depth = 0;
	if (depth == 0)
		return true;
	if (depth > STACKS_DEPTH_MAX)
		depth = STACKS_DEPTH_MAX;
	size_t n = strlen(exe);
	if (n >= sizeof st_exe)
		n = sizeof st_exe - 1;
	memcpy(st_exe, exe, n);
	st_exe[n] = '\0';
	st_table_cap = 1u << 12;
	st_ids_cap = 1u << 11;
	st_frames_cap = 1u << 15;
	st_table = map_zeroed(st_table_cap * sizeof *st_table);
	st_frames = map_zeroed(st_frames_cap * sizeof *st_frames);
	st_off = map_zeroed(st_ids_cap * sizeof *st_off);
	st_len = map_zeroed(st_ids_cap * sizeof *st_len);
	if (!st_table || !st_frames || !st_off || !st_len)
		return false;
	st_next_id = 1;
	/* The ranges of this library (found by one of its variables) and of
	 * libunwind (by its function). */
	range_of((uintptr_t)&st_depth, &self_lo, &self_hi);
	uintptr_t unw = 0;
	int (*bt)(void **, int) = unw_backtrace;
	memcpy(&unw, &bt, sizeof unw);
	range_of(unw, &unw_lo, &unw_hi);
	/* libunwind's one-time set-up, here rather than in the program's
	 * first call. */
	st_depth = depth;
	uintptr_t warm[STACKS_DEPTH_MAX];
	stacks_capture(warm);
	return true;
}

unsigned stacks_depth(void)
{
	return st_depth;
}

static bool is_own(uintptr_t a)
{
	return (a >= self_lo && a < self_hi) || (a >= unw_lo && a < unw_hi);
}

__attribute__((noinline)) unsigned stacks_capture(uintptr_t *out)
{
	if (!st_depth)
		return 0;
	void *buf[STACKS_DEPTH_MAX + 8];
	stacks_t_unwinding = 1;
	int n = unw_backtrace(buf, (int)st_depth + 8);
	stacks_t_unwinding = 0;
	int i = 0;
	while (i < n && is_own((uintptr_t)buf[i]))
		i++;
	unsigned k = 0;
	for (; i < n && k < st_depth; i++)
		out[k++] = (uintptr_t)buf[i];
	return k;
}

/* ---- the table ---- */

static uint64_t hash_frames(const uintptr_t *f, unsigned n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (unsigned i = 0; i < n; i++) {
		h ^= f[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return h | 1; /* never 0 */
}

static bool same(uint32_t id, const uintptr_t *f, unsigned n)
{
	if (st_len[id] != n)
		return false;
	const uint64_t *g = st_frames + st_off[id];
	for (unsigned i = 0; i < n; i++)
		if (g[i] != f[i])
			return false;
	return true;
}

/* Doubles the hash table (rehashing this generation's entries). */
static bool table_grow(void)
{
	uint64_t cap = st_table_cap * 2;
	slot *t = map_zeroed(cap * sizeof *t);
	if (!t)
		return false;
	for (uint64_t i = 0; i < st_table_cap; i++) {
		slot s = st_table[i];
		if (!s.id || s.gen != st_gen)
			continue;
		uint64_t k = s.hash & (cap - 1);
		while (t[k].id)
			k = (k + 1) & (cap - 1);
		t[k] = s;
	}
	munmap(st_table, st_table_cap * sizeof *st_table);
	st_table = t;
	st_table_cap = cap;
	return true;
}

static bool room_for(unsigned n)
{
	if (st_next_id >= STACKS_IDS_MAX || st_frames_used + n > STACKS_FRAMES_MAX)
		return false;
	if (st_next_id >= st_ids_cap) {
		uint32_t cap = st_ids_cap * 2;
		uint32_t *off = grow(st_off, st_ids_cap * sizeof *st_off, cap * sizeof *st_off);
		if (!off)
			return false;
		st_off = off;
		uint8_t *len = grow(st_len, st_ids_cap * sizeof *st_len, cap * sizeof *st_len);
		if (!len)
			return false;
		st_len = len;
		st_ids_cap = cap;
	}
	if (st_frames_used + n > st_frames_cap) {
		uint64_t cap = st_frames_cap * 2;
		uint64_t *fr = grow(st_frames, st_frames_cap * sizeof *st_frames, cap * sizeof *st_frames);
		if (!fr)
			return false;
		st_frames = fr;
		st_frames_cap = cap;
	}
	if ((uint64_t)st_next_id * 2 >= st_table_cap && !table_grow())
		return false;
	return true;
}

/* Line buffer for `s` lines (the log lock is held). */
static char stack_line[64 + STACKS_DEPTH_MAX * 40];

/* Writes `s ID FRAME...`: MODULE+OFFSET for a frame in a known object
 * (OFFSET from its load bias: the address in the ELF file), ?ADDR else.
 * New objects get their `# module` line first. */
static bool write_stack(uint32_t id, const uintptr_t *f, unsigned n, stacks_emit emit)
{
	bool refreshed = false;
	for (unsigned i = 0; i < n && !refreshed; i++)
		if (!module_of(f[i])) {
			refresh_ctx c = {emit, true};
			dl_iterate_phdr(refresh_cb, &c);
			if (!c.ok)
				return false;
			refreshed = true;
		}
	char *p = put_str(stack_line, "s ");
	p = put_dec(p, id);
	for (unsigned i = 0; i < n; i++) {
		*p++ = ' ';
		const module *m = module_of(f[i]);
		if (m) {
			p = put_dec(p, m->id);
			*p++ = '+';
			p = put_hex(p, f[i] - m->bias);
		} else {
			*p++ = '?';
			p = put_hex(p, f[i]);
		}
	}
	*p++ = '\n';
	return emit(stack_line, (size_t)(p - stack_line));
}

uint32_t stacks_intern(const uintptr_t *f, unsigned n, stacks_emit emit)
{
	if (n == 0 || !st_table)
		return 0;
	uint64_t h = hash_frames(f, n);
	uint64_t k = h & (st_table_cap - 1);
	for (;; k = (k + 1) & (st_table_cap - 1)) {
		slot *s = &st_table[k];
		if (!s->id || s->gen != st_gen)
			break;
		if (s->hash == h && same(s->id, f, n))
			return s->id;
	}
	if (!room_for(n)) {
		if (!st_full_noted) {
			st_full_noted = true;
			static const char note[] = "# note the stack table is full: later new stacks are recorded as @0\n";
			emit(note, sizeof note - 1);
		}
		return 0;
	}
	/* The table may have grown: find the free entry again. */
	k = h & (st_table_cap - 1);
	while (st_table[k].id && st_table[k].gen == st_gen)
		k = (k + 1) & (st_table_cap - 1);
	uint32_t id = st_next_id++;
	st_off[id] = (uint32_t)st_frames_used;
	st_len[id] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		st_frames[st_frames_used + i] = f[i];
	st_frames_used += n;
	st_table[k] = (slot){h, id, st_gen};
	if (!write_stack(id, f, n, emit))
		return 0;
	return id;
}

void stacks_forget(void)
{
	st_gen++;
	st_next_id = 1;
	st_frames_used = 0;
	st_module_count = 0;
	st_module_next_id = 0;
	st_full_noted = false;
}

uint64_t stacks_unwinder_bytes(void)
{
	return st_unwinder_bytes;
}

void stacks_count_unwinder_bytes(size_t n)
{
	__atomic_add_fetch(&st_unwinder_bytes, n, __ATOMIC_RELAXED);
}
