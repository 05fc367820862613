/*
 * shard.h: one chat connection (one websocket to Twitch) logged in as one
 * account, holding a set of channels. It logs in, keeps the link alive,
 * reconnects with back-off, rejoins every channel, and sends what it is
 * asked to within the account's rate limits. Everything runs on the libuv
 * loop given at creation; nothing blocks.
 *
 * Events go up through struct shard_events; a shard never prints.
 */
#ifndef STITCH_SHARD_H
#define STITCH_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct twitch_event;
struct ws_ctx;			/* ws.h: the one libwebsockets context */
struct shard;

/*
 * One Twitch login. Its JOIN and message limiters are shared by every shard
 * logged in as it (Twitch counts per account, not per connection). A NULL
 * login means anonymous (justinfanNNNNN, read-only).
 */
struct account;

struct account	*account_new(const char *login, const char *token);
void		 account_free(struct account *);	/* NULL ok */
/* A refreshed token for the account's next logins (copied; the old one
 * is wiped). An anonymous account stays so. */
void		 account_set_token(struct account *, const char *token);
const char	*account_login(const struct account *);	/* borrowed; the
							 * justinfan nick if anonymous */
int		 account_is_anonymous(const struct account *);
/* Channels this account has joined across all its shards, and the limit
 * (default 100, not counting channels it moderates). */
size_t		 account_joined(const struct account *);
void		 account_set_channel_limit(struct account *, size_t);

enum shard_state {
	SHARD_IDLE = 0,		/* created, not started */
	SHARD_CONNECTING,	/* resolving, TCP, TLS, websocket handshake */
	SHARD_LOGGING_IN,	/* CAP/PASS/NICK sent, waiting for 376 */
	SHARD_READY,		/* logged in; joins and messages flow */
	SHARD_WAITING,		/* down; reconnecting after a back-off */
	SHARD_STOPPED,		/* stopped by shard_stop() */
};

struct shard_config {
	const char	*url;		/* ws:// or wss://; copied */
	uint32_t	 ping_idle_ms;	/* PING after this long without input */
	uint32_t	 pong_timeout_ms;/* no PONG by then: reconnect */
	uint32_t	 connect_timeout_ms;
	uint32_t	 backoff_min_ms;	/* first retry delay (about 1 s) */
	uint32_t	 backoff_max_ms;	/* cap (60 s) */
	uint32_t	 stable_ms;	/* up this long resets the back-off */
	uint32_t	 send_timeout_ms;/* a queued message not sent by then
					 * fails (reported, never dropped) */
};

/* Defaults: the figures Twitch's docs and Chatterino use. */
void	shard_config_defaults(struct shard_config *);

struct shard_events {
	/* Every decoded line from the server, after the shard's own handling
	 * (PING answered, RECONNECT acted on, USERSTATE limits applied). */
	void	(*on_event)(void *arg, struct shard *,
		    const struct twitch_event *);
	/* State changes; why is a human sentence or NULL. */
	void	(*on_state)(void *arg, struct shard *, enum shard_state,
		    const char *why);
	/* A message given to shard_send() went out (ok 1) or failed (ok 0,
	 * why says so: timed out while disconnected, refused by Twitch with
	 * msg_ratelimit/msg_duplicate/..., channel parted). */
	void	(*on_send)(void *arg, struct shard *, uint64_t id, int ok,
		    const char *why);
	/* A join completed (the server echoed our JOIN) or failed (why). */
	void	(*on_join)(void *arg, struct shard *, const char *channel,
		    int ok, const char *why);
	/* A malformed line was counted and skipped (why from the parser). */
	void	(*on_bad_line)(void *arg, struct shard *, const char *why);
	/* TWITCH_DECODE_* flags: what on_event never reads is not decoded
	 * (0: everything). */
	unsigned decode_flags;
};

/*
 * Make a shard; it does nothing on the network until shard_start(). id is
 * copied ("main-shard", "extended-shard-1"); acct is borrowed and must
 * outlive the shard; events are copied.
 */
struct shard	*shard_new(uv_loop_t *, struct ws_ctx *, const char *id,
		    struct account *acct, const struct shard_config *,
		    const struct shard_events *, void *arg);
void		 shard_start(struct shard *);
/* Part nothing, close the link, stop timers. Pending sends fail. */
void		 shard_stop(struct shard *);
/* Frees later, from the loop, if callbacks may still reach it. NULL ok. */
void		 shard_free(struct shard *);

/*
 * Add a channel (login, without '#', any case) to the shard: joined now if
 * ready and the account's JOIN budget allows, else as soon as it does, and
 * again after every reconnect. Returns 0, or -1 with err filled (already
 * joined, account's channel limit reached, invalid name).
 */
int		 shard_join(struct shard *, const char *channel, char *err,
		    size_t errsz);
int		 shard_part(struct shard *, const char *channel);
int		 shard_has_channel(const struct shard *, const char *channel);
size_t		 shard_nchannels(const struct shard *);
/* The i-th channel, borrowed; for listing. */
const char	*shard_channel(const struct shard *, size_t i);

/*
 * Queue "PRIVMSG #channel :text" (a reply when reply_to is not NULL).
 * Returns an id > 0 that on_send will report on exactly once, or 0 with err
 * filled when refused at once (CR/LF/NUL, over 500 characters, empty,
 * anonymous account, channel not joined).
 */
uint64_t	 shard_send(struct shard *, const char *channel,
		    const char *text, const char *reply_to, char *err,
		    size_t errsz);

const char	*shard_id(const struct shard *);		/* borrowed */
enum shard_state shard_state(const struct shard *);
const char	*shard_state_name(enum shard_state);
struct account	*shard_account(const struct shard *);

struct shard_stats {
	uint64_t	 lines_in;	/* lines decoded */
	uint64_t	 bad_lines;	/* malformed, counted and skipped */
	uint64_t	 lines_out;
	uint64_t	 reconnects;
	uint64_t	 rejoins;
	uint64_t	 sends_ok;
	uint64_t	 sends_failed;
};
void		 shard_get_stats(const struct shard *, struct shard_stats *);

/*
 * Added by the net core (beside the contract above, not changing it).
 */
/* JOIN budget of the account (default RATELIMIT_JOIN_COUNT per
 * RATELIMIT_JOIN_WINDOW_MS): for tests against a fake server. */
void		 account_set_join_limit(struct account *, size_t count,
		    uint32_t window_ms);
/* Milliseconds until the account may send one more message in a channel
 * where it is elevated (moderator, VIP, broadcaster) or not; 0 = now. A
 * message counts in the 100/30 s bucket always and in the 20/30 s one
 * too outside elevated channels. Pure: now is the caller's clock. */
uint64_t	 account_send_wait_ms(const struct account *, int elevated,
		    uint64_t now);
void		 account_send_record(struct account *, int elevated,
		    uint64_t now);
/* Reconnect delay for the attempt-th retry (0 first): min_ms doubling up
 * to max_ms, spread by rnd over [3/4, 5/4] of the step, never past max_ms.
 * Pure. */
uint32_t	 shard_backoff_ms(unsigned attempt, uint32_t min_ms,
		    uint32_t max_ms, uint32_t rnd);

#endif
