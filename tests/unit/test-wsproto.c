/*
 * test-wsproto.c: the WebSocket client protocol, against the RFCs' own
 * examples where they have some.
 *
 * - SHA-1 (FIPS 180 vectors) and base64 (RFC 4648 section 10);
 * - the handshake: key and accept (RFC 6455 1.3 and 4.1), the request
 *   byte for byte, the server's answer whole, byte by byte and refused in
 *   every way the client must refuse it;
 * - frames in: the RFC 6455 5.7 examples, close frames, every protocol
 *   error, and one stream fed whole, byte by byte and in random splits,
 *   which must all give the same events;
 * - frames out: the masked example of 5.7, the three length forms, and a
 *   round trip through the mask.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsproto.h"
#include "tap.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define RFC_KEY		"dGhlIHNhbXBsZSBub25jZQ=="
#define RFC_ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

static void
hex(const unsigned char *p, size_t len, char *out)
{
	size_t	i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * len] = '\0';
}

/* ------------------------------------------------------------------ */
/* SHA-1 and base64                                                    */

static void
test_sha1(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} vec[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	unsigned char	 md[20];
	char		 got[41], what[128];
	char		*a;
	size_t		 i;

	for (i = 0; i < nitems(vec); i++) {
		wsproto_sha1(vec[i].in, strlen(vec[i].in), md);
		hex(md, sizeof md, got);
		snprintf(what, sizeof what, "sha1: FIPS 180 vector \"%.20s\"",
		    vec[i].in);
		tap_is_str(got, vec[i].want, what);
	}
	/* One million 'a': many whole blocks taken straight from the input. */
	if ((a = malloc(1000000)) == NULL)
		abort();
	memset(a, 'a', 1000000);
	wsproto_sha1(a, 1000000, md);
	hex(md, sizeof md, got);
	tap_is_str(got, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
	    "sha1: FIPS 180 vector of one million 'a'");
	free(a);

	/* 55, 56 and 64 bytes: the padding spills into a second block. */
	wsproto_sha1("0123456789012345678901234567890123456789012345678901234",
	    55, md);
	hex(md, sizeof md, got);
	tap_is_str(got, "9f3a4ce7f66b1b74c34da2c5d732c39f81e0f8df",
	    "sha1: 55 bytes, the padding just fits one block");
	wsproto_sha1("01234567890123456789012345678901234567890123456789012345",
	    56, md);
	hex(md, sizeof md, got);
	tap_is_str(got, "0a40b8fbdaafb7c29651618ac15d27e772287130",
	    "sha1: 56 bytes, the length goes into a second block");
}

static void
test_base64(void)
{
	static const char	*want[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	char			 out[16], what[64];
	size_t			 n, len;

	for (len = 0; len < nitems(want); len++) {
		memset(out, 'X', sizeof out);
		n = wsproto_base64((const unsigned char *)"foobar", len, out);
		snprintf(what, sizeof what, "base64: RFC 4648 \"%.*s\"",
		    (int)len, "foobar");
		tap_is_str(out, want[len], what);
		snprintf(what, sizeof what, "base64: length of \"%.*s\"",
		    (int)len, "foobar");
		tap_is_int((long long)n, (long long)strlen(want[len]), what);
	}
	n = wsproto_base64((const unsigned char *)"\xfb\xff\xbf", 3, out);
	tap_is_str(out, "+/+/", "base64: the last two letters are + and /");
}

/* ------------------------------------------------------------------ */
/* The handshake                                                       */

static void
test_key_accept(void)
{
	char	key[WSPROTO_KEY_LEN + 1], accept[WSPROTO_ACCEPT_LEN + 1];

	wsproto_key((const unsigned char *)"the sample nonce", key);
	tap_is_str(key, RFC_KEY, "key: RFC 6455 4.1 sample nonce");
	wsproto_accept(RFC_KEY, accept);
	tap_is_str(accept, RFC_ACCEPT, "accept: RFC 6455 1.3 example");
	tap_is_int((long long)strlen(accept), WSPROTO_ACCEPT_LEN,
	    "accept: WSPROTO_ACCEPT_LEN letters");
}

static void
test_request(void)
{
	static const char	 want[] =
	    "GET /chat HTTP/1.1\r\n"
	    "Host: irc-ws.chat.twitch.tv:443\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " RFC_KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "\r\n";
	char			 buf[512];
	size_t			 n;

	n = wsproto_request(buf, sizeof buf, "irc-ws.chat.twitch.tv:443",
	    "/chat", RFC_KEY);
	tap_is_str(buf, want, "request: exactly the RFC's headers, CR LF");
	tap_is_int((long long)n, (long long)strlen(want),
	    "request: returns its length");
	n = wsproto_request(buf, sizeof want, "irc-ws.chat.twitch.tv:443",
	    "/chat", RFC_KEY);
	tap_ok(n == sizeof want - 1 && strcmp(buf, want) == 0,
	    "request: fits a buffer of exactly its length + 1");
	n = wsproto_request(buf, sizeof want - 1, "irc-ws.chat.twitch.tv:443",
	    "/chat", RFC_KEY);
	tap_ok(n == 0 && buf[0] == '\0',
	    "request: 0 and \"\" when the NUL does not fit");
	n = wsproto_request(buf, 0, "h", "/", RFC_KEY);
	tap_is_int((long long)n, 0, "request: 0 for a buffer of 0 bytes");
	n = wsproto_request(buf, sizeof buf, "h", "", RFC_KEY);
	tap_ok(n > 0 && strncmp(buf, "GET / HTTP/1.1\r\nHost: h\r\n", 25) == 0,
	    "request: an empty path asks for /");
	n = wsproto_request(buf, sizeof buf, "h", "/a\r\nX: y", RFC_KEY);
	tap_ok(n == 0 && buf[0] == '\0',
	    "request: 0 for a path with CR LF (no header injection)");
	n = wsproto_request(buf, sizeof buf, "h h", "/", RFC_KEY);
	tap_is_int((long long)n, 0, "request: 0 for a host with a space");
}

#define GOOD_REPLY							\
	"HTTP/1.1 101 Switching Protocols\r\n"				\
	"Upgrade: websocket\r\n"					\
	"Connection: Upgrade\r\n"					\
	"Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n"			\
	"\r\n"

/* Feed s whole; returns what wsproto_reply_feed() did. */
static int
reply_whole(const char *s, size_t len, size_t *used, char *why,
    size_t whysz)
{
	struct wsproto_reply	rp;

	wsproto_reply_init(&rp, RFC_KEY);
	why[0] = '\0';
	return wsproto_reply_feed(&rp, s, len, used, why, whysz);
}

static void
test_reply_good(void)
{
	static const char	 frames[] = "\x81\x05Hello";
	char			 in[512], why[256];
	struct wsproto_reply	 rp;
	size_t			 len, hlen = strlen(GOOD_REPLY), used, i;
	int			 r = WSPROTO_MORE, ok = 1;

	len = (size_t)snprintf(in, sizeof in, "%s%s", GOOD_REPLY, frames);
	r = reply_whole(in, hlen, &used, why, sizeof why);
	tap_ok(r == WSPROTO_DONE && used == hlen,
	    "reply: a good 101 fed whole is done, all of it used (r %d, "
	    "used %zu, %s)", r, used, why);
	r = reply_whole(in, len, &used, why, sizeof why);
	tap_ok(r == WSPROTO_DONE && used == hlen,
	    "reply: frame bytes after the answer are left unused (used %zu "
	    "of %zu)", used, len);
	tap_ok(r == WSPROTO_DONE && len - used == 7 &&
	    memcmp(in + used, frames, 7) == 0,
	    "reply: what is left starts with the first frame");

	/* Byte by byte: MORE until the last LF, then DONE with 1 used. */
	wsproto_reply_init(&rp, RFC_KEY);
	for (i = 0; i < hlen; i++) {
		r = wsproto_reply_feed(&rp, in + i, 1, &used, why, sizeof why);
		if (i < hlen - 1 && r != WSPROTO_MORE)
			ok = 0;
	}
	tap_ok(ok && r == WSPROTO_DONE && used == 1,
	    "reply: byte by byte, MORE up to the last byte, then DONE");

	/* Split in the middle of the final CR LF CR LF, frames in the last
	 * piece: used counts only this call's header bytes. */
	wsproto_reply_init(&rp, RFC_KEY);
	r = wsproto_reply_feed(&rp, in, hlen - 3, &used, why, sizeof why);
	tap_is_int(r, WSPROTO_MORE, "reply: split inside the empty line: MORE");
	r = wsproto_reply_feed(&rp, in + hlen - 3, len - (hlen - 3), &used,
	    why, sizeof why);
	tap_ok(r == WSPROTO_DONE && used == 3,
	    "reply: the second piece used 3 bytes (r %d, used %zu)", r, used);
}

static void
test_reply_variants(void)
{
	static const struct {
		const char	*in;
		const char	*what;
	} ok[] = {
		{ "HTTP/1.1 101 Web Socket Protocol Handshake\r\n"
		  "upgrade: WebSocket\r\n"
		  "CONNECTION: upgrade\r\n"
		  "sec-websocket-accept: " RFC_ACCEPT "\r\n\r\n",
		  "names and Upgrade/Connection values in any case, any reason" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Connection: keep-alive, Upgrade\r\n"
		  "Upgrade:websocket\r\n"
		  "Sec-WebSocket-Accept:   " RFC_ACCEPT "  \r\n\r\n",
		  "\"Connection: keep-alive, Upgrade\", no or extra blanks" },
		{ "HTTP/1.1 101\r\n"
		  "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
		  "Connection: Upgrade\r\n"
		  "Sec-WebSocket-Protocol: irc\r\n"
		  "Upgrade: websocket\r\n"
		  "Sec-WebSocket-Extensions:\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
		  "no reason, other headers, an empty extension list" },
	};
	char		why[256];
	size_t		i, used;
	int		r;

	for (i = 0; i < nitems(ok); i++) {
		r = reply_whole(ok[i].in, strlen(ok[i].in), &used, why,
		    sizeof why);
		tap_ok(r == WSPROTO_DONE && used == strlen(ok[i].in),
		    "reply: %s (r %d: %s)", ok[i].what, r, why);
	}
}

static void
test_reply_refused(void)
{
	static const struct {
		const char	*in;
		const char	*why;
		const char	*what;
	} bad[] = {
		{ "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
		  "the server answered HTTP 404 Not Found instead of a "
		  "WebSocket upgrade", "404" },
		{ "HTTP/1.1 200 OK\r\n",
		  "the server answered HTTP 200 OK instead of a WebSocket "
		  "upgrade", "200, told from the status line alone" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOO=\r\n\r\n",
		  "the server's WebSocket answer has no valid "
		  "Sec-WebSocket-Accept", "wrong accept (one letter's case)" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		  "the server's WebSocket answer has no valid "
		  "Sec-WebSocket-Accept", "no accept" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n"
		  "Sec-WebSocket-Accept: x\r\n\r\n",
		  "the server's WebSocket answer has no valid "
		  "Sec-WebSocket-Accept", "a second, wrong accept" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Connection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
		  "the server's WebSocket answer has no \"Upgrade: websocket\" "
		  "header", "missing Upgrade" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: h2c\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
		  "the server's WebSocket answer has no \"Upgrade: websocket\" "
		  "header", "Upgrade to something else" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: websocket\r\nConnection: keep-alive, upgraded\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
		  "the server's WebSocket answer has no \"Connection: Upgrade\" "
		  "header", "Connection without the upgrade token" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
		  "Sec-WebSocket-Extensions: permessage-deflate\r\n"
		  "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
		  "the server's WebSocket answer turns on the extension "
		  "\"permessage-deflate\", which this client did not ask for",
		  "an extension not asked for" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade : websocket\r\n\r\n",
		  "the server's answer has a malformed header line",
		  "a blank before the colon" },
		{ "HTTP/1.1 101 Switching Protocols\r\n"
		  "Upgrade websocket\r\n\r\n",
		  "the server's answer has a malformed header line",
		  "a header line without a colon" },
		{ "SSH-2.0-OpenSSH_9.2\r\n",
		  "the server's answer is not HTTP", "not HTTP" },
		{ "HTTX", "the server's answer is not HTTP",
		  "not HTTP, told from 4 bytes" },
		{ "HTTP/1.1 1011 Bad\r\n\r\n",
		  "the server's answer is not HTTP", "a 4-digit status" },
		{ "HTTP/1.1 404 Go\x1b]0;pwned\x07" "away\x7f\r\n\r\n",
		  "the server answered HTTP 404 Go?]0;pwned?away? instead of a "
		  "WebSocket upgrade", "control bytes in the reason become ?" },
		{ "HTTP/1.1 503 0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789\r\n\r\n",
		  "the server answered HTTP 503 01234567890123456789012345678901"
		  "2345678901234567890123456789 instead of a WebSocket upgrade",
		  "a long reason is cut at 60 bytes" },
	};
	char		why[256];
	size_t		i, used;
	int		r;

	for (i = 0; i < nitems(bad); i++) {
		r = reply_whole(bad[i].in, strlen(bad[i].in), &used, why,
		    sizeof why);
		tap_is_int(r, WSPROTO_ERROR, bad[i].what);
		tap_is_str(why, bad[i].why, bad[i].what);
	}
}

static void
test_reply_limit(void)
{
	struct wsproto_reply	 rp;
	char			 chunk[100], why[256], *big;
	size_t			 used, total = 0, hlen;
	int			 r = WSPROTO_MORE;

	/* Headers that never end, 100 bytes at a time. */
	wsproto_reply_init(&rp, RFC_KEY);
	r = wsproto_reply_feed(&rp, "HTTP/1.1 101 Switching Protocols\r\n",
	    34, &used, why, sizeof why);
	memset(chunk, 'a', sizeof chunk);
	memcpy(chunk, "X-Pad: ", 7);
	chunk[98] = '\r';
	chunk[99] = '\n';
	while (r == WSPROTO_MORE && total < 10000) {
		r = wsproto_reply_feed(&rp, chunk, sizeof chunk, &used, why,
		    sizeof why);
		total += sizeof chunk;
	}
	tap_is_int(r, WSPROTO_ERROR, "reply: endless headers are refused");
	tap_is_str(why, "the server's answer headers are over 4096 bytes",
	    "reply: endless headers: why");
	/* The feed that reaches 4096 bytes is the one refused. */
	tap_ok(total + 34 >= WSPROTO_REPLY_MAX &&
	    total + 34 < WSPROTO_REPLY_MAX + sizeof chunk,
	    "reply: refused at the feed reaching 4096 bytes (%zu fed)",
	    total + 34);

	/* Exactly 4096 bytes with the empty line is still an answer. */
	if ((big = malloc(WSPROTO_REPLY_MAX + 16)) == NULL)
		abort();
	hlen = strlen(GOOD_REPLY) - 2;
	memcpy(big, GOOD_REPLY, hlen);
	memcpy(big + hlen, "X-Pad: ", 7);
	memset(big + hlen + 7, 'a', WSPROTO_REPLY_MAX - hlen - 7 - 4);
	memcpy(big + WSPROTO_REPLY_MAX - 4, "\r\n\r\n\x81\x00", 6);
	r = reply_whole(big, WSPROTO_REPLY_MAX + 2, &used, why, sizeof why);
	tap_ok(r == WSPROTO_DONE && used == WSPROTO_REPLY_MAX,
	    "reply: an answer of exactly 4096 bytes, frames after it "
	    "(r %d, used %zu, %s)", r, used, why);
	big[WSPROTO_REPLY_MAX - 1] = 'a';
	r = reply_whole(big, WSPROTO_REPLY_MAX + 2, &used, why, sizeof why);
	tap_is_int(r, WSPROTO_ERROR,
	    "reply: 4097 bytes before the empty line's end are refused");
	free(big);
}

/* ------------------------------------------------------------------ */
/* Frames from the server                                              */

/* What the callbacks saw, with consecutive data pieces of one message
 * merged: so feeds split anywhere compare equal. */
struct rec {
	char		 log[4096];	/* the events, described */
	size_t		 loglen;
	unsigned char	*bytes;		/* every data byte, in order */
	size_t		 nbytes;
	int		 in_data;	/* the last event was a data piece */
	size_t		 piece;		/* bytes of the current message */
	int		 pieces;	/* on_data calls */
	int		 stop_at;	/* events until a callback says stop */
	int		 events;
	const char	*lo, *hi;	/* the data being fed */
	int		 outside;	/* a data pointer outside [lo, hi] */
};

static void
rec_init(struct rec *r)
{
	unsigned char	*bytes = r->bytes;

	memset(r, 0, sizeof *r);
	if (bytes == NULL && (bytes = malloc(1 << 20)) == NULL)
		abort();
	r->bytes = bytes;
	r->stop_at = -1;
}

__attribute__((format(printf, 2, 3)))
static void
rec_log(struct rec *r, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(r->log + r->loglen, sizeof r->log - r->loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->loglen += (size_t)n;
	if (r->loglen >= sizeof r->log)
		r->loglen = sizeof r->log - 1;
}

/* Printable short payloads are logged as text, the rest as a length. */
static void
rec_text(struct rec *r, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			break;
	if (i == len && len <= 40)
		rec_log(r, "\"%.*s\"", (int)len, p);
	else
		rec_log(r, "%zu bytes", len);
}

static int
rec_stop(struct rec *r)
{
	r->events++;
	return r->stop_at >= 0 && r->events >= r->stop_at;
}

static int
rec_on_data(void *arg, const char *data, size_t len, int fin)
{
	struct rec	*r = arg;

	if (len > 0 && (data < r->lo || data + len > r->hi))
		r->outside = 1;
	r->pieces++;
	if (r->nbytes + len <= (1 << 20)) {
		memcpy(r->bytes + r->nbytes, data, len);
		r->nbytes += len;
	}
	if (!r->in_data) {
		rec_log(r, "data ");
		r->piece = 0;
	}
	r->piece += len;
	r->in_data = !fin;
	if (fin) {
		/* The text of the whole message, now it is known. */
		if (r->piece <= 40)
			rec_text(r, (const char *)r->bytes + r->nbytes -
			    r->piece, r->piece);
		else
			rec_log(r, "%zu bytes", r->piece);
		rec_log(r, " fin; ");
	}
	return rec_stop(r);
}

static void
rec_break(struct rec *r)
{
	if (r->in_data) {
		rec_text(r, (const char *)r->bytes + r->nbytes - r->piece,
		    r->piece);
		rec_log(r, " so far; ");
		r->in_data = 0;
	}
}

static int
rec_on_ping(void *arg, const char *data, size_t len)
{
	struct rec	*r = arg;

	rec_break(r);
	rec_log(r, "ping ");
	rec_text(r, data, len);
	rec_log(r, "; ");
	return rec_stop(r);
}

static int
rec_on_close(void *arg, unsigned code, const char *reason, size_t len)
{
	struct rec	*r = arg;

	rec_break(r);
	rec_log(r, "close %u ", code);
	rec_text(r, reason, len);
	rec_log(r, "; ");
	return rec_stop(r);
}

static const struct wsproto_rx_events rec_events = {
	rec_on_data, rec_on_ping, rec_on_close
};

#define MAX_MESSAGE	1048576

/*
 * Feed len bytes to a new decoder in pieces: step 0 whole, 1 byte by byte,
 * else random sizes from 1 to step from the seed. Returns the last
 * wsproto_rx_feed() result; stops at the first that is not 0.
 */
static int
rx_feed_split(struct rec *r, const void *data, size_t len, size_t step,
    unsigned seed, size_t max_message, char *why, size_t whysz)
{
	struct wsproto_rx	 rx;
	const char		*p = data;
	size_t			 off = 0, n;
	int			 ret = 0;

	wsproto_rx_init(&rx, max_message);
	r->lo = p;
	r->hi = p + len;
	why[0] = '\0';
	do {
		if (step == 0)
			n = len;
		else if (step == 1)
			n = 1;
		else {
			seed = seed * 1103515245 + 12345;
			n = 1 + (seed >> 16) % step;
		}
		if (n > len - off)
			n = len - off;
		ret = wsproto_rx_feed(&rx, p + off, n, &rec_events, r, why,
		    whysz);
		off += n;
	} while (ret == 0 && off < len);
	return ret;
}

/* Feed the bytes whole; the events must be want. */
static void
rx_expect(const void *data, size_t len, const char *want, const char *what)
{
	struct rec	r = { .bytes = NULL };
	char		why[256];
	int		ret;

	rec_init(&r);
	ret = rx_feed_split(&r, data, len, 0, 0, MAX_MESSAGE, why, sizeof why);
	if (!tap_is_int(ret, 0, what))
		tap_diag("why: %s", why);
	tap_is_str(r.log, want, what);
	free(r.bytes);
}

static void
test_rx_rfc(void)
{
	static const unsigned char	hello[] = {
		0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f
	};
	static const unsigned char	frag[] = {
		0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f
	};
	static const unsigned char	ping[] = {
		0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f
	};
	static const unsigned char	pong[] = {
		0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x81, 0x00
	};
	struct rec			r = { .bytes = NULL };
	unsigned char			*big;
	char				why[256];
	size_t				i;
	int				ret;

	rx_expect(hello, sizeof hello, "data \"Hello\" fin; ",
	    "rx: RFC 6455 5.7 single-frame unmasked text");
	rx_expect(frag, sizeof frag, "data \"Hello\" fin; ",
	    "rx: RFC 6455 5.7 fragmented text \"Hel\" + \"lo\"");
	rx_expect(ping, sizeof ping, "ping \"Hello\"; ",
	    "rx: RFC 6455 5.7 unmasked ping");
	rx_expect(pong, sizeof pong, "data \"\" fin; ",
	    "rx: a pong is taken silently, an empty final frame is one event");

	/* 256 and 65536 bytes of binary, 16-bit and 64-bit lengths. */
	if ((big = malloc(10 + 65536)) == NULL)
		abort();
	big[0] = 0x82;
	big[1] = 0x7e;
	big[2] = 0x01;
	big[3] = 0x00;
	for (i = 0; i < 256; i++)
		big[4 + i] = (unsigned char)i;
	rec_init(&r);
	ret = rx_feed_split(&r, big, 4 + 256, 0, 0, MAX_MESSAGE, why,
	    sizeof why);
	tap_ok(ret == 0 && strcmp(r.log, "data 256 bytes fin; ") == 0 &&
	    r.nbytes == 256 && memcmp(r.bytes, big + 4, 256) == 0,
	    "rx: RFC 6455 5.7 256-byte binary (7E 01 00), bytes intact");
	tap_is_int(r.pieces, 1, "rx: 256 bytes fed whole come in one piece");

	memcpy(big, "\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
	for (i = 0; i < 65536; i++)
		big[10 + i] = (unsigned char)(i * 7);
	rec_init(&r);
	ret = rx_feed_split(&r, big, 10 + 65536, 0, 0, MAX_MESSAGE, why,
	    sizeof why);
	tap_ok(ret == 0 && strcmp(r.log, "data 65536 bytes fin; ") == 0 &&
	    r.nbytes == 65536 && memcmp(r.bytes, big + 10, 65536) == 0,
	    "rx: RFC 6455 5.7 65536-byte binary (7F, 8-byte length)");
	tap_ok(!r.outside, "rx: data pointers lie inside the fed bytes");
	free(r.bytes);
	free(big);
}

static void
test_rx_close(void)
{
	static const unsigned char	bye[] = {
		0x88, 0x05, 0x03, 0xe8, 'b', 'y', 'e'
	};
	static const unsigned char	bare[] = { 0x88, 0x00 };
	static const unsigned char	code_only[] = { 0x88, 0x02, 0x0f, 0xa0 };

	rx_expect(bye, sizeof bye, "close 1000 \"bye\"; ",
	    "rx: close with code 1000 and a reason");
	rx_expect(bare, sizeof bare, "close 1005 \"\"; ",
	    "rx: close without payload is code 1005");
	rx_expect(code_only, sizeof code_only, "close 4000 \"\"; ",
	    "rx: close with a code and no reason");
}

static void
test_rx_errors(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*why;
		const char	*what;
	} bad[] = {
#define B(s)	s, sizeof s - 1
		{ B("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
		  "the server sent a masked frame", "a masked frame" },
		{ B("\xc1\x00"), "the server sent a frame with reserved bits "
		  "set (an extension this client did not ask for)", "RSV1" },
		{ B("\xa1\x00"), "the server sent a frame with reserved bits "
		  "set (an extension this client did not ask for)", "RSV2" },
		{ B("\x91\x00"), "the server sent a frame with reserved bits "
		  "set (an extension this client did not ask for)", "RSV3" },
		{ B("\x83\x00"), "the server sent a frame with the unknown "
		  "opcode 0x3", "opcode 3" },
		{ B("\x87\x00"), "the server sent a frame with the unknown "
		  "opcode 0x7", "opcode 7" },
		{ B("\x8b\x00"), "the server sent a frame with the unknown "
		  "opcode 0xb", "opcode 0xb" },
		{ B("\x8f\x00"), "the server sent a frame with the unknown "
		  "opcode 0xf", "opcode 0xf" },
		{ B("\x89\x7e\x00\x7e"), "the server sent a control frame over "
		  "125 bytes", "a ping of 126 bytes" },
		{ B("\x88\x7e\x00\x7d"), "the server sent a control frame over "
		  "125 bytes", "a close with a 16-bit length" },
		{ B("\x09\x00"), "the server sent a fragmented control frame",
		  "a ping without FIN" },
		{ B("\x08\x00"), "the server sent a fragmented control frame",
		  "a close without FIN" },
		{ B("\x80\x01x"), "the server sent a continuation frame with no "
		  "message started", "a continuation first" },
		{ B("\x81\x01x\x80\x01y"), "the server sent a continuation frame "
		  "with no message started", "a continuation after a final "
		  "frame" },
		{ B("\x01\x01x\x81\x01y"), "the server started a new message "
		  "inside an unfinished fragmented one", "text inside a "
		  "fragmented text" },
		{ B("\x02\x01x\x02\x01y"), "the server started a new message "
		  "inside an unfinished fragmented one", "binary inside a "
		  "fragmented binary" },
		{ B("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00"), "the server sent "
		  "a frame length with the top bit set", "a 64-bit length with "
		  "the top bit" },
		{ B("\x82\x7f\x00\x00\x00\x00\x00\x10\x00\x01"), "the server sent "
		  "a message over 1048576 bytes", "one frame of 1048577 bytes" },
		{ B("\x88\x01\x03"), "the server sent a close frame with a "
		  "1-byte payload", "a close payload of 1 byte" },
#undef B
	};
	struct rec	r = { .bytes = NULL };
	char		why[256], what[128];
	size_t		i, step;
	int		ret;

	rec_init(&r);
	for (i = 0; i < nitems(bad); i++)
		for (step = 0; step < 2; step++) {
			rec_init(&r);
			ret = rx_feed_split(&r, bad[i].in, bad[i].len, step, 0,
			    MAX_MESSAGE, why, sizeof why);
			snprintf(what, sizeof what, "rx error: %s (fed %s)",
			    bad[i].what, step ? "byte by byte" : "whole");
			tap_is_int(ret, -1, what);
			tap_is_str(why, bad[i].why, what);
		}

	/* Over max_message by fragments: the length is counted over the
	 * whole message, not one frame; exactly max is fine. */
	rec_init(&r);
	ret = rx_feed_split(&r, "\x01\x03Hel\x80\x02lo", 9, 0, 0, 5, why,
	    sizeof why);
	tap_ok(ret == 0 && strcmp(r.log, "data \"Hello\" fin; ") == 0,
	    "rx: a message of exactly max_message bytes is taken");
	rec_init(&r);
	ret = rx_feed_split(&r, "\x01\x03Hel\x80\x03lo!", 10, 0, 0, 5, why,
	    sizeof why);
	tap_ok(ret == -1 && strcmp(why, "the server sent a message over 5 "
	    "bytes") == 0, "rx: fragments adding up over max_message (%s)",
	    why);
	tap_is_str(r.log, "data ", "rx: the pieces before it were handed out");
	rec_init(&r);
	ret = rx_feed_split(&r, "\x81\x03""abc\x81\x03""def", 10, 0, 0, 5,
	    why, sizeof why);
	tap_ok(ret == 0 && r.events == 2,
	    "rx: max_message counts one message, not the stream (%s)", why);

	/* Once failed, the stream stays failed. */
	{
		struct wsproto_rx	rx;

		wsproto_rx_init(&rx, MAX_MESSAGE);
		ret = wsproto_rx_feed(&rx, "\x83\x00", 2, &rec_events, &r, why,
		    sizeof why);
		ret = wsproto_rx_feed(&rx, "\x81\x00", 2, &rec_events, &r, why,
		    sizeof why);
		tap_is_int(ret, -1, "rx: a feed after an error is an error");
	}
	free(r.bytes);
}

/* A stream of everything: every frame kind, every length form, a ping
 * and a close inside fragmented messages, an empty final fragment. */
static size_t
build_stream(unsigned char *s)
{
	size_t	n = 0, i;

#define PUT(str)	(memcpy(s + n, str, sizeof str - 1), n += sizeof str - 1)
	PUT("\x81\x05Hello");
	PUT("\x01\x03Hel");
	PUT("\x89\x04ping");
	PUT("\x80\x02lo");
	PUT("\x8a\x03pon");
	PUT("\x02\x7e\x01\x00");
	for (i = 0; i < 256; i++)
		s[n++] = (unsigned char)i;
	PUT("\x00\x7f\x00\x00\x00\x00\x00\x01\x00\x00");
	for (i = 0; i < 65536; i++)
		s[n++] = (unsigned char)(i * 13);
	PUT("\x89\x00");
	PUT("\x80\x00");
	PUT("\x81\x00");
	PUT("\x01\x00");
	PUT("\x80\x01!");
	PUT("\x88\x06\x03\xe9""away");
	PUT("\x81\x03""end");
#undef PUT
	return n;
}

#define STREAM_LOG							\
	"data \"Hello\" fin; "						\
	"data \"Hel\" so far; ping \"ping\"; data \"lo\" fin; "		\
	"data 65792 bytes so far; ping \"\"; data \"\" fin; "		\
	"data \"\" fin; data \"!\" fin; "					\
	"close 1001 \"away\"; data \"end\" fin; "

static void
test_rx_splits(void)
{
	struct rec	 whole = { .bytes = NULL }, r = { .bytes = NULL };
	unsigned char	*s;
	char		 why[256], what[128];
	size_t		 len, steps[] = { 2, 3, 7, 64, 1000, 70000 };
	unsigned	 seed;
	int		 ret, ok;
	size_t		 i;

	if ((s = malloc(70000)) == NULL)
		abort();
	len = build_stream(s);
	rec_init(&whole);
	ret = rx_feed_split(&whole, s, len, 0, 0, MAX_MESSAGE, why, sizeof why);
	tap_is_int(ret, 0, "rx stream: fed whole, all taken");
	tap_is_str(whole.log, STREAM_LOG, "rx stream: fed whole, the events");

	rec_init(&r);
	ret = rx_feed_split(&r, s, len, 1, 0, MAX_MESSAGE, why, sizeof why);
	tap_ok(ret == 0 && strcmp(r.log, whole.log) == 0 &&
	    r.nbytes == whole.nbytes &&
	    memcmp(r.bytes, whole.bytes, r.nbytes) == 0,
	    "rx stream: byte by byte gives the same events and bytes");
	tap_ok(!r.outside, "rx stream: byte by byte, pointers inside the feed");

	ok = 1;
	for (i = 0; i < nitems(steps); i++)
		for (seed = 1; seed <= 20; seed++) {
			rec_init(&r);
			ret = rx_feed_split(&r, s, len, steps[i], seed,
			    MAX_MESSAGE, why, sizeof why);
			if (ret != 0 || strcmp(r.log, whole.log) != 0 ||
			    r.nbytes != whole.nbytes || r.outside ||
			    memcmp(r.bytes, whole.bytes, r.nbytes) != 0) {
				ok = 0;
				tap_diag("step %zu seed %u: %s", steps[i],
				    seed, r.log);
			}
		}
	tap_ok(ok, "rx stream: 120 random splits (fixed seeds) give the same "
	    "events and bytes");

	/* Stop at each event in turn: 1 at once, nothing after it. */
	ok = 1;
	for (i = 1; i <= (size_t)whole.events; i++) {
		rec_init(&r);
		r.stop_at = (int)i;
		ret = rx_feed_split(&r, s, len, 0, 0, MAX_MESSAGE, why,
		    sizeof why);
		if (ret != 1 || r.events != (int)i)
			ok = 0;
	}
	snprintf(what, sizeof what, "rx stream: a callback asking to stop at "
	    "each of the %d events gets 1 and no further event", whole.events);
	tap_ok(ok, "%s", what);
	free(whole.bytes);
	free(r.bytes);
	free(s);
}

static void
test_rx_ping_inside(void)
{
	static const char	in[] = "\x01\x03Hel\x89\x02hi\x80\x02lo";
	struct rec		r = { .bytes = NULL };
	char			why[256];
	int			ret;

	rec_init(&r);
	ret = rx_feed_split(&r, in, sizeof in - 1, 0, 0, MAX_MESSAGE, why,
	    sizeof why);
	tap_ok(ret == 0 && r.pieces == 2,
	    "rx: a fragmented message fed whole comes in its 2 pieces");
	tap_is_str(r.log, "data \"Hel\" so far; ping \"hi\"; data \"lo\" fin; ",
	    "rx: a ping inside a fragmented message comes between its pieces");
	free(r.bytes);
}

/* ------------------------------------------------------------------ */
/* Frames from the client                                              */

static void
test_frame(void)
{
	static const unsigned char	mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
	static const unsigned char	want[] = {
		0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58
	};
	static const struct {
		size_t		len;
		size_t		hlen;
		unsigned char	b1;
	} forms[] = {
		{ 0, 6, 0x80 }, { 125, 6, 0x80 | 125 }, { 126, 8, 0x80 | 126 },
		{ 65535, 8, 0x80 | 126 }, { 65536, 14, 0x80 | 127 },
	};
	unsigned char			*out, *payload, cp[125];
	char				 got[64], wanthex[64], what[128];
	size_t				 n, i, j, len;
	uint64_t			 l;
	int				 ok;

	if ((out = malloc(70000 + WSPROTO_HEADER_MAX)) == NULL ||
	    (payload = malloc(70000)) == NULL)
		abort();
	n = wsproto_frame(out, WSPROTO_TEXT, "Hello", 5, mask);
	hex(out, n, got);
	hex(want, sizeof want, wanthex);
	tap_is_str(got, wanthex, "frame: RFC 6455 5.7 masked \"Hello\"");

	for (i = 0; i < 70000; i++)
		payload[i] = (unsigned char)(i * 31 + 7);
	for (i = 0; i < nitems(forms); i++) {
		len = forms[i].len;
		n = wsproto_frame(out, WSPROTO_BINARY, payload, len, mask);
		for (l = 0, j = 2; j < forms[i].hlen - 4; j++)
			l = l << 8 | out[j];
		if (forms[i].hlen == 6)
			l = out[1] & 0x7f;
		snprintf(what, sizeof what, "frame: %zu bytes: header of %zu, "
		    "length %s", len, forms[i].hlen, forms[i].hlen == 6 ?
		    "in 7 bits" : forms[i].hlen == 8 ? "16-bit (126)" :
		    "64-bit (127)");
		tap_ok(n == len + forms[i].hlen && out[0] == 0x82 &&
		    out[1] == forms[i].b1 && l == len &&
		    memcmp(out + forms[i].hlen - 4, mask, 4) == 0, "%s", what);
		/* Round trip: unmask and compare. */
		ok = 1;
		for (j = 0; j < len; j++)
			if ((out[forms[i].hlen + j] ^ mask[j & 3]) != payload[j])
				ok = 0;
		tap_ok(ok, "frame: %zu bytes unmask back to the payload", len);
	}

	n = wsproto_close_payload(cp, 1000, "bye");
	tap_ok(n == 5 && memcmp(cp, "\x03\xe8" "bye", 5) == 0,
	    "close payload: code big-endian, then the reason");
	n = wsproto_close_payload(cp, 1001, NULL);
	tap_ok(n == 2 && cp[0] == 0x03 && cp[1] == 0xe9,
	    "close payload: a NULL reason, code only");
	memset(payload, 'r', 200);
	payload[200] = '\0';
	n = wsproto_close_payload(cp, 1000, (const char *)payload);
	tap_is_int((long long)n, 125, "close payload: a long reason is cut to "
	    "125 bytes in all");
	/* 122 ASCII bytes, then a 2-byte character straddling the cut. */
	memset(payload, 'r', 122);
	memcpy(payload + 122, "\xc3\xa9zz", 5);
	n = wsproto_close_payload(cp, 1000, (const char *)payload);
	tap_is_int((long long)n, 124, "close payload: never cut inside a "
	    "UTF-8 character");
	n = wsproto_frame(out, WSPROTO_CLOSE, cp, n, mask);
	tap_ok(n == 124 + 6 && out[0] == 0x88,
	    "frame: a close frame of the payload");
	free(out);
	free(payload);
}

int
main(void)
{
	test_sha1();
	test_base64();
	test_key_accept();
	test_request();
	test_reply_good();
	test_reply_variants();
	test_reply_refused();
	test_reply_limit();
	test_rx_rfc();
	test_rx_close();
	test_rx_errors();
	test_rx_splits();
	test_rx_ping_inside();
	test_frame();
	return tap_done();
}
