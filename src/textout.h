/*
 * textout.h: writing untrusted text into machine-readable output, shared by
 * `stitch tail` and `stitch report` so TSV and JSON Lines are escaped one
 * way everywhere.
 */
#ifndef STITCH_TEXTOUT_H
#define STITCH_TEXTOUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Write len bytes of s to fp as one value: for TSV (json 0) TAB, LF, CR
 * and backslash become \t \n \r \\; for the inside of a JSON string (json
 * 1) backslash and quote are escaped and every control character is
 * \u00XX. What is left goes through text_sanitize(): no terminal escape,
 * invalid UTF-8 or bidi override gets through.
 */
void	textout_put(FILE *fp, int json, const char *s, size_t len);

/*
 * A message for the person at the terminal, on stderr, as one line
 * "stitch WHO: MESSAGE", sanitized first: messages quote servers, file
 * names and chat, none of which may reach the terminal raw. Never give it
 * a token.
 */
void	textout_status(const char *who, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	textout_vstatus(const char *who, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

#endif
