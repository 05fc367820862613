/*
 * app.h: one chat session wired from a struct conf: the libuv loop, the
 * websocket context, the accounts and the shard manager with its channel
 * bindings. Used by `stitch tail` and the UI; knows nothing of either
 * (no printing, no curses): messages go back to the caller.
 */
#ifndef STITCH_APP_H
#define STITCH_APP_H

#include <stddef.h>

#include <uv.h>

#include "conf.h"
#include "shardmgr.h"

struct app {
	uv_loop_t		*loop;		/* borrowed */
	struct ws_ctx		*ws;
	struct shardmgr		*mgr;
	const struct conf	*conf;		/* borrowed */
};

/* A message for the user: why a binding or a token was not used. */
typedef void	(*app_warn_cb)(void *arg, const char *msg);

/*
 * Build the session: websocket context (with conf->ca_file), manager
 * (conf->shard_manager and its numbers), the default account (conf->nick
 * with conf->token, else anonymous), one account per `account.CHANNEL`
 * binding whose login has a token file (else warn, and the channel uses the
 * default account). Nothing is joined or started yet. Returns NULL with err
 * filled on failure. events/arg go to every shard.
 */
struct app	*app_new(uv_loop_t *loop, const struct conf *conf,
		    const struct shard_events *events, void *arg,
		    app_warn_cb warn, char *err, size_t errsz);
/* Stop every shard, free the manager and start tearing the context down;
 * the caller then runs the loop until uv_loop_close() succeeds (ws.h).
 * NULL ok. */
void		 app_free(struct app *);

#endif
