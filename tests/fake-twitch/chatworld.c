/*
 * chatworld.c: chat's view of the seeded world (see chatworld.h), read
 * from the seed file with cJSON. Chat needs little: who a token logs in
 * as, a user's id, display name, color and badges, which channels exist,
 * their room id and chat settings, and who is broadcaster, moderator, VIP
 * or subscriber there. The reader is lenient about key names so the seed
 * files the Helix half uses serve chat as they are:
 *
 *   users[]:    login, id, display_name, color, badges (array or string)
 *   tokens[]:   token|access_token, login|user_login|user, scopes[],
 *               expired|revoked (bool), expires_at_ms (number, optional)
 *   channels[]: broadcaster|login|name, moderators[], vips[],
 *               subscribers[] (logins or {login, months}),
 *               chat_settings {emote_mode, follower_mode,
 *               follower_mode_duration, slow_mode, slow_mode_wait_time,
 *               subscriber_mode, unique_chat_mode}
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "chatworld.h"

static cJSON		*chatworld_root;
static chatworld_token_fn chatworld_token_hook;

void
chatworld_set_token_hook(chatworld_token_fn fn)
{
	chatworld_token_hook = fn;
}

static const char *
chatworld_str(const cJSON *o, const char *const *keys)
{
	const cJSON	*v;

	for (; *keys != NULL; keys++) {
		v = cJSON_GetObjectItemCaseSensitive(o, *keys);
		if (cJSON_IsString(v) && v->valuestring != NULL)
			return v->valuestring;
		if (cJSON_IsNumber(v)) {
			static char	num[32];

			snprintf(num, sizeof num, "%.0f", v->valuedouble);
			return num;
		}
	}
	return NULL;
}

static const cJSON *
chatworld_array(const char *name)
{
	const cJSON	*a;

	a = cJSON_GetObjectItemCaseSensitive(chatworld_root, name);
	return cJSON_IsArray(a) ? a : NULL;
}

int
chatworld_load(const char *path, char *err, size_t errsz)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s: cannot open", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > 64L * 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		snprintf(err, errsz, "%s: cannot read", path);
		return -1;
	}
	if ((buf = malloc((size_t)n + 1)) == NULL)
		abort();
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		snprintf(err, errsz, "%s: short read", path);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	cJSON_Delete(chatworld_root);
	chatworld_root = cJSON_Parse(buf);
	free(buf);
	if (chatworld_root == NULL) {
		snprintf(err, errsz, "%s: not valid JSON", path);
		return -1;
	}
	return 0;
}

void
chatworld_free(void)
{
	cJSON_Delete(chatworld_root);
	chatworld_root = NULL;
}

static const cJSON *
chatworld_find_user(const char *login)
{
	static const char *const k[] = { "login", NULL };
	const cJSON	*u;
	const char	*s;

	cJSON_ArrayForEach(u, chatworld_array("users")) {
		s = chatworld_str(u, k);
		if (s != NULL && strcmp(s, login) == 0)
			return u;
	}
	return NULL;
}

void
chatworld_user(const char *login, struct chatworld_user *out)
{
	static const char *const kid[] = { "id", "user_id", NULL };
	static const char *const kdn[] = { "display_name", "display", NULL };
	static const char *const kco[] = { "color", NULL };
	const cJSON	*u, *b, *e;
	const char	*s;
	size_t		 n = 0, i;
	uint32_t	 h = 2166136261u;

	memset(out, 0, sizeof *out);
	snprintf(out->login, sizeof out->login, "%s", login);
	if ((u = chatworld_find_user(login)) == NULL) {
		/* A made-up user: a stable id from the login, no color. */
		for (i = 0; login[i] != '\0'; i++)
			h = (h ^ (unsigned char)login[i]) * 16777619u;
		snprintf(out->id, sizeof out->id, "%u", 500000000u +
		    h % 400000000u);
		snprintf(out->display, sizeof out->display, "%s", login);
		return;
	}
	out->known = 1;
	if ((s = chatworld_str(u, kid)) != NULL)
		snprintf(out->id, sizeof out->id, "%s", s);
	s = chatworld_str(u, kdn);
	snprintf(out->display, sizeof out->display, "%s", s != NULL ? s :
	    login);
	if ((s = chatworld_str(u, kco)) != NULL)
		snprintf(out->color, sizeof out->color, "%s", s);
	b = cJSON_GetObjectItemCaseSensitive(u, "badges");
	if (cJSON_IsString(b) && b->valuestring != NULL)
		snprintf(out->badges, sizeof out->badges, "%s", b->valuestring);
	else if (cJSON_IsArray(b))
		cJSON_ArrayForEach(e, b) {
			if (!cJSON_IsString(e))
				continue;
			int k = snprintf(out->badges + n, sizeof out->badges - n,
			    "%s%s", n > 0 ? "," : "", e->valuestring);
			if (k < 0 || (size_t)k >= sizeof out->badges - n)
				break;
			n += (size_t)k;
		}
}

static int
chatworld_has(const cJSON *arr, const char *s)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	return 0;
}

int
chatworld_token(const char *token, uint64_t now_ms, struct chatworld_user *u)
{
	static const char *const ktok[] = { "token", "access_token", NULL };
	static const char *const klog[] = { "login", "user_login", "user",
	    NULL };
	const cJSON	*t, *v, *sc;
	const char	*s, *login;
	int		 r;

	if (chatworld_token_hook != NULL &&
	    (r = chatworld_token_hook(token, now_ms, u)) >= 0)
		return r == 1 ? 0 : -1;
	cJSON_ArrayForEach(t, chatworld_array("tokens")) {
		s = chatworld_str(t, ktok);
		if (s == NULL || strcmp(s, token) != 0)
			continue;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t,
		    "expired")) || cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(t, "revoked")))
			return -1;
		v = cJSON_GetObjectItemCaseSensitive(t, "expires_at_ms");
		if (cJSON_IsNumber(v) && v->valuedouble <= (double)now_ms)
			return -1;
		/* IRC needs chat:read; a seed that lists no scopes allows. */
		sc = cJSON_GetObjectItemCaseSensitive(t, "scopes");
		if (cJSON_IsArray(sc) && cJSON_GetArraySize(sc) > 0 &&
		    !chatworld_has(sc, "chat:read"))
			return -1;
		if ((login = chatworld_str(t, klog)) == NULL)
			return -1;
		chatworld_user(login, u);
		return 0;
	}
	return -1;
}

static const cJSON *
chatworld_find_channel(const char *name)
{
	static const char *const k[] = { "broadcaster", "login", "name",
	    "broadcaster_login", NULL };
	const cJSON	*c;
	const char	*s;

	cJSON_ArrayForEach(c, chatworld_array("channels")) {
		s = chatworld_str(c, k);
		if (s != NULL && strcmp(s, name) == 0)
			return c;
	}
	return NULL;
}

static int
chatworld_int(const cJSON *o, const char *key, int dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsNumber(v))
		return (int)v->valuedouble;
	return dflt;
}

int
chatworld_channel(const char *name, char *room_id, size_t room_idsz,
    struct chatworld_roomstate *rs)
{
	const cJSON		*c, *cs;
	struct chatworld_user	 u;

	if ((c = chatworld_find_channel(name)) == NULL)
		return -1;
	chatworld_user(name, &u);
	snprintf(room_id, room_idsz, "%s", u.id);
	cs = cJSON_GetObjectItemCaseSensitive(c, "chat_settings");
	if (cJSON_IsObject(cs)) {
		rs->emote_only = chatworld_int(cs, "emote_mode", 0);
		rs->followers_only = chatworld_int(cs, "follower_mode", 0) ?
		    chatworld_int(cs, "follower_mode_duration", 0) : -1;
		rs->slow = chatworld_int(cs, "slow_mode", 0) ?
		    chatworld_int(cs, "slow_mode_wait_time", 30) : 0;
		rs->subs_only = chatworld_int(cs, "subscriber_mode", 0);
		rs->r9k = chatworld_int(cs, "unique_chat_mode", 0);
	}
	return 0;
}

int
chatworld_roles(const char *channel, const char *login, int *sub_months)
{
	const cJSON	*c, *subs, *e, *m;
	int		 r = 0;

	if (sub_months != NULL)
		*sub_months = 0;
	if (strcmp(channel, login) == 0)
		r |= CHATWORLD_BROADCASTER;
	if ((c = chatworld_find_channel(channel)) == NULL)
		return r;
	if (chatworld_has(cJSON_GetObjectItemCaseSensitive(c, "moderators"),
	    login))
		r |= CHATWORLD_MOD;
	if (chatworld_has(cJSON_GetObjectItemCaseSensitive(c, "vips"), login))
		r |= CHATWORLD_VIP;
	subs = cJSON_GetObjectItemCaseSensitive(c, "subscribers");
	cJSON_ArrayForEach(e, subs) {
		if (cJSON_IsString(e) && strcmp(e->valuestring, login) == 0) {
			r |= CHATWORLD_SUB;
			if (sub_months != NULL)
				*sub_months = 1;
		} else if (cJSON_IsObject(e)) {
			m = cJSON_GetObjectItemCaseSensitive(e, "login");
			if (!cJSON_IsString(m) ||
			    strcmp(m->valuestring, login) != 0)
				continue;
			r |= CHATWORLD_SUB;
			if (sub_months != NULL)
				*sub_months = chatworld_int(e, "months", 1);
		}
	}
	return r;
}

const char *
chatworld_channel_at(size_t i)
{
	static const char *const k[] = { "broadcaster", "login", "name",
	    "broadcaster_login", NULL };
	const cJSON	*c = cJSON_GetArrayItem(chatworld_array("channels"),
	    (int)i);

	return c != NULL ? chatworld_str(c, k) : NULL;
}

const char *
chatworld_user_at(size_t i)
{
	static const char *const k[] = { "login", NULL };
	const cJSON	*u = cJSON_GetArrayItem(chatworld_array("users"),
	    (int)i);

	return u != NULL ? chatworld_str(u, k) : NULL;
}
