/*
 * chan.c: one channel's scrollback, chatters, modes and counters (see
 * chan.h).
 *
 * The scrollback is a ring of pointers to lines; each line is one malloc
 * holding a small header and its strings, sanitized once here so drawing
 * never has to think about hostile bytes again. A typical chat line costs
 * its text plus about 40 bytes (header, login, binary message id).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "chanstats.h"
#include "text.h"

/* Chatters are kept in two generations of a small hash set: when the
 * current one fills, it becomes the old one and the oldest is forgotten.
 * That is an LRU in spirit at a fixed cost. */
#define CHAN_LOGIN_MAX	25		/* Twitch logins: [a-z0-9_]{1,25} */
#define CHAN_GEN_MAX	512		/* names a generation holds */
#define CHAN_GEN_MIN	16		/* its first size; doubles up to max */

#define CHAN_NAME_MAX	31		/* logins (25) and emote names */
#define CHAN_STATS_MAX	20000		/* chatters the panels remember */
#define CHAN_RING_MIN	64		/* first ring, in lines */

struct chan_chatter {
	char		 login[CHAN_NAME_MAX + 1];
	uint64_t	 seen;
};

/* A generation grows as names come (most channels see few emotes, and a
 * quiet one few chatters); its index has 2 x cap slots. */
struct chan_gen {
	struct chan_chatter *v;
	size_t		 n, cap;
	uint16_t	*slot;		/* index + 1; 0 empty */
};

static void	chan_gen_free(struct chan_gen *);

/* A bounded set of recent names: chatters (lowercased) or emotes (case
 * kept, since Kappa is not kappa). */
struct chan_names {
	struct chan_gen	*gen[2];	/* [0] current, [1] old */
	uint64_t	 clock;
	int		 keep_case;
};

struct chan {
	char		 name[64];
	struct chan_line **ring;	/* cap slots, grown as lines come */
	size_t		 cap;
	size_t		 max;		/* lines held at most */
	uint64_t	 first;		/* oldest held sequence */
	uint64_t	 end;		/* next sequence */
	size_t		 bytes;

	size_t		 unread;
	size_t		 mentions;
	uint64_t	 changed;
	uint64_t	 edited;	/* lines already stored changed */

	struct twitch_roomstate room;

	struct chan_names chatters;
	struct chan_names emotes;

	struct chanstats *stats;	/* rates and chatters for the panels */
};

static const char *const chan_badge_names[CHAN_B_COUNT] = {
	"broadcaster", "moderator", "vip", "subscriber", "staff", "turbo",
	"premium", "partner", "founder", "artist-badge", "bits",
};

const char *
chan_badge_name(unsigned bit)
{
	int	i;

	for (i = 0; i < CHAN_B_COUNT; i++)
		if (bit == (1u << i))
			return chan_badge_names[i];
	return "";
}

/*
 * Lines.
 */
static size_t
chan_line_id_off(const struct chan_line *l)
{
	return (size_t)l->login_len + l->name_len;
}

const char *
chan_line_login(const struct chan_line *l, size_t *len)
{
	*len = l->login_len;
	return l->data;
}

const char *
chan_line_name(const struct chan_line *l, size_t *len)
{
	if (l->name_len == 0)
		return chan_line_login(l, len);
	*len = l->name_len;
	return l->data + l->login_len;
}

const char *
chan_line_extra(const struct chan_line *l, size_t *len)
{
	*len = l->extra_len;
	return l->data + chan_line_id_off(l) + l->id_len;
}

const char *
chan_line_body(const struct chan_line *l, size_t *len)
{
	*len = l->body_len;
	return l->data + chan_line_id_off(l) + l->id_len + l->extra_len;
}

static size_t
chan_line_tail_off(const struct chan_line *l)
{
	return chan_line_id_off(l) + l->id_len + l->extra_len + l->body_len;
}

void
chan_line_emote(const struct chan_line *l, size_t i, size_t *start,
    size_t *end)
{
	uint16_t	 v[2];

	memcpy(v, l->data + chan_line_tail_off(l) + i * 4, 4);
	*start = v[0];
	*end = v[1];
}

uint32_t
chan_line_bits(const struct chan_line *l)
{
	uint32_t	 bits;

	if (!(l->flags & CHAN_F_BITS))
		return 0;
	memcpy(&bits, l->data + chan_line_tail_off(l) + l->nemotes * 4u, 4);
	return bits;
}

size_t
chan_line_size(const struct chan_line *l)
{
	return sizeof *l + chan_line_tail_off(l) + l->nemotes * 4u +
	    ((l->flags & CHAN_F_BITS) ? 4 : 0);
}

static const char chan_hex[] = "0123456789abcdef";

/* A canonical lowercase UUID (8-4-4-4-12) packs into 16 bytes. */
static int
chan_uuid_pack(const char *s, size_t len, unsigned char out[16])
{
	size_t	i, n = 0;
	int	hi = -1, v;

	if (len != 36)
		return -1;
	for (i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else
			return -1;
		if (hi < 0)
			hi = v;
		else {
			out[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	return 0;
}

size_t
chan_line_id(const struct chan_line *l, char *buf, size_t bufsz)
{
	const unsigned char	*p;
	size_t			 i, n = 0;

	p = (const unsigned char *)l->data + chan_line_id_off(l);
	if (bufsz < 65) {
		if (bufsz > 0)
			buf[0] = '\0';
		return 0;
	}
	if (!(l->flags & CHAN_F_UUID)) {
		memcpy(buf, p, l->id_len);
		buf[l->id_len] = '\0';
		return l->id_len;
	}
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		buf[n++] = chan_hex[p[i] >> 4];
		buf[n++] = chan_hex[p[i] & 15];
	}
	buf[n] = '\0';
	return n;
}

/* Does the line's id equal this text id? */
static int
chan_line_id_is(const struct chan_line *l, const char *id, size_t len)
{
	unsigned char	u[16];

	if (l->flags & CHAN_F_UUID)
		return chan_uuid_pack(id, len, u) == 0 &&
		    memcmp(u, l->data + chan_line_id_off(l), 16) == 0;
	return len == l->id_len &&
	    memcmp(id, l->data + chan_line_id_off(l), len) == 0;
}

/* What a line is made of before it is packed. Strings are sanitized. */
struct chan_parts {
	const char	*login, *name, *id, *extra, *body;
	size_t		 login_len, name_len, id_len, extra_len, body_len;
	const struct twitch_emote *emotes;
	size_t		 nemotes;
	uint32_t	 bits;
};

/* Sanitize len bytes into a fresh buffer of at most cap bytes out (cut at
 * a character). Returns the buffer (caller frees) or NULL when len is 0. */
static char *
chan_clean(const char *s, size_t len, size_t cap, size_t *outlen)
{
	char	*out;
	size_t	 sz;

	*outlen = 0;
	if (s == NULL || len == 0)
		return NULL;
	sz = TEXT_SANITIZE_SIZE(len);
	if (sz > cap + 1)
		sz = cap + 1;
	if ((out = malloc(sz)) == NULL)
		abort();
	*outlen = text_sanitize(s, len, out, sz);
	return out;
}

/* Pack the parts into one allocation. */
static struct chan_line *
chan_line_pack(const struct chan_parts *p, unsigned kind, unsigned flags)
{
	struct chan_line	*l;
	unsigned char		 uuid[16];
	size_t			 sz, off = 0, i;
	uint16_t		 v[2];

	if (p->id_len > 0 && chan_uuid_pack(p->id, p->id_len, uuid) == 0)
		flags |= CHAN_F_UUID;
	if (p->bits > 0)
		flags |= CHAN_F_BITS;
	sz = sizeof *l + p->login_len + p->name_len +
	    ((flags & CHAN_F_UUID) ? 16 : p->id_len) + p->extra_len +
	    p->body_len + p->nemotes * 4 + (p->bits > 0 ? 4 : 0);
	if ((l = malloc(sz)) == NULL)
		abort();
	memset(l, 0, sizeof *l);
	l->kind = (uint8_t)kind;
	l->flags = (uint16_t)flags;
	l->login_len = (uint8_t)p->login_len;
	l->name_len = (uint8_t)p->name_len;
	l->id_len = (uint8_t)((flags & CHAN_F_UUID) ? 16 : p->id_len);
	l->extra_len = (uint16_t)p->extra_len;
	l->body_len = (uint16_t)p->body_len;
	l->nemotes = (uint8_t)p->nemotes;
	if (p->login_len > 0)
		memcpy(l->data + off, p->login, p->login_len);
	off += p->login_len;
	if (p->name_len > 0)
		memcpy(l->data + off, p->name, p->name_len);
	off += p->name_len;
	if (flags & CHAN_F_UUID)
		memcpy(l->data + off, uuid, 16);
	else if (p->id_len > 0)
		memcpy(l->data + off, p->id, p->id_len);
	off += l->id_len;
	if (p->extra_len > 0)
		memcpy(l->data + off, p->extra, p->extra_len);
	off += p->extra_len;
	if (p->body_len > 0)
		memcpy(l->data + off, p->body, p->body_len);
	off += p->body_len;
	for (i = 0; i < p->nemotes; i++) {
		v[0] = (uint16_t)p->emotes[i].start;
		v[1] = (uint16_t)p->emotes[i].end;
		memcpy(l->data + off, v, 4);
		off += 4;
	}
	if (p->bits > 0)
		memcpy(l->data + off, &p->bits, 4);
	return l;
}

/*
 * The ring.
 */
struct chan *
chan_new(const char *name, size_t max_lines)
{
	struct chan	*c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		abort();
	snprintf(c->name, sizeof c->name, "%s", name);
	if (max_lines < 1)
		max_lines = 1;
	c->max = max_lines;
	c->first = c->end = 1;
	c->room.followers = -1;
	c->emotes.keep_case = 1;
	c->stats = chanstats_new(c->name, CHAN_STATS_MAX);
	return c;
}

void
chan_clear(struct chan *c)
{
	uint64_t	seq;

	for (seq = c->first; seq < c->end; seq++) {
		free(c->ring[seq % c->cap]);
		c->ring[seq % c->cap] = NULL;
	}
	c->first = c->end;
	c->bytes = 0;
	c->changed++;
	c->edited++;
}

void
chan_free(struct chan *c)
{
	if (c == NULL)
		return;
	chan_clear(c);
	free(c->ring);
	chan_gen_free(c->chatters.gen[0]);
	chan_gen_free(c->chatters.gen[1]);
	chan_gen_free(c->emotes.gen[0]);
	chan_gen_free(c->emotes.gen[1]);
	chanstats_free(c->stats);
	free(c);
}

const char *
chan_name(const struct chan *c)
{
	return c->name;
}

/* Move the held lines to a ring of cap slots (>= those held). The ring
 * starts empty and doubles as lines come, up to max: a quiet channel of a
 * hundred watched does not hold max pointers (80 KB at the default). */
static void
chan_ring_resize(struct chan *c, size_t cap)
{
	struct chan_line	**ring;
	uint64_t		  seq;

	if ((ring = calloc(cap, sizeof *ring)) == NULL)
		abort();
	for (seq = c->first; seq < c->end; seq++)
		ring[seq % cap] = c->ring[seq % c->cap];
	free(c->ring);
	c->ring = ring;
	c->cap = cap;
}

/* The ring size for need lines: CHAN_RING_MIN doubled until they fit, at
 * most max. */
static size_t
chan_ring_fit(const struct chan *c, size_t need)
{
	size_t	cap = CHAN_RING_MIN;

	while (cap < need)
		cap *= 2;
	return cap < c->max ? cap : c->max;
}

/* Change the maximum, keeping the newest lines. */
void
chan_set_max(struct chan *c, size_t max_lines)
{
	if (max_lines < 1)
		max_lines = 1;
	if (max_lines == c->max)
		return;
	while (c->end - c->first > max_lines) {
		c->bytes -= chan_line_size(c->ring[c->first % c->cap]);
		free(c->ring[c->first % c->cap]);
		c->first++;
	}
	c->max = max_lines;
	if (c->cap > max_lines)
		chan_ring_resize(c, chan_ring_fit(c, (size_t)(c->end -
		    c->first)));
	c->changed++;
	c->edited++;
}

static uint64_t
chan_push(struct chan *c, struct chan_line *l)
{
	struct chan_line	**slot;
	size_t			  held = (size_t)(c->end - c->first);

	if (held == c->max) {
		slot = &c->ring[c->first % c->cap];
		c->bytes -= chan_line_size(*slot);
		free(*slot);
		*slot = NULL;
		c->first++;
	} else if (held == c->cap)
		chan_ring_resize(c, chan_ring_fit(c, held + 1));
	c->ring[c->end % c->cap] = l;
	c->bytes += chan_line_size(l);
	c->changed++;
	return c->end++;
}

uint64_t
chan_first(const struct chan *c)
{
	return c->first;
}

uint64_t
chan_end(const struct chan *c)
{
	return c->end;
}

const struct chan_line *
chan_line(const struct chan *c, uint64_t seq)
{
	if (seq < c->first || seq >= c->end)
		return NULL;
	return c->ring[seq % c->cap];
}

int
chan_set_flags(struct chan *c, uint64_t seq, unsigned set, unsigned clear)
{
	struct chan_line	*l;

	if (seq < c->first || seq >= c->end)
		return -1;
	l = c->ring[seq % c->cap];
	l->flags = (uint16_t)((l->flags & ~clear) | set);
	c->changed++;
	c->edited++;
	return 0;
}

size_t
chan_nlines(const struct chan *c)
{
	return (size_t)(c->end - c->first);
}

size_t
chan_bytes(const struct chan *c)
{
	return c->bytes;
}

size_t
chan_unread(const struct chan *c)
{
	return c->unread;
}

size_t
chan_mentions(const struct chan *c)
{
	return c->mentions;
}

void
chan_mark_read(struct chan *c)
{
	c->unread = c->mentions = 0;
}

uint64_t
chan_changed(const struct chan *c)
{
	return c->changed;
}

uint64_t
chan_edited(const struct chan *c)
{
	return c->edited;
}

const struct twitch_roomstate *
chan_room(const struct chan *c)
{
	return &c->room;
}

/*
 * Moderation.
 */
int
chan_delete_msg(struct chan *c, const char *id, size_t len)
{
	struct chan_line	*l;
	uint64_t		 seq;

	if (len == 0)
		return 0;
	/* Deletions aim at recent lines: search newest first. */
	for (seq = c->end; seq > c->first; seq--) {
		l = c->ring[(seq - 1) % c->cap];
		if (l->id_len > 0 && chan_line_id_is(l, id, len)) {
			l->flags |= CHAN_F_DELETED;
			c->changed++;
			c->edited++;
			return 1;
		}
	}
	return 0;
}

size_t
chan_dim_user(struct chan *c, const char *login, size_t len)
{
	struct chan_line	*l;
	uint64_t		 seq;
	size_t			 n = 0;

	for (seq = c->first; seq < c->end; seq++) {
		l = c->ring[seq % c->cap];
		if (l->kind != CHAN_K_MSG || l->login_len != len ||
		    text_ncasecmp(l->data, login, len) != 0)
			continue;
		l->flags |= CHAN_F_DIMMED;
		n++;
	}
	if (n > 0) {
		c->changed++;
		c->edited++;
	}
	return n;
}

/* ASCII case-insensitive substring search in len bytes. */
static int
chan_contains(const char *s, size_t len, const char *needle, size_t nlen)
{
	size_t	i;

	if (nlen == 0 || nlen > len)
		return nlen == 0;
	for (i = 0; i + nlen <= len; i++)
		if (text_ncasecmp(s + i, needle, nlen) == 0)
			return 1;
	return 0;
}

uint64_t
chan_search(const struct chan *c, uint64_t seq, int dir, const char *needle)
{
	const struct chan_line	*l;
	const char		*s;
	size_t			 len, nlen = strlen(needle);

	if (nlen == 0 || c->first == c->end)
		return 0;
	if (seq < c->first)
		seq = dir > 0 ? c->first : 0;
	if (seq >= c->end)
		seq = dir > 0 ? 0 : c->end - 1;
	while (seq >= c->first && seq < c->end) {
		l = c->ring[seq % c->cap];
		s = chan_line_body(l, &len);
		if (chan_contains(s, len, needle, nlen))
			return seq;
		s = chan_line_extra(l, &len);
		if (chan_contains(s, len, needle, nlen))
			return seq;
		s = chan_line_name(l, &len);
		if (chan_contains(s, len, needle, nlen))
			return seq;
		if (dir > 0)
			seq++;
		else if (seq-- == 0)
			break;
	}
	return 0;
}

/*
 * Chatters.
 */
static uint32_t
chan_hash(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)(s[i] | 0x20);
		h *= 16777619u;
	}
	return h;
}

static struct chan_chatter *
chan_gen_find(struct chan_gen *g, int keep_case, const char *name, size_t len,
    size_t *slot)
{
	size_t			 i, mask = 2 * g->cap - 1;
	struct chan_chatter	*e;

	i = chan_hash(name, len) & mask;
	for (; g->slot[i] != 0; i = (i + 1) & mask) {
		e = &g->v[g->slot[i] - 1];
		if (strlen(e->login) == len && (keep_case ?
		    memcmp(e->login, name, len) :
		    text_ncasecmp(e->login, name, len)) == 0)
			return e;
	}
	*slot = i;
	return NULL;
}

static struct chan_gen *
chan_gen_new(void)
{
	struct chan_gen	*g;

	if ((g = calloc(1, sizeof *g)) == NULL ||
	    (g->v = malloc(CHAN_GEN_MIN * sizeof *g->v)) == NULL ||
	    (g->slot = calloc(2 * CHAN_GEN_MIN, sizeof *g->slot)) == NULL)
		abort();
	g->cap = CHAN_GEN_MIN;
	return g;
}

static void
chan_gen_free(struct chan_gen *g)
{
	if (g == NULL)
		return;
	free(g->v);
	free(g->slot);
	free(g);
}

/* Double a full generation (below CHAN_GEN_MAX) and index it again. */
static void
chan_gen_grow(struct chan_gen *g, int keep_case)
{
	size_t	i, slot;

	g->cap *= 2;
	free(g->slot);
	if ((g->v = realloc(g->v, g->cap * sizeof *g->v)) == NULL ||
	    (g->slot = calloc(2 * g->cap, sizeof *g->slot)) == NULL)
		abort();
	for (i = 0; i < g->n; i++) {
		chan_gen_find(g, keep_case, g->v[i].login,
		    strlen(g->v[i].login), &slot);
		g->slot[slot] = (uint16_t)(i + 1);
	}
}

static void
chan_names_seen(struct chan_names *ns, const char *name, size_t len)
{
	struct chan_chatter	*e;
	struct chan_gen		*g;
	size_t			 slot, i;

	if (len == 0 || len > CHAN_NAME_MAX)
		return;
	if (ns->gen[0] == NULL)
		ns->gen[0] = chan_gen_new();
	g = ns->gen[0];
	if ((e = chan_gen_find(g, ns->keep_case, name, len, &slot)) != NULL) {
		e->seen = ++ns->clock;
		return;
	}
	if (g->n == CHAN_GEN_MAX) {
		/* Age: the current generation becomes the old one. */
		chan_gen_free(ns->gen[1]);
		ns->gen[1] = g;
		g = ns->gen[0] = chan_gen_new();
		chan_gen_find(g, ns->keep_case, name, len, &slot);
	} else if (g->n == g->cap) {
		chan_gen_grow(g, ns->keep_case);
		chan_gen_find(g, ns->keep_case, name, len, &slot);
	}
	e = &g->v[g->n];
	for (i = 0; i < len; i++)
		e->login[i] = (char)(!ns->keep_case && name[i] >= 'A' &&
		    name[i] <= 'Z' ? name[i] + 32 : name[i]);
	e->login[len] = '\0';
	e->seen = ++ns->clock;
	g->slot[slot] = (uint16_t)(++g->n);
}

static size_t
chan_names_count(const struct chan_names *ns)
{
	return (ns->gen[0] ? ns->gen[0]->n : 0) +
	    (ns->gen[1] ? ns->gen[1]->n : 0);
}

/* Names starting with prefix, newest first; returns how many (<= max). */
static size_t
chan_names_complete(const struct chan_names *ns, const char *prefix,
    size_t plen, const char **out, size_t max)
{
	const struct chan_chatter	*best[64], *e;
	size_t				 n = 0, i, j, k, g;
	int				 dup;

	for (g = 0; g < 2; g++) {
		if (ns->gen[g] == NULL)
			continue;
		for (i = 0; i < ns->gen[g]->n; i++) {
			e = &ns->gen[g]->v[i];
			if (strlen(e->login) < plen ||
			    text_ncasecmp(e->login, prefix, plen) != 0)
				continue;
			dup = 0;
			for (j = 0; j < n && !dup; j++)
				dup = strcmp(best[j]->login, e->login) == 0;
			if (dup)
				continue;
			/* Insert sorted by recency, keep the best 64. */
			for (j = 0; j < n && best[j]->seen >= e->seen; j++)
				;
			if (j >= 64)
				continue;
			k = n < 64 ? n++ : 63;
			for (; k > j; k--)
				best[k] = best[k - 1];
			best[j] = e;
		}
	}
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = best[i]->login;
	return n;
}

void
chan_chatter_seen(struct chan *c, const char *login, size_t len)
{
	if (len <= CHAN_LOGIN_MAX)
		chan_names_seen(&c->chatters, login, len);
}

size_t
chan_nchatters(const struct chan *c)
{
	return chan_names_count(&c->chatters);
}

size_t
chan_chatters_complete(const struct chan *c, const char *prefix, size_t plen,
    const char **out, size_t max)
{
	return chan_names_complete(&c->chatters, prefix, plen, out, max);
}

size_t
chan_emotes_complete(const struct chan *c, const char *prefix, size_t plen,
    const char **out, size_t max)
{
	return chan_names_complete(&c->emotes, prefix, plen, out, max);
}

/*
 * Events.
 */
/* Append a word to buf (sz bytes, *n used), space-separated, truncating. */
static void
chan_append(char *buf, size_t sz, size_t *n, const char *word)
{
	size_t	len = strlen(word);

	if (*n > 0 && *n + 1 < sz)
		buf[(*n)++] = ' ';
	if (len > sz - 1 - *n)
		len = sz - 1 - *n;
	memcpy(buf + *n, word, len);
	*n += len;
	buf[*n] = '\0';
}

size_t
chan_room_string(const struct chan *c, char *buf, size_t sz)
{
	const struct twitch_roomstate	*r = &c->room;
	size_t				 n = 0;
	char				 w[32];

	if (sz == 0)
		return 0;
	buf[0] = '\0';
	if (r->slow > 0) {
		snprintf(w, sizeof w, "slow %ds", r->slow);
		chan_append(buf, sz, &n, w);
	}
	if (r->subs_only)
		chan_append(buf, sz, &n, "subs");
	if (r->emote_only)
		chan_append(buf, sz, &n, "emote");
	if (r->r9k)
		chan_append(buf, sz, &n, "r9k");
	if (r->followers == 0)
		chan_append(buf, sz, &n, "followers");
	else if (r->followers > 0) {
		snprintf(w, sizeof w, "followers %dm", r->followers);
		chan_append(buf, sz, &n, w);
	}
	return n;
}

static void
chan_roomstate(struct chan *c, const struct twitch_roomstate *r)
{
	if (r->present & TWITCH_ROOM_EMOTE_ONLY)
		c->room.emote_only = r->emote_only;
	if (r->present & TWITCH_ROOM_FOLLOWERS)
		c->room.followers = r->followers;
	if (r->present & TWITCH_ROOM_R9K)
		c->room.r9k = r->r9k;
	if (r->present & TWITCH_ROOM_SLOW)
		c->room.slow = r->slow;
	if (r->present & TWITCH_ROOM_SUBS_ONLY)
		c->room.subs_only = r->subs_only;
	c->room.present |= r->present;
	c->changed++;
}

static int
chan_span_is(const struct irc_span *s, const char *what)
{
	size_t	n = strlen(what);

	return s->len == n && memcmp(s->p, what, n) == 0;
}

static unsigned
chan_badges(const struct twitch_event *ev)
{
	unsigned	b = 0;
	int		i, j;

	for (i = 0; i < ev->nbadges; i++)
		for (j = 0; j < CHAN_B_COUNT; j++)
			if (chan_span_is(&ev->badges[i].name,
			    chan_badge_names[j]))
				b |= 1u << j;
	if (ev->flags & TWITCH_F_MOD)
		b |= CHAN_B_MOD;
	if (ev->flags & TWITCH_F_VIP)
		b |= CHAN_B_VIP;
	if (ev->flags & TWITCH_F_BROADCASTER)
		b |= CHAN_B_BROADCASTER;
	if (ev->flags & TWITCH_F_STAFF)
		b |= CHAN_B_STAFF;
	return b;
}

static enum chan_usernotice
chan_usernotice_kind(const struct irc_span *msg_id)
{
	static const char *const subs[] = { "sub", "resub", "subgift",
	    "submysterygift", "giftpaidupgrade", "anongiftpaidupgrade",
	    "primepaidupgrade", "communitypayforward", "standardpayforward" };
	size_t	i;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (chan_span_is(msg_id, subs[i]))
			return CHAN_UN_SUB;
	if (chan_span_is(msg_id, "raid"))
		return CHAN_UN_RAID;
	if (chan_span_is(msg_id, "announcement"))
		return CHAN_UN_ANNOUNCEMENT;
	return CHAN_UN_OTHER;
}

/* Does the body mention the user or a highlight word? */
static int
chan_is_mention(const struct chan_match *m, const char *s, size_t len)
{
	size_t	i;

	if (m == NULL)
		return 0;
	if (m->self != NULL && m->self[0] != '\0' &&
	    text_find_word(s, len, m->self, strlen(m->self)) != NULL)
		return 1;
	for (i = 0; i < m->nwords; i++)
		if (m->words[i][0] != '\0' && text_find_word(s, len,
		    m->words[i], strlen(m->words[i])) != NULL)
			return 1;
	return 0;
}

/* A PRIVMSG or USERNOTICE as a line. */
static uint64_t
chan_add_message(struct chan *c, const struct twitch_event *ev,
    const struct chan_match *m, uint32_t now)
{
	struct chan_parts	 p;
	struct chan_line	*l;
	char			*name, *body, *extra = NULL, *rp;
	size_t			 rlen, n;
	unsigned		 kind, flags = 0;
	uint32_t		 color;
	char			 login[CHAN_LOGIN_MAX + 1];
	struct twitch_emote	 emotes[TWITCH_MAX_EMOTES];

	memset(&p, 0, sizeof p);
	/* Logins are [a-z0-9_]; anything else is dropped, not shown. */
	for (n = 0; n < ev->login.len && p.login_len < CHAN_LOGIN_MAX; n++) {
		char ch = ev->login.p[n];
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '_')
			login[p.login_len++] = ch;
		else if (ch >= 'A' && ch <= 'Z')
			login[p.login_len++] = (char)(ch + 32);
	}
	login[p.login_len] = '\0';
	p.login = login;
	name = chan_clean(ev->display_name.p, ev->display_name.len, 200,
	    &p.name_len);
	if (p.name_len > 0 && p.name_len == p.login_len &&
	    memcmp(name, login, p.login_len) == 0)
		p.name_len = 0;		/* same bytes: store once */
	p.name = name;
	body = chan_clean(ev->text.p, ev->text.len, 60000, &p.body_len);
	p.body = body;
	if (ev->text.len > 0 && p.body_len == ev->text.len &&
	    memcmp(body, ev->text.p, p.body_len) == 0 && ev->nemotes > 0) {
		/* Byte offsets still hold only if nothing changed; and only
		 * spans inside the body are kept, whoever made the event. */
		for (n = 0; n < (size_t)ev->nemotes && n < TWITCH_MAX_EMOTES;
		    n++)
			if (ev->emotes[n].start < ev->emotes[n].end &&
			    ev->emotes[n].end <= p.body_len)
				emotes[p.nemotes++] = ev->emotes[n];
		p.emotes = emotes;
	}
	p.id = ev->id.p;
	p.id_len = ev->id.len > 64 ? 0 : ev->id.len;
	p.bits = ev->bits > 0 && ev->bits <= UINT32_MAX ? (uint32_t)ev->bits : 0;

	kind = ev->kind == TWITCH_USERNOTICE ? CHAN_K_USERNOTICE : CHAN_K_MSG;
	if (kind == CHAN_K_USERNOTICE) {
		extra = chan_clean(ev->system_msg.p, ev->system_msg.len, 2000,
		    &p.extra_len);
	} else if (ev->flags & TWITCH_F_REPLY) {
		/* "name: parent text", one string, cleaned as a whole. */
		const struct irc_span *who = ev->reply_display_name.len > 0 ?
		    &ev->reply_display_name : &ev->reply_login;

		rlen = who->len + 2 + ev->reply_body.len;
		if ((rp = malloc(rlen + 1)) == NULL)
			abort();
		if (who->len > 0)
			memcpy(rp, who->p, who->len);
		memcpy(rp + who->len, ": ", 2);
		if (ev->reply_body.len > 0)
			memcpy(rp + who->len + 2, ev->reply_body.p,
			    ev->reply_body.len);
		n = rlen;
		extra = chan_clean(rp, n, 2000, &p.extra_len);
		free(rp);
		flags |= CHAN_F_REPLY;
	}
	p.extra = extra;
	if (ev->flags & TWITCH_F_ACTION)
		flags |= CHAN_F_ACTION;
	if (ev->flags & TWITCH_F_FIRST_MSG)
		flags |= CHAN_F_FIRST;
	if (ev->flags & TWITCH_F_RETURNING)
		flags |= CHAN_F_RETURNING;
	if (kind == CHAN_K_MSG && chan_is_mention(m, body, p.body_len))
		flags |= CHAN_F_MENTION;
	if (ev->has_color) {
		color = ev->color & 0xffffff;
		flags |= CHAN_F_HASCOLOR;
	} else
		color = text_nick_color_hash(login);

	l = chan_line_pack(&p, kind, flags);
	l->time = ev->sent_ms > 0 ? (uint32_t)(ev->sent_ms / 1000) : now;
	l->color = color;
	l->badges = (uint16_t)chan_badges(ev);
	if (kind == CHAN_K_USERNOTICE)
		l->sub = (uint8_t)chan_usernotice_kind(&ev->msg_id);
	for (n = 0; n < p.nemotes; n++)
		chan_names_seen(&c->emotes, body + p.emotes[n].start,
		    p.emotes[n].end - p.emotes[n].start);
	free(name);
	free(body);
	free(extra);
	if (p.login_len > 0)
		chan_chatter_seen(c, login, p.login_len);

	c->unread++;
	if (flags & CHAN_F_MENTION)
		c->mentions++;
	return chan_push(c, l);
}

/* "x was timed out for 10m", "x was banned", or the chat-clear line. */
static uint64_t
chan_clearchat(struct chan *c, const struct twitch_event *ev, uint32_t now)
{
	char		 text[160], who[CHAN_LOGIN_MAX + 1];
	size_t		 n;
	long		 d = ev->ban_duration;

	if (ev->target.len == 0)
		return chan_add_text(c, CHAN_K_CLEAR, 0, NULL,
		    "chat was cleared by a moderator", 31, 0, now);
	n = ev->target.len > CHAN_LOGIN_MAX ? CHAN_LOGIN_MAX : ev->target.len;
	memcpy(who, ev->target.p, n);
	who[n] = '\0';
	chan_dim_user(c, who, n);
	if (d <= 0)
		snprintf(text, sizeof text, "%s was banned", who);
	else if (d < 60)
		snprintf(text, sizeof text, "%s was timed out for %lds", who, d);
	else if (d < 3600)
		snprintf(text, sizeof text, "%s was timed out for %ldm%s", who,
		    d / 60, d % 60 ? "+" : "");
	else
		snprintf(text, sizeof text, "%s was timed out for %ldh%s", who,
		    d / 3600, d % 3600 ? "+" : "");
	return chan_add_text(c, CHAN_K_MODERATION, 0, who, text, strlen(text),
	    0, now);
}

/* justinfanNNN is an anonymous reader (like us without a login): Twitch
 * never lists them as chatters, so neither do we. */
static int
chan_is_anonymous(const struct irc_span *login)
{
	return login->len > 9 && memcmp(login->p, "justinfan", 9) == 0;
}

/* A NAMES list, without the anonymous readers in it. */
static void
chan_names(struct chan *c, const struct irc_span *list, uint32_t now)
{
	struct irc_span	w;
	size_t		i = 0, j;

	while (i < list->len) {
		while (i < list->len && list->p[i] == ' ')
			i++;
		for (j = i; j < list->len && list->p[j] != ' '; j++)
			;
		w.p = list->p + i;
		w.len = j - i;
		if (w.len > 0 && !chan_is_anonymous(&w))
			chanstats_join(c->stats, w.p, w.len, now);
		i = j;
	}
}

struct chanstats *
chan_stats(struct chan *c)
{
	return c->stats;
}

const struct chanstats *
chan_stats_const(const struct chan *c)
{
	return c->stats;
}

/* A line from someone, for the rates and the chatters list. now is when it
 * arrived: a sender's clock (tmi-sent-ts) must not skew the rates. */
static void
chan_count_message(struct chan *c, const struct twitch_event *ev,
    uint64_t seq, uint32_t now)
{
	const struct chan_line	*l = chan_line(c, seq);
	const char		*login;
	size_t			 len;

	if (l == NULL)
		return;
	login = chan_line_login(l, &len);
	chanstats_message(c->stats, login, len, ev->display_name.p,
	    ev->display_name.len, l->badges, now);
}

uint64_t
chan_add_event(struct chan *c, const struct twitch_event *ev,
    const struct chan_match *m, uint32_t now)
{
	uint32_t	arrived = now;
	uint64_t	seq;

	if (ev->sent_ms > 0)
		now = (uint32_t)(ev->sent_ms / 1000);
	switch (ev->kind) {
	case TWITCH_PRIVMSG:
	case TWITCH_USERNOTICE:
		seq = chan_add_message(c, ev, m, now);
		chan_count_message(c, ev, seq, arrived);
		return seq;
	case TWITCH_JOIN:
		if (!chan_is_anonymous(&ev->login))
			chanstats_join(c->stats, ev->login.p, ev->login.len,
			    arrived);
		return 0;
	case TWITCH_PART:
		chanstats_part(c->stats, ev->login.p, ev->login.len, arrived);
		return 0;
	case TWITCH_NAMES:
		chan_names(c, &ev->list, arrived);
		return 0;
	case TWITCH_CLEARMSG:
		chan_delete_msg(c, ev->target_msg_id.p, ev->target_msg_id.len);
		return 0;
	case TWITCH_CLEARCHAT:
		return chan_clearchat(c, ev, now);
	case TWITCH_ROOMSTATE:
		chan_roomstate(c, &ev->room);
		return 0;
	case TWITCH_NOTICE:
		return chan_add_text(c, CHAN_K_NOTICE, 0, NULL, ev->text.p,
		    ev->text.len, 0, now);
	default:
		return 0;
	}
}

uint64_t
chan_add_text(struct chan *c, enum chan_kind kind, unsigned flags,
    const char *login, const char *text, size_t len, uint32_t color,
    uint32_t now)
{
	struct chan_parts	 p;
	struct chan_line	*l;
	char			*body;

	memset(&p, 0, sizeof p);
	if (login != NULL) {
		p.login = login;
		p.login_len = strnlen(login, CHAN_LOGIN_MAX);
	}
	body = chan_clean(text, len, 60000, &p.body_len);
	p.body = body;
	l = chan_line_pack(&p, kind, flags);
	free(body);
	l->time = now;
	l->color = color;
	if (kind == CHAN_K_MSG || kind == CHAN_K_USERNOTICE)
		c->unread++;
	/* Our own lines count like anyone's. */
	if (kind == CHAN_K_MSG && p.login_len > 0 && !(flags & CHAN_F_FAILED))
		chanstats_message(c->stats, p.login, p.login_len, NULL, 0, 0,
		    now);
	return chan_push(c, l);
}
