/*
 * chanstats.c: per-channel counters from chat (see chanstats.h).
 *
 * Rates live in two rings indexed by time: one slot per second for the
 * last CHANSTATS_UNIQUE_S seconds (lines, and chatters whose latest line
 * fell in that second), one per minute for the hour. Each slot carries the
 * second or minute it counts, so a stale slot reads as zero and is reset
 * by the first line that lands in it: nothing ever walks the rings to
 * expire them.
 *
 * "Unique in the last 5 minutes" moves a chatter from the slot of their
 * previous line to the current one, so the sum over the window counts each
 * chatter once, and a line costs O(1) however many people talk.
 *
 * Chatters are an array plus an open-addressing index (slot = index + 1).
 * Entries are only removed by eviction, which rebuilds the index once for
 * max/2 insertions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "chanstats.h"
#include "text.h"

struct chanstats {
	char		 broadcaster[CHANSTATS_LOGIN_MAX + 1];
	struct chanstats_chatter *v;
	size_t		 n, cap, max;
	uint32_t	*slot;		/* index + 1; 0 empty */
	size_t		 nslots;	/* power of two, >= 2 x cap */
	size_t		 count[CHANSTATS_G_COUNT];	/* present */
	uint32_t	 latest;	/* the clock never goes back */
	uint64_t	 total;
	uint64_t	 changed;
	uint64_t	 version;	/* of what lists would show */

	uint32_t	 sec_stamp[CHANSTATS_UNIQUE_S];
	uint32_t	 sec_lines[CHANSTATS_UNIQUE_S];
	uint32_t	 sec_uniq[CHANSTATS_UNIQUE_S];
	uint32_t	 min_stamp[CHANSTATS_MINUTES];	/* now / 60 */
	uint32_t	 min_lines[CHANSTATS_MINUTES];
};

static const char *const chanstats_group_names[CHANSTATS_G_COUNT] = {
	"broadcaster", "moderators", "VIPs", "subscribers", "others",
};

const char *
chanstats_group_name(enum chanstats_group g)
{
	return (unsigned)g < CHANSTATS_G_COUNT ? chanstats_group_names[g] : "";
}

/*
 * Logins are [a-z0-9_]{1,25}; capitals are folded. Anything else makes the
 * login invalid: returns its length in out, or 0.
 */
static size_t
chanstats_login(const char *in, size_t len, char out[CHANSTATS_LOGIN_MAX + 1])
{
	size_t	i;
	char	ch;

	if (in == NULL || len == 0 || len > CHANSTATS_LOGIN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		ch = in[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' &&
		    ch <= '9') || ch == '_'))
			return 0;
		out[i] = ch;
	}
	out[len] = '\0';
	return len;
}

struct chanstats *
chanstats_new(const char *broadcaster, size_t max_chatters)
{
	struct chanstats	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		abort();
	if (broadcaster != NULL)
		chanstats_login(broadcaster, strlen(broadcaster),
		    s->broadcaster);
	s->max = max_chatters < 16 ? 16 : max_chatters;
	return s;
}

void
chanstats_free(struct chanstats *s)
{
	if (s == NULL)
		return;
	free(s->v);
	free(s->slot);
	free(s);
}

static uint32_t
chanstats_clock(struct chanstats *s, uint32_t now)
{
	if (now < s->latest)
		return s->latest;
	return s->latest = now;
}

/*
 * The index.
 */
static size_t
chanstats_hash(const char *login)
{
	uint32_t	h = 2166136261u;

	for (; *login != '\0'; login++) {
		h ^= (unsigned char)*login;
		h *= 16777619u;
	}
	return h;
}

/* The index slot holding login, or the empty slot where it would go. */
static size_t
chanstats_probe(const struct chanstats *s, const char *login)
{
	size_t	i = chanstats_hash(login) & (s->nslots - 1);

	while (s->slot[i] != 0 &&
	    strcmp(s->v[s->slot[i] - 1].login, login) != 0)
		i = (i + 1) & (s->nslots - 1);
	return i;
}

static void
chanstats_reindex(struct chanstats *s)
{
	size_t	i;

	memset(s->slot, 0, s->nslots * sizeof *s->slot);
	for (i = 0; i < s->n; i++)
		s->slot[chanstats_probe(s, s->v[i].login)] = (uint32_t)(i + 1);
}

static void
chanstats_grow(struct chanstats *s)
{
	size_t	cap = s->cap ? s->cap * 2 : 64;

	if (cap > s->max)
		cap = s->max;
	if ((s->v = realloc(s->v, cap * sizeof *s->v)) == NULL)
		abort();
	s->cap = cap;
	for (s->nslots = 16; s->nslots < 2 * cap; s->nslots *= 2)
		;
	free(s->slot);
	if ((s->slot = calloc(s->nslots, sizeof *s->slot)) == NULL)
		abort();
	chanstats_reindex(s);
}

/* Most recently seen first. */
static int
chanstats_cmp_recent(const void *a, const void *b)
{
	const struct chanstats_chatter	*x = a, *y = b;

	if (x->last_seen != y->last_seen)
		return x->last_seen > y->last_seen ? -1 : 1;
	return strcmp(x->login, y->login);
}

/* Forget the half seen least recently, taking them out of the counts. */
static void
chanstats_evict(struct chanstats *s)
{
	struct chanstats_chatter	*c;
	size_t				 keep = s->max / 2, i, k;

	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, chanstats_cmp_recent);
	for (i = keep; i < s->n; i++) {
		c = &s->v[i];
		if (c->present)
			s->count[c->group]--;
		k = c->last_msg % CHANSTATS_UNIQUE_S;
		if (c->last_msg != 0 && s->sec_stamp[k] == c->last_msg &&
		    s->sec_uniq[k] > 0)
			s->sec_uniq[k]--;
	}
	s->n = keep;
	s->version++;
	chanstats_reindex(s);
}

static enum chanstats_group
chanstats_group_of(const struct chanstats *s, const char *login,
    unsigned badges)
{
	if ((badges & CHAN_B_BROADCASTER) ||
	    strcmp(login, s->broadcaster) == 0)
		return CHANSTATS_G_BROADCASTER;
	if (badges & CHAN_B_MOD)
		return CHANSTATS_G_MOD;
	if (badges & CHAN_B_VIP)
		return CHANSTATS_G_VIP;
	if (badges & (CHAN_B_SUB | CHAN_B_FOUNDER))
		return CHANSTATS_G_SUB;
	return CHANSTATS_G_OTHER;
}

/* The chatter called login (valid, folded), added if new. */
static struct chanstats_chatter *
chanstats_get(struct chanstats *s, const char *login, uint32_t now)
{
	struct chanstats_chatter	*c;
	size_t				 i;

	if (s->nslots > 0) {
		i = chanstats_probe(s, login);
		if (s->slot[i] != 0)
			return &s->v[s->slot[i] - 1];
	}
	if (s->n == s->max)
		chanstats_evict(s);
	if (s->n == s->cap)
		chanstats_grow(s);
	c = &s->v[s->n];
	memset(c, 0, sizeof *c);
	memcpy(c->login, login, strlen(login) + 1);
	c->group = (uint8_t)chanstats_group_of(s, login, 0);
	c->first_seen = c->last_seen = now;
	s->slot[chanstats_probe(s, login)] = (uint32_t)(++s->n);
	return c;
}

/* Keep the per-group counts of present chatters true. */
static void
chanstats_set(struct chanstats *s, struct chanstats_chatter *c, int present,
    enum chanstats_group g)
{
	if (c->present != (present != 0) || c->group != g)
		s->version++;
	if (c->present)
		s->count[c->group]--;
	c->present = (uint8_t)(present != 0);
	c->group = (uint8_t)g;
	if (c->present)
		s->count[c->group]++;
	s->changed++;
}

/*
 * Events.
 */
/* The slot for second now, reset if it still counts an older second. */
static size_t
chanstats_sec(struct chanstats *s, uint32_t now)
{
	size_t	k = now % CHANSTATS_UNIQUE_S;

	if (s->sec_stamp[k] != now) {
		s->sec_stamp[k] = now;
		s->sec_lines[k] = 0;
		s->sec_uniq[k] = 0;
	}
	return k;
}

/* Names rarely change: sanitize only when the bytes differ from what is
 * stored (a safe name is stored as it came). */
static void
chanstats_name(struct chanstats *s, struct chanstats_chatter *c,
    const char *name, size_t nlen)
{
	char	clean[CHANSTATS_NAME_MAX + 1];

	if (name == NULL || nlen == 0 || (nlen == strlen(c->name) &&
	    memcmp(c->name, name, nlen) == 0))
		return;
	text_sanitize(name, nlen, clean, sizeof clean);
	if (strcmp(clean, c->name) != 0) {
		memcpy(c->name, clean, sizeof c->name);
		s->version++;		/* lists show names */
	}
}

static void
chanstats_count_line(struct chanstats *s, uint32_t now)
{
	uint32_t	m = now / 60;
	size_t		k = m % CHANSTATS_MINUTES;

	if (s->min_stamp[k] != m) {
		s->min_stamp[k] = m;
		s->min_lines[k] = 0;
	}
	s->min_lines[k]++;
	s->sec_lines[chanstats_sec(s, now)]++;
	s->total++;
	s->changed++;
}

void
chanstats_message(struct chanstats *s, const char *login, size_t len,
    const char *name, size_t nlen, unsigned badges, uint32_t now)
{
	struct chanstats_chatter	*c;
	char				 l[CHANSTATS_LOGIN_MAX + 1];
	size_t				 k, prev;

	now = chanstats_clock(s, now);
	chanstats_count_line(s, now);
	if (chanstats_login(login, len, l) == 0)
		return;
	c = chanstats_get(s, l, now);
	/* Move them from the slot of their previous line to this one. */
	prev = c->last_msg % CHANSTATS_UNIQUE_S;
	if (c->last_msg != 0 && s->sec_stamp[prev] == c->last_msg &&
	    s->sec_uniq[prev] > 0)
		s->sec_uniq[prev]--;
	k = chanstats_sec(s, now);
	s->sec_uniq[k]++;
	c->last_msg = c->last_seen = now;
	c->messages++;
	c->badges = (uint16_t)badges;
	chanstats_name(s, c, name, nlen);
	chanstats_set(s, c, 1, chanstats_group_of(s, l, badges));
}

void
chanstats_mark(struct chanstats *s, const char *login, size_t len,
    const char *name, size_t nlen, unsigned badges, uint32_t now)
{
	struct chanstats_chatter	*c;
	char				 l[CHANSTATS_LOGIN_MAX + 1];

	now = chanstats_clock(s, now);
	if (chanstats_login(login, len, l) == 0)
		return;
	c = chanstats_get(s, l, now);
	c->badges = (uint16_t)(c->badges | badges);
	chanstats_name(s, c, name, nlen);
	chanstats_set(s, c, 1, chanstats_group_of(s, l, c->badges));
}

void
chanstats_join(struct chanstats *s, const char *login, size_t len,
    uint32_t now)
{
	struct chanstats_chatter	*c;
	char				 l[CHANSTATS_LOGIN_MAX + 1];

	now = chanstats_clock(s, now);
	if (chanstats_login(login, len, l) == 0)
		return;
	c = chanstats_get(s, l, now);
	c->last_seen = now;
	chanstats_set(s, c, 1, (enum chanstats_group)c->group);
}

void
chanstats_part(struct chanstats *s, const char *login, size_t len,
    uint32_t now)
{
	char	l[CHANSTATS_LOGIN_MAX + 1];
	size_t	i;

	now = chanstats_clock(s, now);
	if (chanstats_login(login, len, l) == 0 || s->nslots == 0)
		return;
	i = chanstats_probe(s, l);
	if (s->slot[i] == 0)
		return;
	s->v[s->slot[i] - 1].last_seen = now;
	chanstats_set(s, &s->v[s->slot[i] - 1], 0,
	    (enum chanstats_group)s->v[s->slot[i] - 1].group);
}

void
chanstats_names(struct chanstats *s, const char *list, size_t len,
    uint32_t now)
{
	size_t	i = 0, j;

	while (i < len) {
		while (i < len && list[i] == ' ')
			i++;
		for (j = i; j < len && list[j] != ' '; j++)
			;
		if (j > i)
			chanstats_join(s, list + i, j - i, now);
		i = j;
	}
}

/*
 * Questions.
 */
/* The per-second counts v[] of the last window seconds up to now. */
static uint32_t
chanstats_window(const struct chanstats *s, const uint32_t *v,
    uint32_t window, uint32_t now)
{
	uint32_t	n = 0;
	size_t		k;

	if (now < s->latest)
		now = s->latest;
	for (k = 0; k < CHANSTATS_UNIQUE_S; k++)
		if (s->sec_stamp[k] <= now && now - s->sec_stamp[k] < window)
			n += v[k];
	return n;
}

uint32_t
chanstats_rate(const struct chanstats *s, uint32_t now)
{
	return chanstats_window(s, s->sec_lines, CHANSTATS_RATE_S, now);
}

uint64_t
chanstats_minutes(const struct chanstats *s, uint32_t now,
    uint32_t out[CHANSTATS_MINUTES])
{
	uint64_t	sum = 0;
	uint32_t	m;
	size_t		i, k;

	if (now < s->latest)
		now = s->latest;
	for (i = 0; i < CHANSTATS_MINUTES; i++) {
		m = now / 60 - (uint32_t)(CHANSTATS_MINUTES - 1 - i);
		k = m % CHANSTATS_MINUTES;
		out[i] = s->min_stamp[k] == m ? s->min_lines[k] : 0;
		sum += out[i];
	}
	return sum;
}

size_t
chanstats_unique(const struct chanstats *s, uint32_t now)
{
	return chanstats_window(s, s->sec_uniq, CHANSTATS_UNIQUE_S, now);
}

uint64_t
chanstats_total(const struct chanstats *s)
{
	return s->total;
}

size_t
chanstats_count(const struct chanstats *s, unsigned mask)
{
	size_t	n = 0;
	int	g;

	for (g = 0; g < CHANSTATS_G_COUNT; g++)
		if (mask & CHANSTATS_GM(g))
			n += s->count[g];
	return n;
}

size_t
chanstats_known(const struct chanstats *s)
{
	return s->n;
}

const struct chanstats_chatter *
chanstats_find(const struct chanstats *s, const char *login, size_t len)
{
	char	l[CHANSTATS_LOGIN_MAX + 1];
	size_t	i;

	if (s->nslots == 0 || chanstats_login(login, len, l) == 0)
		return NULL;
	i = chanstats_probe(s, l);
	return s->slot[i] != 0 ? &s->v[s->slot[i] - 1] : NULL;
}

/* ASCII case-insensitive: does s contain needle? */
static int
chanstats_contains(const char *s, const char *needle, size_t nlen)
{
	size_t	len = strlen(s), i;

	for (i = 0; i + nlen <= len; i++)
		if (text_ncasecmp(s + i, needle, nlen) == 0)
			return 1;
	return 0;
}

static int
chanstats_cmp_list(const void *a, const void *b)
{
	const struct chanstats_chatter *const	*pa = a, *const *pb = b;
	const struct chanstats_chatter		*x = *pa, *y = *pb;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return strcmp(x->login, y->login);
}

size_t
chanstats_list(const struct chanstats *s, unsigned mask, const char *filter,
    const struct chanstats_chatter **out, size_t max)
{
	const struct chanstats_chatter	*c;
	size_t				 i, n = 0, flen;

	flen = filter != NULL ? strlen(filter) : 0;
	for (i = 0; i < s->n && n < max; i++) {
		c = &s->v[i];
		if (!c->present || !(mask & CHANSTATS_GM(c->group)))
			continue;
		if (flen > 0 && !chanstats_contains(c->login, filter, flen) &&
		    !chanstats_contains(c->name, filter, flen))
			continue;
		out[n++] = c;
	}
	if (n > 1)
		qsort(out, n, sizeof *out, chanstats_cmp_list);
	return n;
}

uint64_t
chanstats_changed(const struct chanstats *s)
{
	return s->changed;
}

uint64_t
chanstats_version(const struct chanstats *s)
{
	return s->version;
}
