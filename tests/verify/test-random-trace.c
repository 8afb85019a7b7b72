/* test-random-trace.c — the seeded generator: deterministic, varied,
 * well-formed, and covering every op kind, size class and setting. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/ops_text.h"
#include "verify/random_trace.h"

static bool same_ops(const sim_op *a, size_t na, const sim_op *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || a[i].slot != b[i].slot || a[i].arg_slot != b[i].arg_slot ||
		    a[i].size != b[i].size || a[i].nmemb != b[i].nmemb || a[i].align != b[i].align ||
		    a[i].param != b[i].param || a[i].value != b[i].value)
			return false;
	return true;
}

START_TEST(test_rng_known_sequence)
{
	/* xoshiro256** seeded by splitmix64 from 0: the first splitmix64 output
	 * is the published 0xe220a8397b1dcdaf. */
	random_rng rng;
	random_rng_seed(&rng, 0);
	ck_assert_uint_eq(rng.s[0], 0xe220a8397b1dcdafull);
	random_rng a, b;
	random_rng_seed(&a, 42);
	random_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		ck_assert_uint_eq(random_rng_next(&a), random_rng_next(&b));
	for (int i = 0; i < 1000; i++)
		ck_assert_uint_lt(random_rng_below(&a, 7), 7);
}
END_TEST

START_TEST(test_deterministic_and_varied)
{
	random_trace_options o = random_trace_default_options();
	sim_op *prev = NULL;
	size_t prev_n = 0;
	for (uint64_t seed = 1; seed <= 100; seed++) {
		sim_op *a, *b;
		size_t na, nb;
		ck_assert(random_trace_generate(seed, &o, &a, &na));
		ck_assert(random_trace_generate(seed, &o, &b, &nb));
		ck_assert_uint_eq(na, o.op_count);
		ck_assert(same_ops(a, na, b, nb));
		if (prev)
			ck_assert_msg(!same_ops(a, na, prev, prev_n), "seeds %llu and %llu gave the same trace",
			              (unsigned long long)seed, (unsigned long long)seed - 1);
		free(prev);
		free(b);
		prev = a;
		prev_n = na;
		sim_config c1 = random_trace_config(seed), c2 = random_trace_config(seed);
		ck_assert(memcmp(&c1, &c2, sizeof c1) == 0);
	}
	free(prev);
}
END_TEST

/* Whether glibc must refuse `op` by arithmetic alone (the edges' failing
 * requests): a request of 2^62 or more, a calloc whose product overflows. */
static bool fails(const sim_op *op)
{
	const uint64_t huge = (uint64_t)1 << 62;
	switch (op->kind) {
	case SIM_OP_MALLOC:
	case SIM_OP_REALLOC:
	case SIM_OP_MEMALIGN:
		return op->size >= huge;
	case SIM_OP_CALLOC:
		return op->size != 0 && (op->nmemb > UINT64_MAX / op->size || op->nmemb * op->size >= huge);
	default:
		return false;
	}
}

/* Replays the slot bookkeeping a C program would do: every free and
 * realloc argument is live (or holds the NULL of a failed allocation),
 * live slots stay within max_live. */
static void check_well_formed(const random_trace_options *o, uint64_t seeds)
{
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(seed, o, &ops, &n));
		size_t cap = 4 * n + 64;
		bool *live = calloc(cap, 1);
		size_t live_count = 0;
		for (size_t i = 0; i < n; i++) {
			const sim_op *op = &ops[i];
			if (op->slot != SIM_NO_SLOT)
				ck_assert_uint_lt(op->slot, cap);
			if (op->kind == SIM_OP_MEMALIGN && op->align_api == SIM_ALIGN_POSIX_MEMALIGN &&
			    (op->align % 8 != 0 || op->align == 0 || ((op->align / 8) & (op->align / 8 - 1)) != 0)) {
				/* EINVAL: posix_memalign leaves the pointer, the slot stays as it was (not live) */
				ck_assert_msg(!live[op->slot], "seed %llu op %zu overwrites a live slot", (unsigned long long)seed, i);
				continue;
			}
			if (fails(op)) {
				/* A fresh slot gets NULL; a realloc's input stays live. */
				ck_assert_msg(!live[op->slot], "seed %llu op %zu overwrites a live slot", (unsigned long long)seed, i);
				if (op->kind == SIM_OP_REALLOC && op->arg_slot != SIM_NO_SLOT)
					ck_assert(live[op->arg_slot]);
				continue;
			}
			switch (op->kind) {
			case SIM_OP_MALLOC:
			case SIM_OP_CALLOC:
			case SIM_OP_MEMALIGN:
				ck_assert_msg(!live[op->slot], "seed %llu op %zu overwrites a live slot", (unsigned long long)seed, i);
				live[op->slot] = true;
				live_count++;
				break;
			case SIM_OP_REALLOC:
				if (op->arg_slot != SIM_NO_SLOT) {
					ck_assert_msg(live[op->arg_slot], "seed %llu op %zu reallocs a dead slot",
					              (unsigned long long)seed, i);
					live[op->arg_slot] = false;
					live_count--;
				}
				ck_assert(!live[op->slot]);
				if (op->size > 0 || op->arg_slot == SIM_NO_SLOT) {
					live[op->slot] = true;
					live_count++;
				}
				break;
			case SIM_OP_FREE:
				ck_assert_msg(live[op->slot], "seed %llu op %zu frees a dead slot", (unsigned long long)seed, i);
				live[op->slot] = false;
				live_count--;
				break;
			default:
				break;
			}
			ck_assert_uint_le(live_count, o->max_live + 1);
		}
		free(live);
		free(ops);
	}
}

START_TEST(test_well_formed)
{
	random_trace_options o = random_trace_default_options();
	o.op_count = 400;
	o.max_live = 32;
	check_well_formed(&o, 200);
}
END_TEST

/* The edges of every release keep traces valid C programs. */
START_TEST(test_edges_well_formed)
{
	random_trace_options o = random_trace_default_options();
	o.op_count = 400;
	o.max_live = 32;
	o.glibc = (random_glibc)_i;
	o.edges = true;
	check_well_formed(&o, 200);
}
END_TEST

START_TEST(test_release_names)
{
	for (int i = 0; i < RANDOM_GLIBC_COUNT; i++) {
		const char *v = random_glibc_version((random_glibc)i);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(random_glibc_from_version(v, strlen(v)), i);
	}
	ck_assert_str_eq(random_glibc_version(RANDOM_GLIBC_2_3_6), "2.3.6");
	ck_assert_str_eq(random_glibc_version(RANDOM_GLIBC_2_43), "2.43");
	ck_assert_int_eq(random_glibc_from_version("2.4", 3), -1);
	ck_assert_int_eq(random_glibc_from_version("2.411", 4), RANDOM_GLIBC_2_41); /* a length, not a C string */
	ck_assert_ptr_null(random_glibc_version(RANDOM_GLIBC_COUNT));
}
END_TEST

/* Over 300 seeds with the edges, each release's traces hold the edge
 * cases, and only values that release can be given in the ways it has. */
START_TEST(test_edges_coverage)
{
	random_glibc v = (random_glibc)_i;
	random_trace_options o = random_trace_default_options();
	o.glibc = v;
	o.edges = true;
	size_t failing = 0, odd_align = 0, perturb = 0, perturb_int = 0, other_param = 0, huge_pad = 0, prologue = 0, rejected = 0;
	size_t big_threshold = 0, big_align = 0, posix_einval = 0, aligned_odd = 0, api[SIM_ALIGN_API_COUNT] = {0};
	for (uint64_t seed = 1; seed <= 300; seed++) {
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(seed, &o, &ops, &n));
		prologue += n > 0 && ops[0].kind == SIM_OP_MALLOPT;
		for (size_t i = 0; i < n; i++) {
			const sim_op *op = &ops[i];
			failing += fails(op);
			if (op->kind == SIM_OP_MEMALIGN && (op->align < 16 || (op->align & (op->align - 1)) != 0))
				odd_align++;
			if (op->kind == SIM_OP_MEMALIGN) {
				/* the replayer prints the heap start verify gives the model */
				ck_assert_uint_le(op->align, 1048576);
				big_align += op->align > 4096;
				api[op->align_api < SIM_ALIGN_API_COUNT ? op->align_api : 0]++;
				posix_einval += op->align_api == SIM_ALIGN_POSIX_MEMALIGN &&
				                (op->align % 8 != 0 || op->align == 0 || ((op->align / 8) & (op->align / 8 - 1)) != 0);
				aligned_odd += op->align_api == SIM_ALIGN_ALIGNED_ALLOC && (op->align & (op->align - 1)) != 0;
			}
			if (op->kind == SIM_OP_TRIM && op->size >= (uint64_t)1 << 40)
				huge_pad++;
			if (op->kind != SIM_OP_MALLOPT)
				continue;
			ck_assert_msg(!(op->param == SIM_M_TOP_PAD && op->value < 0), "a negative M_TOP_PAD maps a heap elsewhere");
			perturb += op->param == SIM_M_PERTURB;
			perturb_int += op->param == SIM_M_PERTURB && (op->value < 0 || op->value > 255);
			other_param += op->param == SIM_M_CHECK_ACTION || op->param == SIM_M_ARENA_TEST ||
			               op->param == SIM_M_ARENA_MAX || op->param > 1 || op->param < -8;
			if (op->param == SIM_M_MXFAST)
				ck_assert_int_le(op->value, v == RANDOM_GLIBC_2_3_6 ? 81 : 161);
			if (op->param == SIM_M_MXFAST && v == RANDOM_GLIBC_2_3_6)
				ck_assert_int_ne(op->value, 0); /* 2.3.6 hangs in malloc_consolidate */
			if (op->param == SIM_M_MMAP_THRESHOLD && v == RANDOM_GLIBC_2_3_6)
				ck_assert_int_le(op->value, 1048576);
			bool refused = (op->param == SIM_M_MXFAST && (op->value < 0 || op->value > (v == RANDOM_GLIBC_2_3_6 ? 80 : 160))) ||
			               (op->param == SIM_M_MMAP_THRESHOLD && v == RANDOM_GLIBC_2_3_6 && op->value > 524288) ||
			               (op->param == SIM_M_MMAP_THRESHOLD && v == RANDOM_GLIBC_2_31 &&
			                (op->value < 0 || op->value > 33554432));
			rejected += refused;
			big_threshold += op->param == SIM_M_MMAP_THRESHOLD && (op->value < 0 || op->value > 33554432);
		}
		free(ops);
	}
	ck_assert_msg(failing >= 50, "%zu failing requests", failing);
	ck_assert_msg(odd_align >= 10, "%zu odd alignments", odd_align);
	ck_assert_msg(perturb >= 5, "%zu M_PERTURB", perturb);
	ck_assert_msg(perturb_int >= 3, "%zu M_PERTURB values beyond a byte (glibc keeps the int)", perturb_int);
	ck_assert_msg(other_param >= 10, "%zu other parameters", other_param);
	ck_assert_msg(huge_pad >= 3, "%zu huge trim pads", huge_pad);
	ck_assert_msg(rejected >= 10, "%zu values the release rejects", rejected);
	ck_assert_msg(big_align >= 20, "%zu alignments above a page", big_align);
	ck_assert_msg(api[SIM_ALIGN_POSIX_MEMALIGN] >= 30, "%zu posix_memalign", api[SIM_ALIGN_POSIX_MEMALIGN]);
	ck_assert_msg(posix_einval >= 5, "%zu posix_memalign with an alignment it refuses", posix_einval);
	ck_assert_msg(api[SIM_ALIGN_VALLOC] >= 10 && api[SIM_ALIGN_PVALLOC] >= 10, "%zu valloc, %zu pvalloc",
	              api[SIM_ALIGN_VALLOC], api[SIM_ALIGN_PVALLOC]);
	if (v == RANDOM_GLIBC_2_3_6) {
		ck_assert_uint_eq(api[SIM_ALIGN_ALIGNED_ALLOC], 0); /* 2.16 added it */
	} else {
		ck_assert_msg(api[SIM_ALIGN_ALIGNED_ALLOC] >= 20, "%zu aligned_alloc", api[SIM_ALIGN_ALIGNED_ALLOC]);
		ck_assert_msg(aligned_odd >= 3, "%zu aligned_alloc with a non-power-of-two", aligned_odd);
	}
	if (v == RANDOM_GLIBC_2_3_6) {
		ck_assert_msg(prologue >= 100, "%zu traces begin with settings", prologue);
		ck_assert_uint_eq(big_threshold, 0);
	} else {
		ck_assert_msg(big_threshold >= 5, "%zu thresholds above 32 MiB", big_threshold);
	}
}
END_TEST

/* Each release's settings: 2.36 and 2.41 draw random_trace_config's;
 * 2.3.6 has none; 2.31 leaves a third unset; 2.43 also caches large
 * chunks. The carrier profile is the one asked for. */
START_TEST(test_release_configs)
{
	size_t unset_231 = 0, wide_243 = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		sim_config base = random_trace_config(seed);
		sim_config c36 = random_trace_config_for(seed, RANDOM_GLIBC_2_36, SIM_GLIBC_2_36);
		ck_assert_mem_eq(&c36, &base, sizeof base);
		sim_config c41 = random_trace_config_for(seed, RANDOM_GLIBC_2_41, SIM_GLIBC_2_36);
		ck_assert_mem_eq(&c41, &base, sizeof base);
		sim_config c236 = random_trace_config_for(seed, RANDOM_GLIBC_2_3_6, SIM_GLIBC_2_3_6);
		ck_assert_int_eq(c236.profile, SIM_GLIBC_2_3_6);
		ck_assert_uint_eq(c236.set_mask, 0);
		sim_config c31 = random_trace_config_for(seed, RANDOM_GLIBC_2_31, SIM_GLIBC_2_36);
		ck_assert(c31.set_mask == base.set_mask || c31.set_mask == 0);
		ck_assert_int_eq(c31.touch, base.touch);
		unset_231 += c31.set_mask == 0;
		/* What is not marked set keeps the profile's default value. */
		sim_config defaults = sim_config_defaults(SIM_GLIBC_2_36);
		for (int k = 0; k < SIM_SETTING_COUNT; k++)
			if (!(c31.set_mask >> k & 1))
				ck_assert_uint_eq(c31.value[k], defaults.value[k]);
		sim_config c43 = random_trace_config_for(seed, RANDOM_GLIBC_2_43, SIM_GLIBC_2_36);
		ck_assert_uint_eq(c43.set_mask, base.set_mask);
		if ((c43.set_mask >> SIM_SET_TCACHE_MAX & 1) && c43.value[SIM_SET_TCACHE_MAX] > 1032)
			wide_243++;
		if (c43.set_mask >> SIM_SET_TCACHE_MAX & 1)
			ck_assert_uint_le(c43.value[SIM_SET_TCACHE_MAX], 4194304 - 64);
	}
	ck_assert_uint_ge(unset_231, 80);
	ck_assert_uint_ge(wide_243, 5);
}
END_TEST

/* The program's own sbrk (options.sbrk): its own stream, so a trace
 * that does not call it is the trace without the option; the break only
 * goes down by what the sbrk just before gave, with nothing but frees
 * between (nothing that could grow the heap past the program's bytes). */
START_TEST(test_sbrk)
{
	size_t with = 0, up = 0, back = 0, unaligned = 0, big = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		random_trace_options o = random_trace_seed_options(seed, RANDOM_GLIBC_2_36, false, &(sim_config){0});
		ck_assert(o.sbrk);
		random_trace_options plain = o;
		plain.sbrk = false;
		sim_op *a, *b;
		size_t na, nb;
		ck_assert(random_trace_generate(seed, &o, &a, &na));
		ck_assert(random_trace_generate(seed, &plain, &b, &nb));
		bool calls = false;
		int64_t last_up = 0;
		for (size_t i = 0; i < na; i++) {
			if (a[i].kind == SIM_OP_SBRK) {
				calls = true;
				if (a[i].value > 0) {
					up++;
					last_up = a[i].value;
					unaligned += a[i].value % 16 != 0;
					big += a[i].value > 131072;
				} else {
					back++;
					ck_assert_int_eq(a[i].value, -last_up);
					last_up = 0;
				}
			} else if (a[i].kind != SIM_OP_FREE) {
				last_up = 0; /* (a give-back after this would fail the assertion above) */
			}
		}
		with += calls;
		if (!calls) {
			ck_assert_uint_eq(na, nb);
			ck_assert(memcmp(a, b, na * sizeof *a) == 0);
		}
		free(a);
		free(b);
	}
	ck_assert_uint_ge(with, 40);
	ck_assert_uint_le(with, 200);
	ck_assert_uint_ge(up, 100);
	ck_assert_uint_ge(back, 20);
	ck_assert_uint_ge(unaligned, 20);
	ck_assert_uint_ge(big, 5);
}
END_TEST

/* Over 200 seeds every op kind, size class, realloc form, mallopt
 * parameter and trim pad kind shows up, and pins live long. */
START_TEST(test_coverage)
{
	random_trace_options o = random_trace_default_options();
	size_t kinds[SIM_OP_KIND_COUNT] = {0}, classes[RANDOM_SIZE_CLASS_COUNT] = {0};
	size_t grow = 0, shrink = 0, to_zero = 0, from_null = 0, trim0 = 0, trim_pad = 0, long_lived = 0;
	size_t params[5] = {0};
	for (uint64_t seed = 1; seed <= 200; seed++) {
		sim_op *ops;
		size_t n;
		ck_assert(random_trace_generate(seed, &o, &ops, &n));
		uint64_t *req = calloc(4 * n + 64, sizeof *req);
		size_t *born = calloc(4 * n + 64, sizeof *born);
		for (size_t i = 0; i < n; i++) {
			const sim_op *op = &ops[i];
			kinds[op->kind]++;
			switch (op->kind) {
			case SIM_OP_MALLOC:
				classes[random_size_class_of(op->size)]++;
				req[op->slot] = op->size;
				born[op->slot] = i;
				break;
			case SIM_OP_REALLOC:
				if (op->arg_slot == SIM_NO_SLOT)
					from_null++;
				else if (op->size == 0)
					to_zero++;
				else if (op->size > req[op->arg_slot])
					grow++;
				else if (op->size < req[op->arg_slot])
					shrink++;
				req[op->slot] = op->size;
				born[op->slot] = i;
				break;
			case SIM_OP_FREE:
				if (born[op->slot] < n / 10 && i > n - n / 5)
					long_lived++;
				break;
			case SIM_OP_TRIM:
				if (op->size == 0)
					trim0++;
				else
					trim_pad++;
				break;
			case SIM_OP_MALLOPT:
				switch (op->param) {
				case SIM_M_MXFAST: params[0]++; break;
				case SIM_M_TRIM_THRESHOLD: params[1]++; break;
				case SIM_M_TOP_PAD: params[2]++; break;
				case SIM_M_MMAP_THRESHOLD: params[3]++; break;
				case SIM_M_MMAP_MAX: params[4]++; break;
				default: ck_abort_msg("unexpected mallopt parameter %d", op->param);
				}
				break;
			default:
				break;
			}
		}
		free(req);
		free(born);
		free(ops);
	}
	for (int k = 0; k < SIM_OP_KIND_COUNT; k++)
		if (k != SIM_OP_THREAD_START && k != SIM_OP_THREAD_EXIT && k != SIM_OP_FORK && /* single-threaded traces (test_threads) */
		    k != SIM_OP_SBRK) /* not asked for (test_sbrk) */
			ck_assert_msg(kinds[k] >= 20, "op kind %d appears %zu times", k, kinds[k]);
	for (int c = 0; c < RANDOM_SIZE_CLASS_COUNT; c++)
		ck_assert_msg(classes[c] >= 50, "size class %d appears %zu times", c, classes[c]);
	ck_assert_uint_ge(grow, 20);
	ck_assert_uint_ge(shrink, 20);
	ck_assert_uint_ge(to_zero, 5);
	ck_assert_uint_ge(from_null, 5);
	ck_assert_uint_ge(trim0, 20);
	ck_assert_uint_ge(trim_pad, 10);
	ck_assert_uint_ge(long_lived, 20);
	for (int p = 0; p < 5; p++)
		ck_assert_msg(params[p] >= 5, "mallopt parameter #%d appears %zu times", p, params[p]);
}
END_TEST

/* Settings: each kind of value shows up, and the tunables string names
 * exactly the settings marked as set. */
START_TEST(test_config_coverage)
{
	size_t tcache_off = 0, tcache_default = 0, tcache_small = 0, pad0 = 0, pad_default = 0, touch_none = 0;
	size_t trim_values = 0, mmap_set = 0, mxfast_set = 0;
	uint64_t seen_trim[8] = {0};
	for (uint64_t seed = 1; seed <= 300; seed++) {
		sim_config c = random_trace_config(seed);
		ck_assert_int_eq(c.profile, SIM_GLIBC_2_36);
		bool tc_set = c.set_mask & (1u << SIM_SET_TCACHE_COUNT);
		if (tc_set && c.value[SIM_SET_TCACHE_COUNT] == 0)
			tcache_off++;
		else if (!tc_set && !(c.set_mask & (1u << SIM_SET_TCACHE_MAX)))
			tcache_default++;
		else
			tcache_small++;
		if (c.set_mask & (1u << SIM_SET_TOP_PAD)) {
			if (c.value[SIM_SET_TOP_PAD] == 0)
				pad0++;
		} else {
			pad_default++;
		}
		if (c.set_mask & (1u << SIM_SET_TRIM_THRESHOLD)) {
			uint64_t v = c.value[SIM_SET_TRIM_THRESHOLD];
			bool known = false;
			for (size_t i = 0; i < trim_values; i++)
				known |= seen_trim[i] == v;
			if (!known && trim_values < 8)
				seen_trim[trim_values++] = v;
		}
		mmap_set += (c.set_mask >> SIM_SET_MMAP_THRESHOLD) & 1;
		mxfast_set += (c.set_mask >> SIM_SET_MXFAST) & 1;
		touch_none += c.touch == SIM_TOUCH_NONE;
		char tun[512];
		ops_text_tunables(&c, tun, sizeof tun);
		for (int s = 0; s < SIM_SETTING_COUNT; s++) {
			char key[64];
			snprintf(key, sizeof key, "glibc.malloc.%s=", sim_setting_name((sim_setting)s));
			ck_assert_int_eq(strstr(tun, key) != NULL, (c.set_mask >> s) & 1);
		}
	}
	ck_assert_uint_ge(tcache_off, 60);
	ck_assert_uint_ge(tcache_default, 60);
	ck_assert_uint_ge(tcache_small, 20);
	ck_assert_uint_ge(pad0, 30);
	ck_assert_uint_ge(pad_default, 60);
	ck_assert_uint_ge(trim_values, 4);
	ck_assert_uint_ge(mmap_set, 40);
	ck_assert_uint_ge(mxfast_set, 30);
	ck_assert_uint_ge(touch_none, 20);
}
END_TEST

static Suite *random_trace_suite(void)
{
	Suite *s = suite_create("random_trace");
	TCase *tc = tcase_create("rng");
	tcase_add_test(tc, test_rng_known_sequence);
	suite_add_tcase(s, tc);
	tc = tcase_create("traces");
	tcase_add_test(tc, test_deterministic_and_varied);
	tcase_add_test(tc, test_well_formed);
	tcase_add_test(tc, test_coverage);
	tcase_add_test(tc, test_sbrk);
	tcase_add_loop_test(tc, test_edges_well_formed, 0, RANDOM_GLIBC_COUNT);
	tcase_add_loop_test(tc, test_edges_coverage, 0, RANDOM_GLIBC_COUNT);
	tcase_add_test(tc, test_release_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, test_config_coverage);
	tcase_add_test(tc, test_release_configs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(random_trace_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
