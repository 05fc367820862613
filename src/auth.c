/*
 * auth.c: the token store and the device code flow (see auth.h), which
 * are file and clock code; then the session side, which validates and
 * refreshes through struct http on the loop.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "auth.h"
#include "http.h"

#define AUTH_PATH_SIZE		4096
#define AUTH_MAX_FILE		8192	/* a session file is < 3 KiB */
#define AUTH_MAX_INTERVAL_MS	120000
#define AUTH_FRESH_MS		10000	/* a refresh this recent answers */

void
auth_token_clear(struct auth_token *t)
{
	if (t != NULL)
		explicit_bzero(t, sizeof *t);
}

/* [a-z0-9_]{1,25}: what may name a directory under accounts/. */
static int
auth_is_login(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= 25 || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i > 0;
}

/* A token: printable ASCII, no blanks. */
static int
auth_is_token(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return i > 0 && i < OAUTH_TOKEN_SIZE;
}

int
auth_store_dir(char *buf, size_t bufsz)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int		 n;

	if (x != NULL && *x == '/')
		n = snprintf(buf, bufsz, "%s/stitch", x);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, bufsz, "%s/.config/stitch", home);
	else
		return -1;
	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}

/* dir/accounts[/login[/name]] into buf; -1 if it does not fit. */
static int
auth_path(char *buf, size_t bufsz, const char *dir, const char *login,
    const char *name)
{
	int	n;

	if (login == NULL)
		n = snprintf(buf, bufsz, "%s/accounts", dir);
	else if (name == NULL)
		n = snprintf(buf, bufsz, "%s/accounts/%s", dir, login);
	else
		n = snprintf(buf, bufsz, "%s/accounts/%s/%s", dir, login, name);
	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}

int
auth_store_token_path(const char *dir, const char *login, char *buf,
    size_t bufsz)
{
	if (!auth_is_login(login))
		return -1;
	return auth_path(buf, bufsz, dir, login, "token");
}

/*
 * Make path a directory. private: it must be ours, not a symlink, and is
 * made exactly 0700 (chmod after mkdir: a umask can make mkdir's mode
 * narrower than asked, even 0000). Otherwise (the config directory, which
 * may be a symlink into someone's dotfiles) it need only be a directory; a
 * new one is made 0700 all the same.
 */
static int
auth_mkdir(const char *path, int private, char *err, size_t errsz)
{
	struct stat	st;
	int		made;

	made = mkdir(path, 0700) == 0;
	if (!made && errno != EEXIST) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((private ? lstat(path, &st) : stat(path, &st)) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", path);
		return -1;
	}
	if (private && st.st_uid != geteuid()) {
		snprintf(err, errsz, "%s: belongs to another user", path);
		return -1;
	}
	if ((made || private) && (st.st_mode & 07777) != 0700 &&
	    chmod(path, 0700) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p for the parents of the config directory, then it. */
static int
auth_mkdirs(const char *dir, char *err, size_t errsz)
{
	char	 path[AUTH_PATH_SIZE], *p;

	if (strlen(dir) >= sizeof path) {
		snprintf(err, errsz, "config directory: path too long");
		return -1;
	}
	memcpy(path, dir, strlen(dir) + 1);
	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return auth_mkdir(dir, 0, err, errsz);
}

/* Write len bytes to dir/name through a temporary file made 0600 and
 * renamed into place. */
static int
auth_write_file(const char *dir, const char *name, const char *data,
    size_t len, char *err, size_t errsz)
{
	char	 tmp[AUTH_PATH_SIZE], path[AUTH_PATH_SIZE];
	ssize_t	 w;
	size_t	 off = 0;
	int	 fd, n, m;

	n = snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name);
	m = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof tmp || m < 0 ||
	    (size_t)m >= sizeof path) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) != 0)
		goto fail;
	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errsz, "%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * Read a whole small file into buf (NUL-terminated). Returns 0; 1 if it
 * does not exist; -1 with err filled if it is not a regular file of ours,
 * others may read it, or it is too big.
 */
static int
auth_read_file(const char *path, char *buf, size_t bufsz, char *err,
    size_t errsz)
{
	struct stat	st;
	ssize_t		r;
	size_t		len = 0;
	int		fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errsz, "%s: others may read it, so its tokens "
		    "must be taken as known: run stitch logout, then stitch "
		    "login", path);
		close(fd);
		return -1;
	}
	while (len + 1 < bufsz) {
		r = read(fd, buf + len, bufsz - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	if (len + 1 >= bufsz || (off_t)len != st.st_size) {
		snprintf(err, errsz, "%s: %s", path, len + 1 >= bufsz ?
		    "too big to be ours" : "could not read it whole");
		explicit_bzero(buf, bufsz);
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errsz, "%s: holds a NUL byte: not ours, or "
		    "damaged; run stitch login again", path);
		explicit_bzero(buf, bufsz);
		return -1;
	}
	return 0;
}

/* Blanks off both ends, in place. */
static char *
auth_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A whole decimal number in [0, INT64_MAX]. */
static int
auth_int64(const char *s, int64_t *out)
{
	int64_t	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

/* One `key = value` line of a session file into t; NULL, or what is
 * wrong with it (never quoting the value). */
static const char *
auth_session_line(struct auth_token *t, char *line)
{
	char	*eq = strchr(line, '='), *key, *value;
	size_t	 len;

	if (eq == NULL)
		return "expected key = value";
	*eq = '\0';
	key = auth_trim(line);
	value = auth_trim(eq + 1);
	len = strlen(value);
	if (strcmp(key, "login") == 0) {
		if (!auth_is_login(value))
			return "login is not a Twitch login";
		memcpy(t->login, value, len + 1);
	} else if (strcmp(key, "user_id") == 0) {
		if (len >= sizeof t->user_id ||
		    strspn(value, "0123456789") != len)
			return "user_id is not a number";
		memcpy(t->user_id, value, len + 1);
	} else if (strcmp(key, "refresh") == 0) {
		if (len > 0 && !auth_is_token(value))
			return "refresh is not a token";
		memcpy(t->refresh, value, len + 1);
	} else if (strcmp(key, "scopes") == 0) {
		if (len >= sizeof t->scopes)
			return "scopes are too long";
		memcpy(t->scopes, value, len + 1);
	} else if (strcmp(key, "expires_at") == 0) {
		if (auth_int64(value, &t->expires_at) != 0)
			return "expires_at is not a time";
	} else if (strcmp(key, "validated_at") == 0) {
		if (auth_int64(value, &t->validated_at) != 0)
			return "validated_at is not a time";
	}
	/* Other keys: from a newer stitch; kept out, not an error. */
	return NULL;
}

/* The session file's text into t; -1 with err naming the line. */
static int
auth_session_parse(struct auth_token *t, char *text, const char *path,
    char *err, size_t errsz)
{
	char		*line = text, *nl;
	const char	*why;
	unsigned	 lineno = 0;

	for (; line != NULL && *line != '\0'; line = nl) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		line = auth_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((why = auth_session_line(t, line)) != NULL) {
			snprintf(err, errsz, "%s:%u: %s; run stitch login "
			    "again", path, lineno, why);
			return -1;
		}
	}
	return 0;
}

/* The first line of a token file, checked, into t->access. */
static int
auth_token_parse(struct auth_token *t, char *text, const char *path,
    char *err, size_t errsz)
{
	char	*tok;

	text[strcspn(text, "\n")] = '\0';
	tok = auth_trim(text);
	if (strncasecmp(tok, "oauth:", 6) == 0)
		tok += 6;
	if (!auth_is_token(tok)) {
		snprintf(err, errsz, "%s: no token on its first line; run "
		    "stitch login again", path);
		return -1;
	}
	memcpy(t->access, tok, strlen(tok) + 1);
	return 0;
}

int
auth_store_load(const char *dir, const char *login, struct auth_token *t,
    char *err, size_t errsz)
{
	char	path[AUTH_PATH_SIZE], text[AUTH_MAX_FILE];
	int	rc;

	auth_token_clear(t);
	if (!auth_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login (1 to 25 letters, "
		    "digits or '_')");
		return -1;
	}
	if (auth_path(path, sizeof path, dir, login, "token") != 0) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	rc = auth_read_file(path, text, sizeof text, err, errsz);
	if (rc == 1)
		snprintf(err, errsz, "%s is not logged in (run stitch login)",
		    login);
	if (rc == 0)
		rc = auth_token_parse(t, text, path, err, errsz);
	explicit_bzero(text, sizeof text);
	if (rc == 0 && auth_path(path, sizeof path, dir, login,
	    "session") == 0) {
		rc = auth_read_file(path, text, sizeof text, err, errsz);
		if (rc == 1) {
			/* A token file alone (written by hand): usable for
			 * chat, not refreshable. */
			rc = 0;
		} else if (rc == 0)
			rc = auth_session_parse(t, text, path, err, errsz);
		explicit_bzero(text, sizeof text);
		if (rc == 0 && t->login[0] != '\0' &&
		    strcmp(t->login, login) != 0) {
			snprintf(err, errsz, "%s: made for another login; "
			    "run stitch login again", path);
			rc = -1;
		}
	}
	if (rc == 0)
		memcpy(t->login, login, strlen(login) + 1);
	else
		auth_token_clear(t);
	return rc;
}

int
auth_store_save(const char *dir, const struct auth_token *t, char *err,
    size_t errsz)
{
	char	 path[AUTH_PATH_SIZE], text[AUTH_MAX_FILE];
	int	 n, rc;

	if (!auth_is_login(t->login) || !auth_is_token(t->access) ||
	    (t->refresh[0] != '\0' && !auth_is_token(t->refresh)) ||
	    strchr(t->scopes, '\n') != NULL) {
		snprintf(err, errsz, "refusing to store a malformed token");
		return -1;
	}
	if (auth_mkdirs(dir, err, errsz) != 0 ||
	    auth_path(path, sizeof path, dir, NULL, NULL) != 0 ||
	    auth_mkdir(path, 1, err, errsz) != 0 ||
	    auth_path(path, sizeof path, dir, t->login, NULL) != 0 ||
	    auth_mkdir(path, 1, err, errsz) != 0)
		return -1;
	/* The session first: if we stop between the two, the old access
	 * token still works until it expires and the new refresh token can
	 * replace it; the other order could lose the only refresh token. */
	n = snprintf(text, sizeof text, "# stitch: tokens of %s; keep this "
	    "file secret\nlogin = %s\nuser_id = %s\nrefresh = %s\n"
	    "scopes = %s\nexpires_at = %lld\nvalidated_at = %lld\n",
	    t->login, t->login, t->user_id, t->refresh, t->scopes,
	    (long long)t->expires_at, (long long)t->validated_at);
	if (n < 0 || (size_t)n >= sizeof text)
		rc = -1, snprintf(err, errsz, "session too long to store");
	else
		rc = auth_write_file(path, "session", text, (size_t)n, err,
		    errsz);
	if (rc == 0) {
		n = snprintf(text, sizeof text, "%s\n", t->access);
		rc = auth_write_file(path, "token", text, (size_t)n, err,
		    errsz);
	}
	explicit_bzero(text, sizeof text);
	return rc;
}

int
auth_store_remove(const char *dir, const char *login, char *err,
    size_t errsz)
{
	static const char *const files[] = { "token", "session" };
	char	path[AUTH_PATH_SIZE], def[AUTH_LOGIN_SIZE];
	size_t	i;
	int	found = 0;

	if (!auth_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login");
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (auth_path(path, sizeof path, dir, login, files[i]) != 0)
			return snprintf(err, errsz, "path too long"), -1;
		if (unlink(path) == 0)
			found = 1;
		else if (errno != ENOENT) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (auth_path(path, sizeof path, dir, login, NULL) == 0 &&
	    rmdir(path) != 0 && errno != ENOENT) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (auth_store_get_default(dir, def, sizeof def) == 0 &&
	    strcmp(def, login) == 0 &&
	    auth_store_set_default(dir, NULL, err, errsz) != 0)
		return -1;
	if (!found)
		snprintf(err, errsz, "%s is not logged in", login);
	return found ? 0 : 1;
}

static int
auth_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t
auth_store_list(const char *dir, char (*logins)[AUTH_LOGIN_SIZE], size_t max)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*d;
	char		 path[AUTH_PATH_SIZE];
	size_t		 n = 0;

	if (auth_path(path, sizeof path, dir, NULL, NULL) != 0 ||
	    (d = opendir(path)) == NULL)
		return 0;
	while (n < max && (e = readdir(d)) != NULL) {
		if (!auth_is_login(e->d_name) ||
		    auth_path(path, sizeof path, dir, e->d_name, "token") != 0 ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		memcpy(logins[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	qsort(logins, n, sizeof *logins, auth_cmp);
	return n;
}

int
auth_store_get_default(const char *dir, char *login, size_t loginsz)
{
	char	path[AUTH_PATH_SIZE], text[256], err[64], *s;
	int	n;

	n = snprintf(path, sizeof path, "%s/default-account", dir);
	if (n < 0 || (size_t)n >= sizeof path ||
	    auth_read_file(path, text, sizeof text, err, sizeof err) != 0)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	s = auth_trim(text);
	if (!auth_is_login(s) || strlen(s) >= loginsz)
		return -1;
	memcpy(login, s, strlen(s) + 1);
	return 0;
}

int
auth_store_set_default(const char *dir, const char *login, char *err,
    size_t errsz)
{
	char	path[AUTH_PATH_SIZE], text[64];
	int	n;

	if (login == NULL) {
		n = snprintf(path, sizeof path, "%s/default-account", dir);
		if (n < 0 || (size_t)n >= sizeof path ||
		    (unlink(path) != 0 && errno != ENOENT)) {
			snprintf(err, errsz, "%s: cannot remove it", path);
			return -1;
		}
		return 0;
	}
	if (!auth_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login");
		return -1;
	}
	if (auth_mkdirs(dir, err, errsz) != 0)
		return -1;
	n = snprintf(text, sizeof text, "%s\n", login);
	return auth_write_file(dir, "default-account", text, (size_t)n, err,
	    errsz);
}

/*
 * The device code flow.
 */

int
auth_device_start(struct auth_device *d, const char *body, size_t len,
    uint64_t now_ms, char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	if (oauth_parse_device(body, len, &d->code, err, errsz) != 0)
		return -1;
	d->interval_ms = (uint64_t)d->code.interval * 1000;
	d->deadline_ms = now_ms + (uint64_t)d->code.expires_in * 1000;
	/* The user cannot have typed the code yet: the first poll waits
	 * one interval too. */
	d->next_ms = now_ms + d->interval_ms;
	d->state = AUTH_DEVICE_WAIT;
	return 0;
}

enum auth_device_state
auth_device_step(struct auth_device *d, uint64_t now_ms, uint64_t *wait_ms)
{
	uint64_t	until;

	if (wait_ms != NULL)
		*wait_ms = 0;
	if (d->state != AUTH_DEVICE_WAIT)
		return d->state;
	if (now_ms >= d->deadline_ms) {
		d->state = AUTH_DEVICE_EXPIRED;
		snprintf(d->error, sizeof d->error, "the code expired before "
		    "it was entered; run stitch login again");
		return d->state;
	}
	if (now_ms >= d->next_ms) {
		d->state = AUTH_DEVICE_BUSY;
		d->polls++;
		return AUTH_DEVICE_POLL;
	}
	until = d->next_ms < d->deadline_ms ? d->next_ms : d->deadline_ms;
	if (wait_ms != NULL)
		*wait_ms = until - now_ms;
	return AUTH_DEVICE_WAIT;
}

/* Poll again after the interval. */
static void
auth_device_again(struct auth_device *d, uint64_t now_ms)
{
	d->next_ms = now_ms + d->interval_ms;
	d->state = AUTH_DEVICE_WAIT;
}

void
auth_device_reply(struct auth_device *d, int status, const char *body,
    size_t len, uint64_t now_ms)
{
	enum oauth_error code;
	char	msg[128], err[256];

	if (d->state != AUTH_DEVICE_BUSY)
		return;
	if (status == 200) {
		if (oauth_parse_token(body, len, &d->token, err,
		    sizeof err) == 0)
			d->state = AUTH_DEVICE_DONE;
		else {
			d->state = AUTH_DEVICE_FAILED;
			snprintf(d->error, sizeof d->error, "%s", err);
		}
		return;
	}
	if (status == 0 || status == 429 || status >= 500) {
		/* Not an answer about the code: the network or the server
		 * is having a bad moment. */
		if (++d->errors >= AUTH_DEVICE_MAX_ERRORS) {
			d->state = AUTH_DEVICE_FAILED;
			snprintf(d->error, sizeof d->error, "the OAuth server "
			    "did not answer %u polls in a row (last: %s)",
			    d->errors, status == 0 ? "no reply" : "HTTP error");
		} else
			auth_device_again(d, now_ms);
		return;
	}
	d->errors = 0;
	code = oauth_parse_error(body, len, msg, sizeof msg);
	oauth_redact(msg, d->code.device_code);
	switch (code) {
	case OAUTH_ERR_PENDING:
		auth_device_again(d, now_ms);
		return;
	case OAUTH_ERR_SLOW_DOWN:
		d->slow_downs++;
		if (d->interval_ms + 5000 <= AUTH_MAX_INTERVAL_MS)
			d->interval_ms += 5000;
		auth_device_again(d, now_ms);
		return;
	case OAUTH_ERR_EXPIRED:
		d->state = AUTH_DEVICE_EXPIRED;
		snprintf(d->error, sizeof d->error, "the code expired before "
		    "it was entered; run stitch login again");
		return;
	case OAUTH_ERR_DENIED:
		d->state = AUTH_DEVICE_DENIED;
		snprintf(d->error, sizeof d->error, "authorization was denied "
		    "on Twitch; nothing was stored");
		return;
	default:
		d->state = AUTH_DEVICE_FAILED;
		snprintf(d->error, sizeof d->error, "the OAuth server "
		    "refused: %s (HTTP %d)", *msg != '\0' ? msg :
		    "no reason given", status);
		return;
	}
}

void
auth_device_clear(struct auth_device *d)
{
	if (d != NULL)
		explicit_bzero(d, sizeof *d);
}

/*
 * The session side: validate and refresh on the loop.
 */

enum auth_busy {
	AUTH_IDLE,
	AUTH_VALIDATING,
	AUTH_REFRESHING,
};

struct auth_waiter {
	void		(*done)(void *, const char *);
	void		 *ctx;
};

struct auth_acct {
	struct auth		*auth;		/* NULL once auth is freed */
	struct auth_token	 tok;
	uv_timer_t		 timer;
	struct http_call	*call;
	enum auth_busy		 busy;
	uint64_t		 refreshed_ms;	/* loop time of the last one */
	int			 watched;
	unsigned		 failures;	/* in a row, for the back-off */
	struct auth_waiter	*waiters;
	size_t			 nwaiters;
};

struct auth {
	uv_loop_t		*loop;
	struct http		*http;
	char			 oauth_url[1024];
	char			 client_id[256];
	char			 dir[AUTH_PATH_SIZE];
	auth_event_cb		 cb;
	void			*arg;
	struct auth_acct	**accts;
	size_t			 naccts;
	unsigned		 requests;
};

static void	auth_refresh(struct auth_acct *);
static void	auth_on_timer(uv_timer_t *);

static void
auth_event(struct auth_acct *ac, enum auth_event ev, const char *msg)
{
	if (ac->auth->cb != NULL)
		ac->auth->cb(ac->auth->arg, ac->tok.login, ev, msg);
}

struct auth *
auth_new(uv_loop_t *loop, struct http *http, const struct auth_opts *o,
    auth_event_cb cb, void *arg, char *err, size_t errsz)
{
	struct auth	*a;
	const char	*url = o != NULL && o->oauth_url != NULL ?
			    o->oauth_url : "https://id.twitch.tv/oauth2";
	int		 n;

	if ((a = calloc(1, sizeof *a)) == NULL)
		abort();
	a->loop = loop;
	a->http = http;
	a->cb = cb;
	a->arg = arg;
	n = snprintf(a->oauth_url, sizeof a->oauth_url, "%s", url);
	/* "https://host/oauth2/" and ".../oauth2" mean the same. */
	while (n > 0 && a->oauth_url[n - 1] == '/')
		a->oauth_url[--n] = '\0';
	if (o != NULL && o->client_id != NULL)
		snprintf(a->client_id, sizeof a->client_id, "%s", o->client_id);
	if (o != NULL && o->dir != NULL)
		n = snprintf(a->dir, sizeof a->dir, "%s", o->dir) <
		    (int)sizeof a->dir ? 0 : -1;
	else
		n = auth_store_dir(a->dir, sizeof a->dir);
	if (n != 0) {
		snprintf(err, errsz, "no config directory: set HOME or "
		    "XDG_CONFIG_HOME");
		free(a);
		return NULL;
	}
	return a;
}

static void
auth_acct_closed(uv_handle_t *h)
{
	struct auth_acct	*ac = h->data;

	auth_token_clear(&ac->tok);
	free(ac->waiters);
	free(ac);
}

void
auth_free(struct auth *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->naccts; i++) {
		http_cancel(a->accts[i]->call);
		a->accts[i]->auth = NULL;
		uv_close((uv_handle_t *)&a->accts[i]->timer, auth_acct_closed);
	}
	free(a->accts);
	explicit_bzero(a, sizeof *a);
	free(a);
}

static struct auth_acct *
auth_find(struct auth *a, const char *login)
{
	size_t	i;

	for (i = 0; i < a->naccts; i++)
		if (strcmp(a->accts[i]->tok.login, login) == 0)
			return a->accts[i];
	return NULL;
}

/* login's account, loaded from the store on first use; NULL with err. */
static struct auth_acct *
auth_get(struct auth *a, const char *login, char *err, size_t errsz)
{
	struct auth_acct	*ac;
	struct auth_acct	**v;

	if ((ac = auth_find(a, login)) != NULL)
		return ac;
	if ((ac = calloc(1, sizeof *ac)) == NULL)
		abort();
	if (auth_store_load(a->dir, login, &ac->tok, err, errsz) != 0) {
		free(ac);
		return NULL;
	}
	v = realloc(a->accts, (a->naccts + 1) * sizeof *v);
	if (v == NULL)
		abort();
	a->accts = v;
	a->accts[a->naccts++] = ac;
	ac->auth = a;
	uv_timer_init(a->loop, &ac->timer);
	ac->timer.data = ac;
	return ac;
}

/* The next look at ac: an hour from now, or a refresh shortly before the
 * token expires, or sooner after failures (1, 2, 4 ... 60 min). */
static void
auth_schedule(struct auth_acct *ac)
{
	int64_t	now = (int64_t)time(NULL), delay = AUTH_VALIDATE_EVERY_S, due;

	if (!ac->watched)
		return;
	if (ac->failures > 0) {
		delay = 60LL << (ac->failures > 6 ? 6 : ac->failures - 1);
		if (delay > AUTH_VALIDATE_EVERY_S)
			delay = AUTH_VALIDATE_EVERY_S;
	}
	if (ac->tok.expires_at > 0 && ac->tok.refresh[0] != '\0') {
		due = ac->tok.expires_at - AUTH_REFRESH_MARGIN_S - now;
		if (due < delay)
			delay = due < 0 ? 0 : due;
	}
	uv_timer_start(&ac->timer, auth_on_timer, (uint64_t)delay * 1000, 0);
}

/* Hand the token (NULL: none) to everyone waiting for a refresh. The list
 * is taken first: a callback may ask again. */
static void
auth_finish(struct auth_acct *ac, const char *token)
{
	struct auth_waiter	*w = ac->waiters;
	size_t			 n = ac->nwaiters, i;

	ac->waiters = NULL;
	ac->nwaiters = 0;
	for (i = 0; i < n; i++)
		w[i].done(w[i].ctx, token);
	free(w);
}

/* A failure the user can only fix by logging in again. */
static void
auth_dead(struct auth_acct *ac, const char *why)
{
	char	msg[512];

	snprintf(msg, sizeof msg, "%s; run stitch login", why);
	auth_event(ac, AUTH_REVOKED, msg);
	auth_finish(ac, NULL);
}

/* No answer worth the name: try again later. */
static void
auth_trouble(struct auth_acct *ac, const char *what,
    const struct http_resp *r)
{
	char	msg[512];

	ac->failures++;
	if (r->error != NULL)
		snprintf(msg, sizeof msg, "%s: %s", what, r->error);
	else
		snprintf(msg, sizeof msg, "%s: HTTP %ld", what, r->status);
	auth_event(ac, AUTH_TROUBLE, msg);
	auth_finish(ac, NULL);
	auth_schedule(ac);
}

static void
auth_on_validate(void *arg, const struct http_resp *r)
{
	struct auth_acct	*ac = arg;
	struct oauth_validate	 v;
	char			 err[256];

	ac->call = NULL;
	ac->busy = AUTH_IDLE;
	if (r->status == 401) {
		if (ac->tok.refresh[0] != '\0')
			auth_refresh(ac);
		else
			auth_dead(ac, "Twitch no longer accepts the token "
			    "and there is no refresh token");
		return;
	}
	if (r->status != 200) {
		auth_trouble(ac, "validating the token", r);
		return;
	}
	if (oauth_parse_validate(r->body, r->body_len, &v, err,
	    sizeof err) != 0) {
		auth_trouble(ac, err, r);
		return;
	}
	if (strcmp(v.login, ac->tok.login) != 0) {
		auth_dead(ac, "the stored token belongs to another login");
		return;
	}
	ac->failures = 0;
	ac->tok.validated_at = (int64_t)time(NULL);
	if (v.expires_in > 0)
		ac->tok.expires_at = ac->tok.validated_at +
		    (int64_t)v.expires_in;
	snprintf(ac->tok.user_id, sizeof ac->tok.user_id, "%s", v.user_id);
	snprintf(ac->tok.scopes, sizeof ac->tok.scopes, "%s", v.scopes);
	if (auth_store_save(ac->auth->dir, &ac->tok, err, sizeof err) != 0)
		auth_event(ac, AUTH_TROUBLE, err);
	auth_event(ac, AUTH_VALID, NULL);
	auth_schedule(ac);
}

/* GET /validate with "Authorization: OAuth <token>". */
static void
auth_validate(struct auth_acct *ac)
{
	struct http_req	 req;
	char		 url[1100], hdr[OAUTH_TOKEN_SIZE + 32], err[256];
	struct http_resp r;

	if (ac->busy != AUTH_IDLE)
		return;
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s/validate", ac->auth->oauth_url);
	snprintf(hdr, sizeof hdr, "Authorization: OAuth %s", ac->tok.access);
	req.url = url;
	req.headers[0] = hdr;
	ac->call = http_request(ac->auth->http, &req, auth_on_validate, ac,
	    err, sizeof err);
	explicit_bzero(hdr, sizeof hdr);
	if (ac->call == NULL) {
		memset(&r, 0, sizeof r);
		r.error = err;
		auth_trouble(ac, "validating the token", &r);
		return;
	}
	ac->busy = AUTH_VALIDATING;
	ac->auth->requests++;
}

static void
auth_on_refresh(void *arg, const struct http_resp *r)
{
	struct auth_acct	*ac = arg;
	struct oauth_token	 t;
	char			 err[256], msg[128];
	enum oauth_error	 code;

	ac->call = NULL;
	ac->busy = AUTH_IDLE;
	if (r->status == 400 || r->status == 401) {
		code = oauth_parse_error(r->body, r->body_len, msg,
		    sizeof msg);
		oauth_redact(msg, ac->tok.refresh);
		oauth_redact(msg, ac->tok.access);
		snprintf(err, sizeof err, "Twitch refused to refresh the "
		    "token (%s)", *msg != '\0' ? msg : code ==
		    OAUTH_ERR_INVALID ? "invalid refresh token" :
		    "no reason given");
		auth_dead(ac, err);
		return;
	}
	if (r->status != 200) {
		auth_trouble(ac, "refreshing the token", r);
		return;
	}
	if (oauth_parse_token(r->body, r->body_len, &t, err,
	    sizeof err) != 0) {
		auth_trouble(ac, err, r);
		return;
	}
	ac->failures = 0;
	ac->refreshed_ms = uv_now(ac->auth->loop);
	memcpy(ac->tok.access, t.access, sizeof t.access);
	/* Twitch sends a new refresh token with every refresh (the old one
	 * is spent); keep the old only if none came. */
	if (t.refresh[0] != '\0')
		memcpy(ac->tok.refresh, t.refresh, sizeof t.refresh);
	if (t.scopes[0] != '\0')
		memcpy(ac->tok.scopes, t.scopes, sizeof t.scopes);
	ac->tok.validated_at = (int64_t)time(NULL);
	ac->tok.expires_at = t.expires_in > 0 ? ac->tok.validated_at +
	    (int64_t)t.expires_in : 0;
	oauth_token_clear(&t);
	if (auth_store_save(ac->auth->dir, &ac->tok, err, sizeof err) != 0)
		auth_event(ac, AUTH_TROUBLE, err);
	auth_event(ac, AUTH_REFRESHED, NULL);
	auth_finish(ac, ac->tok.access);
	auth_schedule(ac);
}

/*
 * POST /token grant_type=refresh_token. Another stitch (the UI and a
 * tail, say) may have refreshed first and spent the refresh token we hold:
 * the store is looked at before asking.
 */
static void
auth_refresh(struct auth_acct *ac)
{
	struct auth_token	 st;
	struct http_req		 req;
	struct http_resp	 r;
	char			 url[1100], body[1024], err[256];

	if (ac->busy == AUTH_REFRESHING)
		return;
	/* A 401 that was on its way while we refreshed: the token it was
	 * refused is already replaced, and asking again would spend the
	 * new refresh token for nothing. */
	if (ac->nwaiters > 0 && ac->refreshed_ms != 0 &&
	    uv_now(ac->auth->loop) - ac->refreshed_ms < AUTH_FRESH_MS) {
		auth_finish(ac, ac->tok.access);
		return;
	}
	if (ac->busy == AUTH_VALIDATING) {
		http_cancel(ac->call);
		ac->call = NULL;
		ac->busy = AUTH_IDLE;
	}
	if (auth_store_load(ac->auth->dir, ac->tok.login, &st, err,
	    sizeof err) == 0 && strcmp(st.access, ac->tok.access) != 0) {
		ac->tok = st;
		auth_token_clear(&st);
		ac->failures = 0;
		auth_event(ac, AUTH_REFRESHED, NULL);
		auth_finish(ac, ac->tok.access);
		auth_schedule(ac);
		return;
	}
	auth_token_clear(&st);
	if (ac->tok.refresh[0] == '\0') {
		auth_dead(ac, "the token cannot be refreshed (no refresh "
		    "token)");
		return;
	}
	if (ac->auth->client_id[0] == '\0') {
		auth_dead(ac, "no client id to refresh the token with (set "
		    "client_id or TWITCH_CLIENT_ID)");
		return;
	}
	body[0] = '\0';
	if (oauth_form_add(body, sizeof body, "grant_type",
	    "refresh_token") != 0 || oauth_form_add(body, sizeof body,
	    "refresh_token", ac->tok.refresh) != 0 || oauth_form_add(body,
	    sizeof body, "client_id", ac->auth->client_id) != 0) {
		explicit_bzero(body, sizeof body);
		auth_dead(ac, "the refresh request does not fit");
		return;
	}
	memset(&req, 0, sizeof req);
	snprintf(url, sizeof url, "%s/token", ac->auth->oauth_url);
	req.method = "POST";
	req.url = url;
	req.headers[0] = "Content-Type: application/x-www-form-urlencoded";
	req.body = body;
	req.body_len = strlen(body);
	ac->call = http_request(ac->auth->http, &req, auth_on_refresh, ac,
	    err, sizeof err);
	explicit_bzero(body, sizeof body);
	if (ac->call == NULL) {
		memset(&r, 0, sizeof r);
		r.error = err;
		auth_trouble(ac, "refreshing the token", &r);
		return;
	}
	ac->busy = AUTH_REFRESHING;
	ac->auth->requests++;
}

static void
auth_on_timer(uv_timer_t *h)
{
	struct auth_acct	*ac = h->data;
	int64_t			 now = (int64_t)time(NULL);

	if (ac->auth == NULL)
		return;
	if (ac->tok.expires_at > 0 && ac->tok.refresh[0] != '\0' &&
	    now >= ac->tok.expires_at - AUTH_REFRESH_MARGIN_S)
		auth_refresh(ac);
	else
		auth_validate(ac);
}

int
auth_watch(struct auth *a, const char *login, char *err, size_t errsz)
{
	struct auth_acct	*ac = auth_get(a, login, err, errsz);

	if (ac == NULL)
		return -1;
	ac->watched = 1;
	auth_validate(ac);
	return 0;
}

void
auth_refresher(void *arg, const char *login,
    void (*done)(void *ctx, const char *new_token), void *ctx)
{
	struct auth		*a = arg;
	struct auth_acct	*ac;
	struct auth_waiter	*w;
	char			 err[256];

	if (login == NULL || (ac = auth_get(a, login, err,
	    sizeof err)) == NULL) {
		done(ctx, NULL);
		return;
	}
	w = realloc(ac->waiters, (ac->nwaiters + 1) * sizeof *w);
	if (w == NULL)
		abort();
	ac->waiters = w;
	w[ac->nwaiters].done = done;
	w[ac->nwaiters++].ctx = ctx;
	auth_refresh(ac);
}

const char *
auth_access_token(struct auth *a, const char *login)
{
	struct auth_acct	*ac = auth_find(a, login);

	return ac != NULL ? ac->tok.access : NULL;
}

unsigned
auth_requests(const struct auth *a)
{
	return a->requests;
}
