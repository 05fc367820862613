/*
 * oauth.c: fake-twitch's id.twitch.tv under /oauth2, in Twitch's shapes
 * (errors are {"status":N,"message":"..."}, not RFC 6749's "error"):
 *
 *   POST /oauth2/device     client_id, scopes (space-separated; form body
 *                           or query) -> 200 {device_code, expires_in,
 *                           interval, user_code, verification_uri}
 *   POST /oauth2/token      grant_type=urn:ietf:params:oauth:grant-type:
 *                           device_code, client_id, device_code:
 *                           400 "authorization_pending" until approved
 *                           (admin "approve USER_CODE LOGIN", or by
 *                           itself after --device-auto-approve N polls),
 *                           "slow_down" when polled sooner than interval
 *                           after the last poll, "expired_token" past
 *                           expires_in (or after admin "expire
 *                           USER_CODE"), "access_denied" after admin
 *                           "deny", "invalid device code" for unknown or
 *                           used codes; then 200 {access_token,
 *                           expires_in, refresh_token, scope[],
 *                           token_type:"bearer"}
 *                           grant_type=refresh_token, client_id,
 *                           refresh_token: a new pair; the old access
 *                           token stops working and the old refresh
 *                           token is spent (public clients' are
 *                           single-use); 400 "Invalid refresh token"
 *   GET  /oauth2/validate   Authorization: OAuth TOKEN (Bearer accepted,
 *                           as Twitch does) -> {client_id, login, scopes,
 *                           user_id, expires_in}; 401 "invalid access
 *                           token", or "missing authorization token"
 *   POST /oauth2/revoke     client_id, token -> 200, empty body; 400
 *                           "Invalid token"; 404 "client does not
 *                           exist" when the client id is not the
 *                           token's
 *
 * Tokens issued here log in to chat as well (seed.c hooks chatworld).
 * Lifetimes: --token-lifetime S (14400), --device-interval S (5),
 * --device-expires S (1800).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "route.h"
#include "seed.h"

#define OAUTH_DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* An argument from the form body, else from the query string. */
static int
oauth_arg(const struct fake_http_req *req, const char *name, char *buf,
    size_t bufsz)
{
	if (route_arg(req->body, name, 0, buf, bufsz) >= 0)
		return 0;
	return route_arg(req->query, name, 0, buf, bufsz) >= 0 ? 0 : -1;
}

/* "a b" into " a b " with single spaces; -1 if a scope is odd. */
static int
oauth_scopes(const char *in, char *out, size_t outsz)
{
	size_t	 n = 1;
	char	 ch;

	snprintf(out, outsz, " ");
	for (; *in != '\0' && n + 2 < outsz; in++) {
		ch = *in;
		if (ch == ' ' || ch == '+') {
			if (out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == ':' || ch == '_'))
			return -1;
		out[n++] = ch;
	}
	if (*in != '\0')
		return -1;
	if (out[n - 1] != ' ')
		out[n++] = ' ';
	out[n] = '\0';
	return 0;
}

/* scope " a b " as a JSON array. */
static cJSON *
oauth_scope_array(const char *scopes)
{
	cJSON	*a = cJSON_CreateArray();
	char	 buf[1024], *p, *sp;

	snprintf(buf, sizeof buf, "%s", scopes);
	for (p = buf; *p != '\0'; p = sp + 1) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if ((sp = strchr(p, ' ')) != NULL)
			*sp = '\0';
		cJSON_AddItemToArray(a, cJSON_CreateString(p));
		if (sp == NULL)
			break;
	}
	return a;
}

static void
oauth_device(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	struct seed_device	*d;
	char			 cid[64], raw[1024], scopes[1024], uri[160];
	cJSON			*o;

	if (oauth_arg(req, "client_id", cid, sizeof cid) != 0 ||
	    cid[0] == '\0') {
		route_oauth_error(resp, 400, "missing client_id");
		return;
	}
	if (oauth_arg(req, "scopes", raw, sizeof raw) != 0 &&
	    oauth_arg(req, "scope", raw, sizeof raw) != 0)
		raw[0] = '\0';
	if (oauth_scopes(raw, scopes, sizeof scopes) != 0) {
		route_oauth_error(resp, 400, "invalid scope requested");
		return;
	}
	d = seed_device_new(w, cid, scopes, req->now_ms);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "device_code", d->device_code);
	cJSON_AddNumberToObject(o, "expires_in", w->opts.device_expires_s);
	cJSON_AddNumberToObject(o, "interval", w->opts.device_interval_s);
	cJSON_AddStringToObject(o, "user_code", d->user_code);
	snprintf(uri, sizeof uri, "https://www.twitch.tv/activate?public=true"
	    "&device-code=%s", d->user_code);
	cJSON_AddStringToObject(o, "verification_uri", uri);
	route_json(resp, 200, o);
}

static void
oauth_token_reply(struct fake_world *w, struct fake_http_resp *resp,
    const struct seed_token *t)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "access_token", t->access);
	cJSON_AddNumberToObject(o, "expires_in", w->opts.token_lifetime_s);
	cJSON_AddStringToObject(o, "refresh_token", t->refresh);
	cJSON_AddItemToObject(o, "scope", oauth_scope_array(t->scopes));
	cJSON_AddStringToObject(o, "token_type", "bearer");
	route_json(resp, 200, o);
}

static void
oauth_poll(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp, const char *cid)
{
	struct seed_device	*d;
	struct seed_token	*t;
	char			 code[64];
	uint64_t		 last;

	if (oauth_arg(req, "device_code", code, sizeof code) != 0 ||
	    (d = seed_device_by_code(w, code)) == NULL ||
	    strcmp(d->client_id, cid) != 0 || d->state == SEED_DEVICE_USED) {
		route_oauth_error(resp, 400, "invalid device code");
		return;
	}
	if (req->now_ms >= d->expires_ms) {
		route_oauth_error(resp, 400, "expired_token");
		return;
	}
	if (d->state == SEED_DEVICE_DENIED) {
		route_oauth_error(resp, 400, "access_denied");
		return;
	}
	last = d->last_poll_ms;
	d->last_poll_ms = req->now_ms;
	if (last != 0 && req->now_ms - last <
	    (uint64_t)w->opts.device_interval_s * 1000) {
		route_oauth_error(resp, 400, "slow_down");
		return;
	}
	d->polls++;
	if (d->state == SEED_DEVICE_PENDING && w->opts.device_auto > 0 &&
	    d->polls >= w->opts.device_auto)
		d->state = SEED_DEVICE_APPROVED;
	if (d->state != SEED_DEVICE_APPROVED) {
		route_oauth_error(resp, 400, "authorization_pending");
		return;
	}
	d->state = SEED_DEVICE_USED;
	t = seed_token_issue(w, d->client_id, d->user, d->scopes, req->now_ms);
	fprintf(stderr, "fake-twitch: oauth: device code approved, token "
	    "issued to %s\n", w->users[t->user].login);
	oauth_token_reply(w, resp, t);
}

static void
oauth_refresh(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp, const char *cid)
{
	struct seed_token	*old, *t;
	char			 rt[80], scopes[1024];
	size_t			 user;

	if (oauth_arg(req, "refresh_token", rt, sizeof rt) != 0 ||
	    (old = seed_token_by_refresh(w, rt)) == NULL ||
	    strcmp(old->client_id, cid) != 0) {
		route_oauth_error(resp, 400, "Invalid refresh token");
		return;
	}
	/* Spend the old pair before the array may move under it. */
	old->revoked = 1;
	old->refresh[0] = '\0';
	user = old->user;
	snprintf(scopes, sizeof scopes, "%s", old->scopes);
	t = seed_token_issue(w, cid, user, scopes, req->now_ms);
	oauth_token_reply(w, resp, t);
}

static void
oauth_token(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	char	grant[80], cid[64];

	if (oauth_arg(req, "client_id", cid, sizeof cid) != 0 ||
	    cid[0] == '\0') {
		route_oauth_error(resp, 400, "missing client_id");
		return;
	}
	if (oauth_arg(req, "grant_type", grant, sizeof grant) != 0) {
		route_oauth_error(resp, 400, "missing grant_type");
		return;
	}
	if (strcmp(grant, OAUTH_DEVICE_GRANT) == 0)
		oauth_poll(w, req, resp, cid);
	else if (strcmp(grant, "refresh_token") == 0)
		oauth_refresh(w, req, resp, cid);
	else
		route_oauth_error(resp, 400, "unsupported grant type");
}

static void
oauth_validate(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	const char		*a = req->authorization;
	struct seed_token	*t = NULL;
	cJSON			*o;

	if (a == NULL || *a == '\0') {
		route_oauth_error(resp, 401, "missing authorization token");
		return;
	}
	if (strncasecmp(a, "OAuth ", 6) == 0)
		t = seed_token_find(w, a + 6);
	else if (strncasecmp(a, "Bearer ", 7) == 0)
		t = seed_token_find(w, a + 7);
	if (!seed_token_valid(t, req->now_ms)) {
		route_oauth_error(resp, 401, "invalid access token");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "client_id", t->client_id);
	cJSON_AddStringToObject(o, "login", w->users[t->user].login);
	cJSON_AddItemToObject(o, "scopes", oauth_scope_array(t->scopes));
	cJSON_AddStringToObject(o, "user_id", w->users[t->user].id);
	/* A seed token that never expires says what a fresh one would. */
	cJSON_AddNumberToObject(o, "expires_in", t->expires_ms == 0 ?
	    (double)w->opts.token_lifetime_s :
	    (double)((t->expires_ms - req->now_ms) / 1000));
	route_json(resp, 200, o);
}

static void
oauth_revoke(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	struct seed_token	*t;
	char			 cid[64], tok[80];

	if (oauth_arg(req, "client_id", cid, sizeof cid) != 0 ||
	    cid[0] == '\0') {
		route_oauth_error(resp, 400, "missing client_id");
		return;
	}
	if (oauth_arg(req, "token", tok, sizeof tok) != 0 ||
	    (t = seed_token_find(w, tok)) == NULL) {
		route_oauth_error(resp, 400, "Invalid token");
		return;
	}
	if (strcmp(t->client_id, cid) != 0) {
		route_oauth_error(resp, 404, "client does not exist");
		return;
	}
	t->revoked = 1;
	t->refresh[0] = '\0';
	resp->status = 200;
	resp->content_type = "text/plain";
	resp->body = NULL;
	resp->body_len = 0;
}

int
oauth_approve(struct fake_world *w, const char *user_code, const char *login,
    char *msg, size_t msgsz)
{
	struct seed_device	*d;
	long			 u;

	if ((d = seed_device_by_user_code(w, user_code)) == NULL ||
	    d->state != SEED_DEVICE_PENDING) {
		snprintf(msg, msgsz, "no pending device code %s", user_code);
		return -1;
	}
	if ((u = seed_user_by_login(w, login)) < 0) {
		snprintf(msg, msgsz, "no seeded user %s", login);
		return -1;
	}
	d->user = (size_t)u;
	d->state = SEED_DEVICE_APPROVED;
	snprintf(msg, msgsz, "approved %s as %s", d->user_code, login);
	return 0;
}

int
oauth_deny(struct fake_world *w, const char *user_code, char *msg,
    size_t msgsz)
{
	struct seed_device	*d;

	if ((d = seed_device_by_user_code(w, user_code)) == NULL ||
	    d->state != SEED_DEVICE_PENDING) {
		snprintf(msg, msgsz, "no pending device code %s", user_code);
		return -1;
	}
	d->state = SEED_DEVICE_DENIED;
	snprintf(msg, msgsz, "denied %s", d->user_code);
	return 0;
}

static const struct {
	const char	*method;
	const char	*path;
	void		(*fn)(struct fake_world *, const struct fake_http_req *,
			    struct fake_http_resp *);
} oauth_routes[] = {
	{ "POST", "/oauth2/device", oauth_device },
	{ "POST", "/oauth2/token", oauth_token },
	{ "GET", "/oauth2/validate", oauth_validate },
	{ "POST", "/oauth2/revoke", oauth_revoke },
};

int
oauth_handle(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	size_t	i;

	for (i = 0; i < sizeof oauth_routes / sizeof oauth_routes[0]; i++) {
		if (strcmp(oauth_routes[i].path, req->path) != 0)
			continue;
		if (strcmp(oauth_routes[i].method, req->method) != 0) {
			route_oauth_error(resp, 405, "method not allowed");
			return 0;
		}
		oauth_routes[i].fn(w, req, resp);
		return 0;
	}
	return -1;
}
