/* lex.h — the scenario language's tokens, one physical line at a time.
 *
 * Owns: turning bytes into tokens with 1-based line:col positions; string
 * escapes and UTF-8 validation; comments (# and //); CRLF; a leading BOM.
 * Must not: know commands or grammar (parse*.c do). Lexical errors go to
 * the diag list and leave a LEX_BAD token so the parser can skip the
 * statement without a second message. Never reads past `len`; NUL bytes
 * are ordinary (bad) input, not terminators. */
#ifndef BRKSIM_LANG_LEX_H
#define BRKSIM_LANG_LEX_H

#include "diag.h"

typedef enum lex_kind {
	LEX_EOF = 0,
	LEX_NEWLINE,
	LEX_WORD,    /* letter or _ first; letters, digits, _ ; inner - and . (glibc-2.36, zh-CN); UTF-8 letters */
	LEX_NUMBER,  /* digit first: 64K, 0x21000, 1.5M, 1_000 (checked by size_parse) */
	LEX_STRING,  /* "..." ; text/text_len hold the decoded bytes */
	LEX_BAD,     /* already reported */
	LEX_ASSIGN,  /* = */
	LEX_EQ,      /* == */
	LEX_NE,      /* != */
	LEX_LT,      /* < */
	LEX_LE,      /* <= */
	LEX_GT,      /* > */
	LEX_GE,      /* >= */
	LEX_PLUS,
	LEX_MINUS,
	LEX_STAR,
	LEX_SLASH,
	LEX_LPAREN,
	LEX_RPAREN,
	LEX_LBRACKET,
	LEX_RBRACKET,
	LEX_LBRACE,
	LEX_RBRACE,
	LEX_COMMA,
	LEX_SEMI,
	LEX_DOTDOT,  /* .. */
	LEX_COLON,
	LEX_DOT,     /* . right after ']' and before a name: worker[3].buf */
	LEX_KIND_COUNT
} lex_kind;

typedef struct lex_token {
	lex_kind kind;
	uint32_t line, col; /* 1-based; col in bytes */
	uint32_t len;       /* source bytes */
	const char *start;  /* into the source */
	size_t text_off;    /* LEX_STRING: decoded text at pool + text_off */
	size_t text_len;
} lex_token;

/* The tokens of one physical line, ending with LEX_NEWLINE or LEX_EOF. */
typedef struct lex_line {
	lex_token *tokens;
	size_t count, capacity;
	char *pool; /* decoded string bytes, NUL after each */
	size_t pool_len, pool_capacity;
	bool out_of_memory;
} lex_line;

typedef struct lexer {
	const char *src;
	size_t len, pos;
	uint32_t line;
	size_t line_start; /* offset of the current line's first byte */
	bool done;         /* the EOF token was delivered */
	diag_list *diags;
} lexer;

void lexer_init(lexer *lx, const char *src, size_t len, diag_list *diags);
/* Fills `out` (reused between calls) with the next line's tokens. Returns
 * false once the EOF token has been delivered. */
bool lexer_next_line(lexer *lx, lex_line *out);
void lex_line_release(lex_line *line);

/* Decoded text of a string token. */
const char *lex_string_text(const lex_line *line, const lex_token *token);

/* "'=='", "end of line", ... for messages; writes into buf. */
const char *lex_describe(const lex_token *token, char *buf, size_t buf_size);
/* The same after "unexpected": a string as written ("\"标记\"", cut
 * past 32 bytes) where lex_describe says "a string". */
const char *lex_describe_unexpected(const lex_token *token, char *buf, size_t buf_size);

/* Whether s[0..len) is valid UTF-8; on false, *bad_at = offset of the first bad byte. */
bool lex_utf8_valid(const char *s, size_t len, size_t *bad_at);

#endif
