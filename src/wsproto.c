/*
 * wsproto.c: the client side of RFC 6455 (see wsproto.h).
 *
 * Frames are decoded as a small state machine over the fed bytes: header
 * bytes are gathered in rx->hdr, a text or binary payload is handed out in
 * place as it arrives (server frames are not masked, so there is nothing
 * to copy), and only a control frame's payload, at most 125 bytes, is
 * gathered so ping and close come out whole. Every check looks at bytes
 * already seen, never at where a feed ended, so any split of the stream
 * gives the same events.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wsproto.h"

/* RFC 6455 1.3: appended to the key before hashing it into the accept. */
#define WSPROTO_GUID	"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* The longest part of a server's status reason put into a message. */
#define WSPROTO_REASON_MAX	60

/* ------------------------------------------------------------------ */
/* SHA-1 (FIPS 180-4) and base64 (RFC 4648), for the handshake only.    */

struct wsproto_sha1_ctx {
	uint32_t	h[5];
	unsigned char	block[64];
	size_t		n;		/* bytes in block */
	uint64_t	total;		/* bytes hashed, for the padding */
};

static uint32_t
wsproto_rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
wsproto_sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t	w[80], a, b, c, d, e, f, k, t;
	int		i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = wsproto_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16],
		    1);
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = wsproto_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = wsproto_rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

static void
wsproto_sha1_init(struct wsproto_sha1_ctx *ctx)
{
	static const uint32_t	h0[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memcpy(ctx->h, h0, sizeof ctx->h);
	ctx->n = 0;
	ctx->total = 0;
}

static void
wsproto_sha1_update(struct wsproto_sha1_ctx *ctx, const void *data,
    size_t len)
{
	const unsigned char	*p = data;
	size_t			 n;

	ctx->total += len;
	while (len > 0) {
		/* Whole blocks straight from data: no copy for long input. */
		if (ctx->n == 0 && len >= 64) {
			wsproto_sha1_block(ctx->h, p);
			p += 64;
			len -= 64;
			continue;
		}
		n = 64 - ctx->n < len ? 64 - ctx->n : len;
		memcpy(ctx->block + ctx->n, p, n);
		ctx->n += n;
		p += n;
		len -= n;
		if (ctx->n == 64) {
			wsproto_sha1_block(ctx->h, ctx->block);
			ctx->n = 0;
		}
	}
}

static void
wsproto_sha1_final(struct wsproto_sha1_ctx *ctx, unsigned char out[20])
{
	uint64_t	bits = ctx->total * 8;
	int		i;

	ctx->block[ctx->n++] = 0x80;
	if (ctx->n > 56) {
		memset(ctx->block + ctx->n, 0, 64 - ctx->n);
		wsproto_sha1_block(ctx->h, ctx->block);
		ctx->n = 0;
	}
	memset(ctx->block + ctx->n, 0, 56 - ctx->n);
	for (i = 0; i < 8; i++)
		ctx->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	wsproto_sha1_block(ctx->h, ctx->block);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(ctx->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
wsproto_sha1(const void *data, size_t len, unsigned char out[20])
{
	struct wsproto_sha1_ctx	ctx;

	wsproto_sha1_init(&ctx);
	wsproto_sha1_update(&ctx, data, len);
	wsproto_sha1_final(&ctx, out);
}

size_t
wsproto_base64(const unsigned char *in, size_t len, char *out)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i, n = 0;
	uint32_t		 v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[n++] = abc[v >> 18];
		out[n++] = abc[(v >> 12) & 0x3f];
		out[n++] = abc[(v >> 6) & 0x3f];
		out[n++] = abc[v & 0x3f];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[n++] = abc[v >> 18];
		out[n++] = abc[(v >> 12) & 0x3f];
		out[n++] = i + 1 < len ? abc[(v >> 6) & 0x3f] : '=';
		out[n++] = '=';
	}
	out[n] = '\0';
	return n;
}

void
wsproto_key(const unsigned char nonce[16], char key[WSPROTO_KEY_LEN + 1])
{
	wsproto_base64(nonce, 16, key);
}

void
wsproto_accept(const char *key, char accept[WSPROTO_ACCEPT_LEN + 1])
{
	struct wsproto_sha1_ctx	ctx;
	unsigned char		md[20];

	wsproto_sha1_init(&ctx);
	wsproto_sha1_update(&ctx, key, strlen(key));
	wsproto_sha1_update(&ctx, WSPROTO_GUID, sizeof WSPROTO_GUID - 1);
	wsproto_sha1_final(&ctx, md);
	wsproto_base64(md, sizeof md, accept);
}

/* ------------------------------------------------------------------ */
/* The opening handshake.                                               */

__attribute__((format(printf, 3, 4)))
static void
wsproto_why(char *why, size_t whysz, const char *fmt, ...)
{
	va_list	ap;

	if (why == NULL || whysz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
}

/* A word that goes into the request as is: a space, CR or LF in it would
 * cut the request line or a header in two. */
static int
wsproto_word_ok(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	for (; *u != '\0'; u++)
		if (*u <= ' ' || *u == 0x7f)
			return 0;
	return 1;
}

size_t
wsproto_request(char *buf, size_t sz, const char *host, const char *path,
    const char *key)
{
	int	n;

	if (sz > 0)
		buf[0] = '\0';
	if (*path == '\0')
		path = "/";
	if (!wsproto_word_ok(host) || !wsproto_word_ok(path) ||
	    !wsproto_word_ok(key) || *host == '\0' || sz == 0)
		return 0;
	n = snprintf(buf, sz, "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "\r\n", path, host, key);
	if (n < 0 || (size_t)n >= sz) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

void
wsproto_reply_init(struct wsproto_reply *rp, const char *key)
{
	rp->n = 0;
	wsproto_accept(key, rp->accept);
}

/* Case-insensitive, ASCII only: header names and tokens are ASCII, and
 * the locale must not decide what "Upgrade" is. */
static int
wsproto_ieq(const char *p, size_t len, const char *word)
{
	size_t	i;
	int	a, b;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++) {
		a = (unsigned char)p[i];
		b = (unsigned char)word[i];
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return 1;
}

/* Copy up to max bytes of what the server said into out for a message,
 * with its control bytes made harmless for the terminal showing it. */
static void
wsproto_clean(char *out, size_t outsz, const char *s, size_t len,
    size_t max)
{
	size_t	i;

	if (len > max)
		len = max;
	if (len > outsz - 1)
		len = outsz - 1;
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[len] = '\0';
}

/* The first CR LF in [p, end), or NULL. */
static const char *
wsproto_crlf(const char *p, const char *end)
{
	while (p < end &&
	    (p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (end - p >= 2 && p[1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

static int
wsproto_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The status line [p, eol): "HTTP/d.d ddd[ reason]". Returns 0 for a 101,
 * else -1 with why filled.
 */
static int
wsproto_reply_status(const char *p, const char *eol, char *why,
    size_t whysz)
{
	char	reason[WSPROTO_REASON_MAX + 1];
	size_t	len = (size_t)(eol - p);

	if (len < 12 || memcmp(p, "HTTP/", 5) != 0 || !wsproto_digit(p[5]) ||
	    p[6] != '.' || !wsproto_digit(p[7]) || p[8] != ' ' ||
	    !wsproto_digit(p[9]) || !wsproto_digit(p[10]) ||
	    !wsproto_digit(p[11]) || (len > 12 && p[12] != ' ')) {
		wsproto_why(why, whysz, "the server's answer is not HTTP");
		return -1;
	}
	if (memcmp(p + 9, "101", 3) == 0)
		return 0;
	wsproto_clean(reason, sizeof reason, p + 13, len > 13 ? len - 13 : 0,
	    WSPROTO_REASON_MAX);
	wsproto_why(why, whysz, "the server answered HTTP %.3s%s%s instead of "
	    "a WebSocket upgrade", p + 9, reason[0] != '\0' ? " " : "",
	    reason);
	return -1;
}

static int
wsproto_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Does the comma-separated list [p, end) hold the token word? */
static int
wsproto_has_token(const char *p, const char *end, const char *word)
{
	const char	*comma, *q;

	while (p < end) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		q = comma;
		while (p < q && wsproto_ows(*p))
			p++;
		while (q > p && wsproto_ows(q[-1]))
			q--;
		if (wsproto_ieq(p, (size_t)(q - p), word))
			return 1;
		p = comma + 1;
	}
	return 0;
}

/* What the header lines said that matters to the upgrade. */
struct wsproto_seen {
	int	upgrade;	/* an Upgrade header, all of them "websocket" */
	int	upgrade_bad;
	int	connection;	/* a Connection header with "upgrade" */
	int	accept;		/* a Sec-WebSocket-Accept, all of them right */
	int	accept_bad;
};

/* One header line [p, eol). Returns 0, or -1 with why filled. */
static int
wsproto_reply_header(const struct wsproto_reply *rp, const char *p,
    const char *eol, struct wsproto_seen *seen, char *why, size_t whysz)
{
	const char	*colon, *v, *vend;
	char		 ext[WSPROTO_REASON_MAX + 1];
	size_t		 nlen, vlen;

	/* No colon, an empty name or white space before the colon (RFC 7230
	 * 3.2.4 says to reject it; folded lines start with white space). */
	colon = memchr(p, ':', (size_t)(eol - p));
	if (colon == NULL || colon == p ||
	    memchr(p, ' ', (size_t)(colon - p)) != NULL ||
	    memchr(p, '\t', (size_t)(colon - p)) != NULL) {
		wsproto_why(why, whysz,
		    "the server's answer has a malformed header line");
		return -1;
	}
	nlen = (size_t)(colon - p);
	v = colon + 1;
	vend = eol;
	while (v < vend && wsproto_ows(*v))
		v++;
	while (vend > v && wsproto_ows(vend[-1]))
		vend--;
	vlen = (size_t)(vend - v);

	if (wsproto_ieq(p, nlen, "upgrade")) {
		if (wsproto_ieq(v, vlen, "websocket"))
			seen->upgrade = 1;
		else
			seen->upgrade_bad = 1;
	} else if (wsproto_ieq(p, nlen, "connection")) {
		if (wsproto_has_token(v, vend, "upgrade"))
			seen->connection = 1;
	} else if (wsproto_ieq(p, nlen, "sec-websocket-accept")) {
		if (vlen == WSPROTO_ACCEPT_LEN &&
		    memcmp(v, rp->accept, vlen) == 0)
			seen->accept = 1;
		else
			seen->accept_bad = 1;
	} else if (wsproto_ieq(p, nlen, "sec-websocket-extensions") &&
	    vlen > 0) {
		/* RFC 6455 4.1: we asked for none, and one would change what
		 * the frames mean (compressed payloads, RSV bits). */
		wsproto_clean(ext, sizeof ext, v, vlen, WSPROTO_REASON_MAX);
		wsproto_why(why, whysz, "the server's WebSocket answer turns "
		    "on the extension \"%s\", which this client did not ask "
		    "for", ext);
		return -1;
	}
	/* Sec-WebSocket-Protocol is let through: we asked for none, and an
	 * unasked one changes nothing in how frames are read. */
	return 0;
}

/* The whole header block, buf[0, end) (its empty line included). */
static int
wsproto_reply_check(const struct wsproto_reply *rp, size_t end, char *why,
    size_t whysz)
{
	struct wsproto_seen	 seen;
	const char		*p = rp->buf, *e = rp->buf + end, *eol;

	memset(&seen, 0, sizeof seen);
	eol = wsproto_crlf(p, e);
	if (wsproto_reply_status(p, eol, why, whysz) == -1)
		return -1;
	for (p = eol + 2; (eol = wsproto_crlf(p, e)) != p; p = eol + 2)
		if (wsproto_reply_header(rp, p, eol, &seen, why, whysz) == -1)
			return -1;
	if (!seen.upgrade || seen.upgrade_bad) {
		wsproto_why(why, whysz, "the server's WebSocket answer has no "
		    "\"Upgrade: websocket\" header");
		return -1;
	}
	if (!seen.connection) {
		wsproto_why(why, whysz, "the server's WebSocket answer has no "
		    "\"Connection: Upgrade\" header");
		return -1;
	}
	if (!seen.accept || seen.accept_bad) {
		wsproto_why(why, whysz, "the server's WebSocket answer has no "
		    "valid Sec-WebSocket-Accept");
		return -1;
	}
	return 0;
}

/* Where the header block ends (after its empty line) when buf[0, n)
 * holds it; the search starts at from, a little before the new bytes. */
static size_t
wsproto_reply_end(const struct wsproto_reply *rp, size_t from)
{
	const char	*p = rp->buf + from, *e = rp->buf + rp->n;

	while ((p = wsproto_crlf(p, e)) != NULL) {
		if (e - p >= 4 && p[2] == '\r' && p[3] == '\n')
			return (size_t)(p - rp->buf) + 4;
		p += 2;
	}
	return 0;
}

int
wsproto_reply_feed(struct wsproto_reply *rp, const char *data, size_t len,
    size_t *used, char *why, size_t whysz)
{
	size_t		 old = rp->n, room = sizeof rp->buf - rp->n, n, end;
	const char	*eol;

	if (used != NULL)
		*used = 0;
	n = len < room ? len : room;
	memcpy(rp->buf + rp->n, data, n);
	rp->n += n;

	/* Say "not HTTP" from the first bytes, not after 4096 of them. */
	if (memcmp(rp->buf, "HTTP/", rp->n < 5 ? rp->n : 5) != 0) {
		wsproto_why(why, whysz, "the server's answer is not HTTP");
		return WSPROTO_ERROR;
	}
	/* A refusal is told by its status line, whatever follows it. */
	if ((eol = wsproto_crlf(rp->buf, rp->buf + rp->n)) != NULL &&
	    wsproto_reply_status(rp->buf, eol, why, whysz) == -1)
		return WSPROTO_ERROR;

	if ((end = wsproto_reply_end(rp, old > 3 ? old - 3 : 0)) == 0) {
		if (rp->n < sizeof rp->buf)
			return WSPROTO_MORE;
		wsproto_why(why, whysz, "the server's answer headers are over "
		    "%d bytes", WSPROTO_REPLY_MAX);
		return WSPROTO_ERROR;
	}
	if (used != NULL)
		*used = end - old;
	if (wsproto_reply_check(rp, end, why, whysz) == -1)
		return WSPROTO_ERROR;
	return WSPROTO_DONE;
}

/* ------------------------------------------------------------------ */
/* Frames from the server.                                              */

void
wsproto_rx_init(struct wsproto_rx *rx, size_t max_message)
{
	memset(rx, 0, sizeof *rx);
	rx->hdr_want = 2;
	rx->max_message = max_message;
}

/* hdr_want 0 marks a stream that failed: nothing after the error can be
 * trusted to be where a frame starts. */
__attribute__((format(printf, 4, 5)))
static int
wsproto_rx_fail(struct wsproto_rx *rx, char *why, size_t whysz,
    const char *fmt, ...)
{
	va_list	ap;

	rx->hdr_want = 0;
	if (why != NULL && whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
wsproto_is_control(unsigned op)
{
	return (op & 0x8) != 0;
}

/* The first two header bytes are in: check what they alone tell, and
 * learn how long the header is. */
static int
wsproto_rx_start(struct wsproto_rx *rx, char *why, size_t whysz)
{
	unsigned	b0 = rx->hdr[0], b1 = rx->hdr[1], len7 = b1 & 0x7f;

	rx->fin = (b0 & 0x80) != 0;
	rx->op = b0 & 0x0f;
	if (b0 & 0x70)
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "frame with reserved bits set (an extension this client "
		    "did not ask for)");
	if (rx->op > WSPROTO_BINARY && (rx->op < WSPROTO_CLOSE ||
	    rx->op > WSPROTO_PONG))
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "frame with the unknown opcode 0x%x", rx->op);
	if (b1 & 0x80)
		return wsproto_rx_fail(rx, why, whysz,
		    "the server sent a masked frame");
	if (wsproto_is_control(rx->op) && !rx->fin)
		return wsproto_rx_fail(rx, why, whysz,
		    "the server sent a fragmented control frame");
	if (wsproto_is_control(rx->op) && len7 > WSPROTO_CONTROL_MAX)
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "control frame over %d bytes", WSPROTO_CONTROL_MAX);
	if (rx->op == WSPROTO_CONT && !rx->in_message)
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "continuation frame with no message started");
	if ((rx->op == WSPROTO_TEXT || rx->op == WSPROTO_BINARY) &&
	    rx->in_message)
		return wsproto_rx_fail(rx, why, whysz, "the server started a "
		    "new message inside an unfinished fragmented one");
	rx->hdr_want = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
	return 0;
}

/* The whole header is in: the payload's length, checked. Server lengths
 * are taken even when not minimal; the RFC asks senders, not us. */
static int
wsproto_rx_length(struct wsproto_rx *rx, char *why, size_t whysz)
{
	unsigned	len7 = rx->hdr[1] & 0x7f;
	uint64_t	len = len7;
	size_t		i;

	if (len7 >= 126)
		for (len = 0, i = 2; i < rx->hdr_want; i++)
			len = len << 8 | rx->hdr[i];
	if (len >> 63)
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "frame length with the top bit set");
	if (rx->op == WSPROTO_CLOSE && len == 1)
		return wsproto_rx_fail(rx, why, whysz, "the server sent a "
		    "close frame with a 1-byte payload");
	if (!wsproto_is_control(rx->op)) {
		if (len > rx->max_message - rx->message)
			return wsproto_rx_fail(rx, why, whysz, "the server "
			    "sent a message over %zu bytes", rx->max_message);
		rx->message += (size_t)len;
		rx->in_message = 1;
	}
	rx->left = len;
	rx->ctl_n = 0;
	rx->in_payload = 1;
	return 0;
}

/* Ready for the next frame's header. */
static void
wsproto_rx_next(struct wsproto_rx *rx)
{
	rx->hdr_n = 0;
	rx->hdr_want = 2;
	rx->in_payload = 0;
}

/* A control frame's payload is all in rx->ctl: hand it out. */
static int
wsproto_rx_control(struct wsproto_rx *rx, const struct wsproto_rx_events *ev,
    void *arg)
{
	const char	*p = (const char *)rx->ctl;
	unsigned	 code;

	wsproto_rx_next(rx);
	switch (rx->op) {
	case WSPROTO_PING:
		if (ev->on_ping != NULL)
			return ev->on_ping(arg, p, rx->ctl_n) != 0;
		break;
	case WSPROTO_CLOSE:
		if (ev->on_close == NULL)
			break;
		if (rx->ctl_n == 0)
			return ev->on_close(arg, 1005, p, 0) != 0;
		code = (unsigned)rx->ctl[0] << 8 | rx->ctl[1];
		return ev->on_close(arg, code, p + 2, rx->ctl_n - 2) != 0;
	}
	return 0;
}

/* n bytes of a text or binary payload at p; the frame's last when
 * rx->left has come down to 0. */
static int
wsproto_rx_data(struct wsproto_rx *rx, const char *p, size_t n,
    const struct wsproto_rx_events *ev, void *arg)
{
	int	fin = 0;

	if (rx->left == 0) {
		wsproto_rx_next(rx);
		if (rx->fin) {
			fin = 1;
			rx->in_message = 0;
			rx->message = 0;
		}
	}
	/* An empty piece says nothing unless it ends the message. */
	if (ev->on_data == NULL || (n == 0 && !fin))
		return 0;
	return ev->on_data(arg, p, n, fin) != 0;
}

int
wsproto_rx_feed(struct wsproto_rx *rx, const char *data, size_t len,
    const struct wsproto_rx_events *ev, void *arg, char *why, size_t whysz)
{
	const char	*p = data, *end = data + len;
	size_t		 n;

	if (rx->hdr_want == 0)
		return wsproto_rx_fail(rx, why, whysz,
		    "the WebSocket stream already failed");
	while (p < end) {
		if (!rx->in_payload) {
			n = rx->hdr_want - rx->hdr_n;
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			memcpy(rx->hdr + rx->hdr_n, p, n);
			rx->hdr_n += n;
			p += n;
			if (rx->hdr_n == 2 &&
			    wsproto_rx_start(rx, why, whysz) == -1)
				return -1;
			if (rx->hdr_n < rx->hdr_want)
				continue;
			if (wsproto_rx_length(rx, why, whysz) == -1)
				return -1;
			if (rx->left > 0)
				continue;
			/* An empty payload: the frame ends with its header. */
			if ((wsproto_is_control(rx->op) ?
			    wsproto_rx_control(rx, ev, arg) :
			    wsproto_rx_data(rx, p, 0, ev, arg)) != 0)
				return 1;
			continue;
		}
		n = rx->left < (uint64_t)(end - p) ? (size_t)rx->left :
		    (size_t)(end - p);
		rx->left -= n;
		p += n;
		if (wsproto_is_control(rx->op)) {
			memcpy(rx->ctl + rx->ctl_n, p - n, n);
			rx->ctl_n += n;
			if (rx->left == 0 && wsproto_rx_control(rx, ev, arg))
				return 1;
		} else if (wsproto_rx_data(rx, p - n, n, ev, arg))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Frames from the client.                                              */

size_t
wsproto_frame(unsigned char *out, enum wsproto_op op, const void *payload,
    size_t len, const unsigned char mask[4])
{
	const unsigned char	*in = payload;
	uint64_t		 len64 = len;
	size_t			 n = 0, i;

	out[n++] = 0x80 | ((unsigned)op & 0x0f);
	if (len <= 125)
		out[n++] = 0x80 | (unsigned char)len;
	else if (len <= 0xffff) {
		out[n++] = 0x80 | 126;
		out[n++] = (unsigned char)(len >> 8);
		out[n++] = (unsigned char)len;
	} else {
		out[n++] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			out[n++] = (unsigned char)(len64 >> (56 - 8 * i));
	}
	memcpy(out + n, mask, 4);
	n += 4;
	for (i = 0; i < len; i++)
		out[n + i] = in[i] ^ mask[i & 3];
	return n + len;
}

size_t
wsproto_close_payload(unsigned char out[WSPROTO_CONTROL_MAX], unsigned code,
    const char *reason)
{
	size_t	len = reason != NULL ? strlen(reason) : 0;

	/* The RFC wants the reason in UTF-8: never cut a character. */
	if (len > WSPROTO_CONTROL_MAX - 2) {
		len = WSPROTO_CONTROL_MAX - 2;
		while (len > 0 && ((unsigned char)reason[len] & 0xc0) == 0x80)
			len--;
	}
	out[0] = (unsigned char)(code >> 8);
	out[1] = (unsigned char)code;
	if (len > 0)
		memcpy(out + 2, reason, len);
	return 2 + len;
}
