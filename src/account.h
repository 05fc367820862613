/*
 * account.h: the inside of struct account (shard.h declares its public
 * functions), for shard.c, which paces every shard of an account with its
 * limiters. Nothing else should need it.
 */
#ifndef STITCH_ACCOUNT_H
#define STITCH_ACCOUNT_H

#include <stddef.h>

#include "ratelimit.h"
#include "shard.h"

#define ACCOUNT_DEFAULT_CHANNEL_LIMIT	100

struct account {
	char		*login;		/* lowercase, or justinfanNNNNNN */
	char		*token;		/* NULL: anonymous; never shown */
	int		 anonymous;
	size_t		 joined;	/* channels on all its shards */
	size_t		 moderated;	/* of which it moderates or owns */
	size_t		 limit;
	struct ratelimit join_rl;
	struct ratelimit msg_rl;	/* 20/30 s: ordinary channels */
	struct ratelimit mod_rl;	/* 100/30 s: every message */
	struct ratelimit auth_rl;
};

#endif
