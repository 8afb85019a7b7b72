/* recfmt.h — number and text formatting for brksim-record.so, shared by
 * recorder.c (the records and the header) and logfile.c (the lines the
 * recorder writes about its own output file).
 *
 * Owns: writing strings, hex and decimal numbers into a caller's buffer.
 * Must not: allocate or call stdio (either may call malloc, which is the
 * function being recorded). The caller sizes the buffer. */
#ifndef BRKSIM_RECORD_RECFMT_H
#define BRKSIM_RECORD_RECFMT_H

#include <stdint.h>
#include <string.h>

static inline char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static inline char *put_hex(char *p, uint64_t v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static inline char *put_shex(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_hex(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_hex(p, (uint64_t)v);
}

static inline char *put_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

#endif
