/*
 * pane.c: one channel on screen: its title row, its lines drawn from the
 * bottom up, scrolling by rows, the "N more below" marker, search.
 *
 * A pane is either following (bottom == 0: the newest line sits on the
 * last row) or parked on a line, so new chat never moves what a person is
 * reading; scrolling down past the newest line resumes following.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "text.h"
#include "ui-int.h"

#define PANE_MAX_ROWS	512	/* rows of one line drawn at most */

struct pane *
pane_new(const char *name, size_t max_lines, int joined)
{
	struct pane	*p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		abort();
	p->chan = chan_new(name, max_lines);
	p->joined = joined;
	p->dirty = 1;
	p->logged = chan_end(p->chan);
	panel_feeds_init(&p->feeds);
	return p;
}

void
pane_free(struct pane *p)
{
	if (p == NULL)
		return;
	if (p->log != NULL)
		fclose(p->log);
	chan_free(p->chan);
	free(p->search);
	free(p->rowrefs);
	free(p);
}

int
pane_content_rows(const struct pane *p)
{
	return p->rect.h > 1 ? p->rect.h - 1 : 0;
}

int
pane_needs_draw(const struct pane *p)
{
	return p->rect.w > 0 && (p->dirty || p->drawn != chan_changed(p->chan));
}

void
pane_follow(struct pane *p)
{
	p->bottom = 0;
	p->skip = 0;
	p->dirty = 1;
}

size_t
pane_more_below(const struct pane *p)
{
	uint64_t	end = chan_end(p->chan), b = p->bottom;

	if (b == 0)
		return 0;
	if (b < chan_first(p->chan))
		b = chan_first(p->chan);
	return b + 1 >= end ? 0 : (size_t)(end - 1 - b);
}

/* Draw one wrapped row, switching attributes where the style changes. */
static void
pane_draw_row(struct ui *ui, int y, int x, int w, const struct render_row *r)
{
	const struct render_out		*o = &ui->rout;
	const struct render_style	*st;
	size_t				 i, run;
	int				 col = r->col;

	if (col >= w)
		return;
	move(y, x + col);
	for (i = r->start; i < r->end; i = run) {
		for (run = i + 1; run < r->end && o->style[run] == o->style[i];
		    run++)
			;
		st = &o->styles[o->style[i]];
		ui_style(ui, st->meaning, st->has_rgb, st->rgb, st->attrs);
		addnstr(o->text + i, (int)(run - i));
	}
}

/* The newest line to show at the bottom, with its rows hidden below. */
static uint64_t
pane_bottom_line(const struct pane *p, int *skip)
{
	uint64_t	first = chan_first(p->chan), end = chan_end(p->chan);

	*skip = 0;
	if (first == end)
		return 0;
	if (p->bottom == 0 || p->bottom >= end)
		return end - 1;
	if (p->bottom < first)
		return first;
	*skip = p->skip;
	return p->bottom;
}

/*
 * The common frame under chat: a following pane whose stored lines are
 * unchanged and that only gained new ones. What is on screen moves up by
 * the rows the new lines take (copywin within stdscr, a copy of cells) and
 * only the new lines are laid out and drawn, instead of every visible one.
 * Returns 0 when done, -1 when the whole pane must be drawn.
 */
static int
pane_draw_appended(struct ui *ui, struct pane *p, int y0, int h)
{
	static struct render_row rows[PANE_MAX_ROWS];
	static size_t		 heights[PANE_MAX_ROWS];
	const struct chan_line	*l;
	uint64_t		 seq, from, end = chan_end(p->chan);
	size_t			 n, k = 0;
	int			 y, i, w = p->rect.w;

	if (p->dirty || p->drawn_end == 0 || p->bottom != 0 || w < 2 ||
	    p->drawn_edit != chan_edited(p->chan) || p->drawn_end > end ||
	    p->nrowrefs < h)
		return -1;
	from = p->drawn_end;
	if (from < chan_first(p->chan) || end - from > PANE_MAX_ROWS)
		return -1;
	/* The rows the new lines take; more than the pane: draw it all. */
	for (seq = from; seq < end; seq++) {
		if ((l = chan_line(p->chan, seq)) == NULL)
			return -1;
		heights[seq - from] = render_height(l, &ui->ropts, &ui->rout,
		    w);
		k += heights[seq - from];
		if (k >= (size_t)h)
			return -1;
	}
	if (k > 0) {
		copywin(stdscr, stdscr, y0 + (int)k, p->rect.x, y0, p->rect.x,
		    y0 + h - 1 - (int)k, p->rect.x + w - 1, FALSE);
		memmove(p->rowrefs, p->rowrefs + k,
		    (size_t)(h - (int)k) * sizeof *p->rowrefs);
	}
	y = y0 + h - (int)k;
	ui->ropts.search = p->search;
	for (seq = from; seq < end; seq++) {
		l = chan_line(p->chan, seq);
		render_line(l, &ui->ropts, &ui->rout);
		n = render_wrap(&ui->rout, w, rows, PANE_MAX_ROWS);
		if (n > heights[seq - from])
			n = heights[seq - from];
		for (i = 0; i < (int)n; i++, y++) {
			ui_style(ui, THEME_TEXT, 0, 0, 0);
			mvhline(y, p->rect.x, ' ', w);
			pane_draw_row(ui, y, p->rect.x, w, &rows[i]);
			p->rowrefs[y - y0].seq = seq;
			p->rowrefs[y - y0].row = i;
		}
	}
	ui->ropts.search = NULL;
	return 0;
}

void
pane_draw(struct ui *ui, struct pane *p, int focused)
{
	static struct render_row rows[PANE_MAX_ROWS];
	const struct chan_line	*l;
	uint64_t		 seq;
	size_t			 n, more;
	int			 y, y0, h, w = p->rect.w, i, skip, top;
	char			 marker[64];

	if (p->rect.w == 0)
		return;
	status_draw_title(ui, p, focused);
	y0 = p->rect.y + 1;
	h = pane_content_rows(p);
	if (h > 0 && pane_draw_appended(ui, p, y0, h) == 0) {
		p->drawn = chan_changed(p->chan);
		p->drawn_end = chan_end(p->chan);
		chan_mark_read(p->chan);
		return;
	}
	p->drawn_edit = chan_edited(p->chan);
	p->drawn_end = chan_end(p->chan);
	ui_style(ui, THEME_TEXT, 0, 0, 0);
	for (y = y0; y < y0 + h; y++)
		mvhline(y, p->rect.x, ' ', w);
	p->dirty = 0;
	p->drawn = chan_changed(p->chan);
	if (h > p->nrowrefs) {
		p->rowrefs = realloc(p->rowrefs, (size_t)h * sizeof *p->rowrefs);
		if (p->rowrefs == NULL)
			abort();
		p->nrowrefs = h;
	}
	if (h > 0)
		memset(p->rowrefs, 0, (size_t)h * sizeof *p->rowrefs);
	if (h == 0 || w < 2)
		return;

	more = pane_more_below(p);
	top = more > 0 ? 1 : 0;		/* the marker takes the last row */
	y = y0 + h - 1 - top;
	ui->ropts.search = p->search;
	seq = pane_bottom_line(p, &skip);
	for (; seq >= chan_first(p->chan) && seq > 0 && y >= y0; seq--) {
		if ((l = chan_line(p->chan, seq)) == NULL)
			break;
		render_line(l, &ui->ropts, &ui->rout);
		n = render_wrap(&ui->rout, w, rows, PANE_MAX_ROWS);
		if (n > PANE_MAX_ROWS)
			n = PANE_MAX_ROWS;
		for (i = (int)n - 1 - skip; i >= 0 && y >= y0; i--, y--) {
			pane_draw_row(ui, y, p->rect.x, w, &rows[i]);
			p->rowrefs[y - y0].seq = seq;
			p->rowrefs[y - y0].row = i;
		}
		skip = 0;
	}
	ui->ropts.search = NULL;
	if (top) {
		snprintf(marker, sizeof marker, " -- %zu more below -- ", more);
		ui_style(ui, THEME_MORE_BELOW, 0, 0, 0);
		mvaddnstr(y0 + h - 1, p->rect.x, marker,
		    (int)strlen(marker) < w ? (int)strlen(marker) : w);
	}
	/* On screen is seen: the hotlist is for what is not shown. */
	chan_mark_read(p->chan);
}

/* Rows line seq takes at the pane's width. */
static int
pane_height(struct ui *ui, struct pane *p, uint64_t seq)
{
	const struct chan_line	*l = chan_line(p->chan, seq);

	if (l == NULL)
		return 1;
	return (int)render_height(l, &ui->ropts, &ui->rout,
	    p->rect.w > 1 ? p->rect.w : 1);
}

/* Scroll by rows: positive goes back in time. */
void
pane_scroll(struct ui *ui, struct pane *p, int rows)
{
	uint64_t	first = chan_first(p->chan), end = chan_end(p->chan);
	int		h;

	if (first == end || rows == 0)
		return;
	if (p->bottom == 0 || p->bottom >= end) {
		if (rows < 0)
			return;
		p->bottom = end - 1;
		p->skip = 0;
	}
	if (p->bottom < first) {
		p->bottom = first;
		p->skip = 0;
	}
	p->dirty = 1;
	p->skip += rows;
	while (p->skip < 0) {
		if (p->bottom + 1 >= end) {
			pane_follow(p);
			return;
		}
		p->bottom++;
		p->skip += pane_height(ui, p, p->bottom);
	}
	while (p->skip >= (h = pane_height(ui, p, p->bottom))) {
		if (p->bottom == first) {
			p->skip = h - 1;
			break;
		}
		p->skip -= h;
		p->bottom--;
	}
}

/* Find text from the line above the bottom backwards; 0 found, -1 not. */
int
pane_search(struct ui *ui, struct pane *p, const char *text)
{
	uint64_t	from, seq;

	from = p->bottom != 0 && p->search != NULL &&
	    strcmp(p->search, text) == 0 ? p->bottom - 1 : chan_end(p->chan);
	seq = chan_search(p->chan, from, -1, text);
	free(p->search);
	if ((p->search = strdup(text)) == NULL)
		abort();
	p->dirty = 1;
	if (seq == 0) {
		ui_status(ui, THEME_ERROR, "search: \"%s\" not found further "
		    "back in #%s", text, chan_name(p->chan));
		return -1;
	}
	p->bottom = seq;
	p->skip = 0;
	ui_status(ui, THEME_NOTICE, "search: \"%s\" found; /search again "
	    "for older, /search alone to stop", text);
	return 0;
}

/*
 * Which nick a click hit: the line drawn on that row is laid out again
 * (render is pure and cheap for one line) and the column is walked to the
 * byte under it; a byte styled as a nick names the line's author.
 */
int
pane_nick_at(struct ui *ui, struct pane *p, int x, int y, char *buf,
    size_t bufsz)
{
	static struct render_row rows[PANE_MAX_ROWS];
	const struct chan_line	*l;
	const struct render_style *st;
	const char		*login;
	size_t			 n, i, len, step;
	int			 idx = y - (p->rect.y + 1), col, w, m;

	if (idx < 0 || idx >= pane_content_rows(p) || idx >= p->nrowrefs ||
	    p->rowrefs[idx].seq == 0 ||
	    (l = chan_line(p->chan, p->rowrefs[idx].seq)) == NULL)
		return 0;
	login = chan_line_login(l, &len);
	if (len == 0 || len + 1 > bufsz)
		return 0;
	ui->ropts.search = p->search;
	render_line(l, &ui->ropts, &ui->rout);
	ui->ropts.search = NULL;
	n = render_wrap(&ui->rout, p->rect.w, rows, PANE_MAX_ROWS);
	if ((size_t)p->rowrefs[idx].row >= n ||
	    p->rowrefs[idx].row >= PANE_MAX_ROWS)
		return 0;
	col = p->rect.x + rows[p->rowrefs[idx].row].col;
	for (i = rows[p->rowrefs[idx].row].start;
	    i < rows[p->rowrefs[idx].row].end; i += step, col += w) {
		step = text_next_char(ui->rout.text + i,
		    rows[p->rowrefs[idx].row].end - i, &w);
		if (step == 0)
			break;
		if (x < col || x >= col + (w > 0 ? w : 1))
			continue;
		st = &ui->rout.styles[ui->rout.style[i]];
		m = st->meaning;
		if (m != THEME_NICK && m != THEME_OWN_NICK)
			return 0;
		memcpy(buf, login, len);
		buf[len] = '\0';
		return 1;
	}
	return 0;
}
