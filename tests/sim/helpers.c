/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sim_config cfg_sim(void)
{
	return cfg_with(SIM_GLIBC_2_36, "tcache_count=0:top_pad=0:trim_threshold=65536:mmap_threshold=1048576");
}

sim_config cfg_with(sim_profile profile, const char *settings)
{
	sim_config c = sim_config_defaults(profile);
	const char *p = settings;
	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		ck_assert_msg(eq != NULL, "bad setting list %s", settings);
		int s = sim_setting_from_name(p, (size_t)(eq - p));
		ck_assert_msg(s >= 0, "unknown setting in %s", settings);
		ck_assert_msg(sim_config_set(&c, (sim_setting)s, strtoull(eq + 1, NULL, 0)), "rejected %s", settings);
		p = end ? end + 1 : NULL;
	}
	return c;
}

void th_init(th *t, const sim_config *config)
{
	memset(t, 0, sizeof *t);
	t->config = *config;
	t->heap = sim_heap_new(config);
	ck_assert_ptr_nonnull(t->heap);
	sim_events_init(&t->events);
}

void th_fini(th *t)
{
	sim_heap_free(t->heap);
	sim_events_release(&t->events);
}

static uint64_t num(const char **p)
{
	while (**p == ' ')
		(*p)++;
	char *end;
	uint64_t v = strtoull(*p, &end, 0);
	ck_assert_msg(end != *p, "number expected at '%s'", *p);
	*p = end;
	return v;
}

static int64_t snum(const char **p)
{
	while (**p == ' ')
		(*p)++;
	char *end;
	int64_t v = strtoll(*p, &end, 0);
	ck_assert_msg(end != *p, "number expected at '%s'", *p);
	*p = end;
	return v;
}

const sim_result *th_op(th *t, const char *line)
{
	sim_op op;
	memset(&op, 0, sizeof op);
	op.slot = SIM_NO_SLOT;
	op.arg_slot = SIM_NO_SLOT;
	const char *p = line;
	while (*p == ' ')
		p++;
	if (*p == 'T' && p[1] >= '0' && p[1] <= '9') { /* "T2 a 1 100": thread 2 calls it */
		p++;
		op.thread = (uint32_t)num(&p) & SIM_OP_THREAD_MASK;
		while (*p == ' ')
			p++;
	}
	char k = *p++;
	switch (k) {
	case 'n': /* "n 2": thread 2 starts */
		op.kind = SIM_OP_THREAD_START;
		op.value = snum(&p);
		break;
	case 'x':
		op.kind = SIM_OP_THREAD_EXIT;
		break;
	case 'F': /* "T2 F": thread 2 forks, the child goes on */
		op.kind = SIM_OP_FORK;
		break;
	case 'a':
		op.kind = SIM_OP_MALLOC;
		op.slot = (sim_slot)num(&p);
		op.size = num(&p);
		break;
	case 'c':
		op.kind = SIM_OP_CALLOC;
		op.slot = (sim_slot)num(&p);
		op.nmemb = num(&p);
		op.size = num(&p);
		break;
	case 'r':
		op.kind = SIM_OP_REALLOC;
		op.slot = (sim_slot)num(&p);
		while (*p == ' ')
			p++;
		if (*p == '-')
			p++;
		else
			op.arg_slot = (sim_slot)num(&p);
		op.size = num(&p);
		break;
	case 'f':
		op.kind = SIM_OP_FREE;
		op.slot = (sim_slot)num(&p);
		break;
	case 'A':
		op.kind = SIM_OP_MEMALIGN;
		op.slot = (sim_slot)num(&p);
		op.align = num(&p);
		op.size = num(&p);
		break;
	case 't':
		op.kind = SIM_OP_TRIM;
		op.size = num(&p);
		break;
	case 'o':
		op.kind = SIM_OP_MALLOPT;
		op.param = (int32_t)snum(&p);
		op.value = snum(&p);
		break;
	case 'b': /* "b 4096": the program's own sbrk */
		op.kind = SIM_OP_SBRK;
		op.value = snum(&p);
		break;
	default:
		ck_abort_msg("bad op line '%s'", line);
	}
	ck_assert_msg(sim_heap_step(t->heap, &op, t->no_events ? NULL : &t->events, &t->result), "step '%s' ran out of memory", line);
	t->steps++;
	char why[512];
	ck_assert_msg(sim_heap_check(t->heap, why, sizeof why), "after step %zu '%s': invariant broken: %s", t->steps,
		      line, why);
	return &t->result;
}

void th_ops(th *t, const char *lines)
{
	char buf[128];
	const char *p = lines;
	while (*p) {
		size_t n = strcspn(p, ";\n");
		if (n > 0) {
			ck_assert(n < sizeof buf);
			memcpy(buf, p, n);
			buf[n] = '\0';
			th_op(t, buf);
		}
		p += n;
		if (*p)
			p++;
	}
}

void th_format(const th *t, char *buf, size_t size)
{
	const sim_result *r = &t->result;
	char ret[32];
	switch (r->ret_kind) {
	case SIM_RET_HEAP:
		snprintf(ret, sizeof ret, "0x%llx", (unsigned long long)r->ret);
		break;
	case SIM_RET_MMAP:
		snprintf(ret, sizeof ret, "mmap");
		break;
	case SIM_RET_ARENA:
		snprintf(ret, sizeof ret, "A%u.%u+0x%llx", r->ret_arena, r->ret_heap, (unsigned long long)r->ret_offset);
		break;
	case SIM_RET_NULL:
		snprintf(ret, sizeof ret, "null");
		break;
	default:
		snprintf(ret, sizeof ret, "-");
		break;
	}
	snprintf(buf, size, "%s 0x%llx 0x%llx %zu", ret, (unsigned long long)r->brk, (unsigned long long)r->top_size,
		 r->resident_pages);
}

void th_expect(th *t, const char *line, const char *expect)
{
	th_op(t, line);
	char got[128];
	th_format(t, got, sizeof got);
	/* compare only as many fields as the expectation gives */
	int fields = 1;
	for (const char *q = expect; *q; q++)
		if (*q == ' ')
			fields++;
	char cut[128];
	snprintf(cut, sizeof cut, "%s", got);
	char *q = cut;
	for (int i = 0; i < fields && q; i++) {
		q = strchr(q, ' ');
		if (q && i + 1 == fields)
			*q = '\0';
		else if (q)
			q++;
	}
	/* `ret` of free/trim/mallopt: "=N" compares the return value */
	if (expect[0] == '=') {
		char exp2[128];
		snprintf(exp2, sizeof exp2, "%s", expect);
		long long v = strtoll(expect + 1, NULL, 10);
		ck_assert_msg(t->result.value == v, "step %zu '%s': returned %lld, expected %lld", t->steps, line,
			      (long long)t->result.value, v);
		const char *rest_e = strchr(expect, ' ');
		const char *rest_g = strchr(cut, ' ');
		ck_assert_msg(rest_e && rest_g && strcmp(rest_e, rest_g) == 0, "step %zu '%s': got '%s', expected '%s'",
			      t->steps, line, got, expect);
		return;
	}
	ck_assert_msg(strcmp(cut, expect) == 0, "step %zu '%s': got '%s', expected '%s'", t->steps, line, got, expect);
}

size_t th_count(const th *t, sim_event_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < t->events.count; i++)
		n += t->events.items[i].kind == kind;
	return n;
}

const sim_event *th_find(const th *t, sim_event_kind kind, size_t nth)
{
	for (size_t i = 0; i < t->events.count; i++)
		if (t->events.items[i].kind == kind && nth-- == 0)
			return &t->events.items[i];
	return NULL;
}

size_t th_place_count(const th *t, sim_place place)
{
	size_t n = 0;
	sim_chunk_info c;
	for (size_t a = 0; a < sim_heap_arena_count(t->heap); a++)
		for (bool ok = sim_heap_arena_first_chunk(t->heap, a, &c); ok; ok = sim_heap_next_chunk(t->heap, &c, &c))
			n += c.place == place;
	return n;
}

sim_size th_place_bytes(const th *t, sim_place place)
{
	sim_size n = 0;
	sim_chunk_info c;
	for (bool ok = sim_heap_chunk_at(t->heap, SIM_ADDR_START, &c); ok; ok = sim_heap_next_chunk(t->heap, &c, &c))
		if (c.place == place)
			n += c.size;
	return n;
}

sim_addr th_chunk(const th *t, sim_slot slot)
{
	sim_slot_info s = sim_heap_slot(t->heap, slot);
	ck_assert_msg(s.place == SIM_PLACE_INUSE || s.place == SIM_PLACE_MMAP, "slot %u is not in use", slot);
	return s.chunk;
}

int th_run(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
