/*
 * fuzz-textout.c: textout_put() over any bytes, as TSV and as a JSON
 * string. It is the last step between a stranger's chat line or Helix
 * field and a user's terminal, pipe or script, so whatever comes in, what
 * comes out must be: valid UTF-8 that text_sanitize() would leave alone
 * (no ESC, no C0 or C1 control, no bidi override), one TSV field (no TAB
 * or line break; a backslash only in \t \n \r \\) or one valid JSON string
 * body (a quote only escaped, escapes only \" \\ \u00XX); and for text
 * that is already safe, with nothing to escape, exactly the input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "textout.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_textout_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The escapes are the only backslashes; for JSON the only quotes too. */
static void
fuzz_textout_escapes(const char *o, size_t n, int json)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (json && o[i] == '"')
			abort();
		if (o[i] != '\\')
			continue;
		if (++i == n)
			abort();
		if (o[i] == '\\' || (json && o[i] == '"') ||
		    (!json && strchr("tnr", o[i]) != NULL && o[i] != '\0'))
			continue;
		if (!json || n - i < 5 || strncmp(o + i, "u00", 3) != 0 ||
		    !fuzz_textout_hex(o[i + 3]) || !fuzz_textout_hex(o[i + 4]))
			abort();
		i += 4;
	}
}

/* Valid UTF-8, every code point one the sanitizer keeps, no control. */
static void
fuzz_textout_safe(const char *o, size_t n)
{
	uint32_t	cp;
	size_t		i, k;

	for (i = 0; i < n; i += k) {
		k = text_decode_cp(o + i, n - i, &cp);
		if (k == 0 || cp == TEXT_INVALID_CP || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp <= 0x9f) || !text_cp_safe(cp))
			abort();
	}
	if (!text_is_safe(o, n))
		abort();
}

static void
fuzz_textout_one(const uint8_t *data, size_t size, int json)
{
	char	*o = NULL;
	size_t	 n = 0, i;
	FILE	*fp;
	int	 plain = 1;

	if ((fp = open_memstream(&o, &n)) == NULL)
		return;
	textout_put(fp, json, (const char *)data, size);
	if (fclose(fp) != 0) {
		free(o);
		return;
	}
	if (memchr(o, '\0', n) != NULL)
		abort();
	fuzz_textout_safe(o, n);
	fuzz_textout_escapes(o, n, json);
	/* Safe text with nothing to escape comes out as it went in. */
	for (i = 0; i < size; i++)
		if (data[i] < 0x20 || data[i] == 0x7f || data[i] == '\\' ||
		    data[i] == '"')
			plain = 0;
	if (plain && text_is_safe((const char *)data, size) &&
	    (n != size || memcmp(o, data, size) != 0))
		abort();
	free(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_textout_one(data, size, 0);
	fuzz_textout_one(data, size, 1);
	return 0;
}
