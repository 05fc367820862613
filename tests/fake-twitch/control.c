/*
 * control.c: the admin port's line commands (see control.h). Tests drive
 * the fake through it while it runs; a table maps each command to its
 * handler.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "chatworld.h"
#include "control.h"
#include "fault.h"
#include "net.h"
#include "sim.h"
#ifdef FAKE_HAVE_HTTP
#include "route.h"
#endif

struct control {
	struct net_conn	*conn;
};

static int	control_stopped;

#ifdef FAKE_HAVE_HTTP
/* The HTTP half's answer lines go out as they are. */
static void
control_emit(void *arg, const char *line)
{
	struct control	*c = arg;

	net_conn_sendf(c->conn, "%s", line);
}
#endif

/* Cut the first word off *p (in place); NULL when none is left. */
static char *
control_word(char **p)
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
	while (**p == ' ')
		(*p)++;
	return w;
}

static const char *
control_channel(const char *w)
{
	if (w == NULL || strcmp(w, "all") == 0 || strcmp(w, "*") == 0)
		return NULL;
	return *w == '#' ? w + 1 : w;
}

static int
control_num(const char *s, unsigned long max, unsigned long *out)
{
	char	*end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno != 0 || *end != '\0' || *out > max ? -1 : 0;
}

static void
control_fault(struct control *c, char *args)
{
	char		*kind = control_word(&args), *w;
	unsigned long	 ms = 0;
	long		 n;

	if (kind == NULL) {
		net_conn_sendf(c->conn, "err fault needs a kind");
		return;
	}
	if (strcmp(kind, "nopong") == 0) {
		w = control_word(&args);
		if (w != NULL && strcmp(w, "off") == 0)
			chat_set_nopong(0);
		else if (w == NULL || strcmp(w, "on") == 0)
			chat_set_nopong(1);
		else {
			net_conn_sendf(c->conn, "err fault nopong on|off");
			return;
		}
		net_conn_sendf(c->conn, "ok nopong %s", w != NULL ? w : "on");
		return;
	}
	if (strcmp(kind, "stall") == 0 &&
	    control_num(control_word(&args), 600000, &ms) != 0) {
		net_conn_sendf(c->conn, "err fault stall MS [CHANNEL|all]");
		return;
	}
	n = fault_now(kind, control_channel(control_word(&args)),
	    (unsigned)ms);
	if (n < 0)
		net_conn_sendf(c->conn, "err unknown fault %s", kind);
	else
		net_conn_sendf(c->conn, "ok fault %s hit=%ld", kind, n);
}

static void
control_say(struct control *c, char *args, int marker)
{
	char		*chan = control_word(&args), *login;
	char		 id[40];
	uint64_t	 ms;
	long		 n;

	login = marker ? (char *)"marker" : control_word(&args);
	if (chan == NULL || login == NULL || *args == '\0') {
		net_conn_sendf(c->conn, "err %s", marker ?
		    "marker CHANNEL TEXT" : "say CHANNEL LOGIN TEXT");
		return;
	}
	n = chat_say(control_channel(chan) != NULL ? control_channel(chan) :
	    chan, login, args, id, &ms);
	if (n < 0)
		net_conn_sendf(c->conn, "err no channel %s", chan);
	else
		net_conn_sendf(c->conn, "ok sent_ms=%llu id=%s delivered=%ld",
		    (unsigned long long)ms, id, n);
}

static void
control_cmd_say(struct control *c, char *args)
{
	control_say(c, args, 0);
}

static void
control_cmd_marker(struct control *c, char *args)
{
	control_say(c, args, 1);
}

static void
control_cmd_raw(struct control *c, char *args)
{
	char	*chan = control_word(&args);
	long	 n;

	if (chan == NULL || *args == '\0') {
		net_conn_sendf(c->conn, "err raw CHANNEL|all LINE");
		return;
	}
	if ((n = chat_raw(control_channel(chan), args)) < 0)
		net_conn_sendf(c->conn, "err no channel %s", chan);
	else
		net_conn_sendf(c->conn, "ok delivered=%ld", n);
}

static void
control_cmd_event(struct control *c, char *args)
{
	char	*chan = control_word(&args), *kind = control_word(&args);

	if (chan == NULL || kind == NULL) {
		net_conn_sendf(c->conn, "err event CHANNEL KIND");
		return;
	}
	if (sim_event(kind, control_channel(chan) != NULL ?
	    control_channel(chan) : chan) != 0)
		net_conn_sendf(c->conn, "err event %s in %s", kind, chan);
	else
		net_conn_sendf(c->conn, "ok event %s", kind);
}

static void
control_cmd_roomstate(struct control *c, char *args)
{
	char		*chan = control_word(&args), *key = control_word(&args);
	char		*val = control_word(&args), *end;
	long		 v;

	if (chan == NULL || key == NULL || val == NULL) {
		net_conn_sendf(c->conn, "err roomstate CHANNEL KEY VALUE");
		return;
	}
	errno = 0;
	v = strtol(val, &end, 10);
	if (errno != 0 || *end != '\0' || v < -1 || v > 1000000) {
		net_conn_sendf(c->conn, "err bad value %s", val);
		return;
	}
	chat_roomstate(control_channel(chan) != NULL ? control_channel(chan) :
	    chan, key, (int)v);
	net_conn_sendf(c->conn, "ok roomstate %s=%ld", key, v);
}

static void
control_cmd_clearchat(struct control *c, char *args)
{
	char			*chan = control_word(&args);
	char			*login = control_word(&args);
	char			*secs = control_word(&args);
	unsigned long		 d = 0;
	struct chatworld_user	 u;

	if (chan == NULL || (secs != NULL &&
	    control_num(secs, 1209600, &d) != 0)) {
		net_conn_sendf(c->conn, "err clearchat CHANNEL [LOGIN "
		    "[SECONDS]]");
		return;
	}
	if (*chan == '#')
		chan++;
	if (chat_chan_get(chan) == NULL) {
		net_conn_sendf(c->conn, "err no channel %s", chan);
		return;
	}
	if (login != NULL)
		chatworld_user(login, &u);
	chat_clearchat(chan, login, login != NULL ? u.id : NULL,
	    (unsigned)d);
	net_conn_sendf(c->conn, "ok clearchat");
}

static void
control_cmd_unban(struct control *c, char *args)
{
	char	*chan = control_word(&args), *login = control_word(&args);

	if (chan == NULL || login == NULL) {
		net_conn_sendf(c->conn, "err unban CHANNEL LOGIN");
		return;
	}
	chat_unban(*chan == '#' ? chan + 1 : chan, login);
	net_conn_sendf(c->conn, "ok unban");
}

static void
control_cmd_chatrate(struct control *c, char *args)
{
	unsigned long	n;

	if (control_num(control_word(&args), 10000000, &n) != 0) {
		net_conn_sendf(c->conn, "err chatrate N");
		return;
	}
	sim_set_rate((double)n);
	net_conn_sendf(c->conn, "ok chatrate %lu", n);
}

static void
control_cmd_stats(struct control *c, char *args)
{
	static char	 buf[256 * 1024];
	char		*p, *nl;

	(void)args;
	chat_stats(buf, sizeof buf);
	for (p = buf; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		net_conn_sendf(c->conn, "stat %s", p);
	}
	net_conn_sendf(c->conn, "stat sim_rate=%.0f sim_lines=%llu",
	    sim_rate(), (unsigned long long)sim_lines());
#ifdef FAKE_HAVE_HTTP
	route_stats(control_emit, c);
#endif
	net_conn_sendf(c->conn, "ok stats");
}

static void
control_cmd_quit(struct control *c, char *args)
{
	(void)args;
	net_conn_sendf(c->conn, "ok quit");
	main_shutdown("quit on the admin port");
}

static const struct {
	const char	*name;
	void		(*fn)(struct control *, char *);
} control_cmds[] = {
	{ "fault", control_fault },
	{ "say", control_cmd_say },
	{ "marker", control_cmd_marker },
	{ "raw", control_cmd_raw },
	{ "event", control_cmd_event },
	{ "roomstate", control_cmd_roomstate },
	{ "clearchat", control_cmd_clearchat },
	{ "unban", control_cmd_unban },
	{ "chatrate", control_cmd_chatrate },
	{ "stats", control_cmd_stats },
	{ "quit", control_cmd_quit },
};

void *
control_open(struct net_conn *conn)
{
	struct control	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		abort();
	c->conn = conn;
	return c;
}

void
control_line(void *arg, char *line, size_t len)
{
	struct control	*c = arg;
	char		*cmd;
	size_t		 i;

	(void)len;
	if (c == NULL || control_stopped)
		return;
	if ((cmd = control_word(&line)) == NULL)
		return;
	for (i = 0; i < sizeof control_cmds / sizeof control_cmds[0]; i++)
		if (strcmp(cmd, control_cmds[i].name) == 0) {
			control_cmds[i].fn(c, line);
			return;
		}
#ifdef FAKE_HAVE_HTTP
	if (route_control(cmd, line, control_emit, c) == 0)
		return;
#endif
	net_conn_sendf(c->conn, "err unknown command %s", cmd);
}

void
control_closed(void *arg)
{
	free(arg);
}

void
control_stop(void)
{
	control_stopped = 1;
}
