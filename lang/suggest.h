/* suggest.h — "did you mean" and "expected one of" for unknown words.
 *
 * Owns: edit distance over short ASCII words and the list formatting every
 * front end uses, so all messages read alike. Pure. */
#ifndef BRKSIM_LANG_SUGGEST_H
#define BRKSIM_LANG_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance (insert, delete, substitute, swap of
 * neighbours), capped: returns at most `cap` + 1. Case-insensitive. */
size_t suggest_distance(const char *a, size_t a_len, const char *b, size_t b_len, size_t cap);

/* The candidate closest to word (NULL if none is close enough: distance at
 * most 1 for words up to 4 letters, 2 up to 8, 3 beyond). Ties go to the
 * earlier candidate. `candidates` is NULL-terminated. */
const char *suggest_closest(const char *word, size_t len, const char *const *candidates);

/* Writes "a, b, c" (NULL-terminated candidates) into buf; returns buf. */
char *suggest_list(const char *const *candidates, char *buf, size_t buf_size);

#endif
