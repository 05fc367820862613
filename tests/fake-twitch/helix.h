/*
 * helix.h: what helix.c (authentication, buckets, faults, paging, the
 * read endpoints) and helix-chat.c (chat settings, badges, emotes,
 * moderation and sending) share. Private to the Helix half of
 * fake-twitch; the endpoints are documented at the top of helix.c.
 */
#ifndef FAKE_HELIX_H
#define FAKE_HELIX_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "seed.h"

struct cJSON;

struct helix_ctx {
	struct fake_world		*w;
	const struct fake_http_req	*req;
	struct fake_http_resp		*resp;
	struct seed_token		*tok;
	struct seed_person		 me;
	struct cJSON			*body;	/* parsed JSON body or NULL */
};

/* Replies: Helix's error shape; 204; {"data":[...]} (*data is the array). */
void	helix_error(struct helix_ctx *, int status, const char *msg);
void	helix_no_content(struct helix_ctx *);
struct cJSON *helix_root(struct cJSON **data);
/* prefix_id, prefix_login, prefix_name of p into o. */
void	helix_add_person(struct cJSON *o, const char *prefix,
	    const struct seed_person *p);
void	helix_add_time(struct cJSON *o, const char *key, int64_t t);

/* Arguments: each sends the 400/401/403 itself and returns -1 (NULL). */
int	helix_need(struct helix_ctx *, const char *name, char *buf,
	    size_t bufsz);
int	helix_need_self(struct helix_ctx *, const char *name, char *buf,
	    size_t bufsz);
struct seed_channel *helix_channel(struct helix_ctx *);
struct seed_channel *helix_mod_channel(struct helix_ctx *,
	    const char *forbidden);
int	helix_can_moderate(struct helix_ctx *, const struct seed_channel *);
/* broadcaster_id must be the token's user. */
struct seed_channel *helix_own_channel(struct helix_ctx *);
/* Repeated id arguments a (and b): their count, or -1 with a 400. */
int	helix_nids(struct helix_ctx *, const char *a, const char *b, int max);
/* first and after: the page [*off, *off + *n) of total; or -1 (400). */
int	helix_page(struct helix_ctx *, size_t total, unsigned dflt,
	    unsigned max, size_t *off, size_t *n);
/* "pagination": a cursor when items are left after next. */
void	helix_pagination(struct cJSON *root, size_t next, size_t total);

/* helix-chat.c */
void	helix_chat_settings_get(struct helix_ctx *);
void	helix_chat_settings_patch(struct helix_ctx *);
void	helix_chat_badges(struct helix_ctx *);
void	helix_chat_badges_global(struct helix_ctx *);
void	helix_chat_emotes(struct helix_ctx *);
void	helix_chat_emotes_global(struct helix_ctx *);
void	helix_chat_ban(struct helix_ctx *);
void	helix_chat_banned(struct helix_ctx *);
void	helix_chat_announce(struct helix_ctx *);
void	helix_chat_color(struct helix_ctx *);
void	helix_chat_color_set(struct helix_ctx *);
void	helix_chat_unban(struct helix_ctx *);
void	helix_chat_delete_chat(struct helix_ctx *);
void	helix_chat_whisper(struct helix_ctx *);
void	helix_chat_send(struct helix_ctx *);

#endif
