/*
 * net-driver: drives one shard (shard.h) on a libuv loop against a chat
 * server and prints what happens, one event a line, for the net-*.sh
 * tests:
 *
 *	state SHARD STATE [WHY]
 *	join CHANNEL ok|fail [WHY]
 *	send ID ok|fail [WHY]
 *	queued ID | refused WHY	(answers to a "send" command)
 *	ev KIND CHANNEL LOGIN ID TEXT
 *	bad WHY
 *	stats lines_in=N bad=N out=N reconnects=N rejoins=N ok=N failed=N
 *	cpu events=N user_us=N sys_us=N	(at "cpu" and at the end)
 *
 * Commands come on stdin, one a line: "send CHANNEL TEXT", "join CHANNEL",
 * "part CHANNEL", "stats", "cpu", "stop", "quit". stdin at EOF is fine: the
 * driver runs until --duration or --count or "quit".
 *
 * Usage: net-driver --url URL [--ca-file F] [--nick LOGIN] (the token is
 * read from STITCH_TOKEN, never argv) [--ping-idle MS] [--pong-timeout MS]
 * [--connect-timeout MS] [--send-timeout MS] [--backoff-min MS]
 * [--backoff-max MS] [--duration MS] [--count N] [--quiet]
 * [--join-limit N/MS] [--channel-limit N] [--rx-batch MS] CHANNEL...
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "shard.h"
#include "twitch.h"
#include "ws.h"

static struct {
	uv_loop_t	*loop;
	struct ws_ctx	*ws;
	struct shard	*shard;
	struct account	*acct;
	uv_pipe_t	 in;
	int		 in_open;
	uv_timer_t	 stop;
	int		 quiet;
	uint64_t	 count;		/* stop after this many chat events */
	uint64_t	 events;
	char		 inbuf[4096];
	size_t		 inlen;
	int		 done;
} d;

static void	d_stop_fired(uv_timer_t *);

static unsigned long
d_num(const char *s, const char *what)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s) {
		fprintf(stderr, "net-driver: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

/* Print a span with tabs and line breaks made visible. */
static void
d_span(const struct irc_span *sp)
{
	size_t	i;

	if (sp->len == 0) {
		putchar('-');
		return;
	}
	for (i = 0; i < sp->len; i++) {
		unsigned char	c = (unsigned char)sp->p[i];

		putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
}

static void
d_on_event(void *arg, struct shard *s, const struct twitch_event *ev)
{
	(void)arg;
	(void)s;
	if (ev->kind == TWITCH_PRIVMSG || ev->kind == TWITCH_USERNOTICE)
		d.events++;
	if (!d.quiet) {
		printf("ev %s ", twitch_kind_name(ev->kind));
		d_span(&ev->channel);
		putchar(' ');
		d_span(&ev->login);
		putchar(' ');
		d_span(&ev->id);
		putchar(' ');
		if (ev->kind == TWITCH_NOTICE && ev->msg_id.len > 0) {
			d_span(&ev->msg_id);
			putchar(':');
		}
		d_span(&ev->text);
		putchar('\n');
	}
	if (d.count != 0 && d.events >= d.count && !d.done) {
		d.done = 1;
		uv_timer_start(&d.stop, d_stop_fired, 0, 0);
	}
}

static void
d_on_state(void *arg, struct shard *s, enum shard_state st, const char *why)
{
	(void)arg;
	printf("state %s %s%s%s\n", shard_id(s), shard_state_name(st),
	    why != NULL ? " " : "", why != NULL ? why : "");
}

static void
d_on_send(void *arg, struct shard *s, uint64_t id, int ok, const char *why)
{
	(void)arg;
	(void)s;
	printf("send %llu %s%s%s\n", (unsigned long long)id,
	    ok ? "ok" : "fail", why != NULL ? " " : "",
	    why != NULL ? why : "");
}

static void
d_on_join(void *arg, struct shard *s, const char *channel, int ok,
    const char *why)
{
	(void)arg;
	(void)s;
	printf("join %s %s%s%s\n", channel, ok ? "ok" : "fail",
	    why != NULL ? " " : "", why != NULL ? why : "");
}

static void
d_on_bad_line(void *arg, struct shard *s, const char *why)
{
	(void)arg;
	(void)s;
	printf("bad %s\n", why);
}

static void
d_stats(void)
{
	struct shard_stats	st;

	shard_get_stats(d.shard, &st);
	printf("stats lines_in=%llu bad=%llu out=%llu reconnects=%llu "
	    "rejoins=%llu ok=%llu failed=%llu\n",
	    (unsigned long long)st.lines_in, (unsigned long long)st.bad_lines,
	    (unsigned long long)st.lines_out,
	    (unsigned long long)st.reconnects,
	    (unsigned long long)st.rejoins, (unsigned long long)st.sends_ok,
	    (unsigned long long)st.sends_failed);
}

/* CPU used so far and chat lines seen: two of these around a flood give
 * the cost of a line. */
static void
d_cpu(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("cpu events=%llu user_us=%ld sys_us=%ld\n",
	    (unsigned long long)d.events,
	    (long)ru.ru_utime.tv_sec * 1000000L + (long)ru.ru_utime.tv_usec,
	    (long)ru.ru_stime.tv_sec * 1000000L + (long)ru.ru_stime.tv_usec);
}

static void
d_quit(void)
{
	if (d.in_open) {
		uv_read_stop((uv_stream_t *)&d.in);
		uv_close((uv_handle_t *)&d.in, NULL);
		d.in_open = 0;
	}
	uv_timer_stop(&d.stop);
	uv_stop(d.loop);
}

static void
d_stop_fired(uv_timer_t *t)
{
	(void)t;
	d_quit();
}

static void
d_command(char *line)
{
	char		 err[512], *sp;
	uint64_t	 id;

	if (strncmp(line, "send ", 5) == 0 &&
	    (sp = strchr(line + 5, ' ')) != NULL) {
		*sp = '\0';
		id = shard_send(d.shard, line + 5, sp + 1, NULL, err,
		    sizeof err);
		if (id == 0)
			printf("refused %s\n", err);
		else
			printf("queued %llu\n", (unsigned long long)id);
	} else if (strncmp(line, "join ", 5) == 0) {
		if (shard_join(d.shard, line + 5, err, sizeof err) != 0)
			printf("join %s fail %s\n", line + 5, err);
	} else if (strncmp(line, "part ", 5) == 0)
		printf("part %s %d\n", line + 5, shard_part(d.shard, line + 5));
	else if (strcmp(line, "stats") == 0)
		d_stats();
	else if (strcmp(line, "cpu") == 0)
		d_cpu();
	else if (strcmp(line, "stop") == 0)
		shard_stop(d.shard);
	else if (strcmp(line, "quit") == 0)
		d_quit();
	else
		printf("unknown %s\n", line);
	fflush(stdout);
}

static void
d_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	(void)h;
	(void)hint;
	b->base = d.inbuf + d.inlen;
	b->len = sizeof d.inbuf - d.inlen - 1;
}

static void
d_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	char	*nl, *p;

	(void)b;
	if (n < 0) {
		uv_read_stop(st);
		uv_close((uv_handle_t *)st, NULL);
		d.in_open = 0;
		return;
	}
	d.inlen += (size_t)n;
	d.inbuf[d.inlen] = '\0';
	p = d.inbuf;
	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		d_command(p);
		p = nl + 1;
	}
	d.inlen -= (size_t)(p - d.inbuf);
	memmove(d.inbuf, p, d.inlen);
	if (d.inlen >= sizeof d.inbuf - 1)
		d.inlen = 0;
}

static void
d_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	printf("handle %s active=%d closing=%d\n", uv_handle_type_name(h->type),
	    uv_is_active(h), uv_is_closing(h));
}

int
main(int argc, char **argv)
{
	struct shard_config	cfg;
	struct shard_events	ev = { d_on_event, d_on_state, d_on_send,
				    d_on_join, d_on_bad_line, 0 };
	const char		*ca = NULL, *nick = NULL, *lim;
	char			 err[512];
	unsigned long		 duration = 0, chanlimit = 0, batch = 0;
	unsigned long		 jcount = 0, jwin = 0;
	struct stat		 sb;
	int			 i, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	shard_config_defaults(&cfg);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char	*o = argv[i], *v = i + 1 < argc ? argv[i + 1] :
				    NULL;

		if (strcmp(o, "--quiet") == 0) {
			d.quiet = 1;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "net-driver: %s needs a value\n", o);
			return 2;
		}
		i++;
		if (strcmp(o, "--url") == 0)
			cfg.url = v;
		else if (strcmp(o, "--ca-file") == 0)
			ca = v;
		else if (strcmp(o, "--nick") == 0)
			nick = v;
		else if (strcmp(o, "--ping-idle") == 0)
			cfg.ping_idle_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--pong-timeout") == 0)
			cfg.pong_timeout_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--connect-timeout") == 0)
			cfg.connect_timeout_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--send-timeout") == 0)
			cfg.send_timeout_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--backoff-min") == 0)
			cfg.backoff_min_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--backoff-max") == 0)
			cfg.backoff_max_ms = (uint32_t)d_num(v, o);
		else if (strcmp(o, "--duration") == 0)
			duration = d_num(v, o);
		else if (strcmp(o, "--count") == 0)
			d.count = d_num(v, o);
		else if (strcmp(o, "--channel-limit") == 0)
			chanlimit = d_num(v, o);
		else if (strcmp(o, "--rx-batch") == 0)
			batch = d_num(v, o);
		else if (strcmp(o, "--join-limit") == 0 &&
		    (lim = strchr(v, '/')) != NULL) {
			char	n[32];

			snprintf(n, sizeof n, "%.*s", (int)(lim - v), v);
			jcount = d_num(n, o);
			jwin = d_num(lim + 1, o);
		} else {
			fprintf(stderr, "net-driver: unknown option %s\n", o);
			return 2;
		}
	}

	d.loop = uv_default_loop();
	if ((d.ws = ws_ctx_new(d.loop, ca, err, sizeof err)) == NULL) {
		printf("error %s\n", err);
		return 1;
	}
	ws_ctx_set_rx_batch(d.ws, (unsigned)batch);
	d.acct = account_new(nick, nick != NULL ? getenv("STITCH_TOKEN") :
	    NULL);
	if (chanlimit != 0)
		account_set_channel_limit(d.acct, chanlimit);
	if (jcount != 0)
		account_set_join_limit(d.acct, jcount, (uint32_t)jwin);
	d.shard = shard_new(d.loop, d.ws, "main-shard", d.acct, &cfg, &ev,
	    NULL);
	for (; i < argc; i++)
		if (shard_join(d.shard, argv[i], err, sizeof err) != 0)
			printf("join %s fail %s\n", argv[i], err);

	uv_timer_init(d.loop, &d.stop);
	if (duration != 0)
		uv_timer_start(&d.stop, d_stop_fired, duration, 0);
	/* Commands from a pipe or FIFO only: libuv cannot read /dev/null or a
	 * file as a stream. */
	if (fstat(0, &sb) == 0 && (S_ISFIFO(sb.st_mode) ||
	    S_ISSOCK(sb.st_mode)) && uv_pipe_init(d.loop, &d.in, 0) == 0 &&
	    uv_pipe_open(&d.in, 0) == 0) {
		d.in_open = 1;
		uv_read_start((uv_stream_t *)&d.in, d_alloc, d_read);
	}
	shard_start(d.shard);
	uv_run(d.loop, UV_RUN_DEFAULT);

	d_stats();
	d_cpu();

	shard_free(d.shard);
	ws_ctx_free(d.ws);
	uv_close((uv_handle_t *)&d.stop, NULL);
	if (d.in_open)
		uv_close((uv_handle_t *)&d.in, NULL);
	for (i = 0; (r = uv_loop_close(d.loop)) == UV_EBUSY && i < 1000; i++)
		uv_run(d.loop, UV_RUN_NOWAIT);
	if (r != 0 && getenv("NET_DRIVER_WALK") != NULL)
		uv_walk(d.loop, d_walk, NULL);
	account_free(d.acct);
	printf("closed %s\n", r == 0 ? "clean" : "busy");
	return 0;
}
