/* source_text.c — a file's text deflated in blocks of lines (see
 * source_text.h). zlib's fastest level: a recording's 33 MB become 5.5 MB
 * in about a quarter of a second; inflating one block (a few tens of KB)
 * for a frame costs tens of microseconds, and the block stays inflated
 * while the frames show lines of it. */
#include "source_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Lines a block holds: about 25 KB of a recording. */
#define BLOCK_LINES 1024

typedef struct block {
	size_t offset; /* in `data` */
	size_t packed, raw;
} block;

struct gui_source_text {
	size_t lines;
	block *blocks;
	size_t block_count;
	unsigned char *data;
	/* the block inflated last (SIZE_MAX: none) and where its lines start */
	size_t cached;
	char *buf;
	size_t buf_cap;
	size_t starts[BLOCK_LINES];
};

gui_source_text *gui_source_text_new(const char *text, size_t len)
{
	return gui_source_text_new_watched(text, len, NULL, NULL, NULL);
}

gui_source_text *gui_source_text_new_watched(const char *text, size_t len, bool (*progress)(void *context, double fraction),
                                             void *context, bool *stopped)
{
	if (stopped != NULL)
		*stopped = false;
	gui_source_text *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->cached = SIZE_MAX;
	size_t cap = 0, used = 0;
	size_t at = 0;
	while (at < len) {
		/* the next BLOCK_LINES lines, with their '\n's */
		size_t end = at, n = 0;
		while (end < len && n < BLOCK_LINES) {
			const char *nl = memchr(text + end, '\n', len - end);
			end = nl ? (size_t)(nl - text) + 1 : len;
			n++;
		}
		uLong bound = compressBound((uLong)(end - at));
		if (used + bound > cap) {
			size_t cap2 = cap ? cap : 1 << 16;
			while (cap2 < used + bound)
				cap2 *= 2;
			unsigned char *grown = realloc(s->data, cap2);
			if (grown == NULL)
				goto fail;
			s->data = grown;
			cap = cap2;
		}
		block *blocks = realloc(s->blocks, (s->block_count + 1) * sizeof *blocks);
		if (blocks == NULL)
			goto fail;
		s->blocks = blocks;
		uLongf packed = bound;
		if (compress2(s->data + used, &packed, (const Bytef *)text + at, (uLong)(end - at), 1) != Z_OK)
			goto fail;
		s->blocks[s->block_count++] = (block){used, packed, end - at};
		used += packed;
		s->lines += n;
		at = end;
		if (progress != NULL && s->block_count % 64 == 0 && !progress(context, (double)at / (double)len)) {
			if (stopped != NULL)
				*stopped = true;
			goto fail;
		}
	}
	if (used > 0 && used < cap) {
		unsigned char *fit = realloc(s->data, used); /* the doubling's slack goes back */
		if (fit != NULL)
			s->data = fit;
	}
	return s;
fail:
	gui_source_text_free(s);
	return NULL;
}

void gui_source_text_free(gui_source_text *s)
{
	if (s == NULL)
		return;
	free(s->blocks);
	free(s->data);
	free(s->buf);
	free(s);
}

size_t gui_source_text_lines(const gui_source_text *s)
{
	return s ? s->lines : 0;
}

/* Inflates block b into buf and indexes its lines. */
static bool unpack(gui_source_text *s, size_t b)
{
	if (s->cached == b)
		return true;
	const block *k = &s->blocks[b];
	if (k->raw > s->buf_cap) {
		char *grown = realloc(s->buf, k->raw);
		if (grown == NULL)
			return false;
		s->buf = grown;
		s->buf_cap = k->raw;
	}
	uLongf raw = k->raw;
	s->cached = SIZE_MAX;
	if (uncompress((Bytef *)s->buf, &raw, s->data + k->offset, k->packed) != Z_OK || raw != k->raw)
		return false;
	size_t n = 0;
	for (size_t at = 0; at < raw && n < BLOCK_LINES; n++) {
		s->starts[n] = at;
		const char *nl = memchr(s->buf + at, '\n', raw - at);
		at = nl ? (size_t)(nl - s->buf) + 1 : raw;
	}
	s->cached = b;
	return true;
}

const char *gui_source_text_line(gui_source_text *s, size_t line, size_t *len)
{
	if (s == NULL || line == 0 || line > s->lines)
		return NULL;
	size_t b = (line - 1) / BLOCK_LINES, i = (line - 1) % BLOCK_LINES;
	if (!unpack(s, b))
		return NULL;
	const block *k = &s->blocks[b];
	const char *p = s->buf + s->starts[i];
	const char *nl = memchr(p, '\n', k->raw - s->starts[i]);
	*len = nl ? (size_t)(nl - p) : k->raw - s->starts[i];
	return p;
}

const char *gui_source_text_line_cb(void *ctx, size_t line, size_t *len)
{
	return gui_source_text_line(ctx, line, len);
}
