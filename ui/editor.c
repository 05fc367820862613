/*
 * editor.c: the input line's editor (see editor.h). Emacs-style keys as
 * readline, irssi and WeeChat have them; the buffer is UTF-8 and every
 * cursor move steps over whole characters.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editor.h"
#include "text.h"
#include "xmalloc.h"

#define EDITOR_MAX_CANDIDATES	64

struct editor {
	char		*buf;		/* max_bytes + 1 */
	size_t		 len;
	size_t		 cur;
	size_t		 max;

	char		*kill;		/* Ctrl+K/U/W text, for Ctrl+Y */

	char		**hist;		/* ring, oldest first */
	size_t		 nhist;
	size_t		 hist_max;
	size_t		 hist_pos;	/* nhist = not browsing */
	char		*saved;		/* the line typed before browsing */

	/* Tab cycling: the candidates and where the completed word is. */
	char		*cands[EDITOR_MAX_CANDIDATES];
	size_t		 ncands;
	size_t		 cand_next;
	size_t		 word_start;	/* byte offset of the replaced word */
	int		 cycling;
};

static void
editor_cycle_end(struct editor *ed)
{
	size_t	i;

	for (i = 0; i < ed->ncands; i++)
		free(ed->cands[i]);
	ed->ncands = 0;
	ed->cycling = 0;
}

struct editor *
editor_new(size_t max_bytes, size_t history_max)
{
	struct editor	*ed = xmalloc(sizeof *ed);

	memset(ed, 0, sizeof *ed);
	ed->max = max_bytes;
	ed->buf = xmalloc(max_bytes + 1);
	ed->buf[0] = '\0';
	ed->hist_max = history_max;
	if (history_max > 0)
		ed->hist = xmalloc(history_max * sizeof *ed->hist);
	return ed;
}

void
editor_free(struct editor *ed)
{
	size_t	i;

	if (ed == NULL)
		return;
	editor_cycle_end(ed);
	for (i = 0; i < ed->nhist; i++)
		free(ed->hist[i]);
	free(ed->hist);
	free(ed->saved);
	free(ed->kill);
	free(ed->buf);
	free(ed);
}

/* Any edit but Tab ends a completion cycle and history browsing keeps the
 * edited line as the one being typed. */
static void
editor_touch(struct editor *ed)
{
	if (ed->cycling)
		editor_cycle_end(ed);
}

/* Is this code point kept in the line? */
static int
editor_allowed(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return text_cp_safe(cp);
}

/* Insert raw bytes already known to be valid at the cursor. */
static int
editor_put(struct editor *ed, const char *s, size_t n)
{
	if (n == 0 || ed->len + n > ed->max)
		return 0;
	memmove(ed->buf + ed->cur + n, ed->buf + ed->cur, ed->len - ed->cur);
	memcpy(ed->buf + ed->cur, s, n);
	ed->len += n;
	ed->cur += n;
	ed->buf[ed->len] = '\0';
	return 1;
}

int
editor_insert_cp(struct editor *ed, uint32_t cp)
{
	char	 enc[4];
	size_t	 n;

	if (cp == '\t')
		cp = ' ';
	if (!editor_allowed(cp))
		return 0;
	if ((n = text_encode_cp(cp, enc)) == 0)
		return 0;
	editor_touch(ed);
	return editor_put(ed, enc, n);
}

int
editor_insert(struct editor *ed, const char *text, size_t len)
{
	size_t		 off = 0, n;
	uint32_t	 cp;
	int		 changed = 0;

	while (off < len) {
		n = text_decode_cp(text + off, len - off, &cp);
		if (cp == TEXT_INVALID_CP) {	/* dropped, as documented */
			off += n;
			continue;
		}
		changed |= editor_insert_cp(ed, cp);
		off += n;
	}
	return changed;
}

/* Byte offset of the display character after off: a character with its
 * combining marks, a ZWJ sequence or a flag moves as one, as it is drawn. */
static size_t
editor_next(const struct editor *ed, size_t off)
{
	if (off >= ed->len)
		return ed->len;
	return off + text_next_char(ed->buf + off, ed->len - off, NULL);
}

/* Byte offset of the display character before off. Characters are only
 * well defined from the start, and a line is short, so walk from there. */
static size_t
editor_prev(const struct editor *ed, size_t off)
{
	size_t	p = 0, q;

	while (p < off) {
		q = editor_next(ed, p);
		if (q >= off)
			break;
		p = q;
	}
	return p;
}

int
editor_left(struct editor *ed)
{
	editor_touch(ed);
	if (ed->cur == 0)
		return 0;
	ed->cur = editor_prev(ed, ed->cur);
	return 1;
}

int
editor_right(struct editor *ed)
{
	editor_touch(ed);
	if (ed->cur == ed->len)
		return 0;
	ed->cur = editor_next(ed, ed->cur);
	return 1;
}

int
editor_home(struct editor *ed)
{
	editor_touch(ed);
	if (ed->cur == 0)
		return 0;
	ed->cur = 0;
	return 1;
}

int
editor_end(struct editor *ed)
{
	editor_touch(ed);
	if (ed->cur == ed->len)
		return 0;
	ed->cur = ed->len;
	return 1;
}

/* Words are runs of non-spaces, as in readline's unix-word-rubout. */
static size_t
editor_word_start(const struct editor *ed, size_t off)
{
	while (off > 0 && ed->buf[off - 1] == ' ')
		off--;
	while (off > 0 && ed->buf[off - 1] != ' ')
		off--;
	return off;
}

int
editor_word_left(struct editor *ed)
{
	size_t	to;

	editor_touch(ed);
	to = editor_word_start(ed, ed->cur);
	if (to == ed->cur)
		return 0;
	ed->cur = to;
	return 1;
}

int
editor_word_right(struct editor *ed)
{
	size_t	off = ed->cur;

	editor_touch(ed);
	while (off < ed->len && ed->buf[off] == ' ')
		off++;
	while (off < ed->len && ed->buf[off] != ' ')
		off++;
	if (off == ed->cur)
		return 0;
	ed->cur = off;
	return 1;
}

/* Remove [from, to); keep it for Ctrl+Y when kill is set. */
static int
editor_cut(struct editor *ed, size_t from, size_t to, int kill)
{
	if (from >= to)
		return 0;
	if (kill) {
		free(ed->kill);
		ed->kill = xstrndup(ed->buf + from, to - from);
	}
	memmove(ed->buf + from, ed->buf + to, ed->len - to);
	ed->len -= to - from;
	ed->buf[ed->len] = '\0';
	if (ed->cur >= to)
		ed->cur -= to - from;
	else if (ed->cur > from)
		ed->cur = from;
	return 1;
}

int
editor_backspace(struct editor *ed)
{
	editor_touch(ed);
	return editor_cut(ed, editor_prev(ed, ed->cur), ed->cur, 0);
}

int
editor_delete(struct editor *ed)
{
	editor_touch(ed);
	return editor_cut(ed, ed->cur, editor_next(ed, ed->cur), 0);
}

int
editor_kill_to_end(struct editor *ed)
{
	editor_touch(ed);
	return editor_cut(ed, ed->cur, ed->len, 1);
}

int
editor_kill_to_start(struct editor *ed)
{
	editor_touch(ed);
	return editor_cut(ed, 0, ed->cur, 1);
}

int
editor_kill_word(struct editor *ed)
{
	editor_touch(ed);
	return editor_cut(ed, editor_word_start(ed, ed->cur), ed->cur, 1);
}

int
editor_yank(struct editor *ed)
{
	editor_touch(ed);
	if (ed->kill == NULL)
		return 0;
	return editor_put(ed, ed->kill, strlen(ed->kill));
}

/* Swap the characters before and at the cursor (at the end: the last two),
 * and move past them, as readline does. */
int
editor_transpose(struct editor *ed)
{
	size_t	a, b, c;
	char	tmp[64];

	editor_touch(ed);
	if (ed->len == 0 || ed->cur == 0)
		return 0;
	b = ed->cur == ed->len ? editor_prev(ed, ed->len) : ed->cur;
	if (b == 0)
		return 0;
	a = editor_prev(ed, b);
	c = editor_next(ed, b);
	if (b - a > sizeof tmp)
		return 0;
	memcpy(tmp, ed->buf + a, b - a);
	memmove(ed->buf + a, ed->buf + b, c - b);
	memcpy(ed->buf + a + (c - b), tmp, b - a);
	ed->cur = c;
	return 1;
}

void
editor_set(struct editor *ed, const char *text)
{
	editor_touch(ed);
	ed->len = ed->cur = 0;
	ed->buf[0] = '\0';
	editor_insert(ed, text, strlen(text));
}

int
editor_history_prev(struct editor *ed)
{
	editor_touch(ed);
	if (ed->nhist == 0 || ed->hist_pos == 0)
		return 0;
	if (ed->hist_pos == ed->nhist) {
		free(ed->saved);
		ed->saved = xstrndup(ed->buf, ed->len);
	}
	ed->hist_pos--;
	editor_set(ed, ed->hist[ed->hist_pos]);
	return 1;
}

int
editor_history_next(struct editor *ed)
{
	editor_touch(ed);
	if (ed->hist_pos >= ed->nhist)
		return 0;
	ed->hist_pos++;
	if (ed->hist_pos == ed->nhist) {
		editor_set(ed, ed->saved != NULL ? ed->saved : "");
		free(ed->saved);
		ed->saved = NULL;
	} else
		editor_set(ed, ed->hist[ed->hist_pos]);
	return 1;
}

static void
editor_history_add(struct editor *ed, const char *line)
{
	if (ed->hist_max == 0 || *line == '\0')
		return;
	if (ed->nhist > 0 && strcmp(ed->hist[ed->nhist - 1], line) == 0)
		return;
	if (ed->nhist == ed->hist_max) {
		free(ed->hist[0]);
		memmove(ed->hist, ed->hist + 1,
		    (ed->nhist - 1) * sizeof *ed->hist);
		ed->nhist--;
	}
	ed->hist[ed->nhist++] = xstrndup(line, strlen(line));
}

char *
editor_take(struct editor *ed)
{
	char	*line;

	editor_touch(ed);
	line = xstrndup(ed->buf, ed->len);
	editor_history_add(ed, line);
	ed->hist_pos = ed->nhist;
	free(ed->saved);
	ed->saved = NULL;
	ed->len = ed->cur = 0;
	ed->buf[0] = '\0';
	return line;
}

/* Start a cycle: collect candidates for the word before the cursor. */
static int
editor_cycle_start(struct editor *ed, editor_complete_fn fn, void *arg)
{
	const char			*out[EDITOR_MAX_CANDIDATES];
	enum editor_complete_kind	 kind = EDITOR_COMPLETE_WORD;
	size_t				 start, plen, n, i;

	start = ed->cur;
	while (start > 0 && ed->buf[start - 1] != ' ')
		start--;
	if (ed->buf[start] == '@') {
		kind = EDITOR_COMPLETE_NICK;
		start++;
	} else if (start == 0 && ed->buf[0] == '/')
		kind = EDITOR_COMPLETE_COMMAND;
	plen = ed->cur - start;
	n = fn(arg, kind, ed->buf + start, plen, out, EDITOR_MAX_CANDIDATES);
	if (n == 0)
		return 0;
	for (i = 0; i < n && i < EDITOR_MAX_CANDIDATES; i++)
		ed->cands[i] = xstrndup(out[i], strlen(out[i]));
	ed->ncands = i;
	ed->cand_next = 0;
	ed->word_start = start;
	ed->cycling = 1;
	return 1;
}

int
editor_complete(struct editor *ed, editor_complete_fn fn, void *arg)
{
	const char	*c;
	size_t		 end;

	if (!ed->cycling && !editor_cycle_start(ed, fn, arg))
		return 0;
	/* Replace what the previous Tab (or the user) put there. */
	end = ed->cur;
	memmove(ed->buf + ed->word_start, ed->buf + end, ed->len - end);
	ed->len -= end - ed->word_start;
	ed->cur = ed->word_start;
	ed->buf[ed->len] = '\0';
	c = ed->cands[ed->cand_next];
	ed->cand_next = (ed->cand_next + 1) % ed->ncands;
	editor_put(ed, c, strlen(c));
	if (ed->cur == ed->len || ed->buf[ed->cur] != ' ')
		editor_put(ed, " ", 1);
	else
		ed->cur++;
	return 1;
}

const char *
editor_text(const struct editor *ed, size_t *len)
{
	if (len != NULL)
		*len = ed->len;
	return ed->buf;
}

size_t
editor_cursor(const struct editor *ed)
{
	return ed->cur;
}

int
editor_empty(const struct editor *ed)
{
	return ed->len == 0;
}

void
editor_view(const struct editor *ed, int width, size_t *start,
    int *cursor_col)
{
	size_t	s = 0, off;
	int	col;

	if (width < 1)
		width = 1;
	/* Drop characters from the left until the cursor fits, keeping one
	 * column for the cursor itself past the end of the text. */
	for (;;) {
		col = text_width(ed->buf + s, ed->cur - s);
		if (col < width || s >= ed->cur)
			break;
		off = editor_next(ed, s);
		s = off > ed->cur ? ed->cur : off;
	}
	*start = s;
	*cursor_col = col < width ? col : width - 1;
}
