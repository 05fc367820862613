/*
 * test-conf.c: defaults, the config file (bad lines with their FILE:LINE
 * messages), the command line over the file, channel names, the token
 * rules (never from argv; STITCH_TOKEN; token files).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

static char	tmpdir[256];

static void
test_write(const char *name, const char *text, char *path, size_t pathsz)
{
	FILE	*f;

	snprintf(path, pathsz, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/* Parse a NULL-terminated argv; returns conf_parse_args's result. */
static int
test_args(struct conf *c, char *err, size_t errsz, ...)
{
	char	*argv[32];
	int	 argc = 0;
	va_list	 ap;

	argv[argc++] = (char *)"tail";
	va_start(ap, errsz);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	*err = '\0';
	return conf_parse_args(c, argc, argv, NULL, NULL, NULL, err, errsz);
}

static void
test_defaults(void)
{
	struct conf	*c = conf_new();

	tap_is_str(c->server, "wss://irc-ws.chat.twitch.tv:443",
	    "default server");
	tap_ok(c->nick == NULL && c->token == NULL && c->ca_file == NULL,
	    "anonymous, no token, no extra CA by default");
	tap_is_str(c->shard_manager, "default", "default shard manager");
	tap_ok(c->channels_per_shard == 25 && c->max_shards == 5 &&
	    c->initial_shards == 1, "shard numbers default to 25/5/1");
	tap_is_int(c->channel_limit, 100, "100 channels per account");
	tap_is_int(c->join_limit, 20, "20 JOINs per 10 s");
	tap_ok(c->log == 1 && c->bell == 0, "logs on, bell off");
	tap_is_str(c->timestamps, "%H:%M", "timestamps %H:%M");
	tap_is_int(c->scrollback, 10000, "scrollback 10000");
	tap_is_str(c->helix_url, "https://api.twitch.tv/helix", "helix_url");
	tap_is_str(c->oauth_url, "https://id.twitch.tv/oauth2", "oauth_url");
	tap_is_int(c->channels.n, 0, "no channels");
	conf_free(c);
	conf_free(NULL);
}

static void
test_file(void)
{
	struct conf	*c = conf_new();
	char		 path[512], err[512], want[1024];

	test_write("config",
	    "# a comment\n"
	    "\n"
	    "server = ws://127.0.0.1:1234\n"
	    "   nick = SomeBot   \n"
	    "channels = #Alpha beta, gamma\n"
	    "channels = delta alpha\n"
	    "shard_manager = distributed\n"
	    "max_shards = 0\n"				/* line 8: bad */
	    "channels_per_shard = 12x\n"		/* 9: bad */
	    "colour = red\n"				/* 10: bad */
	    "just words\n"				/* 11: bad */
	    "max_shards = 7\n"
	    "account.#ModChan = ModUser\n"
	    "token_file.moduser = /tmp/mod-token\n"
	    "bind.C-n = next-pane\n"
	    "badge.moderator = \"@ \"\n"
	    "highlights = stitch tea\n"
	    "bell = yes\n"
	    "log = off\n"
	    "timestamps = off\n"
	    "scrollback = 99999999999999999999999\n"	/* 21: bad */
	    "token = abc\n"				/* 22: bad */
	    "channels = no-dash\n"			/* 23: bad */
	    "layout = grid\n"
	    "nick = \n"
	    "nick = somebot\n",
	    path, sizeof path);
	tap_ok(conf_load_file(c, path, 1, err, sizeof err) == 0,
	    "file: loads despite bad lines");
	tap_is_str(c->server, "ws://127.0.0.1:1234", "file: server");
	tap_is_str(c->nick, "somebot", "file: nick lowercased");
	tap_is_int(c->channels.n, 4, "file: channel lines add up, no dups");
	tap_ok(c->channels.n == 4 && strcmp(c->channels.v[0], "alpha") == 0 &&
	    strcmp(c->channels.v[3], "delta") == 0,
	    "file: channels normalized, in order");
	tap_is_str(c->shard_manager, "distributed", "file: shard_manager");
	tap_is_int(c->max_shards, 7, "file: a later good line wins");
	tap_is_int(c->channels_per_shard, 25, "file: a bad number is ignored");
	tap_ok(c->accounts.n == 1 &&
	    strcmp(c->accounts.v[0].key, "modchan") == 0 &&
	    strcmp(c->accounts.v[0].value, "moduser") == 0,
	    "file: account.CHANNEL = LOGIN");
	tap_is_str(conf_token_file(c, "moduser"), "/tmp/mod-token",
	    "file: token_file.LOGIN");
	tap_ok(c->keys.n == 1 && strcmp(c->keys.v[0].key, "C-n") == 0 &&
	    strcmp(c->keys.v[0].value, "next-pane") == 0, "file: bind.KEY");
	tap_ok(c->badges.n == 1 && strcmp(c->badges.v[0].value, "@ ") == 0,
	    "file: quotes keep a trailing space");
	tap_ok(c->highlights.n == 2 && strcmp(c->highlights.v[1], "tea") == 0,
	    "file: highlights");
	tap_ok(c->bell == 1 && c->log == 0, "file: booleans");
	tap_is_str(c->timestamps, "", "file: timestamps off");
	tap_is_str(c->layout, "grid", "file: layout");
	tap_is_int(c->errors.n, 7, "file: seven bad lines reported");
	snprintf(want, sizeof want, "%s:8: max_shards: '0' is not a number "
	    "from 1 to 100", path);
	tap_is_str(c->errors.n > 0 ? c->errors.v[0] : NULL, want,
	    "file: FILE:LINE for a number out of range");
	snprintf(want, sizeof want, "%s:9: channels_per_shard: '12x' is not "
	    "a number from 1 to 1000", path);
	tap_is_str(c->errors.n > 1 ? c->errors.v[1] : NULL, want,
	    "file: FILE:LINE for trailing garbage");
	snprintf(want, sizeof want, "%s:10: unknown key 'colour'", path);
	tap_is_str(c->errors.n > 2 ? c->errors.v[2] : NULL, want,
	    "file: FILE:LINE for an unknown key");
	snprintf(want, sizeof want, "%s:11: expected 'key = value'", path);
	tap_is_str(c->errors.n > 3 ? c->errors.v[3] : NULL, want,
	    "file: FILE:LINE for a line without '='");
	snprintf(want, sizeof want, "%s:21: scrollback: "
	    "'99999999999999999999999' is not a number from 100 to 10000000",
	    path);
	tap_is_str(c->errors.n > 4 ? c->errors.v[4] : NULL, want,
	    "file: FILE:LINE for an overflowing number");
	tap_ok(c->errors.n > 5 && strncmp(c->errors.v[5], path,
	    strlen(path)) == 0 && strstr(c->errors.v[5], ":22: token:") &&
	    strstr(c->errors.v[5], "abc") == NULL,
	    "file: a token in the config is refused, not echoed");
	snprintf(want, sizeof want, "%s:23: 'no-dash' is not a channel name "
	    "(1 to 25 letters, digits or '_')", path);
	tap_is_str(c->errors.n > 6 ? c->errors.v[6] : NULL, want,
	    "file: FILE:LINE for a bad channel");
	conf_free(c);

	c = conf_new();
	snprintf(path, sizeof path, "%s/missing", tmpdir);
	tap_ok(conf_load_file(c, path, 0, err, sizeof err) == 0 &&
	    c->errors.n == 0, "file: a missing default file is fine");
	tap_ok(conf_load_file(c, path, 1, err, sizeof err) == -1 &&
	    strstr(err, "missing") != NULL, "file: a missing --config is not");
	conf_free(c);
	c = conf_new();
	{
		static const char	text[] = "theme = a\0b\nlayout = grid";
		char			*big = calloc(1, 5000);

		conf_load_mem(c, "mem", text, sizeof text - 1);
		tap_is_str(c->errors.n == 1 ? c->errors.v[0] : NULL,
		    "mem:1: NUL byte in line", "mem: a NUL byte is refused");
		tap_is_str(c->layout, "grid", "mem: the last line needs no LF");
		memset(big, 'x', 4999);
		conf_load_mem(c, "big", big, 4999);
		tap_is_str(c->errors.n == 2 ? c->errors.v[1] : NULL,
		    "big:1: line too long (over 4095 bytes)",
		    "mem: an over-long line is refused");
		free(big);
	}
	conf_free(c);
	c = conf_new();
	test_write("hostile", "x\033]0;pwn\007 = 1\n", path, sizeof path);
	conf_load_file(c, path, 1, err, sizeof err);
	tap_ok(c->errors.n == 1 && strchr(c->errors.v[0], '\033') == NULL &&
	    strchr(c->errors.v[0], '\007') == NULL,
	    "file: control bytes are not echoed in messages");
	conf_free(c);
}

static void
test_cli(void)
{
	struct conf	*c;
	char		 path[512], err[512], env[600];

	test_write("cli.conf", "max_shards = 7\nchannels = filechan\n"
	    "server = ws://127.0.0.1:1\n", path, sizeof path);
	unsetenv("STITCH_TOKEN");

	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", path,
	    "--max-shards", "9", "#Foo", "BAR", "--shard-manager",
	    "distributed", "--server=ws://127.0.0.1:2", NULL), 0,
	    "cli: parses");
	tap_is_int(c->max_shards, 9, "cli: --max-shards overrides the file");
	tap_is_str(c->server, "ws://127.0.0.1:2", "cli: --server=URL form");
	tap_ok(c->channels.n == 2 && strcmp(c->channels.v[0], "foo") == 0 &&
	    strcmp(c->channels.v[1], "bar") == 0,
	    "cli: channels normalized and replace the file's");
	tap_is_str(c->shard_manager, "distributed", "cli: --shard-manager");
	tap_is_str(c->path, path, "cli: --config read");
	conf_free(c);

	c = conf_new();
	test_args(c, err, sizeof err, "--config", path, NULL);
	tap_ok(c->channels.n == 1 && strcmp(c->channels.v[0], "filechan") == 0,
	    "cli: without arguments the file's channels stay");
	conf_free(c);

	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", path,
	    "--max-shards", "0", NULL), -1, "cli: --max-shards 0 refused");
	tap_is_str(err, "--max-shards: '0' is not a number from 1 to 100",
	    "cli: the message names the option");
	conf_free(c);

	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", path,
	    "--initial-shards", "8", "--max-shards", "3", NULL), -1,
	    "cli: initial over max refused");
	conf_free(c);

	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", path, "a-b",
	    NULL), -1, "cli: a bad channel is refused");
	tap_is_str(err, "a-b: not a channel name (1 to 25 letters, digits or "
	    "'_') (see --help)", "cli: and said so");
	conf_free(c);

	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--frobnicate", NULL), -1,
	    "cli: unknown option refused");
	tap_is_str(err, "--frobnicate: unknown option (see --help)",
	    "cli: unknown option message");
	tap_is_int(test_args(c, err, sizeof err, "--max-shards", NULL), -1,
	    "cli: missing value refused");
	tap_is_str(err, "--max-shards: needs a value (see --help)",
	    "cli: missing value message");
	tap_is_int(test_args(c, err, sizeof err, "--help", NULL), 1,
	    "cli: --help returns 1");
	tap_is_int(test_args(c, err, sizeof err, "--config", "/nonexistent/x",
	    NULL), -1, "cli: a missing --config file is an error");
	conf_free(c);

	/* The default file comes from XDG_CONFIG_HOME. */
	snprintf(env, sizeof env, "%s/xdg", tmpdir);
	setenv("XDG_CONFIG_HOME", env, 1);
	snprintf(env, sizeof env, "mkdir -p %s/xdg/stitch", tmpdir);
	if (system(env) != 0)
		abort();
	test_write("xdg/stitch/config", "theme = light\n", path, sizeof path);
	c = conf_new();
	test_args(c, err, sizeof err, NULL);
	tap_is_str(c->theme, "light", "cli: $XDG_CONFIG_HOME/stitch/config");
	conf_default_path(env, sizeof env);
	tap_is_str(env, path, "conf_default_path follows XDG_CONFIG_HOME");
	conf_free(c);
}

static void
test_tokens(void)
{
	struct conf	*c;
	char		 path[512], err[512], opt[600];

	unsetenv("STITCH_TOKEN");
	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--token", "abc", NULL), -1,
	    "token: --token does not exist");
	tap_ok(strstr(err, "STITCH_TOKEN") != NULL &&
	    strstr(err, "abc") == NULL, "token: says where it goes instead");
	tap_is_int(test_args(c, err, sizeof err, "--token=sekrit", NULL), -1,
	    "token: --token=X refused");
	tap_ok(strstr(err, "sekrit") == NULL, "token: and not echoed");
	tap_is_int(test_args(c, err, sizeof err, "--nick", "bot",
	    "oauth:abcdefghijklmnopqrstuvwxyz0123", NULL), -1,
	    "token: an oauth: argument refused");
	tap_ok(strstr(err, "abcdef") == NULL, "token: not echoed");
	tap_is_int(test_args(c, err, sizeof err,
	    "abcdefghijklmnopqrstuvwxyz0123", NULL), -1,
	    "token: a bare 30-character token refused");
	conf_free(c);

	setenv("STITCH_TOKEN", "oauth:envtoken123", 1);
	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", "/dev/null",
	    "--nick", "Bot", NULL), 0, "token: env with nick parses");
	tap_is_str(c->token, "envtoken123", "token: from STITCH_TOKEN, "
	    "oauth: dropped");
	conf_free(c);

	c = conf_new();
	test_args(c, err, sizeof err, "--config", "/dev/null", NULL);
	tap_ok(c->token == NULL && c->errors.n == 1 &&
	    strstr(c->errors.v[0], "no nick") != NULL &&
	    strstr(c->errors.v[0], "envtoken") == NULL,
	    "token: a token without a nick is dropped with a message");
	conf_free(c);
	unsetenv("STITCH_TOKEN");

	test_write("tok", "oauth:filetoken456\nsecond line\n", path,
	    sizeof path);
	snprintf(opt, sizeof opt, "--token-file=%s", path);
	c = conf_new();
	tap_is_int(test_args(c, err, sizeof err, "--config", "/dev/null",
	    "--nick", "bot", opt, NULL), 0, "token: --token-file parses");
	tap_is_str(c->token, "filetoken456", "token: read from the file");
	conf_free(c);

	/* The default token file, for a known nick. */
	test_write("xdg/stitch/token", "deftoken789\n", path, sizeof path);
	c = conf_new();
	test_args(c, err, sizeof err, "--config", "/dev/null", "--nick",
	    "bot", NULL);
	tap_is_str(c->token, "deftoken789", "token: the default token file");
	conf_free(c);

	test_write("empty-tok", "\n", path, sizeof path);
	tap_ok(conf_read_token(path, err, sizeof err) == NULL &&
	    strstr(err, "no token") != NULL, "token: an empty file is refused");
}

static void
test_channel(void)
{
	char	buf[32], err[256];

	tap_ok(conf_channel("#Some_Chan1", buf, sizeof buf, err, sizeof err)
	    == 0 && strcmp(buf, "some_chan1") == 0, "channel: normalized");
	tap_ok(conf_channel("#", buf, sizeof buf, err, sizeof err) == -1,
	    "channel: '#' alone refused");
	tap_ok(conf_channel("caf\xc3\xa9", buf, sizeof buf, err, sizeof err)
	    == -1, "channel: non-ASCII refused");
	tap_ok(conf_channel("abcdefghijklmnopqrstuvwxyz", buf, sizeof buf, err,
	    sizeof err) == -1, "channel: 26 characters refused");
}

int
main(void)
{
	char	cmd[300];

	snprintf(tmpdir, sizeof tmpdir, "%s/test-conf.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		abort();
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", tmpdir, 1);
	test_defaults();
	test_file();
	test_cli();
	test_tokens();
	test_channel();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmpdir);
	return tap_done();
}
