/* symbol_index.h — a module's symbol table sorted by address, for
 * symbolize.c: the function that contains each frame, in O(log n).
 *
 * libdw's dwfl_module_addrinfo reads the whole table at every call:
 * naming the 6,465 frames of a clang recording (libLLVM has some 100,000
 * symbols) took 15 s, for a program that ran in 0.3. This reads the
 * table once per module (dwfl_module_getsym_info, every table libdw has
 * for it) and answers as that function does: the symbol whose range
 * holds the address, a global or weak one if any does (only then a
 * local one), the nearest start first, a global one before a weak one at
 * the same start, the first libdw looks at when all else is equal; without one, the nearest label (a symbol of
 * size 0) in pc's section that no sized symbol's range passes; else
 * none. Absolute symbols (a version's name, `LLVM_14` at 0) name nothing.
 * Must not: write anything, or keep a name past the module's Dwfl. */
#ifndef BRKSIM_RECORD_SYMBOL_INDEX_H
#define BRKSIM_RECORD_SYMBOL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdwfl.h>

typedef struct symbol_entry {
	uint64_t lo, hi;      /* [lo, hi): hi == lo for a label */
	uint64_t reach;       /* sized: the largest hi of this entry and every one before it */
	const char *name;     /* libdw's: valid while the module's Dwfl is */
	uint32_t index;       /* where libdw looks at it (globals first): the first one wins a tie */
	uint32_t section;     /* its section's index (a label counts in pc's section only) */
	uint8_t bind;         /* global 3, weak 2, local 1, else 0 */
} symbol_entry;

typedef struct symbol_index {
	symbol_entry *sized;  /* by start; reach set */
	size_t sized_count;
	symbol_entry *labels; /* by start */
	size_t label_count;
	Dwfl_Module *mod;
	bool built, failed;
} symbol_index;

/* Reads mod's symbols into idx (once; false when memory ran out, and
 * then every lookup answers NULL). */
bool symbol_index_build(symbol_index *idx, Dwfl_Module *mod);
/* The name for address `pc` (as dwfl_module_addrinfo gives it), or NULL. */
const char *symbol_index_name(const symbol_index *idx, uint64_t pc);
void symbol_index_release(symbol_index *idx);

#endif
