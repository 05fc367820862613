/*
 * auth-helix.c: a driver for auth-helix.sh. Two Helix clients of one
 * stored account (as two panels of the UI would be), with auth_refresher
 * as their refresher, each make two calls at once. With an expired token
 * every call gets a 401, both clients ask for a new token, and struct auth
 * must answer both with one refresh; every call is then retried and must
 * succeed.
 *
 *   auth-helix --oauth URL --helix URL LOGIN
 *
 * The client id comes from TWITCH_CLIENT_ID, the token from the store
 * ($XDG_CONFIG_HOME/stitch). Prints one line a call and a summary; never
 * a token. Exit 0 if every call succeeded, 1 if not, 2 on usage errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "auth.h"
#include "helix.h"
#include "http.h"

#define DRIVER_CLIENTS	2
#define DRIVER_CALLS	2	/* per client */

struct driver {
	uv_loop_t	 loop;
	uv_timer_t	 timeout;
	struct http	*http;
	struct auth	*auth;
	struct helix	*helix[DRIVER_CLIENTS];
	int		 done, ok;
};

static void
driver_on_call(void *arg, const struct helix_result *r)
{
	struct driver	*d = arg;

	d->done++;
	if (r->error == NULL && r->page != NULL) {
		d->ok++;
		printf("call: ok, HTTP %ld\n", r->status);
	} else
		printf("call: error: %s (HTTP %ld)\n", r->error != NULL ?
		    r->error : "no page", r->status);
	if (d->done == DRIVER_CLIENTS * DRIVER_CALLS)
		uv_stop(&d->loop);
}

static void
driver_on_timeout(uv_timer_t *h)
{
	struct driver	*d = h->data;

	printf("timed out with %d of %d calls done\n", d->done,
	    DRIVER_CLIENTS * DRIVER_CALLS);
	uv_stop(&d->loop);
}

static void
driver_on_event(void *arg, const char *login, enum auth_event ev,
    const char *msg)
{
	static const char *const names[] = { "valid", "refreshed", "revoked",
	    "trouble" };

	printf("auth: %s: %s%s%s\n", login, names[ev], msg != NULL ? ": " :
	    "", msg != NULL ? msg : "");
}

int
main(int argc, char **argv)
{
	static const char *const who[] = { "alice" };
	struct driver		 d;
	struct http_opts	 ho;
	struct helix_opts	 xo;
	struct auth_opts	 ao;
	struct auth_token	 tok;
	const char		*oauth = NULL, *helix = NULL, *login = NULL;
	char			 dir[4096], err[512];
	int			 i, j, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--oauth") == 0 && i + 1 < argc)
			oauth = argv[++i];
		else if (strcmp(argv[i], "--helix") == 0 && i + 1 < argc)
			helix = argv[++i];
		else
			login = argv[i];
	}
	if (oauth == NULL || helix == NULL || login == NULL ||
	    auth_store_dir(dir, sizeof dir) != 0) {
		fprintf(stderr, "usage: auth-helix --oauth URL --helix URL "
		    "LOGIN\n");
		return 2;
	}
	if (auth_store_load(dir, login, &tok, err, sizeof err) != 0) {
		fprintf(stderr, "auth-helix: %s\n", err);
		return 2;
	}
	memset(&d, 0, sizeof d);
	uv_loop_init(&d.loop);
	uv_timer_init(&d.loop, &d.timeout);
	d.timeout.data = &d;
	uv_timer_start(&d.timeout, driver_on_timeout, 30000, 0);
	memset(&ho, 0, sizeof ho);
	if ((d.http = http_new(&d.loop, &ho, err, sizeof err)) == NULL)
		return fprintf(stderr, "auth-helix: %s\n", err), 2;
	memset(&ao, 0, sizeof ao);
	ao.oauth_url = oauth;
	ao.client_id = getenv("TWITCH_CLIENT_ID");
	ao.dir = dir;
	d.auth = auth_new(&d.loop, d.http, &ao, driver_on_event, NULL, err,
	    sizeof err);
	if (d.auth == NULL)
		return fprintf(stderr, "auth-helix: %s\n", err), 2;
	memset(&xo, 0, sizeof xo);
	xo.base_url = helix;
	xo.client_id = ao.client_id;
	xo.token = tok.access;
	xo.login = login;
	xo.user_id = tok.user_id;
	for (i = 0; i < DRIVER_CLIENTS; i++) {
		d.helix[i] = helix_new(&d.loop, d.http, &xo, err, sizeof err);
		if (d.helix[i] == NULL)
			return fprintf(stderr, "auth-helix: %s\n", err), 2;
		helix_set_refresher(d.helix[i], auth_refresher, d.auth);
		for (j = 0; j < DRIVER_CALLS; j++)
			helix_get_users(d.helix[i], who, 1, driver_on_call, &d);
	}
	auth_token_clear(&tok);
	uv_run(&d.loop, UV_RUN_DEFAULT);
	printf("done: %d of %d calls ok, %u request(s) to the OAuth server\n",
	    d.ok, DRIVER_CLIENTS * DRIVER_CALLS, auth_requests(d.auth));
	rc = d.ok == DRIVER_CLIENTS * DRIVER_CALLS ? 0 : 1;
	for (i = 0; i < DRIVER_CLIENTS; i++)
		helix_free(d.helix[i]);
	auth_free(d.auth);
	http_free(d.http);
	uv_close((uv_handle_t *)&d.timeout, NULL);
	for (i = 0; i < 2000; i++) {
		uv_run(&d.loop, UV_RUN_NOWAIT);
		if (uv_loop_close(&d.loop) == 0)
			break;
		uv_sleep(1);
	}
	return rc;
}
