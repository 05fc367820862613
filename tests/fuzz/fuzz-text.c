/*
 * fuzz-text.c: text_sanitize() on arbitrary bytes must give valid UTF-8
 * with no control (C0, DEL, C1) and no bidi control, be idempotent, keep the
 * width, and truncate only at character boundaries; text_wrap() at several
 * widths must give increasing rows that fit and never cut a character;
 * text_find_word() must agree with a plain search; a colour adjusted for
 * contrast must reach it or be white or black.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-text: %s failed at line %d\n",	\
		    #c, __LINE__);					\
		abort();						\
	}								\
} while (0)

static void
check_clean(const char *s, size_t n)
{
	size_t		i = 0, k;
	uint32_t	cp;

	CHECK(s[n] == '\0');
	while (i < n) {
		k = text_decode_cp(s + i, n - i, &cp);
		CHECK(k >= 1 && cp != TEXT_INVALID_CP);
		CHECK(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0));
		CHECK(!(cp >= 0x202a && cp <= 0x202e) &&
		    !(cp >= 0x2066 && cp <= 0x2069) && cp != 0x200e &&
		    cp != 0x200f && cp != 0x61c && cp != 0xfeff);
		CHECK(text_cp_safe(cp));
		i += k;
	}
	CHECK(text_is_safe(s, n));
}

static void
check_wrap(const char *s, size_t n, int width, int indent)
{
	struct text_row	*rows;
	size_t		 nrows, i, off, k;
	int		 avail, w, sum, eff_indent;

	nrows = text_wrap(s, n, width, indent, NULL, 0);
	CHECK(nrows >= 1 && nrows <= n + 1);
	rows = calloc(nrows, sizeof *rows);
	CHECK(rows != NULL);
	CHECK(text_wrap(s, n, width, indent, rows, nrows) == nrows);
	eff_indent = indent > width - 1 ? width - 1 : indent;
	CHECK(rows[0].start == 0);
	for (i = 0; i < nrows; i++) {
		avail = i == 0 ? width : width - eff_indent;
		CHECK(rows[i].start <= rows[i].end && rows[i].end <= n);
		CHECK(rows[i].end > rows[i].start || n == 0);
		CHECK(rows[i].width == text_width(s + rows[i].start,
		    rows[i].end - rows[i].start));
		/* Walk the row character by character, reading on into the
		 * rest of the text: the row must end on a character
		 * boundary, and only a row of a single visible character
		 * (zero-width ones may come before it) may be wider than
		 * the row. */
		for (off = rows[i].start, sum = 0, k = 0; off < rows[i].end;) {
			off += text_next_char(s + off, n - off, &w);
			sum += w;
			k += w > 0;
		}
		CHECK(off == rows[i].end && sum == rows[i].width);
		CHECK(rows[i].width <= avail || k == 1);
		if (i + 1 < nrows) {
			CHECK(rows[i + 1].start > rows[i].start);
			CHECK(rows[i].end <= rows[i + 1].start);
			for (off = rows[i].end; off < rows[i + 1].start; off++)
				CHECK(s[off] == ' ');
		} else {
			for (off = rows[i].end; off < n; off++)
				CHECK(s[off] == ' ');
		}
	}
	free(rows);
}

static int
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void
check_word(const char *text, size_t len, const char *word, size_t wlen)
{
	const char	*got = text_find_word(text, len, word, wlen);
	size_t		 i, j;

	for (i = 0; wlen > 0 && i + wlen <= len; i++) {
		for (j = 0; j < wlen; j++)
			if (lower((unsigned char)text[i + j]) !=
			    lower((unsigned char)word[j]))
				break;
		if (j == wlen && (i == 0 || !word_byte((unsigned char)
		    text[i - 1])) && (i + wlen == len ||
		    !word_byte((unsigned char)text[i + wlen])))
			break;
	}
	CHECK(got == (wlen > 0 && i + wlen <= len ? text + i : NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int	 widths[] = { 1, 2, 3, 7, 20, 80 };
	static int		 init;
	const char		*in = (const char *)data;
	char			*out, *again, *part;
	size_t			 n, n2, sz = TEXT_SANITIZE_SIZE(size), i;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	out = malloc(sz);
	again = malloc(sz);
	part = malloc(size / 2 + 1);
	CHECK(out != NULL && again != NULL && part != NULL);

	n = text_sanitize(in, size, out, sz);
	CHECK(n < sz && strlen(out) == n);
	check_clean(out, n);
	CHECK(text_width(in, size) == text_width(out, n));
	n2 = text_sanitize(out, n, again, sz);
	CHECK(n2 == n && memcmp(out, again, n) == 0);

	/* Too small an output: a prefix of the full one. */
	n2 = text_sanitize(in, size, part, size / 2 + 1);
	CHECK(n2 <= size / 2 && n2 <= n && memcmp(part, out, n2) == 0);
	check_clean(part, n2);

	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		check_wrap(out, n, widths[i], 0);
		check_wrap(out, n, widths[i], 2);
	}

	if (size >= 1 && size < 512) {
		size_t	wl = data[0] % 8;

		if (wl < size)
			check_word(in + 1 + wl, size - 1 - wl, in + 1, wl);
	}

	if (size >= 7) {
		uint32_t	rgb = (uint32_t)data[0] << 16 |
		    (uint32_t)data[1] << 8 | data[2];
		uint32_t	bg = (uint32_t)data[3] << 16 |
		    (uint32_t)data[4] << 8 | data[5];
		double		min = 1.0 + (double)(data[6] % 200) / 10.0;
		uint32_t	adj = text_color_adjust(rgb, bg, min);

		CHECK(adj <= 0xffffff);
		CHECK(text_contrast(adj, bg) >= min || adj == 0xffffff ||
		    adj == 0x000000);
	}

	free(out);
	free(again);
	free(part);
	return 0;
}
