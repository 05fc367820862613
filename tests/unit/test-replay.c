/*
 * test-replay.c: the replay clock against a fake clock (speed factors,
 * --speed 0, gaps capped, time going backwards, no drift from rounding);
 * the recording reader over TSV and JSON Lines with bad lines among good
 * ones; the libuv driver delivering everything in order, in batches, and
 * stopping when told.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "tap.h"

/* Due times of recorded times ev[0..n-1], all asked at clock now. */
static const char *
schedule(double speed, int64_t max_gap, const int64_t *ev, size_t n,
    int64_t now)
{
	static char		out[256];
	struct replay_clock	c;
	size_t			i, k = 0;

	replay_clock_init(&c, speed, max_gap);
	out[0] = '\0';
	for (i = 0; i < n && k < sizeof out; i++)
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%lld",
		    i ? " " : "", (long long)replay_clock_due(&c, ev[i], now));
	return out;
}

static void
test_clock(void)
{
	static const int64_t	ev[] = { 1000, 1500, 4000, 4001 };
	static const int64_t	back[] = { 1000, 900, 1200 };
	static const int64_t	gap[] = { 0, 5000, 5500, 3600000 };
	static const int64_t	ms[] = { 0, 1, 2, 3, 4, 5 };
	struct replay_clock	c;

	tap_is_str(schedule(1, 0, ev, 4, 100), "100 600 3100 3101",
	    "clock: speed 1 keeps the recorded gaps");
	tap_is_str(schedule(10, 0, ev, 4, 100), "100 150 400 400",
	    "clock: speed 10 divides them");
	tap_is_str(schedule(0.5, 0, ev, 4, 100), "100 1100 6100 6102",
	    "clock: speed 0.5 doubles them");
	tap_is_str(schedule(0, 0, ev, 4, 100), "100 100 100 100",
	    "clock: speed 0 never waits");
	tap_is_str(schedule(-3, 0, ev, 4, 100), "100 100 100 100",
	    "clock: a negative speed counts as 0");
	tap_is_str(schedule(1, 0, back, 3, 7), "7 7 207",
	    "clock: an earlier time is no gap; the next counts from the "
	    "latest");
	tap_is_str(schedule(1, 1000, gap, 4, 0), "0 1000 1500 2500",
	    "clock: --max-gap caps each pause");
	tap_is_str(schedule(3, 0, ms, 6, 0), "0 0 0 1 1 1",
	    "clock: fractions add up, no rounding drift");

	/* The clock moves on between calls: due times do not depend on
	 * when the caller asks, only on the first event. */
	replay_clock_init(&c, 2, 0);
	tap_is_int(replay_clock_due(&c, 10000, 500), 500, "clock: first at "
	    "the caller's now");
	tap_is_int(replay_clock_due(&c, 12000, 9999), 1500,
	    "clock: later ones from the schedule, not from now");
}

/* Read everything: "channel login name kind text|..." or "E" for errors. */
static const char *
read_all(const char *in, int *jsonl, int *failed)
{
	static char		 out[2048];
	struct replay_reader	*r;
	struct replay_event	 ev;
	FILE			*fp;
	char			 err[256];
	size_t			 k = 0, i;
	int			 rc;

	fp = fmemopen((void *)in, strlen(in), "r");
	r = replay_reader_new(fp, "rec");
	out[0] = '\0';
	while ((rc = replay_reader_next(r, &ev, err, sizeof err)) != 0 &&
	    k < sizeof out) {
		if (rc < 0) {
			k += (size_t)snprintf(out + k, sizeof out - k, "%sE:%s",
			    k ? "|" : "", err);
			if (replay_reader_failed(r))
				break;
			continue;
		}
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%lld %s %s %s "
		    "%s %s", k ? "|" : "", (long long)ev.ms, ev.channel,
		    ev.login, ev.display_name, ev.kind, ev.text);
		for (i = 0; i < ev.ntags && k < sizeof out; i++)
			k += (size_t)snprintf(out + k, sizeof out - k, " %s=%s",
			    ev.tag_key[i], ev.tag_value[i]);
	}
	*jsonl = replay_reader_jsonl(r);
	*failed = replay_reader_failed(r);
	replay_reader_free(r);
	fclose(fp);
	return out;
}

static void
test_reader(void)
{
	int	jsonl, failed;

	tap_is_str(read_all("time\tchannel\tlogin\tdisplay_name\tkind\ttext\n"
	    "1970-01-01T00:00:01.500Z\tc\tbob\tBob\tprivmsg\thi\\tthere\n"
	    "yesterday\tc\tbob\tBob\tprivmsg\tbad time\n"
	    "1970-01-01T00:00:02.000Z\tc\tann\tAnn\taction\twaves\n",
	    &jsonl, &failed),
	    "1500 c bob Bob privmsg hi\tthere|E:rec: line 3: the time is not "
	    "ISO-8601|2000 c ann Ann action waves", "tsv: events, escapes "
	    "undone, a bad line named and skipped");
	tap_ok(!jsonl && !failed, "tsv: told as TSV, not failed");

	tap_is_str(read_all("kind\ttext\ttime\tlogin\tchannel\tdisplay_name\t"
	    "extra\nnotice\tmsg\t1970-01-01T00:00:03Z\t\tc\t\tx\n", &jsonl,
	    &failed), "3000 c   notice msg", "tsv: fields found by name");

	tap_is_str(read_all("a\tb\n1\t2\n", &jsonl, &failed),
	    "E:rec: no 'time' field in the header (a recording of stitch "
	    "tail, with its header, is needed)", "tsv: no usable header");
	tap_ok(failed, "tsv: no usable header fails the reader");
	read_all("", &jsonl, &failed);
	tap_ok(failed, "an empty recording fails the reader");

	tap_is_str(read_all("{\"time\":\"1970-01-01T00:00:01Z\",\"channel\":"
	    "\"c\",\"kind\":\"privmsg\",\"login\":\"bob\",\"display_name\":"
	    "\"Bob\",\"text\":\"a\\tb\",\"tags\":{\"id\":\"x1\",\"n\":5,"
	    "\"color\":\"#fff\"}}\n"
	    "{not json\n\n"
	    "{\"channel\":\"c\"}\r\n"
	    "{\"time\":\"1970-01-01T00:00:04Z\",\"text\":\"last\"}",
	    &jsonl, &failed),
	    "1000 c bob Bob privmsg a\tb id=x1 color=#fff|E:rec: line 2: not a "
	    "JSON object|E:rec: line 4: no ISO-8601 \"time\"|4000     last",
	    "jsonl: events and string tags; bad lines named and skipped");
	tap_ok(jsonl && !failed, "jsonl: told as JSON Lines");
}

struct sink {
	char		 log[8192];
	size_t		 len;
	int		 done;
	int		 error;
	int		 bad;
	int		 stop_after;	/* 0: never */
	unsigned	 n;
	struct replay	*rp;
};

static void
sink_event(void *arg, const struct replay_event *ev)
{
	struct sink	*s = arg;

	s->n++;
	if (s->len < sizeof s->log - 64)
		s->len += (size_t)snprintf(s->log + s->len, sizeof s->log -
		    s->len, "%s%s", s->len ? "," : "", ev->text);
	if (s->stop_after != 0 && s->n == (unsigned)s->stop_after)
		replay_stop(s->rp);
}

static void
sink_bad(void *arg, const char *why)
{
	((struct sink *)arg)->bad++;
}

static void
sink_done(void *arg, int error, const char *why)
{
	struct sink	*s = arg;

	s->done++;
	s->error = error;
}

/* Play in on a real loop at speed 0. */
static void
play(const char *in, struct sink *s)
{
	static const struct replay_events	 ev = { sink_event, sink_bad,
						    sink_done };
	struct replay_reader			*r;
	uv_loop_t				 loop;
	FILE					*fp;

	uv_loop_init(&loop);
	fp = fmemopen((void *)in, strlen(in), "r");
	r = replay_reader_new(fp, "rec");
	s->rp = replay_new(&loop, r, 0, 0, &ev, s);
	uv_run(&loop, UV_RUN_DEFAULT);
	replay_free(s->rp);
	uv_run(&loop, UV_RUN_DEFAULT);
	tap_ok(uv_loop_close(&loop) == 0, "driver: every handle closed");
	replay_reader_free(r);
	fclose(fp);
}

static void
test_driver(void)
{
	static const char	 hdr[] =
	    "time\tchannel\tlogin\tdisplay_name\tkind\ttext\n";
	struct sink		*s;
	char			*big;
	size_t			 i, k;

	s = calloc(1, sizeof *s);
	play("time\tchannel\tlogin\tdisplay_name\tkind\ttext\n"
	    "2026-11-24T08:00:00Z\tc\ta\tA\tprivmsg\tone\n"
	    "2026-11-24T09:00:00Z\tc\ta\tA\tprivmsg\ttwo\n"
	    "junk\n"
	    "2026-11-24T07:00:00Z\tc\ta\tA\tprivmsg\tthree\n", s);
	tap_is_str(s->log, "one,two,three", "driver: in recorded order");
	tap_ok(s->done == 1 && s->error == 0 && s->bad == 1,
	    "driver: one bad line, then done without error");

	/* 5000 events: more than one batch, all delivered in order. */
	big = malloc(5000 * 64 + sizeof hdr);
	memcpy(big, hdr, sizeof hdr);
	k = sizeof hdr - 1;
	for (i = 0; i < 5000; i++)
		k += (size_t)snprintf(big + k, 64, "2026-11-24T08:00:00Z\tc\t"
		    "a\tA\tprivmsg\t%zu\n", i);
	memset(s, 0, sizeof *s);
	play(big, s);
	tap_is_int(s->n, 5000, "driver: 5000 events over several batches");
	tap_ok(strncmp(s->log, "0,1,2,3,4,5,", 12) == 0, "driver: in order");

	memset(s, 0, sizeof *s);
	s->stop_after = 3;
	play(big, s);
	tap_is_int(s->n, 3, "driver: replay_stop() from a callback stops it");
	tap_is_int(s->done, 0, "driver: no on_done after replay_stop()");

	memset(s, 0, sizeof *s);
	play("a\tb\n", s);
	tap_ok(s->done == 1 && s->error == 1 && s->n == 0,
	    "driver: an unusable recording ends with an error");
	free(big);
	free(s);
	replay_free(NULL);
}

int
main(void)
{
	test_clock();
	test_reader();
	test_driver();
	return tap_done();
}
