/*
 * ws.c: WebSocket client connections on the libuv loop (see ws.h). The
 * only file that includes libwebsockets.h.
 *
 * Two transports behind one ws_conn:
 * - ws:// is stitch's own: a uv TCP handle, the protocol in wsproto.c
 *   (pure), frames decoded a buffer at a time.
 * - wss:// is libwebsockets with OpenSSL, loaded (dynlib.h) at the first
 *   wss:// connection. Linked, the two cost about 2 MB resident in every
 *   session before doing anything, and lws reads frames a byte at a time.
 *
 * Life of a conn: resolve (uv_getaddrinfo, in libuv's thread pool) ->
 * connect to the numeric address (with the host name for SNI, Host and the
 * certificate) -> handshake -> open -> lines in, frames out -> closed. A
 * uv_timer bounds everything up to the open. Whatever the loop may still
 * call back (the resolver request, the timer, the socket or lws wsi) is
 * detached when the user closes, and the memory is released from the last
 * close callback, never inside a callback that might still use it.
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

#include "dynlib.h"
#include "linebuf.h"
#include "ossl.h"
#include "ws.h"
#include "wsproto.h"

/*
 * libwebsockets serves wss:// only, and is loaded (dynlib.h) when the
 * first wss:// connection starts: with the OpenSSL it links it maps about
 * 2 MB before doing anything. The calls keep their lws names.
 */
struct ws_lws_fns {
	int		 (*callback_on_writable)(struct lws *);
	struct lws	*(*client_connect_via_info)(
			    const struct lws_client_connect_info *);
	void		 (*close_reason)(struct lws *, enum lws_close_status,
			    unsigned char *, size_t);
	void		 (*context_destroy)(struct lws_context *);
	struct lws_context *(*create_context)(
			    const struct lws_context_creation_info *);
	void		*(*get_opaque_user_data)(const struct lws *);
	lws_sockfd_type	 (*get_socket_fd)(struct lws *);
	SSL		*(*get_ssl)(struct lws *);
	int		 (*is_final_fragment)(struct lws *);
	int		 (*is_ssl)(struct lws *);
	size_t		 (*remaining_packet_payload)(struct lws *);
	int		 (*rx_flow_control)(struct lws *, int);
	void		 (*set_log_level)(int, void (*)(int, const char *));
	void		 (*set_opaque_user_data)(struct lws *, void *);
	void		 (*set_timeout)(struct lws *, enum pending_timeout, int);
	int		 (*write)(struct lws *, unsigned char *, size_t,
			    enum lws_write_protocol);
};
static struct ws_lws_fns	 ws_lws;
static void			*ws_lws_lib;

#define LWS_SYM(m)	DYNLIB_SYM(struct ws_lws_fns, m, "lws_" #m)
static const struct dynlib_sym ws_lws_syms[] = {
	LWS_SYM(callback_on_writable), LWS_SYM(client_connect_via_info),
	LWS_SYM(close_reason), LWS_SYM(context_destroy),
	LWS_SYM(create_context), LWS_SYM(get_opaque_user_data),
	LWS_SYM(get_socket_fd), LWS_SYM(get_ssl), LWS_SYM(is_final_fragment),
	LWS_SYM(is_ssl), LWS_SYM(remaining_packet_payload),
	LWS_SYM(rx_flow_control), LWS_SYM(set_log_level),
	LWS_SYM(set_opaque_user_data), LWS_SYM(set_timeout), LWS_SYM(write)
};
#define lws_callback_on_writable	ws_lws.callback_on_writable
#define lws_client_connect_via_info	ws_lws.client_connect_via_info
#define lws_close_reason		ws_lws.close_reason
#define lws_context_destroy		ws_lws.context_destroy
#define lws_create_context		ws_lws.create_context
#define lws_get_opaque_user_data	ws_lws.get_opaque_user_data
#define lws_get_socket_fd		ws_lws.get_socket_fd
#define lws_get_ssl			ws_lws.get_ssl
#define lws_is_final_fragment		ws_lws.is_final_fragment
#define lws_is_ssl			ws_lws.is_ssl
#define lws_remaining_packet_payload	ws_lws.remaining_packet_payload
#define lws_rx_flow_control		ws_lws.rx_flow_control
#define lws_set_log_level		ws_lws.set_log_level
#define lws_set_opaque_user_data	ws_lws.set_opaque_user_data
#define lws_set_timeout			ws_lws.set_timeout
#define lws_write			ws_lws.write

#define WS_DEFAULT_TIMEOUT_MS	10000
#define WS_DEFAULT_QUEUE	512
#define WS_RX_BUFFER		65536
#define WS_FD_LIMIT		4096
/* ws://: data frames handed to libuv and not yet written, at most. */
#define WS_PLAIN_INFLIGHT	16
/* ws://: the longest WebSocket message taken (it may hold many lines). */
#define WS_MAX_MESSAGE		(1024 * 1024)
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

	/* ws:// is stitch's own WebSocket (wsproto.h) on a libuv TCP
	 * handle: no libwebsockets, no OpenSSL. */
	int			 plain;
	uv_tcp_t		 tcp;
	int			 tcp_open;	/* until its close callback */
	uv_connect_t		 connreq;
	struct wsproto_reply	*reply;		/* during the handshake */
	struct wsproto_rx	 rx;
	size_t			 inflight;	/* of the queue's front */
	int			 closing;	/* close frame sent, or failing */
	int			 wfail;		/* a write refused: reported soon */
	int			 pong_busy;	/* one pong in flight at most */
	int			 pong_waiting;	/* the latest ping, unanswered */
	size_t			 pong_len;
	unsigned char		 pong[125];
	struct ws_conn		*dnext;		/* ctx->dying */
	struct ws_conn		*dprev;
	int			 dying;

	struct linebuf		*lb;
	struct ws_out		*q;		/* ring */
	size_t			 qcap;
	size_t			 qhead;
	size_t			 qn;
};

struct ws_ctx {
	uv_loop_t		*loop;
	struct lws_context	*lws;		/* from the first conn */
	char			*ca_file;
	struct ws_conn		*conns;		/* live (not dead) conns */
	unsigned		 rx_batch_ms;	/* 0: read as data comes */
	char			*rxbuf;		/* ws:// reads, WS_RX_BUFFER */
	struct ws_conn		*dying;		/* ws:// closed, handles not */
	uv_check_t		 check;		/* after each turn's I/O */
	int			 check_open;
	int			 check_closed;
};

/* A wsi whose conn was closed by the user: its callbacks only finish the
 * close. */
static char	ws_zombie;

static void	ws_conn_release(struct ws_conn *);
static void	ws_conn_maybe_release(struct ws_conn *);
static int	ws_plain_control(struct ws_conn *, enum wsproto_op,
		    const void *, size_t);
static void	ws_plain_flush(struct ws_conn *);
static void	ws_plain_close_handles(struct ws_conn *);
static void	ws_plain_alloc(uv_handle_t *, size_t, uv_buf_t *);
static void	ws_plain_read(uv_stream_t *, ssize_t, const uv_buf_t *);
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

	if (c->dead || c->closing || c->qn == c->qcap)
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
	if (c->plain)
		ws_plain_flush(c);
	else if (c->phase == WS_OPEN && c->wsi != NULL)
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
	return !c->dead && !c->closing && c->phase == WS_OPEN;
}

/* ---- closing ------------------------------------------------------- */

static void
ws_timer_closed(uv_handle_t *h)
{
	struct ws_conn	*c = h->data;

	c->timer_open = 0;
	ws_conn_maybe_release(c);
}

static void
ws_tcp_closed(uv_handle_t *h)
{
	struct ws_conn	*c = h->data;

	c->tcp_open = 0;
	ws_conn_maybe_release(c);
}

/* Free the memory once neither the resolver, the timer nor the socket can
 * call back. */
static void
ws_conn_maybe_release(struct ws_conn *c)
{
	if (!c->gai_busy && !c->timer_open && !c->tcp_open)
		ws_conn_release(c);
}

/* ws://: close the socket and the timer (their callbacks free the conn). */
static void
ws_plain_close_handles(struct ws_conn *c)
{
	if (c->tcp_open && !uv_is_closing((uv_handle_t *)&c->tcp))
		uv_close((uv_handle_t *)&c->tcp, ws_tcp_closed);
	if (c->timer_open && !uv_is_closing((uv_handle_t *)&c->timer)) {
		uv_timer_stop(&c->timer);
		uv_close((uv_handle_t *)&c->timer, ws_timer_closed);
	}
}

/* ws://: our close frame was answered or never will be. */
static void
ws_plain_close_wait(uv_timer_t *t)
{
	ws_plain_close_handles(t->data);
}

/* Free the memory: only once neither the resolver nor the timer can call
 * back. */
static void
ws_conn_release(struct ws_conn *c)
{
	if (c->dying) {
		if (c->dprev != NULL)
			c->dprev->dnext = c->dnext;
		else
			c->ctx->dying = c->dnext;
		if (c->dnext != NULL)
			c->dnext->dprev = c->dprev;
	}
	while (c->qn > 0)
		ws_q_pop(c);
	free(c->q);
	free(c->reply);
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
	if (c->tcp_open) {
		/* Until its handles are closed: ws_ctx_free() finds it. */
		c->dying = 1;
		c->dnext = c->ctx->dying;
		if (c->dnext != NULL)
			c->dnext->dprev = c;
		c->ctx->dying = c;
	}
	if (c->tcp_open && orderly && c->phase == WS_OPEN &&
	    c->timer_open && !c->closing) {
		unsigned char	 pl[125];
		size_t		 n = wsproto_close_payload(pl, 1000, NULL);

		/* The close frame, then the server's answer or EOF (the read
		 * callback), at most WS_CLOSE_WAIT_S. */
		if (ws_plain_control(c, WSPROTO_CLOSE, pl, n) == 0) {
			c->closing = 1;
			if (c->rx_paused) {	/* batching: read for the EOF */
				c->rx_paused = 0;
				uv_read_start((uv_stream_t *)&c->tcp,
				    ws_plain_alloc, ws_plain_read);
			}
			uv_timer_start(&c->timer, ws_plain_close_wait,
			    WS_CLOSE_WAIT_S * 1000, 0);
			return;
		}
	}
	if (c->tcp_open) {
		ws_plain_close_handles(c);
		return;
	}
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

/* The server's close frame, for the reason shown: code 1005 when it had
 * none; the reason's control bytes are made harmless here. */
static void
ws_peer_closed(struct ws_conn *c, unsigned code, const char *reason,
    size_t len)
{
	char	clean[81];
	size_t	i, n = len > 80 ? 80 : len;

	for (i = 0; i < n; i++)
		clean[i] = (unsigned char)reason[i] < 0x20 ||
		    reason[i] == 0x7f ? '?' : reason[i];
	clean[n] = '\0';
	if (code == 1005)
		snprintf(c->peerclose, sizeof c->peerclose, " ");
	else
		snprintf(c->peerclose, sizeof c->peerclose,
		    " (close code %u%s%s)", code, n > 0 ? ": " : "", clean);
}

/* A human sentence for an open connection that ended: the server's close
 * frame (peerclose: " " for one without a code) or a plain loss. */
static void
ws_why_lost(struct ws_conn *c, char *why, size_t whysz)
{
	if (c->peerclose[0] == '\0')
		snprintf(why, whysz, "the connection to %s was lost",
		    c->url.host);
	else
		snprintf(why, whysz, "closed by the server%s",
		    strcmp(c->peerclose, " ") == 0 ? "" : c->peerclose);
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

			ws_peer_closed(c, (unsigned)(b[0] << 8 | b[1]),
			    (const char *)in + 2, len - 2);
		} else
			ws_peer_closed(c, 1005, NULL, 0);
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
		else
			ws_why_lost(c, why, sizeof why);
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

/* ---- ws:// : our own WebSocket on a TCP handle ---------------------- */

/* Random bytes for keys and masks: the kernel's, or (should getrandom fail)
 * the clock's, which still differ from frame to frame. */
static void
ws_random(unsigned char *b, size_t n)
{
	uint64_t	x;
	size_t		i;

	if (uv_random(NULL, NULL, b, n, 0, NULL) == 0)
		return;
	x = uv_hrtime() | 1;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (unsigned char)x;
	}
}

enum ws_wkind {
	WS_W_CONTROL,			/* the handshake, a close */
	WS_W_LINE,			/* the queue's front: pop when written */
	WS_W_PONG,
};

struct ws_wreq {
	uv_write_t	 req;
	struct ws_conn	*c;
	enum ws_wkind	 kind;
	size_t		 len;
	unsigned char	 buf[];
};

static int	ws_plain_write(struct ws_conn *, int, const void *, size_t,
		    enum ws_wkind);

static void
ws_plain_written(uv_write_t *req, int status)
{
	struct ws_wreq	*w = req->data;
	struct ws_conn	*c = w->c;
	uint64_t	 tag = 0;
	char		 why[512];

	/* It may have held a PASS: leave no token in freed memory. */
	explicit_bzero(w->buf, w->len);
	if (w->kind == WS_W_LINE && !c->dead && status == 0) {
		tag = c->q[c->qhead].tag;
		ws_q_pop(c);
		c->inflight--;
	}
	if (w->kind == WS_W_PONG)
		c->pong_busy = 0;
	free(w);
	if (c->dead)
		return;
	if (status < 0) {
		snprintf(why, sizeof why, "writing to %s failed: %s",
		    c->url.host, uv_strerror(status));
		ws_conn_fail(c, why);
		return;
	}
	if (tag != 0 && c->ev.on_sent != NULL)
		c->ev.on_sent(c->arg, c, tag);
	if (!c->dead && c->pong_waiting && !c->pong_busy) {
		c->pong_waiting = 0;
		if (ws_plain_write(c, WSPROTO_PONG, c->pong, c->pong_len,
		    WS_W_PONG) == 0)
			c->pong_busy = 1;
	}
	if (!c->dead)
		ws_plain_flush(c);
}

/* A write libuv refused at once: reported from the timer, not from inside
 * ws_send() or a callback of the caller's. */
static void
ws_plain_write_failed(uv_timer_t *t)
{
	struct ws_conn	*c = t->data;
	char		 why[512];

	snprintf(why, sizeof why, "writing to %s failed: %s", c->url.host,
	    uv_strerror(c->wfail));
	ws_conn_fail(c, why);
}

/* Hand one frame (or the handshake, op < 0) to libuv; 0, or -1 when the
 * socket refused it (the conn then fails from its timer). */
static int
ws_plain_write(struct ws_conn *c, int op, const void *payload, size_t len,
    enum ws_wkind kind)
{
	struct ws_wreq	*w;
	unsigned char	 mask[4];
	uv_buf_t	 b;
	int		 r;

	if ((w = malloc(sizeof *w + len + WSPROTO_HEADER_MAX)) == NULL) {
		fprintf(stderr, "stitch: out of memory (ws write)\n");
		abort();
	}
	w->c = c;
	w->kind = kind;
	w->req.data = w;
	if (op < 0) {
		memcpy(w->buf, payload, len);
		w->len = len;
	} else {
		/* RFC 6455 wants masks a proxy cannot predict. */
		ws_random(mask, sizeof mask);
		w->len = wsproto_frame(w->buf, (enum wsproto_op)op, payload,
		    len, mask);
	}
	b = uv_buf_init((char *)w->buf, (unsigned)w->len);
	if ((r = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1,
	    ws_plain_written)) != 0) {
		explicit_bzero(w->buf, w->len);
		free(w);
		if (!c->dead && !c->wfail) {
			/* Nothing more goes out or comes in. */
			c->wfail = r;
			c->closing = 1;
			uv_timer_start(&c->timer, ws_plain_write_failed, 0, 0);
		}
		return -1;
	}
	return 0;
}

/* A pong or a close: straight to the socket, behind what went before. */
static int
ws_plain_control(struct ws_conn *c, enum wsproto_op op, const void *payload,
    size_t len)
{
	return ws_plain_write(c, (int)op, payload, len, WS_W_CONTROL);
}

/* Queued lines to the socket, a few in flight at a time: the queue keeps
 * the rest, so ws_queued() still tells a slow server. */
static void
ws_plain_flush(struct ws_conn *c)
{
	struct ws_out	*o;

	while (!c->dead && !c->closing && c->phase == WS_OPEN &&
	    c->inflight < c->qn && c->inflight < WS_PLAIN_INFLIGHT) {
		o = &c->q[(c->qhead + c->inflight) % c->qcap];
		c->inflight++;
		if (ws_plain_write(c, WSPROTO_TEXT, o->buf + LWS_PRE, o->len,
		    WS_W_LINE) != 0)
			return;
	}
}

static int
ws_plain_on_data(void *arg, const char *data, size_t len, int fin)
{
	struct ws_conn	*c = arg;

	/* The data is in ctx->rxbuf, ours and writable: linebuf cuts the
	 * lines in place. */
	if (len > 0)
		linebuf_feed(c->lb, (char *)(uintptr_t)data, len, ws_line, c);
	/* A message ends its last line (see the lws receive callback). */
	if (!c->dead && fin)
		linebuf_feed_const(c->lb, "\n", 1, ws_line, c);
	return c->dead;
}

/* One pong in flight at most; pings meanwhile leave only the latest to
 * answer (RFC 6455 5.5.3), so a server that pings without reading cannot
 * make us hold its pongs. */
static int
ws_plain_on_ping(void *arg, const char *data, size_t len)
{
	struct ws_conn	*c = arg;

	if (len > sizeof c->pong)
		len = sizeof c->pong;
	if (c->pong_busy) {
		memcpy(c->pong, data, len);
		c->pong_len = len;
		c->pong_waiting = 1;
	} else if (ws_plain_write(c, WSPROTO_PONG, data, len,
	    WS_W_PONG) == 0)
		c->pong_busy = 1;
	return c->dead;
}

/* The server closed the WebSocket and not the TCP connection after it. */
static void
ws_plain_peer_closed(uv_timer_t *t)
{
	struct ws_conn	*c = t->data;
	char		 why[512];

	ws_why_lost(c, why, sizeof why);
	ws_conn_fail(c, why);
}

static int
ws_plain_on_close(void *arg, unsigned code, const char *reason, size_t len)
{
	struct ws_conn	*c = arg;
	unsigned char	 pl[125];
	size_t		 n;

	ws_peer_closed(c, code, reason, len);
	/* Answer it (echoing a code that may be sent, RFC 6455 7.4); the
	 * server then closes the TCP connection (EOF), or is taken as closed
	 * after WS_CLOSE_WAIT_S. Nothing more is sent or delivered. */
	if (!c->closing) {
		if (!((code >= 1000 && code <= 1003) ||
		    (code >= 1007 && code <= 1014) ||
		    (code >= 3000 && code <= 4999)))
			code = 1000;
		n = wsproto_close_payload(pl, code, NULL);
		if (ws_plain_control(c, WSPROTO_CLOSE, pl, n) == 0) {
			c->closing = 1;
			uv_timer_start(&c->timer, ws_plain_peer_closed,
			    WS_CLOSE_WAIT_S * 1000, 0);
		}
	}
	return 1;
}

static const struct wsproto_rx_events ws_plain_rx_events = {
	ws_plain_on_data, ws_plain_on_ping, ws_plain_on_close
};

static void
ws_plain_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct ws_conn	*c = h->data;

	(void)hint;
	/* One buffer for every conn: each read is used up before the next
	 * one is made. */
	if (c->ctx->rxbuf == NULL && (c->ctx->rxbuf = malloc(WS_RX_BUFFER)) ==
	    NULL) {
		fprintf(stderr, "stitch: out of memory (ws read)\n");
		abort();
	}
	*buf = uv_buf_init(c->ctx->rxbuf, WS_RX_BUFFER);
}

static void
ws_plain_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct ws_conn	*c = s->data;
	const char	*data = buf->base;
	size_t		 n = nread > 0 ? (size_t)nread : 0, used;
	char		 why[768], err[256];
	int		 r;

	if (nread == 0)
		return;
	if (c->dead) {
		/* Closing: the server's close frame and EOF are all that
		 * matter now. */
		if (nread < 0)
			ws_plain_close_handles(c);
		return;
	}
	if (nread < 0) {
		if (c->phase != WS_OPEN)
			snprintf(why, sizeof why, "the WebSocket handshake "
			    "with %s failed: %s", c->url.host,
			    nread == UV_EOF ? "the server closed the "
			    "connection" : uv_strerror((int)nread));
		else
			ws_why_lost(c, why, sizeof why);
		ws_conn_fail(c, why);
		return;
	}
	c->rx_got = 1;
	if (c->phase == WS_HANDSHAKE) {
		r = wsproto_reply_feed(c->reply, data, n, &used, err,
		    sizeof err);
		if (r == WSPROTO_MORE)
			return;
		if (r == WSPROTO_ERROR) {
			snprintf(why, sizeof why, "the WebSocket handshake "
			    "with %s failed: %s", c->url.host, err);
			ws_conn_fail(c, why);
			return;
		}
		free(c->reply);
		c->reply = NULL;
		c->phase = WS_OPEN;
		uv_timer_stop(&c->timer);
		if (c->ev.on_open != NULL)
			c->ev.on_open(c->arg, c);
		if (c->dead)
			return;
		ws_plain_flush(c);
		data += used;
		n -= used;
	}
	if (n == 0 || c->dead || c->closing)
		return;		/* after a close frame: only the EOF matters */
	r = wsproto_rx_feed(&c->rx, data, n, &ws_plain_rx_events, c, err,
	    sizeof err);
	if (r < 0 && !c->dead) {
		snprintf(why, sizeof why, "%s broke the WebSocket protocol: "
		    "%s", c->url.host, err);
		ws_conn_fail(c, why);
	}
}

static void
ws_plain_connected(uv_connect_t *req, int status)
{
	struct ws_conn	*c = req->data;
	unsigned char	 nonce[16];
	char		 key[WSPROTO_KEY_LEN + 1], hs[1024], why[512];
	size_t		 n;
	int		 r;

	if (c->dead)
		return;		/* the handle is closing */
	if (status < 0) {
		if (status == UV_ECONNREFUSED || status == UV_ENETUNREACH ||
		    status == UV_EHOSTUNREACH)
			snprintf(why, sizeof why, "could not connect to %s "
			    "(%s port %d): connection refused or unreachable",
			    c->url.host, c->addr, c->url.port);
		else
			snprintf(why, sizeof why, "could not connect to %s "
			    "(%s port %d): %s", c->url.host, c->addr,
			    c->url.port, uv_strerror(status));
		ws_conn_fail(c, why);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	ws_random(nonce, sizeof nonce);
	wsproto_key(nonce, key);
	if ((c->reply = malloc(sizeof *c->reply)) == NULL) {
		fprintf(stderr, "stitch: out of memory (ws handshake)\n");
		abort();
	}
	wsproto_reply_init(c->reply, key);
	wsproto_rx_init(&c->rx, WS_MAX_MESSAGE);
	n = wsproto_request(hs, sizeof hs, c->hosthdr, c->url.path, key);
	c->phase = WS_HANDSHAKE;
	if (n == 0) {
		ws_conn_fail(c, "the WebSocket request does not fit");
		return;
	}
	if (ws_plain_write(c, -1, hs, n, WS_W_CONTROL) != 0)
		return;
	if ((r = uv_read_start((uv_stream_t *)&c->tcp, ws_plain_alloc,
	    ws_plain_read)) != 0) {
		snprintf(why, sizeof why, "reading from %s failed: %s",
		    c->url.host, uv_strerror(r));
		ws_conn_fail(c, why);
	}
}

static void
ws_plain_connect(struct ws_conn *c)
{
	struct sockaddr_storage	 sa;
	char			 why[512];
	int			 r;

	memset(&sa, 0, sizeof sa);
	if (strchr(c->addr, ':') != NULL)
		r = uv_ip6_addr(c->addr, c->url.port,
		    (struct sockaddr_in6 *)&sa);
	else
		r = uv_ip4_addr(c->addr, c->url.port,
		    (struct sockaddr_in *)&sa);
	if (r == 0 && (r = uv_tcp_init(c->ctx->loop, &c->tcp)) == 0) {
		c->tcp.data = c;
		c->tcp_open = 1;
		c->connreq.data = c;
		c->phase = WS_CONNECTING;
		r = uv_tcp_connect(&c->connreq, &c->tcp,
		    (const struct sockaddr *)&sa, ws_plain_connected);
	}
	if (r != 0) {
		snprintf(why, sizeof why, "could not connect to %s (%s port "
		    "%d): %s", c->url.host, c->addr, c->url.port,
		    uv_strerror(r));
		ws_conn_fail(c, why);
	}
}

/* ---- read batching ------------------------------------------------ */

static void
ws_rx_resume(uv_timer_t *t)
{
	struct ws_conn	*c = t->data;

	c->rx_paused = 0;
	if (c->dead)
		return;
	if (c->plain)
		uv_read_start((uv_stream_t *)&c->tcp, ws_plain_alloc,
		    ws_plain_read);
	else if (c->wsi != NULL)
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
		if (!c->rx_got || c->rx_paused || c->dead || c->closing ||
		    (!c->plain && c->wsi == NULL) || c->phase != WS_OPEN)
			continue;
		c->rx_got = 0;
		if (c->plain) {
			uv_os_fd_t	ufd;

			if (uv_fileno((uv_handle_t *)&c->tcp, &ufd) != 0 ||
			    ioctl(ufd, FIONREAD, &pending) != 0 ||
			    pending > 0 ||
			    uv_read_stop((uv_stream_t *)&c->tcp) != 0)
				continue;
			c->rx_paused = 1;
			uv_timer_start(&c->timer, ws_rx_resume,
			    ctx->rx_batch_ms, 0);
			continue;
		}
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

	if (c->plain) {
		ws_plain_connect(c);
		return;
	}
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
		ws_conn_maybe_release(c);
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
	c->plain = !c->url.tls;
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

/*
 * lws only logs a CA file it cannot load; check it ourselves so the user
 * hears about it. At start (no OpenSSL yet): the file opens and has a PEM
 * certificate header; when TLS starts, OpenSSL must read a certificate.
 */
static int
ws_check_ca_file(const char *path, int parse, char *err, size_t errsz)
{
	FILE	*f;
	X509	*x = NULL;
	char	 line[256];
	int	 found = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "ca_file %s: cannot open it", path);
		return -1;
	}
	if (parse)
		found = (x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL;
	else
		while (!found && fgets(line, sizeof line, f) != NULL)
			found = strncmp(line, "-----BEGIN CERTIFICATE-----",
			    27) == 0;
	fclose(f);
	if (!found) {
		snprintf(err, errsz, "ca_file %s: no PEM certificate in it",
		    path);
		return -1;
	}
	if (x != NULL)
		X509_free(x);
	return 0;
}

struct ws_ctx *
ws_ctx_new(uv_loop_t *loop, const char *ca_file, char *err, size_t errsz)
{
	struct ws_ctx	*ctx;

	if (ca_file != NULL && *ca_file != '\0' &&
	    ws_check_ca_file(ca_file, 0, err, errsz) != 0)
		return NULL;
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
 * The lws context, made at the first wss:// connection: loading lws and
 * OpenSSL, OpenSSL's init and the system CA store cost about 6 MB resident
 * (measured), and a session on ws:// needs none of it.
 */
static int
ws_ctx_start(struct ws_ctx *ctx, int tls, char *err, size_t errsz)
{
	struct lws_context_creation_info	 info;
	void					*loops[1];
	long					 lim;

	if (ctx->lws != NULL || !tls)
		return 0;	/* ws:// is ours: no lws, no OpenSSL */
	if (ossl_load(err, errsz) != 0 ||
	    dynlib_load(&ws_lws_lib, LWS_SONAME, "libwebsockets17",
	    ws_lws_syms, sizeof ws_lws_syms / sizeof ws_lws_syms[0], &ws_lws,
	    err, errsz) != 0)
		return -1;
	if (ctx->ca_file != NULL &&
	    ws_check_ca_file(ctx->ca_file, 1, err, errsz) != 0)
		return -1;
	if (getenv("STITCH_WS_DEBUG") != NULL)
		lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE |
		    LLL_INFO, ws_log);
	else
		lws_set_log_level(0, NULL);
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
	/* System CAs stay trusted; ca_file is added to them (lws loads the
	 * default verify paths first, then the file). */
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = ctx->ca_file;
	loops[0] = ctx->loop;
	info.foreign_loops = loops;
	info.pcontext = &ctx->lws;
	if ((ctx->lws = lws_create_context(&info)) == NULL) {
		snprintf(err, errsz, "cannot start libwebsockets on the event "
		    "loop (is the libwebsockets-evlib-uv package installed?)");
		return -1;
	}
	return 0;
}

void
ws_ctx_free(struct ws_ctx *ctx)
{
	struct ws_conn	*c;
	int		 i;

	if (ctx == NULL)
		return;
	while (ctx->conns != NULL)
		ws_conn_detach(ctx->conns, 0);
	/* ws:// conns still closing (waiting for the server's close frame)
	 * close now; their handles' callbacks free them. */
	for (c = ctx->dying; c != NULL; c = c->dnext)
		ws_plain_close_handles(c);
	if (ctx->check_open)
		uv_close((uv_handle_t *)&ctx->check, ws_check_closed);
	/* lws 4.1 on a foreign loop closes its handles from the loop, and
	 * then needs a second lws_context_destroy() to free the context
	 * (measured: without it the TLS context and the CA store leak). It
	 * sets ctx->lws to NULL (info.pcontext) once it is gone. */
	if (ctx->lws != NULL)
		lws_context_destroy(ctx->lws);
	for (i = 0; i < 64 && (ctx->lws != NULL || ctx->dying != NULL ||
	    (ctx->check_open && !ctx->check_closed)); i++)
		uv_run(ctx->loop, UV_RUN_NOWAIT);
	if (ctx->lws != NULL)
		lws_context_destroy(ctx->lws);
	if (ctx->lws != NULL || ctx->dying != NULL)
		return;		/* still held from the loop: leave it */
	free(ctx->rxbuf);
	free(ctx->ca_file);
	free(ctx);
}
