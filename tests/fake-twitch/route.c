/*
 * route.c: fake_http_dispatch and what the Helix and OAuth handlers share
 * (see route.h): argument decoding, JSON replies, per-path counters and
 * the HTTP half's admin commands:
 *
 *   approve USER_CODE LOGIN   a pending device code logs in as LOGIN
 *   deny USER_CODE            the user said no: access_denied
 *   expire TOKEN              the access token now fails (401), so a
 *                             client must refresh
 *   expire USER_CODE          the device code is now past expires_in
 *   revoke TOKEN              as POST /oauth2/revoke
 *   helix-bucket N            every Helix bucket now holds N points
 *   helix-fault N KIND        the next N Helix replies: 500, 429,
 *                             malformed (cut JSON) or slow (2 s late)
 *   http-stats                the "stat http ..." lines alone
 *
 * and, in "stats", lines "stat http path=P method=M requests=N".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "route.h"
#include "seed.h"

#define ROUTE_MAX_PATHS	128

static struct {
	struct {
		char		 method[8];
		char		 path[64];
		unsigned long	 n;
	}		 paths[ROUTE_MAX_PATHS];
	size_t		 npaths;
	unsigned long	 other;		/* past ROUTE_MAX_PATHS */
} route;

void
fake_http_header_add(struct fake_http_resp *resp, const char *name,
    const char *value)
{
	struct fake_http_header	*h;

	if (resp->nheaders >= FAKE_HTTP_MAX_HEADERS)
		return;
	h = &resp->headers[resp->nheaders++];
	snprintf(h->name, sizeof h->name, "%s", name);
	snprintf(h->value, sizeof h->value, "%s", value);
}

static int
route_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..len) into buf; -1 if it does not fit or holds a NUL. */
static int
route_decode(const char *s, size_t len, char *buf, size_t bufsz)
{
	size_t	i, n = 0;
	int	hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < len &&
		    (hi = route_hex(s[i + 1])) >= 0 &&
		    (lo = route_hex(s[i + 2])) >= 0) {
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == 0 || n + 1 >= bufsz)
			return -1;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return (int)n;
}

int
route_arg(const char *q, const char *name, int idx, char *buf, size_t bufsz)
{
	size_t		 nl = strlen(name), len;
	const char	*p = q, *amp, *eq;

	if (q == NULL)
		return -1;
	while (*p != '\0') {
		amp = strchr(p, '&');
		len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', len);
		if (eq != NULL && (size_t)(eq - p) == nl &&
		    memcmp(p, name, nl) == 0 && idx-- == 0)
			return route_decode(eq + 1, len - nl - 1, buf, bufsz);
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return -1;
}

int
route_nargs(const char *q, const char *name)
{
	size_t		 nl = strlen(name), len;
	const char	*p = q, *amp;
	int		 n = 0;

	if (q == NULL)
		return 0;
	while (*p != '\0') {
		amp = strchr(p, '&');
		len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if (len > nl && p[nl] == '=' && memcmp(p, name, nl) == 0)
			n++;
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return n;
}

const char *
route_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

void
route_json(struct fake_http_resp *resp, int status, cJSON *root)
{
	resp->status = status;
	free(resp->body);
	if ((resp->body = cJSON_PrintUnformatted(root)) == NULL) {
		fputs("fake-twitch: out of memory (json)\n", stderr);
		abort();
	}
	resp->body_len = strlen(resp->body);
	cJSON_Delete(root);
}

void
route_helix_error(struct fake_http_resp *resp, int status, const char *msg)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error", route_reason(status));
	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddStringToObject(o, "message", msg);
	route_json(resp, status, o);
}

void
route_oauth_error(struct fake_http_resp *resp, int status, const char *msg)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddStringToObject(o, "message", msg);
	route_json(resp, status, o);
}

static void
route_count(const char *method, const char *path)
{
	size_t	i;

	for (i = 0; i < route.npaths; i++)
		if (strcmp(route.paths[i].path, path) == 0 &&
		    strcmp(route.paths[i].method, method) == 0) {
			route.paths[i].n++;
			return;
		}
	if (route.npaths == ROUTE_MAX_PATHS || strlen(path) >=
	    sizeof route.paths[0].path) {
		route.other++;
		return;
	}
	snprintf(route.paths[i].method, sizeof route.paths[i].method, "%s",
	    method);
	snprintf(route.paths[i].path, sizeof route.paths[i].path, "%s", path);
	route.paths[i].n = 1;
	route.npaths++;
}

void
fake_http_dispatch(struct fake_world *w, const struct fake_http_req *req,
    struct fake_http_resp *resp)
{
	route_count(req->method, req->path);
	if (w != NULL && strncmp(req->path, "/helix/", 7) == 0 &&
	    helix_handle(w, req, resp) == 0)
		return;
	if (w != NULL && strncmp(req->path, "/oauth2/", 8) == 0 &&
	    oauth_handle(w, req, resp) == 0)
		return;
	if (strncmp(req->path, "/oauth2/", 8) == 0)
		route_oauth_error(resp, 404, "404 page not found");
	else
		route_helix_error(resp, 404, "Not Found");
}

void
route_usage(FILE *f)
{
	fputs("\nHelix (/helix, Client-Id and Bearer token; Ratelimit-* headers; "
	    "first/after paging):\n"
	    "  GET users streams streams/followed channels chat/chatters\n"
	    "      moderation/moderators moderation/banned channels/vips\n"
	    "      channels/followers channels/followed chat/settings "
	    "chat/color\n"
	    "      chat/badges chat/badges/global chat/emotes "
	    "chat/emotes/global\n"
	    "  POST chat/announcements (USERNOTICE)\n"
	    "  PATCH chat/settings (ROOMSTATE)   POST moderation/bans "
	    "(CLEARCHAT)\n"
	    "  DELETE moderation/bans   DELETE moderation/chat (CLEARMSG or "
	    "CLEARCHAT)\n"
	    "  POST whispers (204)   POST chat/messages (PRIVMSG)\n"
	    "OAuth (/oauth2): POST device, POST token (device_code, "
	    "refresh_token),\n"
	    "  GET validate (Authorization: OAuth TOKEN), POST revoke\n"
	    "Admin port, besides chat's commands (control.h): approve USER_CODE "
	    "LOGIN,\n"
	    "  deny USER_CODE, expire TOKEN, revoke TOKEN, helix-bucket N,\n"
	    "  helix-fault N 500|429|malformed|slow, http-stats; stats counts "
	    "requests\n"
	    "  per path. Seed keys: see tests/fake-twitch/seed.h.\n", f);
}

void
route_stats(route_emit_fn emit, void *arg)
{
	char	line[160];
	size_t	i;

	for (i = 0; i < route.npaths; i++) {
		snprintf(line, sizeof line, "stat http path=%s method=%s "
		    "requests=%lu", route.paths[i].path,
		    route.paths[i].method, route.paths[i].n);
		emit(arg, line);
	}
	if (route.other > 0) {
		snprintf(line, sizeof line, "stat http path=(other) "
		    "requests=%lu", route.other);
		emit(arg, line);
	}
	snprintf(line, sizeof line, "stat helix_faults_left=%u",
	    helix_fault_left());
	emit(arg, line);
}

/* Cut the first word off *p, in place; NULL when none is left. */
static char *
route_word(char **p)
{
	char	*w;

	while (**p == ' ')
		(*p)++;
	if (**p == '\0')
		return NULL;
	w = *p;
	while (**p != '\0' && **p != ' ')
		(*p)++;
	if (**p == ' ')
		*(*p)++ = '\0';
	return w;
}

static int
route_uint(const char *s, unsigned long max, unsigned *out)
{
	char		*end;
	unsigned long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "ok WHAT" or "err WHAT" (kind is "ok" or "err"). */
static void
route_say(route_emit_fn emit, void *arg, const char *kind, const char *s)
{
	char	line[256];

	snprintf(line, sizeof line, "%s %s", kind, s);
	emit(arg, line);
}

static void
route_cmd_token(struct fake_world *w, const char *cmd, char *args,
    route_emit_fn emit, void *arg)
{
	char			*tok = route_word(&args), msg[64];
	struct seed_token	*t;
	struct seed_device	*d;

	if (tok != NULL && strcmp(cmd, "expire") == 0 &&
	    seed_token_find(w, tok) == NULL &&
	    (d = seed_device_by_user_code(w, tok)) != NULL) {
		d->expires_ms = 1;
		route_say(emit, arg, "ok", "expire device code");
		return;
	}
	if (tok == NULL || (t = seed_token_find(w, tok)) == NULL) {
		/* Never echo the token back: logs keep admin answers. */
		snprintf(msg, sizeof msg, "%s: no such token", cmd);
		route_say(emit, arg, "err", msg);
		return;
	}
	if (strcmp(cmd, "expire") == 0)
		t->expires_ms = 1;
	else
		t->revoked = 1;
	route_say(emit, arg, "ok", cmd);
}

int
route_control(const char *cmd, char *args, route_emit_fn emit, void *arg)
{
	struct fake_world	*w = seed_current();
	char			 msg[200], *a, *b;
	unsigned		 n;

	if (w == NULL)
		return -1;
	if (strcmp(cmd, "approve") == 0 || strcmp(cmd, "deny") == 0) {
		a = route_word(&args);
		b = route_word(&args);
		if (a == NULL || (*cmd == 'a' && b == NULL)) {
			route_say(emit, arg, "err", *cmd == 'a' ?
			    "approve USER_CODE LOGIN" : "deny USER_CODE");
			return 0;
		}
		if ((*cmd == 'a' ? oauth_approve(w, a, b, msg, sizeof msg) :
		    oauth_deny(w, a, msg, sizeof msg)) != 0)
			route_say(emit, arg, "err", msg);
		else
			route_say(emit, arg, "ok", msg);
	} else if (strcmp(cmd, "expire") == 0 || strcmp(cmd, "revoke") == 0)
		route_cmd_token(w, cmd, args, emit, arg);
	else if (strcmp(cmd, "helix-bucket") == 0) {
		if (route_uint(route_word(&args), 1000000, &n) != 0 || n == 0) {
			route_say(emit, arg, "err", "helix-bucket N");
			return 0;
		}
		helix_bucket_set(w, n);
		snprintf(msg, sizeof msg, "helix-bucket %u", n);
		route_say(emit, arg, "ok", msg);
	} else if (strcmp(cmd, "helix-fault") == 0) {
		a = route_word(&args);
		b = route_word(&args);
		if (route_uint(a, 1000000, &n) != 0 || b == NULL ||
		    helix_fault_set(n, b) != 0) {
			route_say(emit, arg, "err", "helix-fault N "
			    "500|429|malformed|slow");
			return 0;
		}
		snprintf(msg, sizeof msg, "helix-fault %u %s", n, b);
		route_say(emit, arg, "ok", msg);
	} else if (strcmp(cmd, "http-stats") == 0) {
		route_stats(emit, arg);
		route_say(emit, arg, "ok", "http-stats");
	} else
		return -1;
	return 0;
}
