/*
 * shard.c: one chat connection logged in as one account (see shard.h).
 *
 * A shard has at most two links (WebSocket connections): the current one
 * and, while it obeys a server RECONNECT, the old one still delivering
 * chat until the new one has logged in and rejoined every channel. Lines
 * seen on both during that overlap (and a short grace after) are dropped
 * the second time, by their id tag (or the whole line when it has none).
 *
 * Sends and joins wait in the shard and go out as the account's limiters
 * allow; one timer (pump) wakes when the next one may go, or when a queued
 * message's time is up. Another (keepalive) pings an idle link and drops
 * one that stays silent. A third waits out the reconnect back-off.
 *
 * When a send is reported: Twitch does not tie its answer to a message, so
 * a written message waits for the channel's next USERSTATE (Twitch sends
 * one after each accepted message: ok) or a NOTICE msg_* for that channel
 * (refused: ok 0 with Twitch's words), whichever comes first, oldest
 * message first; with neither after SHARD_CONFIRM_MS it counts as sent.
 * So on_send fires exactly once per message, and a refusal is never
 * reported as a success. The NOTICE also goes to on_event, always.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "account.h"
#include "irc.h"
#include "ratelimit.h"
#include "shard.h"
#include "twitch.h"
#include "ws.h"
#include "xmalloc.h"

#define SHARD_CHAN_MAX		25	/* Twitch logins: 4-25 characters */
#define SHARD_CONFIRM_MS	3000
#define SHARD_JOIN_TIMEOUT_MS	15000
/* Without USERSTATE/ROOMSTATE after a JOIN (a server that sends neither),
 * sending starts this long after the JOIN echo. */
#define SHARD_JOIN_SETTLE_MS	2000
/* Twitch lets a non-moderator send about one message a second in a
 * channel (msg_ratelimit otherwise); keep a little margin. */
#define SHARD_CHAN_SPACING_MS	1100
#define SHARD_MAX_PENDING	256
#define SHARD_DEDUP_SLOTS	4096
#define SHARD_DEDUP_GRACE_MS	5000
#define SHARD_OVERLAP_LINGER_MS	2000
#define SHARD_SCRATCH		8192


enum shard_chan_state {
	CH_PENDING = 0,		/* needs a JOIN on the current link */
	CH_JOINING,		/* JOIN sent, no echo yet */
	CH_JOINED,
};

struct shard_chan {
	char		 name[SHARD_CHAN_MAX + 1];
	enum shard_chan_state state;
	int		 elevated;	/* moderator, VIP or broadcaster */
	int		 moderated;	/* moderator or broadcaster: counted
					 * in acct->moderated */
	int		 joined_once;
	unsigned	 blocked;	/* pump pass that found it blocked */
	uint64_t	 join_sent_ms;
	uint64_t	 sendable_ms;	/* JOINED: messages may go from then */
	uint64_t	 last_send_ms;
};

enum shard_msg_state {
	MSG_QUEUED = 0,		/* waiting for link, join or limits */
	MSG_WRITING,		/* handed to the link's send queue */
	MSG_AWAIT,		/* written; waiting for USERSTATE or NOTICE */
};

struct shard_msg {
	struct shard_msg	*next;
	uint64_t		 id;
	char			 chan[SHARD_CHAN_MAX + 1];
	char			*line;		/* PRIVMSG ..., no CR LF */
	size_t			 len;
	enum shard_msg_state	 st;
	struct shard_link	*link;		/* MSG_WRITING, MSG_AWAIT */
	uint64_t		 deadline_ms;	/* MSG_QUEUED fails then */
	uint64_t		 written_ms;
	int			 resent;	/* written before on a lost link */
};

struct shard_link {
	struct shard	*s;
	struct ws_conn	*ws;		/* NULL: slot unused */
	int		 open;
	int		 ready;		/* 376 seen */
	uint64_t	 opened_ms;
	uint64_t	 last_in_ms;
	uint64_t	 ping_ms;	/* our PING in flight since; 0 none */
};

struct shard {
	uv_loop_t		*loop;
	struct ws_ctx		*wsctx;
	char			*id;
	struct account		*acct;
	struct shard_config	 cfg;
	char			*url;
	struct shard_events	 ev;
	void			*arg;
	enum shard_state	 state;

	struct shard_link	 links[2];
	struct shard_link	*cur;
	struct shard_link	*old;	/* draining after a RECONNECT */
	uint64_t		 old_close_ms;	/* 0: not yet scheduled */

	struct shard_chan	*chans;
	size_t			 nchans;
	size_t			 chancap;

	struct shard_msg	*q;	/* every message not yet reported */
	size_t			 nq;
	unsigned		 pass;

	unsigned		 attempt;	/* back-off step */
	uint64_t		 ready_ms;
	int			 login_failed;
	uint64_t		 rnd;

	int			 timers;	/* uv timers initialized */
	int			 handles;	/* still to close */
	int			 freeing;
	uv_timer_t		 t_pump;
	uv_timer_t		 t_ka;
	uv_timer_t		 t_retry;

	int			 dedup;		/* overlap or its grace */
	uint64_t		 dedup_until;
	uint64_t		*dd;		/* ring of recent keys */
	size_t			 ddn;
	size_t			 ddhead;

	struct shard_stats	 stats;

	struct irc_msg		 msg;
	struct twitch_event	 tev;
	char			 scratch[SHARD_SCRATCH];
};

static uint64_t	shard_next_send_id = 1;

static void	shard_pump(struct shard *);
static void	shard_connect(struct shard *);
static void	shard_link_lost(struct shard_link *, const char *why);
static void	shard_ka_arm(struct shard *);
static void	shard_pump_fired(uv_timer_t *);
static void	shard_ka_fired(uv_timer_t *);

/* xorshift64*: jitter and anonymous nicks need no more. */
static uint32_t
shard_rand(uint64_t *st)
{
	uint64_t	x = *st;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*st = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint64_t
shard_seed(const void *p)
{
	uint64_t	s = uv_hrtime() ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)(uintptr_t)p;

	return s == 0 ? 0x9E3779B97F4A7C15ULL : s;
}

/* ---- pure pieces --------------------------------------------------- */

uint32_t
shard_backoff_ms(unsigned attempt, uint32_t min_ms, uint32_t max_ms,
    uint32_t rnd)
{
	uint64_t	base = min_ms == 0 ? 1 : min_ms, lo, span, d;

	if (max_ms < base)
		max_ms = (uint32_t)base;
	while (attempt-- > 0 && base < max_ms)
		base *= 2;
	if (base > max_ms)
		base = max_ms;
	/* Jitter: spread over [3/4, 5/4] of the step, never past the cap,
	 * so shards that dropped together do not come back together. */
	lo = base - base / 4;
	span = base / 2 + 1;
	d = lo + rnd % span;
	return (uint32_t)(d > max_ms ? max_ms : d);
}

/* ---- small helpers ------------------------------------------------- */

void
shard_config_defaults(struct shard_config *c)
{
	memset(c, 0, sizeof *c);
	c->url = "wss://irc-ws.chat.twitch.tv:443";
	c->ping_idle_ms = 5000;
	c->pong_timeout_ms = 10000;
	c->connect_timeout_ms = 10000;
	c->backoff_min_ms = 1000;
	c->backoff_max_ms = 60000;
	c->stable_ms = 60000;
	c->send_timeout_ms = 30000;
}

const char *
shard_state_name(enum shard_state st)
{
	switch (st) {
	case SHARD_IDLE:	return "idle";
	case SHARD_CONNECTING:	return "connecting";
	case SHARD_LOGGING_IN:	return "logging in";
	case SHARD_READY:	return "ready";
	case SHARD_WAITING:	return "waiting";
	case SHARD_STOPPED:	return "stopped";
	}
	return "unknown";
}

const char *
shard_id(const struct shard *s)
{
	return s->id;
}

enum shard_state
shard_state(const struct shard *s)
{
	return s->state;
}

struct account *
shard_account(const struct shard *s)
{
	return s->acct;
}

size_t
shard_nchannels(const struct shard *s)
{
	return s->nchans;
}

const char *
shard_channel(const struct shard *s, size_t i)
{
	return i < s->nchans ? s->chans[i].name : NULL;
}

void
shard_get_stats(const struct shard *s, struct shard_stats *st)
{
	*st = s->stats;
}

static uint64_t
shard_now(const struct shard *s)
{
	return uv_now(s->loop);
}

static void
shard_set_state(struct shard *s, enum shard_state st, const char *why)
{
	s->state = st;
	if (s->ev.on_state != NULL)
		s->ev.on_state(s->arg, s, st, why);
}

/* Lowercase channel name without '#' into out; 0 or -1 if invalid. */
static int
shard_norm(const char *in, char out[SHARD_CHAN_MAX + 1])
{
	size_t	i;

	if (*in == '#')
		in++;
	for (i = 0; in[i] != '\0'; i++) {
		unsigned char	ch = (unsigned char)in[i];

		if (i >= SHARD_CHAN_MAX ||
		    !(isalnum(ch) || ch == '_') || ch >= 0x80)
			return -1;
		out[i] = (char)tolower(ch);
	}
	out[i] = '\0';
	return i == 0 ? -1 : 0;
}

static struct shard_chan *
shard_find(const struct shard *s, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < s->nchans; i++)
		if (strncmp(s->chans[i].name, name, len) == 0 &&
		    s->chans[i].name[len] == '\0')
			return &s->chans[i];
	return NULL;
}

static struct shard_chan *
shard_find_span(const struct shard *s, const struct irc_span *sp)
{
	if (sp->len == 0 || sp->len > SHARD_CHAN_MAX)
		return NULL;
	return shard_find(s, sp->p, sp->len);
}

static int
shard_span_is(const struct irc_span *sp, const char *str)
{
	size_t	n = strlen(str);

	return sp->len == n && strncasecmp(sp->p, str, n) == 0;
}

/* Send one line on a link; 0 or -1 (link closing or its queue full). */
static int
shard_write(struct shard_link *l, const char *line, size_t len, uint64_t tag)
{
	if (l == NULL || l->ws == NULL || ws_send(l->ws, line, len, tag) != 0)
		return -1;
	l->s->stats.lines_out++;
	return 0;
}

static int
shard_writef(struct shard_link *l, const char *cmd, int n,
    const char *const params[])
{
	char	buf[IRC_MAX_REST + 64];
	size_t	len;

	if (irc_format(buf, sizeof buf, &len, cmd, n, params) != IRC_OK)
		return -1;
	return shard_write(l, buf, len, 0);
}

/* ---- message reports ------------------------------------------------ */

static void
shard_msg_unlink(struct shard *s, struct shard_msg *m)
{
	struct shard_msg	**pp;

	for (pp = &s->q; *pp != NULL; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			s->nq--;
			break;
		}
}

/* Report m once and forget it. */
static void
shard_msg_done(struct shard *s, struct shard_msg *m, int ok, const char *why)
{
	uint64_t	id = m->id;

	shard_msg_unlink(s, m);
	free(m->line);
	free(m);
	if (ok)
		s->stats.sends_ok++;
	else
		s->stats.sends_failed++;
	if (s->ev.on_send != NULL)
		s->ev.on_send(s->arg, s, id, ok, why);
}

/* The oldest message written on link l to chan still waiting for Twitch's
 * answer (which comes back on the same link). */
static struct shard_msg *
shard_msg_awaiting(struct shard *s, const struct shard_link *l,
    const struct irc_span *chan)
{
	struct shard_msg	*m;

	for (m = s->q; m != NULL; m = m->next)
		if (m->st == MSG_AWAIT && m->link == l &&
		    strlen(m->chan) == chan->len &&
		    memcmp(m->chan, chan->p, chan->len) == 0)
			return m;
	return NULL;
}

/* Fail every message for a channel (parted) or all of them (stopped). */
static void
shard_msg_fail_all(struct shard *s, const char *chan, const char *why)
{
	struct shard_msg	*m, *next;

	for (m = s->q; m != NULL; m = next) {
		next = m->next;
		if (chan != NULL && strcmp(m->chan, chan) != 0)
			continue;
		if (m->st == MSG_AWAIT)
			shard_msg_done(s, m, 1, NULL);
		else
			shard_msg_done(s, m, 0, why);
	}
}

/*
 * A link is gone: what it had not written goes back in the queue, and so
 * does what it wrote without Twitch's USERSTATE coming back (Twitch
 * answers every accepted message; none came, so most likely it was never
 * read). If it had gone through after all, Twitch refuses the copy as
 * msg_duplicate, which then counts as success.
 */
static void
shard_msg_link_gone(struct shard *s, struct shard_link *l)
{
	struct shard_msg	*m, *next;

	for (m = s->q; m != NULL; m = next) {
		next = m->next;
		if (m->link != l)
			continue;
		if (m->st == MSG_AWAIT)
			m->resent = 1;
		m->st = MSG_QUEUED;
		m->link = NULL;
	}
}

/* ---- de-duplication during a RECONNECT overlap ----------------------- */

static uint64_t
shard_hash(const char *p, size_t n)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h == 0 ? 1 : h;
}

/* Has key been seen (then 1)? Otherwise remember it. */
static int
shard_dedup_seen(struct shard *s, uint64_t key)
{
	size_t	i;

	for (i = 0; i < s->ddn; i++)
		if (s->dd[i] == key)
			return 1;
	if (s->ddn < SHARD_DEDUP_SLOTS)
		s->dd[s->ddn++] = key;
	else {
		s->dd[s->ddhead] = key;
		s->ddhead = (s->ddhead + 1) % SHARD_DEDUP_SLOTS;
	}
	return 0;
}

static void
shard_dedup_start(struct shard *s)
{
	if (s->dd == NULL)
		s->dd = xcalloc(SHARD_DEDUP_SLOTS, sizeof *s->dd);
	s->dedup = 1;
	s->dedup_until = UINT64_MAX;
}

static void
shard_dedup_check_end(struct shard *s, uint64_t now)
{
	if (s->dedup && now >= s->dedup_until) {
		s->dedup = 0;
		s->ddn = s->ddhead = 0;
	}
}

/* ---- channels ------------------------------------------------------- */

static void
shard_chan_set_moderated(struct shard *s, struct shard_chan *ch, int mod)
{
	if (mod && !ch->moderated)
		s->acct->moderated++;
	else if (!mod && ch->moderated && s->acct->moderated > 0)
		s->acct->moderated--;
	ch->moderated = mod;
}

static void
shard_chans_reset(struct shard *s)
{
	size_t	i;

	for (i = 0; i < s->nchans; i++)
		s->chans[i].state = CH_PENDING;
}

static void
shard_chan_remove(struct shard *s, struct shard_chan *ch)
{
	size_t	i = (size_t)(ch - s->chans);

	shard_chan_set_moderated(s, ch, 0);
	if (s->acct->joined > 0)
		s->acct->joined--;
	memmove(&s->chans[i], &s->chans[i + 1],
	    (s->nchans - i - 1) * sizeof *s->chans);
	s->nchans--;
}

int
shard_join(struct shard *s, const char *channel, char *err, size_t errsz)
{
	char			 name[SHARD_CHAN_MAX + 1];
	struct account		*a = s->acct;
	struct shard_chan	*ch;

	if (shard_norm(channel, name) != 0) {
		snprintf(err, errsz, "\"%s\" is not a Twitch channel name "
		    "(letters, digits and _, at most 25)", channel);
		return -1;
	}
	if (shard_find(s, name, strlen(name)) != NULL) {
		snprintf(err, errsz, "#%s is already joined on %s", name,
		    s->id);
		return -1;
	}
	/* Twitch caps the channels a logged-in account may be in (those it
	 * moderates do not count). Anonymous logins get no such cap from
	 * Twitch, so none is enforced here: the shard managers' own
	 * figures bound them. */
	if (!a->anonymous && a->joined - a->moderated >= a->limit) {
		snprintf(err, errsz, "cannot join #%s: the account %s is "
		    "already in %zu channels, Twitch's limit for one account "
		    "(channels it moderates do not count); to go further, "
		    "join with another account on another shard (for example "
		    "account.%s = OTHERLOGIN in the config), or raise "
		    "channel_limit if Twitch has raised it", name, a->login,
		    a->joined - a->moderated, name);
		return -1;
	}
	if (s->nchans == s->chancap) {
		size_t	 ncap = s->chancap == 0 ? 16 : s->chancap * 2;
		void	*p = realloc(s->chans, ncap * sizeof *s->chans);

		if (p == NULL) {
			fprintf(stderr, "stitch: out of memory (shard)\n");
			abort();
		}
		s->chans = p;
		s->chancap = ncap;
	}
	ch = &s->chans[s->nchans++];
	memset(ch, 0, sizeof *ch);
	memcpy(ch->name, name, sizeof ch->name);
	a->joined++;
	shard_pump(s);
	return 0;
}

int
shard_part(struct shard *s, const char *channel)
{
	char			 name[SHARD_CHAN_MAX + 1];
	struct shard_chan	*ch;
	const char		*p[1];
	char			 target[SHARD_CHAN_MAX + 2];

	if (shard_norm(channel, name) != 0 ||
	    (ch = shard_find(s, name, strlen(name))) == NULL)
		return -1;
	if (ch->state != CH_PENDING && s->cur != NULL && s->cur->ready) {
		snprintf(target, sizeof target, "#%s", name);
		p[0] = target;
		shard_writef(s->cur, "PART", 1, p);
	}
	shard_chan_remove(s, ch);
	shard_msg_fail_all(s, name, "the channel was parted before the "
	    "message could be sent");
	return 0;
}

int
shard_has_channel(const struct shard *s, const char *channel)
{
	char	name[SHARD_CHAN_MAX + 1];

	return shard_norm(channel, name) == 0 &&
	    shard_find(s, name, strlen(name)) != NULL;
}

/* ---- sending -------------------------------------------------------- */

uint64_t
shard_send(struct shard *s, const char *channel, const char *text,
    const char *reply_to, char *err, size_t errsz)
{
	char			 name[SHARD_CHAN_MAX + 1];
	char			 buf[IRC_MAX_TAGS + IRC_MAX_REST];
	struct shard_msg	*m, **pp;
	size_t			 len;
	int			 r;

	if (s->acct->anonymous) {
		snprintf(err, errsz, "cannot send: %s is logged in "
		    "anonymously (read-only); log in with stitch login",
		    s->id);
		return 0;
	}
	if (shard_norm(channel, name) != 0 ||
	    shard_find(s, name, strlen(name)) == NULL) {
		snprintf(err, errsz, "cannot send to #%s: not joined on %s",
		    channel[0] == '#' ? channel + 1 : channel, s->id);
		return 0;
	}
	if (s->state == SHARD_STOPPED || s->state == SHARD_IDLE) {
		snprintf(err, errsz, "cannot send: %s is %s", s->id,
		    shard_state_name(s->state));
		return 0;
	}
	if (s->nq >= SHARD_MAX_PENDING) {
		snprintf(err, errsz, "cannot send: %zu messages are already "
		    "waiting on %s", s->nq, s->id);
		return 0;
	}
	r = irc_format_privmsg(buf, sizeof buf, &len, name, text, reply_to);
	if (r != IRC_OK) {
		if (r == IRC_ERR_MESSAGE_TOO_LONG)
			snprintf(err, errsz, "message too long (Twitch takes "
			    "at most %d characters)", IRC_MAX_MESSAGE_CHARS);
		else if (r == IRC_ERR_BAD_PARAM && *text == '\0')
			snprintf(err, errsz, "empty message");
		else
			snprintf(err, errsz, "message refused: %s",
			    irc_strerror(r));
		return 0;
	}
	m = xcalloc(1, sizeof *m);
	m->id = shard_next_send_id++;
	memcpy(m->chan, name, sizeof m->chan);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if ((m->line = malloc(len + 1)) == NULL) {
		fprintf(stderr, "stitch: out of memory (shard)\n");
		abort();
	}
	memcpy(m->line, buf, len);
	m->line[len] = '\0';
	m->len = len;
	m->deadline_ms = shard_now(s) + s->cfg.send_timeout_ms;
	for (pp = &s->q; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = m;
	s->nq++;
	shard_pump(s);
	return m->id;
}

/* Why a queued message could not go in time. */
static void
shard_msg_expire(struct shard *s, struct shard_msg *m)
{
	char			 why[256];
	struct shard_chan	*ch = shard_find(s, m->chan, strlen(m->chan));

	unsigned		 sec = s->cfg.send_timeout_ms / 1000;
	unsigned		 tenth = s->cfg.send_timeout_ms % 1000 / 100;

	if (s->cur == NULL || !s->cur->ready)
		snprintf(why, sizeof why, "not sent: no connection to the "
		    "chat server for %u.%u s", sec, tenth);
	else if (ch == NULL || ch->state != CH_JOINED)
		snprintf(why, sizeof why, "not sent: #%s was not rejoined "
		    "within %u.%u s", m->chan, sec, tenth);
	else
		snprintf(why, sizeof why, "not sent within %u.%u s: held back "
		    "by the account's rate limit", sec, tenth);
	shard_msg_done(s, m, 0, why);
}

static uint64_t
shard_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Send what may go now; returns when the pump should look again. */
static uint64_t
shard_pump_msgs(struct shard *s, uint64_t now)
{
	struct shard_msg	*m, *next;
	struct shard_chan	*ch;
	uint64_t		 wake = UINT64_MAX, w;
	int			 ready = s->cur != NULL && s->cur->ready;

	s->pass++;
	for (m = s->q; m != NULL; m = next) {
		next = m->next;
		if (m->st == MSG_AWAIT) {
			if (now >= m->written_ms + SHARD_CONFIRM_MS)
				shard_msg_done(s, m, 1, NULL);
			else
				wake = shard_min(wake,
				    m->written_ms + SHARD_CONFIRM_MS);
			continue;
		}
		if (m->st != MSG_QUEUED)
			continue;
		if (now >= m->deadline_ms) {
			shard_msg_expire(s, m);
			continue;
		}
		wake = shard_min(wake, m->deadline_ms);
		ch = shard_find(s, m->chan, strlen(m->chan));
		if (!ready || ch == NULL || ch->blocked == s->pass)
			continue;
		/* Keep each channel's messages in order: once one waits,
		 * the later ones for that channel wait too. */
		ch->blocked = s->pass;
		if (ch->state != CH_JOINED)
			continue;
		if (now < ch->sendable_ms) {
			wake = shard_min(wake, ch->sendable_ms);
			continue;
		}
		w = account_send_wait_ms(s->acct, ch->elevated, now);
		if (!ch->elevated && ch->last_send_ms != 0 &&
		    now < ch->last_send_ms + SHARD_CHAN_SPACING_MS &&
		    ch->last_send_ms + SHARD_CHAN_SPACING_MS - now > w)
			w = ch->last_send_ms + SHARD_CHAN_SPACING_MS - now;
		if (w > 0) {
			wake = shard_min(wake, now + w);
			continue;
		}
		if (shard_write(s->cur, m->line, m->len, m->id) != 0)
			continue;
		account_send_record(s->acct, ch->elevated, now);
		ch->last_send_ms = now;
		ch->blocked = 0;
		m->st = MSG_WRITING;
		m->link = s->cur;
	}
	return wake;
}

/* Send the JOINs the account's budget allows now. */
static uint64_t
shard_pump_joins(struct shard *s, uint64_t now)
{
	struct shard_chan	*ch;
	uint64_t		 wake = UINT64_MAX, w;
	char			 target[SHARD_CHAN_MAX + 2], why[160];
	const char		*p[1];
	size_t			 i;

	if (s->cur == NULL || !s->cur->ready)
		return wake;
	for (i = 0; i < s->nchans; i++) {
		ch = &s->chans[i];
		if (ch->state == CH_JOINING) {
			if (now < ch->join_sent_ms + SHARD_JOIN_TIMEOUT_MS) {
				wake = shard_min(wake,
				    ch->join_sent_ms + SHARD_JOIN_TIMEOUT_MS);
				continue;
			}
			ch->state = CH_PENDING;
			snprintf(why, sizeof why, "no answer to JOIN #%s "
			    "within %u s; trying again", ch->name,
			    SHARD_JOIN_TIMEOUT_MS / 1000);
			if (s->ev.on_join != NULL)
				s->ev.on_join(s->arg, s, ch->name, 0, why);
			if (s->cur == NULL || !s->cur->ready)
				return UINT64_MAX;
		}
		if (ch->state != CH_PENDING)
			continue;
		if ((w = ratelimit_wait_ms(&s->acct->join_rl, now)) > 0) {
			wake = shard_min(wake, now + w);
			break;
		}
		snprintf(target, sizeof target, "#%s", ch->name);
		p[0] = target;
		if (shard_writef(s->cur, "JOIN", 1, p) != 0)
			break;
		ratelimit_record(&s->acct->join_rl, now);
		ch->state = CH_JOINING;
		ch->join_sent_ms = now;
		wake = shard_min(wake, now + SHARD_JOIN_TIMEOUT_MS);
	}
	return wake;
}

/*
 * After a RECONNECT: once the new link is in every channel, the old one
 * stays a little longer (SHARD_OVERLAP_LINGER_MS), because lines the
 * server sent it before our new JOINs may still be unread in its socket;
 * closing it at once could lose them. Copies seen on both are dropped.
 * Returns when to look again (UINT64_MAX: nothing to wait for).
 */
static uint64_t
shard_overlap_check(struct shard *s, uint64_t now)
{
	size_t	i;

	if (s->old == NULL || s->cur == NULL || !s->cur->ready)
		return UINT64_MAX;
	if (s->old_close_ms == 0) {
		for (i = 0; i < s->nchans; i++)
			if (s->chans[i].state != CH_JOINED)
				return UINT64_MAX;
		s->old_close_ms = now + SHARD_OVERLAP_LINGER_MS;
		if (s->ev.on_state != NULL)
			s->ev.on_state(s->arg, s, SHARD_READY, "moved to a new "
			    "connection as Twitch asked (RECONNECT), every "
			    "channel rejoined");
		if (s->old == NULL)
			return UINT64_MAX;
	}
	if (now < s->old_close_ms)
		return s->old_close_ms;
	if (s->old->ws != NULL)
		ws_close(s->old->ws);
	s->old->ws = NULL;
	shard_msg_link_gone(s, s->old);
	memset(s->old, 0, sizeof *s->old);
	s->old = NULL;
	s->old_close_ms = 0;
	s->dedup_until = now + SHARD_DEDUP_GRACE_MS;
	return UINT64_MAX;
}

static void
shard_pump(struct shard *s)
{
	uint64_t	now, wake, w;

	if (!s->timers || s->freeing)
		return;
	now = shard_now(s);
	shard_dedup_check_end(s, now);
	wake = shard_pump_joins(s, now);
	wake = shard_min(wake, shard_overlap_check(s, now));
	w = shard_pump_msgs(s, now);
	wake = shard_min(wake, w);
	if (s->dedup)
		wake = shard_min(wake, s->dedup_until);
	if (wake == UINT64_MAX)
		uv_timer_stop(&s->t_pump);
	else
		uv_timer_start(&s->t_pump, shard_pump_fired,
		    wake > now ? wake - now : 1, 0);
}

static void
shard_pump_fired(uv_timer_t *t)
{
	shard_pump(t->data);
}

/* ---- links ---------------------------------------------------------- */

static void
shard_on_open(void *arg, struct ws_conn *c)
{
	struct shard_link	*l = arg;
	struct shard		*s = l->s;
	char			 buf[1024];
	const char		*p[1];
	int			 n;

	(void)c;
	l->open = 1;
	l->opened_ms = l->last_in_ms = shard_now(s);
	p[0] = "twitch.tv/tags twitch.tv/commands twitch.tv/membership";
	shard_writef(l, "CAP", 2, (const char *const[]){ "REQ", p[0] });
	if (s->acct->token != NULL) {
		/* Built by hand and never logged: PASS before NICK, as Twitch
		 * requires. */
		n = snprintf(buf, sizeof buf, "PASS oauth:%s", s->acct->token);
		if (n > 0 && (size_t)n < sizeof buf)
			shard_write(l, buf, (size_t)n, 0);
		memset(buf, 0, sizeof buf);
	}
	p[0] = s->acct->login;
	shard_writef(l, "NICK", 1, p);
	ratelimit_record(&s->acct->auth_rl, shard_now(s));
	if (l == s->cur && s->old == NULL)
		shard_set_state(s, SHARD_LOGGING_IN, NULL);
	shard_ka_arm(s);
}

static void
shard_on_close(void *arg, struct ws_conn *c, const char *why)
{
	struct shard_link	*l = arg;

	(void)c;
	l->ws = NULL;
	shard_link_lost(l, why);
}

static void	shard_on_line(void *, struct ws_conn *, char *, size_t);
static void	shard_on_sent(void *, struct ws_conn *, uint64_t);

static const struct ws_conn_events shard_ws_events = {
	shard_on_open, shard_on_line, shard_on_sent, shard_on_close
};

static void
shard_on_sent(void *arg, struct ws_conn *c, uint64_t tag)
{
	struct shard_link	*l = arg;
	struct shard		*s = l->s;
	struct shard_msg	*m;

	(void)c;
	for (m = s->q; m != NULL; m = m->next)
		if (m->id == tag && m->st == MSG_WRITING) {
			m->st = MSG_AWAIT;
			m->written_ms = shard_now(s);
			break;
		}
	shard_pump(s);
}

static void
shard_retry_fired(uv_timer_t *t)
{
	struct shard	*s = t->data;

	if (s->state == SHARD_WAITING && s->cur == NULL)
		shard_connect(s);
	else if (s->cur == NULL && s->old != NULL)
		shard_connect(s);	/* a RECONNECT's new link failed */
}

/* Schedule the next attempt after a back-off; why says what happened. */
static void
shard_backoff(struct shard *s, const char *why)
{
	uint64_t	now = shard_now(s);
	uint32_t	d;
	char		msg[768];

	if (s->ready_ms != 0 && now - s->ready_ms >= s->cfg.stable_ms)
		s->attempt = 0;
	s->ready_ms = 0;
	if (s->login_failed && s->attempt < 4)
		s->attempt = 4;		/* a refused token: do not hammer */
	s->login_failed = 0;
	d = shard_backoff_ms(s->attempt, s->cfg.backoff_min_ms,
	    s->cfg.backoff_max_ms, shard_rand(&s->rnd));
	if (s->attempt < 32)
		s->attempt++;
	uv_timer_start(&s->t_retry, shard_retry_fired, d, 0);
	if (s->old != NULL)
		return;		/* the old link still serves: stay READY */
	snprintf(msg, sizeof msg, "%s; reconnecting in %u.%u s",
	    why != NULL ? why : "disconnected", d / 1000, d % 1000 / 100);
	shard_set_state(s, SHARD_WAITING, msg);
}

static void
shard_connect(struct shard *s)
{
	struct ws_conn_config	 wc;
	struct shard_link	*l;
	char			 err[512];
	uint64_t		 w, now = shard_now(s);

	if ((w = ratelimit_wait_ms(&s->acct->auth_rl, now)) > 0) {
		uv_timer_start(&s->t_retry, shard_retry_fired, w, 0);
		if (s->old == NULL)
			shard_set_state(s, SHARD_WAITING, "waiting for the "
			    "account's login rate limit");
		return;
	}
	l = (s->old == &s->links[0]) ? &s->links[1] : &s->links[0];
	memset(l, 0, sizeof *l);
	l->s = s;
	memset(&wc, 0, sizeof wc);
	wc.connect_timeout_ms = s->cfg.connect_timeout_ms;
	l->ws = ws_conn_new(s->wsctx, s->url, &wc, &shard_ws_events, l, err,
	    sizeof err);
	if (l->ws == NULL) {
		/* The URL itself is unusable: retrying will not help. */
		shard_set_state(s, SHARD_STOPPED, err);
		return;
	}
	s->cur = l;
	shard_chans_reset(s);
	if (s->old == NULL)
		shard_set_state(s, SHARD_CONNECTING, NULL);
}

/*
 * A link dropped or was dropped (its ws conn already closed). The current
 * one: back off and reconnect. The old one of an overlap: just forget it.
 */
static void
shard_link_lost(struct shard_link *l, const char *why)
{
	struct shard	*s = l->s;
	char		 msg[640];

	if (l->ws != NULL) {
		ws_close(l->ws);
		l->ws = NULL;
	}
	shard_msg_link_gone(s, l);
	if (l == s->old) {
		memset(l, 0, sizeof *l);
		s->old = NULL;
		s->old_close_ms = 0;
		s->dedup_until = shard_now(s) + SHARD_DEDUP_GRACE_MS;
		if (s->state == SHARD_STOPPED || s->freeing)
			return;
		/* The state followed the old link; now it follows the new. */
		if (s->cur == NULL)
			shard_set_state(s, SHARD_WAITING, why);
		else if (!s->cur->ready)
			shard_set_state(s, s->cur->open ? SHARD_LOGGING_IN :
			    SHARD_CONNECTING, why);
		return;
	}
	if (l != s->cur)
		return;
	memset(l, 0, sizeof *l);
	s->cur = NULL;
	shard_chans_reset(s);
	if (s->state == SHARD_STOPPED || s->freeing)
		return;
	s->stats.reconnects++;
	snprintf(msg, sizeof msg, "%s", why != NULL ? why : "disconnected");
	shard_backoff(s, msg);
	shard_pump(s);
}

/* Keepalive and login time-outs for both links. */
static void
shard_ka_check(struct shard *s, struct shard_link *l, uint64_t now,
    uint64_t *wake)
{
	char		why[160];

	if (l == NULL || l->ws == NULL || !l->open)
		return;
	if (!l->ready) {
		if (now >= l->opened_ms + s->cfg.connect_timeout_ms) {
			snprintf(why, sizeof why, "no login reply from "
			    "Twitch within %u s",
			    (unsigned)(s->cfg.connect_timeout_ms / 1000));
			shard_link_lost(l, why);
		} else
			*wake = shard_min(*wake,
			    l->opened_ms + s->cfg.connect_timeout_ms);
		return;
	}
	if (l->ping_ms != 0) {
		if (now >= l->ping_ms + s->cfg.pong_timeout_ms) {
			snprintf(why, sizeof why, "no reply to PING within "
			    "%u.%u s", (unsigned)(s->cfg.pong_timeout_ms / 1000),
			    (unsigned)(s->cfg.pong_timeout_ms % 1000 / 100));
			shard_link_lost(l, why);
		} else
			*wake = shard_min(*wake,
			    l->ping_ms + s->cfg.pong_timeout_ms);
		return;
	}
	if (now >= l->last_in_ms + s->cfg.ping_idle_ms) {
		shard_write(l, "PING :tmi.twitch.tv", 19, 0);
		l->ping_ms = now;
		*wake = shard_min(*wake, now + s->cfg.pong_timeout_ms);
	} else
		*wake = shard_min(*wake, l->last_in_ms + s->cfg.ping_idle_ms);
}

static void
shard_ka_arm(struct shard *s)
{
	uint64_t	now, wake = UINT64_MAX;

	if (!s->timers || s->freeing)
		return;
	now = shard_now(s);
	shard_ka_check(s, s->old, now, &wake);
	shard_ka_check(s, s->cur, now, &wake);
	if (wake == UINT64_MAX)
		uv_timer_stop(&s->t_ka);
	else
		uv_timer_start(&s->t_ka, shard_ka_fired,
		    wake > now ? wake - now : 1, 0);
}

static void
shard_ka_fired(uv_timer_t *t)
{
	shard_ka_arm(t->data);
}

/* ---- incoming lines ------------------------------------------------- */

/* Twitch's answers to a bad PASS/NICK (before 376). */
static int
shard_is_login_failure(const struct twitch_event *ev)
{
	static const char *const texts[] = {
		"Login authentication failed", "Improperly formatted auth",
		"Login unsuccessful", "Error logging in", "Invalid NICK",
	};
	size_t	i, n;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		n = strlen(texts[i]);
		if (ev->text.len >= n && strncasecmp(ev->text.p, texts[i],
		    n) == 0)
			return 1;
	}
	return 0;
}

static void
shard_got_ready(struct shard *s, struct shard_link *l)
{
	l->ready = 1;
	if (l != s->cur)
		return;
	s->ready_ms = shard_now(s);
	if (s->old == NULL)
		shard_set_state(s, SHARD_READY, NULL);
	shard_ka_arm(s);
	shard_pump(s);
}

static void
shard_got_join(struct shard *s, struct shard_link *l,
    const struct twitch_event *ev)
{
	struct shard_chan	*ch;

	if (l != s->cur || !shard_span_is(&ev->login, s->acct->login) ||
	    (ch = shard_find_span(s, &ev->channel)) == NULL ||
	    ch->state == CH_JOINED)
		return;
	ch->state = CH_JOINED;
	ch->sendable_ms = shard_now(s) + SHARD_JOIN_SETTLE_MS;
	if (ch->joined_once)
		s->stats.rejoins++;
	ch->joined_once = 1;
	if (s->ev.on_join != NULL)
		s->ev.on_join(s->arg, s, ch->name, 1, NULL);
	shard_pump(s);
}

static void
shard_got_userstate(struct shard *s, struct shard_link *l,
    const struct twitch_event *ev)
{
	struct shard_chan	*ch;
	struct shard_msg	*m;
	uint64_t		 now = shard_now(s);

	if (ev->kind == TWITCH_USERSTATE &&
	    (m = shard_msg_awaiting(s, l, &ev->channel)) != NULL)
		shard_msg_done(s, m, 1, NULL);
	if (l != s->cur || (ch = shard_find_span(s, &ev->channel)) == NULL)
		return;
	if (ev->kind == TWITCH_USERSTATE) {
		ch->elevated = (ev->flags & (TWITCH_F_MOD | TWITCH_F_VIP |
		    TWITCH_F_BROADCASTER)) != 0;
		shard_chan_set_moderated(s, ch, (ev->flags & (TWITCH_F_MOD |
		    TWITCH_F_BROADCASTER)) != 0);
	}
	if (ch->state == CH_JOINED && ch->sendable_ms > now) {
		ch->sendable_ms = now;
		shard_pump(s);
	}
}

static void
shard_got_notice(struct shard *s, struct shard_link *l,
    const struct twitch_event *ev)
{
	struct shard_chan	*ch;
	struct shard_msg	*m;
	char			 why[640];

	if (!l->ready) {
		if (shard_is_login_failure(ev)) {
			snprintf(why, sizeof why, "login failed: the token "
			    "for %s was refused (Twitch said \"%.*s\"); run "
			    "stitch login", s->acct->login,
			    (int)(ev->text.len > 200 ? 200 : ev->text.len),
			    ev->text.p);
			s->login_failed = 1;
			shard_link_lost(l, why);
		}
		return;
	}
	if (ev->msg_id.len < 4 || strncmp(ev->msg_id.p, "msg_", 4) != 0 ||
	    ev->channel.len == 0)
		return;
	snprintf(why, sizeof why, "refused by Twitch (%.*s): %.*s",
	    (int)ev->msg_id.len, ev->msg_id.p,
	    (int)(ev->text.len > 400 ? 400 : ev->text.len), ev->text.p);
	if ((m = shard_msg_awaiting(s, l, &ev->channel)) != NULL) {
		if (m->resent && shard_span_is(&ev->msg_id, "msg_duplicate"))
			shard_msg_done(s, m, 1, NULL);	/* the first went */
		else
			shard_msg_done(s, m, 0, why);
		return;
	}
	/* No message of ours waiting: maybe the JOIN was refused. */
	if (l == s->cur && shard_span_is(&ev->msg_id, "msg_channel_suspended")
	    && (ch = shard_find_span(s, &ev->channel)) != NULL &&
	    ch->state == CH_JOINING) {
		char	name[SHARD_CHAN_MAX + 1];

		memcpy(name, ch->name, sizeof name);
		shard_chan_remove(s, ch);
		shard_msg_fail_all(s, name, why);
		if (s->ev.on_join != NULL)
			s->ev.on_join(s->arg, s, name, 0, why);
		shard_pump(s);
	}
}

/* The shard's own part of a line, before the user sees it. Returns 0, or
 * -1 when the link is gone (nothing more may be done with it). */
static int
shard_handle(struct shard *s, struct shard_link *l,
    const struct twitch_event *ev)
{
	char		 pong[IRC_MAX_REST + 8];
	int		 n;

	switch (ev->kind) {
	case TWITCH_PING:
		/* Answer with the same token (a line holds no CR or LF). */
		if (ev->list.len > 0 && ev->list.len < IRC_MAX_REST)
			n = snprintf(pong, sizeof pong, "PONG :%.*s",
			    (int)ev->list.len, ev->list.p);
		else
			n = snprintf(pong, sizeof pong, "PONG :tmi.twitch.tv");
		if (n > 0 && (size_t)n < sizeof pong)
			shard_write(l, pong, (size_t)n, 0);
		break;
	case TWITCH_ENDOFMOTD:
		if (!l->ready)
			shard_got_ready(s, l);
		break;
	case TWITCH_RECONNECT:
		if (l == s->cur && l->ready && s->old == NULL) {
			/* Open the new link first; the old one keeps
			 * delivering until the new one has rejoined. */
			s->old = l;
			s->cur = NULL;
			shard_dedup_start(s);
			shard_connect(s);
		}
		break;
	case TWITCH_JOIN:
		shard_got_join(s, l, ev);
		break;
	case TWITCH_USERSTATE:
	case TWITCH_ROOMSTATE:
		shard_got_userstate(s, l, ev);
		break;
	case TWITCH_NOTICE:
		shard_got_notice(s, l, ev);
		break;
	default:
		break;
	}
	return l->ws == NULL ? -1 : 0;
}

static void
shard_on_line(void *arg, struct ws_conn *c, char *line, size_t len)
{
	struct shard_link	*l = arg;
	struct shard		*s = l->s;
	struct twitch_event	*ev = &s->tev;
	uint64_t		 key = 0;
	int			 r, gone;

	(void)c;
	l->last_in_ms = uv_now(s->loop);
	l->ping_ms = 0;
	if (s->dedup)
		key = shard_hash(line, len);
	if ((r = irc_parse(line, len, &s->msg)) != IRC_OK) {
		s->stats.bad_lines++;
		if (s->ev.on_bad_line != NULL)
			s->ev.on_bad_line(s->arg, s, irc_strerror(r));
		return;
	}
	twitch_decode_flags(&s->msg, ev, s->scratch, sizeof s->scratch,
	    s->ev.decode_flags);
	s->stats.lines_in++;
	switch (ev->kind) {
	case TWITCH_PRIVMSG:
	case TWITCH_USERNOTICE:
	case TWITCH_CLEARCHAT:
	case TWITCH_CLEARMSG:
		gone = 0;	/* the hot path: nothing for the shard */
		break;
	default:
		gone = shard_handle(s, l, ev);
		break;
	}
	(void)gone;
	if (s->dedup) {
		if (ev->id.len > 0)
			key = shard_hash(ev->id.p, ev->id.len);
		if (shard_dedup_seen(s, key))
			return;
	}
	if (s->ev.on_event != NULL && !s->freeing)
		s->ev.on_event(s->arg, s, ev);
}

/* ---- life ----------------------------------------------------------- */

struct shard *
shard_new(uv_loop_t *loop, struct ws_ctx *ws, const char *id,
    struct account *acct, const struct shard_config *cfg,
    const struct shard_events *ev, void *arg)
{
	struct shard	*s = xcalloc(1, sizeof *s);

	s->loop = loop;
	s->wsctx = ws;
	s->id = xstrdup(id);
	s->acct = acct;
	if (cfg != NULL)
		s->cfg = *cfg;
	else
		shard_config_defaults(&s->cfg);
	s->url = xstrdup(s->cfg.url != NULL ? s->cfg.url :
	    "wss://irc-ws.chat.twitch.tv:443");
	s->cfg.url = s->url;
	if (ev != NULL)
		s->ev = *ev;
	s->arg = arg;
	s->rnd = shard_seed(s);
	return s;
}

void
shard_start(struct shard *s)
{
	if (s->freeing || (s->state != SHARD_IDLE &&
	    s->state != SHARD_STOPPED))
		return;
	if (!s->timers) {
		uv_timer_init(s->loop, &s->t_pump);
		uv_timer_init(s->loop, &s->t_ka);
		uv_timer_init(s->loop, &s->t_retry);
		s->t_pump.data = s->t_ka.data = s->t_retry.data = s;
		s->timers = 1;
	}
	s->attempt = 0;
	if (s->wsctx == NULL) {
		shard_set_state(s, SHARD_STOPPED, "no network context");
		return;
	}
	shard_connect(s);
}

/* Close both links and the timers' work; callbacks only if loud. */
static void
shard_halt(struct shard *s)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (s->links[i].ws != NULL)
			ws_close(s->links[i].ws);
		memset(&s->links[i], 0, sizeof s->links[i]);
	}
	s->cur = s->old = NULL;
	s->old_close_ms = 0;
	s->dedup = 0;
	s->ddn = s->ddhead = 0;
	shard_chans_reset(s);
	if (s->timers) {
		uv_timer_stop(&s->t_pump);
		uv_timer_stop(&s->t_ka);
		uv_timer_stop(&s->t_retry);
	}
}

void
shard_stop(struct shard *s)
{
	if (s->state == SHARD_STOPPED || s->freeing)
		return;
	s->state = SHARD_STOPPED;
	shard_halt(s);
	shard_msg_fail_all(s, NULL, "not sent: the connection was stopped");
	shard_set_state(s, SHARD_STOPPED, NULL);
}

static void
shard_release(struct shard *s)
{
	struct shard_msg	*m, *next;

	for (m = s->q; m != NULL; m = next) {
		next = m->next;
		free(m->line);
		free(m);
	}
	free(s->chans);
	free(s->dd);
	free(s->url);
	free(s->id);
	free(s);
}

static void
shard_timer_closed(uv_handle_t *h)
{
	struct shard	*s = h->data;

	if (--s->handles == 0)
		shard_release(s);
}

void
shard_free(struct shard *s)
{
	size_t	i;

	if (s == NULL || s->freeing)
		return;
	/* Silent from here: the owner is going away too. */
	memset(&s->ev, 0, sizeof s->ev);
	s->freeing = 1;
	shard_halt(s);
	for (i = s->nchans; i > 0; i--)
		shard_chan_remove(s, &s->chans[i - 1]);
	if (!s->timers) {
		shard_release(s);
		return;
	}
	s->handles = 3;
	uv_close((uv_handle_t *)&s->t_pump, shard_timer_closed);
	uv_close((uv_handle_t *)&s->t_ka, shard_timer_closed);
	uv_close((uv_handle_t *)&s->t_retry, shard_timer_closed);
}
