/* glossary.c — the shared terms and the English words that stay English
 * (see glossary.h). Pure data and lookups. */
#include "glossary.h"

#include <string.h>

#define TERM(key) {#key, {GLOSS_EN_##key, GLOSS_ZH_##key}}

static const sim_glossary_term terms[] = {
	TERM(HEAP), TERM(BRK_HEAP), TERM(CHUNK), TERM(TOP), TERM(IN_USE), TERM(FREE), TERM(BIN), TERM(HEAD),
	TERM(TRIM), TERM(TRIM_THRESHOLD), TERM(MMAP_THRESHOLD), TERM(GATE), TERM(COALESCE), TERM(CONSOLIDATE),
	TERM(SPLIT), TERM(REMAINDER), TERM(PIN), TERM(RESIDENT), TERM(NOT_RESIDENT), TERM(PAGE), TERM(KERNEL),
	TERM(RETURNED), TERM(PROGRAM_MEMORY), TERM(REQUEST), TERM(OVERHEAD), TERM(POINTER), TERM(ADDRESS_SPACE), TERM(MAPPING),
	TERM(ALLOCATION), TERM(ABORT), TERM(STEP), TERM(PAUSE), TERM(MARK), TERM(SETTINGS), TERM(SUMMARY),
	TERM(DYNAMIC), TERM(EXPECTATION), TERM(FREED), TERM(CALL_SITE), TERM(CALL_STACK), TERM(LIVE_SET), TERM(PEAK),
	TERM(PROFILE), TERM(DIVERGENCE), TERM(SIDE_BY_SIDE), TERM(THREAD), TERM(MAIN_THREAD), TERM(MAIN_ARENA),
	TERM(ARENA_FREE_LIST), TERM(CPUS),
};

bool sim_lang_parse(const char *tag, sim_lang *out)
{
	if (tag == NULL || strcmp(tag, "en") == 0)
		*out = SIM_LANG_EN;
	else if (strcmp(tag, "zh") == 0)
		*out = SIM_LANG_ZH;
	else
		return false;
	return true;
}

const sim_glossary_term *sim_glossary(size_t *count)
{
	*count = sizeof terms / sizeof terms[0];
	return terms;
}

const char *sim_glossary_word(const sim_glossary_term *term, sim_lang lang)
{
	return term->text[(unsigned)lang < SIM_LANG_COUNT ? lang : SIM_LANG_EN];
}

static const char *const untranslated[] = {
	/* glibc's functions and names for its structures and settings */
	"glibc", "malloc", "free", "calloc", "realloc", "memalign", "aligned_alloc", "posix_memalign", "valloc",
	"pvalloc", "malloc_trim", "mallopt", "malloc_consolidate", "systrim", "sysmalloc", "tcache_init", "brk",
	"sbrk", "top", "top_pad", "tcache", "tcache_count", "fastbin", "fastbins", "unsorted", "smallbin",
	"largebin", "bin", "bins", "binmap", "last_remainder", "trim_threshold", "mmap_threshold", "mmap_max",
	"mxfast", "perturb", "arena", "arenas", "arena_max", "arena_test", "fencepost", "fenceposts", "pthread_create",
	"fork", "MINSIZE", "cpus", "heap_trim", "shrink_heap", "arena_get_retry",
	/* the kernel's */
	"mmap", "munmap", "mremap", "CPU", "madvise", "mprotect", "errno", "ENOMEM", "EINVAL", "ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "NULL", "sizeof", "void", "VmData", "RSS", "bss", "overcommit", "ulimit",
	/* units and formats */
	"KiB", "MiB", "GiB", "KB", "MB", "B", "PNG", "x",
	/* the scenario language's keywords, quoted from a lesson's source */
	"expect", "say", "pause", "mark",
	/* each language is named in itself where the window lets you switch */
	"English",
	/* keys */
	"Space", "Home", "End", "PgUp", "PgDn", "Shift", "Esc", "Enter", "F1", "F9", "F11",
	NULL,
};

const char *const *sim_glossary_untranslated(void)
{
	return untranslated;
}

/* glibc's macro style: capitals, digits and at least one '_' (MADV_DONTNEED). */
static bool macro_style(const char *w, size_t len)
{
	bool underscore = false;
	for (size_t i = 0; i < len; i++) {
		char c = w[i];
		if (c == '_')
			underscore = true;
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return underscore;
}

bool sim_glossary_may_stay_english(const char *word, size_t len)
{
	if (macro_style(word, len))
		return true;
	/* A single letter is a key name in the help ("L") or a variable in
	 * code ("realloc(p, n)"). */
	if (len == 1)
		return true;
	/* An address in a heap of another arena: A<arena>.<heap>+0x... */
	if (len >= 2 && word[0] == 'A') {
		size_t i = 1;
		while (i < len && word[i] >= '0' && word[i] <= '9')
			i++;
		if (i == len)
			return true;
	}
	for (const char *const *u = untranslated; *u; u++)
		if (strlen(*u) == len && memcmp(*u, word, len) == 0)
			return true;
	return false;
}
