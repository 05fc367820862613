/*
 * textout.h: writing untrusted text into machine-readable output, shared by
 * `stitch tail` and `stitch report` so TSV and JSON Lines are escaped one
 * way everywhere.
 */
#ifndef STITCH_TEXTOUT_H
#define STITCH_TEXTOUT_H

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

#endif
