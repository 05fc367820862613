/*
 * fake-twitch: a Twitch stand-in on 127.0.0.1 for tests, the offline demo
 * and the benchmarks. Chat over ws/wss and plain IRC, Helix and OAuth over
 * http/https, a control port, simulated chat and faults on demand.
 *
 *   fake-twitch --seed FILE.json [--tls CERT KEY] [--port-file PATH]
 *       [--max-lifetime S] [--chat-rate N] [--fault KIND@TIME[/DUR]]...
 *       [--limit-msgs N/S] [--limit-msgs-priv N] [--limit-joins N/S]
 *       [--max-channels N] [--max-len N] [--dup-window S]
 *       [--ping-interval S] [--pong-timeout S] [--reconnect-grace S]
 *       [--open-channels] [--sim-seed N]
 *       [--helix-bucket N] [--device-auto-approve N] [--device-interval S]
 *       [--device-expires S] [--token-lifetime S]
 *
 * The last five shape the Helix/OAuth half (helix.c, oauth.c): Helix
 * rate-limit bucket size (800), approve device codes by themselves after
 * N polls (off), the device flow's interval (5) and lifetime (1800), the
 * lifetime of issued access tokens (14400).
 *
 * The port file gets chat_ws, chat_wss, irc, http, https and admin lines
 * (name=port), written under a temporary name and renamed once every
 * listener is ready.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "chat.h"
#include "chatworld.h"
#include "control.h"
#include "fault.h"
#include "net.h"
#include "sim.h"
#ifdef FAKE_HAVE_HTTP
#include "route.h"
#include "seed.h"
#endif

#define MAIN_MAX_FAULTS	32

struct main_opts {
	const char		*seed;
	const char		*cert, *key;
	const char		*port_file;
	double			 lifetime_s;
	double			 chat_rate;
	uint64_t		 sim_seed;
	const char		*faults[MAIN_MAX_FAULTS];
	int			 nfaults;
	struct chat_limits	 lim;
	unsigned		 helix_bucket;
	unsigned		 device_auto, device_interval, device_expires;
	unsigned		 token_lifetime;
};

static struct {
	uv_loop_t		 loop;
	uv_signal_t		 sigterm, sigint;
	uv_timer_t		 lifetime;
	struct fake_world	*world;
	int			 stopping;
} m;

static void
main_usage(void)
{
	fputs("usage: fake-twitch --seed FILE.json [--tls CERT KEY] "
	    "[--port-file PATH]\n"
	    "    [--max-lifetime S] [--chat-rate N] [--sim-seed N] "
	    "[--fault KIND@TIME[/DUR]]...\n"
	    "    [--limit-msgs N/S] [--limit-msgs-priv N] "
	    "[--limit-joins N/S] [--max-channels N]\n"
	    "    [--max-len N] [--dup-window S] [--ping-interval S] "
	    "[--pong-timeout S]\n"
	    "    [--reconnect-grace S] [--open-channels]\n"
	    "    [--helix-bucket N] [--device-auto-approve N] "
	    "[--device-interval S]\n"
	    "    [--device-expires S] [--token-lifetime S]\n"
	    "Helix under /helix, OAuth under /oauth2 on the http/https ports; "
	    "see\nhelix.c, oauth.c and seed.h for endpoints and seed keys, "
	    "control.h and\nroute.c for the admin commands.\n", stderr);
#ifdef FAKE_HAVE_HTTP
	route_usage(stderr);
#endif
	exit(2);
}

/* A non-negative decimal number of seconds, as milliseconds. */
static int
main_seconds(const char *s, unsigned *ms)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || d < 0 || d > 86400)
		return -1;
	*ms = (unsigned)(d * 1000 + 0.5);
	return 0;
}

static int
main_uint(const char *s, unsigned long max, unsigned *out)
{
	char		*end;
	unsigned long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "N/S": N per S seconds. */
static int
main_rate(const char *s, unsigned *n, unsigned *window_ms)
{
	char	buf[64], *slash;

	snprintf(buf, sizeof buf, "%s", s);
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (main_uint(buf, 1000000, n) != 0 || *n == 0 ||
	    main_seconds(slash + 1, window_ms) != 0 || *window_ms == 0)
		return -1;
	return 0;
}

static const char *
main_arg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "fake-twitch: %s needs a value\n", argv[*i]);
		main_usage();
	}
	return argv[++*i];
}

static void
main_bad(const char *opt, const char *val)
{
	fprintf(stderr, "fake-twitch: bad value for %s: %s\n", opt, val);
	exit(2);
}

static void
main_parse(int argc, char **argv, struct main_opts *o)
{
	int		 i;
	const char	*a, *v;
	unsigned	 u;

	memset(o, 0, sizeof *o);
	o->lifetime_s = 600;
	o->sim_seed = 0x5eed;
	o->lim.msgs = 20;
	o->lim.msgs_priv = 100;
	o->lim.msgs_window_ms = 30000;
	o->lim.joins = 20;
	o->lim.joins_window_ms = 10000;
	o->lim.max_channels = 100;
	o->lim.max_len = 500;
	o->lim.dup_window_ms = 30000;
	o->lim.ping_interval_ms = 60000;
	o->lim.pong_timeout_ms = 10000;
	/* Twitch gives clients a moment after RECONNECT (staff spoke of
	 * ~30 s); the fake's default of 2 s keeps tests short. */
	o->lim.reconnect_grace_ms = 2000;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--seed") == 0)
			o->seed = main_arg(argc, argv, &i);
		else if (strcmp(a, "--tls") == 0) {
			o->cert = main_arg(argc, argv, &i);
			o->key = main_arg(argc, argv, &i);
		} else if (strcmp(a, "--port-file") == 0)
			o->port_file = main_arg(argc, argv, &i);
		else if (strcmp(a, "--max-lifetime") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_seconds(v, &u) != 0 || u == 0)
				main_bad(a, v);
			o->lifetime_s = u / 1000.0;
		} else if (strcmp(a, "--chat-rate") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 10000000, &u) != 0)
				main_bad(a, v);
			o->chat_rate = u;
		} else if (strcmp(a, "--sim-seed") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 0xffffffffUL, &u) != 0)
				main_bad(a, v);
			o->sim_seed = u == 0 ? 1 : u;
		} else if (strcmp(a, "--fault") == 0) {
			v = main_arg(argc, argv, &i);
			if (o->nfaults == MAIN_MAX_FAULTS)
				main_bad(a, "too many faults");
			if (fault_check(v) != 0)
				main_bad(a, v);
			o->faults[o->nfaults++] = v;
		} else if (strcmp(a, "--limit-msgs") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_rate(v, &o->lim.msgs,
			    &o->lim.msgs_window_ms) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--limit-msgs-priv") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 1000000, &o->lim.msgs_priv) != 0 ||
			    o->lim.msgs_priv == 0)
				main_bad(a, v);
		} else if (strcmp(a, "--limit-joins") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_rate(v, &o->lim.joins,
			    &o->lim.joins_window_ms) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--max-channels") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 1000000, &o->lim.max_channels) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--max-len") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 1000000, &o->lim.max_len) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--dup-window") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_seconds(v, &o->lim.dup_window_ms) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--ping-interval") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_seconds(v, &o->lim.ping_interval_ms) != 0 ||
			    o->lim.ping_interval_ms == 0)
				main_bad(a, v);
		} else if (strcmp(a, "--pong-timeout") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_seconds(v, &o->lim.pong_timeout_ms) != 0 ||
			    o->lim.pong_timeout_ms == 0)
				main_bad(a, v);
		} else if (strcmp(a, "--reconnect-grace") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_seconds(v, &o->lim.reconnect_grace_ms) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--open-channels") == 0)
			o->lim.open_channels = 1;
		else if (strcmp(a, "--helix-bucket") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 1000000, &o->helix_bucket) != 0 ||
			    o->helix_bucket == 0)
				main_bad(a, v);
		} else if (strcmp(a, "--device-auto-approve") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 1000000, &o->device_auto) != 0)
				main_bad(a, v);
		} else if (strcmp(a, "--device-interval") == 0 ||
		    strcmp(a, "--device-expires") == 0 ||
		    strcmp(a, "--token-lifetime") == 0) {
			v = main_arg(argc, argv, &i);
			if (main_uint(v, 10000000, &u) != 0 || u == 0)
				main_bad(a, v);
			if (a[2] == 't')
				o->token_lifetime = u;
			else if (a[9] == 'i')
				o->device_interval = u;
			else
				o->device_expires = u;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			main_usage();
		else {
			fprintf(stderr, "fake-twitch: unknown option %s\n", a);
			main_usage();
		}
	}
	if (o->seed == NULL) {
		fputs("fake-twitch: --seed FILE.json is required\n", stderr);
		main_usage();
	}
	if (o->lim.msgs_priv < o->lim.msgs)
		o->lim.msgs_priv = o->lim.msgs;
}

/* Write the ports under a temporary name, then rename: a reader never
 * sees half a file. */
static int
main_port_file(const char *path)
{
	char	 tmp[4096], ports[512];
	FILE	*f;

	net_ports(ports, sizeof ports);
	if (path == NULL) {
		fputs(ports, stdout);
		fflush(stdout);
		return 0;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "fake-twitch: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fputs(ports, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "fake-twitch: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
main_shutdown(const char *why)
{
	if (m.stopping)
		return;
	m.stopping = 1;
	fprintf(stderr, "fake-twitch: shutting down (%s)\n", why);
	uv_signal_stop(&m.sigterm);
	uv_signal_stop(&m.sigint);
	uv_close((uv_handle_t *)&m.sigterm, NULL);
	uv_close((uv_handle_t *)&m.sigint, NULL);
	uv_timer_stop(&m.lifetime);
	uv_close((uv_handle_t *)&m.lifetime, NULL);
	fault_stop();
	sim_stop();
	control_stop();
	net_stop();
	chat_stop();
}

static void
main_signal(uv_signal_t *s, int signum)
{
	(void)s;
	main_shutdown(signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

static void
main_lifetime(uv_timer_t *t)
{
	(void)t;
	main_shutdown("--max-lifetime reached");
}

int
main(int argc, char **argv)
{
	struct main_opts	 o;
	struct net_opts		 no;
	char			 err[512];
	int			 i, rc;

	signal(SIGPIPE, SIG_IGN);
	main_parse(argc, argv, &o);
	if (chatworld_load(o.seed, err, sizeof err) != 0) {
		fprintf(stderr, "fake-twitch: %s\n", err);
		return 1;
	}
#ifdef FAKE_HAVE_HTTP
	/* The Helix/OAuth half's world (seed.h), from the same file. */
	if ((m.world = seed_load(o.seed, err, sizeof err)) == NULL) {
		fprintf(stderr, "fake-twitch: %s\n", err);
		return 1;
	}
	{
		struct seed_opts	so;

		memset(&so, 0, sizeof so);
		so.bucket = o.helix_bucket;
		so.device_auto = o.device_auto;
		so.device_interval_s = o.device_interval;
		so.device_expires_s = o.device_expires;
		so.token_lifetime_s = o.token_lifetime;
		seed_configure(m.world, &so);
	}
#endif
	uv_loop_init(&m.loop);
	chat_init(&m.loop, m.world, &o.lim);
	memset(&no, 0, sizeof no);
	no.cert = o.cert;
	no.key = o.key;
	no.admin = 1;
	if (net_start(&m.loop, m.world, &no, err, sizeof err) != 0) {
		fprintf(stderr, "fake-twitch: %s\n", err);
		return 1;
	}
	sim_start(&m.loop, o.chat_rate, o.sim_seed);
	fault_start(&m.loop);
	for (i = 0; i < o.nfaults; i++)
		fault_schedule(o.faults[i]);

	uv_signal_init(&m.loop, &m.sigterm);
	uv_signal_start(&m.sigterm, main_signal, SIGTERM);
	uv_signal_init(&m.loop, &m.sigint);
	uv_signal_start(&m.sigint, main_signal, SIGINT);
	uv_timer_init(&m.loop, &m.lifetime);
	uv_timer_start(&m.lifetime, main_lifetime,
	    (uint64_t)(o.lifetime_s * 1000), 0);

	if (main_port_file(o.port_file) != 0)
		return 1;
	fprintf(stderr, "fake-twitch: ready (pid %ld)\n", (long)getpid());
	uv_run(&m.loop, UV_RUN_DEFAULT);
	/* lws may still hold handles being closed. */
	for (i = 0; i < 100 && uv_run(&m.loop, UV_RUN_NOWAIT) != 0; i++)
		;
	rc = uv_loop_close(&m.loop);
#ifdef FAKE_HAVE_HTTP
	seed_free(m.world);
#endif
	chatworld_free();
	if (rc != 0)
		fprintf(stderr, "fake-twitch: loop not empty at exit\n");
	fprintf(stderr, "fake-twitch: exit\n");
	return 0;
}
