/*
 * auth-store.c: the token store (see auth.h for the layout): small files
 * written whole through a temporary file and a rename, read back with
 * every line and value checked.
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
#include <unistd.h>

#include "auth.h"
#include "text.h"

#define AUTH_STORE_PATH_SIZE	4096
#define AUTH_STORE_MAX_FILE	8192	/* a session file is < 3 KiB */

void
auth_token_clear(struct auth_token *t)
{
	if (t != NULL)
		explicit_bzero(t, sizeof *t);
}

/* [a-z0-9_]{1,25}: what may name a directory under accounts/. */
static int
auth_store_is_login(const char *s)
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
auth_store_is_token(const char *s)
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
auth_store_path(char *buf, size_t bufsz, const char *dir, const char *login,
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
	if (!auth_store_is_login(login))
		return -1;
	return auth_store_path(buf, bufsz, dir, login, "token");
}

/*
 * Make path a directory. private: it must be ours, not a symlink, and is
 * made exactly 0700 (chmod after mkdir: a umask can make mkdir's mode
 * narrower than asked, even 0000). Otherwise (the config directory, which
 * may be a symlink into someone's dotfiles) it need only be a directory; a
 * new one is made 0700 all the same.
 */
static int
auth_store_mkdir(const char *path, int private, char *err, size_t errsz)
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
auth_store_mkdirs(const char *dir, char *err, size_t errsz)
{
	char	 path[AUTH_STORE_PATH_SIZE], *p;

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
	return auth_store_mkdir(dir, 0, err, errsz);
}

/* Write len bytes to dir/name through a temporary file made 0600 and
 * renamed into place. */
static int
auth_store_write(const char *dir, const char *name, const char *data,
    size_t len, char *err, size_t errsz)
{
	char	 tmp[AUTH_STORE_PATH_SIZE], path[AUTH_STORE_PATH_SIZE];
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
auth_store_read(const char *path, char *buf, size_t bufsz, char *err,
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

/* A whole decimal number in [0, INT64_MAX]. */
static int
auth_store_int64(const char *s, int64_t *out)
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
auth_store_session_line(struct auth_token *t, char *line)
{
	char	*eq = strchr(line, '='), *key, *value;
	size_t	 len;

	if (eq == NULL)
		return "expected key = value";
	*eq = '\0';
	key = text_trim(line);
	value = text_trim(eq + 1);
	len = strlen(value);
	if (strcmp(key, "login") == 0) {
		if (!auth_store_is_login(value))
			return "login is not a Twitch login";
		memcpy(t->login, value, len + 1);
	} else if (strcmp(key, "user_id") == 0) {
		if (len >= sizeof t->user_id ||
		    strspn(value, "0123456789") != len)
			return "user_id is not a number";
		memcpy(t->user_id, value, len + 1);
	} else if (strcmp(key, "refresh") == 0) {
		if (len > 0 && !auth_store_is_token(value))
			return "refresh is not a token";
		memcpy(t->refresh, value, len + 1);
	} else if (strcmp(key, "scopes") == 0) {
		if (len >= sizeof t->scopes)
			return "scopes are too long";
		memcpy(t->scopes, value, len + 1);
	} else if (strcmp(key, "expires_at") == 0) {
		if (auth_store_int64(value, &t->expires_at) != 0)
			return "expires_at is not a time";
	} else if (strcmp(key, "validated_at") == 0) {
		if (auth_store_int64(value, &t->validated_at) != 0)
			return "validated_at is not a time";
	}
	/* Other keys: from a newer stitch; kept out, not an error. */
	return NULL;
}

/* The session file's text into t; -1 with err naming the line. */
static int
auth_store_session_parse(struct auth_token *t, char *text, const char *path,
    char *err, size_t errsz)
{
	char		*line = text, *nl;
	const char	*why;
	unsigned	 lineno = 0;

	for (; line != NULL && *line != '\0'; line = nl) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		line = text_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((why = auth_store_session_line(t, line)) != NULL) {
			snprintf(err, errsz, "%s:%u: %s; run stitch login "
			    "again", path, lineno, why);
			return -1;
		}
	}
	return 0;
}

/* The first line of a token file, checked, into t->access. */
static int
auth_store_token_parse(struct auth_token *t, char *text, const char *path,
    char *err, size_t errsz)
{
	char	*tok;

	text[strcspn(text, "\n")] = '\0';
	tok = text_trim(text);
	if (strncasecmp(tok, "oauth:", 6) == 0)
		tok += 6;
	if (!auth_store_is_token(tok)) {
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
	char	path[AUTH_STORE_PATH_SIZE], text[AUTH_STORE_MAX_FILE];
	int	rc;

	auth_token_clear(t);
	if (!auth_store_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login (1 to 25 letters, "
		    "digits or '_')");
		return -1;
	}
	if (auth_store_path(path, sizeof path, dir, login, "token") != 0) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	rc = auth_store_read(path, text, sizeof text, err, errsz);
	if (rc == 1)
		snprintf(err, errsz, "%s is not logged in (run stitch login)",
		    login);
	if (rc == 0)
		rc = auth_store_token_parse(t, text, path, err, errsz);
	explicit_bzero(text, sizeof text);
	if (rc == 0 && auth_store_path(path, sizeof path, dir, login,
	    "session") == 0) {
		rc = auth_store_read(path, text, sizeof text, err, errsz);
		if (rc == 1) {
			/* A token file alone (written by hand): usable for
			 * chat, not refreshable. */
			rc = 0;
		} else if (rc == 0)
			rc = auth_store_session_parse(t, text, path, err, errsz);
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
	char	 path[AUTH_STORE_PATH_SIZE], text[AUTH_STORE_MAX_FILE];
	int	 n, rc;

	if (!auth_store_is_login(t->login) || !auth_store_is_token(t->access) ||
	    (t->refresh[0] != '\0' && !auth_store_is_token(t->refresh)) ||
	    strchr(t->scopes, '\n') != NULL) {
		snprintf(err, errsz, "refusing to store a malformed token");
		return -1;
	}
	if (auth_store_mkdirs(dir, err, errsz) != 0 ||
	    auth_store_path(path, sizeof path, dir, NULL, NULL) != 0 ||
	    auth_store_mkdir(path, 1, err, errsz) != 0 ||
	    auth_store_path(path, sizeof path, dir, t->login, NULL) != 0 ||
	    auth_store_mkdir(path, 1, err, errsz) != 0)
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
		rc = auth_store_write(path, "session", text, (size_t)n, err,
		    errsz);
	if (rc == 0) {
		n = snprintf(text, sizeof text, "%s\n", t->access);
		rc = auth_store_write(path, "token", text, (size_t)n, err,
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
	char	path[AUTH_STORE_PATH_SIZE], def[AUTH_LOGIN_SIZE];
	size_t	i;
	int	found = 0;

	if (!auth_store_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login");
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (auth_store_path(path, sizeof path, dir, login, files[i]) != 0)
			return snprintf(err, errsz, "path too long"), -1;
		if (unlink(path) == 0)
			found = 1;
		else if (errno != ENOENT) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (auth_store_path(path, sizeof path, dir, login, NULL) == 0 &&
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
auth_store_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t
auth_store_list(const char *dir, char (*logins)[AUTH_LOGIN_SIZE], size_t max)
{
	struct dirent	*e;
	struct stat	 st;
	DIR		*d;
	char		 path[AUTH_STORE_PATH_SIZE];
	size_t		 n = 0;

	if (auth_store_path(path, sizeof path, dir, NULL, NULL) != 0 ||
	    (d = opendir(path)) == NULL)
		return 0;
	while (n < max && (e = readdir(d)) != NULL) {
		if (!auth_store_is_login(e->d_name) ||
		    auth_store_path(path, sizeof path, dir, e->d_name, "token") != 0 ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		memcpy(logins[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	qsort(logins, n, sizeof *logins, auth_store_cmp);
	return n;
}

int
auth_store_get_default(const char *dir, char *login, size_t loginsz)
{
	char	path[AUTH_STORE_PATH_SIZE], text[256], err[64], *s;
	int	n;

	n = snprintf(path, sizeof path, "%s/default-account", dir);
	if (n < 0 || (size_t)n >= sizeof path ||
	    auth_store_read(path, text, sizeof text, err, sizeof err) != 0)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	s = text_trim(text);
	if (!auth_store_is_login(s) || strlen(s) >= loginsz)
		return -1;
	memcpy(login, s, strlen(s) + 1);
	return 0;
}

int
auth_store_set_default(const char *dir, const char *login, char *err,
    size_t errsz)
{
	char	path[AUTH_STORE_PATH_SIZE], text[64];
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
	if (!auth_store_is_login(login)) {
		snprintf(err, errsz, "not a Twitch login");
		return -1;
	}
	if (auth_store_mkdirs(dir, err, errsz) != 0)
		return -1;
	n = snprintf(text, sizeof text, "%s\n", login);
	return auth_store_write(dir, "default-account", text, (size_t)n, err,
	    errsz);
}
