/* suggest.c — edit distance and candidate lists for error messages.
 *
 * Owns: suggestions only. Must not: allocate (words are short; the
 * distance table lives on the stack and longer words get no suggestion). */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

#define SUGGEST_MAX_WORD 64

static char fold(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t suggest_distance(const char *a, size_t a_len, const char *b, size_t b_len, size_t cap)
{
	if (a_len > SUGGEST_MAX_WORD || b_len > SUGGEST_MAX_WORD)
		return cap + 1;
	size_t diff = a_len > b_len ? a_len - b_len : b_len - a_len;
	if (diff > cap)
		return cap + 1;
	/* Three rows of the dynamic-programming table: two back for swaps. */
	size_t rows[3][SUGGEST_MAX_WORD + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= b_len; j++)
		prev[j] = j;
	for (size_t i = 1; i <= a_len; i++) {
		cur[0] = i;
		size_t row_min = cur[0];
		for (size_t j = 1; j <= b_len; j++) {
			size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]) &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (row_min > cap)
			return cap + 1;
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[b_len] > cap ? cap + 1 : prev[b_len];
}

const char *suggest_closest(const char *word, size_t len, const char *const *candidates)
{
	size_t cap = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	size_t best_distance = cap + 1;
	for (size_t i = 0; candidates[i]; i++) {
		size_t d = suggest_distance(word, len, candidates[i], strlen(candidates[i]), cap);
		/* A one-letter word is "close" to every other one-letter word: only
		 * suggest when something else than a substitution matched. */
		if (d < best_distance && d < strlen(candidates[i])) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}

char *suggest_list(const char *const *candidates, char *buf, size_t buf_size)
{
	size_t used = 0;
	if (buf_size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; candidates[i]; i++) {
		int n = snprintf(buf + used, buf_size - used, "%s%s", i ? ", " : "", candidates[i]);
		if (n < 0 || (size_t)n >= buf_size - used) {
			buf[used] = '\0'; /* never end on a cut word */
			break;
		}
		used += (size_t)n;
	}
	return buf;
}
