/*
 * test-helix.c: the Helix decoders on replies shaped like Twitch's
 * (the files in tests/data/helix, taken from the API reference's examples),
 * paging cursors and totals, error replies turned into sentences, and
 * hostile JSON: wrong types, missing fields, huge numbers, escapes and
 * control characters in strings. No sockets.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helix.h"
#include "http.h"
#include "tap.h"

static char	*fixture_dir;

/* The whole fixture file, NUL-terminated; *len its size. */
static char *
fixture(const char *name, size_t *len)
{
	char	 path[4096], *buf;
	FILE	*fp;
	long	 n;

	snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
	if ((fp = fopen(path, "rb")) == NULL) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static int
decode(enum helix_kind kind, const char *name, struct helix_page *p)
{
	char	*body, err[256];
	size_t	 len;
	int	 rc;

	body = fixture(name, &len);
	rc = helix_decode(kind, body, len, p, err, sizeof err);
	if (rc != 0)
		tap_diag("%s: %s", name, err);
	free(body);
	return rc;
}

static void
test_users(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_USERS, "users.json", &p) == 0, "users: decodes");
	tap_is_int((long long)p.n, 1, "users: one user");
	tap_is_str(p.u.users[0].id, "141981764", "users: id");
	tap_is_str(p.u.users[0].login, "twitchdev", "users: login");
	tap_is_str(p.u.users[0].display_name, "TwitchDev",
	    "users: display name");
	tap_is_str(p.u.users[0].type, "", "users: empty type stays empty");
	tap_is_str(p.u.users[0].broadcaster_type, "partner",
	    "users: broadcaster type");
	tap_is_int(p.u.users[0].created_at, 1481747548,
	    "users: created_at 2016-12-14T20:32:28Z in epoch seconds");
	tap_ok(p.cursor == NULL, "users: no pagination, no cursor");
	tap_is_int(p.total, -1, "users: no total");
	helix_page_free(&p);
	tap_ok(p.u.v == NULL && p.n == 0, "page_free: the page is empty again");
	helix_page_free(NULL);
	tap_ok(1, "page_free(NULL) does nothing");
}

static void
test_streams(void)
{
	struct helix_page	p;
	struct helix_stream	*s;

	tap_ok(decode(HELIX_STREAMS, "streams.json", &p) == 0,
	    "streams: decodes");
	s = &p.u.streams[0];
	tap_is_str(s->user_login, "afro", "streams: user login");
	tap_is_str(s->game_name, "Grand Theft Auto V", "streams: game");
	tap_is_int(s->viewer_count, 1490, "streams: viewers");
	tap_is_int(s->started_at, 1615346291, "streams: started_at");
	tap_is_int(s->is_mature, 0, "streams: is_mature false");
	tap_ok(p.cursor != NULL && strncmp(p.cursor, "eyJiIjp7", 8) == 0,
	    "streams: the cursor is kept as Twitch sent it");
	helix_page_free(&p);

	tap_ok(decode(HELIX_STREAMS, "streams-offline.json", &p) == 0 &&
	    p.n == 0 && p.cursor == NULL, "streams: offline is an empty "
	    "page, pagination {} is no cursor");
	helix_page_free(&p);
}

static void
test_channels(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_CHANNELS, "channels.json", &p) == 0 && p.n == 1,
	    "channels: decodes");
	tap_is_str(p.u.channels[0].game_name, "Science & Technology",
	    "channels: game");
	tap_is_str(p.u.channels[0].broadcaster_language, "en",
	    "channels: language");
	tap_is_int(p.u.channels[0].delay, 0, "channels: delay 0 is 0, not "
	    "absent");
	helix_page_free(&p);
}

static void
test_paging(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_CHATTERS, "chatters-page1.json", &p) == 0,
	    "chatters: decodes");
	tap_is_int((long long)p.n, 2, "chatters: two on this page");
	tap_is_str(p.cursor, "eyJiIjpudWxsLCJhIjp7Ik9mZnNldCI6NX19",
	    "chatters: the next page's cursor");
	tap_is_int(p.total, 8, "chatters: total");
	tap_is_str(p.u.chatters[1].user_login, "ünicode",
	    "chatters: UTF-8 login kept");
	tap_is_str(p.u.chatters[1].user_name, "ユニコード",
	    "chatters: UTF-8 display name kept");
	helix_page_free(&p);

	tap_ok(decode(HELIX_CHATTERS, "chatters-last.json", &p) == 0 &&
	    p.n == 1 && p.cursor == NULL && p.total == 8,
	    "chatters: the last page has no cursor, still a total");
	helix_page_free(&p);

	tap_ok(decode(HELIX_MODERATORS, "moderators.json", &p) == 0 &&
	    p.n == 2 && p.cursor != NULL, "moderators: two and a cursor");
	tap_is_str(p.u.chatters[1].user_name, "ModTwo", "moderators: name");
	helix_page_free(&p);

	tap_ok(decode(HELIX_VIPS, "vips.json", &p) == 0 && p.n == 1 &&
	    p.cursor == NULL, "vips: one, no cursor");
	tap_is_str(p.u.chatters[0].user_login, "userloginname", "vips: login");
	helix_page_free(&p);
}

static void
test_follows(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_FOLLOWERS, "followers.json", &p) == 0 && p.n == 1,
	    "followers: decodes");
	tap_is_int(p.total, 8, "followers: total before data is found");
	tap_is_str(p.u.follows[0].user_login, "userloginname",
	    "followers: login");
	tap_is_int(p.u.follows[0].followed_at, 1653430928,
	    "followers: followed_at");
	helix_page_free(&p);

	tap_ok(decode(HELIX_FOLLOWERS, "followers-total.json", &p) == 0 &&
	    p.n == 0 && p.total == 8, "followers: total alone (no scope "
	    "for the list)");
	helix_page_free(&p);

	tap_ok(decode(HELIX_FOLLOWED, "followed.json", &p) == 0 && p.n == 1,
	    "followed: decodes");
	tap_is_str(p.u.follows[0].user_login, "userloginname",
	    "followed: broadcaster_login lands in user_login");
	tap_is_str(p.u.follows[0].user_id, "11111",
	    "followed: broadcaster_id lands in user_id");
	tap_is_int(p.u.follows[0].followed_at, 1653430928,
	    "followed: fractional seconds accepted");
	helix_page_free(&p);
}

static void
test_settings(void)
{
	struct helix_page		 p;
	struct helix_chat_settings	*s;

	tap_ok(decode(HELIX_CHAT_SETTINGS, "chat-settings.json", &p) == 0 &&
	    p.n == 1, "chat settings: decode");
	s = &p.u.settings[0];
	tap_is_int(s->slow_mode, 0, "chat settings: slow off");
	tap_is_int(s->slow_mode_wait_time, -1, "chat settings: null wait "
	    "is -1");
	tap_is_int(s->follower_mode, 1, "chat settings: followers-only on");
	tap_is_int(s->follower_mode_duration, 0, "chat settings: 0 minutes");
	tap_is_int(s->non_moderator_chat_delay_duration, 4,
	    "chat settings: delay 4 s");
	tap_is_str(s->moderator_id, "", "chat settings: absent "
	    "moderator_id is \"\"");
	helix_page_free(&p);
}

static void
test_badges_emotes(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_BADGES, "badges.json", &p) == 0,
	    "badges: decode");
	tap_is_int((long long)p.n, 3, "badges: sets flattened, one item a "
	    "version; a set whose versions is not an array gives none");
	tap_is_str(p.u.badges[0].set_id, "bits", "badges: set id copied in");
	tap_is_str(p.u.badges[1].id, "100", "badges: version id");
	tap_is_str(p.u.badges[1].title, "cheer 100", "badges: title");
	tap_is_str(p.u.badges[2].set_id, "subscriber",
	    "badges: the next set");
	tap_is_str(p.u.badges[2].image_url_4x, "s4", "badges: image url");
	helix_page_free(&p);

	tap_ok(decode(HELIX_EMOTES, "emotes.json", &p) == 0 && p.n == 1,
	    "emotes: decode");
	tap_is_str(p.u.emotes[0].name, "twitchdevPitchfork", "emotes: name");
	tap_is_str(p.u.emotes[0].url_2x, "https://static-cdn.jtvnw.net/"
	    "emoticons/v2/304456832/static/light/2.0",
	    "emotes: images.url_2x, one object down");
	tap_is_str(p.u.emotes[0].tier, "1000", "emotes: tier");
	tap_is_str(p.u.emotes[0].owner_id, "", "emotes: absent owner is "
	    "\"\"");
	helix_page_free(&p);
}

static void
test_bans_colors(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_BANS, "bans.json", &p) == 0 && p.n == 2,
	    "bans: decode");
	tap_ok(p.u.bans[0].end_time > 0, "bans: a timeout has an end");
	tap_is_int(p.u.bans[1].end_time, -1, "bans: a ban's null end is -1");
	tap_is_str(p.u.bans[1].user_id, "9877", "bans: user id");
	helix_page_free(&p);

	tap_ok(decode(HELIX_COLORS, "colors.json", &p) == 0 && p.n == 2,
	    "colors: decode");
	tap_is_str(p.u.colors[0].color, "#9146FF", "colors: colour");
	tap_is_str(p.u.colors[1].color, "", "colors: none set is \"\"");
	helix_page_free(&p);

	tap_ok(helix_decode(HELIX_EMPTY, "", 0, &p, NULL, 0) == 0 && p.n == 0,
	    "empty (204): any body, no items");
	helix_page_free(&p);
}

static void
test_videos(void)
{
	struct helix_page	p;

	tap_ok(decode(HELIX_VIDEOS, "videos.json", &p) == 0 && p.n == 2,
	    "videos: decode");
	tap_is_str(p.u.videos[0].title, "Twitch Developers 101",
	    "videos: title");
	tap_is_str(p.u.videos[0].duration, "3h8m33s", "videos: duration "
	    "as Twitch wrote it");
	tap_is_int(p.u.videos[0].duration_s, 3 * 3600 + 8 * 60 + 33,
	    "videos: and in seconds");
	tap_is_int(p.u.videos[0].created_at, 1542231018,
	    "videos: created_at");
	tap_is_int(p.u.videos[0].view_count, 1863062, "videos: views");
	tap_is_str(p.u.videos[1].stream_id, "", "videos: null stream id "
	    "is \"\"");
	tap_is_int(p.u.videos[1].duration_s, -1, "videos: a bogus "
	    "duration is -1");
	tap_ok(p.cursor != NULL, "videos: a cursor to the next page");
	helix_page_free(&p);
}

static void
test_durations(void)
{
	static const struct {
		const char	*s;
		long long	 want;	/* -2: refused */
	} cases[] = {
		{ "3h8m33s", 11313 }, { "4m", 240 }, { "59s", 59 },
		{ "1h", 3600 }, { "2h5s", 7205 }, { "60", 60 }, { "0s", 0 },
		{ "", -2 }, { "h", -2 }, { "3s4m", -2 }, { "1h1h", -2 },
		{ "1x", -2 }, { "1h30", -2 }, { "-5s", -2 },
		{ "9999999999s", -2 }, { "999999999h", -2 },
	};
	int64_t	t;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = -2;
		rc = helix_parse_duration(cases[i].s, &t);
		tap_ok(cases[i].want == -2 ? rc == -1 : rc == 0 &&
		    t == cases[i].want, "duration '%s' -> %lld", cases[i].s,
		    cases[i].want);
	}
}

static void
test_hostile(void)
{
	struct helix_page	 p;
	struct helix_user	*u;
	struct helix_stream	*s;
	char			 err[256];
	static const char	*bad[] = {
		"", "not json", "{", "[]", "null", "{\"data\":{}}",
		"{\"data\":\"x\"}", "{\"data\":[1,2,3]", "{\"nodata\":[]}",
	};
	size_t			 i;
	int			 rc;

	tap_ok(decode(HELIX_USERS, "hostile.json", &p) == 0,
	    "hostile users: decodes what it can");
	tap_is_int((long long)p.n, 3, "hostile users: the non-object item "
	    "skipped");
	u = &p.u.users[0];
	tap_is_str(u->id, "", "hostile: a number where a string belongs "
	    "is \"\"");
	tap_is_str(u->login, "", "hostile: an array is \"\"");
	tap_is_str(u->display_name, "", "hostile: null is \"\"");
	tap_is_str(u->type, "", "hostile: an object is \"\"");
	tap_is_str(u->broadcaster_type, "", "hostile: true is \"\"");
	tap_is_str(u->description, "tab\there \"quoted\" back\\slash nul",
	    "hostile: JSON escapes decoded; \\u0000 ends the string");
	tap_is_int(u->created_at, -1, "hostile: not a date is -1");
	tap_is_int(p.u.users[1].created_at, -1, "hostile: a non-UTC offset "
	    "is refused, not misread");
	tap_is_int(p.u.users[2].created_at, -1, "hostile: before 1970 is "
	    "refused");
	tap_is_str(p.u.users[2].login, "ctl\x1b]0;pwned\x07",
	    "hostile: control characters kept for the printer to escape");
	tap_ok(p.cursor == NULL, "hostile: an empty cursor is no cursor");
	tap_is_int(p.total, -1, "hostile: total 1e300 is no total");
	helix_page_free(&p);

	tap_ok(decode(HELIX_STREAMS, "hostile-numbers.json", &p) == 0 &&
	    p.n == 6, "hostile numbers: decodes");
	s = p.u.streams;
	tap_is_int(s[0].viewer_count, -1, "hostile: 1e300 viewers is -1");
	tap_is_int(s[0].is_mature, 0, "hostile: \"true\" is not true");
	tap_is_int(s[1].viewer_count, -1, "hostile: negative is -1");
	tap_is_int(s[2].viewer_count, -1, "hostile: 1.5 is -1");
	tap_is_int(s[3].viewer_count, 42, "hostile: \"42\" quoted digits "
	    "accepted");
	tap_is_int(s[5].viewer_count, 9007199254740992LL,
	    "hostile: 2^53 is the largest kept");
	tap_is_str(s[1].title, "", "hostile: a missing string is \"\"");
	tap_is_int(s[1].started_at, -1, "hostile: a missing time is -1");
	tap_is_int(p.total, -1, "hostile: a quoted total is no total");
	helix_page_free(&p);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		rc = helix_decode(HELIX_USERS, bad[i], strlen(bad[i]), &p,
		    err, sizeof err);
		tap_ok(rc == -1 && err[0] != '\0' && p.n == 0,
		    "refused with a reason: '%s' (%s)", bad[i], err);
		helix_page_free(&p);
	}
	/* Not NUL-terminated: only len bytes are read. */
	rc = helix_decode(HELIX_USERS, "{\"data\":[]}garbage", 11, &p, err,
	    sizeof err);
	tap_ok(rc == 0 && p.n == 0, "only len bytes are read");
	helix_page_free(&p);
}

/* A reply with more items than HELIX_MAX_ITEMS keeps that many. */
static void
test_many(void)
{
	struct helix_page	p;
	char			err[64], *body;
	size_t			i, n = HELIX_MAX_ITEMS + 50, off = 0;
	size_t			sz = n * 32 + 64;

	if ((body = malloc(sz)) == NULL)
		abort();
	off += (size_t)snprintf(body + off, sz - off, "{\"data\":[");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(body + off, sz - off,
		    "%s{\"user_login\":\"u%zu\"}", i > 0 ? "," : "", i);
	off += (size_t)snprintf(body + off, sz - off, "]}");
	tap_ok(helix_decode(HELIX_CHATTERS, body, off, &p, err,
	    sizeof err) == 0 && p.n == HELIX_MAX_ITEMS,
	    "a reply of %zu items keeps %d", n, HELIX_MAX_ITEMS);
	helix_page_free(&p);
	free(body);
}

static void
test_errors(void)
{
	static const struct {
		enum helix_kind	 kind;
		long		 status;
		const char	*file;		/* or literal body */
		const char	*want;
	} cases[] = {
		{ HELIX_CHATTERS, 401, "error-scope.json",
		    "needs the moderator:read:chatters scope (run stitch "
		    "login to grant it)" },
		{ HELIX_USERS, 401, "error-expired.json",
		    "token expired or revoked, run stitch login" },
		{ HELIX_MODERATORS, 401, "error-mustmatch.json",
		    "only the broadcaster can list moderators" },
		{ HELIX_CHATTERS, 403, "error-forbidden.json",
		    "only the broadcaster or a moderator can list chatters" },
		{ HELIX_VIPS, 403, "error-forbidden.json",
		    "only the broadcaster can list VIPs" },
		{ HELIX_USERS, 429, NULL,
		    "Helix rate limit reached; try again in a minute" },
		{ HELIX_USERS, 503, NULL, "Twitch's server failed (HTTP 503)" },
		{ HELIX_USERS, 404, NULL, "Twitch answered HTTP 404" },
	};
	char	out[512], *body;
	size_t	i, len;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		body = cases[i].file != NULL ? fixture(cases[i].file, &len) :
		    NULL;
		helix_error_text(cases[i].kind, cases[i].status,
		    body != NULL ? body : "<html>", body != NULL ? len : 6,
		    out, sizeof out);
		tap_is_str(out, cases[i].want, cases[i].want);
		free(body);
	}

	body = fixture("error-hostile.json", &len);
	helix_error_text(HELIX_USERS, 400, body, len, out, sizeof out);
	tap_ok(strchr(out, '\x1b') == NULL && strchr(out, '\n') == NULL,
	    "Twitch's message: no ESC, no newline reach the user");
	tap_ok(strstr(out, "\xe2\x80\xae") == NULL, "Twitch's message: no "
	    "bidi override");
	tap_ok(strncmp(out, "Twitch: evil ", 13) == 0 &&
	    strstr(out, "(HTTP 400)") != NULL, "Twitch's message: kept, "
	    "with the status: %s", out);
	free(body);

	helix_error_text(HELIX_USERS, 400, "{\"message\":\"" "aaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
	    330, out, sizeof out);
	tap_ok(strlen(out) < 240, "a long message is cut short (%zu bytes)",
	    strlen(out));
	helix_error_text(HELIX_USERS, 401, "", 0, out, 8);
	tap_ok(strlen(out) == 7, "a small buffer is never overrun");
}

static void
test_times(void)
{
	static const struct {
		const char	*s;
		long long	 want;	/* -2: refused */
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2016-12-14T20:32:28Z", 1481747548 },
		{ "2022-05-24T22:22:08.123456Z", 1653430928 },
		{ "2024-02-29T12:00:00Z", 1709208000 },
		{ "2016-12-14T20:32:28", -2 },
		{ "2016-12-14 20:32:28Z", -2 },
		{ "2016-13-14T20:32:28Z", -2 },
		{ "2016-12-14T24:32:28Z", -2 },
		{ "2016-12-14T20:32:28+00:00", -2 },
		{ "20161214T203228Z", -2 },
		{ "2016-12-14T20:32:28ZZ", -2 },
		{ "-016-12-14T20:32:28Z", -2 },
		{ "", -2 },
	};
	int64_t	t;
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = -2;
		rc = helix_parse_time(cases[i].s, &t);
		tap_ok(cases[i].want == -2 ? rc == -1 : rc == 0 &&
		    t == cases[i].want, "time '%s' -> %lld", cases[i].s,
		    cases[i].want);
	}
}

static void
test_ttl(void)
{
	tap_ok(helix_ttl(HELIX_USERS) == 86400, "ttl: users a day");
	tap_ok(helix_ttl(HELIX_STREAMS) == 60, "ttl: streams a minute");
	tap_ok(helix_ttl(HELIX_CHATTERS) == 30, "ttl: chatters 30 s");
	tap_ok(helix_ttl(HELIX_BANS) == 0 && helix_ttl(HELIX_EMPTY) == 0,
	    "ttl: replies to actions are never cached");
	tap_ok(helix_ttl((enum helix_kind)99) == 0, "ttl: unknown kind 0");
}

/* Query values: what every call's URL is built with. */
static void
test_escape(void)
{
	char	out[16];

	tap_ok(http_escape("abc-._~XYZ09", out, sizeof out) == 0 &&
	    strcmp(out, "abc-._~XYZ09") == 0, "escape: unreserved kept");
	tap_ok(http_escape("a b&c=d", out, sizeof out) == 0 &&
	    strcmp(out, "a%20b%26c%3Dd") == 0, "escape: space, & and = "
	    "encoded (%s)", out);
	tap_ok(http_escape("\xc3\xa9/?#", out, sizeof out) == 0 &&
	    strcmp(out, "%C3%A9%2F%3F%23") == 0, "escape: UTF-8 and "
	    "delimiters encoded");
	tap_ok(http_escape("aaaaaaaaaaaaaaaaaaaa", out, sizeof out) == -1 &&
	    strlen(out) == sizeof out - 1, "escape: too long is -1, "
	    "NUL-terminated within the buffer");
	tap_ok(http_escape("abcdef&", out, 9) == -1 && strcmp(out,
	    "abcdef") == 0, "escape: never half a %%XX");
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");
	char		 dir[4096];

	snprintf(dir, sizeof dir, "%s/tests/data/helix", top != NULL ? top :
	    ".");
	fixture_dir = dir;
	test_users();
	test_streams();
	test_channels();
	test_paging();
	test_follows();
	test_settings();
	test_badges_emotes();
	test_bans_colors();
	test_videos();
	test_durations();
	test_hostile();
	test_many();
	test_errors();
	test_times();
	test_ttl();
	test_escape();
	return tap_done();
}
