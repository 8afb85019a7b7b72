/* fuzz_rustname.c — the Rust v0 demangler (trace/rust_demangle.c) on any
 * name: the recorder reads the names out of the recorded program's
 * objects, which it does not trust. A name it reads is read the same into
 * any room large enough, and refused in one too small. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace/rust_demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char name[4099] = "_R";
	/* (with and without the prefix the fuzzer may find on its own) */
	size_t at = size >= 2 && data[0] == '_' && data[1] == 'R' ? 0 : 2;
	memcpy(name + at, data, size);
	name[at + size] = '\0';
	if (strlen(name) != at + size)
		return 0; /* (a NUL inside: the name ends there for every caller) */
	static char big[8192], small[64];
	if (!rust_v0_demangle(name, big, sizeof big))
		return 0;
	size_t len = strlen(big);
	if (len == 0 || len >= sizeof big)
		abort();
	bool fits = rust_v0_demangle(name, small, sizeof small);
	if (fits != (len < sizeof small) || (fits && strcmp(small, big) != 0))
		abort();
	return 0;
}
