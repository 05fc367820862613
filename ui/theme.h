/*
 * theme.h: themes map meanings (a mention, a deleted line, the status bar)
 * to colours, the way htop does: nothing that draws text names a colour.
 * Pure (no curses): a theme is parsed into styles that carry a truecolor
 * value and its 256- and 16-colour fallbacks; ui/ picks the one the
 * terminal can show.
 *
 * File format (themes/NAME.theme, $XDG_CONFIG_HOME/stitch/themes/NAME.theme):
 *
 *	# comment
 *	background = #1e1e2e
 *	mention    = #1e1e2e on #f9e2af bold
 *	timestamp  = #6c7086|243|bright-black
 *
 * A colour is "#rrggbb", a 256-colour index, a name (black red green yellow
 * blue magenta cyan white, bright-NAME) or "default"; "A|B|C" gives the
 * truecolor, 256-colour and 16-colour forms explicitly, otherwise the
 * missing ones are derived from the first. Attributes: bold dim italic
 * underline reverse.
 */
#ifndef STITCH_THEME_H
#define STITCH_THEME_H

#include <stddef.h>
#include <stdint.h>

enum theme_meaning {
	THEME_TEXT = 0,		/* chat text */
	THEME_TIMESTAMP,
	THEME_NICK,		/* a nick with no colour of its own */
	THEME_OWN_NICK,		/* the user's own nick */
	THEME_ACTION,		/* /me text (nick colour applies on top) */
	THEME_MENTION,		/* a line that mentions the user */
	THEME_HIGHLIGHT,	/* a highlight word inside a line */
	THEME_NOTICE,		/* server notices, joins, mode changes */
	THEME_ERROR,		/* failures: send refused, login failed */
	THEME_DELETED,		/* a line removed by CLEARMSG */
	THEME_DIMMED,		/* lines of a timed-out or banned user */
	THEME_MODERATION,	/* "x was timed out for 10m" */
	THEME_USERNOTICE,	/* subs, gifts */
	THEME_RAID,
	THEME_ANNOUNCEMENT,
	THEME_BITS,
	THEME_FIRST_MSG,
	THEME_REPLY,		/* the "replying to" line */
	THEME_EMOTE,
	THEME_BADGE_BROADCASTER,
	THEME_BADGE_MOD,
	THEME_BADGE_VIP,
	THEME_BADGE_SUB,
	THEME_BADGE_STAFF,
	THEME_BADGE_OTHER,
	THEME_TITLE,		/* a pane's title row */
	THEME_TITLE_FOCUS,	/* the focused pane's title row */
	THEME_LIVE,		/* "LIVE" in a title */
	THEME_BORDER,
	THEME_STATUS,		/* the status bar */
	THEME_STATUS_ACCENT,	/* emphasis inside it: modes, shard state */
	THEME_HOTLIST,		/* a channel with unread lines */
	THEME_HOTLIST_MENTION,	/* a channel with unread mentions */
	THEME_INPUT,
	THEME_MORE_BELOW,	/* "-- 42 more below --" */
	THEME_SEARCH_MATCH,
	THEME_SELECTION,
	THEME_PANEL,		/* side panels */
	THEME_PANEL_HEADER,	/* a group heading inside a panel */
	THEME_PANEL_TITLE,	/* a panel's title row */
	THEME_PANEL_DIM,	/* labels, "needs Helix", empty buckets */
	THEME_PANEL_SPARK,	/* the messages-per-minute sparkline */
	THEME_MEANING_COUNT
};

#define THEME_ATTR_BOLD		0x01
#define THEME_ATTR_DIM		0x02
#define THEME_ATTR_ITALIC	0x04
#define THEME_ATTR_UNDERLINE	0x08
#define THEME_ATTR_REVERSE	0x10

/* One colour in three depths; is_default means the terminal's own. */
struct theme_color {
	int		 is_default;
	uint32_t	 rgb;		/* 0xRRGGBB */
	int		 c256;		/* 0..255 */
	int		 c16;		/* 0..15 */
};

struct theme_style {
	struct theme_color fg;
	struct theme_color bg;
	unsigned	 attrs;		/* THEME_ATTR_* */
};

struct theme {
	char		 name[64];
	uint32_t	 background;	/* what nick colours must contrast with */
	int		 dark;		/* background is dark */
	struct theme_style style[THEME_MEANING_COUNT];
};

/* Called once per bad line: "FILE:LINE: what is wrong"; the rest loads. */
typedef void (*theme_error_fn)(void *arg, const char *message);

/* The built-in dark theme, complete, so stitch draws even with no files. */
void		 theme_default(struct theme *);

/* Parse theme text over *t (start from theme_default() so an incomplete
 * theme inherits). filename is only for messages. Returns the number of
 * bad lines (0 = clean). */
int		 theme_parse(struct theme *t, const char *text, size_t len,
		    const char *filename, theme_error_fn, void *arg);

/* Read and parse a file; -1 if it cannot be read (reported through fn). */
int		 theme_load(struct theme *t, const char *path, theme_error_fn,
		    void *arg);

/*
 * Find NAME.theme: $XDG_CONFIG_HOME/stitch/themes (or ~/.config/...), then
 * $STITCH_THEMES_DIR, then the installed data directory. Returns 0 with the
 * path in buf, or -1. NAME may not contain '/'.
 */
int		 theme_find(const char *name, char *buf, size_t bufsz);

/* "mention" -> THEME_MENTION, or -1. */
int		 theme_meaning_lookup(const char *name);
const char	*theme_meaning_name(enum theme_meaning);	/* borrowed */

/* Nearest xterm 256-colour index and nearest of the 16 ANSI colours. */
int		 theme_rgb_to_256(uint32_t rgb);
int		 theme_rgb_to_16(uint32_t rgb);

#endif
