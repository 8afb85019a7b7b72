/* room.h — the bytes a block from malloc can hold (room.c). */
#ifndef BRKSIM_SIM_ROOM_H
#define BRKSIM_SIM_ROOM_H

#include <stddef.h>
#include <stdint.h>

/* At least the size asked for when `block` was allocated; 0 for NULL. */
size_t sim_room_bytes(const void *block);

#endif
