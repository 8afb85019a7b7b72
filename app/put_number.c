/* put_number.c — see put_number.h. A million-op run prints tens of
 * millions of numbers, and fprintf's format parsing was a fifth of the run
 * for json and a sixth for tsv: these skip the parsing, not the stream. */
#include "put_number.h"

void put_number_dec(FILE *out, uint64_t v)
{
	char buf[24];
	char *p = buf + sizeof buf;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), out);
}

void put_number_hex(FILE *out, uint64_t v)
{
	char buf[24];
	char *p = buf + sizeof buf;
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v != 0);
	*--p = 'x';
	*--p = '0';
	fwrite(p, 1, (size_t)(buf + sizeof buf - p), out);
}
