/*
 * wsframe.h: the client side of WebSocket (RFC 6455) framing and the
 * opening handshake, pure: bytes in, callbacks and bytes out, no sockets.
 *
 * ws.c carries them over a libwebsockets raw connection (TCP or TLS on the
 * libuv loop): libwebsockets' own WebSocket reader walks every byte through
 * a function call, and measured at 10,000 lines a second it was the
 * biggest cost of the whole client. Here a frame's payload is handed on in
 * one piece, as it lies in the read buffer.
 */
#ifndef STITCH_WSFRAME_H
#define STITCH_WSFRAME_H

#include <stddef.h>
#include <stdint.h>

/* Opcodes. */
#define WSF_OP_CONT	0x0
#define WSF_OP_TEXT	0x1
#define WSF_OP_BINARY	0x2
#define WSF_OP_CLOSE	0x8
#define WSF_OP_PING	0x9
#define WSF_OP_PONG	0xa

/* A control frame's payload is at most this (RFC 6455 5.5). */
#define WSF_CONTROL_MAX	125
/* Most bytes a client frame header takes (2 + 8 length + 4 mask). */
#define WSF_HEADER_MAX	14

struct wsframe_events {
	/*
	 * A piece of a data message's payload (text or binary, any
	 * fragment). last is 1 on the piece that ends the message (which may
	 * be empty).
	 */
	void	(*on_data)(void *arg, const char *p, size_t len, int last);
	/* A whole ping; the reader answers nothing itself. */
	void	(*on_ping)(void *arg, const unsigned char *p, size_t len);
	/* The peer's close: code 0 when it gave none; reason not NUL-ended. */
	void	(*on_close)(void *arg, unsigned code, const char *reason,
		    size_t len);
};

enum wsframe_state {
	WSF_HEAD,		/* collecting a header */
	WSF_PAYLOAD,		/* inside a frame's payload */
	WSF_CLOSED,		/* a close frame was read: nothing more */
	WSF_FAILED		/* a protocol error: nothing more */
};

struct wsframe_reader {
	enum wsframe_state	 state;
	unsigned char		 head[WSF_HEADER_MAX];
	size_t			 headlen;
	int			 opcode;	/* of the frame being read */
	int			 fin;
	uint64_t		 left;		/* payload bytes still to come */
	int			 in_message;	/* a fragmented message is open */
	unsigned char		 ctl[WSF_CONTROL_MAX];
	size_t			 ctllen;
	char			 error[96];	/* why, when WSF_FAILED */
	struct wsframe_events	 ev;
	void			*arg;
};

void	wsframe_reader_init(struct wsframe_reader *,
	    const struct wsframe_events *, void *arg);
/*
 * Feed bytes as they came off the connection; calls back as frames
 * complete. Returns 0, or -1 once the stream is broken (r->error says why:
 * a masked server frame, reserved bits, an unknown opcode, a fragmented or
 * oversized control frame, a continuation out of place). After a close
 * frame the rest is ignored (returns 0, state WSF_CLOSED).
 */
int	wsframe_feed(struct wsframe_reader *, const void *buf, size_t len);

/*
 * A client frame (FIN set, masked with mask[4]) for a payload of len
 * bytes: writes the header into head (WSF_HEADER_MAX bytes) and returns
 * its length; the caller masks the payload with wsframe_mask().
 */
size_t	wsframe_header(unsigned char *head, int opcode, uint64_t len,
	    const unsigned char mask[4]);
/* XOR len bytes with the mask, starting at mask offset 0. */
void	wsframe_mask(unsigned char *p, size_t len, const unsigned char mask[4]);

/*
 * The opening handshake. key is the client's Sec-WebSocket-Key: base64 of
 * 16 random bytes (24 characters and a NUL). wsframe_request() writes the
 * GET request for path with Host host into buf (NUL-ended) and returns
 * its length, or 0 if it does not fit.
 */
size_t	wsframe_request(char *buf, size_t bufsz, const char *host,
	    const char *path, const char *key);
/*
 * The server's reply: returns the bytes the headers took (up to and with
 * the blank line) once it is a valid 101 upgrade for key, 0 while the
 * headers are still incomplete, -1 when refused (why says what: the
 * status line, a missing Upgrade or Connection, a wrong
 * Sec-WebSocket-Accept).
 */
long	wsframe_response(const char *buf, size_t len, const char *key,
	    char *why, size_t whysz);
/* Sec-WebSocket-Accept for key (28 characters and a NUL into out[29]). */
void	wsframe_accept(const char *key, char out[29]);

#endif
