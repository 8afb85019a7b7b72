/* config.c — profile defaults and validation of startup settings.
 *
 * Owns: sim_config_defaults, sim_config_set, which settings freeze the
 * dynamic thresholds, and the name tables.
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
};

static const char *const profile_names[SIM_PROFILE_COUNT] = {
	[SIM_GLIBC_2_36] = "glibc-2.36",
	[SIM_GLIBC_2_3_6] = "glibc-2.3.6",
};

sim_config sim_config_defaults(sim_profile profile)
{
	sim_config c;
	memset(&c, 0, sizeof c);
	c.profile = profile < SIM_PROFILE_COUNT ? profile : SIM_GLIBC_2_36;
	c.touch = SIM_TOUCH_ALL;
	/* DEFAULT_TRIM_THRESHOLD, DEFAULT_TOP_PAD (malloc-machine.h's 128 KiB
	 * wins over malloc.c's 0), DEFAULT_MMAP_THRESHOLD, DEFAULT_MMAP_MAX:
	 * the same in 2.3.6 and 2.36 (facts §1). */
	c.value[SIM_SET_TRIM_THRESHOLD] = 128 * 1024;
	c.value[SIM_SET_TOP_PAD] = 128 * 1024;
	c.value[SIM_SET_MMAP_THRESHOLD] = 128 * 1024;
	c.value[SIM_SET_MMAP_MAX] = 65536;
	if (c.profile == SIM_GLIBC_2_3_6) {
		/* No tcache before 2.26; DEFAULT_MXFAST was 64 until 2.10. */
		c.value[SIM_SET_TCACHE_COUNT] = 0;
		c.value[SIM_SET_TCACHE_MAX] = 0;
		c.value[SIM_SET_TCACHE_UNSORTED_LIMIT] = 0;
		c.value[SIM_SET_MXFAST] = 64;
	} else {
		/* TCACHE_FILL_COUNT 7; tcache_max_bytes = tidx2usize(63) = 1032;
		 * DEFAULT_MXFAST = 64 * SIZE_SZ / 4 = 128. */
		c.value[SIM_SET_TCACHE_COUNT] = 7;
		c.value[SIM_SET_TCACHE_MAX] = 1032;
		c.value[SIM_SET_TCACHE_UNSORTED_LIMIT] = 0;
		c.value[SIM_SET_MXFAST] = 128;
	}
	return c;
}

bool sim_config_set(sim_config *config, sim_setting setting, uint64_t value)
{
	bool old = config->profile == SIM_GLIBC_2_3_6;
	switch (setting) {
	case SIM_SET_TCACHE_COUNT: /* do_set_tcache_count: <= MAX_TCACHE_COUNT */
		if (old || value > 65535)
			return false;
		break;
	case SIM_SET_TCACHE_MAX: /* do_set_tcache_max: <= MAX_TCACHE_SIZE */
		if (old || value > 1032)
			return false;
		break;
	case SIM_SET_TCACHE_UNSORTED_LIMIT:
		if (old)
			return false;
		break;
	case SIM_SET_TRIM_THRESHOLD:
	case SIM_SET_TOP_PAD:
		break;
	case SIM_SET_MMAP_THRESHOLD:
		/* 2.36 has no upper limit (removed in 2.35); 2.3.6 rejected
		 * values above HEAP_MAX_SIZE / 2 = 512 KiB. */
		if (old && value > 512 * 1024)
			return false;
		break;
	case SIM_SET_MMAP_MAX: /* an int32_t in glibc; the tunable's minval is 0 */
		if (value > INT32_MAX)
			return false;
		break;
	case SIM_SET_MXFAST: /* MAX_FAST_SIZE: 80 * SIZE_SZ / 4 = 160; 2.3.6: 80 */
		if (value > (old ? 80u : 160u))
			return false;
		break;
	default:
		return false;
	}
	config->value[setting] = value;
	config->set_mask |= 1u << setting;
	return true;
}

bool sim_config_thresholds_dynamic(const sim_config *config)
{
	uint32_t freezing = (1u << SIM_SET_TRIM_THRESHOLD) | (1u << SIM_SET_TOP_PAD) | (1u << SIM_SET_MMAP_THRESHOLD) |
	                    (1u << SIM_SET_MMAP_MAX);
	return config->profile == SIM_GLIBC_2_36 && (config->set_mask & freezing) == 0;
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

const char *sim_profile_name(sim_profile profile)
{
	return profile < SIM_PROFILE_COUNT ? profile_names[profile] : NULL;
}

int sim_profile_from_name(const char *name, size_t len)
{
	for (int i = 0; i < SIM_PROFILE_COUNT; i++)
		if (strlen(profile_names[i]) == len && memcmp(profile_names[i], name, len) == 0)
			return i;
	return -1;
}
