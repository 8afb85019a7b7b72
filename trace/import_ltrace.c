/* import_ltrace.c — ltrace output.
 *
 * Owns: the ltrace line grammar as ltrace 0.7 writes it (output.c): a pid
 * prefix (`[pid N] ` on a terminal, `N ` with -o), a -t/-tt/-ttt/-r
 * timestamp, a -i `[0xip] `, indentation (-n), then a call
 * `[soname->]name[@lib](args) = ret` (ret may be followed by -T's
 * `<seconds>`), a call cut by another thread (`name(args <unfinished ...>`
 * ... `<... name resumed> rest`), a call that never returned
 * (`name(args <no return ...>`), a signal (`--- SIGx (...) ---`) or an
 * exit (`+++ exited (status N) +++`, `+++ killed by SIGx +++`).
 * Must not: do I/O.
 *
 * Kept: the allocator calls (malloc, calloc, realloc, reallocarray, free,
 * cfree, memalign, aligned_alloc, posix_memalign, valloc, pvalloc,
 * malloc_trim, mallopt) of the traced process, taken to be the lowest
 * pid in the file (the first line may well be a thread's); calls of other pids
 * (threads, children) are counted and left out. With -x and a PLT filter
 * both at once ltrace shows one call twice, nested (`malloc(` then
 * `malloc@libc.so.6(`): the outer copy is dropped and counted.
 * ltrace does not show the pointer posix_memalign stores; it is bound to
 * the first unknown pointer the program later frees or reallocs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_util.h"
#include "importers.h"

typedef enum lt_func {
	LT_OTHER = 0,
	LT_MALLOC,
	LT_CALLOC,
	LT_REALLOC,
	LT_REALLOCARRAY,
	LT_FREE,
	LT_MEMALIGN,
	LT_ALIGNED_ALLOC,
	LT_POSIX_MEMALIGN,
	LT_VALLOC,
	LT_PVALLOC,
	LT_MALLOC_TRIM,
	LT_MALLOPT,
} lt_func;

static const struct {
	const char *name;
	lt_func func;
	int args; /* arguments used */
} lt_funcs[] = {
	{"malloc", LT_MALLOC, 1},           {"calloc", LT_CALLOC, 2},
	{"realloc", LT_REALLOC, 2},         {"reallocarray", LT_REALLOCARRAY, 3},
	{"free", LT_FREE, 1},               {"cfree", LT_FREE, 1},
	{"memalign", LT_MEMALIGN, 2},       {"aligned_alloc", LT_ALIGNED_ALLOC, 2},
	{"posix_memalign", LT_POSIX_MEMALIGN, 3}, {"valloc", LT_VALLOC, 1},
	{"pvalloc", LT_PVALLOC, 1},         {"malloc_trim", LT_MALLOC_TRIM, 1},
	{"mallopt", LT_MALLOPT, 2},
};

#define LT_MAX_ARGS 6
#define LT_MAX_PENDING 8

/* One call, as far as it has been read. */
typedef struct lt_call {
	lt_func func;
	char name[24];
	uint64_t args[LT_MAX_ARGS];
	bool arg_known[LT_MAX_ARGS];
	int nargs;
	uint32_t line, col;
	/* Made while an allocator call of the same thread was still open: with
	 * -x ltrace shows glibc's own calls (realloc(p, 0) calling free) and
	 * one call twice (at the PLT and at the symbol). The open call is
	 * what the program asked for; this one is part of it. */
	bool inner;
	char outer_name[24];
	uint32_t outer_line;
} lt_call;

typedef struct lt_pid {
	lt_call pending[LT_MAX_PENDING];
	int depth;
} lt_pid;

typedef struct lt_state {
	tbuild b;
	taddr addrs;
	tmap pid_index;       /* pid -> index into pids (aux) */
	lt_pid *pids;
	size_t pid_count, pid_capacity;
	uint64_t last_pid;   /* pid_state's last answer: pids[last_index] (valid once pid_count > 0) */
	size_t last_index;
	bool have_main;
	uint64_t main_pid;
	uint64_t lowest_pid;  /* pass 1: the lowest pid seen (0: no pid prefixes) */
	bool first_pass;      /* every pid counts as main: only addresses matter */
	/* pass 1: a posix_memalign whose pointer is learnt later, when its
	 * recorded result is written in (then no op goes to a visitor
	 * before the import ends) */
	bool binds_later;
	/* posix_memalign ops whose pointer is not known yet (FIFO). */
	struct {
		sim_slot slot;
		size_t op_index;
	} unbound[64];
	size_t unbound_head, unbound_count;
} lt_state;

static const char *quote(const char *p, size_t n, char *buf, size_t size)
{
	if (n == 0)
		return "end of line";
	snprintf(buf, size, "'%s'", DIAG_QUOTE(p, n));
	return buf;
}

static lt_pid *pid_state(lt_state *st, uint64_t pid)
{
	/* (the pid of the line before, most lines: no lookup) */
	if (st->pid_count && pid == st->last_pid)
		return &st->pids[st->last_index];
	tmap_entry *e = tmap_get(&st->pid_index, pid);
	if (!e)
		return NULL;
	if (e->slot == SIM_NO_SLOT) {
		if (st->pid_count == st->pid_capacity) {
			size_t cap = st->pid_capacity ? st->pid_capacity * 2 : 8;
			lt_pid *p = realloc(st->pids, cap * sizeof *p);
			if (!p)
				return NULL;
			st->pids = p;
			st->pid_capacity = cap;
		}
		memset(&st->pids[st->pid_count], 0, sizeof st->pids[0]);
		e->slot = (sim_slot)st->pid_count++;
	}
	st->last_pid = pid;
	st->last_index = e->slot;
	return &st->pids[e->slot];
}

/* ---- the line prefix ---- */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Skips "[pid N] " or "N " and returns the pid (0 when there is none). */
static uint64_t read_pid(tcur *c)
{
	/* (the readers here keep only the position to go back to: a copy
	 * of the cursor, and back, waited for the stores to its fields) */
	uint64_t pid = 0;
	const char *at = c->p;
	if (tcur_eat(c, "[pid ")) {
		if (tcur_dec(c, &pid) == TNUM_OK && tcur_eat(c, "] "))
			return pid;
		c->p = at;
		return 0;
	}
	if (tcur_dec(c, &pid) == TNUM_OK && tcur_eat(c, " "))
		return pid;
	c->p = at;
	return 0;
}

/* Skips a -t ("HH:MM:SS[.frac] "), -ttt or -r ("[spaces]sec.frac ")
 * timestamp and a -i "[0xip] ". */
static void skip_time_and_ip(tcur *c)
{
	const char *q = c->p, *end = c->end;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (end - q >= 9 && is_digit(q[0]) && is_digit(q[1]) && q[2] == ':' && is_digit(q[3]) && is_digit(q[4]) &&
	    q[5] == ':' && is_digit(q[6]) && is_digit(q[7])) {
		q += 8;
		if (q < end && *q == '.')
			for (q++; q < end && is_digit(*q); q++)
				;
		if (q < end && *q == ' ') {
			c->p = q + 1;
		}
	} else {
		const char *r = q;
		while (r < end && is_digit(*r))
			r++;
		if (r > q && r < end && *r == '.') {
			const char *s = r + 1;
			while (s < end && is_digit(*s))
				s++;
			if (s > r + 1 && s < end && *s == ' ')
				c->p = s + 1;
		}
	}
	const char *at = c->p;
	uint64_t ip;
	if (!(tcur_eat(c, "[") && tcur_hex(c, true, &ip) != TNUM_NONE && tcur_eat(c, "] ")))
		c->p = at;
	tcur_skip_space(c);
}

/* ---- values ---- */

/* A value: 0x hex, [-]decimal, nil, (nil), NULL, <void>. False if none. */
static bool read_value(tcur *c, uint64_t *v, bool *is_void)
{
	*is_void = false;
	if (tcur_eat(c, "<void>")) {
		*is_void = true;
		*v = 0;
		return true;
	}
	if (tcur_eat(c, "(nil)") || tcur_eat(c, "nil") || tcur_eat(c, "NULL")) {
		*v = 0;
		return true;
	}
	const char *at = c->p;
	bool negative = tcur_eat(c, "-");
	if (tcur_num(c, v) != TNUM_OK) {
		c->p = at;
		return false;
	}
	if (negative)
		*v = (uint64_t)-(int64_t)*v;
	return true;
}

static lt_func func_of(const char *name, size_t len, int *want_args)
{
	for (size_t i = 0; i < sizeof lt_funcs / sizeof lt_funcs[0]; i++)
		if (strlen(lt_funcs[i].name) == len && memcmp(lt_funcs[i].name, name, len) == 0) {
			*want_args = lt_funcs[i].args;
			return lt_funcs[i].func;
		}
	*want_args = 0;
	return LT_OTHER;
}

/* Reads arguments up to ")" (consumed), " <unfinished ...>" or
 * " <no return ...>" (not consumed). Arguments ltrace shows as strings or
 * structures are kept as unknown. */
static void read_args(tcur *c, lt_call *call)
{
	for (;;) {
		tcur_skip_space(c);
		if (tcur_at_end(c) || *c->p == ')' || *c->p == '<')
			break;
		uint64_t v;
		bool is_void;
		bool known = read_value(c, &v, &is_void);
		if (!known) /* skip an argument we cannot read */
			while (!tcur_at_end(c) && *c->p != ',' && *c->p != ')' && *c->p != ' ')
				c->p++;
		if (call->nargs < LT_MAX_ARGS) {
			call->args[call->nargs] = known ? v : 0;
			call->arg_known[call->nargs] = known;
			call->nargs++;
		}
		tcur_skip_space(c);
		if (!tcur_eat(c, ","))
			break;
	}
	tcur_skip_space(c);
	tcur_eat(c, ")");
}

/* ---- ops ---- */

static void add_op(lt_state *st, sim_op *op, const lt_call *call, const trace_recorded *rec)
{
	if (op->slot != SIM_NO_SLOT || op->kind == SIM_OP_TRIM || op->kind == SIM_OP_MALLOPT)
		tbuild_op(&st->b, op, call->line, call->col, rec);
}

/* The live slot of a pointer the program passes in, binding it to a
 * pending posix_memalign when unknown. */
static tmap_entry *known_ptr(lt_state *st, uint64_t ptr, const lt_call *call)
{
	tmap_entry *e = taddr_live(&st->addrs, ptr);
	if (e || !st->unbound_count)
		return e;
	size_t k = st->unbound_head;
	st->unbound_head = (st->unbound_head + 1) % 64;
	st->unbound_count--;
	e = tmap_get(&st->addrs.map, ptr);
	if (!e) {
		st->b.out_of_memory = true;
		return NULL;
	}
	e->slot = st->unbound[k].slot;
	e->state = TMAP_LIVE;
	tmap_touch(e, call->line);
	trace_extra *x = st->b.extra;
	if (st->unbound[k].op_index < x->recorded_count)
		x->recorded[st->unbound[k].op_index] = taddr_recorded(&st->addrs, ptr);
	return e;
}

static void unknown_ptr(lt_state *st, const lt_call *call, uint64_t ptr)
{
	tbuild_issue(&st->b, TI_UNKNOWN_PTR, true, call->line, call->col, (uint32_t)strlen(call->name),
	             "%s of 0x%llx, which the trace never returned (allocated before tracing started, or by a call "
	             "ltrace did not show?)",
	             call->name, (unsigned long long)ptr);
}

static bool need_args(lt_state *st, const lt_call *call, int want)
{
	uint32_t len = (uint32_t)strlen(call->name);
	if (call->nargs < want) {
		tbuild_issue(&st->b, TI_SYNTAX, true, call->line, call->col, len, "%s needs %d argument%s, found %d",
		             call->name, want, want == 1 ? "" : "s", call->nargs);
		return false;
	}
	for (int i = 0; i < want; i++)
		if (!call->arg_known[i]) {
			tbuild_issue(&st->b, TI_SYNTAX, true, call->line, call->col, len, "%s's argument %d is not a number",
			             call->name, i + 1);
			return false;
		}
	return true;
}

/* A call of the main pid that returned `ret` (has_ret false: never returned). */
static void apply(lt_state *st, const lt_call *call, bool has_ret, uint64_t ret)
{
	int want;
	func_of(call->name, strlen(call->name), &want);
	if (call->func == LT_POSIX_MEMALIGN)
		want = 3;
	if (!need_args(st, call, want))
		return;
	const uint64_t *a = call->args;
	if (!has_ret && call->func != LT_FREE) {
		tbuild_issue(&st->b, TI_UNFINISHED, true, call->line, call->col, (uint32_t)strlen(call->name),
		             "%s never returned (the program died or jumped out of it): its result is unknown, left out",
		             call->name);
		return;
	}
	sim_op op = sim_op_blank(SIM_OP_MALLOC);
	trace_recorded rec = taddr_recorded(&st->addrs, ret);
	switch (call->func) {
	case LT_MALLOC:
		op.size = a[0];
		break;
	case LT_CALLOC:
		op.kind = SIM_OP_CALLOC;
		op.nmemb = a[0];
		op.size = a[1];
		break;
	case LT_REALLOC:
	case LT_REALLOCARRAY: {
		op.kind = SIM_OP_REALLOC;
		uint64_t size = a[1];
		if (call->func == LT_REALLOCARRAY && __builtin_mul_overflow(a[1], a[2], &size))
			size = UINT64_MAX; /* glibc fails it with ENOMEM, as does a huge request */
		op.size = size;
		if (a[0] != 0) {
			tmap_entry *e = known_ptr(st, a[0], call);
			if (!e) {
				unknown_ptr(st, call, a[0]);
				return;
			}
			op.arg_slot = e->slot;
			if (ret != 0 || size == 0) {
				e->state = TMAP_DEAD;
				tmap_touch(e, call->line);
			}
		}
		if (ret == 0 && size == 0 && a[0] != 0) {
			/* realloc(p, 0) frees p: the result slot is p's own. */
			op.slot = op.arg_slot;
			rec.ret_kind = TRACE_RET_NULL;
			add_op(st, &op, call, &rec);
			return;
		}
		break;
	}
	case LT_FREE: {
		if (a[0] == 0) {
			tbuild_issue(&st->b, TI_NOOP, true, call->line, call->col, (uint32_t)strlen(call->name),
			             "free(NULL) is a no-op: not replayed");
			return;
		}
		tmap_entry *e = known_ptr(st, a[0], call);
		if (!e) {
			unknown_ptr(st, call, a[0]);
			return;
		}
		if (!has_ret)
			tbuild_issue(&st->b, TI_UNFINISHED, false, call->line, call->col, (uint32_t)strlen(call->name),
			             "free never returned (glibc may have aborted in it): replayed");
		op.kind = SIM_OP_FREE;
		op.slot = e->slot;
		e->state = TMAP_DEAD;
		tmap_touch(e, call->line);
		memset(&rec, 0, sizeof rec);
		add_op(st, &op, call, &rec);
		return;
	}
	case LT_MEMALIGN:
	case LT_ALIGNED_ALLOC:
		op.kind = SIM_OP_MEMALIGN;
		op.align = a[0];
		op.size = a[1];
		if (call->func == LT_ALIGNED_ALLOC)
			op.align_api = SIM_ALIGN_ALIGNED_ALLOC;
		break;
	case LT_VALLOC:
	case LT_PVALLOC:
		/* the size as called: the model rounds pvalloc's as the profile's glibc does */
		op.kind = SIM_OP_MEMALIGN;
		op.align = SIM_PAGE_SIZE;
		op.size = a[0];
		op.align_api = call->func == LT_PVALLOC ? SIM_ALIGN_PVALLOC : SIM_ALIGN_VALLOC;
		break;
	case LT_POSIX_MEMALIGN: {
		op.kind = SIM_OP_MEMALIGN;
		op.align = a[1];
		op.size = a[2];
		op.align_api = SIM_ALIGN_POSIX_MEMALIGN;
		op.slot = tbuild_slot(&st->b, "memalign%u", call->line);
		if (ret != 0) {
			/* failed (EINVAL, ENOMEM): replayed, its return code
			 * compared; the pointer is left as it was */
			memset(&rec, 0, sizeof rec);
			rec.ret_kind = TRACE_RET_NULL;
			rec.has_value = true;
			rec.value = (int64_t)ret;
			add_op(st, &op, call, &rec);
			return;
		}
		if (st->unbound_count == 64) {
			tbuild_issue(&st->b, TI_SUSPECT, false, call->line, call->col, (uint32_t)strlen(call->name),
			             "more than 64 posix_memalign results are still unknown: the oldest is forgotten");
			st->unbound_head = (st->unbound_head + 1) % 64;
			st->unbound_count--;
		}
		size_t k = (st->unbound_head + st->unbound_count) % 64;
		st->binds_later = true;
		st->unbound[k].slot = op.slot;
		st->unbound[k].op_index = st->b.out->op_count;
		st->unbound_count++;
		tbuild_issue(&st->b, TI_SUSPECT, false, call->line, call->col, (uint32_t)strlen(call->name),
		             "ltrace does not show the pointer posix_memalign stored: it is taken to be the first unknown "
		             "pointer freed or reallocated later");
		trace_recorded unknown;
		memset(&unknown, 0, sizeof unknown);
		add_op(st, &op, call, &unknown);
		return;
	}
	case LT_MALLOC_TRIM:
		op.kind = SIM_OP_TRIM;
		op.size = a[0];
		memset(&rec, 0, sizeof rec);
		rec.has_value = true;
		rec.value = (int64_t)ret;
		add_op(st, &op, call, &rec);
		return;
	case LT_MALLOPT:
		op.kind = SIM_OP_MALLOPT;
		/* int arguments: ltrace without a prototype shows -2 as 0xfffffffe */
		op.param = (int32_t)(uint32_t)a[0];
		op.value = (int32_t)(uint32_t)a[1];
		memset(&rec, 0, sizeof rec);
		rec.has_value = true;
		rec.value = (int32_t)(uint32_t)ret;
		add_op(st, &op, call, &rec);
		return;
	default:
		return;
	}
	op.slot = taddr_returned(&st->b, &st->addrs, ret, call->line, call->col);
	add_op(st, &op, call, &rec);
}

/* ---- the line ---- */

static void other_line(lt_state *st, const tcur *c, const char *what)
{
	tbuild_issue(&st->b, TI_OTHER_CALL, true, c->line, tcur_col(c), 0, "%s: ignored", what);
}

/* Whether the call belongs to the main pid; reports it otherwise. */
static bool is_main(lt_state *st, uint64_t pid, const tcur *c, const char *name)
{
	if (!st->have_main) {
		st->have_main = true;
		st->main_pid = pid;
	}
	if (pid == st->main_pid || st->first_pass)
		return true;
	tbuild_issue(&st->b, TI_OTHER_THREAD, true, c->line, tcur_col(c), 0,
	             "%s by pid %llu, not the traced process %llu (another thread or a child process): left out; "
	             "ltrace cannot tell a thread from a child process, so only the traced process's own calls are replayed "
	             "(brksim record keeps every thread)",
	             name, (unsigned long long)pid, (unsigned long long)st->main_pid);
	return false;
}

/* After the arguments: ") = ret", " <unfinished ...>" or " <no return ...>". */
static void finish_call(lt_state *st, lt_pid *ps, tcur *c, lt_call *call, uint64_t pid)
{
	char buf[TQUOTE_SIZE];
	tcur_skip_space(c);
	if (tcur_eat(c, "<unfinished ...>")) {
		if (ps->depth == LT_MAX_PENDING) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, call->col, 0,
			             "more than %d nested unfinished calls in one thread", LT_MAX_PENDING);
			return;
		}
		ps->pending[ps->depth++] = *call;
		return;
	}
	bool main = pid == st->main_pid || st->first_pass;
	if (call->inner) {
		if (main)
			tbuild_issue(&st->b, TI_DUPLICATE, true, call->line, call->col, (uint32_t)strlen(call->name),
			             "%s inside %s (line %u) is part of that call (ltrace -x shows glibc's own calls): counted once",
			             call->name, call->outer_name, call->outer_line);
		return;
	}
	if (tcur_eat(c, "<no return ...>")) {
		if (main && call->func != LT_OTHER)
			apply(st, call, false, 0);
		return;
	}
	tcur_skip_space(c);
	if (!tcur_eat(c, "=")) {
		if (call->func != LT_OTHER && main)
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), 0,
			             "expected ' = ' and the return value after %s's arguments, found %s", call->name,
			             quote(c->p, tcur_token_len(c), buf, sizeof buf));
		return;
	}
	tcur_skip_space(c);
	uint64_t ret;
	bool is_void;
	uint32_t ret_col = tcur_col(c);
	if (!read_value(c, &ret, &is_void)) {
		if (call->func != LT_OTHER && main)
			tbuild_issue(&st->b, TI_SYNTAX, true, c->line, ret_col, (uint32_t)tcur_token_len(c),
			             "expected %s's return value, found %s", call->name,
			             quote(c->p, tcur_token_len(c), buf, sizeof buf));
		return;
	}
	if (call->func == LT_OTHER || !main)
		return;
	/* -T appends " <seconds>"; nothing else may follow. */
	tcur_skip_space(c);
	if (!tcur_at_end(c) && *c->p == '<' && c->end[-1] == '>')
		c->p = c->end;
	if (!tcur_at_end(c)) {
		tbuild_issue(&st->b, TI_SYNTAX, true, c->line, tcur_col(c), (uint32_t)tcur_token_len(c),
		             "unexpected %s after %s's return value", quote(c->p, tcur_token_len(c), buf, sizeof buf),
		             call->name);
		return;
	}
	apply(st, call, true, ret);
}

static void read_line(lt_state *st, const tline *line)
{
	char buf[TQUOTE_SIZE];
	tcur c;
	tcur_init(&c, line);
	tcur_skip_space(&c);
	if (tcur_at_end(&c))
		return;
	uint64_t pid = read_pid(&c);
	if (pid && (!st->lowest_pid || pid < st->lowest_pid))
		st->lowest_pid = pid;
	skip_time_and_ip(&c);
	if (tcur_at_end(&c)) {
		other_line(st, &c, "empty ltrace line");
		return;
	}
	if (tcur_eat(&c, "--- ")) {
		tbuild_issue(&st->b, TI_EVENT, false, c.line, tcur_col(&c), (uint32_t)tcur_token_len(&c),
		             "signal %s delivered: nothing to replay", quote(c.p, tcur_token_len(&c), buf, sizeof buf));
		return;
	}
	if (tcur_eat(&c, "+++ ")) {
		size_t n = (size_t)(c.end - c.p);
		if (n >= 4 && memcmp(c.end - 4, " +++", 4) == 0)
			n -= 4;
		if (pid)
			tbuild_issue(&st->b, TI_EVENT, false, c.line, tcur_col(&c), 0, "process %llu ended: %s",
			             (unsigned long long)pid, DIAG_QUOTE(c.p, n));
		else
			tbuild_issue(&st->b, TI_EVENT, false, c.line, tcur_col(&c), 0, "the process ended: %s",
			             DIAG_QUOTE(c.p, n));
		return;
	}
	lt_pid *ps = pid_state(st, pid);
	if (!ps) {
		st->b.out_of_memory = true;
		return;
	}
	if (tcur_eat(&c, "<... ")) {
		/* "<... name resumed> rest": the call's end. */
		const char *name = c.p;
		while (!tcur_at_end(&c) && *c.p != ' ')
			c.p++;
		size_t name_len = (size_t)(c.p - name);
		if (!tcur_eat(&c, " resumed>")) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c.line, tcur_col(&c), 0, "expected ' resumed>' after '<... %s'",
			             DIAG_QUOTE(name, name_len));
			return;
		}
		if (ps->depth == 0) {
			if (pid == st->main_pid || !st->have_main)
				tbuild_issue(&st->b, TI_UNFINISHED, true, c.line, 1, 0,
				             "'<... %s resumed>' without its unfinished start (the trace begins mid-call?)",
				             DIAG_QUOTE(name, name_len));
			return;
		}
		lt_call call = ps->pending[--ps->depth];
		const char *stored = call.name, *at = strchr(call.name, '@');
		size_t stored_len = at ? (size_t)(at - stored) : strlen(stored);
		const char *short_name = memchr(name, '@', name_len);
		size_t cmp_len = short_name ? (size_t)(short_name - name) : name_len;
		if (cmp_len != stored_len || memcmp(name, stored, cmp_len) != 0) {
			tbuild_issue(&st->b, TI_SYNTAX, true, c.line, 1, 0,
			             "'<... %s resumed>' does not match the unfinished call '%s' of line %u",
			             DIAG_QUOTE(name, name_len), DIAG_QUOTE(call.name, strlen(call.name)), call.line);
			return;
		}
		read_args(&c, &call);
		finish_call(st, ps, &c, &call, pid);
		return;
	}

	/* A call: [soname->]name[@lib]( */
	const char *open = memchr(c.p, '(', (size_t)(c.end - c.p));
	const char *sp = memchr(c.p, ' ', (size_t)(c.end - c.p));
	if (!open || (sp && sp < open) || open == c.p) {
		other_line(st, &c, "not an ltrace call line");
		return;
	}
	const char *name = c.p, *name_end = open;
	for (const char *q = c.p; q + 1 < open; q++)
		if (q[0] == '-' && q[1] == '>')
			name = q + 2;
	const char *at = memchr(name, '@', (size_t)(name_end - name));
	size_t base_len = (size_t)((at ? at : name_end) - name);
	/* (its fields set one by one: args and arg_known are read only
	 * below nargs, and a memset of the whole call was a fifth of the
	 * reading of a line) */
	lt_call call;
	int want;
	call.func = func_of(name, base_len, &want);
	size_t keep = (size_t)(name_end - name) < sizeof call.name - 1 ? (size_t)(name_end - name) : sizeof call.name - 1;
	memcpy(call.name, name, keep);
	call.name[keep] = '\0';
	call.nargs = 0;
	call.inner = false;
	call.outer_name[0] = '\0';
	call.outer_line = 0;
	call.line = c.line;
	call.col = (uint32_t)(name - c.start) + 1;
	c.p = open + 1;
	if (call.func == LT_OTHER) {
		tcur here = {c.start, name, c.end, c.line}; /* (from its fields: see read_pid) */
		/* Still follow the pid's nesting so resumed lines pair up. */
		const char *u = c.end - 16;
		if (c.end - c.p >= 16 && memcmp(u, "<unfinished ...>", 16) == 0 && ps->depth < LT_MAX_PENDING)
			ps->pending[ps->depth++] = call;
		char what[DIAG_QUOTE_SIZE + 32];
		snprintf(what, sizeof what, "'%s' is not an allocator call", DIAG_QUOTE(name, base_len));
		other_line(st, &here, what);
		return;
	}
	st->b.extra->call_count++;
	{
		tcur here = {c.start, name, c.end, c.line}; /* (from its fields: see read_pid) */
		if (!is_main(st, pid, &here, call.name)) {
			/* Keep the pairing of other pids' unfinished calls. */
			read_args(&c, &call);
			finish_call(st, ps, &c, &call, pid);
			return;
		}
	}
	read_args(&c, &call);
	for (int d = ps->depth - 1; d >= 0; d--) {
		const lt_call *outer = &ps->pending[d];
		if (outer->func != LT_OTHER) {
			call.inner = true;
			memcpy(call.outer_name, outer->name, sizeof call.outer_name);
			call.outer_line = outer->line;
			break;
		}
	}
	finish_call(st, ps, &c, &call, pid);
}

static void run(lt_state *st, const char *bytes, size_t len)
{
	tsplit sp;
	tsplit_init(&sp, bytes, len);
	tline line;
	while (tsplit_next(&sp, &line)) {
		if (tbuild_line(&st->b, &line))
			read_line(st, &line);
	}
	for (size_t i = 0; i < st->pid_count; i++) {
		lt_pid *ps = &st->pids[i];
		for (int d = 0; d < ps->depth; d++)
			if (ps->pending[d].func != LT_OTHER && !ps->pending[d].inner)
				tbuild_issue(&st->b, TI_UNFINISHED, true, ps->pending[d].line, ps->pending[d].col, 0,
				             "%s never finished (the trace ends first): left out", ps->pending[d].name);
	}
	st->b.extra->line_count = sp.number;
}

static void state_release(lt_state *st)
{
	taddr_release(&st->addrs);
	tmap_release(&st->pid_index);
	free(st->pids);
}

bool trace_import_ltrace(const char *bytes, size_t len, script *out, diag_list *diags, trace_extra *extra)
{
	/* Pass 1, a scan: find the lowest heap pointer. */
	lt_state st;
	memset(&st, 0, sizeof st);
	script scratch;
	script_init(&scratch);
	tbuild_init_scan(&st.b, &scratch, TRACE_FORMAT_LTRACE);
	taddr_init(&st.addrs, 0);
	tmap_init(&st.pid_index, 0);
	st.first_pass = true;
	run(&st, bytes, len);
	uint64_t base = taddr_guess_base(st.addrs.min_heap);
	uint64_t main_pid = st.lowest_pid;
	bool binds_later = st.binds_later;
	state_release(&st);
	tbuild_finish_scan(&st.b);
	script_release(&scratch);

	/* Pass 2: slots named by offset from the base. */
	memset(&st, 0, sizeof st);
	tbuild_init(&st.b, out, diags, extra, TRACE_FORMAT_LTRACE, true);
	taddr_init(&st.addrs, base);
	tmap_init(&st.pid_index, 0);
	extra->address_base = base;
	extra->base_exact = false;
	/* The traced process is the lowest pid: its threads and children come
	 * later (a pid wraparound during the run would fool this). */
	st.have_main = true;
	st.main_pid = main_pid;
	if (!binds_later)
		taddr_stream(&st.b, &st.addrs);
	run(&st, bytes, len);
	taddr_stream_end(&st.b, &st.addrs);
	state_release(&st);
	if (st.have_main)
		extra->pid = (int64_t)st.main_pid;
	return tbuild_finish(&st.b, "ltrace");
}
