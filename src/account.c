/*
 * account.c: one Twitch login and the limiters every shard logged in as
 * it shares (Twitch counts joins and messages per account, not per
 * connection). See shard.h for the functions, account.h for the struct.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "account.h"
#include "xmalloc.h"

/* A justinfan number: anonymous logins need only be unlikely to clash. */
static unsigned
account_random(const void *p)
{
	uint64_t	x = uv_hrtime() ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned)x;
}

struct account *
account_new(const char *login, const char *token)
{
	struct account	*a;
	char		 nick[32];
	size_t		 i;

	if ((a = calloc(1, sizeof *a)) == NULL) {
		fprintf(stderr, "stitch: out of memory (account)\n");
		abort();
	}
	if (login == NULL || *login == '\0') {
		a->anonymous = 1;
		snprintf(nick, sizeof nick, "justinfan%u",
		    10000 + account_random(a) % 89990000);
		a->login = xstrdup(nick);
	} else {
		a->login = xstrdup(login);
		for (i = 0; a->login[i] != '\0'; i++)
			a->login[i] = (char)tolower((unsigned char)a->login[i]);
		if (token != NULL && *token != '\0') {
			/* Accept a token pasted with its "oauth:" prefix. */
			if (strncmp(token, "oauth:", 6) == 0)
				token += 6;
			a->token = xstrdup(token);
		}
	}
	a->limit = ACCOUNT_DEFAULT_CHANNEL_LIMIT;
	ratelimit_init(&a->join_rl, RATELIMIT_JOIN_COUNT,
	    RATELIMIT_JOIN_WINDOW_MS);
	ratelimit_init(&a->msg_rl, RATELIMIT_MSG_COUNT,
	    RATELIMIT_MSG_WINDOW_MS);
	ratelimit_init(&a->mod_rl, RATELIMIT_MOD_COUNT,
	    RATELIMIT_MOD_WINDOW_MS);
	ratelimit_init(&a->auth_rl, RATELIMIT_AUTH_COUNT,
	    RATELIMIT_AUTH_WINDOW_MS);
	return a;
}

void
account_set_token(struct account *a, const char *token)
{
	if (a->anonymous || token == NULL || *token == '\0')
		return;
	if (a->token != NULL) {
		explicit_bzero(a->token, strlen(a->token));
		free(a->token);
	}
	a->token = xstrdup(token);
}

void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	if (a->token != NULL) {
		explicit_bzero(a->token, strlen(a->token));
		free(a->token);
	}
	free(a->login);
	ratelimit_free(&a->join_rl);
	ratelimit_free(&a->msg_rl);
	ratelimit_free(&a->mod_rl);
	ratelimit_free(&a->auth_rl);
	free(a);
}

const char *
account_login(const struct account *a)
{
	return a->login;
}

int
account_is_anonymous(const struct account *a)
{
	return a->anonymous;
}

size_t
account_joined(const struct account *a)
{
	return a->joined;
}

void
account_set_channel_limit(struct account *a, size_t limit)
{
	a->limit = limit;
}

void
account_set_join_limit(struct account *a, size_t count, uint32_t window_ms)
{
	ratelimit_set(&a->join_rl, count, window_ms);
}

uint64_t
account_send_wait_ms(const struct account *a, int elevated, uint64_t now)
{
	uint64_t	w = ratelimit_wait_ms(&a->mod_rl, now), w2;

	if (!elevated) {
		w2 = ratelimit_wait_ms(&a->msg_rl, now);
		if (w2 > w)
			w = w2;
	}
	return w;
}

void
account_send_record(struct account *a, int elevated, uint64_t now)
{
	/* A message counts against the 100/30 s bucket always, and against
	 * the 20/30 s one too outside elevated channels (pajbot's model). */
	ratelimit_record(&a->mod_rl, now);
	if (!elevated)
		ratelimit_record(&a->msg_rl, now);
}
