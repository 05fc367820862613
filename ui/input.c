/*
 * input.c: keys to actions. Everything that edits the line goes to the
 * lead's editor (ui/editor.c); this file only decides which key does what:
 * pane focus, scrolling, layouts, the side panel (F2/Alt+u chatters,
 * F3/Alt+m moderators, F4/Alt+i stats; keys go to it while it has the
 * keyboard), the mouse, and bind.KEY lines from the config (run as
 * /commands, and they win over the defaults).
 *
 * Keys are read in one go whenever fd 0 is readable (wget_wch until ERR),
 * so a flood of chat never delays typing by more than one frame.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "text.h"
#include "ui-int.h"

/* Extended key codes ncurses gives Alt+arrows (kLFT3 ...), found at start. */
static int	input_alt_left = -1, input_alt_right = -1;
static int	input_alt_up = -1, input_alt_down = -1;
static int	input_ctrl_left = -1, input_ctrl_right = -1;
static int	input_known;

/* The key code ncurses gives the terminfo capability name (kLFT3), or -2. */
static int
input_keycode(const char *name)
{
	char	*s = tigetstr(name);
	int	 k;

	if (s == NULL || s == (char *)-1)
		return -2;
	k = key_defined(s);
	return k > 0 ? k : -2;
}

static void
input_init_keys(void)
{
	if (input_known)
		return;
	input_known = 1;
	input_alt_left = input_keycode("kLFT3");
	input_alt_right = input_keycode("kRIT3");
	input_alt_up = input_keycode("kUP3");
	input_alt_down = input_keycode("kDN3");
	input_ctrl_left = input_keycode("kLFT5");
	input_ctrl_right = input_keycode("kRIT5");
}

/* A bind.KEY = ACTION line matching this key, or NULL. Key names:
 * alt-X, ctrl-X (a letter), f1..f12. */
static const char *
input_binding(struct ui *ui, int is_code, wint_t wc, int alt)
{
	const struct conf_pairs	*b = &ui->conf->keys;
	const char		*k;
	char			 name[16];
	size_t			 i;

	name[0] = '\0';
	if (is_code && wc >= KEY_F(1) && wc <= KEY_F(12))
		snprintf(name, sizeof name, "f%d", (int)(wc - KEY_F0));
	else if (!is_code && alt && wc > 32 && wc < 127)
		snprintf(name, sizeof name, "alt-%c", (int)wc);
	else if (!is_code && !alt && wc >= 1 && wc <= 26)
		snprintf(name, sizeof name, "ctrl-%c", (int)(wc + 'a' - 1));
	if (name[0] == '\0')
		return NULL;
	for (i = 0; i < b->n; i++) {
		k = b->v[i].key;
		if (text_casecmp(k, name) == 0)
			return b->v[i].value;
	}
	return NULL;
}

static void
input_enter(struct ui *ui)
{
	struct pane	*p = ui_focused(ui);
	char		*line = editor_take(ui->ed);

	if (line == NULL)
		return;
	if (line[0] == '/' && line[1] != '/')
		command_run(ui, line);
	else if (line[0] != '\0' && p != NULL)
		ui_send(ui, p, line[0] == '/' ? line + 1 : line, 0);
	free(line);
}

static void
input_focus_dir(struct ui *ui, enum layout_dir d)
{
	struct layout_rect	*r;
	size_t			 i;

	if (ui->npanes == 0)
		return;
	if ((r = calloc(ui->npanes, sizeof *r)) == NULL)
		abort();
	for (i = 0; i < ui->npanes; i++)
		r[i] = ui->panes[i]->rect;
	ui_focus(ui, (size_t)layout_neighbor(r, (int)ui->npanes,
	    (int)ui->focus, d));
	free(r);
}

static void
input_mouse(struct ui *ui)
{
	MEVENT		 ev;
	size_t		 i;
	struct pane	*p;
	char		 login[32], err[128];
	int		 hit = -1, wheel = 0;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		wheel = 1;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		wheel = -1;
#endif
	if (panel_mouse(ui, ev.x, ev.y, wheel))
		return;
	for (i = 0; i < ui->npanes && hit < 0; i++) {
		p = ui->panes[i];
		if (p->rect.w > 0 && ev.x >= p->rect.x &&
		    ev.x < p->rect.x + p->rect.w && ev.y >= p->rect.y &&
		    ev.y < p->rect.y + p->rect.h)
			hit = (int)i;
	}
	if (hit < 0)
		return;
	p = ui->panes[hit];
	if (ev.bstate & BUTTON4_PRESSED)
		pane_scroll(ui, p, 3);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		pane_scroll(ui, p, -3);
#endif
	else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED |
	    BUTTON1_RELEASED)) {
		/* A nick opens its card; anywhere else just focuses. */
		if (pane_nick_at(ui, p, ev.x, ev.y, login, sizeof login))
			panel_open(ui, PANEL_USER, login, err, sizeof err);
		ui_focus(ui, (size_t)hit);
	}
	ui_dirty(ui);
}

static void
input_page(struct ui *ui, int dir)
{
	struct pane	*p = ui_focused(ui);
	int		 n;

	if (p == NULL)
		return;
	n = pane_content_rows(p) - 1;
	pane_scroll(ui, p, dir * (n < 1 ? 1 : n));
}

/* A key code (arrows, PgUp, ...). */
static void
input_code(struct ui *ui, wint_t k, int alt)
{
	if (alt || (int)k == input_alt_left || (int)k == input_alt_right ||
	    (int)k == input_alt_up || (int)k == input_alt_down) {
		if (k == KEY_LEFT || (int)k == input_alt_left)
			input_focus_dir(ui, LAYOUT_LEFT);
		else if (k == KEY_RIGHT || (int)k == input_alt_right)
			input_focus_dir(ui, LAYOUT_RIGHT);
		else if (k == KEY_UP || (int)k == input_alt_up)
			input_focus_dir(ui, LAYOUT_UP);
		else if (k == KEY_DOWN || (int)k == input_alt_down)
			input_focus_dir(ui, LAYOUT_DOWN);
		return;
	}
	if ((int)k == input_ctrl_left) {
		editor_word_left(ui->ed);
		return;
	}
	if ((int)k == input_ctrl_right) {
		editor_word_right(ui->ed);
		return;
	}
	switch (k) {
	case KEY_LEFT:		editor_left(ui->ed); break;
	case KEY_RIGHT:		editor_right(ui->ed); break;
	case KEY_HOME:		editor_home(ui->ed); break;
	case KEY_END:		editor_end(ui->ed); break;
	case KEY_DC:		editor_delete(ui->ed); break;
	case KEY_BACKSPACE:	editor_backspace(ui->ed); break;
	case KEY_UP:		editor_history_prev(ui->ed); break;
	case KEY_DOWN:		editor_history_next(ui->ed); break;
	case KEY_PPAGE:		input_page(ui, 1); break;
	case KEY_NPAGE:		input_page(ui, -1); break;
	case KEY_ENTER:		input_enter(ui); break;
	case KEY_MOUSE:		input_mouse(ui); break;
	case KEY_RESIZE:	ui_relayout(ui); break;
	case KEY_F(2):		panel_toggle(ui, PANEL_CHATTERS); break;
	case KEY_F(3):		panel_toggle(ui, PANEL_MODS); break;
	case KEY_F(4):		panel_toggle(ui, PANEL_STATS); break;
	default:		break;
	}
}

/* Alt+key (ESC then the key). */
static void
input_alt(struct ui *ui, wint_t c)
{
	if (c >= '0' && c <= '9') {
		ui_focus(ui, c == '0' ? 9 : (size_t)(c - '1'));
		return;
	}
	switch (c) {
	case 'b':	editor_word_left(ui->ed); break;
	case 'f':	editor_word_right(ui->ed); break;
	case 'n':	ui_focus(ui, (ui->focus + 1) % ui->npanes); break;
	case 'p':	ui_focus(ui, (ui->focus + ui->npanes - 1) %
			    ui->npanes); break;
	case 'g':	ui_set_layout(ui, LAYOUT_GRID); break;
	case 's':	ui_set_layout(ui, LAYOUT_SINGLE); break;
	case 't':	ui_set_layout(ui, LAYOUT_TABS); break;
	case 'h':	ui_set_layout(ui, LAYOUT_HSPLIT); break;
	case 'v':	ui_set_layout(ui, LAYOUT_VSPLIT); break;
	case 'w':	ui_part(ui, ui_focused(ui)); break;
	case 'u':	panel_toggle(ui, PANEL_CHATTERS); break;
	case 'm':	panel_toggle(ui, PANEL_MODS); break;
	case 'i':	panel_toggle(ui, PANEL_STATS); break;
	default:	break;
	}
}

/* Ctrl+F: search again, or start typing a search. */
static void
input_search(struct ui *ui)
{
	struct pane	*p = ui_focused(ui);

	if (p != NULL && p->search != NULL && editor_empty(ui->ed))
		pane_search(ui, p, p->search);
	else
		editor_set(ui->ed, "/search ");
}

/* A character key. */
static void
input_char(struct ui *ui, wint_t c)
{
	struct pane	*p;

	switch (c) {
	case '\r':
	case '\n':	input_enter(ui); return;
	case '\t':	editor_complete(ui->ed, input_complete, ui); return;
	case 127:
	case 8:		editor_backspace(ui->ed); return;
	case 1:		editor_home(ui->ed); return;		/* ^A */
	case 2:		editor_left(ui->ed); return;		/* ^B */
	case 4:		editor_delete(ui->ed); return;		/* ^D */
	case 5:		editor_end(ui->ed); return;		/* ^E */
	case 6:		input_search(ui); return;		/* ^F */
	case 11:	editor_kill_to_end(ui->ed); return;	/* ^K */
	case 12:	ui_relayout(ui); return;		/* ^L */
	case 14:	ui_focus(ui, (ui->focus + 1) % ui->npanes); return;
	case 16:	ui_focus(ui, (ui->focus + ui->npanes - 1) %
			    ui->npanes); return;
	case 20:	editor_transpose(ui->ed); return;	/* ^T */
	case 21:	editor_kill_to_start(ui->ed); return;	/* ^U */
	case 23:	editor_kill_word(ui->ed); return;	/* ^W */
	case 25:	editor_yank(ui->ed); return;		/* ^Y */
	case 27:						/* Esc */
		if ((p = ui_focused(ui)) != NULL && p->search != NULL) {
			free(p->search);
			p->search = NULL;
			pane_follow(p);
		}
		ui->message[0] = '\0';
		return;
	default:
		if (c >= 32)
			editor_insert_cp(ui->ed, (uint32_t)c);
		return;
	}
}

void
input_read(struct ui *ui)
{
	const char	*bound;
	wint_t		 c, c2;
	int		 r, r2, alt;

	input_init_keys();
	while ((r = get_wch(&c)) != ERR) {
		alt = 0;
		if (r == OK && c == 27) {
			/* ESC with a key right behind it is Alt+key. */
			if ((r2 = get_wch(&c2)) != ERR) {
				alt = 1;
				r = r2;
				c = c2;
			}
		}
		if ((bound = input_binding(ui, r == KEY_CODE_YES, c, alt)) !=
		    NULL)
			command_run(ui, bound);
		else if (!alt && panel_key(ui, r == KEY_CODE_YES, (uint32_t)c))
			;	/* the panel has the keyboard: filter, select */
		else if (r == KEY_CODE_YES)
			input_code(ui, c, alt);
		else if (alt)
			input_alt(ui, c);
		else
			input_char(ui, c);
		ui_dirty(ui);
		if (ui->quit)
			break;
	}
}

size_t
input_complete(void *arg, enum editor_complete_kind kind, const char *prefix,
    size_t plen, const char **out, size_t max)
{
	struct ui	*ui = arg;
	struct pane	*p = ui_focused(ui);
	size_t		 n;

	if (kind == EDITOR_COMPLETE_COMMAND)
		return command_complete(prefix, plen, out, max);
	if (p == NULL)
		return 0;
	n = chan_chatters_complete(p->chan, prefix, plen, out, max);
	if (kind == EDITOR_COMPLETE_WORD && n < max)
		n += chan_emotes_complete(p->chan, prefix, plen, out + n,
		    max - n);
	return n;
}
