/*
 * report.c: `stitch report KIND [CHANNEL]`, the itch tool's reports on
 * Helix: tab-separated values with a header line (or JSON Lines with
 * --json), one record per line, dates in ISO-8601 UTC, values escaped by
 * textout_put() exactly as `stitch tail` escapes them.
 *
 * Every run first asks Helix whose the token is (the moderator id some
 * calls need, and the user id cache keys are made with), then who CHANNEL
 * is (the account itself when none is given), then the report's own
 * calls, walking pages with a helix_iter up to --limit. A token that
 * `stitch login` stored is refreshed through auth.h when Helix says 401;
 * one from STITCH_TOKEN is used as it is.
 *
 * Order (-d): followers, following and streams by date, Twitch's own order
 * being newest first (desc, the default, printed as pages arrive; asc is
 * printed at the end); chatters, mods and vips by login (asc by default).
 *
 * chatlog is `stitch tail` under the report's option names.
 *
 * Exit codes: 0 ok, 1 no such user or another failure, 2 usage, 3 auth
 * (no token, expired, missing scope, not allowed), 4 network or server,
 * 130 interrupted (what was printed is whole lines).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "auth.h"
#include "cache.h"
#include "conf.h"
#include "helix.h"
#include "http.h"
#include "report.h"
#include "tail.h"
#include "textout.h"

enum {
	REPORT_OPT_LIMIT = 256,
	REPORT_OPT_DIRECTION,
	REPORT_OPT_CACHE,
	REPORT_OPT_JSON,
};

static const struct option report_options[] = {
	{ "limit",	required_argument, NULL, REPORT_OPT_LIMIT },
	{ "direction",	required_argument, NULL, REPORT_OPT_DIRECTION },
	{ "cache",	required_argument, NULL, REPORT_OPT_CACHE },
	{ "json",	no_argument,	   NULL, REPORT_OPT_JSON },
	{ NULL,		0,		   NULL, 0 },
};

#define REPORT_MAX_LIMIT	1000000000UL

enum report_kind {
	REPORT_CREATED,
	REPORT_USER,
	REPORT_STREAM,
	REPORT_CHATTERS,
	REPORT_MODS,
	REPORT_VIPS,
	REPORT_FOLLOWERS,
	REPORT_NUM_FOLLOWERS,
	REPORT_FOLLOWING,
	REPORT_NUM_FOLLOWING,
	REPORT_STREAMS,
};

/* A column's type: how TSV and JSON write it. */
enum report_type {
	REPORT_S,		/* string */
	REPORT_N,		/* number; -1 is empty / null */
	REPORT_T,		/* epoch s; -1 is empty / null */
	REPORT_B,		/* 0 or 1 */
};

struct report_val {
	enum report_type	 type;
	const char		*s;
	int64_t			 n;
};

static const struct {
	const char		*name;
	enum report_kind	 kind;
	enum helix_kind		 list;		/* for paged reports */
	const char		*columns;	/* TSV header, JSON names */
	const char		*what;
} report_kinds[] = {
	{ "created", REPORT_CREATED, HELIX_NKINDS, "login\tid\tcreated_at",
	    "when the account was made" },
	{ "user", REPORT_USER, HELIX_NKINDS, "id\tlogin\tdisplay_name\ttype\t"
	    "broadcaster_type\tcreated_at\tdescription", "who a user is" },
	{ "stream", REPORT_STREAM, HELIX_NKINDS, "login\tlive\tstarted_at\t"
	    "viewers\tgame\ttitle", "whether the channel is live" },
	{ "chatters", REPORT_CHATTERS, HELIX_CHATTERS,
	    "login\tdisplay_name\tid", "who is in chat (as a moderator)" },
	{ "mods", REPORT_MODS, HELIX_MODERATORS, "login\tdisplay_name\tid",
	    "the moderators (as the broadcaster)" },
	{ "vips", REPORT_VIPS, HELIX_VIPS, "login\tdisplay_name\tid",
	    "the VIPs (as the broadcaster)" },
	{ "followers", REPORT_FOLLOWERS, HELIX_FOLLOWERS,
	    "followed_at\tlogin\tdisplay_name\tid",
	    "who follows (as a moderator)" },
	{ "num_followers", REPORT_NUM_FOLLOWERS, HELIX_FOLLOWERS,
	    "login\ttotal", "how many follow" },
	{ "following", REPORT_FOLLOWING, HELIX_FOLLOWED,
	    "followed_at\tlogin\tdisplay_name\tid",
	    "whom the account follows" },
	{ "num_following", REPORT_NUM_FOLLOWING, HELIX_FOLLOWED,
	    "login\ttotal", "how many the account follows" },
	{ "streams", REPORT_STREAMS, HELIX_VIDEOS,
	    "started_at\tended_at\tduration\tid\ttitle\tviews",
	    "past broadcasts (for stitch plot -S)" },
};
/* chatlog is stitch tail under the report's option names. */
#define REPORT_NKINDS	(sizeof report_kinds / sizeof report_kinds[0])

/* One record of a list kept for sorting. */
struct report_item {
	char		*login;		/* streams: the video id */
	char		*name;		/* streams: the title */
	char		*id;
	int64_t		 t;		/* follow or start time */
	int64_t		 dur;		/* streams: seconds */
	int64_t		 views;		/* streams */
};

struct report {
	size_t			 kind;		/* index in report_kinds */
	size_t			 limit;		/* 0: all */
	int			 desc;
	int			 dir_set;
	int			 json;
	int			 header_done;
	const char		*cache_kind;
	char			 channel[32];	/* "" for the account */

	uv_loop_t		 loop;
	uv_signal_t		 sigint;
	uv_signal_t		 sigterm;
	struct http		*http;
	struct auth		*auth;		/* refreshes a stored token */
	struct cache		*cache;
	struct helix		*helix;
	struct helix_call	*call;
	struct helix_iter	*iter;

	char			 login[32];	/* CHANNEL, as Twitch says */
	char			 id[64];

	int			 collect;	/* sort before printing */
	struct report_item	*items;
	size_t			 nitems;
	size_t			 aitems;

	int			 progress;	/* stderr is a terminal */
	int64_t			 total;
	int			 done;
	int			 rc;
};

/* A message for the user on stderr; never given the token. */
__attribute__((format(printf, 1, 2)))
static void
report_status(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus("report", fmt, ap);
	va_end(ap);
}

/* --help: the kinds and the options. */
static void
report_usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: stitch report [-l N] [-d asc|desc] "
	    "[-c file|redis|memcache|none] [--json]\n"
	    "                     [options] KIND [CHANNEL]\n\nkinds:\n");
	for (i = 0; i < REPORT_NKINDS; i++)
		fprintf(stderr, "  %-14s %s\n", report_kinds[i].name,
		    report_kinds[i].what);
	fprintf(stderr, "  %-14s %s\n", "chatlog", "live chat of CHANNEL..., "
	    "as stitch tail (-l N events)");
	fprintf(stderr, "\n"
	    "  -l, --limit N           at most N records\n"
	    "  -d, --direction D       asc or desc: by date for followers, "
	    "following, streams\n"
	    "                          (desc), by login for the others "
	    "(asc)\n"
	    "  -c, --cache KIND        file (default), redis, memcache, "
	    "none\n"
	    "  --json                  JSON Lines instead of TSV\n"
	    "CHANNEL defaults to the account. The client id comes from "
	    "client_id\nin the config or TWITCH_CLIENT_ID.\n%s", conf_help());
}

/* One of the report's own options. */
static int
report_option(void *arg, int id, const char *val, char *err,
    size_t errsz)
{
	struct report	*r = arg;
	char		*end;
	unsigned long	 n;

	switch (id) {
	case REPORT_OPT_LIMIT:
		errno = 0;
		n = val[0] >= '0' && val[0] <= '9' ?
		    strtoul(val, &end, 10) : 0;
		if (n == 0 || errno != 0 || *end != '\0' ||
		    n > REPORT_MAX_LIMIT) {
			snprintf(err, errsz, "--limit: not a number from 1 to "
			    "%lu", REPORT_MAX_LIMIT);
			return -1;
		}
		r->limit = n;
		return 0;
	case REPORT_OPT_DIRECTION:
		if (strcmp(val, "asc") != 0 && strcmp(val, "desc") != 0) {
			snprintf(err, errsz, "--direction: asc or desc");
			return -1;
		}
		r->desc = strcmp(val, "desc") == 0;
		r->dir_set = 1;
		return 0;
	case REPORT_OPT_CACHE:
		if (strcmp(val, "file") != 0 && strcmp(val, "redis") !=
		    0 && strcmp(val, "memcache") != 0 &&
		    strcmp(val, "none") != 0) {
			snprintf(err, errsz, "--cache: file, redis, memcache "
			    "or none");
			return -1;
		}
		r->cache_kind = val;
		return 0;
	case REPORT_OPT_JSON:
		r->json = 1;
		return 0;
	}
	snprintf(err, errsz, "unknown option");
	return -1;
}

/*
 * Output.
 */

/* Epoch seconds as 2016-12-14T20:32:28Z. */
static void
report_put_time(int64_t t)
{
	struct tm	tm;
	time_t		sec = (time_t)t;
	char		buf[32];

	if (gmtime_r(&sec, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fputs(buf, stdout);
}

/* Once, before the first record or at a success with none: a failed
 * report prints nothing on stdout. */
static void
report_header(struct report *r)
{
	if (!r->json && !r->header_done)
		printf("%s\n", report_kinds[r->kind].columns);
	r->header_done = 1;
}

/* One record; v has one value per column of the kind. */
static void
report_row(struct report *r, const struct report_val *v)
{
	const char	*cols = report_kinds[r->kind].columns, *e;
	size_t		 i;

	report_header(r);
	if (r->json)
		putchar('{');
	for (i = 0; *cols != '\0'; i++) {
		e = cols + strcspn(cols, "\t");
		if (r->json)
			printf("%s\"%.*s\":", i > 0 ? "," : "",
			    (int)(e - cols), cols);
		else if (i > 0)
			putchar('\t');
		switch (v[i].type) {
		case REPORT_S:
			if (r->json)
				putchar('"');
			textout_put(stdout, r->json, v[i].s, strlen(v[i].s));
			if (r->json)
				putchar('"');
			break;
		case REPORT_B:
			if (r->json)
				fputs(v[i].n ? "true" : "false", stdout);
			else
				putchar(v[i].n ? '1' : '0');
			break;
		case REPORT_N:
			if (v[i].n >= 0)
				printf("%lld", (long long)v[i].n);
			else if (r->json)
				fputs("null", stdout);
			break;
		case REPORT_T:
			if (v[i].n >= 0) {
				if (r->json)
					putchar('"');
				report_put_time(v[i].n);
				if (r->json)
					putchar('"');
			} else if (r->json)
				fputs("null", stdout);
			break;
		}
		cols = *e == '\t' ? e + 1 : e;
	}
	fputs(r->json ? "}\n" : "\n", stdout);
}

#define S(x)	{ REPORT_S, (x), 0 }
#define N(x)	{ REPORT_N, NULL, (x) }
#define T(x)	{ REPORT_T, NULL, (x) }
#define B(x)	{ REPORT_B, NULL, (x) }

/* A record of a list (chatters, mods, vips, follows). */
static void
report_item_row(struct report *r, const struct report_item *it)
{
	if (report_kinds[r->kind].list == HELIX_VIDEOS) {
		struct report_val v[] = { T(it->t), T(it->t >= 0 &&
		    it->dur >= 0 ? it->t + it->dur : -1), N(it->dur),
		    S(it->login), S(it->name), N(it->views) };
		report_row(r, v);
	} else if (report_kinds[r->kind].list == HELIX_FOLLOWERS ||
	    report_kinds[r->kind].list == HELIX_FOLLOWED) {
		struct report_val v[] = { T(it->t), S(it->login), S(it->name),
		    S(it->id) };
		report_row(r, v);
	} else {
		struct report_val v[] = { S(it->login), S(it->name),
		    S(it->id) };
		report_row(r, v);
	}
}

/* The record of created and user. */
static void
report_user_row(struct report *r, const struct helix_user *u)
{
	if (report_kinds[r->kind].kind == REPORT_CREATED) {
		struct report_val v[] = { S(u->login), S(u->id),
		    T(u->created_at) };
		report_row(r, v);
	} else {
		struct report_val v[] = { S(u->id), S(u->login),
		    S(u->display_name), S(u->type), S(u->broadcaster_type),
		    T(u->created_at), S(u->description) };
		report_row(r, v);
	}
}

/* The record of stream: live or not. */
static void
report_stream_row(struct report *r, const struct helix_page *p)
{
	const struct helix_stream	*s = p->n > 0 ? &p->u.streams[0] :
					    NULL;

	if (s == NULL) {
		struct report_val v[] = { S(r->login), B(0), T(-1), N(-1),
		    S(""), S("") };
		report_row(r, v);
	} else {
		struct report_val v[] = { S(r->login), B(1), T(s->started_at),
		    N(s->viewer_count), S(s->game_name), S(s->title) };
		report_row(r, v);
	}
}

/* The record of num_followers and num_following. */
static void
report_total_row(struct report *r, int64_t total)
{
	struct report_val v[] = { S(r->login), N(total) };

	report_row(r, v);
}

#undef S
#undef N
#undef T
#undef B

/*
 * Lists.
 */

/* strdup() that never fails. */
static char *
report_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		abort();
	return p;
}

/* Keep a copy of a record to print once sorted. */
static void
report_keep(struct report *r, const struct report_item *src)
{
	struct report_item	*it;

	if (r->nitems == r->aitems) {
		r->aitems = r->aitems == 0 ? 256 : r->aitems * 2;
		it = realloc(r->items, r->aitems * sizeof *it);
		if (it == NULL)
			abort();
		r->items = it;
	}
	it = &r->items[r->nitems++];
	*it = *src;
	it->login = report_strdup(src->login);
	it->name = report_strdup(src->name);
	it->id = report_strdup(src->id);
}

/* qsort order: by login, bytewise. */
static int
report_by_login(const void *a, const void *b)
{
	const struct report_item	*x = a, *y = b;

	return strcmp(x->login, y->login);
}

/* Lists Twitch gives newest first: -d orders them by date. */
static int
report_by_date(const struct report *r)
{
	enum helix_kind	l = report_kinds[r->kind].list;

	return l == HELIX_FOLLOWERS || l == HELIX_FOLLOWED ||
	    l == HELIX_VIDEOS;
}

/* What was collected, in the order asked for. Twitch gives follows newest
 * first: asc is that list reversed (kept stable for equal dates). */
static void
report_flush_items(struct report *r)
{
	size_t	i;

	if (report_by_date(r)) {
		for (i = r->nitems; i > 0; i--)
			report_item_row(r, &r->items[i - 1]);
	} else if (r->nitems > 0) {
		qsort(r->items, r->nitems, sizeof *r->items,
		    report_by_login);
		for (i = 0; i < r->nitems; i++)
			report_item_row(r, &r->items[r->desc ?
			    r->nitems - 1 - i : i]);
	}
	for (i = 0; i < r->nitems; i++) {
		free(r->items[i].login);
		free(r->items[i].name);
		free(r->items[i].id);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = r->aitems = 0;
}

/* "N of TOTAL" on a terminal, over itself; last clears the line. */
static void
report_progress(struct report *r, int last)
{
	if (!r->progress)
		return;
	if (last)
		fputs("\r\033[K", stderr);
	else if (r->total >= 0)
		fprintf(stderr, "\rstitch report: %zu of %lld",
		    helix_iter_count(r->iter), (long long)r->total);
	else
		fprintf(stderr, "\rstitch report: %zu",
		    helix_iter_count(r->iter));
	fflush(stderr);
}

/*
 * The run.
 */

/* The end, once: print what was kept, stop the loop with rc. */
static void
report_finish(struct report *r, int rc)
{
	if (r->done)
		return;
	r->done = 1;
	r->rc = rc;
	if (r->iter != NULL)
		report_progress(r, 1);
	if (r->collect)
		report_flush_items(r);
	if (rc == 0 || rc == 130)
		report_header(r);
	helix_cancel(r->call);
	r->call = NULL;
	uv_stop(&r->loop);
}

/* An error reply: its message and the exit code it means (a 2xx here is
 * a reply that did not decode: the server's fault too). */
static void
report_fail(struct report *r, const struct helix_result *res)
{
	int	rc;

	if (res->auth)
		rc = 3;
	else if (res->status == 0 || res->status == 429 ||
	    res->status >= 500 || (res->status >= 200 && res->status < 300))
		rc = 4;
	else
		rc = 1;
	report_status("%s", res->error);
	report_finish(r, rc);
}

/* A page of a list: print or keep it, then ask for the next. */
static void
report_on_page(void *arg, const struct helix_result *res)
{
	struct report			*r = arg;
	const struct helix_page		*p = res->page;
	enum report_kind		 k = report_kinds[r->kind].kind;
	struct report_item		 it;
	size_t				 i;

	if (r->done)
		return;
	if (p == NULL) {
		report_progress(r, 1);
		report_fail(r, res);
		return;
	}
	if (k == REPORT_NUM_FOLLOWERS || k == REPORT_NUM_FOLLOWING) {
		report_total_row(r, p->total >= 0 ? p->total :
		    (int64_t)p->n);
		report_finish(r, 0);
		return;
	}
	/* Twitch answers anyone with the total and no list: say why the list
	 * is empty instead of printing an empty report. */
	if (k == REPORT_FOLLOWERS && helix_iter_count(r->iter) == 0 &&
	    p->n == 0 && p->total > 0) {
		report_progress(r, 1);
		report_status("Twitch lists %s's followers only to the "
		    "broadcaster and moderators (scope moderator:read:followers"
		    "); %lld follow (stitch report num_followers)", r->login,
		    (long long)p->total);
		report_finish(r, 3);
		return;
	}
	if (p->total >= 0)
		r->total = p->total;
	for (i = 0; i < p->n; i++) {
		it.dur = it.views = -1;
		if (p->kind == HELIX_VIDEOS) {
			it.login = p->u.videos[i].id;
			it.name = p->u.videos[i].title;
			it.id = p->u.videos[i].stream_id;
			it.t = p->u.videos[i].created_at;
			it.dur = p->u.videos[i].duration_s;
			it.views = p->u.videos[i].view_count;
		} else if (p->kind == HELIX_FOLLOWERS ||
		    p->kind == HELIX_FOLLOWED) {
			it.login = p->u.follows[i].user_login;
			it.name = p->u.follows[i].user_name;
			it.id = p->u.follows[i].user_id;
			it.t = p->u.follows[i].followed_at;
		} else {
			it.login = p->u.chatters[i].user_login;
			it.name = p->u.chatters[i].user_name;
			it.id = p->u.chatters[i].user_id;
			it.t = -1;
		}
		if (r->collect)
			report_keep(r, &it);
		else
			report_item_row(r, &it);
	}
	report_progress(r, 0);
	/* A page at a time reaches a pipe; a reader that went away (head)
	 * ends the walk instead of paying for the pages nobody reads. */
	if (!r->collect && (fflush(stdout) != 0 || ferror(stdout))) {
		report_finish(r, errno == EPIPE ? 0 : 1);
		return;
	}
	if (helix_iter_next(r->iter) != 0)
		report_finish(r, 0);
}

/* The stream came: print it. */
static void
report_on_stream(void *arg, const struct helix_result *res)
{
	struct report	*r = arg;

	r->call = NULL;
	if (res->page == NULL) {
		report_fail(r, res);
		return;
	}
	report_stream_row(r, res->page);
	report_finish(r, 0);
}

/* CHANNEL is known: run the report itself. */
static void
report_start(struct report *r, const struct helix_user *u)
{
	enum report_kind	k = report_kinds[r->kind].kind;
	enum helix_kind		list = report_kinds[r->kind].list;

	snprintf(r->login, sizeof r->login, "%s", u->login);
	snprintf(r->id, sizeof r->id, "%s", u->id);
	if (k == REPORT_CREATED || k == REPORT_USER) {
		report_user_row(r, u);
		report_finish(r, 0);
		return;
	}
	if (k == REPORT_STREAM) {
		r->call = helix_get_stream(r->helix, r->login,
		    report_on_stream, r);
		return;
	}
	if (report_by_date(r))
		r->collect = r->dir_set && !r->desc;
	else
		r->collect = 1;
	r->iter = helix_iter_new(r->helix, list, r->id,
	    k == REPORT_NUM_FOLLOWERS || k == REPORT_NUM_FOLLOWING ? 1 :
	    r->limit, report_on_page, r);
	if (r->iter == NULL || helix_iter_next(r->iter) != 0)
		report_finish(r, 1);
}

/* CHANNEL's user came: run the report on it. */
static void
report_on_user(void *arg, const struct helix_result *res)
{
	struct report	*r = arg;

	r->call = NULL;
	if (res->page == NULL) {
		report_fail(r, res);
		return;
	}
	if (res->page->n == 0) {
		report_status("no such user: %s", r->channel);
		report_finish(r, 1);
		return;
	}
	report_start(r, &res->page->u.users[0]);
}

/* Whose the token is came: now look CHANNEL up. */
static void
report_on_whoami(void *arg, const struct helix_result *res)
{
	struct report	*r = arg;
	const char	*login;

	r->call = NULL;
	if (res->page == NULL) {
		report_fail(r, res);
		return;
	}
	if (r->channel[0] == '\0') {
		report_start(r, &res->page->u.users[0]);
		return;
	}
	login = r->channel;
	r->call = helix_get_users(r->helix, &login, 1, report_on_user, r);
}

/* Ctrl+C or SIGTERM: stop, keeping whole lines. */
static void
report_on_signal(uv_signal_t *h, int signum)
{
	struct report	*r = h->data;

	report_status("interrupted");
	report_finish(r, 130);
}

/*
 * A token stitch login stored can be refreshed when Helix says 401; one
 * from STITCH_TOKEN cannot (we hold no refresh token for it). Without a
 * stored session the report simply runs without a refresher.
 */
static void
report_refresher(struct report *r, struct conf *c, const char *cid)
{
	if ((r->auth = auth_for_stored(&r->loop, r->http, c->oauth_url, cid,
	    c->nick, NULL, NULL)) != NULL)
		helix_set_refresher(r->helix, auth_refresher, r->auth);
}

/* http, cache, helix (and auth): 0, or an exit code with err filled. */
static int
report_setup(struct report *r, struct conf *c, char *err, size_t errsz)
{
	struct http_opts	ho;
	struct helix_opts	xo;
	struct cache_opts	co;
	const char		*cid = c->client_id;
	char			 cerr[256];

	if (c->token == NULL) {
		snprintf(err, errsz, "no token: run stitch login, or set "
		    "STITCH_TOKEN");
		return 3;
	}
	if (cid == NULL || cid[0] == '\0')
		cid = getenv("TWITCH_CLIENT_ID");
	if (cid == NULL || cid[0] == '\0') {
		snprintf(err, errsz, "no client id: set client_id in the "
		    "config or TWITCH_CLIENT_ID");
		return 3;
	}
	memset(&ho, 0, sizeof ho);
	ho.ca_file = c->ca_file;
	if ((r->http = http_new(&r->loop, &ho, err, errsz)) == NULL)
		return 1;
	memset(&co, 0, sizeof co);
	co.kind = r->cache_kind;
	if ((r->cache = cache_open(&co, cerr, sizeof cerr)) == NULL)
		report_status("no cache: %s", cerr);
	memset(&xo, 0, sizeof xo);
	xo.base_url = c->helix_url;
	xo.client_id = cid;
	xo.token = c->token;
	xo.login = c->nick;
	xo.cache = r->cache;
	if ((r->helix = helix_new(&r->loop, r->http, &xo, err, errsz)) ==
	    NULL)
		return 2;
	report_refresher(r, c, cid);
	return 0;
}

/* Close what is ours, then let libuv finish closing (bounded). */
static void
report_close(struct report *r)
{
	const char	*w;
	int		 i;

	helix_iter_free(r->iter);
	r->iter = NULL;
	helix_free(r->helix);
	auth_free(r->auth);
	http_free(r->http);
	if (r->cache != NULL && (w = cache_warning(r->cache)) != NULL)
		report_status("cache: %s", w);
	cache_free(r->cache);
	uv_close((uv_handle_t *)&r->sigint, NULL);
	uv_close((uv_handle_t *)&r->sigterm, NULL);
	/* timeout(1) signals us and then our process group: a second copy
	 * must not kill us before stdout is flushed. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	for (i = 0; i < 2000; i++) {
		uv_run(&r->loop, UV_RUN_NOWAIT);
		if (uv_loop_close(&r->loop) == 0)
			return;
		uv_sleep(1);
	}
	report_status("exit: some handles did not close");
}

/* One report on its own loop; returns the exit code. */
static int
report_run(struct report *r, struct conf *c)
{
	char	err[512];
	int	rc;

	if (uv_loop_init(&r->loop) != 0) {
		report_status("cannot start the event loop");
		return 1;
	}
	uv_signal_init(&r->loop, &r->sigint);
	uv_signal_init(&r->loop, &r->sigterm);
	r->sigint.data = r->sigterm.data = r;
	uv_signal_start(&r->sigint, report_on_signal, SIGINT);
	uv_signal_start(&r->sigterm, report_on_signal, SIGTERM);
	r->total = -1;
	r->progress = isatty(STDERR_FILENO);
	if ((rc = report_setup(r, c, err, sizeof err)) != 0) {
		report_status("%s", err);
		report_close(r);
		return rc;
	}
	r->call = helix_whoami(r->helix, report_on_whoami, r);
	uv_run(&r->loop, UV_RUN_DEFAULT);
	if (!r->done)
		report_finish(r, 1);
	report_close(r);
	return r->rc;
}

/*
 * conf keeps a token only with a nick (chat must say whose it is); Helix
 * tells us whose it is, so a report takes STITCH_TOKEN or the token file
 * alone.
 */
static void
report_token(struct conf *c)
{
	const char	*env = getenv("STITCH_TOKEN"), *file;
	char		 why[512], *tok = NULL;
	size_t		 len;

	if (c->token != NULL || c->nick != NULL)
		return;
	if (env != NULL && *env != '\0') {
		env += strspn(env, " \t\r\n");
		if (strncasecmp(env, "oauth:", 6) == 0)
			env += 6;
		len = strcspn(env, " \t\r\n");
		if (len > 0 && env[len + strspn(env + len, " \t\r\n")] ==
		    '\0' && (tok = strndup(env, len)) == NULL)
			abort();
	} else if ((file = conf_token_file(c, NULL)) != NULL)
		tok = conf_read_token(file, why, sizeof why);
	c->token = tok;
}

/* -l N, -lN, -d D, -c K: the short forms itch had, as their long ones
 * (conf_parse_args knows long options only). Returns a new argv (the
 * strings are argv's or static; *made are the ones to free). */
static char **
report_argv(int argc, char **argv, char ***made, int *nmade)
{
	static const struct {
		char		 letter;
		const char	*name;
	} shorts[] = { { 'l', "--limit" }, { 'd', "--direction" },
	    { 'c', "--cache" } };
	char	**out, *s;
	size_t	  i, len;
	int	  a, stop = 0;

	if ((out = calloc((size_t)argc + 1, sizeof *out)) == NULL ||
	    (*made = calloc((size_t)argc + 1, sizeof **made)) == NULL)
		abort();
	*nmade = 0;
	for (a = 0; a < argc; a++) {
		out[a] = argv[a];
		if (a == 0 || stop || argv[a][0] != '-' ||
		    argv[a][1] == '-' || argv[a][1] == '\0') {
			if (strcmp(argv[a], "--") == 0)
				stop = 1;
			continue;
		}
		for (i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
			if (argv[a][1] == shorts[i].letter)
				break;
		if (i == sizeof shorts / sizeof shorts[0])
			continue;
		if (argv[a][2] == '\0') {
			out[a] = (char *)shorts[i].name;
			continue;
		}
		len = strlen(shorts[i].name) + strlen(argv[a] + 2) + 2;
		if ((s = malloc(len)) == NULL)
			abort();
		snprintf(s, len, "%s=%s", shorts[i].name, argv[a] + 2);
		out[a] = (*made)[(*nmade)++] = s;
	}
	return out;
}

/*
 * `report chatlog CHANNEL...` is `tail CHANNEL...` with the report's
 * option names: -l N is --count N, --json is --jsonl; -d and -c mean
 * nothing for live chat and are dropped. Returns tail's exit status, or
 * -1 if this is not a chatlog report.
 */
static int
report_chatlog(int argc, char **argv)
{
	char	**av, *count = NULL;
	size_t	  k;
	int	  a, n = 0, rc, found = 0, stop = 0;

	/* The first word that names a kind decides. */
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--") == 0 ||
		    (found = strcmp(argv[a], "chatlog") == 0))
			break;
		for (k = 0; k < REPORT_NKINDS; k++)
			if (strcmp(argv[a], report_kinds[k].name) == 0)
				return -1;
	}
	if (!found)
		return -1;
	if ((av = calloc((size_t)argc + 2, sizeof *av)) == NULL)
		abort();
	av[n++] = (char *)"tail";
	for (a = 1; a < argc; a++) {
		if (stop) {
			av[n++] = argv[a];
			continue;
		}
		if (strcmp(argv[a], "chatlog") == 0 && found == 1) {
			found = 2;	/* the kind word, once */
			continue;
		}
		if ((strcmp(argv[a], "-d") == 0 || strcmp(argv[a], "-c") == 0 ||
		    strcmp(argv[a], "--direction") == 0 ||
		    strcmp(argv[a], "--cache") == 0) && a + 1 < argc) {
			a++;
			continue;
		}
		if (strncmp(argv[a], "-d", 2) == 0 || strncmp(argv[a], "-c",
		    2) == 0 || strncmp(argv[a], "--direction=", 12) == 0 ||
		    strncmp(argv[a], "--cache=", 8) == 0)
			continue;
		if ((strcmp(argv[a], "-l") == 0 || strcmp(argv[a],
		    "--limit") == 0) && a + 1 < argc) {
			av[n++] = (char *)"--count";
			av[n++] = argv[++a];
			continue;
		}
		if (strncmp(argv[a], "-l", 2) == 0 ||
		    strncmp(argv[a], "--limit=", 8) == 0) {
			free(count);
			if (asprintf(&count, "--count=%s", argv[a][1] == 'l' ?
			    argv[a] + 2 : argv[a] + 8) < 0)
				abort();
			av[n++] = count;
			continue;
		}
		if (strcmp(argv[a], "--json") == 0) {
			av[n++] = (char *)"--jsonl";
			continue;
		}
		if (strcmp(argv[a], "--") == 0)
			stop = 1;
		av[n++] = argv[a];
	}
	rc = tail_main(n, av);
	free(count);
	free(av);
	return rc;
}

int
report_main(int argc, char **argv)
{
	struct report	*r;
	struct conf	*c;
	char		 err[512], **av, **made;
	size_t		 i;
	int		 rc, nmade;

	if ((rc = report_chatlog(argc, argv)) >= 0)
		return rc;
	if ((r = calloc(1, sizeof *r)) == NULL)
		abort();
	r->cache_kind = "file";
	c = conf_new();
	av = report_argv(argc, argv, &made, &nmade);
	rc = conf_parse_args(c, argc, av, report_options, report_option, r,
	    err, sizeof err);
	if (rc == 0)
		report_token(c);
	for (i = 0; i < c->errors.n; i++)
		if (!(c->token != NULL && strstr(c->errors.v[i],
		    "but no nick") != NULL))
			report_status("%s", c->errors.v[i]);
	if (rc == 1) {
		report_usage();
		rc = 0;
	} else if (rc != 0) {
		report_status("%s", err);
		rc = 2;
	} else if (c->channels.n < 1 || c->channels.n > 2) {
		report_status("say what to report: stitch report KIND "
		    "[CHANNEL] (stitch report --help lists the kinds)");
		rc = 2;
	} else {
		for (r->kind = 0; r->kind < REPORT_NKINDS; r->kind++)
			if (strcmp(report_kinds[r->kind].name,
			    c->channels.v[0]) == 0)
				break;
		if (r->kind == REPORT_NKINDS) {
			report_status("no such report: %s (stitch report "
			    "--help lists them)", c->channels.v[0]);
			rc = 2;
		} else {
			if (c->channels.n == 2)
				snprintf(r->channel, sizeof r->channel, "%s",
				    c->channels.v[1]);
			setvbuf(stdout, NULL, _IOFBF, 1 << 16);
			signal(SIGPIPE, SIG_IGN);
			rc = report_run(r, c);
			if (fflush(stdout) != 0 && errno != EPIPE) {
				report_status("writing to stdout: %s",
				    strerror(errno));
				if (rc == 0)
					rc = 1;
			}
		}
	}
	for (i = 0; i < (size_t)nmade; i++)
		free(made[i]);
	free(made);
	free(av);
	conf_free(c);
	free(r);
	return rc;
}
