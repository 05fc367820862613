/*
 * conf.c: the config file, the environment and the command line, into one
 * struct conf. Keys are a table of {name, type, field, bounds}; a setter
 * per type. See conf.h for the file format.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "xmalloc.h"
#include "text.h"

enum conf_type {
	CONF_STR,		/* any text */
	CONF_URL,		/* ws://, wss://, http:// or https:// */
	CONF_LOGIN,		/* a Twitch login, lowercased */
	CONF_SIZE,		/* a number within [min, max] */
	CONF_BOOL,		/* on/off, yes/no, true/false, 1/0 */
	CONF_CHANNELS,		/* channel list, appended */
	CONF_WORDS,		/* word list, appended */
	CONF_MANAGER,		/* default | distributed */
	CONF_TIMESTAMPS,	/* strftime format, or off */
};

static const struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	size_t		 min;
	size_t		 max;
} conf_keys[] = {
	{ "server",		CONF_URL,	offsetof(struct conf, server), 0, 0 },
	{ "ca_file",		CONF_STR,	offsetof(struct conf, ca_file), 0, 0 },
	{ "nick",		CONF_LOGIN,	offsetof(struct conf, nick), 0, 0 },
	{ "token_file",		CONF_STR,	offsetof(struct conf, token_file), 0, 0 },
	{ "channels",		CONF_CHANNELS,	offsetof(struct conf, channels), 0, 0 },
	{ "shard_manager",	CONF_MANAGER,	offsetof(struct conf, shard_manager), 0, 0 },
	{ "channels_per_shard",	CONF_SIZE,	offsetof(struct conf, channels_per_shard), 1, 1000 },
	{ "max_shards",		CONF_SIZE,	offsetof(struct conf, max_shards), 1, 100 },
	{ "initial_shards",	CONF_SIZE,	offsetof(struct conf, initial_shards), 1, 100 },
	{ "channel_limit",	CONF_SIZE,	offsetof(struct conf, channel_limit), 1, 100000 },
	{ "join_limit",		CONF_SIZE,	offsetof(struct conf, join_limit), 1, 2000 },
	{ "layout",		CONF_STR,	offsetof(struct conf, layout), 0, 0 },
	{ "theme",		CONF_STR,	offsetof(struct conf, theme), 0, 0 },
	{ "highlights",		CONF_WORDS,	offsetof(struct conf, highlights), 0, 0 },
	{ "bell",		CONF_BOOL,	offsetof(struct conf, bell), 0, 0 },
	{ "timestamps",		CONF_TIMESTAMPS, offsetof(struct conf, timestamps), 0, 0 },
	{ "log",		CONF_BOOL,	offsetof(struct conf, log), 0, 0 },
	{ "log_dir",		CONF_STR,	offsetof(struct conf, log_dir), 0, 0 },
	{ "scrollback",		CONF_SIZE,	offsetof(struct conf, scrollback), 100, 10000000 },
	{ "helix_url",		CONF_URL,	offsetof(struct conf, helix_url), 0, 0 },
	{ "oauth_url",		CONF_URL,	offsetof(struct conf, oauth_url), 0, 0 },
	{ "client_id",		CONF_STR,	offsetof(struct conf, client_id), 0, 0 },
};

/* Keys with a name after the dot: "account.CHANNEL", ... */
static const struct {
	const char	*prefix;
	size_t		 off;
	int		 channel_key;	/* the part after the dot is a channel */
	int		 login_key;	/* ... a login */
	int		 login_value;	/* the value is a login */
} conf_maps[] = {
	{ "account.",	 offsetof(struct conf, accounts), 1, 0, 1 },
	{ "token_file.", offsetof(struct conf, token_files), 0, 1, 0 },
	{ "bind.",	 offsetof(struct conf, keys), 0, 0, 0 },
	{ "badge.",	 offsetof(struct conf, badges), 0, 0, 0 },
};

/* Replace *field with a copy of s (NULL clears it). */
static void
conf_setstr(char **field, const char *s)
{
	free(*field);
	*field = s != NULL ? xstrdup(s) : NULL;
}

static void
conf_list_add(struct conf_list *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static void
conf_list_clear(struct conf_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Set key to value in a map; a key given again is replaced. */
static void
conf_pairs_set(struct conf_pairs *p, const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].key, key) == 0) {
			conf_setstr(&p->v[i].value, value);
			return;
		}
	}
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	p->v[p->n].key = xstrdup(key);
	p->v[p->n].value = xstrdup(value);
	p->n++;
}

static void
conf_pairs_clear(struct conf_pairs *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* $VAR/rest, or $HOME/fallback/rest, into buf; "" if neither is set. */
static void
conf_xdg_path(char *buf, size_t bufsz, const char *var, const char *fallback,
    const char *rest)
{
	const char	*v = getenv(var), *home = getenv("HOME");

	if (v != NULL && *v == '/')
		snprintf(buf, bufsz, "%s/%s", v, rest);
	else if (home != NULL && *home != '\0')
		snprintf(buf, bufsz, "%s/%s/%s", home, fallback, rest);
	else if (bufsz > 0)
		*buf = '\0';
}

void
conf_default_path(char *buf, size_t bufsz)
{
	conf_xdg_path(buf, bufsz, "XDG_CONFIG_HOME", ".config",
	    "stitch/config");
}

struct conf *
conf_new(void)
{
	struct conf	*c;
	char		 path[4096];

	c = calloc(1, sizeof *c);
	if (c == NULL)
		abort();
	c->server = xstrdup(CONF_DEFAULT_SERVER);
	c->shard_manager = xstrdup("default");
	c->channels_per_shard = 25;
	c->max_shards = 5;
	c->initial_shards = 1;
	c->channel_limit = 100;
	c->join_limit = 20;
	c->layout = xstrdup("tabs");
	c->theme = xstrdup("dark");
	c->bell = 0;
	c->timestamps = xstrdup("%H:%M");
	c->log = 1;
	conf_xdg_path(path, sizeof path, "XDG_DATA_HOME", ".local/share",
	    "stitch/logs");
	c->log_dir = xstrdup(path);
	c->scrollback = 10000;
	c->helix_url = xstrdup("https://api.twitch.tv/helix");
	c->oauth_url = xstrdup("https://id.twitch.tv/oauth2");
	return c;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->server);
	free(c->ca_file);
	free(c->nick);
	if (c->token != NULL) {
		/* Do not leave it lying in freed memory. */
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->token_file);
	conf_pairs_clear(&c->token_files);
	conf_pairs_clear(&c->accounts);
	conf_list_clear(&c->channels);
	free(c->shard_manager);
	free(c->layout);
	free(c->theme);
	conf_list_clear(&c->highlights);
	free(c->timestamps);
	free(c->log_dir);
	conf_pairs_clear(&c->keys);
	conf_pairs_clear(&c->badges);
	free(c->helix_url);
	free(c->oauth_url);
	free(c->client_id);
	conf_list_clear(&c->errors);
	free(c);
}

/* Copy s into buf for a message: at most 40 bytes, control bytes as '?',
 * so a hostile file cannot write escapes through our error list. */
static const char *
conf_quote(const char *s, char *buf, size_t bufsz)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i + 1 < bufsz && i < 40; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ?
		    '?' : s[i];
	buf[i] = '\0';
	if (s[i] != '\0' && bufsz > 4 && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

int
conf_channel(const char *name, char *buf, size_t bufsz, char *err,
    size_t errsz)
{
	const char	*p = name;
	size_t		 len = 0;
	unsigned char	 ch;

	if (*p == '#')
		p++;
	if (*p == '\0') {
		snprintf(err, errsz, "empty channel name");
		return -1;
	}
	for (; *p != '\0'; p++) {
		ch = (unsigned char)tolower((unsigned char)*p);
		if (!(isascii(ch) && (isalnum(ch) || ch == '_'))) {
			snprintf(err, errsz, "invalid channel name: a Twitch "
			    "channel is 1 to 25 letters, digits or '_'");
			return -1;
		}
		if (len >= 25 || len + 1 >= bufsz) {
			snprintf(err, errsz, "invalid channel name: longer "
			    "than 25 characters");
			return -1;
		}
		buf[len++] = (char)ch;
	}
	buf[len] = '\0';
	return 0;
}

/* A number in [min, max], decimal digits only. */
static int
conf_size(const char *s, size_t min, size_t max, size_t *out)
{
	unsigned long	 v;
	char		*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
conf_bool(const char *s, int *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(s, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* Add each name of a list ("a b, #c") to l; stops at the first bad one. */
static int
conf_add_names(struct conf_list *l, const char *value, int channels,
    char *err, size_t errsz)
{
	char	*copy = xstrdup(value), *p = copy, *word;
	char	 name[32], q[48];
	size_t	 i;
	int	 rc = 0;

	while (rc == 0 && *p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '\0')
			break;
		word = p;
		p += strcspn(p, " \t,");
		if (*p != '\0')
			*p++ = '\0';
		if (!channels) {
			conf_list_add(l, word);
			continue;
		}
		if (conf_channel(word, name, sizeof name, err, errsz) != 0) {
			snprintf(err, errsz, "'%s' is not a channel name (1 "
			    "to 25 letters, digits or '_')",
			    conf_quote(word, q, sizeof q));
			rc = -1;
			break;
		}
		for (i = 0; i < l->n; i++)
			if (strcmp(l->v[i], name) == 0)
				break;
		if (i == l->n)
			conf_list_add(l, name);
	}
	free(copy);
	return rc;
}

static int
conf_set_map(struct conf *c, size_t m, const char *key, const char *value,
    char *err, size_t errsz)
{
	struct conf_pairs	*p = (void *)((char *)c + conf_maps[m].off);
	const char		*sub = key + strlen(conf_maps[m].prefix);
	char			 name[32], login[32], q[48];

	if (*sub == '\0' || *value == '\0') {
		snprintf(err, errsz, "%s needs a name after the dot and a "
		    "value", conf_quote(key, q, sizeof q));
		return -1;
	}
	if (conf_maps[m].channel_key || conf_maps[m].login_key) {
		if (conf_channel(sub, name, sizeof name, err, errsz) != 0) {
			snprintf(err, errsz, "%s: '%s' is not a %s",
			    conf_maps[m].prefix, conf_quote(sub, q, sizeof q),
			    conf_maps[m].channel_key ? "channel name" :
			    "Twitch login");
			return -1;
		}
		sub = name;
	}
	if (conf_maps[m].login_value) {
		if (*value == '#' || conf_channel(value, login, sizeof login,
		    err, errsz) != 0) {
			snprintf(err, errsz, "%s: '%s' is not a Twitch login",
			    conf_quote(key, q, sizeof q),
			    conf_quote(value, q + 0, sizeof q));
			return -1;
		}
		value = login;
	}
	conf_pairs_set(p, sub, value);
	return 0;
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errsz)
{
	const struct conf_key	*k = NULL;
	void			*f;
	char			 q[48], login[32];
	size_t			 i, n;
	int			 b;

	for (i = 0; i < sizeof conf_maps / sizeof conf_maps[0]; i++)
		if (strncmp(key, conf_maps[i].prefix,
		    strlen(conf_maps[i].prefix)) == 0)
			return conf_set_map(c, i, key, value, err, errsz);
	if (strcmp(key, "token") == 0 || strcmp(key, "oauth") == 0 ||
	    strcmp(key, "password") == 0) {
		snprintf(err, errsz, "%s: tokens are not kept in the config; "
		    "put it in a file of its own named by token_file, or in "
		    "STITCH_TOKEN", key);
		return -1;
	}
	for (i = 0; i < sizeof conf_keys / sizeof conf_keys[0]; i++)
		if (strcmp(key, conf_keys[i].name) == 0)
			k = &conf_keys[i];
	if (k == NULL) {
		snprintf(err, errsz, "unknown key '%s'",
		    conf_quote(key, q, sizeof q));
		return -1;
	}
	f = (char *)c + k->off;
	switch (k->type) {
	case CONF_STR:
		if (*value == '\0') {
			snprintf(err, errsz, "%s needs a value", k->name);
			return -1;
		}
		conf_setstr(f, value);
		return 0;
	case CONF_URL:
		if (strncmp(value, "ws://", 5) != 0 &&
		    strncmp(value, "wss://", 6) != 0 &&
		    strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			snprintf(err, errsz, "%s: '%s' is not a URL (wss://, "
			    "ws://, https:// or http://)", k->name,
			    conf_quote(value, q, sizeof q));
			return -1;
		}
		conf_setstr(f, value);
		return 0;
	case CONF_LOGIN:
		if (*value == '\0') {	/* nick = (empty): anonymous */
			conf_setstr(f, NULL);
			return 0;
		}
		if (*value == '#' || conf_channel(value, login, sizeof login,
		    err, errsz) != 0) {
			snprintf(err, errsz, "%s: '%s' is not a Twitch login",
			    k->name, conf_quote(value, q, sizeof q));
			return -1;
		}
		conf_setstr(f, login);
		return 0;
	case CONF_SIZE:
		if (conf_size(value, k->min, k->max, &n) != 0) {
			snprintf(err, errsz, "%s: '%s' is not a number from "
			    "%zu to %zu", k->name, conf_quote(value, q,
			    sizeof q), k->min, k->max);
			return -1;
		}
		*(size_t *)f = n;
		return 0;
	case CONF_BOOL:
		if (conf_bool(value, &b) != 0) {
			snprintf(err, errsz, "%s: '%s' is not on or off",
			    k->name, conf_quote(value, q, sizeof q));
			return -1;
		}
		*(int *)f = b;
		return 0;
	case CONF_CHANNELS:
	case CONF_WORDS:
		if (conf_add_names(f, value, k->type == CONF_CHANNELS, err,
		    errsz) != 0)
			return -1;
		return 0;
	case CONF_MANAGER:
		if (strcmp(value, "default") != 0 &&
		    strcmp(value, "distributed") != 0) {
			snprintf(err, errsz, "%s: '%s' is not default or "
			    "distributed", k->name,
			    conf_quote(value, q, sizeof q));
			return -1;
		}
		conf_setstr(f, value);
		return 0;
	case CONF_TIMESTAMPS:
		if (conf_bool(value, &b) == 0 && !b)
			value = "";
		conf_setstr(f, value);
		return 0;
	}
	return -1;
}

/* Record "FILE:LINE: what" in c->errors. */
static void
conf_error(struct conf *c, const char *file, unsigned long line,
    const char *what)
{
	char	msg[1024];

	snprintf(msg, sizeof msg, "%s:%lu: %s", file, line, what);
	conf_list_add(&c->errors, msg);
}

/* One line of the file. */
static void
conf_line(struct conf *c, const char *file, unsigned long lineno, char *line)
{
	char	*key, *value, *eq, err[512];
	size_t	 len;

	key = text_trim(line);
	if (*key == '\0' || *key == '#')
		return;
	eq = strchr(key, '=');
	if (eq == NULL) {
		conf_error(c, file, lineno, "expected 'key = value'");
		return;
	}
	*eq = '\0';
	key = text_trim(key);
	value = text_trim(eq + 1);
	len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	if (*key == '\0') {
		conf_error(c, file, lineno, "no key before '='");
		return;
	}
	if (conf_set(c, key, value, err, sizeof err) != 0)
		conf_error(c, file, lineno, err);
}

void
conf_load_mem(struct conf *c, const char *name, const char *text,
    size_t len)
{
	const char	*p = text, *end = text + len, *nl;
	char		 line[4096];
	unsigned long	 lineno = 0;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (nl != NULL ? nl : end) - p;
		lineno++;
		if (n >= sizeof line)
			conf_error(c, name, lineno, "line too long (over 4095 "
			    "bytes)");
		else if (memchr(p, '\0', n) != NULL)
			conf_error(c, name, lineno, "NUL byte in line");
		else {
			memcpy(line, p, n);
			line[n] = '\0';
			conf_line(c, name, lineno, line);
		}
		p += n + 1;
	}
}

int
conf_load_file(struct conf *c, const char *path, int must_exist, char *err,
    size_t errsz)
{
	FILE	*f;
	char	*text;
	size_t	 len;

	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A config file is small; a huge one is a mistake (or /dev/zero). */
	text = xreallocarray(NULL, CONF_MAX_FILE + 1, 1);
	len = fread(text, 1, CONF_MAX_FILE + 1, f);
	if (ferror(f) || len > CONF_MAX_FILE) {
		snprintf(err, errsz, "%s: %s", path, ferror(f) ?
		    "read error" : "larger than 1 MiB");
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	conf_setstr(&c->path, path);
	conf_load_mem(c, path, text, len);
	free(text);
	return 0;
}

const char *
conf_token_file(const struct conf *c, const char *login)
{
	size_t	i;

	if (login == NULL || (c->nick != NULL && strcmp(login, c->nick) == 0))
		if (c->token_file != NULL)
			return c->token_file;
	if (login == NULL)
		login = c->nick;
	if (login == NULL)
		return NULL;
	for (i = 0; i < c->token_files.n; i++)
		if (strcmp(c->token_files.v[i].key, login) == 0)
			return c->token_files.v[i].value;
	return NULL;
}

/* Trim a token and drop an "oauth:" prefix in place; 0 if it is usable. */
static int
conf_clean_token(char *t)
{
	char	*s = text_trim(t);
	size_t	 i;

	if (strncasecmp(s, "oauth:", 6) == 0)
		s += 6;
	memmove(t, s, strlen(s) + 1);
	if (*t == '\0')
		return -1;
	for (i = 0; t[i] != '\0'; i++)
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7f)
			return -1;
	return 0;
}

char *
conf_read_token(const char *path, char *err, size_t errsz)
{
	FILE	*f;
	char	 buf[512], *tok;
	size_t	 n;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errsz, "token file %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Only the first line: a file may carry a comment below it. */
	buf[strcspn(buf, "\n")] = '\0';
	if (n == sizeof buf - 1 || strlen(buf) == 0 ||
	    conf_clean_token(buf) != 0) {
		explicit_bzero(buf, sizeof buf);
		snprintf(err, errsz, "token file %s: no token on its first "
		    "line", path);
		return NULL;
	}
	tok = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return tok;
}

/*
 * The command line.
 */

enum {
	CONF_OPT_SERVER = 1,
	CONF_OPT_CA_FILE,
	CONF_OPT_NICK,
	CONF_OPT_TOKEN_FILE,
	CONF_OPT_CONFIG,
	CONF_OPT_MANAGER,
	CONF_OPT_CPS,
	CONF_OPT_MAX,
	CONF_OPT_INITIAL,
	CONF_OPT_HELIX,
	CONF_OPT_OAUTH,
	CONF_OPT_HELP,
	CONF_OPT_COUNT
};

/* Option id -> the config key it sets. */
static const char *const conf_opt_keys[CONF_OPT_COUNT] = {
	[CONF_OPT_SERVER] = "server",
	[CONF_OPT_CA_FILE] = "ca_file",
	[CONF_OPT_NICK] = "nick",
	[CONF_OPT_TOKEN_FILE] = "token_file",
	[CONF_OPT_MANAGER] = "shard_manager",
	[CONF_OPT_CPS] = "channels_per_shard",
	[CONF_OPT_MAX] = "max_shards",
	[CONF_OPT_INITIAL] = "initial_shards",
	[CONF_OPT_HELIX] = "helix_url",
	[CONF_OPT_OAUTH] = "oauth_url",
};

static const struct option conf_options[] = {
	{ "server",		required_argument, NULL, CONF_OPT_SERVER },
	{ "ca-file",		required_argument, NULL, CONF_OPT_CA_FILE },
	{ "nick",		required_argument, NULL, CONF_OPT_NICK },
	{ "token-file",		required_argument, NULL, CONF_OPT_TOKEN_FILE },
	{ "config",		required_argument, NULL, CONF_OPT_CONFIG },
	{ "shard-manager",	required_argument, NULL, CONF_OPT_MANAGER },
	{ "channels-per-shard",	required_argument, NULL, CONF_OPT_CPS },
	{ "max-shards",		required_argument, NULL, CONF_OPT_MAX },
	{ "initial-shards",	required_argument, NULL, CONF_OPT_INITIAL },
	{ "helix",		required_argument, NULL, CONF_OPT_HELIX },
	{ "oauth",		required_argument, NULL, CONF_OPT_OAUTH },
	{ "help",		no_argument,	   NULL, CONF_OPT_HELP },
};
#define CONF_NOPTIONS (sizeof conf_options / sizeof conf_options[0])

const char *
conf_help(void)
{
	return
	    "  --server URL            chat endpoint (" CONF_DEFAULT_SERVER ")\n"
	    "  --ca-file PATH          also trust this CA (PEM)\n"
	    "  --nick LOGIN            chat as LOGIN; the token comes from\n"
	    "                          STITCH_TOKEN or the token file, never\n"
	    "                          from the command line\n"
	    "  --token-file PATH       file holding the token\n"
	    "  --config PATH           config file (default\n"
	    "                          $XDG_CONFIG_HOME/stitch/config)\n"
	    "  --shard-manager NAME    default or distributed\n"
	    "  --channels-per-shard N  distributed: channels per shard (25)\n"
	    "  --max-shards N          distributed: at most N shards (5)\n"
	    "  --initial-shards N      distributed: shards made at start (1)\n"
	    "  --helix URL             Helix API (https://api.twitch.tv/helix)\n"
	    "  --oauth URL             OAuth server (https://id.twitch.tv/oauth2)\n";
}

/* Does this argument look like an OAuth token? Twitch's are 30 lowercase
 * letters and digits, often written "oauth:...". */
static int
conf_looks_like_token(const char *a)
{
	size_t	i;

	if (strncasecmp(a, "oauth:", 6) == 0 || strstr(a, "oauth:") != NULL)
		return 1;
	for (i = 0; a[i] != '\0'; i++)
		if (!isascii((unsigned char)a[i]) ||
		    !isalnum((unsigned char)a[i]))
			return 0;
	return i == 30;
}

static int
conf_refuse_token(char *err, size_t errsz, const char *what)
{
	snprintf(err, errsz, "%s: tokens are never taken from the command "
	    "line (other users can read it); set STITCH_TOKEN or put it in "
	    "a file named by --token-file or token_file", what);
	return -1;
}

/* Refuse anything in argv that carries a token, before parsing. */
static int
conf_check_argv(int argc, char **argv, char *err, size_t errsz)
{
	/* --oauth is the OAuth server's URL (a value that is not a URL is
	 * refused by conf_set, a token-like one here below). */
	static const char *const bad[] = { "--token", "--pass", "--password",
	    "-t" };
	size_t	i, n;
	int	a;

	for (a = 1; a < argc; a++) {
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			n = strlen(bad[i]);
			if (strncmp(argv[a], bad[i], n) == 0 &&
			    (argv[a][n] == '\0' || argv[a][n] == '='))
				return conf_refuse_token(err, errsz, bad[i]);
		}
		if (conf_looks_like_token(argv[a]))
			return conf_refuse_token(err, errsz,
			    "an argument looks like an OAuth token");
	}
	return 0;
}

/* Build the getopt table: ours, then the caller's. Caller frees. */
static struct option *
conf_merge_options(const struct option *extra)
{
	struct option	*all;
	size_t		 n = 0;

	while (extra != NULL && extra[n].name != NULL)
		n++;
	all = xreallocarray(NULL, CONF_NOPTIONS + n + 1, sizeof *all);
	memcpy(all, conf_options, sizeof conf_options);
	if (n > 0)
		memcpy(all + CONF_NOPTIONS, extra, n * sizeof *extra);
	memset(&all[CONF_NOPTIONS + n], 0, sizeof *all);
	return all;
}

/* The name of a refused option, without any "=value" (which might be a
 * secret). */
static void
conf_bad_option(const char *arg, char *err, size_t errsz, const char *why)
{
	char	q[48];
	size_t	n = strcspn(arg, "=");

	conf_quote(arg, q, sizeof q);
	if (n < strlen(q))
		q[n] = '\0';
	snprintf(err, errsz, "%s: %s (see --help)", q, why);
}

/* "max_shards: ..." from conf_set reads "--max-shards: ..." on the
 * command line. */
static void
conf_option_message(const char *why, char *err, size_t errsz)
{
	char	*p;

	snprintf(err, errsz, "--%s", why);
	for (p = err; *p != '\0' && *p != ':'; p++)
		if (*p == '_')
			*p = '-';
}

/* Step 2 of conf_parse_args: the file, then argv's settings over it. */
static int
conf_apply(struct conf *c, const char *config, char **sets, int *ids,
    int nsets, char *err, size_t errsz)
{
	char	path[4096], why[512];
	int	i;

	if (config != NULL) {
		if (conf_load_file(c, config, 1, err, errsz) != 0)
			return -1;
	} else {
		conf_default_path(path, sizeof path);
		if (*path != '\0' &&
		    conf_load_file(c, path, 0, why, sizeof why) != 0)
			conf_list_add(&c->errors, why);
	}
	for (i = 0; i < nsets; i++) {
		if (conf_set(c, conf_opt_keys[ids[i]], sets[i], why,
		    sizeof why) != 0) {
			conf_option_message(why, err, errsz);
			return -1;
		}
	}
	return 0;
}

/*
 * Step 3a: the accounts `stitch login` stored (auth.h has the layout):
 * each $XDG_CONFIG_HOME/stitch/accounts/LOGIN/token becomes the token file
 * of LOGIN unless the config names one, so `--nick LOGIN` and
 * `account.CHANNEL = LOGIN` find it; with no nick and no STITCH_TOKEN, the
 * login in stitch/default-account is the nick.
 */
static void
conf_stored_accounts(struct conf *c)
{
	struct dirent	*e;
	DIR		*d;
	FILE		*f;
	const char	*env = getenv("STITCH_TOKEN");
	char		 dir[4096], path[4096 + 128], login[64], *nl;
	size_t		 i;

	conf_xdg_path(dir, sizeof dir, "XDG_CONFIG_HOME", ".config",
	    "stitch/accounts");
	if (*dir == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || conf_channel(e->d_name, login,
		    sizeof login, path, sizeof path) != 0 ||
		    strcmp(login, e->d_name) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s/token", dir, login);
		if (access(path, R_OK) != 0)
			continue;
		for (i = 0; i < c->token_files.n; i++)
			if (strcmp(c->token_files.v[i].key, login) == 0)
				break;
		if (i == c->token_files.n)
			conf_pairs_set(&c->token_files, login, path);
	}
	closedir(d);
	if (c->nick != NULL || c->token_file != NULL ||
	    (env != NULL && *env != '\0'))
		return;
	conf_xdg_path(path, sizeof path, "XDG_CONFIG_HOME", ".config",
	    "stitch/default-account");
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(login, sizeof login, f) != NULL) {
		if ((nl = strchr(login, '\n')) != NULL)
			*nl = '\0';
		if (*login != '#' && conf_channel(login, path, sizeof path,
		    dir, sizeof dir) == 0 && strcmp(login, path) == 0 &&
		    conf_token_file(c, login) != NULL)
			conf_setstr(&c->nick, login);
	}
	fclose(f);
}

/* Step 3: the token, from the environment or the token file. */
static void
conf_take_token(struct conf *c)
{
	const char	*env = getenv("STITCH_TOKEN"), *file;
	char		 path[4096], why[512], *tok = NULL;

	if (env != NULL && *env != '\0') {
		tok = xstrdup(env);
		if (conf_clean_token(tok) != 0) {
			conf_list_add(&c->errors, "STITCH_TOKEN: not a token "
			    "(empty or with blanks inside); chatting "
			    "anonymously");
			free(tok);
			tok = NULL;
		}
	} else if ((file = conf_token_file(c, NULL)) != NULL) {
		if ((tok = conf_read_token(file, why, sizeof why)) == NULL)
			conf_list_add(&c->errors, why);
	} else if (c->nick != NULL) {
		/* The default file is read only for a known nick: a token
		 * alone does not say whose it is. */
		conf_xdg_path(path, sizeof path, "XDG_CONFIG_HOME", ".config",
		    "stitch/token");
		if (*path != '\0' && access(path, F_OK) == 0 &&
		    (tok = conf_read_token(path, why, sizeof why)) == NULL)
			conf_list_add(&c->errors, why);
	}
	if (tok != NULL && c->nick == NULL) {
		conf_list_add(&c->errors, "a token was given but no nick: "
		    "set --nick or nick in the config; chatting anonymously");
		explicit_bzero(tok, strlen(tok));
		free(tok);
		tok = NULL;
	}
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	c->token = tok;
}

int
conf_parse_args(struct conf *c, int argc, char **argv,
    const struct option *extra, conf_option_cb cb, void *arg, char *err,
    size_t errsz)
{
	struct option	*opts;
	const char	*config = NULL;
	char		**sets = NULL, name[32];
	int		*ids = NULL, nsets = 0, o, rc = 0, help = 0;
	struct conf_list chans = { NULL, 0 };

	if (conf_check_argv(argc, argv, err, errsz) != 0)
		return -1;
	opts = conf_merge_options(extra);
	sets = xreallocarray(NULL, (size_t)argc + 1, sizeof *sets);
	ids = xreallocarray(NULL, (size_t)argc + 1, sizeof *ids);
	optind = 0;		/* glibc: start afresh (tests parse twice) */
	opterr = 0;
	while (rc == 0 &&
	    (o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (o == ':') {
			conf_bad_option(argv[optind - 1], err, errsz,
			    "needs a value");
			rc = -1;
		} else if (o == '?') {
			/* optopt is 0 for an unknown long option, a letter
			 * for an unknown short one, else the id of a long
			 * option given a value it does not take. */
			conf_bad_option(argv[optind - 1], err, errsz,
			    (optopt > 0 && optopt < CONF_OPT_COUNT) ||
			    optopt >= 256 ? "takes no value" :
			    "unknown option");
			rc = -1;
		} else if (o == 'h' || o == CONF_OPT_HELP)
			help = 1;
		else if (o == CONF_OPT_CONFIG)
			config = optarg;
		else if (o > 0 && o < CONF_OPT_COUNT) {
			sets[nsets] = optarg;
			ids[nsets++] = o;
		} else if (cb != NULL)
			rc = cb(arg, o, optarg, err, errsz);
	}
	for (o = optind; rc == 0 && o < argc; o++) {
		if (conf_channel(argv[o], name, sizeof name, err,
		    errsz) != 0)
			conf_bad_option(argv[o], err, errsz,
			    "not a channel name (1 to 25 letters, digits or "
			    "'_')"), rc = -1;
		else
			conf_add_names(&chans, name, 1, err, errsz);
	}
	if (rc == 0 && help)
		rc = 1;
	if (rc == 0)
		rc = conf_apply(c, config, sets, ids, nsets, err, errsz);
	if (rc == 0 && chans.n > 0) {
		conf_list_clear(&c->channels);
		c->channels = chans;
		chans.v = NULL;
		chans.n = 0;
	}
	conf_list_clear(&chans);
	if (rc == 0) {
		conf_stored_accounts(c);
		conf_take_token(c);
		if (c->initial_shards > c->max_shards) {
			snprintf(err, errsz, "initial shards (%zu) are more "
			    "than max shards (%zu): lower --initial-shards or "
			    "raise --max-shards", c->initial_shards,
			    c->max_shards);
			rc = -1;
		}
	}
	free(sets);
	free(ids);
	free(opts);
	return rc;
}
