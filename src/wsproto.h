/*
 * wsproto.h: the client side of the WebSocket protocol (RFC 6455).
 *
 * Pure: bytes in, bytes and callbacks out. No sockets, no globals, no
 * allocation: every state lives in a struct the caller owns, so the
 * network code decides where bytes come from and go to, and this is
 * unit-tested and fuzzed on its own. SHA-1 and base64 are here too, for
 * the handshake only, so the core does not need OpenSSL for them.
 *
 * A connection goes: wsproto_key() from 16 random bytes, wsproto_request()
 * sent, the answer fed to wsproto_reply_feed() until WSPROTO_DONE, then
 * every byte after it (the rest of that call's data first) fed to
 * wsproto_rx_feed(); frames out are built by wsproto_frame().
 */
#ifndef STITCH_WSPROTO_H
#define STITCH_WSPROTO_H

#include <stddef.h>
#include <stdint.h>

#define WSPROTO_KEY_LEN		24	/* base64 of 16 bytes */
#define WSPROTO_ACCEPT_LEN	28	/* base64 of a SHA-1 */
#define WSPROTO_HEADER_MAX	14	/* a client frame's header, at most */
#define WSPROTO_REPLY_MAX	4096	/* the server's handshake answer, at most */

/* The longest payload of a control frame (ping, pong, close). */
#define WSPROTO_CONTROL_MAX	125

void	wsproto_sha1(const void *data, size_t len, unsigned char out[20]);
/* out must hold 4 * ((len + 2) / 3) + 1 bytes; NUL-terminated; returns the
 * length. */
size_t	wsproto_base64(const unsigned char *in, size_t len, char *out);
/* Sec-WebSocket-Key from 16 random bytes (the caller supplies them). */
void	wsproto_key(const unsigned char nonce[16],
	    char key[WSPROTO_KEY_LEN + 1]);
/* The Sec-WebSocket-Accept a server must answer to key. */
void	wsproto_accept(const char *key, char accept[WSPROTO_ACCEPT_LEN + 1]);

/*
 * The opening handshake: "GET path HTTP/1.1" with Host: host (given as
 * "host" or "host:port"), Upgrade: websocket, Connection: Upgrade,
 * Sec-WebSocket-Key: key, Sec-WebSocket-Version: 13, ending with an empty
 * line (CR LF everywhere). An empty path is sent as "/". Returns the length
 * written (NUL-terminated), or 0 when sz is too small, or when host, path
 * or key hold a space or a control byte (they would break the request
 * apart); buf is then "" if sz > 0.
 */
size_t	wsproto_request(char *buf, size_t sz, const char *host,
	    const char *path, const char *key);

enum { WSPROTO_MORE = 0, WSPROTO_DONE = 1, WSPROTO_ERROR = -1 };

/* The server's answer to the handshake, fed as bytes arrive. */
struct wsproto_reply {
	char	buf[WSPROTO_REPLY_MAX];
	size_t	n;
	char	accept[WSPROTO_ACCEPT_LEN + 1];
};
void	wsproto_reply_init(struct wsproto_reply *, const char *key);
/*
 * Feed len bytes. WSPROTO_MORE: all taken, the header block is not complete
 * yet. WSPROTO_DONE: the answer is a valid "101" upgrade; *used bytes of
 * THIS call's data were the end of it, the rest (len - *used) are already
 * WebSocket frames. WSPROTO_ERROR: why filled with a sentence a user can
 * act on, free of the server's control bytes. After DONE or ERROR the
 * struct is spent: init it again for another connection. why may be NULL.
 */
int	wsproto_reply_feed(struct wsproto_reply *, const char *data,
	    size_t len, size_t *used, char *why, size_t whysz);

enum wsproto_op {
	WSPROTO_CONT = 0x0, WSPROTO_TEXT = 0x1, WSPROTO_BINARY = 0x2,
	WSPROTO_CLOSE = 0x8, WSPROTO_PING = 0x9, WSPROTO_PONG = 0xa,
};

/* Frames from the server, decoded incrementally (any split of the byte
 * stream gives the same events). Private: use the functions below. */
struct wsproto_rx {
	unsigned char	hdr[WSPROTO_HEADER_MAX];	/* collected so far */
	size_t		hdr_n;
	size_t		hdr_want;	/* 2, then the whole header's size */
	int		in_payload;	/* the header is done */
	unsigned	op;		/* of the current frame */
	int		fin;
	uint64_t	left;		/* payload bytes still to come */
	int		in_message;	/* a fragmented message goes on */
	size_t		message;	/* its bytes so far */
	unsigned char	ctl[WSPROTO_CONTROL_MAX];	/* a control payload */
	size_t		ctl_n;
	size_t		max_message;
};

struct wsproto_rx_events {
	/* Payload bytes of a text or binary message, in order, in pieces as
	 * they arrive (pointers into the fed data: server frames are not
	 * masked). fin: this piece ends the message (it may be empty, len 0,
	 * e.g. an empty final frame); an empty piece is never handed out
	 * otherwise. Return 0 to go on, non-zero to stop: wsproto_rx_feed()
	 * then returns 1 at once. */
	int	(*on_data)(void *arg, const char *data, size_t len, int fin);
	/* A ping, whole (payload <= 125 bytes), to be answered with a pong.
	 * Same return rule. */
	int	(*on_ping)(void *arg, const char *data, size_t len);
	/* A close frame, whole: code 1005 when it had no payload; reason (len
	 * bytes, may be 0, raw bytes: the caller sanitizes). Same return
	 * rule. */
	int	(*on_close)(void *arg, unsigned code, const char *reason,
		    size_t len);
	/* Pongs are taken silently. A NULL callback takes its events
	 * silently too. */
};

/* max_message: the longest text/binary message accepted, bytes (over it
 * is an error). */
void	wsproto_rx_init(struct wsproto_rx *, size_t max_message);
/*
 * Returns 0 (all taken), 1 (a callback asked to stop; the rest of data was
 * not looked at), or -1 with why filled on a protocol error, after which
 * the caller stops feeding: a masked frame from the server, RSV bits set,
 * an unknown opcode, a control frame longer than 125 bytes or not final, a
 * continuation with no message started, a new text/binary frame inside an
 * unfinished fragmented message, a 64-bit length with the top bit set, a
 * message longer than max_message, a close payload of 1 byte. why may be
 * NULL.
 */
int	wsproto_rx_feed(struct wsproto_rx *, const char *data, size_t len,
	    const struct wsproto_rx_events *, void *arg, char *why,
	    size_t whysz);

/* One frame from the client: FIN set, opcode op, payload masked with mask
 * (RFC 6455 5.3), written to out, which must hold len + WSPROTO_HEADER_MAX
 * bytes. Returns bytes written. Uses the 7-bit, 16-bit (126) or 64-bit
 * (127) length form as the RFC requires (minimal). */
size_t	wsproto_frame(unsigned char *out, enum wsproto_op op,
	    const void *payload, size_t len, const unsigned char mask[4]);
/* A close frame's payload for wsproto_frame: the code big-endian, then
 * reason (truncated to fit 125 bytes, at a UTF-8 character boundary).
 * reason may be NULL. Returns its length. */
size_t	wsproto_close_payload(unsigned char out[WSPROTO_CONTROL_MAX],
	    unsigned code, const char *reason);

#endif
