/*
 * apphelix-driver.c: one struct apphelix request against fake-twitch, for
 * ui-helix-core.sh. The token comes from STITCH_TOKEN, the client id from
 * TWITCH_CLIENT_ID, never argv. Prints one line a page and one for the
 * end, "end ok=N auth=N msg=... [what the request learnt]", for the shell
 * to check.
 *
 *   apphelix-driver URL LOGIN OP CHAN [USER [N [TEXT]]]
 *
 * OP: ban timeout unban whisper list-chatters list-mods list-vips stats
 * card cancel (a stats request cancelled at once: nothing may come back).
 * USER "-" is none; N is the seconds, the limit, or for a card 1 when the
 * account moderates CHAN.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "apphelix.h"
#include "conf.h"

static int	returned;	/* apphelix_do() has returned */
static int	ended;
static unsigned	pages;

static void
driver_news(void *arg, int ok, const char *msg)
{
	(void)arg;
	printf("news ok=%d msg=%s\n", ok, msg);
}

static void
driver_cb(void *arg, const struct apphelix_req *req,
    const struct apphelix_result *r)
{
	(void)arg;
	(void)req;
	if (!returned)
		printf("early callback\n");
	if (r->page != NULL) {
		printf("page n=%zu\n", r->page->n);
		pages++;
		return;
	}
	ended = 1;
	printf("end ok=%d auth=%d pages=%u msg=%s\n", r->ok, r->auth, pages,
	    r->msg != NULL ? r->msg : "(null)");
	if (r->stats != NULL)
		printf("stats live=%d title=%s game=%s viewers=%ld "
		    "followers=%ld started=%lld\n", r->stats->live,
		    r->stats->title, r->stats->game, r->stats->viewers,
		    r->stats->followers, (long long)r->stats->started_at);
	if (r->card != NULL)
		printf("card login=%s name=%s created=%lld followed=%lld "
		    "note=%s\n", r->card->login, r->card->display_name,
		    (long long)r->card->created_at,
		    (long long)r->card->followed_at,
		    r->card->follow_error[0] ? r->card->follow_error : "-");
}

static const struct {
	const char		*name;
	enum apphelix_op	 op;
	enum helix_kind		 list;
} driver_ops[] = {
	{ "ban", APPHELIX_BAN, 0 },
	{ "timeout", APPHELIX_TIMEOUT, 0 },
	{ "unban", APPHELIX_UNBAN, 0 },
	{ "whisper", APPHELIX_WHISPER, 0 },
	{ "list-chatters", APPHELIX_LIST, HELIX_CHATTERS },
	{ "list-mods", APPHELIX_LIST, HELIX_MODERATORS },
	{ "list-vips", APPHELIX_LIST, HELIX_VIPS },
	{ "stats", APPHELIX_STATS, 0 },
	{ "card", APPHELIX_CARD, 0 },
	{ "cancel", APPHELIX_STATS, 0 },
};

int
main(int argc, char **argv)
{
	struct apphelix_req	 req;
	struct apphelix		*ah;
	struct conf		*c;
	uv_loop_t		 loop;
	const char		*tok = getenv("STITCH_TOKEN");
	char			 why[256], err[256], *end;
	unsigned long		 num;
	size_t			 i;
	int			 n;

	if (argc < 5) {
		fprintf(stderr, "usage: apphelix-driver URL LOGIN OP CHAN "
		    "[USER [N [TEXT]]]\n");
		return 2;
	}
	for (i = 0; i < sizeof driver_ops / sizeof driver_ops[0]; i++)
		if (strcmp(argv[3], driver_ops[i].name) == 0)
			break;
	if (i == sizeof driver_ops / sizeof driver_ops[0]) {
		fprintf(stderr, "apphelix-driver: unknown op %s\n", argv[3]);
		return 2;
	}
	c = conf_new();
	if (conf_set(c, "helix_url", argv[1], err, sizeof err) != 0 ||
	    (strcmp(argv[2], "-") != 0 &&
	    conf_set(c, "nick", argv[2], err, sizeof err) != 0)) {
		fprintf(stderr, "apphelix-driver: %s\n", err);
		return 2;
	}
	if (tok != NULL && tok[0] != '\0' && (c->token = strdup(tok)) == NULL)
		abort();
	uv_loop_init(&loop);
	ah = apphelix_new(&loop, c, "none", driver_news, NULL, why,
	    sizeof why);
	if (ah == NULL) {
		printf("no session: %s\n", why);
		conf_free(c);
		uv_loop_close(&loop);
		return 0;
	}
	memset(&req, 0, sizeof req);
	req.op = driver_ops[i].op;
	req.list = driver_ops[i].list;
	snprintf(req.chan, sizeof req.chan, "%s", argv[4]);
	if (argc > 5 && strcmp(argv[5], "-") != 0)
		snprintf(req.user, sizeof req.user, "%s", argv[5]);
	if (argc > 6) {
		num = strtoul(argv[6], &end, 10);
		if (*end != '\0' || num > 100000) {
			fprintf(stderr, "apphelix-driver: N: 0 to 100000\n");
			return 2;
		}
		req.seconds = (unsigned)num;
		req.limit = (size_t)num;
		req.moderator = num == 1;
	}
	if (argc > 7)
		snprintf(req.text, sizeof req.text, "%s", argv[7]);
	apphelix_do(ah, &req, driver_cb, NULL);
	returned = 1;
	if (strcmp(argv[3], "cancel") == 0)
		apphelix_cancel_arg(ah, NULL);
	/* Until the answer; the validation and the requests are bounded by
	 * http's time-outs. */
	while (!ended && apphelix_pending(ah) > 0 &&
	    uv_run(&loop, UV_RUN_ONCE) != 0)
		;
	if (!ended)
		printf("no callback\n");
	apphelix_free(ah);
	for (n = 0; n < 1000 && uv_loop_close(&loop) != 0; n++)
		uv_run(&loop, UV_RUN_NOWAIT);
	conf_free(c);
	return 0;
}
