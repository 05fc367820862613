/*
 * shardmgr.c: the shard manager core (accounts, bindings, the list of
 * shards, the helpers an operations table uses) and the two stock tables.
 *
 * Default: one "main-shard" for the default account holds every channel; a
 * channel bound to another account goes to "LOGIN-shard", made on demand.
 *
 * Distributed: setup makes initial_shards shards "initial-shard-N" for the
 * default account. Every channel (start-up or later) goes to the least
 * loaded shard of the account bound to it; when all of that account's
 * shards hold channels_per_shard channels (or it has none), a new
 * "extended-shard-N" is made (and started, if the manager runs), as long as
 * there are fewer than max_shards shards in all. Past that the join fails
 * with a message saying which option to raise.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shardmgr.h"
#include "xmalloc.h"

struct shardmgr_bind {
	char		 channel[SHARDMGR_NAME_MAX + 1];
	struct account	*acct;
};

struct shardmgr_acct {
	struct account	*acct;
	char		*login;		/* as given, lowercase; NULL anonymous */
};

struct shardmgr {
	uv_loop_t		*loop;
	struct ws_ctx		*ws;
	const struct shardmgr_ops *ops;
	struct shardmgr_options	 opts;
	char			*url;		/* opts.shard.url points here */
	struct shard_events	 events;
	void			*arg;

	struct shard		**shards;
	size_t			 nshards;
	size_t			 shardcap;

	struct shardmgr_acct	*accts;
	size_t			 naccts;
	struct account		*dflt;

	struct shardmgr_bind	*binds;
	size_t			 nbinds;

	char			**initial;
	size_t			 ninitial;

	void			*data;
	int			 started;
	unsigned		 next_extended;	/* distributed: next N */
};

void
shardmgr_options_defaults(struct shardmgr_options *o)
{
	memset(o, 0, sizeof *o);
	o->channels_per_shard = 25;
	o->max_shards = 5;
	o->initial_shards = 1;
	o->account_channel_limit = 0;
	shard_config_defaults(&o->shard);
}

int
shardmgr_normalize(const char *channel, char *buf, size_t bufsz, char *err,
    size_t errsz)
{
	const char	*p = channel;
	size_t		 len = 0;
	unsigned char	 c;

	if (p != NULL && *p == '#')
		p++;
	if (p == NULL || *p == '\0') {
		snprintf(err, errsz, "empty channel name");
		return -1;
	}
	for (; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_')) {
			/* Never echo the bytes: they may be anything. */
			snprintf(err, errsz, "invalid channel name: a Twitch "
			    "channel is 1 to %d letters, digits or '_'",
			    SHARDMGR_NAME_MAX);
			return -1;
		}
		if (len >= SHARDMGR_NAME_MAX || len + 1 >= bufsz) {
			snprintf(err, errsz, "invalid channel name: longer "
			    "than %d characters", SHARDMGR_NAME_MAX);
			return -1;
		}
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	return 0;
}

struct shardmgr *
shardmgr_new(uv_loop_t *loop, struct ws_ctx *ws,
    const struct shardmgr_ops *ops, const struct shardmgr_options *opts,
    const struct shard_events *events, void *arg)
{
	struct shardmgr	*m;

	m = calloc(1, sizeof *m);
	if (m == NULL)
		abort();
	m->loop = loop;
	m->ws = ws;
	m->ops = ops;
	if (opts != NULL)
		m->opts = *opts;
	else
		shardmgr_options_defaults(&m->opts);
	if (m->opts.channels_per_shard == 0)
		m->opts.channels_per_shard = 1;
	if (m->opts.max_shards == 0)
		m->opts.max_shards = 1;
	if (m->opts.initial_shards == 0)
		m->opts.initial_shards = 1;
	if (m->opts.initial_shards > m->opts.max_shards)
		m->opts.initial_shards = m->opts.max_shards;
	if (m->opts.shard.url != NULL) {
		m->url = xstrdup(m->opts.shard.url);
		m->opts.shard.url = m->url;
	}
	if (events != NULL)
		m->events = *events;
	m->arg = arg;
	m->next_extended = 1;
	return m;
}

void
shardmgr_free(struct shardmgr *m)
{
	size_t	i;

	if (m == NULL)
		return;
	if (m->ops->free_data != NULL && m->data != NULL)
		m->ops->free_data(m->data);
	for (i = 0; i < m->nshards; i++)
		shard_free(m->shards[i]);
	free(m->shards);
	for (i = 0; i < m->naccts; i++) {
		account_free(m->accts[i].acct);
		free(m->accts[i].login);
	}
	free(m->accts);
	free(m->binds);
	for (i = 0; i < m->ninitial; i++)
		free(m->initial[i]);
	free(m->initial);
	free(m->url);
	free(m);
}

void *
shardmgr_data(const struct shardmgr *m)
{
	return m->data;
}

void
shardmgr_set_data(struct shardmgr *m, void *data)
{
	m->data = data;
}

const struct shardmgr_options *
shardmgr_options(const struct shardmgr *m)
{
	return &m->opts;
}

const struct shardmgr_ops *
shardmgr_ops(const struct shardmgr *m)
{
	return m->ops;
}

uv_loop_t *
shardmgr_loop(const struct shardmgr *m)
{
	return m->loop;
}

/* Compare logins without case; NULL (anonymous) equals only NULL. */
static int
shardmgr_same_login(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

struct account *
shardmgr_find_account(const struct shardmgr *m, const char *login)
{
	size_t	i;

	if (login != NULL && *login == '\0')
		login = NULL;
	for (i = 0; i < m->naccts; i++)
		if (shardmgr_same_login(m->accts[i].login, login))
			return m->accts[i].acct;
	return NULL;
}

/* The login an account was added under; NULL for anonymous. */
static const char *
shardmgr_account_name(const struct shardmgr *m, const struct account *a)
{
	size_t	i;

	for (i = 0; i < m->naccts; i++)
		if (m->accts[i].acct == a)
			return m->accts[i].login;
	return NULL;
}

struct account *
shardmgr_add_account(struct shardmgr *m, const char *login, const char *token,
    int is_default)
{
	struct shardmgr_acct	*sa;
	struct account		*a;
	size_t			 i;

	if (login != NULL && *login == '\0')
		login = NULL;
	for (i = 0; i < m->naccts; i++) {
		if (!shardmgr_same_login(m->accts[i].login, login))
			continue;
		/* Known login: shards may hold the account already, so it
		 * stays as it is. */
		a = m->accts[i].acct;
		if (is_default)
			m->dflt = a;
		return a;
	}
	a = account_new(login, login != NULL ? token : NULL);
	if (a == NULL)
		abort();
	if (m->opts.account_channel_limit != 0)
		account_set_channel_limit(a, m->opts.account_channel_limit);
	if (m->opts.join_limit != 0)
		account_set_join_limit(a, m->opts.join_limit, 10000);
	m->accts = xreallocarray(m->accts, m->naccts + 1, sizeof *m->accts);
	sa = &m->accts[m->naccts++];
	sa->acct = a;
	sa->login = NULL;
	if (login != NULL) {
		sa->login = xstrdup(login);
		for (i = 0; sa->login[i] != '\0'; i++)
			if (sa->login[i] >= 'A' && sa->login[i] <= 'Z')
				sa->login[i] += 'a' - 'A';
	}
	if (is_default || m->dflt == NULL)
		m->dflt = a;
	return a;
}

struct account *
shardmgr_default_account(struct shardmgr *m)
{
	if (m->dflt == NULL)
		shardmgr_add_account(m, NULL, NULL, 1);
	return m->dflt;
}

int
shardmgr_bind(struct shardmgr *m, const char *channel, const char *login,
    char *err, size_t errsz)
{
	char		 name[SHARDMGR_NAME_MAX + 1];
	struct account	*a;
	size_t		 i;

	if (shardmgr_normalize(channel, name, sizeof name, err, errsz) != 0)
		return -1;
	a = shardmgr_find_account(m, login);
	if (a == NULL) {
		snprintf(err, errsz, "cannot bind #%s to %s: no such account "
		    "(give it a token first)", name,
		    login != NULL && *login != '\0' ? login : "anonymous");
		return -1;
	}
	for (i = 0; i < m->nbinds; i++) {
		if (strcmp(m->binds[i].channel, name) == 0) {
			m->binds[i].acct = a;
			return 0;
		}
	}
	m->binds = xreallocarray(m->binds, m->nbinds + 1, sizeof *m->binds);
	memcpy(m->binds[m->nbinds].channel, name, sizeof name);
	m->binds[m->nbinds].acct = a;
	m->nbinds++;
	return 0;
}

/* channel is normalized. */
static struct account *
shardmgr_bound(struct shardmgr *m, const char *channel)
{
	size_t	i;

	for (i = 0; i < m->nbinds; i++)
		if (strcmp(m->binds[i].channel, channel) == 0)
			return m->binds[i].acct;
	return shardmgr_default_account(m);
}

struct account *
shardmgr_channel_account(struct shardmgr *m, const char *channel)
{
	char	name[SHARDMGR_NAME_MAX + 1], err[128];

	if (shardmgr_normalize(channel, name, sizeof name, err,
	    sizeof err) != 0)
		return shardmgr_default_account(m);
	return shardmgr_bound(m, name);
}

struct shard *
shardmgr_find_shard(const struct shardmgr *m, const char *id)
{
	size_t	i;

	for (i = 0; i < m->nshards; i++)
		if (strcmp(shard_id(m->shards[i]), id) == 0)
			return m->shards[i];
	return NULL;
}

struct shard *
shardmgr_add_shard(struct shardmgr *m, const char *id, struct account *acct,
    const char *const *channels, size_t n, char *err, size_t errsz)
{
	struct shard	*s;
	char		 name[SHARDMGR_NAME_MAX + 1];
	size_t		 i;

	if (shardmgr_find_shard(m, id) != NULL) {
		snprintf(err, errsz, "a shard named %s exists already", id);
		return NULL;
	}
	if (acct == NULL)
		acct = shardmgr_default_account(m);
	s = shard_new(m->loop, m->ws, id, acct, &m->opts.shard, &m->events,
	    m->arg);
	if (s == NULL) {
		snprintf(err, errsz, "cannot make shard %s", id);
		return NULL;
	}
	if (m->nshards == m->shardcap) {
		m->shardcap = m->shardcap == 0 ? 8 : m->shardcap * 2;
		m->shards = xreallocarray(m->shards, m->shardcap,
		    sizeof *m->shards);
	}
	m->shards[m->nshards++] = s;
	for (i = 0; i < n; i++) {
		if (shardmgr_normalize(channels[i], name, sizeof name, err,
		    errsz) != 0)
			return NULL;
		if (shard_join(s, name, err, errsz) != 0)
			return NULL;
	}
	return s;
}

void
shardmgr_start_all_shards(struct shardmgr *m)
{
	size_t	i;

	m->started = 1;
	for (i = 0; i < m->nshards; i++)
		if (shard_state(m->shards[i]) == SHARD_IDLE)
			shard_start(m->shards[i]);
}

void
shardmgr_stop_all_shards(struct shardmgr *m)
{
	size_t	i;

	for (i = 0; i < m->nshards; i++)
		if (shard_state(m->shards[i]) != SHARD_STOPPED &&
		    shard_state(m->shards[i]) != SHARD_IDLE)
			shard_stop(m->shards[i]);
}

int
shardmgr_started(const struct shardmgr *m)
{
	return m->started;
}

size_t
shardmgr_initial_count(const struct shardmgr *m)
{
	return m->ninitial;
}

const char *
shardmgr_initial_channel(const struct shardmgr *m, size_t i)
{
	return i < m->ninitial ? m->initial[i] : NULL;
}

size_t
shardmgr_nshards(const struct shardmgr *m)
{
	return m->nshards;
}

struct shard *
shardmgr_shard(const struct shardmgr *m, size_t i)
{
	return i < m->nshards ? m->shards[i] : NULL;
}

struct shard *
shardmgr_channel_shard(const struct shardmgr *m, const char *channel)
{
	char	name[SHARDMGR_NAME_MAX + 1], err[128];
	size_t	i;

	if (shardmgr_normalize(channel, name, sizeof name, err,
	    sizeof err) != 0)
		return NULL;
	for (i = 0; i < m->nshards; i++)
		if (shard_has_channel(m->shards[i], name))
			return m->shards[i];
	return NULL;
}

size_t
shardmgr_nchannels(const struct shardmgr *m)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nshards; i++)
		n += shard_nchannels(m->shards[i]);
	return n;
}

/* Tell the user a join was refused by the manager. */
static void
shardmgr_refused(struct shardmgr *m, const char *channel, const char *why)
{
	if (m->events.on_join != NULL)
		m->events.on_join(m->arg, NULL, channel, 0, why);
}

int
shardmgr_setup(struct shardmgr *m, const char *const *channels, size_t n,
    char *err, size_t errsz)
{
	char	name[SHARDMGR_NAME_MAX + 1], why[256];
	size_t	i, j;
	int	failed = 0;

	shardmgr_default_account(m);
	m->initial = xreallocarray(m->initial, m->ninitial + n,
	    sizeof *m->initial);
	for (i = 0; i < n; i++) {
		if (shardmgr_normalize(channels[i], name, sizeof name, why,
		    sizeof why) != 0) {
			shardmgr_refused(m, channels[i], why);
			failed++;
			continue;
		}
		for (j = 0; j < m->ninitial; j++)
			if (strcmp(m->initial[j], name) == 0)
				break;
		if (j == m->ninitial)	/* duplicates are joined once */
			m->initial[m->ninitial++] = xstrdup(name);
	}
	if (m->ops->setup != NULL && m->ops->setup(m, err, errsz) != 0)
		return -1;
	for (i = 0; i < m->ninitial; i++) {
		if (m->ops->assign_shard(m, m->initial[i], 1, why,
		    sizeof why) != 0) {
			shardmgr_refused(m, m->initial[i], why);
			failed++;
		}
	}
	return failed;
}

int
shardmgr_start(struct shardmgr *m)
{
	if (m->ops->start != NULL)
		return m->ops->start(m);
	shardmgr_start_all_shards(m);
	return 0;
}

int
shardmgr_run(struct shardmgr *m)
{
	if (!m->started && shardmgr_start(m) != 0)
		return -1;
	m->started = 1;
	uv_run(m->loop, UV_RUN_DEFAULT);
	return 0;
}

void
shardmgr_stop(struct shardmgr *m)
{
	if (m->ops->stop != NULL)
		m->ops->stop(m);
	else
		shardmgr_stop_all_shards(m);
	uv_stop(m->loop);
}

int
shardmgr_join(struct shardmgr *m, const char *channel, char *err,
    size_t errsz)
{
	char	name[SHARDMGR_NAME_MAX + 1];

	if (shardmgr_normalize(channel, name, sizeof name, err, errsz) != 0) {
		shardmgr_refused(m, channel, err);
		return -1;
	}
	if (shardmgr_channel_shard(m, name) != NULL)
		return 0;
	if (m->ops->assign_shard(m, name, 0, err, errsz) != 0) {
		shardmgr_refused(m, name, err);
		return -1;
	}
	return 0;
}

int
shardmgr_part(struct shardmgr *m, const char *channel)
{
	struct shard	*s;
	char		 name[SHARDMGR_NAME_MAX + 1], err[128];

	if (shardmgr_normalize(channel, name, sizeof name, err,
	    sizeof err) != 0)
		return -1;
	s = shardmgr_channel_shard(m, name);
	if (s == NULL)
		return -1;
	return shard_part(s, name);
}

struct shard *
shardmgr_get_sender_shard(struct shardmgr *m, const char *channel)
{
	char	name[SHARDMGR_NAME_MAX + 1], err[128];

	if (shardmgr_normalize(channel, name, sizeof name, err,
	    sizeof err) != 0)
		return NULL;
	return m->ops->get_sender_shard(m, name);
}

/*
 * Shared by the stock tables.
 */

/* The shard holding channel if it is logged in as the bound account, else
 * any shard of that account. */
static struct shard *
shardmgr_sender(struct shardmgr *m, const char *channel)
{
	struct account	*a = shardmgr_bound(m, channel);
	struct shard	*s;
	size_t		 i;

	s = shardmgr_channel_shard(m, channel);
	if (s != NULL && shard_account(s) == a)
		return s;
	for (i = 0; i < m->nshards; i++)
		if (shard_account(m->shards[i]) == a)
			return m->shards[i];
	return NULL;
}

static int
shardmgr_start_all(struct shardmgr *m)
{
	shardmgr_start_all_shards(m);
	return 0;
}

/* Make a shard while running: start it at once. */
static struct shard *
shardmgr_add_live(struct shardmgr *m, const char *id, struct account *a,
    char *err, size_t errsz)
{
	struct shard	*s;

	s = shardmgr_add_shard(m, id, a, NULL, 0, err, errsz);
	if (s != NULL && m->started)
		shard_start(s);
	return s;
}

/*
 * Default manager.
 */

static int
shardmgr_default_setup(struct shardmgr *m, char *err, size_t errsz)
{
	if (shardmgr_find_shard(m, "main-shard") != NULL)
		return 0;
	if (shardmgr_add_shard(m, "main-shard", shardmgr_default_account(m),
	    NULL, 0, err, errsz) == NULL)
		return -1;
	return 0;
}

static int
shardmgr_default_assign(struct shardmgr *m, const char *channel,
    int is_initial, char *err, size_t errsz)
{
	struct account	*a = shardmgr_bound(m, channel);
	struct shard	*s;
	const char	*login;
	char		 id[64];

	if (shardmgr_channel_shard(m, channel) != NULL)
		return 0;
	if (a == shardmgr_default_account(m))
		snprintf(id, sizeof id, "main-shard");
	else {
		login = shardmgr_account_name(m, a);
		snprintf(id, sizeof id, "%s-shard",
		    login != NULL ? login : "anonymous");
	}
	s = shardmgr_find_shard(m, id);
	if (s == NULL && (s = shardmgr_add_live(m, id, a, err, errsz)) == NULL)
		return -1;
	return shard_join(s, channel, err, errsz);
}

const struct shardmgr_ops shardmgr_default_ops = {
	.name = "default",
	.setup = shardmgr_default_setup,
	.assign_shard = shardmgr_default_assign,
	.get_sender_shard = shardmgr_sender,
	.start = shardmgr_start_all,
	.stop = shardmgr_stop_all_shards,
	.free_data = NULL,
};

/*
 * Distributed manager.
 */

static int
shardmgr_dist_setup(struct shardmgr *m, char *err, size_t errsz)
{
	char	id[64];
	size_t	i;

	for (i = 0; i < m->opts.initial_shards; i++) {
		snprintf(id, sizeof id, "initial-shard-%zu", i + 1);
		if (shardmgr_find_shard(m, id) != NULL)
			continue;
		if (shardmgr_add_shard(m, id, shardmgr_default_account(m),
		    NULL, 0, err, errsz) == NULL)
			return -1;
	}
	return 0;
}

/* Why a distributed join found no room, in words the user can act on. */
static void
shardmgr_dist_full(struct shardmgr *m, const char *channel,
    struct account *a, char *err, size_t errsz)
{
	const char	*login = shardmgr_account_name(m, a);
	size_t		 i, mine = 0;

	for (i = 0; i < m->nshards; i++)
		if (shard_account(m->shards[i]) == a)
			mine++;
	if (mine == m->nshards)
		snprintf(err, errsz, "cannot join #%s: all %zu shards hold %zu "
		    "channels each; raise --max-shards or "
		    "--channels-per-shard", channel, m->nshards,
		    m->opts.channels_per_shard);
	else
		snprintf(err, errsz, "cannot join #%s: the %zu shards of "
		    "account %s hold %zu channels each and all %zu shards "
		    "allowed are in use; raise --max-shards or "
		    "--channels-per-shard", channel, mine,
		    login != NULL ? login : "anonymous",
		    m->opts.channels_per_shard, m->nshards);
}

static int
shardmgr_dist_assign(struct shardmgr *m, const char *channel,
    int is_initial, char *err, size_t errsz)
{
	struct account	*a = shardmgr_bound(m, channel);
	struct shard	*best = NULL, *s;
	char		 id[64];
	size_t		 i;

	if (shardmgr_channel_shard(m, channel) != NULL)
		return 0;
	for (i = 0; i < m->nshards; i++) {
		s = m->shards[i];
		if (shard_account(s) != a || shard_state(s) == SHARD_STOPPED)
			continue;
		if (best == NULL || shard_nchannels(s) < shard_nchannels(best))
			best = s;
	}
	if (best == NULL || shard_nchannels(best) >=
	    m->opts.channels_per_shard) {
		if (m->nshards >= m->opts.max_shards) {
			shardmgr_dist_full(m, channel, a, err, errsz);
			return -1;
		}
		do
			snprintf(id, sizeof id, "extended-shard-%u",
			    m->next_extended++);
		while (shardmgr_find_shard(m, id) != NULL);
		if ((best = shardmgr_add_live(m, id, a, err, errsz)) == NULL)
			return -1;
	}
	return shard_join(best, channel, err, errsz);
}

const struct shardmgr_ops shardmgr_distributed_ops = {
	.name = "distributed",
	.setup = shardmgr_dist_setup,
	.assign_shard = shardmgr_dist_assign,
	.get_sender_shard = shardmgr_sender,
	.start = shardmgr_start_all,
	.stop = shardmgr_stop_all_shards,
	.free_data = NULL,
};

const struct shardmgr_ops *
shardmgr_ops_by_name(const char *name)
{
	if (name == NULL || strcmp(name, "default") == 0)
		return &shardmgr_default_ops;
	if (strcmp(name, "distributed") == 0)
		return &shardmgr_distributed_ops;
	return NULL;
}
