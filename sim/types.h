/* types.h — the scalar vocabulary of the heap model.
 *
 * Simulated addresses are byte offsets from the initial program break
 * (sbrk(0) before the first malloc), never host pointers, so a state is
 * position independent, comparable with memcmp and copyable with memcpy. */
#ifndef BRKSIM_SIM_TYPES_H
#define BRKSIM_SIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_addr; /* offset from the initial program break */
typedef uint64_t sim_size; /* a byte count */

/* A slot is the model's name for a pointer variable of the program
 * (`a` in a scenario, id 7 in a .rep trace, a rebased address in mtrace).
 * Slots are dense small integers chosen by the front end. */
typedef uint32_t sim_slot;
#define SIM_NO_SLOT UINT32_MAX

#define SIM_PAGE_SIZE 4096u

#endif
