/* test-ops-text.c — the .ops text: writing, parsing, error messages (the
 * same as brksim-replay's), and the replayer's result lines. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/input_limits.h"
#include "verify/random_trace.h"

static sim_op make_op(sim_op_kind kind, sim_slot slot, sim_slot arg, uint64_t size)
{
	sim_op op;
	memset(&op, 0, sizeof op);
	op.kind = kind;
	op.slot = slot;
	op.arg_slot = arg;
	op.size = size;
	return op;
}

static bool ops_equal(const sim_op *a, const sim_op *b)
{
	return a->kind == b->kind && a->slot == b->slot && a->arg_slot == b->arg_slot && a->size == b->size &&
	       a->nmemb == b->nmemb && a->align == b->align && a->param == b->param && a->value == b->value &&
	       a->align_api == b->align_api;
}

START_TEST(test_write_exact)
{
	sim_op ops[8];
	ops[0] = make_op(SIM_OP_MALLOC, 1, SIM_NO_SLOT, 1000);
	ops[1] = make_op(SIM_OP_CALLOC, 2, SIM_NO_SLOT, 24);
	ops[1].nmemb = 3;
	ops[2] = make_op(SIM_OP_REALLOC, 3, SIM_NO_SLOT, 50);
	ops[3] = make_op(SIM_OP_REALLOC, 1, 1, 0);
	ops[4] = make_op(SIM_OP_FREE, 2, SIM_NO_SLOT, 0);
	ops[5] = make_op(SIM_OP_MEMALIGN, 4, SIM_NO_SLOT, 100);
	ops[5].align = 64;
	ops[6] = make_op(SIM_OP_TRIM, SIM_NO_SLOT, SIM_NO_SLOT, 4096);
	ops[7] = make_op(SIM_OP_MALLOPT, SIM_NO_SLOT, SIM_NO_SLOT, 0);
	ops[7].param = SIM_M_TRIM_THRESHOLD;
	ops[7].value = -5;
	size_t len;
	char *text = ops_text_write(ops, 8, "glibc.malloc.tcache_count=0", SIM_TOUCH_NONE, &len);
	ck_assert_str_eq(text, "# tunables: glibc.malloc.tcache_count=0\n"
	                       "# touch: none\n"
	                       "a 1 1000\n"
	                       "c 2 3 24\n"
	                       "r 3 - 50\n"
	                       "r 1 1 0\n"
	                       "f 2\n"
	                       "A 4 64 100\n"
	                       "t 4096\n"
	                       "o -1 -5\n");
	ck_assert_uint_eq(len, strlen(text));
	free(text);
}
END_TEST

/* Each call of the memalign family has its letter, both ways. */
START_TEST(test_memalign_family)
{
	static const char text[] = "A 1 64 100\nL 2 48 100\nP 3 24 100\nv 4 100\nV 5 8000\n";
	static const sim_align_api apis[] = {SIM_ALIGN_MEMALIGN, SIM_ALIGN_ALIGNED_ALLOC, SIM_ALIGN_POSIX_MEMALIGN,
	                                     SIM_ALIGN_VALLOC, SIM_ALIGN_PVALLOC};
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(ops_text_parse(text, sizeof text - 1, &trace, &diags));
	ck_assert_uint_eq(trace.count, 5);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(trace.ops[i].kind, SIM_OP_MEMALIGN);
		ck_assert_uint_eq(trace.ops[i].align_api, apis[i]);
		ck_assert_uint_eq(trace.ops[i].slot, i + 1);
	}
	ck_assert_uint_eq(trace.ops[2].align, 24);
	ck_assert_uint_eq(trace.ops[3].align, 4096); /* valloc: a page */
	ck_assert_uint_eq(trace.ops[4].size, 8000);  /* pvalloc: the size as called */
	size_t len;
	char *out = ops_text_write(trace.ops, trace.count, NULL, SIM_TOUCH_ALL, &len);
	ck_assert_str_eq(out, "A 1 64 100\nL 2 48 100\nP 3 24 100\nv 4 100\nV 5 8000\n");
	free(out);
	/* valloc and pvalloc take no alignment */
	ck_assert(!ops_text_parse("v 1 4096 100\n", 13, &trace, &diags));
	ck_assert_str_eq(diags.items[diags.count - 1].message, "unexpected text after the operands");
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* Random traces survive write -> parse unchanged, header included. */
/* Whether every file of a directory with `ext` looks like .ops as
 * ops_text_looks_like says; how many there were. */
static size_t files_look(const char *dir, const char *ext, bool want)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "%s", dir);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t l = strlen(e->d_name), k = strlen(ext);
		if (l <= k || strcmp(e->d_name + l - k, ext) != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		size_t len;
		char *text = helper_read_file(path, &len);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(ops_text_looks_like(text, len) == want, "%s: looks like .ops: %d", path, !want);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

/* A .ops text with no name to tell it (a pipe, "-") is known by its
 * lines: every .ops file of the tests and every random trace look like
 * one; no bundled lesson or scenario of the tests does, nor a text of
 * another format. */
START_TEST(test_looks_like_ops)
{
	const char *data = getenv("BRKSIM_VERIFY_DATA");
	ck_assert_ptr_nonnull(data);
	char dir[4096];
	size_t ops = 0, heaps = 0;
	const char *ops_dirs[] = {"facts", "regressions", "../app/data"};
	for (size_t i = 0; i < sizeof ops_dirs / sizeof *ops_dirs; i++) {
		snprintf(dir, sizeof dir, "%s/%s", data, ops_dirs[i]);
		ops += files_look(dir, ".ops", true);
	}
	const char *heap_dirs[] = {"../../scenarios", "../app/data", "../lang/data", "../gui/data"};
	for (size_t i = 0; i < sizeof heap_dirs / sizeof *heap_dirs; i++) {
		snprintf(dir, sizeof dir, "%s/%s", data, heap_dirs[i]);
		heaps += files_look(dir, ".heap", false);
	}
	ck_assert_uint_gt(ops, 10);
	ck_assert_uint_gt(heaps, 20);
	for (uint64_t seed = 1; seed <= 40; seed++) {
		random_trace_options o = random_trace_default_options();
		o.edges = seed % 2 == 0;
		o.threads = seed % 3 == 0 ? 4 : 0;
		sim_op *trace;
		size_t count;
		ck_assert(random_trace_generate(seed, &o, &trace, &count));
		size_t len;
		char *text = ops_text_write(trace, count, "glibc.malloc.top_pad=0", SIM_TOUCH_NONE, &len);
		ck_assert_msg(ops_text_looks_like(text, len), "seed %llu", (unsigned long long)seed);
		free(text);
		free(trace);
	}
	static const char *const not_ops[] = {
		"", "# only a comment\n", "a = malloc 10\n", "a\n", "f x\n", "malloc 10\n",
		"= Start\n@ ./a:[0x1] + 0x55 0x10\n", "20000\n3\n1\n1\na 0 10\n", "q 1 2\n", "T1\n",
		"a 1 10\nb = malloc 1\n",
	};
	for (size_t i = 0; i < sizeof not_ops / sizeof *not_ops; i++)
		ck_assert_msg(!ops_text_looks_like(not_ops[i], strlen(not_ops[i])), "'%s'", not_ops[i]);
	/* (a NUL is no op letter: strchr finds the letters' own terminator) */
	ck_assert(!ops_text_looks_like("\0 5\n", 4));
	static const char *const is_ops[] = {"# tunables: glibc.malloc.top_pad=0\na 1 10\n", "a 1 10", "T2 f 1\r\nT2 x\n",
	                                     "  o -1 0\n", "F\n"};
	for (size_t i = 0; i < sizeof is_ops / sizeof *is_ops; i++)
		ck_assert_msg(ops_text_looks_like(is_ops[i], strlen(is_ops[i])), "'%s'", is_ops[i]);
}
END_TEST

/* The lines written a piece at a time (ops_text_lines: what verify
 * feeds the replayer) are ops_text_write's, whatever the room (from one
 * longest line up), with threads, forks and the memalign family among
 * them; a room too small for the next line writes nothing and keeps it. */
START_TEST(test_lines_in_pieces)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		random_trace_options o = random_trace_default_options();
		o.edges = seed % 2 == 0;
		o.threads = seed % 3 == 0 ? 4 : 0;
		sim_op *ops;
		size_t count;
		ck_assert(random_trace_generate(seed, &o, &ops, &count));
		size_t len;
		char *whole = ops_text_write(ops, count, NULL, SIM_TOUCH_ALL, &len);
		size_t room = 128 + (size_t)seed * 37;
		char *joined = malloc(len + 1), *piece = malloc(room);
		size_t at = 0, used = 0;
		while (at < count) {
			size_t n = ops_text_lines(ops, count, &at, piece, room);
			ck_assert_uint_gt(n, 0);
			ck_assert_uint_le(used + n, len);
			memcpy(joined + used, piece, n);
			used += n;
		}
		ck_assert_uint_eq(used, len);
		ck_assert(memcmp(joined, whole, len) == 0);
		size_t none = 0;
		ck_assert_uint_eq(ops_text_lines(ops, count, &none, piece, 3), 0);
		ck_assert_uint_eq(none, 0);
		free(piece);
		free(joined);
		free(whole);
		free(ops);
	}
}
END_TEST

START_TEST(test_round_trip)
{
	for (uint64_t seed = 1; seed <= 100; seed++) {
		random_trace_options o = random_trace_default_options();
		o.edges = seed > 50; /* the memalign family's letters, odd alignments */
		sim_op *ops;
		size_t count;
		ck_assert(random_trace_generate(seed, &o, &ops, &count));
		sim_config cfg = random_trace_config(seed);
		char tun[512];
		ops_text_tunables(&cfg, tun, sizeof tun);
		size_t len;
		char *text = ops_text_write(ops, count, tun, cfg.touch, &len);
		ops_trace trace;
		ops_trace_init(&trace);
		diag_list diags;
		diag_list_init(&diags);
		ck_assert(ops_text_parse(text, len, &trace, &diags));
		ck_assert_uint_eq(diags.count, 0);
		ck_assert_uint_eq(trace.count, count);
		for (size_t i = 0; i < count; i++)
			ck_assert_msg(ops_equal(&trace.ops[i], &ops[i]), "seed %llu op %zu", (unsigned long long)seed, i);
		ck_assert_str_eq(trace.tunables ? trace.tunables : "", tun);
		ck_assert_int_eq(trace.touch, cfg.touch);
		diag_list_release(&diags);
		ops_trace_release(&trace);
		free(text);
		free(ops);
	}
}
END_TEST

START_TEST(test_parse_lines_and_comments)
{
	static const char text[] = "# a comment\n"
	                           "\n"
	                           "  a 7 10   # trailing comment\r\n"
	                           "\tr 8 - 0\n"
	                           "o 1 -0\n";
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(ops_text_parse(text, sizeof text - 1, &trace, &diags));
	ck_assert_uint_eq(trace.count, 3);
	ck_assert_uint_eq(trace.op_line[0], 3);
	ck_assert_uint_eq(trace.op_line[2], 5);
	ck_assert_uint_eq(trace.ops[0].slot, 7);
	ck_assert_uint_eq(trace.ops[1].arg_slot, SIM_NO_SLOT);
	ck_assert_uint_eq(trace.slot_count, 9);
	ck_assert_int_eq(trace.ops[2].param, SIM_M_MXFAST);
	ck_assert_ptr_null(trace.tunables);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

static const char bad_text[] = "a 1 10\n"
                               "q 2\n"
                               "a\t1 zz\n"
                               "r 1 - 5 6\n"
                               "o -1 99999999999\n"
                               "f\n"
                               "a 67108864 1\n"
                               "free 1\n"
                               "c 1 -2 3\n"
                               "a 1 18446744073709551616\n"
                               "n 2\n"
                               "n 2\n"
                               "T3 f 1\n"
                               "x\n"
                               "T70000 a 1 1\n"
                               "T2 x\n"
                               "T2\n";

/* `Tn F`: thread n forks; in the child only it runs, as thread 0, so
 * the other threads' numbers are free again and their calls are
 * errors. Written back the same. */
START_TEST(test_fork)
{
	static const char text[] = "n 1\nn 2\nT1 a 1 10\nT1 F\na 2 10\nT2 a 3 10\nn 2\nT2 a 3 10\nF\n";
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(!ops_text_parse(text, sizeof text - 1, &trace, &diags));
	ck_assert_uint_eq(diags.count, 1);
	char *r = diag_render(&diags.items[0], "t.ops", text, sizeof text - 1);
	ck_assert_msg(strncmp(r, "t.ops:6:1: error: thread 2 is not running here (start it first: n N)\n", 69) == 0,
	              "%s", r);
	free(r);
	ck_assert_uint_eq(trace.count, 8);
	ck_assert_int_eq(trace.ops[3].kind, SIM_OP_FORK);
	ck_assert_uint_eq(trace.ops[3].thread, 1);
	ck_assert_int_eq(trace.ops[7].kind, SIM_OP_FORK);
	ck_assert_uint_eq(trace.ops[7].thread, 0);
	size_t len;
	char *back = ops_text_write(trace.ops, trace.count, NULL, SIM_TOUCH_ALL, &len);
	ck_assert_str_eq(back, "n 1\nn 2\nT1 a 1 10\nT1 F\na 2 10\nn 2\nT2 a 3 10\nF\n");
	free(back);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* Every bad line reported, the exact first lines of the diagnostics, and
 * the op of the good line kept. */
START_TEST(test_errors_exact)
{
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(!ops_text_parse(bad_text, sizeof bad_text - 1, &trace, &diags));
	ck_assert_uint_eq(trace.count, 3);
	ck_assert_int_eq(trace.ops[1].kind, SIM_OP_THREAD_START);
	ck_assert_int_eq(trace.ops[1].value, 2);
	ck_assert_int_eq(trace.ops[2].kind, SIM_OP_THREAD_EXIT);
	ck_assert_uint_eq(trace.ops[2].thread, 2);
	static const char *const want[] = {
		"t.ops:2:1: error: unknown op 'q', expected one of: a c r f A L P v V t o n x F b",
		"t.ops:3:5: error: expected a size (a decimal number)",
		"t.ops:4:9: error: unexpected text after the operands",
		"t.ops:5:6: error: mallopt value out of range",
		"t.ops:6:2: error: expected a slot number",
		"t.ops:7:3: error: slot number out of range",
		"t.ops:8:1: error: unknown op 'free', expected one of: a c r f A L P v V t o n x F b",
		"t.ops:9:5: error: expected an element count (a decimal number)",
		"t.ops:10:5: error: size out of range",
		"t.ops:12:1: error: thread 2 is already running",
		"t.ops:13:1: error: thread 3 is not running here (start it first: n N)",
		"t.ops:14:1: error: the main thread does not exit (x needs a thread: Tn x)",
		"t.ops:15:1: error: thread number out of range",
		"t.ops:17:3: error: expected an op after the thread",
	};
	ck_assert_uint_eq(diags.count, sizeof want / sizeof want[0]);
	ck_assert_uint_eq(diags.error_count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < diags.count; i++) {
		char *r = diag_render(&diags.items[i], "t.ops", bad_text, sizeof bad_text - 1);
		size_t first = strcspn(r, "\n");
		ck_assert_msg(strlen(want[i]) == first && strncmp(r, want[i], first) == 0, "got: %s", r);
		free(r);
	}
	/* The caret line of the tab case copies the tab. */
	char *r = diag_render(&diags.items[1], "t.ops", bad_text, sizeof bad_text - 1);
	ck_assert_str_eq(r, "t.ops:3:5: error: expected a size (a decimal number)\n"
	                    "    3 | a\t1 zz\n"
	                    "      |  \t  ^~\n");
	free(r);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* What a walk of the text gave: its ops and lines, and for ops_text_fill
 * what the header held at the first take. */
typedef struct walked {
	sim_op ops[64];
	uint32_t lines[64];
	size_t count;
	/* ops_text_fill's reader: rooms of `room_size` ops (cycling through
	 * sizes when 0), no more after `stop_after` ops taken */
	size_t room_size, stop_after, takes;
	sim_op room_ops[8];
	uint32_t room_lines[8];
	const ops_trace *header;
	bool tunables_at_first;
} walked;

static bool walk_each(void *context, const sim_op *op, uint32_t line)
{
	walked *w = context;
	ck_assert_uint_lt(w->count, 64);
	w->ops[w->count] = *op;
	w->lines[w->count++] = line;
	return true;
}

static bool walk_take(void *context, size_t count, ops_text_room *room)
{
	walked *w = context;
	if (w->takes++ == 0) {
		ck_assert_uint_eq(count, 0);
		w->tunables_at_first = w->header->tunables != NULL;
	} else {
		ck_assert_uint_ge(count, 1);
		ck_assert_uint_le(count, room->room);
		ck_assert_ptr_eq(room->ops, w->room_ops);
	}
	for (size_t i = 0; i < count; i++) {
		ck_assert_uint_lt(w->count, 64);
		w->ops[w->count] = room->ops[i];
		w->lines[w->count++] = room->lines[i];
	}
	if (w->count >= w->stop_after)
		return false;
	size_t size = w->room_size ? w->room_size : 1 + w->takes % 8;
	*room = (ops_text_room){w->room_ops, w->room_lines, size};
	return true;
}

/* ops_text_fill gives the ops, lines, header and diagnostics that
 * ops_text_each gives, whatever room its reader offers; the header is
 * read when the room is first asked for; a reader that says stop gets
 * nothing more. */
START_TEST(test_fill_same_as_each)
{
	static const char *const texts[] = {
		"# tunables: glibc.malloc.top_pad=0\n# touch: none\na 1 10\nf 1\n",
		"a 0 24\r\nc 1 3 8\nr 2 - 100\nr 2 2 200\nf 2\n# mid\nT1 a 3 4\nf 0\nA 4 64 100",
		"a 1 10\nq 2\na\t1 zz\nf 1\n\n\nP 5 32 100\nL 6 64 10\nf 6\nv 7 5\nV 8 9\nt 0\no 1 1\nx\n",
		"",
		"# only a comment\n",
		"f 3\nf 4\nf 5\nf 6\nf 7\nf 8\nf 9\nf 10\nf 11\nf 12\nf 13\nf 14\nf 15\nf 16\nf 17\nf 18\nf 19",
	};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		const char *text = texts[t];
		size_t len = strlen(text);
		ops_trace h1;
		ops_trace_init(&h1);
		diag_list d1;
		diag_list_init(&d1);
		walked *a = calloc(1, sizeof *a);
		ck_assert_ptr_nonnull(a);
		bool ok1 = ops_text_each(text, len, &h1, &d1, walk_each, a);
		for (size_t room_size = 0; room_size <= 8; room_size++) {
			for (size_t stop = 1; stop <= a->count + 1; stop += a->count > 8 ? 5 : 1) {
				ops_trace h2;
				ops_trace_init(&h2);
				diag_list d2;
				diag_list_init(&d2);
				walked *b = calloc(1, sizeof *b);
				ck_assert_ptr_nonnull(b);
				b->room_size = room_size;
				b->stop_after = stop;
				b->header = &h2;
				bool ok2 = ops_text_fill(text, len, &h2, &d2, walk_take, b);
				size_t want = stop < a->count ? stop : a->count;
				if (stop < a->count)
					ck_assert_uint_ge(b->count, want); /* (a room's worth at most more) */
				else
					ck_assert_uint_eq(b->count, a->count);
				ck_assert_uint_eq(b->takes > 0, a->count > 0);
				for (size_t i = 0; i < b->count; i++) {
					ck_assert_msg(ops_equal(&a->ops[i], &b->ops[i]), "text %zu op %zu", t, i);
					ck_assert_uint_eq(a->ops[i].thread, b->ops[i].thread);
					ck_assert_uint_eq(a->lines[i], b->lines[i]);
				}
				if (stop > a->count) { /* walked to the end: the same verdict */
					ck_assert_int_eq(ok1, ok2);
					ck_assert_uint_eq(d1.count, d2.count);
					for (size_t i = 0; i < d1.count; i++) {
						char *r1 = diag_render(&d1.items[i], "t.ops", text, len);
						char *r2 = diag_render(&d2.items[i], "t.ops", text, len);
						ck_assert_str_eq(r1, r2);
						free(r1);
						free(r2);
					}
					ck_assert_int_eq(h1.tunables != NULL, h2.tunables != NULL);
					ck_assert_int_eq(h1.touch, h2.touch);
					if (a->count > 0)
						ck_assert_int_eq(b->tunables_at_first, h1.tunables != NULL);
				}
				free(b);
				diag_list_release(&d2);
				ops_trace_release(&h2);
			}
		}
		ck_assert_uint_gt(t == 3 || t == 4 ? 1 : a->count, 0);
		free(a);
		diag_list_release(&d1);
		ops_trace_release(&h1);
	}
}
END_TEST

/* brksim-replay words the same errors at the same places. */
START_TEST(test_errors_same_as_replayer)
{
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ops_text_parse(bad_text, sizeof bad_text - 1, &trace, &diags);
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(bad_text, sizeof bad_text - 1, "", SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(raw.exited && raw.exit_status == 2);
	/* Collect the replayer's "file:line:col: error: ..." lines. */
	size_t found = 0;
	const char *p = raw.err;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (strncmp(p, "<stdin>:", 8) == 0) {
			ck_assert_uint_lt(found, diags.count);
			char *r = diag_render(&diags.items[found], "<stdin>", bad_text, sizeof bad_text - 1);
			size_t first = strcspn(r, "\n");
			ck_assert_msg(first == n && strncmp(r, p, n) == 0, "replayer: %.*s\nops_text: %.*s", (int)n, p,
			              (int)first, r);
			free(r);
			found++;
		}
		p += n + (p[n] == '\n');
	}
	ck_assert_uint_eq(found, diags.count);
	ops_results_release(&res);
	verify_replay_output_release(&raw);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* A line over the input limit, and an unknown op made of control bytes:
 * the same errors from ops_text and from brksim-replay, escaped alike. */
START_TEST(test_limits_and_escapes_same_as_replayer)
{
	size_t fill = INPUT_MAX_LINE + 10;
	char *text = malloc(fill + 64);
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)sprintf(text, "a 1 10\n\x1b]0;x\x07 1 2\n");
	memset(text + n, 'x', fill);
	n += fill;
	n += (size_t)sprintf(text + n, "\nf 1\n");
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(!ops_text_parse(text, n, &trace, &diags));
	ck_assert_uint_eq(trace.count, 2);
	ck_assert_uint_eq(diags.count, 2);
	ck_assert_str_eq(diags.items[0].message, "unknown op '\\x1b]0;x\\x07', expected one of: a c r f A L P v V t o n x F b");
	ck_assert_str_eq(diags.items[1].message, "line is longer than 65536 bytes");
	ck_assert_uint_eq(diags.items[1].line, 3);
	ck_assert_uint_eq(diags.items[1].col, 65537);
	verify_replay_output raw;
	ops_results res;
	ops_results_init(&res);
	helper_replay(text, n, "", SIM_TOUCH_ALL, false, &raw, &res);
	ck_assert(raw.exited && raw.exit_status == 2);
	for (size_t i = 0; i < diags.count; i++) {
		char *r = diag_render(&diags.items[i], "<stdin>", text, n);
		size_t first = strcspn(r, "\n");
		r[first] = '\0';
		ck_assert_msg(strstr(raw.err, r) != NULL, "ops_text: %s\nreplayer:\n%s", r, raw.err);
		free(r);
	}
	ops_results_release(&res);
	verify_replay_output_release(&raw);
	diag_list_release(&diags);
	ops_trace_release(&trace);
	free(text);
}
END_TEST

START_TEST(test_touch_header_error)
{
	static const char text[] = "# touch: some\na 1 1\n";
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	ck_assert(!ops_text_parse(text, sizeof text - 1, &trace, &diags));
	char *r = diag_render(&diags.items[0], "t.ops", text, sizeof text - 1);
	ck_assert_str_eq(r, "t.ops:1:10: error: expected all or none after 'touch:'\n"
	                    "    1 | # touch: some\n"
	                    "      |          ^~~~\n");
	free(r);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* A bad `# tunables:` value is reported where it stands in the .ops text,
 * not at its column within the value; good settings still apply. */
START_TEST(test_tunables_header_errors_point_into_the_file)
{
	static const char text[] = "a 0 1\n";
	static const char header[] = "# comment\n#tunables:\tglibc.malloc.top_pad=0:glibc.malloc.mxfast=999\na 1 1\n";
	ops_trace trace;
	ops_trace_init(&trace);
	diag_list diags;
	diag_list_init(&diags);
	sim_config cfg = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(ops_text_parse(text, sizeof text - 1, &trace, &diags));
	ck_assert(ops_trace_apply_tunables(&trace, &cfg, &diags)); /* no header: nothing to do */
	ck_assert_uint_eq(diags.count, 0);
	ops_trace_release(&trace);

	ops_trace_init(&trace);
	ck_assert(ops_text_parse(header, sizeof header - 1, &trace, &diags));
	ck_assert(!ops_trace_apply_tunables(&trace, &cfg, &diags));
	ck_assert_uint_eq(cfg.value[SIM_SET_TOP_PAD], 0);
	ck_assert_uint_eq(diags.count, 1);
	char *r = diag_render(&diags.items[0], "t.ops", header, sizeof header - 1);
	ck_assert_str_eq(r, "t.ops:2:55: error: value 999 is out of range for 'glibc.malloc.mxfast' in glibc-2.36 (glibc "
	                    "would ignore it)\n"
	                    "    2 | #tunables:\tglibc.malloc.top_pad=0:glibc.malloc.mxfast=999\n"
	                    "      |           \t                                           ^~~\n");
	free(r);
	diag_list_release(&diags);
	ops_trace_release(&trace);
}
END_TEST

/* A result line with single spaces (read in one pass by the common
 * lines' reader) parses as the same line with its fields two spaces
 * apart (read by the general parser): accepted alike, to every field. */
START_TEST(test_result_line_fast_path_same_as_general)
{
	static const char *const lines[] = {
		"0x2a0 0x21000 0x20d50 1", "- 0x21000 0x20d50 1", "mmap 0x21000 ? ?", "null 0x0 0x0 0",
		"0xffffffffffffffff 0x1 0x2 9999999999999999999", "0x2a0 0x21000 0x20d50 18446744073709551615",
		"0x2a0 0x21000 0x20d50 18446744073709551616", "0x2a0 0x21000 ? 7", "- 0x1000 0x980 ?",
		"0x2A0 0x21000 0x20d50 1", "0x 0x1 0x1 1", "0x2a0 0x21000 0x20d50", "0x2a0 0x21000 0x20d50 1 -",
		"=5 0x1000 0x980 1", "0x2a0 0x21000 0x20d50 1x", "0x12345678901234567 0x1 0x1 1", "mmapx 0x1 0x1 1",
		"- 0x1 0xg 1", "-- 0x1 0x1 1", "nul 0x1 0x1 1", "0x2a0 0x21000 0x20d50 -1", "? 0x1 0x1 1",
		"0x2a0 0x21000 0x20d50 1 1/0x21000/0x20430/1,2/0x42000/0x1000/?", "- 0x1 0x1 1 1/0x21000/0x20430",
		"0x2a0 0x21000 0x20d50 1 1/0x21000/0x20430/1 x", "A1.0+0x8b0 0x21000 0x20d50 1 1/0x21000/0x20430/1",
		"A0.0+0x8b0 0x21000 0x20d50 1 -", "A1+0x8b0 0x21000 0x20d50 1 -", "A1.0+8b0 0x21000 0x20d50 1 -",
	};
	size_t accepted = 0;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char spread[128];
		size_t n = 0;
		for (const char *c = lines[i]; *c; c++) {
			spread[n++] = *c;
			if (*c == ' ')
				spread[n++] = ' ';
		}
		ops_result fast, general;
		bool a = ops_result_parse_line(lines[i], strlen(lines[i]), &fast);
		bool b = ops_result_parse_line(spread, n, &general);
		ck_assert_msg(a == b, "%s: %d against %d", lines[i], a, b);
		if (a)
			ck_assert_msg(memcmp(&fast, &general, sizeof fast) == 0, "%s", lines[i]);
		accepted += a;
	}
	ck_assert_uint_eq(accepted, 12);
}
END_TEST

START_TEST(test_result_lines)
{
	ops_result r;
	ck_assert(ops_result_parse_line("0x2a0 0x1000 0x980 1", 20, &r));
	ck_assert(r.ret_kind == SIM_RET_HEAP && r.ret == 0x2a0 && r.brk == 0x1000 && r.top == 0x980 && r.rss == 1);
	ck_assert(r.top_known && r.rss_known && !r.has_value);
	ck_assert(ops_result_parse_line("mmap 0x21000 ? ?", 16, &r));
	ck_assert(r.ret_kind == SIM_RET_MMAP && !r.top_known && !r.rss_known);
	ck_assert(ops_result_parse_line("=-1 0x0 0x0 0", 13, &r));
	ck_assert(r.has_value && r.value == -1 && r.ret_kind == SIM_RET_NONE);
	ck_assert(ops_result_parse_line("null 0x0 0x0 0", 14, &r));
	ck_assert(r.ret_kind == SIM_RET_NULL);
	static const char *const bad[] = {"", "0x2a0 0x1000 0x980", "0x2a0 0x1000 0x980 1 5", "2a0 0x1000 0x980 1",
	                                  "0x 0x1000 0x980 1", "- 0x1000 0x980 x", "=x 0x0 0x0 0",
	                                  "0x2A0 0x1000 0x980 1", "- 0x10000000000000000 0x0 0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!ops_result_parse_line(bad[i], strlen(bad[i]), &r), "accepted: %s", bad[i]);
	char buf[128];
	ck_assert(ops_result_parse_line("=1 0x63000 0xef0 3", 18, &r));
	ops_result_format(&r, NULL, buf, sizeof buf);
	ck_assert_str_eq(buf, "=1 0x63000 0xef0 3");

	static const char out[] = "# start brk=0x55d0c2a4b000\n0x2a0 0x1000 0x980 1\n- 0x1000 0x980 1\n=22 0x1000 0x980 1\n"
	                          "# end ops=3 glibc=2.36\n";
	ops_results rs;
	ops_results_init(&rs);
	ck_assert(ops_results_parse(out, sizeof out - 1, &rs, NULL));
	ck_assert_uint_eq(rs.count, 3);
	ck_assert(rs.ended);
	ck_assert_str_eq(rs.glibc, "2.36");
	ck_assert(rs.start_known);
	ck_assert_uint_eq(rs.start, 0x55d0c2a4b000ull);
	ck_assert(rs.items[2].has_value && rs.items[2].value == 22); /* a failed posix_memalign */
	ops_results_release(&rs);
	size_t bad_line = 0;
	ops_results_init(&rs);
	ck_assert(!ops_results_parse("# start brk=55d0\n", 17, &rs, &bad_line));
	ck_assert_uint_eq(bad_line, 1);
	ops_results_release(&rs);
	ops_results_init(&rs);
	ck_assert(ops_results_parse("- 0x0 0x0 0\n", 12, &rs, &bad_line));
	ck_assert(!rs.start_known);
	ops_results_release(&rs);
	ops_results_init(&rs);
	ck_assert(!ops_results_parse("0x2a0 0x1000 0x980 1\nbogus\n", 27, &rs, &bad_line));
	ck_assert_uint_eq(bad_line, 2);
	ops_results_release(&rs);
}
END_TEST

/* The replayer's output read a window of lines at a time
 * (ops_results_stream) gives every line, arena column and all (lines
 * sharing a column too), as the whole parse does, for windows of 1 to 8
 * lines; ops_results_scan gives the header, the trailer and the count of
 * result lines; a malformed line stops the stream with its line number,
 * as the whole parse reports it. */
START_TEST(test_result_stream)
{
	static const char out[] = "# start brk=0x55d0c2a4b000\n# cpus 4\n# threads fsbase\n"
	                          "0x2a0 0x1000 0x980 1 -\n"
	                          "A1.0+0x8a0 0x1000 0x980 1 1/0x21000/0x20430/1\n"
	                          "- 0x1000 0x980 1 1/0x21000/0x20430/1\n"
	                          "=22 0x1000 0x980 ? 1/0x21000/0x20430/1,1/0x21000/0x20000/?\n"
	                          "mmap 0x1000 0x980 2 1/0x21000/0x20430/1,1/0x21000/0x20000/?\n"
	                          "null 0x1000 ? 2 1/0x21000/0x20430/1,1/0x21000/0x20000/1\n"
	                          "- 0x0 0x0 0 -\n"
	                          "# end ops=7 glibc=2.36\n";
	ops_results whole;
	ops_results_init(&whole);
	ck_assert(ops_results_parse(out, sizeof out - 1, &whole, NULL));
	ck_assert_uint_eq(whole.count, 7);
	ops_results head;
	ops_results_init(&head);
	size_t lines = 0, bad = 0;
	ck_assert(ops_results_scan(out, sizeof out - 1, &head, &lines, &bad));
	ck_assert_uint_eq(lines, 7);
	ck_assert(head.start_known && head.start == 0x55d0c2a4b000ull && head.ended && head.cpus == 4);
	ck_assert_str_eq(head.glibc, "2.36");
	ck_assert_uint_eq(head.count, 0); /* no line kept */
	ops_results_release(&head);
	for (size_t window = 1; window <= 8; window++) {
		ops_results_stream st;
		ops_results_stream_init(&st, out, sizeof out - 1);
		size_t seen = 0;
		while (ops_results_stream_next(&st, window)) {
			ck_assert_uint_eq(st.first, seen);
			ck_assert_uint_le(st.window.count, window);
			for (size_t k = 0; k < st.window.count; k++, seen++) {
				char a[256], b[256];
				/* (a window whose columns are all `-` has no pool: NULL
				 * would leave the column out of the text) */
				static const ops_arena none;
				ops_result_format(&st.window.items[k], st.window.arenas ? st.window.arenas : &none, a, sizeof a);
				ops_result_format(&whole.items[seen], whole.arenas, b, sizeof b);
				ck_assert_str_eq(a, b);
			}
		}
		ck_assert(!st.failed);
		ck_assert_uint_eq(seen, 7);
		ck_assert(st.window.ended && st.window.start_known && st.window.cpus == 4);
		ops_results_stream_release(&st);
	}
	ops_results_release(&whole);

	static const char broken[] = "# start brk=0x1000\n0x2a0 0x1000 0x980 1\n- 0x1000 0x980 1\nbogus\n- 0x0 0x0 0\n";
	ops_results_stream st;
	ops_results_stream_init(&st, broken, sizeof broken - 1);
	ck_assert(ops_results_stream_next(&st, 2));
	ck_assert_uint_eq(st.window.count, 2);
	ck_assert(!ops_results_stream_next(&st, 2));
	ck_assert(st.failed);
	ck_assert_uint_eq(st.bad_line, 4);
	ck_assert(!ops_results_stream_next(&st, 2));
	ops_results_stream_release(&st);
	ops_results_init(&head);
	ck_assert(ops_results_scan(broken, sizeof broken - 1, &head, &lines, &bad));
	ck_assert_uint_eq(lines, 4); /* counted, not parsed */
	ck_assert(!ops_results_scan("# start brk=55d0\n- 0x0 0x0 0\n", 29, &head, &lines, &bad));
	ck_assert_uint_eq(bad, 1);
	ops_results_release(&head);
}
END_TEST

START_TEST(test_tunables_render)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	char buf[256];
	ck_assert_uint_eq(ops_text_tunables(&c, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	ck_assert(sim_config_set(&c, SIM_SET_TRIM_THRESHOLD, 65536));
	ck_assert(sim_config_set(&c, SIM_SET_TCACHE_COUNT, 0));
	ck_assert(sim_config_set(&c, SIM_SET_MXFAST, 0));
	ops_text_tunables(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "glibc.malloc.tcache_count=0:glibc.malloc.trim_threshold=65536:glibc.malloc.mxfast=0");
	char small[10];
	ck_assert_uint_eq(ops_text_tunables(&c, small, sizeof small), 9);
	ck_assert_str_eq(small, "glibc.mal");
}
END_TEST

static Suite *ops_text_suite(void)
{
	Suite *s = suite_create("ops_text");
	TCase *tc = tcase_create("write");
	tcase_add_test(tc, test_write_exact);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_lines_in_pieces);
	tcase_add_test(tc, test_looks_like_ops);
	tcase_add_test(tc, test_memalign_family);
	tcase_add_test(tc, test_tunables_render);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_lines_and_comments);
	tcase_add_test(tc, test_fill_same_as_each);
	tcase_add_test(tc, test_errors_exact);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_errors_same_as_replayer);
	tcase_add_test(tc, test_touch_header_error);
	tcase_add_test(tc, test_limits_and_escapes_same_as_replayer);
	tcase_add_test(tc, test_tunables_header_errors_point_into_the_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("results");
	tcase_add_test(tc, test_result_lines);
	tcase_add_test(tc, test_result_line_fast_path_same_as_general);
	tcase_add_test(tc, test_result_stream);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ops_text_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
