/*
 * login.c: `stitch login` and `stitch logout`.
 *
 * login: POST /device, print the address and the code as plain text, poll
 * POST /token as auth_device_step() says (slower after each slow_down),
 * then GET /validate to learn whose token it is, and store it (auth.h).
 * --check validates stored accounts (refreshing a dead access token),
 * --refresh forces a refresh, as Helix would after a 401.
 *
 * logout: POST /revoke, then delete the files, whatever Twitch said: a
 * user who logs out wants the token gone from the disk.
 *
 * What the user reads goes to stdout, problems to stderr; a token, a
 * refresh token or a device code never reaches either.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "auth.h"
#include "conf.h"
#include "http.h"
#include "login.h"
#include "oauth.h"
#include "textout.h"

enum {
	LOGIN_OPT_SCOPES = 256,
	LOGIN_OPT_CHECK,
	LOGIN_OPT_REFRESH,
};

static const struct option login_options[] = {
	{ "scopes",	required_argument, NULL, LOGIN_OPT_SCOPES },
	{ "check",	no_argument,	   NULL, LOGIN_OPT_CHECK },
	{ "refresh",	no_argument,	   NULL, LOGIN_OPT_REFRESH },
	{ NULL,		0,		   NULL, 0 },
};

/* How many callers --refresh pretends to be: they must share one
 * request. */
#define LOGIN_REFRESHERS	3

enum login_what {
	LOGIN_DEVICE,
	LOGIN_CHECK,
	LOGIN_REFRESH,
	LOGIN_LOGOUT,
};

struct login {
	enum login_what		 what;
	const char		*name;		/* "login" or "logout" */
	struct conf		*conf;
	char			 client_id[256];
	char			 scopes[OAUTH_SCOPES_SIZE];
	char			 dir[4096];
	char			 url[1100];	/* oauth_url, no final '/' */
	char			 logins[AUTH_MAX_ACCOUNTS][AUTH_LOGIN_SIZE];
	size_t			 nlogins;
	int			 all;		/* --check of every account */
	unsigned char		 told[AUTH_MAX_ACCOUNTS]; /* --check: settled */

	uv_loop_t		 loop;
	uv_timer_t		 timer;
	uv_signal_t		 sigint;
	uv_signal_t		 sigterm;
	struct http		*http;
	struct http_call	*call;
	struct auth		*auth;

	struct auth_device	 dev;
	struct auth_token	 tok;
	unsigned long		 shown_interval;	/* s, last told */
	size_t			 settled;	/* --check, --refresh */
	int			 failed;	/* --check: one did not pass */
	int			 rc;		/* -1 while running */
};

__attribute__((format(printf, 2, 3)))
static void
login_warn(struct login *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	textout_vstatus(l->name, fmt, ap);
	va_end(ap);
}

static uint64_t
login_now_ms(void)
{
	return uv_hrtime() / 1000000;
}

static void
login_usage(const char *name)
{
	if (strcmp(name, "logout") == 0)
		fprintf(stderr, "usage: stitch logout [options] [LOGIN]\n\n"
		    "Revokes LOGIN's token at Twitch and deletes it (default:\n"
		    "the default account, or the only one).\n\n%s",
		    conf_help());
	else
		fprintf(stderr, "usage: stitch login [--scopes LIST] "
		    "[options]\n"
		    "       stitch login --check [LOGIN...]\n"
		    "       stitch login --refresh LOGIN\n\n"
		    "  --scopes LIST           scopes to ask for, separated "
		    "by spaces or commas\n"
		    "                          (default: what stitch uses)\n"
		    "  --check                 validate stored tokens, "
		    "refreshing dead ones\n"
		    "  --refresh               get LOGIN a new token now\n\n"
		    "The client id comes from client_id in the config or "
		    "TWITCH_CLIENT_ID.\n%s", conf_help());
}

/* --scopes "a b,c": words of [a-z0-9:_], joined by single spaces. */
static int
login_scopes(struct login *l, const char *list, char *err, size_t errsz)
{
	size_t	len = 0, n;
	const char *p = list;

	while (*p != '\0') {
		p += strspn(p, " ,\t");
		n = strcspn(p, " ,\t");
		if (n == 0)
			break;
		if (strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789:_") < n) {
			snprintf(err, errsz, "--scopes: a scope is lowercase "
			    "letters, digits, ':' and '_'");
			return -1;
		}
		if (len + n + 2 > sizeof l->scopes) {
			snprintf(err, errsz, "--scopes: too many");
			return -1;
		}
		if (len > 0)
			l->scopes[len++] = ' ';
		memcpy(l->scopes + len, p, n);
		len += n;
		l->scopes[len] = '\0';
		p += n;
	}
	if (len == 0) {
		snprintf(err, errsz, "--scopes: no scope given");
		return -1;
	}
	return 0;
}

static int
login_option(void *arg, int id, const char *value, char *err, size_t errsz)
{
	struct login	*l = arg;

	switch (id) {
	case LOGIN_OPT_SCOPES:
		return login_scopes(l, value, err, errsz);
	case LOGIN_OPT_CHECK:
		l->what = LOGIN_CHECK;
		return 0;
	case LOGIN_OPT_REFRESH:
		l->what = LOGIN_REFRESH;
		return 0;
	}
	snprintf(err, errsz, "unknown option");
	return -1;
}

/* End the run with status rc: the loop stops at the end of this turn. */
static void
login_done(struct login *l, int rc)
{
	if (l->rc != -1)
		return;
	l->rc = rc;
	uv_stop(&l->loop);
}

static void
login_on_signal(uv_signal_t *h, int signum)
{
	struct login	*l = h->data;

	login_warn(l, "interrupted%s", l->what == LOGIN_DEVICE ?
	    "; nothing was stored" : "");
	login_done(l, 130);
}

/* A request to the OAuth server; the header and body may carry secrets
 * and are wiped by the caller. */
static int
login_request(struct login *l, const char *method, const char *path,
    const char *header, const char *body, http_done_cb cb)
{
	struct http_req	req;
	char		url[1200], err[256];

	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s%s", l->url, path);
	req.method = method;
	req.url = url;
	req.headers[0] = header;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	l->call = http_request(l->http, &req, cb, l, err, sizeof err);
	if (l->call == NULL) {
		login_warn(l, "%s: %s", path, err);
		login_done(l, 1);
		return -1;
	}
	return 0;
}

/* Why a reply was not what we wanted, for the user. */
static void
login_failed(struct login *l, const char *what, const struct http_resp *r)
{
	char	msg[160];

	if (r->status == 0) {
		login_warn(l, "%s: %s", what, r->error != NULL ? r->error :
		    "no reply");
		return;
	}
	oauth_parse_error(r->body, r->body_len, msg, sizeof msg);
	oauth_redact(msg, l->dev.code.device_code);
	oauth_redact(msg, l->dev.token.access);
	oauth_redact(msg, l->dev.token.refresh);
	oauth_redact(msg, l->tok.access);
	oauth_redact(msg, l->tok.refresh);
	login_warn(l, "%s: the OAuth server said %s (HTTP %ld)", what,
	    *msg != '\0' ? msg : "no more", r->status);
}

/*
 * The device flow.
 */

static void	login_tick(struct login *);

static void
login_on_timer(uv_timer_t *h)
{
	login_tick(h->data);
}

static void
login_on_old_revoked(void *arg, const struct http_resp *r)
{
	struct login	*l = arg;

	l->call = NULL;
	if (r->status == 200)
		printf("The previous token of %s is revoked.\n", l->tok.login);
	else if (r->status != 400)
		login_failed(l, "revoking the previous token", r);
	login_done(l, 0);
}

/* Logging in again would leave the old token valid at Twitch until it
 * expires: revoke it. */
static void
login_revoke_old(struct login *l, const struct auth_token *old)
{
	char	body[1024] = "";

	memcpy(l->tok.login, old->login, sizeof l->tok.login);
	if (oauth_form_add(body, sizeof body, "client_id", l->client_id) ||
	    oauth_form_add(body, sizeof body, "token", old->access))
		login_done(l, 0);
	else
		login_request(l, "POST", "/revoke",
		    "Content-Type: application/x-www-form-urlencoded", body,
		    login_on_old_revoked);
	explicit_bzero(body, sizeof body);
}

/* Store what /validate told us, and say so. */
static void
login_on_validate(void *arg, const struct http_resp *r)
{
	struct login		*l = arg;
	struct oauth_validate	 v;
	struct auth_token	 old;
	char			 err[512], def[AUTH_LOGIN_SIZE];
	int64_t			 now = (int64_t)time(NULL);
	int			 had_old;

	l->call = NULL;
	if (r->status != 200) {
		login_failed(l, "validating the new token", r);
		login_done(l, 1);
		return;
	}
	if (oauth_parse_validate(r->body, r->body_len, &v, err,
	    sizeof err) != 0) {
		login_warn(l, "%s", err);
		login_done(l, 1);
		return;
	}
	if (strcmp(v.client_id, l->client_id) != 0)
		login_warn(l, "Twitch says the token is for client id %s, not "
		    "%s: Helix will refuse it with this client id", v.client_id,
		    l->client_id);
	memset(&l->tok, 0, sizeof l->tok);
	memcpy(l->tok.login, v.login, sizeof l->tok.login);
	memcpy(l->tok.user_id, v.user_id, sizeof l->tok.user_id);
	memcpy(l->tok.access, l->dev.token.access, sizeof l->tok.access);
	memcpy(l->tok.refresh, l->dev.token.refresh, sizeof l->tok.refresh);
	memcpy(l->tok.scopes, v.scopes, sizeof l->tok.scopes);
	l->tok.validated_at = now;
	l->tok.expires_at = v.expires_in > 0 ? now + (int64_t)v.expires_in :
	    0;
	had_old = auth_store_load(l->dir, v.login, &old, err,
	    sizeof err) == 0 && strcmp(old.access, l->tok.access) != 0;
	if (auth_store_save(l->dir, &l->tok, err, sizeof err) != 0) {
		login_warn(l, "cannot store the token: %s", err);
		auth_token_clear(&old);
		login_done(l, 1);
		return;
	}
	printf("Logged in as %s (user id %s).\nThe token is stored in "
	    "%s/accounts/%s/\n", v.login, v.user_id, l->dir, v.login);
	if (auth_store_get_default(l->dir, def, sizeof def) != 0) {
		if (auth_store_set_default(l->dir, v.login, err,
		    sizeof err) == 0)
			printf("%s is the default account.\n", v.login);
		else
			login_warn(l, "%s", err);
	}
	if (had_old)
		login_revoke_old(l, &old);
	else
		login_done(l, 0);
	auth_token_clear(&old);
}

static void
login_on_token(void *arg, const struct http_resp *r)
{
	struct login	*l = arg;

	l->call = NULL;
	auth_device_reply(&l->dev, (int)r->status, r->body, r->body_len,
	    login_now_ms());
	login_tick(l);
}

/* One poll of POST /token. */
static void
login_poll(struct login *l)
{
	char	body[2048] = "";

	if (oauth_form_add(body, sizeof body, "client_id", l->client_id) ||
	    oauth_form_add(body, sizeof body, "scopes", l->scopes) ||
	    oauth_form_add(body, sizeof body, "device_code",
	    l->dev.code.device_code) ||
	    oauth_form_add(body, sizeof body, "grant_type",
	    "urn:ietf:params:oauth:grant-type:device_code")) {
		login_warn(l, "the poll does not fit in a request");
		login_done(l, 1);
	} else
		login_request(l, "POST", "/token",
		    "Content-Type: application/x-www-form-urlencoded", body,
		    login_on_token);
	explicit_bzero(body, sizeof body);
}

/* Do what the device flow says next. */
static void
login_tick(struct login *l)
{
	enum auth_device_state	 s;
	uint64_t		 wait;
	char			 hdr[OAUTH_TOKEN_SIZE + 32];

	s = auth_device_step(&l->dev, login_now_ms(), &wait);
	if (l->dev.interval_ms / 1000 != l->shown_interval) {
		l->shown_interval = l->dev.interval_ms / 1000;
		login_warn(l, "Twitch asked us to poll more slowly: every "
		    "%lu s", l->shown_interval);
	}
	switch (s) {
	case AUTH_DEVICE_WAIT:
		uv_timer_start(&l->timer, login_on_timer, wait, 0);
		return;
	case AUTH_DEVICE_POLL:
		login_poll(l);
		return;
	case AUTH_DEVICE_BUSY:
		return;
	case AUTH_DEVICE_DONE:
		snprintf(hdr, sizeof hdr, "Authorization: OAuth %s",
		    l->dev.token.access);
		login_request(l, "GET", "/validate", hdr, NULL,
		    login_on_validate);
		explicit_bzero(hdr, sizeof hdr);
		return;
	default:
		login_warn(l, "%s", l->dev.error);
		login_done(l, 1);
		return;
	}
}

static void
login_on_device(void *arg, const struct http_resp *r)
{
	struct login	*l = arg;
	char		 err[256];

	l->call = NULL;
	if (r->status != 200) {
		login_failed(l, "asking for a device code", r);
		login_done(l, 1);
		return;
	}
	if (auth_device_start(&l->dev, r->body, r->body_len, login_now_ms(),
	    err, sizeof err) != 0) {
		login_warn(l, "%s", err);
		login_done(l, 1);
		return;
	}
	l->shown_interval = l->dev.interval_ms / 1000;
	/* Both were checked to be printable ASCII (oauth.c). */
	printf("To log in, open this address in a browser:\n\n    %s\n\n"
	    "and enter the code:\n\n    %s\n\nWaiting for approval (the "
	    "code expires in %lu minutes; Ctrl+C gives up)...\n",
	    l->dev.code.verification_uri, l->dev.code.user_code,
	    (l->dev.code.expires_in + 59) / 60);
	fflush(stdout);
	login_tick(l);
}

static void
login_start_device(struct login *l)
{
	char	body[OAUTH_SCOPES_SIZE + 512] = "";

	if (oauth_form_add(body, sizeof body, "client_id", l->client_id) ||
	    oauth_form_add(body, sizeof body, "scopes", l->scopes)) {
		login_warn(l, "the client id and scopes do not fit in a "
		    "request");
		login_done(l, 1);
		return;
	}
	login_request(l, "POST", "/device",
	    "Content-Type: application/x-www-form-urlencoded", body,
	    login_on_device);
}

/*
 * --check and --refresh: struct auth over the stored accounts.
 */

static void
login_on_auth(void *arg, const char *login, enum auth_event ev,
    const char *msg)
{
	struct login	*l = arg;
	size_t		 i;

	switch (ev) {
	case AUTH_VALID:
		printf("%s: valid\n", login);
		break;
	case AUTH_REFRESHED:
		printf("%s: refreshed, the new token is stored\n", login);
		break;
	case AUTH_REVOKED:
	case AUTH_TROUBLE:
		login_warn(l, "%s: %s", login, msg != NULL ? msg : "failed");
		l->failed = 1;
		break;
	}
	fflush(stdout);
	if (l->what != LOGIN_CHECK)
		return;
	/* One account may say two things (a store problem, then valid):
	 * it counts once. */
	for (i = 0; i < l->nlogins; i++)
		if (strcmp(l->logins[i], login) == 0 && !l->told[i]) {
			l->told[i] = 1;
			l->settled++;
		}
	if (l->settled == l->nlogins)
		login_done(l, l->failed);
}

static void
login_on_refreshed(void *ctx, const char *token)
{
	struct login	*l = ctx;

	if (++l->settled < LOGIN_REFRESHERS)
		return;
	if (token == NULL) {
		login_done(l, 1);
		return;
	}
	printf("%s: %d callers were answered by %u request(s) to the OAuth "
	    "server\n", l->logins[0], LOGIN_REFRESHERS,
	    auth_requests(l->auth));
	login_done(l, 0);
}

static void
login_start_auth(struct login *l)
{
	struct auth_opts	o;
	char			err[512];
	size_t			i;
	int			n;

	memset(&o, 0, sizeof o);
	o.oauth_url = l->url;
	o.client_id = l->client_id[0] != '\0' ? l->client_id : NULL;
	o.dir = l->dir;
	l->auth = auth_new(&l->loop, l->http, &o, login_on_auth, l, err,
	    sizeof err);
	if (l->auth == NULL) {
		login_warn(l, "%s", err);
		login_done(l, 1);
		return;
	}
	if (l->what == LOGIN_REFRESH) {
		for (n = 0; n < LOGIN_REFRESHERS && l->rc == -1; n++)
			auth_refresher(l->auth, l->logins[0],
			    login_on_refreshed, l);
		return;
	}
	if (l->all) {
		/* Those it cannot load come back as AUTH_REVOKED events. */
		auth_watch_all(l->auth);
		return;
	}
	for (i = 0; i < l->nlogins && l->rc == -1; i++)
		if (auth_watch(l->auth, l->logins[i], err, sizeof err) != 0)
			login_on_auth(l, l->logins[i], AUTH_REVOKED, err);
}

/*
 * logout
 */

static void
login_on_revoke(void *arg, const struct http_resp *r)
{
	struct login	*l = arg;
	char		 err[512];
	int		 rc = 0;

	l->call = NULL;
	if (r->status == 200)
		printf("%s: the token is revoked at Twitch.\n", l->logins[0]);
	else if (r->status == 400)
		/* "Invalid token": revoked elsewhere, or expired. (A 404 is
		 * another client id: the token is still alive.) */
		printf("%s: Twitch no longer knew the token.\n", l->logins[0]);
	else {
		login_failed(l, "revoking the token", r);
		login_warn(l, "it stays valid at Twitch until it expires");
		rc = 1;
	}
	if (auth_store_remove(l->dir, l->logins[0], err, sizeof err) < 0) {
		login_warn(l, "%s", err);
		rc = 1;
	} else
		printf("%s: logged out, the stored token is deleted.\n",
		    l->logins[0]);
	login_done(l, rc);
}

static void
login_start_logout(struct login *l)
{
	char	body[1024] = "", err[512];
	int	rc;

	rc = auth_store_load(l->dir, l->logins[0], &l->tok, err, sizeof err);
	if (rc != 0 || l->client_id[0] == '\0') {
		if (rc == 1) {
			login_warn(l, "%s", err);
			login_done(l, 1);
			return;
		}
		login_warn(l, "%s; deleting it without revoking", rc != 0 ?
		    err : "no client id to revoke with (set client_id or "
		    "TWITCH_CLIENT_ID)");
		rc = auth_store_remove(l->dir, l->logins[0], err, sizeof err);
		if (rc < 0)
			login_warn(l, "%s", err);
		else
			printf("%s: logged out, the stored token is "
			    "deleted.\n", l->logins[0]);
		login_done(l, 1);
		return;
	}
	if (oauth_form_add(body, sizeof body, "client_id", l->client_id) ||
	    oauth_form_add(body, sizeof body, "token", l->tok.access)) {
		login_warn(l, "the revoke request does not fit");
		login_done(l, 1);
	} else
		login_request(l, "POST", "/revoke",
		    "Content-Type: application/x-www-form-urlencoded", body,
		    login_on_revoke);
	explicit_bzero(body, sizeof body);
}

/*
 * Start-up.
 */

/* Which accounts the command is about: the arguments, else for logout
 * and --refresh the nick (--nick, nick or default-account) or the only
 * account, for --check every account. */
static int
login_pick(struct login *l, int argc, char **argv, int first)
{
	char	all[AUTH_MAX_ACCOUNTS][AUTH_LOGIN_SIZE], err[128];
	size_t	n, i;
	int	a;

	for (a = first; a < argc && l->nlogins < AUTH_MAX_ACCOUNTS; a++) {
		if (conf_channel(argv[a], l->logins[l->nlogins],
		    sizeof l->logins[0], err, sizeof err) != 0 ||
		    argv[a][0] == '#') {
			login_warn(l, "not a Twitch login (1 to 25 letters, "
			    "digits or '_')");
			return -1;
		}
		l->nlogins++;
	}
	if (l->what == LOGIN_DEVICE && l->nlogins > 0) {
		login_warn(l, "the login is whoever approves the code: no "
		    "argument is taken (see --help)");
		return -1;
	}
	if (l->nlogins > 0 || l->what == LOGIN_DEVICE)
		return 0;
	n = auth_store_list(l->dir, all, AUTH_MAX_ACCOUNTS);
	if (l->what == LOGIN_CHECK) {
		for (i = 0; i < n; i++)
			memcpy(l->logins[l->nlogins++], all[i], sizeof all[i]);
		l->all = 1;
	} else if (l->conf->nick != NULL)
		snprintf(l->logins[l->nlogins++], sizeof l->logins[0], "%s",
		    l->conf->nick);
	else if (n == 1)
		memcpy(l->logins[l->nlogins++], all[0], sizeof all[0]);
	if (l->nlogins > 0)
		return 0;
	if (n == 0)
		login_warn(l, "no account is logged in (run stitch login)");
	else {
		login_warn(l, "which account? name one of:");
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s\n", all[i]);
	}
	return -1;
}

/* Parse the command line and find the client id and the store. 0 to go
 * on; else the exit status + 1. */
static int
login_setup(struct login *l, int argc, char **argv)
{
	const char	*env = getenv("TWITCH_CLIENT_ID");
	char		 err[1024];
	size_t		 i, n;
	int		 rc;

	rc = conf_parse_args(l->conf, argc, argv, l->what == LOGIN_LOGOUT ?
	    NULL : login_options, login_option, l, err, sizeof err);
	if (rc == 1) {
		login_usage(l->name);
		return 1;
	}
	if (rc != 0) {
		login_warn(l, "%s", err);
		return 3;
	}
	/* conf_parse_args leaves getopt's optind past the options (the rest
	 * it took as channel names, which are login names too). */
	for (i = 0; i < l->conf->errors.n; i++)
		login_warn(l, "%s", l->conf->errors.v[i]);
	if (l->conf->client_id != NULL)
		snprintf(l->client_id, sizeof l->client_id, "%s",
		    l->conf->client_id);
	else if (env != NULL && *env != '\0')
		snprintf(l->client_id, sizeof l->client_id, "%s", env);
	if (l->client_id[0] == '\0' && l->what != LOGIN_LOGOUT &&
	    l->what != LOGIN_CHECK) {
		login_warn(l, "no client id: set client_id in the config or "
		    "TWITCH_CLIENT_ID (register an application at "
		    "https://dev.twitch.tv/console as a public client)");
		return 2;
	}
	if (strspn(l->client_id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(l->client_id)) {
		login_warn(l, "the client id is letters and digits only");
		return 2;
	}
	if (auth_store_dir(l->dir, sizeof l->dir) != 0) {
		login_warn(l, "no config directory: set HOME or "
		    "XDG_CONFIG_HOME");
		return 2;
	}
	n = (size_t)snprintf(l->url, sizeof l->url, "%s", l->conf->oauth_url);
	while (n > 0 && n < sizeof l->url && l->url[n - 1] == '/')
		l->url[--n] = '\0';
	if (login_pick(l, argc, argv, optind) != 0)
		return 2;
	if (l->what == LOGIN_REFRESH && l->nlogins != 1) {
		login_warn(l, "--refresh takes one login");
		return 3;
	}
	return 0;
}

/* Close every handle and run the loop until it lets go. */
static void
login_close(struct login *l)
{
	int	i;

	/* Let a refresh in flight (Ctrl+C during --check) reach the store:
	 * Twitch may already have spent the old refresh token. */
	for (i = 0; i < 1000 && auth_busy(l->auth) > 0; i++) {
		uv_run(&l->loop, UV_RUN_NOWAIT);
		uv_sleep(10);
	}
	auth_free(l->auth);
	http_free(l->http);
	uv_close((uv_handle_t *)&l->timer, NULL);
	uv_close((uv_handle_t *)&l->sigint, NULL);
	uv_close((uv_handle_t *)&l->sigterm, NULL);
	signal(SIGINT, SIG_IGN);	/* a late copy must not kill the exit */
	signal(SIGTERM, SIG_IGN);
	for (;;) {
		uv_run(&l->loop, UV_RUN_NOWAIT);
		if (uv_loop_close(&l->loop) == 0)
			break;
		uv_sleep(1);
	}
}

static int
login_run(struct login *l)
{
	struct http_opts	o;
	char			err[512];

	memset(&o, 0, sizeof o);
	o.ca_file = l->conf->ca_file;
	if (uv_loop_init(&l->loop) != 0) {
		login_warn(l, "cannot start the event loop");
		return 1;
	}
	uv_timer_init(&l->loop, &l->timer);
	uv_signal_init(&l->loop, &l->sigint);
	uv_signal_init(&l->loop, &l->sigterm);
	l->timer.data = l->sigint.data = l->sigterm.data = l;
	uv_signal_start(&l->sigint, login_on_signal, SIGINT);
	uv_signal_start(&l->sigterm, login_on_signal, SIGTERM);
	l->http = http_new(&l->loop, &o, err, sizeof err);
	if (l->http == NULL) {
		login_warn(l, "%s", err);
		l->rc = 1;
	} else if (l->what == LOGIN_DEVICE)
		login_start_device(l);
	else if (l->what == LOGIN_LOGOUT)
		login_start_logout(l);
	else
		login_start_auth(l);
	if (l->rc == -1)
		uv_run(&l->loop, UV_RUN_DEFAULT);
	if (l->rc == -1) {
		login_warn(l, "stopped with nothing left to do");
		l->rc = 1;
	}
	login_close(l);
	return l->rc;
}

static int
login_common(int argc, char **argv, enum login_what what)
{
	struct login	*l;
	int		 rc;

	if ((l = calloc(1, sizeof *l)) == NULL)
		abort();
	l->what = what;
	l->name = what == LOGIN_LOGOUT ? "logout" : "login";
	l->rc = -1;
	snprintf(l->scopes, sizeof l->scopes, "%s", AUTH_DEFAULT_SCOPES);
	l->conf = conf_new();
	rc = login_setup(l, argc, argv);
	if (rc == 0)
		rc = login_run(l);
	else
		rc--;
	conf_free(l->conf);
	auth_device_clear(&l->dev);
	auth_token_clear(&l->tok);
	explicit_bzero(l, sizeof *l);
	free(l);
	return rc;
}

int
login_main(int argc, char **argv)
{
	return login_common(argc, argv, LOGIN_DEVICE);
}

int
logout_main(int argc, char **argv)
{
	return login_common(argc, argv, LOGIN_LOGOUT);
}
