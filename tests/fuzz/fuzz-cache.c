/*
 * fuzz-cache.c: a cache entry read back, on any bytes. The decoder must
 * never crash, read out of bounds or hand out a value that is not exactly
 * what it announced; and what the encoder makes of the same bytes (as a
 * value) must decode back to them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key of every seed in tests/fuzz/corpus/cache. */
#define FUZZ_KEY \
	"61c0e5fa3526a9258d7a596c96beda1979c9748351f108b65bdbeb66027a32ac"

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
