/* put_number.h — integers written to a stream by hand, for the printers
 * whose output is one line per op (tsv, json).
 * Must not: format anything but plain numbers (words belong to the printers). */
#ifndef BRKSIM_APP_PUT_NUMBER_H
#define BRKSIM_APP_PUT_NUMBER_H

#include <stdint.h>
#include <stdio.h>

/* The same bytes as fprintf's %llu. */
void put_number_dec(FILE *out, uint64_t v);

/* The same bytes as fprintf's 0x%llx. */
void put_number_hex(FILE *out, uint64_t v);

#endif
