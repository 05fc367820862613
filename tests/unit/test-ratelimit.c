/*
 * test-ratelimit.c: sliding windows checked at their exact boundaries, and
 * against a brute-force model over long random runs. The clock is a
 * number we pass in: nothing sleeps.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "tap.h"

/* 20 per 30 s, the first send at t0. */
static void
test_boundaries(void)
{
	struct ratelimit	rl;
	uint64_t		t0 = 1000, t;
	int			i, ok = 1;

	ratelimit_init(&rl, 20, 30000);
	for (i = 0; i < 20; i++)
		ok &= ratelimit_try(&rl, t0 + (uint64_t)i * 100);
	tap_ok(ok, "20 sends in 2 s are allowed");
	t = t0 + 1900;
	tap_is_int(ratelimit_used(&rl, t), 20, "20 used");
	tap_is_int(ratelimit_try(&rl, t), 0, "the 21st is refused");
	tap_is_int((long long)ratelimit_wait_ms(&rl, t), 28100,
	    "wait until t0 + 30 s");
	tap_is_int(ratelimit_try(&rl, t0 + 29999), 0, "refused at t0+29999");
	tap_is_int((long long)ratelimit_wait_ms(&rl, t0 + 29999), 1,
	    "1 ms to go");
	tap_is_int((long long)ratelimit_wait_ms(&rl, t0 + 30000), 0,
	    "allowed at exactly t0 + window");
	tap_is_int(ratelimit_used(&rl, t0 + 30000), 19,
	    "the first send has left the window");
	tap_is_int(ratelimit_try(&rl, t0 + 30000), 1, "21st sent at t0+30000");
	tap_is_int(ratelimit_try(&rl, t0 + 30000), 0, "22nd refused");
	tap_is_int((long long)ratelimit_wait_ms(&rl, t0 + 30000), 100,
	    "until the second send (t0+100) leaves");
	ratelimit_free(&rl);

	/* A burst at one instant. */
	ratelimit_init(&rl, 20, 30000);
	for (i = 0, ok = 1; i < 20; i++)
		ok &= ratelimit_try(&rl, 5000);
	tap_ok(ok && !ratelimit_try(&rl, 5000), "burst of 20, 21st refused");
	tap_ok(!ratelimit_try(&rl, 34999) && ratelimit_try(&rl, 35000),
	    "refused at 34999, allowed at 35000");
	ratelimit_free(&rl);

	/* Sends refused do not count; sends recorded anyway do. */
	ratelimit_init(&rl, 2, 1000);
	ratelimit_try(&rl, 0);
	ratelimit_try(&rl, 0);
	for (i = 0; i < 10; i++)
		ratelimit_try(&rl, 10);
	tap_is_int(ratelimit_used(&rl, 10), 2, "refused tries are not sends");
	ratelimit_record(&rl, 500);	/* over the limit, sent anyway */
	tap_is_int((long long)ratelimit_wait_ms(&rl, 500), 500,
	    "a recorded send counts");
	tap_ok(ratelimit_try(&rl, 1000) && !ratelimit_try(&rl, 1000),
	    "at 1000 the two at 0 left: one more, then full");
	tap_is_int((long long)ratelimit_wait_ms(&rl, 1000), 500,
	    "until the recorded one (500) leaves");
	ratelimit_free(&rl);
}

static void
test_set(void)
{
	struct ratelimit	rl;
	int			i, ok = 1;

	ratelimit_init(&rl, 20, 30000);
	for (i = 0; i < 20; i++)
		ok &= ratelimit_try(&rl, 100);
	tap_ok(ok && !ratelimit_try(&rl, 200), "20/30 s full");
	/* USERSTATE: now a moderator. The 20 already sent still count. */
	ratelimit_set(&rl, 100, 30000);
	for (i = 0, ok = 1; i < 80; i++)
		ok &= ratelimit_try(&rl, 200 + (uint64_t)i);
	tap_ok(ok, "as moderator, 80 more");
	tap_is_int(ratelimit_try(&rl, 300), 0, "the 101st is refused");
	tap_is_int((long long)ratelimit_wait_ms(&rl, 300), 29800,
	    "until the first of the 100 leaves (100 + 30000)");
	/* Demoted again: the 20 most recent sends decide. */
	ratelimit_set(&rl, 20, 30000);
	tap_is_int((long long)ratelimit_wait_ms(&rl, 300), 260 + 30000 - 300,
	    "back to 20: the 20th most recent (at 260) must leave");
	tap_is_int((long long)ratelimit_used(&rl, 300), 100,
	    "history kept across both changes");
	ratelimit_free(&rl);

	/* Growing the ring keeps the times in order. */
	ratelimit_init(&rl, 2, 1000);
	ratelimit_try(&rl, 0);
	ratelimit_try(&rl, 10);
	ratelimit_set(&rl, 5, 1000);
	tap_is_int(ratelimit_used(&rl, 10), 2, "grown ring kept 2 sends");
	for (i = 0, ok = 1; i < 3; i++)
		ok &= ratelimit_try(&rl, 20 + (uint64_t)i * 10);
	tap_ok(ok && !ratelimit_try(&rl, 40), "5 in the window, 6th refused");
	tap_is_int((long long)ratelimit_wait_ms(&rl, 40), 960,
	    "until the send at 0 leaves");
	ratelimit_set(&rl, 5, 100);
	tap_is_int((long long)ratelimit_wait_ms(&rl, 40), 60,
	    "a shorter window applies at once");
	ratelimit_free(&rl);
}

static void
test_edges(void)
{
	struct ratelimit	rl;

	ratelimit_init(&rl, 0, 0);
	tap_ok(rl.count == 1 && rl.window_ms == 1, "0 count and window are 1");
	tap_ok(ratelimit_try(&rl, 7) && !ratelimit_try(&rl, 7) &&
	    ratelimit_try(&rl, 8), "1 per ms");
	ratelimit_free(&rl);
	ratelimit_free(&rl);
	ratelimit_free(NULL);
	tap_ok(1, "free twice and free(NULL) are harmless");

	ratelimit_init(&rl, 2, 1000);
	ratelimit_record(&rl, 5000);
	ratelimit_record(&rl, 4000);	/* the clock stepped back */
	tap_is_int((long long)ratelimit_wait_ms(&rl, 5000), 1000,
	    "a step back is taken as the last time");
	ratelimit_free(&rl);

	ratelimit_init(&rl, 1, UINT64_MAX);
	ratelimit_record(&rl, 10);
	tap_ok(ratelimit_wait_ms(&rl, 20) == UINT64_MAX,
	    "huge window never overflows");
	ratelimit_free(&rl);

	ratelimit_init(&rl, RATELIMIT_MAX_COUNT + 5, 10);
	tap_is_int((long long)rl.count, RATELIMIT_MAX_COUNT,
	    "count clamped to RATELIMIT_MAX_COUNT");
	ratelimit_free(&rl);

	tap_ok(RATELIMIT_MSG_COUNT < 20 && RATELIMIT_MSG_WINDOW_MS > 30000 &&
	    RATELIMIT_MOD_COUNT < 100 && RATELIMIT_JOIN_COUNT < 20 &&
	    RATELIMIT_JOIN_WINDOW_MS > 10000,
	    "recommended defaults stay inside Twitch's limits");
}

/* The rule said plainly: allowed iff fewer than count recorded times t
 * have t + window > now. */
static int
model_allowed(const uint64_t *times, size_t n, size_t count, uint64_t window,
    uint64_t now)
{
	size_t	i, in = 0;

	for (i = 0; i < n; i++)
		if (times[i] + window > now)
			in++;
	return in < count;
}

static void
test_model(void)
{
	struct ratelimit	 rl;
	uint64_t		*times, now = 0, w, window = 3000;
	uint32_t		 seed = 12345;
	size_t			 n = 0, count = 7, i, bad = 0, sent = 0;
	const size_t		 steps = 200000;

	times = calloc(steps, sizeof *times);
	ratelimit_init(&rl, count, window);
	for (i = 0; i < steps; i++) {
		int	allowed, got;

		seed = seed * 1103515245u + 12345u;
		now += (seed >> 16) % 700;
		if ((seed >> 8) % 5000 == 0) {
			/* Switch limits now and then, as USERSTATE does. */
			count = 1 + (seed >> 4) % 40;
			window = 100 + (seed >> 12) % 5000;
			ratelimit_set(&rl, count, window);
		}
		allowed = model_allowed(times, n, count, window, now);
		w = ratelimit_wait_ms(&rl, now);
		got = ratelimit_try(&rl, now);
		if (got != allowed || (w == 0) != allowed ||
		    (!allowed && !model_allowed(times, n, count, window,
		    now + w)) || (!allowed && w > 1 &&
		    model_allowed(times, n, count, window, now + w - 1)))
			bad++;
		if (got) {
			times[n++] = now;
			sent++;
		}
	}
	tap_is_int((long long)bad, 0,
	    "200,000 random steps agree with the brute-force model");
	tap_diag("%zu of them sent", sent);
	ratelimit_free(&rl);
	free(times);
}

int
main(void)
{
	test_boundaries();
	test_set();
	test_edges();
	test_model();
	return tap_done();
}
