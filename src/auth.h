/*
 * auth.h: user tokens. Three parts:
 *
 * - the token store, one directory per account under the config
 *   directory ($XDG_CONFIG_HOME/stitch, else ~/.config/stitch):
 *
 *       accounts/            0700
 *         LOGIN/             0700
 *           token            0600  the access token, alone on its line:
 *                                  what chat reads (conf_token_file)
 *           session          0600  key = value: login, user_id, refresh,
 *                                  scopes, expires_at, validated_at
 *       default-account      0600  the login `stitch` chats as when no
 *                                  nick is set (the first one logged in)
 *
 *   Every file is written to a temporary file made 0600 whatever the
 *   umask, then renamed over the old one, so a reader never sees half a
 *   token and a crash never leaves a file with wider modes;
 * - the device code flow as a state machine driven by a clock the caller
 *   passes in (so tests run it in a loop with a fake one);
 * - the session side: validate at start and every hour, refresh before
 *   expiry and when Helix says 401, one request per account however many
 *   callers ask at once (struct auth, over struct http).
 *
 * Tokens are never printed, logged, put in argv or in a child's
 * environment; every buffer that held one is wiped with explicit_bzero.
 */
#ifndef STITCH_AUTH_H
#define STITCH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "oauth.h"

#define AUTH_LOGIN_SIZE		32
#define AUTH_MAX_ACCOUNTS	64

/* The scopes `stitch login` asks for unless told otherwise. */
#define AUTH_DEFAULT_SCOPES \
	"chat:read chat:edit moderator:read:chatters moderation:read " \
	"moderator:read:followers moderator:manage:banned_users " \
	"moderator:manage:chat_messages moderator:manage:chat_settings " \
	"user:manage:whispers user:read:follows user:write:chat " \
	"user:manage:chat_color channel:read:vips"

/* One account's tokens, as stored. Fixed size: nothing to free, but
 * auth_token_clear() it when done (it holds secrets). */
struct auth_token {
	char		 login[AUTH_LOGIN_SIZE];
	char		 user_id[32];
	char		 access[OAUTH_TOKEN_SIZE];	/* never shown */
	char		 refresh[OAUTH_TOKEN_SIZE];	/* never shown; "" */
	char		 scopes[OAUTH_SCOPES_SIZE];
	int64_t		 expires_at;	/* epoch s; 0: unknown or never */
	int64_t		 validated_at;	/* epoch s of the last good validate */
};

void	auth_token_clear(struct auth_token *);

/*
 * The store.
 */

/* The config directory into buf; -1 if neither XDG_CONFIG_HOME (absolute)
 * nor HOME is set. */
int	auth_store_dir(char *buf, size_t bufsz);

/* The path of a login's token file into buf (what conf_token_file finds).
 * -1 if it does not fit or login is not a Twitch login. */
int	auth_store_token_path(const char *dir, const char *login, char *buf,
	    size_t bufsz);

/* Write t (t->login names the account), creating the directories 0700.
 * Returns 0, or -1 with err filled (never quoting a token). */
int	auth_store_save(const char *dir, const struct auth_token *t,
	    char *err, size_t errsz);

/*
 * Read login's tokens into t. Returns 0; 1 if that login is not logged in
 * (err says so); -1 if the files are there but unusable (err says which
 * file, which line, and what to do). t is cleared unless 0.
 */
int	auth_store_load(const char *dir, const char *login,
	    struct auth_token *t, char *err, size_t errsz);

/* Delete login's files and directory (and default-account if it names
 * login). Returns 0, 1 if it was not logged in, -1 with err filled. */
int	auth_store_remove(const char *dir, const char *login, char *err,
	    size_t errsz);

/* The logged-in logins, sorted, at most max. Returns how many. */
size_t	auth_store_list(const char *dir, char (*logins)[AUTH_LOGIN_SIZE],
	    size_t max);

/* default-account: read it into login (0, or -1 if none or unusable);
 * write it (NULL removes it). */
int	auth_store_get_default(const char *dir, char *login, size_t loginsz);
int	auth_store_set_default(const char *dir, const char *login, char *err,
	    size_t errsz);

/*
 * The device code flow (RFC 8628 as Twitch does it). Start it with the
 * reply of POST /device, then loop: auth_device_step() says to wait, to
 * poll POST /token now (then give the reply to auth_device_reply()), or
 * that it is over. Time is the caller's, in ms, on any monotonic clock.
 */
enum auth_device_state {
	AUTH_DEVICE_WAIT,	/* nothing to do for *wait_ms */
	AUTH_DEVICE_POLL,	/* send a poll now, then auth_device_reply */
	AUTH_DEVICE_BUSY,	/* a poll is out: wait for its reply */
	AUTH_DEVICE_DONE,	/* the token is in d->token */
	AUTH_DEVICE_DENIED,	/* the user said no */
	AUTH_DEVICE_EXPIRED,	/* the code timed out first */
	AUTH_DEVICE_FAILED,	/* d->error says why */
};

/* Consecutive network or server errors tolerated while polling. */
#define AUTH_DEVICE_MAX_ERRORS	5

struct auth_device {
	struct oauth_device	 code;		/* from POST /device */
	struct oauth_token	 token;		/* once DONE */
	enum auth_device_state	 state;
	uint64_t		 interval_ms;	/* grows by 5 s a slow_down */
	uint64_t		 deadline_ms;	/* the code expires */
	uint64_t		 next_ms;	/* the next poll is due */
	unsigned		 polls;
	unsigned		 slow_downs;
	unsigned		 errors;	/* in a row */
	char			 error[256];	/* printable ASCII */
};

/* Decode the /device reply and start the clock. Returns 0, or -1 with err
 * filled (d is then cleared). */
int	auth_device_start(struct auth_device *d, const char *body, size_t len,
	    uint64_t now_ms, char *err, size_t errsz);
/* What to do now; *wait_ms (if not NULL) gets how long to wait for WAIT. */
enum auth_device_state auth_device_step(struct auth_device *d,
	    uint64_t now_ms, uint64_t *wait_ms);
/* The reply to a poll: HTTP status (0: no reply at all) and body. */
void	auth_device_reply(struct auth_device *d, int status, const char *body,
	    size_t len, uint64_t now_ms);
/* Wipe the codes and the token. NULL ok. */
void	auth_device_clear(struct auth_device *);

/*
 * The session side: struct auth keeps the stored accounts valid while a
 * program runs. Watched accounts are validated at once and every hour
 * (Twitch requires both) and refreshed a few minutes before they expire;
 * anyone holding a 401 asks auth_refresher() for a new token. Refreshes of
 * one account are one request however many ask at once, or within 10 s
 * of the last refresh (a 401 that was already on its way); a public
 * client's refresh token works once, so two requests would only waste
 * one. Every new pair is stored before anyone is told of it.
 */
struct auth;
struct http;			/* http.h */
struct uv_loop_s;

/* Something the user should know; msg (may be NULL) is printable text
 * that never holds a token. */
enum auth_event {
	AUTH_VALID,		/* validated */
	AUTH_REFRESHED,		/* a new token is stored and in use */
	AUTH_REVOKED,		/* dead and not refreshable: stitch login */
	AUTH_TROUBLE,		/* no answer; tried again later */
};
typedef void	(*auth_event_cb)(void *arg, const char *login,
		    enum auth_event, const char *msg);

struct auth_opts {
	const char	*oauth_url;	/* NULL: https://id.twitch.tv/oauth2 */
	const char	*client_id;	/* needed to refresh */
	const char	*dir;		/* NULL: auth_store_dir() */
};

#define AUTH_VALIDATE_EVERY_S	3600
#define AUTH_REFRESH_MARGIN_S	300	/* refresh this long before expiry */
#define AUTH_MIN_DELAY_S	60	/* between two looks by the timer */

/*
 * The timer's policy, pure so tests can run it: the seconds until the
 * next look at t (an hour; less if the token must be refreshed before it
 * expires; 1, 2, 4 ... 60 min after failures in a row; never under a
 * minute), and whether a look at now should refresh rather than validate.
 */
int64_t		 auth_next_delay(const struct auth_token *t, unsigned failures,
		    int64_t now);
int		 auth_due_refresh(const struct auth_token *t, int64_t now);

/* On loop, with requests through http (borrowed; outlives the auth).
 * Returns NULL with err filled. cb may be NULL. */
struct auth	*auth_new(struct uv_loop_s *loop, struct http *http,
		    const struct auth_opts *, auth_event_cb cb, void *arg,
		    char *err, size_t errsz);
/* Cancel what is in flight (waiting refreshers are not called back) and
 * free; the timers close on the next loop turns. NULL ok. Not from inside
 * one of auth's callbacks. A refresh cut off here may have spent the
 * refresh token at Twitch without its new pair reaching the store: run
 * the loop until auth_busy() is 0 first (a few seconds at most). */
void		 auth_free(struct auth *);

/*
 * The auth a Helix client should refresh through: login's stored session
 * kept valid on loop. NULL, with nothing to do, when the token came from
 * STITCH_TOKEN (no refresh token is held for it), login is NULL or it has
 * no stored session. Pass it to helix_set_refresher() with auth_refresher.
 */
struct auth	*auth_for_stored(struct uv_loop_s *loop, struct http *http,
		    const char *oauth_url, const char *client_id,
		    const char *login, auth_event_cb cb, void *arg);

/* Load login from the store and keep it valid from now on. Returns 0, or
 * -1 with err filled (not logged in, damaged files). */
int		 auth_watch(struct auth *, const char *login, char *err,
		    size_t errsz);
/* auth_watch() every stored account; returns how many are watched (a
 * damaged one is told through the event callback as AUTH_REVOKED). */
size_t		 auth_watch_all(struct auth *);

/*
 * Helix's refresher (helix_refresh_cb: pass the struct auth as arg): get a
 * new token for login, store it, then done(ctx, token), or done(ctx, NULL)
 * if it cannot be had. done may be called before this returns. The token
 * is borrowed: copy it.
 *
 * Wiring: one struct auth per program; helix_set_refresher(h,
 * auth_refresher, auth) on every Helix client; on AUTH_REFRESHED give
 * auth_access_token() to every other holder of that login's token (the
 * other Helix clients with helix_set_token, the chat account for its next
 * login), or their next 401 would spend the new refresh token as well.
 */
void		 auth_refresher(void *arg, const char *login,
		    void (*done)(void *ctx, const char *new_token), void *ctx);

/* login's current access token (borrowed, valid until the next refresh),
 * or NULL if it is not loaded. */
const char	*auth_access_token(struct auth *, const char *login);
/* Requests sent to the OAuth server so far (tests check coalescing). */
unsigned	 auth_requests(const struct auth *);
/* Refreshes in flight now (NULL: 0). */
size_t		 auth_busy(const struct auth *);

#endif
