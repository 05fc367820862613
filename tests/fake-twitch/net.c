/*
 * net.c: fake-twitch's sockets (see net.h).
 *
 * libwebsockets runs on the libuv loop as a foreign loop and serves four
 * vhosts on 127.0.0.1: "chat-ws", "chat-wss", "http" and "https" (the TLS
 * ones only with --tls). One protocol callback handles them all: WebSocket
 * connections on the chat vhosts, HTTP requests on the http vhosts. The
 * plain IRC port and the admin port are libuv TCP servers.
 *
 * A connection keeps a ring of shared lines (struct fline). WebSocket
 * connections send one line per text frame, as Twitch does; TCP ones
 * gather up to NET_WRITEV lines per uv_write.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <libwebsockets.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fline.h"
#include "http.h"
#include "net.h"

#define NET_RBUF	8192		/* longest line a client may send */
#define NET_WRITEV	128		/* lines per uv_write */
#define NET_WS_BATCH	(256 * 1024)	/* frame bytes per write */
#define NET_HTTP_BODY	(1024 * 1024)	/* largest request body */
#define NET_TICK_MS	20
#define NET_LINGER_MS	1000		/* a graceful close waits this for the peer */

struct net_conn {
	enum net_kind	 kind;
	unsigned	 id;
	int		 tls;
	char		 name[24];
	void		*owner;		/* chat or control state */

	int		 lws;		/* served by lws (wss) */
	struct lws	*wsi;		/* when lws */
	uv_tcp_t	 tcp;		/* otherwise */
	int		 ws;		/* our own WebSocket over tcp (ws://) */
	int		 ws_open;	/* handshake done */
	unsigned char	*wsin;		/* unparsed frame bytes */
	size_t		 wsin_len;
	char		*wbuf;		/* frames under way in uv_write */
	uv_write_t	 wr;
	struct fline	*wlines[NET_WRITEV];
	int		 nwlines;	/* lines in the uv_write under way */

	struct fline	**q;		/* ring of queued lines */
	size_t		 qhead, qlen, qcap;

	char		 rbuf[NET_RBUF];
	size_t		 rlen;
	int		 rskip;		/* discarding an over-long line */

	int		 closing;	/* 1 graceful, 2 abrupt */
	int		 closed;	/* owner told; only the transport left */
	uint64_t	 stall_until;	/* uv_now() ms; 0: not stalled */
	uint64_t	 close_at;	/* uv_now() ms; 0: not scheduled */
	uv_shutdown_t	 shut;
	int		 lingering;	/* FIN sent, draining the peer */
	uint64_t	 linger_until;	/* uv_now() ms */

	struct net_conn	*prev, *next;
};

struct net_http {
	char		 method[8];
	char		 path[512];
	char		 query[8192];	/* 100 logins fit, as Helix takes */
	char		*authorization;
	char		*client_id;
	char		*content_type;
	char		*body;
	size_t		 body_len;
	int		 want_body;
	struct fake_http_resp resp;
	size_t		 sent;
	int		 have_resp;
};

/* Per-session data of lws: one or the other, by vhost. */
struct net_pss {
	struct net_conn	*conn;
	struct net_http	*http;
};

static struct {
	uv_loop_t		*loop;
	struct fake_world	*world;
	struct net_opts		 opts;
	struct lws_context	*lws;
	struct lws_vhost	*vh_wss, *vh_http, *vh_https;
	uv_tcp_t		 ws_listen, irc_listen, admin_listen;
	int			 ws_port, irc_port, admin_port;
	int			 have_admin;
	uv_timer_t		 tick;
	struct net_conn		*conns;
	unsigned		 next_id;
	int			 stopping;
	struct net_stats	 stats;
} net;

static void	net_tcp_flush(struct net_conn *);
static void	net_ws_input(struct net_conn *, const char *, size_t);
static void	net_conn_free(struct net_conn *);

uint64_t
net_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct net_conn *
net_conn_new(enum net_kind kind, int tls)
{
	struct net_conn	*c;
	const char	*what;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		fputs("fake-twitch: out of memory (conn)\n", stderr);
		abort();
	}
	c->kind = kind;
	c->tls = tls;
	c->id = ++net.next_id;
	what = kind == NET_WS ? (tls ? "wss" : "ws") :
	    kind == NET_IRC ? "irc" : "admin";
	snprintf(c->name, sizeof c->name, "%s#%u", what, c->id);
	c->next = net.conns;
	if (net.conns != NULL)
		net.conns->prev = c;
	net.conns = c;
	if (kind != NET_ADMIN) {
		net.stats.conns_total++;
		net.stats.conns_now++;
	}
	return c;
}

/* Tell the owner once that the connection is gone. */
static void
net_conn_gone(struct net_conn *c)
{
	if (c->closed)
		return;
	c->closed = 1;
	if (c->owner != NULL) {
		if (c->kind == NET_ADMIN)
			control_closed(c->owner);
		else
			chat_closed(c->owner);
	}
	c->owner = NULL;
	if (c->kind != NET_ADMIN)
		net.stats.conns_now--;
}

static void
net_conn_free(struct net_conn *c)
{
	int	i;

	net_conn_gone(c);
	while (c->qlen > 0) {
		fline_unref(c->q[c->qhead]);
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
	}
	for (i = 0; i < c->nwlines; i++)
		fline_unref(c->wlines[i]);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		net.conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c->q);
	free(c->wsin);
	free(c->wbuf);
	free(c);
}

unsigned
net_conn_id(const struct net_conn *c)
{
	return c->id;
}

enum net_kind
net_conn_kind(const struct net_conn *c)
{
	return c->kind;
}

const char *
net_conn_name(const struct net_conn *c)
{
	return c->name;
}

size_t
net_conn_queued(const struct net_conn *c)
{
	return c->qlen;
}

const struct net_stats *
net_get_stats(void)
{
	return &net.stats;
}

void
net_foreach_chat(void (*fn)(struct net_conn *, void *), void *arg)
{
	struct net_conn	*c, *next;

	for (c = net.conns; c != NULL; c = next) {
		next = c->next;
		if (c->kind != NET_ADMIN && !c->closing && !c->closed)
			fn(c, arg);
	}
}

static int
net_stalled(struct net_conn *c)
{
	return c->stall_until != 0;
}

/* Ask the transport to write what is queued. */
static void
net_kick(struct net_conn *c)
{
	if (net_stalled(c))
		return;
	if (c->lws) {
		if (c->wsi != NULL)
			lws_callback_on_writable(c->wsi);
	} else
		net_tcp_flush(c);
}

void
net_conn_send(struct net_conn *c, struct fline *f)
{
	struct fline	**nq;
	size_t		 ncap, i;

	if (c->closing || c->closed)
		return;
	if (c->qlen == c->qcap) {
		if (c->qcap >= net.opts.max_queue) {
			fprintf(stderr, "fake-twitch: %s: %zu lines queued, "
			    "dropping a client too slow to read\n", c->name,
			    c->qlen);
			net_conn_close(c, 1);
			return;
		}
		ncap = c->qcap == 0 ? 64 : c->qcap * 2;
		if ((nq = malloc(ncap * sizeof *nq)) == NULL) {
			fputs("fake-twitch: out of memory (queue)\n", stderr);
			abort();
		}
		for (i = 0; i < c->qlen; i++)
			nq[i] = c->q[(c->qhead + i) % c->qcap];
		free(c->q);
		c->q = nq;
		c->qcap = ncap;
		c->qhead = 0;
	}
	fline_ref(f);
	c->q[(c->qhead + c->qlen) % c->qcap] = f;
	c->qlen++;
	/* The WebSocket writeable request is cheap and idempotent; TCP
	 * writes are gathered on the next tick of the writer. */
	if (c->qlen == 1 || c->lws)
		net_kick(c);
}

void
net_conn_sendf(struct net_conn *c, const char *fmt, ...)
{
	va_list		 ap;
	struct fline	*f;

	va_start(ap, fmt);
	f = fline_vprintf(fmt, ap);
	va_end(ap);
	net_conn_send(c, f);
	fline_unref(f);
}

static struct fline *
net_pop(struct net_conn *c)
{
	struct fline	*f;

	f = c->q[c->qhead];
	c->qhead = (c->qhead + 1) % c->qcap;
	c->qlen--;
	return f;
}

static void
net_tcp_closed(uv_handle_t *h)
{
	net_conn_free(h->data);
}

static void
net_tcp_close_now(struct net_conn *c)
{
	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	net_conn_gone(c);
	uv_close((uv_handle_t *)&c->tcp, net_tcp_closed);
}

static void	net_tcp_alloc(uv_handle_t *, size_t, uv_buf_t *);
static void	net_tcp_read(uv_stream_t *, ssize_t, const uv_buf_t *);

static void
net_tcp_shut(uv_shutdown_t *r, int status)
{
	(void)r;
	(void)status;		/* the peer's EOF or the linger time ends it */
}

/*
 * A graceful end over plain TCP: FIN after what was written, then read and
 * drop what the peer still sends until it closes or NET_LINGER_MS pass.
 * Closing at once answers the peer's late bytes (a PASS right after a
 * refused NICK) with a RST, and a RST makes the peer's kernel throw away
 * what we sent last and it had not read yet: the NOTICE saying why.
 */
static void
net_tcp_linger(struct net_conn *c)
{
	if (c->closing != 1) {
		net_tcp_close_now(c);
		return;
	}
	if (c->lingering)
		return;
	c->lingering = 1;
	c->linger_until = uv_now(net.loop) + NET_LINGER_MS;
	c->shut.data = c;
	if (uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp, net_tcp_shut) != 0) {
		net_tcp_close_now(c);
		return;
	}
	/* A stall may have stopped reading; the EOF must be seen. */
	uv_read_start((uv_stream_t *)&c->tcp, net_tcp_alloc, net_tcp_read);
}

void
net_conn_close(struct net_conn *c, int abrupt)
{
	if (c->closed)
		return;
	if (c->closing && !(abrupt && c->closing == 1))
		return;
	c->closing = abrupt ? 2 : 1;
	fprintf(stderr, "fake-twitch: %s: closing%s\n", c->name,
	    abrupt ? " abruptly" : "");
	if (c->lws) {
		if (c->wsi == NULL)
			return;
		if (abrupt) {
			/* No close frame: the peer sees the TCP stream end. */
			shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    LWS_TO_KILL_ASYNC);
		} else {
			c->stall_until = 0;
			lws_callback_on_writable(c->wsi);
		}
		return;
	}
	if (!abrupt && c->ws && c->ws_open) {
		struct fline	*f = fline_new("\x03\xe8", 2);

		/* A close frame, status 1000, after what is queued. */
		f->ws_op = 0x88;
		c->closing = 0;
		net_conn_send(c, f);
		c->closing = 1;
		fline_unref(f);
	}
	if (abrupt)
		net_tcp_close_now(c);
	else if (c->qlen == 0 && c->nwlines == 0 && c->wbuf == NULL)
		net_tcp_linger(c);
	else {
		c->stall_until = 0;
		net_tcp_flush(c);
	}
}

void
net_conn_close_later(struct net_conn *c, unsigned ms)
{
	if (c->closing || c->closed)
		return;
	c->close_at = uv_now(net.loop) + (ms == 0 ? 1 : ms);
}

void
net_conn_stall(struct net_conn *c, unsigned ms)
{
	if (c->closing || c->closed)
		return;
	c->stall_until = uv_now(net.loop) + (ms == 0 ? 1 : ms);
	if (c->lws) {
		if (c->wsi != NULL)
			lws_rx_flow_control(c->wsi, 0);
	} else
		uv_read_stop((uv_stream_t *)&c->tcp);
}

/* Split received bytes into lines for the owner. final: the end of a
 * WebSocket message, which also ends a line. */
static void
net_feed(struct net_conn *c, const char *p, size_t len, int final)
{
	size_t	 i;
	char	 ch;

	for (i = 0; i < len && !c->closed; i++) {
		ch = p[i];
		if (ch == '\n' || ch == '\r') {
			if (!c->rskip && c->rlen > 0) {
				c->rbuf[c->rlen] = '\0';
				if (c->kind == NET_ADMIN)
					control_line(c->owner, c->rbuf, c->rlen);
				else if (!c->closing)
					chat_line(c->owner, c->rbuf, c->rlen);
			}
			c->rlen = 0;
			c->rskip = 0;
			continue;
		}
		if (c->rskip)
			continue;
		if (c->rlen + 1 >= sizeof c->rbuf) {
			fprintf(stderr, "fake-twitch: %s: line over %zu bytes "
			    "dropped\n", c->name, sizeof c->rbuf);
			c->rskip = 1;
			c->rlen = 0;
			continue;
		}
		c->rbuf[c->rlen++] = ch;
	}
	if (final && !c->closed)
		net_feed(c, "\n", 1, 0);
}

/* ---- WebSocket and HTTP through libwebsockets ---- */

/*
 * Write queued lines as WebSocket text frames, one line per frame as
 * Twitch sends them, but many frames per write: the frames are built here
 * and go out in one LWS_WRITE_RAW, so one WRITEABLE callback makes one
 * write (lws keeps any unsent tail and calls back when it has gone).
 */
static int
net_ws_write(struct net_conn *c, struct lws *wsi)
{
	static unsigned char	 batch[LWS_PRE + NET_WS_BATCH];
	unsigned char		*p = batch + LWS_PRE;
	struct fline		*f;
	size_t			 n = 0, hdr;

	if (net_stalled(c) && !c->closing)
		return 0;
	while (c->qlen > 0) {
		f = c->q[c->qhead];
		hdr = f->len < 126 ? 2 : f->len < 65536 ? 4 : 10;
		if (n + hdr + f->len > NET_WS_BATCH) {
			if (n > 0)
				break;
			/* Larger than a batch by itself: cut (the
			 * longline fault stays under it). */
			fline_unref(net_pop(c));
			continue;
		}
		p[n++] = 0x81;		/* FIN, text */
		if (hdr == 2)
			p[n++] = (unsigned char)f->len;
		else if (hdr == 4) {
			p[n++] = 126;
			p[n++] = (unsigned char)(f->len >> 8);
			p[n++] = (unsigned char)f->len;
		} else {
			int	i;

			p[n++] = 127;
			for (i = 7; i >= 0; i--)
				p[n++] = (unsigned char)((uint64_t)f->len >>
				    (i * 8));
		}
		memcpy(p + n, f->data, f->len);
		n += f->len;
		net.stats.lines_sent++;
		net.stats.bytes_sent += f->len;
		fline_unref(net_pop(c));
	}
	if (n > 0) {
		if (lws_write(wsi, p, n, LWS_WRITE_RAW) < 0) {
			fprintf(stderr, "fake-twitch: %s: write failed\n",
			    c->name);
			return -1;
		}
		if (c->qlen > 0 || c->closing)
			lws_callback_on_writable(wsi);
		return 0;
	}
	if (c->closing) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;
	}
	return 0;
}

static void
net_http_free(struct net_http *h)
{
	if (h == NULL)
		return;
	free(h->authorization);
	free(h->client_id);
	free(h->content_type);
	free(h->body);
	free(h->resp.body);
	free(h);
}

static char *
net_hdr(struct lws *wsi, enum lws_token_indexes t)
{
	int	 n;
	char	*s;

	if ((n = lws_hdr_total_length(wsi, t)) <= 0)
		return NULL;
	if ((s = malloc((size_t)n + 1)) == NULL)
		abort();
	if (lws_hdr_copy(wsi, s, n + 1, t) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

static char *
net_hdr_custom(struct lws *wsi, const char *name)
{
	int	 n, nl = (int)strlen(name);
	char	*s;

	if ((n = lws_hdr_custom_length(wsi, name, nl)) <= 0)
		return NULL;
	if ((s = malloc((size_t)n + 1)) == NULL)
		abort();
	if (lws_hdr_custom_copy(wsi, s, n + 1, name, nl) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* Append s to the query in percent-encoded form: lws hands the arguments
 * out decoded, the handlers want them as they were on the wire. */
static void
net_query_add(char *q, size_t qsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t	 ql = strlen(q), i;
	unsigned char ch;

	for (i = 0; i < len && ql + 4 < qsz; i++) {
		ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch) != NULL)
			q[ql++] = (char)ch;
		else {
			q[ql++] = '%';
			q[ql++] = hex[ch >> 4];
			q[ql++] = hex[ch & 15];
		}
	}
	q[ql] = '\0';
}

static void
net_http_query(struct lws *wsi, struct net_http *h)
{
	char	 frag[1024], *eq;
	int	 i, n;
	size_t	 ql;

	h->query[0] = '\0';
	for (i = 0; i < 128; i++) {
		n = lws_hdr_copy_fragment(wsi, frag, sizeof frag,
		    WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n <= 0)
			break;
		ql = strlen(h->query);
		if (ql > 0 && ql + 1 < sizeof h->query) {
			h->query[ql] = '&';
			h->query[ql + 1] = '\0';
		}
		if ((eq = strchr(frag, '=')) == NULL)
			net_query_add(h->query, sizeof h->query, frag,
			    strlen(frag));
		else {
			net_query_add(h->query, sizeof h->query, frag,
			    (size_t)(eq - frag));
			ql = strlen(h->query);
			if (ql + 1 < sizeof h->query) {
				h->query[ql] = '=';
				h->query[ql + 1] = '\0';
			}
			net_query_add(h->query, sizeof h->query, eq + 1,
			    strlen(eq + 1));
		}
	}
}

static const struct {
	enum lws_token_indexes	 tok;
	const char		*method;
} net_methods[] = {
	{ WSI_TOKEN_GET_URI, "GET" },
	{ WSI_TOKEN_POST_URI, "POST" },
	{ WSI_TOKEN_PUT_URI, "PUT" },
	{ WSI_TOKEN_PATCH_URI, "PATCH" },
	{ WSI_TOKEN_DELETE_URI, "DELETE" },
};

/* Run the handler and send the status line and headers. */
static int
net_http_respond(struct lws *wsi, struct net_http *h)
{
	struct fake_http_req	 req;
	unsigned char		 buf[LWS_PRE + 4096], *start, *p, *end;
	const char		*ctype;
	int			 i;

	memset(&req, 0, sizeof req);
	req.method = h->method;
	req.path = h->path;
	req.query = h->query;
	req.authorization = h->authorization;
	req.client_id = h->client_id;
	req.content_type = h->content_type;
	req.body = h->body != NULL ? h->body : "";
	req.body_len = h->body_len;
	req.now_ms = net_now_ms();
	memset(&h->resp, 0, sizeof h->resp);
#ifdef FAKE_HAVE_HTTP
	fake_http_dispatch(net.world, &req, &h->resp);
#else
	/* Built without the Helix/OAuth half (mk/fakehttp.am). */
	h->resp.status = 503;
	if ((h->resp.body = strdup("{\"error\":\"Service Unavailable\","
	    "\"status\":503,\"message\":\"fake-twitch was built without "
	    "its Helix/OAuth half\"}")) == NULL)
		abort();
	h->resp.body_len = strlen(h->resp.body);
#endif
	h->have_resp = 1;
	net.stats.http_requests++;
	fprintf(stderr, "fake-twitch: http %s %s -> %d\n", h->method, h->path,
	    h->resp.status);

	start = p = buf + LWS_PRE;
	end = buf + sizeof buf - 1;
	ctype = h->resp.content_type != NULL ? h->resp.content_type :
	    "application/json";
	if (lws_add_http_common_headers(wsi, (unsigned)h->resp.status, ctype,
	    h->resp.body_len, &p, end))
		return -1;
	for (i = 0; i < h->resp.nheaders && i < FAKE_HTTP_MAX_HEADERS; i++) {
		char	name[80];

		snprintf(name, sizeof name, "%s:", h->resp.headers[i].name);
		if (lws_add_http_header_by_name(wsi, (unsigned char *)name,
		    (unsigned char *)h->resp.headers[i].value,
		    (int)strlen(h->resp.headers[i].value), &p, end))
			return -1;
	}
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	if (h->resp.body_len == 0)
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	lws_callback_on_writable(wsi);
	return 0;
}

static int
net_http_write(struct lws *wsi, struct net_http *h)
{
	unsigned char	*tmp;
	size_t		 left;
	int		 n;

	if (!h->have_resp || h->sent >= h->resp.body_len)
		return 0;
	left = h->resp.body_len - h->sent;
	if ((tmp = malloc(LWS_PRE + left)) == NULL)
		abort();
	memcpy(tmp + LWS_PRE, h->resp.body + h->sent, left);
	n = lws_write(wsi, tmp + LWS_PRE, left, LWS_WRITE_HTTP_FINAL);
	free(tmp);
	if (n < 0)
		return -1;
	h->sent = h->resp.body_len;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int
net_http_start(struct lws *wsi, struct net_pss *pss, const char *uri)
{
	struct net_http	*h;
	char		*cl;
	size_t		 i;

	net_http_free(pss->http);
	if ((h = pss->http = calloc(1, sizeof *h)) == NULL)
		abort();
	snprintf(h->method, sizeof h->method, "GET");
	for (i = 0; i < sizeof net_methods / sizeof net_methods[0]; i++)
		if (lws_hdr_total_length(wsi, net_methods[i].tok) > 0) {
			snprintf(h->method, sizeof h->method, "%s",
			    net_methods[i].method);
			break;
		}
	snprintf(h->path, sizeof h->path, "%s", uri);
	net_http_query(wsi, h);
	h->authorization = net_hdr(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	h->content_type = net_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
	h->client_id = net_hdr_custom(wsi, "client-id:");
	if (lws_get_vhost(wsi) == net.vh_wss) {
		/* The chat endpoints speak only WebSocket. */
		lws_return_http_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL);
		return -1;
	}
	cl = net_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
	h->want_body = (cl != NULL && strcmp(cl, "0") != 0) ||
	    lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
	free(cl);
	if (h->want_body)
		return 0;	/* wait for HTTP_BODY_COMPLETION */
	return net_http_respond(wsi, h);
}

static int
net_http_body(struct net_http *h, const void *in, size_t len)
{
	char	*nb;

	if (h == NULL)
		return -1;
	if (h->body_len + len > NET_HTTP_BODY)
		return -1;
	if ((nb = realloc(h->body, h->body_len + len + 1)) == NULL)
		abort();
	h->body = nb;
	memcpy(h->body + h->body_len, in, len);
	h->body_len += len;
	h->body[h->body_len] = '\0';
	return 0;
}

static int
net_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct net_pss	*pss = user;
	struct net_conn	*c;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		c = net_conn_new(NET_WS, 1);
		c->lws = 1;
		c->wsi = wsi;
		pss->conn = c;
		fprintf(stderr, "fake-twitch: %s: open\n", c->name);
		c->owner = chat_open(c);
		break;
	case LWS_CALLBACK_RECEIVE:
		if ((c = pss->conn) == NULL || c->closed)
			break;
		net_feed(c, in, len, lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if ((c = pss->conn) == NULL)
			break;
		return net_ws_write(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if ((c = pss->conn) != NULL)
			fprintf(stderr, "fake-twitch: %s: close frame from the "
			    "peer\n", c->name);
		break;
	case LWS_CALLBACK_CLOSED:
		if ((c = pss->conn) == NULL)
			break;
		fprintf(stderr, "fake-twitch: %s: closed\n", c->name);
		c->wsi = NULL;
		pss->conn = NULL;
		net_conn_free(c);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* WebSocket only on the chat vhosts. */
		if (lws_get_vhost(wsi) != net.vh_wss)
			return -1;
		break;
	case LWS_CALLBACK_HTTP:
		return net_http_start(wsi, pss, in);
	case LWS_CALLBACK_HTTP_BODY:
		if (pss == NULL || pss->http == NULL)
			return -1;
		return net_http_body(pss->http, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (pss->http == NULL)
			return -1;
		return net_http_respond(wsi, pss->http);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (pss->http == NULL)
			break;
		return net_http_write(wsi, pss->http);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		/* lws closes a request it refused itself (too many query
		 * arguments, say) before any session data exists. */
		if (pss == NULL)
			break;
		net_http_free(pss->http);
		pss->http = NULL;
		break;
	default:
		break;
	}
	return 0;
}

/* Named "irc" so a client asking for that subprotocol (tmi.js does) gets
 * it; a client asking for none gets it too, as the first protocol. */
static const struct lws_protocols net_protocols[] = {
	{ "irc", net_callback, sizeof(struct net_pss), NET_RBUF, 0, NULL,
	    NET_WS_BATCH },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static struct lws_vhost *
net_vhost(const char *name, int tls, char *err, size_t errsz)
{
	struct lws_context_creation_info	 info;
	struct lws_vhost			*vh;

	memset(&info, 0, sizeof info);
	info.vhost_name = name;
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = net_protocols;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.keepalive_timeout = 5;
	info.timeout_secs = 10;
	if (tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = net.opts.cert;
		info.ssl_private_key_filepath = net.opts.key;
		info.alpn = "http/1.1";
	}
	if ((vh = lws_create_vhost(net.lws, &info)) == NULL) {
		snprintf(err, errsz, "cannot listen for %s on 127.0.0.1%s",
		    name, tls ? " (check the --tls certificate and key)" : "");
		return NULL;
	}
	return vh;
}

/* ---- plain TCP: the IRC port and the admin port ---- */

static void
net_tcp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char	slab[65536];

	(void)h;
	(void)hint;
	/* One static slab: net_tcp_read consumes it before returning. */
	*buf = uv_buf_init(slab, sizeof slab);
}

static void
net_tcp_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct net_conn	*c = s->data;

	if (n < 0) {
		fprintf(stderr, "fake-twitch: %s: closed by the peer\n",
		    c->name);
		net_tcp_close_now(c);
		return;
	}
	if (c->lingering)
		return;		/* closing: what comes now is dropped */
	if (n > 0 && c->ws)
		net_ws_input(c, buf->base, (size_t)n);
	else if (n > 0)
		net_feed(c, buf->base, (size_t)n, 0);
}

static void
net_tcp_written(uv_write_t *w, int status)
{
	struct net_conn	*c = w->data;
	int		 i;

	for (i = 0; i < c->nwlines; i++)
		fline_unref(c->wlines[i]);
	c->nwlines = 0;
	free(c->wbuf);
	c->wbuf = NULL;
	if (status < 0) {
		net_tcp_close_now(c);
		return;
	}
	net_tcp_flush(c);
}

/* WebSocket frames for up to NET_WRITEV queued lines, in one buffer. */
static size_t
net_ws_frames(struct net_conn *c)
{
	size_t		 total = 0, n = 0, i, cnt = 0;
	struct fline	*f;
	unsigned char	*p;

	for (i = 0; i < c->qlen && cnt < NET_WRITEV; i++, cnt++) {
		f = c->q[(c->qhead + i) % c->qcap];
		total += f->len + (f->ws_op == FLINE_RAW ? 0 : 10);
	}
	if (total == 0)
		return 0;
	if ((c->wbuf = malloc(total)) == NULL)
		abort();
	p = (unsigned char *)c->wbuf;
	while (cnt-- > 0) {
		f = net_pop(c);
		if (f->ws_op != FLINE_RAW) {
			/* FIN + text, or the control frame's first byte;
			 * server frames are not masked. */
			p[n++] = f->ws_op != 0 ? f->ws_op : 0x81;
			if (f->len < 126)
				p[n++] = (unsigned char)f->len;
			else if (f->len < 65536) {
				p[n++] = 126;
				p[n++] = (unsigned char)(f->len >> 8);
				p[n++] = (unsigned char)f->len;
			} else {
				p[n++] = 127;
				for (i = 8; i-- > 0;)
					p[n++] = (unsigned char)
					    ((uint64_t)f->len >> (i * 8));
			}
			net.stats.lines_sent += f->ws_op == 0;
		}
		memcpy(p + n, f->data, f->len);
		n += f->len;
		net.stats.bytes_sent += f->len;
		fline_unref(f);
	}
	return n;
}

static void
net_tcp_flush(struct net_conn *c)
{
	uv_buf_t	 bufs[NET_WRITEV];
	struct fline	*f;
	int		 n = 0;
	size_t		 len;

	if (c->nwlines > 0 || c->wbuf != NULL ||
	    uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	if (net_stalled(c) && !c->closing)
		return;
	if (c->ws && c->qlen > 0) {
		len = net_ws_frames(c);
		bufs[0] = uv_buf_init(c->wbuf, (unsigned)len);
		n = 1;
	}
	while (!c->ws && c->qlen > 0 && n < NET_WRITEV) {
		f = net_pop(c);
		c->wlines[n] = f;
		bufs[n] = uv_buf_init(f->data, (unsigned)f->len + 2);
		net.stats.lines_sent++;
		net.stats.bytes_sent += f->len + 2;
		n++;
	}
	if (n == 0) {
		if (c->closing)
			net_tcp_linger(c);
		return;
	}
	if (!c->ws)
		c->nwlines = n;
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, bufs, (unsigned)n,
	    net_tcp_written) != 0) {
		for (n = 0; n < c->nwlines; n++)
			fline_unref(c->wlines[n]);
		c->nwlines = 0;
		free(c->wbuf);
		c->wbuf = NULL;
		net_tcp_close_now(c);
	}
}

/* ---- our own WebSocket server (RFC 6455) for ws:// ----
 * lws 4.1.6 on the libuv loop stopped writing to a client whose socket
 * buffer had filled (measured above 20,000 lines/s), so the plain chat
 * port, the one the benchmarks use, is served here on libuv directly. */

static void
net_ws_raw(struct net_conn *c, const char *s, size_t len)
{
	struct fline	*f = fline_new(s, len);

	f->ws_op = FLINE_RAW;
	net_conn_send(c, f);
	fline_unref(f);
}

/* The value of header name (lower case, with colon) in req, or NULL. */
static const char *
net_ws_header(const char *req, const char *name, char *buf, size_t bufsz)
{
	const char	*p = req, *e;
	size_t		 nl = strlen(name), n;

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) != 0)
			continue;
		p += nl;
		while (*p == ' ')
			p++;
		if ((e = strstr(p, "\r\n")) == NULL)
			return NULL;
		n = (size_t)(e - p);
		if (n >= bufsz)
			n = bufsz - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

static int
net_ws_handshake(struct net_conn *c, size_t reqlen)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	char		 req[8192], key[128], proto[128], up[64], resp[512];
	char		 cat[256];
	unsigned char	 sha[SHA_DIGEST_LENGTH], acc[64];
	int		 n;

	memcpy(req, c->wsin, reqlen);
	req[reqlen] = '\0';
	if (strncmp(req, "GET ", 4) != 0 ||
	    net_ws_header(req, "upgrade:", up, sizeof up) == NULL ||
	    strcasecmp(up, "websocket") != 0 ||
	    net_ws_header(req, "sec-websocket-key:", key, sizeof key) ==
	    NULL) {
		net_ws_raw(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0"
		    "\r\nConnection: close\r\n\r\n", 66);
		return -1;
	}
	snprintf(cat, sizeof cat, "%s%s", key, guid);
	SHA1((const unsigned char *)cat, strlen(cat), sha);
	EVP_EncodeBlock(acc, sha, SHA_DIGEST_LENGTH);
	n = snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n%s\r\n", acc,
	    net_ws_header(req, "sec-websocket-protocol:", proto,
	    sizeof proto) != NULL && strstr(proto, "irc") != NULL ?
	    "Sec-WebSocket-Protocol: irc\r\n" : "");
	net_ws_raw(c, resp, (size_t)n);
	c->ws_open = 1;
	c->owner = chat_open(c);
	return 0;
}

static void
net_ws_control(struct net_conn *c, unsigned char op, const unsigned char *p,
    size_t len)
{
	struct fline	*f;

	if (op == 0x8) {		/* close: answer it, then close */
		fprintf(stderr, "fake-twitch: %s: close frame from the peer\n",
		    c->name);
		net_conn_close(c, 0);
	} else if (op == 0x9 && len <= 125) {	/* ping: pong */
		f = fline_new((const char *)p, len);
		f->ws_op = 0x8a;
		net_conn_send(c, f);
		fline_unref(f);
	}
}

/* Bytes from a ws:// client: the handshake, then masked frames. */
static void
net_ws_input(struct net_conn *c, const char *in, size_t inlen)
{
	unsigned char	*b, *pay;
	size_t		 len, h, i, used = 0;
	char		*end;

	if ((c->wsin = realloc(c->wsin, c->wsin_len + inlen + 1)) == NULL)
		abort();
	memcpy(c->wsin + c->wsin_len, in, inlen);
	c->wsin_len += inlen;
	c->wsin[c->wsin_len] = '\0';
	if (!c->ws_open) {
		if ((end = strstr((char *)c->wsin, "\r\n\r\n")) == NULL) {
			if (c->wsin_len > 8000)
				net_conn_close(c, 1);
			return;
		}
		used = (size_t)(end + 4 - (char *)c->wsin);
		if (net_ws_handshake(c, used) != 0) {
			net_conn_close(c, 0);
			return;
		}
	}
	while (!c->closed && !c->closing && c->wsin_len - used >= 2) {
		b = c->wsin + used;
		len = b[1] & 0x7f;
		h = 2;
		if (len == 126) {
			if (c->wsin_len - used < 4)
				break;
			len = (size_t)b[2] << 8 | b[3];
			h = 4;
		} else if (len == 127) {
			if (c->wsin_len - used < 10)
				break;
			for (len = 0, i = 2; i < 10; i++)
				len = len << 8 | b[i];
			h = 10;
		}
		if (!(b[1] & 0x80) || len > NET_RBUF * 8) {
			fprintf(stderr, "fake-twitch: %s: bad frame from the "
			    "client (%s)\n", c->name, !(b[1] & 0x80) ?
			    "not masked" : "too large");
			net_conn_close(c, 1);
			return;
		}
		if (c->wsin_len - used < h + 4 + len)
			break;
		pay = b + h + 4;
		for (i = 0; i < len; i++)
			pay[i] ^= b[h + (i & 3)];
		if ((b[0] & 0x0f) <= 2)
			net_feed(c, (const char *)pay, len, (b[0] & 0x80) != 0);
		else
			net_ws_control(c, b[0] & 0x0f, pay, len);
		used += h + 4 + len;
	}
	if (used > 0 && c->wsin != NULL) {
		memmove(c->wsin, c->wsin + used, c->wsin_len - used);
		c->wsin_len -= used;
	}
}

static void
net_tcp_accept(uv_stream_t *server, int status)
{
	struct net_conn	*c;
	enum net_kind	 kind;

	if (status < 0 || net.stopping)
		return;
	kind = server == (uv_stream_t *)&net.admin_listen ? NET_ADMIN :
	    server == (uv_stream_t *)&net.ws_listen ? NET_WS : NET_IRC;
	c = net_conn_new(kind, 0);
	c->ws = kind == NET_WS;
	uv_tcp_init(net.loop, &c->tcp);
	c->tcp.data = c;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
		c->closed = 1;
		if (kind != NET_ADMIN)
			net.stats.conns_now--;
		uv_close((uv_handle_t *)&c->tcp, net_tcp_closed);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	fprintf(stderr, "fake-twitch: %s: open\n", c->name);
	/* A WebSocket's owner comes once the handshake is done. */
	if (!c->ws)
		c->owner = kind == NET_ADMIN ? control_open(c) : chat_open(c);
	uv_read_start((uv_stream_t *)&c->tcp, net_tcp_alloc, net_tcp_read);
}

static int
net_tcp_listen(uv_tcp_t *t, int *port, char *err, size_t errsz)
{
	struct sockaddr_in	 sin;
	struct sockaddr_storage	 ss;
	int			 len = sizeof ss, r;

	uv_tcp_init(net.loop, t);
	uv_ip4_addr("127.0.0.1", 0, &sin);
	if ((r = uv_tcp_bind(t, (const struct sockaddr *)&sin, 0)) != 0 ||
	    (r = uv_listen((uv_stream_t *)t, 128, net_tcp_accept)) != 0 ||
	    (r = uv_tcp_getsockname(t, (struct sockaddr *)&ss, &len)) != 0) {
		snprintf(err, errsz, "cannot listen on 127.0.0.1: %s",
		    uv_strerror(r));
		return -1;
	}
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/* Resume stalled connections whose time is up. */
static void
net_tick(uv_timer_t *t)
{
	struct net_conn	*c, *next;
	uint64_t	 now = uv_now(net.loop);

	(void)t;
	for (c = net.conns; c != NULL; c = next) {
		next = c->next;
		if (c->lingering && now >= c->linger_until) {
			c->lingering = 0;
			net_tcp_close_now(c);
			continue;
		}
		if (c->close_at != 0 && now >= c->close_at) {
			c->close_at = 0;
			net_conn_close(c, 0);
			continue;
		}
		if (c->stall_until == 0 || now < c->stall_until)
			continue;
		c->stall_until = 0;
		if (c->closed || c->closing)
			continue;
		fprintf(stderr, "fake-twitch: %s: stall over\n", c->name);
		if (c->lws) {
			if (c->wsi != NULL) {
				lws_rx_flow_control(c->wsi, 1);
				lws_callback_on_writable(c->wsi);
			}
		} else {
			uv_read_start((uv_stream_t *)&c->tcp, net_tcp_alloc,
			    net_tcp_read);
			net_tcp_flush(c);
		}
	}
}

static void
net_lws_log(int level, const char *line)
{
	(void)level;
	fprintf(stderr, "fake-twitch: lws: %s", line);
}

int
net_start(uv_loop_t *loop, struct fake_world *world,
    const struct net_opts *opts, char *err, size_t errsz)
{
	struct lws_context_creation_info	 info;
	void					*loops[1];

	net.loop = loop;
	net.world = world;
	net.opts = *opts;
	if (net.opts.max_queue == 0)
		net.opts.max_queue = 1u << 20;
	if (getenv("FAKE_TWITCH_LWS_DEBUG") != NULL)
		lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE, net_lws_log);
	else
		lws_set_log_level(LLL_ERR, net_lws_log);

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (opts->cert != NULL)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.gid = -1;
	info.uid = -1;
	loops[0] = loop;
	info.foreign_loops = loops;
	if ((net.lws = lws_create_context(&info)) == NULL) {
		snprintf(err, errsz, "cannot start libwebsockets on the libuv "
		    "loop (is libwebsockets-evlib-uv installed?)");
		return -1;
	}
	if ((net.vh_http = net_vhost("http", 0, err, errsz)) == NULL)
		return -1;
	if (opts->cert != NULL &&
	    ((net.vh_wss = net_vhost("chat-wss", 1, err, errsz)) == NULL ||
	    (net.vh_https = net_vhost("https", 1, err, errsz)) == NULL))
		return -1;
	if (net_tcp_listen(&net.ws_listen, &net.ws_port, err, errsz) != 0 ||
	    net_tcp_listen(&net.irc_listen, &net.irc_port, err, errsz) != 0)
		return -1;
	if (opts->admin) {
		if (net_tcp_listen(&net.admin_listen, &net.admin_port, err,
		    errsz) != 0)
			return -1;
		net.have_admin = 1;
	}
	uv_timer_init(loop, &net.tick);
	uv_timer_start(&net.tick, net_tick, NET_TICK_MS, NET_TICK_MS);
	return 0;
}

void
net_ports(char *buf, size_t bufsz)
{
	size_t	n = 0;

#define NET_ADD(...) do {						\
	int	k_ = snprintf(buf + n, bufsz - n, __VA_ARGS__);		\
	if (k_ > 0 && (size_t)k_ < bufsz - n)				\
		n += (size_t)k_;					\
} while (0)
	buf[0] = '\0';
	NET_ADD("chat_ws=%d\n", net.ws_port);
	if (net.vh_wss != NULL)
		NET_ADD("chat_wss=%d\n", lws_get_vhost_listen_port(net.vh_wss));
	NET_ADD("irc=%d\n", net.irc_port);
	NET_ADD("http=%d\n", lws_get_vhost_listen_port(net.vh_http));
	if (net.vh_https != NULL)
		NET_ADD("https=%d\n", lws_get_vhost_listen_port(net.vh_https));
	if (net.have_admin)
		NET_ADD("admin=%d\n", net.admin_port);
#undef NET_ADD
}

void
net_stop(void)
{
	struct net_conn	*c, *next;

	if (net.stopping)
		return;
	net.stopping = 1;
	uv_timer_stop(&net.tick);
	uv_close((uv_handle_t *)&net.tick, NULL);
	if (net.ws_port != 0)
		uv_close((uv_handle_t *)&net.ws_listen, NULL);
	if (net.irc_port != 0)
		uv_close((uv_handle_t *)&net.irc_listen, NULL);
	if (net.have_admin)
		uv_close((uv_handle_t *)&net.admin_listen, NULL);
	/* Owners hear of every close now, while their state still exists;
	 * TCP connections then flush what is queued ("ok quit") and close. */
	for (c = net.conns; c != NULL; c = next) {
		next = c->next;
		net_conn_gone(c);
		if (c->lws)
			continue;
		c->closing = 1;
		c->stall_until = 0;
		if (c->qlen == 0 && c->nwlines == 0)
			net_tcp_close_now(c);
		else
			net_tcp_flush(c);
	}
	/* lws closes its connections (CLOSED frees them) and its handles;
	 * the caller then runs the loop until it is empty. */
	if (net.lws != NULL)
		lws_context_destroy(net.lws);
	net.lws = NULL;
}
