/*
 * fuzz-wsproto.c: the WebSocket decoders on arbitrary bytes. The first
 * byte picks where the rest is split in two; everything after it is fed
 * to wsproto_rx_feed() whole and split, and to wsproto_reply_feed() whole
 * and split, then the frames after a good answer to a decoder as the
 * network code would. Neither may read or write outside what it was
 * given, and a split must change nothing: the same events (data pieces
 * merged), the same result, the same sentence. Every sentence must be
 * free of control bytes; every event must keep the RFC's limits.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsproto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-wsproto: %s failed at line %d\n",	\
		    #c, __LINE__);					\
		abort();						\
	}								\
} while (0)

#define KEY		"dGhlIHNhbXBsZSBub25jZQ=="
#define MAX_MESSAGE	4096

/* The events seen, as a hash that does not depend on where data pieces
 * were cut: data bytes go in as a stream, fin and the other events as
 * markers. */
struct fuzz_rec {
	uint64_t	 h;
	const char	*lo, *hi;	/* the piece being fed */
	size_t		 message;	/* bytes of the current message */
	int		 in_data;
};

static void
fuzz_hash(struct fuzz_rec *r, const void *p, size_t len)
{
	const unsigned char	*u = p;
	size_t			 i;

	for (i = 0; i < len; i++)
		r->h = (r->h ^ u[i]) * 0x100000001b3ULL;
}

static void
fuzz_mark(struct fuzz_rec *r, char m, size_t len)
{
	fuzz_hash(r, &m, 1);
	fuzz_hash(r, &len, sizeof len);
}

static int
fuzz_on_data(void *arg, const char *data, size_t len, int fin)
{
	struct fuzz_rec	*r = arg;

	if (len > 0)
		CHECK(data >= r->lo && data + len <= r->hi);
	CHECK(len > 0 || fin);
	r->message += len;
	CHECK(r->message <= MAX_MESSAGE);
	if (!r->in_data)
		fuzz_mark(r, 'D', 0);
	fuzz_hash(r, data, len);
	r->in_data = !fin;
	if (fin) {
		fuzz_mark(r, 'F', r->message);
		r->message = 0;
	}
	return 0;
}

static int
fuzz_on_ping(void *arg, const char *data, size_t len)
{
	struct fuzz_rec	*r = arg;

	CHECK(len <= 125);
	r->in_data = 0;
	fuzz_mark(r, 'P', len);
	fuzz_hash(r, data, len);
	return 0;
}

static int
fuzz_on_close(void *arg, unsigned code, const char *reason, size_t len)
{
	struct fuzz_rec	*r = arg;

	CHECK(len <= 123 && code <= 0xffff);
	r->in_data = 0;
	fuzz_mark(r, 'C', code);
	fuzz_hash(r, reason, len);
	return 0;
}

static const struct wsproto_rx_events fuzz_events = {
	fuzz_on_data, fuzz_on_ping, fuzz_on_close
};

static void
fuzz_clean(const char *why)
{
	const unsigned char	*u = (const unsigned char *)why;

	for (; *u != '\0'; u++)
		CHECK(*u >= 0x20 && *u != 0x7f);
}

/* Feed [p, p + len) in the pieces cut at the offsets in cut[]. Each piece
 * is copied to its own buffer so ASan sees a read past it. */
static int
fuzz_rx(const uint8_t *p, size_t len, const size_t *cut, int ncut,
    struct fuzz_rec *r, char *why, size_t whysz)
{
	struct wsproto_rx	 rx;
	char			*piece;
	size_t			 from = 0, to;
	int			 i, ret = 0;

	wsproto_rx_init(&rx, MAX_MESSAGE);
	memset(r, 0, sizeof *r);
	why[0] = '\0';
	for (i = 0; i <= ncut && ret == 0; i++) {
		to = i < ncut ? cut[i] : len;
		if ((piece = malloc(to - from + 1)) == NULL)
			abort();
		memcpy(piece, p + from, to - from);
		r->lo = piece;
		r->hi = piece + (to - from);
		ret = wsproto_rx_feed(&rx, piece, to - from, &fuzz_events, r,
		    why, whysz);
		free(piece);
		from = to;
	}
	CHECK(ret == 0 || ret == -1);
	if (ret == -1) {
		CHECK(why[0] != '\0');
		fuzz_clean(why);
	}
	return ret;
}

static void
fuzz_frames(const uint8_t *p, size_t len, size_t split)
{
	struct fuzz_rec	 whole, cut;
	char		 why1[256], why2[256];
	size_t		 cuts[2] = { split, split };
	int		 r1, r2;

	r1 = fuzz_rx(p, len, NULL, 0, &whole, why1, sizeof why1);
	r2 = fuzz_rx(p, len, cuts, 1, &cut, why2, sizeof why2);
	CHECK(r1 == r2 && strcmp(why1, why2) == 0);
	CHECK(whole.h == cut.h);
	/* An empty piece in the middle changes nothing either. */
	r2 = fuzz_rx(p, len, cuts, 2, &cut, why2, sizeof why2);
	CHECK(r1 == r2 && whole.h == cut.h);
}

/* Returns how much of [p, p + len) the answer took, or len when it was
 * not a good one. */
static size_t
fuzz_reply(const uint8_t *p, size_t len, size_t split)
{
	struct wsproto_reply	 rp;
	char			 why1[256], why2[256];
	size_t			 used1, used2;
	int			 r1, r2;

	wsproto_reply_init(&rp, KEY);
	why1[0] = '\0';
	r1 = wsproto_reply_feed(&rp, (const char *)p, len, &used1, why1,
	    sizeof why1);
	CHECK(r1 == WSPROTO_MORE || r1 == WSPROTO_DONE || r1 == WSPROTO_ERROR);
	CHECK(used1 <= len && rp.n <= WSPROTO_REPLY_MAX);
	if (r1 == WSPROTO_ERROR)
		fuzz_clean(why1);
	if (r1 == WSPROTO_MORE)
		CHECK(len < WSPROTO_REPLY_MAX);

	wsproto_reply_init(&rp, KEY);
	why2[0] = '\0';
	used2 = 0;
	r2 = wsproto_reply_feed(&rp, (const char *)p, split, &used2, why2,
	    sizeof why2);
	if (r2 == WSPROTO_MORE) {
		r2 = wsproto_reply_feed(&rp, (const char *)p + split,
		    len - split, &used2, why2, sizeof why2);
		used2 += split;
	}
	CHECK(r1 == r2);
	if (r1 == WSPROTO_DONE) {
		CHECK(used1 == used2);
		CHECK(used1 >= 4 && memcmp(p + used1 - 4, "\r\n\r\n", 4) == 0);
		return used1;
	}
	if (r1 == WSPROTO_ERROR)
		CHECK(strcmp(why1, why2) == 0);
	return len;
}

/* A frame out of the input, unmasked again, is the input. */
static void
fuzz_frame_out(const uint8_t *p, size_t len)
{
	static const unsigned char	 mask[4] = { 0xa5, 0x00, 0xff, 0x3c };
	unsigned char			*out;
	size_t				 n, h, i;

	if ((out = malloc(len + WSPROTO_HEADER_MAX)) == NULL)
		abort();
	n = wsproto_frame(out, WSPROTO_TEXT, p, len, mask);
	h = len <= 125 ? 6 : len <= 0xffff ? 8 : 14;
	CHECK(n == len + h && out[0] == 0x81 && (out[1] & 0x80));
	for (i = 0; i < len; i++)
		CHECK((out[h + i] ^ mask[i & 3]) == p[i]);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	split, used;

	if (size == 0)
		return 0;
	split = (size_t)data[0] * (size - 1) / 255;
	data++;
	size--;

	fuzz_frames(data, size, split);
	used = fuzz_reply(data, size, split);
	if (used < size)
		fuzz_frames(data + used, size - used,
		    split > used ? split - used : 0);
	fuzz_frame_out(data, size);
	return 0;
}
