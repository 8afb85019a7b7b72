/* test-pieces.c — a recording read a piece at a time (trace_extra.read,
 * what run --quiet does with a recording file) against the same text
 * held whole.
 *
 * The import must not depend on where the pieces end: for a real perl
 * recording with stacks, its prefixes cut anywhere (mid-line, mid-field),
 * with NUL padding, with CRLF line ends and with a line of every kind
 * broken, read a few bytes at a time into windows from the tightest that
 * holds its lines to the default, the diagnostics, the script (slots,
 * names, threads), the ops handed to the visitor, the stacks and the
 * counts must equal the whole text's. A line longer than INPUT_MAX_LINE
 * (the last one with its NUL padding), or a read that fails in the first
 * pass, refuses the text before any op runs (the caller reads it whole);
 * a read that fails later is an error; never a crash or a silent partial
 * import. */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/common/test_files.h"
#include "trace/trace.h"

typedef struct text {
	const char *bytes;
	size_t len;
	size_t most;      /* bytes handed out a call at most */
	size_t fail_at;   /* a read that reaches this offset fails (SIZE_MAX: none) */
	size_t reads;
} text;

static long long read_text(void *context, uint64_t at, char *buf, size_t size)
{
	text *t = context;
	t->reads++;
	if (at >= t->len || at + size > t->fail_at)
		return -1;
	size_t n = t->len - at < size ? t->len - at : size;
	if (n > t->most)
		n = t->most;
	memcpy(buf, t->bytes + at, n);
	return (long long)n;
}

/* Everything an import made, as text (the comparisons print what differs). */
typedef struct made {
	bool ok;
	char *all;
	size_t len, cap;
	size_t visited, stop_after; /* the visitor takes no op after stop_after */
} made;

/* How import() hands the ops over: one at a time (0), or written into a
 * window of this many (trace_extra.visit_window); and after how many ops
 * the visitor asks for no more. */
static size_t window_room;
static size_t stop_after = SIZE_MAX;

static void put(made *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(made *m, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	size_t k = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	while (m->len + k + 1 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4096;
		m->all = realloc(m->all, m->cap);
		ck_assert_ptr_nonnull(m->all);
	}
	memcpy(m->all + m->len, line, k + 1);
	m->len += k;
}

static bool visit(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	put(context, "op %d %u %u %llu %llu %llu %u line %u rec %u %d %d %llx %llx %lld\n", (int)op->kind, op->slot,
	    op->arg_slot, (unsigned long long)op->size, (unsigned long long)op->nmemb, (unsigned long long)op->align,
	    op->thread, line, rec->ret_kind, rec->has_brk, rec->has_value, (unsigned long long)rec->ret,
	    (unsigned long long)rec->brk, (long long)rec->value);
	made *m = context;
	return ++m->visited < m->stop_after;
}

/* The window's storage: two halves of `room`, handed out in turn (the
 * importer must write where the last flush said). */
typedef struct windowed {
	made *m;
	size_t room, flushes;
	sim_op *ops;
	uint32_t *lines;
	trace_recorded *recs;
} windowed;

static void window_half(windowed *v, trace_op_window *w)
{
	size_t at = v->flushes % 2 ? v->room : 0;
	*w = (trace_op_window){v->ops + at, v->lines + at, v->recs + at, v->room};
}

static bool take_window(void *context, size_t count, trace_op_window *w)
{
	windowed *v = context;
	ck_assert_uint_ge(count, 1);
	ck_assert_uint_le(count, v->room);
	trace_op_window mine;
	window_half(v, &mine);
	ck_assert_ptr_eq(w->ops, mine.ops);
	for (size_t i = 0; i < count; i++)
		if (!visit(v->m, &w->ops[i], w->lines[i], &w->recs[i]))
			return false;
	v->flushes++;
	window_half(v, w);
	return true;
}

/* Imports `bytes` visited, whole (window 0) or read a piece at a time. */
static made import(const char *bytes, size_t len, size_t window, size_t most, size_t fail_at)
{
	made m = {.stop_after = stop_after};
	script s;
	diag_list d;
	trace_extra x;
	script_init(&s);
	diag_list_init(&d);
	trace_extra_init(&x);
	x.visit = visit;
	x.visit_context = &m;
	windowed v = {&m, window_room, 0, NULL, NULL, NULL};
	if (window_room) {
		v.ops = calloc(2 * window_room, sizeof *v.ops);
		v.lines = calloc(2 * window_room, sizeof *v.lines);
		v.recs = calloc(2 * window_room, sizeof *v.recs);
		ck_assert(v.ops && v.lines && v.recs);
		x.visit_context = &v;
		x.visit_window = take_window;
		window_half(&v, &x.window);
	}
	text t = {bytes, len, most, fail_at, 0};
	if (window) {
		x.read = read_text;
		x.read_context = &t;
		x.read_window = window;
	}
	m.ok = trace_import(TRACE_FORMAT_RECORDING, "t", window ? NULL : bytes, len, &s, &d, &x);
	for (size_t i = 0; i < d.count; i++)
		put(&m, "%u:%u+%u: %s: %s\n", d.items[i].line, d.items[i].col, d.items[i].len,
		    diag_severity_name(d.items[i].severity), d.items[i].message);
	if (x.read_refused)
		put(&m, "refused\n");
	put(&m, "counts %zu %zu %zu %zu %zu %d %d %u %u %s|%s|%s visited %d %zu\n", x.line_count, x.call_count,
	    x.left_out_count, x.other_thread_count, x.bad_line_count, x.recording_complete, x.base_exact,
	    x.stopped_line, x.cut_line, x.glibc_version, x.tunables, x.exe, x.visited, x.visited_op_count);
	put(&m, "config %d %llx %u %u\n", (int)s.config.profile, (unsigned long long)s.config.heap_start, s.config.cpus,
	    s.config.set_mask);
	for (size_t i = 0; i < s.slot_count; i++)
		put(&m, "slot %zu %s site %u\n", i, script_slot_name(&s, (sim_slot)i), trace_stacks_site_of_slot(&x.stacks, (sim_slot)i));
	for (size_t i = 0; i < s.thread_capacity; i++)
		if (s.thread_names[i])
			put(&m, "thread %zu %s\n", i, s.thread_names[i]);
	for (size_t i = 0; i < s.op_count; i++)
		put(&m, "kept op %d %u line %u\n", (int)s.ops[i].kind, s.ops[i].slot, s.op_line[i]);
	put(&m, "stacks %zu sites %zu\n", x.stacks.stack_count, x.stacks.site_count);
	for (size_t i = 0; i < x.stacks.site_count; i++) {
		const char *fn = trace_stacks_site_function(&x.stacks, (uint32_t)i);
		put(&m, "site %zu %s\n", i, fn ? fn : "-");
	}
	trace_extra_release(&x);
	diag_list_release(&d);
	script_release(&s);
	free(v.ops);
	free(v.lines);
	free(v.recs);
	return m;
}

/* The smallest window a text's lines fit: nine of its longest. */
static size_t tightest(const char *bytes, size_t len)
{
	size_t longest = 1, start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || bytes[i] == '\n') {
			if (i + 1 - start > longest)
				longest = i + 1 - start;
			start = i + 1;
		}
	return 9 * longest;
}

static size_t compared, refusals;

/* Whether the text is refused when read in pieces, as the first pass
 * must find: not a recording (after its NUL padding), or a line longer
 * than INPUT_MAX_LINE as io/input_file.c measures it (the "\n" and a
 * "\r" before it not counted; the NUL padding no line's). */
static bool to_refuse(const char *bytes, size_t len)
{
	size_t end = len;
	while (end > 0 && bytes[end - 1] == '\0')
		end--;
	if (end < 18 || memcmp(bytes, "# brksim-recording", 18) != 0)
		return true;
	size_t start = 0;
	for (size_t i = 0; i <= end; i++)
		if (i == end || bytes[i] == '\n') {
			size_t n = i - start;
			if (n > 0 && bytes[i - 1] == '\r')
				n--;
			if (n > 65536)
				return true;
			start = i + 1;
		}
	return false;
}

/* Every window and piece size give what the whole text gives, or refuse
 * it when it must be read whole (the caller then does). */
static void check_same(const char *what, const char *bytes, size_t len)
{
	bool refuse = to_refuse(bytes, len);
	made whole = import(bytes, len, 0, 0, SIZE_MAX);
	size_t t = tightest(bytes, len);
	const size_t windows[] = {t, t + 1, t + 977, 64 << 10, 0};
	const size_t mosts[] = {1, 13, SIZE_MAX};
	for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++)
		for (size_t k = 0; k < sizeof mosts / sizeof mosts[0]; k++) {
			/* one byte a call only in the tightest window (it is slow);
			 * no window smaller than that (its lines do not fit) */
			if ((mosts[k] == 1 && w > 0) || (windows[w] != 0 && windows[w] < t))
				continue;
			made pieces = import(bytes, len, windows[w] ? windows[w] : TRACE_READ_WINDOW, mosts[k], SIZE_MAX);
			bool refused = strstr(pieces.all, "refused\n") != NULL;
			ck_assert_msg(refused == refuse, "%s, window %zu, pieces of %zu: %s", what, windows[w], mosts[k],
			              refused ? "refused" : "not refused");
			if (refused) {
				ck_assert_msg(strstr(pieces.all, "op ") == NULL, "%s: refused after an op ran", what);
				free(pieces.all);
				refusals++;
				continue;
			}
			ck_assert_msg(pieces.ok == whole.ok, "%s, window %zu, pieces of %zu: ok %d, whole %d", what, windows[w],
			              mosts[k], pieces.ok, whole.ok);
			if (strcmp(pieces.all, whole.all) != 0) {
				size_t i = 0;
				while (pieces.all[i] == whole.all[i])
					i++;
				size_t from = i > 200 ? i - 200 : 0;
				ck_abort_msg("%s, window %zu, pieces of %zu: differs at byte %zu:\n...%.300s\nwhole:\n...%.300s", what,
				             windows[w], mosts[k], i, pieces.all + from, whole.all + from);
			}
			free(pieces.all);
			compared++;
		}
	free(whole.all);
}

static char *perl_head(size_t *len)
{
	const char *dir = getenv("BRKSIM_SOURCE_DIR");
	ck_assert_msg(dir != NULL, "BRKSIM_SOURCE_DIR is not set");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/trace/data/perl-head.rec", dir);
	char *bytes = test_read_file(path, len);
	ck_assert_msg(bytes != NULL, "cannot read %s", path);
	return bytes;
}

START_TEST(a_real_recording_and_its_prefixes)
{
	size_t len;
	char *bytes = perl_head(&len);
	check_same("perl-head.rec", bytes, len);
	/* cut anywhere: the last line has no newline, or is a part of one */
	for (size_t cut = 1; cut < len; cut += 1 + cut / 3) {
		char what[64];
		snprintf(what, sizeof what, "perl-head.rec cut at %zu", cut);
		check_same(what, bytes, cut);
	}
	ck_assert_uint_gt(compared, 100);
	free(bytes);
}
END_TEST

START_TEST(padding_crlf_and_broken_lines)
{
	size_t len;
	char *bytes = perl_head(&len);
	/* NUL padding, longer than a window too, and than INPUT_MAX_LINE:
	 * never refused (a recording read while its program ran ends in
	 * megabytes of it) */
	refusals = 0;
	for (size_t pad = 1; pad < 200000; pad *= 7) {
		char *padded = calloc(len + pad, 1);
		ck_assert_ptr_nonnull(padded);
		memcpy(padded, bytes, len);
		check_same("padded", padded, len + pad);
		check_same("padded, last newline gone", padded, len - 1 + pad);
		free(padded);
	}
	ck_assert_uint_eq(refusals, 0);
	/* CRLF line ends */
	char *crlf = malloc(2 * len);
	ck_assert_ptr_nonnull(crlf);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = bytes[i];
	}
	check_same("crlf", crlf, n);
	free(crlf);
	/* one byte changed on lines of every kind (header, module, stack,
	 * sym, records of each thread, the end) */
	static const char swaps[] = {'x', ' ', '\0', '+', '@', '\r', '9', '\t'};
	char *broken = malloc(len);
	ck_assert_ptr_nonnull(broken);
	size_t k = 0;
	for (size_t at = 0; at < len; at += 331 + at % 401, k++) {
		memcpy(broken, bytes, len);
		broken[at] = swaps[k % sizeof swaps];
		char what[64];
		snprintf(what, sizeof what, "byte %zu changed", at);
		check_same(what, broken, len);
	}
	free(broken);
	free(bytes);
}
END_TEST

START_TEST(a_failing_read_is_an_error)
{
	size_t len;
	char *bytes = perl_head(&len);
	made whole = import(bytes, len, 0, 0, SIZE_MAX);
	ck_assert(whole.ok);
	/* the read fails at an offset: when the end's padding is looked
	 * for, or in the first pass (the file is refused: the caller reads
	 * it whole, and no op has run), or in the second (an error) */
	size_t refused = 0, said = 0;
	for (size_t at = 0; at < len + 1; at += 1 + at / 2) {
		made m = import(bytes, len, tightest(bytes, len), SIZE_MAX, at);
		ck_assert_msg(!m.ok, "a read failing at %zu: the import said it was fine", at);
		if (strstr(m.all, "refused\n") != NULL) {
			ck_assert_msg(strstr(m.all, "op ") == NULL, "a read failing at %zu: refused after an op ran", at);
			refused++;
		} else {
			ck_assert_msg(strstr(m.all, "0:0+0: error: the file could not be read again, or changed while it was "
			                            "read") != NULL,
			              "a read failing at %zu: not said:\n%.2000s", at, m.all);
			said++;
		}
		free(m.all);
	}
	ck_assert_uint_gt(refused, 0);
	/* (the second pass reads the whole text again: a read that fails
	 * there is one whose first reading went through) */
	made late = import(bytes, len, len + 1, SIZE_MAX, SIZE_MAX);
	ck_assert(late.ok);
	free(late.all);
	(void)said;
	/* a line longer than the window: refused */
	made m = import(bytes, len, 64, SIZE_MAX, SIZE_MAX);
	ck_assert(!m.ok);
	ck_assert_ptr_nonnull(strstr(m.all, "refused\n"));
	free(m.all);
	free(whole.all);
	free(bytes);
}
END_TEST

/* Reading in pieces, the file is not checked whole first: the first
 * pass refuses what input_file_read would (a line longer than
 * INPUT_MAX_LINE, the NUL padding not counted), and only that. */
START_TEST(lines_too_long_are_refused_before_any_op)
{
	size_t len;
	char *bytes = perl_head(&len);
	size_t max = 65536; /* INPUT_MAX_LINE */
	char *t = malloc(len + 2 * max + 16);
	ck_assert_ptr_nonnull(t);
	/* a line of max bytes fits, one more does not; a "\r" before its
	 * "\n" is not counted */
	for (size_t extra = 0; extra < 3; extra++) {
		size_t at = len / 2;
		while (bytes[at - 1] != '\n')
			at++;
		memcpy(t, bytes, at);
		size_t n = at;
		memcpy(t + n, "# note ", 7);
		size_t line_len = max + (extra ? 1 : 0);
		memset(t + n + 7, 'y', line_len - 7);
		n += line_len;
		if (extra == 2) {
			t[n - 1] = '\r'; /* max + 1 with its "\r": fits */
		}
		t[n++] = '\n';
		memcpy(t + n, bytes + at, len - at);
		n += len - at;
		made m = import(t, n, TRACE_READ_WINDOW, SIZE_MAX, SIZE_MAX);
		bool is_refused = strstr(m.all, "refused\n") != NULL;
		ck_assert_msg(is_refused == (extra == 1), "a line of %zu bytes%s: %s", line_len,
		              extra == 2 ? " with its \\r" : "", is_refused ? "refused" : "read");
		if (is_refused)
			ck_assert_ptr_null(strstr(m.all, "op "));
		else
			check_same("a long line", t, n);
		free(m.all);
	}
	/* the last line and its NUL padding, up to max bytes in all and
	 * past it: read (past it they were refused, counted as one line) */
	for (size_t cut = 0; cut < 2; cut++) {
		for (size_t pad = max - 2; pad < max + 2; pad++) {
			size_t n = len - cut; /* cut: the last line has no "\n" */
			size_t last = 0;
			for (size_t i = 0; i < n; i++)
				if (bytes[i] == '\n')
					last = i + 1;
			size_t tail = n - last;
			if (tail > pad)
				continue;
			memcpy(t, bytes, n);
			memset(t + n, 0, pad - tail);
			made m = import(t, n + pad - tail, TRACE_READ_WINDOW, SIZE_MAX, SIZE_MAX);
			bool is_refused = strstr(m.all, "refused\n") != NULL;
			ck_assert_msg(!is_refused, "a last line of %zu bytes with its padding: refused", pad);
			free(m.all);
		}
	}
	free(t);
	free(bytes);
}
END_TEST

/* ---- the common records' fast reading against the general one ---- */

/* A made import's text with the diagnostics' columns taken out ("L:C+N:"
 * becomes "L:"): a record with one more space after its letter is read
 * by the general reader, whose messages point one column further. */
static void strip_columns(made *m)
{
	char *out = m->all;
	for (const char *p = m->all; *p;) {
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p && *q == ':') {
			const char *r = q + 1;
			while ((*r >= '0' && *r <= '9') || *r == '+')
				r++;
			if (r > q + 1 && *r == ':') {
				memmove(out, p, (size_t)(q - p));
				out += q - p;
				p = r;
			}
		}
		while (*p && *p != '\n')
			*out++ = *p++;
		if (*p)
			*out++ = *p++;
	}
	*out = '\0';
}

typedef struct gen {
	uint64_t seed;
	char *text;
	size_t len, cap;
	char ptrs[64][24]; /* pointers returned so far, as written */
	size_t ptr_count;
} gen;

static uint32_t gen_rand(gen *g, uint32_t n)
{
	g->seed = g->seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(g->seed >> 33) % n;
}

static void gen_put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gen_put(gen *g, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < sizeof buf);
	while (g->len + (size_t)n + 1 > g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1 << 16;
		g->text = realloc(g->text, g->cap);
		ck_assert_ptr_nonnull(g->text);
	}
	memcpy(g->text + g->len, buf, (size_t)n + 1);
	g->len += (size_t)n;
}

/* A hex number as a recording may hold one, well-formed or not: 1 to 17
 * digits (the fast reader takes up to 8 at once, then one at a time),
 * leading zeros, an uppercase digit, a byte that is no digit, nothing. */
static void gen_hex(gen *g, char *out, size_t most)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	size_t n = 1 + gen_rand(g, gen_rand(g, 4) ? 8 : 17);
	if (n > most)
		n = most;
	for (size_t i = 0; i < n; i++)
		out[i] = gen_rand(g, 40) ? lower[gen_rand(g, 16)] : upper[gen_rand(g, 16)];
	if (n > 1 && out[0] != '0' && !gen_rand(g, 3))
		out[0] = '1'; /* (no leading zero, mostly) */
	switch (gen_rand(g, 60)) {
	case 0: out[gen_rand(g, (uint32_t)n)] = 'g'; break;
	case 1: out[gen_rand(g, (uint32_t)n)] = '\t'; break;
	case 2: out[gen_rand(g, (uint32_t)n)] = '/'; break;
	case 3: out[gen_rand(g, (uint32_t)n)] = ':'; break;
	case 4: out[gen_rand(g, (uint32_t)n)] = '`'; break;
	case 5: out[gen_rand(g, (uint32_t)n)] = (char)0xe6; break;
	case 6: n = 0; break;
	default: break;
	}
	out[n] = '\0';
}

/* A pointer: mostly a main-heap offset (often one returned before), an
 * mmapped chunk, another arena's, NULL, or something malformed. */
static void gen_ptr(gen *g, char *out, bool passed)
{
	char hex[20];
	uint32_t k = gen_rand(g, 40);
	if (passed && g->ptr_count && k < 28) {
		strcpy(out, g->ptrs[gen_rand(g, (uint32_t)g->ptr_count)]);
		return;
	}
	gen_hex(g, hex, 17);
	const char kinds[] = "+++++++++MA?X0";
	char kind = kinds[gen_rand(g, sizeof kinds - 1)];
	if (kind == '0')
		snprintf(out, 24, "%s", gen_rand(g, 4) ? "0" : "00");
	else if (!gen_rand(g, 3) && kind == '+')
		/* a main-heap chunk's offset: a multiple of 16 */
		snprintf(out, 24, "+%llx", (unsigned long long)(0x2a0 + 16 * gen_rand(g, 1 << 20)));
	else
		snprintf(out, 24, "%c%s", kind, hex);
}

static void gen_record(gen *g)
{
	char a[24], b[24], in[24], out[24], brk[24], tail[40];
	static const char ops[] = "mmmmmfffffrrrcca";
	char op = ops[gen_rand(g, sizeof ops - 1)];
	if (!gen_rand(g, 12))
		gen_put(g, "T%u ", 100 + gen_rand(g, 3));
	gen_hex(g, a, 17);
	gen_hex(g, b, 17);
	gen_ptr(g, in, true);
	gen_ptr(g, out, false);
	gen_hex(g, brk, 17);
	if (!gen_rand(g, 20)) {
		memmove(brk + 1, brk, strlen(brk) + 1);
		brk[0] = '-';
	}
	switch (gen_rand(g, 16)) {
	case 0: strcpy(tail, ""); break;
	case 1: strcpy(tail, " @0"); break;
	case 2: strcpy(tail, " @"); break;
	case 3: strcpy(tail, " @12x"); break;
	case 4: strcpy(tail, " @0000000000000000002"); break; /* 19 digits */
	case 5: strcpy(tail, " @000000000000000003"); break;  /* 18 */
	case 6: strcpy(tail, "  @1"); break;
	case 7: strcpy(tail, " "); break;
	case 8: strcpy(tail, "@1"); break;
	case 9: strcpy(tail, " @99"); break; /* no such stack */
	default: snprintf(tail, sizeof tail, " @%u", 1 + gen_rand(g, 3)); break;
	}
	switch (op) {
	case 'm': gen_put(g, "m %s %s %s%s", a, out, brk, tail); break;
	case 'c': gen_put(g, "c %s %s %s %s%s", a, b, out, brk, tail); break;
	case 'a': gen_put(g, "a %s %s %s %s%s", a, b, out, brk, tail); break;
	case 'r': gen_put(g, "r %s %s %s %s%s", in, b, out, brk, tail); break;
	default: gen_put(g, "f %s %s%s", in, brk, gen_rand(g, 8) ? "" : tail); break;
	}
	if (op != 'f' && out[0] == '+' && g->ptr_count < 64)
		strcpy(g->ptrs[g->ptr_count++], out);
	gen_put(g, gen_rand(g, 30) ? "\n" : "\r\n");
}

/* The same text with one more space after each record's letter: none of
 * its records is read by the fast reader. */
static char *slowed(const char *from, size_t len, size_t *out_len)
{
	char *s = malloc(2 * len + 1);
	ck_assert_ptr_nonnull(s);
	size_t n = 0;
	bool line_start = true;
	for (size_t i = 0; i < len; i++) {
		s[n++] = from[i];
		if (line_start && from[i] != '#' && from[i] != 's') {
			/* past a `T<tid> ` to the letter */
			size_t j = i;
			if (from[i] == 'T') {
				while (j < len && from[j] != ' ' && from[j] != '\n')
					s[n++] = from[++j];
				if (j < len && from[j] == ' ')
					s[n++] = from[++j];
			}
			if (j + 1 < len && from[j + 1] == ' ')
				s[n++] = ' ';
			i = j;
		}
		line_start = from[i] == '\n';
	}
	*out_len = n;
	return s;
}

START_TEST(the_fast_reading_agrees_with_the_general_one)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		gen g = {.seed = seed};
		gen_put(&g, "# brksim-recording 2\n# glibc 2.36\n# pid 4242\n# brk0 55d1a2b3c000\n# brk-now 55d1a2b3c000\n"
		            "s 1 ?4011a0 ?401f00\ns 2 ?4012b0\ns 3 ?4012b0 ?401f00\nT100 n 4242\n");
		for (int i = 0; i < 1500; i++)
			gen_record(&g);
		/* the last line with its newline, without (cut), or a header */
		if (seed % 3 == 1)
			gen_record(&g);
		else if (seed % 3 == 2)
			gen_put(&g, "m 10 +7f0 21000 @1");
		else
			gen_put(&g, "# end 1501");
		/* (held in a block of its exact size: a read past its end is
		 * one past the block, which the sanitizers catch) */
		char *exact = malloc(g.len);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, g.text, g.len);
		free(g.text);
		g.text = exact;
		size_t slow_len;
		char *slow = slowed(g.text, g.len, &slow_len);
		made fast = import(g.text, g.len, 0, 0, SIZE_MAX);
		made general = import(slow, slow_len, 0, 0, SIZE_MAX);
		ck_assert_ptr_nonnull(strstr(fast.all, "op ")); /* (some records are well-formed) */
		strip_columns(&fast);
		strip_columns(&general);
		if (strcmp(fast.all, general.all) != 0) {
			size_t i = 0;
			while (fast.all[i] == general.all[i])
				i++;
			size_t from = i > 300 ? i - 300 : 0;
			ck_abort_msg("seed %llu: differs at byte %zu:\n...%.400s\ngeneral:\n...%.400s", (unsigned long long)seed,
			             i, fast.all + from, general.all + from);
		}
		ck_assert_int_eq(fast.ok, general.ok);
		/* and read in pieces: windows end anywhere after a line, where
		 * the fast reader's 8-byte loads must stop (two texts: it is
		 * slow, read a byte at a time) */
		if (seed <= 2)
			check_same("generated records", g.text, g.len);
		free(fast.all);
		free(general.all);
		free(slow);
		free(g.text);
	}
}
END_TEST

/* The ops written into a window (what run --quiet takes them in) are
 * the ops handed over one at a time, in the same order with the same
 * lines and recorded results, whatever the window's room, and a visitor
 * that stops taking them gets none after (threads' starts and exits
 * included: the generated records have a thread). */
static void check_windows(const char *what, const char *bytes, size_t len)
{
	const size_t rooms[] = {1, 2, 7, 513};
	const size_t stops[] = {SIZE_MAX, 1, 5, 100};
	for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		stop_after = stops[k];
		made one = import(bytes, len, 0, 0, SIZE_MAX);
		ck_assert_ptr_nonnull(strstr(one.all, "op "));
		for (size_t r = 0; r < sizeof rooms / sizeof rooms[0]; r++) {
			window_room = rooms[r];
			made w = import(bytes, len, r % 2 ? TRACE_READ_WINDOW : 0, SIZE_MAX, SIZE_MAX);
			window_room = 0;
			ck_assert_msg(w.ok == one.ok && strcmp(w.all, one.all) == 0,
			              "%s: a window of %zu, stopping after %zu ops, differs from one op at a time", what,
			              rooms[r], stops[k]);
			free(w.all);
		}
		free(one.all);
	}
	stop_after = SIZE_MAX;
}

START_TEST(ops_written_in_a_window_are_the_ops_visited)
{
	size_t len;
	char *bytes = perl_head(&len);
	check_windows("perl-head.rec", bytes, len);
	free(bytes);
	gen g = {.seed = 7};
	gen_put(&g, "# brksim-recording 2\n# glibc 2.36\n# pid 4242\n# brk0 55d1a2b3c000\n# brk-now 55d1a2b3c000\n"
	            "s 1 ?4011a0 ?401f00\ns 2 ?4012b0\nT100 n 4242\n");
	for (int i = 0; i < 1500; i++) {
		gen_record(&g);
		if (i == 700)
			gen_put(&g, "T100 x\nT101 n 4242\n");
	}
	gen_put(&g, "# end 1500\n");
	check_windows("generated records", g.text, g.len);
	free(g.text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recordings read in pieces");
	TCase *tc = tcase_create("pieces");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_real_recording_and_its_prefixes);
	tcase_add_test(tc, padding_crlf_and_broken_lines);
	tcase_add_test(tc, a_failing_read_is_an_error);
	tcase_add_test(tc, lines_too_long_are_refused_before_any_op);
	tcase_add_test(tc, the_fast_reading_agrees_with_the_general_one);
	tcase_add_test(tc, ops_written_in_a_window_are_the_ops_visited);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
