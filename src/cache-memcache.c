/*
 * cache-memcache.c: the "memcache" cache backend, on libmemcached, with the
 * servers in MEMCACHE_SERVERS ("host:port,host:port"; 127.0.0.1:11211 when
 * unset), as the itch tool had it.
 *
 * Keys are "stitch:" and the 64-digit key (71 bytes, well under
 * memcached's 250); values are the same checked entries as the other
 * backends', and the server expires them. memcached refuses items past its
 * item size (1 MiB by default): that loses the one entry, not the cache.
 *
 * Connect, send and receive are bounded by timeout_ms. A server that does
 * not answer takes the backend down with one warning; cache.c tries again
 * every CACHE_RETRY_S seconds, with a fresh client so no server stays
 * marked dead inside libmemcached.
 *
 * libmemcached is loaded (dlopen) when this backend is opened, not linked:
 * it brings libstdc++ along, and every session that caches to files (the
 * default) or redis was paying about 1.5 MB of resident memory for it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmemcached/memcached.h>

#include "cache-int.h"
#include "dynlib.h"

#define CACHE_MEMCACHE_PREFIX	"stitch:"
#define CACHE_MEMCACHE_KEYSZ	(sizeof CACHE_MEMCACHE_PREFIX + CACHE_KEY_LEN)
/* memcached reads an expiry past 30 days as a date, not a TTL. */
#define CACHE_MEMCACHE_TTL_MAX	(30u * 24 * 3600)

struct cache_memcache {
	memcached_st	*mc;
	char		*servers;
	unsigned	 timeout_ms;
};

/* The libmemcached calls used here, from the library loaded at open. */
struct cache_mc_fns {
	memcached_return_t	(*behavior_set)(memcached_st *,
				    const memcached_behavior_t, const uint64_t);
	memcached_st		*(*create)(memcached_st *);
	memcached_return_t	(*delete)(memcached_st *, const char *, size_t,
				    time_t);
	void			(*free)(memcached_st *);
	char			*(*get)(memcached_st *, const char *, size_t,
				    size_t *, uint32_t *,
				    memcached_return_t *);
	int			(*last_error_errno)(const memcached_st *);
	uint32_t		(*server_count)(const memcached_st *);
	void			(*server_list_free)(memcached_server_list_st);
	memcached_return_t	(*server_push)(memcached_st *,
				    const memcached_server_list_st);
	memcached_server_list_st (*servers_parse)(const char *);
	memcached_return_t	(*set)(memcached_st *, const char *, size_t,
				    const char *, size_t, time_t, uint32_t);
	const char		*(*strerror)(const memcached_st *,
				    memcached_return_t);
};
static struct cache_mc_fns	 cache_mc;
static void			*cache_mc_lib;

#define MC_SYM(m)	DYNLIB_SYM(struct cache_mc_fns, m, "memcached_" #m)
static const struct dynlib_sym cache_mc_syms[] = {
	MC_SYM(behavior_set), MC_SYM(create), MC_SYM(delete), MC_SYM(free),
	MC_SYM(get), MC_SYM(last_error_errno), MC_SYM(server_count),
	MC_SYM(server_list_free), MC_SYM(server_push), MC_SYM(servers_parse),
	MC_SYM(set), MC_SYM(strerror)
};

/* Load libmemcached once; 0, or -1 with err filled. */
static int
cache_memcache_load(char *err, size_t errsz)
{
	return dynlib_load(&cache_mc_lib, MEMCACHED_SONAME, "libmemcached",
	    cache_mc_syms, sizeof cache_mc_syms / sizeof cache_mc_syms[0],
	    &cache_mc, err, errsz);
}

static void
cache_memcache_oom(size_t n)
{
	fprintf(stderr, "stitch: out of memory (%zu bytes)\n", n);
	abort();
}

/* A client for the servers, with our time-outs. NULL with err filled when
 * the list does not parse. */
static memcached_st *
cache_memcache_client(struct cache_memcache *m, char *err, size_t errsz)
{
	memcached_server_list_st	 list;
	memcached_st			*mc;
	uint64_t			 ms = m->timeout_ms;

	if ((list = cache_mc.servers_parse(m->servers)) == NULL) {
		snprintf(err, errsz, "MEMCACHE_SERVERS is not a list of "
		    "host:port");
		return NULL;
	}
	if ((mc = cache_mc.create(NULL)) == NULL)
		cache_memcache_oom(sizeof(void *));
	if (cache_mc.server_push(mc, list) != MEMCACHED_SUCCESS ||
	    cache_mc.server_count(mc) == 0) {
		snprintf(err, errsz, "MEMCACHE_SERVERS is not a list of "
		    "host:port");
		cache_mc.server_list_free(list);
		cache_mc.free(mc);
		return NULL;
	}
	cache_mc.server_list_free(list);
	/* Non-blocking sockets, or the connect time-out does nothing. */
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_NO_BLOCK, 1);
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, ms);
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, ms);
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_SND_TIMEOUT, ms * 1000);
	cache_mc.behavior_set(mc, MEMCACHED_BEHAVIOR_RCV_TIMEOUT, ms * 1000);
	return mc;
}

/* 1 if s is "host:port[,host:port...]" with ports 1-65535: libmemcached
 * takes almost anything and talks to localhost for what it cannot read. */
static int
cache_memcache_list_ok(const char *s)
{
	const char	*item = s, *colon;
	size_t		 n;
	long		 port;

	for (;;) {
		n = strcspn(item, ",");
		colon = memrchr(item, ':', n);
		if (colon == NULL || colon == item || colon + 1 == item + n ||
		    (size_t)(item + n - colon - 1) > 5)
			return 0;
		for (port = 0, s = colon + 1; s < item + n; s++) {
			if (*s < '0' || *s > '9')
				return 0;
			port = port * 10 + (*s - '0');
		}
		if (port < 1 || port > 65535)
			return 0;
		if (item[n] == '\0')
			return 1;
		item += n + 1;
	}
}

static int
cache_memcache_open(struct cache *c, const struct cache_opts *opts,
    char *err, size_t errsz)
{
	struct cache_memcache	*m;
	const char		*s = getenv("MEMCACHE_SERVERS");

	if (s == NULL || *s == '\0')
		s = "127.0.0.1:11211";
	if (strlen(s) > 1024 || !cache_memcache_list_ok(s)) {
		snprintf(err, errsz, "MEMCACHE_SERVERS is not a list of "
		    "host:port");
		return -1;
	}
	if (cache_memcache_load(err, errsz) != 0)
		return -1;
	if ((m = calloc(1, sizeof *m)) == NULL)
		cache_memcache_oom(sizeof *m);
	if ((m->servers = strdup(s)) == NULL)
		cache_memcache_oom(strlen(s) + 1);
	m->timeout_ms = opts->timeout_ms ? opts->timeout_ms : 50;
	/* libmemcached connects on first use: a server that is not up yet
	 * is the first call's business. */
	if ((m->mc = cache_memcache_client(m, err, errsz)) == NULL) {
		free(m->servers);
		free(m);
		return -1;
	}
	c->be_data = m;
	return 0;
}

static void
cache_memcache_close(struct cache *c)
{
	struct cache_memcache	*m = c->be_data;

	if (m == NULL)
		return;
	if (m->mc != NULL)
		cache_mc.free(m->mc);
	free(m->servers);
	free(m);
	c->be_data = NULL;
}

/* 1 for the answers that mean the server is not there (as opposed to a
 * server that said no to this one item). */
static int
cache_memcache_is_down(memcached_return_t rc)
{
	switch (rc) {
	case MEMCACHED_HOST_LOOKUP_FAILURE:
	case MEMCACHED_CONNECTION_FAILURE:
	case MEMCACHED_WRITE_FAILURE:
	case MEMCACHED_READ_FAILURE:
	case MEMCACHED_UNKNOWN_READ_FAILURE:
	case MEMCACHED_PROTOCOL_ERROR:
	case MEMCACHED_PARTIAL_READ:
	case MEMCACHED_NO_SERVERS:
	case MEMCACHED_ERRNO:
	case MEMCACHED_TIMEOUT:
	case MEMCACHED_SERVER_MARKED_DEAD:
	case MEMCACHED_SERVER_TEMPORARILY_DISABLED:
	case MEMCACHED_IN_PROGRESS:
		return 1;
	default:
		return 0;
	}
}

static int
cache_memcache_lost(struct cache *c, memcached_return_t rc)
{
	struct cache_memcache	*m = c->be_data;
	int			 e = cache_mc.last_error_errno(m->mc);

	if (rc == MEMCACHED_TIMEOUT)
		cache_int_warn(c, "memcached at %s: no answer in %u ms",
		    m->servers, m->timeout_ms);
	else
		cache_int_warn(c, "memcached at %s: %s%s%s%s", m->servers,
		    cache_mc.strerror(m->mc, rc), e != 0 ? " (" : "",
		    e != 0 ? strerror(e) : "", e != 0 ? ")" : "");
	return CACHE_DOWN;
}

static size_t
cache_memcache_key(const char *key, char out[CACHE_MEMCACHE_KEYSZ])
{
	snprintf(out, CACHE_MEMCACHE_KEYSZ, CACHE_MEMCACHE_PREFIX "%s", key);
	return CACHE_MEMCACHE_KEYSZ - 1;
}

static int
cache_memcache_get(struct cache *c, const char *key, char **val,
    size_t *len)
{
	struct cache_memcache	*m = c->be_data;
	struct sigaction	 old;
	memcached_return_t	 rc;
	uint32_t		 flags = 0;
	size_t			 klen, vlen = 0;
	char			 k[CACHE_MEMCACHE_KEYSZ], *v;
	int			 hit = 0;

	klen = cache_memcache_key(key, k);
	cache_int_sigpipe_off(&old);
	v = cache_mc.get(m->mc, k, klen, &vlen, &flags, &rc);
	cache_int_sigpipe_restore(&old);
	if (v == NULL) {
		if (rc == MEMCACHED_NOTFOUND || !cache_memcache_is_down(rc))
			return 0;
		return cache_memcache_lost(c, rc);
	}
	if (rc == MEMCACHED_SUCCESS && vlen <= CACHE_ENTRY_MAX)
		hit = cache_entry_decode((const unsigned char *)v, vlen, key,
		    0, val, len, NULL) == 1;
	free(v);
	return hit;
}

static int
cache_memcache_set(struct cache *c, const char *key, const void *val,
    size_t len, unsigned ttl_s)
{
	struct cache_memcache	*m = c->be_data;
	struct sigaction	 old;
	memcached_return_t	 rc;
	unsigned char		*e;
	size_t			 klen, elen;
	char			 k[CACHE_MEMCACHE_KEYSZ];

	if (ttl_s > CACHE_MEMCACHE_TTL_MAX)
		ttl_s = CACHE_MEMCACHE_TTL_MAX;
	if ((e = cache_entry_encode(key, val, len, cache_int_now(c) +
	    (time_t)ttl_s, &elen)) == NULL)
		return -1;
	klen = cache_memcache_key(key, k);
	cache_int_sigpipe_off(&old);
	rc = cache_mc.set(m->mc, k, klen, (const char *)e, elen,
	    (time_t)ttl_s, 0);
	cache_int_sigpipe_restore(&old);
	free(e);
	if (rc == MEMCACHED_SUCCESS)
		return 0;
	return cache_memcache_is_down(rc) ? cache_memcache_lost(c, rc) : -1;
}

static int
cache_memcache_del(struct cache *c, const char *key)
{
	struct cache_memcache	*m = c->be_data;
	struct sigaction	 old;
	memcached_return_t	 rc;
	size_t			 klen;
	char			 k[CACHE_MEMCACHE_KEYSZ];

	klen = cache_memcache_key(key, k);
	cache_int_sigpipe_off(&old);
	rc = cache_mc.delete(m->mc, k, klen, 0);
	cache_int_sigpipe_restore(&old);
	if (rc == MEMCACHED_SUCCESS || rc == MEMCACHED_NOTFOUND)
		return 0;
	return cache_memcache_is_down(rc) ? cache_memcache_lost(c, rc) : -1;
}

/* A fresh client, kept only if a server answers a get. */
static int
cache_memcache_reconnect(struct cache *c)
{
	struct cache_memcache	*m = c->be_data;
	struct sigaction	 old;
	memcached_return_t	 rc;
	memcached_st		*mc;
	uint32_t		 flags;
	size_t			 vlen;
	char			 err[128], *v;

	if ((mc = cache_memcache_client(m, err, sizeof err)) == NULL)
		return -1;
	cache_int_sigpipe_off(&old);
	v = cache_mc.get(mc, CACHE_MEMCACHE_PREFIX "ping",
	    strlen(CACHE_MEMCACHE_PREFIX "ping"), &vlen, &flags, &rc);
	cache_int_sigpipe_restore(&old);
	free(v);
	if (rc != MEMCACHED_SUCCESS && rc != MEMCACHED_NOTFOUND) {
		cache_mc.free(mc);
		return -1;
	}
	cache_mc.free(m->mc);
	m->mc = mc;
	return 0;
}

const struct cache_backend cache_memcache_backend = {
	.name = "memcache",
	.open = cache_memcache_open,
	.close = cache_memcache_close,
	.get = cache_memcache_get,
	.set = cache_memcache_set,
	.del = cache_memcache_del,
	.reconnect = cache_memcache_reconnect,
};
