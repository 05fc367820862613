/*
 * test-linebuf.c: line reassembly from frames (every split point, the cap,
 * zero copy), the capped buffer it sits next to, and a timing of the hot
 * path that prints and never fails.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "linebuf.h"
#include "tap.h"

/* What the callback saw: the lines joined with '|', and whether every line
 * was NUL-terminated, free of CR/LF and inside the frame when expected. */
struct seen {
	char		 out[4096];
	size_t		 len;
	int		 bad;
	const char	*lo, *hi;	/* a frame: lines must point inside */
	int		 inside;
	int		 scribble;	/* write into each line */
};

static void
seen_cb(char *line, size_t len, void *arg)
{
	struct seen	*s = arg;

	if (line[len] != '\0' || memchr(line, '\r', len) != NULL ||
	    memchr(line, '\n', len) != NULL || len == 0)
		s->bad++;
	if (s->lo != NULL && line >= s->lo && line + len < s->hi)
		s->inside++;
	if (s->len + len + 2 < sizeof s->out) {
		if (s->len > 0)
			s->out[s->len++] = '|';
		memcpy(s->out + s->len, line, len);
		s->len += len;
		s->out[s->len] = '\0';
	}
	if (s->scribble)
		memset(line, '#', len + 1);	/* the NUL is ours too */
}

static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
}

/* Feed the chunks of a NUL-separated list (ended by an empty one). */
static const char *
feed_chunks(struct linebuf *lb, const char *const *chunks, struct seen *s,
    int copy)
{
	char	frame[256];
	size_t	n;

	for (; *chunks != NULL; chunks++) {
		n = strlen(*chunks);
		memcpy(frame, *chunks, n);
		if (copy)
			linebuf_feed_const(lb, frame, n, seen_cb, s);
		else
			linebuf_feed(lb, frame, n, seen_cb, s);
	}
	return s->bad ? "(bad line)" : s->out;
}

static const struct {
	const char	*what;
	const char	*chunks[6];
	const char	*lines;
} cases[] = {
	{ "two lines in a frame", { "PING :a\r\nPONG :b\r\n" }, "PING :a|PONG :b" },
	{ "split everywhere", { "PI", "NG :a\r", "\nPO", "NG :b\r\n" },
	  "PING :a|PONG :b" },
	{ "CR and LF apart", { "a\r", "\n", "b\r", "\nc\r\n" }, "a|b|c" },
	{ "bare LF and bare CR", { "a\nb\rc\r\n" }, "a|b|c" },
	{ "empty lines skipped", { "\r\n\r\n\n\r", "\n\n" }, "" },
	{ "partial kept until its end", { "abc", "def", "ghi" }, "" },
	{ "partial completed", { "abc", "def", "ghi\n" }, "abcdefghi" },
	{ "tail after a line", { "x\r\ny", "z\r\n" }, "x|yz" },
	{ "spaces are content", { "  \r\n" }, "  " },
};

static void
test_lines(void)
{
	struct linebuf	*lb;
	struct seen	 s;
	size_t		 i;
	int		 copy;

	for (copy = 0; copy < 2; copy++)
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			lb = linebuf_new(0);
			seen_init(&s);
			tap_is_str(feed_chunks(lb, cases[i].chunks, &s, copy),
			    cases[i].lines, cases[i].what);
			linebuf_free(lb);
		}

	lb = linebuf_new(0);
	tap_is_int((long long)linebuf_max(lb), 8191 + 512 + 2, "default cap");
	seen_init(&s);
	{
		char	frame[] = "PING :a\r\npartial";

		linebuf_feed(lb, frame, strlen(frame), seen_cb, &s);
		tap_is_int((long long)linebuf_pending(lb), 7, "7 bytes pending");
		linebuf_reset(lb);
		tap_is_int((long long)linebuf_pending(lb), 0, "reset drops them");
	}
	{
		char	frame[] = "end\r\n";

		linebuf_feed(lb, frame, 5, seen_cb, &s);
		tap_is_str(s.out, "PING :a|end", "a reset starts clean");
	}
	tap_ok(linebuf_stats(lb)->lines == 2 && linebuf_stats(lb)->bytes ==
	    16 + 5 && linebuf_stats(lb)->overlong == 0, "stats: 2 lines, 21 "
	    "bytes");
	linebuf_free(lb);
	linebuf_free(NULL);
}

static void
test_zero_copy(void)
{
	struct linebuf	*lb = linebuf_new(0);
	struct seen	 s;
	char		 frame[] = "one\r\ntwo\r\nthr";
	char		 frame2[] = "ee\r\nfour\r\n";

	seen_init(&s);
	s.lo = frame;
	s.hi = frame + sizeof frame;
	s.scribble = 1;
	linebuf_feed(lb, frame, strlen(frame), seen_cb, &s);
	tap_is_int(s.inside, 2, "whole lines point into the frame");
	s.lo = frame2;
	s.hi = frame2 + sizeof frame2;
	s.inside = 0;
	linebuf_feed(lb, frame2, strlen(frame2), seen_cb, &s);
	tap_is_int(s.inside, 1, "a split line is copied, the next is not");
	tap_is_str(s.out, "one|two|three|four",
	    "lines the callback wrote into stay intact");
	linebuf_free(lb);
}

static void
test_cap(void)
{
	struct linebuf	*lb;
	struct seen	 s;
	static const char *const exact[] = { "01234", "56789\n", NULL };
	static const char *const over[] = { "0123456", "7890123", "45",
	    "6\nok\n", NULL };
	static const char *const inframe[] = { "01234567890\nok\n", NULL };
	static const char *const crlf_split[] = { "0123456789\r", "\nok\n",
	    NULL };
	int		 copy;

	for (copy = 0; copy < 2; copy++) {
		lb = linebuf_new(10);
		seen_init(&s);
		tap_is_str(feed_chunks(lb, exact, &s, copy), "0123456789",
		    "a line of exactly the cap, split, passes");
		linebuf_free(lb);

		lb = linebuf_new(10);
		seen_init(&s);
		tap_is_str(feed_chunks(lb, over, &s, copy), "ok",
		    "an overlong split line is dropped whole");
		tap_is_int((long long)linebuf_stats(lb)->overlong, 1,
		    "and counted once");
		linebuf_free(lb);

		lb = linebuf_new(10);
		seen_init(&s);
		tap_is_str(feed_chunks(lb, inframe, &s, copy), "ok",
		    "an overlong line inside a frame is dropped");
		tap_is_int((long long)linebuf_stats(lb)->overlong, 1,
		    "and counted");
		linebuf_free(lb);

		lb = linebuf_new(10);
		seen_init(&s);
		tap_is_str(feed_chunks(lb, crlf_split, &s, copy),
		    "0123456789|ok", "CR at the cap, LF in the next frame");
		linebuf_free(lb);
	}

	/* A peer that never sends LF: memory stays at the cap. */
	lb = linebuf_new(100);
	seen_init(&s);
	{
		char	chunk[64];
		size_t	i, most = 0;

		memset(chunk, 'x', sizeof chunk);
		for (i = 0; i < 10000; i++) {
			linebuf_feed(lb, chunk, sizeof chunk, seen_cb, &s);
			if (linebuf_pending(lb) > most)
				most = linebuf_pending(lb);
		}
		tap_ok(most <= 100 && s.len == 0 &&
		    linebuf_stats(lb)->overlong == 1,
		    "640 KB without LF: held at most %zu bytes, no line", most);
		chunk[0] = '\n';
		memcpy(chunk + 1, "after\n", 6);
		linebuf_feed(lb, chunk, 7, seen_cb, &s);
		tap_is_str(s.out, "after", "the next line after it arrives");
	}
	linebuf_free(lb);
}

/* Every way to cut a stream in two, and in many random pieces, gives the
 * same lines as feeding it whole. */
static void
test_splits(void)
{
	static const char stream[] =
	    "@badge-info=;color=#FF0000 :a!a@a.tmi.twitch.tv PRIVMSG #c :hi\r\n"
	    "PING :tmi.twitch.tv\r\n\r\n\nbare\rcr\r\n"
	    "@id=1 :tmi.twitch.tv CLEARCHAT #c :nick\r\n"
	    "0123456789012345678901234567890123456789overlong-with-cap-40\r\n"
	    "last";
	struct linebuf	*lb;
	struct seen	 whole, cut;
	char		 frame[sizeof stream];
	size_t		 len = sizeof stream - 1, i, pos, n, bad = 0;
	uint32_t	 seed = 7;
	int		 round;

	lb = linebuf_new(40);
	seen_init(&whole);
	memcpy(frame, stream, len);
	linebuf_feed(lb, frame, len, seen_cb, &whole);
	linebuf_free(lb);

	for (i = 0; i <= len; i++) {
		lb = linebuf_new(40);
		seen_init(&cut);
		memcpy(frame, stream, len);
		linebuf_feed(lb, frame, i, seen_cb, &cut);
		linebuf_feed(lb, frame + i, len - i, seen_cb, &cut);
		if (cut.bad || strcmp(cut.out, whole.out) != 0 ||
		    linebuf_stats(lb)->overlong != 2)
			bad++;
		linebuf_free(lb);
	}
	tap_is_int((long long)bad, 0, "every 2-way split gives the same lines");

	for (round = 0, bad = 0; round < 2000; round++) {
		lb = linebuf_new(40);
		seen_init(&cut);
		memcpy(frame, stream, len);
		for (pos = 0; pos < len; pos += n) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % 12;
			if (n > len - pos)
				n = len - pos;
			if (round & 1)
				linebuf_feed_const(lb, frame + pos, n, seen_cb,
				    &cut);
			else
				linebuf_feed(lb, frame + pos, n, seen_cb, &cut);
		}
		if (cut.bad || strcmp(cut.out, whole.out) != 0)
			bad++;
		linebuf_free(lb);
	}
	tap_is_int((long long)bad, 0, "2000 random splits give the same lines");
	tap_diag("lines: %s", whole.out);
}

static void
test_buf(void)
{
	struct buf	b;
	char		big[600], *p;
	size_t		i;
	int		fails = 0;

	buf_init(&b, 10);
	tap_is_str(buf_ptr(&b), "", "a fresh buffer is \"\"");
	tap_ok(buf_add(&b, "hello", 5) == 0 && buf_adds(&b, "world") == 0,
	    "10 bytes fit a cap of 10");
	tap_is_int(buf_addc(&b, 'x'), -1, "the 11th is refused");
	tap_is_str(buf_ptr(&b), "helloworld", "and nothing changed");
	buf_reset(&b);
	tap_ok(buf_addf(&b, "%d-%s", 42, "ab") == 0, "addf");
	tap_is_str(buf_ptr(&b), "42-ab", "addf wrote");
	tap_is_int(buf_addf(&b, "%s", "123456"), -1, "addf past the cap");
	tap_is_str(buf_ptr(&b), "42-ab", "left unchanged");
	buf_consume(&b, 3);
	tap_is_str(buf_ptr(&b), "ab", "consume 3");
	buf_truncate(&b, 1);
	tap_is_str(buf_ptr(&b), "a", "truncate to 1");
	buf_consume(&b, 99);
	tap_ok(buf_len(&b) == 0 && strcmp(buf_ptr(&b), "") == 0,
	    "consume past the end empties");
	buf_free(&b);
	buf_free(&b);
	buf_free(NULL);

	buf_init(&b, 1 << 20);
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tap_ok(buf_addf(&b, "<%s>", big) == 0 && buf_len(&b) == 601 &&
	    buf_ptr(&b)[600] == '>', "addf longer than its stack buffer");
	for (i = 0; i < 100000; i++)
		fails += buf_addc(&b, 'z') != 0;
	tap_ok(fails == 0 && buf_len(&b) == 100601, "100,000 appends");
	p = buf_take(&b);
	tap_ok(strlen(p) == 100601 && buf_len(&b) == 0 &&
	    strcmp(buf_ptr(&b), "") == 0, "take hands the bytes over");
	free(p);
	p = buf_take(&b);
	tap_is_str(p, "", "take of an empty buffer gives \"\"");
	free(p);
	tap_is_int((long long)buf_cap(&b), 1 << 20, "cap kept");
	buf_free(&b);

	buf_init(&b, 0);
	tap_ok(buf_addc(&b, 'a') == 0 && buf_addc(&b, 'b') == -1,
	    "cap 0 means 1");
	buf_free(&b);
}

static void
bench_cb(char *line, size_t len, void *arg)
{
	*(size_t *)arg += len + (size_t)(unsigned char)line[0];
}

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Realistic frames: 4 tagged PRIVMSG lines of about 330 bytes each, one
 * split over frames now and then. Prints ns per line; never fails. */
static void
bench(void)
{
	static const char line[] =
	    "@badge-info=subscriber/14;badges=subscriber/12,premium/1;"
	    "client-nonce=4f2a8e8f1a2b3c4d5e6f7a8b9c0d1e2f;color=#1E90FF;"
	    "display-name=SomeViewer;emotes=25:0-4;first-msg=0;flags=;"
	    "id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;returning-chatter=0;"
	    "room-id=12345678;subscriber=1;tmi-sent-ts=1700000000000;turbo=0;"
	    "user-id=87654321;user-type= :someviewer!someviewer@someviewer"
	    ".tmi.twitch.tv PRIVMSG #channel :Kappa that was a great play\r\n";
	struct linebuf	*lb = linebuf_new(0);
	char		 src[4 * sizeof line], frame[4 * sizeof line];
	size_t		 n = 0, fl, sink = 0, i, iters = 200000;
	double		 t0, t_copy, t_feed, t_const;

	for (i = 0; i < 4; i++) {
		memcpy(src + n, line, sizeof line - 1);
		n += sizeof line - 1;
	}
	fl = n - 100;		/* the last line is split into the next frame */

	t0 = bench_now();
	for (i = 0; i < iters; i++) {
		memcpy(frame, src, fl);
		sink += (unsigned char)frame[i % fl];
	}
	t_copy = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < iters; i++) {
		memcpy(frame, src, fl);
		linebuf_feed(lb, frame, fl, bench_cb, &sink);
		memcpy(frame, src + fl, 100);
		linebuf_feed(lb, frame, 100, bench_cb, &sink);
	}
	t_feed = bench_now() - t0;

	t0 = bench_now();
	for (i = 0; i < iters; i++) {
		linebuf_feed_const(lb, src, fl, bench_cb, &sink);
		linebuf_feed_const(lb, src + fl, 100, bench_cb, &sink);
	}
	t_const = bench_now() - t0;

	tap_diag("bench: %zu-byte lines, 4 per frame, 1 in 4 split:",
	    sizeof line - 1);
	tap_diag("  linebuf_feed (zero copy): %.1f ns/line (+%.1f ns/line for "
	    "the test's frame copy)", (t_feed - t_copy) * 1e9 / (double)iters / 4,
	    t_copy * 1e9 / (double)iters / 4);
	tap_diag("  linebuf_feed_const (copies): %.1f ns/line",
	    t_const * 1e9 / (double)iters / 4);
	tap_ok(linebuf_stats(lb)->lines == (uint64_t)iters * 8 && sink != 0,
	    "bench delivered every line");
	linebuf_free(lb);
}

int
main(void)
{
	test_lines();
	test_zero_copy();
	test_cap();
	test_splits();
	test_buf();
	bench();
	return tap_done();
}
