/*
 * shardmgr.h: spreads channels over shards. The contract follows TwitchIO
 * 3's shard managers (../shared/reference/twitchio-shard-managers.txt): an
 * operations table is C's way of subclassing, so a user-defined manager
 * fills its own table and reuses the helpers below.
 */
#ifndef STITCH_SHARDMGR_H
#define STITCH_SHARDMGR_H

#include <stddef.h>

#include "shard.h"

struct shardmgr;

struct shardmgr_ops {
	const char	*name;		/* "default", "distributed", ... */
	/* Called once before any assign_shard: create initial shards. */
	int		(*setup)(struct shardmgr *, char *err, size_t errsz);
	/* Put channel on a shard (shardmgr_add_shard / shard_join), or fail
	 * with a message the user can act on. is_initial: from the start-up
	 * list, between setup and start. */
	int		(*assign_shard)(struct shardmgr *, const char *channel,
			    int is_initial, char *err, size_t errsz);
	/* The shard that should send to channel (one logged in as the
	 * account bound to that channel), or NULL. */
	struct shard	*(*get_sender_shard)(struct shardmgr *,
			    const char *channel);
	int		(*start)(struct shardmgr *);
	void		(*stop)(struct shardmgr *);
	void		(*free_data)(void *data);	/* may be NULL */
};

extern const struct shardmgr_ops shardmgr_default_ops;
extern const struct shardmgr_ops shardmgr_distributed_ops;

struct shardmgr_options {
	size_t		 channels_per_shard;	/* 25 */
	size_t		 max_shards;		/* 5 */
	size_t		 initial_shards;	/* 1 */
};
void	shardmgr_options_defaults(struct shardmgr_options *);

#endif
