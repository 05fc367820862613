/*
 * cache-int.h: what cache.c and its backends share, and nothing else
 * includes (but the cache's own tests). One table of function pointers a
 * backend, curl-style; cache.c checks keys and sizes before any backend
 * sees them, and turns a backend that reports CACHE_DOWN into "none".
 *
 * Every backend stores the same entry (cache_entry_encode), so a value read
 * back from a file or a server is checked the same way: magic, version,
 * key, length, CRC, and a zlib stream that must decode to exactly the
 * length announced. Anything else is a miss.
 */
#ifndef STITCH_CACHE_INT_H
#define STITCH_CACHE_INT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cache.h"

/* The largest value cache_set takes: Helix pages are tens of KiB, so this
 * only stops a runaway caller (or a hostile server) from costing memory. */
#define CACHE_VALUE_MAX		(8u * 1024 * 1024)

/* An entry: header, then the value deflated by zlib (compress2). */
#define CACHE_ENTRY_MAGIC	"stCh"
#define CACHE_ENTRY_VERSION	1
#define CACHE_ENTRY_HDR		56	/* magic 4, version 1, flags 1,
					 * reserved 2, expiry 8, raw length 4,
					 * crc32 4, sha-256 key 32 */
/* The biggest entry any backend reads back: zlib's bound on deflating
 * CACHE_VALUE_MAX bytes (a little over 1/1000 more), rounded up. */
#define CACHE_ENTRY_MAX		(CACHE_ENTRY_HDR + CACHE_VALUE_MAX + \
				    CACHE_VALUE_MAX / 512 + 4096)

/* What a backend call may return besides its documented result: the
 * backend is gone (server away, disk unwritable) and the cache now acts as
 * "none". The backend has said why with cache_int_warn(). */
#define CACHE_DOWN		(-2)

/* Between backends, a redis or memcached server is retried at most this
 * often after it went away. */
#define CACHE_RETRY_S		30

struct cache_backend {
	const char	*name;
	/* Set c->be_data up. 0, or -1 with err filled. */
	int		(*open)(struct cache *, const struct cache_opts *,
			    char *err, size_t errsz);
	void		(*close)(struct cache *);
	/* 1 hit (*val malloc'd, NUL after *len), 0 miss, CACHE_DOWN. */
	int		(*get)(struct cache *, const char *key, char **val,
			    size_t *len);
	/* 0, -1 (this one not stored), CACHE_DOWN. */
	int		(*set)(struct cache *, const char *key, const void *val,
			    size_t len, unsigned ttl_s);
	/* 0, -1, CACHE_DOWN. */
	int		(*del)(struct cache *, const char *key);
	/* Try to come back after CACHE_DOWN: 0 when the server answers
	 * again. NULL: a backend that never comes back (the file tree). */
	int		(*reconnect)(struct cache *);
};

struct cache {
	const struct cache_backend *be;		/* as opened */
	void		*be_data;		/* the backend's own */
	int		 down;			/* acting as "none" */
	time_t		 retry_at;		/* down: next reconnect try */
	time_t		(*now)(void *);		/* the clock (tests set it) */
	void		*now_arg;
	int		 warn_pending;
	char		 warn[256];
};

extern const struct cache_backend cache_file_backend;
extern const struct cache_backend cache_redis_backend;
extern const struct cache_backend cache_memcache_backend;

/* The cache's clock, in seconds since the epoch. */
time_t		 cache_int_now(const struct cache *);
/* Let a test drive the clock (expiry, the reconnect pace). NULL: time(). */
void		 cache_int_set_clock(struct cache *, time_t (*)(void *),
		     void *);
/* Say why the backend goes down; the first message of an outage is kept
 * for cache_warning(). Never put a password in it. */
void		 cache_int_warn(struct cache *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));

/* Around a call into a client library that may write to a socket whose
 * server is gone: SIGPIPE is ignored while it runs (curl's way), so a dead
 * server is an error code, never the end of stitch. */
void		 cache_int_sigpipe_off(struct sigaction *old);
void		 cache_int_sigpipe_restore(const struct sigaction *old);

/* 1 if key is exactly CACHE_KEY_LEN lowercase hex digits. */
int		 cache_int_key_ok(const char *key);
/* Read a non-negative decimal from the environment variable name, at most
 * max; def when unset or empty. -1 when it is set but not such a
 * number. */
long		 cache_int_env_num(const char *name, long def, long max);

/*
 * Make an entry for val (len <= CACHE_VALUE_MAX) under key, expiring at
 * expires (seconds since the epoch). Returns the malloc'd entry and its
 * size in *outlen, or NULL when zlib fails.
 */
unsigned char	*cache_entry_encode(const char *key, const void *val,
		     size_t len, time_t expires, size_t *outlen);
/*
 * Decode len bytes of an entry read back. key NULL: any key; now 0: no
 * expiry check (a server that expires entries itself). Returns 1 with *val
 * malloc'd (NUL after *vallen), 0 when expired, -1 when the bytes are not
 * a whole, intact entry for that key. *expires gets the expiry when
 * non-NULL and the header is sound.
 */
int		 cache_entry_decode(const unsigned char *buf, size_t len,
		     const char *key, time_t now, char **val, size_t *vallen,
		     time_t *expires);

#endif
