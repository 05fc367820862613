/*
 * twitch.c: turns parsed IRC lines into typed Twitch chat events.
 *
 * One pass over the tags, dispatching on the key's length and bytes, fills
 * every field any command can carry; the command then decides what the
 * parameters mean. Values are borrowed from the line; only values holding a
 * backslash are unescaped, into the caller's scratch buffer. No allocation,
 * no globals but constant tables.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "irc.h"
#include "twitch.h"

/* Raw emote ranges kept before sorting: a 500-character message holds at
 * most 250 one-character emotes with a space between them. */
#define TWITCH_RAW_EMOTES	256

/* The unescaping cursor over the caller's scratch buffer. */
struct twitch_scratch {
	char	*p;
	size_t	 left;
};

/* Values the tag pass keeps for after it: they need the text or all the
 * tags first. */
struct twitch_pending {
	struct irc_span	 emotes;
	struct irc_span	 badges;
	struct irc_span	 badge_info;
	struct irc_span	 login;
	struct irc_span	 message_id;	/* WHISPER: message-id */
	long		 months;
	long		 cumulative;
	int		 have_cumulative;
};

static const char *const twitch_kind_names[TWITCH_KIND_COUNT] = {
	"UNKNOWN", "PRIVMSG", "USERNOTICE", "CLEARCHAT", "CLEARMSG",
	"ROOMSTATE", "USERSTATE", "GLOBALUSERSTATE", "NOTICE", "HOSTTARGET",
	"RECONNECT", "PING", "PONG", "JOIN", "PART", "NAMES", "ENDOFNAMES",
	"WELCOME", "ENDOFMOTD", "CAP", "WHISPER",
};

/* Commands as Twitch sends them; the busiest first. */
static const struct {
	const char	*name;
	size_t		 len;
	enum twitch_kind kind;
} twitch_commands[] = {
	{ "PRIVMSG", 7, TWITCH_PRIVMSG },
	{ "CLEARCHAT", 9, TWITCH_CLEARCHAT },
	{ "USERNOTICE", 10, TWITCH_USERNOTICE },
	{ "CLEARMSG", 8, TWITCH_CLEARMSG },
	{ "ROOMSTATE", 9, TWITCH_ROOMSTATE },
	{ "USERSTATE", 9, TWITCH_USERSTATE },
	{ "NOTICE", 6, TWITCH_NOTICE },
	{ "PING", 4, TWITCH_PING },
	{ "PONG", 4, TWITCH_PONG },
	{ "JOIN", 4, TWITCH_JOIN },
	{ "PART", 4, TWITCH_PART },
	{ "GLOBALUSERSTATE", 15, TWITCH_GLOBALUSERSTATE },
	{ "RECONNECT", 9, TWITCH_RECONNECT },
	{ "HOSTTARGET", 10, TWITCH_HOSTTARGET },
	{ "WHISPER", 7, TWITCH_WHISPER },
	{ "CAP", 3, TWITCH_CAP },
	{ "353", 3, TWITCH_NAMES },
	{ "366", 3, TWITCH_ENDOFNAMES },
	{ "001", 3, TWITCH_WELCOME },
	{ "376", 3, TWITCH_ENDOFMOTD },
};

/* Names for logs and the tests; out-of-range kinds are "UNKNOWN". */
const char *
twitch_kind_name(enum twitch_kind kind)
{
	if ((unsigned)kind >= TWITCH_KIND_COUNT)
		return "UNKNOWN";
	return twitch_kind_names[kind];
}

/* IRC commands are case-insensitive; Twitch sends them upper case. */
static enum twitch_kind
twitch_command_kind(const char *command)
{
	size_t	len, i;

	if (command == NULL)
		return TWITCH_UNKNOWN;
	len = strlen(command);
	for (i = 0; i < sizeof twitch_commands / sizeof twitch_commands[0];
	    i++) {
		if (twitch_commands[i].len == len &&
		    strncasecmp(twitch_commands[i].name, command, len) == 0)
			return twitch_commands[i].kind;
	}
	return TWITCH_UNKNOWN;
}

/* A span of len bytes at p. */
static struct irc_span
twitch_span(const char *p, size_t len)
{
	struct irc_span	sp;

	sp.p = p;
	sp.len = len;
	return sp;
}

/* A C string as a span; NULL is the empty span. */
static struct irc_span
twitch_cstr(const char *s)
{
	return s != NULL ? twitch_span(s, strlen(s)) : twitch_span(NULL, 0);
}

/* Does sp hold exactly the len bytes of s? */
static int
twitch_span_is(struct irc_span sp, const char *s, size_t len)
{
	return sp.len == len && memcmp(sp.p, s, len) == 0;
}

/* The length of s[0..n) without a UTF-8 sequence cut at its end. */
static size_t
twitch_utf8_cut(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = n, need;

	while (i > 0 && n - i < 4 && (u[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || u[i - 1] < 0xc0)
		return n;	/* ASCII or stray bytes: nothing to trim */
	need = u[i - 1] < 0xe0 ? 2 : u[i - 1] < 0xf0 ? 3 : 4;
	return n - (i - 1) < need ? i - 1 : n;
}

/*
 * A tag value ready to use: the value itself when it has no backslash
 * (zero-copy), else its unescaped form in the scratch buffer, cut short
 * when the buffer runs out.
 */
static struct irc_span
twitch_value(struct twitch_scratch *sc, struct irc_span v)
{
	size_t	n;
	char	*out;

	if (v.len == 0 || memchr(v.p, '\\', v.len) == NULL)
		return v;
	if (sc->left == 0)
		return twitch_span(v.p, 0);
	out = sc->p;
	n = irc_tag_unescape(v.p, v.len, out, sc->left);
	if (n >= sc->left) {
		/* Cut short (the NUL took the last byte): not inside a
		 * character, so a cut name is still valid UTF-8. */
		n = twitch_utf8_cut(out, sc->left - 1);
		out[n] = '\0';
	}
	sc->p += n + 1;
	sc->left -= n + 1;
	return twitch_span(out, n);
}

/*
 * A decimal number in [min, max], optionally negative; 1 and *out set, or 0
 * for anything else (empty, a sign alone, other bytes, out of range).
 * Overflow cannot happen: the bound is checked before each digit.
 */
static int
twitch_number(struct irc_span v, int64_t min, int64_t max, int64_t *out)
{
	const char	*p = v.p, *end = v.p + v.len;
	int64_t		 n = 0, limit;
	int		 neg = 0, d;

	if (v.len > 0 && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end)
		return 0;
	limit = neg ? -min : max;	/* min >= -INT64_MAX by contract */
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		d = *p - '0';
		if (n > limit / 10 || (n == limit / 10 && d > limit % 10))
			return 0;
		n = n * 10 + d;
	}
	*out = neg ? -n : n;
	return 1;
}

/* A count (0..INT32_MAX), or fallback when v is not one. */
static long
twitch_long(struct irc_span v, long fallback)
{
	int64_t	n;

	return twitch_number(v, 0, INT32_MAX, &n) ? (long)n : fallback;
}

/* Flag tags are "1" when set ("0" or empty otherwise). */
static int
twitch_is_one(struct irc_span v)
{
	return v.len == 1 && v.p[0] == '1';
}

/* One hex digit's value, or -1. */
static int
twitch_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "#RRGGBB"; anything else (empty above all) leaves has_color 0. */
static void
twitch_color(struct twitch_event *ev, struct irc_span v)
{
	uint32_t	c = 0;
	size_t		i;
	int		h;

	if (v.len != 7 || v.p[0] != '#')
		return;
	for (i = 1; i < 7; i++) {
		if ((h = twitch_hex(v.p[i])) < 0)
			return;
		c = (c << 4) | (uint32_t)h;
	}
	ev->has_color = 1;
	ev->color = c;
}

/* ---- the tags ---------------------------------------------------------- */

#define TWITCH_KEY(k, s)	((k).len == sizeof(s) - 1 &&		\
				    memcmp((k).p, (s), sizeof(s) - 1) == 0)

/* Tags shared by every command. */
static int
twitch_tag_common(struct twitch_event *ev, struct twitch_pending *pd,
    struct twitch_scratch *sc, struct irc_span k, struct irc_span v)
{
	int64_t	n;

	switch (k.len) {
	case 2:
		if (TWITCH_KEY(k, "id"))
			ev->id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 3:
		if (TWITCH_KEY(k, "mod") && twitch_is_one(v))
			ev->flags |= TWITCH_F_MOD;
		else if (TWITCH_KEY(k, "vip") && twitch_is_one(v))
			ev->flags |= TWITCH_F_VIP;
		else
			return 0;
		break;
	case 4:
		if (TWITCH_KEY(k, "bits"))
			ev->bits = twitch_long(v, 0);
		else
			return 0;
		break;
	case 5:
		if (TWITCH_KEY(k, "color"))
			twitch_color(ev, v);
		else if (TWITCH_KEY(k, "login"))
			pd->login = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "turbo") && twitch_is_one(v))
			ev->flags |= TWITCH_F_TURBO;
		else
			return 0;
		break;
	case 6:
		if (TWITCH_KEY(k, "badges"))
			pd->badges = v;
		else if (TWITCH_KEY(k, "emotes"))
			pd->emotes = v;
		else if (TWITCH_KEY(k, "msg-id"))
			ev->msg_id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 7:
		if (TWITCH_KEY(k, "room-id"))
			ev->room_id = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "user-id"))
			ev->user_id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 9:
		if (TWITCH_KEY(k, "first-msg") && twitch_is_one(v))
			ev->flags |= TWITCH_F_FIRST_MSG;
		else if (TWITCH_KEY(k, "user-type") && (TWITCH_KEY(v, "staff")
		    || TWITCH_KEY(v, "admin") || TWITCH_KEY(v, "global_mod")))
			ev->flags |= TWITCH_F_STAFF;
		else
			return 0;
		break;
	case 10:
		if (TWITCH_KEY(k, "badge-info"))
			pd->badge_info = v;
		else if (TWITCH_KEY(k, "subscriber") && twitch_is_one(v))
			ev->flags |= TWITCH_F_SUBSCRIBER;
		else if (TWITCH_KEY(k, "system-msg"))
			ev->system_msg = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "message-id"))
			pd->message_id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 11:
		if (TWITCH_KEY(k, "tmi-sent-ts") &&
		    twitch_number(v, 0, INT64_MAX, &n))
			ev->sent_ms = n;
		else
			return 0;
		break;
	case 12:
		if (TWITCH_KEY(k, "display-name"))
			ev->display_name = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "ban-duration"))
			ev->ban_duration = twitch_long(v, 0);
		else
			return 0;
		break;
	case 13:
		if (TWITCH_KEY(k, "target-msg-id"))
			ev->target_msg_id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 14:
		if (TWITCH_KEY(k, "target-user-id"))
			ev->target_user_id = twitch_value(sc, v);
		else
			return 0;
		break;
	case 17:
		if (TWITCH_KEY(k, "returning-chatter") && twitch_is_one(v))
			ev->flags |= TWITCH_F_RETURNING;
		else
			return 0;
		break;
	default:
		return 0;
	}
	return 1;
}

/* reply-parent-* (PRIVMSG) and msg-param-* (USERNOTICE). */
static void
twitch_tag_long_keys(struct twitch_event *ev, struct twitch_pending *pd,
    struct twitch_scratch *sc, struct irc_span k, struct irc_span v)
{
	if (k.len > 13 && memcmp(k.p, "reply-parent-", 13) == 0) {
		k = twitch_span(k.p + 13, k.len - 13);
		if (TWITCH_KEY(k, "msg-id"))
			ev->reply_msg_id = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "user-login"))
			ev->reply_login = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "display-name"))
			ev->reply_display_name = twitch_value(sc, v);
		else if (TWITCH_KEY(k, "msg-body"))
			ev->reply_body = twitch_value(sc, v);
		else if (!TWITCH_KEY(k, "user-id"))
			return;
		ev->flags |= TWITCH_F_REPLY;
	} else if (k.len > 10 && memcmp(k.p, "msg-param-", 10) == 0) {
		k = twitch_span(k.p + 10, k.len - 10);
		if (TWITCH_KEY(k, "cumulative-months")) {
			pd->cumulative = twitch_long(v, 0);
			pd->have_cumulative = 1;
		} else if (TWITCH_KEY(k, "months"))
			pd->months = twitch_long(v, 0);
		else if (TWITCH_KEY(k, "viewerCount"))
			ev->viewers = twitch_long(v, 0);
		else if (TWITCH_KEY(k, "mass-gift-count"))
			ev->gift_count = twitch_long(v, 0);
		else if (TWITCH_KEY(k, "recipient-display-name"))
			ev->recipient = twitch_value(sc, v);
	}
}

/* ROOMSTATE modes, and emote-only on a PRIVMSG. */
static int
twitch_tag_room(struct twitch_event *ev, struct irc_span k, struct irc_span v)
{
	struct twitch_roomstate	*r = &ev->room;
	int64_t			 n;

	if (TWITCH_KEY(k, "emote-only")) {
		if (ev->kind == TWITCH_PRIVMSG && twitch_is_one(v))
			ev->flags |= TWITCH_F_EMOTE_ONLY;
		if (ev->kind != TWITCH_ROOMSTATE || !twitch_number(v, 0, 1, &n))
			return 1;
		r->emote_only = (int)n;
		r->present |= TWITCH_ROOM_EMOTE_ONLY;
		return 1;
	}
	if (ev->kind != TWITCH_ROOMSTATE)
		return 0;
	if (TWITCH_KEY(k, "followers-only")) {
		if (twitch_number(v, -1, INT32_MAX, &n)) {
			r->followers = (int)n;
			r->present |= TWITCH_ROOM_FOLLOWERS;
		}
	} else if (TWITCH_KEY(k, "r9k")) {
		if (twitch_number(v, 0, 1, &n)) {
			r->r9k = (int)n;
			r->present |= TWITCH_ROOM_R9K;
		}
	} else if (TWITCH_KEY(k, "slow")) {
		if (twitch_number(v, 0, INT32_MAX, &n)) {
			r->slow = (int)n;
			r->present |= TWITCH_ROOM_SLOW;
		}
	} else if (TWITCH_KEY(k, "subs-only")) {
		if (twitch_number(v, 0, 1, &n)) {
			r->subs_only = (int)n;
			r->present |= TWITCH_ROOM_SUBS_ONLY;
		}
	} else
		return 0;
	return 1;
}

/* One pass over the tags; the last of a repeated key wins, as IRCv3 says. */
static void
twitch_tags(struct twitch_event *ev, struct twitch_pending *pd,
    struct twitch_scratch *sc)
{
	struct irc_tag_iter	it;
	struct irc_tag		tag;

	irc_tag_iter_init(&it, ev->msg);
	while (irc_tag_next(&it, &tag)) {
		if (twitch_tag_common(ev, pd, sc, tag.key, tag.value))
			continue;
		if (twitch_tag_room(ev, tag.key, tag.value))
			continue;
		if (tag.key.len > 10)
			twitch_tag_long_keys(ev, pd, sc, tag.key, tag.value);
	}
}

/* ---- badges ------------------------------------------------------------ */

/* Split "name/version": on the FIRST '/' only (prediction badge-info
 * titles hold more). */
static struct twitch_badge
twitch_badge_split(const char *p, size_t len)
{
	struct twitch_badge	 b;
	const char		*slash = memchr(p, '/', len);

	if (slash == NULL) {
		b.name = twitch_span(p, len);
		b.version = twitch_span(p + len, 0);
	} else {
		b.name = twitch_span(p, (size_t)(slash - p));
		b.version = twitch_span(slash + 1,
		    (size_t)(p + len - slash - 1));
	}
	return b;
}

/* Next comma-separated entry of v at *pos; 0 at the end. Empty entries are
 * skipped. */
static int
twitch_next_entry(struct irc_span v, size_t *pos, struct twitch_badge *b)
{
	const char	*p, *end = v.p + v.len, *comma;

	while (*pos < v.len) {
		p = v.p + *pos;
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		*pos = (size_t)(comma - v.p) + 1;
		if (comma > p) {
			*b = twitch_badge_split(p, (size_t)(comma - p));
			return 1;
		}
	}
	return 0;
}

/* badges: kept (up to TWITCH_MAX_BADGES) and turned into flags (all of
 * them, even past the cap). */
static void
twitch_badges(struct twitch_event *ev, struct twitch_scratch *sc,
    struct irc_span v)
{
	struct twitch_badge	b;
	size_t			pos = 0;

	v = twitch_value(sc, v);
	while (twitch_next_entry(v, &pos, &b)) {
		if (TWITCH_KEY(b.name, "moderator"))
			ev->flags |= TWITCH_F_MOD;
		else if (TWITCH_KEY(b.name, "subscriber") ||
		    TWITCH_KEY(b.name, "founder"))
			ev->flags |= TWITCH_F_SUBSCRIBER;
		else if (TWITCH_KEY(b.name, "vip"))
			ev->flags |= TWITCH_F_VIP;
		else if (TWITCH_KEY(b.name, "broadcaster"))
			ev->flags |= TWITCH_F_BROADCASTER;
		else if (TWITCH_KEY(b.name, "turbo"))
			ev->flags |= TWITCH_F_TURBO;
		else if (TWITCH_KEY(b.name, "staff") ||
		    TWITCH_KEY(b.name, "admin") ||
		    TWITCH_KEY(b.name, "global_mod"))
			ev->flags |= TWITCH_F_STAFF;
		if (ev->nbadges < TWITCH_MAX_BADGES)
			ev->badges[ev->nbadges++] = b;
	}
}

/* badge-info: subscriber/N (or founder/N) gives the exact months. */
static void
twitch_badge_info(struct twitch_event *ev, struct irc_span v)
{
	struct twitch_badge	b;
	size_t			pos = 0;
	long			founder = 0;

	/* Months are digits: no unescaping needed, the rest is not kept. */
	while (twitch_next_entry(v, &pos, &b)) {
		if (TWITCH_KEY(b.name, "subscriber"))
			ev->sub_months = (int)twitch_long(b.version, 0);
		else if (TWITCH_KEY(b.name, "founder"))
			founder = twitch_long(b.version, 0);
	}
	if (ev->sub_months == 0)
		ev->sub_months = (int)founder;
}

/* A linear search: a line carries a handful of badges. */
int
twitch_has_badge(const struct twitch_event *ev, const char *name)
{
	size_t	len = strlen(name);
	int	i;

	for (i = 0; i < ev->nbadges && i < TWITCH_MAX_BADGES; i++)
		if (twitch_span_is(ev->badges[i].name, name, len))
			return 1;
	return 0;
}

/* ---- emotes ------------------------------------------------------------ */

struct twitch_raw_emote {
	struct irc_span	 id;
	uint32_t	 start;	/* code points, inclusive */
	uint32_t	 end;
};

/* Bytes of the character at p: a well-formed UTF-8 sequence, else 1 (a
 * stray byte counts as one character, as the serializer counts). */
static size_t
twitch_utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t	n, i;

	if (p[0] < 0xc2)
		return 1;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf5 ? 4 : 1;
	if ((size_t)(end - p) < n)
		return 1;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Characters in text, counted as twitch_utf8_len() steps. */
static size_t
twitch_count_chars(const char *text, size_t len)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*end = p + len;
	size_t			 n = 0;

	while (p < end) {
		if (*p < 0x80)
			p++;
		else
			p += twitch_utf8_len(p, end);
		n++;
	}
	return n;
}

/* "s-e" into *r; 0 when not two decimal numbers or reversed or past the
 * text's nchars characters. */
static int
twitch_emote_range(const char *p, size_t len, size_t nchars,
    struct twitch_raw_emote *r)
{
	const char	*dash = memchr(p, '-', len);
	int64_t		 s, e;

	if (dash == NULL ||
	    !twitch_number(twitch_span(p, (size_t)(dash - p)), 0, UINT32_MAX,
	    &s) ||
	    !twitch_number(twitch_span(dash + 1, (size_t)(p + len - dash - 1)),
	    0, UINT32_MAX, &e))
		return 0;
	if (e < s || (uint64_t)e >= nchars)
		return 0;
	r->start = (uint32_t)s;
	r->end = (uint32_t)e;
	return 1;
}

/* Collect the valid ranges of one "id:s-e,s-e" entry into raw[]. */
static int
twitch_emote_entry(const char *p, size_t len, size_t nchars,
    struct twitch_raw_emote *raw, int n)
{
	const char		*colon, *end = p + len, *q, *comma;
	struct twitch_raw_emote	 r;

	/* The last ':': ranges never hold one, so an id could. */
	for (colon = end; colon > p && colon[-1] != ':'; colon--)
		;
	if (colon == p || colon - 1 == p)
		return n;	/* no ':' or an empty id */
	r.id = twitch_span(p, (size_t)(colon - 1 - p));
	for (q = colon; q < end && n < TWITCH_RAW_EMOTES; q = comma) {
		if ((comma = memchr(q, ',', (size_t)(end - q))) == NULL)
			comma = end;
		if (twitch_emote_range(q, (size_t)(comma - q), nchars, &r))
			raw[n++] = r;
		if (comma < end)
			comma++;
	}
	return n;
}

/* Insertion sort by start: stable, and n is small in real chat. */
static void
twitch_emote_sort(struct twitch_raw_emote *raw, int n)
{
	struct twitch_raw_emote	r;
	int			i, j;

	for (i = 1; i < n; i++) {
		r = raw[i];
		for (j = i; j > 0 && raw[j - 1].start > r.start; j--)
			raw[j] = raw[j - 1];
		raw[j] = r;
	}
}

int
twitch_emotes_parse(const char *tag, size_t taglen, const char *text,
    size_t textlen, struct twitch_emote *out, int max)
{
	struct twitch_raw_emote	 raw[TWITCH_RAW_EMOTES];
	const char		*p = tag, *end = tag + taglen, *slash;
	const unsigned char	*t, *tend;
	size_t			 nchars, ci;
	int			 n = 0, i, kept = 0;
	int64_t			 last_end = -1;

	if (tag == NULL || taglen == 0 || text == NULL || textlen == 0 ||
	    max <= 0)
		return 0;
	nchars = twitch_count_chars(text, textlen);
	for (; p < end && n < TWITCH_RAW_EMOTES; p = slash) {
		if ((slash = memchr(p, '/', (size_t)(end - p))) == NULL)
			slash = end;
		n = twitch_emote_entry(p, (size_t)(slash - p), nchars, raw, n);
		if (slash < end)
			slash++;
	}
	twitch_emote_sort(raw, n);

	/* One forward walk over the text turns characters into bytes. */
	t = (const unsigned char *)text;
	tend = t + textlen;
	ci = 0;
	for (i = 0; i < n && kept < max; i++) {
		if ((int64_t)raw[i].start <= last_end)
			continue;	/* overlaps the one kept before */
		for (; ci < raw[i].start; ci++)
			t += twitch_utf8_len(t, tend);
		out[kept].id = raw[i].id;
		out[kept].start = (uint32_t)(t - (const unsigned char *)text);
		for (; ci <= raw[i].end; ci++)
			t += twitch_utf8_len(t, tend);
		out[kept].end = (uint32_t)(t - (const unsigned char *)text);
		last_end = raw[i].end;
		kept++;
	}
	return kept;
}

/* ---- the commands ------------------------------------------------------ */

/* Parameter i, or the empty span. */
static struct irc_span
twitch_param(const struct irc_msg *msg, int i)
{
	if (i < 0 || i >= msg->nparams)
		return twitch_span(NULL, 0);
	return twitch_cstr(msg->params[i]);
}

/* The last parameter (the trailing one when there is one). */
static struct irc_span
twitch_last(const struct irc_msg *msg)
{
	return twitch_param(msg, msg->nparams - 1);
}

/* A channel parameter without its '#'; "*" (before login) is none. */
static struct irc_span
twitch_channel(struct irc_span sp)
{
	if (sp.len > 0 && sp.p[0] == '#')
		return twitch_span(sp.p + 1, sp.len - 1);
	if (sp.len == 1 && sp.p[0] == '*')
		return twitch_span(NULL, 0);
	return sp;
}

/* "\x01ACTION text\x01" (the closing \x01 may be missing) -> "text". */
static void
twitch_action(struct twitch_event *ev)
{
	struct irc_span	t = ev->text;

	if (t.len < 7 || memcmp(t.p, "\001ACTION", 7) != 0)
		return;
	if (t.len > 7 && t.p[7] != ' ' && t.p[7] != '\001')
		return;
	ev->flags |= TWITCH_F_ACTION;
	t.p += 7;
	t.len -= 7;
	if (t.len > 0 && t.p[0] == ' ') {
		t.p++;
		t.len--;
	}
	if (t.len > 0 && t.p[t.len - 1] == '\001')
		t.len--;
	ev->text = t;
}

/* HOSTTARGET #hosting :<target|-> <viewers|-> */
static void
twitch_hosttarget(struct twitch_event *ev)
{
	const char	*p = ev->text.p, *end = p + ev->text.len, *sp;

	if (p == NULL)
		return;
	if ((sp = memchr(p, ' ', ev->text.len)) == NULL)
		sp = end;
	if (!(sp - p == 1 && p[0] == '-'))
		ev->target = twitch_span(p, (size_t)(sp - p));
	if (sp < end)
		ev->viewers = twitch_long(twitch_span(sp + 1,
		    (size_t)(end - sp - 1)), 0);
}

/* What the parameters mean, per command. */
static void
twitch_params(struct twitch_event *ev)
{
	const struct irc_msg	*msg = ev->msg;
	struct irc_span		 sub;

	switch (ev->kind) {
	case TWITCH_NOTICE:
		if (msg->nparams == 1) {	/* "NOTICE :text", no target */
			ev->text = twitch_last(msg);
			break;
		}
		/* FALLTHROUGH */
	case TWITCH_PRIVMSG:
	case TWITCH_USERNOTICE:
	case TWITCH_CLEARMSG:
	case TWITCH_HOSTTARGET:
		ev->channel = twitch_channel(twitch_param(msg, 0));
		if (msg->nparams >= 2)
			ev->text = twitch_last(msg);
		if (ev->kind == TWITCH_PRIVMSG)
			twitch_action(ev);
		else if (ev->kind == TWITCH_HOSTTARGET)
			twitch_hosttarget(ev);
		break;
	case TWITCH_CLEARCHAT:
		ev->channel = twitch_channel(twitch_param(msg, 0));
		if (msg->nparams >= 2)
			ev->target = twitch_last(msg);
		break;
	case TWITCH_ROOMSTATE:
	case TWITCH_USERSTATE:
	case TWITCH_JOIN:
	case TWITCH_PART:
		ev->channel = twitch_channel(twitch_param(msg, 0));
		break;
	case TWITCH_WHISPER:
		ev->target = twitch_param(msg, 0);	/* the recipient */
		if (msg->nparams >= 2)
			ev->text = twitch_last(msg);
		break;
	case TWITCH_PING:
	case TWITCH_PONG:
		ev->list = twitch_last(msg);
		break;
	case TWITCH_NAMES:	/* me = #channel :names */
		ev->channel = twitch_channel(twitch_param(msg, 2));
		if (msg->nparams >= 4)
			ev->list = twitch_last(msg);
		break;
	case TWITCH_ENDOFNAMES:	/* me #channel :End of /NAMES list */
		ev->channel = twitch_channel(twitch_param(msg, 1));
		if (msg->nparams >= 3)
			ev->text = twitch_last(msg);
		break;
	case TWITCH_WELCOME:
	case TWITCH_ENDOFMOTD:
		if (msg->nparams >= 2)
			ev->text = twitch_last(msg);
		break;
	case TWITCH_CAP:	/* * ACK :caps */
		sub = twitch_param(msg, 1);
		if (twitch_span_is(sub, "NAK", 3) ||
		    twitch_span_is(sub, "nak", 3))
			ev->flags |= TWITCH_F_CAP_NAK;
		else if (!twitch_span_is(sub, "ACK", 3) &&
		    !twitch_span_is(sub, "ack", 3)) {
			ev->kind = TWITCH_UNKNOWN;	/* LS, LIST, ...: not ours */
			break;
		}
		if (msg->nparams >= 3)
			ev->list = twitch_last(msg);
		break;
	default:
		break;
	}
}

/* The sender from the source: a nick, never a server name (those hold a
 * dot, nicks cannot). */
static struct irc_span
twitch_source_login(const struct irc_msg *msg)
{
	if (msg->nick.len == 0 || memchr(msg->nick.p, '.', msg->nick.len))
		return twitch_span(NULL, 0);
	return msg->nick;
}

/* Everything the tag pass left for later. */
static void
twitch_finish(struct twitch_event *ev, struct twitch_pending *pd,
    struct twitch_scratch *sc, unsigned flags)
{
	struct irc_span	emotes;

	if (pd->badges.len > 0)
		twitch_badges(ev, sc, pd->badges);
	if (pd->badge_info.len > 0)
		twitch_badge_info(ev, pd->badge_info);
	ev->months = pd->have_cumulative ? pd->cumulative : pd->months;
	if (pd->login.len > 0)
		ev->login = pd->login;
	else
		ev->login = twitch_source_login(ev->msg);
	if (ev->kind == TWITCH_CLEARMSG)
		ev->target = pd->login;
	if (ev->id.len == 0 && pd->message_id.len > 0)
		ev->id = pd->message_id;
	if (pd->emotes.len > 0 && ev->text.len > 0 &&
	    !(flags & TWITCH_DECODE_NO_EMOTES)) {
		emotes = twitch_value(sc, pd->emotes);
		ev->nemotes = twitch_emotes_parse(emotes.p, emotes.len,
		    ev->text.p, ev->text.len, ev->emotes, TWITCH_MAX_EMOTES);
	}
}

/* Parameters first (the emotes need the text), then the one tag pass,
 * then what needed every tag. */
enum twitch_kind
twitch_decode(const struct irc_msg *msg, struct twitch_event *ev,
    char *scratch, size_t scratchsz)
{
	return twitch_decode_flags(msg, ev, scratch, scratchsz, 0);
}

enum twitch_kind
twitch_decode_flags(const struct irc_msg *msg, struct twitch_event *ev,
    char *scratch, size_t scratchsz, unsigned flags)
{
	struct twitch_pending	pd;
	struct twitch_scratch	sc;

	memset(ev, 0, sizeof *ev);
	ev->room.followers = -1;
	ev->msg = msg;
	ev->kind = twitch_command_kind(msg->command);
	memset(&pd, 0, sizeof pd);
	sc.p = scratch;
	sc.left = scratch != NULL ? scratchsz : 0;

	twitch_params(ev);
	if (msg->tags != NULL)
		twitch_tags(ev, &pd, &sc);
	twitch_finish(ev, &pd, &sc, flags);
	return ev->kind;
}
