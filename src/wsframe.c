/*
 * wsframe.c: client-side WebSocket framing and handshake (see wsframe.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "wsframe.h"

#define WSF_GUID	"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

void
wsframe_reader_init(struct wsframe_reader *r, const struct wsframe_events *ev,
    void *arg)
{
	memset(r, 0, sizeof *r);
	r->state = WSF_HEAD;
	if (ev != NULL)
		r->ev = *ev;
	r->arg = arg;
}

static int
wsframe_fail(struct wsframe_reader *r, const char *why)
{
	r->state = WSF_FAILED;
	snprintf(r->error, sizeof r->error, "%s", why);
	return -1;
}

/* Bytes the header needs in all, once its first two are in. */
static size_t
wsframe_head_need(const unsigned char *h)
{
	size_t	n = 2, l = h[1] & 0x7f;

	if (l == 126)
		n += 2;
	else if (l == 127)
		n += 8;
	if (h[1] & 0x80)
		n += 4;
	return n;
}

/* A whole header is in r->head: check it and start the payload. */
static int
wsframe_head_done(struct wsframe_reader *r)
{
	const unsigned char	*h = r->head;
	uint64_t		 len = h[1] & 0x7f;
	int			 op = h[0] & 0x0f, i;

	if (h[0] & 0x70)
		return wsframe_fail(r, "a frame with reserved bits set (no "
		    "extension was agreed)");
	if (h[1] & 0x80)
		return wsframe_fail(r, "a masked frame from the server");
	if (len == 126)
		len = (uint64_t)h[2] << 8 | h[3];
	else if (len == 127) {
		if (h[2] & 0x80)
			return wsframe_fail(r, "a frame length over 2^63");
		for (len = 0, i = 2; i < 10; i++)
			len = len << 8 | h[i];
	}
	r->opcode = op;
	r->fin = (h[0] & 0x80) != 0;
	r->left = len;
	r->headlen = 0;
	r->ctllen = 0;
	switch (op) {
	case WSF_OP_CLOSE:
	case WSF_OP_PING:
	case WSF_OP_PONG:
		if (!r->fin)
			return wsframe_fail(r, "a fragmented control frame");
		if (len > WSF_CONTROL_MAX)
			return wsframe_fail(r, "a control frame over 125 "
			    "bytes");
		break;
	case WSF_OP_TEXT:
	case WSF_OP_BINARY:
		if (r->in_message)
			return wsframe_fail(r, "a new message inside a "
			    "fragmented one");
		r->in_message = !r->fin;
		break;
	case WSF_OP_CONT:
		if (!r->in_message)
			return wsframe_fail(r, "a continuation frame with no "
			    "message to continue");
		r->in_message = !r->fin;
		break;
	default:
		return wsframe_fail(r, "a frame with an unknown opcode");
	}
	r->state = WSF_PAYLOAD;
	return 0;
}

/* A control frame's payload is all in r->ctl. */
static void
wsframe_control_done(struct wsframe_reader *r)
{
	unsigned	code = 0;

	switch (r->opcode) {
	case WSF_OP_PING:
		if (r->ev.on_ping != NULL)
			r->ev.on_ping(r->arg, r->ctl, r->ctllen);
		break;
	case WSF_OP_CLOSE:
		r->state = WSF_CLOSED;
		if (r->ctllen >= 2)
			code = (unsigned)r->ctl[0] << 8 | r->ctl[1];
		if (r->ev.on_close != NULL)
			r->ev.on_close(r->arg, code, r->ctllen > 2 ?
			    (const char *)r->ctl + 2 : "", r->ctllen > 2 ?
			    r->ctllen - 2 : 0);
		break;
	default:		/* a pong: nothing to do */
		break;
	}
}

int
wsframe_feed(struct wsframe_reader *r, const void *buf, size_t len)
{
	const unsigned char	*p = buf, *end = p + len;
	size_t			 n, need;
	int			 data;

	while (p < end || (r->state == WSF_PAYLOAD && r->left == 0)) {
		if (r->state == WSF_FAILED)
			return -1;
		if (r->state == WSF_CLOSED)
			return 0;
		if (r->state == WSF_HEAD) {
			need = r->headlen < 2 ? 2 : wsframe_head_need(r->head);
			n = (size_t)(end - p);
			if (n > need - r->headlen)
				n = need - r->headlen;
			memcpy(r->head + r->headlen, p, n);
			r->headlen += n;
			p += n;
			/* Short, or the first two bytes tell it is longer. */
			if (r->headlen < need ||
			    r->headlen < wsframe_head_need(r->head))
				continue;
			if (wsframe_head_done(r) != 0)
				return -1;
			continue;
		}
		/* WSF_PAYLOAD */
		data = r->opcode == WSF_OP_TEXT || r->opcode == WSF_OP_BINARY ||
		    r->opcode == WSF_OP_CONT;
		n = (size_t)(end - p);
		if ((uint64_t)n > r->left)
			n = (size_t)r->left;
		if (data) {
			r->left -= n;
			if (r->ev.on_data != NULL && (n > 0 ||
			    (r->left == 0 && r->fin)))
				r->ev.on_data(r->arg, (const char *)p, n,
				    r->left == 0 && r->fin);
		} else {
			memcpy(r->ctl + r->ctllen, p, n);
			r->ctllen += n;
			r->left -= n;
		}
		p += n;
		if (r->left == 0) {
			r->state = WSF_HEAD;
			if (!data)
				wsframe_control_done(r);
		}
	}
	return r->state == WSF_FAILED ? -1 : 0;
}

size_t
wsframe_header(unsigned char *head, int opcode, uint64_t len,
    const unsigned char mask[4])
{
	size_t	n = 2;
	int	i;

	head[0] = (unsigned char)(0x80 | (opcode & 0x0f));
	if (len < 126)
		head[1] = (unsigned char)(0x80 | len);
	else if (len <= 0xffff) {
		head[1] = 0x80 | 126;
		head[2] = (unsigned char)(len >> 8);
		head[3] = (unsigned char)len;
		n = 4;
	} else {
		head[1] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			head[2 + i] = (unsigned char)(len >> (56 - 8 * i));
		n = 10;
	}
	memcpy(head + n, mask, 4);
	return n + 4;
}

void
wsframe_mask(unsigned char *p, size_t len, const unsigned char mask[4])
{
	size_t	i;

	for (i = 0; i < len; i++)
		p[i] ^= mask[i & 3];
}

void
wsframe_accept(const char *key, char out[29])
{
	unsigned char	md[SHA_DIGEST_LENGTH];
	char		in[64];
	int		n;

	n = snprintf(in, sizeof in, "%s%s", key, WSF_GUID);
	if (n < 0 || (size_t)n >= sizeof in)
		n = 0;
	SHA1((const unsigned char *)in, (size_t)n, md);
	EVP_EncodeBlock((unsigned char *)out, md, SHA_DIGEST_LENGTH);
	out[28] = '\0';
}

size_t
wsframe_request(char *buf, size_t bufsz, const char *host, const char *path,
    const char *key)
{
	int	n;

	n = snprintf(buf, bufsz,
	    "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Origin: %s\r\n"
	    "\r\n", path, host, key, host);
	if (n < 0 || (size_t)n >= bufsz)
		return 0;
	return (size_t)n;
}

/* Does the comma-separated header value v (length n) list token? */
static int
wsframe_has_token(const char *v, size_t n, const char *token)
{
	size_t	tl = strlen(token), i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp(v + s, token, tl) == 0)
			return 1;
	}
	return 0;
}

long
wsframe_response(const char *buf, size_t len, const char *key, char *why,
    size_t whysz)
{
	const char	*end = NULL, *line, *eol, *colon, *v;
	char		 want[29];
	size_t		 i, vn;
	int		 upgrade = 0, connection = 0, accept = 0;

	for (i = 0; i + 3 < len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i + 4;
			break;
		}
	if (end == NULL)
		return 0;
	eol = memchr(buf, '\r', (size_t)(end - buf));
	if (eol - buf < 12 || strncmp(buf, "HTTP/1.1 ", 9) != 0 ||
	    strncmp(buf + 9, "101", 3) != 0 ||
	    (eol - buf > 12 && buf[12] != ' ')) {
		snprintf(why, whysz, "the server answered \"%.*s\", not 101 "
		    "Switching Protocols", (int)(eol - buf > 80 ? 80 :
		    eol - buf), buf);
		return -1;
	}
	wsframe_accept(key, want);
	for (line = eol + 2; line < end - 2; line = eol + 2) {
		eol = memchr(line, '\r', (size_t)(end - line));
		if ((colon = memchr(line, ':', (size_t)(eol - line))) == NULL)
			continue;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		vn = (size_t)(eol - v);
		while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
			vn--;
#define WSF_IS(name) ((size_t)(colon - line) == sizeof name - 1 && \
	strncasecmp(line, name, sizeof name - 1) == 0)
		if (WSF_IS("Upgrade"))
			upgrade |= wsframe_has_token(v, vn, "websocket");
		else if (WSF_IS("Connection"))
			connection |= wsframe_has_token(v, vn, "upgrade");
		else if (WSF_IS("Sec-WebSocket-Accept"))
			accept = vn == 28 && memcmp(v, want, 28) == 0 ? 1 : -1;
#undef WSF_IS
	}
	if (!upgrade || !connection) {
		snprintf(why, whysz, "the server's 101 reply has no \"%s\" "
		    "header", !upgrade ? "Upgrade: websocket" :
		    "Connection: Upgrade");
		return -1;
	}
	if (accept != 1) {
		snprintf(why, whysz, "the server's Sec-WebSocket-Accept is "
		    "%s", accept == 0 ? "missing" : "wrong for our key");
		return -1;
	}
	return (long)(end - buf);
}
