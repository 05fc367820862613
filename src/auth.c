/*
 * auth.c: the session side of tokens (see auth.h): validate at start and
 * hourly, refresh before expiry and for anyone holding a 401, through
 * struct http on the loop. The store is auth-store.c, the device code
 * flow auth-device.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "auth.h"
#include "http.h"

#define AUTH_PATH_SIZE		4096
#define AUTH_FRESH_MS		10000	/* a refresh this recent answers */

enum auth_busy {
	AUTH_IDLE,
	AUTH_VALIDATING,
	AUTH_REFRESHING,
};

struct auth_waiter {
	void		(*done)(void *, const char *);
	void		 *ctx;
};

struct auth_acct {
	struct auth		*auth;		/* NULL once auth is freed */
	struct auth_token	 tok;
	uv_timer_t		 timer;
	struct http_call	*call;
	enum auth_busy		 busy;
	uint64_t		 refreshed_ms;	/* loop time of the last one */
	int			 watched;
	unsigned		 failures;	/* in a row, for the back-off */
	struct auth_waiter	*waiters;
	size_t			 nwaiters;
};

struct auth {
	uv_loop_t		*loop;
	struct http		*http;
	char			 oauth_url[1024];
	char			 client_id[256];
	char			 dir[AUTH_PATH_SIZE];
	auth_event_cb		 cb;
	void			*arg;
	struct auth_acct	**accts;
	size_t			 naccts;
	unsigned		 requests;
};

static void	auth_refresh(struct auth_acct *);
static void	auth_on_timer(uv_timer_t *);

static void
auth_event(struct auth_acct *ac, enum auth_event ev, const char *msg)
{
	if (ac->auth->cb != NULL)
		ac->auth->cb(ac->auth->arg, ac->tok.login, ev, msg);
}

struct auth *
auth_new(uv_loop_t *loop, struct http *http, const struct auth_opts *o,
    auth_event_cb cb, void *arg, char *err, size_t errsz)
{
	struct auth	*a;
	const char	*url = o != NULL && o->oauth_url != NULL ?
			    o->oauth_url : "https://id.twitch.tv/oauth2";
	int		 n;

	if ((a = calloc(1, sizeof *a)) == NULL)
		abort();
	a->loop = loop;
	a->http = http;
	a->cb = cb;
	a->arg = arg;
	n = snprintf(a->oauth_url, sizeof a->oauth_url, "%s", url);
	/* "https://host/oauth2/" and ".../oauth2" mean the same. */
	while (n > 0 && a->oauth_url[n - 1] == '/')
		a->oauth_url[--n] = '\0';
	if (o != NULL && o->client_id != NULL)
		snprintf(a->client_id, sizeof a->client_id, "%s", o->client_id);
	if (o != NULL && o->dir != NULL)
		n = snprintf(a->dir, sizeof a->dir, "%s", o->dir) <
		    (int)sizeof a->dir ? 0 : -1;
	else
		n = auth_store_dir(a->dir, sizeof a->dir);
	if (n != 0) {
		snprintf(err, errsz, "no config directory: set HOME or "
		    "XDG_CONFIG_HOME");
		free(a);
		return NULL;
	}
	return a;
}

static void
auth_acct_closed(uv_handle_t *h)
{
	struct auth_acct	*ac = h->data;

	auth_token_clear(&ac->tok);
	free(ac->waiters);
	free(ac);
}

void
auth_free(struct auth *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->naccts; i++) {
		http_cancel(a->accts[i]->call);
		a->accts[i]->auth = NULL;
		uv_close((uv_handle_t *)&a->accts[i]->timer, auth_acct_closed);
	}
	free(a->accts);
	explicit_bzero(a, sizeof *a);
	free(a);
}

static struct auth_acct *
auth_find(struct auth *a, const char *login)
{
	size_t	i;

	for (i = 0; i < a->naccts; i++)
		if (strcmp(a->accts[i]->tok.login, login) == 0)
			return a->accts[i];
	return NULL;
}

/* login's account, loaded from the store on first use; NULL with err. */
static struct auth_acct *
auth_get(struct auth *a, const char *login, char *err, size_t errsz)
{
	struct auth_acct	*ac;
	struct auth_acct	**v;

	if ((ac = auth_find(a, login)) != NULL)
		return ac;
	if ((ac = calloc(1, sizeof *ac)) == NULL)
		abort();
	if (auth_store_load(a->dir, login, &ac->tok, err, errsz) != 0) {
		free(ac);
		return NULL;
	}
	v = realloc(a->accts, (a->naccts + 1) * sizeof *v);
	if (v == NULL)
		abort();
	a->accts = v;
	a->accts[a->naccts++] = ac;
	ac->auth = a;
	uv_timer_init(a->loop, &ac->timer);
	ac->timer.data = ac;
	return ac;
}

int64_t
auth_next_delay(const struct auth_token *t, unsigned failures, int64_t now)
{
	int64_t	delay = AUTH_VALIDATE_EVERY_S, due;

	if (failures > 0) {
		delay = 60LL << (failures > 6 ? 6 : failures - 1);
		if (delay > AUTH_VALIDATE_EVERY_S)
			delay = AUTH_VALIDATE_EVERY_S;
	}
	if (t->expires_at > 0 && t->refresh[0] != '\0') {
		due = t->expires_at - AUTH_REFRESH_MARGIN_S - now;
		if (due < delay)
			delay = due;
	}
	/* A server that hands out tokens shorter-lived than the margin
	 * must not get a refresh a loop turn: once a minute at most (a 401
	 * in between still asks auth_refresher at once). */
	if (delay < AUTH_MIN_DELAY_S)
		delay = AUTH_MIN_DELAY_S;
	return delay;
}

int
auth_due_refresh(const struct auth_token *t, int64_t now)
{
	return t->expires_at > 0 && t->refresh[0] != '\0' &&
	    now >= t->expires_at - AUTH_REFRESH_MARGIN_S;
}

static void
auth_schedule(struct auth_acct *ac)
{
	if (ac->watched)
		uv_timer_start(&ac->timer, auth_on_timer, (uint64_t)
		    auth_next_delay(&ac->tok, ac->failures,
		    (int64_t)time(NULL)) * 1000, 0);
}

/* Hand the token (NULL: none) to everyone waiting for a refresh. The list
 * is taken first: a callback may ask again. */
static void
auth_finish(struct auth_acct *ac, const char *token)
{
	struct auth_waiter	*w = ac->waiters;
	size_t			 n = ac->nwaiters, i;

	ac->waiters = NULL;
	ac->nwaiters = 0;
	for (i = 0; i < n; i++)
		w[i].done(w[i].ctx, token);
	free(w);
}

/* A failure the user can only fix by logging in again. */
static void
auth_dead(struct auth_acct *ac, const char *why)
{
	char	msg[512];

	snprintf(msg, sizeof msg, "%s; run stitch login", why);
	auth_event(ac, AUTH_REVOKED, msg);
	auth_finish(ac, NULL);
}

/* No answer worth the name: try again later. */
static void
auth_trouble(struct auth_acct *ac, const char *what,
    const struct http_resp *r)
{
	char	msg[512];

	ac->failures++;
	if (r->error != NULL)
		snprintf(msg, sizeof msg, "%s: %s", what, r->error);
	else
		snprintf(msg, sizeof msg, "%s: HTTP %ld", what, r->status);
	auth_event(ac, AUTH_TROUBLE, msg);
	auth_finish(ac, NULL);
	auth_schedule(ac);
}

static void
auth_on_validate(void *arg, const struct http_resp *r)
{
	struct auth_acct	*ac = arg;
	struct oauth_validate	 v;
	char			 err[256];

	ac->call = NULL;
	ac->busy = AUTH_IDLE;
	if (r->status == 401) {
		if (ac->tok.refresh[0] != '\0')
			auth_refresh(ac);
		else
			auth_dead(ac, "Twitch no longer accepts the token "
			    "and there is no refresh token");
		return;
	}
	if (r->status != 200) {
		auth_trouble(ac, "validating the token", r);
		return;
	}
	if (oauth_parse_validate(r->body, r->body_len, &v, err,
	    sizeof err) != 0) {
		auth_trouble(ac, err, r);
		return;
	}
	if (strcmp(v.login, ac->tok.login) != 0) {
		auth_dead(ac, "the stored token belongs to another login");
		return;
	}
	ac->failures = 0;
	ac->tok.validated_at = (int64_t)time(NULL);
	if (v.expires_in > 0)
		ac->tok.expires_at = ac->tok.validated_at +
		    (int64_t)v.expires_in;
	snprintf(ac->tok.user_id, sizeof ac->tok.user_id, "%s", v.user_id);
	snprintf(ac->tok.scopes, sizeof ac->tok.scopes, "%s", v.scopes);
	if (auth_store_save(ac->auth->dir, &ac->tok, err, sizeof err) != 0)
		auth_event(ac, AUTH_TROUBLE, err);
	auth_event(ac, AUTH_VALID, NULL);
	auth_schedule(ac);
}

/* GET /validate with "Authorization: OAuth <token>". */
static void
auth_validate(struct auth_acct *ac)
{
	struct http_req	 req;
	char		 url[1100], hdr[OAUTH_TOKEN_SIZE + 32], err[256];
	struct http_resp r;

	if (ac->busy != AUTH_IDLE)
		return;
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s/validate", ac->auth->oauth_url);
	snprintf(hdr, sizeof hdr, "Authorization: OAuth %s", ac->tok.access);
	req.url = url;
	req.headers[0] = hdr;
	ac->call = http_request(ac->auth->http, &req, auth_on_validate, ac,
	    err, sizeof err);
	explicit_bzero(hdr, sizeof hdr);
	if (ac->call == NULL) {
		memset(&r, 0, sizeof r);
		r.error = err;
		auth_trouble(ac, "validating the token", &r);
		return;
	}
	ac->busy = AUTH_VALIDATING;
	ac->auth->requests++;
}

static void
auth_on_refresh(void *arg, const struct http_resp *r)
{
	struct auth_acct	*ac = arg;
	struct oauth_token	 t;
	char			 err[256], msg[128];
	enum oauth_error	 code;

	ac->call = NULL;
	ac->busy = AUTH_IDLE;
	if (r->status == 400 || r->status == 401) {
		code = oauth_parse_error(r->body, r->body_len, msg,
		    sizeof msg);
		oauth_redact(msg, ac->tok.refresh);
		oauth_redact(msg, ac->tok.access);
		snprintf(err, sizeof err, "Twitch refused to refresh the "
		    "token (%s)", *msg != '\0' ? msg : code ==
		    OAUTH_ERR_INVALID ? "invalid refresh token" :
		    "no reason given");
		auth_dead(ac, err);
		return;
	}
	if (r->status != 200) {
		auth_trouble(ac, "refreshing the token", r);
		return;
	}
	if (oauth_parse_token(r->body, r->body_len, &t, err,
	    sizeof err) != 0) {
		auth_trouble(ac, err, r);
		return;
	}
	ac->failures = 0;
	ac->refreshed_ms = uv_now(ac->auth->loop);
	memcpy(ac->tok.access, t.access, sizeof t.access);
	/* Twitch sends a new refresh token with every refresh (the old one
	 * is spent); keep the old only if none came. */
	if (t.refresh[0] != '\0')
		memcpy(ac->tok.refresh, t.refresh, sizeof t.refresh);
	if (t.scopes[0] != '\0')
		memcpy(ac->tok.scopes, t.scopes, sizeof t.scopes);
	ac->tok.validated_at = (int64_t)time(NULL);
	ac->tok.expires_at = t.expires_in > 0 ? ac->tok.validated_at +
	    (int64_t)t.expires_in : 0;
	oauth_token_clear(&t);
	if (auth_store_save(ac->auth->dir, &ac->tok, err, sizeof err) != 0)
		auth_event(ac, AUTH_TROUBLE, err);
	auth_event(ac, AUTH_REFRESHED, NULL);
	auth_finish(ac, ac->tok.access);
	auth_schedule(ac);
}

/*
 * POST /token grant_type=refresh_token. Another stitch (the UI and a
 * tail, say) may have refreshed first and spent the refresh token we hold:
 * the store is looked at before asking.
 */
static void
auth_refresh(struct auth_acct *ac)
{
	struct auth_token	 st;
	struct http_req		 req;
	struct http_resp	 r;
	char			 url[1100], body[1024], err[256];

	if (ac->busy == AUTH_REFRESHING)
		return;
	/* A 401 that was on its way while we refreshed: the token it was
	 * refused is already replaced, and asking again would spend the
	 * new refresh token for nothing. */
	if (ac->nwaiters > 0 && ac->refreshed_ms != 0 &&
	    uv_now(ac->auth->loop) - ac->refreshed_ms < AUTH_FRESH_MS) {
		auth_finish(ac, ac->tok.access);
		return;
	}
	if (ac->busy == AUTH_VALIDATING) {
		http_cancel(ac->call);
		ac->call = NULL;
		ac->busy = AUTH_IDLE;
	}
	if (auth_store_load(ac->auth->dir, ac->tok.login, &st, err,
	    sizeof err) == 0 && strcmp(st.access, ac->tok.access) != 0) {
		ac->tok = st;
		auth_token_clear(&st);
		ac->failures = 0;
		auth_event(ac, AUTH_REFRESHED, NULL);
		auth_finish(ac, ac->tok.access);
		auth_schedule(ac);
		return;
	}
	auth_token_clear(&st);
	if (ac->tok.refresh[0] == '\0') {
		auth_dead(ac, "the token cannot be refreshed (no refresh "
		    "token)");
		return;
	}
	if (ac->auth->client_id[0] == '\0') {
		auth_dead(ac, "no client id to refresh the token with (set "
		    "client_id or TWITCH_CLIENT_ID)");
		return;
	}
	body[0] = '\0';
	if (oauth_form_add(body, sizeof body, "grant_type",
	    "refresh_token") != 0 || oauth_form_add(body, sizeof body,
	    "refresh_token", ac->tok.refresh) != 0 || oauth_form_add(body,
	    sizeof body, "client_id", ac->auth->client_id) != 0) {
		explicit_bzero(body, sizeof body);
		auth_dead(ac, "the refresh request does not fit");
		return;
	}
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s/token", ac->auth->oauth_url);
	req.method = "POST";
	req.url = url;
	req.headers[0] = "Content-Type: application/x-www-form-urlencoded";
	req.body = body;
	req.body_len = strlen(body);
	ac->call = http_request(ac->auth->http, &req, auth_on_refresh, ac,
	    err, sizeof err);
	explicit_bzero(body, sizeof body);
	if (ac->call == NULL) {
		memset(&r, 0, sizeof r);
		r.error = err;
		auth_trouble(ac, "refreshing the token", &r);
		return;
	}
	ac->busy = AUTH_REFRESHING;
	ac->auth->requests++;
}

static void
auth_on_timer(uv_timer_t *h)
{
	struct auth_acct	*ac = h->data;

	if (ac->auth == NULL)
		return;
	if (auth_due_refresh(&ac->tok, (int64_t)time(NULL)))
		auth_refresh(ac);
	else
		auth_validate(ac);
}

int
auth_watch(struct auth *a, const char *login, char *err, size_t errsz)
{
	struct auth_acct	*ac = auth_get(a, login, err, errsz);

	if (ac == NULL)
		return -1;
	ac->watched = 1;
	auth_validate(ac);
	return 0;
}

size_t
auth_watch_all(struct auth *a)
{
	char		 logins[AUTH_MAX_ACCOUNTS][AUTH_LOGIN_SIZE], err[512];
	size_t		 n, i, watched = 0;

	n = auth_store_list(a->dir, logins, AUTH_MAX_ACCOUNTS);
	for (i = 0; i < n; i++) {
		if (auth_watch(a, logins[i], err, sizeof err) == 0)
			watched++;
		else if (a->cb != NULL)
			a->cb(a->arg, logins[i], AUTH_REVOKED, err);
	}
	return watched;
}

void
auth_refresher(void *arg, const char *login,
    void (*done)(void *ctx, const char *new_token), void *ctx)
{
	struct auth		*a = arg;
	struct auth_acct	*ac;
	struct auth_waiter	*w;
	char			 err[256];

	if (login == NULL || (ac = auth_get(a, login, err,
	    sizeof err)) == NULL) {
		done(ctx, NULL);
		return;
	}
	w = realloc(ac->waiters, (ac->nwaiters + 1) * sizeof *w);
	if (w == NULL)
		abort();
	ac->waiters = w;
	w[ac->nwaiters].done = done;
	w[ac->nwaiters++].ctx = ctx;
	auth_refresh(ac);
}

const char *
auth_access_token(struct auth *a, const char *login)
{
	struct auth_acct	*ac = auth_find(a, login);

	return ac != NULL ? ac->tok.access : NULL;
}

unsigned
auth_requests(const struct auth *a)
{
	return a->requests;
}

size_t
auth_busy(const struct auth *a)
{
	size_t	i, n = 0;

	for (i = 0; a != NULL && i < a->naccts; i++)
		if (a->accts[i]->busy == AUTH_REFRESHING)
			n++;
	return n;
}

struct auth *
auth_for_stored(struct uv_loop_s *loop, struct http *http,
    const char *oauth_url, const char *client_id, const char *login,
    auth_event_cb cb, void *arg)
{
	struct auth_opts	 ao;
	struct auth		*a;
	const char		*env = getenv("STITCH_TOKEN");
	char			 err[256];

	if ((env != NULL && env[0] != '\0') || login == NULL)
		return NULL;
	memset(&ao, 0, sizeof ao);
	ao.oauth_url = oauth_url;
	ao.client_id = client_id;
	if ((a = auth_new(loop, http, &ao, cb, arg, err, sizeof err)) == NULL)
		return NULL;
	if (auth_watch(a, login, err, sizeof err) != 0) {
		auth_free(a);
		return NULL;
	}
	return a;
}
