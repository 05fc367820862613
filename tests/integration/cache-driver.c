/*
 * cache-driver.c: one cache, opened once, driven by the words on its
 * command line, so a shell test can run a backend through a session and
 * do things to its server in the middle (kill it, stop it, start it
 * again) while the same cache lives on:
 *
 *   cache-driver [-t MS] KIND COMMAND...
 *
 *   set NAME VALUE TTL     prints "set NAME RC"
 *   big NAME BYTES TTL     set BYTES of noise; prints "big NAME RC"
 *   get NAME               prints "get NAME hit VALUE" or "get NAME miss"
 *                          (a big value prints its length and whether
 *                          its bytes are the ones set)
 *   as USER                the acting user for the keys that follow
 *   del NAME               prints "del NAME RC"
 *   waitmiss NAME SECONDS  get until a miss, at most SECONDS; prints
 *                          "waitmiss NAME miss" or "waitmiss NAME hit"
 *   warn                   prints "warn TEXT" or "warn none"
 *   kind                   prints "kind KIND"
 *   clock SECONDS          move the cache's clock forward
 *   sh COMMAND             run COMMAND with /bin/sh; prints "sh RC"
 *   bench N                N sets then N gets of a 4 KiB Helix-like reply;
 *                          prints the microseconds each took on average
 *                          (a figure, never a pass or a fail)
 *
 * NAME is turned into a key with cache_key("GET", NAME, USER). Opening
 * fails with "open failed: MESSAGE" and status 2; the end prints "done".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache-int.h"

static time_t	driver_offset;
static char	driver_user[64] = "1234";

static time_t
driver_clock(void *arg)
{
	(void)arg;
	return time(NULL) + driver_offset;
}

static long
driver_num(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0) {
		fprintf(stderr, "cache-driver: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

/* Noise that is the same for the same length: a check on read back. */
static char *
driver_noise(size_t n)
{
	char		*b = malloc(n + 1);
	unsigned	 x = (unsigned)n;
	size_t		 i;

	if (b == NULL)
		abort();
	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		b[i] = (char)(x >> 16);
	}
	return b;
}

static void
driver_get(struct cache *c, const char *name, const char *k)
{
	char	*v = NULL, *want;
	size_t	 n = 0;

	if (cache_get(c, k, &v, &n) != 1) {
		printf("get %s miss\n", name);
		return;
	}
	if (n > 256) {
		want = driver_noise(n);
		printf("get %s hit %zu bytes %s\n", name, n,
		    memcmp(v, want, n) == 0 ? "intact" : "changed");
		free(want);
	} else
		printf("get %s hit %.*s\n", name, (int)n, v);
	free(v);
}

static int
driver_waitmiss(struct cache *c, const char *k, long secs)
{
	struct timespec	 ts = { 0, 100 * 1000 * 1000 };
	char		*v;
	size_t		 n;
	long		 i;

	for (i = 0; i <= secs * 10; i++) {
		if (cache_get(c, k, &v, &n) != 1)
			return 1;
		free(v);
		nanosleep(&ts, NULL);
	}
	return 0;
}

static double
driver_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
driver_bench(struct cache *c, long n)
{
	char	 val[4096], name[32], k[CACHE_KEY_LEN + 1], *v;
	size_t	 len = 0, got;
	double	 t0, t1, t2;
	long	 i, hits = 0;

	/* Chatters-like JSON: repetitive, as Helix replies are. */
	while (len + 64 < sizeof val)
		len += (size_t)snprintf(val + len, sizeof val - len,
		    "{\"user_id\":\"%zu\",\"user_login\":\"viewer%zu\"},",
		    len * 7919 % 1000000, len);
	t0 = driver_us();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "bench%ld", i);
		cache_key("GET", name, driver_user, k);
		cache_set(c, k, val, len, 600);
	}
	t1 = driver_us();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "bench%ld", i);
		cache_key("GET", name, driver_user, k);
		if (cache_get(c, k, &v, &got) == 1) {
			hits++;
			free(v);
		}
	}
	t2 = driver_us();
	printf("bench %ld x %zu bytes: set %.1f us, get %.1f us, %ld hits\n",
	    n, len, (t1 - t0) / (double)n, (t2 - t1) / (double)n, hits);
}

int
main(int argc, char **argv)
{
	struct cache_opts	 o;
	struct cache		*c;
	const char		*w;
	char			 k[CACHE_KEY_LEN + 1], err[256] = "", *b;
	int			 i = 1, rc;
	long			 n;

	memset(&o, 0, sizeof o);
	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		o.timeout_ms = (unsigned)driver_num(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: cache-driver [-t MS] KIND CMD...\n");
		return 2;
	}
	o.kind = argv[i++];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((c = cache_open(&o, err, sizeof err)) == NULL) {
		printf("open failed: %s\n", err);
		return 2;
	}
	cache_int_set_clock(c, driver_clock, NULL);
	for (; i < argc; i++) {
#define NEED(n) do { if (i + (n) >= argc) goto usage; } while (0)
		if (strcmp(argv[i], "set") == 0) {
			NEED(3);
			cache_key("GET", argv[i + 1], driver_user, k);
			rc = cache_set(c, k, argv[i + 2], strlen(argv[i + 2]),
			    (unsigned)driver_num(argv[i + 3]));
			printf("set %s %d\n", argv[i + 1], rc);
			i += 3;
		} else if (strcmp(argv[i], "big") == 0) {
			NEED(3);
			cache_key("GET", argv[i + 1], driver_user, k);
			n = driver_num(argv[i + 2]);
			b = driver_noise((size_t)n);
			rc = cache_set(c, k, b, (size_t)n,
			    (unsigned)driver_num(argv[i + 3]));
			free(b);
			printf("big %s %d\n", argv[i + 1], rc);
			i += 3;
		} else if (strcmp(argv[i], "get") == 0) {
			NEED(1);
			cache_key("GET", argv[i + 1], driver_user, k);
			driver_get(c, argv[i + 1], k);
			i += 1;
		} else if (strcmp(argv[i], "as") == 0) {
			NEED(1);
			snprintf(driver_user, sizeof driver_user, "%s",
			    argv[i + 1]);
			i += 1;
		} else if (strcmp(argv[i], "del") == 0) {
			NEED(1);
			cache_key("GET", argv[i + 1], driver_user, k);
			printf("del %s %d\n", argv[i + 1], cache_del(c, k));
			i += 1;
		} else if (strcmp(argv[i], "waitmiss") == 0) {
			NEED(2);
			cache_key("GET", argv[i + 1], driver_user, k);
			printf("waitmiss %s %s\n", argv[i + 1],
			    driver_waitmiss(c, k, driver_num(argv[i + 2])) ?
			    "miss" : "hit");
			i += 2;
		} else if (strcmp(argv[i], "warn") == 0) {
			w = cache_warning(c);
			printf("warn %s\n", w != NULL ? w : "none");
		} else if (strcmp(argv[i], "kind") == 0) {
			printf("kind %s\n", cache_kind(c));
		} else if (strcmp(argv[i], "clock") == 0) {
			NEED(1);
			driver_offset += driver_num(argv[i + 1]);
			i += 1;
		} else if (strcmp(argv[i], "bench") == 0) {
			NEED(1);
			n = driver_num(argv[i + 1]);
			driver_bench(c, n > 0 ? n : 1);
			i += 1;
		} else if (strcmp(argv[i], "sh") == 0) {
			NEED(1);
			fflush(stdout);
			rc = system(argv[i + 1]);
			printf("sh %d\n", WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
			i += 1;
		} else
			goto usage;
#undef NEED
	}
	cache_free(c);
	printf("done\n");
	return 0;
usage:
	fprintf(stderr, "cache-driver: bad command at \"%s\"\n", argv[i]);
	cache_free(c);
	return 2;
}
