/*
 * cache.h: a small key/value cache for Helix replies, in the tradition of
 * the itch tool, with one interface and three backends (curl's way: one
 * backend per file behind a table of function pointers):
 *
 *   file      a file tree under $XDG_CACHE_HOME/stitch (the default): one
 *             zlib-compressed file a key, written atomically by rename,
 *             files 0600 in 0700 directories, a size cap with eviction of
 *             the oldest; a corrupt or truncated file is a miss
 *   redis     hiredis; REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB
 *   memcache  libmemcached; MEMCACHE_SERVERS ("host:port,host:port")
 *   none      every get misses, every set is dropped
 *
 * Calls are synchronous and bounded: the network backends talk to a server
 * on the same machine or LAN with short time-outs (tens of milliseconds),
 * so the loop never waits long. A backend that fails mid-session (server
 * gone, disk full) degrades to "none" and says so once through
 * cache_warning(); nothing it does is ever fatal to chat.
 *
 * Keys are made by cache_key() from the request and the acting user, so
 * one account's data never serves another. Tokens are never cached: the
 * caller never puts a token in a key or a value.
 */
#ifndef STITCH_CACHE_H
#define STITCH_CACHE_H

#include <stddef.h>

struct cache;

/* Where a cache lives; zero it, then fill what you know. */
struct cache_opts {
	const char	*kind;		/* "file", "redis", "memcache", "none";
					 * NULL: "file" */
	const char	*dir;		/* file: NULL means $XDG_CACHE_HOME/stitch
					 * (else ~/.cache/stitch) */
	size_t		 max_bytes;	/* file: the size cap; 0: 64 MiB */
	unsigned	 timeout_ms;	/* redis, memcache: per call; 0: 50 */
};

#define CACHE_KEY_LEN	64		/* hex digits of a SHA-256 */

/*
 * Open a cache. Redis and memcached settings come from the environment
 * variables above. Returns NULL with err filled when the backend cannot be
 * set up at all (unknown kind, a directory that cannot be made); a server
 * that does not answer yet is not an error (the first call will tell).
 */
struct cache	*cache_open(const struct cache_opts *, char *err, size_t errsz);
/* NULL ok. */
void		 cache_free(struct cache *);

/*
 * Keys are what cache_key() makes: exactly CACHE_KEY_LEN lowercase hex
 * digits. Any other key is refused (a miss, or -1), so nothing from outside
 * can name a path or another program's data.
 *
 * Look key up. Returns 1 and sets *val (the caller frees; NUL-terminated
 * after *len bytes) and *len on a hit; 0 on a miss, an expired entry, a
 * corrupt entry or a failing backend.
 */
int		 cache_get(struct cache *, const char *key, char **val,
		    size_t *len);
/* Store len bytes (at most 8 MiB) under key for ttl_s seconds (>= 1).
 * Returns 0, or -1 when it could not be stored (the cache then simply
 * misses later). A "none" cache, or one that went down, drops it and
 * returns 0; the failure that took it down returned -1. */
int		 cache_set(struct cache *, const char *key, const void *val,
		    size_t len, unsigned ttl_s);
/* Forget key. Returns 0 (also when it was not there), or -1 when it may
 * still be there (a server that is down may serve it again when back). */
int		 cache_del(struct cache *, const char *key);

/*
 * A warning the user should see once (a backend that went away and now
 * acts as "none", a cache directory that cannot be written), or NULL.
 * Borrowed; reading it clears it.
 */
const char	*cache_warning(struct cache *);
/* The backend's name as opened ("file", ...) and what it is now ("none"
 * after a failure). Borrowed. */
const char	*cache_kind(const struct cache *);

/*
 * The key for a request: lowercase hex SHA-256 of method, the URL with its
 * query, and the acting user id ("" for none), each NUL-separated, into out
 * (CACHE_KEY_LEN + 1 bytes).
 */
void		 cache_key(const char *method, const char *url,
		    const char *user_id, char out[CACHE_KEY_LEN + 1]);

#endif
