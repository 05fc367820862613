/*
 * helix.c: fake-twitch's Helix API under /helix, shaped like Twitch's
 * (https://dev.twitch.tv/docs/api/reference; shared/vectors/helix):
 * authentication, buckets, faults, paging and the read endpoints here;
 * the endpoints that touch chat in helix-chat.c.
 *
 * Every request needs `Client-Id` and `Authorization: Bearer TOKEN`; the
 * token must be known, not expired or revoked, and issued to that client
 * id, else 401 {"error":"Unauthorized","status":401,"message":...}. A
 * missing scope is 401 "Missing scope: S"; a caller who is not the
 * broadcaster (or a moderator, where moderators may) gets 403, or 401
 * where Twitch says the id "must match the user ID" of the token.
 *
 * Every reply carries Ratelimit-Limit, Ratelimit-Remaining and
 * Ratelimit-Reset (epoch seconds when the bucket is full again). One
 * bucket per client id and user (800 points, refilled at its size per
 * minute, one point a request; --helix-bucket N, admin helix-bucket N);
 * an empty bucket answers 429 {"error":"Too Many Requests",...}.
 *
 * Paging is Twitch's: `first` (page size), `after` (the cursor of the
 * previous page: base64 of {"b":null,"a":{"Offset":N}}, as Twitch's look),
 * "pagination":{"cursor":...} only when there is a next page, {} on the
 * last. A cursor that does not decode is 400.
 *
 * Endpoints (scope; who may):
 *   GET    users                  id=, login= (repeated, <= 100 in all);
 *                                 none: the token's user
 *   GET    streams                user_id=, user_login= (repeated); none:
 *                                 every live stream, most viewers first;
 *                                 first <= 100 (20); offline: no entry
 *   GET    streams/followed       user_id = token user (user:read:follows):
 *                                 the live ones among the user's follows
 *   GET    channels               broadcaster_id= (repeated, <= 100)
 *   GET    chat/chatters          broadcaster_id, moderator_id = token
 *                                 user (moderator:read:chatters;
 *                                 broadcaster or moderator; first <= 1000
 *                                 (100); total)
 *   GET    moderation/moderators  broadcaster_id = token user
 *                                 (moderation:read; first <= 100 (20);
 *                                 user_id= filter)
 *   GET    channels/vips          broadcaster_id = token user
 *                                 (channel:read:vips; as moderators)
 *   GET    channels/followers     broadcaster_id (total for anyone; data
 *                                 only with moderator:read:followers as
 *                                 broadcaster or moderator; user_id=
 *                                 filter; first <= 100 (20); followed_at)
 *   GET    channels/followed      user_id = token user (user:read:follows;
 *                                 broadcaster_id= filter; total)
 *   GET    chat/settings          broadcaster_id (moderator_id adds the
 *                                 delay fields)
 *   PATCH  chat/settings          broadcaster_id, moderator_id
 *                                 (moderator:manage:chat_settings);
 *                                 changes go to chat as ROOMSTATE
 *   GET    chat/badges            broadcaster_id; chat/badges/global
 *   GET    chat/emotes            broadcaster_id; chat/emotes/global (the
 *                                 emotes chat's emotes tag knows)
 *   POST   moderation/bans        broadcaster_id, moderator_id, body
 *                                 {"data":{"user_id","duration"?,
 *                                 "reason"?}} (moderator:manage:
 *                                 banned_users): CLEARCHAT in chat; 400
 *                                 "user is already banned" for a banned
 *                                 user (a timeout may be changed)
 *   DELETE moderation/bans        broadcaster_id, moderator_id, user_id:
 *                                 204, the ban is lifted in chat; 400
 *                                 "user is not banned"
 *   DELETE moderation/chat        broadcaster_id, moderator_id,
 *                                 message_id? (moderator:manage:
 *                                 chat_messages): CLEARMSG, or CLEARCHAT
 *                                 without message_id; 204
 *   GET    moderation/banned      broadcaster_id = token user
 *                                 (moderation:read or moderator:manage:
 *                                 banned_users; user_id= filter; first
 *                                 <= 100 (20)): the bans and timeouts
 *                                 placed through Helix
 *   POST   chat/announcements     broadcaster_id, moderator_id, body
 *                                 {"message","color"?} (moderator:manage:
 *                                 announcements): USERNOTICE
 *                                 msg-id=announcement; 204
 *   GET    chat/color             user_id= (repeated, <= 100)
 *   PUT    chat/color             user_id = token user, color = a named
 *                                 colour or #RRGGBB (user:manage:chat_color): 204
 *   POST   whispers               from_user_id = token user, to_user_id,
 *                                 body {"message"} (user:manage:whispers):
 *                                 204
 *   POST   chat/messages          body {"broadcaster_id","sender_id",
 *                                 "message"} (user:write:chat): the line
 *                                 appears in chat; data[{message_id,
 *                                 is_sent}]; 422 past 500 characters
 *
 * Faults (admin helix-fault N KIND): the next N Helix replies are a 500,
 * a 429, a 200 whose JSON is cut short, or (slow) the right reply two
 * seconds late. The network core answers from inside the loop, so a slow
 * reply stalls the whole fake for those two seconds, chat included: use
 * it for client time-outs, not while measuring chat.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "chat.h"
#include "helix.h"
#include "route.h"
#include "seed.h"

#define HELIX_SLOW_MS	2000

enum helix_fault {
	HELIX_FAULT_NONE,
	HELIX_FAULT_500,
	HELIX_FAULT_429,
	HELIX_FAULT_MALFORMED,
	HELIX_FAULT_SLOW
};


static struct {
	enum helix_fault	 fault;
	unsigned		 fault_left;
} helix;

/* ---- replies ---- */

void
helix_error(struct helix_ctx *c, int status, const char *msg)
{
	route_helix_error(c->resp, status, msg);
}

/* "prefix" + arg + "suffix" as the message. */
static void
helix_error3(struct helix_ctx *c, int status, const char *prefix,
    const char *arg, const char *suffix)
{
	char	msg[256];

	snprintf(msg, sizeof msg, "%s%s%s", prefix, arg, suffix);
	helix_error(c, status, msg);
}

void
helix_no_content(struct helix_ctx *c)
{
	c->resp->status = 204;
	free(c->resp->body);
	c->resp->body = NULL;
	c->resp->body_len = 0;
}

/* {"data":data, ...} with the rest added by the caller. */
cJSON *
helix_root(cJSON **data)
{
	cJSON	*root = cJSON_CreateObject();

	*data = cJSON_AddArrayToObject(root, "data");
	return root;
}

void
helix_add_person(cJSON *o, const char *prefix, const struct seed_person *p)
{
	char	key[48];

	snprintf(key, sizeof key, "%s_id", prefix);
	cJSON_AddStringToObject(o, key, p->id);
	snprintf(key, sizeof key, "%s_login", prefix);
	cJSON_AddStringToObject(o, key, p->login);
	snprintf(key, sizeof key, "%s_name", prefix);
	cJSON_AddStringToObject(o, key, p->display);
}

void
helix_add_time(cJSON *o, const char *key, int64_t t)
{
	char	buf[32];

	seed_time(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static void
helix_add_tags(cJSON *o, const char *key, const char *csv)
{
	cJSON		*a = cJSON_AddArrayToObject(o, key);
	char		 buf[256], *p, *comma;

	snprintf(buf, sizeof buf, "%s", csv);
	for (p = buf; *p != '\0'; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		cJSON_AddItemToArray(a, cJSON_CreateString(p));
		if (comma == NULL)
			break;
	}
}

/* ---- arguments and paging ---- */

/* A required argument; 400 in Twitch's words when absent. */
int
helix_need(struct helix_ctx *c, const char *name, char *buf, size_t bufsz)
{
	if (route_arg(c->req->query, name, 0, buf, bufsz) > 0)
		return 0;
	helix_error3(c, 400, "Missing required parameter \"", name, "\"");
	return -1;
}

/* moderator_id (or another id argument) must be the token's user. */
int
helix_need_self(struct helix_ctx *c, const char *name, char *buf,
    size_t bufsz)
{
	char	msg[160];

	if (helix_need(c, name, buf, bufsz) != 0)
		return -1;
	if (strcmp(buf, c->me.id) == 0)
		return 0;
	snprintf(msg, sizeof msg, "The ID in %s must match the user ID found "
	    "in the request's OAuth token.", name);
	helix_error(c, 401, msg);
	return -1;
}

/* The channel of broadcaster_id; 400 when absent or unknown. */
struct seed_channel *
helix_channel(struct helix_ctx *c)
{
	char			 id[32];
	struct seed_channel	*ch;

	if (helix_need(c, "broadcaster_id", id, sizeof id) != 0)
		return NULL;
	if ((ch = seed_chan_by_id(c->w, id)) == NULL)
		helix_error(c, 400, "The ID in broadcaster_id is not valid.");
	return ch;
}

static void
helix_cursor_encode(size_t off, char *buf, size_t bufsz)
{
	char		 raw[64];
	unsigned char	 enc[128];
	int		 n;

	n = snprintf(raw, sizeof raw, "{\"b\":null,\"a\":{\"Offset\":%zu}}",
	    off);
	n = EVP_EncodeBlock(enc, (const unsigned char *)raw, n);
	while (n > 0 && enc[n - 1] == '=')	/* Twitch's carry none */
		n--;
	enc[n] = '\0';
	snprintf(buf, bufsz, "%s", (char *)enc);
}

static int
helix_cursor_decode(const char *s, size_t *off)
{
	unsigned char	 in[128], out[128];
	size_t		 len = strlen(s);
	int		 n, used = 0;
	unsigned long	 v;

	if (len == 0 || len > 96)
		return -1;
	memcpy(in, s, len);
	while (len % 4 != 0)
		in[len++] = '=';
	if ((n = EVP_DecodeBlock(out, in, (int)len)) < 0)
		return -1;
	out[n] = '\0';
	if (sscanf((char *)out, "{\"b\":null,\"a\":{\"Offset\":%lu}}%n", &v,
	    &used) != 1 || used == 0 || v > SEED_MAX_VIEWERS * 2UL)
		return -1;
	*off = v;
	return 0;
}

/* first and after: the page [*off, *off + *n) of total. */
int
helix_page(struct helix_ctx *c, size_t total, unsigned dflt, unsigned max,
    size_t *off, size_t *n)
{
	char		 buf[128], msg[160], *end;
	unsigned long	 first = dflt;

	*off = 0;
	if (route_arg(c->req->query, "first", 0, buf, sizeof buf) >= 0) {
		errno = 0;
		first = strtoul(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' ||
		    errno != 0 || first < 1 || first > max) {
			snprintf(msg, sizeof msg, "The parameter \"first\" was "
			    "malformed: the value must be greater than or "
			    "equal to 1 and less than or equal to %u", max);
			helix_error(c, 400, msg);
			return -1;
		}
	}
	if (route_arg(c->req->query, "after", 0, buf, sizeof buf) > 0 &&
	    helix_cursor_decode(buf, off) != 0) {
		helix_error(c, 400, "The parameter \"after\" was malformed: "
		    "invalid cursor");
		return -1;
	}
	if (*off > total)
		*off = total;
	*n = total - *off < first ? total - *off : first;
	return 0;
}

/* "pagination": a cursor when items are left after next. */
void
helix_pagination(cJSON *root, size_t next, size_t total)
{
	cJSON	*p = cJSON_AddObjectToObject(root, "pagination");
	char	 cur[128];

	if (next >= total)
		return;
	helix_cursor_encode(next, cur, sizeof cur);
	cJSON_AddStringToObject(p, "cursor", cur);
}

/* ---- users, streams, channels ---- */

static void
helix_user_obj(cJSON *data, const struct seed_person *p)
{
	cJSON			*o = cJSON_CreateObject();
	const struct seed_user	*u = p->user;
	char			 url[256];

	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "login", p->login);
	cJSON_AddStringToObject(o, "display_name", p->display);
	cJSON_AddStringToObject(o, "type", u != NULL ? u->type : "");
	cJSON_AddStringToObject(o, "broadcaster_type", u != NULL ?
	    u->broadcaster_type : "");
	cJSON_AddStringToObject(o, "description", u != NULL ?
	    u->description : "");
	snprintf(url, sizeof url, "https://static-cdn.jtvnw.net/"
	    "jtv_user_pictures/%s-profile_image-300x300.png", p->login);
	cJSON_AddStringToObject(o, "profile_image_url", url);
	cJSON_AddStringToObject(o, "offline_image_url", "");
	cJSON_AddNumberToObject(o, "view_count", 0);
	cJSON_AddStringToObject(o, "created_at", u != NULL ? u->created_at :
	    "2022-02-02T12:00:00Z");
	cJSON_AddItemToArray(data, o);
}

/* Repeated id arguments: count them, 400 past max. */
int
helix_nids(struct helix_ctx *c, const char *a, const char *b, int max)
{
	int	n = route_nargs(c->req->query, a) +
	    (b != NULL ? route_nargs(c->req->query, b) : 0);
	char	msg[128];

	if (n <= max)
		return n;
	snprintf(msg, sizeof msg, "The parameter \"%s\" was malformed: the "
	    "number of values must be less than or equal to %d", a, max);
	helix_error(c, 400, msg);
	return -1;
}

static void
helix_users(struct helix_ctx *c)
{
	cJSON			*data, *root;
	struct seed_person	 p;
	char			 v[64];
	int			 i, n;

	if ((n = helix_nids(c, "id", "login", 100)) < 0)
		return;
	root = helix_root(&data);
	if (n == 0)
		helix_user_obj(data, &c->me);
	for (i = 0; route_arg(c->req->query, "id", i, v, sizeof v) >= 0; i++)
		if (seed_person_by_id(c->w, v, &p) == 0)
			helix_user_obj(data, &p);
	for (i = 0; route_arg(c->req->query, "login", i, v, sizeof v) >= 0;
	    i++) {
		char	*q;

		for (q = v; *q != '\0'; q++)	/* logins match any case */
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
		if (seed_person_by_login(c->w, v, &p) == 0)
			helix_user_obj(data, &p);
	}
	route_json(c->resp, 200, root);
}

static void
helix_stream_obj(struct helix_ctx *c, cJSON *data,
    const struct seed_channel *ch)
{
	cJSON			*o = cJSON_CreateObject();
	struct seed_person	 p;
	char			 url[256];

	seed_person_of(c->w, ch->user, &p);
	cJSON_AddStringToObject(o, "id", ch->stream_id);
	helix_add_person(o, "user", &p);
	cJSON_AddStringToObject(o, "game_id", ch->game_id);
	cJSON_AddStringToObject(o, "game_name", ch->game_name);
	cJSON_AddStringToObject(o, "type", "live");
	cJSON_AddStringToObject(o, "title", ch->title);
	cJSON_AddNumberToObject(o, "viewer_count", ch->viewers);
	cJSON_AddStringToObject(o, "started_at", ch->started_at);
	cJSON_AddStringToObject(o, "language", ch->language);
	snprintf(url, sizeof url, "https://static-cdn.jtvnw.net/"
	    "previews-ttv/live_user_%s-{width}x{height}.jpg", p.login);
	cJSON_AddStringToObject(o, "thumbnail_url", url);
	cJSON_AddArrayToObject(o, "tag_ids");
	helix_add_tags(o, "tags", ch->tags);
	cJSON_AddBoolToObject(o, "is_mature", 0);
	cJSON_AddItemToArray(data, o);
}

static int
helix_viewers_cmp(const void *a, const void *b)
{
	const struct seed_channel *const *x = a, *const *y = b;

	return (*x)->viewers < (*y)->viewers ? 1 :
	    (*x)->viewers > (*y)->viewers ? -1 : 0;
}

static void
helix_streams(struct helix_ctx *c)
{
	cJSON			 *data, *root;
	struct seed_channel	 *ch, **live;
	char			  v[64];
	int			  i, n;
	size_t			  k, nlive = 0, off, cnt;

	if ((n = helix_nids(c, "user_id", "user_login", 100)) < 0)
		return;
	live = calloc(c->w->nchans + 1, sizeof *live);
	if (live == NULL)
		abort();
	for (i = 0; route_arg(c->req->query, "user_id", i, v, sizeof v) >= 0;
	    i++)
		if ((ch = seed_chan_by_id(c->w, v)) != NULL && ch->live)
			live[nlive++] = ch;
	for (i = 0; nlive < c->w->nchans && route_arg(c->req->query,
	    "user_login", i, v, sizeof v) >= 0; i++)
		if ((ch = seed_chan_by_login(c->w, v)) != NULL && ch->live)
			live[nlive++] = ch;
	if (n == 0)
		for (k = 0; k < c->w->nchans; k++)
			if (c->w->chans[k].live)
				live[nlive++] = &c->w->chans[k];
	qsort(live, nlive, sizeof *live, helix_viewers_cmp);
	if (helix_page(c, nlive, 20, 100, &off, &cnt) != 0) {
		free(live);
		return;
	}
	root = helix_root(&data);
	for (k = off; k < off + cnt; k++)
		helix_stream_obj(c, data, live[k]);
	helix_pagination(root, off + cnt, nlive);
	free(live);
	route_json(c->resp, 200, root);
}

static void
helix_streams_followed(struct helix_ctx *c)
{
	cJSON			 *data, *root;
	struct seed_channel	 *ch, **live;
	char			  uid[32];
	size_t			  k, nlive = 0, off, cnt;
	int64_t			  at;

	if (helix_need_self(c, "user_id", uid, sizeof uid) != 0)
		return;
	if ((live = calloc(c->w->nchans + 1, sizeof *live)) == NULL)
		abort();
	for (k = 0; k < c->w->nchans; k++) {
		ch = &c->w->chans[k];
		if (ch->live && seed_follows(c->w, ch, uid, &at))
			live[nlive++] = ch;
	}
	qsort(live, nlive, sizeof *live, helix_viewers_cmp);
	/* Twitch's default page here is 100, not 20. */
	if (helix_page(c, nlive, 100, 100, &off, &cnt) == 0) {
		root = helix_root(&data);
		for (k = off; k < off + cnt; k++)
			helix_stream_obj(c, data, live[k]);
		helix_pagination(root, off + cnt, nlive);
		route_json(c->resp, 200, root);
	}
	free(live);
}

static void
helix_channels(struct helix_ctx *c)
{
	cJSON			*data, *root, *o;
	struct seed_channel	*ch;
	struct seed_person	 p;
	char			 v[64];
	int			 i, n;

	if ((n = helix_nids(c, "broadcaster_id", NULL, 100)) < 0)
		return;
	if (n == 0) {
		helix_error(c, 400, "Missing required parameter "
		    "\"broadcaster_id\"");
		return;
	}
	root = helix_root(&data);
	for (i = 0; route_arg(c->req->query, "broadcaster_id", i, v,
	    sizeof v) >= 0; i++) {
		if (seed_person_by_id(c->w, v, &p) != 0)
			continue;
		ch = seed_chan_by_id(c->w, v);
		o = cJSON_CreateObject();
		helix_add_person(o, "broadcaster", &p);
		cJSON_AddStringToObject(o, "broadcaster_language",
		    ch != NULL ? ch->language : "en");
		cJSON_AddStringToObject(o, "game_id", ch != NULL ?
		    ch->game_id : "");
		cJSON_AddStringToObject(o, "game_name", ch != NULL ?
		    ch->game_name : "");
		cJSON_AddStringToObject(o, "title", ch != NULL ? ch->title :
		    "");
		cJSON_AddNumberToObject(o, "delay", ch != NULL &&
		    strcmp(c->me.id, v) == 0 ? ch->delay : 0);
		helix_add_tags(o, "tags", ch != NULL ? ch->tags : "");
		cJSON_AddArrayToObject(o, "content_classification_labels");
		cJSON_AddBoolToObject(o, "is_branded_content", 0);
		cJSON_AddItemToArray(data, o);
	}
	route_json(c->resp, 200, root);
}

/* ---- lists of people ---- */

/* Is the token's user the broadcaster or a moderator of ch? */
int
helix_can_moderate(struct helix_ctx *c, const struct seed_channel *ch)
{
	return strcmp(c->w->users[ch->user].id, c->me.id) == 0 ||
	    seed_is_mod(c->w, ch, c->me.id);
}

/* broadcaster_id, moderator_id = the token's user, who moderates. */
struct seed_channel *
helix_mod_channel(struct helix_ctx *c, const char *forbidden)
{
	struct seed_channel	*ch;
	char			 mod[32];

	if ((ch = helix_channel(c)) == NULL ||
	    helix_need_self(c, "moderator_id", mod, sizeof mod) != 0)
		return NULL;
	if (!helix_can_moderate(c, ch)) {
		helix_error(c, 403, forbidden);
		return NULL;
	}
	return ch;
}

static void
helix_chatters(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_person	 p;
	cJSON			*data, *root, *o;
	size_t			 off, n, i, total;

	if ((ch = helix_mod_channel(c, "The user in moderator_id is not one "
	    "of the broadcaster's moderators.")) == NULL)
		return;
	total = seed_nchatters(ch);
	if (helix_page(c, total, 100, 1000, &off, &n) != 0)
		return;
	root = helix_root(&data);
	for (i = off; i < off + n; i++) {
		seed_chatter_at(c->w, ch, i, &p);
		o = cJSON_CreateObject();
		helix_add_person(o, "user", &p);
		cJSON_AddItemToArray(data, o);
	}
	helix_pagination(root, off + n, total);
	cJSON_AddNumberToObject(root, "total", (double)total);
	route_json(c->resp, 200, root);
}

/* broadcaster_id must be the token's user (moderators, VIPs). */
struct seed_channel *
helix_own_channel(struct helix_ctx *c)
{
	char			 id[32];
	struct seed_channel	*ch;

	if (helix_need_self(c, "broadcaster_id", id, sizeof id) != 0)
		return NULL;
	if ((ch = seed_chan_by_id(c->w, id)) == NULL)
		helix_error(c, 400, "The ID in broadcaster_id is not valid.");
	return ch;
}

/* Moderators or VIPs, with the user_id= filter and paging. */
static void
helix_role_list(struct helix_ctx *c, const size_t *list, size_t nlist)
{
	cJSON			*data, *root, *o;
	struct seed_person	 p;
	size_t			*pick, npick = 0, off, n, i;
	char			 v[32];
	int			 k, nf;

	if ((nf = helix_nids(c, "user_id", NULL, 100)) < 0)
		return;
	if ((pick = calloc(nlist + 1, sizeof *pick)) == NULL)
		abort();
	for (i = 0; i < nlist; i++) {
		for (k = 0; k < nf; k++)
			if (route_arg(c->req->query, "user_id", k, v,
			    sizeof v) > 0 &&
			    strcmp(v, c->w->users[list[i]].id) == 0)
				break;
		if (nf == 0 || k < nf)
			pick[npick++] = list[i];
	}
	if (helix_page(c, npick, 20, 100, &off, &n) != 0) {
		free(pick);
		return;
	}
	root = helix_root(&data);
	for (i = off; i < off + n; i++) {
		seed_person_of(c->w, pick[i], &p);
		o = cJSON_CreateObject();
		helix_add_person(o, "user", &p);
		cJSON_AddItemToArray(data, o);
	}
	helix_pagination(root, off + n, npick);
	free(pick);
	route_json(c->resp, 200, root);
}

static void
helix_moderators(struct helix_ctx *c)
{
	struct seed_channel	*ch;

	if ((ch = helix_own_channel(c)) != NULL)
		helix_role_list(c, ch->mods, ch->nmods);
}

static void
helix_vips(struct helix_ctx *c)
{
	struct seed_channel	*ch;

	if ((ch = helix_own_channel(c)) != NULL)
		helix_role_list(c, ch->vips, ch->nvips);
}

static void
helix_follow_obj(cJSON *data, const char *prefix,
    const struct seed_person *p, int64_t at)
{
	cJSON	*o = cJSON_CreateObject();

	if (strcmp(prefix, "user") == 0) {
		helix_add_time(o, "followed_at", at);
		helix_add_person(o, prefix, p);
	} else {
		helix_add_person(o, prefix, p);
		helix_add_time(o, "followed_at", at);
	}
	cJSON_AddItemToArray(data, o);
}

static void
helix_followers(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_person	 p;
	cJSON			*data, *root;
	size_t			 total, off, n, i;
	char			 v[32];
	int64_t			 at;
	int			 full;

	if ((ch = helix_channel(c)) == NULL)
		return;
	total = seed_nfollowers(ch);
	/* Without the scope or the role Twitch still answers, with the
	 * total alone. */
	full = seed_token_has_scope(c->tok, "moderator:read:followers") &&
	    helix_can_moderate(c, ch);
	if (route_arg(c->req->query, "user_id", 0, v, sizeof v) > 0) {
		root = helix_root(&data);
		if (full && seed_follows(c->w, ch, v, &at) &&
		    seed_person_by_id(c->w, v, &p) == 0)
			helix_follow_obj(data, "user", &p, at);
		cJSON_AddObjectToObject(root, "pagination");
		cJSON_AddNumberToObject(root, "total", (double)total);
		route_json(c->resp, 200, root);
		return;
	}
	if (helix_page(c, full ? total : 0, 20, 100, &off, &n) != 0)
		return;
	root = helix_root(&data);
	for (i = off; i < off + n; i++) {
		seed_follower_at(c->w, ch, i, &p, &at);
		helix_follow_obj(data, "user", &p, at);
	}
	helix_pagination(root, off + n, full ? total : 0);
	cJSON_AddNumberToObject(root, "total", (double)total);
	route_json(c->resp, 200, root);
}

static void
helix_followed(struct helix_ctx *c)
{
	struct seed_person	 p;
	cJSON			*data, *root;
	size_t			*pick, npick = 0, k, off, n;
	int64_t			*ats, at;
	char			 uid[32], bid[32];
	int			 filter;

	if (helix_need_self(c, "user_id", uid, sizeof uid) != 0)
		return;
	filter = route_arg(c->req->query, "broadcaster_id", 0, bid,
	    sizeof bid) > 0;
	if ((pick = calloc(c->w->nchans + 1, sizeof *pick)) == NULL ||
	    (ats = calloc(c->w->nchans + 1, sizeof *ats)) == NULL)
		abort();
	for (k = 0; k < c->w->nchans; k++) {
		if (filter && strcmp(c->w->users[c->w->chans[k].user].id,
		    bid) != 0)
			continue;
		if (!seed_follows(c->w, &c->w->chans[k], uid, &at))
			continue;
		/* Newest first, as Twitch lists them. */
		for (n = npick; n > 0 && ats[n - 1] < at; n--) {
			pick[n] = pick[n - 1];
			ats[n] = ats[n - 1];
		}
		pick[n] = k;
		ats[n] = at;
		npick++;
	}
	if (helix_page(c, npick, 20, 100, &off, &n) == 0) {
		root = helix_root(&data);
		for (k = off; k < off + n; k++) {
			seed_person_of(c->w, c->w->chans[pick[k]].user, &p);
			helix_follow_obj(data, "broadcaster", &p, ats[k]);
		}
		helix_pagination(root, off + n, npick);
		cJSON_AddNumberToObject(root, "total", (double)npick);
		route_json(c->resp, 200, root);
	}
	free(pick);
	free(ats);
}

/* ---- the table, authentication, buckets, faults ---- */

static const struct {
	const char	*method;
	const char	*path;
	const char	*scope;		/* "a|b": either; NULL: none */
	void		(*fn)(struct helix_ctx *);
} helix_routes[] = {
	{ "GET", "/helix/users", NULL, helix_users },
	{ "GET", "/helix/streams", NULL, helix_streams },
	{ "GET", "/helix/streams/followed", "user:read:follows",
	    helix_streams_followed },
	{ "GET", "/helix/channels", NULL, helix_channels },
	{ "GET", "/helix/chat/chatters", "moderator:read:chatters",
	    helix_chatters },
	{ "GET", "/helix/moderation/moderators",
	    "moderation:read|channel:manage:moderators",
	    helix_moderators },
	{ "GET", "/helix/channels/vips", "channel:read:vips|channel:manage:vips",
	    helix_vips },
	{ "GET", "/helix/channels/followers", NULL, helix_followers },
	{ "GET", "/helix/channels/followed", "user:read:follows",
	    helix_followed },
	{ "GET", "/helix/chat/settings", NULL, helix_chat_settings_get },
	{ "PATCH", "/helix/chat/settings", "moderator:manage:chat_settings",
	    helix_chat_settings_patch },
	{ "GET", "/helix/chat/badges", NULL, helix_chat_badges },
	{ "GET", "/helix/chat/badges/global", NULL, helix_chat_badges_global },
	{ "GET", "/helix/chat/emotes", NULL, helix_chat_emotes },
	{ "GET", "/helix/chat/emotes/global", NULL, helix_chat_emotes_global },
	{ "POST", "/helix/moderation/bans", "moderator:manage:banned_users",
	    helix_chat_ban },
	{ "GET", "/helix/moderation/banned",
	    "moderation:read|moderator:manage:banned_users",
	    helix_chat_banned },
	{ "POST", "/helix/chat/announcements",
	    "moderator:manage:announcements", helix_chat_announce },
	{ "GET", "/helix/chat/color", NULL, helix_chat_color },
	{ "PUT", "/helix/chat/color", "user:manage:chat_color",
	    helix_chat_color_set },
	{ "DELETE", "/helix/moderation/bans", "moderator:manage:banned_users",
	    helix_chat_unban },
	{ "DELETE", "/helix/moderation/chat",
	    "moderator:manage:chat_messages", helix_chat_delete_chat },
	{ "POST", "/helix/whispers", "user:manage:whispers", helix_chat_whisper },
	{ "POST", "/helix/chat/messages", "user:write:chat", helix_chat_send },
};

/* Does t hold one of the "a|b" alternatives Twitch accepts? */
static int
helix_scope_ok(const struct seed_token *t, const char *scopes)
{
	char	buf[160], *p, *bar;

	snprintf(buf, sizeof buf, "%s", scopes);
	for (p = buf; p != NULL; p = bar != NULL ? bar + 1 : NULL) {
		if ((bar = strchr(p, '|')) != NULL)
			*bar = '\0';
		if (seed_token_has_scope(t, p))
			return 1;
	}
	return 0;
}

/*
 * Find the token; 0 with c->tok set, or -1 with a 401 ready. Twitch's
 * reference lists the cases, not the words: these are the messages its
 * API is seen to answer with.
 */
static int
helix_auth(struct helix_ctx *c)
{
	const char		*a = c->req->authorization;
	struct seed_token	*t;

	if (a == NULL || *a == '\0') {
		helix_error(c, 401, "OAuth token is missing");
		return -1;
	}
	if (strncasecmp(a, "Bearer ", 7) != 0 ||
	    (t = seed_token_find(c->w, a + 7)) == NULL ||
	    !seed_token_valid(t, c->req->now_ms)) {
		helix_error(c, 401, "Invalid OAuth token");
		return -1;
	}
	if (c->req->client_id == NULL || *c->req->client_id == '\0') {
		helix_error(c, 401, "Client ID is missing");
		return -1;
	}
	if (strcmp(c->req->client_id, t->client_id) != 0) {
		helix_error(c, 401, "Client ID and OAuth token do not match");
		return -1;
	}
	c->tok = t;
	seed_person_of(c->w, t->user, &c->me);
	return 0;
}

static struct seed_bucket *
helix_bucket(struct fake_world *w, const char *key)
{
	struct seed_bucket	*b;
	size_t			 i;

	for (i = 0; i < w->nbuckets; i++)
		if (strcmp(w->buckets[i].key, key) == 0)
			return &w->buckets[i];
	if (w->nbuckets == w->bucketcap) {
		w->bucketcap = w->bucketcap == 0 ? 16 : w->bucketcap * 2;
		if ((w->buckets = realloc(w->buckets, w->bucketcap *
		    sizeof *w->buckets)) == NULL)
			abort();
	}
	b = &w->buckets[w->nbuckets++];
	memset(b, 0, sizeof *b);
	snprintf(b->key, sizeof b->key, "%s", key);
	b->points = w->opts.bucket;
	b->last_ms = 0;
	return b;
}

/*
 * Take one point from the caller's bucket and add the Ratelimit headers.
 * Returns 0, or -1 when the bucket was empty. Callers without a valid
 * token share their client id's anonymous bucket.
 */
static int
helix_ratelimit(struct helix_ctx *c)
{
	struct seed_bucket	*b;
	char			 key[96], v[32];
	double			 size = c->w->opts.bucket, per_ms;
	uint64_t		 now = c->req->now_ms, full_ms;
	int			 ok;

	snprintf(key, sizeof key, "%s/%s", c->req->client_id != NULL ?
	    c->req->client_id : "", c->tok != NULL ? c->me.id : "-");
	b = helix_bucket(c->w, key);
	per_ms = size / 60000.0;
	if (b->last_ms != 0 && now > b->last_ms)
		b->points += (double)(now - b->last_ms) * per_ms;
	if (b->points > size)
		b->points = size;
	b->last_ms = now;
	if ((ok = b->points >= 1.0))
		b->points -= 1.0;
	snprintf(v, sizeof v, "%u", c->w->opts.bucket);
	fake_http_header_add(c->resp, "Ratelimit-Limit", v);
	snprintf(v, sizeof v, "%u", (unsigned)b->points);
	fake_http_header_add(c->resp, "Ratelimit-Remaining", v);
	full_ms = now + (uint64_t)((size - b->points) / per_ms);
	snprintf(v, sizeof v, "%llu", (unsigned long long)((full_ms + 999) /
	    1000));
	fake_http_header_add(c->resp, "Ratelimit-Reset", v);
	return ok ? 0 : -1;
}

void
helix_bucket_set(struct fake_world *w, unsigned size)
{
	size_t	i;

	w->opts.bucket = size;
	for (i = 0; i < w->nbuckets; i++)
		w->buckets[i].points = size;
}

int
helix_fault_set(unsigned n, const char *kind)
{
	enum helix_fault	f;

	if (strcmp(kind, "500") == 0)
		f = HELIX_FAULT_500;
	else if (strcmp(kind, "429") == 0)
		f = HELIX_FAULT_429;
	else if (strcmp(kind, "malformed") == 0)
		f = HELIX_FAULT_MALFORMED;
	else if (strcmp(kind, "slow") == 0)
		f = HELIX_FAULT_SLOW;
	else
		return -1;
	helix.fault = n > 0 ? f : HELIX_FAULT_NONE;
	helix.fault_left = n;
	return 0;
}

unsigned
helix_fault_left(void)
{
	return helix.fault_left;
}

/* Take the next fault, if one is armed; NONE otherwise. */
static enum helix_fault
helix_fault_take(void)
{
	if (helix.fault_left == 0)
		return HELIX_FAULT_NONE;
	helix.fault_left--;
	return helix.fault;
}

static void
helix_run(struct helix_ctx *c, size_t r)
{
	const char	*ct = c->req->content_type;

	if (helix_routes[r].scope != NULL &&
	    !helix_scope_ok(c->tok, helix_routes[r].scope)) {
		char	first[80];

		/* Twitch names the first of the alternatives. */
		snprintf(first, sizeof first, "%.*s",
		    (int)strcspn(helix_routes[r].scope, "|"),
		    helix_routes[r].scope);
		helix_error3(c, 401, "Missing scope: ", first, "");
		return;
	}
	if (c->req->body_len > 0) {
		if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
		    (c->body = cJSON_ParseWithLength(c->req->body,
		    c->req->body_len)) == NULL) {
			helix_error(c, 400, "The request body is not valid "
			    "JSON.");
			return;
		}
	}
	helix_routes[r].fn(c);
}

int
helix_handle(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	struct helix_ctx	c;
	enum helix_fault	f;
	size_t			r, n = sizeof helix_routes / sizeof helix_routes[0];
	int			path_known = 0;
	struct timespec		ts;

	memset(&c, 0, sizeof c);
	c.w = w;
	c.req = req;
	c.resp = resp;
	for (r = 0; r < n; r++)
		if (strcmp(helix_routes[r].path, req->path) == 0) {
			path_known = 1;
			if (strcmp(helix_routes[r].method, req->method) == 0)
				break;
		}
	if (helix_auth(&c) != 0) {
		c.tok = NULL;
		(void)helix_ratelimit(&c);
		return 0;
	}
	if (helix_ratelimit(&c) != 0 ||
	    (f = helix_fault_take()) == HELIX_FAULT_429) {
		helix_error(&c, 429, "Too Many Requests");
		return 0;
	}
	if (f == HELIX_FAULT_500) {
		helix_error(&c, 500, "Internal Server Error");
		return 0;
	}
	if (r == n)
		helix_error(&c, path_known ? 405 : 404, path_known ?
		    "Method Not Allowed" : "Not Found");
	else
		helix_run(&c, r);
	cJSON_Delete(c.body);
	if (f == HELIX_FAULT_MALFORMED && resp->body_len > 2) {
		resp->status = 200;
		resp->body_len /= 2;
		resp->body[resp->body_len] = '\0';
	} else if (f == HELIX_FAULT_SLOW) {
		ts.tv_sec = HELIX_SLOW_MS / 1000;
		ts.tv_nsec = (HELIX_SLOW_MS % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	return 0;
}
