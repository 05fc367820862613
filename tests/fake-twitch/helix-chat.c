/*
 * helix-chat.c: the Helix endpoints that touch a channel's chat: chat
 * settings (GET, and PATCH, which sends ROOMSTATE), badges, emotes and
 * chat colors, bans and timeouts (CLEARCHAT) and the list of them,
 * unbans, deleting messages (CLEARMSG, or CLEARCHAT for all),
 * announcements (USERNOTICE), whispers and POST chat/messages (PRIVMSG).
 * Shapes, scopes and errors: see the list at the top of helix.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "chat.h"
#include "helix.h"
#include "route.h"
#include "seed.h"

/* ---- chat settings ---- */

static void
helix_chat_settings_obj(struct helix_ctx *c, const struct seed_channel *ch,
    int with_mod)
{
	const struct seed_settings	*s = &ch->settings;
	cJSON				*data, *root, *o;

	root = helix_root(&data);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "broadcaster_id", c->w->users[ch->user].id);
	cJSON_AddBoolToObject(o, "emote_mode", s->emote_mode);
	cJSON_AddBoolToObject(o, "follower_mode", s->follower_mode);
	if (s->follower_mode)
		cJSON_AddNumberToObject(o, "follower_mode_duration",
		    s->follower_mode_duration);
	else
		cJSON_AddNullToObject(o, "follower_mode_duration");
	if (with_mod) {
		cJSON_AddStringToObject(o, "moderator_id", c->me.id);
		cJSON_AddBoolToObject(o, "non_moderator_chat_delay",
		    s->non_moderator_chat_delay);
		if (s->non_moderator_chat_delay)
			cJSON_AddNumberToObject(o,
			    "non_moderator_chat_delay_duration",
			    s->non_moderator_chat_delay_duration);
		else
			cJSON_AddNullToObject(o,
			    "non_moderator_chat_delay_duration");
	}
	cJSON_AddBoolToObject(o, "slow_mode", s->slow_mode);
	if (s->slow_mode)
		cJSON_AddNumberToObject(o, "slow_mode_wait_time",
		    s->slow_mode_wait_time);
	else
		cJSON_AddNullToObject(o, "slow_mode_wait_time");
	cJSON_AddBoolToObject(o, "subscriber_mode", s->subscriber_mode);
	cJSON_AddBoolToObject(o, "unique_chat_mode", s->unique_chat_mode);
	cJSON_AddItemToArray(data, o);
	route_json(c->resp, 200, root);
}

void
helix_chat_settings_get(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	char			 mod[32];
	int			 with_mod = 0;

	if ((ch = helix_channel(c)) == NULL)
		return;
	if (route_arg(c->req->query, "moderator_id", 0, mod, sizeof mod) > 0) {
		if (strcmp(mod, c->me.id) != 0) {
			helix_error(c, 401, "The ID in moderator_id must match "
			    "the user ID found in the request's OAuth token.");
			return;
		}
		with_mod = helix_can_moderate(c, ch) &&
		    (seed_token_has_scope(c->tok,
		    "moderator:read:chat_settings") ||
		    seed_token_has_scope(c->tok,
		    "moderator:manage:chat_settings"));
	}
	helix_chat_settings_obj(c, ch, with_mod);
}

/* A boolean member of the PATCH body: 1, 0, or -1 when absent. */
static int
helix_chat_body_bool(struct helix_ctx *c, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(c->body, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1;
}

/* An integer member in [lo, hi]: 0 and *out, 1 when absent, -1 bad. */
static int
helix_chat_body_int(struct helix_ctx *c, const char *key, int lo, int hi, int *out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(c->body, key);

	if (v == NULL || cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
	    v->valuedouble != (double)(int)v->valuedouble)
		return -1;
	*out = (int)v->valuedouble;
	return 0;
}

/* Apply a PATCH to s; the chat keys that changed go out as ROOMSTATE. */
static int
helix_chat_settings_apply(struct helix_ctx *c, struct seed_settings *s)
{
	struct seed_settings	 n = *s;
	int			 b, d, r;

	if ((b = helix_chat_body_bool(c, "emote_mode")) >= 0)
		n.emote_mode = b;
	if ((b = helix_chat_body_bool(c, "subscriber_mode")) >= 0)
		n.subscriber_mode = b;
	if ((b = helix_chat_body_bool(c, "unique_chat_mode")) >= 0)
		n.unique_chat_mode = b;
	if ((b = helix_chat_body_bool(c, "follower_mode")) >= 0) {
		n.follower_mode = b;
		n.follower_mode_duration = 0;
	}
	if ((r = helix_chat_body_int(c, "follower_mode_duration", 0, 129600,
	    &d)) < 0 || (r == 0 && !n.follower_mode))
		return -1;
	if (r == 0)
		n.follower_mode_duration = d;
	if ((b = helix_chat_body_bool(c, "slow_mode")) >= 0) {
		n.slow_mode = b;
		n.slow_mode_wait_time = b ? 30 : 0;
	}
	if ((r = helix_chat_body_int(c, "slow_mode_wait_time", 3, 120, &d)) < 0 ||
	    (r == 0 && !n.slow_mode))
		return -1;
	if (r == 0)
		n.slow_mode_wait_time = d;
	if ((b = helix_chat_body_bool(c, "non_moderator_chat_delay")) >= 0) {
		n.non_moderator_chat_delay = b;
		n.non_moderator_chat_delay_duration = b ? 2 : 0;
	}
	if ((r = helix_chat_body_int(c, "non_moderator_chat_delay_duration", 2, 6,
	    &d)) < 0 || (r == 0 && (!n.non_moderator_chat_delay || d % 2)))
		return -1;
	if (r == 0)
		n.non_moderator_chat_delay_duration = d;
	*s = n;
	return 0;
}

void
helix_chat_settings_patch(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_settings	 old;
	const char		*login;

	if ((ch = helix_mod_channel(c, "The user in the moderator_id query "
	    "parameter must have moderator privileges in the broadcaster's "
	    "channel.")) == NULL)
		return;
	old = ch->settings;
	if (!cJSON_IsObject(c->body) ||
	    helix_chat_settings_apply(c, &ch->settings) != 0) {
		ch->settings = old;
		helix_error(c, 400, "The request body is not valid.");
		return;
	}
	login = c->w->users[ch->user].login;
	if (old.emote_mode != ch->settings.emote_mode)
		chat_roomstate(login, "emote-only", ch->settings.emote_mode);
	if (old.subscriber_mode != ch->settings.subscriber_mode)
		chat_roomstate(login, "subs-only", ch->settings.subscriber_mode);
	if (old.unique_chat_mode != ch->settings.unique_chat_mode)
		chat_roomstate(login, "r9k", ch->settings.unique_chat_mode);
	if (old.follower_mode != ch->settings.follower_mode ||
	    old.follower_mode_duration != ch->settings.follower_mode_duration)
		chat_roomstate(login, "followers-only",
		    ch->settings.follower_mode ?
		    ch->settings.follower_mode_duration : -1);
	if (old.slow_mode != ch->settings.slow_mode ||
	    old.slow_mode_wait_time != ch->settings.slow_mode_wait_time)
		chat_roomstate(login, "slow", ch->settings.slow_mode ?
		    ch->settings.slow_mode_wait_time : 0);
	helix_chat_settings_obj(c, ch, 1);
}

/* ---- badges and emotes ---- */

static const struct {
	const char	*set_id;
	const char	*versions;	/* space-separated */
	const char	*title;
} helix_chat_global_badges[] = {
	{ "broadcaster", "1", "Broadcaster" },
	{ "moderator", "1", "Moderator" },
	{ "vip", "1", "VIP" },
	{ "subscriber", "0 1", "Subscriber" },
	{ "premium", "1", "Prime Gaming" },
	{ "turbo", "1", "Turbo" },
	{ "partner", "1", "Verified" },
	{ "staff", "1", "Staff" },
	{ "bits", "1 100 1000", "cheer" },
};

/* A stable made-up image id, shaped like Twitch's UUIDs. */
static void
helix_chat_badge_url(const char *set, const char *ver, int scale, char *buf,
    size_t bufsz)
{
	uint32_t	h = 2166136261u;
	const char	*p;

	for (p = set; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = ver; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(buf, bufsz, "https://static-cdn.jtvnw.net/badges/v1/"
	    "%08x-%04x-4%03x-8%03x-%012x/%d", h, h >> 16, h & 0xfff,
	    (h >> 4) & 0xfff, h, scale);
}

static void
helix_chat_badge_set(cJSON *data, const char *set, const char *const *vers,
    int nvers, const char *title)
{
	cJSON	*o = cJSON_CreateObject(), *va, *v;
	char	 url[160], key[16];
	int	 i, s;

	cJSON_AddStringToObject(o, "set_id", set);
	va = cJSON_AddArrayToObject(o, "versions");
	for (i = 0; i < nvers; i++) {
		v = cJSON_CreateObject();
		cJSON_AddStringToObject(v, "id", vers[i]);
		for (s = 1; s <= 4; s *= 2) {
			if (s == 2 || s == 1 || s == 4) {
				helix_chat_badge_url(set, vers[i], s, url,
				    sizeof url);
				snprintf(key, sizeof key, "image_url_%dx", s);
				cJSON_AddStringToObject(v, key, url);
			}
		}
		cJSON_AddStringToObject(v, "title", title);
		cJSON_AddStringToObject(v, "description", title);
		cJSON_AddNullToObject(v, "click_action");
		cJSON_AddNullToObject(v, "click_url");
		cJSON_AddItemToArray(va, v);
	}
	cJSON_AddItemToArray(data, o);
}

void
helix_chat_badges_global(struct helix_ctx *c)
{
	cJSON		*data, *root;
	const char	*vers[8];
	char		 buf[64], *p, *sp;
	size_t		 i;
	int		 n;

	root = helix_root(&data);
	for (i = 0; i < sizeof helix_chat_global_badges /
	    sizeof helix_chat_global_badges[0]; i++) {
		snprintf(buf, sizeof buf, "%s", helix_chat_global_badges[i].versions);
		for (n = 0, p = buf; n < 8; p = sp + 1) {
			vers[n++] = p;
			if ((sp = strchr(p, ' ')) == NULL)
				break;
			*sp = '\0';
		}
		helix_chat_badge_set(data, helix_chat_global_badges[i].set_id, vers, n,
		    helix_chat_global_badges[i].title);
	}
	route_json(c->resp, 200, root);
}

void
helix_chat_badges(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	cJSON			*data, *root;
	const char		*vers[8];
	size_t			 i;
	int			 k;

	if ((ch = helix_channel(c)) == NULL)
		return;
	root = helix_root(&data);
	for (i = 0; i < ch->nbadges; i++) {
		for (k = 0; k < ch->badges[i].nversions; k++)
			vers[k] = ch->badges[i].versions[k];
		helix_chat_badge_set(data, ch->badges[i].set_id, vers,
		    ch->badges[i].nversions, ch->badges[i].set_id);
	}
	route_json(c->resp, 200, root);
}

static const struct {
	const char	*id;
	const char	*name;
} helix_chat_global_emotes[] = {
	/* The same as chat's emotes tag (chat.c). */
	{ "25", "Kappa" }, { "305954156", "PogChamp" }, { "425618", "LUL" },
	{ "1902", "Keepo" }, { "354", "4Head" }, { "86", "BibleThump" },
	{ "41", "Kreygasm" }, { "64138", "SeemsGood" }, { "81274", "VoHiYo" },
	{ "483", "<3" },
};

static void
helix_chat_emote_obj(cJSON *data, const char *id, const char *name,
    const struct seed_emote *e)
{
	static const char	 tmpl[] = "https://static-cdn.jtvnw.net/"
	    "emoticons/v2/%s/static/light/%s";
	cJSON			*o = cJSON_CreateObject(), *img, *a;
	char			 url[200];

	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", name);
	img = cJSON_AddObjectToObject(o, "images");
	snprintf(url, sizeof url, tmpl, id, "1.0");
	cJSON_AddStringToObject(img, "url_1x", url);
	snprintf(url, sizeof url, tmpl, id, "2.0");
	cJSON_AddStringToObject(img, "url_2x", url);
	snprintf(url, sizeof url, tmpl, id, "3.0");
	cJSON_AddStringToObject(img, "url_4x", url);
	if (e != NULL) {
		cJSON_AddStringToObject(o, "tier", e->tier);
		cJSON_AddStringToObject(o, "emote_type", e->type);
		cJSON_AddStringToObject(o, "emote_set_id", "300000000");
	}
	a = cJSON_AddArrayToObject(o, "format");
	cJSON_AddItemToArray(a, cJSON_CreateString("static"));
	a = cJSON_AddArrayToObject(o, "scale");
	cJSON_AddItemToArray(a, cJSON_CreateString("1.0"));
	cJSON_AddItemToArray(a, cJSON_CreateString("2.0"));
	cJSON_AddItemToArray(a, cJSON_CreateString("3.0"));
	a = cJSON_AddArrayToObject(o, "theme_mode");
	cJSON_AddItemToArray(a, cJSON_CreateString("light"));
	cJSON_AddItemToArray(a, cJSON_CreateString("dark"));
	cJSON_AddItemToArray(data, o);
}

static void
helix_chat_emotes_template(cJSON *root)
{
	cJSON_AddStringToObject(root, "template", "https://static-cdn.jtvnw."
	    "net/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}");
}

void
helix_chat_emotes_global(struct helix_ctx *c)
{
	cJSON	*data, *root;
	size_t	 i;

	root = helix_root(&data);
	for (i = 0; i < sizeof helix_chat_global_emotes /
	    sizeof helix_chat_global_emotes[0]; i++)
		helix_chat_emote_obj(data, helix_chat_global_emotes[i].id,
		    helix_chat_global_emotes[i].name, NULL);
	helix_chat_emotes_template(root);
	route_json(c->resp, 200, root);
}

void
helix_chat_emotes(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	cJSON			*data, *root;
	size_t			 i;

	if ((ch = helix_channel(c)) == NULL)
		return;
	root = helix_root(&data);
	for (i = 0; i < ch->nemotes; i++)
		helix_chat_emote_obj(data, ch->emotes[i].id, ch->emotes[i].name,
		    &ch->emotes[i]);
	helix_chat_emotes_template(root);
	route_json(c->resp, 200, root);
}

/* ---- moderation and sending ---- */

/* Remove b from ch->bans, keeping the others in the order placed. */
static void
helix_chat_ban_remove(struct seed_channel *ch, struct seed_ban *b)
{
	size_t	i = (size_t)(b - ch->bans);

	memmove(b, b + 1, (ch->nbans - i - 1) * sizeof *b);
	ch->nbans--;
}

/* The live ban or timeout of user_id in ch, or NULL; ended timeouts go. */
static struct seed_ban *
helix_chat_ban_find(struct seed_channel *ch, const char *user_id,
    int64_t now)
{
	size_t	i;

	for (i = 0; i < ch->nbans; i++) {
		if (ch->bans[i].expires != 0 && ch->bans[i].expires <= now) {
			helix_chat_ban_remove(ch, &ch->bans[i--]);
			continue;
		}
		if (strcmp(ch->bans[i].user_id, user_id) == 0)
			return &ch->bans[i];
	}
	return NULL;
}

static struct seed_ban *
helix_chat_ban_add(struct seed_channel *ch)
{
	if (ch->nbans == ch->bancap) {
		ch->bancap = ch->bancap == 0 ? 8 : ch->bancap * 2;
		if ((ch->bans = realloc(ch->bans, ch->bancap *
		    sizeof *ch->bans)) == NULL)
			abort();
	}
	memset(&ch->bans[ch->nbans], 0, sizeof *ch->bans);
	return &ch->bans[ch->nbans++];
}

void
helix_chat_ban(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_person	 p;
	const cJSON		*d, *uid, *dur, *rsn;
	cJSON			*data, *root, *o;
	int64_t			 now = (int64_t)(c->req->now_ms / 1000);
	unsigned		 secs = 0;
	struct seed_ban		*b;

	if ((ch = helix_mod_channel(c, "The user in moderator_id is not one "
	    "of the broadcaster's moderators.")) == NULL)
		return;
	d = cJSON_GetObjectItemCaseSensitive(c->body, "data");
	uid = cJSON_GetObjectItemCaseSensitive(d, "user_id");
	dur = cJSON_GetObjectItemCaseSensitive(d, "duration");
	rsn = cJSON_GetObjectItemCaseSensitive(d, "reason");
	if (!cJSON_IsString(uid) || uid->valuestring[0] == '\0') {
		helix_error(c, 400, "Missing required parameter \"user_id\"");
		return;
	}
	if (dur != NULL && (!cJSON_IsNumber(dur) || dur->valuedouble < 1 ||
	    dur->valuedouble > 1209600)) {
		helix_error(c, 400, "The value in the duration field is not "
		    "valid.");
		return;
	}
	if (cJSON_IsString(rsn) && strlen(rsn->valuestring) > 500) {
		helix_error(c, 400, "The text in the reason field is too "
		    "long.");
		return;
	}
	if (seed_person_by_id(c->w, uid->valuestring, &p) != 0) {
		helix_error(c, 400, "The user specified in the user_id field "
		    "does not exist.");
		return;
	}
	if (strcmp(p.id, c->w->users[ch->user].id) == 0 ||
	    seed_is_mod(c->w, ch, p.id)) {
		helix_error(c, 400, "The user specified in the user_id field "
		    "may not be banned.");
		return;
	}
	if (dur != NULL)
		secs = (unsigned)dur->valuedouble;
	/* A timeout may be changed, or made a ban; a ban stays a ban. */
	if ((b = helix_chat_ban_find(ch, p.id, now)) != NULL &&
	    b->expires == 0) {
		helix_error(c, 400, "user is already banned");
		return;
	}
	if (b == NULL)
		b = helix_chat_ban_add(ch);
	snprintf(b->user_id, sizeof b->user_id, "%s", p.id);
	snprintf(b->login, sizeof b->login, "%s", p.login);
	snprintf(b->display, sizeof b->display, "%s", p.display);
	snprintf(b->mod_id, sizeof b->mod_id, "%s", c->me.id);
	snprintf(b->reason, sizeof b->reason, "%s", cJSON_IsString(rsn) ?
	    rsn->valuestring : "");
	b->created = now;
	b->expires = secs > 0 ? now + secs : 0;
	chat_clearchat(c->w->users[ch->user].login, p.login, p.id, secs);
	root = helix_root(&data);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "broadcaster_id", c->w->users[ch->user].id);
	cJSON_AddStringToObject(o, "moderator_id", c->me.id);
	cJSON_AddStringToObject(o, "user_id", p.id);
	helix_add_time(o, "created_at", now);
	if (secs > 0)
		helix_add_time(o, "end_time", now + secs);
	else
		cJSON_AddNullToObject(o, "end_time");
	cJSON_AddItemToArray(data, o);
	route_json(c->resp, 200, root);
}

void
helix_chat_unban(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_person	 p;
	struct seed_ban		*b;
	char			 uid[32];

	if ((ch = helix_mod_channel(c, "The user in moderator_id is not one "
	    "of the broadcaster's moderators.")) == NULL ||
	    helix_need(c, "user_id", uid, sizeof uid) != 0)
		return;
	if (seed_person_by_id(c->w, uid, &p) != 0) {
		helix_error(c, 400, "The user specified in the user_id field "
		    "does not exist.");
		return;
	}
	if ((b = helix_chat_ban_find(ch, p.id, (int64_t)(c->req->now_ms /
	    1000))) == NULL) {
		helix_error(c, 400, "user is not banned");
		return;
	}
	helix_chat_ban_remove(ch, b);
	chat_unban(c->w->users[ch->user].login, p.login);
	helix_no_content(c);
}

/* Get Banned Users: the live bans and timeouts placed through Helix. */
void
helix_chat_banned(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct seed_person	 mod;
	const struct seed_ban	*b;
	cJSON			*data, *root, *o;
	size_t			 off, n, i, k, total = 0;
	char			 v[32];
	int			 nf, f;

	if ((ch = helix_own_channel(c)) == NULL ||
	    (nf = helix_nids(c, "user_id", NULL, 100)) < 0)
		return;
	(void)helix_chat_ban_find(ch, "", (int64_t)(c->req->now_ms / 1000));
	/* Newest first; the filter keeps the bans of the given users. */
	for (i = ch->nbans; i-- > 0;) {
		for (f = 0; f < nf; f++)
			if (route_arg(c->req->query, "user_id", f, v,
			    sizeof v) > 0 && strcmp(v, ch->bans[i].user_id) == 0)
				break;
		total += nf == 0 || f < nf;
	}
	if (helix_page(c, total, 20, 100, &off, &n) != 0)
		return;
	root = helix_root(&data);
	for (i = ch->nbans, k = 0; i-- > 0 && k < off + n;) {
		b = &ch->bans[i];
		for (f = 0; f < nf; f++)
			if (route_arg(c->req->query, "user_id", f, v,
			    sizeof v) > 0 && strcmp(v, b->user_id) == 0)
				break;
		if (nf > 0 && f == nf)
			continue;
		if (k++ < off)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "user_id", b->user_id);
		cJSON_AddStringToObject(o, "user_login", b->login);
		cJSON_AddStringToObject(o, "user_name", b->display);
		if (b->expires != 0)
			helix_add_time(o, "expires_at", b->expires);
		else
			cJSON_AddStringToObject(o, "expires_at", "");
		helix_add_time(o, "created_at", b->created);
		cJSON_AddStringToObject(o, "reason", b->reason);
		if (seed_person_by_id(c->w, b->mod_id, &mod) != 0)
			memset(&mod, 0, sizeof mod);
		helix_add_person(o, "moderator", &mod);
		cJSON_AddItemToArray(data, o);
	}
	helix_pagination(root, off + n, total);
	route_json(c->resp, 200, root);
}

void
helix_chat_delete_chat(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	struct chat_chan	*cc;
	const char		*id, *login, *text, *chan;
	char			 mid[64];
	unsigned		 i;
	int			 n;
	struct seed_person	 p;

	if ((ch = helix_mod_channel(c, "The user in moderator_id is not one "
	    "of the broadcaster's moderators.")) == NULL)
		return;
	chan = c->w->users[ch->user].login;
	n = route_arg(c->req->query, "message_id", 0, mid, sizeof mid);
	if (n == 0 || (n < 0 && route_nargs(c->req->query, "message_id") == 0)) {
		chat_clearchat(chan, NULL, NULL, 0);
		helix_no_content(c);
		return;
	}
	if (n < 0) {		/* given, but longer than any id */
		helix_error(c, 404, "The ID in message_id was not found.");
		return;
	}
	/* Only messages chat still remembers can be deleted: the others
	 * are "not found", as Twitch says of those over 6 hours old. */
	login = NULL;
	if ((cc = chat_chan_get(chan)) != NULL)
		for (i = 0; i < 64; i++)
			if (chat_chan_recent(cc, i, &id, &login, &text) != 0 ||
			    strcmp(id, mid) == 0)
				break;
	if (login == NULL || strcmp(id, mid) != 0) {
		helix_error(c, 404, "The ID in message_id was not found.");
		return;
	}
	if (strcmp(login, chan) == 0) {
		helix_error(c, 400, "You may not delete the broadcaster's "
		    "messages.");
		return;
	}
	if (seed_person_by_login(c->w, login, &p) == 0 &&
	    seed_is_mod(c->w, ch, p.id) && strcmp(p.id, c->me.id) != 0 &&
	    strcmp(c->me.id, c->w->users[ch->user].id) != 0) {
		helix_error(c, 400, "You may not delete another moderator's "
		    "messages.");
		return;
	}
	chat_clearmsg(chan, mid);
	helix_no_content(c);
}

void
helix_chat_whisper(struct helix_ctx *c)
{
	struct seed_person	 p;
	const cJSON		*m;
	char			 from[32], to[32];

	if (helix_need_self(c, "from_user_id", from, sizeof from) != 0 ||
	    helix_need(c, "to_user_id", to, sizeof to) != 0)
		return;
	if (seed_person_by_id(c->w, to, &p) != 0) {
		helix_error(c, 400, "The ID in to_user_id is not valid.");
		return;
	}
	m = cJSON_GetObjectItemCaseSensitive(c->body, "message");
	if (!cJSON_IsString(m) || m->valuestring[0] == '\0') {
		helix_error(c, 400, "Missing required parameter \"message\"");
		return;
	}
	/* Whispers do not travel over IRC any more: nothing to deliver. */
	helix_no_content(c);
}

/* Code points of a UTF-8 string. */
static size_t
helix_chat_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
helix_chat_send(struct helix_ctx *c)
{
	struct seed_channel	*ch;
	const cJSON		*b, *s, *m;
	cJSON			*data, *root, *o;
	char			 id[40];
	uint64_t		 ms;

	b = cJSON_GetObjectItemCaseSensitive(c->body, "broadcaster_id");
	s = cJSON_GetObjectItemCaseSensitive(c->body, "sender_id");
	m = cJSON_GetObjectItemCaseSensitive(c->body, "message");
	if (!cJSON_IsString(b) || !cJSON_IsString(s) || !cJSON_IsString(m) ||
	    m->valuestring[0] == '\0') {
		helix_error(c, 400, !cJSON_IsString(b) ? "Missing required "
		    "parameter \"broadcaster_id\"" : !cJSON_IsString(s) ?
		    "Missing required parameter \"sender_id\"" :
		    "Missing required parameter \"message\"");
		return;
	}
	if (strcmp(s->valuestring, c->me.id) != 0) {
		helix_error(c, 401, "The ID in sender_id must match the user "
		    "ID found in the request's OAuth token.");
		return;
	}
	if ((ch = seed_chan_by_id(c->w, b->valuestring)) == NULL) {
		helix_error(c, 400, "The ID in broadcaster_id is not valid.");
		return;
	}
	if (helix_chat_chars(m->valuestring) > 500) {
		helix_error(c, 422, "The message is too large.");
		return;
	}
	if (strpbrk(m->valuestring, "\r\n") != NULL) {
		helix_error(c, 400, "The message may not contain line breaks.");
		return;
	}
	chat_say(c->w->users[ch->user].login, c->me.login, m->valuestring, id,
	    &ms);
	root = helix_root(&data);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "message_id", id);
	cJSON_AddBoolToObject(o, "is_sent", 1);
	cJSON_AddItemToArray(data, o);
	route_json(c->resp, 200, root);
}

/* Send Chat Announcement: a USERNOTICE msg-id=announcement from the
 * caller, tagged the way chat tags the simulated ones (sim.c). */
void
helix_chat_announce(struct helix_ctx *c)
{
	static const char *const colors[] = { "primary", "blue", "green",
	    "orange", "purple" };
	struct seed_channel	*ch;
	struct chat_chan	*cc;
	const cJSON		*m, *col;
	char			 tags[1024], disp[200], id[40], color[16];
	size_t			 i;
	int			 isbc;

	if ((ch = helix_mod_channel(c, "The user in moderator_id is not one "
	    "of the broadcaster's moderators.")) == NULL)
		return;
	m = cJSON_GetObjectItemCaseSensitive(c->body, "message");
	col = cJSON_GetObjectItemCaseSensitive(c->body, "color");
	if (!cJSON_IsString(m) || m->valuestring[0] == '\0' ||
	    strpbrk(m->valuestring, "\r\n") != NULL) {
		helix_error(c, 400, "Missing required parameter \"message\"");
		return;
	}
	snprintf(color, sizeof color, "%s", cJSON_IsString(col) ?
	    col->valuestring : "primary");
	for (i = 0; i < sizeof colors / sizeof colors[0]; i++)
		if (strcmp(color, colors[i]) == 0)
			break;
	if (i == sizeof colors / sizeof colors[0]) {
		helix_error(c, 400, "The specified color is not valid.");
		return;
	}
	for (i = 0; color[i] != '\0'; i++)
		color[i] = (char)(color[i] - 'a' + 'A');
	isbc = strcmp(c->me.id, c->w->users[ch->user].id) == 0;
	chat_tag_escape(c->me.display, disp, sizeof disp);
	chat_new_id(id);
	cc = chat_chan_get(c->w->users[ch->user].login);
	snprintf(tags, sizeof tags, "badge-info=;badges=%s;color=%s;"
	    "display-name=%s;emotes=;flags=;id=%s;login=%s;mod=%d;"
	    "msg-id=announcement;msg-param-color=%s;room-id=%s;subscriber=0;"
	    "system-msg=;tmi-sent-ts=%llu;user-id=%s;user-type=%s",
	    isbc ? "broadcaster/1" : "moderator/1",
	    c->me.user != NULL ? c->me.user->color : "", disp, id,
	    c->me.login, !isbc, color, cc != NULL ? chat_chan_room_id(cc) :
	    c->w->users[ch->user].id, (unsigned long long)c->req->now_ms,
	    c->me.id, isbc ? "" : "mod");
	chat_usernotice(c->w->users[ch->user].login, tags, m->valuestring);
	helix_no_content(c);
}

/* Get User Chat Color. */
void
helix_chat_color(struct helix_ctx *c)
{
	struct seed_person	 p;
	cJSON			*data, *root, *o;
	char			 v[32];
	int			 i, n;

	if ((n = helix_nids(c, "user_id", NULL, 100)) < 0)
		return;
	if (n == 0) {
		helix_error(c, 400, "Missing required parameter \"user_id\"");
		return;
	}
	root = helix_root(&data);
	for (i = 0; route_arg(c->req->query, "user_id", i, v, sizeof v) >= 0;
	    i++) {
		if (seed_person_by_id(c->w, v, &p) != 0)
			continue;
		o = cJSON_CreateObject();
		helix_add_person(o, "user", &p);
		cJSON_AddStringToObject(o, "color", p.user != NULL ?
		    p.user->color : "");
		cJSON_AddItemToArray(data, o);
	}
	route_json(c->resp, 200, root);
}

/* Twitch's named chat colours (anyone), and "#RRGGBB" (Turbo or Prime:
 * every seeded user may here). */
static const struct {
	const char	*name;
	const char	*hex;
} helix_chat_colors[] = {
	{ "blue", "#0000FF" }, { "blue_violet", "#8A2BE2" },
	{ "cadet_blue", "#5F9EA0" }, { "chocolate", "#D2691E" },
	{ "coral", "#FF7F50" }, { "dodger_blue", "#1E90FF" },
	{ "firebrick", "#B22222" }, { "golden_rod", "#DAA520" },
	{ "green", "#008000" }, { "hot_pink", "#FF69B4" },
	{ "orange_red", "#FF4500" }, { "red", "#FF0000" },
	{ "sea_green", "#2E8B57" }, { "spring_green", "#00FF7F" },
	{ "yellow_green", "#9ACD32" },
};

/* PUT chat/color?user_id=(the token's user)&color=NAME|#RRGGBB: 204. */
void
helix_chat_color_set(struct helix_ctx *c)
{
	char	 uid[32], color[32];
	long	 u;
	size_t	 i;
	int	 ok = 0;

	if (helix_need_self(c, "user_id", uid, sizeof uid) != 0 ||
	    helix_need(c, "color", color, sizeof color) != 0)
		return;
	if ((u = seed_user_by_id(c->w, uid)) < 0) {
		helix_error(c, 400, "The ID in user_id is not valid.");
		return;
	}
	for (i = 0; i < sizeof helix_chat_colors / sizeof helix_chat_colors[0];
	    i++)
		if (strcmp(color, helix_chat_colors[i].name) == 0) {
			snprintf(color, sizeof color, "%s",
			    helix_chat_colors[i].hex);
			ok = 1;
		}
	if (!ok && color[0] == '#' && strlen(color) == 7 &&
	    strspn(color + 1, "0123456789abcdefABCDEF") == 6)
		ok = 1;
	if (!ok) {
		helix_error(c, 400, "The named color in the color query "
		    "parameter is not valid.");
		return;
	}
	snprintf(c->w->users[u].color, sizeof c->w->users[u].color, "%s",
	    color);
	helix_no_content(c);
}
