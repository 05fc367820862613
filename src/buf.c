/*
 * buf.c: a growable byte buffer with a hard cap (see buf.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Smallest allocation, so short strings do not realloc byte by byte. */
#define BUF_MIN_ALLOC	64

/* Out of memory is fatal everywhere in stitch; say so before dying. */
static void
buf_oom(size_t n)
{
	fprintf(stderr, "stitch: out of memory (%zu bytes)\n", n);
	abort();
}

void
buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	/* cap + 1 (the NUL) must not overflow. */
	if (cap == 0)
		cap = 1;
	else if (cap == SIZE_MAX)
		cap = SIZE_MAX - 1;
	b->cap = cap;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for len + extra bytes and the NUL. The caller checked the cap,
 * so len + extra <= cap < SIZE_MAX. Doubling keeps appends amortized
 * O(1). */
static void
buf_grow(struct buf *b, size_t extra)
{
	size_t	need = b->len + extra + 1, n;
	char	*p;

	if (need <= b->alloc)
		return;
	n = b->alloc < BUF_MIN_ALLOC ? BUF_MIN_ALLOC : b->alloc;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	if (n > b->cap + 1)
		n = b->cap + 1;
	if ((p = realloc(b->data, n)) == NULL)
		buf_oom(n);
	b->data = p;
	b->alloc = n;
}

int
buf_add(struct buf *b, const void *p, size_t len)
{
	if (len > b->cap - b->len)
		return -1;
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	 small[256];

	/* Measure first (into a stack buffer that usually holds it all), so
	 * a refused append leaves the buffer exactly as it was. */
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (size_t)n > b->cap - b->len)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	buf_grow(b, (size_t)n);
	if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n) {
		b->data[b->len] = '\0';
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

const char *
buf_ptr(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

size_t
buf_len(const struct buf *b)
{
	return b->len;
}

size_t
buf_cap(const struct buf *b)
{
	return b->cap;
}

char *
buf_take(struct buf *b)
{
	char	*p = b->data;

	if (p == NULL && (p = strdup("")) == NULL)
		buf_oom(1);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}
