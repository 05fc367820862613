/*
 * ui.c: the interactive client. One libuv loop runs everything: the chat
 * connections (through app.c and the shard manager), the keyboard (a
 * uv_poll on fd 0), signals (SIGWINCH resizes at once, Ctrl+C twice
 * quits) and drawing, which happens in the loop's before-sleep hook
 * (uv_prepare), only for what changed, at most about 60 times a second
 * however fast chat arrives.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "curses.h"
#include "shardmgr.h"
#include "text.h"
#include "twitch.h"
#include "ui.h"
#include "ui-int.h"
#include "ws.h"

#define UI_FRAME_MS	16		/* about 60 frames a second at most */
#define UI_CHAT_FRAME_MS 33		/* about 30 when only chat changed */
#define UI_QUIET_FRAME_MS 200		/* only the hotlist or the clock */
#define UI_MESSAGE_MS	15000		/* a status message stays this long */
#define UI_SIGINT_MS	3000		/* the second Ctrl+C must come by */

/*
 * Colours. Pairs are made on demand and cached by (fg, bg).
 */
#define UI_PAIR_SLOTS	4096

static struct {
	int64_t	 key[UI_PAIR_SLOTS];	/* 0 empty */
	int	 pair[UI_PAIR_SLOTS];
	int	 next;
} ui_pairs;

static void
ui_pairs_reset(void)
{
	memset(&ui_pairs, 0, sizeof ui_pairs);
	ui_pairs.next = 1;
}

static int
ui_pair(int fg, int bg)
{
	int64_t		key = ((int64_t)(fg + 2) << 32) | (uint32_t)(bg + 2);
	uint64_t	h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
	size_t		i = (size_t)(h >> 52) & (UI_PAIR_SLOTS - 1), n;

	if (fg == -1 && bg == -1)
		return 0;
	for (n = 0; n < UI_PAIR_SLOTS; n++, i = (i + 1) & (UI_PAIR_SLOTS - 1)) {
		if (ui_pairs.key[i] == key)
			return ui_pairs.pair[i];
		if (ui_pairs.key[i] == 0)
			break;
	}
	if (n == UI_PAIR_SLOTS || ui_pairs.next >= COLOR_PAIRS ||
	    ui_pairs.next >= UI_PAIR_SLOTS - 1)
		return 0;		/* out of pairs: default colours */
	if (init_extended_pair(ui_pairs.next, fg, bg) == ERR)
		return 0;
	ui_pairs.key[i] = key;
	ui_pairs.pair[i] = ui_pairs.next;
	return ui_pairs.next++;
}

/* A theme colour as a curses colour number for this terminal; -1 default.
 * *bright is set for bright colours on an 8-colour terminal (bold). */
static int
ui_color(const struct ui *ui, const struct theme_color *c, int *bright)
{
	if (c->is_default || ui->depth == 0)
		return -1;
	if (ui->depth >= (1 << 24))
		return (int)c->rgb;
	if (ui->depth >= 256)
		return c->c256;
	if (ui->depth >= 16)
		return c->c16;
	if (c->c16 >= 8 && bright != NULL)
		*bright = 1;
	return c->c16 & 7;
}

static int
ui_rgb(const struct ui *ui, uint32_t rgb)
{
	struct theme_color	c;

	memset(&c, 0, sizeof c);
	c.rgb = rgb;
	c.c256 = theme_rgb_to_256(rgb);
	c.c16 = theme_rgb_to_16(rgb);
	return ui_color(ui, &c, NULL);
}

void
ui_style(struct ui *ui, int meaning, int has_rgb, uint32_t rgb,
    unsigned attrs)
{
	const struct theme_style	*s;
	attr_t				 a = A_NORMAL;
	int				 fg, bg, bright = 0, pair;

	if (meaning < 0 || meaning >= THEME_MEANING_COUNT)
		meaning = THEME_TEXT;
	s = &ui->theme.style[meaning];
	fg = has_rgb ? ui_rgb(ui, rgb) : ui_color(ui, &s->fg, &bright);
	bg = ui_color(ui, &s->bg, NULL);
	attrs |= s->attrs;
	if ((attrs & THEME_ATTR_BOLD) || bright)
		a |= A_BOLD;
	if (attrs & THEME_ATTR_DIM)
		a |= A_DIM;
	if (attrs & THEME_ATTR_ITALIC)
		a |= A_ITALIC;
	if (attrs & THEME_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & THEME_ATTR_REVERSE)
		a |= A_REVERSE;
	if (ui->depth == 0 && (meaning == THEME_MENTION ||
	    meaning == THEME_TITLE_FOCUS || meaning == THEME_MORE_BELOW ||
	    meaning == THEME_PANEL_TITLE ||
	    meaning == THEME_STATUS || meaning == THEME_SEARCH_MATCH))
		a |= A_REVERSE;		/* no colours: keep these visible */
	pair = ui->depth > 0 ? ui_pair(fg, bg) : 0;
	attr_set(a, 0, &pair);
}

/*
 * Small helpers for the rest of ui/.
 */
uint64_t
ui_now(const struct ui *ui)
{
	return uv_now(ui->loop);
}

void
ui_dirty(struct ui *ui)
{
	ui->need_draw = UI_DRAW_NOW;
}

/* Chat changed what is shown: a frame, but it may wait for the next one. */
void
ui_chat_dirty(struct ui *ui)
{
	if (ui->need_draw < UI_DRAW_CHAT)
		ui->need_draw = UI_DRAW_CHAT;
}

/* Only the status bar changed (hotlist counts, the clock). */
void
ui_quiet_dirty(struct ui *ui)
{
	if (ui->need_draw < UI_DRAW_QUIET)
		ui->need_draw = UI_DRAW_QUIET;
}

void
ui_status(struct ui *ui, int meaning, const char *fmt, ...)
{
	char	raw[512];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof raw)
		n = sizeof raw - 1;
	/* Messages quote chat and server text: make them safe to draw. */
	text_sanitize(raw, (size_t)n, ui->message, sizeof ui->message);
	ui->message_meaning = meaning;
	ui->message_ms = ui->loop != NULL ? ui_now(ui) : 0;
	ui->message_bg = 0;
	ui->need_draw = UI_DRAW_NOW;
}

/* A message nobody asked for (connection news): it does not hide the
 * answer to something the person just typed. */
static void
ui_message_bg(struct ui *ui, int meaning, const char *text)
{
	if (ui->message[0] != '\0' && !ui->message_bg &&
	    ui_now(ui) - ui->message_ms < UI_MESSAGE_MS)
		return;
	ui_status(ui, meaning, "%s", text);
	ui->message_bg = 1;
}

void
ui_info(struct ui *ui, struct pane *p, int kind, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;
	int	n;

	if (p == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	chan_add_text(p->chan, (enum chan_kind)kind, 0, NULL, buf, (size_t)n,
	    0, (uint32_t)time(NULL));
	ui->need_draw = UI_DRAW_NOW;
}

/* The answer to a command: a line in the focused pane, where the person
 * is looking (the status bar when there is no pane yet). */
void
ui_message(struct ui *ui, int meaning, const char *fmt, ...)
{
	char		 buf[1024];
	struct pane	*p = ui_focused(ui);
	va_list		 ap;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (p == NULL) {
		ui_status(ui, meaning, "%s", buf);
		return;
	}
	ui_info(ui, p, meaning == THEME_ERROR ? CHAN_K_ERROR : CHAN_K_NOTICE,
	    "%s", buf);
}

struct pane *
ui_focused(struct ui *ui)
{
	if (ui->npanes == 0)
		return NULL;
	if (ui->focus >= ui->npanes)
		ui->focus = ui->npanes - 1;
	return ui->panes[ui->focus];
}

struct pane *
ui_find(struct ui *ui, const char *chan, size_t len)
{
	const char	*name;
	size_t		 i;

	for (i = 0; i < ui->npanes; i++) {
		if (!ui->panes[i]->joined)
			continue;
		name = chan_name(ui->panes[i]->chan);
		if (strncmp(name, chan, len) == 0 && name[len] == '\0')
			return ui->panes[i];
	}
	return NULL;
}

void
ui_relayout(struct ui *ui)
{
	ui->relayout = 1;
	ui->need_draw = UI_DRAW_NOW;
}

void
ui_focus(struct ui *ui, size_t i)
{
	if (i >= ui->npanes || i == ui->focus)
		return;
	ui->panes[ui->focus]->dirty = 1;
	ui->focus = i;
	ui->panes[i]->dirty = 1;
	/* Single and tabs show only the focus; a paged grid may turn. */
	ui_relayout(ui);
}

void
ui_set_layout(struct ui *ui, enum layout_mode m)
{
	ui->mode = m;
	ui_relayout(ui);
	ui_save_layout(ui);
}

void
ui_quit(struct ui *ui)
{
	ui->quit = 1;
	uv_stop(ui->loop);
}

/*
 * Files: the layout state and the chat logs.
 */

/* mkdir -p for the directory part of path. */
static int
ui_mkdirs(const char *path)
{
	char	buf[1024], *s;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -1;
	for (s = buf + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

static void
ui_state_path(struct ui *ui)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	ui->state_path[0] = '\0';
	if (x != NULL && x[0] == '/')
		snprintf(ui->state_path, sizeof ui->state_path,
		    "%s/stitch/layout", x);
	else if (home != NULL && home[0] != '\0')
		snprintf(ui->state_path, sizeof ui->state_path,
		    "%s/.local/state/stitch/layout", home);
}

/* Write "layout MODE", "focus CHANNEL", "channel NAME" lines. */
void
ui_save_layout(struct ui *ui)
{
	char		 tmp[1100];
	FILE		*f;
	size_t		 i;
	struct pane	*p;

	if (ui->state_path[0] == '\0' || ui_mkdirs(ui->state_path) != 0)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", ui->state_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fprintf(f, "# stitch layout, saved on change; safe to delete\n");
	fprintf(f, "layout %s\n", layout_mode_name(ui->mode));
	if ((p = ui_focused(ui)) != NULL && p->joined)
		fprintf(f, "focus %s\n", chan_name(p->chan));
	for (i = 0; i < ui->npanes; i++)
		if (ui->panes[i]->joined)
			fprintf(f, "channel %s\n", chan_name(ui->panes[i]->chan));
	if (fclose(f) == 0)
		rename(tmp, ui->state_path);
	else
		unlink(tmp);
}

struct ui_saved {
	int		 mode;		/* -1 none */
	char		 focus[32];
	struct conf_list channels;
};

static void
ui_load_layout(struct ui *ui, struct ui_saved *s)
{
	FILE	*f;
	char	 line[256], name[32], err[128];
	size_t	 len;

	memset(s, 0, sizeof *s);
	s->mode = -1;
	if (ui->state_path[0] == '\0' ||
	    (f = fopen(ui->state_path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (strncmp(line, "layout ", 7) == 0)
			s->mode = layout_mode_parse(line + 7);
		else if (strncmp(line, "focus ", 6) == 0 &&
		    conf_channel(line + 6, name, sizeof name, err,
		    sizeof err) == 0)
			memcpy(s->focus, name, sizeof s->focus);
		else if (strncmp(line, "channel ", 8) == 0 &&
		    conf_channel(line + 8, name, sizeof name, err,
		    sizeof err) == 0) {
			s->channels.v = realloc(s->channels.v,
			    (s->channels.n + 1) * sizeof *s->channels.v);
			if (s->channels.v == NULL ||
			    (s->channels.v[s->channels.n] = strdup(name)) ==
			    NULL)
				abort();
			s->channels.n++;
		}
	}
	fclose(f);
}

static void
ui_saved_free(struct ui_saved *s)
{
	size_t	i;

	for (i = 0; i < s->channels.n; i++)
		free(s->channels.v[i]);
	free(s->channels.v);
}

static void
ui_open_log(struct ui *ui, struct pane *p)
{
	char	path[1200];

	if (!ui->conf->log || !p->joined || ui->log_dir[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/%s.log", ui->log_dir,
	    chan_name(p->chan));
	if (ui_mkdirs(path) != 0 || (p->log = fopen(path, "a")) == NULL) {
		ui_info(ui, p, CHAN_K_ERROR, "cannot write the log %s: %s "
		    "(log = off in the config stops logging)", path,
		    strerror(errno));
		return;
	}
	p->logged = chan_end(p->chan);
}

/* Append the lines added since the last call, as plain text. */
static void
ui_log_lines(struct pane *p)
{
	const struct chan_line	*l;
	const char		*name, *body, *extra;
	size_t			 nlen, blen, elen;
	char			 when[32];
	struct tm		 tm;
	time_t			 t;

	if (p->log == NULL) {
		p->logged = chan_end(p->chan);
		return;
	}
	for (; p->logged < chan_end(p->chan); p->logged++) {
		if ((l = chan_line(p->chan, p->logged)) == NULL)
			continue;
		t = (time_t)l->time;
		when[0] = '\0';
		if (localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		name = chan_line_name(l, &nlen);
		body = chan_line_body(l, &blen);
		extra = chan_line_extra(l, &elen);
		if (l->kind == CHAN_K_MSG)
			fprintf(p->log, "%s\t%s%.*s\t%.*s\n", when,
			    (l->flags & CHAN_F_ACTION) ? "* " : "", (int)nlen,
			    name, (int)blen, body);
		else if (l->kind == CHAN_K_USERNOTICE)
			fprintf(p->log, "%s\t-!-\t%.*s%s%.*s\n", when,
			    (int)elen, extra, elen && blen ? " | " : "",
			    (int)blen, body);
		else
			fprintf(p->log, "%s\t-!-\t%.*s\n", when, (int)blen,
			    body);
	}
}

/* Flush a pane's log; one that cannot be written (disk full, a file
 * size limit) says so once in the pane and logging there stops: chat goes
 * on either way. */
static void
ui_flush_log(struct ui *ui, struct pane *p)
{
	int	err;

	if (p->log == NULL)
		return;
	if (fflush(p->log) == 0 && !ferror(p->log))
		return;
	err = errno != 0 ? errno : EIO;
	fclose(p->log);
	p->log = NULL;
	ui_info(ui, p, CHAN_K_ERROR, "cannot write the log of #%s: %s; "
	    "logging stopped for this channel", chan_name(p->chan),
	    strerror(err));
}

/*
 * Panes.
 */
static void
ui_add_pane(struct ui *ui, struct pane *p)
{
	if (ui->npanes == ui->cap) {
		ui->cap = ui->cap ? ui->cap * 2 : 16;
		ui->panes = realloc(ui->panes, ui->cap * sizeof *ui->panes);
		if (ui->panes == NULL)
			abort();
	}
	ui->panes[ui->npanes++] = p;
	ui_relayout(ui);
}

static void
ui_remove_pane(struct ui *ui, size_t i)
{
	pane_free(ui->panes[i]);
	memmove(ui->panes + i, ui->panes + i + 1,
	    (ui->npanes - i - 1) * sizeof *ui->panes);
	ui->npanes--;
	if (ui->focus > i || ui->focus >= ui->npanes)
		ui->focus = ui->focus > 0 ? ui->focus - 1 : 0;
	ui_relayout(ui);
}

/* The first pane when no channel is open: how to join and to log in. */
static void
ui_welcome(struct ui *ui)
{
	struct pane	*p = pane_new("stitch", 200, 0);
	char		 cfg[1024];

	ui_add_pane(ui, p);
	conf_default_path(cfg, sizeof cfg);
	ui_info(ui, p, CHAN_K_NOTICE, "Welcome to stitch, a terminal client "
	    "for Twitch chat.");
	ui_info(ui, p, CHAN_K_NOTICE, "Join a channel: type /join CHANNEL "
	    "and press Enter (or start it as: stitch CHANNEL...).");
	if (ui->anonymous)
		ui_info(ui, p, CHAN_K_NOTICE, "You are reading anonymously. "
		    "To chat, log in: put \"nick = YOURLOGIN\" in %s and "
		    "your OAuth token (scopes chat:read chat:edit) in the "
		    "file token beside it, or in STITCH_TOKEN.",
		    cfg[0] ? cfg : "~/.config/stitch/config");
	else
		ui_info(ui, p, CHAN_K_NOTICE, "Logged in as %s.", ui->self);
	ui_info(ui, p, CHAN_K_NOTICE, "/help lists every command; Ctrl+C "
	    "twice or /quit leaves.");
}

struct pane *
ui_open_pane(struct ui *ui, const char *name)
{
	struct pane	*p = pane_new(name, ui->conf->scrollback, 1);

	if (ui->npanes == 1 && !ui->panes[0]->joined)
		ui_remove_pane(ui, 0);
	ui_add_pane(ui, p);
	return p;
}

int
ui_join(struct ui *ui, const char *chan, char *err, size_t errsz)
{
	struct pane	*p;
	char		 name[32];
	size_t		 i;

	if (conf_channel(chan, name, sizeof name, err, errsz) != 0)
		return -1;
	for (i = 0; i < ui->npanes; i++)
		if (ui->panes[i]->joined &&
		    strcmp(chan_name(ui->panes[i]->chan), name) == 0) {
			ui_focus(ui, i);
			return 0;
		}
	p = pane_new(name, ui->conf->scrollback, 1);
	ui_open_log(ui, p);
	/* The welcome pane makes way for the first channel. */
	if (ui->npanes == 1 && !ui->panes[0]->joined)
		ui_remove_pane(ui, 0);
	ui_add_pane(ui, p);
	ui->focus = ui->npanes - 1;
	ui_info(ui, p, CHAN_K_NOTICE, "joining #%s...", name);
	if (ui->app != NULL && shardmgr_started(ui->app->mgr) &&
	    shardmgr_join(ui->app->mgr, name, err, errsz) != 0) {
		ui_info(ui, p, CHAN_K_ERROR, "cannot join #%s: %s", name, err);
		return -1;
	}
	ui_save_layout(ui);
	return 0;
}

int
ui_part(struct ui *ui, struct pane *p)
{
	size_t	i;

	if (p == NULL || !p->joined)
		return -1;
	for (i = 0; i < ui->npanes && ui->panes[i] != p; i++)
		;
	if (i == ui->npanes)
		return -1;
	if (ui->app != NULL)
		shardmgr_part(ui->app->mgr, chan_name(p->chan));
	ui_remove_pane(ui, i);
	if (ui->npanes == 0)
		ui_welcome(ui);
	ui_save_layout(ui);
	return 0;
}

/*
 * Sending: the line shows at once as "sending...", then sent or failed
 * with why (on_send); it is never silently lost.
 */
void
ui_send(struct ui *ui, struct pane *p, const char *text, int action)
{
	struct shard	*s;
	char		 err[256], *msg;
	size_t		 len = strlen(text);
	uint64_t	 id, seq;
	unsigned	 flags = CHAN_F_OWN | (action ? CHAN_F_ACTION : 0);

	if (ui->replay) {
		ui_status(ui, THEME_ERROR, "replay: read-only");
		ui_info(ui, p, CHAN_K_ERROR, "replay: read-only");
		return;
	}
	if (!p->joined) {
		ui_info(ui, p, CHAN_K_ERROR, "this pane is not a channel: "
		    "/join CHANNEL first");
		return;
	}
	if (ui->app == NULL || (s = shardmgr_get_sender_shard(ui->app->mgr,
	    chan_name(p->chan))) == NULL) {
		ui_info(ui, p, CHAN_K_ERROR, "not sent: no connection holds "
		    "#%s", chan_name(p->chan));
		return;
	}
	if (account_is_anonymous(shard_account(s))) {
		ui_info(ui, p, CHAN_K_ERROR, "not sent: you are reading "
		    "anonymously. Log in to chat: set nick in the config "
		    "and put your OAuth token in the token file (or "
		    "STITCH_TOKEN), then restart stitch.");
		return;
	}
	if ((msg = malloc(len + 10)) == NULL)
		abort();
	snprintf(msg, len + 10, action ? "\001ACTION %s\001" : "%s", text);
	id = shard_send(s, chan_name(p->chan), msg, NULL, err, sizeof err);
	free(msg);
	if (id == 0) {
		chan_add_text(p->chan, CHAN_K_MSG, flags | CHAN_F_FAILED,
		    ui->self, text, len, 0, (uint32_t)time(NULL));
		ui_info(ui, p, CHAN_K_ERROR, "not sent: %s", err);
		return;
	}
	seq = chan_add_text(p->chan, CHAN_K_MSG, flags | CHAN_F_PENDING,
	    ui->self, text, len, 0, (uint32_t)time(NULL));
	if (ui->npending == ui->pcap) {
		ui->pcap = ui->pcap ? ui->pcap * 2 : 16;
		ui->pending = realloc(ui->pending, ui->pcap *
		    sizeof *ui->pending);
		if (ui->pending == NULL)
			abort();
	}
	ui->pending[ui->npending].id = id;
	snprintf(ui->pending[ui->npending].chan, sizeof ui->pending->chan,
	    "%s", chan_name(p->chan));
	ui->pending[ui->npending++].seq = seq;
	pane_follow(p);
	ui_log_lines(p);
}

/*
 * Events from the shards.
 */
static void
ui_on_event(void *arg, struct shard *s, const struct twitch_event *ev)
{
	struct ui	*ui = arg;
	struct pane	*p;
	uint64_t	 seq;

	(void)s;
	if (ev->channel.len == 0) {
		if (ev->kind == TWITCH_NOTICE) {
			char buf[512];

			snprintf(buf, sizeof buf, "%.*s", (int)ev->text.len,
			    ev->text.p);
			ui_message_bg(ui, THEME_NOTICE, buf);
		}
		return;
	}
	if ((p = ui_find(ui, ev->channel.p, ev->channel.len)) == NULL)
		return;
	seq = chan_add_event(p->chan, ev, &ui->match, (uint32_t)time(NULL));
	if (seq == 0 && ev->kind != TWITCH_CLEARMSG &&
	    ev->kind != TWITCH_CLEARCHAT && ev->kind != TWITCH_ROOMSTATE) {
		/* JOIN, PART, NAMES change only what the panel shows. */
		if (panel_kind(ui) != PANEL_NONE && (ev->kind == TWITCH_JOIN ||
		    ev->kind == TWITCH_PART || ev->kind == TWITCH_NAMES))
			ui_chat_dirty(ui);
		return;
	}
	ui_log_lines(p);
	if (seq != 0 && ui->conf->bell && p != ui_focused(ui)) {
		const struct chan_line *l = chan_line(p->chan, seq);

		if (l != NULL && (l->flags & CHAN_F_MENTION))
			beep();
	}
	/* Off screen, a line only counts in the hotlist. */
	if (p->rect.w > 0 || p == ui_focused(ui))
		ui_chat_dirty(ui);
	else
		ui_quiet_dirty(ui);
}

static void
ui_on_state(void *arg, struct shard *s, enum shard_state st, const char *why)
{
	struct ui	*ui = arg;
	char		 buf[512];

	if (why != NULL) {
		snprintf(buf, sizeof buf, "%s: %s (%s)", shard_id(s),
		    shard_state_name(st), why);
		ui_message_bg(ui, st == SHARD_READY ? THEME_NOTICE :
		    THEME_ERROR, buf);
	}
	ui->need_draw = UI_DRAW_NOW;
}

static void
ui_on_send(void *arg, struct shard *s, uint64_t id, int ok, const char *why)
{
	struct ui		*ui = arg;
	struct ui_pending	 pd;
	struct pane		*p;
	size_t			 i;

	(void)s;
	for (i = 0; i < ui->npending && ui->pending[i].id != id; i++)
		;
	if (i == ui->npending)
		return;
	pd = ui->pending[i];
	ui->pending[i] = ui->pending[--ui->npending];
	if ((p = ui_find(ui, pd.chan, strlen(pd.chan))) == NULL)
		return;
	chan_set_flags(p->chan, pd.seq, ok ? 0 : CHAN_F_FAILED,
	    CHAN_F_PENDING);
	if (!ok)
		ui_info(ui, p, CHAN_K_ERROR, "not sent: %s",
		    why != NULL ? why : "unknown reason");
	ui->need_draw = UI_DRAW_NOW;
}

static void
ui_on_join(void *arg, struct shard *s, const char *channel, int ok,
    const char *why)
{
	struct ui	*ui = arg;
	struct pane	*p;

	(void)s;
	if ((p = ui_find(ui, channel, strlen(channel))) == NULL)
		return;
	if (ok)
		ui_info(ui, p, CHAN_K_NOTICE, "joined #%s", channel);
	else
		ui_info(ui, p, CHAN_K_ERROR, "cannot join #%s: %s", channel,
		    why != NULL ? why : "refused");
}

static void
ui_on_bad_line(void *arg, struct shard *s, const char *why)
{
	(void)arg;
	(void)s;
	(void)why;
}

static void
ui_warn(void *arg, const char *msg)
{
	struct ui	*ui = arg;

	ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "%s", msg);
}

/*
 * Drawing.
 */
static void
ui_place(struct ui *ui)
{
	struct layout_rect	*r, pr;
	size_t			 i;
	int			 top = ui->mode == LAYOUT_TABS ? 1 : 0, h, pw;

	h = ui->rows - 2 - top;
	if ((r = calloc(ui->npanes ? ui->npanes : 1, sizeof *r)) == NULL)
		abort();
	/* The side panel takes the right edge, past a border column. */
	pw = panel_width(ui, ui->cols);
	pr.x = ui->cols - pw;
	pr.y = top;
	pr.w = pw;
	pr.h = h > 0 ? h : 0;
	panel_place(ui, pr);
	layout_place(ui->mode, (int)ui->npanes, (int)ui->focus, 0, top,
	    pw > 0 ? ui->cols - pw - 1 : ui->cols, h > 0 ? h : 0, r, NULL,
	    NULL);
	for (i = 0; i < ui->npanes; i++) {
		ui->panes[i]->rect = r[i];
		ui->panes[i]->dirty = 1;
	}
	free(r);
}

/* The one-column borders between panes side by side. */
static void
ui_draw_borders(struct ui *ui)
{
	struct pane	*p;
	size_t		 i;

	ui_style(ui, THEME_BORDER, 0, 0, 0);
	for (i = 0; i < ui->npanes; i++) {
		p = ui->panes[i];
		if (p->rect.w > 0 && p->rect.x + p->rect.w < ui->cols)
			mvvline(p->rect.y, p->rect.x + p->rect.w, ACS_VLINE,
			    p->rect.h);
	}
}

static void
ui_draw(struct ui *ui)
{
	size_t	i;

	if (ui->relayout) {
		getmaxyx(stdscr, ui->rows, ui->cols);
		ui_place(ui);
		ui_style(ui, THEME_TEXT, 0, 0, 0);
		erase();
		ui_draw_borders(ui);
		ui->relayout = 0;
		mousemask(ui->mouse ? (BUTTON1_PRESSED | BUTTON1_CLICKED |
		    BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
	}
	for (i = 0; i < ui->npanes; i++)
		if (pane_needs_draw(ui->panes[i]))
			pane_draw(ui, ui->panes[i], i == ui->focus);
	if (panel_needs_draw(ui))
		panel_draw(ui);
	if (ui->mode == LAYOUT_TABS)
		status_draw_tabs(ui);
	status_draw(ui);
	status_draw_input(ui);
	panel_cursor(ui);
	refresh();
	ui->need_draw = 0;
	ui->frames++;
}

/* Only wakes the loop so the prepare hook can draw. */
static void
ui_on_draw_timer(uv_timer_t *t)
{
	(void)t;
}

/* Before the loop sleeps: draw if something changed and a frame is due. */
static void
ui_on_prepare(uv_prepare_t *h)
{
	struct ui	*ui = h->data;
	uint64_t	 now, since, frame;

	if (!ui->need_draw || ui->quit)
		return;
	frame = ui->need_draw == UI_DRAW_NOW ? UI_FRAME_MS :
	    ui->need_draw == UI_DRAW_CHAT ? UI_CHAT_FRAME_MS :
	    UI_QUIET_FRAME_MS;
	uv_update_time(ui->loop);
	now = uv_now(ui->loop);
	since = now - ui->last_draw;
	if (since >= frame) {
		uv_timer_stop(&ui->draw_timer);
		ui->last_draw = now;
		ui_draw(ui);
	} else if (!uv_is_active((uv_handle_t *)&ui->draw_timer) ||
	    uv_timer_get_due_in(&ui->draw_timer) > frame - since)
		uv_timer_start(&ui->draw_timer, ui_on_draw_timer,
		    frame - since, 0);
}

static void
ui_on_tick(uv_timer_t *t)
{
	struct ui	*ui = t->data;
	size_t		 i;

	for (i = 0; i < ui->npanes; i++)
		ui_flush_log(ui, ui->panes[i]);
	if (ui->message[0] != '\0' &&
	    ui_now(ui) - ui->message_ms > UI_MESSAGE_MS)
		ui->message[0] = '\0';
	uihelix_tick(ui);
	ui_quiet_dirty(ui);		/* the clock */
}

static void
ui_on_key(uv_poll_t *h, int status, int events)
{
	struct ui	*ui = h->data;

	(void)events;
	if (status < 0) {
		ui_quit(ui);		/* the terminal went away */
		return;
	}
	input_read(ui);
}

static void
ui_on_signal(uv_signal_t *h, int sig)
{
	struct ui	*ui = h->data;
	struct winsize	 ws;
	uint64_t	 now = ui_now(ui);

	switch (sig) {
	case SIGWINCH:
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
		    ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		ui_relayout(ui);
		break;
	case SIGINT:
		if (ui->sigint_ms != 0 && now - ui->sigint_ms < UI_SIGINT_MS) {
			ui_quit(ui);
			break;
		}
		ui->sigint_ms = now;
		ui_status(ui, THEME_ERROR, "press Ctrl+C again to quit "
		    "(or type /quit)");
		break;
	default:
		ui_quit(ui);
		break;
	}
}

/*
 * Settings that shape drawing, from the config (again after /set).
 */
void
ui_apply_conf(struct ui *ui)
{
	size_t	i;

	ui->ropts.timefmt = ui->conf->timestamps;
	render_default_badges(&ui->ropts);
	for (i = 0; i < ui->conf->badges.n; i++)
		render_set_badge(&ui->ropts, ui->conf->badges.v[i].key,
		    ui->conf->badges.v[i].value);
	ui->ropts.bg = ui->theme.background;
	ui->ropts.min_contrast = 4.5;
	ui->match.self = ui->anonymous ? NULL : ui->self;
	ui->match.words = (const char *const *)ui->conf->highlights.v;
	ui->match.nwords = ui->conf->highlights.n;
	ui->ropts.match = &ui->match;
	for (i = 0; i < ui->npanes; i++)
		if (ui->panes[i]->joined)
			chan_set_max(ui->panes[i]->chan, ui->conf->scrollback);
}

static void
ui_theme_error(void *arg, const char *msg)
{
	struct ui	*ui = arg;

	ui_message(ui, THEME_ERROR, "%s", msg);
}

int
ui_set_theme(struct ui *ui, const char *name, char *err, size_t errsz)
{
	struct theme	t;
	char		path[1024];

	if (theme_find(name, path, sizeof path) != 0) {
		snprintf(err, errsz, "no theme called %s (looked in "
		    "~/.config/stitch/themes and the installed themes)", name);
		return -1;
	}
	theme_default(&t);
	if (theme_load(&t, path, ui_theme_error, ui) < 0) {
		snprintf(err, errsz, "cannot read %s", path);
		return -1;
	}
	ui->theme = t;
	ui->ropts.bg = t.background;
	if (ui->started) {
		ui_pairs_reset();
		ui_relayout(ui);
	}
	return 0;
}

/*
 * Start and stop.
 */
static int
ui_curses_start(struct ui *ui)
{
	if (initscr() == NULL)
		return -1;
	ui->started = 1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/*
	 * No typeahead check: by default doupdate() polls stdin and flushes
	 * every few lines to see whether a key is waiting, which turned one
	 * frame into dozens of small writes. Keys are read by the loop and a
	 * frame is cheap, so one frame is one write.
	 */
	typeahead(-1);
	ui->depth = 0;
	if (has_colors()) {
		start_color();
		use_default_colors();
		ui->depth = COLORS >= (1 << 24) ? (1 << 24) : COLORS >= 256 ?
		    256 : COLORS >= 16 ? 16 : 8;
	}
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
		ui->depth = 0;
	ui_pairs_reset();
	/*
	 * ncurses 6.4 flushes its output after every cursor movement until the
	 * screen has been through endwin() once (mvcur() cannot tell its own
	 * calls from a terminfo program's while the screen is "initial"), so
	 * one frame became a write per row segment: ~2,700 writes a second in
	 * a grid under chat. One round trip leaves it buffering a whole frame
	 * into one write, as it should.
	 */
	endwin();
	refresh();
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui_relayout(ui);
	return 0;
}

static void
ui_handles_start(struct ui *ui)
{
	uv_poll_init(ui->loop, &ui->kbd, STDIN_FILENO);
	ui->kbd.data = ui;
	uv_poll_start(&ui->kbd, UV_READABLE, ui_on_key);
	uv_prepare_init(ui->loop, &ui->prepare);
	ui->prepare.data = ui;
	uv_prepare_start(&ui->prepare, ui_on_prepare);
	uv_timer_init(ui->loop, &ui->draw_timer);
	ui->draw_timer.data = ui;
	uv_timer_init(ui->loop, &ui->tick);
	ui->tick.data = ui;
	uv_timer_start(&ui->tick, ui_on_tick, 1000, 1000);
	uv_signal_init(ui->loop, &ui->sigwinch);
	ui->sigwinch.data = ui;
	uv_signal_start(&ui->sigwinch, ui_on_signal, SIGWINCH);
	uv_signal_init(ui->loop, &ui->sigint);
	ui->sigint.data = ui;
	uv_signal_start(&ui->sigint, ui_on_signal, SIGINT);
	uv_signal_init(ui->loop, &ui->sigterm);
	ui->sigterm.data = ui;
	uv_signal_start(&ui->sigterm, ui_on_signal, SIGTERM);
	uv_signal_init(ui->loop, &ui->sighup);
	ui->sighup.data = ui;
	uv_signal_start(&ui->sighup, ui_on_signal, SIGHUP);
}

static void
ui_handles_close(struct ui *ui)
{
	uv_close((uv_handle_t *)&ui->kbd, NULL);
	uv_close((uv_handle_t *)&ui->prepare, NULL);
	uv_close((uv_handle_t *)&ui->draw_timer, NULL);
	uv_close((uv_handle_t *)&ui->tick, NULL);
	uv_close((uv_handle_t *)&ui->sigwinch, NULL);
	uv_close((uv_handle_t *)&ui->sigint, NULL);
	uv_close((uv_handle_t *)&ui->sigterm, NULL);
	uv_close((uv_handle_t *)&ui->sighup, NULL);
}

/* --layout and --theme override the config and the saved layout. */
struct ui_args {
	const char	*layout;
	const char	*theme;
};

enum { UI_OPT_LAYOUT = 256, UI_OPT_THEME };

static const struct option ui_options[] = {
	{ "layout",	required_argument,	NULL,	UI_OPT_LAYOUT },
	{ "theme",	required_argument,	NULL,	UI_OPT_THEME },
	{ NULL,		0,			NULL,	0 },
};

static int
ui_option(void *arg, int id, const char *value, char *err, size_t errsz)
{
	struct ui_args	*a = arg;

	if (id == UI_OPT_LAYOUT) {
		if (layout_mode_parse(value) < 0) {
			snprintf(err, errsz, "--layout: single, tabs, hsplit, "
			    "vsplit or grid");
			return -1;
		}
		a->layout = value;
	} else if (id == UI_OPT_THEME)
		a->theme = value;
	return 0;
}

/* Panes for the channels, the layout, the session. */
static void
ui_open(struct ui *ui, const struct ui_args *a)
{
	static const struct shard_events ev = {
		ui_on_event, ui_on_state, ui_on_send, ui_on_join,
		ui_on_bad_line, 0,
	};
	struct ui_saved		 saved;
	const struct conf_list	*chans;
	struct pane		*p;
	char			 err[512];
	size_t			 i;
	int			 m;

	ui_state_path(ui);
	ui_load_layout(ui, &saved);
	m = layout_mode_parse(ui->conf->layout);
	ui->mode = m >= 0 ? (enum layout_mode)m : LAYOUT_TABS;
	if (saved.mode >= 0)
		ui->mode = (enum layout_mode)saved.mode;
	if (a->layout != NULL)
		ui->mode = (enum layout_mode)layout_mode_parse(a->layout);
	chans = ui->conf->channels.n > 0 ? &ui->conf->channels :
	    &saved.channels;
	for (i = 0; i < chans->n; i++) {
		p = pane_new(chans->v[i], ui->conf->scrollback, 1);
		ui_open_log(ui, p);
		ui_add_pane(ui, p);
		if (strcmp(chans->v[i], saved.focus) == 0)
			ui->focus = i;
	}
	if (ui->npanes == 0)
		ui_welcome(ui);
	for (i = 0; i < ui->conf->errors.n; i++)
		ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "%s",
		    ui->conf->errors.v[i]);

	ui->app = app_new(ui->loop, ui->conf, &ev, ui, ui_warn, err,
	    sizeof err);
	if (ui->app == NULL) {
		ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "cannot start the "
		    "chat session: %s", err);
	} else {
		/* Chat is drawn every UI_CHAT_FRAME_MS at most: reading it
		 * as often costs a wakeup a line and shows nothing sooner. */
		ws_ctx_set_rx_batch(ui->app->ws, UI_CHAT_FRAME_MS);
		if (shardmgr_setup(ui->app->mgr, (const char *const *)chans->v,
		    chans->n, err, sizeof err) < 0)
			ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "%s", err);
		if (shardmgr_start(ui->app->mgr) != 0)
			ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "cannot "
			    "start the connections");
	}
	uihelix_start(ui);
	ui_saved_free(&saved);
}

static void
ui_close(struct ui *ui)
{
	size_t	i;
	int	n;

	ui_save_layout(ui);
	ui_handles_close(ui);
	uihelix_stop(ui);
	uireplay_close(ui);
	if (ui->app != NULL)
		app_free(ui->app);
	/* lws and our handles close asynchronously; bounded, not forever. */
	for (n = 0; n < 400 && uv_loop_close(ui->loop) == UV_EBUSY; n++) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };

		uv_run(ui->loop, UV_RUN_NOWAIT);
		nanosleep(&ts, NULL);
	}
	uireplay_free(ui);
	for (i = 0; i < ui->npanes; i++)
		pane_free(ui->panes[i]);
	free(ui->panes);
	free(ui->pending);
	panel_free(ui->panel);
	editor_free(ui->ed);
	render_out_free(&ui->rout);
}

static int	ui_run(struct ui *, const struct ui_args *, const char *replay,
		    double speed, int64_t max_gap_ms);

int
ui_main(int argc, char **argv)
{
	struct ui	 ui;
	struct ui_args	 a;
	char		 err[512];
	int		 rc;

	setlocale(LC_ALL, "");
	memset(&ui, 0, sizeof ui);
	memset(&a, 0, sizeof a);
	ui.conf = conf_new();
	rc = conf_parse_args(ui.conf, argc, argv, ui_options, ui_option, &a,
	    err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "stitch: %s\n", err);
		else
			printf("usage: stitch [options] [CHANNEL...]\n%s"
			    "  --layout MODE           single, tabs, hsplit, "
			    "vsplit or grid\n"
			    "  --theme NAME            dark, light, "
			    "high-contrast or your own\n", conf_help());
		conf_free(ui.conf);
		return rc < 0 ? 2 : 0;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "stitch: the chat client needs a terminal; "
		    "for scripts use 'stitch tail'\n");
		conf_free(ui.conf);
		return 2;
	}
	return ui_run(&ui, &a, NULL, 0, 0);
}

/* A replay: no connection, no Helix, no saved layout touched. */
static int
ui_open_replay(struct ui *ui, const char *file, double speed,
    int64_t max_gap_ms)
{
	struct pane	*p = pane_new("stitch", 200, 0);
	char		 err[1200];

	ui->state_path[0] = '\0';
	ui->mode = LAYOUT_TABS;
	ui_add_pane(ui, p);
	if (uireplay_open(ui, file, speed, max_gap_ms, err,
	    sizeof err) != 0) {
		fprintf(stderr, "stitch replay: %s\n", err);
		return -1;
	}
	ui_info(ui, p, CHAN_K_NOTICE, "replaying %s; each channel gets a "
	    "pane as its first line comes. Read-only; /quit leaves.", file);
	return 0;
}

/* The loop, from the terminal's start to its end; frees ui's parts. */
static int
ui_run(struct ui *ui, const struct ui_args *a, const char *replay,
    double speed, int64_t max_gap_ms)
{
	uv_loop_t	 loop;
	char		 err[512];

	theme_default(&ui->theme);
	if (ui->conf->theme != NULL && ui->conf->theme[0] != '\0' &&
	    ui_set_theme(ui, a->theme ? a->theme : ui->conf->theme, err,
	    sizeof err) != 0)
		ui_message(ui, THEME_ERROR, "%s", err);
	ui->anonymous = replay != NULL || ui->conf->nick == NULL ||
	    ui->conf->token == NULL;
	snprintf(ui->self, sizeof ui->self, "%s", ui->anonymous ? "" :
	    ui->conf->nick);
	snprintf(ui->log_dir, sizeof ui->log_dir, "%s",
	    ui->conf->log_dir != NULL && replay == NULL ? ui->conf->log_dir :
	    "");
	ui->ed = editor_new(2000, 500);
	ui->panel = panel_new();
	ui->mouse = 1;
	render_out_init(&ui->rout);
	ui_apply_conf(ui);

	uv_loop_init(&loop);
	ui->loop = &loop;
	if (replay == NULL)
		ui_open(ui, a);
	else if (ui_open_replay(ui, replay, speed, max_gap_ms) != 0) {
		ui_close(ui);
		conf_free(ui->conf);
		return 1;
	}
	if (ui_curses_start(ui) != 0) {
		fprintf(stderr, "stitch: cannot start the terminal\n");
		ui_close(ui);
		conf_free(ui->conf);
		return 1;
	}
	ui_handles_start(ui);
	ui_draw(ui);
	while (!ui->quit && uv_run(&loop, UV_RUN_DEFAULT) != 0 && !ui->quit)
		;
	endwin();
	ui_close(ui);
	conf_free(ui->conf);
	return 0;
}

int
ui_replay_main(const char *file, double speed, long long max_gap_ms)
{
	struct ui	 ui;
	struct ui_args	 a;
	char		 err[512], arg0[] = "stitch", *argv[] = { arg0, NULL };

	setlocale(LC_ALL, "");
	memset(&ui, 0, sizeof ui);
	memset(&a, 0, sizeof a);
	ui.conf = conf_new();
	/* The config still says how to draw (theme, timestamps). */
	if (conf_parse_args(ui.conf, 1, argv, ui_options, ui_option, &a, err,
	    sizeof err) < 0) {
		fprintf(stderr, "stitch replay: %s\n", err);
		conf_free(ui.conf);
		return 2;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "stitch replay: the chat client needs a "
		    "terminal; use --tail to print the recording\n");
		conf_free(ui.conf);
		return 2;
	}
	return ui_run(&ui, &a, file, speed, (int64_t)max_gap_ms);
}
