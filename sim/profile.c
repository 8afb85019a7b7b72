/* profile.c — the table of modelled glibc releases (see profile.h).
 *
 * Owns: one constant row per release, its name, and the release order.
 * Each value was read in glibc's malloc/malloc.c (and arena.c) at the
 * release's tag in the bminor/glibc mirror; the comments in profile.h say
 * when each one changed. Must not: hold state or anything but constants. */
#include "sim/profile.h"

#include <stdio.h>
#include <string.h>

static const sim_glibc rows[SIM_PROFILE_COUNT] = {
	[SIM_GLIBC_2_3_6] = {
		.major = 2, .minor = 3, .micro = 6,
		.min_large_size = 512,
		.smallbin_shift = 3,
		.largebin64_base = 56,
		.largebin64_limit = 32,
		.large_skip_list = false,
		.unsorted_max_iters = 0,
		.has_fastbins = true,
		.fastbin_shift = 3,
		.fastbin_count = 11, /* fastbin_index (request2size (80)) + 1 */
		.default_mxfast = 64,
		.max_mxfast = 80,
		.max_fast_rule = SIM_MAX_FAST_REQUEST2SIZE,
		.tcache_bins = 0,
		.mmap_pad = 8 + 15,
		.dynamic_mmap_threshold = false,
		.mmap_threshold_max = 512 * 1024, /* HEAP_MAX_SIZE (1 MiB) / 2 */
		.systrim_pad_guard = false,
		.trim_madvise = false,
		.has_perturb = false,
		.init_hooks = true,
		.arena_rule = SIM_ARENAS_ON_CONTENTION,
		.heap_max = 1 << 20,
		.heap_info_bytes = 32,
		.malloc_state_bytes = 2208, /* NFASTBINS 11, bins[256], no next_free or attached_threads; a one-int
		                               mutex: the oracle's first arena chunk is A1.0+0x8c0 */
		.arena_test_default = 0,
		.oversize_reaches_arena = true, /* public_mALLOc takes its arena before _int_malloc refuses */
		.retry_single_threaded = true,
		.realloc_sets_arena = true,
		.heap_trim_ungated = true,
		.heap_no_mmap_fallback = true,
		.trim_main_only = true,
		.calloc_no_mprotect_hint = true,
		.per_arena_max_fast = true,
		.page_alloc = SIM_PAGE_ALLOC_CONSOLIDATE,
	},
	[SIM_GLIBC_2_31] = {
		.major = 2, .minor = 31, .micro = 0,
		.min_large_size = 1024,
		.smallbin_shift = 4,
		.largebin64_base = 48,
		.largebin64_limit = 48,
		.large_skip_list = true,
		.unsorted_max_iters = 10000,
		.has_fastbins = true,
		.fastbin_shift = 4,
		.fastbin_count = 10,
		.default_mxfast = 128,
		.max_mxfast = 160,
		.max_fast_rule = SIM_MAX_FAST_ZERO_IS_16,
		.tcache_bins = 64,
		.tcache_fill_count = 7,
		.tcache_count_max = 65535,
		.tcache_max_default = 1032,
		.tcache_max_limit = 1032,
		.tcache_struct_bytes = 640, /* uint16_t counts since 2.30 */
		.mmap_pad = 8,
		.dynamic_mmap_threshold = true,
		.mmap_threshold_max = 32 << 20, /* HEAP_MAX_SIZE / 2: 2 * DEFAULT_MMAP_THRESHOLD_MAX / 2 */
		.systrim_pad_guard = true,
		.trim_madvise = true,
		.has_perturb = true,
		.calloc_refuses_ptrdiff = true,
		.init_hooks = true,
		.loader_sbrks_tunables = true,
		.arena_rule = SIM_ARENAS_PER_THREAD,
		.heap_max = 64 << 20,
		.heap_info_bytes = 32,
		.malloc_state_bytes = 2200,
		.arena_test_default = 8,
	},
	[SIM_GLIBC_2_36] = {
		.major = 2, .minor = 36, .micro = 0,
		.mmap_fallback = SIM_FALLBACK_SWAPPED, /* 2.35's hugepage refactor passed page and 1 MiB swapped */
		.min_large_size = 1024,
		.smallbin_shift = 4,
		.largebin64_base = 48,
		.largebin64_limit = 48,
		.large_skip_list = true,
		.unsorted_max_iters = 10000,
		.has_fastbins = true,
		.fastbin_shift = 4,
		.fastbin_count = 10,
		.default_mxfast = 128,
		.max_mxfast = 160,
		.max_fast_rule = SIM_MAX_FAST_SMALL_IS_16,
		.tcache_bins = 64,
		.tcache_fill_count = 7,
		.tcache_count_max = 65535,
		.tcache_max_default = 1032,
		.tcache_max_limit = 1032,
		.tcache_struct_bytes = 640, /* 64 uint16_t counts + 64 pointers */
		.mmap_pad = 8,
		.dynamic_mmap_threshold = true,
		.mmap_threshold_max = UINT64_MAX,
		.systrim_pad_guard = true,
		.trim_madvise = true,
		.has_perturb = true,
		.calloc_refuses_ptrdiff = true,
		.arena_rule = SIM_ARENAS_PER_THREAD,
		.heap_max = 64 << 20,
		.heap_info_bytes = 48,
		.malloc_state_bytes = 2200,
		.arena_test_default = 8,
	},
	[SIM_GLIBC_2_41] = {
		.major = 2, .minor = 41, .micro = 0,
		.min_large_size = 1024,
		.smallbin_shift = 4,
		.largebin64_base = 48,
		.largebin64_limit = 48,
		.large_skip_list = true,
		.unsorted_max_iters = 10000,
		.has_fastbins = true,
		.fastbin_shift = 4,
		.fastbin_count = 10,
		.default_mxfast = 128,
		.max_mxfast = 160,
		.max_fast_rule = SIM_MAX_FAST_SMALL_IS_16,
		.tcache_bins = 64,
		.tcache_fill_count = 7,
		.tcache_count_max = 65535,
		.tcache_max_default = 1032,
		.tcache_max_limit = 1032,
		.tcache_struct_bytes = 640, /* 64 uint16_t counts + 64 pointers */
		.mmap_pad = 8,
		.dynamic_mmap_threshold = true,
		.mmap_threshold_max = UINT64_MAX,
		.systrim_pad_guard = true,
		.trim_madvise = true,
		.has_perturb = true,
		.calloc_refuses_ptrdiff = true,
		.calloc_uses_tcache = true,
		.small_free_to_smallbin = true,
		.realloc_slack = SIM_REALLOC_SLACK_16_OR_PAGE,
		.memalign_parts = SIM_MEMALIGN_MERGE_PARTS,
		.memalign_tcache = true,
		.aligned_alloc_pow2_only = true,
		.arena_rule = SIM_ARENAS_PER_THREAD,
		.heap_max = 64 << 20,
		.heap_info_bytes = 48,
		.malloc_state_bytes = 2200,
		.arena_test_default = 8,
	},
	[SIM_GLIBC_2_43] = {
		.major = 2, .minor = 43, .micro = 0,
		.mmap_fallback = SIM_FALLBACK_REQUEST,
		.min_large_size = 1024,
		.smallbin_shift = 4,
		.largebin64_base = 48,
		.largebin64_limit = 48,
		.large_skip_list = true,
		.unsorted_max_iters = 10000,
		.has_fastbins = false, /* e3062b06c5, bf1015fb2d, bb5a4f5295 */
		.fastbin_shift = 4,
		.fastbin_count = 0,
		.default_mxfast = 0,
		.max_mxfast = 0, /* do_set_mxfast accepts anything and does nothing */
		.max_fast_rule = SIM_MAX_FAST_SMALL_IS_16,
		.tcache_bins = 64,
		.tcache_large_bins = 12, /* cbfd798810 (2.42) */
		.lazy_tcache = true,     /* 2bf2188fae */
		.tcache_fill_count = 16, /* 0b9210bd76 */
		.tcache_count_max = 65535,
		.tcache_max_default = 1032,
		.tcache_max_limit = (1u << 21) - 24, /* request2size (v) must stay below 2 MiB: bin 75 at most */
		.tcache_struct_bytes = 760, /* 76 uint16_t num_slots + 76 pointers */
		.mmap_pad = 16,             /* 614cfd0f8a */
		.mmap_chunk_hdr = 16,
		.dynamic_mmap_threshold = true,
		.mmap_threshold_max = UINT64_MAX,
		.systrim_pad_guard = true,
		.trim_madvise = true,
		.has_perturb = true,
		.calloc_refuses_ptrdiff = true,
		.calloc_uses_tcache = true,
		.small_free_to_smallbin = true,
		.realloc_slack = SIM_REALLOC_SLACK_16,
		.realloc_skips_tcache = true,
		.free_checks_overflow = true,
		.memalign_parts = SIM_MEMALIGN_MERGE_PARTS_43,
		.oversize_reaches_arena = true, /* __libc_malloc's tcache path no longer returns on it */
		.memalign_tcache = true,
		.aligned_alloc_pow2_only = true,
		.arena_rule = SIM_ARENAS_PER_THREAD,
		.heap_max = 64 << 20,
		.heap_info_bytes = 48,
		.malloc_state_bytes = 2112, /* bb5a4f5295: no fastbinsY, no have_fastchunks */
		.arena_test_default = 8,
		.page_alloc = SIM_PAGE_ALLOC_MID_EXACT,
	},
};

static const char *const names[SIM_PROFILE_COUNT] = {
	[SIM_GLIBC_2_3_6] = "glibc-2.3.6",
	[SIM_GLIBC_2_36] = "glibc-2.36",
	[SIM_GLIBC_2_31] = "glibc-2.31",
	[SIM_GLIBC_2_41] = "glibc-2.41",
	[SIM_GLIBC_2_43] = "glibc-2.43",
};

static const sim_profile release_order[SIM_PROFILE_COUNT] = {
	SIM_GLIBC_2_3_6,
	SIM_GLIBC_2_31,
	SIM_GLIBC_2_36,
	SIM_GLIBC_2_41,
	SIM_GLIBC_2_43,
};

const sim_glibc *sim_profile_glibc(sim_profile profile)
{
	return &rows[profile < SIM_PROFILE_COUNT ? profile : SIM_GLIBC_2_36];
}

const char *sim_profile_name(sim_profile profile)
{
	return profile < SIM_PROFILE_COUNT ? names[profile] : NULL;
}

int sim_profile_from_name(const char *name, size_t len)
{
	for (int i = 0; i < SIM_PROFILE_COUNT; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return -1;
}

const char *sim_profile_of_bare_version(const char *version, size_t len)
{
	static const char prefix[] = "glibc-";
	for (int i = 0; i < SIM_PROFILE_COUNT; i++)
		if (strlen(names[i]) == sizeof prefix - 1 + len && memcmp(names[i] + sizeof prefix - 1, version, len) == 0)
			return names[i];
	return NULL;
}

sim_profile sim_profile_at(unsigned i)
{
	return i < SIM_PROFILE_COUNT ? release_order[i] : SIM_GLIBC_2_36;
}

size_t sim_profile_list(char *buf, size_t size)
{
	size_t need = 0;
	if (size)
		buf[0] = '\0';
	for (unsigned i = 0; i < SIM_PROFILE_COUNT; i++) {
		int n = snprintf(need < size ? buf + need : NULL, need < size ? size - need : 0, "%s%s", i ? ", " : "",
		                 names[release_order[i]]);
		if (n > 0)
			need += (size_t)n;
	}
	return need;
}

uint32_t sim_profile_version(sim_profile profile)
{
	const sim_glibc *g = sim_profile_glibc(profile);
	return (uint32_t)g->major * 10000u + (uint32_t)g->minor * 100u + g->micro;
}
