/* explain.h — one line of plain language per model event.
 *
 * Shared by `brksim run` and the GUI's event log, so the wording is the
 * same everywhere, in English and Chinese (terms from glossary.h). Pure:
 * writes into the caller's buffer through append.h (snprintf's contract). */
#ifndef BRKSIM_SIM_EXPLAIN_H
#define BRKSIM_SIM_EXPLAIN_H

#include "event.h"
#include "glossary.h"

/* Maps a slot to the name the user wrote (NULL if unknown). */
typedef const char *(*sim_slot_namer)(const void *context, sim_slot slot);

/* Writes a one-line explanation of `event` (no newline) into buf and
 * returns the length it needed, as snprintf does. `namer` may be NULL. */
size_t sim_explain(const sim_event *event, sim_slot_namer namer, const void *context, char *buf, size_t size);
/* The same in a language (the glossary's terms; glibc's names stay). */
size_t sim_explain_in(sim_lang lang, const sim_event *event, sim_slot_namer namer, const void *context, char *buf,
		      size_t size);

/* Where the program allocated a slot's chunk, for a front end that knows
 * (a recording's call site: "load_config, config.c:88"); NULL when not. */
typedef const char *(*sim_slot_site)(const void *context, sim_slot slot);
/* sim_explain_in that names the call site after every slot it names:
 * "`cfg` (load_config, config.c:88)". `site` may be NULL; both callbacks
 * get `context`. */
size_t sim_explain_sited(sim_lang lang, const sim_event *event, sim_slot_namer namer, sim_slot_site site,
			 const void *context, char *buf, size_t size);

/* Maps a thread number to the name the front end knows it by (a
 * scenario's `worker[3]`, a recording's `T4242`), NULL if none. */
typedef const char *(*sim_thread_namer)(const void *context, uint32_t thread);

/* sim_explain_sited that also says, through *verbatim, whether every
 * escaping of lang/utf8.h (JSON's too) leaves the sentence as it is, so a
 * printer can copy it without looking at it again: true when it was not
 * cut and its names and call sites are printable ASCII other than '"'
 * and '\\'. brksim's own words never need escaping (valid UTF-8, no
 * control, quote or backslash: tests/core/test-explain.c checks every
 * kind of event in both languages). */
size_t sim_explain_verbatim(sim_lang lang, const sim_event *event, sim_slot_namer namer, sim_slot_site site,
			    const void *context, char *buf, size_t size, bool *verbatim);
/* sim_explain_verbatim whose thread sentences name their threads
 * ("thread `handler`'s first call") where `threads` knows them, else
 * by number ("thread 1's first call"); `threads` gets `context` too and
 * may be NULL. */
size_t sim_explain_named(sim_lang lang, const sim_event *event, sim_slot_namer namer, sim_slot_site site,
			 sim_thread_namer threads, const void *context, char *buf, size_t size, bool *verbatim);

/* The most bytes a sentence writes besides the names and call sites it
 * quotes (each number at its longest, the longer language's words), with
 * the 24 bytes a number may write past its digits. Given a buffer of at
 * least this many bytes, an English sentence's common kinds are written
 * with no bound test a piece (the same bytes; a name or site too long for
 * the room left: the bounded way). tests/core/test-explain.c checks every
 * kind with every field at its largest against it. */
enum { SIM_EXPLAIN_FIXED_MOST = 640 };

/* The requests malloc serves from a chunk of `chunk_size` (request2size
 * gives that size): *lo..*hi bytes, e.g. 89..104 for 0x70. */
void sim_explain_request_range(sim_size chunk_size, uint64_t *lo, uint64_t *hi);

/* Formats a size as hex plus a human figure when that helps:
 * "0x31000 (196 KiB)", "0x3f0". Returns what snprintf returns. */
size_t sim_explain_size(sim_size size, char *buf, size_t buf_size);

/* Whether an event deserves a line in a terse log (the CLI's default
 * view skips bookkeeping such as pops from an empty-looking bin). */
bool sim_explain_is_major(const sim_event *event);

#endif
