/*
 * app.c: a chat session from a struct conf (see app.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "ws.h"

/* Accounts for `account.CHANNEL = LOGIN` lines, and the bindings. */
static void
app_bind_accounts(struct app *a, app_warn_cb warn, void *arg)
{
	const struct conf	*c = a->conf;
	const char		*login, *file;
	char			*tok, why[512], msg[768];
	size_t			 i;

	for (i = 0; i < c->accounts.n; i++) {
		login = c->accounts.v[i].value;
		if (shardmgr_find_account(a->mgr, login) == NULL) {
			file = conf_token_file(c, login);
			if (file == NULL) {
				snprintf(msg, sizeof msg, "account.%s = %s: no "
				    "token_file.%s in the config; #%s uses "
				    "the default account",
				    c->accounts.v[i].key, login, login,
				    c->accounts.v[i].key);
				if (warn != NULL)
					warn(arg, msg);
				continue;
			}
			if ((tok = conf_read_token(file, why,
			    sizeof why)) == NULL) {
				snprintf(msg, sizeof msg, "%s; #%s uses the "
				    "default account", why,
				    c->accounts.v[i].key);
				if (warn != NULL)
					warn(arg, msg);
				continue;
			}
			shardmgr_add_account(a->mgr, login, tok, 0);
			explicit_bzero(tok, strlen(tok));
			free(tok);
		}
		if (shardmgr_bind(a->mgr, c->accounts.v[i].key, login, why,
		    sizeof why) != 0 && warn != NULL)
			warn(arg, why);
	}
}

struct app *
app_new(uv_loop_t *loop, const struct conf *c,
    const struct shard_events *events, void *arg, app_warn_cb warn,
    char *err, size_t errsz)
{
	const struct shardmgr_ops	*ops;
	struct shardmgr_options		 o;
	struct app			*a;

	ops = shardmgr_ops_by_name(c->shard_manager);
	if (ops == NULL) {
		snprintf(err, errsz, "unknown shard manager (default or "
		    "distributed)");
		return NULL;
	}
	a = calloc(1, sizeof *a);
	if (a == NULL)
		abort();
	a->loop = loop;
	a->conf = c;
	a->ws = ws_ctx_new(loop, c->ca_file, err, errsz);
	if (a->ws == NULL) {
		free(a);
		return NULL;
	}
	shardmgr_options_defaults(&o);
	o.channels_per_shard = c->channels_per_shard;
	o.max_shards = c->max_shards;
	o.initial_shards = c->initial_shards;
	o.account_channel_limit = c->channel_limit;
	o.join_limit = c->join_limit;
	o.shard.url = c->server;
	a->mgr = shardmgr_new(loop, a->ws, ops, &o, events, arg);
	if (c->nick != NULL && c->token == NULL && warn != NULL)
		warn(arg, "no token for the nick (set STITCH_TOKEN or "
		    "token_file): reading anonymously");
	shardmgr_add_account(a->mgr, c->token != NULL ? c->nick : NULL,
	    c->token, 1);
	app_bind_accounts(a, warn, arg);
	return a;
}

void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	shardmgr_stop_all_shards(a->mgr);
	shardmgr_free(a->mgr);
	ws_ctx_free(a->ws);
	free(a);
}
