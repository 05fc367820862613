/*
 * helix.c: Helix calls and the decoders of their replies (see helix.h).
 *
 * Decoding is table-driven: each kind has a shape, a list of fields (JSON
 * path, type, offset in the item struct), so one walk over "data" fills
 * any kind, and one walk over the same table frees it. Paths may go one
 * object down ("images.url_1x"); a shape may flatten a nested array
 * (badge sets -> one item per version, the set's fields copied in).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "cache.h"
#include "helix.h"
#include "http.h"
#include "text.h"

enum helix_ftype {
	HELIX_F_STR,
	HELIX_F_INT,
	HELIX_F_TIME,
	HELIX_F_BOOL,
};

struct helix_field {
	const char		*path;
	enum helix_ftype	 type;
	size_t			 off;
};

struct helix_shape {
	size_t				 size;
	const struct helix_field	*fields;
	const char			*nested;	/* array to flatten */
	const struct helix_field	*outer;		/* from the parent */
	unsigned			 ttl;		/* cache, s */
};

#define F(st, name, t)	{ #name, HELIX_F_##t, offsetof(struct st, name) }
#define FP(st, path, name, t) { path, HELIX_F_##t, offsetof(struct st, name) }
#define FEND		{ NULL, 0, 0 }

static const struct helix_field helix_user_fields[] = {
	F(helix_user, id, STR), F(helix_user, login, STR),
	F(helix_user, display_name, STR), F(helix_user, type, STR),
	F(helix_user, broadcaster_type, STR), F(helix_user, description, STR),
	F(helix_user, profile_image_url, STR),
	F(helix_user, created_at, TIME), FEND
};

static const struct helix_field helix_stream_fields[] = {
	F(helix_stream, id, STR), F(helix_stream, user_id, STR),
	F(helix_stream, user_login, STR), F(helix_stream, user_name, STR),
	F(helix_stream, game_id, STR), F(helix_stream, game_name, STR),
	F(helix_stream, type, STR), F(helix_stream, title, STR),
	F(helix_stream, language, STR), F(helix_stream, viewer_count, INT),
	F(helix_stream, started_at, TIME), F(helix_stream, is_mature, BOOL),
	FEND
};

static const struct helix_field helix_channel_fields[] = {
	F(helix_channel, broadcaster_id, STR),
	F(helix_channel, broadcaster_login, STR),
	F(helix_channel, broadcaster_name, STR),
	F(helix_channel, broadcaster_language, STR),
	F(helix_channel, game_id, STR), F(helix_channel, game_name, STR),
	F(helix_channel, title, STR), F(helix_channel, delay, INT), FEND
};

static const struct helix_field helix_chatter_fields[] = {
	F(helix_chatter, user_id, STR), F(helix_chatter, user_login, STR),
	F(helix_chatter, user_name, STR), FEND
};

static const struct helix_field helix_follower_fields[] = {
	F(helix_follow, user_id, STR), F(helix_follow, user_login, STR),
	F(helix_follow, user_name, STR), F(helix_follow, followed_at, TIME),
	FEND
};

static const struct helix_field helix_followed_fields[] = {
	FP(helix_follow, "broadcaster_id", user_id, STR),
	FP(helix_follow, "broadcaster_login", user_login, STR),
	FP(helix_follow, "broadcaster_name", user_name, STR),
	F(helix_follow, followed_at, TIME), FEND
};

static const struct helix_field helix_settings_fields[] = {
	F(helix_chat_settings, broadcaster_id, STR),
	F(helix_chat_settings, moderator_id, STR),
	F(helix_chat_settings, emote_mode, BOOL),
	F(helix_chat_settings, follower_mode, BOOL),
	F(helix_chat_settings, slow_mode, BOOL),
	F(helix_chat_settings, subscriber_mode, BOOL),
	F(helix_chat_settings, unique_chat_mode, BOOL),
	F(helix_chat_settings, non_moderator_chat_delay, BOOL),
	F(helix_chat_settings, follower_mode_duration, INT),
	F(helix_chat_settings, slow_mode_wait_time, INT),
	F(helix_chat_settings, non_moderator_chat_delay_duration, INT), FEND
};

static const struct helix_field helix_badge_outer[] = {
	F(helix_badge, set_id, STR), FEND
};

static const struct helix_field helix_badge_fields[] = {
	F(helix_badge, id, STR), F(helix_badge, title, STR),
	F(helix_badge, description, STR), F(helix_badge, image_url_1x, STR),
	F(helix_badge, image_url_2x, STR), F(helix_badge, image_url_4x, STR),
	FEND
};

static const struct helix_field helix_emote_fields[] = {
	F(helix_emote, id, STR), F(helix_emote, name, STR),
	FP(helix_emote, "images.url_1x", url_1x, STR),
	FP(helix_emote, "images.url_2x", url_2x, STR),
	FP(helix_emote, "images.url_4x", url_4x, STR),
	F(helix_emote, emote_type, STR), F(helix_emote, emote_set_id, STR),
	F(helix_emote, tier, STR), F(helix_emote, owner_id, STR), FEND
};

static const struct helix_field helix_ban_fields[] = {
	F(helix_ban, broadcaster_id, STR), F(helix_ban, moderator_id, STR),
	F(helix_ban, user_id, STR), F(helix_ban, created_at, TIME),
	F(helix_ban, end_time, TIME), FEND
};

static const struct helix_field helix_color_fields[] = {
	F(helix_color, user_id, STR), F(helix_color, user_login, STR),
	F(helix_color, user_name, STR), F(helix_color, color, STR), FEND
};

static const struct helix_field helix_no_fields[] = { FEND };

#undef F
#undef FP
#undef FEND

/* Lifetimes: who a user is changes rarely, who is in chat often. */
static const struct helix_shape helix_shapes[HELIX_NKINDS] = {
	[HELIX_USERS] = { sizeof(struct helix_user), helix_user_fields,
	    NULL, NULL, 86400 },
	[HELIX_STREAMS] = { sizeof(struct helix_stream), helix_stream_fields,
	    NULL, NULL, 60 },
	[HELIX_CHANNELS] = { sizeof(struct helix_channel),
	    helix_channel_fields, NULL, NULL, 300 },
	[HELIX_CHATTERS] = { sizeof(struct helix_chatter),
	    helix_chatter_fields, NULL, NULL, 30 },
	[HELIX_MODERATORS] = { sizeof(struct helix_chatter),
	    helix_chatter_fields, NULL, NULL, 300 },
	[HELIX_VIPS] = { sizeof(struct helix_chatter), helix_chatter_fields,
	    NULL, NULL, 300 },
	[HELIX_FOLLOWERS] = { sizeof(struct helix_follow),
	    helix_follower_fields, NULL, NULL, 300 },
	[HELIX_FOLLOWED] = { sizeof(struct helix_follow),
	    helix_followed_fields, NULL, NULL, 300 },
	[HELIX_CHAT_SETTINGS] = { sizeof(struct helix_chat_settings),
	    helix_settings_fields, NULL, NULL, 30 },
	[HELIX_BADGES] = { sizeof(struct helix_badge), helix_badge_fields,
	    "versions", helix_badge_outer, 3600 },
	[HELIX_EMOTES] = { sizeof(struct helix_emote), helix_emote_fields,
	    NULL, NULL, 3600 },
	[HELIX_BANS] = { sizeof(struct helix_ban), helix_ban_fields,
	    NULL, NULL, 0 },
	[HELIX_COLORS] = { sizeof(struct helix_color), helix_color_fields,
	    NULL, NULL, 300 },
	[HELIX_EMPTY] = { 0, helix_no_fields, NULL, NULL, 0 },
};

/* The longest string kept from a reply; Twitch's longest (descriptions,
 * titles) are a few hundred bytes. */
#define HELIX_MAX_STR	4096

static void
helix_oom(void)
{
	fputs("stitch: out of memory\n", stderr);
	abort();
}

static char *
helix_strndup(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		helix_oom();
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static char *
helix_strdup(const char *s)
{
	return helix_strndup(s, strlen(s));
}

unsigned
helix_ttl(enum helix_kind kind)
{
	return (unsigned)kind < HELIX_NKINDS ? helix_shapes[kind].ttl : 0;
}

/*
 * Decoders.
 */

static int
helix_digits(const char *s, int n, int *out)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
helix_parse_time(const char *s, int64_t *out)
{
	struct tm	tm;
	int		y, mo, d, h, mi, sec;
	time_t		t;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (helix_digits(s, 4, &y) || helix_digits(s + 5, 2, &mo) ||
	    helix_digits(s + 8, 2, &d) || helix_digits(s + 11, 2, &h) ||
	    helix_digits(s + 14, 2, &mi) || helix_digits(s + 17, 2, &sec))
		return -1;
	s += 19;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (strcmp(s, "Z") != 0)
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* obj's value at path ("a" or "a.b"), or NULL. */
static const cJSON *
helix_lookup(const cJSON *obj, const char *path)
{
	const char	*dot = strchr(path, '.');
	char		 head[64];

	if (dot == NULL)
		return cJSON_GetObjectItemCaseSensitive(obj, path);
	if ((size_t)(dot - path) >= sizeof head)
		return NULL;
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	obj = cJSON_GetObjectItemCaseSensitive(obj, head);
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, dot + 1);
}

/* A JSON number that is a whole number an int64 holds exactly, or -1.
 * Twitch sends counts as numbers; a few ids-as-numbers are not used. */
static int64_t
helix_int(const cJSON *v)
{
	double	d;

	if (cJSON_IsString(v) && v->valuestring != NULL) {
		/* Some replies quote numbers; accept plain digits. */
		const char	*s = v->valuestring;
		int64_t		 n = 0;

		if (*s == '\0' || strlen(s) > 15)
			return -1;
		for (; *s != '\0'; s++) {
			if (*s < '0' || *s > '9')
				return -1;
			n = n * 10 + (*s - '0');
		}
		return n;
	}
	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	/* 2^53: past it a double no longer counts in ones. */
	if (!isfinite(d) || d < 0 || d > 9007199254740992.0 || d != floor(d))
		return -1;
	return (int64_t)d;
}

static void
helix_fill(void *item, const struct helix_field *f, const cJSON *obj)
{
	const cJSON	*v;
	char		*p;
	const char	*s;
	int64_t		 t;
	size_t		 len;

	for (; f->path != NULL; f++) {
		p = (char *)item + f->off;
		v = helix_lookup(obj, f->path);
		switch (f->type) {
		case HELIX_F_STR:
			s = cJSON_IsString(v) && v->valuestring != NULL ?
			    v->valuestring : "";
			len = strlen(s);
			if (len > HELIX_MAX_STR) {
				len = HELIX_MAX_STR;
				/* Cut on a character boundary. */
				while (len > 0 &&
				    ((unsigned char)s[len] & 0xc0) == 0x80)
					len--;
			}
			*(char **)p = helix_strndup(s, len);
			break;
		case HELIX_F_INT:
			*(int64_t *)p = helix_int(v);
			break;
		case HELIX_F_TIME:
			if (!cJSON_IsString(v) || v->valuestring == NULL ||
			    helix_parse_time(v->valuestring, &t) != 0)
				t = -1;
			*(int64_t *)p = t;
			break;
		case HELIX_F_BOOL:
			*(int *)p = cJSON_IsTrue(v) ? 1 : 0;
			break;
		}
	}
}

static void
helix_unfill(void *item, const struct helix_field *f)
{
	for (; f != NULL && f->path != NULL; f++)
		if (f->type == HELIX_F_STR)
			free(*(char **)((char *)item + f->off));
}

void
helix_page_free(struct helix_page *page)
{
	const struct helix_shape	*sh;
	size_t				 i;

	if (page == NULL)
		return;
	if ((unsigned)page->kind < HELIX_NKINDS && page->u.v != NULL) {
		sh = &helix_shapes[page->kind];
		for (i = 0; i < page->n; i++) {
			helix_unfill((char *)page->u.v + i * sh->size,
			    sh->fields);
			helix_unfill((char *)page->u.v + i * sh->size,
			    sh->outer);
		}
	}
	free(page->u.v);
	free(page->cursor);
	memset(page, 0, sizeof *page);
	page->total = -1;
}

/* Room for one more item; the array grows by doubling. */
static void *
helix_push(struct helix_page *page, const struct helix_shape *sh,
    size_t *alloc)
{
	void	*p;

	if (page->n == *alloc) {
		*alloc = *alloc == 0 ? 16 : *alloc * 2;
		if ((p = realloc(page->u.v, *alloc * sh->size)) == NULL)
			helix_oom();
		page->u.v = p;
	}
	p = (char *)page->u.v + page->n++ * sh->size;
	memset(p, 0, sh->size);
	return p;
}

static void
helix_decode_items(const cJSON *data, const struct helix_shape *sh,
    struct helix_page *page)
{
	const cJSON	*it, *sub, *nested;
	size_t		 alloc = 0;
	void		*item;

	cJSON_ArrayForEach(it, data) {
		if (!cJSON_IsObject(it))
			continue;
		if (sh->nested == NULL) {
			if (page->n >= HELIX_MAX_ITEMS)
				return;
			helix_fill(helix_push(page, sh, &alloc), sh->fields,
			    it);
			continue;
		}
		nested = cJSON_GetObjectItemCaseSensitive(it, sh->nested);
		if (!cJSON_IsArray(nested))
			continue;
		cJSON_ArrayForEach(sub, nested) {
			if (!cJSON_IsObject(sub))
				continue;
			if (page->n >= HELIX_MAX_ITEMS)
				return;
			item = helix_push(page, sh, &alloc);
			helix_fill(item, sh->outer, it);
			helix_fill(item, sh->fields, sub);
		}
	}
}

int
helix_decode(enum helix_kind kind, const char *body, size_t len,
    struct helix_page *page, char *err, size_t errsz)
{
	const struct helix_shape	*sh;
	cJSON				*root;
	const cJSON			*data, *pg, *cur, *total;
	int64_t				 t;

	memset(page, 0, sizeof *page);
	page->kind = kind;
	page->total = -1;
	if ((unsigned)kind >= HELIX_NKINDS) {
		snprintf(err, errsz, "unknown kind of reply");
		return -1;
	}
	if (kind == HELIX_EMPTY)
		return 0;
	sh = &helix_shapes[kind];
	if ((root = cJSON_ParseWithLength(body, len)) == NULL) {
		snprintf(err, errsz, "Twitch's reply is not JSON");
		return -1;
	}
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsArray(data)) {
		cJSON_Delete(root);
		snprintf(err, errsz, "Twitch's reply has no data");
		return -1;
	}
	helix_decode_items(data, sh, page);
	pg = cJSON_GetObjectItemCaseSensitive(root, "pagination");
	cur = cJSON_IsObject(pg) ? cJSON_GetObjectItemCaseSensitive(pg,
	    "cursor") : NULL;
	/* An empty cursor is no cursor; a silly long one is not followed. */
	if (cJSON_IsString(cur) && cur->valuestring != NULL &&
	    cur->valuestring[0] != '\0' && strlen(cur->valuestring) < 1024)
		page->cursor = helix_strdup(cur->valuestring);
	total = cJSON_GetObjectItemCaseSensitive(root, "total");
	if ((t = helix_int(total)) >= 0 && !cJSON_IsString(total))
		page->total = t;
	cJSON_Delete(root);
	return 0;
}

/* Twitch's message, made safe to show: valid UTF-8, no controls, short. */
static void
helix_safe(const char *s, char *out, size_t outsz)
{
	size_t	len = strlen(s);

	if (len > 200)
		len = 200;
	text_sanitize(s, len, out, outsz);
}

/* Per kind, what a 403 means (Twitch's own messages vary). */
static const char *const helix_forbidden[HELIX_NKINDS] = {
	[HELIX_CHATTERS] = "only the broadcaster or a moderator can list "
	    "chatters",
	[HELIX_MODERATORS] = "only the broadcaster can list moderators",
	[HELIX_VIPS] = "only the broadcaster can list VIPs",
	[HELIX_FOLLOWERS] = "only the broadcaster or a moderator can list "
	    "followers",
	[HELIX_FOLLOWED] = "only the account itself can list the channels "
	    "it follows",
	[HELIX_CHAT_SETTINGS] = "only the broadcaster or a moderator can "
	    "change chat settings",
	[HELIX_BANS] = "only the broadcaster or a moderator can ban",
	[HELIX_EMPTY] = "not allowed for this account",
};

void
helix_error_text(enum helix_kind kind, long status, const char *body,
    size_t len, char *out, size_t outsz)
{
	cJSON		*root;
	const cJSON	*m;
	const char	*msg = "", *scope;
	char		 safe[TEXT_SANITIZE_SIZE(200)];
	char		 word[64];
	size_t		 n;

	root = cJSON_ParseWithLength(body, len);
	m = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(m) && m->valuestring != NULL)
		msg = m->valuestring;
	helix_safe(msg, safe, sizeof safe);
	cJSON_Delete(root);
	if ((scope = strstr(safe, "Missing scope")) != NULL ||
	    (scope = strstr(safe, "missing scope")) != NULL) {
		/* "Missing scope: moderator:read:chatters" */
		scope += strlen("Missing scope");
		scope += strspn(scope, ": ");
		n = strcspn(scope, " ,.;\"");
		if (n > 0 && n < sizeof word) {
			memcpy(word, scope, n);
			word[n] = '\0';
			snprintf(out, outsz, "needs the %s scope (run stitch "
			    "login to grant it)", word);
			return;
		}
	}
	/* Twitch answers 401 (not 403) when an id in the query must be the
	 * token's own user: a matter of role, not of the token. */
	if ((status == 401 || status == 403) && strstr(safe,
	    "must match the user ID") != NULL && (unsigned)kind <
	    HELIX_NKINDS && helix_forbidden[kind] != NULL) {
		snprintf(out, outsz, "%s", helix_forbidden[kind]);
		return;
	}
	if (status == 401) {
		if (strcasestr(safe, "client") != NULL &&
		    strcasestr(safe, "id") != NULL)
			snprintf(out, outsz, "the client id does not match "
			    "the token (Twitch: %s)", safe);
		else
			snprintf(out, outsz, "token expired or revoked, run "
			    "stitch login");
		return;
	}
	if (status == 403 && (unsigned)kind < HELIX_NKINDS &&
	    helix_forbidden[kind] != NULL) {
		snprintf(out, outsz, "%s", helix_forbidden[kind]);
		return;
	}
	if (status == 429) {
		snprintf(out, outsz, "Helix rate limit reached; try again in "
		    "a minute");
		return;
	}
	if (status >= 500) {
		snprintf(out, outsz, "Twitch's server failed (HTTP %ld)%s%s",
		    status, safe[0] != '\0' ? ": " : "", safe);
		return;
	}
	if (safe[0] != '\0')
		snprintf(out, outsz, "Twitch: %s (HTTP %ld)", safe, status);
	else
		snprintf(out, outsz, "Twitch answered HTTP %ld", status);
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

static void
helix_on_http(void *arg, const struct http_resp *resp)
{
	struct helix_call	*c = arg;
	struct helix		*h = c->h;
	char			 err[512];

	c->hc = NULL;
	if (resp->error != NULL) {
		helix_fail(c, 0, 0, resp->error);
		return;
	}
	if (resp->status >= 200 && resp->status < 300) {
		helix_success(c, resp->status, resp->body, resp->body_len, 0);
		return;
	}
	helix_error_text(c->kind, resp->status, resp->body, resp->body_len,
	    err, sizeof err);
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

struct helix_call *
helix_unban(struct helix *h, const char *broadcaster_id,
    const char *user_id, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	struct buf		 b;
	char			*path, esc[128];

	path = helix_path_mod(h, "/moderation/bans", broadcaster_id);
	buf_init(&b, 4096);
	if (http_escape(user_id, esc, sizeof esc) != 0)
		esc[0] = '\0';
	buf_addf(&b, "%s&user_id=%s", path, esc);
	free(path);
	path = buf_take(&b);
	c = helix_call(h, "DELETE", HELIX_EMPTY, path, NULL, 0, cb, arg);
	free(path);
	return c;
}

struct helix_call *
helix_delete_message(struct helix *h, const char *broadcaster_id,
    const char *message_id, helix_cb cb, void *arg)
{
	struct helix_call	*c;
	struct buf		 b;
	char			*path, esc[256];

	path = helix_path_mod(h, "/moderation/chat", broadcaster_id);
	buf_init(&b, 4096);
	buf_adds(&b, path);
	if (message_id != NULL && http_escape(message_id, esc,
	    sizeof esc) == 0)
		buf_addf(&b, "&message_id=%s", esc);
	free(path);
	path = buf_take(&b);
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
	    kind != HELIX_FOLLOWED)
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

static void
helix_iter_on_page(void *arg, const struct helix_result *r)
{
	struct helix_iter	*it = arg;
	struct helix_result	 mine = *r;
	struct helix_page	 page;
	size_t			 left;

	it->call = NULL;
	free(it->cursor);
	it->cursor = NULL;
	if (r->page == NULL) {
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
	if (r->page->cursor != NULL && r->page->n > 0)
		it->cursor = helix_strdup(r->page->cursor);
	else
		it->over = 1;
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
