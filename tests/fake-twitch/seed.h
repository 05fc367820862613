/*
 * seed.h: the world behind fake-twitch's Helix and OAuth half, read from
 * the seed file (the same file chat reads through chatworld.h), and kept
 * up to date while the fake runs: tokens issued, refreshed, revoked and
 * expired, device codes, chat settings, rate-limit buckets.
 *
 * Seed keys (unknown keys are ignored; every key but users[].login,
 * tokens[].token and channels[].broadcaster is optional):
 *
 *   client_id            default client id of seed tokens
 *                        ("stitch-test-client")
 *   device_login         who --device-auto-approve logs in (default: the
 *                        first user)
 *   users[]              login, id, display_name, color, created_at,
 *                        type, broadcaster_type, description, badges
 *   tokens[]             token (or access_token), login, scopes[],
 *                        client_id, refresh_token, expired (bool),
 *                        revoked (bool), expires_in (seconds from start),
 *                        expires_at_ms (epoch ms)
 *   channels[]           broadcaster (login), moderators[], vips[],
 *                        subscribers[] (chat only), chatters[] (logins),
 *                        generate_chatters N (viewer00001.. viewerN),
 *                        followers[] ({login, followed_at} or logins),
 *                        generate_followers N (viewers, one an hour back
 *                        from 2024-01-01), language, game_name, game_id,
 *                        title, tags[], delay,
 *                        stream {live, title, game_name, game_id,
 *                        viewer_count, started_at, language, tags[]},
 *                        chat_settings {emote_mode, follower_mode,
 *                        follower_mode_duration, slow_mode,
 *                        slow_mode_wait_time, subscriber_mode,
 *                        unique_chat_mode, non_moderator_chat_delay,
 *                        non_moderator_chat_delay_duration},
 *                        emotes[] ({id, name, tier, emote_type}),
 *                        badges[] ({set_id, versions[] of ids})
 *
 * Generated viewers "viewerNNNNN" (id 90000000+N, display "ViewerNNNNN")
 * are real users to every endpoint: Get Users finds them. So is anyone
 * chat has seen talk lately in a seeded channel (the simulated crowd),
 * with the user-id chat gave them, so they can be looked up and banned.
 */
#ifndef FAKE_SEED_H
#define FAKE_SEED_H

#include <stddef.h>
#include <stdint.h>

#define SEED_CLIENT_ID	"stitch-test-client"
#define SEED_VIEWER_BASE 90000000u
#define SEED_MAX_VIEWERS 1000000u

struct seed_user {
	char	 login[32];
	char	 id[24];
	char	 display[80];
	char	 color[8];
	char	 created_at[32];
	char	 type[16];
	char	 broadcaster_type[16];
	char	 description[256];
};

struct seed_follow {
	size_t	 user;		/* index in users */
	int64_t	 at;		/* epoch seconds */
};

struct seed_settings {
	int	 emote_mode;
	int	 follower_mode;
	int	 follower_mode_duration;	/* minutes */
	int	 slow_mode;
	int	 slow_mode_wait_time;		/* seconds */
	int	 subscriber_mode;
	int	 unique_chat_mode;
	int	 non_moderator_chat_delay;
	int	 non_moderator_chat_delay_duration;
};

struct seed_emote {
	char	 id[48];
	char	 name[48];
	char	 tier[8];
	char	 type[16];
};

struct seed_badge {
	char	 set_id[32];
	char	 versions[8][8];
	int	 nversions;
};

/* A ban or timeout placed through Helix (Get Banned Users lists them). */
struct seed_ban {
	char	 user_id[24];
	char	 login[32];
	char	 display[80];
	char	 mod_id[24];
	int64_t	 created;		/* epoch seconds */
	int64_t	 expires;		/* epoch seconds; 0: permanent */
	char	 reason[512];
};

struct seed_channel {
	size_t			 user;		/* the broadcaster */
	size_t			*mods, nmods;
	size_t			*vips, nvips;
	size_t			*chatters, nchatters;
	unsigned		 gen_chatters;
	struct seed_follow	*follows;	/* newest first */
	size_t			 nfollows;
	unsigned		 gen_followers;
	int			 live;
	char			 title[256];
	char			 game_name[96];
	char			 game_id[16];
	char			 language[8];
	char			 tags[256];	/* comma-separated */
	unsigned		 viewers;
	char			 started_at[32];
	char			 stream_id[24];
	int			 delay;
	struct seed_settings	 settings;
	struct seed_emote	*emotes;
	size_t			 nemotes;
	struct seed_badge	*badges;
	size_t			 nbadges;
	struct seed_ban		*bans;
	size_t			 nbans, bancap;
};

struct seed_token {
	char		 access[48];
	char		 refresh[56];	/* "" for none */
	char		 client_id[64];
	size_t		 user;
	char		 scopes[1024];	/* " a b c ", for strstr */
	uint64_t	 expires_ms;	/* epoch ms; 0 never */
	int		 revoked;
};

enum seed_device_state {
	SEED_DEVICE_PENDING,
	SEED_DEVICE_APPROVED,
	SEED_DEVICE_DENIED,
	SEED_DEVICE_USED
};

struct seed_device {
	char			 device_code[48];
	char			 user_code[16];
	char			 client_id[64];
	char			 scopes[1024];	/* " a b " */
	uint64_t		 expires_ms;
	uint64_t		 last_poll_ms;
	unsigned		 polls;
	enum seed_device_state	 state;
	size_t			 user;
};

struct seed_bucket {
	char		 key[96];	/* client id "/" user id */
	double		 points;
	uint64_t	 last_ms;
};

/* A user as the endpoints see it: a seeded one or a generated viewer. */
struct seed_person {
	char	 login[32];
	char	 id[24];
	char	 display[80];
	const struct seed_user *user;	/* NULL for a viewer */
};

struct seed_opts {
	unsigned	 bucket;		/* points; 0: 800 */
	unsigned	 device_auto;		/* approve after N polls; 0 off */
	unsigned	 device_interval_s;	/* 0: 5 */
	unsigned	 device_expires_s;	/* 0: 1800 */
	unsigned	 token_lifetime_s;	/* 0: 14400 */
};

struct fake_world {
	struct seed_user	*users;
	size_t			 nusers;
	struct seed_channel	*chans;
	size_t			 nchans;
	struct seed_token	*tokens;
	size_t			 ntokens, tokcap;
	struct seed_device	*devices;
	size_t			 ndevices, devcap;
	struct seed_bucket	*buckets;
	size_t			 nbuckets, bucketcap;
	char			 client_id[64];
	size_t			 device_user;
	struct seed_opts	 opts;
};

/* Read the seed file. Returns the world (seed_free frees it), or NULL
 * with a message in err. Also makes it the world of seed_current(). */
struct fake_world *seed_load(const char *path, char *err, size_t errsz);
void	seed_free(struct fake_world *);
/* The world main.c loaded, for the admin port and chat's token lookup. */
struct fake_world *seed_current(void);
/* Apply main.c's flags; zero fields keep the defaults. */
void	seed_configure(struct fake_world *, const struct seed_opts *);

/* Users: index of a seeded login or id, or -1. */
long	seed_user_by_login(const struct fake_world *, const char *login);
long	seed_user_by_id(const struct fake_world *, const char *id);
/* Fill p for a login or an id (seeded or a viewer); 0, or -1 if unknown. */
int	seed_person_by_login(const struct fake_world *, const char *login,
	    struct seed_person *p);
int	seed_person_by_id(const struct fake_world *, const char *id,
	    struct seed_person *p);
void	seed_person_of(const struct fake_world *, size_t user,
	    struct seed_person *p);
void	seed_viewer(unsigned n, struct seed_person *p);

/* The channel whose broadcaster has this user id (or login), or NULL. */
struct seed_channel *seed_chan_by_id(struct fake_world *, const char *id);
struct seed_channel *seed_chan_by_login(struct fake_world *,
	    const char *login);
/* Is person id a moderator (or the broadcaster, or a VIP) of ch? */
int	seed_is_mod(const struct fake_world *, const struct seed_channel *,
	    const char *user_id);
int	seed_is_vip(const struct fake_world *, const struct seed_channel *,
	    const char *user_id);
size_t	seed_nchatters(const struct seed_channel *);
void	seed_chatter_at(const struct fake_world *, const struct seed_channel *,
	    size_t i, struct seed_person *p);
size_t	seed_nfollowers(const struct seed_channel *);
void	seed_follower_at(const struct fake_world *, const struct seed_channel *,
	    size_t i, struct seed_person *p, int64_t *at);
/* Does person id follow ch? 1 and *at, or 0. */
int	seed_follows(const struct fake_world *, const struct seed_channel *,
	    const char *user_id, int64_t *at);

/* Tokens. A valid token is known, not revoked and not expired at now. */
struct seed_token *seed_token_find(struct fake_world *, const char *access);
struct seed_token *seed_token_by_refresh(struct fake_world *,
	    const char *refresh);
int	seed_token_valid(const struct seed_token *, uint64_t now_ms);
int	seed_token_has_scope(const struct seed_token *, const char *scope);
/* A new token for user with scopes (" a b "); the world owns it. */
struct seed_token *seed_token_issue(struct fake_world *, const char *client_id,
	    size_t user, const char *scopes, uint64_t now_ms);
/* Random lowercase letters and digits, n of them, into buf (n+1 bytes). */
void	seed_random(char *buf, size_t n, const char *alphabet);

/* Device codes. */
struct seed_device *seed_device_new(struct fake_world *, const char *client_id,
	    const char *scopes, uint64_t now_ms);
struct seed_device *seed_device_by_code(struct fake_world *,
	    const char *device_code);
struct seed_device *seed_device_by_user_code(struct fake_world *,
	    const char *user_code);

/* RFC 3339 UTC ("2024-01-01T00:00:00Z") of epoch seconds, into buf. */
void	seed_time(int64_t t, char *buf, size_t bufsz);

#endif
