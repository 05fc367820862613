/*
 * chat.c: Twitch chat as fake-twitch serves it (see chat.h).
 *
 * Line shapes follow Twitch's (shared/vectors/twitch-lines). Where Twitch
 * says nothing, the choice is ours and marked "fake:" below:
 * - fake: over the JOIN rate (20 per 10 s per account) the JOIN is dropped
 *   with NOTICE msg-id=msg_join_ratelimit (Twitch drops it silently or
 *   disconnects); over the channel count (100 not moderated) the JOIN is
 *   dropped with NOTICE msg-id=msg_channel_limit.
 * - fake: a message over 500 code points is dropped with NOTICE
 *   msg-id=msg_too_long (Twitch is said to trim it).
 * - Only accepted messages and JOINs count against the windows, so a test
 *   that sends N over a limit of L sees exactly N - L refusals.
 * - The duplicate check (msg_duplicate) applies to users who are not
 *   moderator, VIP or broadcaster, per channel, as pajbot measured.
 * - Unknown channels get NOTICE msg_channel_suspended, as Twitch does,
 *   unless --open-channels makes every valid name a channel.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "chatworld.h"
#include "fline.h"
#include "net.h"

#define CHAT_TICK_MS	50
#define CHAT_RECENT	64
#define CHAT_DUPS	32
#define CHAT_HOST	"tmi.twitch.tv"

struct chat_sess;

struct chat_recent {
	char	id[40];
	char	login[32];
	char	text[160];
};

struct chat_ban {
	char		 login[32];
	uint64_t	 until_ms;	/* net_now_ms(); 0: permanent */
};

struct chat_last {
	char		 login[32];
	uint64_t	 ms;		/* uv_now() of the last message */
};

struct chat_chan {
	char			 name[32];
	char			 room_id[24];
	struct chatworld_roomstate rs;
	struct chat_sess	**members;
	size_t			 nmembers, cap;
	uint64_t		 joins;
	uint64_t		 lines;
	struct chat_recent	 recent[CHAT_RECENT];
	struct chat_ban		*bans;		/* from Helix or the crowd */
	size_t			 nbans;
	struct chat_last	*lasts;		/* for slow mode */
	size_t			 nlasts;
	unsigned		 nrecent, recent_next;
};

struct chat_dup {
	char		 chan[32];
	uint32_t	 hash;
	uint64_t	 ts;
};

/* One Twitch account, shared by all its connections: the limits. */
struct chat_acct {
	char		 login[32];
	uint64_t	*msg_ts;	/* ring of accepted message times */
	unsigned char	*msg_priv;
	unsigned	 nmsg, msg_next;
	uint64_t	*join_ts;
	unsigned	 njoin, join_next;
	struct chat_dup	 dups[CHAT_DUPS];
	unsigned	 dup_next;
	unsigned	 nchannels;	/* joined, not moderated */
	uint64_t	 msgs_ok, msgs_refused, joins_ok, joins_refused;
	unsigned	 max_msgs_window, max_joins_window;
	struct chat_acct *next;
};

enum chat_state { CHAT_NEW, CHAT_IN };

struct chat_sess {
	struct net_conn		*conn;
	unsigned		 caps;
	enum chat_state		 state;
	int			 have_pass;
	char			 token[256];
	int			 anon;
	int			 dead;
	struct chatworld_user	 user;
	struct chat_acct	*acct;
	struct chat_chan	**chans;
	size_t			 nchans, chcap;
	uint64_t		 next_ping;	/* uv_now ms */
	uint64_t		 ping_sent;
	int			 awaiting_pong;
	struct chat_sess	*prev, *next;
};

static struct {
	uv_loop_t		*loop;
	struct chat_limits	 lim;
	uv_timer_t		 tick;
	struct chat_sess	*sessions;
	struct chat_chan	**chans;
	size_t			 nchans, cap;
	struct chat_chan	**active;	/* rebuilt when dirty */
	size_t			 nactive;
	int			 active_dirty;
	struct chat_acct	*accts;
	int			 nopong;
	uint64_t		 id_state;
	uint64_t		 lines_relayed;
	uint64_t		 logins, login_failures;
	int			 stopped;
} chat;

static void	chat_notice(struct chat_sess *, const char *, const char *,
		    const char *);

static const struct {
	const char	*name;
	const char	*id;
} chat_emote_table[] = {
	{ "Kappa", "25" },
	{ "PogChamp", "305954156" },
	{ "LUL", "425618" },
	{ "Keepo", "1902" },
	{ "4Head", "354" },
	{ "BibleThump", "86" },
	{ "Kreygasm", "41" },
	{ "SeemsGood", "64138" },
	{ "VoHiYo", "81274" },
	{ "<3", "483" },
};

static void *
chat_xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL) {
		fputs("fake-twitch: out of memory (chat)\n", stderr);
		abort();
	}
	return p;
}

static void *
chat_xrealloc(void *p, size_t n, size_t sz)
{
	if ((p = realloc(p, n * sz)) == NULL) {
		fputs("fake-twitch: out of memory (chat)\n", stderr);
		abort();
	}
	return p;
}

/* ---- small helpers ---- */

void
chat_tag_escape(const char *s, char *buf, size_t bufsz)
{
	size_t	n = 0;
	const char *e;

	for (; *s != '\0' && n + 3 < bufsz; s++) {
		switch (*s) {
		case ';':	e = "\\:"; break;
		case ' ':	e = "\\s"; break;
		case '\\':	e = "\\\\"; break;
		case '\r':	e = "\\r"; break;
		case '\n':	e = "\\n"; break;
		default:	e = NULL; break;
		}
		if (e != NULL) {
			buf[n++] = e[0];
			buf[n++] = e[1];
		} else
			buf[n++] = *s;
	}
	buf[n] = '\0';
}

static uint64_t
chat_rand(void)
{
	/* xorshift64*: ids need only look random and never repeat soon. */
	chat.id_state ^= chat.id_state >> 12;
	chat.id_state ^= chat.id_state << 25;
	chat.id_state ^= chat.id_state >> 27;
	return chat.id_state * 2685821657736338717ULL;
}

void
chat_new_id(char *buf)
{
	uint64_t	a = chat_rand(), b = chat_rand();

	snprintf(buf, 37, "%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xfff, (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/* Code points in s (UTF-8; stray bytes count one each). */
static size_t
chat_cplen(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

void
chat_emotes(const char *text, char *buf, size_t bufsz)
{
	size_t		 e, n = 0, wlen, cp, wcp, nl, ne;
	const char	*w, *p;
	char		 ranges[400];
	int		 k;

	ne = sizeof chat_emote_table / sizeof chat_emote_table[0];
	buf[0] = '\0';
	for (e = 0; e < ne; e++) {
		nl = strlen(chat_emote_table[e].name);
		ranges[0] = '\0';
		k = 0;
		cp = 0;
		for (p = text; *p != '\0';) {
			if (*p == ' ') {
				p++;
				cp++;
				continue;
			}
			for (w = p; *p != '\0' && *p != ' '; p++)
				;
			wlen = (size_t)(p - w);
			wcp = chat_cplen(w, wlen);
			if (wlen == nl &&
			    memcmp(w, chat_emote_table[e].name, nl) == 0) {
				size_t rl = strlen(ranges);

				k = snprintf(ranges + rl, sizeof ranges - rl,
				    "%s%zu-%zu", rl > 0 ? "," : "", cp,
				    cp + wcp - 1);
				if (k < 0 || (size_t)k >= sizeof ranges - rl) {
					ranges[rl] = '\0';
					break;
				}
			}
			cp += wcp;
		}
		if (ranges[0] == '\0')
			continue;
		/* emotes=ID:start-end,start-end/ID:...; inclusive, in code
		 * points of the text. */
		k = snprintf(buf + n, bufsz - n, "%s%s:%s", n > 0 ? "/" : "",
		    chat_emote_table[e].id, ranges);
		if (k < 0 || (size_t)k >= bufsz - n) {
			buf[n] = '\0';
			return;
		}
		n += (size_t)k;
	}
}

static int
chat_valid_channel(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	return n >= 1 && n <= 25;
}

static uint32_t
chat_hash(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint64_t
chat_now(void)
{
	return uv_now(chat.loop);
}

/* ---- channels ---- */

struct chat_chan *
chat_chan_get(const char *name)
{
	size_t			 i;
	struct chat_chan	*ch;
	char			 room_id[24];
	struct chatworld_roomstate rs;

	if (*name == '#')
		name++;
	for (i = 0; i < chat.nchans; i++)
		if (strcmp(chat.chans[i]->name, name) == 0)
			return chat.chans[i];
	if (!chat_valid_channel(name))
		return NULL;
	memset(&rs, 0, sizeof rs);
	rs.followers_only = -1;
	if (chatworld_channel(name, room_id, sizeof room_id, &rs) != 0) {
		if (!chat.lim.open_channels)
			return NULL;
		snprintf(room_id, sizeof room_id, "%u",
		    100000000u + chat_hash(name) % 800000000u);
	}
	ch = chat_xcalloc(1, sizeof *ch);
	snprintf(ch->name, sizeof ch->name, "%s", name);
	snprintf(ch->room_id, sizeof ch->room_id, "%s", room_id);
	ch->rs = rs;
	if (chat.nchans == chat.cap) {
		chat.cap = chat.cap == 0 ? 16 : chat.cap * 2;
		chat.chans = chat_xrealloc(chat.chans, chat.cap,
		    sizeof *chat.chans);
	}
	chat.chans[chat.nchans++] = ch;
	return ch;
}

static void
chat_active_rebuild(void)
{
	size_t	i;

	if (!chat.active_dirty)
		return;
	chat.active = chat_xrealloc(chat.active, chat.nchans + 1,
	    sizeof *chat.active);
	chat.nactive = 0;
	for (i = 0; i < chat.nchans; i++)
		if (chat.chans[i]->nmembers > 0)
			chat.active[chat.nactive++] = chat.chans[i];
	chat.active_dirty = 0;
}

struct chat_chan *
chat_chan_active(size_t i)
{
	chat_active_rebuild();
	return i < chat.nactive ? chat.active[i] : NULL;
}

size_t
chat_chan_nactive(void)
{
	chat_active_rebuild();
	return chat.nactive;
}

const char *
chat_chan_name(const struct chat_chan *ch)
{
	return ch->name;
}

const char *
chat_chan_room_id(const struct chat_chan *ch)
{
	return ch->room_id;
}

static void
chat_send_one(struct chat_sess *s, struct fline *tagged, struct fline *plain)
{
	if ((s->caps & CHAT_CAP_TAGS) && tagged != NULL)
		net_conn_send(s->conn, tagged);
	else if (plain != NULL)
		net_conn_send(s->conn, plain);
}

static size_t
chat_chan_send_except(struct chat_chan *ch, struct fline *tagged,
    struct fline *plain, unsigned needcaps, struct chat_sess *except)
{
	size_t		 i, n = 0;
	struct chat_sess *s;

	for (i = 0; i < ch->nmembers; i++) {
		s = ch->members[i];
		if (s == except || s->dead || (s->caps & needcaps) != needcaps)
			continue;
		if (!((s->caps & CHAT_CAP_TAGS) && tagged != NULL) &&
		    plain == NULL)
			continue;
		chat_send_one(s, tagged, plain);
		n++;
	}
	ch->lines += n;
	chat.lines_relayed += n;
	return n;
}

size_t
chat_chan_send(struct chat_chan *ch, struct fline *tagged, struct fline *plain,
    unsigned needcaps)
{
	return chat_chan_send_except(ch, tagged, plain, needcaps, NULL);
}

void
chat_chan_remember(struct chat_chan *ch, const char *id, const char *login,
    const char *text)
{
	struct chat_recent *r = &ch->recent[ch->recent_next];

	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->login, sizeof r->login, "%s", login);
	snprintf(r->text, sizeof r->text, "%s", text);
	ch->recent_next = (ch->recent_next + 1) % CHAT_RECENT;
	if (ch->nrecent < CHAT_RECENT)
		ch->nrecent++;
}

int
chat_chan_recent(struct chat_chan *ch, unsigned pick, const char **id,
    const char **login, const char **text)
{
	struct chat_recent *r;

	if (ch->nrecent == 0)
		return -1;
	r = &ch->recent[(ch->recent_next + CHAT_RECENT - 1 -
	    pick % ch->nrecent) % CHAT_RECENT];
	*id = r->id;
	*login = r->login;
	*text = r->text;
	return 0;
}

static struct chat_recent *
chat_chan_find_msg(struct chat_chan *ch, const char *id)
{
	unsigned	i;

	for (i = 0; i < ch->nrecent; i++)
		if (strcmp(ch->recent[i].id, id) == 0)
			return &ch->recent[i];
	return NULL;
}

/* The ban or timeout of login in ch, or NULL (expired ones go). */
static struct chat_ban *
chat_ban_find(struct chat_chan *ch, const char *login)
{
	size_t		 i;
	uint64_t	 now = net_now_ms();

	for (i = 0; i < ch->nbans; i++) {
		if (strcmp(ch->bans[i].login, login) != 0)
			continue;
		if (ch->bans[i].until_ms != 0 && ch->bans[i].until_ms <= now) {
			ch->bans[i] = ch->bans[--ch->nbans];
			return NULL;
		}
		return &ch->bans[i];
	}
	return NULL;
}

static void
chat_ban_set(struct chat_chan *ch, const char *login, unsigned duration_s)
{
	struct chat_ban	*b;

	if ((b = chat_ban_find(ch, login)) == NULL) {
		ch->bans = chat_xrealloc(ch->bans, ch->nbans + 1,
		    sizeof *ch->bans);
		b = &ch->bans[ch->nbans++];
		snprintf(b->login, sizeof b->login, "%s", login);
	}
	b->until_ms = duration_s == 0 ? 0 :
	    net_now_ms() + (uint64_t)duration_s * 1000;
}

void
chat_unban(const char *channel, const char *login)
{
	struct chat_chan	*ch;
	struct chat_ban		*b;

	if ((ch = chat_chan_get(channel)) == NULL ||
	    (b = chat_ban_find(ch, login)) == NULL)
		return;
	*b = ch->bans[--ch->nbans];
}

/* Milliseconds since login's last message in ch (UINT64_MAX: none);
 * records now as the last. */
static uint64_t
chat_last_swap(struct chat_chan *ch, const char *login, int record)
{
	size_t		 i;
	uint64_t	 now = chat_now(), age;

	for (i = 0; i < ch->nlasts; i++)
		if (strcmp(ch->lasts[i].login, login) == 0) {
			age = now - ch->lasts[i].ms;
			if (record)
				ch->lasts[i].ms = now;
			return age;
		}
	if (record) {
		ch->lasts = chat_xrealloc(ch->lasts, ch->nlasts + 1,
		    sizeof *ch->lasts);
		snprintf(ch->lasts[ch->nlasts].login,
		    sizeof ch->lasts[ch->nlasts].login, "%s", login);
		ch->lasts[ch->nlasts++].ms = now;
	}
	return UINT64_MAX;
}

/* Is every word of text a known emote (emote-only mode)? The emotes tag's
 * ranges must cover every code point that is not a space. */
static int
chat_only_emotes(const char *text)
{
	char		 buf[600], *end;
	const char	*p = buf;
	unsigned long	 a, b;
	size_t		 i, covered = 0, nonspace = 0;

	if (strncmp(text, "\001ACTION ", 8) == 0)
		return 0;
	chat_emotes(text, buf, sizeof buf);
	while ((p = strchr(p, ':')) != NULL) {
		p++;
		for (;;) {
			a = strtoul(p, &end, 10);
			if (*end != '-')
				break;
			b = strtoul(end + 1, &end, 10);
			covered += b - a + 1;
			p = end;
			if (*p != ',')
				break;
			p++;
		}
	}
	for (i = 0; text[i] != '\0'; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80 && text[i] != ' ')
			nonspace++;
	return nonspace > 0 && covered == nonspace;
}

/* Room rules and bans for a message from s in ch: 0, or -1 after the
 * NOTICE Twitch sends. priv: mod, VIP or broadcaster. */
static int
chat_room_rules(struct chat_sess *s, struct chat_chan *ch, const char *text,
    int roles, int priv)
{
	struct chat_ban	*b;
	char		 msg[200];
	uint64_t	 age;
	int		 staff = (roles & (CHATWORLD_MOD |
			    CHATWORLD_BROADCASTER)) != 0;

	if ((b = chat_ban_find(ch, s->user.login)) != NULL) {
		if (b->until_ms == 0) {
			snprintf(msg, sizeof msg, "You are permanently banned "
			    "from talking in %s.", ch->name);
			chat_notice(s, ch->name, "msg_banned", msg);
		} else {
			snprintf(msg, sizeof msg, "You are timed out for %llu "
			    "more seconds.", (unsigned long long)
			    ((b->until_ms - net_now_ms() + 999) / 1000));
			chat_notice(s, ch->name, "msg_timedout", msg);
		}
		return -1;
	}
	if (staff)
		return 0;
	if (ch->rs.subs_only && !(roles & CHATWORLD_SUB) && !priv) {
		snprintf(msg, sizeof msg, "This room is in subscribers only "
		    "mode. To talk, purchase a channel subscription at "
		    "https://www.twitch.tv/products/%s/ticket?ref="
		    "subscriber_only_mode_chat.", ch->name);
		chat_notice(s, ch->name, "msg_subsonly", msg);
		return -1;
	}
	if (ch->rs.emote_only && !chat_only_emotes(text)) {
		chat_notice(s, ch->name, "msg_emoteonly", "This room is in "
		    "emote-only mode.");
		return -1;
	}
	if (ch->rs.slow > 0 && !priv) {
		age = chat_last_swap(ch, s->user.login, 0);
		if (age < (uint64_t)ch->rs.slow * 1000) {
			snprintf(msg, sizeof msg, "This room is in slow mode "
			    "and you are sending messages too quickly. You "
			    "will be able to talk again in %llu seconds.",
			    (unsigned long long)(((uint64_t)ch->rs.slow *
			    1000 - age + 999) / 1000));
			chat_notice(s, ch->name, "msg_slowmode", msg);
			return -1;
		}
	}
	return 0;
}

/* ---- accounts and limits ---- */

static struct chat_acct *
chat_acct_get(const char *login)
{
	struct chat_acct	*a;
	unsigned		 cap;

	for (a = chat.accts; a != NULL; a = a->next)
		if (strcmp(a->login, login) == 0)
			return a;
	a = chat_xcalloc(1, sizeof *a);
	snprintf(a->login, sizeof a->login, "%s", login);
	cap = chat.lim.msgs_priv > chat.lim.msgs ? chat.lim.msgs_priv :
	    chat.lim.msgs;
	a->msg_ts = chat_xcalloc(cap + 1, sizeof *a->msg_ts);
	a->msg_priv = chat_xcalloc(cap + 1, 1);
	a->join_ts = chat_xcalloc(chat.lim.joins + 1, sizeof *a->join_ts);
	a->next = chat.accts;
	chat.accts = a;
	return a;
}

static unsigned
chat_msg_cap(void)
{
	return (chat.lim.msgs_priv > chat.lim.msgs ? chat.lim.msgs_priv :
	    chat.lim.msgs) + 1;
}

/* Messages in the window: all of them, and those sent without privilege. */
static void
chat_msg_window(struct chat_acct *a, unsigned *all, unsigned *plain)
{
	unsigned	i, cap = chat_msg_cap();
	uint64_t	now = chat_now();

	*all = *plain = 0;
	for (i = 0; i < a->nmsg && i < cap; i++) {
		if (now - a->msg_ts[i] >= chat.lim.msgs_window_ms)
			continue;
		(*all)++;
		if (!a->msg_priv[i])
			(*plain)++;
	}
}

/* pajbot: a message counts against both buckets; the 20 one decides for
 * users without privilege in the target channel, the 100 one for all. */
static int
chat_msg_allowed(struct chat_acct *a, int priv)
{
	unsigned	all, plain;

	chat_msg_window(a, &all, &plain);
	if (all >= chat.lim.msgs_priv)
		return 0;
	if (!priv && plain >= chat.lim.msgs)
		return 0;
	return 1;
}

static void
chat_msg_count(struct chat_acct *a, int priv)
{
	unsigned	all, plain, cap = chat_msg_cap();

	a->msg_ts[a->msg_next] = chat_now();
	a->msg_priv[a->msg_next] = (unsigned char)priv;
	a->msg_next = (a->msg_next + 1) % cap;
	if (a->nmsg < cap)
		a->nmsg++;
	chat_msg_window(a, &all, &plain);
	if (all > a->max_msgs_window)
		a->max_msgs_window = all;
}

static unsigned
chat_join_window(struct chat_acct *a)
{
	unsigned	i, n = 0, cap = chat.lim.joins + 1;
	uint64_t	now = chat_now();

	for (i = 0; i < a->njoin && i < cap; i++)
		if (now - a->join_ts[i] < chat.lim.joins_window_ms)
			n++;
	return n;
}

static void
chat_join_count(struct chat_acct *a)
{
	unsigned	cap = chat.lim.joins + 1, n;

	a->join_ts[a->join_next] = chat_now();
	a->join_next = (a->join_next + 1) % cap;
	if (a->njoin < cap)
		a->njoin++;
	if ((n = chat_join_window(a)) > a->max_joins_window)
		a->max_joins_window = n;
}

static int
chat_is_dup(struct chat_acct *a, const char *chan, const char *text)
{
	uint32_t	h = chat_hash(text);
	uint64_t	now = chat_now();
	unsigned	i;

	for (i = 0; i < CHAT_DUPS; i++)
		if (a->dups[i].ts != 0 && a->dups[i].hash == h &&
		    now - a->dups[i].ts < chat.lim.dup_window_ms &&
		    strcmp(a->dups[i].chan, chan) == 0)
			return 1;
	return 0;
}

static void
chat_dup_add(struct chat_acct *a, const char *chan, const char *text)
{
	struct chat_dup	*d = &a->dups[a->dup_next];

	snprintf(d->chan, sizeof d->chan, "%s", chan);
	d->hash = chat_hash(text);
	d->ts = chat_now();
	a->dup_next = (a->dup_next + 1) % CHAT_DUPS;
}

/* Is another connection of the same account in ch? */
static int
chat_acct_in(struct chat_chan *ch, struct chat_acct *a, struct chat_sess *not)
{
	size_t	i;

	for (i = 0; i < ch->nmembers; i++)
		if (ch->members[i] != not && ch->members[i]->acct == a)
			return 1;
	return 0;
}

/* ---- sending to one session ---- */

static void
chat_send(struct chat_sess *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
chat_send(struct chat_sess *s, const char *fmt, ...)
{
	va_list		 ap;
	struct fline	*f;

	va_start(ap, fmt);
	f = fline_vprintf(fmt, ap);
	va_end(ap);
	net_conn_send(s->conn, f);
	fline_unref(f);
}

/* NOTICE with msg-id, to connections with the commands capability. */
static void
chat_notice(struct chat_sess *s, const char *chan, const char *msgid,
    const char *text)
{
	if (!(s->caps & CHAT_CAP_COMMANDS))
		return;
	if (s->caps & CHAT_CAP_TAGS)
		chat_send(s, "@msg-id=%s :" CHAT_HOST " NOTICE #%s :%s", msgid,
		    chan, text);
	else
		chat_send(s, ":" CHAT_HOST " NOTICE #%s :%s", chan, text);
}

/* badges and badge-info of login in ch (or globally when ch is NULL). */
static int
chat_badges(struct chat_chan *ch, const struct chatworld_user *u,
    char *badges, size_t bsz, char *info, size_t isz)
{
	int	roles = 0, months = 0;
	size_t	n = 0;

	badges[0] = info[0] = '\0';
	if (ch != NULL)
		roles = chatworld_roles(ch->name, u->login, &months);
#define CHAT_ADD(...) do {						\
	int k_ = snprintf(badges + n, bsz - n, "%s", n > 0 ? "," : "");	\
	if (k_ > 0 && (size_t)k_ < bsz - n) n += (size_t)k_;		\
	k_ = snprintf(badges + n, bsz - n, __VA_ARGS__);		\
	if (k_ > 0 && (size_t)k_ < bsz - n) n += (size_t)k_;		\
} while (0)
	if (roles & CHATWORLD_BROADCASTER)
		CHAT_ADD("broadcaster/1");
	if (roles & CHATWORLD_MOD)
		CHAT_ADD("moderator/1");
	if (roles & CHATWORLD_VIP)
		CHAT_ADD("vip/1");
	if (roles & CHATWORLD_SUB) {
		CHAT_ADD("subscriber/%d", months >= 12 ? 12 : months >= 6 ?
		    6 : months >= 3 ? 3 : 0);
		snprintf(info, isz, "subscriber/%d", months);
	}
	if (u->badges[0] != '\0')
		CHAT_ADD("%s", u->badges);
#undef CHAT_ADD
	return roles;
}

static void
chat_userstate(struct chat_sess *s, struct chat_chan *ch, const char *msgid)
{
	char	badges[160], info[48], disp[200];
	int	roles;

	if (!(s->caps & CHAT_CAP_COMMANDS))
		return;
	if (!(s->caps & CHAT_CAP_TAGS)) {
		chat_send(s, ":" CHAT_HOST " USERSTATE #%s", ch->name);
		return;
	}
	roles = chat_badges(ch, &s->user, badges, sizeof badges, info,
	    sizeof info);
	chat_tag_escape(s->user.display, disp, sizeof disp);
	chat_send(s, "@badge-info=%s;badges=%s;color=%s;display-name=%s;"
	    "emote-sets=0%s%s;mod=%d;subscriber=%d;user-type=%s :" CHAT_HOST
	    " USERSTATE #%s", info, badges, s->user.color, disp,
	    msgid != NULL ? ";id=" : "", msgid != NULL ? msgid : "",
	    (roles & CHATWORLD_MOD) != 0, (roles & CHATWORLD_SUB) != 0,
	    (roles & CHATWORLD_MOD) ? "mod" : "", ch->name);
}

static void
chat_send_roomstate(struct chat_sess *s, struct chat_chan *ch)
{
	if (!(s->caps & CHAT_CAP_COMMANDS))
		return;
	if (!(s->caps & CHAT_CAP_TAGS)) {
		chat_send(s, ":" CHAT_HOST " ROOMSTATE #%s", ch->name);
		return;
	}
	chat_send(s, "@emote-only=%d;followers-only=%d;r9k=%d;room-id=%s;"
	    "slow=%d;subs-only=%d :" CHAT_HOST " ROOMSTATE #%s",
	    ch->rs.emote_only, ch->rs.followers_only, ch->rs.r9k, ch->room_id,
	    ch->rs.slow, ch->rs.subs_only, ch->name);
}

/*
 * The PRIVMSG lines for a message from u in ch: tagged and plain, both
 * new references. reply_to: the parent message, or NULL.
 */
static void
chat_privmsg_lines(struct chat_chan *ch, const struct chatworld_user *u,
    const char *text, const char *id, uint64_t ts, const char *nonce,
    struct chat_recent *reply_to, struct fline **tagged, struct fline **plain)
{
	char		 badges[160], info[48], disp[200], emotes[512];
	char		 reply[1200], nonce_tag[160];
	const char	*etext = text;
	int		 roles;
	size_t		 tl;

	roles = chat_badges(ch, u, badges, sizeof badges, info, sizeof info);
	chat_tag_escape(u->display, disp, sizeof disp);
	/* For /me the ranges count from after "\001ACTION ". */
	if (strncmp(text, "\001ACTION ", 8) == 0)
		etext = text + 8;
	tl = strlen(etext);
	if (tl > 0 && etext[tl - 1] == '\001') {
		char	tmp[2048];

		snprintf(tmp, sizeof tmp, "%.*s", (int)(tl - 1), etext);
		chat_emotes(tmp, emotes, sizeof emotes);
	} else
		chat_emotes(etext, emotes, sizeof emotes);
	reply[0] = nonce_tag[0] = '\0';
	if (nonce != NULL && *nonce != '\0')
		snprintf(nonce_tag, sizeof nonce_tag, "client-nonce=%.100s;",
		    nonce);
	if (reply_to != NULL) {
		struct chatworld_user	 pu;
		char			 pdisp[200], pbody[400];

		chatworld_user(reply_to->login, &pu);
		chat_tag_escape(pu.display, pdisp, sizeof pdisp);
		chat_tag_escape(reply_to->text, pbody, sizeof pbody);
		snprintf(reply, sizeof reply, "reply-parent-display-name=%s;"
		    "reply-parent-msg-body=%s;reply-parent-msg-id=%s;"
		    "reply-parent-user-id=%s;reply-parent-user-login=%s;",
		    pdisp, pbody, reply_to->id, pu.id, pu.login);
	}
	*tagged = fline_printf("@badge-info=%s;badges=%s;%scolor=%s;"
	    "display-name=%s;emotes=%s;first-msg=0;flags=;id=%s;mod=%d;%s"
	    "returning-chatter=0;room-id=%s;subscriber=%d;tmi-sent-ts=%llu;"
	    "turbo=0;user-id=%s;user-type=%s%s :%s!%s@%s." CHAT_HOST
	    " PRIVMSG #%s :%s",
	    info, badges, nonce_tag, u->color, disp, emotes, id,
	    (roles & CHATWORLD_MOD) != 0, reply, ch->room_id,
	    (roles & CHATWORLD_SUB) != 0, (unsigned long long)ts, u->id,
	    (roles & CHATWORLD_MOD) ? "mod" : "",
	    (roles & CHATWORLD_VIP) ? ";vip=1" : "",
	    u->login, u->login, u->login, ch->name, text);
	*plain = fline_printf(":%s!%s@%s." CHAT_HOST " PRIVMSG #%s :%s",
	    u->login, u->login, u->login, ch->name, text);
}

/* ---- sessions ---- */

void *
chat_open(struct net_conn *c)
{
	struct chat_sess	*s;

	s = chat_xcalloc(1, sizeof *s);
	s->conn = c;
	s->next = chat.sessions;
	if (chat.sessions != NULL)
		chat.sessions->prev = s;
	chat.sessions = s;
	return s;
}

static void
chat_leave(struct chat_sess *s, struct chat_chan *ch, int announce)
{
	size_t	i;
	struct fline *f;

	for (i = 0; i < ch->nmembers; i++)
		if (ch->members[i] == s) {
			ch->members[i] = ch->members[--ch->nmembers];
			break;
		}
	for (i = 0; i < s->nchans; i++)
		if (s->chans[i] == ch) {
			s->chans[i] = s->chans[--s->nchans];
			break;
		}
	if (ch->nmembers == 0)
		chat.active_dirty = 1;
	if (s->acct != NULL && !chat_acct_in(ch, s->acct, NULL) &&
	    !(chatworld_roles(ch->name, s->acct->login, NULL) &
	    (CHATWORLD_MOD | CHATWORLD_BROADCASTER)) &&
	    s->acct->nchannels > 0)
		s->acct->nchannels--;
	if (announce) {
		f = fline_printf(":%s!%s@%s." CHAT_HOST " PART #%s",
		    s->user.login, s->user.login, s->user.login, ch->name);
		chat_chan_send(ch, NULL, f, CHAT_CAP_MEMBERSHIP);
		fline_unref(f);
	}
}

void
chat_closed(void *arg)
{
	struct chat_sess	*s = arg;

	if (s == NULL)
		return;
	while (s->nchans > 0)
		chat_leave(s, s->chans[s->nchans - 1], s->state == CHAT_IN);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		chat.sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	free(s->chans);
	free(s);
}

/* Close after what is queued; no more input is handled. */
static void
chat_drop(struct chat_sess *s, int abrupt, const char *why)
{
	if (s->dead)
		return;
	s->dead = 1;
	fprintf(stderr, "fake-twitch: %s: %s\n", net_conn_name(s->conn), why);
	net_conn_close(s->conn, abrupt);
}

static void
chat_cap(struct chat_sess *s, char *args)
{
	char		*p, *w;
	unsigned	 want = 0;
	int		 bad = 0;
	char		 list[512];

	while (*args == ' ')
		args++;
	if (strncmp(args, "LS", 2) == 0) {
		chat_send(s, ":" CHAT_HOST " CAP * LS :twitch.tv/tags "
		    "twitch.tv/commands twitch.tv/membership");
		return;
	}
	if (strncmp(args, "REQ", 3) != 0)
		return;		/* CAP END and others: nothing to say */
	p = args + 3;
	while (*p == ' ')
		p++;
	if (*p == ':')
		p++;
	snprintf(list, sizeof list, "%s", p);
	while ((w = strsep(&p, " ")) != NULL) {
		if (*w == '\0')
			continue;
		if (strcmp(w, "twitch.tv/tags") == 0)
			want |= CHAT_CAP_TAGS;
		else if (strcmp(w, "twitch.tv/commands") == 0)
			want |= CHAT_CAP_COMMANDS;
		else if (strcmp(w, "twitch.tv/membership") == 0)
			want |= CHAT_CAP_MEMBERSHIP;
		else
			bad = 1;
	}
	/* IRCv3: a request is granted or refused as a whole. */
	if (bad) {
		chat_send(s, ":" CHAT_HOST " CAP * NAK :%s", list);
		return;
	}
	s->caps |= want;
	chat_send(s, ":" CHAT_HOST " CAP * ACK :%s", list);
}

static void
chat_welcome(struct chat_sess *s)
{
	const char	*n = s->user.login;
	char		 badges[160], info[48], disp[200];

	chat_send(s, ":" CHAT_HOST " 001 %s :Welcome, GLHF!", n);
	chat_send(s, ":" CHAT_HOST " 002 %s :Your host is " CHAT_HOST, n);
	chat_send(s, ":" CHAT_HOST " 003 %s :This server is rather new", n);
	chat_send(s, ":" CHAT_HOST " 004 %s :-", n);
	chat_send(s, ":" CHAT_HOST " 375 %s :-", n);
	chat_send(s, ":" CHAT_HOST " 372 %s :You are in a maze of twisty "
	    "passages, all alike.", n);
	chat_send(s, ":" CHAT_HOST " 376 %s :>", n);
	if (s->anon || !(s->caps & CHAT_CAP_COMMANDS))
		return;
	if (!(s->caps & CHAT_CAP_TAGS)) {
		chat_send(s, ":" CHAT_HOST " GLOBALUSERSTATE");
		return;
	}
	chat_badges(NULL, &s->user, badges, sizeof badges, info, sizeof info);
	chat_tag_escape(s->user.display, disp, sizeof disp);
	chat_send(s, "@badge-info=;badges=%s;color=%s;display-name=%s;"
	    "emote-sets=0;user-id=%s;user-type= :" CHAT_HOST
	    " GLOBALUSERSTATE", badges, s->user.color, disp, s->user.id);
}

static int
chat_is_anon(const char *nick)
{
	const char	*p;

	if (strncmp(nick, "justinfan", 9) != 0 || nick[9] == '\0')
		return 0;
	for (p = nick + 9; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static void
chat_nick(struct chat_sess *s, char *nick)
{
	while (*nick == ' ' || *nick == ':')
		nick++;
	if (s->state == CHAT_IN)
		return;
	if (chat_is_anon(nick)) {
		s->anon = 1;
		memset(&s->user, 0, sizeof s->user);
		snprintf(s->user.login, sizeof s->user.login, "%.31s", nick);
		snprintf(s->user.display, sizeof s->user.display, "%s",
		    s->user.login);
	} else if (!s->have_pass) {
		/* Twitch: PASS must come before NICK. */
		chat_send(s, ":" CHAT_HOST " NOTICE * :Improperly formatted "
		    "auth");
		chat.login_failures++;
		chat_drop(s, 0, "NICK without PASS: improperly formatted auth");
		return;
	} else if (chatworld_token(s->token, net_now_ms(), &s->user) != 0) {
		chat_send(s, ":" CHAT_HOST " NOTICE * :Login authentication "
		    "failed");
		chat.login_failures++;
		chat_drop(s, 0, "PASS ****: login authentication failed");
		return;
	}
	memset(s->token, 0, sizeof s->token);
	s->state = CHAT_IN;
	chat.logins++;
	if (!s->anon)
		s->acct = chat_acct_get(s->user.login);
	s->next_ping = chat_now() + chat.lim.ping_interval_ms;
	fprintf(stderr, "fake-twitch: %s: PASS **** NICK %s: logged in as %s%s\n",
	    net_conn_name(s->conn), nick, s->user.login,
	    s->anon ? " (anonymous, read-only)" : "");
	chat_welcome(s);
}

static void
chat_names(struct chat_sess *s, struct chat_chan *ch)
{
	char	buf[512];
	size_t	n = 0, i;
	const char *me = s->user.login;

	/* Always oneself; the others only with the membership capability,
	 * in lines of about 400 bytes, as a NAMES reply is split. */
	n = (size_t)snprintf(buf, sizeof buf, "%s", me);
	for (i = 0; (s->caps & CHAT_CAP_MEMBERSHIP) && i < ch->nmembers &&
	    i < 1000; i++) {
		const char *o = ch->members[i]->user.login;

		if (ch->members[i] == s || ch->members[i]->anon)
			continue;
		if (n + strlen(o) + 2 > 400) {
			chat_send(s, ":%s." CHAT_HOST " 353 %s = #%s :%s", me,
			    me, ch->name, buf);
			n = 0;
			buf[0] = '\0';
		}
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
		    n > 0 ? " " : "", o);
	}
	if (n > 0)
		chat_send(s, ":%s." CHAT_HOST " 353 %s = #%s :%s", me, me,
		    ch->name, buf);
	chat_send(s, ":%s." CHAT_HOST " 366 %s #%s :End of /NAMES list", me,
	    me, ch->name);
}

static void
chat_join_one(struct chat_sess *s, const char *name)
{
	struct chat_chan	*ch;
	struct fline		*f;
	size_t			 i;
	int			 roles, counts;
	char			 text[160];

	if (*name == '#')
		name++;
	if (!chat_valid_channel(name))
		return;
	if ((ch = chat_chan_get(name)) == NULL) {
		chat_notice(s, name, "msg_channel_suspended",
		    "This channel does not exist or has been suspended.");
		return;
	}
	for (i = 0; i < s->nchans; i++)
		if (s->chans[i] == ch)
			return;
	if (s->acct != NULL) {
		if (chat_join_window(s->acct) >= chat.lim.joins) {
			s->acct->joins_refused++;
			snprintf(text, sizeof text, "fake: JOIN #%s dropped, "
			    "more than %u JOINs in %u ms.", name,
			    chat.lim.joins, chat.lim.joins_window_ms);
			chat_notice(s, name, "msg_join_ratelimit", text);
			return;
		}
		roles = chatworld_roles(name, s->acct->login, NULL);
		counts = !(roles & (CHATWORLD_MOD | CHATWORLD_BROADCASTER)) &&
		    !chat_acct_in(ch, s->acct, s);
		if (counts && s->acct->nchannels >= chat.lim.max_channels) {
			s->acct->joins_refused++;
			snprintf(text, sizeof text, "fake: JOIN #%s dropped, "
			    "already in %u channels.", name,
			    chat.lim.max_channels);
			chat_notice(s, name, "msg_channel_limit", text);
			return;
		}
		chat_join_count(s->acct);
		s->acct->joins_ok++;
		if (counts)
			s->acct->nchannels++;
	}
	if (ch->nmembers == ch->cap) {
		ch->cap = ch->cap == 0 ? 8 : ch->cap * 2;
		ch->members = chat_xrealloc(ch->members, ch->cap,
		    sizeof *ch->members);
	}
	ch->members[ch->nmembers++] = s;
	if (s->nchans == s->chcap) {
		s->chcap = s->chcap == 0 ? 8 : s->chcap * 2;
		s->chans = chat_xrealloc(s->chans, s->chcap, sizeof *s->chans);
	}
	s->chans[s->nchans++] = ch;
	ch->joins++;
	chat.active_dirty = 1;

	f = fline_printf(":%s!%s@%s." CHAT_HOST " JOIN #%s", s->user.login,
	    s->user.login, s->user.login, ch->name);
	net_conn_send(s->conn, f);
	if (!s->anon)
		chat_chan_send_except(ch, NULL, f, CHAT_CAP_MEMBERSHIP, s);
	fline_unref(f);
	chat_names(s, ch);
	chat_userstate(s, ch, NULL);
	chat_send_roomstate(s, ch);
}

static void
chat_join(struct chat_sess *s, char *args)
{
	char	*w;

	while (*args == ' ')
		args++;
	if (*args == ':')
		args++;
	while ((w = strsep(&args, ",")) != NULL)
		if (*w != '\0')
			chat_join_one(s, w);
}

static void
chat_part(struct chat_sess *s, char *args)
{
	char		*w;
	size_t		 i;
	struct fline	*f;

	while (*args == ' ')
		args++;
	while ((w = strsep(&args, ",")) != NULL) {
		if (*w == '#')
			w++;
		for (i = 0; i < s->nchans; i++)
			if (strcmp(s->chans[i]->name, w) == 0)
				break;
		if (i == s->nchans)
			continue;
		f = fline_printf(":%s!%s@%s." CHAT_HOST " PART #%s",
		    s->user.login, s->user.login, s->user.login, w);
		net_conn_send(s->conn, f);
		fline_unref(f);
		chat_leave(s, s->chans[i], !s->anon);
	}
}

/* A client tag value from "@a=b;c=d" (unescaped enough for ids). */
static int
chat_client_tag(const char *tags, const char *key, char *buf, size_t bufsz)
{
	size_t	 kl = strlen(key);
	const char *p = tags, *e;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			p += kl + 1;
			e = strchr(p, ';');
			snprintf(buf, bufsz, "%.*s",
			    (int)(e != NULL ? (size_t)(e - p) : strlen(p)), p);
			return 0;
		}
		p = strchr(p, ';');
		if (p != NULL)
			p++;
	}
	return -1;
}

static void
chat_privmsg(struct chat_sess *s, const char *tags, char *args)
{
	char			*text, *target, conv[1100], nonce[128], rid[64];
	struct chat_chan	*ch = NULL;
	struct fline		*tagged, *plain;
	struct chat_recent	*reply = NULL;
	char			 id[40];
	uint64_t		 ts;
	size_t			 i;
	int			 roles, priv;

	while (*args == ' ')
		args++;
	target = args;
	if ((text = strchr(args, ' ')) == NULL)
		return;
	*text++ = '\0';
	if (*text == ':')
		text++;
	if (s->anon)
		return;		/* Twitch drops them without a word */
	if (*target == '#')
		target++;
	for (i = 0; i < s->nchans; i++)
		if (strcmp(s->chans[i]->name, target) == 0)
			ch = s->chans[i];
	if (ch == NULL)
		return;		/* not joined: dropped */
	if (strncmp(text, "/me ", 4) == 0) {
		snprintf(conv, sizeof conv, "\001ACTION %s\001", text + 4);
		text = conv;
	} else if (text[0] == '/' || text[0] == '.') {
		/* IRC chat commands were removed in February 2023. */
		if (text[1] != '\0' && text[1] != ' ' && text[1] != '/' &&
		    text[1] != '.') {
			char	msg[200];

			snprintf(msg, sizeof msg, "Unrecognized command: %.60s",
			    text);
			chat_notice(s, ch->name, "unrecognized_cmd", msg);
			return;
		}
	}
	roles = chatworld_roles(ch->name, s->user.login, NULL);
	priv = (roles & (CHATWORLD_MOD | CHATWORLD_VIP |
	    CHATWORLD_BROADCASTER)) != 0;
	if (chat_room_rules(s, ch, text, roles, priv) != 0) {
		s->acct->msgs_refused++;
		return;
	}
	if (chat_cplen(text, strlen(text)) > chat.lim.max_len) {
		s->acct->msgs_refused++;
		chat_notice(s, ch->name, "msg_too_long", "fake: Your message "
		    "was not sent because it is longer than 500 characters.");
		return;
	}
	if (!chat_msg_allowed(s->acct, priv)) {
		s->acct->msgs_refused++;
		chat_notice(s, ch->name, "msg_ratelimit", "Your message was "
		    "not sent because you are sending messages too quickly.");
		return;
	}
	if (!priv && chat_is_dup(s->acct, ch->name, text)) {
		s->acct->msgs_refused++;
		chat_notice(s, ch->name, "msg_duplicate", "Your message was "
		    "not sent because it is identical to the previous one you "
		    "sent, less than 30 seconds ago.");
		return;
	}
	chat_msg_count(s->acct, priv);
	chat_last_swap(ch, s->user.login, 1);
	chat_dup_add(s->acct, ch->name, text);
	s->acct->msgs_ok++;

	nonce[0] = '\0';
	if (tags != NULL) {
		chat_client_tag(tags, "client-nonce", nonce, sizeof nonce);
		if (chat_client_tag(tags, "reply-parent-msg-id", rid,
		    sizeof rid) == 0)
			reply = chat_chan_find_msg(ch, rid);
	}
	chat_new_id(id);
	ts = net_now_ms();
	chat_privmsg_lines(ch, &s->user, text, id, ts, nonce, reply, &tagged,
	    &plain);
	chat_chan_send_except(ch, tagged, plain, 0, s);
	fline_unref(tagged);
	fline_unref(plain);
	chat_chan_remember(ch, id, s->user.login, text);
	chat_userstate(s, ch, id);
}

static void
chat_ping(struct chat_sess *s, char *args)
{
	if (chat.nopong)
		return;
	while (*args == ' ')
		args++;
	if (*args == '\0')
		chat_send(s, "PONG :" CHAT_HOST);
	else
		chat_send(s, ":" CHAT_HOST " PONG " CHAT_HOST " :%s",
		    *args == ':' ? args + 1 : args);
}

void
chat_line(void *arg, char *line, size_t len)
{
	struct chat_sess	*s = arg;
	char			*tags = NULL, *cmd, *args;
	size_t			 i;

	(void)len;
	if (s == NULL || s->dead)
		return;
	if (*line == '@') {
		tags = line + 1;
		if ((line = strchr(line, ' ')) == NULL)
			return;
		*line++ = '\0';
	}
	while (*line == ' ')
		line++;
	if (*line == ':') {		/* a client prefix: ignored */
		if ((line = strchr(line, ' ')) == NULL)
			return;
		while (*line == ' ')
			line++;
	}
	cmd = line;
	if ((args = strchr(line, ' ')) != NULL)
		*args++ = '\0';
	else
		args = line + strlen(line);
	for (i = 0; cmd[i] != '\0'; i++)
		if (cmd[i] >= 'a' && cmd[i] <= 'z')
			cmd[i] = (char)(cmd[i] - 'a' + 'A');

	if (strcmp(cmd, "PING") == 0)
		chat_ping(s, args);
	else if (strcmp(cmd, "PONG") == 0)
		s->awaiting_pong = 0;
	else if (strcmp(cmd, "CAP") == 0)
		chat_cap(s, args);
	else if (strcmp(cmd, "PASS") == 0) {
		if (s->state == CHAT_IN)
			return;
		while (*args == ' ')
			args++;
		if (strncmp(args, "oauth:", 6) == 0)
			args += 6;
		snprintf(s->token, sizeof s->token, "%s", args);
		s->have_pass = 1;
		/* The token itself is never logged. */
		fprintf(stderr, "fake-twitch: %s: PASS ****\n",
		    net_conn_name(s->conn));
	} else if (strcmp(cmd, "NICK") == 0)
		chat_nick(s, args);
	else if (strcmp(cmd, "QUIT") == 0)
		chat_drop(s, 0, "QUIT");
	else if (s->state != CHAT_IN)
		return;		/* Twitch ignores the rest before login */
	else if (strcmp(cmd, "JOIN") == 0)
		chat_join(s, args);
	else if (strcmp(cmd, "PART") == 0)
		chat_part(s, args);
	else if (strcmp(cmd, "PRIVMSG") == 0)
		chat_privmsg(s, tags, args);
	else if (strcmp(cmd, "USER") != 0 && strcmp(cmd, "MODE") != 0)
		chat_send(s, ":" CHAT_HOST " 421 %s %s :Unknown command",
		    s->user.login, cmd);
}

/* ---- keepalive ---- */

static void
chat_tick(uv_timer_t *t)
{
	struct chat_sess	*s, *next;
	uint64_t		 now = chat_now();

	(void)t;
	for (s = chat.sessions; s != NULL; s = next) {
		next = s->next;
		if (s->dead || s->state != CHAT_IN)
			continue;
		if (s->awaiting_pong &&
		    now - s->ping_sent >= chat.lim.pong_timeout_ms) {
			chat_drop(s, 1, "no PONG in time: dropped");
			continue;
		}
		if (!s->awaiting_pong && now >= s->next_ping) {
			chat_send(s, "PING :" CHAT_HOST);
			s->ping_sent = now;
			s->awaiting_pong = 1;
			s->next_ping = now + chat.lim.ping_interval_ms;
		}
	}
}

void
chat_init(uv_loop_t *loop, struct fake_world *w, const struct chat_limits *l)
{
	chat.loop = loop;
	chat.lim = *l;
	chat.id_state = 0x9e3779b97f4a7c15ULL;
	(void)w;
	uv_timer_init(loop, &chat.tick);
	uv_timer_start(&chat.tick, chat_tick, CHAT_TICK_MS, CHAT_TICK_MS);
}

void
chat_stop(void)
{
	size_t			 i;
	struct chat_acct	*a;

	if (chat.stopped)
		return;
	chat.stopped = 1;
	uv_timer_stop(&chat.tick);
	uv_close((uv_handle_t *)&chat.tick, NULL);
	/* Sessions are freed as net closes their connections. */
	for (i = 0; i < chat.nchans; i++) {
		free(chat.chans[i]->bans);
		free(chat.chans[i]->lasts);
		free(chat.chans[i]->members);
		free(chat.chans[i]);
	}
	free(chat.chans);
	free(chat.active);
	chat.chans = chat.active = NULL;
	chat.nchans = chat.nactive = 0;
	while ((a = chat.accts) != NULL) {
		chat.accts = a->next;
		free(a->msg_ts);
		free(a->msg_priv);
		free(a->join_ts);
		free(a);
	}
}

/* ---- what the crowd, the faults and the control port do ---- */

long
chat_say(const char *channel, const char *login, const char *text, char *id,
    uint64_t *sent_ms)
{
	struct chat_chan	*ch;
	struct chatworld_user	 u;
	struct fline		*tagged, *plain;
	size_t			 n;

	if ((ch = chat_chan_get(channel)) == NULL)
		return -1;
	chatworld_user(login, &u);
	chat_new_id(id);
	*sent_ms = net_now_ms();
	chat_privmsg_lines(ch, &u, text, id, *sent_ms, NULL, NULL, &tagged,
	    &plain);
	n = chat_chan_send(ch, tagged, plain, 0);
	fline_unref(tagged);
	fline_unref(plain);
	chat_chan_remember(ch, id, u.login, text);
	return (long)n;
}

long
chat_raw(const char *channel, const char *line)
{
	struct chat_chan	*ch;
	struct fline		*f;
	size_t			 i, n = 0;

	f = fline_new(line, strlen(line));
	if (channel != NULL) {
		if ((ch = chat_chan_get(channel)) == NULL) {
			fline_unref(f);
			return -1;
		}
		n = chat_chan_send(ch, f, f, 0);
	} else
		for (i = 0; i < chat.nchans; i++)
			n += chat_chan_send(chat.chans[i], f, f, 0);
	fline_unref(f);
	return (long)n;
}

void
chat_clearchat(const char *channel, const char *login, const char *user_id,
    unsigned duration_s)
{
	struct chat_chan	*ch;
	struct fline		*tagged, *plain;
	char			 dur[32];
	unsigned long long	 ts = (unsigned long long)net_now_ms();

	if ((ch = chat_chan_get(channel)) == NULL)
		return;
	if (login == NULL) {
		tagged = fline_printf("@room-id=%s;tmi-sent-ts=%llu :"
		    CHAT_HOST " CLEARCHAT #%s", ch->room_id, ts, ch->name);
		plain = fline_printf(":" CHAT_HOST " CLEARCHAT #%s", ch->name);
	} else {
		chat_ban_set(ch, login, duration_s);
		dur[0] = '\0';
		if (duration_s > 0)
			snprintf(dur, sizeof dur, "ban-duration=%u;",
			    duration_s);
		tagged = fline_printf("@%sroom-id=%s;target-user-id=%s;"
		    "tmi-sent-ts=%llu :" CHAT_HOST " CLEARCHAT #%s :%s", dur,
		    ch->room_id, user_id != NULL ? user_id : "", ts, ch->name,
		    login);
		plain = fline_printf(":" CHAT_HOST " CLEARCHAT #%s :%s",
		    ch->name, login);
	}
	chat_chan_send(ch, tagged, plain, CHAT_CAP_COMMANDS);
	fline_unref(tagged);
	fline_unref(plain);
}

void
chat_clearmsg(const char *channel, const char *msg_id)
{
	struct chat_chan	*ch;
	struct chat_recent	*r;
	struct fline		*tagged, *plain;

	if ((ch = chat_chan_get(channel)) == NULL)
		return;
	r = chat_chan_find_msg(ch, msg_id);
	tagged = fline_printf("@login=%s;room-id=;target-msg-id=%s;"
	    "tmi-sent-ts=%llu :" CHAT_HOST " CLEARMSG #%s :%s",
	    r != NULL ? r->login : "", msg_id,
	    (unsigned long long)net_now_ms(), ch->name,
	    r != NULL ? r->text : "");
	plain = fline_printf(":" CHAT_HOST " CLEARMSG #%s :%s", ch->name,
	    r != NULL ? r->text : "");
	chat_chan_send(ch, tagged, plain, CHAT_CAP_COMMANDS);
	fline_unref(tagged);
	fline_unref(plain);
}

void
chat_roomstate(const char *channel, const char *key, int value)
{
	struct chat_chan	*ch;
	struct fline		*tagged, *plain;

	if ((ch = chat_chan_get(channel)) == NULL)
		return;
	if (strcmp(key, "emote-only") == 0)
		ch->rs.emote_only = value;
	else if (strcmp(key, "followers-only") == 0)
		ch->rs.followers_only = value;
	else if (strcmp(key, "r9k") == 0)
		ch->rs.r9k = value;
	else if (strcmp(key, "slow") == 0)
		ch->rs.slow = value;
	else if (strcmp(key, "subs-only") == 0)
		ch->rs.subs_only = value;
	else
		return;
	/* Later ROOMSTATEs carry only the changed mode and room-id. */
	tagged = fline_printf("@%s=%d;room-id=%s :" CHAT_HOST " ROOMSTATE #%s",
	    key, value, ch->room_id, ch->name);
	plain = fline_printf(":" CHAT_HOST " ROOMSTATE #%s", ch->name);
	chat_chan_send(ch, tagged, plain, CHAT_CAP_COMMANDS);
	fline_unref(tagged);
	fline_unref(plain);
}

void
chat_usernotice(const char *channel, const char *tags, const char *text)
{
	struct chat_chan	*ch;
	struct fline		*tagged, *plain;

	if ((ch = chat_chan_get(channel)) == NULL)
		return;
	if (text != NULL) {
		tagged = fline_printf("@%s :" CHAT_HOST " USERNOTICE #%s :%s",
		    tags, ch->name, text);
		plain = fline_printf(":" CHAT_HOST " USERNOTICE #%s :%s",
		    ch->name, text);
	} else {
		tagged = fline_printf("@%s :" CHAT_HOST " USERNOTICE #%s",
		    tags, ch->name);
		plain = fline_printf(":" CHAT_HOST " USERNOTICE #%s", ch->name);
	}
	chat_chan_send(ch, tagged, plain, CHAT_CAP_COMMANDS);
	fline_unref(tagged);
	fline_unref(plain);
}

void
chat_set_nopong(int on)
{
	chat.nopong = on;
}

static int
chat_sess_in(struct chat_sess *s, const char *channel)
{
	size_t	i;

	if (channel == NULL)
		return 1;
	if (*channel == '#')
		channel++;
	for (i = 0; i < s->nchans; i++)
		if (strcmp(s->chans[i]->name, channel) == 0)
			return 1;
	return 0;
}

/* The fault's line for one session, in its first channel (or "#fake"). */
static void
chat_fault_line(struct chat_sess *s, enum chat_fault f)
{
	const char	*chan = s->nchans > 0 ? s->chans[0]->name : "fake";
	const char	*room = s->nchans > 0 ? s->chans[0]->room_id : "0";
	char		*big;
	size_t		 n;
	struct fline	*line;
	char		 id[40];

	switch (f) {
	case CHAT_FAULT_GARBAGE:
		chat_send(s, "@@@ ::: \x7f garbage;;= :: PRIVMSG");
		break;
	case CHAT_FAULT_LONGLINE:
		/* 64 KiB in one line, far past IRC's 512 and Twitch's 8 KiB
		 * of tags. */
		n = 65000;
		big = chat_xcalloc(n + 1, 1);
		memset(big, 'A', n);
		line = fline_printf(":longline!longline@longline." CHAT_HOST
		    " PRIVMSG #%s :%s", chan, big);
		net_conn_send(s->conn, line);
		fline_unref(line);
		free(big);
		break;
	case CHAT_FAULT_BADUTF8:
		chat_new_id(id);
		chat_send(s, "@badges=;color=;display-name=bad\xff\xfe;id=%s;"
		    "room-id=%s;tmi-sent-ts=%llu;user-id=1 :badutf8!badutf8@"
		    "badutf8." CHAT_HOST " PRIVMSG #%s :bad \xc3\x28 \xa0\xa1 "
		    "\xed\xa0\x80 \xf0\x28\x8c\x28 \xc0\xaf end", id, room,
		    (unsigned long long)net_now_ms(), chan);
		break;
	case CHAT_FAULT_ESCAPES:
		/* ESC in the text and in display-name: cursor moves, OSC 0
		 * (window title), OSC 52 (clipboard write), CSI 2J. */
		chat_new_id(id);
		chat_send(s, "@badges=;color=#FF0000;display-name=Evil\x1b[2J"
		    "\x1b]0;pwned\x07\x1b[31mRed;emotes=;id=%s;mod=0;room-id=%s;"
		    "subscriber=0;tmi-sent-ts=%llu;user-id=66666;user-type= "
		    ":evil!evil@evil." CHAT_HOST " PRIVMSG #%s :hello \x1b[2J"
		    "\x1b[H\x1b[10;10H\x1b]0;title-pwned\x07\x1b]52;c;"
		    "cHduZWQ=\x07\x1b[31mred\x1b[0m \x9b" "2J end", id, room,
		    (unsigned long long)net_now_ms(), chan);
		break;
	default:
		break;
	}
}

long
chat_fault(enum chat_fault f, const char *channel, unsigned arg_ms)
{
	struct chat_sess	*s, *next;
	long			 n = 0;

	for (s = chat.sessions; s != NULL; s = next) {
		next = s->next;
		if (s->dead || !chat_sess_in(s, channel))
			continue;
		n++;
		switch (f) {
		case CHAT_FAULT_RECONNECT:
			chat_send(s, ":" CHAT_HOST " RECONNECT");
			net_conn_close_later(s->conn, chat.lim.reconnect_grace_ms);
			s->dead = 1;
			fprintf(stderr, "fake-twitch: %s: RECONNECT sent, "
			    "closing in %u ms\n", net_conn_name(s->conn),
			    chat.lim.reconnect_grace_ms);
			break;
		case CHAT_FAULT_CLOSE:
			chat_drop(s, 1, "fault: closed abruptly");
			break;
		case CHAT_FAULT_STALL:
			fprintf(stderr, "fake-twitch: %s: fault: stalled for "
			    "%u ms\n", net_conn_name(s->conn), arg_ms);
			net_conn_stall(s->conn, arg_ms);
			break;
		default:
			chat_fault_line(s, f);
			break;
		}
	}
	return n;
}

void
chat_stats(char *buf, size_t bufsz)
{
	size_t			 n = 0, i;
	struct chat_sess	*s;
	struct chat_acct	*a;
	unsigned		 nsess = 0;
	const struct net_stats	*ns = net_get_stats();

#define CHAT_PUT(...) do {						\
	int k_ = snprintf(buf + n, bufsz - n, __VA_ARGS__);		\
	if (k_ > 0 && (size_t)k_ < bufsz - n) n += (size_t)k_;		\
} while (0)
	buf[0] = '\0';
	for (s = chat.sessions; s != NULL; s = s->next)
		nsess++;
	CHAT_PUT("connections=%u conns_total=%llu sessions=%u logins=%llu "
	    "login_failures=%llu lines_sent=%llu bytes_sent=%llu "
	    "lines_relayed=%llu http_requests=%llu\n", ns->conns_now,
	    (unsigned long long)ns->conns_total, nsess,
	    (unsigned long long)chat.logins,
	    (unsigned long long)chat.login_failures,
	    (unsigned long long)ns->lines_sent,
	    (unsigned long long)ns->bytes_sent,
	    (unsigned long long)chat.lines_relayed,
	    (unsigned long long)ns->http_requests);
	for (i = 0; i < chat.nchans; i++)
		CHAT_PUT("channel=%s members=%zu joins=%llu lines=%llu\n",
		    chat.chans[i]->name, chat.chans[i]->nmembers,
		    (unsigned long long)chat.chans[i]->joins,
		    (unsigned long long)chat.chans[i]->lines);
	for (a = chat.accts; a != NULL; a = a->next)
		CHAT_PUT("account=%s msgs_ok=%llu msgs_refused=%llu "
		    "joins_ok=%llu joins_refused=%llu max_msgs_window=%u "
		    "max_joins_window=%u channels=%u\n", a->login,
		    (unsigned long long)a->msgs_ok,
		    (unsigned long long)a->msgs_refused,
		    (unsigned long long)a->joins_ok,
		    (unsigned long long)a->joins_refused,
		    a->max_msgs_window, a->max_joins_window, a->nchannels);
#undef CHAT_PUT
}
