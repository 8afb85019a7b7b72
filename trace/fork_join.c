/* fork_join.c — a forked child's recording joined to its parent's (see
 * fork_join.h). One pass over each text, line by line; the output is
 * built in one growing buffer. */
#include "fork_join.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lang/input_limits.h"

/* Past this many modules in either file the join refuses: a process maps
 * a few hundred objects, and matching the child's modules to the
 * parent's is a search over them. */
#define JOIN_MODULES_MAX 8192u

/* ---- lines ---- */

typedef struct line_iter {
	const char *p, *end;
} line_iter;

typedef struct text_line {
	const char *s;
	size_t n;     /* without its '\n' */
	bool newline; /* it ended in '\n' (a cut last line does not) */
} text_line;

static bool next_line(line_iter *it, text_line *l)
{
	if (it->p >= it->end)
		return false;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	l->s = it->p;
	l->n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	l->newline = nl != NULL;
	it->p = nl ? nl + 1 : it->end;
	return true;
}

/* Whether line l is the header line `# KEY` (followed by a space or its end). */
static bool is_key(const text_line *l, const char *key, const char **value)
{
	size_t k = strlen(key);
	if (l->n < 2 + k || memcmp(l->s, "# ", 2) != 0 || memcmp(l->s + 2, key, k) != 0)
		return false;
	if (l->n > 2 + k && l->s[2 + k] != ' ')
		return false;
	*value = l->s + 2 + k + (l->n > 2 + k ? 1 : 0);
	return true;
}

static bool read_dec(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	while (s < end && *s >= '0' && *s <= '9' && s - *p < 19)
		x = x * 10 + (uint64_t)(*s++ - '0');
	if (s == *p)
		return false;
	*p = s;
	*v = x;
	return true;
}

static bool read_hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	for (; s < end && s - *p < 16; s++) {
		char c = *s;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		x = x << 4 | (uint64_t)d;
	}
	if (s == *p)
		return false;
	*p = s;
	*v = x;
	return true;
}

/* ---- the output ---- */

typedef struct jbuf {
	char *p;
	size_t len, cap;
	bool oom;
} jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *grown = realloc(b->p, cap);
		if (!grown) {
			b->oom = true;
			return;
		}
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(jbuf *b, const char *s) { put(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3))) static void putf(jbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void put_line(jbuf *b, const text_line *l)
{
	put(b, l->s, l->n);
	put(b, "\n", 1);
}

/* ---- a set of 64-bit keys with a 32-bit value (open addressing) ---- */

typedef struct kmap {
	uint64_t *keys; /* key + 1 (0: empty) */
	uint32_t *vals;
	size_t cap, count;
	bool oom;
} kmap;

static size_t kslot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static uint32_t *kmap_at(kmap *m, uint64_t key, bool add)
{
	if (m->oom)
		return NULL;
	if (add && (m->count + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		uint64_t *keys = calloc(cap, sizeof *keys);
		uint32_t *vals = calloc(cap, sizeof *vals);
		if (!keys || !vals) {
			free(keys);
			free(vals);
			m->oom = true;
			return NULL;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = kslot(m->keys[i] - 1, cap);
				while (keys[j])
					j = (j + 1) & (cap - 1);
				keys[j] = m->keys[i];
				vals[j] = m->vals[i];
			}
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	if (m->cap == 0)
		return NULL;
	size_t i = kslot(key, m->cap);
	while (m->keys[i]) {
		if (m->keys[i] == key + 1)
			return &m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!add)
		return NULL;
	m->keys[i] = key + 1;
	m->vals[i] = 0;
	m->count++;
	return &m->vals[i];
}

static void kmap_free(kmap *m)
{
	free(m->keys);
	free(m->vals);
}

/* ---- modules ---- */

/* A `# module ID REST` line: its id and what follows it (range, bias,
 * build id, path: the object's identity). */
typedef struct module_line {
	uint64_t id;
	const char *rest;
	size_t rest_n;
} module_line;

static bool parse_module(const char *value, const char *end, module_line *m)
{
	const char *p = value;
	if (!read_dec(&p, end, &m->id) || p >= end || *p != ' ')
		return false;
	m->rest = p + 1;
	m->rest_n = (size_t)(end - m->rest);
	return true;
}

typedef struct modules {
	module_line *items;
	size_t count, cap;
	uint64_t max_id;
} modules;

static bool modules_add(modules *ms, const module_line *m)
{
	if (ms->count == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 64;
		module_line *grown = realloc(ms->items, cap * sizeof *grown);
		if (!grown)
			return false;
		ms->items = grown;
		ms->cap = cap;
	}
	ms->items[ms->count++] = *m;
	if (m->id > ms->max_id)
		ms->max_id = m->id;
	return true;
}

/* The parent's id of the object a child's module line names, or -1. */
static int64_t parent_module(const modules *parent, const module_line *m)
{
	for (size_t i = 0; i < parent->count; i++)
		if (parent->items[i].rest_n == m->rest_n && memcmp(parent->items[i].rest, m->rest, m->rest_n) == 0)
			return (int64_t)parent->items[i].id;
	return -1;
}

/* ---- the header ---- */

void trace_fork_of_read(const char *text, size_t len, trace_fork_of *out)
{
	memset(out, 0, sizeof *out);
	out->pid = out->parent_pid = -1;
	line_iter it = {text, text + input_unpadded_len(text, len)};
	text_line l;
	while (next_line(&it, &l) && l.n > 0 && l.s[0] == '#') {
		const char *v, *end = l.s + l.n;
		uint64_t x;
		if (is_key(&l, "pid", &v) && read_dec(&v, end, &x))
			out->pid = (int64_t)x;
		else if (is_key(&l, "forked-from", &v) && read_dec(&v, end, &x))
			out->parent_pid = (int64_t)x;
		else if (is_key(&l, "fork-of", &v)) {
			/* K PID NAME: the name last, it may hold spaces */
			uint64_t pid;
			if (!read_dec(&v, end, &x) || v >= end || *v++ != ' ' || !read_dec(&v, end, &pid) || v >= end ||
			    *v++ != ' ' || v >= end || (size_t)(end - v) >= sizeof out->parent_name)
				continue;
			memcpy(out->parent_name, v, (size_t)(end - v));
			out->parent_name[end - v] = '\0';
			out->seq = x;
			out->of_pid = (int64_t)pid;
			out->named = true;
		} else if (is_key(&l, "forked-after-limit", &v) && read_dec(&v, end, &x)) {
			out->after_limit = x;
		} else if (is_key(&l, "fork-unmarked", &v)) {
			uint64_t tid;
			if (read_dec(&v, end, &x) && v < end && *v++ == ' ' && read_dec(&v, end, &tid) && v == end) {
				out->unmarked = true;
				out->at = x;
				out->tid = tid;
			}
		}
	}
}

bool trace_fork_name_ok(const char *name)
{
	if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* ---- an unmarked fork's mark ---- */

bool trace_fork_mark(const char *parent, size_t parent_len, const trace_fork_of *fo, char **out, size_t *out_len,
                     char *why, size_t why_size)
{
	*out = NULL;
	*out_len = 0;
	parent_len = input_unpadded_len(parent, parent_len);
	if (fo->at > parent_len || fo->at == 0 || parent[fo->at - 1] != '\n') {
		snprintf(why, why_size,
		         "it has no line starting at byte %llu, where the child says its fork happened (its fork ran no fork "
		         "handler, so the parent's file has no mark of it): the file is shorter, or not the one the child "
		         "forked from",
		         (unsigned long long)fo->at);
		return false;
	}
	char line[64];
	int n = snprintf(line, sizeof line, "# fork %llu %llu\n", (unsigned long long)fo->seq, (unsigned long long)fo->tid);
	size_t len = parent_len + (size_t)n;
	char *text = malloc(len + 1);
	if (!text) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	memcpy(text, parent, fo->at);
	memcpy(text + fo->at, line, (size_t)n);
	memcpy(text + fo->at + (size_t)n, parent + fo->at, parent_len - fo->at);
	text[len] = '\0';
	*out = text;
	*out_len = len;
	return true;
}

/* ---- the join ---- */

typedef struct join {
	jbuf out;
	modules parent_mods;
	kmap parent_syms;  /* the parent's `# sym` keys (module, offset) */
	uint64_t stack_base;      /* the parent's largest stack id before the fork */
	int64_t main_pid;         /* the parent's `# pid`: the joined recording's main thread */
	int64_t forker_pid;       /* the process that forked (a joined parent's child): its main thread's tid */
	uint64_t fork_tid;        /* the thread that forked (`# fork K TID`; 0: the main thread) */
	uint64_t records;         /* the parent's records before the fork */
	char *why;
	size_t why_size;
} join;

__attribute__((format(printf, 2, 3))) static bool fail(join *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->why, j->why_size, fmt, ap);
	va_end(ap);
	return false;
}

/* The key of a `# sym MODULE+OFFSET` line's frame, false when malformed. */
static bool sym_key(const char *v, const char *end, uint64_t *module, uint64_t *offset, const char **after)
{
	const char *p = v;
	if (!read_dec(&p, end, module) || p >= end || *p != '+')
		return false;
	p++;
	if (!read_hex(&p, end, offset))
		return false;
	*after = p;
	return true;
}

/* A frame as one key, exactly: a module id below 2^16 (JOIN_MODULES_MAX)
 * and an offset in an ELF file below 2^48. False for any other (a
 * malformed line), which is then neither deduplicated nor dropped. */
static bool frame_key(uint64_t module, uint64_t offset, uint64_t *key)
{
	if (module >= (1u << 16) || offset >= (1ull << 48))
		return false;
	*key = module << 48 | offset;
	return true;
}

/* The parent: its header and its lines up to `# fork K`, into the output
 * (its `# sym` lines are the join's last, with the child's). */
static bool take_parent(join *j, const char *parent, size_t len, int64_t want_pid, uint64_t seq, const char *child_name,
                        const char **fork_line)
{
	line_iter it = {parent, parent + len};
	text_line l;
	int64_t pid = -1, joined_pid = -1;
	bool first = true;
	*fork_line = NULL;
	while (next_line(&it, &l)) {
		const char *v, *end = l.s + l.n;
		uint64_t x;
		if (first) {
			first = false;
			if (l.n < 18 || memcmp(l.s, "# brksim-recording", 18) != 0)
				return fail(j, "it is not a brksim recording");
			put_line(&j->out, &l);
			/* where the join came from, second: the output's own
			 * mark (app/join_cmd.c knows its files by it) */
			puts_(&j->out, "# joined ");
			for (const char *c = child_name; *c; c++)
				put(&j->out, (unsigned char)*c < 0x20 || *c == 0x7f ? "?" : c, 1);
			put(&j->out, "\n", 1);
			continue;
		}
		if (!l.newline)
			break; /* a cut last line: the fork was not before it */
		if (is_key(&l, "fork", &v)) {
			/* `# fork K`, or `# fork K TID` from a thread not the main one */
			uint64_t tid = 0;
			if (read_dec(&v, end, &x) && x == seq &&
			    (v == end || (*v == ' ' && (++v, read_dec(&v, end, &tid)) && v == end && tid > 0))) {
				j->fork_tid = tid;
				*fork_line = l.s;
				break;
			}
			continue; /* another fork's */
		}
		if (is_key(&l, "sym", &v))
			continue;
		if (is_key(&l, "pid", &v) && read_dec(&v, end, &x))
			pid = (int64_t)x;
		else if (is_key(&l, "fork-joined", &v) && read_dec(&v, end, &x))
			joined_pid = (int64_t)x; /* (a joined parent: its lines below are that process's) */
		else if (is_key(&l, "disturbed", &v) || is_key(&l, "stopped", &v) || is_key(&l, "size-limit", &v))
			return fail(j, "its recording stopped early, before the fork (%.*s)", (int)(l.n > 200 ? 200 : l.n),
			            l.s);
		else if (is_key(&l, "module", &v)) {
			module_line m;
			if (!parse_module(v, end, &m) || m.id >= UINT32_MAX)
				return fail(j, "it has a malformed module line");
			if (j->parent_mods.count >= JOIN_MODULES_MAX)
				return fail(j, "it has more than %u modules", JOIN_MODULES_MAX);
			if (!modules_add(&j->parent_mods, &m))
				return fail(j, "out of memory");
		} else if (l.n >= 2 && l.s[0] == 's' && l.s[1] == ' ') {
			const char *p = l.s + 2;
			if (read_dec(&p, end, &x) && x > j->stack_base)
				j->stack_base = x;
		} else if (l.n > 0 && l.s[0] != '#') {
			j->records++;
		}
		put_line(&j->out, &l);
	}
	j->main_pid = pid;
	j->forker_pid = joined_pid >= 0 ? joined_pid : pid;
	if ((joined_pid >= 0 ? joined_pid : pid) != want_pid)
		return fail(j, "it is the recording of pid %lld, not of pid %lld whose heap the child began with",
		            (long long)(joined_pid >= 0 ? joined_pid : pid), (long long)want_pid);
	if (!*fork_line)
		return fail(j, "it has no '# fork %llu' line: it was cut before the fork, or made by a recorder that did not "
		               "mark forks", (unsigned long long)seq);
	return true;
}

/* The parent's `# sym` lines whose module it had at the fork (all of its
 * file: the driver writes them last). */
static void take_parent_syms(join *j, const char *parent, size_t len, jbuf *to)
{
	line_iter it = {parent, parent + len};
	text_line l;
	while (next_line(&it, &l)) {
		const char *v, *after;
		uint64_t module, offset;
		if (!l.newline || !is_key(&l, "sym", &v) || !sym_key(v, l.s + l.n, &module, &offset, &after))
			continue;
		bool known = false;
		for (size_t i = 0; i < j->parent_mods.count && !known; i++)
			known = j->parent_mods.items[i].id == module;
		if (!known)
			continue;
		uint64_t key;
		uint32_t *seen = frame_key(module, offset, &key) ? kmap_at(&j->parent_syms, key, true) : NULL;
		if (seen && *seen == 1)
			continue; /* (the same frame named twice) */
		if (seen)
			*seen = 1;
		put_line(to, &l);
	}
}

/* The child's module ids in the join: the parent's id of the same object,
 * else a new one past the parent's. */
typedef struct child_mods {
	kmap ids; /* child id -> joined id + 1 */
	uint64_t next;
} child_mods;

static bool map_frame(child_mods *cm, const char **p, const char *end, jbuf *out)
{
	if (*p < end && **p == '?') {
		const char *s = *p;
		while (*p < end && **p != ' ')
			(*p)++;
		put(out, s, (size_t)(*p - s));
		return true;
	}
	uint64_t module;
	if (!read_dec(p, end, &module) || *p >= end || **p != '+')
		return false;
	uint32_t *v = kmap_at(&cm->ids, module, false);
	if (!v)
		return false;
	putf(out, "%u", *v - 1);
	const char *s = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	put(out, s, (size_t)(*p - s));
	return true;
}

/* The child's lines: its header left out but its modules, its stacks and
 * records renumbered. */
static bool take_child(join *j, const char *child, size_t len, const trace_fork_of *fo, const jbuf *parent_syms)
{
	child_mods cm = {{0}, j->parent_mods.max_id + 1};
	jbuf syms = {0};
	line_iter it = {child, child + len};
	text_line l, cut = {0};
	bool ok = true;
	while (ok && next_line(&it, &l)) {
		const char *v, *end = l.s + l.n;
		uint64_t x;
		if (!l.newline) {
			cut = l; /* kept last: the importer says it was cut */
			break;
		}
		if (l.n == 0)
			continue;
		if (is_key(&l, "module", &v)) {
			module_line m;
			if (!parse_module(v, end, &m)) {
				ok = fail(j, "the child's recording has a malformed module line");
				break;
			}
			if (cm.ids.count >= JOIN_MODULES_MAX) {
				ok = fail(j, "the child's recording has more than %u modules", JOIN_MODULES_MAX);
				break;
			}
			int64_t id = parent_module(&j->parent_mods, &m);
			uint32_t *slot = kmap_at(&cm.ids, m.id, true);
			if (!slot) {
				ok = fail(j, "out of memory");
				break;
			}
			if (id < 0 && cm.next >= UINT32_MAX) {
				ok = fail(j, "the parent's module ids leave no room for the child's");
				break;
			}
			if (id < 0) {
				id = (int64_t)cm.next++;
				putf(&j->out, "# module %lld ", (long long)id);
				put(&j->out, m.rest, m.rest_n);
				put(&j->out, "\n", 1);
			}
			*slot = (uint32_t)id + 1;
			continue;
		}
		if (is_key(&l, "sym", &v)) {
			uint64_t module, offset;
			const char *after;
			uint32_t *mapped;
			if (!sym_key(v, end, &module, &offset, &after) || !(mapped = kmap_at(&cm.ids, module, false)))
				continue; /* (the importer's to judge in a file of its own; a join keeps what it can name) */
			uint64_t joined = *mapped - 1;
			uint64_t key;
			if (frame_key(joined, offset, &key) && kmap_at(&j->parent_syms, key, false))
				continue; /* (named by the parent's line) */
			const char *plus = memchr(v, '+', (size_t)(end - v));
			putf(&syms, "# sym %llu", (unsigned long long)joined);
			put(&syms, plus, (size_t)(end - plus));
			put(&syms, "\n", 1);
			(void)after;
			continue;
		}
		if (is_key(&l, "end", &v)) {
			if (read_dec(&v, end, &x) && v == end)
				putf(&j->out, "# end %llu\n", (unsigned long long)(x + j->records));
			continue;
		}
		/* (its own forks' marks too: a child of it is joined to this join;
		 * and what it met outside its calls, where it met it) */
		if (is_key(&l, "note", &v) || is_key(&l, "disturbed", &v) || is_key(&l, "stopped", &v) ||
		    is_key(&l, "size-limit", &v) || is_key(&l, "fork-joined", &v) || is_key(&l, "fork", &v) ||
		    is_key(&l, "brk-moved", &v) || is_key(&l, "deepbind", &v)) {
			put_line(&j->out, &l);
			continue;
		}
		if (l.s[0] == '#')
			continue; /* the child's header */
		if (l.n >= 2 && l.s[0] == 's' && l.s[1] == ' ') {
			const char *p = l.s + 2;
			if (!read_dec(&p, end, &x) || x == 0) {
				put_line(&j->out, &l); /* (malformed: the importer says so) */
				continue;
			}
			putf(&j->out, "s %llu", (unsigned long long)(x + j->stack_base));
			while (p < end && *p == ' ') {
				p++;
				put(&j->out, " ", 1);
				if (!map_frame(&cm, &p, end, &j->out)) {
					ok = fail(j, "the child's stack %llu names a module its recording does not list",
					          (unsigned long long)x);
					break;
				}
			}
			put(&j->out, "\n", 1);
			continue;
		}
		/* a record: its stack id renumbered; a thread the child's main
		 * thread started names the joined recording's main thread */
		const char *at = end;
		while (at > l.s && at[-1] != ' ')
			at--;
		const char *body_end = end;
		uint64_t stack = 0;
		bool has_stack = at < end && *at == '@';
		if (has_stack) {
			const char *p = at + 1;
			if (read_dec(&p, end, &stack) && p == end)
				body_end = at;
			else
				has_stack = false;
		}
		if (l.s[0] == 'T') {
			const char *p = l.s + 1;
			uint64_t tid, parent_tid;
			if (read_dec(&p, end, &tid) && p + 3 < end && memcmp(p, " n ", 3) == 0) {
				const char *q = p + 3;
				if (read_dec(&q, end, &parent_tid) && q == end && fo->pid >= 0 &&
				    parent_tid == (uint64_t)fo->pid) {
					put(&j->out, l.s, (size_t)(p + 3 - l.s));
					putf(&j->out, "%lld\n", (long long)j->main_pid);
					continue;
				}
			}
		}
		put(&j->out, l.s, (size_t)(body_end - l.s));
		if (has_stack)
			putf(&j->out, "@%llu", (unsigned long long)(stack ? stack + j->stack_base : 0));
		put(&j->out, "\n", 1);
	}
	if (ok && syms.oom)
		ok = fail(j, "out of memory");
	if (ok) {
		/* both files' names, then a cut last line, last */
		put(&j->out, parent_syms->p ? parent_syms->p : "", parent_syms->len);
		put(&j->out, syms.p ? syms.p : "", syms.len);
		if (cut.s)
			put(&j->out, cut.s, cut.n);
	}
	free(syms.p);
	kmap_free(&cm.ids);
	if (ok && cm.ids.oom)
		ok = fail(j, "out of memory");
	return ok;
}

bool trace_fork_join(const char *parent, size_t parent_len, const char *child, size_t child_len,
                     const char *child_name, char **out, size_t *out_len, char *why, size_t why_size)
{
	*out = NULL;
	*out_len = 0;
	join j;
	memset(&j, 0, sizeof j);
	j.why = why;
	j.why_size = why_size;
	parent_len = input_unpadded_len(parent, parent_len);
	child_len = input_unpadded_len(child, child_len);
	trace_fork_of fo;
	trace_fork_of_read(child, child_len, &fo);
	jbuf parent_syms = {0};
	const char *fork_line = NULL;
	bool ok = true;
	if (fo.parent_pid < 0 || !fo.named)
		ok = fail(&j, "it is not a forked child's recording that names its parent's (no '# forked-from' and "
		              "'# fork-of' lines: made before brksim marked forks, or not forked)");
	if (ok)
		ok = take_parent(&j, parent, parent_len, fo.of_pid, fo.seq, child_name, &fork_line);
	if (ok) {
		take_parent_syms(&j, parent, parent_len, &parent_syms);
		if (j.fork_tid != 0 && (int64_t)j.fork_tid != j.forker_pid)
			putf(&j.out, "# fork-joined %lld %llu %llu\n", (long long)fo.pid, (unsigned long long)fo.seq,
			     (unsigned long long)j.fork_tid);
		else
			putf(&j.out, "# fork-joined %lld %llu\n", (long long)fo.pid, (unsigned long long)fo.seq);
		ok = take_child(&j, child, child_len, &fo, &parent_syms);
	}
	if (ok && (j.out.oom || j.parent_syms.oom || parent_syms.oom))
		ok = fail(&j, "out of memory");
	free(parent_syms.p);
	free(j.parent_mods.items);
	kmap_free(&j.parent_syms);
	if (!ok) {
		free(j.out.p);
		return false;
	}
	*out = j.out.p;
	*out_len = j.out.len;
	return true;
}
