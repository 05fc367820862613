/*
 * sim.c: the simulated crowd (see sim.h). A uv timer ticks every
 * SIM_TICK_MS and emits the lines due since the rate was set, so the rate
 * holds however the ticks fall; if the loop falls far behind, the backlog
 * is dropped rather than sent in one burst.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "fline.h"
#include "net.h"
#include "sim.h"

#define SIM_TICK_MS	4
#define SIM_CROWD	256
#define SIM_MAX_CP	500

struct sim_user {
	char	login[32];
	char	display[64];	/* tag-escaped */
	char	id[16];
	char	color[8];
	char	badges[48];
	char	info[32];
	int	mod, sub, vip;
};

static struct {
	uv_loop_t	*loop;
	uv_timer_t	 timer;
	int		 running, stopped;
	double		 rate;
	uint64_t	 t0;		/* uv_hrtime() when the rate was set */
	uint64_t	 emitted;	/* lines since t0 */
	uint64_t	 lines;		/* lines in all */
	uint64_t	 rng;
	struct sim_user	 crowd[SIM_CROWD];
} sim;

static const char *const sim_logins[] = {
	"pixelfox", "nightowl", "quietstorm", "byte_bandit", "lunarmoth",
	"coffeecat", "mossy_rock", "tinkerer", "zebra_zen", "orbitkid",
	"saltydog", "papercrane", "glitchgoblin", "frostbyte", "mapleleaf",
	"retro_ray", "cloudberry", "vimlord", "emacsqueen", "tmuxfan",
};

/* Non-ASCII display names with the logins Twitch would give them. */
static const struct {
	const char	*login;
	const char	*display;
} sim_intl[] = {
	{ "kookiemonster", "\xec\xbf\xa0\xed\x82\xa4\xeb\xaa\xac\xec\x8a\xa4"
	    "\xed\x84\xb0" },					/* 쿠키몬스터 */
	{ "yuuki", "\xe3\x82\x86\xe3\x81\x86\xe3\x81\x8d" },	/* ゆうき */
	{ "zoe", "Zo\xc3\xab" },				/* Zoë */
	{ "lukasz", "\xc5\x81ukasz" },				/* Łukasz */
	{ "dmitry", "\xd0\x94\xd0\xbc\xd0\xb8\xd1\x82\xd1\x80\xd0\xb8\xd0"
	    "\xb9" },						/* Дмитрий */
	{ "xiaoming", "\xe5\xb0\x8f\xe6\x98\x8e" },		/* 小明 */
	{ "emilie", "\xc3\x89milie" },				/* Émilie */
	{ "soren", "S\xc3\xb8ren" },				/* Søren */
	{ "alexis", "\xce\x91\xce\xbb\xce\xad\xce\xbe\xce\xb7\xcf\x82" },
	{ "riot_games", "Riot Games" },		/* a space: \s in the tag */
};

static const char *const sim_colors[] = {
	"#FF0000", "#0000FF", "#008000", "#B22222", "#FF7F50", "#9ACD32",
	"#FF4500", "#2E8B57", "#DAA520", "#D2691E", "#5F9EA0", "#1E90FF",
	"#FF69B4", "#8A2BE2", "#00FF7F", "",
};

static const char *const sim_words[] = {
	"hello", "chat", "what", "is", "this", "lol", "gg", "wp", "nice",
	"play", "the", "stream", "today", "again", "clip", "it", "no", "way",
	"that", "was", "insane", "true", "based", "hype", "let's", "go",
	"why", "would", "you", "do", "a", "build", "with", "compile", "error",
	"segfault", "again?!", "monkaS", "tmux", "terminal", "wow", "ok",
	/* emoji (one, two and more code points) and CJK */
	"\xf0\x9f\x98\x82", "\xf0\x9f\x91\x89", "\xe2\x9d\xa4\xef\xb8\x8f",
	"\xf0\x9f\x94\xa5", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
	"\xe4\xbd\xa0\xe5\xa5\xbd", "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab"
	"\xe3\x81\xa1\xe3\x81\xaf", "\xec\x95\x88\xeb\x85\x95\xed\x95\x98"
	"\xec\x84\xb8\xec\x9a\x94", "\xe8\x8d\x89", "\xe7\xac\x91",
	/* emotes the fake knows (emotes tag) */
	"Kappa", "PogChamp", "LUL", "Keepo", "4Head", "BibleThump",
	"Kreygasm", "SeemsGood", "<3",
};

static uint64_t
sim_rand(void)
{
	sim.rng ^= sim.rng << 13;
	sim.rng ^= sim.rng >> 7;
	sim.rng ^= sim.rng << 17;
	return sim.rng;
}

static unsigned
sim_pick(unsigned n)
{
	return (unsigned)(sim_rand() % n);
}

static void
sim_crowd_init(void)
{
	size_t		 i, nl = sizeof sim_logins / sizeof sim_logins[0];
	size_t		 ni = sizeof sim_intl / sizeof sim_intl[0];
	struct sim_user	*u;
	char		 raw[64];
	unsigned	 r, months;

	for (i = 0; i < SIM_CROWD; i++) {
		u = &sim.crowd[i];
		if (i % 5 == 0) {
			snprintf(u->login, sizeof u->login, "%s%zu",
			    sim_intl[(i / 5) % ni].login, i / 5 / ni);
			snprintf(raw, sizeof raw, "%s", sim_intl[(i / 5) %
			    ni].display);
		} else {
			snprintf(u->login, sizeof u->login, "%s%zu",
			    sim_logins[i % nl], i / nl);
			snprintf(raw, sizeof raw, "%s", u->login);
			if (i % 3 == 0 && raw[0] >= 'a' && raw[0] <= 'z')
				raw[0] = (char)(raw[0] - 'a' + 'A');
		}
		chat_tag_escape(raw, u->display, sizeof u->display);
		snprintf(u->id, sizeof u->id, "%u", 400000000u +
		    (unsigned)i * 7919u);
		snprintf(u->color, sizeof u->color, "%s",
		    sim_colors[sim_pick(sizeof sim_colors /
		    sizeof sim_colors[0])]);
		r = sim_pick(100);
		months = 1 + sim_pick(40);
		if (r < 5) {
			u->mod = 1;
			snprintf(u->badges, sizeof u->badges, "moderator/1");
		} else if (r < 10) {
			u->vip = 1;
			snprintf(u->badges, sizeof u->badges, "vip/1");
		} else if (r < 45) {
			u->sub = 1;
			snprintf(u->badges, sizeof u->badges, "subscriber/%u%s",
			    months >= 12 ? 12 : months >= 6 ? 6 : months >= 3 ?
			    3 : 0, r < 20 ? ",premium/1" : "");
			snprintf(u->info, sizeof u->info, "subscriber/%u",
			    months);
		} else if (r < 55)
			snprintf(u->badges, sizeof u->badges, "premium/1");
	}
}

/* A message of mixed length into buf; returns its code point count. */
static size_t
sim_text(char *buf, size_t bufsz, const struct sim_user *self)
{
	size_t		 n = 0, cp = 0, nw, want, wcp, i;
	unsigned	 r = sim_pick(100);
	const char	*w;
	char		 mention[40];

	nw = sizeof sim_words / sizeof sim_words[0];
	want = r < 70 ? 1 + sim_pick(10) : r < 95 ? 10 + sim_pick(30) : 1000;
	buf[0] = '\0';
	for (i = 0; i < want; i++) {
		if (sim_pick(30) == 0) {
			const struct sim_user *o =
			    &sim.crowd[sim_pick(SIM_CROWD)];

			snprintf(mention, sizeof mention, "@%s",
			    o != self ? o->login : "chat");
			w = mention;
		} else
			w = sim_words[sim_pick((unsigned)nw)];
		wcp = 0;
		{
			const char *p;

			for (p = w; *p != '\0'; p++)
				if (((unsigned char)*p & 0xc0) != 0x80)
					wcp++;
		}
		if (cp + wcp + (n > 0) > SIM_MAX_CP - 12 ||
		    n + strlen(w) + 2 >= bufsz)
			break;
		if (n > 0) {
			buf[n++] = ' ';
			cp++;
		}
		memcpy(buf + n, w, strlen(w));
		n += strlen(w);
		cp += wcp;
		buf[n] = '\0';
	}
	return cp;
}

/* A PRIVMSG from a crowd member in ch. */
static void
sim_privmsg(struct chat_chan *ch)
{
	const struct sim_user	*u = &sim.crowd[sim_pick(SIM_CROWD)];
	char			 text[2200], cheer[2300], body[2400];
	char			 emotes[512], id[40], bits[24];
	const char		*msg = text;
	struct fline		*tagged, *plain;
	unsigned		 r = sim_pick(100);

	bits[0] = '\0';
	sim_text(text, sizeof text, u);
	if (r >= 5 && r < 7) {
		unsigned b = 1 + sim_pick(500);

		snprintf(bits, sizeof bits, "bits=%u;", b);
		snprintf(cheer, sizeof cheer, "Cheer%u %s", b, text);
		msg = cheer;
	}
	chat_emotes(msg, emotes, sizeof emotes);
	if (r < 5)	/* /me */
		snprintf(body, sizeof body, "\001ACTION %s\001", msg);
	else
		snprintf(body, sizeof body, "%s", msg);
	chat_new_id(id);
	tagged = fline_printf("@badge-info=%s;badges=%s;%scolor=%s;"
	    "display-name=%s;emotes=%s;first-msg=0;flags=;id=%s;mod=%d;"
	    "returning-chatter=0;room-id=%s;subscriber=%d;tmi-sent-ts=%llu;"
	    "turbo=0;user-id=%s;user-type=%s%s :%s!%s@%s.tmi.twitch.tv "
	    "PRIVMSG #%s :%s", u->info, u->badges, bits, u->color, u->display,
	    emotes, id, u->mod, chat_chan_room_id(ch), u->sub,
	    (unsigned long long)net_now_ms(), u->id, u->mod ? "mod" : "",
	    u->vip ? ";vip=1" : "", u->login, u->login, u->login,
	    chat_chan_name(ch), body);
	plain = fline_printf(":%s!%s@%s.tmi.twitch.tv PRIVMSG #%s :%s",
	    u->login, u->login, u->login, chat_chan_name(ch), body);
	chat_chan_send(ch, tagged, plain, 0);
	fline_unref(tagged);
	fline_unref(plain);
	chat_chan_remember(ch, id, u->login, body);
}

static void
sim_usernotice(struct chat_chan *ch, const char *kind)
{
	const struct sim_user	*u = &sim.crowd[sim_pick(SIM_CROWD)];
	char			 tags[1400], id[40], text[700];
	unsigned		 months = 2 + sim_pick(40);
	unsigned long long	 ts = (unsigned long long)net_now_ms();
	const char		*body = NULL;
	int			 n;

	chat_new_id(id);
	n = snprintf(tags, sizeof tags, "badge-info=subscriber/%u;badges="
	    "subscriber/0;color=%s;display-name=%s;emotes=;flags=;id=%s;"
	    "login=%s;mod=0;msg-id=%s;", months, u->color, u->display, id,
	    u->login, kind);
	if (n < 0 || (size_t)n >= sizeof tags)
		return;
	if (strcmp(kind, "sub") == 0)
		snprintf(tags + n, sizeof tags - (size_t)n,
		    "msg-param-cumulative-months=1;msg-param-months=0;"
		    "msg-param-multimonth-duration=1;msg-param-multimonth-tenure=0;"
		    "msg-param-should-share-streak=0;msg-param-sub-plan-name="
		    "Channel\\sSubscription;msg-param-sub-plan=1000;"
		    "msg-param-was-gifted=false;room-id=%s;subscriber=1;"
		    "system-msg=%s\\ssubscribed\\sat\\sTier\\s1.;"
		    "tmi-sent-ts=%llu;user-id=%s;user-type=",
		    chat_chan_room_id(ch), u->display, ts, u->id);
	else if (strcmp(kind, "resub") == 0) {
		snprintf(tags + n, sizeof tags - (size_t)n,
		    "msg-param-cumulative-months=%u;msg-param-months=0;"
		    "msg-param-multimonth-duration=0;msg-param-multimonth-tenure=0;"
		    "msg-param-should-share-streak=0;msg-param-sub-plan-name="
		    "Channel\\sSubscription;msg-param-sub-plan=Prime;"
		    "msg-param-was-gifted=false;room-id=%s;subscriber=1;"
		    "system-msg=%s\\ssubscribed\\swith\\sPrime.\\sThey've\\s"
		    "subscribed\\sfor\\s%u\\smonths!;tmi-sent-ts=%llu;"
		    "user-id=%s;user-type=", months, chat_chan_room_id(ch),
		    u->display, months, ts, u->id);
		sim_text(text, sizeof text, u);
		body = text;
	} else if (strcmp(kind, "raid") == 0)
		snprintf(tags + n, sizeof tags - (size_t)n,
		    "msg-param-displayName=%s;msg-param-login=%s;"
		    "msg-param-profileImageURL=https://static-cdn.jtvnw.net/"
		    "jtv_user_pictures/%s-profile_image-%%s.png;"
		    "msg-param-viewerCount=%u;room-id=%s;subscriber=1;"
		    "system-msg=%u\\sraiders\\sfrom\\s%s\\shave\\sjoined!;"
		    "tmi-sent-ts=%llu;user-id=%s;user-type=", u->display,
		    u->login, u->login, months * 37, chat_chan_room_id(ch),
		    months * 37, u->display, ts, u->id);
	else if (strcmp(kind, "announcement") == 0) {
		snprintf(tags + n, sizeof tags - (size_t)n,
		    "msg-param-color=%s;room-id=%s;subscriber=1;system-msg=;"
		    "tmi-sent-ts=%llu;user-id=%s;user-type=",
		    (const char *[]){ "PRIMARY", "BLUE", "GREEN", "ORANGE",
		    "PURPLE" }[sim_pick(5)], chat_chan_room_id(ch), ts, u->id);
		sim_text(text, sizeof text, u);
		body = text;
	} else
		return;
	chat_usernotice(chat_chan_name(ch), tags, body);
}

int
sim_event(const char *kind, const char *channel)
{
	struct chat_chan	*ch;
	const struct sim_user	*u;
	const char		*id, *login, *text;
	static const char *const keys[] = { "emote-only", "followers-only",
	    "r9k", "slow", "subs-only" };
	unsigned		 k;

	if ((ch = chat_chan_get(channel)) == NULL)
		return -1;
	u = &sim.crowd[sim_pick(SIM_CROWD)];
	if (strcmp(kind, "privmsg") == 0)
		sim_privmsg(ch);
	else if (strcmp(kind, "sub") == 0 || strcmp(kind, "resub") == 0 ||
	    strcmp(kind, "raid") == 0 || strcmp(kind, "announcement") == 0)
		sim_usernotice(ch, kind);
	else if (strcmp(kind, "clearmsg") == 0) {
		if (chat_chan_recent(ch, sim_pick(8), &id, &login, &text) != 0)
			return -1;
		chat_clearmsg(chat_chan_name(ch), id);
	} else if (strcmp(kind, "timeout") == 0)
		chat_clearchat(chat_chan_name(ch), u->login, u->id,
		    1 + sim_pick(600));
	else if (strcmp(kind, "ban") == 0)
		chat_clearchat(chat_chan_name(ch), u->login, u->id, 0);
	else if (strcmp(kind, "clear") == 0)
		chat_clearchat(chat_chan_name(ch), NULL, NULL, 0);
	else if (strcmp(kind, "roomstate") == 0) {
		k = sim_pick(5);
		chat_roomstate(chat_chan_name(ch), keys[k],
		    k == 1 ? (int)sim_pick(3) * 10 - 1 :
		    k == 3 ? (int)sim_pick(2) * 30 : (int)sim_pick(2));
	} else
		return -1;
	sim.lines++;
	return 0;
}

/* One line of the crowd: mostly PRIVMSG, now and then something else. */
static void
sim_one(struct chat_chan *ch)
{
	static const char *const rare[] = { "sub", "resub", "raid",
	    "announcement", "clearmsg", "timeout", "ban", "roomstate" };
	unsigned	r = sim_pick(1000);

	if (r < 8) {
		/* clear (whole chat) is left out: it would empty the
		 * client's view during a benchmark. */
		if (sim_event(rare[r], chat_chan_name(ch)) != 0)
			sim_privmsg(ch);
		else
			return;
	} else
		sim_privmsg(ch);
	sim.lines++;
}

static void
sim_tick(uv_timer_t *t)
{
	uint64_t	 now = uv_hrtime(), due, burst;
	size_t		 nact;

	(void)t;
	if (sim.rate <= 0)
		return;
	due = (uint64_t)((double)(now - sim.t0) * sim.rate / 1e9);
	/* Never more than 50 ms worth at once: a stalled loop skips. */
	burst = (uint64_t)(sim.rate / 20) + 1;
	if (due > sim.emitted + burst)
		sim.emitted = due - burst;
	if ((nact = chat_chan_nactive()) == 0) {
		sim.emitted = due;
		return;
	}
	while (sim.emitted < due) {
		sim_one(chat_chan_active(sim_pick((unsigned)nact)));
		sim.emitted++;
	}
}

void
sim_set_rate(double rate)
{
	sim.rate = rate < 0 ? 0 : rate;
	sim.t0 = uv_hrtime();
	sim.emitted = 0;
	fprintf(stderr, "fake-twitch: simulated chat at %.0f lines/s\n",
	    sim.rate);
}

double
sim_rate(void)
{
	return sim.rate;
}

uint64_t
sim_lines(void)
{
	return sim.lines;
}

void
sim_start(uv_loop_t *loop, double rate, uint64_t seed)
{
	sim.loop = loop;
	sim.rng = seed != 0 ? seed : 1;
	sim_crowd_init();
	uv_timer_init(loop, &sim.timer);
	uv_timer_start(&sim.timer, sim_tick, SIM_TICK_MS, SIM_TICK_MS);
	sim.running = 1;
	if (rate > 0)
		sim_set_rate(rate);
}

void
sim_stop(void)
{
	if (!sim.running || sim.stopped)
		return;
	sim.stopped = 1;
	uv_timer_stop(&sim.timer);
	uv_close((uv_handle_t *)&sim.timer, NULL);
}
