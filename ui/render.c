/*
 * render.c: stored lines as styled, wrapped text (see render.h).
 *
 * Every byte that reaches out->text is either sanitized chat text from
 * chan.c or a literal from this file; nothing here can let an escape
 * sequence through.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "theme.h"

static const char *const render_glyphs[CHAN_B_COUNT] = {
	"\xe2\x97\x89",		/* ◉ broadcaster */
	"\xe2\x9a\x94",		/* ⚔ moderator */
	"\xe2\x97\x86",		/* ◆ vip */
	"\xe2\x98\x85",		/* ★ subscriber */
	"\xe2\x9a\x99",		/* ⚙ staff */
	"\xc2\xbb",		/* » turbo */
	"\xe2\x99\x9b",		/* ♛ prime */
	"\xe2\x9c\x93",		/* ✓ partner */
	"\xe2\x9c\xa6",		/* ✦ founder */
	"\xe2\x9c\x8e",		/* ✎ artist */
	"\xe2\x97\x88",		/* ◈ bits */
};

void
render_out_init(struct render_out *out)
{
	memset(out, 0, sizeof *out);
}

void
render_out_free(struct render_out *out)
{
	free(out->text);
	free(out->style);
	memset(out, 0, sizeof *out);
}

void
render_default_badges(struct render_opts *o)
{
	int	i;

	for (i = 0; i < CHAN_B_COUNT; i++)
		o->badges[i] = render_glyphs[i];
}

int
render_set_badge(struct render_opts *o, const char *name, const char *glyph)
{
	int	i;

	for (i = 0; i < CHAN_B_COUNT; i++)
		if (strcmp(chan_badge_name(1u << i), name) == 0) {
			o->badges[i] = glyph;
			return 0;
		}
	return -1;
}

static void
render_reserve(struct render_out *out, size_t more)
{
	size_t	cap = out->cap ? out->cap : 256;

	if (out->len + more + 1 <= out->cap)
		return;
	while (cap < out->len + more + 1)
		cap *= 2;
	if ((out->text = realloc(out->text, cap)) == NULL ||
	    (out->style = realloc(out->style, cap)) == NULL)
		abort();
	out->cap = cap;
}

/* The index of a style, added if new (styles past the table fall back to
 * the first, which is plain text). */
static int
render_style(struct render_out *out, int meaning, int has_rgb, uint32_t rgb,
    unsigned attrs)
{
	struct render_style	*s;
	int			 i;

	for (i = 0; i < out->nstyles; i++) {
		s = &out->styles[i];
		if (s->meaning == meaning && s->has_rgb == has_rgb &&
		    (!has_rgb || s->rgb == rgb) && s->attrs == attrs)
			return i;
	}
	if (out->nstyles == RENDER_MAX_STYLES)
		return 0;
	s = &out->styles[out->nstyles];
	s->meaning = meaning;
	s->has_rgb = has_rgb;
	s->rgb = rgb;
	s->attrs = attrs;
	return out->nstyles++;
}

static void
render_add(struct render_out *out, const char *s, size_t len, int style)
{
	render_reserve(out, len);
	if (len > 0)
		memcpy(out->text + out->len, s, len);
	memset(out->style + out->len, style, len);
	out->len += len;
	out->text[out->len] = '\0';
}

static void
render_adds(struct render_out *out, const char *s, int meaning)
{
	render_add(out, s, strlen(s), render_style(out, meaning, 0, 0, 0));
}

static void
render_restyle(struct render_out *out, size_t start, size_t end, int style)
{
	if (end > out->len)
		end = out->len;
	if (start < end)
		memset(out->style + start, style, end - start);
}

/* "12:34 " in the timestamp style; returns its columns. */
static int
render_time(struct render_out *out, const struct chan_line *l,
    const struct render_opts *o)
{
	struct tm	 tm;
	time_t		 t = (time_t)l->time;
	size_t		 n;

	if (o->timefmt == NULL || o->timefmt[0] == '\0')
		return 0;
	if (out->ts_fmt != o->timefmt || out->ts_time != l->time ||
	    out->ts_utc != o->utc) {
		out->ts_fmt = NULL;
		if ((o->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL)
			return 0;
		/* The format is the user's (config "timestamps"). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		n = strftime(out->ts_buf, sizeof out->ts_buf - 1, o->timefmt,
		    &tm);
#pragma GCC diagnostic pop
		if (n == 0)
			return 0;
		out->ts_buf[n++] = ' ';
		/* From our format and the locale: checked anyway, once. */
		if (!text_is_safe(out->ts_buf, n))
			return 0;
		out->ts_len = n;
		out->ts_fmt = o->timefmt;
		out->ts_time = l->time;
		out->ts_utc = o->utc;
	}
	render_add(out, out->ts_buf, out->ts_len, render_style(out,
	    THEME_TIMESTAMP, 0, 0, 0));
	return text_width(out->ts_buf, out->ts_len);
}

static void
render_badges(struct render_out *out, const struct chan_line *l,
    const struct render_opts *o)
{
	static const int meaning[CHAN_B_COUNT] = {
		THEME_BADGE_BROADCASTER, THEME_BADGE_MOD, THEME_BADGE_VIP,
		THEME_BADGE_SUB, THEME_BADGE_STAFF,
	};
	int	i, any = 0, m;

	for (i = 0; i < CHAN_B_COUNT; i++) {
		if (!(l->badges & (1u << i)) || o->badges[i] == NULL ||
		    o->badges[i][0] == '\0' ||
		    !text_is_safe(o->badges[i], strlen(o->badges[i])))
			continue;
		m = i < 5 ? meaning[i] : THEME_BADGE_OTHER;
		render_adds(out, o->badges[i], m);
		any = 1;
	}
	if (any)
		render_adds(out, " ", THEME_TEXT);
}

/* The nick's style: its colour, kept readable on the theme background. */
static int
render_nick_style(struct render_out *out, const struct chan_line *l,
    const struct render_opts *o, unsigned attrs)
{
	uint32_t	rgb = l->color;

	if (l->flags & CHAN_F_OWN)
		return render_style(out, THEME_OWN_NICK, 0, 0, attrs);
	if (o->min_contrast > 0) {
		size_t	 i = (rgb * 2654435761u) >> 26;

		if (out->nick_bg != o->bg || out->nick_contrast !=
		    o->min_contrast) {
			memset(out->nick_key, 0, sizeof out->nick_key);
			out->nick_bg = o->bg;
			out->nick_contrast = o->min_contrast;
		}
		if (out->nick_key[i] != (rgb | 1u << 24)) {
			out->nick_key[i] = rgb | 1u << 24;
			out->nick_val[i] = text_color_adjust(rgb, o->bg,
			    o->min_contrast);
		}
		rgb = out->nick_val[i];
	}
	return render_style(out, THEME_NICK, 1, rgb, attrs | THEME_ATTR_BOLD);
}

/* "Name" or "Name (login)" when they differ beyond letter case. */
static void
render_nick(struct render_out *out, const struct chan_line *l, int style)
{
	const char	*name, *login;
	size_t		 nlen, llen;

	name = chan_line_name(l, &nlen);
	login = chan_line_login(l, &llen);
	render_add(out, name, nlen, style);
	if (l->name_len > 0 && llen > 0 && (nlen != llen ||
	    text_ncasecmp(name, login, llen) != 0)) {
		render_add(out, " (", 2, style);
		render_add(out, login, llen, style);
		render_add(out, ")", 1, style);
	}
}

/* Restyle whole-word matches of word inside [start, end). */
static void
render_mark_words(struct render_out *out, size_t start, size_t end,
    const char *word, int style)
{
	const char	*p;
	size_t		 wlen = strlen(word), off = start;

	if (wlen == 0)
		return;
	while (off < end && (p = text_find_word(out->text + off, end - off,
	    word, wlen)) != NULL) {
		off = (size_t)(p - out->text);
		render_restyle(out, off, off + wlen, style);
		off += wlen;
	}
}

/* The body of a message with emotes, highlights and search matches. */
static void
render_body(struct render_out *out, const struct chan_line *l,
    const struct render_opts *o, int base)
{
	const char	*body;
	size_t		 blen, start, i, es, ee;
	int		 st;

	body = chan_line_body(l, &blen);
	start = out->len;
	render_add(out, body, blen, base);
	st = render_style(out, THEME_EMOTE, 0, 0, 0);
	for (i = 0; i < l->nemotes; i++) {
		chan_line_emote(l, i, &es, &ee);
		if (ee <= blen)
			render_restyle(out, start + es, start + ee, st);
	}
	if (o->match == NULL)
		return;
	st = render_style(out, THEME_HIGHLIGHT, 0, 0, 0);
	if (o->match->self != NULL)
		render_mark_words(out, start, out->len, o->match->self, st);
	for (i = 0; i < o->match->nwords; i++)
		render_mark_words(out, start, out->len, o->match->words[i], st);
}

/* One chat message: badges, nick, body. */
static void
render_message(struct render_out *out, const struct chan_line *l,
    const struct render_opts *o, int body_meaning)
{
	int		nick, base;
	char		bits[48];

	render_badges(out, l, o);
	if (l->flags & CHAN_F_FIRST)
		render_adds(out, "\xe2\x9c\x9a first ", THEME_FIRST_MSG);
	if (l->flags & CHAN_F_MENTION)
		body_meaning = THEME_MENTION;
	if (l->flags & CHAN_F_ACTION) {
		nick = render_nick_style(out, l, o, 0);
		render_adds(out, "* ", THEME_ACTION);
		render_nick(out, l, nick);
		render_adds(out, " ", THEME_ACTION);
		base = body_meaning == THEME_MENTION ? render_style(out,
		    THEME_MENTION, 0, 0, 0) : render_nick_style(out, l, o,
		    THEME_ATTR_ITALIC);
	} else {
		nick = render_nick_style(out, l, o, 0);
		render_nick(out, l, nick);
		render_adds(out, ": ", THEME_TEXT);
		base = render_style(out, body_meaning, 0, 0, 0);
	}
	if (l->flags & CHAN_F_BITS) {
		snprintf(bits, sizeof bits, "[%lu bits] ",
		    (unsigned long)chan_line_bits(l));
		render_adds(out, bits, THEME_BITS);
	}
	render_body(out, l, o, base);
	if (l->flags & CHAN_F_PENDING)
		render_adds(out, " (sending\xe2\x80\xa6)", THEME_TIMESTAMP);
	if (l->flags & CHAN_F_FAILED)
		render_adds(out, " (not sent)", THEME_ERROR);
}

static int
render_usernotice_meaning(const struct chan_line *l)
{
	switch (l->sub) {
	case CHAN_UN_RAID:
		return THEME_RAID;
	case CHAN_UN_ANNOUNCEMENT:
		return THEME_ANNOUNCEMENT;
	default:
		return THEME_USERNOTICE;
	}
}

/* Highlight every case-insensitive occurrence of the search text. */
static void
render_search(struct render_out *out, const char *needle)
{
	size_t	n = strlen(needle), i;
	int	st;

	if (n == 0 || n > out->len)
		return;
	st = render_style(out, THEME_SEARCH_MATCH, 0, 0, 0);
	for (i = 0; i + n <= out->len; i++)
		if (text_ncasecmp(out->text + i, needle, n) == 0) {
			render_restyle(out, i, i + n, st);
			i += n - 1;
		}
}

void
render_line(const struct chan_line *l, const struct render_opts *o,
    struct render_out *out)
{
	const char	*extra, *body;
	size_t		 elen, blen, msg_start;
	int		 tw, m;

	out->len = 0;
	out->nstyles = 0;
	render_style(out, THEME_TEXT, 0, 0, 0);	/* style 0: plain */
	render_reserve(out, 0);
	out->text[0] = '\0';
	out->para = 0;
	out->para_indent = 0;
	extra = chan_line_extra(l, &elen);
	body = chan_line_body(l, &blen);
	(void)body;

	/* A reply's parent goes above, as its own paragraph. */
	if ((l->flags & CHAN_F_REPLY) && l->kind == CHAN_K_MSG) {
		render_adds(out, "\xe2\x86\xb3 ", THEME_REPLY);	/* ↳ */
		render_add(out, extra, elen, render_style(out, THEME_REPLY,
		    0, 0, 0));
		out->para = out->len;
	}
	msg_start = out->len;
	tw = render_time(out, l, o);
	out->indent = tw > 0 ? tw : 2;

	switch (l->kind) {
	case CHAN_K_MSG:
		render_message(out, l, o, THEME_TEXT);
		break;
	case CHAN_K_USERNOTICE:
		m = render_usernotice_meaning(l);
		render_adds(out, "\xe2\x98\x85 ", m);		/* ★ */
		if (elen > 0) {
			render_add(out, extra, elen, render_style(out, m, 0, 0,
			    0));
			if (blen > 0) {
				out->para = out->len;
				out->para_indent = 1;
				render_message(out, l, o, THEME_TEXT);
			}
		} else
			render_message(out, l, o, m);
		break;
	default:
		m = l->kind == CHAN_K_NOTICE ? THEME_NOTICE :
		    l->kind == CHAN_K_ERROR ? THEME_ERROR : THEME_MODERATION;
		render_adds(out, "-!- ", m);
		render_add(out, body, blen, render_style(out, m, 0, 0, 0));
		if (l->kind == CHAN_K_CLEAR)
			render_adds(out, " (older lines are kept here)", m);
		break;
	}
	/* Deleted and dimmed lines keep their text, in a muted style. */
	if (l->flags & (CHAN_F_DELETED | CHAN_F_DIMMED)) {
		m = (l->flags & CHAN_F_DELETED) ? THEME_DELETED : THEME_DIMMED;
		render_restyle(out, msg_start, out->len,
		    render_style(out, m, 0, 0, 0));
		if (l->flags & CHAN_F_DELETED)
			render_adds(out, " (deleted)", THEME_DELETED);
	}
	if (out->para == 0)
		out->para = out->len;
	if (o->search != NULL)
		render_search(out, o->search);
}

size_t
render_wrap(const struct render_out *out, int width, struct render_row *rows,
    size_t max)
{
	struct text_row	 local[64], *tr;
	size_t		 start[2], end[2], total = 0, n, i, cap;
	int		 indent = out->indent, para, first_col;

	if (width < 1)
		width = 1;
	if (indent > width / 3)
		indent = width / 3;
	start[0] = 0;
	end[0] = out->para;
	start[1] = out->para;
	end[1] = out->len;
	for (para = 0; para < 2; para++) {
		if (para == 1 && start[1] >= end[1])
			break;
		first_col = para == 1 && out->para_indent ? indent : 0;
		tr = local;
		cap = max == 0 ? 0 : sizeof local / sizeof local[0];
		n = text_wrap(out->text + start[para], end[para] - start[para],
		    width - first_col, indent - first_col, tr, cap);
		if (max > 0 && n > cap) {
			if ((tr = calloc(n, sizeof *tr)) == NULL)
				abort();
			text_wrap(out->text + start[para], end[para] -
			    start[para], width - first_col, indent - first_col,
			    tr, n);
		}
		for (i = 0; i < n; i++, total++) {
			if (total >= max)
				continue;
			rows[total].start = start[para] + tr[i].start;
			rows[total].end = start[para] + tr[i].end;
			rows[total].col = i == 0 ? first_col : indent;
		}
		if (tr != local)
			free(tr);
	}
	return total;
}

size_t
render_height(const struct chan_line *l, const struct render_opts *o,
    struct render_out *scratch, int width)
{
	render_line(l, o, scratch);
	return render_wrap(scratch, width, NULL, 0);
}
