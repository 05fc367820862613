/*
 * command.c: the /commands, as a {name, callback, help} table (WeeChat's
 * habit): /help prints the table, Tab completes from it, and adding a
 * command is one line here and one function.
 */
#include "config.h"

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
	{ "mods", command_mods, "", "the moderators seen in chat (F3, Alt+m)" },
	{ "stats", command_stats, "",
	    "room modes, messages per minute, chatters (F4, Alt+i)" },
	{ "user", command_user, "NAME",
	    "a user's card: badges, first and last seen, recent lines "
	    "(or click a nick; Esc closes)" },
	{ "panel", command_panel, "chatters|mods|stats|off",
	    "open or close the side panel" },
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
	(void)p;
	(void)args;
	command_panel_open(ui, PANEL_MODS, NULL, "mods");
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
	    "moderators and stats panels; Ctrl+C twice quits");
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
