/* rust_demangle.c — Rust's v0 mangling read back (see rust_demangle.h).
 *
 * A recursive descent over the name, writing as it reads; a part that is
 * only read (an impl's own path) is read with the writing off. Back
 * references re-read an earlier part of the name: each points before
 * itself, and the depth is bounded, so a name is read in bounded time. */
#include "rust_demangle.h"

#include <stdint.h>
#include <string.h>

enum { DEPTH_MAX = 64 };

typedef struct v0 {
	const char *s; /* the name after "_R": back references count from here */
	size_t n, at;
	char *out;
	size_t size, len;
	unsigned depth, quiet;
	bool bad;
} v0;

static char peek(const v0 *v)
{
	return v->at < v->n ? v->s[v->at] : '\0';
}

static char next(v0 *v)
{
	if (v->at >= v->n) {
		v->bad = true;
		return '\0';
	}
	return v->s[v->at++];
}

static bool eat(v0 *v, char c)
{
	if (peek(v) != c)
		return false;
	v->at++;
	return true;
}

static void emit_n(v0 *v, const char *text, size_t n)
{
	if (v->quiet)
		return;
	if (v->len + n >= v->size) {
		v->bad = true;
		return;
	}
	memcpy(v->out + v->len, text, n);
	v->len += n;
	v->out[v->len] = '\0';
}

static void emit(v0 *v, const char *text)
{
	emit_n(v, text, strlen(text));
}

static void emit_number(v0 *v, uint64_t x)
{
	char digits[24];
	size_t k = sizeof digits;
	do
		digits[--k] = (char)('0' + x % 10);
	while ((x /= 10) != 0);
	emit_n(v, digits + k, sizeof digits - k);
}

/* "_" is 0, digits and letters then "_" the number they make plus 1. */
static uint64_t base62(v0 *v)
{
	if (eat(v, '_'))
		return 0;
	uint64_t x = 0;
	for (;;) {
		char c = next(v);
		if (v->bad)
			return 0;
		if (c == '_')
			break;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'z' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'Z' ? (unsigned)(c - 'A' + 36)
		                                    : 62;
		if (d == 62 || x > (UINT64_MAX - d) / 62) {
			v->bad = true;
			return 0;
		}
		x = x * 62 + d;
	}
	return x + 1;
}

/* Absent: 0; "s" and a number: that number plus 1. */
static uint64_t disambiguator(v0 *v)
{
	return eat(v, 's') ? base62(v) + 1 : 0;
}

/* An identifier's bytes (punycode ones are not read). */
static bool identifier(v0 *v, const char **name, size_t *len, uint64_t *dis)
{
	*dis = disambiguator(v);
	if (peek(v) == 'u' || !(peek(v) >= '0' && peek(v) <= '9')) {
		v->bad = true;
		return false;
	}
	size_t n = 0;
	if (!eat(v, '0')) /* (no leading zero: "0" is a whole number, an empty name) */
		while (peek(v) >= '0' && peek(v) <= '9' && n < 100000)
			n = n * 10 + (size_t)(next(v) - '0');
	if (n > 0)
		eat(v, '_'); /* (before bytes that start with a digit or "_") */
	if (n > v->n - v->at) {
		v->bad = true;
		return false;
	}
	*name = v->s + v->at;
	*len = n;
	v->at += n;
	return true;
}

static void path(v0 *v, bool in_value);
static void type(v0 *v);

/* Reads a back reference and runs `read` at the position it names. */
static void backref(v0 *v, void (*read)(v0 *, bool), bool arg)
{
	size_t here = v->at - 1; /* (its "B") */
	uint64_t to = base62(v);
	if (v->bad || to >= here) {
		v->bad = true;
		return;
	}
	size_t after = v->at;
	v->at = (size_t)to;
	read(v, arg);
	v->at = after;
}

static void type_read(v0 *v, bool unused)
{
	(void)unused;
	type(v);
}

static void constant(v0 *v, bool with_type);

static void generic_arg(v0 *v)
{
	if (eat(v, 'L')) {
		base62(v);
		emit(v, "'_");
	} else if (eat(v, 'K')) {
		constant(v, true); /* (`escape_unicode::<10: usize>`) */
	} else {
		type(v);
	}
}

static void path(v0 *v, bool in_value)
{
	if (++v->depth > DEPTH_MAX) {
		v->bad = true;
		return;
	}
	const char *name;
	size_t len;
	uint64_t dis;
	char c = next(v);
	switch (c) {
	case 'C': /* a crate root: its name (its hash is the disambiguator) */
		if (identifier(v, &name, &len, &dis))
			emit_n(v, name, len);
		break;
	case 'N': { /* a nested path: a namespace, the path, a name */
		char ns = next(v);
		path(v, in_value);
		if (!identifier(v, &name, &len, &dis))
			break;
		if (ns >= 'a' && ns <= 'z') {
			emit(v, "::");
			emit_n(v, name, len);
		} else if (ns >= 'A' && ns <= 'Z') {
			/* a closure, a shim, or another special namespace */
			char other[] = {':', ':', '{', ns, '\0'};
			emit(v, ns == 'C' ? "::{closure" : ns == 'S' ? "::{shim" : other);
			if (len) {
				emit(v, ":");
				emit_n(v, name, len);
			}
			emit(v, "#");
			emit_number(v, dis);
			emit(v, "}");
		} else {
			v->bad = true;
		}
		break;
	}
	case 'M': /* an inherent impl: <Type> */
	case 'X': /* a trait impl: <Type as Trait> */
		disambiguator(v);
		v->quiet++; /* (the impl's own path is not written) */
		path(v, false);
		v->quiet--;
		emit(v, "<");
		type(v);
		if (c == 'X') {
			emit(v, " as ");
			path(v, false);
		}
		emit(v, ">");
		break;
	case 'Y': /* a trait's definition: <Type as Trait> */
		emit(v, "<");
		type(v);
		emit(v, " as ");
		path(v, false);
		emit(v, ">");
		break;
	case 'I': { /* generic arguments: `f::<T>` as a value, `Vec<T>` as a type */
		path(v, in_value);
		emit(v, in_value ? "::<" : "<");
		for (bool first = true; !v->bad && !eat(v, 'E'); first = false) {
			if (!first)
				emit(v, ", ");
			generic_arg(v);
		}
		emit(v, ">");
		break;
	}
	case 'B':
		backref(v, path, in_value);
		break;
	default:
		v->bad = true;
	}
	v->depth--;
}

static const char *basic_type(char c)
{
	switch (c) {
	case 'a': return "i8";
	case 'b': return "bool";
	case 'c': return "char";
	case 'd': return "f64";
	case 'e': return "str";
	case 'f': return "f32";
	case 'h': return "u8";
	case 'i': return "isize";
	case 'j': return "usize";
	case 'l': return "i32";
	case 'm': return "u32";
	case 'n': return "i128";
	case 'o': return "u128";
	case 's': return "i16";
	case 't': return "u16";
	case 'u': return "()";
	case 'v': return "...";
	case 'x': return "i64";
	case 'y': return "u64";
	case 'z': return "!";
	case 'p': return "_";
	default: return NULL;
	}
}

/* A function pointer's signature: fn(A, B) -> R. */
static void fn_sig(v0 *v)
{
	if (eat(v, 'G'))
		base62(v);
	if (eat(v, 'U'))
		emit(v, "unsafe ");
	if (eat(v, 'K')) {
		const char *abi;
		size_t len;
		uint64_t dis;
		if (eat(v, 'C')) {
			emit(v, "extern \"C\" ");
		} else if (identifier(v, &abi, &len, &dis)) {
			emit(v, "extern \"");
			emit_n(v, abi, len);
			emit(v, "\" ");
		}
	}
	emit(v, "fn(");
	for (bool first = true; !v->bad && !eat(v, 'E'); first = false) {
		if (!first)
			emit(v, ", ");
		type(v);
	}
	emit(v, ")");
	if (eat(v, 'u'))
		return; /* (returns ()) */
	emit(v, " -> ");
	type(v);
}

/* dyn Trait + Trait<Assoc = T> (its lifetime not written). */
static void dyn_bounds(v0 *v)
{
	if (eat(v, 'G'))
		base62(v);
	emit(v, "dyn ");
	for (bool first = true; !v->bad && !eat(v, 'E'); first = false) {
		if (!first)
			emit(v, " + ");
		path(v, false);
		/* associated types join the trait's own arguments: Fn<(A,), Output = R> */
		for (bool any = false; !v->bad && eat(v, 'p'); any = true) {
			const char *name;
			size_t len;
			uint64_t dis;
			bool has_args = !v->quiet && v->len > 0 && v->out[v->len - 1] == '>';
			if (!any && has_args)
				v->out[--v->len] = '\0';
			emit(v, any || has_args ? ", " : "<");
			if (!identifier(v, &name, &len, &dis))
				return;
			emit_n(v, name, len);
			emit(v, " = ");
			type(v);
			if (peek(v) != 'p')
				emit(v, ">");
		}
	}
	if (eat(v, 'L'))
		base62(v);
}

static void type(v0 *v)
{
	if (++v->depth > DEPTH_MAX) {
		v->bad = true;
		return;
	}
	char c = peek(v);
	const char *basic = basic_type(c);
	if (basic != NULL) {
		v->at++;
		emit(v, basic);
	} else if (eat(v, 'A')) {
		emit(v, "[");
		type(v);
		emit(v, "; ");
		constant(v, false);
		emit(v, "]");
	} else if (eat(v, 'S')) {
		emit(v, "[");
		type(v);
		emit(v, "]");
	} else if (eat(v, 'T')) {
		emit(v, "(");
		size_t n = 0;
		for (; !v->bad && !eat(v, 'E'); n++) {
			if (n)
				emit(v, ", ");
			type(v);
		}
		emit(v, n == 1 ? ",)" : ")");
	} else if (c == 'R' || c == 'Q') {
		v->at++;
		if (eat(v, 'L'))
			base62(v);
		emit(v, c == 'R' ? "&" : "&mut ");
		type(v);
	} else if (c == 'P' || c == 'O') {
		v->at++;
		emit(v, c == 'P' ? "*const " : "*mut ");
		type(v);
	} else if (eat(v, 'F')) {
		fn_sig(v);
	} else if (eat(v, 'D')) {
		dyn_bounds(v);
	} else if (eat(v, 'B')) {
		backref(v, type_read, false);
	} else {
		path(v, false);
	}
	v->depth--;
}

/* A constant: an integer (decimal; its type after it when with_type),
 * a bool, `_`. */
static void constant(v0 *v, bool with_type)
{
	if (eat(v, 'p')) {
		emit(v, "_");
		return;
	}
	if (eat(v, 'B')) {
		backref(v, constant, with_type);
		return;
	}
	char t = next(v);
	bool is_int = strchr("ahijlmnostxy", t) != NULL && t != '\0';
	if (!is_int && t != 'b') {
		v->bad = true;
		return;
	}
	bool negative = eat(v, 'n');
	uint64_t x = 0;
	unsigned digits = 0;
	for (;;) {
		char c = next(v);
		if (v->bad || c == '_')
			break;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
		if (d == 16 || ++digits > 16) {
			v->bad = true;
			return;
		}
		x = x << 4 | d;
	}
	if (t == 'b') {
		emit(v, x ? "true" : "false");
		return;
	}
	if (negative)
		emit(v, "-");
	emit_number(v, x);
	if (with_type) {
		emit(v, ": ");
		emit(v, basic_type(t));
	}
}

bool rust_v0_demangle(const char *name, char *out, size_t size)
{
	if (name == NULL || name[0] != '_' || name[1] != 'R' || size == 0)
		return false;
	const char *s = name + 2;
	v0 v = {.s = s, .n = strlen(s), .out = out, .size = size};
	out[0] = '\0';
	while (peek(&v) >= '0' && peek(&v) <= '9') /* (an encoding version) */
		v.at++;
	path(&v, true);
	/* (what follows, the instantiating crate or a vendor suffix, is not
	 * part of the name a reader wants) */
	return !v.bad && v.len > 0;
}
