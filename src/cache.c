/*
 * cache.c: the cache interface (see cache.h), the "none" backend, the key
 * and the entry every backend stores (see cache-int.h).
 *
 * The front door checks what callers hand in (keys are 64 hex digits and
 * nothing else, values at most CACHE_VALUE_MAX, a TTL of at least a
 * second), so a backend never sees a key that could name a path. A backend
 * that reports CACHE_DOWN is skipped from then on, and retried every
 * CACHE_RETRY_S seconds when it knows how to come back.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "cache-int.h"
#include "ossl.h"

static const struct cache_backend *const cache_backends[] = {
	&cache_file_backend,
	&cache_redis_backend,
	&cache_memcache_backend,
};

/* Out of memory is fatal everywhere in stitch; say so before dying. */
static void
cache_oom(size_t n)
{
	fprintf(stderr, "stitch: out of memory (%zu bytes)\n", n);
	abort();
}

static time_t
cache_clock_real(void *arg)
{
	(void)arg;
	return time(NULL);
}

time_t
cache_int_now(const struct cache *c)
{
	return c->now(c->now_arg);
}

void
cache_int_set_clock(struct cache *c, time_t (*fn)(void *), void *arg)
{
	c->now = fn != NULL ? fn : cache_clock_real;
	c->now_arg = arg;
}

/* A path from the environment or a kind from the config may hold
 * anything, and a message ends up on a terminal: no control bytes. */
static void
cache_sanitize(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

void
cache_int_warn(struct cache *c, const char *fmt, ...)
{
	va_list	ap;

	/* The first reason of an outage is the one worth showing. */
	if (c->warn_pending || c->down)
		return;
	va_start(ap, fmt);
	vsnprintf(c->warn, sizeof c->warn, fmt, ap);
	va_end(ap);
	cache_sanitize(c->warn);
	c->warn_pending = 1;
}

void
cache_int_sigpipe_off(struct sigaction *old)
{
	struct sigaction	ign;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, old);
}

void
cache_int_sigpipe_restore(const struct sigaction *old)
{
	sigaction(SIGPIPE, old, NULL);
}

int
cache_int_key_ok(const char *key)
{
	size_t	i;

	if (key == NULL)
		return 0;
	for (i = 0; i < CACHE_KEY_LEN; i++)
		if (!((key[i] >= '0' && key[i] <= '9') ||
		    (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	return key[i] == '\0';
}

long
cache_int_env_num(const char *name, long def, long max)
{
	const char	*s = getenv(name);
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return def;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	return v;
}

/* Big-endian helpers: the entry header reads the same on every machine
 * that shares a redis or an NFS home. */
static void
cache_put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t
cache_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* A key's 64 hex digits as its 32 bytes (the key was checked). */
static void
cache_key_bytes(const char *key, unsigned char out[32])
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < 32; i++) {
		hi = key[2 * i] <= '9' ? key[2 * i] - '0' :
		    key[2 * i] - 'a' + 10;
		lo = key[2 * i + 1] <= '9' ? key[2 * i + 1] - '0' :
		    key[2 * i + 1] - 'a' + 10;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
}

unsigned char *
cache_entry_encode(const char *key, const void *val, size_t len,
    time_t expires, size_t *outlen)
{
	unsigned char	*e;
	uLongf		 zlen;
	uint64_t	 x = expires < 0 ? 0 : (uint64_t)expires;
	size_t		 cap;

	if (len > CACHE_VALUE_MAX || !cache_int_key_ok(key))
		return NULL;
	cap = CACHE_ENTRY_HDR + compressBound(len);
	if ((e = malloc(cap)) == NULL)
		cache_oom(cap);
	memcpy(e, CACHE_ENTRY_MAGIC, 4);
	e[4] = CACHE_ENTRY_VERSION;
	e[5] = 0;
	e[6] = e[7] = 0;
	cache_put32(e + 8, (uint32_t)(x >> 32));
	cache_put32(e + 12, (uint32_t)x);
	cache_put32(e + 16, (uint32_t)len);
	cache_put32(e + 20, (uint32_t)crc32(0, val, (uInt)len));
	cache_key_bytes(key, e + 24);
	zlen = cap - CACHE_ENTRY_HDR;
	if (compress2(e + CACHE_ENTRY_HDR, &zlen, val, len,
	    Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(e);
		return NULL;
	}
	*outlen = CACHE_ENTRY_HDR + zlen;
	return e;
}

int
cache_entry_decode(const unsigned char *buf, size_t len, const char *key,
    time_t now, char **val, size_t *vallen, time_t *expires)
{
	unsigned char	 want[32];
	uint64_t	 x;
	uint32_t	 raw;
	uLongf		 got;
	uLong		 zin;
	char		*v;

	if (len < CACHE_ENTRY_HDR || len > CACHE_ENTRY_MAX ||
	    memcmp(buf, CACHE_ENTRY_MAGIC, 4) != 0 ||
	    buf[4] != CACHE_ENTRY_VERSION || buf[5] != 0 || buf[6] != 0 ||
	    buf[7] != 0)
		return -1;
	x = (uint64_t)cache_get32(buf + 8) << 32 | cache_get32(buf + 12);
	raw = cache_get32(buf + 16);
	if (raw > CACHE_VALUE_MAX || x > (uint64_t)INT64_MAX)
		return -1;
	if (key != NULL) {
		if (!cache_int_key_ok(key))
			return -1;
		cache_key_bytes(key, want);
		if (memcmp(buf + 24, want, 32) != 0)
			return -1;
	}
	if (expires != NULL)
		*expires = (time_t)x;
	if (now != 0 && (uint64_t)now >= x)
		return 0;

	/* Only now, with a length we bounded, is there anything to hold. */
	if ((v = malloc((size_t)raw + 1)) == NULL)
		cache_oom((size_t)raw + 1);
	got = raw;
	zin = len - CACHE_ENTRY_HDR;
	/* The stream must fill exactly raw bytes and end where the entry
	 * does: a short, long or padded stream is not ours. */
	if (uncompress2((Bytef *)v, &got, buf + CACHE_ENTRY_HDR, &zin) !=
	    Z_OK || got != raw || zin != len - CACHE_ENTRY_HDR ||
	    crc32(0, (const Bytef *)v, raw) != cache_get32(buf + 20)) {
		free(v);
		return -1;
	}
	v[raw] = '\0';
	*val = v;
	*vallen = raw;
	return 1;
}

void
cache_key(const char *method, const char *url, const char *user_id,
    char out[CACHE_KEY_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*part[3];
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;
	char			 err[256];
	EVP_MD_CTX		*ctx;
	size_t			 i;

	if (ossl_load(err, sizeof err) != 0) {
		fprintf(stderr, "stitch: the cache needs SHA-256: %s\n", err);
		abort();
	}
	part[0] = method != NULL ? method : "";
	part[1] = url != NULL ? url : "";
	part[2] = user_id != NULL ? user_id : "";
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		cache_oom(sizeof ctx);
	/* NUL between the parts, so ("a", "bc") and ("ab", "c") differ. */
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, part[0], strlen(part[0]) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, part[1], strlen(part[1]) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, part[2], strlen(part[2])) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
		/* SHA-256 is always there in OpenSSL; if not, nothing may
		 * be cached under a key that is not a digest. */
		fprintf(stderr, "stitch: SHA-256 failed\n");
		abort();
	}
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[CACHE_KEY_LEN] = '\0';
}

struct cache *
cache_open(const struct cache_opts *opts, char *err, size_t errsz)
{
	static const struct cache_opts	 none;
	const char			*kind;
	struct cache			*c;
	size_t				 i;

	if (opts == NULL)
		opts = &none;
	kind = opts->kind != NULL ? opts->kind : "file";
	if ((c = calloc(1, sizeof *c)) == NULL)
		cache_oom(sizeof *c);
	c->now = cache_clock_real;
	if (strcmp(kind, "none") == 0) {
		c->down = 1;
		return c;
	}
	for (i = 0; i < sizeof cache_backends / sizeof cache_backends[0];
	    i++)
		if (strcmp(kind, cache_backends[i]->name) == 0)
			c->be = cache_backends[i];
	if (c->be == NULL) {
		snprintf(err, errsz, "unknown cache \"%.32s\" (file, redis, "
		    "memcache or none)", kind);
		cache_sanitize(err);
		free(c);
		return NULL;
	}
	if (c->be->open(c, opts, err, errsz) == -1) {
		cache_sanitize(err);
		free(c);
		return NULL;
	}
	return c;
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	if (c->be != NULL)
		c->be->close(c);
	free(c);
}

/* A backend said it is gone: keep its warning and act as "none". */
static void
cache_went_down(struct cache *c)
{
	static const char	 off[] = "; caching is off";
	size_t			 n;

	if (!c->warn_pending)
		cache_int_warn(c, "%s cache failed", c->be->name);
	n = strlen(c->warn);
	/* Once, even if an earlier outage's warning was never read. */
	if (n + sizeof off <= sizeof c->warn && (n < sizeof off - 1 ||
	    strcmp(c->warn + n - (sizeof off - 1), off) != 0))
		memcpy(c->warn + n, off, sizeof off);
	c->down = 1;
	c->retry_at = cache_int_now(c) + CACHE_RETRY_S;
}

/* 1 if the backend may be used for this call: up, or back again. */
static int
cache_usable(struct cache *c)
{
	time_t	now;

	if (!c->down)
		return 1;
	if (c->be == NULL || c->be->reconnect == NULL)
		return 0;
	now = cache_int_now(c);
	if (now < c->retry_at)
		return 0;
	c->retry_at = now + CACHE_RETRY_S;
	if (c->be->reconnect(c) != 0)
		return 0;
	c->down = 0;
	return 1;
}

int
cache_get(struct cache *c, const char *key, char **val, size_t *len)
{
	int	r;

	*val = NULL;
	*len = 0;
	if (c == NULL || !cache_int_key_ok(key) || !cache_usable(c))
		return 0;
	if ((r = c->be->get(c, key, val, len)) == CACHE_DOWN) {
		cache_went_down(c);
		return 0;
	}
	return r == 1;
}

int
cache_set(struct cache *c, const char *key, const void *val, size_t len,
    unsigned ttl_s)
{
	int	r;

	if (c == NULL || !cache_int_key_ok(key) || len > CACHE_VALUE_MAX ||
	    (val == NULL && len != 0) || ttl_s == 0)
		return -1;
	if (!cache_usable(c))
		return 0;
	if (val == NULL)
		val = "";
	if ((r = c->be->set(c, key, val, len, ttl_s)) == CACHE_DOWN) {
		cache_went_down(c);
		return -1;
	}
	return r;
}

int
cache_del(struct cache *c, const char *key)
{
	int	r;

	if (c == NULL || !cache_int_key_ok(key))
		return -1;
	if (c->be == NULL)
		return 0;		/* "none": nothing is ever there */
	/* A del is an invalidation: while the backend is down it did not
	 * happen, and the entry may be served again once it is back. The
	 * file tree can still unlink on a full disk, so it tries. */
	if (c->down && c->be->reconnect == NULL)
		return c->be->del(c, key) == 0 ? 0 : -1;
	if (!cache_usable(c))
		return -1;
	if ((r = c->be->del(c, key)) == CACHE_DOWN) {
		cache_went_down(c);
		return -1;
	}
	return r;
}

const char *
cache_warning(struct cache *c)
{
	if (c == NULL || !c->warn_pending)
		return NULL;
	c->warn_pending = 0;
	return c->warn;
}

const char *
cache_kind(const struct cache *c)
{
	if (c == NULL || c->down || c->be == NULL)
		return "none";
	return c->be->name;
}
