/* guard-malloc.c — a test allocator that is not glibc's, linked into
 * foreign-malloc-target as jemalloc or tcmalloc would be: each block is a
 * mapping of its own whose first page is PROT_NONE, and the pointer is
 * the start of the page after it. Nothing before a pointer can be read:
 * a recorder that looks for glibc's size word there (8 bytes before the
 * pointer) kills the program. Single-threaded (its one user is). */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PAGE = 4096, MAX_BLOCKS = 4096 };

static struct block {
	char *ptr;
	size_t size;
} blocks[MAX_BLOCKS];

static size_t span_of(size_t size)
{
	return PAGE + ((size + PAGE - 1) / PAGE) * PAGE;
}

static void *guarded(size_t size)
{
	if (size > ((size_t)1 << 40))
		return NULL;
	size_t span = span_of(size ? size : 1);
	char *base = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base, PAGE, PROT_NONE) != 0) {
		munmap(base, span);
		return NULL;
	}
	for (size_t i = 0; i < MAX_BLOCKS; i++)
		if (blocks[i].ptr == NULL) {
			blocks[i] = (struct block){base + PAGE, size};
			return base + PAGE;
		}
	munmap(base, span);
	return NULL;
}

static struct block *find(void *p)
{
	for (size_t i = 0; i < MAX_BLOCKS; i++)
		if (blocks[i].ptr == p)
			return &blocks[i];
	return NULL;
}

void *malloc(size_t size)
{
	return guarded(size);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return guarded(n * size); /* fresh mappings are zero */
}

void free(void *p)
{
	struct block *b = p ? find(p) : NULL;
	if (b == NULL)
		return;
	munmap(b->ptr - PAGE, span_of(b->size ? b->size : 1));
	b->ptr = NULL;
}

void *realloc(void *p, size_t size)
{
	if (p == NULL)
		return guarded(size);
	struct block *b = find(p);
	void *q = guarded(size);
	if (q && b)
		memcpy(q, p, b->size < size ? b->size : size);
	if (q)
		free(p);
	return q;
}

/* Page-aligned already: any alignment up to a page is kept. */
void *memalign(size_t align, size_t size)
{
	return align <= PAGE ? guarded(size) : NULL;
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p = memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return guarded(size);
}

void *pvalloc(size_t size)
{
	return guarded(size);
}
