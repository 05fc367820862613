/*
 * test-auth.c: the OAuth reply decoders, the token store (modes checked
 * with stat whatever the umask, two accounts side by side, damaged files
 * refused with a message that says which and never quotes a token) and the
 * device code flow on a fake clock (pending, slow_down lengthening the
 * interval, expiry by the clock and by the server, denial, flaky server).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "oauth.h"
#include "tap.h"

static char	tmpdir[256];

#define S(x)	x, sizeof x - 1

/*
 * Decoders.
 */

static void
test_device(void)
{
	struct oauth_device	d;
	char			err[256];

	tap_is_int(oauth_parse_device(S("{\"device_code\":\"OFqYdc\","
	    "\"expires_in\":1800,\"interval\":5,\"user_code\":\"JLLKTXWJ\","
	    "\"verification_uri\":\"https://www.twitch.tv/activate?"
	    "device-code=JLLKTXWJ\"}"), &d, err, sizeof err), 0,
	    "device: Twitch's real reply decodes");
	tap_is_str(d.user_code, "JLLKTXWJ", "device: user_code");
	tap_is_str(d.verification_uri, "https://www.twitch.tv/activate?"
	    "device-code=JLLKTXWJ", "device: verification_uri");
	tap_ok(d.interval == 5 && d.expires_in == 1800,
	    "device: interval 5, expires_in 1800");
	tap_is_str(d.device_code, "OFqYdc", "device: device_code");

	tap_is_int(oauth_parse_device(S("{\"device_code\":\"x\","
	    "\"expires_in\":60,\"user_code\":\"AB\","
	    "\"verification_uri\":\"https://a/\"}"), &d, err, sizeof err), 0,
	    "device: no interval is allowed");
	tap_is_int(d.interval, 5, "device: and means 5 s (RFC 8628)");

	tap_is_int(oauth_parse_device(S("{\"device_code\":\"x\","
	    "\"expires_in\":60,\"user_code\":\"A\\u001b[2JB\","
	    "\"verification_uri\":\"https://a/\"}"), &d, err, sizeof err), -1,
	    "device: an escape in the user code is refused");
	tap_ok(strstr(err, "user_code") != NULL && d.user_code[0] == '\0',
	    "device: the message names the field, the struct is empty");
	tap_is_int(oauth_parse_device(S("{\"device_code\":\"x\","
	    "\"expires_in\":60,\"user_code\":\"AB\","
	    "\"verification_uri\":\"javascript:alert(1)\"}"), &d, err,
	    sizeof err), -1, "device: a verification_uri not http(s) is "
	    "refused");
	tap_is_int(oauth_parse_device(S("{\"device_code\":\"x\","
	    "\"expires_in\":-5,\"user_code\":\"AB\","
	    "\"verification_uri\":\"https://a/\"}"), &d, err, sizeof err), -1,
	    "device: a negative expires_in is refused");
	tap_is_int(oauth_parse_device(S("{\"device_code\":\"x\","
	    "\"expires_in\":60,\"interval\":1e300,\"user_code\":\"AB\","
	    "\"verification_uri\":\"https://a/\"}"), &d, err, sizeof err), -1,
	    "device: an absurd interval is refused");
	tap_is_int(oauth_parse_device(S("[1,2]"), &d, err, sizeof err), -1,
	    "device: not an object");
	tap_is_int(oauth_parse_device("{\"device_code\"", 14, &d, err,
	    sizeof err), -1, "device: truncated JSON");
}

static void
test_token(void)
{
	struct oauth_token	t;
	char			err[256];

	tap_is_int(oauth_parse_token(S("{\"access_token\":\"acc123\","
	    "\"expires_in\":14542,\"refresh_token\":\"ref456\","
	    "\"scope\":[\"chat:read\",\"chat:edit\"],\"token_type\":"
	    "\"bearer\"}"), &t, err, sizeof err), 0, "token: decodes");
	tap_ok(strcmp(t.access, "acc123") == 0 &&
	    strcmp(t.refresh, "ref456") == 0 && t.expires_in == 14542,
	    "token: access, refresh, expires_in");
	tap_is_str(t.scopes, "chat:read chat:edit",
	    "token: scopes joined by spaces");
	tap_is_int(oauth_parse_token(S("{\"access_token\":\"acc\","
	    "\"expires_in\":100,\"refresh_token\":\"r\",\"token_type\":"
	    "\"bearer\"}"), &t, err, sizeof err), 0,
	    "token: a success without scope (seen for real) is fine");
	tap_is_str(t.scopes, "", "token: and has no scopes");
	tap_is_int(oauth_parse_token(S("{\"access_token\":\"a b\"}"), &t, err,
	    sizeof err), -1, "token: a blank inside a token is refused");
	tap_ok(strstr(err, "a b") == NULL, "token: the message does not "
	    "quote it");
	tap_is_int(oauth_parse_token(S("{\"access_token\":\"ok\","
	    "\"scope\":\"chat:read\"}"), &t, err, sizeof err), -1,
	    "token: scope must be a list");
	tap_ok(t.access[0] == '\0', "token: a refused reply leaves no token "
	    "behind");
}

static void
test_validate(void)
{
	struct oauth_validate	v;
	char			err[256];

	tap_is_int(oauth_parse_validate(S("{\"client_id\":\"wbmytr93xzw8zbg0p"
	    "1izqyzzc5mbiz\",\"login\":\"twitchdev\",\"scopes\":[\"channel:"
	    "read:subscriptions\"],\"user_id\":\"141981764\",\"expires_in\":"
	    "5520838}"), &v, err, sizeof err), 0, "validate: decodes");
	tap_ok(strcmp(v.login, "twitchdev") == 0 &&
	    strcmp(v.user_id, "141981764") == 0 && v.expires_in == 5520838,
	    "validate: login, user_id, expires_in");
	tap_is_int(oauth_parse_validate(S("{\"client_id\":\"c\",\"login\":"
	    "\"x\",\"scopes\":null,\"user_id\":\"1\",\"expires_in\":0}"), &v,
	    err, sizeof err), 0, "validate: null scopes and 0 expiry");
	tap_is_int(oauth_parse_validate(S("{\"client_id\":\"c\",\"login\":"
	    "\"../etc\",\"user_id\":\"1\",\"expires_in\":1}"), &v, err,
	    sizeof err), -1, "validate: a login that is a path is refused");
	tap_is_int(oauth_parse_validate(S("{\"client_id\":\"c\",\"login\":"
	    "\"Bob\",\"user_id\":\"1\",\"expires_in\":1}"), &v, err,
	    sizeof err), -1, "validate: an uppercase login is refused");
	tap_is_int(oauth_parse_validate(S("{\"client_id\":\"c\",\"login\":"
	    "\"bob\",\"user_id\":\"12a\",\"expires_in\":1}"), &v, err,
	    sizeof err), -1, "validate: a user_id with letters is refused");
}

static void
test_error(void)
{
	char	msg[64];

	tap_is_int(oauth_parse_error(S("{\"status\":400,\"message\":"
	    "\"authorization_pending\"}"), msg, sizeof msg),
	    OAUTH_ERR_PENDING, "error: Twitch's pending shape");
	tap_is_int(oauth_parse_error(S("{\"error\":\"slow_down\"}"), msg,
	    sizeof msg), OAUTH_ERR_SLOW_DOWN, "error: RFC 8628's shape");
	tap_is_int(oauth_parse_error(S("{\"error\":\"Bad Request\",\"status\":"
	    "400,\"message\":\"access_denied\"}"), msg, sizeof msg),
	    OAUTH_ERR_DENIED, "error: message wins over a generic error");
	tap_is_int(oauth_parse_error(S("{\"status\":400,\"message\":"
	    "\"expired_token\"}"), msg, sizeof msg), OAUTH_ERR_EXPIRED,
	    "error: expired_token");
	tap_is_int(oauth_parse_error(S("{\"status\":400,\"message\":"
	    "\"Invalid refresh token\"}"), msg, sizeof msg),
	    OAUTH_ERR_INVALID, "error: invalid refresh token, any case");
	tap_is_int(oauth_parse_error(S("{\"message\":\"bad\\u001b[31m\"}"),
	    msg, sizeof msg), OAUTH_ERR_OTHER, "error: an unknown message");
	tap_is_str(msg, "bad?[31m", "error: its text, with the escape made "
	    "harmless");
	oauth_parse_error(S("{\"message\":\"bad token sekrit-123 and "
	    "sekrit-123\"}"), msg, sizeof msg);
	oauth_redact(msg, "sekrit-123");
	tap_is_str(msg, "bad token **** and ****", "error: a quoted secret "
	    "is redacted");
	tap_is_int(oauth_parse_error(S("<html>"), msg, sizeof msg),
	    OAUTH_ERR_OTHER, "error: not JSON");
	tap_is_str(msg, "", "error: and no text");
}

static void
test_form(void)
{
	char	buf[64] = "", small[12] = "";

	tap_ok(oauth_form_add(buf, sizeof buf, "client_id", "abc") == 0 &&
	    oauth_form_add(buf, sizeof buf, "scopes", "chat:read a&b") == 0,
	    "form: two fields fit");
	tap_is_str(buf, "client_id=abc&scopes=chat%3Aread+a%26b",
	    "form: '&' between, values percent-encoded, space as +");
	tap_is_int(oauth_form_add(small, sizeof small, "name", "value"), 0,
	    "form: a field that just fits");
	tap_is_int(oauth_form_add(small, sizeof small, "b", "c"), -1,
	    "form: one that does not is refused");
	tap_is_str(small, "name=value", "form: and the body is unchanged");
}

/*
 * The store.
 */

static mode_t
test_mode(const char *path)
{
	struct stat	st;

	if (lstat(path, &st) != 0)
		return (mode_t)-1;
	return st.st_mode & 07777;
}

static void
test_fill(struct auth_token *t, const char *login, const char *access,
    const char *refresh)
{
	auth_token_clear(t);
	snprintf(t->login, sizeof t->login, "%s", login);
	snprintf(t->user_id, sizeof t->user_id, "1234");
	snprintf(t->access, sizeof t->access, "%s", access);
	snprintf(t->refresh, sizeof t->refresh, "%s", refresh);
	snprintf(t->scopes, sizeof t->scopes, "chat:read chat:edit");
	t->expires_at = 1700000000;
	t->validated_at = 1699990000;
}

static int
test_file_has(const char *path, const char *what)
{
	char	 buf[4096];
	FILE	*f = fopen(path, "r");
	size_t	 n;

	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

static void
test_write(const char *path, const char *text, mode_t mode)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd == -1 || write(fd, text, strlen(text)) < 0)
		abort();
	fchmod(fd, mode);
	close(fd);
}

static void
test_store(void)
{
	struct auth_token	 t, u;
	char			 dir[512], path[600], err[512];
	char			 list[4][AUTH_LOGIN_SIZE];
	mode_t			 old;

	snprintf(dir, sizeof dir, "%s/xdg/stitch", tmpdir);
	/* A umask that would make everything unreadable, and one that
	 * would make everything world-readable: neither may show. */
	old = umask(0777);
	test_fill(&t, "alice", "access-alice-1", "refresh-alice-1");
	tap_is_int(auth_store_save(dir, &t, err, sizeof err), 0,
	    "store: save alice (umask 0777)");
	umask(0);
	test_fill(&t, "bob", "access-bob-1", "");
	tap_is_int(auth_store_save(dir, &t, err, sizeof err), 0,
	    "store: save bob (umask 0), no refresh token");
	umask(old);

	tap_ok(test_mode(dir) == 0700, "store: new config directory is 0700");
	snprintf(path, sizeof path, "%s/accounts", dir);
	tap_ok(test_mode(path) == 0700, "store: accounts/ is 0700");
	snprintf(path, sizeof path, "%s/accounts/alice", dir);
	tap_ok(test_mode(path) == 0700, "store: accounts/alice/ is 0700");
	snprintf(path, sizeof path, "%s/accounts/alice/token", dir);
	tap_ok(test_mode(path) == 0600, "store: token is 0600");
	tap_ok(test_file_has(path, "access-alice-1\n") &&
	    !test_file_has(path, "refresh"), "store: token holds the access "
	    "token alone");
	snprintf(path, sizeof path, "%s/accounts/bob/session", dir);
	tap_ok(test_mode(path) == 0600, "store: bob's session is 0600");
	snprintf(path, sizeof path, "%s/accounts/alice/.token.XXXXXX", dir);
	tap_ok(access(path, F_OK) != 0, "store: no temporary file is left");

	tap_is_int(auth_store_list(dir, list, 4), 2, "store: two accounts");
	tap_ok(strcmp(list[0], "alice") == 0 && strcmp(list[1], "bob") == 0,
	    "store: listed sorted");

	tap_is_int(auth_store_load(dir, "alice", &u, err, sizeof err), 0,
	    "store: load alice");
	tap_ok(strcmp(u.access, "access-alice-1") == 0 &&
	    strcmp(u.refresh, "refresh-alice-1") == 0 &&
	    strcmp(u.user_id, "1234") == 0 &&
	    strcmp(u.scopes, "chat:read chat:edit") == 0 &&
	    u.expires_at == 1700000000 && u.validated_at == 1699990000,
	    "store: every field comes back");
	tap_is_int(auth_store_load(dir, "bob", &u, err, sizeof err), 0,
	    "store: load bob beside her");
	tap_ok(strcmp(u.access, "access-bob-1") == 0 && u.refresh[0] == '\0',
	    "store: bob's own token, no refresh");

	/* A refresh replaces the pair in place. */
	test_fill(&t, "alice", "access-alice-2", "refresh-alice-2");
	tap_is_int(auth_store_save(dir, &t, err, sizeof err), 0,
	    "store: save alice again");
	auth_store_load(dir, "alice", &u, err, sizeof err);
	tap_ok(strcmp(u.access, "access-alice-2") == 0 &&
	    strcmp(u.refresh, "refresh-alice-2") == 0,
	    "store: the new pair replaced the old one");

	tap_is_int(auth_store_load(dir, "carol", &u, err, sizeof err), 1,
	    "store: an unknown login is 1");
	tap_ok(strstr(err, "carol is not logged in") != NULL,
	    "store: and says to log in");
	tap_is_int(auth_store_load(dir, "../x", &u, err, sizeof err), -1,
	    "store: a path is not a login");

	/* Damaged files. */
	snprintf(path, sizeof path, "%s/accounts/bob/session", dir);
	test_write(path, "login = bob\nuser_id = 12x\nrefresh = secretref\n",
	    0600);
	tap_is_int(auth_store_load(dir, "bob", &u, err, sizeof err), -1,
	    "store: a bad user_id is refused");
	tap_ok(strstr(err, "session:2: user_id is not a number") != NULL,
	    "store: the message names file, line and field");
	tap_ok(u.access[0] == '\0', "store: nothing half-loaded");
	test_write(path, "login = bob\nnonsense\n", 0600);
	auth_store_load(dir, "bob", &u, err, sizeof err);
	tap_ok(strstr(err, ":2: expected key = value") != NULL,
	    "store: a line without '=' is named");
	test_write(path, "login = alice\n", 0600);
	tap_is_int(auth_store_load(dir, "bob", &u, err, sizeof err), -1,
	    "store: a session of another login is refused");
	test_write(path, "refresh = has space\n", 0600);
	auth_store_load(dir, "bob", &u, err, sizeof err);
	tap_ok(strstr(err, "refresh is not a token") != NULL &&
	    strstr(err, "has space") == NULL,
	    "store: a bad refresh token is refused without quoting it");
	test_write(path, "login = bob\n", 0644);
	tap_is_int(auth_store_load(dir, "bob", &u, err, sizeof err), -1,
	    "store: a session others can read is refused");
	tap_ok(strstr(err, "others may read it") != NULL,
	    "store: and says why");
	snprintf(path, sizeof path, "%s/accounts/bob/token", dir);
	test_write(path, "\n\n", 0600);
	auth_store_load(dir, "bob", &u, err, sizeof err);
	tap_ok(strstr(err, "no token on its first line") != NULL,
	    "store: an empty token file is refused");

	/* default-account, and logout. */
	tap_ok(auth_store_set_default(dir, "alice", err, sizeof err) == 0 &&
	    auth_store_get_default(dir, u.login, sizeof u.login) == 0 &&
	    strcmp(u.login, "alice") == 0, "store: default-account");
	snprintf(path, sizeof path, "%s/default-account", dir);
	tap_ok(test_mode(path) == 0600, "store: default-account is 0600");
	tap_is_int(auth_store_remove(dir, "alice", err, sizeof err), 0,
	    "store: remove alice");
	snprintf(path, sizeof path, "%s/accounts/alice", dir);
	tap_ok(access(path, F_OK) != 0, "store: her directory is gone");
	tap_ok(auth_store_get_default(dir, u.login, sizeof u.login) != 0,
	    "store: and default-account with it");
	tap_is_int(auth_store_remove(dir, "alice", err, sizeof err), 1,
	    "store: removing her again says not logged in");
	tap_is_int(auth_store_list(dir, list, 4), 1,
	    "store: bob is still there");
	auth_token_clear(&t);
	auth_token_clear(&u);
}

/* conf (chat's side) finds what the store wrote. */
static struct conf *
test_conf(const char *nick)
{
	struct conf	*c = conf_new();
	char		*argv[] = { (char *)"tail", (char *)"--nick",
			    (char *)nick, NULL }, err[256];

	if (conf_parse_args(c, nick != NULL ? 3 : 1, argv, NULL, NULL, NULL,
	    err, sizeof err) != 0)
		tap_diag("conf: %s", err);
	return c;
}

static void
test_conf_compat(void)
{
	struct auth_token	 t;
	struct conf		*c;
	char			 dir[600], xdg[400], path[700], err[256];

	snprintf(xdg, sizeof xdg, "%s/compat", tmpdir);
	snprintf(dir, sizeof dir, "%s/stitch", xdg);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	unsetenv("STITCH_TOKEN");
	test_fill(&t, "carol", "access-carol", "refresh-carol");
	auth_store_save(dir, &t, err, sizeof err);
	test_fill(&t, "dave", "access-dave", "refresh-dave");
	auth_store_save(dir, &t, err, sizeof err);

	c = test_conf(NULL);
	tap_ok(c->nick == NULL && c->token == NULL,
	    "conf: without default-account, still anonymous");
	conf_free(c);
	auth_store_set_default(dir, "carol", err, sizeof err);
	c = test_conf(NULL);
	tap_is_str(c->nick, "carol", "conf: default-account gives the nick");
	tap_is_str(c->token, "access-carol", "conf: and its stored token");
	auth_store_token_path(dir, "dave", path, sizeof path);
	tap_is_str(conf_token_file(c, "dave"), path,
	    "conf: every stored account has a token file (account.CHANNEL)");
	conf_free(c);
	c = test_conf("dave");
	tap_is_str(c->token, "access-dave", "conf: --nick dave takes dave's "
	    "stored token");
	conf_free(c);
	setenv("STITCH_TOKEN", "envtok", 1);
	c = test_conf(NULL);
	tap_ok(c->nick == NULL, "conf: STITCH_TOKEN without a nick is not "
	    "given default-account's nick");
	conf_free(c);
	unsetenv("STITCH_TOKEN");
	unsetenv("XDG_CONFIG_HOME");
	auth_token_clear(&t);
}

/*
 * The device flow on a fake clock.
 */

static const char device_reply[] = "{\"device_code\":\"dc1\","
    "\"expires_in\":60,\"interval\":5,\"user_code\":\"ABCDEFGH\","
    "\"verification_uri\":\"https://www.twitch.tv/activate\"}";
static const char pending[] = "{\"status\":400,\"message\":"
    "\"authorization_pending\"}";
static const char slow[] = "{\"status\":400,\"message\":\"slow_down\"}";
static const char granted[] = "{\"access_token\":\"at\",\"expires_in\":"
    "14000,\"refresh_token\":\"rt\",\"scope\":[\"chat:read\"],"
    "\"token_type\":\"bearer\"}";

/* Run the clock to the next poll; returns the time it was due. */
static uint64_t
test_next_poll(struct auth_device *d, uint64_t *now)
{
	enum auth_device_state	s;
	uint64_t		w;

	while ((s = auth_device_step(d, *now, &w)) == AUTH_DEVICE_WAIT)
		*now += w;
	return s == AUTH_DEVICE_POLL ? *now : 0;
}

static void
test_flow(void)
{
	struct auth_device	d;
	uint64_t		now = 1000, w, t1, t2, t3;
	char			err[256];

	tap_is_int(auth_device_start(&d, S(device_reply), now, err,
	    sizeof err), 0, "flow: started from a /device reply");
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_WAIT,
	    "flow: no poll at once");
	tap_is_int(w, 5000, "flow: the first poll after one interval");
	tap_is_int(auth_device_step(&d, now + 4999, &w), AUTH_DEVICE_WAIT,
	    "flow: not a millisecond early");
	t1 = test_next_poll(&d, &now);
	tap_is_int(t1, 6000, "flow: first poll at 5 s");
	tap_is_int(auth_device_step(&d, now + 100000, &w), AUTH_DEVICE_BUSY,
	    "flow: while a poll is out nothing else is sent");
	auth_device_reply(&d, 400, S(pending), now);
	t2 = test_next_poll(&d, &now);
	tap_is_int(t2 - t1, 5000, "flow: pending: the next one 5 s later");
	auth_device_reply(&d, 400, S(slow), now);
	t3 = test_next_poll(&d, &now);
	tap_is_int(t3 - t2, 10000, "flow: slow_down: 10 s");
	auth_device_reply(&d, 400, S(slow), now);
	t1 = test_next_poll(&d, &now);
	tap_is_int(t1 - t3, 15000, "flow: slow_down again: 15 s");
	auth_device_reply(&d, 400, S(pending), now);
	t2 = test_next_poll(&d, &now);
	tap_is_int(t2 - t1, 15000, "flow: pending keeps the longer interval");
	tap_is_int(d.slow_downs, 2, "flow: two slow_downs counted");
	auth_device_reply(&d, 200, S(granted), now);
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_DONE,
	    "flow: a token ends it");
	tap_ok(strcmp(d.token.access, "at") == 0 &&
	    strcmp(d.token.refresh, "rt") == 0, "flow: with the token pair");
	tap_is_int(d.polls, 5, "flow: five polls in all");
	auth_device_clear(&d);
	tap_ok(d.token.access[0] == '\0' && d.code.device_code[0] == '\0',
	    "flow: clear wipes the token and the code");

	/* Expiry by the clock: pending until expires_in has passed. */
	now = 0;
	auth_device_start(&d, S(device_reply), now, err, sizeof err);
	while (test_next_poll(&d, &now) != 0)
		auth_device_reply(&d, 400, S(pending), now);
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_EXPIRED,
	    "flow: the clock passing expires_in ends it");
	tap_ok(now == 60000 && d.polls == 11, "flow: at 60 s, after 11 polls");
	tap_ok(strstr(d.error, "expired") != NULL, "flow: says it expired");

	/* Expiry and denial said by the server. */
	auth_device_start(&d, S(device_reply), 0, err, sizeof err);
	now = test_next_poll(&d, &now);
	auth_device_reply(&d, 400, S("{\"status\":400,\"message\":"
	    "\"expired_token\"}"), now);
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_EXPIRED,
	    "flow: expired_token ends it");
	now = 0;
	auth_device_start(&d, S(device_reply), 0, err, sizeof err);
	test_next_poll(&d, &now);
	auth_device_reply(&d, 400, S("{\"status\":400,\"message\":"
	    "\"access_denied\"}"), now);
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_DENIED,
	    "flow: access_denied ends it");
	tap_ok(strstr(d.error, "denied") != NULL, "flow: says it was denied");

	/* A flaky server: a few errors are retried, too many end it. */
	now = 0;
	auth_device_start(&d, S(device_reply), 0, err, sizeof err);
	test_next_poll(&d, &now);
	auth_device_reply(&d, 503, S("oops"), now);
	test_next_poll(&d, &now);
	auth_device_reply(&d, 0, NULL, 0, now);
	tap_is_int(test_next_poll(&d, &now) != 0, 1,
	    "flow: a 503 and a dropped reply are retried");
	auth_device_reply(&d, 400, S(pending), now);
	for (w = 0; w < AUTH_DEVICE_MAX_ERRORS; w++) {
		test_next_poll(&d, &now);
		auth_device_reply(&d, 500, S(""), now);
	}
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_FAILED,
	    "flow: five errors in a row end it");
	now = 0;
	auth_device_start(&d, S(device_reply), 0, err, sizeof err);
	test_next_poll(&d, &now);
	auth_device_reply(&d, 400, S("{\"message\":\"invalid client\"}"), now);
	tap_is_int(auth_device_step(&d, now, &w), AUTH_DEVICE_FAILED,
	    "flow: another 400 ends it");
	tap_ok(strstr(d.error, "invalid client") != NULL,
	    "flow: with the server's reason");
	tap_is_int(auth_device_start(&d, S("{}"), 0, err, sizeof err), -1,
	    "flow: a bad /device reply does not start");
	auth_device_clear(&d);
}

/* The timer's policy: hourly validation, refresh before expiry. */
static void
test_schedule(void)
{
	struct auth_token	t;
	int64_t			now = 1700000000;

	auth_token_clear(&t);
	snprintf(t.access, sizeof t.access, "a");
	tap_is_int(auth_next_delay(&t, 0, now), 3600,
	    "schedule: no expiry known: validate in an hour");
	t.expires_at = now + 4 * 3600;
	tap_is_int(auth_next_delay(&t, 0, now), 3600,
	    "schedule: no refresh token: still hourly, whatever the expiry");
	snprintf(t.refresh, sizeof t.refresh, "r");
	tap_is_int(auth_next_delay(&t, 0, now), 3600,
	    "schedule: expiry in 4 h: validate in an hour");
	t.expires_at = now + 1800;
	tap_is_int(auth_next_delay(&t, 0, now), 1500,
	    "schedule: expiry in 30 min: look 5 min before it");
	tap_ok(!auth_due_refresh(&t, now) &&
	    auth_due_refresh(&t, now + 1500),
	    "schedule: and that look is a refresh, not before");
	t.expires_at = now + 100;
	tap_is_int(auth_next_delay(&t, 0, now), 60,
	    "schedule: a token shorter-lived than the margin: a minute, not "
	    "a loop");
	tap_ok(auth_due_refresh(&t, now), "schedule: due for a refresh now");
	t.expires_at = now + 4 * 3600;
	tap_ok(auth_next_delay(&t, 1, now) == 60 &&
	    auth_next_delay(&t, 2, now) == 120 &&
	    auth_next_delay(&t, 4, now) == 480 &&
	    auth_next_delay(&t, 30, now) == 3600,
	    "schedule: after failures 1, 2, 8 min ... at most an hour");
	auth_token_clear(&t);
}

int
main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/test-auth.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return 99;
	test_device();
	test_token();
	test_validate();
	test_error();
	test_form();
	test_store();
	test_conf_compat();
	test_flow();
	test_schedule();
	if (system(NULL) != 0) {
		char	cmd[400];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", tmpdir);
	}
	return tap_done();
}
