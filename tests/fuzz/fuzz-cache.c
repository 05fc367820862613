/*
 * fuzz-cache.c: a cache entry read back, on any bytes. The decoder must
 * never crash, read out of bounds or hand out a value that is not exactly
 * what it announced; the same bytes put in the file tree as an entry's
 * file must be a hit with that value or a miss that removes the file; and
 * what the encoder makes of the bytes (as a value) must decode back to
 * them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key of every seed in tests/fuzz/corpus/cache. */
#define FUZZ_KEY \
	"61c0e5fa3526a9258d7a596c96beda1979c9748351f108b65bdbeb66027a32ac"

static struct cache	*fuzz_cache;
static char		 fuzz_dir[] = "/tmp/stitch-fuzz-cache.XXXXXX";
static char		 fuzz_path[256];

/* Leave nothing in /tmp: the file, its fan-out directory, the tree. */
static void
fuzz_cleanup(void)
{
	char	sub[256];

	cache_free(fuzz_cache);
	unlink(fuzz_path);
	snprintf(sub, sizeof sub, "%s/%.2s", fuzz_dir, FUZZ_KEY);
	rmdir(sub);
	rmdir(fuzz_dir);
}

/* One file cache in a temporary directory for the whole run. */
static void
fuzz_setup(void)
{
	char			*dir = fuzz_dir;
	struct cache_opts	 o;
	char			 err[256];

	if (mkdtemp(dir) == NULL)
		abort();
	memset(&o, 0, sizeof o);
	o.kind = "file";
	o.dir = dir;
	if ((fuzz_cache = cache_open(&o, err, sizeof err)) == NULL)
		abort();
	/* Make the fan-out directory the way the cache does. */
	if (cache_set(fuzz_cache, FUZZ_KEY, "x", 1, 60) != 0)
		abort();
	snprintf(fuzz_path, sizeof fuzz_path, "%s/%.2s/%s", dir, FUZZ_KEY,
	    FUZZ_KEY);
	atexit(fuzz_cleanup);
}

/* The bytes as the key's file: a hit with a sound value, or a miss that
 * took the file away. */
static void
fuzz_file(const uint8_t *data, size_t size)
{
	FILE	*f;
	char	*v = NULL;
	size_t	 n = 0;

	if (fuzz_cache == NULL)
		fuzz_setup();
	if ((f = fopen(fuzz_path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (cache_get(fuzz_cache, FUZZ_KEY, &v, &n) == 1) {
		if (v == NULL || v[n] != '\0')
			abort();
		free(v);
	} else if (v != NULL || access(fuzz_path, F_OK) == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*e;
	char		*v = NULL;
	size_t		 n = 0, elen = 0;
	time_t		 exp = 0;
	int		 r;

	/* As read back: with and without a key, with and without a
	 * clock. */
	r = cache_entry_decode(data, size, FUZZ_KEY, 1000, &v, &n, &exp);
	if (r == 1) {
		if (v == NULL || n > CACHE_VALUE_MAX || v[n] != '\0' ||
		    exp <= 1000)
			abort();
		free(v);
	} else if (v != NULL)
		abort();
	v = NULL;
	if (cache_entry_decode(data, size, NULL, 0, &v, &n, NULL) == 1)
		free(v);

	if (size <= 65536)
		fuzz_file(data, size);

	/* As a value: a round trip. */
	if (size > CACHE_VALUE_MAX)
		return 0;
	if ((e = cache_entry_encode(FUZZ_KEY, data, size, 5000, &elen)) == NULL)
		abort();
	v = NULL;
	if (cache_entry_decode(e, elen, FUZZ_KEY, 4999, &v, &n, NULL) != 1 ||
	    n != size || memcmp(v, data, size) != 0)
		abort();
	free(v);
	free(e);
	return 0;
}
