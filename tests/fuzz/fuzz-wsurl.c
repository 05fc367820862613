/*
 * fuzz-wsurl.c: ws_url_parse() on any bytes. It must never read or write
 * out of bounds, and what it accepts must be usable: a non-empty host
 * without '@', a port in 1..65535, a path starting with '/'.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_url	 u;
	char		 err[256], *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ws_url_parse(s, &u, err, sizeof err) == 0) {
		if (u.host[0] == '\0' || strchr(u.host, '@') != NULL ||
		    u.port < 1 || u.port > 65535 || u.path[0] != '/' ||
		    memchr(u.host, '\0', sizeof u.host) == NULL ||
		    memchr(u.path, '\0', sizeof u.path) == NULL)
			abort();
	} else if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0')
		abort();
	free(s);
	return 0;
}
