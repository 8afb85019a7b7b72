/* symbol_index.c — see symbol_index.h. */
#include "symbol_index.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

static int bind_rank(unsigned char info)
{
	switch (GELF_ST_BIND(info)) {
	case STB_GLOBAL: return 3;
	case STB_WEAK: return 2;
	case STB_LOCAL: return 1;
	default: return 0;
	}
}

static int by_start(const void *a, const void *b)
{
	const symbol_entry *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

bool symbol_index_build(symbol_index *idx, Dwfl_Module *mod)
{
	if (idx->built)
		return !idx->failed;
	idx->built = true;
	idx->mod = mod;
	int n = dwfl_module_getsymtab(mod);
	if (n <= 1)
		return true;
	/* libdw looks at the global symbols first, then the local ones, and
	 * keeps the first of equals: `index` is that order */
	int first_global = dwfl_module_getsymtab_first_global(mod);
	if (first_global < 1 || first_global > n)
		first_global = 1;
	idx->sized = malloc((size_t)n * sizeof *idx->sized);
	idx->labels = malloc((size_t)n * sizeof *idx->labels);
	if (!idx->sized || !idx->labels) {
		idx->failed = true;
		return false;
	}
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL);
		/* (what names code or data: not a section's or file's symbol,
		 * not an undefined one, not a TLS offset) */
		int type = GELF_ST_TYPE(sym.st_info);
		if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS || type == STT_SECTION || type == STT_FILE ||
		    type == STT_TLS)
			continue;
		uint64_t hi = addr + sym.st_size < addr ? UINT64_MAX : addr + sym.st_size;
		uint32_t order = i >= first_global ? (uint32_t)(i - first_global) : (uint32_t)(n - first_global + i);
		symbol_entry e = {.lo = addr, .hi = hi, .name = name, .index = order, .section = shndx,
		                  .bind = (uint8_t)bind_rank(sym.st_info)};
		if (hi > addr)
			idx->sized[idx->sized_count++] = e;
		else
			idx->labels[idx->label_count++] = e;
	}
	qsort(idx->sized, idx->sized_count, sizeof *idx->sized, by_start);
	qsort(idx->labels, idx->label_count, sizeof *idx->labels, by_start);
	uint64_t reach = 0;
	for (size_t i = 0; i < idx->sized_count; i++) {
		if (idx->sized[i].hi > reach)
			reach = idx->sized[i].hi;
		idx->sized[i].reach = reach;
	}
	return true;
}

/* How many of items[0..count) start at or below pc. */
static size_t starting_by(const symbol_entry *items, size_t count, uint64_t pc)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (items[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether a is the better of two candidates: the nearer start, then the
 * stronger binding, then the first in libdw's table. */
static bool better(const symbol_entry *a, const symbol_entry *b)
{
	if (a->lo != b->lo)
		return a->lo > b->lo;
	if (a->bind != b->bind)
		return a->bind > b->bind;
	return a->index < b->index;
}

const char *symbol_index_name(const symbol_index *idx, uint64_t pc)
{
	if (idx->failed)
		return NULL;
	/* the sized symbols that hold pc: among those starting at or below
	 * it, down to where none before reaches past it */
	size_t k = starting_by(idx->sized, idx->sized_count, pc);
	const symbol_entry *best = NULL, *best_global = NULL;
	for (size_t i = k; i-- > 0 && idx->sized[i].reach > pc;) {
		const symbol_entry *e = &idx->sized[i];
		if (pc >= e->hi)
			continue;
		if (!best || better(e, best))
			best = e;
		if (e->bind != 1 && (!best_global || better(e, best_global)))
			best_global = e;
	}
	/* (libdw looks at the local symbols only when no global one holds pc) */
	if (best_global)
		return best_global->name;
	if (best)
		return best->name;
	/* else the nearest label in pc's section, unless a sized symbol
	 * starting at or below pc ends past it (then it is a label inside
	 * that one) */
	size_t j = starting_by(idx->labels, idx->label_count, pc);
	if (j == 0)
		return NULL;
	Dwarf_Addr at = pc, bias = 0;
	Elf_Scn *scn = dwfl_module_address_section(idx->mod, &at, &bias);
	uint32_t section = scn ? (uint32_t)elf_ndxscn(scn) : 0;
	const symbol_entry *label = NULL;
	for (size_t i = j; i-- > 0;) {
		const symbol_entry *e = &idx->labels[i];
		if (label && e->lo != label->lo)
			break;
		if (e->section == section && (!label || better(e, label)))
			label = e;
	}
	uint64_t end_below = k ? idx->sized[k - 1].reach : 0;
	return label && label->lo >= end_below ? label->name : NULL;
}

void symbol_index_release(symbol_index *idx)
{
	free(idx->sized);
	free(idx->labels);
	memset(idx, 0, sizeof *idx);
}
