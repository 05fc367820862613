/*
 * fline.c: shared, reference-counted outgoing lines (see fline.h).
 */
#include "config.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fline.h"

#define FLINE_MAX	65536

struct fline *
fline_new(const char *s, size_t len)
{
	struct fline	*f;

	if (len > FLINE_MAX)
		len = FLINE_MAX;
	/* One block: the struct, lws headroom, the bytes, CR LF NUL. */
	f = malloc(sizeof *f + LWS_PRE + len + 3);
	if (f == NULL) {
		fputs("fake-twitch: out of memory (line)\n", stderr);
		abort();
	}
	f->refs = 1;
	f->len = len;
	f->ws_op = 0;
	f->data = (char *)(f + 1) + LWS_PRE;
	memcpy(f->data, s, len);
	memcpy(f->data + len, "\r\n", 3);
	return f;
}

struct fline *
fline_vprintf(const char *fmt, va_list ap)
{
	char	 buf[4096], *big;
	va_list	 ap2;
	int	 n;
	struct fline *f;

	va_copy(ap2, ap);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof buf) {
		va_end(ap2);
		return fline_new(buf, (size_t)n);
	}
	if (n > FLINE_MAX)
		n = FLINE_MAX;
	if ((big = malloc((size_t)n + 1)) == NULL) {
		fputs("fake-twitch: out of memory (line)\n", stderr);
		abort();
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	f = fline_new(big, (size_t)n);
	free(big);
	return f;
}

struct fline *
fline_printf(const char *fmt, ...)
{
	va_list		 ap;
	struct fline	*f;

	va_start(ap, fmt);
	f = fline_vprintf(fmt, ap);
	va_end(ap);
	return f;
}

void
fline_ref(struct fline *f)
{
	f->refs++;
}

void
fline_unref(struct fline *f)
{
	if (f != NULL && --f->refs == 0)
		free(f);
}
