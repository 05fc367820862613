/*
 * test-shard-pure.c: the pure pieces of the network core, with a clock we
 * move by hand: reconnect back-off with its jitter bounds, the pacing of a
 * burst of messages through an account's limiters, and ws:// URL parsing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "shard.h"
#include "tap.h"
#include "ws.h"

static void
test_backoff(void)
{
	static const uint32_t	base[] = { 1000, 2000, 4000, 8000, 16000,
				    32000, 60000, 60000, 60000 };
	uint32_t		lo, hi, d;
	unsigned		i;
	int			ok = 1;
	uint32_t		r;

	for (i = 0; i < sizeof base / sizeof base[0]; i++) {
		lo = base[i] - base[i] / 4;
		hi = base[i] + base[i] / 4;
		if (hi > 60000)
			hi = 60000;
		d = shard_backoff_ms(i, 1000, 60000, 0);
		tap_ok(d == lo, "attempt %u, lowest jitter is 3/4 of %u",
		    i, base[i]);
		d = shard_backoff_ms(i, 1000, 60000, UINT32_MAX - 7);
		tap_ok(d >= lo && d <= hi, "attempt %u, any jitter in "
		    "[%u, %u] (got %u)", i, lo, hi, d);
		for (r = 0; r < 5000; r += 7) {
			d = shard_backoff_ms(i, 1000, 60000, r * 2654435761u);
			ok &= d >= lo && d <= hi;
		}
	}
	tap_ok(ok, "thousands of random jitters stay within 3/4..5/4 of "
	    "the step and under the cap");
	tap_is_int(shard_backoff_ms(200, 1000, 60000, 12345) <= 60000, 1,
	    "a huge attempt count does not overflow past the cap");
	tap_is_int(shard_backoff_ms(0, 0, 0, 0), 1,
	    "zero figures still give a positive delay");
}

/* Most sends seen in any window of win ms ending at a send. */
static size_t
max_in_window(const uint64_t *t, size_t n, uint64_t win)
{
	size_t	i, j, best = 0;

	for (i = 0; i < n; i++) {
		for (j = i; j < n && t[j] < t[i] + win; j++)
			;
		if (j - i > best)
			best = j - i;
	}
	return best;
}

/* Send n messages as soon as the account allows, from t0. */
static void
burst(struct account *a, int elevated, uint64_t t0, uint64_t *t, size_t n)
{
	uint64_t	now = t0, w;
	size_t		i;

	for (i = 0; i < n; i++) {
		while ((w = account_send_wait_ms(a, elevated, now)) > 0)
			now += w;
		account_send_record(a, elevated, now);
		t[i] = now;
	}
}

static void
test_pacing(void)
{
	struct account	*a = account_new("someone", "secret");
	uint64_t	 t[50];

	burst(a, 0, 1000, t, 50);
	tap_ok(max_in_window(t, 50, 30000) <= 20, "50 messages: never "
	    "more than 20 in any 30 s (Twitch's limit), got %zu",
	    max_in_window(t, 50, 30000));
	tap_ok(max_in_window(t, 50, 32000) <= 19, "and never more than 19 "
	    "in any 32 s (the margin), got %zu",
	    max_in_window(t, 50, 32000));
	tap_is_int((long long)(t[18] - t[0]), 0, "the first 19 go at once");
	tap_ok(t[19] - t[0] >= 32000, "the 20th waits for the window");
	tap_ok(t[49] - t[0] <= 2 * 32000 + 1000, "all 50 are out after "
	    "two windows (%llu ms)", (unsigned long long)(t[49] - t[0]));
	account_free(a);

	a = account_new("moderator", "secret");
	burst(a, 1, 1000, t, 50);
	tap_is_int((long long)(t[49] - t[0]), 0, "in a channel where the "
	    "user is moderator, 50 go at once");
	burst(a, 1, 1000, t, 49);
	tap_is_int((long long)(t[48] - 1000), 0, "99 elevated messages in "
	    "all go at once (the margin under 100)");
	/* Ordinary channels share the 100 bucket: after 99 elevated sends
	 * even an ordinary message waits. */
	tap_ok(account_send_wait_ms(a, 0, 1000) > 0, "then an ordinary "
	    "message waits too (the bucket is shared)");
	tap_ok(account_send_wait_ms(a, 1, 1000) == 32000, "and the 100th "
	    "elevated one waits for the 32 s window");
	account_free(a);

	a = account_new(NULL, NULL);
	tap_ok(account_is_anonymous(a), "no login: anonymous");
	tap_ok(strncmp(account_login(a), "justinfan", 9) == 0 &&
	    strlen(account_login(a)) > 9, "anonymous nick is justinfanN "
	    "(%s)", account_login(a));
	account_free(a);
	a = account_new("MixedCase", "oauth:abc");
	tap_is_str(account_login(a), "mixedcase", "login is lowercased");
	tap_ok(!account_is_anonymous(a), "a login with a token is not "
	    "anonymous");
	account_free(a);
}

static void
test_url(void)
{
	static const struct {
		const char	*url;
		int		 ok;
		int		 tls;
		const char	*host;
		int		 port;
		const char	*path;
	} cases[] = {
		{ "wss://irc-ws.chat.twitch.tv:443", 1, 1,
		    "irc-ws.chat.twitch.tv", 443, "/" },
		{ "wss://irc-ws.chat.twitch.tv", 1, 1,
		    "irc-ws.chat.twitch.tv", 443, "/" },
		{ "ws://127.0.0.1:8080/chat?x=1", 1, 0, "127.0.0.1", 8080,
		    "/chat?x=1" },
		{ "WS://localhost", 1, 0, "localhost", 80, "/" },
		{ "ws://[::1]:81/", 1, 0, "::1", 81, "/" },
		{ "ws://localhost:8080?q", 1, 0, "localhost", 8080, "/?q" },
		{ "http://localhost", 0, 0, NULL, 0, NULL },
		{ "ws://", 0, 0, NULL, 0, NULL },
		{ "ws://host:0", 0, 0, NULL, 0, NULL },
		{ "ws://host:65536", 0, 0, NULL, 0, NULL },
		{ "ws://host:12x", 0, 0, NULL, 0, NULL },
		{ "ws://user@host", 0, 0, NULL, 0, NULL },
		{ "ws://[::1", 0, 0, NULL, 0, NULL },
		{ "ws://host:", 0, 0, NULL, 0, NULL },
	};
	struct ws_url	u;
	char		err[256];
	size_t		i;
	int		r;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		r = ws_url_parse(cases[i].url, &u, err, sizeof err);
		if (!cases[i].ok) {
			tap_ok(r == -1 && err[0] != '\0', "%s refused (%s)",
			    cases[i].url, err);
			continue;
		}
		tap_ok(r == 0 && u.tls == cases[i].tls &&
		    strcmp(u.host, cases[i].host) == 0 &&
		    u.port == cases[i].port &&
		    strcmp(u.path, cases[i].path) == 0,
		    "%s -> tls %d host %s port %d path %s", cases[i].url,
		    u.tls, u.host, u.port, u.path);
	}
}

int
main(void)
{
	test_backoff();
	test_pacing();
	test_url();
	return tap_done();
}
