/*
 * oauth.c: Twitch OAuth replies into fixed structs, with every field
 * checked (see oauth.h). cJSON stays in this file.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "oauth.h"

/* What a string field may hold. */
enum oauth_kind {
	OAUTH_SECRET,	/* a token or device code: 0x21..0x7e */
	OAUTH_TEXT,	/* printed to the user: 0x21..0x7e */
	OAUTH_URI,	/* http:// or https://, then 0x21..0x7e */
	OAUTH_LOGIN,	/* [a-z0-9_]{1,25} */
	OAUTH_DIGITS,	/* [0-9]+ */
};

static int
oauth_kind_ok(const char *s, enum oauth_kind kind)
{
	size_t	i;

	if (*s == '\0')
		return 0;
	if (kind == OAUTH_URI && strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "http://", 7) != 0)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char	c = (unsigned char)s[i];

		switch (kind) {
		case OAUTH_LOGIN:
			if (!((c >= 'a' && c <= 'z') || (c >= '0' &&
			    c <= '9') || c == '_') || i >= 25)
				return 0;
			break;
		case OAUTH_DIGITS:
			if (c < '0' || c > '9')
				return 0;
			break;
		default:
			if (c < 0x21 || c > 0x7e)
				return 0;
			break;
		}
	}
	return 1;
}

/* Copy string field key of o into out; 0, or -1 with err filled. A value
 * is never quoted in err: it may be a secret. */
static int
oauth_str(const cJSON *o, const char *what, const char *key,
    enum oauth_kind kind, char *out, size_t outsz, char *err, size_t errsz)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	size_t		 len;

	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		snprintf(err, errsz, "%s reply: no %s", what, key);
		return -1;
	}
	len = strlen(v->valuestring);
	if (len >= outsz) {
		snprintf(err, errsz, "%s reply: %s is too long", what, key);
		return -1;
	}
	if (!oauth_kind_ok(v->valuestring, kind)) {
		snprintf(err, errsz, "%s reply: %s holds characters it "
		    "should not", what, key);
		return -1;
	}
	memcpy(out, v->valuestring, len + 1);
	return 0;
}

/* A whole number in [min, max] for key; def if missing and def_ok. */
static int
oauth_num(const cJSON *o, const char *what, const char *key,
    unsigned long min, unsigned long max, int def_ok, unsigned long def,
    unsigned long *out, char *err, size_t errsz)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	double		 d;

	if (v == NULL || cJSON_IsNull(v)) {
		if (def_ok) {
			*out = def;
			return 0;
		}
		snprintf(err, errsz, "%s reply: no %s", what, key);
		return -1;
	}
	d = cJSON_IsNumber(v) ? v->valuedouble : -1;
	if (!cJSON_IsNumber(v) || d != floor(d) || d < (double)min ||
	    d > (double)max) {
		snprintf(err, errsz, "%s reply: %s is not a number from %lu "
		    "to %lu", what, key, min, max);
		return -1;
	}
	*out = (unsigned long)d;
	return 0;
}

/* Scopes as one space-separated string; a missing or null list is "". */
static int
oauth_scopes(const cJSON *o, const char *what, char *out, size_t outsz,
    char *err, size_t errsz)
{
	const cJSON	*list = cJSON_GetObjectItemCaseSensitive(o, "scope"),
			*v;
	size_t		 len = 0, n;

	if (list == NULL)
		list = cJSON_GetObjectItemCaseSensitive(o, "scopes");
	*out = '\0';
	if (list == NULL || cJSON_IsNull(list))
		return 0;
	if (!cJSON_IsArray(list)) {
		snprintf(err, errsz, "%s reply: scopes are not a list", what);
		return -1;
	}
	cJSON_ArrayForEach(v, list) {
		if (!cJSON_IsString(v) || !oauth_kind_ok(v->valuestring,
		    OAUTH_TEXT)) {
			snprintf(err, errsz, "%s reply: a scope that is not "
			    "a word", what);
			return -1;
		}
		n = strlen(v->valuestring);
		if (len + (len > 0) + n + 1 > outsz) {
			snprintf(err, errsz, "%s reply: too many scopes",
			    what);
			return -1;
		}
		if (len > 0)
			out[len++] = ' ';
		memcpy(out + len, v->valuestring, n + 1);
		len += n;
	}
	return 0;
}

/* Parse body as a JSON object; NULL with err filled. */
static cJSON *
oauth_object(const char *body, size_t len, const char *what, char *err,
    size_t errsz)
{
	cJSON	*root;

	if (len > OAUTH_MAX_BODY) {
		snprintf(err, errsz, "%s reply: larger than %d bytes", what,
		    OAUTH_MAX_BODY);
		return NULL;
	}
	root = cJSON_ParseWithLength(body, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		snprintf(err, errsz, "%s reply: not a JSON object", what);
		return NULL;
	}
	return root;
}

/* cJSON keeps its own copies of the strings; wipe those that are secrets
 * before they go back to the allocator. */
static void
oauth_delete(cJSON *root)
{
	static const char *const secret[] = { "access_token",
	    "refresh_token", "device_code" };
	const cJSON	*v;
	size_t		 i;

	for (i = 0; root != NULL && i < sizeof secret / sizeof secret[0];
	    i++) {
		v = cJSON_GetObjectItemCaseSensitive(root, secret[i]);
		if (cJSON_IsString(v) && v->valuestring != NULL)
			explicit_bzero(v->valuestring, strlen(v->valuestring));
	}
	cJSON_Delete(root);
}

int
oauth_parse_device(const char *body, size_t len, struct oauth_device *out,
    char *err, size_t errsz)
{
	cJSON	*o;
	int	 rc = -1;

	memset(out, 0, sizeof *out);
	if ((o = oauth_object(body, len, "device", err, errsz)) == NULL)
		return -1;
	if (oauth_str(o, "device", "device_code", OAUTH_SECRET,
	    out->device_code, sizeof out->device_code, err, errsz) == 0 &&
	    oauth_str(o, "device", "user_code", OAUTH_TEXT, out->user_code,
	    sizeof out->user_code, err, errsz) == 0 &&
	    oauth_str(o, "device", "verification_uri", OAUTH_URI,
	    out->verification_uri, sizeof out->verification_uri, err,
	    errsz) == 0 &&
	    oauth_num(o, "device", "interval", 1, 60, 1, 5, &out->interval,
	    err, errsz) == 0 &&
	    oauth_num(o, "device", "expires_in", 1, 86400, 0, 0,
	    &out->expires_in, err, errsz) == 0)
		rc = 0;
	oauth_delete(o);
	if (rc != 0)
		oauth_device_clear(out);
	return rc;
}

int
oauth_parse_token(const char *body, size_t len, struct oauth_token *out,
    char *err, size_t errsz)
{
	const cJSON	*rt;
	cJSON		*o;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	if ((o = oauth_object(body, len, "token", err, errsz)) == NULL)
		return -1;
	rt = cJSON_GetObjectItemCaseSensitive(o, "refresh_token");
	if (oauth_str(o, "token", "access_token", OAUTH_SECRET, out->access,
	    sizeof out->access, err, errsz) == 0 &&
	    (rt == NULL || cJSON_IsNull(rt) ||
	    oauth_str(o, "token", "refresh_token", OAUTH_SECRET, out->refresh,
	    sizeof out->refresh, err, errsz) == 0) &&
	    oauth_scopes(o, "token", out->scopes, sizeof out->scopes, err,
	    errsz) == 0 &&
	    oauth_num(o, "token", "expires_in", 0, 100UL * 86400, 1, 0,
	    &out->expires_in, err, errsz) == 0)
		rc = 0;
	oauth_delete(o);
	if (rc != 0)
		oauth_token_clear(out);
	return rc;
}

int
oauth_parse_validate(const char *body, size_t len, struct oauth_validate *out,
    char *err, size_t errsz)
{
	cJSON	*o;
	int	 rc = -1;

	memset(out, 0, sizeof *out);
	if ((o = oauth_object(body, len, "validate", err, errsz)) == NULL)
		return -1;
	if (oauth_str(o, "validate", "login", OAUTH_LOGIN, out->login,
	    sizeof out->login, err, errsz) == 0 &&
	    oauth_str(o, "validate", "user_id", OAUTH_DIGITS, out->user_id,
	    sizeof out->user_id, err, errsz) == 0 &&
	    oauth_str(o, "validate", "client_id", OAUTH_TEXT, out->client_id,
	    sizeof out->client_id, err, errsz) == 0 &&
	    oauth_scopes(o, "validate", out->scopes, sizeof out->scopes, err,
	    errsz) == 0 &&
	    oauth_num(o, "validate", "expires_in", 0, 100UL * 86400, 1, 0,
	    &out->expires_in, err, errsz) == 0)
		rc = 0;
	cJSON_Delete(o);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* s made printable ASCII into msg (cut to fit). */
static void
oauth_safe_copy(const char *s, char *msg, size_t msgsz)
{
	size_t	i;

	if (msgsz == 0)
		return;
	for (i = 0; s[i] != '\0' && i + 1 < msgsz; i++)
		msg[i] = ((unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] > 0x7e) ? '?' : s[i];
	msg[i] = '\0';
}

enum oauth_error
oauth_parse_error(const char *body, size_t len, char *msg, size_t msgsz)
{
	static const struct {
		const char		*text;
		enum oauth_error	 code;
	} known[] = {
		{ "authorization_pending",	OAUTH_ERR_PENDING },
		{ "slow_down",			OAUTH_ERR_SLOW_DOWN },
		{ "expired_token",		OAUTH_ERR_EXPIRED },
		{ "access_denied",		OAUTH_ERR_DENIED },
		{ "invalid device code",	OAUTH_ERR_INVALID },
		{ "invalid refresh token",	OAUTH_ERR_INVALID },
		{ "invalid_grant",		OAUTH_ERR_INVALID },
	};
	static const char *const keys[] = { "message", "error" };
	enum oauth_error code = OAUTH_ERR_OTHER;
	const cJSON	*v;
	cJSON		*o = NULL;
	size_t		 i, k;

	if (msgsz > 0)
		*msg = '\0';
	if (len <= OAUTH_MAX_BODY)
		o = cJSON_ParseWithLength(body, len);
	/* "message" first: Twitch puts the code there and a generic "Bad
	 * Request" in "error". */
	for (k = 0; cJSON_IsObject(o) && k < 2 && code == OAUTH_ERR_OTHER;
	    k++) {
		v = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
		if (!cJSON_IsString(v) || v->valuestring == NULL)
			continue;
		if (msgsz > 0 && *msg == '\0')
			oauth_safe_copy(v->valuestring, msg, msgsz);
		for (i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcasecmp(v->valuestring, known[i].text) == 0) {
				code = known[i].code;
				oauth_safe_copy(v->valuestring, msg, msgsz);
			}
	}
	cJSON_Delete(o);
	return code;
}

void
oauth_redact(char *msg, const char *secret)
{
	size_t	 n = strlen(secret);
	char	*p;

	if (n < 8)
		return;
	while ((p = strstr(msg, secret)) != NULL) {
		memcpy(p, "****", 4);
		memmove(p + 4, p + n, strlen(p + n) + 1);
	}
}

void
oauth_device_clear(struct oauth_device *d)
{
	if (d != NULL)
		explicit_bzero(d, sizeof *d);
}

void
oauth_token_clear(struct oauth_token *t)
{
	if (t != NULL)
		explicit_bzero(t, sizeof *t);
}

/* Left as it is in a form value. */
static int
oauth_form_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

int
oauth_form_add(char *buf, size_t bufsz, const char *name, const char *value)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 len = strnlen(buf, bufsz), need, i;
	unsigned char		 c;

	if (len >= bufsz)
		return -1;
	need = (len > 0) + strlen(name) + 1;
	for (i = 0; value[i] != '\0'; i++) {
		c = (unsigned char)value[i];
		need += oauth_form_plain(c) || c == ' ' ? 1 : 3;
	}
	if (need >= bufsz - len)
		return -1;
	if (len > 0)
		buf[len++] = '&';
	memcpy(buf + len, name, strlen(name));
	len += strlen(name);
	buf[len++] = '=';
	for (i = 0; value[i] != '\0'; i++) {
		c = (unsigned char)value[i];
		if (oauth_form_plain(c))
			buf[len++] = (char)c;
		else if (c == ' ')
			buf[len++] = '+';
		else {
			buf[len++] = '%';
			buf[len++] = hex[c >> 4];
			buf[len++] = hex[c & 15];
		}
	}
	buf[len] = '\0';
	return 0;
}
