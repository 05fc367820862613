/*
 * ftclient: the small chat client the fake-twitch tests drive. It connects
 * to ws://, wss:// (trusting --ca-file, verification always on) or irc://
 * (plain TCP), sends CAP/PASS/NICK/JOIN and the --send lines, prints every
 * line it receives, and always ends: after --lines N lines, a line holding
 * --until TEXT (any of several; "^TEXT" matches at the start of the line),
 * a close by the server, or --timeout seconds.
 *
 *   ftclient [--ca-file PEM] [--caps] [--pass TOKEN] [--nick NICK]
 *       [--join CHANS] [--send LINE]... [--send-delay MS] [--stdin]
 *       [--lines N] [--until TEXT] [--timeout S] [--no-pong]
 *       [--count-only] URL
 *
 * Markers on stdout: "#open", "#closed" (by the server), "#timeout".
 * --count-only prints nothing per line, and at the end
 * "lines=N seconds=T rate=R" (R: lines a second between the first and the
 * last line).
 * Exit: 0 when the --lines/--until goal was met (or none was set, and the
 * connection opened), 1 when
 * not, 2 for bad usage or a failed connection.
 */
#include "config.h"

#include <errno.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#define FT_MAX_SEND	256
#define FT_LINE		65536 + 1024

static struct {
	/* options */
	const char	*url, *ca_file, *pass, *nick, *join;
	const char	*untils[16];
	int		 nuntils;
	const char	*sends[FT_MAX_SEND];
	int		 nsends, caps, use_stdin, no_pong, count_only;
	unsigned	 send_delay_ms;
	unsigned long	 want_lines;
	double		 timeout_s;

	/* connection */
	int		 scheme;	/* 0 ws, 1 wss, 2 irc */
	char		 host[256];
	int		 port;
	char		 path[512];
	uv_loop_t	 loop;
	uv_timer_t	 timeout, sender;
	uv_signal_t	 sigterm;
	struct lws_context *ctx;
	struct lws	*wsi;
	uv_tcp_t	 tcp;
	uv_connect_t	 creq;
	uv_pipe_t	 in;
	int		 open, done, goal_met, failed, stdin_on;

	/* outgoing lines */
	char		**q;
	size_t		 qhead, qlen, qcap;
	int		 next_send;

	/* incoming */
	char		 rbuf[FT_LINE];
	size_t		 rlen;
	char		 ibuf[8192];
	size_t		 ilen;
	unsigned long	 lines;
	uint64_t	 t_first, t_last;
} ft;

static void	ft_finish(const char *marker);
static void	ft_flush(void);

static void
ft_usage(void)
{
	fputs("usage: ftclient [--ca-file PEM] [--caps] [--pass TOKEN] "
	    "[--nick NICK] [--join CHANS]\n"
	    "    [--send LINE]... [--send-delay MS] [--stdin] [--lines N] "
	    "[--until TEXT]\n"
	    "    [--timeout S] [--no-pong] [--count-only] "
	    "ws://HOST:PORT/ | wss://... | irc://HOST:PORT\n", stderr);
	exit(2);
}

static void
ft_queue(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
ft_queue(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[FT_LINE];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (ft.qlen == ft.qcap) {
		char	**nq;
		size_t	 i, ncap = ft.qcap == 0 ? 16 : ft.qcap * 2;

		if ((nq = calloc(ncap, sizeof *nq)) == NULL)
			abort();
		for (i = 0; i < ft.qlen; i++)
			nq[i] = ft.q[(ft.qhead + i) % ft.qcap];
		free(ft.q);
		ft.q = nq;
		ft.qcap = ncap;
		ft.qhead = 0;
	}
	if ((ft.q[(ft.qhead + ft.qlen) % ft.qcap] = strdup(buf)) == NULL)
		abort();
	ft.qlen++;
	ft_flush();
}

static char *
ft_pop(void)
{
	char	*s = ft.q[ft.qhead];

	ft.qhead = (ft.qhead + 1) % ft.qcap;
	ft.qlen--;
	return s;
}

static void
ft_tcp_written(uv_write_t *w, int status)
{
	free(w->data);
	free(w);
	(void)status;
}

/* Send what is queued: ws through lws's writeable callback, irc now. */
static void
ft_flush(void)
{
	char		*s;
	uv_write_t	*w;
	uv_buf_t	 b;

	if (!ft.open || ft.done)
		return;
	if (ft.scheme != 2) {
		if (ft.qlen > 0 && ft.wsi != NULL)
			lws_callback_on_writable(ft.wsi);
		return;
	}
	while (ft.qlen > 0) {
		s = ft_pop();
		if ((w = calloc(1, sizeof *w)) == NULL)
			abort();
		size_t n = strlen(s);
		char *crlf = realloc(s, n + 3);
		if (crlf == NULL)
			abort();
		memcpy(crlf + n, "\r\n", 3);
		w->data = crlf;
		b = uv_buf_init(crlf, (unsigned)n + 2);
		if (uv_write(w, (uv_stream_t *)&ft.tcp, &b, 1,
		    ft_tcp_written) != 0) {
			free(crlf);
			free(w);
		}
	}
}

/* Does line meet an --until? "^TEXT" matches at the start only. */
static int
ft_until(const char *line)
{
	int		 i;
	const char	*u;

	for (i = 0; i < ft.nuntils; i++) {
		u = ft.untils[i];
		if (u[0] == '^' ? strncmp(line, u + 1, strlen(u + 1)) == 0 :
		    strstr(line, u) != NULL)
			return 1;
	}
	return 0;
}

static void
ft_got_line(char *line, size_t len)
{
	uint64_t	now;

	if (len == 0 || ft.done)
		return;
	now = uv_hrtime();
	if (ft.lines == 0)
		ft.t_first = now;
	ft.t_last = now;
	ft.lines++;
	if (!ft.count_only) {
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
	}
	if (!ft.no_pong && len >= 4 && strncmp(line, "PING", 4) == 0)
		ft_queue("PONG%s", line + 4);
	if ((ft.want_lines > 0 && ft.lines >= ft.want_lines) ||
	    ft_until(line)) {
		ft.goal_met = 1;
		ft_finish(NULL);
	}
}

static void
ft_feed(const char *p, size_t len, int final)
{
	size_t	i;

	for (i = 0; i < len && !ft.done; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			ft.rbuf[ft.rlen] = '\0';
			ft_got_line(ft.rbuf, ft.rlen);
			ft.rlen = 0;
		} else if (ft.rlen + 1 < sizeof ft.rbuf)
			ft.rbuf[ft.rlen++] = p[i];
	}
	if (final && ft.rlen > 0 && !ft.done) {
		ft.rbuf[ft.rlen] = '\0';
		ft_got_line(ft.rbuf, ft.rlen);
		ft.rlen = 0;
	}
}

static void
ft_stdin_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	static char	slab[8192];

	(void)h;
	(void)hint;
	*b = uv_buf_init(slab, sizeof slab);
}

static void
ft_stdin_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	ssize_t	i;

	if (n < 0) {
		uv_read_stop(s);
		uv_close((uv_handle_t *)s, NULL);
		ft.stdin_on = 0;
		return;
	}
	for (i = 0; i < n; i++) {
		if (b->base[i] == '\n') {
			ft.ibuf[ft.ilen] = '\0';
			if (ft.ilen > 0)
				ft_queue("%s", ft.ibuf);
			ft.ilen = 0;
		} else if (b->base[i] != '\r' && ft.ilen + 1 < sizeof ft.ibuf)
			ft.ibuf[ft.ilen++] = b->base[i];
	}
}

static void
ft_send_next(uv_timer_t *t)
{
	(void)t;
	while (ft.next_send < ft.nsends) {
		ft_queue("%s", ft.sends[ft.next_send++]);
		if (ft.send_delay_ms > 0 && ft.next_send < ft.nsends) {
			uv_timer_start(&ft.sender, ft_send_next,
			    ft.send_delay_ms, 0);
			return;
		}
	}
	if (ft.use_stdin && !ft.stdin_on) {
		ft.stdin_on = 1;
		uv_pipe_init(&ft.loop, &ft.in, 0);
		uv_pipe_open(&ft.in, 0);
		uv_read_start((uv_stream_t *)&ft.in, ft_stdin_alloc,
		    ft_stdin_read);
	}
}

static void
ft_opened(void)
{
	ft.open = 1;
	if (!ft.count_only)
		puts("#open");
	if (ft.caps)
		ft_queue("CAP REQ :twitch.tv/tags twitch.tv/commands "
		    "twitch.tv/membership");
	if (ft.pass != NULL)
		ft_queue("PASS oauth:%s", ft.pass);
	if (ft.nick != NULL)
		ft_queue("NICK %s", ft.nick);
	if (ft.join != NULL)
		ft_queue("JOIN %s", ft.join);
	ft_send_next(NULL);
}

static int
ft_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	char	*s;
	unsigned char *buf;
	size_t	 n;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ft.wsi = wsi;
		ft_opened();
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		ft_feed(in, len, lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (ft.done)
			return -1;
		if (ft.qlen == 0)
			break;
		s = ft_pop();
		n = strlen(s);
		if ((buf = malloc(LWS_PRE + n)) == NULL)
			abort();
		memcpy(buf + LWS_PRE, s, n);
		free(s);
		if (lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT) < 0) {
			free(buf);
			return -1;
		}
		free(buf);
		if (ft.qlen > 0)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "ftclient: cannot connect to %s: %s\n", ft.url,
		    in != NULL ? (const char *)in : "error");
		ft.wsi = NULL;
		ft.failed = 1;
		ft_finish(NULL);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		/* The server is closing: done now, rather than when lws has
		 * finished the close handshake. */
		if (!ft.done)
			ft_finish("#closed");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		ft.wsi = NULL;
		if (!ft.done)
			ft_finish("#closed");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols ft_protocols[] = {
	{ "ftclient", ft_callback, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
ft_tcp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	static char	slab[65536];

	(void)h;
	(void)hint;
	*b = uv_buf_init(slab, sizeof slab);
}

static void
ft_tcp_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	(void)s;
	if (n < 0) {
		if (!ft.done)
			ft_finish("#closed");
		return;
	}
	ft_feed(b->base, (size_t)n, 0);
}

static void
ft_tcp_connected(uv_connect_t *req, int status)
{
	(void)req;
	if (status < 0) {
		fprintf(stderr, "ftclient: cannot connect to %s: %s\n", ft.url,
		    uv_strerror(status));
		ft.failed = 1;
		ft_finish(NULL);
		return;
	}
	uv_read_start((uv_stream_t *)&ft.tcp, ft_tcp_alloc, ft_tcp_read);
	ft_opened();
}

static void
ft_closed_cb(uv_handle_t *h)
{
	(void)h;
}

static void
ft_finish(const char *marker)
{
	double	secs;

	if (ft.done)
		return;
	ft.done = 1;
	if (marker != NULL && !ft.count_only)
		puts(marker);
	if (marker != NULL && ft_until(marker))
		ft.goal_met = 1;
	if (ft.count_only) {
		secs = ft.lines > 1 ? (double)(ft.t_last - ft.t_first) / 1e9 :
		    0;
		printf("lines=%lu seconds=%.3f rate=%.0f\n", ft.lines, secs,
		    secs > 0 ? (double)(ft.lines - 1) / secs : 0.0);
	}
	fflush(stdout);
	uv_timer_stop(&ft.timeout);
	uv_timer_stop(&ft.sender);
	if (!uv_is_closing((uv_handle_t *)&ft.timeout))
		uv_close((uv_handle_t *)&ft.timeout, ft_closed_cb);
	if (!uv_is_closing((uv_handle_t *)&ft.sender))
		uv_close((uv_handle_t *)&ft.sender, ft_closed_cb);
	if (!uv_is_closing((uv_handle_t *)&ft.sigterm))
		uv_close((uv_handle_t *)&ft.sigterm, ft_closed_cb);
	if (ft.stdin_on) {
		uv_read_stop((uv_stream_t *)&ft.in);
		uv_close((uv_handle_t *)&ft.in, ft_closed_cb);
		ft.stdin_on = 0;
	}
	if (ft.scheme == 2) {
		if (!uv_is_closing((uv_handle_t *)&ft.tcp))
			uv_close((uv_handle_t *)&ft.tcp, ft_closed_cb);
	} else
		/* lws holds the loop open until its context goes: main
		 * destroys it once uv_run returns. */
		uv_stop(&ft.loop);
}

static void
ft_timed_out(uv_timer_t *t)
{
	(void)t;
	ft_finish("#timeout");
}

static void
ft_signal(uv_signal_t *s, int signum)
{
	(void)s;
	(void)signum;
	ft_finish("#timeout");
}

static int
ft_parse_url(const char *url)
{
	const char	*p, *colon, *slash;
	char		*end;
	long		 port;

	if (strncmp(url, "ws://", 5) == 0) {
		ft.scheme = 0;
		p = url + 5;
	} else if (strncmp(url, "wss://", 6) == 0) {
		ft.scheme = 1;
		p = url + 6;
	} else if (strncmp(url, "irc://", 6) == 0) {
		ft.scheme = 2;
		p = url + 6;
	} else
		return -1;
	if ((colon = strchr(p, ':')) == NULL ||
	    (size_t)(colon - p) >= sizeof ft.host)
		return -1;
	memcpy(ft.host, p, (size_t)(colon - p));
	ft.host[colon - p] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || end == colon + 1 || port <= 0 || port > 65535 ||
	    (*end != '\0' && *end != '/'))
		return -1;
	ft.port = (int)port;
	slash = *end == '/' ? end : "/";
	snprintf(ft.path, sizeof ft.path, "%s", slash);
	return 0;
}

static const char *
ft_arg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		ft_usage();
	return argv[++*i];
}

static void
ft_parse(int argc, char **argv)
{
	int		 i;
	const char	*a, *v;
	char		*end;

	ft.timeout_s = 10;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--ca-file") == 0)
			ft.ca_file = ft_arg(argc, argv, &i);
		else if (strcmp(a, "--caps") == 0)
			ft.caps = 1;
		else if (strcmp(a, "--pass") == 0)
			ft.pass = ft_arg(argc, argv, &i);
		else if (strcmp(a, "--nick") == 0)
			ft.nick = ft_arg(argc, argv, &i);
		else if (strcmp(a, "--join") == 0)
			ft.join = ft_arg(argc, argv, &i);
		else if (strcmp(a, "--send") == 0) {
			if (ft.nsends == FT_MAX_SEND)
				ft_usage();
			ft.sends[ft.nsends++] = ft_arg(argc, argv, &i);
		} else if (strcmp(a, "--send-delay") == 0) {
			v = ft_arg(argc, argv, &i);
			errno = 0;
			ft.send_delay_ms = (unsigned)strtoul(v, &end, 10);
			if (errno != 0 || *end != '\0' || *v == '-')
				ft_usage();
		} else if (strcmp(a, "--stdin") == 0)
			ft.use_stdin = 1;
		else if (strcmp(a, "--lines") == 0) {
			v = ft_arg(argc, argv, &i);
			errno = 0;
			ft.want_lines = strtoul(v, &end, 10);
			if (errno != 0 || *end != '\0' || *v == '-')
				ft_usage();
		} else if (strcmp(a, "--until") == 0) {
			if (ft.nuntils == 16)
				ft_usage();
			ft.untils[ft.nuntils++] = ft_arg(argc, argv, &i);
		}
		else if (strcmp(a, "--timeout") == 0) {
			v = ft_arg(argc, argv, &i);
			errno = 0;
			ft.timeout_s = strtod(v, &end);
			if (errno != 0 || *end != '\0' || ft.timeout_s <= 0 ||
			    ft.timeout_s > 3600)
				ft_usage();
		} else if (strcmp(a, "--no-pong") == 0)
			ft.no_pong = 1;
		else if (strcmp(a, "--count-only") == 0)
			ft.count_only = 1;
		else if (a[0] == '-')
			ft_usage();
		else
			ft.url = a;
	}
	if (ft.url == NULL || ft_parse_url(ft.url) != 0)
		ft_usage();
}

static int
ft_connect_ws(void)
{
	struct lws_context_creation_info	 info;
	struct lws_client_connect_info		 ci;
	void					*loops[1];

	lws_set_log_level(getenv("FTCLIENT_DEBUG") != NULL ?
	    LLL_ERR | LLL_WARN | LLL_NOTICE : LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = ft_protocols;
	info.gid = -1;
	info.uid = -1;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	if (ft.ca_file != NULL)
		info.client_ssl_ca_filepath = ft.ca_file;
	loops[0] = &ft.loop;
	info.foreign_loops = loops;
	if ((ft.ctx = lws_create_context(&info)) == NULL) {
		fputs("ftclient: cannot start libwebsockets\n", stderr);
		return -1;
	}
	memset(&ci, 0, sizeof ci);
	ci.context = ft.ctx;
	ci.address = ft.host;
	ci.port = ft.port;
	ci.path = ft.path;
	ci.host = ft.host;
	ci.origin = ft.host;
	ci.protocol = NULL;
	/* Verification stays on: the test CA is trusted with --ca-file. */
	ci.ssl_connection = ft.scheme == 1 ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = "ftclient";
	if (lws_client_connect_via_info(&ci) == NULL && !ft.done) {
		fprintf(stderr, "ftclient: cannot connect to %s\n", ft.url);
		return -1;
	}
	return 0;
}

static int
ft_connect_tcp(void)
{
	struct sockaddr_in	sin;

	if (uv_ip4_addr(strcmp(ft.host, "localhost") == 0 ? "127.0.0.1" :
	    ft.host, ft.port, &sin) != 0) {
		fprintf(stderr, "ftclient: %s: numeric IPv4 or localhost only\n",
		    ft.host);
		return -1;
	}
	uv_tcp_init(&ft.loop, &ft.tcp);
	uv_tcp_nodelay(&ft.tcp, 1);
	return uv_tcp_connect(&ft.creq, &ft.tcp, (struct sockaddr *)&sin,
	    ft_tcp_connected) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	int	rc, i;

	ft_parse(argc, argv);
	setvbuf(stdout, NULL, ft.count_only ? _IOFBF : _IOLBF, 0);
	uv_loop_init(&ft.loop);
	uv_timer_init(&ft.loop, &ft.timeout);
	uv_timer_init(&ft.loop, &ft.sender);
	uv_signal_init(&ft.loop, &ft.sigterm);
	uv_signal_start(&ft.sigterm, ft_signal, SIGTERM);
	uv_timer_start(&ft.timeout, ft_timed_out,
	    (uint64_t)(ft.timeout_s * 1000), 0);
	rc = ft.scheme == 2 ? ft_connect_tcp() : ft_connect_ws();
	if (rc != 0)
		ft.failed = 1;
	if (rc != 0)
		ft_finish(NULL);
	else
		uv_run(&ft.loop, UV_RUN_DEFAULT);
	if (ft.ctx != NULL)
		lws_context_destroy(ft.ctx);
	for (i = 0; i < 100 && uv_run(&ft.loop, UV_RUN_NOWAIT) != 0; i++)
		;
	uv_loop_close(&ft.loop);
	while (ft.qlen > 0)
		free(ft_pop());
	free(ft.q);
	if (ft.failed)
		return 2;
	if (ft.want_lines > 0 || ft.nuntils > 0)
		return ft.goal_met ? 0 : 1;
	return 0;
}
