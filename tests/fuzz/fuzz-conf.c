/*
 * fuzz-conf.c: the config parser over any bytes, then the command line
 * parser over the same bytes cut at NULs into argv. Nothing may crash,
 * leak or read out of bounds, and no message may carry a control byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*c;
	char		*copy, *argv[64], err[512];
	size_t		 i, j;
	int		 argc = 0;

	/* No real files: the default config and token paths go nowhere. */
	setenv("HOME", "/nonexistent-stitch-fuzz", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("STITCH_TOKEN");

	c = conf_new();
	conf_load_mem(c, "fuzz", (const char *)data, size);
	for (i = 0; i < c->errors.n; i++)
		for (j = 0; c->errors.v[i][j] != '\0'; j++)
			if ((unsigned char)c->errors.v[i][j] < 0x20)
				abort();
	conf_free(c);

	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = (char *)"tail";
	for (i = 0; i < size && argc < 63; i++) {
		if (i == 0 || copy[i - 1] == '\0') {
			/* Never read a file named by the input: drop
			 * --config and --token-file and their prefixes. */
			if (strncmp(copy + i, "--co", 4) != 0 &&
			    strncmp(copy + i, "--to", 4) != 0)
				argv[argc++] = copy + i;
		}
	}
	argv[argc] = NULL;
	c = conf_new();
	conf_parse_args(c, argc, argv, NULL, NULL, NULL, err, sizeof err);
	conf_free(c);
	free(copy);
	return 0;
}
