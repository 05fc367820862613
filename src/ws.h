/*
 * ws.h: the WebSocket client transport. ws.c is the only file that includes
 * libwebsockets.h; everything above it sees lines of text.
 *
 * One struct ws_ctx per process, on the program's libuv loop. A struct
 * ws_conn is one client connection to a ws:// or wss:// URL: the host name
 * is resolved with uv_getaddrinfo (the loop never blocks), then ws:// is
 * stitch's own WebSocket on a uv TCP handle (wsproto.h) and wss:// goes
 * through libwebsockets on the same loop (a "foreign loop"), which connects
 * to the numeric address and uses the host name for SNI, the Host header
 * and the certificate check. TLS peer verification is always on (system CA
 * store, plus an optional CA file); there is no way to turn it off.
 *
 * Receive: each WebSocket message is cut into lines (CR LF, LF or CR)
 * with a hard cap, and its end ends a line too (Twitch ends every message
 * with CR LF; other servers send one line a message without it). A
 * message that arrives in pieces (fragments, partial reads) is joined;
 * on_line gets each complete line. Send: one text frame per line, queued
 * and written when the socket is writable.
 */
#ifndef STITCH_WS_H
#define STITCH_WS_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct ws_ctx;
struct ws_conn;

/*
 * The one libwebsockets context, on loop. ca_file (may be NULL) is a PEM
 * file of CAs trusted in addition to the system store; it must be readable.
 * Returns NULL with err filled on failure. libwebsockets and OpenSSL are
 * loaded and started at the first wss:// ws_conn_new(); ws:// needs
 * neither.
 */
struct ws_ctx	*ws_ctx_new(uv_loop_t *loop, const char *ca_file, char *err,
		    size_t errsz);
/*
 * Batch reads for a reader that only looks every ms milliseconds (a UI's
 * frame): a conn that received something and has nothing more waiting
 * stops reading for ms, then takes everything that came meanwhile at once.
 * Nothing is lost or reordered; lines are late by at most ms. 0 (the
 * default) reads as data arrives.
 */
void		 ws_ctx_set_rx_batch(struct ws_ctx *, unsigned ms);
/*
 * Close every ws_conn still open (silently) and destroy the context; NULL
 * ok. Call it at shutdown from outside the loop's callbacks (after uv_run
 * returned): libwebsockets closes its handles from the loop, so this runs
 * the loop without blocking until they are closed. Afterwards
 * uv_loop_close() succeeds once the caller's own handles are closed.
 */
void		 ws_ctx_free(struct ws_ctx *);

struct ws_conn_events {
	/* The WebSocket handshake completed; ws_send() may be used. */
	void	(*on_open)(void *arg, struct ws_conn *);
	/* One complete line, without CR/LF, NUL-terminated and writable (so
	 * irc_parse() can cut it in place); borrowed, valid only during the
	 * call. */
	void	(*on_line)(void *arg, struct ws_conn *, char *line,
		    size_t len);
	/* The line queued with this tag (non-zero) was handed to the socket.
	 * May be NULL. */
	void	(*on_sent)(void *arg, struct ws_conn *, uint64_t tag);
	/* The connection failed or dropped; why is a human sentence
	 * ("connection refused", "TLS: certificate verify failed:
	 * self-signed certificate", "connection timed out during the TLS or
	 * WebSocket handshake", "closed by the server"). After on_close
	 * returns the conn is gone: do not use or ws_close() it again. Never
	 * called after ws_close(). */
	void	(*on_close)(void *arg, struct ws_conn *, const char *why);
};

struct ws_conn_config {
	uint32_t	 connect_timeout_ms;	/* resolve to open; 0: 10 s */
	size_t		 max_line;	/* 0: LINEBUF_DEFAULT_MAX */
	size_t		 max_queue;	/* lines waiting to be sent; 0: 512 */
};

/*
 * Start connecting to url (ws://host[:port][/path] or wss://...). The
 * events are copied; arg is passed back to them. No callback runs before
 * ws_conn_new() returns. Returns NULL with err filled when the URL cannot
 * be used (bad scheme, bad port, no host).
 */
struct ws_conn	*ws_conn_new(struct ws_ctx *, const char *url,
		    const struct ws_conn_config *,
		    const struct ws_conn_events *, void *arg, char *err,
		    size_t errsz);

/*
 * Queue one line (a trailing CR LF is dropped: the frame is the line) to
 * be sent as one text frame once the connection is open and writable. tag,
 * if non-zero, comes back in on_sent. Returns 0, or -1 when the queue is
 * full or the connection is closing (nothing queued).
 */
int		 ws_send(struct ws_conn *, const char *line, size_t len,
		    uint64_t tag);
/* Lines queued and not yet written. */
size_t		 ws_queued(const struct ws_conn *);
/* 1 once on_open has run (and until the conn is closed). */
int		 ws_is_open(const struct ws_conn *);

/*
 * Close: a WebSocket close frame if open, then the socket. No callback
 * runs for this conn after ws_close() returns, and the pointer must not be
 * used again; its memory is released from the loop. Safe inside this
 * conn's own callbacks (on_line: no further line is delivered).
 */
void		 ws_close(struct ws_conn *);

/* A parsed ws:// or wss:// URL. */
struct ws_url {
	int		 tls;		/* wss */
	char		 host[256];	/* no brackets for IPv6 literals */
	int		 port;
	char		 path[512];	/* "/" when absent */
};

/* Parse url into *u. Returns 0, or -1 with err filled. Pure. */
int		 ws_url_parse(const char *url, struct ws_url *u, char *err,
		    size_t errsz);

#endif
