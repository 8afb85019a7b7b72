/* room.c — how many bytes a block from malloc can hold.
 *
 * Owns: sim_room_bytes, the one place sim/ asks the C library about a
 * block it allocated (malloc_usable_size, which glibc and musl have).
 * Must not: allocate, or be asked about anything but a live block from
 * malloc/realloc. keyframe.c restores a state into the cursor's buffers
 * and keeps a buffer larger than the state it restores (a seek back to a
 * smaller state and then forward would otherwise give its pages back to
 * the kernel and fault them in again: 40 % of a far seek on a perl
 * recording), so it must know a buffer's real size, which the state's
 * own capacities (an index's modulus, the slots' count) do not say. */
#include "room.h"

#include <malloc.h>

size_t sim_room_bytes(const void *block)
{
	return block != NULL ? malloc_usable_size((void *)(uintptr_t)block) : 0;
}
