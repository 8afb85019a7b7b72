/* input_limits.c — see input_limits.h. */
#include "input_limits.h"

#include <string.h>

void input_limits_report_line(diag_list *diags, uint32_t line)
{
	diag_add(diags, DIAG_ERROR, line, INPUT_MAX_LINE + 1, "line is longer than " INPUT_MAX_LINE_TEXT);
}

size_t input_limits_line_length(const char *s, size_t n)
{
	size_t look = n < INPUT_MAX_LINE + 2 ? n : INPUT_MAX_LINE + 2;
	const char *nl = memchr(s, '\n', look);
	size_t len = nl ? (size_t)(nl - s) : look;
	if (len > 0 && s[len - 1] == '\r' && (nl != NULL || look == n))
		len--;
	return len > INPUT_MAX_LINE ? INPUT_MAX_LINE + 1 : len;
}
