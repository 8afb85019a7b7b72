/* test-op-pack.c — app/op_pack.c gives back every op, line and recorded
 * result exactly as they were added: every field at its edges (no slot,
 * the largest numbers, negative parameters and values, lines that go
 * back, a break that moves and comes back), in long random runs, and
 * across the pack's growth. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/op_pack.h"
#include "tests/common/alloc_fail.h"

typedef struct item {
	sim_op op;
	uint32_t line;
	trace_recorded rec;
} item;

static void assert_same(const item *want, const sim_op *op, uint32_t line, const trace_recorded *rec, size_t i)
{
	ck_assert_msg(op->kind == want->op.kind, "op %zu: kind", i);
	ck_assert_msg(op->slot == want->op.slot, "op %zu: slot", i);
	ck_assert_msg(op->arg_slot == want->op.arg_slot, "op %zu: arg_slot", i);
	ck_assert_msg(op->param == want->op.param, "op %zu: param", i);
	ck_assert_msg(op->size == want->op.size, "op %zu: size", i);
	ck_assert_msg(op->nmemb == want->op.nmemb, "op %zu: nmemb", i);
	ck_assert_msg(op->thread == want->op.thread, "op %zu: thread", i);
	ck_assert_msg(line == want->line, "op %zu: line %u, not %u", i, line, want->line);
	ck_assert_msg(rec->ret_kind == want->rec.ret_kind, "op %zu: ret_kind", i);
	ck_assert_msg(rec->has_brk == want->rec.has_brk, "op %zu: has_brk", i);
	ck_assert_msg(rec->has_value == want->rec.has_value, "op %zu: has_value", i);
	ck_assert_msg(rec->ret == want->rec.ret, "op %zu: ret", i);
	ck_assert_msg(rec->brk == want->rec.brk, "op %zu: brk", i);
	ck_assert_msg(rec->value == want->rec.value, "op %zu: value", i);
}

/* Packs the items, reads them back, and checks each and the end. */
static void round_trip(const item *items, size_t n)
{
	op_pack pack;
	op_pack_init(&pack);
	for (size_t i = 0; i < n; i++)
		ck_assert(op_pack_add(&pack, &items[i].op, items[i].line, &items[i].rec));
	ck_assert_uint_eq(pack.count, n);
	op_pack_reader r;
	op_pack_reader_init(&r, &pack);
	for (size_t i = 0; i < n; i++) {
		sim_op op;
		uint32_t line;
		trace_recorded rec;
		memset(&op, 0xa5, sizeof op); /* nothing left from before */
		memset(&rec, 0xa5, sizeof rec);
		ck_assert_msg(op_pack_read(&r, &op, &line, &rec), "op %zu is missing", i);
		assert_same(&items[i], &op, line, &rec, i);
	}
	sim_op op;
	uint32_t line;
	trace_recorded rec;
	ck_assert(!op_pack_read(&r, &op, &line, &rec));
	op_pack_release(&pack);
}

/* LEB128's edges (7 bits a byte) and the width classes' (one to four
 * bytes, eight: op_pack.c) */
static const uint64_t edges[] = {
	0, 1, 0x7f, 0x80, 0xfe, 0xff, 0x100, 0x3fff, 0x4000, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffffull,
	0x100000000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX,
};
#define EDGES (sizeof edges / sizeof edges[0])

START_TEST(edges_come_back)
{
	enum { N = EDGES * 8 };
	item items[N];
	memset(items, 0, sizeof items);
	for (size_t i = 0; i < N; i++) {
		uint64_t e = edges[i % EDGES];
		item *it = &items[i];
		it->op = sim_op_blank((sim_op_kind)(i % SIM_OP_KIND_COUNT));
		switch (i / EDGES) {
		case 0: it->op.size = e; it->op.slot = (sim_slot)e; break;
		case 1: it->op.nmemb = e; it->op.arg_slot = (sim_slot)e; break;
		case 2: it->op.value = -(int64_t)(e >> 1); it->op.param = (int32_t)-(int64_t)(e & 0xffff); break;
		case 3: it->op.thread = (uint32_t)e & SIM_OP_THREAD_MASK; it->op.align_api = (uint32_t)e; break;
		case 4: it->rec.ret = e; it->rec.ret_kind = (uint8_t)(i % (TRACE_RET_ARENA + 1)); break;
		case 5: it->rec.brk = e; it->rec.has_brk = true; break;
		case 6: it->rec.value = (int64_t)e; it->rec.has_value = true; break;
		default: it->rec.value = INT64_MIN + (int64_t)(e >> 2); it->rec.brk = e; break;
		}
		/* lines forward and back, from 0 to UINT32_MAX */
		it->line = i % 3 == 0 ? (uint32_t)e : i % 3 == 1 ? UINT32_MAX - (uint32_t)i : (uint32_t)i;
	}
	round_trip(items, N);
}
END_TEST

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A number of any width: mostly small, as in a recording. */
static uint64_t any_width(void)
{
	return rnd() >> (rnd() % 64);
}

START_TEST(random_runs_come_back)
{
	enum { N = 100000 }; /* past the pack's first growths */
	item *items = calloc(N, sizeof *items);
	ck_assert_ptr_nonnull(items);
	uint32_t line = 1;
	uint64_t brk = 0x21000;
	for (size_t i = 0; i < N; i++) {
		item *it = &items[i];
		it->op = sim_op_blank((sim_op_kind)(rnd() % SIM_OP_KIND_COUNT));
		if (rnd() % 8)
			it->op.slot = (sim_slot)(rnd() % 1000000);
		if (rnd() % 4 == 0)
			it->op.arg_slot = rnd() % 2 ? SIM_NO_SLOT : (sim_slot)any_width();
		it->op.size = any_width();
		if (rnd() % 5 == 0)
			it->op.nmemb = any_width();
		if (rnd() % 7 == 0)
			it->op.param = (int32_t)(uint32_t)any_width();
		if (rnd() % 6 == 0)
			it->op.thread = (uint32_t)(rnd() % 70000) & SIM_OP_THREAD_MASK;
		line += (uint32_t)(rnd() % 3);
		if (rnd() % 50 == 0)
			line -= (uint32_t)(rnd() % 5);
		it->line = line;
		it->rec.ret_kind = (uint8_t)(rnd() % (TRACE_RET_ARENA + 1));
		it->rec.has_brk = rnd() % 2;
		it->rec.has_value = rnd() % 9 == 0;
		it->rec.ret = rnd() % 3 ? any_width() : 0;
		if (rnd() % 10 == 0)
			brk = rnd() % 4 ? brk + 0x21000 : any_width();
		it->rec.brk = brk;
		it->rec.value = rnd() % 9 == 0 ? (int64_t)(any_width() >> 1) * (rnd() % 2 ? -1 : 1) : 0;
	}
	round_trip(items, N);
	free(items);
}
END_TEST

/* A line's difference from the op before's is a byte up to 254 (zigzag:
 * -127 to 127), LEB128 past it: every difference from -300 to 300. */
START_TEST(line_steps_come_back)
{
	enum { N = 601 };
	item items[N];
	memset(items, 0, sizeof items);
	uint32_t line = 100000;
	for (size_t i = 0; i < N; i++) {
		items[i].op = sim_op_blank(SIM_OP_MALLOC);
		items[i].op.slot = (sim_slot)i;
		line += (uint32_t)((int)i - 300);
		items[i].line = line;
	}
	round_trip(items, N);
}
END_TEST

START_TEST(an_empty_pack_reads_nothing)
{
	round_trip(NULL, 0);
}
END_TEST

/* Out of memory while the pack grows (each of its growths failed in
 * turn): op_pack_add says so for the op that did not fit, and the pack
 * still gives back every op before it, exactly, and then ends. */
START_TEST(out_of_memory_keeps_the_ops_before)
{
	enum { N = 60000 }; /* several growths */
	item *items = __real_calloc(N, sizeof *items);
	ck_assert_ptr_nonnull(items);
	for (size_t i = 0; i < N; i++) {
		item *it = &items[i];
		it->op = sim_op_blank((sim_op_kind)(i % SIM_OP_KIND_COUNT));
		it->op.slot = (sim_slot)(rnd() % 1000000);
		it->op.size = any_width();
		it->line = (uint32_t)(2 * i + 1);
		it->rec.ret = any_width();
		it->rec.brk = 0x21000 + (i / 1000) * 0x1000;
	}
	/* how many allocations a whole run makes (no Check call while armed:
	 * its own allocations would be counted) */
	alloc_fail_arm(SIZE_MAX, false);
	op_pack pack;
	op_pack_init(&pack);
	size_t added = 0;
	while (added < N && op_pack_add(&pack, &items[added].op, items[added].line, &items[added].rec))
		added++;
	size_t calls = alloc_fail.calls;
	alloc_fail_disarm();
	ck_assert_uint_eq(added, N);
	op_pack_release(&pack);
	ck_assert_uint_ge(calls, 3);
	for (size_t fail_at = 0; fail_at < calls; fail_at++) {
		alloc_fail_arm(fail_at, false);
		op_pack_init(&pack);
		added = 0;
		while (added < N && op_pack_add(&pack, &items[added].op, items[added].line, &items[added].rec))
			added++;
		alloc_fail_disarm();
		ck_assert_msg(added < N, "growth %zu failed, yet every op was added", fail_at);
		ck_assert_uint_eq(alloc_fail.failed, 1);
		ck_assert_uint_eq(pack.count, added);
		op_pack_reader r;
		op_pack_reader_init(&r, &pack);
		for (size_t i = 0; i < added; i++) {
			sim_op op;
			uint32_t line;
			trace_recorded rec;
			ck_assert_msg(op_pack_read(&r, &op, &line, &rec), "growth %zu failed: op %zu is missing", fail_at, i);
			assert_same(&items[i], &op, line, &rec, i);
		}
		sim_op op;
		uint32_t line;
		trace_recorded rec;
		ck_assert_msg(!op_pack_read(&r, &op, &line, &rec), "growth %zu failed: an op past the last added", fail_at);
		op_pack_release(&pack);
	}
	free(items);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("op_pack");
	TCase *tc = tcase_create("round trip");
	tcase_add_test(tc, edges_come_back);
	tcase_add_test(tc, random_runs_come_back);
	tcase_add_test(tc, line_steps_come_back);
	tcase_add_test(tc, an_empty_pack_reads_nothing);
	tcase_add_test(tc, out_of_memory_keeps_the_ops_before);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
