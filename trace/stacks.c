/* stacks.c — a recording's modules, frames, stacks and call sites (see
 * stacks.h for what a call site is).
 *
 * Owns: the tables behind trace_stacks, the choice of each stack's call
 * site, and the wording of sites and frames. Must not: do I/O, or parse
 * recording lines (import_recording.c does and feeds them in). */
#include "stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_util.h"
#include "rust_demangle.h"
#include "../sim/hugepages.h"

/* ---- growing arrays ---- */

static bool reserve(void **items, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return false;
		n *= 2;
	}
	void *p = realloc(*items, n * elem);
	if (!p)
		return false;
	*items = p;
	*cap = n;
	return true;
}

#define RESERVE(st, arr, cap, need) (reserve((void **)&(st)->arr, &(st)->cap, (need), sizeof *(st)->arr) || ((st)->out_of_memory = true, false))

void trace_stacks_init(trace_stacks *st)
{
	memset(st, 0, sizeof *st);
}

static void map_free(void *m)
{
	if (m) {
		tmap_release(m);
		free(m);
	}
}

void trace_stacks_release(trace_stacks *st)
{
	free(st->strings);
	free(st->modules);
	free(st->frames);
	free(st->symbols);
	free(st->stack_frames);
	free(st->stack_first);
	free(st->stack_len);
	free(st->stack_site);
	free(st->stack_by_id);
	free(st->sites);
	free(st->op_stack);
	free(st->slot_site);
	map_free(st->frame_map);
	map_free(st->stack_map);
	map_free(st->site_map);
	memset(st, 0, sizeof *st);
}

static tmap *map_of(trace_stacks *st, void **slot)
{
	if (!*slot) {
		tmap *m = malloc(sizeof *m);
		if (!m) {
			st->out_of_memory = true;
			return NULL;
		}
		tmap_init(m, 0);
		*slot = m;
	}
	return *slot;
}

/* ---- strings ---- */

trace_str trace_stacks_intern(trace_stacks *st, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (st->strings_len == 0) {
		if (!RESERVE(st, strings, strings_cap, 1))
			return 0;
		st->strings[0] = '\0';
		st->strings_len = 1;
	}
	if (st->strings_len + len + 1 > UINT32_MAX || !RESERVE(st, strings, strings_cap, st->strings_len + len + 1))
		return 0;
	trace_str at = (trace_str)st->strings_len;
	memcpy(st->strings + at, s, len);
	st->strings[at + len] = '\0';
	st->strings_len += len + 1;
	return at;
}

const char *trace_stacks_str(const trace_stacks *st, trace_str s)
{
	return s && s < st->strings_len ? st->strings + s : "";
}

/* ---- building ---- */

/* Interns a function's name as a reader wants it: a Rust name still
 * mangled demangled (recorded before the recorder read the v0 mangling,
 * or one it could not read: a legacy name with LLVM's `.llvm.` suffix),
 * and a legacy name an earlier recorder read half finished: it left the
 * leading `_` of `_<alloc..vec..Vec<T> as ...>::from_iter` and the `..`
 * that stand for "::" (a demangled C++ name has ".." only in a
 * parameter list's "...", after its '('). */
trace_str trace_stacks_intern_function(trace_stacks *st, const char *s, size_t len)
{
	char name[2048], readable[2048];
	if (len == 0 || len >= sizeof name || s[0] != '_')
		return trace_stacks_intern(st, s, len);
	memcpy(name, s, len);
	name[len] = '\0';
	if (rust_v0_demangle(name, readable, sizeof readable) || rust_legacy_demangle(name, readable, sizeof readable))
		return trace_stacks_intern(st, readable, strlen(readable));
	if (name[1] == '<' && !memchr(name, '(', len) && strstr(name, "..")) {
		size_t k = 0;
		for (size_t i = 1; i < len; i++) {
			if (name[i] == '.' && name[i + 1] == '.') {
				readable[k++] = ':';
				readable[k++] = ':';
				i++;
			} else {
				readable[k++] = name[i];
			}
		}
		return trace_stacks_intern(st, readable, k);
	}
	return trace_stacks_intern(st, s, len);
}

/* Objects whose frames are never a call site: the allocator's own
 * plumbing. Their callers are. */
static bool is_plumbing(const char *name)
{
	static const char *const prefixes[] = {
		"libc.so",      "libc-",        "ld-linux",      "ld64.so", "libstdc++.so", "libgcc_s.so",
		"libc++.so",    "libc++abi.so", "libjemalloc.so", "libtcmalloc", "libunwind", "brksim-record.so",
		"libpthread.so",
	};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

bool trace_stacks_add_module(trace_stacks *st, uint64_t id, const char *build_id, size_t build_id_len,
                             const char *path, size_t path_len)
{
	if (id >= TRACE_MODULES_MAX)
		return false;
	if (id >= st->module_count) {
		size_t cap = st->module_count;
		trace_module *m = st->modules;
		if (!reserve((void **)&m, &cap, (size_t)id + 1, sizeof *m)) {
			st->out_of_memory = true;
			return false;
		}
		memset(m + st->module_count, 0, ((size_t)id + 1 - st->module_count) * sizeof *m);
		st->modules = m;
		st->module_count = (size_t)id + 1;
	}
	trace_module *m = &st->modules[id];
	if (m->present)
		return false;
	m->present = true;
	m->path = trace_stacks_intern(st, path, path_len);
	const char *base = path;
	for (size_t i = 0; i < path_len; i++)
		if (path[i] == '/')
			base = path + i + 1;
	m->name = trace_stacks_intern(st, base, (size_t)(path + path_len - base));
	m->build_id = trace_stacks_intern(st, build_id, build_id_len);
	m->plumbing = is_plumbing(trace_stacks_str(st, m->name));
	return true;
}

uint32_t trace_stacks_frame(trace_stacks *st, uint32_t module, uint64_t offset)
{
	tmap *m = map_of(st, &st->frame_map);
	if (!m)
		return 0;
	/* module ids are < 2^16 and offsets < 2^48 (x86-64 addresses). */
	uint64_t key = ((uint64_t)(module == TRACE_NO_MODULE ? 0xffffu : module) << 48) ^ offset;
	tmap_entry *e = tmap_get(m, key);
	if (!e) {
		st->out_of_memory = true;
		return 0;
	}
	if (e->state == TMAP_LIVE)
		return e->slot;
	if (!RESERVE(st, frames, frame_cap, st->frame_count + 1))
		return 0;
	uint32_t index = (uint32_t)st->frame_count++;
	st->frames[index] = (trace_frame){module, offset, 0, 0};
	e->slot = index;
	e->state = TMAP_LIVE;
	return index;
}

bool trace_stacks_add_stack(trace_stacks *st, uint64_t id, const uint32_t *frames, size_t n)
{
	tmap *m = map_of(st, &st->stack_map);
	if (!m)
		return false;
	tmap_entry *e = tmap_get(m, id);
	if (!e) {
		st->out_of_memory = true;
		return false;
	}
	if (e->state == TMAP_LIVE)
		return false;
	if (!RESERVE(st, stack_frames, stack_frames_cap, st->stack_frames_len + n))
		return false;
	size_t cap = st->stack_cap;
	if (!reserve((void **)&st->stack_first, &cap, st->stack_count + 1, sizeof *st->stack_first))
		goto oom;
	cap = st->stack_cap;
	if (!reserve((void **)&st->stack_len, &cap, st->stack_count + 1, sizeof *st->stack_len))
		goto oom;
	cap = st->stack_cap;
	if (!reserve((void **)&st->stack_site, &cap, st->stack_count + 1, sizeof *st->stack_site))
		goto oom;
	st->stack_cap = cap;
	uint32_t index = (uint32_t)st->stack_count++;
	st->stack_first[index] = (uint32_t)st->stack_frames_len;
	st->stack_len[index] = (uint16_t)n;
	st->stack_site[index] = TRACE_NO_SITE;
	if (n > 0) /* an `s` line may list no frame */
		memcpy(st->stack_frames + st->stack_frames_len, frames, n * sizeof *frames);
	st->stack_frames_len += n;
	e->slot = index;
	e->state = TMAP_LIVE;
	if (id > st->stack_id_max)
		st->stack_id_max = id;
	if (id < st->stack_by_id_len) /* (one added after trace_stacks_finish) */
		st->stack_by_id[id] = index;
	return true;
oom:
	st->out_of_memory = true;
	return false;
}

bool trace_stacks_add_symbol(trace_stacks *st, uint32_t frame, const trace_symbol *levels, size_t n)
{
	if (frame >= st->frame_count || st->frames[frame].sym_count > 0 || n == 0)
		return false;
	if (!RESERVE(st, symbols, symbol_cap, st->symbol_count + n))
		return false;
	st->frames[frame].sym_first = (uint32_t)st->symbol_count;
	st->frames[frame].sym_count = (uint16_t)n;
	memcpy(st->symbols + st->symbol_count, levels, n * sizeof *levels);
	st->symbol_count += n;
	st->symbolized = true;
	return true;
}

uint32_t trace_stacks_find(const trace_stacks *st, uint64_t id)
{
	if (id < st->stack_by_id_len)
		return st->stack_by_id[id];
	if (!st->stack_map)
		return TRACE_NO_STACK;
	const tmap_entry *e = tmap_find(st->stack_map, id);
	return e && e->state == TMAP_LIVE ? e->slot : TRACE_NO_STACK;
}

bool trace_stacks_set_op(trace_stacks *st, size_t index, uint32_t stack)
{
	if (!RESERVE(st, op_stack, op_cap, index + 1))
		return false;
	for (size_t i = st->op_count; i < index; i++)
		st->op_stack[i] = TRACE_NO_STACK;
	st->op_stack[index] = stack;
	if (index + 1 > st->op_count)
		st->op_count = index + 1;
	return true;
}

void trace_stacks_reserve_slots(trace_stacks *st, size_t count)
{
	if (count <= st->slot_cap || count > SIZE_MAX / sizeof *st->slot_site)
		return;
	uint32_t *p = sim_huge_realloc(st->slot_site, st->slot_count * sizeof *p, count * sizeof *p);
	if (!p)
		return;
	st->slot_site = p;
	st->slot_cap = count;
}

bool trace_stacks_set_slot(trace_stacks *st, sim_slot slot, uint32_t site)
{
	if (slot == SIM_NO_SLOT || !RESERVE(st, slot_site, slot_cap, (size_t)slot + 1))
		return false;
	for (size_t i = st->slot_count; i < slot; i++)
		st->slot_site[i] = TRACE_NO_SITE;
	st->slot_site[slot] = site;
	if ((size_t)slot + 1 > st->slot_count)
		st->slot_count = (size_t)slot + 1;
	return true;
}

/* ---- call sites ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Whether `word` is in the n bytes at s, in any case. */
static bool has_word(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t at = 0; at + k <= n; at++) {
		size_t j = 0;
		while (j < k && (s[at + j] | 0x20) == word[j])
			j++;
		if (j == k)
			return true;
	}
	return false;
}

/* The function's own name in a demangled one: past its return type, its
 * namespaces and classes, before its template arguments and parameters
 * ("AllocateHeap" in "AllocateHeap(unsigned long, MEMFLAGS)", "grow" in
 * "alloc::Pool::grow", "Alloc" in "void* Arena<T>::Alloc(int)"). */
static const char *own_name(const char *fn, size_t *len)
{
	const char *start = fn;
	int depth = 0;
	const char *c = fn;
	for (; *c && !(depth == 0 && *c == '('); c++) {
		if (*c == '<')
			depth++;
		else if (*c == '>' && depth > 0)
			depth--;
		else if (depth == 0 && (*c == ' ' || (c[0] == ':' && c[1] == ':')))
			start = c + (*c == ' ' ? 1 : 2);
	}
	size_t n = 0;
	while (start + n < c && start[n] != '<')
		n++;
	*len = n;
	return start;
}

/* Whether `fn` is a thin allocation wrapper, by its name: it has malloc,
 * calloc, realloc, zalloc, strdup, strndup, memdup or memalign in it,
 * in any case (xmalloc, g_malloc0, g_malloc_n, Perl_safesysmalloc,
 * xstrdup, g_strdup_printf, PyMem_RawMalloc, sqlite3_malloc64,
 * sqlite3MallocZero, sqlite3DbMallocRawNN, OpenSSL's CRYPTO_zalloc and
 * CRYPTO_memdup, which node's TLS setup charged 11,065 allocations to),
 * or its own name (not its namespace's: alloc::Pool::grow is no
 * wrapper) has alloc in it (HotSpot's AllocateHeap, which a Java
 * program's every native allocation, 8.2 MiB of a small one's peak,
 * went to; PostgreSQL's palloc and MemoryContextAlloc, GLib's
 * g_slice_alloc, APR's apr_palloc, an arena's Alloc), or it is C++'s
 * operator new, or it is named as ImageMagick's are, Acquire or Resize
 * and Memory in its own name (AcquireQuantumMemory, AcquireAlignedMemory,
 * ResizeMagickMemory: a convert run's 52 MiB peak went to the second).
 * Its caller is the site. (By the end of the name alone, sqlite's
 * MallocZero and MallocRawNN were sites, and a sqlite3 program's 4.2 MiB
 * peak went to two functions of the library.) */
static bool is_wrapper(const char *fn)
{
	if (strncmp(fn, "operator new", 12) == 0)
		return true;
	size_t n = strcspn(fn, "(<");
	static const char *const words[] = {"malloc", "calloc", "realloc", "zalloc",
	                                    "strdup", "strndup", "memdup", "memalign"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (has_word(fn, n, words[i]))
			return true;
	size_t own_len;
	const char *own = own_name(fn, &own_len);
	if (has_word(own, own_len, "alloc"))
		return true;
	bool verb = (own_len >= 7 && strncasecmp(own, "acquire", 7) == 0) ||
	            (own_len >= 6 && strncasecmp(own, "resize", 6) == 0);
	return verb && has_word(own, own_len, "memory");
}

/* The language runtimes' libraries, by the first part of a function's
 * name: C++'s (std::, __gnu_cxx::, __cxxabiv1::) and, in Rust code
 * (`rust`: a Rust name or source, since a C++ program may well have a
 * namespace `core` or `alloc`), Rust's std, core and alloc crates and
 * the crates std is built on. Their code is compiled into the program
 * itself (C++ templates; Rust links its std statically), so the object
 * does not tell it. */
static bool is_runtime_part(const char *name, size_t n, bool rust)
{
	static const char *const cxx[] = {"std", "__gnu_cxx", "__cxxabiv1"};
	static const char *const crates[] = {"std",         "core",           "alloc",       "hashbrown",
	                                     "std_detect",  "panic_unwind",   "panic_abort", "compiler_builtins",
	                                     "rustc_demangle", "addr2line",   "gimli",       "miniz_oxide",
	                                     "adler",       "adler2"};
	for (size_t i = 0; i < sizeof cxx / sizeof cxx[0]; i++)
		if (strlen(cxx[i]) == n && memcmp(cxx[i], name, n) == 0)
			return true;
	for (size_t i = 0; rust && i < sizeof crates / sizeof crates[0]; i++)
		if (strlen(crates[i]) == n && memcmp(crates[i], name, n) == 0)
			return true;
	return false;
}

/* Whether a level is Rust code: its source is (a `.rs` file, Rust's own
 * sources under /rustc/). */
static bool is_rust_source(const char *file)
{
	size_t n = strlen(file);
	return (n > 3 && strcmp(file + n - 3, ".rs") == 0) || strncmp(file, "/rustc/", 7) == 0 ||
	       strncmp(file, "/rust/deps/", 11) == 0;
}

/* Whether a demangled name is one only Rust writes: a closure or shim
 * (`{{closure}}`), a trait's impl (`<T as Trait>::`: C++ has no `as`),
 * or Rust's runtime entry points (`__rust_alloc`, `rust_begin_unwind`). */
static bool is_rust_name(const char *fn)
{
	return strstr(fn, "{{") != NULL || strstr(fn, " as ") != NULL || strstr(fn, "__rust_") != NULL ||
	       strncmp(fn, "rust_", 5) == 0;
}

/* `module_rust`: the level's object is Rust code (trace_module.rust),
 * which decides for a level without a source: a release build has
 * none, and its names are plain (`alloc::fmt::format::format_inner`). */
static bool is_runtime_function(const char *fn, const char *file, bool module_rust)
{
	/* a name in Rust's v0 mangling (recorded before the recorder read
	 * them) is judged as its reading: its crate, or an impl's type */
	char demangled[2048];
	bool rust = rust_v0_demangle(fn, demangled, sizeof demangled);
	if (rust)
		fn = demangled;
	else /* (a source says which language; without one, the object does) */
		rust = file[0] ? is_rust_source(file) : module_rust;
	/* demangled: `std::...`, `<alloc::vec::Vec<T> as ...>::...`, a
	 * template function's return type first (`void std::vector<...>::
	 * _M_realloc_insert<...>(...)`) */
	int depth = 0;
	const char *name = fn;
	for (const char *c = fn; *c && !(*c == '(' && depth == 0); c++) {
		if (*c == '<')
			depth++;
		else if (*c == '>')
			depth--;
		else if (*c == ' ' && depth == 0)
			name = c + 1;
	}
	fn = name;
	while (*fn == '<')
		fn++;
	size_t n = 0;
	while (fn[n] && fn[n] != ':' && fn[n] != '<' && fn[n] != '>' && fn[n] != '(' && fn[n] != ' ')
		n++;
	if (fn[n] == ':' && fn[n + 1] == ':')
		return is_runtime_part(fn, n, rust);
	/* an inherent impl on a primitive type, which only the language's
	 * library has (`<str>::trim_start_matches`, `<[u8]>::copy_within`) */
	static const char *const primitives[] = {"str", "bool", "char", "i8",  "i16",   "i32",   "i64", "i128",
	                                         "isize", "u8",  "u16",  "u32", "u64", "u128", "usize", "f32", "f64"};
	if (rust && fn[n] == '>' && name[0] == '<') {
		if (fn[0] == '[' || fn[0] == '*' || fn[0] == '&' || fn[0] == '(')
			return true;
		for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++)
			if (strlen(primitives[i]) == n && memcmp(primitives[i], fn, n) == 0)
				return true;
	}
	return false;
}

/* Sources of the system's and the toolchains' libraries. */
static bool is_system_source(const char *file)
{
	static const char *const dirs[] = {"/usr/include/", "/usr/lib/gcc/", "/rustc/", "/rust/deps/"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strncmp(file, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

/* Whether a level of a frame is plumbing: in a plumbing object, an
 * allocation wrapper, a language runtime's function (an out-of-line
 * std::vector<T>::_M_realloc_insert, Rust's alloc::alloc::alloc), or
 * code inlined from a system or toolchain source into the level outside
 * it (std::vector's growth inlined into the program). The outermost
 * level, the function the code is in, goes by its name alone: where the
 * levels between were lost (Rust's std inlined without its inlining
 * information), its line is the inlined code's, in a system source, and
 * the program's own function was skipped for it (Rust's allocations all
 * went to alloc::alloc::alloc). */
static bool level_is_plumbing(const trace_stacks *st, const trace_frame *f, unsigned level)
{
	if (f->module != TRACE_NO_MODULE && f->module < st->module_count && st->modules[f->module].plumbing)
		return true;
	if (level < f->sym_count) {
		const trace_symbol *s = &st->symbols[f->sym_first + level];
		const char *fn = trace_stacks_str(st, s->function);
		bool rust = f->module != TRACE_NO_MODULE && f->module < st->module_count && st->modules[f->module].rust;
		if (is_wrapper(fn) || is_runtime_function(fn, trace_stacks_str(st, s->file), rust))
			return true;
		if (level + 1 < f->sym_count && is_system_source(trace_stacks_str(st, s->file)))
			return true;
	}
	return false;
}

/* Whether a level is an allocation wrapper by its name (is_wrapper). */
static bool level_is_wrapper(const trace_stacks *st, const trace_frame *f, unsigned level)
{
	return level < f->sym_count && is_wrapper(trace_stacks_str(st, st->symbols[f->sym_first + level].function));
}

static const char *module_name(const trace_stacks *st, uint32_t module)
{
	if (module == TRACE_NO_MODULE || module >= st->module_count || !st->modules[module].present)
		return NULL;
	return trace_stacks_str(st, st->modules[module].name);
}

int trace_stacks_frame_text(const trace_stacks *st, uint32_t frame, unsigned level, char *buf, size_t size)
{
	if (frame >= st->frame_count)
		return snprintf(buf, size, "?");
	const trace_frame *f = &st->frames[frame];
	const char *mod = module_name(st, f->module);
	if (level < f->sym_count) {
		const trace_symbol *s = &st->symbols[f->sym_first + level];
		const char *fn = trace_stacks_str(st, s->function);
		const char *file = trace_stacks_str(st, s->file);
		if (fn[0] && file[0] && s->line)
			return snprintf(buf, size, "%s (%s:%u)", fn, base_name(file), s->line);
		if (fn[0] && file[0])
			return snprintf(buf, size, "%s (%s)", fn, base_name(file));
		if (fn[0] && mod)
			return snprintf(buf, size, "%s (%s)", fn, mod);
		if (fn[0])
			return snprintf(buf, size, "%s", fn);
	}
	if (mod)
		return snprintf(buf, size, "%s+0x%llx", mod, (unsigned long long)f->offset);
	return snprintf(buf, size, "0x%llx", (unsigned long long)f->offset);
}

unsigned trace_stacks_frame_levels(const trace_stacks *st, uint32_t frame)
{
	if (frame >= st->frame_count || st->frames[frame].sym_count == 0)
		return 1;
	return st->frames[frame].sym_count;
}

/* "load_config, config.c:88" / "load_config, app" (no line: the object) / "app+0x11a9". */
static void site_brief(const trace_stacks *st, uint32_t frame, unsigned level, char *buf, size_t size)
{
	const trace_frame *f = &st->frames[frame];
	const char *mod = module_name(st, f->module);
	if (level < f->sym_count) {
		const trace_symbol *s = &st->symbols[f->sym_first + level];
		const char *fn = trace_stacks_str(st, s->function);
		const char *file = trace_stacks_str(st, s->file);
		if (fn[0] && file[0] && s->line) {
			snprintf(buf, size, "%s, %s:%u", fn, base_name(file), s->line);
			return;
		}
		if (fn[0] && file[0]) {
			snprintf(buf, size, "%s, %s", fn, base_name(file));
			return;
		}
		if (fn[0] && mod) {
			snprintf(buf, size, "%s, %s", fn, mod);
			return;
		}
	}
	trace_stacks_frame_text(st, frame, level, buf, size);
}

/* The dynamic loader's object: ld-linux-x86-64.so.2, ld-linux.so.2, ld.so. */
static bool is_loader(const char *module)
{
	if (module == NULL)
		return false;
	const char *name = base_name(module);
	return strncmp(name, "ld-linux", 8) == 0 || strncmp(name, "ld.so", 5) == 0 || strncmp(name, "ld-2.", 5) == 0;
}

static uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

/* The site with this text, made when new. */
/* A site's words: the level's function and its file:line, but its
 * object for the line of a library's source (the outermost level of a
 * frame whose inlining information was lost: the line is the inlined
 * library code's, `main::main (fmt.rs:659)`, which would send the reader
 * to Rust's fmt.rs). */
static void site_words(const trace_stacks *st, uint32_t frame, unsigned level, char *text, size_t text_size,
                       char *brief, size_t brief_size)
{
	const trace_frame *f = &st->frames[frame];
	const char *mod = module_name(st, f->module);
	if (level < f->sym_count && mod) {
		const trace_symbol *s = &st->symbols[f->sym_first + level];
		const char *fn = trace_stacks_str(st, s->function);
		if (fn[0] && is_system_source(trace_stacks_str(st, s->file))) {
			snprintf(text, text_size, "%s (%s)", fn, mod);
			snprintf(brief, brief_size, "%s, %s", fn, mod);
			return;
		}
	}
	trace_stacks_frame_text(st, frame, level, text, text_size);
	site_brief(st, frame, level, brief, brief_size);
}

static uint32_t site_for(trace_stacks *st, uint32_t frame, unsigned level, const char *suffix)
{
	char text[600], brief[600];
	site_words(st, frame, level, text, sizeof text, brief, sizeof brief);
	if (suffix) {
		size_t t = strlen(text), b = strlen(brief);
		snprintf(text + t, sizeof text - t, "%s", suffix);
		snprintf(brief + b, sizeof brief - b, "%s", suffix);
	}
	tmap *m = map_of(st, &st->site_map);
	if (!m)
		return TRACE_NO_SITE;
	uint64_t key = text_hash(text);
	for (;;) {
		tmap_entry *e = tmap_get(m, key);
		if (!e) {
			st->out_of_memory = true;
			return TRACE_NO_SITE;
		}
		if (e->state != TMAP_LIVE) {
			if (!RESERVE(st, sites, site_cap, st->site_count + 1))
				return TRACE_NO_SITE;
			uint32_t index = (uint32_t)st->site_count++;
			const trace_frame *f = &st->frames[frame];
			trace_str fn = level < f->sym_count ? st->symbols[f->sym_first + level].function : 0;
			st->sites[index] = (trace_site){frame, (uint16_t)level, trace_stacks_intern(st, text, strlen(text)),
			                                trace_stacks_intern(st, brief, strlen(brief)), fn};
			e->slot = index;
			e->state = TMAP_LIVE;
			return index;
		}
		if (strcmp(trace_stacks_str(st, st->sites[e->slot].text), text) == 0)
			return e->slot;
		key = key * 0x9e3779b97f4a7c15ull + 1; /* a different text with the same hash */
	}
}

/* The id index of trace_stacks_find, when the ids are at most four times
 * as many as the stacks (a recording's are 1, 2, ...): 4 bytes an id. */
static void index_stack_ids(trace_stacks *st)
{
	free(st->stack_by_id);
	st->stack_by_id = NULL;
	st->stack_by_id_len = 0;
	if (!st->stack_map || st->stack_count == 0 || st->stack_id_max / 4 >= st->stack_count)
		return;
	size_t len = (size_t)st->stack_id_max + 1;
	uint32_t *by_id = malloc(len * sizeof *by_id);
	if (!by_id)
		return; /* (trace_stacks_find reads the map) */
	for (size_t id = 0; id < len; id++)
		by_id[id] = TRACE_NO_STACK;
	const tmap *m = st->stack_map;
	for (size_t i = 0; i < m->capacity; i++)
		if (m->items[i].state == TMAP_LIVE && m->items[i].key < len)
			by_id[m->items[i].key] = m->items[i].slot;
	st->stack_by_id = by_id;
	st->stack_by_id_len = len;
}

/* Marks the objects whose code is Rust's: a level named as only Rust
 * names (is_rust_name) or with a Rust source. (A binary that links C++
 * and Rust is judged Rust: its C++ namespaces named `core` or `alloc`
 * would count as Rust's runtime.) */
static void mark_rust_modules(trace_stacks *st)
{
	for (size_t i = 0; i < st->frame_count; i++) {
		const trace_frame *f = &st->frames[i];
		if (f->module == TRACE_NO_MODULE || f->module >= st->module_count || st->modules[f->module].rust)
			continue;
		for (unsigned l = 0; l < f->sym_count; l++) {
			const trace_symbol *s = &st->symbols[f->sym_first + l];
			if (is_rust_name(trace_stacks_str(st, s->function)) || is_rust_source(trace_stacks_str(st, s->file))) {
				st->modules[f->module].rust = true;
				break;
			}
		}
	}
}

void trace_stacks_finish(trace_stacks *st)
{
	index_stack_ids(st);
	mark_rust_modules(st);
	for (size_t s = 0; s < st->stack_count; s++) {
		size_t n = st->stack_len[s];
		const uint32_t *fr = n ? st->stack_frames + st->stack_first[s] : NULL;
		uint32_t best_frame = n ? fr[0] : UINT32_MAX;
		unsigned best_level = 0;
		/* The first level that is not plumbing, unless it has no name
		 * and a named wrapper calls it: the code behind sqlite3Malloc
		 * (a static function of a stripped library) is the wrapper's,
		 * and its caller is the site. So a level nothing names is the
		 * site only once a named level that is no wrapper comes
		 * further out (or none does). */
		bool found = false, named = false;
		for (size_t i = 0; i < n && !named; i++) {
			const trace_frame *f = &st->frames[fr[i]];
			unsigned levels = f->sym_count ? f->sym_count : 1;
			for (unsigned l = 0; l < levels && !named; l++) {
				if (level_is_plumbing(st, f, l)) {
					if (found && level_is_wrapper(st, f, l))
						found = false; /* the unnamed levels inside were the wrapper's */
					continue;
				}
				if (!found) {
					best_frame = fr[i];
					best_level = l;
					found = true;
				}
				named = l < f->sym_count;
			}
		}
		/* No frame of the program's. A stack cut at the recorded depth
		 * (a dlopen inside Python: 16 frames of the loader and libc)
		 * goes by its outermost frame, the nearest the program, and
		 * says the program's is further out; a whole one whose
		 * outermost frame is the loader's was made while loading
		 * (libstdc++'s exception pool): said, or the library's offset
		 * reads as if the program had allocated there. */
		const char *suffix = NULL;
		char cut[80];
		if (!found && n > 0 && st->depth > 0 && n >= st->depth) {
			best_frame = fr[n - 1];
			best_level = trace_stacks_frame_levels(st, best_frame) - 1;
			snprintf(cut, sizeof cut, " — the program's frame is past the %u recorded", st->depth);
			suffix = cut;
		} else if (!found && n > 0 && is_loader(module_name(st, st->frames[fr[n - 1]].module))) {
			suffix = " — while loading, before main";
		}
		st->stack_site[s] = best_frame == UINT32_MAX ? TRACE_NO_SITE : site_for(st, best_frame, best_level, suffix);
	}
}

/* ---- queries ---- */

uint32_t trace_stacks_site_of_stack(const trace_stacks *st, uint32_t stack)
{
	return stack < st->stack_count ? st->stack_site[stack] : TRACE_NO_SITE;
}

uint32_t trace_stacks_op_stack(const trace_stacks *st, size_t op)
{
	return op < st->op_count ? st->op_stack[op] : TRACE_NO_STACK;
}

uint32_t trace_stacks_site_of_slot(const trace_stacks *st, sim_slot slot)
{
	return slot != SIM_NO_SLOT && slot < st->slot_count ? st->slot_site[slot] : TRACE_NO_SITE;
}

const char *trace_stacks_site_text(const trace_stacks *st, uint32_t site)
{
	return site < st->site_count ? trace_stacks_str(st, st->sites[site].text) : NULL;
}

const char *trace_stacks_site_brief(const trace_stacks *st, uint32_t site)
{
	return site < st->site_count ? trace_stacks_str(st, st->sites[site].brief) : NULL;
}

const char *trace_stacks_site_function(const trace_stacks *st, uint32_t site)
{
	if (site >= st->site_count || !st->sites[site].function)
		return NULL;
	return trace_stacks_str(st, st->sites[site].function);
}
