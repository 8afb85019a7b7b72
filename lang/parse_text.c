/* parse_text.c — the words a lesson shows: `title`, `say` (captions; with
 * `if glibc COND` for some releases only), `mark` and `pause` (a question
 * for the class), each optionally tagged with a language (`say zh "..."`).
 * Must not: make operations; text is stored as written (the lexer has
 * checked it is UTF-8). */
#include "parse_internal.h"

#include <string.h>

/* A BCP 47-ish tag: 2-3 letters, then -subtags of 1-8 letters/digits; at
 * most 7 bytes (script_caption.lang). Lowercases the primary subtag. */
static bool language_tag(const lex_token *t, char out[8])
{
	if (t->kind != LEX_WORD || t->len > 7)
		return false;
	size_t i = 0;
	while (i < t->len && ((t->start[i] >= 'a' && t->start[i] <= 'z') || (t->start[i] >= 'A' && t->start[i] <= 'Z')))
		i++;
	if (i < 2 || i > 3)
		return false;
	size_t sub = 0;
	for (size_t k = i; k < t->len; k++) {
		char c = t->start[k];
		if (c == '-') {
			if (sub == 0 && k != i)
				return false;
			sub = 0;
			if (k + 1 == t->len)
				return false;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
		if (k == i) /* after the primary subtag only '-' may follow */
			return false;
		sub++;
	}
	memset(out, 0, 8);
	for (size_t k = 0; k < t->len; k++) {
		char c = t->start[k];
		out[k] = (k < i && c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	return true;
}

/* Whether the current word is meant as a language tag: text follows it
 * (`say english "x"` is a bad tag), or it is a well-formed tag followed
 * by something (`say en hello` lacks quotes); `say why` is a bare word. */
static bool looks_like_tag(const parser *p)
{
	const lex_token *t = tok(p);
	if (t->kind != LEX_WORD)
		return false;
	lex_kind next_kind = tok_at(p, 1)->kind;
	if (next_kind == LEX_STRING || next_kind == LEX_COLON)
		return true;
	char lang[8];
	return language_tag(t, lang) && !is_terminator(tok_at(p, 1));
}

/* After a line's text: another language's text on the same line (`say zh
 * "…" en "…"`), said (each language is a line of its own). `what`: the
 * text's word in the message ("text", "question"). */
static bool second_language(parser *p, const char *command, const char *what)
{
	char other[8];
	if (!looks_like_tag(p) || tok_at(p, 1)->kind != LEX_STRING || !language_tag(tok(p), other))
		return false;
	parse_error_at(p, tok(p),
	               "a '%s' line holds one language's %s; put the '%s' one on a line of its own: %s %s \"...\"",
	               command, what, other, command, other);
	return true;
}

/* [LANG] [':'] STRING — shared by `title` and `say`. */
static bool parse_tagged_text(parser *p, const char *command, char lang[8], const lex_token **text)
{
	memset(lang, 0, 8);
	const lex_token *t = tok(p);
	if (looks_like_tag(p)) {
		if (!language_tag(t, lang)) {
			parse_error_at(p, t, "invalid language tag '%s'; use a short tag such as en, zh or zh-TW",
			               DIAG_QUOTE(t->start, t->len));
			return false;
		}
		next(p);
		accept(p, LEX_COLON);
	}
	if (tok(p)->kind != LEX_STRING) {
		char found[64];
		parse_error_at(p, tok(p),
		               "expected a string after '%s', found %s; write it as: %s en \"text\"", command,
		               lex_describe(tok(p), found, sizeof found), command);
		return false;
	}
	*text = tok(p);
	next(p);
	return !second_language(p, command, "text");
}

stmt_result parse_title(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	char lang[8];
	const lex_token *text;
	if (!parse_tagged_text(p, "title", lang, &text))
		return ST_ERROR;
	for (size_t i = 0; i < p->s->title_count; i++) {
		if (strcmp(p->s->titles[i].lang, lang) == 0) {
			if (lang[0])
				parse_error_at(p, cmd, "duplicate title for '%s' (first at line %u)", lang,
				               (unsigned)p->s->titles[i].line);
			else
				parse_error_at(p, cmd, "duplicate title (first at line %u)",
				               (unsigned)p->s->titles[i].line);
			return ST_ERROR;
		}
	}
	if (!script_add_title(p->s, cmd->line, lang, lex_string_text(&p->ln, text), text->text_len)) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

stmt_result parse_say(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	char lang[8];
	const lex_token *text;
	if (!parse_tagged_text(p, "say", lang, &text))
		return ST_ERROR;
	/* `say en "..." if glibc >= 2.43`: a caption for some releases only */
	script_glibc_cond when;
	memset(&when, 0, sizeof when);
	if (word_is(tok(p), "if")) {
		next(p);
		if (!parse_glibc_cond(p, &when, "if"))
			return ST_ERROR;
	}
	if (!script_add_caption_when(p->s, (uint32_t)p->s->op_count, cmd->line, lang, lex_string_text(&p->ln, text),
	                             text->text_len, &when)) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}

stmt_result parse_mark(parser *p, bool pause)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *t = tok(p);
	const char *label = "";
	size_t len = 0;
	char lang[8] = {0};
	bool tagged = looks_like_tag(p);
	if (pause && tagged) {
		/* `pause zh "问题"`: one stop, the question in several languages. */
		if (!language_tag(t, lang)) {
			parse_error_at(p, t, "invalid language tag '%s'; use a short tag such as en, zh or zh-TW",
			               DIAG_QUOTE(t->start, t->len));
			return ST_ERROR;
		}
		next(p);
		accept(p, LEX_COLON);
		t = tok(p);
		if (t->kind != LEX_STRING) {
			char found[64];
			parse_error_at(p, t, "expected a string after 'pause %s', found %s", lang,
			               lex_describe(t, found, sizeof found));
			return ST_ERROR;
		}
	}
	if (t->kind == LEX_STRING) {
		label = lex_string_text(&p->ln, t);
		len = t->text_len;
		next(p);
		if (pause && second_language(p, "pause", "question"))
			return ST_ERROR;
	} else if (t->kind == LEX_WORD && !pause) {
		label = t->start;
		len = t->len;
		next(p);
	} else if (!pause) {
		char found[64];
		parse_error_at(p, t, "expected a mark name after 'mark', found %s",
		               lex_describe(t, found, sizeof found));
		return ST_ERROR;
	} else if (!is_terminator(t)) {
		char found[64];
		parse_error_at(p, t,
		               "expected a string after 'pause', found %s; write it as: pause en \"question "
		               "for the class\"",
		               lex_describe(t, found, sizeof found));
		return ST_ERROR;
	}
	if (!pause) {
		if (len == 0) {
			parse_error_at(p, t, "a mark needs a name");
			return ST_ERROR;
		}
		for (size_t i = 0; i < p->s->mark_count; i++) {
			const script_mark *m = &p->s->marks[i];
			if (!m->pause && strlen(m->label) == len && memcmp(m->label, label, len) == 0) {
				parse_error_at(p, t, "duplicate mark '%s' (first at line %u)",
				               DIAG_QUOTE(label, len), (unsigned)m->line);
				return ST_ERROR;
			}
		}
	} else {
		for (size_t i = 0; i < p->s->mark_count; i++) {
			const script_mark *m = &p->s->marks[i];
			if (m->pause && m->at_step == p->s->op_count && strcmp(m->lang, lang) == 0) {
				if (lang[0])
					parse_error_at(p, cmd,
					               "a second '%s' pause at the same step (first at line "
					               "%u); put both questions "
					               "in one string",
					               lang, (unsigned)m->line);
				else
					parse_error_at(p, cmd,
					               "a second pause at the same step (first at line %u); "
					               "put both questions in "
					               "one string",
					               (unsigned)m->line);
				return ST_ERROR;
			}
		}
	}
	bool ok = pause ? script_add_pause(p->s, (uint32_t)p->s->op_count, cmd->line, lang, label, len)
	                : script_add_mark(p->s, (uint32_t)p->s->op_count, cmd->line, false, label, len);
	if (!ok) {
		parse_out_of_memory(p);
		return ST_ERROR;
	}
	return ST_OK;
}
