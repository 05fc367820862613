/*
 * twitch.h: turns parsed IRC lines into typed Twitch chat events.
 *
 * Pure like irc.c: no sockets, no globals, no allocation. The event borrows
 * from the parsed line and from a caller-supplied scratch buffer (tag values
 * that needed unescaping land there); both must outlive the event.
 */
#ifndef STITCH_TWITCH_H
#define STITCH_TWITCH_H

#include <stdint.h>

#include "irc.h"

enum twitch_kind {
	TWITCH_UNKNOWN = 0,	/* anything else: kept, never an error */
	TWITCH_PRIVMSG,
	TWITCH_USERNOTICE,
	TWITCH_CLEARCHAT,
	TWITCH_CLEARMSG,
	TWITCH_ROOMSTATE,
	TWITCH_USERSTATE,
	TWITCH_GLOBALUSERSTATE,
	TWITCH_NOTICE,
	TWITCH_HOSTTARGET,
	TWITCH_RECONNECT,
	TWITCH_PING,
	TWITCH_PONG,
	TWITCH_JOIN,
	TWITCH_PART,
	TWITCH_NAMES,		/* 353 */
	TWITCH_ENDOFNAMES,	/* 366 */
	TWITCH_WELCOME,		/* 001 */
	TWITCH_ENDOFMOTD,	/* 376: login complete */
	TWITCH_CAP,		/* CAP ACK / NAK */
	TWITCH_WHISPER,
	TWITCH_KIND_COUNT
};

/* PRIVMSG / USERNOTICE / USERSTATE flags. */
#define TWITCH_F_ACTION		0x0001	/* /me: text has ACTION stripped */
#define TWITCH_F_FIRST_MSG	0x0002	/* first-msg=1 */
#define TWITCH_F_MOD		0x0004	/* mod=1 or a moderator badge */
#define TWITCH_F_SUBSCRIBER	0x0008
#define TWITCH_F_VIP		0x0010	/* vip badge or vip=1 */
#define TWITCH_F_BROADCASTER	0x0020	/* broadcaster badge */
#define TWITCH_F_TURBO		0x0040
#define TWITCH_F_RETURNING	0x0080	/* returning-chatter=1 */
#define TWITCH_F_REPLY		0x0100	/* reply-parent-* present */
#define TWITCH_F_CAP_NAK	0x0200	/* CAP: NAK rather than ACK */
#define TWITCH_F_EMOTE_ONLY	0x0400	/* emote-only=1 on a PRIVMSG */
#define TWITCH_F_STAFF		0x0800	/* staff or admin badge */

#define TWITCH_MAX_BADGES	12
#define TWITCH_MAX_EMOTES	64

/* A badge "name/version": split on the FIRST '/' only. */
struct twitch_badge {
	struct irc_span	 name;
	struct irc_span	 version;
};

/* One emote occurrence as a byte range of ev->text: [start, end). Ranges
 * come in code points from Twitch; they are converted, checked and sorted,
 * and out-of-range, reversed or overlapping ones are dropped. */
struct twitch_emote {
	struct irc_span	 id;
	uint32_t	 start;
	uint32_t	 end;
};

/* ROOMSTATE fields present in this line (a partial update carries only the
 * changed mode). */
#define TWITCH_ROOM_EMOTE_ONLY	0x01
#define TWITCH_ROOM_FOLLOWERS	0x02
#define TWITCH_ROOM_R9K		0x04
#define TWITCH_ROOM_SLOW	0x08
#define TWITCH_ROOM_SUBS_ONLY	0x10

struct twitch_roomstate {
	unsigned	 present;	/* TWITCH_ROOM_* bits */
	int		 emote_only;	/* 0/1 */
	int		 followers;	/* minutes; -1 off, 0 any follower */
	int		 r9k;		/* 0/1 */
	int		 slow;		/* seconds; 0 off */
	int		 subs_only;	/* 0/1 */
};

struct twitch_event {
	enum twitch_kind kind;
	const struct irc_msg *msg;	/* the parsed line, for any other tag */

	struct irc_span	 channel;	/* without '#'; empty if none */
	struct irc_span	 login;		/* sender: login tag, else prefix nick */
	struct irc_span	 display_name;	/* unescaped; empty if absent */
	struct irc_span	 text;		/* PRIVMSG/WHISPER/NOTICE/USERNOTICE
					 * message text (ACTION stripped);
					 * CLEARMSG: the deleted text */
	struct irc_span	 id;		/* id tag (message id) */
	struct irc_span	 user_id;
	struct irc_span	 room_id;
	int64_t		 sent_ms;	/* tmi-sent-ts; 0 if absent */
	unsigned	 flags;		/* TWITCH_F_* */

	int		 has_color;	/* color tag non-empty and valid */
	uint32_t	 color;		/* 0xRRGGBB */

	int		 nbadges;
	struct twitch_badge badges[TWITCH_MAX_BADGES];
	int		 sub_months;	/* badge-info subscriber/N; 0 if none */
	long		 bits;		/* bits tag; 0 if none */

	int		 nemotes;
	struct twitch_emote emotes[TWITCH_MAX_EMOTES];

	/* Replies (TWITCH_F_REPLY). Unescaped. */
	struct irc_span	 reply_msg_id;
	struct irc_span	 reply_login;
	struct irc_span	 reply_display_name;
	struct irc_span	 reply_body;

	/* NOTICE and USERNOTICE: msg-id (sub, resub, subgift, submysterygift,
	 * raid, unraid, announcement, bitsbadgetier, msg_ratelimit, ...). */
	struct irc_span	 msg_id;
	struct irc_span	 system_msg;	/* USERNOTICE system-msg, unescaped */
	long		 months;	/* msg-param-cumulative-months or
					 * msg-param-months; 0 if absent */
	long		 viewers;	/* raid: msg-param-viewerCount */
	long		 gift_count;	/* submysterygift: mass-gift-count */
	struct irc_span	 recipient;	/* subgift: recipient display name */

	/* CLEARCHAT: target empty = whole chat cleared. ban_duration 0 with a
	 * target = permanent ban, > 0 = timeout in seconds. CLEARMSG: target
	 * is the login, target_msg_id the deleted message. */
	struct irc_span	 target;
	struct irc_span	 target_user_id;
	struct irc_span	 target_msg_id;
	long		 ban_duration;

	struct twitch_roomstate room;	/* ROOMSTATE */

	/* NAMES (353): the space-separated nick list. CAP: the capability list
	 * (TWITCH_F_CAP_NAK for NAK). PING/PONG: the token to echo. */
	struct irc_span	 list;
};

/*
 * Decode a parsed line into *ev (fully overwritten). scratch receives tag
 * values that need unescaping; if it runs out, those values are cut short,
 * never overrun. Returns the kind. Never fails: an unrecognised or
 * incomplete line becomes TWITCH_UNKNOWN with what could be read.
 */
enum twitch_kind twitch_decode(const struct irc_msg *msg,
		    struct twitch_event *ev, char *scratch, size_t scratchsz);
/*
 * The same, leaving out what the caller never reads: with
 * TWITCH_DECODE_NO_EMOTES, nemotes stays 0 (the emotes tag's ranges are
 * not parsed; the raw tag is still in ev->msg).
 */
#define TWITCH_DECODE_NO_EMOTES	0x1u
enum twitch_kind twitch_decode_flags(const struct irc_msg *msg,
		    struct twitch_event *ev, char *scratch, size_t scratchsz,
		    unsigned flags);

/* "PRIVMSG", "CLEARCHAT", ...; never NULL, borrowed. */
const char	*twitch_kind_name(enum twitch_kind kind);

/*
 * Convert Twitch's emotes tag ("id:s-e,s-e/id:s-e", inclusive code point
 * ranges) into byte ranges of text, sorted by start, dropping ranges that
 * are out of range, reversed or overlapping. Returns how many were stored
 * (at most max).
 */
int		 twitch_emotes_parse(const char *tag, size_t taglen,
		    const char *text, size_t textlen,
		    struct twitch_emote *out, int max);

/* Does the line's badge list have this badge (e.g. "moderator")? */
int		 twitch_has_badge(const struct twitch_event *ev,
		    const char *name);

#endif
