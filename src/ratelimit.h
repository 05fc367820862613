/*
 * ratelimit.h: exact sliding-window rate limits, "count per window_ms".
 *
 * "20 per 30 s" means no more than 20 sends in any 30 s window: a send at
 * time now is allowed when fewer than count sends were recorded in
 * (now - window_ms, now]. So after 20 sends starting at t0, the 21st is
 * refused until exactly t0 + window_ms. The limiter keeps the send times in
 * a ring; it never reads a clock: the caller passes now in milliseconds
 * from a monotonic clock (uv_now() on the loop), so tests need no sleeping.
 *
 * Twitch's figures (../shared/notes/twitch.md) and the margins we recommend:
 * Twitch counts sends when they arrive, after a network delay that varies,
 * so sends spaced exactly at the limit can bunch up there. Chatterino keeps
 * one send and a couple of seconds of margin, and so do the RATELIMIT_*
 * defaults below. Use the exact figures only to mirror Twitch in a test.
 *
 * Composing: a non-moderator message counts against both the 20/30 s and the
 * 100/30 s buckets of the account (pajbot's model). Keep one limiter per
 * bucket; send when ratelimit_wait_ms() is 0 for every bucket that applies,
 * then ratelimit_record() in each of them.
 */
#ifndef STITCH_RATELIMIT_H
#define STITCH_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

/* Chat messages per account: Twitch allows 20 per 30 s. */
#define RATELIMIT_MSG_COUNT		19
#define RATELIMIT_MSG_WINDOW_MS		32000
/* In channels where the user is moderator, VIP or broadcaster: Twitch
 * allows 100 per 30 s. */
#define RATELIMIT_MOD_COUNT		99
#define RATELIMIT_MOD_WINDOW_MS		32000
/* JOINs per account: Twitch allows 20 per 10 s. */
#define RATELIMIT_JOIN_COUNT		18
#define RATELIMIT_JOIN_WINDOW_MS	12500
/* Authentication attempts (PASS + NICK) per account: 20 per 10 s. */
#define RATELIMIT_AUTH_COUNT		18
#define RATELIMIT_AUTH_WINDOW_MS	12500

/* The most sends a window may allow; bigger counts are clamped. */
#define RATELIMIT_MAX_COUNT		100000

struct ratelimit {
	uint64_t	*ring;		/* send times, oldest first from head */
	size_t		 size;		/* ring slots: the largest count seen */
	size_t		 head;		/* index of the oldest kept time */
	size_t		 n;		/* times kept, <= size */
	size_t		 count;
	uint64_t	 window_ms;
};

/* count sends per window_ms (count >= 1, window_ms >= 1; 0 becomes 1).
 * Allocates the ring; release with ratelimit_free(). */
void	ratelimit_init(struct ratelimit *, size_t count, uint64_t window_ms);
void	ratelimit_free(struct ratelimit *);	/* NULL ok; back to empty */

/* Switch limits and keep the history: going from 20/30 s to 100/30 s when
 * USERSTATE says moderator (or back) still counts the sends already made. */
void	ratelimit_set(struct ratelimit *, size_t count, uint64_t window_ms);

/* Milliseconds from now until a send is allowed; 0 if it is allowed now.
 * Records nothing. */
uint64_t ratelimit_wait_ms(const struct ratelimit *, uint64_t now);
/* Record a send at now, allowed or not (a send that went out anyway still
 * counts at Twitch). */
void	ratelimit_record(struct ratelimit *, uint64_t now);
/* If a send is allowed at now, record it and return 1; else 0. */
int	ratelimit_try(struct ratelimit *, uint64_t now);
/* Sends in the window ending at now, at most the largest count ever set
 * (the ring forgets older sends: they no longer matter). */
size_t	ratelimit_used(const struct ratelimit *, uint64_t now);

#endif
