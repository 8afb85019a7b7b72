/* symbolize.c — a recording's frames as `function (file:line)`; see
 * symbolize.h for the lines it reads and writes.
 *
 * Owns: reading the module map and the frames of a recording, the libdw
 * look-ups (each object in a Dwfl of its own, placed at 0, so that a
 * frame's offset is the address asked about and objects that shared an
 * address range at different times never collide), C++ demangling when
 * libstdc++ can be loaded, and appending the `# sym` lines.
 * Must not: run in the recorded program, print, or write anywhere but at
 * the end of the file it is given. */
#define _GNU_SOURCE
#include "symbolize.h"
#include "isolated.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace/rust_demangle.h"

#ifdef BRKSIM_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "symbol_index.h"
#endif

/* A name or path written into a `# sym` line is cut to this. */
#define SYM_TEXT_MAX 400
/* Inlined levels written per frame. */
#define SYM_DEPTH_MAX 16

/* An object file as opened for look-ups, shared by every recording one
 * symbolizer names: `record` collecting a shell's hundreds of children
 * inflated libc's compressed DWARF once a file (65 ms each, 30 s for a
 * tmux session's 463 files). Keyed by path and recorded build id. */
typedef enum object_state {
	OBJECT_USABLE,
	OBJECT_ABSENT,      /* not here, or not readable */
	OBJECT_OTHER_BUILD, /* its build id is not the recorded one */
	OBJECT_FAILED,      /* libdw could not open it */
} object_state;

typedef struct sym_object {
	char *path;
	char build_id[130];
	object_state state;
	uint64_t unnamed; /* its frames given no name, over every file */
	uint64_t looked_up; /* and its frames looked up */
#ifdef BRKSIM_HAVE_LIBDW
	Dwfl *dwfl;
	Dwfl_Module *mod;
	symbol_index symbols; /* its symbol table by address, read at the first frame */
#endif
} sym_object;

/* More objects than this are let go before the next file (they are
 * kept for the files to come, not without end). */
#define SYMBOLIZER_OBJECTS_MAX 128

struct record_symbolizer {
	sym_object **objects;
	size_t count, cap;
	bool fetch; /* let libdw ask DEBUGINFOD_URLS */
	/* the unnamed frames of objects let go (SYMBOLIZER_OBJECTS_MAX) */
	uint64_t unnamed_gone, looked_up_gone;
	size_t unnamed_objects_gone;
};

/* One `# module` line of the file being named. */
typedef struct sym_module {
	bool present;
	char *path;
	char build_id[130];
	bool tried;
	sym_object *object; /* once tried: the symbolizer's, NULL when out of memory */
} sym_module;

typedef struct sym_frame {
	uint32_t module;
	uint64_t offset;
} sym_frame;

typedef struct frame_set {
	sym_frame *items; /* open addressing; module UINT32_MAX = empty */
	size_t capacity, count;
} frame_set;

/* A growing output buffer. */
typedef struct obuf {
	char *data;
	size_t len, cap;
	bool failed;
} obuf;

static void ob_put(obuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = true;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void ob_str(obuf *b, const char *s)
{
	ob_put(b, s, strlen(s));
}

/* A name or path for a `# sym` field: no tab, newline or other control
 * character (they would split the line), at most SYM_TEXT_MAX bytes. */
static void ob_field(obuf *b, const char *s)
{
	char tmp[SYM_TEXT_MAX + 4];
	size_t k = 0;
	for (; s && *s && k < SYM_TEXT_MAX; s++) {
		unsigned char c = (unsigned char)*s;
		tmp[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (s && *s) {
		memcpy(tmp + k, "...", 3);
		k += 3;
	}
	ob_put(b, tmp, k);
}

/* ---- reading the recording ---- */

static uint64_t frame_hash(uint32_t m, uint64_t off)
{
	uint64_t h = (off ^ ((uint64_t)m << 48)) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static bool set_add(frame_set *s, uint32_t m, uint64_t off)
{
	if ((s->count + 1) * 2 > s->capacity) {
		size_t cap = s->capacity ? s->capacity * 2 : 1024;
		sym_frame *items = malloc(cap * sizeof *items);
		if (!items)
			return false;
		for (size_t i = 0; i < cap; i++)
			items[i].module = UINT32_MAX;
		for (size_t i = 0; i < s->capacity; i++) {
			if (s->items[i].module == UINT32_MAX)
				continue;
			size_t k = frame_hash(s->items[i].module, s->items[i].offset) & (cap - 1);
			while (items[k].module != UINT32_MAX)
				k = (k + 1) & (cap - 1);
			items[k] = s->items[i];
		}
		free(s->items);
		s->items = items;
		s->capacity = cap;
	}
	size_t k = frame_hash(m, off) & (s->capacity - 1);
	while (s->items[k].module != UINT32_MAX) {
		if (s->items[k].module == m && s->items[k].offset == off)
			return true;
		k = (k + 1) & (s->capacity - 1);
	}
	s->items[k] = (sym_frame){m, off};
	s->count++;
	return true;
}

static bool read_hex(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	uint64_t x = 0;
	int digits = 0;
	for (; q < end && digits < 16; q++, digits++) {
		char c = *q;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		x = x << 4 | (uint64_t)d;
	}
	if (!digits)
		return false;
	*p = q;
	*v = x;
	return true;
}

static bool read_dec(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	uint64_t x = 0;
	int digits = 0;
	for (; q < end && *q >= '0' && *q <= '9' && digits < 10; q++, digits++)
		x = x * 10 + (uint64_t)(*q - '0');
	if (!digits)
		return false;
	*p = q;
	*v = x;
	return true;
}

static bool eat(const char **p, const char *end, char c)
{
	if (*p < end && **p == c) {
		(*p)++;
		return true;
	}
	return false;
}

/* `# module ID LO HI BIAS BUILD-ID PATH` (PATH with \xNN escapes). */
static bool read_module(const char *p, const char *end, sym_module **mods, size_t *count)
{
	uint64_t id, lo, hi, bias;
	if (!read_dec(&p, end, &id) || !eat(&p, end, ' ') || !read_hex(&p, end, &lo) || !eat(&p, end, ' ') ||
	    !read_hex(&p, end, &hi) || !eat(&p, end, ' ') || !read_hex(&p, end, &bias) || !eat(&p, end, ' '))
		return true; /* not ours to judge: the importer reports malformed lines */
	if (id >= 65536)
		return true;
	const char *bid = p;
	while (p < end && *p != ' ')
		p++;
	size_t bid_len = (size_t)(p - bid);
	if (!eat(&p, end, ' '))
		return true;
	if (id >= *count) {
		size_t n = (size_t)id + 1;
		sym_module *m = realloc(*mods, n * sizeof *m);
		if (!m)
			return false;
		memset(m + *count, 0, (n - *count) * sizeof *m);
		*mods = m;
		*count = n;
	}
	sym_module *m = &(*mods)[id];
	if (m->present)
		return true; /* ids are never reused within one file */
	m->present = true;
	snprintf(m->build_id, sizeof m->build_id, "%.*s", (int)(bid_len < 128 ? bid_len : 128), bid);
	size_t len = (size_t)(end - p);
	m->path = malloc(len + 1);
	if (!m->path)
		return false;
	size_t k = 0;
	for (const char *q = p; q < end; q++) {
		uint64_t v;
		const char *h = q + 2;
		if (*q == '\\' && end - q >= 4 && q[1] == 'x' && read_hex(&h, q + 4, &v) && h == q + 4) {
			m->path[k++] = (char)v;
			q += 3;
		} else {
			m->path[k++] = *q;
		}
	}
	m->path[k] = '\0';
	return true;
}

/* `s ID FRAME...`: every MODULE+OFFSET frame into the set. */
static bool read_stack(const char *p, const char *end, frame_set *set)
{
	uint64_t id;
	if (!read_dec(&p, end, &id))
		return true;
	while (eat(&p, end, ' ')) {
		uint64_t m, off;
		if (p < end && *p == '?') {
			p++;
			if (!read_hex(&p, end, &off))
				return true;
			continue;
		}
		if (!read_dec(&p, end, &m) || !eat(&p, end, '+') || !read_hex(&p, end, &off))
			return true;
		if (m < 65536 && !set_add(set, (uint32_t)m, off))
			return false;
	}
	return true;
}

static int compare_frames(const void *a, const void *b)
{
	const sym_frame *x = a, *y = b;
	if (x->module != y->module)
		return x->module < y->module ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* ---- names ---- */

typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);

static demangle_fn demangler(void)
{
	static bool tried;
	static demangle_fn fn;
	if (!tried) {
		tried = true;
		void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		void *sym = lib ? dlsym(lib, "__cxa_demangle") : NULL;
		memcpy(&fn, &sym, sizeof fn);
	}
	return fn;
}

/* The length of a C++ name without a clone suffix GCC or LLVM appends
 * (`.cold`, `.isra.0`, `.constprop.0`, `.llvm.123`): the name of the
 * function it is part of. 0 when there is none. */
static size_t without_clone_suffix(const char *name)
{
	const char *dot = strchr(name, '.');
	if (!dot)
		return 0;
	for (const char *s = dot; *s; s++)
		if (!(*s == '.' || *s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return (size_t)(dot - name);
}

/* Writes a function name, demangled when it is a Rust one (either
 * mangling: rust_demangle.h), or a C++ one and libstdc++ is there to
 * do it. */
static void ob_name(obuf *b, const char *name)
{
	char readable[2048];
	if (name && (rust_v0_demangle(name, readable, sizeof readable) ||
	             rust_legacy_demangle(name, readable, sizeof readable))) {
		ob_field(b, readable);
		return;
	}
	if (name && name[0] == '_' && name[1] == 'Z') {
		/* (the function's name first: its `.cold` part is the same
		 * function to a reader, and libstdc++ reads it as
		 * `engine::load() [clone .cold]`, refusing `.isra.0` where
		 * no parameter types come before it) */
		demangle_fn fn = demangler();
		int status = -1;
		char *d = NULL;
		size_t cut = without_clone_suffix(name);
		if (fn && cut > 0 && cut < sizeof readable) {
			memcpy(readable, name, cut);
			readable[cut] = '\0';
			d = fn(readable, NULL, NULL, &status);
		}
		if ((!d || status != 0) && fn) {
			free(d);
			d = fn(name, NULL, NULL, &status);
		}
		if (d && status == 0) {
			ob_field(b, d);
			free(d);
			return;
		}
		free(d);
	}
	ob_field(b, name ? name : "");
}

#ifdef BRKSIM_HAVE_LIBDW

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* Opens an object's file for look-ups: its state says how it went. */
static void object_open(sym_object *o)
{
	o->state = OBJECT_FAILED;
	if (access(o->path, R_OK) != 0) {
		o->state = OBJECT_ABSENT;
		return;
	}
	o->dwfl = dwfl_begin(&offline_callbacks);
	if (!o->dwfl)
		return;
	dwfl_report_begin(o->dwfl);
	o->mod = dwfl_report_elf(o->dwfl, o->path, o->path, -1, 0, false);
	dwfl_report_end(o->dwfl, NULL, NULL);
	if (!o->mod)
		return;
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(o->mod, &bits, &vaddr);
	if (strcmp(o->build_id, "-") != 0 && n > 0) {
		char hex[130];
		int k = 0;
		for (int i = 0; i < n && k < 128; i++) {
			hex[k++] = "0123456789abcdef"[bits[i] >> 4];
			hex[k++] = "0123456789abcdef"[bits[i] & 15];
		}
		hex[k] = '\0';
		if (strcmp(hex, o->build_id) != 0) {
			o->state = OBJECT_OTHER_BUILD;
			return;
		}
	}
	o->state = OBJECT_USABLE;
}

static void object_release(sym_object *o)
{
	free(o->path);
	symbol_index_release(&o->symbols);
	if (o->dwfl)
		dwfl_end(o->dwfl);
	free(o);
}

/* The symbolizer's object for this path and build id, opened the first
 * time; NULL when out of memory. */
static sym_object *symbolizer_object(record_symbolizer *sz, const char *path, const char *build_id)
{
	for (size_t i = 0; i < sz->count; i++)
		if (strcmp(sz->objects[i]->path, path) == 0 && strcmp(sz->objects[i]->build_id, build_id) == 0)
			return sz->objects[i];
	if (sz->count == sz->cap) {
		size_t cap = sz->cap ? sz->cap * 2 : 16;
		sym_object **grown = realloc(sz->objects, cap * sizeof *grown);
		if (!grown)
			return NULL;
		sz->objects = grown;
		sz->cap = cap;
	}
	sym_object *o = calloc(1, sizeof *o);
	if (!o || !(o->path = strdup(path))) {
		free(o);
		return NULL;
	}
	snprintf(o->build_id, sizeof o->build_id, "%s", build_id);
	object_open(o);
	sz->objects[sz->count++] = o;
	return o;
}

/* Opens a module of the file for look-ups; false when it is absent or
 * not the recorded build (a `# note` line then says so, in every file
 * that names it). */
static bool module_open(record_symbolizer *sz, sym_module *m, uint32_t id, obuf *notes)
{
	if (!m->tried) {
		m->tried = true;
		if (!m->present || !m->path || m->path[0] != '/')
			return false;
		m->object = symbolizer_object(sz, m->path, m->build_id);
		if (!m->object)
			return false;
		char line[600];
		line[0] = '\0';
		if (m->object->state == OBJECT_ABSENT) /* symbolizing later, or on another machine: say which is missing */
			snprintf(line, sizeof line,
			         "# note module %u: %s is not here (or not readable): its frames are not named\n", id, m->path);
		else if (m->object->state == OBJECT_OTHER_BUILD)
			snprintf(line, sizeof line,
			         "# note module %u: %s is not the build that ran (build id differs): its frames are not "
			         "named\n",
			         id, m->path);
		ob_str(notes, line);
	}
	return m->object && m->object->state == OBJECT_USABLE;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = NULL;
	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) || dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
		name = dwarf_formstring(&attr);
	if (!name)
		name = dwarf_diename(die);
	if (!name && dwarf_attr_integrate(die, DW_AT_name, &attr))
		name = dwarf_formstring(&attr);
	return name;
}

static void ob_dec(obuf *b, uint64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%llu", (unsigned long long)v);
	ob_put(b, t, (size_t)n);
}

/* The compile unit holding pc, by walking the units and their ranges:
 * dwfl_module_addrdie goes through libdw's address table, which misses
 * units that give their ranges only as DWARF 5 range-list indexes (clang
 * 14's -g without .debug_aranges: "address out of range"). */
static bool unit_at(sym_object *m, Dwarf_Addr pc, Dwarf_Die *out, Dwarf_Addr *bias)
{
	Dwarf *dw = dwfl_module_getdwarf(m->mod, bias);
	if (!dw)
		return false;
	Dwarf_CU *unit = NULL, *next = NULL;
	Dwarf_Die die;
	while (dwarf_get_units(dw, unit, &next, NULL, NULL, &die, NULL) == 0) {
		unit = next;
		if (dwarf_haspc(&die, pc - *bias) > 0) {
			*out = die;
			return true;
		}
	}
	return false;
}

/* One frame: the `# sym` line's fields after the key, or nothing (false). */
static bool describe_frame(sym_object *m, uint64_t offset, obuf *b)
{
	/* A return address: the call is the instruction before it. */
	Dwarf_Addr pc = offset ? offset - 1 : 0;
	/* (as dwfl_module_addrinfo, which reads the whole table each time:
	 * symbol_index.h) */
	symbol_index_build(&m->symbols, m->mod);
	const char *symname = symbol_index_name(&m->symbols, pc);
	int lineno = 0;
	const char *file = NULL;
	Dwfl_Line *line = dwfl_module_getsrc(m->mod, pc);
	if (line)
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(m->mod, pc, &bias);
	Dwarf_Die found;
	if (!cu && unit_at(m, pc, &found, &bias))
		cu = &found;
	if (!line && cu) {
		/* the unit was found by its ranges: its line table directly */
		Dwarf_Line *dl = dwarf_getsrc_die(cu, pc - bias);
		if (dl) {
			file = dwarf_linesrc(dl, NULL, NULL);
			dwarf_lineno(dl, &lineno);
		}
	}
	Dwarf_Die *scopes = NULL;
	int nscopes = cu ? dwarf_getscopes(cu, pc - bias, &scopes) : 0;
	/* Past an inlined instance, dwarf_getscopes goes on with the scopes of
	 * the inline function's abstract definition (its class, its
	 * namespace), not with the code it was inlined into: the chain of
	 * callers is the innermost instance's own ancestors. (Without them, a
	 * std::vector grown in main named the frame `main` at a line of
	 * alloc_traits.h, a system header, and the site became `_start`.) */
	for (int i = 0; i < nscopes; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag == DW_TAG_subprogram)
			break;
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		Dwarf_Die innermost = scopes[i];
		Dwarf_Die *chain = NULL;
		int n = dwarf_getscopes_die(&innermost, &chain);
		if (n > 0) {
			free(scopes);
			scopes = chain;
			nscopes = n;
		}
		break;
	}
	Dwarf_Files *files = NULL;
	size_t nfiles = 0;
	if (cu && dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		files = NULL;
	bool any = false, last_inlined = false;
	const char *cur_file = file;
	int cur_line = lineno;
	int written = 0;
	/* Inlined instances, innermost first, then the function they are in. */
	for (int i = 0; i < nscopes && written < SYM_DEPTH_MAX; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		const char *name = die_name(&scopes[i]);
		ob_str(b, "\t");
		ob_name(b, name ? name : symname);
		ob_str(b, "\t");
		ob_field(b, cur_file ? cur_file : "");
		ob_str(b, "\t");
		ob_dec(b, cur_line > 0 ? (uint64_t)cur_line : 0);
		any = true;
		written++;
		if (tag == DW_TAG_subprogram) {
			last_inlined = false;
			break;
		}
		/* The caller's position: where this instance was inlined. */
		Dwarf_Attribute attr;
		Dwarf_Word f = 0, l = 0;
		cur_file = NULL;
		cur_line = 0;
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &f) == 0 && files)
			cur_file = dwarf_filesrc(files, (size_t)f, NULL, NULL);
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &l) == 0)
			cur_line = (int)l;
		last_inlined = true;
	}
	free(scopes);
	if (last_inlined && written < SYM_DEPTH_MAX && symname) {
		/* The function the inlined code is in had no scope of its own
		 * at this address (its DIE gives its ranges in a form libdw
		 * does not read): the symbol table names it, at the call. */
		ob_str(b, "\t");
		ob_name(b, symname);
		ob_str(b, "\t");
		ob_field(b, cur_file ? cur_file : "");
		ob_str(b, "\t");
		ob_dec(b, cur_line > 0 ? (uint64_t)cur_line : 0);
	}
	if (!any && (symname || file)) {
		ob_str(b, "\t");
		ob_name(b, symname ? symname : "");
		ob_str(b, "\t");
		ob_field(b, file ? file : "");
		ob_str(b, "\t");
		ob_dec(b, lineno > 0 ? (uint64_t)lineno : 0);
		any = true;
	}
	return any;
}

bool record_symbolize_available(void)
{
	return true;
}

static void symbolizer_clear(record_symbolizer *sz)
{
	for (size_t i = 0; i < sz->count; i++) {
		sz->unnamed_gone += sz->objects[i]->unnamed;
		sz->looked_up_gone += sz->objects[i]->looked_up;
		sz->unnamed_objects_gone += sz->objects[i]->unnamed > 0;
		object_release(sz->objects[i]);
	}
	sz->count = 0;
}

#else

bool record_symbolize_available(void)
{
	return false;
}

static void symbolizer_clear(record_symbolizer *sz)
{
	sz->count = 0;
}

#endif

record_symbolizer *record_symbolizer_new(bool fetch)
{
	/* A test's stand-in for libdw running out of memory, which ends the
	 * process as this does (isolated.h): the callers name frames in a
	 * child process, and say so when it ends. */
	const char *die = getenv("BRKSIM_TEST_SYMBOLIZER_DIES");
	if (die != NULL && *die != '\0') {
		fputs("brksim: libdw: Cannot allocate memory\n", stderr);
		_exit(1);
	}
	record_symbolizer *sz = calloc(1, sizeof(record_symbolizer));
	if (sz)
		sz->fetch = fetch;
	return sz;
}

void record_symbolizer_unnamed(const record_symbolizer *sz, uint64_t *frames, uint64_t *looked_up, size_t *objects,
                               char *example, size_t example_size)
{
	*frames = sz->unnamed_gone;
	*looked_up = sz->looked_up_gone;
	*objects = sz->unnamed_objects_gone;
	const sym_object *most = NULL;
	for (size_t i = 0; i < sz->count; i++) {
		const sym_object *o = sz->objects[i];
		*frames += o->unnamed;
		*looked_up += o->looked_up;
		*objects += o->unnamed > 0;
		if (o->unnamed > 0 && (!most || o->unnamed > most->unnamed))
			most = o;
	}
	snprintf(example, example_size, "%s", most ? most->path : "");
}

/* Takes DEBUGINFOD_URLS out of the environment unless `fetch` (libdw
 * reads it at each look-up); returns what to put back. */
static char *hide_debuginfod(bool fetch)
{
	const char *urls = fetch ? NULL : getenv("DEBUGINFOD_URLS");
	if (!urls)
		return NULL;
	char *saved = strdup(urls);
	unsetenv("DEBUGINFOD_URLS");
	return saved;
}

static void restore_debuginfod(char *saved)
{
	if (saved) {
		setenv("DEBUGINFOD_URLS", saved, 1);
		free(saved);
	}
}

void record_symbolizer_free(record_symbolizer *sz)
{
	if (!sz)
		return;
	symbolizer_clear(sz);
	free(sz->objects);
	free(sz);
}

long record_symbolize_fd(record_symbolizer *sz, int fd, uint64_t size, char *why, size_t why_size)
{
	record_symbolize_state state;
	return record_symbolize_fd_state(sz, fd, size, NULL, &state, why, why_size);
}

long record_symbolize_fd_state(record_symbolizer *shared, int fd, uint64_t size, const char *trailer,
                               record_symbolize_state *state, char *why, size_t why_size)
{
	*state = RECORD_SYMBOLIZE_NO_STACKS;
	if (size == 0)
		return 0;
	record_symbolizer *sz = shared ? shared : record_symbolizer_new(false);
	if (!sz) {
		snprintf(why, why_size, "out of memory while naming the frames");
		return -1;
	}
	if (sz->count > SYMBOLIZER_OBJECTS_MAX)
		symbolizer_clear(sz);
	const char *text = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (text == MAP_FAILED) {
		snprintf(why, why_size, "cannot read the recording: %s", strerror(errno));
		if (sz != shared)
			record_symbolizer_free(sz);
		return -1;
	}
	sym_module *mods = NULL;
	size_t mod_count = 0;
	frame_set set = {NULL, 0, 0};
	bool ok = true, done_before = false;
	const char *end = text + size;
	for (const char *p = text; p < end && ok;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if (e - p > 9 && memcmp(p, "# module ", 9) == 0)
			ok = read_module(p + 9, e, &mods, &mod_count);
		else if (e - p > 2 && p[0] == 's' && p[1] == ' ')
			ok = read_stack(p + 2, e, &set);
		else if (e - p > 6 && memcmp(p, "# sym ", 6) == 0)
			done_before = true;
		p = nl ? nl + 1 : end;
	}
	/* A last line without its "\n" was cut while being written (a
	 * process killed mid-line, a file cut with head -c): it must stay
	 * the file's last bytes, still without one, or the importer reads
	 * it as a whole line and calls it malformed instead of cut. The
	 * names (and the caller's trailer) go before it (the importer reads
	 * `# sym` lines wherever they are), the fragment after them. */
	const char *last_nl = memrchr(text, '\n', size);
	size_t frag_len = (size_t)(end - (last_nl ? last_nl + 1 : text));
	char *frag = frag_len ? malloc(frag_len) : NULL;
	if (frag)
		memcpy(frag, end - frag_len, frag_len);
	else if (frag_len)
		ok = false;
	munmap((void *)text, size);
	*state = done_before ? RECORD_SYMBOLIZE_ALREADY : set.count > 0 ? RECORD_SYMBOLIZE_NAMED : RECORD_SYMBOLIZE_NO_STACKS;
	long named = 0;
	obuf out = {NULL, 0, 0, false};
	if (ok && !done_before && set.count > 0) {
		sym_frame *list = malloc(set.count * sizeof *list);
		ok = list != NULL;
		size_t n = 0;
		for (size_t i = 0; ok && i < set.capacity; i++)
			if (set.items[i].module != UINT32_MAX)
				list[n++] = set.items[i];
		if (ok)
			qsort(list, n, sizeof *list, compare_frames);
#ifdef BRKSIM_HAVE_LIBDW
		char *hidden = hide_debuginfod(sz->fetch);
		obuf notes = {NULL, 0, 0, false};
		obuf fields = {NULL, 0, 0, false};
		for (size_t i = 0; ok && i < n; i++) {
			if (list[i].module >= mod_count || !module_open(sz, &mods[list[i].module], list[i].module, &notes))
				continue;
			fields.len = 0;
			mods[list[i].module].object->looked_up++;
			if (!describe_frame(mods[list[i].module].object, list[i].offset, &fields)) {
				mods[list[i].module].object->unnamed++;
				continue;
			}
			char key[64];
			int k = snprintf(key, sizeof key, "# sym %u+%llx", list[i].module, (unsigned long long)list[i].offset);
			ob_put(&out, key, (size_t)k);
			ob_put(&out, fields.data, fields.len);
			ob_str(&out, "\n");
			named++;
		}
		if (notes.len)
			ob_put(&out, notes.data, notes.len);
		if (trailer)
			ob_str(&out, trailer);
		if (frag_len)
			ob_put(&out, frag, frag_len);
		ok = ok && !out.failed && !notes.failed && !fields.failed;
		free(notes.data);
		free(fields.data);
		restore_debuginfod(hidden);
#endif
		free(list);
	}
	if (!ok && why[0] == '\0')
		snprintf(why, why_size, "out of memory while naming the frames");
	if (ok && named > 0) {
		/* (over the cut fragment, which out ends with again) */
		size_t base = (size_t)size - frag_len, off = 0;
		while (off < out.len) {
			ssize_t w = pwrite(fd, out.data + off, out.len - off, (off_t)(base + off));
			if (w <= 0) {
				snprintf(why, why_size, "cannot add the symbols to the recording: %s",
				         w < 0 ? strerror(errno) : "short write");
				/* Leave the file as it was: its fragment back where it
				 * was, what came after it cut. */
				if ((frag_len && pwrite(fd, frag, frag_len, (off_t)base) != (ssize_t)frag_len) ||
				    ftruncate(fd, (off_t)size) != 0) {
					/* the importer ignores a cut-off last line */
				}
				ok = false;
				break;
			}
			off += (size_t)w;
		}
	}
	free(frag);
	for (size_t i = 0; i < mod_count; i++)
		free(mods[i].path);
	free(mods);
	if (sz != shared)
		record_symbolizer_free(sz);
	free(set.items);
	free(out.data);
	return ok ? named : -1;
}

size_t record_naming_failure(const record_isolated_end *end, char *buf, size_t size)
{
	/* (libdw's own words, without the program's name error() puts first) */
	const char *said = strstr(end->last_error, "libdw: ");
	said = said ? said : end->last_error;
	int n;
	if (!end->ran)
		n = snprintf(buf, size, "no process could be made to name them");
	else if (strstr(said, "Cannot allocate memory") != NULL)
		n = snprintf(buf, size,
		             "out of memory while reading the debug information (%.100s: a memory limit, ulimit -v or -d?)",
		             said);
	else if (end->term_signal)
		n = snprintf(buf, size, "the process naming them was killed by signal %d%s%.100s", end->term_signal,
		             said[0] ? ": " : "", said);
	else
		n = snprintf(buf, size, "the process naming them ended with status %d%s%.100s%s", end->exit_status,
		             said[0] ? " (" : "", said, said[0] ? ")" : "");
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
