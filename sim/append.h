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
#if defined(__SSE2__)
#include <emmintrin.h>
/* With SSE2 (every x86-64), the eight digits in eight 16-bit lanes of
 * one register instead: the two halves of four digits each (v / 10^4 and
 * v % 10^4) four times over, times 4, then each lane k's quotient by
 * 10^(3-k) as two high multiplications, floor(floor(4x * m / 2^16) *
 * s / 2^16) with m = ceil(2^(14+j) / 10^(3-k)) and s = 2^(16-j)
 * (j = 11, 8, 5, 2: exact for x < 10^4), and each digit as its quotient
 * less ten times the lane before's. Some twenty instructions for the
 * eight digits, where the word's way above is thirty. */
static inline uint64_t sim_append_digits8(uint32_t v)
{
	uint32_t high = v / 10000, low = v % 10000;
	__m128i x = _mm_cvtsi32_si128((int)(high | low << 16));
	x = _mm_unpacklo_epi16(x, x); /* high, high, low, low */
	x = _mm_unpacklo_epi32(x, x); /* high four times, low four times */
	x = _mm_slli_epi16(x, 2);
	const __m128i m = _mm_setr_epi16((short)33555, (short)41944, (short)52429, (short)32768, (short)33555,
					 (short)41944, (short)52429, (short)32768);
	const __m128i shift = _mm_setr_epi16(32, 256, 2048, (short)32768, 32, 256, 2048, (short)32768);
	__m128i q = _mm_mulhi_epu16(_mm_mulhi_epu16(x, m), shift); /* x / 1000, x / 100, x / 10, x */
	__m128i before = _mm_slli_epi64(q, 16);                    /* 0, x / 1000, x / 100, x / 10 */
	__m128i digits = _mm_sub_epi16(q, _mm_mullo_epi16(before, _mm_set1_epi16(10)));
	__m128i text = _mm_add_epi8(_mm_packus_epi16(digits, digits), _mm_set1_epi8('0'));
	return (uint64_t)_mm_cvtsi128_si64(text);
}
#else
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
#endif

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

/* The sixteen hex digits of v, leading zeros included, the most
 * significant first, as sixteen bytes at `to`. With the compiler's
 * vector extensions (SSE2 on x86-64: one byte swap, two masks, one
 * interleave, one compare, three adds) instead of sim_append_hex8's
 * nibble spreading in a general register: the sentences' two or three
 * addresses and sizes an event were a twentieth of a json run. */
#if defined(SIM_APPEND_SWAR) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define SIM_APPEND_HEX16 1
typedef unsigned char sim_append_v16 __attribute__((vector_size(16)));
typedef signed char sim_append_v16s __attribute__((vector_size(16)));
SIM_APPEND_INLINE void sim_append_hex16(char *to, uint64_t v)
{
	typedef uint64_t words __attribute__((vector_size(16)));
	/* the highest byte first in memory; built in a register (a copy
	 * into a vector in memory was two stores and a load that waited
	 * for both) */
	sim_append_v16 x = (sim_append_v16)(words){__builtin_bswap64(v), 0};
	sim_append_v16 high = x >> 4, low = x & 15;
#ifdef __clang__
	sim_append_v16 nibbles = __builtin_shufflevector(high, low, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
#else
	sim_append_v16 nibbles =
		__builtin_shuffle(high, low, (sim_append_v16){0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23});
#endif
	/* '0'..'9', then 'a'..'f': 39 more for a nibble above 9 */
	sim_append_v16 above9 = (sim_append_v16)((sim_append_v16s)nibbles > 9);
	sim_append_v16 text = nibbles + '0' + (above9 & 39);
	memcpy(to, &text, 16);
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

/* s[0..n) copied to `to` (exactly n bytes written), in the fewest
 * moves: sim_append_mem's copy, and the cursor writers' (sim_append_put_*)
 * of a sentence whose room is known. */
SIM_APPEND_INLINE void sim_append_copy(char *to, const char *s, size_t n)
{
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
	sim_append_copy(to, s, n);
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
/* The digits of v (1 <= v < 10^8) at `to`, no leading zero: returns how
 * many; 8 bytes written. Its length from sim_append_digits8's leading
 * zeros (the digits' values' lowest set bit), not from v's bit length
 * and a table. */
SIM_APPEND_INLINE unsigned sim_append_put_digits8(char *to, uint32_t v)
{
	uint64_t d = sim_append_digits8(v);
	unsigned zeros = (unsigned)__builtin_ctzll(d & 0x0f0f0f0f0f0f0f0full) / 8;
	d >>= 8 * zeros;
	memcpy(to, &d, 8);
	return 8 - zeros;
}
/* sim_append_put_dec of a number of nine digits or more (out of line: a
 * printer's many numbers a step are nearly all shorter). */
size_t sim_append_put_dec_long(char *to, uint64_t v);
/* The same bytes as printf's %llu at `to`, for a writer whose room is
 * known (no bound test, no NUL): returns how many (at most 20). Up to
 * 24 bytes from `to` may be written (the room must hold them). One digit
 * as a byte, below 10^4 four at once (sim_append_digits4), below 10^8
 * eight (sim_append_put_digits8). */
SIM_APPEND_INLINE size_t sim_append_put_dec(char *to, uint64_t v)
{
	if (v < 10) { /* counts, bin numbers, threads: often one digit */
		*to = (char)('0' + v);
		return 1;
	}
#ifdef SIM_APPEND_SWAR
	if (v < 10000) {
		unsigned n = v < 100 ? 2 : v < 1000 ? 3 : 4;
		uint32_t d = sim_append_digits4((uint32_t)v) >> (8 * (4 - n));
		memcpy(to, &d, 4);
		return n;
	}
	if (v < 100000000)
		return sim_append_put_digits8(to, (uint32_t)v);
#endif
	return sim_append_put_dec_long(to, v);
}

/* The same bytes as printf's %llu (sim_append_put_dec's where the room
 * holds 24 bytes and the NUL). */
SIM_APPEND_INLINE void sim_append_dec(sim_append *a, uint64_t v)
{
	char *buf = a->buf;
	size_t len = a->len;
	if (len + 24 < a->size) {
		size_t n = sim_append_put_dec(buf + len, v);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
	/* near the buffer's end */
	char tmp[24];
	size_t n = sim_append_dec_digits(tmp, v);
	a->len = sim_append_mem_cut(a->buf, a->size, a->len, tmp + sizeof tmp - n, n);
}
/* The same bytes as printf's %lld. */
void sim_append_int(sim_append *a, int64_t v);
/* The hex digits of v (no "0x") at the start of tmp; returns how many. */
size_t sim_append_hex_digits(char tmp[16], uint64_t v);
/* The same bytes as printf's %llx (no "0x") at `to`, for a writer
 * whose room is known: returns how many (at most 16). Up to 16 bytes
 * from `to` may be written. */
SIM_APPEND_INLINE size_t sim_append_put_hex(char *to, uint64_t v)
{
#if defined(SIM_APPEND_HEX16)
	/* the digits shifted to the top: the first n of the sixteen (v | 1:
	 * one digit for 0, with no branch) */
	unsigned n = (unsigned)(64 - __builtin_clzll(v | 1) + 3) / 4;
	sim_append_hex16(to, v << (4 * (16 - n)));
	return n;
#elif defined(SIM_APPEND_SWAR)
	unsigned n = v == 0 ? 1 : (unsigned)(64 - __builtin_clzll(v) + 3) / 4;
	char *q = to;
	if (n > 8) {
		uint64_t high = sim_append_hex8((uint32_t)(v >> 32)) >> (8 * (16 - n));
		memcpy(q, &high, 8);
		q += n - 8;
	}
	uint64_t low = sim_append_hex8((uint32_t)v);
	if (n < 8)
		low >>= 8 * (8 - n);
	memcpy(q, &low, 8);
	return n;
#else
	char tmp[16];
	size_t n = sim_append_hex_digits(tmp, v);
	memcpy(to, tmp, n);
	return n;
#endif
}

/* The same bytes as printf's %llx (no "0x"). Inline: the sentences'
 * addresses and sizes are hex, two or three of them each. */
SIM_APPEND_INLINE void sim_append_hex(sim_append *a, uint64_t v)
{
	char *buf = a->buf;
	size_t len = a->len;
	if (len + 16 < a->size) { /* room for sixteen, and the NUL */
		size_t n = sim_append_put_hex(buf + len, v);
		buf[len + n] = '\0';
		a->len = len + n;
		return;
	}
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
