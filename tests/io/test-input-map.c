/* test-input-map.c — a regular file mapped instead of read (io/input_file.h
 * input_map; brksim run of a recording): the bytes are the file's with a
 * NUL after them; what is refused for a long line is exactly what
 * input_file_read refuses; pipes, devices, directories and empty files are
 * left to the other readers; a file cut while mapped reads zeros (never a
 * SIGBUS) and says it was cut; a SIGBUS that is not the map's reaches the
 * handler there was. Then brksim itself: a recording mapped, read in
 * pieces (its mapping failed) and piped prints the same, and one cut while
 * mapped is an error, not a crash.
 *   test-input-map WORKDIR [BRKSIM MMAP-SHIM] */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/input_file.h"
#include "lang/input_limits.h"
#include "tests/common/test_spawn.h"

static const char *work_dir, *brksim_path, *shim_path;
static long page;

static void write_bytes(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void work_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", work_dir, name);
}

START_TEST(the_bytes_are_the_files_with_a_nul_after)
{
	char path[4096];
	work_path(path, sizeof path, "sizes.txt");
	size_t sizes[] = {1, 100, (size_t)page - 1, (size_t)page, (size_t)page + 1, 3 * (size_t)page};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char *text = malloc(sizes[i]);
		ck_assert_ptr_nonnull(text);
		for (size_t k = 0; k < sizes[i]; k++)
			text[k] = k % 50 == 49 ? '\n' : (char)('a' + k % 26);
		write_bytes(path, text, sizes[i]);
		input_map m;
		ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
		ck_assert_uint_eq(m.len, sizes[i]);
		ck_assert_int_eq(memcmp(m.bytes, text, sizes[i]), 0);
		ck_assert_int_eq(m.bytes[sizes[i]], '\0');
		ck_assert(!input_map_shrunk(&m));
		input_map_close(&m);
		ck_assert_ptr_null(m.bytes);
		free(text);
	}
	unlink(path);
}
END_TEST

/* Whether input_file_read refuses the text for a long line. */
static bool read_refuses(const char *path)
{
	char *bytes;
	size_t len;
	diag_list diags;
	diag_list_init(&diags);
	char why[256];
	input_file_status s = input_file_read(path, &bytes, &len, &diags, why, sizeof why);
	ck_assert(s == INPUT_FILE_OK || s == INPUT_FILE_LINE_TOO_LONG);
	free(bytes);
	diag_list_release(&diags);
	return s == INPUT_FILE_LINE_TOO_LONG;
}

/* Appends a line of `len` bytes ('y'; "\r" as its last when cr) and,
 * unless it is the last, its "\n". */
static size_t put_line(char *buf, size_t at, size_t len, bool cr, bool newline)
{
	memset(buf + at, 'y', len);
	if (cr && len > 0)
		buf[at + len - 1] = '\r';
	at += len;
	if (newline)
		buf[at++] = '\n';
	return at;
}

/* Texts with lines around INPUT_MAX_LINE (with and without "\r"), after
 * short lines or at the start, with an unfinished last line and NUL
 * padding: the map refuses exactly those input_file_read refuses. */
START_TEST(a_long_line_is_refused_as_input_file_read_refuses_it)
{
	char path[4096];
	work_path(path, sizeof path, "lines.txt");
	size_t cap = 6 * (size_t)INPUT_MAX_LINE;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	const size_t near[] = {0, 1, INPUT_MAX_LINE - 1, INPUT_MAX_LINE, INPUT_MAX_LINE + 1, INPUT_MAX_LINE + 2,
	                       INPUT_MAX_LINE + 3};
	const size_t n_near = sizeof near / sizeof *near;
	srand(12);
	size_t refused = 0, cases = 0;
	for (size_t shorts = 0; shorts < 3; shorts++) {
		for (size_t a = 0; a < n_near; a++) {
			for (int shape = 0; shape < 8; shape++) {
				bool cr = shape & 1, last_open = shape & 2, padded = shape & 4;
				size_t at = 0;
				/* short lines first (none, a few, many of random lengths) */
				size_t count = shorts == 0 ? 0 : shorts == 1 ? 3 : 2000;
				for (size_t k = 0; k < count; k++)
					at = put_line(buf, at, (size_t)(rand() % 40), false, true);
				at = put_line(buf, at, near[a], cr, !last_open);
				if (!last_open) /* then a second line near the limit, unfinished */
					at = put_line(buf, at, near[(a + 3) % n_near], cr, false);
				if (padded) {
					size_t pad = (size_t)(rand() % 3) * (size_t)(INPUT_MAX_LINE / 2) + (size_t)(rand() % 5);
					memset(buf + at, 0, pad);
					at += pad;
				}
				ck_assert_uint_le(at, cap);
				if (at == 0)
					continue;
				write_bytes(path, buf, at);
				bool want = read_refuses(path);
				input_map m;
				input_map_status s = input_map_open(path, &m);
				ck_assert_msg(s == (want ? INPUT_MAP_LINE_TOO_LONG : INPUT_MAP_OK),
				              "shorts %zu, line %zu, shape %d: map %d, input_file_read refuses: %d", shorts,
				              near[a], shape, (int)s, (int)want);
				input_map_close(&m);
				refused += want;
				cases++;
			}
		}
	}
	/* (both outcomes were met) */
	ck_assert_uint_gt(refused, 10);
	ck_assert_uint_gt(cases - refused, 10);
	free(buf);
	unlink(path);
}
END_TEST

/* A run of NULs at the end is no line's: brksim record keeps its file
 * megabytes longer than what it wrote until the program ends, so a
 * recording read while its program runs ends in 8 MiB of NULs; counted
 * in its last line, it was "longer than 64 KiB" to both readers. NULs
 * with text after them are still part of a line. */
START_TEST(the_recorders_nul_padding_is_no_line)
{
	char path[4096];
	work_path(path, sizeof path, "padded.txt");
	static const char text[] = "# brksim-recording 2\nm 20 +2a0 21000\nm 30 +2";
	size_t pad = (size_t)8 << 20, len = sizeof text - 1;
	char *buf = calloc(1, len + pad + 2);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, len);
	for (int tail = 0; tail < 3; tail++) {
		/* 0: the padding ends the file; 1: a line after it; 2: a byte
		 * after it */
		size_t n = len + pad;
		if (tail == 1) {
			memcpy(buf + n, "x\n", 2);
			n += 2;
		} else if (tail == 2) {
			buf[n++] = 'x';
		}
		write_bytes(path, buf, n);
		bool refused = read_refuses(path);
		ck_assert_msg(refused == (tail != 0), "tail %d: input_file_read refuses: %d", tail, (int)refused);
		input_map m;
		input_map_status st = input_map_open(path, &m);
		ck_assert_int_eq(st, tail != 0 ? INPUT_MAP_LINE_TOO_LONG : INPUT_MAP_OK);
		if (st == INPUT_MAP_OK) {
			ck_assert_uint_eq(m.len, len + pad); /* (the bytes are the file's: the importer drops the NULs) */
			input_map_close(&m);
		}
	}
	free(buf);
	/* and no more NULs than INPUT_MAX_PADDING: a run of them past it is
	 * a line's (too long), so a stream of NULs is refused after a read
	 * of that much */
	for (size_t more = 0; more < 2; more++) {
		size_t n = len + INPUT_MAX_PADDING + more;
		buf = calloc(1, n);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf, text, len);
		write_bytes(path, buf, n);
		free(buf);
		ck_assert_int_eq(read_refuses(path), more == 1);
		input_map m;
		input_map_status st = input_map_open(path, &m);
		ck_assert_int_eq(st, more == 1 ? INPUT_MAP_LINE_TOO_LONG : INPUT_MAP_OK);
		if (st == INPUT_MAP_OK)
			input_map_close(&m);
	}
	unlink(path);
}
END_TEST

START_TEST(what_is_not_a_non_empty_regular_file_is_not_mapped)
{
	char fifo[4096], empty[4096], file[4096];
	work_path(fifo, sizeof fifo, "map.fifo");
	work_path(empty, sizeof empty, "empty.txt");
	work_path(file, sizeof file, "one.txt");
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	write_bytes(empty, "", 0);
	write_bytes(file, "m 1\n", 4);
	input_map m;
	/* (a FIFO without a writer: opening it would wait for ever) */
	ck_assert_int_eq(input_map_open(fifo, &m), INPUT_MAP_NO);
	ck_assert_int_eq(input_map_open("/dev/null", &m), INPUT_MAP_NO);
	ck_assert_int_eq(input_map_open(work_dir, &m), INPUT_MAP_NO);
	ck_assert_int_eq(input_map_open(empty, &m), INPUT_MAP_NO);
	ck_assert_int_eq(input_map_open("/nonexistent/x", &m), INPUT_MAP_NO);
	ck_assert_ptr_null(m.bytes);
	/* one map at a time: the SIGBUS handler knows one */
	input_map first, second;
	ck_assert_int_eq(input_map_open(file, &first), INPUT_MAP_OK);
	ck_assert_int_eq(input_map_open(file, &second), INPUT_MAP_NO);
	input_map_close(&first);
	ck_assert_int_eq(input_map_open(file, &second), INPUT_MAP_OK);
	input_map_close(&second);
	unlink(fifo);
	unlink(empty);
	unlink(file);
}
END_TEST

START_TEST(a_file_cut_while_mapped_reads_zeros_and_says_so)
{
	char path[4096];
	work_path(path, sizeof path, "cut.txt");
	size_t len = 5 * (size_t)page, cut = (size_t)page + (size_t)page / 2;
	char *text = malloc(len);
	ck_assert_ptr_nonnull(text);
	for (size_t k = 0; k < len; k++)
		text[k] = k % 64 == 63 ? '\n' : 'a';
	write_bytes(path, text, len);
	input_map m;
	ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
	ck_assert_int_eq(truncate(path, (off_t)cut), 0);
	/* the pages the file lost: a SIGBUS without the map's handler */
	const volatile char *bytes = m.bytes;
	ck_assert_int_eq(bytes[3 * page + 10], 0);
	ck_assert_int_eq(bytes[len - 1], 0);
	/* what it kept reads as before; the rest of its last page is zeros */
	ck_assert_int_eq(bytes[10], 'a');
	ck_assert_int_eq(bytes[cut - 2], 'a');
	ck_assert_int_eq(bytes[cut + 1], 0);
	ck_assert(input_map_shrunk(&m));
	input_map_close(&m);
	/* the file as it is now */
	ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
	ck_assert_uint_eq(m.len, cut);
	ck_assert(!input_map_shrunk(&m));
	input_map_close(&m);
	/* cut, but not where it was read: still not the file that was mapped */
	write_bytes(path, text, len);
	ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
	ck_assert_int_eq(truncate(path, (off_t)(len - 10)), 0);
	ck_assert(input_map_shrunk(&m));
	input_map_close(&m);
	free(text);
	unlink(path);
}
END_TEST

/* The process's resident file-backed pages, KiB (/proc/self/status). */
static long rss_file_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	ck_assert_ptr_nonnull(f);
	char line[256];
	long kb = -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "RssFile: %ld kB", &kb) == 1)
			break;
	fclose(f);
	ck_assert_int_ge(kb, 0);
	return kb;
}

/* Lines of random lengths (0-80 bytes, some CRLF): done_before finds the
 * first byte of each line asked for, step by step and in jumps (16-byte
 * blocks and the bytes after them), ignores an earlier line, and lets
 * the pages behind go from the RSS while they still read the same. */
START_TEST(the_pages_behind_a_line_are_let_go)
{
	char path[4096];
	work_path(path, sizeof path, "behind.txt");
	size_t cap = (size_t)12 << 20, len = 0, room = 1024;
	char *text = malloc(cap);
	size_t *starts = malloc(sizeof *starts * room);
	ck_assert(text != NULL && starts != NULL);
	srand(7);
	uint32_t lines = 0;
	while (len + 100 < cap) {
		if (lines + 1 == room) {
			room *= 2;
			starts = realloc(starts, sizeof *starts * room);
			ck_assert_ptr_nonnull(starts);
		}
		starts[++lines] = len;
		size_t n = (size_t)(rand() % 81);
		for (size_t k = 0; k < n; k++)
			text[len++] = (char)('a' + rand() % 26);
		if (rand() % 4 == 0)
			text[len++] = '\r';
		text[len++] = '\n';
	}
	write_bytes(path, text, len);
	input_map m;
	ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
	/* every page read, as an import's first pass does */
	unsigned sum = 0;
	for (size_t k = 0; k < len; k += (size_t)page)
		sum += (unsigned char)m.bytes[k];
	ck_assert_uint_gt(sum, 0);
	long before = rss_file_kb();
	ck_assert_int_ge(before, (long)(len >> 10) - 1024);
	/* a line at a time, then in jumps */
	uint32_t at = 1;
	for (; at < 3000; at++) {
		input_map_done_before(&m, at);
		ck_assert_uint_eq(m.seen, starts[at]);
	}
	for (; at + 1000 < lines * 3 / 4; at += (uint32_t)(rand() % 1000)) {
		input_map_done_before(&m, at);
		ck_assert_uint_eq(m.seen, starts[at]);
	}
	input_map_done_before(&m, at);
	input_map_done_before(&m, at / 2); /* (ignored) */
	ck_assert_uint_eq(m.seen, starts[at]);
	/* three quarters of the text behind: let go up to 4 MiB before it */
	long after = rss_file_kb();
	ck_assert_msg(before - after > (long)(starts[at] >> 10) - 4096 - 512, "RssFile %ld -> %ld kB", before, after);
	ck_assert_int_eq(memcmp(m.bytes, text, len), 0);
	/* past the last line: the end */
	input_map_done_before(&m, lines + 10);
	ck_assert_uint_eq(m.seen, len);
	input_map_close(&m);
	free(starts);
	free(text);
	unlink(path);
}
END_TEST

static volatile sig_atomic_t others;
static void other_handler(int sig)
{
	(void)sig;
	others++;
}

START_TEST(another_sigbus_reaches_the_handler_there_was)
{
	char path[4096];
	work_path(path, sizeof path, "other.txt");
	write_bytes(path, "m 1\n", 4);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = other_handler;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGBUS, &sa, &old), 0);
	others = 0;
	input_map m;
	ck_assert_int_eq(input_map_open(path, &m), INPUT_MAP_OK);
	raise(SIGBUS);
	ck_assert_int_eq(others, 1);
	ck_assert(!input_map_shrunk(&m));
	input_map_close(&m);
	/* and it is the handler after the map is closed */
	struct sigaction now;
	ck_assert_int_eq(sigaction(SIGBUS, NULL, &now), 0);
	ck_assert(now.sa_handler == other_handler);
	ck_assert_int_eq(sigaction(SIGBUS, &old, NULL), 0);
	unlink(path);
}
END_TEST

/* ---- brksim ---- */

/* A recording of `calls` mallocs and their frees, with a free of a
 * pointer never returned (a warning, whose line is shown) and CRLF ends. */
static size_t write_recording(const char *path, size_t calls)
{
	size_t cap = 256 + calls * 48, n = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	n += (size_t)snprintf(text + n, cap - n,
	                      "# brksim-recording 2\r\n# glibc 2.36\r\n# pid 1\r\n# exe /tmp/prog\r\n"
	                      "# brk0 555579480000\r\n# page 4096\r\n");
	for (size_t i = 0; i < calls; i++)
		n += (size_t)snprintf(text + n, cap - n, "m 64 +%zx 21000\r\n", 0x2a0 + 0x50 * i);
	n += (size_t)snprintf(text + n, cap - n, "f +990 21000\r\nf +7 21000\r\n");
	for (size_t i = 0; i < calls; i++)
		n += (size_t)snprintf(text + n, cap - n, "f +%zx 21000\r\n", 0x2a0 + 0x50 * i);
	write_bytes(path, text, n);
	free(text);
	return n;
}

static test_run run_brksim(const char *rec, const char *mode)
{
	char preload[4200], file[4200], how[64];
	snprintf(preload, sizeof preload, "LD_PRELOAD=%s", shim_path);
	snprintf(file, sizeof file, "BRKSIM_TEST_MMAP_FILE=%s", rec);
	snprintf(how, sizeof how, "BRKSIM_TEST_MMAP=%s", mode ? mode : "");
	/* (an ASan build's runtime is not first with a library preloaded) */
	const char *env[] = {preload, file, how, "ASAN_OPTIONS=verify_asan_link_order=0", NULL};
	const char *argv[] = {brksim_path, "run", "--quiet", rec, NULL};
	test_run r;
	ck_assert(test_run_program(argv, mode ? env : NULL, NULL, 60, &r));
	ck_assert(!r.timed_out);
	return r;
}

START_TEST(mapped_in_pieces_and_piped_print_the_same)
{
	char rec[4096];
	work_path(rec, sizeof rec, "same.rec");
	write_recording(rec, 600);
	test_run mapped = run_brksim(rec, NULL);
	test_run pieces = run_brksim(rec, "fail");
	ck_assert_int_eq(mapped.status, 0);
	ck_assert_int_eq(pieces.status, 0);
	ck_assert_ptr_nonnull(strstr(mapped.err, "same.rec:607:1: warning: free of +990"));
	ck_assert_ptr_nonnull(strstr(mapped.err, "  607 | f +990 21000\n"));
	ck_assert_str_eq(mapped.out, pieces.out);
	/* (the shim says it made the mapping fail, first) */
	const char *said = "mmap-shim: mapping failed\n";
	ck_assert_int_eq(strncmp(pieces.err, said, strlen(said)), 0);
	ck_assert_str_eq(mapped.err, pieces.err + strlen(said));
	/* piped (a pipe, not a FIFO: /dev/stdin of a FIFO opens it again,
	 * which waits for a writer once it is gone): read whole */
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "cat '%s' | '%s' run --quiet /dev/stdin", rec, brksim_path);
	test_run piped;
	ck_assert(test_run_program((const char *const[]){"/bin/sh", "-c", cmd, NULL}, NULL, NULL, 60, &piped));
	ck_assert_int_eq(piped.status, 0);
	ck_assert_str_eq(piped.out, mapped.out);
	ck_assert_ptr_nonnull(strstr(piped.err, "/dev/stdin:607:1: warning: free of +990"));
	test_run_release(&mapped);
	test_run_release(&pieces);
	test_run_release(&piped);
	unlink(rec);
}
END_TEST

/* brksim run --quiet of `path` (of len bytes, several pages), cut to a
 * page and a half once mapped, says `said` and runs nothing. */
static void assert_cut_said(const char *path, size_t len, const char *said)
{
	char mode[64];
	ck_assert_uint_gt(len, 4 * (size_t)page);
	snprintf(mode, sizeof mode, "shrink:%ld", page + page / 2);
	test_run cut = run_brksim(path, mode);
	ck_assert_ptr_nonnull(strstr(cut.err, "mmap-shim: cut to"));
	ck_assert_int_eq(cut.status, 1);
	ck_assert_str_eq(cut.out, "");
	ck_assert_ptr_nonnull(strstr(cut.err, said));
	test_run_release(&cut);
}

START_TEST(a_recording_cut_while_mapped_is_an_error)
{
	char rec[4096];
	work_path(rec, sizeof rec, "cut.rec");
	/* several pages, cut to one and a half: the rest reads zeros (the
	 * recorder's NUL padding, to the importer), not a SIGBUS */
	size_t len = write_recording(rec, 1200);
	assert_cut_said(rec, len, "cut.rec: error: the file got shorter while it was read");
	unlink(rec);
}
END_TEST

/* A .ops trace of `ops` mallocs and frees, then a line that is no op
 * when `bad` (an error, whose line is shown). */
static size_t write_ops(const char *path, size_t ops, bool bad)
{
	size_t cap = 64 + ops * 24, n = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < ops; i++)
		n += (size_t)snprintf(text + n, cap - n, i % 2 ? "f %zu\n" : "a %zu %zu\n", i / 2, 16 + i % 700);
	if (bad)
		n += (size_t)snprintf(text + n, cap - n, "q 1\n");
	write_bytes(path, text, n);
	free(text);
	return n;
}

/* run --quiet of a .ops trace maps it (as a recording): what it prints
 * is what reading it whole prints (the shim makes the mapping fail), a
 * bad line is shown from the mapped text, and a file cut while mapped is
 * said to be (which only a mapped reading can find). */
START_TEST(a_ops_trace_run_quiet_is_mapped_and_prints_what_a_whole_reading_does)
{
	char ops[4096];
	work_path(ops, sizeof ops, "same.ops");
	for (int bad = 0; bad < 2; bad++) {
		write_ops(ops, 3000, bad);
		test_run mapped = run_brksim(ops, NULL);
		test_run whole = run_brksim(ops, "fail");
		ck_assert_int_eq(mapped.status, bad ? 1 : 0);
		ck_assert_int_eq(whole.status, mapped.status);
		ck_assert_str_eq(mapped.out, whole.out);
		const char *said = "mmap-shim: mapping failed\n";
		ck_assert_int_eq(strncmp(whole.err, said, strlen(said)), 0);
		ck_assert_str_eq(mapped.err, whole.err + strlen(said));
		if (bad) {
			ck_assert_ptr_nonnull(strstr(mapped.err, "same.ops:3001:1: error: unknown op 'q'"));
			ck_assert_ptr_nonnull(strstr(mapped.err, " 3001 | q 1\n"));
		} else {
			ck_assert_ptr_nonnull(strstr(mapped.out, "summary after step 3000 of 3000"));
		}
		test_run_release(&mapped);
		test_run_release(&whole);
	}
	size_t len = write_ops(ops, 3000, false);
	assert_cut_said(ops, len, "same.ops: error: the file got shorter while it was read");
	unlink(ops);
}
END_TEST

/* The same calls (`calls` mallocs of 16-715 bytes, then their frees) as
 * an mtrace file, ltrace's output or a CS:APP .rep. */
static size_t write_trace(const char *path, const char *format, size_t calls)
{
	size_t cap = 256 + calls * 2 * 72, n = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	bool rep = strcmp(format, "rep") == 0, mtrace = strcmp(format, "mtrace") == 0;
	if (rep)
		n += (size_t)snprintf(text + n, cap - n, "0\n%zu\n%zu\n1\n", calls, 2 * calls);
	if (mtrace)
		n += (size_t)snprintf(text + n, cap - n, "= Start\n");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < calls; i++) {
			size_t size = 16 + i % 700, at = 0x2a0 + 0x2d0 * i;
			char call[64];
			if (rep)
				n += (size_t)(pass == 0 ? snprintf(text + n, cap - n, "a %zu %zu\n", i, size)
				                        : snprintf(text + n, cap - n, "f %zu\n", i));
			else if (mtrace)
				n += (size_t)(pass == 0 ? snprintf(text + n, cap - n, "@ ./prog:[0x1000] + 0x55d0a0b0%04zx 0x%zx\n",
				                                   at, size)
				                        : snprintf(text + n, cap - n, "@ ./prog:[0x1001] - 0x55d0a0b0%04zx\n", at));
			else if (pass == 0) {
				snprintf(call, sizeof call, "malloc(%zu)", size);
				n += (size_t)snprintf(text + n, cap - n, "%-48s = 0x55d0a0b0%04zx\n", call, at);
			} else {
				snprintf(call, sizeof call, "free(0x55d0a0b0%04zx)", at);
				n += (size_t)snprintf(text + n, cap - n, "%-48s = <void>\n", call);
			}
		}
	if (mtrace)
		n += (size_t)snprintf(text + n, cap - n, "= End\n");
	write_bytes(path, text, n);
	free(text);
	return n;
}

/* mtrace, ltrace and .rep files are mapped by run --quiet too: what it
 * prints is what a whole reading prints (the mapping made to fail, the
 * shim says so first), and a file cut while mapped is said to be. */
START_TEST(other_traces_run_quiet_are_mapped_and_print_what_a_whole_reading_does)
{
	const char *formats[] = {"mtrace", "ltrace", "rep"};
	for (size_t f = 0; f < 3; f++) {
		char path[4096], name[32];
		snprintf(name, sizeof name, "same.%s", formats[f]);
		work_path(path, sizeof path, name);
		write_trace(path, formats[f], 1500);
		test_run mapped = run_brksim(path, NULL);
		test_run whole = run_brksim(path, "fail");
		ck_assert_msg(mapped.status == 0, "%s: %s", name, mapped.err);
		ck_assert_int_eq(whole.status, 0);
		ck_assert_ptr_nonnull(strstr(mapped.out, "summary after step 3000 of 3000"));
		ck_assert_str_eq(mapped.out, whole.out);
		const char *said = "mmap-shim: mapping failed\n";
		ck_assert_msg(strncmp(whole.err, said, strlen(said)) == 0, "%s was not mapped: %s", name, whole.err);
		ck_assert_str_eq(mapped.err, whole.err + strlen(said));
		test_run_release(&mapped);
		test_run_release(&whole);
		/* cut: a file whose lost part is under INPUT_MAX_LINE (a longer
		 * run of the zeros read instead is a line too long: the file is
		 * then read again whole, as cut, and its cut last line said) */
		size_t len = write_trace(path, formats[f], f == 2 ? 1500 : 400);
		char cut[128];
		snprintf(cut, sizeof cut, "%s: error: the file got shorter while it was read", name);
		assert_cut_said(path, len, cut);
		unlink(path);
	}
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: test-input-map WORKDIR [BRKSIM MMAP-SHIM]\n");
		return EXIT_FAILURE;
	}
	/* (absolute: the shim knows its file by the path /proc names) */
	static char dirs[3][PATH_MAX];
	for (int i = 1; i < argc; i++)
		if (realpath(argv[i], dirs[i - 1]) == NULL) {
			perror(argv[i]);
			return EXIT_FAILURE;
		}
	work_dir = dirs[0];
	brksim_path = argc == 4 ? dirs[1] : NULL;
	shim_path = argc == 4 ? dirs[2] : NULL;
	page = sysconf(_SC_PAGESIZE);
	Suite *s = suite_create("input-map");
	TCase *tc = tcase_create("mapped");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_bytes_are_the_files_with_a_nul_after);
	tcase_add_test(tc, a_long_line_is_refused_as_input_file_read_refuses_it);
	tcase_add_test(tc, the_recorders_nul_padding_is_no_line);
	tcase_add_test(tc, what_is_not_a_non_empty_regular_file_is_not_mapped);
	tcase_add_test(tc, a_file_cut_while_mapped_reads_zeros_and_says_so);
	tcase_add_test(tc, another_sigbus_reaches_the_handler_there_was);
	tcase_add_test(tc, the_pages_behind_a_line_are_let_go);
	suite_add_tcase(s, tc);
	if (brksim_path != NULL) {
		TCase *app = tcase_create("brksim");
		tcase_set_timeout(app, 120);
		tcase_add_test(app, mapped_in_pieces_and_piped_print_the_same);
		tcase_add_test(app, a_recording_cut_while_mapped_is_an_error);
		tcase_add_test(app, a_ops_trace_run_quiet_is_mapped_and_prints_what_a_whole_reading_does);
		tcase_add_test(app, other_traces_run_quiet_are_mapped_and_print_what_a_whole_reading_does);
		suite_add_tcase(s, app);
	}
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
