/*
 * helix.h: typed calls to Twitch's Helix API and the decoders of its
 * replies.
 *
 * Two halves. The decoders are pure: helix_decode() takes the bytes of a
 * reply and fills a struct helix_page (no sockets, no globals), and
 * helix_error_text() turns an error reply into words a person can act on.
 * The calls run on http.h: each builds its URL under the base URL, sends
 * Client-Id and the account's token, goes through the cache for GETs
 * (cache_key(method, url, user id), a TTL per endpoint; the token is never
 * part of a key or a value), and calls back once with a decoded page or an
 * error. A 401 asks the refresher (helix_set_refresher) for a new token,
 * one refresh at a time however many calls failed, and retries each call
 * once with it.
 *
 * Lists that Twitch pages (chatters, moderators, VIPs, followers,
 * followed channels) are walked with a struct helix_iter: each
 * helix_iter_next() fetches the next page, up to a limit, and the caller
 * never sees a cursor.
 *
 * helix.c (the calls, which build request bodies) and helix-decode.c (the
 * decoders) are, with the OAuth decoder, the only files that include
 * cJSON.h.
 */
#ifndef STITCH_HELIX_H
#define STITCH_HELIX_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct cache;
struct http;
struct helix;
struct helix_call;
struct helix_iter;

#define HELIX_DEFAULT_URL	"https://api.twitch.tv/helix"

/* What a reply holds; each has its own item struct below. */
enum helix_kind {
	HELIX_USERS,
	HELIX_STREAMS,
	HELIX_CHANNELS,
	HELIX_CHATTERS,
	HELIX_MODERATORS,
	HELIX_VIPS,
	HELIX_FOLLOWERS,	/* /channels/followers: who follows a channel */
	HELIX_FOLLOWED,		/* /channels/followed: whom a user follows */
	HELIX_CHAT_SETTINGS,
	HELIX_BADGES,
	HELIX_EMOTES,
	HELIX_BANS,		/* the reply to a ban or a timeout */
	HELIX_COLORS,
	HELIX_VIDEOS,		/* past broadcasts (type=archive) */
	HELIX_EMPTY,		/* 204 No Content: unban, delete, whisper */
	HELIX_NKINDS
};

/*
 * Items. Strings are never NULL: a field missing from the reply, null, or
 * of the wrong type is "" (numbers and times -1, booleans 0), so a hostile
 * or changed reply can be printed without checks. Times are seconds since
 * the epoch, UTC. Strings are as Twitch sent them (any UTF-8, controls
 * included): escape or sanitize before showing them.
 */
struct helix_user {
	char	*id, *login, *display_name, *type, *broadcaster_type;
	char	*description, *profile_image_url;
	int64_t	 created_at;
};

struct helix_stream {
	char	*id, *user_id, *user_login, *user_name, *game_id, *game_name;
	char	*type, *title, *language;
	int64_t	 viewer_count;
	int64_t	 started_at;
	int	 is_mature;
};

struct helix_channel {
	char	*broadcaster_id, *broadcaster_login, *broadcaster_name;
	char	*broadcaster_language, *game_id, *game_name, *title;
	int64_t	 delay;
};

/* Chatters, moderators and VIPs. */
struct helix_chatter {
	char	*user_id, *user_login, *user_name;
};

/* Followers of a channel; for HELIX_FOLLOWED, user_* is the broadcaster
 * followed. */
struct helix_follow {
	char	*user_id, *user_login, *user_name;
	int64_t	 followed_at;
};

/* -1 in a duration: the mode is off (Twitch's null). */
struct helix_chat_settings {
	char	*broadcaster_id, *moderator_id;
	int	 emote_mode, follower_mode, slow_mode, subscriber_mode;
	int	 unique_chat_mode, non_moderator_chat_delay;
	int64_t	 follower_mode_duration;	/* minutes */
	int64_t	 slow_mode_wait_time;		/* seconds */
	int64_t	 non_moderator_chat_delay_duration; /* seconds */
};

/* One version of a badge set (a reply's sets are flattened). */
struct helix_badge {
	char	*set_id, *id, *title, *description;
	char	*image_url_1x, *image_url_2x, *image_url_4x;
};

struct helix_emote {
	char	*id, *name, *url_1x, *url_2x, *url_4x;
	char	*emote_type, *emote_set_id, *tier, *owner_id;
};

struct helix_ban {
	char	*broadcaster_id, *moderator_id, *user_id;
	int64_t	 created_at;
	int64_t	 end_time;	/* -1 for a ban (no end) */
};

struct helix_color {
	char	*user_id, *user_login, *user_name, *color;
};

/* A past broadcast. duration is Twitch's text ("3h8m33s"); duration_s
 * the same in seconds, -1 if it does not parse. */
struct helix_video {
	char	*id, *stream_id, *user_id, *user_login, *user_name, *title;
	char	*type, *duration;
	int64_t	 created_at;
	int64_t	 view_count;
	int64_t	 duration_s;
};

/* A decoded reply. Owns everything it points to. */
struct helix_page {
	enum helix_kind	 kind;
	size_t		 n;
	union {
		void				*v;
		struct helix_user		*users;
		struct helix_stream		*streams;
		struct helix_channel		*channels;
		struct helix_chatter		*chatters;
		struct helix_follow		*follows;
		struct helix_chat_settings	*settings;
		struct helix_badge		*badges;
		struct helix_emote		*emotes;
		struct helix_ban		*bans;
		struct helix_color		*colors;
		struct helix_video		*videos;
	} u;
	char		*cursor;	/* the next page's; NULL: last page */
	int64_t		 total;		/* Twitch's "total", -1 if absent */
};

/* At most this many items a page, whatever a reply claims. */
#define HELIX_MAX_ITEMS		10000

/*
 * Decode a 2xx reply body of kind into page (zeroed first). Returns 0, or
 * -1 with err filled when the body is not JSON or has no "data" array
 * (HELIX_EMPTY accepts any body). Items that are not objects are skipped.
 */
int		 helix_decode(enum helix_kind kind, const char *body,
		    size_t len, struct helix_page *page, char *err,
		    size_t errsz);
/* Free what page holds; it is zeroed again. NULL ok. */
void		 helix_page_free(struct helix_page *page);

/*
 * Turn an error reply (status, body: {"error","status","message"} or
 * anything) from a call of kind into a sentence for a person, into out:
 * "needs the moderator:read:chatters scope (run stitch login to grant
 * it)", "only the broadcaster can list moderators", "token expired or
 * revoked, run stitch login", "Twitch: <message> (HTTP 400)". Twitch's
 * words are sanitized and cut short.
 */
void		 helix_error_text(enum helix_kind kind, long status,
		    const char *body, size_t len, char *out, size_t outsz);

/* "2013-06-03T19:12:02Z" (fractions allowed, only Z) -> seconds since the
 * epoch. Returns 0, or -1 if it is not such a time. */
int		 helix_parse_time(const char *s, int64_t *out);
/* A video's duration, "1h2m3s", "4m", "59s" or plain seconds "60" ->
 * seconds. Returns 0, or -1 if it is not one (or past 10 years). */
int		 helix_parse_duration(const char *s, int64_t *out);

/*
 * The calls.
 */

struct helix_opts {
	const char	*base_url;	/* NULL: HELIX_DEFAULT_URL */
	const char	*client_id;
	const char	*token;		/* copied; never logged */
	const char	*login;		/* the account, told to the refresher */
	const char	*user_id;	/* NULL or "": learn it with
					 * helix_whoami() */
	struct cache	*cache;		/* NULL: none; borrowed */
};

/* How a call ended; borrowed by the callback. */
struct helix_result {
	long			 status;	/* HTTP status, 0 if none */
	const struct helix_page	*page;		/* NULL on error */
	const char		*error;		/* NULL on success */
	int			 auth;		/* 401/403: the account's
						 * fault, not the network's */
	int			 cached;	/* page came from the cache */
};

typedef void	(*helix_cb)(void *arg, const struct helix_result *);

/* The refresher hook: asked for a new token for login; calls done(ctx,
 * token) once, later or at once, with NULL if refreshing failed. */
typedef void	(*helix_refresh_done)(void *ctx, const char *new_token);
typedef void	(*helix_refresh_cb)(void *arg, const char *login,
		    helix_refresh_done done, void *ctx);

struct helix	*helix_new(uv_loop_t *, struct http *,
		    const struct helix_opts *, char *err, size_t errsz);
/* Cancel every call (no callbacks) and free; the timer closes on the
 * next loop turn. A refresh still out keeps the struct until its done()
 * comes. NULL ok. Not from inside one of its callbacks. */
void		 helix_free(struct helix *);
void		 helix_set_refresher(struct helix *, helix_refresh_cb,
		    void *arg);
/* Borrowed; "" until known. */
const char	*helix_user_id(const struct helix *);
const char	*helix_login(const struct helix *);
void		 helix_set_token(struct helix *, const char *token);

/* Forget a call: its callback will not be called. NULL ok. */
void		 helix_cancel(struct helix_call *);

/* Who the token belongs to (GET /users, no query): on success the
 * account's user id and login are set from the reply. Never cached. */
struct helix_call *helix_whoami(struct helix *, helix_cb, void *arg);

/* Users by login (1-100 logins). */
struct helix_call *helix_get_users(struct helix *, const char *const *logins,
		    size_t n, helix_cb, void *arg);
/* Users by id (1-100 ids), as IRC tags give them. */
struct helix_call *helix_get_users_by_id(struct helix *,
		    const char *const *ids, size_t n, helix_cb, void *arg);
/* Whether user_id follows broadcaster_id and since when: a page of 0 or 1
 * follows (as the broadcaster or a moderator, moderator:read:followers). */
struct helix_call *helix_get_follow(struct helix *,
		    const char *broadcaster_id, const char *user_id, helix_cb,
		    void *arg);
/* The live stream of a login: a page of 0 (offline) or 1 stream. */
struct helix_call *helix_get_stream(struct helix *, const char *login,
		    helix_cb, void *arg);
struct helix_call *helix_get_channel(struct helix *,
		    const char *broadcaster_id, helix_cb, void *arg);
struct helix_call *helix_get_chat_settings(struct helix *,
		    const char *broadcaster_id, helix_cb, void *arg);

/* Fields to change; zero-init then set: -1 leaves a field as it is. */
struct helix_settings_patch {
	int	 emote_mode, follower_mode, slow_mode, subscriber_mode;
	int	 unique_chat_mode;
	int64_t	 follower_mode_duration;	/* minutes, with follower_mode */
	int64_t	 slow_mode_wait_time;		/* seconds, with slow_mode */
};
void		 helix_settings_patch_init(struct helix_settings_patch *);
/* As the account (a moderator or the broadcaster). */
struct helix_call *helix_patch_chat_settings(struct helix *,
		    const char *broadcaster_id,
		    const struct helix_settings_patch *, helix_cb, void *arg);

/* A channel's badges or emotes; NULL broadcaster_id: the global ones. */
struct helix_call *helix_get_badges(struct helix *,
		    const char *broadcaster_id, helix_cb, void *arg);
struct helix_call *helix_get_emotes(struct helix *,
		    const char *broadcaster_id, helix_cb, void *arg);

/* Ban (seconds 0) or time out (1-1209600 s) user_id, with the account as
 * moderator; reason may be NULL. */
struct helix_call *helix_ban(struct helix *, const char *broadcaster_id,
		    const char *user_id, unsigned seconds, const char *reason,
		    helix_cb, void *arg);
struct helix_call *helix_unban(struct helix *, const char *broadcaster_id,
		    const char *user_id, helix_cb, void *arg);
/* Delete one message, or all of them when message_id is NULL. */
struct helix_call *helix_delete_message(struct helix *,
		    const char *broadcaster_id, const char *message_id,
		    helix_cb, void *arg);
/* Whisper from the account to to_user_id. */
struct helix_call *helix_whisper(struct helix *, const char *to_user_id,
		    const char *text, helix_cb, void *arg);
/* Chat colours of 1-100 users; the account's own colour. */
struct helix_call *helix_get_colors(struct helix *,
		    const char *const *user_ids, size_t n, helix_cb, void *arg);
struct helix_call *helix_set_color(struct helix *, const char *color,
		    helix_cb, void *arg);

/*
 * Paged lists: HELIX_CHATTERS, HELIX_MODERATORS, HELIX_VIPS,
 * HELIX_FOLLOWERS (of broadcaster id), HELIX_FOLLOWED (by user id id) and
 * HELIX_VIDEOS (the past broadcasts of user id id, newest first).
 * Chatters are asked as the account (moderator_id). limit 0: every item.
 * Each helix_iter_next() asks for the next page (of at most what is left
 * of the limit) and cb gets it; returns 0 when a page was asked for, 1 when
 * the walk is over (no more pages, or the limit reached). Free the iterator
 * when done, not from inside its callback.
 */
struct helix_iter *helix_iter_new(struct helix *, enum helix_kind kind,
		    const char *id, size_t limit, helix_cb cb, void *arg);
int		 helix_iter_next(struct helix_iter *);
/* Items delivered so far. */
size_t		 helix_iter_count(const struct helix_iter *);
void		 helix_iter_free(struct helix_iter *);

/* Cache lifetime of kind's GET replies, in seconds. */
unsigned	 helix_ttl(enum helix_kind kind);

#endif
