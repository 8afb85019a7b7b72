/* lex.c — tokens of the scenario language, a physical line at a time.
 *
 * Owns: the byte-level grammar (see lex.h). Must not: interpret words.
 * One lexical error per line at most, so a binary or wrongly encoded file
 * yields one message per line rather than one per byte. */
#include "lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_limits.h"
#include "utf8.h"

void lexer_init(lexer *lx, const char *src, size_t len, diag_list *diags)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src ? src : "";
	lx->len = src ? len : 0;
	lx->line = 1;
	lx->diags = diags;
	/* A UTF-8 byte order mark is invisible in editors: skip it. */
	if (lx->len >= 3 && memcmp(lx->src, "\xEF\xBB\xBF", 3) == 0) {
		lx->pos = 3;
		lx->line_start = 3; /* columns count from after it, as diag_render shows the line */
	}
}

void lex_line_release(lex_line *line)
{
	free(line->tokens);
	free(line->pool);
	memset(line, 0, sizeof *line);
}

const char *lex_string_text(const lex_line *line, const lex_token *token)
{
	if (token->kind != LEX_STRING || !line->pool)
		return "";
	return line->pool + token->text_off;
}

bool lex_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0) {
			if (bad_at)
				*bad_at = i;
			return false;
		}
		i += n;
	}
	return true;
}

static bool is_ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ascii_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Non-ASCII code points that may be part of a name (Chinese names are
 * welcome); punctuation, symbols and full-width ASCII forms are not. */
static bool is_word_codepoint(uint32_t cp)
{
	if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7 || utf8_is_unsafe(cp)) /* names are printed raw: no bidi marks */
		return false;
	if (cp >= 0x2000 && cp <= 0x2bff)
		return false;
	if (cp >= 0x3000 && cp <= 0x303f)
		return false;
	if (cp >= 0xfe10 && cp <= 0xfe6f)
		return false;
	if (cp >= 0xff00 && cp <= 0xff65)
		return false;
	if (cp >= 0xfff0 && cp <= 0xffff)
		return false;
	if (cp >= 0x1f000)
		return false;
	return true;
}

/* Length of a word character at s (ASCII or UTF-8), 0 if none. */
static size_t word_char(const unsigned char *s, size_t n, bool first)
{
	if (n == 0)
		return 0;
	if (is_ascii_alpha(s[0]) || (!first && is_ascii_digit(s[0])))
		return 1;
	if (s[0] < 0x80)
		return 0;
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);
	return (len && is_word_codepoint(cp)) ? len : 0;
}

/* Appends a token, its fields stored one by one where it is kept (a
 * token built whole and copied in was read back 16 bytes at a time
 * before its field stores had landed: a seventh of the lexer's time). */
static inline bool push_fields(lex_line *out, lex_kind kind, uint32_t line, uint32_t col, uint32_t len,
                               const char *start, size_t text_off, size_t text_len)
{
	if (out->count == out->capacity) {
		size_t cap = out->capacity ? out->capacity * 2 : 32;
		lex_token *tokens = realloc(out->tokens, cap * sizeof *tokens);
		if (!tokens) {
			out->out_of_memory = true;
			return false;
		}
		out->tokens = tokens;
		out->capacity = cap;
	}
	lex_token *t = &out->tokens[out->count++];
	t->kind = kind;
	t->line = line;
	t->col = col;
	t->len = len;
	t->start = start;
	t->text_off = text_off;
	t->text_len = text_len;
	return true;
}

static bool pool_put(lex_line *out, const char *bytes, size_t n)
{
	if (out->pool_len + n + 1 > out->pool_capacity) {
		size_t cap = out->pool_capacity ? out->pool_capacity : 256;
		while (cap < out->pool_len + n + 1)
			cap *= 2;
		char *pool = realloc(out->pool, cap);
		if (!pool) {
			out->out_of_memory = true;
			return false;
		}
		out->pool = pool;
		out->pool_capacity = cap;
	}
	memcpy(out->pool + out->pool_len, bytes, n);
	out->pool_len += n;
	out->pool[out->pool_len] = '\0';
	return true;
}

static uint32_t col_of(const lexer *lx, size_t pos)
{
	size_t col = pos - lx->line_start + 1;
	return col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
}

/* Describes a code point for messages: 'x', or a hint for look-alikes. */
static void report_bad_char(lexer *lx, size_t pos, size_t n, uint32_t cp, bool valid)
{
	uint32_t col = col_of(lx, pos);
	const unsigned char b = (unsigned char)lx->src[pos];
	if (!valid) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col,
		         "invalid UTF-8 byte 0x%02x; save the file as UTF-8", b);
	} else if (cp == 0) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col, "NUL byte in input");
	} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col, "unexpected control character 0x%02x", (unsigned)cp);
	} else if (cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x201c || cp == 0x201d || cp == 0x300c ||
	           cp == 0x300d || cp == 0xff02 || cp == 0xff07) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col,
		         "unexpected character '%s'; strings are written in straight double quotes \"...\"",
		         DIAG_QUOTE(lx->src + pos, n));
	} else if (cp >= 0xff01 && cp <= 0xff5e) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col,
		         "unexpected full-width character '%s'; did you mean '%c'?",
		         DIAG_QUOTE(lx->src + pos, n), (char)(cp - 0xfee0));
	} else if (cp == 0x3000) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col, "unexpected full-width space; use an ordinary space");
	} else {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col, "unexpected character '%s'",
		         DIAG_QUOTE(lx->src + pos, n));
	}
}

/* Lexes a string starting at the opening quote; always yields a LEX_STRING
 * (recovering at the end of the line when unterminated). */
static void lex_string(lexer *lx, lex_line *out, bool *reported)
{
	size_t start = lx->pos;
	uint32_t col = col_of(lx, start);
	size_t text_off = out->pool_len;
	bool terminated = false;
	bool utf8_reported = false;
	size_t p = start + 1;
	while (p < lx->len) {
		unsigned char c = (unsigned char)lx->src[p];
		if (c == '\n' || (c == '\r' && (p + 1 >= lx->len || lx->src[p + 1] == '\n')))
			break;
		if (c == '"') {
			terminated = true;
			p++;
			break;
		}
		if (c == '\\') {
			char e = p + 1 < lx->len ? lx->src[p + 1] : '\n';
			const char *rep = NULL;
			switch (e) {
			case '"': rep = "\""; break;
			case '\\': rep = "\\"; break;
			case 'n': rep = "\n"; break;
			case 't': rep = "\t"; break;
			default: break;
			}
			if (e == '\n' || e == '\r') {
				p++;
				break; /* a backslash at the end of the line: unterminated */
			}
			if (!rep) {
				if (!*reported) {
					if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
						diag_add(lx->diags, DIAG_ERROR, lx->line, col_of(lx, p),
						         "unknown escape '\\%c' in string; write '\\\\' for a backslash", e);
					else
						diag_add(lx->diags, DIAG_ERROR, lx->line, col_of(lx, p),
						         "unknown escape in string; write '\\\\' for a backslash");
					*reported = true;
				}
				p += 2;
				continue;
			}
			pool_put(out, rep, 1);
			p += 2;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			if (c == '\t') {
				pool_put(out, "\t", 1);
				p++;
				continue;
			}
			if (!*reported) {
				if (c == 0)
					diag_add(lx->diags, DIAG_ERROR, lx->line, col_of(lx, p), "NUL byte in string");
				else
					diag_add(lx->diags, DIAG_ERROR, lx->line, col_of(lx, p),
					         "control character 0x%02x in string", c);
				*reported = true;
			}
			p++;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode((const unsigned char *)lx->src + p, lx->len - p, &cp);
			if (n == 0) {
				if (!utf8_reported && !*reported) {
					diag_add(lx->diags, DIAG_ERROR, lx->line, col_of(lx, p),
					         "invalid UTF-8 in string (byte 0x%02x); save the file as UTF-8", c);
					*reported = true;
				}
				utf8_reported = true;
				pool_put(out, "\xEF\xBF\xBD", 3); /* U+FFFD keeps the text valid UTF-8 */
				p++;
				continue;
			}
			pool_put(out, lx->src + p, n);
			p += n;
			continue;
		}
		pool_put(out, (const char *)&lx->src[p], 1);
		p++;
	}
	if (!terminated && !*reported) {
		diag_add(lx->diags, DIAG_ERROR, lx->line, col,
		         "unterminated string; expected '\"' before the end of the line");
		*reported = true;
	}
	size_t text_len = out->pool_len - text_off;
	/* pool_put always leaves a NUL after the text; keep it by stepping over it. */
	if (pool_put(out, "", 0))
		out->pool_len++;
	else
		text_len = 0;
	size_t len = p - start;
	push_fields(out, LEX_STRING, lx->line, col, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
	            lx->src + start, text_off, text_len);
	lx->pos = p;
}

static void skip_to_eol(lexer *lx)
{
	const char *nl = memchr(lx->src + lx->pos, '\n', lx->len - lx->pos);
	lx->pos = nl ? (size_t)(nl - lx->src) : lx->len;
}

/* What a byte starts, for the loop's one dispatch a token (a chain of
 * tests a byte cost a sixth of loading a million-line scenario). DIGIT
 * and ALPHA are next to each other: "a letter, a digit or '_'" is one
 * range test. */
enum byte_class {
	CL_OTHER = 0, /* punctuation, and bytes that are bad outside strings */
	CL_DIGIT,
	CL_ALPHA,     /* ASCII letters and '_' */
	CL_SPACE,     /* ' ', '\t', '\r', '\v', '\f' */
	CL_NEWLINE,
	CL_HIGH,      /* a UTF-8 lead or continuation byte */
	CL_QUOTE,
	CL_HASH,
	CL_SLASH,
};

/* (O other, D digit, A letter or '_', S space, N newline, U UTF-8, Q
 * '"', H '#', L '/': one row a 16 bytes) */
#define O CL_OTHER
#define D CL_DIGIT
#define A CL_ALPHA
#define S CL_SPACE
#define N CL_NEWLINE
#define U CL_HIGH
#define Q CL_QUOTE
#define H CL_HASH
#define L CL_SLASH
static const uint8_t byte_class[256] = {
	O, O, O, O, O, O, O, O, O, S, N, S, S, S, O, O, /* 0x00 */
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 0x10 */
	S, O, Q, H, O, O, O, O, O, O, O, O, O, O, O, L, /* 0x20 */
	D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O, /* 0x30 */
	O, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* 0x40 */
	A, A, A, A, A, A, A, A, A, A, A, O, O, O, O, A, /* 0x50 */
	O, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A, /* 0x60 */
	A, A, A, A, A, A, A, A, A, A, A, O, O, O, O, O, /* 0x70 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0x80 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0x90 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xa0 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xb0 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xc0 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xd0 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xe0 */
	U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xf0 */
};
#undef O
#undef D
#undef A
#undef S
#undef N
#undef U
#undef Q
#undef H
#undef L

/* A letter, a digit or '_'. */
static inline bool is_word_class(unsigned char c)
{
	return (unsigned)(byte_class[c] - CL_DIGIT) <= CL_ALPHA - CL_DIGIT;
}

/* A number from `start` (a digit): letters, digits and '_' (its suffix,
 * checked by size_parse), a '.' before a digit (1.5M). */
static void lex_number(lexer *lx, lex_line *out, size_t start)
{
	size_t p = start + 1;
	while (p < lx->len) {
		unsigned char d = (unsigned char)lx->src[p];
		if (is_word_class(d))
			p++;
		else if (d == '.' && p + 1 < lx->len && is_ascii_digit((unsigned char)lx->src[p + 1]))
			p++;
		else
			break;
	}
	push_fields(out, LEX_NUMBER, lx->line, col_of(lx, start), (uint32_t)(p - start > UINT32_MAX ? UINT32_MAX : p - start),
	            lx->src + start, 0, 0);
	lx->pos = p;
}

/* A word from `start`, whose first character takes `first` bytes. */
static void lex_word(lexer *lx, lex_line *out, size_t start, size_t first)
{
	size_t p = start + first;
	for (;;) {
		/* (ASCII letters, digits and '_' without a call: a
		 * million-line scenario names a pointer a line) */
		while (p < lx->len && is_word_class((unsigned char)lx->src[p]))
			p++;
		/* (an ASCII byte here ends the word: only a UTF-8 one
		 * may go on with it) */
		size_t m = p < lx->len && (unsigned char)lx->src[p] >= 0x80
			   ? word_char((const unsigned char *)lx->src + p, lx->len - p, false)
			   : 0;
		if (m) {
			p += m;
			continue;
		}
		if (p + 1 < lx->len && (lx->src[p] == '-' || lx->src[p] == '.') &&
		    is_word_class((unsigned char)lx->src[p + 1])) {
			p++;
			continue;
		}
		break;
	}
	push_fields(out, LEX_WORD, lx->line, col_of(lx, start), (uint32_t)(p - start > UINT32_MAX ? UINT32_MAX : p - start),
	            lx->src + start, 0, 0);
	lx->pos = p;
}

/* Punctuation at `start` (c, not '#' nor "//"): its token; false for a
 * byte that is none. */
static bool lex_punct(lexer *lx, lex_line *out, size_t start, unsigned char c)
{
	char next = start + 1 < lx->len ? lx->src[start + 1] : '\0';
	lex_kind k = LEX_BAD;
	uint32_t len = 1;
	switch (c) {
	case '=': k = next == '=' ? (len = 2, LEX_EQ) : LEX_ASSIGN; break;
	case '!': if (next == '=') k = LEX_NE, len = 2; break;
	case '<': k = next == '=' ? (len = 2, LEX_LE) : LEX_LT; break;
	case '>': k = next == '=' ? (len = 2, LEX_GE) : LEX_GT; break;
	case '+': k = LEX_PLUS; break;
	case '-': k = LEX_MINUS; break;
	case '*': k = LEX_STAR; break;
	case '/': k = LEX_SLASH; break;
	case '(': k = LEX_LPAREN; break;
	case ')': k = LEX_RPAREN; break;
	case '[': k = LEX_LBRACKET; break;
	case ']': k = LEX_RBRACKET; break;
	case '{': k = LEX_LBRACE; break;
	case '}': k = LEX_RBRACE; break;
	case ',': k = LEX_COMMA; break;
	case ';': k = LEX_SEMI; break;
	case ':': k = LEX_COLON; break;
	case '.':
		if (next == '.')
			k = LEX_DOTDOT, len = 2;
		else if (start > 0 && lx->src[start - 1] == ']' &&
		         (next == '_' || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (unsigned char)next >= 0x80))
			k = LEX_DOT; /* a thread's name: worker[3].buf */
		break;
	default: break;
	}
	if (k == LEX_BAD)
		return false;
	push_fields(out, k, lx->line, col_of(lx, start), len, lx->src + start, 0, 0);
	lx->pos += len;
	return true;
}

bool lexer_next_line(lexer *lx, lex_line *out)
{
	if (lx->done)
		return false;
	out->count = 0;
	out->pool_len = 0;
	bool reported = false; /* one lexical error per line */
	if (lx->pos == lx->line_start && lx->pos < lx->len &&
	    input_limits_line_length(lx->src + lx->pos, lx->len - lx->pos) > INPUT_MAX_LINE) {
		/* Tokens cost ~40 bytes per byte of a line: refuse it unread. */
		input_limits_report_line(lx->diags, lx->line);
		push_fields(out, LEX_BAD, lx->line, INPUT_MAX_LINE + 1, 1, lx->src + lx->pos, 0, 0);
		skip_to_eol(lx);
	}
	for (;;) {
		if (lx->pos >= lx->len) {
			push_fields(out, LEX_EOF, lx->line, col_of(lx, lx->len), 0, lx->src + lx->len, 0, 0);
			lx->done = true;
			return true;
		}
		size_t start = lx->pos;
		unsigned char c = (unsigned char)lx->src[start];
		switch ((enum byte_class)byte_class[c]) {
		case CL_SPACE:
			do
				lx->pos++;
			while (lx->pos < lx->len && byte_class[(unsigned char)lx->src[lx->pos]] == CL_SPACE);
			continue;
		case CL_NEWLINE:
			push_fields(out, LEX_NEWLINE, lx->line, col_of(lx, start), 1, lx->src + start, 0, 0);
			lx->pos++;
			lx->line++;
			lx->line_start = lx->pos;
			return true;
		case CL_HASH:
			skip_to_eol(lx);
			continue;
		case CL_SLASH:
			if (start + 1 < lx->len && lx->src[start + 1] == '/') {
				skip_to_eol(lx);
				continue;
			}
			break;
		case CL_QUOTE:
			lex_string(lx, out, &reported);
			continue;
		case CL_DIGIT:
			lex_number(lx, out, start);
			continue;
		case CL_ALPHA:
			lex_word(lx, out, start, 1);
			continue;
		case CL_HIGH: {
			size_t n = word_char((const unsigned char *)lx->src + start, lx->len - start, true);
			if (n > 0) {
				lex_word(lx, out, start, n);
				continue;
			}
			break;
		}
		case CL_OTHER:
			break;
		}
		if (lex_punct(lx, out, start, c))
			continue;
		/* A bad character: report the first per line, swallow the run of
		 * bad bytes that follows, and leave one LEX_BAD token. */
		uint32_t cp = 0;
		size_t m = utf8_decode((const unsigned char *)lx->src + start, lx->len - start, &cp);
		if (!reported)
			report_bad_char(lx, start, m ? m : 1, cp, m != 0);
		reported = true;
		lx->pos += m ? m : 1;
		push_fields(out, LEX_BAD, lx->line, col_of(lx, start), (uint32_t)(lx->pos - start), lx->src + start, 0, 0);
	}
}

static const char *const punct_text[LEX_KIND_COUNT] = {
	[LEX_ASSIGN] = "=", [LEX_EQ] = "==",   [LEX_NE] = "!=",       [LEX_LT] = "<",        [LEX_LE] = "<=",
	[LEX_GT] = ">",     [LEX_GE] = ">=",   [LEX_PLUS] = "+",      [LEX_MINUS] = "-",     [LEX_STAR] = "*",
	[LEX_SLASH] = "/",  [LEX_LPAREN] = "(", [LEX_RPAREN] = ")",   [LEX_LBRACKET] = "[",  [LEX_RBRACKET] = "]",
	[LEX_LBRACE] = "{", [LEX_RBRACE] = "}", [LEX_COMMA] = ",",    [LEX_SEMI] = ";",      [LEX_DOTDOT] = "..",
	[LEX_COLON] = ":", [LEX_DOT] = ".",
};

/* The first bytes of s[0..len): all of them up to 32, else 32 cut back
 * to a UTF-8 boundary (so the message stays valid text) and "...". */
static void describe_cut(const char *s, size_t len, const char *quote, char *buf, size_t buf_size)
{
	if (len <= 32) {
		snprintf(buf, buf_size, "%s%.*s%s", quote, (int)len, s, quote);
		return;
	}
	size_t cut = 32;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(buf, buf_size, "%s%.*s...%s", quote, (int)cut, s, quote);
}

const char *lex_describe_unexpected(const lex_token *token, char *buf, size_t buf_size)
{
	if (token->kind != LEX_STRING)
		return lex_describe(token, buf, buf_size);
	describe_cut(token->start, token->len, "", buf, buf_size);
	return buf;
}

const char *lex_describe(const lex_token *token, char *buf, size_t buf_size)
{
	switch (token->kind) {
	case LEX_EOF: snprintf(buf, buf_size, "end of file"); break;
	case LEX_NEWLINE: snprintf(buf, buf_size, "end of line"); break;
	case LEX_STRING: snprintf(buf, buf_size, "a string"); break;
	case LEX_BAD: snprintf(buf, buf_size, "a bad character"); break;
	case LEX_WORD:
	case LEX_NUMBER:
		describe_cut(token->start, token->len, "'", buf, buf_size);
		break;
	default:
		snprintf(buf, buf_size, "'%s'", punct_text[token->kind] ? punct_text[token->kind] : "?");
		break;
	}
	return buf;
}
