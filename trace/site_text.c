/* site_text.c — see site_text.h. */
#include "site_text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool trace_site_without_args(const char *site, char *out, size_t out_size)
{
	/* the first "(" right after a name's last character (a template's
	 * '>' too), and its matching ")" */
	const char *open = site;
	while ((open = strchr(open, '(')) != NULL) {
		char before = open > site ? open[-1] : ' ';
		if (isalnum((unsigned char)before) || before == '_' || before == '>')
			break;
		open++;
	}
	if (!open)
		return false;
	int depth = 0;
	const char *close = open;
	for (; *close; close++) {
		depth += *close == '(';
		depth -= *close == ')';
		if (depth == 0)
			break;
	}
	if (!*close || close == open + 1)
		return false;
	int n = snprintf(out, out_size, "%.*s(\u2026)%s", (int)(open - site), site, close + 1);
	return n > 0 && (size_t)n < out_size;
}
