/*
 * apphelix.c: the interactive client's Helix session (see apphelix.h).
 *
 * Each request is a job walking a few steps: the logins it names become
 * ids (GET users, one call for both), then the call itself, and for the
 * stats two or three calls in a row. A finished job is only marked dead;
 * a zero-delay timer frees it on the next loop turn, since a Helix
 * iterator must not be freed from inside its own callback.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apphelix.h"
#include "auth.h"
#include "cache.h"
#include "http.h"

#define APPHELIX_IDS	256		/* logins whose ids are remembered */

enum apphelix_state {
	APPHELIX_J_WAIT,		/* for validation */
	APPHELIX_J_RUN,
	APPHELIX_J_LATER,		/* to end from the timer with msg */
	APPHELIX_J_DEAD,
};

struct apphelix_job {
	struct apphelix		*ah;
	struct apphelix_req	 req;
	apphelix_cb		 cb;
	void			*arg;
	enum apphelix_state	 state;
	struct helix_call	*call;
	struct helix_iter	*iter;
	size_t			 items;
	char			 bid[32], uid[32];
	struct apphelix_stats	 stats;
	struct apphelix_card	 card;
	char			 msg[640];
	struct apphelix_job	*next;
};

struct apphelix_id {
	char	login[32];
	char	id[32];
};

struct apphelix {
	uv_loop_t		*loop;
	struct http		*http;
	struct cache		*cache;
	struct helix		*helix;
	struct auth		*auth;
	apphelix_news_cb	 news;
	void			*arg;
	apphelix_token_cb	 token_cb;
	void			*token_arg;
	int			 ready;		/* 0 asking, 1 yes, -1 failed */
	int			 fail_auth;
	char			 fail[512];
	char			 warning[320];	/* not told yet */
	char			 told[352];	/* apphelix_warning()'s */
	struct helix_call	*whoami;
	struct apphelix_job	*jobs;
	struct apphelix_id	 ids[APPHELIX_IDS];
	size_t			 nextid;
	uv_timer_t		 reaper;
};

static void	apphelix_job_act(struct apphelix_job *);
static void	apphelix_validate(struct apphelix *);

/*
 * Ids of logins.
 */
static const char *
apphelix_id_of(const struct apphelix *ah, const char *login)
{
	size_t	i;

	for (i = 0; i < APPHELIX_IDS; i++)
		if (ah->ids[i].login[0] != '\0' &&
		    strcmp(ah->ids[i].login, login) == 0)
			return ah->ids[i].id;
	return NULL;
}

static void
apphelix_id_put(struct apphelix *ah, const char *login, const char *id)
{
	struct apphelix_id	*e;

	if (login[0] == '\0' || id[0] == '\0' ||
	    strlen(login) >= sizeof e->login || strlen(id) >= sizeof e->id ||
	    apphelix_id_of(ah, login) != NULL)
		return;
	e = &ah->ids[ah->nextid++ % APPHELIX_IDS];
	snprintf(e->login, sizeof e->login, "%s", login);
	snprintf(e->id, sizeof e->id, "%s", id);
}

/*
 * Ending jobs.
 */
static void
apphelix_on_reap(uv_timer_t *t)
{
	struct apphelix		*ah = t->data;
	struct apphelix_job	**jp, *j;
	struct apphelix_result	 res;

	/* Ending a job may start others (and add to the list): walk
	 * again until nothing is left to do. */
	for (jp = &ah->jobs; (j = *jp) != NULL;) {
		if (j->state == APPHELIX_J_LATER) {
			j->state = APPHELIX_J_DEAD;
			memset(&res, 0, sizeof res);
			res.msg = j->msg;
			res.auth = ah->fail_auth;
			j->cb(j->arg, &j->req, &res);
			jp = &ah->jobs;
			continue;
		}
		if (j->state == APPHELIX_J_DEAD) {
			*jp = j->next;
			helix_cancel(j->call);
			helix_iter_free(j->iter);
			free(j);
			continue;
		}
		jp = &j->next;
	}
}

static void
apphelix_reap_soon(struct apphelix *ah)
{
	uv_timer_start(&ah->reaper, apphelix_on_reap, 0, 0);
}

/* Tell the caller (unless it went away) and forget the job. */
static void
apphelix_job_end(struct apphelix_job *j, int ok, const char *msg, int auth)
{
	struct apphelix_result	res;

	if (j->state == APPHELIX_J_DEAD)
		return;
	j->state = APPHELIX_J_DEAD;
	j->call = NULL;
	memset(&res, 0, sizeof res);
	res.ok = ok;
	res.msg = msg;
	res.auth = auth;
	if (ok && j->req.op == APPHELIX_STATS)
		res.stats = &j->stats;
	if (ok && j->req.op == APPHELIX_CARD)
		res.card = &j->card;
	j->cb(j->arg, &j->req, &res);
	apphelix_reap_soon(j->ah);
}

/* End from the timer: the caller hears of it after apphelix_do(). */
static void
apphelix_job_later(struct apphelix_job *j, const char *msg)
{
	j->state = APPHELIX_J_LATER;
	snprintf(j->msg, sizeof j->msg, "%s", msg);
	apphelix_reap_soon(j->ah);
}

/* A failed call ends the job with Helix's sentence. */
static int
apphelix_job_failed(struct apphelix_job *j, const struct helix_result *r)
{
	j->call = NULL;
	if (r->error == NULL)
		return 0;
	apphelix_job_end(j, 0, r->error, r->auth);
	return 1;
}

/*
 * Steps.
 */

/* Whispers and colours are the account's, in no channel. */
static int
apphelix_wants_chan(const struct apphelix_req *q)
{
	return q->chan[0] != '\0' && q->op != APPHELIX_WHISPER &&
	    q->op != APPHELIX_COLOR;
}
static void
apphelix_on_done(void *arg, const struct helix_result *r)
{
	struct apphelix_job	*j = arg;
	const char		*u = j->req.user, *c = j->req.chan;

	if (apphelix_job_failed(j, r))
		return;
	switch (j->req.op) {
	case APPHELIX_BAN:
		snprintf(j->msg, sizeof j->msg, "%s is banned from #%s", u, c);
		break;
	case APPHELIX_TIMEOUT:
		snprintf(j->msg, sizeof j->msg, "%s is timed out for %u s in "
		    "#%s", u, j->req.seconds, c);
		break;
	case APPHELIX_UNBAN:
		snprintf(j->msg, sizeof j->msg, "%s may chat in #%s again", u,
		    c);
		break;
	case APPHELIX_DELETE:
		snprintf(j->msg, sizeof j->msg, "the message is deleted");
		break;
	case APPHELIX_WHISPER:
		snprintf(j->msg, sizeof j->msg, "whisper sent to %s", u);
		break;
	case APPHELIX_COLOR:
		snprintf(j->msg, sizeof j->msg, "your chat colour is now %.64s",
		    j->req.text);
		break;
	default:
		snprintf(j->msg, sizeof j->msg, "%s", j->req.text[0] ?
		    j->req.text : "done");
		break;
	}
	apphelix_job_end(j, 1, j->msg, 0);
}

static void
apphelix_on_page(void *arg, const struct helix_result *r)
{
	struct apphelix_job	*j = arg;
	struct apphelix_result	 res;

	if (apphelix_job_failed(j, r))
		return;
	j->items += r->page->n;
	memset(&res, 0, sizeof res);
	res.ok = 1;
	res.page = r->page;
	j->cb(j->arg, &j->req, &res);
	if (j->state == APPHELIX_J_DEAD)
		return;			/* cancelled from the callback */
	if (helix_iter_next(j->iter) != 0) {
		snprintf(j->msg, sizeof j->msg, "%zu", j->items);
		apphelix_job_end(j, 1, j->msg, 0);
	}
}

static void
apphelix_on_followers(void *arg, const struct helix_result *r)
{
	struct apphelix_job	*j = arg;

	/* The total is Twitch's to tell anyone; without it, "unknown". */
	if (r->page != NULL && r->page->total >= 0)
		j->stats.followers = (long)r->page->total;
	j->call = NULL;
	apphelix_job_end(j, 1, "", 0);
}

static void
apphelix_stats_followers(struct apphelix_job *j)
{
	j->iter = helix_iter_new(j->ah->helix, HELIX_FOLLOWERS, j->bid, 1,
	    apphelix_on_followers, j);
	if (j->iter == NULL || helix_iter_next(j->iter) != 0)
		apphelix_job_end(j, 1, "", 0);
}

static void
apphelix_on_channel(void *arg, const struct helix_result *r)
{
	struct apphelix_job		*j = arg;
	const struct helix_channel	*ch;

	if (apphelix_job_failed(j, r))
		return;
	if (r->page->n > 0) {
		ch = &r->page->u.channels[0];
		snprintf(j->stats.title, sizeof j->stats.title, "%s",
		    ch->title);
		snprintf(j->stats.game, sizeof j->stats.game, "%s",
		    ch->game_name);
	}
	apphelix_stats_followers(j);
}

static void
apphelix_on_stream(void *arg, const struct helix_result *r)
{
	struct apphelix_job		*j = arg;
	const struct helix_stream	*s;

	if (apphelix_job_failed(j, r))
		return;
	if (r->page->n == 0) {
		/* Offline: the title and game are the channel's. */
		j->call = helix_get_channel(j->ah->helix, j->bid,
		    apphelix_on_channel, j);
		if (j->call == NULL)
			apphelix_stats_followers(j);
		return;
	}
	s = &r->page->u.streams[0];
	j->stats.live = 1;
	snprintf(j->stats.title, sizeof j->stats.title, "%s", s->title);
	snprintf(j->stats.game, sizeof j->stats.game, "%s", s->game_name);
	j->stats.viewers = s->viewer_count > 0 ? (long)s->viewer_count : 0;
	j->stats.started_at = s->started_at;
	apphelix_stats_followers(j);
}

static void
apphelix_on_follow(void *arg, const struct helix_result *r)
{
	struct apphelix_job	*j = arg;

	j->call = NULL;
	/* The account is still worth showing when the follow date is not
	 * ours to see. */
	if (r->error != NULL)
		snprintf(j->card.follow_error, sizeof j->card.follow_error,
		    "%s", r->error);
	else if (r->page->n > 0)
		j->card.followed_at = r->page->u.follows[0].followed_at;
	else if (!j->req.moderator)
		/* Twitch gives others the count but never the rows: no row
		 * says nothing about this user. */
		snprintf(j->card.follow_error, sizeof j->card.follow_error,
		    "only the broadcaster and moderators can see it");
	apphelix_job_end(j, 1, "", 0);
}

static void
apphelix_on_users(void *arg, const struct helix_result *r)
{
	struct apphelix_job		*j = arg;
	const struct helix_user		*u;
	const char			*id;
	size_t				 i;

	if (apphelix_job_failed(j, r))
		return;
	for (i = 0; i < r->page->n; i++) {
		u = &r->page->u.users[i];
		apphelix_id_put(j->ah, u->login, u->id);
		if (j->req.op == APPHELIX_CARD &&
		    strcmp(u->login, j->req.user) == 0) {
			snprintf(j->card.display_name,
			    sizeof j->card.display_name, "%s",
			    u->display_name);
			j->card.created_at = u->created_at;
		}
	}
	if (apphelix_wants_chan(&j->req) && j->bid[0] == '\0') {
		if ((id = apphelix_id_of(j->ah, j->req.chan)) == NULL)
			goto unknown;
		snprintf(j->bid, sizeof j->bid, "%s", id);
	}
	if (j->req.user[0] != '\0' && j->uid[0] == '\0') {
		if ((id = apphelix_id_of(j->ah, j->req.user)) == NULL)
			goto unknown;
		snprintf(j->uid, sizeof j->uid, "%s", id);
	}
	apphelix_job_act(j);
	return;
unknown:
	snprintf(j->msg, sizeof j->msg, "Twitch knows no user called %s",
	    j->bid[0] == '\0' && apphelix_wants_chan(&j->req) ? j->req.chan :
	    j->req.user);
	apphelix_job_end(j, 0, j->msg, 0);
}

/* The logins the job names, as ids: at once if known, else one GET. */
static void
apphelix_job_resolve(struct apphelix_job *j)
{
	struct apphelix	*ah = j->ah;
	const char	*need[2], *id;
	size_t		 n = 0;

	j->state = APPHELIX_J_RUN;
	if (apphelix_wants_chan(&j->req)) {
		if ((id = apphelix_id_of(ah, j->req.chan)) != NULL)
			snprintf(j->bid, sizeof j->bid, "%s", id);
		else
			need[n++] = j->req.chan;
	}
	if (j->req.user[0] != '\0') {
		/* A card wants the account's creation date anyway. */
		if ((id = apphelix_id_of(ah, j->req.user)) != NULL &&
		    j->req.op != APPHELIX_CARD)
			snprintf(j->uid, sizeof j->uid, "%s", id);
		else if (n == 0 || strcmp(need[0], j->req.user) != 0)
			need[n++] = j->req.user;
	}
	if (n == 0) {
		apphelix_job_act(j);
		return;
	}
	j->call = helix_get_users(ah->helix, need, n, apphelix_on_users, j);
	if (j->call == NULL)
		apphelix_job_later(j, "cannot ask Helix for those users");
}

static void
apphelix_job_act(struct apphelix_job *j)
{
	struct helix	*h = j->ah->helix;
	struct apphelix_req *q = &j->req;

	switch (q->op) {
	case APPHELIX_BAN:
	case APPHELIX_TIMEOUT:
		j->call = helix_ban(h, j->bid, j->uid, q->op == APPHELIX_BAN ?
		    0 : q->seconds, q->text[0] ? q->text : NULL,
		    apphelix_on_done, j);
		break;
	case APPHELIX_UNBAN:
		j->call = helix_unban(h, j->bid, j->uid, apphelix_on_done, j);
		break;
	case APPHELIX_DELETE:
		j->call = helix_delete_message(h, j->bid, q->text,
		    apphelix_on_done, j);
		break;
	case APPHELIX_SETTINGS:
		j->call = helix_patch_chat_settings(h, j->bid, &q->patch,
		    apphelix_on_done, j);
		break;
	case APPHELIX_WHISPER:
		j->call = helix_whisper(h, j->uid, q->text, apphelix_on_done,
		    j);
		break;
	case APPHELIX_COLOR:
		j->call = helix_set_color(h, q->text, apphelix_on_done, j);
		break;
	case APPHELIX_LIST:
		j->iter = helix_iter_new(h, q->list, j->bid, q->limit,
		    apphelix_on_page, j);
		if (j->iter == NULL || helix_iter_next(j->iter) != 0)
			apphelix_job_later(j, "cannot ask Helix for that list");
		return;
	case APPHELIX_STATS:
		j->call = helix_get_stream(h, q->chan, apphelix_on_stream, j);
		break;
	case APPHELIX_CARD:
		if (j->bid[0] == '\0') {
			apphelix_job_end(j, 1, "", 0);
			return;
		}
		j->call = helix_get_follow(h, j->bid, j->uid,
		    apphelix_on_follow, j);
		break;
	}
	if (j->call == NULL && j->state == APPHELIX_J_RUN)
		apphelix_job_later(j, "cannot make that Helix request");
}

/*
 * Validation.
 */
static void
apphelix_on_whoami(void *arg, const struct helix_result *r)
{
	struct apphelix		*ah = arg;
	struct apphelix_job	*j;
	char			 msg[640];

	ah->whoami = NULL;
	if (r->error != NULL) {
		ah->ready = -1;
		ah->fail_auth = r->auth;
		snprintf(ah->fail, sizeof ah->fail, "Helix: %s", r->error);
		for (j = ah->jobs; j != NULL; j = j->next)
			if (j->state == APPHELIX_J_WAIT)
				apphelix_job_later(j, ah->fail);
		if (ah->news != NULL)
			ah->news(ah->arg, 0, ah->fail);
		return;
	}
	ah->ready = 1;
	for (j = ah->jobs; j != NULL; j = j->next)
		if (j->state == APPHELIX_J_WAIT)
			apphelix_job_resolve(j);
	snprintf(msg, sizeof msg, "Helix: signed in as %s",
	    helix_login(ah->helix));
	if (ah->news != NULL)
		ah->news(ah->arg, 1, msg);
}

static void
apphelix_validate(struct apphelix *ah)
{
	ah->ready = 0;
	ah->whoami = helix_whoami(ah->helix, apphelix_on_whoami, ah);
	if (ah->whoami == NULL) {
		ah->ready = -1;
		snprintf(ah->fail, sizeof ah->fail, "Helix: cannot ask who "
		    "the token belongs to");
	}
}

void
apphelix_do(struct apphelix *ah, const struct apphelix_req *req,
    apphelix_cb cb, void *arg)
{
	struct apphelix_job	*j;

	if ((j = calloc(1, sizeof *j)) == NULL)
		abort();
	j->ah = ah;
	j->req = *req;
	j->req.chan[sizeof j->req.chan - 1] = '\0';
	j->req.user[sizeof j->req.user - 1] = '\0';
	j->req.text[sizeof j->req.text - 1] = '\0';
	j->cb = cb;
	j->arg = arg;
	j->stats.viewers = -1;
	j->stats.followers = -1;
	j->stats.started_at = -1;
	j->card.created_at = -1;
	j->card.followed_at = -1;
	snprintf(j->card.login, sizeof j->card.login, "%s", j->req.user);
	j->next = ah->jobs;
	ah->jobs = j;
	/* A network failure at start is worth another try; a dead token
	 * is not (it says so until stitch login). */
	if (ah->ready < 0 && !ah->fail_auth)
		apphelix_validate(ah);
	if (ah->ready < 0)
		apphelix_job_later(j, ah->fail);
	else if (ah->ready == 0)
		j->state = APPHELIX_J_WAIT;
	else
		apphelix_job_resolve(j);
}

void
apphelix_cancel_arg(struct apphelix *ah, void *arg)
{
	struct apphelix_job	*j;

	if (ah == NULL)
		return;
	for (j = ah->jobs; j != NULL; j = j->next)
		if (j->arg == arg && j->state != APPHELIX_J_DEAD) {
			j->state = APPHELIX_J_DEAD;
			helix_cancel(j->call);
			j->call = NULL;
			apphelix_reap_soon(ah);
		}
}

/*
 * The session.
 */
static void
apphelix_on_auth(void *arg, const char *login, enum auth_event ev,
    const char *msg)
{
	struct apphelix	*ah = arg;
	const char	*tok;
	char		 buf[512];

	switch (ev) {
	case AUTH_REFRESHED:
		if ((tok = auth_access_token(ah->auth, login)) == NULL)
			break;
		helix_set_token(ah->helix, tok);
		if (ah->token_cb != NULL)
			ah->token_cb(ah->token_arg, login, tok);
		break;
	case AUTH_REVOKED:
		snprintf(buf, sizeof buf, "the token of %s is no longer "
		    "valid%s%s: run stitch login", login, msg ? ": " : "",
		    msg ? msg : "");
		if (ah->news != NULL)
			ah->news(ah->arg, 0, buf);
		break;
	case AUTH_TROUBLE:
		snprintf(buf, sizeof buf, "cannot check the token of %s%s%s "
		    "(trying again later)", login, msg ? ": " : "",
		    msg ? msg : "");
		if (ah->news != NULL)
			ah->news(ah->arg, 0, buf);
		break;
	default:
		break;
	}
}

/*
 * A token `stitch login` stored is kept valid and refreshed through auth;
 * one from STITCH_TOKEN cannot be (there is no refresh token for it), so
 * Helix's own validation is all it gets.
 */
static void
apphelix_auth(struct apphelix *ah, const struct conf *c, const char *cid)
{
	if ((ah->auth = auth_for_stored(ah->loop, ah->http, c->oauth_url, cid,
	    c->nick, apphelix_on_auth, ah)) != NULL)
		helix_set_refresher(ah->helix, auth_refresher, ah->auth);
}

struct apphelix *
apphelix_new(uv_loop_t *loop, const struct conf *c, const char *cache_kind,
    apphelix_news_cb news, void *arg, char *why, size_t whysz)
{
	struct apphelix		*ah;
	struct http_opts	 ho;
	struct helix_opts	 xo;
	struct cache_opts	 co;
	const char		*cid = c->client_id;
	char			 err[256];

	if (c->token == NULL || c->nick == NULL) {
		snprintf(why, whysz, "needs a login: run stitch login");
		return NULL;
	}
	if (cid == NULL || cid[0] == '\0')
		cid = getenv("TWITCH_CLIENT_ID");
	if (cid == NULL || cid[0] == '\0') {
		snprintf(why, whysz, "needs a client id: set client_id in "
		    "the config or TWITCH_CLIENT_ID");
		return NULL;
	}
	if ((ah = calloc(1, sizeof *ah)) == NULL)
		abort();
	ah->loop = loop;
	ah->news = news;
	ah->arg = arg;
	memset(&ho, 0, sizeof ho);
	ho.ca_file = c->ca_file;
	if ((ah->http = http_new(loop, &ho, err, sizeof err)) == NULL) {
		snprintf(why, whysz, "cannot start HTTP: %s", err);
		free(ah);
		return NULL;
	}
	memset(&co, 0, sizeof co);
	co.kind = cache_kind;
	/* No cache is no reason to go without Helix: said, not fatal. */
	if ((ah->cache = cache_open(&co, err, sizeof err)) == NULL)
		snprintf(ah->warning, sizeof ah->warning, "no Helix cache: "
		    "%s", err);
	memset(&xo, 0, sizeof xo);
	xo.base_url = c->helix_url;
	xo.client_id = cid;
	xo.token = c->token;
	xo.login = c->nick;
	xo.cache = ah->cache;
	if ((ah->helix = helix_new(loop, ah->http, &xo, err,
	    sizeof err)) == NULL) {
		snprintf(why, whysz, "cannot start Helix: %s", err);
		http_free(ah->http);
		cache_free(ah->cache);
		free(ah);
		return NULL;
	}
	uv_timer_init(loop, &ah->reaper);
	ah->reaper.data = ah;
	apphelix_auth(ah, c, cid);
	apphelix_validate(ah);
	return ah;
}

void
apphelix_set_token_cb(struct apphelix *ah, apphelix_token_cb cb, void *arg)
{
	ah->token_cb = cb;
	ah->token_arg = arg;
}

static void
apphelix_on_close(uv_handle_t *h)
{
	free(h->data);
}

void
apphelix_free(struct apphelix *ah)
{
	struct apphelix_job	*j, *next;

	if (ah == NULL)
		return;
	for (j = ah->jobs; j != NULL; j = next) {
		next = j->next;
		helix_cancel(j->call);
		helix_iter_free(j->iter);
		free(j);
	}
	helix_cancel(ah->whoami);
	helix_free(ah->helix);
	auth_free(ah->auth);
	http_free(ah->http);
	cache_free(ah->cache);
	uv_close((uv_handle_t *)&ah->reaper, apphelix_on_close);
}

const char *
apphelix_login(const struct apphelix *ah)
{
	return helix_login(ah->helix);
}

const char *
apphelix_user_id(const struct apphelix *ah)
{
	return helix_user_id(ah->helix);
}

int
apphelix_ready(const struct apphelix *ah)
{
	return ah->ready == 1;
}

long
apphelix_budget(const struct apphelix *ah)
{
	struct http_budget	b;

	http_budget(ah->http, &b);
	return b.remaining;
}

const char *
apphelix_warning(struct apphelix *ah)
{
	const char	*w;

	if (ah->warning[0] != '\0') {
		snprintf(ah->told, sizeof ah->told, "%s", ah->warning);
		ah->warning[0] = '\0';
		return ah->told;
	}
	if (ah->cache != NULL && (w = cache_warning(ah->cache)) != NULL) {
		snprintf(ah->told, sizeof ah->told, "Helix cache: %s", w);
		return ah->told;
	}
	return NULL;
}

size_t
apphelix_pending(const struct apphelix *ah)
{
	const struct apphelix_job	*j;
	size_t				 n = 0;

	for (j = ah->jobs; j != NULL; j = j->next)
		if (j->state != APPHELIX_J_DEAD)
			n++;
	return n;
}
