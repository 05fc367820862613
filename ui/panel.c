/*
 * panel.c: the side panel (see panel.h): chatters, moderators, stats and
 * the user card, drawn from the focused pane's chanstats and scrollback.
 *
 * Drawing is on demand: when the panel changed (opened, typed into,
 * scrolled, placed) at once; when only chat changed, at most every
 * PANEL_THROTTLE_MS, since a sorted list of thousands of chatters is the
 * one thing here that costs more than a line. The stats redraw once a
 * second as their windows slide.
 *
 * Everything shown from chat was sanitized before it was stored (chan.c,
 * chanstats.c); what the person types into the filter is kept to safe,
 * visible characters here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chanstats.h"
#include "curses.h"
#include "panel.h"
#include "text.h"
#include "ui-int.h"

#define PANEL_THROTTLE_MS	250
#define PANEL_MIN_W		24
#define PANEL_MAX_W		40
#define PANEL_FILTER_MAX	64
#define PANEL_CARD_ROWS	3	/* rows a card's line takes at most */
#define PANEL_HEAD_ROWS	4	/* title, source, filter, counts */
#define PANEL_WRAP_MAX	8	/* rows one text may wrap to */

struct panel {
	enum panel_kind	 kind;
	enum panel_kind	 prev;		/* what Esc on a card goes back to */
	int		 focused;
	struct layout_rect rect;
	int		 dirty;
	char		 filter[PANEL_FILTER_MAX];
	size_t		 sel;		/* selected entry of the list */
	size_t		 top;		/* first list row shown */
	int		 page;		/* list rows shown */
	char		 user[CHANSTATS_LOGIN_MAX + 1];

	/* The card's part from Helix (for card_login's card). */
	char		 card_login[CHANSTATS_LOGIN_MAX + 1];
	enum panel_feed_state card_state;
	char		 card_error[256];
	int		 card_known;
	int64_t		 card_created, card_followed;
	char		 card_note[256];
	int		 card_mod;
	int		 card_confirm;	/* 't', 'b', 'd' waiting for y */
	size_t		 card_sel;	/* the selected line, 0 newest */
	uint64_t	 card_seq;	/* its sequence when drawn; 0 none */

	/* What the last draw showed, to tell when to draw again. */
	const struct pane *drawn_pane;
	uint64_t	 drawn_stats;	/* chanstats_version() for lists */
	uint64_t	 drawn_chan;
	uint64_t	 drawn_ms;
	time_t		 drawn_sec;
	int		 cur_y, cur_x;	/* the filter's cursor */

	/* Scratch for the list, and which login each screen row shows (for
	 * clicks: copies, since the list is borrowed only while drawing). */
	const struct chanstats_chatter **list;
	size_t		 cap;
	char		(*rowlogin)[CHANSTATS_LOGIN_MAX + 1];
	int		 nrows;
};

/*
 * Feeds.
 */
void
panel_feeds_init(struct panel_feeds *f)
{
	memset(f, 0, sizeof *f);
}

void
panel_feed_set(struct panel_feeds *f, enum panel_feed_id id,
    const char *source, enum panel_feed_state st, const char *error)
{
	struct panel_feed	*fd;

	if ((unsigned)id >= PANEL_FEED_COUNT)
		return;
	fd = &f->feed[id];
	snprintf(fd->source, sizeof fd->source, "%s",
	    source != NULL ? source : "");
	fd->state = st;
	fd->error[0] = '\0';
	if (error != NULL)
		text_sanitize(error, strlen(error), fd->error,
		    sizeof fd->error);
}

void
panel_channel_set(struct panel_feeds *f, int live, const char *title,
    long viewers, long followers)
{
	f->channel.known = 1;
	f->channel.live = live != 0;
	f->channel.viewers = viewers;
	f->channel.followers = followers;
	f->channel.title[0] = '\0';
	if (title != NULL)
		text_sanitize(title, strlen(title), f->channel.title,
		    sizeof f->channel.title);
}

void
panel_channel_more(struct panel_feeds *f, const char *game,
    int64_t started_at)
{
	f->channel.game[0] = '\0';
	if (game != NULL)
		text_sanitize(game, strlen(game), f->channel.game,
		    sizeof f->channel.game);
	f->channel.started_at = started_at;
}

void
panel_card_set(struct ui *ui, const char *login, enum panel_feed_state st,
    const char *error, int64_t created_at, int64_t followed_at,
    const char *note)
{
	struct panel	*pn = ui->panel;

	if (strcmp(pn->user, login) != 0)
		return;
	snprintf(pn->card_login, sizeof pn->card_login, "%s", login);
	pn->card_state = st;
	pn->card_error[0] = pn->card_note[0] = '\0';
	if (error != NULL)
		text_sanitize(error, strlen(error), pn->card_error,
		    sizeof pn->card_error);
	if (note != NULL)
		text_sanitize(note, strlen(note), pn->card_note,
		    sizeof pn->card_note);
	pn->card_known = st == PANEL_FEED_READY;
	pn->card_created = created_at;
	pn->card_followed = followed_at;
	panel_dirty(ui);
}

uint64_t
panel_card_line_seq(const struct ui *ui)
{
	return ui->panel->kind == PANEL_USER ? ui->panel->card_seq : 0;
}

const char *
panel_card_user(const struct ui *ui)
{
	return ui->panel->kind == PANEL_USER ? ui->panel->user : NULL;
}

void
panel_card_mod(struct ui *ui, int can)
{
	if (ui->panel->card_mod != can)
		panel_dirty(ui);
	ui->panel->card_mod = can;
}

/*
 * Life.
 */
struct panel *
panel_new(void)
{
	struct panel	*pn;

	if ((pn = calloc(1, sizeof *pn)) == NULL)
		abort();
	return pn;
}

void
panel_free(struct panel *pn)
{
	if (pn == NULL)
		return;
	free(pn->list);
	free(pn->rowlogin);
	free(pn);
}

static int
panel_is_list(enum panel_kind k)
{
	return k == PANEL_CHATTERS || k == PANEL_MODS;
}

enum panel_kind
panel_kind(const struct ui *ui)
{
	return ui->panel->kind;
}

int
panel_focused(const struct ui *ui)
{
	return ui->panel->kind != PANEL_NONE && ui->panel->focused;
}

void
panel_dirty(struct ui *ui)
{
	ui->panel->dirty = 1;
	ui_dirty(ui);
}

/* A login as typed ("@Zed", "zed") into out; 0 if it is not one. */
static int
panel_login(const char *s, char *out, size_t sz)
{
	size_t	n = 0;

	if (*s == '@')
		s++;
	for (; *s != '\0'; s++) {
		if (n + 1 >= sz)
			return 0;
		if (*s >= 'A' && *s <= 'Z')
			out[n++] = (char)(*s + 32);
		else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' &&
		    *s <= '9') || *s == '_')
			out[n++] = *s;
		else
			return 0;
	}
	out[n] = '\0';
	return n > 0;
}

int
panel_open(struct ui *ui, enum panel_kind k, const char *arg, char *err,
    size_t errsz)
{
	struct panel	*pn = ui->panel;
	char		 login[CHANSTATS_LOGIN_MAX + 1];
	int		 was_open = pn->kind != PANEL_NONE;

	if (k == PANEL_NONE) {
		panel_close(ui);
		return 0;
	}
	if (k == PANEL_USER) {
		if (arg == NULL || !panel_login(arg, login, sizeof login)) {
			snprintf(err, errsz, "not a Twitch login (letters, "
			    "digits and _, at most 25)");
			return -1;
		}
		if (pn->kind != PANEL_USER)
			pn->prev = pn->kind;
		if (strcmp(pn->user, login) != 0)
			pn->card_login[0] = '\0';
		if (strcmp(pn->user, login) != 0)
			pn->card_sel = 0;
		memcpy(pn->user, login, sizeof login);
		/* The card's keys (Esc, and a moderator's t, b, d). */
		pn->focused = 1;
		pn->card_confirm = 0;
	} else {
		if (pn->kind != k) {
			pn->sel = pn->top = 0;
			pn->filter[0] = '\0';
		}
		if (arg != NULL && panel_is_list(k)) {
			snprintf(pn->filter, sizeof pn->filter, "%s", arg);
			pn->sel = pn->top = 0;
		}
		pn->focused = panel_is_list(k);
		pn->prev = PANEL_NONE;
	}
	pn->kind = k;
	pn->dirty = 1;
	if (!was_open)
		ui_relayout(ui);	/* the panes make room */
	ui_dirty(ui);
	return 0;
}

void
panel_close(struct ui *ui)
{
	struct panel	*pn = ui->panel;

	if (pn->kind == PANEL_NONE)
		return;
	pn->kind = pn->prev = PANEL_NONE;
	pn->focused = 0;
	pn->rect.w = 0;
	ui_relayout(ui);
}

void
panel_toggle(struct ui *ui, enum panel_kind k)
{
	struct panel	*pn = ui->panel;
	char		 err[128];

	if (pn->kind == k && (pn->focused || !panel_is_list(k))) {
		panel_close(ui);
		return;
	}
	if (pn->kind == k) {
		pn->focused = 1;
		panel_dirty(ui);
		return;
	}
	panel_open(ui, k, NULL, err, sizeof err);
}

/* Esc on a card: back to the list it was opened from, or closed. */
static void
panel_back(struct ui *ui)
{
	struct panel	*pn = ui->panel;
	enum panel_kind	 prev = pn->prev;

	if (prev == PANEL_NONE) {
		panel_close(ui);
		return;
	}
	pn->kind = prev;
	pn->prev = PANEL_NONE;
	pn->focused = panel_is_list(prev);
	panel_dirty(ui);
}

/*
 * Placement.
 */
int
panel_width(const struct ui *ui, int cols)
{
	int	w = cols * 3 / 10;

	if (ui->panel->kind == PANEL_NONE)
		return 0;
	if (w < PANEL_MIN_W)
		w = PANEL_MIN_W;
	if (w > PANEL_MAX_W)
		w = PANEL_MAX_W;
	if (cols - w - 1 < LAYOUT_MIN_W)
		return 0;		/* no room: hidden until wider */
	return w;
}

void
panel_place(struct ui *ui, struct layout_rect r)
{
	struct panel	*pn = ui->panel;

	pn->rect = r;
	pn->dirty = 1;
	if (r.h > pn->nrows) {
		pn->rowlogin = realloc(pn->rowlogin, (size_t)r.h *
		    sizeof *pn->rowlogin);
		if (pn->rowlogin == NULL)
			abort();
		pn->nrows = r.h;
	}
}

int
panel_needs_draw(struct ui *ui)
{
	struct panel		*pn = ui->panel;
	struct pane		*p = ui_focused(ui);
	const struct chanstats	*cs;

	if (pn->kind == PANEL_NONE || pn->rect.w == 0)
		return 0;
	if (pn->dirty || p != pn->drawn_pane || p == NULL)
		return 1;
	if (pn->kind == PANEL_STATS && time(NULL) != pn->drawn_sec)
		return 1;
	cs = chan_stats_const(p->chan);
	if (panel_is_list(pn->kind) ? chanstats_version(cs) ==
	    pn->drawn_stats : chanstats_changed(cs) == pn->drawn_stats &&
	    chan_changed(p->chan) == pn->drawn_chan)
		return 0;
	return ui_now(ui) - pn->drawn_ms >= PANEL_THROTTLE_MS;
}

/*
 * Drawing helpers.
 */
/* A whole row: blank it in meaning, then the text from one column in. */
static void
panel_row(struct ui *ui, int y, int meaning, const char *s)
{
	struct panel	*pn = ui->panel;

	ui_style(ui, meaning, 0, 0, 0);
	mvhline(y, pn->rect.x, ' ', pn->rect.w);
	ui_puts(y, pn->rect.x + 1, pn->rect.x + pn->rect.w, s);
}

/* s over at most maxrows rows from (y, x) to limit, broken at spaces
 * where it can (text_wrap), later rows indented by 2; returns the rows
 * used (>= 1). */
static int
panel_wrap(int y, int x, int limit, int maxrows, const char *s, size_t len)
{
	struct text_row	rows[PANEL_WRAP_MAX];
	size_t		n, i;
	int		w = limit - x;

	if (maxrows > PANEL_WRAP_MAX)
		maxrows = PANEL_WRAP_MAX;
	if (w < 1 || maxrows < 1)
		return 1;
	n = text_wrap(s, len, w, 2, rows, (size_t)maxrows);
	if (n > (size_t)maxrows)
		n = (size_t)maxrows;
	for (i = 0; i < n; i++)
		ui_put(y + (int)i, x + (i > 0 ? 2 : 0), limit,
		    s + rows[i].start, rows[i].end - rows[i].start);
	return n > 0 ? (int)n : 1;
}

/* Rows panel_wrap() would take for len bytes of s at width columns. */
static int
panel_wrap_rows(int width, int maxrows, const char *s, size_t len)
{
	size_t	n = text_wrap(s, len, width < 1 ? 1 : width, 2, NULL, 0);

	return n > (size_t)maxrows ? maxrows : n > 0 ? (int)n : 1;
}

static const char *
panel_source(const struct panel_feed *f, const char *chat)
{
	return f->source[0] != '\0' ? f->source : chat;
}

/* The feed's state on row y when it is not ready; returns 1 if drawn. */
static int
panel_feed_row(struct ui *ui, int y, const struct panel_feed *f)
{
	struct panel	*pn = ui->panel;

	if (f->state == PANEL_FEED_LOADING) {
		panel_row(ui, y, THEME_PANEL_DIM, "loading...");
		return 1;
	}
	if (f->state == PANEL_FEED_ERROR) {
		ui_style(ui, THEME_ERROR, 0, 0, 0);
		mvhline(y, pn->rect.x, ' ', pn->rect.w);
		panel_wrap(y, pn->rect.x + 1, pn->rect.x + pn->rect.w,
		    pn->rect.y + pn->rect.h - y, f->error, strlen(f->error));
		return 1;
	}
	return 0;
}

/* The glyph and its theme meaning for a group. */
static const char *
panel_glyph(const struct ui *ui, int group, int *meaning)
{
	static const int	bit[CHANSTATS_G_COUNT] = { 0, 1, 2, 3, -1 };
	static const int	m[CHANSTATS_G_COUNT] = {
		THEME_BADGE_BROADCASTER, THEME_BADGE_MOD, THEME_BADGE_VIP,
		THEME_BADGE_SUB, THEME_PANEL
	};
	const char		*g;

	*meaning = m[group];
	if (bit[group] < 0)
		return "";
	g = ui->ropts.badges[bit[group]];
	return g != NULL && text_is_safe(g, strlen(g)) ? g : "";
}

/* "Zed (zed)" when the display name is not just the login's case. */
static void
panel_name(const struct chanstats_chatter *c, char *buf, size_t sz)
{
	if (c->name[0] != '\0' && text_casecmp(c->name, c->login) != 0)
		snprintf(buf, sz, "%s (%s)", c->name, c->login);
	else
		snprintf(buf, sz, "%s", c->name[0] != '\0' ? c->name :
		    c->login);
}

/*
 * The lists: chatters and moderators.
 */
static void
panel_list_head(struct ui *ui, struct pane *p, const char *title,
    const char *source, size_t shown, size_t total, const char *noun)
{
	struct panel	*pn = ui->panel;
	char		 buf[160];
	int		 y = pn->rect.y, lim = pn->rect.x + pn->rect.w;

	snprintf(buf, sizeof buf, "%s #%s", title, chan_name(p->chan));
	panel_row(ui, y, THEME_PANEL_TITLE, buf);
	panel_row(ui, y + 1, THEME_PANEL_DIM, source);
	if (pn->focused || pn->filter[0] != '\0') {
		panel_row(ui, y + 2, THEME_PANEL_DIM, "filter: ");
		ui_style(ui, THEME_INPUT, 0, 0, 0);
		pn->cur_x = ui_puts(y + 2, pn->rect.x + 9, lim, pn->filter);
		pn->cur_y = y + 2;
		if (pn->cur_x >= lim)
			pn->cur_x = lim - 1;
	} else
		panel_row(ui, y + 2, THEME_PANEL_DIM, pn->kind ==
		    PANEL_CHATTERS ? "F2: type to filter" :
		    "F3: type to filter");
	if (pn->filter[0] != '\0')
		snprintf(buf, sizeof buf, "%zu of %zu %s match", shown, total,
		    noun);
	else
		snprintf(buf, sizeof buf, "%zu %s", total, noun);
	panel_row(ui, y + 3, THEME_PANEL, buf);
}

/* The list's people now (filtered, sorted) into pn->list; how many. */
static size_t
panel_make_list(struct panel *pn, const struct chanstats *cs, unsigned mask)
{
	size_t	n = chanstats_count(cs, mask);

	if (n > pn->cap) {
		pn->cap = n + 64;
		if ((pn->list = realloc(pn->list, pn->cap *
		    sizeof *pn->list)) == NULL)
			abort();
	}
	return chanstats_list(cs, mask, pn->filter, pn->list, pn->cap);
}

static unsigned
panel_mask(const struct panel *pn)
{
	return pn->kind == PANEL_MODS ? CHANSTATS_GM(CHANSTATS_G_MOD) :
	    CHANSTATS_GM_ALL;
}

/* Flat rows of the list: a heading before each group, then its people.
 * Returns the flat row of entry i. */
static size_t
panel_flat_row(const struct chanstats_chatter **list, size_t i)
{
	size_t	j, heads = 0;

	for (j = 0; j <= i; j++)
		if (j == 0 || list[j]->group != list[j - 1]->group)
			heads++;
	return i + heads;
}

static void
panel_draw_entry(struct ui *ui, int y, const struct chanstats_chatter *c,
    int selected)
{
	struct panel	*pn = ui->panel;
	const char	*g;
	char		 name[CHANSTATS_NAME_MAX + CHANSTATS_LOGIN_MAX + 8];
	int		 m, x = pn->rect.x + 1, lim = pn->rect.x + pn->rect.w;
	int		 base = selected ? THEME_SELECTION : THEME_PANEL;

	ui_style(ui, base, 0, 0, 0);
	mvhline(y, pn->rect.x, ' ', pn->rect.w);
	g = panel_glyph(ui, c->group, &m);
	if (g[0] != '\0') {
		ui_style(ui, m, 0, 0, selected ? THEME_ATTR_REVERSE : 0);
		ui_puts(y, x, lim, g);
	}
	x += 2;
	panel_name(c, name, sizeof name);
	ui_style(ui, base, 0, 0, 0);
	ui_puts(y, x, lim, name);
}

static void
panel_draw_list(struct ui *ui, struct pane *p, int mods)
{
	struct panel			*pn = ui->panel;
	const struct chanstats		*cs = chan_stats_const(p->chan);
	const struct panel_feed		*f;
	unsigned			 mask;
	size_t				 total, n, i, flat, row;
	size_t				 gcount[CHANSTATS_G_COUNT];
	int				 y, y0, y1, g;
	char				 buf[96];

	mask = panel_mask(pn);
	f = &p->feeds.feed[mods ? PANEL_FEED_MODS : PANEL_FEED_CHATTERS];
	total = chanstats_count(cs, mask);
	n = panel_make_list(pn, cs, mask);
	panel_list_head(ui, p, mods ? "Moderators" : "Chatters",
	    panel_source(f, mods ? "seen through badges" : "seen in chat"),
	    n, total, mods ? (total == 1 ? "moderator" : "moderators") :
	    (total == 1 ? "chatter" : "chatters"));
	y0 = pn->rect.y + PANEL_HEAD_ROWS;
	y1 = pn->rect.y + pn->rect.h;
	for (y = y0; y < y1; y++) {
		ui_style(ui, THEME_PANEL, 0, 0, 0);
		mvhline(y, pn->rect.x, ' ', pn->rect.w);
		pn->rowlogin[y - pn->rect.y][0] = '\0';
	}
	pn->page = y1 - y0;
	if (y0 >= y1 || panel_feed_row(ui, y0, f))
		return;
	if (n == 0) {
		panel_row(ui, y0, THEME_PANEL_DIM, pn->filter[0] ? "nobody "
		    "matches" : mods ? "no moderator has spoken yet" :
		    "nobody seen yet");
		return;
	}
	memset(gcount, 0, sizeof gcount);
	for (i = 0; i < n; i++)
		gcount[pn->list[i]->group]++;
	if (pn->sel >= n)
		pn->sel = n - 1;
	/* Keep the selection in view. */
	flat = panel_flat_row(pn->list, pn->sel);
	if (flat < pn->top + 1)
		pn->top = flat > 0 ? flat - 1 : 0;	/* with its heading */
	if (flat >= pn->top + (size_t)pn->page)
		pn->top = flat - (size_t)pn->page + 1;
	y = y0;
	for (i = 0, row = 0; i < n && y < y1; i++) {
		g = pn->list[i]->group;
		if (i == 0 || g != pn->list[i - 1]->group) {
			if (row++ >= pn->top && y < y1) {
				snprintf(buf, sizeof buf, "%s (%zu)",
				    chanstats_group_name(
				    (enum chanstats_group)g), gcount[g]);
				panel_row(ui, y++, THEME_PANEL_HEADER, buf);
			}
		}
		if (row++ < pn->top || y >= y1)
			continue;
		memcpy(pn->rowlogin[y - pn->rect.y], pn->list[i]->login,
		    sizeof *pn->rowlogin);
		panel_draw_entry(ui, y++, pn->list[i],
		    pn->focused && i == pn->sel);
	}
}

/*
 * Stats.
 */
/* Minutes per bar so the whole hour fits in w columns: the smallest
 * divisor of 60 that is enough. */
static int
panel_spark_step(int w)
{
	static const int	steps[] = { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30,
				    60 };
	size_t			i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (CHANSTATS_MINUTES / steps[i] <= w)
			return steps[i];
	return CHANSTATS_MINUTES;
}

/* The hour as a row of block characters, scaled to its busiest bar. */
static void
panel_spark(struct ui *ui, int y, uint32_t now, const struct chanstats *cs)
{
	static const char *const blocks[8] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	struct panel	*pn = ui->panel;
	uint32_t	 m[CHANSTATS_MINUTES], bar[CHANSTATS_MINUTES], max = 0;
	int		 step = panel_spark_step(pn->rect.w - 2), nbars, i, lvl;

	chanstats_minutes(cs, now, m);
	nbars = CHANSTATS_MINUTES / step;
	memset(bar, 0, sizeof bar);
	for (i = 0; i < CHANSTATS_MINUTES; i++)
		bar[i / step] += m[i];
	for (i = 0; i < nbars; i++)
		if (bar[i] > max)
			max = bar[i];
	ui_style(ui, THEME_PANEL, 0, 0, 0);
	mvhline(y, pn->rect.x, ' ', pn->rect.w);
	if (pn->rect.w < 3)
		return;
	move(y, pn->rect.x + 1);
	for (i = 0; i < nbars; i++) {
		if (bar[i] == 0) {
			ui_style(ui, THEME_PANEL_DIM, 0, 0, 0);
			addstr(blocks[0]);
			continue;
		}
		lvl = (int)(((uint64_t)bar[i] * 8 + max - 1) / max) - 1;
		ui_style(ui, THEME_PANEL_SPARK, 0, 0, 0);
		addstr(blocks[lvl < 0 ? 0 : lvl > 7 ? 7 : lvl]);
	}
}

/* "live: yes" from the REST layer, or what stands in for it. */
static void
panel_helix_row(struct ui *ui, int y, const struct panel_feeds *fs,
    const char *what, const char *value)
{
	const struct panel_feed	*f = &fs->feed[PANEL_FEED_CHANNEL];
	char			 buf[320];

	if (f->state == PANEL_FEED_LOADING)
		snprintf(buf, sizeof buf, "%s: loading...", what);
	else if (f->state == PANEL_FEED_ERROR)
		snprintf(buf, sizeof buf, "%s: %s", what, f->error);
	else if (!fs->channel.known)
		snprintf(buf, sizeof buf, "%s: needs Helix", what);
	else
		snprintf(buf, sizeof buf, "%s: %s", what, value);
	panel_row(ui, y, fs->channel.known && f->state == PANEL_FEED_READY ?
	    THEME_PANEL : f->state == PANEL_FEED_ERROR ? THEME_ERROR :
	    THEME_PANEL_DIM, buf);
}

static void
panel_draw_stats(struct ui *ui, struct pane *p)
{
	struct panel		*pn = ui->panel;
	const struct chanstats	*cs = chan_stats_const(p->chan);
	const struct panel_feeds *fs = &p->feeds;
	uint32_t		 now = (uint32_t)time(NULL), m[CHANSTATS_MINUTES];
	uint32_t		 peak = 0;
	uint64_t		 hour;
	char			 buf[256], modes[128], v[64];
	int			 y = pn->rect.y, y1 = pn->rect.y + pn->rect.h, i;
	int			 w = pn->rect.w - 2;

	snprintf(buf, sizeof buf, "Stats #%s", chan_name(p->chan));
	panel_row(ui, y++, THEME_PANEL_TITLE, buf);
	panel_row(ui, y++, THEME_PANEL_DIM, panel_source(
	    &fs->feed[PANEL_FEED_CHATTERS], "seen in chat"));
	chan_room_string(p->chan, modes, sizeof modes);
	snprintf(buf, sizeof buf, "modes: %s", modes[0] ? modes : "none");
	if (y < y1) {
		/* Five modes at once do not fit a narrow panel: two rows. */
		panel_row(ui, y, THEME_PANEL, "");
		if (y + 1 < y1)
			panel_row(ui, y + 1, THEME_PANEL, "");
		y += panel_wrap(y, pn->rect.x + 1, pn->rect.x + pn->rect.w,
		    y + 1 < y1 ? 2 : 1, buf, strlen(buf));
	}
	snprintf(buf, sizeof buf, "messages/min: %u", chanstats_rate(cs, now));
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL, buf);
	if (y < y1)
		panel_spark(ui, y++, now, cs);
	hour = chanstats_minutes(cs, now, m);
	for (i = 0; i < CHANSTATS_MINUTES; i++)
		if (m[i] > peak)
			peak = m[i];
	snprintf(buf, sizeof buf, "1h, %d min/bar, peak %u/min",
	    panel_spark_step(w), peak);
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL_DIM, buf);
	snprintf(buf, sizeof buf, "last hour: %llu line%s",
	    (unsigned long long)hour, hour == 1 ? "" : "s");
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL, buf);
	snprintf(buf, sizeof buf, "unique chatters, 5 min: %zu",
	    chanstats_unique(cs, now));
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL, buf);
	snprintf(buf, sizeof buf, "chatters seen: %zu, mods %zu",
	    chanstats_count(cs, CHANSTATS_GM_ALL),
	    chanstats_count(cs, CHANSTATS_GM(CHANSTATS_G_MOD)));
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL, buf);
	snprintf(buf, sizeof buf, "lines stored: %zu (%zu KiB)",
	    chan_nlines(p->chan), (chan_bytes(p->chan) + 1023) / 1024);
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL, buf);
	if (y < y1)
		panel_helix_row(ui, y++, fs, "live", fs->channel.live ? "yes" :
		    "offline");
	if (y < y1)
		panel_helix_row(ui, y++, fs, "title", fs->channel.title);
	if (y < y1 && fs->channel.game[0] != '\0')
		panel_helix_row(ui, y++, fs, "game", fs->channel.game);
	if (y < y1 && fs->channel.live && fs->channel.started_at > 0) {
		int64_t up = (int64_t)time(NULL) - fs->channel.started_at;

		if (up < 0)
			up = 0;
		snprintf(v, sizeof v, "%lldh %02lldm", (long long)(up / 3600),
		    (long long)(up / 60 % 60));
		panel_helix_row(ui, y++, fs, "uptime", v);
	}
	if (fs->channel.live)
		snprintf(v, sizeof v, "%ld", fs->channel.viewers);
	else
		snprintf(v, sizeof v, "none (offline)");
	if (y < y1)
		panel_helix_row(ui, y++, fs, "viewers", v);
	if (fs->channel.followers >= 0)
		snprintf(v, sizeof v, "%ld", fs->channel.followers);
	else
		snprintf(v, sizeof v, "unknown");
	if (y < y1)
		panel_helix_row(ui, y++, fs, "followers", v);
	for (; y < y1; y++)
		panel_row(ui, y, THEME_PANEL, "");
}

/*
 * The user card.
 */
static void
panel_when(const char *what, uint32_t t, char *buf, size_t sz)
{
	char		 when[32];
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	when[0] = '\0';
	if (t == 0)
		snprintf(when, sizeof when, "never");
	else if (localtime_r(&tt, &tm) != NULL)
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	snprintf(buf, sz, "%s %s", what, when);
}

/* Line l as the card shows it ("12:34 text") into text; its length. */
static size_t
panel_card_text(const struct chan_line *l, char *text, size_t sz)
{
	const char	*body;
	char		 when[16];
	size_t		 blen;
	time_t		 t = (time_t)l->time;
	struct tm	 tm;
	int		 n;

	body = chan_line_body(l, &blen);
	when[0] = '\0';
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%H:%M", &tm);
	n = snprintf(text, sz, "%s %s%.*s%s", when,
	    (l->flags & CHAN_F_ACTION) ? "* " : "", (int)blen, body,
	    (l->flags & CHAN_F_DELETED) ? " (deleted)" : "");
	if (n < 0)
		return 0;
	return (size_t)n >= sz ? sz - 1 : (size_t)n;
}

/* Draw line l of the card from row y (at most to y1); returns rows used. */
static int
panel_card_line(struct ui *ui, int y, int y1, const struct chan_line *l,
    int selected)
{
	struct panel	*pn = ui->panel;
	char		 text[1024];
	size_t		 n = panel_card_text(l, text, sizeof text);

	ui_style(ui, (l->flags & CHAN_F_DELETED) ? THEME_DELETED :
	    (l->flags & CHAN_F_DIMMED) ? THEME_DIMMED : THEME_PANEL, 0, 0,
	    selected ? THEME_ATTR_REVERSE : 0);
	return panel_wrap(y, pn->rect.x + 1, pn->rect.x + pn->rect.w,
	    y1 - y < PANEL_CARD_ROWS ? y1 - y : PANEL_CARD_ROWS, text, n);
}

/* The user's newest lines that fit in rows, oldest first, into seqs. */
static size_t
panel_card_lines(struct ui *ui, struct pane *p, int rows, uint64_t *seqs,
    size_t max)
{
	const struct chan_line	*l;
	const char		*login;
	char			 text[1024];
	size_t			 len, n = 0, ulen = strlen(ui->panel->user), i;
	uint64_t		 seq, first = chan_first(p->chan);
	int			 used = 0, h;

	for (seq = chan_end(p->chan); seq > first && n < max; seq--) {
		if ((l = chan_line(p->chan, seq - 1)) == NULL)
			break;
		if (l->kind != CHAN_K_MSG)
			continue;
		login = chan_line_login(l, &len);
		if (len != ulen || memcmp(login, ui->panel->user, len) != 0)
			continue;
		len = panel_card_text(l, text, sizeof text);
		h = panel_wrap_rows(ui->panel->rect.w - 1, PANEL_CARD_ROWS,
		    text, len);
		if (used + h > rows)
			break;
		used += h;
		seqs[n++] = seq - 1;
	}
	for (i = 0; i < n / 2; i++) {
		seq = seqs[i];
		seqs[i] = seqs[n - 1 - i];
		seqs[n - 1 - i] = seq;
	}
	return n;
}

static void
panel_badges(unsigned badges, char *buf, size_t sz)
{
	size_t	n = 0;
	int	i;

	snprintf(buf, sz, "badges:");
	n = strlen(buf);
	for (i = 0; i < CHAN_B_COUNT && n + 1 < sz; i++)
		if (badges & (1u << i)) {
			snprintf(buf + n, sz - n, " %s", chan_badge_name(1u << i));
			n = strlen(buf);
		}
	if (badges == 0)
		snprintf(buf + n, sz - n, " none");
}

/* "2018-07-15 (8 years ago)" for an epoch time. */
static void
panel_date_age(int64_t t, char *buf, size_t sz)
{
	time_t		 tt = (time_t)t, now = time(NULL);
	struct tm	 tm;
	char		 day[16];
	int64_t		 d = ((int64_t)now - t) / 86400;

	day[0] = '\0';
	if (gmtime_r(&tt, &tm) != NULL)
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	if (d >= 730)
		snprintf(buf, sz, "%s (%lld years ago)", day,
		    (long long)(d / 365));
	else if (d >= 60)
		snprintf(buf, sz, "%s (%lld months ago)", day,
		    (long long)(d / 30));
	else
		snprintf(buf, sz, "%s (%lld day%s ago)", day,
		    (long long)(d > 0 ? d : 0), d == 1 ? "" : "s");
}

/* What Helix told about the card's user, from row y; the next row. */
static int
panel_card_helix(struct ui *ui, struct pane *p, int y, int y1)
{
	struct panel	*pn = ui->panel;
	char		 buf[320], when[64];

	if (strcmp(pn->card_login, pn->user) != 0)
		return y;
	if (pn->card_state == PANEL_FEED_LOADING) {
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL_DIM, "account: "
			    "loading...");
	} else if (pn->card_state == PANEL_FEED_ERROR) {
		snprintf(buf, sizeof buf, "account: %s", pn->card_error);
		if (y < y1) {
			panel_row(ui, y, THEME_ERROR, "");
			y += panel_wrap(y, pn->rect.x + 1, pn->rect.x +
			    pn->rect.w, y1 - y < 3 ? y1 - y : 3, buf,
			    strlen(buf));
		}
	} else if (pn->card_known) {
		when[0] = '\0';
		if (pn->card_created >= 0)
			panel_date_age(pn->card_created, when, sizeof when);
		snprintf(buf, sizeof buf, "created %s", when[0] ? when :
		    "unknown");
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL, buf);
		if (pn->card_followed >= 0) {
			panel_date_age(pn->card_followed, when, sizeof when);
			snprintf(buf, sizeof buf, "follows since %s", when);
		} else if (pn->card_note[0] != '\0')
			snprintf(buf, sizeof buf, "follow: %s",
			    pn->card_note);
		else
			snprintf(buf, sizeof buf, "does not follow #%s",
			    chan_name(p->chan));
		if (y < y1) {
			panel_row(ui, y, THEME_PANEL, "");
			y += panel_wrap(y, pn->rect.x + 1, pn->rect.x +
			    pn->rect.w, y1 - y < 2 ? y1 - y : 2, buf,
			    strlen(buf));
		}
	}
	if (!pn->card_mod || y >= y1)
		return y;
	if (pn->card_confirm != 0) {
		snprintf(buf, sizeof buf, "%s %s? y/n", pn->card_confirm ==
		    't' ? "time out for 600 s:" : pn->card_confirm == 'b' ?
		    "ban:" : "delete the selected line of", pn->user);
		panel_row(ui, y++, THEME_ERROR, buf);
	} else {
		panel_row(ui, y++, THEME_PANEL_DIM, "t timeout  b ban  "
		    "d delete");
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL_DIM, "Up/Down: which "
			    "line; Tab: chat");
	}
	return y;
}

static void
panel_draw_user(struct ui *ui, struct pane *p)
{
	struct panel			*pn = ui->panel;
	const struct chanstats_chatter	*c;
	uint64_t			 seqs[64];
	const struct chan_line		*l;
	char				 buf[256];
	size_t				 n, i;
	int				 y = pn->rect.y, y1 = pn->rect.y +
					    pn->rect.h;

	c = chanstats_find(chan_stats_const(p->chan), pn->user,
	    strlen(pn->user));
	snprintf(buf, sizeof buf, "User #%s", chan_name(p->chan));
	panel_row(ui, y++, THEME_PANEL_TITLE, buf);
	panel_row(ui, y++, THEME_PANEL_DIM, strcmp(pn->card_login,
	    pn->user) == 0 && pn->card_known ? "Helix and chat; Esc closes" :
	    "seen in chat; Esc closes");
	if (c != NULL)
		panel_name(c, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", pn->user);
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL_HEADER, buf);
	y = panel_card_helix(ui, p, y, y1);
	if (c == NULL) {
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL_DIM, "not seen in this "
			    "channel yet");
	} else {
		panel_badges(c->badges, buf, sizeof buf);
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL, buf);
		panel_when("first seen", c->first_seen, buf, sizeof buf);
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL, buf);
		panel_when("last seen", c->last_seen, buf, sizeof buf);
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL, buf);
		snprintf(buf, sizeof buf, "messages: %u", c->messages);
		if (y < y1)
			panel_row(ui, y++, THEME_PANEL, buf);
	}
	if (y < y1)
		panel_row(ui, y++, THEME_PANEL_HEADER, "recent lines");
	for (i = (size_t)y; i < (size_t)y1; i++)
		panel_row(ui, (int)i, THEME_PANEL, "");
	n = y < y1 ? panel_card_lines(ui, p, y1 - y, seqs, 64) : 0;
	if (n == 0 && y < y1)
		panel_row(ui, y, THEME_PANEL_DIM, "none in the scrollback");
	/* A moderator picks the line d deletes: Up and Down, newest first. */
	if (n > 0 && pn->card_sel >= n)
		pn->card_sel = n - 1;
	pn->card_seq = pn->card_mod && n > 0 ? seqs[n - 1 - pn->card_sel] : 0;
	for (i = 0; i < n && y < y1; i++)
		if ((l = chan_line(p->chan, seqs[i])) != NULL)
			y += panel_card_line(ui, y, y1, l,
			    seqs[i] == pn->card_seq);
}

void
panel_draw(struct ui *ui)
{
	struct panel	*pn = ui->panel;
	struct pane	*p = ui_focused(ui);
	int		 y;

	if (pn->kind == PANEL_NONE || pn->rect.w == 0)
		return;
	pn->dirty = 0;
	pn->drawn_pane = p;
	pn->drawn_ms = ui_now(ui);
	pn->drawn_sec = time(NULL);
	pn->cur_y = -1;
	if (pn->rect.x > 0) {
		ui_style(ui, THEME_BORDER, 0, 0, 0);
		mvvline(pn->rect.y, pn->rect.x - 1, ACS_VLINE, pn->rect.h);
	}
	memset(pn->rowlogin, 0, (size_t)pn->nrows * sizeof *pn->rowlogin);
	if (p == NULL || !p->joined) {
		for (y = pn->rect.y; y < pn->rect.y + pn->rect.h; y++)
			panel_row(ui, y, THEME_PANEL_DIM, y == pn->rect.y ?
			    "no channel here" : "");
		return;
	}
	pn->drawn_stats = panel_is_list(pn->kind) ?
	    chanstats_version(chan_stats_const(p->chan)) :
	    chanstats_changed(chan_stats_const(p->chan));
	pn->drawn_chan = chan_changed(p->chan);
	switch (pn->kind) {
	case PANEL_CHATTERS:	panel_draw_list(ui, p, 0); break;
	case PANEL_MODS:	panel_draw_list(ui, p, 1); break;
	case PANEL_STATS:	panel_draw_stats(ui, p); break;
	case PANEL_USER:	panel_draw_user(ui, p); break;
	default:		break;
	}
}

void
panel_cursor(struct ui *ui)
{
	struct panel	*pn = ui->panel;

	if (panel_focused(ui) && pn->rect.w > 0 && pn->cur_y >= 0)
		move(pn->cur_y, pn->cur_x);
}

/*
 * Keys and the mouse.
 */
static void
panel_filter_add(struct panel *pn, uint32_t cp)
{
	char	enc[4];
	size_t	n, len = strlen(pn->filter);

	if (!text_cp_safe(cp) || text_cp_width(cp) == 0 ||
	    (n = text_encode_cp(cp, enc)) == 0 ||
	    len + n >= sizeof pn->filter)
		return;
	memcpy(pn->filter + len, enc, n);
	pn->filter[len + n] = '\0';
	pn->sel = pn->top = 0;
}

static void
panel_filter_back(struct panel *pn)
{
	size_t	len = strlen(pn->filter);

	while (len > 0 && ((unsigned char)pn->filter[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	pn->filter[len] = '\0';
	pn->sel = pn->top = 0;
}

/* Enter: the card of the selected entry. The list is made again, since
 * keys may have moved the selection since it was drawn. */
static void
panel_open_selected(struct ui *ui)
{
	struct panel			*pn = ui->panel;
	struct pane			*p = ui_focused(ui);
	char				 err[128], login[CHANSTATS_LOGIN_MAX + 1];
	size_t				 n;

	if (p == NULL || !p->joined)
		return;
	n = panel_make_list(pn, chan_stats_const(p->chan), panel_mask(pn));
	if (n == 0)
		return;
	if (pn->sel >= n)
		pn->sel = n - 1;
	memcpy(login, pn->list[pn->sel]->login, sizeof login);
	panel_open(ui, PANEL_USER, login, err, sizeof err);
}

static void
panel_move(struct panel *pn, long d)
{
	if (d < 0 && (size_t)-d > pn->sel)
		pn->sel = 0;
	else
		pn->sel = (size_t)((long)pn->sel + d);	/* clamped when drawn */
}

/* A key for a list with the keyboard. */
static int
panel_list_key(struct ui *ui, int is_code, uint32_t k)
{
	struct panel	*pn = ui->panel;
	long		 page = pn->page > 1 ? pn->page - 1 : 1;

	if (is_code) {
		switch (k) {
		case KEY_UP:		panel_move(pn, -1); break;
		case KEY_DOWN:		panel_move(pn, 1); break;
		case KEY_PPAGE:		panel_move(pn, -page); break;
		case KEY_NPAGE:		panel_move(pn, page); break;
		case KEY_HOME:		pn->sel = 0; break;
		case KEY_BACKSPACE:	panel_filter_back(pn); break;
		case KEY_ENTER:		panel_open_selected(ui); break;
		default:		return 0;
		}
		return 1;
	}
	switch (k) {
	case 27:				/* Esc */
		if (pn->filter[0] != '\0') {
			pn->filter[0] = '\0';
			pn->sel = pn->top = 0;
		} else
			pn->focused = 0;	/* back to the input line */
		return 1;
	case '\t':	pn->focused = 0; return 1;
	case '\r':
	case '\n':	panel_open_selected(ui); return 1;
	case 127:
	case 8:		panel_filter_back(pn); return 1;
	case 21:	pn->filter[0] = '\0'; pn->sel = pn->top = 0;
			return 1;			/* ^U */
	default:
		if (k < 32)
			return 0;
		panel_filter_add(pn, k);
		return 1;
	}
}

/* A focused card: a moderator's keys, each asked again; Tab gives the
 * keyboard back to the input line. */
static int
panel_card_key(struct ui *ui, uint32_t k)
{
	struct panel	*pn = ui->panel;
	int		 action = pn->card_confirm;

	if (k == '\t') {
		pn->focused = 0;
		pn->card_confirm = 0;
		return 1;
	}
	if (!pn->card_mod)
		return 0;
	pn->card_confirm = 0;
	if (action != 0 && (k == 'y' || k == 'Y'))
		uihelix_card_action(ui, action, pn->user);
	else if (action == 0 && (k == 't' || k == 'b' || k == 'd'))
		pn->card_confirm = (int)k;
	panel_dirty(ui);
	return 1;
}

int
panel_key(struct ui *ui, int is_code, uint32_t k)
{
	struct panel	*pn = ui->panel;
	int		 took = 0;

	if (pn->kind == PANEL_USER && !is_code && k == 27) {
		if (pn->card_confirm != 0)
			pn->card_confirm = 0;
		else
			panel_back(ui);
		panel_dirty(ui);
		return 1;
	}
	if (pn->kind == PANEL_USER && pn->focused && is_code &&
	    pn->card_mod && (k == KEY_UP || k == KEY_DOWN)) {
		if (k == KEY_UP)
			pn->card_sel++;		/* clamped when drawn */
		else if (pn->card_sel > 0)
			pn->card_sel--;
		panel_dirty(ui);
		return 1;
	}
	if (pn->kind == PANEL_USER && pn->focused && !is_code)
		return panel_card_key(ui, k);
	if (panel_is_list(pn->kind) && pn->focused)
		took = panel_list_key(ui, is_code, k);
	if (took)
		panel_dirty(ui);
	return took;
}

int
panel_mouse(struct ui *ui, int x, int y, int wheel)
{
	struct panel	*pn = ui->panel;
	char		 login[CHANSTATS_LOGIN_MAX + 1], err[128];
	int		 row = y - pn->rect.y;

	if (pn->kind == PANEL_NONE || pn->rect.w == 0 || x < pn->rect.x ||
	    x >= pn->rect.x + pn->rect.w || row < 0 || row >= pn->rect.h)
		return 0;
	if (panel_is_list(pn->kind)) {
		pn->focused = 1;
		if (wheel != 0)
			panel_move(pn, wheel > 0 ? -3 : 3);
		else if (row < pn->nrows && pn->rowlogin[row][0] != '\0') {
			memcpy(login, pn->rowlogin[row], sizeof login);
			panel_open(ui, PANEL_USER, login, err, sizeof err);
		}
	}
	panel_dirty(ui);
	return 1;
}
