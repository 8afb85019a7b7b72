/* append.h — a bounded text appender into a caller's buffer, for the
 * sentences of sim/explain.c and the call text of `brksim run`.
 *
 * Owns: appending bytes, decimal and hex numbers, and the few printf
 * conversions the explanations use, with snprintf's contract: never more
 * than size - 1 bytes plus a NUL, and `len` counts what a large enough
 * buffer would have held. A million-op `run --format=json` explains five
 * million events: glibc's vsnprintf (a FILE set up per call, locale and
 * width handling) was most of the sentences' cost.
 * Must not: allocate, or accept a conversion it does not write exactly as
 * printf does (see sim_append_format). */
#ifndef BRKSIM_SIM_APPEND_H
#define BRKSIM_SIM_APPEND_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Invariant: buf[min(len, size - 1)] == '\0' when size > 0; the bytes
 * before it are the first of the `len` appended. */
typedef struct sim_append {
	char *buf;
	size_t size, len;
} sim_append;

/* Starts an empty text in buf[0..size) (buf[0] = '\0' when size > 0). */
void sim_append_init(sim_append *a, char *buf, size_t size);

/* sim_append_mem's way when s does not fit whole. */
void sim_append_mem_cut(sim_append *a, const char *s, size_t n);

/* Appends n bytes (they need not be NUL-terminated). Inline: nearly
 * every piece of a sentence is a literal whose size the compiler knows,
 * and its copy is then a few moves. */
static inline void sim_append_mem(sim_append *a, const char *s, size_t n)
{
	if (a->len + n >= a->size) {
		sim_append_mem_cut(a, s, n);
		return;
	}
	char *to = a->buf + a->len;
	if (!__builtin_constant_p(n) && n <= 16) {
		/* a short copy of a size known only when running: two
		 * overlapping loads and stores, not a call of memcpy */
		if (n >= 8) {
			uint64_t x, y;
			memcpy(&x, s, 8);
			memcpy(&y, s + n - 8, 8);
			memcpy(to, &x, 8);
			memcpy(to + n - 8, &y, 8);
		} else {
			for (size_t i = 0; i < n; i++)
				to[i] = s[i];
		}
	} else {
		memcpy(to, s, n);
	}
	a->len += n;
	a->buf[a->len] = '\0';
}
/* Appends a NUL-terminated string. */
void sim_append_str(sim_append *a, const char *s);
/* The same bytes as printf's %llu. */
void sim_append_dec(sim_append *a, uint64_t v);
/* The same bytes as printf's %lld. */
void sim_append_int(sim_append *a, int64_t v);
/* The same bytes as printf's %llx (no "0x"). */
void sim_append_hex(sim_append *a, uint64_t v);

/* printf for the conversions %s, %c, %d, %i, %u, %x (with the length
 * modifiers l, ll and z) and %%, with no flags, width or precision:
 * the same bytes as snprintf writes for them. Anything else is a
 * programming error and is written as it stands (the format attribute
 * still checks the arguments' types). */
__attribute__((format(printf, 2, 3))) void sim_append_format(sim_append *a, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) void sim_append_vformat(sim_append *a, const char *fmt, va_list ap);

/* snprintf with sim_append_format's conversions: returns the length it
 * needed. */
__attribute__((format(printf, 3, 4))) size_t sim_append_snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
