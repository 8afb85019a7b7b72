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
	SIM_SET_ARENA_MAX,           /* 0 (the default): no limit of its own */
	SIM_SET_ARENA_TEST,
	SIM_SETTING_COUNT
} sim_setting;

#define SIM_VM_LIMIT_DEFAULT ((sim_size)64 << 30)

typedef struct sim_config {
	sim_profile profile;
	sim_touch touch;
	uint64_t value[SIM_SETTING_COUNT];
	uint32_t set_mask; /* bit (1u << sim_setting) when given explicitly */
	/* Where the process's initial program break lies, as an address.
	 * Offsets stay relative to it; only its residues matter: modulo 16
	 * and the page for the first sysmalloc's alignment correction and
	 * for which pages a chunk touches, modulo a memalign alignment for
	 * where aligned chunks fall. 0 (the default) is aligned to
	 * everything, as Linux's page-aligned break is for alignments up to
	 * a page. A recording knows the real value; 2.31's loader moves it
	 * (sim_config_tunables_env). */
	sim_addr heap_start;
	/* The largest single sbrk increment or mmap the machine grants (the
	 * kernel's overcommit heuristic refuses one request larger than RAM
	 * plus swap): larger ones fail and glibc returns NULL. Default 64
	 * GiB, which is also the model's bound on the whole heap. */
	sim_size vm_limit;
	/* The CPUs glibc counts (__get_nprocs): once more than arena_test
	 * arenas exist and no arena_max is set, a process may have 8 per CPU.
	 * 0 = not known: glibc then assumes 2. Only a program with more
	 * threads than arena_test meets it. A scenario's `set cpus N`, a
	 * recording's `# cpus N`, the replaying machine's count in verify. */
	uint32_t cpus;
	/* A what-if, not a setting of glibc's: the program calls
	 * malloc_trim(trim_pad) after every trim_every of its calls (0:
	 * never), as a server that trims now and then does (brksim run
	 * --trim-every). The step of every trim_every-th call makes it too:
	 * the op's numbering stays the trace's. */
	uint64_t trim_every;
	uint64_t trim_pad;
} sim_config;

/* The most CPUs a scenario or recording may say (`set cpus`): far more
 * than any machine glibc runs on, and 8 per CPU stays a small number. */
#define SIM_CPUS_MAX (1u << 20)

/* The defaults of `profile` (its row in profile.c), with nothing marked
 * as set. */
sim_config sim_config_defaults(sim_profile profile);

/* Whether two configs run every trace alike: the same profile, values,
 * explicit settings, machine and touch (field by field: a config's
 * padding bytes are not compared). */
bool sim_config_same(const sim_config *a, const sim_config *b);

/* Sets one value and marks it set. Returns false (and changes nothing)
 * when glibc would reject the value for this profile, e.g. mxfast > 160,
 * tcache_count > 65535, any tcache setting without a tcache, or
 * mmap_threshold > 512 KiB on 2.3.6. */
bool sim_config_set(sim_config *config, sim_setting setting, uint64_t value);

/* The settings `profile`'s release has nothing to set with (a bit per
 * sim_setting): the tcache's without a tcache, arena_max and arena_test
 * where every thread shares the main arena until contention (2.3.6). A
 * file that sets them asks for nothing such a release does not already
 * do: they are left out under it (and said so) rather than refused. */
uint32_t sim_config_absent_settings(sim_profile profile);

/* A process started with GLIBC_TUNABLES set to a string of `len` bytes:
 * under a profile whose loader copies that variable with sbrk before
 * main (glibc 2.25 to 2.34), the heap starts right after the copy, so
 * heap_start moves by len + 16 ("GLIBC_TUNABLES=" and a NUL) from a
 * page boundary. No effect for other profiles or when len is 0 (unset). */
void sim_config_tunables_env(sim_config *config, size_t len);

/* Whether a process started with `config` has glibc's dynamic mmap
 * threshold (free of a large mmapped chunk raises it): the profile has
 * one (2.5 and later) and none of the freezing settings above was given. */
bool sim_config_thresholds_dynamic(const sim_config *config);

/* Names as in GLIBC_TUNABLES without the "glibc.malloc." prefix
 * ("tcache_count", "trim_threshold", ...). NULL/-1 when unknown. */
const char *sim_setting_name(sim_setting setting);
int sim_setting_from_name(const char *name, size_t len);

#endif
