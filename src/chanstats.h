/*
 * chanstats.h: what chat itself tells about a channel, counted as it
 * arrives: messages per minute over the last hour (a ring of 60 one-minute
 * buckets), unique chatters in the last 5 minutes, and the chatters seen
 * (senders, JOIN/PART with the membership capability, NAMES) with their
 * badges, first and last time seen and how many lines they sent.
 *
 * Pure: no I/O and no clock of its own. Every call takes the time (Unix
 * seconds), so tests drive a fake clock; time never goes back inside (an
 * earlier time counts as the latest one seen).
 *
 * Cost: a message is O(1) (one hash lookup and a few bucket updates).
 * Sorted lists are made on demand by whoever draws them, never per line.
 * At most max_chatters are remembered; past that the half seen least
 * recently is forgotten at once, so the cost per chatter stays constant.
 */
#ifndef STITCH_CHANSTATS_H
#define STITCH_CHANSTATS_H

#include <stddef.h>
#include <stdint.h>

#define CHANSTATS_LOGIN_MAX	25	/* logins: [a-z0-9_]{1,25} */
#define CHANSTATS_NAME_MAX	63	/* a sanitized display name, bytes */
#define CHANSTATS_MINUTES	60	/* the messages-per-minute history */
#define CHANSTATS_UNIQUE_S	300	/* unique chatters window, s */
#define CHANSTATS_RATE_S	60	/* "messages per minute" now */

/* The groups lists are sorted by, in this order. */
enum chanstats_group {
	CHANSTATS_G_BROADCASTER = 0,
	CHANSTATS_G_MOD,
	CHANSTATS_G_VIP,
	CHANSTATS_G_SUB,		/* subscriber or founder */
	CHANSTATS_G_OTHER,
	CHANSTATS_G_COUNT
};
#define CHANSTATS_GM(g)		(1u << (g))
#define CHANSTATS_GM_ALL	((1u << CHANSTATS_G_COUNT) - 1)

struct chanstats_chatter {
	char		 login[CHANSTATS_LOGIN_MAX + 1];
	char		 name[CHANSTATS_NAME_MAX + 1];	/* sanitized
							 * display name; "" none */
	uint16_t	 badges;	/* CHAN_B_* from their last line */
	uint8_t		 group;		/* enum chanstats_group */
	uint8_t		 present;	/* spoke, joined or was named, and
					 * has not parted since */
	uint32_t	 first_seen;	/* Unix seconds */
	uint32_t	 last_seen;	/* any sign of them */
	uint32_t	 last_msg;	/* their last line; 0 none */
	uint32_t	 messages;	/* lines counted here */
};

struct chanstats;

/* broadcaster: the channel's login (its owner is in that group even before
 * they speak). max_chatters: at least 16. */
struct chanstats *chanstats_new(const char *broadcaster, size_t max_chatters);
void		 chanstats_free(struct chanstats *);	/* NULL ok */

/*
 * A line from login (any case; anything but [A-Za-z0-9_] makes the login
 * invalid and the line only counts in the rates). name is the display name
 * as sent (sanitized here; NULL or empty for none). badges: CHAN_B_*.
 */
void		 chanstats_message(struct chanstats *, const char *login,
		    size_t len, const char *name, size_t nlen,
		    unsigned badges, uint32_t now);
/* Membership: JOIN, PART, and a NAMES (353) list of space-separated logins. */
void		 chanstats_join(struct chanstats *, const char *login,
		    size_t len, uint32_t now);
void		 chanstats_part(struct chanstats *, const char *login,
		    size_t len, uint32_t now);
void		 chanstats_names(struct chanstats *, const char *list,
		    size_t len, uint32_t now);

/*
 * What the REST layer says about someone (Helix chatters, moderators,
 * VIPs): present, with these CHAN_B_* badges added to what chat showed, and
 * the display name if one is given. Counts no line.
 */
void		 chanstats_mark(struct chanstats *, const char *login,
		    size_t len, const char *name, size_t nlen,
		    unsigned badges, uint32_t now);

/* Lines in the last CHANSTATS_RATE_S seconds. */
uint32_t	 chanstats_rate(const struct chanstats *, uint32_t now);
/* Lines per minute, oldest first; out[CHANSTATS_MINUTES - 1] is the
 * current (partial) minute. Returns the total over the hour. */
uint64_t	 chanstats_minutes(const struct chanstats *, uint32_t now,
		    uint32_t out[CHANSTATS_MINUTES]);
/* Chatters whose last line came in the last CHANSTATS_UNIQUE_S seconds. */
size_t		 chanstats_unique(const struct chanstats *, uint32_t now);
/* Lines counted since the start. */
uint64_t	 chanstats_total(const struct chanstats *);

/* Present chatters in the groups of mask (CHANSTATS_GM_*). O(1). */
size_t		 chanstats_count(const struct chanstats *, unsigned mask);
/* Chatters remembered, present or not. */
size_t		 chanstats_known(const struct chanstats *);
/* A remembered chatter by login (any case), or NULL. Borrowed until the
 * next call that changes the stats. */
const struct chanstats_chatter *chanstats_find(const struct chanstats *,
		    const char *login, size_t len);

/*
 * The present chatters in the groups of mask whose login or display name
 * contains filter (ASCII case-insensitive; NULL or "" for all), sorted by
 * group, then login. out must hold max pointers; with max >=
 * chanstats_count(mask) the list is complete. Returns how many were put
 * in out. Borrowed like chanstats_find().
 */
size_t		 chanstats_list(const struct chanstats *, unsigned mask,
		    const char *filter, const struct chanstats_chatter **out,
		    size_t max);

/* Changes whenever anything above would answer differently (time aside). */
uint64_t	 chanstats_changed(const struct chanstats *);
/* Changes only when chanstats_list() would: someone new, gone, back, or in
 * another group. A list drawn from it need not be sorted again before. */
uint64_t	 chanstats_version(const struct chanstats *);

/* "broadcaster", "moderators", ... for headings. Borrowed. */
const char	*chanstats_group_name(enum chanstats_group);

#endif
