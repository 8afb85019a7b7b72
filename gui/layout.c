/* layout.c — scale, formatting and wrapping shared by the layouts. */
#include "layout.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int scaled(float unit, float px, int floor_px)
{
	int v = (int)lroundf(px * unit);
	return v < floor_px ? floor_px : v;
}

gui_scale gui_scale_for(int width, int height)
{
	float unit = (float)width / 1920.0f;
	float unit_h = (float)height / 1080.0f;
	if (unit_h < unit)
		unit = unit_h;
	if (unit < 0.4f)
		unit = 0.4f;
	gui_scale s;
	s.unit = unit;
	s.pad = scaled(unit, 20, 8);
	s.title_px = scaled(unit, 34, 18);
	s.caption_px = scaled(unit, 44, 22);
	s.body_px = scaled(unit, 25, 15);
	s.small_px = scaled(unit, 21, 15); /* 15 px at 720p: the panels are read from the back of a room */
	return s;
}

void gui_format_size(uint64_t bytes, char *out, size_t out_size)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;
	uint64_t whole = bytes;
	while (whole >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
		whole /= 1024;
		u++;
	}
	if (u == 0) {
		snprintf(out, out_size, "%" PRIu64 " B", bytes);
		return;
	}
	uint64_t unit_bytes = (uint64_t)1 << (10 * u);
	if (bytes % unit_bytes == 0 || whole >= 100) {
		/* exact, or large enough that tenths are noise */
		snprintf(out, out_size, "%" PRIu64 " %s", (bytes + unit_bytes / 2) / unit_bytes, units[u]);
		return;
	}
	uint64_t tenths = (bytes * 10 + unit_bytes / 2) / unit_bytes;
	if (tenths % 10 == 0)
		snprintf(out, out_size, "%" PRIu64 " %s", tenths / 10, units[u]);
	else
		snprintf(out, out_size, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10, units[u]);
}

void gui_format_tick(uint64_t at, uint64_t step, char *out, size_t out_size)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	if (at == 0) {
		snprintf(out, out_size, "0");
		return;
	}
	if (step < 1024) {
		gui_format_hex(at, out, out_size);
		return;
	}
	/* the label's own unit, or the one below where a step is less than
	 * a quarter of it (the labels would need three decimals) */
	unsigned u = 1;
	while (u + 1 < sizeof units / sizeof units[0] && at >> (10 * (u + 1)) != 0)
		u++;
	if (u > 1 && step < ((uint64_t)1 << (10 * u)) / 4)
		u--;
	uint64_t unit = (uint64_t)1 << (10 * u), whole = at / unit, rest = at % unit;
	uint64_t hundredths = (rest * 100 + unit / 2) / unit; /* (rest < unit <= 2^40) */
	if (hundredths == 0)
		snprintf(out, out_size, "%" PRIu64 " %s", whole, units[u]);
	else if (hundredths % 10 == 0)
		snprintf(out, out_size, "%" PRIu64 ".%" PRIu64 " %s", whole, hundredths / 10, units[u]);
	else
		snprintf(out, out_size, "%" PRIu64 ".%02" PRIu64 " %s", whole, hundredths, units[u]);
}

void gui_format_hex(uint64_t value, char *out, size_t out_size)
{
	snprintf(out, out_size, "0x%" PRIx64, value);
}

size_t gui_utf8_char_len(const char *s, size_t remaining)
{
	if (remaining == 0)
		return 0;
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
	if (n > remaining)
		return 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Decodes the character of length len at s (len from gui_utf8_char_len). */
static uint32_t decode(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	switch (len) {
	case 2: return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	case 3: return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
	case 4:
		return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
		       ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
	default: return u[0];
	}
}

bool gui_utf8_breaks_anywhere(const char *s, size_t len)
{
	uint32_t c = decode(s, len);
	return (c >= 0x2E80 && c <= 0x9FFF) ||  /* CJK radicals, kana, ideographs, CJK punctuation */
	       (c >= 0xAC00 && c <= 0xD7AF) ||  /* Hangul */
	       (c >= 0xF900 && c <= 0xFAFF) ||  /* compatibility ideographs */
	       (c >= 0xFF00 && c <= 0xFFEF) ||  /* fullwidth forms */
	       (c >= 0x20000 && c <= 0x3FFFF); /* ideograph extensions */
}

/* Length of the break unit starting at text[pos] (not a space or '\n'):
 * one CJK character, or a run of other characters up to a space, a
 * newline or a CJK character. */
static size_t unit_len(const char *text, size_t pos, size_t len)
{
	size_t cl = gui_utf8_char_len(text + pos, len - pos);
	if (cl > 1 && gui_utf8_breaks_anywhere(text + pos, cl))
		return cl;
	size_t end = pos + cl;
	while (end < len && text[end] != ' ' && text[end] != '\n') {
		size_t l = gui_utf8_char_len(text + end, len - end);
		if (l > 1 && gui_utf8_breaks_anywhere(text + end, l))
			break;
		end += l;
	}
	return end - pos;
}

size_t gui_wrap(const gui_metrics *m, int px, bool bold, const char *text, size_t len, int max_width,
		gui_line_span *lines, size_t max_lines)
{
	/* Words are measured one at a time and summed (kerning across a
	 * space is negligible), so the cost is linear and each measured
	 * string is short and cacheable. */
	int space_w = gui_text_width(m, px, bold, " ", 1);
	size_t count = 0;
	size_t start = 0;
	while (start < len) {
		size_t pos = start, end = start, next = len;
		int line_w = 0;
		size_t spaces = 0;
		bool empty = true;
		for (;;) {
			if (pos >= len) {
				next = len;
				break;
			}
			if (text[pos] == '\n') {
				next = pos + 1;
				break;
			}
			if (text[pos] == ' ') {
				if (!empty)
					spaces++;
				pos++;
				if (empty)
					start = end = pos; /* leading spaces of a wrapped line vanish */
				continue;
			}
			size_t ul = unit_len(text, pos, len);
			int uw = gui_text_width(m, px, bold, text + pos, ul);
			int sw = (int)spaces * space_w;
			if (!empty && line_w + sw + uw > max_width) {
				next = pos;
				break;
			}
			if (empty && uw > max_width) {
				/* a word longer than the line: cut between characters */
				size_t take = gui_utf8_char_len(text + pos, len - pos);
				while (take < ul) {
					size_t cl = gui_utf8_char_len(text + pos + take, len - pos - take);
					if (gui_text_width(m, px, bold, text + pos, take + cl) > max_width)
						break;
					take += cl;
				}
				end = pos + take;
				next = end;
				empty = false;
				break;
			}
			line_w += sw + uw;
			spaces = 0;
			pos += ul;
			end = pos;
			empty = false;
		}
		if (count < max_lines) {
			lines[count].offset = start;
			lines[count].len = end - start;
		}
		count++;
		start = next;
	}
	return count;
}

void gui_ellipsize(const gui_metrics *m, int px, bool bold, const char *text, int max_width, char *out,
		   size_t out_size)
{
	if (out_size == 0)
		return;
	size_t len = strlen(text);
	if (gui_text_width(m, px, bold, text, len) <= max_width) {
		snprintf(out, out_size, "%s", text);
		return;
	}
	static const char ellipsis[] = "…";
	int ellipsis_w = gui_text_width(m, px, bold, ellipsis, sizeof ellipsis - 1);
	size_t fit = 0;
	for (size_t pos = 0; pos < len;) {
		size_t cl = gui_utf8_char_len(text + pos, len - pos);
		if (gui_text_width(m, px, bold, text, pos + cl) + ellipsis_w > max_width)
			break;
		pos += cl;
		fit = pos;
	}
	if (fit + sizeof ellipsis > out_size)
		fit = out_size > sizeof ellipsis ? out_size - sizeof ellipsis : 0;
	if (fit == 0 && ellipsis_w > max_width) {
		out[0] = '\0';
		return;
	}
	memcpy(out, text, fit);
	memcpy(out + fit, ellipsis, sizeof ellipsis);
}
