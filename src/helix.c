/*
 * helix.c: the calls of helix.h on http.h: URLs under the base URL, the
 * account's headers, the cache for GETs, the one-at-a-time refresher on a
 * 401, and the paging iterator. The decoders are in helix-decode.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cache.h"
#include "helix.h"
#include "http.h"

/* Out of memory is fatal everywhere in stitch. */
static void __attribute__((noreturn))
helix_oom(void)
{
	fputs("stitch: out of memory\n", stderr);
	abort();
}

/* strdup() that never fails. */
static char *
helix_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		helix_oom();
	return p;
}

/*
 * Calls.
 */

enum helix_cstate {
	HELIX_C_HTTP,		/* on the wire (or in http's queue) */
	HELIX_C_REFRESH,	/* waiting for a new token */
	HELIX_C_CACHED,		/* a cache hit, handed over next loop turn */
	HELIX_C_ERROR,		/* failed before the wire, likewise */
};

#define HELIX_WHOAMI	0x1	/* sets the account from the reply */

struct helix_call {
	struct helix		*h;
	struct helix_call	*prev;
	struct helix_call	*next;
	enum helix_kind		 kind;
	enum helix_cstate	 state;
	char			*method;
	char			*url;
	char			*body;		/* JSON, or NULL */
	unsigned		 ttl;		/* 0: not cached */
	struct http_call	*hc;
	char			*cached;
	size_t			 cached_len;
	int			 refreshed;	/* retried with a new token */
	unsigned		 gen;		/* of the token it was sent with */
	int			 whoami;
	int			 in_cb;
	helix_cb		 cb;
	void			*arg;
};

struct helix {
	uv_loop_t		*loop;
	struct http		*http;
	struct cache		*cache;
	char			*base;
	char			*client_id;
	char			*token;
	char			*login;
	char			 user_id[64];

	unsigned		 token_gen;	/* bumped by each new token */
	int			 refresh_failed; /* for this token: ask no more */
	helix_refresh_cb	 refresher;
	void			*refresher_arg;
	int			 refreshing;
	int			 dying;
	int			 timer_open;

	struct helix_call	*calls;
	uv_timer_t		 soon;		/* hands cache hits over */
};

static void	helix_send(struct helix_call *);

/* Take c off the client's list of live calls. */
static void
helix_call_unlink(struct helix_call *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->h->calls = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
}

/* Cancel c's request if any and free it. */
static void
helix_call_free(struct helix_call *c)
{
	if (c->hc != NULL)
		http_cancel(c->hc);
	helix_call_unlink(c);
	free(c->method);
	free(c->url);
	free(c->body);
	free(c->cached);
	free(c);
}

/* Tell the caller and forget the call. */
static void
helix_finish(struct helix_call *c, const struct helix_result *r)
{
	c->in_cb = 1;
	c->cb(c->arg, r);
	helix_call_free(c);
}

/* Tell the caller c failed with msg, and forget it. */
static void
helix_fail(struct helix_call *c, long status, int auth, const char *msg)
{
	struct helix_result	r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.error = msg;
	r.auth = auth;
	helix_finish(c, &r);
}

/* A 2xx body: decode, remember who we are, cache, hand over. */
static void
helix_success(struct helix_call *c, long status, const char *body,
    size_t len, int cached)
{
	struct helix		*h = c->h;
	struct helix_result	 r;
	struct helix_page	 page;
	char			 err[256], key[CACHE_KEY_LEN + 1];

	if (helix_decode(c->kind, body, len, &page, err, sizeof err) != 0) {
		helix_fail(c, status, 0, err);
		return;
	}
	if (c->whoami && c->kind == HELIX_USERS) {
		if (page.n == 0) {
			helix_page_free(&page);
			helix_fail(c, status, 1, "Twitch does not say whose "
			    "the token is; run stitch login");
			return;
		}
		snprintf(h->user_id, sizeof h->user_id, "%s",
		    page.u.users[0].id);
		free(h->login);
		h->login = helix_strdup(page.u.users[0].login);
	}
	if (!cached && c->ttl > 0 && h->cache != NULL &&
	    h->user_id[0] != '\0') {
		cache_key(c->method, c->url, h->user_id, key);
		cache_set(h->cache, key, body, len, c->ttl);
	}
	memset(&r, 0, sizeof r);
	r.status = status;
	r.page = &page;
	r.cached = cached;
	helix_finish(c, &r);
	helix_page_free(&page);
}

static void	helix_on_refreshed(void *ctx, const char *token);

/* A reply (or no reply) came for c. */
static void
helix_on_http(void *arg, const struct http_resp *resp)
{
	struct helix_call	*c = arg;
	struct helix		*h = c->h;
	char			 err[512], msg[640];
	size_t			 n;

	c->hc = NULL;
	if (resp->error != NULL) {
		/* How hard we tried is part of the answer. */
		if (resp->attempts > 1)
			snprintf(msg, sizeof msg, "%s (%u tries)", resp->error,
			    resp->attempts);
		else
			snprintf(msg, sizeof msg, "%s", resp->error);
		helix_fail(c, 0, 0, msg);
		return;
	}
	if (resp->status >= 200 && resp->status < 300) {
		helix_success(c, resp->status, resp->body, resp->body_len, 0);
		return;
	}
	helix_error_text(c->kind, resp->status, resp->body, resp->body_len,
	    err, sizeof err);
	if ((resp->status >= 500 || resp->status == 429) &&
	    resp->attempts > 1 && (n = strlen(err)) < sizeof err)
		snprintf(err + n, sizeof err - n, " (%u tries)",
		    resp->attempts);
	/* An expired token, not a missing scope or a role: only then may a
	 * new token help. */
	if (resp->status == 401 && !c->refreshed && h->refresher != NULL &&
	    strncmp(err, "token expired", 13) == 0) {
		/* Sent before the token was last renewed: the new one is
		 * already here, no need to ask again. */
		if (c->gen != h->token_gen) {
			c->refreshed = 1;
			helix_send(c);
			return;
		}
		if (h->refresh_failed) {
			helix_fail(c, 401, 1, "token expired or revoked, and "
			    "it could not be refreshed: run stitch login");
			return;
		}
		c->state = HELIX_C_REFRESH;
		if (!h->refreshing) {
			h->refreshing = 1;
			h->refresher(h->refresher_arg, h->login != NULL ?
			    h->login : "", helix_on_refreshed, h);
		}
		return;
	}
	helix_fail(c, resp->status, resp->status == 401 ||
	    resp->status == 403, err);
}

/* Free h once it is dying and nothing can reach it any more. */
static void
helix_maybe_free(struct helix *h)
{
	if (h->dying && !h->refreshing && !h->timer_open) {
		free(h->base);
		free(h->client_id);
		if (h->token != NULL) {
			explicit_bzero(h->token, strlen(h->token));
			free(h->token);
		}
		free(h->login);
		free(h);
	}
}

/* The refresher answered: resend the calls that waited, or fail them. */
static void
helix_on_refreshed(void *ctx, const char *token)
{
	struct helix		*h = ctx;
	struct helix_call	*c;

	h->refreshing = 0;
	if (h->dying) {
		helix_maybe_free(h);
		return;
	}
	if (token != NULL && token[0] != '\0')
		helix_set_token(h, token);
	else
		h->refresh_failed = 1;
	/* Callbacks may cancel other calls: look again from the start. */
	for (;;) {
		for (c = h->calls; c != NULL; c = c->next)
			if (c->state == HELIX_C_REFRESH)
				break;
		if (c == NULL)
			break;
		if (token == NULL || token[0] == '\0')
			helix_fail(c, 401, 1, "token expired or revoked, and "
			    "it could not be refreshed: run stitch login");
		else {
			c->refreshed = 1;
			helix_send(c);
		}
	}
}

/* Next loop turn: hand over cache hits and early failures. */
static void
helix_on_soon(uv_timer_t *t)
{
	struct helix		*h = t->data;
	struct helix_call	*c;

	for (;;) {
		for (c = h->calls; c != NULL; c = c->next)
			if (c->state == HELIX_C_CACHED ||
			    c->state == HELIX_C_ERROR)
				break;
		if (c == NULL)
			break;
		if (c->state == HELIX_C_ERROR)
			helix_fail(c, 0, 0, c->cached);
		else
			helix_success(c, 200, c->cached, c->cached_len, 1);
	}
}

/* Serve c from the cache, or put it on the wire with the headers. */
static void
helix_send(struct helix_call *c)
{
	struct helix	*h = c->h;
	struct http_req	 req;
	char		 key[CACHE_KEY_LEN + 1], err[256];
	char		 auth[1024], cid[256];

	/* Without the acting user's id a key could serve another account. */
	if (c->ttl > 0 && h->cache != NULL && !c->refreshed &&
	    h->user_id[0] != '\0') {
		cache_key(c->method, c->url, h->user_id, key);
		if (cache_get(h->cache, key, &c->cached, &c->cached_len) ==
		    1) {
			c->state = HELIX_C_CACHED;
			uv_timer_start(&h->soon, helix_on_soon, 0, 0);
			return;
		}
	}
	c->state = HELIX_C_HTTP;
	c->gen = h->token_gen;
	memset(&req, 0, sizeof req);
	req.method = c->method;
	req.url = c->url;
	snprintf(cid, sizeof cid, "Client-Id: %s", h->client_id);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s",
	    h->token != NULL ? h->token : "");
	req.headers[0] = cid;
	req.headers[1] = auth;
	if (c->body != NULL) {
		req.headers[2] = "Content-Type: application/json";
		req.body = c->body;
		req.body_len = strlen(c->body);
	}
	c->hc = http_request(h->http, &req, helix_on_http, c, err,
	    sizeof err);
	explicit_bzero(auth, sizeof auth);
	if (c->hc == NULL) {
		/* Told from the loop, like any other failure, never from
		 * inside the call that started it. */
		c->state = HELIX_C_ERROR;
		free(c->cached);
		c->cached = helix_strdup(err);
		uv_timer_start(&h->soon, helix_on_soon, 0, 0);
	}
}

/* A call to path (with its query, already escaped) under the base URL. */
static struct helix_call *
helix_call(struct helix *h, const char *method, enum helix_kind kind,
    const char *path, char *body, int flags, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	struct buf		 url;

	if ((c = calloc(1, sizeof *c)) == NULL)
		helix_oom();
	c->h = h;
	c->kind = kind;
	c->method = helix_strdup(method);
	buf_init(&url, 16384);
	if (buf_adds(&url, h->base) != 0 || buf_adds(&url, path) != 0)
		buf_truncate(&url, 0);
	c->url = buf_take(&url);
	c->body = body;
	c->whoami = (flags & HELIX_WHOAMI) != 0;
	/* Who a token belongs to is never cached: the key cannot hold the
	 * token, and without it one account's answer would serve another. */
	c->ttl = strcmp(method, "GET") == 0 && !c->whoami ? helix_ttl(kind) :
	    0;
	c->cb = cb;
	c->arg = arg;
	c->next = h->calls;
	if (h->calls != NULL)
		h->calls->prev = c;
	h->calls = c;
	helix_send(c);
	return c;
}

struct helix *
helix_new(uv_loop_t *loop, struct http *http, const struct helix_opts *o,
    char *err, size_t errsz)
{
	struct helix	*h;
	const char	*base = o->base_url != NULL ? o->base_url :
			    HELIX_DEFAULT_URL;
	size_t		 len;

	if (o->client_id == NULL || o->client_id[0] == '\0') {
		snprintf(err, errsz, "no client id: set client_id in the "
		    "config or TWITCH_CLIENT_ID");
		return NULL;
	}
	if (strncmp(base, "https://", 8) != 0 &&
	    strncmp(base, "http://", 7) != 0) {
		snprintf(err, errsz, "helix URL: not http:// or https://");
		return NULL;
	}
	if ((h = calloc(1, sizeof *h)) == NULL)
		helix_oom();
	h->loop = loop;
	h->http = http;
	h->cache = o->cache;
	h->base = helix_strdup(base);
	len = strlen(h->base);
	while (len > 0 && h->base[len - 1] == '/')
		h->base[--len] = '\0';
	h->client_id = helix_strdup(o->client_id);
	if (o->token != NULL)
		h->token = helix_strdup(o->token);
	if (o->login != NULL)
		h->login = helix_strdup(o->login);
	if (o->user_id != NULL)
		snprintf(h->user_id, sizeof h->user_id, "%s", o->user_id);
	uv_timer_init(loop, &h->soon);
	h->soon.data = h;
	h->timer_open = 1;
	return h;
}

/* The timer is closed: h may be freed now. */
static void
helix_timer_closed(uv_handle_t *t)
{
	struct helix	*h = t->data;

	h->timer_open = 0;
	helix_maybe_free(h);
}

void
helix_free(struct helix *h)
{
	if (h == NULL)
		return;
	while (h->calls != NULL)
		helix_call_free(h->calls);
	h->dying = 1;
	uv_close((uv_handle_t *)&h->soon, helix_timer_closed);
}

void
helix_set_refresher(struct helix *h, helix_refresh_cb cb, void *arg)
{
	h->refresher = cb;
	h->refresher_arg = arg;
}

const char *
helix_user_id(const struct helix *h)
{
	return h->user_id;
}

const char *
helix_login(const struct helix *h)
{
	return h->login != NULL ? h->login : "";
}

void
helix_set_token(struct helix *h, const char *token)
{
	if (h->token != NULL) {
		explicit_bzero(h->token, strlen(h->token));
		free(h->token);
	}
	h->token = helix_strdup(token);
	h->token_gen++;
	h->refresh_failed = 0;
}

void
helix_cancel(struct helix_call *c)
{
	if (c != NULL && !c->in_cb)
		helix_call_free(c);
}

/*
 * Typed calls.
 */

/* path?name=v1&name=v2... for 1-100 values. */
static char *
helix_path_many(const char *path, const char *name,
    const char *const *values, size_t n)
{
	struct buf	b;
	char		esc[512];
	size_t		i;

	buf_init(&b, 128 * 1024);
	buf_adds(&b, path);
	for (i = 0; i < n && i < 100; i++) {
		if (http_escape(values[i], esc, sizeof esc) != 0)
			continue;
		buf_addf(&b, "%c%s=%s", i == 0 ? '?' : '&', name, esc);
	}
	return buf_take(&b);
}

struct helix_call *
helix_whoami(struct helix *h, helix_cb cb, void *arg)
{
	return helix_call(h, "GET", HELIX_USERS, "/users", NULL,
	    HELIX_WHOAMI, cb, arg);
}

/* GET path?name=v1&name=v2... */
static struct helix_call *
helix_get_many(struct helix *h, enum helix_kind kind, const char *path,
    const char *name, const char *const *values, size_t n, helix_cb cb,
    void *arg)
{
	struct helix_call	*c;
	char			*p;

	p = helix_path_many(path, name, values, n);
	c = helix_call(h, "GET", kind, p, NULL, 0, cb, arg);
	free(p);
	return c;
}

/* GET path?name=value. */
static struct helix_call *
helix_get_one(struct helix *h, enum helix_kind kind, const char *path,
    const char *name, const char *value, helix_cb cb, void *arg)
{
	return helix_get_many(h, kind, path, name, &value, 1, cb, arg);
}

struct helix_call *
helix_get_users(struct helix *h, const char *const *logins, size_t n,
    helix_cb cb, void *arg)
{
	return helix_get_many(h, HELIX_USERS, "/users", "login", logins, n,
	    cb, arg);
}

struct helix_call *
helix_get_users_by_id(struct helix *h, const char *const *ids, size_t n,
    helix_cb cb, void *arg)
{
	return helix_get_many(h, HELIX_USERS, "/users", "id", ids, n, cb,
	    arg);
}

struct helix_call *
helix_get_follow(struct helix *h, const char *broadcaster_id,
    const char *user_id, helix_cb cb, void *arg)
{
	char	b[128], u[128], path[512];

	if (http_escape(broadcaster_id, b, sizeof b) != 0)
		b[0] = '\0';
	if (http_escape(user_id, u, sizeof u) != 0)
		u[0] = '\0';
	snprintf(path, sizeof path, "/channels/followers?broadcaster_id=%s&"
	    "user_id=%s", b, u);
	return helix_call(h, "GET", HELIX_FOLLOWERS, path, NULL, 0, cb, arg);
}

struct helix_call *
helix_get_stream(struct helix *h, const char *login, helix_cb cb,
    void *arg)
{
	return helix_get_one(h, HELIX_STREAMS, "/streams", "user_login",
	    login, cb, arg);
}

struct helix_call *
helix_get_channel(struct helix *h, const char *broadcaster_id, helix_cb cb,
    void *arg)
{
	return helix_get_one(h, HELIX_CHANNELS, "/channels", "broadcaster_id",
	    broadcaster_id, cb, arg);
}

/* ?broadcaster_id=B&moderator_id=<the account>: what moderator calls
 * take. */
static char *
helix_path_mod(struct helix *h, const char *path, const char *bid)
{
	char	b[128], m[128], out[512];

	if (http_escape(bid, b, sizeof b) != 0)
		b[0] = '\0';
	if (http_escape(h->user_id, m, sizeof m) != 0)
		m[0] = '\0';
	snprintf(out, sizeof out, "%s?broadcaster_id=%s&moderator_id=%s",
	    path, b, m);
	return helix_strdup(out);
}

struct helix_call *
helix_get_chat_settings(struct helix *h, const char *broadcaster_id,
    helix_cb cb, void *arg)
{
	struct helix_call	*c;
	char			*p;

	p = helix_path_mod(h, "/chat/settings", broadcaster_id);
	c = helix_call(h, "GET", HELIX_CHAT_SETTINGS, p, NULL, 0, cb, arg);
	free(p);
	return c;
}

void
helix_settings_patch_init(struct helix_settings_patch *p)
{
	p->emote_mode = p->follower_mode = p->slow_mode = -1;
	p->subscriber_mode = p->unique_chat_mode = -1;
	p->follower_mode_duration = p->slow_mode_wait_time = -1;
}

/* The object as JSON text (the caller frees); the object is freed. */
static char *
helix_json_take(cJSON *o)
{
	char	*s;

	if ((s = cJSON_PrintUnformatted(o)) == NULL)
		helix_oom();
	cJSON_Delete(o);
	return s;
}

struct helix_call *
helix_patch_chat_settings(struct helix *h, const char *broadcaster_id,
    const struct helix_settings_patch *p, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	cJSON			*o;
	char			*path;

	if ((o = cJSON_CreateObject()) == NULL)
		helix_oom();
#define HELIX_BOOL(f) if (p->f >= 0) cJSON_AddBoolToObject(o, #f, p->f)
#define HELIX_NUM(f) if (p->f >= 0) cJSON_AddNumberToObject(o, #f, \
	(double)p->f)
	HELIX_BOOL(emote_mode);
	HELIX_BOOL(follower_mode);
	HELIX_BOOL(slow_mode);
	HELIX_BOOL(subscriber_mode);
	HELIX_BOOL(unique_chat_mode);
	HELIX_NUM(follower_mode_duration);
	HELIX_NUM(slow_mode_wait_time);
#undef HELIX_BOOL
#undef HELIX_NUM
	path = helix_path_mod(h, "/chat/settings", broadcaster_id);
	c = helix_call(h, "PATCH", HELIX_CHAT_SETTINGS, path,
	    helix_json_take(o), 0, cb, arg);
	free(path);
	return c;
}

struct helix_call *
helix_get_badges(struct helix *h, const char *broadcaster_id, helix_cb cb,
    void *arg)
{
	if (broadcaster_id == NULL)
		return helix_call(h, "GET", HELIX_BADGES, "/chat/badges/global",
		    NULL, 0, cb, arg);
	return helix_get_one(h, HELIX_BADGES, "/chat/badges",
	    "broadcaster_id", broadcaster_id, cb, arg);
}

struct helix_call *
helix_get_emotes(struct helix *h, const char *broadcaster_id, helix_cb cb,
    void *arg)
{
	if (broadcaster_id == NULL)
		return helix_call(h, "GET", HELIX_EMOTES, "/chat/emotes/global",
		    NULL, 0, cb, arg);
	return helix_get_one(h, HELIX_EMOTES, "/chat/emotes",
	    "broadcaster_id", broadcaster_id, cb, arg);
}

struct helix_call *
helix_ban(struct helix *h, const char *broadcaster_id, const char *user_id,
    unsigned seconds, const char *reason, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	cJSON			*o, *d;
	char			*path;

	if ((o = cJSON_CreateObject()) == NULL ||
	    (d = cJSON_AddObjectToObject(o, "data")) == NULL)
		helix_oom();
	cJSON_AddStringToObject(d, "user_id", user_id);
	if (seconds > 0)
		cJSON_AddNumberToObject(d, "duration", seconds);
	if (reason != NULL)
		cJSON_AddStringToObject(d, "reason", reason);
	path = helix_path_mod(h, "/moderation/bans", broadcaster_id);
	c = helix_call(h, "POST", HELIX_BANS, path, helix_json_take(o), 0,
	    cb, arg);
	free(path);
	return c;
}

/*
 * helix_path_mod's path with &key=value, value escaped in full whatever
 * its length: a call must never go out without the parameter it is for
 * (a DELETE on /moderation/chat without message_id clears the whole chat).
 */
static char *
helix_path_mod_param(struct helix *h, const char *path, const char *bid,
    const char *key, const char *value)
{
	struct buf	 b;
	char		*base, *esc;
	size_t		 sz = 3 * strlen(value) + 1;

	if ((esc = malloc(sz)) == NULL)
		helix_oom();
	if (http_escape(value, esc, sz) != 0)
		esc[0] = '\0';		/* cannot happen: 3 bytes a byte fit */
	base = helix_path_mod(h, path, bid);
	buf_init(&b, 4096);
	buf_addf(&b, "%s&%s=%s", base, key, esc);
	free(base);
	free(esc);
	return buf_take(&b);
}

struct helix_call *
helix_unban(struct helix *h, const char *broadcaster_id,
    const char *user_id, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	char			*path;

	path = helix_path_mod_param(h, "/moderation/bans", broadcaster_id,
	    "user_id", user_id);
	c = helix_call(h, "DELETE", HELIX_EMPTY, path, NULL, 0, cb, arg);
	free(path);
	return c;
}

struct helix_call *
helix_delete_message(struct helix *h, const char *broadcaster_id,
    const char *message_id, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	char			*path;

	path = message_id != NULL ? helix_path_mod_param(h,
	    "/moderation/chat", broadcaster_id, "message_id", message_id) :
	    helix_path_mod(h, "/moderation/chat", broadcaster_id);
	c = helix_call(h, "DELETE", HELIX_EMPTY, path, NULL, 0, cb, arg);
	free(path);
	return c;
}

struct helix_call *
helix_whisper(struct helix *h, const char *to_user_id, const char *text,
    helix_cb cb, void *arg)
{
	cJSON	*o;
	char	 path[512], from[128], to[128];

	if ((o = cJSON_CreateObject()) == NULL)
		helix_oom();
	cJSON_AddStringToObject(o, "message", text);
	if (http_escape(h->user_id, from, sizeof from) != 0)
		from[0] = '\0';
	if (http_escape(to_user_id, to, sizeof to) != 0)
		to[0] = '\0';
	snprintf(path, sizeof path, "/whispers?from_user_id=%s&to_user_id=%s",
	    from, to);
	return helix_call(h, "POST", HELIX_EMPTY, path, helix_json_take(o), 0,
	    cb, arg);
}

struct helix_call *
helix_get_colors(struct helix *h, const char *const *user_ids, size_t n,
    helix_cb cb, void *arg)
{
	return helix_get_many(h, HELIX_COLORS, "/chat/color", "user_id",
	    user_ids, n, cb, arg);
}

struct helix_call *
helix_set_color(struct helix *h, const char *color, helix_cb cb, void *arg)
{
	char	path[512], u[128], col[128];

	if (http_escape(h->user_id, u, sizeof u) != 0)
		u[0] = '\0';
	if (http_escape(color, col, sizeof col) != 0)
		col[0] = '\0';
	snprintf(path, sizeof path, "/chat/color?user_id=%s&color=%s", u,
	    col);
	return helix_call(h, "PUT", HELIX_EMPTY, path, NULL, 0, cb, arg);
}

/*
 * Paging.
 */

struct helix_iter {
	struct helix		*h;
	enum helix_kind		 kind;
	char			*id;
	size_t			 limit;
	size_t			 count;
	char			*cursor;
	int			 started;
	int			 over;
	struct helix_call	*call;
	helix_cb		 cb;
	void			*arg;
};

struct helix_iter *
helix_iter_new(struct helix *h, enum helix_kind kind, const char *id,
    size_t limit, helix_cb cb, void *arg)
{
	struct helix_iter	*it;

	if (kind != HELIX_CHATTERS && kind != HELIX_MODERATORS &&
	    kind != HELIX_VIPS && kind != HELIX_FOLLOWERS &&
	    kind != HELIX_FOLLOWED && kind != HELIX_VIDEOS)
		return NULL;
	if ((it = calloc(1, sizeof *it)) == NULL)
		helix_oom();
	it->h = h;
	it->kind = kind;
	it->id = helix_strdup(id);
	it->limit = limit;
	it->cb = cb;
	it->arg = arg;
	return it;
}

/* A page came: count it against the limit, keep its cursor, pass it on. */
static void
helix_iter_on_page(void *arg, const struct helix_result *r)
{
	struct helix_iter	*it = arg;
	struct helix_result	 mine = *r;
	struct helix_page	 page;
	size_t			 left;
	char			*prev = it->cursor;

	it->call = NULL;
	it->cursor = NULL;
	if (r->page == NULL) {
		free(prev);
		it->over = 1;
		it->cb(it->arg, r);
		return;
	}
	/* Never more than the limit, whatever the page holds. */
	page = *r->page;
	left = it->limit == 0 ? SIZE_MAX : it->limit - it->count;
	if (page.n > left)
		page.n = left;
	it->count += page.n;
	/* A server that hands back the cursor it was given would page for
	 * ever: that, or an empty page, ends the walk. */
	if (r->page->cursor != NULL && r->page->n > 0 && (prev == NULL ||
	    strcmp(prev, r->page->cursor) != 0))
		it->cursor = helix_strdup(r->page->cursor);
	else
		it->over = 1;
	free(prev);
	if (it->limit != 0 && it->count >= it->limit)
		it->over = 1;
	mine.page = &page;
	it->cb(it->arg, &mine);
}

/* Most items a page may hold. */
static size_t
helix_iter_max(enum helix_kind kind)
{
	return kind == HELIX_CHATTERS ? 1000 : 100;
}

int
helix_iter_next(struct helix_iter *it)
{
	struct helix	*h = it->h;
	struct buf	 b;
	char		 esc[1100], *path;
	size_t		 first = helix_iter_max(it->kind);

	if (it->over || it->call != NULL)
		return 1;
	if (it->limit != 0 && it->limit - it->count < first)
		first = it->limit - it->count;
	buf_init(&b, 8192);
	if (http_escape(it->id, esc, sizeof esc) != 0)
		esc[0] = '\0';
	switch (it->kind) {
	case HELIX_CHATTERS:
		buf_addf(&b, "/chat/chatters?broadcaster_id=%s", esc);
		if (http_escape(h->user_id, esc, sizeof esc) != 0)
			esc[0] = '\0';
		buf_addf(&b, "&moderator_id=%s", esc);
		break;
	case HELIX_MODERATORS:
		buf_addf(&b, "/moderation/moderators?broadcaster_id=%s", esc);
		break;
	case HELIX_VIPS:
		buf_addf(&b, "/channels/vips?broadcaster_id=%s", esc);
		break;
	case HELIX_FOLLOWERS:
		buf_addf(&b, "/channels/followers?broadcaster_id=%s", esc);
		break;
	case HELIX_VIDEOS:
		buf_addf(&b, "/videos?user_id=%s&type=archive", esc);
		break;
	default:
		buf_addf(&b, "/channels/followed?user_id=%s", esc);
		break;
	}
	buf_addf(&b, "&first=%zu", first);
	if (it->cursor != NULL && http_escape(it->cursor, esc,
	    sizeof esc) == 0)
		buf_addf(&b, "&after=%s", esc);
	it->started = 1;
	path = buf_take(&b);
	it->call = helix_call(h, "GET", it->kind, path, NULL, 0,
	    helix_iter_on_page, it);
	free(path);
	return 0;
}

size_t
helix_iter_count(const struct helix_iter *it)
{
	return it->count;
}

void
helix_iter_free(struct helix_iter *it)
{
	if (it == NULL)
		return;
	helix_cancel(it->call);
	free(it->id);
	free(it->cursor);
	free(it);
}
