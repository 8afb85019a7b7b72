/* callsite_target.c — a program whose late small allocation pins freed
 * buffers under the top of the heap: the recording's summary and trim
 * verdicts must name that allocation's function and its file:line.
 *
 * Built twice by meson (tests/trace/meson.build), both with -g: at -O0,
 * and at -O2 -fomit-frame-pointer, where the stack can only be unwound
 * from the DWARF call-frame information. The test finds the expected
 * line by the marker comments below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFERS 48

static char *buffers[BUFFERS];
static void *session;

/* 48 buffers of 4000 bytes: 192 KiB of the brk heap. */
__attribute__((noinline)) static void fill_buffers(void)
{
	for (int i = 0; i < BUFFERS; i++) {
		buffers[i] = malloc(4000); /* SITE: fill_buffers */
		memset(buffers[i], i, 4000);
	}
}

/* A late, small allocation: it lands at the top, above the buffers. */
__attribute__((noinline)) static void remember_session(int id)
{
	char *s = malloc(48); /* SITE: remember_session */
	snprintf(s, 48, "session %d", id);
	session = s;
}

/* An allocation through inlined helpers, as std::vector's growth is
 * inlined into its caller: the wrapper xmalloc inlined into make_record,
 * inlined into load_records. Its site is make_record's line, the first
 * level that is no wrapper (the frame was named load_records at that
 * line when the levels between were lost). Made first and kept: it sits
 * at the heap's start, away from the pin. */
static inline __attribute__((always_inline)) void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL)
		abort();
	return p;
}

static inline __attribute__((always_inline)) char *make_record(int id)
{
	char *r = xmalloc(24); /* SITE: make_record */
	r[0] = (char)id;
	return r;
}

/* (not static: clang turned a malloc kept only in a file's static into a
 * static buffer of its own) */
char *record_kept;

__attribute__((noinline)) static void load_records(void)
{
	record_kept = make_record(3);
}

/* A function named as Rust's legacy mangling names a closure, its braces
 * escaped and a hash at the end (main::helper::_$u7b$$u7b$closure$u7d$$u7d$
 * ::h0123456789abcdef): its frames are main::helper::{{closure}}, without
 * the hash, which differs with every build. Kept, at the heap's start. */
char *rust_kept;
__attribute__((noinline)) void rust_named(void) __asm__("_ZN4main6helper28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE");
__attribute__((noinline)) void rust_named(void)
{
	rust_kept = malloc(40); /* SITE: rust_named */
}

/* The same mangling with what LLVM appends to a local copy of a
 * function (`.llvm.42`), which stopped libstdc++'s demangler (the frame
 * kept its mangled name), and a first component that starts with an
 * escape (`_$LT$`) and has `..` for "::": <main::Vec<T> as
 * main::Grow>::grow. Kept. */
char *rust_llvm_kept;
__attribute__((noinline)) void rust_llvm_named(void) __asm__(
	"_ZN49_$LT$main..Vec$LT$T$GT$$u20$as$u20$main..Grow$GT$4grow17h0123456789abcdefE.llvm.42");
__attribute__((noinline)) void rust_llvm_named(void)
{
	rust_llvm_kept = malloc(48); /* SITE: rust_llvm_named */
}

/* A C++ function's part that GCC moves out of line (`.cold`; also
 * `.isra.0`, `.part.0`), which libstdc++'s demangler refuses: it goes
 * by its function's name, engine::load(). Kept. */
char *cxx_cold_kept;
__attribute__((noinline)) void cxx_cold_named(void) __asm__("_ZN6engine4loadEv.cold");
__attribute__((noinline)) void cxx_cold_named(void)
{
	cxx_cold_kept = malloc(56); /* SITE: cxx_cold_named */
}

__attribute__((noinline)) static void drop_buffers(void)
{
	for (int i = 0; i < BUFFERS; i++)
		free(buffers[i]);
}

int main(void)
{
	load_records();
	rust_named();
	rust_llvm_named();
	cxx_cold_named();
	fill_buffers();
	remember_session(7);
	/* The buffers are freed, but the session pins them below the top. */
	drop_buffers();
	return ((char *)session)[0] == 's' && record_kept[0] == 3 && rust_kept != NULL && rust_llvm_kept != NULL && cxx_cold_kept != NULL ? 0 : 1;
}
