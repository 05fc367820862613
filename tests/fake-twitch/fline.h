/*
 * fline.h: one outgoing IRC line, built once and shared by every connection
 * it goes to (reference counted). The bytes sit after LWS_PRE bytes of
 * headroom, so libwebsockets can put its frame header in front without a
 * copy, and are followed by CR LF for the plain IRC port.
 */
#ifndef FAKE_FLINE_H
#define FAKE_FLINE_H

#include <stdarg.h>
#include <stddef.h>

#define FLINE_RAW	0xff

struct fline {
	unsigned	 refs;
	size_t		 len;		/* bytes of the line, CR LF excluded */
	unsigned char	 ws_op;		/* 0: a text line; else the first byte
					 * of a WebSocket control frame, or
					 * FLINE_RAW: bytes sent as they are */
	char		*data;		/* len bytes, then "\r\n", then NUL */
};

/* A new line of len bytes copied from s (no CR LF in s); refs = 1. */
struct fline	*fline_new(const char *s, size_t len);
/* The same, formatted. Lines longer than 64 KiB are cut. */
struct fline	*fline_printf(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
struct fline	*fline_vprintf(const char *fmt, va_list ap)
		    __attribute__((format(printf, 1, 0)));
void		 fline_ref(struct fline *);
/* Drop a reference; frees at zero. fline_unref(NULL) does nothing. */
void		 fline_unref(struct fline *);

#endif
