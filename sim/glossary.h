/* glossary.h — the words brksim uses for the heap, in English and Chinese.
 *
 * One list of terms shared by everything that talks about the heap: the
 * explanations (sim/explain.c), the window (gui/strings.c), the command
 * line (app/) and the docs (docs/glossary.md, checked against this table
 * by tests/core/test-glossary.c). Each term is a pair of macros, so a
 * string table can build its sentences from them at compile time
 * ("top %s ≥ " GLOSS_ZH_TRIM_THRESHOLD), and a table of all of them for
 * `brksim help glossary` and the docs.
 *
 * Untranslated: glibc's own names (malloc, brk, tcache, top_pad, ...) stay
 * as they are in both languages, so a reader can look them up in
 * malloc.c; sim_glossary_untranslated lists them, and the Chinese-mode
 * tests refuse any other English word.
 *
 * Must not: hold sentences (those belong to the module that says them) or
 * do I/O. */
#ifndef BRKSIM_SIM_GLOSSARY_H
#define BRKSIM_SIM_GLOSSARY_H

#include <stdbool.h>
#include <stddef.h>

/* The languages brksim speaks. */
typedef enum sim_lang { SIM_LANG_EN = 0, SIM_LANG_ZH, SIM_LANG_COUNT } sim_lang;

/* "en" or "zh" (NULL = English) to a language; false for anything else. */
bool sim_lang_parse(const char *tag, sim_lang *out);

/* Terms: GLOSS_EN_X is the English word, GLOSS_ZH_X the Chinese one. */
#define GLOSS_EN_HEAP "heap"
#define GLOSS_ZH_HEAP "堆"
#define GLOSS_EN_BRK_HEAP "brk heap"
#define GLOSS_ZH_BRK_HEAP "brk 堆"
#define GLOSS_EN_CHUNK "chunk"
#define GLOSS_ZH_CHUNK "块"
#define GLOSS_EN_TOP "top chunk"
#define GLOSS_ZH_TOP "top 块"
#define GLOSS_EN_IN_USE "in use"
#define GLOSS_ZH_IN_USE "使用中"
#define GLOSS_EN_FREE "free"
#define GLOSS_ZH_FREE "空闲"
#define GLOSS_EN_BIN "bin (free list)"
#define GLOSS_ZH_BIN "bin（空闲链表）"
#define GLOSS_EN_HEAD "head (of a bin)"
#define GLOSS_ZH_HEAD "表头"
#define GLOSS_EN_TRIM "trim"
#define GLOSS_ZH_TRIM "收缩"
#define GLOSS_EN_TRIM_THRESHOLD "trim threshold"
#define GLOSS_ZH_TRIM_THRESHOLD "收缩阈值"
#define GLOSS_EN_MMAP_THRESHOLD "mmap threshold"
#define GLOSS_ZH_MMAP_THRESHOLD "mmap 阈值"
#define GLOSS_EN_GATE "64 KiB gate"
#define GLOSS_ZH_GATE "64 KiB 门槛"
#define GLOSS_EN_COALESCE "coalesce"
#define GLOSS_ZH_COALESCE "合并"
#define GLOSS_EN_CONSOLIDATE "consolidate (fastbins)"
#define GLOSS_ZH_CONSOLIDATE "合并 fastbin"
#define GLOSS_EN_SPLIT "split"
#define GLOSS_ZH_SPLIT "切分"
#define GLOSS_EN_REMAINDER "remainder"
#define GLOSS_ZH_REMAINDER "剩余部分"
#define GLOSS_EN_PIN "pins (the top)"
#define GLOSS_ZH_PIN "钉住（top）"
#define GLOSS_EN_RESIDENT "resident (in RAM)"
#define GLOSS_ZH_RESIDENT "常驻（在物理内存中）"
#define GLOSS_EN_NOT_RESIDENT "not in RAM"
#define GLOSS_ZH_NOT_RESIDENT "不在物理内存"
#define GLOSS_EN_PAGE "page"
#define GLOSS_ZH_PAGE "页"
#define GLOSS_EN_KERNEL "kernel"
#define GLOSS_ZH_KERNEL "内核"
#define GLOSS_EN_RETURNED "returned to the kernel"
#define GLOSS_ZH_RETURNED "归还内核"
#define GLOSS_EN_PROGRAM_MEMORY "the program's own memory"
#define GLOSS_ZH_PROGRAM_MEMORY "程序自己的内存"
#define GLOSS_EN_REQUEST "request (bytes asked for)"
#define GLOSS_ZH_REQUEST "请求量"
#define GLOSS_EN_OVERHEAD "chunk overhead"
#define GLOSS_ZH_OVERHEAD "块开销"
#define GLOSS_EN_POINTER "pointer"
#define GLOSS_ZH_POINTER "指针"
#define GLOSS_EN_ADDRESS_SPACE "address space"
#define GLOSS_ZH_ADDRESS_SPACE "地址空间"
#define GLOSS_EN_MAPPING "mapping"
#define GLOSS_ZH_MAPPING "映射"
#define GLOSS_EN_ALLOCATION "allocation"
#define GLOSS_ZH_ALLOCATION "分配"
#define GLOSS_EN_ABORT "abort"
#define GLOSS_ZH_ABORT "中止"
#define GLOSS_EN_STEP "step"
#define GLOSS_ZH_STEP "步骤"
#define GLOSS_EN_PAUSE "pause"
#define GLOSS_ZH_PAUSE "暂停"
#define GLOSS_EN_MARK "mark"
#define GLOSS_ZH_MARK "标记"
#define GLOSS_EN_SETTINGS "settings"
#define GLOSS_ZH_SETTINGS "设置"
#define GLOSS_EN_SUMMARY "summary"
#define GLOSS_ZH_SUMMARY "小结"
#define GLOSS_EN_DYNAMIC "dynamic (threshold)"
#define GLOSS_ZH_DYNAMIC "动态（阈值）"
#define GLOSS_EN_EXPECTATION "expectation"
#define GLOSS_ZH_EXPECTATION "预期"
#define GLOSS_EN_FREED "freed (but held)"
#define GLOSS_ZH_FREED "已释放（但仍被留住）"
#define GLOSS_EN_CALL_SITE "call site"
#define GLOSS_ZH_CALL_SITE "调用位置"
#define GLOSS_EN_CALL_STACK "call stack"
#define GLOSS_ZH_CALL_STACK "调用栈"
#define GLOSS_EN_LIVE_SET "live set"
#define GLOSS_ZH_LIVE_SET "存活集"
#define GLOSS_EN_PEAK "peak"
#define GLOSS_ZH_PEAK "峰值"
#define GLOSS_EN_PROFILE "profile"
#define GLOSS_ZH_PROFILE "版本配置"
#define GLOSS_EN_DIVERGENCE "divergence"
#define GLOSS_ZH_DIVERGENCE "分歧"
#define GLOSS_EN_SIDE_BY_SIDE "side by side"
#define GLOSS_ZH_SIDE_BY_SIDE "并排对比"
#define GLOSS_EN_THREAD "thread"
#define GLOSS_ZH_THREAD "线程"
#define GLOSS_EN_MAIN_THREAD "main thread"
#define GLOSS_ZH_MAIN_THREAD "主线程"
#define GLOSS_EN_MAIN_ARENA "main arena"
#define GLOSS_ZH_MAIN_ARENA "主 arena"
#define GLOSS_EN_ARENA_FREE_LIST "arena free list"
#define GLOSS_ZH_ARENA_FREE_LIST "空闲 arena 链表"
#define GLOSS_EN_CPUS "CPUs (cpus)"
#define GLOSS_ZH_CPUS "CPU 数（cpus）"

typedef struct sim_glossary_term {
	const char *key; /* the macro's name after GLOSS_EN_, e.g. "TRIM_THRESHOLD" */
	const char *text[SIM_LANG_COUNT];
} sim_glossary_term;

/* All terms, in the order above. */
const sim_glossary_term *sim_glossary(size_t *count);
/* A term in a language. */
const char *sim_glossary_word(const sim_glossary_term *term, sim_lang lang);

/* The words that stay in English (glibc's and the kernel's names, units,
 * key names), NULL-terminated. Besides these, Chinese text may hold
 * identifiers in glibc's macro style (MADV_DONTNEED, M_TRIM_THRESHOLD),
 * option names (--touch) and the names a scenario gives its pointers. */
const char *const *sim_glossary_untranslated(void);
/* Whether `word` (ASCII letters, digits, '_') may stand in Chinese text. */
bool sim_glossary_may_stay_english(const char *word, size_t len);

#endif
