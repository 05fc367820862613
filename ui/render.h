/*
 * render.h: a stored chat line (struct chan_line) turned into styled text
 * and wrapped rows. Pure (no curses): the text is the line as a person
 * reads it ("12:34 ★ Alice (alice): hi"), with one style index per byte;
 * styles name a theme meaning and, for nicks, a colour. ui.c only walks the
 * rows and sets attributes when the style changes.
 *
 * A line can have two paragraphs: a reply shows "↳ Parent: text" above the
 * message, a USERNOTICE the system message above what the user wrote.
 */
#ifndef STITCH_RENDER_H
#define STITCH_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "chan.h"
#include "text.h"

#define RENDER_MAX_STYLES	32

struct render_style {
	int		 meaning;	/* enum theme_meaning */
	int		 has_rgb;	/* rgb overrides the meaning's fg */
	uint32_t	 rgb;
	unsigned	 attrs;		/* THEME_ATTR_* added on top */
};

struct render_opts {
	const char	*timefmt;	/* strftime; NULL or "" for none */
	int		 utc;		/* timestamps in UTC (tests) */
	/* Badge glyphs, indexed by bit number of CHAN_B_*; NULL or "" hides
	 * one. render_default_badges() fills the defaults. */
	const char	*badges[CHAN_B_COUNT];
	const struct chan_match *match;	/* words to highlight in lines */
	const char	*search;	/* highlight matches; NULL none */
	uint32_t	 bg;		/* nick colours keep contrast with it */
	double		 min_contrast;	/* e.g. 4.5; 0 leaves colours alone */
};

/* Output of render_line(); reuse one across calls (it keeps its buffers). */
struct render_out {
	char		*text;		/* sanitized, NUL-terminated */
	uint8_t		*style;		/* style index per byte of text */
	size_t		 len;
	size_t		 cap;
	struct render_style styles[RENDER_MAX_STYLES];
	int		 nstyles;
	size_t		 para;		/* start of the second paragraph, or
					 * len when there is one */
	int		 indent;	/* continuation indent, in columns */
	int		 para_indent;	/* 1: indent the second paragraph's
					 * first row too (a sub's message) */
	/* Caches: a flood shares seconds and nick colours, and localtime
	 * and colour adjusting are most of the cost of a line. */
	uint32_t	 ts_time;
	const char	*ts_fmt;
	int		 ts_utc;
	char		 ts_buf[64];
	size_t		 ts_len;
	uint32_t	 nick_key[64];	/* rgb | 1 << 24 when valid */
	uint32_t	 nick_val[64];
	uint32_t	 nick_bg;
	double		 nick_contrast;
};

struct render_row {
	size_t		 start;		/* bytes [start, end) of text */
	size_t		 end;
	int		 col;		/* the column the row starts at */
};

void	render_out_init(struct render_out *);
void	render_out_free(struct render_out *);

/* The default glyphs (◉ broadcaster, ⚔ moderator, ◆ vip, ★ subscriber, ...)
 * into o->badges; then conf's badge.NAME = GLYPH may override them. */
void	render_default_badges(struct render_opts *o);
/* Set the glyph for the badge called name ("moderator"); -1 if unknown. */
int	render_set_badge(struct render_opts *o, const char *name,
	    const char *glyph);

/* Format l into out. */
void	render_line(const struct chan_line *l, const struct render_opts *o,
	    struct render_out *out);

/*
 * Wrap out to width columns. Fills rows[0..max-1] and returns the number of
 * rows the line needs (may exceed max; rows may be NULL with max 0).
 */
size_t	render_wrap(const struct render_out *out, int width,
	    struct render_row *rows, size_t max);

/* How many rows l takes at width (render_line + render_wrap). */
size_t	render_height(const struct chan_line *l, const struct render_opts *o,
	    struct render_out *scratch, int width);

#endif
