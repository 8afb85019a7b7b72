/* rust_demangle.h — Rust symbol names in the v0 mangling, made readable.
 *
 * Rust's standard library is built with the v0 mangling
 * (`_RNvNtCs..._5alloc5alloc5alloc`), which the C++ demangler the
 * recorder otherwise uses (libstdc++'s) does not read: a Rust program's
 * stacks showed its std's frames mangled. The recorder names frames with
 * it (record/symbolize.c); the call sites read a recording's names made
 * before it (trace/stacks.c). This reads the grammar of
 * Rust's RFC 2603 (paths, generic arguments, impls, closures, back
 * references, the common types and integer constants) and writes the
 * name as `alloc::alloc::alloc` or `<alloc::alloc::Global as
 * core::alloc::Allocator>::allocate`, without the crates' hashes. Must
 * not: allocate, or read past the name (a bounded recursion, every back
 * reference earlier than itself). */
#ifndef BRKSIM_TRACE_RUST_DEMANGLE_H
#define BRKSIM_TRACE_RUST_DEMANGLE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes name (starting with "_R") demangled into out (NUL-terminated);
 * false, out unspecified, when it is not a v0 name this reads (a part
 * it does not know, a cut name, or out too small). */
bool rust_v0_demangle(const char *name, char *out, size_t size);

/* Writes name (`_ZN ... 17h<16 hex>E`, perhaps with a clone suffix such
 * as `.llvm.123`) demangled into out, without the hash and the suffix
 * (rust_legacy.c); false, out unspecified, when it is not a legacy Rust
 * name this reads (no hash, an unknown escape, a cut name, or out too
 * small). */
bool rust_legacy_demangle(const char *name, char *out, size_t size);

#endif
