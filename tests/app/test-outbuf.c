/* test-outbuf.c — app/outbuf.c hands the stream exactly the bytes stdio
 * would have written: numbers as printf writes them, escaped text as one
 * utf8_escape of the whole (what describe.c writes), pieces larger than
 * the buffer, and escapes that fall across a flush. */
#include <check.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/outbuf.h"

/* The buffer under test, writing into a memory stream. */
typedef struct sink {
	FILE *f;
	char *data;
	size_t size;
	outbuf b;
} sink;

static void sink_open(sink *s)
{
	s->data = NULL;
	s->size = 0;
	s->f = open_memstream(&s->data, &s->size);
	ck_assert_ptr_nonnull(s->f);
	outbuf_init(&s->b, s->f);
}

/* Flushes and closes; the caller frees s->data. */
static void sink_close(sink *s)
{
	outbuf_flush(&s->b);
	ck_assert_int_eq(fclose(s->f), 0);
}

static const uint64_t edges[] = {
	0, 1, 9, 10, 99, 100, 101, 999, 1000, 4095, 4096, 65535, 1000000, 0x7fffffffull, 0xffffffffull,
	9999999999ull, 10000000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX,
};
#define EDGES (sizeof edges / sizeof edges[0])

START_TEST(numbers_are_printf_bytes)
{
	sink s;
	sink_open(&s);
	char want[8192] = "";
	size_t len = 0;
	for (size_t i = 0; i < EDGES; i++) {
		outbuf_dec(&s.b, edges[i]);
		outbuf_char(&s.b, ' ');
		outbuf_hex(&s.b, edges[i]);
		outbuf_char(&s.b, ' ');
		outbuf_int(&s.b, (int64_t)edges[i]);
		outbuf_char(&s.b, ' ');
		outbuf_int(&s.b, -(int64_t)(edges[i] >> 1));
		OUTBUF_LIT(&s.b, "\n");
		len += (size_t)snprintf(want + len, sizeof want - len, "%" PRIu64 " 0x%" PRIx64 " %" PRId64 " %" PRId64 "\n",
					edges[i], edges[i], (int64_t)edges[i], -(int64_t)(edges[i] >> 1));
	}
	sink_close(&s);
	ck_assert_uint_eq(s.size, len);
	ck_assert_mem_eq(s.data, want, len);
	free(s.data);
}
END_TEST

/* Every length of number: the powers of 10 and their neighbours, and a
 * spread of others (below 10^8 the digits are made eight at a time). */
START_TEST(every_length_of_number)
{
	sink s;
	sink_open(&s);
	size_t cap = 1 << 22, len = 0;
	char *want = malloc(cap);
	ck_assert_ptr_nonnull(want);
	uint64_t state = 7;
	for (int i = 0; i < 40000; i++) {
		uint64_t v;
		if (i < 60) {
			uint64_t p = 1;
			for (int k = 0; k < i / 3 && p <= UINT64_MAX / 10; k++)
				p *= 10;
			v = p + (uint64_t)(i % 3) - 1;
		} else {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			v = state >> (state & 63);
		}
		outbuf_dec(&s.b, v);
		outbuf_char(&s.b, ',');
		outbuf_int(&s.b, -(int64_t)(v >> 1));
		outbuf_char(&s.b, ' ');
		len += (size_t)snprintf(want + len, cap - len, "%" PRIu64 ",%" PRId64 " ", v, -(int64_t)(v >> 1));
	}
	sink_close(&s);
	ck_assert_uint_eq(s.size, len);
	ck_assert_mem_eq(s.data, want, len);
	free(s.data);
	free(want);
}
END_TEST

/* Text that needs every kind of escape, and plain runs between them. */
static const char *const texts[] = {
	"plain text, nothing to escape",
	"quote \" backslash \\ tab \t newline \n end",
	"brk grows +0x0 \u2192 +0x21000 (\u2265 64 KiB) \u5408\u5e76",
	"esc \x1b[31m bidi \u202e c1 \xc2\x9b bad \xff\xfe cut \xe2\x86",
	"",
};

/* What describe.c writes: the text through utf8_escape in one piece. */
static size_t reference(const char *text, utf8_escape_style style, char *out, size_t cap)
{
	size_t written = 0;
	utf8_escape(text, strlen(text), style, out, cap, &written);
	return written;
}

/* Kept digits (outbuf_put_dec_kept, outbuf_put_hex_kept) are printf's
 * bytes whatever follows what: counting up by one through every carry,
 * up by 0 to 12 (9 is the last step kept without a carry), down, jumps
 * of any width, and a number repeated. */
START_TEST(kept_digits_are_printf_bytes)
{
	outbuf_kept dec = {0}, hex = {0};
	uint64_t v = 0, state = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 300000; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		if (i < 120000)
			v += 1;
		else if (i < 200000)
			v += state % 13;
		else if (state % 5 == 0)
			v = state >> (state % 64);
		else if (state % 5 == 1)
			v -= state % 3;
		else
			v += state % 11;
		char got[64], want[32];
		char *end = outbuf_put_dec_kept(got, &dec, v);
		*end = '\0';
		snprintf(want, sizeof want, "%" PRIu64, v);
		ck_assert_msg(strcmp(got, want) == 0, "%" PRIu64 " after %d: %s", v, i, got);
		uint64_t h = state % 3 == 0 ? v : v >> 1; /* repeated a third of the time */
		end = outbuf_put_hex_kept(got, &hex, h);
		*end = '\0';
		snprintf(want, sizeof want, "0x%" PRIx64, h);
		ck_assert_msg(strcmp(got, want) == 0, "0x%" PRIx64 " after %d: %s", h, i, got);
	}
}
END_TEST

START_TEST(escapes_across_every_flush_point)
{
	const utf8_escape_style styles[] = {UTF8_ESCAPE_LINE, UTF8_ESCAPE_LINES, UTF8_ESCAPE_JSON};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (size_t st = 0; st < 3; st++)
			/* put the text at every position around the buffer's end */
			for (size_t fill = OUTBUF_SIZE - 80; fill <= OUTBUF_SIZE; fill++) {
				sink s;
				sink_open(&s);
				for (size_t i = 0; i < fill; i++)
					outbuf_char(&s.b, 'x');
				if (styles[st] == UTF8_ESCAPE_JSON)
					outbuf_json_string(&s.b, texts[t]);
				else
					outbuf_escaped(&s.b, texts[t], styles[st]);
				sink_close(&s);
				char want[1024];
				size_t n = 0;
				if (styles[st] == UTF8_ESCAPE_JSON)
					want[n++] = '"';
				n += reference(texts[t], styles[st], want + n, sizeof want - n);
				if (styles[st] == UTF8_ESCAPE_JSON)
					want[n++] = '"';
				ck_assert_uint_eq(s.size, fill + n);
				ck_assert_mem_eq(s.data + fill, want, n);
				free(s.data);
			}
}
END_TEST

/* outbuf_json_plain tests eight bytes at a time: every byte value at
 * every position of texts of every length up to 40 gets the answer of a
 * byte-by-byte test. */
static bool plain_reference(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

START_TEST(plain_check_matches_a_byte_test)
{
	char text[48];
	for (size_t n = 0; n <= 40; n++)
		for (size_t at = 0; at < (n ? n : 1); at++)
			for (int c = 0; c < 256; c++) {
				for (size_t i = 0; i < n; i++)
					text[i] = (char)('a' + i % 26);
				if (n > 0)
					text[at] = (char)c;
				ck_assert_msg(outbuf_json_plain(text, n) == plain_reference(text, n),
					      "length %zu, byte 0x%02x at %zu", n, c, at);
			}
}
END_TEST

START_TEST(pieces_larger_than_the_buffer)
{
	volatile size_t big_v = 3 * (size_t)OUTBUF_SIZE + 17; /* not a constant: the compiler would warn about the inline copy it never takes */
	size_t big = big_v;
	char *piece = malloc(big);
	ck_assert_ptr_nonnull(piece);
	for (size_t i = 0; i < big; i++)
		piece[i] = (char)('a' + i % 26);
	sink s;
	sink_open(&s);
	OUTBUF_LIT(&s.b, "head");
	outbuf_mem(&s.b, piece, big);
	outbuf_str(&s.b, "tail");
	sink_close(&s);
	ck_assert_uint_eq(s.size, big + 8);
	ck_assert_mem_eq(s.data, "head", 4);
	ck_assert_mem_eq(s.data + 4, piece, big);
	ck_assert_mem_eq(s.data + 4 + big, "tail", 4);
	free(s.data);
	free(piece);
}
END_TEST

/* A file stream: the buffer's blocks go to the file itself (write(2)),
 * after what the program wrote to the stream before them, and before
 * what it writes after (stdio's own bytes, a stream of a file, pieces of
 * every size around the buffer's). */
START_TEST(a_file_gets_the_stream_and_the_buffer_in_order)
{
	char path[] = "/tmp/brksim-test-outbuf-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	volatile size_t big_v = 2 * (size_t)OUTBUF_SIZE + 5;
	size_t big = big_v;
	char *piece = malloc(big);
	ck_assert_ptr_nonnull(piece);
	for (size_t i = 0; i < big; i++)
		piece[i] = (char)('a' + i % 26);
	outbuf b;
	outbuf_init(&b, f);
	char *want = malloc(4 * big + 64);
	ck_assert_ptr_nonnull(want);
	size_t len = 0;
	fputs("stdio first;", f);
	memcpy(want + len, "stdio first;", 12), len += 12;
	outbuf_mem(&b, piece, 1000);
	memcpy(want + len, piece, 1000), len += 1000;
	outbuf_mem(&b, piece, OUTBUF_SIZE - 1000); /* fills it exactly */
	memcpy(want + len, piece, OUTBUF_SIZE - 1000), len += OUTBUF_SIZE - 1000;
	outbuf_char(&b, '!'); /* flushes */
	want[len++] = '!';
	outbuf_mem(&b, piece, big); /* flushes, then goes straight through */
	memcpy(want + len, piece, big), len += big;
	outbuf_flush(&b);
	fputs(";stdio between;", f);
	memcpy(want + len, ";stdio between;", 15), len += 15;
	OUTBUF_LIT(&b, "last");
	memcpy(want + len, "last", 4), len += 4;
	outbuf_flush(&b);
	ck_assert_int_eq(fclose(f), 0);
	FILE *r = fopen(path, "rb");
	ck_assert_ptr_nonnull(r);
	char *got = malloc(len + 1);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(fread(got, 1, len + 1, r), len);
	fclose(r);
	unlink(path);
	ck_assert_mem_eq(got, want, len);
	free(got);
	free(want);
	free(piece);
}
END_TEST

/* A file that cannot take the bytes (/dev/full): the stream is told, as
 * when fwrite wrote them, and main's fflush then reports it. */
START_TEST(a_failed_write_leaves_the_error_on_the_stream)
{
	FILE *f = fopen("/dev/full", "w");
	if (f == NULL)
		return; /* no such device here: nothing to check */
	outbuf b;
	outbuf_init(&b, f);
	char piece[4096];
	memset(piece, 'x', sizeof piece);
	for (int i = 0; i < 40; i++)
		outbuf_mem(&b, piece, sizeof piece);
	outbuf_flush(&b);
	ck_assert(ferror(f) || fflush(f) != 0);
	fclose(f);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("outbuf");
	TCase *tc = tcase_create("bytes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, numbers_are_printf_bytes);
	tcase_add_test(tc, every_length_of_number);
	tcase_add_test(tc, kept_digits_are_printf_bytes);
	tcase_add_test(tc, escapes_across_every_flush_point);
	tcase_add_test(tc, pieces_larger_than_the_buffer);
	tcase_add_test(tc, plain_check_matches_a_byte_test);
	tcase_add_test(tc, a_file_gets_the_stream_and_the_buffer_in_order);
	tcase_add_test(tc, a_failed_write_leaves_the_error_on_the_stream);
	suite_add_tcase(suite, tc);
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
