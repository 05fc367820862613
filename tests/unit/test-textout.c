/*
 * test-textout.c: the escaping `stitch tail` and `stitch report` share,
 * table-driven: what TSV and JSON Lines get for tabs, newlines,
 * backslashes, quotes, terminal escapes, invalid UTF-8 and bidi
 * overrides.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "textout.h"

static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*tsv;
	const char	*json;
} cases[] = {
	{ "plain", 0, "plain", "plain" },
	{ "a\tb", 0, "a\\tb", "a\\u0009b" },
	{ "line\nbreak\r", 0, "line\\nbreak\\r", "line\\u000abreak\\u000d" },
	{ "back\\slash", 0, "back\\\\slash", "back\\\\slash" },
	{ "say \"hi\"", 0, "say \"hi\"", "say \\\"hi\\\"" },
	/* ESC: a visible picture in TSV, \u001b in JSON; never the byte. */
	{ "\x1b[31mred", 0, "\xe2\x90\x9b[31mred", "\\u001b[31mred" },
	{ "nul\0after", 9, "nul\xe2\x90\x80" "after", "nul\\u0000after" },
	{ "del\x7f", 0, "del\xe2\x90\xa1", "del\\u007f" },
	{ "bad \xff utf8", 0, "bad \xef\xbf\xbd utf8",
	    "bad \xef\xbf\xbd utf8" },
	{ "rtl \xe2\x80\xae" "evil", 0, "rtl evil", "rtl evil" },
	{ "Böb キャロル 😀", 0, "Böb キャロル 😀", "Böb キャロル 😀" },
	{ "", 0, "", "" },
};

static char *
textout_str(int json, const char *s, size_t len)
{
	char	*buf = NULL;
	size_t	 n = 0;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &n)) == NULL)
		abort();
	textout_put(fp, json, s, len);
	fclose(fp);
	return buf;
}

int
main(void)
{
	char	*out, big[20000];
	size_t	 i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = cases[i].len != 0 ? cases[i].len : strlen(cases[i].in);
		out = textout_str(0, cases[i].in, len);
		tap_is_str(out, cases[i].tsv, "tsv");
		free(out);
		out = textout_str(1, cases[i].in, len);
		tap_is_str(out, cases[i].json, "json");
		free(out);
	}

	/* Long runs are sanitized in pieces: never cut inside a character. */
	for (i = 0; i + 3 <= sizeof big - 1; i += 3)
		memcpy(big + i, "\xe3\x82\xad", 3);	/* キ */
	big[i] = '\0';
	/* A bidi override (3 bytes, on a character boundary) makes the run
	 * unsafe: it goes through the sanitizer in 4096-byte pieces, and
	 * 4096 is not a multiple of 3. */
	memcpy(big + 3000, "\xe2\x80\xae", 3);
	out = textout_str(0, big, strlen(big));
	tap_ok(strstr(out, "\xef\xbf\xbd") == NULL, "a long run cut into "
	    "pieces keeps every character whole");
	tap_is_int((long long)strlen(out), (long long)strlen(big) - 3,
	    "only the override is gone");
	free(out);

	/* Status lines on stderr: one line, the prefix, nothing raw. */
	{
		FILE	*tmp = tmpfile();
		char	 line[512];
		int	 saved = dup(2);

		fflush(stderr);
		dup2(fileno(tmp), 2);
		textout_status("tail", "join failed: %s", "no\033]0;pwned\007"
		    "\033[2J\n#evil");
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		rewind(tmp);
		if (fgets(line, sizeof line, tmp) == NULL)
			line[0] = '\0';
		tap_ok(strncmp(line, "stitch tail: join failed: no", 28) == 0,
		    "status: the prefix and the message");
		tap_ok(strchr(line, '\033') == NULL && strchr(line, '\007') ==
		    NULL, "status: no ESC or BEL from the message");
		tap_ok(fgets(line, sizeof line, tmp) == NULL,
		    "status: a LF in the message does not start a second line");
		fclose(tmp);
	}
	return tap_done();
}
