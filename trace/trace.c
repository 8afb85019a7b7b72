/* trace.c — format names, format detection and the import entry point.
 *
 * Owns: which importer reads which bytes. Must not: parse a format beyond
 * the sniffing needed to recognise it (that is the importers' job). */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "importers.h"

static const char *const format_names[TRACE_FORMAT_COUNT] = {
	[TRACE_FORMAT_UNKNOWN] = "unknown",     [TRACE_FORMAT_REP] = "rep",
	[TRACE_FORMAT_REP_2002] = "rep-2002",   [TRACE_FORMAT_REP_2016] = "rep-2016",
	[TRACE_FORMAT_MTRACE] = "mtrace",       [TRACE_FORMAT_LTRACE] = "ltrace",
	[TRACE_FORMAT_RECORDING] = "recording",
};

const char *trace_format_name(trace_format format)
{
	return (unsigned)format < TRACE_FORMAT_COUNT ? format_names[format] : "unknown";
}

static bool name_is(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(name, word, len) == 0;
}

trace_format trace_format_from_name(const char *name, size_t len)
{
	for (int f = TRACE_FORMAT_REP; f < TRACE_FORMAT_COUNT; f++)
		if (name_is(name, len, format_names[f]))
			return (trace_format)f;
	if (name_is(name, len, "rep2002"))
		return TRACE_FORMAT_REP_2002;
	if (name_is(name, len, "rep2016"))
		return TRACE_FORMAT_REP_2016;
	if (name_is(name, len, "brksim"))
		return TRACE_FORMAT_RECORDING;
	return TRACE_FORMAT_UNKNOWN;
}

const char *trace_format_list(void)
{
	return "rep, rep-2002, rep-2016, mtrace, ltrace, recording";
}

/* ---- detection ---- */

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		char a = name[n - k + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != suffix[i])
			return false;
	}
	return true;
}

static trace_format format_from_extension(const char *name)
{
	if (!name)
		return TRACE_FORMAT_UNKNOWN;
	if (has_suffix(name, ".rep"))
		return TRACE_FORMAT_REP;
	if (has_suffix(name, ".mtrace") || has_suffix(name, ".mtr"))
		return TRACE_FORMAT_MTRACE;
	if (has_suffix(name, ".ltrace") || has_suffix(name, ".lt"))
		return TRACE_FORMAT_LTRACE;
	if (has_suffix(name, ".trace") || has_suffix(name, ".brktrace"))
		return TRACE_FORMAT_RECORDING;
	return TRACE_FORMAT_UNKNOWN;
}

/* A bounded view of the next line, for sniffing. */
typedef struct sniff {
	const char *p, *end;
} sniff;

static bool sniff_line(sniff *s, const char **text, size_t *len)
{
	while (s->p < s->end) {
		const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
		const char *stop = nl ? nl : s->end;
		*text = s->p;
		*len = (size_t)(stop - s->p);
		s->p = nl ? nl + 1 : s->end;
		while (*len && ((*text)[*len - 1] == '\r' || (*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
			(*len)--;
		if (*len)
			return true;
	}
	return false;
}

static bool starts_with(const char *text, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return len >= n && memcmp(text, lit, n) == 0;
}

static bool contains(const char *text, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(text + i, lit, n) == 0)
			return true;
	return false;
}

/* An mtrace event: optional "@ caller] " then "+ 0x", "- 0x", "< 0x", "> 0x", "! 0x" or "(nil)". */
static bool looks_like_mtrace_op(const char *text, size_t len)
{
	if (starts_with(text, len, "@ ")) {
		const char *q = NULL;
		for (size_t i = 2; i + 1 < len; i++)
			if (text[i] == ']' && text[i + 1] == ' ') {
				q = text + i + 2;
				break;
			}
		if (!q)
			return false;
		len -= (size_t)(q - text);
		text = q;
	}
	if (len < 4 || !strchr("+-<>!", text[0]) || text[1] != ' ')
		return false;
	return starts_with(text + 2, len - 2, "0x") || starts_with(text + 2, len - 2, "(nil)");
}

static bool all_digits(const char *text, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (text[i] < '0' || text[i] > '9')
			return false;
	return true;
}

/* Four integers (one or more per line), then op lines or nothing. */
static bool looks_like_rep(const char *bytes, size_t len)
{
	sniff s = {bytes, bytes + len};
	int numbers = 0;
	const char *text;
	size_t n;
	while (numbers < 4) {
		if (!sniff_line(&s, &text, &n))
			return false;
		size_t i = 0;
		while (i < n) {
			while (i < n && (text[i] == ' ' || text[i] == '\t'))
				i++;
			size_t j = i;
			while (j < n && text[j] != ' ' && text[j] != '\t')
				j++;
			if (j > i) {
				if (!all_digits(text + i, j - i) || numbers == 4)
					return false;
				numbers++;
			}
			i = j;
		}
	}
	if (!sniff_line(&s, &text, &n))
		return true; /* a header and no ops */
	while (n && (*text == ' ' || *text == '\t'))
		text++, n--;
	return n >= 3 && (text[0] == 'a' || text[0] == 'f' || text[0] == 'r') && (text[1] == ' ' || text[1] == '\t');
}

/* "name(" somewhere, and either " = " after the ")" or an ltrace marker. */
static bool looks_like_ltrace(const char *text, size_t len)
{
	if (contains(text, len, "<unfinished ...>") || contains(text, len, "<... ") ||
	    contains(text, len, "+++ exited") || contains(text, len, "+++ killed by") ||
	    (contains(text, len, "--- SIG") && contains(text, len, " ---")))
		return true;
	return contains(text, len, "(") && contains(text, len, ") ") && contains(text, len, " = ");
}

trace_format trace_detect(const char *name, const char *bytes, size_t len)
{
	if (name && has_suffix(name, ".heap"))
		return TRACE_FORMAT_UNKNOWN;
	if (bytes == NULL)
		return format_from_extension(name);
	const char *text;
	size_t n;
	sniff s = {bytes, bytes + (len > 65536 ? 65536 : len)};
	if (sniff_line(&s, &text, &n)) {
		if (starts_with(text, n, "# brksim-recording"))
			return TRACE_FORMAT_RECORDING;
		if ((n == 7 && memcmp(text, "= Start", 7) == 0) || looks_like_mtrace_op(text, n))
			return TRACE_FORMAT_MTRACE;
		if (looks_like_rep(bytes, len > 65536 ? 65536 : len))
			return TRACE_FORMAT_REP;
		/* ltrace may start with a few lines of something else (a program's
		 * own stderr): look at the first handful. */
		int seen = 0;
		do {
			if (looks_like_ltrace(text, n))
				return TRACE_FORMAT_LTRACE;
		} while (++seen < 8 && sniff_line(&s, &text, &n));
	}
	return format_from_extension(name);
}

/* ---- extra ---- */

void trace_extra_init(trace_extra *extra)
{
	memset(extra, 0, sizeof *extra);
	for (int i = 0; i < 4; i++)
		extra->rep_header[i] = -1;
	extra->pid = -1;
}

void trace_extra_release(trace_extra *extra)
{
	free(extra->recorded);
	free(extra->slot_ptr);
	trace_stacks_release(&extra->stacks);
	trace_extra_init(extra);
}

bool trace_import(trace_format format, const char *name, const char *bytes, size_t len, script *out,
                  diag_list *diags, trace_extra *extra)
{
	(void)name;
	trace_extra local;
	if (!extra) {
		trace_extra_init(&local);
		extra = &local;
	}
	static const char empty[1] = "";
	/* (a recording read in pieces has no bytes, but its length) */
	if (!bytes && !(format == TRACE_FORMAT_RECORDING && extra->read))
		bytes = empty, len = 0;
	else if (!bytes)
		bytes = empty;
	bool ok;
	switch (format) {
	case TRACE_FORMAT_REP:
	case TRACE_FORMAT_REP_2002:
	case TRACE_FORMAT_REP_2016:
		ok = trace_import_rep(format, bytes, len, out, diags, extra);
		break;
	case TRACE_FORMAT_MTRACE:
		ok = trace_import_mtrace(bytes, len, out, diags, extra);
		break;
	case TRACE_FORMAT_LTRACE:
		ok = trace_import_ltrace(bytes, len, out, diags, extra);
		break;
	case TRACE_FORMAT_RECORDING:
		ok = trace_import_recording(bytes, len, out, diags, extra);
		break;
	default:
		diag_add(diags, DIAG_ERROR, 0, 0, "unknown trace format (expected one of: %s)", trace_format_list());
		ok = false;
		break;
	}
	if (extra == &local)
		trace_extra_release(&local);
	return ok;
}
