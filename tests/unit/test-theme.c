/*
 * test-theme.c: theme files parse cleanly, every shipped theme sets every
 * meaning, bad lines are reported with FILE:LINE and the rest still loads,
 * and colours degrade sensibly to 256 and 16 colours.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "theme.h"

static char	errors[8][256];
static int	nerrors;

static void
collect(void *arg, const char *msg)
{
	if (nerrors < 8)
		snprintf(errors[nerrors], sizeof errors[0], "%s", msg);
	nerrors++;
}

static void
test_shipped(const char *srcdir, const char *name)
{
	struct theme	 t, empty;
	char		 path[1024], what[256];
	int		 bad, i, differs = 0;

	snprintf(path, sizeof path, "%s/themes/%s.theme", srcdir, name);
	theme_default(&t);
	nerrors = 0;
	bad = theme_load(&t, path, collect, NULL);
	snprintf(what, sizeof what, "themes/%s.theme loads with no bad line", name);
	tap_is_int(bad, 0, what);
	if (nerrors > 0)
		tap_diag("first error: %s", errors[0]);
	snprintf(what, sizeof what, "themes/%s.theme names itself", name);
	tap_is_str(t.name, name, what);

	/* Every meaning must be spelled out in the file itself, not only
	 * inherited: parse it over an empty theme and compare. */
	memset(&empty, 0xff, sizeof empty);
	theme_load(&empty, path, NULL, NULL);
	for (i = 0; i < THEME_MEANING_COUNT; i++)
		if (empty.style[i].attrs == 0xffffffffu) {
			tap_diag("%s does not set %s", name,
			    theme_meaning_name(i));
			differs++;
		}
	snprintf(what, sizeof what, "themes/%s.theme sets every meaning", name);
	tap_is_int(differs, 0, what);
}

static void
test_builtin_matches_dark(const char *srcdir)
{
	struct theme	builtin, file;
	char		path[1024];

	theme_default(&builtin);
	memset(&file, 0, sizeof file);
	snprintf(path, sizeof path, "%s/themes/dark.theme", srcdir);
	theme_load(&file, path, NULL, NULL);
	tap_ok(memcmp(&builtin, &file, sizeof file) == 0,
	    "the built-in theme is themes/dark.theme");
	tap_ok(builtin.dark, "dark's background counts as dark");
}

static void
test_parse(void)
{
	struct theme	 t;
	const char	 text[] =
	    "# a comment\n"
	    "\n"
	    "background = #ffffff\n"
	    "mention = #000000 on #ffff00 bold underline\n"
	    "nick = 196|160|red\n"
	    "notice = bright-cyan\n"
	    "bogus = red\n"
	    "error = #12345\n"
	    "text\n"
	    "timestamp = red green\n"
	    "deleted = default dim\n";

	theme_default(&t);
	nerrors = 0;
	tap_is_int(theme_parse(&t, text, sizeof text - 1, "x.theme", collect,
	    NULL), 4, "four bad lines are counted");
	tap_is_str(errors[0], "x.theme:7: unknown meaning (see "
	    "themes/dark.theme for the list)", "unknown meaning: FILE:LINE");
	tap_ok(strncmp(errors[1], "x.theme:8: bad colour", 21) == 0,
	    "a short hex colour is refused with its line");
	tap_ok(strncmp(errors[2], "x.theme:9: expected", 19) == 0,
	    "a line without '=' is refused with its line");
	tap_ok(strncmp(errors[3], "x.theme:10: unknown word", 24) == 0,
	    "two foreground colours are refused");
	tap_ok(!t.dark && t.background == 0xffffff, "a white background is light");
	tap_is_int(t.style[THEME_MENTION].fg.rgb, 0x000000, "mention fg");
	tap_is_int(t.style[THEME_MENTION].bg.rgb, 0xffff00, "mention bg");
	tap_is_int(t.style[THEME_MENTION].attrs,
	    THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE, "mention attributes");
	tap_is_int(t.style[THEME_MENTION].bg.c16, 11, "yellow's 16-colour form");
	tap_is_int(t.style[THEME_NICK].fg.c256, 160, "explicit 256-colour form");
	tap_is_int(t.style[THEME_NICK].fg.c16, 1, "explicit 16-colour form");
	tap_is_int(t.style[THEME_NICK].fg.rgb, 0xff0000, "rgb of index 196");
	tap_is_int(t.style[THEME_NOTICE].fg.c16, 14, "bright-cyan is 14");
	tap_ok(t.style[THEME_DELETED].fg.is_default, "default colour");
	tap_is_int(t.style[THEME_DELETED].attrs, THEME_ATTR_DIM, "dim");
	tap_ok(t.style[THEME_ERROR].fg.rgb == 0xf38ba8,
	    "a bad line leaves the inherited style alone");
}

static void
test_degrade(void)
{
	tap_is_int(theme_rgb_to_256(0xff0000), 196, "pure red -> 196");
	tap_is_int(theme_rgb_to_256(0x000000), 16, "black -> 16");
	tap_is_int(theme_rgb_to_256(0x808080), 244, "mid grey -> grey ramp");
	tap_is_int(theme_rgb_to_256(0x5f87af), 67, "a cube colour maps exactly");
	tap_is_int(theme_rgb_to_16(0xff0000), 9, "pure red -> bright red");
	tap_is_int(theme_rgb_to_16(0x1e1e2e), 0, "near black -> black");
	tap_is_int(theme_rgb_to_16(0xe0e0e0), 7, "light grey -> white");
}

static void
test_find(void)
{
	char	buf[256];

	tap_is_int(theme_find("../etc/passwd", buf, sizeof buf), -1,
	    "a theme name with '/' is refused");
	tap_is_int(theme_find(".hidden", buf, sizeof buf), -1,
	    "a theme name starting with '.' is refused");
	tap_is_int(theme_meaning_lookup("hotlist_mention"),
	    THEME_HOTLIST_MENTION, "meaning lookup");
	tap_is_int(theme_meaning_lookup("nope"), -1, "unknown meaning");
}

int
main(void)
{
	const char	*srcdir = getenv("top_srcdir");

	if (srcdir == NULL)
		srcdir = ".";
	test_shipped(srcdir, "dark");
	test_shipped(srcdir, "light");
	test_shipped(srcdir, "high-contrast");
	test_builtin_matches_dark(srcdir);
	test_parse();
	test_degrade();
	test_find();
	return tap_done();
}
