/* import_util.h — what every importer shares: line splitting, a cursor
 * with number parsing, the op/slot builder, the pointer -> slot map, and
 * diagnostics that are reported one by one up to a limit and then counted.
 *
 * Private to trace/. Pure: no I/O, no globals. */
#ifndef BRKSIM_TRACE_IMPORT_UTIL_H
#define BRKSIM_TRACE_IMPORT_UTIL_H

#include <stdarg.h>
#include <string.h>
#if defined(__SSE2__) && !defined(BRKSIM_SCAN_BYTES)
#include <emmintrin.h>
#endif

#include "../lang/input_limits.h"
#include "trace.h"

/* ---- lines and a cursor over one line ---- */

/* One input line without its "\n" (and without a trailing "\r"). */
typedef struct tline {
	const char *text;
	size_t len;
	uint32_t number; /* 1-based */
	bool cut;        /* the input's last line, without a final "\n" */
	bool too_long;   /* longer than INPUT_MAX_LINE: to be refused unread */
} tline;

typedef struct tsplit {
	const char *p, *end;
	uint32_t number;
} tsplit;

void tsplit_init(tsplit *s, const char *bytes, size_t len);

/* The first "\n" in [p, end), or NULL. A line of a recording is 20 to 60
 * bytes: its first 32 are looked at here, 16 at a time with SSE2, before
 * a call of memchr (whose call was 3 % of a recording's import). The byte
 * loop's build (BRKSIM_SCAN_BYTES, import_recording.c) takes memchr. */
static inline const char *tsplit_newline(const char *p, const char *end)
{
#if defined(__SSE2__) && !defined(BRKSIM_SCAN_BYTES)
	if (end - p >= 32) {
		const __m128i nl = _mm_set1_epi8('\n');
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
		if (m)
			return p + __builtin_ctz(m);
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), nl));
		if (m)
			return p + 16 + __builtin_ctz(m);
		p += 32;
	}
#endif
	return memchr(p, '\n', (size_t)(end - p));
}

/* Next line; false at the end of the input. A final line without "\n"
 * counts; an empty input has no lines. (Inline: a recording's import
 * splits each of its lines twice.) */
static inline bool tsplit_next(tsplit *s, tline *line)
{
	if (!s->p || s->p >= s->end)
		return false;
	const char *nl = tsplit_newline(s->p, s->end);
	const char *stop = nl ? nl : s->end;
	line->text = s->p;
	line->len = (size_t)(stop - s->p);
	if (line->len && line->text[line->len - 1] == '\r')
		line->len--;
	line->number = ++s->number;
	line->cut = nl == NULL;
	line->too_long = line->len > INPUT_MAX_LINE;
	s->p = nl ? nl + 1 : s->end;
	return true;
}


/* The lines of a text held whole, or read a piece at a time into a
 * window (a recording run as it is read: the text is not held whole).
 * Either way the lines, their numbers and their flags are tsplit's. */
typedef struct tlines {
	tsplit sp;             /* over the complete lines in hand */
	const char *bytes;     /* the whole text; NULL when read in pieces */
	size_t len;            /* the text's length */
	trace_text_reader read;
	void *context;
	char *buf;             /* the window (pieces) */
	size_t cap, have;      /* its size, and the bytes in it */
	size_t next;           /* the text's offset of buf[have] */
	bool failed;           /* a read failed, or a line outgrew the window */
	bool out_of_memory;
} tlines;

void tlines_whole(tlines *t, const char *bytes, size_t len);
/* `window`: the most held at once (0: TRACE_READ_WINDOW); no memory is
 * taken before tlines_rewind. */
void tlines_pieces(tlines *t, trace_text_reader read, void *context, size_t len, size_t window);
void tlines_release(tlines *t);
/* The text's first bytes (up to `want`, fewer when it is shorter), read
 * for the purpose; NULL on failure. Invalidates the lines in hand. */
const char *tlines_head(tlines *t, size_t want, size_t *got);
/* How many NUL bytes end the text (read backwards a window at a time). */
size_t tlines_trailing_nuls(tlines *t);
/* Shortens the text to its first `len` bytes (before tlines_rewind). */
void tlines_truncate(tlines *t, size_t len);
/* The text's offset of the next line's first byte. (Inline: the first
 * pass of a recording asks at every line.) */
static inline size_t tlines_offset(const tlines *t)
{
	if (!t->read)
		return t->sp.p ? (size_t)(t->sp.p - t->bytes) : 0;
	return t->sp.p ? t->next - t->have + (size_t)(t->sp.p - t->buf) : t->next - t->have;
}
/* Starts at line 1 (again). False on failure (t->failed or t->out_of_memory). */
bool tlines_rewind(tlines *t);
bool tlines_refill_next(tlines *t, tline *line, const char *hold, ptrdiff_t *moved);
/* The lines tlines_next would give next, as they are in hand: one block
 * [*begin, *end) of whole lines (each with its "\n", but a cut last line
 * of the text), the first numbered t->sp.number + 1; false at the end,
 * or on failure. Reading in pieces, it reads the next piece once the
 * lines in hand are consumed (tlines_consume: all of the block, which
 * holds `lines` lines). For a pass that splits the lines itself. */
bool tlines_block(tlines *t, const char **begin, const char **end);
void tlines_consume(tlines *t, uint32_t lines);
/* The next line; false at the end, or on failure. A text read in pieces
 * keeps the lines from `hold` on (a line returned earlier; NULL: none)
 * in hand, but may move them: by *moved bytes (0 when they stay), which
 * the caller adds to its pointers into them. */
static inline bool tlines_next(tlines *t, tline *line, const char *hold, ptrdiff_t *moved)
{
	*moved = 0;
	if (tsplit_next(&t->sp, line))
		return true;
	return t->read != NULL && tlines_refill_next(t, line, hold, moved);
}

typedef struct tcur {
	const char *start; /* the line's first byte: columns count from here */
	const char *p, *end;
	uint32_t line;
} tcur;

void tcur_init(tcur *c, const tline *line);
uint32_t tcur_col(const tcur *c); /* 1-based column of c->p */

/* The three below are inline: an importer calls them a dozen times a
 * line, and a million-line recording spent a tenth of its load in the
 * calls themselves. */

/* Skips spaces and tabs. */
static inline void tcur_skip_space(tcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static inline bool tcur_at_end(const tcur *c)
{
	return c->p >= c->end;
}

/* Consumes `lit` if the input continues with it. */
static inline bool tcur_eat(tcur *c, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}
/* Length of the token at p (up to a space or tab or the end). */
size_t tcur_token_len(const tcur *c);
/* The token at p quoted for a message ("'abc'": DIAG_QUOTE, escaped and
 * cut to a prefix with "…") in buf (DIAG_QUOTE_SIZE + 2 bytes or more), or
 * "end of line" when there is none. */
const char *tcur_token_text(const tcur *c, char *buf, size_t size);
/* A buffer that holds any tcur_token_text: the quote and two "'". */
#define TQUOTE_SIZE (DIAG_QUOTE_SIZE + 3)

typedef enum tnum_status { TNUM_OK = 0, TNUM_NONE, TNUM_OVERFLOW } tnum_status;
/* Unsigned decimal digits. TNUM_NONE (and nothing consumed) when there are none. */
tnum_status tcur_dec(tcur *c, uint64_t *out);
/* "0x" + hex digits (when need_prefix) or bare hex digits. */
tnum_status tcur_hex(tcur *c, bool need_prefix, uint64_t *out);
/* "0x..." as hex, otherwise decimal. */
tnum_status tcur_num(tcur *c, uint64_t *out);
/* Each byte's value as a hex digit plus one (0: not a hex digit). */
extern const signed char tcur_hex_value[256];

/* Up to 8 hex digits at p, read 8 bytes at a time (a recording's
 * numbers have 2 to 7: the loop a digit was a sixth of its import's
 * instructions; mtrace's and ltrace's pointers have 12): how many
 * lowercase hex digits begin the 8 bytes, 8 when all do, and in *v their
 * value (unless none do). The bytes need not be part of the line, only
 * readable. (Little-endian only: elsewhere it says 8 and gives no value,
 * and the callers read a digit at a time.) */
static inline unsigned swar_hex8(const char *p, uint64_t *v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t w;
	memcpy(&w, p, sizeof w); /* p[0] in the low byte */
	uint64_t y = w & ~highs; /* (no carry between bytes below) */
	/* a byte's high bit: '0' <= it <= '9', or 'a' <= it <= 'f' */
	uint64_t digit = (y + ones * (0x80 - '0')) & ~(y + ones * (0x7f - '9'));
	uint64_t letter = (y + ones * (0x80 - 'a')) & ~(y + ones * (0x7f - 'f'));
	uint64_t none = ~((digit | letter) & ~w) & highs;
	unsigned n = none ? (unsigned)__builtin_ctzll(none) / 8 : 8;
	if (n == 0)
		return 0;
	/* each byte's value (a letter has 0x40), the first digit the most
	 * significant: in the byte order of the number, then pairs, fours
	 * and eights of digits put together */
	uint64_t x = (y & ones * 0x0f) + ((y >> 6) & ones) * 9;
	x = __builtin_bswap64(x) >> (8 * (8 - n));
	x = (x | x >> 4) & 0x00ff00ff00ff00ffULL;
	x = (x | x >> 8) & 0x0000ffff0000ffffULL;
	x = (x | x >> 16) & 0x00000000ffffffffULL;
	*v = x;
	return n;
#else
	(void)p;
	(void)v;
	return 8;
#endif
}

/* ---- pointer or id -> slot map (open addressing, never shrinks) ---- */

enum { TMAP_EMPTY = 0, TMAP_DEAD = 1, TMAP_LIVE = 2 };

/* 16 bytes: the tables of a multi-million-call trace stay cache-friendly. */
/* A hash that keeps a trace's locality: keys of one aligned group of
 * 2^group_bits (chunks of the same stretch of heap, consecutive ids)
 * land in neighbouring buckets, so they share cache lines; the groups
 * themselves are spread by a 64-bit mix. */
static inline size_t trace_group_hash(uint64_t key, unsigned group_bits)
{
	uint64_t group = key >> group_bits;
	group ^= group >> 33;
	group *= 0xff51afd7ed558ccdULL;
	group ^= group >> 33;
	group *= 0xc4ceb9fe1a85ec53ULL;
	group ^= group >> 33;
	return (size_t)((group << group_bits) | (key & ((1u << group_bits) - 1)));
}

/* tmap's hash: groups of 64 keys (1 KiB of heap, 64 consecutive ids). */
static inline size_t trace_locality_hash(uint64_t key)
{
	return trace_group_hash(key, 6);
}

typedef struct tmap_entry {
	uint64_t key;
	sim_slot slot;
	uint32_t line : 30; /* where it last changed state (for messages) */
	uint32_t state : 2; /* TMAP_* */
} tmap_entry;

typedef struct tmap {
	tmap_entry *items;
	size_t capacity, count;
	unsigned shift; /* keys step by 1 << shift (4: chunk pointers, 0: ids) */
} tmap;

void tmap_init(tmap *m, unsigned shift);
void tmap_release(tmap *m);
/* Records where the entry last changed (lines past 2^30 wrap in messages). */
static inline void tmap_touch(tmap_entry *e, uint32_t line)
{
	e->line = line & 0x3fffffffu;
}

/* The entry for key, or NULL. */
tmap_entry *tmap_find(const tmap *m, uint64_t key);
/* The entry for key, inserted (state TMAP_DEAD, slot SIM_NO_SLOT) when
 * missing; NULL on allocation failure. Pointers stay valid until the next
 * tmap_get. */
tmap_entry *tmap_get(tmap *m, uint64_t key);

/* ---- diagnostics by kind ---- */

typedef enum tissue {
	TI_SYNTAX = 0,   /* a malformed line (error) */
	TI_HEADER,       /* a header problem (error) */
	TI_HEADER_WARN,  /* a header inconsistency (warning) */
	TI_INCONSISTENT, /* an op that contradicts the trace so far (error) */
	TI_SUSPECT,      /* an op that is allowed but odd (warning) */
	TI_UNKNOWN_PTR,  /* free/realloc of a pointer the trace never returned (warning) */
	TI_OTHER_THREAD, /* a call from another thread or process (warning) */
	TI_OTHER_ARENA,  /* a call on a chunk of another arena (warning) */
	TI_UNFINISHED,   /* a call that never returned (warning) */
	TI_NOOP,         /* free(NULL), f -1, invalid posix_memalign (note) */
	TI_OTHER_CALL,   /* a line that is not an allocator call (note) */
	TI_EVENT,        /* signal / exit lines (note) */
	TI_DUPLICATE,    /* a call inside another allocator call (ltrace -x) (note) */
	TI_CUT,          /* a recording's last line without its newline: cut off (warning) */
	TI_COUNT
} tissue;

/* ---- the builder ---- */

typedef struct tbuild {
	script *out;
	diag_list *diags;
	trace_extra *extra;
	trace_extra own_extra;  /* used when the caller passed extra = NULL */
	bool want_recorded;
	size_t recorded_capacity;
	bool out_of_memory;
	/* A last line without "\n" was cut off by a dying process: what is
	 * malformed on it is reported as cut off (a warning), not as an error. */
	uint32_t cut_line;
	size_t issue_count[TI_COUNT];
	size_t left_out_by_issue[TI_COUNT];
	/* Ops made (in the script, or handed to `visit`). */
	size_t op_count;
	/* Streaming (trace_extra.visit): ops go to visit instead of the
	 * script; `visiting` turns false when it asks for no more. */
	trace_op_visitor visit;
	void *visit_context;
	bool visiting;
	/* trace_extra.visit_window: the ops written in extra->window, the
	 * first `window_count` of its room */
	trace_window_visitor visit_window;
	size_t window_count;
	/* A first pass that only looks (mtrace's and ltrace's search for the
	 * heap's base): ops are counted, not kept; a slot is a number without
	 * a name; issues are not worded. What the pass decides depends on the
	 * order of calls and on which pointers are live, never on names or
	 * kept ops: a full build into scratch outputs was half of the import
	 * of a 1.29M-call mtrace file. */
	bool scan;
} tbuild;

void tbuild_init(tbuild *b, script *out, diag_list *diags, trace_extra *extra, trace_format format,
                 bool want_recorded);
/* tbuild_init for a scan (tbuild.scan): `out` gets unnamed slots only,
 * diagnostics go nowhere. Released by tbuild_finish_scan. */
void tbuild_init_scan(tbuild *b, script *out, trace_format format);
void tbuild_finish_scan(tbuild *b);
/* Appends an op (and its recorded result when want_recorded; rec may be
 * NULL = unknown), or hands it to b->visit when set. False on allocation
 * failure (then out_of_memory). */
bool tbuild_op(tbuild *b, const sim_op *op, uint32_t line, uint32_t col, const trace_recorded *rec);
/* With visit_window: hands over the ops written into the window and not
 * yet taken (the import's end). */
void tbuild_visit_flush(tbuild *b);
/* Where the next op and its recorded result may be made: in the
 * visitor's window, when the ops are written there (then tbuild_op,
 * given them, copies nothing), else the caller's own. Valid until the
 * next tbuild_op. */
static inline sim_op *tbuild_op_room(tbuild *b, sim_op *own)
{
	return b->visit_window && b->visiting ? &b->extra->window.ops[b->window_count] : own;
}
static inline trace_recorded *tbuild_rec_room(tbuild *b, trace_recorded *own)
{
	return b->visit_window && b->visiting ? &b->extra->window.recs[b->window_count] : own;
}
/* tbuild_op, inline for an op and its result made in the window
 * (tbuild_op_room, tbuild_rec_room: a streamed recording's every op;
 * the call and tbuild_op's tests were 2.6 % of run --quiet's
 * instructions on perl-1m). */
static inline bool tbuild_op_made(tbuild *b, const sim_op *op, uint32_t line, uint32_t col, const trace_recorded *rec)
{
	if (!b->out_of_memory && b->visit && b->visit_window && b->visiting) {
		trace_op_window *w = &b->extra->window;
		size_t k = b->window_count;
		if (op == &w->ops[k] && rec == &w->recs[k]) {
			w->lines[k] = line;
			if (++b->window_count == w->room)
				tbuild_visit_flush(b);
			b->op_count++;
			return true;
		}
	}
	return tbuild_op(b, op, line, col, rec);
}
/* A new slot named by printf-style fmt (made unique with ".2", ".3" ...
 * when the name exists). SIM_NO_SLOT on allocation failure. */
sim_slot tbuild_slot(tbuild *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for `prefix` and the decimal `number` (no printf: a .rep trace
 * names a slot an id). */
sim_slot tbuild_slot_number(tbuild *b, const char *prefix, int64_t number);
/* Streaming, for an importer whose every op is final once made (no
 * result learnt later): its ops go to trace_extra's visitor as they are
 * made when it asks so. Returns trace_extra's names_on_demand: then the
 * importer makes its slots named after a key (an address, an id) with
 * tbuild_keyed_slot, unnamed, and tbuild_stream_end hands the keys to
 * trace_extra.slot_ptr for `namer` (the script's slot_namer, context the
 * trace_extra), which tbuild_key_taken helps to word a name taken
 * before. Call tbuild_stream before the pass that builds; after it,
 * tbuild_stream_end (namer NULL: the slots were named as made). */
bool tbuild_stream(tbuild *b);
sim_slot tbuild_keyed_slot(tbuild *b, uint64_t **keys, size_t *cap, uint64_t key);
/* How many slots before `slot` have its key (new_slot's suffix: ".2" for
 * the second); a scan of them all (run --quiet asks one or two names). */
unsigned tbuild_key_taken(const trace_extra *x, sim_slot slot);
void tbuild_stream_end(tbuild *b, uint64_t **keys, size_t *cap,
                       const char *(*namer)(const void *context, sim_slot slot, char *buf, size_t size));
/* Makes room for `count` ops (and their recorded results) in all. Only a
 * hint: false when it could not, and appending still grows the arrays. */
bool tbuild_reserve(tbuild *b, size_t count);
/* Reports an issue of `kind` at line:col (col may be 0); the first few of
 * each kind become diagnostics, the rest are counted for tbuild_finish.
 * `left_out` says the line's call was not turned into an op. */
void tbuild_issue(tbuild *b, tissue kind, bool left_out, uint32_t line, uint32_t col, uint32_t len,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Reports the counts of issues past their limit and a summary note;
 * returns true when no error was reported. */
bool tbuild_finish(tbuild *b, const char *what);

/* Call before handling each line: reports a line longer than
 * INPUT_MAX_LINE (an error, the line left out) and returns false for it;
 * remembers a cut-off last line. */
bool tbuild_line(tbuild *b, const tline *line);
/* Only the length check (for formats without cut-off lines: .rep). */
bool tbuild_line_fits(tbuild *b, const tline *line);

/* ---- absolute addresses (mtrace, ltrace) ---- */

/* Pointers at or above this are taken as mmapped chunks or other arenas:
 * on x86-64 Linux the brk heap sits just above the program (low for
 * non-PIE; 0x5555_5555_4000 for PIE, moved up by up to 2^mmap_rnd_bits
 * pages) and mmap works down from below the stack, moved down by as
 * much. The default 28 bits move each by up to 1 TiB: mmapped chunks at
 * 0x7eff... are common (1 run in about 40 of test-tools' target), so
 * 0x7f00... was no boundary. Even the largest setting, 32 bits (16 TiB),
 * keeps PIE heaps below 0x6556... and mmap above 0x6fff...: this lies
 * between. */
#define TADDR_FAR 0x680000000000ULL

/* What the importer knows about the pointers of an address-only trace.
 * Used in two passes: the first finds the lowest heap pointer (the base
 * guess), the second builds the script with slots named by offset. */
typedef struct taddr {
	tmap map;             /* absolute address -> slot, live state */
	uint64_t min_heap;    /* lowest heap-like pointer returned (pass 1) */
	uint64_t base;        /* heap base guess (pass 2); 0 in pass 1 */
	sim_slot nil_slot;    /* the slot failed allocations go to */
	/* Names on demand (taddr_stream): a pointer's slot is made without a
	 * name, and its address kept here (0 for the other slots) for
	 * taddr_slot_name. */
	bool lazy_names;
	uint64_t *slot_addr;
	size_t slot_addr_cap;
} taddr;

void taddr_init(taddr *a, uint64_t base);
void taddr_release(taddr *a);
/* tbuild_stream and tbuild_stream_end for an importer of addresses: with
 * names_on_demand its pointers' slots are named only when asked. */
void taddr_stream(tbuild *b, taddr *a);
void taddr_stream_end(tbuild *b, taddr *a);
/* The base guess from the lowest heap pointer: the page below it after
 * taking off glibc 2.26+'s tcache chunk (user pointers start at +0x2a0). */
uint64_t taddr_guess_base(uint64_t min_heap);
trace_ret_kind taddr_kind(uint64_t addr);
/* The recorded result for a returned pointer (0 = NULL). */
trace_recorded taddr_recorded(const taddr *a, uint64_t addr);
/* The slot for a pointer the allocator just returned (0 = NULL: the
 * failure slot). Reuses the address's slot when it was freed; warns and
 * makes a new one when the trace still has it live. SIM_NO_SLOT on OOM. */
sim_slot taddr_returned(tbuild *b, taddr *a, uint64_t addr, uint32_t line, uint32_t col);
/* What taddr_returned learns of the base from a returned pointer, alone
 * (for a first pass whose base depends on nothing else). */
static inline void taddr_note_returned(taddr *a, uint64_t addr)
{
	if (addr != 0 && addr < TADDR_FAR && addr < a->min_heap)
		a->min_heap = addr;
}
/* The live entry for a pointer being freed or reallocated, or NULL. */
tmap_entry *taddr_live(taddr *a, uint64_t addr);

#endif
