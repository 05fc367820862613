/*
 * linebuf.h: turn a stream of chat bytes into lines.
 *
 * Twitch sends WebSocket frames that may carry several CR LF separated IRC
 * lines, and a line may be split over frames. Feed every frame's payload to
 * linebuf_feed(); the callback runs once per complete line.
 *
 * - A line ends at LF or CR: "a\r\nb\n", "a\nb\n" and "a\rb\r" are all the
 *   lines "a" and "b". Empty lines are skipped, so CR LF is never an extra
 *   line. A line handed to the callback therefore never holds CR or LF.
 * - The line is NUL-terminated and writable (len bytes plus the NUL), so
 *   irc_parse() can cut it in place. It is borrowed: valid only during the
 *   callback.
 * - A line longer than max bytes (terminator not counted) is dropped whole,
 *   however it was split, and counted in stats.overlong; it is never
 *   truncated into a bogus line. Memory stays bounded by max: a peer that
 *   never sends LF costs max + 1 bytes and no more.
 * - Zero copy: linebuf_feed() takes the frame as writable memory and, for
 *   every line that lies whole inside it, writes the NUL over the line's
 *   terminator and hands out a pointer into the frame. Only a line split
 *   over frames is copied (into the linebuf's own buffer). Frames that must
 *   not be written go through linebuf_feed_const(), which copies each line
 *   once (a memcpy per line, measured in test-linebuf).
 *
 * No globals, no sockets: one linebuf per connection.
 */
#ifndef STITCH_LINEBUF_H
#define STITCH_LINEBUF_H

#include <stddef.h>
#include <stdint.h>

/* IRCv3: 8191 bytes of tags and 512 for the rest, CR LF included; two more
 * bytes of slack so a line exactly at the limit reaches the parser, which
 * rejects over-limit lines with a reason. */
#define LINEBUF_DEFAULT_MAX	(8191 + 512 + 2)

/* One complete line; see above for what line may be used for. */
typedef void linebuf_cb(char *line, size_t len, void *arg);

struct linebuf_stats {
	uint64_t	lines;		/* lines handed to the callback */
	uint64_t	overlong;	/* lines dropped for being over max */
	uint64_t	bytes;		/* bytes fed */
};

struct linebuf;

/* A linebuf for lines of at most max bytes (0 means LINEBUF_DEFAULT_MAX).
 * The caller frees it with linebuf_free(). */
struct linebuf	*linebuf_new(size_t max);
void		 linebuf_free(struct linebuf *);	/* NULL ok */

/*
 * Split len bytes at data into lines and call cb(line, linelen, arg) for
 * each complete one, in order; keep a partial last line for the next feed.
 * data must be writable: the byte after each line inside it (its CR or LF)
 * is overwritten with a NUL, and the callback may write inside the line.
 * The callback must not feed or free this linebuf.
 */
void		 linebuf_feed(struct linebuf *, char *data, size_t len,
		     linebuf_cb *cb, void *arg);
/* The same for memory that must not be written: every line is copied. */
void		 linebuf_feed_const(struct linebuf *, const char *data,
		     size_t len, linebuf_cb *cb, void *arg);

/* Drop a partial line (a new connection starts clean); stats are kept. */
void		 linebuf_reset(struct linebuf *);
/* Bytes of the partial line held (0 while dropping an overlong one). */
size_t		 linebuf_pending(const struct linebuf *);
size_t		 linebuf_max(const struct linebuf *);
const struct linebuf_stats *linebuf_stats(const struct linebuf *);

#endif
