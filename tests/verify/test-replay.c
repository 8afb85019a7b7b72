/* test-replay.c — brksim-replay against the real glibc of this machine.
 *
 * The expectations here are numbers measured on glibc 2.36 and recorded in
 * shared/glibc-malloc-facts.md §15 (each line of the facts files carries its
 * `# expect RET BRK TOP RSS`, `*` = not asserted), or follow from glibc's
 * source by hand as the comments show. Nothing comes from the model. */
#include <check.h>
#include <gnu/libc-version.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "helpers.h"
#include "verify/random_trace.h"

#define SIM_TUNABLES                                                                                              \
	"glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0:glibc.malloc.trim_threshold=65536:"                    \
	"glibc.malloc.mmap_threshold=1048576"

/* Returns the source line `line` (1-based) of text as a malloc'd string. */
static char *source_line(const char *text, size_t len, uint32_t line)
{
	size_t at = 0;
	for (uint32_t l = 1; l < line && at < len; l++) {
		const char *nl = memchr(text + at, '\n', len - at);
		at = nl ? (size_t)(nl - text) + 1 : len;
	}
	const char *nl = memchr(text + at, '\n', len - at);
	size_t end = nl ? (size_t)(nl - text) : len;
	char *s = malloc(end - at + 1);
	memcpy(s, text + at, end - at);
	s[end - at] = '\0';
	return s;
}

static bool is_glibc_236(void)
{
	return strcmp(gnu_get_libc_version(), "2.36") == 0;
}

/* Every facts file: each `# expect` field equals the replayer's field. */
START_TEST(test_facts_examples)
{
	if (!is_glibc_236()) {
		fprintf(stderr, "facts were measured on glibc 2.36; this is %s: not checked\n", gnu_get_libc_version());
		return;
	}
	size_t n;
	char **files = helper_list_ops("facts", &n);
	ck_assert_uint_ge(n, 12);
	size_t checked_fields = 0;
	for (size_t f = 0; f < n; f++) {
		size_t len;
		char *text = helper_read_file(files[f], &len);
		ops_trace trace;
		ops_trace_init(&trace);
		diag_list diags;
		diag_list_init(&diags);
		ck_assert_msg(ops_text_parse(text, len, &trace, &diags), "%s does not parse", files[f]);
		verify_replay_output raw;
		ops_results res;
		ops_results_init(&res);
		helper_replay(text, len, trace.tunables, SIM_TOUCH_ALL, false, &raw, &res);
		ck_assert_msg(res.ended && res.count == trace.count, "%s: %zu results for %zu ops\n%s", files[f], res.count,
		              trace.count, raw.err);
		for (size_t i = 0; i < trace.count; i++) {
			char *line = source_line(text, len, trace.op_line[i]);
			const char *e = strstr(line, "# expect ");
			if (e) {
				char want[4][40];
				ck_assert_int_eq(sscanf(e + 9, "%39s %39s %39s %39s", want[0], want[1], want[2], want[3]), 4);
				char got_line[128];
				ops_result_format(&res.items[i], res.arenas, got_line, sizeof got_line);
				char got[4][40];
				ck_assert_int_eq(sscanf(got_line, "%39s %39s %39s %39s", got[0], got[1], got[2], got[3]), 4);
				for (int k = 0; k < 4; k++) {
					if (strcmp(want[k], "*") == 0)
						continue;
					ck_assert_msg(strcmp(want[k], got[k]) == 0, "%s:%u: expected `%s`, replayer printed `%s`",
					              files[f], trace.op_line[i], e + 9, got_line);
					checked_fields++;
				}
			}
			free(line);
		}
		ops_results_release(&res);
		verify_replay_output_release(&raw);
		diag_list_release(&diags);
		ops_trace_release(&trace);
		free(text);
	}
	ck_assert_uint_ge(checked_fields, 60);
	helper_free_list(files);
}
END_TEST

/* The top found by walking boundary tags equals glibc's own keepcost, and
 * a second run prints byte-identical output after the `# start` header
 * (ASLR moves the heap by whole pages). */
START_TEST(test_walk_agrees_and_deterministic)
{
	size_t n;
	char **files = helper_list_ops("facts", &n);
	for (size_t f = 0; f < n; f++) {
		size_t len;
		char *text = helper_read_file(files[f], &len);
		ops_trace trace;
		ops_trace_init(&trace);
		diag_list diags;
		diag_list_init(&diags);
		ops_text_parse(text, len, &trace, &diags);
		verify_replay_output a, b, w;
		ops_results ra, rb, rw;
		ops_results_init(&ra);
		ops_results_init(&rb);
		ops_results_init(&rw);
		helper_replay(text, len, trace.tunables, SIM_TOUCH_ALL, false, &a, &ra);
		helper_replay(text, len, trace.tunables, SIM_TOUCH_ALL, false, &b, &rb);
		helper_replay(text, len, trace.tunables, SIM_TOUCH_ALL, true, &w, &rw);
		/* all but the header that says where ASLR put the heap */
		ck_assert(ra.start_known && rb.start_known);
		ck_assert_uint_eq(ra.start % 4096, 0);
		const char *ao = strchr(a.out, '\n'), *bo = strchr(b.out, '\n');
		ck_assert(ao && bo && strncmp(a.out, "# start brk=0x", 14) == 0);
		ck_assert_str_eq(ao, bo);
		ck_assert_uint_eq(ra.count, rw.count);
		for (size_t i = 0; i < ra.count; i++) {
			ck_assert(rw.items[i].top_known);
			ck_assert_msg(ra.items[i].top == rw.items[i].top, "%s op %zu: mallinfo top 0x%llx, walk 0x%llx",
			              files[f], i, (unsigned long long)ra.items[i].top,
			              (unsigned long long)rw.items[i].top);
		}
		ops_results_release(&ra);
		ops_results_release(&rb);
		ops_results_release(&rw);
		verify_replay_output_release(&a);
		verify_replay_output_release(&b);
		verify_replay_output_release(&w);
		diag_list_release(&diags);
		ops_trace_release(&trace);
		free(text);
	}
	helper_free_list(files);
}
END_TEST

/* A long trace whose heap keeps changing: small and large allocations,
 * frees in a scrambled order (many free chunks in the bins, so a wrong
 * top pointer reads another size), reallocs, callocs, memaligns, mapped
 * chunks and a malloc_trim now and then (which madvises pages away: rss
 * goes down without the break moving). Deterministic (an LCG). */
static char *long_trace(size_t ops, size_t *len)
{
	size_t cap = ops * 32 + 64, n = 0;
	char *t = malloc(cap);
	enum { SLOTS = 3000 };
	static bool live[SLOTS];
	memset(live, 0, sizeof live);
	uint64_t x = 12345;
	for (size_t i = 0; i < ops; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		unsigned r = (unsigned)(x >> 33);
		unsigned slot = r % SLOTS;
		if (i % 5000 == 4999)
			/* a pad of 1 GiB keeps the top (the break stays) but still
			 * madvises the free chunks' pages away */
			n += (size_t)snprintf(t + n, cap - n, "t %u\n", i % 15000 == 4999 ? 1u << 30 : i % 2 ? 0u : 4096u);
		else if (live[slot] && (r >> 20) % 3 != 0) {
			n += (size_t)snprintf(t + n, cap - n, "f %u\n", slot);
			live[slot] = false;
		} else if (live[slot])
			n += (size_t)snprintf(t + n, cap - n, "r %u %u %u\n", slot, slot, 16 + (r >> 8) % 3000);
		else {
			unsigned kind = (r >> 16) % 40, size = (r >> 20) % 7 == 0 ? 1000 + (r >> 4) % 60000 : 1 + (r >> 8) % 600;
			if (kind == 0)
				n += (size_t)snprintf(t + n, cap - n, "a %u %u\n", slot, 200000 + (r >> 6) % 100000);
			else if (kind == 1)
				n += (size_t)snprintf(t + n, cap - n, "c %u %u %u\n", slot, 1 + (r >> 10) % 8, size);
			else if (kind == 2)
				n += (size_t)snprintf(t + n, cap - n, "A %u %u %u\n", slot, 64u << (r >> 10) % 5, size);
			else
				n += (size_t)snprintf(t + n, cap - n, "a %u %u\n", slot, size);
			live[slot] = true;
		}
	}
	*len = n;
	return t;
}

static void replay_tuned(const char *text, size_t len, const char *tunables, sim_touch touch, bool full,
                         verify_replay_output *raw, ops_results *res)
{
	verify_replay_args args = {
		.replayer = helper_replayer(),
		.tunables = tunables,
		.touch = touch,
		.measure_top = true,
		.measure_rss = true,
		.full_every_op = full,
		.stats = true,
	};
	char why[256] = "";
	ck_assert_msg(verify_replay_spawn(&args, text, len, raw, why, sizeof why), "spawn failed: %s", why);
	ck_assert_msg(raw->exited && raw->exit_status == 0, "replayer failed: %s", raw->err);
	size_t bad = 0;
	ck_assert_msg(ops_results_parse(raw->out, raw->out_len, res, &bad), "malformed replayer line %zu", bad);
	ck_assert(res->ended);
}

static void replay_with(const char *text, size_t len, sim_touch touch, bool full, verify_replay_output *raw,
                        ops_results *res)
{
	replay_tuned(text, len, "", touch, full, raw, res);
}

/* `# full top=N rss=M ... near=J`: how often the replayer measured in
 * full, and how many faulting ops it counted from the pages near their
 * chunks instead of a scan of the whole heap. */
static void full_counts(const char *out, unsigned long *top, unsigned long *rss, unsigned long *near)
{
	const char *at = strstr(out, "\n# full top=");
	ck_assert_ptr_nonnull(at);
	unsigned long handoffs;
	ck_assert_int_eq(sscanf(at, "\n# full top=%lu rss=%lu handoffs=%lu near=%lu", top, rss, &handoffs, near), 4);
}

/* The cheap readings (main_arena.top through its candidates, mincore only
 * after a fault, a trim or a moved break) print the same top and rss as
 * mallinfo and mincore after every op, op by op, over 40,000 ops (two
 * WATCH_EVERY checkpoints and the end), with and without page writes; and
 * they are what is used: mallinfo ran for a few ops only, mincore for a
 * minority. */
START_TEST(test_cheap_readings_equal_full_ones)
{
	size_t len, ops = 40000;
	char *text = long_trace(ops, &len);
	sim_touch touches[] = {SIM_TOUCH_ALL, SIM_TOUCH_NONE};
	for (size_t k = 0; k < 2; k++) {
		verify_replay_output cheap, full;
		ops_results rc, rf;
		ops_results_init(&rc);
		ops_results_init(&rf);
		replay_with(text, len, touches[k], false, &cheap, &rc);
		replay_with(text, len, touches[k], true, &full, &rf);
		ck_assert_uint_eq(rc.count, ops);
		ck_assert_uint_eq(rf.count, ops);
		size_t trims_lowering_rss = 0;
		for (size_t i = 0; i < ops; i++) {
			const ops_result *a = &rc.items[i], *b = &rf.items[i];
			ck_assert(a->top_known && b->top_known && a->rss_known && b->rss_known);
			ck_assert_msg(a->top == b->top, "touch %zu op %zu: top 0x%llx cheap, 0x%llx by mallinfo", k, i + 1,
			              (unsigned long long)a->top, (unsigned long long)b->top);
			ck_assert_msg(a->rss == b->rss, "touch %zu op %zu: rss %llu cheap, %llu by mincore", k, i + 1,
			              (unsigned long long)a->rss, (unsigned long long)b->rss);
			ck_assert_uint_eq(a->brk, b->brk);
			/* more pages gone than the lowered break gave back: madvised */
			if (i > 0 && a->brk <= rc.items[i - 1].brk &&
			    a->rss + (rc.items[i - 1].brk - a->brk) / 4096 < rc.items[i - 1].rss)
				trims_lowering_rss++;
		}
		/* the trace does exercise pages given back below the break */
		ck_assert_uint_gt(trims_lowering_rss, 0);
		unsigned long top_full, rss_full, near;
		full_counts(cheap.out, &top_full, &rss_full, &near);
		ck_assert_msg(top_full < 40, "mallinfo ran %lu times for %zu ops", top_full, ops);
		ck_assert_msg(rss_full < ops / 2, "mincore ran %lu times for %zu ops", rss_full, ops);
		/* most faulting ops are counted near their chunks: the equality
		 * above holds with that reading in use */
		ck_assert_msg(near > rss_full, "%lu ops counted near their chunks, %lu scans of the heap", near, rss_full);
		ops_results_release(&rc);
		ops_results_release(&rf);
		verify_replay_output_release(&cheap);
		verify_replay_output_release(&full);
	}
	free(text);
}
END_TEST

/* `... faults=perf|rusage asked=K`: how the replayer counted page faults
 * and how many times it asked getrusage; true for perf. */
static bool fault_counts(const char *out, unsigned long *asked)
{
	const char *at = strstr(out, " faults=");
	ck_assert_ptr_nonnull(at);
	char way[16];
	ck_assert_int_eq(sscanf(at, " faults=%15s asked=%lu", way, asked), 2);
	ck_assert_msg(strcmp(way, "perf") == 0 || strcmp(way, "rusage") == 0, "faults=%s", way);
	return strcmp(way, "perf") == 0;
}

/* The page-fault count behind the rss column (replay.c, faults_now): by
 * default a perf event's ring says whether this thread took a page fault
 * since getrusage was last asked, and getrusage is asked only then;
 * BRKSIM_REPLAY_FAULTS=rusage asks after every op. Both print the same
 * line for every one of 40,000 ops, with and without page writes, and
 * both are exact (the line after every op equals mincore's, as in the
 * test above); with the ring getrusage was asked for a minority of the
 * ops. Where the kernel refuses the event (perf_event_paranoid 3,
 * seccomp) the replayer says faults=rusage and only the equality is
 * checked. */
START_TEST(test_faults_asked_only_after_a_fault)
{
	size_t len, ops = 40000;
	char *text = long_trace(ops, &len);
	sim_touch touches[] = {SIM_TOUCH_ALL, SIM_TOUCH_NONE};
	for (size_t k = 0; k < 2; k++) {
		verify_replay_output ring, every, full;
		ops_results rr, re, rf;
		ops_results_init(&rr);
		ops_results_init(&re);
		ops_results_init(&rf);
		ck_assert_int_eq(unsetenv("BRKSIM_REPLAY_FAULTS"), 0);
		replay_with(text, len, touches[k], false, &ring, &rr);
		replay_with(text, len, touches[k], true, &full, &rf);
		ck_assert_int_eq(setenv("BRKSIM_REPLAY_FAULTS", "rusage", 1), 0);
		replay_with(text, len, touches[k], false, &every, &re);
		ck_assert_uint_eq(rr.count, ops);
		ck_assert_uint_eq(re.count, ops);
		ck_assert_uint_eq(rf.count, ops);
		for (size_t i = 0; i < ops; i++) {
			const ops_result *a = &rr.items[i], *b = &re.items[i], *c = &rf.items[i];
			ck_assert(a->rss_known && b->rss_known && c->rss_known);
			ck_assert_msg(a->rss == c->rss && b->rss == c->rss,
			              "touch %zu op %zu: rss %llu with the ring, %llu asking every op, %llu by mincore", k,
			              i + 1, (unsigned long long)a->rss, (unsigned long long)b->rss,
			              (unsigned long long)c->rss);
			ck_assert_int_eq(a->ret_kind, b->ret_kind);
			ck_assert_uint_eq(a->ret, b->ret);
			ck_assert_uint_eq(a->brk, b->brk);
		}
		unsigned long asked_ring, asked_every;
		ck_assert(!fault_counts(every.out, &asked_every));
		ck_assert_uint_ge(asked_every, ops);
		if (fault_counts(ring.out, &asked_ring))
			ck_assert_msg(asked_ring < ops / 4, "getrusage asked %lu times for %zu ops", asked_ring, ops);
		else
			ck_assert_uint_ge(asked_ring, ops);
		ops_results_release(&rr);
		ops_results_release(&re);
		ops_results_release(&rf);
		verify_replay_output_release(&ring);
		verify_replay_output_release(&every);
		verify_replay_output_release(&full);
	}
	free(text);
}
END_TEST

/* The replayer run on `text` with `variable` set to `value`, which it
 * refuses: exit 2, and `said` on stderr. */
static void check_env_refused(const char *variable, const char *value, const char *text, const char *said)
{
	ck_assert_int_eq(setenv(variable, value, 1), 0);
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, strlen(text), "", SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(raw.exited);
	ck_assert_int_eq(raw.exit_status, 2);
	ck_assert_str_eq(raw.err, said);
	ops_results_release(&res);
	verify_replay_output_release(&raw);
}

/* BRKSIM_REPLAY_FAULTS other than perf or rusage: exit 2, said. */
START_TEST(test_faults_way_unknown)
{
	check_env_refused("BRKSIM_REPLAY_FAULTS", "mincore", "a 1 100\n",
	                  "brksim-replay: error: BRKSIM_REPLAY_FAULTS must be perf or rusage: mincore\n");
}
END_TEST

/* Replays a threaded trace with the cheap readings and in full and checks
 * every line (the arena column's heaps/size/top/rss included) is the
 * same; returns how many times an arena's heaps shrank with the same
 * heap count, and the cheap run's mincore scans and hand-offs. */
static size_t cheap_equals_full_threaded(const char *text, size_t len, const char *tunables, sim_touch touch,
                                         size_t ops, unsigned long *mallinfos, unsigned long *scans,
                                         unsigned long *handoffs)
{
	verify_replay_output cheap, full;
	ops_results rc, rf;
	ops_results_init(&rc);
	ops_results_init(&rf);
	replay_tuned(text, len, tunables, touch, false, &cheap, &rc);
	replay_tuned(text, len, tunables, touch, true, &full, &rf);
	ck_assert_uint_eq(rc.count, ops);
	ck_assert_uint_eq(rf.count, ops);
	size_t shrinks = 0;
	for (size_t i = 0; i < rc.count; i++) {
		char a[1024], b[1024];
		ops_result_format(&rc.items[i], rc.arenas, a, sizeof a);
		ops_result_format(&rf.items[i], rf.arenas, b, sizeof b);
		ck_assert_msg(strcmp(a, b) == 0, "touch %d op %zu: cheap `%s`, full `%s`", (int)touch, i + 1, a, b);
		ck_assert(rc.items[i].has_arenas);
		for (uint32_t k = 0; i > 0 && k < rc.items[i].arena_count && k < rc.items[i - 1].arena_count; k++) {
			const ops_arena *now = &rc.arenas[rc.items[i].arena_first + k],
			                *was = &rc.arenas[rc.items[i - 1].arena_first + k];
			shrinks += now->heaps == was->heaps && now->size < was->size;
			ck_assert(now->rss_known);
		}
	}
	const char *at = strstr(cheap.out, "\n# full top=");
	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(sscanf(at, "\n# full top=%lu rss=%lu handoffs=%lu", mallinfos, scans, handoffs), 3);
	ops_results_release(&rc);
	ops_results_release(&rf);
	verify_replay_output_release(&cheap);
	verify_replay_output_release(&full);
	return shrinks;
}

/* The same with threads. (1) long_trace's ops shared out among the main
 * thread and two trace threads in runs of 1 to 200 (each handed over
 * whole). (2) Reallocs that grow a thread's heap and shrink it back in
 * the same call: a chunk just below its arena's top grows past the top
 * (glibc grows the heap, takes the new chunk at the top, merges it with
 * the old one and frees the old part, which joins the top, and heap_trim
 * shrinks the heap again), with and without page writes. Such a realloc
 * is not followed by a recount unless it faulted: every line must still
 * equal mallinfo and mincore after every op. */
START_TEST(test_cheap_readings_equal_full_ones_with_threads)
{
	/* _i: 0 the replayer's own choice, 1 the hand-off (threads_way) */
	if (_i == 1)
		ck_assert_int_eq(setenv("BRKSIM_REPLAY_THREADS", "handoff", 1), 0);
	const char *tunables = "glibc.malloc.tcache_count=0:glibc.malloc.top_pad=0:glibc.malloc.trim_threshold=65536:"
	                       "glibc.malloc.mmap_threshold=1048576";
	size_t len, ops = 30000;
	char *text = long_trace(ops, &len);
	size_t cap = len + ops * 4 + 16, n = 0;
	char *threaded = malloc(cap);
	n += (size_t)snprintf(threaded, cap, "n 1\nn 2\n");
	uint64_t x = 99;
	unsigned thread = 0, left = 0;
	size_t reallocs_in_threads = 0;
	for (const char *line = text; line < text + len;) {
		const char *nl = memchr(line, '\n', (size_t)(text + len - line));
		size_t l = (size_t)(nl - line) + 1;
		if (left == 0) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			thread = (thread + 1 + (unsigned)(x >> 40) % 2) % 3;
			left = 1 + (unsigned)(x >> 33) % 200;
		}
		left--;
		if (thread)
			n += (size_t)snprintf(threaded + n, cap - n, "T%u ", thread);
		reallocs_in_threads += thread && line[0] == 'r';
		memcpy(threaded + n, line, l);
		n += l;
		line += l;
	}
	ck_assert_uint_gt(reallocs_in_threads, 1000);
	unsigned long mallinfos, scans, handoffs;
	cheap_equals_full_threaded(threaded, n, tunables, SIM_TOUCH_ALL, ops + 2, &mallinfos, &scans, &handoffs);
	ck_assert_msg(scans < ops / 2, "mincore ran %lu times for %zu ops", scans, ops);
	ck_assert_uint_gt(handoffs, ops / 200);
	ck_assert_uint_lt(handoffs, ops / 50);

	/* (2): per thread, a 70-200 KiB chunk grown by 4-300 KiB, freed. The
	 * main thread never allocates: there is no main heap, and the top
	 * column (0) is read through main_arena.top, not by mallinfo. */
	enum { ROUNDS = 400 };
	n = (size_t)snprintf(threaded, cap, "n 1\nn 2\n");
	for (unsigned k = 0; k < ROUNDS; k++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		unsigned t = 1 + k % 2, from = 70000 + (unsigned)(x >> 33) % 130000, by = 4096 + (unsigned)(x >> 17) % 300000;
		n += (size_t)snprintf(threaded + n, cap - n, "T%u a %u %u\nT%u r %u %u %u\nT%u f %u\n", t, t, from, t, t, t,
		                      from + by, t, t);
	}
	sim_touch touches[] = {SIM_TOUCH_ALL, SIM_TOUCH_NONE};
	for (size_t k = 0; k < 2; k++) {
		size_t shrinks = cheap_equals_full_threaded(threaded, n, tunables, touches[k], ROUNDS * 3 + 2, &mallinfos,
		                                            &scans, &handoffs);
		ck_assert_msg(shrinks > ROUNDS / 2, "touch %zu: %zu shrinks", k, shrinks);
		ck_assert_msg(mallinfos <= 4, "touch %zu: mallinfo ran %lu times", k, mallinfos);
	}
	free(threaded);
	free(text);
}
END_TEST

/* Whether this machine lets a program set its FS base (the replayer then
 * makes every trace thread's calls in one kernel thread: `# threads
 * fsbase`). */
static bool fsbase_here(void)
{
#if defined(__x86_64__)
	return (getauxval(AT_HWCAP2) & 2) != 0; /* HWCAP2_FSGSBASE */
#else
	return false;
#endif
}

/* Replays text with BRKSIM_REPLAY_THREADS=way (NULL: unset); checks the
 * `# threads` line says `expect_way` and returns the result lines (arena
 * column included) and the `handoffs=` count. */
static char *replay_threads_way(const char *text, size_t len, const char *tunables, sim_touch touch, const char *way,
                                const char *expect_way, unsigned long *handoffs)
{
	if (way)
		ck_assert_int_eq(setenv("BRKSIM_REPLAY_THREADS", way, 1), 0);
	else
		ck_assert_int_eq(unsetenv("BRKSIM_REPLAY_THREADS"), 0);
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	replay_tuned(text, len, tunables, touch, false, &raw, &res);
	char line[64];
	snprintf(line, sizeof line, "\n# threads %s\n", expect_way);
	ck_assert_msg(strstr(raw.out, line) != NULL, "no `%s` line (BRKSIM_REPLAY_THREADS=%s)", line + 1,
	              way ? way : "(unset)");
	const char *at = strstr(raw.out, "\n# full top=");
	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(sscanf(at, "\n# full top=%*u rss=%*u handoffs=%lu", handoffs), 1);
	size_t cap = 4096, n = 0;
	char *lines = malloc(cap);
	lines[0] = '\0';
	for (size_t i = 0; i < res.count; i++) {
		ck_assert(res.items[i].has_arenas);
		char one[4096];
		ops_result_format(&res.items[i], res.arenas, one, sizeof one);
		size_t l = strlen(one);
		ck_assert_uint_lt(l, sizeof one - 1); /* not cut short */
		if (n + l + 2 > cap) {
			cap = (n + l + 2) * 2;
			lines = realloc(lines, cap);
			ck_assert_ptr_nonnull(lines);
		}
		memcpy(lines + n, one, l);
		n += l;
		lines[n++] = '\n';
		lines[n] = '\0';
	}
	ops_results_release(&res);
	verify_replay_output_release(&raw);
	return lines;
}

/* The two ways of making a trace thread's calls (replay.c: one kernel
 * thread switching its FS base to the thread's, or each thread's own
 * kernel thread woken in turn) give the same line for every op, arena
 * column and all, on four random multi-thread traces (up to 12 threads at
 * once, threads exiting and numbers used again, cross-thread frees,
 * arena caps, with and without page writes; no memalign, whose chunk
 * depends on the initial break); the replayer says which
 * way it took, and takes fsbase by itself where the CPU allows it. */
START_TEST(test_threads_both_ways_agree)
{
	const char *mine = fsbase_here() ? "fsbase" : "handoff";
	size_t differing_runs = 0;
	for (uint64_t seed = 11; seed < 15; seed++) {
		sim_config config = random_trace_config_for(seed, RANDOM_GLIBC_2_36, SIM_GLIBC_2_36);
		random_trace_options o = random_trace_seed_options(seed, RANDOM_GLIBC_2_36, true, &config);
		o.op_count = 3000;
		o.max_live = 400;
		o.threads = 12;
		/* where an alignment above a page puts a chunk depends on the
		 * initial break, which moves from run to run (ASLR) */
		o.allow_memalign = false;
		sim_op *ops;
		size_t count;
		ck_assert(random_trace_generate(seed, &o, &ops, &count));
		char tunables[512];
		ops_text_tunables(&config, tunables, sizeof tunables);
		size_t len;
		char *text = ops_text_write(ops, count, NULL, config.touch, &len);
		ck_assert_ptr_nonnull(text);
		unsigned long own, fs, hand;
		char *a = replay_threads_way(text, len, tunables, config.touch, NULL, mine, &own);
		char *c = replay_threads_way(text, len, tunables, config.touch, "handoff", "handoff", &hand);
		ck_assert_msg(strcmp(a, c) == 0, "seed %llu: the two ways differ", (unsigned long long)seed);
		ck_assert_uint_eq(own, hand);
		ck_assert_uint_gt(hand, 10);
		differing_runs += hand;
		if (fsbase_here()) {
			char *b = replay_threads_way(text, len, tunables, config.touch, "fsbase", "fsbase", &fs);
			ck_assert_str_eq(a, b);
			ck_assert_uint_eq(fs, hand);
			free(b);
		}
		free(a);
		free(c);
		free(text);
		free(ops);
	}
	ck_assert_uint_gt(differing_runs, 600);
}
END_TEST

/* Each trace thread has its own tcache, also when every thread shares
 * main_arena (arena_max 1: reused_arena hands it out): a chunk thread 1
 * frees stays in thread 1's tcache, so thread 2's malloc of that size is
 * carved from the top, and thread 1's next one gets the freed chunk
 * back (tcache_get). A replay that made the calls on the wrong thread's
 * TLS would give thread 2 the freed chunk. Then the threads' own arenas
 * (arena_max unset: each new thread gets a new arena, A1 and A2). */
START_TEST(test_threads_have_their_own_tcache_and_arena)
{
	static const char shared[] = "n 1\nn 2\n"
	                             "T1 a 1 24\n"  /* line 3 */
	                             "T1 f 1\n"     /* into thread 1's tcache */
	                             "T2 a 2 24\n"  /* line 5: a new chunk */
	                             "T1 a 3 24\n"  /* line 6: line 3's chunk */
	                             "T2 f 2\n"
	                             "T2 a 4 24\n"  /* line 8: line 5's chunk */
	                             "T1 x\nT2 x\n";
	static const char own[] = "n 1\nn 2\nT1 a 1 24\nT2 a 2 24\nT1 x\nT2 x\n";
	for (int way = 0; way < 2; way++) {
		if (way == 1)
			ck_assert_int_eq(setenv("BRKSIM_REPLAY_THREADS", "handoff", 1), 0);
		verify_replay_output raw;
		ops_results res;
		ops_results_init(&res);
		replay_tuned(shared, sizeof shared - 1, "glibc.malloc.arena_max=1", SIM_TOUCH_ALL, false, &raw, &res);
		ck_assert_uint_eq(res.count, 10);
		const ops_result *r = res.items;
		ck_assert_int_eq(r[2].ret_kind, SIM_RET_HEAP);
		ck_assert_int_eq(r[4].ret_kind, SIM_RET_HEAP);
		ck_assert_uint_ne(r[4].ret, r[2].ret);
		ck_assert_uint_eq(r[5].ret, r[2].ret);
		ck_assert_uint_eq(r[7].ret, r[4].ret);
		ck_assert_uint_eq(r[9].arena_count, 0); /* no arena besides main */
		ops_results_release(&res);
		verify_replay_output_release(&raw);

		ops_results_init(&res);
		replay_tuned(own, sizeof own - 1, "", SIM_TOUCH_ALL, false, &raw, &res);
		ck_assert_uint_eq(res.count, 6);
		ck_assert_int_eq(res.items[2].ret_kind, SIM_RET_ARENA);
		ck_assert_int_eq(res.items[3].ret_kind, SIM_RET_ARENA);
		ck_assert_uint_eq(res.items[2].ret_arena, 1);
		ck_assert_uint_eq(res.items[3].ret_arena, 2);
		ck_assert_uint_eq(res.items[5].arena_count, 2);
		ops_results_release(&res);
		verify_replay_output_release(&raw);
	}
}
END_TEST

/* The replay of `text` ends in glibc's abort on a double free from the
 * tcache, after `lines` result lines (those before it, flushed first). */
static void check_double_free_abort(const char *text, size_t len, size_t lines)
{
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, len, "", SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(!raw.exited);
	ck_assert_int_eq(raw.term_signal, SIGABRT);
	ck_assert(!res.ended);
	ck_assert_uint_eq(res.count, lines);
	ck_assert_msg(strstr(raw.err, "free(): double free detected in tcache 2") != NULL, "stderr: %s", raw.err);
	ops_results_release(&res);
	verify_replay_output_release(&raw);
}

/* glibc aborting inside a trace thread's call (a double free by thread
 * 1: its tcache's check) ends the replay with SIGABRT and glibc's
 * message, the lines before it out, in both ways (with fsbase the abort
 * runs on the main kernel thread under thread 1's TLS). */
START_TEST(test_abort_in_a_thread)
{
	static const char text[] = "n 1\nT1 a 1 100\nT1 f 1\nT1 f 1\n";
	for (int way = 0; way < 2; way++) {
		if (way == 1)
			ck_assert_int_eq(setenv("BRKSIM_REPLAY_THREADS", "handoff", 1), 0);
		check_double_free_abort(text, sizeof text - 1, 3);
	}
}
END_TEST

/* `T1 F`: thread 1 forks and the replay goes on in the child, where it
 * is the main thread: its arena (A1) serves the child's main thread;
 * the other arenas are on glibc's new free list, the oldest other first
 * (A2), then main. Each line once, the trailer once, exit 0; in both
 * ways. Then glibc aborting in the child: the replayer ends as it did. */
START_TEST(test_fork_in_a_thread)
{
	static const char text[] = "n 1\nT1 a 1 200\nn 2\nT2 a 2 24\nT2 f 2\n"
	                           "T1 F\n"
	                           "a 3 300\n"            /* line 7: thread 1's arena */
	                           "n 1\nT1 a 4 100\n"    /* line 9: the free list's head, A2 */
	                           "n 2\nT2 a 5 100\n"    /* line 11: then main's heap */
	                           "T1 x\nT2 x\n";
	static const char aborts[] = "n 1\nT1 a 1 100\nT1 F\nf 1\nf 1\n";
	for (int way = 0; way < 2; way++) {
		if (way == 1)
			ck_assert_int_eq(setenv("BRKSIM_REPLAY_THREADS", "handoff", 1), 0);
		verify_replay_output raw;
		ops_results res;
		ops_results_init(&res);
		replay_tuned(text, sizeof text - 1, "", SIM_TOUCH_ALL, false, &raw, &res);
		ck_assert_msg(raw.exited && raw.exit_status == 0, "%s", raw.err);
		ck_assert(res.ended);
		ck_assert_uint_eq(res.count, 13);
		const ops_result *r = res.items;
		ck_assert_int_eq(r[1].ret_kind, SIM_RET_ARENA);
		ck_assert_uint_eq(r[1].ret_arena, 1);
		ck_assert_int_eq(r[6].ret_kind, SIM_RET_ARENA);
		ck_assert_uint_eq(r[6].ret_arena, 1);
		ck_assert_int_eq(r[8].ret_kind, SIM_RET_ARENA);
		ck_assert_uint_eq(r[8].ret_arena, 2);
		ck_assert_int_eq(r[10].ret_kind, SIM_RET_HEAP);
		ck_assert_ptr_null(strstr(strstr(raw.out, "# end") + 1, "# end"));
		ops_results_release(&res);
		verify_replay_output_release(&raw);
		check_double_free_abort(aborts, sizeof aborts - 1, 4);
	}
}
END_TEST

/* BRKSIM_REPLAY_THREADS other than handoff or fsbase: exit 2, said. */
START_TEST(test_threads_way_unknown)
{
	check_env_refused("BRKSIM_REPLAY_THREADS", "spin", "n 1\nT1 a 1 100\nT1 x\n",
	                  "brksim-replay: error: BRKSIM_REPLAY_THREADS must be handoff or fsbase: spin\n");
}
END_TEST

START_TEST(test_version)
{
	char version[32], why[256];
	ck_assert_msg(verify_replayer_glibc_version(helper_replayer(), version, sizeof version, why, sizeof why), "%s",
	              why);
	ck_assert_str_eq(version, gnu_get_libc_version());
}
END_TEST

/* Results of every kind: mmap, null (calloc overflow, huge malloc), `=N`
 * for mallopt and malloc_trim, `-` for free (also free(NULL) of a slot
 * that holds NULL after realloc(p, 0)), realloc from NULL and to 0. */
/* A slot never given a pointer is garbage, not NULL: glibc rejects it. */
START_TEST(test_free_of_a_never_allocated_slot_aborts)
{
	static const char text[] = "a 1 100\n"
	                           "f 9\n";
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, sizeof text - 1, SIM_TUNABLES, SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(!res.ended);
	ck_assert_uint_eq(res.count, 1);
	ck_assert(!raw.exited);
	ck_assert_ptr_nonnull(strstr(raw.err, "free(): invalid pointer"));
	verify_replay_output_release(&raw);
	ops_results_release(&res);
}
END_TEST

START_TEST(test_result_kinds)
{
	static const char text[] = "a 1 2000000\n"          /* above the 1 MiB mmap threshold */
	                           "c 2 4611686018427387904 4\n" /* nmemb*size overflows: NULL */
	                           "a 3 18446744073709551615\n"  /* > PTRDIFF_MAX: NULL */
	                           "o -1 65536\n"                /* M_TRIM_THRESHOLD accepted: 1 */
	                           "o 1 200\n"                   /* M_MXFAST > 160 rejected: 0 */
	                           "r 4 - 100\n"                 /* realloc(NULL, 100) = malloc */
	                           "r 4 4 0\n"                   /* realloc(p, 0) frees: NULL */
	                           "f 4\n"                       /* free(NULL): slot 4 holds NULL */
	                           "t 0\n";
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, sizeof text - 1, SIM_TUNABLES, SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(res.ended);
	ck_assert_uint_eq(res.count, 9);
	ck_assert_int_eq(res.items[0].ret_kind, SIM_RET_MMAP);
	ck_assert_int_eq(res.items[1].ret_kind, SIM_RET_NULL);
	ck_assert_int_eq(res.items[2].ret_kind, SIM_RET_NULL);
	ck_assert(res.items[3].has_value && res.items[3].value == 1);
	ck_assert(res.items[4].has_value && res.items[4].value == 0);
	ck_assert_int_eq(res.items[5].ret_kind, SIM_RET_HEAP);
	ck_assert_int_eq(res.items[6].ret_kind, SIM_RET_NULL);
	ck_assert(res.items[7].ret_kind == SIM_RET_NONE && !res.items[7].has_value);
	ck_assert(res.items[8].has_value);
	ops_results_release(&res);
	verify_replay_output_release(&raw);
}
END_TEST

/* --touch=none: the program never writes, so only pages glibc itself
 * writes are resident. After malloc(400000) with top_pad 0 those are page
 * 0 (the tcache struct, zeroed by tcache_init, and the chunk header) and
 * the page holding the new top's header at 0x290 + 0x61a90 = 0x61d20. */
START_TEST(test_touch_none)
{
	static const char text[] = "a 1 400000\n";
	verify_replay_output raw;
	ops_results all, none;
	ops_results_init(&all);
	ops_results_init(&none);
	helper_replay(text, sizeof text - 1, SIM_TUNABLES, SIM_TOUCH_ALL, false, &raw, &all);
	verify_replay_output_release(&raw);
	helper_replay(text, sizeof text - 1, SIM_TUNABLES, SIM_TOUCH_NONE, false, &raw, &none);
	verify_replay_output_release(&raw);
	ck_assert_uint_eq(all.items[0].rss, 98); /* facts §15 (d) */
	ck_assert_uint_eq(none.items[0].rss, 2);
	ck_assert_uint_eq(all.items[0].brk, none.items[0].brk);
	ops_results_release(&all);
	ops_results_release(&none);
}
END_TEST

/* --trim-every=N:PAD (brksim's what-if): malloc_trim(PAD) after every
 * Nth call, in its op's line. facts §15 (b)'s pinned top: `free 1` leaves
 * 0x30d50 free below the pin; trimmed there, its 47 whole free pages
 * leave RSS (50 pages → 3) while the break stays; the next op's line is
 * as without the trim. */
START_TEST(test_trim_every)
{
	static const char text[] = "a 1 200000\na 2 1000\nf 1\nf 2\n";
	ops_results plain, trimmed;
	for (int run = 0; run < 2; run++) {
		verify_replay_args args = {
			.replayer = helper_replayer(),
			.tunables = SIM_TUNABLES,
			.touch = SIM_TOUCH_ALL,
			.measure_top = true,
			.measure_rss = true,
			.trim_every = run == 0 ? 0 : 3,
		};
		verify_replay_output raw;
		ops_results *res = run == 0 ? &plain : &trimmed;
		ops_results_init(res);
		helper_replay_args(&args, text, sizeof text - 1, &raw, res);
		verify_replay_output_release(&raw);
		ck_assert_uint_eq(res->count, 4);
	}
	ck_assert_uint_eq(plain.items[2].rss, 50);
	ck_assert_uint_eq(trimmed.items[2].rss, 3);
	ck_assert_uint_eq(trimmed.items[2].brk, plain.items[2].brk);
	ck_assert_uint_eq(trimmed.items[1].rss, plain.items[1].rss);
	ck_assert_uint_eq(trimmed.items[3].brk, plain.items[3].brk);
	ops_results_release(&plain);
	ops_results_release(&trimmed);
}
END_TEST

/* A double free reaches glibc, which aborts with its own message; the
 * lines before it are flushed first. */
START_TEST(test_double_free_aborts)
{
	static const char text[] = "a 1 100\nf 1\nf 1\n";
	check_double_free_abort(text, sizeof text - 1, 2);
}
END_TEST

/* Bad lines: every one reported as file:line:col with the line and a
 * caret, exit status 2, nothing replayed. */
START_TEST(test_bad_trace)
{
	static const char text[] = "a 1 10\n"
	                           "q 2\n"
	                           "a\t1 zz\n"
	                           "r 1 - 5 6\n"
	                           "o -1 99999999999\n"
	                           "f\n"
	                           "a 67108864 1\n";
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, sizeof text - 1, "", SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(raw.exited);
	ck_assert_int_eq(raw.exit_status, 2);
	ck_assert_uint_eq(res.count, 0);
	ck_assert_str_eq(raw.err, "<stdin>:2:1: error: unknown op 'q', expected one of: a c r f A L P v V t o n x F b\n"
	                          "    2 | q 2\n"
	                          "      | ^\n"
	                          "<stdin>:3:5: error: expected a size (a decimal number)\n"
	                          "    3 | a\t1 zz\n"
	                          "      |  \t  ^\n"
	                          "<stdin>:4:9: error: unexpected text after the operands\n"
	                          "    4 | r 1 - 5 6\n"
	                          "      |         ^\n"
	                          "<stdin>:5:6: error: mallopt value out of range\n"
	                          "    5 | o -1 99999999999\n"
	                          "      |      ^\n"
	                          "<stdin>:6:2: error: expected a slot number\n"
	                          "    6 | f\n"
	                          "      |  ^\n"
	                          "<stdin>:7:3: error: slot number out of range\n"
	                          "    7 | a 67108864 1\n"
	                          "      |   ^\n");
	ops_results_release(&res);
	verify_replay_output_release(&raw);
}
END_TEST

static Suite *replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("facts");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_facts_examples);
	tcase_add_test(tc, test_walk_agrees_and_deterministic);
	tcase_add_test(tc, test_cheap_readings_equal_full_ones);
	tcase_add_test(tc, test_faults_asked_only_after_a_fault);
	tcase_add_test(tc, test_faults_way_unknown);
	tcase_add_loop_test(tc, test_cheap_readings_equal_full_ones_with_threads, 0, 2);
	suite_add_tcase(s, tc);
	tc = tcase_create("threads");
	/* 12 replays with some 80 thread starts each: on a busy machine each
	 * new thread waits its turn for a CPU */
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_threads_both_ways_agree);
	tcase_add_test(tc, test_threads_have_their_own_tcache_and_arena);
	tcase_add_test(tc, test_abort_in_a_thread);
	tcase_add_test(tc, test_fork_in_a_thread);
	tcase_add_test(tc, test_threads_way_unknown);
	suite_add_tcase(s, tc);
	tc = tcase_create("results");
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_result_kinds);
	tcase_add_test(tc, test_free_of_a_never_allocated_slot_aborts);
	tcase_add_test(tc, test_touch_none);
	tcase_add_test(tc, test_trim_every);
	tcase_add_test(tc, test_double_free_aborts);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_bad_trace);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(replay_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
