/* test-driver.c — verify_run and its report: match, divergence, skips and
 * errors. Divergences and odd replayers are produced with small fake
 * replayer scripts, so these paths are tested whatever the model's state. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "tests/common/test_files.h"

static char fake_dir[] = "/tmp/brksim-verify-test-XXXXXX";

/* Writes an executable /bin/sh script answering --version with `version`
 * and otherwise printing `body` (shell code; stdin is the trace). */
static char *fake_replayer(const char *name, const char *version, const char *body)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", fake_dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
	        "#!/bin/sh\n"
	        "if [ \"$1\" = --version ]; then echo 'glibc %s'; exit 0; fi\n"
	        "%s\n",
	        version, body);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	return path;
}

static sim_op op_of(sim_op_kind kind, sim_slot slot, uint64_t size)
{
	sim_op op;
	memset(&op, 0, sizeof op);
	op.kind = kind;
	op.slot = slot;
	op.arg_slot = SIM_NO_SLOT;
	op.size = size;
	return op;
}

static sim_config sim_settings(void)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	sim_config_set(&c, SIM_SET_TCACHE_COUNT, 0);
	sim_config_set(&c, SIM_SET_TOP_PAD, 0);
	sim_config_set(&c, SIM_SET_TRIM_THRESHOLD, 65536);
	sim_config_set(&c, SIM_SET_MMAP_THRESHOLD, 1048576);
	return c;
}

/* Facts §15 (a): 1000, 60000, free, 64000, free. */
static const sim_op facts_a[] = {
	{.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 1000},
	{.kind = SIM_OP_MALLOC, .slot = 2, .arg_slot = SIM_NO_SLOT, .size = 60000},
	{.kind = SIM_OP_FREE, .slot = 2, .arg_slot = SIM_NO_SLOT},
	{.kind = SIM_OP_MALLOC, .slot = 3, .arg_slot = SIM_NO_SLOT, .size = 64000},
	{.kind = SIM_OP_FREE, .slot = 3, .arg_slot = SIM_NO_SLOT},
};

static verify_request request_for(const sim_op *ops, size_t n, const char *replayer)
{
	verify_request r;
	memset(&r, 0, sizeof r);
	r.config = sim_settings();
	r.ops = ops;
	r.op_count = n;
	r.replayer = replayer;
	return r;
}

START_TEST(test_match_against_glibc)
{
	verify_request req = request_for(facts_a, 5, helper_replayer());
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert_str_eq(rep.message, "match: 5 of 5 ops identical to glibc 2.36 (glibc.malloc.tcache_count=0:"
	                              "glibc.malloc.trim_threshold=65536:glibc.malloc.top_pad=0:"
	                              "glibc.malloc.mmap_threshold=1048576)");
	ck_assert_uint_eq(rep.compare.ops_matched, 5);
	verify_report_release(&rep);
}
END_TEST

/* What a recording of a program doing facts_a saw, when its heap started
 * empty: the same pointers and breaks the model gives (which the match
 * above establishes against the real glibc). */
static void recorded_as_model(const verify_request *req, trace_recorded *rec)
{
	sim_heap *h = sim_heap_new(&req->config);
	sim_events ev;
	sim_events_init(&ev);
	for (size_t i = 0; i < req->op_count; i++) {
		sim_result r;
		ck_assert(sim_heap_step(h, &req->ops[i], &ev, &r));
		memset(&rec[i], 0, sizeof rec[i]);
		rec[i].ret_kind = r.ret_kind == SIM_RET_HEAP ? TRACE_RET_HEAP
		                  : r.ret_kind == SIM_RET_MMAP ? TRACE_RET_MMAP
		                  : r.ret_kind == SIM_RET_NULL ? TRACE_RET_NULL
		                                               : TRACE_RET_UNKNOWN;
		rec[i].ret = r.ret;
		rec[i].has_brk = true;
		rec[i].brk = r.brk;
	}
	sim_events_release(&ev);
	sim_heap_free(h);
}

/* With a recording, the real replay is compared with what the program
 * saw too: "match" only when both agree; a program whose heap did not
 * start empty (its first pointer elsewhere) is "not verified", with the
 * counts and the first difference, though the model matches the replay. */
START_TEST(test_replay_compared_with_the_recording)
{
	verify_request req = request_for(facts_a, 5, helper_replayer());
	trace_recorded rec[5];
	recorded_as_model(&req, rec);
	req.recorded = rec;
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert_msg(strstr(rep.message, "and that replay reproduces the recording (5 of 5 comparable ops: pointers "
	                                  "3/3, brk 5/5)") != NULL,
	              "%s", rep.message);
	verify_report_release(&rep);

	rec[1].ret += 0x1000; /* the program's second block was elsewhere */
	st = verify_run(&req, &rep);
	ck_assert_int_eq(st, VERIFY_SKIPPED);
	ck_assert_msg(strncmp(rep.message,
	                      "not verified: the model matches glibc 2.36 replaying these calls (5 of 5 ops), but that "
	                      "replay does not reproduce the recording: 4 of 5 comparable ops agree (pointers 2/3, brk "
	                      "5/5); first at op 2: returned +0x",
	                      strlen("not verified: the model matches glibc 2.36 replaying these calls (5 of 5 ops), but "
	                             "that replay does not reproduce the recording: 4 of 5 comparable ops agree (pointers "
	                             "2/3, brk 5/5); first at op 2: returned +0x")) == 0,
	              "%s", rep.message);
	ck_assert_uint_eq(rep.compare.ops_matched, 5);
	verify_report_release(&rep);

	/* a recording made on another glibc is not compared with this one's
	 * replay, and verify says so instead of "match" */
	req.recorded_glibc = "2.99";
	st = verify_run(&req, &rep);
	ck_assert_int_eq(st, VERIFY_SKIPPED);
	ck_assert_msg(strstr(rep.message, "verified in part: the model matches glibc 2.36 replaying these calls (5 of 5 "
	                                  "ops, ") != NULL &&
	                  strstr(rep.message, "but the recording was made on glibc 2.99, so whether the program's heap "
	                                      "is reproduced was not checked") != NULL,
	              "%s", rep.message);
	ck_assert(!rep.recorded_compared);
	verify_report_release(&rep);
}
END_TEST

/* A posix_memalign that fails in the recording and in the replay (its
 * `=22` line) agrees with the recording: both say the call failed. */
START_TEST(test_failed_posix_memalign_against_the_recording)
{
	sim_op ops[3] = {op_of(SIM_OP_MALLOC, 1, 100), op_of(SIM_OP_MEMALIGN, 2, 100), op_of(SIM_OP_FREE, 1, 0)};
	ops[1].align = 24;
	ops[1].align_api = SIM_ALIGN_POSIX_MEMALIGN;
	verify_request req = request_for(ops, 3, helper_replayer());
	trace_recorded rec[3];
	recorded_as_model(&req, rec);
	rec[1].has_value = true;
	rec[1].value = 22;
	ck_assert_int_eq(rec[1].ret_kind, TRACE_RET_NULL);
	req.recorded = rec;
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert(!rep.recorded_via_model); /* no alignment above a page: the replay itself */
	ck_assert_uint_eq(rep.recorded.matched, 3);
	verify_report_release(&rep);
}
END_TEST

/* With an alignment above a page the chunks of glibc's replay sit
 * elsewhere than the program's (its heap starts elsewhere modulo the
 * alignment), so the recording is compared with the model run from the
 * recorded heap's start, and the verdict says so in a sentence that
 * reads (it once named the model as the subject of "started" and left
 * "reproduces" without one). */
START_TEST(test_big_alignment_compares_the_recording_with_the_model)
{
	sim_op ops[4] = {op_of(SIM_OP_MALLOC, 1, 100), op_of(SIM_OP_MEMALIGN, 2, 200), op_of(SIM_OP_FREE, 2, 0),
	                 op_of(SIM_OP_FREE, 1, 0)};
	ops[1].align = 1 << 20;
	ops[1].align_api = SIM_ALIGN_MEMALIGN;
	verify_request req = request_for(ops, 4, helper_replayer());
	trace_recorded rec[4];
	recorded_as_model(&req, rec);
	req.recorded = rec;
	verify_report rep;
	/* (the replay's heap starts where ASLR puts it: in one run of 256 it
	 * falls at the recorded start modulo the alignment, and the recording
	 * is then compared with the real replay itself; another run puts it
	 * elsewhere) */
	verify_status st = verify_run(&req, &rep);
	for (int again = 0; again < 4 && st == VERIFY_MATCH && !rep.recorded_via_model; again++) {
		verify_report_release(&rep);
		st = verify_run(&req, &rep);
	}
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert(rep.recorded_via_model);
	ck_assert_msg(strstr(rep.message, "), and the model, run from the recorded heap's own start (an alignment above "
	                                  "a page puts the chunks of glibc's replay elsewhere), reproduces the recording "
	                                  "(4 of 4 comparable ops: ") != NULL,
	              "%s", rep.message);
	verify_report_release(&rep);
}
END_TEST

/* A replayer that crashes is an error that names its signal (the
 * report was read after its release, and said "signal 0"). */
START_TEST(test_crashed_replayer_names_its_signal)
{
	verify_request req = request_for(facts_a, 5, fake_replayer("crash", "2.36", "kill -SEGV $$"));
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_str_eq(rep.message, "the replayer was killed by signal 11, SIGSEGV");
	verify_report_release(&rep);
}
END_TEST

/* glibc 2.3.6 has no tunables: a 2.3.6 replayer (its development
 * oracle) gets the settings as the MALLOC_*_ variables its malloc reads
 * at start, not GLIBC_TUNABLES, which it never read (every lesson with a
 * setting "diverged" at op 1); a setting it has nothing for is left out
 * and said, and mxfast, which no variable carries, is not verified. */
START_TEST(test_2_3_6_gets_malloc_variables)
{
	char env_file[4200], body[4400];
	snprintf(env_file, sizeof env_file, "%s/env-236", fake_dir);
	snprintf(body, sizeof body, "env > '%s'\nexit 9", env_file);
	verify_request req = request_for(facts_a, 5, fake_replayer("old", "2.3.6", body));
	req.config = sim_config_defaults(SIM_GLIBC_2_36);
	sim_config_set(&req.config, SIM_SET_TCACHE_COUNT, 0);
	sim_config_set(&req.config, SIM_SET_TOP_PAD, 0);
	sim_config_set(&req.config, SIM_SET_TRIM_THRESHOLD, 65536);
	sim_config_set(&req.config, SIM_SET_MMAP_THRESHOLD, 262144);
	req.profile_auto = true;
	verify_report rep;
	(void)verify_run(&req, &rep); /* (the fake fails after writing its environment) */
	ck_assert(rep.malloc_variables);
	ck_assert_str_eq(rep.tunables, "MALLOC_TRIM_THRESHOLD_=65536 MALLOC_TOP_PAD_=0 MALLOC_MMAP_THRESHOLD_=262144; "
	                               "tcache_count left out: glibc 2.3.6 has none");
	size_t len;
	char *env = test_read_file(env_file, &len);
	ck_assert_ptr_nonnull(env);
	ck_assert_ptr_nonnull(strstr(env, "MALLOC_TRIM_THRESHOLD_=65536\n"));
	ck_assert_ptr_nonnull(strstr(env, "MALLOC_TOP_PAD_=0\n"));
	ck_assert_ptr_nonnull(strstr(env, "MALLOC_MMAP_THRESHOLD_=262144\n"));
	ck_assert_ptr_null(strstr(env, "GLIBC_TUNABLES"));
	free(env);
	verify_report_release(&rep);

	sim_config_set(&req.config, SIM_SET_MXFAST, 64);
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_SKIPPED);
	ck_assert_str_eq(rep.message, "not verified: glibc 2.3.6 takes mxfast from no variable, only from a mallopt "
	                              "call (put `mallopt M_MXFAST 64` first in the file instead of the setting)");
	verify_report_release(&rep);
}
END_TEST

/* A fake glibc whose break after op 2 is off: the first divergence is op
 * 2 in brk only, the other four ops match, the model's events are kept. */
START_TEST(test_divergence_reported)
{
	const char *fake = fake_replayer("brk-off", "2.36",
	                                 "echo '0x2a0 0x1000 0x980 1'\n"
	                                 "echo '0x690 0x11000 0xf10 16'\n"
	                                 "echo '- 0x10000 0xf980 16'\n"
	                                 "echo '0x690 0x11000 0xf70 17'\n"
	                                 "echo '- 0x1000 0x980 1'\n"
	                                 "echo '# end ops=5 glibc=2.36'");
	verify_request req = request_for(facts_a, 5, fake);
	req.fields = COMPARE_ALL & ~(unsigned)COMPARE_RSS;
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_DIVERGED);
	ck_assert_uint_eq(rep.compare.first.step, 1);
	ck_assert_uint_eq(rep.compare.first.mismatch, COMPARE_BRK);
	ck_assert_uint_eq(rep.compare.ops_compared, 5);
	ck_assert_uint_eq(rep.compare.ops_matched, 4);
	ck_assert_uint_gt(rep.compare.first.events.count, 0);
	/* op 2's own events (the comparison runs the model without events
	 * and makes them again for the op it reports): its malloc opens them */
	ck_assert_int_eq(rep.compare.first.events.items[0].kind, SIM_EV_ALLOC);
	ck_assert_str_eq(rep.message, "diverged at op 2 of 5; 4 of 5 compared ops matched");
	ck_assert_str_eq(rep.real_line, "0x690 0x11000 0xf10 16");
	char *text = verify_report_render(&req, &rep);
	ck_assert_ptr_nonnull(strstr(text, "  op 2: #2 = malloc(60000)\n"));
	ck_assert_ptr_nonnull(strstr(text, "    glibc 2.36   0x690 0x11000 0xf10 16\n"));
	ck_assert_ptr_nonnull(strstr(text, "    differs in: brk\n"));
	ck_assert_ptr_nonnull(strstr(text, "  the model's events at this op:\n"));
	free(text);
	verify_report_release(&rep);
	/* the same in Chinese (verify --lang zh): the verdict, the block's
	 * words and the model's events; the numbers and fields as they are */
	req.lang = SIM_LANG_ZH;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_DIVERGED);
	ck_assert_str_eq(rep.message, "在第 2 个操作出现分歧（共 5 个）；比较过的 5 个操作中 4 个一致");
	text = verify_report_render(&req, &rep);
	ck_assert_ptr_nonnull(strstr(text, "  第 2 个操作：#2 = malloc(60000)\n"));
	ck_assert_ptr_nonnull(strstr(text, "    模型：       0x690 "));
	ck_assert_ptr_nonnull(strstr(text, "    glibc 2.36   0x690 0x11000 0xf10 16\n"));
	ck_assert_ptr_nonnull(strstr(text, "    不同之处： brk\n"));
	ck_assert_ptr_nonnull(strstr(text, "  模型在这个操作的事件：\n"));
	ck_assert_ptr_nonnull(strstr(text, "    #2 = +0x690：60000 字节，块 0xea70 位于 +0x680，从 top 块切分\n"));
	ck_assert_ptr_nonnull(strstr(text, "  设置：GLIBC_TUNABLES="));
	ck_assert_ptr_null(strstr(text, "differs"));
	free(text);
	verify_report_release(&rep);
}
END_TEST

/* A divergence in the middle of a long trace, between two of the
 * replayer's full measurements (mallinfo runs every 16,384 ops and after
 * the last; in between the top is read through main_arena.top): the real
 * glibc here runs with fastbins off (mxfast=0, added by a wrapper around
 * the real replayer), the model with them on. Every allocation before is
 * too big for a fastbin, so both agree on each op until a 24-byte block,
 * the only chunk left below the top, is freed at op 20,002 of 30,000:
 * the real glibc merges it into the top (0x20 more), the model keeps it
 * in a fastbin. verify must name that op, and only the top. */
START_TEST(test_divergence_between_full_measurements)
{
	enum { BEFORE = 20000, AFTER = 9998, SLOTS = 64 };
	sim_op *ops = calloc(BEFORE + AFTER + 2, sizeof *ops);
	bool live[SLOTS + 1] = {false};
	size_t n = 0, live_count = 0;
	uint64_t x = 7;
	while (n + live_count < BEFORE) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		unsigned slot = 1 + (unsigned)(x >> 33) % SLOTS;
		ops[n++] = live[slot] ? op_of(SIM_OP_FREE, slot, 0) : op_of(SIM_OP_MALLOC, slot, 200 + (x >> 20) % 800);
		live_count += live[slot] ? (size_t)-1 : 1;
		live[slot] = !live[slot];
	}
	/* everything freed: each chunk merged with its free neighbours, the
	 * whole heap is the top again */
	for (unsigned slot = 1; slot <= SLOTS; slot++)
		if (live[slot])
			ops[n++] = op_of(SIM_OP_FREE, slot, 0);
	ops[n++] = op_of(SIM_OP_MALLOC, 100, 24);
	ops[n++] = op_of(SIM_OP_FREE, 100, 0);
	ck_assert_uint_eq(n, BEFORE + 2);
	while (n < BEFORE + 2 + AFTER) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		ops[n++] = op_of(SIM_OP_MALLOC, 200 + (unsigned)(x >> 33) % 50, 500);
	}
	char body[8192];
	snprintf(body, sizeof body, "GLIBC_TUNABLES=\"$GLIBC_TUNABLES:glibc.malloc.mxfast=0\" exec '%s' \"$@\"",
	         helper_replayer());
	const char *wrapper = fake_replayer("mxfast0", "2.36", body);
	verify_request req = request_for(ops, n, wrapper);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_DIVERGED);
	const compare_divergence *d = &rep.compare.first;
	ck_assert_uint_eq(d->step, BEFORE + 1); /* op 20,002: the free */
	ck_assert_uint_eq(d->mismatch, COMPARE_TOP);
	ck_assert(d->real_present && d->real.top_known);
	ck_assert_uint_eq(d->real.top, d->model.top_size + 0x20);
	ck_assert_uint_eq(d->real.brk, d->model.brk);
	char msg[128];
	snprintf(msg, sizeof msg, "diverged at op %d of %zu; ", BEFORE + 2, n);
	ck_assert_msg(strncmp(rep.message, msg, strlen(msg)) == 0, "%s", rep.message);
	char *text = verify_report_render(&req, &rep);
	ck_assert_ptr_nonnull(strstr(text, "  op 20002: free(#100)\n"));
	ck_assert_ptr_nonnull(strstr(text, "    differs in: top\n"));
	free(text);

	/* and the replayer read that top without mallinfo: it ran mallinfo
	 * only a handful of times in the 30,000 ops */
	size_t len;
	char *trace = ops_text_write(ops, n, NULL, SIM_TOUCH_ALL, &len);
	verify_replay_args args = {.replayer = wrapper, .tunables = rep.tunables, .touch = SIM_TOUCH_ALL,
	                           .measure_top = true, .measure_rss = true, .stats = true};
	verify_replay_output out;
	char why[256];
	ck_assert_msg(verify_replay_spawn(&args, trace, len, &out, why, sizeof why), "%s", why);
	const char *full = strstr(out.out, "\n# full top=");
	ck_assert_ptr_nonnull(full);
	unsigned long top_full = 0;
	ck_assert_int_eq(sscanf(full, "\n# full top=%lu", &top_full), 1);
	ck_assert_msg(top_full <= 8, "mallinfo ran %lu times", top_full);
	verify_replay_output_release(&out);
	free(trace);
	verify_report_release(&rep);
	free(ops);
}
END_TEST

/* A divergence in the middle of a trace thread's run of ops: the replayer
 * hands thread 1 its consecutive ops as one run (one wake-up), and it must
 * still measure and print each op itself, so the divergence is reported at
 * its op and thread, not at the end of the run. As above, the real glibc
 * runs with fastbins off: thread 1 fills and empties its arena with chunks
 * too big for a fastbin, then frees a 24-byte block lying below its
 * arena's top, in the middle of its 401-op run: the real glibc merges it
 * into the arena's top (0x20 more), the model keeps it in a fastbin. */
START_TEST(test_divergence_inside_a_thread_run)
{
	enum { BEFORE = 300, AFTER = 100, SLOTS = 64, MAIN_OPS = 5 };
	sim_op *ops = calloc(BEFORE + AFTER + SLOTS + MAIN_OPS * 2 + 8, sizeof *ops);
	bool live[SLOTS + 1] = {false};
	size_t n = 0;
	for (unsigned k = 0; k < MAIN_OPS; k++)
		ops[n++] = op_of(SIM_OP_MALLOC, 200 + k, 100 + k);
	sim_op start = op_of(SIM_OP_THREAD_START, SIM_NO_SLOT, 0);
	start.value = 1;
	ops[n++] = start;
	size_t run_from = n;
	uint64_t x = 11;
	while (n - run_from < BEFORE) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		unsigned slot = 1 + (unsigned)(x >> 33) % SLOTS;
		ops[n++] = live[slot] ? op_of(SIM_OP_FREE, slot, 0) : op_of(SIM_OP_MALLOC, slot, 200 + (x >> 20) % 800);
		live[slot] = !live[slot];
	}
	for (unsigned slot = 1; slot <= SLOTS; slot++)
		if (live[slot])
			ops[n++] = op_of(SIM_OP_FREE, slot, 0);
	ops[n++] = op_of(SIM_OP_MALLOC, 100, 24);
	size_t diverging = n;
	ops[n++] = op_of(SIM_OP_FREE, 100, 0);
	for (unsigned k = 0; k < AFTER; k++)
		ops[n++] = op_of(SIM_OP_MALLOC, 101 + k, 500);
	size_t run_to = n;
	for (size_t i = run_from; i < run_to; i++)
		ops[i].thread = 1;
	sim_op exit_op = op_of(SIM_OP_THREAD_EXIT, SIM_NO_SLOT, 0);
	exit_op.thread = 1;
	ops[n++] = exit_op;
	for (unsigned k = 0; k < MAIN_OPS; k++)
		ops[n++] = op_of(SIM_OP_FREE, 200 + k, 0);
	ck_assert_uint_gt(diverging - run_from, 300); /* in the middle of the run */
	ck_assert_uint_gt(run_to - diverging, 100);

	char body[8192];
	snprintf(body, sizeof body, "GLIBC_TUNABLES=\"$GLIBC_TUNABLES:glibc.malloc.mxfast=0\" exec '%s' \"$@\"",
	         helper_replayer());
	const char *wrapper = fake_replayer("mxfast0-thread", "2.36", body);
	verify_request req = request_for(ops, n, wrapper);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_DIVERGED);
	const compare_divergence *d = &rep.compare.first;
	ck_assert_uint_eq(d->step, diverging);
	ck_assert_uint_eq(d->mismatch, COMPARE_ARENAS); /* the arena's top; the main heap agrees */
	ck_assert(d->real_present);
	ck_assert_uint_eq(d->real.brk, d->model.brk);
	char msg[128];
	snprintf(msg, sizeof msg, "diverged at op %zu of %zu; ", diverging + 1, n);
	ck_assert_msg(strncmp(rep.message, msg, strlen(msg)) == 0, "%s", rep.message);
	char *text = verify_report_render(&req, &rep);
	snprintf(msg, sizeof msg, "  op %zu: thread 1: free(#100)\n", diverging + 1);
	ck_assert_msg(strstr(text, msg) != NULL, "%s", text);
	free(text);

	/* and the replayer handed thread 1 its ops as one run */
	size_t len;
	char *trace = ops_text_write(ops, n, NULL, SIM_TOUCH_ALL, &len);
	verify_replay_args args = {.replayer = wrapper, .tunables = rep.tunables, .touch = SIM_TOUCH_ALL,
	                           .measure_top = true, .measure_rss = true, .stats = true};
	verify_replay_output out;
	char why[256];
	ck_assert_msg(verify_replay_spawn(&args, trace, len, &out, why, sizeof why), "%s", why);
	const char *full = strstr(out.out, "\n# full top=");
	ck_assert_ptr_nonnull(full);
	unsigned long top_full = 0, rss_full = 0, handoffs = 0;
	ck_assert_int_eq(sscanf(full, "\n# full top=%lu rss=%lu handoffs=%lu", &top_full, &rss_full, &handoffs), 3);
	ck_assert_uint_eq(handoffs, 1);
	verify_replay_output_release(&out);
	free(trace);
	verify_report_release(&rep);
	free(ops);
}
END_TEST

/* The replayer exits 4 when a full measurement contradicts a cheap
 * reading it already printed: verify replays again measuring in full
 * after every op (--top=mallinfo --rss=scan), and says so. */
START_TEST(test_contradicted_cheap_readings_replay_in_full)
{
	char body[8192];
	snprintf(body, sizeof body,
	         "case \" $* \" in *\" --top=mallinfo --rss=scan \"*) exec '%s' \"$@\";; esac\n"
	         "echo 'brksim-replay: error: a heap page became resident without a page fault between op 1 and op 5: "
	         "rerun with --rss=scan' >&2\nexit 4",
	         helper_replayer());
	verify_request req = request_for(facts_a, 5, fake_replayer("lost", "2.36", body));
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert_ptr_nonnull(strstr(rep.replay_note, "became resident without a page fault"));
	char *text = verify_report_render(&req, &rep);
	ck_assert_ptr_nonnull(strstr(text, "  note: replayed twice: the first replay stopped (brksim-replay: error: a "
	                                   "heap page became resident"));
	free(text);
	verify_report_release(&rep);

	/* no note when the first replay is trusted */
	req.replayer = helper_replayer();
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_MATCH);
	ck_assert_str_eq(rep.replay_note, "");
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_slot_names_and_lines_in_report)
{
	const char *fake = fake_replayer("ret-off", "2.36",
	                                 "echo '0x2b0 0x1000 0x980 1'\n"
	                                 "echo '# end ops=1 glibc=2.36'");
	static const char *const names[] = {"unused", "buf"};
	static const uint32_t lines[] = {7};
	verify_request req = request_for(facts_a, 1, fake);
	req.slot_names = names;
	req.slot_count = 2;
	req.op_line = lines;
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_DIVERGED);
	ck_assert(rep.compare.first.mismatch & COMPARE_RET);
	char *text = verify_report_render(&req, &rep);
	ck_assert_ptr_nonnull(strstr(text, "  op 1 (line 7): buf = malloc(1000)\n"));
	free(text);
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_other_glibc_skips)
{
	const char *fake = fake_replayer("old-glibc", "2.35", "exit 9");
	verify_request req = request_for(facts_a, 5, fake);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_SKIPPED);
	ck_assert_str_eq(rep.message, "not verified: profile glibc-2.36 needs glibc 2.36, but this machine runs glibc 2.35 "
	                              "(replay on a real 2.36 with --glibc 2.36, or compare with glibc 2.35's own profile "
	                              "with --profile auto)");
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_old_profile_skips)
{
	verify_request req = request_for(facts_a, 5, helper_replayer());
	req.config = sim_config_defaults(SIM_GLIBC_2_3_6);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_SKIPPED);
	ck_assert_ptr_nonnull(strstr(rep.message, "profile glibc-2.3.6 cannot be checked against a real allocator here"));
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_uncovered_inputs_skip)
{
	verify_request req = request_for(facts_a, 5, helper_replayer());
	req.foreign_thread_ops = 12;
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_SKIPPED);
	/* (the model covers threads: only calls the import left out, an
	 * ltrace file's other pids or threads past the model's limit, stop
	 * the verdict; it once said the model did not cover threads) */
	ck_assert_str_eq(rep.message, "not verified: 12 calls from other threads or processes are left out of the "
	                              "replay (the import says why), and replaying the rest alone would not be the "
	                              "same program");
	verify_report_release(&rep);
	req.foreign_thread_ops = 0;
	/* a break moved outside the recorded calls stops nothing: the
	 * recorded brk comes less it (the importer's), and the verdict names
	 * it where the recording is not reproduced (the CLI's tests) */
	req.brk_moved_op = 3;
	req.brk_moved_line = 12;
	req.brk_moved_from = 0x21000;
	req.brk_moved_to = 0x23000;
	req.brk_moved_count = 1;
	req.brk_moved_total = 0x2000;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_MATCH);
	ck_assert_uint_eq(rep.compare.ops_total, 5);
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_replayer_failures_are_errors)
{
	verify_request req = request_for(facts_a, 5, fake_replayer("fails", "2.36", "echo 'boom' >&2; exit 2"));
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_str_eq(rep.message, "the replayer failed (exit status 2): boom\n");
	verify_report_release(&rep);

	req.replayer = fake_replayer("short", "2.36", "echo '0x2a0 0x1000 0x980 1'; echo '# end ops=1 glibc=2.36'");
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_str_eq(rep.message, "the replayer printed 1 results for 5 ops");
	verify_report_release(&rep);

	req.replayer = fake_replayer("garbage", "2.36", "echo 'hello world'");
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_str_eq(rep.message, "the replayer printed a malformed line 1");
	verify_report_release(&rep);

	req.replayer = "/nonexistent/brksim-replay";
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_ptr_nonnull(strstr(rep.message, "cannot ask the replayer for the glibc version"));
	verify_report_release(&rep);
}
END_TEST

/* A replayer that prints nothing on stderr: the stderr text is "" (the
 * buffer was once allocated but never NUL-terminated, so reports read
 * whatever malloc left there; meson's MALLOC_PERTURB_ makes that visible). */
START_TEST(test_empty_stderr_is_empty_string)
{
	verify_replay_args args = {.replayer = fake_replayer("quiet", "2.36", "cat >/dev/null; printf 'x'"),
	                           .touch = SIM_TOUCH_ALL};
	verify_replay_output out;
	char why[256] = "";
	ck_assert_msg(verify_replay_spawn(&args, "a 0 1\n", 6, &out, why, sizeof why), "%s", why);
	ck_assert_uint_eq(out.err_len, 0);
	ck_assert_str_eq(out.err, "");
	ck_assert_str_eq(out.out, "x");
	verify_replay_output_release(&out);
}
END_TEST

/* The replayer's stdout is a memory file mapped when it has exited: all
 * of it (300,000 bytes, more than a pipe holds), NUL-terminated; and a
 * replayer that closes its stderr and goes on writing is waited for, so
 * what it writes after is there too. */
START_TEST(test_output_read_whole_after_exit)
{
	verify_replay_args args = {
		.replayer = fake_replayer("big", "2.36", "cat >/dev/null; head -c 300000 /dev/zero | tr '\\0' a"),
		.touch = SIM_TOUCH_ALL};
	verify_replay_output out;
	char why[256] = "";
	ck_assert_msg(verify_replay_spawn(&args, "a 0 1\n", 6, &out, why, sizeof why), "%s", why);
	ck_assert(out.exited && out.exit_status == 0);
	ck_assert_uint_eq(out.out_len, 300000);
	ck_assert_uint_eq(out.out_mapped, 300001); /* the file's pages, not a copy */
	ck_assert_uint_eq(strlen(out.out), 300000);
	ck_assert_int_eq(out.out[0], 'a');
	ck_assert_int_eq(out.out[299999], 'a');
	verify_replay_output_release(&out);

	args.replayer = fake_replayer("late", "2.36", "cat >/dev/null; exec 2>&-; sleep 0.3; printf late; exit 3");
	ck_assert_msg(verify_replay_spawn(&args, "a 0 1\n", 6, &out, why, sizeof why), "%s", why);
	ck_assert(out.exited);
	ck_assert_int_eq(out.exit_status, 3);
	ck_assert_str_eq(out.out, "late");
	ck_assert_str_eq(out.err, "");
	verify_replay_output_release(&out);
}
END_TEST

/* A double free: glibc aborts in the third op with its tcache message;
 * the model must end its timeline there with the same message. */
START_TEST(test_abort_compared)
{
	sim_op ops[3] = {op_of(SIM_OP_MALLOC, 1, 100), op_of(SIM_OP_FREE, 1, 0), op_of(SIM_OP_FREE, 1, 0)};
	verify_request req = request_for(ops, 3, helper_replayer());
	req.config = sim_config_defaults(SIM_GLIBC_2_36);
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	char *text = verify_report_render(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", text);
	ck_assert(rep.compare.model_aborted);
	ck_assert_ptr_nonnull(strstr(rep.real_stderr, "free(): double free detected in tcache 2"));
	free(text);
	verify_report_release(&rep);
}
END_TEST

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(fake_dir));
}

static void teardown(void)
{
	static const char *const names[] = {"brk-off", "ret-off", "old-glibc", "fails", "short", "garbage", "quiet",
	                                     "mxfast0", "lost"};
	char path[4096];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fake_dir, names[i]);
		unlink(path);
	}
	rmdir(fake_dir);
	strcpy(fake_dir, "/tmp/brksim-verify-test-XXXXXX");
}

int main(void)
{
	Suite *s = suite_create("driver");
	TCase *tc = tcase_create("verify_run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_match_against_glibc);
	tcase_add_test(tc, test_replay_compared_with_the_recording);
	tcase_add_test(tc, test_failed_posix_memalign_against_the_recording);
	tcase_add_test(tc, test_big_alignment_compares_the_recording_with_the_model);
	tcase_add_test(tc, test_divergence_reported);
	tcase_add_test(tc, test_2_3_6_gets_malloc_variables);
	tcase_add_test(tc, test_crashed_replayer_names_its_signal);
	tcase_add_test(tc, test_divergence_between_full_measurements);
	tcase_add_test(tc, test_divergence_inside_a_thread_run);
	tcase_add_test(tc, test_contradicted_cheap_readings_replay_in_full);
	tcase_add_test(tc, test_slot_names_and_lines_in_report);
	tcase_add_test(tc, test_other_glibc_skips);
	tcase_add_test(tc, test_old_profile_skips);
	tcase_add_test(tc, test_uncovered_inputs_skip);
	tcase_add_test(tc, test_replayer_failures_are_errors);
	tcase_add_test(tc, test_abort_compared);
	tcase_add_test(tc, test_empty_stderr_is_empty_string);
	tcase_add_test(tc, test_output_read_whole_after_exit);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
