/*
 * linebuf.c: frames in, lines out, with a hard cap (see linebuf.h).
 *
 * The hot path is one memchr for LF and one for CR over each line; a line
 * that lies whole in the frame is handed out in place, only a line split
 * over frames is copied into buf.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

struct linebuf {
	char			*buf;		/* max + 1: a partial line */
	size_t			 len;		/* bytes of it held */
	size_t			 max;
	int			 dropping;	/* inside an overlong line */
	struct linebuf_stats	 stats;
};

struct linebuf *
linebuf_new(size_t max)
{
	struct linebuf	*lb;

	if (max == 0)
		max = LINEBUF_DEFAULT_MAX;
	else if (max == SIZE_MAX)
		max = SIZE_MAX - 1;	/* room for the NUL */
	if ((lb = calloc(1, sizeof *lb)) == NULL ||
	    (lb->buf = malloc(max + 1)) == NULL) {
		fprintf(stderr, "stitch: out of memory (linebuf of %zu)\n",
		    max);
		abort();
	}
	lb->max = max;
	return lb;
}

void
linebuf_free(struct linebuf *lb)
{
	if (lb == NULL)
		return;
	free(lb->buf);
	free(lb);
}

void
linebuf_reset(struct linebuf *lb)
{
	lb->len = 0;
	lb->dropping = 0;
}

size_t
linebuf_pending(const struct linebuf *lb)
{
	return lb->len;
}

size_t
linebuf_max(const struct linebuf *lb)
{
	return lb->max;
}

const struct linebuf_stats *
linebuf_stats(const struct linebuf *lb)
{
	return &lb->stats;
}

/* Hold the start of a line whose end has not arrived; past the cap the
 * line is counted as overlong once and its bytes dropped up to its end. */
static void
linebuf_keep(struct linebuf *lb, const char *p, size_t n)
{
	if (lb->dropping)
		return;
	if (n > lb->max - lb->len) {
		lb->stats.overlong++;
		lb->dropping = 1;
		lb->len = 0;
		return;
	}
	memcpy(lb->buf + lb->len, p, n);
	lb->len += n;
}

/* The last n bytes of a held line arrived: complete it in buf. */
static void
linebuf_join(struct linebuf *lb, const char *p, size_t n, linebuf_cb *cb,
    void *arg)
{
	size_t	total;

	if (n > lb->max - lb->len) {
		lb->stats.overlong++;
		lb->len = 0;
		return;
	}
	memcpy(lb->buf + lb->len, p, n);
	total = lb->len + n;
	lb->buf[total] = '\0';
	lb->len = 0;
	lb->stats.lines++;
	cb(lb->buf, total, arg);
}

/* wdata is data when it may be written (zero copy), else NULL. */
static void
linebuf_scan(struct linebuf *lb, const char *data, char *wdata, size_t len,
    linebuf_cb *cb, void *arg)
{
	const char	*p = data, *end = data + len, *lf, *t;
	size_t		 n;

	lb->stats.bytes += len;
	while (p < end) {
		lf = memchr(p, '\n', (size_t)(end - p));
		if ((t = memchr(p, '\r', (size_t)((lf ? lf : end) - p))) == NULL)
			t = lf;
		if (t == NULL) {
			linebuf_keep(lb, p, (size_t)(end - p));
			return;
		}
		n = (size_t)(t - p);
		if (lb->dropping)
			lb->dropping = 0;	/* the overlong line ends here */
		else if (lb->len > 0)
			linebuf_join(lb, p, n, cb, arg);
		else if (n > lb->max)
			lb->stats.overlong++;
		else if (n > 0 && wdata != NULL) {
			wdata[t - data] = '\0';
			lb->stats.lines++;
			cb(wdata + (p - data), n, arg);
		} else if (n > 0) {
			memcpy(lb->buf, p, n);
			lb->buf[n] = '\0';
			lb->stats.lines++;
			cb(lb->buf, n, arg);
		}
		p = t + 1;
	}
}

void
linebuf_feed(struct linebuf *lb, char *data, size_t len, linebuf_cb *cb,
    void *arg)
{
	linebuf_scan(lb, data, data, len, cb, arg);
}

void
linebuf_feed_const(struct linebuf *lb, const char *data, size_t len,
    linebuf_cb *cb, void *arg)
{
	linebuf_scan(lb, data, NULL, len, cb, arg);
}
