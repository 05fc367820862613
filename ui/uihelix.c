/*
 * uihelix.c: Helix in the terminal: the side panels fed from Helix, the
 * user card's account and follow dates, and the moderation commands, all
 * through the session's struct apphelix (src/apphelix.h).
 *
 * Pacing: only the focused pane's open panel is refreshed, each list at
 * its own interval (chatters 45 s, moderators 60 s, stats 30 s), never
 * while the previous refresh is out, and not at all while Helix says
 * fewer than UIHELIX_RESERVE points are left, so what a person types
 * still goes through. The replies' cache (cache.h) makes a refresh that
 * comes back within a reply's lifetime cost nothing. 50 panes cost what
 * one does.
 *
 * Replies name their channel, not their pane: a pane closed while its
 * request was out is simply not found.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "apphelix.h"
#include "buf.h"
#include "chanstats.h"
#include "ui-int.h"

#define UIHELIX_RESERVE		20	/* points kept for commands */
#define UIHELIX_CHATTERS_MS	45000
#define UIHELIX_MODS_MS		60000
#define UIHELIX_STATS_MS	30000
#define UIHELIX_RETRY_MS	60000	/* after a failure */
#define UIHELIX_DENIED_MS	300000	/* after "not yours to see" */
#define UIHELIX_MAX_CHATTERS	5000	/* a panel's list, at most */
#define UIHELIX_LIST_NAMES	60	/* names /mods and /vips print */

enum uihelix_what {
	UIHELIX_CMD,		/* a command's answer */
	UIHELIX_FEED,		/* a panel list or the stats */
	UIHELIX_PROBE,		/* may the account list chatters here? */
	UIHELIX_LISTCMD,	/* /mods, /vips: names into the pane */
	UIHELIX_CARD,
};

/* What a request was for; owned by ui->hxctx until its end. */
struct uihelix_ctx {
	struct ui		*ui;
	enum uihelix_what	 what;
	enum panel_feed_id	 feed;
	char			 cmd[16];
	char			 chan[32];
	struct buf		 names;
	size_t			 n;
	struct uihelix_ctx	*next;
};

static struct uihelix_ctx *
uihelix_ctx_new(struct ui *ui, enum uihelix_what what, const char *cmd,
    const char *chan)
{
	struct uihelix_ctx	*x;

	if ((x = calloc(1, sizeof *x)) == NULL)
		abort();
	x->ui = ui;
	x->what = what;
	snprintf(x->cmd, sizeof x->cmd, "%s", cmd != NULL ? cmd : "");
	snprintf(x->chan, sizeof x->chan, "%s", chan != NULL ? chan : "");
	buf_init(&x->names, 8192);
	x->next = ui->hxctx;
	ui->hxctx = x;
	return x;
}

static void
uihelix_ctx_free(struct ui *ui, struct uihelix_ctx *x)
{
	struct uihelix_ctx	**xp;

	for (xp = &ui->hxctx; *xp != NULL; xp = &(*xp)->next)
		if (*xp == x) {
			*xp = x->next;
			break;
		}
	buf_free(&x->names);
	free(x);
}

/* The pane a reply is for: its channel's, else (no channel) the focus. */
static struct pane *
uihelix_pane(struct ui *ui, const char *chan)
{
	if (chan[0] == '\0')
		return ui_focused(ui);
	return ui_find(ui, chan, strlen(chan));
}

static unsigned
uihelix_badge(enum helix_kind k)
{
	return k == HELIX_MODERATORS ? CHAN_B_MOD : k == HELIX_VIPS ?
	    CHAN_B_VIP : 0;
}

/* Helix's people into the channel's chatters, as present. */
static void
uihelix_mark(struct pane *p, const struct apphelix_req *req,
    const struct helix_page *page)
{
	const struct helix_chatter	*c;
	struct chanstats		*cs = chan_stats(p->chan);
	uint32_t			 now = (uint32_t)time(NULL);
	size_t				 i;

	for (i = 0; i < page->n; i++) {
		c = &page->u.chatters[i];
		chanstats_mark(cs, c->user_login, strlen(c->user_login),
		    c->user_name, strlen(c->user_name),
		    uihelix_badge(req->list), now);
	}
}

static void
uihelix_names(struct uihelix_ctx *x, const struct helix_page *page)
{
	size_t	i;

	for (i = 0; i < page->n; i++, x->n++)
		if (x->n < UIHELIX_LIST_NAMES)
			buf_addf(&x->names, "%s%s", x->n ? ", " : "",
			    page->u.chatters[i].user_login);
}

static void
uihelix_feed_done(struct ui *ui, struct pane *p, struct uihelix_ctx *x,
    const struct apphelix_result *res)
{
	const struct apphelix_stats	*s = res->stats;
	uint64_t			 now = ui_now(ui);
	const char			*what;

	p->hx_busy[x->feed] = 0;
	if (res->ok) {
		if (x->feed == PANEL_FEED_CHANNEL) {
			panel_channel_set(&p->feeds, s->live, s->title,
			    s->viewers, s->followers);
			panel_channel_more(&p->feeds, s->game, s->started_at);
		}
		panel_feed_set(&p->feeds, x->feed, "Helix", PANEL_FEED_READY,
		    NULL);
		if (x->feed == PANEL_FEED_CHATTERS)
			p->hx_mod = 1;
		return;
	}
	if (res->auth && x->feed != PANEL_FEED_CHANNEL) {
		/* Not ours to see: back to what chat shows, said once. */
		panel_feed_set(&p->feeds, x->feed, NULL, PANEL_FEED_READY,
		    NULL);
		p->hx_next[x->feed] = now + UIHELIX_DENIED_MS;
		what = x->feed == PANEL_FEED_CHATTERS ? "chatters" :
		    "moderators";
		if (!p->hx_told[x->feed]++)
			ui_info(ui, p, CHAN_K_ERROR, "Helix %s: %s; the panel "
			    "shows who was %s", what, res->msg,
			    x->feed == PANEL_FEED_CHATTERS ? "seen in chat" :
			    "seen through badges");
		return;
	}
	panel_feed_set(&p->feeds, x->feed, "Helix", PANEL_FEED_ERROR,
	    res->msg);
	p->hx_next[x->feed] = now + UIHELIX_RETRY_MS;
}

static void
uihelix_on_result(void *arg, const struct apphelix_req *req,
    const struct apphelix_result *res)
{
	struct uihelix_ctx	*x = arg;
	struct ui		*ui = x->ui;
	struct pane		*p = uihelix_pane(ui, x->chan);

	ui_dirty(ui);
	if (res->page != NULL) {
		if (p != NULL && x->what != UIHELIX_PROBE)
			uihelix_mark(p, req, res->page);
		if (x->what == UIHELIX_LISTCMD)
			uihelix_names(x, res->page);
		return;
	}
	if (p == NULL) {
		uihelix_ctx_free(ui, x);
		return;
	}
	switch (x->what) {
	case UIHELIX_CMD:
		ui_info(ui, p, res->ok ? CHAN_K_NOTICE : CHAN_K_ERROR,
		    "/%s: %s", x->cmd, res->msg);
		break;
	case UIHELIX_LISTCMD:
		if (!res->ok)
			ui_info(ui, p, CHAN_K_ERROR, "/%s: %s", x->cmd,
			    res->msg);
		else
			ui_info(ui, p, CHAN_K_NOTICE, "/%s: %s of #%s (%zu)"
			    "%s%.*s%s", x->cmd, req->list == HELIX_VIPS ?
			    "VIPs" : "moderators", x->chan, x->n,
			    x->n ? ": " : "", (int)x->names.len,
			    x->names.len ? x->names.data : "",
			    x->n > UIHELIX_LIST_NAMES ? ", ..." : "");
		break;
	case UIHELIX_FEED:
		uihelix_feed_done(ui, p, x, res);
		break;
	case UIHELIX_PROBE:
		p->hx_probed = res->ok ? 2 : 1;
		p->hx_mod = res->ok;
		if (!res->ok && res->auth && !p->hx_told[PANEL_FEED_CHATTERS]++)
			ui_info(ui, p, CHAN_K_NOTICE, "Helix: %s; the panels "
			    "show what chat shows", res->msg);
		break;
	case UIHELIX_CARD:
		if (!res->ok)
			panel_card_set(ui, req->user, PANEL_FEED_ERROR,
			    res->msg, -1, -1, NULL);
		else
			panel_card_set(ui, req->user, PANEL_FEED_READY, NULL,
			    res->card->created_at, res->card->followed_at,
			    res->card->follow_error[0] ?
			    res->card->follow_error : NULL);
		break;
	}
	uihelix_ctx_free(ui, x);
}

static void
uihelix_news(void *arg, int ok, const char *msg)
{
	struct ui	*ui = arg;

	ui_status(ui, ok ? THEME_NOTICE : THEME_ERROR, "%s", msg);
	if (!ok)
		ui_info(ui, ui_focused(ui), CHAN_K_ERROR, "%s", msg);
}

/* A refreshed token: chat's next login uses it too. */
static void
uihelix_token(void *arg, const char *login, const char *token)
{
	struct ui	*ui = arg;
	struct account	*a;

	if (ui->app != NULL &&
	    (a = shardmgr_find_account(ui->app->mgr, login)) != NULL)
		account_set_token(a, token);
}

void
uihelix_start(struct ui *ui)
{
	ui->hx = apphelix_new(ui->loop, ui->conf, getenv("STITCH_CACHE"),
	    uihelix_news, ui, ui->hx_why, sizeof ui->hx_why);
	if (ui->hx != NULL)
		apphelix_set_token_cb(ui->hx, uihelix_token, ui);
	/* Logged in but no Helix: say why once, or the chat-only panels
	 * and refused commands would be a puzzle. */
	if (ui->hx == NULL && ui->conf->token != NULL)
		ui_info(ui, ui_focused(ui), CHAN_K_NOTICE, "Helix is off "
		    "(panels show what chat shows, moderation commands are "
		    "off): %s", ui->hx_why);
}

void
uihelix_stop(struct ui *ui)
{
	apphelix_free(ui->hx);
	ui->hx = NULL;
	while (ui->hxctx != NULL)
		uihelix_ctx_free(ui, ui->hxctx);
}

/* The account is the channel's broadcaster, or a moderator there. */
static int
uihelix_can_moderate(struct ui *ui, struct pane *p)
{
	const struct chanstats_chatter	*c;

	if (ui->hx == NULL || !p->joined)
		return 0;
	if (strcmp(chan_name(p->chan), ui->self) == 0 || p->hx_mod)
		return 1;
	c = chanstats_find(chan_stats_const(p->chan), ui->self,
	    strlen(ui->self));
	return c != NULL && (c->badges & (CHAN_B_MOD | CHAN_B_BROADCASTER));
}

static void
uihelix_feed(struct ui *ui, struct pane *p, enum panel_feed_id f,
    uint64_t every)
{
	struct apphelix_req	 req;
	struct uihelix_ctx	*x;
	const char		*name = chan_name(p->chan);
	uint64_t		 now = ui_now(ui);

	if (p->hx_busy[f] || now < p->hx_next[f])
		return;
	memset(&req, 0, sizeof req);
	snprintf(req.chan, sizeof req.chan, "%s", name);
	if (f == PANEL_FEED_CHANNEL)
		req.op = APPHELIX_STATS;
	else {
		req.op = APPHELIX_LIST;
		req.list = f == PANEL_FEED_MODS ? HELIX_MODERATORS :
		    HELIX_CHATTERS;
		req.limit = UIHELIX_MAX_CHATTERS;
	}
	p->hx_busy[f] = 1;
	p->hx_next[f] = now + every;
	/* The first time only: later refreshes keep the list shown. */
	if (p->feeds.feed[f].source[0] == '\0' && !p->hx_told[f])
		panel_feed_set(&p->feeds, f, "Helix", PANEL_FEED_LOADING,
		    NULL);
	x = uihelix_ctx_new(ui, UIHELIX_FEED, NULL, name);
	x->feed = f;
	apphelix_do(ui->hx, &req, uihelix_on_result, x);
}

static void
uihelix_card(struct ui *ui, struct pane *p, const char *login)
{
	struct apphelix_req	 req;

	if (strcmp(ui->hx_card, login) == 0 &&
	    strcmp(ui->hx_card_chan, chan_name(p->chan)) == 0)
		return;
	snprintf(ui->hx_card, sizeof ui->hx_card, "%s", login);
	snprintf(ui->hx_card_chan, sizeof ui->hx_card_chan, "%s",
	    chan_name(p->chan));
	memset(&req, 0, sizeof req);
	req.op = APPHELIX_CARD;
	snprintf(req.chan, sizeof req.chan, "%s", chan_name(p->chan));
	snprintf(req.user, sizeof req.user, "%s", login);
	req.moderator = uihelix_can_moderate(ui, p);
	panel_card_set(ui, login, PANEL_FEED_LOADING, NULL, -1, -1, NULL);
	apphelix_do(ui->hx, &req, uihelix_on_result,
	    uihelix_ctx_new(ui, UIHELIX_CARD, NULL, req.chan));
}

/* Once a second: what the focused pane's open panel needs, if due. */
void
uihelix_tick(struct ui *ui)
{
	struct pane		*p = ui_focused(ui);
	struct apphelix_req	 req;
	const char		*user, *warn;
	long			 budget;

	if (ui->hx == NULL || ui->replay)
		return;
	if ((warn = apphelix_warning(ui->hx)) != NULL)
		ui_status(ui, THEME_ERROR, "%s", warn);
	if (p == NULL || !p->joined)
		return;
	panel_card_mod(ui, uihelix_can_moderate(ui, p));
	budget = apphelix_budget(ui->hx);
	if (budget >= 0 && budget < UIHELIX_RESERVE)
		return;
	if (!p->hx_probed && strcmp(chan_name(p->chan), ui->self) == 0) {
		p->hx_probed = 2;	/* the broadcaster may */
		p->hx_mod = 1;
	}
	if (!p->hx_probed && apphelix_ready(ui->hx)) {
		/* One cheap question tells whether this account may see
		 * the chatters (a moderator or the broadcaster). */
		p->hx_probed = 1;
		memset(&req, 0, sizeof req);
		req.op = APPHELIX_LIST;
		req.list = HELIX_CHATTERS;
		req.limit = 1;
		snprintf(req.chan, sizeof req.chan, "%s", chan_name(p->chan));
		apphelix_do(ui->hx, &req, uihelix_on_result,
		    uihelix_ctx_new(ui, UIHELIX_PROBE, NULL, req.chan));
	}
	switch (panel_kind(ui)) {
	case PANEL_CHATTERS:
		uihelix_feed(ui, p, PANEL_FEED_CHATTERS, UIHELIX_CHATTERS_MS);
		break;
	case PANEL_MODS:
		/* Only the broadcaster may list them; else the badges. */
		if (strcmp(chan_name(p->chan), ui->self) == 0)
			uihelix_feed(ui, p, PANEL_FEED_MODS, UIHELIX_MODS_MS);
		break;
	case PANEL_STATS:
		uihelix_feed(ui, p, PANEL_FEED_CHANNEL, UIHELIX_STATS_MS);
		break;
	case PANEL_USER:
		if ((user = panel_card_user(ui)) != NULL)
			uihelix_card(ui, p, user);
		break;
	default:
		break;
	}
}

/*
 * Commands.
 */
static int
uihelix_usable(struct ui *ui, struct pane *p, const char *cmd)
{
	if (ui->replay) {
		ui_message(ui, THEME_ERROR, "replay: read-only");
		return 0;
	}
	if (ui->hx == NULL) {
		ui_message(ui, THEME_ERROR, "/%s %s", cmd, ui->hx_why[0] ?
		    ui->hx_why : "needs a login: run stitch login");
		return 0;
	}
	if (p == NULL || !p->joined) {
		ui_message(ui, THEME_ERROR, "/%s: no channel here", cmd);
		return 0;
	}
	return 1;
}

void
uihelix_request(struct ui *ui, struct pane *p, const char *cmd,
    struct apphelix_req *req)
{
	if (!uihelix_usable(ui, p, cmd))
		return;
	if (req->op != APPHELIX_WHISPER && req->op != APPHELIX_COLOR)
		snprintf(req->chan, sizeof req->chan, "%s", chan_name(p->chan));
	apphelix_do(ui->hx, req, uihelix_on_result,
	    uihelix_ctx_new(ui, UIHELIX_CMD, cmd, chan_name(p->chan)));
}

void
uihelix_list_cmd(struct ui *ui, struct pane *p, const char *cmd,
    enum helix_kind kind)
{
	struct apphelix_req	req;

	if (!uihelix_usable(ui, p, cmd))
		return;
	memset(&req, 0, sizeof req);
	req.op = APPHELIX_LIST;
	req.list = kind;
	req.limit = 1000;
	snprintf(req.chan, sizeof req.chan, "%s", chan_name(p->chan));
	apphelix_do(ui->hx, &req, uihelix_on_result,
	    uihelix_ctx_new(ui, UIHELIX_LISTCMD, cmd, req.chan));
}

/* The newest line of login in p that Twitch can delete (it has an id):
 * its id into id (65 bytes). 1 if found. */
static int
uihelix_newest_line(struct pane *p, const char *login, char *id, size_t sz)
{
	const struct chan_line	*l;
	const char		*who;
	size_t			 len, ulen = strlen(login);
	uint64_t		 seq, first = chan_first(p->chan);

	for (seq = chan_end(p->chan); seq > first; seq--) {
		if ((l = chan_line(p->chan, seq - 1)) == NULL)
			break;
		if (l->kind != CHAN_K_MSG || (l->flags & CHAN_F_DELETED))
			continue;
		who = chan_line_login(l, &len);
		if (len != ulen || strncasecmp(who, login, len) != 0)
			continue;
		if (chan_line_id(l, id, sz) > 0)
			return 1;
	}
	return 0;
}

void
uihelix_delete(struct ui *ui, struct pane *p, const char *login,
    uint64_t seq)
{
	struct apphelix_req	 req;
	const struct chan_line	*l;

	if (!uihelix_usable(ui, p, "delete"))
		return;
	if (login == NULL || login[0] == '\0') {
		ui_message(ui, THEME_ERROR, "usage: /delete USER (their "
		    "newest line; d on a user card)");
		return;
	}
	memset(&req, 0, sizeof req);
	req.op = APPHELIX_DELETE;
	if (seq != 0 && (l = chan_line(p->chan, seq)) != NULL &&
	    l->kind == CHAN_K_MSG && chan_line_id(l, req.text,
	    sizeof req.text) > 0)
		;	/* the card's selected line */
	else if (!uihelix_newest_line(p, login, req.text, sizeof req.text)) {
		ui_message(ui, THEME_ERROR, "/delete: no line of %s here to "
		    "delete", login);
		return;
	}
	snprintf(req.user, sizeof req.user, "%s", login);
	uihelix_request(ui, p, "delete", &req);
	/* The user is named for the message, not needed as an id. */
}

/* A key on a moderator's card, after its y. */
void
uihelix_card_action(struct ui *ui, int action, const char *login)
{
	struct pane		*p = ui_focused(ui);
	struct apphelix_req	 req;

	if (action == 'd') {
		uihelix_delete(ui, p, login, panel_card_line_seq(ui));
		return;
	}
	memset(&req, 0, sizeof req);
	req.op = action == 'b' ? APPHELIX_BAN : APPHELIX_TIMEOUT;
	req.seconds = 600;
	snprintf(req.user, sizeof req.user, "%s", login);
	uihelix_request(ui, p, action == 'b' ? "ban" : "timeout", &req);
}
