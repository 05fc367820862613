/*
 * theme.c: theme files to styles (see theme.h). Pure: no curses.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "theme.h"
#include "text.h"

#ifndef STITCH_PKGDATADIR
#define STITCH_PKGDATADIR "/usr/local/share/stitch"
#endif

#define THEME_MAX_FILE	(64 * 1024)

static const char *const theme_names[THEME_MEANING_COUNT] = {
	[THEME_TEXT] = "text",
	[THEME_TIMESTAMP] = "timestamp",
	[THEME_NICK] = "nick",
	[THEME_OWN_NICK] = "own_nick",
	[THEME_ACTION] = "action",
	[THEME_MENTION] = "mention",
	[THEME_HIGHLIGHT] = "highlight",
	[THEME_NOTICE] = "notice",
	[THEME_ERROR] = "error",
	[THEME_DELETED] = "deleted",
	[THEME_DIMMED] = "dimmed",
	[THEME_MODERATION] = "moderation",
	[THEME_USERNOTICE] = "usernotice",
	[THEME_RAID] = "raid",
	[THEME_ANNOUNCEMENT] = "announcement",
	[THEME_BITS] = "bits",
	[THEME_FIRST_MSG] = "first_msg",
	[THEME_REPLY] = "reply",
	[THEME_EMOTE] = "emote",
	[THEME_BADGE_BROADCASTER] = "badge_broadcaster",
	[THEME_BADGE_MOD] = "badge_mod",
	[THEME_BADGE_VIP] = "badge_vip",
	[THEME_BADGE_SUB] = "badge_sub",
	[THEME_BADGE_STAFF] = "badge_staff",
	[THEME_BADGE_OTHER] = "badge_other",
	[THEME_TITLE] = "title",
	[THEME_TITLE_FOCUS] = "title_focus",
	[THEME_LIVE] = "live",
	[THEME_BORDER] = "border",
	[THEME_STATUS] = "status",
	[THEME_STATUS_ACCENT] = "status_accent",
	[THEME_HOTLIST] = "hotlist",
	[THEME_HOTLIST_MENTION] = "hotlist_mention",
	[THEME_INPUT] = "input",
	[THEME_MORE_BELOW] = "more_below",
	[THEME_SEARCH_MATCH] = "search_match",
	[THEME_SELECTION] = "selection",
	[THEME_PANEL] = "panel",
	[THEME_PANEL_HEADER] = "panel_header",
	[THEME_PANEL_TITLE] = "panel_title",
	[THEME_PANEL_DIM] = "panel_dim",
	[THEME_PANEL_SPARK] = "panel_spark",
};

/* The 16 ANSI colours as xterm draws them, for nearest-colour matching. */
static const uint32_t theme_ansi16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
	0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
	0x00ffff, 0xffffff,
};

static const char *const theme_color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char	*name;
	unsigned	 bit;
} theme_attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "dim", THEME_ATTR_DIM },
	{ "italic", THEME_ATTR_ITALIC },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "reverse", THEME_ATTR_REVERSE },
};

const char *
theme_meaning_name(enum theme_meaning m)
{
	if ((unsigned)m >= THEME_MEANING_COUNT)
		return "?";
	return theme_names[m];
}

int
theme_meaning_lookup(const char *name)
{
	int	i;

	for (i = 0; i < THEME_MEANING_COUNT; i++)
		if (strcmp(theme_names[i], name) == 0)
			return i;
	return -1;
}

static long
theme_dist2(uint32_t a, uint32_t b)
{
	long	dr = (long)(a >> 16 & 0xff) - (long)(b >> 16 & 0xff);
	long	dg = (long)(a >> 8 & 0xff) - (long)(b >> 8 & 0xff);
	long	db = (long)(a & 0xff) - (long)(b & 0xff);

	/* Weighted towards green, as the eye is. */
	return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

int
theme_rgb_to_16(uint32_t rgb)
{
	int	i, best = 0;
	long	d, bestd = -1;

	for (i = 0; i < 16; i++) {
		d = theme_dist2(rgb, theme_ansi16[i]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

/* The 6x6x6 cube levels and the grey ramp of xterm's 256 colours. */
static const int theme_cube[6] = { 0, 95, 135, 175, 215, 255 };

static int
theme_cube_index(int v)
{
	int	i, best = 0;

	for (i = 1; i < 6; i++)
		if (abs(theme_cube[i] - v) < abs(theme_cube[best] - v))
			best = i;
	return best;
}

int
theme_rgb_to_256(uint32_t rgb)
{
	int		 r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	int		 ri = theme_cube_index(r), gi = theme_cube_index(g);
	int		 bi = theme_cube_index(b), grey, gi2;
	uint32_t	 cube, gr;

	cube = (uint32_t)theme_cube[ri] << 16 | (uint32_t)theme_cube[gi] << 8 |
	    (uint32_t)theme_cube[bi];
	grey = (r + g + b) / 3;
	gi2 = grey < 8 ? 0 : grey > 238 ? 23 : (grey - 8) / 10;
	gr = (uint32_t)(8 + gi2 * 10) * 0x010101;
	if (theme_dist2(rgb, gr) < theme_dist2(rgb, cube))
		return 232 + gi2;
	return 16 + 36 * ri + 6 * gi + bi;
}

/* xterm's value for a 256-colour index, to derive the 16-colour form. */
static uint32_t
theme_256_to_rgb(int c)
{
	int	r, g, b;

	if (c < 16)
		return theme_ansi16[c];
	if (c >= 232)
		return (uint32_t)(8 + (c - 232) * 10) * 0x010101;
	c -= 16;
	r = theme_cube[c / 36];
	g = theme_cube[c / 6 % 6];
	b = theme_cube[c % 6];
	return (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}

static void
theme_color_rgb(struct theme_color *c, uint32_t rgb)
{
	c->is_default = 0;
	c->rgb = rgb;
	c->c256 = theme_rgb_to_256(rgb);
	c->c16 = theme_rgb_to_16(rgb);
}

/* Parse a whole decimal number in [0, max]; -1 otherwise. */
static int
theme_number(const char *s, int max)
{
	long	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return (int)v;
}

static int
theme_hex(const char *s, uint32_t *out)
{
	uint32_t	v = 0;
	int		i;

	if (s[0] != '#' || strlen(s) != 7)
		return -1;
	for (i = 1; i < 7; i++) {
		char	ch = s[i];

		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (uint32_t)(ch - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A colour name (with an optional "bright-") to its 16-colour index. */
static int
theme_named(const char *s)
{
	int	i, bright = 0;

	if (strncmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	for (i = 0; i < 8; i++)
		if (strcmp(s, theme_color_names[i]) == 0)
			return i + bright;
	return -1;
}

/* One form of a colour: returns 0 and sets what it gives. */
static int
theme_color_one(const char *s, struct theme_color *c, int depth)
{
	uint32_t	rgb;
	int		n;

	if (strcmp(s, "default") == 0) {
		c->is_default = 1;
		return 0;
	}
	if (theme_hex(s, &rgb) == 0) {
		if (depth == 0)
			theme_color_rgb(c, rgb);
		else if (depth == 1)
			c->c256 = theme_rgb_to_256(rgb);
		else
			c->c16 = theme_rgb_to_16(rgb);
		return 0;
	}
	if ((n = theme_number(s, 255)) >= 0) {
		if (depth == 2) {
			if (n > 15)
				return -1;
			c->c16 = n;
		} else if (depth == 1)
			c->c256 = n;
		else {
			theme_color_rgb(c, theme_256_to_rgb(n));
			c->c256 = n;
		}
		return 0;
	}
	if ((n = theme_named(s)) >= 0) {
		if (depth == 0) {
			theme_color_rgb(c, theme_ansi16[n]);
			c->c256 = n;
		} else if (depth == 1)
			c->c256 = n;
		c->c16 = n;
		return 0;
	}
	return -1;
}

/* "A|B|C": the first form sets everything, later ones override. */
static int
theme_color(char *s, struct theme_color *c)
{
	char	*part, *bar;
	int	 depth;

	memset(c, 0, sizeof *c);
	for (part = s, depth = 0; part != NULL && depth < 3; depth++) {
		if ((bar = strchr(part, '|')) != NULL)
			*bar++ = '\0';
		if (theme_color_one(part, c, depth) == -1)
			return -1;
		if (c->is_default)
			return bar == NULL ? 0 : -1;
		part = bar;
	}
	return part == NULL ? 0 : -1;
}

static void __attribute__((format(printf, 3, 4)))
theme_err(theme_error_fn fn, void *arg, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	if (fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fn(arg, msg);
}

/* Next space-separated word of *s, NUL-terminated in place; NULL at end. */
static char *
theme_word(char **s)
{
	char	*w = *s;

	while (*w == ' ' || *w == '\t')
		w++;
	if (*w == '\0')
		return NULL;
	*s = w + strcspn(w, " \t");
	if (**s != '\0')
		*(*s)++ = '\0';
	return w;
}

/* "FG [on BG] [attr...]" into *st; returns NULL or what was wrong. */
static const char *
theme_style_parse(char *v, struct theme_style *st)
{
	struct theme_style	 out;
	char			*w;
	size_t			 i;
	int			 seen_fg = 0;

	memset(&out, 0, sizeof out);
	out.fg.is_default = out.bg.is_default = 1;
	while ((w = theme_word(&v)) != NULL) {
		if (strcmp(w, "on") == 0) {
			if ((w = theme_word(&v)) == NULL)
				return "'on' needs a colour";
			if (theme_color(w, &out.bg) == -1)
				return "bad background colour";
			continue;
		}
		for (i = 0; i < sizeof theme_attr_names /
		    sizeof theme_attr_names[0]; i++)
			if (strcmp(w, theme_attr_names[i].name) == 0)
				break;
		if (i < sizeof theme_attr_names / sizeof theme_attr_names[0]) {
			out.attrs |= theme_attr_names[i].bit;
			continue;
		}
		if (seen_fg)
			return "unknown word (colours are #rrggbb, 0-255 or a name)";
		if (theme_color(w, &out.fg) == -1)
			return "bad colour (colours are #rrggbb, 0-255 or a name)";
		seen_fg = 1;
	}
	*st = out;
	return NULL;
}

static int
theme_is_dark(uint32_t rgb)
{
	int	r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	return (299 * r + 587 * g + 114 * b) / 1000 < 128;
}

/* One "key = value" line; NULL or what was wrong. */
static const char *
theme_line(struct theme *t, char *line)
{
	struct theme_color	 c;
	char			*eq, *key, *val;
	int			 m;

	if ((eq = strchr(line, '=')) == NULL)
		return "expected 'meaning = colour ...'";
	*eq = '\0';
	key = text_trim(line);
	val = text_trim(eq + 1);
	if (strcmp(key, "name") == 0) {
		snprintf(t->name, sizeof t->name, "%s", val);
		return NULL;
	}
	if (strcmp(key, "background") == 0) {
		if (theme_color(val, &c) == -1 || c.is_default)
			return "background must be a colour like #1e1e2e";
		t->background = c.rgb;
		t->dark = theme_is_dark(c.rgb);
		return NULL;
	}
	if ((m = theme_meaning_lookup(key)) == -1)
		return "unknown meaning (see themes/dark.theme for the list)";
	return theme_style_parse(val, &t->style[m]);
}

int
theme_parse(struct theme *t, const char *text, size_t len,
    const char *filename, theme_error_fn fn, void *arg)
{
	char		 line[1024];
	const char	*p = text, *end = text + len, *nl, *why;
	size_t		 n;
	int		 lineno = 0, bad = 0;
	char		*s;

	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n >= sizeof line) {
			theme_err(fn, arg, "%s:%d: line too long", filename,
			    lineno);
			bad++;
		} else if (memchr(p, '\0', n) != NULL) {
			theme_err(fn, arg, "%s:%d: NUL byte", filename, lineno);
			bad++;
		} else {
			memcpy(line, p, n);
			line[n] = '\0';
			s = text_trim(line);
			if (*s != '\0' && *s != '#' &&
			    (why = theme_line(t, s)) != NULL) {
				theme_err(fn, arg, "%s:%d: %s", filename,
				    lineno, why);
				bad++;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return bad;
}

int
theme_load(struct theme *t, const char *path, theme_error_fn fn, void *arg)
{
	FILE	*f;
	char	*buf;
	size_t	 n;
	int	 bad;

	if ((f = fopen(path, "r")) == NULL) {
		theme_err(fn, arg, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(THEME_MAX_FILE)) == NULL) {
		fclose(f);
		theme_err(fn, arg, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, THEME_MAX_FILE, f);
	if (n == THEME_MAX_FILE) {
		theme_err(fn, arg, "%s: larger than %d bytes", path,
		    THEME_MAX_FILE);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	bad = theme_parse(t, buf, n, path, fn, arg);
	free(buf);
	return bad;
}

static int
theme_try(char *buf, size_t bufsz, const char *dir, const char *sub,
    const char *name)
{
	struct stat	st;
	int		n;

	if (dir == NULL || *dir == '\0')
		return -1;
	n = snprintf(buf, bufsz, "%s%s/%s.theme", dir, sub, name);
	if (n < 0 || (size_t)n >= bufsz)
		return -1;
	return stat(buf, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -1;
}

int
theme_find(const char *name, char *buf, size_t bufsz)
{
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (*name == '\0' || strchr(name, '/') != NULL || name[0] == '.')
		return -1;
	if (xdg != NULL && *xdg == '/') {
		if (theme_try(buf, bufsz, xdg, "/stitch/themes", name) == 0)
			return 0;
	} else if (theme_try(buf, bufsz, home, "/.config/stitch/themes",
	    name) == 0)
		return 0;
	if (theme_try(buf, bufsz, getenv("STITCH_THEMES_DIR"), "", name) == 0)
		return 0;
	return theme_try(buf, bufsz, STITCH_PKGDATADIR, "/themes", name);
}

/* The built-in dark theme, the same as themes/dark.theme. */
static const char theme_builtin[] =
	"name = dark\n"
	"background = #1e1e2e\n"
	"text = default\n"
	"timestamp = #7f849c|244|bright-black\n"
	"nick = #89b4fa|111|bright-blue\n"
	"own_nick = #f5c2e7|218|bright-magenta bold\n"
	"action = default italic\n"
	"mention = #1e1e2e|234|black on #f9e2af|222|yellow bold\n"
	"highlight = #f9e2af|222|bright-yellow bold\n"
	"notice = #94e2d5|116|cyan\n"
	"error = #f38ba8|211|bright-red bold\n"
	"deleted = #6c7086|242|bright-black dim\n"
	"dimmed = #6c7086|242|bright-black\n"
	"moderation = #fab387|216|yellow\n"
	"usernotice = #cba6f7|183|magenta bold\n"
	"raid = #fab387|216|bright-yellow bold\n"
	"announcement = #89dceb|117|bright-cyan bold\n"
	"bits = #f9e2af|222|yellow bold\n"
	"first_msg = #a6e3a1|151|bright-green bold\n"
	"reply = #7f849c|244|bright-black italic\n"
	"emote = #cba6f7|183|magenta\n"
	"badge_broadcaster = #f38ba8|211|red bold\n"
	"badge_mod = #a6e3a1|151|green bold\n"
	"badge_vip = #f5c2e7|218|magenta bold\n"
	"badge_sub = #89b4fa|111|blue\n"
	"badge_staff = #f9e2af|222|yellow bold\n"
	"badge_other = #7f849c|244|bright-black\n"
	"title = #cdd6f4|189|white on #313244|236|black\n"
	"title_focus = #1e1e2e|234|black on #89b4fa|111|blue bold\n"
	"live = #f38ba8|211|bright-red bold\n"
	"border = #45475a|238|bright-black\n"
	"status = #cdd6f4|189|white on #313244|236|blue\n"
	"status_accent = #f9e2af|222|bright-yellow on #313244|236|blue bold\n"
	"hotlist = #cdd6f4|189|bright-white on #313244|236|blue\n"
	"hotlist_mention = #f38ba8|211|bright-red on #313244|236|blue bold\n"
	"input = default\n"
	"more_below = #1e1e2e|234|black on #f9e2af|222|yellow\n"
	"search_match = #1e1e2e|234|black on #a6e3a1|151|green\n"
	"selection = default reverse\n"
	"panel = default\n"
	"panel_header = #89b4fa|111|blue bold\n"
	"panel_title = #1e1e2e|234|black on #cba6f7|183|magenta bold\n"
	"panel_dim = #7f849c|244|bright-black\n"
	"panel_spark = #a6e3a1|151|green\n";

void
theme_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	theme_parse(t, theme_builtin, sizeof theme_builtin - 1, "built-in",
	    NULL, NULL);
}
