/*
 * test-panel: the side panel drawn into a curses screen that goes nowhere
 * (newterm on /dev/null), read back row by row. Covers what the tmux tests
 * cannot reach yet: the states the Helix layer will set (a source label,
 * loading, an error, the channel's live/title/viewers/followers) and that
 * what it hands in is drawn harmless; plus the width rules.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "chanstats.h"
#include "curses.h"
#include "panel.h"
#include "tap.h"
#include "ui-int.h"

static struct ui	 t_ui;
static struct pane	*t_pane;
static uv_loop_t	 t_loop;

/* The panel's rows as UTF-8 text, joined by newlines. */
static const char *
screen(void)
{
	static char	out[8192];
	wchar_t		row[256];
	char		mb[1024];
	size_t		n = 0, len;
	int		y;

	out[0] = '\0';
	for (y = 0; y < LINES && n + 1 < sizeof out; y++) {
		if (mvinnwstr(y, 64, row, 200) == ERR)
			continue;
		len = wcstombs(mb, row, sizeof mb - 1);
		if (len == (size_t)-1)
			len = 0;
		mb[len] = '\0';
		n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", mb);
	}
	return out;
}

static int
shows(const char *text, const char *what)
{
	const char	*s = screen();
	int		 ok = strstr(s, text) != NULL;

	if (!tap_ok(ok, "%s", what))
		tap_diag("no \"%s\" in the panel:\n%s", text, s);
	return ok;
}

static void
draw(void)
{
	struct layout_rect	r = { 64, 0, 36, 28 };

	panel_place(&t_ui, r);
	erase();
	panel_draw(&t_ui);
}

static void
setup(void)
{
	static const char *const terms[] = { "xterm-256color", "xterm",
	    "vt100" };
	FILE	*out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	size_t	 i;

	/* Any terminal type does: only the screen in memory is read. */
	for (i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (out != NULL && in != NULL &&
		    newterm(terms[i], out, in) != NULL)
			break;
	if (i == sizeof terms / sizeof terms[0])
		abort();
	resizeterm(30, 100);
	uv_loop_init(&t_loop);
	memset(&t_ui, 0, sizeof t_ui);
	t_ui.loop = &t_loop;
	t_ui.cols = 100;
	t_ui.rows = 30;
	theme_default(&t_ui.theme);
	render_default_badges(&t_ui.ropts);
	render_out_init(&t_ui.rout);
	t_ui.panel = panel_new();
	t_pane = pane_new("alice", 100, 1);
	t_ui.panes = &t_pane;
	t_ui.npanes = 1;
}

static void
test_feeds(void)
{
	struct chanstats	*cs = chan_stats(t_pane->chan);
	char			 err[128];

	chanstats_message(cs, "carol", 5, "Carol", 5, CHAN_B_MOD, 1700000000);
	tap_is_int(panel_open(&t_ui, PANEL_CHATTERS, NULL, err, sizeof err), 0,
	    "the chatters panel opens");
	draw();
	shows("seen in chat", "from chat, it says so");
	shows("⚔ Carol", "and lists the moderator seen");

	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHATTERS, "Helix",
	    PANEL_FEED_LOADING, NULL);
	draw();
	shows("Helix", "a feed's source replaces the label");
	shows("loading...", "a loading feed says so instead of the list");

	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHATTERS, "Helix",
	    PANEL_FEED_ERROR, "needs the moderator:read:chatters scope\033[2J");
	draw();
	shows("needs the moderator:read:chatters", "an error is shown, "
	    "wrapped to the panel");
	shows("\xe2\x90\x9b[2J", "with its escape made visible");

	chanstats_mark(cs, "helixmod", 8, "HelixMod", 8, CHAN_B_MOD,
	    1700000001);
	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHATTERS, "Helix",
	    PANEL_FEED_READY, NULL);
	draw();
	shows("⚔ HelixMod", "a ready feed lists what the REST layer marked");
	shows("2 chatters", "counted with the rest");
	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHATTERS, NULL,
	    PANEL_FEED_READY, NULL);
	draw();
	shows("seen in chat", "a NULL source goes back to chat's label");
}

static void
test_channel(void)
{
	char	err[128];

	panel_open(&t_ui, PANEL_STATS, NULL, err, sizeof err);
	draw();
	shows("live: needs Helix", "stats wait for the REST layer");
	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHANNEL, "Helix",
	    PANEL_FEED_LOADING, NULL);
	draw();
	shows("viewers: loading...", "then say they are loading");
	panel_channel_set(&t_pane->feeds, 1, "Speedrun \033]0;pwned\007 day",
	    1234, 56789);
	panel_feed_set(&t_pane->feeds, PANEL_FEED_CHANNEL, "Helix",
	    PANEL_FEED_READY, NULL);
	draw();
	shows("live: yes", "live");
	shows("viewers: 1234", "viewers");
	shows("followers: 56789", "followers");
	shows("title: Speedrun \xe2\x90\x9b]0;pwned\xe2\x90\x87 day",
	    "a title with escapes is shown harmless");
}

static void
test_width(void)
{
	char	err[128];

	panel_open(&t_ui, PANEL_CHATTERS, NULL, err, sizeof err);
	tap_is_int(panel_width(&t_ui, 120), 36, "120 columns: a 36-wide panel");
	tap_is_int(panel_width(&t_ui, 200), 40, "never wider than 40");
	tap_is_int(panel_width(&t_ui, 70), 24, "never narrower than 24");
	tap_is_int(panel_width(&t_ui, 44), 0, "no room beside a 20-column "
	    "pane: hidden");
	panel_close(&t_ui);
	tap_is_int(panel_width(&t_ui, 120), 0, "closed: no width");
	tap_is_int(panel_open(&t_ui, PANEL_USER, "bad name", err, sizeof err),
	    -1, "a card for a bad login is refused");
	tap_ok(strstr(err, "login") != NULL, "saying why (%s)", err);
	tap_is_int(panel_open(&t_ui, PANEL_USER, "@Carol", err, sizeof err),
	    0, "\"@Carol\" is carol");
	draw();
	shows("badges: moderator", "her card");
}

static void
test_keys_and_scroll(void)
{
	struct chanstats	*cs = chan_stats(t_pane->chan);
	char			 login[32], err[128];
	int			 i;

	for (i = 0; i < 60; i++) {
		snprintf(login, sizeof login, "viewer%02d", i);
		chanstats_join(cs, login, strlen(login), 1700000002);
	}
	panel_open(&t_ui, PANEL_CHATTERS, NULL, err, sizeof err);
	tap_ok(panel_focused(&t_ui), "a list opened takes the keyboard");
	draw();
	shows("62 chatters", "60 more joined");
	for (i = 0; i < 50; i++)
		panel_key(&t_ui, 1, KEY_DOWN);
	draw();
	shows("viewer47", "50 rows down the selection is in view");
	tap_ok(strstr(screen(), "viewer00") == NULL, "the top scrolled away");
	panel_key(&t_ui, 0, '4');
	panel_key(&t_ui, 0, '2');
	draw();
	shows("filter: 42", "typed keys land on the filter line");
	shows("1 of 62 chatters match", "and filter");
	shows("viewer42", "to the one that matches");
	panel_key(&t_ui, 1, KEY_BACKSPACE);
	draw();
	shows("filter: 4 ", "Backspace takes one character back");
	tap_is_int(panel_key(&t_ui, 0, 27), 1, "Esc is the panel's");
	tap_is_int(panel_key(&t_ui, 0, 27), 1, "a second Esc too");
	tap_ok(!panel_focused(&t_ui), "the first cleared the filter, the "
	    "second gave the keyboard back");
	tap_is_int(panel_key(&t_ui, 0, 'x'), 0, "then keys go to the input "
	    "line");
	tap_is_int(panel_key(&t_ui, 1, KEY_F(5)), 0, "function keys are never "
	    "the panel's");
}

static void
test_spark(void)
{
	struct chanstats	*cs = chan_stats(t_pane->chan);
	char			 err[128];
	uint32_t		 now = (uint32_t)time(NULL);
	int			 i;

	for (i = 0; i < 40; i++)
		chanstats_message(cs, "carol", 5, NULL, 0, CHAN_B_MOD, now);
	panel_open(&t_ui, PANEL_STATS, NULL, err, sizeof err);
	draw();
	shows("1h, 2 min/bar", "at 36 columns the hour takes 2 minutes a bar");
	shows("\xe2\x96\x81\xe2\x96\x81\xe2\x96\x88 ", "the bars end with "
	    "this minute's, full");
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	setup();
	test_feeds();
	test_channel();
	test_width();
	test_keys_and_scroll();
	test_spark();
	endwin();
	panel_free(t_ui.panel);
	pane_free(t_pane);
	render_out_free(&t_ui.rout);
	uv_loop_close(&t_loop);
	return tap_done();
}
