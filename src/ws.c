/*
 * ws.c: WebSocket client connections over libwebsockets on the libuv loop
 * (see ws.h). The only file that includes libwebsockets.h.
 *
 * Life of a conn: resolve (uv_getaddrinfo, in libuv's thread pool) ->
 * lws_client_connect_via_info() to the numeric address with the host name
 * for SNI/Host/certificate -> open -> lines in, frames out -> closed. A
 * uv_timer bounds everything up to the open. Whatever the loop may still
 * call back (the resolver request, the timer, the lws wsi) is detached when
 * the user closes, and the memory is released from the timer's close
 * callback, never inside a callback that might still use it.
 *
 * Read batching (ws_ctx_set_rx_batch): a UI draws at most every frame, so
 * a line that arrives sooner is not seen sooner. After a loop turn that
 * received something and left the socket empty, the conn stops reading for
 * that long; what arrives meanwhile waits in the kernel and comes in with
 * one wakeup and one recv() instead of one each a line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <netdb.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "linebuf.h"
#include "ossl.h"
#include "ws.h"

#define WS_DEFAULT_TIMEOUT_MS	10000
#define WS_DEFAULT_QUEUE	512
#define WS_RX_BUFFER		65536
#define WS_FD_LIMIT		4096
/* How long an orderly close may wait for the peer's close frame. */
#define WS_CLOSE_WAIT_S		3

enum ws_phase {
	WS_RESOLVING,
	WS_CONNECTING,		/* TCP and TLS */
	WS_HANDSHAKE,		/* HTTP upgrade sent */
	WS_OPEN,
};

struct ws_out {
	unsigned char	*buf;		/* LWS_PRE bytes, then the line */
	size_t		 len;
	uint64_t	 tag;
};

struct ws_conn {
	struct ws_ctx		*ctx;
	struct ws_conn		*next;		/* ctx->conns */
	struct ws_conn		*prev;
	struct ws_url		 url;
	char			 hosthdr[300];	/* host[:port] */
	char			 addr[INET6_ADDRSTRLEN];
	struct ws_conn_events	 ev;
	void			*arg;
	uint32_t		 timeout_ms;

	enum ws_phase		 phase;
	int			 dead;		/* closed or reported: silent */
	int			 gai_busy;
	int			 timer_open;
	uv_getaddrinfo_t	 gai;
	uv_timer_t		 timer;
	struct lws		*wsi;
	char			 tlserr[160];	/* a certificate failure */
	char			 peerclose[128];

	int			 rx_got;	/* received this loop turn */
	int			 rx_paused;	/* batching: not reading */

	struct linebuf		*lb;
	struct ws_out		*q;		/* ring */
	size_t			 qcap;
	size_t			 qhead;
	size_t			 qn;
};

struct ws_ctx {
	uv_loop_t		*loop;
	struct lws_context	*lws;		/* from the first conn */
	int			 tls;		/* lws was made with TLS */
	char			*ca_file;
	struct ws_conn		*conns;		/* live (not dead) conns */
	unsigned		 rx_batch_ms;	/* 0: read as data comes */
	uv_check_t		 check;		/* after each turn's I/O */
	int			 check_open;
	int			 check_closed;
};

/* A wsi whose conn was closed by the user: its callbacks only finish the
 * close. */
static char	ws_zombie;

static void	ws_conn_release(struct ws_conn *);
static int	ws_ctx_start(struct ws_ctx *, int, char *, size_t);
static void	ws_rx_resume(uv_timer_t *);

/* lws logs go nowhere unless STITCH_WS_DEBUG is set: core never prints. */
static void
ws_log(int level, const char *line)
{
	(void)level;
	fputs(line, stderr);
}

/* ---- URLs ---------------------------------------------------------- */

int
ws_url_parse(const char *url, struct ws_url *u, char *err, size_t errsz)
{
	const char	*p, *h, *hend, *pstart;
	size_t		 n;
	long		 port;
	char		*end;

	memset(u, 0, sizeof *u);
	if (strncasecmp(url, "wss://", 6) == 0) {
		u->tls = 1;
		p = url + 6;
	} else if (strncasecmp(url, "ws://", 5) == 0)
		p = url + 5;
	else {
		snprintf(err, errsz, "%s: the URL must start with ws:// or "
		    "wss://", url);
		return -1;
	}
	if (*p == '[') {
		h = p + 1;
		if ((hend = strchr(h, ']')) == NULL) {
			snprintf(err, errsz, "%s: unclosed [ in the host", url);
			return -1;
		}
		p = hend + 1;
	} else {
		h = p;
		hend = h + strcspn(h, ":/?#");
		p = hend;
	}
	n = (size_t)(hend - h);
	if (n == 0 || n >= sizeof u->host || memchr(h, '@', n) != NULL ||
	    memchr(h, ' ', n) != NULL) {
		snprintf(err, errsz, "%s: no usable host name", url);
		return -1;
	}
	memcpy(u->host, h, n);
	u->host[n] = '\0';
	u->port = u->tls ? 443 : 80;
	if (*p == ':') {
		p++;
		if (*p < '0' || *p > '9') {
			snprintf(err, errsz, "%s: bad port", url);
			return -1;
		}
		port = strtol(p, &end, 10);
		if (port < 1 || port > 65535 ||
		    (*end != '\0' && *end != '/' && *end != '?')) {
			snprintf(err, errsz, "%s: bad port (1-65535)", url);
			return -1;
		}
		u->port = (int)port;
		p = end;
	}
	if (*p != '\0' && *p != '/' && *p != '?') {
		snprintf(err, errsz, "%s: unexpected text after the host", url);
		return -1;
	}
	pstart = p;
	n = strcspn(pstart, "#");
	if (n + 2 > sizeof u->path) {
		snprintf(err, errsz, "%s: path too long", url);
		return -1;
	}
	if (*pstart != '/')
		u->path[0] = '/';
	memcpy(u->path + (*pstart != '/'), pstart, n);
	u->path[n + (*pstart != '/')] = '\0';
	return 0;
}

/* ---- the send queue ------------------------------------------------ */

static struct ws_out *
ws_q_front(struct ws_conn *c)
{
	return c->qn == 0 ? NULL : &c->q[c->qhead];
}

static void
ws_q_pop(struct ws_conn *c)
{
	/* A sent line may have been a PASS: leave no token in freed memory. */
	explicit_bzero(c->q[c->qhead].buf, LWS_PRE + c->q[c->qhead].len);
	free(c->q[c->qhead].buf);
	c->q[c->qhead].buf = NULL;
	c->qhead = (c->qhead + 1) % c->qcap;
	c->qn--;
}

int
ws_send(struct ws_conn *c, const char *line, size_t len, uint64_t tag)
{
	struct ws_out	*o;

	if (c->dead || c->qn == c->qcap)
		return -1;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	o = &c->q[(c->qhead + c->qn) % c->qcap];
	if ((o->buf = malloc(LWS_PRE + len + 1)) == NULL) {
		fprintf(stderr, "stitch: out of memory (ws send)\n");
		abort();
	}
	memcpy(o->buf + LWS_PRE, line, len);
	o->len = len;
	o->tag = tag;
	c->qn++;
	if (c->phase == WS_OPEN && c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
	return 0;
}

size_t
ws_queued(const struct ws_conn *c)
{
	return c->qn;
}

int
ws_is_open(const struct ws_conn *c)
{
	return !c->dead && c->phase == WS_OPEN;
}

/* ---- closing ------------------------------------------------------- */

static void
ws_timer_closed(uv_handle_t *h)
{
	struct ws_conn	*c = h->data;

	c->timer_open = 0;
	if (!c->gai_busy)
		ws_conn_release(c);
}

/* Free the memory: only once neither the resolver nor the timer can call
 * back. */
static void
ws_conn_release(struct ws_conn *c)
{
	while (c->qn > 0)
		ws_q_pop(c);
	free(c->q);
	linebuf_free(c->lb);
	free(c);
}

/*
 * Make the conn silent and detach it from everything that may call back:
 * the wsi is left to finish its close as a zombie, the resolver is
 * cancelled, the timer closed (its close callback frees the conn).
 */
static void
ws_conn_detach(struct ws_conn *c, int orderly)
{
	if (c->dead)
		return;
	c->dead = 1;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else if (c->ctx->conns == c)
		c->ctx->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;

	if (c->wsi != NULL) {
		lws_set_opaque_user_data(c->wsi, &ws_zombie);
		if (orderly && c->phase == WS_OPEN) {
			/* The writable callback sends the close frame; the
			 * time-out kills a peer that never answers it. */
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    WS_CLOSE_WAIT_S);
			lws_callback_on_writable(c->wsi);
		} else
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    LWS_TO_KILL_ASYNC);
		c->wsi = NULL;
	}
	if (c->gai_busy)
		uv_cancel((uv_req_t *)&c->gai);
	if (c->timer_open) {
		uv_timer_stop(&c->timer);
		uv_close((uv_handle_t *)&c->timer, ws_timer_closed);
	}
}

void
ws_close(struct ws_conn *c)
{
	if (c == NULL)
		return;
	ws_conn_detach(c, 1);
}

/* Report a failure or drop once, then go silent. */
static void
ws_conn_fail(struct ws_conn *c, const char *why)
{
	void		(*cb)(void *, struct ws_conn *, const char *);

	if (c->dead)
		return;
	cb = c->ev.on_close;
	ws_conn_detach(c, 0);
	if (cb != NULL)
		cb(c->arg, c, why);
}

/* ---- lws callbacks ------------------------------------------------- */

static void
ws_line(char *line, size_t len, void *arg)
{
	struct ws_conn	*c = arg;

	if (!c->dead && c->ev.on_line != NULL)
		c->ev.on_line(c->arg, c, line, len);
}

/* A human sentence for a connection that never opened. */
static void
ws_why_connect(struct ws_conn *c, const char *cce, char *why, size_t whysz)
{
	if (c->tlserr[0] != '\0')
		snprintf(why, whysz, "TLS with %s failed: certificate verify "
		    "failed: %s", c->url.host, c->tlserr);
	else if (cce == NULL || *cce == '\0')
		snprintf(why, whysz, "could not connect to %s (%s port %d)",
		    c->url.host, c->addr, c->url.port);
	else if (c->phase == WS_CONNECTING &&
	    (strcmp(cce, "Unable to connect") == 0 ||
	    strcmp(cce, "closed before established") == 0))
		snprintf(why, whysz, "could not connect to %s (%s port %d): "
		    "connection refused or unreachable", c->url.host, c->addr,
		    c->url.port);
	else if (c->phase == WS_HANDSHAKE)
		snprintf(why, whysz, "the WebSocket handshake with %s failed: "
		    "%s", c->url.host, cce);
	else
		snprintf(why, whysz, "connecting to %s (%s port %d) failed: "
		    "%s", c->url.host, c->addr, c->url.port, cce);
}

/* Remember why a server certificate was refused (the error text lws
 * passes on is vaguer). Never changes the verdict. */
static void
ws_cert_check(struct lws *wsi, void *x509_ctx, size_t preverify_ok)
{
	struct ws_conn	*c;
	int		 err;

	if (preverify_ok || wsi == NULL)
		return;
	c = lws_get_opaque_user_data(wsi);
	if (c == NULL || (void *)c == &ws_zombie || c->tlserr[0] != '\0')
		return;
	err = X509_STORE_CTX_get_error(x509_ctx);
	snprintf(c->tlserr, sizeof c->tlserr, "%s",
	    X509_verify_cert_error_string(err));
}

static int
ws_write_one(struct ws_conn *c, struct lws *wsi)
{
	struct ws_out	*o;
	uint64_t	 tag;
	int		 n;

	if ((o = ws_q_front(c)) == NULL)
		return 0;
	n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	if (n < 0 || (size_t)n < o->len) {
		ws_conn_fail(c, "writing to the server failed");
		return -1;
	}
	tag = o->tag;
	ws_q_pop(c);
	if (c->qn > 0)
		lws_callback_on_writable(wsi);
	if (tag != 0 && c->ev.on_sent != NULL)
		c->ev.on_sent(c->arg, c, tag);
	return 0;
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws_conn	*c;
	char		 why[512];

	if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
		ws_cert_check(wsi, user, len);
		return 0;
	}
	if (wsi == NULL)
		return 0;
	c = lws_get_opaque_user_data(wsi);
	if ((void *)c == &ws_zombie) {
		if (reason == LWS_CALLBACK_CLIENT_WRITEABLE) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		return 0;
	}
	if (c == NULL || c->dead)
		return 0;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		c->phase = WS_HANDSHAKE;
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->phase = WS_OPEN;
		c->wsi = wsi;
		uv_timer_stop(&c->timer);
		if (c->qn > 0)
			lws_callback_on_writable(wsi);
		if (c->ev.on_open != NULL)
			c->ev.on_open(c->arg, c);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->rx_got = 1;
		linebuf_feed(c->lb, in, len, ws_line, c);
		/* A message ends its last line: Twitch ends each with CR LF,
		 * other servers (and clients) send one line a message without
		 * it. A message may still arrive in pieces (fragments, or
		 * bigger than a read): those are joined. */
		if (!c->dead && lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0)
			linebuf_feed_const(c->lb, "\n", 1, ws_line, c);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (ws_write_one(c, wsi) != 0)
			return -1;
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			const unsigned char *b = in;

			snprintf(c->peerclose, sizeof c->peerclose,
			    " (close code %u%s%.*s)", (b[0] << 8) | b[1],
			    len > 2 ? ": " : "",
			    (int)(len - 2 > 80 ? 80 : len - 2),
			    (const char *)in + 2);
		} else
			snprintf(c->peerclose, sizeof c->peerclose, " ");
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		c->wsi = NULL;
		lws_set_opaque_user_data(wsi, NULL);
		ws_why_connect(c, in, why, sizeof why);
		ws_conn_fail(c, why);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
	case LWS_CALLBACK_WSI_DESTROY:
		c->wsi = NULL;
		lws_set_opaque_user_data(wsi, NULL);
		if (c->phase != WS_OPEN)
			ws_why_connect(c, NULL, why, sizeof why);
		else if (c->peerclose[0] != '\0')
			snprintf(why, sizeof why, "closed by the server%s",
			    c->peerclose[0] == ' ' ? "" : c->peerclose);
		else
			snprintf(why, sizeof why, "the connection to %s was "
			    "lost", c->url.host);
		ws_conn_fail(c, why);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols ws_protocols[] = {
	{ "stitch-ws", ws_callback, 0, WS_RX_BUFFER, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ---- read batching ------------------------------------------------ */

static void
ws_rx_resume(uv_timer_t *t)
{
	struct ws_conn	*c = t->data;

	c->rx_paused = 0;
	if (c->dead || c->wsi == NULL)
		return;
	lws_rx_flow_control(c->wsi, 1);
}

/* After the turn's I/O callbacks: stop reading conns that went quiet. */
static void
ws_on_check(uv_check_t *h)
{
	struct ws_ctx	*ctx = h->data;
	struct ws_conn	*c;
	int		 fd, pending;

	for (c = ctx->conns; c != NULL; c = c->next) {
		if (!c->rx_got || c->rx_paused || c->dead || c->wsi == NULL ||
		    c->phase != WS_OPEN)
			continue;
		c->rx_got = 0;
		/*
		 * More already waiting, in the kernel or decrypted in TLS:
		 * keep reading, a flood is on. (Stopping with TLS bytes held
		 * would strand them: nothing would poll readable again.)
		 * lws reads from outside its callbacks hold nothing else.
		 */
		fd = lws_get_socket_fd(c->wsi);
		if (fd < 0 || ioctl(fd, FIONREAD, &pending) != 0 ||
		    pending > 0)
			continue;
		if (lws_is_ssl(c->wsi) && lws_get_ssl(c->wsi) != NULL &&
		    SSL_pending(lws_get_ssl(c->wsi)) > 0)
			continue;
		if (lws_rx_flow_control(c->wsi, 0) != 0)
			continue;
		c->rx_paused = 1;
		uv_timer_start(&c->timer, ws_rx_resume, ctx->rx_batch_ms, 0);
	}
}

static void
ws_check_closed(uv_handle_t *h)
{
	struct ws_ctx	*ctx = h->data;

	ctx->check_closed = 1;
}

void
ws_ctx_set_rx_batch(struct ws_ctx *ctx, unsigned ms)
{
	ctx->rx_batch_ms = ms;
	if (ms > 0 && !ctx->check_open) {
		uv_check_init(ctx->loop, &ctx->check);
		ctx->check.data = ctx;
		ctx->check_open = 1;
		/* Bookkeeping only: it must not keep the loop alive. */
		uv_unref((uv_handle_t *)&ctx->check);
	}
	if (!ctx->check_open)
		return;
	if (ms > 0)
		uv_check_start(&ctx->check, ws_on_check);
	else
		uv_check_stop(&ctx->check);
}

/* ---- connecting ---------------------------------------------------- */

static void
ws_timer_fired(uv_timer_t *t)
{
	struct ws_conn	*c = t->data;
	char		 why[512];
	const char	*stage;

	switch (c->phase) {
	case WS_RESOLVING:
		stage = "resolving the host name";
		break;
	case WS_CONNECTING:
		stage = c->url.tls ? "connecting (TCP and TLS)" :
		    "connecting (TCP)";
		break;
	default:
		stage = "the WebSocket handshake";
		break;
	}
	snprintf(why, sizeof why, "timed out after %u.%u s during %s with %s",
	    (unsigned)(c->timeout_ms / 1000),
	    (unsigned)(c->timeout_ms % 1000 / 100), stage, c->url.host);
	ws_conn_fail(c, why);
}

static void
ws_connect(struct ws_conn *c)
{
	struct lws_client_connect_info	 ci;
	struct lws			*wsi;

	memset(&ci, 0, sizeof ci);
	ci.context = c->ctx->lws;
	ci.address = c->addr;
	ci.port = c->url.port;
	ci.ssl_connection = LCCSCF_HTTP_NO_FOLLOW_REDIRECT;
	if (c->url.tls)
		ci.ssl_connection |= LCCSCF_USE_SSL;
	ci.path = c->url.path;
	/* lws takes the TLS name (SNI and certificate check) from host, with
	 * any :port cut off, and sends host as is in the Host header. */
	ci.host = c->hosthdr;
	ci.origin = c->hosthdr;
	ci.ietf_version_or_minus_one = -1;
	ci.local_protocol_name = ws_protocols[0].name;
	ci.alpn = "http/1.1";
	ci.opaque_user_data = c;
	c->phase = WS_CONNECTING;
	wsi = lws_client_connect_via_info(&ci);
	if (c->dead)		/* failed and reported inside the call */
		return;
	if (wsi == NULL) {
		char	why[512];

		ws_why_connect(c, "the connection could not be started", why,
		    sizeof why);
		ws_conn_fail(c, why);
		return;
	}
	c->wsi = wsi;
}

static void
ws_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct ws_conn	*c = req->data;
	struct addrinfo	*ai, *pick = NULL;
	const void	*a;
	char		 why[512];

	c->gai_busy = 0;
	if (c->dead) {
		uv_freeaddrinfo(res);
		if (!c->timer_open)
			ws_conn_release(c);
		return;
	}
	if (status != 0) {
		snprintf(why, sizeof why, "cannot resolve %s: %s", c->url.host,
		    uv_strerror(status));
		uv_freeaddrinfo(res);
		ws_conn_fail(c, why);
		return;
	}
	/* IPv4 first: the most likely to work everywhere. */
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (ai->ai_family == AF_INET) {
			pick = ai;
			break;
		}
	for (ai = res; pick == NULL && ai != NULL; ai = ai->ai_next)
		if (ai->ai_family == AF_INET6)
			pick = ai;
	if (pick == NULL) {
		snprintf(why, sizeof why, "cannot resolve %s: no address",
		    c->url.host);
		uv_freeaddrinfo(res);
		ws_conn_fail(c, why);
		return;
	}
	if (pick->ai_family == AF_INET)
		a = &((struct sockaddr_in *)(void *)pick->ai_addr)->sin_addr;
	else
		a = &((struct sockaddr_in6 *)(void *)pick->ai_addr)->sin6_addr;
	inet_ntop(pick->ai_family, a, c->addr, sizeof c->addr);
	uv_freeaddrinfo(res);
	ws_connect(c);
}

struct ws_conn *
ws_conn_new(struct ws_ctx *ctx, const char *url,
    const struct ws_conn_config *cfg, const struct ws_conn_events *ev,
    void *arg, char *err, size_t errsz)
{
	struct addrinfo	 hints;
	struct ws_conn	*c;
	int		 r;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		fprintf(stderr, "stitch: out of memory (ws conn)\n");
		abort();
	}
	if (ws_url_parse(url, &c->url, err, errsz) != 0 ||
	    ws_ctx_start(ctx, c->url.tls, err, errsz) != 0) {
		free(c);
		return NULL;
	}
	if (c->url.port == (c->url.tls ? 443 : 80))
		snprintf(c->hosthdr, sizeof c->hosthdr, "%s", c->url.host);
	else
		snprintf(c->hosthdr, sizeof c->hosthdr, "%s:%d", c->url.host,
		    c->url.port);
	c->ctx = ctx;
	c->ev = *ev;
	c->arg = arg;
	c->timeout_ms = cfg != NULL && cfg->connect_timeout_ms != 0 ?
	    cfg->connect_timeout_ms : WS_DEFAULT_TIMEOUT_MS;
	c->qcap = cfg != NULL && cfg->max_queue != 0 ? cfg->max_queue :
	    WS_DEFAULT_QUEUE;
	if ((c->q = calloc(c->qcap, sizeof *c->q)) == NULL) {
		fprintf(stderr, "stitch: out of memory (ws queue)\n");
		abort();
	}
	c->lb = linebuf_new(cfg != NULL ? cfg->max_line : 0);
	c->phase = WS_RESOLVING;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	c->gai.data = c;
	r = uv_getaddrinfo(ctx->loop, &c->gai, ws_resolved, c->url.host,
	    NULL, &hints);
	if (r != 0) {
		snprintf(err, errsz, "cannot resolve %s: %s", c->url.host,
		    uv_strerror(r));
		ws_conn_release(c);
		return NULL;
	}
	c->gai_busy = 1;
	uv_timer_init(ctx->loop, &c->timer);
	c->timer.data = c;
	c->timer_open = 1;
	uv_timer_start(&c->timer, ws_timer_fired, c->timeout_ms, 0);

	c->next = ctx->conns;
	if (ctx->conns != NULL)
		ctx->conns->prev = c;
	ctx->conns = c;
	return c;
}

/* ---- the context --------------------------------------------------- */

/* lws only logs a CA file it cannot load; check it ourselves so the user
 * hears about it. */
static int
ws_check_ca_file(const char *path, char *err, size_t errsz)
{
	FILE	*f;
	X509	*x;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "ca_file %s: cannot open it", path);
		return -1;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL) {
		snprintf(err, errsz, "ca_file %s: no PEM certificate in it",
		    path);
		return -1;
	}
	X509_free(x);
	return 0;
}

struct ws_ctx *
ws_ctx_new(uv_loop_t *loop, const char *ca_file, char *err, size_t errsz)
{
	struct ws_ctx	*ctx;

	if (ca_file != NULL && *ca_file != '\0' &&
	    (ossl_load(err, errsz) != 0 ||
	    ws_check_ca_file(ca_file, err, errsz) != 0))
		return NULL;
	if (getenv("STITCH_WS_DEBUG") != NULL)
		lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE |
		    LLL_INFO, ws_log);
	else
		lws_set_log_level(0, NULL);

	if ((ctx = calloc(1, sizeof *ctx)) == NULL ||
	    (ca_file != NULL && *ca_file != '\0' &&
	    (ctx->ca_file = strdup(ca_file)) == NULL)) {
		fprintf(stderr, "stitch: out of memory (ws ctx)\n");
		abort();
	}
	ctx->loop = loop;
	return ctx;
}

/*
 * The lws context, made at the first connection: with TLS only when that
 * one is wss://. TLS is most of what lws costs to start (OpenSSL's init
 * and the system CA store: about 4 MB resident, measured), and a session
 * on ws:// never needs it. All of a session's connections go to one
 * server, so a later wss:// after ws:// is refused, not half served.
 */
static int
ws_ctx_start(struct ws_ctx *ctx, int tls, char *err, size_t errsz)
{
	struct lws_context_creation_info	 info;
	void					*loops[1];
	long					 lim;

	if (ctx->lws == NULL && tls && ossl_load(err, errsz) != 0)
		return -1;
	if (ctx->lws != NULL) {
		if (tls && !ctx->tls) {
			snprintf(err, errsz, "wss:// after ws:// in one "
			    "session: TLS was not started");
			return -1;
		}
		return 0;
	}
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = ws_protocols;
	/* Bigger reads: one recv() brings many lines in a flood. */
	info.pt_serv_buf_size = WS_RX_BUFFER;
	info.gid = -1;
	info.uid = -1;
	/* lws sizes two tables by the fd limit (16 bytes an fd, all touched)
	 * and needs every fd it serves below it. A session holds its log
	 * files and a few sockets; where the limit is high (20000 is common
	 * in containers: 320 KB), 4096 is plenty. */
	lim = sysconf(_SC_OPEN_MAX);
	if (lim > WS_FD_LIMIT)
		info.fd_limit_per_thread = WS_FD_LIMIT;
	info.options = LWS_SERVER_OPTION_LIBUV;
	/* System CAs stay trusted; ca_file is added to them (lws loads the
	 * default verify paths first, then the file). */
	if (tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = ctx->ca_file;
	}
	loops[0] = ctx->loop;
	info.foreign_loops = loops;
	info.pcontext = &ctx->lws;
	if ((ctx->lws = lws_create_context(&info)) == NULL) {
		snprintf(err, errsz, "cannot start libwebsockets on the event "
		    "loop (is the libwebsockets-evlib-uv package installed?)");
		return -1;
	}
	ctx->tls = tls;
	return 0;
}

void
ws_ctx_free(struct ws_ctx *ctx)
{
	int	i;

	if (ctx == NULL)
		return;
	while (ctx->conns != NULL)
		ws_conn_detach(ctx->conns, 0);
	if (ctx->check_open)
		uv_close((uv_handle_t *)&ctx->check, ws_check_closed);
	/* lws 4.1 on a foreign loop closes its handles from the loop, and
	 * then needs a second lws_context_destroy() to free the context
	 * (measured: without it the TLS context and the CA store leak). It
	 * sets ctx->lws to NULL (info.pcontext) once it is gone. */
	if (ctx->lws != NULL)
		lws_context_destroy(ctx->lws);
	for (i = 0; i < 64 && (ctx->lws != NULL ||
	    (ctx->check_open && !ctx->check_closed)); i++)
		uv_run(ctx->loop, UV_RUN_NOWAIT);
	if (ctx->lws != NULL)
		lws_context_destroy(ctx->lws);
	if (ctx->lws != NULL)
		return;		/* lws still holds &ctx->lws: leave it */
	free(ctx->ca_file);
	free(ctx);
}
