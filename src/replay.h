/*
 * replay.h: recorded chat played back with its original timing.
 *
 * A recording is what `stitch tail` wrote: TSV with its header (time
 * channel login display_name kind text), or JSON Lines (one object per
 * event with the same names and "tags"). Three layers, each usable alone:
 *
 *   replay_reader   the recording, one event at a time (never all of it
 *                   in memory), any bad line reported and skipped;
 *   replay_clock    pure: when an event is due, from its recorded time,
 *                   the speed factor and the caller's clock;
 *   replay          the two on a libuv timer, calling back once per event.
 *
 * The UI feeds panes from struct replay_events.on_event; `stitch replay
 * --tail` prints in tail's formats.
 */
#ifndef STITCH_REPLAY_H
#define STITCH_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#define REPLAY_MAX_TAGS		64
#define REPLAY_MAX_LINE		(1024 * 1024)	/* bytes of one record */
#define REPLAY_MAX_SPEED	100000.0

/*
 * One event. Every string is borrowed, valid until the next call on the
 * reader (for on_event: until it returns), NUL-terminated and unescaped:
 * text may hold a TAB or LF, and none of it is sanitized yet, so whatever
 * shows it must go through text_sanitize() first (tail's escaping does).
 */
struct replay_event {
	int64_t		 ms;		/* recorded time, ms since the epoch */
	const char	*channel;
	const char	*login;
	const char	*display_name;
	const char	*kind;		/* "privmsg", "usernotice:sub", ... */
	const char	*text;
	size_t		 ntags;		/* JSONL only; 0 for TSV */
	const char	*tag_key[REPLAY_MAX_TAGS];
	const char	*tag_value[REPLAY_MAX_TAGS];
};

struct replay_reader;

/* A reader of fp (left open by replay_reader_free). The format is told by
 * the first byte: '{' is JSON Lines, anything else TSV. name is used in
 * messages; copied. */
struct replay_reader *replay_reader_new(FILE *fp, const char *name);
/* NULL ok. */
void		 replay_reader_free(struct replay_reader *);
/*
 * The next event into *ev: 1, 0 at the end, or -1 with a message (naming
 * the line) in err. After -1 the next call goes on with the next line,
 * unless replay_reader_failed() (a read error, a TSV with no usable
 * header): then the recording cannot be read further.
 */
int		 replay_reader_next(struct replay_reader *,
		     struct replay_event *ev, char *err, size_t errsz);
int		 replay_reader_failed(const struct replay_reader *);
/* 1 if the recording is JSON Lines (known after the first next()). */
int		 replay_reader_jsonl(const struct replay_reader *);

/*
 * The schedule, pure. The first event is due at once; each later one
 * after the gap the recording had since the one before, divided by speed
 * (0: no gaps at all) and capped at max_gap_ms of recorded time (0: no
 * cap). A time earlier than the previous one counts as no gap, so events
 * keep their recorded order.
 */
struct replay_clock {
	double		speed;
	int64_t		max_gap_ms;
	int		started;
	int64_t		last_ms;	/* the latest recorded time seen */
	double		due;		/* caller's clock, ms, of the last due */
};

void		 replay_clock_init(struct replay_clock *, double speed,
		     int64_t max_gap_ms);
/* The caller's clock time (ms) at which the event recorded at ev_ms is
 * due; now_ms is the caller's clock at this call (used by the first). */
int64_t		 replay_clock_due(struct replay_clock *, int64_t ev_ms,
		     int64_t now_ms);

/* The callbacks of a replay; arg is given to each. */
struct replay_events {
	void	(*on_event)(void *arg, const struct replay_event *);
	/* A bad line, skipped (may be NULL). */
	void	(*on_bad)(void *arg, const char *why);
	/* The end: error 0 at the end of the recording, else why is the
	 * message. Not called after replay_stop(). */
	void	(*on_done)(void *arg, int error, const char *why);
};

struct replay;

/*
 * A replay of reader's events on loop, starting at once. The reader is
 * borrowed and must outlive the replay. Events are delivered in batches
 * of at most a few thousand per loop turn, so even --speed 0 leaves the
 * loop free to notice a signal.
 */
struct replay	*replay_new(uv_loop_t *, struct replay_reader *, double speed,
		     int64_t max_gap_ms, const struct replay_events *,
		     void *arg);
/* No more callbacks; safe from inside one. */
void		 replay_stop(struct replay *);
/* Stop and free; the memory goes when the loop has closed the timer (run
 * the loop once more). NULL ok. */
void		 replay_free(struct replay *);
/* Events delivered and bad lines skipped so far. */
uint64_t	 replay_delivered(const struct replay *);
uint64_t	 replay_skipped(const struct replay *);

/*
 * The chat client's player (src/ cannot call ui/, so main.c hands it in):
 * `stitch replay FILE` without --tail runs it with the file, the speed and
 * the gap cap, and returns its status. Without one, --tail is required.
 */
typedef int	(*replay_ui_fn)(const char *file, double speed,
		    long long max_gap_ms);
void		 replay_set_ui(replay_ui_fn);

/* "stitch replay ..." with argv[0] == "replay". Returns the exit status. */
int		 replay_main(int argc, char **argv);

#endif
