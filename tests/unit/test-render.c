/*
 * test-render: stored lines as the text a person reads, with the right
 * meaning on each part, wrapped by display width.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "render.h"
#include "tap.h"
#include "text.h"
#include "theme.h"

#define SPAN(s)	((struct irc_span){ (s), sizeof(s) - 1 })

static struct chan		*chan;
static struct render_opts	 opts;
static struct render_out	 out;

static struct twitch_event
privmsg(const char *login, const char *text)
{
	struct twitch_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_PRIVMSG;
	ev.login.p = login;
	ev.login.len = strlen(login);
	ev.text.p = text;
	ev.text.len = strlen(text);
	ev.sent_ms = 1700000000000LL;	/* 22:13 UTC */
	return ev;
}

static const struct chan_line *
add(const struct twitch_event *ev, const struct chan_match *m)
{
	return chan_line(chan, chan_add_event(chan, ev, m, 1));
}

/* The meaning of the style at the first occurrence of what. */
static int
meaning_at(const char *what)
{
	const char	*p = strstr(out.text, what);

	if (p == NULL)
		return -1;
	return out.styles[out.style[p - out.text]].meaning;
}

static const struct render_style *
style_at(const char *what)
{
	const char	*p = strstr(out.text, what);

	return p ? &out.styles[out.style[p - out.text]] : NULL;
}

static void
test_message(void)
{
	struct twitch_event	 ev;
	const struct render_style *st;

	ev = privmsg("alice", "hello there");
	ev.display_name = SPAN("Alice");
	ev.has_color = 1;
	ev.color = 0xff0000;
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "22:13 Alice: hello there", "plain message");
	tap_is_int(meaning_at("22:13"), THEME_TIMESTAMP, "timestamp style");
	st = style_at("Alice");
	tap_ok(st != NULL && st->meaning == THEME_NICK && st->has_rgb,
	    "nick has its own colour");
	tap_ok(st != NULL && text_contrast(st->rgb, opts.bg) >= 4.5,
	    "nick colour readable on the background");
	tap_is_int(meaning_at("hello"), THEME_TEXT, "body style");

	ev = privmsg("xiaoming", "hi");
	ev.display_name = SPAN("\xe5\xb0\x8f\xe6\x98\x8e");
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "22:13 \xe5\xb0\x8f\xe6\x98\x8e (xiaoming): hi",
	    "non-ASCII display name shows the login");

	ev = privmsg("bob", "hi");
	ev.display_name = SPAN("BoB");
	ev.flags = TWITCH_F_MOD | TWITCH_F_FIRST_MSG;
	ev.nbadges = 1;
	ev.badges[0].name = SPAN("subscriber");
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "22:13 \xe2\x9a\x94\xe2\x98\x85 \xe2\x9c\x9a "
	    "first BoB: hi", "badges, first message, case-only name");
	tap_is_int(meaning_at("\xe2\x9a\x94"), THEME_BADGE_MOD, "mod badge");
	tap_is_int(meaning_at("first"), THEME_FIRST_MSG, "first-msg style");

	ev = privmsg("carol", "waves");
	ev.flags = TWITCH_F_ACTION;
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "22:13 * carol waves", "/me");
	st = style_at("waves");
	tap_ok(st != NULL && st->has_rgb && (st->attrs & THEME_ATTR_ITALIC),
	    "/me text in the nick colour, italic");

	ev = privmsg("dave", "Kappa 4Head");
	ev.nemotes = 1;
	ev.emotes[0].start = 0;
	ev.emotes[0].end = 5;
	ev.bits = 100;
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "22:13 dave: [100 bits] Kappa 4Head", "bits");
	tap_is_int(meaning_at("Kappa"), THEME_EMOTE, "emote style");
	tap_is_int(meaning_at("[100"), THEME_BITS, "bits style");
	tap_is_int(meaning_at("4Head"), THEME_TEXT, "after the emote");
}

static void
test_reply_notice(void)
{
	struct twitch_event	 ev;
	struct render_row	 rows[8];
	size_t			 n;
	char			 row[128];

	ev = privmsg("erin", "yes");
	ev.flags = TWITCH_F_REPLY;
	ev.reply_display_name = SPAN("Carol");
	ev.reply_body = SPAN("what?");
	render_line(add(&ev, NULL), &opts, &out);
	n = render_wrap(&out, 80, rows, 8);
	tap_is_int((long long)n, 2, "reply takes two rows");
	snprintf(row, sizeof row, "%.*s", (int)(rows[0].end - rows[0].start),
	    out.text + rows[0].start);
	tap_is_str(row, "\xe2\x86\xb3 Carol: what?", "parent above");
	snprintf(row, sizeof row, "%.*s", (int)(rows[1].end - rows[1].start),
	    out.text + rows[1].start);
	tap_is_str(row, "22:13 erin: yes", "then the reply");
	tap_is_int(rows[1].col, 0, "reply row not indented");
	tap_is_int(meaning_at("Carol"), THEME_REPLY, "parent style");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_USERNOTICE;
	ev.login = SPAN("frank");
	ev.msg_id = SPAN("resub");
	ev.system_msg = SPAN("frank subscribed for 5 months!");
	ev.text = SPAN("love it");
	ev.sent_ms = 1700000000000LL;
	render_line(add(&ev, NULL), &opts, &out);
	n = render_wrap(&out, 80, rows, 8);
	tap_is_int((long long)n, 2, "sub with a message: two rows");
	tap_is_int(meaning_at("subscribed"), THEME_USERNOTICE, "sub style");
	tap_is_int(rows[1].col, out.indent, "the user's words indented");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_USERNOTICE;
	ev.login = SPAN("gina");
	ev.msg_id = SPAN("raid");
	ev.system_msg = SPAN("50 raiders from gina have joined!");
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_int(meaning_at("raiders"), THEME_RAID, "raid style");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_USERNOTICE;
	ev.login = SPAN("mod1");
	ev.msg_id = SPAN("announcement");
	ev.text = SPAN("stream starts soon");
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_int(meaning_at("stream starts"), THEME_ANNOUNCEMENT,
	    "announcement style");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARCHAT;
	render_line(add(&ev, NULL), &opts, &out);
	tap_ok(strstr(out.text, "chat was cleared") != NULL &&
	    strstr(out.text, "older lines are kept") != NULL,
	    "chat clear shown, not executed");
	tap_is_int(meaning_at("chat was"), THEME_MODERATION, "its style");
}

static void
test_moderated(void)
{
	struct twitch_event	 ev;
	const struct chan_line	*l;
	uint64_t		 seq;

	ev = privmsg("spammer", "buy followers");
	ev.id = SPAN("abc");
	seq = chan_add_event(chan, &ev, NULL, 1);
	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARMSG;
	ev.target_msg_id = SPAN("abc");
	chan_add_event(chan, &ev, NULL, 1);
	render_line(chan_line(chan, seq), &opts, &out);
	tap_is_str(out.text, "22:13 spammer: buy followers (deleted)",
	    "deleted line keeps its text, marked");
	tap_is_int(meaning_at("buy"), THEME_DELETED, "deleted style");
	tap_is_int(meaning_at("spammer"), THEME_DELETED, "nick muted too");
	tap_is_int((long long)render_wrap(&out, 80, NULL, 0), 1,
	    "the mark stays on the line's row");

	ev = privmsg("troll", "bad words");
	seq = chan_add_event(chan, &ev, NULL, 1);
	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARCHAT;
	ev.target = SPAN("troll");
	ev.ban_duration = 30;
	ev.sent_ms = 1700000000000LL;
	l = chan_line(chan, chan_add_event(chan, &ev, NULL, 1));
	render_line(chan_line(chan, seq), &opts, &out);
	tap_is_int(meaning_at("bad words"), THEME_DIMMED, "timed-out: dimmed");
	render_line(l, &opts, &out);
	tap_is_str(out.text, "22:13 -!- troll was timed out for 30s",
	    "timeout notice");
}

static void
test_mention_search(void)
{
	struct twitch_event	 ev;
	const char		*words[] = { "pizza" };
	struct chan_match	 m = { "me", words, 1 };

	opts.match = &m;
	ev = privmsg("h", "hey @me want pizza?");
	render_line(add(&ev, &m), &opts, &out);
	tap_is_int(meaning_at("hey"), THEME_MENTION, "mention line style");
	tap_is_int(meaning_at("me want"), THEME_HIGHLIGHT, "login highlighted");
	tap_is_int(meaning_at("pizza"), THEME_HIGHLIGHT, "word highlighted");
	opts.match = NULL;
	opts.search = "WANT";
	render_line(chan_line(chan, chan_end(chan) - 1), &opts, &out);
	tap_is_int(meaning_at("want"), THEME_SEARCH_MATCH, "search match");
	opts.search = NULL;

	chan_add_text(chan, CHAN_K_MSG, CHAN_F_OWN | CHAN_F_PENDING, "me",
	    "my line", 7, 0, 1700000000);
	render_line(chan_line(chan, chan_end(chan) - 1), &opts, &out);
	tap_is_str(out.text, "22:13 me: my line (sending\xe2\x80\xa6)",
	    "own pending line");
	tap_is_int(meaning_at("me:"), THEME_OWN_NICK, "own nick style");
	chan_set_flags(chan, chan_end(chan) - 1, CHAN_F_FAILED, CHAN_F_PENDING);
	render_line(chan_line(chan, chan_end(chan) - 1), &opts, &out);
	tap_is_str(out.text, "22:13 me: my line (not sent)", "failed line");
	tap_is_int(meaning_at("(not sent)"), THEME_ERROR, "failure style");
}

static void
test_wrap(void)
{
	struct twitch_event	 ev;
	struct render_row	 rows[32];
	size_t			 n, i;
	int			 ok = 1, w;

	/* 20 CJK characters (40 columns) at width 20. */
	ev = privmsg("w", "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97"
	    "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2"
	    "\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97"
	    "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2"
	    "\xe5\xad\x97");
	render_line(add(&ev, NULL), &opts, &out);
	n = render_wrap(&out, 20, rows, 32);
	tap_ok(n >= 3, "wide text wraps (%zu rows)", n);
	for (i = 0; i < n && i < 32; i++) {
		w = text_width(out.text + rows[i].start,
		    rows[i].end - rows[i].start);
		ok &= rows[i].col + w <= 20;
		if (i > 0)
			ok &= rows[i].col == out.indent;
	}
	tap_ok(ok, "every row fits 20 columns, continuation indented by %d",
	    out.indent);
	tap_is_int((long long)render_height(chan_line(chan, chan_end(chan) - 1),
	    &opts, &out, 20), (long long)n, "render_height agrees");
	tap_is_int((long long)render_wrap(&out, 200, NULL, 0), 1,
	    "one row when wide enough");

	ev = privmsg("x", "\x1b[31mred\x1b[0m \x1b]52;c;AAAA\x07");
	ev.display_name = SPAN("\x1b[2Jx");
	render_line(add(&ev, NULL), &opts, &out);
	tap_ok(memchr(out.text, 0x1b, out.len) == NULL &&
	    memchr(out.text, 0x07, out.len) == NULL,
	    "no ESC or BEL in rendered text");

	opts.timefmt = NULL;
	ev = privmsg("a", "x");
	render_line(add(&ev, NULL), &opts, &out);
	tap_is_str(out.text, "a: x", "timestamps off");
	opts.timefmt = "%H:%M";
	tap_is_int(render_set_badge(&opts, "moderator", "M"), 0, "set badge");
	tap_is_int(render_set_badge(&opts, "nope", "M"), -1, "unknown badge");
}

int
main(void)
{
	struct theme	t;

	setlocale(LC_ALL, "C.UTF-8");
	theme_default(&t);
	chan = chan_new("test", 1000);
	memset(&opts, 0, sizeof opts);
	render_default_badges(&opts);
	opts.timefmt = "%H:%M";
	opts.utc = 1;
	opts.bg = t.background;
	opts.min_contrast = 4.5;
	render_out_init(&out);
	test_message();
	test_reply_notice();
	test_moderated();
	test_mention_search();
	test_wrap();
	render_out_free(&out);
	chan_free(chan);
	return tap_done();
}
