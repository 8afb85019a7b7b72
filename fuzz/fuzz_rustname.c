/* fuzz_rustname.c — the Rust demanglers (trace/rust_demangle.c for the v0
 * mangling, trace/rust_legacy.c for the legacy one) on any name: the
 * recorder reads the names out of the recorded program's objects, which
 * it does not trust, and the importer reads them out of a recording. A
 * name either reads is read the same into any room large enough, and
 * refused in one too small. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace/rust_demangle.h"

typedef bool (*demangler)(const char *, char *, size_t);

/* data after `prefix` (unless it starts with it), through `read`. */
static void check(const uint8_t *data, size_t size, const char *prefix, demangler read)
{
	char name[4100];
	size_t p = strlen(prefix);
	size_t at = size >= p && memcmp(data, prefix, p) == 0 ? 0 : p;
	memcpy(name, prefix, p);
	memcpy(name + at, data, size);
	name[at + size] = '\0';
	if (strlen(name) != at + size)
		return; /* (a NUL inside: the name ends there for every caller) */
	static char big[8192], small[64];
	if (!read(name, big, sizeof big))
		return;
	size_t len = strlen(big);
	if (len == 0 || len >= sizeof big)
		abort();
	bool fits = read(name, small, sizeof small);
	if (fits != (len < sizeof small) || (fits && strcmp(small, big) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	check(data, size, "_R", rust_v0_demangle);
	check(data, size, "_ZN", rust_legacy_demangle);
	return 0;
}
