/*
 * cache-redis.c: the "redis" cache backend, on hiredis, configured as the
 * itch tool was:
 *
 *   REDIS_HOST      localhost (a path starting with '/' is a unix socket)
 *   REDIS_PORT      6379
 *   REDIS_PASSWORD  none (sent with AUTH, never shown)
 *   REDIS_DB        1 (SELECT)
 *
 * Keys are "stitch:" and the 64-digit key, so stitch's entries sit apart
 * from whatever else the database holds; the server expires them (SET ...
 * EX ttl). Values are the same checked entries as the file tree's.
 *
 * hiredis is blocking; connect and every command are bounded by
 * timeout_ms, so a slow server costs chat at most that per call, and a
 * server that stops answering costs it once: the backend goes down, and
 * cache.c tries to connect again every CACHE_RETRY_S seconds.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis.h>

#include "cache-int.h"

#define CACHE_REDIS_PREFIX	"stitch:"
#define CACHE_REDIS_KEYSZ	(sizeof CACHE_REDIS_PREFIX + CACHE_KEY_LEN)

struct cache_redis {
	redisContext	*ctx;		/* NULL: not connected */
	char		*host;
	int		 port;
	char		*password;	/* NULL: no AUTH */
	long		 db;
	struct timeval	 tv;
	unsigned	 timeout_ms;
	int		 last_errno;	/* errno right after a command */
	char		 where[112];	/* host:port, for messages */
	char		 why[512];	/* why the last connect failed */
};

static void
cache_redis_oom(size_t n)
{
	fprintf(stderr, "stitch: out of memory (%zu bytes)\n", n);
	abort();
}

static char *
cache_redis_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		cache_redis_oom(strlen(s) + 1);
	return p;
}

static void
cache_redis_disconnect(struct cache_redis *r)
{
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
}

/* A reply's text for a message: bounded, and never our password (a
 * server does not echo it, but we do not rely on that). */
static const char *
cache_redis_reply_text(const redisReply *rep)
{
	if (rep == NULL || rep->type != REDIS_REPLY_ERROR || rep->str == NULL)
		return "no reply";
	return rep->str;
}

/*
 * Send one command that must answer +OK (AUTH, SELECT). 0; -1 when the
 * server went away (r->ctx->errstr says why); -2 when it said no (err
 * filled).
 */
static int
cache_redis_setup_cmd(struct cache_redis *r, int argc, const char **argv,
    const size_t *argvlen, char *err, size_t errsz)
{
	redisReply	*rep;
	int		 rc = 0;

	rep = redisCommandArgv(r->ctx, argc, argv, argvlen);
	if (rep == NULL)
		return -1;
	if (rep->type != REDIS_REPLY_STATUS) {
		snprintf(err, errsz, "redis at %s refused %s: %.100s",
		    r->where, argv[0], cache_redis_reply_text(rep));
		rc = -2;
	}
	freeReplyObject(rep);
	return rc;
}

/*
 * Connect, AUTH, SELECT. 0; -1 when the server cannot be reached (err says
 * why; not fatal: it may come up later); -2 when it refuses our settings
 * (a wrong password or database: the user must fix them).
 */
static int
cache_redis_connect(struct cache *c, char *err, size_t errsz)
{
	struct cache_redis	*r = c->be_data;
	struct sigaction	 old;
	const char		*argv[2];
	size_t			 argvlen[2];
	char			 db[24];
	int			 rc = 0;

	cache_redis_disconnect(r);
	cache_int_sigpipe_off(&old);
	if (r->host[0] == '/')
		r->ctx = redisConnectUnixWithTimeout(r->host, r->tv);
	else
		r->ctx = redisConnectWithTimeout(r->host, r->port, r->tv);
	if (r->ctx == NULL)
		cache_redis_oom(sizeof *r->ctx);
	if (r->ctx->err != 0 || redisSetTimeout(r->ctx, r->tv) != REDIS_OK) {
		rc = -1;
		goto out;
	}
	if (r->password != NULL) {
		argv[0] = "AUTH";
		argv[1] = r->password;
		argvlen[0] = 4;
		argvlen[1] = strlen(r->password);
		if ((rc = cache_redis_setup_cmd(r, 2, argv, argvlen, err,
		    errsz)) != 0)
			goto out;
	}
	if (r->db != 0) {
		snprintf(db, sizeof db, "%ld", r->db);
		argv[0] = "SELECT";
		argv[1] = db;
		argvlen[0] = 6;
		argvlen[1] = strlen(db);
		rc = cache_redis_setup_cmd(r, 2, argv, argvlen, err, errsz);
	}
out:
	if (rc == -1)
		snprintf(err, errsz, "redis at %s: %s", r->where,
		    r->ctx->errstr[0] != '\0' ? r->ctx->errstr : "no answer");
	if (rc != 0)
		cache_redis_disconnect(r);
	cache_int_sigpipe_restore(&old);
	return rc;
}

static void
cache_redis_free(struct cache_redis *r)
{
	cache_redis_disconnect(r);
	free(r->host);
	if (r->password != NULL) {
		explicit_bzero(r->password, strlen(r->password));
		free(r->password);
	}
	free(r);
}

static int
cache_redis_open(struct cache *c, const struct cache_opts *opts, char *err,
    size_t errsz)
{
	struct cache_redis	*r;
	const char		*host, *pw;
	long			 port, db;
	unsigned		 ms = opts->timeout_ms ? opts->timeout_ms : 50;

	host = getenv("REDIS_HOST");
	if (host == NULL || *host == '\0')
		host = "localhost";
	if ((port = cache_int_env_num("REDIS_PORT", 6379, 65535)) < 1) {
		snprintf(err, errsz, "REDIS_PORT is not a port (1-65535)");
		return -1;
	}
	if ((db = cache_int_env_num("REDIS_DB", 1, 1000000)) < 0) {
		snprintf(err, errsz, "REDIS_DB is not a database number");
		return -1;
	}
	if (strlen(host) > 100) {
		snprintf(err, errsz, "REDIS_HOST is too long");
		return -1;
	}
	if ((r = calloc(1, sizeof *r)) == NULL)
		cache_redis_oom(sizeof *r);
	r->host = cache_redis_strdup(host);
	r->port = (int)port;
	r->db = db;
	if ((pw = getenv("REDIS_PASSWORD")) != NULL && *pw != '\0')
		r->password = cache_redis_strdup(pw);
	r->timeout_ms = ms;
	r->tv.tv_sec = ms / 1000;
	r->tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (host[0] == '/')
		snprintf(r->where, sizeof r->where, "%s", host);
	else
		snprintf(r->where, sizeof r->where, "%s:%ld", host, port);
	c->be_data = r;

	/* A server not up yet is not an error: the first call warns. */
	if (cache_redis_connect(c, r->why, sizeof r->why) == -2) {
		snprintf(err, errsz, "%s", r->why);
		cache_redis_free(r);
		c->be_data = NULL;
		return -1;
	}
	return 0;
}

static void
cache_redis_close(struct cache *c)
{
	if (c->be_data != NULL)
		cache_redis_free(c->be_data);
	c->be_data = NULL;
}

/* No reply: the connection is dead. Say why once and go down. */
static int
cache_redis_lost(struct cache *c)
{
	struct cache_redis	*r = c->be_data;

	/* hiredis says "Resource temporarily unavailable" for a time-out. */
	if (r->ctx != NULL && r->ctx->err == REDIS_ERR_IO &&
	    (r->last_errno == EAGAIN || r->last_errno == EWOULDBLOCK))
		cache_int_warn(c, "redis at %s: no answer in %u ms", r->where,
		    r->timeout_ms);
	else if (r->ctx != NULL)
		cache_int_warn(c, "redis at %s: %s", r->where,
		    r->ctx->errstr[0] != '\0' ? r->ctx->errstr : "no answer");
	else
		cache_int_warn(c, "%s", r->why[0] != '\0' ? r->why :
		    "redis: not connected");
	cache_redis_disconnect(r);
	return CACHE_DOWN;
}

/* One command with binary-safe arguments; NULL when the connection is
 * gone. */
static redisReply *
cache_redis_cmd(struct cache_redis *r, int argc, const char **argv,
    const size_t *argvlen)
{
	struct sigaction	 old;
	redisReply		*rep;

	if (r->ctx == NULL)
		return NULL;
	cache_int_sigpipe_off(&old);
	rep = redisCommandArgv(r->ctx, argc, argv, argvlen);
	r->last_errno = errno;
	cache_int_sigpipe_restore(&old);
	return rep;
}

static void
cache_redis_key(const char *key, char out[CACHE_REDIS_KEYSZ])
{
	snprintf(out, CACHE_REDIS_KEYSZ, CACHE_REDIS_PREFIX "%s", key);
}

static int
cache_redis_get(struct cache *c, const char *key, char **val, size_t *len)
{
	struct cache_redis	*r = c->be_data;
	redisReply		*rep;
	const char		*argv[4];
	size_t			 argvlen[4];
	char			 k[CACHE_REDIS_KEYSZ], end[24];
	int			 hit = 0;

	/* GETRANGE, not GET: a value someone else put under our key can
	 * never make the reply bigger than the largest entry. */
	cache_redis_key(key, k);
	snprintf(end, sizeof end, "%zu", (size_t)CACHE_ENTRY_MAX);
	argv[0] = "GETRANGE";
	argv[1] = k;
	argv[2] = "0";
	argv[3] = end;
	argvlen[0] = 8;
	argvlen[1] = strlen(k);
	argvlen[2] = 1;
	argvlen[3] = strlen(end);
	if ((rep = cache_redis_cmd(r, 4, argv, argvlen)) == NULL)
		return cache_redis_lost(c);
	/* A missing key is "", a foreign or corrupt one fails the decode;
	 * both are misses, and the server expires them. */
	if (rep->type == REDIS_REPLY_STRING && rep->len <= CACHE_ENTRY_MAX)
		hit = cache_entry_decode((const unsigned char *)rep->str,
		    rep->len, key, 0, val, len, NULL) == 1;
	freeReplyObject(rep);
	return hit;
}

static int
cache_redis_set(struct cache *c, const char *key, const void *val,
    size_t len, unsigned ttl_s)
{
	struct cache_redis	*r = c->be_data;
	redisReply		*rep;
	unsigned char		*e;
	const char		*argv[5];
	size_t			 argvlen[5], elen;
	char			 k[CACHE_REDIS_KEYSZ], ttl[16];
	int			 rc;

	if ((e = cache_entry_encode(key, val, len, cache_int_now(c) +
	    (time_t)ttl_s, &elen)) == NULL)
		return -1;
	cache_redis_key(key, k);
	snprintf(ttl, sizeof ttl, "%u", ttl_s);
	argv[0] = "SET";
	argv[1] = k;
	argv[2] = (const char *)e;
	argv[3] = "EX";
	argv[4] = ttl;
	argvlen[0] = 3;
	argvlen[1] = strlen(k);
	argvlen[2] = elen;
	argvlen[3] = 2;
	argvlen[4] = strlen(ttl);
	rep = cache_redis_cmd(r, 5, argv, argvlen);
	free(e);
	if (rep == NULL)
		return cache_redis_lost(c);
	/* An error reply (out of memory, read-only replica) loses this
	 * entry only. */
	rc = rep->type == REDIS_REPLY_STATUS ? 0 : -1;
	freeReplyObject(rep);
	return rc;
}

static int
cache_redis_del(struct cache *c, const char *key)
{
	struct cache_redis	*r = c->be_data;
	redisReply		*rep;
	const char		*argv[2];
	size_t			 argvlen[2];
	char			 k[CACHE_REDIS_KEYSZ];
	int			 rc;

	cache_redis_key(key, k);
	argv[0] = "DEL";
	argv[1] = k;
	argvlen[0] = 3;
	argvlen[1] = strlen(k);
	if ((rep = cache_redis_cmd(r, 2, argv, argvlen)) == NULL)
		return cache_redis_lost(c);
	rc = rep->type == REDIS_REPLY_INTEGER ? 0 : -1;
	freeReplyObject(rep);
	return rc;
}

static int
cache_redis_reconnect(struct cache *c)
{
	struct cache_redis	*r = c->be_data;

	return cache_redis_connect(c, r->why, sizeof r->why) == 0 ? 0 : -1;
}

const struct cache_backend cache_redis_backend = {
	.name = "redis",
	.open = cache_redis_open,
	.close = cache_redis_close,
	.get = cache_redis_get,
	.set = cache_redis_set,
	.del = cache_redis_del,
	.reconnect = cache_redis_reconnect,
};
