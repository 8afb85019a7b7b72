/* config.h — allocator settings (glibc's mp_ parameters) and profiles.
 *
 * A config is what the process starts with: GLIBC_TUNABLES and the
 * MALLOC_*_ environment aliases. mallopt() at run time is an op, not a
 * config change. Pure data; no parsing of strings here (see lang/tunables.c). */
#ifndef BRKSIM_SIM_CONFIG_H
#define BRKSIM_SIM_CONFIG_H

#include "profile.h"
#include "types.h"

/* Which pages the simulated program writes after an allocation returns.
 * RSS depends on it: glibc itself only writes chunk headers and links. */
typedef enum sim_touch {
	SIM_TOUCH_ALL = 0, /* the program writes every byte it asked for */
	SIM_TOUCH_NONE,    /* the program never writes its allocations */
	SIM_TOUCH_COUNT
} sim_touch;

/* Settings a scenario or --tunables can give. `set_mask` records which
 * were given explicitly: setting any of trim_threshold, top_pad,
 * mmap_threshold or mmap_max freezes the dynamic mmap threshold, exactly
 * as do_set_* does in glibc (no_dyn_threshold = 1). */
typedef enum sim_setting {
	SIM_SET_TCACHE_COUNT = 0,
	SIM_SET_TCACHE_MAX,          /* bytes: largest request cached */
	SIM_SET_TCACHE_UNSORTED_LIMIT,
	SIM_SET_TRIM_THRESHOLD,
	SIM_SET_TOP_PAD,
	SIM_SET_MMAP_THRESHOLD,
	SIM_SET_MMAP_MAX,
	SIM_SET_MXFAST,
	SIM_SETTING_COUNT
} sim_setting;

typedef struct sim_config {
	sim_profile profile;
	sim_touch touch;
	uint64_t value[SIM_SETTING_COUNT];
	uint32_t set_mask; /* bit (1u << sim_setting) when given explicitly */
} sim_config;

/* The defaults of `profile` (its row in profile.c), with nothing marked
 * as set. */
sim_config sim_config_defaults(sim_profile profile);

/* Sets one value and marks it set. Returns false (and changes nothing)
 * when glibc would reject the value for this profile, e.g. mxfast > 160,
 * tcache_count > 65535, any tcache setting without a tcache, or
 * mmap_threshold > 512 KiB on 2.3.6. */
bool sim_config_set(sim_config *config, sim_setting setting, uint64_t value);

/* Whether a process started with `config` has glibc's dynamic mmap
 * threshold (free of a large mmapped chunk raises it): the profile has
 * one (2.5 and later) and none of the freezing settings above was given. */
bool sim_config_thresholds_dynamic(const sim_config *config);

/* Names as in GLIBC_TUNABLES without the "glibc.malloc." prefix
 * ("tcache_count", "trim_threshold", ...). NULL/-1 when unknown. */
const char *sim_setting_name(sim_setting setting);
int sim_setting_from_name(const char *name, size_t len);

#endif
