/* size.c — parsing and formatting size literals (see size.h).
 *
 * Owns: the digits-and-suffix grammar of a single literal. Must not:
 * evaluate arithmetic (parse_expr.c does), allocate, or print. */
#include "size.h"

#include <stdio.h>
#include <string.h>

typedef struct size_suffix {
	const char *text;
	uint64_t multiplier;
} size_suffix;

/* Case matters for M/G (no milli-anything here, but "m" reads as metres or
 * minutes); k is accepted because "64k" is how many people write it. */
static const size_suffix suffixes[] = {
	{"", 1},         {"B", 1},          {"b", 1},
	{"K", 1u << 10}, {"k", 1u << 10},   {"KB", 1u << 10}, {"kB", 1u << 10}, {"KiB", 1u << 10},
	{"M", 1u << 20}, {"MB", 1u << 20},  {"MiB", 1u << 20},
	{"G", 1u << 30}, {"GB", 1u << 30},  {"GiB", 1u << 30},
};

bool size_unit_known(const char *s, size_t len)
{
	for (size_t i = 1; i < sizeof suffixes / sizeof suffixes[0]; i++) /* [0] is "" */
		if (strlen(suffixes[i].text) == len && strncmp(suffixes[i].text, s, len) == 0)
			return true;
	return false;
}

const char *size_suffix_list(void)
{
	return "K, KiB, KB, M, MiB, MB, G, GiB, GB (powers of 1024), B";
}

const char *size_error_text(size_error error)
{
	switch (error) {
	case SIZE_OK: return "ok";
	case SIZE_EMPTY: return "missing digits";
	case SIZE_BAD_DIGIT: return "bad digit";
	case SIZE_BAD_SUFFIX: return "unknown size suffix";
	case SIZE_OVERFLOW: return "too large";
	case SIZE_FRACTION: return "not a whole number of bytes";
	}
	return "bad size";
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_error size_parse(const char *s, size_t len, uint64_t *out, size_t *error_at)
{
	size_t i = 0;
	uint64_t whole = 0;
	uint64_t frac = 0, frac_scale = 1; /* fraction = frac / frac_scale */
	bool any_digit = false;
	*error_at = 0;
	*out = 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		i = 2;
		for (; i < len; i++) {
			if (s[i] == '_')
				continue;
			int v = hex_value(s[i]);
			if (v < 0)
				break;
			if (whole > (UINT64_MAX >> 4)) {
				*error_at = 0;
				return SIZE_OVERFLOW;
			}
			whole = whole << 4 | (uint64_t)v;
			any_digit = true;
		}
		if (!any_digit) {
			*error_at = 2;
			return SIZE_BAD_DIGIT;
		}
	} else {
		for (; i < len; i++) {
			if (s[i] == '_')
				continue;
			if (s[i] < '0' || s[i] > '9')
				break;
			uint64_t d = (uint64_t)(s[i] - '0');
			if (whole > (UINT64_MAX - d) / 10) {
				*error_at = 0;
				return SIZE_OVERFLOW;
			}
			whole = whole * 10 + d;
			any_digit = true;
		}
		if (!any_digit) {
			*error_at = i;
			return SIZE_EMPTY;
		}
		if (i < len && s[i] == '.') {
			size_t dot = i++;
			size_t digits = 0;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
				if (digits < 18) {
					frac = frac * 10 + (uint64_t)(s[i] - '0');
					frac_scale *= 10;
					digits++;
				} else if (s[i] != '0') {
					*error_at = dot;
					return SIZE_FRACTION;
				}
			}
			if (digits == 0) {
				*error_at = dot;
				return SIZE_BAD_DIGIT;
			}
		}
	}
	size_t suffix_at = i;
	const size_suffix *found = NULL;
	for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
		if (strlen(suffixes[k].text) == len - i && memcmp(suffixes[k].text, s + i, len - i) == 0) {
			found = &suffixes[k];
			break;
		}
	}
	if (!found) {
		*error_at = suffix_at;
		return SIZE_BAD_SUFFIX;
	}
	uint64_t m = found->multiplier;
	if (whole > UINT64_MAX / m) {
		*error_at = 0;
		return SIZE_OVERFLOW;
	}
	uint64_t value = whole * m;
	if (frac) {
		/* frac/frac_scale * m must be whole: frac * m is exact in 128 bits. */
		__extension__ unsigned __int128 scaled = (unsigned __int128)frac * m;
		if (scaled % frac_scale != 0) {
			*error_at = 0;
			return SIZE_FRACTION;
		}
		uint64_t extra = (uint64_t)(scaled / frac_scale);
		if (value > UINT64_MAX - extra) {
			*error_at = 0;
			return SIZE_OVERFLOW;
		}
		value += extra;
	}
	*out = value;
	return SIZE_OK;
}

char *size_format(uint64_t value, char *buf, size_t buf_size)
{
	if (value != 0 && value % (1u << 30) == 0)
		snprintf(buf, buf_size, "%lluG", (unsigned long long)(value >> 30));
	else if (value != 0 && value % (1u << 20) == 0)
		snprintf(buf, buf_size, "%lluM", (unsigned long long)(value >> 20));
	else if (value != 0 && value % (1u << 10) == 0)
		snprintf(buf, buf_size, "%lluK", (unsigned long long)(value >> 10));
	else if (value > 9)
		snprintf(buf, buf_size, "0x%llx", (unsigned long long)value);
	else
		snprintf(buf, buf_size, "%llu", (unsigned long long)value);
	return buf;
}
