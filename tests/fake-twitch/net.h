/*
 * net.h: fake-twitch's listeners and connections. Chat over WebSocket (ws,
 * and wss with --tls) through libwebsockets, plain IRC and the admin port
 * over libuv TCP, HTTP and HTTPS handed to fake_http_dispatch (http.h).
 * Everything listens on 127.0.0.1 only, on ports the kernel picks.
 *
 * Above this file a connection is a struct net_conn that takes whole lines
 * (struct fline, shared and reference counted) and gives whole lines to its
 * owner: chat.c for the chat ports, control.c for the admin port.
 */
#ifndef FAKE_NET_H
#define FAKE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct fline;
struct fake_world;
struct net_conn;

enum net_kind {
	NET_WS,		/* chat over ws:// or wss:// */
	NET_IRC,	/* chat over plain TCP, CR LF lines */
	NET_ADMIN	/* the control port */
};

struct net_opts {
	const char	*cert;		/* PEM files; NULL: no wss, no https */
	const char	*key;
	int		 admin;		/* open the admin port */
	size_t		 max_queue;	/* lines queued to one client before
					 * it is dropped as too slow */
};

struct net_stats {
	uint64_t	 conns_total;
	unsigned	 conns_now;
	uint64_t	 lines_sent;
	uint64_t	 bytes_sent;
	uint64_t	 http_requests;
};

/* Listen on every port. Returns 0, or -1 with a message in err. */
int		 net_start(uv_loop_t *, struct fake_world *, const struct net_opts *,
		    char *err, size_t errsz);
/* The "name=port" lines for the port file, into buf. */
void		 net_ports(char *buf, size_t bufsz);
/* Close every listener and connection; the loop then runs dry. */
void		 net_stop(void);
const struct net_stats *net_get_stats(void);

/* Queue a line to a connection (takes its own reference). */
void		 net_conn_send(struct net_conn *, struct fline *);
/* The same for a plain string (copied). */
void		 net_conn_sendf(struct net_conn *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Close: graceful flushes what is queued first (and sends a WebSocket close
 * frame); abrupt shuts the socket down at once. The owner's closed callback
 * runs later, from the loop. */
void		 net_conn_close(struct net_conn *, int abrupt);
/* Close gracefully ms milliseconds from now. */
void		 net_conn_close_later(struct net_conn *, unsigned ms);
/* Neither read from nor write to the connection for ms milliseconds. */
void		 net_conn_stall(struct net_conn *, unsigned ms);
unsigned	 net_conn_id(const struct net_conn *);
enum net_kind	 net_conn_kind(const struct net_conn *);
/* "ws#3", "wss#4", "irc#5", "admin#6": for logs. Borrowed. */
const char	*net_conn_name(const struct net_conn *);
size_t		 net_conn_queued(const struct net_conn *);
/* Apply fn to every open chat connection. */
void		 net_foreach_chat(void (*fn)(struct net_conn *, void *), void *);

/* Upcalls, implemented by chat.c (NET_WS, NET_IRC) and control.c
 * (NET_ADMIN). open returns the owner's state for the connection; line gets
 * one line without CR LF, NUL-terminated, writable in place; closed is the
 * last call for that connection. */
void		*chat_open(struct net_conn *);
void		 chat_line(void *, char *line, size_t len);
void		 chat_closed(void *);
void		*control_open(struct net_conn *);
void		 control_line(void *, char *line, size_t len);
void		 control_closed(void *);

/* Milliseconds since the epoch (tmi-sent-ts, HTTP now_ms). */
uint64_t	 net_now_ms(void);

#endif
