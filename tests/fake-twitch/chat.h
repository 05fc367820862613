/*
 * chat.h: Twitch chat semantics of fake-twitch, the same over WebSocket
 * and plain IRC: capabilities, login, JOIN/PART, PRIVMSG relay with
 * server-made tags, keepalive, per-account limits, and the entry points the
 * simulated crowd, the faults, the control port and the HTTP handlers use
 * to make things happen in a channel.
 */
#ifndef FAKE_CHAT_H
#define FAKE_CHAT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct fline;
struct fake_world;
struct chat_chan;

#define CHAT_CAP_TAGS		0x01
#define CHAT_CAP_COMMANDS	0x02
#define CHAT_CAP_MEMBERSHIP	0x04

struct chat_limits {
	unsigned	msgs;		/* per window, 20 */
	unsigned	msgs_priv;	/* mod, VIP, broadcaster: 100 */
	unsigned	msgs_window_ms;	/* 30000 */
	unsigned	joins;		/* 20 */
	unsigned	joins_window_ms;/* 10000 */
	unsigned	max_channels;	/* 100, moderated channels not counted */
	unsigned	max_len;	/* 500 code points */
	unsigned	dup_window_ms;	/* 30000 */
	unsigned	ping_interval_ms;
	unsigned	pong_timeout_ms;
	unsigned	reconnect_grace_ms;
	int		open_channels;	/* any valid name is a channel */
};

void	chat_init(uv_loop_t *, struct fake_world *, const struct chat_limits *);
void	chat_stop(void);

/* Channels, for the crowd and the control port. */
struct chat_chan *chat_chan_get(const char *name);	/* NULL: unknown */
/* The i-th channel that has at least one member; NULL past the end. */
struct chat_chan *chat_chan_active(size_t i);
size_t		 chat_chan_nactive(void);
const char	*chat_chan_name(const struct chat_chan *);
const char	*chat_chan_room_id(const struct chat_chan *);
/*
 * Send to every member of the channel holding all of needcaps: tagged to
 * those that asked for tags (plain when tagged is NULL), plain to the
 * others (skipped when plain is NULL). Returns the number of deliveries.
 */
size_t	chat_chan_send(struct chat_chan *, struct fline *tagged,
	    struct fline *plain, unsigned needcaps);
/* Remember a message so CLEARMSG and replies can refer to it. */
void	chat_chan_remember(struct chat_chan *, const char *id,
	    const char *login, const char *text);
/* A recent message of the channel (any login): 0 and its fields, or -1. */
int	chat_chan_recent(struct chat_chan *, unsigned pick, const char **id,
	    const char **login, const char **text);

/* Inject a PRIVMSG from login (seeded or made up). Fills id (37 bytes) and
 * *sent_ms. Returns the number of deliveries, -1 for an unknown channel. */
long	chat_say(const char *channel, const char *login, const char *text,
	    char *id, uint64_t *sent_ms);
/* Send a raw line to every member of channel (all channels if NULL). */
long	chat_raw(const char *channel, const char *line);

/* Moderation effects, also used by the HTTP handlers' hooks. A CLEARCHAT
 * with a login also bans (duration 0) or times out the user: their
 * messages then get NOTICE msg_banned / msg_timedout. */
void	chat_clearchat(const char *channel, const char *login,
	    const char *user_id, unsigned duration_s);
void	chat_clearmsg(const char *channel, const char *msg_id);
/* Lift a ban or timeout (no line goes out: Twitch sends none). */
void	chat_unban(const char *channel, const char *login);
void	chat_roomstate(const char *channel, const char *key, int value);
void	chat_usernotice(const char *channel, const char *tags,
	    const char *text);

/* Faults on every chat connection, or those in channel. */
enum chat_fault {
	CHAT_FAULT_RECONNECT,
	CHAT_FAULT_CLOSE,
	CHAT_FAULT_GARBAGE,
	CHAT_FAULT_LONGLINE,
	CHAT_FAULT_BADUTF8,
	CHAT_FAULT_ESCAPES,
	CHAT_FAULT_STALL
};
/* Returns the number of connections hit. */
long	chat_fault(enum chat_fault, const char *channel, unsigned arg_ms);
void	chat_set_nopong(int on);

/* Counters, as text lines "key value" into buf. */
void	chat_stats(char *buf, size_t bufsz);

/* IRCv3 tag value escaping of s into buf (always terminated). */
void	chat_tag_escape(const char *s, char *buf, size_t bufsz);
/* The emotes tag for text (Kappa, PogChamp, LUL...) into buf. */
void	chat_emotes(const char *text, char *buf, size_t bufsz);
/* A new message id shaped like a UUID v4 into buf (37 bytes). */
void	chat_new_id(char *buf);

#endif
