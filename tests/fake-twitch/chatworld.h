/*
 * chatworld.h: what chat needs to know about the seeded world (users,
 * tokens, channels, roles), as plain values, read from the seed file, so
 * chat.c never depends on the seed's layout.
 */
#ifndef FAKE_CHATWORLD_H
#define FAKE_CHATWORLD_H

#include <stddef.h>
#include <stdint.h>

struct chatworld_user {
	char	login[32];
	char	id[24];
	char	display[80];	/* raw, not tag-escaped */
	char	color[8];	/* "#RRGGBB" or "" */
	char	badges[96];	/* global badges, "premium/1" or "" */
	int	known;		/* seeded, not made up */
};

struct chatworld_roomstate {
	int	emote_only;
	int	followers_only;	/* minutes, -1 off */
	int	r9k;
	int	slow;		/* seconds */
	int	subs_only;
};

#define CHATWORLD_BROADCASTER	0x01
#define CHATWORLD_MOD		0x02
#define CHATWORLD_VIP		0x04
#define CHATWORLD_SUB		0x08

/* Read the seed file. Returns 0, or -1 with a message in err. */
int	chatworld_load(const char *path, char *err, size_t errsz);
void	chatworld_free(void);
/*
 * The user a chat token logs in as. Returns 0 and fills u, or -1 for an
 * unknown, expired or revoked token, or one without chat:read.
 */
int	chatworld_token(const char *token, uint64_t now_ms,
	    struct chatworld_user *u);
/*
 * The HTTP half's tokens (seed.c), asked before the seed file's: it
 * returns 1 (valid, u filled), 0 (known but refused: revoked, expired, no
 * chat:read) or -1 (not its token). NULL removes the hook.
 */
typedef int (*chatworld_token_fn)(const char *token, uint64_t now_ms,
    struct chatworld_user *u);
void	chatworld_set_token_hook(chatworld_token_fn);
/* Fill u for login: from the seed, else made up from the login (known 0). */
void	chatworld_user(const char *login, struct chatworld_user *u);
/* Does the channel exist? Fills its room id and chat settings. */
int	chatworld_channel(const char *name, char *room_id, size_t room_idsz,
	    struct chatworld_roomstate *rs);
/* CHATWORLD_* bits for login in channel; *sub_months when CHATWORLD_SUB. */
int	chatworld_roles(const char *channel, const char *login,
	    int *sub_months);
/* The seeded channel names, for the simulated crowd; NULL past the end. */
const char *chatworld_channel_at(size_t i);
/* The seeded user logins, to mix into the crowd; NULL past the end. */
const char *chatworld_user_at(size_t i);

#endif
