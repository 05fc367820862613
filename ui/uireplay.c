/*
 * uireplay.c: `stitch replay FILE` in the chat client. Each recorded event
 * is turned back into the IRC line Twitch sent (tags, prefix, command) and
 * goes through irc_parse, twitch_decode and chan_add_event, the path live
 * chat takes, so a replayed timeout dims and a replayed CLEARMSG deletes
 * as they did live. One pane per recorded channel, opened as its first
 * event comes; nothing is sent anywhere (typing says "replay: read-only").
 *
 * A TSV recording has no tags: what its columns hold (display name, time,
 * the timeout's length, the room modes) becomes tags again; a JSON Lines
 * one brings its own.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "irc.h"
#include "replay.h"
#include "twitch.h"
#include "ui-int.h"

#define UIREPLAY_MAX_LINE	(64 * 1024)	/* a rebuilt IRC line */

/* [a-z0-9_]{1,25}, what a prefix may carry. */
static int
uireplay_login_ok(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (n >= 25 || !((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0;
}

/* Keys as IRCv3 allows them; anything else is dropped, not escaped. */
static int
uireplay_key_ok(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (n >= 64 || !((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' &&
		    s[n] <= '9') || s[n] == '-' || s[n] == '/' ||
		    s[n] == '.' || s[n] == '+'))
			return 0;
	return n > 0;
}

static void
uireplay_tag(struct buf *b, int *ntags, const char *key, const char *v)
{
	if (!uireplay_key_ok(key))
		return;
	buf_addc(b, *ntags == 0 ? '@' : ';');
	(*ntags)++;
	buf_adds(b, key);
	buf_addc(b, '=');
	for (; *v != '\0'; v++)
		switch (*v) {
		case ';':	buf_adds(b, "\\:"); break;
		case ' ':	buf_adds(b, "\\s"); break;
		case '\\':	buf_adds(b, "\\\\"); break;
		case '\r':	buf_adds(b, "\\r"); break;
		case '\n':	buf_adds(b, "\\n"); break;
		default:	buf_addc(b, *v); break;
		}
}

static int
uireplay_has_tag(const struct replay_event *ev, const char *key)
{
	size_t	i;

	for (i = 0; i < ev->ntags; i++)
		if (strcmp(ev->tag_key[i], key) == 0)
			return 1;
	return 0;
}

/* "k=v k=v" (a TSV roomstate's text) as tags. */
static void
uireplay_pairs(struct buf *b, int *ntags, const char *text)
{
	char	pair[128], *eq;
	size_t	n;

	while (*text != '\0') {
		n = strcspn(text, " ");
		if (n > 0 && n < sizeof pair) {
			memcpy(pair, text, n);
			pair[n] = '\0';
			if ((eq = strchr(pair, '=')) != NULL) {
				*eq = '\0';
				uireplay_tag(b, ntags, pair, eq + 1);
			}
		}
		text += n;
		text += strspn(text, " ");
	}
}

/* "timeout 600s" (tail's text for a timeout) -> 600; 0 if not that. */
static long
uireplay_timeout(const char *text)
{
	char	*end;
	long	 v;

	if (strncmp(text, "timeout ", 8) != 0 || text[8] < '0' ||
	    text[8] > '9')
		return 0;
	errno = 0;
	v = strtol(text + 8, &end, 10);
	if (errno != 0 || strcmp(end, "s") != 0 || v > 1209600)
		return 0;
	return v;
}

/* The trailing text: a line break would end the line, so it is a space. */
static void
uireplay_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, (*s == '\r' || *s == '\n') ? ' ' : *s);
}

/*
 * The IRC line for ev into b (reset first). Returns 0, or -1 for events
 * that were never chat (userstate, whispers) or have no channel.
 */
static int
uireplay_line(const struct replay_event *ev, struct buf *b)
{
	const char	*k = ev->kind, *login = ev->login, *cmd, *trail;
	char		 num[32];
	int		 ntags = 0, action = 0, target = 0;
	size_t		 i;
	long		 secs;

	buf_reset(b);
	if (!uireplay_login_ok(ev->channel))
		return -1;
	if (strcmp(k, "privmsg") == 0)
		cmd = "PRIVMSG";
	else if (strcmp(k, "action") == 0) {
		cmd = "PRIVMSG";
		action = 1;
	} else if (strncmp(k, "usernotice", 10) == 0)
		cmd = "USERNOTICE";
	else if (strcmp(k, "clearchat") == 0) {
		cmd = "CLEARCHAT";
		target = 1;
	} else if (strcmp(k, "clearmsg") == 0) {
		cmd = "CLEARMSG";
		target = 1;
	} else if (strcmp(k, "notice") == 0)
		cmd = "NOTICE";
	else if (strcmp(k, "roomstate") == 0)
		cmd = "ROOMSTATE";
	else if (strcmp(k, "join") == 0)
		cmd = "JOIN";
	else if (strcmp(k, "part") == 0)
		cmd = "PART";
	else
		return -1;
	for (i = 0; i < ev->ntags; i++)
		uireplay_tag(b, &ntags, ev->tag_key[i], ev->tag_value[i]);
	if (ev->display_name[0] != '\0' && !target &&
	    !uireplay_has_tag(ev, "display-name"))
		uireplay_tag(b, &ntags, "display-name", ev->display_name);
	if (!uireplay_has_tag(ev, "tmi-sent-ts") && ev->ms > 0) {
		snprintf(num, sizeof num, "%lld", (long long)ev->ms);
		uireplay_tag(b, &ntags, "tmi-sent-ts", num);
	}
	if (strncmp(k, "usernotice:", 11) == 0 &&
	    !uireplay_has_tag(ev, "msg-id"))
		uireplay_tag(b, &ntags, "msg-id", k + 11);
	if (target && !uireplay_has_tag(ev, "ban-duration") &&
	    strcmp(k, "clearchat") == 0 &&
	    (secs = uireplay_timeout(ev->text)) > 0) {
		snprintf(num, sizeof num, "%ld", secs);
		uireplay_tag(b, &ntags, "ban-duration", num);
	}
	if (strcmp(cmd, "ROOMSTATE") == 0 && ev->ntags == 0)
		uireplay_pairs(b, &ntags, ev->text);
	if (ntags > 0)
		buf_addc(b, ' ');
	/* A target is the trailing parameter, not the sender. */
	if (!target && uireplay_login_ok(login))
		buf_addf(b, ":%s!%s@%s.tmi.twitch.tv ", login, login, login);
	else
		buf_adds(b, ":tmi.twitch.tv ");
	buf_addf(b, "%s #%s", cmd, ev->channel);
	if (strcmp(cmd, "JOIN") == 0 || strcmp(cmd, "PART") == 0 ||
	    strcmp(cmd, "ROOMSTATE") == 0)
		return 0;
	if (strcmp(cmd, "CLEARCHAT") == 0)
		trail = uireplay_login_ok(login) ? login : NULL;
	else
		trail = ev->text;
	if (trail == NULL)
		return 0;
	buf_adds(b, " :");
	if (action)
		buf_adds(b, "\001ACTION ");
	uireplay_text(b, trail);
	if (action)
		buf_addc(b, '\001');
	return b->len > UIREPLAY_MAX_LINE ? -1 : 0;
}

static struct pane *
uireplay_pane(struct ui *ui, const char *name)
{
	struct pane	*p;

	if ((p = ui_find(ui, name, strlen(name))) != NULL)
		return p;
	p = ui_open_pane(ui, name);
	ui_info(ui, p, CHAN_K_NOTICE, "replaying #%s from %s", name,
	    ui->replay_file);
	return p;
}

static void
uireplay_on_event(void *arg, const struct replay_event *ev)
{
	struct ui		*ui = arg;
	struct twitch_event	 tev;
	struct irc_msg		 msg;
	struct pane		*p;
	int64_t			 s = ev->ms / 1000;

	if (uireplay_line(ev, &ui->replay_line) != 0)
		return;
	if (irc_parse(ui->replay_line.data, ui->replay_line.len, &msg) != 0)
		return;
	twitch_decode(&msg, &tev, ui->replay_scratch,
	    sizeof ui->replay_scratch);
	if (tev.channel.len == 0)
		return;
	p = uireplay_pane(ui, ev->channel);
	chan_add_event(p->chan, &tev, &ui->match, s > 0 && s < UINT32_MAX ?
	    (uint32_t)s : (uint32_t)time(NULL));
	ui_chat_dirty(ui);
}

static void
uireplay_on_bad(void *arg, const char *why)
{
	struct ui	*ui = arg;

	ui_status(ui, THEME_ERROR, "replay: %s (skipped)", why);
}

static void
uireplay_on_done(void *arg, int error, const char *why)
{
	struct ui	*ui = arg;
	struct pane	*p = ui_focused(ui);

	ui->replay_done = 1;
	if (error)
		ui_info(ui, p, CHAN_K_ERROR, "replay stopped: %s", why);
	ui_info(ui, p, CHAN_K_NOTICE, "replay ended: %llu events, %llu bad "
	    "lines skipped; /quit leaves",
	    (unsigned long long)replay_delivered(ui->rp),
	    (unsigned long long)replay_skipped(ui->rp));
	ui_status(ui, THEME_NOTICE, "replay ended");
}

int
uireplay_open(struct ui *ui, const char *file, double speed,
    int64_t max_gap_ms, char *err, size_t errsz)
{
	static const struct replay_events	ev = {
		.on_event = uireplay_on_event,
		.on_bad = uireplay_on_bad,
		.on_done = uireplay_on_done,
	};

	if (strcmp(file, "-") == 0) {
		snprintf(err, errsz, "the chat client reads the keyboard: "
		    "give a file, or use --tail for stdin");
		return -1;
	}
	if ((ui->rfp = fopen(file, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		return -1;
	}
	snprintf(ui->replay_file, sizeof ui->replay_file, "%s", file);
	ui->replay = 1;
	ui->replay_speed = speed;
	buf_init(&ui->replay_line, 4 * REPLAY_MAX_LINE);
	ui->rr = replay_reader_new(ui->rfp, file);
	ui->rp = replay_new(ui->loop, ui->rr, speed, max_gap_ms, &ev, ui);
	return 0;
}

void
uireplay_close(struct ui *ui)
{
	if (!ui->replay)
		return;
	replay_free(ui->rp);
	ui->rp = NULL;
}

/* After the loop closed: what the replay's timer no longer needs. */
void
uireplay_free(struct ui *ui)
{
	if (!ui->replay)
		return;
	replay_reader_free(ui->rr);
	if (ui->rfp != NULL)
		fclose(ui->rfp);
	buf_free(&ui->replay_line);
	ui->rr = NULL;
	ui->rfp = NULL;
}
