/*
 * tail.c: `stitch tail`, headless: join channels and print every chat
 * event to stdout as it arrives, as TSV (default) or JSON Lines.
 *
 * TSV: a header line, then `time channel login display_name kind text`;
 * in values TAB, LF, CR and backslash are written \t \n \r \\. JSONL: one
 * object per event with the same fields and "tags" (all IRC tags,
 * unescaped); every control character is written \u00XX. In both, what is
 * left goes through text_sanitize(), so no terminal escape, invalid UTF-8
 * or bidi override from chat reaches the output.
 *
 * Time is ISO-8601 UTC with milliseconds, from tmi-sent-ts when present,
 * else the time of receipt. Status and errors go to stderr; the token
 * never appears anywhere.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "app.h"
#include "conf.h"
#include "irc.h"
#include "shardmgr.h"
#include "tail.h"
#include "text.h"
#include "textout.h"
#include "twitch.h"

enum {
	TAIL_OPT_TSV = 256,
	TAIL_OPT_JSONL,
	TAIL_OPT_COUNT,
	TAIL_OPT_DURATION,
	TAIL_OPT_NO_HEADER,
};

static const struct option tail_options[] = {
	{ "tsv",	no_argument,	   NULL, TAIL_OPT_TSV },
	{ "jsonl",	no_argument,	   NULL, TAIL_OPT_JSONL },
	{ "count",	required_argument, NULL, TAIL_OPT_COUNT },
	{ "duration",	required_argument, NULL, TAIL_OPT_DURATION },
	{ "no-header",	no_argument,	   NULL, TAIL_OPT_NO_HEADER },
	{ NULL,		0,		   NULL, 0 },
};

#define TAIL_MAX_COUNT		1000000000000ULL	/* 10^12 events */
#define TAIL_MAX_DURATION	(366UL * 24 * 3600)	/* a year, in s */

struct tail {
	int		 jsonl;
	int		 header;
	uint64_t	 count;		/* 0: no limit */
	unsigned long	 duration;	/* s; 0: no limit */
	int		 live;		/* stdout is a tty or a pipe */

	struct app	*app;
	uv_signal_t	 sigint;
	uv_signal_t	 sigterm;
	uv_timer_t	 timer;
	uv_prepare_t	 flush;

	uint64_t	 printed;
	uint64_t	 refused;	/* channels no shard would take */
	int		 done;
	int		 write_error;	/* errno of a failed write, 0 if none */

	/* The last second formatted, so most lines skip gmtime_r(). */
	time_t		 last_sec;
	char		 last_iso[32];	/* "YYYY-MM-DDTHH:MM:SS" */

	/* Unescaped tag values. */
	char		 tagbuf[IRC_MAX_TAGS + 1];
};

/* Status for the user on stderr; never given the token. */
__attribute__((format(printf, 1, 2)))
static void
tail_status(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus("tail", fmt, ap);
	va_end(ap);
}

static void
tail_usage(void)
{
	fprintf(stderr, "usage: stitch tail [--tsv|--jsonl] [--count N] "
	    "[--duration S] [--no-header]\n"
	    "                   [options] CHANNEL...\n\n"
	    "  --tsv                   tab-separated values (default):\n"
	    "                          time channel login display_name kind "
	    "text\n"
	    "  --jsonl                 one JSON object per event, with all "
	    "tags\n"
	    "  --count N               stop after N events\n"
	    "  --duration S            stop after S seconds\n"
	    "  --no-header             no TSV header line\n%s", conf_help());
}

/* A number in [1, max]: digits only, no sign, no overflow. */
static int
tail_number(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long	 v;
	char			*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
tail_option(void *arg, int id, const char *val, char *err, size_t errsz)
{
	struct tail		*t = arg;
	unsigned long long	 n;

	switch (id) {
	case TAIL_OPT_TSV:
		t->jsonl = 0;
		return 0;
	case TAIL_OPT_JSONL:
		t->jsonl = 1;
		return 0;
	case TAIL_OPT_NO_HEADER:
		t->header = 0;
		return 0;
	case TAIL_OPT_COUNT:
		if (tail_number(val, TAIL_MAX_COUNT, &n) != 0) {
			snprintf(err, errsz, "--count: not a number from 1 "
			    "to %llu", TAIL_MAX_COUNT);
			return -1;
		}
		t->count = n;
		return 0;
	case TAIL_OPT_DURATION:
		if (tail_number(val, TAIL_MAX_DURATION, &n) != 0) {
			snprintf(err, errsz, "--duration: not a number of "
			    "seconds from 1 to %lu", TAIL_MAX_DURATION);
			return -1;
		}
		t->duration = (unsigned long)n;
		return 0;
	}
	snprintf(err, errsz, "unknown option");
	return -1;
}

/*
 * Output.
 */

/* A value, escaped for TSV or JSON (without the quotes) and sanitized. */
static void
tail_put(struct tail *t, const char *s, size_t len)
{
	textout_put(stdout, t->jsonl, s, len);
}

static void
tail_put_span(struct tail *t, struct irc_span sp)
{
	if (sp.p != NULL)
		tail_put(t, sp.p, sp.len);
}

static void
tail_put_str(struct tail *t, const char *s)
{
	tail_put(t, s, strlen(s));
}

/* "2026-11-24T08:30:00.123Z" for ms since the epoch. */
static void
tail_put_time(struct tail *t, int64_t ms)
{
	struct tm	tm;
	time_t		sec = (time_t)(ms / 1000);

	if (sec != t->last_sec || t->last_iso[0] == '\0') {
		if (gmtime_r(&sec, &tm) == NULL)
			memset(&tm, 0, sizeof tm);
		strftime(t->last_iso, sizeof t->last_iso, "%Y-%m-%dT%H:%M:%S",
		    &tm);
		t->last_sec = sec;
	}
	{
		char	frac[6];
		int	m = (int)(ms % 1000);

		frac[0] = '.';
		frac[1] = (char)('0' + m / 100);
		frac[2] = (char)('0' + m / 10 % 10);
		frac[3] = (char)('0' + m % 10);
		frac[4] = 'Z';
		frac[5] = '\0';
		fputs(t->last_iso, stdout);
		fputs(frac, stdout);
	}
}

static int64_t
tail_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The kind column: "privmsg", "action", "usernotice:sub", ...; NULL for
 * protocol chatter that is not a chat event. */
static const char *
tail_kind(const struct twitch_event *ev)
{
	switch (ev->kind) {
	case TWITCH_PRIVMSG:
		return (ev->flags & TWITCH_F_ACTION) ? "action" : "privmsg";
	case TWITCH_USERNOTICE:		return "usernotice";
	case TWITCH_CLEARCHAT:		return "clearchat";
	case TWITCH_CLEARMSG:		return "clearmsg";
	case TWITCH_ROOMSTATE:		return "roomstate";
	case TWITCH_USERSTATE:		return "userstate";
	case TWITCH_NOTICE:		return "notice";
	case TWITCH_HOSTTARGET:		return "hosttarget";
	case TWITCH_JOIN:		return "join";
	case TWITCH_PART:		return "part";
	case TWITCH_WHISPER:		return "whisper";
	default:			return NULL;
	}
}

/* The text column for kinds whose text is not simply ev->text. */
static void
tail_put_text(struct tail *t, const struct twitch_event *ev)
{
	const struct twitch_roomstate	*r = &ev->room;
	char				 buf[160];
	int				 n = 0;

	switch (ev->kind) {
	case TWITCH_USERNOTICE:
		/* The user's own words if any, else what Twitch says. */
		tail_put_span(t, ev->text.len > 0 ? ev->text : ev->system_msg);
		return;
	case TWITCH_CLEARCHAT:
		if (ev->target.len == 0)
			snprintf(buf, sizeof buf, "chat cleared");
		else if (ev->ban_duration > 0)
			snprintf(buf, sizeof buf, "timeout %lds",
			    ev->ban_duration);
		else
			snprintf(buf, sizeof buf, "ban");
		tail_put_str(t, buf);
		return;
	case TWITCH_ROOMSTATE:
		buf[0] = '\0';
#define TAIL_ROOM(bit, fmt, v) \
		if ((r->present & (bit)) && n >= 0 && (size_t)n < sizeof buf) \
			n += snprintf(buf + n, sizeof buf - n, "%s" fmt, \
			    n > 0 ? " " : "", v);
		TAIL_ROOM(TWITCH_ROOM_EMOTE_ONLY, "emote-only=%d", r->emote_only)
		TAIL_ROOM(TWITCH_ROOM_FOLLOWERS, "followers-only=%d",
		    r->followers)
		TAIL_ROOM(TWITCH_ROOM_R9K, "r9k=%d", r->r9k)
		TAIL_ROOM(TWITCH_ROOM_SLOW, "slow=%d", r->slow)
		TAIL_ROOM(TWITCH_ROOM_SUBS_ONLY, "subs-only=%d", r->subs_only)
#undef TAIL_ROOM
		tail_put_str(t, buf);
		return;
	default:
		tail_put_span(t, ev->text);
		return;
	}
}

/* The login column: the user acted on for CLEARCHAT/CLEARMSG. */
static struct irc_span
tail_login(const struct twitch_event *ev)
{
	if ((ev->kind == TWITCH_CLEARCHAT || ev->kind == TWITCH_CLEARMSG) &&
	    ev->target.len > 0)
		return ev->target;
	return ev->login;
}

static void
tail_tsv(struct tail *t, const struct twitch_event *ev, const char *kind,
    int64_t ms)
{
	tail_put_time(t, ms);
	putchar('\t');
	tail_put_span(t, ev->channel);
	putchar('\t');
	tail_put_span(t, tail_login(ev));
	putchar('\t');
	tail_put_span(t, ev->display_name);
	putchar('\t');
	tail_put_str(t, kind);
	if (ev->kind == TWITCH_USERNOTICE && ev->msg_id.len > 0) {
		putchar(':');
		tail_put_span(t, ev->msg_id);
	}
	putchar('\t');
	tail_put_text(t, ev);
	putchar('\n');
}

/* "name":"value" with a leading comma unless first. */
static void
tail_json_field(struct tail *t, const char *name, struct irc_span v,
    int first)
{
	if (!first)
		putchar(',');
	putchar('"');
	fputs(name, stdout);
	fputs("\":\"", stdout);
	tail_put_span(t, v);
	putchar('"');
}

static void
tail_json_tags(struct tail *t, const struct irc_msg *msg)
{
	struct irc_tag_iter	 it;
	struct irc_tag		 tag;
	size_t			 n;
	int			 first = 1;

	fputs(",\"tags\":{", stdout);
	if (msg != NULL) {
		irc_tag_iter_init(&it, msg);
		while (irc_tag_next(&it, &tag)) {
			if (!first)
				putchar(',');
			first = 0;
			putchar('"');
			tail_put(t, tag.key.p, tag.key.len);
			fputs("\":\"", stdout);
			n = irc_tag_unescape(tag.value.p, tag.value.len,
			    t->tagbuf, sizeof t->tagbuf);
			if (n >= sizeof t->tagbuf)
				n = sizeof t->tagbuf - 1;
			tail_put(t, t->tagbuf, n);
			putchar('"');
		}
	}
	putchar('}');
}

static void
tail_jsonl(struct tail *t, const struct twitch_event *ev, const char *kind,
    int64_t ms)
{
	struct irc_span	k = { kind, strlen(kind) };

	fputs("{\"time\":\"", stdout);
	tail_put_time(t, ms);
	putchar('"');
	tail_json_field(t, "channel", ev->channel, 0);
	fputs(",\"kind\":\"", stdout);
	tail_put(t, k.p, k.len);
	if (ev->kind == TWITCH_USERNOTICE && ev->msg_id.len > 0) {
		putchar(':');
		tail_put_span(t, ev->msg_id);
	}
	putchar('"');
	tail_json_field(t, "login", tail_login(ev), 0);
	tail_json_field(t, "display_name", ev->display_name, 0);
	fputs(",\"text\":\"", stdout);
	tail_put_text(t, ev);
	putchar('"');
	tail_json_tags(t, ev->msg);
	fputs("}\n", stdout);
}

/*
 * Loop callbacks.
 */

static void
tail_stop(struct tail *t)
{
	if (t->done)
		return;
	t->done = 1;
	uv_timer_stop(&t->timer);
	/* Keep catching signals while the shards close (a second SIGINT,
	 * e.g. timeout(1) signalling the whole group, must not kill us
	 * half-way), but let the loop end without them. */
	uv_unref((uv_handle_t *)&t->sigint);
	uv_unref((uv_handle_t *)&t->sigterm);
	if (t->app != NULL)
		shardmgr_stop(t->app->mgr);
}

static void
tail_on_event(void *arg, struct shard *s, const struct twitch_event *ev)
{
	struct tail	*t = arg;
	const char	*kind;
	int64_t		 ms;

	if (t->done || (kind = tail_kind(ev)) == NULL)
		return;
	ms = ev->sent_ms > 0 ? ev->sent_ms : tail_now_ms();
	if (t->jsonl)
		tail_jsonl(t, ev, kind, ms);
	else
		tail_tsv(t, ev, kind, ms);
	t->printed++;
	if (t->count != 0 && t->printed >= t->count)
		tail_stop(t);
}

static void
tail_on_state(void *arg, struct shard *s, enum shard_state st,
    const char *why)
{
	struct tail	*t = arg;

	if (t->done && st == SHARD_STOPPED)
		return;
	if (why != NULL)
		tail_status("%s: %s (%s)", shard_id(s), shard_state_name(st),
		    why);
	else if (st == SHARD_READY)
		tail_status("%s: ready, %zu channels", shard_id(s),
		    shard_nchannels(s));
	else
		tail_status("%s: %s", shard_id(s), shard_state_name(st));
}

static void
tail_on_join(void *arg, struct shard *s, const char *channel, int ok,
    const char *why)
{
	struct tail	*t = arg;

	if (ok)
		return;
	if (s == NULL)
		t->refused++;
	/* The manager's messages already name the channel. */
	if (why != NULL && strstr(why, "#") != NULL)
		tail_status("%s", why);
	else
		tail_status("cannot join #%s: %s", channel,
		    why != NULL ? why : "refused");
}

static void
tail_on_send(void *arg, struct shard *s, uint64_t id, int ok,
    const char *why)
{
	/* tail never sends. */
}

static void
tail_on_bad_line(void *arg, struct shard *s, const char *why)
{
	/* Counted by the shard; the total is told at exit. */
}

static void
tail_on_signal(uv_signal_t *h, int signum)
{
	tail_stop(h->data);
}

static void
tail_on_timer(uv_timer_t *h)
{
	tail_stop(h->data);
}

/* Before the loop sleeps: let a reader at a terminal or a pipe see what
 * arrived; stop if nobody reads any more. */
static void
tail_on_prepare(uv_prepare_t *h)
{
	struct tail	*t = h->data;

	if (t->live)
		fflush(stdout);
	if (ferror(stdout) && !t->done) {
		t->write_error = errno != 0 ? errno : EIO;
		tail_stop(t);
	}
}

static void
tail_warn(void *arg, const char *msg)
{
	tail_status("%s", msg);
}

static void
tail_summary(struct tail *t, size_t asked)
{
	struct shardmgr	*m = t->app->mgr;
	char		 list[1024];
	size_t		 i, n = 0;
	int		 r;

	list[0] = '\0';
	for (i = 0; i < shardmgr_nshards(m) && n < sizeof list; i++) {
		r = snprintf(list + n, sizeof list - n, "%s%s (%zu)",
		    i > 0 ? ", " : "", shard_id(shardmgr_shard(m, i)),
		    shard_nchannels(shardmgr_shard(m, i)));
		if (r < 0)
			break;
		n += (size_t)r;
	}
	tail_status("%zu of %zu channels on %zu shards (%s manager): %s",
	    shardmgr_nchannels(m), asked, shardmgr_nshards(m),
	    shardmgr_ops(m)->name, list);
}

/* Close our handles, then let lws and libuv finish closing theirs: lws
 * needs a few loop turns after ws_ctx_free(). Bounded, so a handle that
 * never closes cannot hang the exit. */
static void
tail_close(struct tail *t, uv_loop_t *loop)
{
	int	i;

	uv_close((uv_handle_t *)&t->sigint, NULL);
	uv_close((uv_handle_t *)&t->sigterm, NULL);
	/* Closing the watchers put back the default action (libuv does so
	 * at once): a late copy of the signal (timeout(1) sends one to the
	 * whole group) must not kill an exit that is already clean. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	uv_close((uv_handle_t *)&t->timer, NULL);
	uv_close((uv_handle_t *)&t->flush, NULL);
	for (i = 0; i < 2000; i++) {
		uv_run(loop, UV_RUN_NOWAIT);
		if (uv_loop_close(loop) == 0)
			return;
		uv_sleep(1);
	}
	tail_status("exit: some handles did not close");
}

static int
tail_run(struct tail *t, struct conf *c)
{
	static const struct shard_events events = {
		.on_event = tail_on_event,
		.on_state = tail_on_state,
		.on_send = tail_on_send,
		.on_join = tail_on_join,
		.on_bad_line = tail_on_bad_line,
		/* TSV and JSONL print the text and the raw tags: emote
		 * ranges are never needed. */
		.decode_flags = TWITCH_DECODE_NO_EMOTES,
	};
	struct shard_stats	 st;
	uv_loop_t		 loop;
	uint64_t		 bad = 0, in = 0;
	char			 err[512];
	size_t			 i;
	int			 rc = 0;

	if (uv_loop_init(&loop) != 0) {
		tail_status("cannot start the event loop");
		return 1;
	}
	uv_signal_init(&loop, &t->sigint);
	uv_signal_init(&loop, &t->sigterm);
	uv_timer_init(&loop, &t->timer);
	uv_prepare_init(&loop, &t->flush);
	t->sigint.data = t->sigterm.data = t->timer.data = t->flush.data = t;
	uv_signal_start(&t->sigint, tail_on_signal, SIGINT);
	uv_signal_start(&t->sigterm, tail_on_signal, SIGTERM);
	uv_prepare_start(&t->flush, tail_on_prepare);
	uv_unref((uv_handle_t *)&t->flush);

	t->app = app_new(&loop, c, &events, t, tail_warn, err, sizeof err);
	if (t->app == NULL) {
		tail_status("%s", err);
		tail_close(t, &loop);
		return 1;
	}
	if (shardmgr_setup(t->app->mgr, (const char *const *)c->channels.v,
	    c->channels.n, err, sizeof err) < 0) {
		tail_status("%s", err);
		rc = 1;
	} else if (shardmgr_nchannels(t->app->mgr) == 0) {
		tail_status("no channel could be joined");
		rc = 1;
	}
	if (rc == 0) {
		tail_summary(t, c->channels.n);
		if (t->header && !t->jsonl)
			fputs("time\tchannel\tlogin\tdisplay_name\tkind\ttext\n",
			    stdout);
		if (t->duration != 0)
			uv_timer_start(&t->timer, tail_on_timer,
			    (uint64_t)t->duration * 1000, 0);
		if (shardmgr_run(t->app->mgr) != 0)
			rc = 1;
	}
	for (i = 0; i < shardmgr_nshards(t->app->mgr); i++) {
		shard_get_stats(shardmgr_shard(t->app->mgr, i), &st);
		bad += st.bad_lines;
		in += st.lines_in;
	}
	app_free(t->app);
	t->app = NULL;
	tail_close(t, &loop);
	tail_status("%llu events printed, %llu lines received, %llu "
	    "malformed lines skipped", (unsigned long long)t->printed,
	    (unsigned long long)in, (unsigned long long)bad);
	return rc;
}

int
tail_main(int argc, char **argv)
{
	struct tail	*t;
	struct conf	*c;
	struct stat	 sb;
	char		 err[512];
	size_t		 i;
	int		 rc;

	t = calloc(1, sizeof *t);
	if (t == NULL)
		abort();
	t->header = 1;
	c = conf_new();
	rc = conf_parse_args(c, argc, argv, tail_options, tail_option, t,
	    err, sizeof err);
	for (i = 0; i < c->errors.n; i++)
		tail_status("%s", c->errors.v[i]);
	if (rc == 1) {
		tail_usage();
		rc = 0;
	} else if (rc != 0) {
		tail_status("%s", err);
		rc = 2;
	} else if (c->channels.n == 0) {
		tail_status("no channels given (stitch tail CHANNEL...)");
		rc = 2;
	} else {
		/* A reader at a terminal or a pipe sees lines as they come;
		 * a file or /dev/null gets full buffers. */
		t->live = isatty(STDOUT_FILENO) || (fstat(STDOUT_FILENO,
		    &sb) == 0 && (S_ISFIFO(sb.st_mode) ||
		    S_ISSOCK(sb.st_mode)));
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		/* A closed pipe is noticed by ferror(), not by dying. */
		signal(SIGPIPE, SIG_IGN);
		rc = tail_run(t, c);
		if (fflush(stdout) != 0 || t->write_error != 0) {
			if ((t->write_error ? t->write_error : errno) != EPIPE) {
				tail_status("writing to stdout: %s",
				    strerror(t->write_error ? t->write_error :
				    errno));
				rc = 1;
			}
		}
	}
	conf_free(c);
	free(t);
	return rc;
}
