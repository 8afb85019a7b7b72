/* radix.c — sorting records by a 64-bit key, for the walks that need a
 * lot of them in order at once (trim_dryrun.c: every free chunk by
 * address, a run's fast chunks by consolidation order, the pages it
 * writes).
 *
 * Owns: radix_sort, a stable sort of records of 8, 16 or 24 bytes whose
 * first word is the key: an insertion sort up to 32 records, a merge
 * sort up to MERGE_MOST, above that a least-significant-digit radix
 * sort, eight bits
 * per pass from the lowest bit that differs between keys to the highest
 * (a 70 MB heap's chunk addresses differ in bits 4..26: three passes). qsort with a
 * comparison call per step spent a tenth of run --quiet on a perl
 * recording sorting the summary's 380k fast chunks.
 * Must not: allocate (the caller gives the scratch), or look at
 * anything but the keys. */
#include "heap_internal.h"

#include <string.h>

/* Short runs: an insertion sort (stable too). */
static void insertion(unsigned char *items, size_t n, size_t item)
{
	unsigned char held[24];
	for (size_t i = 1; i < n; i++) {
		uint64_t key;
		memcpy(&key, items + i * item, 8);
		size_t j = i;
		for (; j > 0; j--) {
			uint64_t prev;
			memcpy(&prev, items + (j - 1) * item, 8);
			if (prev <= key)
				break;
		}
		if (j == i)
			continue;
		memcpy(held, items + i * item, item);
		memmove(items + (j + 1) * item, items + j * item, (i - j) * item);
		memcpy(items + j * item, held, item);
	}
}

/* One pass on bits [shift, shift + 8) of the key, from src to dst. The item
 * size is a constant in each caller, so the copies are inlined. */
static inline void pass(const unsigned char *src, unsigned char *dst, size_t n, size_t item, unsigned shift,
                        size_t count[256])
{
	size_t at[256], sum = 0;
	for (unsigned b = 0; b < 256; b++) {
		at[b] = sum;
		sum += count[b];
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t key;
		memcpy(&key, src + i * item, 8);
		memcpy(dst + at[(key >> shift) & 255]++ * item, src + i * item, item);
	}
}

/* Runs of MERGE_RUN items sorted in place, then merged by pairs between
 * items and scratch (stable: of equal keys, the left run's first); the
 * array that holds the result. */
enum { MERGE_RUN = 16, MERGE_MOST = 512 };

static inline void *merge(unsigned char *items, unsigned char *scratch, size_t n, size_t item)
{
	for (size_t lo = 0; lo < n; lo += MERGE_RUN)
		insertion(items + lo * item, n - lo < MERGE_RUN ? n - lo : MERGE_RUN, item);
	unsigned char *src = items, *dst = scratch;
	for (size_t width = MERGE_RUN; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = n - lo < width ? n : lo + width;
			size_t hi = n - lo < 2 * width ? n : lo + 2 * width;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				uint64_t ki, kj;
				memcpy(&ki, src + i * item, 8);
				memcpy(&kj, src + j * item, 8);
				if (kj < ki)
					memcpy(dst + k++ * item, src + j++ * item, item);
				else
					memcpy(dst + k++ * item, src + i++ * item, item);
			}
			if (i < mid)
				memcpy(dst + k * item, src + i * item, (mid - i) * item);
			else if (j < hi)
				memcpy(dst + k * item, src + j * item, (hi - j) * item);
		}
		unsigned char *t = src;
		src = dst;
		dst = t;
	}
	return src;
}

void *radix_sort(void *items, void *scratch, size_t n, size_t item)
{
	if (n < 2)
		return items;
	if (n <= 32) {
		insertion(items, n, item);
		return items;
	}
	/* Up to a few hundred items a merge sort: a radix pass costs its
	 * histogram's 256 entries however few the items (the summary's
	 * dry run sorts the fast chunks of each of a perl recording's 7k
	 * runs, 55 on average: 16k instructions a sort, 4 % of run
	 * --quiet). */
	if (n < MERGE_MOST) {
		switch (item) {
		case 8: return merge(items, scratch, n, 8);
		case 16: return merge(items, scratch, n, 16);
		case 24: return merge(items, scratch, n, 24);
		default: return merge(items, scratch, n, item);
		}
	}
	/* the bits that differ between keys: the passes start at the lowest
	 * (addresses of chunks are 16 apart at least, sizes multiples of 16) */
	const unsigned char *p = items;
	uint64_t first, differ = 0;
	memcpy(&first, p, 8);
	for (size_t i = 1; i < n; i++) {
		uint64_t key;
		memcpy(&key, p + i * item, 8);
		differ |= key ^ first;
	}
	if (differ == 0)
		return items;
	unsigned low = (unsigned)__builtin_ctzll(differ), high = 63 - (unsigned)__builtin_clzll(differ);
	unsigned passes = (high - low) / 8 + 1;
	/* every pass's histogram in one read of the keys */
	size_t count[8][256];
	memset(count, 0, passes * sizeof count[0]);
	for (size_t i = 0; i < n; i++) {
		uint64_t key;
		memcpy(&key, p + i * item, 8);
		key >>= low;
		for (unsigned b = 0; b < passes; b++)
			count[b][(key >> (8 * b)) & 255]++;
	}
	unsigned char *src = items, *dst = scratch;
	for (unsigned b = 0; b < passes; b++) {
		unsigned shift = low + 8 * b;
		if (count[b][(first >> shift) & 255] == n)
			continue; /* the same byte in every key */
		switch (item) {
		case 8: pass(src, dst, n, 8, shift, count[b]); break;
		case 16: pass(src, dst, n, 16, shift, count[b]); break;
		case 24: pass(src, dst, n, 24, shift, count[b]); break;
		default: pass(src, dst, n, item, shift, count[b]); break;
		}
		unsigned char *t = src;
		src = dst;
		dst = t;
	}
	return src; /* (no copy back after an odd number of passes) */
}
