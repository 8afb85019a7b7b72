/* tunables.c — parsing and formatting GLIBC_TUNABLES strings (see tunables.h).
 *
 * Owns: the tunable name table and glibc's number syntax for tunables.
 * Must not: getenv, print, or accept what glibc would not parse (no size
 * suffixes here: GLIBC_TUNABLES=glibc.malloc.top_pad=64K does not work in
 * glibc either, and brksim must not teach otherwise). */
#include "tunables.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define MALLOC_PREFIX "glibc.malloc."

/* Tunables glibc 2.36 has in glibc.malloc that the model does not follow. */
static const char *const unmodelled_malloc[] = {"check", "perturb", "hugetlb", NULL};

/* Full names of the modelled tunables, for "expected one of". */
static const char *const full_names[] = {
	"glibc.malloc.tcache_count",  "glibc.malloc.tcache_max", "glibc.malloc.tcache_unsorted_limit",
	"glibc.malloc.trim_threshold", "glibc.malloc.top_pad",   "glibc.malloc.mmap_threshold",
	"glibc.malloc.mmap_max",       "glibc.malloc.mxfast",    "glibc.malloc.arena_max",
	"glibc.malloc.arena_test",     NULL,
};

static uint32_t col_at(size_t offset)
{
	return offset + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(offset + 1);
}

/* glibc's tunables_strtoul: 0x/0X hex, leading 0 octal, else decimal.
 * Returns false on any other character or overflow. */
static bool parse_number(const char *s, size_t len, uint64_t *out, bool *overflow)
{
	*overflow = false;
	if (len == 0)
		return false;
	unsigned base = 10;
	size_t i = 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
		if (len == 2)
			return false;
	} else if (s[0] == '0' && len > 1) {
		base = 8;
		i = 1;
	}
	uint64_t v = 0;
	for (; i < len; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - d) / base) {
			*overflow = true;
			return false;
		}
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool word_in(const char *s, size_t len, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
			return true;
	return false;
}

/* Handles one `name=value` item at text[start..end). */
static bool parse_item(const char *text, size_t start, size_t end, sim_config *config, diag_list *diags)
{
	const char *item = text + start;
	size_t len = end - start;
	const char *eq = memchr(item, '=', len);
	size_t name_len = eq ? (size_t)(eq - item) : len;
	char list[400];
	if (name_len == 0) {
		diag_add(diags, DIAG_ERROR, 1, col_at(start), "expected a tunable name before '='");
		return false;
	}
	if (!eq) {
		diag_add_span(diags, DIAG_ERROR, 1, col_at(start), (uint32_t)name_len,
		              "expected '=' after tunable name '%s'", DIAG_QUOTE(item, name_len));
		return false;
	}
	const char *value = eq + 1;
	size_t value_len = len - name_len - 1;
	size_t value_off = start + name_len + 1;

	size_t prefix_len = sizeof MALLOC_PREFIX - 1;
	bool in_malloc = name_len > prefix_len && memcmp(item, MALLOC_PREFIX, prefix_len) == 0;
	int setting = in_malloc ? sim_setting_from_name(item + prefix_len, name_len - prefix_len) : -1;
	if (setting < 0) {
		if (in_malloc && word_in(item + prefix_len, name_len - prefix_len, unmodelled_malloc)) {
			diag_add_span(diags, DIAG_WARNING, 1, col_at(start), (uint32_t)name_len,
			              "tunable '%s' is not modelled by brksim; ignored",
			              DIAG_QUOTE(item, name_len));
			return true;
		}
		if (!in_malloc && name_len > 6 && memcmp(item, "glibc.", 6) == 0) {
			diag_add_span(diags, DIAG_WARNING, 1, col_at(start), (uint32_t)name_len,
			              "'%s' is not a malloc tunable; ignored", DIAG_QUOTE(item, name_len));
			return true;
		}
		/* A short name ("tcache_count"), another spelling
		 * (MALLOC_ARENA_MAX) or a typo: suggest a full name. */
		char meant[64];
		const char *close = NULL;
		const char *word = in_malloc ? tunables_setting_meant(item + prefix_len, name_len - prefix_len)
		                             : tunables_setting_meant(item, name_len);
		if (word && snprintf(meant, sizeof meant, "%s%s", MALLOC_PREFIX, word) < (int)sizeof meant)
			close = meant;
		if (!close)
			close = suggest_closest(item, name_len, full_names);
		if (!close && !in_malloc && sim_setting_from_name(item, name_len) >= 0) {
			for (size_t i = 0; full_names[i]; i++)
				if (strlen(full_names[i]) == prefix_len + name_len &&
				    memcmp(full_names[i] + prefix_len, item, name_len) == 0)
					close = full_names[i];
		}
		if (close)
			diag_add_span(diags, DIAG_ERROR, 1, col_at(start), (uint32_t)name_len,
			              "unknown tunable '%s'; did you mean '%s'? expected one of: %s",
			              DIAG_QUOTE(item, name_len), close,
			              suggest_list(full_names, list, sizeof list));
		else
			diag_add_span(diags, DIAG_ERROR, 1, col_at(start), (uint32_t)name_len,
			              "unknown tunable '%s'; expected one of: %s", DIAG_QUOTE(item, name_len),
			              suggest_list(full_names, list, sizeof list));
		return false;
	}
	uint64_t v;
	bool overflow;
	if (value_len == 0) {
		diag_add(diags, DIAG_ERROR, 1, col_at(value_off), "missing value for '%s'",
		         DIAG_QUOTE(item, name_len));
		return false;
	}
	if (!parse_number(value, value_len, &v, &overflow)) {
		if (overflow)
			diag_add_span(diags, DIAG_ERROR, 1, col_at(value_off), (uint32_t)value_len,
			              "value '%s' for '%s' is too large", DIAG_QUOTE(value, value_len),
			              DIAG_QUOTE(item, name_len));
		else
			diag_add_span(diags, DIAG_ERROR, 1, col_at(value_off), (uint32_t)value_len,
			              "invalid value '%s' for '%s'; GLIBC_TUNABLES takes plain numbers "
			              "(decimal, or hex "
			              "with 0x), e.g. 65536",
			              DIAG_QUOTE(value, value_len), DIAG_QUOTE(item, name_len));
		return false;
	}
	if (!sim_config_set(config, (sim_setting)setting, v)) {
		bool tcache = setting == SIM_SET_TCACHE_COUNT || setting == SIM_SET_TCACHE_MAX ||
		              setting == SIM_SET_TCACHE_UNSORTED_LIMIT;
		bool arena = setting == SIM_SET_ARENA_MAX || setting == SIM_SET_ARENA_TEST;
		if (tcache && sim_profile_glibc(config->profile)->tcache_bins == 0)
			diag_add_span(diags, DIAG_ERROR, 1, col_at(start), (uint32_t)name_len,
			              "'%s' does not exist in %s, which has no tcache",
			              DIAG_QUOTE(item, name_len), sim_profile_name(config->profile));
		else if (arena && sim_profile_glibc(config->profile)->arena_rule != SIM_ARENAS_PER_THREAD)
			diag_add_span(diags, DIAG_ERROR, 1, col_at(start), (uint32_t)name_len,
			              "'%s' does not exist in %s, whose threads share arenas only when they must",
			              DIAG_QUOTE(item, name_len), sim_profile_name(config->profile));
		else
			diag_add_span(diags, DIAG_ERROR, 1, col_at(value_off), (uint32_t)value_len,
			              "value %llu is out of range for '%s' in %s (glibc would ignore it)",
			              (unsigned long long)v, DIAG_QUOTE(item, name_len),
			              sim_profile_name(config->profile));
		return false;
	}
	return true;
}

bool tunables_parse(const char *text, size_t len, sim_config *config, diag_list *diags)
{
	size_t errors_before = diags->error_count;
	size_t pos = 0;
	static const char env_prefix[] = "GLIBC_TUNABLES=";
	if (len >= sizeof env_prefix - 1 && memcmp(text, env_prefix, sizeof env_prefix - 1) == 0)
		pos = sizeof env_prefix - 1;
	for (size_t i = pos; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c >= 0x7f) {
			diag_add(diags, DIAG_ERROR, 1, col_at(i), "unexpected byte 0x%02x in the tunables string", c);
			return false;
		}
	}
	while (pos <= len) {
		const char *colon = memchr(text + pos, ':', len - pos);
		size_t end = colon ? (size_t)(colon - text) : len;
		if (end > pos) /* empty items ("a=1::b=2", a trailing ':') are skipped, as glibc does */
			parse_item(text, pos, end, config, diags);
		if (!colon)
			break;
		pos = end + 1;
	}
	return diags->error_count == errors_before;
}

size_t tunables_format(const sim_config *config, char *buf, size_t buf_size)
{
	size_t needed = 0;
	if (buf_size)
		buf[0] = '\0';
	for (int i = 0; i < SIM_SETTING_COUNT; i++) {
		if (!(config->set_mask & (1u << i)))
			continue;
		char item[96];
		int n = snprintf(item, sizeof item, "%s" MALLOC_PREFIX "%s=%llu", needed ? ":" : "",
		                 sim_setting_name((sim_setting)i), (unsigned long long)config->value[i]);
		if (n < 0)
			continue;
		if (needed + (size_t)n < buf_size)
			memcpy(buf + needed, item, (size_t)n + 1);
		needed += (size_t)n;
	}
	return needed;
}

const char *tunables_setting_meant(const char *word, size_t len)
{
	static const struct {
		const char *word, *setting;
	} words[] = {
		{"tcache", "tcache_count"}, {"fastbins", "mxfast"}, {"fastbin", "mxfast"},
		{"trim", "trim_threshold"}, {"pad", "top_pad"},     {"mmap", "mmap_threshold"},
		{"arenas", "arena_max"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == len && strncasecmp(words[i].word, word, len) == 0)
			return words[i].setting;
	/* MALLOC_X_ and M_X: X, in any case */
	if (len > 7 && strncasecmp(word, "MALLOC_", 7) == 0) {
		word += 7;
		len -= 7;
	} else if (len > 2 && strncasecmp(word, "M_", 2) == 0) {
		word += 2;
		len -= 2;
	} else {
		return NULL;
	}
	if (len > 1 && word[len - 1] == '_')
		len--;
	for (int i = 0; i < SIM_SETTING_COUNT; i++) {
		const char *name = sim_setting_name((sim_setting)i);
		if (strlen(name) == len && strncasecmp(name, word, len) == 0)
			return name;
	}
	return NULL;
}
