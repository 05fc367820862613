/*
 * text.h: text safety, display width, wrapping, word matching and nick
 * colours. Used by every path that shows chat text; pure (no curses, no
 * globals, no allocation).
 *
 * Safety: nothing from chat reaches the terminal raw. text_sanitize() turns
 * any bytes into display-safe UTF-8:
 *   - invalid UTF-8 (stray continuation bytes, overlongs, surrogates, code
 *     points over U+10FFFF, truncated sequences) becomes U+FFFD, one per
 *     maximal subpart (the Unicode/WHATWG recommended practice: "\xe0\x80"
 *     is two U+FFFD, "\xf0\x9f\x98" is one);
 *   - TAB becomes a space;
 *   - every other C0 control (U+0000-U+001F: ESC, CR and LF included) becomes
 *     its visible control picture U+2400+c ("\x1b" -> U+241B, "\n" -> U+240A),
 *     and DEL becomes U+2421: a forged second line stays visibly one line;
 *   - C1 controls (U+0080-U+009F), noncharacters (U+FDD0-U+FDEF, U+xFFFE,
 *     U+xFFFF) become U+FFFD;
 *   - U+2028 and U+2029 (line and paragraph separators) become U+2424;
 *   - invisible format characters that can reorder or hide text are removed:
 *     bidi embeddings, overrides and isolates (U+202A-U+202E,
 *     U+2066-U+2069), the marks U+200E, U+200F and U+061C, the deprecated
 *     format characters U+206A-U+206F, U+FEFF (BOM / zero width no-break
 *     space), the interlinear annotation characters U+FFF9-U+FFFB, and
 *     U+E0000-U+E0001 (U+E0000 is the "duplicate message bypass" that many
 *     clients append to Twitch messages; it is invisible and unassigned).
 *     Removal, not a visible replacement, because LRM/RLM are common in
 *     ordinary right-to-left text and a flood of U+FFFD would punish it.
 *   - everything else passes unchanged (ZWJ, variation selectors, combining
 *     marks, emoji tag sequences, private use characters).
 *
 * Width follows wcwidth() in the caller's LC_CTYPE (it must be a UTF-8
 * locale; tests use C.UTF-8), which is what curses uses to place text, with
 * these rules on top: a character sanitizing replaces counts as its
 * replacement (1 column), a removed one as 0, U+FE0F/U+FE0E as 0, and a
 * printable code point wcwidth does not know (-1: emoji newer than the C
 * library's tables) as 2 in the emoji and ideograph planes (U+1F000-U+1FFFF,
 * U+20000-U+3FFFD) and 1 elsewhere. A ZWJ sequence is the sum of its parts,
 * as with wcwidth, so it agrees with curses.
 */
#ifndef STITCH_TEXT_H
#define STITCH_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* text_decode_cp()'s code point for an invalid sequence. Not U+FFFD, so a
 * real U+FFFD in the input can be told apart. */
#define TEXT_INVALID_CP		0xffffffffu
#define TEXT_REPLACEMENT_CP	0xfffdu

/* Output size that text_sanitize() never truncates: every input byte gives
 * at most 3 output bytes, plus the NUL. */
#define TEXT_SANITIZE_SIZE(len)	((len) * 3 + 1)

/*
 * Decode the code point at s (len bytes available). Returns the bytes used:
 * 1-4 for a valid character; for an invalid sequence, the length of its
 * maximal subpart (>= 1) with *cp = TEXT_INVALID_CP; 0 only when len is 0
 * (then *cp = TEXT_INVALID_CP too).
 */
size_t	text_decode_cp(const char *s, size_t len, uint32_t *cp);
/* Encode cp as UTF-8 into out; returns 1-4, or 0 for a surrogate or a value
 * over U+10FFFF (out untouched). */
size_t	text_encode_cp(uint32_t cp, char out[4]);

/* Columns cp takes once sanitized: 0, 1 or 2 (never negative).
 * TEXT_INVALID_CP counts 1, like the U+FFFD it becomes. */
int	text_cp_width(uint32_t cp);
/* 1 if text_sanitize() passes cp through unchanged, else 0. */
int	text_cp_safe(uint32_t cp);

/*
 * Sanitize len bytes of in into out (outsz bytes, >= 1), as described at the
 * top. out is always NUL-terminated and never overrun; when outsz is too
 * small the output stops at a character boundary (TEXT_SANITIZE_SIZE(len)
 * is always enough). Returns the output length, NUL not counted. NUL bytes
 * in the input become U+2400, so the output has no NUL inside.
 */
size_t	text_sanitize(const char *in, size_t len, char *out, size_t outsz);
/* 1 if text_sanitize() would return these bytes unchanged (valid UTF-8,
 * every code point text_cp_safe()): a fast path for already clean text. */
int	text_is_safe(const char *s, size_t len);

/* Columns len bytes take once sanitized (any bytes are accepted; the width
 * of text equals the width of its sanitized copy). Saturates at INT_MAX. */
int	text_width(const char *s, size_t len);

/*
 * The next display character at s: one code point followed by the
 * zero-width code points that go with it (combining marks, variation
 * selectors), an emoji modifier (skin tone) after it, and after a ZWJ the
 * symbol or emoji (U+2000 and up) it joins, up to 8 columns in all (so a
 * ZWJ emoji sequence is one character, a hostile chain of joiners is not);
 * a regional indicator pair (a flag) is one character too. Its width is the sum of
 * its code points' widths. Zero-width code points at the very start form a
 * character of width 0. Returns its bytes (0 only when len is 0) and stores
 * its columns in *width (may be NULL). Wrapping never cuts one of these.
 */
size_t	text_next_char(const char *s, size_t len, int *width);

/* One wrapped row: bytes [start, end) of the text are shown, taking width
 * columns. Spaces at a break are in neither row. */
struct text_row {
	size_t	start;
	size_t	end;
	int	width;
};

/*
 * Wrap len bytes of sanitized text to rows of width columns; rows after the
 * first have width - indent columns (a continuation indent; indent is
 * clamped to [0, width - 1]; width < 1 counts as 1). Breaks at ASCII spaces
 * when a row has one, else between characters (long words and CJK); never
 * inside a text_next_char() character. Spaces where a row breaks are
 * dropped; other spaces are kept. A character wider than its row (a wide
 * character in a 1-column row) still makes progress: it gets a row of its
 * own, the one case where rows[i].width exceeds the row's columns, and the
 * caller clips or replaces it.
 *
 * Fills rows[0..maxrows-1] and returns the number of rows the whole text
 * needs, which may be more than maxrows (rows may be NULL when maxrows is
 * 0: count only). Empty text (or only spaces) is one row [0, 0) of width 0
 * or the spaces it has.
 */
size_t	text_wrap(const char *s, size_t len, int width, int indent,
	    struct text_row *rows, size_t maxrows);

/* ASCII case-insensitive comparisons, locale-free (logins, commands). */
int	text_casecmp(const char *, const char *);
int	text_ncasecmp(const char *, const char *, size_t);
/* Blanks (space, tab, CR, LF) off both ends of s, in place; returns the
 * first byte kept. */
char	*text_trim(char *s);

/*
 * Find word (wlen bytes) in len bytes of text, ASCII case-insensitively, as
 * a whole word: the bytes before and after the match must not be ASCII
 * letters, digits or '_' or any byte of a non-ASCII character. So "@nick",
 * "nick," and "Nick!" match "nick"; "nickname" and "mynick" do not.
 * Returns a pointer to the first match in text, or NULL (also for wlen 0).
 */
const char *text_find_word(const char *text, size_t len, const char *word,
	    size_t wlen);
/* text_find_word() != NULL, for NUL-terminated text and word. */
int	text_contains_word(const char *text, const char *word);

/* A stable colour 0xRRGGBB for a login whose color tag is empty: one of
 * Twitch's default name colours, picked by a hash of the lowercased login
 * (the same on every run and machine). */
uint32_t text_nick_color_hash(const char *login);
/* WCAG 2 contrast ratio (1 to 21) of two 0xRRGGBB colours. */
double	text_contrast(uint32_t a, uint32_t b);
/*
 * rgb, changed as little as it takes to reach min_contrast (WCAG ratio, e.g.
 * 4.5) against the background bg: mixed towards white on a dark background,
 * towards black on a light one, keeping its hue. Returned unchanged when it
 * already has enough contrast; white or black when nothing less reaches it.
 */
uint32_t text_color_adjust(uint32_t rgb, uint32_t bg, double min_contrast);

#endif
