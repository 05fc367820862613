/*
 * test-chan: the channel store: sanitizing, compact lines, the ring bound,
 * deletions, timeouts, chat clears, mentions, search, modes, chatters.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chan.h"
#include "tap.h"
#include "text.h"

#define SPAN(s)	((struct irc_span){ (s), sizeof(s) - 1 })

static struct twitch_event
privmsg(const char *login, const char *text)
{
	struct twitch_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_PRIVMSG;
	ev.channel = SPAN("chan");
	ev.login.p = login;
	ev.login.len = strlen(login);
	ev.text.p = text;
	ev.text.len = strlen(text);
	return ev;
}

static int
body_is(const struct chan *c, uint64_t seq, const char *want, const char *what)
{
	const struct chan_line	*l = chan_line(c, seq);
	const char		*s;
	size_t			 len;

	if (l == NULL)
		return tap_ok(0, "%s (no line %llu)", what,
		    (unsigned long long)seq);
	s = chan_line_body(l, &len);
	return tap_is_mem(s, len, want, what);
}

static void
test_basic(void)
{
	struct chan			*c = chan_new("chan", 100);
	struct twitch_event		 ev;
	const struct chan_line		*l;
	const char			*s;
	size_t				 len;
	uint64_t			 seq;
	char				 id[80];

	ev = privmsg("alice", "hello world");
	ev.display_name = SPAN("Alice");
	ev.id = SPAN("b34ccfc7-4977-403a-8a94-33c6bac34fb8");
	ev.has_color = 1;
	ev.color = 0x1e90ff;
	ev.sent_ms = 1700000000123LL;
	seq = chan_add_event(c, &ev, NULL, 5);
	tap_is_int((long long)seq, 1, "first line is sequence 1");
	l = chan_line(c, seq);
	tap_ok(l != NULL, "line held");
	body_is(c, seq, "hello world", "body stored");
	s = chan_line_login(l, &len);
	tap_is_mem(s, len, "alice", "login stored");
	s = chan_line_name(l, &len);
	tap_is_mem(s, len, "Alice", "display name stored");
	tap_is_int(l->time, 1700000000, "time from tmi-sent-ts");
	tap_is_int(l->color, 0x1e90ff, "colour from the tag");
	tap_ok(l->flags & CHAN_F_UUID, "uuid packed in binary");
	chan_line_id(l, id, sizeof id);
	tap_is_str(id, "b34ccfc7-4977-403a-8a94-33c6bac34fb8", "id unpacked");
	tap_ok(chan_line_size(l) <= sizeof *l + 5 + 5 + 16 + 11,
	    "compact: %zu bytes for an 11-byte message", chan_line_size(l));
	tap_is_int((long long)chan_bytes(c), (long long)chan_line_size(l),
	    "bytes counted");
	tap_is_int((long long)chan_unread(c), 1, "one unread");

	ev = privmsg("bob", "no colour");
	ev.display_name = SPAN("bob");
	seq = chan_add_event(c, &ev, NULL, 7);
	l = chan_line(c, seq);
	s = chan_line_name(l, &len);
	tap_is_mem(s, len, "bob", "same display name stored once");
	tap_is_int(l->name_len, 0, "no copy of the name");
	tap_is_int(l->color, text_nick_color_hash("bob"), "hashed colour");
	tap_is_int(l->time, 7, "time defaults to now");
	chan_mark_read(c);
	tap_is_int((long long)chan_unread(c), 0, "marked read");
	chan_free(c);
}

static void
test_sanitize(void)
{
	struct chan		*c = chan_new("chan", 10);
	struct twitch_event	 ev;
	const struct chan_line	*l;
	const char		*s;
	size_t			 len, i;
	uint64_t		 seq;
	int			 esc = 0;

	ev = privmsg("evil", "\x1b[2J\x1b]0;pwn\x07 line\r\nPRIVMSG");
	ev.display_name = SPAN("Ev\x1b[31mil");
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	s = chan_line_body(l, &len);
	for (i = 0; i < len; i++)
		esc |= s[i] == 0x1b || s[i] == '\r' || s[i] == '\n' ||
		    s[i] == 0x07;
	s = chan_line_name(l, &len);
	for (i = 0; i < len; i++)
		esc |= s[i] == 0x1b;
	tap_ok(!esc, "no control bytes stored from body or name");
	body_is(c, seq, "\xe2\x90\x9b[2J\xe2\x90\x9b]0;pwn\xe2\x90\x87 line"
	    "\xe2\x90\x8d\xe2\x90\x8aPRIVMSG", "controls become pictures");
	ev = privmsg("x\x1b" "y", "hi");
	seq = chan_add_event(c, &ev, NULL, 1);
	s = chan_line_login(chan_line(c, seq), &len);
	tap_is_mem(s, len, "xy", "login keeps only login characters");
	chan_free(c);
}

static void
test_ring(void)
{
	struct chan		*c = chan_new("chan", 3);
	struct twitch_event	 ev;
	char			 text[32];
	int			 i;

	for (i = 1; i <= 5; i++) {
		snprintf(text, sizeof text, "line %d", i);
		ev = privmsg("u", text);
		chan_add_event(c, &ev, NULL, 1);
	}
	tap_is_int((long long)chan_first(c), 3, "oldest dropped");
	tap_is_int((long long)chan_end(c), 6, "end after five");
	tap_is_int((long long)chan_nlines(c), 3, "bounded to three");
	tap_ok(chan_line(c, 2) == NULL, "dropped line gone");
	body_is(c, 3, "line 3", "oldest held");
	body_is(c, 5, "line 5", "newest held");
	chan_set_max(c, 2);
	tap_is_int((long long)chan_nlines(c), 2, "shrunk to two");
	body_is(c, 5, "line 5", "newest kept when shrinking");
	chan_set_max(c, 10);
	ev = privmsg("u", "line 6");
	chan_add_event(c, &ev, NULL, 1);
	body_is(c, 4, "line 4", "grown ring keeps lines");
	body_is(c, 6, "line 6", "and takes new ones");
	chan_clear(c);
	tap_is_int((long long)chan_nlines(c), 0, "cleared");
	tap_is_int((long long)chan_bytes(c), 0, "no bytes after clear");
	tap_is_int((long long)chan_end(c), 7, "sequences go on");
	chan_free(c);
}

/* Every held line is the right one, in order: seq n says "n". */
static int
ring_intact(const struct chan *c)
{
	uint64_t	 seq;
	char		 want[32];
	const char	*b;
	size_t		 len;

	for (seq = chan_first(c); seq < chan_end(c); seq++) {
		if (chan_line(c, seq) == NULL)
			return 0;
		snprintf(want, sizeof want, "%llu", (unsigned long long)seq);
		b = chan_line_body(chan_line(c, seq), &len);
		if (len != strlen(want) || memcmp(b, want, len) != 0)
			return 0;
	}
	return 1;
}

static void
ring_fill(struct chan *c, int n)
{
	struct twitch_event	 ev;
	char			 text[32];
	int			 i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%llu",
		    (unsigned long long)chan_end(c));
		ev = privmsg("u", text);
		chan_add_event(c, &ev, NULL, 1);
	}
}

/* The ring starts small and grows to its maximum as lines come; growing,
 * wrapping and changing the maximum keep every line in its place. */
static void
test_ring_growth(void)
{
	struct chan	*c = chan_new("chan", 1000);
	int		 ok = 1, n;

	for (n = 0; n < 1500; n++) {
		ring_fill(c, 1);
		if (chan_nlines(c) != (size_t)(n < 1000 ? n + 1 : 1000) ||
		    !ring_intact(c))
			ok = 0;
	}
	tap_ok(ok, "growing from empty to 1000 and wrapping: every line "
	    "held in order");
	tap_is_int((long long)chan_first(c), 501, "the oldest 500 dropped");
	chan_set_max(c, 130);
	tap_ok(chan_nlines(c) == 130 && chan_first(c) == 1371 &&
	    ring_intact(c), "shrunk to 130: the newest 130 kept");
	ring_fill(c, 200);
	tap_ok(chan_nlines(c) == 130 && ring_intact(c), "a ring of 130 "
	    "wraps");
	chan_set_max(c, 5000);
	ring_fill(c, 3000);
	tap_ok(chan_nlines(c) == 3130 && ring_intact(c), "raised to 5000: "
	    "it grows again past the old lines");
	chan_clear(c);
	chan_set_max(c, 10);
	ring_fill(c, 25);
	tap_ok(chan_nlines(c) == 10 && chan_first(c) == 4716 &&
	    ring_intact(c), "cleared, lowered to 10, refilled");
	chan_free(c);

	c = chan_new("one", 1);
	ring_fill(c, 3);
	tap_ok(chan_nlines(c) == 1 && chan_first(c) == 3 && ring_intact(c),
	    "a ring of one holds the newest line");
	chan_free(c);
}

static void
test_moderation(void)
{
	struct chan		*c = chan_new("chan", 100);
	struct twitch_event	 ev;
	const struct chan_line	*l;
	uint64_t		 a1, b1, a2, seq;

	ev = privmsg("alice", "spam");
	ev.id = SPAN("11111111-2222-3333-4444-555555555555");
	a1 = chan_add_event(c, &ev, NULL, 1);
	ev = privmsg("bob", "fine");
	ev.id = SPAN("not-a-uuid");
	b1 = chan_add_event(c, &ev, NULL, 1);
	ev = privmsg("alice", "more spam");
	a2 = chan_add_event(c, &ev, NULL, 1);

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARMSG;
	ev.target_msg_id = SPAN("not-a-uuid");
	tap_is_int((long long)chan_add_event(c, &ev, NULL, 1), 0,
	    "CLEARMSG adds no line");
	tap_ok(chan_line(c, b1)->flags & CHAN_F_DELETED, "non-uuid id deleted");
	ev.target_msg_id = SPAN("11111111-2222-3333-4444-555555555555");
	chan_add_event(c, &ev, NULL, 1);
	tap_ok(chan_line(c, a1)->flags & CHAN_F_DELETED, "uuid id deleted");
	tap_ok(!(chan_line(c, a2)->flags & CHAN_F_DELETED), "others kept");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARCHAT;
	ev.target = SPAN("alice");
	ev.ban_duration = 600;
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	tap_ok(l != NULL && l->kind == CHAN_K_MODERATION, "timeout notice");
	body_is(c, seq, "alice was timed out for 10m", "timeout text");
	tap_ok(chan_line(c, a1)->flags & CHAN_F_DIMMED, "her first line dimmed");
	tap_ok(chan_line(c, a2)->flags & CHAN_F_DIMMED, "her second too");
	tap_ok(!(chan_line(c, b1)->flags & CHAN_F_DIMMED), "bob not dimmed");
	ev.target = SPAN("bob");
	ev.ban_duration = 0;
	seq = chan_add_event(c, &ev, NULL, 1);
	body_is(c, seq, "bob was banned", "ban text");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_CLEARCHAT;
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	tap_ok(l != NULL && l->kind == CHAN_K_CLEAR, "chat clear is a line");
	tap_is_int((long long)chan_nlines(c), 6, "nothing deleted by a clear");
	chan_free(c);
}

static void
test_mentions(void)
{
	struct chan		*c = chan_new("chan", 100);
	struct twitch_event	 ev;
	const char		*words[] = { "pizza" };
	struct chan_match	 m = { "me_too", words, 1 };
	uint64_t		 seq;

	ev = privmsg("a", "hey @Me_Too look");
	seq = chan_add_event(c, &ev, &m, 1);
	tap_ok(chan_line(c, seq)->flags & CHAN_F_MENTION, "@login mentions");
	ev = privmsg("a", "me_tooth is not me");
	seq = chan_add_event(c, &ev, &m, 1);
	tap_ok(!(chan_line(c, seq)->flags & CHAN_F_MENTION),
	    "a longer word is no mention");
	ev = privmsg("a", "PIZZA!");
	seq = chan_add_event(c, &ev, &m, 1);
	tap_ok(chan_line(c, seq)->flags & CHAN_F_MENTION, "highlight word");
	tap_is_int((long long)chan_mentions(c), 2, "two mentions counted");
	tap_is_int((long long)chan_unread(c), 3, "three unread");
	chan_free(c);
}

static void
test_kinds(void)
{
	struct chan		*c = chan_new("chan", 100);
	struct twitch_event	 ev;
	const struct chan_line	*l;
	const char		*s;
	size_t			 len, st, en;
	uint64_t		 seq;

	ev = privmsg("a", "waves");
	ev.flags = TWITCH_F_ACTION | TWITCH_F_FIRST_MSG | TWITCH_F_MOD;
	ev.nbadges = 1;
	ev.badges[0].name = SPAN("subscriber");
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	tap_ok((l->flags & (CHAN_F_ACTION | CHAN_F_FIRST)) ==
	    (CHAN_F_ACTION | CHAN_F_FIRST), "action and first message");
	tap_is_int(l->badges, CHAN_B_MOD | CHAN_B_SUB, "badges");

	ev = privmsg("b", "Kappa yes Kappa");
	ev.nemotes = 2;
	ev.emotes[0].start = 0;
	ev.emotes[0].end = 5;
	ev.emotes[1].start = 10;
	ev.emotes[1].end = 15;
	ev.bits = 100;
	ev.flags = TWITCH_F_REPLY;
	ev.reply_display_name = SPAN("Carol");
	ev.reply_body = SPAN("what?");
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	tap_is_int(l->nemotes, 2, "two emotes");
	{
		const char	*em[4];

		tap_ok(chan_emotes_complete(c, "ka", 2, em, 4) == 1 &&
		    strcmp(em[0], "Kappa") == 0, "emote names kept for Tab");
	}
	chan_line_emote(l, 1, &st, &en);
	tap_ok(st == 10 && en == 15, "emote range kept");
	tap_is_int(chan_line_bits(l), 100, "bits kept");
	s = chan_line_extra(l, &len);
	tap_is_mem(s, len, "Carol: what?", "reply parent");
	body_is(c, seq, "Kappa yes Kappa", "body after the tail fields");

	ev = privmsg("c", "\x1bKappa");
	ev.nemotes = 1;
	ev.emotes[0].start = 1;
	ev.emotes[0].end = 6;
	seq = chan_add_event(c, &ev, NULL, 1);
	tap_is_int(chan_line(c, seq)->nemotes, 0,
	    "emote ranges dropped when sanitizing moved bytes");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_USERNOTICE;
	ev.login = SPAN("raider");
	ev.msg_id = SPAN("raid");
	ev.system_msg = SPAN("5 raiders from Raider have joined!");
	seq = chan_add_event(c, &ev, NULL, 1);
	l = chan_line(c, seq);
	tap_ok(l->kind == CHAN_K_USERNOTICE && l->sub == CHAN_UN_RAID, "raid");
	s = chan_line_extra(l, &len);
	tap_is_mem(s, len, "5 raiders from Raider have joined!", "system msg");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_ROOMSTATE;
	ev.room.present = TWITCH_ROOM_SLOW | TWITCH_ROOM_SUBS_ONLY;
	ev.room.slow = 30;
	ev.room.subs_only = 1;
	tap_is_int((long long)chan_add_event(c, &ev, NULL, 1), 0,
	    "ROOMSTATE adds no line");
	ev.room.present = TWITCH_ROOM_FOLLOWERS;
	ev.room.followers = 10;
	chan_add_event(c, &ev, NULL, 1);
	{
		char	buf[80];

		chan_room_string(c, buf, sizeof buf);
		tap_is_str(buf, "slow 30s subs followers 10m",
		    "partial ROOMSTATE merged");
	}
	chan_free(c);
}

static void
test_search_chatters(void)
{
	struct chan		*c = chan_new("chan", 100);
	struct twitch_event	 ev;
	const char		*out[8];
	char			 login[32];
	size_t			 n;
	uint64_t		 s1, s2;
	int			 i, ok;

	ev = privmsg("alice", "the Needle here");
	s1 = chan_add_event(c, &ev, NULL, 1);
	ev = privmsg("albert", "nothing");
	chan_add_event(c, &ev, NULL, 1);
	ev = privmsg("bob", "another needle");
	s2 = chan_add_event(c, &ev, NULL, 1);
	tap_is_int((long long)chan_search(c, chan_end(c), -1, "NEEDLE"),
	    (long long)s2, "search backwards finds newest");
	tap_is_int((long long)chan_search(c, s2 - 1, -1, "needle"),
	    (long long)s1, "then the older one");
	tap_is_int((long long)chan_search(c, s1 - 1, -1, "needle"), 0,
	    "then none");
	tap_is_int((long long)chan_search(c, 1, 1, "ALBERT"), 2,
	    "names are searched");

	n = chan_chatters_complete(c, "Al", 2, out, 8);
	tap_is_int((long long)n, 2, "two chatters start with al");
	tap_ok(n == 2 && strcmp(out[0], "albert") == 0, "newest first");
	for (i = 0; i < 2000; i++) {
		snprintf(login, sizeof login, "user%d", i);
		chan_chatter_seen(c, login, strlen(login));
	}
	tap_ok(chan_nchatters(c) <= 1024, "chatters bounded (%zu)",
	    chan_nchatters(c));
	n = chan_chatters_complete(c, "user1999", 8, out, 8);
	tap_ok(n == 1, "recent chatter kept");
	n = chan_chatters_complete(c, "alice", 5, out, 8);
	tap_is_int((long long)n, 0, "old chatter forgotten");
	chan_free(c);

	/* A set grows from a few names to hundreds: each stays findable,
	 * and a name seen again is not counted twice. */
	c = chan_new("grow", 10);
	for (i = 0; i < 500; i++) {
		snprintf(login, sizeof login, "n%03d", i);
		chan_chatter_seen(c, login, strlen(login));
		chan_chatter_seen(c, "again", 5);
	}
	ok = chan_nchatters(c) == 501;
	for (i = 0; i < 500 && ok; i++) {
		snprintf(login, sizeof login, "N%03d", i);
		ok = chan_chatters_complete(c, login, 4, out, 8) == 1 &&
		    strcasecmp(out[0], login) == 0;
	}
	tap_ok(ok, "500 chatters seen one by one: each found, none twice");
	chan_free(c);
}

/* Bytes per stored line for a realistic message, printed for the report. */
static void
test_size(void)
{
	struct chan		*c = chan_new("chan", 1000);
	struct twitch_event	 ev;
	int			 i;

	for (i = 0; i < 1000; i++) {
		ev = privmsg("someviewer42", "this is a typical chat line LUL");
		ev.display_name = SPAN("SomeViewer42");
		ev.id = SPAN("b34ccfc7-4977-403a-8a94-33c6bac34fb8");
		ev.nbadges = 1;
		ev.badges[0].name = SPAN("subscriber");
		chan_add_event(c, &ev, NULL, 1);
	}
	tap_diag("bytes per stored line (31-byte message, 12-char name): %zu "
	    "+ %zu ring pointer + malloc overhead", chan_bytes(c) / 1000,
	    sizeof(void *));
	tap_ok(chan_bytes(c) / 1000 < 120, "a typical line under 120 bytes");
	chan_free(c);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_basic();
	test_sanitize();
	test_ring();
	test_ring_growth();
	test_moderation();
	test_mentions();
	test_kinds();
	test_search_chatters();
	test_size();
	return tap_done();
}
