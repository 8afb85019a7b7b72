/* append.h — a bounded text appender into a caller's buffer, for the
 * sentences of sim/explain.c and the call text of `brksim run`.
 *
 * Owns: appending bytes, decimal and hex numbers, and the few printf
 * conversions the explanations use, with snprintf's contract: never more
 * than size - 1 bytes plus a NUL, and `len` counts what a large enough
 * buffer would have held. A million-op `run --format=json` explains five
 * million events: glibc's vsnprintf (a FILE set up per call, locale and
 * width handling) was most of the sentences' cost.
 * Must not: allocate, or accept a conversion it does not write exactly as
 * printf does (see sim_append_format). */
#ifndef BRKSIM_SIM_APPEND_H
#define BRKSIM_SIM_APPEND_H

/* The appenders below are inlined always: sim/explain.c's hot sentences
 * keep their sim_append in registers only when no call is handed its
 * address (see sim_append_mem_cut). */
#define SIM_APPEND_INLINE static inline __attribute__((always_inline))

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Invariant: buf[min(len, size - 1)] == '\0' when size > 0; the bytes
 * before it are the first of the `len` appended. */
typedef struct sim_append {
	char *buf;
	size_t size, len;
} sim_append;

/* Starts an empty text in buf[0..size) (buf[0] = '\0' when size > 0). */
SIM_APPEND_INLINE void sim_append_init(sim_append *a, char *buf, size_t size)
{
	a->buf = buf;
	a->size = size;
	a->len = 0;
	if (size > 0)
		buf[0] = '\0';
}

/* The eight decimal digits of v < 100000000, leading zeros included,
 * as eight ASCII bytes in a word whose first byte in memory is the most
 * significant digit (little-endian hosts only: SIM_APPEND_SWAR). All four
 * pairs of digits are divided by 100 and then by 10 at once, in 16-bit
 * lanes of one 64-bit word (multiplications by 10486 / 2^20 and 103 /
 * 2^10, exact below 10^4 and 10^2): the way of Paul Khuong's "How to
 * print integers really fast" (2017), written again here. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SIM_APPEND_SWAR 1
static inline uint64_t sim_append_digits8(uint32_t v)
{
	uint64_t merged = (uint64_t)(v / 10000) | ((uint64_t)(v % 10000) << 32);
	uint64_t hundreds = ((merged * 10486u) >> 20) & ((0x7full << 32) | 0x7fu);
	uint64_t below = merged - 100u * hundreds;
	uint64_t pairs = (below << 16) + hundreds; /* a pair of digits in each 16-bit lane, the first lowest */
	uint64_t tens = ((pairs * 103u) >> 10) & ((0xfull << 48) | (0xfull << 32) | (0xfull << 16) | 0xfu);
	tens += (pairs - 10u * tens) << 8;
	return tens + 0x3030303030303030ull;
}

/* The four decimal digits of v < 10000 as sim_append_digits8 lays out
 * eight: one 32-bit word, the pairs split by 100 (5243 / 2^19, exact
 * below 43699) and then by 10 as there. Half the work of eight for the
 * counts, bin numbers and small sizes most numbers of a step are. */
static inline uint32_t sim_append_digits4(uint32_t v)
{
	uint32_t hundreds = (v * 5243u) >> 19;
	uint32_t pairs = ((v - 100u * hundreds) << 16) + hundreds;
	uint32_t tens = ((pairs * 103u) >> 10) & 0x000f000fu;
	tens += (pairs - 10u * tens) << 8;
	return tens + 0x30303030u;
}

/* The eight hex digits of v, leading zeros included, as
 * sim_append_digits8 lays them out. */
static inline uint64_t sim_append_hex8(uint32_t v)
{
	uint64_t x = v;
	/* one nibble a byte, the lowest nibble in the lowest byte */
	x = ((x & 0xffff0000u) << 16) | (x & 0xffffu);
	x = ((x & 0x0000ff000000ff00ull) << 8) | (x & 0x000000ff000000ffull);
	x = ((x & 0x00f000f000f000f0ull) << 4) | (x & 0x000f000f000f000full);
	/* the highest nibble first in memory */
	x = __builtin_bswap64(x);
	/* '0'..'9', then 'a'..'f': 39 more for a nibble above 9 */
	uint64_t above9 = ((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
	return x + 0x3030303030303030ull + above9 * 39u;
}
#endif

/* The new length after appending s[0..n) to a text of `len` bytes in
 * buf[0..size) that it does not fit whole: what fits, as snprintf cuts.
 * By value, as the other slow paths here: a caller whose sim_append is a
 * local whose address nothing takes keeps it in registers (GCC's
 * scalar replacement), and every piece of a sentence then costs no load
 * of the length its last piece has just stored. */
size_t sim_append_mem_cut(char *buf, size_t size, size_t len, const char *s, size_t n);

/* Sixteen bytes from s to `to`, as one load and one store. */
SIM_APPEND_INLINE void sim_append_copy16(char *to, const char *s)
{
	typedef char v16 __attribute__((vector_size(16), aligned(1), may_alias));
	*(v16 *)to = *(const v16 *)s;
}

/* Appends n bytes (they need not be NUL-terminated). Inline: nearly
 * every piece of a sentence is a literal whose size the compiler knows,
 * and its copy is then a few moves. The fields are read before the bytes
 * are stored: a store through char * might change them, and would make
 * the compiler read them again. */
SIM_APPEND_INLINE void sim_append_mem(sim_append *a, const char *s, size_t n)
{
	char *buf = a->buf;
	size_t len = a->len;
	if (len + n >= a->size) {
		a->len = sim_append_mem_cut(buf, a->size, len, s, n);
		return;
	}
	char *to = buf + len;
	if (!__builtin_constant_p(n) && n <= 16) {
		/* a short copy of a size known only when running: two
		 * overlapping loads and stores, not a call of memcpy */
		if (n >= 8) {
			uint64_t x, y;
			memcpy(&x, s, 8);
			memcpy(&y, s + n - 8, 8);
			memcpy(to, &x, 8);
			memcpy(to + n - 8, &y, 8);
		} else if (n >= 4) {
			uint32_t x, y;
			memcpy(&x, s, 4);
			memcpy(&y, s + n - 4, 4);
			memcpy(to, &x, 4);
			memcpy(to + n - 4, &y, 4);
		} else if (n >= 2) {
			uint16_t x, y;
			memcpy(&x, s, 2);
			memcpy(&y, s + n - 2, 2);
			memcpy(to, &x, 2);
			memcpy(to + n - 2, &y, 2);
		} else if (n == 1) {
			to[0] = s[0];
		}
	} else if (__builtin_constant_p(n) && n > 16 && n <= 128) {
		/* a literal, or a word whose length strlen knew when compiling:
		 * in 16-byte moves, the last overlapping the one before (GCC's
		 * own copy of such a size was a `rep movsq`, slow to start:
		 * a tenth of the sentences' time) */
		for (size_t i = 0; i + 16 < n; i += 16)
			sim_append_copy16(to + i, s + i);
		sim_append_copy16(to + n - 16, s + n - 16);
	} else if (!__builtin_constant_p(n) && n <= 64) {
		/* a phrase of a few known lengths (source_phrase's): GCC's
		 * inline copy of such a size is a `rep movsq` too */
		sim_append_copy16(to, s);
		sim_append_copy16(to + n - 16, s + n - 16);
		if (n > 32) {
			sim_append_copy16(to + 16, s + 16);
			sim_append_copy16(to + n - 32, s + n - 32);
		}
	} else {
		memcpy(to, s, n);
	}
	to[n] = '\0';
	a->len = len + n;
}
/* Appends a NUL-terminated string. Its length first (strlen takes 16
 * bytes or more a step), then one copy: names and words are short, and
 * sim_append_mem copies a short piece in two overlapping moves. */
SIM_APPEND_INLINE void sim_append_str(sim_append *a, const char *s)
{
	sim_append_mem(a, s, strlen(s));
}

/* The decimal digits of v at the end of tmp[0..24); returns how many. */
size_t sim_append_dec_digits(char tmp[24], uint64_t v);
/* How many decimal digits v has (1 for 0): from its bit length, as
 * floor(log10(2) * bits) (1233 / 4096), then one comparison. */
SIM_APPEND_INLINE unsigned sim_append_dec_len(uint64_t v)
{
	extern const uint64_t sim_append_pow10[20];
	unsigned bits = 64 - (unsigned)__builtin_clzll(v | 1);
	unsigned t = (bits * 1233) >> 12;
	return t + 1 - (v < sim_append_pow10[t] && t > 0);
}
/* The same bytes as printf's %llu. Inline for the sentences' counts and
 * sizes: one digit as a byte, below 10^8 all eight digits at once
 * (sim_append_digits8) with the leading zeros shifted out. */
SIM_APPEND_INLINE void sim_append_dec(sim_append *a, uint64_t v)
{
	if (v < 10) { /* counts and bin numbers: often one digit */
		char c = (char)('0' + v);
		sim_append_mem(a, &c, 1);
		return;
	}
#ifdef SIM_APPEND_SWAR
	char *buf = a->buf;
	size_t len = a->len;
	if (v < 10000 && len + 4 < a->size) {
		unsigned n = v < 100 ? 2 : v < 1000 ? 3 : 4;
		uint32_t d = sim_append_digits4((uint32_t)v) >> (8 * (4 - n));
		memcpy(buf + len, &d, 4);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
	if (v < 100000000 && len + 8 < a->size) {
		unsigned n = sim_append_dec_len(v);
		uint64_t d = sim_append_digits8((uint32_t)v) >> (8 * (8 - n));
		memcpy(buf + len, &d, 8);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
#endif
#ifdef SIM_APPEND_SWAR
	if (v < 10000000000000000ull && len + 16 < a->size) {
		/* nine to sixteen digits: the high ones shifted as above, then all eight low ones */
		unsigned n = sim_append_dec_len(v);
		uint64_t high = sim_append_digits8((uint32_t)(v / 100000000)) >> (8 * (16 - n));
		uint64_t low = sim_append_digits8((uint32_t)(v % 100000000));
		memcpy(buf + len, &high, 8);
		memcpy(buf + len + n - 8, &low, 8);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
#endif
	/* near the buffer's end, or twenty digits */
	char tmp[24];
	size_t n = sim_append_dec_digits(tmp, v);
	a->len = sim_append_mem_cut(a->buf, a->size, a->len, tmp + sizeof tmp - n, n);
}
/* The same bytes as printf's %lld. */
void sim_append_int(sim_append *a, int64_t v);
/* The hex digits of v (no "0x") at the start of tmp; returns how many. */
size_t sim_append_hex_digits(char tmp[16], uint64_t v);
/* The same bytes as printf's %llx (no "0x"). Inline: the sentences'
 * addresses and sizes are hex, two or three of them each. */
SIM_APPEND_INLINE void sim_append_hex(sim_append *a, uint64_t v)
{
#ifdef SIM_APPEND_SWAR
	char *buf = a->buf;
	size_t len = a->len;
	if (len + 16 < a->size) { /* room for two words, and the NUL */
		/* its length from its highest bit, then all eight (or
		 * sixteen) digits, the leading zeros shifted out */
		unsigned n = v == 0 ? 1 : (unsigned)(64 - __builtin_clzll(v) + 3) / 4;
		char *to = buf + len;
		if (n > 8) {
			uint64_t high = sim_append_hex8((uint32_t)(v >> 32)) >> (8 * (16 - n));
			memcpy(to, &high, 8);
			to += n - 8;
		}
		uint64_t low = sim_append_hex8((uint32_t)v);
		if (n < 8)
			low >>= 8 * (8 - n);
		memcpy(to, &low, 8);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
#endif
	/* near the buffer's end */
	char tmp[16];
	size_t n = sim_append_hex_digits(tmp, v);
	a->len = sim_append_mem_cut(a->buf, a->size, a->len, tmp, n);
}

/* printf for the conversions %s, %c, %d, %i, %u, %x (with the length
 * modifiers l, ll and z) and %%, with no flags, width or precision:
 * the same bytes as snprintf writes for them. Anything else is a
 * programming error and is written as it stands (the format attribute
 * still checks the arguments' types). */
__attribute__((format(printf, 2, 3))) void sim_append_format(sim_append *a, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) void sim_append_vformat(sim_append *a, const char *fmt, va_list ap);

/* snprintf with sim_append_format's conversions: returns the length it
 * needed. */
__attribute__((format(printf, 3, 4))) size_t sim_append_snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
