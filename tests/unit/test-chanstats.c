/*
 * test-chanstats: the panels' counters on a fake clock: lines per minute
 * and the hour's ring rolling over, unique chatters over 5 minutes,
 * membership (JOIN, PART, NAMES), groups and their sort order, the filter,
 * eviction past the cap, hostile names, and the feed from chan.c.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "chanstats.h"
#include "tap.h"

#define T0	1700000040u	/* a minute boundary: 1700000040 % 60 == 0 */
#define SPAN(s)	((struct irc_span){ (s), sizeof(s) - 1 })

static void
say(struct chanstats *s, const char *login, unsigned badges, uint32_t now)
{
	chanstats_message(s, login, strlen(login), NULL, 0, badges, now);
}

static void
test_rates(void)
{
	struct chanstats	*s = chanstats_new("alice", 100);
	uint32_t		 m[CHANSTATS_MINUTES];
	uint64_t		 sum;
	int			 i;

	tap_is_int(chanstats_rate(s, T0), 0, "no lines: rate 0");
	for (i = 0; i < 30; i++)
		say(s, "bob", 0, T0 + (uint32_t)i);	/* one a second */
	tap_is_int(chanstats_rate(s, T0 + 29), 30, "30 lines in 30 s: 30/min");
	tap_is_int(chanstats_rate(s, T0 + 59), 30, "still 30 at 59 s");
	tap_is_int(chanstats_rate(s, T0 + 75), 14,
	    "at 75 s the first 16 seconds left the minute");
	tap_is_int(chanstats_rate(s, T0 + 200), 0, "quiet for 2 minutes: 0");
	tap_is_int((long long)chanstats_total(s), 30, "30 lines in total");

	sum = chanstats_minutes(s, T0 + 59, m);
	tap_is_int(m[CHANSTATS_MINUTES - 1], 30, "the current minute holds 30");
	tap_is_int(m[CHANSTATS_MINUTES - 2], 0, "the minute before holds 0");
	tap_is_int((long long)sum, 30, "the hour sums to 30");

	/* Ten lines a minute for 70 minutes: the ring rolls over the hour. */
	for (i = 0; i < 70 * 10; i++)
		say(s, "carol", 0, T0 + 120 + (uint32_t)(i * 6));
	sum = chanstats_minutes(s, T0 + 120 + 70 * 60 - 1, m);
	tap_is_int((long long)sum, 600, "after 70 minutes only the last 60 "
	    "count: 600");
	for (i = 0; i < CHANSTATS_MINUTES && m[i] == 10; i++)
		;
	tap_is_int(i, CHANSTATS_MINUTES, "every minute of the hour holds 10");
	sum = chanstats_minutes(s, T0 + 120 + 70 * 60 + 30 * 60, m);
	tap_is_int(m[0], 10, "half an hour later the oldest minute still "
	    "shows the flood's last half hour");
	tap_is_int(m[CHANSTATS_MINUTES - 1], 0, "and the newest is empty");
	tap_is_int((long long)sum, 300 - 10, "29 minutes of it remain");
	sum = chanstats_minutes(s, T0 + 120 + 70 * 60 + 61 * 60, m);
	tap_is_int((long long)sum, 0, "an hour of silence empties the ring");

	/* A clock that goes back counts as the latest time. */
	say(s, "dave", 0, T0 + 100000);
	say(s, "dave", 0, T0 + 50);
	tap_is_int(chanstats_rate(s, T0 + 100000), 2,
	    "a line stamped in the past counts now");
	chanstats_free(s);
}

static void
test_unique(void)
{
	struct chanstats	*s = chanstats_new("alice", 100);
	int			 i;

	say(s, "bob", 0, T0);
	say(s, "bob", 0, T0 + 1);
	say(s, "bob", 0, T0 + 2);
	tap_is_int((long long)chanstats_unique(s, T0 + 2), 1,
	    "one chatter three times is one");
	say(s, "carol", 0, T0 + 100);
	tap_is_int((long long)chanstats_unique(s, T0 + 100), 2,
	    "a second chatter: two");
	tap_is_int((long long)chanstats_unique(s, T0 + 301), 2,
	    "299 s after bob's last line he still counts");
	tap_is_int((long long)chanstats_unique(s, T0 + 302), 1,
	    "300 s after it he no longer does");
	say(s, "bob", 0, T0 + 303);
	tap_is_int((long long)chanstats_unique(s, T0 + 303), 2,
	    "bob back: two");
	tap_is_int((long long)chanstats_unique(s, T0 + 399), 2,
	    "carol's line is 299 s old: still two");
	tap_is_int((long long)chanstats_unique(s, T0 + 400), 1,
	    "300 s after it: one");
	tap_is_int((long long)chanstats_unique(s, T0 + 10000), 0,
	    "long silence: none");

	/* Many people, many lines: each counts once. */
	for (i = 0; i < 2000; i++) {
		char login[16];

		snprintf(login, sizeof login, "u%d", i % 50);
		say(s, login, 0, T0 + 20000 + (uint32_t)(i / 10));
	}
	tap_is_int((long long)chanstats_unique(s, T0 + 20199), 50,
	    "2000 lines from 50 people in 200 s: 50 unique");
	tap_is_int((long long)chanstats_unique(s, T0 + 20000 + 199 + 300), 0,
	    "and none 5 minutes after the last");
	chanstats_free(s);
}

static void
test_membership(void)
{
	struct chanstats		*s = chanstats_new("alice", 100);
	const struct chanstats_chatter	*c;
	const char			 names[] = "  erin frank  Grace bad-nick ";

	chanstats_join(s, "bob", 3, T0);
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL), 1,
	    "a JOIN adds a chatter");
	chanstats_names(s, names, sizeof names - 1, T0 + 1);
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL), 4,
	    "NAMES adds the valid logins (a bad one is dropped)");
	tap_ok(chanstats_find(s, "grace", 5) != NULL &&
	    chanstats_find(s, "GRACE", 5) != NULL, "logins are case-folded");
	tap_ok(chanstats_find(s, "bad-nick", 8) == NULL,
	    "a login with a '-' is not a login");
	chanstats_part(s, "bob", 3, T0 + 5);
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL), 3,
	    "a PART takes them out of the list");
	c = chanstats_find(s, "bob", 3);
	tap_ok(c != NULL && !c->present && c->last_seen == T0 + 5,
	    "but they are remembered, with when they left");
	say(s, "bob", 0, T0 + 10);
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL), 4,
	    "speaking brings them back");
	c = chanstats_find(s, "bob", 3);
	tap_ok(c != NULL && c->first_seen == T0 && c->messages == 1 &&
	    c->last_msg == T0 + 10, "first seen at the JOIN, one line, "
	    "last line at 10 s");
	chanstats_mark(s, "Helixmod", 8, "HelixMod", 8, CHAN_B_MOD, T0 + 11);
	c = chanstats_find(s, "helixmod", 8);
	tap_ok(c != NULL && c->present && c->group == CHANSTATS_G_MOD &&
	    c->messages == 0 && strcmp(c->name, "HelixMod") == 0 &&
	    chanstats_total(s) == 1, "a REST result marks a moderator "
	    "present, with no line counted");
	chanstats_mark(s, "bob", 3, NULL, 0, CHAN_B_VIP, T0 + 11);
	c = chanstats_find(s, "bob", 3);
	tap_ok(c != NULL && c->group == CHANSTATS_G_VIP && c->messages == 1,
	    "and adds badges to someone seen in chat");
	chanstats_join(s, "alice", 5, T0 + 11);
	c = chanstats_find(s, "alice", 5);
	tap_ok(c != NULL && c->group == CHANSTATS_G_BROADCASTER,
	    "the channel's owner is the broadcaster before speaking");
	chanstats_free(s);
}

static void
test_groups_sort_filter(void)
{
	struct chanstats		*s = chanstats_new("alice", 100);
	const struct chanstats_chatter	*out[32];
	const char			*want[] = { "alice", "carol", "zed",
					    "dave", "bea", "sub2", "abe",
					    "xavier" };
	char				 got[256], exp[256];
	size_t				 n, i;

	say(s, "xavier", 0, T0);
	say(s, "zed", CHAN_B_MOD, T0);
	say(s, "sub2", CHAN_B_FOUNDER, T0);
	say(s, "abe", 0, T0);
	say(s, "dave", CHAN_B_VIP | CHAN_B_SUB, T0);
	say(s, "carol", CHAN_B_MOD | CHAN_B_SUB, T0);
	say(s, "bea", CHAN_B_SUB, T0);
	say(s, "alice", CHAN_B_BROADCASTER | CHAN_B_SUB, T0);
	n = chanstats_list(s, CHANSTATS_GM_ALL, NULL, out, 32);
	got[0] = exp[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(got, out[i]->login, sizeof got - strlen(got) - 2);
		strncat(got, " ", sizeof got - strlen(got) - 1);
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		strncat(exp, want[i], sizeof exp - strlen(exp) - 2);
		strncat(exp, " ", sizeof exp - strlen(exp) - 1);
	}
	tap_is_str(got, exp, "sorted broadcaster, mods, VIPs, subs, others; "
	    "alphabetical inside");
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM(CHANSTATS_G_MOD)),
	    2, "two moderators");
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM(CHANSTATS_G_SUB)),
	    2, "two subscribers (a founder counts)");
	n = chanstats_list(s, CHANSTATS_GM(CHANSTATS_G_MOD), NULL, out, 32);
	tap_ok(n == 2 && strcmp(out[0]->login, "carol") == 0 &&
	    strcmp(out[1]->login, "zed") == 0, "the moderators list");

	{
		uint64_t v = chanstats_version(s), c = chanstats_changed(s);

		say(s, "xavier", 0, T0 + 1);
		tap_ok(chanstats_version(s) == v && chanstats_changed(s) != c,
		    "a line from someone listed changes the stats, not the "
		    "list");
		say(s, "newcomer", 0, T0 + 1);
		tap_ok(chanstats_version(s) != v, "someone new changes the "
		    "list");
		chanstats_part(s, "newcomer", 8, T0 + 1);
	}

	/* A mod who loses the badge moves group. */
	say(s, "zed", 0, T0 + 1);
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM(CHANSTATS_G_MOD)),
	    1, "unmodded: one moderator left");
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL), 8,
	    "and still eight chatters");

	n = chanstats_list(s, CHANSTATS_GM_ALL, "B", out, 32);
	tap_ok(n == 3 && strcmp(out[0]->login, "bea") == 0 &&
	    strcmp(out[1]->login, "sub2") == 0 &&
	    strcmp(out[2]->login, "abe") == 0,
	    "filter 'B' (any case): bea sub2 abe, still sorted");
	chanstats_message(s, "xavier", 6, "\xe3\x82\xb6\xe3\x83\x93\xe3\x82\xa8"
	    "\xe3\x83\xab", 12, 0, T0 + 2);
	n = chanstats_list(s, CHANSTATS_GM_ALL, "\xe3\x82\xb6\xe3\x83\x93", out,
	    32);
	tap_ok(n == 1 && strcmp(out[0]->login, "xavier") == 0,
	    "the filter matches display names too");
	n = chanstats_list(s, CHANSTATS_GM_ALL, "nobody", out, 32);
	tap_is_int((long long)n, 0, "a filter matching nothing: empty");
	chanstats_free(s);
}

static void
test_hostile_and_cap(void)
{
	struct chanstats		*s = chanstats_new("alice", 64);
	const struct chanstats_chatter	*c;
	const char			 evil[] = "Ev\033[41mil\007\x9b";
	char				 login[16];
	int				 i;

	chanstats_message(s, "evil", 4, evil, sizeof evil - 1, 0, T0);
	c = chanstats_find(s, "evil", 4);
	tap_ok(c != NULL && strchr(c->name, '\033') == NULL &&
	    strchr(c->name, '\007') == NULL, "a display name with escapes is "
	    "stored sanitized");
	tap_ok(c != NULL && strstr(c->name, "\xe2\x90\x9b") != NULL,
	    "its ESC shows as a visible symbol");
	chanstats_message(s, "long", 4, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 68, 0, T0);
	c = chanstats_find(s, "long", 4);
	tap_ok(c != NULL && strlen(c->name) <= CHANSTATS_NAME_MAX &&
	    strlen(c->name) % 4 == 0, "a long name is cut on a character");
	say(s, "waytoolongloginnamethatisover25", 0, T0);
	tap_ok(chanstats_find(s, "waytoolongloginnamethatisover25", 31) ==
	    NULL && chanstats_total(s) == 3, "an over-long login is not a "
	    "chatter, but its line counts");

	/* Past the cap the least recently seen half goes. */
	for (i = 0; i < 200; i++) {
		snprintf(login, sizeof login, "user%03d", i);
		say(s, login, 0, T0 + 10 + (uint32_t)i);
	}
	tap_ok(chanstats_known(s) <= 64, "never more than the cap (%zu)",
	    chanstats_known(s));
	tap_ok(chanstats_find(s, "user199", 7) != NULL &&
	    chanstats_find(s, "user000", 7) == NULL,
	    "the newest are kept, the oldest forgotten");
	tap_is_int((long long)chanstats_count(s, CHANSTATS_GM_ALL),
	    (long long)chanstats_known(s), "counts follow the eviction");
	tap_is_int((long long)chanstats_unique(s, T0 + 209),
	    (long long)chanstats_known(s), "and so does the unique count");
	chanstats_free(s);
	chanstats_free(NULL);
}

static void
test_from_chan(void)
{
	struct chan			*ch = chan_new("alice", 100);
	struct twitch_event		 ev;
	struct twitch_badge		 b;
	const struct chanstats_chatter	*c;
	uint64_t			 before;

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_PRIVMSG;
	ev.channel = SPAN("alice");
	ev.login = SPAN("carol");
	ev.display_name = SPAN("Carol");
	ev.text = SPAN("hello");
	ev.sent_ms = 1000;		/* a bogus sender clock */
	b.name = SPAN("moderator");
	b.version = SPAN("1");
	ev.badges[0] = b;
	ev.nbadges = 1;
	chan_add_event(ch, &ev, NULL, T0);
	c = chanstats_find(chan_stats(ch), "carol", 5);
	tap_ok(c != NULL && c->group == CHANSTATS_G_MOD &&
	    strcmp(c->name, "Carol") == 0, "a PRIVMSG counts its sender, "
	    "badges and name");
	tap_is_int(chanstats_rate(chan_stats(ch), T0), 1,
	    "at the time it arrived, not the sender's clock");

	memset(&ev, 0, sizeof ev);
	ev.kind = TWITCH_JOIN;
	ev.channel = SPAN("alice");
	ev.login = SPAN("justinfan12345");
	chan_add_event(ch, &ev, NULL, T0);
	tap_ok(chanstats_find(chan_stats(ch), "justinfan12345", 14) == NULL,
	    "an anonymous reader's JOIN is not a chatter");
	ev.login = SPAN("dave");
	before = chan_changed(ch);
	chan_add_event(ch, &ev, NULL, T0);
	tap_ok(chanstats_find(chan_stats(ch), "dave", 4) != NULL,
	    "a JOIN is");
	tap_ok(chan_changed(ch) == before, "membership does not redraw panes");
	ev.kind = TWITCH_NAMES;
	ev.list = SPAN("erin justinfan99 frank");
	chan_add_event(ch, &ev, NULL, T0);
	tap_is_int((long long)chanstats_count(chan_stats(ch),
	    CHANSTATS_GM_ALL), 4, "NAMES: carol dave erin frank");
	ev.kind = TWITCH_PART;
	ev.login = SPAN("dave");
	chan_add_event(ch, &ev, NULL, T0);
	tap_is_int((long long)chanstats_count(chan_stats(ch),
	    CHANSTATS_GM_ALL), 3, "PART: three");
	chan_add_text(ch, CHAN_K_MSG, CHAN_F_OWN, "alice", "hi", 2, 0, T0);
	c = chanstats_find(chan_stats(ch), "alice", 5);
	tap_ok(c != NULL && c->messages == 1 &&
	    c->group == CHANSTATS_G_BROADCASTER, "our own line counts too");
	chan_free(ch);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_rates();
	test_unique();
	test_membership();
	test_groups_sort_filter();
	test_hostile_and_cap();
	test_from_chan();
	return tap_done();
}
