/*
 * seed.c: the Helix/OAuth world of fake-twitch (see seed.h for the seed
 * keys), read from the seed file with cJSON into plain structs, and the
 * lookups the handlers share. Generated viewers are never stored: viewer N
 * is made from N when asked for, so a channel of 100,000 chatters costs
 * nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/rand.h>

#include "chat.h"
#include "chatworld.h"
#include "seed.h"

/* 2024-01-01T00:00:00Z: generated followers count back from here. */
#define SEED_FOLLOW_EPOCH	1704067200

static struct fake_world	*seed_world;

static void *
seed_xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size)) == NULL) {
		fputs("fake-twitch: out of memory (seed)\n", stderr);
		abort();
	}
	return p;
}

/* Grow *arr (of *cap elements) to hold one more than n. */
static void
seed_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void	*p;
	size_t	 ncap;

	if (n < *cap)
		return;
	ncap = *cap == 0 ? 16 : *cap * 2;
	if ((p = realloc(*arr, ncap * size)) == NULL) {
		fputs("fake-twitch: out of memory (seed)\n", stderr);
		abort();
	}
	memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
	*arr = p;
	*cap = ncap;
}

/* A string member, or a number printed as one; NULL if absent. */
static const char *
seed_str(const cJSON *o, const char *key)
{
	static char	 num[32];
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsString(v) && v->valuestring != NULL)
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, "%.0f", v->valuedouble);
		return num;
	}
	return NULL;
}

static void
seed_copy(char *dst, size_t dstsz, const cJSON *o, const char *key,
    const char *dflt)
{
	const char	*s = seed_str(o, key);

	snprintf(dst, dstsz, "%s", s != NULL ? s : dflt);
}

/* Overwrite dst only when o has key (the stream's over the channel's). */
static void
seed_copy_if(char *dst, size_t dstsz, const cJSON *o, const char *key)
{
	const char	*s = seed_str(o, key);

	if (s != NULL)
		snprintf(dst, dstsz, "%s", s);
}

static int
seed_int(const cJSON *o, const char *key, int dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsNumber(v) && v->valuedouble >= -1e9 &&
	    v->valuedouble <= 1e9)
		return (int)v->valuedouble;
	return dflt;
}

/* Epoch seconds of "YYYY-MM-DDTHH:MM:SSZ", or -1. */
static int64_t
seed_parse_time(const char *s)
{
	struct tm	tm;
	int		n = 0;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n == 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

void
seed_time(int64_t t, char *buf, size_t bufsz)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long
seed_user_by_login(const struct fake_world *w, const char *login)
{
	size_t	i;

	for (i = 0; i < w->nusers; i++)
		if (strcmp(w->users[i].login, login) == 0)
			return (long)i;
	return -1;
}

long
seed_user_by_id(const struct fake_world *w, const char *id)
{
	size_t	i;

	for (i = 0; i < w->nusers; i++)
		if (strcmp(w->users[i].id, id) == 0)
			return (long)i;
	return -1;
}

void
seed_viewer(unsigned n, struct seed_person *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->login, sizeof p->login, "viewer%05u", n);
	snprintf(p->id, sizeof p->id, "%u", SEED_VIEWER_BASE + n);
	snprintf(p->display, sizeof p->display, "Viewer%05u", n);
}

void
seed_person_of(const struct fake_world *w, size_t user, struct seed_person *p)
{
	const struct seed_user	*u = &w->users[user];

	memset(p, 0, sizeof *p);
	snprintf(p->login, sizeof p->login, "%s", u->login);
	snprintf(p->id, sizeof p->id, "%s", u->id);
	snprintf(p->display, sizeof p->display, "%s", u->display);
	p->user = u;
}

/* The N of "viewerNNNNN" (exactly five or more digits), or 0. */
static unsigned
seed_viewer_num(const char *s, const char *prefix)
{
	size_t		 pl = strlen(prefix), i;
	unsigned long	 v = 0;

	if (strncmp(s, prefix, pl) != 0 || strlen(s + pl) < 5 ||
	    strlen(s + pl) > 7)
		return 0;
	for (i = pl; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= SEED_MAX_VIEWERS ? (unsigned)v : 0;
}

/*
 * Someone chat has seen talk lately in a seeded channel (the simulated
 * crowd has no seed entry): by login, or by the id chat gave them (by_id).
 * 0 and p filled, or -1.
 */
static int
seed_person_seen(const struct fake_world *w, const char *key, int by_id,
    struct seed_person *p)
{
	struct chat_chan	*cc;
	struct chatworld_user	 u;
	const char		*id, *login, *text;
	size_t			 i;
	unsigned		 k;

	for (i = 0; i < w->nchans; i++) {
		if ((cc = chat_chan_get(w->users[w->chans[i].user].login)) ==
		    NULL)
			continue;
		/* chat keeps the last 64 messages of a channel. */
		for (k = 0; k < 64; k++) {
			if (chat_chan_recent(cc, k, &id, &login, &text) != 0)
				break;
			if (!by_id && strcmp(login, key) != 0)
				continue;
			chatworld_user(login, &u);
			if (by_id && strcmp(u.id, key) != 0)
				continue;
			memset(p, 0, sizeof *p);
			snprintf(p->login, sizeof p->login, "%s", u.login);
			snprintf(p->id, sizeof p->id, "%s", u.id);
			snprintf(p->display, sizeof p->display, "%s",
			    u.display);
			return 0;
		}
	}
	return -1;
}

int
seed_person_by_login(const struct fake_world *w, const char *login,
    struct seed_person *p)
{
	long		i;
	unsigned	n;

	if ((i = seed_user_by_login(w, login)) >= 0) {
		seed_person_of(w, (size_t)i, p);
		return 0;
	}
	if ((n = seed_viewer_num(login, "viewer")) != 0) {
		seed_viewer(n, p);
		if (strcmp(p->login, login) == 0)
			return 0;
	}
	return seed_person_seen(w, login, 0, p);
}

int
seed_person_by_id(const struct fake_world *w, const char *id,
    struct seed_person *p)
{
	long		 i;
	char		*end;
	unsigned long	 v;

	if ((i = seed_user_by_id(w, id)) >= 0) {
		seed_person_of(w, (size_t)i, p);
		return 0;
	}
	if (*id < '1' || *id > '9')
		return -1;
	errno = 0;
	v = strtoul(id, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	if (v > SEED_VIEWER_BASE && v <= SEED_VIEWER_BASE + SEED_MAX_VIEWERS) {
		seed_viewer((unsigned)(v - SEED_VIEWER_BASE), p);
		return 0;
	}
	return seed_person_seen(w, id, 1, p);
}

struct seed_channel *
seed_chan_by_id(struct fake_world *w, const char *id)
{
	size_t	i;

	for (i = 0; i < w->nchans; i++)
		if (strcmp(w->users[w->chans[i].user].id, id) == 0)
			return &w->chans[i];
	return NULL;
}

struct seed_channel *
seed_chan_by_login(struct fake_world *w, const char *login)
{
	size_t	i;

	for (i = 0; i < w->nchans; i++)
		if (strcmp(w->users[w->chans[i].user].login, login) == 0)
			return &w->chans[i];
	return NULL;
}

static int
seed_in(const struct fake_world *w, const size_t *list, size_t n,
    const char *user_id)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(w->users[list[i]].id, user_id) == 0)
			return 1;
	return 0;
}

int
seed_is_mod(const struct fake_world *w, const struct seed_channel *ch,
    const char *user_id)
{
	return seed_in(w, ch->mods, ch->nmods, user_id);
}

int
seed_is_vip(const struct fake_world *w, const struct seed_channel *ch,
    const char *user_id)
{
	return seed_in(w, ch->vips, ch->nvips, user_id);
}

size_t
seed_nchatters(const struct seed_channel *ch)
{
	return ch->nchatters + ch->gen_chatters;
}

/* Seeded chatters first, then viewer00001... */
void
seed_chatter_at(const struct fake_world *w, const struct seed_channel *ch,
    size_t i, struct seed_person *p)
{
	if (i < ch->nchatters)
		seed_person_of(w, ch->chatters[i], p);
	else
		seed_viewer((unsigned)(i - ch->nchatters + 1), p);
}

size_t
seed_nfollowers(const struct seed_channel *ch)
{
	return ch->nfollows + ch->gen_followers;
}

/* Newest first: the seeded followers, then the viewers, each an hour
 * before the one above. */
void
seed_follower_at(const struct fake_world *w, const struct seed_channel *ch,
    size_t i, struct seed_person *p, int64_t *at)
{
	int64_t	base = SEED_FOLLOW_EPOCH;

	if (i < ch->nfollows) {
		seed_person_of(w, ch->follows[i].user, p);
		*at = ch->follows[i].at;
		return;
	}
	if (ch->nfollows > 0 && ch->follows[ch->nfollows - 1].at <= base)
		base = ch->follows[ch->nfollows - 1].at;
	i -= ch->nfollows;
	seed_viewer((unsigned)(i + 1), p);
	*at = base - 3600 * (int64_t)(i + 1);
}

int
seed_follows(const struct fake_world *w, const struct seed_channel *ch,
    const char *user_id, int64_t *at)
{
	struct seed_person	p;
	size_t			i;
	unsigned long		v;

	for (i = 0; i < ch->nfollows; i++)
		if (strcmp(w->users[ch->follows[i].user].id, user_id) == 0) {
			*at = ch->follows[i].at;
			return 1;
		}
	/* Viewer N follows when N <= generate_followers. */
	v = strtoul(user_id, NULL, 10);
	if (seed_user_by_id(w, user_id) >= 0 || v <= SEED_VIEWER_BASE ||
	    v - SEED_VIEWER_BASE > ch->gen_followers)
		return 0;
	i = (size_t)(v - SEED_VIEWER_BASE);
	seed_follower_at(w, ch, ch->nfollows + i - 1, &p, at);
	return 1;
}

/* ---- tokens and device codes ---- */

void
seed_random(char *buf, size_t n, const char *alphabet)
{
	unsigned char	 r[128];
	size_t		 i, al = strlen(alphabet);

	if (n > sizeof r)
		n = sizeof r;
	if (RAND_bytes(r, (int)n) != 1) {
		fputs("fake-twitch: no random bytes\n", stderr);
		abort();
	}
	for (i = 0; i < n; i++)
		buf[i] = alphabet[r[i] % al];
	buf[n] = '\0';
}

static const char seed_alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";

struct seed_token *
seed_token_find(struct fake_world *w, const char *access)
{
	size_t	i;

	for (i = 0; i < w->ntokens; i++)
		if (strcmp(w->tokens[i].access, access) == 0)
			return &w->tokens[i];
	return NULL;
}

struct seed_token *
seed_token_by_refresh(struct fake_world *w, const char *refresh)
{
	size_t	i;

	if (*refresh == '\0')
		return NULL;
	for (i = 0; i < w->ntokens; i++)
		if (strcmp(w->tokens[i].refresh, refresh) == 0)
			return &w->tokens[i];
	return NULL;
}

int
seed_token_valid(const struct seed_token *t, uint64_t now_ms)
{
	return t != NULL && !t->revoked &&
	    (t->expires_ms == 0 || now_ms < t->expires_ms);
}

int
seed_token_has_scope(const struct seed_token *t, const char *scope)
{
	char	want[80];

	snprintf(want, sizeof want, " %s ", scope);
	return strstr(t->scopes, want) != NULL;
}

/* Pointers into w->tokens move when it grows: callers hold none across
 * this call (the handlers look tokens up again). */
static struct seed_token *
seed_token_add(struct fake_world *w)
{
	seed_grow((void **)&w->tokens, &w->tokcap, w->ntokens,
	    sizeof *w->tokens);
	return &w->tokens[w->ntokens++];
}

struct seed_token *
seed_token_issue(struct fake_world *w, const char *client_id, size_t user,
    const char *scopes, uint64_t now_ms)
{
	struct seed_token	*t = seed_token_add(w);

	/* Twitch's are 30 lowercase letters and digits, the refresh
	 * token 50. */
	seed_random(t->access, 30, seed_alnum);
	seed_random(t->refresh, 50, seed_alnum);
	snprintf(t->client_id, sizeof t->client_id, "%s", client_id);
	snprintf(t->scopes, sizeof t->scopes, "%s", scopes);
	t->user = user;
	t->expires_ms = now_ms + (uint64_t)w->opts.token_lifetime_s * 1000;
	return t;
}

struct seed_device *
seed_device_new(struct fake_world *w, const char *client_id,
    const char *scopes, uint64_t now_ms)
{
	static const char	 letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	struct seed_device	*d;

	seed_grow((void **)&w->devices, &w->devcap, w->ndevices,
	    sizeof *w->devices);
	d = &w->devices[w->ndevices++];
	memset(d, 0, sizeof *d);
	seed_random(d->device_code, 40,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	seed_random(d->user_code, 8, letters);
	snprintf(d->client_id, sizeof d->client_id, "%s", client_id);
	snprintf(d->scopes, sizeof d->scopes, "%s", scopes);
	d->expires_ms = now_ms + (uint64_t)w->opts.device_expires_s * 1000;
	d->user = w->device_user;
	return d;
}

struct seed_device *
seed_device_by_code(struct fake_world *w, const char *device_code)
{
	size_t	i;

	for (i = 0; i < w->ndevices; i++)
		if (strcmp(w->devices[i].device_code, device_code) == 0)
			return &w->devices[i];
	return NULL;
}

struct seed_device *
seed_device_by_user_code(struct fake_world *w, const char *user_code)
{
	size_t	i;

	for (i = 0; i < w->ndevices; i++)
		if (strcasecmp(w->devices[i].user_code, user_code) == 0)
			return &w->devices[i];
	return NULL;
}

/* ---- loading ---- */

static void
seed_load_user(struct seed_user *u, const cJSON *o)
{
	seed_copy(u->login, sizeof u->login, o, "login", "");
	seed_copy(u->id, sizeof u->id, o, "id", "");
	seed_copy(u->display, sizeof u->display, o, "display_name", u->login);
	seed_copy(u->color, sizeof u->color, o, "color", "");
	seed_copy(u->created_at, sizeof u->created_at, o, "created_at",
	    "2019-06-01T12:00:00Z");
	seed_copy(u->type, sizeof u->type, o, "type", "");
	seed_copy(u->broadcaster_type, sizeof u->broadcaster_type, o,
	    "broadcaster_type", "");
	seed_copy(u->description, sizeof u->description, o, "description",
	    "");
	if (u->id[0] == '\0') {
		struct chatworld_user	cu;

		/* The id chat makes up for an unseeded login. */
		chatworld_user(u->login, &cu);
		snprintf(u->id, sizeof u->id, "%s", cu.id);
	}
}

/* Logins of arr as user indices; unknown logins are an error. */
static int
seed_load_list(struct fake_world *w, const cJSON *arr, size_t **out,
    size_t *n, const char *what, char *err, size_t errsz)
{
	const cJSON	*e;
	long		 i;

	*n = 0;
	*out = seed_xcalloc((size_t)cJSON_GetArraySize(arr), sizeof **out);
	cJSON_ArrayForEach(e, arr) {
		const char *login = cJSON_IsString(e) ? e->valuestring :
		    seed_str(e, "login");

		if (login == NULL || (i = seed_user_by_login(w, login)) < 0) {
			snprintf(err, errsz, "%s: unknown user %s", what,
			    login != NULL ? login : "(none)");
			return -1;
		}
		(*out)[(*n)++] = (size_t)i;
	}
	return 0;
}

static int
seed_follow_cmp(const void *a, const void *b)
{
	const struct seed_follow *x = a, *y = b;

	return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;
}

static int
seed_load_follows(struct fake_world *w, struct seed_channel *ch,
    const cJSON *arr, char *err, size_t errsz)
{
	const cJSON	*e;
	const char	*login;
	long		 i;
	int64_t		 at;

	ch->follows = seed_xcalloc((size_t)cJSON_GetArraySize(arr),
	    sizeof *ch->follows);
	cJSON_ArrayForEach(e, arr) {
		login = cJSON_IsString(e) ? e->valuestring :
		    seed_str(e, "login");
		if (login == NULL || (i = seed_user_by_login(w, login)) < 0) {
			snprintf(err, errsz, "followers: unknown user %s",
			    login != NULL ? login : "(none)");
			return -1;
		}
		at = seed_parse_time(cJSON_IsObject(e) ?
		    seed_str(e, "followed_at") : NULL);
		ch->follows[ch->nfollows].user = (size_t)i;
		ch->follows[ch->nfollows].at = at >= 0 ? at :
		    SEED_FOLLOW_EPOCH - 60 * (int64_t)(ch->nfollows + 1);
		ch->nfollows++;
	}
	qsort(ch->follows, ch->nfollows, sizeof *ch->follows,
	    seed_follow_cmp);
	return 0;
}

static void
seed_load_settings(struct seed_settings *s, const cJSON *o)
{
	s->emote_mode = seed_int(o, "emote_mode", 0);
	s->follower_mode = seed_int(o, "follower_mode", 0);
	s->follower_mode_duration = seed_int(o, "follower_mode_duration", 0);
	s->slow_mode = seed_int(o, "slow_mode", 0);
	s->slow_mode_wait_time = seed_int(o, "slow_mode_wait_time", 0);
	if (s->slow_mode && s->slow_mode_wait_time == 0)
		s->slow_mode_wait_time = 30;
	s->subscriber_mode = seed_int(o, "subscriber_mode", 0);
	s->unique_chat_mode = seed_int(o, "unique_chat_mode", 0);
	s->non_moderator_chat_delay = seed_int(o, "non_moderator_chat_delay",
	    0);
	s->non_moderator_chat_delay_duration = seed_int(o,
	    "non_moderator_chat_delay_duration", 0);
}

/* "a,b" from an array of strings. */
static void
seed_join(char *buf, size_t bufsz, const cJSON *arr)
{
	const cJSON	*e;
	size_t		 n = 0;
	int		 k;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || strchr(e->valuestring, ',') != NULL)
			continue;
		k = snprintf(buf + n, bufsz - n, "%s%s", n > 0 ? "," : "",
		    e->valuestring);
		if (k < 0 || (size_t)k >= bufsz - n) {
			buf[n] = '\0';
			break;
		}
		n += (size_t)k;
	}
}

static void
seed_load_extras(struct seed_channel *ch, const cJSON *o)
{
	const cJSON	*arr, *e, *v;
	struct seed_emote *em;
	struct seed_badge *b;

	arr = cJSON_GetObjectItemCaseSensitive(o, "emotes");
	ch->emotes = seed_xcalloc((size_t)cJSON_GetArraySize(arr),
	    sizeof *ch->emotes);
	cJSON_ArrayForEach(e, arr) {
		em = &ch->emotes[ch->nemotes++];
		seed_copy(em->id, sizeof em->id, e, "id", "emotesv2_0");
		seed_copy(em->name, sizeof em->name, e, "name", "emote");
		seed_copy(em->tier, sizeof em->tier, e, "tier", "1000");
		seed_copy(em->type, sizeof em->type, e, "emote_type",
		    "subscriptions");
		if (strcmp(em->type, "subscriptions") != 0)
			em->tier[0] = '\0';
	}
	arr = cJSON_GetObjectItemCaseSensitive(o, "badges");
	ch->badges = seed_xcalloc((size_t)cJSON_GetArraySize(arr),
	    sizeof *ch->badges);
	cJSON_ArrayForEach(e, arr) {
		b = &ch->badges[ch->nbadges++];
		seed_copy(b->set_id, sizeof b->set_id, e, "set_id",
		    "subscriber");
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(e,
		    "versions")) {
			if (b->nversions == 8)
				break;
			if (cJSON_IsString(v))
				snprintf(b->versions[b->nversions++],
				    sizeof b->versions[0], "%s",
				    v->valuestring);
			else if (cJSON_IsNumber(v))
				snprintf(b->versions[b->nversions++],
				    sizeof b->versions[0], "%.0f",
				    v->valuedouble);
		}
	}
}

/* Twitch's id of a few categories; a stable made-up one for others. */
static void
seed_game_id(const char *name, char *buf, size_t bufsz)
{
	static const struct {
		const char	*name, *id;
	} games[] = {
		{ "Just Chatting", "509658" }, { "Minecraft", "27471" },
		{ "Celeste", "504461" }, { "Music", "26936" },
		{ "Art", "509660" }, { "Chess", "743" },
		{ "Software and Game Development", "1469308723" },
	};
	size_t		i;
	uint32_t	h = 2166136261u;

	for (i = 0; i < sizeof games / sizeof games[0]; i++)
		if (strcmp(games[i].name, name) == 0) {
			snprintf(buf, bufsz, "%s", games[i].id);
			return;
		}
	for (i = 0; name[i] != '\0'; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	snprintf(buf, bufsz, "%u", 100000 + h % 900000);
}

static unsigned
seed_count(const cJSON *o, const char *key)
{
	int	n = seed_int(o, key, 0);

	return n < 0 ? 0 : (unsigned)n > SEED_MAX_VIEWERS ? SEED_MAX_VIEWERS :
	    (unsigned)n;
}

static int
seed_load_channel(struct fake_world *w, struct seed_channel *ch,
    const cJSON *o, char *err, size_t errsz)
{
	const char	*b = seed_str(o, "broadcaster");
	const cJSON	*st;
	long		 i;

	if (b == NULL || (i = seed_user_by_login(w, b)) < 0) {
		snprintf(err, errsz, "channel: unknown broadcaster %s",
		    b != NULL ? b : "(none)");
		return -1;
	}
	ch->user = (size_t)i;
	if (seed_load_list(w, cJSON_GetObjectItemCaseSensitive(o,
	    "moderators"), &ch->mods, &ch->nmods, "moderators", err,
	    errsz) != 0 ||
	    seed_load_list(w, cJSON_GetObjectItemCaseSensitive(o, "vips"),
	    &ch->vips, &ch->nvips, "vips", err, errsz) != 0 ||
	    seed_load_list(w, cJSON_GetObjectItemCaseSensitive(o, "chatters"),
	    &ch->chatters, &ch->nchatters, "chatters", err, errsz) != 0 ||
	    seed_load_follows(w, ch, cJSON_GetObjectItemCaseSensitive(o,
	    "followers"), err, errsz) != 0)
		return -1;
	ch->gen_chatters = seed_count(o, "generate_chatters");
	ch->gen_followers = seed_count(o, "generate_followers");
	seed_copy(ch->title, sizeof ch->title, o, "title", "");
	seed_copy(ch->game_name, sizeof ch->game_name, o, "game_name", "");
	seed_copy(ch->game_id, sizeof ch->game_id, o, "game_id", "");
	seed_copy(ch->language, sizeof ch->language, o, "language", "en");
	seed_join(ch->tags, sizeof ch->tags,
	    cJSON_GetObjectItemCaseSensitive(o, "tags"));
	ch->delay = seed_int(o, "delay", 0);
	st = cJSON_GetObjectItemCaseSensitive(o, "stream");
	if (cJSON_IsObject(st)) {
		ch->live = seed_int(st, "live", 1);
		seed_copy_if(ch->title, sizeof ch->title, st, "title");
		seed_copy_if(ch->game_name, sizeof ch->game_name, st,
		    "game_name");
		seed_copy_if(ch->game_id, sizeof ch->game_id, st, "game_id");
		seed_copy_if(ch->language, sizeof ch->language, st,
		    "language");
		seed_copy(ch->started_at, sizeof ch->started_at, st,
		    "started_at", "2024-01-01T18:00:00Z");
		i = seed_int(st, "viewer_count", 0);
		ch->viewers = i < 0 ? 0 : (unsigned)i;
		if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(st, "tags")))
			seed_join(ch->tags, sizeof ch->tags,
			    cJSON_GetObjectItemCaseSensitive(st, "tags"));
	}
	if (ch->game_name[0] != '\0' && ch->game_id[0] == '\0')
		seed_game_id(ch->game_name, ch->game_id, sizeof ch->game_id);
	/* A stream id Twitch-like in length, stable per channel. */
	snprintf(ch->stream_id, sizeof ch->stream_id, "4%.20s",
	    w->users[ch->user].id);
	seed_load_settings(&ch->settings,
	    cJSON_GetObjectItemCaseSensitive(o, "chat_settings"));
	seed_load_extras(ch, o);
	return 0;
}

/* " a b " from an array of scope names. */
static void
seed_scopes(char *buf, size_t bufsz, const cJSON *arr)
{
	const cJSON	*e;
	size_t		 n = 1;
	int		 k;

	snprintf(buf, bufsz, " ");
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || strchr(e->valuestring, ' ') != NULL)
			continue;
		k = snprintf(buf + n, bufsz - n, "%s ", e->valuestring);
		if (k < 0 || (size_t)k >= bufsz - n) {
			buf[n] = '\0';
			break;
		}
		n += (size_t)k;
	}
}

static int
seed_load_token(struct fake_world *w, const cJSON *o, uint64_t now_ms,
    char *err, size_t errsz)
{
	struct seed_token	*t;
	const char		*tok = seed_str(o, "token"), *login;
	const cJSON		*v;
	long			 i;

	if (tok == NULL)
		tok = seed_str(o, "access_token");
	if ((login = seed_str(o, "login")) == NULL)
		login = seed_str(o, "user_login");
	if (tok == NULL || login == NULL ||
	    (i = seed_user_by_login(w, login)) < 0) {
		snprintf(err, errsz, "token: needs a token and a known login");
		return -1;
	}
	t = seed_token_add(w);
	snprintf(t->access, sizeof t->access, "%s", tok);
	seed_copy(t->refresh, sizeof t->refresh, o, "refresh_token", "");
	seed_copy(t->client_id, sizeof t->client_id, o, "client_id",
	    w->client_id);
	t->user = (size_t)i;
	seed_scopes(t->scopes, sizeof t->scopes,
	    cJSON_GetObjectItemCaseSensitive(o, "scopes"));
	t->revoked = seed_int(o, "revoked", 0);
	if (seed_int(o, "expired", 0))
		t->expires_ms = 1;
	v = cJSON_GetObjectItemCaseSensitive(o, "expires_at_ms");
	if (cJSON_IsNumber(v) && v->valuedouble >= 1)
		t->expires_ms = (uint64_t)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(o, "expires_in");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble < 1e9)
		t->expires_ms = now_ms + (uint64_t)(v->valuedouble * 1000) + 1;
	return 0;
}

static uint64_t
seed_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
seed_load_root(struct fake_world *w, const cJSON *root, char *err,
    size_t errsz)
{
	const cJSON	*arr, *e;
	const char	*s;
	size_t		 n;
	long		 i;

	seed_copy(w->client_id, sizeof w->client_id, root, "client_id",
	    SEED_CLIENT_ID);
	arr = cJSON_GetObjectItemCaseSensitive(root, "users");
	w->users = seed_xcalloc((size_t)cJSON_GetArraySize(arr),
	    sizeof *w->users);
	cJSON_ArrayForEach(e, arr) {
		seed_load_user(&w->users[w->nusers], e);
		if (w->users[w->nusers].login[0] == '\0') {
			snprintf(err, errsz, "users: an entry has no login");
			return -1;
		}
		w->nusers++;
	}
	arr = cJSON_GetObjectItemCaseSensitive(root, "channels");
	n = (size_t)cJSON_GetArraySize(arr);
	w->chans = seed_xcalloc(n, sizeof *w->chans);
	cJSON_ArrayForEach(e, arr)
		if (seed_load_channel(w, &w->chans[w->nchans++], e, err,
		    errsz) != 0)
			return -1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root,
	    "tokens"))
		if (seed_load_token(w, e, seed_now_ms(), err, errsz) != 0)
			return -1;
	w->device_user = 0;
	if ((s = seed_str(root, "device_login")) != NULL) {
		if ((i = seed_user_by_login(w, s)) < 0) {
			snprintf(err, errsz, "device_login: unknown user %s",
			    s);
			return -1;
		}
		w->device_user = (size_t)i;
	}
	if (w->nusers == 0) {
		snprintf(err, errsz, "users: none seeded");
		return -1;
	}
	return 0;
}

/* Chat asks here first, so tokens issued over OAuth log in to chat and
 * revoked or expired ones no longer do. */
static int
seed_chat_token(const char *token, uint64_t now_ms, struct chatworld_user *u)
{
	struct seed_token	*t;

	if (seed_world == NULL ||
	    (t = seed_token_find(seed_world, token)) == NULL)
		return -1;
	if (!seed_token_valid(t, now_ms) ||
	    (strcmp(t->scopes, " ") != 0 &&
	    !seed_token_has_scope(t, "chat:read")))
		return 0;
	chatworld_user(seed_world->users[t->user].login, u);
	return 1;
}

struct fake_world *
seed_load(const char *path, char *err, size_t errsz)
{
	struct fake_world	*w;
	struct seed_opts	 o;
	cJSON			*root;
	FILE			*f;
	char			*buf;
	long			 n;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > 64L * 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		snprintf(err, errsz, "%s: cannot read", path);
		return NULL;
	}
	buf = seed_xcalloc((size_t)n + 1, 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		snprintf(err, errsz, "%s: short read", path);
		return NULL;
	}
	fclose(f);
	root = cJSON_Parse(buf);
	free(buf);
	if (root == NULL) {
		snprintf(err, errsz, "%s: not valid JSON", path);
		return NULL;
	}
	w = seed_xcalloc(1, sizeof *w);
	memset(&o, 0, sizeof o);
	seed_configure(w, &o);
	if (seed_load_root(w, root, err, errsz) != 0) {
		char	tmp[256];

		snprintf(tmp, sizeof tmp, "%s", err);
		snprintf(err, errsz, "%s: %s", path, tmp);
		cJSON_Delete(root);
		seed_free(w);
		return NULL;
	}
	cJSON_Delete(root);
	seed_world = w;
	chatworld_set_token_hook(seed_chat_token);
	return w;
}

void
seed_configure(struct fake_world *w, const struct seed_opts *o)
{
	w->opts.bucket = o->bucket != 0 ? o->bucket : 800;
	w->opts.device_auto = o->device_auto;
	w->opts.device_interval_s = o->device_interval_s != 0 ?
	    o->device_interval_s : 5;
	w->opts.device_expires_s = o->device_expires_s != 0 ?
	    o->device_expires_s : 1800;
	w->opts.token_lifetime_s = o->token_lifetime_s != 0 ?
	    o->token_lifetime_s : 14400;
}

struct fake_world *
seed_current(void)
{
	return seed_world;
}

void
seed_free(struct fake_world *w)
{
	size_t	i;

	if (w == NULL)
		return;
	if (w == seed_world) {
		seed_world = NULL;
		chatworld_set_token_hook(NULL);
	}
	for (i = 0; i < w->nchans; i++) {
		free(w->chans[i].mods);
		free(w->chans[i].vips);
		free(w->chans[i].chatters);
		free(w->chans[i].follows);
		free(w->chans[i].emotes);
		free(w->chans[i].badges);
		free(w->chans[i].bans);
	}
	free(w->chans);
	free(w->users);
	/* Token strings are secrets: leave none in freed memory. */
	if (w->tokens != NULL)
		memset(w->tokens, 0, w->tokcap * sizeof *w->tokens);
	free(w->tokens);
	free(w->devices);
	free(w->buckets);
	free(w);
}
