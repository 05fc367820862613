/*
 * chan.h: one channel as the client remembers it: a bounded scrollback of
 * compact lines, the chatters seen, the room modes and the counters the
 * hotlist shows. Core (no curses): the UI reads lines and draws them.
 *
 * Every stored line is ONE allocation holding sanitized text (never raw
 * chat bytes) and its metadata. Lines are numbered by a sequence that only
 * grows (the first line is 1); the ring keeps the newest max_lines of them.
 * A sequence number stays valid as a name after its line is dropped:
 * chan_line() then returns NULL.
 */
#ifndef STITCH_CHAN_H
#define STITCH_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "twitch.h"

enum chan_kind {
	CHAN_K_MSG = 0,		/* a chat message (PRIVMSG, or our own) */
	CHAN_K_USERNOTICE,	/* subs, raids, announcements: extra holds
				 * the system message, body the user's */
	CHAN_K_NOTICE,		/* server NOTICE, joins, local information */
	CHAN_K_MODERATION,	/* "x was timed out for 10m" */
	CHAN_K_CLEAR,		/* the whole chat was cleared by a moderator */
	CHAN_K_ERROR,		/* a send failed, a join was refused */
};

/* USERNOTICE kinds (line->sub). */
enum chan_usernotice {
	CHAN_UN_OTHER = 0,
	CHAN_UN_SUB,		/* sub, resub, gifts, upgrades */
	CHAN_UN_RAID,
	CHAN_UN_ANNOUNCEMENT,
};

#define CHAN_F_ACTION	0x0001	/* /me */
#define CHAN_F_FIRST	0x0002	/* first message in the channel */
#define CHAN_F_REPLY	0x0004	/* extra holds "login: parent text" */
#define CHAN_F_MENTION	0x0008	/* mentions the user or a highlight word */
#define CHAN_F_DELETED	0x0010	/* removed by CLEARMSG */
#define CHAN_F_DIMMED	0x0020	/* its author was timed out or banned */
#define CHAN_F_OWN	0x0040	/* typed by the user */
#define CHAN_F_PENDING	0x0080	/* own line not confirmed sent yet */
#define CHAN_F_FAILED	0x0100	/* own line that could not be sent */
#define CHAN_F_BITS	0x0200	/* a cheer: chan_line_bits() */
#define CHAN_F_RETURNING 0x0400	/* returning chatter */
#define CHAN_F_HASCOLOR	0x0800	/* color came from the tag, not a hash */
#define CHAN_F_UUID	0x1000	/* id stored as 16 binary bytes */

/* Badges worth a glyph (line->badges). */
#define CHAN_B_BROADCASTER	0x0001
#define CHAN_B_MOD		0x0002
#define CHAN_B_VIP		0x0004
#define CHAN_B_SUB		0x0008
#define CHAN_B_STAFF		0x0010
#define CHAN_B_TURBO		0x0020
#define CHAN_B_PRIME		0x0040
#define CHAN_B_PARTNER		0x0080
#define CHAN_B_FOUNDER		0x0100
#define CHAN_B_ARTIST		0x0200
#define CHAN_B_BITS		0x0400
#define CHAN_B_COUNT		11
/* "broadcaster" for CHAN_B_BROADCASTER etc.; bit is one CHAN_B_* value. */
const char	*chan_badge_name(unsigned bit);

/* One stored line; its strings follow it in the same allocation. Read the
 * strings through the accessors below. */
struct chan_line {
	uint32_t	 time;		/* Unix seconds */
	uint32_t	 color;		/* nick colour 0xRRGGBB (tag or hash) */
	uint16_t	 flags;		/* CHAN_F_* */
	uint16_t	 badges;	/* CHAN_B_* */
	uint16_t	 body_len;
	uint16_t	 extra_len;
	uint8_t		 kind;		/* enum chan_kind */
	uint8_t		 sub;		/* enum chan_usernotice */
	uint8_t		 login_len;
	uint8_t		 name_len;	/* 0: the display name is the login */
	uint8_t		 id_len;
	uint8_t		 nemotes;
	char		 data[];	/* login, name, id, extra, body,
					 * emotes (2 x uint16 each), bits */
};

/* Borrowed views into a line; never NUL-terminated. */
const char	*chan_line_login(const struct chan_line *, size_t *len);
/* The display name; the login when the tag was empty or the same. */
const char	*chan_line_name(const struct chan_line *, size_t *len);
const char	*chan_line_body(const struct chan_line *, size_t *len);
const char	*chan_line_extra(const struct chan_line *, size_t *len);
/* Emote i as a byte range of the body. */
void		 chan_line_emote(const struct chan_line *, size_t i,
		    size_t *start, size_t *end);
uint32_t	 chan_line_bits(const struct chan_line *);	/* 0 if none */
/* The message id as text into buf (>= 65 bytes); returns its length. */
size_t		 chan_line_id(const struct chan_line *, char *buf,
		    size_t bufsz);
/* Bytes this line takes in its allocation (header + strings). */
size_t		 chan_line_size(const struct chan_line *);

/* What makes a line a mention: the user's login and highlight words. */
struct chan_match {
	const char	*self;		/* login, or NULL (anonymous) */
	const char *const *words;
	size_t		 nwords;
};

struct chan;
struct chanstats;

/* A channel keeping at most max_lines lines (at least 1). name copied. */
struct chan	*chan_new(const char *name, size_t max_lines);
void		 chan_free(struct chan *);		/* NULL ok */
const char	*chan_name(const struct chan *);	/* borrowed */
void		 chan_set_max(struct chan *, size_t max_lines);

/*
 * Take one event for this channel: messages and USERNOTICEs become lines
 * (and count as unread; mentions by m as mentions), CLEARMSG marks a line
 * deleted, CLEARCHAT dims the user's lines and adds a notice (or a "chat
 * cleared" line), ROOMSTATE updates the modes, NOTICE becomes a line.
 * Returns the sequence of the line added, or 0 when none was (the lines
 * shown may still have changed: chan_changed()).
 */
uint64_t	 chan_add_event(struct chan *, const struct twitch_event *,
		    const struct chan_match *m, uint32_t now);

/*
 * Add a line made here (own message, a notice, an error). text is any
 * bytes (sanitized here); login may be NULL. Returns its sequence.
 */
uint64_t	 chan_add_text(struct chan *, enum chan_kind, unsigned flags,
		    const char *login, const char *text, size_t len,
		    uint32_t color, uint32_t now);

/* The oldest held and one past the newest sequence; equal when empty. */
uint64_t	 chan_first(const struct chan *);
uint64_t	 chan_end(const struct chan *);
/* The line, or NULL if it was dropped or is not there yet. Borrowed. */
const struct chan_line *chan_line(const struct chan *, uint64_t seq);
/* Change a held line's flags (pending -> sent/failed). 0, or -1. */
int		 chan_set_flags(struct chan *, uint64_t seq, unsigned set,
		    unsigned clear);

/* Mark the line with this message id deleted; 1 if found. */
int		 chan_delete_msg(struct chan *, const char *id, size_t len);
/* Dim every held line by login; returns how many. */
size_t		 chan_dim_user(struct chan *, const char *login, size_t len);
/* Drop every line (local /clear); sequences go on from where they were. */
void		 chan_clear(struct chan *);

/*
 * The next line at or before (dir < 0) / at or after (dir > 0) seq whose
 * body, login or display name contains needle (ASCII case-insensitive).
 * Returns its sequence, or 0.
 */
uint64_t	 chan_search(const struct chan *, uint64_t seq, int dir,
		    const char *needle);

/* Unread lines and mentions since chan_mark_read(). */
size_t		 chan_unread(const struct chan *);
size_t		 chan_mentions(const struct chan *);
void		 chan_mark_read(struct chan *);
/* A counter that changes whenever anything shown changed. */
uint64_t	 chan_changed(const struct chan *);
/*
 * A counter that changes only when lines already stored changed (deleted,
 * dimmed, flagged, cleared, trimmed by a new maximum): while it holds, the
 * lines shown are the same and new ones were only appended.
 */
uint64_t	 chan_edited(const struct chan *);

/* Room modes as last reported (ROOMSTATE merges partial updates). */
const struct twitch_roomstate *chan_room(const struct chan *);
/* "slow 30s subs emote r9k followers 10m" or "" into buf. */
size_t		 chan_room_string(const struct chan *, char *buf, size_t sz);

/* Remember a chatter's login (lowercase ASCII, <= 25 bytes). */
void		 chan_chatter_seen(struct chan *, const char *login, size_t len);
/* Logins seen that start with prefix (case-insensitive), newest first;
 * borrowed until the next change. Returns how many (<= max). */
size_t		 chan_chatters_complete(const struct chan *, const char *prefix,
		    size_t plen, const char **out, size_t max);
size_t		 chan_nchatters(const struct chan *);
/* Emote names seen in this channel's lines, for Tab (case kept). */
size_t		 chan_emotes_complete(const struct chan *, const char *prefix,
		    size_t plen, const char **out, size_t max);

/* The channel's counters and chatters seen (chanstats.h): fed by
 * chan_add_event() (lines, JOIN, PART, NAMES) and chan_add_text() (own
 * lines). Borrowed; lives as long as the channel. */
struct chanstats *chan_stats(struct chan *);
const struct chanstats *chan_stats_const(const struct chan *);

/* Lines held and bytes their allocations take (header + strings). */
size_t		 chan_nlines(const struct chan *);
size_t		 chan_bytes(const struct chan *);

#endif
