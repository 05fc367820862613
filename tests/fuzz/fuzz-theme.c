/*
 * fuzz-theme.c: ui/theme.c's theme file parser over any bytes, since a
 * theme may come from anywhere (a download, a pasted gist). Nothing may
 * crash or read out of bounds, and whatever it loads must be drawable:
 * every colour in range at every depth, only known attributes, a name
 * that ends inside its buffer, one message per bad line and each message
 * free of control bytes (they go to the status bar).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_THEME_ATTRS	(THEME_ATTR_BOLD | THEME_ATTR_DIM | \
	THEME_ATTR_ITALIC | THEME_ATTR_UNDERLINE | THEME_ATTR_REVERSE)

/* Counts the messages and checks each: non-empty, no control byte. */
static void
fuzz_theme_error(void *arg, const char *message)
{
	size_t	i;

	(*(int *)arg)++;
	if (message[0] == '\0')
		abort();
	for (i = 0; message[i] != '\0'; i++)
		if ((unsigned char)message[i] < 0x20 ||
		    (unsigned char)message[i] == 0x7f)
			abort();
}

static void
fuzz_theme_color(const struct theme_color *c)
{
	if (c->is_default)
		return;
	if (c->rgb > 0xffffff || c->c256 < 0 || c->c256 > 255 ||
	    c->c16 < 0 || c->c16 > 15)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme	t;
	int		i, bad, calls = 0;

	theme_default(&t);
	bad = theme_parse(&t, (const char *)data, size, "fuzz.theme",
	    fuzz_theme_error, &calls);
	if (bad < 0 || bad != calls)
		abort();
	if (memchr(t.name, '\0', sizeof t.name) == NULL ||
	    t.background > 0xffffff)
		abort();
	for (i = 0; i < THEME_MEANING_COUNT; i++) {
		fuzz_theme_color(&t.style[i].fg);
		fuzz_theme_color(&t.style[i].bg);
		if (t.style[i].attrs & ~(unsigned)FUZZ_THEME_ATTRS)
			abort();
	}
	/* No callback must be fine too. */
	theme_default(&t);
	(void)theme_parse(&t, (const char *)data, size, "fuzz.theme", NULL,
	    NULL);
	return 0;
}
