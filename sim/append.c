/* append.c — see append.h. Plain loops over the caller's buffer: the
 * explanations' formats are short literals with a few numbers and words,
 * and what they cost in vsnprintf was its setup, not the digits. */
#define _GNU_SOURCE /* strchrnul */
#include "append.h"

#include <stdbool.h>
#include <string.h>

size_t sim_append_mem_cut(char *buf, size_t size, size_t len, const char *s, size_t n)
{
	if (len + n < size) { /* it fits after all */
		memcpy(buf + len, s, n);
		buf[len + n] = '\0';
		return len + n;
	}
	/* Truncated: what fits of it (snprintf cuts at a byte too), then
	 * only the count goes on. */
	if (len + 1 < size) {
		size_t room = size - 1 - len;
		memcpy(buf + len, s, room);
		buf[size - 1] = '\0';
	}
	return len + n;
}

/* Two digits at a time, from the last. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

size_t sim_append_dec_digits(char tmp[24], uint64_t v)
{
	char *end = tmp + 24, *p = end;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return (size_t)(end - p);
}

size_t sim_append_put_dec_long(char *to, uint64_t v)
{
#ifdef SIM_APPEND_SWAR
	if (v < 10000000000000000ull) {
		/* nine to sixteen digits (a break or a chunk past 100 MB): the
		 * high ones without their leading zeros, then all eight low ones */
		unsigned high = sim_append_put_digits8(to, (uint32_t)(v / 100000000));
		uint64_t low = sim_append_digits8((uint32_t)(v % 100000000));
		memcpy(to + high, &low, 8);
		return high + 8;
	}
#endif
	char tmp[24];
	size_t n = sim_append_dec_digits(tmp, v);
	memcpy(to, tmp + sizeof tmp - n, n);
	return n;
}

void sim_append_int(sim_append *a, int64_t v)
{
	if (v < 0) {
		sim_append_mem(a, "-", 1);
		sim_append_dec(a, (uint64_t)0 - (uint64_t)v); /* INT64_MIN too */
	} else {
		sim_append_dec(a, (uint64_t)v);
	}
}

size_t sim_append_hex_digits(char tmp[16], uint64_t v)
{
	unsigned n = v == 0 ? 1 : (unsigned)(64 - __builtin_clzll(v) + 3) / 4;
	for (char *p = tmp + n; p > tmp; v >>= 4)
		*--p = "0123456789abcdef"[v & 15];
	return n;
}

void sim_append_vformat(sim_append *a, const char *fmt, va_list ap)
{
	for (;;) {
		const char *p = strchrnul(fmt, '%'); /* the literal runs are most of a sentence */
		if (p > fmt)
			sim_append_mem(a, fmt, (size_t)(p - fmt));
		if (*p == '\0')
			return;
		const char *conv = p++;
		/* length modifier: 0 none (int), 1 l (long), 2 ll (long long), 3 z (size_t) */
		int mod = 0;
		if (*p == 'l') {
			mod = 1;
			if (*++p == 'l') {
				mod = 2;
				p++;
			}
		} else if (*p == 'z') {
			mod = 3;
			p++;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = mod == 0 ? va_arg(ap, int) : mod == 2 ? va_arg(ap, long long) : va_arg(ap, long);
			sim_append_int(a, v);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = mod == 0   ? va_arg(ap, unsigned)
				     : mod == 1 ? va_arg(ap, unsigned long)
				     : mod == 2 ? va_arg(ap, unsigned long long)
						: va_arg(ap, size_t);
			if (*p == 'u')
				sim_append_dec(a, v);
			else
				sim_append_hex(a, v);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			sim_append_str(a, s != NULL ? s : "(null)"); /* glibc's words for a null %s */
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			sim_append_mem(a, &c, 1);
			break;
		}
		case '%':
			if (mod == 0) {
				sim_append_mem(a, "%", 1);
				break;
			}
			/* fall through */
		default:
			/* not a conversion this writer has: the text as it stands
			 * (append.h: a programming error the tests would show) */
			if (*p == '\0') {
				sim_append_mem(a, conv, (size_t)(p - conv));
				return;
			}
			sim_append_mem(a, conv, (size_t)(p + 1 - conv));
			break;
		}
		fmt = p + 1;
	}
}

void sim_append_format(sim_append *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sim_append_vformat(a, fmt, ap);
	va_end(ap);
}

size_t sim_append_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	sim_append a;
	sim_append_init(&a, buf, size);
	va_list ap;
	va_start(ap, fmt);
	sim_append_vformat(&a, fmt, ap);
	va_end(ap);
	return a.len;
}
