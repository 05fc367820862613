/*
 * replay.c: recordings read back (TSV through tsvread, JSON Lines through
 * cJSON: this file is the one outside the REST decoders that includes
 * cJSON.h, because a JSONL recording is JSON), scheduled by a pure clock
 * and delivered on a libuv timer; and `stitch replay`, which prints them
 * in `stitch tail`'s formats.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "replay.h"
#include "text.h"
#include "tsvread.h"
#include "textout.h"

#define REPLAY_BATCH	2000	/* events per loop turn, at most */

struct replay_reader {
	FILE		*fp;
	char		*name;
	int		 started;
	int		 jsonl;
	int		 failed;

	/* TSV */
	struct tsvread	*tsv;
	int		 col[6];	/* time channel login display_name
					   kind text */
	/* JSONL */
	char		*line;		/* REPLAY_MAX_LINE + 1 */
	unsigned long	 lineno;
	cJSON		*json;		/* the current record */
};

static const char *const replay_fields[6] = {
	"time", "channel", "login", "display_name", "kind", "text",
};

struct replay_reader *
replay_reader_new(FILE *fp, const char *name)
{
	struct replay_reader	*r;

	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (r->name = strdup(name != NULL ? name : "input")) == NULL)
		abort();
	r->fp = fp;
	return r;
}

void
replay_reader_free(struct replay_reader *r)
{
	if (r == NULL)
		return;
	tsvread_free(r->tsv);
	cJSON_Delete(r->json);
	free(r->line);
	free(r->name);
	free(r);
}

int
replay_reader_failed(const struct replay_reader *r)
{
	return r->failed;
}

int
replay_reader_jsonl(const struct replay_reader *r)
{
	return r->jsonl;
}

/* Look at the first byte that is not blank to tell the format; for TSV
 * read the header too. */
static int
replay_reader_start(struct replay_reader *r, char *err, size_t errsz)
{
	int	c, i, col;

	r->started = 1;
	while ((c = getc(r->fp)) == '\n' || c == '\r' || c == ' ')
		;
	if (c == EOF) {
		r->failed = 1;
		snprintf(err, errsz, "%s: %s", r->name, ferror(r->fp) ?
		    strerror(errno) : "empty recording");
		return -1;
	}
	ungetc(c, r->fp);
	if (c == '{') {
		r->jsonl = 1;
		if ((r->line = malloc(REPLAY_MAX_LINE + 1)) == NULL)
			abort();
		return 0;
	}
	r->tsv = tsvread_new_file(r->fp, r->name, REPLAY_MAX_LINE);
	if (tsvread_header(r->tsv, err, errsz) != 0) {
		r->failed = 1;
		return -1;
	}
	for (i = 0; i < 6; i++) {
		if ((col = tsvread_column(r->tsv, replay_fields[i])) < 0) {
			r->failed = 1;
			snprintf(err, errsz, "%s: no '%s' field in the header "
			    "(a recording of stitch tail, with its header, "
			    "is needed)", r->name, replay_fields[i]);
			return -1;
		}
		r->col[i] = col;
	}
	return 0;
}

/* A TSV record: the fields by their header names, the time checked. */
static int
replay_reader_tsv(struct replay_reader *r, struct replay_event *ev,
    char *err, size_t errsz)
{
	const char	*v[6];
	int		 rc, i;

	if ((rc = tsvread_next(r->tsv, err, errsz)) != 1) {
		if (rc < 0 && tsvread_failed(r->tsv))
			r->failed = 1;
		return rc;
	}
	for (i = 0; i < 6; i++)
		v[i] = tsvread_value(r->tsv, (size_t)r->col[i], NULL);
	if (tsvread_time(v[0], &ev->ms) != 0) {
		snprintf(err, errsz, "%s: line %lu: the time is not ISO-8601",
		    r->name, tsvread_lineno(r->tsv));
		return -1;
	}
	ev->channel = v[1];
	ev->login = v[2];
	ev->display_name = v[3];
	ev->kind = v[4];
	ev->text = v[5];
	ev->ntags = 0;
	return 1;
}

/* One line into r->line: 1, 0 at the end, -1 (too long: skipped, or a
 * read error). */
static int
replay_reader_line(struct replay_reader *r, size_t *len, char *err,
    size_t errsz)
{
	size_t	n = 0;
	int	c, got = 0;

	while ((c = getc_unlocked(r->fp)) != EOF) {
		got = 1;
		if (c == '\n')
			break;
		if (n < REPLAY_MAX_LINE)
			r->line[n] = (char)c;
		n++;
	}
	if (ferror(r->fp)) {
		r->failed = 1;
		snprintf(err, errsz, "%s: read error after line %lu: %s",
		    r->name, r->lineno, strerror(errno));
		return -1;
	}
	if (!got)
		return 0;
	r->lineno++;
	if (n > REPLAY_MAX_LINE) {
		snprintf(err, errsz, "%s: line %lu: longer than %d bytes",
		    r->name, r->lineno, REPLAY_MAX_LINE);
		return -1;
	}
	*len = n;
	return 1;
}

/* A string member, or "" when missing or not a string. */
static const char *
replay_json_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring :
	    "";
}

/* A JSON Lines record: one object, parsed whole (cJSON), string members
 * only; the strings stay in r->json until the next record. */
static int
replay_reader_json(struct replay_reader *r, struct replay_event *ev,
    char *err, size_t errsz)
{
	const cJSON	*tags, *t;
	size_t		 len = 0;
	int		 rc;

	do {
		if ((rc = replay_reader_line(r, &len, err, errsz)) != 1)
			return rc;
		if (len > 0 && r->line[len - 1] == '\r')
			len--;
	} while (len == 0);
	cJSON_Delete(r->json);
	r->json = cJSON_ParseWithLength(r->line, len);
	if (!cJSON_IsObject(r->json)) {
		snprintf(err, errsz, "%s: line %lu: not a JSON object",
		    r->name, r->lineno);
		return -1;
	}
	if (tsvread_time(replay_json_str(r->json, "time"), &ev->ms) != 0) {
		snprintf(err, errsz, "%s: line %lu: no ISO-8601 \"time\"",
		    r->name, r->lineno);
		return -1;
	}
	ev->channel = replay_json_str(r->json, "channel");
	ev->login = replay_json_str(r->json, "login");
	ev->display_name = replay_json_str(r->json, "display_name");
	ev->kind = replay_json_str(r->json, "kind");
	ev->text = replay_json_str(r->json, "text");
	ev->ntags = 0;
	tags = cJSON_GetObjectItemCaseSensitive(r->json, "tags");
	cJSON_ArrayForEach(t, tags) {
		if (ev->ntags == REPLAY_MAX_TAGS)
			break;
		if (!cJSON_IsString(t) || t->string == NULL ||
		    t->valuestring == NULL)
			continue;
		ev->tag_key[ev->ntags] = t->string;
		ev->tag_value[ev->ntags] = t->valuestring;
		ev->ntags++;
	}
	return 1;
}

int
replay_reader_next(struct replay_reader *r, struct replay_event *ev,
    char *err, size_t errsz)
{
	if (r->failed) {
		snprintf(err, errsz, "%s: cannot be read further", r->name);
		return -1;
	}
	if (!r->started && replay_reader_start(r, err, errsz) != 0)
		return -1;
	return r->jsonl ? replay_reader_json(r, ev, err, errsz) :
	    replay_reader_tsv(r, ev, err, errsz);
}

/*
 * The clock.
 */

void
replay_clock_init(struct replay_clock *c, double speed, int64_t max_gap_ms)
{
	memset(c, 0, sizeof *c);
	c->speed = speed > 0 && isfinite(speed) ? speed : 0;
	c->max_gap_ms = max_gap_ms > 0 ? max_gap_ms : 0;
}

int64_t
replay_clock_due(struct replay_clock *c, int64_t ev_ms, int64_t now_ms)
{
	int64_t	gap;

	if (!c->started) {
		c->started = 1;
		c->last_ms = ev_ms;
		c->due = (double)now_ms;
		return now_ms;
	}
	gap = ev_ms > c->last_ms ? ev_ms - c->last_ms : 0;
	if (ev_ms > c->last_ms)
		c->last_ms = ev_ms;
	if (c->max_gap_ms > 0 && gap > c->max_gap_ms)
		gap = c->max_gap_ms;
	/* Summed in double from recorded gaps, not from when the previous
	 * event really went out: a late turn of the loop does not push
	 * everything after it later. */
	if (c->speed > 0)
		c->due += (double)gap / c->speed;
	return (int64_t)floor(c->due);
}

/*
 * The timer.
 */

struct replay {
	uv_loop_t		*loop;
	uv_timer_t		 timer;
	struct replay_reader	*reader;
	struct replay_clock	 clock;
	struct replay_events	 ev;
	void			*arg;

	struct replay_event	 pending;	/* read, not yet due */
	int64_t			 pending_due;
	int			 have_pending;
	int			 stopped;
	uint64_t		 delivered;
	uint64_t		 skipped;
};

/* The end of the recording or an error: stop, then tell the owner. */
static void
replay_finish(struct replay *rp, int error, const char *why)
{
	replay_stop(rp);
	if (rp->ev.on_done != NULL)
		rp->ev.on_done(rp->arg, error, why);
}

/*
 * Deliver every event that is due, at most a batch, then sleep until the
 * next one is. The next event is read ahead and kept in rp->pending, its
 * strings still owned by the reader.
 */
static void
replay_on_timer(uv_timer_t *h)
{
	struct replay	*rp = h->data;
	char		 err[512];
	int64_t		 now = (int64_t)uv_now(rp->loop);
	int		 n, rc;

	for (n = 0; n < REPLAY_BATCH && !rp->stopped; n++) {
		while (!rp->have_pending) {
			rc = replay_reader_next(rp->reader, &rp->pending, err,
			    sizeof err);
			if (rc == 0) {
				replay_finish(rp, 0, NULL);
				return;
			}
			if (rc < 0 && replay_reader_failed(rp->reader)) {
				replay_finish(rp, 1, err);
				return;
			}
			if (rc < 0) {
				rp->skipped++;
				if (rp->ev.on_bad != NULL)
					rp->ev.on_bad(rp->arg, err);
				continue;
			}
			rp->have_pending = 1;
			rp->pending_due = replay_clock_due(&rp->clock,
			    rp->pending.ms, now);
		}
		if (rp->pending_due > now) {
			uv_timer_start(&rp->timer, replay_on_timer,
			    (uint64_t)(rp->pending_due - now), 0);
			return;
		}
		rp->have_pending = 0;
		rp->delivered++;
		rp->ev.on_event(rp->arg, &rp->pending);
	}
	if (!rp->stopped)	/* a full batch: let the loop breathe */
		uv_timer_start(&rp->timer, replay_on_timer, 0, 0);
}

struct replay *
replay_new(uv_loop_t *loop, struct replay_reader *reader, double speed,
    int64_t max_gap_ms, const struct replay_events *ev, void *arg)
{
	struct replay	*rp;

	if ((rp = calloc(1, sizeof *rp)) == NULL)
		abort();
	rp->loop = loop;
	rp->reader = reader;
	rp->ev = *ev;
	rp->arg = arg;
	replay_clock_init(&rp->clock, speed, max_gap_ms);
	uv_timer_init(loop, &rp->timer);
	rp->timer.data = rp;
	uv_timer_start(&rp->timer, replay_on_timer, 0, 0);
	return rp;
}

void
replay_stop(struct replay *rp)
{
	rp->stopped = 1;
	uv_timer_stop(&rp->timer);
}

/* The timer is closed: nothing can reach the replay any more. */
static void
replay_on_close(uv_handle_t *h)
{
	free(h->data);
}

void
replay_free(struct replay *rp)
{
	if (rp == NULL)
		return;
	replay_stop(rp);
	uv_close((uv_handle_t *)&rp->timer, replay_on_close);
}

uint64_t
replay_delivered(const struct replay *rp)
{
	return rp->delivered;
}

uint64_t
replay_skipped(const struct replay *rp)
{
	return rp->skipped;
}

/*
 * `stitch replay`.
 */

enum {
	REPLAY_OPT_SPEED = 256,
	REPLAY_OPT_FAST,
	REPLAY_OPT_TAIL,
	REPLAY_OPT_TSV,
	REPLAY_OPT_JSONL,
	REPLAY_OPT_NO_HEADER,
	REPLAY_OPT_MAX_GAP,
	REPLAY_OPT_HELP,
};

static const struct option replay_options[] = {
	{ "speed",	required_argument, NULL, REPLAY_OPT_SPEED },
	{ "fast",	no_argument,	   NULL, REPLAY_OPT_FAST },
	{ "tail",	no_argument,	   NULL, REPLAY_OPT_TAIL },
	{ "tsv",	no_argument,	   NULL, REPLAY_OPT_TSV },
	{ "jsonl",	no_argument,	   NULL, REPLAY_OPT_JSONL },
	{ "no-header",	no_argument,	   NULL, REPLAY_OPT_NO_HEADER },
	{ "max-gap",	required_argument, NULL, REPLAY_OPT_MAX_GAP },
	{ "help",	no_argument,	   NULL, REPLAY_OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

/* The chat client's player, when main.c gave one. */
static replay_ui_fn	replay_ui;

struct replay_cli {
	double		 speed;
	int64_t		 max_gap_ms;
	int		 tail;
	int		 jsonl;
	int		 header;
	const char	*file;

	uv_signal_t	 sigint;
	uv_signal_t	 sigterm;
	uv_prepare_t	 flush;
	struct replay	*replay;
	int		 error;
	int		 write_error;
	unsigned long	 warned;
	char		 sbuf[TEXT_SANITIZE_SIZE(4096)];
};

__attribute__((format(printf, 1, 2)))
static void
replay_status(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus("replay", fmt, ap);
	va_end(ap);
}

static void
replay_usage(void)
{
	fprintf(stderr, "usage: stitch replay FILE [--tail] [--speed X | --fast] "
	    "[--tsv|--jsonl]\n"
	    "                     [--no-header] [--max-gap S]\n\n"
	    "  FILE           a recording of stitch tail (TSV or JSON Lines), "
	    "- for stdin\n"
	    "  --tail         print the events to stdout, as stitch tail "
	    "does\n"
	    "                 (without it: one pane per channel in the chat "
	    "client)\n"
	    "  --speed X      X times the recorded pace (default 1; 0: no "
	    "waiting)\n"
	    "  --fast         the same as --speed 0\n"
	    "  --tsv, --jsonl the output format (default: TSV)\n"
	    "  --no-header    no TSV header line\n"
	    "  --max-gap S    wait at most S recorded seconds between two "
	    "events\n");
}

/* Bytes with no control character, quote or backslash: sanitized only if
 * they need it, in pieces cut at character boundaries. */
static void
replay_put_run(struct replay_cli *cli, const char *s, size_t len)
{
	size_t	n, out;

	if (text_is_safe(s, len)) {
		fwrite(s, 1, len, stdout);
		return;
	}
	while (len > 0) {
		n = len < 4096 ? len : 4096;
		while (n < len && n > 4092 &&
		    ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		out = text_sanitize(s, n, cli->sbuf, sizeof cli->sbuf);
		fwrite(cli->sbuf, 1, out, stdout);
		s += n;
		len -= n;
	}
}

/* A value as tail writes it: TSV escapes \t \n \r \\ (other controls
 * become visible pictures); JSON escapes quotes, backslashes and every
 * control as \u00XX. */
static void
replay_put(struct replay_cli *cli, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 len = strlen(s), i, run;
	unsigned char		 c;

	for (i = 0; i < len; i = run + 1) {
		for (run = i; run < len; run++) {
			c = (unsigned char)s[run];
			if (c < 0x20 || c == 0x7f || c == '\\' ||
			    (c == '"' && cli->jsonl))
				break;
		}
		if (run > i)
			replay_put_run(cli, s + i, run - i);
		if (run == len)
			break;
		c = (unsigned char)s[run];
		if (c == '\\' || c == '"') {
			putchar('\\');
			putchar(c);
		} else if (cli->jsonl) {
			fputs("\\u00", stdout);
			putchar(hex[c >> 4]);
			putchar(hex[c & 15]);
		} else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else
			replay_put_run(cli, s + run, 1);
	}
}

/* Tail's time column, "2026-11-24T08:30:00.123Z". */
static void
replay_put_time(int64_t ms)
{
	struct tm	tm;
	int64_t		s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	time_t		sec = (time_t)s;
	char		iso[32];

	if (gmtime_r(&sec, &tm) == NULL ||
	    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		iso[0] = '\0';
	/* Floor division: 1969 times keep a fraction in 000-999. */
	printf("%s.%03dZ", iso, (int)(ms - s * 1000));
}

static void
replay_json_field(struct replay_cli *cli, const char *name, const char *v)
{
	printf(",\"%s\":\"", name);
	replay_put(cli, v);
	putchar('"');
}

/* One event in tail's TSV or JSONL shape. */
static void
replay_on_event(void *arg, const struct replay_event *ev)
{
	struct replay_cli	*cli = arg;
	size_t			 i;

	if (!cli->jsonl) {
		replay_put_time(ev->ms);
		putchar('\t');
		replay_put(cli, ev->channel);
		putchar('\t');
		replay_put(cli, ev->login);
		putchar('\t');
		replay_put(cli, ev->display_name);
		putchar('\t');
		replay_put(cli, ev->kind);
		putchar('\t');
		replay_put(cli, ev->text);
		putchar('\n');
	} else {
		fputs("{\"time\":\"", stdout);
		replay_put_time(ev->ms);
		putchar('"');
		replay_json_field(cli, "channel", ev->channel);
		replay_json_field(cli, "kind", ev->kind);
		replay_json_field(cli, "login", ev->login);
		replay_json_field(cli, "display_name", ev->display_name);
		replay_json_field(cli, "text", ev->text);
		fputs(",\"tags\":{", stdout);
		for (i = 0; i < ev->ntags; i++) {
			fputs(i > 0 ? ",\"" : "\"", stdout);
			replay_put(cli, ev->tag_key[i]);
			fputs("\":\"", stdout);
			replay_put(cli, ev->tag_value[i]);
			putchar('"');
		}
		fputs("}}\n", stdout);
	}
}

/* Before the loop sleeps: what was replayed is seen now, whether stdout
 * is a terminal, a pipe or a file someone tails; stop if nobody reads. */
static void
replay_on_prepare(uv_prepare_t *h)
{
	struct replay_cli	*cli = h->data;

	fflush(stdout);
	if (ferror(stdout) && cli->write_error == 0) {
		cli->write_error = errno != 0 ? errno : EIO;
		replay_stop(cli->replay);
		uv_unref((uv_handle_t *)&cli->sigint);
		uv_unref((uv_handle_t *)&cli->sigterm);
	}
}

static void
replay_on_bad(void *arg, const char *why)
{
	struct replay_cli	*cli = arg;

	if (cli->warned++ < 5)
		replay_status("%s (skipped)", why);
}

static void
replay_on_done(void *arg, int error, const char *why)
{
	struct replay_cli	*cli = arg;

	if (error) {
		cli->error = 1;
		replay_status("%s", why);
	}
	uv_unref((uv_handle_t *)&cli->sigint);
	uv_unref((uv_handle_t *)&cli->sigterm);
}

/* Ctrl+C: no more events; the loop ends once nothing is pending, so
 * the output stops after a whole line. The watchers stay (unref'd, so
 * they keep no loop alive): a second signal, as timeout(1) sends to the
 * whole group, must not kill the clean exit. */
static void
replay_on_signal(uv_signal_t *h, int signum)
{
	struct replay_cli	*cli = h->data;

	replay_stop(cli->replay);
	uv_unref((uv_handle_t *)&cli->sigint);
	uv_unref((uv_handle_t *)&cli->sigterm);
}

/* Options into cli: 0, 1 for --help, -1 for a usage error. */
static int
replay_cli_args(struct replay_cli *cli, int argc, char **argv)
{
	char	*end;
	double	 v;
	int	 c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", replay_options,
	    NULL)) != -1) {
		switch (c) {
		case REPLAY_OPT_SPEED:
		case REPLAY_OPT_MAX_GAP:
			errno = 0;
			v = strtod(optarg, &end);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || !isfinite(v) ||
			    v > REPLAY_MAX_SPEED) {
				replay_status("%s: a number from 0 to %.0f",
				    c == REPLAY_OPT_SPEED ? "--speed" :
				    "--max-gap", REPLAY_MAX_SPEED);
				return -1;
			}
			if (c == REPLAY_OPT_SPEED)
				cli->speed = v;
			else
				cli->max_gap_ms = (int64_t)(v * 1000);
			break;
		case REPLAY_OPT_FAST:	cli->speed = 0; break;
		case REPLAY_OPT_TAIL:	cli->tail = 1; break;
		case REPLAY_OPT_TSV:	cli->jsonl = 0; break;
		case REPLAY_OPT_JSONL:	cli->jsonl = 1; break;
		case REPLAY_OPT_NO_HEADER: cli->header = 0; break;
		case REPLAY_OPT_HELP:
		case 'h':
			return 1;
		case ':':
			replay_status("option needs a value: %s",
			    argv[optind - 1]);
			return -1;
		default:
			replay_status("unknown option: %s", argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != 1) {
		replay_status("one recording to play, please");
		return -1;
	}
	cli->file = argv[optind];
	if (!cli->tail && replay_ui == NULL) {
		/* The UI takes replays through replay.h; until it is wired
		 * up, say so rather than start a UI that shows nothing. */
		replay_status("the chat client does not play recordings yet; "
		    "use --tail to print them");
		return -1;
	}
	return 0;
}

/* The loop: signals, the flush before each sleep, the replay; then the
 * summary on stderr. */
static int
replay_cli_run(struct replay_cli *cli, FILE *fp)
{
	static const struct replay_events	 events = {
		.on_event = replay_on_event,
		.on_bad = replay_on_bad,
		.on_done = replay_on_done,
	};
	struct replay_reader			*r;
	uv_loop_t				 loop;

	if (uv_loop_init(&loop) != 0) {
		replay_status("cannot start the event loop");
		return 1;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	signal(SIGPIPE, SIG_IGN);
	if (cli->header && !cli->jsonl)
		fputs("time\tchannel\tlogin\tdisplay_name\tkind\ttext\n", stdout);
	uv_signal_init(&loop, &cli->sigint);
	uv_signal_init(&loop, &cli->sigterm);
	uv_prepare_init(&loop, &cli->flush);
	cli->sigint.data = cli->sigterm.data = cli->flush.data = cli;
	uv_prepare_start(&cli->flush, replay_on_prepare);
	uv_unref((uv_handle_t *)&cli->flush);
	uv_signal_start(&cli->sigint, replay_on_signal, SIGINT);
	uv_signal_start(&cli->sigterm, replay_on_signal, SIGTERM);
	r = replay_reader_new(fp, strcmp(cli->file, "-") == 0 ? "stdin" :
	    cli->file);
	cli->replay = replay_new(&loop, r, cli->speed, cli->max_gap_ms,
	    &events, cli);
	uv_run(&loop, UV_RUN_DEFAULT);
	replay_status("%llu events replayed, %llu bad lines skipped",
	    (unsigned long long)replay_delivered(cli->replay),
	    (unsigned long long)replay_skipped(cli->replay));
	replay_free(cli->replay);
	uv_close((uv_handle_t *)&cli->sigint, NULL);
	uv_close((uv_handle_t *)&cli->sigterm, NULL);
	signal(SIGINT, SIG_IGN);		/* after, as tail_close() does */
	signal(SIGTERM, SIG_IGN);
	uv_close((uv_handle_t *)&cli->flush, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	replay_reader_free(r);
	if (fflush(stdout) != 0 && cli->write_error == 0)
		cli->write_error = errno != 0 ? errno : EIO;
	if (cli->write_error != 0 && cli->write_error != EPIPE) {
		replay_status("writing to stdout: %s",
		    strerror(cli->write_error));
		return 1;
	}
	return cli->error;
}

void
replay_set_ui(replay_ui_fn fn)
{
	replay_ui = fn;
}

int
replay_main(int argc, char **argv)
{
	struct replay_cli	*cli;
	FILE			*fp;
	int			 rc;

	setlocale(LC_NUMERIC, "C");
	if ((cli = calloc(1, sizeof *cli)) == NULL)
		abort();
	cli->speed = 1;
	cli->header = 1;
	rc = replay_cli_args(cli, argc, argv);
	if (rc != 0) {
		replay_usage();
		free(cli);
		return rc == 1 ? 0 : 2;
	}
	if (!cli->tail) {
		rc = replay_ui(cli->file, cli->speed,
		    (long long)cli->max_gap_ms);
		free(cli);
		return rc;
	}
	fp = strcmp(cli->file, "-") == 0 ? stdin : fopen(cli->file, "r");
	if (fp == NULL) {
		replay_status("%s: %s", cli->file, strerror(errno));
		free(cli);
		return 1;
	}
	rc = replay_cli_run(cli, fp);
	if (fp != stdin)
		fclose(fp);
	free(cli);
	return rc;
}
