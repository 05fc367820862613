/*
 * command.c: the /commands, as a {name, callback, help} table (WeeChat's
 * habit): /help prints the table, Tab completes from it, and adding a
 * command is one line here and one function.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui-int.h"

typedef void	(*command_fn)(struct ui *, struct pane *, char *args);

struct command {
	const char	*name;
	command_fn	 fn;
	const char	*usage;
	const char	*help;
};

static void	command_join(struct ui *, struct pane *, char *);
static void	command_part(struct ui *, struct pane *, char *);
static void	command_me(struct ui *, struct pane *, char *);
static void	command_clear(struct ui *, struct pane *, char *);
static void	command_search(struct ui *, struct pane *, char *);
static void	command_layout(struct ui *, struct pane *, char *);
static void	command_theme(struct ui *, struct pane *, char *);
static void	command_set(struct ui *, struct pane *, char *);
static void	command_help(struct ui *, struct pane *, char *);
static void	command_quit(struct ui *, struct pane *, char *);
static void	command_window(struct ui *, struct pane *, char *);
static void	command_chatters(struct ui *, struct pane *, char *);
static void	command_mods(struct ui *, struct pane *, char *);
static void	command_stats(struct ui *, struct pane *, char *);
static void	command_user(struct ui *, struct pane *, char *);
static void	command_panel(struct ui *, struct pane *, char *);
static void	command_ban(struct ui *, struct pane *, char *);
static void	command_unban(struct ui *, struct pane *, char *);
static void	command_timeout(struct ui *, struct pane *, char *);
static void	command_delete(struct ui *, struct pane *, char *);
static void	command_slow(struct ui *, struct pane *, char *);
static void	command_slowoff(struct ui *, struct pane *, char *);
static void	command_followers(struct ui *, struct pane *, char *);
static void	command_followersoff(struct ui *, struct pane *, char *);
static void	command_subscribers(struct ui *, struct pane *, char *);
static void	command_subscribersoff(struct ui *, struct pane *, char *);
static void	command_emoteonly(struct ui *, struct pane *, char *);
static void	command_emoteonlyoff(struct ui *, struct pane *, char *);
static void	command_vips(struct ui *, struct pane *, char *);
static void	command_whisper(struct ui *, struct pane *, char *);
static void	command_color(struct ui *, struct pane *, char *);

static const struct command command_table[] = {
	{ "join", command_join, "CHANNEL...",
	    "join channels, one pane each" },
	{ "part", command_part, "[CHANNEL]",
	    "leave a channel (the focused one) and close its pane" },
	{ "me", command_me, "TEXT", "send an action (/me waves)" },
	{ "clear", command_clear, "", "empty the focused pane's scrollback" },
	{ "search", command_search, "[TEXT]",
	    "find TEXT further back (again: older; alone: stop); Ctrl+F" },
	{ "layout", command_layout, "single|tabs|hsplit|vsplit|grid",
	    "arrange the panes (Alt+s, Alt+t, Alt+h, Alt+v, Alt+g)" },
	{ "theme", command_theme, "NAME",
	    "switch theme (dark, light, high-contrast, or your own)" },
	{ "set", command_set, "KEY VALUE",
	    "change a setting as a config line would (timestamps, "
	    "highlights, scrollback, log, bell, mouse)" },
	{ "window", command_window, "N", "focus pane N (Alt+N)" },
	{ "chatters", command_chatters, "[FILTER]",
	    "who is here, by group, in the side panel; type to filter "
	    "(F2, Alt+u)" },
	{ "mods", command_mods, "",
	    "the moderators (F3, Alt+m); with a login, Helix's list too" },
	{ "vips", command_vips, "", "the channel's VIPs, from Helix" },
	{ "stats", command_stats, "",
	    "room modes, messages per minute, chatters (F4, Alt+i)" },
	{ "user", command_user, "NAME",
	    "a user's card: badges, first and last seen, recent lines "
	    "(or click a nick; Esc closes)" },
	{ "panel", command_panel, "chatters|mods|stats|off",
	    "open or close the side panel" },
	{ "ban", command_ban, "USER [REASON]",
	    "ban USER from the channel (Helix; moderators)" },
	{ "unban", command_unban, "USER", "lift a ban or a timeout" },
	{ "timeout", command_timeout, "USER SECONDS [REASON]",
	    "time USER out, 1 s to 14 days" },
	{ "delete", command_delete, "[USER]",
	    "delete USER's newest line (alone: the line picked on the "
	    "open card)" },
	{ "slow", command_slow, "SECONDS", "slow mode: one line per 3-120 s" },
	{ "slowoff", command_slowoff, "", "slow mode off" },
	{ "followers", command_followers, "[MINUTES]",
	    "followers-only chat (followed at least MINUTES ago)" },
	{ "followersoff", command_followersoff, "", "followers-only off" },
	{ "subscribers", command_subscribers, "", "subscribers-only chat" },
	{ "subscribersoff", command_subscribersoff, "",
	    "subscribers-only off" },
	{ "emoteonly", command_emoteonly, "", "emote-only chat" },
	{ "emoteonlyoff", command_emoteonlyoff, "", "emote-only off" },
	{ "w", command_whisper, "USER TEXT", "whisper to USER (Helix)" },
	{ "color", command_color, "COLOR",
	    "your name's colour: a Twitch name (blue_violet) or #RRGGBB" },
	{ "help", command_help, "[COMMAND]", "this list" },
	{ "quit", command_quit, "", "leave stitch" },
};
#define COMMAND_COUNT	(sizeof command_table / sizeof command_table[0])

/* Split off the first word of *s (spaces skipped); NULL if none. */
static char *
command_word(char **s)
{
	char	*w = *s, *e;

	while (*w == ' ')
		w++;
	if (*w == '\0')
		return NULL;
	for (e = w; *e != '\0' && *e != ' '; e++)
		;
	if (*e != '\0')
		*e++ = '\0';
	*s = e;
	return w;
}

static void
command_join(struct ui *ui, struct pane *p, char *args)
{
	char	*w, err[256];
	int	 any = 0;

	(void)p;
	while ((w = command_word(&args)) != NULL) {
		any = 1;
		if (ui_join(ui, w, err, sizeof err) != 0)
			ui_message(ui, THEME_ERROR, "/join %s: %s", w, err);
	}
	if (!any)
		ui_message(ui, THEME_ERROR, "usage: /join CHANNEL...");
}

static void
command_part(struct ui *ui, struct pane *p, char *args)
{
	char	*w = command_word(&args);

	if (w != NULL && (p = ui_find(ui, w[0] == '#' ? w + 1 : w,
	    strlen(w[0] == '#' ? w + 1 : w))) == NULL) {
		ui_message(ui, THEME_ERROR, "/part: not in %s", w);
		return;
	}
	if (p == NULL || !p->joined) {
		ui_message(ui, THEME_ERROR, "/part: no channel here");
		return;
	}
	ui_part(ui, p);
}

static void
command_me(struct ui *ui, struct pane *p, char *args)
{
	while (*args == ' ')
		args++;
	if (*args == '\0') {
		ui_message(ui, THEME_ERROR, "usage: /me TEXT");
		return;
	}
	ui_send(ui, p, args, 1);
}

static void
command_clear(struct ui *ui, struct pane *p, char *args)
{
	(void)args;
	chan_clear(p->chan);
	pane_follow(p);
	ui_message(ui, THEME_NOTICE, "cleared (here only)");
}

static void
command_search(struct ui *ui, struct pane *p, char *args)
{
	while (*args == ' ')
		args++;
	if (*args == '\0') {
		free(p->search);
		p->search = NULL;
		pane_follow(p);
		ui->message[0] = '\0';
		return;
	}
	pane_search(ui, p, args);
}

static void
command_layout(struct ui *ui, struct pane *p, char *args)
{
	char	*w = command_word(&args);
	int	 m;

	(void)p;
	if (w == NULL) {
		ui_message(ui, THEME_NOTICE, "layout: %s",
		    layout_mode_name(ui->mode));
		return;
	}
	if ((m = layout_mode_parse(w)) < 0) {
		ui_message(ui, THEME_ERROR, "/layout: single, tabs, hsplit, "
		    "vsplit or grid");
		return;
	}
	ui_set_layout(ui, (enum layout_mode)m);
}

static void
command_theme(struct ui *ui, struct pane *p, char *args)
{
	char	*w = command_word(&args), err[512];

	(void)p;
	if (w == NULL) {
		ui_message(ui, THEME_NOTICE, "theme: %s", ui->theme.name);
		return;
	}
	if (ui_set_theme(ui, w, err, sizeof err) != 0)
		ui_message(ui, THEME_ERROR, "/theme: %s", err);
	else
		ui_message(ui, THEME_NOTICE, "theme: %s", ui->theme.name);
}

static void
command_set(struct ui *ui, struct pane *p, char *args)
{
	char	*key = command_word(&args), err[256];

	(void)p;
	while (*args == ' ')
		args++;
	if (key == NULL) {
		ui_message(ui, THEME_ERROR, "usage: /set KEY VALUE (see man "
		    "stitch for the keys)");
		return;
	}
	if (strcmp(key, "mouse") == 0) {
		ui->mouse = strcmp(args, "off") != 0;
		ui_relayout(ui);
		ui_message(ui, THEME_NOTICE, "mouse %s", ui->mouse ? "on" :
		    "off");
		return;
	}
	if (conf_set(ui->conf, key, args, err, sizeof err) != 0) {
		ui_message(ui, THEME_ERROR, "/set %s: %s", key, err);
		return;
	}
	ui_apply_conf(ui);	/* timestamps, highlights, scrollback */
	ui_relayout(ui);
	ui_message(ui, THEME_NOTICE, "%s = %s", key, args);
}

static void
command_window(struct ui *ui, struct pane *p, char *args)
{
	char		*w = command_word(&args), *end;
	unsigned long	 n;

	(void)p;
	n = w != NULL ? strtoul(w, &end, 10) : 0;
	if (w == NULL || *end != '\0' || n == 0 || n > ui->npanes) {
		ui_message(ui, THEME_ERROR, "/window: 1 to %zu", ui->npanes);
		return;
	}
	ui_focus(ui, n - 1);
}

static void
command_panel_open(struct ui *ui, enum panel_kind k, const char *arg,
    const char *name)
{
	char	err[256];

	if (panel_open(ui, k, arg, err, sizeof err) != 0)
		ui_message(ui, THEME_ERROR, "/%s: %s", name, err);
}

static void
command_chatters(struct ui *ui, struct pane *p, char *args)
{
	char	*w = command_word(&args);

	(void)p;
	command_panel_open(ui, PANEL_CHATTERS, w, "chatters");
}

static void
command_mods(struct ui *ui, struct pane *p, char *args)
{
	(void)args;
	command_panel_open(ui, PANEL_MODS, NULL, "mods");
	if (ui->hx != NULL && p->joined)
		uihelix_list_cmd(ui, p, "mods", HELIX_MODERATORS);
}

static void
command_vips(struct ui *ui, struct pane *p, char *args)
{
	(void)args;
	uihelix_list_cmd(ui, p, "vips", HELIX_VIPS);
}

/* A login from a word ("@Bob" -> "bob"); 0 if it is not one. */
static int
command_login(const char *w, char *out, size_t sz)
{
	size_t	n = 0;

	if (w == NULL)
		return 0;
	if (*w == '@')
		w++;
	for (; *w != '\0'; w++) {
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		    (*w >= '0' && *w <= '9') || *w == '_') || n + 1 >= sz ||
		    n >= 25)
			return 0;
		out[n++] = (*w >= 'A' && *w <= 'Z') ? *w - 'A' + 'a' : *w;
	}
	out[n] = '\0';
	return n > 0;
}

/* A whole number from lo to hi; 0 if w is not one. */
static int
command_number(const char *w, unsigned long lo, unsigned long hi,
    unsigned long *out)
{
	char	*end;

	if (w == NULL || *w < '0' || *w > '9')
		return 0;
	errno = 0;
	*out = strtoul(w, &end, 10);
	return *end == '\0' && errno == 0 && *out >= lo && *out <= hi;
}

static void
command_rest(char **args)
{
	while (**args == ' ')
		(*args)++;
}

static void
command_ban_like(struct ui *ui, struct pane *p, char *args,
    enum apphelix_op op, const char *name)
{
	struct apphelix_req	 req;
	unsigned long		 secs = 0;
	char			*w = command_word(&args), *s = NULL;

	memset(&req, 0, sizeof req);
	req.op = op;
	if (op == APPHELIX_TIMEOUT)
		s = command_word(&args);
	if (!command_login(w, req.user, sizeof req.user) ||
	    (op == APPHELIX_TIMEOUT && !command_number(s, 1, 1209600,
	    &secs))) {
		ui_message(ui, THEME_ERROR, "usage: /%s USER%s", name,
		    op == APPHELIX_TIMEOUT ? " SECONDS (1 to 1209600) "
		    "[REASON]" : op == APPHELIX_BAN ? " [REASON]" : "");
		return;
	}
	req.seconds = (unsigned)secs;
	command_rest(&args);
	if (op != APPHELIX_UNBAN)
		snprintf(req.text, sizeof req.text, "%s", args);
	uihelix_request(ui, p, name, &req);
}

static void
command_ban(struct ui *ui, struct pane *p, char *args)
{
	command_ban_like(ui, p, args, APPHELIX_BAN, "ban");
}

static void
command_unban(struct ui *ui, struct pane *p, char *args)
{
	command_ban_like(ui, p, args, APPHELIX_UNBAN, "unban");
}

static void
command_timeout(struct ui *ui, struct pane *p, char *args)
{
	command_ban_like(ui, p, args, APPHELIX_TIMEOUT, "timeout");
}

static void
command_delete(struct ui *ui, struct pane *p, char *args)
{
	char		 login[32];
	char		*w = command_word(&args);
	const char	*card = panel_card_user(ui);

	if (w == NULL && card != NULL) {
		/* The line selected on the open card. */
		snprintf(login, sizeof login, "%s", card);
		uihelix_delete(ui, p, login, panel_card_line_seq(ui));
		return;
	}
	if (!command_login(w, login, sizeof login)) {
		ui_message(ui, THEME_ERROR, "usage: /delete USER (their "
		    "newest line here)");
		return;
	}
	uihelix_delete(ui, p, login, 0);
}

/* A chat settings change, said back as done. */
static void
command_settings(struct ui *ui, struct pane *p, const char *name,
    const struct helix_settings_patch *patch, const char *done)
{
	struct apphelix_req	req;

	memset(&req, 0, sizeof req);
	req.op = APPHELIX_SETTINGS;
	req.patch = *patch;
	snprintf(req.text, sizeof req.text, "%s", done);
	uihelix_request(ui, p, name, &req);
}

static void
command_slow(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	 pt;
	unsigned long			 n;
	char				*w = command_word(&args), done[64];

	if (!command_number(w, 3, 120, &n)) {
		ui_message(ui, THEME_ERROR, "usage: /slow SECONDS (3 to 120)");
		return;
	}
	helix_settings_patch_init(&pt);
	pt.slow_mode = 1;
	pt.slow_mode_wait_time = (int64_t)n;
	snprintf(done, sizeof done, "slow mode on: one line per %lu s", n);
	command_settings(ui, p, "slow", &pt, done);
}

static void
command_slowoff(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.slow_mode = 0;
	command_settings(ui, p, "slowoff", &pt, "slow mode off");
}

static void
command_followers(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	 pt;
	unsigned long			 n = 0;
	char				*w = command_word(&args), done[80];

	if (w != NULL && !command_number(w, 0, 129600, &n)) {
		ui_message(ui, THEME_ERROR, "usage: /followers [MINUTES] "
		    "(0 to 129600)");
		return;
	}
	helix_settings_patch_init(&pt);
	pt.follower_mode = 1;
	pt.follower_mode_duration = (int64_t)n;
	snprintf(done, sizeof done, "followers-only chat on (followed %lu "
	    "min ago or more)", n);
	command_settings(ui, p, "followers", &pt, done);
}

static void
command_followersoff(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.follower_mode = 0;
	command_settings(ui, p, "followersoff", &pt, "followers-only off");
}

static void
command_subscribers(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.subscriber_mode = 1;
	command_settings(ui, p, "subscribers", &pt, "subscribers-only on");
}

static void
command_subscribersoff(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.subscriber_mode = 0;
	command_settings(ui, p, "subscribersoff", &pt,
	    "subscribers-only off");
}

static void
command_emoteonly(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.emote_mode = 1;
	command_settings(ui, p, "emoteonly", &pt, "emote-only on");
}

static void
command_emoteonlyoff(struct ui *ui, struct pane *p, char *args)
{
	struct helix_settings_patch	pt;

	(void)args;
	helix_settings_patch_init(&pt);
	pt.emote_mode = 0;
	command_settings(ui, p, "emoteonlyoff", &pt, "emote-only off");
}

static void
command_whisper(struct ui *ui, struct pane *p, char *args)
{
	struct apphelix_req	 req;
	char			*w = command_word(&args);

	memset(&req, 0, sizeof req);
	req.op = APPHELIX_WHISPER;
	command_rest(&args);
	if (!command_login(w, req.user, sizeof req.user) || *args == '\0') {
		ui_message(ui, THEME_ERROR, "usage: /w USER TEXT");
		return;
	}
	snprintf(req.text, sizeof req.text, "%s", args);
	uihelix_request(ui, p, "w", &req);
}

static void
command_color(struct ui *ui, struct pane *p, char *args)
{
	struct apphelix_req	 req;
	char			*w = command_word(&args);
	size_t			 i;

	if (w == NULL || strlen(w) > 32) {
		ui_message(ui, THEME_ERROR, "usage: /color COLOR (a Twitch "
		    "name such as blue_violet, or #RRGGBB)");
		return;
	}
	for (i = 0; w[i] != '\0'; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' &&
		    w[i] <= 'Z') || (w[i] >= '0' && w[i] <= '9') ||
		    w[i] == '_' || (w[i] == '#' && i == 0))) {
			ui_message(ui, THEME_ERROR, "/color: letters, digits, "
			    "_ or a leading #");
			return;
		}
	memset(&req, 0, sizeof req);
	req.op = APPHELIX_COLOR;
	snprintf(req.text, sizeof req.text, "%s", w);
	uihelix_request(ui, p, "color", &req);
}

static void
command_stats(struct ui *ui, struct pane *p, char *args)
{
	(void)p;
	(void)args;
	command_panel_open(ui, PANEL_STATS, NULL, "stats");
}

static void
command_user(struct ui *ui, struct pane *p, char *args)
{
	char	*w = command_word(&args);

	(void)p;
	if (w == NULL) {
		ui_message(ui, THEME_ERROR, "usage: /user NAME");
		return;
	}
	command_panel_open(ui, PANEL_USER, w, "user");
}

static void
command_panel(struct ui *ui, struct pane *p, char *args)
{
	static const struct {
		const char	*name;
		enum panel_kind	 kind;
	} kinds[] = {
		{ "off", PANEL_NONE }, { "close", PANEL_NONE },
		{ "chatters", PANEL_CHATTERS }, { "mods", PANEL_MODS },
		{ "stats", PANEL_STATS },
	};
	char	*w = command_word(&args);
	size_t	 i;

	(void)p;
	for (i = 0; w != NULL && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(w, kinds[i].name) == 0) {
			command_panel_open(ui, kinds[i].kind, NULL, "panel");
			return;
		}
	ui_message(ui, THEME_ERROR, "usage: /panel chatters|mods|stats|off");
}

static void
command_help(struct ui *ui, struct pane *p, char *args)
{
	const struct command	*c;
	size_t			 i;
	char			*w = command_word(&args);

	ui_info(ui, p, CHAN_K_NOTICE, "commands (Tab completes them):");
	for (i = 0; i < COMMAND_COUNT; i++) {
		c = &command_table[i];
		if (w != NULL && strcmp(w, c->name) != 0 &&
		    !(w[0] == '/' && strcmp(w + 1, c->name) == 0))
			continue;
		ui_info(ui, p, CHAN_K_NOTICE, "  /%s%s%s - %s", c->name,
		    c->usage[0] ? " " : "", c->usage, c->help);
	}
	ui_info(ui, p, CHAN_K_NOTICE, "keys: Alt+1..9 or Ctrl+N/P or Alt+"
	    "arrows or a click move the focus; PgUp/PgDn or the wheel "
	    "scroll; Tab completes nicks; F2/F3/F4 open the chatters, "
	    "moderators and stats panels; on a moderator's user card t "
	    "times out, b bans, d deletes (each then y); Ctrl+C twice "
	    "quits");
}

static void
command_quit(struct ui *ui, struct pane *p, char *args)
{
	(void)p;
	(void)args;
	ui_quit(ui);
}

void
command_run(struct ui *ui, const char *line)
{
	const struct command	*c;
	struct pane		*p = ui_focused(ui);
	char			*copy, *args, *name;
	size_t			 i;

	if ((copy = strdup(line[0] == '/' ? line + 1 : line)) == NULL)
		abort();
	args = copy;
	if ((name = command_word(&args)) == NULL) {
		free(copy);
		return;
	}
	for (i = 0; i < COMMAND_COUNT; i++) {
		c = &command_table[i];
		if (text_casecmp(name, c->name) != 0)
			continue;
		if (p == NULL && c->fn != command_join &&
		    c->fn != command_quit && c->fn != command_help) {
			ui_message(ui, THEME_ERROR, "/%s: no pane", c->name);
			break;
		}
		c->fn(ui, p, args);
		break;
	}
	if (i == COMMAND_COUNT)
		ui_message(ui, THEME_ERROR, "unknown command /%s (try /help)",
		    name);
	free(copy);
}

size_t
command_complete(const char *prefix, size_t plen, const char **out,
    size_t max)
{
	static char	names[COMMAND_COUNT][16];
	size_t		i, n = 0;

	for (i = 0; i < COMMAND_COUNT && n < max; i++) {
		snprintf(names[i], sizeof names[i], "/%s",
		    command_table[i].name);
		if (strlen(names[i]) >= plen &&
		    text_ncasecmp(names[i], prefix, plen) == 0)
			out[n++] = names[i];
	}
	return n;
}
