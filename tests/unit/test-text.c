/*
 * test-text.c: text safety, width, wrapping, word matching and nick colours.
 * Byte strings are written out so the hostile cases are visible here; a
 * hex escape is always closed by a string break ("\xe2\x80\xae" "b").
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "text.h"

#define FFFD	"\xef\xbf\xbd"

static const struct {
	const char	*what;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*out;
} sanitize_cases[] = {
	{ "plain ASCII", "Kappa 123 !~", 0, "Kappa 123 !~" },
	{ "empty", "", 0, "" },
	{ "CJK", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0,
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "combining mark", "e\xcc\x81", 0, "e\xcc\x81" },
	{ "emoji", "\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80" },
	{ "ZWJ family", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80"
	  "\x8d\xf0\x9f\x91\xa7", 0, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f"
	  "\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7" },
	{ "skin tone", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 0,
	  "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" },
	{ "heart with VS16", "\xe2\x9d\xa4\xef\xb8\x8f", 0,
	  "\xe2\x9d\xa4\xef\xb8\x8f" },
	{ "flag", "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8", 0,
	  "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8" },
	{ "a real U+FFFD stays", FFFD, 0, FFFD },
	{ "private use plane 15", "\xf3\xbf\xbf\xbd", 0, "\xf3\xbf\xbf\xbd" },
	{ "emoji tag sequence (Scotland)", "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7"
	  "\xf3\xa0\x81\xa2\xf3\xa0\x81\xbf", 0, "\xf0\x9f\x8f\xb4\xf3\xa0"
	  "\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xbf" },

	/* C0, DEL: control pictures; TAB a space. */
	{ "TAB", "a\tb", 0, "a b" },
	{ "ESC sequence", "\x1b[31mred\x1b]0;title\x07", 0,
	  "\xe2\x90\x9b[31mred\xe2\x90\x9b]0;title\xe2\x90\x87" },
	{ "LF", "a\nb", 0, "a\xe2\x90\x8a" "b" },
	{ "CR", "a\rb", 0, "a\xe2\x90\x8d" "b" },
	{ "CR LF forged line", "hi\r\n:x PRIVMSG", 0,
	  "hi\xe2\x90\x8d\xe2\x90\x8a:x PRIVMSG" },
	{ "NUL", "a\0b", 3, "a\xe2\x90\x80" "b" },
	{ "BEL BS", "\x07\x08", 0, "\xe2\x90\x87\xe2\x90\x88" },
	{ "0x1f", "\x1f", 0, "\xe2\x90\x9f" },
	{ "DEL", "a\x7f", 0, "a\xe2\x90\xa1" },

	/* C1 controls (encoded as UTF-8): U+FFFD. */
	{ "U+0080", "\xc2\x80", 0, FFFD },
	{ "U+0085 NEL", "\xc2\x85", 0, FFFD },
	{ "U+009B CSI", "\xc2\x9b" "31m", 0, FFFD "31m" },
	{ "U+009F", "\xc2\x9f", 0, FFFD },
	{ "U+00A0 is not C1", "\xc2\xa0", 0, "\xc2\xa0" },

	/* Bidi and invisible format characters: removed. */
	{ "U+202A LRE", "a\xe2\x80\xaa" "b", 0, "ab" },
	{ "U+202B RLE", "a\xe2\x80\xab" "b", 0, "ab" },
	{ "U+202C PDF", "a\xe2\x80\xac" "b", 0, "ab" },
	{ "U+202D LRO", "a\xe2\x80\xad" "b", 0, "ab" },
	{ "U+202E RLO", "a\xe2\x80\xae" "cba", 0, "acba" },
	{ "U+2066 LRI", "a\xe2\x81\xa6" "b", 0, "ab" },
	{ "U+2067 RLI", "a\xe2\x81\xa7" "b", 0, "ab" },
	{ "U+2068 FSI", "a\xe2\x81\xa8" "b", 0, "ab" },
	{ "U+2069 PDI", "a\xe2\x81\xa9" "b", 0, "ab" },
	{ "U+200E LRM", "a\xe2\x80\x8e" "b", 0, "ab" },
	{ "U+200F RLM", "a\xe2\x80\x8f" "b", 0, "ab" },
	{ "U+061C ALM", "a\xd8\x9c" "b", 0, "ab" },
	{ "U+206A..U+206F", "\xe2\x81\xaa\xe2\x81\xaf", 0, "" },
	{ "U+FEFF", "\xef\xbb\xbf" "a", 0, "a" },
	{ "U+FFF9..U+FFFB", "\xef\xbf\xb9\xef\xbf\xbb", 0, "" },
	{ "U+E0000 duplicate bypass", "Kappa \xf3\xa0\x80\x80", 0, "Kappa " },
	{ "U+E0001", "\xf3\xa0\x80\x81", 0, "" },
	{ "U+2028", "a\xe2\x80\xa8" "b", 0, "a\xe2\x90\xa4" "b" },
	{ "U+2029", "\xe2\x80\xa9", 0, "\xe2\x90\xa4" },
	{ "ZWJ and ZWSP stay", "a\xe2\x80\x8d\xe2\x80\x8b", 0,
	  "a\xe2\x80\x8d\xe2\x80\x8b" },

	/* Noncharacters. */
	{ "U+FFFE", "\xef\xbf\xbe", 0, FFFD },
	{ "U+FFFF", "\xef\xbf\xbf", 0, FFFD },
	{ "U+FDD0", "\xef\xb7\x90", 0, FFFD },
	{ "U+1FFFF", "\xf0\x9f\xbf\xbf", 0, FFFD },
	{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 0, FFFD },

	/* Invalid UTF-8 (Markus Kuhn's stress test, Unicode table 3-8):
	 * one U+FFFD per maximal subpart. */
	{ "lone continuation", "\x80", 0, FFFD },
	{ "two continuations", "\x80\xbf", 0, FFFD FFFD },
	{ "lone lead bytes", "\xc3 \xe6 \xf0 ", 0, FFFD " " FFFD " " FFFD " " },
	{ "C0/C1 leads always invalid", "\xc0\x80\xc1\xbf", 0,
	  FFFD FFFD FFFD FFFD },
	{ "overlong '/' in 2", "\xc0\xaf", 0, FFFD FFFD },
	{ "overlong '/' in 3", "\xe0\x80\xaf", 0, FFFD FFFD FFFD },
	{ "overlong '/' in 4", "\xf0\x80\x80\xaf", 0, FFFD FFFD FFFD FFFD },
	{ "overlong NUL in 2", "\xc0\x80", 0, FFFD FFFD },
	{ "max overlong in 3", "\xe0\x9f\xbf", 0, FFFD FFFD FFFD },
	{ "surrogate D800", "\xed\xa0\x80", 0, FFFD FFFD FFFD },
	{ "surrogate DFFF", "\xed\xbf\xbf", 0, FFFD FFFD FFFD },
	{ "surrogate pair", "\xed\xa0\x80\xed\xb0\x80", 0,
	  FFFD FFFD FFFD FFFD FFFD FFFD },
	{ "over U+10FFFF", "\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD },
	{ "F5 lead", "\xf5\x80\x80\x80", 0, FFFD FFFD FFFD FFFD },
	{ "5-byte form", "\xf8\x88\x80\x80\x80", 0,
	  FFFD FFFD FFFD FFFD FFFD },
	{ "FE FF", "\xfe\xff", 0, FFFD FFFD },
	{ "truncated 3-byte at end", "\xe6\x97", 0, FFFD },
	{ "truncated 4-byte at end", "\xf0\x9f\x98", 0, FFFD },
	{ "truncated then ASCII", "\xe6\x97" "a", 0, FFFD "a" },
	{ "truncated then lead", "\xf0\x9f\xe6\x97\xa5", 0,
	  FFFD "\xe6\x97\xa5" },
	{ "Unicode table 3-8", "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80"
	  "\xbf\x64", 0, "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d" },
	{ "first and last of each length", "\xc2\x80\xdf\xbf\xe0\xa0\x80"
	  "\xf0\x90\x80\x80", 0, FFFD "\xdf\xbf\xe0\xa0\x80\xf0\x90\x80\x80" },
};

static void
test_sanitize(void)
{
	char	out[256];
	size_t	i, len, n;

	for (i = 0; i < sizeof sanitize_cases / sizeof sanitize_cases[0]; i++) {
		len = sanitize_cases[i].len ? sanitize_cases[i].len :
		    strlen(sanitize_cases[i].in);
		memset(out, 'X', sizeof out);
		n = text_sanitize(sanitize_cases[i].in, len, out, sizeof out);
		tap_is_mem(out, n, sanitize_cases[i].out,
		    sanitize_cases[i].what);
		tap_ok(out[n] == '\0' && text_is_safe(out, n),
		    "%s: NUL-terminated, safe", sanitize_cases[i].what);
		tap_is_int(text_width(sanitize_cases[i].in, len),
		    text_width(out, n), "width of raw = width of sanitized");
	}

	/* A small output stops at a character boundary, always terminated. */
	n = text_sanitize("abc", 3, out, 3);
	tap_is_mem(out, n, "ab", "outsz 3 keeps 2 bytes and the NUL");
	n = text_sanitize("\xe6\x97\xa5\xe6\x9c\xac", 6, out, 5);
	tap_is_mem(out, n, "\xe6\x97\xa5", "never half a character");
	n = text_sanitize("\x1b", 1, out, 3);
	tap_is_mem(out, n, "", "no room for a replacement: nothing");
	n = text_sanitize("abc", 3, out, 1);
	tap_ok(n == 0 && out[0] == '\0', "outsz 1: empty string");
	tap_is_int(TEXT_SANITIZE_SIZE(4), 13, "TEXT_SANITIZE_SIZE");
	n = text_sanitize("\x80\x80\x80\x80", 4, out, TEXT_SANITIZE_SIZE(4));
	tap_is_int(n, 12, "worst case fits TEXT_SANITIZE_SIZE");

	tap_ok(!text_is_safe("a\x1b", 2), "ESC is not safe");
	tap_ok(!text_is_safe("\xe2\x80\xae", 3), "RLO is not safe");
	tap_ok(!text_is_safe("\xc3", 1), "truncated is not safe");
	tap_ok(text_is_safe("\xe6\x97\xa5 ok", 6), "CJK is safe");
}

static void
test_decode(void)
{
	uint32_t	cp, got;
	char		enc[4];
	size_t		n, bad = 0;

	tap_is_int(text_decode_cp("", 0, &cp), 0, "decode of nothing: 0");
	tap_ok(cp == TEXT_INVALID_CP, "and TEXT_INVALID_CP");
	n = text_decode_cp("\xe0\x80", 2, &cp);
	tap_ok(n == 1 && cp == TEXT_INVALID_CP, "E0 80: subpart of 1");
	n = text_decode_cp("\xf0\x9f\x98", 3, &cp);
	tap_ok(n == 3 && cp == TEXT_INVALID_CP, "F0 9F 98: subpart of 3");
	n = text_decode_cp("\xf0\x9f\x98\x80", 4, &cp);
	tap_ok(n == 4 && cp == 0x1f600, "U+1F600");
	tap_is_int(text_encode_cp(0xd800, enc), 0, "no surrogate encoding");
	tap_is_int(text_encode_cp(0x110000, enc), 0, "nothing past U+10FFFF");

	/* Every scalar value round-trips. */
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = text_encode_cp(cp, enc);
		if (n == 0 || text_decode_cp(enc, n, &got) != n || got != cp)
			bad++;
	}
	tap_is_int((long long)bad, 0, "all 1,112,064 scalar values round-trip");
}

static const struct {
	const char	*what;
	const char	*s;
	int		 width;
} width_cases[] = {
	{ "ASCII", "abc", 3 },
	{ "CJK", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6 },
	{ "Hangul", "\xea\xb0\x80", 2 },
	{ "fullwidth A", "\xef\xbc\xa1", 2 },
	{ "combining acute", "e\xcc\x81", 1 },
	{ "emoji", "\xf0\x9f\x98\x80", 2 },
	{ "Unicode 15 emoji (shaking face)", "\xf0\x9f\xab\xa8", 2 },
	{ "skin tone: wcwidth sums", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 4 },
	{ "ZWJ family: wcwidth sums", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f"
	  "\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 6 },
	{ "VS16 is zero", "\xe2\x9d\xa4\xef\xb8\x8f", 1 },
	{ "flag: two regional indicators", "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8",
	  2 },
	{ "ZWSP", "a\xe2\x80\x8b" "b", 2 },
	{ "ESC counts as its picture", "\x1b", 1 },
	{ "TAB counts as a space", "\t", 1 },
	{ "C1 counts as U+FFFD", "\xc2\x9b", 1 },
	{ "RLO is removed", "\xe2\x80\xae", 0 },
	{ "U+E0000 is removed", "\xf3\xa0\x80\x80", 0 },
	{ "invalid byte counts as U+FFFD", "\xff", 1 },
	{ "unassigned BMP", "\xcd\xb8", 1 },
	{ "private use", "\xee\x80\x80", 1 },
};

static void
test_width(void)
{
	size_t	i;

	for (i = 0; i < sizeof width_cases / sizeof width_cases[0]; i++)
		tap_is_int(text_width(width_cases[i].s,
		    strlen(width_cases[i].s)), width_cases[i].width,
		    width_cases[i].what);
	tap_is_int(text_cp_width(TEXT_INVALID_CP), 1, "invalid cp width 1");
	tap_is_int(text_cp_width(0x200d), 0, "ZWJ width 0");
	tap_is_int(text_cp_width(0xfe0f), 0, "VS16 width 0");
	tap_is_int(text_cp_width(0x3000), 2, "ideographic space width 2");
	tap_ok(text_cp_safe(0x4e00) && !text_cp_safe(0x1b) &&
	    !text_cp_safe(0x202e) && !text_cp_safe(0x85) &&
	    !text_cp_safe(0xd800), "text_cp_safe");
}

static const struct {
	const char	*what;
	const char	*s;
	size_t		 bytes;
	int		 width;
} next_cases[] = {
	{ "ASCII", "ab", 1, 1 },
	{ "combining stays with its base", "e\xcc\x81x", 3, 1 },
	{ "two combining marks", "a\xcc\x81\xcc\xa7!", 5, 1 },
	{ "CJK", "\xe6\x97\xa5\xe6\x9c\xac", 3, 2 },
	{ "emoji with VS16", "\xe2\x9d\xa4\xef\xb8\x8fx", 6, 1 },
	{ "skin tone glued", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbdx", 8, 4 },
	{ "ZWJ sequence is one", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91"
	  "\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7x", 18, 6 },
	{ "flags pair up", "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8\xf0\x9f\x87\xab",
	  8, 2 },
	{ "leading combining mark", "\xcc\x81" "a", 2, 0 },
	{ "invalid byte alone", "\xff" "a", 1, 1 },
	{ "invalid after base not glued", "a\xcc", 1, 1 },
	{ "ESC alone", "\x1b[", 1, 1 },
	{ "ZWJ does not join letters", "a\xe2\x80\x8d" "b", 4, 1 },
	{ "ZWJ chain capped at 8 columns", "\xf0\x9f\x98\x80\xe2\x80\x8d"
	  "\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80\xe2\x80\x8d"
	  "\xf0\x9f\x98\x80\xe2\x80\x8d\xf0\x9f\x98\x80", 28, 8 },
	{ "rainbow flag (width 1 + 2)", "\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2"
	  "\x80\x8d\xf0\x9f\x8c\x88!", 14, 3 },
};

static void
test_next_char(void)
{
	size_t	i, n;
	int	w = -1;

	for (i = 0; i < sizeof next_cases / sizeof next_cases[0]; i++) {
		n = text_next_char(next_cases[i].s, strlen(next_cases[i].s),
		    &w);
		tap_ok(n == next_cases[i].bytes && w == next_cases[i].width,
		    "next char: %s (%zu bytes, width %d)", next_cases[i].what,
		    n, w);
	}
	tap_is_int(text_next_char("", 0, &w), 0, "next char of nothing");
	tap_is_int(w, 0, "has width 0");
}

/* Rows joined with '|', each row's width checked against text_width(). */
static const char *
wrap_join(const char *s, int width, int indent, char *out, size_t outsz)
{
	struct text_row	rows[64];
	size_t		n, i, o = 0, len = strlen(s);

	n = text_wrap(s, len, width, indent, rows, 64);
	if (n != text_wrap(s, len, width, indent, NULL, 0))
		return "(count-only differs)";
	for (i = 0; i < n && i < 64; i++) {
		if (rows[i].width != text_width(s + rows[i].start,
		    rows[i].end - rows[i].start))
			return "(row width wrong)";
		o += (size_t)snprintf(out + o, outsz - o, "%s%.*s",
		    i ? "|" : "", (int)(rows[i].end - rows[i].start),
		    s + rows[i].start);
		if (o >= outsz)
			return "(too long)";
	}
	return out;
}

static const struct {
	const char	*s;
	int		 width;
	int		 indent;
	const char	*rows;
} wrap_cases[] = {
	{ "hello world", 20, 0, "hello world" },
	{ "hello world", 11, 0, "hello world" },
	{ "hello world", 10, 0, "hello|world" },
	{ "hello world", 5, 0, "hello|world" },
	{ "hello world", 6, 0, "hello|world" },
	{ "hello   world", 5, 0, "hello|world" },
	{ "hello   world", 7, 0, "hello|world" },
	{ "abcdefghij", 4, 0, "abcd|efgh|ij" },
	{ "ab cdefghij", 4, 0, "ab|cdef|ghij" },
	{ "a b c d", 3, 0, "a b|c d" },
	{ "aaa bbb ccc ddd", 7, 2, "aaa bbb|ccc|ddd" },
	{ "aaa bbb ccc ddd", 7, 0, "aaa bbb|ccc ddd" },
	{ "abcdef", 3, 5, "abc|d|e|f" },	/* indent clamped to 2 */
	{ "abc", 1, 0, "a|b|c" },
	{ "abc", 0, 0, "a|b|c" },		/* width < 1 is 1 */
	{ "", 10, 0, "" },
	{ "   ", 2, 0, "  " },
	{ "ab   ", 2, 0, "ab" },
	{ "  ab", 3, 0, "  a|b" },
	{ "ab  cd", 3, 0, "ab|cd" },
	/* CJK: two columns each, broken between characters. */
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86", 5, 0,
	  "\xe6\x97\xa5\xe6\x9c\xac|\xe8\xaa\x9e\xe3\x83\x86" },
	{ "a\xe6\x97\xa5", 2, 0, "a|\xe6\x97\xa5" },
	{ "a\xe6\x97\xa5", 3, 0, "a\xe6\x97\xa5" },
	/* A wide character in a 1-column row still makes progress. */
	{ "\xe6\x97\xa5\xe6\x9c\xac", 1, 0, "\xe6\x97\xa5|\xe6\x9c\xac" },
	{ "a\xe6\x97\xa5" "b", 1, 0, "a|\xe6\x97\xa5|b" },
	/* Combining marks and ZWJ sequences are never cut. */
	{ "e\xcc\x81" "e\xcc\x81", 1, 0, "e\xcc\x81|e\xcc\x81" },
	{ "ab\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
	  "\x91\xa7", 4, 0, "ab|\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	  "\xe2\x80\x8d\xf0\x9f\x91\xa7" },
	{ "hi \xf0\x9f\x98\x80\xf0\x9f\x98\x80", 4, 0,
	  "hi|\xf0\x9f\x98\x80\xf0\x9f\x98\x80" },
	{ "a \xcc\x81" "b", 2, 0, "a \xcc\x81|b" },	/* a space with a mark */
	/* A space after a ZWJ sequence: the row must not break back at an
	 * earlier space (found by fuzz-text: the row used to lose "bb..."). */
	{ "aa bb\xf0\x9f\x8d\xa9\xe2\x80\x8d  cc", 7, 0,
	  "aa bb\xf0\x9f\x8d\xa9\xe2\x80\x8d|cc" },
};

static void
test_wrap(void)
{
	struct text_row	rows[4];
	char		buf[512];
	size_t		i, n;
	const char	*s;

	for (i = 0; i < sizeof wrap_cases / sizeof wrap_cases[0]; i++) {
		snprintf(buf, sizeof buf, "wrap \"%s\" at %d indent %d",
		    wrap_cases[i].s, wrap_cases[i].width, wrap_cases[i].indent);
		tap_is_str(wrap_join(wrap_cases[i].s, wrap_cases[i].width,
		    wrap_cases[i].indent, buf + 256, 256), wrap_cases[i].rows,
		    buf);
	}

	s = "one two three four five six";
	n = text_wrap(s, strlen(s), 5, 0, rows, 2);
	tap_is_int((long long)n, 6, "returns every row needed beyond maxrows");
	tap_ok(rows[1].start == 4 && rows[1].end == 7, "fills only maxrows");
	n = text_wrap("\xe6\x97\xa5", 3, 1, 0, rows, 4);
	tap_ok(n == 1 && rows[0].width == 2, "overflowing row says width 2");
	n = text_wrap("", 0, 5, 0, rows, 4);
	tap_ok(n == 1 && rows[0].start == 0 && rows[0].end == 0 &&
	    rows[0].width == 0, "empty text: one empty row");
}

static const struct {
	const char	*text;
	const char	*word;
	int		 found;
} word_cases[] = {
	{ "hey @nick how are you", "nick", 1 },
	{ "nick, hi", "nick", 1 },
	{ "NICK!", "nick", 1 },
	{ "hi Nick", "nick", 1 },
	{ "@Nick: look", "nick", 1 },
	{ "nick", "nick", 1 },
	{ "nicknick nick", "nick", 1 },
	{ "nickname", "nick", 0 },
	{ "mynick", "nick", 0 },
	{ "nick_", "nick", 0 },
	{ "nick123", "nick", 0 },
	{ "\xe3\x83\x8bnick", "nick", 0 },	/* non-ASCII is word */
	{ "", "nick", 0 },
	{ "ni", "nick", 0 },
	{ "any", "", 0 },
	{ "go pog champ", "pog champ", 1 },
};

static void
test_words(void)
{
	const char	*t = "a nicknick nick.";
	size_t		 i;

	for (i = 0; i < sizeof word_cases / sizeof word_cases[0]; i++)
		tap_is_int(text_contains_word(word_cases[i].text,
		    word_cases[i].word), word_cases[i].found,
		    word_cases[i].text);
	tap_ok(text_find_word(t, strlen(t), "NICK", 4) == t + 11,
	    "find_word points at the whole-word match");
	tap_ok(text_find_word("nick", 3, "nick", 4) == NULL,
	    "find_word respects len");

	tap_ok(text_casecmp("Forsen", "fORSEN") == 0, "casecmp equal");
	tap_ok(text_casecmp("abc", "abd") < 0, "casecmp less");
	tap_ok(text_casecmp("abc", "ab") > 0, "casecmp longer is more");
	tap_ok(text_ncasecmp("abcX", "ABCy", 3) == 0, "ncasecmp stops at n");
	tap_ok(text_casecmp("\xc3\x89", "\xc3\xa9") != 0,
	    "casecmp folds ASCII only");
}

static void
test_colors(void)
{
	uint32_t	c, seen[16], adj;
	char		login[32];
	size_t		nseen = 0, i, j;

	c = text_nick_color_hash("forsen");
	tap_ok(c == text_nick_color_hash("Forsen") &&
	    c == text_nick_color_hash("FORSEN"), "hash ignores ASCII case");
	tap_ok(c == 0xff4500, "hash is stable across runs (0x%06x)", c);
	for (i = 0; i < 1000; i++) {
		snprintf(login, sizeof login, "user%zu", i);
		c = text_nick_color_hash(login);
		for (j = 0; j < nseen && seen[j] != c; j++)
			;
		if (j == nseen && nseen < 16)
			seen[nseen++] = c;
	}
	tap_is_int((long long)nseen, 15, "1000 logins use all 15 colours");

	tap_ok(text_contrast(0x000000, 0xffffff) > 20.99 &&
	    text_contrast(0xffffff, 0x000000) < 21.01, "black/white is 21");
	tap_ok(text_contrast(0x336699, 0x336699) == 1.0, "same colour is 1");
	tap_ok(text_contrast(0x767676, 0xffffff) >= 4.5 &&
	    text_contrast(0x777777, 0xffffff) < 4.5,
	    "#767676 is the lightest AA grey on white");

	tap_ok(text_color_adjust(0xffffff, 0x000000, 4.5) == 0xffffff,
	    "enough contrast: unchanged");
	adj = text_color_adjust(0x0000ff, 0x000000, 4.5);
	tap_ok(text_contrast(adj, 0x000000) >= 4.5 && (adj & 0xff) == 0xff &&
	    ((adj >> 16) & 0xff) == ((adj >> 8) & 0xff),
	    "blue on black lightened to 0x%06x, still blue", adj);
	tap_ok(text_contrast(adj, 0x000000) < 4.7,
	    "only as much as needed (%.2f)", text_contrast(adj, 0x000000));
	adj = text_color_adjust(0xffff00, 0xffffff, 4.5);
	tap_ok(text_contrast(adj, 0xffffff) >= 4.5 &&
	    ((adj >> 16) & 0xff) == ((adj >> 8) & 0xff) && (adj & 0xff) == 0,
	    "yellow on white darkened to 0x%06x, still yellow", adj);
	adj = text_color_adjust(0x1e1e1e, 0x282828, 4.5);
	tap_ok(text_contrast(adj, 0x282828) >= 4.5 && adj > 0x282828,
	    "darker than a dark background: lightened past it (0x%06x)", adj);
	tap_ok(text_color_adjust(0x808080, 0x000000, 30.0) == 0xffffff,
	    "unreachable contrast: white on dark");
	tap_ok(text_color_adjust(0x808080, 0xffffff, 30.0) == 0x000000,
	    "unreachable contrast: black on light");
	adj = text_color_adjust(0x7f7f7f, 0x808080, 4.5);
	tap_ok(text_contrast(adj, 0x808080) >= 4.5,
	    "mid grey background: 0x%06x", adj);
}

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What a display path does per chat line: sanitize, measure, wrap. Prints
 * ns per line for an ASCII and a mixed line; never fails. */
static void
bench(void)
{
	static const char *const lines[] = {
	    "PogChamp that was the cleanest clutch I have seen all week, "
	    "chat is going wild right now KEKW LUL",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86"
	    "\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88 mixed with emoji "
	    "\xf0\x9f\x98\x80\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd and "
	    "caf\xc3\xa9 e\xcc\x81 \xe2\x9d\xa4\xef\xb8\x8f done",
	};
	struct text_row	rows[16];
	char		out[1024];
	size_t		i, j, n, iters = 200000, sink = 0;
	double		t0, t1, t2, t3;

	for (j = 0; j < 2; j++) {
		t0 = bench_now();
		for (i = 0; i < iters; i++)
			sink += text_sanitize(lines[j], strlen(lines[j]), out,
			    sizeof out);
		t1 = bench_now();
		n = strlen(out);
		for (i = 0; i < iters; i++)
			sink += (size_t)text_width(out, n);
		t2 = bench_now();
		for (i = 0; i < iters; i++)
			sink += text_wrap(out, n, 40, 4, rows, 16);
		t3 = bench_now();
		tap_diag("bench %s line (%zu bytes): sanitize %.0f ns, width "
		    "%.0f ns, wrap at 40 %.0f ns", j ? "mixed" : "ASCII", n,
		    (t1 - t0) * 1e9 / (double)iters,
		    (t2 - t1) * 1e9 / (double)iters,
		    (t3 - t2) * 1e9 / (double)iters);
	}
	tap_ok(sink != 0, "bench ran");
}

static void
test_trim(void)
{
	char	a[] = " \t key = v \r\n", b[] = "plain", c[] = " \t\r\n";

	tap_is_str(text_trim(a), "key = v", "trim: blanks off both ends");
	tap_is_str(text_trim(b), "plain", "trim: nothing to trim");
	tap_is_str(text_trim(c), "", "trim: all blanks");
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("1..0 # SKIP no C.UTF-8 locale\n");
		return 0;
	}
	test_sanitize();
	test_decode();
	test_width();
	test_next_char();
	test_wrap();
	test_words();
	test_colors();
	test_trim();
	bench();
	return tap_done();
}
