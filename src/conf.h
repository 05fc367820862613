/*
 * conf.h: every option stitch knows, from the config file, the environment
 * and the command line (shared by `stitch` and `stitch tail`).
 *
 * (Named conf, not config: config.h is autoconf's header, which every .c
 * includes first as "config.h".)
 *
 * The file is $XDG_CONFIG_HOME/stitch/config (else ~/.config/stitch/config),
 * or the one given with --config PATH. Lines are `key = value`; blank lines
 * and lines whose first non-blank is '#' are ignored; a value may be put in
 * double quotes to keep spaces at its ends. A bad line adds "FILE:LINE:
 * what is wrong" to the message list and the rest still loads. Keys:
 *
 *   server = URL              chat endpoint (wss://irc-ws.chat.twitch.tv:443)
 *   ca_file = PATH            an extra trusted CA (PEM), for tests
 *   nick = LOGIN              the login to chat as; none: anonymous
 *   token_file = PATH         file holding nick's OAuth token
 *                             (default $XDG_CONFIG_HOME/stitch/token)
 *   token_file.LOGIN = PATH   the token of another account (default: the
 *                             one `stitch login` stored, see auth.h)
 *   account.CHANNEL = LOGIN   speak in CHANNEL as LOGIN (needs its token)
 *   channels = a b, #c        channels to join (lines add up)
 *   shard_manager = default|distributed
 *   channels_per_shard = N    max_shards = N    initial_shards = N
 *   channel_limit = N         Twitch's joined-channel cap per account (100)
 *   join_limit = N            JOINs per 10 s per account (20; Twitch lets
 *                             verified bots do 2000)
 *   layout = single|tabs|split|grid     theme = NAME
 *   highlights = word ...     words that count as mentions (lines add up)
 *   bell = on|off             timestamps = STRFTIME|off   (%H:%M)
 *   log = on|off              log_dir = PATH ($XDG_DATA_HOME/stitch/logs)
 *   scrollback = LINES        per channel (10000)
 *   bind.KEY = ACTION         key bindings, kept as strings for the UI
 *   badge.NAME = GLYPH        badge glyphs, kept as strings for the UI
 *   helix_url = URL   oauth_url = URL   client_id = ID
 *
 * The token never comes from the command line (any user can read another's
 * argv): only from STITCH_TOKEN or a token file. It is never printed.
 */
#ifndef STITCH_CONF_H
#define STITCH_CONF_H

#include <stddef.h>

#include <getopt.h>

#define CONF_DEFAULT_SERVER	"wss://irc-ws.chat.twitch.tv:443"

/* A key and its value: account bindings, token files, keys, badges. */
struct conf_pair {
	char	*key;
	char	*value;
};

struct conf_pairs {
	struct conf_pair *v;
	size_t		 n;
};

struct conf_list {
	char		**v;
	size_t		 n;
};

struct conf {
	char		*path;		/* the file that was read, or NULL */

	/* Chat. */
	char		*server;
	char		*ca_file;	/* NULL: system CAs only */
	char		*nick;		/* lowercase; NULL: anonymous */
	char		*token;		/* NULL if none; never printed */
	char		*token_file;	/* NULL: the default path */
	struct conf_pairs token_files;	/* login -> token file */
	struct conf_pairs accounts;	/* channel -> login */
	struct conf_list channels;	/* normalized: lowercase, no '#' */
	char		*shard_manager;	/* "default" or "distributed" */
	size_t		 channels_per_shard;
	size_t		 max_shards;
	size_t		 initial_shards;
	size_t		 channel_limit;
	size_t		 join_limit;	/* JOINs per 10 s per account */

	/* The terminal UI. */
	char		*layout;
	char		*theme;
	struct conf_list highlights;
	int		 bell;
	char		*timestamps;	/* strftime format; "" for none */
	int		 log;
	char		*log_dir;
	size_t		 scrollback;
	struct conf_pairs keys;		/* key name -> action */
	struct conf_pairs badges;	/* badge name -> glyph */

	/* Helix and OAuth, for later. */
	char		*helix_url;
	char		*oauth_url;
	char		*client_id;

	/* Messages about the file and the tokens ("FILE:LINE: ..."), for the
	 * caller to show; loading went on past each. */
	struct conf_list errors;
};

/* Defaults for every field; never NULL. conf_free(NULL) does nothing. */
struct conf	*conf_new(void);
void		 conf_free(struct conf *);

/*
 * Read a config file into c. Bad lines go to c->errors and are skipped.
 * Returns 0, or -1 when the file cannot be opened (err says why; a missing
 * file is not an error when must_exist is 0).
 */
int		 conf_load_file(struct conf *c, const char *path,
		    int must_exist, char *err, size_t errsz);

/* Parse config text (len bytes, any bytes) as if read from a file called
 * name: bad lines go to c->errors. */
void		 conf_load_mem(struct conf *c, const char *name,
		    const char *text, size_t len);
#define CONF_MAX_FILE	(1024 * 1024)

/* Set one key as a config line would (for the UI's /set). Returns 0, or -1
 * with err filled. */
int		 conf_set(struct conf *c, const char *key, const char *value,
		    char *err, size_t errsz);

/* The default config file path into buf; "" if neither XDG_CONFIG_HOME
 * nor HOME is set. */
void		 conf_default_path(char *buf, size_t bufsz);

/*
 * A caller's own options (ids >= 256), parsed along with the common ones;
 * cb gets each with its argument (NULL if none) and returns 0, or -1 with
 * err filled.
 */
typedef int	(*conf_option_cb)(void *arg, int id, const char *optarg,
		    char *err, size_t errsz);

/*
 * The whole start-up: parse argv (argv[0] is the program or mode name)
 * with the common options (--server, --ca-file, --nick, --token-file,
 * --config, --shard-manager, --channels-per-shard, --max-shards,
 * --initial-shards, --helix, --oauth, --help) plus extra (may be NULL; terminated by a zero
 * entry), read the config file, apply the command line over it, take the
 * token from STITCH_TOKEN or the token file, and check the result. Channels
 * given as arguments replace the file's list.
 * Returns 0; 1 if --help was given (print conf_help() and your own); or
 * -1 with err filled for a usage error the user must fix (exit 2).
 */
int		 conf_parse_args(struct conf *c, int argc, char **argv,
		    const struct option *extra, conf_option_cb cb, void *arg,
		    char *err, size_t errsz);

/* The common options, one per line, for --help. Borrowed. */
const char	*conf_help(void);

/* "#Foo" -> "foo" into buf (>= 26 bytes). Returns 0, or -1 with err filled
 * if it is not a Twitch login ([a-z0-9_]{1,25}). */
int		 conf_channel(const char *name, char *buf, size_t bufsz,
		    char *err, size_t errsz);

/* The token file of login (NULL: nick's): token_file for the nick, else
 * token_file.LOGIN, else the one `stitch login` stored; or NULL. Borrowed. */
const char	*conf_token_file(const struct conf *c, const char *login);

/* Read a token file: one token, optionally "oauth:"-prefixed, trimmed.
 * Returns the token (caller frees), or NULL with err filled. */
char		*conf_read_token(const char *path, char *err, size_t errsz);

#endif
