/*
 * ui-int.h: the front end's shared state, for ui/ files only. ui.c owns
 * the loop and the terminal; pane.c draws one channel; status.c the status
 * bar, titles and input row; input.c maps keys; command.c runs /commands.
 *
 * Nothing here includes curses: files that draw include "curses.h".
 */
#ifndef STITCH_UI_INT_H
#define STITCH_UI_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "apphelix.h"
#include "buf.h"
#include "chan.h"
#include "conf.h"
#include "editor.h"
#include "layout.h"
#include "panel.h"
#include "render.h"
#include "theme.h"

struct app;
struct replay;
struct replay_reader;
struct uihelix_ctx;

/* Which stored line, and which of its wrapped rows, a screen row shows. */
struct pane_rowref {
	uint64_t	 seq;		/* 0: none */
	int		 row;
};

/* One channel on screen. */
struct pane {
	struct chan	*chan;
	int		 joined;	/* 0: the welcome pane, no channel */
	struct layout_rect rect;	/* from layout_place(); w 0 = hidden */
	int		 dirty;		/* redraw even if the chan did not
					 * change (scrolled, resized) */
	uint64_t	 drawn;		/* chan_changed() when last drawn */
	uint64_t	 drawn_edit;	/* chan_edited() when last drawn */
	uint64_t	 drawn_end;	/* chan_end() when last drawn; 0 never */
	uint64_t	 bottom;	/* line at the bottom; 0 = follow */
	int		 skip;		/* its rows hidden below the pane */
	char		*search;	/* highlighted text, or NULL */
	FILE		*log;		/* chat log, or NULL */
	uint64_t	 logged;	/* lines up to here are logged */
	struct panel_feeds feeds;	/* where the side panel's lists come
					 * from (chat now, Helix later) */
	struct pane_rowref *rowrefs;	/* per content row, for clicks */
	int		 nrowrefs;
	/* Helix refreshes of the panel's feeds (uihelix.c). */
	uint64_t	 hx_next[PANEL_FEED_COUNT];	/* ms, not before */
	int		 hx_busy[PANEL_FEED_COUNT];
	int		 hx_told[PANEL_FEED_COUNT];	/* fallback said */
	int		 hx_probed;	/* 0 no, 1 asked or denied, 2 ok */
	int		 hx_mod;	/* the account may moderate here */
};

/*
 * Why a frame is wanted. What a person did (a key, a command, a resize) is
 * drawn at up to ~60 frames a second; chat arriving on its own is batched
 * into up to ~30: under a flood that halves the drawing, and 33 ms more is
 * not a delay anyone reading chat can see. Chat in panes not on screen
 * changes only the hotlist's counts and the clock only the status bar:
 * those wait up to 200 ms, so watching one channel of fifty does not
 * redraw at the pace of all fifty.
 */
#define UI_DRAW_QUIET	1
#define UI_DRAW_CHAT	2
#define UI_DRAW_NOW	3

/* An own message waiting for on_send. */
struct ui_pending {
	uint64_t	 id;
	char		 chan[32];
	uint64_t	 seq;
};

struct ui {
	uv_loop_t	*loop;
	struct conf	*conf;
	struct app	*app;		/* NULL when the session failed */
	struct theme	 theme;
	struct render_opts ropts;
	struct render_out rout;		/* scratch for drawing */
	struct chan_match match;
	struct editor	*ed;
	char		 self[32];	/* our login; "" if anonymous */
	int		 anonymous;

	struct pane	**panes;
	size_t		 npanes;
	struct panel	*panel;		/* the side panel (panel.c) */
	size_t		 cap;
	size_t		 focus;
	enum layout_mode mode;

	int		 cols, rows;	/* terminal size */
	int		 started;	/* curses is up */
	int		 need_draw;	/* 0 or a UI_DRAW_* */
	int		 relayout;	/* sizes changed: clear and place */
	uint64_t	 last_draw;	/* ms */
	uint64_t	 frames;
	int		 quit;
	uint64_t	 sigint_ms;	/* first Ctrl+C, for the second */

	char		 message[512];	/* the status bar's message */
	int		 message_meaning;
	uint64_t	 message_ms;
	int		 message_bg;	/* from the network, not a command */

	struct ui_pending *pending;
	size_t		 npending;
	size_t		 pcap;

	/* Colours: 0 none, 8, 16, 256, or 1 << 24 for direct colour. */
	int		 depth;
	int		 mouse;

	/* Handles on the loop. */
	uv_poll_t	 kbd;
	uv_prepare_t	 prepare;
	uv_timer_t	 draw_timer;
	uv_timer_t	 tick;
	uv_signal_t	 sigwinch, sigint, sigterm, sighup;

	/* Helix (uihelix.c): NULL without a login, hx_why says why. */
	struct apphelix	*hx;
	char		 hx_why[160];
	struct uihelix_ctx *hxctx;	/* requests out */
	char		 hx_card[32], hx_card_chan[32];	/* card asked */

	/* stitch replay FILE: read-only, fed from a recording. */
	int		 replay;
	double		 replay_speed;
	int		 replay_done;
	struct replay	*rp;
	struct replay_reader *rr;
	FILE		*rfp;
	char		 replay_file[1024];
	struct buf	 replay_line;	/* an event as its IRC line */
	char		 replay_scratch[8192];	/* twitch_decode's */

	char		 state_path[1024];	/* layout file */
	char		 log_dir[1024];
};

/* ui.c */
uint64_t	 ui_now(const struct ui *);
void		 ui_style(struct ui *, int meaning, int has_rgb, uint32_t rgb,
		    unsigned attrs);
/* A line in the focused pane (answers to commands). */
void		 ui_message(struct ui *, int meaning, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* The status bar's message (search results, Ctrl+C, connection news). */
void		 ui_status(struct ui *, int meaning, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 ui_dirty(struct ui *);
void		 ui_chat_dirty(struct ui *);
void		 ui_quiet_dirty(struct ui *);
/* Drawing a string into a row, clipped at a column (status.c). */
int		 ui_put(int y, int x, int limit, const char *s, size_t len);
int		 ui_puts(int y, int x, int limit, const char *s);
void		 ui_relayout(struct ui *);
struct pane	*ui_focused(struct ui *);
struct pane	*ui_find(struct ui *, const char *chan, size_t len);
int		 ui_join(struct ui *, const char *chan, char *err, size_t);
int		 ui_part(struct ui *, struct pane *);
void		 ui_focus(struct ui *, size_t i);
void		 ui_set_layout(struct ui *, enum layout_mode);
int		 ui_set_theme(struct ui *, const char *name, char *err, size_t);
void		 ui_send(struct ui *, struct pane *, const char *text,
		    int action);
void		 ui_info(struct ui *, struct pane *, int kind,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void		 ui_quit(struct ui *);
void		 ui_save_layout(struct ui *);
void		 ui_apply_conf(struct ui *);

/* A pane for channel name, with no connection behind it (replays). */
struct pane	*ui_open_pane(struct ui *, const char *name);

/* uireplay.c: 0, or -1 with err filled (no such file). */
int		 uireplay_open(struct ui *, const char *file, double speed,
		    int64_t max_gap_ms, char *err, size_t errsz);
/* Stop the replay (before the loop closes) and free what it read (after). */
void		 uireplay_close(struct ui *);
void		 uireplay_free(struct ui *);

/* pane.c */
struct pane	*pane_new(const char *name, size_t max_lines, int joined);
void		 pane_free(struct pane *);
void		 pane_draw(struct ui *, struct pane *, int focused);
int		 pane_needs_draw(const struct pane *);
void		 pane_scroll(struct ui *, struct pane *, int rows);
void		 pane_follow(struct pane *);
int		 pane_content_rows(const struct pane *);
int		 pane_search(struct ui *, struct pane *, const char *text);
size_t		 pane_more_below(const struct pane *);
/* The login of the nick drawn at screen (x, y) into buf; 1 if there is
 * one there. */
int		 pane_nick_at(struct ui *, struct pane *, int x, int y,
		    char *buf, size_t bufsz);

/* status.c */
void		 status_draw(struct ui *);
void		 status_draw_tabs(struct ui *);
void		 status_draw_input(struct ui *);
void		 status_draw_title(struct ui *, struct pane *, int focused);

/* input.c */
void		 input_read(struct ui *);
size_t		 input_complete(void *arg, enum editor_complete_kind,
		    const char *prefix, size_t plen, const char **out,
		    size_t max);

/* uihelix.c */
void		 uihelix_start(struct ui *);
void		 uihelix_stop(struct ui *);
void		 uihelix_tick(struct ui *);
/* A moderation command for p's channel; the answer comes to p. */
void		 uihelix_request(struct ui *, struct pane *, const char *cmd,
		    struct apphelix_req *);
/* /mods, /vips: the names from Helix into p. */
void		 uihelix_list_cmd(struct ui *, struct pane *, const char *cmd,
		    enum helix_kind);
/* Delete the line seq of p (0: login's newest one). */
void		 uihelix_delete(struct ui *, struct pane *, const char *login,
		    uint64_t seq);
/* A confirmed key on a card: 't' time out, 'b' ban, 'd' delete. */
void		 uihelix_card_action(struct ui *, int action,
		    const char *login);

/* command.c */
void		 command_run(struct ui *, const char *line);
size_t		 command_complete(const char *prefix, size_t plen,
		    const char **out, size_t max);

#endif
