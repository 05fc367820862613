/*
 * textout.c: escaped, sanitized values for TSV and JSON Lines (see
 * textout.h). Moved out of tail.c so report.c writes the same bytes.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "textout.h"

#define TEXTOUT_RUN	4096

/* Sanitized bytes of a run with no control character, quote or backslash,
 * cut at character boundaries so the buffer always holds the result. */
static void
textout_run(FILE *fp, const char *s, size_t len)
{
	char	sbuf[TEXT_SANITIZE_SIZE(TEXTOUT_RUN)];
	size_t	n, out;

	while (len > 0) {
		n = len < TEXTOUT_RUN ? len : TEXTOUT_RUN;
		/* Do not cut a UTF-8 sequence: back off to a lead byte. */
		while (n < len && n > TEXTOUT_RUN - 4 &&
		    ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		out = text_sanitize(s, n, sbuf, sizeof sbuf);
		fwrite(sbuf, 1, out, fp);
		s += n;
		len -= n;
	}
}

void
textout_put(FILE *fp, int json, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, run;
	unsigned char		 c;

	for (i = 0; i < len; i = run) {
		for (run = i; run < len; run++) {
			c = (unsigned char)s[run];
			if (c < 0x20 || c == 0x7f || c == '\\' ||
			    (c == '"' && json))
				break;
		}
		if (run > i) {
			if (text_is_safe(s + i, run - i))
				fwrite(s + i, 1, run - i, fp);
			else
				textout_run(fp, s + i, run - i);
		}
		if (run == len)
			break;
		c = (unsigned char)s[run++];
		if (c == '\\' || c == '"') {
			putc('\\', fp);
			putc(c, fp);
		} else if (json) {
			fputs("\\u00", fp);
			putc(hex[c >> 4], fp);
			putc(hex[c & 15], fp);
		} else if (c == '\t')
			fputs("\\t", fp);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else		/* ESC and the rest: a visible picture */
			textout_run(fp, (const char *)&c, 1);
	}
}

void
textout_vstatus(const char *who, const char *fmt, va_list ap)
{
	char	msg[2048], out[TEXT_SANITIZE_SIZE(2048)];

	vsnprintf(msg, sizeof msg, fmt, ap);
	text_sanitize(msg, strlen(msg), out, sizeof out);
	fprintf(stderr, "stitch %s: %s\n", who, out);
}

void
textout_status(const char *who, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus(who, fmt, ap);
	va_end(ap);
}
