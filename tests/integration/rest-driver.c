/*
 * rest-driver.c: drives http.c and helix.c on a libuv loop against
 * fake-twitch, for rest-calls.sh. One scenario a run; one line a result,
 * "NAME status=S n=N error=E", for the shell to check. The token comes
 * from STITCH_TOKEN, never argv.
 *
 *   rest-driver BASE calls          every typed call once
 *   rest-driver BASE refresh TOKEN  three calls that all get a 401: one
 *                                   refresh (to TOKEN, "-" to fail), then
 *                                   each retried once
 *   rest-driver BASE parallel N     N requests with max_parallel 2
 *   rest-driver BASE iter KIND ID LIMIT   walk a paged list
 *   rest-driver BASE cap BYTES      one chatters page, body capped
 *   rest-driver BASE timeout MS     one request, whole time-out MS, no
 *                                   retries
 *   rest-driver BASE cached DIR     whoami and a user lookup through a
 *                                   file cache in DIR, then what the cache
 *                                   holds under each request's key
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "cache.h"
#include "helix.h"
#include "http.h"

static uv_loop_t	 loop;
static struct http	*http;
static struct helix	*helix;
static int		 pending;
static int		 refreshes;
static const char	*new_token;
static size_t		 max_running;
static struct helix_iter *iter;
static int		 pages;

static void
driver_result(void *arg, const struct helix_result *r)
{
	const char	*name = arg;

	printf("%s status=%ld n=%zu auth=%d error=%s\n", name, r->status,
	    r->page != NULL ? r->page->n : 0, r->auth,
	    r->error != NULL ? r->error : "-");
	if (r->page != NULL && r->page->kind == HELIX_USERS && r->page->n > 0)
		printf("%s login=%s\n", name, r->page->u.users[0].login);
	if (r->cached)
		printf("%s cached\n", name);
	if (r->page != NULL && r->page->kind == HELIX_FOLLOWERS &&
	    r->page->n > 0)
		printf("%s follower=%s since=%lld\n", name,
		    r->page->u.follows[0].user_login,
		    (long long)r->page->u.follows[0].followed_at);
	if (r->page != NULL && r->page->kind == HELIX_BANS && r->page->n > 0)
		printf("%s end_time_set=%d\n", name,
		    r->page->u.bans[0].end_time > 0);
	if (--pending == 0)
		uv_stop(&loop);
}

static void
driver_refresher(void *arg, const char *login, helix_refresh_done done,
    void *ctx)
{
	refreshes++;
	printf("refresh asked for login=%s\n", login[0] != '\0' ? login :
	    "(none)");
	done(ctx, strcmp(new_token, "-") == 0 ? NULL : new_token);
}

static void
driver_calls(void)
{
	static const char *const logins[] = { "alice", "bob" };
	static const char *const ids[] = { "1001", "1002" };
	struct helix_settings_patch	p;

	pending = 1;
	helix_whoami(helix, driver_result, (void *)"whoami");
	uv_run(&loop, UV_RUN_DEFAULT);

	helix_settings_patch_init(&p);
	p.slow_mode = 1;
	p.slow_mode_wait_time = 30;
	pending = 18;
	helix_get_users_by_id(helix, ids, 2, driver_result, (void *)"by-id");
	helix_get_follow(helix, "1001", "1004", driver_result,
	    (void *)"follows");
	helix_get_follow(helix, "1001", "1003", driver_result,
	    (void *)"follows-not");
	helix_get_users(helix, logins, 2, driver_result, (void *)"users");
	helix_get_stream(helix, "alice", driver_result, (void *)"stream");
	helix_get_channel(helix, "1001", driver_result, (void *)"channel");
	helix_get_chat_settings(helix, "1001", driver_result, (void *)"settings");
	helix_patch_chat_settings(helix, "1001", &p, driver_result, (void *)"patch");
	helix_get_badges(helix, "1001", driver_result, (void *)"badges");
	helix_get_badges(helix, NULL, driver_result, (void *)"badges-global");
	helix_get_emotes(helix, "1001", driver_result, (void *)"emotes");
	helix_get_emotes(helix, NULL, driver_result, (void *)"emotes-global");
	helix_ban(helix, "1001", "1002", 600, "a test\ttimeout",
	    driver_result, (void *)"timeout");
	helix_delete_message(helix, "1001", NULL, driver_result, (void *)"clear");
	{
		/* An id from chat (up to 255 bytes) that escapes to three
		 * times its length: it must still go with the DELETE. */
		static char	long_id[256];

		memset(long_id, '%', sizeof long_id - 1);
		helix_delete_message(helix, "1001", long_id, driver_result,
		    (void *)"delete-long-id");
	}
	helix_whisper(helix, "1003", "hi \"carol\"", driver_result,
	    (void *)"whisper");
	helix_get_colors(helix, ids, 2, driver_result, (void *)"colors");
	helix_get_users(helix, NULL, 0, driver_result, (void *)"users-none");
	uv_run(&loop, UV_RUN_DEFAULT);

	/* Unban after the timeout is surely in. */
	pending = 2;
	helix_unban(helix, "1001", "1002", driver_result, (void *)"unban");
	helix_ban(helix, "1001", "1004", 0, NULL, driver_result, (void *)"ban");
	uv_run(&loop, UV_RUN_DEFAULT);
}

static void
driver_refresh(const char *token)
{
	static const char *const a[] = { "alice" }, *const b[] = { "bob" },
	    *const c[] = { "carol" };

	new_token = token;
	helix_set_refresher(helix, driver_refresher, NULL);
	pending = 3;
	helix_get_users(helix, a, 1, driver_result, (void *)"r1");
	helix_get_users(helix, b, 1, driver_result, (void *)"r2");
	helix_get_users(helix, c, 1, driver_result, (void *)"r3");
	uv_run(&loop, UV_RUN_DEFAULT);
	printf("refreshes=%d\n", refreshes);
}

static void
driver_http_done(void *arg, const struct http_resp *r)
{
	struct http_stats	st;

	http_get_stats(http, &st);
	if (st.running > max_running)
		max_running = st.running;
	printf("http status=%ld\n", r->status);
	if (--pending == 0)
		uv_stop(&loop);
}

static void
driver_parallel(const char *base, int n)
{
	struct http_stats	 st;
	struct http_budget	 b;
	struct http_req		 req;
	char			 url[512], err[256];
	int			 i;

	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s/users?login=alice", base);
	req.url = url;
	req.headers[0] = "Client-Id: stitch-test-client";
	req.headers[1] = "Authorization: Bearer tok-alice";
	pending = n;
	for (i = 0; i < n; i++)
		if (http_request(http, &req, driver_http_done, NULL, err,
		    sizeof err) == NULL) {
			printf("http_request: %s\n", err);
			exit(1);
		}
	http_get_stats(http, &st);
	printf("running=%zu queued=%zu\n", st.running, st.queued);
	uv_run(&loop, UV_RUN_DEFAULT);
	http_get_stats(http, &st);
	printf("max_running=%zu done=%llu started=%llu\n", max_running,
	    (unsigned long long)st.done, (unsigned long long)st.started);
	http_budget(http, &b);
	printf("budget limit=%ld remaining=%ld reset_set=%d\n", b.limit,
	    b.remaining, b.reset > 0);
}

static void
driver_one_done(void *arg, const struct http_resp *r)
{
	printf("one status=%ld len=%zu attempts=%u error=%s\n", r->status,
	    r->body_len, r->attempts, r->error != NULL ? r->error : "-");
	uv_stop(&loop);
}

/* One GET on a client of its own with these options. */
static void
driver_one(const char *base, const char *path, struct http_opts *o)
{
	struct http	*h;
	struct http_req	 req;
	char		 url[512], err[256];

	if ((h = http_new(&loop, o, err, sizeof err)) == NULL)
		exit(1);
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s%s", base, path);
	req.url = url;
	req.headers[0] = "Client-Id: stitch-test-client";
	req.headers[1] = "Authorization: Bearer tok-alice";
	if (http_request(h, &req, driver_one_done, NULL, err,
	    sizeof err) == NULL)
		exit(1);
	uv_run(&loop, UV_RUN_DEFAULT);
	http_free(h);
}

static void
driver_page(void *arg, const struct helix_result *r)
{
	if (r->page == NULL) {
		printf("iter error=%s\n", r->error);
		uv_stop(&loop);
		return;
	}
	pages++;
	printf("page n=%zu\n", r->page->n);
	if (helix_iter_next(iter) != 0)
		uv_stop(&loop);
}

static void
driver_iter(const char *kind, const char *id, const char *limit)
{
	enum helix_kind	k;

	if (strcmp(kind, "chatters") == 0)
		k = HELIX_CHATTERS;
	else if (strcmp(kind, "followers") == 0)
		k = HELIX_FOLLOWERS;
	else
		k = HELIX_MODERATORS;
	pending = 1;
	helix_whoami(helix, driver_result, (void *)"whoami");
	uv_run(&loop, UV_RUN_DEFAULT);
	iter = helix_iter_new(helix, k, id, strtoul(limit, NULL, 10),
	    driver_page, NULL);
	if (helix_iter_next(iter) == 0)
		uv_run(&loop, UV_RUN_DEFAULT);
	printf("pages=%d items=%zu more=%d\n", pages, helix_iter_count(iter),
	    helix_iter_next(iter) == 0);
	helix_iter_free(iter);
}

/* What the cache holds for GET url as user: "hit LEN token=0|1" or
 * "miss". */
static void
driver_peek(struct cache *c, const char *what, const char *url,
    const char *user)
{
	char	key[CACHE_KEY_LEN + 1], *val;
	size_t	len;

	cache_key("GET", url, user, key);
	if (cache_get(c, key, &val, &len) == 1) {
		printf("%s hit len=%zu token=%d\n", what, len,
		    strstr(val, "tok-") != NULL);
		free(val);
	} else
		printf("%s miss\n", what);
}

static void
driver_cached(const char *base, const char *dir)
{
	static const char *const a[] = { "alice" };
	struct cache_opts	 co;
	struct helix_opts	 xo;
	struct helix		*h;
	struct cache		*c;
	char			 err[256], url[512];

	memset(&co, 0, sizeof co);
	co.kind = "file";
	co.dir = dir;
	if ((c = cache_open(&co, err, sizeof err)) == NULL) {
		printf("cache_open: %s\n", err);
		exit(1);
	}
	memset(&xo, 0, sizeof xo);
	xo.base_url = base;
	xo.client_id = "stitch-test-client";
	xo.token = getenv("STITCH_TOKEN");
	xo.cache = c;
	if ((h = helix_new(&loop, http, &xo, err, sizeof err)) == NULL)
		exit(1);
	/* Before whoami the user id is unknown: nothing may be cached. */
	pending = 1;
	helix_get_users(h, a, 1, driver_result, (void *)"early");
	uv_run(&loop, UV_RUN_DEFAULT);
	snprintf(url, sizeof url, "%s/users?login=alice", base);
	driver_peek(c, "early", url, "");
	pending = 1;
	helix_whoami(h, driver_result, (void *)"whoami");
	uv_run(&loop, UV_RUN_DEFAULT);
	pending = 1;
	helix_get_users(h, a, 1, driver_result, (void *)"users");
	uv_run(&loop, UV_RUN_DEFAULT);
	driver_peek(c, "users", url, helix_user_id(h));
	driver_peek(c, "users-other-account", url, "1003");
	snprintf(url, sizeof url, "%s/users", base);
	driver_peek(c, "whoami", url, helix_user_id(h));
	driver_peek(c, "whoami-anon", url, "");
	pending = 1;
	helix_get_users(h, a, 1, driver_result, (void *)"again");
	uv_run(&loop, UV_RUN_DEFAULT);
	helix_free(h);
	cache_free(c);
}

int
main(int argc, char **argv)
{
	struct http_opts	ho;
	struct helix_opts	xo;
	char			err[256];
	int			i;

	if (argc < 3) {
		fprintf(stderr, "usage: rest-driver BASE SCENARIO ...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	uv_loop_init(&loop);
	memset(&ho, 0, sizeof ho);
	ho.max_parallel = 2;
	ho.backoff_ms = 50;
	if ((http = http_new(&loop, &ho, err, sizeof err)) == NULL)
		return 1;
	memset(&xo, 0, sizeof xo);
	xo.base_url = argv[1];
	xo.client_id = "stitch-test-client";
	xo.token = getenv("STITCH_TOKEN");
	xo.login = getenv("DRIVER_LOGIN");
	if ((helix = helix_new(&loop, http, &xo, err, sizeof err)) == NULL) {
		printf("helix_new: %s\n", err);
		return 1;
	}
	if (strcmp(argv[2], "calls") == 0)
		driver_calls();
	else if (strcmp(argv[2], "refresh") == 0 && argc > 3)
		driver_refresh(argv[3]);
	else if (strcmp(argv[2], "parallel") == 0 && argc > 3)
		driver_parallel(argv[1], (int)strtol(argv[3], NULL, 10));
	else if (strcmp(argv[2], "iter") == 0 && argc > 5)
		driver_iter(argv[3], argv[4], argv[5]);
	else if (strcmp(argv[2], "cap") == 0 && argc > 3) {
		memset(&ho, 0, sizeof ho);
		ho.max_body = strtoul(argv[3], NULL, 10);
		driver_one(argv[1], "/chat/chatters?broadcaster_id=1001&"
		    "moderator_id=1001&first=1000", &ho);
	} else if (strcmp(argv[2], "cached") == 0 && argc > 3)
		driver_cached(argv[1], argv[3]);
	else if (strcmp(argv[2], "timeout") == 0 && argc > 3) {
		memset(&ho, 0, sizeof ho);
		ho.timeout_ms = (unsigned)strtoul(argv[3], NULL, 10);
		ho.retries = HTTP_NO_RETRY;
		driver_one(argv[1], "/users?login=alice", &ho);
	}
	helix_free(helix);
	http_free(http);
	for (i = 0; i < 1000; i++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		if (uv_loop_close(&loop) == 0) {
			printf("loop closed\n");
			return 0;
		}
	}
	printf("loop did not close\n");
	return 1;
}
