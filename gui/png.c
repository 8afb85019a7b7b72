/* png.c — minimal PNG encoder over zlib (see png.h). */
#include "png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Appends a chunk (length, type, data, CRC of type+data) at *pos. */
static void put_chunk(uint8_t *buf, size_t *pos, const char type[4], const uint8_t *data, size_t len)
{
	put32(buf + *pos, (uint32_t)len);
	memcpy(buf + *pos + 4, type, 4);
	if (len)
		memcpy(buf + *pos + 8, data, len);
	uLong crc = crc32(0, buf + *pos + 4, (uInt)(len + 4));
	put32(buf + *pos + 8 + len, (uint32_t)crc);
	*pos += 12 + len;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
	int p = (int)a + (int)b - (int)c;
	int pa = abs(p - (int)a), pb = abs(p - (int)b), pc = abs(p - (int)c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Filters one row with each PNG filter type and keeps the one with the
 * smallest sum of absolute values (the usual heuristic, RFC 2083 §9.6). */
static void filter_row(const uint8_t *row, const uint8_t *prev, size_t n, uint8_t *out, uint8_t *trial)
{
	unsigned long best_sum = ~0ul;
	for (uint8_t type = 0; type <= 4; type++) {
		unsigned long sum = 0;
		trial[0] = type;
		for (size_t i = 0; i < n; i++) {
			uint8_t a = i >= 3 ? row[i - 3] : 0, b = prev ? prev[i] : 0, c = (prev && i >= 3) ? prev[i - 3] : 0;
			uint8_t x = row[i], f;
			switch (type) {
			case 0: f = x; break;
			case 1: f = (uint8_t)(x - a); break;
			case 2: f = (uint8_t)(x - b); break;
			case 3: f = (uint8_t)(x - (uint8_t)(((unsigned)a + b) / 2)); break;
			default: f = (uint8_t)(x - paeth(a, b, c)); break;
			}
			trial[1 + i] = f;
			sum += f < 128 ? f : 256u - f;
		}
		if (sum < best_sum) {
			best_sum = sum;
			memcpy(out, trial, n + 1);
		}
	}
}

bool gui_png_encode(const uint8_t *rgb, int width, int height, size_t stride, uint8_t **out, size_t *out_size)
{
	if (width <= 0 || height <= 0)
		return false;
	size_t row = (size_t)width * 3;
	size_t raw_size = (row + 1) * (size_t)height;
	uint8_t *raw = malloc(raw_size);
	uint8_t *trial = malloc(row + 1);
	uLongf z_size = compressBound((uLong)raw_size);
	uint8_t *z = malloc(z_size);
	uint8_t *png = NULL;
	bool ok = false;
	if (!raw || !trial || !z)
		goto done;
	/* Two ways to lay out the rows: unfiltered (screenshots are mostly
	 * flat colour, which deflate finds as repeats by itself) or filtered
	 * adaptively (better on gradients and anti-aliasing). Deflate at the
	 * highest level (docs/screenshots has a budget) is nearly all of a
	 * screenshot's time, so the whole image is encoded once, the way
	 * that made the smaller stream on a sample: every SAMPLE_EVERYth band
	 * of BAND rows (whole bands: unfiltered rows compress by repeating
	 * the row above, which rows far apart would not show). */
	enum { BAND = 16, SAMPLE_EVERY = 8 };
#define IN_SAMPLE(y) ((y) / BAND % SAMPLE_EVERY == 0)
	size_t sample_rows = 0;
	for (int y = 0; y < height; y++)
		sample_rows += IN_SAMPLE(y);
	size_t sample_size = sample_rows * (row + 1);
	uLongf s_cap = compressBound((uLong)sample_size);
	uint8_t *sample = malloc(sample_size), *zs = malloc(s_cap);
	bool filtered = false;
	if (sample && zs) {
		uLongf plain_size = s_cap, filtered_size = s_cap;
		uint8_t *r = sample;
		for (int y = 0; y < height; y++) {
			if (!IN_SAMPLE(y))
				continue;
			r[0] = 0;
			memcpy(r + 1, rgb + (size_t)y * stride, row);
			r += row + 1;
		}
		bool ok_plain = compress2(zs, &plain_size, sample, (uLong)sample_size, 9) == Z_OK;
		r = sample;
		for (int y = 0; y < height; y++) {
			if (!IN_SAMPLE(y))
				continue;
			filter_row(rgb + (size_t)y * stride, y ? rgb + (size_t)(y - 1) * stride : NULL, row, r, trial);
			r += row + 1;
		}
		bool ok_filtered = compress2(zs, &filtered_size, sample, (uLong)sample_size, 9) == Z_OK;
		filtered = ok_plain && ok_filtered && filtered_size < plain_size;
	}
#undef IN_SAMPLE
	free(sample);
	free(zs);
	for (int y = 0; y < height; y++) {
		uint8_t *r = raw + (size_t)y * (row + 1);
		if (filtered) {
			filter_row(rgb + (size_t)y * stride, y ? rgb + (size_t)(y - 1) * stride : NULL, row, r, trial);
		} else {
			r[0] = 0;
			memcpy(r + 1, rgb + (size_t)y * stride, row);
		}
	}
	if (compress2(z, &z_size, raw, (uLong)raw_size, 9) != Z_OK)
		goto done;
	png = malloc(8 + 25 + (12 + sizeof GUI_PNG_MARK - 1) + 12 + z_size + 12);
	if (!png)
		goto done;
	static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t pos = 0;
	memcpy(png, signature, 8);
	pos = 8;
	uint8_t ihdr[13];
	put32(ihdr, (uint32_t)width);
	put32(ihdr + 4, (uint32_t)height);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* colour type: truecolour */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	put_chunk(png, &pos, "IHDR", ihdr, sizeof ihdr);
	put_chunk(png, &pos, "tEXt", (const uint8_t *)GUI_PNG_MARK, sizeof GUI_PNG_MARK - 1);
	put_chunk(png, &pos, "IDAT", z, z_size);
	put_chunk(png, &pos, "IEND", NULL, 0);
	*out = png;
	*out_size = pos;
	png = NULL;
	ok = true;
done:
	free(raw);
	free(trial);
	free(z);
	free(png);
	return ok;
}
