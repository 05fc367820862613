/*
 * shardmgr.h: spreads channels over shards. The contract follows TwitchIO
 * 3's shard managers (../shared/reference/twitchio-shard-managers.txt): an
 * operations table is C's way of subclassing, so a user-defined manager
 * fills its own table and reuses the helpers below.
 *
 * Life of a manager:
 *	mgr = shardmgr_new(loop, ws, ops, &opts, &events, arg);
 *	shardmgr_add_account(mgr, login, token, 1);	(optional, else anonymous)
 *	shardmgr_bind(mgr, channel, login, ...);	(optional)
 *	shardmgr_setup(mgr, channels, n);	ops->setup, then assign_shard(ch, 1)
 *	shardmgr_run(mgr);			ops->start, uv_run until stopped
 *	... shardmgr_join(mgr, ch, ...) / shardmgr_part(mgr, ch) at any time
 *	shardmgr_stop(mgr);			ops->stop, the loop returns
 *	shardmgr_free(mgr);
 *
 * Channel names may be given with or without '#', in any case; the manager
 * keeps them lowercase without '#'.
 *
 * Events from every shard go to the struct shard_events given at creation.
 * A join the manager itself refuses (no room on any shard, a bad name) is
 * reported through on_join with a NULL shard and ok 0, as well as by the
 * return value where there is one.
 */
#ifndef STITCH_SHARDMGR_H
#define STITCH_SHARDMGR_H

#include <stddef.h>

#include "shard.h"

struct shardmgr;

struct shardmgr_ops {
	const char	*name;		/* "default", "distributed", ... */
	/* Called once before any assign_shard: create initial shards (not
	 * started). shardmgr_initial_channels() lists the start-up channels;
	 * setup may place them itself (then assign_shard sees them already
	 * placed and does nothing). */
	int		(*setup)(struct shardmgr *, char *err, size_t errsz);
	/* Put channel on a shard (shardmgr_add_shard / shard_join), or fail
	 * with a message the user can act on. is_initial: from the start-up
	 * list, between setup and start. channel is normalized. */
	int		(*assign_shard)(struct shardmgr *, const char *channel,
			    int is_initial, char *err, size_t errsz);
	/* The shard that should send to channel (one logged in as the
	 * account bound to that channel), or NULL. */
	struct shard	*(*get_sender_shard)(struct shardmgr *,
			    const char *channel);
	/* Start the shards (not blocking: shardmgr_run() runs the loop). */
	int		(*start)(struct shardmgr *);
	void		(*stop)(struct shardmgr *);
	void		(*free_data)(void *data);	/* may be NULL */
};

/* One shard "main-shard" for the default account holding every channel;
 * a channel bound to another account gets a shard "LOGIN-shard" made for
 * that account. */
extern const struct shardmgr_ops shardmgr_default_ops;
/* Up to max_shards shards of channels_per_shard channels, see
 * shardmgr.c for the rules. */
extern const struct shardmgr_ops shardmgr_distributed_ops;

/* "default" or "distributed" -> the table; NULL if unknown. */
const struct shardmgr_ops *shardmgr_ops_by_name(const char *name);

struct shardmgr_options {
	size_t		 channels_per_shard;	/* 25 */
	size_t		 max_shards;		/* 5 */
	size_t		 initial_shards;	/* 1 */
	/* Twitch's joined-channel cap per logged-in account (100); 0 keeps
	 * the shard layer's default. */
	size_t		 account_channel_limit;
	/* JOINs per 10 s per account (Twitch: 20, 2,000 for verified bots);
	 * 0 keeps the shard layer's default. */
	size_t		 join_limit;
	struct shard_config shard;		/* shard_config_defaults() */
};
void	shardmgr_options_defaults(struct shardmgr_options *);

/*
 * Make a manager; nothing touches the network before shardmgr_start().
 * ws may be NULL only if no shard is ever started (unit tests). opts and
 * events are copied (opts->shard.url too); ops must be static. arg is
 * handed to every event callback.
 */
struct shardmgr	*shardmgr_new(uv_loop_t *, struct ws_ctx *ws,
		    const struct shardmgr_ops *ops,
		    const struct shardmgr_options *opts,
		    const struct shard_events *events, void *arg);
/* Frees every shard and account (shards from the loop, later). NULL ok. */
void		 shardmgr_free(struct shardmgr *);

/* Data for a custom manager; freed by ops->free_data in shardmgr_free. */
void		*shardmgr_data(const struct shardmgr *);
void		 shardmgr_set_data(struct shardmgr *, void *);
const struct shardmgr_options *shardmgr_options(const struct shardmgr *);
const struct shardmgr_ops *shardmgr_ops(const struct shardmgr *);
uv_loop_t	*shardmgr_loop(const struct shardmgr *);

/*
 * Accounts. The manager owns them. login NULL is anonymous (read-only).
 * The first account added, or the one added with is_default, is the
 * default; without any, setup makes an anonymous default. token is copied
 * and never shown. Returns the account (the existing one, token unchanged,
 * if the login is already known).
 */
struct account	*shardmgr_add_account(struct shardmgr *, const char *login,
		    const char *token, int is_default);
struct account	*shardmgr_default_account(struct shardmgr *);
/* The account with this login (any case), or NULL. */
struct account	*shardmgr_find_account(const struct shardmgr *,
		    const char *login);

/*
 * Bind channel to the account that should speak there (added before with
 * shardmgr_add_account). Returns 0, or -1 with err filled (unknown login,
 * bad channel name). Bind before joining the channel.
 */
int		 shardmgr_bind(struct shardmgr *, const char *channel,
		    const char *login, char *err, size_t errsz);
/* The bound account, else the default one. */
struct account	*shardmgr_channel_account(struct shardmgr *,
		    const char *channel);

/*
 * Helpers for ops tables.
 */
/* A new shard, not started, logged in as acct (NULL: default account),
 * holding channels (normalized first; may be NULL with n 0). Returns the
 * shard, or NULL with err filled (duplicate id, a channel refused). */
struct shard	*shardmgr_add_shard(struct shardmgr *, const char *id,
		    struct account *acct, const char *const *channels,
		    size_t n, char *err, size_t errsz);
/* Start every shard still idle; stop every shard. */
void		 shardmgr_start_all_shards(struct shardmgr *);
void		 shardmgr_stop_all_shards(struct shardmgr *);
/* Has shardmgr_start() run (so a shard made now must be started)? */
int		 shardmgr_started(const struct shardmgr *);
/* The start-up list given to shardmgr_setup(), normalized. */
size_t		 shardmgr_initial_count(const struct shardmgr *);
const char	*shardmgr_initial_channel(const struct shardmgr *, size_t i);

/* Iteration over shards in creation order; i < shardmgr_nshards(). */
size_t		 shardmgr_nshards(const struct shardmgr *);
struct shard	*shardmgr_shard(const struct shardmgr *, size_t i);
struct shard	*shardmgr_find_shard(const struct shardmgr *, const char *id);
/* The shard holding channel, or NULL. */
struct shard	*shardmgr_channel_shard(const struct shardmgr *,
		    const char *channel);
/* Channels held by all shards. */
size_t		 shardmgr_nchannels(const struct shardmgr *);

/*
 * Operations.
 */
/* ops->setup, then ops->assign_shard(ch, 1) for each channel. Returns the
 * number of channels refused (each reported through on_join with a NULL
 * shard), or -1 with err filled when setup itself failed. */
int		 shardmgr_setup(struct shardmgr *, const char *const *channels,
		    size_t n, char *err, size_t errsz);
/* ops->start. Returns 0 or -1. */
int		 shardmgr_start(struct shardmgr *);
/* shardmgr_start() if not started, then run the loop until
 * shardmgr_stop() (TwitchIO's wait_until_exit). Returns 0 or -1. */
int		 shardmgr_run(struct shardmgr *);
/* ops->stop and make shardmgr_run() return. */
void		 shardmgr_stop(struct shardmgr *);

/* Join: normalize, validate, ops->assign_shard(ch, 0). Returns 0 (also if
 * already joined), or -1 with err filled and on_join(NULL, ch, 0, err). */
int		 shardmgr_join(struct shardmgr *, const char *channel, char *err,
		    size_t errsz);
/* Part from whichever shard holds it. Returns 0, or -1 if not joined. */
int		 shardmgr_part(struct shardmgr *, const char *channel);
/* ops->get_sender_shard on the normalized name. */
struct shard	*shardmgr_get_sender_shard(struct shardmgr *,
		    const char *channel);

/*
 * Channel names: "#Foo" -> "foo" into buf (bufsz >= 26 is enough). Returns
 * 0, or -1 with err filled if it is not a Twitch login ([a-z0-9_]{1,25}).
 */
int		 shardmgr_normalize(const char *channel, char *buf,
		    size_t bufsz, char *err, size_t errsz);
#define SHARDMGR_NAME_MAX	25

#endif
