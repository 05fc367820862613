/*
 * status.c: the rows around the panes: a pane's title, the tab row, the
 * status bar (clock, account, shards, room modes, hotlist, a message) and
 * the input row with the cursor.
 *
 * Everything drawn here is made here from safe parts (channel logins are
 * [a-z0-9_], messages went through text_sanitize in ui_message, the input
 * line is the editor's, which holds no control characters).
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "curses.h"
#include "shardmgr.h"
#include "text.h"
#include "ui-int.h"

/*
 * Add s (already safe to draw) from column x, whole characters only and at
 * most up to column limit; returns the column reached.
 */
int
ui_put(int y, int x, int limit, const char *s, size_t len)
{
	size_t	off = 0, n;
	int	w;

	if (x >= limit)
		return x;
	move(y, x);
	while (off < len) {
		n = text_next_char(s + off, len - off, &w);
		if (n == 0 || x + w > limit)
			break;
		addnstr(s + off, (int)n);
		off += n;
		x += w;
	}
	return x;
}

int
ui_puts(int y, int x, int limit, const char *s)
{
	return ui_put(y, x, limit, s, strlen(s));
}

void
status_draw_title(struct ui *ui, struct pane *p, int focused)
{
	char	buf[256], modes[128];
	int	y = p->rect.y, x = p->rect.x, lim = p->rect.x + p->rect.w;
	size_t	i, idx = 0;

	for (i = 0; i < ui->npanes; i++)
		if (ui->panes[i] == p)
			idx = i;
	ui_style(ui, focused ? THEME_TITLE_FOCUS : THEME_TITLE, 0, 0, 0);
	mvhline(y, x, ' ', p->rect.w);
	chan_room_string(p->chan, modes, sizeof modes);
	if (!p->joined)
		snprintf(buf, sizeof buf, " %zu stitch", idx + 1);
	else
		snprintf(buf, sizeof buf, " %zu #%s%s%s%s", idx + 1,
		    chan_name(p->chan), modes[0] ? " [" : "", modes,
		    modes[0] ? "]" : "");
	x = ui_puts(y, x, lim, buf);
	if (p->bottom != 0 && x + 10 < lim)
		ui_puts(y, lim - 10, lim, " scrolled ");
}

void
status_draw_tabs(struct ui *ui)
{
	char	buf[64];
	size_t	i;
	int	x = 0;

	ui_style(ui, THEME_STATUS, 0, 0, 0);
	mvhline(0, 0, ' ', ui->cols);
	for (i = 0; i < ui->npanes && x < ui->cols; i++) {
		struct chan *c = ui->panes[i]->chan;

		snprintf(buf, sizeof buf, " %zu:%s ", i + 1,
		    ui->panes[i]->joined ? chan_name(c) : "stitch");
		if (i == ui->focus)
			ui_style(ui, THEME_TITLE_FOCUS, 0, 0, 0);
		else if (chan_mentions(c) > 0)
			ui_style(ui, THEME_HOTLIST_MENTION, 0, 0, 0);
		else if (chan_unread(c) > 0)
			ui_style(ui, THEME_HOTLIST, 0, 0, 0);
		else
			ui_style(ui, THEME_STATUS, 0, 0, 0);
		x = ui_puts(0, x, ui->cols, buf);
	}
}

/* "shards 2/2 ready", or the state of the first that is not ready. */
static void
status_shards(struct ui *ui, char *buf, size_t sz)
{
	struct shardmgr	*m;
	struct shard	*s, *bad = NULL;
	size_t		 i, n, ready = 0;

	if (ui->replay) {
		/* A recording plays: no connection to speak of. */
		if (ui->replay_speed > 0)
			snprintf(buf, sz, "replay x %g%s", ui->replay_speed,
			    ui->replay_done ? ": ended" : "");
		else
			snprintf(buf, sz, "replay, no waiting%s",
			    ui->replay_done ? ": ended" : "");
		return;
	}
	if (ui->app == NULL) {
		snprintf(buf, sz, "offline");
		return;
	}
	m = ui->app->mgr;
	n = shardmgr_nshards(m);
	for (i = 0; i < n; i++) {
		s = shardmgr_shard(m, i);
		if (shard_state(s) == SHARD_READY)
			ready++;
		else if (bad == NULL)
			bad = s;
	}
	if (n == 0)
		snprintf(buf, sz, "no shards");
	else if (bad == NULL)
		snprintf(buf, sz, "%zu/%zu ready", ready, n);
	else
		snprintf(buf, sz, "%zu/%zu ready, %s %s", ready, n,
		    shard_id(bad), shard_state_name(shard_state(bad)));
}

void
status_draw(struct ui *ui)
{
	struct pane	*p = ui_focused(ui);
	char		 buf[256], modes[128], clock[16];
	int		 y = ui->rows - 2, x = 0, lim = ui->cols;
	time_t		 t = time(NULL);
	struct tm	 tm;
	size_t		 i;

	if (y < 0)
		return;
	ui_style(ui, THEME_STATUS, 0, 0, 0);
	mvhline(y, 0, ' ', ui->cols);
	clock[0] = '\0';
	if (localtime_r(&t, &tm) != NULL)
		strftime(clock, sizeof clock, "%H:%M", &tm);
	x = ui_puts(y, x, lim, "[");
	x = ui_puts(y, x, lim, clock);
	x = ui_puts(y, x, lim, "] [");
	ui_style(ui, THEME_STATUS_ACCENT, 0, 0, 0);
	x = ui_puts(y, x, lim, ui->replay ? "read-only" : ui->anonymous ?
	    "anonymous" : ui->self);
	ui_style(ui, THEME_STATUS, 0, 0, 0);
	x = ui_puts(y, x, lim, "] [");
	status_shards(ui, buf, sizeof buf);
	x = ui_puts(y, x, lim, buf);
	x = ui_puts(y, x, lim, "]");
	if (p != NULL && p->joined) {
		chan_room_string(p->chan, modes, sizeof modes);
		snprintf(buf, sizeof buf, " [#%s%s%s]", chan_name(p->chan),
		    modes[0] ? ": " : "", modes);
		x = ui_puts(y, x, lim, buf);
	}
	/* The hotlist: panes with news the person has not seen. */
	for (i = 0; i < ui->npanes; i++) {
		struct chan *c = ui->panes[i]->chan;

		if (i == ui->focus || chan_unread(c) == 0)
			continue;
		if (chan_mentions(c) > 0) {
			ui_style(ui, THEME_HOTLIST_MENTION, 0, 0, 0);
			snprintf(buf, sizeof buf, " %zu:%s(%zu!)", i + 1,
			    chan_name(c), chan_mentions(c));
		} else {
			ui_style(ui, THEME_HOTLIST, 0, 0, 0);
			snprintf(buf, sizeof buf, " %zu:%s(%zu)", i + 1,
			    chan_name(c), chan_unread(c));
		}
		x = ui_puts(y, x, lim, buf);
	}
	if (ui->message[0] != '\0') {
		ui_style(ui, ui->message_meaning, 0, 0, 0);
		x = ui_puts(y, x, lim, "  ");
		ui_puts(y, x, lim, ui->message);
	}
}

void
status_draw_input(struct ui *ui)
{
	struct pane	*p = ui_focused(ui);
	const char	*text;
	char		 prompt[64];
	size_t		 len, start;
	int		 y = ui->rows - 1, x, cur, w;

	if (y < 0)
		return;
	ui_style(ui, THEME_INPUT, 0, 0, 0);
	mvhline(y, 0, ' ', ui->cols);
	if (p != NULL && p->joined)
		snprintf(prompt, sizeof prompt, "[#%s] ", chan_name(p->chan));
	else
		snprintf(prompt, sizeof prompt, "[stitch] ");
	x = ui_puts(y, 0, ui->cols, prompt);
	w = ui->cols - x;
	if (w < 1)
		return;
	text = editor_text(ui->ed, &len);
	editor_view(ui->ed, w, &start, &cur);
	if (start > len)
		start = len;
	ui_puts(y, x, ui->cols, text + start);
	move(y, x + cur < ui->cols ? x + cur : ui->cols - 1);
}
