/*
 * panel.h: the side panel at the right of the layout: the chatters, the
 * moderators, the channel's stats, or one user's card. It follows the
 * focused pane; the panes reflow when it opens, closes or the terminal is
 * resized (ui.c asks panel_width() before placing them).
 *
 * Every list says where it comes from. Today that is what chat shows
 * ("seen in chat", "seen through badges"), from chanstats.h. The Helix
 * layer plugs in without touching the drawing: it sets a pane's feed with
 * panel_feed_set() (source "Helix"; LOADING while a request runs, ERROR
 * with a message a person can act on, both drawn in place of the list),
 * puts what it learnt into the channel's chanstats with chanstats_mark()
 * (chatters, moderators, VIPs), and panel_channel_set() for the stats
 * (live, title, viewers, followers; "needs Helix" until then).
 */
#ifndef STITCH_PANEL_H
#define STITCH_PANEL_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct ui;
struct pane;

enum panel_kind {
	PANEL_NONE = 0,
	PANEL_CHATTERS,
	PANEL_MODS,
	PANEL_STATS,
	PANEL_USER,		/* one user's card */
	PANEL_KIND_COUNT
};

enum panel_feed_state {
	PANEL_FEED_READY = 0,
	PANEL_FEED_LOADING,	/* a request is on its way */
	PANEL_FEED_ERROR,	/* error says why, and what to do */
};

/* Where one of a channel's lists comes from. */
struct panel_feed {
	char			 source[32];	/* "" = from chat */
	enum panel_feed_state	 state;
	char			 error[256];	/* sanitized */
};

enum panel_feed_id {
	PANEL_FEED_CHATTERS = 0,
	PANEL_FEED_MODS,
	PANEL_FEED_CHANNEL,	/* live, title, viewers, followers */
	PANEL_FEED_COUNT
};

/* What only the REST layer knows about a channel; known 0 until it says. */
struct panel_channel {
	int		 known;
	int		 live;
	char		 title[256];	/* sanitized */
	long		 viewers;
	long		 followers;
	char		 game[128];	/* sanitized; "" unknown */
	int64_t		 started_at;	/* epoch s; -1 offline or unknown */
};

/* One pane's feeds (held in struct pane). */
struct panel_feeds {
	struct panel_feed	 feed[PANEL_FEED_COUNT];
	struct panel_channel	 channel;
};

void		 panel_feeds_init(struct panel_feeds *);
/* Set a feed's source and state; error (any bytes, sanitized here) is kept
 * for PANEL_FEED_ERROR. source NULL goes back to what chat shows. */
void		 panel_feed_set(struct panel_feeds *, enum panel_feed_id,
		    const char *source, enum panel_feed_state,
		    const char *error);

/* What the REST layer learnt about the channel; title is any bytes
 * (sanitized here, cut to fit). */
void		 panel_channel_set(struct panel_feeds *, int live,
		    const char *title, long viewers, long followers);

/* The game and the stream's start (for the uptime), after
 * panel_channel_set(); game is any bytes (sanitized here). */
void		 panel_channel_more(struct panel_feeds *, const char *game,
		    int64_t started_at);

/*
 * The user card's part from the REST layer, for login's card (ignored if
 * another card is open by then): the account's creation date and the
 * follow date (-1: unknown, or does not follow), or why the follow date
 * is not known (note, any bytes; NULL none). LOADING and ERROR as for
 * feeds.
 */
void		 panel_card_set(struct ui *, const char *login,
		    enum panel_feed_state, const char *error,
		    int64_t created_at, int64_t followed_at, const char *note);
/* The login of the open card, or NULL. Borrowed. */
const char	*panel_card_user(const struct ui *);
/* The line selected on a moderator's card (the newest until Up moves it),
 * as drawn last; 0 if none. */
uint64_t	 panel_card_line_seq(const struct ui *);
/* The account may moderate here: the card shows and takes t (time out),
 * b (ban) and d (delete the newest line), each confirmed with y. */
void		 panel_card_mod(struct ui *, int can);

/* The panel itself, one per UI. */
struct panel	*panel_new(void);
void		 panel_free(struct panel *);		/* NULL ok */

/* Open kind (arg: a filter for lists, a login for PANEL_USER), with the
 * keyboard for lists. 0, or -1 with a reason in err. */
int		 panel_open(struct ui *, enum panel_kind, const char *arg,
		    char *err, size_t errsz);
/* A key's way: open kind; the keyboard to it if open but not focused;
 * closed if it was open and focused. */
void		 panel_toggle(struct ui *, enum panel_kind);
void		 panel_close(struct ui *);
enum panel_kind	 panel_kind(const struct ui *);
/* The keyboard goes to the panel (typing filters the list). */
int		 panel_focused(const struct ui *);

/* Columns the panel takes at this terminal width (0: closed, or no room;
 * it comes back when the terminal is wider). */
int		 panel_width(const struct ui *, int cols);
void		 panel_place(struct ui *, struct layout_rect);
void		 panel_dirty(struct ui *);
int		 panel_needs_draw(struct ui *);
void		 panel_draw(struct ui *);
/* With the keyboard on the panel, put the cursor on its filter line. */
void		 panel_cursor(struct ui *);

/* A key (is_code: a curses KEY_* code); 1 if the panel took it. */
int		 panel_key(struct ui *, int is_code, uint32_t key);
/* A mouse event at (x, y): wheel 0 a click, > 0 up, < 0 down. 1 if it
 * landed on the panel. */
int		 panel_mouse(struct ui *, int x, int y, int wheel);

#endif
