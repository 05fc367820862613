/*
 * fuzz-linebuf.c: feed arbitrary bytes split at arbitrary points and check
 * that the callback never sees an empty line, a CR or LF, a line over the
 * cap or one without its NUL, and that the lines and the overlong count
 * are exactly those of a plain reference split, however the stream is cut.
 *
 * Input: byte 0 picks the cap (1-64, or the default), bytes 1-2 seed the
 * chunk sizes, byte 3 the largest chunk; the rest is the stream.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-linebuf: %s failed at line %d\n",	\
		    #c, __LINE__);					\
		abort();						\
	}								\
} while (0)

/* Lines seen, joined with a NUL after each, to compare sequences. */
struct seen {
	char	*out;
	size_t	 len;
	size_t	 max;
};

static void
seen_cb(char *line, size_t len, void *arg)
{
	struct seen	*s = arg;

	CHECK(len > 0 && len <= s->max && line[len] == '\0');
	CHECK(memchr(line, '\r', len) == NULL && memchr(line, '\n', len) ==
	    NULL);
	memcpy(s->out + s->len, line, len + 1);
	s->len += len + 1;
	line[0] ^= 1;		/* the line is ours to write */
}

/* The rule stated plainly: split at every CR or LF, drop empty lines and
 * lines over max; the unterminated tail is not a line. */
static size_t
reference(const char *p, size_t len, size_t max, char *out, size_t *overlong)
{
	size_t	i, start = 0, o = 0;

	*overlong = 0;
	for (i = 0; i < len; i++) {
		if (p[i] != '\r' && p[i] != '\n')
			continue;
		if (i - start > max)
			(*overlong)++;
		else if (i > start) {
			memcpy(out + o, p + start, i - start);
			o += i - start;
			out[o++] = '\0';
		}
		start = i + 1;
	}
	if (len - start > max)
		(*overlong)++;	/* counted as soon as it passes the cap */
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linebuf	*lb, *whole;
	struct seen	 s, w;
	const char	*stream;
	char		*ref, *chunk;
	size_t		 len, max, pos, n, reflen, overlong, most;
	uint32_t	 seed;

	if (size < 4)
		return 0;
	max = data[0] == 0 ? LINEBUF_DEFAULT_MAX : 1 + data[0] % 64;
	seed = (uint32_t)data[1] << 8 | data[2];
	most = 1 + data[3];
	stream = (const char *)data + 4;
	len = size - 4;

	ref = malloc(len + 1);
	s.out = malloc(len + 1);
	w.out = malloc(len + 1);
	CHECK(ref != NULL && s.out != NULL && w.out != NULL);
	s.len = w.len = 0;
	s.max = w.max = max;
	reflen = reference(stream, len, max, ref, &overlong);

	/* Cut into chunks, each in its own exact-size allocation so any read
	 * or write past a frame is caught; alternate zero copy and copying
	 * feeds. */
	lb = linebuf_new(max);
	for (pos = 0; pos < len; pos += n) {
		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % most;
		if (n > len - pos)
			n = len - pos;
		chunk = malloc(n);
		CHECK(chunk != NULL);
		memcpy(chunk, stream + pos, n);
		if (seed & 0x100)
			linebuf_feed(lb, chunk, n, seen_cb, &s);
		else
			linebuf_feed_const(lb, chunk, n, seen_cb, &s);
		free(chunk);
		CHECK(linebuf_pending(lb) <= max);
	}
	CHECK(s.len == reflen && memcmp(s.out, ref, reflen) == 0);
	CHECK(linebuf_stats(lb)->overlong == overlong);
	CHECK(linebuf_stats(lb)->bytes == len);

	/* All at once gives the same. */
	whole = linebuf_new(max);
	chunk = malloc(len + 1);
	CHECK(chunk != NULL);
	memcpy(chunk, stream, len);
	linebuf_feed(whole, chunk, len, seen_cb, &w);
	free(chunk);
	CHECK(w.len == reflen && memcmp(w.out, ref, reflen) == 0);
	CHECK(linebuf_stats(whole)->overlong == overlong);
	CHECK(linebuf_stats(whole)->lines == linebuf_stats(lb)->lines);

	linebuf_free(lb);
	linebuf_free(whole);
	free(ref);
	free(s.out);
	free(w.out);
	return 0;
}
