/*
 * standalone.c: runs a libFuzzer target's entry point over files, so every
 * fuzz target doubles as a regression test in "make check" without clang:
 * each argument is a file or a directory of files (the seed corpus and every
 * crash we ever found). Prints TAP: one line per input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int standalone_n;

static void
standalone_file(const char *path)
{
	FILE	*f;
	uint8_t	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("not ok %d - cannot open %s\n", ++standalone_n, path);
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	if (len < 0 || (buf = malloc((size_t)len + 1)) == NULL) {
		fclose(f);
		printf("not ok %d - cannot read %s\n", ++standalone_n, path);
		return;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		len = 0;
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	/* Reaching here is the test: a crash or a sanitizer report aborts. */
	printf("ok %d - %s\n", ++standalone_n, path);
}

static void
standalone_path(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];

	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
		standalone_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path,
		    de->d_name) < sizeof sub)
			standalone_path(sub);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++)
		standalone_path(argv[i]);
	if (standalone_n == 0)
		printf("1..0 # SKIP no inputs\n");
	else
		printf("1..%d\n", standalone_n);
	return 0;
}
