/* config.c — profile defaults and validation of startup settings.
 *
 * Owns: sim_config_defaults, sim_config_set, which settings freeze the
 * dynamic thresholds, and the setting names. The numbers come from the
 * profile's row (profile.c).
 * Must not: parse GLIBC_TUNABLES strings (lang/ does), touch a heap. */
#include "sim/config.h"

#include <string.h>

static const char *const setting_names[SIM_SETTING_COUNT] = {
	[SIM_SET_TCACHE_COUNT] = "tcache_count",
	[SIM_SET_TCACHE_MAX] = "tcache_max",
	[SIM_SET_TCACHE_UNSORTED_LIMIT] = "tcache_unsorted_limit",
	[SIM_SET_TRIM_THRESHOLD] = "trim_threshold",
	[SIM_SET_TOP_PAD] = "top_pad",
	[SIM_SET_MMAP_THRESHOLD] = "mmap_threshold",
	[SIM_SET_MMAP_MAX] = "mmap_max",
	[SIM_SET_MXFAST] = "mxfast",
	[SIM_SET_ARENA_MAX] = "arena_max",
	[SIM_SET_ARENA_TEST] = "arena_test",
};

sim_config sim_config_defaults(sim_profile profile)
{
	sim_config c;
	memset(&c, 0, sizeof c);
	c.profile = profile < SIM_PROFILE_COUNT ? profile : SIM_GLIBC_2_36;
	c.touch = SIM_TOUCH_ALL;
	c.heap_start = 0;
	c.vm_limit = SIM_VM_LIMIT_DEFAULT;
	const sim_glibc *g = sim_profile_glibc(c.profile);
	/* DEFAULT_TRIM_THRESHOLD, DEFAULT_TOP_PAD (malloc-machine.h's 128 KiB
	 * wins over malloc.c's 0), DEFAULT_MMAP_THRESHOLD, DEFAULT_MMAP_MAX:
	 * the same in every modelled release (facts §1). */
	c.value[SIM_SET_TRIM_THRESHOLD] = 128 * 1024;
	c.value[SIM_SET_TOP_PAD] = 128 * 1024;
	c.value[SIM_SET_MMAP_THRESHOLD] = 128 * 1024;
	c.value[SIM_SET_MMAP_MAX] = 65536;
	/* TCACHE_FILL_COUNT and tidx2usize (TCACHE_MAX_BINS - 1); 0 without
	 * a tcache. */
	c.value[SIM_SET_TCACHE_COUNT] = g->tcache_fill_count;
	c.value[SIM_SET_TCACHE_MAX] = g->tcache_max_default;
	c.value[SIM_SET_TCACHE_UNSORTED_LIMIT] = 0;
	c.value[SIM_SET_MXFAST] = g->default_mxfast;
	c.value[SIM_SET_ARENA_MAX] = 0;
	c.value[SIM_SET_ARENA_TEST] = g->arena_test_default;
	return c;
}

bool sim_config_set(sim_config *config, sim_setting setting, uint64_t value)
{
	const sim_glibc *g = sim_profile_glibc(config->profile);
	bool tcache = g->tcache_bins > 0;
	switch (setting) {
	case SIM_SET_TCACHE_COUNT: /* do_set_tcache_count: <= MAX_TCACHE_COUNT */
		if (!tcache || value > g->tcache_count_max)
			return false;
		break;
	case SIM_SET_TCACHE_MAX: /* do_set_tcache_max: <= MAX_TCACHE_SIZE */
		if (!tcache || value > g->tcache_max_limit)
			return false;
		break;
	case SIM_SET_TCACHE_UNSORTED_LIMIT:
		if (!tcache)
			return false;
		break;
	case SIM_SET_TRIM_THRESHOLD:
	case SIM_SET_TOP_PAD:
		break;
	case SIM_SET_MMAP_THRESHOLD: /* do_set_mmap_threshold */
		if (value > g->mmap_threshold_max)
			return false;
		break;
	case SIM_SET_MMAP_MAX: /* an int32_t in glibc; the tunable's minval is 0 */
		if (value > INT32_MAX)
			return false;
		break;
	case SIM_SET_MXFAST: /* do_set_mxfast: <= MAX_FAST_SIZE; 2.43 takes anything and ignores it */
		if (g->has_fastbins && value > g->max_mxfast)
			return false;
		break;
	case SIM_SET_ARENA_MAX: /* the tunables' minval is 1; 2.10 and later */
	case SIM_SET_ARENA_TEST:
		if (g->arena_rule != SIM_ARENAS_PER_THREAD || value == 0)
			return false;
		break;
	default:
		return false;
	}
	config->value[setting] = value;
	config->set_mask |= 1u << setting;
	return true;
}

uint32_t sim_config_absent_settings(sim_profile profile)
{
	const sim_glibc *g = sim_profile_glibc(profile);
	uint32_t absent = 0;
	if (g->tcache_bins == 0)
		absent |= 1u << SIM_SET_TCACHE_COUNT | 1u << SIM_SET_TCACHE_MAX | 1u << SIM_SET_TCACHE_UNSORTED_LIMIT;
	if (g->arena_rule != SIM_ARENAS_PER_THREAD)
		absent |= 1u << SIM_SET_ARENA_MAX | 1u << SIM_SET_ARENA_TEST;
	return absent;
}

void sim_config_tunables_env(sim_config *config, size_t len)
{
	if (len == 0 || !sim_profile_glibc(config->profile)->loader_sbrks_tunables)
		return;
	/* tunables_strdup: sbrk (strlen ("GLIBC_TUNABLES=...") + 1) on the
	 * kernel's page-aligned break */
	config->heap_start = (config->heap_start & ~(sim_addr)(SIM_PAGE_SIZE - 1)) + len + 16;
}

bool sim_config_thresholds_dynamic(const sim_config *config)
{
	uint32_t freezing = (1u << SIM_SET_TRIM_THRESHOLD) | (1u << SIM_SET_TOP_PAD) | (1u << SIM_SET_MMAP_THRESHOLD) |
	                    (1u << SIM_SET_MMAP_MAX);
	return sim_profile_glibc(config->profile)->dynamic_mmap_threshold && (config->set_mask & freezing) == 0;
}

const char *sim_setting_name(sim_setting setting)
{
	return setting < SIM_SETTING_COUNT ? setting_names[setting] : NULL;
}

int sim_setting_from_name(const char *name, size_t len)
{
	for (int i = 0; i < SIM_SETTING_COUNT; i++)
		if (strlen(setting_names[i]) == len && memcmp(setting_names[i], name, len) == 0)
			return i;
	return -1;
}

bool sim_config_same(const sim_config *a, const sim_config *b)
{
	if (a->profile != b->profile || a->touch != b->touch || a->set_mask != b->set_mask ||
	    a->heap_start != b->heap_start || a->vm_limit != b->vm_limit || a->cpus != b->cpus ||
	    a->trim_every != b->trim_every || a->trim_pad != b->trim_pad)
		return false;
	for (int s = 0; s < SIM_SETTING_COUNT; s++)
		if (a->value[s] != b->value[s])
			return false;
	return true;
}
