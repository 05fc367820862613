/*
 * apphelix.h: the interactive client's Helix session. One struct apphelix
 * per UI owns the HTTP client, the cache (cache.h, the file backend unless
 * told otherwise), the Helix client for the account and, when the token
 * came from `stitch login`, the struct auth that validates and refreshes
 * it. The UI asks for things by channel and user login; apphelix turns
 * logins into ids (remembered, and the users replies are cached), makes
 * the calls and answers each request once, with a sentence for the pane.
 *
 * Core: no curses, no printing. Nothing here is paced: the caller decides
 * how often to ask (apphelix_budget() tells what Helix has left).
 */
#ifndef STITCH_APPHELIX_H
#define STITCH_APPHELIX_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "conf.h"
#include "helix.h"

struct apphelix;

enum apphelix_op {
	APPHELIX_BAN,		/* user; text: reason ("" none) */
	APPHELIX_TIMEOUT,	/* user, seconds; text: reason */
	APPHELIX_UNBAN,		/* user */
	APPHELIX_DELETE,	/* text: the message id */
	APPHELIX_SETTINGS,	/* patch; text: what to say when done */
	APPHELIX_WHISPER,	/* user; text: the message */
	APPHELIX_COLOR,		/* text: a name or #RRGGBB */
	APPHELIX_LIST,		/* list: HELIX_CHATTERS, _MODERATORS, _VIPS;
				 * limit; every page to the callback */
	APPHELIX_STATS,		/* the stream, channel and follower total */
	APPHELIX_CARD,		/* user: account and follow date */
};

/* One request; copied by apphelix_do(). Zero it, then fill. */
struct apphelix_req {
	enum apphelix_op		 op;
	char				 chan[32];	/* channel login */
	char				 user[32];	/* a login */
	unsigned			 seconds;
	enum helix_kind			 list;
	size_t				 limit;		/* 0: every item */
	char				 text[512];
	struct helix_settings_patch	 patch;
	int				 moderator;	/* CARD: the account
							 * moderates chan, so
							 * no follow row means
							 * no follow */
};

struct apphelix_stats {
	int		 live;
	char		 title[256];	/* raw: sanitize before showing */
	char		 game[128];
	long		 viewers;	/* -1 offline */
	long		 followers;	/* -1 unknown */
	int64_t		 started_at;	/* -1 offline */
};

struct apphelix_card {
	char		 login[32];
	char		 display_name[64];	/* raw */
	int64_t		 created_at;	/* -1 unknown */
	int64_t		 followed_at;	/* -1 does not follow */
	char		 follow_error[256];	/* "" unless the follow date
						 * could not be asked */
};

/* How a request ended (or, for APPHELIX_LIST, one page of it). */
struct apphelix_result {
	int				 ok;
	const char			*msg;	/* a sentence: what was done,
						 * or what went wrong */
	int				 auth;	/* the account's fault */
	const struct helix_page		*page;	/* LIST: a page; NULL at
						 * the end */
	const struct apphelix_stats	*stats;	/* STATS, when ok */
	const struct apphelix_card	*card;	/* CARD, when ok */
};

/* Called once per request (and once more per page of a LIST, before the
 * end); may start new requests. */
typedef void	(*apphelix_cb)(void *arg, const struct apphelix_req *,
		    const struct apphelix_result *);
/* News nobody asked for: who we are (ok), a token that died. */
typedef void	(*apphelix_news_cb)(void *arg, int ok, const char *msg);

/*
 * The session for conf's account: its token (conf->token, with conf->nick)
 * and client id (conf->client_id, else TWITCH_CLIENT_ID), conf->helix_url,
 * oauth_url and ca_file. cache_kind NULL: "file". Returns NULL with why
 * filled ("needs a login: run stitch login", ...) when there is no token
 * or client id, or the HTTP client cannot start. Validation starts at
 * once; requests made before it ended wait for it.
 */
struct apphelix	*apphelix_new(uv_loop_t *, const struct conf *,
		    const char *cache_kind, apphelix_news_cb, void *arg,
		    char *why, size_t whysz);
/* Cancel everything (no callbacks) and free; handles close on the next
 * loop turns. NULL ok. Not from inside a callback. */
void		 apphelix_free(struct apphelix *);

/* Told each new token auth stored for login (borrowed, never to be
 * shown), so chat logs in with it next time. */
typedef void	(*apphelix_token_cb)(void *arg, const char *login,
		    const char *token);
void		 apphelix_set_token_cb(struct apphelix *, apphelix_token_cb,
		    void *arg);

/* Start a request; cb is called later, never before this returns. */
void		 apphelix_do(struct apphelix *, const struct apphelix_req *,
		    apphelix_cb cb, void *arg);
/* Forget every request whose callback argument is arg. */
void		 apphelix_cancel_arg(struct apphelix *, void *arg);

/* The account's login and id ("" until validated). Borrowed. */
const char	*apphelix_login(const struct apphelix *);
const char	*apphelix_user_id(const struct apphelix *);
/* 1 once validation succeeded. */
int		 apphelix_ready(const struct apphelix *);
/* Points left in Helix's bucket, -1 when Helix has not told yet. */
long		 apphelix_budget(const struct apphelix *);
/* Something to tell the user once (no cache, a cache server gone), or
 * NULL. Borrowed until the next call; reading it clears it. */
const char	*apphelix_warning(struct apphelix *);
/* Requests in flight. */
size_t		 apphelix_pending(const struct apphelix *);

#endif
