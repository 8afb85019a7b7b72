/* test-explain.c — the sentences users read, for events the model really
 * produces: the pinned-top example (facts §15 b, top_pad 0) is
 * (tcache off, top_pad 0, mmap_threshold 1 MiB) is stepped through the model and its trim verdict must read exactly as
 * specified; other wordings are checked on hand-made events. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/utf8.h"
#include "sim/explain.h"
#include "sim/heap.h"

static const char *namer(const void *context, sim_slot slot)
{
	(void)context;
	static const char *const names[] = {"a", "b", "c"};
	return slot < 3 ? names[slot] : NULL;
}

/* The explanation of the step's first event of `kind`. */
static void explain_kind(const sim_events *events, sim_event_kind kind, char *buf, size_t size)
{
	for (size_t i = 0; i < events->count; i++)
		if (events->items[i].kind == kind) {
			sim_explain(&events->items[i], namer, NULL, buf, size);
			return;
		}
	ck_abort_msg("no %s event", sim_event_kind_name(kind));
}

START_TEST(pinned_top_verdict_reads_as_specified)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&config, SIM_SET_TOP_PAD, 0));
	ck_assert(sim_config_set(&config, SIM_SET_MMAP_THRESHOLD, 1048576));
	/* With the tcache on, freeing `b` (chunk 0x3f0) would only cache it. */
	ck_assert(sim_config_set(&config, SIM_SET_TCACHE_COUNT, 0));
	sim_heap *heap = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	sim_result r;
	const sim_op a = {.kind = SIM_OP_MALLOC, .slot = 0, .arg_slot = SIM_NO_SLOT, .size = 200000};
	const sim_op b = {.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 1000};
	const sim_op free_a = {.kind = SIM_OP_FREE, .slot = 0, .arg_slot = SIM_NO_SLOT};
	const sim_op free_b = {.kind = SIM_OP_FREE, .slot = 1, .arg_slot = SIM_NO_SLOT};
	ck_assert(sim_heap_step(heap, &a, &events, &r));
	ck_assert(sim_heap_step(heap, &b, &events, &r));
	ck_assert(sim_heap_step(heap, &free_a, &events, &r));
	char text[512];
	explain_kind(&events, SIM_EV_TRIM_CHECK, text, sizeof text);
	/* request2size(200000) = 0x30d50: `a` cannot merge (the tcache struct
	 * below, `b` above are in use). Freeing `b` would merge 0x30d50 + 0x3f0
	 * + top 0xc30 = 0x31970, and systrim(0) releases (0x31970 - 33) rounded
	 * down to pages = 0x31000. */
	ck_assert_str_eq(text, "coalesced chunk 0x30d50 \u2265 64 KiB gate; top 0xc30 < trim_threshold 0x20000: not "
			       "trimmed; top is pinned by `b` at +0x30ff0 (0x3f0 bytes); freeing `b` would return "
			       "0x31000 (196 KiB)");
	ck_assert(sim_heap_step(heap, &free_b, &events, &r));
	explain_kind(&events, SIM_EV_BRK_SHRINK, text, sizeof text);
	ck_assert_str_eq(text, "brk shrinks +0x32000 \u2192 +0x1000: 0x31000 (196 KiB) returned to the kernel");
	explain_kind(&events, SIM_EV_TRIM_CHECK, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "systrim returns 0x31000 (196 KiB) to the kernel"));
	sim_events_release(&events);
	sim_heap_free(heap);
}
END_TEST

/* The same frees in a thread's own arena: glibc's _int_free calls
 * heap_trim there (shrink_heap of the heap's end, madvise), never
 * systrim, which only moves brk; the sentences say so in both
 * languages. */
START_TEST(a_heap_trim_is_not_called_systrim)
{
	sim_config config = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&config, SIM_SET_TOP_PAD, 0));
	ck_assert(sim_config_set(&config, SIM_SET_MMAP_THRESHOLD, 1048576));
	ck_assert(sim_config_set(&config, SIM_SET_TCACHE_COUNT, 0));
	sim_heap *heap = sim_heap_new(&config);
	sim_events events;
	sim_events_init(&events);
	sim_result r;
	sim_op start = sim_op_blank(SIM_OP_THREAD_START);
	start.value = 1;
	sim_op a = {.kind = SIM_OP_MALLOC, .slot = 0, .arg_slot = SIM_NO_SLOT, .size = 200000, .thread = 1};
	sim_op b = {.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 1000, .thread = 1};
	sim_op free_a = {.kind = SIM_OP_FREE, .slot = 0, .arg_slot = SIM_NO_SLOT, .thread = 1};
	sim_op free_b = {.kind = SIM_OP_FREE, .slot = 1, .arg_slot = SIM_NO_SLOT, .thread = 1};
	ck_assert(sim_heap_step(heap, &start, &events, &r));
	ck_assert(sim_heap_step(heap, &a, &events, &r));
	ck_assert(sim_heap_step(heap, &b, &events, &r));
	ck_assert(sim_heap_step(heap, &free_a, &events, &r));
	ck_assert(sim_heap_step(heap, &free_b, &events, &r));
	const sim_event *check = NULL, *shrink = NULL;
	for (size_t i = 0; i < events.count; i++) {
		if (events.items[i].kind == SIM_EV_TRIM_CHECK)
			check = &events.items[i];
		if (events.items[i].kind == SIM_EV_HEAP_SHRINK)
			shrink = &events.items[i];
	}
	ck_assert_ptr_nonnull(check);
	ck_assert_ptr_nonnull(shrink);
	ck_assert_uint_eq(check->arena, 1);
	ck_assert_uint_eq(check->detail, SIM_TRIM_RELEASED);
	char text[512];
	sim_explain(check, namer, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "heap_trim returns 0x") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "systrim") == NULL, "%s", text);
	sim_explain_in(SIM_LANG_ZH, check, namer, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "heap_trim 将 0x") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "systrim") == NULL, "%s", text);
	sim_explain(shrink, namer, NULL, text, sizeof text);
	ck_assert_msg(strncmp(text, "shrink_heap: heap A1.0 shrinks ", 31) == 0, "%s", text);
	sim_explain_in(SIM_LANG_ZH, shrink, namer, NULL, text, sizeof text);
	ck_assert_msg(strncmp(text, "shrink_heap：堆 A1.0 缩小 ", strlen("shrink_heap：堆 A1.0 缩小 ")) == 0, "%s", text);
	/* the main arena's trim keeps glibc's name for it */
	sim_event main_check = *check;
	main_check.arena = 0;
	sim_explain(&main_check, namer, NULL, text, sizeof text);
	ck_assert_msg(strstr(text, "systrim returns") != NULL, "%s", text);
	sim_events_release(&events);
	sim_heap_free(heap);
}
END_TEST

static const char *thread_names(const void *context, uint32_t thread)
{
	(void)context;
	return thread == 1 ? "handler" : thread == 2 ? "a\"b" : NULL;
}

/* Thread sentences name their threads where the front end knows them
 * (a scenario's, a recording's T<tid>), else by number; a name that an
 * escaping would change makes the sentence not verbatim, as a slot's
 * name does. In both languages. */
START_TEST(thread_sentences_name_their_threads)
{
	sim_event e = {.kind = SIM_EV_ARENA_ATTACH, .detail = SIM_ARENA_NEW, .slot = SIM_NO_SLOT, .thread = 1, .arena = 1,
	               .v1 = 1, .v2 = 2};
	char text[512];
	bool verbatim;
	sim_explain_named(SIM_LANG_EN, &e, namer, NULL, thread_names, NULL, text, sizeof text, &verbatim);
	ck_assert_str_eq(text, "thread `handler`'s first call: a new arena 1 (2 arenas now)");
	ck_assert(verbatim);
	sim_explain_named(SIM_LANG_ZH, &e, namer, NULL, thread_names, NULL, text, sizeof text, &verbatim);
	ck_assert_str_eq(text, "线程 `handler` 第一次调用：新建 arena 1（现有 2 个 arena）");
	e.thread = 3; /* no name: the number */
	sim_explain_named(SIM_LANG_EN, &e, namer, NULL, thread_names, NULL, text, sizeof text, &verbatim);
	ck_assert_str_eq(text, "thread 3's first call: a new arena 1 (2 arenas now)");
	e.thread = 2;
	sim_explain_named(SIM_LANG_EN, &e, namer, NULL, thread_names, NULL, text, sizeof text, &verbatim);
	ck_assert_str_eq(text, "thread `a\"b`'s first call: a new arena 1 (2 arenas now)");
	ck_assert(!verbatim);
	sim_event f = {.kind = SIM_EV_FORK, .detail = 1, .slot = SIM_NO_SLOT, .thread = 1, .v1 = 1, .v3 = 1};
	sim_explain_named(SIM_LANG_EN, &f, namer, NULL, thread_names, NULL, text, sizeof text, &verbatim);
	ck_assert_str_eq(text, "thread `handler` forks: the rest is the child's, where it is the main thread; the other 1 "
	                       "thread is not in the child; on the free list of arenas now: the 1 arena other than its "
	                       "own, the oldest first");
}
END_TEST

/* A thread's start: no arena and no tcache until its first call, but
 * glibc 2.3.6 has no tcache to speak of; in both languages. */
START_TEST(a_thread_start_names_a_tcache_only_where_there_is_one)
{
	const sim_profile profiles[2] = {SIM_GLIBC_2_3_6, SIM_GLIBC_2_36};
	for (int i = 0; i < 2; i++) {
		sim_config config = sim_config_defaults(profiles[i]);
		sim_heap *heap = sim_heap_new(&config);
		sim_events events;
		sim_events_init(&events);
		sim_result r;
		sim_op start = sim_op_blank(SIM_OP_THREAD_START);
		start.value = 1;
		ck_assert(sim_heap_step(heap, &start, &events, &r));
		ck_assert_uint_eq(events.count, 1);
		char text[512];
		sim_explain(&events.items[0], namer, NULL, text, sizeof text);
		ck_assert_str_eq(text, i == 0 ? "pthread_create: thread 1 starts; it has no arena until its first call"
		                              : "pthread_create: thread 1 starts; it has no arena and no tcache until its first call");
		sim_explain_in(SIM_LANG_ZH, &events.items[0], namer, NULL, text, sizeof text);
		ck_assert_msg((strstr(text, "tcache") == NULL) == (i == 0), "%s", text);
		sim_events_release(&events);
		sim_heap_free(heap);
	}
}
END_TEST

START_TEST(below_gate_names_both_numbers)
{
	sim_event e = {.kind = SIM_EV_TRIM_CHECK, .detail = SIM_TRIM_BELOW_GATE, .slot = SIM_NO_SLOT,
		       .size = 0x5980, .size2 = 0x5980, .v1 = 0x4000};
	char text[256];
	sim_explain(&e, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "coalesced chunk 0x5980 < 64 KiB gate: trim not considered (top 0x5980, "
			       "trim_threshold 0x4000)");
}
END_TEST

START_TEST(truncation_follows_snprintf)
{
	sim_event e = {.kind = SIM_EV_MADVISE, .addr = 0x1000, .size = 0x60000};
	char full[256], tiny[8];
	size_t need = sim_explain(&e, NULL, NULL, full, sizeof full);
	ck_assert_uint_eq(need, strlen(full));
	ck_assert_str_eq(full, "madvise(+0x1000, 0x60000 (384 KiB), MADV_DONTNEED): 96 free pages leave RSS but stay in "
			       "the heap");
	ck_assert_uint_eq(sim_explain(&e, NULL, NULL, tiny, sizeof tiny), need);
	ck_assert_str_eq(tiny, "madvise");
	ck_assert_uint_eq(sim_explain(&e, NULL, NULL, NULL, 0), need);
	/* one page: its own number */
	e.size = 0x1000;
	sim_explain(&e, NULL, NULL, full, sizeof full);
	ck_assert_str_eq(full, "madvise(+0x1000, 0x1000 (4 KiB), MADV_DONTNEED): 1 free page leaves RSS but stays in the heap");
}
END_TEST

START_TEST(unnamed_slots_and_the_tcache_struct)
{
	char text[256];
	sim_event mine = {.kind = SIM_EV_MMAP, .slot = 9, .size = 0x31000};
	sim_explain(&mine, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "mmap 0x31000 (196 KiB) for #9: outside the brk heap, returned to the kernel on free");
	sim_event anonymous = {.kind = SIM_EV_MMAP, .slot = SIM_NO_SLOT, .size = 0x31000};
	sim_explain(&anonymous, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "mmap 0x31000 (196 KiB): outside the brk heap, returned to the kernel on free");
	sim_event tcache = {.kind = SIM_EV_ALLOC, .slot = SIM_NO_SLOT, .addr = 0, .size = 0x290};
	sim_explain(&tcache, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "tcache_init: glibc first takes chunk 0x290 at +0x0 for the per-thread tcache struct");
}
END_TEST

/* A backward merge names the predecessor, not the chunk being freed. */
START_TEST(backward_merge_names_the_previous_chunk)
{
	char text[256];
	sim_event back = {.kind = SIM_EV_COALESCE, .detail = 0, .addr = 0x290, .size = 0x32800, .addr2 = 0x322b0,
			  .size2 = 0x7e0};
	sim_explain(&back, NULL, NULL, text, sizeof text);
	ck_assert_str_eq(text, "coalesced with the free previous chunk +0x290 (0x32020): now 0x32800 at +0x290");
	sim_event fwd = {.kind = SIM_EV_COALESCE, .detail = 1, .addr = 0x290, .size = 0x800, .addr2 = 0x680,
			 .size2 = 0x410};
	sim_explain(&fwd, NULL, NULL, text, sizeof text);
	ck_assert_str_eq(text, "coalesced with the free next chunk +0x680 (0x410): now 0x800 at +0x290");
}
END_TEST

START_TEST(sizes_read_naturally)
{
	char buf[48];
	sim_explain_size(0x3f0, buf, sizeof buf);
	ck_assert_str_eq(buf, "0x3f0");
	sim_explain_size(0x21000, buf, sizeof buf);
	ck_assert_str_eq(buf, "0x21000 (132 KiB)");
	sim_explain_size(0x200000, buf, sizeof buf);
	ck_assert_str_eq(buf, "0x200000 (2 MiB)");
}
END_TEST

START_TEST(every_kind_has_words)
{
	char text[512];
	for (int k = 0; k < SIM_EV_KIND_COUNT; k++) {
		sim_event e = {.kind = (uint16_t)k, .slot = 1};
		ck_assert_uint_gt(sim_explain(&e, namer, NULL, text, sizeof text), 0);
		ck_assert_msg(strchr(text, '\n') == NULL, "kind %d explains on two lines", k);
	}
}
END_TEST

/* A front end that knows call sites: every slot the sentence names gets
 * its site after it. */
static const char *site(const void *context, sim_slot slot)
{
	(void)context;
	return slot == 1 ? "load_config, config.c:88" : NULL;
}

START_TEST(sited_names_carry_the_call_site)
{
	sim_event e = {.kind = SIM_EV_TRIM_CHECK, .detail = SIM_TRIM_BELOW_THRESHOLD, .slot = 1, .size = 0x30d50,
		       .size2 = 0xc30, .v1 = 0x20000, .addr = 0x30fe0, .addr2 = 0x3f0, .v3 = 0x31000};
	char text[512];
	sim_explain_sited(SIM_LANG_EN, &e, namer, site, NULL, text, sizeof text);
	ck_assert_str_eq(text, "coalesced chunk 0x30d50 \u2265 64 KiB gate; top 0xc30 < trim_threshold 0x20000: not "
			       "trimmed; top is pinned by `b` (load_config, config.c:88) at +0x30ff0 (0x3f0 bytes); freeing `b` "
			       "would return 0x31000 (196 KiB)");
	/* A slot without a site reads as before. */
	e.slot = 0;
	sim_explain_sited(SIM_LANG_EN, &e, namer, site, NULL, text, sizeof text);
	ck_assert_ptr_null(strstr(text, "load_config"));
	sim_explain_sited(SIM_LANG_ZH, &e, namer, site, NULL, text, sizeof text);
	e.slot = 1;
	sim_explain_sited(SIM_LANG_ZH, &e, namer, site, NULL, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "`b`（load_config, config.c:88）"));
}
END_TEST

/* A freed pin: held by the tcache (what takes it back) or a fastbin (what merges it). */
START_TEST(freed_pins_say_what_would_release_them)
{
	sim_event e = {.kind = SIM_EV_PIN_FREED, .detail = SIM_PLACE_TCACHE, .slot = 0, .addr = 0x192a0, .size = 0x70};
	char text[512];
	sim_explain(&e, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "top is pinned by `a` at +0x192b0 (0x70 bytes), a FREED chunk the tcache holds: "
			       "malloc_trim does not empty the tcache; the next malloc of 89 to 104 bytes takes it back");
	e.detail = SIM_PLACE_FASTBIN;
	e.slot = SIM_NO_SLOT;
	e.size = 0x20;
	sim_explain(&e, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "top is pinned by a freed chunk at +0x192b0 (0x20 bytes), a FREED chunk in a fastbin: "
			       "malloc_trim consolidates the fastbins and would merge it; so would the next "
			       "malloc_consolidate; a malloc of 0 to 24 bytes the tcache cannot serve takes it back");
	uint64_t lo, hi;
	sim_explain_request_range(0x30, &lo, &hi);
	ck_assert_uint_eq(lo, 25);
	ck_assert_uint_eq(hi, 40);
}
END_TEST

/* glibc's abort messages are quoted as glibc prints them; where the model
 * stops by itself, the words are the model's, in both languages, and do
 * not say glibc printed them. */
START_TEST(the_models_own_stop_is_not_glibcs_message)
{
	char text[512];
	sim_event e = {.kind = SIM_EV_ABORT, .detail = SIM_ABORT_DOUBLE_FREE_TCACHE, .slot = SIM_NO_SLOT};
	sim_explain_in(SIM_LANG_EN, &e, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "glibc aborts: free(): double free detected in tcache 2");
	sim_explain_in(SIM_LANG_ZH, &e, namer, NULL, text, sizeof text);
	ck_assert_str_eq(text, "glibc 中止，并打印 \u201cfree(): double free detected in tcache 2\u201d");
	static const uint16_t own[] = {SIM_ABORT_UNMODELLED, SIM_ABORT_UNMODELLED_SEGMENT};
	for (size_t i = 0; i < 2; i++) {
		e.detail = own[i];
		sim_explain_in(SIM_LANG_EN, &e, namer, NULL, text, sizeof text);
		ck_assert_msg(strncmp(text, "the model stops here: ", 22) == 0, "%s", text);
		sim_explain_in(SIM_LANG_ZH, &e, namer, NULL, text, sizeof text);
		ck_assert_msg(strncmp(text, "模型在此停止：", strlen("模型在此停止：")) == 0, "%s", text);
		ck_assert_msg(strstr(text, "打印") == NULL && strstr(text, "does not follow") == NULL, "%s", text);
	}
}
END_TEST

/* Names of every kind, for verbatim_means_no_escaping_changes_it. */
static const char *plain_namer(const void *context, sim_slot slot)
{
	(void)context;
	static const char *const names[] = {"a", "b", "c", "with space", "x\"y", "tab\there", "back\\slash", "caf\xc3\xa9"};
	return slot < 8 ? names[slot] : NULL;
}

static const char *plain_site(const void *context, sim_slot slot)
{
	(void)context;
	return slot == 1 ? "load_config, config.c:88" : slot == 2 ? "C:\\src\\x.c:3" : NULL;
}

/* Whether escaping text in `style` gives text back unchanged. */
static bool escaping_keeps(const char *text, utf8_escape_style style)
{
	static char escaped[6 * 8192];
	size_t n = strlen(text), written = 0;
	ck_assert_uint_eq(utf8_escape(text, n, style, escaped, sizeof escaped, &written), n);
	return written == n && memcmp(escaped, text, n) == 0;
}

/* sim_explain_verbatim's promise, which lets `run --format=json` copy a
 * sentence without reading it again: whenever it says verbatim, JSON's
 * escaping and the terminal's leave the sentence as it is; brksim's own
 * words (every kind, every detail, both languages) are always verbatim;
 * a name or a call site with a quote, a backslash, a control byte or a
 * byte above ASCII makes it not; and the text is sim_explain_sited's. */
START_TEST(verbatim_means_no_escaping_changes_it)
{
	char text[1024], same[1024];
	for (int lang = 0; lang < 2; lang++)
		for (int k = 0; k < SIM_EV_KIND_COUNT; k++)
			for (uint16_t detail = 0; detail < 40; detail++)
				for (sim_slot slot = 0; slot < 10; slot++)
					for (int variant = 0; variant < 4; variant++) {
						sim_event e = {.kind = (uint16_t)k,
							       .detail = detail,
							       .slot = slot == 9 ? SIM_NO_SLOT : slot,
							       .arena = variant & 1 ? 1 : 0,
							       .heap = variant & 1 ? 2 : 0,
							       .addr = variant & 1 ? SIM_HEAPS_START + 0x1230 : 0x290,
							       .addr2 = variant & 2 ? 1 : 0,
							       .size = variant & 2 ? 0x31000 : 0x20,
							       .size2 = 0x10,
							       .v1 = variant,
							       .v2 = variant & 2,
							       .v3 = variant & 1};
						sim_lang l = lang ? SIM_LANG_ZH : SIM_LANG_EN;
						bool verbatim = false;
						size_t n = sim_explain_verbatim(l, &e, plain_namer, plain_site, NULL, text,
										sizeof text, &verbatim);
						ck_assert_uint_lt(n, sizeof text);
						ck_assert_uint_eq(sim_explain_sited(l, &e, plain_namer, plain_site, NULL, same,
										    sizeof same),
								  n);
						ck_assert_str_eq(text, same);
						/* plain: a, b (with a plain site), "with space", #8, none */
						bool user_text_plain = slot <= 1 || slot == 3 || slot >= 8;
						char quoted[32];
						snprintf(quoted, sizeof quoted, "`%s`", plain_namer(NULL, slot < 8 ? slot : 0));
						bool mentions_user_text = strstr(text, quoted) != NULL;
						if (verbatim) {
							ck_assert_msg(escaping_keeps(text, UTF8_ESCAPE_JSON), "%s", text);
							ck_assert_msg(escaping_keeps(text, UTF8_ESCAPE_LINE), "%s", text);
						}
						if (user_text_plain)
							ck_assert_msg(verbatim, "kind %d detail %u: %s", k, detail, text);
						if (!user_text_plain && mentions_user_text)
							ck_assert_msg(!verbatim, "kind %d detail %u: %s", k, detail, text);
					}
}
END_TEST

/* A cut sentence is never verbatim (it may end inside a UTF-8 sequence). */
START_TEST(a_cut_sentence_is_not_verbatim)
{
	sim_event e = {.kind = SIM_EV_BIN_PUSH, .detail = SIM_PLACE_TCACHE, .slot = SIM_NO_SLOT, .addr = 0x290,
		       .size = 0x20, .v1 = 0, .v2 = 1};
	char text[1024];
	bool verbatim = false;
	size_t need = sim_explain_verbatim(SIM_LANG_ZH, &e, NULL, NULL, NULL, text, sizeof text, &verbatim);
	ck_assert(verbatim);
	for (size_t size = 0; size <= need; size++) {
		verbatim = true;
		ck_assert_uint_eq(sim_explain_verbatim(SIM_LANG_ZH, &e, NULL, NULL, NULL, size ? text : NULL, size,
						       &verbatim),
				  need);
		ck_assert(!verbatim);
	}
}
END_TEST

/* The name and site of long_namer, set by the test below. */
static char long_name[64], long_site[64];

static const char *long_namer(const void *context, sim_slot slot)
{
	(void)context;
	(void)slot;
	return long_name;
}

static const char *long_site_of(const void *context, sim_slot slot)
{
	(void)context;
	(void)slot;
	return long_site;
}

/* Names and sites of every length up to 40, with one byte of every
 * kind at every place: the sentence is verbatim exactly when every byte
 * of both is printable ASCII other than a quote and a backslash
 * (verbatim reads a name eight bytes at a time: a byte missed in a word,
 * or one next to a word's edge, would pass a quote into the JSON). */
START_TEST(verbatim_reads_every_byte_of_a_long_name)
{
	static const unsigned char bytes[] = {0x01, 0x1f, 0x20, '!', '"', '#', '[', '\\', ']', 0x7e, 0x7f, 0x80, 0xa0, 0xff};
	sim_event e = {.kind = SIM_EV_ALLOC, .detail = SIM_SRC_TOP, .slot = 0, .addr = 0x290, .size = 0x20, .v1 = 24};
	char text[1024];
	for (int in_site = 0; in_site < 2; in_site++)
		for (size_t n = 1; n <= 40; n++)
			for (size_t at = 0; at < n; at++)
				for (size_t b = 0; b < sizeof bytes; b++) {
					char *s = in_site ? long_site : long_name;
					memset(long_name, 'n', n);
					long_name[n] = '\0';
					memset(long_site, 's', n);
					long_site[n] = '\0';
					s[at] = (char)bytes[b];
					unsigned char c = bytes[b];
					bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
					bool verbatim = !plain;
					sim_explain_verbatim(SIM_LANG_EN, &e, long_namer, long_site_of, NULL, text, sizeof text,
							     &verbatim);
					ck_assert_msg(verbatim == plain, "byte 0x%02x at %zu of %zu (%s)", c, at, n,
						      in_site ? "site" : "name");
				}
}
END_TEST

/* A name and a site of the lengths every_buffer_size_gives_the_same_sentence
 * sets (plain ASCII, with a UTF-8 letter, or ending in a quote). */
static char sized_name[4096], sized_site[4096];

static const char *sized_namer(const void *context, sim_slot slot)
{
	(void)context;
	return slot == 7 ? NULL : sized_name;
}

static const char *sized_site_of(const void *context, sim_slot slot)
{
	(void)context;
	return slot == 5 ? sized_site : NULL;
}

static void make_text(char *to, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++)
		to[i] = (char)('a' + i % 26);
	if (kind == 1 && n >= 3)
		memcpy(to + n / 2 - (n / 2 >= 1), "\xe5\x90\x8d", 3); /* 名 */
	if (kind == 2 && n >= 1)
		to[n - 1] = '"';
	to[n] = '\0';
}

/* Every kind, in both languages, with names and sites of every length
 * from none to longer than any buffer here (plain, UTF-8, with a quote),
 * fields small and at their largest, in the main arena and another: the
 * sentence written into a buffer of each size (below
 * SIM_EXPLAIN_FIXED_MOST: the bounded way; from it: with no bound test a
 * piece, or the bounded way when a name does not fit) is the same
 * prefix of the same sentence, with snprintf's count and NUL, nothing
 * written past the buffer, and verbatim (never of a cut one, always of
 * plain names, and only where no escaping changes it) the same. */
START_TEST(every_buffer_size_gives_the_same_sentence)
{
	static const size_t lengths[] = {0, 1, 7, 8, 9, 63, 300, 620, 700, 2000};
	static char full[8192], text[8192];
	for (int lang = 0; lang < 2; lang++)
		for (int k = 0; k < SIM_EV_KIND_COUNT; k++)
			for (uint16_t detail = 0; detail < 12; detail++)
				for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
					for (int variant = 0; variant < 6; variant++) {
						int kind = variant % 3;
						bool big = variant >= 3;
						make_text(sized_name, lengths[li], kind);
						make_text(sized_site, lengths[(li + 3) % 10], kind == 1 ? 0 : kind);
						uint64_t most = UINT64_MAX;
						sim_event e = {.kind = (uint16_t)k,
							       .detail = detail,
							       .slot = detail % 4 == 3 ? SIM_NO_SLOT : (sim_slot)(4 + detail % 4),
							       .arena = big ? 0xfffe : 0,
							       .heap = big ? 0xffff : 0,
							       .thread = big ? 0xffff : 0,
							       .addr = big ? most : 0x290,
							       .addr2 = big ? most - 1 : 0x2b0,
							       .size = big ? most : 0x20,
							       .size2 = big ? most : 0x10,
							       .v1 = big ? most : 3,
							       .v2 = big ? most : 1,
							       .v3 = big ? most : 0x1000};
						sim_lang l = lang ? SIM_LANG_ZH : SIM_LANG_EN;
						bool verbatim = false;
						size_t need = sim_explain_verbatim(l, &e, sized_namer, sized_site_of, NULL, full,
										   sizeof full, &verbatim);
						ck_assert_uint_lt(need, sizeof full);
						ck_assert_uint_eq(strlen(full), need);
						/* verbatim: no escaping changes it (it may say not
						 * verbatim of text a name makes UTF-8) */
						ck_assert_msg(!verbatim || escaping_keeps(full, UTF8_ESCAPE_JSON),
							      "kind %d detail %u: %s", k, detail, full);
						if (kind == 0 && variant < 3)
							ck_assert_msg(verbatim, "kind %d detail %u: %s", k, detail, full);
						const size_t sizes[] = {1,
									2,
									100,
									SIM_EXPLAIN_FIXED_MOST - 1,
									SIM_EXPLAIN_FIXED_MOST,
									SIM_EXPLAIN_FIXED_MOST + 1,
									1024,
									need,
									need + 1,
									need + 24};
						for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
							size_t size = sizes[si];
							if (size == 0 || size + 1 > sizeof text)
								continue;
							memset(text, '#', size + 1);
							bool v = !verbatim;
							ck_assert_uint_eq(sim_explain_verbatim(l, &e, sized_namer, sized_site_of, NULL,
											       text, size, &v),
									  need);
							size_t kept = need < size ? need : size - 1;
							ck_assert_msg(memcmp(text, full, kept) == 0, "kind %d size %zu", k, size);
							ck_assert_int_eq(text[kept], '\0');
							ck_assert_int_eq(text[size], '#');
							ck_assert(v == (verbatim && need < size));
						}
					}
}
END_TEST

/* SIM_EXPLAIN_FIXED_MOST holds every sentence's own words and numbers:
 * every kind and detail, both languages, every field at its largest, in
 * another arena's largest heap, the slots unnamed ("#4294967294"), with
 * the 24 bytes a number may write past its digits. */
START_TEST(the_fixed_room_holds_every_sentence)
{
	char text[4096];
	for (int lang = 0; lang < 2; lang++)
		for (int k = 0; k < SIM_EV_KIND_COUNT; k++)
			for (uint16_t detail = 0; detail < 40; detail++)
				for (int variant = 0; variant < 4; variant++) {
					uint64_t most = UINT64_MAX;
					sim_event e = {.kind = (uint16_t)k,
						       .detail = detail,
						       .slot = variant & 1 ? SIM_NO_SLOT : SIM_NO_SLOT - 1,
						       .arena = variant & 2 ? 0xfffe : 0,
						       .heap = 0xffff,
						       .thread = 0xffff,
						       .addr = most,
						       .addr2 = most,
						       .size = most,
						       .size2 = variant & 2 ? most : 0,
						       .v1 = most,
						       .v2 = most,
						       .v3 = most};
					size_t n = sim_explain_in(lang ? SIM_LANG_ZH : SIM_LANG_EN, &e, NULL, NULL, text,
								  sizeof text);
					ck_assert_msg(n + 24 <= SIM_EXPLAIN_FIXED_MOST, "kind %d detail %u: %zu bytes: %s", k,
						      detail, n, text);
				}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");
	tcase_add_test(tc, pinned_top_verdict_reads_as_specified);
	tcase_add_test(tc, a_heap_trim_is_not_called_systrim);
	tcase_add_test(tc, a_thread_start_names_a_tcache_only_where_there_is_one);
	tcase_add_test(tc, thread_sentences_name_their_threads);
	tcase_add_test(tc, below_gate_names_both_numbers);
	tcase_add_test(tc, truncation_follows_snprintf);
	tcase_add_test(tc, unnamed_slots_and_the_tcache_struct);
	tcase_add_test(tc, backward_merge_names_the_previous_chunk);
	tcase_add_test(tc, sizes_read_naturally);
	tcase_add_test(tc, every_kind_has_words);
	tcase_add_test(tc, sited_names_carry_the_call_site);
	tcase_add_test(tc, freed_pins_say_what_would_release_them);
	tcase_add_test(tc, the_models_own_stop_is_not_glibcs_message);
	tcase_add_test(tc, verbatim_means_no_escaping_changes_it);
	tcase_add_test(tc, a_cut_sentence_is_not_verbatim);
	tcase_add_test(tc, verbatim_reads_every_byte_of_a_long_name);
	tcase_add_test(tc, every_buffer_size_gives_the_same_sentence);
	tcase_add_test(tc, the_fixed_room_holds_every_sentence);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
