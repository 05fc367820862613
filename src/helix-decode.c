/*
 * helix-decode.c: the pure half of helix.h: Helix reply bodies in,
 * struct helix_page out, and error replies as sentences. No sockets, no
 * globals.
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

#include "helix.h"
#include "text.h"

enum helix_ftype {
	HELIX_F_STR,
	HELIX_F_INT,
	HELIX_F_TIME,
	HELIX_F_BOOL,
	HELIX_F_DUR,		/* "1h2m3s" -> seconds */
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

static const struct helix_field helix_decode_user_fields[] = {
	F(helix_user, id, STR), F(helix_user, login, STR),
	F(helix_user, display_name, STR), F(helix_user, type, STR),
	F(helix_user, broadcaster_type, STR), F(helix_user, description, STR),
	F(helix_user, profile_image_url, STR),
	F(helix_user, created_at, TIME), FEND
};

static const struct helix_field helix_decode_stream_fields[] = {
	F(helix_stream, id, STR), F(helix_stream, user_id, STR),
	F(helix_stream, user_login, STR), F(helix_stream, user_name, STR),
	F(helix_stream, game_id, STR), F(helix_stream, game_name, STR),
	F(helix_stream, type, STR), F(helix_stream, title, STR),
	F(helix_stream, language, STR), F(helix_stream, viewer_count, INT),
	F(helix_stream, started_at, TIME), F(helix_stream, is_mature, BOOL),
	FEND
};

static const struct helix_field helix_decode_channel_fields[] = {
	F(helix_channel, broadcaster_id, STR),
	F(helix_channel, broadcaster_login, STR),
	F(helix_channel, broadcaster_name, STR),
	F(helix_channel, broadcaster_language, STR),
	F(helix_channel, game_id, STR), F(helix_channel, game_name, STR),
	F(helix_channel, title, STR), F(helix_channel, delay, INT), FEND
};

static const struct helix_field helix_decode_chatter_fields[] = {
	F(helix_chatter, user_id, STR), F(helix_chatter, user_login, STR),
	F(helix_chatter, user_name, STR), FEND
};

static const struct helix_field helix_decode_follower_fields[] = {
	F(helix_follow, user_id, STR), F(helix_follow, user_login, STR),
	F(helix_follow, user_name, STR), F(helix_follow, followed_at, TIME),
	FEND
};

static const struct helix_field helix_decode_followed_fields[] = {
	FP(helix_follow, "broadcaster_id", user_id, STR),
	FP(helix_follow, "broadcaster_login", user_login, STR),
	FP(helix_follow, "broadcaster_name", user_name, STR),
	F(helix_follow, followed_at, TIME), FEND
};

static const struct helix_field helix_decode_settings_fields[] = {
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

static const struct helix_field helix_decode_badge_outer[] = {
	F(helix_badge, set_id, STR), FEND
};

static const struct helix_field helix_decode_badge_fields[] = {
	F(helix_badge, id, STR), F(helix_badge, title, STR),
	F(helix_badge, description, STR), F(helix_badge, image_url_1x, STR),
	F(helix_badge, image_url_2x, STR), F(helix_badge, image_url_4x, STR),
	FEND
};

static const struct helix_field helix_decode_emote_fields[] = {
	F(helix_emote, id, STR), F(helix_emote, name, STR),
	FP(helix_emote, "images.url_1x", url_1x, STR),
	FP(helix_emote, "images.url_2x", url_2x, STR),
	FP(helix_emote, "images.url_4x", url_4x, STR),
	F(helix_emote, emote_type, STR), F(helix_emote, emote_set_id, STR),
	F(helix_emote, tier, STR), F(helix_emote, owner_id, STR), FEND
};

static const struct helix_field helix_decode_ban_fields[] = {
	F(helix_ban, broadcaster_id, STR), F(helix_ban, moderator_id, STR),
	F(helix_ban, user_id, STR), F(helix_ban, created_at, TIME),
	F(helix_ban, end_time, TIME), FEND
};

static const struct helix_field helix_decode_color_fields[] = {
	F(helix_color, user_id, STR), F(helix_color, user_login, STR),
	F(helix_color, user_name, STR), F(helix_color, color, STR), FEND
};

static const struct helix_field helix_decode_video_fields[] = {
	F(helix_video, id, STR), F(helix_video, stream_id, STR),
	F(helix_video, user_id, STR), F(helix_video, user_login, STR),
	F(helix_video, user_name, STR), F(helix_video, title, STR),
	F(helix_video, type, STR), F(helix_video, duration, STR),
	F(helix_video, created_at, TIME), F(helix_video, view_count, INT),
	FP(helix_video, "duration", duration_s, DUR), FEND
};

static const struct helix_field helix_decode_no_fields[] = { FEND };

#undef F
#undef FP
#undef FEND

/* Lifetimes: who a user is changes rarely, who is in chat often. */
static const struct helix_shape helix_decode_shapes[HELIX_NKINDS] = {
	[HELIX_USERS] = { sizeof(struct helix_user), helix_decode_user_fields,
	    NULL, NULL, 86400 },
	[HELIX_STREAMS] = { sizeof(struct helix_stream), helix_decode_stream_fields,
	    NULL, NULL, 60 },
	[HELIX_CHANNELS] = { sizeof(struct helix_channel),
	    helix_decode_channel_fields, NULL, NULL, 300 },
	[HELIX_CHATTERS] = { sizeof(struct helix_chatter),
	    helix_decode_chatter_fields, NULL, NULL, 30 },
	[HELIX_MODERATORS] = { sizeof(struct helix_chatter),
	    helix_decode_chatter_fields, NULL, NULL, 300 },
	[HELIX_VIPS] = { sizeof(struct helix_chatter), helix_decode_chatter_fields,
	    NULL, NULL, 300 },
	[HELIX_FOLLOWERS] = { sizeof(struct helix_follow),
	    helix_decode_follower_fields, NULL, NULL, 300 },
	[HELIX_FOLLOWED] = { sizeof(struct helix_follow),
	    helix_decode_followed_fields, NULL, NULL, 300 },
	[HELIX_CHAT_SETTINGS] = { sizeof(struct helix_chat_settings),
	    helix_decode_settings_fields, NULL, NULL, 30 },
	[HELIX_BADGES] = { sizeof(struct helix_badge), helix_decode_badge_fields,
	    "versions", helix_decode_badge_outer, 3600 },
	[HELIX_EMOTES] = { sizeof(struct helix_emote), helix_decode_emote_fields,
	    NULL, NULL, 3600 },
	[HELIX_BANS] = { sizeof(struct helix_ban), helix_decode_ban_fields,
	    NULL, NULL, 0 },
	[HELIX_COLORS] = { sizeof(struct helix_color), helix_decode_color_fields,
	    NULL, NULL, 300 },
	[HELIX_VIDEOS] = { sizeof(struct helix_video),
	    helix_decode_video_fields, NULL, NULL, 300 },
	[HELIX_EMPTY] = { 0, helix_decode_no_fields, NULL, NULL, 0 },
};

/* The longest string kept from a reply; Twitch's longest (descriptions,
 * titles) are a few hundred bytes. */
#define HELIX_MAX_STR	4096

/* Out of memory is fatal everywhere in stitch. */
static void
helix_decode_oom(void)
{
	fputs("stitch: out of memory\n", stderr);
	abort();
}

/* The first len bytes of s as a string; never fails. */
static char *
helix_decode_strndup(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		helix_decode_oom();
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* strdup() that never fails. */
static char *
helix_decode_strdup(const char *s)
{
	return helix_decode_strndup(s, strlen(s));
}

unsigned
helix_ttl(enum helix_kind kind)
{
	return (unsigned)kind < HELIX_NKINDS ? helix_decode_shapes[kind].ttl : 0;
}

/*
 * Decoders.
 */

/* n decimal digits at s into *out; -1 if one is not a digit. */
static int
helix_decode_digits(const char *s, int n, int *out)
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
	if (helix_decode_digits(s, 4, &y) || helix_decode_digits(s + 5, 2, &mo) ||
	    helix_decode_digits(s + 8, 2, &d) || helix_decode_digits(s + 11, 2, &h) ||
	    helix_decode_digits(s + 14, 2, &mi) || helix_decode_digits(s + 17, 2, &sec))
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

int
helix_parse_duration(const char *s, int64_t *out)
{
	static const char	 units[] = "hms";
	static const int64_t	 mult[] = { 3600, 60, 1 };
	int64_t			 total = 0, n;
	const char		*u;
	int			 last = -1, digits;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		for (n = 0, digits = 0; *s >= '0' && *s <= '9'; s++) {
			if (++digits > 9)
				return -1;
			n = n * 10 + (*s - '0');
		}
		if (digits == 0)
			return -1;
		/* Plain digits alone are seconds. */
		if (*s == '\0' && last == -1) {
			total = n;
			break;
		}
		/* Units in order h, m, s, each at most once. */
		if (*s == '\0' || (u = strchr(units, *s)) == NULL ||
		    u - units <= last)
			return -1;
		last = (int)(u - units);
		total += n * mult[last];
		s++;
	}
	if (total > 10LL * 366 * 24 * 3600)
		return -1;
	*out = total;
	return 0;
}

/* obj's value at path ("a" or "a.b"), or NULL. */
static const cJSON *
helix_decode_lookup(const cJSON *obj, const char *path)
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
helix_decode_int(const cJSON *v)
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

/* Fill item's fields from obj, with safe defaults for what is wrong. */
static void
helix_decode_fill(void *item, const struct helix_field *f, const cJSON *obj)
{
	const cJSON	*v;
	char		*p;
	const char	*s;
	int64_t		 t;
	size_t		 len;

	for (; f->path != NULL; f++) {
		p = (char *)item + f->off;
		v = helix_decode_lookup(obj, f->path);
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
			*(char **)p = helix_decode_strndup(s, len);
			break;
		case HELIX_F_INT:
			*(int64_t *)p = helix_decode_int(v);
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
		case HELIX_F_DUR:
			if (!cJSON_IsString(v) || v->valuestring == NULL ||
			    helix_parse_duration(v->valuestring, &t) != 0)
				t = -1;
			*(int64_t *)p = t;
			break;
		}
	}
}

/* Free the strings of item's fields. */
static void
helix_decode_unfill(void *item, const struct helix_field *f)
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
		sh = &helix_decode_shapes[page->kind];
		for (i = 0; i < page->n; i++) {
			helix_decode_unfill((char *)page->u.v + i * sh->size,
			    sh->fields);
			helix_decode_unfill((char *)page->u.v + i * sh->size,
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
helix_decode_push(struct helix_page *page, const struct helix_shape *sh,
    size_t *alloc)
{
	void	*p;

	if (page->n == *alloc) {
		*alloc = *alloc == 0 ? 16 : *alloc * 2;
		if ((p = realloc(page->u.v, *alloc * sh->size)) == NULL)
			helix_decode_oom();
		page->u.v = p;
	}
	p = (char *)page->u.v + page->n++ * sh->size;
	memset(p, 0, sh->size);
	return p;
}

/* Every object of data (flattened if the shape says so) into page. */
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
			helix_decode_fill(helix_decode_push(page, sh, &alloc), sh->fields,
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
			item = helix_decode_push(page, sh, &alloc);
			helix_decode_fill(item, sh->outer, it);
			helix_decode_fill(item, sh->fields, sub);
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
	sh = &helix_decode_shapes[kind];
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
		page->cursor = helix_decode_strdup(cur->valuestring);
	total = cJSON_GetObjectItemCaseSensitive(root, "total");
	if ((t = helix_decode_int(total)) >= 0 && !cJSON_IsString(total))
		page->total = t;
	cJSON_Delete(root);
	return 0;
}

/* Twitch's message, made safe to show: valid UTF-8, no controls, short. */
static void
helix_decode_safe(const char *s, char *out, size_t outsz)
{
	size_t	len = strlen(s);

	if (len > 200)
		len = 200;
	text_sanitize(s, len, out, outsz);
}

/* Per kind, what a 403 means (Twitch's own messages vary). */
static const char *const helix_decode_forbidden[HELIX_NKINDS] = {
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
	helix_decode_safe(msg, safe, sizeof safe);
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
	    HELIX_NKINDS && helix_decode_forbidden[kind] != NULL) {
		snprintf(out, outsz, "%s", helix_decode_forbidden[kind]);
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
	    helix_decode_forbidden[kind] != NULL) {
		snprintf(out, outsz, "%s", helix_decode_forbidden[kind]);
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
