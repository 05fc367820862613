/*
 * test-shardmgr.c: the shard managers' placement rules, without sockets:
 * shards do nothing on the network until shard_start(), and no test here
 * starts one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shardmgr.h"
#include "tap.h"

/* Joins the manager refused, as on_join(NULL shard) reported them. */
static char	refused[64][256];
static int	nrefused;

static void
test_on_join(void *arg, struct shard *s, const char *channel, int ok,
    const char *why)
{
	if (s == NULL && !ok && nrefused < 64)
		snprintf(refused[nrefused++], sizeof refused[0], "%s", why);
}

static const struct shard_events test_events = {
	.on_join = test_on_join,
};

static struct shardmgr *
test_mgr(const struct shardmgr_ops *ops, size_t cps, size_t max,
    size_t initial)
{
	struct shardmgr_options	o;

	shardmgr_options_defaults(&o);
	if (cps != 0)
		o.channels_per_shard = cps;
	if (max != 0)
		o.max_shards = max;
	if (initial != 0)
		o.initial_shards = initial;
	nrefused = 0;
	return shardmgr_new(uv_default_loop(), NULL, ops, &o, &test_events,
	    NULL);
}

/* n channels named "cN" into a static array. */
static const char *const *
test_names(size_t n)
{
	static char		 buf[200][16];
	static const char	*names[200];
	size_t			 i;

	for (i = 0; i < n && i < 200; i++) {
		snprintf(buf[i], sizeof buf[i], "c%zu", i);
		names[i] = buf[i];
	}
	return names;
}

static void
test_defaults(void)
{
	struct shardmgr_options	o;

	shardmgr_options_defaults(&o);
	tap_is_int(o.channels_per_shard, 25, "channels_per_shard defaults to 25");
	tap_is_int(o.max_shards, 5, "max_shards defaults to 5");
	tap_is_int(o.initial_shards, 1, "initial_shards defaults to 1");
	tap_ok(shardmgr_ops_by_name("default") == &shardmgr_default_ops,
	    "\"default\" names the default manager");
	tap_ok(shardmgr_ops_by_name("distributed") ==
	    &shardmgr_distributed_ops, "\"distributed\" names the other");
	tap_ok(shardmgr_ops_by_name("round-robin") == NULL,
	    "an unknown manager name is refused");
}

static void
test_normalize(void)
{
	char	buf[SHARDMGR_NAME_MAX + 1], err[256];

	tap_ok(shardmgr_normalize("#Foo_Bar9", buf, sizeof buf, err,
	    sizeof err) == 0, "#Foo_Bar9 is a channel name");
	tap_is_str(buf, "foo_bar9", "lowercased, '#' dropped");
	tap_ok(shardmgr_normalize("a-b", buf, sizeof buf, err, sizeof err)
	    == -1, "a-b is refused");
	tap_ok(shardmgr_normalize("#", buf, sizeof buf, err, sizeof err)
	    == -1, "a lone # is refused");
	tap_ok(shardmgr_normalize("abcdefghijklmnopqrstuvwxyz", buf,
	    sizeof buf, err, sizeof err) == -1, "26 characters are too long");
	tap_ok(shardmgr_normalize("abcdefghijklmnopqrstuvwxy", buf,
	    sizeof buf, err, sizeof err) == 0, "25 characters are fine");
	tap_ok(shardmgr_normalize("x\033[2J", buf, sizeof buf, err,
	    sizeof err) == -1 && strchr(err, '\033') == NULL,
	    "an escape is refused and not echoed");
}

static void
test_default_manager(void)
{
	static const char *const chans[] = { "#Alpha", "beta", "gamma",
	    "beta" };
	struct shardmgr	*m = test_mgr(&shardmgr_default_ops, 0, 0, 0);
	struct shard	*s;
	char		 err[256];

	tap_is_int(shardmgr_setup(m, chans, 4, err, sizeof err), 0,
	    "default: setup places every channel");
	tap_is_int(shardmgr_nshards(m), 1, "default: one shard");
	s = shardmgr_shard(m, 0);
	tap_is_str(shard_id(s), "main-shard", "default: it is main-shard");
	tap_is_int(shard_nchannels(s), 3, "default: duplicates joined once");
	tap_ok(shardmgr_channel_shard(m, "ALPHA") == s,
	    "default: #alpha is on main-shard");
	tap_ok(shardmgr_join(m, "delta", err, sizeof err) == 0 &&
	    shard_has_channel(s, "delta"), "default: a later join too");
	tap_ok(shardmgr_join(m, "delta", err, sizeof err) == 0 &&
	    shard_nchannels(s) == 4, "default: joining twice is harmless");
	tap_ok(shardmgr_get_sender_shard(m, "#gamma") == s,
	    "default: main-shard sends");
	tap_ok(shardmgr_join(m, "no way", err, sizeof err) == -1 &&
	    nrefused == 1, "default: a bad name fails and is reported");
	tap_ok(shardmgr_part(m, "alpha") == 0 &&
	    shardmgr_channel_shard(m, "alpha") == NULL, "default: part");
	tap_ok(shardmgr_part(m, "alpha") == -1, "default: part twice fails");
	tap_is_int(shardmgr_nchannels(m), 3, "default: 3 channels left");
	tap_ok(account_is_anonymous(shardmgr_default_account(m)),
	    "default: no account given means anonymous");
	shardmgr_free(m);
}

static void
test_distributed_130(void)
{
	struct shardmgr	*m = test_mgr(&shardmgr_distributed_ops, 0, 0, 0);
	char		 err[256];
	size_t		 i;
	int		 full = 1;

	tap_is_int(shardmgr_setup(m, test_names(130), 130, err, sizeof err),
	    5, "130 channels, defaults: 5 refused");
	tap_is_int(shardmgr_nshards(m), 5, "130 channels, defaults: 5 shards");
	for (i = 0; i < shardmgr_nshards(m); i++)
		full &= shard_nchannels(shardmgr_shard(m, i)) == 25;
	tap_ok(full, "130 channels, defaults: each shard holds 25");
	tap_is_int(shardmgr_nchannels(m), 125, "125 channels placed");
	tap_is_int(nrefused, 5, "each refusal is reported");
	tap_is_str(refused[0], "cannot join #c125: all 5 shards hold 25 "
	    "channels each; raise --max-shards or --channels-per-shard",
	    "the refusal says what to raise");
	tap_is_str(shard_id(shardmgr_shard(m, 0)), "initial-shard-1",
	    "first shard is initial-shard-1");
	tap_is_str(shard_id(shardmgr_shard(m, 4)), "extended-shard-4",
	    "fifth shard is extended-shard-4");
	tap_ok(shardmgr_join(m, "later", err, sizeof err) == -1 &&
	    strstr(err, "raise --max-shards") != NULL,
	    "a later join is refused the same way");
	shardmgr_free(m);

	m = test_mgr(&shardmgr_distributed_ops, 0, 6, 0);
	tap_is_int(shardmgr_setup(m, test_names(130), 130, err, sizeof err),
	    0, "130 channels, max 6: none refused");
	tap_is_int(shardmgr_nshards(m), 6, "130 channels, max 6: 6 shards");
	tap_is_int(shardmgr_nchannels(m), 130, "all 130 placed");
	for (i = 0; i < 130; i++)
		if (shardmgr_channel_shard(m, test_names(130)[i]) == NULL)
			break;
	tap_is_int(i, 130, "every channel is on a shard");
	shardmgr_free(m);
}

static void
test_distributed_split(void)
{
	struct shardmgr	*m = test_mgr(&shardmgr_distributed_ops, 0, 0, 3);
	char		 err[256];
	size_t		 i, lo = 99, hi = 0, n;

	tap_is_int(shardmgr_setup(m, test_names(10), 10, err, sizeof err), 0,
	    "initial_shards 3, 10 channels: none refused");
	tap_is_int(shardmgr_nshards(m), 3, "initial_shards 3: 3 shards");
	for (i = 0; i < 3; i++) {
		n = shard_nchannels(shardmgr_shard(m, i));
		lo = n < lo ? n : lo;
		hi = n > hi ? n : hi;
	}
	tap_ok(lo == 3 && hi == 4, "10 channels split 4/3/3 (got %zu..%zu)",
	    lo, hi);
	shardmgr_free(m);
}

static void
test_distributed_least_loaded(void)
{
	struct shardmgr	*m = test_mgr(&shardmgr_distributed_ops, 3, 4, 2);
	struct shard	*s1, *s2, *s3;
	char		 err[256];

	shardmgr_setup(m, test_names(6), 6, err, sizeof err);
	s1 = shardmgr_shard(m, 0);
	s2 = shardmgr_shard(m, 1);
	tap_ok(shard_nchannels(s1) == 3 && shard_nchannels(s2) == 3,
	    "6 channels fill 2 shards of 3");
	shardmgr_part(m, shard_channel(s2, 0));
	shardmgr_part(m, shard_channel(s2, 0));
	tap_ok(shardmgr_join(m, "x1", err, sizeof err) == 0 &&
	    shard_has_channel(s2, "x1"), "after parts, a join goes to the "
	    "least loaded shard");
	tap_ok(shardmgr_join(m, "x2", err, sizeof err) == 0 &&
	    shard_has_channel(s2, "x2"), "and the next one too");
	tap_ok(shardmgr_join(m, "x3", err, sizeof err) == 0 &&
	    shardmgr_nshards(m) == 3, "all full: a new shard");
	s3 = shardmgr_shard(m, 2);
	tap_is_str(shard_id(s3), "extended-shard-1", "named extended-shard-1");
	tap_ok(shard_has_channel(s3, "x3"), "holding the channel");
	tap_ok(shard_state(s3) == SHARD_IDLE, "not started before start");
	shardmgr_free(m);
}

static void
test_accounts(void)
{
	struct shardmgr	*m;
	struct shard	*s;
	char		 err[256];
	static const char *const chans[] = { "alpha", "modchan", "beta" };

	m = test_mgr(&shardmgr_distributed_ops, 0, 0, 0);
	shardmgr_add_account(m, "Bot", "tok-not-shown-1", 1);
	shardmgr_add_account(m, "moduser", "tok-not-shown-2", 0);
	tap_ok(shardmgr_bind(m, "#ModChan", "ModUser", err, sizeof err) == 0,
	    "bind #modchan to moduser");
	tap_ok(shardmgr_bind(m, "x", "nobody", err, sizeof err) == -1 &&
	    strstr(err, "nobody") != NULL, "binding to an unknown login fails");
	tap_is_int(shardmgr_setup(m, chans, 3, err, sizeof err), 0,
	    "accounts: all placed");
	tap_is_int(shardmgr_nshards(m), 2, "accounts: a shard per account");
	s = shardmgr_channel_shard(m, "modchan");
	tap_ok(s != NULL && shard_account(s) ==
	    shardmgr_find_account(m, "moduser"),
	    "#modchan is on a shard logged in as moduser");
	tap_ok(shardmgr_get_sender_shard(m, "modchan") == s,
	    "moduser's shard sends to #modchan");
	s = shardmgr_get_sender_shard(m, "alpha");
	tap_ok(s != NULL && shard_account(s) == shardmgr_find_account(m, "bot"),
	    "bot's shard sends to #alpha");
	s = shardmgr_get_sender_shard(m, "notjoined");
	tap_ok(s != NULL && shard_account(s) == shardmgr_default_account(m),
	    "an unjoined channel gets a default-account shard");
	tap_is_int(shard_nchannels(shardmgr_shard(m, 0)), 2,
	    "the bot's shard holds the other two");
	shardmgr_free(m);

	m = test_mgr(&shardmgr_default_ops, 0, 0, 0);
	shardmgr_add_account(m, NULL, NULL, 1);
	shardmgr_add_account(m, "moduser", "tok-not-shown-2", 0);
	shardmgr_bind(m, "modchan", "moduser", err, sizeof err);
	shardmgr_setup(m, chans, 3, err, sizeof err);
	s = shardmgr_channel_shard(m, "modchan");
	tap_ok(s != NULL && strcmp(shard_id(s), "moduser-shard") == 0,
	    "default manager: #modchan on moduser-shard");
	s = shardmgr_channel_shard(m, "alpha");
	tap_ok(s != NULL && strcmp(shard_id(s), "main-shard") == 0 &&
	    account_is_anonymous(shard_account(s)),
	    "default manager: #alpha on the anonymous main-shard");
	shardmgr_free(m);

	/* Only one account may use the last free shard. */
	m = test_mgr(&shardmgr_distributed_ops, 1, 2, 1);
	shardmgr_add_account(m, "moduser", "tok-not-shown-2", 0);
	shardmgr_add_account(m, NULL, NULL, 1);
	shardmgr_bind(m, "modchan", "moduser", err, sizeof err);
	shardmgr_bind(m, "modchan2", "moduser", err, sizeof err);
	shardmgr_setup(m, chans, 2, err, sizeof err);
	tap_ok(shardmgr_join(m, "modchan2", err, sizeof err) == -1 &&
	    strstr(err, "account moduser") != NULL,
	    "a full account gets a message naming it");
	shardmgr_free(m);
}

/*
 * A user-defined manager: channels a-m on "early", the rest on "late";
 * the sender is always "late"; setup counts its calls in its own data.
 */
struct test_custom {
	int	setups;
	int	initial_calls;
};

static int
test_custom_setup(struct shardmgr *m, char *err, size_t errsz)
{
	struct test_custom	*c;

	c = calloc(1, sizeof *c);
	c->setups++;
	shardmgr_set_data(m, c);
	if (shardmgr_add_shard(m, "early", NULL, NULL, 0, err, errsz) == NULL)
		return -1;
	if (shardmgr_add_shard(m, "late", NULL, NULL, 0, err, errsz) == NULL)
		return -1;
	return 0;
}

static int
test_custom_assign(struct shardmgr *m, const char *channel, int is_initial,
    char *err, size_t errsz)
{
	struct test_custom	*c = shardmgr_data(m);

	if (is_initial)
		c->initial_calls++;
	return shard_join(shardmgr_find_shard(m, channel[0] <= 'm' ?
	    "early" : "late"), channel, err, errsz);
}

static struct shard *
test_custom_sender(struct shardmgr *m, const char *channel)
{
	return shardmgr_find_shard(m, "late");
}

static const struct shardmgr_ops test_custom_ops = {
	.name = "alphabet",
	.setup = test_custom_setup,
	.assign_shard = test_custom_assign,
	.get_sender_shard = test_custom_sender,
	.start = NULL,		/* the helpers' start_all_shards */
	.stop = NULL,
	.free_data = free,
};

static void
test_custom(void)
{
	static const char *const chans[] = { "apple", "#Zebra", "mango",
	    "nectar" };
	struct shardmgr		*m = test_mgr(&test_custom_ops, 0, 0, 0);
	struct test_custom	*c;
	struct shard		*early, *late;
	char			 err[256];

	tap_is_int(shardmgr_setup(m, chans, 4, err, sizeof err), 0,
	    "custom: setup and assign run");
	c = shardmgr_data(m);
	tap_ok(c != NULL && c->setups == 1 && c->initial_calls == 4,
	    "custom: its own data, setup once, assign per initial channel");
	early = shardmgr_find_shard(m, "early");
	late = shardmgr_find_shard(m, "late");
	tap_ok(early != NULL && late != NULL && shardmgr_nshards(m) == 2,
	    "custom: its two shards");
	tap_ok(shard_has_channel(early, "apple") &&
	    shard_has_channel(early, "mango") && shard_nchannels(early) == 2,
	    "custom: a-m on early");
	tap_ok(shard_has_channel(late, "zebra") &&
	    shard_has_channel(late, "nectar"), "custom: n-z on late");
	tap_ok(shardmgr_join(m, "Kiwi", err, sizeof err) == 0 &&
	    shard_has_channel(early, "kiwi") && c->initial_calls == 4,
	    "custom: a later join is not initial and goes by its rule");
	tap_ok(shardmgr_get_sender_shard(m, "apple") == late,
	    "custom: its sender rule");
	tap_is_str(shardmgr_ops(m)->name, "alphabet", "custom: its name");
	shardmgr_free(m);	/* frees the data through free_data */
}

int
main(void)
{
	test_defaults();
	test_normalize();
	test_default_manager();
	test_distributed_130();
	test_distributed_split();
	test_distributed_least_loaded();
	test_accounts();
	test_custom();
	return tap_done();
}
