/*
 * text.c: text safety, width, wrapping, word matching and nick colours
 * (see text.h for the rules).
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <string.h>
#include <wchar.h>

#include "text.h"

/* text_cp_map()'s answer for a code point that sanitizing removes. */
#define TEXT_REMOVE	0xfffffffeu

#define TEXT_ZWJ	0x200du
/* A ZWJ joins symbols and emoji (never letters) into one character of at
 * most this many columns (a family of four under wcwidth), so a hostile
 * chain of joiners cannot make one unbreakable run wider than a pane. */
#define TEXT_JOIN_MAX_WIDTH	8

/* wcwidth() is XSI; declare it rather than change the feature macros every
 * file is built with. */
int	wcwidth(wchar_t);

size_t
text_decode_cp(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 need, i;
	uint32_t		 c;

	*cp = TEXT_INVALID_CP;
	if (len == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/* Unicode's table of well-formed sequences: the second byte's range
	 * depends on the first, which rules out overlongs (E0, F0),
	 * surrogates (ED) and values past U+10FFFF (F4). */
	if (c < 0xc2)
		return 1;
	if (c < 0xe0) {
		need = 1;
		c &= 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		c &= 0x0f;
		if (u[0] == 0xe0)
			lo = 0xa0;
		else if (u[0] == 0xed)
			hi = 0x9f;
	} else if (c < 0xf5) {
		need = 3;
		c &= 0x07;
		if (u[0] == 0xf0)
			lo = 0x90;
		else if (u[0] == 0xf4)
			hi = 0x8f;
	} else
		return 1;
	/* Stop at the first byte that cannot continue: what was read so far
	 * is the maximal subpart, replaced by one U+FFFD. */
	for (i = 1; i <= need; i++) {
		if (i >= len || u[i] < lo || u[i] > hi)
			return i;
		c = (c << 6) | (u[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return need + 1;
}

size_t
text_encode_cp(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return 0;
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* What sanitizing makes of cp: cp itself, a replacement, or TEXT_REMOVE. */
static uint32_t
text_cp_map(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' ? ' ' : 0x2400 + cp;
	if (cp < 0x7f)
		return cp;
	if (cp == 0x7f)
		return 0x2421;
	if (cp < 0xa0)
		return TEXT_REPLACEMENT_CP;
	if (cp < 0x61c)
		return cp;
	if (cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x206f) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
	    cp == 0xe0000 || cp == 0xe0001)
		return TEXT_REMOVE;
	if (cp == 0x2028 || cp == 0x2029)
		return 0x2424;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return TEXT_REPLACEMENT_CP;	/* TEXT_INVALID_CP too */
	return cp;
}

int
text_cp_safe(uint32_t cp)
{
	return text_cp_map(cp) == cp;
}

int
text_cp_width(uint32_t cp)
{
	uint32_t	m = text_cp_map(cp);
	int		w;

	if (m == TEXT_REMOVE)
		return 0;
	if (m != cp || cp < 0x7f)
		return 1;	/* every replacement is one column */
	if (cp == 0xfe0f || cp == 0xfe0e)
		return 0;
	if ((w = wcwidth((wchar_t)cp)) >= 0)
		return w > 2 ? 2 : w;
	/* Printable but unknown to this C library: newer emoji and
	 * ideographs are wide, and terminals with newer tables agree. */
	if ((cp >= 0x1f000 && cp <= 0x1ffff) || (cp >= 0x20000 &&
	    cp <= 0x3fffd))
		return 2;
	return 1;
}

size_t
text_sanitize(const char *in, size_t len, char *out, size_t outsz)
{
	const unsigned char	*u = (const unsigned char *)in;
	size_t			 i = 0, o = 0, n, k, run;
	uint32_t		 cp;
	char			 enc[4];

	if (outsz == 0)
		return 0;
	while (i < len) {
		/* Printable ASCII, most of chat, is copied a run at a time. */
		for (run = i; run < len && u[run] >= 0x20 && u[run] < 0x7f;
		    run++)
			;
		if (run > i) {
			k = run - i;
			if (k > outsz - 1 - o)
				k = outsz - 1 - o;
			memcpy(out + o, in + i, k);
			o += k;
			if (k < run - i)
				break;
			i = run;
			continue;
		}
		n = text_decode_cp(in + i, len - i, &cp);
		i += n;
		if ((cp = text_cp_map(cp)) == TEXT_REMOVE)
			continue;
		k = text_encode_cp(cp, enc);
		if (k > outsz - 1 - o)
			break;
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

int
text_is_safe(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0;
	uint32_t		 cp;

	while (i < len) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			i++;
			continue;
		}
		i += text_decode_cp(s + i, len - i, &cp);
		if (cp == TEXT_INVALID_CP || text_cp_map(cp) != cp)
			return 0;
	}
	return 1;
}

int
text_width(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0;
	uint32_t		 cp;
	long long		 w = 0;

	while (i < len && w < INT_MAX) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			w++;
			i++;
			continue;
		}
		i += text_decode_cp(s + i, len - i, &cp);
		w += text_cp_width(cp);
	}
	return w > INT_MAX ? INT_MAX : (int)w;
}

static int
text_is_ri(uint32_t cp)
{
	return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

static int
text_is_modifier(uint32_t cp)
{
	return cp >= 0x1f3fb && cp <= 0x1f3ff;
}

size_t
text_next_char(const char *s, size_t len, int *width)
{
	size_t		 off, n;
	uint32_t	 cp, prev;
	int		 w, total, pair_open, modified = 0;

	if (len == 0) {
		if (width != NULL)
			*width = 0;
		return 0;
	}
	/* Plain ASCII followed by ASCII (or the end) is the usual case. */
	if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7f &&
	    (len == 1 || (unsigned char)s[1] < 0x80)) {
		if (width != NULL)
			*width = 1;
		return 1;
	}
	off = text_decode_cp(s, len, &cp);
	total = text_cp_width(cp);
	pair_open = text_is_ri(cp);
	prev = cp;
	while (off < len) {
		n = text_decode_cp(s + off, len - off, &cp);
		w = text_cp_width(cp);
		if (cp == TEXT_INVALID_CP)
			break;
		if (w == 0)
			;	/* a zero-width follower */
		else if (prev == TEXT_ZWJ && cp >= 0x2000 &&
		    total + w <= TEXT_JOIN_MAX_WIDTH)
			;	/* joined by a ZWJ into one emoji */
		else if (text_is_modifier(cp) && total > 0 && !modified)
			modified = 1;
		else if (pair_open && text_is_ri(cp))
			pair_open = 0;
		else
			break;
		total += w;
		off += n;
		prev = cp;
	}
	if (width != NULL)
		*width = total;
	return off;
}

static size_t
text_skip_spaces(const char *s, size_t len, size_t off)
{
	/* Only lone spaces: a space carrying a combining mark is text. */
	while (off < len && s[off] == ' ' &&
	    text_next_char(s + off, len - off, NULL) == 1)
		off++;
	return off;
}

size_t
text_wrap(const char *s, size_t len, int width, int indent,
    struct text_row *rows, size_t maxrows)
{
	size_t	nrows = 0, off = 0, start = 0, n, bend = 0, end, next;
	int	avail, col = 0, bcol = 0, have_brk = 0, w, rw, sp, prev_sp = 0;
	unsigned char c;

	if (width < 1)
		width = 1;
	if (indent < 0)
		indent = 0;
	else if (indent > width - 1)
		indent = width - 1;
	avail = width;
	while (off < len) {
		c = (unsigned char)s[off];
		if (c >= 0x20 && c < 0x7f && (off + 1 == len ||
		    (unsigned char)s[off + 1] < 0x80)) {
			n = 1;		/* ASCII, the usual case, inline */
			w = 1;
		} else
			n = text_next_char(s + off, len - off, &w);
		sp = c == ' ' && n == 1;
		if (col + w <= avail) {
			/* The first space after something is where the row
			 * may break later; the spaces go with the break. */
			if (sp && col > 0 && !prev_sp) {
				have_brk = 1;
				bend = off;
				bcol = col;
			}
			prev_sp = sp;
			col += w;
			off += n;
			continue;
		}
		if (sp && have_brk && prev_sp) {
			/* Inside the space run that began after this row's
			 * text: the row ends where the run began. */
			end = bend;
			rw = bcol;
			next = off;
		} else if (sp || (!have_brk && col > 0)) {
			/* A space that does not fit, or a word longer than
			 * the row: break right before it. */
			end = next = off;
			rw = col;
		} else if (have_brk) {
			/* Carry the word begun after the last space over. */
			end = next = bend;
			rw = bcol;
		} else {
			/* Too wide for an empty row: it gets one alone. */
			end = next = off + n;
			rw = w;
		}
		if (nrows < maxrows) {
			rows[nrows].start = start;
			rows[nrows].end = end;
			rows[nrows].width = rw;
		}
		nrows++;
		start = off = text_skip_spaces(s, len, next);
		col = 0;
		have_brk = prev_sp = 0;
		avail = width - indent;
		if (off == len)
			return nrows;
	}
	if (nrows < maxrows) {
		rows[nrows].start = start;
		rows[nrows].end = len;
		rows[nrows].width = col;
	}
	return nrows + 1;
}

static int
text_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
text_casecmp(const char *a, const char *b)
{
	return text_ncasecmp(a, b, SIZE_MAX);
}

int
text_ncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char	*x = (const unsigned char *)a;
	const unsigned char	*y = (const unsigned char *)b;
	size_t			 i;
	int			 d;

	for (i = 0; i < n; i++) {
		if ((d = text_lower(x[i]) - text_lower(y[i])) != 0 ||
		    x[i] == '\0')
			return d;
	}
	return 0;
}

/* Letters, digits, '_' and every byte of a non-ASCII character belong to a
 * word; anything else separates words. */
static int
text_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

const char *
text_find_word(const char *text, size_t len, const char *word, size_t wlen)
{
	const unsigned char	*t = (const unsigned char *)text;
	size_t			 i, j;
	int			 first;

	if (wlen == 0 || wlen > len)
		return NULL;
	first = text_lower((unsigned char)word[0]);
	for (i = 0; i + wlen <= len; i++) {
		if (text_lower(t[i]) != first)
			continue;
		if (i > 0 && text_word_byte(t[i - 1]))
			continue;
		for (j = 1; j < wlen; j++) {
			if (text_lower(t[i + j]) !=
			    text_lower((unsigned char)word[j]))
				break;
		}
		if (j == wlen && (i + wlen == len ||
		    !text_word_byte(t[i + wlen])))
			return text + i;
	}
	return NULL;
}

int
text_contains_word(const char *text, const char *word)
{
	return text_find_word(text, strlen(text), word, strlen(word)) != NULL;
}

/* Twitch's default name colours, the ones its own chat gives to users who
 * never picked one, so a nick looks the same here as on the site's
 * palette. */
static const uint32_t text_nick_palette[] = {
	0xff0000,	/* Red */
	0x0000ff,	/* Blue */
	0x008000,	/* Green */
	0xb22222,	/* FireBrick */
	0xff7f50,	/* Coral */
	0x9acd32,	/* YellowGreen */
	0xff4500,	/* OrangeRed */
	0x2e8b57,	/* SeaGreen */
	0xdaa520,	/* GoldenRod */
	0xd2691e,	/* Chocolate */
	0x5f9ea0,	/* CadetBlue */
	0x1e90ff,	/* DodgerBlue */
	0xff69b4,	/* HotPink */
	0x8a2be2,	/* BlueViolet */
	0x00ff7f,	/* SpringGreen */
};

uint32_t
text_nick_color_hash(const char *login)
{
	const unsigned char	*p = (const unsigned char *)login;
	uint32_t		 h = 2166136261u;	/* FNV-1a */

	for (; *p != '\0'; p++) {
		h ^= (uint32_t)text_lower(*p);
		h *= 16777619u;
	}
	return text_nick_palette[h % (sizeof text_nick_palette /
	    sizeof text_nick_palette[0])];
}

/* sRGB channel to linear light. */
static double
text_linear(uint32_t c8)
{
	double	c = (double)c8 / 255.0;

	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG relative luminance. */
static double
text_luminance(uint32_t rgb)
{
	return 0.2126 * text_linear((rgb >> 16) & 0xff) +
	    0.7152 * text_linear((rgb >> 8) & 0xff) +
	    0.0722 * text_linear(rgb & 0xff);
}

/* WCAG contrast ratio of two relative luminances. */
static double
text_ratio(double la, double lb)
{
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

double
text_contrast(uint32_t a, uint32_t b)
{
	return text_ratio(text_luminance(a), text_luminance(b));
}

/* rgb moved a fraction t of the way to target, channel by channel. */
static uint32_t
text_mix(uint32_t rgb, uint32_t target, double t)
{
	uint32_t	out = 0;
	int		shift;

	for (shift = 16; shift >= 0; shift -= 8) {
		double	c = (double)((rgb >> shift) & 0xff);
		double	d = (double)((target >> shift) & 0xff);

		out |= (uint32_t)lround(c + (d - c) * t) << shift;
	}
	return out;
}

uint32_t
text_color_adjust(uint32_t rgb, uint32_t bg, double min_contrast)
{
	uint32_t	target;
	double		lo = 0.0, hi = 1.0, mid, lbg;
	int		i;

	rgb &= 0xffffff;
	lbg = text_luminance(bg & 0xffffff);
	if (text_ratio(text_luminance(rgb), lbg) >= min_contrast)
		return rgb;
	/* Lighten on a background where white stands out more, darken on
	 * the others. */
	target = text_ratio(1.0, lbg) >= text_ratio(0.0, lbg) ? 0xffffff : 0;
	if (text_ratio(target ? 1.0 : 0.0, lbg) < min_contrast)
		return target;
	/* Past the background's own luminance the contrast only grows as the
	 * mix moves on, so the smallest mix that is enough is found by
	 * bisection; 2^-12 is finer than an 8-bit channel can show. */
	for (i = 0; i < 12; i++) {
		mid = (lo + hi) / 2;
		if (text_ratio(text_luminance(text_mix(rgb, target, mid)), lbg) >=
		    min_contrast)
			hi = mid;
		else
			lo = mid;
	}
	return text_mix(rgb, target, hi);
}

char *
text_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}
